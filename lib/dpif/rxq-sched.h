/* rxq-sched.h: assigning receive queues to PMD threads.
 *
 * Pure functions over plain arrays, so policies can be unit-tested and
 * auto load balancing can do a dry run.  Policies (other_config:
 * pmd-rxq-assign):
 *   roundrobin: queues in port/queue order, PMDs of the queue's NUMA node
 *               in core order, one after the other;
 *   cycles:     queues sorted by measured cycles (busiest first), then
 *               handed out round robin;
 *   group:      queues sorted by measured cycles, each to the PMD with the
 *               least load so far (fewest queues on a tie, then lowest core).
 * Pinned queues (pmd-rxq-affinity) go to their core's PMD first; with
 * 'isolate' such PMDs get no other queues.  Queues whose NUMA node has no
 * usable PMD go to PMDs of other nodes (the caller logs it).  Thread-safe. */
#ifndef OVSNFV_RXQ_SCHED_H
#define OVSNFV_RXQ_SCHED_H 1

#include <stdbool.h>
#include <stdint.h>

enum rxq_sched_policy {
    RXQ_SCHED_ROUNDROBIN,
    RXQ_SCHED_CYCLES,
    RXQ_SCHED_GROUP,
};

struct rxq_sched_pmd {
    unsigned int core_id;
    int numa_id;
    /* Output: */
    bool isolated;              /* Has pinned queues and 'isolate'. */
    uint64_t load;              /* Sum of cycles of assigned queues. */
    unsigned int n_rxq;
};

struct rxq_sched_rxq {
    int numa_id;
    int pinned_core;            /* -1 if not pinned. */
    uint64_t cycles;            /* Measured processing cycles. */
    /* Output: */
    int pmd;                    /* Index into the PMD array, -1 if none. */
    bool cross_numa;            /* Had to leave its NUMA node. */
    bool pin_failed;            /* Pinned to a core without a PMD. */
};

/* Parses "roundrobin"/"cycles"/"group"; false for anything else. */
bool rxq_sched_policy_from_string(const char *, enum rxq_sched_policy *);
const char *rxq_sched_policy_to_string(enum rxq_sched_policy);

/* Assigns 'rxqs' (in port/queue order) to 'pmds' (sorted by core id). */
void rxq_sched_assign(struct rxq_sched_pmd *pmds, int n_pmds,
                      struct rxq_sched_rxq *rxqs, int n_rxqs,
                      enum rxq_sched_policy, bool isolate);

/* Parses a CPU mask ("0x3", "3", "f0"; hex with or without 0x) into
 * 'cores' (up to 'max'), returning the count, or -1 if malformed. */
int rxq_sched_parse_cpu_mask(const char *mask, unsigned int *cores, int max);

/* Parses pmd-rxq-affinity "Q:C,Q:C,..." into 'core_of_queue' (indexed by
 * queue, -1 where absent, 'n' entries).  Returns false if malformed. */
bool rxq_sched_parse_affinity(const char *s, int *core_of_queue, int n);

/* Variance-like imbalance measure of per-PMD loads (for auto-lb): the sum
 * of squared differences from the mean, as a double. */
double rxq_sched_imbalance(const uint64_t *loads, int n);

/* Auto load balancing's verdict on a dry run: true if moving from loads
 * 'cur' to 'proposed' (per PMD, 'n' entries) reduces the imbalance by at
 * least 'improvement_pct' percent. */
bool rxq_sched_rebalance_worthwhile(const uint64_t *cur,
                                    const uint64_t *proposed, int n,
                                    unsigned int improvement_pct);

#endif
