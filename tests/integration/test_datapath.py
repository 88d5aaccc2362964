"""The DPDK datapath through the real daemon: ports on DPDK vdevs (net_null,
net_pcap, net_ring) configured with ovs-vsctl, results read with ovs-vsctl
and ovs-appctl.  DPDK status, Interface errors, NORMAL forwarding with
learning, flooding, VLANs and aging, internal ports, MTU, the statistics
commands."""

import os
import re
import socket
import subprocess
import time

import pytest

from sandbox import pcap_args, uniq, udp_frames, wait_for, write_pcap

scapy = pytest.importorskip("scapy.all")
from scapy.all import Dot1Q, IP, rdpcap  # noqa: E402


MAC_A = "00:00:00:00:00:0a"
MAC_B = "00:00:00:00:00:0b"
BCAST = "ff:ff:ff:ff:ff:ff"


def add_bridge(sb):
    br = uniq("dp")
    sb.vsctl("add-br", br, "--", "set", "Bridge", br, "datapath_type=netdev")
    return br


def appctl_result(sb, *args):
    p = sb.run(["ovs-appctl", "-t", "ovs-vswitchd"] + list(args),
               check=False)
    return p.returncode, p.stdout, p.stderr


def test_dpdk_status_and_bad_devargs(dpdk_bridge):
    sb, br = dpdk_bridge
    assert sb.get("Open_vSwitch", ".", "dpdk_initialized") == "true"
    assert re.match(r"DPDK \d+\.\d+",
                    sb.get("Open_vSwitch", ".", "dpdk_version"))

    sb.add_port(br, "n1", "dpdk", 1, {"dpdk-devargs": "net_null0"})
    sb.add_port(br, "n2", "dpdk", 2, {"dpdk-devargs": "net_null1"})
    proc = sb.add_port(br, "bad", "dpdk", 3,
                       {"dpdk-devargs": "net_nosuch0"})
    assert "Error detected while setting up 'bad'" in proc.stderr
    assert sb.iface("bad", "error") == \
        "Error attaching device 'net_nosuch0' to DPDK"
    assert sb.iface("bad", "ofport") == "-1"
    # The other ports keep forwarding: net_null receives all the time.
    before = sb.stat("n1", "rx_packets")
    wait_for(lambda: sb.stat("n1", "rx_packets") > before + 1000,
             what="n1 receiving")
    # Link state is polled from the device by the main thread.
    wait_for(lambda: sb.iface("n1", "link_state") == "up", what="link up")
    show = sb.appctl("dpif/show")
    assert re.search(r"^netdev@ovs-netdev: hit:\d+ missed:0$", show, re.M)
    assert "    n1 1/" in show and "(dpdk: configured_rx_queues=1" in show
    # The daemon keeps an interface that failed out of the datapath.
    assert "    bad " not in show
    ports = sb.port_stats()
    assert set(ports) == {br, "n1", "n2"}


def test_dpdk_port_needs_dpdk(vswitchd):
    sb = vswitchd
    assert sb.get("Open_vSwitch", ".", "dpdk_initialized") == "false"
    br = add_bridge(sb)
    for name, type_, options in (("p1", "dpdk",
                                  {"dpdk-devargs": "net_null0"}),
                                 ("v1", "dpdkvhostuser", {})):
        proc = sb.add_port(br, name, type_, options=options)
        assert "Error detected while setting up '%s'" % name in proc.stderr
        assert "DPDK is not initialized" in sb.iface(name, "error")
        assert sb.iface(name, "ofport") == "-1"
    sb.add_port(br, "s1", "system")
    assert "not supported" in sb.iface("s1", "error")


def test_normal_flood_and_learning(dpdk_bridge):
    sb, br = dpdk_bridge
    a_in = write_pcap(sb.dir, "a.pcap", udp_frames(MAC_A, MAC_B, 100))
    b_in = write_pcap(sb.dir, "b.pcap", udp_frames(MAC_B, MAC_A, 50))
    out1 = os.path.join(sb.dir, "out1.pcap")
    out2 = os.path.join(sb.dir, "out2.pcap")
    out3 = os.path.join(sb.dir, "out3.pcap")
    sb.add_port(br, "p3", "dpdk", 3, pcap_args("c", tx=out3))
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("a", rx=a_in, tx=out1))
    wait_for(lambda: sb.stat("p1", "rx_packets") == 100, what="a.pcap")
    fdb = sb.appctl("fdb/show", br)
    assert fdb.splitlines()[0] == " port  VLAN  MAC                Age"
    assert re.search(r"^\s+1\s+0\s+%s\s+\d+$" % MAC_A, fdb, re.M), fdb
    # B answers from a new port: unicast to p1 only, not flooded to p3.
    sb.add_port(br, "p2", "dpdk", 2, pcap_args("b", rx=b_in, tx=out2))
    wait_for(lambda: sb.stat("p2", "rx_packets") == 50, what="b.pcap")
    wait_for(lambda: sb.stat("p1", "tx_packets") == 50, what="p1 tx")
    assert sb.stat("p3", "tx_packets") == 100
    stats = sb.pmd_stats()
    assert stats[1]["packets received"] == 150
    assert stats[1]["megaflow hits"] == 150
    for name in ("p1", "p2", "p3"):
        sb.vsctl("del-port", br, name)
    got3 = rdpcap(out3)
    got1 = rdpcap(out1)
    assert len(got3) == 100 and all(p.src == MAC_A for p in got3)
    assert len(got1) == 50 and all(p.dst == MAC_A for p in got1)
    assert bytes(got1[0]) == bytes(udp_frames(MAC_B, MAC_A, 1)[0])


