# utilities/: ovs-nfv's own tools and scripts.
EXTRA_DIST += \
	utilities/ovs-nfv-setup \
	utilities/ovs-nfv-demo \
	utilities/ovs-nfv-check
