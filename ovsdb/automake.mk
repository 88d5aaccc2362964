# ovsdb/: the OVSDB client (IDL) and ovs-nfv's own schemas.
