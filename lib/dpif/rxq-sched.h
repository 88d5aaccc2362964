/* rxq-sched.h: assigning receive queues to PMD threads.
 *
 * Pure functions over plain arrays, so policies can be unit-tested and
 * auto load balancing can do a dry run.  Policies (other_config:
 * pmd-rxq-assign):
 *   roundrobin: queues in port/queue order, PMDs of the queue's NUMA node
 *               in core order, one after the other;
 *   cycles:     queues sorted by measured cycles (busiest first), then
 *               handed to the node's PMDs in core order, alternately
 *               ascending and descending (1 2 3 3 2 1 1 2 ...);
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

/* ---- PMD auto load balancing (pmd-auto-lb) ----
 *
 * The decisions, apart from the clock and the logging: a PMD counts as
 * overloaded when each measured interval of the history window reached
 * the load threshold; a dry run of the policy on the measured cycles is
 * worth doing if, on some NUMA node, the variance of the non-isolated
 * PMDs' loads (percent of their cycles) improves by the improvement
 * threshold.  Pure functions, thread-safe. */

/* True if each of the 'n' intervals measured a load ('busy' cycles per
 * 'total' cycles, integer percent) of at least 'threshold_pct'.  An
 * interval without measurement (total 0: the PMD did not run yet) is not
 * overloaded, so a PMD needs a whole history window. */
bool rxq_sched_pmd_overloaded(const uint64_t *busy, const uint64_t *total,
                              int n, unsigned int threshold_pct);

/* True if moving queues can change anything: at least two non-isolated
 * PMDs in 'pmds' (their current 'isolated' and 'n_rxq'), one of them
 * polling more than one queue. */
bool rxq_sched_auto_lb_possible(const struct rxq_sched_pmd *pmds, int n);

/* Variance of 'n' loads in integer percent: the mean of the squared
 * differences from the (truncated) mean, truncated.  0 if 'n' is 0. */
uint64_t rxq_sched_variance(const uint64_t *pct, int n);

/* Percent by which variance 'estimate' improves on 'current' (0 if it
 * does not). */
uint64_t rxq_sched_variance_improvement(uint64_t current, uint64_t estimate);

/* One NUMA node's verdict in a dry run. */
struct rxq_sched_numa_variance {
    int numa_id;
    uint64_t current;           /* Variance now. */
    uint64_t estimate;          /* Variance after the dry run. */
    uint64_t improvement;       /* Percent. */
};

enum rxq_sched_dry_run_result {
    RXQ_SCHED_DRY_RUN_NOT_MET,  /* No node improves enough. */
    RXQ_SCHED_DRY_RUN_MET,      /* Some node improves by the threshold. */
    RXQ_SCHED_DRY_RUN_CROSS_NUMA, /* Estimate polls across several NUMA
                                   * nodes with PMDs: loads unknowable. */
};

/* Auto load balancing's dry run.
 *
 * 'pmds' (sorted by core id) with their current 'isolated' flags and, in
 * 'pmd_cycles', the cycles each PMD ran during the history window (the
 * denominator of its load).  'cur' holds the queues with their measured
 * 'cycles' over the same window, NUMA node, pinned core and current PMD
 * ('pmd', an index into 'pmds', -1 if none).  Assigns copies of them with
 * 'policy'/'isolate' into 'est' (n_rxqs entries; 'est_pmds' n_pmds
 * entries), then compares, per NUMA node with PMDs, the variance of the
 * non-isolated PMDs' loads before and after, into 'numas' (room for
 * 'n_pmds' entries; '*n_numas' set).  Returns whether 'improvement_pct'
 * is met on some node (0 always is). */
enum rxq_sched_dry_run_result
rxq_sched_dry_run(const struct rxq_sched_pmd *pmds, const uint64_t *pmd_cycles,
                  int n_pmds, const struct rxq_sched_rxq *cur, int n_rxqs,
                  enum rxq_sched_policy policy, bool isolate,
                  unsigned int improvement_pct,
                  struct rxq_sched_pmd *est_pmds, struct rxq_sched_rxq *est,
                  struct rxq_sched_numa_variance *numas, int *n_numas);

#endif
