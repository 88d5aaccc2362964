/* dp-ofpipe.c: executing the compiled OpenFlow pipeline (ofproto/ofpipe.h)
 * on packets, in PMD threads and, for packet-out, in the main thread.
 *
 * Per packet: parse once into a flow key, then table by table: classifier
 * lookup, meter, apply-actions (in order), clear/write the action set,
 * write metadata, goto; at the end the action set runs in the order the
 * OpenFlow 1.3 spec (5.10) prescribes.  The key is kept in step with every
 * header rewrite so later tables match on the rewritten packet.
 *
 * Ownership: an output that may be followed by more actions sends a copy;
 * the last one sends the packet itself.  Outputs go into the per-port
 * batches of the thread's context, which the caller flushes after the
 * burst.  No locks, no allocation besides mbufs. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <time.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include "dpif/dpif-private.h"
#include "dpif/dpif.h"
#include "dpif/flow-cache.h"
#include "netdev/netdev-provider.h"
#include "ofproto/ofkey.h"
#include "ofproto/ofpipe.h"
#include "openflow/ofp-actions.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-group.h"
#include "packet/flow.h"
#include "packet/pkt-meta.h"

/* Action-set slots, in execution order (OpenFlow 1.3, 5.10). */
enum aset_slot {
    AS_COPY_TTL_IN,
    AS_POP_VLAN,
    AS_POP_MPLS,
    AS_POP_PBB,
    AS_PUSH_MPLS,
    AS_PUSH_PBB,
    AS_PUSH_VLAN,
    AS_COPY_TTL_OUT,
    AS_DEC_MPLS_TTL,
    AS_DEC_NW_TTL,
    AS_SET_MPLS_TTL,
    AS_SET_NW_TTL,
    AS_SET_FIELDS,              /* Marker: the set-field slots run here. */
    AS_SET_QUEUE,
    AS_GROUP,
    AS_OUTPUT,
    AS_N_SLOTS
};

struct action_set {
    uint32_t present;                           /* 1 << enum aset_slot. */
    uint64_t sf_present;                        /* 1 << mf_field. */
    const struct ofpipe_act *slot[AS_N_SLOTS];
    const struct ofpipe_act *sf[MFF_N_FIELDS];
};

struct counter_acc;

struct exec {
    struct pmd_ctx *ctx;
    const struct dp_fwd *fwd;
    struct mac_table *macs;
    const struct ofpipe *pipe;
    int in_idx;
    uint32_t now_s;
    const struct ofpipe_rule *rule;     /* Current rule, or NULL. */
    struct flow_key key;
    struct action_set aset;
    int depth;                          /* Group / TABLE nesting. */
    struct counter_acc *acc;            /* Lookup counters, or NULL:
                                         * count directly. */
};

/* OpenFlow counter increments of one burst, summed per counter so that
 * each counter is written once per burst (the counters of thousands of
 * rules do not stay in cache).  Slots are valid when their 'gen' is the
 * burst's, so nothing needs clearing between bursts. */
#define ACC_SLOTS 1024
struct counter_acc {
    uint32_t gen;
    uint32_t n_used;
    uint16_t used[ACC_SLOTS];
    /* Table counters, by table: few tables, hit by every packet. */
    uint16_t n_tables;
    uint8_t tables[OFPIPE_N_TABLES];
    struct {
        uint32_t lookup_id, matched_id;
        uint64_t lookups, matches;
    } table[OFPIPE_N_TABLES];
    struct {
        uint32_t gen;
        uint32_t id;
        uint64_t packets, bytes;
    } slot[ACC_SLOTS];
};

static __thread struct counter_acc acc_storage;

static struct counter_acc *
acc_begin(void)
{
    struct counter_acc *acc = &acc_storage;
    if (!++acc->gen) {
        memset(acc, 0, sizeof *acc);
        acc->gen = 1;
    }
    acc->n_used = 0;
    return acc;
}

static inline void
acc_add(struct pmd_ctx *ctx, struct counter_acc *acc, uint32_t id,
        uint64_t packets, uint64_t bytes)
{
    if (id == OFPIPE_NO_COUNTER) {
        return;
    }
    uint32_t i = (id * 2654435761u) >> 22;     /* 10 bits. */
    for (int probe = 0; probe < 8; probe++, i = (i + 1) & (ACC_SLOTS - 1)) {
        if (acc->slot[i].gen != acc->gen) {
            acc->slot[i].gen = acc->gen;
            acc->slot[i].id = id;
            acc->slot[i].packets = packets;
            acc->slot[i].bytes = bytes;
            acc->used[acc->n_used++] = i;
            return;
        }
        if (acc->slot[i].id == id) {
            acc->slot[i].packets += packets;
            acc->slot[i].bytes += bytes;
            return;
        }
    }
    ofpipe_counter_add(ctx->thread, id, packets, bytes);    /* Crowded. */
}

/* Counts 'n' lookups in table 'a->u16' (OPA_LOOKUP or OPA_MISS). */
static inline void
acc_table(struct counter_acc *acc, const struct ofpipe_act *a, uint64_t n)
{
    uint8_t t = a->u16;
    if (!acc->table[t].lookups) {
        acc->tables[acc->n_tables++] = t;
        acc->table[t].lookup_id = a->ctrs[0];
        acc->table[t].matched_id = a->ctrs[1];
    }
    acc->table[t].lookups += n;
    if (a->type == OPA_LOOKUP) {
        acc->table[t].matches += n;
        acc->table[t].matched_id = a->ctrs[1];
    }
}

static void
acc_flush(struct pmd_ctx *ctx, struct counter_acc *acc)
{
    for (uint16_t k = 0; k < acc->n_tables; k++) {
        uint8_t t = acc->tables[k];
        ofpipe_counter_add(ctx->thread, acc->table[t].lookup_id,
                           acc->table[t].lookups, 0);
        if (acc->table[t].matches) {
            ofpipe_counter_add(ctx->thread, acc->table[t].matched_id,
                               acc->table[t].matches, 0);
        }
        acc->table[t].lookups = acc->table[t].matches = 0;
    }
    acc->n_tables = 0;
    for (uint32_t k = 0; k < acc->n_used; k++) {
        uint32_t i = acc->used[k];
        ofpipe_counter_add(ctx->thread, acc->slot[i].id, acc->slot[i].packets,
                           acc->slot[i].bytes);
    }
    acc->n_used = 0;
}

static void run_pipeline(struct exec *, struct rte_mbuf *, uint8_t table);
static bool exec_actions(struct exec *, struct rte_mbuf *,
                         const struct ofpipe_act *, uint32_t n, bool last);

