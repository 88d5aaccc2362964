/* coverage.h: counters of rare events, shown by `ovs-appctl coverage/show`.
 *
 * COVERAGE_DEFINE(name) at file scope, coverage_inc(name) anywhere: the
 * increment is one relaxed atomic add, safe from any thread.  Keep them off
 * the per-packet path; they are for events worth counting when debugging. */
#ifndef OVSNFV_COVERAGE_H
#define OVSNFV_COVERAGE_H 1

#include <stdatomic.h>
#include <stdint.h>

struct coverage_counter {
    const char *name;
    atomic_ullong total;
    struct coverage_counter *next;
};

void coverage_counter_register(struct coverage_counter *);

#define COVERAGE_DEFINE(NAME)                                              \
    struct coverage_counter coverage_##NAME = { .name = #NAME };           \
    __attribute__((constructor)) static void                               \
    coverage_register_##NAME(void)                                         \
    {                                                                      \
        coverage_counter_register(&coverage_##NAME);                       \
    }

#define coverage_inc(NAME) coverage_add(NAME, 1)
#define coverage_add(NAME, N)                                              \
    do {                                                                   \
        extern struct coverage_counter coverage_##NAME;                    \
        atomic_fetch_add_explicit(&coverage_##NAME.total, (N),             \
                                  memory_order_relaxed);                   \
    } while (0)

/* Records a sample for the rate averages; the main loop calls it every
 * 5 seconds. */
void coverage_sample(void);
/* The coverage/show text.  Caller frees. */
char *coverage_show(void);
/* Registers coverage/show and coverage/read-counter. */
void coverage_register_commands(void);

#endif
