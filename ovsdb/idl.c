#include <config.h>
#include "ovsdb/idl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc/jsonrpc-session.h"
#include "ovsdb/idl-private.h"
#include "util/coverage.h"
#include "util/dstr.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(ovsdb_idl);
COVERAGE_DEFINE(ovsdb_idl_update);
COVERAGE_DEFINE(ovsdb_idl_resync);

#define OVSDB_DEFAULT_PORT 6640

/* The monitor id we use in monitor requests and expect in updates. */
#define MONITOR_ID "ovsnfv-idl"

static struct log_ratelimit bad_data_rl = LOG_RATELIMIT_INIT(30, 10);

static void idl_on_connect(struct jsonrpc_session *, void *);
static void idl_on_disconnect(struct jsonrpc_session *, int, void *);
static void idl_on_msg(struct jsonrpc_session *, struct jsonrpc_msg *, void *);

static const struct jsonrpc_session_cbs session_cbs = {
    .on_connect = idl_on_connect,
    .on_disconnect = idl_on_disconnect,
    .on_msg = idl_on_msg,
};

/* --- Rows. --- */

static void
row_free(struct ovsdb_idl_row *row)
{
    const struct ovsdb_idl_table *table = row->table;
    for (size_t i = 0; i < table->n_columns; i++) {
        ovsdb_datum_destroy(&row->data[i], &table->columns[i].type);
    }
    free(row->data);
    free(row->changed);
    free(row);
}

static struct ovsdb_idl_row *
row_create(struct ovsdb_idl_table *table, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row = xzalloc(sizeof *row);
    row->uuid = *uuid;
    row->table = table;
    row->data = xcalloc(MAX(table->n_columns, 1), sizeof *row->data);
    row->changed = xcalloc(MAX(table->n_columns, 1), sizeof *row->changed);
    for (size_t i = 0; i < table->n_columns; i++) {
        ovsdb_datum_init_default(&row->data[i], &table->columns[i].type);
    }
    list_init(&row->track_node);
    hmap_insert(&table->rows, &row->hmap_node, uuid_hash(uuid));
    return row;
}

static void
row_track(struct ovsdb_idl_row *row, enum ovsdb_idl_change change)
{
    struct ovsdb_idl *idl = row->table->idl;
    if (!row->changes) {
        list_push_back(&row->table->tracked, &row->track_node);
    }
    row->changes |= change;
    row->change_seqno = idl->seqno + 1;
}

/* Removes 'row' from its table; it stays on the tracked list (as deleted)
 * unless it was inserted since the last clear, in which case it is freed. */
static void
row_delete(struct ovsdb_idl_row *row)
{
    hmap_remove(&row->table->rows, &row->hmap_node);
    if (row->changes & OVSDB_IDL_CHANGE_INSERT) {
        list_remove(&row->track_node);
        row_free(row);
        return;
    }
    row_track(row, OVSDB_IDL_CHANGE_DELETE);
}

/* --- Tables and schema. --- */

static void
table_clear_rows(struct ovsdb_idl_table *table)
{
    struct ovsdb_idl_row *row, *next;
    HMAP_FOR_EACH_SAFE (row, next, hmap_node, &table->rows) {
        hmap_remove(&table->rows, &row->hmap_node);
        if (row->changes) {
            list_remove(&row->track_node);
        }
        row_free(row);
    }
    LIST_FOR_EACH_SAFE (row, next, track_node, &table->tracked) {
        list_remove(&row->track_node);
        row_free(row);
    }
}

static void
schema_clear(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct ovsdb_idl_table *table = &idl->tables[i];
        table_clear_rows(table);
        hmap_destroy(&table->rows);
        for (size_t j = 0; j < table->n_columns; j++) {
            free(table->columns[j].name);
            ovsdb_type_destroy(&table->columns[j].type);
        }
        free(table->columns);
        free(table->name);
    }
    free(idl->tables);
    idl->tables = NULL;
    idl->n_tables = 0;
    json_decref(idl->schema);
    idl->schema = NULL;
}

static const struct idl_selection *
find_selection(const struct ovsdb_idl *idl, const char *table)
{
    for (size_t i = 0; i < idl->n_selections; i++) {
        if (!strcmp(idl->selections[i].table, table)) {
            return &idl->selections[i];
        }
    }
    return NULL;
}

static bool
column_selected(const struct idl_selection *sel, const char *column)
{
    if (sel->all_columns) {
        return true;
    }
    for (size_t i = 0; i < sel->n_columns; i++) {
        if (!strcmp(sel->columns[i], column)) {
            return true;
        }
    }
    return false;
}

