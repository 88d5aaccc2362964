/* ofp-multipart.c: multipart reply building, desc, table stats and table
 * features. */
#include <config.h>

#include "openflow/ofp-multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

void
ofpmp_reply_start(struct ofpmp_reply *r, enum ofptype type, uint8_t version,
                  uint32_t xid)
{
    r->type = type;
    r->version = version;
    r->xid = xid;
    r->msgs = xmalloc(sizeof *r->msgs);
    r->n_msgs = 1;
    r->max_len = OFP_MAX_MSG_LEN;
    ofpbuf_init(&r->msgs[0]);
    ofpmsg_start(&r->msgs[0], type, version, xid);
}

static struct ofpbuf *
new_message(struct ofpmp_reply *r)
{
    r->msgs = xrealloc(r->msgs, (r->n_msgs + 1) * sizeof *r->msgs);
    struct ofpbuf *b = &r->msgs[r->n_msgs++];
    ofpbuf_init(b);
    ofpmsg_start(b, r->type, r->version, r->xid);
    return b;
}

struct ofpbuf *
ofpmp_reply_current(struct ofpmp_reply *r)
{
    return &r->msgs[r->n_msgs - 1];
}

struct ofpbuf *
ofpmp_reply_reserve(struct ofpmp_reply *r, size_t entry_len)
{
    struct ofpbuf *b = ofpmp_reply_current(r);
    size_t hdr = ofpmsg_body_offset(r->type, r->version);
    if (b->size > hdr && b->size + entry_len > r->max_len) {
        b = new_message(r);
    }
    return b;
}

void
ofpmp_reply_postappend(struct ofpmp_reply *r, size_t start)
{
    struct ofpbuf *b = ofpmp_reply_current(r);
    size_t hdr = ofpmsg_body_offset(r->type, r->version);
    if (b->size > r->max_len && start > hdr) {
        size_t n = b->size - start;
        uint8_t *entry = xmemdup(b->data + start, n);
        b->size = start;
        struct ofpbuf *nb = new_message(r);
        ofpbuf_put(nb, entry, n);
        free(entry);
    }
}

void
ofpmp_reply_finish(struct ofpmp_reply *r)
{
    for (size_t i = 0; i < r->n_msgs; i++) {
        struct ofpbuf *b = &r->msgs[i];
        ofpmsg_finish(b);
        if (i + 1 < r->n_msgs) {
            ofpbuf_set_be16(b, 10, OFPMPF_MORE);
        }
    }
}

void
ofpmp_reply_uninit(struct ofpmp_reply *r)
{
    for (size_t i = 0; i < r->n_msgs; i++) {
        ofpbuf_uninit(&r->msgs[i]);
    }
    free(r->msgs);
    r->msgs = NULL;
    r->n_msgs = 0;
}

/* ---- Desc ------------------------------------------------------------- */

static void
put_string(struct ofpbuf *b, const char *s, size_t n)
{
    uint8_t *p = ofpbuf_put_zeros(b, n);
    size_t len = strnlen(s, n - 1);
    memcpy(p, s, len);
}

static void
get_string(char *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
    dst[n - 1] = '\0';
}

void
ofp_encode_desc_reply(const struct ofp_desc *d, uint8_t version, uint32_t xid,
                      struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_DESC_REPLY, version, xid);
    put_string(b, d->mfr_desc, 256);
    put_string(b, d->hw_desc, 256);
    put_string(b, d->sw_desc, 256);
    put_string(b, d->serial_num, 32);
    put_string(b, d->dp_desc, 256);
    ofpmsg_finish(b);
}

enum ofperr
ofp_decode_desc_reply(const uint8_t *msg, size_t len, struct ofp_desc *d)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    if (n != 1056) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    get_string(d->mfr_desc, body, 256);
    get_string(d->hw_desc, body + 256, 256);
    get_string(d->sw_desc, body + 512, 256);
    get_string(d->serial_num, body + 768, 32);
    get_string(d->dp_desc, body + 800, 256);
    return 0;
}

/* ---- Table stats ------------------------------------------------------ */

