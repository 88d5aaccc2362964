/* flow-cache.c: see flow-cache.h. */
#include <config.h>
#include "dpif/flow-cache.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>
#include "ofproto/ofpipe.h"
#include "util/dstr.h"
#include "util/lprobe.h"
#include "util/util.h"

/* Words of the key that are the same for every packet of a queue when it
 * enters the pipeline: metadata, tunnel_id, in_port/in_phy_port,
 * registers. */
#define FC_FIRST_WORD (offsetof(struct flow_key, dl_dst) / 8)
_Static_assert(offsetof(struct flow_key, dl_dst) % 8 == 0,
               "packet fields must start on a word");

#define EMC_SIZE 2048                   /* Per queue, 2-way. */
#define EMC_MASK (EMC_SIZE - 1)
#define CHUNK_BITS 8
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_CHUNKS 4096                 /* 1M entries per queue. */
#define MAX_SUBTABLES 128

struct emc_slot {
    uint32_t hash;
    uint32_t index;                     /* Entry index + 1, 0 empty. */
    uint64_t serial;                    /* Entry serial when inserted. */
    struct flow_key key;
};

struct fc_bucket {
    uint32_t hash;
    uint32_t index;                     /* Entry index + 1, 0 empty. */
};

struct fc_subtable {
    struct flow_key mask;
    uint8_t words[FLOW_KEY_WORDS];
    unsigned int n_words;
    struct fc_bucket *buckets;
    uint32_t bucket_mask;               /* Number of buckets - 1. */
    uint32_t n;
    uint64_t hits;                      /* Since the last re-ranking. */
};

struct flow_cache {
    struct emc_slot *emc;               /* [EMC_SIZE], allocated on use. */
    struct fc_entry *chunks[MAX_CHUNKS];
    uint32_t n_chunks;
    uint32_t free_list;                 /* Entry index + 1, 0 none. */
    uint32_t n_entries;
    uint64_t next_serial;
    struct fc_subtable *subtables[MAX_SUBTABLES];   /* Ranked. */
    unsigned int n_subtables;
    uint32_t sweep_pos;
};

static _Atomic unsigned int total_entries;
static _Atomic unsigned int flow_limit = 200000;
static _Atomic unsigned int max_idle_ms = 10000;
static _Atomic unsigned int upcall_rate;

void
flow_cache_set_upcall_rate(unsigned int per_second)
{
    atomic_store_explicit(&upcall_rate, per_second, memory_order_relaxed);
}

unsigned int
flow_cache_upcall_rate(void)
{
    return atomic_load_explicit(&upcall_rate, memory_order_relaxed);
}

void
flow_cache_set_limit(unsigned int limit, unsigned int idle_ms)
{
    atomic_store_explicit(&flow_limit, limit, memory_order_relaxed);
    atomic_store_explicit(&max_idle_ms, idle_ms, memory_order_relaxed);
}

unsigned int
flow_cache_flow_limit(void)
{
    return atomic_load_explicit(&flow_limit, memory_order_relaxed);
}

unsigned int
flow_cache_max_idle_ms(void)
{
    return atomic_load_explicit(&max_idle_ms, memory_order_relaxed);
}

unsigned int
flow_cache_total(void)
{
    return atomic_load_explicit(&total_entries, memory_order_relaxed);
}

static inline const uint64_t *
W(const struct flow_key *k)
{
    return (const uint64_t *) k;
}

static inline struct fc_entry *
entry_at(const struct flow_cache *fc, uint32_t index)
{
    return &fc->chunks[index >> CHUNK_BITS][index & (CHUNK_SIZE - 1)];
}

struct flow_cache *
flow_cache_create(void)
{
    struct flow_cache *fc = xzalloc(sizeof *fc);
    fc->next_serial = 1;
    return fc;
}

static void
subtable_free(struct fc_subtable *st)
{
    free(st->buckets);
    free(st);
}

