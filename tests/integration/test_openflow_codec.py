"""The OpenFlow codec's encodings, checked against Open vSwitch's decoder.

tests/unit/ofp-samples prints messages that lib/openflow encodes on the
switch side (features, packet-in in three formats, multipart replies of
every kind, errors...) for OpenFlow 1.0, 1.3, 1.4 and 1.5; each one is fed
to the stock `ovs-ofctl ofp-print`, which must decode it without error and
show the values we put in.
"""
import os
import shutil
import subprocess

import pytest

BUILDDIR = os.environ.get("OVSNFV_BUILDDIR",
                          os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(BUILDDIR, "tests", "unit", "ofp-samples")

# What ovs-ofctl must print for some samples (substrings).
EXPECT = {
    "features_reply.v1": ["dpid:0000000000abcdef", "n_tables:254",
                          "1(dpdk1): addr:00:11:22:33:44:55",
                          "LOCAL(dpdk4294967294)"],
    "features_reply.v4": ["dpid:0000000000abcdef", "n_tables:254"],
    "get_config_reply.v4": ["miss_send_len=128"],
    "packet_in.v1": ["total_len=60 in_port=1 (via action)"],
    "packet_in.v4": ["cookie=0x42 total_len=60 in_port=1 (via action)"],
    "nx_packet_in.v1": ["NXT_PACKET_IN", "in_port=1"],
    "nx_packet_in2.v1": ["NXT_PACKET_IN2", "cookie=0x42 total_len=60"],
    "flow_removed.v1": ["reason=idle", "pkts7 bytes700"],
    "nx_flow_removed.v1": ["NXT_FLOW_REMOVED", "reason=idle"],
    "flow_removed.v6": ["reason=idle table_id=0 cookie:0x42"],
    "port_status.v5": ["ADD: 1(dpdk1)", "10GB-FD FIBER"],
    "desc_reply.v4": ["Manufacturer: ovs-nfv", "DP Description: br0"],
    "flow_stats_reply.v1": ["priority=100,ip,in_port=1,nw_src=10.0.0.0/8 "
                            "actions=output:2"],
    "flow_stats_reply.v4": ["n_packets=7, n_bytes=700", "actions=output:2"],
    "flow_stats_reply.v6": ["cookie=0x42, duration=5.123s"],
    "aggregate_reply.v1": ["packet_count=7 byte_count=700 flow_count=1"],
    "nx_aggregate_reply.v1": ["NXST_AGGREGATE reply",
                              "packet_count=7 byte_count=700 flow_count=1"],
    "aggregate_reply.v6": ["packet_count=7 byte_count=700 flow_count=1"],
    "table_stats_reply.v1": ["table 0 (\"classifier\")", "lookup=10",
                             "matched=9"],
    "port_stats_reply.v5": ["port  1: rx pkts=10, bytes=1000"],
    "port_desc_reply.v4": ["1(dpdk1): addr:00:11:22:33:44:55"],
    "queue_stats_reply.v4": ["port 1 queue 0: bytes=0, pkts=5"],
    "table_features_reply.v4": ["table 0 (\"classifier\")",
                                "max_entries=1000000"],
    "group_desc_reply.v4": ["group_id=1,type=select,bucket=weight:5,"
                            "actions=output:1,bucket=weight:6,"
                            "actions=output:2"],
    "group_stats_reply.v4": ["group_id=1,duration=0s,ref_count=1,"
                             "packet_count=3,byte_count=300,bucket0:packet_count=1"],
    "meter_config_reply.v4": ["meter=1 kbps burst bands=",
                              "type=drop rate=1000 burst_size=10"],
    "meter_stats_reply.v4": ["meter:1 flow_count:1 packet_in_count:2"],
    "meter_features_reply.v4": ["max_meter:1000"],
    # The OpenFlow 1.3 layout in 1.5 too, as Open vSwitch 3.1 sends it.
    "meter_features_reply.v6": ["max_meter:1000 max_bands:1 max_color:0"],
    "role_reply.v4": ["role=primary generation_id=7"],
    "error_bad_prereq.v1": ["OFPBMC_BAD_PREREQ", "OFPT_ECHO_REQUEST"],
    "error_bad_prereq.v4": ["OFPBMC_BAD_PREREQ"],
    "error_bad_type.v6": ["OFPBRC_BAD_TYPE"],
    "bundle_open_reply.v5": ["bundle_id=0x1 type=OPEN_REPLY"],
    "nx_flow_monitor_reply.v1": [
        "event=ADDED table=0 idle_timeout=10 cookie=0x42 ip actions=output:2",
        "event=DELETED reason=hard table=0 idle_timeout=10 cookie=0x42",
        "event=ABBREV xid=0x1234"],
    "nx_flow_monitor_paused.v1": ["NXT_FLOW_MONITOR_PAUSED"],
}

# Samples that ovs-ofctl is not expected to decode (none at the moment).
OVS_DIFFERS = set()


def samples():
    if not os.path.exists(SAMPLES):
        return []
    out = subprocess.run([SAMPLES], check=True, capture_output=True,
                         text=True).stdout
    return [line.split(" ", 1) for line in out.splitlines()]


def ofp_print(hexstr):
    res = subprocess.run(["ovs-ofctl", "ofp-print", hexstr],
                         capture_output=True, text=True, timeout=30)
    return res.stdout + res.stderr


needs_tools = pytest.mark.skipif(
    not shutil.which("ovs-ofctl") or not os.path.exists(SAMPLES),
    reason="needs ovs-ofctl and the built tests/unit/ofp-samples")


@needs_tools
def test_ovs_ofctl_decodes_every_sample():
    checked = 0
    failures = []
    for name, payload in samples():
        if name.startswith("text.") or name in OVS_DIFFERS:
            continue
        text = ofp_print(payload)
        if "decode error" in text or "***" in text or "WARN" in text:
            failures.append("%s:\n%s" % (name, text))
            continue
        for want in EXPECT.get(name, []):
            if want not in text:
                failures.append("%s: missing %r in:\n%s" % (name, want, text))
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 90


@needs_tools
def test_every_expectation_has_a_sample():
    names = {name for name, _ in samples()}
    assert set(EXPECT) <= names


@needs_tools
def test_flow_stats_text_matches_ovs_ofctl():
    items = dict(samples())
    ours = items["text.nx_flow_stats_reply.v1"]
    theirs = ofp_print(items["nx_flow_stats_reply.v1"]).splitlines()[1]
    assert ours == theirs


REPLIES = os.path.join(os.path.dirname(__file__), "..", "unit", "ofp-data",
                       "ovs-replies.txt")


@needs_tools
@pytest.mark.parametrize("name", ["of10.dump_flows.r2", "of13.dump_flows.r1",
                                  "of14.dump_flows.r1", "of15.dump_flows.r1"])
def test_dump_flows_text_matches_ovs_ofctl(name):
    """Flow stats replies of a real Open vSwitch, decoded and printed by us,
    read exactly as ovs-ofctl prints them."""
    vectors = dict(line.split() for line in open(REPLIES))
    res = subprocess.run([SAMPLES, "--format-flows", vectors[name]],
                         capture_output=True, text=True)
    ours = res.stdout.splitlines()
    theirs = ofp_print(vectors[name]).splitlines()[1:]
    assert res.returncode == 0, res.stderr
    assert len(ours) >= 3
    assert ours == theirs
