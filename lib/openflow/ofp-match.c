/* ofp-match.c: version-independent matches and their OXM, NXM and OpenFlow
 * 1.0 encodings. */
#include <config.h>

#include "openflow/ofp-match.h"

#include <string.h>
#include "openflow/ofp-buf.h"
#include "util/hash.h"
#include "util/util.h"

#define NXM_OF 0        /* NXM class 0: NXM_OF_* fields. */
#define NXM_NX 1        /* NXM class 1: NXM_NX_* fields. */

/* NXM_OF_* field numbers that need a conversion (not 1:1 with OXM). */
#define NXM_OF_IN_PORT 0
#define NXM_OF_VLAN_TCI 4
#define NXM_OF_IP_TOS 5

#define F(ID, NAME, OXM, W, BITS, MASK, SET, MINV, NC, NF) \
    [ID] = { NAME, OXM, W, BITS, MASK, SET, OFPXMC_OPENFLOW_BASIC, ID, MINV, \
             NC, NF }
#define NX(ID, NAME, W, BITS, MASK, SET, NF) \
    [ID] = { NAME, NAME, W, BITS, MASK, SET, OFPXMC_NXM_1, NF, 0x01, \
             NXM_NX, NF }

static const struct mf_info mf_infos[MFF_N_FIELDS] = {
    F(MFF_IN_PORT, "in_port", "in_port", 4, 32, false, false, 4, -1, 0),
    F(MFF_IN_PHY_PORT, "in_phy_port", "in_phy_port", 4, 32, false, false, 4,
      -1, 0),
    F(MFF_METADATA, "metadata", "metadata", 8, 64, true, true, 4, -1, 0),
    F(MFF_ETH_DST, "dl_dst", "eth_dst", 6, 48, true, true, 4, NXM_OF, 1),
    F(MFF_ETH_SRC, "dl_src", "eth_src", 6, 48, true, true, 4, NXM_OF, 2),
    F(MFF_ETH_TYPE, "dl_type", "eth_type", 2, 16, false, true, 4, NXM_OF, 3),
    F(MFF_VLAN_VID, "vlan_vid", "vlan_vid", 2, 13, true, true, 4, -1, 0),
    F(MFF_VLAN_PCP, "dl_vlan_pcp", "vlan_pcp", 1, 3, false, true, 4, -1, 0),
    F(MFF_IP_DSCP, "ip_dscp", "ip_dscp", 1, 6, false, true, 4, -1, 0),
    F(MFF_IP_ECN, "nw_ecn", "ip_ecn", 1, 2, false, true, 4, NXM_NX, 28),
    F(MFF_IP_PROTO, "nw_proto", "ip_proto", 1, 8, false, true, 4, NXM_OF, 6),
    F(MFF_IPV4_SRC, "nw_src", "ipv4_src", 4, 32, true, true, 4, NXM_OF, 7),
    F(MFF_IPV4_DST, "nw_dst", "ipv4_dst", 4, 32, true, true, 4, NXM_OF, 8),
    F(MFF_TCP_SRC, "tcp_src", "tcp_src", 2, 16, true, true, 4, NXM_OF, 9),
    F(MFF_TCP_DST, "tcp_dst", "tcp_dst", 2, 16, true, true, 4, NXM_OF, 10),
    F(MFF_UDP_SRC, "udp_src", "udp_src", 2, 16, true, true, 4, NXM_OF, 11),
    F(MFF_UDP_DST, "udp_dst", "udp_dst", 2, 16, true, true, 4, NXM_OF, 12),
    F(MFF_SCTP_SRC, "sctp_src", "sctp_src", 2, 16, true, true, 4, -1, 0),
    F(MFF_SCTP_DST, "sctp_dst", "sctp_dst", 2, 16, true, true, 4, -1, 0),
    F(MFF_ICMPV4_TYPE, "icmp_type", "icmpv4_type", 1, 8, false, true, 4,
      NXM_OF, 13),
    F(MFF_ICMPV4_CODE, "icmp_code", "icmpv4_code", 1, 8, false, true, 4,
      NXM_OF, 14),
    F(MFF_ARP_OP, "arp_op", "arp_op", 2, 16, false, true, 4, NXM_OF, 15),
    F(MFF_ARP_SPA, "arp_spa", "arp_spa", 4, 32, true, true, 4, NXM_OF, 16),
    F(MFF_ARP_TPA, "arp_tpa", "arp_tpa", 4, 32, true, true, 4, NXM_OF, 17),
    F(MFF_ARP_SHA, "arp_sha", "arp_sha", 6, 48, true, true, 4, NXM_NX, 17),
    F(MFF_ARP_THA, "arp_tha", "arp_tha", 6, 48, true, true, 4, NXM_NX, 18),
    F(MFF_IPV6_SRC, "ipv6_src", "ipv6_src", 16, 128, true, true, 4, NXM_NX,
      19),
    F(MFF_IPV6_DST, "ipv6_dst", "ipv6_dst", 16, 128, true, true, 4, NXM_NX,
      20),
    F(MFF_IPV6_FLABEL, "ipv6_label", "ipv6_flabel", 4, 20, true, true, 4,
      NXM_NX, 27),
    F(MFF_ICMPV6_TYPE, "icmpv6_type", "icmpv6_type", 1, 8, false, true, 4,
      NXM_NX, 21),
    F(MFF_ICMPV6_CODE, "icmpv6_code", "icmpv6_code", 1, 8, false, true, 4,
      NXM_NX, 22),
    F(MFF_IPV6_ND_TARGET, "nd_target", "ipv6_nd_target", 16, 128, false, true,
      4, NXM_NX, 23),
    F(MFF_IPV6_ND_SLL, "nd_sll", "ipv6_nd_sll", 6, 48, false, true, 4,
      NXM_NX, 24),
    F(MFF_IPV6_ND_TLL, "nd_tll", "ipv6_nd_tll", 6, 48, false, true, 4,
      NXM_NX, 25),
    F(MFF_MPLS_LABEL, "mpls_label", "mpls_label", 4, 20, false, true, 4, -1,
      0),
    F(MFF_MPLS_TC, "mpls_tc", "mpls_tc", 1, 3, false, true, 4, -1, 0),
    F(MFF_MPLS_BOS, "mpls_bos", "mpls_bos", 1, 1, false, true, 4, -1, 0),
    F(MFF_PBB_ISID, "pbb_isid", "pbb_isid", 3, 24, true, true, 4, -1, 0),
    F(MFF_TUNNEL_ID, "tun_id", "tunnel_id", 8, 64, true, true, 4, NXM_NX, 16),
    F(MFF_IPV6_EXTHDR, "ipv6_exthdr", "ipv6_exthdr", 2, 9, true, false, 4, -1,
      0),
    F(MFF_PBB_UCA, "pbb_uca", "pbb_uca", 1, 1, false, true, 5, -1, 0),
    F(MFF_TCP_FLAGS, "tcp_flags", "tcp_flags", 2, 12, true, false, 6, NXM_NX,
      34),
    F(MFF_ACTSET_OUTPUT, "actset_output", "actset_output", 4, 32, false,
      false, 6, -1, 0),
    F(MFF_PACKET_TYPE, "packet_type", "packet_type", 4, 32, false, false, 6,
      -1, 0),
    NX(MFF_NX_IP_TTL, "nw_ttl", 1, 8, false, true, 29),
    NX(MFF_NX_IP_FRAG, "nw_frag", 1, 2, true, false, 26),
    NX(MFF_NX_REG0, "reg0", 4, 32, true, true, 0),
    NX(MFF_NX_REG1, "reg1", 4, 32, true, true, 1),
    NX(MFF_NX_REG2, "reg2", 4, 32, true, true, 2),
    NX(MFF_NX_REG3, "reg3", 4, 32, true, true, 3),
    NX(MFF_NX_REG4, "reg4", 4, 32, true, true, 4),
    NX(MFF_NX_REG5, "reg5", 4, 32, true, true, 5),
    NX(MFF_NX_REG6, "reg6", 4, 32, true, true, 6),
    NX(MFF_NX_REG7, "reg7", 4, 32, true, true, 7),
};

