/* ofkey.c: see ofkey.h. */
#include <config.h>
#include "ofproto/ofkey.h"

#include <stddef.h>
#include <string.h>

enum key_kind {
    KK_NONE,                    /* Not supported. */
    KK_BYTES,                   /* Network-order bytes, same width. */
    KK_UINT,                    /* Host-order integer, maybe a sub-field. */
};

struct key_map {
    enum key_kind kind;
    uint16_t offset;            /* In struct flow_key. */
    uint8_t size;               /* KK_UINT: bytes of the key integer. */
    uint8_t shift;              /* KK_UINT: bit position of the field. */
};

#define B(FIELD) { KK_BYTES, offsetof(struct flow_key, FIELD), 0, 0 }
#define U(FIELD, SHIFT) { KK_UINT, offsetof(struct flow_key, FIELD), \
                          sizeof(((struct flow_key *) 0)->FIELD), SHIFT }

static const struct key_map key_maps[MFF_N_FIELDS] = {
    [MFF_IN_PORT] = U(in_port, 0),
    [MFF_IN_PHY_PORT] = U(in_phy_port, 0),
    [MFF_METADATA] = U(metadata, 0),
    [MFF_ETH_DST] = B(dl_dst),
    [MFF_ETH_SRC] = B(dl_src),
    [MFF_ETH_TYPE] = U(dl_type, 0),
    [MFF_VLAN_VID] = U(vlan_tci, 0),
    [MFF_VLAN_PCP] = U(vlan_tci, FLOW_VLAN_PCP_SHIFT),
    [MFF_IP_DSCP] = U(nw_tos, 2),
    [MFF_IP_ECN] = U(nw_tos, 0),
    [MFF_IP_PROTO] = U(nw_proto, 0),
    [MFF_IPV4_SRC] = B(nw_src),
    [MFF_IPV4_DST] = B(nw_dst),
    [MFF_TCP_SRC] = B(tp_src),
    [MFF_TCP_DST] = B(tp_dst),
    [MFF_UDP_SRC] = B(tp_src),
    [MFF_UDP_DST] = B(tp_dst),
    [MFF_SCTP_SRC] = B(tp_src),
    [MFF_SCTP_DST] = B(tp_dst),
    [MFF_ICMPV4_TYPE] = U(icmp_type, 0),
    [MFF_ICMPV4_CODE] = U(icmp_code, 0),
    [MFF_ARP_OP] = U(arp_op, 0),
    [MFF_ARP_SPA] = B(nw_src),
    [MFF_ARP_TPA] = B(nw_dst),
    [MFF_ARP_SHA] = B(arp_sha),
    [MFF_ARP_THA] = B(arp_tha),
    [MFF_IPV6_SRC] = B(ipv6_src),
    [MFF_IPV6_DST] = B(ipv6_dst),
    [MFF_IPV6_FLABEL] = U(ipv6_label, 0),
    [MFF_ICMPV6_TYPE] = U(icmp_type, 0),
    [MFF_ICMPV6_CODE] = U(icmp_code, 0),
    [MFF_IPV6_ND_TARGET] = B(nd_target),
    [MFF_IPV6_ND_SLL] = B(arp_sha),
    [MFF_IPV6_ND_TLL] = B(arp_tha),
    [MFF_MPLS_LABEL] = U(mpls_lse, 12),
    [MFF_MPLS_TC] = U(mpls_lse, 9),
    [MFF_MPLS_BOS] = U(mpls_lse, 8),
    [MFF_PBB_ISID] = U(pbb_isid, 0),
    [MFF_TUNNEL_ID] = U(tunnel_id, 0),
    [MFF_IPV6_EXTHDR] = U(ipv6_exthdr, 0),
    [MFF_PBB_UCA] = U(pbb_uca, 0),
    [MFF_TCP_FLAGS] = U(tcp_flags, 0),
    [MFF_NX_IP_TTL] = U(nw_ttl, 0),
    [MFF_NX_IP_FRAG] = U(nw_frag, 0),
    [MFF_NX_REG0] = U(regs[0], 0),
    [MFF_NX_REG1] = U(regs[1], 0),
    [MFF_NX_REG2] = U(regs[2], 0),
    [MFF_NX_REG3] = U(regs[3], 0),
    [MFF_NX_REG4] = U(regs[4], 0),
    [MFF_NX_REG5] = U(regs[5], 0),
    [MFF_NX_REG6] = U(regs[6], 0),
    [MFF_NX_REG7] = U(regs[7], 0),
};