void
flow_cache_destroy(struct flow_cache *fc)
{
    if (!fc) {
        return;
    }
    for (uint32_t c = 0; c < fc->n_chunks; c++) {
        for (uint32_t i = 0; i < CHUNK_SIZE; i++) {
            free(fc->chunks[c][i].ops);
        }
        free(fc->chunks[c]);
    }
    for (unsigned int i = 0; i < fc->n_subtables; i++) {
        subtable_free(fc->subtables[i]);
    }
    atomic_fetch_sub(&total_entries, fc->n_entries);
    free(fc->emc);
    free(fc);
}

/* ---- EMC ---- */

static inline bool
keys_equal(const struct flow_key *a, const struct flow_key *b)
{
    const uint64_t *x = W(a), *y = W(b);
    uint64_t diff = 0;
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        diff |= x[i] ^ y[i];
    }
    return !diff;
}

uint32_t
flow_cache_emc_hash(const struct flow_key *k, bool rss_valid, uint32_t rss)
{
    if (rss_valid) {
        return rss;
    }
    const uint64_t *w = W(k);
    uint32_t h = rte_hash_crc_8byte(w[offsetof(struct flow_key, dl_dst) / 8],
                                    0);
    h = rte_hash_crc_8byte(w[offsetof(struct flow_key, dl_src) / 8 + 1], h);
    h = rte_hash_crc_8byte(w[offsetof(struct flow_key, nw_src) / 8], h);
    h = rte_hash_crc_8byte(w[offsetof(struct flow_key, nw_proto) / 8], h);
    h = rte_hash_crc_8byte(w[offsetof(struct flow_key, tp_src) / 8], h);
    return h;
}

/* Fewest nonempty subtables for which the EMC is used. */
#define EMC_MIN_SUBTABLES 3

bool
flow_cache_emc_pays(const struct flow_cache *fc)
{
    return fc->n_subtables >= EMC_MIN_SUBTABLES;
}

static inline struct emc_slot *
emc_way(struct flow_cache *fc, uint32_t hash, int way)
{
    return &fc->emc[(way ? hash >> 16 : hash) & EMC_MASK];
}

struct fc_entry *
flow_cache_emc_lookup(struct flow_cache *fc, const struct flow_key *key,
                      uint32_t hash)
{
    if (!fc->emc) {
        return NULL;
    }
    for (int way = 0; way < 2; way++) {
        struct emc_slot *s = emc_way(fc, hash, way);
        if (s->index && s->hash == hash && keys_equal(&s->key, key)) {
            struct fc_entry *e = entry_at(fc, s->index - 1);
            if (e->serial == s->serial) {
                return e;
            }
            s->index = 0;               /* Entry removed since. */
            return NULL;
        }
    }
    return NULL;
}

void
flow_cache_emc_insert(struct flow_cache *fc, const struct flow_key *key,
                      uint32_t hash, struct fc_entry *e)
{
    if (!fc->emc) {
        fc->emc = xcalloc(EMC_SIZE, sizeof *fc->emc);
    }
    struct emc_slot *a = emc_way(fc, hash, 0), *b = emc_way(fc, hash, 1);
    /* An empty way, or one whose entry is gone, else the first way. */
    struct emc_slot *s = a;
    if (a->index && (!b->index
                     || entry_at(fc, b->index - 1)->serial != b->serial)) {
        s = b;
    }
    s->hash = hash;
    s->index = e->index + 1;
    s->serial = e->serial;
    s->key = *key;
}

/* ---- Megaflows ---- */

static inline uint32_t
subtable_hash(const struct fc_subtable *st, const struct flow_key *key)
{
    const uint64_t *k = W(key), *m = W(&st->mask);
    uint32_t h = st->n_words;
    for (unsigned int i = 0; i < st->n_words; i++) {
        unsigned int w = st->words[i];
        h = rte_hash_crc_8byte(k[w] & m[w], h);
    }
    return h;
}

static inline bool
subtable_equal(const struct fc_subtable *st, const struct fc_entry *e,
               const struct flow_key *key)
{
    const uint64_t *k = W(key), *m = W(&st->mask);
    uint64_t diff = 0;
    for (unsigned int i = 0; i < st->n_words; i++) {
        unsigned int w = st->words[i];
        diff |= (k[w] & m[w]) ^ e->words[i];
    }
    return !diff;
}

