"""Flow monitors: the stock "ovs-ofctl monitor BRIDGE watch:[...]" against
ovs-nfv (NXST_FLOW_MONITOR over OpenFlow 1.0).  The expected lines are
what ovs-ofctl 3.1 prints for the same sequence against Debian's Open
vSwitch 3.1 (recorded by running both; see Documentation/openflow.md)."""

import os
import struct
import subprocess
import threading
import time
import uuid

import pytest

from ofclient import OFClient, message

BR = "fm%s" % uuid.uuid4().hex[:8]   # TAP names are host-wide.
REPLY = "NXST_FLOW_MONITOR reply (xid=0x0):"


class Monitor:
    """A background "ovs-ofctl monitor BR SPEC..." whose output lines are
    collected as they come (line-buffered through stdbuf)."""

    def __init__(self, sb, *specs, options=()):
        self.lines = []
        self.proc = subprocess.Popen(
            ["stdbuf", "-oL", "ovs-ofctl"] + list(options)
            + ["monitor", BR] + list(specs),
            env=sb.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate, timeout=5.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate(self.lines):
                return True
            if self.proc.poll() is not None:
                time.sleep(0.1)
                return predicate(self.lines)
            time.sleep(0.02)
        return False

    def wait_initial(self, n_specs=1):
        """Waits until the reply to each request (the initial flows) is
        printed: from then on the monitors exist."""
        assert self.wait_for(lambda ls: sum(
            1 for l in ls if "_FLOW_MONITOR reply" in l
            and "(xid=0x0)" not in l) >= n_specs), self.lines

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)
        return [l for l in self.lines if "fatal_signal" not in l]


@pytest.fixture
def switch(vswitchd):
    vswitchd.vsctl("add-br", BR, "--", "set", "Bridge", BR,
                   "datapath_type=netdev")
    monitors = []
    vswitchd.monitors = monitors
    try:
        yield vswitchd
    finally:
        for m in monitors:
            m.stop()


def monitor(sb, *specs, options=()):
    m = Monitor(sb, *specs, options=options)
    sb.monitors.append(m)
    m.wait_initial(len(specs))
    return m


def updates(n_replies, reply=REPLY):
    """Predicate: 'n_replies' asynchronous replies and their lines are
    in (an update line follows each reply line)."""
    def pred(lines):
        idx = [i for i, l in enumerate(lines) if l == reply]
        return len(idx) >= n_replies and len(lines) > idx[-1] + 1 \
            if idx else n_replies == 0
    return pred


