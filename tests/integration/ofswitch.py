"""Helpers for the OpenFlow tests: a sandboxed ovs-nfv switch with DPDK,
vhost-user ports and dpdk-testpmd virtio-user endpoints (reusing the
datapath tests' VirtioPeer), plus packet builders."""

import os
import re
import struct

from sandbox import VirtioPeer, TESTPMD, wait_for  # noqa: F401


class PeerEnv:
    """What VirtioPeer needs from its environment."""

    def __init__(self, directory):
        self.dir = directory
        self.testpmds = []

    def cleanup(self):
        for peer in reversed(self.testpmds):
            try:
                peer.stop()
            except Exception:
                peer.kill()
        self.testpmds = []


def start_dpdk_switch(sb, tag="of"):
    """Starts ovs-nfv in sandbox 'sb' with a small in-memory DPDK, one PMD
    on CPU 1."""
    prefix = sb.dpdk_file_prefix(tag)
    sb.vsctl("--no-wait", "set", "Open_vSwitch", ".",
             "other_config:dpdk-init=true",
             "other_config:dpdk-lcore-mask=0x1",
             "other_config:pmd-cpu-mask=0x2",
             "other_config:dpdk-extra=--no-pci --in-memory -m 256 "
             "--file-prefix=%s" % prefix)
    sb.start_vswitchd("ovs-nfv")


def add_vhost_ports(sb, br, names):
    """Adds dpdkvhostuser ports 1..n named 'names' to 'br'; returns their
    socket paths."""
    args = []
    for i, name in enumerate(names, 1):
        args += ["--", "add-port", br, name, "--", "set", "Interface", name,
                 "type=dpdkvhostuser", "ofport_request=%d" % i]
    sb.vsctl(*args)
    return [os.path.join(sb.dir, n) for n in names]


def flows(sb, br, *args, version="OpenFlow13"):
    """dump-flows lines without the header and the volatile durations."""
    out = sb.ofctl("-O", version, "dump-flows", br, *args)
    lines = [l.strip() for l in out.splitlines()[1:] if l.strip()]
    return [re.sub(r"duration=[0-9.]+s, ", "", l) for l in lines]


def n_packets(sb, br, match, *args):
    """n_packets of the single flow of 'br' containing 'match'."""
    for line in flows(sb, br, *args):
        if match in line:
            return int(re.search(r"n_packets=(\d+)", line).group(1))
    raise AssertionError("no flow with %r in %s" % (match, flows(sb, br)))


def eth(dst, src, ethertype):
    return (bytes.fromhex(dst.replace(":", "")) +
            bytes.fromhex(src.replace(":", "")) + struct.pack("!H", ethertype))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_packet(dst="00:00:00:00:00:02", src="00:00:00:00:00:01",
               ip_src="10.0.0.1", ip_dst="10.0.0.2", sport=1000, dport=2000,
               payload=b"x" * 18):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, bytes(map(int, ip_src.split("."))),
                     bytes(map(int, ip_dst.split("."))))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return eth(dst, src, 0x0800) + ip + udp


def port_rx(sb, br, port):
    """rx packets of OpenFlow port 'port' from dump-ports."""
    out = sb.ofctl("-O", "OpenFlow13", "dump-ports", br, str(port))
    return int(re.search(r"rx pkts=(\d+)", out).group(1))


def port_tx(sb, br, port):
    """(tx packets, tx dropped) of OpenFlow port 'port' from dump-ports."""
    out = sb.ofctl("-O", "OpenFlow13", "dump-ports", br, str(port))
    m = re.search(r"tx pkts=(\d+), bytes=\d+, drop=(\d+)", out)
    return int(m.group(1)), int(m.group(2))


class Peer(VirtioPeer):
    """A testpmd virtio-user endpoint with a fixed MAC and extra testpmd
    arguments (e.g. --eth-peer)."""

    def __init__(self, env, path, mode, mac, extra=(), start=True):
        import subprocess
        import uuid
        self.prefix = "tp%s" % uuid.uuid4().hex[:8]
        vdev = "virtio_user0,path=%s,queues=1,mac=%s" % (path, mac)
        argv = ["stdbuf", "-o0", TESTPMD, "--lcores", "0@0,1@0",
                "--no-pci", "--single-file-segments",
                "--file-prefix=" + self.prefix,
                "-m", "128", "--vdev=" + vdev, "--", "-i",
                "--forward-mode=" + mode] + list(extra)
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


def free_tcp_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_osken(sb, app, port, log, env_extra=None, tls=None):
    """Runs osken-manager with 'app' (a file in osken_apps/) listening on
    127.0.0.1:'port'; 'tls' = (key, cert, ca) for an ssl listener."""
    import subprocess
    apps = os.path.join(os.path.dirname(__file__), "osken_apps", app)
    env = dict(sb.env, OSKEN_TEST_LOG=log)
    env.update(env_extra or {})
    argv = ["/usr/bin/python3", "/usr/bin/osken-manager",
            "--ofp-listen-host", "127.0.0.1"]
    if tls:
        argv += ["--ofp-ssl-listen-port", str(port),
                 "--ofp-tcp-listen-port", str(free_tcp_port()),
                 "--ctl-privkey", tls[0], "--ctl-cert", tls[1],
                 "--ca-certs", tls[2]]
    else:
        argv += ["--ofp-tcp-listen-port", str(port)]
    argv.append(apps)
    return sb.spawn("osken-%d" % port, argv, env=env)


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""
