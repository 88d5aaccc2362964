/* ofproto-monitor.c: Nicira flow monitors (see ofproto-monitor.h). */
#include <config.h>

#include "ofproto/ofproto-monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include "classifier/classifier.h"
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-private.h"
#include "ofproto/ofproto.h"
#include "openflow/ofp-monitor.h"
#include "openflow/ofp-multipart.h"
#include "openflow/ofp-nicira.h"
#include "openflow/ofp-port.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(ofmonitor);

#define NXFMF_EVENTS (NXFMF_ADD | NXFMF_DELETE | NXFMF_MODIFY)

struct ofmonitor {
    struct list_node node;      /* In ofconn->monitors. */
    uint32_t id;
    uint16_t flags;             /* NXFMF_*. */
    uint32_t out_port;          /* OFPP_ANY: any. */
    uint32_t out_group;         /* OFPG_ANY: any. */
    uint8_t table_id;           /* OFPTT_ALL: any. */
    struct flow_key value, mask;    /* The match, as the classifier sees
                                     * it ('value' masked). */
};

static struct ofmonitor *
monitor_find(const struct ofconn *c, uint32_t id)
{
    struct ofmonitor *m;
    LIST_FOR_EACH (m, node, &c->monitors) {
        if (m->id == id) {
            return m;
        }
    }
    return NULL;
}

static void
ensure_monitor_list(struct ofconn *c)
{
    /* A zeroed ofconn has a null list head. */
    if (!c->monitors.next) {
        list_init(&c->monitors);
    }
}

static bool
insts_output_to(const struct ofinsts *is, uint32_t port)
{
    return is && ofproto_insts_output_to(is, port);
}

/* Whether 'm' covers a rule in 'table_id' with classifier image 'cr' and
 * instructions 'insts' (or 'old_insts', the ones it had before). */
static bool
monitor_covers(const struct ofmonitor *m, uint8_t table_id,
               const struct cls_rule *cr, const struct ofinsts *insts,
               const struct ofinsts *old_insts)
{
    if (m->table_id != OFPTT_ALL && m->table_id != table_id) {
        return false;
    }
    if (m->out_port != OFPP_ANY && !insts_output_to(insts, m->out_port)
        && !insts_output_to(old_insts, m->out_port)) {
        return false;
    }
    if (m->out_group != OFPG_ANY
        && !(insts && ofproto_insts_use_group(insts, m->out_group))
        && !(old_insts && ofproto_insts_use_group(old_insts, m->out_group))) {
        return false;
    }
    return cls_rule_is_loose_match(cr, &m->value, &m->mask);
}

static void
put_full_update(struct ofpmp_reply *r, enum ofp_flow_update_event event,
                const struct ofproto_flow_change *chg, bool actions)
{
    struct ofp_flow_update u = {
        .event = event,
        .reason = chg->reason,
        .table_id = chg->table_id,
        .priority = chg->priority,
        .idle_timeout = chg->idle_timeout,
        .hard_timeout = chg->hard_timeout,
        .cookie = chg->cookie,
        .match = chg->match,
        .insts = actions ? chg->insts : NULL,
    };
    ofp_append_flow_update(r, &u);
}

/* The change record of an existing rule, for the initial reply. */
static void
rule_as_change(const struct rule *rule, struct ofproto_flow_change *chg)
{
    memset(chg, 0, sizeof *chg);
    chg->table_id = rule->table_id;
    chg->priority = rule->priority;
    chg->idle_timeout = rule->idle_timeout;
    chg->hard_timeout = rule->hard_timeout;
    chg->cookie = rule->cookie;
    chg->match = &rule->match;
    chg->cr = &rule->cr;
    chg->insts = &rule->insts;
}

/* ---- Requests ---- */

/* Appends to 'r' an 'event' update for every rule changed after
 * 'min_seq' that a monitor of 'monitors' with one of 'flags' covers. */
static void
put_covered_rules(struct ofconn *c, const struct list_node *monitors,
                  uint16_t flags, uint64_t min_seq,
                  enum ofp_flow_update_event event, struct ofpmp_reply *r)
{
    size_t n;
    struct rule **rules = ofproto_collect_rules(c->mgr->ofproto, OFPTT_ALL,
                                                &n);
    for (size_t i = 0; i < n; i++) {
        if (rules[i]->change_seq <= min_seq) {
            continue;
        }
        struct ofproto_flow_change chg;
        rule_as_change(rules[i], &chg);
        uint16_t covered = 0;
        struct ofmonitor *m;
        LIST_FOR_EACH (m, node, monitors) {
            if ((m->flags & flags)
                && monitor_covers(m, chg.table_id, chg.cr, chg.insts,
                                  NULL)) {
                covered |= m->flags;
            }
        }
        if (covered) {
            put_full_update(r, event, &chg, covered & NXFMF_ACTIONS);
        }
    }
    free(rules);
}

static void
free_monitors(struct list_node *list)
{
    while (!list_is_empty(list)) {
        struct list_node *node = list->next;
        list_remove(node);
        free(CONTAINER_OF(node, struct ofmonitor, node));
    }
}

