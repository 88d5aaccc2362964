/* ofp-group.c: group-mod, meter-mod and the group and meter multiparts. */
#include <config.h>

#include "openflow/ofp-group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

/* ---- Group-mod -------------------------------------------------------- */

enum { OFPGBPT_WEIGHT = 0, OFPGBPT_WATCH_PORT = 1, OFPGBPT_WATCH_GROUP = 2 };

void
ofp_group_mod_init(struct ofp_group_mod *gm)
{
    memset(gm, 0, sizeof *gm);
    gm->command_bucket_id = OFPG_BUCKET_ALL;
}

void
ofp_group_mod_uninit(struct ofp_group_mod *gm)
{
    for (size_t i = 0; i < gm->n_buckets; i++) {
        ofacts_uninit(&gm->buckets[i].actions);
    }
    free(gm->buckets);
    gm->buckets = NULL;
    gm->n_buckets = 0;
}

struct ofp_bucket *
ofp_group_mod_add_bucket(struct ofp_group_mod *gm)
{
    gm->buckets = xrealloc(gm->buckets,
                           (gm->n_buckets + 1) * sizeof *gm->buckets);
    struct ofp_bucket *bk = &gm->buckets[gm->n_buckets];
    memset(bk, 0, sizeof *bk);
    bk->bucket_id = gm->n_buckets;
    bk->watch_port = OFPP_ANY;
    bk->watch_group = OFPG_ANY;
    ofacts_init(&bk->actions);
    gm->n_buckets++;
    return bk;
}

/* Decodes the buckets in 'r' (all of it). */
static enum ofperr
decode_buckets(struct ofpr *r, uint8_t version, struct ofp_group_mod *gm)
{
    while (r->left) {
        const uint8_t *p;
        struct ofp_bucket *bk;
        struct ofpr acts;
        enum ofperr error;
        if (r->left < 16) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        uint16_t len = ofp_get_be16(r->p);
        if (len < 16 || len > r->left || len % 8) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        p = ofpr_pull(r, len);
        bk = ofp_group_mod_add_bucket(gm);
        if (version < OFP15_VERSION) {
            bk->weight = ofp_get_be16(p + 2);
            bk->watch_port = ofp_get_be32(p + 4);
            bk->watch_group = ofp_get_be32(p + 8);
            ofpr_init(&acts, p + 16, len - 16);
            error = ofacts_decode(&acts, version, &bk->actions);
            if (error) {
                return error;
            }
            continue;
        }
        uint16_t action_len = ofp_get_be16(p + 2);
        bk->bucket_id = ofp_get_be32(p + 4);
        if (bk->bucket_id > OFPG_BUCKET_MAX) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        if (action_len > len - 8) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        ofpr_init(&acts, p + 8, action_len);
        error = ofacts_decode(&acts, version, &bk->actions);
        if (error) {
            return error;
        }
        struct ofpr props;
        ofpr_init(&props, p + 8 + action_len, len - 8 - action_len);
        while (props.left) {
            struct ofp_prop prop;
            if (!ofpr_pull_prop(&props, &prop)) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            if (prop.type == 0xffff) {
                return OFPERR_OFPBPC_BAD_EXPERIMENTER;
            }
            if (prop.type > OFPGBPT_WATCH_GROUP) {
                return OFPERR_OFPBPC_BAD_TYPE;
            }
            if (prop.len != 4) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            if (prop.type == OFPGBPT_WEIGHT) {
                bk->weight = ofp_get_be16(prop.payload);
            } else if (prop.type == OFPGBPT_WATCH_PORT) {
                bk->watch_port = ofp_get_be32(prop.payload);
            } else {
                bk->watch_group = ofp_get_be32(prop.payload);
            }
        }
    }
    return 0;
}

static enum ofperr
check_group(const struct ofp_group_mod *gm, uint8_t version)
{
    bool delete = gm->command == OFPGC_DELETE;
    if (gm->group_id > OFPG_MAX && !(delete && gm->group_id == OFPG_ALL)) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    if (delete || gm->command == OFPGC_REMOVE_BUCKET) {
        return 0;
    }
    if (gm->type > OFPGT_FF) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (gm->type == OFPGT_INDIRECT && gm->n_buckets > 1
        && gm->command != OFPGC_INSERT_BUCKET) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *bk = &gm->buckets[i];
        if (gm->type == OFPGT_FF && bk->watch_port == OFPP_ANY
            && bk->watch_group == OFPG_ANY) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
        if (bk->watch_group != OFPG_ANY && bk->watch_group > OFPG_MAX) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
    }
    return 0;
}

