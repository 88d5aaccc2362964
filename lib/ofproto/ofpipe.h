/* ofpipe.h: the compiled OpenFlow pipeline that the datapath executes.
 *
 * The switch agent (ofproto.c) owns the OpenFlow tables, groups and meters
 * and edits them on flow-mods.  After a batch of edits it compiles an
 * immutable snapshot of them, a struct ofpipe, and publishes it to the
 * datapath with dpif_set_pipeline() (RCU: the PMD threads pick up the new
 * pointer on their next burst; the old snapshot is freed after a grace
 * period).  PMD threads only read a snapshot.
 *
 * Everything in a snapshot is flat and ready for the packet path: each rule
 * carries its apply-actions and write-actions as arrays of struct
 * ofpipe_act (no per-packet decoding or pointer chasing through the
 * OpenFlow structures), groups are indexed directly, set-fields carry
 * their value and mask.  A later flow cache can memoise "key -> list of
 * (rule, actions)" against a snapshot and revalidate when the snapshot
 * pointer changes.
 *
 * Counters (rules, tables, groups, buckets, meters and bands) live in a
 * process-wide counter bank with one slot per thread: each PMD thread (by
 * its tx id) and the main thread write only their own slot, with plain
 * relaxed stores, and the main thread sums the slots.  Counter ids are
 * allocated by the main thread and released only once no published
 * snapshot uses them; a reused id starts from a fresh baseline. */
#ifndef OVSNFV_OFPIPE_H
#define OVSNFV_OFPIPE_H 1

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "classifier/pcls.h"
#include "openflow/ofp-match.h"

struct rte_ring;

/* ---- Counter bank ---------------------------------------------------- */

#define OFPIPE_N_THREADS 65             /* 64 PMD tx ids + the main thread. */
#define OFPIPE_MAIN_THREAD 64
#define OFPIPE_CHUNK_BITS 10
#define OFPIPE_CHUNK (1u << OFPIPE_CHUNK_BITS)
#define OFPIPE_MAX_CHUNKS 1024          /* Up to 1M counters. */
#define OFPIPE_NO_COUNTER UINT32_MAX

struct ofpipe_counter {
    _Atomic uint64_t packets;
    _Atomic uint64_t bytes;
};

/* chunks[thread][chunk] -> array of OFPIPE_CHUNK counters. */
extern struct ofpipe_counter *_Atomic
    ofpipe_counter_chunks[OFPIPE_N_THREADS][OFPIPE_MAX_CHUNKS];

/* Adds to counter 'id' from thread slot 'thread'.  Hot path; only the
 * owner of 'thread' may call it. */
static inline void
ofpipe_counter_add(unsigned int thread, uint32_t id, uint64_t packets,
                   uint64_t bytes)
{
    if (id >= OFPIPE_CHUNK * OFPIPE_MAX_CHUNKS) {
        return;                 /* OFPIPE_NO_COUNTER. */
    }
    struct ofpipe_counter *chunk = atomic_load_explicit(
        &ofpipe_counter_chunks[thread][id >> OFPIPE_CHUNK_BITS],
        memory_order_relaxed);
    if (chunk) {
        struct ofpipe_counter *c = &chunk[id & (OFPIPE_CHUNK - 1)];
        atomic_store_explicit(&c->packets,
            atomic_load_explicit(&c->packets, memory_order_relaxed) + packets,
            memory_order_relaxed);
        atomic_store_explicit(&c->bytes,
            atomic_load_explicit(&c->bytes, memory_order_relaxed) + bytes,
            memory_order_relaxed);
    }
}

/* Allocates a counter that reads 0 from now on.  Main thread.  Returns
 * OFPIPE_NO_COUNTER when the bank is full. */
uint32_t ofpipe_counter_alloc(void);
/* Releases 'id' for reuse.  The caller makes sure that no published
 * snapshot still uses it (release after the snapshot that last did was
 * replaced, which waits for a grace period).  Main thread. */
void ofpipe_counter_free(uint32_t id);
/* Reads the sum over all threads, minus the baseline.  Main thread. */
void ofpipe_counter_read(uint32_t id, uint64_t *packets, uint64_t *bytes);
/* Makes 'id' read 0 from now on (OFPFF_RESET_COUNTS).  Main thread. */
void ofpipe_counter_reset(uint32_t id);

/* ---- Compiled actions ------------------------------------------------- */

