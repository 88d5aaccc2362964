#include <config.h>
#include "util/reconnect.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(reconnect);

enum reconnect_state {
    S_VOID,                     /* Disabled. */
    S_BACKOFF,                  /* Waiting before the next attempt. */
    S_CONNECTING,               /* Attempt in progress. */
    S_ACTIVE,                   /* Connected, heard from recently. */
    S_IDLE,                     /* Connected, probe sent, waiting. */
    S_RECONNECT,                /* Forced reconnect: asking to drop. */
};

static const char *const state_names[] = {
    "VOID", "BACKOFF", "CONNECTING", "ACTIVE", "IDLE", "RECONNECT",
};

struct reconnect {
    char *name;
    int min_backoff, max_backoff, probe_interval;
    bool passive;

    enum reconnect_state state;
    long long state_entered;
    int backoff;
    long long last_activity;
    long long last_connected;
    unsigned int n_attempts, n_connects;
    int last_error;
};

static void
set_state(struct reconnect *r, enum reconnect_state state, long long now)
{
    r->state = state;
    r->state_entered = now;
}

struct reconnect *
reconnect_create(long long now)
{
    struct reconnect *r = xzalloc(sizeof *r);
    r->name = xstrdup("void");
    r->min_backoff = RECONNECT_DEFAULT_MIN_BACKOFF;
    r->max_backoff = RECONNECT_DEFAULT_MAX_BACKOFF;
    r->probe_interval = RECONNECT_DEFAULT_PROBE_INTERVAL;
    set_state(r, S_VOID, now);
    return r;
}

void
reconnect_destroy(struct reconnect *r)
{
    if (r) {
        free(r->name);
        free(r);
    }
}

void
reconnect_set_name(struct reconnect *r, const char *name)
{
    free(r->name);
    r->name = xstrdup(name ? name : "void");
}

const char *
reconnect_get_name(const struct reconnect *r)
{
    return r->name;
}

void
reconnect_set_backoff(struct reconnect *r, int min_backoff, int max_backoff)
{
    r->min_backoff = MAX(min_backoff, 1);
    r->max_backoff = MAX(max_backoff, r->min_backoff);
    if (r->backoff > r->max_backoff) {
        r->backoff = r->max_backoff;
    }
}

int
reconnect_get_max_backoff(const struct reconnect *r)
{
    return r->max_backoff;
}

void
reconnect_set_probe_interval(struct reconnect *r, int probe_interval)
{
    r->probe_interval = MAX(probe_interval, 0);
}

int
reconnect_get_probe_interval(const struct reconnect *r)
{
    return r->probe_interval;
}

void
reconnect_set_passive(struct reconnect *r, bool passive)
{
    r->passive = passive;
}

void
reconnect_enable(struct reconnect *r, long long now)
{
    if (r->state == S_VOID) {
        r->backoff = 0;
        set_state(r, S_BACKOFF, now);
    }
}

void
reconnect_disable(struct reconnect *r, long long now)
{
    set_state(r, S_VOID, now);
}

bool
reconnect_is_enabled(const struct reconnect *r)
{
    return r->state != S_VOID;
}

void
reconnect_force_reconnect(struct reconnect *r, long long now)
{
    if (r->state == S_ACTIVE || r->state == S_IDLE
        || r->state == S_CONNECTING) {
        set_state(r, S_RECONNECT, now);
    } else if (r->state == S_BACKOFF) {
        r->backoff = 0;
        r->state_entered = now;
    }
}

void
reconnect_connecting(struct reconnect *r, long long now)
{
    if (r->state != S_VOID) {
        r->n_attempts++;
        set_state(r, S_CONNECTING, now);
    }
}

void
reconnect_connected(struct reconnect *r, long long now)
{
    if (r->state != S_VOID) {
        log_info("%s: connected", r->name);
        r->n_connects++;
        r->last_connected = now;
        r->last_activity = now;
        set_state(r, S_ACTIVE, now);
    }
}

/* Moves to BACKOFF after a failure or disconnect. */
static void
start_backoff(struct reconnect *r, long long now, bool was_connected)
{
    if (was_connected && now - r->last_connected >= MAX(r->backoff,
                                                        r->min_backoff)) {
        /* A healthy session: try again at once. */
        r->backoff = 0;
    } else if (r->backoff < r->min_backoff) {
        r->backoff = r->min_backoff;
    } else {
        r->backoff = MIN((long long) r->backoff * 2, r->max_backoff);
    }
    if (r->backoff) {
        log_info("%s: waiting %d ms before trying again", r->name,
                 r->backoff);
    }
    set_state(r, S_BACKOFF, now);
}

