"""Private sandboxes for integration tests.

A Sandbox owns one temporary directory that serves as OVS_RUNDIR, OVS_DBDIR
and OVS_LOGDIR, runs a fresh Debian ovsdb-server with the standard
Open_vSwitch schema in it, and can start either ovs-nfv's ovs-vswitchd or
Debian's OVS-DPDK daemon against that database (start_dpdk_vswitchd() for
the DPDK datapath).  Every process it starts is recorded and killed on
cleanup, together with the hugepage files of every DPDK file prefix it
handed out, even when the test failed.

Also here, for the tests that need them:
  - VirtioPeer: a dpdk-testpmd virtio-user endpoint (a "guest") on CPU 0,
    with its own --file-prefix, cleaned up with its sandbox;
  - udp_frames() and write_pcap(): scapy frames and pcap files for net_pcap
    ports;
  - parsers of the switch's ovs-appctl output (dpctl/show -s,
    dpif-netdev/pmd-stats-show, dpif-netdev/pmd-rxq-show);
  - OvsdbServer: an ovsdb-server on unix, TCP and TLS remotes that can be
    stopped and restarted on the same addresses, and make_pki() for its
    certificates (the OVSDB client tests).
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

SRCDIR = os.environ.get("OVSNFV_SRCDIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                     "..", "..")))
BUILDDIR = os.environ.get("OVSNFV_BUILDDIR", SRCDIR)
OVSNFV_VSWITCHD = os.path.join(BUILDDIR, "vswitchd", "ovs-vswitchd")
OVSDPDK_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
HUGEPAGE_DIR = "/dev/hugepages"
TESTPMD = shutil.which("dpdk-testpmd") or "/usr/bin/dpdk-testpmd"


class CommandError(Exception):
    def __init__(self, argv, proc):
        self.argv = argv
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        super().__init__("%s exited %d: %s%s" % (" ".join(argv),
                                                 proc.returncode,
                                                 proc.stdout, proc.stderr))


def wait_for(predicate, timeout=10.0, interval=0.05, what="condition"):
    """Polls 'predicate' until it returns a true value; returns that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("timed out after %.1f s waiting for %s"
                               % (timeout, what))
        time.sleep(interval)


