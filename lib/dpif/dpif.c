/* dpif.c: the datapath's control side: bridges, ports, global PMD
 * configuration, and the one function that rebuilds what the PMDs see
 * (dp_reconfigure()).  Main thread only. */
#include <config.h>
#include "dpif/dpif.h"

#include <errno.h>
#include <numa.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rte_lcore.h>
#include "dpdk/dpdk.h"
#include "dpdk/rcu.h"
#include "dpif/dpif-private.h"
#include "dpif/flow-cache.h"
#include "dpif/rxq-sched.h"
#include "ofproto/ofpipe.h"
#include "netdev/netdev-provider.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/timeval.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(dpif_netdev);

static struct list_node all_dpifs = LIST_INITIALIZER(&all_dpifs);
static struct list_node all_pmds = LIST_INITIALIZER(&all_pmds);

/* Global configuration (Open_vSwitch:other_config). */
static char *pmd_cpu_mask;
static enum rxq_sched_policy sched_policy = RXQ_SCHED_CYCLES;
static bool sched_isolate = true;
/* PMD auto load balancing (see auto_lb_check()). */
static bool auto_lb_configured;         /* Values below logged once. */
static bool auto_lb_enabled;
static unsigned int auto_lb_load_threshold = 95;
static unsigned int auto_lb_improvement_threshold = 25;
static unsigned int auto_lb_interval_min = 1;
static int auto_lb_intervals_left;      /* History intervals to the check. */
static bool auto_lb_recheck = true;     /* Queues moved since last check. */
static bool auto_lb_possible;           /* Result of that last check. */

static bool initialized;
static bool rebalance_requested;
static uint32_t next_odp_no = 1;
static int interval_idx;
static long long next_interval_ms;
static struct mainloop_timer *dp_timer;
static int main_tx_id;          /* See dp_main_tx_id(). */

/* Things to free after the next grace period. */
struct dp_garbage {
    void (*free_fn)(void *);
    void *p;
};
static struct dp_garbage *garbage;
static size_t n_garbage, cap_garbage;

static void dp_reconfigure(void);
static const char *cycles_suffix(char *buf, size_t size, uint64_t cycles);

static void
defer_free(void (*fn)(void *), void *p)
{
    if (!p) {
        return;
    }
    if (n_garbage == cap_garbage) {
        cap_garbage = cap_garbage ? cap_garbage * 2 : 16;
        garbage = xrealloc(garbage, cap_garbage * sizeof *garbage);
    }
    garbage[n_garbage].free_fn = fn;
    garbage[n_garbage].p = p;
    n_garbage++;
}

/* Waits for the PMDs, then frees what was deferred. */
static void
dp_synchronize_and_free(void)
{
    if (dpdk_available()) {
        dp_rcu_synchronize();
    }
    for (size_t i = 0; i < n_garbage; i++) {
        garbage[i].free_fn(garbage[i].p);
    }
    n_garbage = 0;
}

static void
mac_table_free_cb(void *p)
{
    mac_table_destroy(p);
}

static void
fwd_free_cb(void *p)
{
    struct dp_fwd *fwd = p;
    free(fwd->idx_by_ofp);
    free(fwd);
}

struct list_node *
dp_all_pmds(void)
{
    return &all_pmds;
}

struct list_node *
dp_all_dpifs(void)
{
    return &all_dpifs;
}

int
dp_interval_index(void)
{
    return interval_idx;
}

enum rxq_sched_policy
dp_policy(void)
{
    return sched_policy;
}

bool
dp_isolate(void)
{
    return sched_isolate;
}

void
dp_request_rebalance(void)
{
    rebalance_requested = true;     /* Done by the next timer tick. */
}

/* ---- DPDK status ---- */

int
dp_main_tx_id(void)
{
    return main_tx_id;
}

struct rte_mempool *
dp_main_pool(void)
{
    static struct rte_mempool *pool;
    if (!pool && dpdk_available()) {
        pool = dpdk_mempool_get(0, 9000, NULL);
    }
    return pool;
}

static void
ofpipe_free_cb(void *p)
{
    ofpipe_destroy(p);
}

void
dpif_set_pipeline(struct dpif *dp, struct ofpipe *pipe)
{
    struct ofpipe *old = atomic_exchange(&dp->pipe, pipe);
    if (old) {
        defer_free(ofpipe_free_cb, old);
    }
    dp_synchronize_and_free();
}

const struct ofpipe *
dpif_get_pipeline(const struct dpif *dp)
{
    return atomic_load_explicit(&((struct dpif *) dp)->pipe,
                                memory_order_acquire);
}

void
dpif_port_for_each(const struct dpif *dp, dpif_port_visit_cb *cb, void *aux)
{
    const struct dp_port *p;
    LIST_FOR_EACH (p, node, &dp->ports) {
        cb(p->ofp_port, p->netdev, aux);
    }
}

bool
dpif_dpdk_initialized(void)
{
    return dpdk_available();
}

const char *
dpif_dpdk_version(void)
{
    return dpdk_version_string();
}

/* ---- PMD set ---- */

static int
cpu_numa(unsigned int core)
{
    int n = numa_available() >= 0 ? numa_node_of_cpu(core) : 0;
    return n < 0 ? 0 : n;
}

static bool
core_usable(unsigned int core)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set)) {
        return true;
    }
    return core < CPU_SETSIZE && CPU_ISSET(core, &set);
}

