/* ofconn.h: one OpenFlow connection, shared by connmgr.c (life cycle,
 * controllers, listeners, asynchronous messages) and ofconn-handle.c
 * (handling each received message).  Not a public API.  Main thread. */
#ifndef OVSNFV_OFCONN_H
#define OVSNFV_OFCONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-msgs.h"
#include "util/list.h"
#include "util/reconnect.h"

struct bufferevent;
struct connmgr;
struct mainloop_timer;
struct ofproto;
struct pstream;

enum ofconn_type {
    OFCONN_PRIMARY,             /* To an active controller target. */
    OFCONN_SERVICE,             /* Accepted: BRIDGE.mgmt, ptcp:, punix:. */
    OFCONN_SNOOP,               /* Accepted on BRIDGE.snoop. */
};

struct listener {
    struct connmgr *mgr;
    char *target;
    bool snoop;
    struct pstream *pstream;
};

struct controller {
    struct list_node node;      /* In connmgr->controllers. */
    struct connmgr *mgr;
    char *target;
    bool passive;
    struct listener *listener;  /* Passive targets. */
    struct reconnect *rc;       /* Active targets. */
    struct mainloop_timer *timer;
    struct ofconn *conn;        /* Current connection, or NULL. */
    long long last_connect_ms, last_disconnect_ms;
    char *last_error;
};

/* One message kept in an open bundle. */
struct bundle_msg {
    uint8_t *msg;
    size_t len;
};

struct bundle {
    struct list_node node;      /* In ofconn->bundles. */
    uint32_t id;
    uint16_t flags;
    bool closed;
    struct bundle_msg *msgs;
    size_t n_msgs;
};

struct ofconn {
    struct list_node node;      /* In connmgr->conns. */
    struct connmgr *mgr;
    struct bufferevent *bev;
    enum ofconn_type type;
    struct controller *controller;  /* For PRIMARY, else NULL. */
    char *name;
    bool connected;
    uint32_t allowed_versions;
    uint8_t version;            /* Negotiated, 0 before the hello. */

    /* Session state (reset on each connection). */
    enum ofp_role role;
    struct ofp_async_config async;
    uint16_t miss_send_len;
    uint32_t flow_format;       /* NXFF_*. */
    uint32_t packet_in_format;  /* NXPIF_*. */
    bool table_id_ext;          /* NXT_FLOW_MOD_TABLE_ID. */
    uint64_t pktin_dropped;     /* Packet-ins dropped: backlog too long. */
    struct list_node bundles;
    bool bundles_init;

    /* Flow monitors (ofproto-monitor.c). */
    struct list_node monitors;      /* struct ofmonitor. */
    struct ofpmp_reply *monitor_updates;    /* Queued, or NULL. */
    bool monitor_sent_abbrev;       /* In 'monitor_updates'. */
    bool monitor_paused;            /* Send backlog too long. */
    uint64_t monitor_paused_seq;    /* ofproto change_seq at the pause. */
};

struct connmgr {
    struct ofproto *ofproto;
    uint32_t versions;
    struct list_node conns;         /* struct ofconn. */
    struct list_node controllers;   /* struct controller. */
    struct listener *mgmt;
    struct listener *snoop;
    uint64_t master_generation;
    bool have_generation;
    uint16_t frag_flags;            /* OFPC_FRAG_* (set-config). */

    /* Flow monitors (ofproto-monitor.c). */
    struct ofconn *monitor_origin;  /* Connection making changes now. */
    uint32_t monitor_origin_xid;
};

void ofconn_reset_session(struct ofconn *);
void ofconn_send_hello(struct ofconn *);
void ofconn_send_raw(struct ofconn *, const struct ofpbuf *);
void ofconn_send_error(struct ofconn *, enum ofperr, const uint8_t *msg,
                       size_t len);
void ofconn_destroy(struct ofconn *, int error);
void connmgr_update_fail_open(struct connmgr *);

/* ofconn-handle.c: handles one complete message.  Returns false if the
 * connection must be closed (the caller closes it). */
bool ofconn_handle_msg(struct ofconn *, const uint8_t *msg, size_t len);
void ofconn_bundles_clear(struct ofconn *);

#endif
