EXTRA_DIST += \
	Documentation/index.md \
	Documentation/install.md \
	Documentation/tutorial.md \
	Documentation/ovs-vswitchd.md \
	Documentation/testing.md

# The userspace datapath.
EXTRA_DIST += Documentation/datapath.md
