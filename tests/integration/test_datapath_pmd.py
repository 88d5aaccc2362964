"""PMD threads through the real daemon: two PMDs (pmd-cpu-mask=0x3), rx
queue assignment per policy, pmd-rxq-affinity with and without isolation,
rebalance, changing the mask while traffic flows, removing a port while
traffic flows, two PMDs sending into one vhost-user queue.  Everything set
with ovs-vsctl, read with ovs-appctl; one daemon for the module.

The bridge's own port (a TAP device) is one more rx queue, the first in
port order; the assertions name it."""

import os
import re
import time

import pytest

from sandbox import (TESTPMD, Sandbox, VirtioPeer, uniq, udp_frames,
                     wait_for, write_pcap)

MAC_A = "00:00:00:00:00:0a"
MAC_B = "00:00:00:00:00:0b"


@pytest.fixture(scope="module")
def pmd_switch(request):
    """One daemon with two PMDs (CPUs 0 and 1) for the module."""
    sb = Sandbox("pmd")
    try:
        sb.start_ovsdb()
        sb.start_dpdk_vswitchd(pmd_cpu_mask="0x3",
                               pmd_rxq_assign="roundrobin")
        yield sb
    finally:
        sb.cleanup()


@pytest.fixture
def env(pmd_switch):
    """The module's switch back at two PMDs and round robin, with a fresh
    bridge (removed afterwards, with the test's testpmd peers)."""
    sb = pmd_switch
    sb.set_other_config({"pmd-cpu-mask": "0x3",
                         "pmd-rxq-assign": "roundrobin",
                         "pmd-rxq-isolate": None})
    with sb.fresh_bridge() as br:
        yield sb, br


def queues(sb):
    assign, isolated = sb.rxq_assignment()
    return {core: sorted(q) for core, q in assign.items()}, isolated


def rx_grows(sb, name, by=1000):
    before = sb.stat(name, "rx_packets")
    wait_for(lambda: sb.stat(name, "rx_packets") > before + by, 10,
             what="%s receiving" % name)


def n1(*qids):
    return [("n1", q) for q in qids]


def test_assignment_policies_affinity_and_mask(env):
    sb, br = env
    # net_null frames come from and go to 00:00:00:00:00:00: once learned
    # on n1 they are dropped (NORMAL does not send back to the in_port).
    # The test is about polling, not forwarding.
    sb.add_port("%s" % br, "n1", "dpdk", 1, {"dpdk-devargs": "net_null0",
                                             "n_rxq": "4"})
    q, iso = queues(sb)
    # Round robin in port order: the bridge's port, then n1's queues.
    assert q == {0: sorted([(br, 0)] + n1(1, 3)), 1: n1(0, 2)}
    assert iso == {0: False, 1: False}
    rx_grows(sb, "n1")
    stats = sb.pmd_stats()
    assert stats[0]["packets received"] > 0
    assert stats[1]["packets received"] > 0
    # Counters are read while the PMDs run: allow for one iteration.
    assert abs(stats[1]["megaflow hits"] -
               stats[1]["packets received"]) <= 4 * 32
    assert stats[1]["simple match hits"] == 0

    # group: by measured load; the queues are alike, but what each one
    # measured depends on how much CPU its PMD got, so 2+2 or 3+1.
    sb.set_other_config({"pmd-rxq-assign": "group"})
    q, _ = queues(sb)
    assert sum(len(v) for v in q.values()) == 5
    assert all(any(p == "n1" for p, _ in v) for v in q.values())

    # Pin queues 0 and 1 to core 1: isolated, the rest on core 0.
    sb.vsctl("set", "Interface", "n1",
             "other_config:pmd-rxq-affinity=0:1,1:1")
    q, iso = queues(sb)
    assert q == {0: sorted([(br, 0)] + n1(2, 3)), 1: n1(0, 1)}
    assert iso == {0: False, 1: True}
    # Without isolation core 1 may take more.
    sb.set_other_config({"pmd-rxq-isolate": "false",
                         "pmd-rxq-assign": "roundrobin"})
    q, iso = queues(sb)
    assert iso == {0: False, 1: False}
    assert ("n1", 0) in q[1] and ("n1", 1) in q[1]
    assert len(q[0]) + len(q[1]) == 5

    out = sb.appctl("dpif-netdev/pmd-rxq-rebalance")
    assert out.strip() == "pmd rxq rebalance requested."
    # A malformed affinity is logged and leaves the assignment alone.
    sb.vsctl("set", "Interface", "n1", "other_config:pmd-rxq-affinity=zero")
    assert 'n1: invalid pmd-rxq-affinity "zero"' in sb.log()
    assert queues(sb)[0] == q

    # Change the mask at run time: core 0's PMD goes, its queues move.
    sb.vsctl("remove", "Interface", "n1", "other_config", "pmd-rxq-affinity")
    sb.set_other_config({"pmd-cpu-mask": "0x2"})
    q, _ = queues(sb)
    assert list(q) == [1]
    assert q[1] == sorted([(br, 0)] + n1(0, 1, 2, 3))
    rx_grows(sb, "n1")
    # A pin to a core without PMD: logged, the queue still gets polled.
    sb.vsctl("set", "Interface", "n1", "other_config:pmd-rxq-affinity=2:0")
    assert "Core 0 cannot be pinned with port 'n1' rx queue 2" in sb.log()
    q, _ = queues(sb)
    assert ("n1", 2) in q[1]
    # And back to two PMDs without restarting the port.
    sb.set_other_config({"pmd-cpu-mask": "3"})
    q, _ = queues(sb)
    assert list(q) == [0, 1] and q[0] and q[1]
    rx_grows(sb, "n1")
    wait_for(lambda: sb.iface("n1", "status:n_rxq") == "4",
             what="Interface:status n_rxq")


