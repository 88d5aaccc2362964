/* idl-txn.c: building and committing OVSDB transactions for the IDL. */
#include <config.h>
#include "ovsdb/idl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc/jsonrpc.h"
#include "ovsdb/idl-private.h"
#include "util/coverage.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(ovsdb_idl_txn);
COVERAGE_DEFINE(ovsdb_idl_txn_commit);

/* A row inserted by the transaction. */
struct txn_insert {
    struct uuid placeholder;
    char *name;                 /* Its named-uuid, "rowN". */
    char *table;
    json_t *op;                 /* The insert op (borrowed from 'ops'). */
    struct uuid real;           /* After success. */
    bool has_real;
    size_t op_index;
};

/* An "update" op on an existing row, for merging writes. */
struct txn_update {
    char *table;
    struct uuid uuid;
    json_t *op;                 /* Borrowed from 'ops'. */
};

struct ovsdb_idl_txn {
    struct ovsdb_idl *idl;
    json_t *ops;                /* Array of operations. */
    struct txn_insert *inserts;
    size_t n_inserts;
    struct txn_update *updates;
    size_t n_updates;

    /* After commit. */
    struct list_node node;      /* In idl->pending_txns. */
    json_t *request_id;
    ovsdb_idl_txn_done_cb *cb;
    void *aux;
    enum ovsdb_idl_txn_status status;
    char *error;
    struct mainloop_timer *deferred;    /* Completion without a reply. */
};

static const char *const status_names[] = {
    "success", "unchanged", "try again", "error",
};

const char *
ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status status)
{
    return status < ARRAY_SIZE(status_names) ? status_names[status] : "?";
}

struct ovsdb_idl_txn *
ovsdb_idl_txn_create(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_txn *txn = xzalloc(sizeof *txn);
    txn->idl = idl;
    txn->ops = json_array();
    list_init(&txn->node);
    return txn;
}

static void
txn_free(struct ovsdb_idl_txn *txn)
{
    for (size_t i = 0; i < txn->n_inserts; i++) {
        free(txn->inserts[i].name);
        free(txn->inserts[i].table);
    }
    free(txn->inserts);
    for (size_t i = 0; i < txn->n_updates; i++) {
        free(txn->updates[i].table);
    }
    free(txn->updates);
    json_decref(txn->ops);
    json_decref(txn->request_id);
    mainloop_timer_del(txn->deferred);
    free(txn->error);
    free(txn);
}

void
ovsdb_idl_txn_abort(struct ovsdb_idl_txn *txn)
{
    if (txn) {
        txn_free(txn);
    }
}

struct ovsdb_idl *
ovsdb_idl_txn_get_idl(const struct ovsdb_idl_txn *txn)
{
    return txn->idl;
}

size_t
ovsdb_idl_txn_n_ops(const struct ovsdb_idl_txn *txn)
{
    return json_array_size(txn->ops);
}

void
ovsdb_idl_txn_add_op(struct ovsdb_idl_txn *txn, json_t *op)
{
    json_array_append_new(txn->ops, op);
}

void
ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *txn, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *s = xvasprintf(fmt, args);
    va_end(args);
    ovsdb_idl_txn_add_op(txn, json_pack("{s:s, s:s}", "op", "comment",
                                        "comment", s));
    free(s);
}

static const struct txn_insert *
find_insert(const struct ovsdb_idl_txn *txn, const struct uuid *uuid)
{
    for (size_t i = 0; i < txn->n_inserts; i++) {
        if (uuid_equals(&txn->inserts[i].placeholder, uuid)) {
            return &txn->inserts[i];
        }
    }
    return NULL;
}

static const char *
rename_inserted(const struct uuid *uuid, void *txn_)
{
    const struct txn_insert *ins = find_insert(txn_, uuid);
    return ins ? ins->name : NULL;
}