/* Field widths on the wire, kept here so that this module does not depend
 * on the codec's tables at run time. */
static const uint8_t field_widths[MFF_N_FIELDS] = {
    [MFF_IN_PORT] = 4, [MFF_IN_PHY_PORT] = 4, [MFF_METADATA] = 8,
    [MFF_ETH_DST] = 6, [MFF_ETH_SRC] = 6, [MFF_ETH_TYPE] = 2,
    [MFF_VLAN_VID] = 2, [MFF_VLAN_PCP] = 1, [MFF_IP_DSCP] = 1,
    [MFF_IP_ECN] = 1, [MFF_IP_PROTO] = 1, [MFF_IPV4_SRC] = 4,
    [MFF_IPV4_DST] = 4, [MFF_TCP_SRC] = 2, [MFF_TCP_DST] = 2,
    [MFF_UDP_SRC] = 2, [MFF_UDP_DST] = 2, [MFF_SCTP_SRC] = 2,
    [MFF_SCTP_DST] = 2, [MFF_ICMPV4_TYPE] = 1, [MFF_ICMPV4_CODE] = 1,
    [MFF_ARP_OP] = 2, [MFF_ARP_SPA] = 4, [MFF_ARP_TPA] = 4,
    [MFF_ARP_SHA] = 6, [MFF_ARP_THA] = 6, [MFF_IPV6_SRC] = 16,
    [MFF_IPV6_DST] = 16, [MFF_IPV6_FLABEL] = 4, [MFF_ICMPV6_TYPE] = 1,
    [MFF_ICMPV6_CODE] = 1, [MFF_IPV6_ND_TARGET] = 16, [MFF_IPV6_ND_SLL] = 6,
    [MFF_IPV6_ND_TLL] = 6, [MFF_MPLS_LABEL] = 4, [MFF_MPLS_TC] = 1,
    [MFF_MPLS_BOS] = 1, [MFF_PBB_ISID] = 3, [MFF_TUNNEL_ID] = 8,
    [MFF_IPV6_EXTHDR] = 2, [MFF_PBB_UCA] = 1, [MFF_TCP_FLAGS] = 2,
    [MFF_ACTSET_OUTPUT] = 4, [MFF_PACKET_TYPE] = 4,
    [MFF_NX_IP_TTL] = 1, [MFF_NX_IP_FRAG] = 1,
    [MFF_NX_REG0] = 4, [MFF_NX_REG1] = 4, [MFF_NX_REG2] = 4,
    [MFF_NX_REG3] = 4, [MFF_NX_REG4] = 4, [MFF_NX_REG5] = 4,
    [MFF_NX_REG6] = 4, [MFF_NX_REG7] = 4,
};

bool
ofkey_field_supported(enum mf_field field)
{
    return field >= 0 && field < MFF_N_FIELDS
           && key_maps[field].kind != KK_NONE;
}