const struct mf_info *
mf_info(enum mf_field field)
{
    if ((int) field < 0 || field >= MFF_N_FIELDS || !mf_infos[field].name) {
        return NULL;
    }
    return &mf_infos[field];
}

unsigned int
mf_width(enum mf_field field)
{
    const struct mf_info *mf = mf_info(field);
    return mf ? mf->width : 0;
}

int
mf_from_name(const char *name)
{
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (mf_infos[f].name && (!strcmp(name, mf_infos[f].name)
                                 || !strcmp(name, mf_infos[f].oxm_name))) {
            return f;
        }
    }
    return -1;
}

/* Finds the field with OXM class 'class' and number 'field'; -1 if none. */
static int
mf_from_oxm(uint16_t class, uint8_t field)
{
    if (class == OFPXMC_OPENFLOW_BASIC) {
        return field < MFF_N_FIELDS && mf_infos[field].name
               && mf_infos[field].oxm_class == OFPXMC_OPENFLOW_BASIC
               ? field : -1;
    }
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (mf_infos[f].name && mf_infos[f].nxm_class == class
            && mf_infos[f].nxm_field == field) {
            return f;
        }
    }
    return -1;
}

int
mf_from_header(uint32_t header)
{
    uint16_t class = header >> 16;
    uint8_t field = (header >> 9) & 0x7f;
    unsigned int len = header & 0xff;
    if ((header >> 8) & 1) {
        len /= 2;
    }
    if (class == OFPXMC_NXM_0 && (field == NXM_OF_IN_PORT
                                  || field == NXM_OF_VLAN_TCI
                                  || field == NXM_OF_IP_TOS)) {
        return -1;
    }
    int f = mf_from_oxm(class, field);
    return f >= 0 && mf_infos[f].width == len ? f : -1;
}

uint32_t
mf_nxm_header(enum mf_field f)
{
    const struct mf_info *mf = &mf_infos[f];
    if (mf->nxm_class >= 0) {
        return ((uint32_t) mf->nxm_class << 16) | (mf->nxm_field << 9)
               | mf->width;
    }
    return ((uint32_t) mf->oxm_class << 16) | (mf->oxm_field << 9) | mf->width;
}

/* ---- Basic operations ------------------------------------------------- */

void
ofmatch_init(struct ofmatch *m)
{
    memset(m, 0, sizeof *m);
}

