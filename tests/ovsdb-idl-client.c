/* ovsdb-idl-client: a small driver for the IDL, used by the integration
 * tests (tests/integration/test_ovsdb_idl.py).
 *
 * usage: ovsdb-idl-client [OPTIONS] REMOTE
 *
 * It connects to REMOTE, prints one line per event on stdout (flushed at
 * once), and reads commands from stdin, one per line.
 *
 * Events:
 *   connected | disconnected
 *   change SEQNO NCONNECTS        then one line per tracked row:
 *     insert TABLE UUID COL=VALUE...   (non-default columns)
 *     modify TABLE UUID COL=VALUE...   (changed columns)
 *     delete TABLE UUID
 *   end
 *   txn ID STATUS [ERROR]         outcome of a transaction command
 *   ok | error TEXT              result of other commands
 *
 * Commands (ROW is a uuid, a row's "name" or "target" value, or "." for
 * the only/first row of the table; VALUE is OVSDB JSON, rest of the line):
 *   dump [TABLE]                   row lines as for insert, then "end"
 *   set TABLE ROW COLUMN VALUE     write a column
 *   mapset TABLE ROW COLUMN KEY [VALUE]  set (or delete) one map key
 *   smap TABLE ROW COLUMN K=V...   replace a map column
 *   mutate TABLE ROW COLUMN MUTATOR VALUE
 *   delete TABLE ROW
 *   verify-set TABLE ROW COLUMN VALUE   wait on COLUMN's value, then write
 *   add-bridge NAME                insert Bridge+Port+Interface, link it to
 *                                  Open_vSwitch (named uuids)
 *   comment TEXT
 *   reconnect                      force a reconnect
 *   views                          print the vswitch-rec views summary
 *   quit
 *
 * Options:
 *   --db=NAME          database (default Open_vSwitch)
 *   --monitor=TABLE[:COL,COL...]   restrict monitoring (repeatable)
 *   --probe=MS         inactivity probe interval
 *   --max-backoff=MS   reconnect back-off limit
 *   --quiet-changes    print only "change SEQNO NCONNECTS", not rows
 *   plus the TLS options of stream-ssl. */
#include <config.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ovsdb/idl.h"
#include "ovsdb/vswitch-rec.h"
#include "stream/stream-ssl.h"
#include "util/dstr.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

static struct ovsdb_idl *idl;
static bool quiet_changes;
static unsigned int next_txn_id;

static void
out(const char *fmt, ...) PRINTF_FMT(1, 2);

