/* connmgr.c: see connmgr.h.  Connections, controllers and listeners; the
 * per-message handling lives in ofconn-handle.c. */
#include <config.h>
#include "ofproto/connmgr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-monitor.h"
#include "ofproto/ofproto.h"
#include "openflow/ofp-msgs.h"
#include "stream/stream.h"
#include "util/dirs.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/timeval.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(connmgr);

#define OFP_DEFAULT_PORT 6653
/* Bytes queued to a connection beyond which packet-ins are dropped. */
#define PKTIN_BACKLOG_MAX (1 << 20)

static void controller_run(void *controller_);
static void ofconn_read_cb(struct bufferevent *, void *);
static void ofconn_event_cb(struct bufferevent *, short, void *);
static void ofconn_write_cb(struct bufferevent *, void *);

/* ---- Connections ---- */

static struct ofconn *
ofconn_create(struct connmgr *mgr, struct bufferevent *bev,
              enum ofconn_type type, struct controller *ctl,
              const char *name)
{
    struct ofconn *c = xzalloc(sizeof *c);
    c->mgr = mgr;
    c->bev = bev;
    c->type = type;
    c->controller = ctl;
    c->name = xstrdup(name);
    c->allowed_versions = mgr->versions;
    ofconn_reset_session(c);
    list_push_back(&mgr->conns, &c->node);
    bufferevent_setcb(bev, ofconn_read_cb, ofconn_write_cb, ofconn_event_cb,
                      c);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    return c;
}

void
ofconn_reset_session(struct ofconn *c)
{
    c->version = 0;
    c->role = OFPCR_ROLE_EQUAL;
    ofp_async_config_default(&c->async);
    c->miss_send_len = c->type == OFCONN_PRIMARY ? 128 : 0;
    c->flow_format = 0;
    c->packet_in_format = 0;
    c->table_id_ext = false;
    ofconn_bundles_clear(c);
    ofmonitor_conn_clear(c);
}

void
ofconn_send_hello(struct ofconn *c)
{
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ofp_encode_hello(c->allowed_versions, 0, &b);
    ofconn_send_raw(c, &b);
    ofpbuf_uninit(&b);
}

static void
snoop_copy(struct connmgr *mgr, const void *data, size_t len)
{
    struct ofconn *s;
    LIST_FOR_EACH (s, node, &mgr->conns) {
        if (s->type == OFCONN_SNOOP && s->bev) {
            bufferevent_write(s->bev, data, len);
        }
    }
}

void
ofconn_send_raw(struct ofconn *c, const struct ofpbuf *b)
{
    if (c->bev && b->size) {
        bufferevent_write(c->bev, b->data, b->size);
        if (c->type == OFCONN_PRIMARY) {
            snoop_copy(c->mgr, b->data, b->size);
        }
    }
}

void
ofconn_send_error(struct ofconn *c, enum ofperr error, const uint8_t *msg,
                  size_t len)
{
    struct ofpbuf b = OFPBUF_INITIALIZER;
    uint8_t version = c->version ? c->version
                      : len ? msg[0] : OFP13_VERSION;
    ofp_encode_error(error, version, msg, len, &b);
    ofconn_send_raw(c, &b);
    ofpbuf_uninit(&b);
    log_dbg("%s: sent error %s", c->name, ofperr_name(error));
}

/* Frees 'c'.  A controller's connection tells its reconnect machine. */
void
ofconn_destroy(struct ofconn *c, int error)
{
    struct controller *ctl = c->controller;
    if (ctl && ctl->conn == c) {
        ctl->conn = NULL;
        long long now = time_msec();
        if (c->connected) {
            reconnect_disconnected(ctl->rc, now, error);
            ctl->last_disconnect_ms = now;
            log_info("%s: connection closed%s%s", ctl->target,
                     error ? ": " : "", error ? nfv_strerror(error) : "");
        } else {
            reconnect_connect_failed(ctl->rc, now, error);
        }
        free(ctl->last_error);
        ctl->last_error = error ? xstrdup(nfv_strerror(error)) : NULL;
        mainloop_timer_reset(ctl->timer, 10);
    }
    list_remove(&c->node);
    if (c->bev) {
        bufferevent_free(c->bev);
    }
    ofconn_bundles_clear(c);
    ofmonitor_conn_clear(c);
    free(c->name);
    free(c);
}

