"""The daemon skeleton: command line, logging, control socket, shutdown."""

import os
import re
import signal
import subprocess
import time

import pytest

from sandbox import OVSNFV_VSWITCHD, wait_for

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|\d{5}\|"
                      r"[a-z_]+(\([^)]*\))?\|(EMER|ERR|WARN|INFO|DBG)\|.*$")


def test_version():
    out = subprocess.run([OVSNFV_VSWITCHD, "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("ovs-vswitchd (ovs-nfv) ")
    assert "DPDK 22.11" in out


def test_help_names_every_option():
    out = subprocess.run([OVSNFV_VSWITCHD, "--help"], capture_output=True,
                         text=True, check=True).stdout
    for opt in ("--pidfile", "--detach", "--no-chdir", "--log-file",
                "--unixctl", "--verbose", "--mlockall", "--version",
                "--help", "OVS_RUNDIR"):
        assert opt in out


def test_bad_option_fails():
    proc = subprocess.run([OVSNFV_VSWITCHD, "--no-such-option"],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "no-such-option" in proc.stderr


def test_bad_verbose_spec_fails():
    proc = subprocess.run([OVSNFV_VSWITCHD, "-vnosuchmodule:file:dbg"],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert 'no destination, level, or module "nosuchmodule"' in proc.stderr


def test_start_writes_pidfile_log_and_socket(vswitchd):
    pid = vswitchd.pid_of("ovs-vswitchd")
    assert pid and os.path.exists(vswitchd.ctl_path(pid))
    log = vswitchd.log()
    lines = [l for l in log.splitlines() if l]
    assert lines, "log file is empty"
    for line in lines:
        assert LOG_LINE.match(line), line
    assert "starting" in log


def test_appctl_builtins(vswitchd):
    assert vswitchd.appctl("version").startswith("ovs-vswitchd (ovs-nfv) ")
    commands = vswitchd.appctl("list-commands")
    assert commands.startswith("The available commands are:\n")
    for name in ("exit", "version", "vlog/list", "vlog/set", "vlog/reopen",
                 "vlog/close", "coverage/show", "list-commands"):
        assert re.search(r"^  %s\b" % re.escape(name), commands, re.M), name
    cov = vswitchd.appctl("coverage/show")
    assert cov.startswith("Event coverage, avg rate over last:")
    assert re.search(r"^unixctl_received +\S+/sec", cov, re.M)


def test_unknown_command_is_an_error(vswitchd):
    proc = vswitchd.run(["ovs-appctl", "no/such/command"], check=False)
    assert proc.returncode != 0
    assert '"no/such/command" is not a valid command' in proc.stderr


def test_argument_count_is_checked(vswitchd):
    proc = vswitchd.run(["ovs-appctl", "version", "extra"], check=False)
    assert proc.returncode != 0
    assert '"version" command takes at most 0 arguments' in proc.stderr


def test_vlog_set_and_list(vswitchd):
    before = vswitchd.appctl("vlog/list")
    assert before.splitlines()[0].split() == ["console", "syslog", "file"]
    vswitchd.appctl("vlog/set", "unixctl:file:dbg")
    row = [l for l in vswitchd.appctl("vlog/list").splitlines()
           if l.startswith("unixctl ")][0]
    assert row.split()[1:] == [row.split()[1], row.split()[2], "DBG"]
    proc = vswitchd.run(["ovs-appctl", "vlog/set", "unixctl:nowhere"],
                        check=False)
    assert proc.returncode != 0
    assert 'no destination, level, or module "nowhere"' in proc.stderr
    # Debug lines now reach the file.
    vswitchd.appctl("vlog/set", "jsonrpc:file:dbg")
    vswitchd.appctl("version")
    assert "|jsonrpc|DBG|" in vswitchd.log()


def test_log_reopen_after_rotation(vswitchd):
    log = os.path.join(vswitchd.dir, "ovs-vswitchd.log")
    os.rename(log, log + ".1")
    vswitchd.appctl("vlog/reopen")
    wait_for(lambda: os.path.exists(log), what="reopened log")
    # SIGHUP also reopens.
    os.rename(log, log + ".2")
    os.kill(vswitchd.pid_of("ovs-vswitchd"), signal.SIGHUP)
    wait_for(lambda: os.path.exists(log), what="log reopened on SIGHUP")
    vswitchd.appctl("vlog/close")
    size = os.path.getsize(log)
    vswitchd.appctl("vlog/set", "ANY:file:dbg")
    vswitchd.appctl("version")
    assert os.path.getsize(log) == size


@pytest.mark.parametrize("how", ["exit", "SIGTERM", "SIGINT"])
def test_clean_shutdown(vswitchd, how):
    pid = vswitchd.pid_of("ovs-vswitchd")
    ctl = vswitchd.ctl_path(pid)
    pidfile = os.path.join(vswitchd.dir, "ovs-vswitchd.pid")
    if how == "exit":
        vswitchd.appctl("exit")
    else:
        os.kill(pid, getattr(signal, how))
    wait_for(lambda: not os.path.exists("/proc/%d" % pid)
             or open("/proc/%d/stat" % pid).read().split()[2] == "Z",
             what="daemon exit")
    assert not os.path.exists(pidfile)
    assert not os.path.exists(ctl)
    assert "exiting" in vswitchd.log()


def test_crash_leaves_a_log_line(vswitchd):
    pid = vswitchd.pid_of("ovs-vswitchd")
    os.kill(pid, signal.SIGSEGV)
    wait_for(lambda: "caught signal 11" in vswitchd.log(), what="crash log")
    assert "backtrace" in vswitchd.log()


def test_second_instance_refuses_to_start(vswitchd):
    proc = vswitchd.run([OVSNFV_VSWITCHD, vswitchd.remote, "--pidfile",
                         "--log-file", "--unixctl=second.ctl"], check=False)
    assert proc.returncode != 0
    assert "already running" in vswitchd.log()
    # The first one still answers.
    assert vswitchd.appctl("version")


def test_foreground_console_logging(sandbox):
    proc = sandbox.spawn("fg", [OVSNFV_VSWITCHD, sandbox.remote,
                                "--unixctl=fg.ctl", "-vconsole:info"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    ctl = os.path.join(sandbox.dir, "fg.ctl")
    wait_for(lambda: os.path.exists(ctl), what="control socket")
    sandbox.run(["ovs-appctl", "-t", ctl, "exit"])
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    first = err.splitlines()[0]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|\d{5}\|", first), first


def test_peer_daemon_runs_in_the_same_sandbox(sandbox):
    """The fixtures can run Debian's OVS-DPDK instead of ovs-nfv."""
    sandbox.start_vswitchd("ovs-dpdk")
    assert "Open vSwitch" in sandbox.appctl("version")
    sandbox.vsctl("add-br", "br0", "--", "set", "bridge", "br0",
                  "datapath_type=netdev")
    assert "Bridge br0" in sandbox.vsctl("show")
