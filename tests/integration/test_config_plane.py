"""The configuration plane: the stock ovs-vsctl against a real ovsdb-server
drives ovs-nfv's bridges, ports and interfaces, and reads back what the
daemon wrote.  No DPDK: internal ports (TAP devices) and bad rows only.

Bridge and port names are random so that tests running at the same time on
one host never fight over TAP device names."""

import json
import os
import re
import signal
import subprocess
import time
import uuid

import pytest

from sandbox import wait_for


def uniq(prefix):
    """A fresh interface name (at most 15 characters, as the kernel wants)."""
    return prefix + uuid.uuid4().hex[:7]


def decode(value):
    """Turns an OVSDB JSON value (as ovs-vsctl --format=json prints it) into
    Python: maps become dicts, sets lists, uuids strings."""
    if isinstance(value, list) and len(value) == 2:
        kind, body = value
        if kind == "map":
            return {decode(k): decode(v) for k, v in body}
        if kind == "set":
            return [decode(v) for v in body]
        if kind in ("uuid", "named-uuid"):
            return body
    return value


def row(sb, table, record):
    """One row as a dict, read with ovs-vsctl."""
    out = sb.vsctl("--format=json", "list", table, record)
    data = json.loads(out)
    assert len(data["data"]) == 1
    return {h: decode(v) for h, v in zip(data["headings"], data["data"][0])}


def rows(sb, table):
    out = sb.vsctl("--format=json", "list", table)
    data = json.loads(out)
    return [{h: decode(v) for h, v in zip(data["headings"], r)}
            for r in data["data"]]


def empty(value):
    return value == [] or value == {}


def host_link(name):
    """'ip link show NAME' output, or None if there is no such device."""
    proc = subprocess.run(["ip", "link", "show", name], capture_output=True,
                          text=True)
    return proc.stdout if proc.returncode == 0 else None


def timed_vsctl(sb, *args, limit=5.0):
    """Runs ovs-vsctl (which waits for cur_cfg) and checks it was prompt."""
    start = time.monotonic()
    proc = sb.run(["ovs-vsctl", "--db=" + sb.remote, "--timeout=20"]
                  + list(args), check=False, timeout=30)
    elapsed = time.monotonic() - start
    assert elapsed < limit, "ovs-vsctl %s took %.1f s" % (args, elapsed)
    return proc


def add_internal_port(sb, br, name, *settings):
    proc = timed_vsctl(sb, "add-port", br, name, "--", "set", "Interface",
                       name, "type=internal", *settings)
    assert proc.returncode == 0, proc.stderr
    assert "Error detected" not in proc.stderr, proc.stderr
    return row(sb, "Interface", name)


@pytest.fixture
def bridge(vswitchd):
    """ovs-nfv running with one bridge; yields (sandbox, bridge name)."""
    br = uniq("nb")
    proc = timed_vsctl(vswitchd, "add-br", br)
    assert proc.returncode == 0, proc.stderr
    yield vswitchd, br


def test_add_br_writes_back_open_vswitch_bridge_interface(vswitchd):
    sb = vswitchd
    br = uniq("nb")
    proc = timed_vsctl(sb, "add-br", br)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr

    ovs = row(sb, "Open_vSwitch", ".")
    assert ovs["cur_cfg"] == ovs["next_cfg"] and ovs["cur_cfg"] >= 1
    version = sb.appctl("version").split()[-1]
    assert ovs["ovs_version"] == version
    schema = json.load(open("/usr/share/openvswitch/vswitch.ovsschema"))
    assert ovs["db_version"] == schema["version"]
    assert ovs["datapath_types"] == "netdev"      # A one-element set.
    assert "internal" in ovs["iface_types"]
    assert "system" not in ovs["iface_types"]
    assert ovs["dpdk_initialized"] is False

    b = row(sb, "Bridge", br)
    assert b["datapath_version"] == "<built-in>"
    assert re.fullmatch(r"[0-9a-f]{16}", b["datapath_id"]), b["datapath_id"]

    i = row(sb, "Interface", br)
    assert i["ofport"] == 65534
    assert empty(i["error"])
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", i["mac_in_use"])
    # The datapath ID is derived from the bridge's MAC.
    assert b["datapath_id"] == "0000" + i["mac_in_use"].replace(":", "")
    assert isinstance(i["mtu"], int) and i["mtu"] > 0
    assert i["link_state"] in ("up", "down")
    assert i["admin_state"] in ("up", "down")
    assert "rx_packets" in i["statistics"] and "tx_bytes" in i["statistics"]
    assert all(isinstance(v, int) for v in i["statistics"].values())

    # The local port is a TAP device on the host named like the bridge.
    assert host_link(br), "no host device %s" % br