enum ofpipe_act_type {
    OPA_OUTPUT,                 /* port */
    OPA_IN_PORT,
    OPA_FLOOD,
    OPA_ALL,
    OPA_NORMAL,
    OPA_LOCAL,
    OPA_CONTROLLER,             /* u16 = max_len */
    OPA_TABLE,                  /* Packet-out only: run the pipeline. */
    OPA_SET_FIELD,              /* field, value, mask */
    OPA_PUSH_VLAN,              /* u16 = TPID */
    OPA_POP_VLAN,
    OPA_PUSH_MPLS,              /* u16 = EtherType */
    OPA_POP_MPLS,               /* u16 = EtherType */
    OPA_SET_MPLS_TTL,           /* u32 = TTL */
    OPA_DEC_MPLS_TTL,
    OPA_SET_NW_TTL,             /* u32 = TTL */
    OPA_DEC_NW_TTL,
    OPA_COPY_TTL_OUT,
    OPA_COPY_TTL_IN,
    OPA_SET_QUEUE,              /* u32 = queue (recorded, no QoS yet) */
    OPA_PUSH_PBB,               /* u16 = EtherType */
    OPA_POP_PBB,
    OPA_GROUP,                  /* u32 = index into ofpipe->groups */
    OPA_METER,                  /* u32 = index into ofpipe->meters */
    OPA_DROP,                   /* A reference to something that is gone,
                                 * or the end of a pipeline without an
                                 * output. */
    /* Only in translations (ofpipe_xlate()): */
    OPA_LOOKUP,                 /* u16 = table, rule = the rule it matched:
                                 * counts the lookup and the rule and makes
                                 * 'rule' the current one (packet-ins).
                                 * The counter ids, copied so that counting
                                 * reads nothing else: u32 = the rule's,
                                 * ctrs[0], ctrs[1] = the table's lookup
                                 * and matched counters. */
    OPA_MISS,                   /* u16 = table: a lookup that matched
                                 * nothing (counted; ctrs[0] = the table's
                                 * lookup counter). */
};

struct ofpipe_act {
    uint8_t type;               /* OPA_*. */
    uint8_t field;              /* OPA_SET_FIELD: enum mf_field. */
    uint16_t u16;
    uint32_t u32;
    const struct ofpipe_rule *rule;     /* OPA_LOOKUP only. */
    union {
        struct {
            uint8_t value[MF_MAX_WIDTH];    /* OPA_SET_FIELD only. */
            uint8_t mask[MF_MAX_WIDTH];
        };
        struct {                            /* OPA_LOOKUP, OPA_MISS. */
            uint32_t ctrs[2];
            uint32_t table_version;         /* ofpipe_table.version at
                                             * translation. */
        };
    };
};

/* A flat action list. */
struct ofpipe_acts {
    struct ofpipe_act *acts;
    uint32_t n;
};

/* ---- Rules and tables ------------------------------------------------- */

#define OFPIPE_N_TABLES 255
#define OFPIPE_NO_METER UINT32_MAX

struct ofpipe_rule {
    struct pcls_rule cr;        /* Match and priority (first member). */
    uint32_t counter;           /* Counter bank id. */
    uint64_t cookie;
    uint8_t table_id;
    bool table_miss;            /* Priority 0, empty match: packet-ins it
                                 * makes carry OFPR_NO_MATCH. */
    bool clear_actions;
    bool has_goto;
    uint8_t goto_table;
    bool has_metadata;
    uint64_t metadata, metadata_mask;
    uint32_t meter;             /* Index in ofpipe->meters or NO_METER. */
    struct ofpipe_acts apply;
    struct ofpipe_acts write;
};

struct ofpipe_table {
    const struct pcls *cls;     /* struct ofpipe_rule; NULL: empty. */
    uint32_t lookup_counter;    /* packets = lookups. */
    uint32_t matched_counter;   /* packets = matches. */
    uint32_t version;           /* Changes when an incremental edit changes
                                 * this table (see 'epoch'). */
};

/* ---- Groups and meters ------------------------------------------------ */

struct ofpipe_bucket {
    uint16_t weight;
    bool live;                  /* Fast-failover: watch port/group live. */
    uint32_t counter;
    struct ofpipe_acts acts;
};

struct ofpipe_group {
    uint32_t group_id;
    uint8_t type;               /* OFPGT_*. */
    uint32_t counter;
    uint32_t total_weight;
    uint32_t n_buckets;
    struct ofpipe_bucket *buckets;
};