def free_hugepages_mb():
    """Free 2 MB hugepages in MB (0 if none are reserved)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("HugePages_Free:"):
                    return int(line.split()[1]) * 2
    except OSError:
        pass
    return 0


def remove_hugepage_files(prefix):
    """Removes hugepage files left by DPDK processes using 'prefix'."""
    try:
        names = os.listdir(HUGEPAGE_DIR)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix):
            try:
                os.unlink(os.path.join(HUGEPAGE_DIR, name))
            except OSError:
                pass


class Sandbox:
    """One private OVS run/db/log directory with its own ovsdb-server."""

    def __init__(self, name="sandbox"):
        self.dir = tempfile.mkdtemp(prefix="ovsnfv-%s-" % name)
        self.env = dict(os.environ, OVS_RUNDIR=self.dir, OVS_DBDIR=self.dir,
                        OVS_LOGDIR=self.dir, OVS_SYSCONFDIR=self.dir)
        self.db_sock = os.path.join(self.dir, "db.sock")
        self.remote = "unix:" + self.db_sock
        self.procs = []             # (name, Popen or pid)
        self.testpmds = []          # VirtioPeer
        self.file_prefixes = []
        self.daemon = None          # "ovs-nfv" or "ovs-dpdk"

    # Processes.

    def spawn(self, name, argv, **kwargs):
        """Starts a process that the sandbox will kill on cleanup."""
        kwargs.setdefault("env", self.env)
        kwargs.setdefault("stdout", open(os.path.join(self.dir, name + ".out"),
                                         "w"))
        kwargs.setdefault("stderr", subprocess.STDOUT)
        proc = subprocess.Popen(argv, **kwargs)
        self.procs.append((name, proc))
        return proc

    def track_pidfile(self, name, pidfile):
        """Records the pid in 'pidfile' (a daemon that detached)."""
        pid = int(wait_for(lambda: _read(pidfile), what=pidfile).strip())
        self.procs.append((name, pid))
        return pid

    def dpdk_file_prefix(self, tag):
        """A unique DPDK --file-prefix whose hugepage files get removed."""
        prefix = "ovsnfvt%s%s" % (tag, uuid.uuid4().hex[:8])
        self.file_prefixes.append(prefix)
        return prefix

    def run(self, argv, check=True, timeout=30, input=None, executable=None):
        proc = subprocess.run(argv, env=self.env, capture_output=True,
                              text=True, timeout=timeout, input=input,
                              executable=executable)
        if check and proc.returncode:
            raise CommandError(argv, proc)
        return proc

    # Database.

    def start_ovsdb(self):
        db = os.path.join(self.dir, "conf.db")
        self.run(["ovsdb-tool", "create", db, SCHEMA])
        self.run(["ovsdb-server", db, "--remote=punix:" + self.db_sock,
                  "--pidfile", "--detach", "--log-file",
                  "--remote=db:Open_vSwitch,Open_vSwitch,manager_options"])
        self.track_pidfile("ovsdb-server",
                           os.path.join(self.dir, "ovsdb-server.pid"))
        self.vsctl("--no-wait", "init")

    def stop_ovsdb(self):
        self.kill_pidfile("ovsdb-server")

    def restart_ovsdb(self):
        db = os.path.join(self.dir, "conf.db")
        self.run(["ovsdb-server", db, "--remote=punix:" + self.db_sock,
                  "--pidfile", "--detach", "--log-file"])
        self.track_pidfile("ovsdb-server",
                           os.path.join(self.dir, "ovsdb-server.pid"))

    # Switch daemons.

    def start_vswitchd(self, daemon="ovs-nfv", extra_args=(), wait=True):
        """Starts ovs-nfv's daemon or Debian's OVS-DPDK ('ovs-dpdk')."""
        binary = OVSNFV_VSWITCHD if daemon == "ovs-nfv" else OVSDPDK_VSWITCHD
        self.daemon = daemon
        # argv[0] is "ovs-vswitchd" for both daemons, so that the pidfile,
        # control socket and log file have the names ovs-appctl expects.
        argv = ["ovs-vswitchd", self.remote, "--pidfile", "--detach",
                "--log-file", "--no-chdir"] + list(extra_args)
        self.run(argv, timeout=120, executable=binary)
        pid = self.track_pidfile("ovs-vswitchd",
                                 os.path.join(self.dir, "ovs-vswitchd.pid"))
        if wait:
            wait_for(lambda: os.path.exists(self.ctl_path(pid)),
                     what="ovs-vswitchd control socket")
        return pid

    def start_dpdk_vswitchd(self, tag="dp", pmd_cpu_mask="0x2", **other):
        """Starts ovs-nfv's daemon with a small in-memory DPDK (main lcore
        on CPU 0, PMDs on 'pmd_cpu_mask') and the extra Open_vSwitch
        other_config keys 'other' (underscores in keys become dashes).
        Skips the test when the host lacks free hugepages."""
        if free_hugepages_mb() < 512:
            import pytest
            pytest.skip("needs >= 512 MB of free 2 MB hugepages")
        prefix = self.dpdk_file_prefix(tag)
        cfg = {"dpdk-init": "true", "dpdk-lcore-mask": "0x1",
               "pmd-cpu-mask": pmd_cpu_mask,
               "dpdk-extra": "--no-pci --in-memory -m 256 "
                             "--file-prefix=%s" % prefix}
        cfg.update({k.replace("_", "-"): v for k, v in other.items()})
        self.set_other_config(cfg, wait=False)
        return self.start_vswitchd("ovs-nfv")

    @contextlib.contextmanager
    def fresh_bridge(self):
        """For one test on a switch shared by several: a netdev bridge with
        a random name (its TAP device is host-wide), PMD statistics
        cleared.  On exit the bridge with its ports and the testpmd peers
        started meanwhile are gone."""
        br = uniq("dp")
        self.vsctl("add-br", br, "--", "set", "Bridge", br,
                   "datapath_type=netdev")
        self.appctl("dpif-netdev/pmd-stats-clear")
        try:
            yield br
        finally:
            for peer in reversed(self.testpmds):
                peer.kill()
            self.testpmds = []
            self.vsctl("--if-exists", "del-br", br)

    def keep_floods_off_the_tap(self, br):
        """Makes the bridge's own port (a TAP device the main thread feeds
        with one write() per packet) an access port of VLAN 4094, so that
        traffic tests flooding untagged frames at millions of packets per
        second do not load CPU 0 with it."""
        self.vsctl("set", "Port", br, "tag=4094")

    def set_other_config(self, cfg, wait=True):
        """Sets (value None: removes) Open_vSwitch:other_config keys."""
        args = [] if wait else ["--no-wait"]
        sets = ["other_config:%s=%s" % (k, v) for k, v in cfg.items()
                if v is not None]
        if sets:
            args += ["set", "Open_vSwitch", "."] + sets
        for k, v in cfg.items():
            if v is None:
                args += ["--", "remove", "Open_vSwitch", ".", "other_config",
                         k]
        self.vsctl(*args)

    def add_port(self, br, name, type_, ofport=None, options=None,
                 port_settings=(), iface_settings=(), check=True):
        """ovs-vsctl add-port BR NAME [PORT_SETTINGS] -- set Interface NAME
        type=TYPE [ofport_request=OFPORT] [options:K=V...] [IFACE_SETTINGS].
        Returns the CompletedProcess (stderr holds "Error detected..." when
        the switch could not set the interface up)."""
        args = ["add-port", br, name] + list(port_settings) + \
            ["--", "set", "Interface", name, "type=" + type_]
        if ofport is not None:
            args.append("ofport_request=%d" % ofport)
        args += ["options:%s=%s" % kv for kv in (options or {}).items()]
        args += list(iface_settings)
        return self.run(["ovs-vsctl", "--db=" + self.remote, "--timeout=30"]
                        + args, check=check, timeout=35)

    def ctl_path(self, pid=None):
        if pid is None:
            pid = self.pid_of("ovs-vswitchd")
        return os.path.join(self.dir, "ovs-vswitchd.%d.ctl" % pid)

    def pid_of(self, name):
        text = _read(os.path.join(self.dir, name + ".pid"))
        return int(text) if text else None

    def kill_pidfile(self, name, sig=signal.SIGTERM, timeout=10):
        pid = self.pid_of(name)
        if pid is None:
            return
        _kill_and_wait(pid, sig, timeout)

    # The stock clients.

    def vsctl(self, *args, check=True, timeout=30):
        return self.run(["ovs-vsctl", "--db=" + self.remote,
                         "--timeout=%d" % timeout] + list(args),
                        check=check, timeout=timeout + 5).stdout

    def appctl(self, *args, check=True, target="ovs-vswitchd"):
        return self.run(["ovs-appctl", "-t", target] + list(args),
                        check=check).stdout

    def ofctl(self, *args, check=True):
        return self.run(["ovs-ofctl"] + list(args), check=check).stdout

    def log(self, name="ovs-vswitchd"):
        return _read(os.path.join(self.dir, name + ".log")) or ""

    # What the switch reports.

    def get(self, table, record, column):
        """One column of one row, as ovs-vsctl prints it (quotes of a bare
        string removed)."""
        out = self.vsctl("get", table, record, column).strip()
        if len(out) >= 2 and out[0] == out[-1] == '"':
            out = out[1:-1]
        return out

    def row(self, table, record):
        return row(self, table, record)

    def iface(self, name, column):
        return self.get("Interface", name, column)

    def iface_now(self, name, column):
        """iface() without waiting for the periodic status rewrite: any
        configuration change makes the switch write back its interfaces'
        state together with cur_cfg, which ovs-vsctl waits for."""
        self.touches = getattr(self, "touches", 0) + 1
        self.vsctl("set", "Open_vSwitch", ".",
                   "external_ids:ovsnfv-test-touch=%d" % self.touches)
        return self.iface(name, column)

    def port_stats(self):
        """dpctl/show -s parsed into {port name: {"rx_packets": N, ...}}
        (counters read when asked, unlike Interface:statistics)."""
        return parse_dpctl_stats(self.appctl("dpctl/show", "-s"))

    def stat(self, name, key):
        return self.port_stats()[name][key]

    def pmd_stats(self, core=None):
        args = ["dpif-netdev/pmd-stats-show"]
        if core is not None:
            args += ["-pmd", str(core)]
        return parse_pmd_stats(self.appctl(*args))

    def rxq_assignment(self):
        return parse_rxq_show(self.appctl("dpif-netdev/pmd-rxq-show"))

    # Cleanup.

    def cleanup(self, keep_dir=False):
        # Ask the switch to remove what it created on the host (TAP devices
        # of internal ports) before stopping everything else.
        taps = []
        if self.pid_of("ovs-vswitchd") and _alive(self.pid_of("ovs-vswitchd")):
            if self.daemon == "ovs-dpdk":
                # Debian's OVS 3.1 often leaves its bridges' TAPs and its
                # host-wide "ovs-netdev" behind even with --cleanup.
                try:
                    taps = self.vsctl("--no-wait", "list-br", check=False,
                                      timeout=5).split() + ["ovs-netdev"]
                except subprocess.TimeoutExpired:
                    pass
            try:
                self.run(["ovs-appctl", "-t", "ovs-vswitchd", "exit",
                          "--cleanup"], check=False, timeout=10)
            except subprocess.TimeoutExpired:
                pass
        for peer in reversed(self.testpmds):
            peer.kill()
        self.testpmds = []
        for name, proc in reversed(self.procs):
            if isinstance(proc, subprocess.Popen):
                if proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(5)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
            else:
                _kill_and_wait(proc, signal.SIGTERM, 10)
        self.procs = []
        for prefix in self.file_prefixes:
            remove_hugepage_files(prefix)
        for tap in taps:
            # Only TAP devices: never a host bridge that shares the name.
            if os.path.exists("/sys/class/net/%s/tun_flags" % tap):
                subprocess.run(["ip", "link", "delete", tap],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        if not keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def _kill_and_wait(pid, sig, timeout):
    if not _alive(pid):
        return
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while _alive(pid):
            time.sleep(0.05)


# Parsers of the switch's ovs-appctl output.

def parse_dpctl_stats(text):
    """'dpctl/show -s' output into {port name: {counter: int}} with the
    keys rx_packets, rx_errors, rx_dropped, tx_packets, tx_errors,
    tx_dropped, rx_bytes, tx_bytes (counters shown as "?" are left out)."""
    ports, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"  port \d+: (\S+) \(", line)
        if m:
            cur = ports.setdefault(m.group(1), {})
            continue
        m = re.match(r"    (RX|TX) packets:(\S+) errors:(\S+) dropped:(\S+)",
                     line)
        if m and cur is not None:
            d = m.group(1).lower()
            for key, val in zip(("packets", "errors", "dropped"),
                                m.groups()[1:]):
                if val != "?":
                    cur["%s_%s" % (d, key)] = int(val)
            continue
        m = re.match(r"    RX bytes:(\d+).*  TX bytes:(\d+)", line)
        if m and cur is not None:
            cur["rx_bytes"], cur["tx_bytes"] = map(int, m.groups())
    return ports


def parse_pmd_stats(text):
    """pmd-stats-show output into {core: {label: value}}, the main thread's
    block under "main"."""
    result, cur = {}, None
    for line in text.splitlines():
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


def parse_rxq_show(text):
    """pmd-rxq-show output into ({core: [(port, queue), ...]},
    {core: isolated})."""
    assign, isolated, cur = {}, {}, None
    for line in text.splitlines():
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


# Frames and pcap files (scapy is imported only by the tests using them).

def udp_frames(src, dst, n, vlan=None, flows=10):
    """'n' UDP frames from MAC 'src' to MAC 'dst' over 'flows' flows,
    802.1Q-tagged with 'vlan' unless it is None."""
    from scapy.all import Ether, Dot1Q, IP, UDP, Raw
    frames = []
    for i in range(n):
        eth = Ether(src=src, dst=dst)
        if vlan is not None:
            eth = eth / Dot1Q(vlan=vlan)
        pkt = eth / IP(src="10.0.0.1", dst="10.0.1.%d" % (i % flows + 1)) \
            / UDP(sport=1000 + i % flows, dport=2000) / Raw(b"x" * 18)
        frames.append(pkt)
    return frames


def pcap_args(name, rx=None, tx=None, infinite=False):
    """Options of a dpdk port on a fresh net_pcap vdev reading 'rx' (again
    and again with 'infinite') and writing 'tx'."""
    args = "net_pcap_%s%s" % (name, uniq("")[:6])
    if rx:
        args += ",rx_pcap=" + rx + (",infinite_rx=1" if infinite else "")
    if tx:
        args += ",tx_pcap=" + tx
    return {"dpdk-devargs": args}


def write_pcap(directory, name, frames):
    """Writes 'frames' to DIRECTORY/NAME; returns the path."""
    from scapy.all import wrpcap
    path = os.path.join(directory, name)
    wrpcap(path, frames)
    return path


# dpdk-testpmd virtio-user endpoints.

class VirtioPeer:
    """A dpdk-testpmd virtio-user endpoint on CPU 0, driven through its
    interactive prompt so forwarding can stop while the port stays up
    (then every packet it counted has been through the vring).

    'env' is the Sandbox (or any object with .dir and a .testpmds list):
    the peer registers there so that the sandbox's cleanup stops it."""

    def __init__(self, env, path, mode, server=False, queues=1, start=True,
                 mac=None, extra=(), wait=True, more_paths=()):
        """'more_paths': further vhost-user sockets, one more virtio-user
        port each (same queues and server mode, no MAC), forwarded by the
        same lcore."""
        self.prefix = "tp%s" % uuid.uuid4().hex[:8]
        vdev = "virtio_user0,path=%s,queues=%d" % (path, queues)
        if server:
            vdev += ",server=1"
        if mac:
            vdev += ",mac=" + mac
        vdevs = ["--vdev=" + vdev]
        for i, more in enumerate(more_paths, 1):
            vdevs.append("--vdev=virtio_user%d,path=%s,queues=%d%s" % (
                i, more, queues, ",server=1" if server else ""))
        # stdbuf: testpmd's statistics go through stdio, which would
        # otherwise sit in a buffer while we wait for them.
        argv = ["stdbuf", "-o0", TESTPMD, "--lcores", "0@0,1@0",
                "--no-pci", "--single-file-segments",
                "--file-prefix=" + self.prefix,
                "-m", "128"] + vdevs + ["--", "-i",
                "--forward-mode=" + mode, "--rxq=%d" % queues,
                "--txq=%d" % queues] + list(extra)
        self.out_path = os.path.join(env.dir, self.prefix + ".out")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True, text=True)
        env.testpmds.append(self)
        self.start_forwarding = start
        if wait:
            self.wait_ready()

    def wait_ready(self):
        """Waits for the prompt (and starts forwarding unless the peer was
        made with start=False).  Peers made with wait=False start up in
        parallel; call this on each."""
        wait_for(lambda: "testpmd>" in self.output() or
                 self.proc.poll() is not None, 30, what="testpmd prompt")
        if self.proc.poll() is not None:
            raise AssertionError("testpmd died:\n" + self.output())
        if self.start_forwarding:
            self.command("start")
            self.start_forwarding = False

    def output(self):
        return _read(self.out_path) or ""

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


