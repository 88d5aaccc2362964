/* hmap.h: intrusive hash map with chaining.
 *
 * The caller computes the hash and compares keys; the map only buckets
 * nodes.  Not thread-safe; callers synchronise.  Lookups cost one bucket
 * walk; the table doubles when the load passes 2 nodes per bucket. */
#ifndef OVSNFV_HMAP_H
#define OVSNFV_HMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/util.h"

struct hmap_node {
    uint32_t hash;
    struct hmap_node *next;
};

struct hmap {
    struct hmap_node **buckets;
    size_t mask;                /* Number of buckets minus one. */
    size_t count;
};

void hmap_init(struct hmap *);
void hmap_destroy(struct hmap *);
void hmap_insert(struct hmap *, struct hmap_node *, uint32_t hash);
void hmap_remove(struct hmap *, struct hmap_node *);
void hmap_clear(struct hmap *);

static inline size_t
hmap_count(const struct hmap *map)
{
    return map->count;
}

static inline bool
hmap_is_empty(const struct hmap *map)
{
    return map->count == 0;
}

/* First node in the bucket for 'hash' (may have another hash: check). */
static inline struct hmap_node *
hmap_first_with_hash(const struct hmap *map, uint32_t hash)
{
    struct hmap_node *n = map->buckets[hash & map->mask];
    while (n && n->hash != hash) {
        n = n->next;
    }
    return n;
}

static inline struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    struct hmap_node *n = node->next;
    while (n && n->hash != node->hash) {
        n = n->next;
    }
    return n;
}

struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);

#define HMAP_NODE_TO(NODE, VAR, MEMBER) \
    ((NODE) ? CONTAINER_OF(NODE, __typeof__(*VAR), MEMBER) : NULL)

#define HMAP_FOR_EACH_WITH_HASH(VAR, MEMBER, HASH, MAP)                     \
    for (VAR = HMAP_NODE_TO(hmap_first_with_hash(MAP, HASH), VAR, MEMBER);  \
         VAR;                                                               \
         VAR = HMAP_NODE_TO(hmap_next_with_hash(&(VAR)->MEMBER), VAR, MEMBER))

#define HMAP_FOR_EACH(VAR, MEMBER, MAP)                                     \
    for (VAR = HMAP_NODE_TO(hmap_first(MAP), VAR, MEMBER);                  \
         VAR;                                                               \
         VAR = HMAP_NODE_TO(hmap_next(MAP, &(VAR)->MEMBER), VAR, MEMBER))

/* Safe against removal of VAR. */
#define HMAP_FOR_EACH_SAFE(VAR, NEXT, MEMBER, MAP)                          \
    for (VAR = HMAP_NODE_TO(hmap_first(MAP), VAR, MEMBER);                  \
         VAR && ((NEXT = HMAP_NODE_TO(hmap_next(MAP, &(VAR)->MEMBER),       \
                                      VAR, MEMBER)), 1);                    \
         VAR = NEXT)

#endif
