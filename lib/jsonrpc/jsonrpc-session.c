#include <config.h>
#include "jsonrpc/jsonrpc-session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stream/stream.h"
#include "util/coverage.h"
#include "util/mainloop.h"
#include "util/reconnect.h"
#include "util/timeval.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(jsonrpc_session);
COVERAGE_DEFINE(jsonrpc_session_probe);

struct jsonrpc_session {
    char *target;
    uint16_t default_port;
    bool passive;
    const struct jsonrpc_session_cbs *cbs;
    void *aux;

    struct reconnect *reconnect;
    struct jsonrpc_conn *conn;      /* Current connection, if any. */
    bool conn_up;                   /* 'conn' completed its connect. */
    struct pstream *pstream;        /* Passive targets: the listener. */
    struct mainloop_timer *timer;
    bool running;                   /* Guards against re-entering run(). */
};

static void session_run(struct jsonrpc_session *);
static const struct jsonrpc_conn_cbs conn_cbs;

static void
drop_conn(struct jsonrpc_session *s, int error, bool notify)
{
    if (!s->conn) {
        return;
    }
    bool was_up = s->conn_up;
    jsonrpc_conn_close(s->conn);
    s->conn = NULL;
    s->conn_up = false;
    if (was_up) {
        reconnect_disconnected(s->reconnect, time_msec(), error);
        if (notify && s->cbs->on_disconnect) {
            s->cbs->on_disconnect(s, error, s->aux);
        }
    } else if (!s->passive) {
        reconnect_connect_failed(s->reconnect, time_msec(), error);
    }
}

static void
conn_up(struct jsonrpc_session *s)
{
    s->conn_up = true;
    reconnect_connected(s->reconnect, time_msec());
    if (s->cbs->on_connect) {
        s->cbs->on_connect(s, s->aux);
    }
}

static void
on_conn_connected(struct jsonrpc_conn *conn, void *s_)
{
    struct jsonrpc_session *s = s_;
    if (conn == s->conn && !s->conn_up) {
        conn_up(s);
        session_run(s);
    }
}

static void
on_conn_close(struct jsonrpc_conn *conn, int error, void *s_)
{
    struct jsonrpc_session *s = s_;
    if (conn != s->conn) {
        return;
    }
    /* The conn frees itself after this returns. */
    bool was_up = s->conn_up;
    s->conn = NULL;
    s->conn_up = false;
    if (was_up) {
        reconnect_disconnected(s->reconnect, time_msec(), error);
        if (s->cbs->on_disconnect) {
            s->cbs->on_disconnect(s, error, s->aux);
        }
    } else if (!s->passive) {
        reconnect_connect_failed(s->reconnect, time_msec(),
                                 error ? error : ECONNREFUSED);
    }
    session_run(s);
}

static bool
is_echo_id(const json_t *id)
{
    return id && json_is_string(id) && !strcmp(json_string_value(id), "echo");
}

static void
on_conn_msg(struct jsonrpc_conn *conn, struct jsonrpc_msg *msg, void *s_)
{
    struct jsonrpc_session *s = s_;
    if (conn != s->conn) {
        jsonrpc_msg_destroy(msg);
        return;
    }
    if (!s->conn_up) {
        /* Data before the connect event (possible for unix sockets). */
        conn_up(s);
        if (conn != s->conn) {
            jsonrpc_msg_destroy(msg);
            return;
        }
    }
    reconnect_activity(s->reconnect, time_msec());
    if (msg->type == JSONRPC_REQUEST && !strcmp(msg->method, "echo")) {
        jsonrpc_conn_send(conn, jsonrpc_create_reply(
                              json_incref(msg->params), msg->id));
        jsonrpc_msg_destroy(msg);
    } else if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
               && is_echo_id(msg->id)) {
        jsonrpc_msg_destroy(msg);      /* Answer to our probe. */
    } else {
        s->cbs->on_msg(s, msg, s->aux);
    }
    session_run(s);
}

static const struct jsonrpc_conn_cbs conn_cbs = {
    .on_msg = on_conn_msg,
    .on_close = on_conn_close,
    .on_connected = on_conn_connected,
};

static void
on_accept(struct bufferevent *bev, const char *peer, void *s_)
{
    struct jsonrpc_session *s = s_;
    if (s->conn) {
        log_info("%s: new connection from %s replaces the current one",
                 s->target, peer);
        drop_conn(s, 0, true);
    }
    char *name = xasprintf("%s<-%s", s->target, peer);
    s->conn = jsonrpc_conn_create(bev, name, &conn_cbs, s);
    free(name);
    reconnect_connecting(s->reconnect, time_msec());
    conn_up(s);
    session_run(s);
}

static void
start_connect(struct jsonrpc_session *s)
{
    long long now = time_msec();
    char *err = NULL;
    int error;

    if (s->passive) {
        if (!s->pstream) {
            error = pstream_open(s->target, s->default_port, on_accept, s,
                                 &s->pstream, &err);
            if (error) {
                log_warn("%s: %s", s->target, err ? err : nfv_strerror(error));
                free(err);
                reconnect_connecting(s->reconnect, now);
                reconnect_connect_failed(s->reconnect, now, error);
                return;
            }
            log_info("%s: listening", s->target);
        }
        reconnect_connecting(s->reconnect, now);
        return;
    }

    struct bufferevent *bev;
    reconnect_connecting(s->reconnect, now);
    error = stream_open(s->target, s->default_port, &bev, &err);
    if (error) {
        log_warn("%s", err ? err : nfv_strerror(error));
        free(err);
        reconnect_connect_failed(s->reconnect, now, error);
        return;
    }
    s->conn = jsonrpc_conn_create(bev, s->target, &conn_cbs, s);
    s->conn_up = false;
}

