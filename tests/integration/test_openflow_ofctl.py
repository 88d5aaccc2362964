"""The stock ovs-ofctl against ovs-nfv's BRIDGE.mgmt socket, with and
without -O: every command round-trips (flows, groups, meters, ports,
tables, monitor), and what it prints matches Open vSwitch's behaviour for a
fresh bridge (table 0 holds "priority=0 actions=NORMAL")."""

import os
import uuid
import re
import subprocess
import time

import pytest

from ofswitch import flows

BR = "of%s" % uuid.uuid4().hex[:8]   # TAP names are host-wide.
VERSIONS = [(), ("-O", "OpenFlow13"), ("-O", "OpenFlow14"),
            ("-O", "OpenFlow15")]


@pytest.fixture
def switch(vswitchd):
    vswitchd.vsctl("add-br", BR)
    return vswitchd


def test_fresh_bridge_show_and_default_flow(switch):
    sb = switch
    assert os.path.exists(os.path.join(sb.dir, BR + ".mgmt"))
    for v in VERSIONS:
        show = sb.ofctl(*v, "show", BR)
        assert "n_tables:254, n_buffers:0" in show
        assert re.search(r"LOCAL\(%s\): addr:" % BR, show)
        out = sb.ofctl(*v, "dump-flows", BR)
        lines = out.splitlines()[1:]
        assert len(lines) == 1
        assert re.match(r" cookie=0x0, duration=[0-9.]+s, table=0, "
                        r"n_packets=0, n_bytes=0, (idle_age=\d+, )?"
                        r"priority=0 actions=NORMAL$", lines[0]), lines
    ofp10 = sb.ofctl("show", BR)
    assert "capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS " \
           "ARP_MATCH_IP" in ofp10
    ofp13 = sb.ofctl("-O", "OpenFlow13", "show", BR)
    assert "GROUP_STATS" in ofp13


@pytest.mark.parametrize("version", VERSIONS, ids=["nx", "of13", "of14",
                                                   "of15"])
def test_flow_commands_round_trip(switch, version, tmp_path):
    sb = switch
    v = version
    sb.ofctl(*v, "add-flow", BR, "priority=100,ip,nw_dst=10.0.0.1,"
             "actions=output:LOCAL")
    sb.ofctl(*v, "add-flow", BR, "cookie=0x5,priority=50,in_port=LOCAL,"
             "actions=drop")
    f = tmp_path / "flows.txt"
    f.write_text("priority=10,in_port=1,actions=output:2\n"
                 "priority=20,tcp,tp_dst=22,actions=CONTROLLER:128\n"
                 "table=2,priority=5,arp,actions=NORMAL\n"
                 "priority=30,udp,tp_src=0x400/0xfc00,actions=drop\n")
    sb.ofctl(*v, "add-flows", BR, str(f))
    got = flows(sb, BR)
    assert len(got) == 7, got
    # Transport ports take bit masks (as in Open vSwitch; port ranges).
    assert any("priority=30,udp,tp_src=0x400/0xfc00 actions=drop" in l
               for l in got), got
    for port, hit in ((2047, True), (2048, False)):
        trace = sb.appctl("ofproto/trace", BR,
                          "in_port=1,udp,tp_src=%d" % port)
        assert (" 0. priority 30," in trace) == hit, trace
        assert "udp(src=%d/0xfc00" % (port & 0xfc00) in trace, trace
    assert any("table=2" in l and "priority=5,arp actions=NORMAL" in l
               for l in got)
    # Filters.
    assert len(flows(sb, BR, "ip")) == 3        # ip, tcp and udp flows
    assert len(flows(sb, BR, "cookie=0x5/-1")) == 1
    assert len(flows(sb, BR, "table=2")) == 1
    assert len(flows(sb, BR, "out_port=2")) == 1
    # Modify non-strict: every ip flow now drops.
    sb.ofctl(*v, "mod-flows", BR, "ip,actions=drop")
    assert all(l.endswith("actions=drop")
               for l in flows(sb, BR, "ip")), flows(sb, BR, "ip")
    # Strict delete removes only the exact one.
    sb.ofctl(*v, "--strict", "del-flows", BR, "priority=50,in_port=LOCAL")
    assert not flows(sb, BR, "cookie=0x5/-1")
    # Replace with a file: exactly its flows remain.
    f2 = tmp_path / "f2.txt"
    f2.write_text("priority=7,in_port=1,actions=output:3\n"
                  "priority=0,actions=NORMAL\n")
    sb.ofctl(*v, "replace-flows", BR, str(f2))
    got = flows(sb, BR)
    assert len(got) == 2 and "priority=7,in_port=1 actions=output:3" in \
        got[0], got
    agg = sb.ofctl(*v, "dump-aggregate", BR)
    assert "flow_count=2" in agg
    sb.ofctl(*v, "del-flows", BR)
    assert flows(sb, BR) == []