struct uuid
ovsdb_idl_txn_insert(struct ovsdb_idl_txn *txn, const char *table)
{
    struct txn_insert *ins;
    txn->inserts = xrealloc(txn->inserts,
                            (txn->n_inserts + 1) * sizeof *txn->inserts);
    ins = &txn->inserts[txn->n_inserts++];
    memset(ins, 0, sizeof *ins);
    uuid_generate(&ins->placeholder);
    ins->name = xasprintf("row%zu", txn->n_inserts);
    ins->table = xstrdup(table);
    ins->op = json_pack("{s:s, s:s, s:{}, s:s}", "op", "insert",
                        "table", table, "row", "uuid-name", ins->name);
    ins->op_index = json_array_size(txn->ops);
    json_array_append_new(txn->ops, ins->op);
    return ins->placeholder;
}

static json_t *
where_uuid(const struct uuid *uuid)
{
    char buf[UUID_LEN + 1];
    return json_pack("[[s, s, [s, s]]]", "_uuid", "==", "uuid",
                     uuid_to_string(uuid, buf));
}

/* The "row" object into which writes to (table, uuid) go. */
static json_t *
row_object_for(struct ovsdb_idl_txn *txn, const char *table,
               const struct uuid *uuid)
{
    const struct txn_insert *ins = find_insert(txn, uuid);
    if (ins) {
        return json_object_get(ins->op, "row");
    }
    for (size_t i = 0; i < txn->n_updates; i++) {
        struct txn_update *u = &txn->updates[i];
        if (uuid_equals(&u->uuid, uuid) && !strcmp(u->table, table)) {
            return json_object_get(u->op, "row");
        }
    }
    txn->updates = xrealloc(txn->updates,
                            (txn->n_updates + 1) * sizeof *txn->updates);
    struct txn_update *u = &txn->updates[txn->n_updates++];
    u->table = xstrdup(table);
    u->uuid = *uuid;
    u->op = json_pack("{s:s, s:s, s:o, s:{}}", "op", "update", "table", table,
                      "where", where_uuid(uuid), "row");
    json_array_append_new(txn->ops, u->op);
    return json_object_get(u->op, "row");
}

static const struct ovsdb_idl_column *
lookup_column(const struct ovsdb_idl_txn *txn, const char *table_name,
              const char *column_name)
{
    const struct ovsdb_idl_table *table = ovsdb_idl_get_table(txn->idl,
                                                              table_name);
    const struct ovsdb_idl_column *column
        = table ? ovsdb_idl_table_get_column(table, column_name) : NULL;
    if (!column) {
        log_warn("write to unknown column %s.%s ignored", table_name,
                 column_name);
    }
    return column;
}

int
ovsdb_idl_txn_write_uuid(struct ovsdb_idl_txn *txn, const char *table,
                         const struct uuid *uuid, const char *column_name,
                         const struct ovsdb_datum *datum)
{
    const struct ovsdb_idl_column *column = lookup_column(txn, table,
                                                          column_name);
    if (!column) {
        return ENOENT;
    }
    json_t *row = row_object_for(txn, table, uuid);
    json_object_set_new(row, column_name,
                        ovsdb_datum_to_json_renamed(datum, &column->type,
                                                    rename_inserted, txn));
    return 0;
}

int
ovsdb_idl_txn_write(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
                    const char *column, const struct ovsdb_datum *datum)
{
    return ovsdb_idl_txn_write_uuid(txn, row->table->name, &row->uuid,
                                    column, datum);
}

/* Writes a datum built by the caller and destroys it. */
static int
write_owned(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
            const char *column, struct ovsdb_datum *datum,
            const struct ovsdb_type *type)
{
    int error = ovsdb_idl_txn_write(txn, row, column, datum);
    ovsdb_datum_destroy(datum, type);
    return error;
}

