# ovsdb/: the OVSDB client (IDL) and ovs-nfv's own schemas.
lib_libovsnfv_a_SOURCES += \
	ovsdb/ovsdb-data.c ovsdb/ovsdb-data.h \
	ovsdb/idl.h \
	ovsdb/vswitch-rec.h
