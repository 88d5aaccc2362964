#!/usr/bin/python3
"""Records an OpenFlow conversation between a client and a real switch.

Usage: proxy-record.py LISTEN_SOCK SWITCH_SOCK NAME -- COMMAND...
Listens on LISTEN_SOCK, relays every connection to SWITCH_SOCK, runs
COMMAND (with SOCK replaced by unix:LISTEN_SOCK) and prints the messages
the switch sent as "NAME.rN HEX" lines (hellos left out).
"""
import os
import socket
import struct
import subprocess
import sys
import threading


def split(buf):
    msgs = []
    while len(buf) >= 8:
        n = struct.unpack("!H", buf[2:4])[0]
        if n < 8 or len(buf) < n:
            break
        msgs.append(buf[:n])
        buf = buf[n:]
    return msgs, buf


def pump(src, dst, record, lock):
    buf = b""
    while True:
        try:
            data = src.recv(65536)
        except OSError:
            data = b""
        if not data:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            return
        dst.sendall(data)
        if record is not None:
            buf += data
            msgs, buf = split(buf)
            with lock:
                record.extend(msgs)


def main():
    listen, target, name = sys.argv[1:4]
    args = sys.argv[sys.argv.index("--") + 1:]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(listen)
    srv.listen(4)
    replies = []
    lock = threading.Lock()

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(target)
            threading.Thread(target=pump, args=(c, s, None, lock),
                             daemon=True).start()
            threading.Thread(target=pump, args=(s, c, replies, lock),
                             daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    args = [("unix:" + listen) if a == "SOCK" else a for a in args]
    subprocess.run(args, timeout=20, stdout=subprocess.DEVNULL)
    srv.close()
    os.unlink(listen)
    n = 0
    for m in replies:
        if m[1] == 0:
            continue
        n += 1
        print("%s.r%d %s" % (name, n, m.hex()))


if __name__ == "__main__":
    main()
