"""PVP through ovs-nfv: testpmd virtio-user endpoints (dpdkvhostuser
ports) send into the switch, ovs-ofctl rules steer every packet through a
bridge VNF guest (two dpdkvhostuserclient ports, QEMU owns the sockets)
and out to the other endpoint; the endpoints, the OpenFlow rule counters
and the guest's own counters agree exactly.  Then the guest goes away and
comes back: its ports go down and reconnect by themselves, traffic
resumes, and a second pair of endpoints on the same switch keeps
forwarding all along.  One guest (TCG) for the module."""

import os
import time
import uuid

import pytest

from ofswitch import TESTPMD, n_packets, port_rx, port_tx
from sandbox import Sandbox, VirtioPeer, wait_for
from vnf_env import NfvVm, build_image, guest_counters, missing_tools

pytestmark = pytest.mark.skipif(
    bool(missing_tools()) or not os.path.exists(TESTPMD),
    reason=missing_tools() or "dpdk-testpmd not installed")

BR = "pvp%s" % uuid.uuid4().hex[:8]     # TAP names are host-wide.
VM = "pvp"
BURST = 32
# ep1 -> vnf_in -> guest eth0 ... guest eth1 -> vnf_out -> ep2, and the
# reverse path; ep3 <-> ep4 directly, never through the guest.
PORTS = [("ep1", 1), ("ep2", 2), ("vnf_in", 3), ("vnf_out", 4),
         ("ep3", 5), ("ep4", 6)]
FLOWS = ["in_port=ep1,actions=output:vnf_in",
         "in_port=vnf_out,actions=output:ep2",
         "in_port=ep2,actions=output:vnf_out",
         "in_port=vnf_in,actions=output:ep1",
         "in_port=ep3,actions=output:ep4",
         "in_port=ep4,actions=output:ep3"]
MACS = {"ep1": "02:00:00:00:01:01", "ep2": "02:00:00:00:01:02",
        "ep3": "02:00:00:00:01:03", "ep4": "02:00:00:00:01:04"}


class Pvp:
    def __init__(self, sb, vm, socks, eps):
        self.sb, self.vm, self.socks, self.eps = sb, vm, socks, eps

    def boot(self):
        t0 = time.time()
        self.vm.start(VM, "bridge",
                      [s + ",mode=server" for s in self.socks],
                      "--vnf-arg", "interval=1", "--mem", "256")
        self.boot_seconds = time.time() - t0
        wait_link(self.sb, ["vnf_in", "vnf_out"], "up", 30)
        print("guest ready in %.1f s, ports up after %.1f s"
              % (self.boot_seconds, time.time() - t0))
        # The guest logs its counters every second from now on.
        self.vm.wait_console(VM, r"NFV-COUNTERS eth1", timeout=20)

    def burst(self, src, dst, bursts, timeout=20):
        """ep 'src' sends 'bursts' x 32 frames to ep 'dst' (which is
        idle until then: what the switch sends it waits in its vring);
        returns (sent, received) from the two testpmds, waiting up to
        'timeout' seconds for all of them."""
        s, d = self.eps[src], self.eps[dst]
        s.command("set burst %d" % BURST)
        s.command("start tx_first %d" % bursts)
        time.sleep(0.5)
        _, tx = s.stop_forwarding()
        rx = 0
        deadline = time.time() + timeout
        while time.time() < deadline:
            d.command("start")
            time.sleep(0.5)
            got, _ = d.stop_forwarding()
            rx += got
            if rx >= tx:
                # Give stragglers (still inside the guest) a moment.
                time.sleep(1.0)
                d.command("start")
                time.sleep(0.5)
                rx += d.stop_forwarding()[0]
                break
        return tx, rx


def diag(pvp):
    """What the switch and the guest say, for assertion messages."""
    sb = pvp.sb
    return "\n".join([sb.ofctl("dump-flows", BR),
                      sb.ofctl("dump-ports", BR),
                      "\n".join(pvp.vm.console(VM).splitlines()[-6:])])


