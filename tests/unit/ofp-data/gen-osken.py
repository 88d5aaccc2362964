#!/usr/bin/python3
"""Writes OpenFlow 1.3/1.4/1.5 test vectors serialized by os-ken.

Each output line is "NAME HEX".  The unit tests (test-ofp-*.c) decode these
byte strings and check the decoded fields; the names say what was built.
Regenerate with: /usr/bin/python3 gen-osken.py > osken-vectors.txt
"""
from os_ken.ofproto import ofproto_protocol
from os_ken.ofproto import ofproto_v1_3 as o13, ofproto_v1_3_parser as p13
from os_ken.ofproto import ofproto_v1_4 as o14, ofproto_v1_4_parser as p14
from os_ken.ofproto import ofproto_v1_5 as o15, ofproto_v1_5_parser as p15

out = []


def emit(name, msg, xid=0x11):
    msg.set_xid(xid)
    msg.serialize()
    out.append("%s %s" % (name, bytes(msg.buf).hex()))


def of13():
    dp = ofproto_protocol.ProtocolDesc(version=0x04)
    o, p = o13, p13
    emit("of13.hello", p.OFPHello(dp))
    emit("of13.echo_request", p.OFPEchoRequest(dp, data=b"ping"))
    emit("of13.features_request", p.OFPFeaturesRequest(dp))
    emit("of13.set_config", p.OFPSetConfig(dp, o.OFPC_FRAG_NORMAL, 128))
    emit("of13.barrier_request", p.OFPBarrierRequest(dp))
    match = p.OFPMatch(in_port=1, eth_type=0x0800,
                       ipv4_src=("10.0.0.0", "255.0.0.0"), ip_proto=6,
                       tcp_dst=80)
    insts = [p.OFPInstructionActions(o.OFPIT_APPLY_ACTIONS, [
                 p.OFPActionSetField(vlan_vid=0x1000 | 10),
                 p.OFPActionOutput(2, 0)]),
             p.OFPInstructionGotoTable(3)]
    emit("of13.flow_mod_add", p.OFPFlowMod(
        dp, cookie=0x1234, table_id=1, command=o.OFPFC_ADD, idle_timeout=10,
        hard_timeout=20, priority=100, buffer_id=o.OFP_NO_BUFFER,
        out_port=o.OFPP_ANY, out_group=o.OFPG_ANY,
        flags=o.OFPFF_SEND_FLOW_REM | o.OFPFF_CHECK_OVERLAP,
        match=match, instructions=insts))
    emit("of13.flow_mod_delete", p.OFPFlowMod(
        dp, cookie=0x10, cookie_mask=0xff, table_id=o.OFPTT_ALL,
        command=o.OFPFC_DELETE, buffer_id=o.OFP_NO_BUFFER,
        out_port=o.OFPP_ANY, out_group=o.OFPG_ANY, match=p.OFPMatch()))
    full = p.OFPMatch(
        in_port=7, in_phy_port=7, metadata=(0x5, 0xff),
        eth_dst=("01:00:00:00:00:00", "01:00:00:00:00:00"),
        eth_src="00:11:22:33:44:55", eth_type=0x86dd,
        vlan_vid=(0x1000, 0x1000), vlan_pcp=3, ip_dscp=10, ip_ecn=1,
        ip_proto=58, ipv6_src=("2001:db8::", "ffff:ffff::"),
        ipv6_dst="fe80::1", ipv6_flabel=(5, 0xf), icmpv6_type=135,
        icmpv6_code=0, ipv6_nd_target="fe80::2",
        ipv6_nd_sll="00:00:00:00:00:09", tunnel_id=(7, 0xff),
        ipv6_exthdr=(4, 4))
    emit("of13.flow_mod_ipv6_nd", p.OFPFlowMod(
        dp, priority=5, buffer_id=o.OFP_NO_BUFFER, out_port=o.OFPP_ANY,
        out_group=o.OFPG_ANY, match=full, instructions=[
            p.OFPInstructionMeter(4),
            p.OFPInstructionActions(o.OFPIT_CLEAR_ACTIONS, []),
            p.OFPInstructionActions(o.OFPIT_WRITE_ACTIONS, [
                p.OFPActionGroup(9)]),
            p.OFPInstructionWriteMetadata(1, 0xff)]))
    emit("of13.flow_mod_mpls_arp", p.OFPFlowMod(
        dp, buffer_id=o.OFP_NO_BUFFER, out_port=o.OFPP_ANY,
        out_group=o.OFPG_ANY,
        match=p.OFPMatch(eth_type=0x0806, arp_op=1,
                         arp_spa=("10.0.0.0", "255.255.255.0"),
                         arp_tpa="10.0.0.2", arp_sha="00:00:00:00:00:01",
                         arp_tha="00:00:00:00:00:02"),
        instructions=[p.OFPInstructionActions(o.OFPIT_APPLY_ACTIONS, [
            p.OFPActionPushVlan(0x8100), p.OFPActionPopVlan(),
            p.OFPActionPushMpls(0x8847), p.OFPActionSetMplsTtl(9),
            p.OFPActionDecMplsTtl(), p.OFPActionPopMpls(0x0800),
            p.OFPActionCopyTtlOut(), p.OFPActionCopyTtlIn(),
            p.OFPActionSetNwTtl(3), p.OFPActionDecNwTtl(),
            p.OFPActionSetQueue(2), p.OFPActionPushPbb(0x88e7),
            p.OFPActionPopPbb(),
            p.OFPActionOutput(o.OFPP_CONTROLLER, o.OFPCML_NO_BUFFER)])]))
    emit("of13.packet_out", p.OFPPacketOut(
        dp, buffer_id=o.OFP_NO_BUFFER, in_port=o.OFPP_CONTROLLER,
        actions=[p.OFPActionOutput(1, 0)], data=b"\x01" * 60))
    emit("of13.group_mod_select", p.OFPGroupMod(
        dp, o.OFPGC_ADD, o.OFPGT_SELECT, 5, [
            p.OFPBucket(weight=10, watch_port=o.OFPP_ANY,
                        watch_group=o.OFPG_ANY,
                        actions=[p.OFPActionOutput(1, 0)]),
            p.OFPBucket(weight=20, watch_port=o.OFPP_ANY,
                        watch_group=o.OFPG_ANY,
                        actions=[p.OFPActionOutput(2, 0)])]))
    emit("of13.group_mod_ff", p.OFPGroupMod(
        dp, o.OFPGC_ADD, o.OFPGT_FF, 6, [
            p.OFPBucket(watch_port=1, watch_group=o.OFPG_ANY,
                        actions=[p.OFPActionOutput(1, 0)])]))
    emit("of13.meter_mod", p.OFPMeterMod(
        dp, o.OFPMC_ADD, o.OFPMF_KBPS | o.OFPMF_BURST | o.OFPMF_STATS, 3, [
            p.OFPMeterBandDrop(rate=1000, burst_size=100),
            p.OFPMeterBandDscpRemark(rate=500, burst_size=50, prec_level=1)]))
    emit("of13.desc_request", p.OFPDescStatsRequest(dp, 0))
    emit("of13.flow_stats_request", p.OFPFlowStatsRequest(
        dp, 0, 0xff, o.OFPP_ANY, o.OFPG_ANY, 0, 0,
        p.OFPMatch(eth_type=0x0800)))
    emit("of13.aggregate_request", p.OFPAggregateStatsRequest(
        dp, 0, 0xff, o.OFPP_ANY, o.OFPG_ANY, 0, 0, p.OFPMatch()))
    emit("of13.table_stats_request", p.OFPTableStatsRequest(dp, 0))
    emit("of13.port_stats_request", p.OFPPortStatsRequest(dp, 0, o.OFPP_ANY))
    emit("of13.port_desc_request", p.OFPPortDescStatsRequest(dp, 0))
    emit("of13.queue_stats_request", p.OFPQueueStatsRequest(
        dp, 0, o.OFPP_ANY, o.OFPQ_ALL))
    emit("of13.group_stats_request", p.OFPGroupStatsRequest(dp, 0, o.OFPG_ALL))
    emit("of13.group_desc_request", p.OFPGroupDescStatsRequest(dp, 0))
    emit("of13.group_features_request", p.OFPGroupFeaturesStatsRequest(dp, 0))
    emit("of13.meter_stats_request", p.OFPMeterStatsRequest(dp, 0, o.OFPM_ALL))
    emit("of13.meter_config_request", p.OFPMeterConfigStatsRequest(
        dp, 0, o.OFPM_ALL))
    emit("of13.meter_features_request", p.OFPMeterFeaturesStatsRequest(dp, 0))
    emit("of13.table_features_request", p.OFPTableFeaturesStatsRequest(dp, 0))
    emit("of13.role_request", p.OFPRoleRequest(dp, o.OFPCR_ROLE_MASTER, 7))
    emit("of13.get_async_request", p.OFPGetAsyncRequest(dp))
    emit("of13.set_async", p.OFPSetAsync(dp, [1, 3], [7, 7], [15, 0]))
    emit("of13.table_mod", p.OFPTableMod(dp, 1, 0))
    emit("of13.port_mod", p.OFPPortMod(dp, 1, "00:11:22:33:44:55",
                                       o.OFPPC_PORT_DOWN, o.OFPPC_PORT_DOWN,
                                       0))


