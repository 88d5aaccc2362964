/* flow.h: parsing a packet once into a flow key.
 *
 * The key holds what forwarding decisions look at: Ethernet addresses,
 * the outer 802.1Q tag, the EtherType, and IPv4/IPv6 addresses with the
 * L4 protocol and ports.  Pure functions; any thread. */
#ifndef OVSNFV_FLOW_H
#define OVSNFV_FLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "packet/eth-addr.h"

struct flow_key {
    uint32_t in_port;
    struct eth_addr dl_dst;
    struct eth_addr dl_src;
    uint16_t vlan_tci;          /* Host order; 0 = untagged.  The CFI bit
                                 * (0x1000) is set for tagged frames. */
    uint16_t dl_type;           /* Host order, inner EtherType. */
    uint8_t nw_proto;
    uint8_t nw_ttl;
    uint16_t l3_ofs;            /* Offset of the L3 header, 0 if none. */
    uint32_t nw_src, nw_dst;    /* IPv4, network order. */
    uint16_t tp_src, tp_dst;    /* Network order. */
};

#define FLOW_VLAN_CFI 0x1000
#define FLOW_VLAN_VID_MASK 0x0fff

/* Parses the 'len' bytes at 'data' (the first segment of a packet) into
 * 'key' (in_port is left 0).  Returns false if the frame is shorter than
 * an Ethernet header (the key is then undefined). */
bool flow_parse(const void *data, size_t len, struct flow_key *key);

static inline uint16_t
flow_vid(const struct flow_key *key)
{
    return key->vlan_tci & FLOW_VLAN_VID_MASK;
}

#endif