static bool exec_header_action_keep(struct exec *, struct rte_mbuf *,
                                    const struct ofpipe_act *);

/* ---- Helpers ---- */

static inline uint8_t *
pkt_data(struct rte_mbuf *m)
{
    return rte_pktmbuf_mtod(m, uint8_t *);
}

static struct rte_mbuf *
clone_pkt(struct exec *ex, struct rte_mbuf *m)
{
    struct rte_mbuf *c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
    if (!c) {
        ex->ctx->dropped++;
        return NULL;
    }
    *pkt_meta(c) = *pkt_meta(m);
    return c;
}

/* Returns the packet to hand on: 'm' itself if this is the last use, else
 * a copy (NULL if none could be made). */
static inline struct rte_mbuf *
take(struct exec *ex, struct rte_mbuf *m, bool last)
{
    return last ? m : clone_pkt(ex, m);
}

/* Re-parses the key after a push or pop, keeping the pipeline fields. */
static void
reparse(struct exec *ex, struct rte_mbuf *m)
{
    struct flow_key old = ex->key;
    flow_parse(pkt_data(m), m->data_len, &ex->key);
    ex->key.metadata = old.metadata;
    ex->key.tunnel_id = old.tunnel_id;
    ex->key.in_port = old.in_port;
    ex->key.in_phy_port = old.in_phy_port;
    memcpy(ex->key.regs, old.regs, sizeof old.regs);
}

static void
fix_l3_l4_csum(struct exec *ex, struct rte_mbuf *m)
{
    const struct flow_key *k = &ex->key;
    uint8_t *d = pkt_data(m);
    if (k->dl_type == ETH_TYPE_IP && k->l3_ofs) {
        struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (d + k->l3_ofs);
        ip->hdr_checksum = 0;
        ip->hdr_checksum = rte_ipv4_cksum(ip);
        if (k->l4_ofs && !(k->nw_frag & FLOW_FRAG_ANY)
            && (k->nw_proto == 6 || k->nw_proto == 17)) {
            uint8_t *l4 = d + k->l4_ofs;
            uint16_t *ck = (uint16_t *) (l4 + (k->nw_proto == 6 ? 16 : 6));
            if (k->nw_proto == 17 && !*ck) {
                return;         /* UDP without checksum. */
            }
            *ck = 0;
            uint16_t c = rte_ipv4_udptcp_cksum(ip, l4);
            *ck = k->nw_proto == 17 && !c ? 0xffff : c;
        }
    } else if (k->dl_type == ETH_TYPE_IPV6 && k->l3_ofs && k->l4_ofs
               && (k->nw_proto == 6 || k->nw_proto == 17)) {
        struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *) (d + k->l3_ofs);
        uint8_t *l4 = d + k->l4_ofs;
        uint16_t *ck = (uint16_t *) (l4 + (k->nw_proto == 6 ? 16 : 6));
        *ck = 0;
        uint16_t c = rte_ipv6_udptcp_cksum(ip, l4);
        *ck = k->nw_proto == 17 && !c ? 0xffff : c;
    }
}

static void
put_masked_bytes(uint8_t *dst, const uint8_t *v, const uint8_t *mk, int n)
{
    for (int i = 0; i < n; i++) {
        dst[i] = (dst[i] & ~mk[i]) | (v[i] & mk[i]);
    }
}

/* Writes a set-field into the packet and the key. */
static void
set_field(struct exec *ex, struct rte_mbuf *m, const struct ofpipe_act *a)
{
    struct flow_key *k = &ex->key;
    enum mf_field f = a->field;
    if ((f == MFF_VLAN_VID || f == MFF_VLAN_PCP)
        && !(k->vlan_tci & FLOW_VLAN_CFI)) {
        if (!a->u16) {
            return;             /* No tag to rewrite. */
        }
        /* OpenFlow 1.0 mod_vlan_*: tag the packet first. */
        struct ofpipe_act push = { .type = OPA_PUSH_VLAN,
                                   .u16 = ETH_TYPE_VLAN };
        if (!exec_header_action_keep(ex, m, &push)) {
            return;
        }
    }
    uint8_t *d = pkt_data(m);
    ofkey_set_field(k, f, a->value, a->mask);
    uint8_t *l3 = k->l3_ofs ? d + k->l3_ofs : NULL;
    uint8_t *l4 = k->l4_ofs ? d + k->l4_ofs : NULL;
    bool csum = false;

    switch (f) {
    case MFF_ETH_DST:
        put_masked_bytes(d, a->value, a->mask, 6);
        break;
    case MFF_ETH_SRC:
        put_masked_bytes(d + 6, a->value, a->mask, 6);
        break;
    case MFF_VLAN_VID:
    case MFF_VLAN_PCP:
        if (k->vlan_tci & FLOW_VLAN_CFI) {
            uint16_t tci = (k->vlan_tci & ~FLOW_VLAN_CFI)
                           | (rte_be_to_cpu_16(*(uint16_t *) (d + 14))
                              & FLOW_VLAN_CFI);
            *(uint16_t *) (d + 14) = rte_cpu_to_be_16(tci);
            k->vlan_tci |= FLOW_VLAN_CFI;
        }
        break;
    case MFF_IP_DSCP:
    case MFF_IP_ECN:
        if (k->dl_type == ETH_TYPE_IP && l3) {
            l3[1] = k->nw_tos;
            csum = true;
        } else if (k->dl_type == ETH_TYPE_IPV6 && l3) {
            uint32_t w = rte_be_to_cpu_32(*(uint32_t *) l3);
            w = (w & 0xf00fffff) | ((uint32_t) k->nw_tos << 20);
            *(uint32_t *) l3 = rte_cpu_to_be_32(w);
        }
        break;
    case MFF_NX_IP_TTL:
        if (l3 && k->dl_type == ETH_TYPE_IP) {
            l3[8] = k->nw_ttl;
            csum = true;
        } else if (l3 && k->dl_type == ETH_TYPE_IPV6) {
            l3[7] = k->nw_ttl;
        }
        break;
    case MFF_IPV4_SRC:
        if (l3) {
            memcpy(l3 + 12, &k->nw_src, 4);
            csum = true;
        }
        break;
    case MFF_IPV4_DST:
        if (l3) {
            memcpy(l3 + 16, &k->nw_dst, 4);
            csum = true;
        }
        break;
    case MFF_TCP_SRC: case MFF_UDP_SRC: case MFF_SCTP_SRC:
        if (l4) {
            memcpy(l4, &k->tp_src, 2);
            csum = true;
        }
        break;
    case MFF_TCP_DST: case MFF_UDP_DST: case MFF_SCTP_DST:
        if (l4) {
            memcpy(l4 + 2, &k->tp_dst, 2);
            csum = true;
        }
        break;
    case MFF_ICMPV4_TYPE: case MFF_ICMPV6_TYPE:
        if (l4) {
            l4[0] = k->icmp_type;
        }
        break;
    case MFF_ICMPV4_CODE: case MFF_ICMPV6_CODE:
        if (l4) {
            l4[1] = k->icmp_code;
        }
        break;
    case MFF_ARP_OP:
        if (l3) {
            *(uint16_t *) (l3 + 6) = rte_cpu_to_be_16(k->arp_op);
        }
        break;
    case MFF_ARP_SHA:
        if (l3 && k->dl_type == ETH_TYPE_ARP) {
            memcpy(l3 + 8, k->arp_sha.ea, 6);
        }
        break;
    case MFF_ARP_SPA:
        if (l3) {
            memcpy(l3 + 14, &k->nw_src, 4);
        }
        break;
    case MFF_ARP_THA:
        if (l3 && k->dl_type == ETH_TYPE_ARP) {
            memcpy(l3 + 18, k->arp_tha.ea, 6);
        }
        break;
    case MFF_ARP_TPA:
        if (l3) {
            memcpy(l3 + 24, &k->nw_dst, 4);
        }
        break;
    case MFF_IPV6_SRC:
        if (l3) {
            memcpy(l3 + 8, k->ipv6_src, 16);
            csum = true;
        }
        break;
    case MFF_IPV6_DST:
        if (l3) {
            memcpy(l3 + 24, k->ipv6_dst, 16);
            csum = true;
        }
        break;
    case MFF_IPV6_FLABEL:
        if (l3) {
            uint32_t w = rte_be_to_cpu_32(*(uint32_t *) l3);
            w = (w & 0xfff00000) | k->ipv6_label;
            *(uint32_t *) l3 = rte_cpu_to_be_32(w);
        }
        break;
    case MFF_MPLS_LABEL: case MFF_MPLS_TC: case MFF_MPLS_BOS:
        if (k->l2_5_ofs) {
            uint32_t lse = k->mpls_lse;
            *(uint32_t *) (d + k->l2_5_ofs) = rte_cpu_to_be_32(lse);
        }
        break;
    case MFF_PBB_ISID:
        if (k->dl_type == ETH_TYPE_PBB) {
            uint8_t *it = d + 14 + ((k->vlan_tci & FLOW_VLAN_CFI) ? 4 : 0);
            it[1] = k->pbb_isid >> 16;
            it[2] = k->pbb_isid >> 8;
            it[3] = k->pbb_isid;
        }
        break;
    default:
        /* Pipeline fields (metadata, tunnel_id, registers) and fields
         * without a packet rewrite here (ND options): the key only. */
        break;
    }
    if (csum) {
        fix_l3_l4_csum(ex, m);
    }
}