def test_events_filters_and_options(switch):
    sb = switch
    sb.ofctl("add-flow", BR, "table=1,priority=5,ip,nw_dst=10.0.0.1,"
             "actions=output:1")
    specs = {
        "all": ["watch:"],
        "out_port": ["watch:!initial,out_port=2"],
        "table": ["watch:table=1,!actions"],
        "match": ["watch:ip"],
        "deletes": ["watch:!initial,!add,!modify"],
        "no_deletes": ["watch:!initial,!delete"],
    }
    mons = {k: monitor(sb, *v) for k, v in specs.items()}
    flow = "cookie=0x7,priority=10,in_port=1,tcp,tp_dst=80"
    sb.ofctl("add-flow", BR, flow + ",idle_timeout=30,actions=output:2")
    sb.ofctl("add-flow", BR, flow + ",idle_timeout=30,actions=output:2")
    sb.ofctl("add-flow", BR, "cookie=0x8,priority=10,in_port=1,tcp,"
             "tp_dst=80,actions=output:3")
    sb.ofctl("mod-flows", BR, "in_port=1,actions=output:2,output:4")
    sb.ofctl("mod-flows", BR, "table=1,ip,actions=drop")
    sb.ofctl("del-flows", BR, "tcp")
    sb.ofctl("--strict", "del-flows", BR,
             "table=1,priority=5,ip,nw_dst=10.0.0.1")
    sb.ofctl("del-flows", BR)

    add1 = (" event=ADDED table=0 idle_timeout=30 cookie=0x7 "
            "tcp,in_port=1,tp_dst=80 actions=output:2")
    add2 = (" event=ADDED table=0 cookie=0x8 tcp,in_port=1,tp_dst=80 "
            "actions=output:3")
    mod1 = (" event=MODIFIED table=0 cookie=0 tcp,in_port=1,tp_dst=80 "
            "actions=output:2,output:4")
    mod2 = " event=MODIFIED table=1 cookie=0 ip,nw_dst=10.0.0.1"
    del1 = (" event=DELETED reason=delete table=0 cookie=0 "
            "tcp,in_port=1,tp_dst=80 actions=output:2,output:4")
    del2 = " event=DELETED reason=delete table=1 cookie=0 ip,nw_dst=10.0.0.1"
    del3 = " event=DELETED reason=delete table=0 cookie=0 actions=NORMAL"
    initial = "NXST_FLOW_MONITOR reply (xid=0x6):"

    def with_replies(*events):
        out = []
        for e in events:
            out += [REPLY, e]
        return out

    expected = {
        "all": [initial,
                " event=ADDED table=0 cookie=0 actions=NORMAL",
                " event=ADDED table=1 cookie=0 ip,nw_dst=10.0.0.1 "
                "actions=output:1"]
        + with_replies(add1, add1, add2, mod1, mod2, del1, del2, del3),
        "out_port": [initial] + with_replies(add1, add1, add2, mod1, del1),
        "table": [initial, " event=ADDED table=1 cookie=0 ip,nw_dst=10.0.0.1"]
        + with_replies(mod2, del2),
        "match": [initial, " event=ADDED table=1 cookie=0 ip,nw_dst=10.0.0.1 "
                  "actions=output:1"]
        + with_replies(add1, add1, add2, mod1, mod2, del1, del2),
        "deletes": [initial] + with_replies(del1, del2, del3),
        "no_deletes": [initial] + with_replies(add1, add1, add2, mod1, mod2),
    }
    for name, m in mons.items():
        n = expected[name].count(REPLY)
        m.wait_for(updates(n))
        time.sleep(0.05)
        assert m.stop() == expected[name], name


def test_timeouts_report_their_reason(switch):
    sb = switch
    m = monitor(sb, "watch:!initial")
    sb.ofctl("add-flow", BR, "table=2,priority=7,hard_timeout=1,actions=drop")
    assert m.wait_for(updates(2), timeout=5)
    sb.ofctl("add-flow", BR, "table=2,priority=8,idle_timeout=1,"
             "in_port=1,actions=drop")
    assert m.wait_for(updates(4), timeout=5)
    assert m.stop() == [
        "NXST_FLOW_MONITOR reply (xid=0x6):",
        REPLY, " event=ADDED table=2 hard_timeout=1 cookie=0",
        REPLY, " event=DELETED reason=hard table=2 hard_timeout=1 cookie=0",
        REPLY, " event=ADDED table=2 idle_timeout=1 cookie=0 in_port=1",
        REPLY, " event=DELETED reason=idle table=2 idle_timeout=1 cookie=0 "
        "in_port=1",
    ]


def test_add_flows_replace_flows_and_bundles(switch, tmp_path):
    sb = switch
    m = monitor(sb, "watch:!initial")
    f = tmp_path / "f.txt"
    f.write_text("priority=1,in_port=1,actions=drop\n"
                 "priority=2,in_port=2,actions=drop\n")
    sb.ofctl("add-flows", BR, str(f))
    sb.ofctl("del-flows", BR, "in_port=1")
    sb.ofctl("add-flow", BR, "priority=3,in_port=2,actions=drop")
    sb.ofctl("del-flows", BR, "in_port=2")      # Two flows, one reply.
    g = tmp_path / "g.txt"
    g.write_text("priority=1,in_port=1,actions=drop\n"
                 "priority=2,in_port=3,actions=drop\n")
    sb.ofctl("replace-flows", BR, str(g))
    sb.ofctl("-O", "OpenFlow14", "--bundle", "add-flow", BR,
             "priority=4,in_port=4,actions=output:1")
    assert m.wait_for(updates(9), timeout=5), m.lines
    # One request deleting two flows gives one reply with both.
    assert m.stop() == [
        "NXST_FLOW_MONITOR reply (xid=0x6):",
        REPLY, " event=ADDED table=0 cookie=0 in_port=1",
        REPLY, " event=ADDED table=0 cookie=0 in_port=2",
        REPLY, " event=DELETED reason=delete table=0 cookie=0 in_port=1",
        REPLY, " event=ADDED table=0 cookie=0 in_port=2",
        REPLY, " event=DELETED reason=delete table=0 cookie=0 in_port=2",
        " event=DELETED reason=delete table=0 cookie=0 in_port=2",
        REPLY, " event=DELETED reason=delete table=0 cookie=0 actions=NORMAL",
        REPLY, " event=ADDED table=0 cookie=0 in_port=1",
        REPLY, " event=ADDED table=0 cookie=0 in_port=3",
        REPLY, " event=ADDED table=0 cookie=0 in_port=4 actions=output:1",
    ]