def test_ports_get_stable_ofports(bridge):
    sb, br = bridge
    p1, p2, p3 = uniq("na"), uniq("nb"), uniq("nc")
    assert add_internal_port(sb, br, p1)["ofport"] == 1
    assert add_internal_port(sb, br, p2)["ofport"] == 2
    assert host_link(p1) and host_link(p2)

    proc = timed_vsctl(sb, "del-port", br, p1)
    assert proc.returncode == 0
    wait_for(lambda: not host_link(p1), timeout=5, what="TAP removal")
    # p2 keeps its number; a new port takes the lowest free one.
    assert row(sb, "Interface", p2)["ofport"] == 2
    assert add_internal_port(sb, br, p3)["ofport"] == 1

    # Unrelated reconfiguration does not renumber or recreate anything, nor
    # does spelling out the default datapath type.
    timed_vsctl(sb, "set", "Bridge", br, "external_ids:k=v")
    timed_vsctl(sb, "set", "Bridge", br, "datapath_type=netdev")
    assert row(sb, "Interface", p2)["ofport"] == 2
    assert row(sb, "Interface", p3)["ofport"] == 1
    assert "deleted interface %s" % p2 not in sb.log()


def test_ofport_request_honoured_and_duplicate_reported(bridge):
    sb, br = bridge
    a, b = uniq("na"), uniq("nb")
    ia = add_internal_port(sb, br, a, "ofport_request=10")
    assert ia["ofport"] == 10 and empty(ia["error"])

    ib = add_internal_port(sb, br, b, "ofport_request=10")
    assert ib["ofport"] not in (10, -1)
    assert ib["error"] == ("ofport_request 10 is already requested by "
                           "interface %s" % a)
    assert row(sb, "Interface", a)["ofport"] == 10

    # Moving the request away clears the error and honours the new number.
    timed_vsctl(sb, "set", "Interface", b, "ofport_request=11")
    ib = row(sb, "Interface", b)
    assert ib["ofport"] == 11 and empty(ib["error"])

    # A request for a number an unrequested port holds moves that port.
    c = uniq("nc")
    first_free = add_internal_port(sb, br, c)["ofport"]
    d = uniq("nd")
    add_internal_port(sb, br, d, "ofport_request=%d" % first_free)
    assert row(sb, "Interface", d)["ofport"] == first_free
    assert row(sb, "Interface", c)["ofport"] not in (first_free, -1)


def test_bad_interface_type_is_an_error_not_a_crash(bridge):
    sb, br = bridge
    good = uniq("ng")
    add_internal_port(sb, br, good)
    bad = uniq("nx")
    proc = timed_vsctl(sb, "add-port", br, bad, "--", "set", "Interface",
                       bad, "type=nosuchtype")
    # ovs-vsctl reports what the daemon wrote into Interface:error.
    assert "Error detected while setting up '%s'" % bad in proc.stderr
    i = row(sb, "Interface", bad)
    assert i["ofport"] == -1
    assert i["error"].startswith('could not open network device %s (unknown '
                                 'type "nosuchtype"; supported types: ' % bad)
    assert "internal" in i["error"]

    # The daemon lives and everything else keeps working.
    assert sb.appctl("version")
    assert row(sb, "Interface", good)["ofport"] >= 1
    other = uniq("nh")
    assert add_internal_port(sb, br, other)["ofport"] >= 1

    # No type means "system" in Open vSwitch, which ovs-nfv does not have.
    sysport = uniq("ny")
    timed_vsctl(sb, "add-port", br, sysport)
    assert 'type "system" (the default) is not supported' in \
        row(sb, "Interface", sysport)["error"]

    # Fixing the row clears the error.
    timed_vsctl(sb, "set", "Interface", bad, "type=internal")
    i = row(sb, "Interface", bad)
    assert i["ofport"] >= 1 and empty(i["error"])


def test_dpdk_port_without_dpdk_reports_error(bridge):
    sb, br = bridge
    name = uniq("nd")
    proc = timed_vsctl(sb, "add-port", br, name, "--", "set", "Interface",
                       name, "type=dpdk",
                       "options:dpdk-devargs=net_null0")
    assert "Error detected while setting up '%s'" % name in proc.stderr
    i = row(sb, "Interface", name)
    assert i["ofport"] == -1
    assert "DPDK" in i["error"] or "dpdk" in i["error"], i["error"]
    assert sb.appctl("version")


