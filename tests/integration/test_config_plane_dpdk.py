"""Configuration plane with DPDK initialised: what ovs-vsctl reads back for
dpdk and vhost-user ports, and the errors of bad DPDK rows.  One daemon with
a small in-memory DPDK (no hugepage files left), one PMD on CPU 1."""

import os
import re
import shutil
import socket
import subprocess
import time

import pytest

from sandbox import wait_for
from test_config_plane import (add_internal_port, empty, row, timed_vsctl,
                               uniq)


@pytest.fixture
def dpdk_switch(sandbox):
    prefix = sandbox.dpdk_file_prefix("cp")
    sandbox.vsctl("--no-wait", "set", "Open_vSwitch", ".",
                  "other_config:dpdk-init=true",
                  "other_config:dpdk-lcore-mask=0x1",
                  "other_config:pmd-cpu-mask=0x2",
                  "other_config:dpdk-extra=--no-pci --in-memory -m 256 "
                  "--file-prefix=%s" % prefix)
    sandbox.start_vswitchd("ovs-nfv")
    br = uniq("nd")
    proc = timed_vsctl(sandbox, "add-br", br, limit=30)
    assert proc.returncode == 0, proc.stderr
    return sandbox, br


def test_dpdk_ports_write_back(dpdk_switch):
    sb, br = dpdk_switch
    ovs = row(sb, "Open_vSwitch", ".")
    assert ovs["dpdk_initialized"] is True
    assert ovs["dpdk_version"].startswith("DPDK 22.11")
    assert set(ovs["iface_types"]) >= {"dpdk", "dpdkvhostuser",
                                       "dpdkvhostuserclient", "internal"}

    # New interfaces are numbered in name order: these get 1, 2, 3.
    null, vhost, client = uniq("na"), uniq("nb"), uniq("nc")
    sock = os.path.join(sb.dir, client + ".sock")
    proc = timed_vsctl(
        sb, "add-port", br, null, "--", "set", "Interface", null,
        "type=dpdk", "options:dpdk-devargs=net_null%s" % null[2:], "--",
        "add-port", br, vhost, "--", "set", "Interface", vhost,
        "type=dpdkvhostuser", "--",
        "add-port", br, client, "--", "set", "Interface", client,
        "type=dpdkvhostuserclient", "options:vhost-server-path=" + sock,
        limit=30)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr

    n = row(sb, "Interface", null)
    assert n["ofport"] == 1 and empty(n["error"])
    assert n["admin_state"] == "up"
    assert n["status"]["driver_name"] == "net_null"
    assert "port_no" in n["status"] and "numa_id" in n["status"]
    assert "rx_packets" in n["statistics"]

    v = row(sb, "Interface", vhost)
    assert v["ofport"] == 2 and empty(v["error"]), v["error"]
    assert v["status"]["mode"] == "server"
    assert v["status"]["status"] == "disconnected"
    assert v["link_state"] == "down"
    assert os.path.exists(os.path.join(sb.dir, vhost))   # The socket.

    c = row(sb, "Interface", client)
    assert c["ofport"] == 3
    assert c["status"]["mode"] == "client"

    show = sb.appctl("dpif/show")
    assert re.search(r"^    %s 1/\d+: \(dpdk" % null, show, re.M), show


def test_bad_dpdk_rows_are_errors(dpdk_switch):
    sb, br = dpdk_switch
    nodev, garbage = uniq("nx"), uniq("ny")
    proc = timed_vsctl(sb, "add-port", br, nodev, "--", "set", "Interface",
                       nodev, "type=dpdk", limit=30)
    assert "Error detected while setting up '%s'" % nodev in proc.stderr
    i = row(sb, "Interface", nodev)
    assert i["ofport"] == -1 and "dpdk-devargs" in i["error"]

    proc = timed_vsctl(sb, "add-port", br, garbage, "--", "set",
                       "Interface", garbage, "type=dpdk",
                       "options:dpdk-devargs=garbage0", limit=30)
    assert "Error detected while setting up '%s'" % garbage in proc.stderr
    assert "garbage0" in row(sb, "Interface", garbage)["error"]

    # A good port next to them works, and fixing a row brings it up.
    timed_vsctl(sb, "set", "Interface", nodev,
                "options:dpdk-devargs=net_null%s" % nodev[2:], limit=30)
    i = row(sb, "Interface", nodev)
    assert i["ofport"] >= 1 and empty(i["error"])

    # A bad PMD mask is a log line, not a crash.
    timed_vsctl(sb, "set", "Open_vSwitch", ".",
                "other_config:pmd-cpu-mask=zzz", limit=30)
    assert "pmd-cpu-mask" in sb.log()
    assert sb.appctl("version")
    assert row(sb, "Interface", nodev)["ofport"] >= 1


