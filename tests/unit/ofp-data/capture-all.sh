#!/bin/sh
# Regenerates ofctl-vectors.txt: what the stock ovs-ofctl sends for each
# command the brief lists.  Run from this directory: sh capture-all.sh
set -e
C="/usr/bin/python3 $(dirname "$0")/capture-ofctl.py"
FLOWS=$(mktemp)
printf 'in_port=1,actions=output:2\npriority=5,ip,nw_dst=10.0.0.1,actions=drop\n' > "$FLOWS"
{
$C of10.add_flow -- ovs-ofctl add-flow SOCK "in_port=1,ip,nw_src=10.0.0.0/8,actions=output:2,mod_vlan_vid:10"
$C of10.add_flow_actions -- ovs-ofctl add-flow SOCK "priority=7,tcp,dl_vlan=5,dl_src=00:11:22:33:44:55,tp_dst=80,actions=strip_vlan,mod_dl_dst:00:00:00:00:00:01,mod_nw_src:1.2.3.4,mod_nw_tos:8,mod_tp_dst:99,enqueue:1:2,CONTROLLER:128,LOCAL"
$C nx.add_flow_ipv6 -- ovs-ofctl add-flow SOCK "ipv6,ipv6_src=2001:db8::/32,actions=output:2"
$C nx.add_flow_table -- ovs-ofctl add-flow SOCK "table=1,priority=5,arp,arp_op=1,actions=NORMAL"
$C of10.add_flow_nx_actions -- ovs-ofctl add-flow SOCK "ip,actions=dec_ttl,mod_nw_ttl:9,set_queue:3,group:1,push_mpls:0x8847,set_mpls_ttl(5),dec_mpls_ttl,set_mpls_label:5,set_mpls_tc:1,pop_mpls:0x0800,set_field:0x1234->tun_id,output:2"
$C of10.add_flows -- ovs-ofctl add-flows SOCK "$FLOWS"
$C of10.mod_flows -- ovs-ofctl mod-flows SOCK "in_port=1,actions=output:3"
$C of10.del_flows -- ovs-ofctl del-flows SOCK
$C of10.del_flows_filter -- ovs-ofctl del-flows SOCK "ip,nw_dst=10.0.0.1"
$C nx.del_flows_cookie -- ovs-ofctl del-flows SOCK "cookie=0x5/-1"
CAP_TIMEOUT=2 $C nx.dump_flows -- ovs-ofctl dump-flows SOCK
CAP_TIMEOUT=2 $C nx.dump_flows_filter -- ovs-ofctl dump-flows SOCK "tcp,tp_dst=80"
CAP_TIMEOUT=2 $C nx.dump_aggregate -- ovs-ofctl dump-aggregate SOCK
CAP_TIMEOUT=2 $C of10.replace_flows -- ovs-ofctl replace-flows SOCK "$FLOWS"
CAP_TIMEOUT=2 $C of10.dump_ports -- ovs-ofctl dump-ports SOCK
CAP_TIMEOUT=2 $C of10.dump_ports_desc -- ovs-ofctl dump-ports-desc SOCK
CAP_TIMEOUT=2 $C of10.dump_tables -- ovs-ofctl dump-tables SOCK
CAP_TIMEOUT=2 $C of10.show -- ovs-ofctl show SOCK
$C of10.packet_out -- ovs-ofctl packet-out SOCK "in_port=1 packet=ffffffffffff00000000000108060001080006040001000000000001c0a80001000000000000c0a80002 actions=output:2"
CAP_TIMEOUT=2 $C of10.monitor -- ovs-ofctl monitor SOCK
CAP_TIMEOUT=2 $C of10.monitor_watch -- ovs-ofctl monitor SOCK watch:
CAP_VERSION=4 $C of13.add_flow -- ovs-ofctl -O OpenFlow13 add-flow SOCK "table=2,priority=9,ip,nw_src=10.0.0.0/8,actions=push_vlan:0x8100,set_field:4106->vlan_vid,group:3,goto_table:4"
CAP_VERSION=4 CAP_TIMEOUT=2 $C of13.dump_flows -- ovs-ofctl -O OpenFlow13 dump-flows SOCK "udp"
CAP_VERSION=4 CAP_TIMEOUT=2 $C of13.dump_ports_desc -- ovs-ofctl -O OpenFlow13 dump-ports-desc SOCK
CAP_VERSION=4 $C of13.add_group -- ovs-ofctl -O OpenFlow13 add-group SOCK "group_id=1,type=select,bucket=weight:5,output:1,bucket=weight:6,output:2"
CAP_VERSION=4 $C of13.add_meter -- ovs-ofctl -O OpenFlow13 add-meter SOCK "meter=1,kbps,burst,band=type=drop,rate=1000,burst_size=10"
CAP_VERSION=5 $C of14.add_flow -- ovs-ofctl -O OpenFlow14 add-flow SOCK "importance=5,priority=9,ip,actions=output:1"
CAP_VERSION=6 $C of15.add_flow -- ovs-ofctl -O OpenFlow15 add-flow SOCK "priority=9,ip,actions=output:1"
CAP_VERSION=6 $C of15.packet_out -- ovs-ofctl -O OpenFlow15 packet-out SOCK "in_port=1 packet=ffffffffffff00000000000108060001080006040001000000000001c0a80001000000000000c0a80002 actions=output:2"
} | grep -v ' 0100000800000001$' | grep -v ' 0[456]00001000000001' 
rm -f "$FLOWS"
