"""Shared pytest fixtures: every test gets private sandboxes."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from sandbox import Sandbox  # noqa: E402


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


@pytest.fixture(scope="module")
def shared_dpdk_switch(request):
    """One ovs-nfv daemon with DPDK (as dpdk_vswitchd) in a private sandbox
    for a whole test module: starting DPDK once saves about a second per
    test.  Use it through dpdk_bridge, which gives each test its own
    bridge and removes it afterwards."""
    sb = Sandbox(request.module.__name__[:20])
    try:
        sb.start_ovsdb()
        sb.start_dpdk_vswitchd()
        yield sb
    finally:
        sb.cleanup()


@pytest.fixture
def dpdk_bridge(shared_dpdk_switch):
    """A netdev bridge with a random name (its TAP device is host-wide) on
    the module's DPDK switch, PMD statistics cleared; yields (sandbox,
    bridge name).  Afterwards the bridge with its ports and every testpmd
    peer the test started are gone."""
    with shared_dpdk_switch.fresh_bridge() as br:
        yield shared_dpdk_switch, br


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
