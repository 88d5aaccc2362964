/* daemon.h: running as a daemon the way Open vSwitch's daemons do.
 *
 * --pidfile[=FILE], --detach, --no-chdir, --mlockall.  The pidfile holds the
 * pid and an fcntl() write lock for the process's life, which is how
 * `ovs-appctl` tells a live daemon from a stale file.  Call from the main
 * thread only, in this order: options, daemon_start(), initialisation,
 * daemon_ready(). */
#ifndef OVSNFV_DAEMON_H
#define OVSNFV_DAEMON_H 1

#include <stdbool.h>

/* 'path' may be NULL for the default $OVS_RUNDIR/PROGRAM.pid.  A relative
 * path is taken relative to $OVS_RUNDIR. */
void daemon_set_pidfile(const char *path);
const char *daemon_pidfile(void);
void daemon_set_detach(bool);
bool daemon_is_detached(void);
void daemon_set_no_chdir(bool);
void daemon_set_mlockall(bool);

/* Forks into the background if --detach was given (the parent waits until
 * the child calls daemon_ready() or dies), then writes the pidfile.  Exits
 * on failure with a message. */
void daemon_start(void);
/* Tells a waiting parent that start-up succeeded, detaches from the
 * terminal and changes to "/" unless --no-chdir. */
void daemon_ready(void);
/* Removes the pidfile; call on clean exit. */
void daemon_remove_pidfile(void);

/* Installs handlers that log a backtrace before dying on SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE and SIGABRT. */
void daemon_install_crash_handler(void);

#endif
