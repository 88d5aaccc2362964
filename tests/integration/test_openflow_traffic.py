"""The OpenFlow pipeline in the datapath, with real traffic between
dpdk-testpmd virtio-user endpoints: flows steer packets and count them
exactly, modify/delete take effect, select groups spread flows over their
buckets with exact bucket counters, meters drop what exceeds their rate,
packet-out reaches the port.  One switch for the whole module keeps the
run short."""

import os
import re
import time
import uuid

import pytest

from ofswitch import (PeerEnv, VirtioPeer, TESTPMD, add_vhost_ports,
                      n_packets, port_rx, port_tx, start_dpdk_switch,
                      udp_packet,
                      wait_for)
from sandbox import Sandbox

pytestmark = pytest.mark.skipif(not os.path.exists(TESTPMD),
                                reason="dpdk-testpmd not installed")

BR = "of%s" % uuid.uuid4().hex[:8]   # TAP names are host-wide.
OF13 = ("-O", "OpenFlow13")


@pytest.fixture(scope="module")
def switch():
    sb = Sandbox("oftraffic")
    peers = PeerEnv(sb.dir)
    try:
        sb.start_ovsdb()
        start_dpdk_switch(sb)
        sb.vsctl("add-br", BR, "--", "set", "Bridge", BR,
                 "datapath_type=netdev")
        socks = add_vhost_ports(sb, BR, ["v1", "v2", "v3"])
        sinks = [VirtioPeer(peers, socks[1], "rxonly"),
                 VirtioPeer(peers, socks[2], "rxonly")]
        yield sb, peers, socks, sinks
    finally:
        peers.cleanup()
        sb.cleanup()


def send_burst(peers, sock, extra=(), sb=None):
    """Runs a txonly peer on 'sock' (port 1) briefly; returns how many it
    sent, once the switch has taken all of them out of the vring."""
    before = port_rx(sb, BR, 1)
    src = VirtioPeer(peers, sock, "txonly", start=False)
    for cmd in extra:
        src.command(cmd)
    src.command("start")
    import time
    time.sleep(1.0)
    _, tx = src.stop_forwarding()
    wait_for(lambda: port_rx(sb, BR, 1) - before >= tx, 20,
             what="switch drained %d packets" % tx)
    src.stop()
    peers.testpmds.remove(src)
    return tx


_last_tx = {}


def sink_counts(sinks, sb=None):
    """Stops and restarts the sinks' forwarding; returns what the switch
    sent to ports 2 and 3 since the last call (packets handed to the port
    plus those the port dropped because the peer was slow), after checking
    that the peers received exactly what the switch says it delivered."""
    counts = []
    for i, s in enumerate(sinks):
        rx, _ = s.stop_forwarding()
        s.command("clear port stats all")
        s.command("start")
        if sb is None:
            continue
        port = i + 2
        tx, drop = port_tx(sb, BR, port)
        last_tx, last_drop = _last_tx.get(port, (0, 0))
        _last_tx[port] = (tx, drop)
        assert rx == tx - last_tx
        counts.append(tx - last_tx + drop - last_drop)
    return counts


def wait_flow(sb, match, value):
    wait_for(lambda: n_packets(sb, BR, match) >= value, 10,
             what="flow %s counts %d" % (match, value))


def test_flows_steer_and_count_exactly(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "add-flow", BR, "priority=10,in_port=1,actions=output:2")
    tx = send_burst(peers, socks[0], sb=sb)
    assert tx > 1000
    wait_flow(sb, "in_port=1", tx)
    assert n_packets(sb, BR, "in_port=1") == tx
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (tx, 0)

    # Modify: the same flow now goes to port 3, counters kept.
    sb.ofctl(*OF13, "mod-flows", BR, "in_port=1,actions=output:3")
    tx2 = send_burst(peers, socks[0], sb=sb)
    wait_flow(sb, "in_port=1", tx + tx2)
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (0, tx2)

    # Delete: nothing matches, the table-miss drops.
    sb.ofctl("del-flows", BR)
    send_burst(peers, socks[0], sb=sb)
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (0, 0)
    stats = sb.ofctl(*OF13, "dump-tables", BR)
    assert "lookup=" in stats


def test_multi_table_goto_and_rewrite(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "add-flow", BR,
             "table=0,priority=5,in_port=1,"
             "actions=write_metadata:0x5/0xff,goto_table:3")
    sb.ofctl(*OF13, "add-flow", BR,
             "table=3,priority=5,metadata=0x5/0xff,udp,"
             "actions=set_field:10.9.9.9->ip_dst,output:3")
    tx = send_burst(peers, socks[0], sb=sb)
    wait_flow(sb, "metadata=0x5", tx)
    assert n_packets(sb, BR, "goto_table:3") == tx
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (0, tx)


