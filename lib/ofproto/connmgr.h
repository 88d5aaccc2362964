/* connmgr.h: the OpenFlow connections of one bridge.
 *
 * A connection manager owns, for one ofproto:
 *  - the management socket punix:$OVS_RUNDIR/BRIDGE.mgmt that "ovs-ofctl
 *    BRIDGE" connects to (always there);
 *  - the snoop socket punix:$OVS_RUNDIR/BRIDGE.snoop ("ovs-ofctl snoop"):
 *    every message to and from the controllers is copied there;
 *  - one entry per Bridge:controller target: active targets (tcp:IP[:PORT]
 *    with default port 6653, ssl:IP[:PORT], unix:PATH) reconnect with
 *    back-off (max_backoff) and send echo probes (inactivity_probe);
 *    passive targets (ptcp:[PORT][:IP], pssl:, punix:PATH) accept
 *    connections.
 * Each connection negotiates its version from the hello exchange within
 * the versions Bridge:protocols allows, then has its own role (equal,
 * master, slave, with generation ids), asynchronous-message masks,
 * miss_send_len and Nicira flow/packet-in formats, and open bundles.
 * Messages are decoded with lib/openflow and applied to the ofproto; the
 * ofproto's asynchronous events (packet-in, flow-removed, port-status) are
 * sent to the connections that asked for them.
 *
 * Main thread only. */
#ifndef OVSNFV_CONNMGR_H
#define OVSNFV_CONNMGR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct connmgr;
struct ofproto;
struct smap;

/* One Bridge:controller row. */
struct connmgr_controller {
    const char *target;
    int max_backoff_ms;         /* 0: default (8000). */
    int probe_interval_ms;      /* -1: default (5000); 0 disables. */
};

/* Creates the manager of 'ofproto' and opens the bridge's management and
 * snoop sockets.  Returns NULL only if 'ofproto' is NULL. */
struct connmgr *connmgr_create(struct ofproto *ofproto);
void connmgr_destroy(struct connmgr *);

/* Sets the controller targets (replaces the previous set; connections to
 * targets that stay are kept). */
void connmgr_set_controllers(struct connmgr *,
                             const struct connmgr_controller *, size_t n);

/* Bridge:protocols as a bitmap of wire versions (1 << OFP13_VERSION...);
 * 0 means every supported version.  Applies to new connections. */
void connmgr_set_versions(struct connmgr *, uint32_t versions);

/* Parses Bridge:protocols names ("OpenFlow10", "OpenFlow13"...) into a
 * version bitmap; unknown names are ignored.  Pure. */
uint32_t connmgr_parse_protocols(char *const *names, size_t n);

/* True if at least one primary (active controller) connection is up. */
bool connmgr_has_controller_connection(const struct connmgr *);

/* Controller status for the Controller row of 'target': is_connected,
 * role ("master", "slave", "other") and status keys (state,
 * sec_since_connect, sec_since_disconnect, last_error).  Returns false if
 * 'target' is unknown. */
bool connmgr_get_controller_status(const struct connmgr *,
                                   const char *target, bool *is_connected,
                                   const char **role, struct smap *status);

/* Number of open connections (for tests and ofproto/list). */
size_t connmgr_n_connections(const struct connmgr *);

#endif