static void
send_probe(struct jsonrpc_session *s)
{
    if (s->conn && s->conn_up) {
        coverage_inc(jsonrpc_session_probe);
        jsonrpc_conn_send(s->conn, jsonrpc_create_request(
                              "echo", json_array(), json_string("echo")));
    }
}

static void
timer_cb(void *s_)
{
    session_run(s_);
}

static void
session_run(struct jsonrpc_session *s)
{
    if (s->running) {
        return;
    }
    s->running = true;
    for (int i = 0; i < 8; i++) {
        enum reconnect_action action = reconnect_run(s->reconnect,
                                                     time_msec());
        if (action == RECONNECT_NONE) {
            break;
        } else if (action == RECONNECT_CONNECT) {
            start_connect(s);
        } else if (action == RECONNECT_DISCONNECT) {
            int error = reconnect_get_last_error(s->reconnect);
            if (s->conn) {
                drop_conn(s, error, true);
            } else {
                reconnect_disconnected(s->reconnect, time_msec(), error);
            }
        } else if (action == RECONNECT_PROBE) {
            send_probe(s);
        }
    }
    long long timeout = reconnect_timeout(s->reconnect, time_msec());
    mainloop_timer_reset(s->timer, timeout < 0 ? 3600 * 1000 : timeout);
    s->running = false;
}

struct jsonrpc_session *
jsonrpc_session_create(const char *target, uint16_t default_port,
                       const struct jsonrpc_session_cbs *cbs, void *aux)
{
    struct jsonrpc_session *s = xzalloc(sizeof *s);
    long long now = time_msec();
    s->target = xstrdup(target);
    s->default_port = default_port;
    s->passive = pstream_target_is_valid(target);
    s->cbs = cbs;
    s->aux = aux;
    s->reconnect = reconnect_create(now);
    reconnect_set_name(s->reconnect, target);
    reconnect_set_passive(s->reconnect, s->passive);
    reconnect_enable(s->reconnect, now);
    s->timer = mainloop_timer_add(0, false, timer_cb, s);
    return s;
}

void
jsonrpc_session_destroy(struct jsonrpc_session *s)
{
    if (s) {
        if (s->conn) {
            jsonrpc_conn_close(s->conn);
        }
        pstream_close(s->pstream);
        mainloop_timer_del(s->timer);
        reconnect_destroy(s->reconnect);
        free(s->target);
        free(s);
    }
}

void
jsonrpc_session_set_target(struct jsonrpc_session *s, const char *target)
{
    if (!strcmp(target, s->target)) {
        return;
    }
    drop_conn(s, 0, true);
    pstream_close(s->pstream);
    s->pstream = NULL;
    free(s->target);
    s->target = xstrdup(target);
    s->passive = pstream_target_is_valid(target);
    long long now = time_msec();
    reconnect_set_name(s->reconnect, target);
    reconnect_set_passive(s->reconnect, s->passive);
    reconnect_disable(s->reconnect, now);
    reconnect_enable(s->reconnect, now);
    mainloop_timer_reset(s->timer, 0);
}

const char *
jsonrpc_session_get_target(const struct jsonrpc_session *s)
{
    return s->target;
}

int
jsonrpc_session_send(struct jsonrpc_session *s, struct jsonrpc_msg *msg)
{
    if (!s->conn || !s->conn_up) {
        jsonrpc_msg_destroy(msg);
        return ENOTCONN;
    }
    return jsonrpc_conn_send(s->conn, msg);
}

bool
jsonrpc_session_is_connected(const struct jsonrpc_session *s)
{
    return s->conn && s->conn_up;
}

void
jsonrpc_session_force_reconnect(struct jsonrpc_session *s)
{
    reconnect_force_reconnect(s->reconnect, time_msec());
    mainloop_timer_reset(s->timer, 0);
}

void
jsonrpc_session_set_probe_interval(struct jsonrpc_session *s, int ms)
{
    reconnect_set_probe_interval(s->reconnect, ms);
    mainloop_timer_reset(s->timer, 0);
}

void
jsonrpc_session_set_max_backoff(struct jsonrpc_session *s, int ms)
{
    reconnect_set_backoff(s->reconnect, RECONNECT_DEFAULT_MIN_BACKOFF,
                          MAX(ms, RECONNECT_DEFAULT_MIN_BACKOFF));
}

unsigned int
jsonrpc_session_get_n_connects(const struct jsonrpc_session *s)
{
    return reconnect_get_n_connects(s->reconnect);
}

int
jsonrpc_session_get_last_error(const struct jsonrpc_session *s)
{
    return reconnect_get_last_error(s->reconnect);
}

const char *
jsonrpc_session_get_state(const struct jsonrpc_session *s)
{
    return reconnect_state_name(s->reconnect);
}