def of14():
    dp = ofproto_protocol.ProtocolDesc(version=0x05)
    o, p = o14, p14
    emit("of14.flow_mod_importance", p.OFPFlowMod(
        dp, priority=7, importance=9, buffer_id=o.OFP_NO_BUFFER,
        out_port=o.OFPP_ANY, out_group=o.OFPG_ANY,
        flags=o.OFPFF_RESET_COUNTS | o.OFPFF_NO_PKT_COUNTS |
        o.OFPFF_NO_BYT_COUNTS,
        match=p.OFPMatch(eth_type=0x88e7, pbb_isid=(5, 0xff), pbb_uca=1),
        instructions=[p.OFPInstructionActions(o.OFPIT_APPLY_ACTIONS, [
            p.OFPActionOutput(3, 0)])]))
    emit("of14.bundle_open", p.OFPBundleCtrlMsg(
        dp, 1, o.OFPBCT_OPEN_REQUEST, o.OFPBF_ATOMIC, []))
    inner = p.OFPBarrierRequest(dp)
    inner.set_xid(0x11)
    emit("of14.bundle_add", p.OFPBundleAddMsg(dp, 1, o.OFPBF_ATOMIC, inner,
                                              []))
    emit("of14.set_async", p.OFPSetAsync(dp, [
        p.OFPAsyncConfigPropReasons(o.OFPACPT_PACKET_IN_MASTER, mask=3),
        p.OFPAsyncConfigPropReasons(o.OFPACPT_PORT_STATUS_SLAVE, mask=7)]))
    emit("of14.role_request", p.OFPRoleRequest(dp, o.OFPCR_ROLE_SLAVE, 9))
    emit("of14.port_mod", p.OFPPortMod(
        dp, 2, "00:11:22:33:44:66", 0, o.OFPPC_NO_RECV,
        [p.OFPPortModPropEthernet(type_=0, length=8, advertise=0x20)]))
    emit("of14.port_stats_request", p.OFPPortStatsRequest(dp, 0, 5))
    emit("of14.table_mod", p.OFPTableMod(dp, 2, o.OFPTC_EVICTION, []))


