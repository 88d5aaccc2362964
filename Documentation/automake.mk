EXTRA_DIST += \
	Documentation/index.md \
	Documentation/install.md \
	Documentation/tutorial.md \
	Documentation/ovs-vswitchd.md \
	Documentation/testing.md
EXTRA_DIST += \
	Documentation/vnf-images.md \
	Documentation/pvp-tutorial.md
