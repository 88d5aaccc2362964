/* mac-learning.c: see mac-learning.h. */
#include <config.h>
#include "dpif/mac-learning.h"

#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/util.h"

/* Key: 48-bit MAC in the low bits, VLAN in bits 48..59, bit 63 set for a
 * used slot (so the all-zero MAC on VLAN 0 is a valid key). */
#define KEY_USED (1ULL << 63)
#define MAX_PROBE 16

struct mac_entry {
    atomic_uint_fast64_t key;   /* 0 = free. */
    atomic_uint port;
    atomic_uint seen;           /* Seconds. */
};

struct mac_table {
    unsigned int max_entries;
    atomic_uint aging;
    atomic_uint count;
    uint64_t mask;              /* Slots - 1. */
    struct mac_entry slots[];
};

static inline uint64_t
mac_key(struct eth_addr mac, uint16_t vlan)
{
    uint64_t k;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* The address in network order as a 48-bit number, with two loads. */
    k = __builtin_bswap64(eth_addr_to_u64(&mac)) >> 16;
#else
    k = 0;
    for (int i = 0; i < 6; i++) {
        k = (k << 8) | mac.ea[i];
    }
#endif
    return k | ((uint64_t) (vlan & 0xfff) << 48) | KEY_USED;
}

void
mac_table_prefetch(const struct mac_table *mt, struct eth_addr mac,
                   uint16_t vlan)
{
    __builtin_prefetch(&mt->slots[hash_mix64(mac_key(mac, vlan)) & mt->mask]);
}

struct mac_table *
mac_table_create(unsigned int max_entries, unsigned int aging_s)
{
    if (max_entries < 16) {
        max_entries = 16;
    }
    uint64_t slots = 32;
    while (slots < (uint64_t) max_entries * 2) {
        slots *= 2;
    }
    struct mac_table *mt = xzalloc(sizeof *mt + slots * sizeof mt->slots[0]);
    mt->max_entries = max_entries;
    mt->mask = slots - 1;
    atomic_init(&mt->aging, aging_s);
    atomic_init(&mt->count, 0);
    return mt;
}

void
mac_table_destroy(struct mac_table *mt)
{
    free(mt);
}

unsigned int
mac_table_max_entries(const struct mac_table *mt)
{
    return mt->max_entries;
}

unsigned int
mac_table_aging(const struct mac_table *mt)
{
    return atomic_load(&((struct mac_table *) mt)->aging);
}

void
mac_table_set_aging(struct mac_table *mt, unsigned int aging_s)
{
    atomic_store(&mt->aging, aging_s);
}

static struct mac_entry *
mac_find(const struct mac_table *mt_, uint64_t key)
{
    struct mac_table *mt = (struct mac_table *) mt_;
    uint64_t h = hash_mix64(key);
    for (int i = 0; i < MAX_PROBE; i++) {
        struct mac_entry *e = &mt->slots[(h + i) & mt->mask];
        if (atomic_load_explicit(&e->key, memory_order_acquire) == key) {
            return e;
        }
    }
    return NULL;
}

bool
mac_table_learn(struct mac_table *mt, struct eth_addr mac, uint16_t vlan,
                uint32_t port, uint32_t now_s)
{
    uint64_t key = mac_key(mac, vlan);
    struct mac_entry *e = mac_find(mt, key);
    if (e) {
        if (atomic_load_explicit(&e->seen, memory_order_relaxed)
            == MAC_ENTRY_STATIC) {
            return false;
        }
        if (atomic_load_explicit(&e->port, memory_order_relaxed) != port) {
            atomic_store_explicit(&e->port, port, memory_order_relaxed);
            atomic_store_explicit(&e->seen, now_s, memory_order_relaxed);
            return true;
        }
        if (atomic_load_explicit(&e->seen, memory_order_relaxed) != now_s) {
            atomic_store_explicit(&e->seen, now_s, memory_order_relaxed);
        }
        return false;
    }
    if (atomic_load_explicit(&mt->count, memory_order_relaxed)
        >= mt->max_entries) {
        return false;
    }
    uint64_t h = hash_mix64(key);
    for (int i = 0; i < MAX_PROBE; i++) {
        e = &mt->slots[(h + i) & mt->mask];
        uint_fast64_t cur = atomic_load_explicit(&e->key,
                                                 memory_order_acquire);
        if (cur == key) {
            return false;       /* Another thread learned it just now. */
        }
        if (cur) {
            continue;
        }
        if (atomic_compare_exchange_strong_explicit(
                &e->key, &cur, key, memory_order_acq_rel,
                memory_order_acquire)) {
            /* A reader may see the key a moment before its port: at
             * worst one packet goes where the slot's previous entry
             * pointed, or floods. */
            atomic_store_explicit(&e->port, port, memory_order_relaxed);
            atomic_store_explicit(&e->seen, now_s, memory_order_relaxed);
            atomic_fetch_add_explicit(&mt->count, 1, memory_order_relaxed);
            return true;
        }
        if (cur == key) {
            return false;
        }
    }
    return false;               /* Neighbourhood full. */
}