def of15():
    dp = ofproto_protocol.ProtocolDesc(version=0x06)
    o, p = o15, p15
    emit("of15.flow_mod", p.OFPFlowMod(
        dp, priority=9, buffer_id=o.OFP_NO_BUFFER, out_port=o.OFPP_ANY,
        out_group=o.OFPG_ANY,
        match=p.OFPMatch(eth_type=0x0800, ip_proto=6, tcp_flags=(2, 0x12)),
        instructions=[p.OFPInstructionActions(o.OFPIT_APPLY_ACTIONS, [
            p.OFPActionMeter(4), p.OFPActionOutput(3, 0)])]))
    emit("of15.packet_out", p.OFPPacketOut(
        dp, buffer_id=o.OFP_NO_BUFFER, match=p.OFPMatch(in_port=4),
        actions=[p.OFPActionOutput(o.OFPP_TABLE, 0)], data=b"\x02" * 42))
    emit("of15.group_mod", p.OFPGroupMod(
        dp, command=o.OFPGC_ADD, type_=o.OFPGT_SELECT, group_id=8,
        command_bucket_id=o.OFPG_BUCKET_ALL, buckets=[
            p.OFPBucket(bucket_id=1, actions=[p.OFPActionOutput(1, 0)],
                        properties=[p.OFPGroupBucketPropWeight(type_=0, length=8, weight=5)])]))
    emit("of15.flow_desc_request", p.OFPFlowDescStatsRequest(
        dp, 0, 0xff, o.OFPP_ANY, o.OFPG_ANY, 0, 0, p.OFPMatch()))
    emit("of15.port_desc_request", p.OFPPortDescStatsRequest(dp, 0, o.OFPP_ANY))


of13()
of14()
of15()
print("\n".join(out))
