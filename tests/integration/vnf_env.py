"""Helpers for the VNF guest tests: the guest image, nfv-vm, and a
dpdk-testpmd process that plays the switch (net_vhost ports) and the
traffic endpoints (net_pcap ports)."""

import glob
import os
import re
import shutil
import signal
import subprocess
import threading
import time

SRCDIR = os.environ.get("OVSNFV_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
NFV_VM = os.path.join(SRCDIR, "utilities", "nfv-vm")
BUILD = os.path.join(SRCDIR, "vnf-images", "build")
PYTHON = "/usr/bin/python3"


def missing_tools():
    """What this machine lacks for the VNF tests ('' when nothing)."""
    need = ["/usr/bin/qemu-system-x86_64", "/usr/bin/dpdk-testpmd",
            "/bin/busybox", "/usr/sbin/nft", "/usr/sbin/depmod"]
    lacking = [p for p in need if not os.path.exists(p)]
    if lacking:
        return "missing " + ", ".join(lacking)
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"HugePages_Free:\s+(\d+)", f.read())
        if not m or int(m.group(1)) < 64:
            return "fewer than 64 free hugepages"
    except OSError:
        return "no /proc/meminfo"
    if os.geteuid() != 0:
        return "needs root (hugepages, vhost-user, QEMU)"
    return ""


_image_dir = None