static struct fc_entry *
subtable_find(const struct flow_cache *fc, const struct fc_subtable *st,
              const struct flow_key *key, uint32_t hash)
{
    for (uint32_t i = hash & st->bucket_mask;;
         i = (i + 1) & st->bucket_mask) {
        const struct fc_bucket *b = &st->buckets[i];
        if (!b->index) {
            return NULL;
        }
        if (b->hash == hash) {
            struct fc_entry *e = entry_at(fc, b->index - 1);
            if (subtable_equal(st, e, key)) {
                return e;
            }
        }
    }
}

/* Hints: bit 32 set when the low 32 bits are the hash of the key for
 * subtable 0. */
#define HINT_VALID (UINT64_C(1) << 32)

uint64_t
flow_cache_prefetch(const struct flow_cache *fc, const struct flow_key *key)
{
    if (!fc->n_subtables) {
        return 0;
    }
    const struct fc_subtable *st = fc->subtables[0];
    uint32_t hash = subtable_hash(st, key);
    rte_prefetch0(&st->buckets[hash & st->bucket_mask]);
    return HINT_VALID | hash;
}

void
flow_cache_prefetch_entry(const struct flow_cache *fc, uint64_t hint)
{
    if (hint & HINT_VALID) {
        const struct fc_subtable *st = fc->subtables[0];
        const struct fc_bucket *b = &st->buckets[(uint32_t) hint
                                                 & st->bucket_mask];
        if (b->index) {
            rte_prefetch0(entry_at(fc, b->index - 1));
        }
    }
}

struct fc_entry *
flow_cache_lookup(struct flow_cache *fc, const struct flow_key *key,
                  unsigned int *n_probed)
{
    return flow_cache_lookup_hinted(fc, key, 0, n_probed);
}

struct fc_entry *
flow_cache_lookup_hinted(struct flow_cache *fc, const struct flow_key *key,
                         uint64_t hint, unsigned int *n_probed)
{
    unsigned int n = fc->n_subtables;
    for (unsigned int i = 0; i < n; i++) {
        struct fc_subtable *st = fc->subtables[i];
        if (!st->n) {
            continue;
        }
        uint32_t hash = !i && (hint & HINT_VALID) ? (uint32_t) hint
                        : subtable_hash(st, key);
        struct fc_entry *e = subtable_find(fc, st, key, hash);
        if (e) {
            st->hits++;
            *n_probed = i + 1;
            return e;
        }
    }
    *n_probed = n;
    return NULL;
}

struct fc_entry *
flow_cache_catchall(const struct flow_cache *fc)
{
    for (unsigned int i = 0; i < fc->n_subtables; i++) {
        const struct fc_subtable *st = fc->subtables[i];
        if (!st->n_words && st->n) {
            for (uint32_t b = 0; b <= st->bucket_mask; b++) {
                if (st->buckets[b].index) {
                    return entry_at(fc, st->buckets[b].index - 1);
                }
            }
        }
    }
    return NULL;
}

static void
bucket_put(struct fc_subtable *st, uint32_t hash, uint32_t index_plus1)
{
    uint32_t i = hash & st->bucket_mask;
    while (st->buckets[i].index) {
        i = (i + 1) & st->bucket_mask;
    }
    st->buckets[i].hash = hash;
    st->buckets[i].index = index_plus1;
}

static void
subtable_grow(struct fc_subtable *st)
{
    struct fc_bucket *old = st->buckets;
    uint32_t old_n = old ? st->bucket_mask + 1 : 0;
    uint32_t n = old_n ? 2 * old_n : 16;
    st->buckets = xcalloc(n, sizeof *st->buckets);
    st->bucket_mask = n - 1;
    for (uint32_t i = 0; i < old_n; i++) {
        if (old[i].index) {
            bucket_put(st, old[i].hash, old[i].index);
        }
    }
    free(old);
}

