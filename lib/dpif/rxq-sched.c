/* rxq-sched.c: see rxq-sched.h. */
#include <config.h>
#include "dpif/rxq-sched.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

bool
rxq_sched_policy_from_string(const char *s, enum rxq_sched_policy *p)
{
    if (!s) {
        return false;
    } else if (!strcmp(s, "roundrobin")) {
        *p = RXQ_SCHED_ROUNDROBIN;
    } else if (!strcmp(s, "cycles")) {
        *p = RXQ_SCHED_CYCLES;
    } else if (!strcmp(s, "group")) {
        *p = RXQ_SCHED_GROUP;
    } else {
        return false;
    }
    return true;
}

const char *
rxq_sched_policy_to_string(enum rxq_sched_policy p)
{
    return p == RXQ_SCHED_ROUNDROBIN ? "roundrobin"
           : p == RXQ_SCHED_CYCLES ? "cycles" : "group";
}

struct sort_item {
    int idx;
    uint64_t cycles;
};

static int
cmp_cycles_desc(const void *a_, const void *b_)
{
    const struct sort_item *a = a_, *b = b_;
    if (a->cycles != b->cycles) {
        return a->cycles > b->cycles ? -1 : 1;
    }
    return a->idx - b->idx;     /* Stable. */
}

/* Candidate PMDs for a queue on 'numa': non-isolated ones there, else any
 * non-isolated.  Fills 'cand', returns count; '*cross' if off-node. */
static int
candidates(const struct rxq_sched_pmd *pmds, int n_pmds, int numa,
           int *cand, bool *cross)
{
    int n = 0;
    for (int i = 0; i < n_pmds; i++) {
        if (!pmds[i].isolated && pmds[i].numa_id == numa) {
            cand[n++] = i;
        }
    }
    *cross = false;
    if (!n) {
        for (int i = 0; i < n_pmds; i++) {
            if (!pmds[i].isolated) {
                cand[n++] = i;
            }
        }
        *cross = n > 0;
    }
    return n;
}

void
rxq_sched_assign(struct rxq_sched_pmd *pmds, int n_pmds,
                 struct rxq_sched_rxq *rxqs, int n_rxqs,
                 enum rxq_sched_policy policy, bool isolate)
{
    for (int i = 0; i < n_pmds; i++) {
        pmds[i].isolated = false;
        pmds[i].load = 0;
        pmds[i].n_rxq = 0;
    }
    for (int i = 0; i < n_rxqs; i++) {
        rxqs[i].pmd = -1;
        rxqs[i].cross_numa = false;
        rxqs[i].pin_failed = false;
    }

    /* Pinned queues first. */
    for (int i = 0; i < n_rxqs; i++) {
        if (rxqs[i].pinned_core < 0) {
            continue;
        }
        for (int p = 0; p < n_pmds; p++) {
            if (pmds[p].core_id == (unsigned int) rxqs[i].pinned_core) {
                rxqs[i].pmd = p;
                pmds[p].load += rxqs[i].cycles;
                pmds[p].n_rxq++;
                if (isolate) {
                    pmds[p].isolated = true;
                }
                break;
            }
        }
        if (rxqs[i].pmd < 0) {
            rxqs[i].pin_failed = true;
        }
    }

    struct sort_item *order = xcalloc(n_rxqs ? n_rxqs : 1, sizeof *order);
    int n = 0;
    for (int i = 0; i < n_rxqs; i++) {
        if (rxqs[i].pmd < 0) {
            order[n].idx = i;
            order[n].cycles = policy == RXQ_SCHED_ROUNDROBIN ? 0
                                                             : rxqs[i].cycles;
            n++;
        }
    }
    if (policy != RXQ_SCHED_ROUNDROBIN) {
        qsort(order, n, sizeof *order, cmp_cycles_desc);
    }