int
ovsdb_idl_txn_write_int(struct ovsdb_idl_txn *txn,
                        const struct ovsdb_idl_row *row, const char *column,
                        int64_t value)
{
    struct ovsdb_type type = ovsdb_type_scalar(OVSDB_TYPE_INTEGER);
    struct ovsdb_datum datum;
    ovsdb_datum_from_int(&datum, value);
    return write_owned(txn, row, column, &datum, &type);
}

int
ovsdb_idl_txn_write_int_opt(struct ovsdb_idl_txn *txn,
                            const struct ovsdb_idl_row *row,
                            const char *column, const int64_t *value)
{
    struct ovsdb_type type = ovsdb_type_optional(OVSDB_TYPE_INTEGER);
    struct ovsdb_datum datum;
    if (value) {
        ovsdb_datum_from_int(&datum, *value);
    } else {
        ovsdb_datum_init_empty(&datum);
    }
    return write_owned(txn, row, column, &datum, &type);
}

int
ovsdb_idl_txn_write_bool(struct ovsdb_idl_txn *txn,
                         const struct ovsdb_idl_row *row, const char *column,
                         bool value)
{
    struct ovsdb_type type = ovsdb_type_scalar(OVSDB_TYPE_BOOLEAN);
    struct ovsdb_datum datum;
    ovsdb_datum_from_bool(&datum, value);
    return write_owned(txn, row, column, &datum, &type);
}

int
ovsdb_idl_txn_write_string(struct ovsdb_idl_txn *txn,
                           const struct ovsdb_idl_row *row,
                           const char *column, const char *value)
{
    struct ovsdb_type type = ovsdb_type_optional(OVSDB_TYPE_STRING);
    struct ovsdb_datum datum;
    if (value) {
        ovsdb_datum_from_string(&datum, value);
    } else {
        ovsdb_datum_init_empty(&datum);
    }
    return write_owned(txn, row, column, &datum, &type);
}

int
ovsdb_idl_txn_write_strings(struct ovsdb_idl_txn *txn,
                            const struct ovsdb_idl_row *row,
                            const char *column, const char *const *strings,
                            size_t n)
{
    struct ovsdb_type type = ovsdb_type_set(OVSDB_TYPE_STRING);
    struct ovsdb_datum datum;
    ovsdb_datum_from_strings(&datum, strings, n);
    return write_owned(txn, row, column, &datum, &type);
}

/* Converts a string to an atom of 'type' for map values/keys written from
 * strings.  Returns false if it does not parse. */
static bool
atom_from_text(union ovsdb_atom *atom, enum ovsdb_atomic_type type,
               const char *s)
{
    char *end;
    memset(atom, 0, sizeof *atom);
    switch (type) {
    case OVSDB_TYPE_STRING:
        atom->string = xstrdup(s);
        return true;
    case OVSDB_TYPE_INTEGER:
        atom->integer = strtoll(s, &end, 10);
        return *s && !*end;
    case OVSDB_TYPE_REAL:
        atom->real = strtod(s, &end);
        return *s && !*end;
    case OVSDB_TYPE_BOOLEAN:
        atom->boolean = !strcmp(s, "true");
        return atom->boolean || !strcmp(s, "false");
    case OVSDB_TYPE_UUID:
        return uuid_from_string(&atom->uuid, s);
    case OVSDB_TYPE_VOID:
    default:
        return false;
    }
}

