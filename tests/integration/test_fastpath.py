"""The flow caches in front of the OpenFlow pipeline, through the real
daemon: which packets take the exact-match and megaflow caches and which
are translated (pmd-stats-show), the entries (dpctl/dump-flows), the walk
(ofproto/trace), revalidation when the tables change under traffic,
max-idle expiry, flow-limit and dpctl/del-flows."""

import os
import re
import time

import pytest

from sandbox import pcap_args, uniq, wait_for, write_pcap

scapy = pytest.importorskip("scapy.all")
from scapy.all import Ether, IP, UDP, Raw  # noqa: E402

MAC_A = "00:00:00:00:00:0a"
MAC_B = "00:00:00:00:00:0b"


def null_args(name):
    return {"dpdk-devargs": "net_null_%s%s,no-rx=1" % (name, uniq("")[:6])}


def add_sinks(sb, br, n, flows=()):
    """net_null sinks p2..p(n+1) on OpenFlow ports 2..n+1, and a flow table
    of just 'flows'."""
    for i in range(2, n + 2):
        sb.add_port(br, "p%d" % i, "dpdk", i, null_args("p%d" % i))
    sb.ofctl("del-flows", br)
    for f in flows:
        sb.ofctl("add-flow", br, f)


def udp_traffic_to_p2(sb, br):
    """Sinks p2 and p3, "udp,tp_dst=5000 -> p2" over a drop-all rule, and
    p1 sending UDP to port 5000 at full rate until p2 has 100,000."""
    add_sinks(sb, br, 2, [
        "udp,tp_dst=5000,actions=output:2",
        "priority=0,actions=drop"])
    inp = write_pcap(sb.dir, "to_p2.pcap", frames(256, [5000], 64))
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", rx=inp, infinite=True))
    wait_for(lambda: sb.stat("p2", "tx_packets") > 100000, what="traffic")


def frames(n, dports, sports=1):
    """'n' UDP frames cycling through the destination ports 'dports' and
    'sports' source ports."""
    out = []
    for i in range(n):
        pkt = Ether(src=MAC_A, dst=MAC_B) / \
            IP(src="10.0.0.1", dst="10.0.1.1") / \
            UDP(sport=1000 + i % sports, dport=dports[i % len(dports)]) / \
            Raw(b"x" * 18)
        out.append(pkt)
    return out


def odp_no(sb, name):
    m = re.search(r"port (\d+): %s " % re.escape(name),
                  sb.appctl("dpctl/show"))
    assert m, sb.appctl("dpctl/show")
    return int(m.group(1))


def dump_flows(sb):
    return [line for line in sb.appctl("dpctl/dump-flows").splitlines()
            if line.startswith("recirc_id(0)")]


# UDP to p2 in two subtables (the drop rule on tp_dst makes entries match
# exact destination ports).
LIMIT_FLOWS = ["udp,actions=output:2",
               "priority=40000,udp,tp_dst=1,actions=drop"]


@pytest.fixture
def limits_reset(dpdk_bridge):
    sb, br = dpdk_bridge
    yield sb, br
    sb.vsctl("remove", "Open_vSwitch", ".", "other_config", "max-idle")
    sb.vsctl("remove", "Open_vSwitch", ".", "other_config", "flow-limit")
    sb.vsctl("remove", "Open_vSwitch", ".", "other_config",
             "upcall-rate-limit")


