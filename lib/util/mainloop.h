/* mainloop.h: the control thread's libevent loop.
 *
 * The main thread does all control work from callbacks on one event_base:
 * OVSDB, OpenFlow and unixctl connections, timers and signals.  Nothing here
 * is for PMD threads.  Call only from the main thread. */
#ifndef OVSNFV_MAINLOOP_H
#define OVSNFV_MAINLOOP_H 1

#include <stdbool.h>

struct event_base;
struct mainloop_timer;

void mainloop_init(void);
struct event_base *mainloop_base(void);

/* Runs until mainloop_exit(); returns the status passed to it. */
int mainloop_run(void);
void mainloop_exit(int status);
bool mainloop_is_exiting(void);

typedef void mainloop_cb(void *aux);

/* Calls 'cb' every 'interval_ms' (or once if !periodic) from the loop. */
struct mainloop_timer *mainloop_timer_add(long long interval_ms,
                                          bool periodic, mainloop_cb *cb,
                                          void *aux);
/* Changes the interval; the next expiry is 'interval_ms' from now. */
void mainloop_timer_reset(struct mainloop_timer *, long long interval_ms);
void mainloop_timer_del(struct mainloop_timer *);

/* Calls 'cb' from the loop when signal 'signo' arrives. */
void mainloop_on_signal(int signo, mainloop_cb *cb, void *aux);

#endif
