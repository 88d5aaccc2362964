/* idl.h: an OVSDB client that keeps an in-memory replica of a database.
 *
 * The IDL ("interface definition language" client, after Open vSwitch's
 * name for the idea) connects to an ovsdb-server (RFC 7047) at an active
 * remote ("unix:PATH", "tcp:IP:PORT", "ssl:IP:PORT") or waits for the server
 * to connect at a passive one ("punix:", "ptcp:", "pssl:"), then:
 *
 *   1. asks for the schema ("get_schema"),
 *   2. starts a monitor ("monitor_cond", falling back to "monitor" when the
 *      server does not know the method) on every table and column the
 *      server's schema has, or only on those chosen with
 *      ovsdb_idl_monitor_table()/ovsdb_idl_monitor_column(),
 *   3. applies the initial contents and every later "update2"/"update"
 *      notification to the replica, tracking what changed,
 *   4. answers the server's "echo" requests and sends its own after an
 *      inactivity probe interval, reconnecting with exponential back-off
 *      when the connection drops or goes silent.
 *
 * A "monitor_canceled" notification (or the connection closing, as
 * ovsdb-server does on an online schema conversion) leads to a reconnect.
 * After a reconnect the replica is resynchronised from scratch: the new
 * initial contents are compared with the old replica, and every difference
 * is reported as an insert, modify or delete, so that a user who applies
 * "what changed" also applies what changed while it was disconnected.
 *
 * The replica is generic: tables, columns and types come from the schema
 * the server sends, so unknown tables and columns are kept (not rejected).
 * Typed views of the Open_vSwitch schema are in ovsdb/vswitch-rec.h.
 *
 * Everything here runs on the main thread's libevent loop
 * (util/mainloop.h); call these functions only from the main thread.
 * Callbacks are invoked from the loop, never from inside the call that
 * registered them. */
#ifndef OVSNFV_OVSDB_IDL_H
#define OVSNFV_OVSDB_IDL_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ovsdb/ovsdb-data.h"
#include "util/hmap.h"
#include "util/list.h"

struct smap;
struct ovsdb_idl;
struct ovsdb_idl_txn;

/* ---------------------------------------------------------------------
 * Schema and replica.
 * ------------------------------------------------------------------- */

/* One column of a table, as the server's schema describes it. */
struct ovsdb_idl_column {
    char *name;
    struct ovsdb_type type;
    size_t index;               /* Into the row's 'data' and 'changed'. */
    bool mutable_;              /* False if the schema says "mutable":false. */
    bool monitored;             /* Part of the monitor request. */
};

/* One table of the replica. */
struct ovsdb_idl_table {
    char *name;
    struct ovsdb_idl_column *columns;   /* Schema order. */
    size_t n_columns;
    bool is_root;
    bool monitored;             /* Part of the monitor request. */
    struct hmap rows;           /* Live rows: struct ovsdb_idl_row, by uuid. */
    struct list_node tracked;   /* Rows changed since the last clear,
                                 * including deleted ones. */
    struct ovsdb_idl *idl;
};

/* Per-row change flags since the last ovsdb_idl_track_clear(). */
enum ovsdb_idl_change {
    OVSDB_IDL_CHANGE_INSERT = 1 << 0,
    OVSDB_IDL_CHANGE_MODIFY = 1 << 1,
    OVSDB_IDL_CHANGE_DELETE = 1 << 2,
};

/* One row of the replica. */
struct ovsdb_idl_row {
    struct hmap_node hmap_node;     /* In table->rows (unless deleted). */
    struct uuid uuid;
    struct ovsdb_idl_table *table;
    struct ovsdb_datum *data;       /* One per column; unmonitored columns
                                     * hold their type's default. */
    /* Change tracking. */
    unsigned int changes;           /* enum ovsdb_idl_change bits. */
    bool *changed;                  /* Per column: changed since clear. */
    uint64_t change_seqno;          /* idl seqno of the last change. */
    struct list_node track_node;    /* In table->tracked if 'changes'. */
};

