/* Unit tests for ovsdb/idl: applying monitor replies and update/update2
 * notifications to the replica, change tracking, resync after reconnect,
 * and the JSON of each transaction operation.  No I/O: messages are fed
 * in through the test hooks of ovsdb/idl-private.h. */
#include <config.h>

#include <event2/event.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonrpc/jsonrpc.h"
#include "ovsdb/idl-private.h"
#include "ovsdb/idl.h"
#include "ovsdb/vswitch-rec.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/vlog.h"

static const char schema_json[] =
    "{\"name\": \"T\", \"version\": \"1.0.0\", \"tables\": {"
    " \"Root\": {\"isRoot\": true, \"columns\": {"
    "   \"name\": {\"type\": \"string\"},"
    "   \"count\": {\"type\": \"integer\"},"
    "   \"flag\": {\"type\": \"boolean\"},"
    "   \"opt\": {\"type\": {\"key\": \"string\", \"min\": 0, \"max\": 1}},"
    "   \"tags\": {\"type\": {\"key\": \"string\", \"min\": 0,"
    "              \"max\": \"unlimited\"}},"
    "   \"config\": {\"type\": {\"key\": \"string\", \"value\": \"string\","
    "              \"min\": 0, \"max\": \"unlimited\"}},"
    "   \"stats\": {\"type\": {\"key\": \"string\", \"value\": \"integer\","
    "              \"min\": 0, \"max\": \"unlimited\"}},"
    "   \"items\": {\"type\": {\"key\": {\"type\": \"uuid\","
    "              \"refTable\": \"Item\"}, \"min\": 0,"
    "              \"max\": \"unlimited\"}}}},"
    " \"Item\": {\"columns\": {"
    "   \"name\": {\"type\": \"string\", \"mutable\": false},"
    "   \"value\": {\"type\": \"integer\"}}}}}";

#define R1 "00000000-0000-4000-8000-000000000001"
#define I1 "00000000-0000-4000-8000-0000000000a1"
#define I2 "00000000-0000-4000-8000-0000000000a2"

struct fixture {
    struct ovsdb_idl *idl;
    int n_changes;
    int n_conn_events;
};

static void
on_change(struct ovsdb_idl *idl, void *aux)
{
    struct fixture *f = aux;
    f->n_changes++;
}

static void
on_connection(struct ovsdb_idl *idl, bool up, void *aux)
{
    struct fixture *f = aux;
    f->n_conn_events++;
}

static const struct ovsdb_idl_cbs cbs = { on_change, on_connection };

static json_t *
J(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    if (!j) {
        fail_msg("bad test JSON %s: %s", text, err.text);
    }
    return j;
}

static void
reply(struct fixture *f, const char *result)
{
    const json_t *id = idl_test_request_id(f->idl);
    assert_non_null(id);
    idl_test_receive(f->idl, jsonrpc_create_reply(J(result), id));
}

static void
notify(struct fixture *f, const char *method, const char *params)
{
    idl_test_receive(f->idl, jsonrpc_create_notify(method, J(params)));
}

/* Connects and answers get_schema; the monitor request is outstanding. */
static void
connect_to_schema(struct fixture *f)
{
    idl_test_connected(f->idl);
    reply(f, schema_json);
    assert_false(ovsdb_idl_is_synced(f->idl));
}

static const char initial2[] =
    "{\"Root\": {\"" R1 "\": {\"initial\": {\"name\": \"root\","
    " \"count\": 3, \"tags\": [\"set\", [\"b\", \"a\"]],"
    " \"config\": [\"map\", [[\"k\", \"v\"]]],"
    " \"items\": [\"set\", [[\"uuid\", \"" I1 "\"], [\"uuid\", \"" I2 "\"]]]"
    "}}},"
    " \"Item\": {\"" I1 "\": {\"initial\": {\"name\": \"one\", \"value\": 1}},"
    "           \"" I2 "\": {\"initial\": {\"name\": \"two\"}}}}";

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    mainloop_init();
    log_set_level_all(LOG_DEST_CONSOLE, LOGL_OFF);
    f->idl = ovsdb_idl_create("unix:/nonexistent/db.sock", "T", &cbs, f);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    ovsdb_idl_destroy(f->idl);
    free(f);
    return 0;
}

static const struct ovsdb_idl_row *
row(struct fixture *f, const char *table, const char *uuid_s)
{
    struct uuid uuid;
    assert_true(uuid_from_string(&uuid, uuid_s));
    return ovsdb_idl_get_row(f->idl, table, &uuid);
}

