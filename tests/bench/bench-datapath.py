#!/usr/bin/python3
"""Datapath benchmark: ovs-nfv against Debian's OVS-DPDK on the same
traffic in the same run.  Not a timed test: it prints figures.

  (a) net_pcap (infinite_rx=1, a pcap of 1,000 UDP flows, 60-byte frames
      plus FCS = 64 on the wire) -> bridge -> net_null (no-rx), once with
      a port-to-port rule (in_port=1,actions=output:2) and once NORMAL
      (the destination MAC known on the net_null port, via fdb/add);
  (b) vhost-user loop: dpdk-testpmd with two virtio-user ports (io
      forwarding, --tx-first) on CPU 0, the switch forwarding port 1 <->
      port 2 on its PMD on CPU 1.

Each switch runs with one PMD on CPU 1 and its main thread on CPU 0.
Mpps and cycles per packet come from each switch's own
`ovs-appctl dpif-netdev/pmd-stats-show` (same labels in both) after
pmd-stats-clear and a fixed measurement window.  Machines shared with
other work give noisy numbers: compare within a run, not across runs.

ovs-nfv runs as tests/dpif-driver until the daemon's bridge layer is
wired (then: --nfv-daemon).  Usage:
  tests/bench/bench-datapath.py [--seconds N] [--only nfv|ovs]
                                [--tests pcap-p2p,pcap-normal,vhost]
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from dpdriver import (DriverEnv, remove_hugepage_files,  # noqa: E402
                      wait_for, TESTPMD)

OVS_DPDK = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
DST_MAC = "02:00:00:00:00:02"
SRC_MAC = "02:00:00:00:00:01"


def make_pcap(path, flows=1000):
    from scapy.all import Ether, IP, UDP, Raw, wrpcap
    frames = []
    for i in range(flows):
        pkt = Ether(src=SRC_MAC, dst=DST_MAC) / \
            IP(src="10.0.%d.%d" % (i // 250, i % 250 + 1), dst="10.1.0.1") / \
            UDP(sport=1024 + i, dport=4789)
        pkt = pkt / Raw(b"\0" * (60 - len(pkt)))
        frames.append(pkt)
    wrpcap(path, frames)


def parse_pmd_stats(text, core=1):
    block = None
    for part in re.split(r"^(?=pmd thread|main thread)", text, flags=re.M):
        if part.startswith("pmd thread numa_id") and \
                re.match(r"pmd thread numa_id \d+ core_id %d:" % core, part):
            block = part
    if block is None:
        return None
    vals = {}
    for m in re.finditer(r"^\s+([^:]+):\s+([\d.]+)", block, re.M):
        vals[m.group(1)] = float(m.group(2))
    return vals


class Result:
    def __init__(self, name, mpps, cycles, busy_pct):
        self.name, self.mpps, self.cycles, self.busy = name, mpps, cycles, \
            busy_pct


def measure(appctl, seconds, warmup=2.0):
    time.sleep(warmup)
    appctl("dpif-netdev/pmd-stats-clear")
    t0 = time.time()
    time.sleep(seconds)
    text = appctl("dpif-netdev/pmd-stats-show")
    dt = time.time() - t0
    v = parse_pmd_stats(text)
    if not v or not v.get("packets received"):
        return None, text
    pkts = v["packets received"]
    busy = v.get("processing cycles", 0)
    idle = v.get("idle cycles", 0)
    return (pkts / dt / 1e6,
            v.get("avg processing cycles per packet", 0.0),
            100.0 * busy / (busy + idle) if busy + idle else 0.0), text


# ---- ovs-nfv (dpif-driver) ----

def nfv_pcap(pcap, seconds, normal):
    env = DriverEnv("bench-nfv")
    try:
        a = env.appctl
        a("driver/add-br", "br0")
        a("driver/add-port", "br0", "p2", "dpdk", "2",
          "dpdk-devargs=net_null_b%s,no-rx=1" % uuid.uuid4().hex[:6])
        if normal:
            a("fdb/add", "br0", "p2", "0", DST_MAC)
        else:
            a("driver/set-fwd", "br0", "1", "2")
        a("driver/add-port", "br0", "p1", "dpdk", "1",
          "dpdk-devargs=net_pcap_b%s,rx_pcap=%s,infinite_rx=1"
          % (uuid.uuid4().hex[:6], pcap))
        res, text = measure(a, seconds)
        return res
    finally:
        env.cleanup()


def testpmd_loop(dirname, socks, server):
    prefix = "bt%s" % uuid.uuid4().hex[:8]
    argv = [TESTPMD, "--lcores", "0@0,1@0", "--no-pci",
            "--single-file-segments", "--file-prefix=" + prefix, "-m", "256"]
    for i, s in enumerate(socks):
        vdev = "virtio_user%d,path=%s,queues=1" % (i, s)
        if server:
            vdev += ",server=1"
        argv.append("--vdev=" + vdev)
    argv += ["--", "--forward-mode=io", "--tx-first", "--stats-period=1",
             "--rxq=1", "--txq=1"]
    out = open(os.path.join(dirname, prefix + ".out"), "w")
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    return proc, out, prefix


def stop_testpmd(t):
    proc, out, prefix = t
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    out.close()
    remove_hugepage_files(prefix)


def nfv_vhost(seconds):
    env = DriverEnv("bench-nfv-vhost")
    tp = None
    try:
        a = env.appctl
        a("driver/add-br", "br0")
        a("driver/add-port", "br0", "v1", "dpdkvhostuser", "1")
        a("driver/add-port", "br0", "v2", "dpdkvhostuser", "2")
        a("driver/set-fwd", "br0", "1", "2")
        a("driver/set-fwd", "br0", "2", "1")
        tp = testpmd_loop(env.dir, [os.path.join(env.dir, "v1"),
                                    os.path.join(env.dir, "v2")], False)
        wait_for(lambda: env.port("v1")["link_state"] == "up" and
                 env.port("v2")["link_state"] == "up", 30, what="vhost up")
        res, text = measure(a, seconds)
        return res
    finally:
        if tp:
            stop_testpmd(tp)
        env.cleanup()


# ---- OVS-DPDK ----

class OvsDpdk:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="bench-ovs-")
        self.env = dict(os.environ, OVS_RUNDIR=self.dir, OVS_DBDIR=self.dir,
                        OVS_LOGDIR=self.dir)
        self.db = "unix:%s/db.sock" % self.dir
        self.run(["ovsdb-tool", "create", self.dir + "/conf.db", SCHEMA])
        self.run(["ovsdb-server", "--remote=punix:%s/db.sock" % self.dir,
                  "--pidfile=%s/ovsdb-server.pid" % self.dir, "--detach",
                  "--log-file=%s/ovsdb.log" % self.dir,
                  self.dir + "/conf.db"])
        self.vsctl("--no-wait", "init")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".",
                   "other_config:dpdk-init=true",
                   "other_config:dpdk-lcore-mask=0x1",
                   "other_config:pmd-cpu-mask=0x2",
                   "other_config:dpdk-socket-mem=256",
                   "other_config:dpdk-extra=--single-file-segments --no-pci")
        self.run(["taskset", "-c", "0", OVS_DPDK, self.db,
                  "--pidfile=%s/ovs-vswitchd.pid" % self.dir, "--detach",
                  "--log-file=%s/ovs-vswitchd.log" % self.dir,
                  "--unixctl=%s/vswitchd.ctl" % self.dir])
        self.vsctl("add-br", "br0", "--", "set", "bridge", "br0",
                   "datapath_type=netdev")
        wait_for(lambda: os.path.exists("%s/br0.mgmt" % self.dir), 30,
                 what="OVS bridge management socket")

    def run(self, argv, check=True):
        p = subprocess.run(argv, env=self.env, capture_output=True,
                           text=True, timeout=120)
        if check and p.returncode:
            raise RuntimeError("%s: %s" % (" ".join(argv), p.stderr))
        return p.stdout

    def vsctl(self, *args):
        return self.run(["ovs-vsctl", "--db=" + self.db] + list(args))

    def ofctl(self, *args):
        return self.run(["ovs-ofctl"] + list(args[:1]) +
                        ["unix:%s/br0.mgmt" % self.dir] + list(args[1:]))

    def appctl(self, *args):
        return self.run(["ovs-appctl", "-t", "%s/vswitchd.ctl" % self.dir] +
                        list(args))

    def cleanup(self):
        for name in ("ovs-vswitchd", "ovsdb-server"):
            try:
                with open("%s/%s.pid" % (self.dir, name)) as f:
                    pid = int(f.read())
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.1)
            except (OSError, ValueError):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def ovs_pcap(pcap, seconds, normal):
    o = OvsDpdk()
    try:
        o.vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2",
                "type=dpdk", "ofport_request=2",
                "options:dpdk-devargs=net_null_o%s,no-rx=1"
                % uuid.uuid4().hex[:6])
        if normal:
            o.appctl("fdb/add", "br0", "p2", "0", DST_MAC)
        else:
            o.ofctl("del-flows")
            o.ofctl("add-flow", "in_port=1,actions=output:2")
        o.vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1",
                "type=dpdk", "ofport_request=1",
                "options:dpdk-devargs=net_pcap_o%s,rx_pcap=%s,infinite_rx=1"
                % (uuid.uuid4().hex[:6], pcap))
        res, text = measure(o.appctl, seconds, warmup=3.0)
        return res
    finally:
        o.cleanup()


def ovs_vhost(seconds):
    o = OvsDpdk()
    tp = None
    try:
        for i in (1, 2):
            o.vsctl("add-port", "br0", "v%d" % i, "--", "set", "Interface",
                    "v%d" % i, "type=dpdkvhostuser", "ofport_request=%d" % i)
        o.ofctl("del-flows")
        o.ofctl("add-flow", "in_port=1,actions=output:2")
        o.ofctl("add-flow", "in_port=2,actions=output:1")
        tp = testpmd_loop(o.dir, [os.path.join(o.dir, "v1"),
                                  os.path.join(o.dir, "v2")], False)
        res, text = measure(o.appctl, seconds, warmup=4.0)
        return res
    finally:
        if tp:
            stop_testpmd(tp)
        o.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--only", choices=["nfv", "ovs"])
    ap.add_argument("--tests", default="pcap-p2p,pcap-normal,vhost")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench-datapath-")
    pcap = os.path.join(work, "udp1000.pcap")
    make_pcap(pcap)
    tests = args.tests.split(",")
    runs = {
        "pcap-p2p": (lambda: nfv_pcap(pcap, args.seconds, False),
                     lambda: ovs_pcap(pcap, args.seconds, False)),
        "pcap-normal": (lambda: nfv_pcap(pcap, args.seconds, True),
                        lambda: ovs_pcap(pcap, args.seconds, True)),
        "vhost": (lambda: nfv_vhost(args.seconds),
                  lambda: ovs_vhost(args.seconds)),
    }
    rows = []
    for t in tests:
        nfv = runs[t][0]() if args.only != "ovs" else None
        ovs = runs[t][1]() \
            if args.only != "nfv" and os.path.exists(OVS_DPDK) else None
        rows.append((t, nfv, ovs))
    shutil.rmtree(work, ignore_errors=True)

    def fmt(r):
        if not r:
            return "%8s %8s %6s" % ("-", "-", "-")
        return "%8.2f %8.1f %5.0f%%" % (r[0], r[1], r[2])
    print("%-12s %-24s %-24s %s" % ("", "ovs-nfv", "OVS-DPDK 3.1",
                                    "Mpps ratio"))
    print("%-12s %8s %8s %6s %8s %8s %6s" % (
        "test", "Mpps", "cyc/pkt", "busy", "Mpps", "cyc/pkt", "busy"))
    for t, nfv, ovs in rows:
        ratio = "%.2f" % (nfv[0] / ovs[0]) if nfv and ovs and ovs[0] else "-"
        print("%-12s %s %s   %s" % (t, fmt(nfv), fmt(ovs), ratio))
    print("(cyc/pkt: avg processing cycles per packet from pmd-stats-show; "
          "busy: processing share of PMD cycles; %gs windows)"
          % args.seconds)


if __name__ == "__main__":
    main()