int
ovsdb_idl_txn_write_smap(struct ovsdb_idl_txn *txn,
                         const struct ovsdb_idl_row *row,
                         const char *column_name, const struct smap *smap)
{
    const struct ovsdb_idl_column *column = lookup_column(txn,
                                                          row->table->name,
                                                          column_name);
    if (!column) {
        return ENOENT;
    }
    if (!ovsdb_type_is_map(&column->type)) {
        log_warn("%s.%s is not a map column", row->table->name, column_name);
        return EINVAL;
    }
    struct ovsdb_datum datum;
    const struct smap_node *node;
    ovsdb_datum_init_empty(&datum);
    SMAP_FOR_EACH (node, smap) {
        union ovsdb_atom k, v;
        if (!atom_from_text(&k, column->type.key.type, node->key)
            || !atom_from_text(&v, column->type.value.type, node->value)) {
            log_warn("%s.%s: dropping unparsable entry %s=%s",
                     row->table->name, column_name, node->key, node->value);
            ovsdb_atom_destroy(&k, column->type.key.type);
            ovsdb_atom_destroy(&v, column->type.value.type);
            continue;
        }
        ovsdb_datum_add_unsorted(&datum, &k, &v);
    }
    ovsdb_datum_sort_unique(&datum, &column->type);
    int error = ovsdb_idl_txn_write(txn, row, column_name, &datum);
    ovsdb_datum_destroy(&datum, &column->type);
    return error;
}

static json_t *
mutate_op(const struct ovsdb_idl_row *row, json_t *mutations)
{
    return json_pack("{s:s, s:s, s:o, s:o}", "op", "mutate",
                     "table", row->table->name,
                     "where", where_uuid(&row->uuid),
                     "mutations", mutations);
}

int
ovsdb_idl_txn_mutate(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row, const char *column,
                     const char *mutator, json_t *value)
{
    if (!lookup_column(txn, row->table->name, column)) {
        json_decref(value);
        return ENOENT;
    }
    ovsdb_idl_txn_add_op(txn, mutate_op(row, json_pack("[[s, s, o]]", column,
                                                       mutator, value)));
    return 0;
}

int
ovsdb_idl_txn_mutate_datum(struct ovsdb_idl_txn *txn,
                           const struct ovsdb_idl_row *row,
                           const char *column_name, const char *mutator,
                           const struct ovsdb_datum *value)
{
    const struct ovsdb_idl_column *column = lookup_column(txn,
                                                          row->table->name,
                                                          column_name);
    if (!column) {
        return ENOENT;
    }
    /* Arithmetic mutators take a bare atom; set/map ones a set or map. */
    struct ovsdb_type type = column->type;
    bool arith = strcmp(mutator, "insert") && strcmp(mutator, "delete");
    if (arith) {
        type.value.type = OVSDB_TYPE_VOID;
        type.n_min = type.n_max = 1;
    } else {
        type.n_min = 0;
        type.n_max = OVSDB_N_MAX_UNLIMITED;
    }
    json_t *json = ovsdb_datum_to_json_renamed(value, &type, rename_inserted,
                                               txn);
    if (!arith && !ovsdb_type_is_map(&type) && value->n == 1) {
        json = json_pack("[s, [o]]", "set", json);
    }
    ovsdb_idl_txn_add_op(txn, mutate_op(row, json_pack("[[s, s, o]]",
                                                       column_name, mutator,
                                                       json)));
    return 0;
}

int
ovsdb_idl_txn_map_set_key(struct ovsdb_idl_txn *txn,
                          const struct ovsdb_idl_row *row,
                          const char *column_name, const char *key,
                          const char *value)
{
    const struct ovsdb_idl_column *column = lookup_column(txn,
                                                          row->table->name,
                                                          column_name);
    if (!column) {
        return ENOENT;
    }
    if (!ovsdb_type_is_map(&column->type)) {
        return EINVAL;
    }
    union ovsdb_atom k, v;
    if (!atom_from_text(&k, column->type.key.type, key)) {
        ovsdb_atom_destroy(&k, column->type.key.type);
        return EINVAL;
    }
    json_t *mutations = json_array();
    json_array_append_new(mutations, json_pack(
                              "[s, s, [s, [o]]]", column_name, "delete",
                              "set", ovsdb_atom_to_json(
                                  &k, column->type.key.type)));
    if (value) {
        if (!atom_from_text(&v, column->type.value.type, value)) {
            ovsdb_atom_destroy(&k, column->type.key.type);
            ovsdb_atom_destroy(&v, column->type.value.type);
            json_decref(mutations);
            return EINVAL;
        }
        json_array_append_new(mutations, json_pack(
                                  "[s, s, [s, [[o, o]]]]", column_name,
                                  "insert", "map",
                                  ovsdb_atom_to_json(&k,
                                                     column->type.key.type),
                                  ovsdb_atom_to_json(
                                      &v, column->type.value.type)));
        ovsdb_atom_destroy(&v, column->type.value.type);
    }
    ovsdb_atom_destroy(&k, column->type.key.type);
    ovsdb_idl_txn_add_op(txn, mutate_op(row, mutations));
    return 0;
}

