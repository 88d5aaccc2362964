/* ofpipe.c: see ofpipe.h. */
#include <config.h>
#include "ofproto/ofpipe.h"

#include <stdlib.h>
#include <string.h>
#include "openflow/ofp-group.h"
#include "util/hash.h"
#include "util/util.h"

struct ofpipe_counter *_Atomic
    ofpipe_counter_chunks[OFPIPE_N_THREADS][OFPIPE_MAX_CHUNKS];

/* Main-thread bookkeeping of the bank. */
static uint32_t n_allocated;            /* High-water mark of ids. */
static uint32_t *free_ids, n_free, cap_free;
static struct ofpipe_counter *baselines[OFPIPE_MAX_CHUNKS];

static void
sum_counter(uint32_t id, uint64_t *packets, uint64_t *bytes)
{
    uint64_t p = 0, b = 0;
    for (int t = 0; t < OFPIPE_N_THREADS; t++) {
        struct ofpipe_counter *chunk = atomic_load_explicit(
            &ofpipe_counter_chunks[t][id >> OFPIPE_CHUNK_BITS],
            memory_order_relaxed);
        if (chunk) {
            struct ofpipe_counter *c = &chunk[id & (OFPIPE_CHUNK - 1)];
            p += atomic_load_explicit(&c->packets, memory_order_relaxed);
            b += atomic_load_explicit(&c->bytes, memory_order_relaxed);
        }
    }
    *packets = p;
    *bytes = b;
}

void
ofpipe_counter_reset(uint32_t id)
{
    if (id == OFPIPE_NO_COUNTER) {
        return;
    }
    uint64_t p, b;
    sum_counter(id, &p, &b);
    struct ofpipe_counter *base = &baselines[id >> OFPIPE_CHUNK_BITS]
                                            [id & (OFPIPE_CHUNK - 1)];
    atomic_store(&base->packets, p);
    atomic_store(&base->bytes, b);
}

uint32_t
ofpipe_counter_alloc(void)
{
    uint32_t id;
    if (n_free) {
        id = free_ids[--n_free];
    } else {
        if (n_allocated >= OFPIPE_CHUNK * OFPIPE_MAX_CHUNKS) {
            return OFPIPE_NO_COUNTER;
        }
        id = n_allocated++;
        uint32_t chunk = id >> OFPIPE_CHUNK_BITS;
        if (!baselines[chunk]) {
            baselines[chunk] = xcalloc(OFPIPE_CHUNK, sizeof(struct
                                                            ofpipe_counter));
            for (int t = 0; t < OFPIPE_N_THREADS; t++) {
                struct ofpipe_counter *c
                    = xcalloc(OFPIPE_CHUNK, sizeof *c);
                atomic_store_explicit(&ofpipe_counter_chunks[t][chunk], c,
                                      memory_order_release);
            }
        }
    }
    ofpipe_counter_reset(id);
    return id;
}

void
ofpipe_counter_free(uint32_t id)
{
    if (id == OFPIPE_NO_COUNTER) {
        return;
    }
    if (n_free == cap_free) {
        cap_free = cap_free ? 2 * cap_free : 64;
        free_ids = xrealloc(free_ids, cap_free * sizeof *free_ids);
    }
    free_ids[n_free++] = id;
}

void
ofpipe_counter_read(uint32_t id, uint64_t *packets, uint64_t *bytes)
{
    *packets = *bytes = 0;
    if (id == OFPIPE_NO_COUNTER) {
        return;
    }
    uint64_t p, b;
    sum_counter(id, &p, &b);
    struct ofpipe_counter *base = &baselines[id >> OFPIPE_CHUNK_BITS]
                                            [id & (OFPIPE_CHUNK - 1)];
    *packets = p - atomic_load(&base->packets);
    *bytes = b - atomic_load(&base->bytes);
}

/* ---- Snapshots ---- */

static uint64_t
next_serial(void)
{
    static _Atomic uint64_t serial = 1;
    return atomic_fetch_add(&serial, 1);
}

struct ofpipe *
ofpipe_create(void)
{
    struct ofpipe *pipe = xzalloc(sizeof *pipe);
    pipe->serial = next_serial();
    pipe->epoch = pipe->serial;
    for (int i = 0; i < OFPIPE_N_TABLES; i++) {
        pipe->tables[i].lookup_counter = OFPIPE_NO_COUNTER;
        pipe->tables[i].matched_counter = OFPIPE_NO_COUNTER;
    }
    pipe->normal_rule_counter = OFPIPE_NO_COUNTER;
    return pipe;
}

struct ofpipe *
ofpipe_clone(const struct ofpipe *old)
{
    struct ofpipe *pipe = xmemdup(old, sizeof *old);
    pipe->serial = next_serial();
    pipe->shared_with_next = false;
    memset(&pipe->garbage, 0, sizeof pipe->garbage);
    return pipe;
}

struct ofpipe_rule *
ofpipe_rule_create(void)
{
    struct ofpipe_rule *r = xzalloc(sizeof *r);
    r->counter = OFPIPE_NO_COUNTER;
    r->meter = OFPIPE_NO_METER;
    return r;
}

void
ofpipe_rule_free(struct pcls_rule *rule_)
{
    struct ofpipe_rule *rule = (struct ofpipe_rule *) rule_;
    if (rule) {
        free(rule->apply.acts);
        free(rule->write.acts);
        free(rule);
    }
}