def send_frames(ifname, count):
    """Sends 'count' broadcast Ethernet frames out of host device 'ifname'
    (into the switch, for an internal port)."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        frame = (b"\xff" * 6 + bytes.fromhex("020000000001") + b"\x88\xb5"
                 + b"ovs-nfv test".ljust(46, b"\0"))
        for _ in range(count):
            s.send(frame)


def test_interface_statistics_are_refreshed(dpdk_switch):
    # Internal ports move packets through DPDK rings: DPDK is needed.
    sb, br = dpdk_switch
    p = uniq("ns")
    add_internal_port(sb, br, p)
    subprocess.run(["ip", "link", "set", p, "up"], check=True)
    wait_for(lambda: row(sb, "Interface", p)["admin_state"] == "up",
             timeout=5, what="admin_state up")
    start = time.monotonic()
    send_frames(p, 5)
    # Refreshed every stats-update-interval (5 s by default).
    stats = wait_for(
        lambda: (lambda st: st if st.get("rx_packets", 0) >= 5 else None)(
            row(sb, "Interface", p)["statistics"]),
        timeout=12, interval=0.2, what="rx_packets to reach 5")
    assert stats["rx_bytes"] >= 5 * 60
    assert time.monotonic() - start < 11


def test_dpdk_enabled_at_run_time_brings_waiting_ports_up(vswitchd):
    sb = vswitchd
    br, port = uniq("nb"), uniq("nw")
    proc = timed_vsctl(sb, "add-br", br, "--", "add-port", br, port, "--",
                       "set", "Interface", port, "type=dpdk",
                       "options:dpdk-devargs=net_null%s" % port[2:])
    assert "Error detected while setting up '%s'" % port in proc.stderr
    assert "dpdk-init" in row(sb, "Interface", port)["error"]
    assert row(sb, "Open_vSwitch", ".")["dpdk_initialized"] is False

    prefix = sb.dpdk_file_prefix("rt")
    proc = timed_vsctl(sb, "set", "Open_vSwitch", ".",
                       "other_config:dpdk-init=true",
                       "other_config:dpdk-lcore-mask=0x1",
                       "other_config:pmd-cpu-mask=0x2",
                       "other_config:dpdk-extra=--no-pci --in-memory -m 256 "
                       "--file-prefix=%s" % prefix, limit=30)
    assert proc.returncode == 0, proc.stderr
    i = row(sb, "Interface", port)
    assert i["ofport"] == 1 and empty(i["error"])
    ovs = row(sb, "Open_vSwitch", ".")
    assert ovs["dpdk_initialized"] is True
    assert ovs["dpdk_version"].startswith("DPDK 22.11")


def frames_cross(src, dst, tag, count=3, timeout=3.0):
    """Sends frames with payload 'tag' into the switch through host device
    'src' and returns how many of them came out of host device 'dst'."""
    payload = ("ovs-nfv %s" % tag).encode().ljust(46, b"\0")
    frame = (b"\xff" * 6 + bytes.fromhex("020000000002") + b"\x88\xb5"
             + payload)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                       socket.htons(0x88b5)) as rx:
        rx.bind((dst, 0))
        rx.settimeout(0.2)
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as tx:
            tx.bind((src, 0))
            for _ in range(count):
                tx.send(frame)
        seen = 0
        deadline = time.monotonic() + timeout
        while seen < count and time.monotonic() < deadline:
            try:
                data = rx.recv(2048)
            except socket.timeout:
                continue
            if payload in data:
                seen += 1
        return seen


def test_forwarding_continues_while_ovsdb_is_down(dpdk_switch):
    sb, br = dpdk_switch
    a, b = uniq("na"), uniq("nb")
    add_internal_port(sb, br, a)
    add_internal_port(sb, br, b)
    for name in (a, b):
        subprocess.run(["ip", "link", "set", name, "up"], check=True)
    assert frames_cross(a, b, "before") == 3

    sb.stop_ovsdb()
    time.sleep(0.5)
    assert frames_cross(a, b, "during") == 3
    assert sb.appctl("version")

    sb.restart_ovsdb()
    c = uniq("nc")
    wait_for(lambda: sb.vsctl("show", check=False), timeout=10,
             what="ovsdb-server back")
    add_internal_port(sb, br, c)
    assert frames_cross(a, b, "after") == 3


TESTPMD = shutil.which("dpdk-testpmd") or "/usr/bin/dpdk-testpmd"


@pytest.mark.skipif(not os.path.exists(TESTPMD),
                    reason="dpdk-testpmd not installed")
def test_vhost_connection_shows_in_interface_row(dpdk_switch):
    sb, br = dpdk_switch
    port = uniq("nv")
    proc = timed_vsctl(sb, "add-port", br, port, "--", "set", "Interface",
                       port, "type=dpdkvhostuser", limit=30)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    i = row(sb, "Interface", port)
    assert i["link_state"] == "down"
    assert i["status"]["status"] == "disconnected"

    # A virtio-user "guest" (testpmd on CPU 0) connects to the socket.
    prefix = sb.dpdk_file_prefix("vu")
    guest = sb.spawn("testpmd", [
        TESTPMD, "--lcores", "0@0,1@0", "--no-pci", "--single-file-segments",
        "--file-prefix=" + prefix, "-m", "128",
        "--vdev=virtio_user0,path=%s" % os.path.join(sb.dir, port),
        "--", "--forward-mode=rxonly"], stdin=subprocess.PIPE)
    wait_for(lambda: row(sb, "Interface", port)["link_state"] == "up",
             timeout=30, what="link_state up once the guest is there")
    wait_for(lambda: row(sb, "Interface", port)["status"].get("status")
             == "connected", timeout=5, what="status:status=connected")

    guest.terminate()
    guest.wait(20)
    wait_for(lambda: row(sb, "Interface", port)["link_state"] == "down",
             timeout=10, what="link_state down once the guest left")
    assert row(sb, "Interface", port)["status"]["status"] == "disconnected"