def iface_state(sb, name):
    return sb.iface_now(name, "link_state")


def wait_link(sb, names, state, timeout):
    ok = wait_for(lambda: all(iface_state(sb, n) == state for n in names),
                  timeout, interval=0.5,
                  what="%s link_state %s" % (names, state))
    assert ok


def flow_count(sb, match):
    """n_packets of the flow "in_port=NAME" (dump-flows prints numbers)."""
    name = match.split("=")[1]
    return n_packets(sb, BR, "in_port=%d " % dict(PORTS)[name])


@pytest.fixture(scope="module")
def pvp():
    image = build_image()
    sb = Sandbox("pvp")
    vm = NfvVm(os.path.join(sb.dir, "vms"), image)
    try:
        sb.start_ovsdb()
        sb.start_dpdk_vswitchd()
        sb.vsctl("add-br", BR, "--", "set", "Bridge", BR,
                 "datapath_type=netdev")
        socks = {}
        args = []
        for name, ofport in PORTS:
            args += ["--", "add-port", BR, name, "--", "set", "Interface",
                     name, "ofport_request=%d" % ofport]
            if name.startswith("vnf"):
                socks[name] = os.path.join(sb.dir, name + ".sock")
                args += ["type=dpdkvhostuserclient",
                         "options:vhost-server-path=" + socks[name]]
            else:
                socks[name] = os.path.join(sb.dir, name)
                args += ["type=dpdkvhostuser"]
        sb.vsctl(*args)
        sb.ofctl("del-flows", BR)
        for f in FLOWS:
            sb.ofctl("add-flow", BR, f)
        # The endpoints: rxonly, idle until told (start tx_first
        # sends, start drains what waits in the vring).
        eps = {}
        for ep, peer in (("ep1", "ep2"), ("ep2", "ep1"), ("ep3", "ep4"),
                         ("ep4", "ep3")):
            eps[ep] = VirtioPeer(sb, socks[ep], "rxonly", start=False,
                                 mac=MACS[ep], wait=False,
                                 extra=["--no-flush-rx", "--total-num-mbufs=2048",
                                        "--eth-peer=0,%s" % MACS[peer]])
        for p in eps.values():
            p.wait_ready()
        p = Pvp(sb, vm, [socks["vnf_in"], socks["vnf_out"]], eps)
        p.boot()
        yield p
    finally:
        vm.stop_all()
        sb.cleanup()


def guest_now(vm):
    """The guest's (eth0, eth1) counters once two fresh lines came."""
    n = vm.console(VM).count("NFV-COUNTERS eth1")
    wait_for(lambda: vm.console(VM).count("NFV-COUNTERS eth1") >= n + 2, 10,
             interval=0.2, what="guest counters")
    text = vm.console(VM)
    return guest_counters(text, "eth0"), guest_counters(text, "eth1")


