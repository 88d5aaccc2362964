"""Malformed and hostile OpenFlow messages: each gets the exact OFPT_ERROR
type and code the specification prescribes, the connection stays up (an
echo still works), and the switch's state is untouched."""

import os
import struct
import uuid

import pytest

from ofclient import OFClient, OFP13, message
from ofswitch import flows

# OpenFlow 1.3 error types and codes.
BAD_REQUEST, BAD_ACTION, BAD_INSTRUCTION, BAD_MATCH = 1, 2, 3, 4
FLOW_MOD_FAILED, GROUP_MOD_FAILED, METER_MOD_FAILED = 5, 6, 12
BRC_BAD_VERSION, BRC_BAD_TYPE, BRC_BAD_MULTIPART, BRC_BAD_LEN = 0, 1, 2, 6
BRC_BAD_EXPERIMENTER = 3
BMC_BAD_FIELD, BMC_BAD_PREREQ, BMC_DUP_FIELD = 6, 9, 10
BAC_BAD_TYPE, BAC_BAD_OUT_GROUP = 0, 9
BIC_UNKNOWN_INST, BIC_BAD_TABLE_ID = 0, 2
FMFC_BAD_TABLE_ID, FMFC_BAD_COMMAND = 2, 6
GMFC_UNKNOWN_GROUP = 8
MMFC_UNKNOWN_METER = 3

OFPT_FLOW_MOD, OFPT_GROUP_MOD, OFPT_MULTIPART_REQUEST = 14, 15, 18
OFPT_METER_MOD = 29


def oxm(field, value):
    return struct.pack("!HBB", 0x8000, field << 1, len(value)) + value


def match(*fields):
    body = b"".join(fields)
    m = struct.pack("!HH", 1, 4 + len(body)) + body
    return m + b"\0" * (-len(m) % 8)


def flow_mod(xid, match_bytes, instructions=b"", command=0, table=0,
             priority=100):
    body = struct.pack("!QQBBHHHIIIH2x", 0, 0, table, command, 0, 0,
                       priority, 0xffffffff, 0xffffffff, 0xffffffff, 0)
    return message(OFP13, OFPT_FLOW_MOD, body + match_bytes + instructions,
                   xid=xid)


def apply_actions(actions):
    return struct.pack("!HH4x", 4, 8 + len(actions)) + actions


def output(port):
    return struct.pack("!HHIH6x", 0, 16, port, 0xffff)


@pytest.fixture
def client(vswitchd):
    br = "oe%s" % uuid.uuid4().hex[:8]
    vswitchd.vsctl("add-br", br)
    c = OFClient(os.path.join(vswitchd.dir, br + ".mgmt"))
    yield vswitchd, br, c
    c.close()


def test_hostile_messages_get_exact_errors(client):
    sb, br, c = client
    eth_ip = oxm(5, b"\x08\x00")
    cases = [
        # Unknown message type.
        (message(OFP13, 99, xid=2), (BAD_REQUEST, BRC_BAD_TYPE)),
        # Another version than negotiated.
        (message(1, 2, xid=3), (BAD_REQUEST, BRC_BAD_VERSION)),
        # A flow-mod cut short: the header says 24 bytes.
        (message(OFP13, OFPT_FLOW_MOD, b"\0" * 16, xid=4),
         (BAD_REQUEST, BRC_BAD_LEN)),
        # Unknown multipart type.
        (message(OFP13, OFPT_MULTIPART_REQUEST,
                 struct.pack("!HH4x", 0x7777, 0), xid=5),
         (BAD_REQUEST, BRC_BAD_MULTIPART)),
        # Unknown OXM field (basic class, field 60).
        (flow_mod(6, match(oxm(60, b"\0\0\0\1"))), (BAD_MATCH, BMC_BAD_FIELD)),
        # ipv4_src without eth_type=0x0800.
        (flow_mod(7, match(oxm(11, b"\x0a\0\0\1"))),
         (BAD_MATCH, BMC_BAD_PREREQ)),
        # A field twice.
        (flow_mod(8, match(eth_ip, eth_ip)), (BAD_MATCH, BMC_DUP_FIELD)),
        # Unknown instruction.
        (flow_mod(9, match(), struct.pack("!HH4x", 77, 8)),
         (BAD_INSTRUCTION, BIC_UNKNOWN_INST)),
        # goto_table backwards.
        (flow_mod(10, match(), struct.pack("!HHB3x", 1, 8, 0), table=3),
         (BAD_INSTRUCTION, BIC_BAD_TABLE_ID)),
        # Unknown action type.
        (flow_mod(11, match(), apply_actions(struct.pack("!HH4x", 99, 8))),
         (BAD_ACTION, BAC_BAD_TYPE)),
        # A group that does not exist.
        (flow_mod(12, match(), apply_actions(struct.pack("!HHI", 22, 8, 5))),
         (BAD_ACTION, BAC_BAD_OUT_GROUP)),
        # Unknown flow-mod command; table 255 on add.
        (flow_mod(13, match(), command=9), (FLOW_MOD_FAILED, FMFC_BAD_COMMAND)),
        (flow_mod(14, match(), table=255), (FLOW_MOD_FAILED, FMFC_BAD_TABLE_ID)),
        # Modify a group that does not exist.
        (message(OFP13, OFPT_GROUP_MOD, struct.pack("!HBxI", 1, 0, 9),
                 xid=15), (GROUP_MOD_FAILED, GMFC_UNKNOWN_GROUP)),
        # Modify a meter that does not exist.
        (message(OFP13, OFPT_METER_MOD,
                 struct.pack("!HHI", 1, 2, 9) +
                 struct.pack("!HHII4x", 1, 16, 10, 0), xid=16),
         (METER_MOD_FAILED, MMFC_UNKNOWN_METER)),
        # An experimenter message from an unknown experimenter.
        (message(OFP13, 4, struct.pack("!II", 0x12345678, 1), xid=17),
         (BAD_REQUEST, BRC_BAD_EXPERIMENTER)),
    ]
    for data, want in cases:
        xid = struct.unpack("!I", data[4:8])[0]
        assert c.error_of(data, xid) == want, (xid, data.hex())
        assert c.echo()
    # A huge action list that claims more than the message holds.
    huge = flow_mod(20, match(), struct.pack("!HH4x", 4, 0xfff0))
    assert c.error_of(huge, 20)[0] in (BAD_REQUEST, BAD_INSTRUCTION)
    assert c.echo()
    # Nothing was installed; the default flow is still there.
    assert [l for l in flows(sb, br)] == \
        ["cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=0 "
         "actions=NORMAL"]
    # A well-formed flow-mod still works on the same connection.
    c.send(flow_mod(30, match(eth_ip), apply_actions(output(1))))
    assert c.echo()
    assert len(flows(sb, br)) == 2


def test_hello_and_framing(client):
    sb, br, c = client
    # A header whose length is below 8 cannot be framed: the switch hangs
    # up on this connection only.
    c.send(b"\x04\x02\x00\x04\x00\x00\x00\x01")
    with pytest.raises((ConnectionError, OSError)):
        c.recv()
    c2 = OFClient(os.path.join(sb.dir, br + ".mgmt"))
    assert c2.echo()
    c2.close()
