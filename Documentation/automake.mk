# One line per page so parallel additions merge cleanly.
EXTRA_DIST += Documentation/index.md
EXTRA_DIST += Documentation/install.md
EXTRA_DIST += Documentation/tutorial.md
EXTRA_DIST += Documentation/ovs-vswitchd.md
EXTRA_DIST += Documentation/testing.md
EXTRA_DIST += Documentation/utilities.md
EXTRA_DIST += Documentation/ovsdb-client.md
EXTRA_DIST += Documentation/configuration.md
EXTRA_DIST += Documentation/datapath.md
EXTRA_DIST += Documentation/openflow.md
EXTRA_DIST += Documentation/vnf-images.md
EXTRA_DIST += Documentation/pvp-tutorial.md

# nfv-bench: usage and measured figures.
EXTRA_DIST += \
	Documentation/nfv-bench.md \
	Documentation/benchmarks.md
EXTRA_DIST += \
	Documentation/benchmarks/nfv-bench-vhost-loop/64B-10s-0235-results.json \
	Documentation/benchmarks/nfv-bench-vhost-loop/sizes-results.json \
	Documentation/benchmarks/nfv-bench-vhost-loop/mpps-per-second-64B-0235.png \
	Documentation/benchmarks/nfv-bench-vhost-loop/mpps-vs-size.png \
	Documentation/benchmarks/nfv-bench-vhost-loop/gbps-vs-size.png \
	Documentation/benchmarks/nfv-bench-vhost-loop/latency-vs-size.png \
	Documentation/benchmarks/nfv-bench-vhost-loop/mpps-vs-pairs-64.png