/* Marks tables and columns to monitor from the selections. */
static void
apply_selections(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct ovsdb_idl_table *table = &idl->tables[i];
        const struct idl_selection *sel = find_selection(idl, table->name);
        table->monitored = !idl->n_selections || sel;
        for (size_t j = 0; j < table->n_columns; j++) {
            table->columns[j].monitored
                = table->monitored && (!sel || column_selected(sel,
                                                   table->columns[j].name));
        }
    }
    for (size_t i = 0; i < idl->n_selections; i++) {
        const struct idl_selection *sel = &idl->selections[i];
        struct ovsdb_idl_table *table = ovsdb_idl_get_table(idl, sel->table);
        if (!table) {
            log_warn("%s: table \"%s\" not in the server's schema, ignored",
                     idl->db_name, sel->table);
            continue;
        }
        for (size_t j = 0; j < sel->n_columns; j++) {
            if (!ovsdb_idl_table_get_column(table, sel->columns[j])) {
                log_warn("%s: column \"%s\" not in table \"%s\", ignored",
                         idl->db_name, sel->columns[j], sel->table);
            }
        }
    }
}

/* Builds the tables from a schema reply.  Returns 0 or EPROTO. */
static int
schema_parse(struct ovsdb_idl *idl, const json_t *schema)
{
    const json_t *tables = json_object_get(schema, "tables");
    const char *name;
    const json_t *tjson;

    if (!json_is_object(tables)) {
        log_warn("%s: schema lacks \"tables\"", idl->db_name);
        return EPROTO;
    }
    idl->n_tables = json_object_size(tables);
    idl->tables = xcalloc(MAX(idl->n_tables, 1), sizeof *idl->tables);
    size_t t = 0;
    json_object_foreach ((json_t *) tables, name, tjson) {
        struct ovsdb_idl_table *table = &idl->tables[t++];
        table->name = xstrdup(name);
        table->idl = idl;
        hmap_init(&table->rows);
        list_init(&table->tracked);
        table->is_root = json_is_true(json_object_get(tjson, "isRoot"));

        const json_t *columns = json_object_get(tjson, "columns");
        if (!json_is_object(columns)) {
            log_warn("%s: table %s lacks \"columns\"", idl->db_name, name);
            continue;
        }
        table->columns = xcalloc(MAX(json_object_size(columns), 1),
                                 sizeof *table->columns);
        const char *cname;
        const json_t *cjson;
        json_object_foreach ((json_t *) columns, cname, cjson) {
            struct ovsdb_idl_column *column
                = &table->columns[table->n_columns];
            char *err = NULL;
            if (ovsdb_type_from_json(&column->type,
                                     json_object_get(cjson, "type"), &err)) {
                log_warn("%s: column %s.%s: %s (column ignored)",
                         idl->db_name, name, cname, err);
                free(err);
                continue;
            }
            column->name = xstrdup(cname);
            column->index = table->n_columns++;
            column->mutable_ = !json_is_false(json_object_get(cjson,
                                                              "mutable"));
        }
    }
    idl->schema = json_deep_copy(schema);
    apply_selections(idl);
    return 0;
}

/* --- Lifecycle. --- */

struct ovsdb_idl *
ovsdb_idl_create(const char *remote, const char *db_name,
                 const struct ovsdb_idl_cbs *cbs, void *aux)
{
    static const struct ovsdb_idl_cbs no_cbs;
    struct ovsdb_idl *idl = xzalloc(sizeof *idl);
    idl->db_name = xstrdup(db_name);
    idl->cbs = cbs ? cbs : &no_cbs;
    idl->aux = aux;
    idl->use_monitor_cond = true;
    list_init(&idl->pending_txns);
    idl->session = jsonrpc_session_create(remote, OVSDB_DEFAULT_PORT,
                                          &session_cbs, idl);
    return idl;
}

void
ovsdb_idl_destroy(struct ovsdb_idl *idl)
{
    if (!idl) {
        return;
    }
    jsonrpc_session_destroy(idl->session);
    idl_txn_fail_all(idl, false);
    schema_clear(idl);
    for (size_t i = 0; i < idl->n_selections; i++) {
        struct idl_selection *sel = &idl->selections[i];
        for (size_t j = 0; j < sel->n_columns; j++) {
            free(sel->columns[j]);
        }
        free(sel->columns);
        free(sel->table);
    }
    free(idl->selections);
    json_decref(idl->request_id);
    free(idl->last_error);
    free(idl->db_name);
    free(idl);
}

void
ovsdb_idl_set_remote(struct ovsdb_idl *idl, const char *remote)
{
    jsonrpc_session_set_target(idl->session, remote);
}

const char *
ovsdb_idl_get_remote(const struct ovsdb_idl *idl)
{
    return jsonrpc_session_get_target(idl->session);
}