void
ofpipe_add_rule(struct ofpipe *pipe, struct pcls_txn *txn,
                struct ofpipe_rule *rule)
{
    struct ofpipe_table *t = &pipe->tables[rule->table_id];
    t->cls = pcls_insert(txn, t->cls, &rule->cr);
}

bool
ofpipe_ops_still_valid(const struct ofpipe *pipe, uint64_t epoch,
                       const struct ofpipe_act *ops, uint32_t n_ops)
{
    if (epoch != pipe->epoch) {
        return false;
    }
    for (uint32_t i = 0; i < n_ops; i++) {
        const struct ofpipe_act *a = &ops[i];
        if ((a->type == OPA_LOOKUP || a->type == OPA_MISS)
            && pipe->tables[a->u16].version != a->table_version) {
            return false;
        }
    }
    return true;
}

void
ofpipe_destroy(struct ofpipe *pipe)
{
    if (!pipe) {
        return;
    }
    if (pipe->shared_with_next) {
        pcls_txn_free_garbage(&pipe->garbage);
        free(pipe);
        return;
    }
    for (int i = 0; i < OFPIPE_N_TABLES; i++) {
        pcls_destroy(pipe->tables[i].cls, ofpipe_rule_free);
    }
    for (size_t i = 0; i < pipe->n_groups; i++) {
        struct ofpipe_group *g = &pipe->groups[i];
        for (uint32_t b = 0; b < g->n_buckets; b++) {
            free(g->buckets[b].acts.acts);
        }
        free(g->buckets);
    }
    free(pipe->groups);
    free(pipe->meters);
    free(pipe->port_flags);
    free(pipe);
}

void
ofpipe_discard(struct ofpipe *pipe, struct pcls_txn *txn)
{
    for (int i = 0; i < OFPIPE_N_TABLES; i++) {
        pcls_discard(pipe->tables[i].cls, txn);
    }
    pcls_txn_forget_garbage(txn);
    free(pipe);
}

/* ---- Select groups ---- */

static inline uint64_t
sym_mix(uint64_t a, uint64_t b)
{
    /* Order-independent: the same for (a, b) and (b, a). */
    return (a < b ? a : b) * 0x9e3779b97f4a7c15ULL ^ (a < b ? b : a);
}

int
ofpipe_select_bucket(const struct ofpipe_group *g, const struct flow_key *key)
{
    if (!g->total_weight) {
        return -1;
    }
    uint64_t h;
    if (key->dl_type == ETH_TYPE_IP || key->dl_type == ETH_TYPE_ARP) {
        h = sym_mix(key->nw_src, key->nw_dst);
    } else if (key->dl_type == ETH_TYPE_IPV6) {
        uint64_t s0, s1, d0, d1;
        memcpy(&s0, key->ipv6_src, 8);
        memcpy(&s1, key->ipv6_src + 8, 8);
        memcpy(&d0, key->ipv6_dst, 8);
        memcpy(&d1, key->ipv6_dst + 8, 8);
        h = sym_mix(hash_mix64(s0 ^ hash_mix64(s1)),
                    hash_mix64(d0 ^ hash_mix64(d1)));
    } else {
        uint64_t s = 0, d = 0;
        memcpy(&s, key->dl_src.ea, 6);
        memcpy(&d, key->dl_dst.ea, 6);
        h = sym_mix(s, d);
    }
    h = hash_mix64(h ^ key->nw_proto ^ key->dl_type);
    h = hash_mix64(h ^ sym_mix(key->tp_src, key->tp_dst));
    uint32_t pick = (uint32_t) (h >> 32) % g->total_weight;
    for (uint32_t i = 0; i < g->n_buckets; i++) {
        if (pick < g->buckets[i].weight) {
            return i;
        }
        pick -= g->buckets[i].weight;
    }
    return -1;
}

/* ---- Meters ---- */

int
ofpipe_meter_apply(const struct ofpipe_meter *m, uint32_t bytes,
                   uint64_t now_ns)
{
    struct ofpipe_meter_state *st = m->state;
    uint64_t last = atomic_load_explicit(&st->last_ns, memory_order_relaxed);
    if (now_ns > last
        && atomic_compare_exchange_strong(&st->last_ns, &last, now_ns)) {
        uint64_t elapsed = now_ns - last;
        for (uint32_t i = 0; i < m->n_bands; i++) {
            const struct ofpipe_band *b = &m->bands[i];
            /* Tokens: millipackets, or millibits. */
            int64_t cap = (int64_t) (b->burst ? b->burst : b->rate)
                          * (m->pktps ? 1000 : 1000000);
            int64_t add = m->pktps
                          ? (int64_t) (elapsed * b->rate / 1000000)
                          : (int64_t) (elapsed * b->rate / 1000);
            if (elapsed > 10ULL * 1000000000ULL) {
                add = cap;      /* Long idle: a full bucket. */
            }
            int64_t t = atomic_fetch_add(&st->tokens[i], add) + add;
            if (t > cap) {
                atomic_store(&st->tokens[i], cap);
            }
        }
    }
    int fired = -1;
    int64_t cost = m->pktps ? 1000 : (int64_t) bytes * 8 * 1000;
    for (uint32_t i = 0; i < m->n_bands; i++) {
        int64_t before = atomic_fetch_sub(&st->tokens[i], cost);
        if (before < cost) {
            atomic_fetch_add(&st->tokens[i], cost);
            if (fired < 0 || m->bands[i].rate > m->bands[fired].rate) {
                fired = i;
            }
        }
    }
    return fired;
}