static void
out(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

/* "COL=VALUE" for each column of 'row' that is non-default (all) or
 * changed (only_changed). */
static void
row_text(const struct ovsdb_idl_row *row, bool only_changed, struct dstr *s)
{
    const struct ovsdb_idl_table *t = row->table;
    for (size_t i = 0; i < t->n_columns; i++) {
        const struct ovsdb_idl_column *c = &t->columns[i];
        if (only_changed ? !row->changed[i] : false) {
            continue;
        }
        if (!only_changed) {
            struct ovsdb_datum def;
            ovsdb_datum_init_default(&def, &c->type);
            bool is_def = ovsdb_datum_equals(&row->data[i], &def, &c->type);
            ovsdb_datum_destroy(&def, &c->type);
            if (is_def) {
                continue;
            }
        }
        dstr_printf(s, " %s=", c->name);
        ovsdb_datum_to_text(&row->data[i], &c->type, s);
    }
}

static void
print_row(const char *what, const struct ovsdb_idl_row *row,
          bool only_changed)
{
    struct dstr s;
    char buf[UUID_LEN + 1];
    dstr_init(&s);
    dstr_printf(&s, "%s %s %s", what, row->table->name,
                uuid_to_string(&row->uuid, buf));
    row_text(row, only_changed, &s);
    out("%s", dstr_cstr(&s));
    dstr_destroy(&s);
}

static void
on_change(struct ovsdb_idl *idl_, void *aux)
{
    out("change %" PRIu64 " %u", ovsdb_idl_get_seqno(idl_),
        ovsdb_idl_get_n_connects(idl_));
    if (!quiet_changes) {
        for (size_t i = 0; i < ovsdb_idl_n_tables(idl_); i++) {
            struct ovsdb_idl_table *t = ovsdb_idl_table_at(idl_, i);
            struct ovsdb_idl_row *row;
            OVSDB_IDL_FOR_EACH_TRACKED (row, t) {
                if (ovsdb_idl_row_is_deleted(row)) {
                    char buf[UUID_LEN + 1];
                    out("delete %s %s", t->name,
                        uuid_to_string(&row->uuid, buf));
                } else if (ovsdb_idl_row_is_new(row)) {
                    print_row("insert", row, false);
                } else {
                    print_row("modify", row, true);
                }
            }
        }
    }
    out("end");
    ovsdb_idl_track_clear(idl_);
}

static void
on_connection(struct ovsdb_idl *idl_, bool connected, void *aux)
{
    out("%s", connected ? "connected" : "disconnected");
}

static const struct ovsdb_idl_cbs cbs = {
    .on_change = on_change,
    .on_connection = on_connection,
};

/* Finds ROW of TABLE: uuid, name/target value, or ".". */
static const struct ovsdb_idl_row *
find_row(const char *table_name, const char *spec)
{
    const struct ovsdb_idl_table *t = ovsdb_idl_get_table(idl, table_name);
    struct uuid uuid;
    if (!t) {
        return NULL;
    }
    if (uuid_from_string(&uuid, spec)) {
        return ovsdb_idl_table_get_row(t, &uuid);
    }
    const struct ovsdb_idl_row *row;
    OVSDB_IDL_FOR_EACH_ROW (row, t) {
        if (!strcmp(spec, ".")) {
            return row;
        }
        const char *name = ovsdb_idl_row_get_string(row, "name", NULL);
        const char *target = ovsdb_idl_row_get_string(row, "target", NULL);
        if ((name && !strcmp(name, spec)) || (target && !strcmp(target,
                                                                 spec))) {
            return row;
        }
    }
    return NULL;
}

static void
txn_done(struct ovsdb_idl_txn *txn, enum ovsdb_idl_txn_status status,
         const char *error, const json_t *result, void *aux)
{
    unsigned int id = (uintptr_t) aux;
    out("txn %u %s%s%s", id, ovsdb_idl_txn_status_to_string(status),
        error ? " " : "", error ? error : "");
}

static void
commit(struct ovsdb_idl_txn *txn)
{
    unsigned int id = ++next_txn_id;
    out("commit %u", id);
    ovsdb_idl_txn_commit(txn, txn_done, (void *) (uintptr_t) id);
}

/* Parses VALUE for COLUMN of ROW's table into 'datum'. */
static bool
parse_value(const struct ovsdb_idl_row *row, const char *column_name,
            const char *text, struct ovsdb_datum *datum,
            const struct ovsdb_idl_column **columnp)
{
    const struct ovsdb_idl_column *column
        = ovsdb_idl_table_get_column(row->table, column_name);
    if (!column) {
        out("error unknown column %s", column_name);
        return false;
    }
    json_error_t jerr;
    json_t *json = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!json) {
        out("error bad JSON: %s", jerr.text);
        return false;
    }
    char *err = NULL;
    int error = ovsdb_datum_from_json(datum, &column->type, json, NULL, NULL,
                                      &err);
    json_decref(json);
    if (error) {
        out("error %s", err);
        free(err);
        return false;
    }
    *columnp = column;
    return true;
}