/* The cores PMDs should run on now. */
static int
desired_cores(unsigned int *cores, int max)
{
    long n_cpus = sysconf(_SC_NPROCESSORS_CONF);
    if (pmd_cpu_mask) {
        unsigned int parsed[DP_MAX_PMDS];
        int n = rxq_sched_parse_cpu_mask(pmd_cpu_mask, parsed, DP_MAX_PMDS);
        if (n < 0) {
            log_warn("bad pmd-cpu-mask \"%s\": using the default",
                     pmd_cpu_mask);
        } else {
            int k = 0;
            for (int i = 0; i < n && k < max; i++) {
                if (parsed[i] >= (unsigned int) n_cpus) {
                    log_warn("pmd-cpu-mask: core %u does not exist",
                             parsed[i]);
                    continue;
                }
                cores[k++] = parsed[i];
            }
            return k;
        }
    }
    /* Default: one core per NUMA node with ports, preferring a core that
     * is not the main thread's. */
    bool numa_has_ports[64] = { false };
    struct dpif *dp;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        struct dp_port *p;
        LIST_FOR_EACH (p, node, &dp->ports) {
            int numa = p->netdev->numa_id;
            numa_has_ports[numa >= 0 && numa < 64 ? numa : 0] = true;
        }
    }
    unsigned int main_core = dpdk_available() ? rte_lcore_to_cpu_id(
                                 rte_get_main_lcore()) : 0;
    int k = 0;
    for (int numa = 0; numa < 64 && k < max; numa++) {
        if (!numa_has_ports[numa]) {
            continue;
        }
        int pick = -1;
        for (long c = 0; c < n_cpus; c++) {
            if (cpu_numa(c) == numa && core_usable(c)) {
                if (pick < 0 || (pick == (int) main_core
                                 && c != main_core)) {
                    pick = c;
                }
                if (pick != (int) main_core) {
                    break;
                }
            }
        }
        if (pick >= 0) {
            cores[k++] = pick;
        }
    }
    return k;
}

static struct pmd *
pmd_find(unsigned int core)
{
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        if (pmd->core_id == core) {
            return pmd;
        }
    }
    return NULL;
}

/* Keeps the main thread off PMD cores when another core is available. */
static void
move_main_thread_off(const unsigned int *cores, int n)
{
    cpu_set_t set;
    if (pthread_getaffinity_np(pthread_self(), sizeof set, &set)) {
        return;
    }
    cpu_set_t want = set;
    for (int i = 0; i < n; i++) {
        if (cores[i] < CPU_SETSIZE) {
            CPU_CLR(cores[i], &want);
        }
    }
    if (CPU_COUNT(&want) == 0) {
        static cpu_set_t warned;
        cpu_set_t pmd_set;
        CPU_ZERO(&pmd_set);
        for (int i = 0; i < n; i++) {
            CPU_SET(cores[i], &pmd_set);
        }
        if (!CPU_EQUAL(&pmd_set, &warned)) {
            warned = pmd_set;
            log_warn("no CPU is left for the main thread outside "
                     "pmd-cpu-mask: it shares a core with a PMD thread");
        }
        return;
    }
    if (!CPU_EQUAL(&want, &set)) {
        pthread_setaffinity_np(pthread_self(), sizeof want, &want);
    }
}

/* ---- Forwarding tables ---- */

static struct dp_fwd *
fwd_build(struct dpif *dp)
{
    int n = 0;
    uint32_t max_ofp = 0;
    struct dp_port *p;
    LIST_FOR_EACH (p, node, &dp->ports) {
        if (p->paused || p->netdev->n_txq <= 0) {
            continue;
        }
        n++;
        if (p->ofp_port != DPIF_PORT_LOCAL && p->ofp_port > max_ofp) {
            max_ofp = p->ofp_port;
        }
    }
    struct dp_fwd *fwd = xzalloc(sizeof *fwd + n * sizeof fwd->ports[0]);
    fwd->max_ofp = max_ofp;
    fwd->idx_by_ofp = xmalloc((max_ofp + 1) * sizeof *fwd->idx_by_ofp);
    for (uint32_t i = 0; i <= max_ofp; i++) {
        fwd->idx_by_ofp[i] = -1;
    }
    fwd->local_idx = -1;
    int i = 0;
    LIST_FOR_EACH (p, node, &dp->ports) {
        if (p->paused || p->netdev->n_txq <= 0) {
            continue;
        }
        struct fwd_port *fp = &fwd->ports[i];
        fp->port = p;
        fp->netdev = p->netdev;
        fp->ofp_port = p->ofp_port;
        fp->vlan = p->vlan;
        if (p->ofp_port == DPIF_PORT_LOCAL) {
            fwd->local_idx = i;
        } else {
            fwd->idx_by_ofp[p->ofp_port] = i;
        }
        i++;
    }
    fwd->n_ports = i;
    return fwd;
}

/* ---- Rebuild ---- */

static void
poll_list_free_cb(void *p)
{
    free(p);
}

static void
pmd_free_cb(void *p)
{
    free(p);
}

/* Rebuilds PMD threads, queue assignment and forwarding tables from the
 * current configuration, publishes them under RCU and waits for the PMDs
 * before freeing the old ones. */
