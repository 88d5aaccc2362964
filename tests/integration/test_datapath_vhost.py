"""vhost-user ports with real dpdk-testpmd virtio-user endpoints: server
mode (dpdkvhostuser) and client mode (dpdkvhostuserclient), counters that
agree with testpmd's, guest-negotiated multi-queue, peers that vanish and
come back."""

import os

import pytest

from dpdriver import DriverEnv, VirtioPeer, TESTPMD, wait_for

pytestmark = pytest.mark.skipif(not os.path.exists(TESTPMD),
                                reason="dpdk-testpmd not installed")


@pytest.fixture
def env(request):
    e = DriverEnv(request.node.name)
    yield e
    e.cleanup()


def link_up(env, name):
    return env.port(name)["link_state"] == "up"


def test_vhost_server_and_client_counters(env):
    env.appctl("driver/add-br", "br0")
    env.appctl("driver/add-port", "br0", "v1", "dpdkvhostuser", "1")
    v2_sock = os.path.join(env.dir, "v2.sock")
    env.appctl("driver/add-port", "br0", "v2", "dpdkvhostuserclient", "2",
               "vhost-server-path=" + v2_sock)
    v1_sock = os.path.join(env.dir, "v1")
    assert os.path.exists(v1_sock)          # We are the server for v1.
    assert env.port("v1")["link_state"] == "down"

    sink = VirtioPeer(env, v2_sock, "rxonly", server=True)
    wait_for(lambda: link_up(env, "v2"), 20, what="v2 client connects")
    assert env.port("v2")["status:mode"] == "client"
    src = VirtioPeer(env, v1_sock, "txonly", queues=2)
    wait_for(lambda: link_up(env, "v1"), 20, what="v1 up")
    # The guest asked for two queue pairs: both get polled.
    wait_for(lambda: ("v1", 1) in sum(env.rxq_assignment()[0].values(), []),
             what="v1 queue 1 polled")
    wait_for(lambda: env.stat("v2", "tx_packets") > 10000, 20,
             what="traffic through the switch")

    _, src_tx = src.stop_forwarding()
    # The switch drains the vring, then the counters stand still.
    wait_for(lambda: env.stat("v1", "rx_packets") == src_tx, 10,
             what="switch received all %d" % src_tx)
    sink_rx, _ = sink.stop_forwarding()
    v1 = env.port("v1")
    v2 = env.port("v2")
    src.stop()
    wait_for(lambda: env.port("v1")["link_state"] == "down",
             what="v1 down after the guest left")
    sink.stop()
    assert src_tx > 0 and sink_rx > 0
    # Every packet testpmd sent was received by the switch...
    assert int(v1["statistics:rx_packets"]) == src_tx
    # ...and either reached the sink or was counted as dropped.
    assert int(v2["statistics:tx_packets"]) == sink_rx
    assert int(v2["statistics:tx_packets"]) + \
        int(v2["statistics:tx_dropped"]) == src_tx
    assert env.pmd_stats()[1]["packets received"] == src_tx
    assert int(v1["status:rx_q0_packets"]) + \
        int(v1.get("status:rx_q1_packets", 0)) == src_tx


def test_vhost_peer_restarts(env):
    env.appctl("driver/add-br", "br0")
    sock = os.path.join(env.dir, "peer.sock")
    env.appctl("driver/add-port", "br0", "vc", "dpdkvhostuserclient", "1",
               "vhost-server-path=" + sock)
    env.appctl("driver/add-port", "br0", "vs", "dpdkvhostuser", "2")
    sink = VirtioPeer(env, os.path.join(env.dir, "vs"), "rxonly")
    wait_for(lambda: link_up(env, "vs"), 20, what="vs up")

    for round_ in range(2):
        peer = VirtioPeer(env, sock, "txonly", server=True)
        wait_for(lambda: link_up(env, "vc"), 20,
                 what="client reconnects (round %d)" % round_)
        before = env.stat("vs", "tx_packets")
        wait_for(lambda: env.stat("vs", "tx_packets") > before + 1000, 20,
                 what="traffic (round %d)" % round_)
        peer.stop()
        wait_for(lambda: not link_up(env, "vc"), 20, what="peer gone")
        assert int(env.port("vc")["link_resets"]) >= round_ + 1
    # The other port never noticed.
    assert link_up(env, "vs")
    sink.stop()


