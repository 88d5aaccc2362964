/* Unit tests for lib/classifier/pcls: lookups against a brute-force
 * reference through random inserts, removals and replacements; published
 * versions never change under later transactions; wildcards; discarding a
 * transaction. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "classifier/pcls.h"

#define MAX_RULES 400

struct test_rule {
    struct pcls_rule cr;
    bool live;
};

static int n_freed;

static void
free_rule(struct pcls_rule *r)
{
    n_freed++;
    free(r);
}

static struct test_rule *
make_rule(struct pcls_txn *txn, unsigned int seed)
{
    struct flow_key v, m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    /* A few shapes so rules share and split subtables. */
    v.dl_type = ETH_TYPE_IP;
    m.dl_type = 0xffff;
    int plen = (seed % 4) * 8;
    if (plen) {
        uint32_t mask = plen ? ~0u << (32 - plen) : 0;
        v.nw_dst = htonl((seed * 2654435761u) & mask);
        m.nw_dst = htonl(mask);
    }
    if (seed % 3 == 0) {
        v.nw_proto = 6 + 11 * (seed % 2);
        m.nw_proto = 0xff;
    }
    struct test_rule *r = calloc(1, sizeof *r);
    pcls_rule_init(txn, &r->cr, &v, &m, (int32_t) (seed % 50));
    return r;
}

static bool
matches(const struct pcls_rule *r, const struct flow_key *key)
{
    const uint64_t *k = (const uint64_t *) key;
    const uint64_t *v = (const uint64_t *) &r->value;
    const uint64_t *m = (const uint64_t *) &r->mask;
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((k[i] & m[i]) != v[i]) {
            return false;
        }
    }
    return true;
}

/* Highest priority among live rules matching 'key' (-1 none). */
static int32_t
reference(struct test_rule **rules, int n, const struct flow_key *key)
{
    int32_t best = -1;
    for (int i = 0; i < n; i++) {
        if (rules[i] && rules[i]->live && matches(&rules[i]->cr, key)
            && rules[i]->cr.priority > best) {
            best = rules[i]->cr.priority;
        }
    }
    return best;
}

static void
random_key(struct flow_key *k, unsigned int x)
{
    memset(k, 0, sizeof *k);
    k->dl_type = ETH_TYPE_IP;
    k->nw_dst = htonl(x * 2654435761u ^ (x >> 3));
    k->nw_proto = x % 2 ? 6 : 17;
}

static void
check_all(const struct pcls *t, struct test_rule **rules, int n)
{
    for (unsigned int x = 0; x < 300; x++) {
        struct flow_key k;
        random_key(&k, x);
        const struct pcls_rule *got = pcls_lookup(t, &k, NULL);
        assert_int_equal(got ? got->priority : -1, reference(rules, n, &k));
        if (got) {
            assert_true(matches(got, &k));
        }
    }
    /* Keys that match specific rules exactly. */
    for (int i = 0; i < n; i++) {
        if (rules[i] && rules[i]->live) {
            const struct flow_key *k = &rules[i]->cr.value;
            const struct pcls_rule *got = pcls_lookup(t, k, NULL);
            assert_non_null(got);
            assert_int_equal(got->priority, reference(rules, n, k));
        }
    }
}

static void
test_random_against_reference(void **state)
{
    (void) state;
    struct test_rule *rules[MAX_RULES] = { NULL };
    int n = 0;
    const struct pcls *t = NULL;
    n_freed = 0;
    srand(7);
    for (int round = 0; round < 20; round++) {
        struct pcls_txn txn;
        pcls_txn_init(&txn, free_rule);
        for (int op = 0; op < 40; op++) {
            int what = rand() % 3;
            if (what < 2 && n < MAX_RULES) {
                struct test_rule *r = make_rule(&txn, rand());
                /* Same match and priority as a live rule: replace it. */
                struct test_rule *same = NULL;
                for (int i = 0; i < n; i++) {
                    if (rules[i] && rules[i]->live
                        && rules[i]->cr.priority == r->cr.priority
                        && !memcmp(&rules[i]->cr.mask, &r->cr.mask,
                                   sizeof r->cr.mask)
                        && !memcmp(&rules[i]->cr.value, &r->cr.value,
                                   sizeof r->cr.value)) {
                        same = rules[i];
                        rules[i] = NULL;
                    }
                }
                r->live = true;
                if (same) {
                    t = pcls_replace(&txn, t, &same->cr, &r->cr);
                    pcls_txn_retire_rule(&txn, &same->cr);
                } else {
                    t = pcls_insert(&txn, t, &r->cr);
                }
                rules[n++] = r;
            } else if (n) {
                int i = rand() % n;
                if (rules[i] && rules[i]->live) {
                    t = pcls_remove(&txn, t, &rules[i]->cr);
                    pcls_txn_retire_rule(&txn, &rules[i]->cr);
                    rules[i] = NULL;
                }
            }
        }
        pcls_txn_free_garbage(&txn);
        int live = 0;
        for (int i = 0; i < n; i++) {
            live += rules[i] && rules[i]->live;
        }
        assert_int_equal(pcls_count(t), live);
        check_all(t, rules, n);
    }
    pcls_destroy(t, free_rule);
}