def pcap_source(sb, name, src, dst, n_rxq):
    """dpdk-devargs of a net_pcap device that sends frames from 'src' to
    'dst' for ever on 'n_rxq' queues."""
    path = write_pcap(sb.dir, name + ".pcap", udp_frames(src, dst, 32))
    return ("net_pcap_%s%s,infinite_rx=1," % (name, uniq("")[:6]) +
            ",".join(["rx_pcap=" + path] * n_rxq))


def test_remove_port_while_forwarding(env):
    # n1 and n2 send to each other's MAC: once both are learned, NORMAL
    # forwards every frame n1 <-> n2 (the PMDs transmit to the port being
    # removed), flooding only while a MAC is unknown.
    sb, br = env
    sb.keep_floods_off_the_tap(br)
    n1_args = pcap_source(sb, "n1", MAC_A, MAC_B, 2)
    n2_args = pcap_source(sb, "n2", MAC_B, MAC_A, 2)
    sb.add_port(br, "n1", "dpdk", 1, {"dpdk-devargs": n1_args, "n_rxq": "2"})
    sb.add_port(br, "n2", "dpdk", 2, {"dpdk-devargs": n2_args, "n_rxq": "2"})
    rx_grows(sb, "n1")
    wait_for(lambda: sb.stat("n2", "tx_packets") > 1000, what="n2 tx")
    for _ in range(3):
        sb.vsctl("del-port", br, "n2")
        q, _ = queues(sb)
        assert all(p != "n2" for v in q.values() for p, _ in v)
        rx_grows(sb, "n1")             # n1 keeps being polled.
        sb.add_port(br, "n2", "dpdk", 2, {"dpdk-devargs": n2_args,
                                          "n_rxq": "2"})
        rx_grows(sb, "n2")
        before = sb.stat("n2", "tx_packets")
        wait_for(lambda: sb.stat("n2", "tx_packets") > before + 1000,
                 what="n1 -> n2 again")
    # Reconfigure the queue count while traffic flows.
    sb.vsctl("set", "Interface", "n1", "options:dpdk-devargs=%s"
             % pcap_source(sb, "n1b", MAC_A, MAC_B, 3), "options:n_rxq=3")
    q, _ = queues(sb)
    assert sum(1 for v in q.values() for p, _ in v if p == "n1") == 3
    rx_grows(sb, "n1")


