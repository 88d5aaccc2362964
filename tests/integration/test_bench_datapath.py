"""utilities/ovs-nfv-bench-datapath: a one-second port-to-port run on both
daemons gives positive rates and cycle counts for each and leaves nothing
behind (processes, hugepage files, TAP devices, sandbox directories)."""

import glob
import json
import os
import subprocess
import sys

import pytest

from sandbox import OVSDPDK_VSWITCHD, SRCDIR, free_hugepages_mb

SCRIPT = os.path.join(SRCDIR, "utilities", "ovs-nfv-bench-datapath")


def test_p2p_on_both_daemons(tmp_path):
    if not os.path.exists(OVSDPDK_VSWITCHD):
        pytest.skip("Debian's OVS-DPDK is not installed")
    if free_hugepages_mb() < 512:
        pytest.skip("needs >= 512 MB of free 2 MB hugepages")
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, SCRIPT, "--seconds", "1",
                        "--warmup", "0.5", "--scenarios", "p2p",
                        "--json", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "p2p" in r.stdout
    doc = json.loads(out.read_text())
    assert doc["machine"]["nproc"] >= 1 and doc["date"].endswith("Z")
    runs = {x["daemon"]: x for x in doc["results"]}
    assert set(runs) == {"ovs-nfv", "ovs-dpdk"}
    for daemon, x in runs.items():
        assert "error" not in x, x
        assert x["scenario"] == "p2p"
        assert x["mpps"] > 0 and x["packets"] > 0, x
        assert x["cycles_per_packet"] > 0, x
        assert x["left_behind"] == [], x
    row = doc["summary"][0]
    assert row["ratio"] == pytest.approx(row["ovs-nfv"]["mpps"] /
                                         row["ovs-dpdk"]["mpps"])
    # Nothing left behind, checked here too.
    for x in runs.values():
        assert not os.path.exists(x["sandbox"])
        assert not os.path.exists("/sys/class/net/" + x["bridge"])
        assert x["dpdk_file_prefixes"]
        for prefix in x["dpdk_file_prefixes"]:
            assert not glob.glob("/dev/hugepages/%s*" % prefix)
