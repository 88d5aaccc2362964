/* classifier.h: a packet classifier over struct flow_key (tuple space
 * search).
 *
 * A rule is a masked key plus a priority.  Rules with the same mask share a
 * subtable; a subtable is a hash table of masked keys, so a lookup costs one
 * hash probe per subtable.  Subtables are visited in order of their highest
 * priority and the search stops as soon as no remaining subtable can beat
 * the best rule found: the highest-priority matching rule wins.  Among
 * rules with identical match and priority only one may exist (the caller,
 * the OpenFlow layer, enforces that).
 *
 * Masks and values are full struct flow_key images; only the 64-bit words
 * where the mask is nonzero take part in hashing and comparison.
 *
 * Threads: a classifier is modified by one thread.  cls_lookup() on a
 * classifier that nobody modifies any more may run in any number of
 * threads concurrently (the datapath looks up immutable snapshots). */
#ifndef OVSNFV_CLASSIFIER_H
#define OVSNFV_CLASSIFIER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "packet/flow.h"
#include "util/hmap.h"

struct cls_subtable;

/* A rule.  Embed it in the caller's own structure. */
struct cls_rule {
    struct flow_key value;      /* Already masked (value & mask). */
    struct flow_key mask;
    int32_t priority;
    /* Private to the classifier. */
    struct hmap_node node;      /* In the subtable (head of a chain). */
    struct cls_rule *next;      /* Same masked value, lower priority. */
    struct cls_subtable *subtable;
};

struct classifier {
    struct hmap subtables;      /* struct cls_subtable, by mask hash. */
    struct cls_subtable **sorted;   /* By max priority, descending. */
    size_t n_sorted;
    size_t n_rules;
};

/* Initializes 'rule' with 'value' under 'mask' (the value is masked here)
 * and 'priority'.  Any thread. */
void cls_rule_init(struct cls_rule *rule, const struct flow_key *value,
                   const struct flow_key *mask, int32_t priority);

/* True if packet key 'key' matches 'rule'.  Any thread. */
bool cls_rule_matches(const struct cls_rule *rule,
                      const struct flow_key *key);

/* True if 'rule' has exactly the match of 'value'/'mask' (value masked). */
bool cls_rule_same_match(const struct cls_rule *rule,
                         const struct flow_key *value,
                         const struct flow_key *mask);

/* True if 'rule' is at least as specific as 'value'/'mask' and agrees with
 * it on every bit the latter matches: the OpenFlow "non-strict" match used
 * by modify/delete/stats requests ('value' must be masked). */
bool cls_rule_is_loose_match(const struct cls_rule *rule,
                             const struct flow_key *value,
                             const struct flow_key *mask);

/* True if some packet could match both 'a' and 'b' (ignoring priority). */
bool cls_rule_overlaps(const struct cls_rule *a, const struct cls_rule *b);

/* Initializes an empty classifier. */
void cls_init(struct classifier *cls);
/* Frees the classifier's own memory; the rules stay the caller's. */
void cls_destroy(struct classifier *cls);

/* Inserts 'rule' (initialized with cls_rule_init()).  The caller must make
 * sure no rule with the same match and priority is present. */
void cls_insert(struct classifier *cls, struct cls_rule *rule);
/* Removes 'rule', which must be in 'cls'. */
void cls_remove(struct classifier *cls, struct cls_rule *rule);

/* The highest-priority rule matching 'key', or NULL.  See the thread note
 * above. */
const struct cls_rule *cls_lookup(const struct classifier *cls,
                                  const struct flow_key *key);

/* Like cls_lookup(), and also ORs into 'wc' the mask of every subtable it
 * probed: the bits of 'key' the result depends on (the wildcards of a
 * flow cache entry).  Same thread rules as cls_lookup(). */
const struct cls_rule *cls_lookup_wc(const struct classifier *cls,
                                     const struct flow_key *key,
                                     struct flow_key *wc);

/* The rule with exactly this match ('value' masked) and priority, or NULL. */
struct cls_rule *cls_find_exact(const struct classifier *cls,
                                const struct flow_key *value,
                                const struct flow_key *mask,
                                int32_t priority);

static inline size_t
cls_count(const struct classifier *cls)
{
    return cls->n_rules;
}

/* Returns a malloc'd array of all rules (caller frees) and their number in
 * '*n', ordered by descending priority. */
struct cls_rule **cls_collect(const struct classifier *cls, size_t *n);

#endif