void
ovsdb_idl_txn_delete(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row)
{
    ovsdb_idl_txn_add_op(txn, json_pack("{s:s, s:s, s:o}", "op", "delete",
                                        "table", row->table->name,
                                        "where", where_uuid(&row->uuid)));
}

int
ovsdb_idl_txn_verify(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row, const char *column_name)
{
    const struct ovsdb_idl_column *column
        = ovsdb_idl_table_get_column(row->table, column_name);
    if (!column) {
        return ENOENT;
    }
    json_t *value = ovsdb_datum_to_json(&row->data[column->index],
                                        &column->type);
    ovsdb_idl_txn_add_op(txn, json_pack(
                             "{s:s, s:s, s:o, s:[s], s:s, s:[{s:o}], s:i}",
                             "op", "wait", "table", row->table->name,
                             "where", where_uuid(&row->uuid),
                             "columns", column_name, "until", "==",
                             "rows", column_name, value, "timeout", 0));
    return 0;
}

json_t *
ovsdb_idl_txn_to_json(const struct ovsdb_idl_txn *txn)
{
    json_t *params = json_array();
    json_array_append_new(params, json_string(ovsdb_idl_get_db_name(
                                                  txn->idl)));
    size_t i;
    json_t *op;
    json_array_foreach (txn->ops, i, op) {
        json_array_append_new(params, json_deep_copy(op));
    }
    return params;
}

/* --- Commit and completion. --- */

static void
txn_complete(struct ovsdb_idl_txn *txn, enum ovsdb_idl_txn_status status,
             const char *error, const json_t *result)
{
    if (status != OVSDB_IDL_TXN_SUCCESS && status != OVSDB_IDL_TXN_UNCHANGED) {
        log_info("%s: transaction %s%s%s", ovsdb_idl_get_db_name(txn->idl),
                 ovsdb_idl_txn_status_to_string(status), error ? ": " : "",
                 error ? error : "");
    }
    if (txn->cb) {
        txn->cb(txn, status, error, result, txn->aux);
    }
    txn_free(txn);
}

static void
deferred_complete(void *txn_)
{
    struct ovsdb_idl_txn *txn = txn_;
    txn_complete(txn, txn->status, txn->error, NULL);
}

static void
complete_later(struct ovsdb_idl_txn *txn, enum ovsdb_idl_txn_status status,
               const char *error)
{
    txn->status = status;
    txn->error = error ? xstrdup(error) : NULL;
    txn->deferred = mainloop_timer_add(0, false, deferred_complete, txn);
}

void
ovsdb_idl_txn_commit(struct ovsdb_idl_txn *txn, ovsdb_idl_txn_done_cb *cb,
                     void *aux)
{
    struct ovsdb_idl *idl = txn->idl;
    txn->cb = cb;
    txn->aux = aux;

    bool only_comments = true;
    size_t i;
    json_t *op;
    json_array_foreach (txn->ops, i, op) {
        const char *kind = json_string_value(json_object_get(op, "op"));
        if (!kind || strcmp(kind, "comment")) {
            only_comments = false;
        }
    }
    if (only_comments) {
        complete_later(txn, OVSDB_IDL_TXN_UNCHANGED, NULL);
        return;
    }
    if (!ovsdb_idl_is_connected(idl)) {
        complete_later(txn, OVSDB_IDL_TXN_TRY_AGAIN, "not connected");
        return;
    }
    coverage_inc(ovsdb_idl_txn_commit);
    txn->request_id = idl_next_request_id(idl);
    int error = idl_send(idl, jsonrpc_create_request(
                             "transact", ovsdb_idl_txn_to_json(txn),
                             json_incref(txn->request_id)));
    if (error) {
        complete_later(txn, OVSDB_IDL_TXN_TRY_AGAIN, nfv_strerror(error));
        return;
    }
    list_push_back(&idl->pending_txns, &txn->node);
}

