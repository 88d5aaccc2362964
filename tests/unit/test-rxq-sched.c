/* Unit tests for lib/dpif/rxq-sched (queue-to-PMD assignment, mask and
 * affinity parsing). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dpif/rxq-sched.h"

static void
init_pmds(struct rxq_sched_pmd *p, int n, const int *numa)
{
    memset(p, 0, n * sizeof *p);
    for (int i = 0; i < n; i++) {
        p[i].core_id = i + 1;
        p[i].numa_id = numa ? numa[i] : 0;
    }
}

static void
init_rxqs(struct rxq_sched_rxq *q, int n, const uint64_t *cycles)
{
    memset(q, 0, n * sizeof *q);
    for (int i = 0; i < n; i++) {
        q[i].pinned_core = -1;
        q[i].cycles = cycles ? cycles[i] : 0;
    }
}

static void
test_roundrobin(void **state)
{
    struct rxq_sched_pmd p[2];
    struct rxq_sched_rxq q[5];
    static const uint64_t cyc[5] = { 1, 100, 2, 300, 5 };
    init_pmds(p, 2, NULL);
    init_rxqs(q, 5, cyc);
    rxq_sched_assign(p, 2, q, 5, RXQ_SCHED_ROUNDROBIN, true);
    /* Cycles do not matter: queue order, PMD order. */
    for (int i = 0; i < 5; i++) {
        assert_int_equal(q[i].pmd, i % 2);
    }
    assert_int_equal(p[0].n_rxq, 3);
    assert_int_equal(p[1].n_rxq, 2);
}

static void
test_cycles_sorted(void **state)
{
    struct rxq_sched_pmd p[2];
    struct rxq_sched_rxq q[4];
    static const uint64_t cyc[4] = { 10, 40, 20, 30 };
    init_pmds(p, 2, NULL);
    init_rxqs(q, 4, cyc);
    rxq_sched_assign(p, 2, q, 4, RXQ_SCHED_CYCLES, true);
    /* Busiest first (1, 3, 2, 0), dealt round robin. */
    assert_int_equal(q[1].pmd, 0);
    assert_int_equal(q[3].pmd, 1);
    assert_int_equal(q[2].pmd, 0);
    assert_int_equal(q[0].pmd, 1);
}

static void
test_group_balances_load(void **state)
{
    struct rxq_sched_pmd p[2];
    struct rxq_sched_rxq q[4];
    static const uint64_t cyc[4] = { 100, 10, 10, 10 };
    init_pmds(p, 2, NULL);
    init_rxqs(q, 4, cyc);
    rxq_sched_assign(p, 2, q, 4, RXQ_SCHED_GROUP, true);
    /* The heavy queue alone on one PMD, the three light ones together. */
    assert_int_not_equal(q[0].pmd, q[1].pmd);
    assert_int_equal(q[1].pmd, q[2].pmd);
    assert_int_equal(q[2].pmd, q[3].pmd);
    assert_int_equal(p[q[0].pmd].load, 100);
    assert_int_equal(p[q[1].pmd].load, 30);
    /* Equal loads: fewest queues wins. */
    init_rxqs(q, 4, NULL);
    rxq_sched_assign(p, 2, q, 4, RXQ_SCHED_GROUP, true);
    assert_int_equal(p[0].n_rxq, 2);
    assert_int_equal(p[1].n_rxq, 2);
}

static void
test_affinity_and_isolation(void **state)
{
    struct rxq_sched_pmd p[3];
    struct rxq_sched_rxq q[4];
    init_pmds(p, 3, NULL);          /* Cores 1, 2, 3. */
    init_rxqs(q, 4, NULL);
    q[0].pinned_core = 2;
    q[1].pinned_core = 7;           /* No PMD there. */
    rxq_sched_assign(p, 3, q, 4, RXQ_SCHED_ROUNDROBIN, true);
    assert_int_equal(q[0].pmd, 1);
    assert_true(p[1].isolated);
    assert_true(q[1].pin_failed);
    for (int i = 1; i < 4; i++) {
        assert_int_not_equal(q[i].pmd, 1);      /* Core 2 is isolated. */
        assert_true(q[i].pmd == 0 || q[i].pmd == 2);
    }
    /* Without isolation core 2 takes others too. */
    rxq_sched_assign(p, 3, q, 4, RXQ_SCHED_ROUNDROBIN, false);
    assert_false(p[1].isolated);
    assert_int_equal(q[0].pmd, 1);
    assert_int_equal(q[1].pmd, 0);
    assert_int_equal(q[2].pmd, 1);
    assert_int_equal(q[3].pmd, 2);
}