enum ofperr
ofp_decode_group_mod(const uint8_t *msg, size_t len, struct ofp_group_mod *gm)
{
    ofp_group_mod_uninit(gm);
    ofp_group_mod_init(gm);
    uint8_t version = msg[0];
    if (version == OFP10_VERSION) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    gm->command = ofp_get_be16(msg + 8);
    gm->type = msg[10];
    gm->group_id = ofp_get_be32(msg + 12);
    bool cmd_ok = version >= OFP15_VERSION
                  ? gm->command <= OFPGC_INSERT_BUCKET
                    || gm->command == OFPGC_REMOVE_BUCKET
                  : gm->command <= OFPGC_DELETE;
    if (!cmd_ok) {
        return OFPERR_OFPGMFC_BAD_COMMAND;
    }
    struct ofpr r;
    enum ofperr error;
    if (version < OFP15_VERSION) {
        ofpr_init(&r, msg + 16, len - 16);
        error = decode_buckets(&r, version, gm);
    } else {
        if (len < 24) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t bucket_len = ofp_get_be16(msg + 16);
        gm->command_bucket_id = ofp_get_be32(msg + 20);
        if (bucket_len > len - 24) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        ofpr_init(&r, msg + 24, bucket_len);
        error = decode_buckets(&r, version, gm);
        /* Group properties (OF1.5) are not used; check their framing. */
        struct ofpr props;
        ofpr_init(&props, msg + 24 + bucket_len, len - 24 - bucket_len);
        while (!error && props.left) {
            uint16_t plen = props.left >= 4 ? ofp_get_be16(props.p + 2) : 0;
            if (plen < 4 || ROUND_UP((size_t) plen, 8) > props.left) {
                error = OFPERR_OFPBPC_BAD_LEN;
            } else {
                ofpr_skip(&props, ROUND_UP((size_t) plen, 8));
            }
        }
    }
    return error ? error : check_group(gm, version);
}

static enum ofperr
encode_buckets(const struct ofp_group_mod *gm, uint8_t version,
               struct ofpbuf *b)
{
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *bk = &gm->buckets[i];
        size_t start = b->size;
        enum ofperr error;
        if (version < OFP15_VERSION) {
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_be16(b, bk->weight);
            ofpbuf_put_be32(b, bk->watch_port);
            ofpbuf_put_be32(b, bk->watch_group);
            ofpbuf_put_zeros(b, 4);
            error = ofacts_encode(&bk->actions, version, b);
        } else {
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_be32(b, bk->bucket_id);
            size_t astart = b->size;
            error = ofacts_encode(&bk->actions, version, b);
            ofpbuf_set_be16(b, start + 2, b->size - astart);
            if (gm->type == OFPGT_SELECT) {
                ofpbuf_put_be16(b, OFPGBPT_WEIGHT);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be16(b, bk->weight);
                ofpbuf_put_zeros(b, 2);
            }
            if (gm->type == OFPGT_FF) {
                ofpbuf_put_be16(b, OFPGBPT_WATCH_PORT);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be32(b, bk->watch_port);
                ofpbuf_put_be16(b, OFPGBPT_WATCH_GROUP);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be32(b, bk->watch_group);
            }
        }
        if (error) {
            return error;
        }
        ofpbuf_set_be16(b, start, b->size - start);
    }
    return 0;
}

enum ofperr
ofp_encode_group_mod(const struct ofp_group_mod *gm, uint8_t version,
                     uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_GROUP_MOD, version, xid)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    ofpbuf_put_be16(b, gm->command);
    ofpbuf_put_u8(b, gm->type);
    ofpbuf_put_zeros(b, 1);
    ofpbuf_put_be32(b, gm->group_id);
    enum ofperr error;
    if (version < OFP15_VERSION) {
        error = encode_buckets(gm, version, b);
    } else {
        size_t blen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, gm->command_bucket_id);
        size_t start = b->size;
        error = encode_buckets(gm, version, b);
        ofpbuf_set_be16(b, blen_ofs, b->size - start);
    }
    ofpmsg_finish(b);
    return error;
}

