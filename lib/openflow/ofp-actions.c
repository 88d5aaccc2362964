/* ofp-actions.c: OpenFlow actions and instructions, all versions. */
#include <config.h>

#include "openflow/ofp-actions.h"

#include <stdlib.h>
#include <string.h>
#include "openflow/ofp-buf.h"
#include "util/util.h"

/* OpenFlow 1.1+ action types. */
enum {
    OFPAT_OUTPUT = 0,
    OFPAT_COPY_TTL_OUT = 11,
    OFPAT_COPY_TTL_IN = 12,
    OFPAT_SET_MPLS_TTL = 15,
    OFPAT_DEC_MPLS_TTL = 16,
    OFPAT_PUSH_VLAN = 17,
    OFPAT_POP_VLAN = 18,
    OFPAT_PUSH_MPLS = 19,
    OFPAT_POP_MPLS = 20,
    OFPAT_SET_QUEUE = 21,
    OFPAT_GROUP = 22,
    OFPAT_SET_NW_TTL = 23,
    OFPAT_DEC_NW_TTL = 24,
    OFPAT_SET_FIELD = 25,
    OFPAT_PUSH_PBB = 26,
    OFPAT_POP_PBB = 27,
    OFPAT_METER = 29,           /* OF1.5. */
    OFPAT_EXPERIMENTER = 0xffff,
};

/* OpenFlow 1.0 action types. */
enum {
    OFPAT10_OUTPUT = 0,
    OFPAT10_SET_VLAN_VID = 1,
    OFPAT10_SET_VLAN_PCP = 2,
    OFPAT10_STRIP_VLAN = 3,
    OFPAT10_SET_DL_SRC = 4,
    OFPAT10_SET_DL_DST = 5,
    OFPAT10_SET_NW_SRC = 6,
    OFPAT10_SET_NW_DST = 7,
    OFPAT10_SET_NW_TOS = 8,
    OFPAT10_SET_TP_SRC = 9,
    OFPAT10_SET_TP_DST = 10,
    OFPAT10_ENQUEUE = 11,
    OFPAT10_VENDOR = 0xffff,
};

/* Nicira vendor actions: what ovs-ofctl sends over OpenFlow 1.0 for the
 * actions that 1.0 lacks. */
enum {
    NXAST_SET_QUEUE = 4,
    NXAST_REG_LOAD = 7,
    NXAST_RESUBMIT_TABLE = 14,  /* goto_table, see decode_insts_of10(). */
    NXAST_DEC_TTL = 18,
    NXAST_WRITE_METADATA = 22,  /* write_metadata, ditto. */
    NXAST_PUSH_MPLS = 23,
    NXAST_POP_MPLS = 24,
    NXAST_SET_MPLS_TTL = 25,
    NXAST_DEC_MPLS_TTL = 26,
    NXAST_SET_MPLS_LABEL = 30,
    NXAST_SET_MPLS_TC = 31,
    NXAST_GROUP = 40,
};

#define NX_VENDOR 0x00002320u
#define OFPP10_IN_PORT 0xfff8
#define NXM_NX_IP_TTL_HEADER 0x00013a01u

/* Instruction types. */
enum {
    OFPIT_GOTO_TABLE = 1,
    OFPIT_WRITE_METADATA = 2,
    OFPIT_WRITE_ACTIONS = 3,
    OFPIT_APPLY_ACTIONS = 4,
    OFPIT_CLEAR_ACTIONS = 5,
    OFPIT_METER = 6,
    OFPIT_EXPERIMENTER = 0xffff,
};

/* ---- Lists ------------------------------------------------------------ */

void
ofacts_init(struct ofacts *l)
{
    l->acts = NULL;
    l->n = l->cap = 0;
}

void
ofacts_uninit(struct ofacts *l)
{
    free(l->acts);
    ofacts_init(l);
}

struct ofact *
ofacts_append(struct ofacts *l, enum ofact_type type)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        l->acts = xrealloc(l->acts, l->cap * sizeof *l->acts);
    }
    struct ofact *a = &l->acts[l->n++];
    memset(a, 0, sizeof *a);
    a->type = type;
    return a;
}

void
ofacts_clone(struct ofacts *dst, const struct ofacts *src)
{
    ofacts_init(dst);
    if (src->n) {
        dst->acts = xmemdup(src->acts, src->n * sizeof *src->acts);
        dst->n = dst->cap = src->n;
    }
}

bool
ofacts_equal(const struct ofacts *a, const struct ofacts *b)
{
    /* Actions are built from zeroed memory, so bytewise comparison works. */
    return a->n == b->n
           && (!a->n || !memcmp(a->acts, b->acts, a->n * sizeof *a->acts));
}

void
ofacts_put_output(struct ofacts *l, uint32_t port, uint16_t max_len)
{
    struct ofact *a = ofacts_append(l, OFACT_OUTPUT);
    a->output.port = port;
    a->output.max_len = max_len;
}

void
ofacts_put_set_field_uint(struct ofacts *l, enum mf_field field,
                          uint64_t value)
{
    struct ofact *a = ofacts_append(l, OFACT_SET_FIELD);
    unsigned int w = mf_width(field);
    a->set_field.field = field;
    for (int i = w - 1; i >= 0; i--) {
        a->set_field.value[i] = value;
        value >>= 8;
    }
    memset(a->set_field.mask, 0xff, w);
}

void
ofinsts_init(struct ofinsts *is)
{
    memset(is, 0, sizeof *is);
    ofacts_init(&is->apply);
    ofacts_init(&is->write);
}

void
ofinsts_uninit(struct ofinsts *is)
{
    ofacts_uninit(&is->apply);
    ofacts_uninit(&is->write);
}

