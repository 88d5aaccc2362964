/* pcls.c: see pcls.h. */
#include <config.h>
#include "classifier/pcls.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/lprobe.h"
#include "util/util.h"

/* Rules with the same match, by descending priority. */
struct pcls_chain {
    uint64_t gen;
    uint32_t n, cap;
    const struct pcls_rule *rules[];
};

struct pcls_bucket {
    uint32_t hash;
    const struct pcls_chain *chain;     /* NULL: empty. */
};

struct pcls_subtable {
    uint64_t gen;
    struct flow_key mask;
    uint8_t words[FLOW_KEY_WORDS];
    unsigned int n_words;
    int32_t max_priority;
    uint32_t n_rules;
    uint32_t n_chains;
    uint32_t bucket_mask;
    struct pcls_bucket *buckets;        /* Private to this subtable. */
};

struct pcls {
    uint64_t gen;
    uint32_t n_rules;
    uint32_t n, cap;
    const struct pcls_subtable *sorted[];   /* By max_priority, desc. */
};

static inline const uint64_t *
W(const struct flow_key *k)
{
    return (const uint64_t *) k;
}

/* ---- Transactions ---- */

void
pcls_txn_init(struct pcls_txn *txn, void (*free_rule)(struct pcls_rule *))
{
    static _Atomic uint64_t next_gen = 1;
    memset(txn, 0, sizeof *txn);
    txn->gen = atomic_fetch_add(&next_gen, 1);
    txn->free_rule = free_rule;
}

static void
add_garbage(struct pcls_txn *txn, int kind, void *p)
{
    if (txn->n_garbage == txn->cap_garbage) {
        txn->cap_garbage = txn->cap_garbage ? 2 * txn->cap_garbage : 16;
        txn->garbage = xrealloc(txn->garbage,
                                txn->cap_garbage * sizeof *txn->garbage);
    }
    txn->garbage[txn->n_garbage].kind = kind;
    txn->garbage[txn->n_garbage].p = p;
    txn->n_garbage++;
}

void
pcls_txn_retire_rule(struct pcls_txn *txn, struct pcls_rule *rule)
{
    if (rule->gen == txn->gen) {
        txn->free_rule(rule);           /* Never visible to readers. */
    } else {
        add_garbage(txn, PCLS_G_RULE, rule);
    }
}

void
pcls_txn_free_garbage(struct pcls_txn *txn)
{
    for (size_t i = 0; i < txn->n_garbage; i++) {
        if (txn->garbage[i].kind == PCLS_G_RULE) {
            txn->free_rule(txn->garbage[i].p);
        } else {
            free(txn->garbage[i].p);
        }
    }
    pcls_txn_forget_garbage(txn);
}

void
pcls_txn_forget_garbage(struct pcls_txn *txn)
{
    free(txn->garbage);
    txn->garbage = NULL;
    txn->n_garbage = txn->cap_garbage = 0;
}

void
pcls_rule_init(struct pcls_txn *txn, struct pcls_rule *rule,
               const struct flow_key *value, const struct flow_key *mask,
               int32_t priority)
{
    uint64_t *v = (uint64_t *) &rule->value;
    const uint64_t *vi = W(value), *mi = W(mask);
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        v[i] = vi[i] & mi[i];
    }
    rule->mask = *mask;
    rule->priority = priority;
    rule->gen = txn->gen;
}

/* ---- Copy on write ---- */

static struct pcls *
own_table(struct pcls_txn *txn, const struct pcls *t, uint32_t need)
{
    if (t && t->gen == txn->gen && t->cap >= need) {
        return (struct pcls *) t;
    }
    uint32_t cap = t ? t->cap : 0;
    while (cap < need) {
        cap = cap ? 2 * cap : 4;
    }
    struct pcls *n = xzalloc(sizeof *n + cap * sizeof n->sorted[0]);
    n->gen = txn->gen;
    n->cap = cap;
    if (t) {
        n->n_rules = t->n_rules;
        n->n = t->n;
        memcpy(n->sorted, t->sorted, t->n * sizeof t->sorted[0]);
        if (t->gen == txn->gen) {
            free((void *) t);           /* Private: outgrown. */
        } else {
            add_garbage(txn, PCLS_G_MEM, (void *) t);
        }
    }
    return n;
}