# An ovsdb-server with fixed unix/TCP/TLS remotes, for the OVSDB client.

def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_pki(directory, names=("server", "client"), ca_name="ovs-nfv test CA"):
    """Creates DIR/ca-cert.pem and DIR/NAME-{key,cert}.pem signed by it.
    Returns the directory.  RSA 2048 keys, valid for one day."""
    os.makedirs(directory, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=" + ca_name, "-keyout", "ca-key.pem",
             "-out", "ca-cert.pem", cwd=directory)
    for name in names:
        _openssl("req", "-newkey", "rsa:2048", "-nodes",
                 "-subj", "/CN=ovs-nfv test " + name,
                 "-keyout", name + "-key.pem", "-out", name + "-req.pem",
                 cwd=directory)
        _openssl("x509", "-req", "-in", name + "-req.pem", "-CA",
                 "ca-cert.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                 "-days", "1", "-out", name + "-cert.pem", cwd=directory)
    return directory


class OvsdbServer:
    """ovsdb-server on a private Open_vSwitch database."""

    def __init__(self, directory=None, ssl=False):
        self.owns_dir = directory is None
        self.dir = directory or tempfile.mkdtemp(prefix="ovsdb-idl-")
        self.db = os.path.join(self.dir, "conf.db")
        self.sock = os.path.join(self.dir, "db.sock")
        self.tcp_port = free_port()
        self.ssl_port = free_port() if ssl else None
        self.pki = make_pki(os.path.join(self.dir, "pki")) if ssl else None
        self.cert_file = self.pki_file("server-cert.pem") if ssl else None
        self.proc = None
        subprocess.run(["ovsdb-tool", "create", self.db, SCHEMA], check=True)

    @property
    def unix_remote(self):
        return "unix:" + self.sock

    @property
    def tcp_remote(self):
        return "tcp:127.0.0.1:%d" % self.tcp_port

    @property
    def ssl_remote(self):
        return "ssl:127.0.0.1:%d" % self.ssl_port

    def send_ca_in_chain(self):
        """Makes the server's certificate file hold the chain (its
        certificate, then the CA's), so that peers can bootstrap the CA.
        Takes effect at the next start()."""
        chain = self.pki_file("server-chain.pem")
        with open(chain, "w") as out:
            for name in ("server-cert.pem", "ca-cert.pem"):
                with open(self.pki_file(name)) as f:
                    out.write(f.read())
        self.cert_file = chain

    def pki_file(self, name):
        return os.path.join(self.pki, name)

    def start(self, extra_remotes=()):
        remotes = ["--remote=punix:" + self.sock,
                   "--remote=ptcp:%d:127.0.0.1" % self.tcp_port]
        if self.ssl_port:
            remotes += ["--remote=pssl:%d:127.0.0.1" % self.ssl_port,
                        "--private-key=" + self.pki_file("server-key.pem"),
                        "--certificate=" + self.cert_file,
                        "--ca-cert=" + self.pki_file("ca-cert.pem")]
        remotes += list(extra_remotes)
        log = os.path.join(self.dir, "ovsdb-server.log")
        self.proc = subprocess.Popen(
            ["ovsdb-server", self.db, *remotes, "--no-chdir",
             "--unixctl=" + os.path.join(self.dir, "ovsdb-server.ctl"),
             "--log-file=" + log, "-vconsole:off"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.sock) and self._tcp_up(),
                 what="ovsdb-server to listen")
        self.vsctl("--no-wait", "init")

    def _tcp_up(self):
        try:
            with socket.create_connection(("127.0.0.1", self.tcp_port), 0.2):
                return True
        except OSError:
            return False

    def stop(self, sig=signal.SIGTERM):
        """Stops the server with 'sig' (SIGKILL to simulate a crash)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if os.path.exists(self.sock):
            os.unlink(self.sock)

    def restart(self):
        self.stop()
        self.start()

    def vsctl(self, *args, db=None):
        """Runs ovs-vsctl against the server; returns stripped stdout."""
        out = subprocess.run(
            ["ovs-vsctl", "--db=" + (db or self.unix_remote), "--timeout=10",
             *args], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def offline_edit(self, *vsctl_args):
        """While the server is stopped: changes the database file through a
        second, temporary ovsdb-server on another socket, then stops it."""
        assert self.proc is None, "stop() the server first"
        sock = os.path.join(self.dir, "offline.sock")
        proc = subprocess.Popen(
            ["ovsdb-server", self.db, "--remote=punix:" + sock, "--no-chdir",
             "--unixctl=" + os.path.join(self.dir, "offline.ctl"),
             "-vconsole:off"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: os.path.exists(sock), what="offline server")
            return self.vsctl("--no-wait", *vsctl_args, db="unix:" + sock)
        finally:
            proc.terminate()
            proc.wait(10)
            if os.path.exists(sock):
                os.unlink(sock)

    def close(self):
        self.stop()
        if self.owns_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# Rows as ovs-vsctl reads them.

def uniq(prefix):
    """A fresh interface name (at most 15 characters, as the kernel wants)."""
    return prefix + uuid.uuid4().hex[:7]


def decode(value):
    """Turns an OVSDB JSON value (as ovs-vsctl --format=json prints it) into
    Python: maps become dicts, sets lists, uuids strings."""
    if isinstance(value, list) and len(value) == 2:
        kind, body = value
        if kind == "map":
            return {decode(k): decode(v) for k, v in body}
        if kind == "set":
            return [decode(v) for v in body]
        if kind in ("uuid", "named-uuid"):
            return body
    return value


def row(sb, table, record):
    """One row as a dict, read with ovs-vsctl."""
    out = sb.vsctl("--format=json", "list", table, record)
    data = json.loads(out)
    assert len(data["data"]) == 1
    return {h: decode(v) for h, v in zip(data["headings"], data["data"][0])}


def rows(sb, table):
    out = sb.vsctl("--format=json", "list", table)
    data = json.loads(out)
    return [{h: decode(v) for h, v in zip(data["headings"], r)}
            for r in data["data"]]


def empty(value):
    return value == [] or value == {}
