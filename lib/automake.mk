# lib/: the library every ovs-nfv program links.
noinst_LIBRARIES += lib/libovsnfv.a
lib_libovsnfv_a_SOURCES = \
	lib/util/coverage.c lib/util/coverage.h \
	lib/util/daemon.c lib/util/daemon.h \
	lib/util/dirs.c lib/util/dirs.h \
	lib/util/dstr.c lib/util/dstr.h \
	lib/util/hash.h lib/util/lprobe.h \
	lib/util/hmap.c lib/util/hmap.h \
	lib/util/list.h \
	lib/util/mainloop.c lib/util/mainloop.h \
	lib/util/timeval.h \
	lib/util/util.c lib/util/util.h \
	lib/util/vlog.c lib/util/vlog.h \
	lib/stream/stream.c lib/stream/stream.h \
	lib/jsonrpc/jsonrpc.c lib/jsonrpc/jsonrpc.h \
	lib/unixctl/unixctl.c lib/unixctl/unixctl.h

# memory/show registry (bridge layer).
lib_libovsnfv_a_SOURCES += lib/util/memory.c lib/util/memory.h

# OVSDB client support: reconnect, JSON-RPC sessions, TLS streams, smap.
lib_libovsnfv_a_SOURCES += \
	lib/util/reconnect.c lib/util/reconnect.h \
	lib/util/smap.c lib/util/smap.h \
	lib/jsonrpc/jsonrpc-session.c lib/jsonrpc/jsonrpc-session.h \
	lib/stream/stream-ssl.c lib/stream/stream-ssl.h

# lib/packet, lib/netdev, lib/dpdk, lib/dpif: the userspace DPDK datapath.
lib_libovsnfv_a_SOURCES += \
	lib/packet/eth-addr.h \
	lib/packet/flow.c lib/packet/flow.h \
	lib/packet/pkt-meta.h \
	lib/dpdk/dpdk.c lib/dpdk/dpdk.h \
	lib/dpdk/rcu.c lib/dpdk/rcu.h \
	lib/netdev/netdev.c lib/netdev/netdev.h \
	lib/netdev/netdev-provider.h \
	lib/netdev/netdev-dpdk.c \
	lib/netdev/netdev-vhost.c \
	lib/netdev/netdev-tap.c \
	lib/dpif/dpif.c lib/dpif/dpif.h \
	lib/dpif/dpif-private.h \
	lib/dpif/dpif-unixctl.c \
	lib/dpif/dpctl.c \
	lib/dpif/mac-learning.c lib/dpif/mac-learning.h \
	lib/dpif/pmd.c \
	lib/dpif/rxq-sched.c lib/dpif/rxq-sched.h

# lib/openflow/: the OpenFlow wire codec (bytes <-> version-independent structs).
lib_libovsnfv_a_SOURCES += \
	lib/openflow/openflow.h \
	lib/openflow/ofp-buf.c lib/openflow/ofp-buf.h \
	lib/openflow/ofp-errors.c lib/openflow/ofp-errors.h \
	lib/openflow/ofp-match.c lib/openflow/ofp-match.h \
	lib/openflow/ofp-actions.c lib/openflow/ofp-actions.h \
	lib/openflow/ofp-msgs.c lib/openflow/ofp-msgs.h \
	lib/openflow/ofp-flow.c lib/openflow/ofp-flow.h \
	lib/openflow/ofp-port.c lib/openflow/ofp-port.h \
	lib/openflow/ofp-group.c lib/openflow/ofp-group.h \
	lib/openflow/ofp-multipart.c lib/openflow/ofp-multipart.h \
	lib/openflow/ofp-nicira.c lib/openflow/ofp-nicira.h \
	lib/openflow/ofp-monitor.c lib/openflow/ofp-monitor.h \
	lib/openflow/ofp-print.c lib/openflow/ofp-print.h

# lib/classifier/: tuple-space packet classifier (OpenFlow tables).
lib_libovsnfv_a_SOURCES += \
	lib/classifier/classifier.c lib/classifier/classifier.h \
	lib/classifier/pcls.c lib/classifier/pcls.h

# lib/ofproto/: the OpenFlow switch agent; lib/dpif/dp-ofpipe.c runs its
# compiled pipeline in the datapath.
lib_libovsnfv_a_SOURCES += \
	lib/ofproto/ofkey.c lib/ofproto/ofkey.h \
	lib/ofproto/ofpipe.c lib/ofproto/ofpipe.h \
	lib/ofproto/ofpipe-xlate.c \
	lib/ofproto/ofproto.c lib/ofproto/ofproto.h \
	lib/ofproto/ofproto-private.h \
	lib/ofproto/ofproto-compile.c \
	lib/ofproto/ofproto-stats.c \
	lib/ofproto/ofproto-trace.c \
	lib/ofproto/ofproto-scratch.c \
	lib/ofproto/connmgr.c lib/ofproto/connmgr.h \
	lib/ofproto/ofconn.h lib/ofproto/ofconn-handle.c \
	lib/ofproto/ofproto-monitor.c lib/ofproto/ofproto-monitor.h \
	lib/dpif/dp-ofpipe.c \
	lib/dpif/flow-cache.c lib/dpif/flow-cache.h