static void
test_numa_preference(void **state)
{
    struct rxq_sched_pmd p[3];
    struct rxq_sched_rxq q[4];
    static const int numa[3] = { 0, 1, 1 };
    init_pmds(p, 3, numa);
    init_rxqs(q, 4, NULL);
    q[0].numa_id = q[1].numa_id = 1;
    q[2].numa_id = q[3].numa_id = 2;   /* A node without PMDs. */
    rxq_sched_assign(p, 3, q, 4, RXQ_SCHED_ROUNDROBIN, true);
    assert_int_equal(q[0].pmd, 1);
    assert_int_equal(q[1].pmd, 2);
    assert_false(q[0].cross_numa);
    assert_true(q[2].cross_numa && q[3].cross_numa);
    assert_true(q[2].pmd >= 0 && q[3].pmd >= 0);
    /* No PMD at all: unassigned. */
    rxq_sched_assign(p, 0, q, 4, RXQ_SCHED_CYCLES, true);
    assert_int_equal(q[0].pmd, -1);
}

static void
test_cpu_mask(void **state)
{
    unsigned int c[64];
    assert_int_equal(rxq_sched_parse_cpu_mask("0x3", c, 64), 2);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[1], 1);
    assert_int_equal(rxq_sched_parse_cpu_mask("A", c, 64), 2);
    assert_int_equal(c[0], 1);
    assert_int_equal(c[1], 3);
    assert_int_equal(rxq_sched_parse_cpu_mask("100000000", c, 64), 1);
    assert_int_equal(c[0], 32);
    assert_int_equal(rxq_sched_parse_cpu_mask("0", c, 64), 0);
    assert_int_equal(rxq_sched_parse_cpu_mask("0xg", c, 64), -1);
    assert_int_equal(rxq_sched_parse_cpu_mask("", c, 64), -1);
    assert_int_equal(rxq_sched_parse_cpu_mask(NULL, c, 64), -1);
}

static void
test_affinity_parse(void **state)
{
    int core[4];
    assert_true(rxq_sched_parse_affinity("0:3,1:7", core, 4));
    assert_int_equal(core[0], 3);
    assert_int_equal(core[1], 7);
    assert_int_equal(core[2], -1);
    assert_true(rxq_sched_parse_affinity("3:1, 9:2", core, 4));
    assert_int_equal(core[3], 1);
    assert_false(rxq_sched_parse_affinity("0:x", core, 4));
    assert_false(rxq_sched_parse_affinity("03", core, 4));
    assert_int_equal(core[0], -1);
    enum rxq_sched_policy pol;
    assert_true(rxq_sched_policy_from_string("group", &pol));
    assert_int_equal(pol, RXQ_SCHED_GROUP);
    assert_false(rxq_sched_policy_from_string("random", &pol));
}

static void
test_imbalance(void **state)
{
    uint64_t even[2] = { 50, 50 }, skew[2] = { 100, 0 };
    assert_true(rxq_sched_imbalance(even, 2) == 0.0);
    assert_true(rxq_sched_imbalance(skew, 2) > 0.0);
    uint64_t better[2] = { 70, 30 }, slightly[2] = { 95, 5 };
    assert_true(rxq_sched_rebalance_worthwhile(skew, even, 2, 25));
    assert_true(rxq_sched_rebalance_worthwhile(skew, better, 2, 25));
    assert_false(rxq_sched_rebalance_worthwhile(skew, slightly, 2, 25));
    assert_false(rxq_sched_rebalance_worthwhile(even, skew, 2, 25));
    assert_false(rxq_sched_rebalance_worthwhile(even, even, 2, 0));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundrobin),
        cmocka_unit_test(test_cycles_sorted),
        cmocka_unit_test(test_group_balances_load),
        cmocka_unit_test(test_affinity_and_isolation),
        cmocka_unit_test(test_numa_preference),
        cmocka_unit_test(test_cpu_mask),
        cmocka_unit_test(test_affinity_parse),
        cmocka_unit_test(test_imbalance),
    };
    return cmocka_run_group_tests_name("rxq-sched", tests, NULL, NULL);
}