static void
dp_reconfigure(void)
{
    struct dpif *dp;
    struct dp_port *p;

    /* Forwarding tables first: they do not need DPDK. */
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        struct dp_fwd *old = atomic_exchange(&dp->fwd, fwd_build(dp));
        defer_free(fwd_free_cb, old);
    }
    if (!dpdk_available()) {
        dp_synchronize_and_free();
        return;
    }

    /* 1. The PMD set. */
    unsigned int cores[DP_MAX_PMDS];
    int n_cores = desired_cores(cores, DP_MAX_PMDS);
    struct pmd *pmd, *next;
    struct list_node removed = LIST_INITIALIZER(&removed);
    LIST_FOR_EACH_SAFE (pmd, next, node, &all_pmds) {
        bool keep = false;
        for (int i = 0; i < n_cores; i++) {
            keep |= cores[i] == pmd->core_id;
        }
        if (!keep) {
            list_remove(&pmd->node);
            list_push_back(&removed, &pmd->node);
        }
    }
    /* Removed PMDs keep running until the grace period below: their
     * transmit ids stay taken so no two running PMDs share one. */
    bool tx_id_used[2 * DP_MAX_PMDS] = { false };
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        tx_id_used[pmd->tx_id] = true;
    }
    LIST_FOR_EACH (pmd, node, &removed) {
        tx_id_used[pmd->tx_id] = true;
    }
    for (int i = 0; i < n_cores; i++) {
        if (pmd_find(cores[i])) {
            continue;
        }
        pmd = xzalloc(sizeof *pmd);
        pmd->core_id = cores[i];
        pmd->numa_id = cpu_numa(cores[i]);
        int id = 0;
        while (tx_id_used[id]) {
            id++;
        }
        tx_id_used[id] = true;
        pmd->tx_id = id;
        pmd->base_time_ms = time_msec();
        atomic_init(&pmd->poll, NULL);
        /* Keep the list sorted by core. */
        struct pmd *pos;
        bool inserted = false;
        LIST_FOR_EACH (pos, node, &all_pmds) {
            if (pos->core_id > pmd->core_id) {
                list_insert_before(&pos->node, &pmd->node);
                inserted = true;
                break;
            }
        }
        if (!inserted) {
            list_push_back(&all_pmds, &pmd->node);
        }
    }
    int n_pmds = list_size(&all_pmds);
    int tx_users = 1;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        tx_users = MAX(tx_users, pmd->tx_id + 1);
    }
    LIST_FOR_EACH (pmd, node, &removed) {
        tx_users = MAX(tx_users, pmd->tx_id + 1);   /* Still running. */
    }
    /* Ports are sized for the PMDs.  The main thread transmits too
     * (OpenFlow packet-out) with the id after theirs: it shares a queue
     * with a PMD, under the lock, unless the port has a queue to spare. */
    main_tx_id = tx_users;
    netdev_set_tx_users(tx_users);
    bool lock_added = false;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            struct netdev *dev = p->netdev;
            bool need = dev->class != &netdev_tap_class
                        && dev->n_txq < tx_users + 1;
            if (need && !dev->txq_needs_lock) {
                lock_added = true;
            }
            dev->txq_needs_lock = need;
        }
    }
    if (lock_added) {
        /* No PMD may still be inside an unlocked send. */
        dp_rcu_synchronize();
    }
    if (n_cores) {
        move_main_thread_off(cores, n_cores);
    }

    /* 2. The queues. */
    int n_rxqs = 0;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            if (!p->paused) {
                n_rxqs += p->n_rxq;
            }
        }
    }
    struct dp_rxq **rxqs = xcalloc(n_rxqs + 1, sizeof *rxqs);
    struct rxq_sched_rxq *sq = xcalloc(n_rxqs + 1, sizeof *sq);
    struct rxq_sched_pmd *sp = xcalloc(n_pmds + 1, sizeof *sp);
    struct pmd **pmd_by_idx = xcalloc(n_pmds + 1, sizeof *pmd_by_idx);
    int k = 0;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            if (p->paused) {
                continue;
            }
            for (int q = 0; q < p->n_rxq; q++) {
                struct dp_rxq *rxq = p->rxqs[q];
                rxqs[k] = rxq;
                sq[k].numa_id = p->netdev->numa_id;
                sq[k].pinned_core = rxq->pinned_core;
                uint64_t c = dp_counter_get(&rxq->cycles) - rxq->cycles_snap;
                for (int i = 0; i < DP_N_INTERVALS; i++) {
                    c += rxq->intervals[i];
                }
                sq[k].cycles = c;
                k++;
            }
        }
    }
    int i = 0;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        sp[i].core_id = pmd->core_id;
        sp[i].numa_id = pmd->numa_id;
        pmd_by_idx[i] = pmd;
        i++;
    }
    if (n_rxqs) {
        log_info("Performing pmd to rx queue assignment using %s algorithm.",
                 rxq_sched_policy_to_string(sched_policy));
    }
    rxq_sched_assign(sp, n_pmds, sq, n_rxqs, sched_policy, sched_isolate);
    auto_lb_recheck = true;

    /* 3. Poll lists.  A queue must never be polled by two PMDs at once
     * (receive functions are not thread-safe per queue), so queues that
     * move first leave their old PMD: publish lists holding only the
     * queues that stay, wait for the PMDs, then publish the new lists. */
    bool moved = false;
    struct pmd *all_p;
    LIST_FOR_EACH (all_p, node, &all_pmds) {
        struct poll_list *old = atomic_load(&all_p->poll);
        for (int j = 0; old && j < old->n; j++) {
            old->rxqs[j]->next_pmd = NULL;
        }
    }
    LIST_FOR_EACH (all_p, node, &removed) {
        struct poll_list *old = atomic_load(&all_p->poll);
        for (int j = 0; old && j < old->n; j++) {
            old->rxqs[j]->next_pmd = NULL;
        }
    }
    for (k = 0; k < n_rxqs; k++) {
        rxqs[k]->next_pmd = sq[k].pmd >= 0 ? pmd_by_idx[sq[k].pmd] : NULL;
    }
    struct list_node *lists[2] = { &all_pmds, &removed };
    for (int l = 0; l < 2; l++) {
        LIST_FOR_EACH (all_p, node, lists[l]) {
            struct poll_list *old = atomic_load(&all_p->poll);
            if (!old) {
                continue;
            }
            struct poll_list *keep = xzalloc(sizeof *keep
                                             + old->n * sizeof keep->rxqs[0]);
            for (int j = 0; j < old->n; j++) {
                if (old->rxqs[j]->next_pmd == all_p) {
                    keep->rxqs[keep->n++] = old->rxqs[j];
                }
            }
            if (keep->n == old->n) {
                free(keep);
                continue;
            }
            moved = true;
            defer_free(poll_list_free_cb,
                       atomic_exchange(&all_p->poll, keep));
        }
    }
    if (moved) {
        dp_synchronize_and_free();
    }
    for (i = 0; i < n_pmds; i++) {
        pmd = pmd_by_idx[i];
        pmd->isolated = sp[i].isolated;
        struct poll_list *pl = xzalloc(sizeof *pl
                                       + sp[i].n_rxq * sizeof pl->rxqs[0]);
        for (k = 0; k < n_rxqs; k++) {
            if (sq[k].pmd == i) {
                pl->rxqs[pl->n++] = rxqs[k];
            }
        }
        defer_free(poll_list_free_cb, atomic_exchange(&pmd->poll, pl));
    }
    for (k = 0; k < n_rxqs; k++) {
        struct dp_rxq *rxq = rxqs[k];
        const char *name = rxq->port->netdev->name;
        if (sq[k].pin_failed) {
            log_warn("Core %d cannot be pinned with port '%s' rx queue %d. "
                     "Use pmd-cpu-mask to enable a pmd on core %d.",
                     rxq->pinned_core, name, rxq->qid, rxq->pinned_core);
        }
        if (sq[k].pmd < 0) {
            rxq->pmd = NULL;
            log_warn("There is no available (non-isolated) pmd thread for "
                     "port '%s' queue %d. This queue will not be polled. "
                     "Is pmd-cpu-mask set to zero? Or are all PMDs isolated "
                     "to other queues?", name, rxq->qid);
            continue;
        }
        struct pmd *to = pmd_by_idx[sq[k].pmd];
        if (sq[k].cross_numa) {
            log_warn("There's no available (non-isolated) pmd thread on "
                     "numa node %d. Port '%s' rx queue %d will be assigned "
                     "to a pmd on numa node %d. This may lead to reduced "
                     "performance.", sq[k].numa_id, name, rxq->qid,
                     to->numa_id);
        }
        char buf[64];
        log_info("Core %2u on numa node %d assigned port '%s' rx queue %d%s.",
                 to->core_id, to->numa_id, name, rxq->qid,
                 cycles_suffix(buf, sizeof buf, sq[k].cycles));
        rxq->pmd = to;
    }
    for (i = 0; i < n_pmds; i++) {
        if (!pmd_by_idx[i]->started) {
            pmd_start(pmd_by_idx[i]);
        }
    }
    free(rxqs);
    free(sq);
    free(sp);
    free(pmd_by_idx);

    /* 4. Removed PMDs: empty their lists, wait, stop them. */
    LIST_FOR_EACH (pmd, node, &removed) {
        defer_free(poll_list_free_cb, atomic_exchange(&pmd->poll, NULL));
    }
    dp_synchronize_and_free();
    LIST_FOR_EACH_SAFE (pmd, next, node, &removed) {
        list_remove(&pmd->node);
        pmd_stop(pmd);
        pmd_free_cb(pmd);
    }
    /* Now the transmit users may shrink. */
    tx_users = 1;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        tx_users = MAX(tx_users, pmd->tx_id + 1);
    }
    main_tx_id = tx_users;
    netdev_set_tx_users(tx_users);
    /* Ports that can give each PMD its own tx queue reconfigure for it
     * (from the timer, as this may run inside a port's pause/resume). */
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            if (!p->paused) {
                netdev_tx_users_changed(p->netdev, tx_users);
            }
        }
    }
}

