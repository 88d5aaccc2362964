/* ofp-monitor.c: flow monitor requests and updates (see ofp-monitor.h). */
#include <config.h>

#include "openflow/ofp-monitor.h"

#include <stdio.h>
#include <string.h>
#include "openflow/ofp-msgs.h"
#include "openflow/ofp-multipart.h"
#include "openflow/ofp-nicira.h"
#include "util/util.h"

/* OpenFlow 1.4 flag bits (ofp_flow_monitor_flags). */
enum {
    OFPFMF14_INITIAL = 1 << 0,
    OFPFMF14_ADD = 1 << 1,
    OFPFMF14_REMOVED = 1 << 2,
    OFPFMF14_MODIFY = 1 << 3,
    OFPFMF14_INSTRUCTIONS = 1 << 4,
    OFPFMF14_NO_ABBREV = 1 << 5,
    OFPFMF14_ONLY_OWN = 1 << 6,
};

/* OpenFlow 1.4 update events (ofp_flow_update_event). */
enum {
    OFPFME14_INITIAL = 0,
    OFPFME14_ADDED = 1,
    OFPFME14_REMOVED = 2,
    OFPFME14_MODIFIED = 3,
    OFPFME14_ABBREV = 4,
    OFPFME14_PAUSED = 5,
    OFPFME14_RESUMED = 6,
};

#define OF14_MONITOR_REQUEST_LEN 16     /* Before the match. */
#define OF14_FLOW_UPDATE_FULL_LEN 24    /* Before the match. */

static const struct {
    uint16_t of14, nx;
} flag_map[] = {
    { OFPFMF14_INITIAL, NXFMF_INITIAL },
    { OFPFMF14_ADD, NXFMF_ADD },
    { OFPFMF14_REMOVED, NXFMF_DELETE },
    { OFPFMF14_MODIFY, NXFMF_MODIFY },
    { OFPFMF14_INSTRUCTIONS, NXFMF_ACTIONS },
    { OFPFMF14_ONLY_OWN, NXFMF_OWN },
    { OFPFMF14_NO_ABBREV, NXFMF_OWN },
};

static uint16_t
flags_from_of14(uint16_t of14)
{
    uint16_t nx = 0;
    for (size_t i = 0; i < ARRAY_SIZE(flag_map); i++) {
        if (of14 & flag_map[i].of14) {
            nx |= flag_map[i].nx;
        }
    }
    return nx;
}

static uint16_t
flags_to_of14(uint16_t nx)
{
    uint16_t of14 = 0;
    for (size_t i = 0; i < ARRAY_SIZE(flag_map); i++) {
        if ((nx & flag_map[i].nx) && flag_map[i].of14 != OFPFMF14_NO_ABBREV) {
            of14 |= flag_map[i].of14;
        }
    }
    return of14;
}

static int
decode_of14_request(const uint8_t *body, size_t n, uint8_t version,
                    size_t *pos, struct ofp_flow_monitor_request *rq)
{
    if (*pos >= n) {
        return EOF;
    }
    struct ofpr r;
    ofpr_init(&r, body + *pos, n - *pos);
    const uint8_t *p = ofpr_pull(&r, OF14_MONITOR_REQUEST_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(rq, 0, sizeof *rq);
    rq->id = ofp_get_be32(p);
    rq->out_port = ofp_get_be32(p + 4);
    rq->out_group = ofp_get_be32(p + 8);
    uint16_t flags = ofp_get_be16(p + 12);
    rq->table_id = p[14];
    rq->command = p[15];
    if (flags & ~(uint16_t) 0x7f) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    if (rq->command > OFPFMC_DELETE) {
        return OFPERR_OFPMOFC_BAD_COMMAND;
    }
    rq->flags = flags_from_of14(flags);
    size_t before = r.left;
    enum ofperr error = ofmatch_decode_oxm(&r, version, &rq->match);
    if (error) {
        return error;
    }
    *pos += OF14_MONITOR_REQUEST_LEN + (before - r.left);
    return 0;
}

int
ofp_decode_flow_monitor_request(const uint8_t *msg, size_t len, size_t *pos,
                                struct ofp_flow_monitor_request *rq)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type == OFPTYPE_NXST_FLOW_MONITOR_REQUEST) {
        struct nx_flow_monitor_request nx;
        int retval = nx_decode_flow_monitor_request(msg, len, pos, &nx);
        if (!retval) {
            memset(rq, 0, sizeof *rq);
            rq->id = nx.id;
            rq->flags = nx.flags;
            rq->command = OFPFMC_ADD;
            rq->out_port = nx.out_port;
            rq->out_group = OFPG_ANY;
            rq->table_id = nx.table_id;
            rq->match = nx.match;
        }
        return retval;
    }
    if (type != OFPTYPE_FLOW_MONITOR_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    return decode_of14_request(body, n, msg[0], pos, rq);
}

