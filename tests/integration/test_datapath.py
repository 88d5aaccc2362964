"""Datapath integration tests with DPDK vdev ports (net_null, net_pcap,
net_ring) through tests/dpif-driver: DPDK status, Interface errors, NORMAL
forwarding with learning, flooding, VLANs and aging, port-to-port rules,
the ovs-appctl statistics commands."""

import os
import re
import time

import pytest

from dpdriver import DriverEnv, AppctlError, wait_for

scapy = pytest.importorskip("scapy.all")
from scapy.all import Ether, Dot1Q, IP, UDP, Raw, wrpcap, rdpcap  # noqa


MAC_A = "00:00:00:00:00:0a"
MAC_B = "00:00:00:00:00:0b"


def udp_frames(src, dst, n, vlan=None, flows=10):
    frames = []
    for i in range(n):
        eth = Ether(src=src, dst=dst)
        if vlan is not None:
            eth = eth / Dot1Q(vlan=vlan)
        pkt = eth / IP(src="10.0.0.1", dst="10.0.1.%d" % (i % flows + 1)) \
            / UDP(sport=1000 + i % flows, dport=2000) / Raw(b"x" * 18)
        frames.append(pkt)
    return frames


@pytest.fixture
def env(request):
    e = DriverEnv(request.node.name)
    yield e
    e.cleanup()


def pcap_port(env, name, rx=None, tx=None, index=[0]):
    index[0] += 1
    args = "net_pcap_%s%d" % (name, index[0])
    if rx:
        args += ",rx_pcap=" + rx
    if tx:
        args += ",tx_pcap=" + tx
    return "dpdk-devargs=" + args


def write_pcap(env, name, frames):
    path = os.path.join(env.dir, name)
    wrpcap(path, frames)
    return path


def test_dpdk_status_and_bad_devargs(env):
    out = env.appctl("driver/dpdk-status")
    assert "dpdk_initialized=true" in out
    assert re.search(r'dpdk_version="DPDK \d+\.\d+', out)

    env.appctl("driver/add-br", "br0")
    env.appctl("driver/add-port", "br0", "n1", "dpdk", "1",
               "dpdk-devargs=net_null0")
    env.appctl("driver/add-port", "br0", "n2", "dpdk", "2",
               "dpdk-devargs=net_null1")
    rc, _, err = env.appctl_result("driver/add-port", "br0", "bad", "dpdk",
                                   "3", "dpdk-devargs=net_nosuch0")
    assert rc != 0
    assert "Error attaching device 'net_nosuch0' to DPDK" in err
    # The other ports keep forwarding: net_null receives all the time.
    before = env.stat("n1", "rx_packets")
    wait_for(lambda: env.stat("n1", "rx_packets") > before + 1000,
             what="n1 receiving")
    assert env.port("n1")["link_state"] == "up"
    show = env.appctl("dpif/show")
    assert re.search(r"^netdev@ovs-netdev: hit:\d+ missed:0$", show, re.M)
    assert "    n1 1/" in show and "(dpdk: configured_rx_queues=1" in show
    assert "    bad 3/" in show


def test_dpdk_port_needs_dpdk(request):
    e = DriverEnv(request.node.name, dpdk=False)
    try:
        assert "dpdk_initialized=false" in e.appctl("driver/dpdk-status")
        e.appctl("driver/add-br", "br0")
        rc, _, err = e.appctl_result("driver/add-port", "br0", "p1", "dpdk",
                                     "1", "dpdk-devargs=net_null0")
        assert rc != 0 and "DPDK is not initialized" in err
        rc, _, err = e.appctl_result("driver/add-port", "br0", "v1",
                                     "dpdkvhostuser", "2")
        assert rc != 0 and "DPDK is not initialized" in err
        rc, _, err = e.appctl_result("driver/add-port", "br0", "s1", "", "3")
        assert rc != 0 and "not supported" in err
    finally:
        e.cleanup()


