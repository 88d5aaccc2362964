# Unit tests: one cmocka program per module under tests/unit/.
# Integration tests: pytest under /usr/bin/python3 in tests/integration/.
if HAVE_CMOCKA
UNIT_TESTS = \
	tests/unit/test-util \
	tests/unit/test-vlog \
	tests/unit/test-jsonrpc \
	tests/unit/test-hmap
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_LDADD = $(OVSNFV_LIBS) $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
# The default for every program without its own _LDADD: only test programs
# (ovs-vswitchd and the other installed programs set theirs).  A unit test
# needs only its _SOURCES and _CFLAGS lines.
LDADD = $(UNIT_LDADD)
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vlog_SOURCES = tests/unit/test-vlog.c
tests_unit_test_vlog_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_jsonrpc_SOURCES = tests/unit/test-jsonrpc.c
tests_unit_test_jsonrpc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hmap_SOURCES = tests/unit/test-hmap.c
tests_unit_test_hmap_CFLAGS = $(UNIT_CFLAGS)
endif

# Integration tests run after the unit tests, against the built daemon.
PYTEST = /usr/bin/python3 -m pytest
PYTEST_FLAGS ?= -q
check-local: all
	cd $(srcdir)/tests/integration && \
	  OVSNFV_BUILDDIR=$(abs_top_builddir) OVSNFV_SRCDIR=$(abs_top_srcdir) \
	  $(PYTEST) $(PYTEST_FLAGS) .

EXTRA_DIST += tests/integration

# Bridge layer (vswitchd/) and memory/show unit tests.
if HAVE_CMOCKA
BRIDGE_UNIT_TESTS = \
	tests/unit/test-memory \
	tests/unit/test-ofport-alloc \
	tests/unit/test-datapath-id
check_PROGRAMS += $(BRIDGE_UNIT_TESTS)
TESTS += $(BRIDGE_UNIT_TESTS)
tests_unit_test_memory_SOURCES = tests/unit/test-memory.c
tests_unit_test_memory_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ofport_alloc_SOURCES = tests/unit/test-ofport-alloc.c \
	vswitchd/ofport-alloc.c
tests_unit_test_ofport_alloc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_datapath_id_SOURCES = tests/unit/test-datapath-id.c \
	vswitchd/datapath-id.c
tests_unit_test_datapath_id_CFLAGS = $(UNIT_CFLAGS)
endif

# OVSDB client: the IDL test driver used by tests/integration/test_ovsdb_idl.py.
check_PROGRAMS += tests/ovsdb-idl-client
tests_ovsdb_idl_client_SOURCES = tests/ovsdb-idl-client.c
tests_ovsdb_idl_client_LDADD = $(OVSNFV_LIBS)

# Datapath unit tests (packet parsing, MAC table, rx queue scheduling).
if HAVE_CMOCKA
DATAPATH_UNIT_TESTS = \
	tests/unit/test-flow \
	tests/unit/test-mac-learning \
	tests/unit/test-rxq-sched \
	tests/unit/test-pcls \
	tests/unit/test-flow-cache
check_PROGRAMS += $(DATAPATH_UNIT_TESTS)
TESTS += $(DATAPATH_UNIT_TESTS)
tests_unit_test_flow_SOURCES = tests/unit/test-flow.c
tests_unit_test_flow_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mac_learning_SOURCES = tests/unit/test-mac-learning.c
tests_unit_test_mac_learning_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rxq_sched_SOURCES = tests/unit/test-rxq-sched.c
tests_unit_test_rxq_sched_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pcls_SOURCES = tests/unit/test-pcls.c
tests_unit_test_pcls_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_flow_cache_SOURCES = tests/unit/test-flow-cache.c
tests_unit_test_flow_cache_CFLAGS = $(UNIT_CFLAGS)
endif

# OVSDB client unit tests.
if HAVE_CMOCKA
OVSDB_UNIT_TESTS = \
	tests/unit/test-ovsdb-data \
	tests/unit/test-reconnect \
	tests/unit/test-ovsdb-idl
