/* Unit tests for lib/dpif/mac-learning (the NORMAL MAC table). */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dpif/mac-learning.h"

static struct eth_addr
mac(unsigned int n)
{
    struct eth_addr a = { { 0x02, 0, (n >> 24) & 0xff, (n >> 16) & 0xff,
                            (n >> 8) & 0xff, n & 0xff } };
    return a;
}

static void
test_learn_lookup_move(void **state)
{
    struct mac_table *mt = mac_table_create(64, 300);
    assert_int_equal(mac_table_lookup(mt, mac(1), 0), MAC_ENTRY_NO_PORT);
    assert_true(mac_table_learn(mt, mac(1), 0, 5, 100));
    assert_false(mac_table_learn(mt, mac(1), 0, 5, 101));  /* Refresh. */
    assert_int_equal(mac_table_lookup(mt, mac(1), 0), 5);
    /* Same MAC on another VLAN is another entry. */
    assert_int_equal(mac_table_lookup(mt, mac(1), 10), MAC_ENTRY_NO_PORT);
    assert_true(mac_table_learn(mt, mac(1), 10, 7, 101));
    assert_int_equal(mac_table_lookup(mt, mac(1), 10), 7);
    /* Station moved. */
    assert_true(mac_table_learn(mt, mac(1), 0, 6, 102));
    assert_int_equal(mac_table_lookup(mt, mac(1), 0), 6);
    assert_int_equal(mac_table_count(mt), 2);
    /* The all-zero MAC is a valid key. */
    struct eth_addr zero = { { 0 } };
    assert_true(mac_table_learn(mt, zero, 0, 1, 102));
    assert_int_equal(mac_table_lookup(mt, zero, 0), 1);
    mac_table_destroy(mt);
}

static void
test_aging_and_port_flush(void **state)
{
    struct mac_table *mt = mac_table_create(64, 10);
    mac_table_learn(mt, mac(1), 0, 1, 100);
    mac_table_learn(mt, mac(2), 0, 2, 105);
    mac_table_learn(mt, mac(3), 0, 2, 108);
    assert_int_equal(mac_table_expire(mt, 109, MAC_ENTRY_NO_PORT), 0);
    assert_int_equal(mac_table_expire(mt, 110, MAC_ENTRY_NO_PORT), 1);
    assert_int_equal(mac_table_lookup(mt, mac(1), 0), MAC_ENTRY_NO_PORT);
    assert_int_equal(mac_table_expire(mt, 110, 2), 2);
    assert_int_equal(mac_table_count(mt), 0);
    mac_table_learn(mt, mac(4), 0, 3, 200);
    mac_table_flush(mt);
    assert_int_equal(mac_table_count(mt), 0);
    mac_table_destroy(mt);
}

static void
test_size_limit(void **state)
{
    struct mac_table *mt = mac_table_create(100, 300);
    int learned = 0;
    for (unsigned int i = 0; i < 1000; i++) {
        learned += mac_table_learn(mt, mac(i), 0, 1, 1);
    }
    assert_int_equal(learned, 100);
    assert_int_equal(mac_table_count(mt), 100);
    mac_table_destroy(mt);
}

struct visit {
    int n;
    uint32_t age_sum;
};

static void
visit_cb(struct eth_addr a, uint16_t vlan, uint32_t port, uint32_t age,
         void *v_)
{
    struct visit *v = v_;
    v->n++;
    v->age_sum += age;
    assert_int_equal(port, a.ea[5]);
}

static void
test_for_each(void **state)
{
    struct mac_table *mt = mac_table_create(64, 300);
    for (unsigned int i = 1; i <= 10; i++) {
        mac_table_learn(mt, mac(i), 0, i, 50);
    }
    struct visit v = { 0, 0 };
    mac_table_for_each(mt, 53, visit_cb, &v);
    assert_int_equal(v.n, 10);
    assert_int_equal(v.age_sum, 30);
    mac_table_destroy(mt);
}

struct learner {
    struct mac_table *mt;
    unsigned int base;
};

static void *
learner_main(void *l_)
{
    struct learner *l = l_;
    for (int round = 0; round < 100; round++) {
        for (unsigned int i = 0; i < 500; i++) {
            mac_table_learn(l->mt, mac(i), 0, l->base, round);
            mac_table_lookup(l->mt, mac(i + 1), 0);
        }
    }
    return NULL;
}

static void
test_concurrent_learning(void **state)
{
    struct mac_table *mt = mac_table_create(4096, 300);
    pthread_t t[4];
    struct learner l[4];
    for (int i = 0; i < 4; i++) {
        l[i].mt = mt;
        l[i].base = i + 1;
        pthread_create(&t[i], NULL, learner_main, &l[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    /* Every address present exactly once, on one of the ports. */
    assert_int_equal(mac_table_count(mt), 500);
    for (unsigned int i = 0; i < 500; i++) {
        uint32_t p = mac_table_lookup(mt, mac(i), 0);
        assert_true(p >= 1 && p <= 4);
    }
    mac_table_destroy(mt);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learn_lookup_move),
        cmocka_unit_test(test_aging_and_port_flush),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_for_each),
        cmocka_unit_test(test_concurrent_learning),
    };
    return cmocka_run_group_tests_name("mac-learning", tests, NULL, NULL);
}
