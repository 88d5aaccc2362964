"""The OVSDB client (ovsdb/idl.c) against the real ovsdb-server.

Each test runs tests/ovsdb-idl-client, which prints what the IDL sees and
applies transactions, next to ovs-vsctl doing the same from the outside.
"""

import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

from fakeovsdb import FakeOvsdb
from ovsdbsandbox import IdlClient, OvsdbServer, client_program, wait_for

pytestmark = pytest.mark.skipif(not os.path.exists(client_program()),
                                reason="tests/ovsdb-idl-client not built")

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def server():
    with OvsdbServer() as srv:
        srv.start()
        yield srv


@pytest.fixture(scope="module")
def ssl_server():
    with OvsdbServer(ssl=True) as srv:
        srv.start()
        yield srv


def bridge_uuid(srv, name):
    return srv.vsctl("get", "Bridge", name, "_uuid")


def test_sees_changes_made_by_vsctl_over_unix(server):
    server.vsctl("--no-wait", "add-br", "br0")
    with IdlClient(server.unix_remote) as idl:
        first = idl.block(r"^change \d+ 1$")
        br0 = bridge_uuid(server, "br0")
        assert any(re.match(r"insert Bridge %s name=br0 " % br0, line)
                   for line in first)
        assert any(line.startswith("insert Open_vSwitch ") for line in first)

        server.vsctl("--no-wait", "set", "Bridge", "br0",
                     "external_ids:owner=test", "fail_mode=secure")
        block = idl.block(r"^modify Bridge %s " % br0)
        line = [x for x in block if x.startswith("modify Bridge")][0]
        assert "external_ids={owner=test}" in line
        assert "fail_mode=secure" in line
        assert "name=" not in line          # only changed columns

        server.vsctl("--no-wait", "add-port", "br0", "p1", "--",
                     "set", "Interface", "p1", "type=internal",
                     "options:k=v", "ofport_request=7")
        block = idl.block(r"^insert Interface .* name=p1")
        text = "\n".join(block)
        assert "ofport_request=7" in text
        assert "options={k=v}" in text
        assert re.search(r"insert Port .* name=p1", text)
        assert re.search(r"modify Bridge %s ports=" % br0, text)

        server.vsctl("--no-wait", "del-br", "br0")
        block = idl.block(r"^delete Bridge %s$" % br0)
        assert any(line.startswith("delete Port ") for line in block) or \
            idl.expect(r"^delete Port ")


def test_transactions_land_over_tcp(server):
    server.vsctl("--no-wait", "add-br", "br0")
    with IdlClient(server.tcp_remote) as idl:
        idl.expect(r"^change \d+ 1$")
        idl.expect("^end$")

        assert idl.transact("mapset Bridge br0 external_ids owner idl") \
            == ("success", None)
        assert server.vsctl("get", "Bridge", "br0",
                            "external_ids:owner") == "idl"
        assert idl.transact("mapset Bridge br0 external_ids owner") \
            == ("success", None)
        assert server.vsctl("get", "Bridge", "br0", "external_ids") == "{}"

        assert idl.transact('set Bridge br0 fail_mode "secure"') \
            == ("success", None)
        assert server.vsctl("get", "Bridge", "br0", "fail_mode") == "secure"
        assert idl.transact('set Bridge br0 fail_mode ["set", []]') \
            == ("success", None)
        assert server.vsctl("get", "Bridge", "br0", "fail_mode") == "[]"

        assert idl.transact("mutate Open_vSwitch . next_cfg += 3") \
            == ("success", None)
        assert server.vsctl("get", "Open_vSwitch", ".", "next_cfg") == "3"

        assert idl.transact("smap Interface br0 status a=1 b=two") \
            == ("success", None)
        assert server.vsctl("get", "Interface", "br0", "status") == \
            '{a="1", b=two}'
        assert idl.transact("smap Interface br0 statistics rx_packets=5 "
                            "bogus=x") == ("success", None)
        assert server.vsctl("get", "Interface", "br0", "statistics") == \
            "{rx_packets=5}"

        assert idl.transact("add-bridge br1") == ("success", None)
        assert server.vsctl("list-br").split() == ["br0", "br1"]
        assert server.vsctl("list-ports", "br1") == ""
        assert server.vsctl("get", "Interface", "br1", "type") == "internal"

        # The server rejects it: an error with the server's explanation.
        status, error = idl.transact('set Bridge br0 name "other"')
        assert status == "error"
        assert "immutable" in error

        # A verify on a value the replica still holds passes.
        assert idl.transact('verify-set Bridge br0 datapath_type "netdev"') \
            == ("success", None)
        assert server.vsctl("get", "Bridge", "br0", "datapath_type") == \
            "netdev"

        assert idl.transact("delete Bridge br1")[0] in ("success", "error")
        idl.send("views")
        idl.expect(r"^bridge br0 fail_mode=- datapath_type=netdev "
                   r"ports=br0\(br0:internal\)")