def test_ports_and_tables(switch):
    sb = switch
    sb.vsctl("add-port", BR, "p1", "--", "set", "Interface", "p1",
             "type=internal", "ofport_request=4")
    for v in VERSIONS:
        desc = sb.ofctl(*v, "dump-ports-desc", BR)
        assert " 4(p1): addr:" in desc and "LOCAL(%s)" % BR in desc
        ports = sb.ofctl(*v, "dump-ports", BR)
        assert "port  4: rx pkts=" in ports
        assert "port LOCAL: rx pkts=" in ports
    tables = sb.ofctl("-O", "OpenFlow13", "dump-tables", BR)
    assert len(re.findall(r"^  table \d+:", tables, re.M)) >= 2
    assert "active=1, lookup=0, matched=0" in tables
    feats = sb.ofctl("-O", "OpenFlow13", "dump-table-features", BR)
    assert "table 0" in feats and "max_entries=1000000" in feats


@pytest.mark.parametrize("version", VERSIONS[1:], ids=["of13", "of14",
                                                       "of15"])
def test_groups_and_meters(switch, version):
    sb = switch
    v = version
    sb.ofctl(*v, "add-group", BR, "group_id=1,type=all,bucket=output:1,"
             "bucket=output:2")
    sb.ofctl(*v, "add-group", BR, "group_id=2,type=select,"
             "bucket=weight:3,output:1,bucket=weight:1,output:2")
    sb.ofctl(*v, "add-group", BR, "group_id=3,type=ff,"
             "bucket=watch_port:1,output:1,bucket=watch_port:2,output:2")
    desc = sb.ofctl(*v, "dump-groups", BR)
    assert "group_id=1,type=all" in desc
    assert "group_id=2,type=select" in desc and "weight:3" in desc
    assert "group_id=3,type=ff" in desc
    # A group that exists cannot be added again.
    r = sb.run(["ovs-ofctl", *v, "add-group", BR,
                "group_id=1,type=all,bucket=output:1"], check=False)
    assert r.returncode and "OFPGMFC_GROUP_EXISTS" in r.stderr
    sb.ofctl(*v, "add-flow", BR, "priority=5,actions=group:2")
    stats = sb.ofctl(*v, "dump-group-stats", BR)
    assert re.search(r"group_id=2,duration=[0-9.]+s,ref_count=1,"
                     r"packet_count=0", stats), stats
    sb.ofctl(*v, "del-groups", BR, "group_id=2")
    # Deleting a group removes the flows that use it.
    assert not [l for l in flows(sb, BR) if "priority=5 " in l]
    sb.ofctl(*v, "del-groups", BR)
    assert "group_id" not in sb.ofctl(*v, "dump-groups", BR)

    sb.ofctl(*v, "add-meter", BR, "meter=1,kbps,burst,band=type=drop,"
             "rate=1000,burst_size=100")
    sb.ofctl(*v, "add-meter", BR, "meter=2,pktps,band=type=dscp_remark,"
             "rate=100,prec_level=1")
    meters = sb.ofctl(*v, "dump-meters", BR)
    assert "meter=1 kbps burst bands=" in meters
    assert "type=drop rate=1000 burst_size=100" in meters
    assert "type=dscp_remark rate=100 prec_level=1" in meters
    sb.ofctl(*v, "add-flow", BR, "priority=6,actions=meter:1,output:1")
    stats = sb.ofctl(*v, "meter-stats", BR)
    assert "meter:1 flow_count:1 packet_in_count:0" in stats, stats
    # A flow cannot use a meter that does not exist.
    r = sb.run(["ovs-ofctl", *v, "add-flow", BR,
                "priority=6,actions=meter:9,output:1"], check=False)
    assert r.returncode and "OFPMMFC_UNKNOWN_METER" in r.stderr
    sb.ofctl(*v, "del-meters", BR)
    assert not [l for l in flows(sb, BR) if "priority=6 " in l]