    int *cand = xcalloc(n_pmds ? n_pmds : 1, sizeof *cand);
    /* Round-robin cursor per NUMA node (and one for cross-node use). */
    int rr_cursor[65];
    memset(rr_cursor, 0, sizeof rr_cursor);
    for (int k = 0; k < n; k++) {
        struct rxq_sched_rxq *q = &rxqs[order[k].idx];
        bool cross;
        int nc = candidates(pmds, n_pmds, q->numa_id, cand, &cross);
        if (!nc) {
            continue;
        }
        int pick;
        if (policy == RXQ_SCHED_GROUP) {
            pick = cand[0];
            for (int c = 1; c < nc; c++) {
                const struct rxq_sched_pmd *a = &pmds[cand[c]], *b = &pmds[pick];
                if (a->load < b->load
                    || (a->load == b->load && a->n_rxq < b->n_rxq)) {
                    pick = cand[c];
                }
            }
        } else {
            int slot = cross ? 64 : (q->numa_id >= 0 && q->numa_id < 64
                                     ? q->numa_id : 0);
            int step = rr_cursor[slot]++ % (2 * nc);
            if (policy == RXQ_SCHED_CYCLES && step >= nc) {
                step = 2 * nc - 1 - step;   /* On the way back down. */
            } else {
                step %= nc;
            }
            pick = cand[step];
        }
        q->pmd = pick;
        q->cross_numa = cross;
        pmds[pick].load += q->cycles;
        pmds[pick].n_rxq++;
    }
    free(cand);
    free(order);
}

int
rxq_sched_parse_cpu_mask(const char *mask, unsigned int *cores, int max)
{
    if (!mask) {
        return -1;
    }
    while (isspace((unsigned char) *mask)) {
        mask++;
    }
    if (mask[0] == '0' && (mask[1] == 'x' || mask[1] == 'X')) {
        mask += 2;
    }
    size_t len = strlen(mask);
    while (len && isspace((unsigned char) mask[len - 1])) {
        len--;
    }
    if (!len) {
        return -1;
    }
    int n = 0;
    /* Least significant digit last. */
    for (size_t i = 0; i < len; i++) {
        char c = mask[len - 1 - i];
        int v;
        if (c >= '0' && c <= '9') {
            v = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v = c - 'A' + 10;
        } else {
            return -1;
        }
        for (int b = 0; b < 4; b++) {
            if (v & (1 << b)) {
                if (n < max) {
                    cores[n] = i * 4 + b;
                }
                n++;
            }
        }
    }
    /* Sort ascending (bits were produced in ascending order already). */
    return n < max ? n : max;
}

bool
rxq_sched_parse_affinity(const char *s, int *core_of_queue, int n)
{
    for (int i = 0; i < n; i++) {
        core_of_queue[i] = -1;
    }
    if (!s) {
        return true;
    }
    char *copy = xstrdup(s), *save = NULL;
    bool ok = true;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        int q, c;
        if (!colon) {
            ok = false;
            break;
        }
        *colon = '\0';
        while (isspace((unsigned char) *tok)) {
            tok++;
        }
        if (!str_to_int(tok, 10, &q) || !str_to_int(colon + 1, 10, &c)
            || q < 0 || c < 0) {
            ok = false;
            break;
        }
        if (q < n) {
            core_of_queue[q] = c;
        }
    }
    free(copy);
    if (!ok) {
        for (int i = 0; i < n; i++) {
            core_of_queue[i] = -1;
        }
    }
    return ok;
}

bool
rxq_sched_pmd_overloaded(const uint64_t *busy, const uint64_t *total, int n,
                         unsigned int threshold_pct)
{
    if (n <= 0) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (!total[i] || busy[i] * 100 / total[i] < threshold_pct) {
            return false;
        }
    }
    return true;
}

bool
rxq_sched_auto_lb_possible(const struct rxq_sched_pmd *pmds, int n)
{
    int usable = 0;
    bool several_queues = false;
    for (int i = 0; i < n; i++) {
        if (!pmds[i].isolated) {
            usable++;
            several_queues |= pmds[i].n_rxq > 1;
        }
    }
    return usable >= 2 && several_queues;
}