def test_select_group_spreads_with_exact_bucket_counters(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "del-groups", BR)
    sb.ofctl(*OF13, "add-group", BR,
             "group_id=7,type=select,bucket=weight:50,output:2,"
             "bucket=weight:50,output:3")
    sb.ofctl(*OF13, "add-flow", BR, "in_port=1,actions=group:7")
    tx = send_burst(peers, socks[0], sb=sb)
    wait_flow(sb, "group:7", tx)
    rx2, rx3 = sink_counts(sinks, sb)
    assert rx2 + rx3 == tx
    stats = sb.ofctl(*OF13, "dump-group-stats", BR)
    assert "packet_count=%d" % tx in stats
    assert "bucket0:packet_count=%d" % rx2 in stats
    assert "bucket1:packet_count=%d" % rx3 in stats


def test_meter_drops_above_rate(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "del-meters", BR)
    sb.ofctl(*OF13, "add-meter", BR, "meter=1,pktps,band=type=drop,rate=1000")
    sb.ofctl(*OF13, "add-flow", BR, "in_port=1,actions=meter:1,output:2")
    tx = send_burst(peers, socks[0], sb=sb)
    wait_flow(sb, "meter:1", tx)
    rx2, _ = sink_counts(sinks, sb)
    assert 0 < rx2 < tx / 4
    stats = sb.ofctl(*OF13, "meter-stats", BR)
    assert "packet_in_count:%d" % tx in stats, stats
    assert "packet_count:%d" % (tx - rx2) in stats, stats


def test_packet_out_reaches_port(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    pkt = udp_packet().hex()
    for _ in range(5):
        sb.ofctl("packet-out", BR, "CONTROLLER", "output:3", pkt)
    sb.ofctl(*OF13, "packet-out", BR, "in_port=controller,packet=%s,"
             "actions=output:2" % pkt)
    import time
    time.sleep(0.5)
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (1, 5)


def test_header_actions_on_the_wire(switch):
    """push/pop VLAN (stacked), push MPLS, and the pipeline reached from a
    packet-out through OFPP_TABLE, checked in what testpmd receives."""
    sb, peers, socks, sinks = switch
    sink = sinks[0]                       # Port 2.
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "add-flow", BR, "priority=5,in_port=1,udp,actions="
             "push_vlan:0x8100,set_field:4196->vlan_vid,output:2")
    untagged = udp_packet()
    tagged = (untagged[:12] + bytes.fromhex("81000064") + untagged[12:])
    cases = [
        (untagged, "push_vlan:0x8100,set_field:4196->vlan_vid,output:2",
         "type=0x8100 - length=64"),
        (untagged, "push_vlan:0x88a8,set_field:4097->vlan_vid,"
         "push_vlan:0x8100,set_field:4098->vlan_vid,output:2",
         "type=0x8100 - length=68"),
        (untagged, "push_mpls:0x8847,output:2", "type=0x8847 - length=64"),
        (tagged, "pop_vlan,output:2", "type=0x0800 - length=60"),
        (untagged, "TABLE", "type=0x8100 - length=64"),
    ]
    sink.command("set verbose 1")
    try:
        for pkt, actions, want in cases:
            before = sink.output().count(want)
            sb.ofctl(*OF13, "packet-out", BR, "in_port=1,packet=%s,"
                     "actions=%s" % (pkt.hex(), actions))
            wait_for(lambda: sink.output().count(want) > before, 10,
                     what="%s gives %s" % (actions, want))
    finally:
        sink.command("set verbose 0")
    assert "INNER_L2_ETHER_QINQ" in sink.output()
    assert n_packets(sb, BR, "priority=5") == 1     # From TABLE.