/* ---- Process-wide configuration ---- */

/* Intervals of history between two auto load balance checks. */
static int
auto_lb_interval_count(void)
{
    return auto_lb_interval_min * (60000 / DP_INTERVAL_MS);
}

/* other_config:pmd-auto-lb*, with OVS's ranges, defaults for values out of
 * range (an interval of 0 means the default) and log lines. */
static void
auto_lb_set_config(const struct smap *cfg)
{
    bool lb = smap_get_bool(cfg, "pmd-auto-lb", false);
    int load = smap_get_int(cfg, "pmd-auto-lb-load-threshold", 95);
    int impr = smap_get_int(cfg, "pmd-auto-lb-improvement-threshold", 25);
    int ival = smap_get_int(cfg, "pmd-auto-lb-rebal-interval", 1);
    if (load < 0 || load > 100) {
        load = 95;
    }
    if (impr < 0 || impr > 100) {
        impr = 25;
    }
    if (ival <= 0 || ival > 20000) {
        ival = 1;
    }
    bool first = !auto_lb_configured, changed = false;
    if (first || (unsigned) ival != auto_lb_interval_min) {
        log_info("PMD auto load balance interval set to %d mins", ival);
        changed = true;
    }
    if (first || (unsigned) impr != auto_lb_improvement_threshold) {
        log_info("PMD auto load balance improvement threshold set to %d%%",
                 impr);
        changed = true;
    }
    if (first || (unsigned) load != auto_lb_load_threshold) {
        log_info("PMD auto load balance load threshold set to %d%%", load);
        changed = true;
    }
    bool restart_clock = (lb && !auto_lb_enabled)
                         || (unsigned) ival != auto_lb_interval_min;
    if (changed || lb != auto_lb_enabled) {
        if (lb) {
            log_info("PMD auto load balance is enabled, interval %d mins, "
                     "pmd load threshold %d%%, improvement threshold %d%%.",
                     ival, load, impr);
        } else {
            log_info("PMD auto load balance is disabled.");
        }
    }
    auto_lb_configured = true;
    auto_lb_enabled = lb;
    auto_lb_load_threshold = load;
    auto_lb_improvement_threshold = impr;
    auto_lb_interval_min = ival;
    if (restart_clock) {
        /* The interval under way started before: the first check looks
         * at a whole minute (or more) measured from here. */
        auto_lb_intervals_left = auto_lb_interval_count() + 1;
    }
}

