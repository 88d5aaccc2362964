"""nfv-bench: the NDR search logic, option parsing, and short end-to-end
test sets on real switches (testpmd, Debian's OVS-DPDK, a Linux bridge and
ovs-nfv), checking results.json, results.csv, the plots and the cleanup."""

import csv
import glob
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

SRCDIR = os.environ.get("OVSNFV_SRCDIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("OVSNFV_BUILDDIR", SRCDIR)
RUNNER = os.path.join(SRCDIR, "utilities", "nfv-bench")
APP = os.path.join(BUILDDIR, "utilities", "nfv-bench-app")
OVS_NFV = os.path.join(BUILDDIR, "vswitchd", "ovs-vswitchd")
OVS_DPDK = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"


def load_runner():
    loader = importlib.machinery.SourceFileLoader("nfv_bench", RUNNER)
    spec = importlib.util.spec_from_loader("nfv_bench", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


nb = load_runner()


# ---- NDR search: pure logic, with a fake device under test. ----

def fake_dut(capacity, max_rate=None):
    """A device that loses the excess above 'capacity' pps; unpaced trials
    run at 'max_rate' (default 4x capacity)."""
    calls = []
    top = max_rate or 4 * capacity

    def trial(rate):
        offered = rate if rate else top
        calls.append(offered)
        loss = max(0.0, (offered - capacity) / offered * 100)
        return loss, offered, {"rate": offered}
    return trial, calls


def test_ndr_search_converges_below_capacity():
    trial, calls = fake_dut(1_000_000)
    r = nb.ndr_search(trial, 0, loss_tolerance_pct=0.0, precision=0.01,
                      max_trials=20)
    assert calls[0] == 4_000_000            # First the unpaced maximum.
    assert 0.99 * 1_000_000 <= r["ndr_rate"] <= 1_000_000
    assert r["result"]["rate"] == r["ndr_rate"]
    assert all(passed == (rate <= 1_000_000)
               for rate, _, passed in r["trials"][1:])


def test_ndr_search_maximum_passes():
    trial, calls = fake_dut(5_000_000, max_rate=3_000_000)
    r = nb.ndr_search(trial, 0, loss_tolerance_pct=0.0)
    assert r["ndr_rate"] == 3_000_000
    assert len(calls) == 1


def test_ndr_search_respects_tolerance_and_trial_limit():
    trial, calls = fake_dut(1_000_000)
    # 10% tolerance admits up to 1.111 Mpps.
    r = nb.ndr_search(trial, 0, loss_tolerance_pct=10.0, precision=0.001,
                      max_trials=30)
    assert 1_000_000 < r["ndr_rate"] <= 1_111_112
    trial, calls = fake_dut(1_000_000)
    r = nb.ndr_search(trial, 0, loss_tolerance_pct=0.0, precision=1e-9,
                      max_trials=5)
    assert len(calls) == 5
    assert r["ndr_rate"] <= 1_000_000


def test_ndr_search_nothing_passes():
    def lossy(rate):
        return 50.0, rate or 1e6, {}
    r = nb.ndr_search(lossy, 0, loss_tolerance_pct=0.0, max_trials=6)
    assert r["ndr_rate"] == 0.0
    assert r["result"] is None


def test_option_parsing():
    assert nb.parse_int_list("64,128") == [64, 128]
    assert nb.parse_int_list("64..64..256") == [64, 128, 192, 256]
    assert nb.parse_int_list("64..500..1518") == [64, 564, 1064, 1518]
    assert nb.parse_int_list("1..3") == [1, 2, 3]
    with pytest.raises(ValueError):
        nb.parse_int_list("128..64")
    assert nb.parse_rate("max") == 0
    assert nb.parse_rate("2.5M") == 2_500_000
    assert nb.parse_rate("100k") == 100_000


# ---- End to end. ----

def machine_ready():
    if os.geteuid() != 0:
        return "needs root"
    if not os.path.exists(APP):
        return "nfv-bench-app not built"
    if not shutil.which("dpdk-testpmd"):
        return "dpdk-testpmd missing"
    return None


needs_machine = pytest.mark.skipif(machine_ready() is not None,
                                   reason=str(machine_ready()))


def run_bench(args, tag, timeout=300):
    env = dict(os.environ, NFV_BENCH_APP=APP, NFV_BENCH_OVS_NFV=OVS_NFV)
    r = subprocess.run([sys.executable, RUNNER] + args + ["--tag", tag],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, env=env, timeout=timeout)
    return r


def assert_cleaned_up(tag):
    assert glob.glob("/dev/hugepages/%s*" % tag) == []
    ns = subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE,
                        universal_newlines=True).stdout
    assert tag not in ns
    links = subprocess.run(["ip", "-o", "link"], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout
    assert tag[-6:] not in links
    ps = subprocess.run(["ps", "-eo", "args"], stdout=subprocess.PIPE,
                        universal_newlines=True).stdout
    assert "--file-prefix=%s" % tag not in ps
    assert "file-prefix=%s" % tag not in ps


@needs_machine
def test_testset_end_to_end(tmp_path):
    """Two sizes on testpmd, OVS-DPDK and a Linux bridge: every point gets
    results with traffic, CSV and figures."""
    switches = ["testpmd", "linux-bridge"]
    if os.path.exists(OVS_DPDK):
        switches.insert(1, "ovs-dpdk")
    out = tmp_path / "out"
    tag = "nbt%d" % (os.getpid() % 100000)
    r = run_bench(["testset", "--switches", ",".join(switches),
                   "--sizes", "64,512", "--duration", "1", "--warmup", "0.3",
                   "--out", str(out), "--plot"], tag)
    try:
        assert r.returncode == 0, r.stdout
        doc = json.loads((out / "results.json").read_text())
        assert doc["skipped"] == []
        points = {(x["switch"], x["size"]) for x in doc["results"]}
        assert points == {(s, n) for s in switches for n in (64, 512)}
        for x in doc["results"]:
            assert x["sent"] > 1000, x
            # A real switch path in a 1 s test loses at most a little.
            assert x["received"] > 0.9 * x["sent"], x
            assert x["bad"] == 0
            assert x["rx_mpps"] > 0
            assert abs(x["rx_gbps"] - x["rx_mpps"] * x["size"] * 8 / 1e3) \
                < 1e-6
            d = out / x["dir"]
            logs = list(d.glob("pairs1-pair0-*.log"))
            assert logs, d
            assert (d / "pairs1-result.json").exists()
            if x["switch"] != "linux-bridge":
                lat = x["latency"]
                assert 0 < lat["min_us"] <= lat["p50_us"] <= lat["p99_us"] \
                    <= lat["p999_us"] <= lat["max_us"]
        with open(out / "results.csv") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == len(doc["results"])
        assert {row["switch"] for row in rows} == set(switches)
        pngs = list((out / "plots").glob("*.png"))
        names = {p.name.split("-vs-")[0] for p in pngs}
        assert {"mpps", "gbps", "latency"} <= names
        for p in pngs:
            assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # The summary table is printed.
        assert "Mpps" in r.stdout and "testpmd" in r.stdout
    finally:
        assert_cleaned_up(tag)


@needs_machine
def test_ndr_and_latency_modes(tmp_path):
    """An NDR search (3 trials) and a latency run on testpmd."""
    tag = "nbn%d" % (os.getpid() % 100000)
    out = tmp_path / "ndr"
    r = run_bench(["run", "--switch", "testpmd", "--mode", "ndr",
                   "--duration", "1", "--warmup", "0.2", "--ndr-trials", "3",
                   "--ndr-loss", "1", "--out", str(out)], tag)
    assert r.returncode == 0, r.stdout
    x = json.loads((out / "results.json").read_text())["results"][0]
    assert len(x["ndr_trials"]) >= 1
    assert x["ndr_rate"] > 0
    assert (out / "32" / "testpmd" / "64" / "ndr").is_dir()
    assert_cleaned_up(tag)

    for endpoints, kind in (("client-server", "rtt"), ("gen", "one-way")):
        out = tmp_path / endpoints
        r = run_bench(["run", "--switch", "testpmd", "--mode", "latency",
                       "--latency-endpoints", endpoints, "--rate", "5000",
                       "--burst", "1", "--duration", "1", "--warmup", "0.2",
                       "--out", str(out)], tag)
        assert r.returncode == 0, r.stdout
        x = json.loads((out / "results.json").read_text())["results"][0]
        assert x["latency"]["kind"] == kind
        # 5000 pps for 1 s: paced, not flooded (fewer when the shared
        # machine starves the endpoint), and every received frame measured.
        assert 0 < x["latency"]["samples"] <= 5100
        assert x["latency"]["samples"] == x["received"]
        assert x["received"] == x["sent"] - x["lost"]
        assert (out / "1" / "testpmd" / "64" / "5000-latency").is_dir()
        assert_cleaned_up(tag)


@needs_machine
@pytest.mark.parametrize("forwarding", ["ports", "normal"])
def test_ovs_nfv_backend(tmp_path, forwarding):
    """ovs-nfv is driven exactly like OVS-DPDK, with the same ovs-vsctl
    commands, and forwards the test traffic."""
    if not os.path.exists(OVS_NFV):
        pytest.skip("ovs-nfv's ovs-vswitchd not built")
    tag = "nbo%d" % (os.getpid() % 100000)
    out = tmp_path / "out"
    r = run_bench(["testset", "--switches", "ovs-nfv", "--sizes", "64",
                   "--forwarding", forwarding,
                   "--duration", "1", "--warmup", "0.3", "--init-timeout",
                   "15", "--out", str(out)], tag)
    assert_cleaned_up(tag)
    assert r.returncode == 0, r.stdout
    doc = json.loads((out / "results.json").read_text())
    assert not doc["skipped"], doc["skipped"]
    x = doc["results"][0]
    assert x["sent"] > 1000
    assert x["received"] > 0.9 * x["sent"]


def test_interval_stats():
    s = nb.interval_stats([4.0, 1.0, 3.0, 2.0])
    assert (s["n"], s["min"], s["median"], s["max"]) == (4, 1.0, 2.5, 4.0)
    assert abs(s["stddev"] - 1.118033988749895) < 1e-9
    assert abs(s["cv_pct"] - 44.72135954999579) < 1e-9
    assert not s["steady"]
    assert nb.interval_stats([10.0, 10.1, 9.9])["steady"]
    assert nb.interval_stats([]) == {"n": 0}


@pytest.fixture
def veth_namespaces():
    """Two network namespaces joined by a veth pair: (nsA, nsB, ifA, ifB)."""
    if os.geteuid() != 0:
        pytest.skip("needs root")
    tag = "nbv%d" % (os.getpid() % 100000)
    ns = [tag + "a", tag + "b"]
    ifs = [tag + "x", tag + "y"]
    try:
        for n in ns:
            subprocess.run(["ip", "netns", "add", n], check=True)
        subprocess.run(["ip", "link", "add", ifs[0], "netns", ns[0], "type",
                        "veth", "peer", "name", ifs[1], "netns", ns[1]],
                       check=True)
        for n, i, ip, mac in zip(ns, ifs, ("10.99.0.1", "10.99.0.2"),
                                 ("02:00:00:00:00:01", "02:00:00:00:00:02")):
            ex = ["ip", "netns", "exec", n]
            subprocess.run(ex + ["ip", "link", "set", i, "address", mac],
                           check=True)
            subprocess.run(ex + ["ip", "addr", "add", ip + "/24", "dev", i],
                           check=True)
            subprocess.run(ex + ["ip", "link", "set", i, "up"], check=True)
        yield ns[0], ns[1], ifs[0], ifs[1]
    finally:
        for n in ns:
            subprocess.run(["ip", "netns", "del", n])


def app_in(ns, args, **kw):
    return subprocess.Popen(["ip", "netns", "exec", ns, APP] + args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, **kw)


def final_of(out):
    finals = [json.loads(l) for l in out.splitlines()
              if l.startswith("{") and '"final"' in l]
    assert len(finals) == 1, out
    return finals[0]


@pytest.mark.skipif(not os.path.exists(APP), reason="app not built")
def test_app_raw_sockets_send_recv(veth_namespaces):
    """Raw AF_PACKET send/recv across a veth pair: every paced frame
    arrives, in order, and frames for another MAC are rejected."""
    ns_a, ns_b, if_a, if_b = veth_namespaces
    common = ["--io", "raw", "--json", "--burst", "8", "--flows", "4",
              "--mmsg"]
    recv = app_in(ns_b, ["recv", "--iface", if_b, "--duration", "10",
                         "--idle-exit", "0.5", "--blocking"] + common)
    time.sleep(0.3)
    send = app_in(ns_a, ["send", "--iface", if_a, "--rate", "20000",
                         "--duration", "1", "--warmup", "0.2"] + common)
    s_out, _ = send.communicate(timeout=20)
    r_out, r_err = recv.communicate(timeout=20)
    s, r = final_of(s_out), final_of(r_out)
    # Paced at 20000 pps for 1 s (fewer if the machine starves the sender).
    assert 0 < s["sent"] <= 20100
    # The receiver accounts for every frame: received or seen missing.  A
    # loaded machine may drop a few in the socket buffer.
    assert r["received"] + r["lost"] == s["sent"]
    assert r["received"] >= 0.99 * s["sent"]
    # (The kernel's own IPv6 frames on the link count as "bad".)
    assert r["reordered"] == 0
    assert r["latency"]["kind"] == "one-way"

    # Same again, addressed to a MAC that is not the receiver's.
    recv = app_in(ns_b, ["recv", "--iface", if_b, "--duration", "5",
                         "--idle-exit", "0.5", "--blocking"] + common)
    time.sleep(0.3)
    send = app_in(ns_a, ["send", "--iface", if_a, "--rate", "5000",
                         "--duration", "0.5", "--dst-mac",
                         "02:00:00:00:00:99"] + common)
    s = final_of(send.communicate(timeout=20)[0])
    r = final_of(recv.communicate(timeout=20)[0])
    assert s["sent"] > 100
    assert r["received"] == 0
    assert r["bad"] >= s["sent"]


@pytest.mark.skipif(not os.path.exists(APP), reason="app not built")
def test_app_udp_client_server(veth_namespaces):
    """UDP client and echo server: every request comes back and the round
    trip is measured."""
    ns_a, ns_b, _, _ = veth_namespaces
    common = ["--io", "udp", "--json", "--burst", "1"]
    server = app_in(ns_b, ["server", "--local", "10.99.0.2:2048", "--remote",
                           "10.99.0.1:1024", "--blocking", "--duration", "10",
                           "--idle-exit", "0.5"] + common)
    time.sleep(0.3)
    client = app_in(ns_a, ["client", "--local", "10.99.0.1:1024",
                           "--remote", "10.99.0.2:2048", "--rate", "2000",
                           "--duration", "1"] + common)
    c = final_of(client.communicate(timeout=20)[0])
    srv = final_of(server.communicate(timeout=20)[0])
    assert 200 <= c["sent"] <= 2100
    assert c["received"] == c["sent"] == srv["echoed"]
    lat = c["latency"]
    assert lat["kind"] == "rtt" and lat["samples"] == c["received"]
    assert 0 < lat["min_us"] <= lat["p50_us"] <= lat["max_us"]


def test_app_rejects_bad_options():
    if not os.path.exists(APP):
        pytest.skip("app not built")
    for args in (["nosuchrole"], ["gen", "--size", "63"],
                 ["gen", "--burst", "0"], ["send", "--rate", "-5"],
                 ["gen", "--src-mac", "zz"]):
        r = subprocess.run([APP] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        assert r.returncode == 2, args
        assert r.stderr


@needs_machine
def test_linux_bridge_raw_sockets(tmp_path):
    """The Linux bridge with raw AF_PACKET endpoints instead of UDP."""
    tag = "nbr%d" % (os.getpid() % 100000)
    out = tmp_path / "out"
    r = run_bench(["run", "--switch", "linux-bridge", "--socket-io", "raw",
                   "--rate", "20000", "--duration", "1", "--warmup", "0.3",
                   "--out", str(out)], tag)
    try:
        assert r.returncode == 0, r.stdout
        x = json.loads((out / "results.json").read_text())["results"][0]
        assert x["socket_io"] == "raw"
        assert 1000 <= x["sent"] <= 20100
        assert x["received"] >= 0.99 * x["sent"]
        assert list((out / x["dir"]).glob("pairs1-pair0-send.log"))
        assert list((out / x["dir"]).glob("pairs1-pair0-recv.log"))
    finally:
        assert_cleaned_up(tag)


def test_parse_pmd_stats():
    text = """pmd thread numa_id 0 core_id 1:
  packets received: 1000
  avg. datapath passes per packet: 1.00
  idle cycles: 3000 (30.00%)
  processing cycles: 7000 (70.00%)
  avg cycles per packet: 10.00 (10000/1000)
main thread:
  packets received: 5
  idle cycles: 100 (50.00%)
  processing cycles: 100 (50.00%)
"""
    s = nb.parse_pmd_stats(text)
    assert s["packets"] == 1000
    assert s["pmd_idle_pct"] == 30.0
    assert s["cycles_per_packet"] == 7.0


def test_markdown_table():
    r = {"switch": "testpmd", "mode": "throughput", "size": 64, "burst": 32,
         "pairs": 1, "rate": 0, "sent": 100, "received": 99, "loss_pct": 1.0,
         "rx_mpps": 1.5, "rx_gbps": 0.768,
         "rx_mpps_per_second": {"n": 2, "min": 1.0, "median": 1.5,
                                "max": 2.0},
         "latency": {"kind": "one-way", "p50_us": 10.0, "p99_us": 20.0,
                     "p999_us": 30.0, "max_us": 40.0}}
    lines = nb.markdown_table([r]).splitlines()
    assert len(lines) == 3
    assert lines[2].split(" | ")[1:8] == ["throughput", "64", "32", "1",
                                          "max", "100", "99"]
    assert "1.00-1.50-2.00" in lines[2]
    assert "one-way: 10.0 / 20.0 / 30.0 / 40.0" in lines[2]
