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
