# vnf-images/: VNF guest image builder and assets.