def test_cache_counters_dump_and_trace(dpdk_bridge):
    sb, br = dpdk_bridge
    add_sinks(sb, br, 2, [
        "priority=10,udp,tp_dst=5000,actions=output:2",
        "priority=0,actions=output:3"])
    inp = write_pcap(sb.dir, "fc1.pcap", frames(64, [5000, 5001], 8))
    sb.appctl("dpif-netdev/pmd-stats-clear")
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", rx=inp))
    wait_for(lambda: sb.stat("p2", "tx_packets") == 32
             and sb.stat("p3", "tx_packets") == 32, what="all 64 out")
    st = sb.pmd_stats(core=1)[1]
    # Two translations (one per destination port: the rules look at
    # tp_dst, not at the source ports), every other packet a cache hit.
    assert st["packets received"] == 64
    # Port status changes right after p1 joins may publish a new snapshot
    # of the tables, whose first packets are translated again.
    upcalls = st["miss with success upcall"]
    assert 2 <= upcalls <= 6 and upcalls % 2 == 0
    assert st["emc hits"] + st["megaflow hits"] == 64 - upcalls
    flows = dump_flows(sb)
    assert len(flows) == 2, flows
    in_no, p2_no, p3_no = (odp_no(sb, "p1"), odp_no(sb, "p2"),
                           odp_no(sb, "p3"))
    by_port = {}
    for line in flows:
        assert line.startswith("recirc_id(0),in_port(%d)," % in_no), line
        assert "eth_type(0x0800),ipv4(proto=17" in line, line
        # Only the fields the pipeline looked at: no addresses, no source
        # port.
        assert "eth(" not in line and "src=" not in line, line
        m = re.search(r"udp\(dst=(\d+)\), packets:(\d+), bytes:(\d+), "
                      r"used:[\d.]+s, actions:(\d+)$", line)
        assert m, line
        by_port[int(m.group(1))] = (int(m.group(2)), int(m.group(4)))
    assert by_port == {5000: (32, p2_no), 5001: (32, p3_no)}
    # OpenFlow counters still count every packet.
    assert "n_packets=32," in sb.ofctl("dump-flows", br, "udp,tp_dst=5000")

    trace = sb.appctl("ofproto/trace", br,
                      "in_port=1,udp,nw_src=10.0.0.1,tp_src=7,tp_dst=5000")
    assert re.search(r"^ 0\. priority 10, cookie 0x0$", trace, re.M), trace
    assert "Megaflow: recirc_id(0),in_port(%d),packet_type(ns=0,id=0)," \
        "eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=5000)" % in_no in trace
    assert re.search(r"^Datapath actions: %d$" % p2_no, trace, re.M), trace
    trace = sb.appctl("ofproto/trace", br, "in_port=1,arp")
    assert re.search(r"^Datapath actions: %d$" % p3_no, trace, re.M), trace
    rc = sb.run(["ovs-appctl", "-t", "ovs-vswitchd", "ofproto/trace", br,
                 "in_port=1,nosuchfield=3"], check=False)
    assert rc.returncode != 0 and "nosuchfield" in rc.stderr

    sb.appctl("dpctl/del-flows")
    assert dump_flows(sb) == []
    assert re.search(r"^  flows: 0$", sb.appctl("dpctl/show"), re.M)


def test_rule_change_under_traffic(dpdk_bridge):
    """After the barrier reply of a flow-mod, no packet takes the old
    path: the counter of the old output port stops for good."""
    sb, br = dpdk_bridge
    udp_traffic_to_p2(sb, br)
    for new, old in (("p3", "p2"), ("p2", "p3"), ("p3", "p2")):
        # ovs-ofctl waits for the barrier reply before it exits.
        sb.ofctl("mod-flows", br, "udp,tp_dst=5000,actions=output:%s"
                 % new[1])
        stopped = sb.stat(old, "tx_packets")
        time.sleep(0.3)
        assert sb.stat(old, "tx_packets") == stopped
        before = sb.stat(new, "tx_packets")
        wait_for(lambda: sb.stat(new, "tx_packets") > before + 100000,
                 what="traffic on the new port")
    # A group behind the rule: changing the group redirects too.
    sb.ofctl("-O", "OpenFlow13", "add-group", br,
             "group_id=1,type=indirect,bucket=output:2")
    sb.ofctl("-O", "OpenFlow13", "mod-flows", br,
             "udp,tp_dst=5000,actions=group:1")
    before = sb.stat("p2", "tx_packets")
    wait_for(lambda: sb.stat("p2", "tx_packets") > before + 100000,
             what="traffic through the group")
    sb.ofctl("-O", "OpenFlow13", "mod-group", br,
             "group_id=1,type=indirect,bucket=output:3")
    stopped = sb.stat("p2", "tx_packets")
    time.sleep(0.3)
    assert sb.stat("p2", "tx_packets") == stopped, \
        sb.appctl("dpctl/dump-flows")
    sb.vsctl("del-port", br, "p1")