bool
ofmatch_is_masked(const struct ofmatch *m, enum mf_field f)
{
    return ofmatch_has(m, f) && !bytes_all_ones(m->f[f].mask, mf_width(f));
}

void
ofmatch_set(struct ofmatch *m, enum mf_field f, const void *value,
            const void *mask)
{
    unsigned int w = mf_width(f);
    if (!w) {
        return;
    }
    struct ofmatch_field *mf = &m->f[f];
    memset(mf, 0, sizeof *mf);
    if (mask) {
        memcpy(mf->mask, mask, w);
        /* A mask that covers every significant bit is an exact match. */
        unsigned int extra = w * 8 - mf_infos[f].n_bits;
        bool full = true;
        for (unsigned int bit = extra; bit < w * 8 && full; bit++) {
            full = mf->mask[bit / 8] & (0x80 >> (bit % 8));
        }
        if (full) {
            memset(mf->mask, 0xff, w);
        }
    } else {
        memset(mf->mask, 0xff, w);
    }
    const uint8_t *v = value;
    for (unsigned int i = 0; i < w; i++) {
        mf->value[i] = v[i] & mf->mask[i];
    }
    if (bytes_all_zero(mf->mask, w)) {
        ofmatch_clear(m, f);
    } else {
        m->present |= UINT64_C(1) << f;
    }
}

static void
uint_to_bytes(uint64_t v, uint8_t *p, unsigned int w)
{
    for (int i = w - 1; i >= 0; i--) {
        p[i] = v;
        v >>= 8;
    }
}

static uint64_t
bytes_to_uint(const uint8_t *p, unsigned int w)
{
    uint64_t v = 0;
    for (unsigned int i = 0; i < w && i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

void
ofmatch_set_uint(struct ofmatch *m, enum mf_field f, uint64_t value)
{
    ofmatch_set_uint_masked(m, f, value, UINT64_MAX);
}

void
ofmatch_set_uint_masked(struct ofmatch *m, enum mf_field f, uint64_t value,
                        uint64_t mask)
{
    unsigned int w = mf_width(f);
    if (!w || w > 8) {
        return;
    }
    uint8_t v[8], k[8];
    uint_to_bytes(value, v, w);
    uint_to_bytes(mask, k, w);
    ofmatch_set(m, f, v, k);
}

bool
ofmatch_get_uint(const struct ofmatch *m, enum mf_field f, uint64_t *value,
                 uint64_t *mask)
{
    unsigned int w = mf_width(f);
    bool has = w && w <= 8 && ofmatch_has(m, f);
    if (value) {
        *value = has ? bytes_to_uint(m->f[f].value, w) : 0;
    }
    if (mask) {
        *mask = has ? bytes_to_uint(m->f[f].mask, w) : 0;
    }
    return has;
}

void
ofmatch_clear(struct ofmatch *m, enum mf_field f)
{
    if ((int) f >= 0 && f < MFF_N_FIELDS) {
        m->present &= ~(UINT64_C(1) << f);
        memset(&m->f[f], 0, sizeof m->f[f]);
    }
}

bool
ofmatch_equal(const struct ofmatch *a, const struct ofmatch *b)
{
    if (a->present != b->present) {
        return false;
    }
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (ofmatch_has(a, f)
            && memcmp(&a->f[f], &b->f[f], sizeof a->f[f])) {
            return false;
        }
    }
    return true;
}

uint32_t
ofmatch_hash(const struct ofmatch *m, uint32_t basis)
{
    uint32_t h = hash_bytes(&m->present, sizeof m->present, basis);
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (ofmatch_has(m, f)) {
            h = hash_bytes(&m->f[f], sizeof m->f[f], h);
        }
    }
    return h;
}

unsigned int
ofmatch_n_fields(const struct ofmatch *m)
{
    return __builtin_popcountll(m->present);
}

/* ---- Validation ------------------------------------------------------- */

/* True if field 'f' is present exactly with value 'v'. */
static bool
has_exact(const struct ofmatch *m, enum mf_field f, uint64_t v)
{
    uint64_t value, mask;
    unsigned int w = mf_width(f);
    uint64_t ones = w >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * w)) - 1;
    return ofmatch_get_uint(m, f, &value, &mask) && mask == ones
           && value == v;
}

static bool
is_ip(const struct ofmatch *m)
{
    return has_exact(m, MFF_ETH_TYPE, 0x0800)
           || has_exact(m, MFF_ETH_TYPE, 0x86dd);
}

static bool
is_ipv4(const struct ofmatch *m)
{
    return has_exact(m, MFF_ETH_TYPE, 0x0800);
}

static bool
is_ipv6(const struct ofmatch *m)
{
    return has_exact(m, MFF_ETH_TYPE, 0x86dd);
}

