/* idl-private.h: internals shared by idl.c (replica) and idl-txn.c
 * (transactions).  Not for users of the IDL. */
#ifndef OVSNFV_OVSDB_IDL_PRIVATE_H
#define OVSNFV_OVSDB_IDL_PRIVATE_H 1

#include "ovsdb/idl.h"

struct jsonrpc_session;
struct jsonrpc_msg;

/* A table or column named by ovsdb_idl_monitor_*(). */
struct idl_selection {
    char *table;
    bool all_columns;
    char **columns;
    size_t n_columns;
};

enum idl_state {
    IDL_DISCONNECTED,
    IDL_SCHEMA_REQUESTED,
    IDL_MONITOR_REQUESTED,
    IDL_MONITORING,
};

struct ovsdb_idl {
    char *db_name;
    const struct ovsdb_idl_cbs *cbs;
    void *aux;
    struct jsonrpc_session *session;
    enum idl_state state;
    json_t *request_id;             /* Outstanding get_schema/monitor. */
    unsigned int next_id;
    bool use_monitor_cond;          /* False once the server refused it. */
    bool monitor_cond_active;       /* Current monitor is monitor_cond. */

    /* Schema and replica. */
    json_t *schema;                 /* As received, for change detection. */
    struct ovsdb_idl_table *tables;
    size_t n_tables;

    struct idl_selection *selections;
    size_t n_selections;

    uint64_t seqno;
    bool synced, ever_synced;
    unsigned int n_connects;
    char *last_error;

    struct list_node pending_txns;  /* Committed, waiting for a reply. */
};

/* Allocates a request id (a JSON integer; new reference). */
json_t *idl_next_request_id(struct ovsdb_idl *);
/* Sends on the session; returns 0 or ENOTCONN. */
int idl_send(struct ovsdb_idl *, struct jsonrpc_msg *);

/* For unit tests only: act as if the session came up, a message arrived
 * ('msg' is consumed) or the session went down, without any I/O. */
void idl_test_connected(struct ovsdb_idl *);
void idl_test_receive(struct ovsdb_idl *, struct jsonrpc_msg *);
void idl_test_disconnected(struct ovsdb_idl *);
/* The id of the outstanding get_schema/monitor request (borrowed). */
const json_t *idl_test_request_id(const struct ovsdb_idl *);

/* Transactions (idl-txn.c). */
/* Handles a reply or error whose id matches a pending transaction;
 * returns true if it did. */
bool idl_txn_process_reply(struct ovsdb_idl *, const struct jsonrpc_msg *);
/* Fails every pending transaction with TRY_AGAIN (call_cbs) or silently. */
void idl_txn_fail_all(struct ovsdb_idl *, bool call_cbs);

#endif
