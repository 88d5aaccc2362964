/* reconnect.h: when to connect, probe and give up on a connection.
 *
 * A transport-independent state machine for long-lived client connections
 * (OVSDB, OpenFlow controllers).  It does no I/O and reads no clock: the
 * caller reports events (connecting, connected, failed, disconnected,
 * something received) with the current monotonic time in ms, and asks
 * reconnect_run() what to do next and reconnect_timeout() how long it may
 * sleep before asking again.
 *
 * Policy:
 *  - Back-off: after a failed attempt or a short-lived connection, wait
 *    min_backoff (1 s), then double up to max_backoff (default 8 s).  A
 *    connection that stayed up for at least the current back-off resets it,
 *    so the next attempt is immediate.
 *  - A connection attempt that takes longer than max(min_backoff, current
 *    back-off) is abandoned (RECONNECT_DISCONNECT).
 *  - Inactivity probe (default 5 s, 0 disables): after that long without
 *    receiving anything, RECONNECT_PROBE (send an echo request); after
 *    another interval with still nothing, RECONNECT_DISCONNECT.
 *
 * Not thread-safe: one object belongs to one thread. */
#ifndef OVSNFV_RECONNECT_H
#define OVSNFV_RECONNECT_H 1

#include <stdbool.h>

#define RECONNECT_DEFAULT_MIN_BACKOFF 1000
#define RECONNECT_DEFAULT_MAX_BACKOFF 8000
#define RECONNECT_DEFAULT_PROBE_INTERVAL 5000

enum reconnect_action {
    RECONNECT_NONE,             /* Nothing to do now. */
    RECONNECT_CONNECT,          /* Start a connection attempt, then call
                                 * reconnect_connecting(). */
    RECONNECT_DISCONNECT,       /* Drop the connection (or attempt), then
                                 * call reconnect_disconnected(). */
    RECONNECT_PROBE,            /* Send a probe (e.g. an echo request). */
};

struct reconnect;

/* Creates a state machine, disabled (it asks for nothing until
 * reconnect_enable()). */
struct reconnect *reconnect_create(long long now);
void reconnect_destroy(struct reconnect *);

/* A name for log messages, e.g. the remote "tcp:127.0.0.1:6640". */
void reconnect_set_name(struct reconnect *, const char *name);
const char *reconnect_get_name(const struct reconnect *);
/* Back-off bounds in ms; max is raised to min if lower. */
void reconnect_set_backoff(struct reconnect *, int min_backoff,
                           int max_backoff);
int reconnect_get_max_backoff(const struct reconnect *);
/* Inactivity probe interval in ms; 0 disables probing. */
void reconnect_set_probe_interval(struct reconnect *, int probe_interval);
int reconnect_get_probe_interval(const struct reconnect *);
/* Passive mode (listening): attempts never time out and probes still
 * apply to an accepted connection. */
void reconnect_set_passive(struct reconnect *, bool passive);

/* Allows connecting: the first attempt is immediate. */
void reconnect_enable(struct reconnect *, long long now);
/* Stops asking for anything (the caller closes any connection). */
void reconnect_disable(struct reconnect *, long long now);
bool reconnect_is_enabled(const struct reconnect *);
/* Asks for the current connection to be dropped and a new one made
 * immediately (reconnect_run() returns RECONNECT_DISCONNECT if
 * connected). */
void reconnect_force_reconnect(struct reconnect *, long long now);

/* Events reported by the caller. */
void reconnect_connecting(struct reconnect *, long long now);
void reconnect_connected(struct reconnect *, long long now);
/* A connection attempt failed with 'error' (errno value). */
void reconnect_connect_failed(struct reconnect *, long long now, int error);
/* An established connection ended ('error' 0 for EOF), or the caller
 * obeyed RECONNECT_DISCONNECT. */
void reconnect_disconnected(struct reconnect *, long long now, int error);
/* Something was received on the connection. */
void reconnect_activity(struct reconnect *, long long now);

/* What to do now. */
enum reconnect_action reconnect_run(struct reconnect *, long long now);
/* Milliseconds until reconnect_run() may have something to do, or -1 if
 * nothing is pending on time. */
long long reconnect_timeout(const struct reconnect *, long long now);

bool reconnect_is_connected(const struct reconnect *);
/* The current back-off in ms (0 before the first failure). */
int reconnect_get_backoff(const struct reconnect *);
unsigned int reconnect_get_n_attempts(const struct reconnect *);
unsigned int reconnect_get_n_connects(const struct reconnect *);
/* The error of the last failure or disconnect (0 if none).  Right after
 * reconnect_run() returned RECONNECT_DISCONNECT it is the reason to report:
 * ETIMEDOUT for an unanswered probe or a connection attempt that took too
 * long, 0 for a forced reconnect. */
int reconnect_get_last_error(const struct reconnect *);
/* Name of the current state, for status output ("BACKOFF", "ACTIVE"...). */
const char *reconnect_state_name(const struct reconnect *);

#endif