def test_normal_flood_and_learning(env):
    env.appctl("driver/add-br", "br0")
    a_in = write_pcap(env, "a.pcap", udp_frames(MAC_A, MAC_B, 100))
    b_in = write_pcap(env, "b.pcap", udp_frames(MAC_B, MAC_A, 50))
    out1 = os.path.join(env.dir, "out1.pcap")
    out2 = os.path.join(env.dir, "out2.pcap")
    out3 = os.path.join(env.dir, "out3.pcap")
    env.appctl("driver/add-port", "br0", "p3", "dpdk", "3",
               pcap_port(env, "c", tx=out3))
    env.appctl("driver/add-port", "br0", "p1", "dpdk", "1",
               pcap_port(env, "a", rx=a_in, tx=out1))
    wait_for(lambda: env.stat("p1", "rx_packets") == 100, what="a.pcap")
    fdb = env.appctl("fdb/show", "br0")
    assert fdb.splitlines()[0] == " port  VLAN  MAC                Age"
    assert re.search(r"^\s+1\s+0\s+%s\s+\d+$" % MAC_A, fdb, re.M), fdb
    # B answers from a new port: unicast to p1 only, not flooded to p3.
    env.appctl("driver/add-port", "br0", "p2", "dpdk", "2",
               pcap_port(env, "b", rx=b_in, tx=out2))
    wait_for(lambda: env.stat("p2", "rx_packets") == 50, what="b.pcap")
    wait_for(lambda: env.stat("p1", "tx_packets") == 50, what="p1 tx")
    assert env.stat("p3", "tx_packets") == 100
    stats = env.pmd_stats()
    assert stats[1]["packets received"] == 150
    assert stats[1]["megaflow hits"] == 150
    for name in ("p1", "p2", "p3"):
        env.appctl("driver/del-port", "br0", name)
    got3 = rdpcap(out3)
    got1 = rdpcap(out1)
    assert len(got3) == 100 and all(p.src == MAC_A for p in got3)
    assert len(got1) == 50 and all(p.dst == MAC_A for p in got1)
    assert bytes(got1[0]) == bytes(udp_frames(MAC_B, MAC_A, 1)[0])


def test_mac_aging(env):
    env.appctl("driver/add-br", "br0")
    env.appctl("driver/set-bridge", "br0", "mac-aging-time=2")
    a_in = write_pcap(env, "a.pcap", udp_frames(MAC_A, MAC_B, 10))
    env.appctl("driver/add-port", "br0", "p1", "dpdk", "1",
               pcap_port(env, "a", rx=a_in))
    wait_for(lambda: MAC_A in env.appctl("fdb/show", "br0"),
             what="learning")
    wait_for(lambda: MAC_A not in env.appctl("fdb/show", "br0"), timeout=8,
             what="aging")
    rc, _, err = env.appctl_result("fdb/show", "nobr")
    assert rc == 2 and "no such bridge" in err