static struct fc_subtable *
find_or_add_subtable(struct flow_cache *fc, const struct flow_key *mask)
{
    for (unsigned int i = 0; i < fc->n_subtables; i++) {
        if (!memcmp(&fc->subtables[i]->mask, mask, sizeof *mask)) {
            return fc->subtables[i];
        }
    }
    if (fc->n_subtables == MAX_SUBTABLES) {
        return NULL;
    }
    struct fc_subtable *st = xzalloc(sizeof *st);
    st->mask = *mask;
    const uint64_t *m = W(mask);
    for (size_t w = 0; w < FLOW_KEY_WORDS; w++) {
        if (m[w]) {
            st->words[st->n_words++] = w;
        }
    }
    subtable_grow(st);
    fc->subtables[fc->n_subtables++] = st;
    return st;
}

static struct fc_entry *
entry_alloc(struct flow_cache *fc)
{
    if (!fc->free_list) {
        if (fc->n_chunks == MAX_CHUNKS) {
            return NULL;
        }
        uint32_t c = fc->n_chunks++;
        fc->chunks[c] = xcalloc(CHUNK_SIZE, sizeof *fc->chunks[c]);
        for (uint32_t i = CHUNK_SIZE; i-- > 0;) {
            struct fc_entry *e = &fc->chunks[c][i];
            e->index = (c << CHUNK_BITS) | i;
            e->next_free = fc->free_list;
            fc->free_list = e->index + 1;
        }
    }
    struct fc_entry *e = entry_at(fc, fc->free_list - 1);
    fc->free_list = e->next_free;
    return e;
}

struct fc_entry *
flow_cache_insert(struct flow_cache *fc, const struct flow_key *key,
                  struct ofpipe_xlate *xo, uint64_t pipe_serial,
                  uint64_t epoch)
{
    if (flow_cache_total() >= flow_cache_flow_limit()) {
        return NULL;
    }
    struct flow_key mask = xo->mask;
    memset(&mask, 0, FC_FIRST_WORD * 8);
    struct fc_subtable *st = find_or_add_subtable(fc, &mask);
    if (!st) {
        return NULL;
    }
    struct fc_entry *e = entry_alloc(fc);
    if (!e) {
        return NULL;
    }
    const uint64_t *k = W(key), *m = W(&mask);
    for (unsigned int i = 0; i < st->n_words; i++) {
        unsigned int w = st->words[i];
        e->words[i] = k[w] & m[w];
    }
    e->serial = fc->next_serial++;
    e->pipe_serial = pipe_serial;
    e->pipe_epoch = epoch;
    e->st = st;
    e->hash = subtable_hash(st, key);
    e->key_free = xo->key_free;
    e->tcp_flags = 0;
    e->ops = xo->ops;
    e->n_ops = xo->n_ops;
    xo->ops = NULL;
    xo->n_ops = xo->alloc_ops = 0;
    e->packets = e->bytes = e->used = 0;
    if (2 * (st->n + 1) > st->bucket_mask + 1) {
        subtable_grow(st);
    }
    bucket_put(st, e->hash, e->index + 1);
    st->n++;
    fc->n_entries++;
    atomic_fetch_add(&total_entries, 1);
    return e;
}

static bool
bucket_used(const void *b)
{
    return ((const struct fc_bucket *) b)->index != 0;
}

void
flow_cache_remove(struct flow_cache *fc, struct fc_entry *e)
{
    struct fc_subtable *st = e->st;
    uint32_t i = e->hash & st->bucket_mask;
    while (st->buckets[i].index != e->index + 1) {
        i = (i + 1) & st->bucket_mask;
    }
    uint32_t hole = lprobe_delete(st->buckets, sizeof *st->buckets,
                                  st->bucket_mask, i, bucket_used);
    st->buckets[hole].index = 0;
    st->n--;
    free(e->ops);
    e->ops = NULL;
    e->n_ops = 0;
    e->serial = 0;
    e->st = NULL;
    e->next_free = fc->free_list;
    fc->free_list = e->index + 1;
    fc->n_entries--;
    atomic_fetch_sub(&total_entries, 1);
}

void
flow_cache_flush(struct flow_cache *fc)
{
    for (uint32_t c = 0; c < fc->n_chunks; c++) {
        for (uint32_t i = 0; i < CHUNK_SIZE; i++) {
            struct fc_entry *e = &fc->chunks[c][i];
            if (e->serial) {
                flow_cache_remove(fc, e);
            }
        }
    }
}

