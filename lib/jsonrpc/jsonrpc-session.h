/* jsonrpc-session.h: a JSON-RPC connection that keeps itself alive.
 *
 * A session connects to an active target ("unix:PATH", "tcp:IP:PORT",
 * "ssl:IP:PORT") or listens on a passive one ("punix:", "ptcp:", "pssl:"),
 * and reconnects with exponential back-off (util/reconnect.h) whenever the
 * connection fails, closes or stays silent through an inactivity probe.
 * It answers "echo" requests itself and sends its own echo requests as
 * probes; everything else goes to the user's callbacks.
 *
 * With a passive target the session listens continuously and serves one
 * peer at a time: a new peer replaces the previous one.
 *
 * Main thread only (util/mainloop.h).  Callbacks run from the loop; a
 * callback may send messages or force a reconnect, but must not destroy
 * the session. */
#ifndef OVSNFV_JSONRPC_SESSION_H
#define OVSNFV_JSONRPC_SESSION_H 1

#include <stdbool.h>
#include <stdint.h>
#include "jsonrpc/jsonrpc.h"

struct jsonrpc_session;

struct jsonrpc_session_cbs {
    /* A connection is up (for ssl: after the handshake). May be NULL. */
    void (*on_connect)(struct jsonrpc_session *, void *aux);
    /* The connection went down; 'error' is 0 for a clean close, ETIMEDOUT
     * after an unanswered probe, or another errno value.  Only called after
     * on_connect.  May be NULL. */
    void (*on_disconnect)(struct jsonrpc_session *, int error, void *aux);
    /* A message other than an echo request or a reply to our probe; the
     * callee owns 'msg'. */
    void (*on_msg)(struct jsonrpc_session *, struct jsonrpc_msg *, void *aux);
};

/* Creates a session for 'target' and starts connecting (or listening) at
 * once.  'default_port' applies to tcp/ssl targets without a port.  Never
 * fails: a bad target is logged and retried with back-off. */
struct jsonrpc_session *jsonrpc_session_create(
    const char *target, uint16_t default_port,
    const struct jsonrpc_session_cbs *, void *aux);
/* Closes the connection without calling on_disconnect and frees 's'. */
void jsonrpc_session_destroy(struct jsonrpc_session *);

/* Switches to a new target (reconnecting if it differs). */
void jsonrpc_session_set_target(struct jsonrpc_session *, const char *target);
const char *jsonrpc_session_get_target(const struct jsonrpc_session *);

/* Sends 'msg' and destroys it.  Returns 0, or ENOTCONN when not connected
 * (the message is dropped), or another errno value. */
int jsonrpc_session_send(struct jsonrpc_session *, struct jsonrpc_msg *);
bool jsonrpc_session_is_connected(const struct jsonrpc_session *);
/* Drops the connection (calling on_disconnect) and reconnects at once. */
void jsonrpc_session_force_reconnect(struct jsonrpc_session *);

/* Inactivity probe interval in ms (0 disables; default 5000). */
void jsonrpc_session_set_probe_interval(struct jsonrpc_session *, int ms);
/* Maximum back-off in ms (default 8000; at least 1000). */
void jsonrpc_session_set_max_backoff(struct jsonrpc_session *, int ms);
/* Connections made so far. */
unsigned int jsonrpc_session_get_n_connects(const struct jsonrpc_session *);
/* Last connection error (errno value, 0 if none). */
int jsonrpc_session_get_last_error(const struct jsonrpc_session *);
/* Reconnect state name, for status output. */
const char *jsonrpc_session_get_state(const struct jsonrpc_session *);

#endif