/* ---- Group multiparts ------------------------------------------------- */

enum ofperr
ofp_decode_group_request(const uint8_t *msg, size_t len, uint32_t *group_id)
{
    enum ofptype type;
    const uint8_t *body;
    size_t n;
    enum ofperr error = ofpmsg_decode_multipart(msg, len, &type, &body, &n);
    if (error) {
        return error;
    }
    *group_id = OFPG_ALL;
    if (type == OFPTYPE_GROUP_DESC_REQUEST && msg[0] < OFP15_VERSION) {
        return n ? OFPERR_OFPBRC_BAD_LEN : 0;
    }
    if (n != 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *group_id = ofp_get_be32(body);
    return 0;
}

bool
ofp_encode_group_request(enum ofptype type, uint32_t group_id,
                         uint8_t version, uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    if (type == OFPTYPE_GROUP_STATS_REQUEST || version >= OFP15_VERSION) {
        ofpbuf_put_be32(b, group_id);
        ofpbuf_put_zeros(b, 4);
    }
    ofpmsg_finish(b);
    return true;
}

void
ofp_append_group_stats(struct ofpmp_reply *r, const struct ofp_group_stats *gs)
{
    size_t len = 40 + 16 * gs->n_buckets;
    struct ofpbuf *b = ofpmp_reply_reserve(r, len);
    ofpbuf_put_be16(b, len);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put_be32(b, gs->group_id);
    ofpbuf_put_be32(b, gs->ref_count);
    ofpbuf_put_zeros(b, 4);
    ofpbuf_put_be64(b, gs->packet_count);
    ofpbuf_put_be64(b, gs->byte_count);
    ofpbuf_put_be32(b, gs->duration_sec);
    ofpbuf_put_be32(b, gs->duration_nsec);
    for (size_t i = 0; i < gs->n_buckets; i++) {
        ofpbuf_put_be64(b, gs->buckets[i].packet_count);
        ofpbuf_put_be64(b, gs->buckets[i].byte_count);
    }
}

enum ofperr
ofp_append_group_desc(struct ofpmp_reply *r, const struct ofp_group_mod *gd)
{
    struct ofpbuf *b = ofpmp_reply_current(r);
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, gd->type);
    ofpbuf_put_zeros(b, 1);
    ofpbuf_put_be32(b, gd->group_id);
    enum ofperr error;
    if (r->version < OFP15_VERSION) {
        error = encode_buckets(gd, r->version, b);
    } else {
        size_t blen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
        size_t bstart = b->size;
        error = encode_buckets(gd, r->version, b);
        ofpbuf_set_be16(b, blen_ofs, b->size - bstart);
    }
    if (error) {
        b->size = start;
        return error;
    }
    ofpbuf_set_be16(b, start, b->size - start);
    ofpmp_reply_postappend(r, start);
    return 0;
}

int
ofp_decode_group_desc_entry(const uint8_t *msg, size_t len, size_t *pos,
                            struct ofp_group_mod *gd)
{
    const uint8_t *p;
    size_t left, elen;
    if (!ofpmsg_multipart_entry(msg, len, *pos, &p, &left)) {
        return EOF;
    }
    ofp_group_mod_uninit(gd);
    ofp_group_mod_init(gd);
    enum ofperr error = ofpmsg_entry_length(p, left, 8, 1, &elen);
    if (error) {
        return error;
    }
    gd->type = p[2];
    gd->group_id = ofp_get_be32(p + 4);
    struct ofpr r;
    if (msg[0] < OFP15_VERSION) {
        ofpr_init(&r, p + 8, elen - 8);
    } else {
        if (elen < 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t blen = ofp_get_be16(p + 8);
        if (blen > elen - 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofpr_init(&r, p + 16, blen);
    }
    error = decode_buckets(&r, msg[0], gd);
    if (error) {
        return error;
    }
    *pos += elen;
    return 0;
}

bool
ofp_encode_group_features_reply(const struct ofp_group_features *gf,
                                uint8_t version, uint32_t xid,
                                struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_GROUP_FEATURES_REPLY, version, xid)) {
        return false;
    }
    ofpbuf_put_be32(b, gf->types);
    ofpbuf_put_be32(b, gf->capabilities);
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, gf->max_groups[i]);
    }
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, gf->actions[i]);
    }
    ofpmsg_finish(b);
    return true;
}