def test_mac_aging(dpdk_bridge):
    sb, br = dpdk_bridge
    sb.vsctl("set", "Bridge", br, "other_config:mac-aging-time=2")
    a_in = write_pcap(sb.dir, "a.pcap", udp_frames(MAC_A, MAC_B, 10))
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("a", rx=a_in))
    wait_for(lambda: MAC_A in sb.appctl("fdb/show", br), what="learning")
    wait_for(lambda: MAC_A not in sb.appctl("fdb/show", br), timeout=8,
             what="aging")
    rc, _, err = appctl_result(sb, "fdb/show", "nobr")
    assert rc == 2 and "no such bridge" in err


def test_vlans(dpdk_bridge):
    sb, br = dpdk_bridge
    outs = {n: os.path.join(sb.dir, n + ".pcap")
            for n in ("acc10", "trk10", "acc20", "trk20")}
    sb.add_port(br, "acc10", "dpdk", 2, pcap_args("acc10", tx=outs["acc10"]),
                port_settings=["tag=10"])
    sb.add_port(br, "trk10", "dpdk", 3, pcap_args("trk10", tx=outs["trk10"]),
                port_settings=["vlan_mode=trunk", "trunks=10,30"])
    sb.add_port(br, "acc20", "dpdk", 4, pcap_args("acc20", tx=outs["acc20"]),
                port_settings=["tag=20"])
    sb.add_port(br, "trk20", "dpdk", 5, pcap_args("trk20", tx=outs["trk20"]),
                port_settings=["vlan_mode=trunk", "trunks=20"])
    # Tagged VLAN 10 frames into a trunk port carrying every VLAN.
    inp = write_pcap(sb.dir, "in.pcap",
                     udp_frames(MAC_A, BCAST, 20, vlan=10))
    sb.add_port(br, "in", "dpdk", 1, pcap_args("in", rx=inp))
    wait_for(lambda: sb.stat("in", "rx_packets") == 20, what="in.pcap")
    wait_for(lambda: sb.stat("acc10", "tx_packets") == 20, what="acc10")
    # An untagged frame into access port 20 stays in VLAN 20.  The daemon
    # applies a Port's VLAN settings just after the interface joins the
    # datapath, so the port starts on a silent device and gets its frames
    # once the tag is in place.
    sb.vsctl("del-port", br, "in")
    inp2 = write_pcap(sb.dir, "in2.pcap", udp_frames(MAC_B, BCAST, 7))
    sb.add_port(br, "in2", "dpdk", 6,
                {"dpdk-devargs": "net_null_%s,no-rx=1" % uniq("")[:6]},
                port_settings=["tag=20"])
    sb.vsctl("set", "Interface", "in2", "options:dpdk-devargs=%s"
             % pcap_args("in2", rx=inp2)["dpdk-devargs"])
    wait_for(lambda: sb.stat("trk20", "tx_packets") == 7, what="trk20")
    fdb = sb.appctl("fdb/show", br)
    assert re.search(r"^\s+6\s+20\s+%s" % MAC_B, fdb, re.M), fdb
    assert re.search(r"^\s+1\s+10\s+%s" % MAC_A, fdb, re.M) is None
    time.sleep(0.3)
    for name in ("acc10", "trk10", "acc20", "trk20", "in2"):
        sb.vsctl("del-port", br, name)
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
        bytes(udp_frames(MAC_B, BCAST, 1)[0][IP])


PMD_STATS_LABELS = [
    "packets received", "packet recirculations",
    "avg. datapath passes per packet", "phwol hits", "mfex opt hits",
    "simple match hits", "emc hits", "smc hits", "megaflow hits",
    "avg. subtable lookups per megaflow hit", "miss with success upcall",
    "miss with failed upcall", "avg. packets per output batch",
    "idle cycles", "processing cycles", "avg cycles per packet",
    "avg processing cycles per packet"]


