#include <config.h>
#include "util/smap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hash.h"
#include "util/util.h"

void
smap_init(struct smap *smap)
{
    hmap_init(&smap->map);
}

void
smap_clear(struct smap *smap)
{
    struct smap_node *node, *next;
    SMAP_FOR_EACH_SAFE (node, next, smap) {
        hmap_remove(&smap->map, &node->node);
        free(node->key);
        free(node->value);
        free(node);
    }
}

void
smap_destroy(struct smap *smap)
{
    if (smap) {
        smap_clear(smap);
        hmap_destroy(&smap->map);
    }
}

void
smap_clone(struct smap *dst, const struct smap *src)
{
    const struct smap_node *node;
    smap_init(dst);
    SMAP_FOR_EACH (node, src) {
        smap_add_once(dst, node->key, node->value);
    }
}

void
smap_swap(struct smap *a, struct smap *b)
{
    struct hmap tmp = a->map;
    a->map = b->map;
    b->map = tmp;
}

struct smap_node *
smap_get_node(const struct smap *smap, const char *key)
{
    struct smap_node *node;
    HMAP_FOR_EACH_WITH_HASH (node, node, hash_string(key, 0), &smap->map) {
        if (!strcmp(node->key, key)) {
            return node;
        }
    }
    return NULL;
}

static void
add_node(struct smap *smap, const char *key, char *value)
{
    struct smap_node *node = xmalloc(sizeof *node);
    node->key = xstrdup(key);
    node->value = value;
    hmap_insert(&smap->map, &node->node, hash_string(key, 0));
}

void
smap_replace(struct smap *smap, const char *key, const char *value)
{
    struct smap_node *node = smap_get_node(smap, key);
    if (node) {
        char *copy = xstrdup(value);
        free(node->value);
        node->value = copy;
    } else {
        add_node(smap, key, xstrdup(value));
    }
}

void
smap_replace_format(struct smap *smap, const char *key, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *value = xvasprintf(fmt, args);
    va_end(args);
    smap_replace(smap, key, value);
    free(value);
}

bool
smap_add_once(struct smap *smap, const char *key, const char *value)
{
    if (smap_get_node(smap, key)) {
        return false;
    }
    add_node(smap, key, xstrdup(value));
    return true;
}

bool
smap_remove(struct smap *smap, const char *key)
{
    struct smap_node *node = smap_get_node(smap, key);
    if (!node) {
        return false;
    }
    hmap_remove(&smap->map, &node->node);
    free(node->key);
    free(node->value);
    free(node);
    return true;
}

const char *
smap_get(const struct smap *smap, const char *key)
{
    struct smap_node *node = smap_get_node(smap, key);
    return node ? node->value : NULL;
}

const char *
smap_get_def(const struct smap *smap, const char *key, const char *def)
{
    const char *value = smap_get(smap, key);
    return value ? value : def;
}

long long
smap_get_llong(const struct smap *smap, const char *key, long long def)
{
    const char *value = smap_get(smap, key);
    char *end;
    if (!value || !*value) {
        return def;
    }
    long long v = strtoll(value, &end, 10);
    return *end ? def : v;
}

int
smap_get_int(const struct smap *smap, const char *key, int def)
{
    long long v = smap_get_llong(smap, key, def);
    return v < INT32_MIN || v > INT32_MAX ? def : (int) v;
}

bool
smap_get_bool(const struct smap *smap, const char *key, bool def)
{
    const char *value = smap_get(smap, key);
    if (!value) {
        return def;
    }
    if (!strcasecmp(value, "true")) {
        return true;
    } else if (!strcasecmp(value, "false")) {
        return false;
    }
    return def;
}

bool
smap_contains(const struct smap *smap, const char *key)
{
    return smap_get_node(smap, key) != NULL;
}

size_t
smap_count(const struct smap *smap)
{
    return hmap_count(&smap->map);
}

bool
smap_is_empty(const struct smap *smap)
{
    return hmap_is_empty(&smap->map);
}

bool
smap_equal(const struct smap *a, const struct smap *b)
{
    if (smap_count(a) != smap_count(b)) {
        return false;
    }
    const struct smap_node *node;
    SMAP_FOR_EACH (node, a) {
        const char *value = smap_get(b, node->key);
        if (!value || strcmp(value, node->value)) {
            return false;
        }
    }
    return true;
}

static int
compare_nodes(const void *a_, const void *b_)
{
    const struct smap_node *const *a = a_;
    const struct smap_node *const *b = b_;
    return strcmp((*a)->key, (*b)->key);
}

const struct smap_node **
smap_sort(const struct smap *smap)
{
    size_t n = smap_count(smap);
    if (!n) {
        return NULL;
    }
    const struct smap_node **nodes = xmalloc(n * sizeof *nodes);
    const struct smap_node *node;
    size_t i = 0;
    SMAP_FOR_EACH (node, smap) {
        nodes[i++] = node;
    }
    qsort(nodes, n, sizeof *nodes, compare_nodes);
    return nodes;
}
