# utilities/: ovs-nfv's own tools and scripts.
EXTRA_DIST += \
	utilities/ovs-nfv-setup \
	utilities/ovs-nfv-demo \
	utilities/ovs-nfv-check
# nfv-vm: the VNF guest launcher (see Documentation/vnf-images.md).
bin_SCRIPTS += utilities/nfv-vm
EXTRA_DIST += utilities/nfv-vm
