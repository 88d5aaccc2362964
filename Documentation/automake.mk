EXTRA_DIST += \
	Documentation/index.md \
	Documentation/install.md \
	Documentation/tutorial.md \
	Documentation/ovs-vswitchd.md \
	Documentation/testing.md \
	Documentation/utilities.md \
	Documentation/configuration.md

# OVSDB client.
EXTRA_DIST += Documentation/ovsdb-client.md