static uint64_t
be_to_uint(const uint8_t *p, unsigned int width)
{
    uint64_t v = 0;
    for (unsigned int i = 0; i < width; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static void
uint_to_be(uint64_t v, uint8_t *p, unsigned int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = v;
        v >>= 8;
    }
}

static uint64_t
key_uint_get(const struct flow_key *key, const struct key_map *km)
{
    const uint8_t *p = (const uint8_t *) key + km->offset;
    switch (km->size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static void
key_uint_put(struct flow_key *key, const struct key_map *km, uint64_t x)
{
    uint8_t *p = (uint8_t *) key + km->offset;
    switch (km->size) {
    case 1: *p = x; break;
    case 2: { uint16_t v = x; memcpy(p, &v, 2); break; }
    case 4: { uint32_t v = x; memcpy(p, &v, 4); break; }
    default: memcpy(p, &x, 8); break;
    }
}

/* ORs 'value' under 'mask' into 'field' of 'v'/'m'. */
static void
put_masked(struct flow_key *v, struct flow_key *m, enum mf_field field,
           const uint8_t *value, const uint8_t *mask)
{
    const struct key_map *km = &key_maps[field];
    unsigned int width = field_widths[field];
    if (km->kind == KK_BYTES) {
        uint8_t *vp = (uint8_t *) v + km->offset;
        uint8_t *mp = (uint8_t *) m + km->offset;
        for (unsigned int i = 0; i < width; i++) {
            mp[i] |= mask[i];
            vp[i] = (vp[i] & ~mask[i]) | (value[i] & mask[i]);
        }
    } else {
        uint64_t fv = be_to_uint(value, width) << km->shift;
        uint64_t fm = be_to_uint(mask, width) << km->shift;
        key_uint_put(m, km, key_uint_get(m, km) | fm);
        key_uint_put(v, km, (key_uint_get(v, km) & ~fm) | (fv & fm));
    }
}

enum ofperr
ofkey_from_match(const struct ofmatch *m, struct flow_key *value,
                 struct flow_key *mask)
{
    memset(value, 0, sizeof *value);
    memset(mask, 0, sizeof *mask);
    for (int f = 0; f < MFF_N_FIELDS; f++) {
        if (!ofmatch_has(m, f)) {
            continue;
        }
        if (!ofkey_field_supported(f)) {
            return OFPERR_OFPBMC_BAD_FIELD;
        }
        put_masked(value, mask, f, m->f[f].value, m->f[f].mask);
    }
    return 0;
}

void
ofkey_get_field(const struct flow_key *key, enum mf_field field,
                uint8_t value[MF_MAX_WIDTH])
{
    memset(value, 0, MF_MAX_WIDTH);
    if (!ofkey_field_supported(field)) {
        return;
    }
    const struct key_map *km = &key_maps[field];
    unsigned int width = field_widths[field];
    if (km->kind == KK_BYTES) {
        memcpy(value, (const uint8_t *) key + km->offset, width);
    } else {
        uint64_t x = key_uint_get(key, km) >> km->shift;
        if (width < 8) {
            x &= (UINT64_C(1) << (8 * width)) - 1;
        }
        /* Sub-fields: keep only the bits below the next field. */
        if (field == MFF_VLAN_VID) {
            x &= 0x1fff;
        } else if (field == MFF_VLAN_PCP || field == MFF_MPLS_TC) {
            x &= 7;
        } else if (field == MFF_IP_DSCP) {
            x &= 0x3f;
        } else if (field == MFF_IP_ECN) {
            x &= 3;
        } else if (field == MFF_MPLS_BOS) {
            x &= 1;
        } else if (field == MFF_MPLS_LABEL) {
            x &= 0xfffff;
        }
        uint_to_be(x, value, width);
    }
}

void
ofkey_set_field(struct flow_key *key, enum mf_field field,
                const uint8_t *value, const uint8_t *mask)
{
    if (!ofkey_field_supported(field)) {
        return;
    }
    static const uint8_t ones[MF_MAX_WIDTH] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    uint8_t m[MF_MAX_WIDTH];
    memcpy(m, mask ? mask : ones, MF_MAX_WIDTH);
    /* Limit an all-ones mask to the field's own bits. */
    unsigned int width = field_widths[field];
    uint64_t bits = 0;
    switch (field) {
    case MFF_VLAN_VID: bits = 0x1fff; break;
    case MFF_VLAN_PCP: case MFF_MPLS_TC: bits = 7; break;
    case MFF_IP_DSCP: bits = 0x3f; break;
    case MFF_IP_ECN: bits = 3; break;
    case MFF_MPLS_BOS: case MFF_PBB_UCA: bits = 1; break;
    case MFF_MPLS_LABEL: case MFF_IPV6_FLABEL: bits = 0xfffff; break;
    default: break;
    }
    if (bits) {
        uint64_t mm = be_to_uint(m, width) & bits;
        uint_to_be(mm, m, width);
    }
    struct flow_key scratch_mask;
    memset(&scratch_mask, 0, sizeof scratch_mask);
    put_masked(key, &scratch_mask, field, value, m);
}
