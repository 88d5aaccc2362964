#include <config.h>
#include "util/hmap.h"

#include <stdlib.h>

void
hmap_init(struct hmap *map)
{
    map->mask = 0;
    map->count = 0;
    map->buckets = xcalloc(1, sizeof *map->buckets);
}

void
hmap_destroy(struct hmap *map)
{
    free(map->buckets);
    map->buckets = NULL;
    map->count = 0;
}

void
hmap_clear(struct hmap *map)
{
    for (size_t i = 0; i <= map->mask; i++) {
        map->buckets[i] = NULL;
    }
    map->count = 0;
}

static void
hmap_resize(struct hmap *map, size_t n_buckets)
{
    struct hmap_node **buckets = xcalloc(n_buckets, sizeof *buckets);
    for (size_t i = 0; i <= map->mask; i++) {
        struct hmap_node *n = map->buckets[i];
        while (n) {
            struct hmap_node *next = n->next;
            struct hmap_node **b = &buckets[n->hash & (n_buckets - 1)];
            n->next = *b;
            *b = n;
            n = next;
        }
    }
    free(map->buckets);
    map->buckets = buckets;
    map->mask = n_buckets - 1;
}

void
hmap_insert(struct hmap *map, struct hmap_node *node, uint32_t hash)
{
    struct hmap_node **b = &map->buckets[hash & map->mask];
    node->hash = hash;
    node->next = *b;
    *b = node;
    if (++map->count > 2 * (map->mask + 1)) {
        hmap_resize(map, (map->mask + 1) * 2);
    }
}

void
hmap_remove(struct hmap *map, struct hmap_node *node)
{
    struct hmap_node **p = &map->buckets[node->hash & map->mask];
    while (*p != node) {
        p = &(*p)->next;
    }
    *p = node->next;
    map->count--;
}

struct hmap_node *
hmap_first(const struct hmap *map)
{
    for (size_t i = 0; i <= map->mask; i++) {
        if (map->buckets[i]) {
            return map->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_next(const struct hmap *map, const struct hmap_node *node)
{
    if (node->next) {
        return node->next;
    }
    for (size_t i = (node->hash & map->mask) + 1; i <= map->mask; i++) {
        if (map->buckets[i]) {
            return map->buckets[i];
        }
    }
    return NULL;
}