def test_fail_modes_with_unreachable_controller(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl("add-flow", BR, "priority=1,actions=drop")
    sb.vsctl("set-controller", BR, "tcp:127.0.0.1:1")
    try:
        # Standalone: nobody answers, so the bridge forwards NORMAL (the
        # destination is unknown: flooded to both other ports).
        wait_for(lambda: "entering standalone fallback" in sb.log(), 10,
                 what="standalone fallback")
        tx = send_burst(peers, socks[0], sb=sb)
        rx2, rx3 = sink_counts(sinks, sb)
        assert (rx2, rx3) == (tx, tx)
        assert n_packets(sb, BR, "priority=1") == 0
        # Secure: the flow table applies even without a controller.
        sb.vsctl("set-fail-mode", BR, "secure")
        tx = send_burst(peers, socks[0], sb=sb)
        wait_flow(sb, "priority=1", tx)
        rx2, rx3 = sink_counts(sinks, sb)
        assert (rx2, rx3) == (0, 0)
    finally:
        sb.vsctl("del-controller", BR, "--", "del-fail-mode", BR)


def test_monitor_receives_packet_ins(switch):
    """ovs-ofctl monitor (a service connection with miss_send_len set)
    gets packet-ins from a table-miss rule hit in the PMD and from a
    packet-out's CONTROLLER action."""
    sb, peers, socks, sinks = switch
    import subprocess
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "add-flow", BR, "priority=0,actions=CONTROLLER:64")
    mon = subprocess.Popen(["ovs-ofctl", *OF13, "monitor", BR, "65534"],
                           env=sb.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        import time
        time.sleep(0.5)
        pkt = udp_packet().hex()
        sb.ofctl(*OF13, "packet-out", BR, "in_port=controller,packet=%s,"
                 "actions=CONTROLLER" % pkt)
        send_burst(peers, socks[0], sb=sb)
        time.sleep(0.5)
    finally:
        mon.terminate()
        out = mon.communicate(timeout=5)[0]
    # ovs-ofctl monitor asks for NXT_PACKET_IN2, as it does with OVS.
    assert "NXT_PACKET_IN2 (OF1.3) (xid=0x0): cookie=0x0 total_len=64 " \
           "in_port=1 (via no_match) data_len=64 (unbuffered)" in out, \
        out[:1500]
    assert re.search(r"NXT_PACKET_IN2 \(OF1.3\) \(xid=0x0\): "
                     r"(cookie=\S+ )?total_len=60 in_port=CONTROLLER "
                     r"\(via (action|packet_out)\)", out), out[:1500]
    sb.ofctl("del-flows", BR)


def test_port_mod_config_enforced(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "add-flow", BR, "in_port=1,actions=output:2,output:3")
    sb.ofctl("mod-port", BR, "v3", "no-forward")
    try:
        tx = send_burst(peers, socks[0], sb=sb)
        wait_flow(sb, "in_port=1", tx)
        rx2, rx3 = sink_counts(sinks, sb)
        assert (rx2, rx3) == (tx, 0)
        sb.ofctl("mod-port", BR, "v1", "no-receive")
        send_burst(peers, socks[0], sb=sb)
        rx2, rx3 = sink_counts(sinks, sb)
        assert (rx2, rx3) == (0, 0)
        assert n_packets(sb, BR, "in_port=1") == tx
    finally:
        sb.ofctl("mod-port", BR, "v1", "receive")
        sb.ofctl("mod-port", BR, "v3", "forward")
    tx = send_burst(peers, socks[0], sb=sb)
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (tx, tx)


def test_fast_failover_follows_port_liveness(switch):
    sb, peers, socks, sinks = switch
    sink_counts(sinks, sb)
    sb.ofctl("del-flows", BR)
    sb.ofctl(*OF13, "del-groups", BR)
    sb.ofctl(*OF13, "add-group", BR, "group_id=9,type=ff,"
             "bucket=watch_port:2,output:2,bucket=watch_port:3,output:3")
    sb.ofctl(*OF13, "add-flow", BR, "in_port=1,actions=group:9")
    tx = send_burst(peers, socks[0], sb=sb)
    rx2, rx3 = sink_counts(sinks, sb)
    assert (rx2, rx3) == (tx, 0)
    # The peer on port 2 goes away: its link goes down, the group fails
    # over to port 3.
    sinks[0].stop()
    peers.testpmds.remove(sinks[0])
    wait_for(lambda: "LINK_DOWN" in sb.ofctl("show", BR).split(" 2(v2)")[1]
             .split(" 3(v3)")[0], 20, what="port 2 down")
    time.sleep(1.5)                 # Liveness is re-read every second.
    before3 = port_tx(sb, BR, 3)
    tx = send_burst(peers, socks[0], sb=sb)
    after3 = port_tx(sb, BR, 3)
    assert after3[0] - before3[0] + after3[1] - before3[1] == tx
    stats = sb.ofctl(*OF13, "dump-group-stats", BR)
    assert "bucket1:packet_count=%d" % tx in stats, stats
    # Bring the sink back for any later test.
    sinks[0] = VirtioPeer(peers, socks[1], "rxonly")
