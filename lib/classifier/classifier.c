/* classifier.c: see classifier.h. */
#include <config.h>
#include "classifier/classifier.h"

#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/util.h"

struct cls_subtable {
    struct hmap_node node;      /* In classifier->subtables. */
    struct flow_key mask;
    uint8_t words[FLOW_KEY_WORDS];  /* Indices of the nonzero mask words. */
    unsigned int n_words;
    struct hmap rules;          /* Chain heads, by masked-value hash. */
    size_t n_rules;
    int32_t max_priority;
    struct hmap priorities;     /* struct prio_count: rules per priority, so
                                 * removing the top rule finds the next
                                 * maximum without a scan of the rules. */
};

struct prio_count {
    struct hmap_node node;
    int32_t priority;
    size_t n;
};

static struct prio_count *
prio_find(const struct cls_subtable *st, int32_t priority)
{
    struct prio_count *pc;
    HMAP_FOR_EACH_WITH_HASH (pc, node, hash_uint64((uint32_t) priority, 7),
                             &st->priorities) {
        if (pc->priority == priority) {
            return pc;
        }
    }
    return NULL;
}

static void
prio_add(struct cls_subtable *st, int32_t priority)
{
    struct prio_count *pc = prio_find(st, priority);
    if (!pc) {
        pc = xzalloc(sizeof *pc);
        pc->priority = priority;
        hmap_insert(&st->priorities, &pc->node,
                    hash_uint64((uint32_t) priority, 7));
    }
    pc->n++;
}

/* Returns true if no rule of 'priority' is left. */
static bool
prio_remove(struct cls_subtable *st, int32_t priority)
{
    struct prio_count *pc = prio_find(st, priority);
    if (pc && !--pc->n) {
        hmap_remove(&st->priorities, &pc->node);
        free(pc);
        return true;
    }
    return false;
}

static void
prio_destroy(struct cls_subtable *st)
{
    struct prio_count *pc, *next;
    HMAP_FOR_EACH_SAFE (pc, next, node, &st->priorities) {
        hmap_remove(&st->priorities, &pc->node);
        free(pc);
    }
    hmap_destroy(&st->priorities);
}

static inline const uint64_t *
W(const struct flow_key *k)
{
    return (const uint64_t *) k;
}

void
cls_rule_init(struct cls_rule *rule, const struct flow_key *value,
              const struct flow_key *mask, int32_t priority)
{
    memset(rule, 0, sizeof *rule);
    uint64_t *v = (uint64_t *) &rule->value;
    const uint64_t *vi = W(value), *mi = W(mask);
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        v[i] = vi[i] & mi[i];
    }
    rule->mask = *mask;
    rule->priority = priority;
}

bool
cls_rule_matches(const struct cls_rule *rule, const struct flow_key *key)
{
    const uint64_t *v = W(&rule->value), *m = W(&rule->mask), *k = W(key);
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((k[i] & m[i]) != v[i]) {
            return false;
        }
    }
    return true;
}

bool
cls_rule_same_match(const struct cls_rule *rule, const struct flow_key *value,
                    const struct flow_key *mask)
{
    return !memcmp(&rule->mask, mask, sizeof *mask)
           && !memcmp(&rule->value, value, sizeof *value);
}

bool
cls_rule_is_loose_match(const struct cls_rule *rule,
                        const struct flow_key *value,
                        const struct flow_key *mask)
{
    const uint64_t *rv = W(&rule->value), *rm = W(&rule->mask);
    const uint64_t *cv = W(value), *cm = W(mask);
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((rm[i] & cm[i]) != cm[i] || (rv[i] & cm[i]) != cv[i]) {
            return false;
        }
    }
    return true;
}

bool
cls_rule_overlaps(const struct cls_rule *a, const struct cls_rule *b)
{
    const uint64_t *av = W(&a->value), *am = W(&a->mask);
    const uint64_t *bv = W(&b->value), *bm = W(&b->mask);
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((av[i] ^ bv[i]) & am[i] & bm[i]) {
            return false;
        }
    }
    return true;
}

