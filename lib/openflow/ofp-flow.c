/* ofp-flow.c: flow-mod, flow-removed, packet-in, packet-out, flow and
 * aggregate statistics, in every supported version and the Nicira forms. */
#include <config.h>

#include "openflow/ofp-flow.h"

#include <stdio.h>
#include <string.h>
#include "openflow/ofp-multipart.h"
#include "openflow/ofp-nicira.h"
#include "util/util.h"

#define NXM_NX_COOKIE_FIELD 30  /* NXM_NX_COOKIE: class 1, field 30. */
#define OXS_CLASS 0x8002        /* OpenFlow 1.5 OXS basic class. */

/* ---- Flags ------------------------------------------------------------ */

static uint16_t
flags_from_wire(uint16_t w, uint8_t version)
{
    if (version == OFP10_VERSION) {
        return w & 7;
    }
    return (w & 3) | ((w & 0x1c) << 1);
}

static uint16_t
flags_to_wire(uint16_t f, uint8_t version)
{
    if (version == OFP10_VERSION) {
        return f & 7;
    }
    return (f & 3) | ((f >> 1) & 0x1c);
}

/* ---- NXM helpers ------------------------------------------------------ */

/* Decodes an nx_match of 'match_len' bytes at the front of 'r' (followed by
 * padding to 8 bytes, consumed too), extracting NXM_NX_COOKIE into
 * '*cookie'/'*cookie_mask' if those are nonnull. */
static enum ofperr
pull_nxm(struct ofpr *r, size_t match_len, struct ofmatch *m,
         uint64_t *cookie, uint64_t *cookie_mask)
{
    size_t padded = ROUND_UP(match_len, 8);
    if (r->left < padded) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    const uint8_t *p = ofpr_pull(r, padded);
    uint8_t copy[OFP_MAX_MSG_LEN];
    size_t n = 0;
    struct ofpr tlvs;
    ofpr_init(&tlvs, p, match_len);
    /* Strip the cookie TLV, which is not a packet field. */
    while (tlvs.left >= 4) {
        uint32_t h = ofp_get_be32(tlvs.p);
        size_t tlen = 4 + (h & 0xff);
        if (tlen > tlvs.left) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        if ((h >> 16) == OFPXMC_NXM_1 && ((h >> 9) & 0x7f) == NXM_NX_COOKIE_FIELD
            && cookie) {
            bool hasmask = (h >> 8) & 1;
            if ((h & 0xff) != (hasmask ? 16 : 8)) {
                return OFPERR_OFPBMC_BAD_LEN;
            }
            *cookie = ofp_get_be64(tlvs.p + 4);
            *cookie_mask = hasmask ? ofp_get_be64(tlvs.p + 12) : UINT64_MAX;
        } else {
            memcpy(copy + n, tlvs.p, tlen);
            n += tlen;
        }
        ofpr_skip(&tlvs, tlen);
    }
    if (tlvs.left) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    struct ofpr fields;
    ofpr_init(&fields, copy, n);
    return ofmatch_decode_nxm(&fields, m);
}

/* Appends the NXM of 'm' (plus a cookie TLV if 'cookie_mask' != 0) padded
 * to 8 bytes; returns the unpadded length. */
static size_t
put_nxm(struct ofpbuf *b, const struct ofmatch *m, uint64_t cookie,
        uint64_t cookie_mask)
{
    size_t start = b->size;
    size_t n = ofmatch_encode_nxm(m, b);
    if (cookie_mask) {
        bool hasmask = cookie_mask != UINT64_MAX;
        ofpbuf_put_be32(b, (OFPXMC_NXM_1 << 16) | (NXM_NX_COOKIE_FIELD << 9)
                           | (hasmask << 8) | (hasmask ? 16 : 8));
        ofpbuf_put_be64(b, cookie);
        if (hasmask) {
            ofpbuf_put_be64(b, cookie_mask);
        }
        n = b->size - start;
    }
    ofpbuf_pad(b, start, 8);
    return n;
}

/* ---- OXS (OpenFlow 1.5 statistics) ------------------------------------ */

enum { OXS_DURATION = 0, OXS_IDLE_TIME = 1, OXS_FLOW_COUNT = 3,
       OXS_PACKET_COUNT = 4, OXS_BYTE_COUNT = 5 };

struct oxs_stats {
    uint32_t duration_sec, duration_nsec;
    bool has_idle_time;
    uint32_t idle_sec, idle_nsec;
    uint32_t flow_count;
    uint64_t packet_count, byte_count;
};

/* Field order as Open vSwitch writes it (the specification imposes
 * none). */
static void
put_oxs(struct ofpbuf *b, const struct oxs_stats *s, bool aggregate)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, 0);
    if (!aggregate) {
        ofpbuf_put_be32(b, ((uint32_t) OXS_CLASS << 16) | (OXS_DURATION << 9)
                           | 8);
        ofpbuf_put_be32(b, s->duration_sec);
        ofpbuf_put_be32(b, s->duration_nsec);
        if (s->has_idle_time) {
            ofpbuf_put_be32(b, ((uint32_t) OXS_CLASS << 16)
                               | (OXS_IDLE_TIME << 9) | 8);
            ofpbuf_put_be32(b, s->idle_sec);
            ofpbuf_put_be32(b, s->idle_nsec);
        }
    }
    ofpbuf_put_be32(b, ((uint32_t) OXS_CLASS << 16) | (OXS_PACKET_COUNT << 9)
                       | 8);
    ofpbuf_put_be64(b, s->packet_count);
    ofpbuf_put_be32(b, ((uint32_t) OXS_CLASS << 16) | (OXS_BYTE_COUNT << 9)
                       | 8);
    ofpbuf_put_be64(b, s->byte_count);
    if (aggregate) {
        ofpbuf_put_be32(b, ((uint32_t) OXS_CLASS << 16) | (OXS_FLOW_COUNT << 9)
                           | 4);
        ofpbuf_put_be32(b, s->flow_count);
    }
    ofpbuf_set_be16(b, start + 2, b->size - start);
    ofpbuf_pad(b, start, 8);
}