struct ofpipe_band {
    uint16_t type;              /* OFPMBT_DROP or OFPMBT_DSCP_REMARK. */
    uint8_t prec_level;
    uint32_t rate;              /* kbps or pktps. */
    uint32_t burst;             /* kbits or packets. */
    uint32_t counter;
};

/* Token-bucket state, shared by all threads (updated with atomics) and
 * kept across snapshots by the agent. */
struct ofpipe_meter_state {
    _Atomic uint64_t last_ns;           /* Last refill time. */
    _Atomic int64_t tokens[16];         /* Per band: units x 1000. */
};

struct ofpipe_meter {
    uint32_t meter_id;
    bool pktps;
    uint32_t counter;
    uint32_t n_bands;
    struct ofpipe_band bands[16];
    struct ofpipe_meter_state *state;   /* Owned by the agent. */
};

/* What a PMD hands to the main thread for a packet-in (rte_ring element). */
struct ofpipe_pktin {
    void *mbuf;                 /* struct rte_mbuf *, a private copy. */
    uint64_t cookie;
    uint64_t metadata;
    uint64_t tunnel_id;
    uint32_t in_port;
    uint16_t max_len;
    uint8_t reason;             /* OFPR_*. */
    uint8_t table_id;
    uint32_t regs[8];
};

/* ---- Port configuration (port-mod) ------------------------------------ */

enum {
    OFPIPE_PORT_NO_RECV = 1 << 0,       /* Drop what arrives. */
    OFPIPE_PORT_NO_FWD = 1 << 1,        /* Send nothing out. */
    OFPIPE_PORT_NO_FLOOD = 1 << 2,      /* Skip in FLOOD. */
    OFPIPE_PORT_NO_PACKET_IN = 1 << 3,  /* No packet-ins for its packets. */
};

/* ---- The snapshot ------------------------------------------------------ */

struct ofpipe {
    /* Fast path: table 0 holds only "priority=0 actions=NORMAL" (the
     * default OVS installs) and nothing else can be reached: the datapath
     * runs its NORMAL learning switch directly and counts that rule. */
    bool normal_only;
    uint32_t normal_rule_counter;
    /* OFPC_FRAG_DROP (set-config): IP fragments are dropped before the
     * first table. */
    bool frag_drop;

    struct ofpipe_table tables[OFPIPE_N_TABLES];
    struct ofpipe_group *groups;
    size_t n_groups;
    struct ofpipe_meter *meters;
    size_t n_meters;
    struct rte_ring *pktin_ring;        /* Packet-ins, or NULL. */
    uint32_t version;
    uint64_t serial;                    /* Unique among all snapshots of
                                         * the process (flow caches tag
                                         * their entries with it). */
    /* A snapshot derived by incremental edits keeps its predecessor's
     * epoch, its groups, meters and port flags, and the rules of every
     * table whose 'version' did not change; a full compilation starts a
     * new epoch.  So a translation stays valid in a newer snapshot of the
     * same epoch whose tables it looked up kept their versions. */
    uint64_t epoch;
    /* OFPIPE_PORT_* by datapath port number (0..max_port), NULL if no
     * port has any; the local port's in 'local_port_flags'. */
    uint8_t *port_flags;
    uint32_t max_port;
    uint8_t local_port_flags;

    /* Writer's bookkeeping (main thread): set when the next snapshot was
     * derived from this one and shares its parts; 'garbage' then holds
     * what only this one uses. */
    bool shared_with_next;
    struct pcls_txn garbage;
    bool editable;              /* Can be the base of incremental edits. */
};

/* The OFPIPE_PORT_* flags of datapath port 'dp_port'.  Any thread. */
static inline uint8_t
ofpipe_port_flags(const struct ofpipe *pipe, uint32_t dp_port)
{
    if (!pipe->port_flags) {
        return 0;
    }
    if (dp_port == 65534) {
        return pipe->local_port_flags;
    }
    return dp_port <= pipe->max_port ? pipe->port_flags[dp_port] : 0;
}

/* Allocates an empty snapshot (all tables empty).  Main thread. */
struct ofpipe *ofpipe_create(void);
/* Allocates a snapshot that starts as a copy of 'old' and shares all of
 * its tables, groups, meters and port flags (edit its tables with 'txn';
 * see pcls.h).  When the copy is published, 'old' must be freed with
 * ofpipe_destroy() only after 'old->shared_with_next' was set. */