def test_pvp_counters_agree(pvp):
    sb, vm = pvp.sb, pvp.vm
    assert [iface_state(sb, n) for n in ("ep1", "ep2", "vnf_in", "vnf_out")] \
        == ["up"] * 4
    f_in0 = flow_count(sb, "in_port=ep1")
    f_out0 = flow_count(sb, "in_port=vnf_out")
    vin0, vout0 = port_tx(sb, BR, 3), port_rx(sb, BR, 4)
    g0 = guest_now(vm)
    tx, rx = pvp.burst("ep1", "ep2", 4)
    assert tx == 4 * BURST
    assert rx == tx, diag(pvp)
    assert flow_count(sb, "in_port=ep1") - f_in0 == tx
    assert flow_count(sb, "in_port=vnf_out") - f_out0 == tx
    # dump-ports: all handed to the guest, none dropped, all back.
    vin1, vout1 = port_tx(sb, BR, 3), port_rx(sb, BR, 4)
    assert (vin1[0] - vin0[0], vin1[1] - vin0[1]) == (tx, 0)
    assert vout1 - vout0 == tx
    g1 = guest_now(vm)
    assert g1[0]["rx_packets"] - g0[0]["rx_packets"] == tx   # eth0 in
    assert g1[1]["tx_packets"] - g0[1]["tx_packets"] == tx   # eth1 out
    assert g1[0]["tx_packets"] == g0[0]["tx_packets"]
    assert g1[1]["rx_packets"] == g0[1]["rx_packets"]

    # And the reverse path: ep2 -> vnf_out -> guest eth1 -> eth0 -> ep1.
    r_in0 = flow_count(sb, "in_port=ep2")
    r_out0 = flow_count(sb, "in_port=vnf_in")
    tx, rx = pvp.burst("ep2", "ep1", 2)
    assert tx == 2 * BURST and rx == tx
    assert flow_count(sb, "in_port=ep2") - r_in0 == tx
    assert flow_count(sb, "in_port=vnf_in") - r_out0 == tx
    g2 = guest_now(vm)
    assert g2[1]["rx_packets"] - g1[1]["rx_packets"] == tx
    assert g2[0]["tx_packets"] - g1[0]["tx_packets"] == tx


def test_guest_restart_reconnects_while_other_ports_forward(pvp):
    sb, vm = pvp.sb, pvp.vm
    # The guest's QEMU goes away: it owned the sockets, so the client
    # ports lose their connection.
    vm.stop(VM)
    wait_link(sb, ["vnf_in", "vnf_out"], "down", 15)
    # The switch keeps forwarding between the other endpoints.
    direct0 = flow_count(sb, "in_port=ep3")
    tx, rx = pvp.burst("ep3", "ep4", 4)
    assert tx == 4 * BURST and rx == tx
    assert flow_count(sb, "in_port=ep3") - direct0 == tx
    # Traffic for the missing guest is dropped, not queued.
    f0, vin0 = flow_count(sb, "in_port=ep1"), port_tx(sb, BR, 3)
    tx, rx = pvp.burst("ep1", "ep2", 1, timeout=2)
    assert tx == BURST and rx == 0
    assert flow_count(sb, "in_port=ep1") - f0 == tx
    vin1 = port_tx(sb, BR, 3)
    print("vnf_in while the guest is down: tx +%d, drop +%d"
          % (vin1[0] - vin0[0], vin1[1] - vin0[1]))
    assert (vin1[0] - vin0[0], vin1[1] - vin0[1]) == (0, tx)

    # A new QEMU on the same sockets: the switch reconnects by itself.
    pvp.boot()          # A fresh console: this QEMU's boot only.
    assert "NFV-VNF-READY vnf=bridge" in vm.console(VM)
    f0 = flow_count(sb, "in_port=vnf_out")
    tx, rx = pvp.burst("ep1", "ep2", 4)
    assert tx == 4 * BURST and rx == tx
    assert flow_count(sb, "in_port=vnf_out") - f0 == tx
    # The other pair still forwards.
    tx, rx = pvp.burst("ep4", "ep3", 2)
    assert tx == 2 * BURST and rx == tx


def test_guest_reset_traffic_resumes(pvp):
    sb, vm = pvp.sb, pvp.vm
    offset = len(vm.console(VM))
    t0 = time.time()
    vm.run("reboot", VM, "--no-wait")
    # During the reset the direct pair forwards.
    tx, rx = pvp.burst("ep3", "ep4", 2)
    assert tx == 2 * BURST and rx == tx
    vm.wait_console(VM, r"NFV-VNF-READY", timeout=90, start=offset)
    wait_link(sb, ["vnf_in", "vnf_out"], "up", 30)
    vm.wait_console(VM, r"NFV-COUNTERS eth1", timeout=20, start=offset)
    f0 = flow_count(sb, "in_port=vnf_out")
    tx, rx = pvp.burst("ep1", "ep2", 4)
    assert tx == 4 * BURST and rx == tx, time.time() - t0
    assert flow_count(sb, "in_port=vnf_out") - f0 == tx