int
dpif_set_global_config(const struct smap *cfg)
{
    dpif_init();
    bool had_dpdk = dpdk_available();
    int error = dpdk_init_from_config(cfg);
    bool changed = false;
    if (!had_dpdk && dpdk_available()) {
        netdev_dpdk_started();      /* Internal ports opened before. */
        changed = true;
    }

    const char *mask = smap_get(cfg, "pmd-cpu-mask");
    if (mask && !*mask) {
        mask = NULL;
    }
    if ((mask == NULL) != (pmd_cpu_mask == NULL)
        || (mask && strcmp(mask, pmd_cpu_mask))) {
        free(pmd_cpu_mask);
        pmd_cpu_mask = mask ? xstrdup(mask) : NULL;
        changed = true;
    }
    const char *assign = smap_get_def(cfg, "pmd-rxq-assign", "cycles");
    enum rxq_sched_policy policy;
    if (!rxq_sched_policy_from_string(assign, &policy)) {
        log_warn("Unsupported rx queue to PMD assignment mode in "
                 "pmd-rxq-assign. Defaulting to 'cycles'.");
        policy = RXQ_SCHED_CYCLES;
    }
    if (policy != sched_policy) {
        log_info("Rxq to PMD assignment mode changed to: '%s'.",
                 rxq_sched_policy_to_string(policy));
        sched_policy = policy;
        changed = true;
    }
    bool isolate = smap_get_bool(cfg, "pmd-rxq-isolate", true);
    if (isolate != sched_isolate) {
        log_info("pmd-rxq-affinity isolates PMD core: %s",
                 isolate ? "true" : "false");
        sched_isolate = isolate;
        changed = true;
    }
    /* Flow cache limits, as OVS: other_config:flow-limit (entries) and
     * max-idle (ms). */
    int limit = smap_get_int(cfg, "flow-limit", 200000);
    int idle = smap_get_int(cfg, "max-idle", 10000);
    flow_cache_set_limit(limit > 0 ? limit : 200000,
                         idle >= 100 ? idle : 10000);
    int rate = smap_get_int(cfg, "upcall-rate-limit", 0);
    flow_cache_set_upcall_rate(rate > 0 ? rate : 0);

    auto_lb_set_config(cfg);
    if (changed && dpdk_available()) {
        dp_reconfigure();
    }
    return error;
}

/* ---- Bridges ---- */

struct dpif *
dpif_lookup(const char *name)
{
    struct dpif *dp;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        if (!strcmp(dp->name, name)) {
            return dp;
        }
    }
    return NULL;
}

int
dpif_create(const char *name, struct dpif **dpifp)
{
    dpif_init();
    *dpifp = NULL;
    if (dpif_lookup(name)) {
        return EEXIST;
    }
    struct dpif *dp = xzalloc(sizeof *dp);
    dp->name = xstrdup(name);
    list_init(&dp->ports);
    dp->mac_aging = MAC_DEFAULT_AGING;
    dp->mac_size = MAC_DEFAULT_SIZE;
    atomic_init(&dp->macs, mac_table_create(dp->mac_size, dp->mac_aging));
    atomic_init(&dp->fwd, fwd_build(dp));
    list_push_back(&all_dpifs, &dp->node);
    *dpifp = dp;
    return 0;
}

const char *
dpif_name(const struct dpif *dp)
{
    return dp->name;
}

void
dpif_destroy(struct dpif *dp)
{
    if (!dp) {
        return;
    }
    while (!list_is_empty(&dp->ports)) {
        struct dp_port *p = CONTAINER_OF(dp->ports.next, struct dp_port,
                                         node);
        dpif_port_del(dp, p->ofp_port);
    }
    list_remove(&dp->node);
    dp_synchronize_and_free();
    fwd_free_cb(atomic_load(&dp->fwd));
    mac_table_destroy(atomic_load(&dp->macs));
    ofpipe_destroy(atomic_load(&dp->pipe));
    free(dp->name);
    free(dp);
}

void
dpif_set_bridge_config(struct dpif *dp, const struct smap *cfg)
{
    int aging = smap_get_int(cfg, "mac-aging-time", MAC_DEFAULT_AGING);
    int size = smap_get_int(cfg, "mac-table-size", MAC_DEFAULT_SIZE);
    if (aging < 1) {
        aging = MAC_DEFAULT_AGING;
    }
    if (size < 1 || size > 1000000) {
        size = MAC_DEFAULT_SIZE;
    }
    struct mac_table *mt = atomic_load(&dp->macs);
    if ((unsigned) aging != dp->mac_aging) {
        dp->mac_aging = aging;
        mac_table_set_aging(mt, aging);
    }
    if ((unsigned) size != dp->mac_size) {
        dp->mac_size = size;
        /* A new, empty table: the PMDs relearn within one round trip. */
        struct mac_table *old = atomic_exchange(
            &dp->macs, mac_table_create(size, dp->mac_aging));
        defer_free(mac_table_free_cb, old);
        dp_synchronize_and_free();
    }
}

/* ---- Ports ---- */

static struct dp_port *
port_find(const struct dpif *dp, uint32_t ofp_port)
{
    struct dp_port *p;
    LIST_FOR_EACH (p, node, &dp->ports) {
        if (p->ofp_port == ofp_port) {
            return p;
        }
    }
    return NULL;
}

uint32_t
dpif_port_odp_no(const struct dpif *dp, uint32_t ofp_port)
{
    const struct dp_port *p;
    LIST_FOR_EACH (p, node, &dp->ports) {
        if (p->ofp_port == ofp_port) {
            return p->odp_no;
        }
    }
    return ofp_port;
}

