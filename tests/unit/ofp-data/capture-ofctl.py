#!/usr/bin/python3
"""Records the OpenFlow messages the stock ovs-ofctl sends.

Runs a minimal OpenFlow 1.0 switch on a private unix socket that answers
just enough (hello, features, barrier, empty stats replies, echo) for
ovs-ofctl to finish, runs one ovs-ofctl command against it and prints
every message ovs-ofctl sent as "NAME HEX" lines.

Usage: capture-ofctl.py NAME -- ovs-ofctl ARGS... (use SOCK for the target)
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading


def recv_msgs(conn, out):
    buf = b""
    while True:
        try:
            data = conn.recv(65536)
        except OSError:
            return
        if not data:
            return
        buf += data
        while len(buf) >= 8:
            length = struct.unpack("!H", buf[2:4])[0]
            if length < 8 or len(buf) < length:
                break
            msg, buf = buf[:length], buf[length:]
            out.append(msg)
            reply(conn, msg)


def reply(conn, msg):
    version, mtype, _, xid = struct.unpack("!BBHI", msg[:8])
    hdr = lambda t, body=b"": struct.pack("!BBHI", version, t,
                                          8 + len(body), xid) + body
    if version != 1:
        reply13(conn, msg, version, mtype, hdr)
        return
    if mtype == 2:                                  # echo request
        conn.sendall(hdr(3, msg[8:]))
    elif mtype == 5:                                # features request
        port = struct.pack("!H6s16sIIIIII", 1, b"\x00\x11\x22\x33\x44\x55",
                           b"p1", 0, 0, 0, 0, 0, 0)
        body = struct.pack("!QIB3xII", 0x1234, 256, 254, 0xc7, 0xfff) + port
        conn.sendall(hdr(6, body))
    elif mtype == 7:                                # get config
        conn.sendall(hdr(8, struct.pack("!HH", 0, 128)))
    elif mtype == 18:                               # barrier
        conn.sendall(hdr(19))
    elif mtype == 16:                               # stats request
        stype = struct.unpack("!H", msg[8:10])[0]
        body = msg[8:10] + b"\x00\x00"
        if stype == 0xffff:
            body += msg[12:20] + b"\x00" * 4        # vendor + subtype + pad
            if struct.unpack("!I", msg[16:20])[0] == 1:   # NXST_AGGREGATE
                body += b"\x00" * 24
        elif stype == 0:
            body += b"\x00" * 1056
        elif stype == 2:
            body += b"\x00" * 24
        elif stype == 3:
            for tid in range(2):
                body += struct.pack("!B3x32sIIIQQ", tid, b"t%d" % tid,
                                    0x3fffff, 1000000, 0, 0, 0)
        conn.sendall(hdr(17, body))
    elif mtype == 4 and len(msg) >= 16:             # vendor
        vendor, subtype = struct.unpack("!II", msg[8:16])
        if vendor == 0x2320 and subtype == 10:      # NXT_ROLE_REQUEST
            conn.sendall(hdr(4, msg[8:]))


def reply13(conn, msg, version, mtype, hdr):
    if mtype == 2:                                  # echo request
        conn.sendall(hdr(3, msg[8:]))
    elif mtype == 5:                                # features request
        conn.sendall(hdr(6, struct.pack("!QIBB2xII", 0x1234, 256, 254, 0,
                                        0x4f, 0)))
    elif mtype == 7:                                # get config
        conn.sendall(hdr(8, struct.pack("!HH", 0, 128)))
    elif mtype == 20:                               # barrier
        conn.sendall(hdr(21))
    elif mtype == 18:                               # multipart request
        mp = struct.unpack("!H", msg[8:10])[0]
        body = msg[8:10] + b"\x00" * 6
        if mp == 0:
            body += b"\x00" * 1056
        elif mp == 2:
            body += b"\x00" * 24
        elif mp == 8:
            body += b"\x00" * 40
        elif mp == 11:
            body += b"\x00" * 16
        elif mp == 12:
            for tid in range(2):
                props = b""
                for ptype, content in ((0, struct.pack("!HH", 4, 4)),
                                       (2, b""),
                                       (4, struct.pack("!HH", 0, 4)),
                                       (6, struct.pack("!HH", 0, 4)),
                                       (8, struct.pack("!I", 0x80000004)),
                                       (10, b""),
                                       (12, struct.pack("!I", 0x80000004)),
                                       (14, struct.pack("!I", 0x80000004))):
                    prop = struct.pack("!HH", ptype, 4 + len(content))
                    prop += content
                    props += prop + b"\x00" * (-len(prop) % 8)
                body += struct.pack("!HB5x32sQQII", 64 + len(props), tid,
                                    b"t%d" % tid, 0, 0, 0, 1000000) + props
        conn.sendall(hdr(19, body))


def main():
    name = sys.argv[1]
    args = sys.argv[sys.argv.index("--") + 1:]
    tmp = tempfile.mkdtemp(prefix="ofcap")
    path = os.path.join(tmp, "sw.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    msgs = []

    def serve_one(conn):
        version = int(os.environ.get("CAP_VERSION", "1"))
        if version == 1:
            conn.sendall(struct.pack("!BBHI", 1, 0, 8, 1))
        else:
            conn.sendall(struct.pack("!BBHIHHI", version, 0, 16, 1, 1, 8,
                                     1 << version))
        recv_msgs(conn, msgs)

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,),
                             daemon=True).start()
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    args = [("unix:" + path) if a == "SOCK" else a for a in args]
    try:
        subprocess.run(args, timeout=float(os.environ.get("CAP_TIMEOUT", 5)),
                       stdout=subprocess.DEVNULL, stderr=sys.stderr if os.environ.get('CAP_DEBUG') else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pass
    t.join(0.5)
    for i, m in enumerate(msgs):
        print("%s.%d %s" % (name, i, m.hex()))
    srv.close()
    os.unlink(path)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
