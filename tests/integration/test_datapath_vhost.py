"""vhost-user ports of the real daemon with dpdk-testpmd virtio-user
endpoints: server mode (dpdkvhostuser) and client mode
(dpdkvhostuserclient), counters that agree with testpmd's, guest-negotiated
multi-queue, peers that vanish and come back, ports removed under traffic.

Traffic goes to a MAC address that a static entry (ovs-appctl fdb/add)
places on the receiving port, so NORMAL sends it there alone; the bridge's
TAP device is kept out of floods (see keep_floods_off_the_tap())."""

import os

import pytest

from sandbox import (TESTPMD, VirtioPeer, uniq, udp_frames, wait_for,
                     write_pcap)

pytestmark = pytest.mark.skipif(not os.path.exists(TESTPMD),
                                reason="dpdk-testpmd not installed")

# Where testpmd's txonly mode sends from its first port by default.
TESTPMD_PEER_MAC = "02:00:00:00:00:00"
MAC_A = "00:00:00:00:00:0a"


def link_up(sb, name):
    return sb.iface_now(name, "link_state") == "up"


def pcap_source(sb, dst, n_rxq=1):
    """dpdk-devargs of a net_pcap device sending to 'dst' for ever."""
    path = write_pcap(sb.dir, uniq("src") + ".pcap",
                      udp_frames(MAC_A, dst, 32))
    return ("net_pcap_%s,infinite_rx=1," % uniq("s") +
            ",".join(["rx_pcap=" + path] * n_rxq))


def test_vhost_server_and_client_counters(dpdk_bridge):
    sb, br = dpdk_bridge
    sb.keep_floods_off_the_tap(br)
    sb.add_port(br, "v1", "dpdkvhostuser", 1)
    v2_sock = os.path.join(sb.dir, "v2.sock")
    sb.add_port(br, "v2", "dpdkvhostuserclient", 2,
                {"vhost-server-path": v2_sock})
    v1_sock = os.path.join(sb.dir, "v1")
    assert os.path.exists(v1_sock)          # We are the server for v1.
    assert sb.iface("v1", "link_state") == "down"
    sb.appctl("fdb/add", br, "v2", "0", TESTPMD_PEER_MAC)

    # Both guests start at once (testpmd takes about a second).
    sink = VirtioPeer(sb, v2_sock, "rxonly", server=True, wait=False)
    src = VirtioPeer(sb, v1_sock, "txonly", queues=2, wait=False)
    sink.wait_ready()
    src.wait_ready()
    # Traffic first (the counters are read at once), then the link states
    # (Interface:link_state is rewritten every second).
    wait_for(lambda: sb.stat("v2", "tx_packets") > 10000, 20,
             what="traffic through the switch")
    # The guest asked for two queue pairs: both get polled.
    wait_for(lambda: ("v1", 1) in sum(sb.rxq_assignment()[0].values(), []),
             what="v1 queue 1 polled")
    wait_for(lambda: link_up(sb, "v2"), 20, what="v2 client connected")
    assert sb.iface("v2", "status:mode") == "client"
    wait_for(lambda: link_up(sb, "v1"), 20, what="v1 up")

    _, src_tx = src.stop_forwarding()
    # The switch drains the vring, then the counters stand still.
    wait_for(lambda: sb.stat("v1", "rx_packets") == src_tx, 10,
             what="switch received all %d" % src_tx)
    sink_rx, _ = sink.stop_forwarding()
    v2 = sb.port_stats()["v2"]
    assert src_tx > 0 and sink_rx > 0
    # Every packet testpmd sent was received by the switch...
    assert sb.stat("v1", "rx_packets") == src_tx
    # ...and either reached the sink or was counted as dropped.
    assert v2["tx_packets"] == sink_rx
    assert v2["tx_packets"] + v2["tx_dropped"] == src_tx
    assert sb.pmd_stats()[1]["packets received"] == src_tx
    # Per-queue counters in Interface:status (rewritten with the
    # statistics every 5 s, or with any configuration change).
    wait_for(lambda: int(sb.iface_now("v1", "status:rx_q0_packets")) +
             int(sb.row("Interface", "v1")["status"].get("rx_q1_packets",
                                                         0)) == src_tx,
             timeout=12, interval=0.2, what="rx_q*_packets in the status")
    src.stop()
    wait_for(lambda: sb.iface_now("v1", "link_state") == "down",
             what="v1 down after the guest left")
    sink.stop()