/* Text of an RFC 7047 error object: "error: details". */
static char *
error_text(const json_t *err)
{
    const char *e = json_string_value(json_object_get(err, "error"));
    const char *d = json_string_value(json_object_get(err, "details"));
    if (e && d) {
        return xasprintf("%s: %s", e, d);
    } else if (e) {
        return xstrdup(e);
    }
    char *s = json_dumps(err, JSON_COMPACT | JSON_ENCODE_ANY);
    char *text = xstrdup(s ? s : "unknown error");
    free(s);
    return text;
}

static void
process_result(struct ovsdb_idl_txn *txn, const json_t *result)
{
    if (!json_is_array(result)) {
        txn_complete(txn, OVSDB_IDL_TXN_ERROR, "reply is not an array",
                     result);
        return;
    }
    size_t i;
    const json_t *r;
    json_array_foreach (result, i, r) {
        const json_t *err = json_object_get(r, "error");
        if (json_is_string(err)) {
            char *text = error_text(r);
            enum ovsdb_idl_txn_status status
                = !strcmp(json_string_value(err), "timed out")
                  ? OVSDB_IDL_TXN_TRY_AGAIN : OVSDB_IDL_TXN_ERROR;
            txn_complete(txn, status, text, result);
            free(text);
            return;
        }
    }
    for (size_t k = 0; k < txn->n_inserts; k++) {
        struct txn_insert *ins = &txn->inserts[k];
        const json_t *uuid = json_object_get(json_array_get(result,
                                                            ins->op_index),
                                             "uuid");
        if (json_is_array(uuid) && json_array_size(uuid) == 2
            && uuid_from_string(&ins->real, json_string_value(
                                    json_array_get(uuid, 1)))) {
            ins->has_real = true;
        }
    }
    txn_complete(txn, OVSDB_IDL_TXN_SUCCESS, NULL, result);
}

bool
idl_txn_process_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    struct ovsdb_idl_txn *txn;
    LIST_FOR_EACH (txn, node, &idl->pending_txns) {
        if (msg->id && json_equal(txn->request_id, msg->id)) {
            list_remove(&txn->node);
            if (msg->type == JSONRPC_ERROR) {
                char *s = json_dumps(msg->error,
                                     JSON_COMPACT | JSON_ENCODE_ANY);
                txn_complete(txn, OVSDB_IDL_TXN_ERROR, s ? s : "error",
                             NULL);
                free(s);
            } else {
                process_result(txn, msg->result);
            }
            return true;
        }
    }
    return false;
}

void
idl_txn_fail_all(struct ovsdb_idl *idl, bool call_cbs)
{
    struct ovsdb_idl_txn *txn, *next;
    LIST_FOR_EACH_SAFE (txn, next, node, &idl->pending_txns) {
        list_remove(&txn->node);
        if (call_cbs) {
            txn_complete(txn, OVSDB_IDL_TXN_TRY_AGAIN,
                         "connection lost before the reply", NULL);
        } else {
            txn_free(txn);
        }
    }
}

const struct uuid *
ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *txn,
                              const struct uuid *placeholder)
{
    const struct txn_insert *ins = find_insert(txn, placeholder);
    return ins && ins->has_real ? &ins->real : NULL;
}