void
ofp_append_table_stats(struct ofpmp_reply *r, const struct ofp_table_stats *ts)
{
    if (r->version == OFP10_VERSION) {
        struct ofpbuf *b = ofpmp_reply_reserve(r, 64);
        ofpbuf_put_u8(b, ts->table_id);
        ofpbuf_put_zeros(b, 3);
        put_string(b, ts->name, 32);
        ofpbuf_put_be32(b, ts->wildcards);
        ofpbuf_put_be32(b, ts->max_entries);
        ofpbuf_put_be32(b, ts->active_count);
        ofpbuf_put_be64(b, ts->lookup_count);
        ofpbuf_put_be64(b, ts->matched_count);
    } else {
        struct ofpbuf *b = ofpmp_reply_reserve(r, 24);
        ofpbuf_put_u8(b, ts->table_id);
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, ts->active_count);
        ofpbuf_put_be64(b, ts->lookup_count);
        ofpbuf_put_be64(b, ts->matched_count);
    }
}

int
ofp_decode_table_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                             struct ofp_table_stats *ts)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    if (*pos >= n) {
        return EOF;
    }
    size_t elen = msg[0] == OFP10_VERSION ? 64 : 24;
    if (n - *pos < elen) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = body + *pos;
    memset(ts, 0, sizeof *ts);
    ts->table_id = p[0];
    if (msg[0] == OFP10_VERSION) {
        get_string(ts->name, p + 4, 32);
        ts->wildcards = ofp_get_be32(p + 36);
        ts->max_entries = ofp_get_be32(p + 40);
        ts->active_count = ofp_get_be32(p + 44);
        ts->lookup_count = ofp_get_be64(p + 48);
        ts->matched_count = ofp_get_be64(p + 56);
    } else {
        ts->active_count = ofp_get_be32(p + 4);
        ts->lookup_count = ofp_get_be64(p + 8);
        ts->matched_count = ofp_get_be64(p + 16);
    }
    *pos += elen;
    return 0;
}

/* ---- Table features --------------------------------------------------- */

enum {
    OFPTFPT_INSTRUCTIONS = 0,
    OFPTFPT_INSTRUCTIONS_MISS = 1,
    OFPTFPT_NEXT_TABLES = 2,
    OFPTFPT_NEXT_TABLES_MISS = 3,
    OFPTFPT_WRITE_ACTIONS = 4,
    OFPTFPT_WRITE_ACTIONS_MISS = 5,
    OFPTFPT_APPLY_ACTIONS = 6,
    OFPTFPT_APPLY_ACTIONS_MISS = 7,
    OFPTFPT_MATCH = 8,
    OFPTFPT_WILDCARDS = 10,
    OFPTFPT_WRITE_SETFIELD = 12,
    OFPTFPT_WRITE_SETFIELD_MISS = 13,
    OFPTFPT_APPLY_SETFIELD = 14,
    OFPTFPT_APPLY_SETFIELD_MISS = 15,
    OFPTFPT_EXPERIMENTER = 0xfffe,
    OFPTFPT_EXPERIMENTER_MISS = 0xffff,
};


static void
put_inst_prop(struct ofpbuf *b, uint16_t type, uint32_t insts)
{
    size_t start = ofpbuf_start_prop(b, type);
    for (int t = 1; t <= 6; t++) {
        if (insts & (1u << t)) {
            ofpbuf_put_be16(b, t);
            ofpbuf_put_be16(b, 4);
        }
    }
    ofpbuf_end_prop(b, start);
}

static void
put_action_prop(struct ofpbuf *b, uint16_t type, uint64_t actions)
{
    size_t start = ofpbuf_start_prop(b, type);
    for (int t = 0; t < 64; t++) {
        if (actions & (UINT64_C(1) << t)) {
            ofpbuf_put_be16(b, t);
            ofpbuf_put_be16(b, 4);
        }
    }
    ofpbuf_end_prop(b, start);
}