static size_t
n_tracked(const struct ovsdb_idl_table *t)
{
    const struct ovsdb_idl_row *r;
    size_t n = 0;
    OVSDB_IDL_FOR_EACH_TRACKED (r, t) {
        n++;
    }
    return n;
}

static void
test_initial_contents_update2(void **state)
{
    struct fixture *f = *state;
    connect_to_schema(f);
    reply(f, initial2);
    assert_true(ovsdb_idl_is_synced(f->idl));
    assert_int_equal(f->n_changes, 1);
    assert_int_equal(ovsdb_idl_get_seqno(f->idl), 1);

    const struct ovsdb_idl_row *r = row(f, "Root", R1);
    assert_non_null(r);
    assert_string_equal(ovsdb_idl_row_get_string(r, "name", NULL), "root");
    assert_int_equal(ovsdb_idl_row_get_int(r, "count", -1), 3);
    assert_false(ovsdb_idl_row_get_bool(r, "flag", true));  /* default */
    assert_null(ovsdb_idl_row_get_string(r, "opt", NULL));  /* empty */
    const struct ovsdb_datum *tags = ovsdb_idl_row_get(r, "tags");
    assert_int_equal(tags->n, 2);
    assert_string_equal(tags->keys[0].string, "a");
    struct smap config;
    ovsdb_idl_row_get_smap(r, "config", &config);
    assert_string_equal(smap_get(&config, "k"), "v");
    smap_destroy(&config);
    assert_null(ovsdb_idl_row_get(r, "nonexistent"));

    /* update2 omits default values: Item two's value is 0. */
    const struct ovsdb_idl_row *i2 = row(f, "Item", I2);
    assert_int_equal(ovsdb_idl_row_get_int(i2, "value", -1), 0);

    /* Tracking: everything is new; changed columns are the non-default
     * ones. */
    assert_true(ovsdb_idl_row_is_new(r));
    assert_true(ovsdb_idl_row_column_changed(r, "count"));
    assert_false(ovsdb_idl_row_column_changed(r, "flag"));
    assert_false(ovsdb_idl_row_column_changed(i2, "value"));
    assert_int_equal(n_tracked(ovsdb_idl_get_table(f->idl, "Item")), 2);
    ovsdb_idl_track_clear(f->idl);
    assert_false(ovsdb_idl_row_is_new(r));
    assert_false(ovsdb_idl_table_has_changes(ovsdb_idl_get_table(f->idl,
                                                                 "Root")));
}

static void
test_update2_modify_insert_delete(void **state)
{
    struct fixture *f = *state;
    connect_to_schema(f);
    reply(f, initial2);
    ovsdb_idl_track_clear(f->idl);

    notify(f, "update2", "[\"x\", {\"Root\": {\"" R1 "\": {\"modify\": {"
           "\"count\": 4, \"opt\": \"o\", \"tags\": [\"set\", [\"a\", \"c\"]],"
           "\"config\": [\"map\", [[\"k\", \"v2\"], [\"n\", \"1\"]]],"
           "\"items\": [\"uuid\", \"" I2 "\"]}}},"
           "\"Item\": {\"" I2 "\": {\"delete\": null},"
           "\"00000000-0000-4000-8000-0000000000a3\": {\"insert\": "
           "{\"name\": \"three\", \"value\": 3}}}}]");
    assert_int_equal(f->n_changes, 2);
    const struct ovsdb_idl_row *r = row(f, "Root", R1);
    assert_true(ovsdb_idl_row_is_modified(r));
    assert_true(ovsdb_idl_row_column_changed(r, "count"));
    assert_false(ovsdb_idl_row_column_changed(r, "name"));
    assert_int_equal(ovsdb_idl_row_get_int(r, "count", -1), 4);
    assert_string_equal(ovsdb_idl_row_get_string(r, "opt", NULL), "o");
    const struct ovsdb_datum *tags = ovsdb_idl_row_get(r, "tags");
    assert_int_equal(tags->n, 2);               /* {a,b} diff {a,c} */
    assert_string_equal(tags->keys[0].string, "b");
    assert_string_equal(tags->keys[1].string, "c");
    struct smap config;
    ovsdb_idl_row_get_smap(r, "config", &config);
    assert_int_equal(smap_count(&config), 2);   /* k replaced, n added */
    assert_string_equal(smap_get_def(&config, "k", "-"), "v2");
    assert_string_equal(smap_get_def(&config, "n", "-"), "1");
    smap_destroy(&config);
    assert_int_equal(ovsdb_idl_row_get(r, "items")->n, 1);   /* I2 gone */

    /* Deleted rows: gone from lookups, still on the tracked list. */
    assert_null(row(f, "Item", I2));
    const struct ovsdb_idl_table *items = ovsdb_idl_get_table(f->idl, "Item");
    const struct ovsdb_idl_row *t;
    int deleted = 0, inserted = 0;
    OVSDB_IDL_FOR_EACH_TRACKED (t, items) {
        deleted += ovsdb_idl_row_is_deleted(t);
        inserted += ovsdb_idl_row_is_new(t);
        if (ovsdb_idl_row_is_deleted(t)) {
            assert_string_equal(ovsdb_idl_row_get_string(t, "name", ""),
                                "two");
        }
    }
    assert_int_equal(deleted, 1);
    assert_int_equal(inserted, 1);
    assert_int_equal(ovsdb_idl_table_n_rows(items), 2);
    ovsdb_idl_track_clear(f->idl);
    assert_int_equal(n_tracked(items), 0);

    /* Inserted then deleted before a clear: not reported at all. */
    notify(f, "update2", "[\"x\", {\"Item\": {"
           "\"00000000-0000-4000-8000-0000000000a4\": {\"insert\": "
           "{\"name\": \"four\"}}}}]");
    notify(f, "update2", "[\"x\", {\"Item\": {"
           "\"00000000-0000-4000-8000-0000000000a4\": {\"delete\": null}}}]");
    assert_int_equal(n_tracked(items), 0);

    /* A modify that changes nothing is not a change. */
    int before = f->n_changes;
    notify(f, "update2", "[\"x\", {\"Item\": {\"" I1 "\": {\"modify\": "
           "{\"value\": 1}}}}]");
    assert_int_equal(f->n_changes, before);
}

