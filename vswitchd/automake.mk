sbin_PROGRAMS += vswitchd/ovs-vswitchd
vswitchd_ovs_vswitchd_SOURCES = \
	vswitchd/ovs-vswitchd.c \
	vswitchd/vswitchd.h \
	vswitchd/bridge.c vswitchd/bridge.h \
	vswitchd/bridge-dpif.c vswitchd/bridge-dpif.h \
	vswitchd/bridge-status.c vswitchd/bridge-status.h \
	vswitchd/bridge-ofproto.c vswitchd/bridge-ofproto.h \
	vswitchd/system-stats.c vswitchd/system-stats.h \
	vswitchd/datapath-id.c vswitchd/datapath-id.h \
	vswitchd/ofport-alloc.c vswitchd/ofport-alloc.h
vswitchd_ovs_vswitchd_LDADD = $(OVSNFV_LIBS)
