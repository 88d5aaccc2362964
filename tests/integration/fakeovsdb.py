"""A scripted stand-in for ovsdb-server, to send the IDL what the real
server never would (malformed values, refusals, silence).

FakeOvsdb listens on a unix socket in a thread and serves one client at a
time.  'get_schema' is answered with the real Open_vSwitch schema; other
requests go to handler(method, params) which returns ("result", value),
("error", value) or None (no answer).  Tests can push notifications with
notify() and read what the client sent in self.received.
"""

import json
import os
import shutil
import socket
import tempfile
import threading

from ovsdbsandbox import SCHEMA


class FakeOvsdb:
    def __init__(self, handler, path=None):
        """Listens on 'path', or on db.sock in a new temporary directory
        (removed by close())."""
        self.owns_dir = path is None
        if path is None:
            path = os.path.join(tempfile.mkdtemp(prefix="fakeovsdb-"),
                                "db.sock")
        self.path = path
        self.handler = handler
        self.received = []
        self.conn = None
        self.lock = threading.Lock()
        self.connections = 0
        self.stop = False
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        with open(SCHEMA) as f:
            self.schema = json.load(f)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.conn = conn
                self.connections += 1
            self._session(conn)

    def _session(self, conn):
        decoder = json.JSONDecoder()
        buf = ""
        conn.settimeout(0.2)
        while not self.stop:
            try:
                data = conn.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            buf += data.decode()
            while buf.strip():
                try:
                    msg, end = decoder.raw_decode(buf.lstrip())
                except ValueError:
                    break
                buf = buf.lstrip()[end:]
                self.received.append(msg)
                self._answer(msg)
        with self.lock:
            if self.conn is conn:
                self.conn = None
        conn.close()

    def _answer(self, msg):
        method = msg.get("method")
        if method is None:
            return
        if method == "get_schema":
            reply = ("result", self.schema)
        else:
            reply = self.handler(method, msg.get("params"))
        if reply is None:
            return
        kind, value = reply
        self.send({"id": msg["id"],
                   "result": value if kind == "result" else None,
                   "error": value if kind == "error" else None})

    def send(self, obj):
        with self.lock:
            if self.conn:
                try:
                    self.conn.sendall(json.dumps(obj).encode())
                except OSError:
                    pass

    def notify(self, method, params):
        self.send({"method": method, "params": params, "id": None})

    @property
    def remote(self):
        return "unix:" + self.path

    def methods(self):
        return [m.get("method") for m in self.received if "method" in m]

    def close(self):
        self.stop = True
        self.sock.close()
        self.thread.join(5)
        if os.path.exists(self.path):
            os.unlink(self.path)
        if self.owns_dir:
            shutil.rmtree(os.path.dirname(self.path), ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