static void
ofconn_read_cb(struct bufferevent *bev, void *c_)
{
    struct ofconn *c = c_;
    struct connmgr *mgr = c->mgr;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        size_t avail = evbuffer_get_length(in);
        if (avail < OFP_HEADER_LEN) {
            break;
        }
        const uint8_t *hdr = evbuffer_pullup(in, OFP_HEADER_LEN);
        size_t len = ofpmsg_frame_length(hdr, avail);
        if (len < OFP_HEADER_LEN) {
            log_warn("%s: bad message length %zu: closing", c->name, len);
            ofconn_destroy(c, EPROTO);
            goto done;
        }
        if (avail < len) {
            break;
        }
        const uint8_t *msg = evbuffer_pullup(in, len);
        if (c->controller) {
            reconnect_activity(c->controller->rc, time_msec());
        }
        if (c->type == OFCONN_PRIMARY) {
            snoop_copy(mgr, msg, len);
        }
        if (c->type == OFCONN_SNOOP) {
            evbuffer_drain(in, len);    /* Snoopers only listen. */
            continue;
        }
        /* The handler may close the connection: keep the bytes alive by
         * copying them first. */
        uint8_t *copy = xmemdup(msg, len);
        evbuffer_drain(in, len);
        bool alive = ofconn_handle_msg(c, copy, len);
        free(copy);
        if (!alive) {
            ofconn_destroy(c, 0);
            goto done;
        }
    }
done:
    ofproto_publish_soon(mgr->ofproto);
}

/* The output buffer drained. */
static void
ofconn_write_cb(struct bufferevent *bev, void *c_)
{
    (void) bev;
    ofmonitor_conn_drained(c_);
}

static void
ofconn_event_cb(struct bufferevent *bev, short what, void *c_)
{
    struct ofconn *c = c_;
    (void) bev;
    if (what & BEV_EVENT_CONNECTED) {
        c->connected = true;
        if (c->controller) {
            struct controller *ctl = c->controller;
            reconnect_connected(ctl->rc, time_msec());
            ctl->last_connect_ms = time_msec();
            log_info("%s: connected", ctl->target);
        }
        ofconn_send_hello(c);
        connmgr_update_fail_open(c->mgr);
        return;
    }
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) {
        int error = (what & BEV_EVENT_EOF) ? 0
                    : EVUTIL_SOCKET_ERROR() ? EVUTIL_SOCKET_ERROR() : EPROTO;
        struct connmgr *mgr = c->mgr;
        ofconn_destroy(c, error);
        connmgr_update_fail_open(mgr);
    }
}

/* ---- Controllers (active targets) ---- */

static void
controller_schedule(struct controller *ctl)
{
    long long t = reconnect_timeout(ctl->rc, time_msec());
    mainloop_timer_reset(ctl->timer, t < 0 ? 1000 : t < 10 ? 10 : t);
}

static void
controller_run(void *ctl_)
{
    struct controller *ctl = ctl_;
    long long now = time_msec();
    switch (reconnect_run(ctl->rc, now)) {
    case RECONNECT_CONNECT: {
        struct bufferevent *bev;
        char *err = NULL;
        reconnect_connecting(ctl->rc, now);
        int error = stream_open(ctl->target, OFP_DEFAULT_PORT, &bev, &err);
        if (error) {
            log_warn("%s: connection failed: %s", ctl->target,
                     err ? err : nfv_strerror(error));
            free(ctl->last_error);
            ctl->last_error = err ? err : xstrdup(nfv_strerror(error));
            reconnect_connect_failed(ctl->rc, now, error);
        } else {
            ctl->conn = ofconn_create(ctl->mgr, bev, OFCONN_PRIMARY, ctl,
                                      ctl->target);
        }
        break;
    }
    case RECONNECT_DISCONNECT:
        if (ctl->conn) {
            log_info("%s: no response to inactivity probe: disconnecting",
                     ctl->target);
            ofconn_destroy(ctl->conn, ETIMEDOUT);
            connmgr_update_fail_open(ctl->mgr);
        } else {
            reconnect_disconnected(ctl->rc, now, ETIMEDOUT);
        }
        break;
    case RECONNECT_PROBE:
        if (ctl->conn && ctl->conn->version) {
            struct ofpbuf b = OFPBUF_INITIALIZER;
            ofp_encode_empty(OFPTYPE_ECHO_REQUEST, ctl->conn->version, 0, &b);
            ofconn_send_raw(ctl->conn, &b);
            ofpbuf_uninit(&b);
        }
        break;
    case RECONNECT_NONE:
    default:
        break;
    }
    controller_schedule(ctl);
}