const char *
ovsdb_idl_get_db_name(const struct ovsdb_idl *idl)
{
    return idl->db_name;
}

const char *
ovsdb_idl_get_schema_version(const struct ovsdb_idl *idl)
{
    const json_t *version = idl->schema ? json_object_get(idl->schema,
                                                          "version")
                                        : NULL;
    return json_is_string(version) ? json_string_value(version) : NULL;
}

void
ovsdb_idl_set_probe_interval(struct ovsdb_idl *idl, int probe_ms)
{
    jsonrpc_session_set_probe_interval(idl->session, probe_ms);
}

void
ovsdb_idl_set_max_backoff(struct ovsdb_idl *idl, int max_backoff_ms)
{
    jsonrpc_session_set_max_backoff(idl->session, max_backoff_ms);
}

void
ovsdb_idl_force_reconnect(struct ovsdb_idl *idl)
{
    jsonrpc_session_force_reconnect(idl->session);
}

static struct idl_selection *
get_selection(struct ovsdb_idl *idl, const char *table)
{
    struct idl_selection *sel = (struct idl_selection *)
                                find_selection(idl, table);
    if (!sel) {
        idl->selections = xrealloc(idl->selections,
                                   (idl->n_selections + 1)
                                   * sizeof *idl->selections);
        sel = &idl->selections[idl->n_selections++];
        memset(sel, 0, sizeof *sel);
        sel->table = xstrdup(table);
    }
    return sel;
}

void
ovsdb_idl_monitor_table(struct ovsdb_idl *idl, const char *table)
{
    get_selection(idl, table)->all_columns = true;
    if (idl->tables) {
        apply_selections(idl);
    }
}

void
ovsdb_idl_monitor_column(struct ovsdb_idl *idl, const char *table,
                         const char *column)
{
    struct idl_selection *sel = get_selection(idl, table);
    if (!column_selected(sel, column) || sel->all_columns) {
        sel->columns = xrealloc(sel->columns,
                                (sel->n_columns + 1) * sizeof *sel->columns);
        sel->columns[sel->n_columns++] = xstrdup(column);
    }
    if (idl->tables) {
        apply_selections(idl);
    }
}

bool
ovsdb_idl_is_connected(const struct ovsdb_idl *idl)
{
    return idl->state != IDL_DISCONNECTED && idl->state
           != IDL_SCHEMA_REQUESTED;
}

bool
ovsdb_idl_is_synced(const struct ovsdb_idl *idl)
{
    return idl->synced;
}

bool
ovsdb_idl_has_ever_synced(const struct ovsdb_idl *idl)
{
    return idl->ever_synced;
}

uint64_t
ovsdb_idl_get_seqno(const struct ovsdb_idl *idl)
{
    return idl->seqno;
}

unsigned int
ovsdb_idl_get_n_connects(const struct ovsdb_idl *idl)
{
    return idl->n_connects;
}

const char *
ovsdb_idl_get_last_error(const struct ovsdb_idl *idl)
{
    return idl->last_error;
}

static void
set_last_error(struct ovsdb_idl *idl, const char *fmt, ...) PRINTF_FMT(2, 3);

static void
set_last_error(struct ovsdb_idl *idl, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    free(idl->last_error);
    idl->last_error = xvasprintf(fmt, args);
    va_end(args);
}

/* --- Protocol. --- */

json_t *
idl_next_request_id(struct ovsdb_idl *idl)
{
    return json_integer(++idl->next_id);
}

int
idl_send(struct ovsdb_idl *idl, struct jsonrpc_msg *msg)
{
    return jsonrpc_session_send(idl->session, msg);
}

static void
send_request(struct ovsdb_idl *idl, const char *method, json_t *params)
{
    json_decref(idl->request_id);
    idl->request_id = idl_next_request_id(idl);
    idl_send(idl, jsonrpc_create_request(method, params,
                                         json_incref(idl->request_id)));
}

static void
send_schema_request(struct ovsdb_idl *idl)
{
    idl->state = IDL_SCHEMA_REQUESTED;
    send_request(idl, "get_schema", json_pack("[s]", idl->db_name));
}