def test_vlans(env):
    env.appctl("driver/add-br", "br0")
    outs = {n: os.path.join(env.dir, n + ".pcap")
            for n in ("acc10", "trk10", "acc20", "trk20")}
    env.appctl("driver/add-port", "br0", "acc10", "dpdk", "2",
               pcap_port(env, "acc10", tx=outs["acc10"]), "tag=10")
    env.appctl("driver/add-port", "br0", "trk10", "dpdk", "3",
               pcap_port(env, "trk10", tx=outs["trk10"]),
               "vlan_mode=trunk", "trunks=10,30")
    env.appctl("driver/add-port", "br0", "acc20", "dpdk", "4",
               pcap_port(env, "acc20", tx=outs["acc20"]), "tag=20")
    env.appctl("driver/add-port", "br0", "trk20", "dpdk", "5",
               pcap_port(env, "trk20", tx=outs["trk20"]),
               "vlan_mode=trunk", "trunks=20")
    # Tagged VLAN 10 frames into a trunk port carrying every VLAN.
    inp = write_pcap(env, "in.pcap", udp_frames(MAC_A, "ff:ff:ff:ff:ff:ff",
                                                20, vlan=10))
    env.appctl("driver/add-port", "br0", "in", "dpdk", "1",
               pcap_port(env, "in", rx=inp))
    wait_for(lambda: env.stat("in", "rx_packets") == 20, what="in.pcap")
    wait_for(lambda: env.stat("acc10", "tx_packets") == 20, what="acc10")
    # An untagged frame into access port 20 stays in VLAN 20.
    env.appctl("driver/del-port", "br0", "in")
    inp2 = write_pcap(env, "in2.pcap",
                      udp_frames(MAC_B, "ff:ff:ff:ff:ff:ff", 7))
    env.appctl("driver/add-port", "br0", "in2", "dpdk", "6",
               pcap_port(env, "in2", rx=inp2), "tag=20")
    wait_for(lambda: env.stat("trk20", "tx_packets") == 7, what="trk20")
    fdb = env.appctl("fdb/show", "br0")
    assert re.search(r"^\s+6\s+20\s+%s" % MAC_B, fdb, re.M), fdb
    assert re.search(r"^\s+1\s+10\s+%s" % MAC_A, fdb, re.M) is None
    time.sleep(0.3)
    for name in ("acc10", "trk10", "acc20", "trk20", "in2"):
        env.appctl("driver/del-port", "br0", name)
    acc10 = rdpcap(outs["acc10"])
    trk10 = rdpcap(outs["trk10"])
    acc20 = rdpcap(outs["acc20"])
    trk20 = rdpcap(outs["trk20"])
    assert len(acc10) == 20 and not any(p.haslayer(Dot1Q) for p in acc10)
    assert len(trk10) == 20 and all(p[Dot1Q].vlan == 10 for p in trk10)
    # acc20 saw only the VLAN 20 frames, untagged; nothing of VLAN 10.
    assert len(acc20) == 7 and not any(p.haslayer(Dot1Q) for p in acc20)
    assert all(p.src == MAC_B for p in acc20)
    assert len(trk20) == 7 and all(p[Dot1Q].vlan == 20 for p in trk20)
    # The untagged payload came through the trunk unchanged but tagged.
    assert bytes(trk20[0][Dot1Q].payload) == \
        bytes(udp_frames(MAC_B, "ff:ff:ff:ff:ff:ff", 1)[0][IP])


def test_port_to_port_rule_and_counters(env):
    env.appctl("driver/add-br", "br0")
    out2 = os.path.join(env.dir, "out2.pcap")
    out3 = os.path.join(env.dir, "out3.pcap")
    env.appctl("driver/add-port", "br0", "p2", "dpdk", "2",
               pcap_port(env, "p2", tx=out2))
    env.appctl("driver/add-port", "br0", "p3", "dpdk", "3",
               pcap_port(env, "p3", tx=out3))
    env.appctl("driver/set-fwd", "br0", "1", "3")
    inp = write_pcap(env, "in.pcap", udp_frames(MAC_A, MAC_B, 64))
    env.appctl("dpif-netdev/pmd-stats-clear")
    env.appctl("driver/add-port", "br0", "p1", "dpdk", "1",
               pcap_port(env, "p1", rx=inp))
    wait_for(lambda: env.stat("p3", "tx_packets") == 64, what="p3 tx")
    assert env.stat("p2", "tx_packets") == 0
    stats = env.pmd_stats(core=1)
    assert list(stats) == [1]                     # -pmd shows one PMD
    assert stats[1]["packets received"] == 64
    assert stats[1]["simple match hits"] == 64
    assert stats[1]["megaflow hits"] == 0
    text = env.appctl("dpif-netdev/pmd-stats-show")
    labels = ["packets received", "packet recirculations",
              "avg. datapath passes per packet", "phwol hits",
              "mfex opt hits", "simple match hits", "emc hits", "smc hits",
              "megaflow hits", "avg. subtable lookups per megaflow hit",
              "miss with success upcall", "miss with failed upcall",
              "avg. packets per output batch", "idle cycles",
              "processing cycles", "avg cycles per packet",
              "avg processing cycles per packet"]
    block = text.split("main thread:")[0].splitlines()
    assert block[0] == "pmd thread numa_id 0 core_id 1:"
    assert [l.split(":")[0].strip() for l in block[1:]] == labels
    assert re.search(r"^  idle cycles: \d+ \(\d+\.\d\d%\)$", text, re.M)
    m = re.search(r"^  avg cycles per packet: ([\d.]+) \((\d+)/(\d+)\)$",
                  text, re.M)
    assert m and int(m.group(3)) == 64
    assert abs(float(m.group(1)) - int(m.group(2)) / 64) < 0.01
    perf = env.appctl("dpif-netdev/pmd-perf-show")
    assert re.search(r"^  Rx packets:\s+64  \(\d+ Kpps, \d+ cycles/pkt\)$",
                     perf, re.M), perf
    assert re.search(r"^  - Simple Match hits:\s+64  \(100\.0 %\)$", perf,
                     re.M)
    assert re.search(r"^Measurement duration: [\d.]+ s$", perf, re.M)
    # Drop rule, then back to NORMAL (flood to p2 and p3).
    env.appctl("driver/clear-fwd", "br0", "1")
    env.appctl("dpif-netdev/pmd-stats-clear")
    assert env.pmd_stats()[1]["packets received"] == 0