def test_fragment_handling(dpdk_bridge):
    """ovs-ofctl set-frags: "normal" sends IP fragments through the tables
    with transport ports 0, "drop" drops them before table 0; whole
    datagrams are not affected."""
    sb, br = dpdk_bridge
    add_sinks(sb, br, 2, [
        "udp,tp_dst=5000,actions=output:2",
        "priority=10,ip,actions=output:3"])
    whole = frames(16, [5000])
    ip = IP(src="10.0.0.1", dst="10.0.1.1", proto=17)
    first = [Ether(src=MAC_A, dst=MAC_B) / IP(src="10.0.0.1", dst="10.0.1.1",
                                              flags="MF", id=i) /
             UDP(sport=1000, dport=5000) / Raw(b"x" * 32) for i in range(8)]
    later = [Ether(src=MAC_A, dst=MAC_B) / ip.copy() / Raw(b"x" * 32)
             for i in range(8)]
    for i, pkt in enumerate(later):
        pkt[IP].id = i
        pkt[IP].frag = 5
    inp = write_pcap(sb.dir, "frag.pcap", whole + first + later)
    expect = {"normal": (16, 16), "drop": (16, 0)}
    for round_, mode in enumerate(("normal", "drop")):
        sb.ofctl("set-frags", br, mode)
        assert sb.ofctl("get-frags", br).strip() == mode
        p2, p3 = sb.stat("p2", "tx_packets"), sb.stat("p3", "tx_packets")
        name = "p1%d" % round_
        sb.add_port(br, name, "dpdk", 10 + round_,
                    pcap_args(name, rx=inp))
        wait_for(lambda: sb.stat(name, "rx_packets") == 32, what="32 in")
        want2, want3 = expect[mode]
        wait_for(lambda: sb.stat("p2", "tx_packets") - p2 == want2,
                 what="%d whole datagrams out (%s)" % (want2, mode))
        time.sleep(0.2)
        assert sb.stat("p3", "tx_packets") - p3 == want3, mode
        # Entries that looked at transport ports carry the fragment status;
        # dropped fragments do not reach table 0.
        dump = "\n".join(dump_flows(sb))
        assert "ipv4(proto=17,frag=no),udp(dst=5000), packets:16," in dump
        if mode == "drop":
            for kind in ("first", "later"):
                assert "ipv4(frag=%s), packets:8," % kind in dump, dump
            assert "actions:3" not in dump
        else:
            assert "ipv4(proto=17,frag=later),udp(dst=0), packets:8," \
                in dump, dump
        # A packet-out through the tables (the uncached pipeline) too.
        p2, p3 = sb.stat("p2", "tx_packets"), sb.stat("p3", "tx_packets")
        sb.ofctl("-O", "OpenFlow13", "packet-out", br,
                 "in_port=controller,packet=%s,actions=table"
                 % bytes(first[0]).hex())
        time.sleep(0.2)
        assert sb.stat("p3", "tx_packets") - p3 == (want3 > 0), mode
        assert sb.stat("p2", "tx_packets") == p2, mode
        sb.vsctl("del-port", br, name)
    sb.ofctl("set-frags", br, "normal")


def test_port_mod_flags_in_normal(dpdk_bridge):
    """The NORMAL action honours port-mod config bits: no flooding to a
    no_flood port, nothing at all to a no_fwd port (even when the
    destination was learned there)."""
    sb, br = dpdk_bridge
    sb.keep_floods_off_the_tap(br)
    add_sinks(sb, br, 2, ["actions=NORMAL"])
    sb.ofctl("mod-port", br, "p3", "no-flood")
    inp = write_pcap(sb.dir, "nf.pcap", frames(32, [5000]))
    sb.add_port(br, "p10", "dpdk", 10, pcap_args("p10", rx=inp))
    wait_for(lambda: sb.stat("p2", "tx_packets") == 32, what="flood to p2")
    time.sleep(0.2)
    assert sb.stat("p3", "tx_packets") == 0
    # Destination known behind p3, which may not forward: dropped.
    sb.ofctl("mod-port", br, "p3", "flood")
    sb.ofctl("mod-port", br, "p3", "no-forward")
    sb.appctl("fdb/add", br, "p3", "0", MAC_B)
    sb.add_port(br, "p11", "dpdk", 11, pcap_args("p11", rx=inp))
    wait_for(lambda: sb.stat("p11", "rx_packets") == 32, what="32 in")
    time.sleep(0.2)
    assert sb.stat("p3", "tx_packets") == 0
    assert sb.stat("p2", "tx_packets") == 32
    # Allowed again: the next packets go to p3.
    sb.ofctl("mod-port", br, "p3", "forward")
    sb.add_port(br, "p12", "dpdk", 12, pcap_args("p12", rx=inp))
    wait_for(lambda: sb.stat("p3", "tx_packets") == 32, what="32 to p3")
    assert sb.stat("p2", "tx_packets") == 32


