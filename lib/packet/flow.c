/* flow.c: see flow.h. */
#include <config.h>
#include "packet/flow.h"

#include <string.h>

static inline uint16_t
get_be16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

static inline uint32_t
get_be32(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16
           | (uint32_t) p[2] << 8 | p[3];
}

static void
parse_l4(const uint8_t *p, const uint8_t *end, const uint8_t *data,
         struct flow_key *key)
{
    ptrdiff_t left = end - p;
    key->l4_ofs = p - data;
    switch (key->nw_proto) {
    case 6:     /* TCP */
        if (left >= 20) {
            memcpy(&key->tp_src, p, 2);
            memcpy(&key->tp_dst, p + 2, 2);
            key->tcp_flags = ((p[12] & 0x0f) << 8) | p[13];
        }
        break;
    case 17:    /* UDP */
    case 132:   /* SCTP */
        if (left >= 8) {
            memcpy(&key->tp_src, p, 2);
            memcpy(&key->tp_dst, p + 2, 2);
        }
        break;
    case 1:     /* ICMP */
        if (left >= 4) {
            key->icmp_type = p[0];
            key->icmp_code = p[1];
        }
        break;
    case 58:    /* ICMPv6 */
        if (left < 4) {
            break;
        }
        key->icmp_type = p[0];
        key->icmp_code = p[1];
        if ((p[0] == 135 || p[0] == 136) && p[1] == 0 && left >= 24) {
            memcpy(key->nd_target, p + 8, 16);
            const uint8_t *o = p + 24;
            while (end - o >= 8 && o[1]) {
                size_t olen = o[1] * 8;
                if (end - o < (ptrdiff_t) olen) {
                    break;
                }
                if (o[0] == 1 && p[0] == 135 && olen == 8) {
                    memcpy(key->arp_sha.ea, o + 2, 6);
                } else if (o[0] == 2 && p[0] == 136 && olen == 8) {
                    memcpy(key->arp_tha.ea, o + 2, 6);
                }
                o += olen;
            }
        }
        break;
    default:
        break;
    }
}

static void
parse_ipv6(const uint8_t *p, const uint8_t *end, const uint8_t *data,
           struct flow_key *key)
{
    key->ipv6_label = get_be32(p) & 0xfffff;
    key->nw_tos = (get_be16(p) >> 4) & 0xff;
    key->nw_ttl = p[7];
    memcpy(key->ipv6_src, p + 8, 16);
    memcpy(key->ipv6_dst, p + 24, 16);
    uint8_t next = p[6];
    p += 40;
    uint16_t seen = 0;
    for (;;) {
        uint16_t bit = 0;
        switch (next) {
        case 0: bit = FLOW_IEH_HOP; break;
        case 43: bit = FLOW_IEH_ROUTER; break;
        case 60: bit = FLOW_IEH_DEST; break;
        case 51: bit = FLOW_IEH_AUTH; break;
        case 44: bit = FLOW_IEH_FRAG; break;
        case 50: bit = FLOW_IEH_ESP; break;
        case 59: bit = FLOW_IEH_NONEXT; break;
        default: break;
        }
        if (!bit) {
            break;
        }
        if (seen & bit) {
            key->ipv6_exthdr |= FLOW_IEH_UNREP;
        }
        seen |= bit;
        key->ipv6_exthdr |= bit;
        if (next == 50 || next == 59 || end - p < 8) {
            key->nw_proto = next;
            return;
        }
        if (next == 44) {
            key->nw_frag = FLOW_FRAG_ANY;
            if (get_be16(p + 2) & 0xfff8) {
                key->nw_frag |= FLOW_FRAG_LATER;
            }
            next = p[0];
            p += 8;
            if (key->nw_frag & FLOW_FRAG_LATER) {
                key->nw_proto = next;
                return;
            }
            continue;
        }
        size_t hlen = next == 51 ? (p[1] + 2) * 4 : (p[1] + 1) * 8;
        next = p[0];
        if (end - p < (ptrdiff_t) hlen) {
            key->nw_proto = next;
            return;
        }
        p += hlen;
    }
    if (!seen) {
        key->ipv6_exthdr = FLOW_IEH_NONEXT;
    }
    key->nw_proto = next;
    parse_l4(p, end, data, key);
}

bool
flow_parse(const void *data_, size_t len, struct flow_key *key)
{
    const uint8_t *data = data_;
    const uint8_t *end = data + len;

    memset(key, 0, sizeof *key);
    if (len < 14) {
        return false;
    }
    memcpy(key->dl_dst.ea, data, 6);
    memcpy(key->dl_src.ea, data + 6, 6);
    const uint8_t *p = data + 12;
    uint16_t type = get_be16(p);
    p += 2;
    if ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD)
        && end - p >= 4) {
        key->vlan_tci = get_be16(p) | FLOW_VLAN_CFI;
        type = get_be16(p + 2);
        p += 4;
        if ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD)
            && end - p >= 4) {
            key->vlan_tci2 = get_be16(p) | FLOW_VLAN_CFI;
            type = get_be16(p + 2);
            p += 4;
        }
        /* Deeper tags: skip them, the outer two decide. */
        while ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD)
               && end - p >= 4) {
            type = get_be16(p + 2);
            p += 4;
        }
    }
    key->dl_type = type;

    if (type == ETH_TYPE_MPLS || type == ETH_TYPE_MPLS_MCAST) {
        if (end - p >= 4) {
            key->l2_5_ofs = p - data;
            key->mpls_lse = get_be32(p);
        }
        return true;
    }
    if (type == ETH_TYPE_PBB) {
        if (end - p >= 4) {
            uint32_t itag = get_be32(p);
            key->pbb_isid = itag & 0xffffff;
            key->pbb_uca = (itag >> 27) & 1;
        }
        return true;
    }

    key->l3_ofs = p - data;
    if (type == ETH_TYPE_IP && end - p >= 20) {
        unsigned int ihl = (p[0] & 0x0f) * 4;
        if ((p[0] >> 4) != 4 || ihl < 20 || end - p < (ptrdiff_t) ihl) {
            return true;
        }
        key->nw_tos = p[1];
        key->nw_ttl = p[8];
        key->nw_proto = p[9];
        memcpy(&key->nw_src, p + 12, 4);
        memcpy(&key->nw_dst, p + 16, 4);
        uint16_t frag = get_be16(p + 6);
        if (frag & 0x3fff) {
            key->nw_frag = FLOW_FRAG_ANY;
            if (frag & 0x1fff) {
                key->nw_frag |= FLOW_FRAG_LATER;
            }
        }
        p += ihl;
        if (!(key->nw_frag & FLOW_FRAG_LATER)) {
            parse_l4(p, end, data, key);
        }
    } else if (type == ETH_TYPE_IPV6 && end - p >= 40) {
        parse_ipv6(p, end, data, key);
    } else if (type == ETH_TYPE_ARP && end - p >= 28) {
        if (get_be16(p) == 1 && get_be16(p + 2) == ETH_TYPE_IP
            && p[4] == 6 && p[5] == 4) {
            key->arp_op = get_be16(p + 6);
            memcpy(key->arp_sha.ea, p + 8, 6);
            memcpy(&key->nw_src, p + 14, 4);
            memcpy(key->arp_tha.ea, p + 18, 6);
            memcpy(&key->nw_dst, p + 24, 4);
            /* nw_proto mirrors the low byte of the opcode, as the
             * OpenFlow 1.0 match defines it. */
            key->nw_proto = key->arp_op <= 0xff ? key->arp_op : 0;
        }
    }
    return true;
}