unsigned int
flow_cache_count(const struct flow_cache *fc)
{
    return fc->n_entries;
}

static int
compare_hits(const void *a_, const void *b_)
{
    const struct fc_subtable *a = *(struct fc_subtable *const *) a_;
    const struct fc_subtable *b = *(struct fc_subtable *const *) b_;
    return a->hits > b->hits ? -1 : a->hits < b->hits;
}

static void
rerank(struct flow_cache *fc)
{
    unsigned int k = 0;
    for (unsigned int i = 0; i < fc->n_subtables; i++) {
        struct fc_subtable *st = fc->subtables[i];
        if (st->n) {
            fc->subtables[k++] = st;
        } else {
            subtable_free(st);
        }
    }
    fc->n_subtables = k;
    qsort(fc->subtables, k, sizeof *fc->subtables, compare_hits);
    for (unsigned int i = 0; i < k; i++) {
        fc->subtables[i]->hits /= 2;        /* Decay. */
    }
}

unsigned int
flow_cache_sweep(struct flow_cache *fc, uint64_t now, uint64_t max_idle,
                 unsigned int budget)
{
    uint32_t n_slots = fc->n_chunks * CHUNK_SIZE;
    unsigned int removed = 0;
    for (unsigned int i = 0; i < budget && n_slots; i++) {
        if (fc->sweep_pos >= n_slots) {
            fc->sweep_pos = 0;
            rerank(fc);
        }
        struct fc_entry *e = entry_at(fc, fc->sweep_pos++);
        if (!e->serial) {
            continue;
        }
        if (!e->used) {
            e->used = now;              /* Installed, not hit yet. */
        } else if (now - e->used > max_idle) {
            flow_cache_remove(fc, e);
            removed++;
        }
    }
    if (!n_slots) {
        rerank(fc);
    }
    return removed;
}

/* ---- Formatting ---- */

struct fmt {
    struct dstr *ds;
    const struct flow_key *v, *m;
    bool verbose;
    bool first;                 /* First field inside the current group. */
};


#define FIELD(F, OFS) ((const uint8_t *) (F) + (OFS))

static void
sep(struct fmt *f)
{
    if (!f->first) {
        dstr_put_char(f->ds, ',');
    }
    f->first = false;
}

static void
put_mac(struct dstr *ds, const uint8_t *a)
{
    dstr_printf(ds, "%02x:%02x:%02x:%02x:%02x:%02x",
                a[0], a[1], a[2], a[3], a[4], a[5]);
}

enum fkind { FK_UINT, FK_HEX, FK_MAC, FK_IP4, FK_IP6, FK_BE16 };

/* Prints "name=value[/mask]" for a field at byte offset 'ofs' of 'len'
 * bytes when its mask is nonzero (or always with verbose). */
static void
put_field(struct fmt *f, const char *name, size_t ofs, size_t len,
          enum fkind kind)
{
    const uint8_t *v = FIELD(f->v, ofs), *m = FIELD(f->m, ofs);
    bool masked = !bytes_all_zero(m, len);
    if (!masked && !f->verbose) {
        return;
    }
    bool exact = bytes_all_ones(m, len);
    sep(f);
    dstr_printf(f->ds, "%s=", name);
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *p = pass ? m : v;
        if (pass) {
            if (exact) {
                break;
            }
            dstr_put_char(f->ds, '/');
        }
        char buf[INET6_ADDRSTRLEN];
        uint64_t x = 0;
        switch (kind) {
        case FK_MAC:
            put_mac(f->ds, p);
            break;
        case FK_IP4:
            dstr_put(f->ds, inet_ntop(AF_INET, p, buf, sizeof buf));
            break;
        case FK_IP6:
            dstr_put(f->ds, inet_ntop(AF_INET6, p, buf, sizeof buf));
            break;
        case FK_BE16:
            x = (uint64_t) p[0] << 8 | p[1];
            dstr_printf(f->ds, pass ? "0x%"PRIx64 : "%"PRIu64, x);
            break;
        case FK_UINT:
        case FK_HEX:
            memcpy(&x, p, len);         /* Host order. */
            dstr_printf(f->ds, kind == FK_HEX || pass ? "0x%"PRIx64
                                                      : "%"PRIu64, x);
            break;
        }
    }
}