enum ofperr
ofp_decode_group_features_reply(const uint8_t *msg, size_t len,
                                struct ofp_group_features *gf)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    if (n != 40) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    gf->types = ofp_get_be32(body);
    gf->capabilities = ofp_get_be32(body + 4);
    for (int i = 0; i < 4; i++) {
        gf->max_groups[i] = ofp_get_be32(body + 8 + 4 * i);
        gf->actions[i] = ofp_get_be32(body + 24 + 4 * i);
    }
    return 0;
}

/* ---- Meter-mod -------------------------------------------------------- */

static enum ofperr
decode_bands(struct ofpr *r, struct ofp_meter_mod *mm)
{
    mm->n_bands = 0;
    while (r->left) {
        if (r->left < 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(r->p);
        uint16_t len = ofp_get_be16(r->p + 2);
        if (len != 16 || len > r->left) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        const uint8_t *p = ofpr_pull(r, len);
        if (type != OFPMBT_DROP && type != OFPMBT_DSCP_REMARK) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (mm->n_bands >= OFP_MAX_METER_BANDS) {
            return OFPERR_OFPMMFC_OUT_OF_BANDS;
        }
        struct ofp_meter_band *band = &mm->bands[mm->n_bands++];
        memset(band, 0, sizeof *band);
        band->type = type;
        band->rate = ofp_get_be32(p + 4);
        band->burst_size = ofp_get_be32(p + 8);
        if (type == OFPMBT_DSCP_REMARK) {
            band->prec_level = p[12];
            if (band->prec_level > 63) {
                return OFPERR_OFPMMFC_BAD_BAND_VALUE;
            }
        }
        if (!band->rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
    }
    return 0;
}

static void
encode_bands(const struct ofp_meter_mod *mm, struct ofpbuf *b)
{
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *band = &mm->bands[i];
        ofpbuf_put_be16(b, band->type);
        ofpbuf_put_be16(b, 16);
        ofpbuf_put_be32(b, band->rate);
        ofpbuf_put_be32(b, band->burst_size);
        ofpbuf_put_u8(b, band->type == OFPMBT_DSCP_REMARK
                         ? band->prec_level : 0);
        ofpbuf_put_zeros(b, 3);
    }
}

enum ofperr
ofp_decode_meter_mod(const uint8_t *msg, size_t len, struct ofp_meter_mod *mm)
{
    memset(mm, 0, sizeof *mm);
    if (msg[0] == OFP10_VERSION) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    mm->command = ofp_get_be16(msg + 8);
    mm->flags = ofp_get_be16(msg + 10);
    mm->meter_id = ofp_get_be32(msg + 12);
    if (mm->command > OFPMC_DELETE) {
        return OFPERR_OFPMMFC_BAD_COMMAND;
    }
    bool virtual_meter = mm->meter_id == OFPM_SLOWPATH
                         || mm->meter_id == OFPM_CONTROLLER;
    if (mm->meter_id == 0
        || (mm->meter_id > OFPM_MAX && !virtual_meter
            && !(mm->command == OFPMC_DELETE && mm->meter_id == OFPM_ALL))) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    if (mm->command == OFPMC_DELETE) {
        return 0;
    }
    if (mm->flags & ~(uint16_t) 0xf
        || (mm->flags & (OFPMF_KBPS | OFPMF_PKTPS))
           == (OFPMF_KBPS | OFPMF_PKTPS)) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    struct ofpr r;
    ofpr_init(&r, msg + 16, len - 16);
    return decode_bands(&r, mm);
}

bool
ofp_encode_meter_mod(const struct ofp_meter_mod *mm, uint8_t version,
                     uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_METER_MOD, version, xid)) {
        return false;
    }
    ofpbuf_put_be16(b, mm->command);
    ofpbuf_put_be16(b, mm->flags);
    ofpbuf_put_be32(b, mm->meter_id);
    encode_bands(mm, b);
    ofpmsg_finish(b);
    return true;
}

/* ---- Meter multiparts ------------------------------------------------- */