def test_unsupported_datapath_type(bridge):
    sb, good = bridge
    br = uniq("ns")
    proc = timed_vsctl(sb, "add-br", br, "--", "set", "Bridge", br,
                       "datapath_type=system")
    assert "Error detected while setting up '%s'" % br in proc.stderr
    i = row(sb, "Interface", br)
    assert i["ofport"] == -1
    assert 'datapath_type "system" is not supported' in i["error"]
    assert empty(row(sb, "Bridge", br)["datapath_id"])

    # The other bridge is unaffected; fixing the type brings this one up.
    assert row(sb, "Interface", good)["ofport"] == 65534
    timed_vsctl(sb, "set", "Bridge", br, "datapath_type=netdev")
    i = row(sb, "Interface", br)
    assert i["ofport"] == 65534 and empty(i["error"])
    assert re.fullmatch(r"[0-9a-f]{16}", row(sb, "Bridge", br)["datapath_id"])


def test_datapath_id_from_other_config_and_hwaddr(bridge):
    sb, br = bridge
    timed_vsctl(sb, "set", "Bridge", br,
                "other_config:datapath-id=0000000000000abc")
    assert row(sb, "Bridge", br)["datapath_id"] == "0000000000000abc"

    # A malformed value falls back to the MAC (and is logged).
    timed_vsctl(sb, "set", "Bridge", br, "other_config:datapath-id=xyz")
    b = row(sb, "Bridge", br)
    mac = row(sb, "Interface", br)["mac_in_use"]
    assert b["datapath_id"] == "0000" + mac.replace(":", "")
    assert 'datapath-id "xyz"' in sb.log()

    timed_vsctl(sb, "remove", "Bridge", br, "other_config", "datapath-id",
                "--", "set", "Bridge", br,
                "other_config:hwaddr=02:00:00:00:00:01")
    assert row(sb, "Bridge", br)["datapath_id"] == "0000020000000001"
    assert row(sb, "Interface", br)["mac_in_use"] == "02:00:00:00:00:01"


def test_bad_mtu_and_vlan_settings_are_reported(bridge):
    sb, br = bridge
    p = uniq("nm")
    add_internal_port(sb, br, p)
    timed_vsctl(sb, "set", "Interface", p, "mtu_request=1400")
    i = row(sb, "Interface", p)
    assert i["mtu"] == 1400 and empty(i["error"])

    timed_vsctl(sb, "set", "Interface", p, "mtu_request=10")
    i = row(sb, "Interface", p)
    assert "MTU 10" in i["error"]
    assert i["ofport"] >= 1                     # Still in the switch.

    timed_vsctl(sb, "clear", "Interface", p, "mtu_request")
    timed_vsctl(sb, "set", "Port", p, "vlan_mode=access")
    assert row(sb, "Interface", p)["error"] == (
        "port %s: vlan_mode access needs a tag" % p)
    timed_vsctl(sb, "set", "Port", p, "tag=10")
    assert empty(row(sb, "Interface", p)["error"])


def test_may_exist_if_exists_and_chained_commands(vswitchd):
    sb = vswitchd
    br, p, q = uniq("nb"), uniq("np"), uniq("nq")
    proc = timed_vsctl(sb, "add-br", br, "--", "add-port", br, p, "--",
                       "set", "Interface", p, "type=internal", "--",
                       "add-port", br, q, "--", "set", "Interface", q,
                       "type=internal", "ofport_request=7")
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    assert row(sb, "Interface", p)["ofport"] == 1
    assert row(sb, "Interface", q)["ofport"] == 7

    assert timed_vsctl(sb, "--may-exist", "add-br", br).returncode == 0
    assert timed_vsctl(sb, "add-br", br).returncode != 0
    assert timed_vsctl(sb, "--may-exist", "add-port", br, p).returncode == 0
    assert timed_vsctl(sb, "--if-exists", "del-port", br,
                       "nosuchport").returncode == 0
    assert timed_vsctl(sb, "--if-exists", "del-br", "nosuchbr").returncode == 0

    assert sb.vsctl("get", "Interface", q, "ofport").strip() == "7"
    assert sb.vsctl("list-ports", br).split() == sorted([p, q])
    show = sb.vsctl("show")
    assert "Bridge %s" % br in show and "Port %s" % q in show
    assert 'ovs_version: "%s"' % sb.appctl("version").split()[-1] in show

    proc = timed_vsctl(sb, "del-br", br)
    assert proc.returncode == 0
    assert sb.vsctl("list-br").split() == []
    assert rows(sb, "Interface") == []
    wait_for(lambda: not host_link(br) and not host_link(p),
             timeout=5, what="TAP devices to go")


