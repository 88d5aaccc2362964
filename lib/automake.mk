# lib/: the library every ovs-nfv program links.
noinst_LIBRARIES += lib/libovsnfv.a
lib_libovsnfv_a_SOURCES = \
	lib/util/coverage.c lib/util/coverage.h \
	lib/util/daemon.c lib/util/daemon.h \
	lib/util/dirs.c lib/util/dirs.h \
	lib/util/dstr.c lib/util/dstr.h \
	lib/util/hash.h \
	lib/util/hmap.c lib/util/hmap.h \
	lib/util/list.h \
	lib/util/mainloop.c lib/util/mainloop.h \
	lib/util/timeval.h \
	lib/util/util.c lib/util/util.h \
	lib/util/vlog.c lib/util/vlog.h \
	lib/stream/stream.c lib/stream/stream.h \
	lib/jsonrpc/jsonrpc.c lib/jsonrpc/jsonrpc.h \
	lib/unixctl/unixctl.c lib/unixctl/unixctl.h

# OVSDB client support: reconnect, JSON-RPC sessions, TLS streams, smap.
lib_libovsnfv_a_SOURCES += \
	lib/util/reconnect.c lib/util/reconnect.h \
	lib/util/smap.c lib/util/smap.h \
	lib/jsonrpc/jsonrpc-session.c lib/jsonrpc/jsonrpc-session.h \
	lib/stream/stream-ssl.c lib/stream/stream-ssl.h
