/* bridge-dpif.h: every call the bridge layer makes into the datapath
 * (lib/dpif, lib/netdev), in one place.
 *
 * bridge.c decides what should exist; these functions make it so and report
 * errors as values plus a message for Interface:error.  bridge-status.c
 * reads device state back through them.  Main thread only. */
#ifndef OVSNFV_VSWITCHD_BRIDGE_DPIF_H
#define OVSNFV_VSWITCHD_BRIDGE_DPIF_H 1

#include <stdbool.h>
#include <stdint.h>
#include "vswitchd/bridge.h"

struct smap;
struct vsrec_port;

/* Starts the datapath module (its appctl commands and timers). */
void bridge_dpif_init(void);

/* Applies Open_vSwitch:other_config (DPDK and PMD keys).  Bad values are
 * logged by the datapath. */
void bridge_dpif_set_global_config(const struct smap *other_config);

/* For the Open_vSwitch row. */
bool bridge_dpif_dpdk_initialized(void);
const char *bridge_dpif_dpdk_version(void);     /* "" if not initialised. */
const char *const *bridge_dpif_iface_types(void);

/* Checks Bridge:datapath_type.  Returns NULL if usable ("" and "netdev"),
 * otherwise a malloc'd message. */
char *bridge_dpif_check_datapath_type(const char *type);

/* Creates the datapath of 'br' (br->dpif).  Returns 0 or a positive errno
 * with a malloc'd message in '*errp'. */
int bridge_dpif_create(struct bridge *br, char **errp);
/* Removes all of 'br''s ports from its datapath and destroys it. */
void bridge_dpif_destroy(struct bridge *br);
/* Applies Bridge:other_config to the datapath. */
void bridge_dpif_set_bridge_config(struct bridge *br,
                                   const struct smap *other_config);

/* Opens the device of 'iface' (iface->netdev).  Returns 0 or a positive
 * errno with a malloc'd message in '*errp'. */
int bridge_dpif_iface_open(struct iface *iface, char **errp);
/* Removes 'iface' from the datapath (if in it) and closes its device. */
void bridge_dpif_iface_close(struct iface *iface);
/* Applies Interface:options.  Returns 0 or a positive errno with a
 * malloc'd message in '*errp'. */
int bridge_dpif_iface_set_options(struct iface *iface,
                                  const struct smap *options, char **errp);
/* Applies Interface:mtu_request.  Returns 0 or a positive errno with a
 * malloc'd message in '*errp'. */
int bridge_dpif_iface_set_mtu(struct iface *iface, int mtu, char **errp);
/* Sets the MAC of 'iface''s device.  Returns 0 or a positive errno. */
int bridge_dpif_iface_set_mac(struct iface *iface, struct eth_addr mac);
/* Reads the MAC of 'iface''s device.  Returns 0 or a positive errno. */
int bridge_dpif_iface_get_mac(const struct iface *iface,
                              struct eth_addr *mac);

/* Adds 'iface' to its bridge's datapath as port 'ofport' (sets
 * iface->ofport).  Returns 0 or a positive errno with a message. */
int bridge_dpif_port_add(struct iface *iface, int ofport, char **errp);
/* Takes 'iface' out of the datapath (iface->ofport becomes -1). */
void bridge_dpif_port_del(struct iface *iface);
/* Applies Interface:other_config (pmd-rxq-affinity) to the port. */
void bridge_dpif_port_set_config(struct iface *iface,
                                 const struct smap *other_config);
/* Applies the VLAN settings of Port row 'port' to 'iface''s datapath port.
 * Returns 0 or a positive errno with a message. */
int bridge_dpif_port_set_vlan(struct iface *iface,
                              const struct vsrec_port *port, char **errp);
/* A canonical text of 'port''s VLAN settings, to detect changes.  The
 * caller frees it. */
char *bridge_dpif_vlan_key(const struct vsrec_port *port);

/* What Interface's status columns show.  'has_*' false leaves the column
 * empty. */
struct iface_state {
    const char *admin_state;    /* "up", "down" or NULL. */
    const char *link_state;     /* "up", "down" or NULL. */
    bool has_link_resets;
    int64_t link_resets;
    bool has_link_speed;
    int64_t link_speed;         /* bits/s */
    const char *duplex;         /* "full", "half" or NULL. */
    bool has_mtu;
    int64_t mtu;
    bool has_mac_in_use;
    char mac_in_use[18];
    bool has_ifindex;
    int64_t ifindex;
    struct smap status;         /* Interface:status. */
};

/* Reads the state of 'iface''s device into 'state' (which this
 * initialises; destroy 'state->status' afterwards).  A device that is
 * not open gives all columns empty. */
void bridge_dpif_iface_get_state(const struct iface *iface,
                                 struct iface_state *state);

/* Interface:statistics of 'iface' as key/value pairs (into 'stats', which
 * the caller initialised; values in decimal).  Returns 0 or ENOENT (not in
 * a datapath). */
int bridge_dpif_iface_get_stats(const struct iface *iface,
                                struct smap *stats);

/* Change number that moves when any device state may have changed. */
uint64_t bridge_dpif_change_seq(void);
/* Same for the device of 'iface' only (0 if it has none): link, queues,
 * MTU, vhost-user connection, not packet counts. */
uint64_t bridge_dpif_iface_change_seq(const struct iface *iface);

#endif
