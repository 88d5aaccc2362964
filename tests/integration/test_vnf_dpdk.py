"""The dpdk-fwd VNF: dpdk-testpmd inside the guest forwards between its two
virtio-net PCI devices (uio_pci_generic, guest hugepages), between a
dpdk-testpmd 'switch' and pcap endpoints."""

import re

import pytest

from vnf_env import Rig, build_image, missing_tools

pytestmark = pytest.mark.skipif(bool(missing_tools()),
                                reason=missing_tools() or "-")


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    wd = str(tmp_path_factory.mktemp("vnf-dpdk"))
    r = Rig(wd, "dp", "dpdk-fwd", build_image(),
            vm_args=["--mem", "768", "--vnf-arg", "interval=2",
                     "--vnf-arg", "fwd=io"])
    try:
        r.boot()
        yield r
    finally:
        r.close()


def test_dpdk_forwarder_passes_traffic(rig):
    from scapy.all import Ether, IP, UDP, Raw
    pkts = [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
            / IP(src="10.3.0.1", dst="10.3.0.2") / UDP(sport=9, dport=9)
            / Raw(b"D%03d" % i) for i in range(64)]
    out, back, delta = rig.send(pkts, settle=3)
    assert len(out) == 64
    assert sorted(bytes(p) for p in out) == sorted(bytes(p) for p in pkts)
    # testpmd in the guest counts them on its port 0 (RX) and 1 (TX).
    def guest_stats():
        text = rig.vm.console("dp")
        rx = re.findall(r"NIC statistics for port 0.*?RX-packets:\s*(\d+)",
                        text, re.S)
        return int(rx[-1]) if rx else 0
    import time
    deadline = time.time() + 10
    while time.time() < deadline and guest_stats() < 64:
        time.sleep(0.5)
    assert guest_stats() == 64