/* Offset where a new VLAN/MPLS header goes: after the MACs (VLAN) or after
 * all VLAN tags (MPLS). */
static struct rte_mbuf *
insert_bytes(struct rte_mbuf *m, unsigned int at, unsigned int n)
{
    if (rte_pktmbuf_headroom(m) < n || m->nb_segs > 1) {
        return NULL;
    }
    uint8_t *d = (uint8_t *) rte_pktmbuf_prepend(m, n);
    memmove(d, d + n, at);
    return m;
}

static void
remove_bytes(struct rte_mbuf *m, unsigned int at, unsigned int n)
{
    uint8_t *d = pkt_data(m);
    memmove(d + n, d, at);
    rte_pktmbuf_adj(m, n);
}

static unsigned int
l2_len(const struct flow_key *k)
{
    return 14 + ((k->vlan_tci & FLOW_VLAN_CFI) ? 4 : 0)
           + ((k->vlan_tci2 & FLOW_VLAN_CFI) ? 4 : 0);
}

/* Pushes a VLAN tag for set_field without freeing on failure. */
static bool
exec_header_action_keep(struct exec *ex, struct rte_mbuf *m,
                        const struct ofpipe_act *a)
{
    if (!insert_bytes(m, 12, 4)) {
        return false;
    }
    uint8_t *d = pkt_data(m);
    *(uint16_t *) (d + 12) = rte_cpu_to_be_16(a->u16);
    *(uint16_t *) (d + 14) = 0;
    reparse(ex, m);
    return true;
}

/* Executes a header action (not output/group/controller).  Returns false
 * if the packet had to be dropped (it is then freed). */