def test_port_moves_between_bridges(vswitchd):
    sb = vswitchd
    b1, b2, p = uniq("nb"), uniq("nc"), uniq("np")
    timed_vsctl(sb, "add-br", b1, "--", "add-br", b2)
    add_internal_port(sb, b1, p)
    proc = timed_vsctl(sb, "del-port", b1, p, "--", "add-port", b2, p, "--",
                       "set", "Interface", p, "type=internal")
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    i = row(sb, "Interface", p)
    assert i["ofport"] == 1 and empty(i["error"])
    assert sb.vsctl("port-to-br", p).strip() == b2


def test_controller_rows_are_not_invented(bridge):
    # Nothing listens on port 1: the Controller row must not claim a
    # connection (with or without an OpenFlow layer to fill in the status),
    # and the bridge keeps working.
    sb, br = bridge
    assert timed_vsctl(sb, "set-controller", br,
                       "tcp:127.0.0.1:1").returncode == 0
    time.sleep(1.5)                             # A status refresh or so.
    c = rows(sb, "Controller")[0]
    assert c["is_connected"] is False
    assert empty(c["status"]) or c["status"].get("state") != "ACTIVE"
    assert row(sb, "Interface", br)["ofport"] == 65534
    assert timed_vsctl(sb, "del-controller", br).returncode == 0


def test_status_columns_follow_the_host(bridge):
    sb, br = bridge
    p = uniq("nu")
    i = add_internal_port(sb, br, p)
    assert i["admin_state"] == "down"
    subprocess.run(["ip", "link", "set", p, "up"], check=True)
    wait_for(lambda: row(sb, "Interface", p)["admin_state"] == "up",
             timeout=5, what="admin_state up")


def test_statistics_and_system_statistics(bridge):
    sb, br = bridge
    # Below the 5000 ms minimum: clamped, logged.
    timed_vsctl(sb, "set", "Open_vSwitch", ".",
                "other_config:stats-update-interval=1000",
                "other_config:enable-statistics=true")
    stats = wait_for(lambda: row(sb, "Open_vSwitch", ".")["statistics"],
                     timeout=10, what="Open_vSwitch:statistics")
    assert int(stats["cpu"]) >= 1
    assert re.fullmatch(r"[\d.]+,[\d.]+,[\d.]+", stats["load_average"])
    assert len(stats["memory"].split(",")) == 5
    vsz, rss, cpu, crashes, since, running = \
        stats["process_ovs-vswitchd"].split(",")
    assert int(rss) > 0 and crashes == "0"
    assert "process_ovsdb-server" in stats

    timed_vsctl(sb, "set", "Open_vSwitch", ".",
                "other_config:enable-statistics=false")
    wait_for(lambda: empty(row(sb, "Open_vSwitch", ".")["statistics"]),
             timeout=10, what="Open_vSwitch:statistics to clear")

    i = row(sb, "Interface", br)
    for key in ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes",
                "rx_dropped", "tx_dropped", "rx_errors", "tx_errors"):
        assert key in i["statistics"], key


def test_bad_global_keys_are_logged_not_fatal(bridge):
    sb, br = bridge
    timed_vsctl(sb, "set", "Open_vSwitch", ".",
                "other_config:pmd-cpu-mask=zzz",
                "other_config:stats-update-interval=soon")
    wait_for(lambda: "stats-update-interval" in sb.log(), timeout=5,
             what="log line for stats-update-interval")
    p = uniq("np")
    assert add_internal_port(sb, br, p)["ofport"] >= 1
    assert sb.appctl("version")


