"""Private sandboxes for integration tests.

A Sandbox owns one temporary directory that serves as OVS_RUNDIR, OVS_DBDIR
and OVS_LOGDIR, runs a fresh Debian ovsdb-server with the standard
Open_vSwitch schema in it, and can start either ovs-nfv's ovs-vswitchd or
Debian's OVS-DPDK daemon against that database.  Every process it starts is
recorded and killed on cleanup, together with the hugepage files of every
DPDK file prefix it handed out, even when the test failed.
"""

import os
import shutil
import signal
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

    # Cleanup.

    def cleanup(self, keep_dir=False):
        # Ask the switch to remove what it created on the host (TAP devices
        # of internal ports) before stopping everything else.
        if self.pid_of("ovs-vswitchd") and _alive(self.pid_of("ovs-vswitchd")):
            try:
                self.run(["ovs-appctl", "-t", "ovs-vswitchd", "exit",
                          "--cleanup"], check=False, timeout=10)
            except subprocess.TimeoutExpired:
                pass
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
