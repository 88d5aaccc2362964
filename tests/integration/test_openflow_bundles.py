"""OpenFlow 1.4/1.5 bundles are all or nothing: the stock ovs-ofctl with
--bundle (add-flows, replace-flows) and its `bundle` command, and a raw
client for what ovs-ofctl cannot send (port-mods in a bundle, flags)."""

import os
import re
import struct
import uuid

import pytest

from ofclient import OFClient, message
from ofswitch import flows

BR = "ob%s" % uuid.uuid4().hex[:8]   # TAP names are host-wide.
VERSIONS = ["OpenFlow14", "OpenFlow15"]

OFPT_BUNDLE_CONTROL, OFPT_BUNDLE_ADD_MESSAGE = 33, 34
OFPT_PORT_STATUS, OFPT_FLOW_MOD, OFPT_PORT_MOD = 12, 14, 16
OPEN, OPEN_REPLY, CLOSE, CLOSE_REPLY, COMMIT, COMMIT_REPLY = range(6)
ATOMIC, ORDERED, TIME = 1, 2, 4
OFPET_BAD_ACTION, OFPET_BUNDLE_FAILED = 2, 17
OFPBAC_BAD_OUT_GROUP = 9
OFPBFC_BAD_ID, OFPBFC_BAD_FLAGS, OFPBFC_MSG_FAILED = 2, 7, 13
OFPPC_NO_PACKET_IN = 1 << 6
OFPP_LOCAL = 0xfffffffe


@pytest.fixture
def switch(vswitchd):
    vswitchd.vsctl("add-br", BR)
    return vswitchd


def table(sb, version):
    """The flow table as --no-stats prints it (no header line), sorted."""
    out = sb.ofctl("-O", version, "--no-stats", "dump-flows", BR)
    return sorted(l.strip() for l in out.splitlines() if l.strip())


def groups(sb, version):
    out = sb.ofctl("-O", version, "dump-groups", BR)
    return sorted(l.strip() for l in out.splitlines()[1:])


@pytest.mark.parametrize("version", VERSIONS)
def test_ofctl_bundle_add_and_replace_flows(switch, version, tmp_path):
    sb = switch
    v = ("-O", version)
    sb.ofctl(*v, "add-flow", BR, "priority=7,in_port=1,actions=output:2")
    before = table(sb, version)
    assert before == sorted(["priority=7,in_port=1 actions=output:2",
                             "priority=0 actions=NORMAL"])

    # One bad flow (its group does not exist) in the middle of the file:
    # nothing is installed, ovs-ofctl reports both errors and fails.
    bad = tmp_path / "bad.txt"
    bad.write_text("priority=10,in_port=1,actions=output:2\n"
                   "table=1,priority=5,actions=group:77\n"
                   "priority=20,actions=drop\n")
    r = sb.run(["ovs-ofctl", *v, "--bundle", "add-flows", BR, str(bad)],
               check=False)
    assert r.returncode != 0
    assert re.search(r"Error OFPBAC_BAD_OUT_GROUP for: OFPT_FLOW_MOD .*"
                     r"ADD table:1 priority=5 actions=group:77", r.stderr)
    assert "Error OFPBFC_MSG_FAILED for: OFPT_BUNDLE_CONTROL" in r.stderr
    assert table(sb, version) == before

    # The same file without the bad flow installs everything.
    good = tmp_path / "good.txt"
    good.write_text("priority=10,in_port=1,actions=output:2\n"
                    "table=1,priority=5,actions=drop\n"
                    "priority=20,actions=drop\n")
    sb.ofctl(*v, "--bundle", "add-flows", BR, str(good))
    assert table(sb, version) == sorted(before + [
        "priority=10,in_port=1 actions=output:2",
        "table=1, priority=5 actions=drop",
        "priority=20 actions=drop"])
    installed = table(sb, version)

    # replace-flows: a bad target leaves the table alone (although the
    # deletions come first in the bundle); a good one is exactly applied.
    bad.write_text("priority=30,in_port=3,actions=output:4\n"
                   "priority=5,actions=group:9\n")
    r = sb.run(["ovs-ofctl", *v, "--bundle", "replace-flows", BR, str(bad)],
               check=False)
    assert r.returncode != 0 and "OFPBFC_MSG_FAILED" in r.stderr
    assert table(sb, version) == installed
    good.write_text("priority=30,in_port=3,actions=output:4\n"
                    "priority=0,actions=NORMAL\n")
    sb.ofctl(*v, "--bundle", "replace-flows", BR, str(good))
    assert table(sb, version) == sorted([
        "priority=30,in_port=3 actions=output:4",
        "priority=0 actions=NORMAL"])


