/* Unit tests for nfv-bench's log-linear histogram and sequence tracking. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "utilities/bench/histogram.h"
#include "utilities/bench/packet.h"

static struct bench_hist *
new_hist(void)
{
    struct bench_hist *h = malloc(sizeof *h);
    assert_non_null(h);
    bench_hist_init(h);
    return h;
}

static void
test_small_values_are_exact(void **state)
{
    (void) state;
    for (uint64_t v = 0; v < 2 * BENCH_HIST_SUB_COUNT; v++) {
        unsigned int b = bench_hist_bucket_of(v);
        assert_int_equal(bench_hist_bucket_low(b), v);
        assert_int_equal(bench_hist_bucket_width(b), 1);
    }
}

static void
test_buckets_cover_values(void **state)
{
    (void) state;
    /* Every value lies in [low, low + width) of its bucket, buckets are
     * monotonic, and the width is at most 1/64 of the value. */
    uint64_t values[] = { 128, 129, 255, 256, 1000, 4095, 4096, 123456789,
                          UINT64_C(1) << 40, (UINT64_C(1) << 40) + 12345,
                          UINT64_MAX };
    unsigned int prev = 0;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        uint64_t v = values[i];
        unsigned int b = bench_hist_bucket_of(v);
        assert_true(b < BENCH_HIST_BUCKETS);
        assert_true(b >= prev);
        prev = b;
        uint64_t low = bench_hist_bucket_low(b);
        uint64_t width = bench_hist_bucket_width(b);
        assert_true(low <= v);
        assert_true(v - low < width);
        assert_true(width <= v / BENCH_HIST_SUB_COUNT + 1);
    }
    /* Consecutive buckets tile the value range. */
    for (unsigned int b = 0; b + 1 < BENCH_HIST_BUCKETS; b++) {
        assert_int_equal(bench_hist_bucket_low(b) + bench_hist_bucket_width(b),
                         bench_hist_bucket_low(b + 1));
    }
}

static void
test_percentiles_uniform(void **state)
{
    (void) state;
    struct bench_hist *h = new_hist();
    /* 1..100000: the p-th percentile is p * 1000 (within 1/64). */
    for (uint64_t v = 1; v <= 100000; v++) {
        bench_hist_record(h, v);
    }
    assert_int_equal(h->count, 100000);
    assert_int_equal(h->min, 1);
    assert_int_equal(h->max, 100000);
    assert_true(bench_hist_mean(h) > 50000.4 && bench_hist_mean(h) < 50000.6);

    double ps[] = { 1, 10, 50, 90, 99, 99.9 };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double want = ps[i] * 1000;
        double got = bench_hist_percentile(h, ps[i]);
        assert_true(got >= want * (1 - 1.0 / 64));
        assert_true(got <= want * (1 + 1.0 / 64));
    }
    assert_int_equal(bench_hist_percentile(h, 0), 1);
    assert_int_equal(bench_hist_percentile(h, 100), 100000);
    free(h);
}

static void
test_percentiles_tail(void **state)
{
    (void) state;
    struct bench_hist *h = new_hist();
    /* 999 fast samples and one slow outlier: p99 stays fast, p99.9 is the
     * last fast one, max is the outlier. */
    for (int i = 0; i < 999; i++) {
        bench_hist_record(h, 10);
    }
    bench_hist_record(h, 5000000);
    assert_int_equal(bench_hist_percentile(h, 50), 10);
    assert_int_equal(bench_hist_percentile(h, 99), 10);
    assert_int_equal(bench_hist_percentile(h, 99.9), 10);
    assert_true(bench_hist_percentile(h, 99.95) >= 5000000 * (1 - 1.0 / 64));
    assert_int_equal(h->max, 5000000);
    free(h);
}

static void
test_empty_and_merge(void **state)
{
    (void) state;
    struct bench_hist *a = new_hist(), *b = new_hist();
    assert_int_equal(bench_hist_percentile(a, 50), 0);
    assert_true(bench_hist_mean(a) == 0.0);
    for (int i = 0; i < 100; i++) {
        bench_hist_record(a, 100);
        bench_hist_record(b, 300);
    }
    bench_hist_merge(a, b);
    assert_int_equal(a->count, 200);
    assert_int_equal(a->min, 100);
    assert_int_equal(a->max, 300);
    assert_true(bench_hist_mean(a) == 200.0);
    uint64_t p25 = bench_hist_percentile(a, 25);
    uint64_t p75 = bench_hist_percentile(a, 75);
    assert_true(p25 >= 99 && p25 <= 101);
    assert_true(p75 >= 296 && p75 <= 302);
    free(a);
    free(b);
}

static void
test_seq_loss_and_reorder(void **state)
{
    (void) state;
    struct bench_seq seq;
    assert_int_equal(bench_seq_init(&seq, 2), 0);
    /* Flow 0: 0 1 2 5 (3 and 4 missing) then 3 arrives late. */
    bench_seq_account(&seq, 0, 0);
    bench_seq_account(&seq, 0, 1);
    bench_seq_account(&seq, 0, 2);
    bench_seq_account(&seq, 0, 5);
    assert_int_equal(seq.lost, 2);
    bench_seq_account(&seq, 0, 3);
    assert_int_equal(seq.lost, 1);
    assert_int_equal(seq.reordered, 1);
    /* Flow 1 is independent; an unknown flow is bad. */
    bench_seq_account(&seq, 1, 0);
    bench_seq_account(&seq, 7, 0);
    assert_int_equal(seq.received, 6);
    assert_int_equal(seq.lost, 1);
    assert_int_equal(seq.bad, 1);
    /* Sequence numbers wrap around. */
    seq.next[1] = UINT32_MAX;
    bench_seq_account(&seq, 1, UINT32_MAX);
    bench_seq_account(&seq, 1, 1);
    assert_int_equal(seq.lost, 2);
    bench_seq_destroy(&seq);
}

static void
test_frame_build_parse_swap(void **state)
{
    (void) state;
    struct bench_addr a = { { 2, 0, 0, 0, 0, 1 }, 0x0a000001, 1000 };
    struct bench_addr b = { { 2, 0, 0, 0, 0, 2 }, 0x0a000002, 2000 };
    uint8_t frame[60];
    bench_frame_build(frame, sizeof frame, &a, &b, 3, false);
    assert_null(bench_frame_parse(frame, sizeof frame, a.mac));
    const struct bench_hdr *hdr = bench_frame_parse(frame, sizeof frame, b.mac);
    assert_non_null(hdr);
    assert_int_equal(hdr->flow, 3);
    assert_int_equal(frame[34] << 8 | frame[35], 1003);   /* UDP src. */
    assert_true(bench_frame_swap(frame, sizeof frame));
    assert_non_null(bench_frame_parse(frame, sizeof frame, a.mac));
    assert_int_equal(frame[36] << 8 | frame[37], 1003);   /* UDP dst. */
    assert_int_equal(frame[26], 10);
    assert_int_equal(frame[29], 2);                       /* IP src. */
    /* Too short or not UDP: rejected. */
    assert_null(bench_frame_parse(frame, 40, NULL));
    frame[23] = 6;
    assert_null(bench_frame_parse(frame, sizeof frame, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_values_are_exact),
        cmocka_unit_test(test_buckets_cover_values),
        cmocka_unit_test(test_percentiles_uniform),
        cmocka_unit_test(test_percentiles_tail),
        cmocka_unit_test(test_empty_and_merge),
        cmocka_unit_test(test_seq_loss_and_reorder),
        cmocka_unit_test(test_frame_build_parse_swap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