int
dp_pmd_cache_request(struct pmd *pmd, struct fc_request *req)
{
    atomic_init(&req->done, false);
    if (!pmd->started) {
        return 0;
    }
    atomic_store_explicit(&pmd->fc_req, req, memory_order_release);
    for (int i = 0; i < 10000; i++) {
        if (atomic_load_explicit(&req->done, memory_order_acquire)) {
            return 0;
        }
        usleep(100);
    }
    if (atomic_exchange(&pmd->fc_req, NULL) == req) {
        return ETIMEDOUT;               /* Never taken. */
    }
    while (!atomic_load_explicit(&req->done, memory_order_acquire)) {
        usleep(100);                    /* Taken: finishing now. */
    }
    return 0;
}

static void
rxq_free_cb(void *p)
{
    struct dp_rxq *rxq = p;
    flow_cache_destroy(rxq->cache);
    free(rxq);
}

/* Makes p->rxqs match the netdev's queue count, keeping history of queues
 * that stay. */
static void
port_resize_rxqs(struct dp_port *p)
{
    int n = p->netdev->n_rxq;
    if (n == p->n_rxq) {
        return;
    }
    for (int q = n; q < p->n_rxq; q++) {
        defer_free(rxq_free_cb, p->rxqs[q]);
    }
    int *aff = xcalloc(n + 1, sizeof *aff);
    rxq_sched_parse_affinity(p->affinity, aff, n);
    struct dp_rxq **rxqs = xcalloc(n + 1, sizeof *rxqs);
    for (int q = 0; q < n; q++) {
        if (q < p->n_rxq) {
            rxqs[q] = p->rxqs[q];
        } else {
            rxqs[q] = xzalloc(sizeof *rxqs[q]);
            rxqs[q]->port = p;
            rxqs[q]->qid = q;
            atomic_init(&rxqs[q]->cycles, 0);
        }
        rxqs[q]->pinned_core = aff[q];
    }
    /* The old array may still be read by nobody (PMDs use poll lists). */
    free(p->rxqs);
    free(aff);
    p->rxqs = rxqs;
    p->n_rxq = n;
}

static void
port_pause(struct netdev *dev, void *p_)
{
    struct dp_port *p = p_;
    p->paused = true;
    dp_reconfigure();
}

static void
port_resume(struct netdev *dev, void *p_)
{
    struct dp_port *p = p_;
    p->paused = false;
    port_resize_rxqs(p);
    dp_reconfigure();
}

int
dpif_port_add(struct dpif *dp, struct netdev *dev, uint32_t ofp_port)
{
    if (!ofp_port || (ofp_port > DPIF_PORT_MAX
                      && ofp_port != DPIF_PORT_LOCAL)) {
        return EINVAL;
    }
    if (port_find(dp, ofp_port)) {
        return EEXIST;
    }
    struct dpif *any;
    LIST_FOR_EACH (any, node, &all_dpifs) {
        struct dp_port *q;
        LIST_FOR_EACH (q, node, &any->ports) {
            if (q->netdev == dev) {
                return EEXIST;
            }
        }
    }
    struct dp_port *p = xzalloc(sizeof *p);
    p->dpif = dp;
    p->netdev = dev;
    p->ofp_port = ofp_port;
    p->odp_no = next_odp_no++;
    p->vlan.mode = DPIF_VLAN_TRUNK;
    p->vlan.tag = 0;
    p->vlan.all_vlans = true;
    p->last_change_seq = netdev_get_change_seq(dev);
    list_push_back(&dp->ports, &p->node);
    port_resize_rxqs(p);
    struct netdev_dp_hooks hooks = {
        .pause = port_pause, .resume = port_resume, .aux = p,
    };
    netdev_set_dp_hooks(dev, &hooks);
    log_info("%s: added port %s (%s) as port %u", dp->name, dev->name,
             dev->type, ofp_port);
    dp_reconfigure();
    return 0;
}

static void
port_free_cb(void *p_)
{
    struct dp_port *p = p_;
    for (int q = 0; q < p->n_rxq; q++) {
        rxq_free_cb(p->rxqs[q]);
    }
    free(p->rxqs);
    free(p->affinity);
    free(p);
}

int
dpif_port_del(struct dpif *dp, uint32_t ofp_port)
{
    struct dp_port *p = port_find(dp, ofp_port);
    if (!p) {
        return ENOENT;
    }
    list_remove(&p->node);
    netdev_set_dp_hooks(p->netdev, NULL);
    log_info("%s: removed port %s", dp->name, p->netdev->name);
    defer_free(port_free_cb, p);
    /* Rebuild without it; dp_reconfigure() waits for the PMDs and then
     * frees the port. */
    dp_reconfigure();
    struct mac_table *mt = atomic_load(&dp->macs);
    mac_table_expire(mt, dp_now_s(), ofp_port);
    return 0;
}

int
dpif_port_set_config(struct dpif *dp, uint32_t ofp_port,
                     const struct smap *cfg)
{
    struct dp_port *p = port_find(dp, ofp_port);
    if (!p) {
        return ENOENT;
    }
    const char *aff = smap_get(cfg, "pmd-rxq-affinity");
    if (aff && !*aff) {
        aff = NULL;
    }
    if ((aff == NULL) == (p->affinity == NULL)
        && (!aff || !strcmp(aff, p->affinity))) {
        return 0;
    }
    if (aff) {
        /* Validate the syntax whatever the queue count. */
        int *all = xcalloc(1024, sizeof *all);
        bool ok = rxq_sched_parse_affinity(aff, all, 1024);
        free(all);
        if (!ok) {
            log_warn("%s: invalid pmd-rxq-affinity \"%s\"", p->netdev->name,
                     aff);
            return EINVAL;
        }
    }
    free(p->affinity);
    p->affinity = aff ? xstrdup(aff) : NULL;
    int *cores = xcalloc(p->n_rxq + 1, sizeof *cores);
    rxq_sched_parse_affinity(p->affinity, cores, p->n_rxq);
    for (int q = 0; q < p->n_rxq; q++) {
        p->rxqs[q]->pinned_core = cores[q];
    }
    free(cores);
    dp_reconfigure();
    return 0;
}