def test_pmd_stats_commands(dpdk_bridge):
    """pmd-stats-show, pmd-perf-show and pmd-stats-clear count NORMAL
    forwarding (MAC table lookups are "megaflow hits")."""
    sb, br = dpdk_bridge
    out2 = os.path.join(sb.dir, "out2.pcap")
    out3 = os.path.join(sb.dir, "out3.pcap")
    sb.add_port(br, "p2", "dpdk", 2, pcap_args("p2", tx=out2))
    sb.add_port(br, "p3", "dpdk", 3, pcap_args("p3", tx=out3))
    inp = write_pcap(sb.dir, "in.pcap", udp_frames(MAC_A, MAC_B, 64))
    sb.appctl("dpif-netdev/pmd-stats-clear")
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", rx=inp))
    wait_for(lambda: sb.stat("p3", "tx_packets") == 64, what="p3 tx")
    assert sb.stat("p2", "tx_packets") == 64          # Flooded.
    stats = sb.pmd_stats(core=1)
    assert list(stats) == [1]                     # -pmd shows one PMD
    assert stats[1]["packets received"] == 64
    assert stats[1]["megaflow hits"] == 64
    assert stats[1]["simple match hits"] == 0
    text = sb.appctl("dpif-netdev/pmd-stats-show")
    block = text.split("main thread:")[0].splitlines()
    assert block[0] == "pmd thread numa_id 0 core_id 1:"
    assert [l.split(":")[0].strip() for l in block[1:]] == PMD_STATS_LABELS
    assert re.search(r"^  idle cycles: \d+ \(\d+\.\d\d%\)$", text, re.M)
    m = re.search(r"^  avg cycles per packet: ([\d.]+) \((\d+)/(\d+)\)$",
                  text, re.M)
    assert m and int(m.group(3)) == 64
    assert abs(float(m.group(1)) - int(m.group(2)) / 64) < 0.01
    perf = sb.appctl("dpif-netdev/pmd-perf-show")
    assert re.search(r"^  Rx packets:\s+64  \(\d+ Kpps, \d+ cycles/pkt\)$",
                     perf, re.M), perf
    assert re.search(r"^  - Megaflow hits:\s+64  \(100\.0 %", perf, re.M), \
        perf
    assert re.search(r"^Measurement duration: [\d.]+ s$", perf, re.M)
    sb.appctl("dpif-netdev/pmd-stats-clear")
    assert sb.pmd_stats()[1]["packets received"] == 0


def test_port_to_port_openflow_rule(dpdk_bridge):
    """An OpenFlow port-to-port rule forwards without the learning switch."""
    sb, br = dpdk_bridge
    out2 = os.path.join(sb.dir, "out2.pcap")
    out3 = os.path.join(sb.dir, "out3.pcap")
    sb.add_port(br, "p2", "dpdk", 2, pcap_args("p2", tx=out2))
    sb.add_port(br, "p3", "dpdk", 3, pcap_args("p3", tx=out3))
    sb.ofctl("add-flow", br, "in_port=1,actions=output:3")
    inp = write_pcap(sb.dir, "in.pcap", udp_frames(MAC_A, MAC_B, 64))
    sb.appctl("dpif-netdev/pmd-stats-clear")
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", rx=inp))
    wait_for(lambda: sb.stat("p3", "tx_packets") == 64, what="p3 tx")
    assert sb.stat("p2", "tx_packets") == 0
    stats = sb.pmd_stats(core=1)
    assert stats[1]["packets received"] == 64
    # One translation, then the flow cache: every packet from p1 takes the
    # same entry (the rule looks at in_port only).
    assert stats[1]["miss with success upcall"] == 1
    assert stats[1]["megaflow hits"] + stats[1]["emc hits"] == 63
    # The learning switch never saw these packets.
    assert MAC_A not in sb.appctl("fdb/show", br)
    assert "n_packets=64," in sb.ofctl("dump-flows", br, "in_port=1")


def test_net_ring_and_internal_port(dpdk_bridge):
    sb, br = dpdk_bridge
    # A net_ring pair as a physical port: loopback within one process.
    sb.add_port(br, "r1", "dpdk", 1, {"dpdk-devargs": "net_ring_r1"})
    assert sb.iface("r1", "status:driver_name") == "net_ring"
    if not os.path.exists("/dev/net/tun"):
        pytest.skip("no /dev/net/tun")
    tap = uniq("nfv")
    proc = sb.add_port(br, tap, "internal", 2)
    assert "Error" not in proc.stderr, proc.stderr
    assert int(sb.iface(tap, "ifindex")) > 0
    assert os.path.exists("/sys/class/net/%s" % tap)
    show = sb.appctl("dpif/show")
    assert "    %s 2/" % tap in show
    assert re.search(r"^    %s 65534/\d+: \(tap\)$" % br, show, re.M), show


