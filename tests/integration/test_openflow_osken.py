"""os-ken (Ryu) controllers driving ovs-nfv over OpenFlow 1.3 with real
traffic between dpdk-testpmd virtio-user endpoints: a reactive learning
switch (table-miss to controller, packet-in, packet-out, flow install) and
a proactive application with two tables, a select group and a meter."""

import os
import re
import time
import uuid

import pytest

from ofswitch import (Peer, PeerEnv, TESTPMD, add_vhost_ports, flows,
                      free_tcp_port, port_rx, read, start_dpdk_switch,
                      start_osken, wait_for)
from sandbox import Sandbox

pytestmark = pytest.mark.skipif(
    not os.path.exists(TESTPMD) or not os.path.exists("/usr/bin/osken-manager"),
    reason="dpdk-testpmd or osken-manager not installed")

MAC1 = "00:00:00:00:00:01"
MAC2 = "00:00:00:00:00:02"


@pytest.fixture
def env(request):
    sb = Sandbox(request.node.name[:16])
    peers = PeerEnv(sb.dir)
    try:
        sb.start_ovsdb()
        start_dpdk_switch(sb)
        yield sb, peers
    finally:
        peers.cleanup()
        sb.cleanup()


def make_bridge(sb, ports, controller_port):
    br = "ok%s" % uuid.uuid4().hex[:8]
    sb.vsctl("add-br", br, "--", "set", "Bridge", br, "datapath_type=netdev",
             "fail_mode=secure", "protocols=OpenFlow13")
    socks = add_vhost_ports(sb, br, ports)
    sb.vsctl("set-controller", br, "tcp:127.0.0.1:%d" % controller_port)
    return br, socks


def controller_connected(sb, br):
    out = sb.vsctl("--columns=is_connected,role", "list", "Controller")
    return "true" in out


def test_reactive_learning_switch(env):
    sb, peers = env
    port = free_tcp_port()
    log = os.path.join(sb.dir, "osken.log")
    start_osken(sb, "learning_switch.py", port, log)
    br, socks = make_bridge(sb, ["v1", "v2"], port)
    wait_for(lambda: "connected dpid" in read(log), 30,
             what="os-ken sees the switch")
    wait_for(lambda: controller_connected(sb, br), 10,
             what="Controller:is_connected")
    # The app replaced the default flow by its table-miss entry.
    wait_for(lambda: any("priority=0 actions=CONTROLLER:65535" in l
                         for l in flows(sb, br)), 10, what="table-miss flow")

    echo = Peer(peers, socks[1], "macswap", MAC2)
    src = Peer(peers, socks[0], "txonly", MAC1,
               extra=["--eth-peer=0,%s" % MAC2])

    def learned():
        fl = flows(sb, br)
        return (any("in_port=1,dl_dst=%s" % MAC2 in l or
                    "in_port=1,eth_dst=%s" % MAC2 in l for l in fl) and
                any("in_port=2,dl_dst=%s" % MAC1 in l or
                    "in_port=2,eth_dst=%s" % MAC1 in l for l in fl))
    wait_for(learned, 30, what="both flows installed")
    text = read(log)
    assert "learned %s on 1" % MAC1 in text
    assert "learned %s on 2" % MAC2 in text
    time.sleep(1)
    fl = flows(sb, br)
    fwd = [l for l in fl if "in_port=1" in l and MAC2 in l][0]
    rev = [l for l in fl if "in_port=2" in l and MAC1 in l][0]
    n_fwd = int(re.search(r"n_packets=(\d+)", fwd).group(1))
    n_rev = int(re.search(r"n_packets=(\d+)", rev).group(1))
    # Traffic now flows through the installed flows, in both directions.
    assert n_fwd > 1000 and n_rev > 1000, fl
    assert "actions=output:2" in fwd and "actions=output:1" in rev
    src.stop()
    echo.stop()


def test_proactive_tables_groups_meters(env):
    sb, peers = env
    port = free_tcp_port()
    log = os.path.join(sb.dir, "osken.log")
    start_osken(sb, "proactive.py", port, log)
    br, socks = make_bridge(sb, ["v1", "v2", "v3"], port)
    wait_for(lambda: "installed dpid" in read(log), 30,
             what="os-ken installs its pipeline")
    wait_for(lambda: len(flows(sb, br)) == 2, 10, what="two flows")
    sinks = [Peer(peers, socks[1], "rxonly", MAC2),
             Peer(peers, socks[2], "rxonly", "00:00:00:00:00:03")]
    # Many source IPs: the select group spreads them over both ports.
    src = Peer(peers, socks[0], "txonly", MAC1,
               extra=["--txonly-multi-flow"])
    time.sleep(2)
    _, tx = src.stop_forwarding()
    # Let the switch drain the vring before the peer goes away.
    wait_for(lambda: port_rx(sb, br, 1) >= tx, 20, what="switch drained")
    src.stop()
    wait_for(lambda: re.search(r"group 1 packets=%d " % tx, read(log)), 10,
             what="group stats reach %d" % tx)
    m = re.findall(r"group 1 packets=%d buckets=(\d+),(\d+)" % tx,
                   read(log))[-1]
    b0, b1 = int(m[0]), int(m[1])
    assert b0 + b1 == tx and b0 > 0 and b1 > 0, (tx, b0, b1)
    assert re.search(r"meter 1 in=%d band_drops=0" % tx, read(log))
    assert "error" not in read(log)
    fl = flows(sb, br)
    assert any("table=1" in l and "actions=group:1" in l for l in fl), fl
    for s in sinks:
        s.stop()