static void
test_old_version_unchanged(void **state)
{
    (void) state;
    struct pcls_txn txn;
    pcls_txn_init(&txn, free_rule);
    struct test_rule *a = make_rule(&txn, 8);   /* /0 */
    struct test_rule *b = make_rule(&txn, 9);   /* /8 */
    a->live = b->live = true;
    const struct pcls *v1 = pcls_insert(&txn, NULL, &a->cr);
    v1 = pcls_insert(&txn, v1, &b->cr);
    pcls_txn_free_garbage(&txn);        /* Nothing: all private. */
    struct test_rule *rules1[2] = { a, b };

    /* A new transaction: edits copy, v1 stays as it was. */
    pcls_txn_init(&txn, free_rule);
    struct test_rule *c = make_rule(&txn, 49);  /* /8, priority 49 */
    c->live = true;
    const struct pcls *v2 = pcls_insert(&txn, v1, &c->cr);
    v2 = pcls_remove(&txn, v2, &a->cr);
    assert_ptr_not_equal(v1, v2);
    assert_int_equal(pcls_count(v1), 2);
    assert_int_equal(pcls_count(v2), 2);
    check_all(v1, rules1, 2);
    a->live = false;
    struct test_rule *rules2[3] = { a, b, c };
    check_all(v2, rules2, 3);
    assert_true(txn.n_garbage > 0);     /* v1's replaced parts. */
    /* Readers of v1 are gone: free what only v1 used. */
    n_freed = 0;
    pcls_txn_retire_rule(&txn, &a->cr);
    rules2[0] = NULL;
    pcls_txn_free_garbage(&txn);
    assert_int_equal(n_freed, 1);
    check_all(v2, rules2, 3);

    /* A transaction that is abandoned leaves v2 intact. */
    pcls_txn_init(&txn, free_rule);
    struct test_rule *d = make_rule(&txn, 3);
    const struct pcls *v3 = pcls_insert(&txn, v2, &d->cr);
    assert_int_equal(pcls_count(v3), 3);
    n_freed = 0;
    pcls_discard(v3, &txn);
    pcls_txn_forget_garbage(&txn);
    assert_int_equal(n_freed, 1);       /* 'd', created in the txn. */
    check_all(v2, rules2, 3);
    pcls_destroy(v2, free_rule);
}

static void
test_wildcards(void **state)
{
    (void) state;
    struct pcls_txn txn;
    pcls_txn_init(&txn, free_rule);
    /* Priority 100: nw_proto=6; priority 10: any IP. */
    struct flow_key v, m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    v.dl_type = ETH_TYPE_IP;
    m.dl_type = 0xffff;
    struct test_rule *low = calloc(1, sizeof *low);
    pcls_rule_init(&txn, &low->cr, &v, &m, 10);
    v.nw_proto = 6;
    m.nw_proto = 0xff;
    struct test_rule *high = calloc(1, sizeof *high);
    pcls_rule_init(&txn, &high->cr, &v, &m, 100);
    const struct pcls *t = pcls_insert(&txn, NULL, &low->cr);
    t = pcls_insert(&txn, t, &high->cr);

    struct flow_key k, wc;
    memset(&k, 0, sizeof k);
    k.dl_type = ETH_TYPE_IP;
    k.nw_proto = 6;
    memset(&wc, 0, sizeof wc);
    assert_ptr_equal(pcls_lookup(t, &k, &wc), &high->cr);
    /* Found in the first subtable: the second (lower priority) is not
     * probed, but nw_proto was looked at. */
    assert_int_equal(wc.nw_proto, 0xff);
    assert_int_equal(wc.dl_type, 0xffff);
    assert_int_equal(wc.nw_dst, 0);
    k.nw_proto = 17;
    memset(&wc, 0, sizeof wc);
    assert_ptr_equal(pcls_lookup(t, &k, &wc), &low->cr);
    assert_int_equal(wc.nw_proto, 0xff);
    k.dl_type = ETH_TYPE_ARP;
    assert_null(pcls_lookup(t, &k, NULL));
    pcls_destroy(t, free_rule);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_against_reference),
        cmocka_unit_test(test_old_version_unchanged),
        cmocka_unit_test(test_wildcards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