static void
listener_accept(struct bufferevent *bev, const char *peer, void *l_)
{
    struct listener *l = l_;
    enum ofconn_type type = l->snoop ? OFCONN_SNOOP : OFCONN_SERVICE;
    struct ofconn *c = ofconn_create(l->mgr, bev, type, NULL,
                                     peer && peer[0] ? peer : l->target);
    c->connected = true;
    /* Snoopers negotiate like any client ("ovs-ofctl -O VERSION snoop"),
     * then only receive copies of the controllers' traffic. */
    ofconn_send_hello(c);
}

static struct listener *
listener_open(struct connmgr *mgr, const char *target, bool snoop)
{
    struct listener *l = xzalloc(sizeof *l);
    l->mgr = mgr;
    l->target = xstrdup(target);
    l->snoop = snoop;
    char *err = NULL;
    int error = pstream_open(target, OFP_DEFAULT_PORT, listener_accept, l,
                             &l->pstream, &err);
    if (error) {
        log_err("%s: cannot listen on %s: %s", ofproto_name(mgr->ofproto),
                target, err ? err : nfv_strerror(error));
        free(err);
        free(l->target);
        free(l);
        return NULL;
    }
    return l;
}

static void
listener_close(struct listener *l)
{
    if (l) {
        pstream_close(l->pstream);
        free(l->target);
        free(l);
    }
}

static void
controller_destroy(struct controller *ctl)
{
    if (ctl->conn) {
        struct ofconn *c = ctl->conn;
        ctl->conn = NULL;
        c->controller = NULL;
        ofconn_destroy(c, 0);
    }
    listener_close(ctl->listener);
    if (ctl->timer) {
        mainloop_timer_del(ctl->timer);
    }
    if (ctl->rc) {
        reconnect_destroy(ctl->rc);
    }
    list_remove(&ctl->node);
    free(ctl->last_error);
    free(ctl->target);
    free(ctl);
}

static struct controller *
controller_find(const struct connmgr *mgr, const char *target)
{
    struct controller *ctl;
    LIST_FOR_EACH (ctl, node, &mgr->controllers) {
        if (!strcmp(ctl->target, target)) {
            return ctl;
        }
    }
    return NULL;
}

void
connmgr_set_controllers(struct connmgr *mgr,
                        const struct connmgr_controller *cfg, size_t n)
{
    struct controller *ctl, *next;
    LIST_FOR_EACH_SAFE (ctl, next, node, &mgr->controllers) {
        bool keep = false;
        for (size_t i = 0; i < n && !keep; i++) {
            keep = !strcmp(cfg[i].target, ctl->target);
        }
        if (!keep) {
            log_info("%s: removed controller %s", ofproto_name(mgr->ofproto),
                     ctl->target);
            controller_destroy(ctl);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *target = cfg[i].target;
        ctl = controller_find(mgr, target);
        bool passive = pstream_target_is_valid(target);
        if (!ctl) {
            if (!passive && !stream_target_is_valid(target)) {
                log_warn("%s: invalid controller target \"%s\"",
                         ofproto_name(mgr->ofproto), target);
                continue;
            }
            ctl = xzalloc(sizeof *ctl);
            ctl->mgr = mgr;
            ctl->target = xstrdup(target);
            ctl->passive = passive;
            list_push_back(&mgr->controllers, &ctl->node);
            if (passive) {
                ctl->listener = listener_open(mgr, target, false);
            } else {
                ctl->rc = reconnect_create(time_msec());
                reconnect_set_name(ctl->rc, target);
                ctl->timer = mainloop_timer_add(10, false, controller_run,
                                                ctl);
                reconnect_enable(ctl->rc, time_msec());
            }
            log_info("%s: added controller %s", ofproto_name(mgr->ofproto),
                     target);
        }
        if (ctl->rc) {
            int max_backoff = cfg[i].max_backoff_ms > 0
                              ? cfg[i].max_backoff_ms
                              : RECONNECT_DEFAULT_MAX_BACKOFF;
            reconnect_set_backoff(ctl->rc, RECONNECT_DEFAULT_MIN_BACKOFF,
                                  max_backoff);
            int probe = cfg[i].probe_interval_ms >= 0
                        ? cfg[i].probe_interval_ms
                        : RECONNECT_DEFAULT_PROBE_INTERVAL;
            if (probe && probe < 1000) {
                probe = 1000;
            }
            reconnect_set_probe_interval(ctl->rc, probe);
        }
    }
    connmgr_update_fail_open(mgr);
}

void
connmgr_set_versions(struct connmgr *mgr, uint32_t versions)
{
    versions &= OFP_SUPPORTED_VERSIONS;
    mgr->versions = versions ? versions : OFP_SUPPORTED_VERSIONS;
}

uint32_t
connmgr_parse_protocols(char *const *names, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(names[i], "OpenFlow10")) {
            v |= 1u << OFP10_VERSION;
        } else if (!strcmp(names[i], "OpenFlow13")) {
            v |= 1u << OFP13_VERSION;
        } else if (!strcmp(names[i], "OpenFlow14")) {
            v |= 1u << OFP14_VERSION;
        } else if (!strcmp(names[i], "OpenFlow15")) {
            v |= 1u << OFP15_VERSION;
        }
    }
    return v;
}