static struct pcls_subtable *
own_subtable(struct pcls_txn *txn, struct pcls *t, uint32_t idx)
{
    const struct pcls_subtable *st = t->sorted[idx];
    if (st->gen == txn->gen) {
        return (struct pcls_subtable *) st;
    }
    struct pcls_subtable *n = xmemdup(st, sizeof *st);
    n->gen = txn->gen;
    n->buckets = xmemdup(st->buckets,
                         (st->bucket_mask + 1) * sizeof *st->buckets);
    add_garbage(txn, PCLS_G_MEM, st->buckets);
    add_garbage(txn, PCLS_G_MEM, (void *) st);
    t->sorted[idx] = n;
    return n;
}

static struct pcls_chain *
own_chain(struct pcls_txn *txn, struct pcls_bucket *b, uint32_t need)
{
    const struct pcls_chain *c = b->chain;
    if (c->gen == txn->gen && c->cap >= need) {
        return (struct pcls_chain *) c;
    }
    uint32_t cap = c->cap;
    while (cap < need) {
        cap *= 2;
    }
    struct pcls_chain *n = xmalloc(sizeof *n + cap * sizeof n->rules[0]);
    n->gen = txn->gen;
    n->cap = cap;
    n->n = c->n;
    memcpy(n->rules, c->rules, c->n * sizeof c->rules[0]);
    if (c->gen == txn->gen) {
        free((void *) c);
    } else {
        add_garbage(txn, PCLS_G_MEM, (void *) c);
    }
    b->chain = n;
    return n;
}

/* ---- Subtables ---- */

static inline uint32_t
st_hash(const struct pcls_subtable *st, const struct flow_key *key)
{
    return flow_hash_masked(key, &st->mask, st->words, st->n_words);
}

static inline bool
st_equal(const struct pcls_subtable *st, const struct pcls_rule *r,
         const struct flow_key *key)
{
    return flow_equal_masked(key, &st->mask, &r->value, st->words,
                             st->n_words);
}

/* Index of the bucket holding the chain for masked 'value', or of the
 * empty bucket where it would go. */
static uint32_t
st_find(const struct pcls_subtable *st, const struct flow_key *value,
        uint32_t hash)
{
    uint32_t i = hash & st->bucket_mask;
    for (;;) {
        const struct pcls_bucket *b = &st->buckets[i];
        if (!b->chain
            || (b->hash == hash && st_equal(st, b->chain->rules[0], value))) {
            return i;
        }
        i = (i + 1) & st->bucket_mask;
    }
}

static void
st_put(struct pcls_subtable *st, uint32_t hash,
       const struct pcls_chain *chain)
{
    uint32_t i = hash & st->bucket_mask;
    while (st->buckets[i].chain) {
        i = (i + 1) & st->bucket_mask;
    }
    st->buckets[i].hash = hash;
    st->buckets[i].chain = chain;
}

static void
st_resize(struct pcls_subtable *st, uint32_t n_buckets)
{
    struct pcls_bucket *old = st->buckets;
    uint32_t old_n = old ? st->bucket_mask + 1 : 0;
    st->buckets = xcalloc(n_buckets, sizeof *st->buckets);
    st->bucket_mask = n_buckets - 1;
    for (uint32_t i = 0; i < old_n; i++) {
        if (old[i].chain) {
            st_put(st, old[i].hash, old[i].chain);
        }
    }
    free(old);                          /* Private to the owned copy. */
}

static bool
bucket_used(const void *b)
{
    return ((const struct pcls_bucket *) b)->chain != NULL;
}

static void
st_delete_bucket(struct pcls_subtable *st, uint32_t i)
{
    uint32_t hole = lprobe_delete(st->buckets, sizeof *st->buckets,
                                  st->bucket_mask, i, bucket_used);
    st->buckets[hole].chain = NULL;
}

static int32_t
st_max_priority(const struct pcls_subtable *st)
{
    int32_t max = INT32_MIN;
    for (uint32_t i = 0; i <= st->bucket_mask; i++) {
        const struct pcls_chain *c = st->buckets[i].chain;
        if (c && c->rules[0]->priority > max) {
            max = c->rules[0]->priority;
        }
    }
    return max;
}