/* Checks and turns one decoded request into a monitor in '*mp' (NULL for
 * a delete).  'added' holds the monitors of the same message so far. */
static enum ofperr
monitor_from_request(struct ofconn *c, const struct ofp_flow_monitor_request
                     *rq, const struct list_node *added,
                     struct ofmonitor **mp)
{
    *mp = NULL;
    struct ofmonitor *m;
    bool exists = monitor_find(c, rq->id) != NULL;
    LIST_FOR_EACH (m, node, added) {
        exists = exists || m->id == rq->id;
    }
    if (rq->command == OFPFMC_ADD && exists) {
        return OFPERR_OFPMOFC_MONITOR_EXISTS;
    }
    if (rq->command != OFPFMC_ADD && !exists) {
        return OFPERR_OFPMOFC_UNKNOWN_MONITOR;
    }
    if (rq->command == OFPFMC_DELETE) {
        return 0;
    }
    if (!(rq->flags & NXFMF_EVENTS)) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    if (rq->table_id != OFPTT_ALL && rq->table_id >= OFPROTO_N_TABLES) {
        return c->version == OFP10_VERSION ? OFPERR_OFPBRC_BAD_TABLE_ID
                                           : OFPERR_OFPMOFC_BAD_TABLE_ID;
    }
    m = xzalloc(sizeof *m);
    m->id = rq->id;
    m->flags = rq->flags;
    m->out_port = rq->out_port;
    m->out_group = rq->out_group;
    m->table_id = rq->table_id;
    enum ofperr error = ofproto_match_to_key(&rq->match, &m->value,
                                             &m->mask);
    if (error) {
        free(m);
        return error;
    }
    *mp = m;
    return 0;
}

enum ofperr
ofmonitor_handle_request(struct ofconn *c, const uint8_t *msg, size_t len)
{
    ensure_monitor_list(c);
    struct list_node added;     /* New and modified monitors. */
    list_init(&added);
    uint32_t *gone = NULL;      /* Ids of modified and deleted monitors. */
    size_t n_gone = 0;
    enum ofperr error = 0;
    size_t pos = 0;
    for (;;) {
        struct ofp_flow_monitor_request rq;
        int retval = ofp_decode_flow_monitor_request(msg, len, &pos, &rq);
        if (retval == EOF) {
            break;
        }
        if (retval) {
            error = retval;
            break;
        }
        struct ofmonitor *m;
        error = monitor_from_request(c, &rq, &added, &m);
        if (error) {
            break;
        }
        if (rq.command != OFPFMC_ADD) {
            gone = xrealloc(gone, (n_gone + 1) * sizeof *gone);
            gone[n_gone++] = rq.id;
        }
        if (m) {
            list_push_back(&added, &m->node);
        }
    }
    if (error) {
        free_monitors(&added);
        free(gone);
        return error;
    }
    for (size_t i = 0; i < n_gone; i++) {
        struct ofmonitor *m = monitor_find(c, gone[i]);
        if (m) {
            list_remove(&m->node);
            free(m);
        }
    }
    free(gone);

    /* The reply: every rule that an INITIAL monitor covers, once. */
    struct ofpmp_reply r;
    ofpmp_reply_start(&r, ofp_flow_monitor_reply_type(c->version),
                      c->version, ofp_get_be32(msg + 4));
    put_covered_rules(c, &added, NXFMF_INITIAL, 0, OFP_FLOW_UPDATE_INITIAL,
                      &r);
    ofpmp_reply_finish(&r);
    for (size_t i = 0; i < r.n_msgs; i++) {
        ofconn_send_raw(c, &r.msgs[i]);
    }
    ofpmp_reply_uninit(&r);

    while (!list_is_empty(&added)) {
        struct list_node *node = added.next;
        list_remove(node);
        list_push_back(&c->monitors, node);
    }
    return 0;
}

enum ofperr
ofmonitor_handle_cancel(struct ofconn *c, const uint8_t *msg, size_t len)
{
    ensure_monitor_list(c);
    uint32_t id;
    enum ofperr error = nx_decode_flow_monitor_cancel(msg, len, &id);
    if (error) {
        return error;
    }
    struct ofmonitor *m = monitor_find(c, id);
    if (!m) {
        return OFPERR_OFPMOFC_UNKNOWN_MONITOR;
    }
    list_remove(&m->node);
    free(m);
    return 0;
}

/* ---- Updates ---- */

void
ofmonitor_set_origin(struct connmgr *mgr, struct ofconn *c, uint32_t xid)
{
    if (!c) {
        /* The end of one request's changes: one reply per request, as
         * Open vSwitch sends them. */
        ofmonitor_flush(mgr);
    }
    mgr->monitor_origin = c;
    mgr->monitor_origin_xid = xid;
}

static void conn_flush(struct ofconn *);

static uint16_t
event_flag(enum ofproto_flow_event event)
{
    switch (event) {
    case OFPROTO_FLOW_ADDED:
        return NXFMF_ADD;
    case OFPROTO_FLOW_DELETED:
        return NXFMF_DELETE;
    case OFPROTO_FLOW_MODIFIED:
    default:
        return NXFMF_MODIFY;
    }
}