bool
connmgr_has_controller_connection(const struct connmgr *mgr)
{
    const struct ofconn *c;
    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c->type == OFCONN_PRIMARY && c->version) {
            return true;
        }
    }
    return false;
}

void
connmgr_update_fail_open(struct connmgr *mgr)
{
    bool configured = false;
    const struct controller *ctl;
    LIST_FOR_EACH (ctl, node, &mgr->controllers) {
        configured |= !ctl->passive;
    }
    ofproto_set_controller_state(mgr->ofproto, configured,
                                 connmgr_has_controller_connection(mgr));
}

static const char *
role_name(enum ofp_role role)
{
    switch (role) {
    case OFPCR_ROLE_MASTER: return "master";
    case OFPCR_ROLE_SLAVE: return "slave";
    default: return "other";
    }
}

bool
connmgr_get_controller_status(const struct connmgr *mgr, const char *target,
                              bool *is_connected, const char **role,
                              struct smap *status)
{
    const struct controller *ctl = controller_find(mgr, target);
    if (!ctl) {
        return false;
    }
    long long now = time_msec();
    const struct ofconn *c = ctl->conn;
    *is_connected = c && c->version;
    *role = role_name(c ? c->role : OFPCR_ROLE_EQUAL);
    if (ctl->passive) {
        *is_connected = false;
        LIST_FOR_EACH (c, node, &mgr->conns) {
            if (c->type == OFCONN_SERVICE && c->version) {
                *is_connected = true;
            }
        }
        smap_replace(status, "state", ctl->listener ? "LISTENING" : "FAILED");
        return true;
    }
    smap_replace(status, "state", reconnect_state_name(ctl->rc));
    if (ctl->last_connect_ms) {
        smap_replace_format(status, "sec_since_connect", "%lld",
                        (now - ctl->last_connect_ms) / 1000);
    }
    if (ctl->last_disconnect_ms) {
        smap_replace_format(status, "sec_since_disconnect", "%lld",
                        (now - ctl->last_disconnect_ms) / 1000);
    }
    if (ctl->last_error) {
        smap_replace(status, "last_error", ctl->last_error);
    }
    return true;
}

size_t
connmgr_n_connections(const struct connmgr *mgr)
{
    return list_size(&mgr->conns);
}

/* ---- Asynchronous messages from the ofproto ---- */

/* True if 'c' wants asynchronous message kind 'masks' for 'reason'. */
static bool
wants_async(const struct ofconn *c, const uint32_t masks[2],
            unsigned int reason)
{
    if (!c->version || c->type == OFCONN_SNOOP) {
        return false;
    }
    int idx = c->role == OFPCR_ROLE_SLAVE ? 1 : 0;
    return (masks[idx] >> reason) & 1;
}