def test_only_comment_is_unchanged(server):
    with IdlClient(server.unix_remote) as idl:
        idl.expect(r"^change \d+ 1$")
        assert idl.transact("comment nothing to do") == ("unchanged", None)


def test_monitor_restricted_to_columns(server):
    server.vsctl("--no-wait", "add-br", "br0")
    with IdlClient(server.unix_remote, "--monitor=Bridge:name,fail_mode") \
            as idl:
        first = idl.block(r"^change \d+ 1$")
        assert not any("Open_vSwitch" in x or "Port" in x for x in first)
        rows = idl.dump()
        assert len(rows) == 1 and " name=br0" in rows[0]

        # An unmonitored column changes: no update at all.
        server.vsctl("--no-wait", "set", "Bridge", "br0",
                     "external_ids:x=y")
        # A monitored one: an update.
        server.vsctl("--no-wait", "set", "Bridge", "br0", "fail_mode=secure")
        block = idl.block(r"^modify Bridge ")
        assert "fail_mode=secure" in block[1]
        assert "external_ids" not in "\n".join(idl.output())


def test_ssl_connection(ssl_server):
    pki = ssl_server.pki_file
    with IdlClient(ssl_server.ssl_remote,
                   "--private-key=" + pki("client-key.pem"),
                   "--certificate=" + pki("client-cert.pem"),
                   "--ca-cert=" + pki("ca-cert.pem")) as idl:
        idl.expect("^connected$")
        idl.expect(r"^change \d+ 1$")
        assert idl.transact("mapset Open_vSwitch . external_ids via ssl") \
            == ("success", None)
        assert ssl_server.vsctl("get", "Open_vSwitch", ".",
                                "external_ids:via") == "ssl"


def test_ssl_untrusted_server_is_an_error_not_a_crash(ssl_server):
    pki = ssl_server.pki_file
    with tempfile.TemporaryDirectory() as other:
        from ovsdbsandbox import make_pki
        make_pki(other, names=("client",), ca_name="some other CA")
        # Our CA did not sign the server's certificate.
        with IdlClient(ssl_server.ssl_remote, "--max-backoff=1000",
                       "--private-key=" + os.path.join(other,
                                                       "client-key.pem"),
                       "--certificate=" + os.path.join(other,
                                                       "client-cert.pem"),
                       "--ca-cert=" + os.path.join(other, "ca-cert.pem")) \
                as idl:
            wait_for(lambda: any("rejected" in x for x in idl.stderr),
                     what="certificate rejection in the log")
            time.sleep(1.5)             # a retry or two
            assert idl.alive()
            assert "connected" not in idl.output()
            assert len([x for x in idl.stderr if "rejected" in x]) >= 2


