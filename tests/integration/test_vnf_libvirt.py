"""The same bridge VNF guest booted through libvirt (nfv-vm --libvirt):
domain XML with vhostuser interfaces and shared memfd memory, vCPU pinning
with <vcpupin>, and traffic through it from the testpmd 'switch'."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time

import pytest

from vnf_env import Rig, build_image, missing_tools

pytestmark = pytest.mark.skipif(bool(missing_tools()),
                                reason=missing_tools() or "-")


def _pidof(name):
    r = subprocess.run(["pidof", name], stdout=subprocess.PIPE,
                       universal_newlines=True)
    return r.stdout.split()


@pytest.fixture(scope="module")
def libvirt():
    """libvirtd and virtlogd (started here with -d if absent: no systemd)."""
    for tool in ("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/virsh"):
        if not os.path.exists(tool):
            pytest.skip("%s not installed (libvirt-daemon-system, "
                        "libvirt-clients)" % tool)
    try:
        pwd.getpwnam("libvirt-qemu")
    except KeyError:
        pytest.skip("no libvirt-qemu user")
    started = []
    hugepage_dir_existed = os.path.exists("/dev/hugepages/libvirt")
    for daemon in ("virtlogd", "libvirtd"):
        if not _pidof(daemon):
            subprocess.run(["/usr/sbin/" + daemon, "-d"], check=True)
            started.append(daemon)
    deadline = time.time() + 10
    while time.time() < deadline:
        r = subprocess.run(["virsh", "-c", "qemu:///system", "version"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode == 0:
            break
        time.sleep(0.3)
    else:
        pytest.skip("libvirtd does not answer on qemu:///system")
    yield
    for daemon in started:
        for pid in _pidof(daemon):
            os.kill(int(pid), 15)
    # libvirtd creates /dev/hugepages/libvirt/qemu when it starts.
    if not hugepage_dir_existed:
        shutil.rmtree("/dev/hugepages/libvirt", ignore_errors=True)


@pytest.fixture(scope="module")
def rig(libvirt):
    # QEMU runs as libvirt-qemu and creates the vhost-user sockets (server
    # mode): their directory must be reachable and writable for that user,
    # which pytest's private 0700 temp directories are not.
    wd = tempfile.mkdtemp(prefix="nfv-libvirt-", dir="/tmp")
    os.chmod(wd, 0o755)
    pw = pwd.getpwnam("libvirt-qemu")
    os.chown(wd, pw.pw_uid, pw.pw_gid)
    r = None
    try:
        r = Rig(wd, "lvbr", "bridge", build_image(),
                vm_args=["--libvirt", "--vnf-arg", "interval=2"])
        r.boot()
        yield r
    finally:
        if r:
            r.close()
        shutil.rmtree(wd, ignore_errors=True)


def test_libvirt_domain_definition(rig):
    xml = subprocess.run(["virsh", "-c", "qemu:///system", "dumpxml",
                          "nfv-lvbr"], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    assert "<domain type='qemu'" in xml
    assert xml.count("<interface type='vhostuser'>") == 2
    assert "<source type='memfd'/>" in xml and "<access mode='shared'/>" in xml
    assert "<vcpupin vcpu='0' cpuset='0'/>" in xml
    assert "opt/nfv/config" in xml


def test_libvirt_guest_passes_traffic(rig):
    from scapy.all import Ether, IP, UDP, Raw
    pkts = [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
            / IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=5, dport=6)
            / Raw(b"L%03d" % i) for i in range(60)]
    out, back, delta = rig.send(pkts)
    assert len(out) == 60
    assert sorted(bytes(p) for p in out) == sorted(bytes(p) for p in pkts)
    assert delta[2]["rx"] == 60 and back == []


def test_libvirt_stop_removes_domain(rig):
    rig.vm.run("stop", "lvbr")
    rig.vm.started = []
    r = subprocess.run(["virsh", "-c", "qemu:///system", "list", "--all",
                        "--name"], stdout=subprocess.PIPE,
                       universal_newlines=True)
    assert "nfv-lvbr" not in r.stdout
    assert not os.path.exists("/var/lib/libvirt/images/nfv-vm/lvbr")