enum ofperr
ofp_decode_meter_request(const uint8_t *msg, size_t len, uint32_t *meter_id)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    *meter_id = OFPM_ALL;
    if (n != 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *meter_id = ofp_get_be32(body);
    return 0;
}

bool
ofp_encode_meter_request(enum ofptype type, uint32_t meter_id,
                         uint8_t version, uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    ofpbuf_put_be32(b, meter_id);
    ofpbuf_put_zeros(b, 4);
    ofpmsg_finish(b);
    return true;
}

void
ofp_append_meter_stats(struct ofpmp_reply *r, const struct ofp_meter_stats *ms)
{
    size_t len = 40 + 16 * ms->n_bands;
    struct ofpbuf *b = ofpmp_reply_reserve(r, len);
    ofpbuf_put_be32(b, ms->meter_id);
    ofpbuf_put_be16(b, len);
    ofpbuf_put_zeros(b, 6);
    ofpbuf_put_be32(b, ms->flow_count);
    ofpbuf_put_be64(b, ms->packet_in_count);
    ofpbuf_put_be64(b, ms->byte_in_count);
    ofpbuf_put_be32(b, ms->duration_sec);
    ofpbuf_put_be32(b, ms->duration_nsec);
    for (size_t i = 0; i < ms->n_bands; i++) {
        ofpbuf_put_be64(b, ms->bands[i].packet_band_count);
        ofpbuf_put_be64(b, ms->bands[i].byte_band_count);
    }
}

void
ofp_append_meter_config(struct ofpmp_reply *r, const struct ofp_meter_mod *mc)
{
    size_t len = 8 + 16 * mc->n_bands;
    struct ofpbuf *b = ofpmp_reply_reserve(r, len);
    ofpbuf_put_be16(b, len);
    ofpbuf_put_be16(b, mc->flags);
    ofpbuf_put_be32(b, mc->meter_id);
    encode_bands(mc, b);
}

int
ofp_decode_meter_config_entry(const uint8_t *msg, size_t len, size_t *pos,
                              struct ofp_meter_mod *mc)
{
    const uint8_t *p;
    size_t left, elen;
    if (!ofpmsg_multipart_entry(msg, len, *pos, &p, &left)) {
        return EOF;
    }
    memset(mc, 0, sizeof *mc);
    enum ofperr error = ofpmsg_entry_length(p, left, 8, 1, &elen);
    if (error) {
        return error;
    }
    mc->flags = ofp_get_be16(p + 2);
    mc->meter_id = ofp_get_be32(p + 4);
    struct ofpr r;
    ofpr_init(&r, p + 8, elen - 8);
    error = decode_bands(&r, mc);
    if (error) {
        return error;
    }
    *pos += elen;
    return 0;
}

bool
ofp_encode_meter_features_reply(const struct ofp_meter_features *mf,
                                uint8_t version, uint32_t xid,
                                struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_METER_FEATURES_REPLY, version, xid)) {
        return false;
    }
    ofpbuf_put_be32(b, mf->max_meter);
    ofpbuf_put_be32(b, mf->band_types);
    ofpbuf_put_be32(b, mf->capabilities);
    ofpbuf_put_u8(b, mf->max_bands);
    ofpbuf_put_u8(b, mf->max_color);
    ofpbuf_put_zeros(b, 2);
    /* The 16-byte layout in every version, as Open vSwitch 3.1 sends it:
     * its ovs-ofctl refuses the 24-byte one of the 1.5 specification
     * ('features' and 4 bytes of padding added), so 'features' is not
     * sent. */
    ofpmsg_finish(b);
    return true;
}

enum ofperr
ofp_decode_meter_features_reply(const uint8_t *msg, size_t len,
                                struct ofp_meter_features *mf)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    memset(mf, 0, sizeof *mf);
    /* OpenFlow 1.5 added 'features' (24 bytes); Open vSwitch 3.1 still
     * sends the 16-byte 1.3 layout in 1.5, so accept both there. */
    if (n != 16 && !(n == 24 && msg[0] >= OFP15_VERSION)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    mf->max_meter = ofp_get_be32(body);
    mf->band_types = ofp_get_be32(body + 4);
    mf->capabilities = ofp_get_be32(body + 8);
    mf->max_bands = body[12];
    mf->max_color = body[13];
    if (n == 24) {
        mf->features = ofp_get_be32(body + 16);
    }
    return 0;
}
