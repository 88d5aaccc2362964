/* bridge.h: the bridge layer's model of the switch, shared by the files of
 * vswitchd/ (bridge.c reconciles it from the database, bridge-dpif.c drives
 * the datapath from it, bridge-status.c writes it back).  Not a public API:
 * nothing outside vswitchd/ includes it.  Main thread only. */
#ifndef OVSNFV_VSWITCHD_BRIDGE_H
#define OVSNFV_VSWITCHD_BRIDGE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ovsdb/ovsdb-data.h"
#include "packet/eth-addr.h"
#include "util/hmap.h"
#include "util/smap.h"
#include "vswitchd/ofport-alloc.h"

struct dpif;
struct netdev;
struct ofproto;
struct connmgr;
struct ovsdb_idl;

/* Reasons an interface is not (fully) working, in the order Interface:error
 * reports them: the first one set wins. */
enum iface_error_kind {
    IFACE_ERR_OPEN,             /* Device could not be opened. */
    IFACE_ERR_CONFIG,           /* Interface:options rejected. */
    IFACE_ERR_DPIF,             /* Could not join the datapath. */
    IFACE_ERR_OFPORT,           /* ofport_request not honoured. */
    IFACE_ERR_MTU,              /* mtu_request rejected. */
    IFACE_ERR_VLAN,             /* Port VLAN settings rejected. */
    IFACE_N_ERRORS
};

/* One Interface row of a bridge (or the bridge's local port). */
struct iface {
    struct hmap_node node;      /* In bridge->ifaces, by name. */
    struct bridge *br;
    char *name;
    char *type;                 /* As configured ("" = unset). */
    struct uuid uuid;           /* Interface row; zero if none. */
    bool has_row;
    bool is_local;              /* The bridge's own port (named like it). */

    /* Datapath state. */
    struct netdev *netdev;      /* NULL if it could not be opened. */
    int ofport;                 /* In the datapath, or -1. */
    int db_ofport_hint;         /* Interface:ofport seen at creation. */

    /* Configuration last applied, to apply only what changed. */
    struct smap options;
    struct smap other_config;
    int64_t mtu_request;        /* 0 = unset. */
    int64_t ofport_request;     /* 0 = unset. */
    char *vlan_key;             /* Port VLAN settings, as text. */
    bool config_failed;         /* netdev_set_config() failed. */

    /* Device change number when Interface:status was last written. */
    uint64_t status_seq;

    /* Malloc'd messages, NULL when all is well; see iface_error(). */
    char *errors[IFACE_N_ERRORS];

    bool seen;                  /* Mark for the reconciliation sweep. */
};

/* One Bridge row. */
struct bridge {
    struct hmap_node node;      /* In the bridges map, by name. */
    char *name;
    struct uuid uuid;
    char *datapath_type;
    struct dpif *dpif;          /* NULL if the datapath type is bad. */
    char *error;                /* Why there is no datapath, or NULL. */
    struct hmap ifaces;         /* struct iface, by name. */
    struct ofport_alloc ofports;
    struct eth_addr mac;        /* The bridge's Ethernet address. */
    uint64_t dpid;              /* 0 until known. */
    char *hwaddr_config;        /* other_config:hwaddr applied, or NULL. */
    struct smap other_config;   /* Bridge:other_config last applied. */
    struct uuid *controllers;   /* Bridge:controller rows. */
    size_t n_controllers;
    bool seen;

    /* OpenFlow switch agent (bridge-ofproto.c). */
    struct ofproto *ofproto;
    struct connmgr *connmgr;
};

/* An Interface row the bridge layer refused outright (its name is already
 * used by another interface), so that write-back can say why. */
struct rejected_iface {
    struct uuid uuid;
    char *error;
};

/* The message for Interface:error of 'iface', or NULL. */
const char *iface_error(const struct iface *);

/* Rejected Interface rows of the last reconfiguration. */
const struct rejected_iface *bridge_rejected_ifaces(size_t *n);

/* Iterates over all bridges (from bridge.c's map). */
struct hmap *bridge_all(void);
struct bridge *bridge_find(const char *name);
struct iface *bridge_find_iface(const struct bridge *, const char *name);

/* The IDL the bridge layer follows (NULL before vswitchd_init()). */
struct ovsdb_idl *bridge_idl(void);

#endif