static void
test_update_v1_and_fallback(void **state)
{
    struct fixture *f = *state;
    connect_to_schema(f);
    /* The server does not know monitor_cond. */
    const json_t *id = idl_test_request_id(f->idl);
    idl_test_receive(f->idl, jsonrpc_create_error(
                         J("{\"error\": \"unknown method\"}"), id));
    assert_false(ovsdb_idl_is_synced(f->idl));
    reply(f, "{\"Item\": {\"" I1 "\": {\"new\": {\"name\": \"one\", "
          "\"value\": 1}}}}");
    assert_true(ovsdb_idl_is_synced(f->idl));
    ovsdb_idl_track_clear(f->idl);

    notify(f, "update", "[\"x\", {\"Item\": {\"" I1 "\": {"
           "\"old\": {\"value\": 1}, \"new\": {\"name\": \"one\", "
           "\"value\": 2}}}}]");
    const struct ovsdb_idl_row *i1 = row(f, "Item", I1);
    assert_int_equal(ovsdb_idl_row_get_int(i1, "value", -1), 2);
    assert_true(ovsdb_idl_row_is_modified(i1));
    assert_true(ovsdb_idl_row_column_changed(i1, "value"));
    assert_false(ovsdb_idl_row_column_changed(i1, "name"));

    notify(f, "update", "[\"x\", {\"Item\": {\"" I1 "\": {"
           "\"old\": {\"name\": \"one\", \"value\": 2}}}}]");
    assert_null(row(f, "Item", I1));
}

static void
test_resync_reports_differences(void **state)
{
    struct fixture *f = *state;
    connect_to_schema(f);
    reply(f, initial2);
    ovsdb_idl_track_clear(f->idl);

    idl_test_disconnected(f->idl);
    assert_false(ovsdb_idl_is_synced(f->idl));
    /* The replica survives the disconnect. */
    assert_non_null(row(f, "Item", I1));

    /* Same schema; new contents: I1 changed, I2 gone, I3 new, root the
     * same. */
    idl_test_connected(f->idl);
    reply(f, schema_json);
    int before = f->n_changes;
    reply(f, "{\"Root\": {\"" R1 "\": {\"initial\": {\"name\": \"root\","
          " \"count\": 3, \"tags\": [\"set\", [\"b\", \"a\"]],"
          " \"config\": [\"map\", [[\"k\", \"v\"]]],"
          " \"items\": [\"set\", [[\"uuid\", \"" I1 "\"], [\"uuid\", \""
          I2 "\"]]]}}},"
          " \"Item\": {\"" I1 "\": {\"initial\": {\"name\": \"one\", "
          "\"value\": 11}},"
          " \"00000000-0000-4000-8000-0000000000a3\": {\"initial\": "
          "{\"name\": \"three\"}}}}");
    assert_int_equal(f->n_changes, before + 1);
    assert_true(ovsdb_idl_is_synced(f->idl));
    assert_int_equal(ovsdb_idl_get_n_connects(f->idl), 2);

    const struct ovsdb_idl_row *root = row(f, "Root", R1);
    assert_int_equal(root->changes, 0);                 /* Unchanged. */
    const struct ovsdb_idl_row *i1 = row(f, "Item", I1);
    assert_true(ovsdb_idl_row_is_modified(i1));
    assert_true(ovsdb_idl_row_column_changed(i1, "value"));
    assert_false(ovsdb_idl_row_column_changed(i1, "name"));
    assert_null(row(f, "Item", I2));
    const struct ovsdb_idl_table *items = ovsdb_idl_get_table(f->idl, "Item");
    assert_int_equal(n_tracked(items), 3);      /* modify, delete, insert */
}

