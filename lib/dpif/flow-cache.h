/* flow-cache.h: the datapath's flow caches in front of the OpenFlow
 * pipeline.
 *
 * One cache per receive queue, so per PMD thread and per input port: the
 * thread that polls the queue is the only one that reads or writes it (a
 * queue moves to another PMD only across an RCU grace period), so the
 * cache needs no locks and no atomics.  The main thread reaches it only
 * through requests the PMD serves (dpctl/dump-flows, dpctl/del-flows).
 *
 * Two levels:
 * - the exact-match cache (EMC): a 2-way table of full flow keys, each
 *   pointing to a megaflow entry;
 * - the megaflow cache: tuple-space search.  An entry holds a masked key
 *   (the bits the pipeline looked at), the translated operations
 *   (ofpipe_xlate()) and counters.  Entries with the same mask share a
 *   subtable (an open-addressing hash table); subtables are searched in
 *   order of their recent hits.  Pipeline metadata (registers, metadata,
 *   tunnel id) always enters the pipeline as 0 and in_port is fixed per
 *   queue, so those words never take part.
 *
 * Entries remember the pipeline snapshot (ofpipe->serial) they were
 * translated or last checked with.  On a hit on an entry of another
 * snapshot the caller checks whether the tables the entry looked up
 * changed (ofpipe_ops_still_valid()): if not, the entry is carried over;
 * else it is a miss and is translated again, so a flow-mod takes effect
 * for the first packet processed after the new snapshot is published and
 * leaves the entries of other tables alone.  Entries live in
 * chunks that are only freed with the cache, and carry a serial that
 * changes on reuse, so the EMC can hold indices of entries that were
 * removed since and notice it. */
#ifndef OVSNFV_FLOW_CACHE_H
#define OVSNFV_FLOW_CACHE_H 1

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "packet/flow.h"

struct dstr;
struct ofpipe_act;
struct ofpipe_xlate;
struct fc_subtable;

struct fc_entry {
    /* Read by every lookup, first. */
    uint32_t hash;
    uint32_t index;             /* Own slot number. */
    uint64_t serial;            /* 0 while the slot is free. */
    uint64_t pipe_serial;       /* Snapshot the ops are valid for. */
    uint64_t pipe_epoch;        /* Its epoch (ofpipe.h). */
    struct fc_subtable *st;
    uint64_t words[FLOW_KEY_WORDS]; /* Masked key: the subtable's words,
                                     * packed, in the subtable's order. */
    /* Read when executing. */
    bool key_free;              /* Ops need nothing of the packet's key. */
    uint16_t tcp_flags;         /* OR of the packets' TCP flags. */
    uint32_t n_ops;
    struct ofpipe_act *ops;
    uint64_t packets, bytes;
    uint64_t used;              /* TSC of the last hit, 0 never. */
    uint32_t next_free;
};

struct flow_cache;

/* Creates an empty cache.  Any thread (allocates). */
struct flow_cache *flow_cache_create(void);
/* Frees 'fc' and every entry.  Called once no thread uses it. */
void flow_cache_destroy(struct flow_cache *fc);

/* Hash of 'key' for the EMC: the RSS hash when the port gave one
 * ('rss_valid'), else a hash of the addresses, protocol and ports. */
uint32_t flow_cache_emc_hash(const struct flow_key *key, bool rss_valid,
                             uint32_t rss);

/* True when the EMC is worth its cost: a megaflow search would probe more
 * subtables than EMC_MIN_SUBTABLES (below that, one subtable probe costs
 * less than hashing and comparing a whole key). */
bool flow_cache_emc_pays(const struct flow_cache *fc);

/* The entry the EMC holds for exactly 'key', or NULL. */
struct fc_entry *flow_cache_emc_lookup(struct flow_cache *fc,
                                       const struct flow_key *key,
                                       uint32_t hash);
/* Makes the EMC point 'key' at 'e' (evicting an older key). */
void flow_cache_emc_insert(struct flow_cache *fc, const struct flow_key *key,
                           uint32_t hash, struct fc_entry *e);

/* The megaflow entry matching 'key', or NULL; '*n_probed' = subtables
 * searched. */
