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
