/* Log-linear latency histogram for nfv-bench. */
#include <config.h>

#include "utilities/bench/histogram.h"

#include <math.h>
#include <string.h>

void
bench_hist_init(struct bench_hist *h)
{
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

unsigned int
bench_hist_bucket_of(uint64_t value)
{
    if (value < BENCH_HIST_SUB_COUNT) {
        return value;
    }
    unsigned int exponent = 63 - __builtin_clzll(value);
    unsigned int shift = exponent - BENCH_HIST_SUB_BITS;
    /* The top BENCH_HIST_SUB_BITS + 1 bits, in [SUB_COUNT, 2 * SUB_COUNT). */
    uint64_t mantissa = value >> shift;
    return (shift + 1) * BENCH_HIST_SUB_COUNT
           + (unsigned int) (mantissa - BENCH_HIST_SUB_COUNT);
}

uint64_t
bench_hist_bucket_low(unsigned int idx)
{
    if (idx < 2 * BENCH_HIST_SUB_COUNT) {
        return idx;
    }
    unsigned int shift = idx / BENCH_HIST_SUB_COUNT - 1;
    uint64_t mantissa = BENCH_HIST_SUB_COUNT + idx % BENCH_HIST_SUB_COUNT;
    return mantissa << shift;
}

uint64_t
bench_hist_bucket_width(unsigned int idx)
{
    if (idx < 2 * BENCH_HIST_SUB_COUNT) {
        return 1;
    }
    return UINT64_C(1) << (idx / BENCH_HIST_SUB_COUNT - 1);
}

void
bench_hist_merge(struct bench_hist *dst, const struct bench_hist *src)
{
    for (unsigned int i = 0; i < BENCH_HIST_BUCKETS; i++) {
        dst->buckets[i] += src->buckets[i];
    }
    dst->count += src->count;
    dst->sum += src->sum;
    if (src->min < dst->min) {
        dst->min = src->min;
    }
    if (src->max > dst->max) {
        dst->max = src->max;
    }
}

uint64_t
bench_hist_percentile(const struct bench_hist *h, double percent)
{
    if (!h->count) {
        return 0;
    }
    if (percent <= 0) {
        return h->min;
    }
    if (percent >= 100) {
        return h->max;
    }

    /* The rank of the wanted value, 1-based: the smallest rank r with
     * r >= percent% of count.  The small slack keeps 99.9% of 1000 at
     * rank 999 despite binary rounding of 0.999. */
    uint64_t rank = (uint64_t) ceill((long double) percent / 100 * h->count
                                     - 1e-9L);
    if (rank < 1) {
        rank = 1;
    }
    uint64_t seen = 0;
    for (unsigned int i = 0; i < BENCH_HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t value = bench_hist_bucket_low(i)
                             + bench_hist_bucket_width(i) / 2;
            if (value < h->min) {
                value = h->min;
            }
            if (value > h->max) {
                value = h->max;
            }
            return value;
        }
    }
    return h->max;
}

double
bench_hist_mean(const struct bench_hist *h)
{
    return h->count ? (double) (h->sum / h->count) : 0.0;
}
