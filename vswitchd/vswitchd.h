/* vswitchd.h: the daemon's configuration layer, between the database and
 * the switch.  Main thread only. */
#ifndef OVSNFV_VSWITCHD_H
#define OVSNFV_VSWITCHD_H 1

#include <stdbool.h>

/* Starts following the Open_vSwitch database at 'remote'. */
void vswitchd_init(const char *remote);
/* Stops the switch; with 'cleanup', also removes what it created on the
 * host (TAP devices, vhost-user sockets). */
void vswitchd_exit(bool cleanup);

#endif