def test_internal_port_traffic(dpdk_bridge):
    """The bridge's internal port is a TAP device: frames the host sends on
    it reach the datapath, frames flooded by the datapath reach the
    host."""
    if not os.path.exists("/dev/net/tun"):
        pytest.skip("no /dev/net/tun")
    sb, br = dpdk_bridge
    out = os.path.join(sb.dir, "out.pcap")
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", tx=out))
    subprocess.run(["ip", "link", "set", "dev", br, "up"], check=True)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    try:
        s.bind((br, 0))
        s.settimeout(5)
        frame = bytes(udp_frames(MAC_A, BCAST, 1)[0])
        for _ in range(5):
            s.send(frame)
        wait_for(lambda: sb.stat("p1", "tx_packets") >= 5,
                 what="host frames through the datapath")
        assert sb.stat(br, "rx_packets") >= 5
        # And back: a broadcast from p2 floods to the host.
        inp = write_pcap(sb.dir, "in.pcap", udp_frames(MAC_B, BCAST, 3))
        sb.add_port(br, "p2", "dpdk", 2, pcap_args("p2", rx=inp))
        got = 0
        deadline = time.time() + 5
        while got < 3 and time.time() < deadline:
            data = s.recv(2048)
            if data[6:12] == bytes.fromhex(MAC_B.replace(":", "")):
                got += 1
        assert got == 3
        wait_for(lambda: sb.stat(br, "tx_packets") >= 3, what="tap tx")
    finally:
        s.close()


def test_mtu_request(dpdk_bridge):
    sb, br = dpdk_bridge
    sb.add_port(br, "n1", "dpdk", 1, {"dpdk-devargs": "net_null0"})
    assert sb.iface("n1", "mtu") == "1500"
    sb.vsctl("set", "Interface", "n1", "mtu_request=9000")
    wait_for(lambda: sb.iface("n1", "mtu") == "9000", what="MTU 9000")
    assert sb.iface("n1", "error") == "[]"
    assert "NUMA 0, MTU 9000" in sb.log()       # A pool for jumbo frames.
    before = sb.stat("n1", "rx_packets")
    wait_for(lambda: sb.stat("n1", "rx_packets") > before + 1000,
             what="n1 receiving after the MTU change")
    sb.vsctl("set", "Interface", "n1", "mtu_request=20")
    assert "MTU 20" in sb.iface("n1", "error")
    assert sb.iface("n1", "mtu") == "9000"
    # A bad device keeps its error in Interface:error.
    sb.add_port(br, "bad", "dpdk", 2, {"dpdk-devargs": "net_nosuch7"})
    assert sb.iface("bad", "error") == \
        "Error attaching device 'net_nosuch7' to DPDK"


def test_dpdk_init_try_survives_a_bad_eal(sandbox):
    sandbox.set_other_config({
        "dpdk-init": "try",
        "dpdk-extra": "--no-pci --in-memory --no-such-eal-option"},
        wait=False)
    sandbox.start_vswitchd()
    br = add_bridge(sandbox)            # Waits for the first configuration.
    wait_for(lambda: "Failed to initialize DPDK" in sandbox.log(),
             what="the EAL failure logged")
    assert sandbox.get("Open_vSwitch", ".", "dpdk_initialized") == "false"
    proc = sandbox.add_port(br, "p1", "dpdk", 1,
                            {"dpdk-devargs": "net_null0"})
    assert "Error detected while setting up 'p1'" in proc.stderr
    assert "DPDK is not initialized" in sandbox.iface("p1", "error")


def test_internal_port_before_dpdk(vswitchd):
    """A bridge's internal port opened before DPDK starts joins the
    datapath once it does."""
    if not os.path.exists("/dev/net/tun"):
        pytest.skip("no /dev/net/tun")
    sb = vswitchd
    br = add_bridge(sb)
    prefix = sb.dpdk_file_prefix("late")
    sb.set_other_config({
        "dpdk-init": "true", "dpdk-lcore-mask": "0x1",
        "pmd-cpu-mask": "0x2",
        "dpdk-extra": "--no-pci --in-memory -m 256 --file-prefix=" + prefix})
    assert sb.get("Open_vSwitch", ".", "dpdk_initialized") == "true"
    out = os.path.join(sb.dir, "out.pcap")
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("late", tx=out))
    wait_for(lambda: any(br == q[0] for qs in sb.rxq_assignment()[0].values()
                         for q in qs),
             what="internal port polled")
    subprocess.run(["ip", "link", "set", "dev", br, "up"], check=True)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                       socket.htons(3)) as s:
        s.bind((br, 0))
        frame = bytes(udp_frames(MAC_A, BCAST, 1)[0])
        for _ in range(3):
            s.send(frame)
        wait_for(lambda: sb.stat("p1", "tx_packets") >= 3,
                 what="host frames through the datapath")
