/* Unit tests for lib/dpif/flow-cache: megaflow matching under masks, the
 * EMC and its protection against removed entries, the entry limit, idle
 * expiry, catch-all entries and the dump format. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "dpif/flow-cache.h"
#include "ofproto/ofpipe.h"
#include "util/dstr.h"

static void
udp_key(struct flow_key *k, uint16_t sport, uint16_t dport)
{
    memset(k, 0, sizeof *k);
    k->in_port = 1;
    k->dl_type = ETH_TYPE_IP;
    k->nw_proto = 17;
    k->nw_src = htonl(0x0a000001);
    k->nw_dst = htonl(0x0a000002);
    k->tp_src = htons(sport);
    k->tp_dst = htons(dport);
}

/* A translation that looked at eth_type, nw_proto and tp_dst (and in_port,
 * which the cache ignores) and outputs to 'port'. */
static void
make_xlate(struct ofpipe_xlate *xo, bool wildcard_all, uint32_t port)
{
    memset(xo, 0, sizeof *xo);
    if (!wildcard_all) {
        xo->mask.in_port = UINT32_MAX;
        xo->mask.dl_type = 0xffff;
        xo->mask.nw_proto = 0xff;
        xo->mask.tp_dst = 0xffff;
    }
    xo->ops = calloc(1, sizeof *xo->ops);
    xo->ops[0].type = OPA_OUTPUT;
    xo->ops[0].u32 = port;
    xo->n_ops = xo->alloc_ops = 1;
    xo->cacheable = xo->key_free = true;
}

static void
test_megaflow_and_emc(void **state)
{
    (void) state;
    flow_cache_set_limit(200000, 10000);
    struct flow_cache *fc = flow_cache_create();
    struct flow_key k;
    struct ofpipe_xlate xo;
    unsigned int probes;

    udp_key(&k, 1000, 80);
    make_xlate(&xo, false, 5);
    struct fc_entry *e = flow_cache_insert(fc, &k, &xo, 42, 42);
    assert_non_null(e);
    assert_null(xo.ops);                    /* Taken by the entry. */
    assert_int_equal(e->pipe_serial, 42);
    assert_int_equal(flow_cache_count(fc), 1);

    /* Another source port and address: same entry (wildcarded). */
    udp_key(&k, 2000, 80);
    k.nw_src = htonl(0x0b000001);
    assert_ptr_equal(flow_cache_lookup(fc, &k, &probes), e);
    assert_int_equal(probes, 1);
    /* Another destination port or protocol: no entry. */
    udp_key(&k, 1000, 81);
    assert_null(flow_cache_lookup(fc, &k, &probes));
    udp_key(&k, 1000, 80);
    k.nw_proto = 6;
    assert_null(flow_cache_lookup(fc, &k, &probes));
    assert_null(flow_cache_catchall(fc));

    /* EMC: exact keys only. */
    udp_key(&k, 1000, 80);
    uint32_t h = flow_cache_emc_hash(&k, false, 0);
    assert_null(flow_cache_emc_lookup(fc, &k, h));
    flow_cache_emc_insert(fc, &k, h, e);
    assert_ptr_equal(flow_cache_emc_lookup(fc, &k, h), e);
    struct flow_key k2;
    udp_key(&k2, 1001, 80);
    assert_null(flow_cache_emc_lookup(fc, &k2,
                                      flow_cache_emc_hash(&k2, false, 0)));

    /* A removed entry is gone from the EMC too, even once its slot is
     * reused for another flow. */
    flow_cache_remove(fc, e);
    assert_int_equal(flow_cache_count(fc), 0);
    assert_null(flow_cache_lookup(fc, &k, &probes));
    udp_key(&k2, 1000, 443);
    make_xlate(&xo, false, 6);
    struct fc_entry *e2 = flow_cache_insert(fc, &k2, &xo, 43, 43);
    assert_non_null(e2);
    assert_null(flow_cache_emc_lookup(fc, &k, h));
    flow_cache_destroy(fc);
}

static void
test_limit_expiry_and_catchall(void **state)
{
    (void) state;
    unsigned int base = flow_cache_total();
    flow_cache_set_limit(base + 3, 10000);
    struct flow_cache *fc = flow_cache_create();
    struct flow_key k;
    struct ofpipe_xlate xo;
    for (int i = 0; i < 3; i++) {
        udp_key(&k, 1000, 100 + i);
        make_xlate(&xo, false, 2);
        assert_non_null(flow_cache_insert(fc, &k, &xo, 1, 1));
    }
    udp_key(&k, 1000, 200);
    make_xlate(&xo, false, 2);
    assert_null(flow_cache_insert(fc, &k, &xo, 1, 1));
    assert_non_null(xo.ops);                /* Still the caller's. */
    ofpipe_xlate_destroy(&xo);
    assert_int_equal(flow_cache_total(), base + 3);

    /* Entries idle for longer than max-idle go; the others stay. */
    unsigned int probes;
    udp_key(&k, 1000, 100);
    struct fc_entry *busy = flow_cache_lookup(fc, &k, &probes);
    assert_non_null(busy);
    assert_int_equal(flow_cache_sweep(fc, 1000, 500, 10000), 0);
    busy->used = 1400;                      /* Hit at time 1400. */
    assert_int_equal(flow_cache_sweep(fc, 1600, 500, 10000), 2);
    assert_int_equal(flow_cache_count(fc), 1);
    assert_ptr_equal(flow_cache_lookup(fc, &k, &probes), busy);
    assert_int_equal(flow_cache_sweep(fc, 2000, 500, 10000), 1);
    assert_int_equal(flow_cache_count(fc), 0);

    /* A translation that looked at nothing but in_port: the catch-all. */
    flow_cache_set_limit(200000, 10000);
    make_xlate(&xo, true, 7);
    udp_key(&k, 1, 2);
    struct fc_entry *all = flow_cache_insert(fc, &k, &xo, 9, 9);
    assert_ptr_equal(flow_cache_catchall(fc), all);
    k.dl_type = ETH_TYPE_ARP;
    assert_ptr_equal(flow_cache_lookup(fc, &k, &probes), all);
    flow_cache_destroy(fc);
    assert_int_equal(flow_cache_total(), base);
}

static uint32_t
port_no(uint32_t ofp, const void *aux)
{
    (void) aux;
    return ofp + 100;
}

static void
test_format(void **state)
{
    (void) state;
    flow_cache_set_limit(200000, 10000);
    struct flow_cache *fc = flow_cache_create();
    struct flow_key k;
    struct ofpipe_xlate xo;
    udp_key(&k, 1000, 80);
    make_xlate(&xo, false, 5);
    struct fc_entry *e = flow_cache_insert(fc, &k, &xo, 1, 1);
    e->packets = 3;
    e->bytes = 180;
    e->used = 1000;
    struct dstr ds;
    dstr_init(&ds);
    flow_cache_format(fc, &ds, 7, false, 1500, 1000, port_no, NULL);
    assert_string_equal(dstr_cstr(&ds),
                        "recirc_id(0),in_port(7),packet_type(ns=0,id=0),"
                        "eth_type(0x0800),ipv4(proto=17),udp(dst=80), "
                        "packets:3, bytes:180, used:0.500s, actions:105\n");
    dstr_destroy(&ds);
    flow_cache_destroy(fc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_megaflow_and_emc),
        cmocka_unit_test(test_limit_expiry_and_catchall),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
