/* Unit tests for lib/classifier: priorities, masks, strict and loose
 * matching, overlap, removal, against a brute-force reference. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "classifier/classifier.h"

static void
key_clear(struct flow_key *k)
{
    memset(k, 0, sizeof *k);
}

static struct cls_rule *
new_rule(uint32_t in_port, bool in_port_exact, uint32_t nw_dst,
         uint32_t nw_dst_mask, int prio)
{
    struct flow_key v, m;
    key_clear(&v);
    key_clear(&m);
    if (in_port_exact) {
        v.in_port = in_port;
        m.in_port = UINT32_MAX;
    }
    if (nw_dst_mask) {
        v.dl_type = ETH_TYPE_IP;
        m.dl_type = 0xffff;
        v.nw_dst = htonl(nw_dst);
        m.nw_dst = htonl(nw_dst_mask);
    }
    struct cls_rule *r = malloc(sizeof *r);
    cls_rule_init(r, &v, &m, prio);
    return r;
}

static struct flow_key
pkt(uint32_t in_port, uint32_t nw_dst)
{
    struct flow_key k;
    key_clear(&k);
    k.in_port = in_port;
    k.dl_type = ETH_TYPE_IP;
    k.nw_dst = htonl(nw_dst);
    return k;
}

static void
test_priority_wins(void **state)
{
    (void) state;
    struct classifier cls;
    cls_init(&cls);
    struct cls_rule *any = new_rule(0, false, 0, 0, 0);
    struct cls_rule *port1 = new_rule(1, true, 0, 0, 100);
    struct cls_rule *net = new_rule(0, false, 0x0a000000, 0xff000000, 200);
    struct cls_rule *host = new_rule(1, true, 0x0a000001, 0xffffffff, 50);
    cls_insert(&cls, any);
    cls_insert(&cls, port1);
    cls_insert(&cls, net);
    cls_insert(&cls, host);
    assert_int_equal(cls_count(&cls), 4);

    struct flow_key k = pkt(1, 0x0a000001);
    assert_ptr_equal(cls_lookup(&cls, &k), net);
    k = pkt(1, 0x0b000001);
    assert_ptr_equal(cls_lookup(&cls, &k), port1);
    k = pkt(2, 0x0b000001);
    assert_ptr_equal(cls_lookup(&cls, &k), any);

    cls_remove(&cls, net);
    k = pkt(1, 0x0a000001);
    assert_ptr_equal(cls_lookup(&cls, &k), port1);
    cls_remove(&cls, port1);
    assert_ptr_equal(cls_lookup(&cls, &k), host);
    cls_remove(&cls, host);
    cls_remove(&cls, any);
    assert_null(cls_lookup(&cls, &k));
    assert_int_equal(cls_count(&cls), 0);
    cls_destroy(&cls);
    free(any);
    free(port1);
    free(net);
    free(host);
}

static void
test_same_match_chain(void **state)
{
    (void) state;
    struct classifier cls;
    cls_init(&cls);
    struct cls_rule *a = new_rule(3, true, 0, 0, 10);
    struct cls_rule *b = new_rule(3, true, 0, 0, 30);
    struct cls_rule *c = new_rule(3, true, 0, 0, 20);
    cls_insert(&cls, a);
    cls_insert(&cls, b);
    cls_insert(&cls, c);
    struct flow_key k = pkt(3, 1);
    assert_ptr_equal(cls_lookup(&cls, &k), b);
    assert_ptr_equal(cls_find_exact(&cls, &c->value, &c->mask, 20), c);
    assert_null(cls_find_exact(&cls, &c->value, &c->mask, 25));
    cls_remove(&cls, b);
    assert_ptr_equal(cls_lookup(&cls, &k), c);
    cls_remove(&cls, c);
    assert_ptr_equal(cls_lookup(&cls, &k), a);

    size_t n;
    struct cls_rule **all = cls_collect(&cls, &n);
    assert_int_equal(n, 1);
    assert_ptr_equal(all[0], a);
    free(all);
    cls_remove(&cls, a);
    cls_destroy(&cls);
    free(a);
    free(b);
    free(c);
}

static void
test_loose_and_overlap(void **state)
{
    (void) state;
    struct cls_rule *host = new_rule(1, true, 0x0a000001, 0xffffffff, 5);
    struct cls_rule *net = new_rule(0, false, 0x0a000000, 0xff000000, 5);
    struct cls_rule *other = new_rule(0, false, 0x0b000000, 0xff000000, 5);
    /* 'host' is within 'net'; 'net' is not within 'host'. */
    assert_true(cls_rule_is_loose_match(host, &net->value, &net->mask));
    assert_false(cls_rule_is_loose_match(net, &host->value, &host->mask));
    assert_true(cls_rule_overlaps(host, net));
    assert_false(cls_rule_overlaps(net, other));
    assert_true(cls_rule_same_match(net, &net->value, &net->mask));
    free(host);
    free(net);
    free(other);
}

/* Random rules against a brute-force scan. */
static void
test_random_against_reference(void **state)
{
    (void) state;
    enum { N_RULES = 300, N_PKTS = 2000 };
    struct classifier cls;
    cls_init(&cls);
    struct cls_rule *rules[N_RULES];
    srand(7);
    for (int i = 0; i < N_RULES; i++) {
        int plen = rand() % 33;
        uint32_t mask = plen ? ~0u << (32 - plen) : 0;
        /* Unique priorities keep the expected answer unambiguous. */
        rules[i] = new_rule(rand() % 4, rand() % 2,
                            (rand() % 4) << 24 | (rand() % 4), mask, i * 3);
        cls_insert(&cls, rules[i]);
    }
    for (int p = 0; p < N_PKTS; p++) {
        struct flow_key k = pkt(rand() % 4, (rand() % 4) << 24 | rand() % 4);
        const struct cls_rule *want = NULL;
        for (int i = 0; i < N_RULES; i++) {
            if (cls_rule_matches(rules[i], &k)
                && (!want || rules[i]->priority > want->priority)) {
                want = rules[i];
            }
        }
        assert_ptr_equal(cls_lookup(&cls, &k), want);
    }
    for (int i = 0; i < N_RULES; i += 2) {
        cls_remove(&cls, rules[i]);
    }
    for (int p = 0; p < N_PKTS; p++) {
        struct flow_key k = pkt(rand() % 4, (rand() % 4) << 24 | rand() % 4);
        const struct cls_rule *want = NULL;
        for (int i = 1; i < N_RULES; i += 2) {
            if (cls_rule_matches(rules[i], &k)
                && (!want || rules[i]->priority > want->priority)) {
                want = rules[i];
            }
        }
        assert_ptr_equal(cls_lookup(&cls, &k), want);
    }
    cls_destroy(&cls);
    for (int i = 0; i < N_RULES; i++) {
        free(rules[i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priority_wins),
        cmocka_unit_test(test_same_match_chain),
        cmocka_unit_test(test_loose_and_overlap),
        cmocka_unit_test(test_random_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
