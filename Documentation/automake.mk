EXTRA_DIST += \
	Documentation/index.md \
	Documentation/install.md \
	Documentation/tutorial.md \
	Documentation/ovs-vswitchd.md \
	Documentation/testing.md \
	Documentation/utilities.md
EXTRA_DIST += Documentation/openflow.md