int
dpif_port_set_vlan(struct dpif *dp, uint32_t ofp_port,
                   const struct dpif_vlan_config *v)
{
    struct dp_port *p = port_find(dp, ofp_port);
    if (!p) {
        return ENOENT;
    }
    if (v->tag < -1 || v->tag > 4095
        || (v->mode == DPIF_VLAN_ACCESS && v->tag < 0)) {
        return EINVAL;
    }
    struct dp_vlan nv;
    memset(&nv, 0, sizeof nv);
    nv.mode = v->mode;
    nv.tag = v->tag < 0 ? 0 : v->tag;
    nv.all_vlans = v->all_vlans;
    if (!nv.all_vlans) {
        memcpy(nv.trunks, v->trunks, sizeof nv.trunks);
    }
    if (!memcmp(&nv, &p->vlan, sizeof nv)) {
        return 0;               /* Unchanged: keep the learned addresses. */
    }
    p->vlan = nv;
    struct dp_fwd *old = atomic_exchange(&dp->fwd, fwd_build(dp));
    defer_free(fwd_free_cb, old);
    dp_synchronize_and_free();
    /* Learned addresses may now be on the wrong VLAN. */
    mac_table_flush(atomic_load(&dp->macs));
    return 0;
}

int
dpif_port_get_stats(const struct dpif *dp, uint32_t ofp_port,
                    struct netdev_stats *stats)
{
    struct dp_port *p = port_find(dp, ofp_port);
    if (!p) {
        return ENOENT;
    }
    return netdev_get_stats(p->netdev, stats);
}

void
dpif_fdb_flush(struct dpif *dp)
{
    mac_table_flush(atomic_load(&dp->macs));
}

/* ---- Periodic work ---- */

static void
rotate_intervals(void)
{
    struct dpif *dp;
    struct dp_port *p;
    int idx = interval_idx;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            for (int q = 0; q < p->n_rxq; q++) {
                struct dp_rxq *rxq = p->rxqs[q];
                uint64_t c = dp_counter_get(&rxq->cycles);
                rxq->intervals[idx] = c - rxq->cycles_snap;
                rxq->cycles_snap = c;
            }
        }
    }
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        uint64_t busy = dp_counter_get(&pmd->stats.busy_cycles);
        uint64_t total = busy + dp_counter_get(&pmd->stats.idle_cycles);
        pmd->busy_intervals[idx] = busy - pmd->busy_snap;
        pmd->total_intervals[idx] = total - pmd->total_snap;
        pmd->busy_snap = busy;
        pmd->total_snap = total;
    }
    interval_idx = (idx + 1) % DP_N_INTERVALS;
}

/* Cycles 'rxq' measured in the completed intervals of the history. */
static uint64_t
rxq_history_cycles(const struct dp_rxq *rxq)
{
    uint64_t c = 0;
    for (int i = 0; i < DP_N_INTERVALS; i++) {
        c += rxq->intervals[i];
    }
    return c;
}

/* " (measured processing cycles N)" where the policy uses cycles. */
static const char *
cycles_suffix(char *buf, size_t size, uint64_t cycles)
{
    if (sched_policy == RXQ_SCHED_ROUNDROBIN) {
        return "";
    }
    snprintf(buf, size, " (measured processing cycles %"PRIu64")", cycles);
    return buf;
}

/* The dry run of auto load balancing: true if the policy, run again on the
 * measured cycles, would spread the load better by the improvement
 * threshold. */