@pytest.mark.parametrize("version", ["OpenFlow14", "OpenFlow15"])
def test_standard_flow_monitor(switch, version):
    """ovs-ofctl -O OpenFlow14/15 sends the standard OFPMP_FLOW_MONITOR;
    updates carry instructions."""
    sb = switch
    v = "OF1.4" if version == "OpenFlow14" else "OF1.5"
    reply = "OFPST_FLOW_MONITOR reply (%s) (xid=0x0):" % v
    sb.ofctl("add-flow", BR, "table=1,priority=5,ip,nw_dst=10.0.0.1,"
             "actions=output:1")
    m = monitor(sb, "watch:", options=("-O", version))
    m2 = monitor(sb, "watch:!initial,table=3,!actions",
                 options=("-O", version))
    sb.ofctl("add-flow", BR, "cookie=0x7,priority=10,in_port=1,tcp,"
             "tp_dst=80,idle_timeout=30,actions=output:2")
    sb.ofctl("-O", "OpenFlow13", "add-flow", BR, "table=3,priority=10,"
             "in_port=1,actions=write_actions(output:1),goto_table:4")
    sb.ofctl("-O", "OpenFlow13", "mod-flows", BR,
             "table=3,in_port=1,actions=output:5")
    sb.ofctl("del-flows", BR, "tcp")
    assert m.wait_for(updates(4, reply), timeout=5), m.lines
    assert m2.wait_for(updates(2, reply), timeout=5), m2.lines
    time.sleep(0.05)
    assert m.stop() == [
        "OFPST_FLOW_MONITOR reply (%s) (xid=0x6):" % v,
        " event=INITIAL table=0 cookie=0 actions=NORMAL",
        " event=INITIAL table=1 cookie=0 ip,nw_dst=10.0.0.1 actions=output:1",
        reply, " event=ADDED table=0 idle_timeout=30 cookie=0x7 "
        "tcp,in_port=1,tp_dst=80 actions=output:2",
        reply, " event=ADDED table=3 cookie=0 in_port=1 "
        "actions=write_actions(output:1),goto_table:4",
        reply, " event=MODIFIED table=3 cookie=0 in_port=1 actions=output:5",
        reply, " event=DELETED reason=delete table=0 idle_timeout=30 "
        "cookie=0x7 tcp,in_port=1,tp_dst=80 actions=output:2",
    ]
    assert m2.stop() == [
        "OFPST_FLOW_MONITOR reply (%s) (xid=0x6):" % v,
        reply, " event=ADDED table=3 cookie=0 in_port=1",
        reply, " event=MODIFIED table=3 cookie=0 in_port=1",
    ]


def test_bad_flags_error(switch):
    sb = switch
    r = sb.run(["ovs-ofctl", "--timeout=1", "monitor", BR,
                "watch:!add,!delete,!modify"], check=False, timeout=10)
    assert r.stdout.splitlines()[0] == \
        "OFPT_ERROR (xid=0x6): OFPMOFC_BAD_FLAGS", r.stdout


# ---- Raw NX messages: own changes, duplicate ids, cancel ----------------

OFP10 = 1
NX_VENDOR = 0x2320


def nx_monitor_request(mon_id, flags, xid, table=0xff):
    body = struct.pack("!HHII4x", 0xffff, 0, NX_VENDOR, 2)
    body += struct.pack("!IHHHB5x", mon_id, flags, 0xffff, 0, table)
    return message(OFP10, 16, body, xid=xid)


def nx_cancel(mon_id, xid):
    return message(OFP10, 4, struct.pack("!III", NX_VENDOR, 21, mon_id),
                   xid=xid)