#define OFS(F) offsetof(struct flow_key, F)
#define SZ(F) sizeof(((struct flow_key *) 0)->F)

static bool
masked(const struct fmt *f, size_t ofs, size_t len)
{
    return !bytes_all_zero(FIELD(f->m, ofs), len);
}

static void
group_open(struct fmt *f, const char *name)
{
    dstr_printf(f->ds, ",%s(", name);
    f->first = true;
}

static void
format_match(struct fmt *f, uint32_t in_port)
{
    struct dstr *ds = f->ds;
    const struct flow_key *v = f->v;
    dstr_printf(ds, "recirc_id(0),in_port(%"PRIu32"),"
                "packet_type(ns=0,id=0)", in_port);
    if (f->verbose || masked(f, OFS(dl_dst), 12)) {
        group_open(f, "eth");
        put_field(f, "src", OFS(dl_src), 6, FK_MAC);
        put_field(f, "dst", OFS(dl_dst), 6, FK_MAC);
        dstr_put_char(ds, ')');
    }
    if (masked(f, OFS(vlan_tci), SZ(vlan_tci))) {
        group_open(f, "vlan");
        sep(f);
        dstr_printf(ds, "vid=%u,pcp=%u", v->vlan_tci & FLOW_VLAN_VID_MASK,
                    v->vlan_tci >> FLOW_VLAN_PCP_SHIFT);
        dstr_put_char(ds, ')');
    }
    if (f->verbose || masked(f, OFS(dl_type), SZ(dl_type))) {
        dstr_printf(ds, ",eth_type(0x%04x", v->dl_type);
        if (!bytes_all_ones(FIELD(f->m, OFS(dl_type)), SZ(dl_type))) {
            dstr_printf(ds, "/0x%04x", f->m->dl_type);
        }
        dstr_put_char(ds, ')');
    }
    bool ip4 = v->dl_type == ETH_TYPE_IP, ip6 = v->dl_type == ETH_TYPE_IPV6;
    if ((ip4 || ip6) && (f->verbose || masked(f, OFS(nw_frag), 4)
                         || masked(f, OFS(nw_src), 8)
                         || masked(f, OFS(ipv6_label), 4)
                         || masked(f, OFS(ipv6_src), 32))) {
        group_open(f, ip4 ? "ipv4" : "ipv6");
        if (ip4) {
            put_field(f, "src", OFS(nw_src), 4, FK_IP4);
            put_field(f, "dst", OFS(nw_dst), 4, FK_IP4);
        } else {
            put_field(f, "src", OFS(ipv6_src), 16, FK_IP6);
            put_field(f, "dst", OFS(ipv6_dst), 16, FK_IP6);
            put_field(f, "label", OFS(ipv6_label), 4, FK_HEX);
        }
        put_field(f, "proto", OFS(nw_proto), 1, FK_UINT);
        put_field(f, ip4 ? "tos" : "tclass", OFS(nw_tos), 1, FK_HEX);
        put_field(f, ip4 ? "ttl" : "hlimit", OFS(nw_ttl), 1, FK_UINT);
        if (f->verbose || f->m->nw_frag) {
            sep(f);
            dstr_printf(ds, "frag=%s", !(v->nw_frag & FLOW_FRAG_ANY) ? "no"
                        : v->nw_frag & FLOW_FRAG_LATER ? "later" : "first");
        }
        dstr_put_char(ds, ')');
        const char *l4 = v->nw_proto == 6 ? "tcp" : v->nw_proto == 17 ? "udp"
                         : v->nw_proto == 132 ? "sctp" : NULL;
        if (l4 && (f->verbose || masked(f, OFS(tp_src), 4))) {
            group_open(f, l4);
            put_field(f, "src", OFS(tp_src), 2, FK_BE16);
            put_field(f, "dst", OFS(tp_dst), 2, FK_BE16);
            dstr_put_char(ds, ')');
        }
        if ((v->nw_proto == 1 || v->nw_proto == 58)
            && (f->verbose || masked(f, OFS(icmp_type), 2))) {
            group_open(f, v->nw_proto == 1 ? "icmp" : "icmpv6");
            put_field(f, "type", OFS(icmp_type), 1, FK_UINT);
            put_field(f, "code", OFS(icmp_code), 1, FK_UINT);
            dstr_put_char(ds, ')');
        }
    } else if (v->dl_type == ETH_TYPE_ARP
               && (f->verbose || masked(f, OFS(nw_src), 8)
                   || masked(f, OFS(arp_op), 2)
                   || masked(f, OFS(arp_sha), 12))) {
        group_open(f, "arp");
        put_field(f, "sip", OFS(nw_src), 4, FK_IP4);
        put_field(f, "tip", OFS(nw_dst), 4, FK_IP4);
        put_field(f, "op", OFS(arp_op), 2, FK_UINT);
        put_field(f, "sha", OFS(arp_sha), 6, FK_MAC);
        put_field(f, "tha", OFS(arp_tha), 6, FK_MAC);
        dstr_put_char(ds, ')');
    } else if (masked(f, OFS(mpls_lse), 4)) {
        group_open(f, "mpls");
        sep(f);
        dstr_printf(ds, "label=%u,tc=%u,ttl=%u,bos=%u", v->mpls_lse >> 12,
                    (v->mpls_lse >> 9) & 7, v->mpls_lse & 0xff,
                    (v->mpls_lse >> 8) & 1);
        dstr_put_char(ds, ')');
    }
}