static bool
auto_lb_dry_run(void)
{
    struct dpif *dp;
    struct dp_port *p;
    struct pmd *pmd;
    int n_pmds = list_size(&all_pmds);
    int n_rxqs = 0;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            n_rxqs += p->n_rxq;
        }
    }
    struct rxq_sched_pmd *sp = xcalloc(2 * n_pmds + 2, sizeof *sp);
    struct rxq_sched_pmd *est_pmds = sp + n_pmds + 1;
    uint64_t *pmd_cycles = xcalloc(n_pmds + 1, sizeof *pmd_cycles);
    struct rxq_sched_rxq *sq = xcalloc(2 * n_rxqs + 2, sizeof *sq);
    struct rxq_sched_rxq *est = sq + n_rxqs + 1;
    struct dp_rxq **rxqs = xcalloc(n_rxqs + 1, sizeof *rxqs);
    struct pmd **pmd_by_idx = xcalloc(n_pmds + 1, sizeof *pmd_by_idx);
    struct rxq_sched_numa_variance *numas = xcalloc(n_pmds + 1,
                                                    sizeof *numas);
    int i = 0;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        sp[i].core_id = pmd->core_id;
        sp[i].numa_id = pmd->numa_id;
        sp[i].isolated = pmd->isolated;
        for (int j = 0; j < DP_N_INTERVALS; j++) {
            pmd_cycles[i] += pmd->total_intervals[j];
        }
        pmd_by_idx[i++] = pmd;
    }
    int k = 0;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            for (int q = 0; q < p->n_rxq; q++) {
                struct dp_rxq *rxq = p->rxqs[q];
                rxqs[k] = rxq;
                sq[k].numa_id = p->netdev->numa_id;
                sq[k].pinned_core = rxq->pinned_core;
                sq[k].cycles = rxq_history_cycles(rxq);
                sq[k].pmd = -1;
                for (int j = 0; j < n_pmds; j++) {
                    if (rxq->pmd == pmd_by_idx[j]) {
                        sq[k].pmd = j;
                    }
                }
                k++;
            }
        }
    }
    int n_numas;
    enum rxq_sched_dry_run_result r
        = rxq_sched_dry_run(sp, pmd_cycles, n_pmds, sq, n_rxqs, sched_policy,
                            sched_isolate, auto_lb_improvement_threshold,
                            est_pmds, est, numas, &n_numas);
    for (k = 0; k < n_rxqs; k++) {
        if (est[k].pmd >= 0) {
            char buf[64];
            log_dbg("Core %2u on numa node %d assigned port '%s' rx queue "
                    "%d%s.", pmd_by_idx[est[k].pmd]->core_id,
                    pmd_by_idx[est[k].pmd]->numa_id,
                    rxqs[k]->port->netdev->name, rxqs[k]->qid,
                    cycles_suffix(buf, sizeof buf, est[k].cycles));
        }
    }
    if (r == RXQ_SCHED_DRY_RUN_CROSS_NUMA) {
        log_dbg("PMD auto load balance detected cross-numa polling with "
                "multiple numa nodes. Unable to accurately estimate.");
    } else {
        for (i = 0; i < n_numas; i++) {
            log_dbg("Numa node %d. Current variance %"PRIu64" Estimated "
                    "variance %"PRIu64". Variance improvement %"PRIu64"%%.",
                    numas[i].numa_id, numas[i].current, numas[i].estimate,
                    numas[i].improvement);
        }
        log_dbg("PMD load variance improvement threshold %u%% is %s.",
                auto_lb_improvement_threshold,
                r == RXQ_SCHED_DRY_RUN_MET ? "met" : "not met");
    }
    free(sp);
    free(pmd_cycles);
    free(sq);
    free(rxqs);
    free(pmd_by_idx);
    free(numas);
    return r == RXQ_SCHED_DRY_RUN_MET;
}

/* Auto load balancing, once per pmd-auto-lb-rebal-interval, right after an
 * interval of history completed: if a non-isolated PMD was at or above the
 * load threshold in every interval of the history (the last minute), and
 * moving queues can help, a dry run of the policy decides. */
static void
auto_lb_check(void)
{
    struct pmd *pmd;
    bool overloaded = false;
    LIST_FOR_EACH (pmd, node, &all_pmds) {
        overloaded |= !pmd->isolated
                      && rxq_sched_pmd_overloaded(pmd->busy_intervals,
                                                  pmd->total_intervals,
                                                  DP_N_INTERVALS,
                                                  auto_lb_load_threshold);
    }
    if (!overloaded || rebalance_requested) {
        return;
    }
    struct dpif *dp;
    struct dp_port *p;
    LIST_FOR_EACH (dp, node, &all_dpifs) {
        LIST_FOR_EACH (p, node, &dp->ports) {
            if (p->paused) {
                return;         /* Being reconfigured: check next time. */
            }
        }
    }
    if (sched_policy == RXQ_SCHED_ROUNDROBIN) {
        log_dbg("PMD auto load balance nothing to do, pmd-rxq-assign="
                "roundrobin assignment type configured.");
        return;
    }
    if (!auto_lb_recheck) {
        if (!auto_lb_possible) {
            log_dbg("PMD auto load balance nothing to do, no configuration "
                    "changes since last check.");
            return;
        }
    } else {
        int n = list_size(&all_pmds), i = 0;
        struct rxq_sched_pmd *sp = xcalloc(n + 1, sizeof *sp);
        LIST_FOR_EACH (pmd, node, &all_pmds) {
            struct poll_list *pl = atomic_load(&pmd->poll);
            sp[i].isolated = pmd->isolated;
            sp[i++].n_rxq = pl ? pl->n : 0;
        }
        auto_lb_possible = rxq_sched_auto_lb_possible(sp, n);
        auto_lb_recheck = false;
        free(sp);
        if (!auto_lb_possible) {
            log_dbg("PMD auto load balance nothing to do, not enough "
                    "non-isolated PMDs or RxQs.");
            return;
        }
    }
    log_dbg("PMD auto load balance performing dry run.");
    if (auto_lb_dry_run()) {
        log_info("PMD auto load balance dry run. Requesting datapath "
                 "reconfigure.");
        rebalance_requested = true;
    }
}

static void
dp_timer_cb(void *aux)
{
    static uint32_t last_expire_s;
    netdev_run_all();
    long long now = time_msec();
    if (now >= next_interval_ms) {
        next_interval_ms = now + DP_INTERVAL_MS;
        rotate_intervals();
        if (auto_lb_enabled && --auto_lb_intervals_left <= 0) {
            auto_lb_intervals_left = auto_lb_interval_count();
            auto_lb_check();
        }
    }
    uint32_t now_s = dp_now_s();
    if (now_s != last_expire_s) {
        last_expire_s = now_s;
        struct dpif *dp;
        LIST_FOR_EACH (dp, node, &all_dpifs) {
            mac_table_expire(atomic_load(&dp->macs), now_s,
                             MAC_ENTRY_NO_PORT);
        }
    }
    if (rebalance_requested) {
        rebalance_requested = false;
        dp_reconfigure();
    }
}

void
dpif_init(void)
{
    if (initialized) {
        return;
    }
    initialized = true;
    next_interval_ms = time_msec() + DP_INTERVAL_MS;
    dp_timer = mainloop_timer_add(100, true, dp_timer_cb, NULL);
    dpif_unixctl_register();
    dpctl_unixctl_register();
}