@pytest.mark.parametrize("version", VERSIONS)
def test_ofctl_bundle_groups_and_flows(switch, version, tmp_path):
    """`ovs-ofctl bundle`: a flow may use a group added earlier in the same
    bundle; a failing last message undoes the group add too."""
    sb = switch
    v = ("-O", version)
    sb.ofctl(*v, "add-flow", BR, "priority=30,in_port=3,actions=output:4")
    before, before_groups = table(sb, version), groups(sb, version)
    f = tmp_path / "mix.txt"
    f.write_text("group add group_id=5,type=all,bucket=output:1\n"
                 "flow add priority=40,actions=group:5\n"
                 "flow delete_strict priority=30,in_port=3\n"
                 "flow add priority=41,actions=meter:3,output:1\n")
    r = sb.run(["ovs-ofctl", *v, "bundle", BR, str(f)], check=False)
    assert r.returncode != 0
    assert "Error OFPMMFC_UNKNOWN_METER for: OFPT_FLOW_MOD" in r.stderr
    assert table(sb, version) == before
    assert groups(sb, version) == before_groups == []
    f.write_text("group add group_id=5,type=all,bucket=output:1\n"
                 "flow add priority=40,actions=group:5\n"
                 "flow delete_strict priority=30,in_port=3\n")
    sb.ofctl(*v, "bundle", BR, str(f))
    assert table(sb, version) == sorted(["priority=40 actions=group:5",
                                         "priority=0 actions=NORMAL"])
    # OpenFlow 1.5 shows bucket ids ("bucket=bucket_id:0,actions=...").
    assert [re.sub(r"bucket_id:\d+,", "", g) for g in groups(sb, version)] \
        == ["group_id=5,type=all,bucket=actions=output:1"]


# ---- Raw messages -------------------------------------------------------

OF14 = 5


def bundle_ctrl(bundle_id, type_, flags, xid):
    return message(OF14, OFPT_BUNDLE_CONTROL,
                   struct.pack("!IHH", bundle_id, type_, flags), xid=xid)


def bundle_add(bundle_id, flags, inner, xid):
    return message(OF14, OFPT_BUNDLE_ADD_MESSAGE,
                   struct.pack("!IHH", bundle_id, 0, flags) + inner, xid=xid)


def port_mod(port, hw_addr, config, mask, xid):
    body = struct.pack("!I4x6s2xII", port, hw_addr, config, mask)
    return message(OF14, OFPT_PORT_MOD, body, xid=xid)


def flow_mod_to_group(group, xid):
    """ADD priority=5 actions=group:GROUP (OpenFlow 1.4)."""
    body = struct.pack("!QQBBHHHIIIHH", 0, 0, 0, 0, 0, 0, 5, 0xffffffff,
                       0xffffffff, 0xffffffff, 0, 0)
    body += struct.pack("!HH4x", 1, 4)                    # Empty match.
    body += struct.pack("!HH4x", 4, 16) + struct.pack("!HHI", 22, 8, group)
    return message(OF14, OFPT_FLOW_MOD, body, xid=xid)


def replies(c, n):
    out = []
    for _ in range(n):
        m = c.recv()
        xid = struct.unpack("!I", m[4:8])[0]
        if m[1] == 1:       # OFPT_ERROR: (xid, type, code)
            out.append(("error", xid) + struct.unpack("!HH", m[8:12]))
        else:
            out.append(("msg", xid, m[1]) + struct.unpack("!IHH", m[8:16]))
    return out


def local_mac(sb):
    show = sb.ofctl("-O", "OpenFlow14", "show", BR)
    mac = re.search(r"LOCAL\(%s\): addr:([0-9a-f:]+)" % BR, show).group(1)
    return bytes(int(x, 16) for x in mac.split(":"))