void
cls_init(struct classifier *cls)
{
    hmap_init(&cls->subtables);
    cls->sorted = NULL;
    cls->n_sorted = 0;
    cls->n_rules = 0;
}

void
cls_destroy(struct classifier *cls)
{
    struct cls_subtable *st, *next;
    HMAP_FOR_EACH_SAFE (st, next, node, &cls->subtables) {
        hmap_remove(&cls->subtables, &st->node);
        hmap_destroy(&st->rules);
        prio_destroy(st);
        free(st);
    }
    hmap_destroy(&cls->subtables);
    free(cls->sorted);
    cls->sorted = NULL;
    cls->n_sorted = 0;
    cls->n_rules = 0;
}

static uint32_t
hash_mask(const struct flow_key *mask)
{
    return hash_bytes(mask, sizeof *mask, 0);
}

static inline uint32_t
subtable_hash(const struct cls_subtable *st, const struct flow_key *key)
{
    return flow_hash_masked(key, &st->mask, st->words, st->n_words);
}

/* True if masked 'key' equals chain head 'rule''s value on the subtable's
 * words. */
static inline bool
subtable_equal(const struct cls_subtable *st, const struct cls_rule *rule,
               const struct flow_key *key)
{
    return flow_equal_masked(key, &st->mask, &rule->value, st->words,
                             st->n_words);
}

static int
compare_subtables(const void *a_, const void *b_)
{
    const struct cls_subtable *a = *(const struct cls_subtable *const *) a_;
    const struct cls_subtable *b = *(const struct cls_subtable *const *) b_;
    return a->max_priority > b->max_priority ? -1
           : a->max_priority < b->max_priority;
}

static void
resort(struct classifier *cls)
{
    size_t n = hmap_count(&cls->subtables);
    cls->sorted = xrealloc(cls->sorted, (n ? n : 1) * sizeof *cls->sorted);
    size_t i = 0;
    struct cls_subtable *st;
    HMAP_FOR_EACH (st, node, &cls->subtables) {
        cls->sorted[i++] = st;
    }
    qsort(cls->sorted, n, sizeof *cls->sorted, compare_subtables);
    cls->n_sorted = n;
}

static struct cls_subtable *
find_subtable(const struct classifier *cls, const struct flow_key *mask)
{
    struct cls_subtable *st;
    HMAP_FOR_EACH_WITH_HASH (st, node, hash_mask(mask), &cls->subtables) {
        if (!memcmp(&st->mask, mask, sizeof *mask)) {
            return st;
        }
    }
    return NULL;
}

static struct cls_rule *
find_chain(const struct cls_subtable *st, const struct flow_key *value)
{
    struct cls_rule *head;
    uint32_t hash = subtable_hash(st, value);
    HMAP_FOR_EACH_WITH_HASH (head, node, hash, &st->rules) {
        if (subtable_equal(st, head, value)) {
            return head;
        }
    }
    return NULL;
}

void
cls_insert(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = find_subtable(cls, &rule->mask);
    if (!st) {
        st = xzalloc(sizeof *st);
        st->mask = rule->mask;
        const uint64_t *m = W(&st->mask);
        for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
            if (m[i]) {
                st->words[st->n_words++] = i;
            }
        }
        hmap_init(&st->rules);
        hmap_init(&st->priorities);
        st->max_priority = INT32_MIN;
        hmap_insert(&cls->subtables, &st->node, hash_mask(&st->mask));
    }
    rule->subtable = st;
    rule->next = NULL;
    struct cls_rule *head = find_chain(st, &rule->value);
    if (!head) {
        hmap_insert(&st->rules, &rule->node, subtable_hash(st, &rule->value));
    } else if (rule->priority > head->priority) {
        /* New head. */
        hmap_remove(&st->rules, &head->node);
        rule->next = head;
        hmap_insert(&st->rules, &rule->node, subtable_hash(st, &rule->value));
    } else {
        struct cls_rule *prev = head;
        while (prev->next && prev->next->priority >= rule->priority) {
            prev = prev->next;
        }
        rule->next = prev->next;
        prev->next = rule;
    }
    st->n_rules++;
    cls->n_rules++;
    prio_add(st, rule->priority);
    if (rule->priority > st->max_priority || st->n_rules == 1) {
        st->max_priority = rule->priority;
    }
    resort(cls);
}

