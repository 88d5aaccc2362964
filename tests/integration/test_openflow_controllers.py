"""Controller connections: active targets with hello negotiation, roles
with generation ids between two controllers, slaves refused, Controller
rows written back (is_connected, role, status), inactivity probes and
reconnection, fail_mode, and TLS controllers with certificates made by
openssl in the test (a bad certificate is logged and retried, never
fatal)."""

import os
import socket
import ssl
import struct
import subprocess
import time
import uuid

import pytest

from ofclient import OFP13, message
from sandbox import wait_for

OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 0, 1, 2, 3
OFPT_FEATURES_REQUEST, OFPT_FEATURES_REPLY = 5, 6
OFPT_FLOW_MOD, OFPT_ROLE_REQUEST, OFPT_ROLE_REPLY = 14, 24, 25
ROLE_EQUAL, ROLE_MASTER, ROLE_SLAVE = 1, 2, 3


class Controller:
    """A listening fake controller speaking raw OpenFlow 1.3."""

    def __init__(self, tls=None):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.listener.settimeout(15)
        self.port = self.listener.getsockname()[1]
        self.tls = tls
        self.conn = None

    def accept(self):
        conn, _ = self.listener.accept()
        conn.settimeout(10)
        if self.tls:
            conn = self.tls.wrap_socket(conn, server_side=True)
        self.conn = conn
        hello = self.recv()
        assert hello[1] == OFPT_HELLO
        self.send(message(OFP13, OFPT_HELLO))
        return self

    def send(self, data):
        self.conn.sendall(data)

    def recv(self):
        def read(n):
            data = b""
            while len(data) < n:
                chunk = self.conn.recv(n - len(data))
                if not chunk:
                    raise ConnectionError("closed")
                data += chunk
            return data
        hdr = read(8)
        return hdr + read(struct.unpack("!H", hdr[2:4])[0] - 8)

    def request(self, data, reply_type):
        self.send(data)
        while True:
            msg = self.recv()
            if msg[1] == OFPT_ECHO_REQUEST:
                self.send(message(OFP13, OFPT_ECHO_REPLY, msg[8:],
                                  xid=struct.unpack("!I", msg[4:8])[0]))
                continue
            if msg[1] in (reply_type, OFPT_ERROR):
                return msg

    def role(self, role, generation, xid=9):
        reply = self.request(message(OFP13, OFPT_ROLE_REQUEST,
                                     struct.pack("!I4xQ", role, generation),
                                     xid=xid), OFPT_ROLE_REPLY)
        if reply[1] == OFPT_ERROR:
            return struct.unpack("!HH", reply[8:12])
        return struct.unpack("!I4xQ", reply[8:24])

    def close(self):
        if self.conn:
            self.conn.close()
        self.listener.close()


@pytest.fixture
def bridge(vswitchd):
    br = "oc%s" % uuid.uuid4().hex[:8]
    vswitchd.vsctl("add-br", br)
    return vswitchd, br


def controller_rows(sb):
    out = sb.vsctl("-f", "csv", "--no-headings", "--columns=target,"
                   "is_connected,role", "list", "Controller")
    rows = {}
    for line in out.splitlines():
        target, connected, role = line.split(",")
        rows[target.strip('"')] = (connected, role)
    return rows


def test_roles_and_status(bridge):
    sb, br = bridge
    a, b = Controller(), Controller()
    try:
        ta = "tcp:127.0.0.1:%d" % a.port
        tb = "tcp:127.0.0.1:%d" % b.port
        sb.vsctl("set-controller", br, ta, tb)
        a.accept()
        b.accept()
        feats = a.request(message(OFP13, OFPT_FEATURES_REQUEST, xid=2),
                          OFPT_FEATURES_REPLY)
        assert feats[0] == OFP13 and feats[1] == OFPT_FEATURES_REPLY
        assert a.role(ROLE_MASTER, 10) == (ROLE_MASTER, 10)
        assert b.role(ROLE_SLAVE, 11) == (ROLE_SLAVE, 11)
        # A stale generation id is refused (ROLE_REQUEST_FAILED, STALE).
        assert a.role(ROLE_MASTER, 5) == (11, 0)
        # The slave may not change state (BAD_REQUEST, IS_SLAVE).
        fm = message(OFP13, OFPT_FLOW_MOD, b"\0" * 40 +
                     struct.pack("!HH4x", 1, 4), xid=12)
        err = b.request(fm, OFPT_ERROR)
        assert struct.unpack("!HH", err[8:12]) == (1, 10)
        # b takes over: a becomes a slave.
        assert b.role(ROLE_MASTER, 12) == (ROLE_MASTER, 12)
        assert a.role(0, 0)[0] == ROLE_SLAVE
        wait_for(lambda: controller_rows(sb).get(ta) == ("true", "slave")
                 and controller_rows(sb).get(tb) == ("true", "master"),
                 15, what="Controller rows written back")
        status = sb.vsctl("get", "Controller", "@ctl" if False else
                          sb.vsctl("--bare", "--columns=_uuid", "find",
                                   "Controller", "target=\"%s\"" % ta)
                          .strip(), "status")
        assert "state=ACTIVE" in status.replace('"', "")
    finally:
        a.close()
        b.close()


