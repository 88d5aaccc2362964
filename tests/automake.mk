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
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_LDADD = $(UNIT_LDADD)
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vlog_SOURCES = tests/unit/test-vlog.c
tests_unit_test_vlog_LDADD = $(UNIT_LDADD)
tests_unit_test_vlog_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_jsonrpc_SOURCES = tests/unit/test-jsonrpc.c
tests_unit_test_jsonrpc_LDADD = $(UNIT_LDADD)
tests_unit_test_jsonrpc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hmap_SOURCES = tests/unit/test-hmap.c
tests_unit_test_hmap_LDADD = $(UNIT_LDADD)
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
endif
tests_unit_test_ofp_match_SOURCES = tests/unit/test-ofp-match.c \
	tests/unit/ofp-test-util.h
tests_unit_test_ofp_match_LDADD = $(UNIT_LDADD)
tests_unit_test_ofp_match_CFLAGS = $(OFP_UNIT_CFLAGS)
tests_unit_test_ofp_actions_SOURCES = tests/unit/test-ofp-actions.c \
	tests/unit/ofp-test-util.h
tests_unit_test_ofp_actions_LDADD = $(UNIT_LDADD)
tests_unit_test_ofp_actions_CFLAGS = $(OFP_UNIT_CFLAGS)
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
