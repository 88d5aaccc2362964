/* Unit tests for lib/ofproto: flow-mod semantics (add/replace, modify and
 * delete, strict and not, cookies, out_port/out_group filters, overlap
 * checks, table ids, references to groups and meters), timeouts with
 * flow-removed, group bucket selection (symmetric hash, weights), meter
 * bands and scratch copies (what bundle commits are tried on). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "ofproto/ofpipe.h"
#include "ofproto/ofproto.h"
#include "openflow/openflow.h"
#include "util/timeval.h"

static struct ofproto *
new_ofproto(void)
{
    return ofproto_create("test", NULL);
}

/* Applies "match,actions=..." with 'command' (ovs-ofctl syntax). */
static enum ofperr
flow_mod(struct ofproto *p, uint8_t command, const char *text,
         uint16_t flags, uint8_t version)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *err = ofp_flow_mod_parse(text, command, &fm);
    if (err) {
        fail_msg("parse \"%s\": %s", text, err);
    }
    fm.flags |= flags;
    enum ofperr e = ofproto_flow_mod(p, &fm, version);
    ofp_flow_mod_uninit(&fm);
    return e;
}

#define ADD(P, T) flow_mod(P, OFPFC_ADD, T, 0, OFP13_VERSION)

static uint32_t
count(struct ofproto *p, const char *match, uint8_t table)
{
    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    uint16_t prio;
    char *err = ofmatch_parse(match, &rq.match, &prio);
    assert_null(err);
    rq.table_id = table;
    rq.out_port = OFPP_ANY;
    rq.out_group = OFPG_ANY;
    struct ofp_aggregate_stats as;
    assert_int_equal(ofproto_aggregate_stats(p, &rq, &as), 0);
    return as.flow_count;
}

