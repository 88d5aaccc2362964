# utilities/: ovs-nfv's own tools and scripts.
EXTRA_DIST += \
	utilities/ovs-nfv-setup \
	utilities/ovs-nfv-demo \
	utilities/ovs-nfv-check
# nfv-vm: the VNF guest launcher (see Documentation/vnf-images.md).
bin_SCRIPTS += utilities/nfv-vm
EXTRA_DIST += utilities/nfv-vm

# nfv-bench: traffic endpoints (C) and the test runner (Python).
bin_PROGRAMS += utilities/nfv-bench-app
utilities_nfv_bench_app_SOURCES = \
	utilities/bench/nfv-bench-app.c \
	utilities/bench/histogram.c utilities/bench/histogram.h \
	utilities/bench/packet.c utilities/bench/packet.h \
	utilities/bench/port.h \
	utilities/bench/port-dpdk.c \
	utilities/bench/port-socket.c
utilities_nfv_bench_app_LDADD = $(OVSNFV_LIBS)
bin_SCRIPTS += utilities/nfv-bench
EXTRA_DIST += utilities/nfv-bench

# ovs-nfv-bench-datapath: ovs-nfv against Debian's OVS-DPDK (issue 4).
bin_SCRIPTS += utilities/ovs-nfv-bench-datapath
EXTRA_DIST += utilities/ovs-nfv-bench-datapath