/* Moves subtable 'idx' of 't' to its place by max_priority. */
static void
resort_one(struct pcls *t, uint32_t idx)
{
    const struct pcls_subtable *st = t->sorted[idx];
    while (idx > 0 && t->sorted[idx - 1]->max_priority < st->max_priority) {
        t->sorted[idx] = t->sorted[idx - 1];
        idx--;
    }
    while (idx + 1 < t->n
           && t->sorted[idx + 1]->max_priority > st->max_priority) {
        t->sorted[idx] = t->sorted[idx + 1];
        idx++;
    }
    t->sorted[idx] = st;
}

static int
find_subtable(const struct pcls *t, const struct flow_key *mask)
{
    for (uint32_t i = 0; t && i < t->n; i++) {
        if (!memcmp(&t->sorted[i]->mask, mask, sizeof *mask)) {
            return i;
        }
    }
    return -1;
}

/* ---- Edits ---- */

const struct pcls *
pcls_insert(struct pcls_txn *txn, const struct pcls *t_,
            const struct pcls_rule *rule)
{
    int idx = find_subtable(t_, &rule->mask);
    struct pcls *t = own_table(txn, t_, (t_ ? t_->n : 0) + (idx < 0));
    struct pcls_subtable *st;
    if (idx < 0) {
        st = xzalloc(sizeof *st);
        st->gen = txn->gen;
        st->mask = rule->mask;
        const uint64_t *m = W(&rule->mask);
        for (size_t w = 0; w < FLOW_KEY_WORDS; w++) {
            if (m[w]) {
                st->words[st->n_words++] = w;
            }
        }
        st->max_priority = rule->priority;
        st_resize(st, 8);
        idx = t->n++;
        t->sorted[idx] = st;
    } else {
        st = own_subtable(txn, t, idx);
    }
    if (2 * (st->n_chains + 1) > st->bucket_mask + 1) {
        st_resize(st, 2 * (st->bucket_mask + 1));
    }
    uint32_t hash = st_hash(st, &rule->value);
    uint32_t b = st_find(st, &rule->value, hash);
    if (!st->buckets[b].chain) {
        struct pcls_chain *c = xmalloc(sizeof *c + 2 * sizeof c->rules[0]);
        c->gen = txn->gen;
        c->cap = 2;
        c->n = 1;
        c->rules[0] = rule;
        st->buckets[b].hash = hash;
        st->buckets[b].chain = c;
        st->n_chains++;
    } else {
        struct pcls_chain *c = own_chain(txn, &st->buckets[b],
                                         st->buckets[b].chain->n + 1);
        uint32_t pos = c->n;
        while (pos > 0 && c->rules[pos - 1]->priority < rule->priority) {
            c->rules[pos] = c->rules[pos - 1];
            pos--;
        }
        c->rules[pos] = rule;
        c->n++;
    }
    st->n_rules++;
    if (rule->priority > st->max_priority) {
        st->max_priority = rule->priority;
    }
    t->n_rules++;
    resort_one(t, idx);
    return t;
}

/* Finds 'rule' in 't': subtable index and bucket, or false. */
static bool
locate(const struct pcls *t, const struct pcls_rule *rule, int *idx,
       uint32_t *bucket)
{
    *idx = find_subtable(t, &rule->mask);
    if (*idx < 0) {
        return false;
    }
    const struct pcls_subtable *st = t->sorted[*idx];
    *bucket = st_find(st, &rule->value, st_hash(st, &rule->value));
    const struct pcls_chain *c = st->buckets[*bucket].chain;
    for (uint32_t i = 0; c && i < c->n; i++) {
        if (c->rules[i] == rule) {
            return true;
        }
    }
    return false;
}