def test_raw_bundle_with_port_mod_is_atomic(switch):
    sb = switch
    c = OFClient(os.path.join(sb.dir, BR + ".mgmt"), version=OF14)
    mac = local_mac(sb)
    flags = ATOMIC | ORDERED
    c.send(bundle_ctrl(1, OPEN, flags, xid=10))
    pm = port_mod(OFPP_LOCAL, mac, OFPPC_NO_PACKET_IN, OFPPC_NO_PACKET_IN,
                  xid=11)
    c.send(bundle_add(1, flags, pm, xid=11))
    c.send(bundle_add(1, flags, flow_mod_to_group(99, xid=12), xid=12))
    c.send(bundle_ctrl(1, COMMIT, flags, xid=13))
    got = replies(c, 3)
    assert got == [("msg", 10, OFPT_BUNDLE_CONTROL, 1, OPEN_REPLY, flags),
                   ("error", 12, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP),
                   ("error", 13, OFPET_BUNDLE_FAILED, OFPBFC_MSG_FAILED)]
    show = sb.ofctl("-O", "OpenFlow14", "show", BR)
    assert "NO_PACKET_IN" not in show       # The port-mod was undone.
    assert c.echo()                         # The connection is still up.

    # Without the bad flow-mod the port-mod is applied.
    c.send(bundle_ctrl(2, OPEN, flags, xid=20))
    pm = port_mod(OFPP_LOCAL, mac, OFPPC_NO_PACKET_IN, OFPPC_NO_PACKET_IN,
                  xid=21)
    c.send(bundle_add(2, flags, pm, xid=21))
    c.send(bundle_ctrl(2, COMMIT, flags, xid=22))
    got = replies(c, 3)
    assert got[0][:3] == ("msg", 20, OFPT_BUNDLE_CONTROL)
    assert got[1][:3] == ("msg", 0, OFPT_PORT_STATUS)
    assert got[2] == ("msg", 22, OFPT_BUNDLE_CONTROL, 2, COMMIT_REPLY, flags)
    assert re.search(r"config:\s+NO_PACKET_IN",
                     sb.ofctl("-O", "OpenFlow14", "show", BR))
    c.close()


def test_raw_bundle_flags(switch):
    sb = switch
    c = OFClient(os.path.join(sb.dir, BR + ".mgmt"), version=OF14)
    # Adding with other flags than the bundle's discards the bundle.
    c.send(bundle_ctrl(3, OPEN, ATOMIC, xid=30))
    c.send(bundle_add(3, ATOMIC | ORDERED,
                      flow_mod_to_group(1, xid=31), xid=31))
    c.send(bundle_ctrl(3, COMMIT, ATOMIC, xid=32))
    assert replies(c, 3) == [
        ("msg", 30, OFPT_BUNDLE_CONTROL, 3, OPEN_REPLY, ATOMIC),
        ("error", 31, OFPET_BUNDLE_FAILED, OFPBFC_BAD_FLAGS),
        ("error", 32, OFPET_BUNDLE_FAILED, OFPBFC_BAD_ID)]
    # Committing with other flags than the bundle's: refused, discarded.
    c.send(bundle_ctrl(4, OPEN, 0, xid=40))
    c.send(bundle_ctrl(4, COMMIT, ORDERED, xid=41))
    c.send(bundle_ctrl(4, COMMIT, 0, xid=42))
    assert replies(c, 3)[1:] == [
        ("error", 41, OFPET_BUNDLE_FAILED, OFPBFC_BAD_FLAGS),
        ("error", 42, OFPET_BUNDLE_FAILED, OFPBFC_BAD_ID)]
    c.close()
    # OpenFlow 1.5 scheduled bundles are not supported.
    c = OFClient(os.path.join(sb.dir, BR + ".mgmt"), version=6)
    c.send(message(6, OFPT_BUNDLE_CONTROL,
                   struct.pack("!IHH", 5, OPEN, ATOMIC | TIME), xid=50))
    assert replies(c, 1) == [("error", 50, OFPET_BUNDLE_FAILED,
                              OFPBFC_BAD_FLAGS)]
    c.close()
    assert len(flows(sb, BR)) == 1