static int32_t
subtable_max_priority(const struct cls_subtable *st)
{
    int32_t max = INT32_MIN;
    const struct prio_count *pc;
    HMAP_FOR_EACH (pc, node, &st->priorities) {
        if (pc->priority > max) {
            max = pc->priority;
        }
    }
    return max;
}

void
cls_remove(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = rule->subtable;
    struct cls_rule *head = find_chain(st, &rule->value);
    if (head == rule) {
        hmap_remove(&st->rules, &rule->node);
        if (rule->next) {
            hmap_insert(&st->rules, &rule->next->node,
                        subtable_hash(st, &rule->next->value));
        }
    } else {
        struct cls_rule *prev = head;
        while (prev && prev->next != rule) {
            prev = prev->next;
        }
        if (!prev) {
            return;             /* Not in this classifier. */
        }
        prev->next = rule->next;
    }
    rule->next = NULL;
    rule->subtable = NULL;
    st->n_rules--;
    cls->n_rules--;
    bool last_of_priority = prio_remove(st, rule->priority);
    if (!st->n_rules) {
        hmap_remove(&cls->subtables, &st->node);
        hmap_destroy(&st->rules);
        prio_destroy(st);
        free(st);
    } else if (last_of_priority && rule->priority == st->max_priority) {
        st->max_priority = subtable_max_priority(st);
    }
    resort(cls);
}

static inline const struct cls_rule *
lookup__(const struct classifier *cls, const struct flow_key *key,
         struct flow_key *wc)
{
    const struct cls_rule *best = NULL;
    for (size_t i = 0; i < cls->n_sorted; i++) {
        const struct cls_subtable *st = cls->sorted[i];
        if (best && best->priority >= st->max_priority) {
            break;
        }
        if (wc) {
            uint64_t *w = (uint64_t *) wc;
            const uint64_t *m = W(&st->mask);
            for (unsigned int j = 0; j < st->n_words; j++) {
                w[st->words[j]] |= m[st->words[j]];
            }
        }
        uint32_t hash = subtable_hash(st, key);
        const struct cls_rule *head;
        HMAP_FOR_EACH_WITH_HASH (head, node, hash, &st->rules) {
            if (subtable_equal(st, head, key)) {
                if (!best || head->priority > best->priority) {
                    best = head;
                }
                break;
            }
        }
    }
    return best;
}

const struct cls_rule *
cls_lookup(const struct classifier *cls, const struct flow_key *key)
{
    return lookup__(cls, key, NULL);
}

const struct cls_rule *
cls_lookup_wc(const struct classifier *cls, const struct flow_key *key,
              struct flow_key *wc)
{
    return lookup__(cls, key, wc);
}

struct cls_rule *
cls_find_exact(const struct classifier *cls, const struct flow_key *value,
               const struct flow_key *mask, int32_t priority)
{
    const struct cls_subtable *st = find_subtable(cls, mask);
    if (!st) {
        return NULL;
    }
    for (struct cls_rule *r = find_chain(st, value); r; r = r->next) {
        if (r->priority == priority) {
            return r;
        }
    }
    return NULL;
}

static int
compare_rules(const void *a_, const void *b_)
{
    const struct cls_rule *a = *(const struct cls_rule *const *) a_;
    const struct cls_rule *b = *(const struct cls_rule *const *) b_;
    return a->priority > b->priority ? -1 : a->priority < b->priority;
}

struct cls_rule **
cls_collect(const struct classifier *cls, size_t *n)
{
    struct cls_rule **rules = xcalloc(cls->n_rules + 1, sizeof *rules);
    size_t k = 0;
    struct cls_subtable *st;
    HMAP_FOR_EACH (st, node, &cls->subtables) {
        struct cls_rule *head;
        HMAP_FOR_EACH (head, node, &st->rules) {
            for (struct cls_rule *r = head; r; r = r->next) {
                rules[k++] = r;
            }
        }
    }
    qsort(rules, k, sizeof *rules, compare_rules);
    *n = k;
    return rules;
}
