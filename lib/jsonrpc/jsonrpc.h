/* jsonrpc.h: JSON-RPC 1.0 as OVSDB (RFC 7047) and ovs-appctl use it.
 *
 * Messages are JSON objects sent back to back on a byte stream with no
 * other framing.  This module converts messages to and from jansson values,
 * splits a byte stream into messages, and runs a connection over a libevent
 * bufferevent.  Main thread only. */
#ifndef OVSNFV_JSONRPC_H
#define OVSNFV_JSONRPC_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum jsonrpc_msg_type {
    JSONRPC_REQUEST,            /* method, params, id. */
    JSONRPC_NOTIFY,             /* method, params, id null. */
    JSONRPC_REPLY,              /* result, error null, id. */
    JSONRPC_ERROR,              /* error, result null, id. */
};

struct jsonrpc_msg {
    enum jsonrpc_msg_type type;
    char *method;               /* Requests and notifications. */
    json_t *params;             /* Array, requests and notifications. */
    json_t *result;             /* Replies. */
    json_t *error;              /* Errors. */
    json_t *id;                 /* Requests, replies and errors. */
};

/* Constructors take ownership of the json_t arguments. */
struct jsonrpc_msg *jsonrpc_create_request(const char *method, json_t *params,
                                           json_t *id);
struct jsonrpc_msg *jsonrpc_create_notify(const char *method, json_t *params);
struct jsonrpc_msg *jsonrpc_create_reply(json_t *result, const json_t *id);
struct jsonrpc_msg *jsonrpc_create_error(json_t *error, const json_t *id);
void jsonrpc_msg_destroy(struct jsonrpc_msg *);

/* Validates 'json' as a JSON-RPC message.  On success returns the message
 * (taking a reference to the parts it keeps); on failure returns NULL and
 * stores a malloc'd explanation in '*errorp'. */
struct jsonrpc_msg *jsonrpc_msg_from_json(json_t *json, char **errorp);
json_t *jsonrpc_msg_to_json(const struct jsonrpc_msg *);
/* Compact JSON text of the message.  Caller frees. */
char *jsonrpc_msg_to_string(const struct jsonrpc_msg *);
const char *jsonrpc_msg_type_to_string(enum jsonrpc_msg_type);

/* Splits a byte stream into top-level JSON values without parsing them. */
struct json_splitter {
    char *buf;
    size_t len, cap;
    size_t scanned;             /* Bytes of 'buf' already scanned. */
    int depth;
    bool in_string, escape, started;
};

void json_splitter_init(struct json_splitter *);
void json_splitter_destroy(struct json_splitter *);
/* Appends bytes to the splitter. */
void json_splitter_feed(struct json_splitter *, const char *, size_t);
/* If a complete value is buffered, parses and returns it (caller owns the
 * reference) and removes it from the buffer.  Returns NULL when more bytes
 * are needed.  On a syntax error returns NULL and sets '*errorp'. */
json_t *json_splitter_next(struct json_splitter *, char **errorp);

/* A JSON-RPC connection over a bufferevent. */
struct jsonrpc_conn;
struct bufferevent;

struct jsonrpc_conn_cbs {
    /* A message arrived; the callee owns 'msg'. */
    void (*on_msg)(struct jsonrpc_conn *, struct jsonrpc_msg *, void *aux);
    /* The connection is finished: 'error' is 0 for a clean EOF, otherwise
     * an errno value or EPROTO for garbage.  The connection is freed after
     * this returns; the callee must not use it afterwards. */
    void (*on_close)(struct jsonrpc_conn *, int error, void *aux);
    /* For active connections: the TCP/unix connect completed. */
    void (*on_connected)(struct jsonrpc_conn *, void *aux);
};

/* Takes ownership of 'bev'.  'name' appears in log messages. */
struct jsonrpc_conn *jsonrpc_conn_create(struct bufferevent *,
                                         const char *name,
                                         const struct jsonrpc_conn_cbs *,
                                         void *aux);
/* Queues 'msg' for sending and destroys it.  Returns 0 or an errno value. */
int jsonrpc_conn_send(struct jsonrpc_conn *, struct jsonrpc_msg *);
/* Closes without calling on_close.  Safe to call from the conn's own
 * callbacks: freeing is deferred until the callback returns. */
void jsonrpc_conn_close(struct jsonrpc_conn *);
const char *jsonrpc_conn_name(const struct jsonrpc_conn *);
/* Bytes queued but not yet written. */
size_t jsonrpc_conn_backlog(const struct jsonrpc_conn *);
/* Monotonic ms of the last message received. */
long long jsonrpc_conn_last_rx(const struct jsonrpc_conn *);

#endif
