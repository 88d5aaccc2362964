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

# nfv-bench: histogram, sequence tracking and frame helpers.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-histogram
TESTS += tests/unit/test-histogram
tests_unit_test_histogram_SOURCES = tests/unit/test-histogram.c \
	utilities/bench/histogram.c utilities/bench/packet.c
tests_unit_test_histogram_LDADD = $(UNIT_LDADD)
tests_unit_test_histogram_CFLAGS = $(UNIT_CFLAGS)
endif