/* True if the prerequisites of field 'f' hold in 'm'. */
static bool
prereqs_ok(const struct ofmatch *m, enum mf_field f)
{
    switch (f) {
    case MFF_IN_PHY_PORT:
        return ofmatch_has(m, MFF_IN_PORT);
    case MFF_VLAN_PCP: {
        uint64_t v, k;
        return ofmatch_get_uint(m, MFF_VLAN_VID, &v, &k)
               && (v & OFPVID_PRESENT) && (k & OFPVID_PRESENT);
    }
    case MFF_IP_DSCP: case MFF_IP_ECN: case MFF_IP_PROTO: case MFF_NX_IP_TTL:
    case MFF_NX_IP_FRAG:
        return is_ip(m);
    case MFF_IPV4_SRC: case MFF_IPV4_DST:
        return is_ipv4(m);
    case MFF_TCP_SRC: case MFF_TCP_DST: case MFF_TCP_FLAGS:
        return is_ip(m) && has_exact(m, MFF_IP_PROTO, 6);
    case MFF_UDP_SRC: case MFF_UDP_DST:
        return is_ip(m) && has_exact(m, MFF_IP_PROTO, 17);
    case MFF_SCTP_SRC: case MFF_SCTP_DST:
        return is_ip(m) && has_exact(m, MFF_IP_PROTO, 132);
    case MFF_ICMPV4_TYPE: case MFF_ICMPV4_CODE:
        return is_ipv4(m) && has_exact(m, MFF_IP_PROTO, 1);
    case MFF_ARP_OP: case MFF_ARP_SPA: case MFF_ARP_TPA: case MFF_ARP_SHA:
    case MFF_ARP_THA:
        return has_exact(m, MFF_ETH_TYPE, 0x0806);
    case MFF_IPV6_SRC: case MFF_IPV6_DST: case MFF_IPV6_FLABEL:
    case MFF_IPV6_EXTHDR:
        return is_ipv6(m);
    case MFF_ICMPV6_TYPE: case MFF_ICMPV6_CODE:
        return is_ipv6(m) && has_exact(m, MFF_IP_PROTO, 58);
    case MFF_IPV6_ND_TARGET:
        return is_ipv6(m) && has_exact(m, MFF_IP_PROTO, 58)
               && (has_exact(m, MFF_ICMPV6_TYPE, 135)
                   || has_exact(m, MFF_ICMPV6_TYPE, 136));
    case MFF_IPV6_ND_SLL:
        return is_ipv6(m) && has_exact(m, MFF_IP_PROTO, 58)
               && has_exact(m, MFF_ICMPV6_TYPE, 135);
    case MFF_IPV6_ND_TLL:
        return is_ipv6(m) && has_exact(m, MFF_IP_PROTO, 58)
               && has_exact(m, MFF_ICMPV6_TYPE, 136);
    case MFF_MPLS_LABEL: case MFF_MPLS_TC: case MFF_MPLS_BOS:
        return has_exact(m, MFF_ETH_TYPE, 0x8847)
               || has_exact(m, MFF_ETH_TYPE, 0x8848);
    case MFF_PBB_ISID: case MFF_PBB_UCA:
        return has_exact(m, MFF_ETH_TYPE, 0x88e7);
    default:
        return true;
    }
}

bool
ofmatch_field_prereqs_ok(const struct ofmatch *m, enum mf_field f)
{
    return prereqs_ok(m, f);
}

enum ofperr
ofmatch_check_prereqs(const struct ofmatch *m)
{
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (ofmatch_has(m, f) && !prereqs_ok(m, f)) {
            return OFPERR_OFPBMC_BAD_PREREQ;
        }
    }
    return 0;
}

/* True if 'value' (mf_width(f) bytes) has no bits above the field's width. */
static bool
value_in_range(enum mf_field f, const uint8_t *value)
{
    const struct mf_info *mf = mf_info(f);
    unsigned int extra = mf->width * 8 - mf->n_bits;
    for (unsigned int bit = 0; bit < extra; bit++) {
        if (value[bit / 8] & (0x80 >> (bit % 8))) {
            return false;
        }
    }
    return true;
}

enum ofperr
ofmatch_validate(const struct ofmatch *m)
{
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (!ofmatch_has(m, f)) {
            continue;
        }
        const struct mf_info *mf = mf_info(f);
        if (!mf) {
            return OFPERR_OFPBMC_BAD_FIELD;
        }
        if (!mf->maskable && !bytes_all_ones(m->f[f].mask, mf->width)) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        if (!value_in_range(f, m->f[f].value)) {
            return OFPERR_OFPBMC_BAD_VALUE;
        }
    }
    return ofmatch_check_prereqs(m);
}

/* ---- OXM / NXM -------------------------------------------------------- */

/* Adds one decoded TLV (field 'f', 'hasmask', payload 'p' of the right
 * length) to 'm' with the checks common to OXM and NXM. */
static enum ofperr
add_tlv(struct ofmatch *m, int f, bool hasmask, const uint8_t *p,
        uint64_t *seen)
{
    const struct mf_info *mf = mf_info(f);
    unsigned int w = mf->width;

    if (*seen & (UINT64_C(1) << f)) {
        return OFPERR_OFPBMC_DUP_FIELD;
    }
    *seen |= UINT64_C(1) << f;
    if (hasmask) {
        if (!mf->maskable) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        for (unsigned int i = 0; i < w; i++) {
            if (p[i] & ~p[w + i]) {
                return OFPERR_OFPBMC_BAD_WILDCARDS;
            }
        }
        if (!value_in_range(f, p + w)) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
    }
    if (!value_in_range(f, p)) {
        return OFPERR_OFPBMC_BAD_VALUE;
    }
    if (hasmask) {
        ofmatch_set(m, f, p, p + w);
    } else {
        ofmatch_set(m, f, p, NULL);
    }
    return 0;
}