void
ofp_encode_flow_monitor_request(const struct ofp_flow_monitor_request *rq,
                                uint8_t version, uint32_t xid,
                                struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        struct nx_flow_monitor_request nx = {
            .id = rq->id, .flags = rq->flags, .out_port = rq->out_port,
            .table_id = rq->table_id, .match = rq->match,
        };
        nx_encode_flow_monitor_request(&nx, xid, b);
        return;
    }
    ofpmsg_start(b, OFPTYPE_FLOW_MONITOR_REQUEST, version, xid);
    ofpbuf_put_be32(b, rq->id);
    ofpbuf_put_be32(b, rq->out_port);
    ofpbuf_put_be32(b, rq->out_group);
    ofpbuf_put_be16(b, flags_to_of14(rq->flags));
    ofpbuf_put_u8(b, rq->table_id);
    ofpbuf_put_u8(b, rq->command);
    ofmatch_encode_oxm(&rq->match, b);
    ofpmsg_finish(b);
}

void
ofp_encode_flow_monitor_paused(bool paused, uint8_t version,
                               struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        nx_encode_flow_monitor_paused(paused, 0, b);
        return;
    }
    ofpmsg_start(b, OFPTYPE_FLOW_MONITOR_REPLY, version, 0);
    ofpbuf_put_be16(b, 8);
    ofpbuf_put_be16(b, paused ? OFPFME14_PAUSED : OFPFME14_RESUMED);
    ofpbuf_put_zeros(b, 4);
    ofpmsg_finish(b);
}

enum ofptype
ofp_flow_monitor_reply_type(uint8_t version)
{
    return version == OFP10_VERSION ? OFPTYPE_NXST_FLOW_MONITOR_REPLY
                                    : OFPTYPE_FLOW_MONITOR_REPLY;
}

static void
append_nx_update(struct ofpmp_reply *r, const struct ofp_flow_update *u)
{
    static const uint16_t nx_events[] = {
        [OFP_FLOW_UPDATE_INITIAL] = NXFME_ADDED,
        [OFP_FLOW_UPDATE_ADDED] = NXFME_ADDED,
        [OFP_FLOW_UPDATE_DELETED] = NXFME_DELETED,
        [OFP_FLOW_UPDATE_MODIFIED] = NXFME_MODIFIED,
        [OFP_FLOW_UPDATE_ABBREV] = NXFME_ABBREV,
    };
    struct nx_flow_update nx;
    memset(&nx, 0, sizeof nx);
    nx.event = nx_events[u->event];
    if (u->event == OFP_FLOW_UPDATE_ABBREV) {
        nx.xid = u->xid;
    } else {
        nx.reason = u->reason;
        nx.priority = u->priority;
        nx.idle_timeout = u->idle_timeout;
        nx.hard_timeout = u->hard_timeout;
        nx.table_id = u->table_id;
        nx.cookie = u->cookie;
        nx.match = *u->match;
        nx.actions = u->insts ? &u->insts->apply : NULL;
    }
    nx_append_flow_update(r, &nx);
}

static void
append_of14_update(struct ofpmp_reply *r, const struct ofp_flow_update *u)
{
    static const uint16_t of14_events[] = {
        [OFP_FLOW_UPDATE_INITIAL] = OFPFME14_INITIAL,
        [OFP_FLOW_UPDATE_ADDED] = OFPFME14_ADDED,
        [OFP_FLOW_UPDATE_DELETED] = OFPFME14_REMOVED,
        [OFP_FLOW_UPDATE_MODIFIED] = OFPFME14_MODIFIED,
        [OFP_FLOW_UPDATE_ABBREV] = OFPFME14_ABBREV,
    };
    struct ofpbuf *b = ofpmp_reply_current(r);
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, of14_events[u->event]);
    if (u->event == OFP_FLOW_UPDATE_ABBREV) {
        ofpbuf_put_be32(b, u->xid);
    } else {
        ofpbuf_put_u8(b, u->table_id);
        ofpbuf_put_u8(b, u->reason);
        ofpbuf_put_be16(b, u->idle_timeout);
        ofpbuf_put_be16(b, u->hard_timeout);
        ofpbuf_put_be16(b, u->priority);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, u->cookie);
        ofmatch_encode_oxm(u->match, b);
        size_t insts_start = b->size;
        if (u->insts && ofinsts_encode(u->insts, r->version, b)) {
            /* Instructions the version cannot express are left out. */
            b->size = insts_start;
        }
    }
    ofpbuf_set_be16(b, start, b->size - start);
    ofpmp_reply_postappend(r, start);
}

void
ofp_append_flow_update(struct ofpmp_reply *r, const struct ofp_flow_update *u)
{
    if (r->version == OFP10_VERSION) {
        append_nx_update(r, u);
    } else {
        append_of14_update(r, u);
    }
}