void
ofinsts_clone(struct ofinsts *dst, const struct ofinsts *src)
{
    *dst = *src;
    ofacts_clone(&dst->apply, &src->apply);
    ofacts_clone(&dst->write, &src->write);
}

bool
ofinsts_equal(const struct ofinsts *a, const struct ofinsts *b)
{
    if (a->present != b->present) {
        return false;
    }
    if ((a->present & OFINST_METER) && a->meter_id != b->meter_id) {
        return false;
    }
    if ((a->present & OFINST_WRITE_METADATA)
        && (a->metadata != b->metadata
            || a->metadata_mask != b->metadata_mask)) {
        return false;
    }
    if ((a->present & OFINST_GOTO_TABLE) && a->goto_table != b->goto_table) {
        return false;
    }
    return ofacts_equal(&a->apply, &b->apply)
           && ofacts_equal(&a->write, &b->write);
}

/* ---- Decoding --------------------------------------------------------- */

static bool
output_port_ok(uint32_t port)
{
    if (port == 0 || port == OFPP_ANY) {
        return false;
    }
    return port < OFPP_MAX || port >= OFPP_IN_PORT;
}

/* Decodes the OXM TLV of a set-field action ('p', 'n' bytes after the
 * action header, padding included). */
static enum ofperr
decode_set_field(const uint8_t *p, size_t n, uint8_t version,
                 struct ofact *a)
{
    if (n < 4) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    uint32_t header = ofp_get_be32(p);
    uint16_t class = header >> 16;
    uint8_t field = (header >> 9) & 0x7f;
    bool hasmask = (header >> 8) & 1;
    uint8_t len = header & 0xff;
    int f = -1;

    if (class == OFPXMC_OPENFLOW_BASIC && field < MFF_N_FIELDS
        && mf_info(field) && mf_info(field)->oxm_class == class) {
        f = field;
    } else if (class == OFPXMC_NXM_1) {
        for (int i = 0; i < MFF_N_FIELDS; i++) {
            const struct mf_info *mf = mf_info(i);
            if (mf && mf->oxm_class == OFPXMC_NXM_1 && mf->oxm_field == field) {
                f = i;
            }
        }
    }
    const struct mf_info *mf = f >= 0 ? mf_info(f) : NULL;
    if (!mf || !mf->settable || mf->min_version > version) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    if (len != mf->width * (hasmask ? 2 : 1) || 4u + len > n
        || ROUND_UP(4u + 4 + len, 8) != n + 4) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    if (hasmask && (version < OFP15_VERSION || !mf->maskable)) {
        return version < OFP15_VERSION ? OFPERR_OFPBAC_BAD_SET_ARGUMENT
                                       : OFPERR_OFPBAC_BAD_SET_MASK;
    }
    const uint8_t *value = p + 4;
    /* Value bits above the field width are an invalid argument. */
    unsigned int extra = mf->width * 8 - mf->n_bits;
    for (unsigned int bit = 0; bit < extra; bit++) {
        if (value[bit / 8] & (0x80 >> (bit % 8))) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
    }
    a->set_field.field = f;
    memcpy(a->set_field.value, value, mf->width);
    if (hasmask) {
        a->set_field.masked = true;
        memcpy(a->set_field.mask, value + mf->width, mf->width);
        for (unsigned int i = 0; i < mf->width; i++) {
            a->set_field.value[i] &= a->set_field.mask[i];
        }
    } else {
        memset(a->set_field.mask, 0xff, mf->width);
    }
    return 0;
}

/* Appends an exact set-field of 'f' from a right-aligned integer, if it
 * fits the field. */
static bool
put_set_field_checked(struct ofacts *l, enum mf_field f, uint64_t value)
{
    const struct mf_info *mf = mf_info(f);
    if (mf->n_bits < 64 && value >> mf->n_bits) {
        return false;
    }
    ofacts_put_set_field_uint(l, f, value);
    return true;
}

