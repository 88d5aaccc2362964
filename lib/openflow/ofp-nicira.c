/* ofp-nicira.c: small Nicira extension control messages. */
#include <config.h>

#include "openflow/ofp-nicira.h"

#include <stdio.h>
#include <string.h>
#include "openflow/ofp-multipart.h"
#include "util/util.h"

/* Decodes a 20-byte Nicira message carrying one 32-bit value. */
static enum ofperr
decode_u32(const uint8_t *msg, size_t len, enum ofptype expected,
           uint32_t *value)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != expected) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 20) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *value = ofp_get_be32(msg + 16);
    return 0;
}

static void
encode_u32(enum ofptype type, uint8_t version, uint32_t xid, uint32_t value,
           struct ofpbuf *b)
{
    ofpmsg_start(b, type, version, xid);
    ofpbuf_put_be32(b, value);
    ofpmsg_finish(b);
}

enum ofperr
nx_decode_set_flow_format(const uint8_t *msg, size_t len, uint32_t *format)
{
    enum ofperr error = decode_u32(msg, len, OFPTYPE_NXT_SET_FLOW_FORMAT,
                                   format);
    if (!error && *format != NXFF_OPENFLOW10 && *format != NXFF_NXM) {
        error = OFPERR_OFPBRC_EPERM;
    }
    return error;
}

void
nx_encode_set_flow_format(uint32_t format, uint32_t xid, struct ofpbuf *b)
{
    encode_u32(OFPTYPE_NXT_SET_FLOW_FORMAT, OFP10_VERSION, xid, format, b);
}

enum ofperr
nx_decode_flow_mod_table_id(const uint8_t *msg, size_t len, bool *enable)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != OFPTYPE_NXT_FLOW_MOD_TABLE_ID) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (msg[16] > 1) {
        return OFPERR_OFPBRC_EPERM;
    }
    *enable = msg[16];
    return 0;
}

void
nx_encode_flow_mod_table_id(bool enable, uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_NXT_FLOW_MOD_TABLE_ID, OFP10_VERSION, xid);
    ofpbuf_put_u8(b, enable);
    ofpbuf_put_zeros(b, 7);
    ofpmsg_finish(b);
}

enum ofperr
nx_decode_set_packet_in_format(const uint8_t *msg, size_t len,
                               uint32_t *format)
{
    enum ofperr error = decode_u32(msg, len, OFPTYPE_NXT_SET_PACKET_IN_FORMAT,
                                   format);
    if (!error && *format > 2) {
        error = OFPERR_OFPBRC_EPERM;
    }
    return error;
}

void
nx_encode_set_packet_in_format(uint32_t format, uint8_t version, uint32_t xid,
                               struct ofpbuf *b)
{
    encode_u32(OFPTYPE_NXT_SET_PACKET_IN_FORMAT, version, xid, format, b);
}

enum ofperr
nx_decode_set_controller_id(const uint8_t *msg, size_t len,
                            uint16_t *controller_id)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != OFPTYPE_NXT_SET_CONTROLLER_ID) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *controller_id = ofp_get_be16(msg + 22);
    return 0;
}

/* ---- Flow monitors ---------------------------------------------------- */

int
nx_decode_flow_monitor_request(const uint8_t *msg, size_t len, size_t *pos,
                               struct nx_flow_monitor_request *rq)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != OFPTYPE_NXST_FLOW_MONITOR_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    if (*pos >= n) {
        return EOF;
    }
    const uint8_t *p = body + *pos;
    size_t left = n - *pos;
    if (left < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(rq, 0, sizeof *rq);
    rq->id = ofp_get_be32(p);
    rq->flags = ofp_get_be16(p + 4);
    rq->out_port = ofp_port_from_of10(ofp_get_be16(p + 6));
    uint16_t match_len = ofp_get_be16(p + 8);
    rq->table_id = p[10];
    for (int i = 11; i < 16; i++) {
        if (p[i]) {
            return OFPERR_NXBRC_MUST_BE_ZERO;
        }
    }
    if (rq->flags & ~(uint16_t) 0x3f) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    size_t padded = ROUND_UP((size_t) match_len, 8);
    if (padded > left - 16) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    struct ofpr r;
    ofpr_init(&r, p + 16, match_len);
    error = ofmatch_decode_nxm(&r, &rq->match);
    if (error) {
        return error;
    }
    *pos += 16 + padded;
    return 0;
}

void
nx_encode_flow_monitor_request(const struct nx_flow_monitor_request *rq,
                               uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_NXST_FLOW_MONITOR_REQUEST, OFP10_VERSION, xid);
    size_t start = b->size;
    uint16_t port10 = 0xffff;
    ofp_port_to_of10(rq->out_port, &port10);
    ofpbuf_put_be32(b, rq->id);
    ofpbuf_put_be16(b, rq->flags);
    ofpbuf_put_be16(b, port10);
    size_t mlen_ofs = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, rq->table_id);
    ofpbuf_put_zeros(b, 5);
    size_t mstart = b->size;
    size_t mlen = ofmatch_encode_nxm(&rq->match, b);
    ofpbuf_pad(b, mstart, 8);
    ofpbuf_set_be16(b, mlen_ofs, mlen);
    (void) start;
    ofpmsg_finish(b);
}

void
nx_append_flow_update(struct ofpmp_reply *r, const struct nx_flow_update *u)
{
    struct ofpbuf *b = ofpmp_reply_current(r);
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, u->event);
    if (u->event == NXFME_ABBREV) {
        ofpbuf_put_be32(b, u->xid);
    } else {
        ofpbuf_put_be16(b, u->reason);
        ofpbuf_put_be16(b, u->priority);
        ofpbuf_put_be16(b, u->idle_timeout);
        ofpbuf_put_be16(b, u->hard_timeout);
        size_t mlen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_u8(b, u->table_id);
        ofpbuf_put_zeros(b, 1);
        ofpbuf_put_be64(b, u->cookie);
        size_t mstart = b->size;
        size_t mlen = ofmatch_encode_nxm(&u->match, b);
        ofpbuf_pad(b, mstart, 8);
        ofpbuf_set_be16(b, mlen_ofs, mlen);
        if (u->actions && ofacts_encode(u->actions, OFP10_VERSION, b)) {
            /* Actions OpenFlow 1.0 cannot express are left out. */
            b->size = mstart + ROUND_UP(mlen, 8);
        }
    }
    ofpbuf_set_be16(b, start, b->size - start);
    ofpmp_reply_postappend(r, start);
}

void
nx_encode_flow_monitor_paused(bool paused, uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, paused ? OFPTYPE_NXT_FLOW_MONITOR_PAUSED
                           : OFPTYPE_NXT_FLOW_MONITOR_RESUMED,
                 OFP10_VERSION, xid);
    ofpmsg_finish(b);
}

enum ofperr
nx_decode_flow_monitor_cancel(const uint8_t *msg, size_t len, uint32_t *id)
{
    return decode_u32(msg, len, OFPTYPE_NXT_FLOW_MONITOR_CANCEL, id);
}
