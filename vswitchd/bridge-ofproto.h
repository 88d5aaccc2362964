/* bridge-ofproto.h: the bridge layer's link to the OpenFlow switch agent
 * (lib/ofproto): one ofproto and one connection manager per bridge, fed
 * from the Bridge row (datapath ID, ports, controller, fail_mode,
 * protocols) and the SSL table, and the Controller rows' write-back
 * (is_connected, role, status).  Main thread only. */
#ifndef OVSNFV_VSWITCHD_BRIDGE_OFPROTO_H
#define OVSNFV_VSWITCHD_BRIDGE_OFPROTO_H 1

#include "vswitchd/bridge.h"

struct vsrec_bridge;
struct vsrec_ssl;
struct ovsdb_idl_txn;

/* Creates the agent of 'br' (after its datapath exists). */
void bridge_ofproto_create(struct bridge *br);
/* Destroys it (before the datapath goes). */
void bridge_ofproto_destroy(struct bridge *br);
/* Applies the Bridge row and the current ports of 'br'. */
void bridge_ofproto_configure(struct bridge *br,
                              const struct vsrec_bridge *rec);
/* Applies the SSL table's key, certificate and CA (NULL: none). */
void bridge_ofproto_configure_ssl(const struct vsrec_ssl *ssl);
/* Registers the Controller status source with bridge-status.c. */
void bridge_ofproto_init(void);

#endif