/* Decodes a Nicira vendor action 'p' of 'len' bytes (whole action). */
static enum ofperr
decode_nx_action(const uint8_t *p, size_t len, struct ofacts *l)
{
    if (len < 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (ofp_get_be32(p + 4) != NX_VENDOR) {
        return OFPERR_OFPBAC_BAD_EXPERIMENTER;
    }
    uint16_t subtype = ofp_get_be16(p + 8);
    size_t want = subtype == NXAST_REG_LOAD ? 24 : 16;
    switch (subtype) {
    case NXAST_SET_QUEUE: case NXAST_REG_LOAD: case NXAST_DEC_TTL:
    case NXAST_PUSH_MPLS: case NXAST_POP_MPLS: case NXAST_SET_MPLS_TTL:
    case NXAST_DEC_MPLS_TTL: case NXAST_SET_MPLS_LABEL:
    case NXAST_SET_MPLS_TC: case NXAST_GROUP:
        break;
    default:
        return OFPERR_OFPBAC_BAD_EXP_TYPE;
    }
    if (len != want) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t ethertype = ofp_get_be16(p + 10);
    switch (subtype) {
    case NXAST_SET_QUEUE:
        ofacts_append(l, OFACT_SET_QUEUE)->queue_id = ofp_get_be32(p + 12);
        return 0;
    case NXAST_DEC_TTL:
        ofacts_append(l, OFACT_DEC_NW_TTL);
        return 0;
    case NXAST_PUSH_MPLS:
        if (ethertype != 0x8847 && ethertype != 0x8848) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_append(l, OFACT_PUSH_MPLS)->ethertype = ethertype;
        return 0;
    case NXAST_POP_MPLS:
        ofacts_append(l, OFACT_POP_MPLS)->ethertype = ethertype;
        return 0;
    case NXAST_SET_MPLS_TTL:
        ofacts_append(l, OFACT_SET_MPLS_TTL)->ttl = p[10];
        return 0;
    case NXAST_DEC_MPLS_TTL:
        ofacts_append(l, OFACT_DEC_MPLS_TTL);
        return 0;
    case NXAST_SET_MPLS_LABEL:
        return put_set_field_checked(l, MFF_MPLS_LABEL, ofp_get_be32(p + 12))
               ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
    case NXAST_SET_MPLS_TC:
        return put_set_field_checked(l, MFF_MPLS_TC, p[10])
               ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
    case NXAST_GROUP: {
        uint32_t group = ofp_get_be32(p + 12);
        if (group > OFPG_MAX) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
        ofacts_append(l, OFACT_GROUP)->group_id = group;
        return 0;
    }
    case NXAST_REG_LOAD: {
        /* Only loads of a whole field (bits 0..n-1) have an equivalent. */
        uint16_t ofs_nbits = ofp_get_be16(p + 10);
        uint32_t dst = ofp_get_be32(p + 12);
        uint64_t value = ofp_get_be64(p + 16);
        unsigned int ofs = ofs_nbits >> 6, n_bits = (ofs_nbits & 0x3f) + 1;
        if (dst == NXM_NX_IP_TTL_HEADER && ofs == 0 && n_bits == 8) {
            if (value > 0xff) {
                return OFPERR_OFPBAC_BAD_ARGUMENT;
            }
            ofacts_append(l, OFACT_SET_NW_TTL)->ttl = value;
            return 0;
        }
        int f = mf_from_header(dst);
        const struct mf_info *mf = f >= 0 ? mf_info(f) : NULL;
        if (!mf || !mf->settable || mf->width > 8 || ofs
            || n_bits != mf->n_bits) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        return put_set_field_checked(l, f, value)
               ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    }
    return OFPERR_OFPBAC_BAD_EXP_TYPE;
}

static enum ofperr
decode_action_of10(uint16_t type, const uint8_t *p, size_t len,
                   struct ofacts *l)
{
    /* 'p' points after the 4-byte header; 'len' is the full action length. */
    static const uint8_t sizes[] = {
        [OFPAT10_OUTPUT] = 8, [OFPAT10_SET_VLAN_VID] = 8,
        [OFPAT10_SET_VLAN_PCP] = 8, [OFPAT10_STRIP_VLAN] = 8,
        [OFPAT10_SET_DL_SRC] = 16, [OFPAT10_SET_DL_DST] = 16,
        [OFPAT10_SET_NW_SRC] = 8, [OFPAT10_SET_NW_DST] = 8,
        [OFPAT10_SET_NW_TOS] = 8, [OFPAT10_SET_TP_SRC] = 8,
        [OFPAT10_SET_TP_DST] = 8, [OFPAT10_ENQUEUE] = 16,
    };
    if (type == OFPAT10_VENDOR) {
        return decode_nx_action(p - 4, len, l);
    }
    if (type >= ARRAY_SIZE(sizes)) {
        return OFPERR_OFPBAC_BAD_TYPE;
    }
    if (len != sizes[type]) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofact *a;
    uint16_t port16;
    switch (type) {
    case OFPAT10_OUTPUT:
        port16 = ofp_get_be16(p);
        if (!output_port_ok(ofp_port_from_of10(port16))) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        ofacts_put_output(l, ofp_port_from_of10(port16), ofp_get_be16(p + 2));
        return 0;
    case OFPAT10_ENQUEUE:
        port16 = ofp_get_be16(p);
        if (port16 >= 0xff00 && port16 != 0xfff8) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        a = ofacts_append(l, OFACT_ENQUEUE);
        a->enqueue.port = ofp_port_from_of10(port16);
        a->enqueue.queue_id = ofp_get_be32(p + 8);
        return 0;
    case OFPAT10_STRIP_VLAN:
        a = ofacts_append(l, OFACT_POP_VLAN);
        a->legacy = true;
        return 0;
    case OFPAT10_SET_VLAN_VID: {
        uint16_t vid = ofp_get_be16(p);
        if (vid > 0xfff) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_put_set_field_uint(l, MFF_VLAN_VID, OFPVID_PRESENT | vid);
        break;
    }
    case OFPAT10_SET_VLAN_PCP:
        if (p[0] > 7) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_put_set_field_uint(l, MFF_VLAN_PCP, p[0]);
        break;
    case OFPAT10_SET_DL_SRC:
    case OFPAT10_SET_DL_DST:
        a = ofacts_append(l, OFACT_SET_FIELD);
        a->set_field.field = type == OFPAT10_SET_DL_SRC ? MFF_ETH_SRC
                                                        : MFF_ETH_DST;
        memcpy(a->set_field.value, p, 6);
        memset(a->set_field.mask, 0xff, 6);
        break;
    case OFPAT10_SET_NW_SRC:
    case OFPAT10_SET_NW_DST:
        ofacts_put_set_field_uint(l, type == OFPAT10_SET_NW_SRC
                                     ? MFF_IPV4_SRC : MFF_IPV4_DST,
                                  ofp_get_be32(p));
        break;
    case OFPAT10_SET_NW_TOS:
        if (p[0] & 3) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_put_set_field_uint(l, MFF_IP_DSCP, p[0] >> 2);
        break;
    case OFPAT10_SET_TP_SRC:
    case OFPAT10_SET_TP_DST:
        ofacts_put_set_field_uint(l, type == OFPAT10_SET_TP_SRC
                                     ? MFF_TCP_SRC : MFF_TCP_DST,
                                  ofp_get_be16(p));
        break;
    default:
        return OFPERR_OFPBAC_BAD_TYPE;
    }
    l->acts[l->n - 1].set_field.legacy = true;
    return 0;
}

static enum ofperr
decode_action_of13(uint16_t type, const uint8_t *p, size_t len,
                   uint8_t version, struct ofacts *l)
{
    struct ofact *a;
    size_t fixed;

    switch (type) {
    case OFPAT_OUTPUT:
        fixed = 16;
        break;
    case OFPAT_SET_FIELD:
        a = ofacts_append(l, OFACT_SET_FIELD);
        {
            enum ofperr error = decode_set_field(p, len - 4, version, a);
            if (error) {
                l->n--;
            }
            return error;
        }
    case OFPAT_EXPERIMENTER:
        return decode_nx_action(p - 4, len, l);
    case OFPAT_COPY_TTL_OUT: case OFPAT_COPY_TTL_IN: case OFPAT_SET_MPLS_TTL:
    case OFPAT_DEC_MPLS_TTL: case OFPAT_PUSH_VLAN: case OFPAT_POP_VLAN:
    case OFPAT_PUSH_MPLS: case OFPAT_POP_MPLS: case OFPAT_SET_QUEUE:
    case OFPAT_GROUP: case OFPAT_SET_NW_TTL: case OFPAT_DEC_NW_TTL:
    case OFPAT_PUSH_PBB: case OFPAT_POP_PBB:
        fixed = 8;
        break;
    case OFPAT_METER:
        if (version < OFP15_VERSION) {
            return OFPERR_OFPBAC_BAD_TYPE;
        }
        fixed = 8;
        break;
    default:
        return OFPERR_OFPBAC_BAD_TYPE;
    }
    if (len != fixed) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t ethertype = ofp_get_be16(p);
    switch (type) {
    case OFPAT_OUTPUT: {
        uint32_t port = ofp_get_be32(p);
        if (!output_port_ok(port)) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        ofacts_put_output(l, port, ofp_get_be16(p + 4));
        return 0;
    }
    case OFPAT_COPY_TTL_OUT:
        ofacts_append(l, OFACT_COPY_TTL_OUT);
        return 0;
    case OFPAT_COPY_TTL_IN:
        ofacts_append(l, OFACT_COPY_TTL_IN);
        return 0;
    case OFPAT_SET_MPLS_TTL:
        ofacts_append(l, OFACT_SET_MPLS_TTL)->ttl = p[0];
        return 0;
    case OFPAT_DEC_MPLS_TTL:
        ofacts_append(l, OFACT_DEC_MPLS_TTL);
        return 0;
    case OFPAT_PUSH_VLAN:
        if (ethertype != 0x8100 && ethertype != 0x88a8) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_append(l, OFACT_PUSH_VLAN)->ethertype = ethertype;
        return 0;
    case OFPAT_POP_VLAN:
        ofacts_append(l, OFACT_POP_VLAN);
        return 0;
    case OFPAT_PUSH_MPLS:
        if (ethertype != 0x8847 && ethertype != 0x8848) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_append(l, OFACT_PUSH_MPLS)->ethertype = ethertype;
        return 0;
    case OFPAT_POP_MPLS:
        ofacts_append(l, OFACT_POP_MPLS)->ethertype = ethertype;
        return 0;
    case OFPAT_SET_QUEUE:
        ofacts_append(l, OFACT_SET_QUEUE)->queue_id = ofp_get_be32(p);
        return 0;
    case OFPAT_GROUP: {
        uint32_t group = ofp_get_be32(p);
        if (group > OFPG_MAX) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
        ofacts_append(l, OFACT_GROUP)->group_id = group;
        return 0;
    }
    case OFPAT_SET_NW_TTL:
        ofacts_append(l, OFACT_SET_NW_TTL)->ttl = p[0];
        return 0;
    case OFPAT_DEC_NW_TTL:
        ofacts_append(l, OFACT_DEC_NW_TTL);
        return 0;
    case OFPAT_PUSH_PBB:
        if (ethertype != 0x88e7) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofacts_append(l, OFACT_PUSH_PBB)->ethertype = ethertype;
        return 0;
    case OFPAT_POP_PBB:
        ofacts_append(l, OFACT_POP_PBB);
        return 0;
    case OFPAT_METER:
        ofacts_append(l, OFACT_METER)->meter_id = ofp_get_be32(p);
        return 0;
    }
    return OFPERR_OFPBAC_BAD_TYPE;
}

enum ofperr
ofacts_decode(struct ofpr *r, uint8_t version, struct ofacts *l)
{
    while (r->left) {
        if (r->left < 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(r->p);
        uint16_t len = ofp_get_be16(r->p + 2);
        if (len < 8 || len % 8 || len > r->left) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        const uint8_t *p = ofpr_pull(r, len);
        enum ofperr error = version == OFP10_VERSION
                            ? decode_action_of10(type, p + 4, len, l)
                            : decode_action_of13(type, p + 4, len, version, l);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* ---- Encoding --------------------------------------------------------- */

static void
put_action_header(struct ofpbuf *b, uint16_t type, uint16_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, len);
}

/* Writes an 8-byte action with a 16-bit, 32-bit or 8-bit argument. */
static void
put_action16(struct ofpbuf *b, uint16_t type, uint16_t arg)
{
    put_action_header(b, type, 8);
    ofpbuf_put_be16(b, arg);
    ofpbuf_put_zeros(b, 2);
}

static void
put_action32(struct ofpbuf *b, uint16_t type, uint32_t arg)
{
    put_action_header(b, type, 8);
    ofpbuf_put_be32(b, arg);
}

static void
put_action8(struct ofpbuf *b, uint16_t type, uint8_t arg)
{
    put_action_header(b, type, 8);
    ofpbuf_put_u8(b, arg);
    ofpbuf_put_zeros(b, 3);
}

static uint64_t
sf_uint(const struct ofact_set_field *sf)
{
    unsigned int w = mf_width(sf->field);
    uint64_t v = 0;
    for (unsigned int i = 0; i < w && i < 8; i++) {
        v = (v << 8) | sf->value[i];
    }
    return v;
}

static enum ofperr
encode_set_field_of10(const struct ofact_set_field *sf, struct ofpbuf *b)
{
    uint64_t v = sf_uint(sf);
    if (sf->masked) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    switch (sf->field) {
    case MFF_VLAN_VID:
        if (!(v & OFPVID_PRESENT)) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
        put_action16(b, OFPAT10_SET_VLAN_VID, v & 0xfff);
        return 0;
    case MFF_VLAN_PCP:
        put_action8(b, OFPAT10_SET_VLAN_PCP, v);
        return 0;
    case MFF_ETH_SRC:
    case MFF_ETH_DST:
        put_action_header(b, sf->field == MFF_ETH_SRC ? OFPAT10_SET_DL_SRC
                                                      : OFPAT10_SET_DL_DST,
                          16);
        ofpbuf_put(b, sf->value, 6);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case MFF_IPV4_SRC:
        put_action32(b, OFPAT10_SET_NW_SRC, v);
        return 0;
    case MFF_IPV4_DST:
        put_action32(b, OFPAT10_SET_NW_DST, v);
        return 0;
    case MFF_IP_DSCP:
        put_action8(b, OFPAT10_SET_NW_TOS, v << 2);
        return 0;
    case MFF_TCP_SRC: case MFF_UDP_SRC: case MFF_SCTP_SRC:
        put_action16(b, OFPAT10_SET_TP_SRC, v);
        return 0;
    case MFF_TCP_DST: case MFF_UDP_DST: case MFF_SCTP_DST:
        put_action16(b, OFPAT10_SET_TP_DST, v);
        return 0;
    default:
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
}

/* Starts a 16-byte Nicira action of 'subtype'; the caller writes 6 bytes. */
static void
put_nx_action(struct ofpbuf *b, uint16_t subtype)
{
    put_action_header(b, OFPAT10_VENDOR, 16);
    ofpbuf_put_be32(b, NX_VENDOR);
    ofpbuf_put_be16(b, subtype);
}

static void
put_nx_reg_load(struct ofpbuf *b, uint32_t dst, unsigned int n_bits,
                uint64_t value)
{
    put_action_header(b, OFPAT10_VENDOR, 24);
    ofpbuf_put_be32(b, NX_VENDOR);
    ofpbuf_put_be16(b, NXAST_REG_LOAD);
    ofpbuf_put_be16(b, n_bits - 1);
    ofpbuf_put_be32(b, dst);
    ofpbuf_put_be64(b, value);
}

/* Encodes, as Nicira actions, what OpenFlow 1.0 has no action for. */
static enum ofperr
encode_nx_action(const struct ofact *a, struct ofpbuf *b)
{
    switch (a->type) {
    case OFACT_GROUP:
        put_nx_action(b, NXAST_GROUP);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, a->group_id);
        return 0;
    case OFACT_SET_QUEUE:
        put_nx_action(b, NXAST_SET_QUEUE);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, a->queue_id);
        return 0;
    case OFACT_DEC_NW_TTL:
        put_nx_action(b, NXAST_DEC_TTL);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFACT_PUSH_MPLS:
    case OFACT_POP_MPLS:
        put_nx_action(b, a->type == OFACT_PUSH_MPLS ? NXAST_PUSH_MPLS
                                                     : NXAST_POP_MPLS);
        ofpbuf_put_be16(b, a->ethertype);
        ofpbuf_put_zeros(b, 4);
        return 0;
    case OFACT_SET_MPLS_TTL:
        put_nx_action(b, NXAST_SET_MPLS_TTL);
        ofpbuf_put_u8(b, a->ttl);
        ofpbuf_put_zeros(b, 5);
        return 0;
    case OFACT_DEC_MPLS_TTL:
        put_nx_action(b, NXAST_DEC_MPLS_TTL);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFACT_SET_NW_TTL:
        put_nx_reg_load(b, NXM_NX_IP_TTL_HEADER, 8, a->ttl);
        return 0;
    case OFACT_SET_FIELD: {
        const struct ofact_set_field *sf = &a->set_field;
        const struct mf_info *mf = mf_info(sf->field);
        if (sf->masked || !mf || mf->width > 8) {
            return OFPERR_OFPBAC_BAD_SET_TYPE;
        }
        uint64_t v = sf_uint(sf);
        if (sf->field == MFF_MPLS_LABEL) {
            put_nx_action(b, NXAST_SET_MPLS_LABEL);
            ofpbuf_put_zeros(b, 2);
            ofpbuf_put_be32(b, v);
        } else if (sf->field == MFF_MPLS_TC) {
            put_nx_action(b, NXAST_SET_MPLS_TC);
            ofpbuf_put_u8(b, v);
            ofpbuf_put_zeros(b, 5);
        } else {
            put_nx_reg_load(b, mf_nxm_header(sf->field), mf->n_bits, v);
        }
        return 0;
    }
    default:
        return OFPERR_OFPBAC_BAD_TYPE;
    }
}

static enum ofperr
encode_action_of10(const struct ofact *a, struct ofpbuf *b)
{
    uint16_t port16;
    switch (a->type) {
    case OFACT_OUTPUT:
        if (!ofp_port_to_of10(a->output.port, &port16)) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        put_action_header(b, OFPAT10_OUTPUT, 8);
        ofpbuf_put_be16(b, port16);
        ofpbuf_put_be16(b, a->output.max_len);
        return 0;
    case OFACT_ENQUEUE:
        if (!ofp_port_to_of10(a->enqueue.port, &port16)) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        put_action_header(b, OFPAT10_ENQUEUE, 16);
        ofpbuf_put_be16(b, port16);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_put_be32(b, a->enqueue.queue_id);
        return 0;
    case OFACT_POP_VLAN:
        put_action_header(b, OFPAT10_STRIP_VLAN, 8);
        ofpbuf_put_zeros(b, 4);
        return 0;
    case OFACT_SET_FIELD: {
        enum ofperr error = encode_set_field_of10(&a->set_field, b);
        return error == OFPERR_OFPBAC_BAD_SET_TYPE ? encode_nx_action(a, b)
                                                   : error;
    }
    default:
        return encode_nx_action(a, b);
    }
}

static void
put_set_field(struct ofpbuf *b, const struct ofact_set_field *sf)
{
    const struct mf_info *mf = mf_info(sf->field);
    size_t start = b->size;
    put_action_header(b, OFPAT_SET_FIELD, 0);
    ofpbuf_put_be32(b, ((uint32_t) mf->oxm_class << 16)
                       | (mf->oxm_field << 9) | (sf->masked << 8)
                       | (mf->width * (sf->masked ? 2 : 1)));
    ofpbuf_put(b, sf->value, mf->width);
    if (sf->masked) {
        ofpbuf_put(b, sf->mask, mf->width);
    }
    ofpbuf_pad(b, start, 8);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

static enum ofperr
encode_action_of13(const struct ofact *a, uint8_t version, struct ofpbuf *b)
{
    switch (a->type) {
    case OFACT_OUTPUT:
        put_action_header(b, OFPAT_OUTPUT, 16);
        ofpbuf_put_be32(b, a->output.port);
        ofpbuf_put_be16(b, a->output.max_len);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFACT_ENQUEUE:
        /* OF1.1+: set-queue then output. */
        put_action32(b, OFPAT_SET_QUEUE, a->enqueue.queue_id);
        put_action_header(b, OFPAT_OUTPUT, 16);
        ofpbuf_put_be32(b, a->enqueue.port);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFACT_GROUP:
        put_action32(b, OFPAT_GROUP, a->group_id);
        return 0;
    case OFACT_SET_FIELD: {
        const struct mf_info *mf = mf_info(a->set_field.field);
        if (!mf || !mf->settable || mf->min_version > version
            || (a->set_field.masked && version < OFP15_VERSION)) {
            return OFPERR_OFPBAC_BAD_SET_TYPE;
        }
        put_set_field(b, &a->set_field);
        return 0;
    }
    case OFACT_PUSH_VLAN:
        put_action16(b, OFPAT_PUSH_VLAN, a->ethertype);
        return 0;
    case OFACT_POP_VLAN:
        put_action32(b, OFPAT_POP_VLAN, 0);
        return 0;
    case OFACT_PUSH_MPLS:
        put_action16(b, OFPAT_PUSH_MPLS, a->ethertype);
        return 0;
    case OFACT_POP_MPLS:
        put_action16(b, OFPAT_POP_MPLS, a->ethertype);
        return 0;
    case OFACT_SET_MPLS_TTL:
        put_action8(b, OFPAT_SET_MPLS_TTL, a->ttl);
        return 0;
    case OFACT_DEC_MPLS_TTL:
        put_action32(b, OFPAT_DEC_MPLS_TTL, 0);
        return 0;
    case OFACT_SET_NW_TTL:
        put_action8(b, OFPAT_SET_NW_TTL, a->ttl);
        return 0;
    case OFACT_DEC_NW_TTL:
        put_action32(b, OFPAT_DEC_NW_TTL, 0);
        return 0;
    case OFACT_COPY_TTL_OUT:
        put_action32(b, OFPAT_COPY_TTL_OUT, 0);
        return 0;
    case OFACT_COPY_TTL_IN:
        put_action32(b, OFPAT_COPY_TTL_IN, 0);
        return 0;
    case OFACT_SET_QUEUE:
        put_action32(b, OFPAT_SET_QUEUE, a->queue_id);
        return 0;
    case OFACT_PUSH_PBB:
        put_action16(b, OFPAT_PUSH_PBB, a->ethertype);
        return 0;
    case OFACT_POP_PBB:
        put_action32(b, OFPAT_POP_PBB, 0);
        return 0;
    case OFACT_METER:
        if (version < OFP15_VERSION) {
            return OFPERR_OFPBAC_BAD_TYPE;
        }
        put_action32(b, OFPAT_METER, a->meter_id);
        return 0;
    case OFACT_N_TYPES:
        break;
    }
    return OFPERR_OFPBAC_BAD_TYPE;
}

enum ofperr
ofacts_encode(const struct ofacts *l, uint8_t version, struct ofpbuf *b)
{
    for (size_t i = 0; i < l->n; i++) {
        enum ofperr error = version == OFP10_VERSION
                            ? encode_action_of10(&l->acts[i], b)
                            : encode_action_of13(&l->acts[i], version, b);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* ---- Instructions ----------------------------------------------------- */

enum ofperr
ofinsts_decode(struct ofpr *r, uint8_t version, uint8_t table_id,
               struct ofinsts *is)
{
    while (r->left) {
        if (r->left < 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(r->p);
        uint16_t len = ofp_get_be16(r->p + 2);
        if (len < 8 || len % 8 || len > r->left) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        const uint8_t *p = ofpr_pull(r, len);
        uint32_t bit;
        switch (type) {
        case OFPIT_GOTO_TABLE: bit = OFINST_GOTO_TABLE; break;
        case OFPIT_WRITE_METADATA: bit = OFINST_WRITE_METADATA; break;
        case OFPIT_WRITE_ACTIONS: bit = OFINST_WRITE_ACTIONS; break;
        case OFPIT_APPLY_ACTIONS: bit = OFINST_APPLY_ACTIONS; break;
        case OFPIT_CLEAR_ACTIONS: bit = OFINST_CLEAR_ACTIONS; break;
        case OFPIT_METER: bit = OFINST_METER; break;
        case OFPIT_EXPERIMENTER:
            return OFPERR_OFPBIC_BAD_EXPERIMENTER;
        default:
            return OFPERR_OFPBIC_UNKNOWN_INST;
        }
        if (is->present & bit) {
            return version >= OFP14_VERSION ? OFPERR_OFPBIC_DUP_INST
                                            : OFPERR_OFPBIC_UNSUP_INST;
        }
        is->present |= bit;
        struct ofpr acts;
        enum ofperr error;
        switch (type) {
        case OFPIT_GOTO_TABLE:
            if (len != 8) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            is->goto_table = p[4];
            if (p[4] == 0xff || (table_id != 0xff && p[4] <= table_id)) {
                return OFPERR_OFPBIC_BAD_TABLE_ID;
            }
            break;
        case OFPIT_WRITE_METADATA:
            if (len != 24) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            is->metadata = ofp_get_be64(p + 8);
            is->metadata_mask = ofp_get_be64(p + 16);
            break;
        case OFPIT_WRITE_ACTIONS:
        case OFPIT_APPLY_ACTIONS:
            ofpr_init(&acts, p + 8, len - 8);
            error = ofacts_decode(&acts, version,
                                  type == OFPIT_WRITE_ACTIONS ? &is->write
                                                              : &is->apply);
            if (error) {
                return error;
            }
            break;
        case OFPIT_CLEAR_ACTIONS:
            if (len != 8) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            break;
        case OFPIT_METER:
            if (len != 8) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            is->meter_id = ofp_get_be32(p + 4);
            break;
        }
    }
    return 0;
}

static size_t
start_instruction(struct ofpbuf *b, uint16_t type)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 8);
    ofpbuf_put_zeros(b, 4);
    return start;
}

enum ofperr
ofinsts_encode(const struct ofinsts *is, uint8_t version, struct ofpbuf *b)
{
    size_t start;
    enum ofperr error;
    bool meter_action = (is->present & OFINST_METER)
                        && version >= OFP15_VERSION;

    if ((is->present & OFINST_METER) && !meter_action) {
        start = start_instruction(b, OFPIT_METER);
        ofpbuf_set_be32(b, start + 4, is->meter_id);
    }
    if ((is->present & OFINST_APPLY_ACTIONS) || meter_action) {
        start = start_instruction(b, OFPIT_APPLY_ACTIONS);
        if (meter_action) {
            put_action32(b, OFPAT_METER, is->meter_id);
        }
        error = ofacts_encode(&is->apply, version, b);
        if (error) {
            return error;
        }
        ofpbuf_set_be16(b, start + 2, b->size - start);
    }
    if (is->present & OFINST_CLEAR_ACTIONS) {
        start_instruction(b, OFPIT_CLEAR_ACTIONS);
    }
    if (is->present & OFINST_WRITE_ACTIONS) {
        start = start_instruction(b, OFPIT_WRITE_ACTIONS);
        error = ofacts_encode(&is->write, version, b);
        if (error) {
            return error;
        }
        ofpbuf_set_be16(b, start + 2, b->size - start);
    }
    if (is->present & OFINST_WRITE_METADATA) {
        start = start_instruction(b, OFPIT_WRITE_METADATA);
        ofpbuf_put_be64(b, is->metadata);
        ofpbuf_put_be64(b, is->metadata_mask);
        ofpbuf_set_be16(b, start + 2, 24);
    }
    if (is->present & OFINST_GOTO_TABLE) {
        start = start_instruction(b, OFPIT_GOTO_TABLE);
        b->data[start + 4] = is->goto_table;
    }
    return 0;
}

/* OpenFlow 1.0 has nothing but an action list.  As Open vSwitch does, two
 * instructions travel in it as Nicira actions after the apply-actions:
 * write_metadata as NXAST_WRITE_METADATA and goto_table as "resubmit(,T)"
 * (NXAST_RESUBMIT_TABLE from the input port), in that order; meter,
 * clear-actions and write-actions have no OpenFlow 1.0 form and are left
 * out.  Returns the OFINST_* bit that action 'p' ('len' bytes) stands for,
 * or 0 for an ordinary action. */
static uint32_t
of10_instruction_bit(const uint8_t *p, size_t len)
{
    if (len < 16 || ofp_get_be16(p) != OFPAT10_VENDOR
        || ofp_get_be32(p + 4) != NX_VENDOR) {
        return 0;
    }
    uint16_t subtype = ofp_get_be16(p + 8);
    return subtype == NXAST_WRITE_METADATA ? OFINST_WRITE_METADATA
           : subtype == NXAST_RESUBMIT_TABLE ? OFINST_GOTO_TABLE : 0;
}

/* Decodes an OpenFlow 1.0 action list into 'is' (see above).  A resubmit
 * that is not the last action or not from the input port into a given
 * table has no instruction equivalent: OFPBAC_UNSUPPORTED_ORDER or
 * OFPBAC_BAD_EXP_TYPE; so has an action after write_metadata. */
static enum ofperr
decode_insts_of10(struct ofpr *r, struct ofinsts *is)
{
    const uint32_t after = OFINST_WRITE_METADATA | OFINST_GOTO_TABLE;
    is->present |= OFINST_APPLY_ACTIONS;
    while (r->left) {
        if (r->left < 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t len = ofp_get_be16(r->p + 2);
        if (len < 8 || len % 8 || len > r->left) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint32_t bit = of10_instruction_bit(r->p, len);
        if ((is->present & OFINST_GOTO_TABLE)
            || (!bit && (is->present & after)) || (is->present & bit)) {
            return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
        }
        struct ofpr one;
        ofpr_sub(r, len, &one);
        if (!bit) {
            enum ofperr error = ofacts_decode(&one, OFP10_VERSION,
                                              &is->apply);
            if (error) {
                return error;
            }
            continue;
        }
        const uint8_t *p = one.p;
        if (bit == OFINST_WRITE_METADATA) {
            if (len != 32) {
                return OFPERR_OFPBAC_BAD_LEN;
            }
            is->metadata = ofp_get_be64(p + 16);
            is->metadata_mask = ofp_get_be64(p + 24);
        } else {
            if (len != 16) {
                return OFPERR_OFPBAC_BAD_LEN;
            }
            if (ofp_get_be16(p + 10) != OFPP10_IN_PORT || p[12] == 0xff) {
                return OFPERR_OFPBAC_BAD_EXP_TYPE;
            }
            is->goto_table = p[12];
        }
        is->present |= bit;
    }
    return 0;
}

/* Encodes 'is' as an OpenFlow 1.0 action list (see above). */
static enum ofperr
encode_insts_of10(const struct ofinsts *is, struct ofpbuf *b)
{
    enum ofperr error = ofacts_encode(&is->apply, OFP10_VERSION, b);
    if (error) {
        return error;
    }
    if (is->present & OFINST_WRITE_METADATA) {
        put_action_header(b, OFPAT10_VENDOR, 32);
        ofpbuf_put_be32(b, NX_VENDOR);
        ofpbuf_put_be16(b, NXAST_WRITE_METADATA);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_put_be64(b, is->metadata);
        ofpbuf_put_be64(b, is->metadata_mask);
    }
    if (is->present & OFINST_GOTO_TABLE) {
        put_nx_action(b, NXAST_RESUBMIT_TABLE);
        ofpbuf_put_be16(b, OFPP10_IN_PORT);
        ofpbuf_put_u8(b, is->goto_table);
        ofpbuf_put_zeros(b, 3);
    }
    return 0;
}

enum ofperr
ofinsts_decode_any(struct ofpr *r, uint8_t version, uint8_t table_id,
                   struct ofinsts *is)
{
    if (version == OFP10_VERSION) {
        return decode_insts_of10(r, is);
    }
    enum ofperr error = ofinsts_decode(r, version, table_id, is);
    if (!error && version >= OFP15_VERSION && is->apply.n
        && is->apply.acts[0].type == OFACT_METER
        && !(is->present & OFINST_METER)) {
        /* Lift a leading meter action into the meter slot. */
        is->present |= OFINST_METER;
        is->meter_id = is->apply.acts[0].meter_id;
        memmove(is->apply.acts, is->apply.acts + 1,
                (is->apply.n - 1) * sizeof *is->apply.acts);
        is->apply.n--;
        if (!is->apply.n) {
            is->present &= ~OFINST_APPLY_ACTIONS;
        }
    }
    return error;
}

enum ofperr
ofinsts_encode_any(const struct ofinsts *is, uint8_t version,
                   struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        return encode_insts_of10(is, b);
    }
    return ofinsts_encode(is, version, b);
}

/* ---- Consistency ------------------------------------------------------ */

enum ofperr
ofacts_check(const struct ofacts *l, const struct ofmatch *match)
{
    struct ofmatch m;
    if (match) {
        m = *match;
    } else {
        ofmatch_init(&m);
    }
    for (size_t i = 0; i < l->n; i++) {
        const struct ofact *a = &l->acts[i];
        switch (a->type) {
        case OFACT_SET_FIELD:
            if (!a->set_field.legacy
                && !ofmatch_field_prereqs_ok(&m, a->set_field.field)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            if (!a->set_field.masked) {
                ofmatch_set(&m, a->set_field.field, a->set_field.value, NULL);
            }
            break;
        case OFACT_PUSH_VLAN:
            ofmatch_set_uint(&m, MFF_VLAN_VID, OFPVID_PRESENT);
            break;
        case OFACT_POP_VLAN:
            ofmatch_clear(&m, MFF_VLAN_VID);
            ofmatch_clear(&m, MFF_VLAN_PCP);
            break;
        case OFACT_PUSH_MPLS:
            ofmatch_set_uint(&m, MFF_ETH_TYPE, a->ethertype);
            break;
        case OFACT_POP_MPLS:
            if (!ofmatch_field_prereqs_ok(&m, MFF_MPLS_LABEL)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            ofmatch_set_uint(&m, MFF_ETH_TYPE, a->ethertype);
            break;
        case OFACT_SET_MPLS_TTL: case OFACT_DEC_MPLS_TTL:
            if (!ofmatch_field_prereqs_ok(&m, MFF_MPLS_LABEL)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            break;
        case OFACT_SET_NW_TTL: case OFACT_DEC_NW_TTL:
            if (!ofmatch_field_prereqs_ok(&m, MFF_IP_PROTO)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}