def test_probe_disconnects_and_reconnects(bridge):
    sb, br = bridge
    c = Controller()
    try:
        target = "tcp:127.0.0.1:%d" % c.port
        sb.vsctl("set-controller", br, target, "--", "set", "Controller",
                 br, "inactivity_probe=1000", "max_backoff=1000")
        c.accept()
        # Say nothing: the switch probes, then drops the connection...
        start = time.monotonic()
        saw_probe = False
        with pytest.raises((ConnectionError, OSError)):
            while time.monotonic() - start < 10:
                msg = c.recv()
                saw_probe |= msg[1] == OFPT_ECHO_REQUEST
        assert saw_probe
        # ...and comes back.
        c.accept()
        assert c.role(0, 0)[0] == ROLE_EQUAL
    finally:
        c.close()


def test_fail_mode_standalone_falls_back(bridge):
    sb, br = bridge
    sb.vsctl("set-controller", br, "tcp:127.0.0.1:1")
    wait_for(lambda: "entering standalone fallback" in sb.log(), 10,
             what="standalone fallback")
    sb.vsctl("set-fail-mode", br, "secure")
    wait_for(lambda: "leaving standalone fallback" in sb.log(), 10,
             what="secure mode keeps the flow table")


def make_pki(d):
    def run(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True,
                       capture_output=True)
    for ca in ("ca", "otherca"):
        run("req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            ca + ".key", "-out", ca + ".pem", "-days", "1", "-subj",
            "/CN=" + ca)
    for name, ca in (("switch", "ca"), ("ctl", "ca"), ("rogue", "otherca")):
        run("req", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)
        run("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem",
            "-CAkey", ca + ".key", "-CAcreateserial", "-out",
            name + ".pem", "-days", "1")
    return {n: os.path.join(d, n) for n in ("ca", "otherca", "switch",
                                              "ctl", "rogue")}


def tls_context(pki, name, ca):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki[name] + ".pem", pki[name] + ".key")
    ctx.load_verify_locations(pki[ca] + ".pem")
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def test_tls_controller(bridge, tmp_path):
    sb, br = bridge
    pki = make_pki(str(tmp_path))
    sb.vsctl("set-ssl", pki["switch"] + ".key", pki["switch"] + ".pem",
             pki["ca"] + ".pem")
    # First a controller whose certificate the switch does not trust: the
    # handshake fails, the switch logs it and retries.
    rogue = Controller(tls=tls_context(pki, "rogue", "ca"))
    try:
        sb.vsctl("set-controller", br, "ssl:127.0.0.1:%d" % rogue.port)
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            rogue.accept()
        assert sb.appctl("version")
    finally:
        rogue.close()
    good = Controller(tls=tls_context(pki, "ctl", "ca"))
    try:
        sb.vsctl("set-controller", br, "ssl:127.0.0.1:%d" % good.port)
        good.accept()
        feats = good.request(message(OFP13, OFPT_FEATURES_REQUEST, xid=3),
                             OFPT_FEATURES_REPLY)
        assert feats[1] == OFPT_FEATURES_REPLY
        peer = good.conn.getpeercert()
        assert ("commonName", "switch") in sum(peer["subject"], ())
    finally:
        good.close()


def test_snoop_shows_controller_traffic(bridge):
    sb, br = bridge
    c = Controller()
    snoop = None
    try:
        sb.vsctl("set-controller", br, "tcp:127.0.0.1:%d" % c.port)
        c.accept()
        snoop = subprocess.Popen(["ovs-ofctl", "-O", "OpenFlow13", "snoop",
                                  br], env=sb.env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        time.sleep(0.5)
        for xid in range(20, 23):
            feats = c.request(message(OFP13, OFPT_FEATURES_REQUEST, xid=xid),
                              OFPT_FEATURES_REPLY)
            assert feats[1] == OFPT_FEATURES_REPLY
        time.sleep(0.5)
    finally:
        if snoop:
            snoop.terminate()
            out = snoop.communicate(timeout=5)[0]
        c.close()
    assert "OFPT_FEATURES_REQUEST (OF1.3) (xid=0x16)" in out, out
    assert "OFPT_FEATURES_REPLY (OF1.3) (xid=0x16)" in out, out


def test_async_config(bridge):
    sb, br = bridge
    c = Controller()

    def types_until_echo(xid):
        c.send(message(OFP13, OFPT_ECHO_REQUEST, xid=xid))
        seen = []
        while True:
            msg = c.recv()
            if msg[1] == OFPT_ECHO_REPLY:
                return seen
            seen.append(msg[1])

    try:
        sb.vsctl("set-controller", br, "tcp:127.0.0.1:%d" % c.port)
        c.accept()
        reply = c.request(message(OFP13, 26, xid=30), 27)
        # The specification's defaults (OpenFlow 1.3, 6.1.1).
        assert struct.unpack("!6I", reply[8:32]) == (3, 0, 7, 7, 15, 0)
        sb.vsctl("add-port", br, "pb", "--", "set", "Interface", "pb",
                 "type=internal")
        assert 12 in types_until_echo(31)       # OFPT_PORT_STATUS.
        c.send(message(OFP13, 28, struct.pack("!6I", 1, 2, 4, 4, 8, 1),
                       xid=32))
        reply = c.request(message(OFP13, 26, xid=33), 27)
        assert struct.unpack("!6I", reply[8:32]) == (1, 2, 4, 4, 8, 1)
        # Port-status now only for "modify" (bit 2): an added port is not
        # reported.
        sb.vsctl("add-port", br, "pa", "--", "set", "Interface", "pa",
                 "type=internal")
        assert 12 not in types_until_echo(34)
    finally:
        c.close()
