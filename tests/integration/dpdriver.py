"""Helpers for the datapath integration tests: run tests/dpif-driver and
dpdk-testpmd virtio-user peers in a private directory, and clean up every
process, socket and hugepage file afterwards."""

import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

BUILDDIR = os.environ.get(
    "OVSNFV_BUILDDIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
DRIVER = os.path.join(BUILDDIR, "tests", "dpif-driver")
TESTPMD = shutil.which("dpdk-testpmd") or "/usr/bin/dpdk-testpmd"


def wait_for(predicate, timeout=10.0, interval=0.05, what="condition"):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(interval)


def remove_hugepage_files(prefix):
    for path in glob.glob("/dev/hugepages/%s*" % prefix):
        try:
            os.unlink(path)
        except OSError:
            pass


class AppctlError(Exception):
    pass


class VirtioPeer:
    """A dpdk-testpmd virtio-user endpoint on CPU 0, driven through its
    interactive prompt so forwarding can stop while the port stays up
    (then every packet it counted has been through the vring)."""

    def __init__(self, env, path, mode, server=False, queues=1, start=True):
        self.prefix = "tp%s" % uuid.uuid4().hex[:8]
        vdev = "virtio_user0,path=%s,queues=%d" % (path, queues)
        if server:
            vdev += ",server=1"
        # stdbuf: testpmd's statistics go through stdio, which would
        # otherwise sit in a buffer while we wait for them.
        argv = ["stdbuf", "-o0", TESTPMD, "--lcores", "0@0,1@0",
                "--no-pci", "--single-file-segments",
                "--file-prefix=" + self.prefix,
                "-m", "128", "--vdev=" + vdev, "--", "-i",
                "--forward-mode=" + mode, "--rxq=%d" % queues,
                "--txq=%d" % queues]
        self.out_path = os.path.join(env.dir, self.prefix + ".out")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True, text=True)
        env.testpmds.append(self)
        wait_for(lambda: "testpmd>" in self.output() or
                 self.proc.poll() is not None, 30, what="testpmd prompt")
        if self.proc.poll() is not None:
            raise AssertionError("testpmd died:\n" + self.output())
        if start:
            self.command("start")

    def output(self):
        with open(self.out_path) as f:
            return f.read()

    def command(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()

    def stop_forwarding(self):
        """Stops forwarding; returns (rx_packets, tx_packets) from the
        accumulated statistics testpmd prints."""
        marker = "Accumulated forward statistics for all ports"
        n = self.output().count(marker)
        self.command("stop")
        wait_for(lambda: self.output().count(marker) > n, 20,
                 what="testpmd stats")
        wait_for(lambda: "+++++\n" in self.output().split(marker)[-1], 5,
                 what="testpmd stats block")
        block = self.output().split(marker)[-1]
        m_rx = re.search(r"RX-packets:\s+(\d+)", block)
        m_tx = re.search(r"TX-packets:\s+(\d+)", block)
        return int(m_rx.group(1)), int(m_tx.group(1))

    def stop(self):
        """Quits testpmd and removes its hugepage files."""
        if self.proc.poll() is None:
            try:
                self.command("quit")
                self.proc.wait(timeout=20)
            except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
                self.proc.kill()
                self.proc.wait()
        self.kill()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.out.closed:
            self.out.close()
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        remove_hugepage_files(self.prefix)


class DriverEnv:
    """A private directory with a running dpif-driver."""

    def __init__(self, name, other_config=None, dpdk=True):
        self.dir = tempfile.mkdtemp(prefix="dp-%s-" % name[:16])
        self.ctl = os.path.join(self.dir, "driver.ctl")
        self.log_path = os.path.join(self.dir, "driver.log")
        self.prefix = "dp%s" % uuid.uuid4().hex[:8]
        self.testpmds = []
        self.env = dict(os.environ, OVS_RUNDIR=self.dir, OVS_LOGDIR=self.dir,
                        OVS_DBDIR=self.dir)
        cfg = {}
        if dpdk:
            cfg.update({
                "dpdk-init": "true",
                "dpdk-lcore-mask": "0x1",
                "dpdk-extra": "--no-pci --in-memory -m 256 "
                              "--file-prefix=%s" % self.prefix,
                "pmd-cpu-mask": "0x2",
            })
        cfg.update(other_config or {})
        argv = [DRIVER, "--unixctl=" + self.ctl,
                "--log-file=" + self.log_path]
        argv += ["--other-config=%s=%s" % kv for kv in cfg.items()]
        self.stdout = open(os.path.join(self.dir, "driver.out"), "w")
        self.proc = subprocess.Popen(argv, env=self.env, stdout=self.stdout,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_for(lambda: os.path.exists(self.ctl) or
                 self.proc.poll() is not None, 30, what="driver socket")
        if self.proc.poll() is not None:
            raise AssertionError("driver died:\n" + self.log())
        # The socket file appears at bind(), before listen(): wait until
        # the server answers.
        wait_for(lambda: self.appctl_result("version")[0] == 0 or
                 self.proc.poll() is not None, 30, what="driver answers")
        if self.proc.poll() is not None:
            raise AssertionError("driver died:\n" + self.log())

    def appctl(self, *args, check=True):
        p = subprocess.run(["ovs-appctl", "-t", self.ctl] + list(args),
                           env=self.env, capture_output=True, text=True,
                           timeout=60)
        if check and p.returncode:
            raise AppctlError(p.stderr.strip() or p.stdout.strip())
        return p.stdout if not check else p.stdout

    def appctl_result(self, *args):
        p = subprocess.run(["ovs-appctl", "-t", self.ctl] + list(args),
                           env=self.env, capture_output=True, text=True,
                           timeout=60)
        return p.returncode, p.stdout, p.stderr

    def port(self, name):
        """driver/port-show as a dict."""
        out = self.appctl("driver/port-show", name)
        d = {}
        for line in out.splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                d[k] = v
        return d

    def stat(self, name, key):
        return int(self.port(name)["statistics:" + key])

    def pmd_stats(self, core=None):
        """pmd-stats-show parsed into {core: {label: value}}."""
        args = ["dpif-netdev/pmd-stats-show"]
        if core is not None:
            args += ["-pmd", str(core)]
        out = self.appctl(*args)
        result, cur = {}, None
        for line in out.splitlines():
            m = re.match(r"pmd thread numa_id (\d+) core_id (\d+):", line)
            if m:
                cur = result.setdefault(int(m.group(2)), {})
                continue
            if line.startswith("main thread:"):
                cur = result.setdefault("main", {})
                continue
            m = re.match(r"\s+([^:]+):\s+([\d.]+)", line)
            if m and cur is not None:
                cur[m.group(1)] = float(m.group(2))
        return result

    def rxq_assignment(self):
        """pmd-rxq-show parsed into {core: [(port, queue), ...]} plus
        {core: isolated}."""
        out = self.appctl("dpif-netdev/pmd-rxq-show")
        assign, isolated, cur = {}, {}, None
        for line in out.splitlines():
            m = re.match(r"pmd thread numa_id \d+ core_id (\d+):", line)
            if m:
                cur = int(m.group(1))
                assign[cur] = []
                continue
            m = re.match(r"\s+isolated : (\w+)", line)
            if m:
                isolated[cur] = m.group(1) == "true"
                continue
            m = re.match(r"\s+port: (\S+)\s+queue-id:\s+(\d+)", line)
            if m:
                assign[cur].append((m.group(1), int(m.group(2))))
        return assign, isolated

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        for tp in self.testpmds:
            tp.kill()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stdout.close()
        remove_hugepage_files(self.prefix)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
