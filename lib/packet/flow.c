/* flow.c: see flow.h. */
#include <config.h>
#include "packet/flow.h"

#include <string.h>
#include <arpa/inet.h>

#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_IPV6 0x86dd
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_VLAN_8021AD 0x88a8

static inline uint16_t
get_be16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
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
        /* A second tag (QinQ): skip it, the outer one decides. */
        while ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD)
               && end - p >= 4) {
            type = get_be16(p + 2);
            p += 4;
        }
    }
    key->dl_type = type;
    key->l3_ofs = p - data;

    if (type == ETH_TYPE_IP && end - p >= 20) {
        unsigned int ihl = (p[0] & 0x0f) * 4;
        if ((p[0] >> 4) != 4 || ihl < 20 || end - p < (ptrdiff_t) ihl) {
            return true;
        }
        key->nw_ttl = p[8];
        key->nw_proto = p[9];
        memcpy(&key->nw_src, p + 12, 4);
        memcpy(&key->nw_dst, p + 16, 4);
        bool later_fragment = (get_be16(p + 6) & 0x1fff) != 0;
        p += ihl;
        if (!later_fragment && (key->nw_proto == 6 || key->nw_proto == 17
                                || key->nw_proto == 132)
            && end - p >= 4) {
            memcpy(&key->tp_src, p, 2);
            memcpy(&key->tp_dst, p + 2, 2);
        }
    } else if (type == ETH_TYPE_IPV6 && end - p >= 40) {
        key->nw_proto = p[6];
        key->nw_ttl = p[7];
        p += 40;
        if ((key->nw_proto == 6 || key->nw_proto == 17) && end - p >= 4) {
            memcpy(&key->tp_src, p, 2);
            memcpy(&key->tp_dst, p + 2, 2);
        }
    }
    return true;
}
