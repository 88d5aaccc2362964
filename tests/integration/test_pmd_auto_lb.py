"""PMD auto load balancing (other_config:pmd-auto-lb) through the real
daemon, end to end: two switches with two PMDs each (pmd-cpu-mask=0x3,
pmd-rxq-assign=cycles) run side by side, so that their checks, one
minute after pmd-auto-lb is turned on, fall in the same minute.

  - "moves": two vhost-user ports whose guest (one testpmd, txonly on
    both) starts sending only after the queues were placed: placed without
    load, both land on one PMD.  That PMD gets all the load, the other
    none: the switch must move one queue by itself at its check.
  - "stays": a net_null port busy from the start and two idle ports: one
    PMD 100 % busy, the other idle, but nothing a move could improve
    (variance improvement 0 %): the dry run must decide against a
    rebalance.

Where the load threshold alone holds the switch back (a PMD under the
threshold in one interval of the minute), the decision is covered by
tests/unit/test-rxq-sched.c: a test cannot make a PMD's load sit between
two thresholds on this shared machine.

The minimum pmd-auto-lb-rebal-interval is one minute (0 means 1, as in
OVS), so the module takes about 80 s: both switches and the guest are set
up first, then both checks are awaited together."""

import os
import re
import time

import pytest

from sandbox import TESTPMD, Sandbox, VirtioPeer, uniq, wait_for

pytestmark = pytest.mark.skipif(not os.path.exists(TESTPMD),
                                reason="dpdk-testpmd not installed")

ENABLED = ("PMD auto load balance is enabled, interval 1 mins, "
           "pmd load threshold %d%%, improvement threshold 25%%.")
REQUEST = "PMD auto load balance dry run. Requesting datapath reconfigure."
VARIANCE = re.compile(r"Numa node 0\. Current variance (\d+) Estimated "
                      r"variance (\d+)\. Variance improvement (\d+)%\.")
# The check comes when the first 12 intervals of 5 s that started after
# turning it on have completed.
CHECK_AFTER = 60
CHECK_BY = 80


def start_switch(boxes, tag, threshold):
    """A switch with pmd-auto-lb on its way: the Open_vSwitch settings
    except pmd-auto-lb itself, a bridge without flows (every packet is
    dropped after its lookup)."""
    sb = Sandbox(tag)
    boxes.append(sb)                # Cleaned up even if this fails.
    sb.start_ovsdb()
    sb.start_dpdk_vswitchd(tag=tag, pmd_cpu_mask="0x3",
                           pmd_rxq_assign="cycles",
                           pmd_auto_lb_load_threshold=str(threshold))
    sb.threshold = threshold
    sb.appctl("vlog/set", "dpif_netdev:dbg")
    # The bridge's TAP device is host-wide: a name of its own.
    sb.br = uniq("alb")
    sb.vsctl("add-br", sb.br, "--", "set", "Bridge", sb.br,
             "datapath_type=netdev")
    sb.ofctl("del-flows", sb.br)
    return sb


def core_of(sb, port):
    assign, _ = sb.rxq_assignment()
    cores = [c for c, qs in assign.items() if (port, 0) in qs]
    assert len(cores) == 1, assign
    return cores[0]


def rx_grows(sb, name, by=10000):
    before = sb.stat(name, "rx_packets")
    wait_for(lambda: sb.stat(name, "rx_packets") > before + by, 20,
             what="%s receiving" % name)


def enable(sb):
    log_lines = len(sb.log().splitlines())
    sb.set_other_config({"pmd-auto-lb": "true"})
    return time.monotonic(), log_lines


def new_log(sb, since_line):
    return "\n".join(sb.log().splitlines()[since_line:])


@pytest.fixture(scope="module")
def switches():
    boxes = []
    try:
        stays = start_switch(boxes, "albstay", 50)
        # Port order = queue order: the busy queue, then two idle ones.
        stays.add_port(stays.br, "busy", "dpdk", 1,
                       {"dpdk-devargs": "net_null0"})
        for i in (1, 2):
            stays.add_port(stays.br, "idle%d" % i, "dpdk", 1 + i,
                           {"dpdk-devargs": "net_null%d,no-rx=1" % i})
        moves = start_switch(boxes, "albmove", 10)
        for name in ("v1", "v2"):
            moves.add_port(moves.br, name, "dpdkvhostuser")
        guest = VirtioPeer(moves, os.path.join(moves.dir, "v1"), "txonly",
                           start=False,
                           more_paths=[os.path.join(moves.dir, "v2")])
        for name in ("v1", "v2"):
            wait_for(lambda: moves.iface(name, "link_state") == "up", 20,
                     what=name + " up")
        # Placed without load, in port order (the bridge's port, v1, v2)
        # to the PMDs up and down: v1 and v2 share core 1.
        assert core_of(moves, "v1") == core_of(moves, "v2") == 1
        guest.command("start")
        rx_grows(moves, "v1")
        rx_grows(moves, "v2")
        states = {"stays": (stays,) + enable(stays),
                  "moves": (moves,) + enable(moves)}
        yield states
    finally:
        for sb in reversed(boxes):
            sb.cleanup()


