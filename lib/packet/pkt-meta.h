/* pkt-meta.h: ovs-nfv's per-packet metadata, kept in a dynamic field of
 * every rte_mbuf (offset dpdk_pkt_meta_offset).  Service chains and the
 * OpenFlow pipeline add their fields here.  Any thread that owns the mbuf. */
#ifndef OVSNFV_PKT_META_H
#define OVSNFV_PKT_META_H 1

#include <stdint.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

struct pkt_meta {
    uint32_t in_port;           /* OpenFlow port number it arrived on. */
    uint16_t vlan;              /* VLAN the packet belongs to (0 = none). */
    uint16_t flags;
    uint32_t chain_id;          /* Service chain (later), 0 = none. */
    uint32_t mark;              /* Free for later use (pkt_mark). */
};

extern int dpdk_pkt_meta_offset;

static inline struct pkt_meta *
pkt_meta(struct rte_mbuf *m)
{
    return RTE_MBUF_DYNFIELD(m, dpdk_pkt_meta_offset, struct pkt_meta *);
}

#endif
