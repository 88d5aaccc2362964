"""A proactive OpenFlow 1.3 application for the tests: on connection it
installs a two-table pipeline that meters and load-balances traffic from
port 1 over ports 2 and 3 with a select group:

  table 0: in_port=1 -> meter 1, write_metadata 0x1, goto table 1
           anything else -> drop (table-miss entry)
  table 1: metadata=0x1 -> group 1 (select: port 2, port 3)
  meter 1: drop band at $OSKEN_METER_PPS packets/s (default 10^9)

and then asks for the group and meter statistics once a second, writing
them to $OSKEN_TEST_LOG."""

import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3


def note(text):
    path = os.environ.get("OSKEN_TEST_LOG")
    if path:
        with open(path, "a") as f:
            f.write(text + "\n")


class Proactive13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dps = []
        self.poller = hub.spawn(self.poll)

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPFlowMod(datapath=dp, command=ofp.OFPFC_DELETE,
                                      table_id=ofp.OFPTT_ALL,
                                      out_port=ofp.OFPP_ANY,
                                      out_group=ofp.OFPG_ANY))
        dp.send_msg(parser.OFPGroupMod(dp, ofp.OFPGC_DELETE, 0,
                                       ofp.OFPG_ALL))
        dp.send_msg(parser.OFPMeterMod(dp, ofp.OFPMC_DELETE, 0, ofp.OFPM_ALL))
        rate = int(os.environ.get("OSKEN_METER_PPS", "1000000000"))
        dp.send_msg(parser.OFPMeterMod(
            dp, ofp.OFPMC_ADD, ofp.OFPMF_PKTPS | ofp.OFPMF_STATS, 1,
            [parser.OFPMeterBandDrop(rate=rate, burst_size=0)]))
        buckets = [parser.OFPBucket(weight=1, watch_port=ofp.OFPP_ANY,
                                    watch_group=ofp.OFPG_ANY,
                                    actions=[parser.OFPActionOutput(p)])
                   for p in (2, 3)]
        dp.send_msg(parser.OFPGroupMod(dp, ofp.OFPGC_ADD, ofp.OFPGT_SELECT,
                                       1, buckets))
        dp.send_msg(parser.OFPFlowMod(
            datapath=dp, table_id=0, priority=10,
            match=parser.OFPMatch(in_port=1),
            instructions=[parser.OFPInstructionMeter(1),
                          parser.OFPInstructionWriteMetadata(1, 0xff),
                          parser.OFPInstructionGotoTable(1)]))
        dp.send_msg(parser.OFPFlowMod(
            datapath=dp, table_id=1, priority=10,
            match=parser.OFPMatch(metadata=(1, 0xff)),
            instructions=[parser.OFPInstructionActions(
                ofp.OFPIT_APPLY_ACTIONS, [parser.OFPActionGroup(1)])]))
        dp.send_msg(parser.OFPBarrierRequest(dp))
        self.dps.append(dp)
        note("installed dpid=%016x" % dp.id)

    @set_ev_cls(ofp_event.EventOFPErrorMsg, MAIN_DISPATCHER)
    def error(self, ev):
        note("error type=%d code=%d" % (ev.msg.type, ev.msg.code))

    def poll(self):
        while True:
            for dp in self.dps:
                parser, ofp = dp.ofproto_parser, dp.ofproto
                dp.send_msg(parser.OFPGroupStatsRequest(dp, 0, ofp.OFPG_ALL))
                dp.send_msg(parser.OFPMeterStatsRequest(dp, 0, ofp.OFPM_ALL))
            hub.sleep(1)

    @set_ev_cls(ofp_event.EventOFPGroupStatsReply, MAIN_DISPATCHER)
    def group_stats(self, ev):
        for s in ev.msg.body:
            note("group %d packets=%d buckets=%s"
                 % (s.group_id, s.packet_count,
                    ",".join(str(b.packet_count) for b in s.bucket_stats)))

    @set_ev_cls(ofp_event.EventOFPMeterStatsReply, MAIN_DISPATCHER)
    def meter_stats(self, ev):
        for s in ev.msg.body:
            note("meter %d in=%d band_drops=%s"
                 % (s.meter_id, s.packet_in_count,
                    ",".join(str(b.packet_band_count)
                             for b in s.band_stats)))