/* NXM_OF_IN_PORT: 16-bit port. */
static enum ofperr
add_nxm_in_port(struct ofmatch *m, bool hasmask, const uint8_t *p,
                uint64_t *seen)
{
    if (hasmask) {
        return OFPERR_OFPBMC_BAD_MASK;
    }
    uint8_t v[4];
    ofp_put_be32(v, ofp_port_from_of10(ofp_get_be16(p)));
    return add_tlv(m, MFF_IN_PORT, false, v, seen);
}

/* NXM_OF_VLAN_TCI (maskable 16 bits: PCP(3) CFI(1) VID(12)) -> VLAN_VID
 * (CFI is OFPVID_PRESENT) and VLAN_PCP. */
static enum ofperr
add_nxm_vlan_tci(struct ofmatch *m, bool hasmask, const uint8_t *p,
                 uint64_t *seen)
{
    uint16_t tci = ofp_get_be16(p);
    uint16_t mask = hasmask ? ofp_get_be16(p + 2) : 0xffff;
    uint64_t bits = (UINT64_C(1) << MFF_VLAN_VID) | (UINT64_C(1) << MFF_VLAN_PCP);
    if (*seen & bits) {
        return OFPERR_OFPBMC_DUP_FIELD;
    }
    *seen |= bits;
    if (tci & ~mask) {
        return OFPERR_OFPBMC_BAD_WILDCARDS;
    }
    uint16_t pcp_mask = mask >> 13;
    if (pcp_mask != 0 && pcp_mask != 7) {
        return OFPERR_OFPBMC_BAD_MASK;
    }
    uint16_t vid_mask = mask & 0x1fff;
    ofmatch_set_uint_masked(m, MFF_VLAN_VID, tci & 0x1fff,
                            vid_mask == 0x1fff ? 0xffff : vid_mask);
    if (pcp_mask && (tci & OFPVID_PRESENT)) {
        ofmatch_set_uint(m, MFF_VLAN_PCP, tci >> 13);
    } else if (pcp_mask && (tci >> 13)) {
        return OFPERR_OFPBMC_BAD_PREREQ;
    }
    return 0;
}

/* NXM_OF_IP_TOS: the DSCP bits of the TOS byte. */
static enum ofperr
add_nxm_ip_tos(struct ofmatch *m, bool hasmask, const uint8_t *p,
               uint64_t *seen)
{
    if (hasmask) {
        return OFPERR_OFPBMC_BAD_MASK;
    }
    if (p[0] & 3) {
        return OFPERR_OFPBMC_BAD_VALUE;
    }
    uint8_t dscp = p[0] >> 2;
    return add_tlv(m, MFF_IP_DSCP, false, &dscp, seen);
}

/* Decodes TLVs; 'nxm' allows the NXM classes and their special fields. */
static enum ofperr
decode_tlvs(struct ofpr *r, uint8_t version, bool nxm, struct ofmatch *m)
{
    uint64_t seen = 0;

    ofmatch_init(m);
    while (r->left) {
        uint32_t header;
        if (!ofpr_be32(r, &header)) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        uint16_t class = header >> 16;
        uint8_t field = (header >> 9) & 0x7f;
        bool hasmask = (header >> 8) & 1;
        uint8_t len = header & 0xff;
        const uint8_t *p;

        if (class == OFPXMC_EXPERIMENTER) {
            /* Experimenter OXM: skip its payload only if well-formed, but
             * no experimenter fields are supported. */
            return len < 4 || r->left < len ? OFPERR_OFPBMC_BAD_LEN
                                            : OFPERR_OFPBMC_BAD_FIELD;
        }
        p = ofpr_pull(r, len);
        if (!p) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        int f;
        enum ofperr error;
        if (nxm && class == NXM_OF && field == NXM_OF_IN_PORT) {
            if (len != 2) {
                return OFPERR_OFPBMC_BAD_LEN;
            }
            error = add_nxm_in_port(m, hasmask, p, &seen);
        } else if (nxm && class == NXM_OF && field == NXM_OF_VLAN_TCI) {
            if (len != (hasmask ? 4 : 2)) {
                return OFPERR_OFPBMC_BAD_LEN;
            }
            error = add_nxm_vlan_tci(m, hasmask, p, &seen);
        } else if (nxm && class == NXM_OF && field == NXM_OF_IP_TOS) {
            if (len != 1 + hasmask) {
                return OFPERR_OFPBMC_BAD_LEN;
            }
            error = add_nxm_ip_tos(m, hasmask, p, &seen);
        } else {
            if (class == OFPXMC_OPENFLOW_BASIC) {
                f = mf_from_oxm(class, field);
            } else if (class == OFPXMC_NXM_0 || class == OFPXMC_NXM_1) {
                f = nxm || version >= OFP12_VERSION
                    ? mf_from_oxm(class, field) : -1;
            } else {
                f = -1;
            }
            if (f < 0 || (class == OFPXMC_OPENFLOW_BASIC
                          && version != OFP10_VERSION
                          && mf_infos[f].min_version > version)) {
                return OFPERR_OFPBMC_BAD_FIELD;
            }
            if (len != mf_infos[f].width * (hasmask ? 2 : 1)) {
                return OFPERR_OFPBMC_BAD_LEN;
            }
            error = add_tlv(m, f, hasmask, p, &seen);
        }
        if (error) {
            return error;
        }
    }
    return ofmatch_check_prereqs(m);
}