/* ---------------------------------------------------------------------
 * Lifecycle and connection.
 * ------------------------------------------------------------------- */

struct ovsdb_idl_cbs {
    /* The replica changed (ovsdb_idl_get_seqno() increased): new initial
     * contents after (re)connecting, or an update notification.  Inspect
     * the tracked rows, then call ovsdb_idl_track_clear().  May be NULL. */
    void (*on_change)(struct ovsdb_idl *, void *aux);
    /* The session connected (true) or lost its connection (false).  May be
     * NULL.  After a disconnect the replica stays as it was until the next
     * initial contents arrive. */
    void (*on_connection)(struct ovsdb_idl *, bool connected, void *aux);
};

/* Creates an IDL for database 'db_name' (e.g. "Open_vSwitch") at 'remote'
 * and starts connecting.  'cbs' must outlive the IDL.  Never fails: an
 * invalid remote is logged and retried with back-off (the user can fix it
 * with ovsdb_idl_set_remote()). */
struct ovsdb_idl *ovsdb_idl_create(const char *remote, const char *db_name,
                                   const struct ovsdb_idl_cbs *, void *aux);
/* Closes the connection, fails pending transactions (their callbacks are
 * not called) and frees everything, including the replica. */
void ovsdb_idl_destroy(struct ovsdb_idl *);

/* Changes the remote; reconnects if it differs from the current one. */
void ovsdb_idl_set_remote(struct ovsdb_idl *, const char *remote);
const char *ovsdb_idl_get_remote(const struct ovsdb_idl *);
const char *ovsdb_idl_get_db_name(const struct ovsdb_idl *);
/* The "version" of the schema the server sent (e.g. "8.3.1"), or NULL
 * before the first schema or if it has none. */
const char *ovsdb_idl_get_schema_version(const struct ovsdb_idl *);
/* Inactivity probe interval in ms (default 5000; 0 disables probes). */
void ovsdb_idl_set_probe_interval(struct ovsdb_idl *, int probe_ms);
/* Maximum reconnect back-off in ms (default 8000, minimum 1000). */
void ovsdb_idl_set_max_backoff(struct ovsdb_idl *, int max_backoff_ms);
/* Drops the connection and reconnects at once (then resyncs). */
void ovsdb_idl_force_reconnect(struct ovsdb_idl *);

/* Restricts monitoring.  With no call, everything in the server's schema
 * is monitored.  Once a table is named by either function, only named
 * tables are monitored; ovsdb_idl_monitor_table() takes all of a table's
 * columns, ovsdb_idl_monitor_column() only the named ones (plus any other
 * named columns of that table).  Names unknown to the server are logged
 * and ignored.  Taking effect at the next (re)connection, so call them
 * right after ovsdb_idl_create(). */
void ovsdb_idl_monitor_table(struct ovsdb_idl *, const char *table);
void ovsdb_idl_monitor_column(struct ovsdb_idl *, const char *table,
                              const char *column);

/* True while a session is established (schema received). */
bool ovsdb_idl_is_connected(const struct ovsdb_idl *);
/* True once the initial contents of the current session are applied;
 * false again after a disconnect until the resync completes. */
bool ovsdb_idl_is_synced(const struct ovsdb_idl *);
/* True if the IDL has ever been synced. */
bool ovsdb_idl_has_ever_synced(const struct ovsdb_idl *);
/* Increments on every change of the replica. */
uint64_t ovsdb_idl_get_seqno(const struct ovsdb_idl *);
/* Number of connections established so far (useful to detect resyncs). */
unsigned int ovsdb_idl_get_n_connects(const struct ovsdb_idl *);
/* The last connection error or disconnect reason, for status output
 * (NULL if none). */
const char *ovsdb_idl_get_last_error(const struct ovsdb_idl *);

