"""A bridge VNF guest between a dpdk-testpmd 'switch' (net_vhost ports) and
pcap endpoints: traffic passes, counters agree, the vhost-user connection
comes back after a guest restart and a guest reset.  The guest boots once
for the module (TCG: ~5-10 s)."""

import json
import os

import pytest

from vnf_env import Rig, build_image, guest_counters, missing_tools, wait_for

pytestmark = pytest.mark.skipif(bool(missing_tools()),
                                reason=missing_tools() or "-")


def udp_packets(count, dport=9, src_ip="10.0.0.1", dst_ip="10.0.0.2"):
    from scapy.all import Ether, IP, UDP, Raw
    return [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
            / IP(src=src_ip, dst=dst_ip) / UDP(sport=1000 + i % 4, dport=dport)
            / Raw(b"p%05d" % i + b"." * 20) for i in range(count)]


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    image = build_image()
    wd = str(tmp_path_factory.mktemp("vnf-bridge"))
    # A private verdict cache: this module exercises the KVM probe.
    r = Rig(wd, "br", "bridge", image, accel="auto",
            vm_args=["--kvm-probe-timeout", "12", "--vnf-arg", "interval=2"],
            env={"NFV_VM_CACHE": os.path.join(wd, "cache")})
    try:
        r.boot()
        yield r
    finally:
        r.close()


def test_accelerator_detected_and_cached(rig):
    result = json.loads(rig.start_result.stdout)
    cache = os.path.join(rig.workdir, "cache", "accel.json")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        assert result["accel"] == "tcg"
        return
    with open(cache) as f:
        verdicts = json.load(f)
    assert len(verdicts) == 1
    verdict = list(verdicts.values())[0]
    assert verdict["accel"] == result["accel"]
    assert "accelerator %s" % result["accel"] in rig.start_result.stderr


def test_bridge_forwards_both_ways_with_matching_counters(rig):
    pkts = udp_packets(150)
    # The guest logs counters every 2 s; start from its latest line.
    rig.vm.wait_console("br", r"NFV-COUNTERS eth1")
    g0 = guest_counters(rig.vm.console("br"), "eth0")
    out, back, delta = rig.send(pkts)
    # Every packet crossed the guest unchanged, nothing came back.
    assert len(out) == 150
    assert sorted(bytes(p) for p in out) == sorted(bytes(p) for p in pkts)
    assert back == []
    assert delta[0]["rx"] == 150 and delta[1]["tx"] == 150
    assert delta[2]["rx"] == 150 and delta[3]["tx"] == 150
    # The guest's own counters (logged every 2 s) agree exactly: it sends
    # nothing of its own (no IPv6, no IGMP, no STP).
    def guest_done():
        c0 = guest_counters(rig.vm.console("br"), "eth0")
        c1 = guest_counters(rig.vm.console("br"), "eth1")
        if c0["rx_packets"] - g0["rx_packets"] == 150:
            return c0, c1
        return None
    got = wait_for(guest_done, 10)
    assert got, rig.vm.console("br")[-1500:]
    c0, c1 = got
    assert c0["rx_packets"] - g0["rx_packets"] == 150
    assert c1["tx_packets"] == c0["rx_packets"]
    assert c0["tx_packets"] == 0 and c1["rx_packets"] == 0

    # And the other way round is a separate path (port 3 -> guest eth1).
    assert delta[0]["tx"] == 0


def test_list_and_console(rig):
    r = rig.vm.run("list", "--json")
    vms = json.loads(r.stdout)
    assert [v["name"] for v in vms] == ["br"]
    assert vms[0]["state"] == "running" and vms[0]["vnf"] == "bridge"
    assert len(vms[0]["nics"]) == 2
    assert all(n["mode"] == "server" for n in vms[0]["nics"])
    # vCPU thread pinned to CPU 0 (--cpus 0) via QMP query-cpus-fast.
    pins = vms[0]["pins"]
    assert len(pins) == 1 and pins[0]["cpu"] == 0
    assert os.sched_getaffinity(pins[0]["thread"]) == {0}
    text = rig.vm.run("list").stdout
    assert "br " in text and "running" in text and "bridge" in text
    con = rig.vm.run("console", "br").stdout
    assert "NFV-VNF-READY vnf=bridge name=br" in con


def test_reset_guest_traffic_resumes(rig):
    offset = len(rig.vm.console("br"))
    rig.vm.run("reboot", "br", "--wait", "90")
    rig.vm.wait_console("br", r"NFV-BOOT", start=offset)
    rig.sw.wait_link([1, 2])
    out, back, delta = rig.send(udp_packets(50, dport=7))
    assert len(out) == 50 and delta[2]["rx"] == 50


def test_restart_guest_vhost_reconnects(rig):
    # QEMU is the vhost-user server (the switch's dpdkvhostuserclient
    # role is testpmd with client=1): stopping QEMU closes the sockets,
    # and the switch side must reconnect by itself to the new QEMU.
    rig.vm.run("stop", "--keep-console", "br")
    assert not rig.vm.run("list", "--json").stdout.count('"br"')
    wait_for(lambda: not rig.sw.link_up(1), 10)
    assert not rig.sw.link_up(1)
    rig.boot()
    out, back, delta = rig.send(udp_packets(80, dport=8))
    assert len(out) == 80
    assert {p["UDP"].dport for p in out} == {8}
    assert "reconnect" in rig.sw.text() or "connected" in rig.sw.text()