struct fc_entry *flow_cache_lookup(struct flow_cache *fc,
                                   const struct flow_key *key,
                                   unsigned int *n_probed);
/* Batched lookups: for every packet of a burst first call
 * flow_cache_prefetch() (hashes 'key' for the most used subtable and
 * prefetches its bucket), then flow_cache_prefetch_entry() with the hint
 * it returned (prefetches the entry the bucket points to), then
 * flow_cache_lookup_hinted(), so the cache misses of a burst overlap.  The
 * hints are valid until the cache changes in a way other than by
 * flow_cache_insert() (which never moves subtables). */
uint64_t flow_cache_prefetch(const struct flow_cache *fc,
                             const struct flow_key *key);
void flow_cache_prefetch_entry(const struct flow_cache *fc, uint64_t hint);
struct fc_entry *flow_cache_lookup_hinted(struct flow_cache *fc,
                                          const struct flow_key *key,
                                          uint64_t hint,
                                          unsigned int *n_probed);

/* Installs the translation 'xo' of 'key' (made with snapshot
 * 'pipe_serial'), taking its ops.  Returns the entry, or NULL when the
 * process-wide entry limit (flow_cache_set_limit()) is reached or the
 * cache has too many masks; 'xo' then keeps its ops. */
struct fc_entry *flow_cache_insert(struct flow_cache *fc,
                                   const struct flow_key *key,
                                   struct ofpipe_xlate *xo,
                                   uint64_t pipe_serial, uint64_t epoch);
/* Removes 'e'. */
void flow_cache_remove(struct flow_cache *fc, struct fc_entry *e);
/* Removes every entry. */
void flow_cache_flush(struct flow_cache *fc);

/* The entry that matches every packet of the queue (its mask is empty),
 * or NULL. */
struct fc_entry *flow_cache_catchall(const struct flow_cache *fc);

/* Number of entries in 'fc'. */
unsigned int flow_cache_count(const struct flow_cache *fc);
/* Number of entries in all caches of the process.  Any thread. */
unsigned int flow_cache_total(void);

/* Process-wide settings (other_config:flow-limit and max-idle).  Main
 * thread sets, PMDs read. */
void flow_cache_set_limit(unsigned int flow_limit, unsigned int max_idle_ms);
unsigned int flow_cache_flow_limit(void);
unsigned int flow_cache_max_idle_ms(void);

/* Misses each PMD may translate per second (other_config:
 * upcall-rate-limit, 0 = no limit): beyond it, new flows are dropped so
 * that a flood of them cannot starve established traffic.  Main thread
 * sets, PMDs read. */
void flow_cache_set_upcall_rate(unsigned int per_second);
unsigned int flow_cache_upcall_rate(void);

/* Expires entries idle for 'max_idle' TSC ticks (at time 'now'), looking
 * at up to 'budget' entries from where the last call stopped, and re-ranks
 * the subtables at the end of each pass.  Returns entries removed. */
unsigned int flow_cache_sweep(struct flow_cache *fc, uint64_t now,
                              uint64_t max_idle, unsigned int budget);

/* Appends the match of 'value' under 'mask' in OVS's datapath flow form
 * ("recirc_id(0),in_port(N),...,eth_type(0x0800),ipv4(...),udp(...)"):
 * fields with a zero mask are left out unless 'verbose'.  Any thread. */
void flow_format_masked(struct dstr *ds, const struct flow_key *value,
                        const struct flow_key *mask, uint32_t in_port,
                        bool verbose);

/* Appends one line per entry in OVS's dpctl/dump-flows form: the match of
 * the unmasked fields, "packets:N, bytes:N, used:Ts, actions:...".
 * 'in_port' is the datapath port number of the queue's port, 'port_no'
 * maps OpenFlow output ports to datapath numbers.  With 'verbose' the
 * fully wildcarded fields are shown too, the mask of every field, and
 * the entry's ufid-like id. */
void flow_cache_format(const struct flow_cache *fc, struct dstr *ds,
                       uint32_t in_port, bool verbose, uint64_t now,
                       uint64_t hz,
                       uint32_t (*port_no)(uint32_t ofp, const void *aux),
                       const void *aux);

#endif
