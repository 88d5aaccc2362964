#include <config.h>
#include "util/mainloop.h"

#include <event2/event.h>
#include <signal.h>
#include <stdlib.h>

#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(mainloop);

struct mainloop_timer {
    struct event *ev;
    bool periodic;
    mainloop_cb *cb;
    void *aux;
};

static struct event_base *base;
static int exit_status;
static bool exiting;

void
mainloop_init(void)
{
    if (!base) {
        base = event_base_new();
        if (!base) {
            log_abort("could not create the event loop");
        }
        /* A peer closing a socket mid-write must not kill the daemon. */
        signal(SIGPIPE, SIG_IGN);
    }
}

struct event_base *
mainloop_base(void)
{
    mainloop_init();
    return base;
}

int
mainloop_run(void)
{
    mainloop_init();
    while (!exiting) {
        if (event_base_loop(base, EVLOOP_ONCE) < 0) {
            log_err("event loop failed");
            return EXIT_FAILURE;
        }
    }
    /* Let queued replies (such as the answer to "exit") reach their peers. */
    for (int i = 0; i < 10; i++) {
        event_base_loop(base, EVLOOP_NONBLOCK);
    }
    return exit_status;
}

void
mainloop_exit(int status)
{
    exit_status = status;
    exiting = true;
    if (base) {
        event_base_loopbreak(base);
    }
}

bool
mainloop_is_exiting(void)
{
    return exiting;
}

static void
timer_fired(evutil_socket_t fd, short what, void *timer_)
{
    struct mainloop_timer *timer = timer_;
    timer->cb(timer->aux);
}

static struct timeval
ms_to_tv(long long ms)
{
    struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };
    return tv;
}

struct mainloop_timer *
mainloop_timer_add(long long interval_ms, bool periodic, mainloop_cb *cb,
                   void *aux)
{
    struct mainloop_timer *timer = xzalloc(sizeof *timer);
    timer->periodic = periodic;
    timer->cb = cb;
    timer->aux = aux;
    timer->ev = event_new(mainloop_base(), -1, periodic ? EV_PERSIST : 0,
                          timer_fired, timer);
    struct timeval tv = ms_to_tv(interval_ms);
    event_add(timer->ev, &tv);
    return timer;
}

void
mainloop_timer_reset(struct mainloop_timer *timer, long long interval_ms)
{
    struct timeval tv = ms_to_tv(interval_ms);
    event_del(timer->ev);
    event_add(timer->ev, &tv);
}

void
mainloop_timer_del(struct mainloop_timer *timer)
{
    if (timer) {
        event_free(timer->ev);
        free(timer);
    }
}

struct signal_handler {
    mainloop_cb *cb;
    void *aux;
};

static void
signal_fired(evutil_socket_t signo, short what, void *handler_)
{
    struct signal_handler *handler = handler_;
    handler->cb(handler->aux);
}

void
mainloop_on_signal(int signo, mainloop_cb *cb, void *aux)
{
    struct signal_handler *handler = xzalloc(sizeof *handler);
    handler->cb = cb;
    handler->aux = aux;
    struct event *ev = evsignal_new(mainloop_base(), signo, signal_fired,
                                    handler);
    event_add(ev, NULL);
}
