/* bridge-status.h: writing the switch's state back into the database.
 *
 * What Open vSwitch writes, ovs-nfv writes, so that ovs-vsctl (which waits
 * for Open_vSwitch:cur_cfg to reach next_cfg, then reads Interface:ofport
 * and Interface:error) and monitoring tools see the truth:
 *
 *   Open_vSwitch: cur_cfg, ovs_version, db_version, datapath_types,
 *                 iface_types,
 *                 dpdk_initialized, dpdk_version, statistics (with
 *                 other_config:enable-statistics=true)
 *   Bridge:       datapath_id, datapath_version
 *   Interface:    ofport, error, admin_state, link_state, link_speed,
 *                 duplex, link_resets, mtu, mac_in_use, ifindex, status,
 *                 statistics
 *   Controller:   is_connected, role, status (from the source set with
 *                 bridge_status_set_controller_source())
 *
 * A column is written only when its value differs from the replica's, so an
 * idle switch sends nothing.  Columns whose value is unknown are left empty.
 * Main thread only. */
#ifndef OVSNFV_VSWITCHD_BRIDGE_STATUS_H
#define OVSNFV_VSWITCHD_BRIDGE_STATUS_H 1

#include <stdbool.h>
#include <stdint.h>
#include "util/smap.h"

struct ovsdb_idl;
struct smap;

/* Starts the status and statistics timers for 'idl'. */
void bridge_status_init(struct ovsdb_idl *idl);
/* Stops the timers. */
void bridge_status_exit(void);

/* Applies the write-back settings of Open_vSwitch:other_config:
 * stats-update-interval (ms, at least 5000, default 5000) and
 * enable-statistics. */
void bridge_status_configure(const struct smap *ovs_other_config);

/* After a reconfiguration for 'next_cfg': commits one transaction that sets
 * cur_cfg to 'next_cfg' with every status column that changed, including
 * the ofport and error of each interface, so that a waiting ovs-vsctl sees
 * the outcome as soon as it sees cur_cfg. */
void bridge_status_commit_reconfigure(int64_t next_cfg);

/* What the OpenFlow layer knows about one controller connection, for the
 * Controller row's is_connected, role and status columns. */
struct controller_status {
    bool is_connected;
    const char *role;           /* "other", "master", "slave", or NULL. */
    struct smap status;         /* E.g. state, last_error,
                                 * sec_since_connect (initialised by the
                                 * caller, filled by the source). */
};

/* Fills 'status' for the controller 'target' of bridge 'bridge' and returns
 * true, or returns false if it knows nothing about it (the row is then left
 * alone). */
typedef bool bridge_controller_status_cb(const char *bridge,
                                         const char *target,
                                         struct controller_status *status,
                                         void *aux);

/* Sets the source of Controller status (NULL: none, the default, in which
 * case Controller rows are not written).  For the OpenFlow layer. */
void bridge_status_set_controller_source(bridge_controller_status_cb *cb,
                                         void *aux);

/* Writes status columns that changed (no cur_cfg), e.g. after a link
 * went up.  Called by the status timer; harmless at any time. */
void bridge_status_refresh(void);

#endif
