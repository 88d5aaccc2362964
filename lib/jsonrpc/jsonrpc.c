#include <config.h>
#include "jsonrpc/jsonrpc.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "util/coverage.h"
#include "util/timeval.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(jsonrpc);
COVERAGE_DEFINE(jsonrpc_recv);
COVERAGE_DEFINE(jsonrpc_send);

/* A single message larger than this is a broken or hostile peer. */
#define JSONRPC_MAX_MSG (64 * 1024 * 1024)

static const char *const type_names[] = {
    "request", "notification", "reply", "error",
};

const char *
jsonrpc_msg_type_to_string(enum jsonrpc_msg_type type)
{
    return type_names[type];
}

static struct jsonrpc_msg *
msg_new(enum jsonrpc_msg_type type)
{
    struct jsonrpc_msg *msg = xzalloc(sizeof *msg);
    msg->type = type;
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_request(const char *method, json_t *params, json_t *id)
{
    struct jsonrpc_msg *msg = msg_new(JSONRPC_REQUEST);
    msg->method = xstrdup(method);
    msg->params = params ? params : json_array();
    msg->id = id;
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_notify(const char *method, json_t *params)
{
    struct jsonrpc_msg *msg = msg_new(JSONRPC_NOTIFY);
    msg->method = xstrdup(method);
    msg->params = params ? params : json_array();
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_reply(json_t *result, const json_t *id)
{
    struct jsonrpc_msg *msg = msg_new(JSONRPC_REPLY);
    msg->result = result ? result : json_null();
    msg->id = json_deep_copy(id);
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_error(json_t *error, const json_t *id)
{
    struct jsonrpc_msg *msg = msg_new(JSONRPC_ERROR);
    msg->error = error ? error : json_null();
    msg->id = json_deep_copy(id);
    return msg;
}

void
jsonrpc_msg_destroy(struct jsonrpc_msg *msg)
{
    if (msg) {
        free(msg->method);
        json_decref(msg->params);
        json_decref(msg->result);
        json_decref(msg->error);
        json_decref(msg->id);
        free(msg);
    }
}

static json_t *
take(json_t *value)
{
    return value ? json_incref(value) : NULL;
}

struct jsonrpc_msg *
jsonrpc_msg_from_json(json_t *json, char **errorp)
{
    *errorp = NULL;
    if (!json_is_object(json)) {
        *errorp = xstrdup("message is not a JSON object");
        return NULL;
    }
    json_t *method = json_object_get(json, "method");
    json_t *params = json_object_get(json, "params");
    json_t *result = json_object_get(json, "result");
    json_t *error = json_object_get(json, "error");
    json_t *id = json_object_get(json, "id");
    const char *key;
    json_t *value;

    json_object_foreach(json, key, value) {
        if (strcmp(key, "method") && strcmp(key, "params")
            && strcmp(key, "result") && strcmp(key, "error")
            && strcmp(key, "id")) {
            *errorp = xasprintf("message has unexpected member \"%s\"", key);
            return NULL;
        }
    }

    struct jsonrpc_msg *msg;
    if (method) {
        if (!json_is_string(method)) {
            *errorp = xstrdup("method is not a JSON string");
            return NULL;
        }
        if (!json_is_array(params)) {
            *errorp = xstrdup("\"params\" must be JSON array");
            return NULL;
        }
        if (result || error) {
            *errorp = xstrdup("request has \"result\" or \"error\"");
            return NULL;
        }
        msg = msg_new(id && !json_is_null(id) ? JSONRPC_REQUEST
                                              : JSONRPC_NOTIFY);
        msg->method = xstrdup(json_string_value(method));
        msg->params = take(params);
        if (msg->type == JSONRPC_REQUEST) {
            msg->id = take(id);
        }
    } else if (result || error) {
        if (!id) {
            *errorp = xstrdup("reply lacks \"id\"");
            return NULL;
        }
        if (params) {
            *errorp = xstrdup("reply has \"params\"");
            return NULL;
        }
        bool is_error = error && !json_is_null(error);
        msg = msg_new(is_error ? JSONRPC_ERROR : JSONRPC_REPLY);
        if (is_error) {
            msg->error = take(error);
        } else {
            msg->result = take(result ? result : json_null());
        }
        msg->id = take(id);
    } else {
        *errorp = xstrdup("message has neither \"method\" nor \"result\" "
                          "nor \"error\"");
        return NULL;
    }
    return msg;
}

json_t *
jsonrpc_msg_to_json(const struct jsonrpc_msg *msg)
{
    json_t *json = json_object();
    switch (msg->type) {
    case JSONRPC_REQUEST:
    case JSONRPC_NOTIFY:
        json_object_set_new(json, "method", json_string(msg->method));
        json_object_set(json, "params", msg->params);
        json_object_set_new(json, "id", msg->id ? json_incref(msg->id)
                                                : json_null());
        break;
    case JSONRPC_REPLY:
        json_object_set(json, "result", msg->result);
        json_object_set_new(json, "error", json_null());
        json_object_set(json, "id", msg->id);
        break;
    case JSONRPC_ERROR:
        json_object_set_new(json, "result", json_null());
        json_object_set(json, "error", msg->error);
        json_object_set(json, "id", msg->id);
        break;
    }
    return json;
}

char *
jsonrpc_msg_to_string(const struct jsonrpc_msg *msg)
{
    json_t *json = jsonrpc_msg_to_json(msg);
    char *s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(json);
    return s;
}

/* json_splitter */

void
json_splitter_init(struct json_splitter *sp)
{
    memset(sp, 0, sizeof *sp);
}

void
json_splitter_destroy(struct json_splitter *sp)
{
    free(sp->buf);
    memset(sp, 0, sizeof *sp);
}

void
json_splitter_feed(struct json_splitter *sp, const char *data, size_t n)
{
    if (sp->len + n > sp->cap) {
        sp->cap = MAX(sp->cap * 2, sp->len + n);
        sp->buf = xrealloc(sp->buf, sp->cap);
    }
    memcpy(sp->buf + sp->len, data, n);
    sp->len += n;
}

static void
splitter_consume(struct json_splitter *sp, size_t n)
{
    memmove(sp->buf, sp->buf + n, sp->len - n);
    sp->len -= n;
    sp->scanned = 0;
    sp->depth = 0;
    sp->in_string = sp->escape = sp->started = false;
}

json_t *
json_splitter_next(struct json_splitter *sp, char **errorp)
{
    *errorp = NULL;
    for (; sp->scanned < sp->len; sp->scanned++) {
        char c = sp->buf[sp->scanned];
        if (!sp->started) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                /* Skip whitespace between messages. */
                splitter_consume(sp, sp->scanned + 1);
                sp->scanned = (size_t) -1;
                continue;
            }
            if (c != '{' && c != '[') {
                *errorp = xasprintf("syntax error: unexpected '%c' at start "
                                    "of message", c);
                return NULL;
            }
            sp->started = true;
        }
        if (sp->in_string) {
            if (sp->escape) {
                sp->escape = false;
            } else if (c == '\\') {
                sp->escape = true;
            } else if (c == '"') {
                sp->in_string = false;
            }
            continue;
        }
        if (c == '"') {
            sp->in_string = true;
        } else if (c == '{' || c == '[') {
            sp->depth++;
        } else if (c == '}' || c == ']') {
            if (--sp->depth == 0) {
                size_t n = sp->scanned + 1;
                json_error_t jerr;
                json_t *json = json_loadb(sp->buf, n,
                                          JSON_DECODE_ANY | JSON_ALLOW_NUL,
                                          &jerr);
                splitter_consume(sp, n);
                if (!json) {
                    *errorp = xasprintf("syntax error: %s", jerr.text);
                }
                return json;
            }
        }
    }
    if (sp->len > JSONRPC_MAX_MSG) {
        *errorp = xasprintf("message exceeds %d bytes", JSONRPC_MAX_MSG);
    }
    return NULL;
}

/* Connections. */

struct jsonrpc_conn {
    char *name;
    struct bufferevent *bev;
    struct json_splitter splitter;
    const struct jsonrpc_conn_cbs *cbs;
    void *aux;
    long long last_rx;
    int in_callback;            /* Depth of callbacks into the user. */
    bool closed;                /* Freed once 'in_callback' drops to 0. */
};

static void
conn_free(struct jsonrpc_conn *conn)
{
    bufferevent_free(conn->bev);
    json_splitter_destroy(&conn->splitter);
    free(conn->name);
    free(conn);
}

/* Ends the connection from inside: reports to the user, then frees. */
static void
conn_fail(struct jsonrpc_conn *conn, int error)
{
    if (conn->closed) {
        return;
    }
    conn->closed = true;
    bufferevent_disable(conn->bev, EV_READ | EV_WRITE);
    if (conn->cbs->on_close) {
        conn->in_callback++;
        conn->cbs->on_close(conn, error, conn->aux);
        conn->in_callback--;
    }
}

static void
conn_read_cb(struct bufferevent *bev, void *conn_)
{
    struct jsonrpc_conn *conn = conn_;
    struct evbuffer *input = bufferevent_get_input(bev);
    char buf[4096];
    size_t n;

    conn->in_callback++;
    while (!conn->closed
           && (n = evbuffer_remove(input, buf, sizeof buf)) > 0) {
        json_splitter_feed(&conn->splitter, buf, n);
        for (;;) {
            char *error;
            json_t *json = json_splitter_next(&conn->splitter, &error);
            if (!json) {
                if (error) {
                    log_warn("%s: error parsing stream: %s", conn->name,
                             error);
                    free(error);
                    conn_fail(conn, EPROTO);
                }
                break;
            }
            struct jsonrpc_msg *msg = jsonrpc_msg_from_json(json, &error);
            json_decref(json);
            if (!msg) {
                log_warn("%s: received bad JSON-RPC message: %s",
                         conn->name, error);
                free(error);
                conn_fail(conn, EPROTO);
                break;
            }
            coverage_inc(jsonrpc_recv);
            conn->last_rx = time_msec();
            if (log_dbg_enabled()) {
                char *s = jsonrpc_msg_to_string(msg);
                log_dbg("%s: received %s, %s", conn->name,
                        jsonrpc_msg_type_to_string(msg->type), s);
                free(s);
            }
            conn->cbs->on_msg(conn, msg, conn->aux);
            if (conn->closed) {
                break;
            }
        }
    }
    if (--conn->in_callback == 0 && conn->closed) {
        conn_free(conn);
    }
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *conn_)
{
    struct jsonrpc_conn *conn = conn_;
    conn->in_callback++;
    if (what & BEV_EVENT_CONNECTED) {
        if (conn->cbs->on_connected) {
            conn->cbs->on_connected(conn, conn->aux);
        }
    } else if (what & BEV_EVENT_EOF) {
        conn_fail(conn, 0);
    } else if (what & (BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) {
        int error = EVUTIL_SOCKET_ERROR();
        conn_fail(conn, error ? error : ECONNRESET);
    }
    if (--conn->in_callback == 0 && conn->closed) {
        conn_free(conn);
    }
}

struct jsonrpc_conn *
jsonrpc_conn_create(struct bufferevent *bev, const char *name,
                    const struct jsonrpc_conn_cbs *cbs, void *aux)
{
    struct jsonrpc_conn *conn = xzalloc(sizeof *conn);
    conn->name = xstrdup(name);
    conn->bev = bev;
    conn->cbs = cbs;
    conn->aux = aux;
    conn->last_rx = time_msec();
    json_splitter_init(&conn->splitter);
    bufferevent_setcb(bev, conn_read_cb, NULL, conn_event_cb, conn);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    return conn;
}

int
jsonrpc_conn_send(struct jsonrpc_conn *conn, struct jsonrpc_msg *msg)
{
    int error = 0;
    if (conn->closed) {
        error = ENOTCONN;
    } else {
        char *s = jsonrpc_msg_to_string(msg);
        if (!s) {
            error = EINVAL;
        } else {
            log_dbg("%s: send %s, %s", conn->name,
                    jsonrpc_msg_type_to_string(msg->type), s);
            if (bufferevent_write(conn->bev, s, strlen(s)) < 0) {
                error = ENOBUFS;
            }
            coverage_inc(jsonrpc_send);
            free(s);
        }
    }
    jsonrpc_msg_destroy(msg);
    return error;
}

void
jsonrpc_conn_close(struct jsonrpc_conn *conn)
{
    if (!conn) {
        return;
    }
    if (conn->in_callback) {
        conn->closed = true;
        bufferevent_disable(conn->bev, EV_READ | EV_WRITE);
    } else {
        conn_free(conn);
    }
}

const char *
jsonrpc_conn_name(const struct jsonrpc_conn *conn)
{
    return conn->name;
}

size_t
jsonrpc_conn_backlog(const struct jsonrpc_conn *conn)
{
    return evbuffer_get_length(bufferevent_get_output(conn->bev));
}

long long
jsonrpc_conn_last_rx(const struct jsonrpc_conn *conn)
{
    return conn->last_rx;
}
