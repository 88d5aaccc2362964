/* Log-linear latency histogram for nfv-bench.
 *
 * Values (nanoseconds, or any unsigned 64-bit quantity) are counted in
 * buckets whose width grows with the value: values below 64 are exact,
 * larger ones fall in one of 64 equal buckets per power of two, so any
 * reported percentile is within 1/64 (about 1.6%) of the true value.
 * Recording is O(1) with no allocation, fit for a packet polling loop.
 *
 * A histogram is owned by one thread; merge copies from other threads
 * after they have stopped recording. */
#ifndef BENCH_HISTOGRAM_H
#define BENCH_HISTOGRAM_H 1

#include <stdbool.h>
#include <stdint.h>

#define BENCH_HIST_SUB_BITS 6
#define BENCH_HIST_SUB_COUNT (1u << BENCH_HIST_SUB_BITS)
#define BENCH_HIST_BUCKETS ((64 - BENCH_HIST_SUB_BITS + 1) * BENCH_HIST_SUB_COUNT)

struct bench_hist {
    uint64_t count;
    uint64_t min;
    uint64_t max;
    long double sum;
    uint64_t buckets[BENCH_HIST_BUCKETS];
};

/* Empties 'h'. */
void bench_hist_init(struct bench_hist *h);

/* Returns the bucket index that 'value' falls in (0 .. BENCH_HIST_BUCKETS-1). */
unsigned int bench_hist_bucket_of(uint64_t value);

/* Returns the smallest value counted in bucket 'idx'. */
uint64_t bench_hist_bucket_low(unsigned int idx);

/* Returns the number of values bucket 'idx' spans (1 for exact buckets). */
uint64_t bench_hist_bucket_width(unsigned int idx);

/* Counts one occurrence of 'value' in 'h'. */
static inline void
bench_hist_record(struct bench_hist *h, uint64_t value)
{
    h->buckets[bench_hist_bucket_of(value)]++;
    h->count++;
    h->sum += value;
    if (value < h->min) {
        h->min = value;
    }
    if (value > h->max) {
        h->max = value;
    }
}

/* Adds every value counted in 'src' to 'dst'. */
void bench_hist_merge(struct bench_hist *dst, const struct bench_hist *src);

/* Returns the value below or at which 'percent' (0..100) of the counted
 * values lie, as the middle of the bucket holding that rank, clamped to
 * [min, max].  Percent 0 returns min, 100 returns max.  Returns 0 when
 * 'h' is empty. */
uint64_t bench_hist_percentile(const struct bench_hist *h, double percent);

/* Returns the exact arithmetic mean of the counted values, 0 if none. */
double bench_hist_mean(const struct bench_hist *h);

#endif /* BENCH_HISTOGRAM_H */
