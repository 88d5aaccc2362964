# vnf-images/: VNF guest image builder and assets.
# The image builder and the guest's /init, installed side by side (build
# finds init next to itself): $(pkgdatadir)/vnf-images/.
vnfimagesdir = $(pkgdatadir)/vnf-images
dist_vnfimages_SCRIPTS = \
	vnf-images/build \
	vnf-images/init