static void
put_oxm_prop(struct ofpbuf *b, uint16_t type, uint64_t fields)
{
    size_t start = ofpbuf_start_prop(b, type);
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        const struct mf_info *mf = mf_info(f);
        if (mf && (fields & (UINT64_C(1) << f))) {
            bool hasmask = type == OFPTFPT_MATCH && mf->maskable;
            ofpbuf_put_be32(b, ((uint32_t) mf->oxm_class << 16)
                               | (mf->oxm_field << 9) | (hasmask << 8)
                               | (mf->width * (hasmask ? 2 : 1)));
        }
    }
    ofpbuf_end_prop(b, start);
}

static void
encode_table_features(struct ofpbuf *b, uint8_t version,
                      const struct ofp_table_features *tf)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, tf->table_id);
    ofpbuf_put_zeros(b, 5);
    put_string(b, tf->name, 32);
    ofpbuf_put_be64(b, tf->metadata_match);
    ofpbuf_put_be64(b, tf->metadata_write);
    ofpbuf_put_be32(b, tf->config);
    ofpbuf_put_be32(b, tf->max_entries);
    for (int miss = 0; miss < 2; miss++) {
        put_inst_prop(b, OFPTFPT_INSTRUCTIONS + miss, tf->instructions);
        size_t p = ofpbuf_start_prop(b, OFPTFPT_NEXT_TABLES + miss);
        ofpbuf_put(b, tf->next_tables, tf->n_next_tables);
        ofpbuf_end_prop(b, p);
        put_action_prop(b, OFPTFPT_WRITE_ACTIONS + miss, tf->actions);
        put_action_prop(b, OFPTFPT_APPLY_ACTIONS + miss, tf->actions);
    }
    put_oxm_prop(b, OFPTFPT_MATCH, tf->match_fields);
    put_oxm_prop(b, OFPTFPT_WILDCARDS, tf->wildcard_fields);
    for (int miss = 0; miss < 2; miss++) {
        put_oxm_prop(b, OFPTFPT_WRITE_SETFIELD + miss, tf->write_setfields);
        put_oxm_prop(b, OFPTFPT_APPLY_SETFIELD + miss, tf->apply_setfields);
    }
    ofpbuf_set_be16(b, start, b->size - start);
}

void
ofp_append_table_features(struct ofpmp_reply *r,
                          const struct ofp_table_features *tf)
{
    struct ofpbuf *b = ofpmp_reply_current(r);
    size_t start = b->size;
    encode_table_features(b, r->version, tf);
    ofpmp_reply_postappend(r, start);
}

/* Decodes one table-features entry at 'p' ('n' bytes available); sets
 * '*elen' to its length. */