void
reconnect_connect_failed(struct reconnect *r, long long now, int error)
{
    if (r->state == S_VOID) {
        return;
    }
    r->last_error = error;
    log_info("%s: connection attempt failed (%s)", r->name,
             error ? nfv_strerror(error) : "closed");
    start_backoff(r, now, false);
}

void
reconnect_disconnected(struct reconnect *r, long long now, int error)
{
    if (r->state == S_VOID) {
        return;
    }
    bool was_connected = r->state == S_ACTIVE || r->state == S_IDLE;
    if (r->state == S_CONNECTING) {
        reconnect_connect_failed(r, now, error);
        return;
    }
    r->last_error = error;
    if (r->state == S_RECONNECT) {
        /* Forced: reconnect at once. */
        log_info("%s: reconnecting", r->name);
        r->backoff = 0;
        set_state(r, S_BACKOFF, now);
        return;
    }
    log_info("%s: connection dropped (%s)", r->name,
             error ? nfv_strerror(error) : "closed by peer");
    start_backoff(r, now, was_connected);
}

void
reconnect_activity(struct reconnect *r, long long now)
{
    r->last_activity = now;
    if (r->state == S_IDLE) {
        set_state(r, S_ACTIVE, now);
    }
}

/* Time at which the current state calls for action, or LLONG_MAX. */
static long long
deadline(const struct reconnect *r)
{
    switch (r->state) {
    case S_VOID:
        return LLONG_MAX;
    case S_BACKOFF:
        return r->state_entered + r->backoff;
    case S_CONNECTING:
        return r->passive ? LLONG_MAX
                          : r->state_entered + MAX(r->min_backoff, r->backoff);
    case S_ACTIVE:
        return r->probe_interval
               ? MAX(r->last_activity, r->state_entered) + r->probe_interval
               : LLONG_MAX;
    case S_IDLE:
        return r->probe_interval ? r->state_entered + r->probe_interval
                                 : LLONG_MAX;
    case S_RECONNECT:
        return r->state_entered;
    }
    return LLONG_MAX;
}

enum reconnect_action
reconnect_run(struct reconnect *r, long long now)
{
    if (now < deadline(r)) {
        return RECONNECT_NONE;
    }
    switch (r->state) {
    case S_VOID:
        return RECONNECT_NONE;
    case S_BACKOFF:
        return RECONNECT_CONNECT;
    case S_CONNECTING:
        log_info("%s: connection attempt timed out", r->name);
        r->last_error = ETIMEDOUT;
        return RECONNECT_DISCONNECT;
    case S_ACTIVE:
        log_dbg("%s: idle %lld ms, sending inactivity probe", r->name,
                now - r->last_activity);
        set_state(r, S_IDLE, now);
        return RECONNECT_PROBE;
    case S_IDLE:
        log_warn("%s: no response to inactivity probe after %d seconds, "
                 "disconnecting", r->name, r->probe_interval / 1000);
        r->last_error = ETIMEDOUT;
        return RECONNECT_DISCONNECT;
    case S_RECONNECT:
        r->last_error = 0;
        return RECONNECT_DISCONNECT;
    }
    return RECONNECT_NONE;
}

long long
reconnect_timeout(const struct reconnect *r, long long now)
{
    long long d = deadline(r);
    return d == LLONG_MAX ? -1 : MAX(d - now, 0);
}

bool
reconnect_is_connected(const struct reconnect *r)
{
    return r->state == S_ACTIVE || r->state == S_IDLE;
}

int
reconnect_get_backoff(const struct reconnect *r)
{
    return r->backoff;
}

unsigned int
reconnect_get_n_attempts(const struct reconnect *r)
{
    return r->n_attempts;
}

unsigned int
reconnect_get_n_connects(const struct reconnect *r)
{
    return r->n_connects;
}

int
reconnect_get_last_error(const struct reconnect *r)
{
    return r->last_error;
}

const char *
reconnect_state_name(const struct reconnect *r)
{
    return state_names[r->state];
}