/* ---------------------------------------------------------------------
 * Reading the replica.
 * ------------------------------------------------------------------- */

/* The table named 'name', or NULL (unknown to the server, or no schema yet). */
struct ovsdb_idl_table *ovsdb_idl_get_table(const struct ovsdb_idl *,
                                            const char *name);
/* Tables in schema order; 'i' < ovsdb_idl_n_tables(). */
size_t ovsdb_idl_n_tables(const struct ovsdb_idl *);
struct ovsdb_idl_table *ovsdb_idl_table_at(const struct ovsdb_idl *,
                                           size_t i);
/* The column named 'name' of 'table', or NULL. */
const struct ovsdb_idl_column *ovsdb_idl_table_get_column(
    const struct ovsdb_idl_table *, const char *name);

/* Row with 'uuid' in 'table', or NULL.  Deleted rows are not found. */
const struct ovsdb_idl_row *ovsdb_idl_table_get_row(
    const struct ovsdb_idl_table *, const struct uuid *);
/* Same, looking the table up by name. */
const struct ovsdb_idl_row *ovsdb_idl_get_row(const struct ovsdb_idl *,
                                              const char *table,
                                              const struct uuid *);
size_t ovsdb_idl_table_n_rows(const struct ovsdb_idl_table *);

/* Iterates over the live rows of a table (in no particular order). */
#define OVSDB_IDL_FOR_EACH_ROW(ROW, TABLE) \
    HMAP_FOR_EACH (ROW, hmap_node, &(TABLE)->rows)

/* Value of column 'column' of 'row', or NULL if the table has no such
 * column.  The datum belongs to the replica: valid until the next change
 * callback returns. */
const struct ovsdb_datum *ovsdb_idl_row_get(const struct ovsdb_idl_row *,
                                            const char *column);
/* Same, by column. */
const struct ovsdb_datum *ovsdb_idl_row_get_datum(
    const struct ovsdb_idl_row *, const struct ovsdb_idl_column *);

/* Typed shortcuts for single-valued columns: return 'def' when the column
 * is missing, empty or of another type. */
int64_t ovsdb_idl_row_get_int(const struct ovsdb_idl_row *,
                              const char *column, int64_t def);
bool ovsdb_idl_row_get_bool(const struct ovsdb_idl_row *, const char *column,
                            bool def);
const char *ovsdb_idl_row_get_string(const struct ovsdb_idl_row *,
                                     const char *column, const char *def);
/* Fills 'smap' (initialised by this call) from a map column (empty if the
 * column is missing or not a map). */
void ovsdb_idl_row_get_smap(const struct ovsdb_idl_row *, const char *column,
                            struct smap *);

/* ---------------------------------------------------------------------
 * Change tracking.
 * ------------------------------------------------------------------- */

/* Iterates over the rows of 'TABLE' inserted, modified or deleted since the
 * last ovsdb_idl_track_clear().  Deleted rows are no longer in the table's
 * row map but stay readable (with their last contents) until the clear. */
#define OVSDB_IDL_FOR_EACH_TRACKED(ROW, TABLE) \
    LIST_FOR_EACH (ROW, track_node, &(TABLE)->tracked)

/* A row both inserted and deleted since the last clear is not tracked.
 * A row deleted and then re-inserted (e.g. across a resync) is reported as
 * modified, with the columns that differ. */
bool ovsdb_idl_row_is_new(const struct ovsdb_idl_row *);
bool ovsdb_idl_row_is_deleted(const struct ovsdb_idl_row *);
bool ovsdb_idl_row_is_modified(const struct ovsdb_idl_row *);
/* True if 'column' changed since the last clear (always true for inserted
 * rows' non-default columns). */
bool ovsdb_idl_row_column_changed(const struct ovsdb_idl_row *,
                                  const char *column);
