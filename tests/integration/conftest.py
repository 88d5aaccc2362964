"""Shared pytest fixtures: every test gets private sandboxes."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from sandbox import Sandbox, uniq  # noqa: E402


@pytest.fixture
def sandbox(request):
    """A private directory with a fresh ovsdb-server, no daemon yet."""
    sb = Sandbox(request.node.name[:20])
    try:
        sb.start_ovsdb()
        yield sb
    finally:
        failed = getattr(request.node, "rep_call", None)
        keep = bool(os.environ.get("OVSNFV_KEEP_SANDBOX")) and failed \
            and failed.failed
        sb.cleanup(keep_dir=keep)


@pytest.fixture
def vswitchd(sandbox):
    """The sandbox with ovs-nfv's ovs-vswitchd running."""
    sandbox.start_vswitchd("ovs-nfv")
    return sandbox


@pytest.fixture
def dpdk_vswitchd(sandbox):
    """The sandbox with ovs-nfv's ovs-vswitchd running a small in-memory
    DPDK: main lcore on CPU 0, one PMD on CPU 1."""
    sandbox.start_dpdk_vswitchd()
    return sandbox


@pytest.fixture
def dpdk_bridge(dpdk_vswitchd):
    """dpdk_vswitchd with one netdev bridge (a random name: its TAP device
    is host-wide); yields (sandbox, bridge name)."""
    br = uniq("dp")
    dpdk_vswitchd.vsctl("add-br", br, "--", "set", "Bridge", br,
                        "datapath_type=netdev")
    return dpdk_vswitchd, br


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