def test_ssl_bootstrap_ca_cert():
    with OvsdbServer(ssl=True) as srv:
        srv.send_ca_in_chain()
        srv.start()
        pki = srv.pki_file
        ca = os.path.join(srv.dir, "bootstrapped-ca.pem")
        client_pki = ["--private-key=" + pki("client-key.pem"),
                      "--certificate=" + pki("client-cert.pem")]
        with IdlClient(srv.ssl_remote, *client_pki,
                       "--bootstrap-ca-cert=" + ca) as idl:
            idl.expect(r"^change \d+ 1$")
        with open(ca) as saved, open(pki("ca-cert.pem")) as real:
            assert saved.read() == real.read()
        # The saved file now works as an ordinary CA certificate.
        with IdlClient(srv.ssl_remote, *client_pki, "--ca-cert=" + ca) as idl:
            idl.expect(r"^change \d+ 1$")


def test_reconnect_and_resync_after_server_restart(server):
    server.vsctl("--no-wait", "add-br", "br0", "--", "add-br", "br1")
    br0 = bridge_uuid(server, "br0")
    br1 = bridge_uuid(server, "br1")
    with IdlClient(server.unix_remote, "--max-backoff=1000") as idl:
        idl.expect(r"^change \d+ 1$")
        idl.expect("^end$")

        server.stop(signal.SIGKILL)
        idl.expect("^disconnected$")
        # Changes made while the client is away.
        server.offline_edit("add-br", "br2", "--", "del-br", "br0", "--",
                            "set", "Bridge", "br1", "external_ids:k=v")
        server.start()
        idl.expect("^connected$", timeout=15)
        block = idl.block(r"^change \d+ 2$")
        text = "\n".join(block)
        assert re.search(r"^insert Bridge %s name=br2" % UUID, text, re.M)
        assert "delete Bridge %s" % br0 in text
        assert re.search(r"^modify Bridge %s external_ids=\{k=v\}$" % br1,
                         text, re.M)
        # Rows that did not change are not reported.
        assert not re.search(r"^(insert|modify) Bridge %s" % br0, text, re.M)
        assert not re.search(r"^insert Bridge %s" % br1, text, re.M)

        # And the new session works both ways.
        assert idl.transact("mapset Bridge br2 external_ids after restart") \
            == ("success", None)
        assert server.vsctl("get", "Bridge", "br2",
                            "external_ids:after") == "restart"


def test_reconnects_when_server_starts_late():
    with OvsdbServer() as srv:
        with IdlClient(srv.tcp_remote, "--max-backoff=1000") as idl:
            time.sleep(1.5)
            assert idl.alive() and "connected" not in idl.output()
            srv.start()
            idl.expect("^connected$", timeout=10)
            idl.expect(r"^change \d+ 1$")


# --- Against a scripted fake server. ---

BRIDGE_A = "11111111-2222-3333-4444-555555555555"
BRIDGE_B = "11111111-2222-3333-4444-666666666666"


def test_malformed_values_do_not_crash():
    def handler(method, params):
        if method == "monitor_cond":
            return ("result", {"Bridge": {
                BRIDGE_A: {"initial": {"name": "good",
                                       "external_ids": ["map", [["k", "v"]]]}},
                BRIDGE_B: {"initial": {"name": 42,
                                       "ports": ["set", [["uuid", "nope"]]],
                                       "external_ids": ["map", [["k"]]]}},
                "not-a-uuid": {"initial": {"name": "x"}},
            }, "NoSuchTable": {BRIDGE_A: {"initial": {}}}})
        return ("result", [])

    with FakeOvsdb(handler) as fake, IdlClient(fake.remote) as idl:
        block = idl.block(r"^change \d+ 1$")
        text = "\n".join(block)
        assert "insert Bridge %s name=good external_ids={k=v}" % BRIDGE_A \
            in text
        # The bad row is kept with its bad columns at their defaults.
        assert re.search(r"^insert Bridge %s$" % BRIDGE_B, text, re.M)

        fake.notify("update2", ["x", {"Bridge": {
            BRIDGE_A: {"modify": {"external_ids": ["map", [["k", 1]]],
                                  "fail_mode": "standalone"}},
            BRIDGE_B: {"modify": {"name": ["set", "bad"]}},
            "22222222-2222-3333-4444-555555555555": {"modify": {}},
        }}])
        fake.notify("update2", ["x", "garbage"])
        fake.notify("update2", ["x", {"Bridge": {
            BRIDGE_A: {"modify": {"external_ids": ["map", [["k", "v"],
                                                           ["n", "1"]]]}}}}])
        idl.block(r'^modify Bridge %s external_ids=\{n="1"\}$' % BRIDGE_A)
        rows = idl.dump("Bridge")
        assert any("fail_mode=standalone" in r for r in rows)

        # A message that is not JSON-RPC at all: the connection is dropped
        # and made again, with a resync.
        fake.notify("update2", "garbage")
        idl.expect("^disconnected$")
        idl.expect("^connected$")
        idl.block(r"^modify Bridge %s .*external_ids=\{k=v\}" % BRIDGE_A)
        assert idl.alive()