static bool
exec_header_action(struct exec *ex, struct rte_mbuf *m,
                   const struct ofpipe_act *a)
{
    struct flow_key *k = &ex->key;
    uint8_t *d;
    switch (a->type) {
    case OPA_SET_FIELD:
        set_field(ex, m, a);
        return true;
    case OPA_PUSH_VLAN: {
        uint16_t tci = (k->vlan_tci & FLOW_VLAN_CFI)
                       ? rte_be_to_cpu_16(*(uint16_t *) (pkt_data(m) + 14))
                       : 0;
        if (!insert_bytes(m, 12, 4)) {
            break;
        }
        d = pkt_data(m);
        *(uint16_t *) (d + 12) = rte_cpu_to_be_16(a->u16);
        *(uint16_t *) (d + 14) = rte_cpu_to_be_16(tci);
        reparse(ex, m);
        return true;
    }
    case OPA_POP_VLAN:
        if (k->vlan_tci & FLOW_VLAN_CFI) {
            remove_bytes(m, 12, 4);
            reparse(ex, m);
        }
        return true;
    case OPA_PUSH_MPLS: {
        unsigned int at = l2_len(k);
        uint8_t ttl = k->dl_type == ETH_TYPE_IP
                      || k->dl_type == ETH_TYPE_IPV6 ? k->nw_ttl : 64;
        uint32_t lse;
        if (k->l2_5_ofs) {
            lse = k->mpls_lse & ~0x100u;        /* Copy, BOS 0. */
        } else {
            lse = 0x100u | ttl;                 /* Label 0, BOS 1. */
        }
        if (!insert_bytes(m, at, 4)) {
            break;
        }
        d = pkt_data(m);
        *(uint16_t *) (d + at - 2) = rte_cpu_to_be_16(a->u16);
        *(uint32_t *) (d + at) = rte_cpu_to_be_32(lse);
        reparse(ex, m);
        return true;
    }
    case OPA_POP_MPLS:
        if (k->l2_5_ofs) {
            unsigned int at = k->l2_5_ofs;
            d = pkt_data(m);
            *(uint16_t *) (d + at - 2) = rte_cpu_to_be_16(a->u16);
            remove_bytes(m, at, 4);
            reparse(ex, m);
        }
        return true;
    case OPA_SET_MPLS_TTL:
    case OPA_DEC_MPLS_TTL:
        if (k->l2_5_ofs) {
            uint32_t ttl = k->mpls_lse & 0xff;
            if (a->type == OPA_DEC_MPLS_TTL) {
                if (ttl <= 1) {
                    break;      /* Invalid TTL: drop. */
                }
                ttl--;
            } else {
                ttl = a->u32 & 0xff;
            }
            k->mpls_lse = (k->mpls_lse & ~0xffu) | ttl;
            *(uint32_t *) (pkt_data(m) + k->l2_5_ofs)
                = rte_cpu_to_be_32(k->mpls_lse);
        }
        return true;
    case OPA_SET_NW_TTL:
    case OPA_DEC_NW_TTL:
        if ((k->dl_type == ETH_TYPE_IP || k->dl_type == ETH_TYPE_IPV6)
            && k->l3_ofs) {
            uint8_t ttl = k->nw_ttl;
            if (a->type == OPA_DEC_NW_TTL) {
                if (ttl <= 1) {
                    break;      /* Invalid TTL: drop. */
                }
                ttl--;
            } else {
                ttl = a->u32;
            }
            k->nw_ttl = ttl;
            d = pkt_data(m) + k->l3_ofs;
            if (k->dl_type == ETH_TYPE_IP) {
                d[8] = ttl;
                struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) d;
                ip->hdr_checksum = 0;
                ip->hdr_checksum = rte_ipv4_cksum(ip);
            } else {
                d[7] = ttl;
            }
        }
        return true;
    case OPA_COPY_TTL_OUT:
        /* IP -> outermost MPLS. */
        if (k->l2_5_ofs) {
            struct flow_key inner;
            unsigned int ofs = k->l2_5_ofs + 4;
            d = pkt_data(m);
            if (m->data_len > ofs + 20 && (d[ofs] >> 4) == 4) {
                inner.nw_ttl = d[ofs + 8];
                k->mpls_lse = (k->mpls_lse & ~0xffu) | inner.nw_ttl;
                *(uint32_t *) (d + k->l2_5_ofs)
                    = rte_cpu_to_be_32(k->mpls_lse);
            }
        }
        return true;
    case OPA_COPY_TTL_IN:
        /* Outermost MPLS -> IP. */
        if (k->l2_5_ofs && (k->mpls_lse & 0x100)) {
            unsigned int ofs = k->l2_5_ofs + 4;
            d = pkt_data(m);
            if (m->data_len > ofs + 20 && (d[ofs] >> 4) == 4) {
                d[ofs + 8] = k->mpls_lse & 0xff;
                struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (d + ofs);
                ip->hdr_checksum = 0;
                ip->hdr_checksum = rte_ipv4_cksum(ip);
            }
        }
        return true;
    case OPA_SET_QUEUE:
        pkt_meta(m)->mark = a->u32;
        return true;
    case OPA_PUSH_PBB: {
        /* New backbone header: B-DA/B-SA from the customer addresses,
         * then the I-TAG (I-SID copied from an existing one, else 0). */
        uint32_t isid = k->dl_type == ETH_TYPE_PBB ? k->pbb_isid : 0;
        if (rte_pktmbuf_headroom(m) < 18 || m->nb_segs > 1) {
            break;
        }
        d = (uint8_t *) rte_pktmbuf_prepend(m, 18);
        memcpy(d, d + 18, 12);
        *(uint16_t *) (d + 12) = rte_cpu_to_be_16(a->u16);
        *(uint32_t *) (d + 14) = rte_cpu_to_be_32(isid & 0xffffff);
        reparse(ex, m);
        return true;
    }
    case OPA_POP_PBB:
        if (k->dl_type == ETH_TYPE_PBB && !(k->vlan_tci & FLOW_VLAN_CFI)
            && m->data_len >= 32) {
            rte_pktmbuf_adj(m, 18);
            reparse(ex, m);
        }
        return true;
    default:
        return true;
    }
    rte_pktmbuf_free(m);
    ex->ctx->dropped++;
    return false;
}

/* ---- Outputs ---- */

static inline bool
port_blocked(const struct exec *ex, int idx, uint8_t flags)
{
    return ofpipe_port_flags(ex->pipe, ex->fwd->ports[idx].ofp_port) & flags;
}

static void
output_port(struct exec *ex, struct rte_mbuf *m, int idx, bool last)
{
    if (idx >= 0 && ex->pipe->port_flags
        && port_blocked(ex, idx, OFPIPE_PORT_NO_FWD)) {
        idx = -1;
    }
    if (idx < 0) {
        if (last) {
            dp_drop(ex->ctx, m);
        }
        return;
    }
    struct rte_mbuf *p = take(ex, m, last);
    if (p) {
        dp_batch_add(ex->ctx, ex->fwd, idx, p);
    }
}

static void
output_all(struct exec *ex, struct rte_mbuf *m, bool flood, bool last)
{
    int n = ex->fwd->n_ports, final = -1;
    uint8_t skip = OFPIPE_PORT_NO_FWD | (flood ? OFPIPE_PORT_NO_FLOOD : 0);
    bool check = ex->pipe->port_flags != NULL;
    for (int i = n - 1; i >= 0; i--) {
        if (i != ex->in_idx && !(check && port_blocked(ex, i, skip))) {
            final = i;
            break;
        }
    }
    for (int i = 0; i < n; i++) {
        if (i != ex->in_idx && !(check && port_blocked(ex, i, skip))) {
            output_port(ex, m, i, last && i == final);
        }
    }
    if (final < 0 && last) {
        dp_drop(ex->ctx, m);
    }
}

