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