static void
send_monitor_request(struct ovsdb_idl *idl)
{
    json_t *requests = json_object();
    idl->monitor_cond_active = idl->use_monitor_cond;
    for (size_t i = 0; i < idl->n_tables; i++) {
        const struct ovsdb_idl_table *table = &idl->tables[i];
        if (!table->monitored) {
            continue;
        }
        json_t *columns = json_array();
        for (size_t j = 0; j < table->n_columns; j++) {
            if (table->columns[j].monitored) {
                json_array_append_new(columns,
                                      json_string(table->columns[j].name));
            }
        }
        json_t *req = json_pack("{so}", "columns", columns);
        /* monitor_cond takes an array of requests per table. */
        json_object_set_new(requests, table->name,
                            idl->monitor_cond_active
                            ? json_pack("[o]", req) : req);
    }
    idl->state = IDL_MONITOR_REQUESTED;
    send_request(idl, idl->monitor_cond_active ? "monitor_cond" : "monitor",
                 json_pack("[sso]", idl->db_name, MONITOR_ID, requests));
}

static void
idl_on_connect(struct jsonrpc_session *s, void *idl_)
{
    struct ovsdb_idl *idl = idl_;
    idl->n_connects++;
    log_info("%s: connected to %s", idl->db_name,
             jsonrpc_session_get_target(s));
    if (idl->cbs->on_connection) {
        idl->cbs->on_connection(idl, true, idl->aux);
    }
    send_schema_request(idl);
}

static void
idl_on_disconnect(struct jsonrpc_session *s, int error, void *idl_)
{
    struct ovsdb_idl *idl = idl_;
    set_last_error(idl, "%s: %s", jsonrpc_session_get_target(s),
                   error ? nfv_strerror(error) : "connection closed");
    log_info("%s: disconnected from %s (%s); will resync after reconnecting",
             idl->db_name, jsonrpc_session_get_target(s),
             error ? nfv_strerror(error) : "closed");
    idl->state = IDL_DISCONNECTED;
    idl->synced = false;
    json_decref(idl->request_id);
    idl->request_id = NULL;
    idl_txn_fail_all(idl, true);
    if (idl->cbs->on_connection) {
        idl->cbs->on_connection(idl, false, idl->aux);
    }
}

/* Sets column 'column' of 'row' from 'json' (a full value).  Returns true
 * if the value changed. */
static bool
row_set_column(struct ovsdb_idl_row *row, const struct ovsdb_idl_column *column,
               const json_t *json)
{
    struct ovsdb_datum datum;
    char *err = NULL;
    if (ovsdb_datum_from_json(&datum, &column->type, json, NULL, NULL,
                              &err)) {
        char buf[UUID_LEN + 1];
        log_warn_rl(&bad_data_rl, "%s: row %s column %s: bad value (%s), "
                    "ignored", row->table->name, uuid_to_string(&row->uuid,
                                                               buf),
                    column->name, err);
        free(err);
        return false;
    }
    struct ovsdb_datum *cur = &row->data[column->index];
    if (ovsdb_datum_equals(cur, &datum, &column->type)) {
        ovsdb_datum_destroy(&datum, &column->type);
        return false;
    }
    ovsdb_datum_swap(cur, &datum);
    ovsdb_datum_destroy(&datum, &column->type);
    row->changed[column->index] = true;
    return true;
}

static bool
row_diff_column(struct ovsdb_idl_row *row,
                const struct ovsdb_idl_column *column, const json_t *diff)
{
    struct ovsdb_datum *cur = &row->data[column->index];
    struct ovsdb_datum old;
    char *err = NULL;
    ovsdb_datum_clone(&old, cur, &column->type);
    if (ovsdb_datum_apply_diff(cur, &column->type, diff, &err)) {
        char buf[UUID_LEN + 1];
        log_warn_rl(&bad_data_rl, "%s: row %s column %s: bad diff (%s), "
                    "ignored", row->table->name, uuid_to_string(&row->uuid,
                                                               buf),
                    column->name, err);
        free(err);
        ovsdb_datum_destroy(&old, &column->type);
        return false;
    }
    bool changed = !ovsdb_datum_equals(&old, cur, &column->type);
    ovsdb_datum_destroy(&old, &column->type);
    if (changed) {
        row->changed[column->index] = true;
    }
    return changed;
}

/* Applies a full row ("initial"/"insert" of update2, "new" of update) or a
 * diff ("modify" of update2) to 'row'.  With 'full', columns missing from
 * 'values' are reset to their default (update2 omits default values) when
 * 'reset_missing'.  Returns true if anything changed. */