def test_falls_back_to_monitor_and_answers_echo():
    def handler(method, params):
        if method == "monitor_cond":
            return ("error", "unknown method")
        if method == "monitor":
            assert isinstance(params[2]["Bridge"], dict)
            return ("result", {"Bridge": {BRIDGE_A: {"new": {
                "name": "b", "ports": ["set", []]}}}})
        return None

    with FakeOvsdb(handler) as fake, IdlClient(fake.remote) as idl:
        idl.expect(r"^insert Bridge %s name=b$" % BRIDGE_A)
        idl.expect("^end$")
        # update (version 1) notifications: old/new.
        fake.notify("update", ["x", {"Bridge": {BRIDGE_A: {
            "old": {"name": "b"}, "new": {"name": "b", "fail_mode": "secure",
                                          "ports": ["set", []]}}}}])
        idl.expect(r"^modify Bridge %s fail_mode=secure$" % BRIDGE_A)
        fake.notify("update", ["x", {"Bridge": {BRIDGE_A: {
            "old": {"name": "b"}}}}])
        idl.expect(r"^delete Bridge %s$" % BRIDGE_A)
        # The server's echo is answered with the same params.
        fake.send({"method": "echo", "params": ["ping", 1], "id": "e7"})
        wait_for(lambda: any(m.get("id") == "e7" and
                             m.get("result") == ["ping", 1]
                             for m in fake.received),
                 what="echo reply")
        assert fake.methods()[:3] == ["get_schema", "monitor_cond",
                                      "monitor"]


def test_inactivity_probe_then_reconnect():
    def handler(method, params):
        if method == "monitor_cond":
            return ("result", {})
        return None                      # never answers our echo

    with FakeOvsdb(handler) as fake, \
            IdlClient(fake.remote, "--probe=1000",
                      "--max-backoff=1000") as idl:
        idl.expect("^connected$")
        start = time.monotonic()
        idl.expect("^disconnected$", timeout=10)
        elapsed = time.monotonic() - start
        # One interval of silence, an echo, another interval: ~2 s.
        assert 1.5 <= elapsed <= 6, elapsed
        assert "echo" in fake.methods()
        idl.expect("^connected$", timeout=10)
        wait_for(lambda: fake.connections >= 2, what="a second connection")


