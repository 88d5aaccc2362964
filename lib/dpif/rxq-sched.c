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
            pick = cand[rr_cursor[slot]++ % nc];
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

double
rxq_sched_imbalance(const uint64_t *loads, int n)
{
    if (n <= 0) {
        return 0;
    }
    double mean = 0;
    for (int i = 0; i < n; i++) {
        mean += loads[i];
    }
    mean /= n;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double d = loads[i] - mean;
        sum += d * d;
    }
    return sum;
}

bool
rxq_sched_rebalance_worthwhile(const uint64_t *cur, const uint64_t *proposed,
                               int n, unsigned int improvement_pct)
{
    double before = rxq_sched_imbalance(cur, n);
    double after = rxq_sched_imbalance(proposed, n);
    return before > 0 && (before - after) * 100 / before >= improvement_pct;
}