enum ofperr
ofmatch_decode_oxm_fields(struct ofpr *r, uint8_t version, struct ofmatch *m)
{
    return decode_tlvs(r, version, false, m);
}

enum ofperr
ofmatch_decode_oxm(struct ofpr *r, uint8_t version, struct ofmatch *m)
{
    uint16_t type, length;
    struct ofpr start = *r;
    if (!ofpr_be16(r, &type) || !ofpr_be16(r, &length)) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (type != 1) {            /* OFPMT_OXM */
        return OFPERR_OFPBMC_BAD_TYPE;
    }
    size_t padded = ROUND_UP((size_t) length, 8);
    if (length < 4 || start.left < padded) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    struct ofpr fields;
    ofpr_sub(r, length - 4, &fields);
    ofpr_skip(r, padded - length);
    return decode_tlvs(&fields, version, false, m);
}

static void
put_tlv(struct ofpbuf *b, uint16_t class, uint8_t field,
        const uint8_t *value, const uint8_t *mask, unsigned int w)
{
    bool hasmask = mask != NULL;
    ofpbuf_put_be32(b, ((uint32_t) class << 16) | (field << 9)
                       | (hasmask << 8) | (w * (hasmask ? 2 : 1)));
    ofpbuf_put(b, value, w);
    if (hasmask) {
        ofpbuf_put(b, mask, w);
    }
}

size_t
ofmatch_encode_oxm_fields(const struct ofmatch *m, struct ofpbuf *b)
{
    size_t start = b->size;
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (!ofmatch_has(m, f)) {
            continue;
        }
        const struct mf_info *mf = &mf_infos[f];
        put_tlv(b, mf->oxm_class, mf->oxm_field, m->f[f].value,
                ofmatch_is_masked(m, f) ? m->f[f].mask : NULL, mf->width);
    }
    return b->size - start;
}

void
ofmatch_encode_oxm(const struct ofmatch *m, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 1);      /* OFPMT_OXM */
    ofpbuf_put_be16(b, 0);
    size_t n = ofmatch_encode_oxm_fields(m, b);
    ofpbuf_set_be16(b, start + 2, 4 + n);
    ofpbuf_pad(b, start, 8);
}

enum ofperr
ofmatch_decode_nxm(struct ofpr *r, struct ofmatch *m)
{
    return decode_tlvs(r, OFP10_VERSION, true, m);
}

size_t
ofmatch_encode_nxm(const struct ofmatch *m, struct ofpbuf *b)
{
    size_t start = b->size;
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (!ofmatch_has(m, f)) {
            continue;
        }
        const struct mf_info *mf = &mf_infos[f];
        const uint8_t *mask = ofmatch_is_masked(m, f) ? m->f[f].mask : NULL;
        uint16_t port10;
        if (f == MFF_IN_PORT
            && ofp_port_to_of10(ofp_get_be32(m->f[f].value), &port10)) {
            uint8_t v[2];
            ofp_put_be16(v, port10);
            put_tlv(b, NXM_OF, NXM_OF_IN_PORT, v, NULL, 2);
        } else if (f == MFF_VLAN_VID) {
            uint64_t vid, vid_mask, pcp = 0, pcp_mask = 0;
            ofmatch_get_uint(m, MFF_VLAN_VID, &vid, &vid_mask);
            ofmatch_get_uint(m, MFF_VLAN_PCP, &pcp, &pcp_mask);
            uint16_t tci = (pcp << 13) | vid;
            uint16_t tmask = (pcp_mask ? 0xe000 : 0) | (vid_mask & 0x1fff);
            uint8_t v[2], k[2];
            ofp_put_be16(v, tci);
            ofp_put_be16(k, tmask);
            put_tlv(b, NXM_OF, NXM_OF_VLAN_TCI, v,
                    tmask == 0xffff ? NULL : k, 2);
        } else if (f == MFF_VLAN_PCP && ofmatch_has(m, MFF_VLAN_VID)) {
            /* Written with VLAN_VID. */
        } else if (f == MFF_IP_DSCP) {
            uint8_t tos = m->f[f].value[0] << 2;
            put_tlv(b, NXM_OF, NXM_OF_IP_TOS, &tos, NULL, 1);
        } else if (mf->nxm_class >= 0) {
            put_tlv(b, mf->nxm_class, mf->nxm_field, m->f[f].value, mask,
                    mf->width);
        } else {
            put_tlv(b, mf->oxm_class, mf->oxm_field, m->f[f].value, mask,
                    mf->width);
        }
    }
    return b->size - start;
}

/* ---- OpenFlow 1.0 ----------------------------------------------------- */

uint32_t
ofp_port_from_of10(uint16_t port)
{
    return port >= 0xff00 ? port + 0xffff0000u : port;
}

bool
ofp_port_to_of10(uint32_t port, uint16_t *port10)
{
    if (port < 0xff00) {
        *port10 = port;
        return true;
    }
    if (port >= 0xffffff00u) {
        *port10 = port - 0xffff0000u;
        return true;
    }
    return false;
}

