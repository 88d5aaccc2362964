/* eth-addr.h: Ethernet addresses.  Pure values; thread-safe. */
#ifndef OVSNFV_ETH_ADDR_H
#define OVSNFV_ETH_ADDR_H 1

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct eth_addr {
    uint8_t ea[6];
};

#define ETH_ADDR_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define ETH_ADDR_ARGS(A) \
    (A).ea[0], (A).ea[1], (A).ea[2], (A).ea[3], (A).ea[4], (A).ea[5]

static inline bool
eth_addr_equals(struct eth_addr a, struct eth_addr b)
{
    return !memcmp(a.ea, b.ea, sizeof a.ea);
}

/* The address as a number (in host byte order of its two loads): equal
 * addresses give equal numbers.  Reads with two loads, so that comparing
 * addresses costs no byte-wise copies. */
static inline uint64_t
eth_addr_to_u64(const struct eth_addr *a)
{
    uint32_t hi;
    uint16_t lo;
    memcpy(&hi, a->ea, 4);
    memcpy(&lo, a->ea + 4, 2);
    return (uint64_t) hi | (uint64_t) lo << 32;
}

static inline bool
eth_addr_is_multicast(struct eth_addr a)
{
    return a.ea[0] & 1;
}

static inline bool
eth_addr_is_zero(struct eth_addr a)
{
    static const struct eth_addr zero;
    return eth_addr_equals(a, zero);
}

#endif