static bool
row_apply(struct ovsdb_idl_row *row, const json_t *values, bool diff,
          bool reset_missing)
{
    const struct ovsdb_idl_table *table = row->table;
    bool changed = false;
    const char *name;
    const json_t *value;

    if (!json_is_object(values)) {
        log_warn_rl(&bad_data_rl, "%s: row update is not an object",
                    table->name);
        return false;
    }
    if (reset_missing) {
        for (size_t i = 0; i < table->n_columns; i++) {
            const struct ovsdb_idl_column *column = &table->columns[i];
            if (!json_object_get(values, column->name)) {
                struct ovsdb_datum def;
                ovsdb_datum_init_default(&def, &column->type);
                if (!ovsdb_datum_equals(&row->data[i], &def, &column->type)) {
                    ovsdb_datum_swap(&row->data[i], &def);
                    row->changed[i] = true;
                    changed = true;
                }
                ovsdb_datum_destroy(&def, &column->type);
            }
        }
    }
    json_object_foreach ((json_t *) values, name, value) {
        const struct ovsdb_idl_column *column
            = ovsdb_idl_table_get_column(table, name);
        if (!column) {
            if (name[0] != '_') {
                log_dbg("%s: update for unknown column %s ignored",
                        table->name, name);
            }
            continue;
        }
        changed |= diff ? row_diff_column(row, column, value)
                        : row_set_column(row, column, value);
    }
    return changed;
}