static enum ofperr
pull_oxs(struct ofpr *r, struct oxs_stats *s)
{
    memset(s, 0, sizeof *s);
    /* ofp_stats is framed like a property (its first 16 bits reserved). */
    struct ofp_prop stats;
    if (!ofpr_pull_prop(r, &stats)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    struct ofpr f;
    ofpr_init(&f, stats.payload, stats.len);
    while (f.left >= 4) {
        uint32_t h = ofp_get_be32(f.p);
        size_t flen = h & 0xff;
        if (f.left < 4 + flen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        const uint8_t *v = f.p + 4;
        if ((h >> 16) == OXS_CLASS) {
            unsigned int field = (h >> 9) & 0x7f;
            if (field == OXS_DURATION && flen == 8) {
                s->duration_sec = ofp_get_be32(v);
                s->duration_nsec = ofp_get_be32(v + 4);
            } else if (field == OXS_IDLE_TIME && flen == 8) {
                s->has_idle_time = true;
                s->idle_sec = ofp_get_be32(v);
                s->idle_nsec = ofp_get_be32(v + 4);
            } else if (field == OXS_FLOW_COUNT && flen == 4) {
                s->flow_count = ofp_get_be32(v);
            } else if (field == OXS_PACKET_COUNT && flen == 8) {
                s->packet_count = ofp_get_be64(v);
            } else if (field == OXS_BYTE_COUNT && flen == 8) {
                s->byte_count = ofp_get_be64(v);
            }
        }
        ofpr_skip(&f, 4 + flen);
    }
    return f.left ? OFPERR_OFPBRC_BAD_LEN : 0;
}

/* ---- Flow-mod --------------------------------------------------------- */

/* The fixed fields of each form of flow-mod, offsets from the start of the
 * message.  The command (with the NX table id), out_port in 1.0 forms,
 * flags, the NXM match length and the 1.4 importance are converted by
 * hand. */
#define FM_FIELD(MEMBER, OFS, SIZE) \
    OFP_WIRE_FIELD(struct ofp_flow_mod, MEMBER, OFS, SIZE)
static const struct ofp_wire_field nx_flow_mod_fields[] = {
    FM_FIELD(idle_timeout, 26, 2), FM_FIELD(hard_timeout, 28, 2),
    FM_FIELD(priority, 30, 2), FM_FIELD(buffer_id, 32, 4),
};
#define NX_FLOW_MOD_LEN 48
static const struct ofp_wire_field of10_flow_mod_fields[] = {
    FM_FIELD(cookie, 48, 8), FM_FIELD(idle_timeout, 58, 2),
    FM_FIELD(hard_timeout, 60, 2), FM_FIELD(priority, 62, 2),
    FM_FIELD(buffer_id, 64, 4),
};
#define OF10_FLOW_MOD_LEN 72
static const struct ofp_wire_field of11_flow_mod_fields[] = {
    FM_FIELD(cookie, 8, 8), FM_FIELD(cookie_mask, 16, 8),
    FM_FIELD(table_id, 24, 1), FM_FIELD(command, 25, 1),
    FM_FIELD(idle_timeout, 26, 2), FM_FIELD(hard_timeout, 28, 2),
    FM_FIELD(priority, 30, 2), FM_FIELD(buffer_id, 32, 4),
    FM_FIELD(out_port, 36, 4), FM_FIELD(out_group, 40, 4),
};
#define OF11_FLOW_MOD_LEN 48

void
ofp_flow_mod_init(struct ofp_flow_mod *fm)
{
    memset(fm, 0, sizeof *fm);
    ofmatch_init(&fm->match);
    ofinsts_init(&fm->insts);
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_ANY;
    fm->out_group = OFPG_ANY;
    fm->priority = 0x8000;
}

void
ofp_flow_mod_uninit(struct ofp_flow_mod *fm)
{
    ofinsts_uninit(&fm->insts);
}

static enum ofperr
check_flow_mod(struct ofp_flow_mod *fm, uint8_t version)
{
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    if (fm->table_id == OFPTT_ALL && fm->command != OFPFC_DELETE
        && fm->command != OFPFC_DELETE_STRICT && version != OFP10_VERSION) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    if ((fm->flags & OFPFF_EMERG) && (fm->idle_timeout || fm->hard_timeout)) {
        return OFPERR_OFPFMFC_BAD_TIMEOUT;
    }
    if (version != OFP10_VERSION) {
        enum ofperr error = ofacts_check(&fm->insts.apply, &fm->match);
        if (!error) {
            error = ofacts_check(&fm->insts.write, &fm->match);
        }
        return error;
    }
    return 0;
}

enum ofperr
ofp_decode_flow_mod(const uint8_t *msg, size_t len, bool of10_table_id_ext,
                    struct ofp_flow_mod *fm)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    uint8_t version = msg[0];
    struct ofpr r;
    ofp_flow_mod_uninit(fm);
    ofp_flow_mod_init(fm);

    if (type == OFPTYPE_NXT_FLOW_MOD) {
        if (len < NX_FLOW_MOD_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofp_wire_get(nx_flow_mod_fields, ARRAY_SIZE(nx_flow_mod_fields), msg,
                     fm);
        fm->cookie = ofp_get_be64(msg + 16);
        uint16_t command = ofp_get_be16(msg + 24);
        fm->out_port = ofp_port_from_of10(ofp_get_be16(msg + 36));
        uint16_t flags = ofp_get_be16(msg + 38);
        uint16_t match_len = ofp_get_be16(msg + 40);
        if (of10_table_id_ext) {
            fm->table_id = command >> 8;
            command &= 0xff;
        }
        fm->command = command > 0xff ? 0xff : command;
        fm->flags = flags_from_wire(flags, OFP10_VERSION);
        if (flags & ~7) {
            return OFPERR_OFPFMFC_BAD_FLAGS;
        }
        ofpr_init(&r, msg + NX_FLOW_MOD_LEN, len - NX_FLOW_MOD_LEN);
        uint64_t cookie_mask = 0, cookie = 0;
        error = pull_nxm(&r, match_len, &fm->match, &cookie, &cookie_mask);
        if (error) {
            return error;
        }
        if (fm->command == OFPFC_ADD) {
            /* The cookie of an add is in the header. */
        } else {
            bool modify = fm->command == OFPFC_MODIFY
                          || fm->command == OFPFC_MODIFY_STRICT;
            if (modify && fm->cookie != UINT64_MAX) {
                fm->set_cookie = true;
                fm->new_cookie = fm->cookie;
            }
            fm->cookie = cookie;
            fm->cookie_mask = cookie_mask;
        }
        error = ofinsts_decode_any(&r, OFP10_VERSION, 0xff, &fm->insts);
        return error ? error : check_flow_mod(fm, OFP10_VERSION);
    }
    if (type != OFPTYPE_FLOW_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (version == OFP10_VERSION) {
        if (len < OF10_FLOW_MOD_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofmatch_decode_of10(msg + 8, &fm->match);
        ofp_wire_get(of10_flow_mod_fields, ARRAY_SIZE(of10_flow_mod_fields),
                     msg, fm);
        uint16_t command = ofp_get_be16(msg + 56);
        if (of10_table_id_ext) {
            fm->table_id = command >> 8;
            command &= 0xff;
        }
        fm->command = command > 0xff ? 0xff : command;
        fm->out_port = ofp_port_from_of10(ofp_get_be16(msg + 68));
        fm->flags = flags_from_wire(ofp_get_be16(msg + 70), version);
        if (fm->command == OFPFC_MODIFY
            || fm->command == OFPFC_MODIFY_STRICT) {
            fm->set_cookie = true;
            fm->new_cookie = fm->cookie;
        }
        ofpr_init(&r, msg + OF10_FLOW_MOD_LEN, len - OF10_FLOW_MOD_LEN);
        error = ofinsts_decode_any(&r, version, 0xff, &fm->insts);
        return error ? error : check_flow_mod(fm, version);
    }
    if (len < 56) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_wire_get(of11_flow_mod_fields, ARRAY_SIZE(of11_flow_mod_fields), msg,
                 fm);
    uint16_t flags = ofp_get_be16(msg + 44);
    if (version >= OFP14_VERSION) {
        fm->importance = ofp_get_be16(msg + 46);
    }
    if (flags & ~0x1f) {
        return OFPERR_OFPFMFC_BAD_FLAGS;
    }
    fm->flags = flags_from_wire(flags, version);
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    ofpr_init(&r, msg + OF11_FLOW_MOD_LEN, len - OF11_FLOW_MOD_LEN);
    error = ofmatch_decode_oxm(&r, version, &fm->match);
    if (error) {
        return error;
    }
    error = ofinsts_decode_any(&r, version, fm->table_id, &fm->insts);
    return error ? error : check_flow_mod(fm, version);
}

enum ofperr
ofp_encode_flow_mod(const struct ofp_flow_mod *fm, uint8_t version, bool nx,
                    uint32_t xid, struct ofpbuf *b)
{
    enum ofperr error;
    if (nx) {
        /* NXT_FLOW_MOD carries OpenFlow 1.0 actions in any version. */
        ofpmsg_start(b, OFPTYPE_NXT_FLOW_MOD, version, xid);
        ofpbuf_put_wire(b, 0, NX_FLOW_MOD_LEN, nx_flow_mod_fields,
                        ARRAY_SIZE(nx_flow_mod_fields), fm);
        ofpbuf_set_be64(b, 16, fm->command == OFPFC_ADD ? fm->cookie : 0);
        ofpbuf_set_be16(b, 24, fm->command | (fm->table_id << 8));
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(fm->out_port, &port10);
        ofpbuf_set_be16(b, 36, port10);
        ofpbuf_set_be16(b, 38, flags_to_wire(fm->flags, version));
        size_t n = put_nxm(b, &fm->match, fm->cookie,
                           fm->command == OFPFC_ADD ? 0 : fm->cookie_mask);
        ofpbuf_set_be16(b, 40, n);
        error = ofinsts_encode_any(&fm->insts, OFP10_VERSION, b);
        ofpmsg_finish(b);
        return error;
    }
    if (!ofpmsg_start(b, OFPTYPE_FLOW_MOD, version, xid)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    if (version == OFP10_VERSION) {
        ofpbuf_put_wire(b, 0, OF10_FLOW_MOD_LEN, of10_flow_mod_fields,
                        ARRAY_SIZE(of10_flow_mod_fields), fm);
        error = ofmatch_encode_of10(&fm->match, b->data + 8);
        if (error) {
            return error;
        }
        ofpbuf_set_be16(b, 56, fm->command | (fm->table_id << 8));
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(fm->out_port, &port10);
        ofpbuf_set_be16(b, 68, port10);
        ofpbuf_set_be16(b, 70, flags_to_wire(fm->flags, version));
    } else {
        ofpbuf_put_wire(b, 0, OF11_FLOW_MOD_LEN, of11_flow_mod_fields,
                        ARRAY_SIZE(of11_flow_mod_fields), fm);
        ofpbuf_set_be16(b, 44, flags_to_wire(fm->flags, version));
        if (version >= OFP14_VERSION) {
            ofpbuf_set_be16(b, 46, fm->importance);
        }
        ofmatch_encode_oxm(&fm->match, b);
    }
    error = ofinsts_encode_any(&fm->insts, version, b);
    ofpmsg_finish(b);
    return error;
}

/* ---- Flow-removed ----------------------------------------------------- */

/* The fixed fields of each form, offsets from the start of the message (the
 * NXM match length is set by hand). */
#define FR_FIELD(MEMBER, OFS, SIZE) \
    OFP_WIRE_FIELD(struct ofp_flow_removed, MEMBER, OFS, SIZE)
static const struct ofp_wire_field nx_flow_removed_fields[] = {
    FR_FIELD(cookie, 16, 8), FR_FIELD(priority, 24, 2),
    FR_FIELD(reason, 26, 1), FR_FIELD(table_id, 27, 1),
    FR_FIELD(duration_sec, 28, 4), FR_FIELD(duration_nsec, 32, 4),
    FR_FIELD(idle_timeout, 36, 2), FR_FIELD(packet_count, 40, 8),
    FR_FIELD(byte_count, 48, 8),
};
#define NX_FLOW_REMOVED_LEN 56
static const struct ofp_wire_field of10_flow_removed_fields[] = {
    FR_FIELD(cookie, 48, 8), FR_FIELD(priority, 56, 2),
    FR_FIELD(reason, 58, 1), FR_FIELD(duration_sec, 60, 4),
    FR_FIELD(duration_nsec, 64, 4), FR_FIELD(idle_timeout, 68, 2),
    FR_FIELD(packet_count, 72, 8), FR_FIELD(byte_count, 80, 8),
};
#define OF10_FLOW_REMOVED_LEN 88
static const struct ofp_wire_field of13_flow_removed_fields[] = {
    FR_FIELD(cookie, 8, 8), FR_FIELD(priority, 16, 2),
    FR_FIELD(reason, 18, 1), FR_FIELD(table_id, 19, 1),
    FR_FIELD(duration_sec, 20, 4), FR_FIELD(duration_nsec, 24, 4),
    FR_FIELD(idle_timeout, 28, 2), FR_FIELD(hard_timeout, 30, 2),
    FR_FIELD(packet_count, 32, 8), FR_FIELD(byte_count, 40, 8),
};
#define OF13_FLOW_REMOVED_LEN 48
static const struct ofp_wire_field of15_flow_removed_fields[] = {
    FR_FIELD(table_id, 8, 1), FR_FIELD(reason, 9, 1),
    FR_FIELD(priority, 10, 2), FR_FIELD(idle_timeout, 12, 2),
    FR_FIELD(hard_timeout, 14, 2), FR_FIELD(cookie, 16, 8),
};
#define OF15_FLOW_REMOVED_LEN 24

enum ofperr
ofp_encode_flow_removed(const struct ofp_flow_removed *fr, uint8_t version,
                        bool nx, struct ofpbuf *b)
{
    if (nx) {
        ofpmsg_start(b, OFPTYPE_NXT_FLOW_REMOVED, version, 0);
        ofpbuf_put_wire(b, 0, NX_FLOW_REMOVED_LEN, nx_flow_removed_fields,
                        ARRAY_SIZE(nx_flow_removed_fields), fr);
        size_t n = put_nxm(b, &fr->match, 0, 0);
        ofpbuf_set_be16(b, 38, n);
        ofpmsg_finish(b);
        return 0;
    }
    ofpmsg_start(b, OFPTYPE_FLOW_REMOVED, version, 0);
    if (version == OFP10_VERSION) {
        ofpbuf_put_wire(b, 0, OF10_FLOW_REMOVED_LEN, of10_flow_removed_fields,
                        ARRAY_SIZE(of10_flow_removed_fields), fr);
        enum ofperr error = ofmatch_encode_of10(&fr->match, b->data + 8);
        if (error) {
            return error;
        }
    } else if (version < OFP15_VERSION) {
        ofpbuf_put_wire(b, 0, OF13_FLOW_REMOVED_LEN, of13_flow_removed_fields,
                        ARRAY_SIZE(of13_flow_removed_fields), fr);
        ofmatch_encode_oxm(&fr->match, b);
    } else {
        ofpbuf_put_wire(b, 0, OF15_FLOW_REMOVED_LEN, of15_flow_removed_fields,
                        ARRAY_SIZE(of15_flow_removed_fields), fr);
        ofmatch_encode_oxm(&fr->match, b);
        struct oxs_stats s = {
            .duration_sec = fr->duration_sec,
            .duration_nsec = fr->duration_nsec,
            .packet_count = fr->packet_count,
            .byte_count = fr->byte_count,
        };
        put_oxs(b, &s, false);
    }
    ofpmsg_finish(b);
    return 0;
}

enum ofperr
ofp_decode_flow_removed(const uint8_t *msg, size_t len,
                        struct ofp_flow_removed *fr)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    memset(fr, 0, sizeof *fr);
    uint8_t version = msg[0];
    struct ofpr r;
    if (type == OFPTYPE_NXT_FLOW_REMOVED) {
        if (len < NX_FLOW_REMOVED_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofp_wire_get(nx_flow_removed_fields,
                     ARRAY_SIZE(nx_flow_removed_fields), msg, fr);
        uint16_t match_len = ofp_get_be16(msg + 38);
        ofpr_init(&r, msg + NX_FLOW_REMOVED_LEN, len - NX_FLOW_REMOVED_LEN);
        return pull_nxm(&r, match_len, &fr->match, NULL, NULL);
    }
    if (type != OFPTYPE_FLOW_REMOVED) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (version == OFP10_VERSION) {
        if (len != OF10_FLOW_REMOVED_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofmatch_decode_of10(msg + 8, &fr->match);
        ofp_wire_get(of10_flow_removed_fields,
                     ARRAY_SIZE(of10_flow_removed_fields), msg, fr);
        return 0;
    }
    if (version < OFP15_VERSION) {
        if (len < 56) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofp_wire_get(of13_flow_removed_fields,
                     ARRAY_SIZE(of13_flow_removed_fields), msg, fr);
        ofpr_init(&r, msg + OF13_FLOW_REMOVED_LEN,
                  len - OF13_FLOW_REMOVED_LEN);
        return ofmatch_decode_oxm(&r, version, &fr->match);
    }
    if (len < 32) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_wire_get(of15_flow_removed_fields,
                 ARRAY_SIZE(of15_flow_removed_fields), msg, fr);
    ofpr_init(&r, msg + OF15_FLOW_REMOVED_LEN, len - OF15_FLOW_REMOVED_LEN);
    error = ofmatch_decode_oxm(&r, version, &fr->match);
    if (error) {
        return error;
    }
    struct oxs_stats s;
    error = pull_oxs(&r, &s);
    fr->duration_sec = s.duration_sec;
    fr->duration_nsec = s.duration_nsec;
    fr->packet_count = s.packet_count;
    fr->byte_count = s.byte_count;
    return error;
}

/* ---- Packet-in -------------------------------------------------------- */

enum {
    NXPINT_PACKET = 0,
    NXPINT_FULL_LEN = 1,
    NXPINT_BUFFER_ID = 2,
    NXPINT_TABLE_ID = 3,
    NXPINT_COOKIE = 4,
    NXPINT_REASON = 5,
    NXPINT_METADATA = 6,
};


enum ofperr
ofp_encode_packet_in(const struct ofp_packet_in *pi, uint8_t version,
                     enum nx_packet_in_format format, struct ofpbuf *b)
{
    uint64_t in_port = OFPP_CONTROLLER;
    ofmatch_get_uint(&pi->match, MFF_IN_PORT, &in_port, NULL);

    if (format == NXPIF_NXT_PACKET_IN2) {
        ofpmsg_start(b, OFPTYPE_NXT_PACKET_IN2, version, 0);
        size_t p = ofpbuf_start_prop(b, NXPINT_PACKET);
        ofpbuf_put(b, pi->data, pi->data_len);
        ofpbuf_end_prop(b, p);
        if (pi->total_len != pi->data_len) {
            p = ofpbuf_start_prop(b, NXPINT_FULL_LEN);
            ofpbuf_put_be32(b, pi->total_len);
            ofpbuf_end_prop(b, p);
        }
        if (pi->buffer_id != OFP_NO_BUFFER) {
            p = ofpbuf_start_prop(b, NXPINT_BUFFER_ID);
            ofpbuf_put_be32(b, pi->buffer_id);
            ofpbuf_end_prop(b, p);
        }
        p = ofpbuf_start_prop(b, NXPINT_TABLE_ID);
        ofpbuf_put_u8(b, pi->table_id);
        ofpbuf_end_prop(b, p);
        p = ofpbuf_start_prop(b, NXPINT_COOKIE);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, pi->cookie);
        ofpbuf_end_prop(b, p);
        p = ofpbuf_start_prop(b, NXPINT_REASON);
        ofpbuf_put_u8(b, pi->reason);
        ofpbuf_end_prop(b, p);
        p = ofpbuf_start_prop(b, NXPINT_METADATA);
        ofmatch_encode_nxm(&pi->match, b);
        ofpbuf_end_prop(b, p);
        ofpmsg_finish(b);
        return 0;
    }
    if (format == NXPIF_NXT_PACKET_IN) {
        ofpmsg_start(b, OFPTYPE_NXT_PACKET_IN, version, 0);
        ofpbuf_put_be32(b, pi->buffer_id);
        ofpbuf_put_be16(b, pi->total_len);
        ofpbuf_put_u8(b, pi->reason);
        ofpbuf_put_u8(b, pi->table_id);
        ofpbuf_put_be64(b, pi->cookie);
        size_t mlen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
        size_t n = put_nxm(b, &pi->match, 0, 0);
        ofpbuf_set_be16(b, mlen_ofs, n);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put(b, pi->data, pi->data_len);
        ofpmsg_finish(b);
        return 0;
    }
    ofpmsg_start(b, OFPTYPE_PACKET_IN, version, 0);
    ofpbuf_put_be32(b, pi->buffer_id);
    ofpbuf_put_be16(b, pi->total_len);
    if (version == OFP10_VERSION) {
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(in_port, &port10);
        ofpbuf_put_be16(b, port10);
        ofpbuf_put_u8(b, pi->reason);
        ofpbuf_put_zeros(b, 1);
    } else {
        ofpbuf_put_u8(b, pi->reason);
        ofpbuf_put_u8(b, pi->table_id);
        ofpbuf_put_be64(b, pi->cookie);
        ofmatch_encode_oxm(&pi->match, b);
        ofpbuf_put_zeros(b, 2);
    }
    ofpbuf_put(b, pi->data, pi->data_len);
    ofpmsg_finish(b);
    return 0;
}

static enum ofperr
decode_packet_in2(const uint8_t *msg, size_t len, struct ofp_packet_in *pi)
{
    struct ofpr r;
    bool have_full_len = false;
    ofpr_init(&r, msg + 16, len - 16);
    pi->buffer_id = OFP_NO_BUFFER;
    while (r.left) {
        if (r.left < 4) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(r.p);
        uint16_t plen = ofp_get_be16(r.p + 2);
        size_t padded = ROUND_UP((size_t) plen, 8);
        if (plen < 4 || plen > r.left) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const uint8_t *p = ofpr_pull(&r, MIN(padded, r.left)) + 4;
        size_t n = plen - 4;
        struct ofpr mr;
        enum ofperr error;
        switch (type) {
        case NXPINT_PACKET:
            pi->data = p;
            pi->data_len = n;
            break;
        case NXPINT_FULL_LEN:
            if (n != 4) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            pi->total_len = ofp_get_be32(p);
            have_full_len = true;
            break;
        case NXPINT_BUFFER_ID:
            if (n != 4) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            pi->buffer_id = ofp_get_be32(p);
            break;
        case NXPINT_TABLE_ID:
        case NXPINT_REASON:
            if (n != 1) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            *(type == NXPINT_TABLE_ID ? &pi->table_id : &pi->reason) = p[0];
            break;
        case NXPINT_COOKIE:
            if (n != 12) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            pi->cookie = ofp_get_be64(p + 4);
            break;
        case NXPINT_METADATA:
            ofpr_init(&mr, p, n);
            error = ofmatch_decode_nxm(&mr, &pi->match);
            if (error) {
                return error;
            }
            break;
        default:
            /* Unknown properties are ignored; they carry no packet data we
             * need. */
            break;
        }
    }
    if (!have_full_len) {
        pi->total_len = pi->data_len;
    }
    return 0;
}

enum ofperr
ofp_decode_packet_in(const uint8_t *msg, size_t len, struct ofp_packet_in *pi)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    memset(pi, 0, sizeof *pi);
    ofmatch_init(&pi->match);
    uint8_t version = msg[0];
    struct ofpr r;
    if (type == OFPTYPE_NXT_PACKET_IN2) {
        return decode_packet_in2(msg, len, pi);
    }
    if (type == OFPTYPE_NXT_PACKET_IN) {
        if (len < 40) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pi->buffer_id = ofp_get_be32(msg + 16);
        pi->total_len = ofp_get_be16(msg + 20);
        pi->reason = msg[22];
        pi->table_id = msg[23];
        pi->cookie = ofp_get_be64(msg + 24);
        uint16_t match_len = ofp_get_be16(msg + 32);
        ofpr_init(&r, msg + 40, len - 40);
        error = pull_nxm(&r, match_len, &pi->match, NULL, NULL);
        if (error) {
            return error;
        }
        if (!ofpr_skip(&r, 2)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pi->data = r.p;
        pi->data_len = r.left;
        return 0;
    }
    if (type != OFPTYPE_PACKET_IN) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    pi->buffer_id = len >= 14 ? ofp_get_be32(msg + 8) : 0;
    if (version == OFP10_VERSION) {
        if (len < 18) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pi->total_len = ofp_get_be16(msg + 12);
        ofmatch_set_uint(&pi->match, MFF_IN_PORT,
                         ofp_port_from_of10(ofp_get_be16(msg + 14)));
        pi->reason = msg[16];
        pi->data = msg + 18;
        pi->data_len = len - 18;
        return 0;
    }
    if (len < 34) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pi->total_len = ofp_get_be16(msg + 12);
    pi->reason = msg[14];
    pi->table_id = msg[15];
    pi->cookie = ofp_get_be64(msg + 16);
    ofpr_init(&r, msg + 24, len - 24);
    error = ofmatch_decode_oxm(&r, version, &pi->match);
    if (error) {
        return error;
    }
    if (!ofpr_skip(&r, 2)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pi->data = r.p;
    pi->data_len = r.left;
    return 0;
}

/* ---- Packet-out ------------------------------------------------------- */

void
ofp_packet_out_init(struct ofp_packet_out *po)
{
    memset(po, 0, sizeof *po);
    po->buffer_id = OFP_NO_BUFFER;
    po->in_port = OFPP_CONTROLLER;
    ofmatch_init(&po->match);
    ofacts_init(&po->actions);
}

void
ofp_packet_out_uninit(struct ofp_packet_out *po)
{
    ofacts_uninit(&po->actions);
}

static bool
packet_out_port_ok(uint32_t port)
{
    return (port > 0 && port < OFPP_MAX) || port == OFPP_CONTROLLER
           || port == OFPP_LOCAL || port == OFPP_ANY;
}

enum ofperr
ofp_decode_packet_out(const uint8_t *msg, size_t len,
                      struct ofp_packet_out *po)
{
    ofp_packet_out_uninit(po);
    ofp_packet_out_init(po);
    uint8_t version = msg[0];
    struct ofpr r, acts;
    uint16_t actions_len;
    enum ofperr error;

    if (version == OFP10_VERSION) {
        if (len < 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = ofp_get_be32(msg + 8);
        po->in_port = ofp_port_from_of10(ofp_get_be16(msg + 12));
        actions_len = ofp_get_be16(msg + 14);
        ofpr_init(&r, msg + 16, len - 16);
    } else if (version < OFP15_VERSION) {
        if (len < 24) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = ofp_get_be32(msg + 8);
        po->in_port = ofp_get_be32(msg + 12);
        actions_len = ofp_get_be16(msg + 16);
        ofpr_init(&r, msg + 24, len - 24);
    } else {
        if (len < 24) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = ofp_get_be32(msg + 8);
        actions_len = ofp_get_be16(msg + 12);
        ofpr_init(&r, msg + 16, len - 16);
        error = ofmatch_decode_oxm(&r, version, &po->match);
        if (error) {
            return error;
        }
        uint64_t in_port;
        if (ofmatch_get_uint(&po->match, MFF_IN_PORT, &in_port, NULL)) {
            po->in_port = in_port;
        }
    }
    if (!ofpr_sub(&r, actions_len, &acts)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (!packet_out_port_ok(po->in_port)) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    if (version < OFP15_VERSION) {
        ofmatch_set_uint(&po->match, MFF_IN_PORT, po->in_port);
    }
    error = ofacts_decode(&acts, version, &po->actions);
    if (error) {
        return error;
    }
    po->data = r.p;
    po->data_len = r.left;
    return 0;
}

enum ofperr
ofp_encode_packet_out(const struct ofp_packet_out *po, uint8_t version,
                      uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_PACKET_OUT, version, xid);
    size_t alen_ofs;
    ofpbuf_put_be32(b, po->buffer_id);
    if (version == OFP10_VERSION) {
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(po->in_port, &port10);
        ofpbuf_put_be16(b, port10);
        alen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
    } else if (version < OFP15_VERSION) {
        ofpbuf_put_be32(b, po->in_port);
        alen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
    } else {
        alen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        struct ofmatch m = po->match;
        if (!ofmatch_has(&m, MFF_IN_PORT)) {
            ofmatch_set_uint(&m, MFF_IN_PORT, po->in_port);
        }
        ofmatch_encode_oxm(&m, b);
    }
    size_t start = b->size;
    enum ofperr error = ofacts_encode(&po->actions, version, b);
    ofpbuf_set_be16(b, alen_ofs, b->size - start);
    ofpbuf_put(b, po->data, po->data_len);
    ofpmsg_finish(b);
    return error;
}

/* ---- Flow stats requests ---------------------------------------------- */

enum ofperr
ofp_decode_flow_stats_request(const uint8_t *msg, size_t len,
                              struct ofp_flow_stats_request *req)
{
    enum ofptype type;
    const uint8_t *body;
    size_t n;
    enum ofperr error = ofpmsg_decode_multipart(msg, len, &type, &body, &n);
    if (error) {
        return error;
    }
    memset(req, 0, sizeof *req);
    ofmatch_init(&req->match);
    req->out_group = OFPG_ANY;
    struct ofpr r;
    switch (type) {
    case OFPTYPE_AGGREGATE_REQUEST:
    case OFPTYPE_NXST_AGGREGATE_REQUEST:
        req->aggregate = true;
        break;
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_NXST_FLOW_REQUEST:
        break;
    default:
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (type == OFPTYPE_NXST_FLOW_REQUEST
        || type == OFPTYPE_NXST_AGGREGATE_REQUEST) {
        if (n < 8) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        req->out_port = ofp_port_from_of10(ofp_get_be16(body));
        uint16_t match_len = ofp_get_be16(body + 2);
        req->table_id = body[4];
        ofpr_init(&r, body + 8, n - 8);
        uint64_t cookie = 0, cookie_mask = 0;
        error = pull_nxm(&r, match_len, &req->match, &cookie, &cookie_mask);
        req->cookie = cookie;
        req->cookie_mask = cookie_mask;
        if (!error && r.left) {
            error = OFPERR_OFPBRC_BAD_LEN;
        }
        return error;
    }
    if (msg[0] == OFP10_VERSION) {
        if (n != 44) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofmatch_decode_of10(body, &req->match);
        req->table_id = body[40];
        req->out_port = ofp_port_from_of10(ofp_get_be16(body + 42));
        return 0;
    }
    if (n < 40) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    req->table_id = body[0];
    req->out_port = ofp_get_be32(body + 4);
    req->out_group = ofp_get_be32(body + 8);
    req->cookie = ofp_get_be64(body + 16);
    req->cookie_mask = ofp_get_be64(body + 24);
    ofpr_init(&r, body + 32, n - 32);
    error = ofmatch_decode_oxm(&r, msg[0], &req->match);
    if (!error && r.left) {
        error = OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

enum ofperr
ofp_encode_flow_stats_request(const struct ofp_flow_stats_request *req,
                              uint8_t version, bool nx, uint32_t xid,
                              struct ofpbuf *b)
{
    enum ofptype type;
    if (version == OFP10_VERSION && nx) {
        type = req->aggregate ? OFPTYPE_NXST_AGGREGATE_REQUEST
                              : OFPTYPE_NXST_FLOW_REQUEST;
    } else {
        type = req->aggregate ? OFPTYPE_AGGREGATE_REQUEST
                              : OFPTYPE_FLOW_STATS_REQUEST;
    }
    if (!ofpmsg_start(b, type, version, xid)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    uint16_t port10 = 0xffff;
    if (version == OFP10_VERSION) {
        ofp_port_to_of10(req->out_port, &port10);
    }
    if (version == OFP10_VERSION && nx) {
        ofpbuf_put_be16(b, port10);
        size_t mlen_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_u8(b, req->table_id);
        ofpbuf_put_zeros(b, 3);
        size_t n = put_nxm(b, &req->match, req->cookie, req->cookie_mask);
        ofpbuf_set_be16(b, mlen_ofs, n);
    } else if (version == OFP10_VERSION) {
        uint8_t *match = ofpbuf_put_zeros(b, OFP10_MATCH_LEN);
        enum ofperr error = ofmatch_encode_of10(&req->match, match);
        if (error) {
            return error;
        }
        ofpbuf_put_u8(b, req->table_id);
        ofpbuf_put_zeros(b, 1);
        ofpbuf_put_be16(b, port10);
    } else {
        ofpbuf_put_u8(b, req->table_id);
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, req->out_port);
        ofpbuf_put_be32(b, req->out_group);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, req->cookie);
        ofpbuf_put_be64(b, req->cookie_mask);
        ofmatch_encode_oxm(&req->match, b);
    }
    ofpmsg_finish(b);
    return 0;
}

/* ---- Flow stats replies ----------------------------------------------- */

/* The fixed fields of each form of flow stats entry, offsets from the start
 * of the entry (its length, the NXM match length and ages, flags and the
 * 1.4 importance are set by hand). */
#define FS_FIELD(MEMBER, OFS, SIZE) \
    OFP_WIRE_FIELD(struct ofp_flow_stats, MEMBER, OFS, SIZE)
static const struct ofp_wire_field of10_flow_stats_fields[] = {
    FS_FIELD(table_id, 2, 1), FS_FIELD(duration_sec, 44, 4),
    FS_FIELD(duration_nsec, 48, 4), FS_FIELD(priority, 52, 2),
    FS_FIELD(idle_timeout, 54, 2), FS_FIELD(hard_timeout, 56, 2),
    FS_FIELD(cookie, 64, 8), FS_FIELD(packet_count, 72, 8),
    FS_FIELD(byte_count, 80, 8),
};
#define OF10_FLOW_STATS_LEN 88
/* OpenFlow 1.1 to 1.4, and NXST_FLOW (which has the match length and
 * ages where 1.1+ has flags and importance). */
static const struct ofp_wire_field of11_flow_stats_fields[] = {
    FS_FIELD(table_id, 2, 1), FS_FIELD(duration_sec, 4, 4),
    FS_FIELD(duration_nsec, 8, 4), FS_FIELD(priority, 12, 2),
    FS_FIELD(idle_timeout, 14, 2), FS_FIELD(hard_timeout, 16, 2),
    FS_FIELD(cookie, 24, 8), FS_FIELD(packet_count, 32, 8),
    FS_FIELD(byte_count, 40, 8),
};
#define OF11_FLOW_STATS_LEN 48
#define NX_FLOW_STATS_LEN 48
static const struct ofp_wire_field of15_flow_stats_fields[] = {
    FS_FIELD(table_id, 4, 1), FS_FIELD(priority, 6, 2),
    FS_FIELD(idle_timeout, 8, 2), FS_FIELD(hard_timeout, 10, 2),
    FS_FIELD(importance, 14, 2), FS_FIELD(cookie, 16, 8),
};
#define OF15_FLOW_STATS_LEN 24

void
ofp_flow_stats_init(struct ofp_flow_stats *fs)
{
    memset(fs, 0, sizeof *fs);
    ofmatch_init(&fs->match);
    ofinsts_init(&fs->insts);
    fs->idle_age = fs->hard_age = 0xffff;
}

void
ofp_flow_stats_uninit(struct ofp_flow_stats *fs)
{
    ofinsts_uninit(&fs->insts);
}

static uint16_t
age_to_wire(uint16_t age)
{
    return age == 0xffff ? 0 : age + 1;
}

enum ofperr
ofp_append_flow_stats(struct ofpmp_reply *reply,
                      const struct ofp_flow_stats *fs)
{
    struct ofpbuf *b = ofpmp_reply_current(reply);
    size_t start = b->size;
    uint8_t version = reply->version;
    enum ofperr error;

    if (reply->type == OFPTYPE_NXST_FLOW_REPLY) {
        ofpbuf_put_wire(b, start, NX_FLOW_STATS_LEN, of11_flow_stats_fields,
                        ARRAY_SIZE(of11_flow_stats_fields), fs);
        ofpbuf_set_be16(b, start + 20, age_to_wire(fs->idle_age));
        ofpbuf_set_be16(b, start + 22, age_to_wire(fs->hard_age));
        size_t n = put_nxm(b, &fs->match, 0, 0);
        ofpbuf_set_be16(b, start + 18, n);
        error = ofinsts_encode_any(&fs->insts, OFP10_VERSION, b);
    } else if (version == OFP10_VERSION) {
        ofpbuf_put_wire(b, start, OF10_FLOW_STATS_LEN, of10_flow_stats_fields,
                        ARRAY_SIZE(of10_flow_stats_fields), fs);
        error = ofmatch_encode_of10(&fs->match, b->data + start + 4);
        if (error) {
            b->size = start;
            return error;
        }
        error = ofinsts_encode_any(&fs->insts, version, b);
    } else if (version < OFP15_VERSION) {
        ofpbuf_put_wire(b, start, OF11_FLOW_STATS_LEN, of11_flow_stats_fields,
                        ARRAY_SIZE(of11_flow_stats_fields), fs);
        ofpbuf_set_be16(b, start + 18, flags_to_wire(fs->flags, version));
        if (version >= OFP14_VERSION) {
            ofpbuf_set_be16(b, start + 20, fs->importance);
        }
        ofmatch_encode_oxm(&fs->match, b);
        error = ofinsts_encode_any(&fs->insts, version, b);
    } else {
        ofpbuf_put_wire(b, start, OF15_FLOW_STATS_LEN, of15_flow_stats_fields,
                        ARRAY_SIZE(of15_flow_stats_fields), fs);
        ofpbuf_set_be16(b, start + 12, flags_to_wire(fs->flags, version));
        ofmatch_encode_oxm(&fs->match, b);
        struct oxs_stats s = {
            .duration_sec = fs->duration_sec,
            .duration_nsec = fs->duration_nsec,
            .has_idle_time = fs->idle_age != 0xffff,
            .idle_sec = fs->idle_age,
            .packet_count = fs->packet_count,
            .byte_count = fs->byte_count,
        };
        put_oxs(b, &s, false);
        error = ofinsts_encode_any(&fs->insts, version, b);
    }
    if (error) {
        b->size = start;
        return error;
    }
    ofpbuf_set_be16(b, start, b->size - start);
    ofpmp_reply_postappend(reply, start);
    return 0;
}

int
ofp_decode_flow_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                            struct ofp_flow_stats *fs)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != OFPTYPE_FLOW_STATS_REPLY && type != OFPTYPE_NXST_FLOW_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p;
    size_t left, elen;
    if (!ofpmsg_multipart_entry(msg, len, *pos, &p, &left)) {
        return EOF;
    }
    ofp_flow_stats_uninit(fs);
    ofp_flow_stats_init(fs);
    uint8_t version = msg[0];
    error = ofpmsg_entry_length(p, left, 4, 1, &elen);
    if (error) {
        return error;
    }
    struct ofpr r;
    if (type == OFPTYPE_NXST_FLOW_REPLY) {
        if (elen < NX_FLOW_STATS_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofp_wire_get(of11_flow_stats_fields,
                     ARRAY_SIZE(of11_flow_stats_fields), p, fs);
        uint16_t match_len = ofp_get_be16(p + 18);
        uint16_t idle_age = ofp_get_be16(p + 20);
        uint16_t hard_age = ofp_get_be16(p + 22);
        fs->idle_age = idle_age ? idle_age - 1 : 0xffff;
        fs->hard_age = hard_age ? hard_age - 1 : 0xffff;
        ofpr_init(&r, p + NX_FLOW_STATS_LEN, elen - NX_FLOW_STATS_LEN);
        error = pull_nxm(&r, match_len, &fs->match, NULL, NULL);
        if (!error) {
            error = ofinsts_decode_any(&r, OFP10_VERSION, 0xff, &fs->insts);
        }
    } else if (version == OFP10_VERSION) {
        if (elen < OF10_FLOW_STATS_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofmatch_decode_of10(p + 4, &fs->match);
        ofp_wire_get(of10_flow_stats_fields,
                     ARRAY_SIZE(of10_flow_stats_fields), p, fs);
        ofpr_init(&r, p + OF10_FLOW_STATS_LEN, elen - OF10_FLOW_STATS_LEN);
        error = ofinsts_decode_any(&r, version, 0xff, &fs->insts);
    } else if (version < OFP15_VERSION) {
        if (elen < 56) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofp_wire_get(of11_flow_stats_fields,
                     ARRAY_SIZE(of11_flow_stats_fields), p, fs);
        fs->flags = flags_from_wire(ofp_get_be16(p + 18), version);
        if (version >= OFP14_VERSION) {
            fs->importance = ofp_get_be16(p + 20);
        }
        ofpr_init(&r, p + OF11_FLOW_STATS_LEN, elen - OF11_FLOW_STATS_LEN);
        error = ofmatch_decode_oxm(&r, version, &fs->match);
        if (!error) {
            error = ofinsts_decode_any(&r, version, 0xff, &fs->insts);
        }
    } else {
        if (elen < 32) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofp_wire_get(of15_flow_stats_fields,
                     ARRAY_SIZE(of15_flow_stats_fields), p, fs);
        fs->flags = flags_from_wire(ofp_get_be16(p + 12), version);
        ofpr_init(&r, p + OF15_FLOW_STATS_LEN, elen - OF15_FLOW_STATS_LEN);
        error = ofmatch_decode_oxm(&r, version, &fs->match);
        struct oxs_stats s;
        if (!error) {
            error = pull_oxs(&r, &s);
        }
        if (!error) {
            fs->duration_sec = s.duration_sec;
            fs->duration_nsec = s.duration_nsec;
            if (s.has_idle_time) {
                fs->idle_age = MIN(s.idle_sec, 0xfffe);
            }
            fs->packet_count = s.packet_count;
            fs->byte_count = s.byte_count;
            error = ofinsts_decode_any(&r, version, 0xff, &fs->insts);
        }
    }
    if (error) {
        return error;
    }
    *pos += elen;
    return 0;
}

/* ---- Aggregate -------------------------------------------------------- */

bool
ofp_encode_aggregate_reply(const struct ofp_aggregate_stats *as,
                           uint8_t version, bool nx, uint32_t xid,
                           struct ofpbuf *b)
{
    enum ofptype type = version == OFP10_VERSION && nx
                        ? OFPTYPE_NXST_AGGREGATE_REPLY
                        : OFPTYPE_AGGREGATE_REPLY;
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    if (version >= OFP15_VERSION) {
        struct oxs_stats s = {
            .flow_count = as->flow_count,
            .packet_count = as->packet_count,
            .byte_count = as->byte_count,
        };
        put_oxs(b, &s, true);
    } else {
        ofpbuf_put_be64(b, as->packet_count);
        ofpbuf_put_be64(b, as->byte_count);
        ofpbuf_put_be32(b, as->flow_count);
        ofpbuf_put_zeros(b, 4);
    }
    ofpmsg_finish(b);
    return true;
}

enum ofperr
ofp_decode_aggregate_reply(const uint8_t *msg, size_t len,
                           struct ofp_aggregate_stats *as)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    memset(as, 0, sizeof *as);
    if (msg[0] >= OFP15_VERSION) {
        struct ofpr r;
        struct oxs_stats s;
        ofpr_init(&r, body, n);
        enum ofperr error = pull_oxs(&r, &s);
        as->flow_count = s.flow_count;
        as->packet_count = s.packet_count;
        as->byte_count = s.byte_count;
        return error;
    }
    if (n != 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    as->packet_count = ofp_get_be64(body);
    as->byte_count = ofp_get_be64(body + 8);
    as->flow_count = ofp_get_be32(body + 16);
    return 0;
}