static void
add_bridge(const char *name)
{
    const struct ovsdb_idl_row *ovs = find_row("Open_vSwitch", ".");
    if (!ovs) {
        out("error no Open_vSwitch row");
        return;
    }
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    struct ovsdb_type str = ovsdb_type_scalar(OVSDB_TYPE_STRING);
    struct ovsdb_type ref = ovsdb_type_set(OVSDB_TYPE_UUID);
    struct ovsdb_datum d_name, d_type, d_ref;
    ovsdb_datum_from_string(&d_name, name);
    ovsdb_datum_from_string(&d_type, "internal");

    struct uuid iface = ovsdb_idl_txn_insert(txn, "Interface");
    ovsdb_idl_txn_write_uuid(txn, "Interface", &iface, "name", &d_name);
    ovsdb_idl_txn_write_uuid(txn, "Interface", &iface, "type", &d_type);

    struct uuid port = ovsdb_idl_txn_insert(txn, "Port");
    ovsdb_idl_txn_write_uuid(txn, "Port", &port, "name", &d_name);
    ovsdb_datum_from_uuid(&d_ref, &iface);
    ovsdb_idl_txn_write_uuid(txn, "Port", &port, "interfaces", &d_ref);
    ovsdb_datum_destroy(&d_ref, &ref);

    struct uuid br = ovsdb_idl_txn_insert(txn, "Bridge");
    ovsdb_idl_txn_write_uuid(txn, "Bridge", &br, "name", &d_name);
    ovsdb_datum_from_uuid(&d_ref, &port);
    ovsdb_idl_txn_write_uuid(txn, "Bridge", &br, "ports", &d_ref);
    ovsdb_datum_destroy(&d_ref, &ref);

    ovsdb_datum_from_uuid(&d_ref, &br);
    ovsdb_idl_txn_mutate_datum(txn, ovs, "bridges", "insert", &d_ref);
    ovsdb_datum_destroy(&d_ref, &ref);
    ovsdb_datum_destroy(&d_name, &str);
    ovsdb_datum_destroy(&d_type, &str);
    ovsdb_idl_txn_add_comment(txn, "ovsdb-idl-client: add-bridge %s", name);
    commit(txn);
}

static void
print_views(void)
{
    struct vsrec_db *db = vsrec_db_build(idl);
    const struct vsrec_bridge *br;
    if (db->open_vswitch) {
        out("open_vswitch next_cfg=%" PRId64 " cur_cfg=%" PRId64
            " bridges=%zu ssl=%s", db->open_vswitch->next_cfg,
            db->open_vswitch->cur_cfg, db->open_vswitch->n_bridges,
            db->open_vswitch->ssl ? "set" : "none");
    }
    VSREC_FOR_EACH (br, &db->bridges) {
        struct dstr s;
        dstr_init(&s);
        dstr_printf(&s, "bridge %s fail_mode=%s datapath_type=%s ports=",
                    br->name, br->fail_mode ? br->fail_mode : "-",
                    br->datapath_type);
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct vsrec_port *p = br->ports[i];
            dstr_printf(&s, "%s%s(", i ? "," : "", p->name);
            for (size_t j = 0; j < p->n_interfaces; j++) {
                dstr_printf(&s, "%s%s:%s", j ? "," : "",
                            p->interfaces[j]->name,
                            p->interfaces[j]->type[0]
                            ? p->interfaces[j]->type : "system");
            }
            dstr_put(&s, ")");
            if (p->has_tag) {
                dstr_printf(&s, "tag=%" PRId64, p->tag);
            }
        }
        const struct smap_node **nodes = smap_sort(&br->external_ids);
        dstr_put(&s, " external_ids={");
        for (size_t i = 0; i < smap_count(&br->external_ids); i++) {
            dstr_printf(&s, "%s%s=%s", i ? "," : "", nodes[i]->key,
                        nodes[i]->value);
        }
        dstr_put(&s, "}");
        free(nodes);
        for (size_t i = 0; i < br->n_controllers; i++) {
            dstr_printf(&s, " controller=%s", br->controllers[i]->target);
        }
        out("%s", dstr_cstr(&s));
        dstr_destroy(&s);
    }
    out("end");
    vsrec_db_destroy(db);
}

