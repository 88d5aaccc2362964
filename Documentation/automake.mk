EXTRA_DIST += \
	Documentation/index.md \
	Documentation/install.md \
	Documentation/tutorial.md \
	Documentation/ovs-vswitchd.md \
	Documentation/testing.md

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