def nx_add_flow(priority, xid):
    """NXT_FLOW_MOD add: empty match, no actions (drop)."""
    body = struct.pack("!II", NX_VENDOR, 13)
    body += struct.pack("!QHHHHIHHH6x", 0, 0, 0, 0, priority, 0xffffffff,
                        0xffff, 0, 0)
    return message(OFP10, 4, body, xid=xid)


def ofp_print(data):
    return subprocess.run(["ovs-ofctl", "ofp-print", data.hex()],
                          capture_output=True, text=True,
                          check=True).stdout.strip()


def recv_type(client, msg_type):
    while True:
        reply = client.recv()
        if reply[1] == msg_type:
            return reply


ALL_EVENTS = 0x1 | 0x2 | 0x4 | 0x8      # initial, add, delete, modify


def test_own_changes_abbreviated_duplicates_and_cancel(switch):
    sb = switch
    path = os.path.join(sb.dir, BR + ".mgmt")
    c = OFClient(path, version=OFP10)
    try:
        c.send(nx_monitor_request(1, ALL_EVENTS, xid=0x10))
        assert ofp_print(recv_type(c, 17)).splitlines() == [
            "NXST_FLOW_MONITOR reply (xid=0x10):",
            " event=ADDED table=0 cookie=0"]
        # Without NXFMF_OWN, this connection's own change comes back as one
        # abbreviated update with the xid of the flow-mod.
        c.send(nx_add_flow(77, xid=0x1234))
        assert ofp_print(recv_type(c, 17)).splitlines() == [
            "NXST_FLOW_MONITOR reply (xid=0x0):", " event=ABBREV xid=0x1234"]
        # Another connection's change is reported in full.
        sb.ofctl("add-flow", BR, "priority=78,actions=drop")
        assert ofp_print(recv_type(c, 17)).splitlines() == [
            "NXST_FLOW_MONITOR reply (xid=0x0):",
            " event=ADDED table=0 cookie=0"]
        # A second monitor with NXFMF_OWN: own changes in full.
        c.send(nx_monitor_request(2, ALL_EVENTS | 0x20 | 0x10, xid=0x11,
                                  table=0))
        recv_type(c, 17)
        c.send(nx_add_flow(79, xid=0x1235))
        assert ofp_print(recv_type(c, 17)).splitlines() == [
            "NXST_FLOW_MONITOR reply (xid=0x0):",
            " event=ADDED table=0 cookie=0"]
        # Errors, with Open vSwitch's codes (NXET_VENDOR, BAD_REQUEST).
        dup = nx_monitor_request(2, ALL_EVENTS, xid=0x12)
        assert error_line(c, dup, 0x12) == \
            "OFPT_ERROR (xid=0x12): OFPMOFC_MONITOR_EXISTS"
        assert error_line(c, nx_cancel(9, xid=0x13), 0x13) == \
            "OFPT_ERROR (xid=0x13): OFPMOFC_UNKNOWN_MONITOR"
        # Cancel both: no more updates (the echo reply comes first).
        c.send(nx_cancel(1, xid=0x14))
        c.send(nx_cancel(2, xid=0x15))
        assert c.echo()
        sb.ofctl("add-flow", BR, "priority=80,actions=drop")
        assert_no_update_after_barrier(c, OFP10, 18, 17, xid=0x16)
    finally:
        c.close()


def of14_monitor_request(mon_id, flags, command, xid):
    body = struct.pack("!HH4x", 16, 0)
    body += struct.pack("!IIIHBB", mon_id, 0xffffffff, 0xffffffff, flags,
                        0xff, command)
    body += struct.pack("!HH4x", 1, 4)           # Empty OXM match.
    return message(5, 18, body, xid=xid)