static void
output_controller(struct exec *ex, struct rte_mbuf *m, uint16_t max_len,
                  bool last)
{
    struct rte_ring *ring = ex->pipe->pktin_ring;
    if (!ring || (ex->pipe->port_flags
                  && ofpipe_port_flags(ex->pipe, ex->key.in_port)
                     & OFPIPE_PORT_NO_PACKET_IN)) {
        if (last) {
            dp_drop(ex->ctx, m);
        }
        return;
    }
    struct rte_mbuf *p = take(ex, m, last);
    if (!p) {
        return;
    }
    const struct ofpipe_rule *r = ex->rule;
    struct ofpipe_pktin pi = {
        .mbuf = p,
        .cookie = r ? r->cookie : UINT64_MAX,
        .metadata = ex->key.metadata,
        .tunnel_id = ex->key.tunnel_id,
        .in_port = ex->key.in_port,
        .max_len = max_len,
        .reason = r && r->table_miss ? OFPR_NO_MATCH : OFPR_ACTION,
        .table_id = r ? r->table_id : 0,
    };
    if (!r && ex->depth) {
        pi.reason = OFPR_PACKET_OUT;
    }
    memcpy(pi.regs, ex->key.regs, sizeof pi.regs);
    if (rte_ring_mp_enqueue_elem(ring, &pi, sizeof pi)) {
        rte_pktmbuf_free(p);
        ex->ctx->dropped++;
    }
}

static void
exec_normal(struct exec *ex, struct rte_mbuf *m, bool last)
{
    struct rte_mbuf *p = take(ex, m, last);
    if (!p) {
        return;
    }
    if (ex->in_idx < 0) {
        /* From the controller: no input port to learn on; flood. */
        output_all(ex, p, true, true);
        return;
    }
    struct flow_key key = ex->key;
    dp_normal_packet(ex->ctx, ex->fwd, ex->pipe, ex->macs, ex->in_idx, p,
                     &key, ex->now_s);
}

/* ---- Groups and meters ---- */

static void
exec_group(struct exec *ex, struct rte_mbuf *m, uint32_t gidx, bool last)
{
    if (gidx >= ex->pipe->n_groups || ex->depth > 8) {
        if (last) {
            dp_drop(ex->ctx, m);
        }
        return;
    }
    const struct ofpipe_group *g = &ex->pipe->groups[gidx];
    unsigned int th = ex->ctx->thread;
    uint32_t len = m->pkt_len;
    ofpipe_counter_add(th, g->counter, 1, len);

    int chosen[2] = { -1, -1 };
    int n_chosen = 0;
    const int *list = chosen;
    int all_idx[64];
    switch (g->type) {
    case OFPGT_ALL: {
        uint32_t n = g->n_buckets < 64 ? g->n_buckets : 64;
        for (uint32_t i = 0; i < n; i++) {
            all_idx[i] = i;
        }
        list = all_idx;
        n_chosen = n;
        break;
    }
    case OFPGT_SELECT:
        chosen[0] = ofpipe_select_bucket(g, &ex->key);
        n_chosen = chosen[0] >= 0;
        break;
    case OFPGT_INDIRECT:
        chosen[0] = 0;
        n_chosen = g->n_buckets > 0;
        break;
    case OFPGT_FF:
        for (uint32_t i = 0; i < g->n_buckets; i++) {
            if (g->buckets[i].live) {
                chosen[0] = i;
                n_chosen = 1;
                break;
            }
        }
        break;
    default:
        break;
    }
    if (!n_chosen) {
        if (last) {
            dp_drop(ex->ctx, m);
        }
        return;
    }
    /* Buckets that only output leave the key alone: no need to save it. */
    bool keep_key = false;
    for (int i = 0; i < n_chosen && !keep_key; i++) {
        const struct ofpipe_bucket *b = &g->buckets[list[i]];
        for (uint32_t k = 0; k < b->acts.n; k++) {
            uint8_t t = b->acts.acts[k].type;
            if (t != OPA_OUTPUT && t != OPA_LOCAL && t != OPA_IN_PORT
                && t != OPA_DROP) {
                keep_key = true;
                break;
            }
        }
    }
    struct flow_key saved;
    if (keep_key) {
        saved = ex->key;
    }
    ex->depth++;
    for (int i = 0; i < n_chosen; i++) {
        const struct ofpipe_bucket *b = &g->buckets[list[i]];
        ofpipe_counter_add(th, b->counter, 1, len);
        bool final = last && i == n_chosen - 1;
        struct rte_mbuf *p = take(ex, m, final);
        if (!p) {
            continue;
        }
        if (keep_key && i) {
            ex->key = saved;
        }
        if (!exec_actions(ex, p, b->acts.acts, b->acts.n, true)) {
            /* The bucket did not output: the copy is ours to free. */
            rte_pktmbuf_free(p);
        }
    }
    ex->depth--;
    if (keep_key) {
        ex->key = saved;
    }
}

/* Returns false if the meter dropped the packet (freed). */
static bool
exec_meter(struct exec *ex, struct rte_mbuf *m, uint32_t midx)
{
    if (midx >= ex->pipe->n_meters) {
        return true;
    }
    const struct ofpipe_meter *mt = &ex->pipe->meters[midx];
    unsigned int th = ex->ctx->thread;
    ofpipe_counter_add(th, mt->counter, 1, m->pkt_len);
    int band = ofpipe_meter_apply(mt, m->pkt_len, ex->ctx->now_ns);
    if (band < 0) {
        return true;
    }
    const struct ofpipe_band *b = &mt->bands[band];
    ofpipe_counter_add(th, b->counter, 1, m->pkt_len);
    if (b->type == OFPMBT_DROP) {
        rte_pktmbuf_free(m);
        ex->ctx->dropped++;
        return false;
    }
    if (b->type == OFPMBT_DSCP_REMARK && ex->key.dl_type == ETH_TYPE_IP
        && ex->key.l3_ofs) {
        /* Raise the drop precedence (DSCP bits 2..1) by prec_level. */
        uint8_t dscp = ex->key.nw_tos >> 2;
        unsigned int prec = ((dscp >> 1) & 3) + b->prec_level;
        if (prec > 3) {
            prec = 3;
        }
        dscp = (dscp & ~6) | (prec << 1);
        struct ofpipe_act a = { .type = OPA_SET_FIELD, .field = MFF_IP_DSCP };
        a.value[0] = dscp;
        a.mask[0] = 0x3f;
        set_field(ex, m, &a);
    }
    return true;
}

/* ---- Action lists ---- */

/* Runs 'n' actions on 'm'.  'last': nothing after this list needs the
 * packet, so the final output may consume it.  Returns true if 'm' was
 * consumed (sent or freed), false if the caller still owns it. */