def test_timeouts_and_monitor(switch):
    sb = switch
    mon = subprocess.Popen(["ovs-ofctl", "monitor", BR], env=sb.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    try:
        time.sleep(0.5)
        sb.vsctl("add-port", BR, "p2", "--", "set", "Interface", "p2",
                 "type=internal", "ofport_request=7")
        sb.ofctl("add-flow", BR, "priority=99,idle_timeout=1,actions=drop")
        sb.ofctl("add-flow", BR, "priority=98,hard_timeout=1,actions=drop")
        assert len(flows(sb, BR)) == 3
        deadline = time.time() + 5
        while time.time() < deadline and len(flows(sb, BR)) > 1:
            time.sleep(0.2)
        assert len(flows(sb, BR)) == 1
    finally:
        mon.terminate()
        out = mon.communicate(timeout=5)[0]
    assert "OFPT_PORT_STATUS (xid=0x0): ADD: 7(p2)" in out, out


def test_protocols_limit_versions(switch):
    sb = switch
    sb.vsctl("set", "Bridge", BR, "protocols=OpenFlow13")
    r = sb.run(["ovs-ofctl", "show", BR], check=False)
    assert r.returncode and "version negotiation failed" in r.stderr
    assert "OF1.3" in sb.ofctl("-O", "OpenFlow13", "show", BR)
    sb.vsctl("clear", "Bridge", BR, "protocols")
    assert "n_tables:254" in sb.ofctl("show", BR)


def test_appctl_ofproto_list_and_dump_flows(switch):
    sb = switch
    sb.vsctl("add-br", "ofx" + BR[2:])
    listing = sb.appctl("ofproto/list").split()
    assert listing == sorted([BR, "ofx" + BR[2:]])
    sb.ofctl("add-flow", BR, "priority=9,tcp,actions=drop")
    dump = sb.appctl("bridge/dump-flows", BR)
    assert "priority=9,tcp actions=drop" in dump
    assert "priority=0 actions=NORMAL" in dump
    r = sb.run(["ovs-appctl", "bridge/dump-flows", "nosuch"], check=False)
    assert r.returncode and "no such bridge" in r.stderr
    # As Open vSwitch prints it for a fresh bridge: unnamed, identical
    # tables.
    assert "  tables 2...253: ditto" in sb.ofctl("dump-tables", BR)


def test_frags_and_port_mod(switch):
    sb = switch
    assert sb.ofctl("get-frags", BR).strip() == "normal"
    sb.ofctl("set-frags", BR, "drop")
    assert sb.ofctl("get-frags", BR).strip() == "drop"
    r = sb.run(["ovs-ofctl", "set-frags", BR, "reassemble"], check=False)
    assert r.returncode and "OFPT_ERROR" in r.stderr + r.stdout
    sb.ofctl("mod-port", BR, BR, "no-flood")
    assert re.search(r"config:\s+NO_FLOOD", sb.ofctl("show", BR))
    r = sb.run(["ovs-ofctl", "-O", "OpenFlow13", "mod-port", BR, "77",
                "down"], check=False)
    assert r.returncode


def test_many_flows(switch, tmp_path):
    """10,000 flows through add-flows (one flow-mod and barrier at a time,
    as ovs-ofctl sends them), dump and delete: each step well within the
    sandbox's 30 s command limit (a quadratic step would not be)."""
    sb = switch
    f = tmp_path / "many.txt"
    f.write_text("".join("priority=%d,ip,nw_dst=10.%d.%d.%d,actions=output:%d"
                         "\n" % (100 + i % 50, i >> 16 & 255, i >> 8 & 255,
                                 i & 255, 1 + i % 3)
                         for i in range(10000)))
    sb.ofctl("add-flows", BR, str(f))
    agg = sb.ofctl("-O", "OpenFlow13", "dump-aggregate", BR)
    assert "flow_count=10001" in agg
    assert sb.ofctl("dump-flows", BR).count(" cookie=") == 10001
    sb.ofctl("del-flows", BR, "ip")
    assert "flow_count=1" in sb.ofctl("dump-aggregate", BR)


@pytest.mark.parametrize("version", VERSIONS[1:], ids=["of13", "of14",
                                                       "of15"])
def test_meter_features(switch, version):
    """The reply has the 16-byte body of OpenFlow 1.3 in every version, as
    Open vSwitch 3.1 sends it: its ovs-ofctl refuses anything else (the
    1.5 specification's body is 24 bytes)."""
    out = switch.ofctl(*version, "meter-features", BR)
    assert out.splitlines()[1:] == [
        "max_meter:65536 max_bands:16 max_color:0",
        "band_types: drop dscp_remark",
        "capabilities: kbps pktps burst stats"], out
    assert "WARN" not in out


def test_nx_dump_shows_instructions(switch):
    """ovs-ofctl without -O (NXST_FLOW) shows flows with instructions as it
    shows them for Open vSwitch 3.1 (observed with Debian's OVS-DPDK):
    goto_table as resubmit(,T) after the apply-actions, write_metadata as
    itself, meter, clear_actions and write_actions left out."""
    sb = switch
    of13 = ("-O", "OpenFlow13")
    sb.ofctl(*of13, "add-meter", BR, "meter=1,kbps,band=type=drop,rate=1000")
    for flow in ["priority=5,in_port=1,actions=goto_table:1",
                 "table=1,priority=6,actions=write_actions(output:2)",
                 "table=1,priority=7,ip,actions=meter:1,output:3",
                 "table=1,priority=8,tcp,actions=output:1,"
                 "write_metadata:0x5/0xff",
                 "table=2,priority=9,udp,actions=output:1,clear_actions,"
                 "write_actions(mod_nw_tos:4,output:3),goto_table:3"]:
        sb.ofctl(*of13, "add-flow", BR, flow)
    # ovs-ofctl sends goto_table as resubmit(,T) in OpenFlow 1.0: it
    # arrives as the instruction.
    sb.ofctl("add-flow", BR, "table=3,priority=10,actions=goto_table:4")
    out = sb.ofctl("--no-stats", "dump-flows", BR)
    assert sorted(l.strip() for l in out.splitlines()) == sorted([
        "priority=0 actions=NORMAL",
        "priority=5,in_port=1 actions=resubmit(,1)",
        "table=1, priority=6 actions=drop",
        "table=1, priority=7,ip actions=output:3",
        "table=1, priority=8,tcp actions=output:1,write_metadata:0x5/0xff",
        "table=2, priority=9,udp actions=output:1,resubmit(,3)",
        "table=3, priority=10 actions=resubmit(,4)"]), out
    assert "table=3, priority=10 actions=goto_table:4" in \
        sb.ofctl(*of13, "--no-stats", "dump-flows", BR, "table=3")
    # The plain OpenFlow 1.0 flow stats carry them the same way.
    out = sb.ofctl("--flow-format=OpenFlow10", "--no-stats", "dump-flows",
                   BR, "table=2")
    assert out.strip() == "table=2, priority=9,udp actions=output:1," \
                          "resubmit(,3)", out