def test_of14_monitor_commands_and_errors(switch):
    sb = switch
    c = OFClient(os.path.join(sb.dir, BR + ".mgmt"), version=5)
    try:
        c.send(of14_monitor_request(1, 0x1f, 0, xid=0x20))
        assert ofp_print(recv_type(c, 19)).splitlines() == [
            "OFPST_FLOW_MONITOR reply (OF1.4) (xid=0x20):",
            " event=INITIAL table=0 cookie=0 actions=NORMAL"]
        for mon_id, flags, command, xid, error in (
                (1, 0x1f, 0, 0x21, "OFPMOFC_MONITOR_EXISTS"),
                (7, 0x1f, 2, 0x22, "OFPMOFC_UNKNOWN_MONITOR"),
                (2, 0x80, 0, 0x23, "OFPMOFC_BAD_FLAGS"),
                (2, 0x1f, 3, 0x24, "OFPMOFC_BAD_COMMAND")):
            rq = of14_monitor_request(mon_id, flags, command, xid=xid)
            assert error_line(c, rq, xid) == \
                "OFPT_ERROR (OF1.4) (xid=0x%x): %s" % (xid, error)
        # Another connection's change: in full.
        sb.ofctl("add-flow", BR, "priority=5,actions=drop")
        assert ofp_print(recv_type(c, 19)).splitlines() == [
            "OFPST_FLOW_MONITOR reply (OF1.4) (xid=0x0):",
            " event=ADDED table=0 cookie=0"]
        # OFPFMC_DELETE removes the monitor: no update for the next change.
        c.send(of14_monitor_request(1, 0x1f, 2, xid=0x25))
        recv_type(c, 19)
        sb.ofctl("add-flow", BR, "priority=6,actions=drop")
        assert_no_update_after_barrier(c, 5, 20, 19, xid=0x26)
    finally:
        c.close()


def assert_no_update_after_barrier(c, version, barrier_type, update_type,
                                   xid):
    """Sends a barrier request (its reply type is barrier_type + 1) and
    checks that no message of 'update_type' follows its reply."""
    c.send(message(version, barrier_type, xid=xid))
    assert recv_type(c, barrier_type + 1)[4:8] == struct.pack("!I", xid)
    c.sock.settimeout(0.3)
    with pytest.raises(OSError):
        recv_type(c, update_type)


def error_line(client, data, xid):
    """Sends 'data' and returns the first line ovs-ofctl prints for the
    error reply with 'xid'."""
    client.send(data)
    while True:
        reply = client.recv()
        if reply[1] == 1 and struct.unpack("!I", reply[4:8])[0] == xid:
            return ofp_print(reply).splitlines()[0]


def nx_updates(msg):
    """(event, priority) of each update of an NXST_FLOW_MONITOR reply."""
    out, pos = [], 24
    while pos + 4 <= len(msg):
        length, event = struct.unpack("!HH", msg[pos:pos + 4])
        prio = struct.unpack("!H", msg[pos + 6:pos + 8])[0] \
            if event != 3 else None
        out.append((event, prio))
        pos += length
    return out


def test_slow_reader_is_paused_then_resumed(switch, tmp_path):
    """A monitoring connection that stops reading gets
    NXT_FLOW_MONITOR_PAUSED once its backlog passes 128 KiB; when it reads
    again, the flows added meanwhile come as ADDED, then RESUMED."""
    sb = switch
    c = OFClient(os.path.join(sb.dir, BR + ".mgmt"), version=OFP10)
    try:
        c.send(nx_monitor_request(1, 0x2 | 0x4 | 0x8, xid=0x30))
        recv_type(c, 17)
        n = 12000
        f = tmp_path / "many.txt"
        f.write_text("".join("priority=%d,in_port=1,actions=drop\n" % (i + 1)
                             for i in range(n)))
        sb.ofctl("add-flows", BR, str(f))       # c reads nothing meanwhile.
        c.sock.settimeout(10)
        added, paused_at, resumed_at, count = set(), None, None, 0
        last_reply = []
        while resumed_at is None:
            msg = c.recv()
            count += 1
            vendor = msg[1] == 4 and struct.unpack("!II", msg[8:16])
            if vendor == (NX_VENDOR, 22):
                assert paused_at is None
                paused_at = count
            elif vendor == (NX_VENDOR, 23):
                resumed_at = count
            elif msg[1] == 17:
                last_reply = nx_updates(msg)
                for event, prio in last_reply:
                    assert event == 0, (event, prio)
                    added.add(prio)
        assert paused_at and resumed_at > paused_at
        # The flows added while paused, in the reply just before RESUMED.
        assert len(last_reply) > 100, len(last_reply)
        # Every flow reported once it was added, or at the resumption.
        assert added == set(range(1, n + 1))
        # Back to normal.
        sb.ofctl("add-flow", BR, "priority=%d,actions=drop" % (n + 5))
        assert nx_updates(recv_type(c, 17)) == [(0, n + 5)]
    finally:
        c.close()