static struct ovsdb_idl_row *
table_find_row(const struct ovsdb_idl_table *table, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &table->rows) {
        if (uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

/* Finds a row deleted since the last clear that is still on the tracked
 * list, so that a re-insert becomes a modification. */
static struct ovsdb_idl_row *
table_find_deleted(const struct ovsdb_idl_table *table,
                   const struct uuid *uuid)
{
    struct ovsdb_idl_row *row;
    LIST_FOR_EACH (row, track_node, &table->tracked) {
        if ((row->changes & OVSDB_IDL_CHANGE_DELETE)
            && uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

/* Inserts or replaces a row from a full value.  Returns true on change. */
static bool
apply_full_row(struct ovsdb_idl_table *table, const struct uuid *uuid,
               const json_t *values, bool *seen)
{
    struct ovsdb_idl_row *row = table_find_row(table, uuid);
    if (row) {
        if (seen) {
            *seen = true;
        }
        if (row_apply(row, values, false, true)) {
            row_track(row, OVSDB_IDL_CHANGE_MODIFY);
            return true;
        }
        return false;
    }
    row = table_find_deleted(table, uuid);
    if (row) {
        /* Deleted and back again: report as modified, with the columns that
         * differ from what the user last saw. */
        hmap_insert(&table->rows, &row->hmap_node, uuid_hash(uuid));
        row->changes &= ~OVSDB_IDL_CHANGE_DELETE;
        row_apply(row, values, false, true);
        row->changes |= OVSDB_IDL_CHANGE_MODIFY;
        row->change_seqno = table->idl->seqno + 1;
        return true;
    }
    row = row_create(table, uuid);
    row_apply(row, values, false, false);
    for (size_t i = 0; i < table->n_columns; i++) {
        struct ovsdb_datum def;
        ovsdb_datum_init_default(&def, &table->columns[i].type);
        row->changed[i] = !ovsdb_datum_equals(&row->data[i], &def,
                                              &table->columns[i].type);
        ovsdb_datum_destroy(&def, &table->columns[i].type);
    }
    row_track(row, OVSDB_IDL_CHANGE_INSERT);
    return true;
}

static bool
apply_delete(struct ovsdb_idl_table *table, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row = table_find_row(table, uuid);
    if (!row) {
        char buf[UUID_LEN + 1];
        log_warn_rl(&bad_data_rl, "%s: delete of unknown row %s",
                    table->name, uuid_to_string(uuid, buf));
        return false;
    }
    row_delete(row);
    return true;
}

static bool
apply_modify(struct ovsdb_idl_table *table, const struct uuid *uuid,
             const json_t *values, bool diff)
{
    struct ovsdb_idl_row *row = table_find_row(table, uuid);
    if (!row) {
        char buf[UUID_LEN + 1];
        log_warn_rl(&bad_data_rl, "%s: modify of unknown row %s",
                    table->name, uuid_to_string(uuid, buf));
        return false;
    }
    if (row_apply(row, values, diff, false)) {
        row_track(row, OVSDB_IDL_CHANGE_MODIFY);
        return true;
    }
    return false;
}

/* Per-row update, update2 format ("initial"/"insert"/"modify"/"delete")
 * or update format ("old"/"new"). */
static bool
apply_row_update(struct ovsdb_idl_table *table, const struct uuid *uuid,
                 const json_t *ru, bool update2, bool initial)
{
    if (!json_is_object(ru)) {
        return false;
    }
    if (update2) {
        const json_t *v;
        if ((v = json_object_get(ru, "initial"))
            || (v = json_object_get(ru, "insert"))) {
            return apply_full_row(table, uuid, v, NULL);
        } else if ((v = json_object_get(ru, "modify"))) {
            return apply_modify(table, uuid, v, true);
        } else if (json_object_get(ru, "delete")) {
            return apply_delete(table, uuid);
        }
        log_warn_rl(&bad_data_rl, "%s: row update2 of unknown kind",
                    table->name);
        return false;
    }
    const json_t *new = json_object_get(ru, "new");
    const json_t *old = json_object_get(ru, "old");
    if (!new || json_is_null(new)) {
        return old ? apply_delete(table, uuid) : false;
    }
    if (!old || initial || !table_find_row(table, uuid)) {
        return apply_full_row(table, uuid, new, NULL);
    }
    return apply_modify(table, uuid, new, false);
}

/* Applies a <table-updates> or <table-updates2> object.  Returns true if
 * the replica changed. */
static bool
apply_table_updates(struct ovsdb_idl *idl, const json_t *updates,
                    bool update2, bool initial)
{
    const char *tname;
    const json_t *tu;
    bool changed = false;

    if (!json_is_object(updates)) {
        log_warn_rl(&bad_data_rl, "%s: table updates are not an object",
                    idl->db_name);
        return false;
    }
    json_object_foreach ((json_t *) updates, tname, tu) {
        struct ovsdb_idl_table *table = ovsdb_idl_get_table(idl, tname);
        const char *uuid_s;
        const json_t *ru;
        if (!table || !json_is_object(tu)) {
            log_warn_rl(&bad_data_rl, "%s: update for unknown table %s",
                        idl->db_name, tname);
            continue;
        }
        json_object_foreach ((json_t *) tu, uuid_s, ru) {
            struct uuid uuid;
            if (!uuid_from_string(&uuid, uuid_s)) {
                log_warn_rl(&bad_data_rl, "%s: bad row uuid \"%s\"", tname,
                            uuid_s);
                continue;
            }
            changed |= apply_row_update(table, &uuid, ru, update2, initial);
        }
    }
    return changed;
}

/* Applies the monitor reply: the complete contents.  Rows of the old
 * replica absent from it are deleted; others are compared. */
static bool
apply_initial(struct ovsdb_idl *idl, const json_t *updates, bool update2)
{
    /* Remember what existed before, to delete what is gone. */
    size_t n_old = 0;
    for (size_t i = 0; i < idl->n_tables; i++) {
        n_old += hmap_count(&idl->tables[i].rows);
    }
    struct ovsdb_idl_row **old = xcalloc(MAX(n_old, 1), sizeof *old);
    size_t k = 0;
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct ovsdb_idl_row *row;
        OVSDB_IDL_FOR_EACH_ROW (row, &idl->tables[i]) {
            old[k++] = row;
        }
    }
    if (n_old) {
        coverage_inc(ovsdb_idl_resync);
        log_info("%s: resynchronising %zu rows", idl->db_name, n_old);
    }

    bool changed = apply_table_updates(idl, updates, update2, true);

    for (size_t i = 0; i < n_old; i++) {
        struct ovsdb_idl_row *row = old[i];
        const json_t *tu = json_object_get(updates, row->table->name);
        char buf[UUID_LEN + 1];
        if (!tu || !json_object_get(tu, uuid_to_string(&row->uuid, buf))
            || !row->table->monitored) {
            row_delete(row);
            changed = true;
        }
    }
    free(old);
    return changed;
}

static void
notify_change(struct ovsdb_idl *idl)
{
    idl->seqno++;
    if (idl->cbs->on_change) {
        idl->cbs->on_change(idl, idl->aux);
    }
}

static void
handle_schema_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_ERROR) {
        char *s = json_dumps(msg->error, JSON_COMPACT | JSON_ENCODE_ANY);
        set_last_error(idl, "get_schema failed: %s", s ? s : "?");
        log_warn("%s: get_schema failed: %s", idl->db_name, s ? s : "?");
        free(s);
        jsonrpc_session_force_reconnect(idl->session);
        return;
    }
    if (!idl->schema || !json_equal(idl->schema, msg->result)) {
        if (idl->schema) {
            log_info("%s: schema changed; rebuilding the replica",
                     idl->db_name);
            bool had_rows = false;
            for (size_t i = 0; i < idl->n_tables; i++) {
                had_rows |= !hmap_is_empty(&idl->tables[i].rows);
            }
            schema_clear(idl);
            if (had_rows) {
                notify_change(idl);
            }
        }
        if (schema_parse(idl, msg->result)) {
            schema_clear(idl);
            set_last_error(idl, "bad schema from server");
            jsonrpc_session_force_reconnect(idl->session);
            return;
        }
    }
    send_monitor_request(idl);
}

static bool
is_unknown_method(const json_t *error)
{
    const char *s = NULL;
    if (json_is_string(error)) {
        s = json_string_value(error);
    } else if (json_is_object(error)) {
        const json_t *e = json_object_get(error, "error");
        s = json_is_string(e) ? json_string_value(e) : NULL;
    }
    return s && strstr(s, "unknown method");
}

static void
handle_monitor_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_ERROR) {
        if (idl->monitor_cond_active && is_unknown_method(msg->error)) {
            log_info("%s: server lacks monitor_cond, using monitor",
                     idl->db_name);
            idl->use_monitor_cond = false;
            send_monitor_request(idl);
            return;
        }
        char *s = json_dumps(msg->error, JSON_COMPACT | JSON_ENCODE_ANY);
        set_last_error(idl, "monitor failed: %s", s ? s : "?");
        log_warn("%s: monitor request failed: %s", idl->db_name, s ? s : "?");
        free(s);
        jsonrpc_session_force_reconnect(idl->session);
        return;
    }
    idl->state = IDL_MONITORING;
    bool changed = apply_initial(idl, msg->result, idl->monitor_cond_active);
    idl->synced = true;
    idl->ever_synced = true;
    log_info("%s: replica synchronised (%s)", idl->db_name,
             idl->monitor_cond_active ? "monitor_cond" : "monitor");
    /* The first sync is reported even if empty, so users learn that the
     * replica is complete. */
    (void) changed;
    notify_change(idl);
}