void
flow_format_masked(struct dstr *ds, const struct flow_key *value,
                   const struct flow_key *mask, uint32_t in_port,
                   bool verbose)
{
    struct fmt f = { .ds = ds, .v = value, .m = mask, .verbose = verbose };
    format_match(&f, in_port);
}

void
flow_cache_format(const struct flow_cache *fc, struct dstr *ds,
                  uint32_t in_port, bool verbose, uint64_t now, uint64_t hz,
                  uint32_t (*port_no)(uint32_t ofp, const void *aux),
                  const void *aux)
{
    for (uint32_t c = 0; c < fc->n_chunks; c++) {
        for (uint32_t i = 0; i < CHUNK_SIZE; i++) {
            const struct fc_entry *e = &fc->chunks[c][i];
            if (!e->serial) {
                continue;
            }
            if (verbose) {
                dstr_printf(ds, "ufid:%08"PRIx32"-%04"PRIx32"-0000-0000-"
                            "%012"PRIx64", ", e->hash, e->index,
                            e->serial);
            }
            struct flow_key value;
            memset(&value, 0, sizeof value);
            for (unsigned int w = 0; w < e->st->n_words; w++) {
                ((uint64_t *) &value)[e->st->words[w]] = e->words[w];
            }
            flow_format_masked(ds, &value, &e->st->mask, in_port, verbose);
            dstr_printf(ds, ", packets:%"PRIu64", bytes:%"PRIu64", used:",
                        e->packets, e->bytes);
            if (!e->packets) {
                dstr_put(ds, "never");
            } else {
                dstr_printf(ds, "%.3fs", hz ? (double) (now - e->used) / hz
                                            : 0.0);
            }
            if (e->tcp_flags) {
                static const char names[] = "FSRPAUECN";
                dstr_put(ds, ", flags:");
                for (int b = 0; b < 9; b++) {
                    if (e->tcp_flags & (1u << b)) {
                        dstr_put_char(ds, names[b]);
                    }
                }
            }
            dstr_put(ds, ", actions:");
            bool any = false;
            for (uint32_t k = 0; k < e->n_ops; k++) {
                const struct ofpipe_act *a = &e->ops[k];
                if (a->type == OPA_LOOKUP || a->type == OPA_MISS) {
                    continue;
                }
                if (any) {
                    dstr_put_char(ds, ',');
                }
                ofpipe_act_format(a, ds, port_no, aux);
                any = true;
            }
            if (!any) {
                dstr_put(ds, "drop");
            }
            dstr_put_char(ds, '\n');
        }
    }
}
