# ovsdb/: the OVSDB client (IDL) and ovs-nfv's own schemas.
lib_libovsnfv_a_SOURCES += \
	ovsdb/ovsdb-data.c ovsdb/ovsdb-data.h \
	ovsdb/idl.c ovsdb/idl.h ovsdb/idl-private.h \
	ovsdb/idl-txn.c \
	ovsdb/vswitch-rec.c ovsdb/vswitch-rec.h