def wait_for_check(sb, since, t0, text):
    """Waits for 'text' in the log lines after 'since'; returns the
    seconds it took since 't0'."""
    try:
        wait_for(lambda: text in new_log(sb, since), t0 + CHECK_BY -
                 time.monotonic(), 0.5, what=repr(text))
    except TimeoutError:
        lines = [line for line in new_log(sb, since).splitlines()
                 if re.search("auto load|variance|assign", line)]
        raise AssertionError("no %r; the log says:\n%s\n%s"
                             % (text, "\n".join(lines),
                                sb.appctl("dpif-netdev/pmd-rxq-show")))
    return time.monotonic() - t0


def test_no_rebalance_without_improvement(switches):
    sb, t0, since = switches["stays"]
    placed = sb.rxq_assignment()[0]
    busy_core = core_of(sb, "busy")
    assert len(placed[busy_core]) == 2       # One PMD polls two queues.
    took = wait_for_check(sb, since, t0, "PMD load variance improvement "
                          "threshold 25% is not met.")
    assert took >= CHECK_AFTER
    log = new_log(sb, since)
    assert ENABLED % sb.threshold in log
    assert "PMD auto load balance performing dry run." in log
    m = VARIANCE.search(log)
    assert m, log
    # The busy PMD near 100 %, the other near 0 %, before and after.
    assert int(m.group(1)) == int(m.group(2)) >= 2000
    assert int(m.group(3)) == 0
    assert REQUEST not in log
    assert sb.rxq_assignment()[0] == placed


def test_rebalances_overloaded_pmd(switches):
    sb, t0, since = switches["moves"]
    took = wait_for_check(sb, since, t0, REQUEST)
    assert took >= CHECK_AFTER
    log = new_log(sb, since)
    assert ENABLED % sb.threshold in log
    m = VARIANCE.search(log)
    assert m, log
    current, estimate, improvement = map(int, m.groups())
    assert estimate < current and improvement >= 25
    assert "PMD load variance improvement threshold 25% is met." in log
    # The reassignment follows the request and splits the two guests.
    def after():
        return new_log(sb, since).split(REQUEST, 1)[1]
    wait_for(lambda: "Performing pmd to rx queue assignment using cycles "
             "algorithm." in after(), what="the reassignment")
    # The main thread writes one line per queue after that one: wait for
    # them rather than read the log once.
    for port in ("v1", "v2"):
        line = (r"Core  [01] on numa node \d+ assigned port '%s' rx queue 0 "
                r"\(measured processing cycles \d+\)\." % port)
        wait_for(lambda: re.search(line, after()),
                 what="the assignment line of %s" % port)
    wait_for(lambda: core_of(sb, "v1") != core_of(sb, "v2"),
             what="v1 and v2 on different PMDs")
    out = sb.appctl("dpif-netdev/pmd-rxq-show")
    for port in ("v1", "v2"):
        m = re.search(r"port: %s\s+queue-id:  0 \(enabled\)   "
                      r"pmd usage: +(\d+) %%" % port, out)
        assert m and int(m.group(1)) > 0, out
    rx_grows(sb, "v1")
    rx_grows(sb, "v2")


def test_interval_and_threshold_settings(switches):
    """After the checks: the settings' ranges and log lines, as OVS."""
    sb, _, _ = switches["stays"]
    # At start: every value once, then the state.
    start = sb.log().split(ENABLED % sb.threshold)[0]
    assert re.search(r"interval set to 1 mins\n.*improvement threshold set "
                     r"to 25%\n.*load threshold set to 50%\n.*PMD auto load "
                     r"balance is disabled\.\n", start), start

    def change(cfg):
        since = len(sb.log().splitlines())
        sb.set_other_config(cfg)
        time.sleep(0.2)
        return new_log(sb, since)

    # 0 means the default, 1 minute: nothing changes.
    assert "auto load balance" not in change(
        {"pmd-auto-lb-rebal-interval": "0"})
    log = change({"pmd-auto-lb-rebal-interval": "5"})
    assert "PMD auto load balance interval set to 5 mins" in log
    assert ("PMD auto load balance is enabled, interval 5 mins, pmd load "
            "threshold 50%, improvement threshold 25%.") in log
    # Beyond the documented 20,000: the default again.
    log = change({"pmd-auto-lb-rebal-interval": "20001"})
    assert "PMD auto load balance interval set to 1 mins" in log
    log = change({"pmd-auto-lb-improvement-threshold": "101",
                  "pmd-auto-lb-load-threshold": "-1"})
    assert "PMD auto load balance load threshold set to 95%" in log
    assert "improvement threshold set" not in log       # Still 25 %.
    log = change({"pmd-auto-lb": "false"})
    assert log.strip().endswith("PMD auto load balance is disabled.")
