/* hash.h: fast non-cryptographic hashes for control-plane tables.
 * Pure functions, safe from any thread. */
#ifndef OVSNFV_HASH_H
#define OVSNFV_HASH_H 1

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Finaliser from the splitmix64 generator: full avalanche on 64 bits. */
static inline uint64_t
hash_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint32_t
hash_uint64(uint64_t x, uint32_t basis)
{
    return (uint32_t) hash_mix64(x ^ ((uint64_t) basis << 32 | basis));
}

static inline uint32_t
hash_bytes(const void *p_, size_t n, uint32_t basis)
{
    const uint8_t *p = p_;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ basis ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = hash_mix64(h ^ w);
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = hash_mix64(h ^ w);
    }
    return (uint32_t) (h ^ (h >> 32));
}

static inline uint32_t
hash_string(const char *s, uint32_t basis)
{
    return hash_bytes(s, strlen(s), basis);
}

#endif