def test_vhost_sock_dir(request):
    e = DriverEnv(request.node.name, {"vhost-sock-dir": "socks"})
    try:
        e.appctl("driver/add-br", "br0")
        e.appctl("driver/add-port", "br0", "vu1", "dpdkvhostuser", "1")
        path = os.path.join(e.dir, "socks", "vu1")
        assert os.path.exists(path)
        assert e.port("vu1")["status:socket"] == path
        assert e.port("vu1")["status:status"] == "disconnected"
        e.appctl("driver/del-port", "br0", "vu1")
        assert not os.path.exists(path)
        rc, _, err = e.appctl_result("driver/add-port", "br0", "vc1",
                                     "dpdkvhostuserclient", "2")
        assert rc != 0 and "vhost-server-path is required" in err
    finally:
        e.cleanup()


def test_two_pmds_share_a_vhost_queue(request):
    """Two PMDs transmit into one vhost queue (under its lock) while the
    mask changes; the guest's count still matches the switch's."""
    e = DriverEnv(request.node.name, {"pmd-cpu-mask": "0x3",
                                      "pmd-rxq-assign": "roundrobin"})
    try:
        e.appctl("driver/add-br", "br0")
        e.appctl("driver/add-port", "br0", "v1", "dpdkvhostuser", "1")
        sink = VirtioPeer(e, os.path.join(e.dir, "v1"), "rxonly")
        wait_for(lambda: link_up(e, "v1"), 20, what="v1 up")
        e.appctl("driver/set-fwd", "br0", "2", "1")
        e.appctl("driver/add-port", "br0", "n1", "dpdk", "2",
                 "dpdk-devargs=net_null0", "n_rxq=2")
        assign, _ = e.rxq_assignment()
        # One n1 queue on each PMD: both transmit into v1's one queue.
        assert {("n1", 0), ("n1", 1)} == {q for q in assign[0] + assign[1]
                                          if q[0] == "n1"}
        assert any(q[0] == "n1" for q in assign[0])
        assert any(q[0] == "n1" for q in assign[1])
        wait_for(lambda: e.stat("v1", "tx_packets") > 10000, 20,
                 what="traffic into the guest")
        e.appctl("driver/set-global", "pmd-cpu-mask=0x2")
        assert list(e.rxq_assignment()[0]) == [1]
        before = e.stat("v1", "tx_packets")
        wait_for(lambda: e.stat("v1", "tx_packets") > before + 10000, 20,
                 what="traffic after the mask change")
        e.appctl("driver/set-global", "pmd-cpu-mask=0x3")
        before = e.stat("v1", "tx_packets")
        wait_for(lambda: e.stat("v1", "tx_packets") > before + 10000, 20,
                 what="traffic with two PMDs again")
        e.appctl("driver/del-port", "br0", "n1")     # Stop the source.
        rx, _ = sink.stop_forwarding()
        assert rx == e.stat("v1", "tx_packets")
        sink.stop()
    finally:
        e.cleanup()


def test_remove_vhost_port_while_forwarding(env):
    """Deleting a vhost-user port with a connected guest and traffic
    flowing into it: the switch unregisters the socket and goes on."""
    env.appctl("driver/add-br", "br0")
    env.appctl("driver/add-port", "br0", "v1", "dpdkvhostuser", "1")
    sink = VirtioPeer(env, os.path.join(env.dir, "v1"), "rxonly")
    wait_for(lambda: link_up(env, "v1"), 20, what="v1 up")
    env.appctl("driver/add-port", "br0", "n1", "dpdk", "2",
               "dpdk-devargs=net_null0")
    env.appctl("driver/set-fwd", "br0", "2", "1")
    wait_for(lambda: env.stat("v1", "tx_packets") > 10000, 20,
             what="traffic into the guest")
    env.appctl("driver/del-port", "br0", "v1")
    assert not os.path.exists(os.path.join(env.dir, "v1"))
    before = env.stat("n1", "rx_packets")
    wait_for(lambda: env.stat("n1", "rx_packets") > before + 10000,
             what="n1 still polled")
    # Same name again: a fresh socket the guest can use.
    env.appctl("driver/add-port", "br0", "v1", "dpdkvhostuser", "1")
    sink.stop()
    sink2 = VirtioPeer(env, os.path.join(env.dir, "v1"), "rxonly")
    wait_for(lambda: link_up(env, "v1"), 20, what="v1 up again")
    wait_for(lambda: env.stat("v1", "tx_packets") > 10000, 20,
             what="traffic into the new guest")
    sink2.stop()