static bool
exec_actions(struct exec *ex, struct rte_mbuf *m, const struct ofpipe_act *acts,
             uint32_t n, bool last)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct ofpipe_act *a = &acts[i];
        bool final = last && i == n - 1;
        switch (a->type) {
        case OPA_OUTPUT: {
            int idx = a->u32 == ex->key.in_port ? -1
                      : dp_fwd_index(ex->fwd, a->u32);
            output_port(ex, m, idx, final);
            break;
        }
        case OPA_IN_PORT:
            output_port(ex, m, ex->in_idx, final);
            break;
        case OPA_LOCAL:
            output_port(ex, m, ex->key.in_port == DPIF_PORT_LOCAL ? -1
                               : ex->fwd->local_idx, final);
            break;
        case OPA_FLOOD:
        case OPA_ALL:
            output_all(ex, m, a->type == OPA_FLOOD, final);
            break;
        case OPA_NORMAL:
            exec_normal(ex, m, final);
            break;
        case OPA_CONTROLLER:
            output_controller(ex, m, a->u16, final);
            break;
        case OPA_TABLE:
            if (ex->depth < 4) {
                struct rte_mbuf *p = take(ex, m, final);
                if (p) {
                    ex->depth++;
                    run_pipeline(ex, p, 0);
                    ex->depth--;
                }
            } else if (final) {
                dp_drop(ex->ctx, m);
            }
            break;
        case OPA_GROUP:
            exec_group(ex, m, a->u32, final);
            break;
        case OPA_METER:
            if (!exec_meter(ex, m, a->u32)) {
                return true;
            }
            if (final) {
                rte_pktmbuf_free(m);
            }
            break;
        case OPA_DROP:
            if (final) {
                dp_drop(ex->ctx, m);
            }
            break;
        case OPA_LOOKUP:
        case OPA_MISS:
            if (ex->acc) {
                acc_table(ex->acc, a, 1);
                acc_add(ex->ctx, ex->acc, a->u32, 1, m->pkt_len);
            } else {
                unsigned int th = ex->ctx->thread;
                ofpipe_counter_add(th, a->ctrs[0], 1, 0);
                ofpipe_counter_add(th, a->ctrs[1], 1, 0);
                ofpipe_counter_add(th, a->u32, 1, m->pkt_len);
            }
            if (a->type == OPA_LOOKUP) {
                ex->rule = a->rule;
            }
            if (final) {
                dp_drop(ex->ctx, m);
            }
            break;
        default:
            if (!exec_header_action(ex, m, a)) {
                return true;
            }
            if (final) {
                rte_pktmbuf_free(m);
            }
            break;
        }
        if (final) {
            return true;
        }
    }
    return false;
}

static void
aset_write(struct action_set *as, const struct ofpipe_act *acts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct ofpipe_act *a = &acts[i];
        int slot;
        switch (a->type) {
        case OPA_SET_FIELD:
            as->sf[a->field] = a;
            as->sf_present |= UINT64_C(1) << a->field;
            continue;
        case OPA_COPY_TTL_IN: slot = AS_COPY_TTL_IN; break;
        case OPA_POP_VLAN: slot = AS_POP_VLAN; break;
        case OPA_POP_MPLS: slot = AS_POP_MPLS; break;
        case OPA_POP_PBB: slot = AS_POP_PBB; break;
        case OPA_PUSH_MPLS: slot = AS_PUSH_MPLS; break;
        case OPA_PUSH_PBB: slot = AS_PUSH_PBB; break;
        case OPA_PUSH_VLAN: slot = AS_PUSH_VLAN; break;
        case OPA_COPY_TTL_OUT: slot = AS_COPY_TTL_OUT; break;
        case OPA_DEC_MPLS_TTL: slot = AS_DEC_MPLS_TTL; break;
        case OPA_DEC_NW_TTL: slot = AS_DEC_NW_TTL; break;
        case OPA_SET_MPLS_TTL: slot = AS_SET_MPLS_TTL; break;
        case OPA_SET_NW_TTL: slot = AS_SET_NW_TTL; break;
        case OPA_SET_QUEUE: slot = AS_SET_QUEUE; break;
        case OPA_GROUP: slot = AS_GROUP; break;
        case OPA_METER: continue;
        default: slot = AS_OUTPUT; break;      /* Every kind of output. */
        }
        as->slot[slot] = a;
        as->present |= 1u << slot;
    }
}

/* Executes and consumes the action set. */
static void
aset_execute(struct exec *ex, struct rte_mbuf *m)
{
    struct action_set *as = &ex->aset;
    for (int s = 0; s < AS_N_SLOTS; s++) {
        if (s == AS_SET_FIELDS) {
            uint64_t bits = as->sf_present;
            while (bits) {
                int f = __builtin_ctzll(bits);
                bits &= bits - 1;
                set_field(ex, m, as->sf[f]);
            }
            continue;
        }
        if (!(as->present & (1u << s))) {
            continue;
        }
        if (s == AS_GROUP) {
            exec_group(ex, m, as->slot[s]->u32, true);
            return;
        }
        if (s == AS_OUTPUT) {
            exec_actions(ex, m, as->slot[s], 1, true);
            return;
        }
        if (!exec_header_action(ex, m, as->slot[s])) {
            return;
        }
    }
    dp_drop(ex->ctx, m);            /* No output or group: drop. */
}

static void
run_pipeline(struct exec *ex, struct rte_mbuf *m, uint8_t table)
{
    unsigned int th = ex->ctx->thread;
    const struct ofpipe *pipe = ex->pipe;
    const struct ofpipe_rule *saved_rule = ex->rule;
    struct action_set saved_set;
    bool nested = ex->depth > 0;
    if (nested) {
        saved_set = ex->aset;
    }
    ex->aset.present = 0;
    ex->aset.sf_present = 0;
    if (flow_is_ip_fragment(&ex->key)) {
        /* set-frags, as in ofpipe_xlate(). */
        if (pipe->frag_drop) {
            dp_drop(ex->ctx, m);
            table = OFPIPE_N_TABLES;
        } else {
            flow_zero_l4_fields(&ex->key);
        }
    }
    while (table < OFPIPE_N_TABLES) {
        const struct ofpipe_table *t = &pipe->tables[table];
        ofpipe_counter_add(th, t->lookup_counter, 1, 0);
        const struct ofpipe_rule *r = ofpipe_lookup(pipe, table, &ex->key);
        if (!r) {
            dp_drop(ex->ctx, m);        /* Table miss without a rule. */
            break;
        }
        ex->rule = r;
        ofpipe_counter_add(th, t->matched_counter, 1, 0);
        ofpipe_counter_add(th, r->counter, 1, m->pkt_len);
        if (r->meter != OFPIPE_NO_METER && !exec_meter(ex, m, r->meter)) {
            break;
        }
        bool more = r->has_goto || r->write.n || ex->aset.present
                    || ex->aset.sf_present;
        if (r->clear_actions && !r->has_goto && !r->write.n) {
            more = false;
        }
        if (exec_actions(ex, m, r->apply.acts, r->apply.n, !more)) {
            break;
        }
        if (r->clear_actions) {
            ex->aset.present = 0;
            ex->aset.sf_present = 0;
        }
        aset_write(&ex->aset, r->write.acts, r->write.n);
        if (r->has_metadata) {
            ex->key.metadata = (ex->key.metadata & ~r->metadata_mask)
                               | (r->metadata & r->metadata_mask);
        }
        if (r->has_goto && r->goto_table > table
            && r->goto_table < OFPIPE_N_TABLES) {
            table = r->goto_table;
            continue;
        }
        aset_execute(ex, m);
        break;
    }
    ex->rule = saved_rule;
    if (nested) {
        ex->aset = saved_set;
    }
}