static void
handle_update(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg,
              bool update2)
{
    const json_t *params = msg->params;
    if (idl->state != IDL_MONITORING) {
        return;
    }
    if (!json_is_array(params) || json_array_size(params) < 2) {
        log_warn_rl(&bad_data_rl, "%s: malformed %s notification",
                    idl->db_name, msg->method);
        return;
    }
    coverage_inc(ovsdb_idl_update);
    if (apply_table_updates(idl, json_array_get(params, 1), update2,
                            false)) {
        notify_change(idl);
    }
}

static void
idl_on_msg(struct jsonrpc_session *s, struct jsonrpc_msg *msg, void *idl_)
{
    struct ovsdb_idl *idl = idl_;

    if (msg->type == JSONRPC_NOTIFY) {
        if (!strcmp(msg->method, "update2")) {
            handle_update(idl, msg, true);
        } else if (!strcmp(msg->method, "update")) {
            handle_update(idl, msg, false);
        } else if (!strcmp(msg->method, "monitor_canceled")) {
            /* E.g. the database was converted to a new schema: start over
             * (the resync reports what changed). */
            log_info("%s: server canceled the monitor; reconnecting",
                     idl->db_name);
            jsonrpc_session_force_reconnect(idl->session);
        } else {
            log_dbg("%s: ignoring notification %s", idl->db_name,
                    msg->method);
        }
    } else if (msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR) {
        if (idl->request_id && msg->id && json_equal(idl->request_id,
                                                     msg->id)) {
            json_decref(idl->request_id);
            idl->request_id = NULL;
            if (idl->state == IDL_SCHEMA_REQUESTED) {
                handle_schema_reply(idl, msg);
            } else if (idl->state == IDL_MONITOR_REQUESTED) {
                handle_monitor_reply(idl, msg);
            }
        } else if (!idl_txn_process_reply(idl, msg)) {
            log_dbg("%s: unexpected reply ignored", idl->db_name);
        }
    } else if (msg->type == JSONRPC_REQUEST) {
        /* "echo" is answered by the session; nothing else is expected. */
        idl_send(idl, jsonrpc_create_error(json_string("unknown method"),
                                           msg->id));
    }
    jsonrpc_msg_destroy(msg);
}

void
idl_test_connected(struct ovsdb_idl *idl)
{
    idl_on_connect(idl->session, idl);
}

void
idl_test_receive(struct ovsdb_idl *idl, struct jsonrpc_msg *msg)
{
    idl_on_msg(idl->session, msg, idl);
}

void
idl_test_disconnected(struct ovsdb_idl *idl)
{
    idl_on_disconnect(idl->session, ECONNRESET, idl);
}

const json_t *
idl_test_request_id(const struct ovsdb_idl *idl)
{
    return idl->request_id;
}

/* --- Reading. --- */

struct ovsdb_idl_table *
ovsdb_idl_get_table(const struct ovsdb_idl *idl, const char *name)
{
    for (size_t i = 0; i < idl->n_tables; i++) {
        if (!strcmp(idl->tables[i].name, name)) {
            return &idl->tables[i];
        }
    }
    return NULL;
}

size_t
ovsdb_idl_n_tables(const struct ovsdb_idl *idl)
{
    return idl->n_tables;
}

struct ovsdb_idl_table *
ovsdb_idl_table_at(const struct ovsdb_idl *idl, size_t i)
{
    return i < idl->n_tables ? &idl->tables[i] : NULL;
}