def build_image():
    """Build (or reuse from the cache) the guest image; its directory."""
    global _image_dir
    if _image_dir:
        return _image_dir
    r = subprocess.run([PYTHON, BUILD, "-q"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=600)
    if r.returncode != 0:
        raise RuntimeError("vnf-images/build failed: %s" % r.stderr)
    _image_dir = r.stdout.strip().splitlines()[-1]
    return _image_dir


class NfvVm:
    """nfv-vm with a private run directory."""

    def __init__(self, rundir, image, env=None):
        self.rundir = rundir
        self.image = image
        self.started = []
        self.env = dict(os.environ)
        self.env.update(env or {})

    def run(self, *words, check=True, timeout=300):
        r = subprocess.run([PYTHON, NFV_VM, "--rundir", self.rundir]
                           + list(words), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=timeout, env=self.env)
        if check and r.returncode != 0:
            raise RuntimeError("nfv-vm %s failed: %s%s"
                               % (" ".join(words), r.stdout, r.stderr))
        return r

    def start(self, name, vnf, nics, *extra, accel="tcg"):
        words = ["start", name, "--image", self.image, "--vnf", vnf,
                 "--accel", accel, "--cpus", "0", "--wait", "90"]
        for n in nics:
            words += ["--nic", n]
        self.started.append(name)
        return self.run(*(words + list(extra)))

    def console(self, name):
        path = os.path.join(self.rundir, name + ".console")
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def wait_console(self, name, pattern, timeout=30, start=0):
        """Wait for PATTERN (regex) in the console after offset START."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.console(name)[start:])
            if m:
                return m
            time.sleep(0.2)
        raise AssertionError("no %r on %s's console within %d s:\n%s"
                             % (pattern, name, timeout,
                                self.console(name)[-3000:]))

    def stop(self, name):
        return self.run("stop", "--keep-console", name, check=False)

    def stop_all(self):
        for name in list(self.started):
            self.run("stop", name, check=False)
        self.started = []


STATS_RE = re.compile(
    r"NIC statistics for port (\d+).*?RX-packets:\s*(\d+)\s+RX-missed:\s*(\d+)"
    r"\s+RX-bytes:\s*(\d+).*?RX-errors:\s*(\d+).*?TX-packets:\s*(\d+)"
    r"\s+TX-errors:\s*(\d+)\s+TX-bytes:\s*(\d+)", re.S)


class Testpmd:
    """An interactive dpdk-testpmd driven through its stdin."""

    def __init__(self, workdir, name, vdevs, lcores="0@0,1@1",
                 extra_eal=(), extra_app=()):
        self.workdir = workdir
        self.name = name
        self.log_path = os.path.join(workdir, name + ".testpmd.log")
        # Unbuffered: testpmd prints with stdio but writes its prompt
        # directly, so a pipe would reorder output and prompts.
        cmd = ["stdbuf", "-o0", "-e0",
               "/usr/bin/dpdk-testpmd", "--lcores", lcores, "--no-pci",
               "--in-memory", "-m", "256", "--single-file-segments",
               "--log-level", "pmd.net.vhost:info"]
        for v in vdevs:
            cmd += ["--vdev", v]
        cmd += list(extra_eal)
        cmd += ["--", "-i", "--total-num-mbufs=8192", "--no-lsc-interrupt",
                "--forward-mode=io", "--no-flush-rx",
                "--disable-link-check"] + list(extra_app)
        self.cmdline = cmd
        self.out = []
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, cwd=workdir, start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.wait_output(r"testpmd> ", timeout=30)

    def _read(self):
        with open(self.log_path, "wb") as log:
            while True:
                data = self.proc.stdout.read1(65536)
                if not data:
                    break
                log.write(data)
                log.flush()
                with self.lock:
                    self.out.append(data.decode("utf-8", "replace"))

    def text(self):
        with self.lock:
            return "".join(self.out)

    def wait_output(self, pattern, timeout=20, start=0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.text()[start:])
            if m:
                return m
            if self.proc.poll() is not None:
                raise AssertionError("testpmd exited:\n" + self.text()[-3000:])
            time.sleep(0.05)
        raise AssertionError("testpmd: no %r within %d s:\n%s"
                             % (pattern, timeout, self.text()[-3000:]))

    def cmd(self, line, timeout=20):
        """Run one command; its output (up to the next prompt)."""
        start = len(self.text())
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        self.wait_output(r"testpmd> ", timeout=timeout, start=start)
        return self.text()[start:]

    def port_stats(self):
        """{port: {rx, rx_missed, rx_bytes, tx, tx_bytes}}."""
        out = self.cmd("show port stats all")
        stats = {}
        for m in STATS_RE.finditer(out):
            stats[int(m.group(1))] = {
                "rx": int(m.group(2)), "rx_missed": int(m.group(3)),
                "rx_bytes": int(m.group(4)), "tx": int(m.group(6)),
                "tx_bytes": int(m.group(8))}
        return stats

    def link_up(self, port):
        out = self.cmd("show port info %d" % port)
        return re.search(r"Link status:\s*up", out) is not None

    def wait_link(self, ports, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(self.link_up(p) for p in ports):
                return
            time.sleep(0.5)
        raise AssertionError("vhost ports %s not up within %d s" %
                             (ports, timeout))

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b"quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.reader.join(timeout=5)


def wait_for(predicate, timeout, interval=0.25):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    return predicate()


def guest_counters(console_text, nic):
    """The last NFV-COUNTERS line for NIC on a console, as a dict."""
    last = None
    for m in re.finditer(r"NFV-COUNTERS %s (.*)" % nic, console_text):
        last = m.group(1)
    if last is None:
        return None
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", last)}


class Rig:
    """One VNF guest between a testpmd 'switch' and two pcap endpoints.

    testpmd ports: 0 = net_pcap (in.pcap -> guest side A, back.pcap gets
    what the guest sends out of A), 1 = net_vhost to guest NIC A (eth0),
    2 = net_vhost to guest NIC B (eth1), 3 = net_pcap (out.pcap gets what
    the guest sends out of B).  io forwarding pairs 0<->1 and 2<->3, so
    testpmd is the switch that wires the endpoints to the guest's NICs.
    """

    def __init__(self, workdir, name, vnf, image, vm_args=(), nic_opts=("", ""),
                 accel="tcg", env=None):
        from scapy.all import wrpcap
        self.workdir = workdir
        self.name = name
        os.makedirs(workdir, exist_ok=True)
        self.socks = [os.path.join(workdir, "%s-%d.sock" % (name, i))
                      for i in range(2)]
        self.in_pcap = os.path.join(workdir, "in.pcap")
        self.out_pcap = os.path.join(workdir, "out.pcap")
        self.back_pcap = os.path.join(workdir, "back.pcap")
        wrpcap(self.in_pcap, [])
        empty = os.path.join(workdir, "empty.pcap")
        wrpcap(empty, [])
        self.vm = NfvVm(os.path.join(workdir, "run"), image, env=env)
        self.sw = Testpmd(workdir, name, [
            "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (self.in_pcap, self.back_pcap),
            "net_vhost0,iface=%s,client=1,queues=1" % self.socks[0],
            "net_vhost1,iface=%s,client=1,queues=1" % self.socks[1],
            "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (empty, self.out_pcap)])
        self.vnf = vnf
        self.vm_args = list(vm_args)
        self.nic_opts = nic_opts
        self.accel = accel
        self.start_result = None

    def boot(self):
        t0 = time.time()
        self.start_result = self.vm.start(
            self.name, self.vnf,
            [s + o for s, o in zip(self.socks, self.nic_opts)],
            *self.vm_args, accel=self.accel)
        self.boot_seconds = time.time() - t0
        self.sw.wait_link([1, 2])

    def send(self, packets, settle=2.0, timeout=30, expect_b=0):
        """Play PACKETS into guest NIC A; (out, back) packets received."""
        from scapy.all import rdpcap, wrpcap
        wrpcap(self.in_pcap, packets)
        for p in (0, 3):
            self.sw.cmd("port stop %d" % p)
        for p in (0, 3):
            self.sw.cmd("port start %d" % p)
        before = self.sw.port_stats()
        self.sw.cmd("start")
        # Wait until the guest has stopped sending (counters stable).
        last, stable_since = None, time.time()
        deadline = time.time() + timeout
        while time.time() < deadline:
            st = self.sw.port_stats()
            cur = (st[0]["rx"], st[2]["rx"], st[1]["rx"], st[3]["rx"])
            if cur != last:
                last, stable_since = cur, time.time()
            elif (st[0]["rx"] - before[0]["rx"] >= len(packets)
                  and st[3]["rx"] - before[3]["rx"] >= expect_b
                  and time.time() - stable_since >= settle):
                break
            time.sleep(0.3)
        self.sw.cmd("stop")
        after = self.sw.port_stats()
        for p in (0, 3):
            self.sw.cmd("port stop %d" % p)      # flushes the pcap writers
        out = list(rdpcap(self.out_pcap))
        back = list(rdpcap(self.back_pcap))
        for p in (0, 3):
            self.sw.cmd("port start %d" % p)
        delta = {p: {k: after[p][k] - before[p][k] for k in after[p]}
                 for p in after}
        return out, back, delta

    def send_from_b(self, packets, settle=2.0, timeout=30):
        """Play PACKETS into guest NIC B (through port 3); what came out of
        NIC A (back.pcap)."""
        from scapy.all import rdpcap, wrpcap
        empty = os.path.join(self.workdir, "empty.pcap")
        wrpcap(empty, packets)
        try:
            out, back, delta = self.send([], settle=settle, timeout=timeout,
                                         expect_b=len(packets))
        finally:
            wrpcap(empty, [])
        return back

    def close(self):
        try:
            self.vm.stop_all()
        finally:
            self.sw.close()
