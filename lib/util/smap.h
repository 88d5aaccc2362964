/* smap.h: a map from strings to strings.
 *
 * Used for OVSDB's string-to-string map columns (other_config, options,
 * external_ids, status...).  Keys are unique.  Not thread-safe: an smap
 * belongs to one thread at a time. */
#ifndef OVSNFV_SMAP_H
#define OVSNFV_SMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/hmap.h"

struct smap_node {
    struct hmap_node node;
    char *key;
    char *value;
};

struct smap {
    struct hmap map;
};

void smap_init(struct smap *);
void smap_destroy(struct smap *);
void smap_clear(struct smap *);
/* Makes 'dst' (initialised by this call) a copy of 'src'. */
void smap_clone(struct smap *dst, const struct smap *src);
/* Swaps the contents of 'a' and 'b'. */
void smap_swap(struct smap *a, struct smap *b);

/* Sets 'key' to 'value', replacing any previous value. */
void smap_replace(struct smap *, const char *key, const char *value);
/* Same, with a printf-formatted value. */
void smap_replace_format(struct smap *, const char *key, const char *fmt,
                         ...) PRINTF_FMT(3, 4);
/* Adds 'key' only if absent; returns true if it was added. */
bool smap_add_once(struct smap *, const char *key, const char *value);
/* Removes 'key'; returns true if it was present. */
bool smap_remove(struct smap *, const char *key);

/* Value of 'key', or NULL. */
const char *smap_get(const struct smap *, const char *key);
/* Value of 'key', or 'def' when absent. */
const char *smap_get_def(const struct smap *, const char *key,
                         const char *def);
struct smap_node *smap_get_node(const struct smap *, const char *key);
/* Value of 'key' parsed as an integer ("true"/"false" for bools), or 'def'
 * when absent or unparsable. */
long long smap_get_llong(const struct smap *, const char *key, long long def);
int smap_get_int(const struct smap *, const char *key, int def);
bool smap_get_bool(const struct smap *, const char *key, bool def);
bool smap_contains(const struct smap *, const char *key);

size_t smap_count(const struct smap *);
bool smap_is_empty(const struct smap *);
bool smap_equal(const struct smap *, const struct smap *);

/* Returns a malloc'd array of the nodes sorted by key (NULL if empty); the
 * caller frees the array, not the nodes. */
const struct smap_node **smap_sort(const struct smap *);

#define SMAP_FOR_EACH(NODE, SMAP) HMAP_FOR_EACH (NODE, node, &(SMAP)->map)
#define SMAP_FOR_EACH_SAFE(NODE, NEXT, SMAP) \
    HMAP_FOR_EACH_SAFE (NODE, NEXT, node, &(SMAP)->map)

#endif
