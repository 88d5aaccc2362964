"""A minimal raw OpenFlow client for hostile-input tests: connects to a
bridge's management socket, negotiates a version, sends arbitrary bytes and
reads the replies."""

import socket
import struct

OFP13 = 4
OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 0, 1, 2, 3


def header(version, msg_type, length, xid):
    return struct.pack("!BBHI", version, msg_type, length, xid)


def message(version, msg_type, body=b"", xid=1, length=None):
    n = 8 + len(body) if length is None else length
    return header(version, msg_type, n, xid) + body


class OFClient:
    def __init__(self, path, version=OFP13):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(path)
        self.version = version
        hello = self.recv()
        assert hello[1] == OFPT_HELLO
        self.send(message(version, OFPT_HELLO))

    def send(self, data):
        self.sock.sendall(data)

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def recv(self):
        hdr = self._read(8)
        length = struct.unpack("!H", hdr[2:4])[0]
        return hdr + self._read(length - 8)

    def error_of(self, data, xid):
        """Sends 'data' and returns the (type, code) of the error reply with
        'xid', checking that the reply echoes the request."""
        self.send(data)
        while True:
            reply = self.recv()
            if reply[1] == OFPT_ERROR and struct.unpack("!I", reply[4:8])[0] \
                    == xid:
                etype, ecode = struct.unpack("!HH", reply[8:12])
                assert reply[12:12 + min(len(data), 64)] == data[:64]
                return etype, ecode

    def echo(self, xid=0x77):
        self.send(message(self.version, OFPT_ECHO_REQUEST, b"ping", xid=xid))
        while True:
            reply = self.recv()
            if reply[1] == OFPT_ECHO_REPLY:
                assert reply[8:] == b"ping"
                return True

    def close(self):
        self.sock.close()