def test_ovsdb_restart_keeps_config_and_resyncs(bridge):
    sb, br = bridge
    keep, gone = uniq("nk"), uniq("ng")
    add_internal_port(sb, br, keep, "ofport_request=3")
    add_internal_port(sb, br, gone)

    sb.kill_pidfile("ovsdb-server", sig=signal.SIGKILL)
    time.sleep(0.5)
    # The switch keeps its ports while the database is away.
    assert host_link(keep) and host_link(gone)
    assert sb.appctl("version")

    # Change the configuration meanwhile, through a second server on the
    # same database file (the daemon's socket stays dead).
    db = os.path.join(sb.dir, "conf.db")
    alt = os.path.join(sb.dir, "alt.sock")
    sb.run(["ovsdb-server", db, "--remote=punix:" + alt,
            "--pidfile=" + os.path.join(sb.dir, "alt.pid"),
            "--unixctl=" + os.path.join(sb.dir, "alt.ctl"),
            "--detach", "--log-file=" + os.path.join(sb.dir, "alt.log")])
    sb.track_pidfile("alt-ovsdb", os.path.join(sb.dir, "alt.pid"))
    new = uniq("nn")
    sb.run(["ovs-vsctl", "--db=unix:" + alt, "--no-wait", "del-port", br,
            gone, "--", "add-port", br, new, "--", "set", "Interface", new,
            "type=internal"])
    sb.kill_pidfile("alt")
    time.sleep(0.5)
    assert host_link(gone), "change applied without the database"

    sb.restart_ovsdb()
    wait_for(lambda: row(sb, "Interface", new)["ofport"] not in ([], -1),
             timeout=15, what="resync after ovsdb-server restart")
    assert row(sb, "Interface", keep)["ofport"] == 3
    wait_for(lambda: not host_link(gone), timeout=5, what="removed port")
    assert host_link(new)
    # And ovs-vsctl works normally again, waiting for cur_cfg.
    later = uniq("nl")
    assert add_internal_port(sb, br, later)["ofport"] >= 1
    assert "lost database connection" in sb.log()


def test_daemon_restart_keeps_ofports(bridge):
    sb, br = bridge
    # Named so that fresh allocation in name order would swap them.
    late, early = uniq("nz"), uniq("na")
    assert add_internal_port(sb, br, late)["ofport"] == 1
    assert add_internal_port(sb, br, early)["ofport"] == 2

    sb.kill_pidfile("ovs-vswitchd")             # SIGTERM, waits for exit.
    assert not host_link(br)
    sb.start_vswitchd("ovs-nfv")
    wait_for(lambda: host_link(late) and host_link(early), timeout=10,
             what="ports recreated")
    timed_vsctl(sb, "set", "Bridge", br, "external_ids:after=restart")
    assert row(sb, "Interface", late)["ofport"] == 1
    assert row(sb, "Interface", early)["ofport"] == 2
    assert row(sb, "Interface", br)["ofport"] == 65534


def test_appctl_memory_show_and_errors(bridge):
    sb, br = bridge
    add_internal_port(sb, br, uniq("np"))
    commands = sb.appctl("list-commands")
    assert re.search(r"^  memory/show\b", commands, re.M)
    mem = sb.appctl("memory/show")
    assert re.fullmatch(r"(\S+:\d+)( \S+:\d+)*\n", mem), mem
    counts = dict(kv.split(":") for kv in mem.split())
    assert counts["bridges"] == "1" and counts["ports"] == "2"
    assert int(counts["idl-cells-Open_vSwitch"]) > 0

    proc = sb.run(["ovs-appctl", "memory/show", "extra"], check=False)
    assert proc.returncode != 0 and proc.stderr
    proc = sb.run(["ovs-appctl", "bridge/no-such-thing"], check=False)
    assert proc.returncode != 0
    assert "is not a valid command" in proc.stderr

    cov = sb.appctl("coverage/show")
    assert re.search(r"^bridge_reconfigure +\S+/sec", cov, re.M)

    # The bridge-level commands of the datapath know the bridge.
    for name in ("list-commands", "version", "exit", "vlog/list",
                 "vlog/set", "vlog/reopen", "vlog/close", "memory/show",
                 "coverage/show", "dpif/show", "fdb/show"):
        assert re.search(r"^  %s\b" % re.escape(name), commands, re.M), name
    show = sb.appctl("dpif/show")
    assert re.search(r"^  %s:$" % br, show, re.M), show
    assert re.search(r"^    %s 65534/\d+: \(tap\)$" % br, show, re.M), show
    assert sb.appctl("fdb/show", br).startswith(" port  VLAN  MAC")
    proc = sb.run(["ovs-appctl", "fdb/show", "nosuchbridge"], check=False)
    assert proc.returncode != 0 and "no such bridge" in proc.stderr


def test_exit_removes_host_devices(bridge):
    sb, br = bridge
    p = uniq("np")
    add_internal_port(sb, br, p)
    sb.appctl("exit", "--cleanup")
    wait_for(lambda: not host_link(br) and not host_link(p), timeout=10,
             what="TAP devices removed on exit")