static void
test_malformed_updates_are_ignored(void **state)
{
    struct fixture *f = *state;
    connect_to_schema(f);
    reply(f, initial2);
    ovsdb_idl_track_clear(f->idl);
    uint64_t seqno = ovsdb_idl_get_seqno(f->idl);

    notify(f, "update2", "[\"x\", 5]");
    notify(f, "update2", "[\"x\"]");
    notify(f, "update2", "[\"x\", {\"Item\": 5}]");
    notify(f, "update2", "[\"x\", {\"Item\": {\"bad\": {\"insert\": {}}}}]");
    notify(f, "update2", "[\"x\", {\"Item\": {\"" I1 "\": {\"what\": 1}}}]");
    notify(f, "update2", "[\"x\", {\"Item\": {\"" I1 "\": {\"modify\": "
           "{\"value\": \"text\", \"name\": 7}}}}]");
    notify(f, "update2", "[\"x\", {\"Item\": {\"" I1 "\": {\"modify\": 3}}}]");
    notify(f, "update", "[\"x\", {\"Item\": {\"" I1 "\": 3}}]");
    assert_int_equal(ovsdb_idl_get_seqno(f->idl), seqno);
    const struct ovsdb_idl_row *i1 = row(f, "Item", I1);
    assert_int_equal(ovsdb_idl_row_get_int(i1, "value", -1), 1);
    assert_string_equal(ovsdb_idl_row_get_string(i1, "name", ""), "one");
}

static void
test_monitor_selection(void **state)
{
    struct fixture *f = *state;
    ovsdb_idl_monitor_column(f->idl, "Item", "value");
    connect_to_schema(f);
    const struct ovsdb_idl_table *items = ovsdb_idl_get_table(f->idl, "Item");
    const struct ovsdb_idl_table *root = ovsdb_idl_get_table(f->idl, "Root");
    assert_true(items->monitored);
    assert_false(root->monitored);
    assert_true(ovsdb_idl_table_get_column(items, "value")->monitored);
    assert_false(ovsdb_idl_table_get_column(items, "name")->monitored);
}

