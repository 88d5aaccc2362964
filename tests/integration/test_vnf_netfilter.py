"""Firewall, NAT and flow-monitor VNF guests (nftables inside the guest)
between a dpdk-testpmd 'switch' and pcap endpoints.  One boot per VNF,
per module."""

import re

import pytest

from vnf_env import Rig, build_image, missing_tools

pytestmark = pytest.mark.skipif(bool(missing_tools()),
                                reason=missing_tools() or "-")

HOST_A = "02:00:00:00:00:01"      # endpoint behind guest NIC A (eth0)
HOST_B = "02:00:00:00:00:02"      # endpoint behind guest NIC B (eth1)
GUEST_A = "52:54:00:00:0a:00"
GUEST_B = "52:54:00:00:0b:00"


def udp(dport, count, src_ip="10.0.1.2", dst_ip="10.0.2.2", dst_mac=HOST_B,
        sport=1000):
    from scapy.all import Ether, IP, UDP, Raw
    return [Ether(src=HOST_A, dst=dst_mac) / IP(src=src_ip, dst=dst_ip)
            / UDP(sport=sport + i % 3, dport=dport) / Raw(b"n%04d" % i)
            for i in range(count)]


def make_rig(tmp_path_factory, name, vnf, args):
    wd = str(tmp_path_factory.mktemp("vnf-" + name))
    return Rig(wd, name, vnf, build_image(), vm_args=args,
               nic_opts=(",mac=" + GUEST_A, ",mac=" + GUEST_B))


@pytest.fixture(scope="module")
def firewall(tmp_path_factory):
    r = make_rig(tmp_path_factory, "fw", "firewall", [
        "--vnf-arg", "rules=udp dport 9 drop; ip saddr 10.0.1.66 drop",
        "--vnf-arg", "interval=1"])
    try:
        r.boot()
        yield r
    finally:
        r.close()


def test_firewall_drops_what_rules_say(firewall):
    pkts = (udp(9, 30) + udp(10, 40) + udp(11, 25, src_ip="10.0.1.66")
            + udp(53, 15))
    out, back, delta = firewall.send(pkts)
    assert delta[0]["rx"] == 110 and delta[1]["tx"] == 110
    ports = sorted(p["UDP"].dport for p in out)
    assert ports == [10] * 40 + [53] * 15
    assert all(p["IP"].src != "10.0.1.66" for p in out)
    assert back == []
    # The guest's per-rule counters say the same.
    m = firewall.vm.wait_console(
        "fw", r"NFV-RULE udp dport 9 counter packets 30 bytes \d+ drop")
    assert m
    firewall.vm.wait_console(
        "fw", r"NFV-RULE ip saddr 10.0.1.66 counter packets 25 bytes \d+ drop")


@pytest.fixture(scope="module")
def nat(tmp_path_factory):
    r = make_rig(tmp_path_factory, "nat", "nat", [
        "--vnf-arg", "ip=10.0.1.1/24,10.0.2.1/24",
        "--vnf-arg", "neigh=10.0.1.2@%s,10.0.2.2@%s" % (HOST_A, HOST_B),
        "--vnf-arg", "snat=10.0.2.100",
        "--vnf-arg", "dnat=udp:5000:10.0.1.2:6000",
        "--vnf-arg", "interval=1"])
    try:
        r.boot()
        yield r
    finally:
        r.close()


def test_nat_rewrites_source_and_routes(nat):
    pkts = udp(9, 40, dst_mac=GUEST_A)
    out, back, delta = nat.send(pkts)
    assert delta[0]["rx"] == 40
    assert len(out) == 40, nat.vm.console("nat")[-2000:]
    for p in out:
        assert p["IP"].src == "10.0.2.100"          # snat
        assert p["IP"].dst == "10.0.2.2"
        assert p["IP"].ttl == 63                    # routed once
        assert p.src == GUEST_B and p.dst == HOST_B
        assert p["UDP"].dport == 9
    # Checksums are valid after the rewrite.
    from scapy.all import Ether
    for p in out:
        again = Ether(bytes(p))
        del again["IP"].chksum
        assert Ether(bytes(again))["IP"].chksum == p["IP"].chksum
    nat.vm.wait_console("nat", r"NFV-RULE oifname \"eth1\" counter packets "
                        r"[1-9]\d* bytes \d+ snat to 10.0.2.100")


def test_nat_port_forward_from_outside(nat):
    # Packets entering NIC B for 10.0.2.1:5000 go to 10.0.1.2:6000 via NIC A.
    from scapy.all import Ether, IP, UDP, Raw, wrpcap, rdpcap
    pkts = [Ether(src=HOST_B, dst=GUEST_B) / IP(src="10.0.2.2", dst="10.0.2.1")
            / UDP(sport=7000, dport=5000) / Raw(b"d%03d" % i)
            for i in range(20)]
    back = nat.send_from_b(pkts)
    assert len(back) == 20, nat.vm.console("nat")[-2000:]
    for p in back:
        assert p["IP"].dst == "10.0.1.2" and p["UDP"].dport == 6000
        assert p.dst == HOST_A


@pytest.fixture(scope="module")
def monitor(tmp_path_factory):
    r = make_rig(tmp_path_factory, "mon", "monitor",
                 ["--vnf-arg", "interval=1"])
    try:
        r.boot()
        yield r
    finally:
        r.close()


def test_monitor_logs_per_flow_counters(monitor):
    pkts = (udp(9, 12, sport=2000)[:12] + udp(80, 7, sport=3000)[:7])
    # udp() spreads sports over 3 values: 2000..2002 and 3000..3002.
    out, back, delta = monitor.send(pkts)
    assert len(out) == 19
    expect = {}
    for p in pkts:
        k = (p["UDP"].sport, p["UDP"].dport)
        expect[k] = expect.get(k, 0) + 1

    def flows():
        found = {}
        for m in re.finditer(r"NFV-FLOW src=10.0.1.2 dst=10.0.2.2 proto=udp "
                             r"sport=(\d+) dport=(\d+) packets=(\d+)",
                             monitor.vm.console("mon")):
            found[(int(m.group(1)), int(m.group(2)))] = int(m.group(3))
        return found
    import time
    deadline = time.time() + 15
    while time.time() < deadline and flows() != expect:
        time.sleep(0.5)
    assert flows() == expect, monitor.vm.console("mon")[-2000:]
