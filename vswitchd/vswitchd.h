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

/* Hook for the layers built on the bridges (OpenFlow, controllers): called
 * at the end of every reconfiguration, once bridges, ports and interfaces
 * match 'db', and before the write-back that sets cur_cfg, so that what the
 * hook configures is in effect when ovs-vsctl returns.  'db' is valid only
 * during the call.  At most 8 hooks; registering the same (cb, aux) twice
 * has no effect. */
struct vsrec_db;
typedef void vswitchd_reconfigure_cb(const struct vsrec_db *db, void *aux);
void vswitchd_register_reconfigure_hook(vswitchd_reconfigure_cb *cb,
                                        void *aux);

#endif