/* True if any row of 'table' changed since the last clear. */
bool ovsdb_idl_table_has_changes(const struct ovsdb_idl_table *);
/* Forgets all tracked changes and frees deleted rows. */
void ovsdb_idl_track_clear(struct ovsdb_idl *);

/* ---------------------------------------------------------------------
 * Transactions.
 *
 * Build a list of operations, then commit: the IDL sends one "transact"
 * request and calls the completion callback with the outcome.  The replica
 * is not changed locally: the server's update notification (which arrives
 * before the reply) brings the effects in, as for any other client.
 * ------------------------------------------------------------------- */

enum ovsdb_idl_txn_status {
    OVSDB_IDL_TXN_SUCCESS,      /* Committed. */
    OVSDB_IDL_TXN_UNCHANGED,    /* No operations: nothing was sent. */
    OVSDB_IDL_TXN_TRY_AGAIN,    /* A "wait" failed, the connection dropped
                                 * before the reply, or not connected:
                                 * retry with fresh data, i.e. after the
                                 * next change callback (retrying at once
                                 * would spin while disconnected). */
    OVSDB_IDL_TXN_ERROR,        /* The server rejected it: see 'error'. */
};

const char *ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status);

/* Completion callback.  'error' is NULL on success, otherwise a readable
 * explanation ("constraint violation: ...").  'result' is the server's
 * result array (NULL if there was no reply); borrowed. */
typedef void ovsdb_idl_txn_done_cb(struct ovsdb_idl_txn *,
                                   enum ovsdb_idl_txn_status,
                                   const char *error, const json_t *result,
                                   void *aux);

/* Starts a transaction on 'idl''s database. */
struct ovsdb_idl_txn *ovsdb_idl_txn_create(struct ovsdb_idl *);
/* Frees a transaction that was not committed.  (A committed transaction is
 * freed by the IDL after its callback returns.) */
void ovsdb_idl_txn_abort(struct ovsdb_idl_txn *);

/* Adds a "comment" operation (shown in the server's log). */
void ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *, const char *fmt, ...)
    PRINTF_FMT(2, 3);

/* Adds an "insert" into 'table' and returns a placeholder uuid for the new
 * row.  Use it in later writes of this transaction (both as the row to
 * write and inside uuid datums): it is sent as a named uuid.  After
 * success, ovsdb_idl_txn_get_insert_uuid() gives the real one.  Set the
 * new row's columns with ovsdb_idl_txn_write_uuid(). */
struct uuid ovsdb_idl_txn_insert(struct ovsdb_idl_txn *, const char *table);

/* Sets 'column' of 'row' to 'datum' (copied) with an "update" operation;
 * writes to the same row are merged into one operation, which stays at the
 * position of the first write (so it runs before mutations added later).
 * 'column' must be in the row's table.  Returns 0, or ENOENT for an unknown
 * column. */
int ovsdb_idl_txn_write(struct ovsdb_idl_txn *, const struct ovsdb_idl_row *,
                        const char *column, const struct ovsdb_datum *);
/* Same for a row inserted by this transaction (or any row given by table
 * and uuid). */
int ovsdb_idl_txn_write_uuid(struct ovsdb_idl_txn *, const char *table,
                             const struct uuid *row, const char *column,
                             const struct ovsdb_datum *);
/* Typed shortcuts. */
int ovsdb_idl_txn_write_int(struct ovsdb_idl_txn *,
                            const struct ovsdb_idl_row *, const char *column,
                            int64_t);
/* For optional integer columns: NULL writes the empty set. */
int ovsdb_idl_txn_write_int_opt(struct ovsdb_idl_txn *,
                                const struct ovsdb_idl_row *,
                                const char *column, const int64_t *);
int ovsdb_idl_txn_write_bool(struct ovsdb_idl_txn *,
                             const struct ovsdb_idl_row *, const char *column,
                             bool);
