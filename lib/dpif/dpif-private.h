/* dpif-private.h: structures shared by dpif.c (control), pmd.c (PMD
 * threads and the packet path) and dpif-unixctl.c (ovs-appctl). */
#ifndef OVSNFV_DPIF_PRIVATE_H
#define OVSNFV_DPIF_PRIVATE_H 1

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "dpif/dpif.h"
#include "dpif/mac-learning.h"
#include "dpif/rxq-sched.h"
#include "util/list.h"

struct netdev;
struct dstr;
struct ofpipe;
struct rte_mbuf;
struct flow_key;
struct flow_cache;

#define DP_BURST 32
#define DP_MAX_PMDS 64
/* Cycle history for pmd-rxq-show and cycles-based assignment: 12 intervals
 * of 5 seconds. */
#define DP_N_INTERVALS 12
#define DP_INTERVAL_MS 5000

typedef atomic_uint_fast64_t dp_counter;

/* Counter written by one thread, read by others: no atomic RMW needed. */
static inline void
dp_counter_add(dp_counter *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

static inline uint64_t
dp_counter_get(dp_counter *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

struct dp_port;

/* One receive queue of a port. */
struct dp_rxq {
    struct dp_port *port;
    int qid;
    int pinned_core;            /* From pmd-rxq-affinity, -1 if none. */
    dp_counter cycles;          /* Processing cycles (written by its PMD). */
    uint64_t cycles_snap;       /* Main thread: value at interval start. */
    uint64_t intervals[DP_N_INTERVALS];
    struct pmd *pmd;            /* Assigned PMD (main thread's view). */
    struct pmd *next_pmd;       /* During dp_reconfigure(): new PMD. */
    struct flow_cache *cache;   /* Owned by the PMD polling the queue;
                                 * created on first use. */
};

/* Port:vlan_mode etc., ready for the packet path. */
struct dp_vlan {
    enum dpif_vlan_mode mode;
    int tag;
    bool all_vlans;
    uint64_t trunks[4096 / 64];
};

struct dp_port {
    struct dpif *dpif;
    struct netdev *netdev;
    uint32_t ofp_port;
    uint32_t odp_no;            /* Process-wide number for dpif/show. */
    bool paused;                /* Netdev reconfiguring: not polled/used. */
    struct dp_vlan vlan;        /* Copied into fwd tables. */
    char *affinity;             /* pmd-rxq-affinity string, or NULL. */
    struct dp_rxq **rxqs;
    int n_rxq;
    uint64_t last_change_seq;
    struct list_node node;      /* In dpif->ports. */
};

/* A port as the packet path sees it. */
struct fwd_port {
    struct dp_port *port;
    struct netdev *netdev;
    uint32_t ofp_port;
    struct dp_vlan vlan;
};

/* Per-bridge forwarding table, replaced as a whole under RCU. */
struct dp_fwd {
    int n_ports;
    uint32_t max_ofp;           /* Size of idx_by_ofp minus one. */
    int16_t *idx_by_ofp;        /* ofp_port -> index into ports, or -1. */
    int local_idx;              /* Index of DPIF_PORT_LOCAL, or -1. */
    struct fwd_port ports[];
};

struct dpif {
    char *name;
    struct list_node node;      /* In the list of all dpifs. */
    struct list_node ports;     /* struct dp_port. */
    struct dp_fwd *_Atomic fwd; /* RCU. */
    struct mac_table *_Atomic macs;     /* RCU. */
    unsigned int mac_aging, mac_size;
    /* The compiled OpenFlow pipeline, or NULL for plain NORMAL (RCU). */
    struct ofpipe *_Atomic pipe;
};

/* What PMDs poll: replaced as a whole under RCU. */
struct poll_list {
    int n;
    struct dp_rxq *rxqs[];
};

struct pmd_stats {
    dp_counter rx_packets;
    dp_counter normal_hits;     /* NORMAL (MAC table) lookups. */
    dp_counter tx_packets;
    dp_counter tx_batches;
    dp_counter idle_cycles;
    dp_counter busy_cycles;
    dp_counter idle_iters;
    dp_counter busy_iters;
    dp_counter dropped;         /* No output / not allowed / no buffer. */
    dp_counter emc_hits;
    dp_counter mf_hits;         /* Megaflow cache hits. */
    dp_counter mf_lookups;      /* Subtables searched for those hits. */
    dp_counter upcalls;         /* Misses translated by the pipeline. */
    dp_counter upcall_fails;    /* Misses dropped (rate limit). */
    dp_counter upcall_cycles;   /* TSC cycles spent translating. */
};

/* A request of the main thread that a PMD serves on its own flow caches
 * (they are the PMD's alone): dump them into 'ds', or flush them. */
struct fc_request {
    const struct dpif *dpif;    /* Only this datapath's queues, or all. */
    bool flush;
    bool verbose;
    struct dstr *ds;            /* Dump output, or NULL (count only). */
    unsigned int n_flows;       /* Entries seen. */
    atomic_bool done;           /* Set by the PMD when finished. */
};

struct pmd {
    unsigned int core_id;
    int numa_id;
    int tx_id;
    pthread_t thread;
    bool started;
    atomic_bool exit;
    struct poll_list *_Atomic poll;
    struct fc_request *_Atomic fc_req;  /* See struct fc_request. */
    bool isolated;
    struct pmd_stats stats;
    struct pmd_stats base;      /* Snapshot at pmd-stats-clear (main). */
    uint64_t base_time_ms;      /* When the snapshot was taken. */
    /* Main thread: busy cycles per interval for usage %. */
    uint64_t busy_snap, total_snap;
    uint64_t busy_intervals[DP_N_INTERVALS];
    uint64_t total_intervals[DP_N_INTERVALS];
    struct list_node node;
};

/* Most ports a bridge can output to in one burst's batches. */
#define PMD_MAX_OUT_PORTS 256

struct out_batch {
    uint16_t n;
    struct rte_mbuf *pkts[DP_BURST];
};

/* Per-thread scratch of a thread that forwards packets: a PMD thread, or
 * the main thread executing a packet-out. */
struct pmd_ctx {
    struct pmd *pmd;                    /* NULL for the main thread. */
    int tx_id;                          /* Transmit id for netdev sends. */
    unsigned int thread;                /* Counter bank slot (ofpipe.h). */
    uint64_t now_ns;                    /* Time of the current burst. */
    uint64_t now_tsc;                   /* The same in TSC ticks. */
    struct out_batch *batches;          /* [PMD_MAX_OUT_PORTS] */
    uint16_t touched[PMD_MAX_OUT_PORTS];
    int n_touched;
    /* Published with the iteration's rx count, so readers see sums that
     * agree. */
    uint64_t tx_packets, tx_batches, dropped, normal_hits;
    uint64_t emc_hits, mf_hits, mf_lookups, upcalls, upcall_fails;
    uint64_t upcall_cycles;
    /* Upcall rate limit: a token bucket of misses (flow-cache.h). */
    uint64_t upcall_tokens;             /* Misses allowed now, x 1. */
    uint64_t upcall_refill_tsc;         /* Last refill. */
};

/* pmd.c: the packet path's building blocks, shared with dp-ofpipe.c. */
void dp_batch_add(struct pmd_ctx *, const struct dp_fwd *, int idx,
                  struct rte_mbuf *);
void dp_flush_all(struct pmd_ctx *, const struct dp_fwd *);
void dp_drop(struct pmd_ctx *, struct rte_mbuf *);
struct ofpipe;
/* NORMAL for one parsed packet received on port index 'in_idx'.  The
 * port-mod flags of 'pipe' apply: no output to a no_fwd port, no flooding
 * to a no_flood one. */
void dp_normal_packet(struct pmd_ctx *, const struct dp_fwd *,
                      const struct ofpipe *pipe, struct mac_table *,
                      int in_idx, struct rte_mbuf *, struct flow_key *key,
                      uint32_t now_s);

static inline int
dp_fwd_index(const struct dp_fwd *fwd, uint32_t ofp)
{
    return ofp == DPIF_PORT_LOCAL ? fwd->local_idx
           : ofp <= fwd->max_ofp ? fwd->idx_by_ofp[ofp] : -1;
}

/* dp-ofpipe.c: runs the OpenFlow pipeline 'pipe' on a burst received on
 * port index 'in_idx', through the receive queue's flow cache 'fc' (NULL:
 * the full pipeline for every packet). */
void dp_ofpipe_process(struct pmd_ctx *, const struct dp_fwd *,
                       struct mac_table *, const struct ofpipe *,
                       struct flow_cache *fc, int in_idx,
                       struct rte_mbuf **pkts, int n, uint32_t now_s);
/* Main thread: transmit id of the main thread (one past the PMDs'). */
int dp_main_tx_id(void);
/* Main thread: an mbuf pool for packets the main thread injects. */
struct rte_mempool *dp_main_pool(void);

/* pmd.c */
int pmd_start(struct pmd *);
void pmd_stop(struct pmd *);
uint64_t pmd_tsc_hz(void);
/* Seconds on the clock MAC learning uses (TSC based when DPDK runs). */
uint32_t dp_now_s(void);
/* Copies counters (relaxed loads) into 'out'. */
void pmd_stats_read(struct pmd *, struct pmd_stats *out);

/* dpif.c, for dpif-unixctl.c (main thread). */
/* Posts 'req' to 'pmd' and waits (at most about a second) until it is
 * served.  Returns 0, or ETIMEDOUT if the PMD did not take it. */
int dp_pmd_cache_request(struct pmd *pmd, struct fc_request *req);
struct list_node *dp_all_pmds(void);
struct list_node *dp_all_dpifs(void);
int dp_interval_index(void);
void dp_request_rebalance(void);
enum rxq_sched_policy dp_policy(void);
bool dp_isolate(void);
void dpif_unixctl_register(void);
/* dpctl.c: registers dpctl/show. */
void dpctl_unixctl_register(void);

#endif
