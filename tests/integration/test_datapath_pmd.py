"""PMD threads: two PMDs (pmd-cpu-mask=0x3), rx queue assignment per
policy, pmd-rxq-affinity with and without isolation, rebalance, changing
the mask while traffic flows, removing a port while traffic flows."""

import pytest

from dpdriver import DriverEnv, wait_for


@pytest.fixture
def env(request):
    e = DriverEnv(request.node.name, {"pmd-cpu-mask": "0x3",
                                      "pmd-rxq-assign": "roundrobin"})
    yield e
    e.cleanup()


def queues(env):
    assign, isolated = env.rxq_assignment()
    return {core: sorted(q) for core, q in assign.items()}, isolated


def rx_grows(env, name, by=1000):
    before = env.stat(name, "rx_packets")
    wait_for(lambda: env.stat(name, "rx_packets") > before + by, 10,
             what="%s receiving" % name)


def test_assignment_policies_affinity_and_mask(env):
    env.appctl("driver/add-br", "br0")
    # Drop everything: the test is about polling, not forwarding.
    env.appctl("driver/set-fwd", "br0", "1", "drop")
    env.appctl("driver/add-port", "br0", "n1", "dpdk", "1",
               "dpdk-devargs=net_null0", "n_rxq=4")
    q, iso = queues(env)
    assert q == {0: [("n1", 0), ("n1", 2)], 1: [("n1", 1), ("n1", 3)]}
    assert iso == {0: False, 1: False}
    rx_grows(env, "n1")
    stats = env.pmd_stats()
    assert stats[0]["packets received"] > 0
    assert stats[1]["packets received"] > 0
    # Counters are read while the PMDs run: allow for one iteration.
    assert abs(stats[1]["simple match hits"] -
               stats[1]["packets received"]) <= 4 * 32
    assert stats[1]["megaflow hits"] == 0

    # group: by load, two each as the queues are alike.
    env.appctl("driver/set-global", "pmd-rxq-assign=group")
    q, _ = queues(env)
    assert sorted(len(v) for v in q.values()) == [2, 2]

    # Pin queues 0 and 1 to core 1: isolated, the rest on core 0.
    env.appctl("driver/set-port-other", "br0", "n1",
               "pmd-rxq-affinity=0:1,1:1")
    q, iso = queues(env)
    assert q == {0: [("n1", 2), ("n1", 3)], 1: [("n1", 0), ("n1", 1)]}
    assert iso == {0: False, 1: True}
    # Without isolation core 1 may take more.
    env.appctl("driver/set-global", "pmd-rxq-isolate=false",
               "pmd-rxq-assign=roundrobin")
    q, iso = queues(env)
    assert iso == {0: False, 1: False}
    assert ("n1", 0) in q[1] and ("n1", 1) in q[1]
    assert len(q[0]) + len(q[1]) == 4

    out = env.appctl("dpif-netdev/pmd-rxq-rebalance")
    assert out.strip() == "pmd rxq rebalance requested."
    rc, _, err = env.appctl_result("driver/set-port-other", "br0", "n1",
                                   "pmd-rxq-affinity=zero")
    assert rc != 0

    # Change the mask at run time: core 0's PMD goes, its queues move.
    env.appctl("driver/set-port-other", "br0", "n1", "pmd-rxq-affinity=")
    env.appctl("driver/set-global", "pmd-cpu-mask=0x2")
    q, _ = queues(env)
    assert list(q) == [1]
    assert q[1] == [("n1", 0), ("n1", 1), ("n1", 2), ("n1", 3)]
    rx_grows(env, "n1")
    # A pin to a core without PMD: logged, the queue still gets polled.
    env.appctl("driver/set-port-other", "br0", "n1", "pmd-rxq-affinity=2:0")
    assert "Core 0 cannot be pinned with port 'n1' rx queue 2" in env.log()
    q, _ = queues(env)
    assert ("n1", 2) in q[1]
    # And back to two PMDs without restarting the port.
    env.appctl("driver/set-global", "pmd-cpu-mask=3")
    q, _ = queues(env)
    assert list(q) == [0, 1] and q[0] and q[1]
    rx_grows(env, "n1")
    assert env.port("n1")["status:n_rxq"] == "4"


def test_remove_port_while_forwarding(env):
    env.appctl("driver/add-br", "br0")
    env.appctl("driver/add-port", "br0", "n1", "dpdk", "1",
               "dpdk-devargs=net_null0", "n_rxq=2")
    env.appctl("driver/add-port", "br0", "n2", "dpdk", "2",
               "dpdk-devargs=net_null1", "n_rxq=2")
    env.appctl("driver/set-fwd", "br0", "1", "2")
    env.appctl("driver/set-fwd", "br0", "2", "1")
    rx_grows(env, "n1")
    wait_for(lambda: env.stat("n2", "tx_packets") > 1000, what="n2 tx")
    for _ in range(3):
        env.appctl("driver/del-port", "br0", "n2")
        q, _ = queues(env)
        assert all(p != "n2" for v in q.values() for p, _ in v)
        rx_grows(env, "n1")             # n1 keeps being polled.
        env.appctl("driver/add-port", "br0", "n2", "dpdk", "2",
                   "dpdk-devargs=net_null1", "n_rxq=2")
        rx_grows(env, "n2")
    # Reconfigure the queue count while traffic flows.
    env.appctl("driver/set-port", "br0", "n1", "dpdk-devargs=net_null0",
               "n_rxq=3")
    q, _ = queues(env)
    assert sum(1 for v in q.values() for p, _ in v if p == "n1") == 3
    rx_grows(env, "n1")