static uint32_t
prefix_mask(unsigned int wild_bits)
{
    return wild_bits >= 32 ? 0 : UINT32_MAX << wild_bits;
}

enum ofperr
ofmatch_decode_of10(const uint8_t p[OFP10_MATCH_LEN], struct ofmatch *m)
{
    uint32_t wc = ofp_get_be32(p);

    ofmatch_init(m);
    if (!(wc & OFPFW10_IN_PORT)) {
        ofmatch_set_uint(m, MFF_IN_PORT,
                         ofp_port_from_of10(ofp_get_be16(p + 4)));
    }
    if (!(wc & OFPFW10_DL_SRC)) {
        ofmatch_set(m, MFF_ETH_SRC, p + 6, NULL);
    }
    if (!(wc & OFPFW10_DL_DST)) {
        ofmatch_set(m, MFF_ETH_DST, p + 12, NULL);
    }
    uint16_t vlan = ofp_get_be16(p + 18);
    uint8_t pcp = p[20];
    if (!(wc & OFPFW10_DL_VLAN)) {
        if (vlan == OFP10_VLAN_NONE) {
            ofmatch_set_uint(m, MFF_VLAN_VID, OFPVID_NONE);
        } else {
            ofmatch_set_uint(m, MFF_VLAN_VID, OFPVID_PRESENT | (vlan & 0xfff));
        }
    }
    if (!(wc & OFPFW10_DL_VLAN_PCP)
        && !((~wc & OFPFW10_DL_VLAN) && vlan == OFP10_VLAN_NONE)) {
        if (wc & OFPFW10_DL_VLAN) {
            ofmatch_set_uint_masked(m, MFF_VLAN_VID, OFPVID_PRESENT,
                                    OFPVID_PRESENT);
        }
        ofmatch_set_uint(m, MFF_VLAN_PCP, pcp & 7);
    }
    if (wc & OFPFW10_DL_TYPE) {
        return 0;
    }
    uint16_t dl_type = ofp_get_be16(p + 22);
    ofmatch_set_uint(m, MFF_ETH_TYPE, dl_type);

    uint32_t src_mask = prefix_mask((wc & OFPFW10_NW_SRC_MASK)
                                    >> OFPFW10_NW_SRC_SHIFT);
    uint32_t dst_mask = prefix_mask((wc & OFPFW10_NW_DST_MASK)
                                    >> OFPFW10_NW_DST_SHIFT);
    uint32_t nw_src = ofp_get_be32(p + 28), nw_dst = ofp_get_be32(p + 32);
    if (dl_type == 0x0800) {
        if (!(wc & OFPFW10_NW_TOS)) {
            ofmatch_set_uint(m, MFF_IP_DSCP, p[24] >> 2);
        }
        ofmatch_set_uint_masked(m, MFF_IPV4_SRC, nw_src, src_mask);
        ofmatch_set_uint_masked(m, MFF_IPV4_DST, nw_dst, dst_mask);
        if (wc & OFPFW10_NW_PROTO) {
            return 0;
        }
        uint8_t proto = p[25];
        ofmatch_set_uint(m, MFF_IP_PROTO, proto);
        enum mf_field src_f, dst_f;
        switch (proto) {
        case 6: src_f = MFF_TCP_SRC; dst_f = MFF_TCP_DST; break;
        case 17: src_f = MFF_UDP_SRC; dst_f = MFF_UDP_DST; break;
        case 1: src_f = MFF_ICMPV4_TYPE; dst_f = MFF_ICMPV4_CODE; break;
        default: return 0;
        }
        uint16_t tp_src = ofp_get_be16(p + 36), tp_dst = ofp_get_be16(p + 38);
        if (proto == 1) {
            tp_src &= 0xff;
            tp_dst &= 0xff;
        }
        if (!(wc & OFPFW10_TP_SRC)) {
            ofmatch_set_uint(m, src_f, tp_src);
        }
        if (!(wc & OFPFW10_TP_DST)) {
            ofmatch_set_uint(m, dst_f, tp_dst);
        }
    } else if (dl_type == 0x0806) {
        if (!(wc & OFPFW10_NW_PROTO)) {
            ofmatch_set_uint(m, MFF_ARP_OP, p[25]);
        }
        ofmatch_set_uint_masked(m, MFF_ARP_SPA, nw_src, src_mask);
        ofmatch_set_uint_masked(m, MFF_ARP_TPA, nw_dst, dst_mask);
    }
    return 0;
}

/* Returns the number of wildcarded low bits of a CIDR mask, or -1. */
static int
cidr_wild_bits(uint32_t mask)
{
    uint32_t inv = ~mask;
    if (inv & (inv + 1)) {
        return -1;
    }
    return __builtin_popcount(inv);
}

