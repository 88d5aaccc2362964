/* ofproto-private.h: the agent's internal structures, shared by ofproto.c
 * (the switch model), ofproto-compile.c (snapshot compiler) and
 * ofproto-stats.c (statistics replies).  Not a public API.  Main thread. */
#ifndef OVSNFV_OFPROTO_PRIVATE_H
#define OVSNFV_OFPROTO_PRIVATE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "classifier/classifier.h"
#include "ofproto/ofpipe.h"
#include "ofproto/ofproto.h"
#include "openflow/ofp-actions.h"
#include "openflow/ofp-match.h"
#include "util/hmap.h"
#include "util/list.h"

struct mainloop_timer;
struct rte_ring;

struct rule {
    struct cls_rule cr;         /* In its table's classifier. */
    struct ofpipe_rule *compiled;   /* Its version in the snapshot being
                                     * edited or the published one. */
    struct ofmatch match;       /* As given, for statistics replies. */
    uint8_t table_id;
    uint16_t priority;
    uint64_t cookie;
    uint16_t idle_timeout, hard_timeout;
    uint16_t flags;             /* OFPFF_*. */
    uint16_t importance;
    struct ofinsts insts;       /* Owned. */
    uint32_t counter;           /* Counter bank id. */
    long long created_ms;       /* Duration counts from here. */
    long long modified_ms;      /* Hard timeout counts from here. */
    long long used_ms;          /* Last time its packet count moved. */
    uint64_t last_packets;
    uint64_t add_seq;           /* ofproto->change_seq when added... */
    uint64_t change_seq;        /* ...and when last added/modified. */
};

struct group {
    struct hmap_node node;      /* In ofproto->groups, by id. */
    uint32_t group_id;
    uint8_t type;
    struct ofp_bucket *buckets; /* Owned (actions cloned). */
    size_t n_buckets;
    uint32_t counter;
    uint32_t *bucket_counters;
    long long created_ms;
};

struct meter {
    struct hmap_node node;      /* In ofproto->meters, by id. */
    uint32_t meter_id;
    uint16_t flags;
    struct ofp_meter_band bands[OFP_MAX_METER_BANDS];
    size_t n_bands;
    uint32_t counter;
    uint32_t band_counters[OFP_MAX_METER_BANDS];
    struct ofpipe_meter_state *state;
    long long created_ms;
};

struct ofport {
    struct hmap_node node;      /* In ofproto->ports, by number. */
    struct ofp_port pp;         /* OpenFlow description. */
    struct netdev *netdev;
    long long created_ms;
};

/* Id -> index maps of groups and meters for compiling actions. */
struct id_index {
    uint32_t *ids;              /* Sorted. */
    size_t n;
};

struct compile_ctx {
    struct ofproto *p;
    struct id_index groups;
    struct id_index meters;
};

struct ofproto {
    struct hmap_node node;      /* In the list of all ofprotos, by name. */
    char *name;
    struct dpif *dpif;
    uint64_t datapath_id;
    struct ofproto_cbs cbs;
    enum ofproto_fail_mode fail_mode;
    bool controllers_configured;
    bool controller_connected;
    bool fail_open_active;      /* Standalone fallback in force. */
    bool frag_drop;             /* OFPC_FRAG_DROP set by a controller. */
    bool scratch;               /* From ofproto_create_scratch(). */

    struct classifier tables[OFPROTO_N_TABLES];
    uint32_t table_lookup_counter[OFPROTO_N_TABLES];
    uint32_t table_matched_counter[OFPROTO_N_TABLES];
    struct hmap groups;
    struct hmap meters;
    struct hmap ports;

    bool dirty;                 /* Something to publish. */
    bool full_dirty;            /* ...that needs a full compilation. */
    /* The datapath's snapshot, and its edited copy (flow-mods change the
     * copy's tables incrementally in 'txn'; see pcls.h). */
    struct ofpipe *published;
    struct ofpipe *next;
    struct pcls_txn txn;
    struct compile_ctx maps;   /* Group/meter indexes of 'published'. */
    uint32_t version;
    uint64_t change_seq;        /* Counts rule additions/changes. */
    struct rte_ring *pktin_ring;
    struct mainloop_timer *timer;
    struct mainloop_timer *publish_timer;   /* See ofproto_publish_soon(). */
    unsigned int ticks;                     /* Of 'timer'. */
    bool publish_armed;

    /* Released after the next publish (see counter_release()). */
    uint32_t *dead;
    size_t n_dead, cap_dead;
    struct ofpipe_meter_state **dead_states;
    size_t n_dead_states;
};

/* ofproto.c */
struct group *ofproto_find_group(const struct ofproto *, uint32_t id);
struct meter *ofproto_find_meter(const struct ofproto *, uint32_t id);
struct ofport *ofproto_find_port(const struct ofproto *, uint32_t port);
/* Rules of table 'table' (or all tables for OFPTT_ALL) in the order
 * dump-flows shows them; caller frees the array. */
struct rule **ofproto_collect_rules(const struct ofproto *, uint8_t table,
                                    size_t *n);
/* True if the actions of 'is' (apply or write) output or enqueue to
 * 'port'. */
bool ofproto_insts_output_to(const struct ofinsts *is, uint32_t port);
/* True if the actions of 'is' (apply or write) use group 'group'. */
bool ofproto_insts_use_group(const struct ofinsts *is, uint32_t group);
/* OpenFlow port numbers <-> the datapath's (LOCAL differs). */
uint32_t ofproto_port_to_dp(uint32_t ofp_port);
uint32_t ofproto_port_from_dp(uint32_t dp_port);

/* ofproto-compile.c: builds a private snapshot of the current state (for
 * ofproto/trace; free it with ofpipe_destroy()). */
struct ofpipe *ofproto_compile(struct ofproto *);
/* Edits the next snapshot: rule 'r' added, replacing 'old' (same match and
 * priority) if nonnull, or with new instructions ('old' == 'r'); or rule
 * 'r' removed.  Call before the agent frees a rule. */
void ofproto_pipe_rule_set(struct ofproto *, struct rule *r,
                           struct rule *old);
void ofproto_pipe_rule_removed(struct ofproto *, struct rule *r);
/* The snapshot to publish now: the edited copy, or a full compilation
 * when something else changed.  The caller publishes it and records it as
 * p->published. */
struct ofpipe *ofproto_next_snapshot(struct ofproto *);
/* Abandons pending incremental edits (a full compilation follows). */
void ofproto_discard_edits(struct ofproto *);
/* Compiles an action list for packet-out (caller frees). */
struct ofpipe_act *ofproto_compile_actions(struct ofproto *,
                                           const struct ofacts *,
                                           uint32_t *n);

/* ofproto-compile.c: the packet-in ring between the datapath and the
 * main thread. */
void ofproto_pktin_ring_free(struct ofproto *);
/* Hands queued packet-ins to the connection manager. */
void ofproto_drain_pktins(struct ofproto *);

/* Builds the classifier image of 'm' (OFPP_LOCAL becomes the datapath's
 * local port number).  Returns 0 or an OFPBMC_* error. */
enum ofperr ofproto_match_to_key(const struct ofmatch *m,
                                 struct flow_key *value,
                                 struct flow_key *mask);

/* The agent of bridge 'name', or NULL.  Main thread. */
struct ofproto *ofproto_lookup(const char *name);

/* ofproto-trace.c: registers ofproto/trace. */
void ofproto_trace_register(void);

#endif