const struct ovsdb_idl_column *
ovsdb_idl_table_get_column(const struct ovsdb_idl_table *table,
                           const char *name)
{
    for (size_t i = 0; i < table->n_columns; i++) {
        if (!strcmp(table->columns[i].name, name)) {
            return &table->columns[i];
        }
    }
    return NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_table_get_row(const struct ovsdb_idl_table *table,
                        const struct uuid *uuid)
{
    return table_find_row(table, uuid);
}

const struct ovsdb_idl_row *
ovsdb_idl_get_row(const struct ovsdb_idl *idl, const char *table_name,
                  const struct uuid *uuid)
{
    const struct ovsdb_idl_table *table = ovsdb_idl_get_table(idl,
                                                              table_name);
    return table ? table_find_row(table, uuid) : NULL;
}

size_t
ovsdb_idl_table_n_rows(const struct ovsdb_idl_table *table)
{
    return hmap_count(&table->rows);
}

const struct ovsdb_datum *
ovsdb_idl_row_get_datum(const struct ovsdb_idl_row *row,
                        const struct ovsdb_idl_column *column)
{
    return column ? &row->data[column->index] : NULL;
}

const struct ovsdb_datum *
ovsdb_idl_row_get(const struct ovsdb_idl_row *row, const char *column)
{
    return ovsdb_idl_row_get_datum(
        row, ovsdb_idl_table_get_column(row->table, column));
}

static const struct ovsdb_datum *
get_typed(const struct ovsdb_idl_row *row, const char *name,
          enum ovsdb_atomic_type type)
{
    const struct ovsdb_idl_column *column
        = ovsdb_idl_table_get_column(row->table, name);
    if (!column || column->type.key.type != type
        || ovsdb_type_is_map(&column->type)
        || row->data[column->index].n != 1) {
        return NULL;
    }
    return &row->data[column->index];
}

int64_t
ovsdb_idl_row_get_int(const struct ovsdb_idl_row *row, const char *column,
                      int64_t def)
{
    const struct ovsdb_datum *d = get_typed(row, column, OVSDB_TYPE_INTEGER);
    return d ? d->keys[0].integer : def;
}

bool
ovsdb_idl_row_get_bool(const struct ovsdb_idl_row *row, const char *column,
                       bool def)
{
    const struct ovsdb_datum *d = get_typed(row, column, OVSDB_TYPE_BOOLEAN);
    return d ? d->keys[0].boolean : def;
}

const char *
ovsdb_idl_row_get_string(const struct ovsdb_idl_row *row, const char *column,
                         const char *def)
{
    const struct ovsdb_datum *d = get_typed(row, column, OVSDB_TYPE_STRING);
    return d ? d->keys[0].string : def;
}

void
ovsdb_idl_row_get_smap(const struct ovsdb_idl_row *row, const char *name,
                       struct smap *smap)
{
    const struct ovsdb_idl_column *column
        = ovsdb_idl_table_get_column(row->table, name);
    if (!column) {
        smap_init(smap);
        return;
    }
    ovsdb_datum_to_smap(&row->data[column->index], &column->type, smap);
}

/* --- Change tracking. --- */

bool
ovsdb_idl_row_is_new(const struct ovsdb_idl_row *row)
{
    return (row->changes & OVSDB_IDL_CHANGE_INSERT) != 0;
}

bool
ovsdb_idl_row_is_deleted(const struct ovsdb_idl_row *row)
{
    return (row->changes & OVSDB_IDL_CHANGE_DELETE) != 0;
}

bool
ovsdb_idl_row_is_modified(const struct ovsdb_idl_row *row)
{
    return row->changes == OVSDB_IDL_CHANGE_MODIFY;
}

bool
ovsdb_idl_row_column_changed(const struct ovsdb_idl_row *row,
                             const char *name)
{
    const struct ovsdb_idl_column *column
        = ovsdb_idl_table_get_column(row->table, name);
    return column && row->changed[column->index];
}

bool
ovsdb_idl_table_has_changes(const struct ovsdb_idl_table *table)
{
    return !list_is_empty(&table->tracked);
}

void
ovsdb_idl_track_clear(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct ovsdb_idl_table *table = &idl->tables[i];
        struct ovsdb_idl_row *row, *next;
        LIST_FOR_EACH_SAFE (row, next, track_node, &table->tracked) {
            list_remove(&row->track_node);
            if (row->changes & OVSDB_IDL_CHANGE_DELETE) {
                row_free(row);
                continue;
            }
            row->changes = 0;
            memset(row->changed, 0, MAX(table->n_columns, 1)
                                    * sizeof *row->changed);
        }
    }
}
