/* timeval.h: clocks in milliseconds.  Thread-safe. */
#ifndef OVSNFV_TIMEVAL_H
#define OVSNFV_TIMEVAL_H 1

#include <time.h>

/* Monotonic time in milliseconds, for timeouts and intervals. */
static inline long long
time_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wall-clock time in milliseconds since the epoch, for display. */
static inline long long
time_wall_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

#endif
