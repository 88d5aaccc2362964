/* flow.h: parsing a packet once into a flow key.
 *
 * The key holds every header field a forwarding decision may look at: the
 * learning switch (Ethernet addresses, outer 802.1Q tag, EtherType) and the
 * OpenFlow pipeline (every OpenFlow 1.3 OXM basic field: ARP, IPv4/IPv6
 * with ND, ICMPv4/v6, MPLS, PBB, plus pipeline metadata: in_port,
 * metadata, tunnel_id, registers).
 *
 * The key is a flat array of 64-bit words without holes of undefined
 * content (flow_parse() zeroes it first), so the classifier can mask, hash
 * and compare it word by word: FLOW_KEY_WORDS words.  Byte order is given
 * per field; addresses and L4 ports stay in network order, small integer
 * fields are in host order.
 *
 * Pure functions; any thread. */
#ifndef OVSNFV_FLOW_H
#define OVSNFV_FLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "packet/eth-addr.h"
#include "util/hash.h"

struct flow_key {
    /* Pipeline metadata (not parsed from the packet). */
    uint64_t metadata;          /* OpenFlow metadata, host order. */
    uint64_t tunnel_id;         /* Host order; 0 (no tunnels yet). */
    uint32_t in_port;           /* OpenFlow port number. */
    uint32_t in_phy_port;       /* Same as in_port (no logical ports). */
    uint32_t regs[8];           /* Nicira registers, host order. */

    /* L2. */
    struct eth_addr dl_dst;
    struct eth_addr dl_src;
    uint16_t vlan_tci;          /* Host order; 0 = untagged.  The CFI bit
                                 * (0x1000) is set for tagged frames, so
                                 * the low 13 bits are OpenFlow's VLAN_VID. */
    uint16_t dl_type;           /* Host order, inner EtherType. */
    uint16_t vlan_tci2;         /* Second (inner) tag of a QinQ frame, same
                                 * form; 0 if none. */
    uint16_t arp_op;            /* Host order. */
    uint32_t mpls_lse;          /* Top MPLS label stack entry, host order:
                                 * label 31..12, TC 11..9, BOS 8, TTL 7..0. */
    uint32_t pbb_isid;          /* Host order, 24 bits. */
    uint8_t pbb_uca;
    uint8_t nw_frag;            /* FLOW_FRAG_* bits. */

    /* L3. */
    uint8_t nw_proto;
    uint8_t nw_ttl;             /* IPv4 TTL / IPv6 hop limit. */
    uint8_t nw_tos;             /* DSCP (high 6 bits) and ECN (low 2). */
    uint8_t icmp_type;          /* ICMPv4 or ICMPv6. */
    uint8_t icmp_code;
    uint8_t pad0;
    uint32_t nw_src, nw_dst;    /* IPv4 or ARP SPA/TPA, network order. */
    uint32_t ipv6_label;        /* Host order, 20 bits. */
    uint16_t ipv6_exthdr;       /* OFPIEH_* bits, host order. */
    uint16_t tcp_flags;         /* Host order, 12 bits. */
    uint8_t ipv6_src[16];
    uint8_t ipv6_dst[16];
    uint8_t nd_target[16];
    struct eth_addr arp_sha;    /* ARP SHA or ND SLL. */
    struct eth_addr arp_tha;    /* ARP THA or ND TLL. */

    /* L4. */
    uint16_t tp_src, tp_dst;    /* TCP/UDP/SCTP ports, network order. */

    /* Parse results (never matched). */
    uint16_t l3_ofs;            /* Offset of the L3 header, 0 if none. */
    uint16_t l4_ofs;            /* Offset of the L4 header, 0 if none. */
    uint16_t l2_5_ofs;          /* Offset of the MPLS stack, 0 if none. */
    uint16_t pad1[3];
};

#define FLOW_KEY_WORDS (sizeof(struct flow_key) / 8)
_Static_assert(sizeof(struct flow_key) % 8 == 0, "flow_key not word sized");

#define FLOW_VLAN_CFI 0x1000
#define FLOW_VLAN_VID_MASK 0x0fff
#define FLOW_VLAN_PCP_SHIFT 13

/* nw_frag bits. */
#define FLOW_FRAG_ANY 1         /* Any fragment. */
#define FLOW_FRAG_LATER 2       /* A fragment other than the first. */