/* For string columns; NULL writes the empty set (optional columns). */
int ovsdb_idl_txn_write_string(struct ovsdb_idl_txn *,
                               const struct ovsdb_idl_row *,
                               const char *column, const char *);
/* Replaces a set-of-strings column (e.g. Open_vSwitch:iface_types). */
int ovsdb_idl_txn_write_strings(struct ovsdb_idl_txn *,
                                const struct ovsdb_idl_row *,
                                const char *column,
                                const char *const *strings, size_t n);
/* Replaces a whole string map column (other_config, status...).
 * For string-to-integer maps (statistics) values are parsed as integers;
 * unparsable ones are dropped with a log message. */
int ovsdb_idl_txn_write_smap(struct ovsdb_idl_txn *,
                             const struct ovsdb_idl_row *,
                             const char *column, const struct smap *);

/* Adds a "mutate" of 'column' of 'row': 'mutator' is one of "+=", "-=",
 * "*=", "/=", "%=", "insert", "delete"; 'value' is in OVSDB JSON encoding
 * (stolen).  E.g. ("next_cfg", "+=", json_integer(1)), or
 * ("other_config", "insert", ["map", [["k", "v"]]]). */
int ovsdb_idl_txn_mutate(struct ovsdb_idl_txn *, const struct ovsdb_idl_row *,
                         const char *column, const char *mutator,
                         json_t *value);
/* Same with a datum for 'value', encoded with the column's key (and value)
 * types as a set or map whatever its size; uuids of rows inserted by this
 * transaction become named uuids.  E.g. ("bridges", "insert", {bridge}). */
int ovsdb_idl_txn_mutate_datum(struct ovsdb_idl_txn *,
                               const struct ovsdb_idl_row *,
                               const char *column, const char *mutator,
                               const struct ovsdb_datum *value);
/* Sets one key of a string map column (mutate delete + insert), leaving
 * the other keys alone; 'value' NULL just deletes the key. */
int ovsdb_idl_txn_map_set_key(struct ovsdb_idl_txn *,
                              const struct ovsdb_idl_row *,
                              const char *column, const char *key,
                              const char *value);

/* Adds a "delete" of 'row'. */
void ovsdb_idl_txn_delete(struct ovsdb_idl_txn *, const struct ovsdb_idl_row *);

/* Adds a "wait" (timeout 0) that 'column' of 'row' still has the value the
 * replica holds, so that the transaction fails with TRY_AGAIN if another
 * client changed it in between. */
int ovsdb_idl_txn_verify(struct ovsdb_idl_txn *, const struct ovsdb_idl_row *,
                         const char *column);

/* Adds a raw operation (RFC 7047 section 5.2 JSON object; stolen). */
void ovsdb_idl_txn_add_op(struct ovsdb_idl_txn *, json_t *op);

/* Number of operations so far (comments included). */
size_t ovsdb_idl_txn_n_ops(const struct ovsdb_idl_txn *);

/* The "transact" params the transaction would send: [db, op...] (new
 * reference).  For tests and debugging. */
json_t *ovsdb_idl_txn_to_json(const struct ovsdb_idl_txn *);

/* Sends the transaction.  'cb' (may be NULL) is called exactly once, from
 * the main loop, with the outcome (unless the IDL is destroyed first); the
 * transaction is freed after it returns.  The transaction must not be
 * modified after this call. */
void ovsdb_idl_txn_commit(struct ovsdb_idl_txn *, ovsdb_idl_txn_done_cb *cb,
                          void *aux);

/* After success: the real uuid of a row inserted with 'placeholder', or
 * NULL.  Valid inside the completion callback. */
const struct uuid *ovsdb_idl_txn_get_insert_uuid(
    const struct ovsdb_idl_txn *, const struct uuid *placeholder);

/* The IDL a transaction belongs to. */
struct ovsdb_idl *ovsdb_idl_txn_get_idl(const struct ovsdb_idl_txn *);

#endif