def test_max_idle_and_flow_limit(limits_reset):
    sb, br = limits_reset
    sb.vsctl("set", "Open_vSwitch", ".", "other_config:max-idle=300",
             "other_config:flow-limit=4")
    add_sinks(sb, br, 1, LIMIT_FLOWS)
    dports = list(range(100, 116))
    inp = write_pcap(sb.dir, "fc3.pcap", frames(64, dports))
    sb.appctl("dpif-netdev/pmd-stats-clear")
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", rx=inp))
    # Over the limit the packets still go through the pipeline, uncached.
    wait_for(lambda: sb.stat("p2", "tx_packets") == 64, what="64 out")
    assert len(dump_flows(sb)) == 4
    st = sb.pmd_stats(core=1)[1]
    assert st["packets received"] == 64
    # 4 installed; the other 12 ports' packets are translated every time.
    assert st["miss with success upcall"] == 64 - 3 * 4
    # Idle entries expire after max-idle.
    wait_for(lambda: dump_flows(sb) == [], timeout=5, what="expiry")
    assert re.search(r"^  flows: 0$", sb.appctl("dpctl/show"), re.M)


def test_upcall_rate_limit(limits_reset):
    """A flood of new flows beyond other_config:upcall-rate-limit is
    dropped ("miss with failed upcall") while cached flows keep going."""
    sb, br = limits_reset
    sb.vsctl("set", "Open_vSwitch", ".", "other_config:flow-limit=4",
             "other_config:upcall-rate-limit=1000")
    add_sinks(sb, br, 1, LIMIT_FLOWS)
    inp = write_pcap(sb.dir, "fc4.pcap", frames(256, list(range(100, 116))))
    sb.add_port(br, "p1", "dpdk", 1, pcap_args("p1", rx=inp, infinite=True))
    # Four destination ports get cache entries; the other twelve are new
    # flows for ever (flow-limit), far more than 1000 per second.
    wait_for(lambda: len(dump_flows(sb)) == 4, what="4 cached flows")
    sb.appctl("dpif-netdev/pmd-stats-clear")
    before = sb.stat("p2", "tx_packets")
    t0 = time.monotonic()
    time.sleep(1.0)
    st = sb.pmd_stats(core=1)[1]
    elapsed = time.monotonic() - t0
    after = sb.stat("p2", "tx_packets")
    assert st["miss with success upcall"] <= 1000 * (elapsed + 0.5) + 101
    assert st["miss with failed upcall"] > 10 * st["miss with success upcall"]
    # The cached flows (a quarter of the traffic) keep forwarding.
    assert after - before > 100000
    sb.vsctl("del-port", br, "p1")


def test_change_in_another_table_keeps_entries(dpdk_bridge):
    """Only the cache entries that looked up a changed table are translated
    again; the others are carried over to the new tables."""
    sb, br = dpdk_bridge
    udp_traffic_to_p2(sb, br)
    sb.appctl("dpif-netdev/pmd-stats-clear")
    # Table 1 is never reached by this traffic.
    sb.ofctl("-O", "OpenFlow13", "add-flow", br,
             "table=1,priority=5,ip,actions=drop")
    time.sleep(0.3)
    st = sb.pmd_stats(core=1)[1]
    assert st["miss with success upcall"] == 0
    assert st["megaflow hits"] > 0
    # A change in table 0 does reach it: one translation, then hits.
    sb.ofctl("mod-flows", br, "udp,tp_dst=5000,actions=output:3")
    time.sleep(0.3)
    st = sb.pmd_stats(core=1)[1]
    assert st["miss with success upcall"] == 1
    before = sb.stat("p3", "tx_packets")
    wait_for(lambda: sb.stat("p3", "tx_packets") > before + 100000,
             what="traffic on p3")
    sb.vsctl("del-port", br, "p1")