def test_cycles_policy_uses_measured_load(env):
    """Round robin puts both busy queues on one PMD for this port order;
    'cycles' and 'group' use the measured cycles and split them."""
    sb, br = env
    sb.add_port(br, "busy1", "dpdk", 1, {"dpdk-devargs": "net_null10"})
    sb.add_port(br, "idle1", "dpdk", 2,
                {"dpdk-devargs": "net_null11,no-rx=1"})
    sb.add_port(br, "busy2", "dpdk", 3, {"dpdk-devargs": "net_null12"})
    sb.add_port(br, "idle2", "dpdk", 4,
                {"dpdk-devargs": "net_null13,no-rx=1"})

    def core_of(q, name):
        return [c for c, qs in q.items() if (name, 0) in qs][0]
    q, _ = queues(sb)
    assert core_of(q, "busy1") == core_of(q, "busy2")
    rx_grows(sb, "busy1", 100000)
    rx_grows(sb, "busy2", 100000)
    for policy in ("cycles", "group"):
        sb.set_other_config({"pmd-rxq-assign": policy})
        q, _ = queues(sb)
        assert core_of(q, "busy1") != core_of(q, "busy2"), policy
        assert sb.appctl("dpif-netdev/pmd-rxq-rebalance").strip() == \
            "pmd rxq rebalance requested."
        time.sleep(0.3)             # The rebalance runs on the next tick.
        q, _ = queues(sb)
        assert core_of(q, "busy1") != core_of(q, "busy2"), policy
    out = sb.appctl("dpif-netdev/pmd-rxq-show")
    m = re.search(r"port: busy1\s+queue-id:  0 \(enabled\)   "
                  r"pmd usage: +(\d+) %", out)
    assert m and int(m.group(1)) > 0, out
    m = re.search(r"port: idle1\s+queue-id:  0 \(enabled\)   "
                  r"pmd usage: +(\d+) %", out)
    assert m and int(m.group(1)) == 0, out


# Where testpmd's txonly mode sends from its first port by default.
TESTPMD_PEER_MAC = "02:00:00:00:00:00"


def pcap_source_to(sb, dst, n_rxq):
    """A net_pcap source sending from MAC_A to 'dst' for ever."""
    return pcap_source(sb, uniq("s"), MAC_A, dst, n_rxq)


@pytest.mark.skipif(not os.path.exists(TESTPMD),
                    reason="dpdk-testpmd not installed")
def test_two_pmds_share_a_vhost_queue(env):
    """Two PMDs transmit into one vhost queue (under its lock) while the
    mask changes; the guest's count still matches the switch's."""
    sb, br = env
    sb.keep_floods_off_the_tap(br)
    sb.add_port(br, "v1", "dpdkvhostuser", 1)
    sink = VirtioPeer(sb, os.path.join(sb.dir, "v1"), "rxonly")
    wait_for(lambda: sb.iface("v1", "link_state") == "up", 20, what="v1 up")
    sb.appctl("fdb/add", br, "v1", "0", TESTPMD_PEER_MAC)
    sb.add_port(br, "n1", "dpdk", 2,
                {"dpdk-devargs": pcap_source_to(sb, TESTPMD_PEER_MAC, 2),
                 "n_rxq": "2"})
    assign, _ = sb.rxq_assignment()
    # One n1 queue on each PMD: both transmit into v1's one queue.
    assert {("n1", 0), ("n1", 1)} == {q for q in assign[0] + assign[1]
                                      if q[0] == "n1"}
    assert any(q[0] == "n1" for q in assign[0])
    assert any(q[0] == "n1" for q in assign[1])
    wait_for(lambda: sb.stat("v1", "tx_packets") > 10000, 20,
             what="traffic into the guest")
    sb.set_other_config({"pmd-cpu-mask": "0x2"})
    assert list(sb.rxq_assignment()[0]) == [1]
    before = sb.stat("v1", "tx_packets")
    wait_for(lambda: sb.stat("v1", "tx_packets") > before + 10000, 20,
             what="traffic after the mask change")
    sb.set_other_config({"pmd-cpu-mask": "0x3"})
    before = sb.stat("v1", "tx_packets")
    wait_for(lambda: sb.stat("v1", "tx_packets") > before + 10000, 20,
             what="traffic with two PMDs again")
    sb.vsctl("del-port", br, "n1")          # Stop the source.
    rx, _ = sink.stop_forwarding()
    assert rx == sb.stat("v1", "tx_packets")
    sink.stop()