@pytest.mark.parametrize("kind", ["tcp", "ssl"])
def test_passive_remote_server_connects_to_us(kind):
    from ovsdbsandbox import free_port
    with OvsdbServer(ssl=(kind == "ssl")) as srv:
        port = free_port()
        options = []
        if kind == "ssl":
            pki = srv.pki_file
            options = ["--private-key=" + pki("client-key.pem"),
                       "--certificate=" + pki("client-cert.pem"),
                       "--ca-cert=" + pki("ca-cert.pem")]
        with IdlClient("p%s:%d:127.0.0.1" % (kind, port), *options) as idl:
            srv.start(extra_remotes=["--remote=%s:127.0.0.1:%d"
                                     % (kind, port)])
            srv.vsctl("--no-wait", "add-br", "brp")
            idl.expect("^connected$", timeout=15)
            idl.block(r"^insert Bridge %s name=brp" % UUID, timeout=15)
            assert idl.transact("mapset Bridge brp external_ids dir in") \
                == ("success", None)
            assert srv.vsctl("get", "Bridge", "brp",
                             "external_ids:dir") == "in"


def test_online_schema_conversion_is_followed(server):
    """ovsdb-client convert cancels monitors; the client reconnects, takes
    the new schema and shows the new column."""
    import json
    server.vsctl("--no-wait", "add-br", "br0")
    with open("/usr/share/openvswitch/vswitch.ovsschema") as f:
        schema = json.load(f)
    major, minor, patch = schema["version"].split(".")
    schema["version"] = "%s.%d.%s" % (major, int(minor) + 1, patch)
    schema["tables"]["Bridge"]["columns"]["nfv_extra"] = {
        "type": {"key": "string", "min": 0, "max": 1}}
    new_schema = os.path.join(server.dir, "new.ovsschema")
    with open(new_schema, "w") as f:
        json.dump(schema, f)

    with IdlClient(server.unix_remote) as idl:
        idl.expect(r"^change \d+ 1$")
        subprocess.run(["ovsdb-client", "convert", server.unix_remote,
                        new_schema], check=True, timeout=30)
        idl.expect("^connected$", timeout=15)
        idl.block(r"^insert Bridge %s name=br0" % UUID, timeout=15)
        # ovs-vsctl knows only its built-in schema: use ovsdb-client.
        def transact(*ops):
            return json.loads(subprocess.run(
                ["ovsdb-client", "transact", server.unix_remote,
                 json.dumps(["Open_vSwitch", *ops])], check=True,
                capture_output=True, text=True, timeout=30).stdout)

        where = [["name", "==", "br0"]]
        transact({"op": "update", "table": "Bridge", "where": where,
                  "row": {"nfv_extra": "hello"}})
        idl.block(r"^modify Bridge %s nfv_extra=hello$" % UUID)
        assert idl.transact('set Bridge br0 nfv_extra "bye"') \
            == ("success", None)
        result = transact({"op": "select", "table": "Bridge", "where": where,
                           "columns": ["nfv_extra"]})
        assert result[0]["rows"] == [{"nfv_extra": "bye"}]


def test_ssl_client_rejected_by_server_or_unconfigured(ssl_server):
    pki = ssl_server.pki_file
    with tempfile.TemporaryDirectory() as other:
        from ovsdbsandbox import make_pki
        make_pki(other, names=("client",), ca_name="some other CA")
        # We trust the server, but the server does not trust our CA.  With
        # TLS 1.3 the client may see its side of the handshake complete
        # before the server's alert (or just its close) arrives.
        with IdlClient(ssl_server.ssl_remote, "--max-backoff=1000",
                       "--private-key=" + os.path.join(other,
                                                       "client-key.pem"),
                       "--certificate=" + os.path.join(other,
                                                       "client-cert.pem"),
                       "--ca-cert=" + pki("ca-cert.pem")) as idl:
            wait_for(lambda: idl.output().count("disconnected") >= 2
                     or sum("fatal alert" in x for x in idl.stderr) >= 2,
                     timeout=15, what="rejected connection attempts")
            assert idl.alive()
            assert not any(x.startswith("change") for x in idl.output())
    # No TLS configuration at all: an error message, retries, no crash.
    with IdlClient(ssl_server.ssl_remote, "--max-backoff=1000") as idl:
        wait_for(lambda: any("needs a private key" in x for x in idl.stderr),
                 what="configuration error in the log")
        time.sleep(1.2)
        assert idl.alive()