/* The op at index 'i' of the transaction's JSON, as compact text. */
static char *
op_text(struct ovsdb_idl_txn *txn, size_t i)
{
    json_t *params = ovsdb_idl_txn_to_json(txn);
    char *s = json_dumps(json_array_get(params, i),
                         JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(params);
    return s;
}

static void
assert_op(struct ovsdb_idl_txn *txn, size_t i, const char *expected)
{
    char *s = op_text(txn, i);
    assert_string_equal(s, expected);
    free(s);
}

#define WHERE_R1 "\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" R1 "\"]]]"

static void
txn_done(struct ovsdb_idl_txn *txn, enum ovsdb_idl_txn_status status,
         const char *error, const json_t *result, void *aux)
{
    *(int *) aux = status;
}

static void
test_transaction_json(void **state)
{
    struct fixture *f = *state;
    connect_to_schema(f);
    reply(f, initial2);
    const struct ovsdb_idl_row *r = row(f, "Root", R1);

    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(f->idl);
    json_t *params = ovsdb_idl_txn_to_json(txn);
    assert_string_equal(json_string_value(json_array_get(params, 0)), "T");
    json_decref(params);

    /* Writes to one row merge into one update. */
    assert_int_equal(ovsdb_idl_txn_write_int(txn, r, "count", 7), 0);
    assert_int_equal(ovsdb_idl_txn_write_string(txn, r, "opt", NULL), 0);
    struct smap smap;
    smap_init(&smap);
    smap_replace(&smap, "b", "2");
    smap_replace(&smap, "a", "1");
    assert_int_equal(ovsdb_idl_txn_write_smap(txn, r, "config", &smap), 0);
    smap_replace(&smap, "bad", "x");
    assert_int_equal(ovsdb_idl_txn_write_smap(txn, r, "stats", &smap), 0);
    smap_destroy(&smap);
    assert_int_equal(ovsdb_idl_txn_write_int(txn, r, "nope", 1), ENOENT);
    const char *tags[] = { "z", "a", "z" };
    assert_int_equal(ovsdb_idl_txn_write_strings(txn, r, "tags", tags, 3), 0);
    assert_op(txn, 1, "{\"op\":\"update\",\"row\":{"
              "\"config\":[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]],"
              "\"count\":7,\"opt\":[\"set\",[]],"
              "\"stats\":[\"map\",[[\"a\",1],[\"b\",2]]],"
              "\"tags\":[\"set\",[\"a\",\"z\"]]},"
              "\"table\":\"Root\"," WHERE_R1 "}");

    /* Insert with a named uuid, referenced by a later write and mutate. */
    struct uuid item = ovsdb_idl_txn_insert(txn, "Item");
    struct ovsdb_datum d;
    ovsdb_datum_from_string(&d, "new");
    assert_int_equal(ovsdb_idl_txn_write_uuid(txn, "Item", &item, "name", &d),
                     0);
    struct ovsdb_type st = ovsdb_type_scalar(OVSDB_TYPE_STRING);
    ovsdb_datum_destroy(&d, &st);
    assert_op(txn, 2, "{\"op\":\"insert\",\"row\":{\"name\":\"new\"},"
              "\"table\":\"Item\",\"uuid-name\":\"row1\"}");
    ovsdb_datum_from_uuid(&d, &item);
    assert_int_equal(ovsdb_idl_txn_mutate_datum(txn, r, "items", "insert",
                                                &d), 0);
    free(d.keys);
    assert_op(txn, 3, "{\"mutations\":[[\"items\",\"insert\",[\"set\","
              "[[\"named-uuid\",\"row1\"]]]]],\"op\":\"mutate\","
              "\"table\":\"Root\"," WHERE_R1 "}");

    assert_int_equal(ovsdb_idl_txn_mutate(txn, r, "count", "+=",
                                          json_integer(1)), 0);
    assert_op(txn, 4, "{\"mutations\":[[\"count\",\"+=\",1]],"
              "\"op\":\"mutate\",\"table\":\"Root\"," WHERE_R1 "}");

    assert_int_equal(ovsdb_idl_txn_map_set_key(txn, r, "stats", "rx", "5"),
                     0);
    assert_op(txn, 5, "{\"mutations\":[[\"stats\",\"delete\",[\"set\","
              "[\"rx\"]]],[\"stats\",\"insert\",[\"map\",[[\"rx\",5]]]]],"
              "\"op\":\"mutate\",\"table\":\"Root\"," WHERE_R1 "}");
    assert_int_equal(ovsdb_idl_txn_map_set_key(txn, r, "stats", "rx", "x"),
                     EINVAL);
    assert_int_equal(ovsdb_idl_txn_map_set_key(txn, r, "count", "rx", "1"),
                     EINVAL);

    assert_int_equal(ovsdb_idl_txn_verify(txn, r, "count"), 0);
    assert_op(txn, 6, "{\"columns\":[\"count\"],\"op\":\"wait\","
              "\"rows\":[{\"count\":3}],\"table\":\"Root\",\"timeout\":0,"
              "\"until\":\"==\"," WHERE_R1 "}");

    ovsdb_idl_txn_delete(txn, row(f, "Item", I2));
    assert_op(txn, 7, "{\"op\":\"delete\",\"table\":\"Item\","
              "\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" I2 "\"]]]}");

    ovsdb_idl_txn_add_comment(txn, "by %s", "test");
    assert_op(txn, 8, "{\"comment\":\"by test\",\"op\":\"comment\"}");
    assert_int_equal(ovsdb_idl_txn_n_ops(txn), 8);

    /* Not connected: TRY_AGAIN, reported from the loop. */
    int status = -1;
    idl_test_disconnected(f->idl);
    ovsdb_idl_txn_commit(txn, txn_done, &status);
    assert_int_equal(status, -1);
    event_base_loop(mainloop_base(), EVLOOP_NONBLOCK);
    assert_int_equal(status, OVSDB_IDL_TXN_TRY_AGAIN);

    /* Only comments: UNCHANGED. */
    txn = ovsdb_idl_txn_create(f->idl);
    ovsdb_idl_txn_add_comment(txn, "nothing");
    status = -1;
    ovsdb_idl_txn_commit(txn, txn_done, &status);
    event_base_loop(mainloop_base(), EVLOOP_NONBLOCK);
    assert_int_equal(status, OVSDB_IDL_TXN_UNCHANGED);
}

static void
test_vswitch_views(void **state)
{
    struct fixture *f = *state;
    /* The replica's schema is generic: feed a tiny Open_vSwitch-like one
     * by hand through a fresh IDL. */
    struct ovsdb_idl *idl = ovsdb_idl_create("unix:/nonexistent", "V", NULL,
                                             NULL);
    struct fixture g = { .idl = idl };
    idl_test_connected(idl);
    reply(&g, "{\"name\": \"V\", \"tables\": {"
          "\"Open_vSwitch\": {\"columns\": {"
          "  \"bridges\": {\"type\": {\"key\": {\"type\": \"uuid\", "
          "    \"refTable\": \"Bridge\"}, \"min\": 0, \"max\": \"unlimited\"}},"
          "  \"next_cfg\": {\"type\": \"integer\"}}},"
          "\"Bridge\": {\"columns\": {"
          "  \"name\": {\"type\": \"string\"},"
          "  \"fail_mode\": {\"type\": {\"key\": \"string\", \"min\": 0, "
          "    \"max\": 1}},"
          "  \"ports\": {\"type\": {\"key\": {\"type\": \"uuid\", "
          "    \"refTable\": \"Port\"}, \"min\": 0, \"max\": \"unlimited\"}},"
          "  \"other_config\": {\"type\": {\"key\": \"string\", "
          "    \"value\": \"string\", \"min\": 0, \"max\": \"unlimited\"}}}},"
          "\"Port\": {\"columns\": {"
          "  \"name\": {\"type\": \"string\"},"
          "  \"tag\": {\"type\": {\"key\": \"integer\", \"min\": 0, "
          "    \"max\": 1}}}}}}");
    reply(&g, "{\"Open_vSwitch\": {\"" R1 "\": {\"initial\": {"
          "  \"next_cfg\": 9, \"bridges\": [\"uuid\", \"" I1 "\"]}}},"
          "\"Bridge\": {\"" I1 "\": {\"initial\": {\"name\": \"br0\","
          "  \"other_config\": [\"map\", [[\"k\", \"v\"]]],"
          "  \"ports\": [\"set\", [[\"uuid\", \"" I2 "\"], "
          "  [\"uuid\", \"00000000-0000-4000-8000-0000000000ff\"]]]}}},"
          "\"Port\": {\"" I2 "\": {\"initial\": {\"name\": \"p\", "
          "  \"tag\": 10}}}}");

    struct vsrec_db *db = vsrec_db_build(idl);
    assert_non_null(db->open_vswitch);
    assert_int_equal(db->open_vswitch->next_cfg, 9);
    assert_int_equal(db->open_vswitch->cur_cfg, 0);   /* missing column */
    assert_null(db->open_vswitch->ssl);
    assert_int_equal(db->open_vswitch->n_bridges, 1);
    const struct vsrec_bridge *br = db->open_vswitch->bridges[0];
    assert_string_equal(br->name, "br0");
    assert_null(br->fail_mode);
    assert_string_equal(br->datapath_type, "");
    assert_string_equal(smap_get(&br->other_config, "k"), "v");
    assert_int_equal(br->n_ports, 1);           /* dangling ref skipped */
    assert_string_equal(br->ports[0]->name, "p");
    assert_true(br->ports[0]->has_tag);
    assert_int_equal(br->ports[0]->tag, 10);
    assert_ptr_equal(vsrec_db_find_bridge(db, "br0"), br);
    assert_ptr_equal(vsrec_db_get_port(db, &br->ports[0]->header.uuid),
                     br->ports[0]);
    assert_ptr_equal(br->header.row, row(&g, "Bridge", I1));
    vsrec_db_destroy(db);
    ovsdb_idl_destroy(idl);
    (void) f;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initial_contents_update2, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_update2_modify_insert_delete,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_v1_and_fallback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_resync_reports_differences,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_updates_are_ignored,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_monitor_selection, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_transaction_json, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_vswitch_views, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