/* Counts 'n' packets of 'bytes' bytes in the OpenFlow counters of the
 * lookups that entry 'e' records. */
static void
count_lookups(struct pmd_ctx *ctx, struct counter_acc *acc,
              const struct fc_entry *e, uint64_t n, uint64_t bytes)
{
    for (uint32_t i = 0; i < e->n_ops; i++) {
        const struct ofpipe_act *a = &e->ops[i];
        if (a->type == OPA_LOOKUP || a->type == OPA_MISS) {
            acc_table(acc, a, n);
            acc_add(ctx, acc, a->u32, n, bytes);
        }
    }
}

/* The output port index of key-free entry 'e' for packets from 'in_port',
 * or -1 to drop. */
static inline int
key_free_output(const struct dp_fwd *fwd, const struct fc_entry *e,
                uint32_t in_port)
{
    const struct ofpipe_act *a = &e->ops[e->n_ops - 1];
    switch (a->type) {
    case OPA_OUTPUT:
        return a->u32 == in_port ? -1 : dp_fwd_index(fwd, a->u32);
    case OPA_LOCAL:
        return in_port == DPIF_PORT_LOCAL ? -1 : fwd->local_idx;
    default:
        return -1;
    }
}

/* A burst whose every packet takes the queue's catch-all entry 'e', which
 * only counts and outputs to one port (or drops): no parsing, one
 * transmit. */
static void
process_catchall(struct pmd_ctx *ctx, const struct dp_fwd *fwd,
                 const struct ofpipe *pipe, struct fc_entry *e,
                 uint32_t in_port, struct rte_mbuf **pkts, int n)
{
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++) {
        bytes += pkts[i]->pkt_len;
        pkt_meta(pkts[i])->in_port = in_port;
    }
    e->packets += n;
    e->bytes += bytes;
    e->used = ctx->now_tsc;
    ctx->mf_hits += n;
    ctx->mf_lookups += n;
    struct counter_acc *acc = acc_begin();
    count_lookups(ctx, acc, e, n, bytes);
    acc_flush(ctx, acc);
    int out = key_free_output(fwd, e, in_port);
    if (out < 0) {
        rte_pktmbuf_free_bulk(pkts, n);
        ctx->dropped += n;
        return;
    }
    netdev_send_burst(fwd->ports[out].netdev, ctx->tx_id, pkts, n);
    ctx->tx_packets += n;
    ctx->tx_batches++;
}

/* True if entry 'e' may be used with snapshot 'pipe': made with it, or
 * with an earlier one of the same epoch whose tables that 'e' looked up
 * have not changed since (then 'e' is carried over to 'pipe'). */
static inline bool
entry_current(struct fc_entry *e, const struct ofpipe *pipe)
{
    if (e->pipe_serial == pipe->serial) {
        return true;
    }
    if (ofpipe_ops_still_valid(pipe, e->pipe_epoch, e->ops, e->n_ops)) {
        e->pipe_serial = pipe->serial;
        return true;
    }
    return false;
}

/* True if the PMD may translate one more miss now (other_config:
 * upcall-rate-limit: a token bucket holding at most a tenth of a second's
 * worth). */
static bool
upcall_allowed(struct pmd_ctx *ctx)
{
    unsigned int rate = flow_cache_upcall_rate();
    if (!rate) {
        return true;
    }
    uint64_t hz = rte_get_tsc_hz();
    uint64_t now = ctx->now_tsc;
    uint64_t burst = rate / 10 + 1;
    uint64_t elapsed = now - ctx->upcall_refill_tsc;
    if (now < ctx->upcall_refill_tsc || elapsed >= hz) {
        ctx->upcall_tokens = burst;
        ctx->upcall_refill_tsc = now;
    } else {
        uint64_t add = elapsed * rate / hz;     /* < 2^63: elapsed < hz. */
        if (add) {
            ctx->upcall_tokens = MIN(burst, ctx->upcall_tokens + add);
            ctx->upcall_refill_tsc = now;
        }
    }
    if (!ctx->upcall_tokens) {
        return false;
    }
    ctx->upcall_tokens--;
    return true;
}

/* Translates the packet of 'ex' (a cache miss, or a hit on an entry of an
 * older snapshot, 'stale') and installs the result.  Returns the entry to
 * execute, or NULL if the packet was handled here (not cacheable, or the
 * cache is full). */
static struct fc_entry *
upcall(struct exec *ex, struct flow_cache *fc, struct rte_mbuf *m,
       struct fc_entry *stale, bool use_emc, uint32_t emc_hash)
{
    struct pmd_ctx *ctx = ex->ctx;
    if (stale) {
        flow_cache_remove(fc, stale);
    }
    if (!upcall_allowed(ctx)) {
        ctx->upcall_fails++;
        dp_drop(ctx, m);
        return NULL;
    }
    uint64_t start = rte_rdtsc();
    struct ofpipe_xlate xo;
    ofpipe_xlate(ex->pipe, &ex->key, &xo, NULL);
    ctx->upcalls++;
    ctx->upcall_cycles += rte_rdtsc() - start;
    if (!xo.cacheable) {
        ofpipe_xlate_destroy(&xo);
        run_pipeline(ex, m, 0);
        return NULL;
    }
    struct fc_entry *e = flow_cache_insert(fc, &ex->key, &xo,
                                           ex->pipe->serial,
                                           ex->pipe->epoch);
    if (!e) {
        /* Over flow-limit: execute without installing. */
        if (!exec_actions(ex, m, xo.ops, xo.n_ops, true)) {
            rte_pktmbuf_free(m);
        }
        ofpipe_xlate_destroy(&xo);
        return NULL;
    }
    if (use_emc) {
        flow_cache_emc_insert(fc, &ex->key, emc_hash, e);
    }
    return e;
}