static enum ofperr
decode_table_features(const uint8_t *p, size_t n, size_t *elen,
                      struct ofp_table_features *tf)
{
    if (n < 64) {
        return OFPERR_OFPTFFC_BAD_LEN;
    }
    uint16_t len = ofp_get_be16(p);
    if (len < 64 || len > n || len % 8) {
        return OFPERR_OFPTFFC_BAD_LEN;
    }
    memset(tf, 0, sizeof *tf);
    tf->table_id = p[2];
    if (tf->table_id == 0xff) {
        return OFPERR_OFPTFFC_BAD_TABLE;
    }
    get_string(tf->name, p + 8, 32);
    tf->metadata_match = ofp_get_be64(p + 40);
    tf->metadata_write = ofp_get_be64(p + 48);
    tf->config = ofp_get_be32(p + 56);
    tf->max_entries = ofp_get_be32(p + 60);
    struct ofpr r;
    ofpr_init(&r, p + 64, len - 64);
    while (r.left) {
        struct ofp_prop prop;
        if (!ofpr_pull_prop(&r, &prop)) {
            return OFPERR_OFPTFFC_BAD_LEN;
        }
        const uint8_t *pp = prop.payload;
        size_t pn = prop.len;
        uint16_t type = prop.type;
        switch (type) {
        case OFPTFPT_INSTRUCTIONS:
        case OFPTFPT_INSTRUCTIONS_MISS:
            for (size_t i = 0; i + 4 <= pn; i += ofp_get_be16(pp + i + 2)) {
                uint16_t it = ofp_get_be16(pp + i);
                if (ofp_get_be16(pp + i + 2) < 4) {
                    return OFPERR_OFPTFFC_BAD_LEN;
                }
                if (it < 32 && type == OFPTFPT_INSTRUCTIONS) {
                    tf->instructions |= 1u << it;
                }
            }
            break;
        case OFPTFPT_NEXT_TABLES:
            tf->n_next_tables = MIN(pn, sizeof tf->next_tables);
            memcpy(tf->next_tables, pp, tf->n_next_tables);
            break;
        case OFPTFPT_NEXT_TABLES_MISS:
            break;
        case OFPTFPT_WRITE_ACTIONS: case OFPTFPT_WRITE_ACTIONS_MISS:
        case OFPTFPT_APPLY_ACTIONS: case OFPTFPT_APPLY_ACTIONS_MISS:
            for (size_t i = 0; i + 4 <= pn; i += ofp_get_be16(pp + i + 2)) {
                uint16_t at = ofp_get_be16(pp + i);
                if (ofp_get_be16(pp + i + 2) < 4) {
                    return OFPERR_OFPTFFC_BAD_LEN;
                }
                if (at < 64 && type == OFPTFPT_APPLY_ACTIONS) {
                    tf->actions |= UINT64_C(1) << at;
                }
            }
            break;
        case OFPTFPT_MATCH: case OFPTFPT_WILDCARDS:
        case OFPTFPT_WRITE_SETFIELD: case OFPTFPT_WRITE_SETFIELD_MISS:
        case OFPTFPT_APPLY_SETFIELD: case OFPTFPT_APPLY_SETFIELD_MISS:
            for (size_t i = 0; i + 4 <= pn; i += 4) {
                uint32_t h = ofp_get_be32(pp + i);
                if ((h >> 16) != OFPXMC_OPENFLOW_BASIC) {
                    if ((h >> 16) == OFPXMC_EXPERIMENTER) {
                        i += 4;
                    }
                    continue;
                }
                unsigned int f = (h >> 9) & 0x7f;
                if (f >= 64) {
                    continue;
                }
                uint64_t bit = UINT64_C(1) << f;
                if (type == OFPTFPT_MATCH) {
                    tf->match_fields |= bit;
                } else if (type == OFPTFPT_WILDCARDS) {
                    tf->wildcard_fields |= bit;
                } else if (type == OFPTFPT_WRITE_SETFIELD) {
                    tf->write_setfields |= bit;
                } else if (type == OFPTFPT_APPLY_SETFIELD) {
                    tf->apply_setfields |= bit;
                }
            }
            break;
        case OFPTFPT_EXPERIMENTER:
        case OFPTFPT_EXPERIMENTER_MISS:
            break;
        default:
            return OFPERR_OFPTFFC_BAD_TYPE;
        }
    }
    *elen = len;
    return 0;
}

enum ofperr
ofp_decode_table_features_request(const uint8_t *msg, size_t len,
                                  struct ofp_table_features *tf, size_t max,
                                  size_t *n)
{
    const uint8_t *body;
    size_t body_len;
    ofpmsg_multipart_flags(msg, len, &body, &body_len);
    *n = 0;
    size_t pos = 0;
    while (pos < body_len) {
        struct ofp_table_features tmp;
        size_t elen;
        enum ofperr error = decode_table_features(body + pos, body_len - pos,
                                                  &elen, &tmp);
        if (error) {
            return error;
        }
        if (*n < max) {
            tf[*n] = tmp;
        }
        (*n)++;
        pos += elen;
    }
    if (*n > max) {
        *n = max;
    }
    return 0;
}

int
ofp_decode_table_features_entry(const uint8_t *msg, size_t len, size_t *pos,
                                struct ofp_table_features *tf)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    if (*pos >= n) {
        return EOF;
    }
    size_t elen;
    enum ofperr error = decode_table_features(body + *pos, n - *pos, &elen,
                                              tf);
    if (error) {
        return error;
    }
    *pos += elen;
    return 0;
}