check_PROGRAMS += $(OVSDB_UNIT_TESTS)
TESTS += $(OVSDB_UNIT_TESTS)
tests_unit_test_ovsdb_data_SOURCES = tests/unit/test-ovsdb-data.c
tests_unit_test_ovsdb_data_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_reconnect_SOURCES = tests/unit/test-reconnect.c
tests_unit_test_reconnect_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ovsdb_idl_SOURCES = tests/unit/test-ovsdb-idl.c
tests_unit_test_ovsdb_idl_CFLAGS = $(UNIT_CFLAGS)
endif

# OpenFlow switch agent: classifier, ofproto (flow-mod, groups, meters).
if HAVE_CMOCKA
OFPROTO_UNIT_TESTS = \
	tests/unit/test-classifier \
	tests/unit/test-ofproto
check_PROGRAMS += $(OFPROTO_UNIT_TESTS)
TESTS += $(OFPROTO_UNIT_TESTS)
tests_unit_test_classifier_SOURCES = tests/unit/test-classifier.c
tests_unit_test_classifier_LDADD = $(UNIT_LDADD)
tests_unit_test_classifier_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ofproto_SOURCES = tests/unit/test-ofproto.c
tests_unit_test_ofproto_LDADD = $(UNIT_LDADD)
tests_unit_test_ofproto_CFLAGS = $(UNIT_CFLAGS)
endif

# lib/openflow: OpenFlow codec unit tests.
if HAVE_CMOCKA
OFP_UNIT_TESTS = \
	tests/unit/test-ofp-msgs \
	tests/unit/test-ofp-match \
	tests/unit/test-ofp-actions
check_PROGRAMS += $(OFP_UNIT_TESTS)
TESTS += $(OFP_UNIT_TESTS)
OFP_UNIT_CFLAGS = $(UNIT_CFLAGS) \
	-DOFP_TEST_DATA='"$(abs_top_srcdir)/tests/unit/ofp-data"'
tests_unit_test_ofp_msgs_SOURCES = tests/unit/test-ofp-msgs.c \
	tests/unit/ofp-roundtrip.h tests/unit/ofp-test-util.h
tests_unit_test_ofp_msgs_LDADD = $(UNIT_LDADD)
tests_unit_test_ofp_msgs_CFLAGS = $(OFP_UNIT_CFLAGS)
tests_unit_test_ofp_match_SOURCES = tests/unit/test-ofp-match.c \
	tests/unit/ofp-test-util.h
tests_unit_test_ofp_match_LDADD = $(UNIT_LDADD)
tests_unit_test_ofp_match_CFLAGS = $(OFP_UNIT_CFLAGS)
tests_unit_test_ofp_actions_SOURCES = tests/unit/test-ofp-actions.c \
	tests/unit/ofp-test-util.h
tests_unit_test_ofp_actions_LDADD = $(UNIT_LDADD)
tests_unit_test_ofp_actions_CFLAGS = $(OFP_UNIT_CFLAGS)
endif
# Not a test itself: prints encoded samples for test_openflow_codec.py.
check_PROGRAMS += tests/unit/ofp-samples
tests_unit_ofp_samples_SOURCES = tests/unit/ofp-samples.c
tests_unit_ofp_samples_LDADD = $(OVSNFV_LIBS)
EXTRA_DIST += tests/unit/ofp-data

# lib/openflow: bounded libFuzzer run of the OpenFlow decoders (skipped when
# clang's libFuzzer runtime is missing).  `make fuzz-ofp FUZZ_SECONDS=600`
# runs it longer by hand.
TESTS += tests/fuzz/run-fuzz-ofp.sh
EXTRA_DIST += tests/fuzz/run-fuzz-ofp.sh tests/fuzz/fuzz-ofp-decode.c
CLEANFILES += tests/fuzz/fuzz-ofp-decode
fuzz-ofp:
	srcdir=$(srcdir) top_builddir=$(top_builddir) \
	  FUZZ_SECONDS=$${FUZZ_SECONDS:-30} $(SHELL) $(srcdir)/tests/fuzz/run-fuzz-ofp.sh
.PHONY: fuzz-ofp
# nfv-bench: histogram, sequence tracking and frame helpers.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-histogram
TESTS += tests/unit/test-histogram
tests_unit_test_histogram_SOURCES = tests/unit/test-histogram.c \
	utilities/bench/histogram.c utilities/bench/packet.c
tests_unit_test_histogram_LDADD = $(UNIT_LDADD)
tests_unit_test_histogram_CFLAGS = $(UNIT_CFLAGS)
endif