void
dp_ofpipe_process(struct pmd_ctx *ctx, const struct dp_fwd *fwd,
                  struct mac_table *macs, const struct ofpipe *pipe,
                  struct flow_cache *fc, int in_idx, struct rte_mbuf **pkts,
                  int n, uint32_t now_s)
{
    uint32_t in_port = fwd->ports[in_idx].ofp_port;
    if (ofpipe_port_flags(pipe, in_port) & OFPIPE_PORT_NO_RECV) {
        rte_pktmbuf_free_bulk(pkts, n);
        ctx->dropped += n;
        return;
    }
    struct fc_entry *e = fc ? flow_cache_catchall(fc) : NULL;
    struct fc_entry *all = NULL;      /* Fresh entry for every packet. */
    if (e && entry_current(e, pipe)) {
        if (e->key_free && !pipe->port_flags) {
            process_catchall(ctx, fwd, pipe, e, in_port, pkts, n);
            return;
        }
        all = e;
    }
    struct exec ex;
    ex.ctx = ctx;
    ex.fwd = fwd;
    ex.macs = macs;
    ex.pipe = pipe;
    ex.in_idx = in_idx;
    ex.now_s = now_s;
    ex.depth = 0;
    struct counter_acc *acc = acc_begin();
    ex.acc = acc;
    bool use_emc = fc && !all && flow_cache_emc_pays(fc);
    bool direct = !pipe->port_flags;

    /* Parse the burst and start the megaflow lookups, so that their cache
     * misses overlap. */
    struct flow_key keys[DP_BURST];
    uint64_t hints[DP_BURST];
    bool parsed[DP_BURST];
    bool prefetch = fc && !all && !use_emc;
    for (int i = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];
        if (i + 1 < n) {
            rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
        }
        parsed[i] = flow_parse(rte_pktmbuf_mtod(m, void *), m->data_len,
                               &keys[i]);
        keys[i].in_port = keys[i].in_phy_port = in_port;
        pkt_meta(m)->in_port = in_port;
        hints[i] = prefetch && parsed[i]
                   ? flow_cache_prefetch(fc, &keys[i]) : 0;
    }
    if (prefetch) {
        for (int i = 0; i < n; i++) {
            flow_cache_prefetch_entry(fc, hints[i]);
        }
    }

    for (int i = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];
        if (!parsed[i]) {
            dp_drop(ctx, m);
            continue;
        }
        ex.key = keys[i];
        ex.rule = NULL;
        if (!fc) {
            run_pipeline(&ex, m, 0);
            continue;
        }
        uint32_t h = 0;
        e = NULL;
        if (use_emc) {
            h = flow_cache_emc_hash(
                &ex.key, (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0,
                m->hash.rss);
            e = flow_cache_emc_lookup(fc, &ex.key, h);
        }
        if (all) {
            e = all;
            ctx->mf_hits++;
            ctx->mf_lookups++;
        } else if (e && entry_current(e, pipe)) {
            ctx->emc_hits++;
        } else {
            unsigned int probes;
            e = flow_cache_lookup_hinted(fc, &ex.key, hints[i], &probes);
            if (e && entry_current(e, pipe)) {
                ctx->mf_hits++;
                ctx->mf_lookups += probes;
                if (use_emc) {
                    flow_cache_emc_insert(fc, &ex.key, h, e);
                }
            } else {
                e = upcall(&ex, fc, m, e, use_emc, h);
                if (!e) {
                    continue;
                }
            }
        }
        e->packets++;
        e->bytes += m->pkt_len;
        e->used = ctx->now_tsc;
        e->tcp_flags |= ex.key.tcp_flags;
        if (e->key_free && direct) {
            count_lookups(ctx, acc, e, 1, m->pkt_len);
            int out = key_free_output(fwd, e, in_port);
            if (out >= 0) {
                dp_batch_add(ctx, fwd, out, m);
            } else {
                dp_drop(ctx, m);
            }
        } else if (!exec_actions(&ex, m, e->ops, e->n_ops, true)) {
            rte_pktmbuf_free(m);
        }
    }
    acc_flush(ctx, acc);
}

/* ---- Packet-out (main thread) ---- */

static struct out_batch main_batches[PMD_MAX_OUT_PORTS];

int
dpif_execute(struct dpif *dpif, const void *data, size_t len,
             uint32_t in_port, const struct ofpipe_act *acts, size_t n_acts)
{
    struct rte_mempool *pool = dp_main_pool();
    struct dp_fwd *fwd = atomic_load_explicit(&dpif->fwd,
                                              memory_order_acquire);
    const struct ofpipe *pipe = atomic_load_explicit(&dpif->pipe,
                                                     memory_order_acquire);
    if (!fwd || !pool) {
        return ENODEV;
    }
    struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
    if (!m) {
        return ENOBUFS;
    }
    if (len > rte_pktmbuf_tailroom(m)) {
        rte_pktmbuf_free(m);
        return EMSGSIZE;
    }
    memcpy(rte_pktmbuf_mtod(m, void *), data, len);
    m->data_len = m->pkt_len = len;

    struct pmd_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.tx_id = dp_main_tx_id();
    ctx.thread = OFPIPE_MAIN_THREAD;
    ctx.batches = main_batches;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ctx.now_ns = (uint64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;

    struct ofpipe empty_pipe_storage;
    if (!pipe) {
        /* No OpenFlow state: a pipeline with no rules and no groups. */
        memset(&empty_pipe_storage, 0, sizeof empty_pipe_storage);
        for (int i = 0; i < OFPIPE_N_TABLES; i++) {
            empty_pipe_storage.tables[i].lookup_counter = OFPIPE_NO_COUNTER;
            empty_pipe_storage.tables[i].matched_counter = OFPIPE_NO_COUNTER;
        }
        pipe = &empty_pipe_storage;
    }
    struct exec ex;
    memset(&ex, 0, sizeof ex);
    ex.ctx = &ctx;
    ex.fwd = fwd;
    ex.macs = atomic_load_explicit(&dpif->macs, memory_order_acquire);
    ex.pipe = pipe;
    ex.in_idx = dp_fwd_index(fwd, in_port);
    ex.now_s = dp_now_s();
    ex.depth = 1;
    flow_parse(rte_pktmbuf_mtod(m, void *), m->data_len, &ex.key);
    ex.key.in_port = ex.key.in_phy_port = in_port;
    pkt_meta(m)->in_port = in_port;
    if (!exec_actions(&ex, m, acts, n_acts, true)) {
        rte_pktmbuf_free(m);
    }
    dp_flush_all(&ctx, fwd);
    return 0;
}