uint64_t
rxq_sched_variance(const uint64_t *pct, int n)
{
    if (n <= 0) {
        return 0;
    }
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        sum += pct[i];
    }
    uint64_t mean = sum / n;
    uint64_t squares = 0;
    for (int i = 0; i < n; i++) {
        uint64_t d = pct[i] > mean ? pct[i] - mean : mean - pct[i];
        squares += d * d;
    }
    return squares / n;
}

uint64_t
rxq_sched_variance_improvement(uint64_t current, uint64_t estimate)
{
    return estimate < current ? (current - estimate) * 100 / current : 0;
}

/* Variance of the loads of the non-isolated PMDs of 'numa': 'assigned'
 * (n_rxqs, 'pmd' fields) decides which queue's cycles count for whom. */
static uint64_t
numa_variance(const struct rxq_sched_pmd *pmds, const uint64_t *pmd_cycles,
              int n_pmds, const struct rxq_sched_rxq *assigned, int n_rxqs,
              int numa, uint64_t *scratch)
{
    int n = 0;
    for (int p = 0; p < n_pmds; p++) {
        if (pmds[p].numa_id != numa || pmds[p].isolated) {
            continue;
        }
        uint64_t load = 0;
        for (int k = 0; k < n_rxqs; k++) {
            if (assigned[k].pmd == p) {
                load += assigned[k].cycles;
            }
        }
        scratch[n++] = pmd_cycles[p] ? load * 100 / pmd_cycles[p] : 0;
    }
    return rxq_sched_variance(scratch, n);
}

enum rxq_sched_dry_run_result
rxq_sched_dry_run(const struct rxq_sched_pmd *pmds, const uint64_t *pmd_cycles,
                  int n_pmds, const struct rxq_sched_rxq *cur, int n_rxqs,
                  enum rxq_sched_policy policy, bool isolate,
                  unsigned int improvement_pct,
                  struct rxq_sched_pmd *est_pmds, struct rxq_sched_rxq *est,
                  struct rxq_sched_numa_variance *numas, int *n_numas)
{
    *n_numas = 0;
    memcpy(est_pmds, pmds, n_pmds * sizeof *est_pmds);
    memcpy(est, cur, n_rxqs * sizeof *est);
    rxq_sched_assign(est_pmds, n_pmds, est, n_rxqs, policy, isolate);

    /* NUMA nodes with PMDs, in order of first appearance. */
    for (int p = 0; p < n_pmds; p++) {
        bool seen = false;
        for (int i = 0; i < *n_numas; i++) {
            seen |= numas[i].numa_id == pmds[p].numa_id;
        }
        if (!seen) {
            numas[(*n_numas)++].numa_id = pmds[p].numa_id;
        }
    }
    if (*n_numas > 1) {
        for (int k = 0; k < n_rxqs; k++) {
            if (est[k].cross_numa) {
                return RXQ_SCHED_DRY_RUN_CROSS_NUMA;
            }
        }
    }

    bool met = false;
    uint64_t *scratch = xcalloc(n_pmds + 1, sizeof *scratch);
    for (int i = 0; i < *n_numas; i++) {
        struct rxq_sched_numa_variance *nv = &numas[i];
        nv->current = numa_variance(pmds, pmd_cycles, n_pmds, cur, n_rxqs,
                                    nv->numa_id, scratch);
        nv->estimate = numa_variance(est_pmds, pmd_cycles, n_pmds, est,
                                     n_rxqs, nv->numa_id, scratch);
        nv->improvement = rxq_sched_variance_improvement(nv->current,
                                                         nv->estimate);
        met |= nv->improvement >= improvement_pct;
    }
    free(scratch);
    return met ? RXQ_SCHED_DRY_RUN_MET : RXQ_SCHED_DRY_RUN_NOT_MET;
}
