#!/bin/sh
# Regenerates ovs-replies.txt: the replies of a real Open vSwitch 3.1
# (Debian's userspace ovs-vswitchd, netdev datapath, in a private
# directory) to ovs-ofctl commands in OpenFlow 1.0, 1.3, 1.4 and 1.5.
# Run as root from anywhere: sh capture-ovs-replies.sh > ovs-replies.txt
set -e
exec 3>&1 >/dev/null 2>&1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/ovscap.XXXXXX)
export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_PKGDATADIR=/usr/share/openvswitch
cleanup() {
    for p in ovs-vswitchd ovsdb-server; do
        [ -f "$dir/$p.pid" ] && kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
    done
    sleep 0.5
    rm -rf "$dir"
}
trap cleanup EXIT
ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
    --detach --log-file="$dir/ovsdb-server.log"
ovs-vsctl --db="unix:$dir/db.sock" --no-wait init
ovs-vswitchd "unix:$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" --detach \
    --log-file="$dir/ovs-vswitchd.log" --disable-system --enable-dummy=override
V="ovs-vsctl --db=unix:$dir/db.sock --timeout=10"
$V add-br br0 -- set bridge br0 datapath_type=dummy \
    protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15 \
    other-config:datapath-id=0000000000000abc
$V add-port br0 p1 -- set interface p1 type=dummy ofport_request=1
$V add-port br0 p2 -- set interface p2 type=dummy ofport_request=2
mgmt=$dir/br0.mgmt
ovs-ofctl add-flow "$mgmt" "priority=100,ip,in_port=1,nw_src=10.0.0.0/8,actions=output:2"
ovs-ofctl add-flow "$mgmt" "cookie=0x5,table=1,idle_timeout=30,tcp,tp_dst=80,actions=mod_vlan_vid:10,output:1"
ovs-ofctl -O OpenFlow13 add-group "$mgmt" "group_id=1,type=select,bucket=weight:5,output:1,bucket=weight:6,output:2"
ovs-ofctl -O OpenFlow13 add-meter "$mgmt" "meter=1,kbps,burst,band=type=drop,rate=1000,burst_size=10"
ovs-ofctl -O OpenFlow13 add-flow "$mgmt" "table=2,priority=9,ipv6,actions=meter:1,group:1"
P="record"
record() {
    /usr/bin/python3 "$here/proxy-record.py" "$dir/proxy.sock" "$mgmt" "$@" >&3
}
$P of10.show -- ovs-ofctl show SOCK
$P of10.dump_flows -- ovs-ofctl dump-flows SOCK
$P of10.dump_aggregate -- ovs-ofctl dump-aggregate SOCK
$P of10.dump_ports -- ovs-ofctl dump-ports SOCK
$P of10.dump_ports_desc -- ovs-ofctl dump-ports-desc SOCK
$P of10.dump_tables -- ovs-ofctl dump-tables SOCK
$P of10.queue_stats -- ovs-ofctl queue-stats SOCK
for v in 13 14 15; do
    O="-O OpenFlow$v"
    $P of$v.show -- ovs-ofctl $O show SOCK
    $P of$v.dump_flows -- ovs-ofctl $O dump-flows SOCK
    $P of$v.dump_aggregate -- ovs-ofctl $O dump-aggregate SOCK
    $P of$v.dump_ports -- ovs-ofctl $O dump-ports SOCK
    $P of$v.dump_tables -- ovs-ofctl $O dump-tables SOCK
    $P of$v.dump_groups -- ovs-ofctl $O dump-groups SOCK
    $P of$v.dump_group_stats -- ovs-ofctl $O dump-group-stats SOCK
    $P of$v.dump_group_features -- ovs-ofctl $O dump-group-features SOCK
    $P of$v.dump_meters -- ovs-ofctl $O dump-meters SOCK
    $P of$v.meter_stats -- ovs-ofctl $O meter-stats SOCK
    $P of$v.meter_features -- ovs-ofctl $O meter-features SOCK
    $P of$v.get_frags -- ovs-ofctl $O get-frags SOCK
done
$P of13.table_features -- ovs-ofctl -O OpenFlow13 dump-table-features SOCK