bool
mac_table_add_static(struct mac_table *mt, struct eth_addr mac,
                     uint16_t vlan, uint32_t port)
{
    struct mac_entry *e = mac_find(mt, mac_key(mac, vlan));
    if (!e) {
        mac_table_learn(mt, mac, vlan, port, 0);
        e = mac_find(mt, mac_key(mac, vlan));
        if (!e) {
            return false;
        }
    }
    atomic_store(&e->port, port);
    atomic_store(&e->seen, MAC_ENTRY_STATIC);
    return true;
}

uint32_t
mac_table_lookup(const struct mac_table *mt, struct eth_addr mac,
                 uint16_t vlan)
{
    const struct mac_entry *e = mac_find(mt, mac_key(mac, vlan));
    return e ? atomic_load_explicit(&((struct mac_entry *) e)->port,
                                    memory_order_relaxed)
             : MAC_ENTRY_NO_PORT;
}

static void
mac_remove(struct mac_table *mt, struct mac_entry *e, uint64_t key)
{
    uint_fast64_t expected = key;
    if (atomic_compare_exchange_strong(&e->key, &expected, 0)) {
        atomic_fetch_sub(&mt->count, 1);
    }
}

unsigned int
mac_table_expire(struct mac_table *mt, uint32_t now_s, uint32_t port)
{
    unsigned int n = 0;
    unsigned int aging = mac_table_aging(mt);
    for (uint64_t i = 0; i <= mt->mask; i++) {
        struct mac_entry *e = &mt->slots[i];
        uint64_t key = atomic_load(&e->key);
        if (!key) {
            continue;
        }
        uint32_t seen = atomic_load(&e->seen);
        if ((port != MAC_ENTRY_NO_PORT && atomic_load(&e->port) == port)
            || (seen != MAC_ENTRY_STATIC
                && (uint32_t) (now_s - seen) >= aging)) {
            mac_remove(mt, e, key);
            n++;
        }
    }
    return n;
}

void
mac_table_flush(struct mac_table *mt)
{
    for (uint64_t i = 0; i <= mt->mask; i++) {
        uint64_t key = atomic_load(&mt->slots[i].key);
        if (key) {
            mac_remove(mt, &mt->slots[i], key);
        }
    }
}

unsigned int
mac_table_count(const struct mac_table *mt)
{
    return atomic_load(&((struct mac_table *) mt)->count);
}

void
mac_table_for_each(const struct mac_table *mt_, uint32_t now_s,
                   mac_table_visit_cb *cb, void *aux)
{
    struct mac_table *mt = (struct mac_table *) mt_;
    for (uint64_t i = 0; i <= mt->mask; i++) {
        struct mac_entry *e = &mt->slots[i];
        uint64_t key = atomic_load(&e->key);
        if (!key) {
            continue;
        }
        struct eth_addr mac;
        for (int b = 5; b >= 0; b--) {
            mac.ea[b] = key & 0xff;
            key >>= 8;
        }
        uint16_t vlan = key & 0xfff;
        uint32_t seen = atomic_load(&e->seen);
        cb(mac, vlan, atomic_load(&e->port),
           seen == MAC_ENTRY_STATIC ? MAC_ENTRY_STATIC : now_s - seen, aux);
    }
}