struct ofpipe *ofpipe_clone(const struct ofpipe *old);
/* Allocates a rule (free with ofpipe_rule_free()). */
struct ofpipe_rule *ofpipe_rule_create(void);
void ofpipe_rule_free(struct pcls_rule *rule);
/* Adds 'rule' (the snapshot then owns it) within transaction 'txn'. */
void ofpipe_add_rule(struct ofpipe *, struct pcls_txn *txn,
                     struct ofpipe_rule *);
/* Frees 'pipe': everything it owns, or, if 'pipe->shared_with_next', only
 * its own top-level structure and 'pipe->garbage' (the parts the next
 * snapshot replaced).  Not the counters or meter states.  Main thread,
 * once no PMD can use it any more. */
void ofpipe_destroy(struct ofpipe *pipe);
/* Frees the parts of 'pipe' (a clone being edited in 'txn') that the
 * transaction created, and 'pipe' itself: the edits are abandoned. */
void ofpipe_discard(struct ofpipe *pipe, struct pcls_txn *txn);

/* The rule of 'table' matching 'key', or NULL.  Any thread. */
static inline const struct ofpipe_rule *
ofpipe_lookup(const struct ofpipe *pipe, uint8_t table,
              const struct flow_key *key)
{
    return (const struct ofpipe_rule *) pcls_lookup(pipe->tables[table].cls,
                                                    key, NULL);
}

/* Bucket of select group 'g' for 'key': a hash of the addresses and ports
 * that is the same for both directions of a connection (symmetric), spread
 * over the buckets in proportion to their weights.  Returns an index, or
 * -1 if the group has no bucket with a weight.  Any thread. */
int ofpipe_select_bucket(const struct ofpipe_group *g,
                         const struct flow_key *key);

/* Applies 'meter' to a packet of 'bytes' bytes at time 'now_ns'.  Returns
 * the index of the band that fires (the highest rate exceeded), or -1 when
 * the packet conforms.  Any thread. */
int ofpipe_meter_apply(const struct ofpipe_meter *meter, uint32_t bytes,
                       uint64_t now_ns);

/* ---- Translation, for the datapath's flow caches --------------------- */

/* True if operations 'ops' translated with a snapshot of 'epoch' are
 * still what 'pipe' does (see 'epoch').  Any thread. */
bool ofpipe_ops_still_valid(const struct ofpipe *pipe, uint64_t epoch,
                            const struct ofpipe_act *ops, uint32_t n_ops);

/* What the pipeline does with every packet whose key agrees with a given
 * key on the bits of 'mask': the table lookups it makes (as OPA_LOOKUP /
 * OPA_MISS), its meters and actions in execution order, the action set
 * resolved at the end (OpenFlow 1.3, 5.10), and OPA_DROP if nothing
 * outputs.  Executing 'ops' as one action list on such a packet has the
 * effect of running the pipeline on it. */
struct ofpipe_xlate {
    struct flow_key mask;       /* Bits the lookups depended on. */
    struct ofpipe_act *ops;
    uint32_t n_ops, alloc_ops;
    uint32_t n_lookups;
    /* False when a later lookup depended on a header the actions had
     * rebuilt (push/pop, TTL changes, DSCP remarking): then the key alone
     * does not determine the result and the packet must take the full
     * pipeline. */
    bool cacheable;
    /* True when the ops need nothing from the packet or its key: only
     * counters and one output to a port, or a drop. */
    bool key_free;
};

/* Translates 'key' (a parsed packet with in_port set) through 'pipe' into
 * 'xo' (initialised here; release with ofpipe_xlate_destroy()).  When
 * 'trace' is nonnull, appends a human-readable walk through the tables.
 * Any thread (allocates). */
struct dstr;
void ofpipe_xlate(const struct ofpipe *pipe, const struct flow_key *key,
                  struct ofpipe_xlate *xo, struct dstr *trace);
void ofpipe_xlate_destroy(struct ofpipe_xlate *xo);

/* Appends a short text form of action 'a' (as flow dumps show it) to 'ds';
 * 'port_name' maps OpenFlow port numbers to what the dump shows (NULL:
 * the numbers). */
void ofpipe_act_format(const struct ofpipe_act *a, struct dstr *ds,
                       uint32_t (*port_name)(uint32_t ofp, const void *aux),
                       const void *aux);

#endif