def test_vhost_peer_restarts(dpdk_bridge):
    sb, br = dpdk_bridge
    sb.keep_floods_off_the_tap(br)
    sock = os.path.join(sb.dir, "peer.sock")
    sb.add_port(br, "vc", "dpdkvhostuserclient", 1,
                {"vhost-server-path": sock})
    sb.add_port(br, "vs", "dpdkvhostuser", 2)
    sb.appctl("fdb/add", br, "vs", "0", TESTPMD_PEER_MAC)
    sink = VirtioPeer(sb, os.path.join(sb.dir, "vs"), "rxonly", wait=False)
    peer = VirtioPeer(sb, sock, "txonly", server=True, wait=False)
    sink.wait_ready()

    for round_ in range(2):
        if round_:
            peer = VirtioPeer(sb, sock, "txonly", server=True)
        else:
            peer.wait_ready()
        # The client reconnects: traffic flows, then link_state shows it.
        before = sb.stat("vs", "tx_packets")
        wait_for(lambda: sb.stat("vs", "tx_packets") > before + 1000, 20,
                 what="traffic (round %d)" % round_)
        wait_for(lambda: link_up(sb, "vc"), 20,
                 what="client reconnected (round %d)" % round_)
        assert link_up(sb, "vs")
        peer.stop()
        wait_for(lambda: not link_up(sb, "vc"), 20, what="peer gone")
        wait_for(lambda: int(sb.iface_now("vc", "link_resets"))
                 >= round_ + 1, what="link_resets counted")
    # The other port never noticed.
    assert link_up(sb, "vs")
    sink.stop()


def test_vhost_sock_dir(sandbox):
    sandbox.start_dpdk_vswitchd(vhost_sock_dir="socks")
    sb = sandbox
    br = uniq("dp")
    sb.vsctl("add-br", br, "--", "set", "Bridge", br, "datapath_type=netdev")
    sb.add_port(br, "vu1", "dpdkvhostuser", 1)
    path = os.path.join(sb.dir, "socks", "vu1")
    assert os.path.exists(path)
    assert sb.iface("vu1", "status:socket") == path
    assert sb.iface("vu1", "status:status") == "disconnected"
    sb.vsctl("del-port", br, "vu1")
    assert not os.path.exists(path)
    proc = sb.add_port(br, "vc1", "dpdkvhostuserclient", 2)
    assert "Error detected while setting up 'vc1'" in proc.stderr
    assert "vhost-server-path is required" in sb.iface("vc1", "error")


def test_remove_vhost_port_while_forwarding(dpdk_bridge):
    """Deleting a vhost-user port with a connected guest and traffic
    flowing into it: the switch unregisters the socket and goes on."""
    sb, br = dpdk_bridge
    sb.keep_floods_off_the_tap(br)
    sb.add_port(br, "v1", "dpdkvhostuser", 1)
    sink = VirtioPeer(sb, os.path.join(sb.dir, "v1"), "rxonly")
    wait_for(lambda: link_up(sb, "v1"), 20, what="v1 up")
    sb.appctl("fdb/add", br, "v1", "0", TESTPMD_PEER_MAC)
    sb.add_port(br, "n1", "dpdk", 2,
                {"dpdk-devargs": pcap_source(sb, TESTPMD_PEER_MAC)})
    wait_for(lambda: sb.stat("v1", "tx_packets") > 10000, 20,
             what="traffic into the guest")
    sb.vsctl("del-port", br, "v1")
    assert not os.path.exists(os.path.join(sb.dir, "v1"))
    before = sb.stat("n1", "rx_packets")
    wait_for(lambda: sb.stat("n1", "rx_packets") > before + 10000,
             what="n1 still polled")
    # Same name again: a fresh socket the guest can use.
    sb.add_port(br, "v1", "dpdkvhostuser", 1)
    sb.appctl("fdb/add", br, "v1", "0", TESTPMD_PEER_MAC)
    sink.stop()
    sink2 = VirtioPeer(sb, os.path.join(sb.dir, "v1"), "rxonly")
    wait_for(lambda: link_up(sb, "v1"), 20, what="v1 up again")
    wait_for(lambda: sb.stat("v1", "tx_packets") > 10000, 20,
             what="traffic into the new guest")
    sink2.stop()


def test_guest_restarts_under_traffic(dpdk_bridge):
    """A guest that quits while the switch transmits into it at full rate
    disables its vrings (rte_vhost calls back with the queue locks held,
    which the PMD's enqueue spins on) and goes: again and again, the PMD
    never stalls, the next guest gets the traffic."""
    sb, br = dpdk_bridge
    sb.keep_floods_off_the_tap(br)
    sb.add_port(br, "v1", "dpdkvhostuser", 1)
    sb.appctl("fdb/add", br, "v1", "0", TESTPMD_PEER_MAC)
    sb.add_port(br, "n1", "dpdk", 2,
                {"dpdk-devargs": pcap_source(sb, TESTPMD_PEER_MAC)})
    for round_ in range(8):
        sink = VirtioPeer(sb, os.path.join(sb.dir, "v1"), "rxonly")
        before = sb.stat("v1", "tx_packets")
        wait_for(lambda: sb.stat("v1", "tx_packets") > before + 1000, 20,
                 what="traffic into guest %d" % round_)
        sink.stop()
    before = sb.stat("n1", "rx_packets")
    wait_for(lambda: sb.stat("n1", "rx_packets") > before + 10000,
             what="n1 still polled")