static void
do_command(char *line)
{
    char *save = NULL;
    char *cmd = strtok_r(line, " ", &save);
    if (!cmd) {
        return;
    }
#define ARG() strtok_r(NULL, " ", &save)
#define REST() (save && *save ? save : "")
    if (!strcmp(cmd, "quit")) {
        mainloop_exit(0);
    } else if (!strcmp(cmd, "reconnect")) {
        ovsdb_idl_force_reconnect(idl);
        out("ok");
    } else if (!strcmp(cmd, "dump")) {
        const char *only = ARG();
        for (size_t i = 0; i < ovsdb_idl_n_tables(idl); i++) {
            struct ovsdb_idl_table *t = ovsdb_idl_table_at(idl, i);
            const struct ovsdb_idl_row *row;
            if (only && strcmp(only, t->name)) {
                continue;
            }
            OVSDB_IDL_FOR_EACH_ROW (row, t) {
                print_row("row", row, false);
            }
        }
        out("end");
    } else if (!strcmp(cmd, "views")) {
        print_views();
    } else if (!strcmp(cmd, "add-bridge")) {
        const char *name = ARG();
        if (name) {
            add_bridge(name);
        } else {
            out("error usage: add-bridge NAME");
        }
    } else if (!strcmp(cmd, "comment")) {
        struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
        ovsdb_idl_txn_add_comment(txn, "%s", REST());
        commit(txn);
    } else {
        const char *table = ARG();
        const char *spec = ARG();
        const struct ovsdb_idl_row *row = table && spec
                                          ? find_row(table, spec) : NULL;
        if (!row) {
            out("error no row %s in %s", spec ? spec : "?",
                table ? table : "?");
            return;
        }
        struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
        if (!strcmp(cmd, "set") || !strcmp(cmd, "verify-set")) {
            const char *column_name = ARG();
            const struct ovsdb_idl_column *column;
            struct ovsdb_datum d;
            if (!column_name || !parse_value(row, column_name, REST(), &d,
                                             &column)) {
                ovsdb_idl_txn_abort(txn);
                return;
            }
            if (!strcmp(cmd, "verify-set")) {
                ovsdb_idl_txn_verify(txn, row, column_name);
            }
            ovsdb_idl_txn_write(txn, row, column_name, &d);
            ovsdb_datum_destroy(&d, &column->type);
        } else if (!strcmp(cmd, "mapset")) {
            const char *column = ARG();
            const char *key = ARG();
            const char *value = ARG();
            if (!column || !key
                || ovsdb_idl_txn_map_set_key(txn, row, column, key, value)) {
                out("error bad mapset");
                ovsdb_idl_txn_abort(txn);
                return;
            }
        } else if (!strcmp(cmd, "smap")) {
            const char *column = ARG();
            struct smap smap;
            char *kv;
            smap_init(&smap);
            while ((kv = ARG()) != NULL) {
                char *eq = strchr(kv, '=');
                if (eq) {
                    *eq = '\0';
                    smap_replace(&smap, kv, eq + 1);
                }
            }
            int error = column ? ovsdb_idl_txn_write_smap(txn, row, column,
                                                          &smap) : EINVAL;
            smap_destroy(&smap);
            if (error) {
                out("error bad smap");
                ovsdb_idl_txn_abort(txn);
                return;
            }
        } else if (!strcmp(cmd, "mutate")) {
            const char *column = ARG();
            const char *mutator = ARG();
            json_error_t jerr;
            json_t *value = json_loads(REST(), JSON_DECODE_ANY, &jerr);
            if (!column || !mutator || !value) {
                out("error bad mutate");
                json_decref(value);
                ovsdb_idl_txn_abort(txn);
                return;
            }
            ovsdb_idl_txn_mutate(txn, row, column, mutator, value);
        } else if (!strcmp(cmd, "delete")) {
            ovsdb_idl_txn_delete(txn, row);
        } else {
            out("error unknown command %s", cmd);
            ovsdb_idl_txn_abort(txn);
            return;
        }
        commit(txn);
    }
#undef ARG
#undef REST
}