/* ipv6_exthdr bits (OpenFlow OFPIEH_*). */
#define FLOW_IEH_NONEXT 1
#define FLOW_IEH_ESP 2
#define FLOW_IEH_AUTH 4
#define FLOW_IEH_DEST 8
#define FLOW_IEH_FRAG 16
#define FLOW_IEH_ROUTER 32
#define FLOW_IEH_HOP 64
#define FLOW_IEH_UNREP 128
#define FLOW_IEH_UNSEQ 256

#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_IPV6 0x86dd
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_VLAN_8021AD 0x88a8
#define ETH_TYPE_MPLS 0x8847
#define ETH_TYPE_MPLS_MCAST 0x8848
#define ETH_TYPE_PBB 0x88e7

/* Parses the 'len' bytes at 'data' (the first segment of a packet) into
 * 'key' (the metadata part - in_port, metadata, registers - is left 0).
 * Returns false if the frame is shorter than an Ethernet header (the key is
 * then undefined). */
bool flow_parse(const void *data, size_t len, struct flow_key *key);

/* Parses only the Ethernet addresses, the outer 802.1Q tag and the
 * EtherType after the tags of the frame at 'data' into 'key'; every other
 * field of 'key' is left as it was.  For the learning switch, which looks
 * at nothing else.  Returns false if the frame is shorter than an Ethernet
 * header. */
static inline bool
flow_parse_l2(const void *data_, size_t len, struct flow_key *key)
{
    const uint8_t *data = data_;
    if (len < 14) {
        return false;
    }
    memcpy(key->dl_dst.ea, data, 6);
    memcpy(key->dl_src.ea, data + 6, 6);
    uint16_t type = (uint16_t) (data[12] << 8 | data[13]);
    key->vlan_tci = 0;
    if ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD) && len >= 18) {
        key->vlan_tci = (uint16_t) (data[14] << 8 | data[15]) | FLOW_VLAN_CFI;
        type = (uint16_t) (data[16] << 8 | data[17]);
    }
    key->dl_type = type;
    return true;
}

static inline uint16_t
flow_vid(const struct flow_key *key)
{
    return key->vlan_tci & FLOW_VLAN_VID_MASK;
}

/* True if 'k' is an IPv4 or IPv6 fragment, the first one included. */
static inline bool
flow_is_ip_fragment(const struct flow_key *k)
{
    return (k->dl_type == ETH_TYPE_IP || k->dl_type == ETH_TYPE_IPV6)
           && k->nw_frag & FLOW_FRAG_ANY;
}

/* OpenFlow's "normal" fragment handling: the tables see the transport
 * fields of every fragment, the first one's too, as 0. */
static inline void
flow_zero_l4_fields(struct flow_key *k)
{
    k->tp_src = k->tp_dst = 0;
    k->icmp_type = k->icmp_code = 0;
    k->tcp_flags = 0;
    if (k->dl_type == ETH_TYPE_IPV6) {
        memset(k->nd_target, 0, sizeof k->nd_target);
        memset(&k->arp_sha, 0, sizeof k->arp_sha);
        memset(&k->arp_tha, 0, sizeof k->arp_tha);
    }
}

static inline const uint64_t *
flow_key_words(const struct flow_key *key)
{
    return (const uint64_t *) key;
}

/* Hash of 'key' under 'mask' over the 'n' word indexes in 'words' (the
 * nonzero words of 'mask'): the hash of a classifier subtable. */
static inline uint32_t
flow_hash_masked(const struct flow_key *key, const struct flow_key *mask,
                 const uint8_t *words, unsigned int n)
{
    const uint64_t *k = flow_key_words(key), *m = flow_key_words(mask);
    uint64_t h = n;
    for (unsigned int i = 0; i < n; i++) {
        unsigned int w = words[i];
        h = hash_mix64(h ^ (k[w] & m[w]) ^ ((uint64_t) w << 56));
    }
    return (uint32_t) (h ^ (h >> 32));
}

/* True if 'key' under 'mask' equals 'value' (already masked) on the 'n'
 * word indexes in 'words'. */
static inline bool
flow_equal_masked(const struct flow_key *key, const struct flow_key *mask,
                  const struct flow_key *value, const uint8_t *words,
                  unsigned int n)
{
    const uint64_t *k = flow_key_words(key), *m = flow_key_words(mask);
    const uint64_t *v = flow_key_words(value);
    uint64_t diff = 0;
    for (unsigned int i = 0; i < n; i++) {
        unsigned int w = words[i];
        diff |= (k[w] & m[w]) ^ v[w];
    }
    return !diff;
}

#endif