static enum ofp_flow_update_event
update_event(enum ofproto_flow_event event)
{
    switch (event) {
    case OFPROTO_FLOW_ADDED:
        return OFP_FLOW_UPDATE_ADDED;
    case OFPROTO_FLOW_DELETED:
        return OFP_FLOW_UPDATE_DELETED;
    case OFPROTO_FLOW_MODIFIED:
    default:
        return OFP_FLOW_UPDATE_MODIFIED;
    }
}

void
ofmonitor_report(struct connmgr *mgr, const struct ofproto_flow_change *chg)
{
    uint16_t want = event_flag(chg->event);
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &mgr->conns) {
        if (!c->monitors.next || list_is_empty(&c->monitors)) {
            continue;
        }
        if (c->monitor_paused
            && (chg->event != OFPROTO_FLOW_DELETED
                || chg->add_seq > c->monitor_paused_seq)) {
            /* Reported at the resumption (or never known: added and
             * deleted while paused). */
            continue;
        }
        uint16_t flags = 0;
        struct ofmonitor *m;
        LIST_FOR_EACH (m, node, &c->monitors) {
            if ((m->flags & want)
                && monitor_covers(m, chg->table_id, chg->cr, chg->insts,
                                  chg->old_insts)) {
                flags |= m->flags;
            }
        }
        if (!flags) {
            continue;
        }
        if (!c->monitor_updates) {
            c->monitor_updates = xzalloc(sizeof *c->monitor_updates);
            ofpmp_reply_start(c->monitor_updates,
                              ofp_flow_monitor_reply_type(c->version),
                              c->version, 0);
            c->monitor_sent_abbrev = false;
        }
        if ((flags & NXFMF_OWN) || c != mgr->monitor_origin
            || c->monitor_paused) {
            put_full_update(c->monitor_updates, update_event(chg->event),
                            chg, flags & NXFMF_ACTIONS);
        } else if (!c->monitor_sent_abbrev) {
            struct ofp_flow_update u = {
                .event = OFP_FLOW_UPDATE_ABBREV,
                .xid = mgr->monitor_origin_xid,
            };
            ofp_append_flow_update(c->monitor_updates, &u);
            c->monitor_sent_abbrev = true;
        }
    }
    if (!mgr->monitor_origin) {
        /* A change of the switch's own (a timeout): sent at once. */
        ofmonitor_flush(mgr);
    }
}

static void
conn_flush(struct ofconn *c)
{
    struct ofpmp_reply *r = c->monitor_updates;
    if (!r) {
        return;
    }
    c->monitor_updates = NULL;
    ofpmp_reply_finish(r);
    for (size_t i = 0; i < r->n_msgs; i++) {
        ofconn_send_raw(c, &r->msgs[i]);
    }
    ofpmp_reply_uninit(r);
    free(r);

    if (!c->monitor_paused && c->bev
        && evbuffer_get_length(bufferevent_get_output(c->bev))
           > OFMONITOR_PAUSE_BACKLOG) {
        c->monitor_paused = true;
        c->monitor_paused_seq = c->mgr->ofproto->change_seq;
        struct ofpbuf b = OFPBUF_INITIALIZER;
        ofp_encode_flow_monitor_paused(true, c->version, &b);
        ofconn_send_raw(c, &b);
        ofpbuf_uninit(&b);
        log_dbg("%s: flow monitor paused", c->name);
    }
}

void
ofmonitor_conn_drained(struct ofconn *c)
{
    if (!c->monitor_paused) {
        return;
    }
    /* Every covered rule added or modified while paused, as ADDED. */
    struct ofpmp_reply r;
    ofpmp_reply_start(&r, ofp_flow_monitor_reply_type(c->version),
                      c->version, 0);
    put_covered_rules(c, &c->monitors, NXFMF_ADD | NXFMF_MODIFY,
                      c->monitor_paused_seq, OFP_FLOW_UPDATE_ADDED, &r);
    ofpmp_reply_finish(&r);
    /* An empty reply is not worth sending. */
    if (r.n_msgs > 1
        || r.msgs[0].size > ofpmsg_body_offset(r.type, c->version)) {
        for (size_t i = 0; i < r.n_msgs; i++) {
            ofconn_send_raw(c, &r.msgs[i]);
        }
    }
    ofpmp_reply_uninit(&r);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ofp_encode_flow_monitor_paused(false, c->version, &b);
    ofconn_send_raw(c, &b);
    ofpbuf_uninit(&b);
    c->monitor_paused = false;
    log_dbg("%s: flow monitor resumed", c->name);
}

void
ofmonitor_flush(struct connmgr *mgr)
{
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &mgr->conns) {
        conn_flush(c);
    }
}

void
ofmonitor_conn_clear(struct ofconn *c)
{
    ensure_monitor_list(c);
    free_monitors(&c->monitors);
    if (c->monitor_updates) {
        ofpmp_reply_uninit(c->monitor_updates);
        free(c->monitor_updates);
        c->monitor_updates = NULL;
    }
    c->monitor_paused = false;
    if (c->mgr && c->mgr->monitor_origin == c) {
        c->mgr->monitor_origin = NULL;
    }
}

