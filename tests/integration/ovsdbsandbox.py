"""A small, self-contained ovsdb-server sandbox for the OVSDB client tests.

OvsdbServer runs the real ovsdb-server (Debian's Open vSwitch) on a private
database in a temporary directory, listening on a unix socket, a TCP port
and optionally a TLS port, all fixed for the life of the object so that the
server can be stopped and restarted on the same addresses.  make_pki()
creates a CA plus server and client certificates with openssl.
IdlClient drives tests/ovsdb-idl-client line by line.

Everything started here is killed and removed by close(), even after a
failure; use the objects as context managers.
"""

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


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


def client_program():
    builddir = os.environ.get("OVSNFV_BUILDDIR",
                              os.path.join(os.path.dirname(__file__),
                                           "..", ".."))
    return os.path.join(builddir, "tests", "ovsdb-idl-client")


class IdlClient:
    """tests/ovsdb-idl-client as a subprocess: send() commands, expect()
    output lines."""

    def __init__(self, remote, *options):
        # e.g. OVSNFV_TEST_WRAPPER="valgrind -q --error-exitcode=99"
        wrapper = os.environ.get("OVSNFV_TEST_WRAPPER", "").split()
        self.argv = [*wrapper, client_program(), *options, remote]
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines = queue.Queue()
        self.seen = []
        self.stderr = []
        threading.Thread(target=self._pump, args=(self.proc.stdout,
                                                  self.lines.put),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr,
                                                  self.stderr.append),
                         daemon=True).start()

    @staticmethod
    def _pump(stream, sink):
        for line in stream:
            sink(line.rstrip("\n"))

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def expect(self, pattern, timeout=10.0):
        """Reads lines until one matches 'pattern' (a regex searched in the
        line); returns the match.  Lines read are kept in self.seen."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    "no line matching %r; last lines:\n%s\nstderr:\n%s"
                    % (pattern, "\n".join(self.seen[-80:]),
                       "\n".join(self.stderr[-20:])))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            m = regex.search(line)
            if m:
                return m

    def output(self):
        """Every line printed so far (reading what is pending without
        waiting; lines that expect() skipped are included)."""
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return list(self.seen)

    def block(self, pattern, timeout=10.0):
        """Reads change blocks ("change ..." up to "end") until one has a
        line matching 'pattern'; returns that block's lines."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            left = max(deadline - time.monotonic(), 0.01)
            self.expect(r"^change \d+ \d+$", left)
            start = len(self.seen) - 1
            self.expect(r"^end$", max(deadline - time.monotonic(), 0.01))
            lines = self.seen[start:]
            if any(regex.search(line) for line in lines):
                return lines

    def dump(self, table=None):
        """The replica's rows as a list of 'row TABLE UUID col=val...'."""
        self.send("dump" + (" " + table if table else ""))
        start = len(self.seen)
        self.expect("^end$")
        return [line for line in self.seen[start:]
                if line.startswith("row ")]

    def transact(self, command, timeout=10.0):
        """Sends a transaction command; returns (status, error text)."""
        self.send(command)
        m = self.expect(r"^(commit (\d+)|error .*)$", timeout)
        if m.group(1).startswith("error"):
            return "bad-command", m.group(1)
        m = self.expect(r"^txn %s (success|unchanged|try again|error)"
                        r"(?: (.*))?$" % m.group(2), timeout)
        return m.group(1), m.group(2)

    def alive(self):
        return self.proc.poll() is None

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
