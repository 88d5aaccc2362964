sbin_PROGRAMS += vswitchd/ovs-vswitchd
vswitchd_ovs_vswitchd_SOURCES = \
	vswitchd/ovs-vswitchd.c \
	vswitchd/vswitchd.h \
	vswitchd/bridge.c \
	vswitchd/datapath-id.c vswitchd/datapath-id.h \
	vswitchd/ofport-alloc.c vswitchd/ofport-alloc.h
vswitchd_ovs_vswitchd_LDADD = $(OVSNFV_LIBS)