def test_net_ring_and_internal_port(env):
    env.appctl("driver/add-br", "br0")
    # A net_ring pair as a physical port: loopback within one process.
    env.appctl("driver/add-port", "br0", "r1", "dpdk", "1",
               "dpdk-devargs=net_ring_r1")
    assert env.port("r1")["status:driver_name"] == "net_ring"
    if not os.path.exists("/dev/net/tun"):
        pytest.skip("no /dev/net/tun")
    tap = "nfv%s" % env.prefix[-8:]
    env.appctl("driver/add-port", "br0", tap, "internal", "LOCAL")
    port = env.port(tap)
    assert int(port["ifindex"]) > 0
    assert os.path.exists("/sys/class/net/%s" % tap)
    assert "%s 65534/" % tap in env.appctl("dpif/show")
    assert "(tap)" in env.appctl("dpif/show")


def test_internal_port_traffic(env):
    """The bridge's internal port is a TAP device the main thread serves:
    frames the host sends on it reach the datapath, frames flooded by the
    datapath reach the host."""
    import socket
    import subprocess
    if not os.path.exists("/dev/net/tun"):
        pytest.skip("no /dev/net/tun")
    env.appctl("driver/add-br", "br0")
    tap = "nfv%s" % env.prefix[-8:]
    out = os.path.join(env.dir, "out.pcap")
    env.appctl("driver/add-port", "br0", tap, "internal", "LOCAL")
    env.appctl("driver/add-port", "br0", "p1", "dpdk", "1",
               pcap_port(env, "p1", tx=out))
    subprocess.run(["ip", "link", "set", "dev", tap, "up"], check=True)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    try:
        s.bind((tap, 0))
        s.settimeout(5)
        frame = bytes(udp_frames(MAC_A, "ff:ff:ff:ff:ff:ff", 1)[0])
        for _ in range(5):
            s.send(frame)
        wait_for(lambda: env.stat("p1", "tx_packets") >= 5,
                 what="host frames through the datapath")
        assert env.stat(tap, "rx_packets") >= 5
        # And back: a broadcast from p1 floods to the host.
        inp = write_pcap(env, "in.pcap",
                         udp_frames(MAC_B, "ff:ff:ff:ff:ff:ff", 3))
        env.appctl("driver/add-port", "br0", "p2", "dpdk", "2",
                   pcap_port(env, "p2", rx=inp))
        got = 0
        deadline = time.time() + 5
        while got < 3 and time.time() < deadline:
            data = s.recv(2048)
            if data[6:12] == bytes.fromhex(MAC_B.replace(":", "")):
                got += 1
        assert got == 3
        wait_for(lambda: env.stat(tap, "tx_packets") >= 3, what="tap tx")
    finally:
        s.close()