static void
test_default_rule_and_add_replace(void **state)
{
    (void) state;
    struct ofproto *p = new_ofproto();
    assert_int_equal(ofproto_n_rules(p, 0), 1);        /* NORMAL. */
    assert_int_equal(ADD(p, "priority=10,in_port=1,actions=output:2"), 0);
    /* Same match and priority: replaced, not added. */
    assert_int_equal(ADD(p, "priority=10,in_port=1,actions=output:3"), 0);
    assert_int_equal(ofproto_n_rules(p, 0), 2);
    /* Different priority: a new rule. */
    assert_int_equal(ADD(p, "priority=11,in_port=1,actions=output:3"), 0);
    assert_int_equal(ofproto_n_rules(p, 0), 3);
    assert_int_equal(ADD(p, "table=3,priority=1,actions=drop"), 0);
    assert_int_equal(ofproto_n_rules(p, 3), 1);
    /* Bad table, bad goto, bad prerequisites come back as errors. */
    assert_int_equal(ADD(p, "table=254,actions=drop"),
                     OFPERR_OFPBRC_BAD_TABLE_ID);
    assert_int_equal(ADD(p, "table=3,actions=goto_table:2"),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    assert_int_equal(ADD(p, "actions=group:5"), OFPERR_OFPBAC_BAD_OUT_GROUP);
    assert_int_equal(ADD(p, "actions=meter:5,output:1"),
                     OFPERR_OFPMMFC_UNKNOWN_METER);
    ofproto_destroy(p);
}

static void
test_check_overlap(void **state)
{
    (void) state;
    struct ofproto *p = new_ofproto();
    assert_int_equal(ADD(p, "priority=5,ip,nw_src=10.0.0.0/8,actions=drop"),
                     0);
    /* Overlaps (a packet could match both) at the same priority. */
    assert_int_equal(flow_mod(p, OFPFC_ADD,
                              "priority=5,ip,nw_dst=1.2.3.4,actions=drop",
                              OFPFF_CHECK_OVERLAP, OFP13_VERSION),
                     OFPERR_OFPFMFC_OVERLAP);
    /* Disjoint, or another priority: fine. */
    assert_int_equal(flow_mod(p, OFPFC_ADD,
                              "priority=5,ip,nw_src=11.0.0.0/8,actions=drop",
                              OFPFF_CHECK_OVERLAP, OFP13_VERSION), 0);
    assert_int_equal(flow_mod(p, OFPFC_ADD,
                              "priority=6,ip,nw_dst=1.2.3.4,actions=drop",
                              OFPFF_CHECK_OVERLAP, OFP13_VERSION), 0);
    ofproto_destroy(p);
}

static void
test_modify_and_delete(void **state)
{
    (void) state;
    struct ofproto *p = new_ofproto();
    ADD(p, "cookie=0x1,priority=5,ip,nw_src=10.0.0.1,actions=output:1");
    ADD(p, "cookie=0x2,priority=6,ip,nw_src=10.0.0.2,actions=output:2");
    ADD(p, "cookie=0x3,priority=7,tcp,nw_src=10.0.0.3,actions=output:2");
    ADD(p, "table=1,cookie=0x1,priority=7,ip,actions=output:3");
    assert_int_equal(count(p, "ip", OFPTT_ALL), 4);

    /* Non-strict delete by out_port within table 0. */
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    assert_null(ofp_flow_mod_parse("ip", OFPFC_DELETE, &fm));
    fm.out_port = 2;
    fm.table_id = 0;
    assert_int_equal(ofproto_flow_mod(p, &fm, OFP13_VERSION), 0);
    ofp_flow_mod_uninit(&fm);
    assert_int_equal(count(p, "ip", OFPTT_ALL), 2);

    /* Strict delete needs the exact match and priority. */
    assert_int_equal(flow_mod(p, OFPFC_DELETE_STRICT,
                              "priority=4,ip,nw_src=10.0.0.1", 0,
                              OFP13_VERSION), 0);
    assert_int_equal(count(p, "ip", OFPTT_ALL), 2);
    assert_int_equal(flow_mod(p, OFPFC_DELETE_STRICT,
                              "priority=5,ip,nw_src=10.0.0.1", 0,
                              OFP13_VERSION), 0);
    assert_int_equal(count(p, "ip", OFPTT_ALL), 1);

    /* Cookie-masked delete across all tables. */
    ADD(p, "cookie=0x11,priority=9,arp,actions=drop");
    ofp_flow_mod_init(&fm);
    assert_null(ofp_flow_mod_parse("", OFPFC_DELETE, &fm));
    fm.table_id = OFPTT_ALL;
    fm.cookie = 0x1;
    fm.cookie_mask = 0xf;
    assert_int_equal(ofproto_flow_mod(p, &fm, OFP13_VERSION), 0);
    ofp_flow_mod_uninit(&fm);
    assert_int_equal(count(p, "ip", OFPTT_ALL), 0);
    assert_int_equal(count(p, "arp", OFPTT_ALL), 0);
    assert_int_equal(ofproto_n_rules(p, 0), 1);     /* NORMAL (cookie 0). */

    /* Modify of nothing: OF1.3 adds nothing, OF1.0 adds the flow. */
    assert_int_equal(flow_mod(p, OFPFC_MODIFY, "udp,actions=drop", 0,
                              OFP13_VERSION), 0);
    assert_int_equal(count(p, "udp", 0), 0);
    assert_int_equal(flow_mod(p, OFPFC_MODIFY, "udp,actions=drop", 0,
                              OFP10_VERSION), 0);
    assert_int_equal(count(p, "udp", 0), 1);
    ofproto_destroy(p);
}

static struct ofp_flow_removed last_removed;
static int n_removed;

static void
on_removed(void *aux, const struct ofp_flow_removed *fr)
{
    (void) aux;
    last_removed = *fr;
    n_removed++;
}

static void
test_timeouts_send_flow_removed(void **state)
{
    (void) state;
    struct ofproto *p = new_ofproto();
    struct ofproto_cbs cbs = { .flow_removed = on_removed };
    ofproto_set_cbs(p, &cbs);
    n_removed = 0;
    flow_mod(p, OFPFC_ADD, "priority=3,hard_timeout=2,udp,actions=drop",
             OFPFF_SEND_FLOW_REM, OFP13_VERSION);
    flow_mod(p, OFPFC_ADD, "priority=4,idle_timeout=1,tcp,actions=drop",
             OFPFF_SEND_FLOW_REM, OFP13_VERSION);
    flow_mod(p, OFPFC_ADD, "priority=5,idle_timeout=1,arp,actions=drop", 0,
             OFP13_VERSION);
    long long now = time_msec();
    ofproto_run_timeouts(p, now + 500);
    assert_int_equal(n_removed, 0);
    ofproto_run_timeouts(p, now + 1100);
    /* The idle one with the flag told us; the other went silently. */
    assert_int_equal(n_removed, 1);
    assert_int_equal(last_removed.reason, OFPRR_IDLE_TIMEOUT);
    assert_int_equal(last_removed.priority, 4);
    assert_int_equal(ofproto_n_rules(p, 0), 2);
    ofproto_run_timeouts(p, now + 2100);
    assert_int_equal(n_removed, 2);
    assert_int_equal(last_removed.reason, OFPRR_HARD_TIMEOUT);
    /* Delete reports OFPRR_DELETE. */
    flow_mod(p, OFPFC_ADD, "priority=9,ip,actions=drop", OFPFF_SEND_FLOW_REM,
             OFP13_VERSION);
    flow_mod(p, OFPFC_DELETE, "ip", 0, OFP13_VERSION);
    assert_int_equal(n_removed, 3);
    assert_int_equal(last_removed.reason, OFPRR_DELETE);
    ofproto_destroy(p);
}

/* An OFPMC_ADD of meter 'id' with one drop band of 'rate'. */
static struct ofp_meter_mod
drop_meter(uint32_t id, uint16_t flags, uint32_t rate)
{
    struct ofp_meter_mod mm;
    memset(&mm, 0, sizeof mm);
    mm.command = OFPMC_ADD;
    mm.meter_id = id;
    mm.flags = flags;
    mm.n_bands = 1;
    mm.bands[0].type = OFPMBT_DROP;
    mm.bands[0].rate = rate;
    return mm;
}

static void
test_group_and_meter_mods(void **state)
{
    (void) state;
    struct ofproto *p = new_ofproto();
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    gm.command = OFPGC_ADD;
    gm.type = OFPGT_SELECT;
    gm.group_id = 1;
    struct ofp_bucket *b = ofp_group_mod_add_bucket(&gm);
    b->weight = 1;
    ofacts_put_output(&b->actions, 1, 0);
    assert_int_equal(ofproto_group_mod(p, &gm), 0);
    assert_int_equal(ofproto_group_mod(p, &gm), OFPERR_OFPGMFC_GROUP_EXISTS);
    gm.command = OFPGC_MODIFY;
    gm.group_id = 2;
    assert_int_equal(ofproto_group_mod(p, &gm), OFPERR_OFPGMFC_UNKNOWN_GROUP);
    gm.command = OFPGC_ADD;
    gm.type = OFPGT_INDIRECT;
    ofp_group_mod_add_bucket(&gm);
    assert_int_equal(ofproto_group_mod(p, &gm), OFPERR_OFPGMFC_INVALID_GROUP);
    ofp_group_mod_uninit(&gm);

    assert_int_equal(ADD(p, "priority=5,actions=group:1"), 0);
    ofp_group_mod_init(&gm);
    gm.command = OFPGC_DELETE;
    gm.group_id = OFPG_ALL;
    assert_int_equal(ofproto_group_mod(p, &gm), 0);
    ofp_group_mod_uninit(&gm);
    assert_int_equal(ofproto_n_rules(p, 0), 1);     /* Flow went too. */

    struct ofp_meter_mod mm = drop_meter(3, OFPMF_PKTPS, 10);
    assert_int_equal(ofproto_meter_mod(p, &mm), 0);
    assert_int_equal(ofproto_meter_mod(p, &mm), OFPERR_OFPMMFC_METER_EXISTS);
    mm.flags = OFPMF_PKTPS | OFPMF_KBPS;
    mm.command = OFPMC_MODIFY;
    assert_int_equal(ofproto_meter_mod(p, &mm), OFPERR_OFPMMFC_BAD_FLAGS);
    mm.flags = OFPMF_KBPS;
    mm.bands[0].rate = 0;
    assert_int_equal(ofproto_meter_mod(p, &mm), OFPERR_OFPMMFC_BAD_RATE);
    assert_int_equal(ADD(p, "priority=5,actions=meter:3,output:1"), 0);
    mm.command = OFPMC_DELETE;
    assert_int_equal(ofproto_meter_mod(p, &mm), 0);
    assert_int_equal(ofproto_n_rules(p, 0), 1);
    ofproto_destroy(p);
}

/* ---- Group bucket selection ---- */

static void
key_5tuple(struct flow_key *k, uint32_t src, uint32_t dst, uint16_t sport,
           uint16_t dport)
{
    memset(k, 0, sizeof *k);
    k->dl_type = ETH_TYPE_IP;
    k->nw_proto = 6;
    k->nw_src = htonl(src);
    k->nw_dst = htonl(dst);
    k->tp_src = htons(sport);
    k->tp_dst = htons(dport);
}

static void
test_select_symmetric_and_weighted(void **state)
{
    (void) state;
    struct ofpipe_bucket buckets[3];
    memset(buckets, 0, sizeof buckets);
    buckets[0].weight = 1;
    buckets[1].weight = 3;
    buckets[2].weight = 0;      /* Never chosen. */
    struct ofpipe_group g = {
        .type = OFPGT_SELECT, .n_buckets = 3, .buckets = buckets,
        .total_weight = 4,
    };
    int hits[3] = { 0 };
    for (uint32_t i = 0; i < 20000; i++) {
        struct flow_key fwd, rev;
        key_5tuple(&fwd, 0x0a000000 + i, 0x0b000001, 1024 + i % 5000, 80);
        key_5tuple(&rev, 0x0b000001, 0x0a000000 + i, 80, 1024 + i % 5000);
        int a = ofpipe_select_bucket(&g, &fwd);
        int b = ofpipe_select_bucket(&g, &rev);
        assert_int_equal(a, b);         /* Both directions, one bucket. */
        assert_true(a >= 0 && a < 2);
        hits[a]++;
    }
    /* 1:3 within a few percent. */
    assert_true(hits[0] > 4200 && hits[0] < 5800);
    assert_true(hits[1] > 14200 && hits[1] < 15800);
    assert_int_equal(hits[2], 0);
    g.total_weight = 0;
    struct flow_key k;
    key_5tuple(&k, 1, 2, 3, 4);
    assert_int_equal(ofpipe_select_bucket(&g, &k), -1);
}

/* ---- Meter bands ---- */

static void
test_meter_bands(void **state)
{
    (void) state;
    struct ofpipe_meter_state st;
    memset(&st, 0, sizeof st);
    struct ofpipe_meter m = {
        .pktps = true, .n_bands = 2, .state = &st,
        .bands = {
            { .type = OFPMBT_DSCP_REMARK, .rate = 100, .burst = 10 },
            { .type = OFPMBT_DROP, .rate = 200, .burst = 20 },
        },
    };
    uint64_t t = 100ULL * 1000000000ULL;
    /* A full bucket: the first 10 packets conform to both bands. */
    int fired[3] = { 0 };
    for (int i = 0; i < 10; i++) {
        assert_int_equal(ofpipe_meter_apply(&m, 64, t), -1);
    }
    /* Then the 100 pps band is exceeded but the 200 pps one is not. */
    for (int i = 0; i < 10; i++) {
        int b = ofpipe_meter_apply(&m, 64, t);
        fired[b + 1]++;
    }
    assert_int_equal(fired[1], 10);     /* Band 0 (remark). */
    /* Beyond 20 packets both are exceeded: the higher rate (drop) wins. */
    assert_int_equal(ofpipe_meter_apply(&m, 64, t), 1);
    /* One second later the buckets are full again. */
    t += 1000000000ULL;
    assert_int_equal(ofpipe_meter_apply(&m, 64, t), -1);

    /* kbps: 8 kbit/s with 8 kbit burst takes 1000 bytes at once. */
    struct ofpipe_meter_state st2;
    memset(&st2, 0, sizeof st2);
    struct ofpipe_meter k = {
        .pktps = false, .n_bands = 1, .state = &st2,
        .bands = { { .type = OFPMBT_DROP, .rate = 8, .burst = 8 } },
    };
    assert_int_equal(ofpipe_meter_apply(&k, 1000, t), -1);
    assert_int_equal(ofpipe_meter_apply(&k, 1, t), 0);
    /* Half a second refills 4 kbit = 500 bytes. */
    assert_int_equal(ofpipe_meter_apply(&k, 500, t + 500000000ULL), -1);
    assert_int_equal(ofpipe_meter_apply(&k, 100, t + 500000000ULL), 0);
}

/* ---- Scratch copies (bundle commits) ---- */

static void
put_group(struct ofproto *p, uint8_t command, uint32_t id, uint32_t port,
          enum ofperr expect)
{
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    gm.command = command;
    gm.type = OFPGT_ALL;
    gm.group_id = id;
    ofacts_put_output(&ofp_group_mod_add_bucket(&gm)->actions, port, 0);
    assert_int_equal(ofproto_group_mod(p, &gm), expect);
    ofp_group_mod_uninit(&gm);
}

static void
test_scratch_copy_is_independent(void **state)
{
    (void) state;
    struct ofproto *p = new_ofproto();
    assert_int_equal(ADD(p, "priority=10,in_port=1,actions=output:2"), 0);
    assert_int_equal(ADD(p, "table=2,priority=1,ip,actions=drop"), 0);
    put_group(p, OFPGC_ADD, 7, 3, 0);
    assert_int_equal(ADD(p, "priority=20,actions=group:7"), 0);
    struct ofp_meter_mod mm = drop_meter(4, OFPMF_KBPS, 100);
    assert_int_equal(ofproto_meter_mod(p, &mm), 0);

    struct ofproto *s = ofproto_create_scratch(p);
    /* The copy holds the same rules, groups and meters ... */
    assert_int_equal(ofproto_n_rules(s, 0), 3);
    assert_int_equal(ofproto_n_rules(s, 2), 1);
    assert_int_equal(count(s, "in_port=1", 0), 1);
    put_group(s, OFPGC_ADD, 7, 3, OFPERR_OFPGMFC_GROUP_EXISTS);
    assert_int_equal(ofproto_meter_mod(s, &mm), OFPERR_OFPMMFC_METER_EXISTS);
    assert_int_equal(ADD(s, "priority=30,actions=meter:4,output:1"), 0);
    /* ... and changing it leaves the original alone. */
    assert_int_equal(flow_mod(s, OFPFC_DELETE, "in_port=1", 0,
                              OFP13_VERSION), 0);
    put_group(s, OFPGC_DELETE, 7, 3, 0);    /* Takes priority=20 along. */
    put_group(s, OFPGC_ADD, 8, 1, 0);
    mm.command = OFPMC_DELETE;
    assert_int_equal(ofproto_meter_mod(s, &mm), 0);
    assert_int_equal(ofproto_n_rules(s, 0), 1);
    ofproto_destroy(s);

    assert_int_equal(ofproto_n_rules(p, 0), 3);
    assert_int_equal(ofproto_n_rules(p, 2), 1);
    assert_int_equal(count(p, "in_port=1", 0), 1);
    put_group(p, OFPGC_MODIFY, 7, 2, 0);
    put_group(p, OFPGC_MODIFY, 8, 1, OFPERR_OFPGMFC_UNKNOWN_GROUP);
    assert_int_equal(ADD(p, "priority=30,actions=meter:4,output:1"), 0);
    ofproto_destroy(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_rule_and_add_replace),
        cmocka_unit_test(test_check_overlap),
        cmocka_unit_test(test_modify_and_delete),
        cmocka_unit_test(test_timeouts_send_flow_removed),
        cmocka_unit_test(test_group_and_meter_mods),
        cmocka_unit_test(test_select_symmetric_and_weighted),
        cmocka_unit_test(test_meter_bands),
        cmocka_unit_test(test_scratch_copy_is_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