static void
cb_flow_removed(void *mgr_, const struct ofp_flow_removed *fr)
{
    struct connmgr *mgr = mgr_;
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (!wants_async(c, c->async.flow_removed_mask, fr->reason)) {
            continue;
        }
        struct ofpbuf b = OFPBUF_INITIALIZER;
        bool nx = c->version == OFP10_VERSION && c->flow_format == 2;
        if (!ofp_encode_flow_removed(fr, c->version, nx, &b)) {
            ofconn_send_raw(c, &b);
        }
        ofpbuf_uninit(&b);
    }
}

static void
cb_flow_changed(void *mgr_, const struct ofproto_flow_change *chg)
{
    ofmonitor_report(mgr_, chg);
}

static void
cb_port_status(void *mgr_, const struct ofp_port_status *ps)
{
    struct connmgr *mgr = mgr_;
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (!wants_async(c, c->async.port_status_mask, ps->reason)) {
            continue;
        }
        struct ofpbuf b = OFPBUF_INITIALIZER;
        ofp_encode_port_status(ps, c->version, &b);
        ofconn_send_raw(c, &b);
        ofpbuf_uninit(&b);
    }
}

static void
cb_packet_in(void *mgr_, const struct ofp_packet_in *pi_, uint16_t max_len)
{
    struct connmgr *mgr = mgr_;
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &mgr->conns) {
        struct ofp_packet_in pi = *pi_;
        /* Before OpenFlow 1.4 only no_match, action and invalid_ttl
         * exist: the newer reasons (action set, group, packet-out) are
         * "action" there. */
        if (c->version < OFP14_VERSION && pi.reason > OFPR_INVALID_TTL) {
            pi.reason = OFPR_ACTION;
        }
        if (!wants_async(c, c->async.packet_in_mask, pi.reason)) {
            continue;
        }
        if (c->type == OFCONN_SERVICE && !c->miss_send_len) {
            continue;
        }
        if (c->bev && evbuffer_get_length(bufferevent_get_output(c->bev))
                      > PKTIN_BACKLOG_MAX) {
            /* The controller does not keep up: drop packet-ins rather
             * than queue without bound. */
            c->pktin_dropped++;
            continue;
        }
        uint16_t len = max_len;
        if (pi.reason == OFPR_NO_MATCH && c->version == OFP10_VERSION) {
            len = c->miss_send_len;
        }
        if (len != OFPCML_NO_BUFFER && pi.data_len > len) {
            pi.data_len = len;
        }
        struct ofpbuf b = OFPBUF_INITIALIZER;
        if (!ofp_encode_packet_in(&pi, c->version, c->packet_in_format, &b)) {
            ofconn_send_raw(c, &b);
        }
        ofpbuf_uninit(&b);
    }
}

/* ---- Life cycle ---- */

struct connmgr *
connmgr_create(struct ofproto *ofproto)
{
    if (!ofproto) {
        return NULL;
    }
    struct connmgr *mgr = xzalloc(sizeof *mgr);
    mgr->ofproto = ofproto;
    mgr->versions = OFP_SUPPORTED_VERSIONS;
    list_init(&mgr->conns);
    list_init(&mgr->controllers);
    struct ofproto_cbs cbs = {
        .flow_removed = cb_flow_removed,
        .port_status = cb_port_status,
        .packet_in = cb_packet_in,
        .flow_changed = cb_flow_changed,
        .aux = mgr,
    };
    ofproto_set_cbs(ofproto, &cbs);

    char *path = xasprintf("punix:%s/%s.mgmt", nfv_rundir(),
                           ofproto_name(ofproto));
    mgr->mgmt = listener_open(mgr, path, false);
    free(path);
    path = xasprintf("punix:%s/%s.snoop", nfv_rundir(),
                     ofproto_name(ofproto));
    mgr->snoop = listener_open(mgr, path, true);
    free(path);
    return mgr;
}

void
connmgr_destroy(struct connmgr *mgr)
{
    if (!mgr) {
        return;
    }
    struct controller *ctl, *next_ctl;
    LIST_FOR_EACH_SAFE (ctl, next_ctl, node, &mgr->controllers) {
        controller_destroy(ctl);
    }
    struct ofconn *c, *next;
    LIST_FOR_EACH_SAFE (c, next, node, &mgr->conns) {
        c->controller = NULL;
        ofconn_destroy(c, 0);
    }
    listener_close(mgr->mgmt);
    listener_close(mgr->snoop);
    struct ofproto_cbs none = { 0 };
    ofproto_set_cbs(mgr->ofproto, &none);
    free(mgr);
}