const struct pcls *
pcls_remove(struct pcls_txn *txn, const struct pcls *t_,
            const struct pcls_rule *rule)
{
    int idx;
    uint32_t b;
    if (!t_ || !locate(t_, rule, &idx, &b)) {
        return t_;
    }
    struct pcls *t = own_table(txn, t_, t_->n);
    struct pcls_subtable *st = own_subtable(txn, t, idx);
    const struct pcls_chain *old = st->buckets[b].chain;
    if (old->n == 1) {
        if (old->gen == txn->gen) {
            free((void *) old);
        } else {
            add_garbage(txn, PCLS_G_MEM, (void *) old);
        }
        st_delete_bucket(st, b);
        st->n_chains--;
    } else {
        struct pcls_chain *c = own_chain(txn, &st->buckets[b], old->n);
        uint32_t i = 0;
        while (c->rules[i] != rule) {
            i++;
        }
        memmove(&c->rules[i], &c->rules[i + 1],
                (c->n - i - 1) * sizeof c->rules[0]);
        c->n--;
    }
    st->n_rules--;
    t->n_rules--;
    if (!st->n_rules) {
        /* 'st' is our copy (own_subtable): free it now. */
        free(st->buckets);
        free(st);
        memmove(&t->sorted[idx], &t->sorted[idx + 1],
                (t->n - idx - 1) * sizeof t->sorted[0]);
        t->n--;
    } else if (rule->priority == st->max_priority) {
        st->max_priority = st_max_priority(st);
        resort_one(t, idx);
    }
    return t;
}

const struct pcls *
pcls_replace(struct pcls_txn *txn, const struct pcls *t_,
             const struct pcls_rule *old, const struct pcls_rule *new)
{
    int idx;
    uint32_t b;
    if (!t_ || !locate(t_, old, &idx, &b)) {
        return pcls_insert(txn, t_, new);
    }
    struct pcls *t = own_table(txn, t_, t_->n);
    struct pcls_subtable *st = own_subtable(txn, t, idx);
    struct pcls_chain *c = own_chain(txn, &st->buckets[b],
                                     st->buckets[b].chain->n);
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->rules[i] == old) {
            c->rules[i] = new;
        }
    }
    return t;
}

/* ---- Lookups ---- */

const struct pcls_rule *
pcls_lookup(const struct pcls *t, const struct flow_key *key,
            struct flow_key *wc)
{
    const struct pcls_rule *best = NULL;
    if (!t) {
        return NULL;
    }
    for (uint32_t i = 0; i < t->n; i++) {
        const struct pcls_subtable *st = t->sorted[i];
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
        uint32_t hash = st_hash(st, key);
        for (uint32_t b = hash & st->bucket_mask;;
             b = (b + 1) & st->bucket_mask) {
            const struct pcls_bucket *bk = &st->buckets[b];
            if (!bk->chain) {
                break;
            }
            if (bk->hash == hash && st_equal(st, bk->chain->rules[0], key)) {
                const struct pcls_rule *r = bk->chain->rules[0];
                if (!best || r->priority > best->priority) {
                    best = r;
                }
                break;
            }
        }
    }
    return best;
}

size_t
pcls_count(const struct pcls *t)
{
    return t ? t->n_rules : 0;
}

/* ---- Freeing ---- */

void
pcls_destroy(const struct pcls *t, void (*free_rule)(struct pcls_rule *))
{
    if (!t) {
        return;
    }
    for (uint32_t i = 0; i < t->n; i++) {
        const struct pcls_subtable *st = t->sorted[i];
        for (uint32_t b = 0; b <= st->bucket_mask; b++) {
            const struct pcls_chain *c = st->buckets[b].chain;
            if (c) {
                for (uint32_t k = 0; free_rule && k < c->n; k++) {
                    free_rule((struct pcls_rule *) c->rules[k]);
                }
                free((void *) c);
            }
        }
        free(st->buckets);
        free((void *) st);
    }
    free((void *) t);
}

void
pcls_discard(const struct pcls *t, const struct pcls_txn *txn)
{
    if (!t || t->gen != txn->gen) {
        return;                 /* Unchanged in the transaction. */
    }
    for (uint32_t i = 0; i < t->n; i++) {
        const struct pcls_subtable *st = t->sorted[i];
        if (st->gen != txn->gen) {
            continue;
        }
        for (uint32_t b = 0; b <= st->bucket_mask; b++) {
            const struct pcls_chain *c = st->buckets[b].chain;
            if (c && c->gen == txn->gen) {
                for (uint32_t k = 0; k < c->n; k++) {
                    if (c->rules[k]->gen == txn->gen) {
                        txn->free_rule((struct pcls_rule *) c->rules[k]);
                    }
                }
                free((void *) c);
            }
        }
        free(st->buckets);
        free((void *) st);
    }
    free((void *) t);
}