static void
stdin_read(struct bufferevent *bev, void *aux)
{
    struct evbuffer *in = bufferevent_get_input(bev);
    char *line;
    size_t n;
    while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF)) != NULL) {
        do_command(line);
        free(line);
    }
}

static void
stdin_event(struct bufferevent *bev, short what, void *aux)
{
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        mainloop_exit(0);
    }
}

static void
add_monitor(const char *spec)
{
    char *copy = xstrdup(spec);
    char *colon = strchr(copy, ':');
    if (!colon) {
        ovsdb_idl_monitor_table(idl, copy);
    } else {
        *colon = '\0';
        char *save = NULL;
        for (char *c = strtok_r(colon + 1, ",", &save); c;
             c = strtok_r(NULL, ",", &save)) {
            ovsdb_idl_monitor_column(idl, copy, c);
        }
    }
    free(copy);
}

int
main(int argc, char *argv[])
{
    enum { OPT_DB = 256, OPT_MONITOR, OPT_PROBE, OPT_MAX_BACKOFF,
           OPT_QUIET_CHANGES };
    static const struct option long_options[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "monitor", required_argument, NULL, OPT_MONITOR },
        { "probe", required_argument, NULL, OPT_PROBE },
        { "max-backoff", required_argument, NULL, OPT_MAX_BACKOFF },
        { "quiet-changes", no_argument, NULL, OPT_QUIET_CHANGES },
        { "verbose", optional_argument, NULL, 'v' },
        STREAM_SSL_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    const char *db = "Open_vSwitch";
    char **monitors = xcalloc(argc, sizeof *monitors);
    size_t n_monitors = 0;
    int probe = -1, max_backoff = -1;

    set_program_name(argv[0]);
    stream_ssl_register();
    log_set_level_all(LOG_DEST_CONSOLE, LOGL_WARN);
    for (;;) {
        int c = getopt_long(argc, argv, "v::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_MONITOR:
            monitors[n_monitors++] = optarg;
            break;
        case OPT_PROBE:
            probe = atoi(optarg);
            break;
        case OPT_MAX_BACKOFF:
            max_backoff = atoi(optarg);
            break;
        case OPT_QUIET_CHANGES:
            quiet_changes = true;
            break;
        case 'v': {
            char *error = log_set_levels_from_string(optarg ? optarg
                                                            : "any:any:dbg");
            if (error) {
                nfv_fatal(0, "%s", error);
            }
            break;
        }
        case '?':
            exit(EXIT_FAILURE);
        default:
            if (!stream_ssl_handle_option(c, optarg)) {
                abort();
            }
        }
    }
    if (optind != argc - 1) {
        nfv_fatal(0, "usage: %s [OPTIONS] REMOTE", program_name());
    }

    mainloop_init();
    idl = ovsdb_idl_create(argv[optind], db, &cbs, NULL);
    for (size_t i = 0; i < n_monitors; i++) {
        add_monitor(monitors[i]);
    }
    free(monitors);
    if (probe >= 0) {
        ovsdb_idl_set_probe_interval(idl, probe);
    }
    if (max_backoff >= 0) {
        ovsdb_idl_set_max_backoff(idl, max_backoff);
    }

    struct bufferevent *in = bufferevent_socket_new(mainloop_base(),
                                                    STDIN_FILENO, 0);
    bufferevent_setcb(in, stdin_read, NULL, stdin_event, NULL);
    bufferevent_enable(in, EV_READ);

    int status = mainloop_run();
    bufferevent_free(in);
    ovsdb_idl_destroy(idl);
    return status;
}