enum ofperr
ofmatch_encode_of10(const struct ofmatch *m, uint8_t p[OFP10_MATCH_LEN])
{
    /* "All bits wildcarded" for nw_src/nw_dst is written as 32, the
     * specification's OFPFW_NW_SRC_ALL / OFPFW_NW_DST_ALL. */
    uint32_t wc = (OFPFW10_ALL & ~(OFPFW10_NW_SRC_MASK | OFPFW10_NW_DST_MASK))
                  | (32 << OFPFW10_NW_SRC_SHIFT) | (32 << OFPFW10_NW_DST_SHIFT);
    uint64_t v, k;
    uint64_t handled = 0;

    memset(p, 0, OFP10_MATCH_LEN);
#define HANDLED(F) (handled |= UINT64_C(1) << (F))
    if (ofmatch_get_uint(m, MFF_IN_PORT, &v, NULL)) {
        uint16_t port10;
        if (!ofp_port_to_of10(v, &port10)) {
            return OFPERR_OFPBMC_BAD_VALUE;
        }
        wc &= ~OFPFW10_IN_PORT;
        ofp_put_be16(p + 4, port10);
        HANDLED(MFF_IN_PORT);
    }
    if (ofmatch_has(m, MFF_ETH_SRC)) {
        if (ofmatch_is_masked(m, MFF_ETH_SRC)) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        wc &= ~OFPFW10_DL_SRC;
        memcpy(p + 6, m->f[MFF_ETH_SRC].value, 6);
        HANDLED(MFF_ETH_SRC);
    }
    if (ofmatch_has(m, MFF_ETH_DST)) {
        if (ofmatch_is_masked(m, MFF_ETH_DST)) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        wc &= ~OFPFW10_DL_DST;
        memcpy(p + 12, m->f[MFF_ETH_DST].value, 6);
        HANDLED(MFF_ETH_DST);
    }
    if (ofmatch_get_uint(m, MFF_VLAN_VID, &v, &k)) {
        if (k == 0xffff) {
            wc &= ~OFPFW10_DL_VLAN;
            ofp_put_be16(p + 18, v & OFPVID_PRESENT ? v & 0xfff
                                                    : OFP10_VLAN_NONE);
        } else if (!(k == OFPVID_PRESENT && v == OFPVID_PRESENT
                     && ofmatch_has(m, MFF_VLAN_PCP))) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        HANDLED(MFF_VLAN_VID);
    }
    if (ofmatch_get_uint(m, MFF_VLAN_PCP, &v, NULL)) {
        wc &= ~OFPFW10_DL_VLAN_PCP;
        p[20] = v;
        HANDLED(MFF_VLAN_PCP);
    }
    if (ofmatch_get_uint(m, MFF_ETH_TYPE, &v, NULL)) {
        wc &= ~OFPFW10_DL_TYPE;
        ofp_put_be16(p + 22, v);
        HANDLED(MFF_ETH_TYPE);
    }
    if (ofmatch_get_uint(m, MFF_IP_DSCP, &v, NULL)) {
        wc &= ~OFPFW10_NW_TOS;
        p[24] = v << 2;
        HANDLED(MFF_IP_DSCP);
    }
    if (ofmatch_get_uint(m, MFF_IP_PROTO, &v, NULL)) {
        wc &= ~OFPFW10_NW_PROTO;
        p[25] = v;
        HANDLED(MFF_IP_PROTO);
    }
    if (ofmatch_get_uint(m, MFF_ARP_OP, &v, NULL)) {
        if (v > 0xff) {
            return OFPERR_OFPBMC_BAD_VALUE;
        }
        wc &= ~OFPFW10_NW_PROTO;
        p[25] = v;
        HANDLED(MFF_ARP_OP);
    }
    static const enum mf_field src_fields[] = { MFF_IPV4_SRC, MFF_ARP_SPA };
    static const enum mf_field dst_fields[] = { MFF_IPV4_DST, MFF_ARP_TPA };
    for (int i = 0; i < 2; i++) {
        if (ofmatch_get_uint(m, src_fields[i], &v, &k)) {
            int bits = cidr_wild_bits(k);
            if (bits < 0) {
                return OFPERR_OFPBMC_BAD_NW_ADDR_MASK;
            }
            wc = (wc & ~OFPFW10_NW_SRC_MASK) | (bits << OFPFW10_NW_SRC_SHIFT);
            ofp_put_be32(p + 28, v);
            HANDLED(src_fields[i]);
        }
        if (ofmatch_get_uint(m, dst_fields[i], &v, &k)) {
            int bits = cidr_wild_bits(k);
            if (bits < 0) {
                return OFPERR_OFPBMC_BAD_NW_ADDR_MASK;
            }
            wc = (wc & ~OFPFW10_NW_DST_MASK) | (bits << OFPFW10_NW_DST_SHIFT);
            ofp_put_be32(p + 32, v);
            HANDLED(dst_fields[i]);
        }
    }
    static const enum mf_field tp_src[] = {
        MFF_TCP_SRC, MFF_UDP_SRC, MFF_ICMPV4_TYPE };
    static const enum mf_field tp_dst[] = {
        MFF_TCP_DST, MFF_UDP_DST, MFF_ICMPV4_CODE };
    for (int i = 0; i < 3; i++) {
        if (ofmatch_get_uint(m, tp_src[i], &v, NULL)) {
            wc &= ~OFPFW10_TP_SRC;
            ofp_put_be16(p + 36, v);
            HANDLED(tp_src[i]);
        }
        if (ofmatch_get_uint(m, tp_dst[i], &v, NULL)) {
            wc &= ~OFPFW10_TP_DST;
            ofp_put_be16(p + 38, v);
            HANDLED(tp_dst[i]);
        }
    }
#undef HANDLED
    if (m->present & ~handled) {
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    ofp_put_be32(p, wc);
    return 0;
}
