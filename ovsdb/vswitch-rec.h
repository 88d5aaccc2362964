/* vswitch-rec.h: typed, read-only views of the Open_vSwitch database.
 *
 * The IDL (ovsdb/idl.h) keeps a generic replica.  This module builds, from
 * that replica, one C struct per row of the tables the daemon uses, with
 * references between rows resolved to pointers, integers as int64_t,
 * optional columns (sets of 0 or 1) with a 'has_' flag or a NULL pointer,
 * and string maps as struct smap.  Columns the server's schema lacks read
 * as their type's default (empty, 0, false, "").
 *
 * A view is a snapshot: build one with vsrec_db_build() after each change
 * callback, use it, and destroy it (or keep it until the next build).
 * Each view row points to its replica row ('row') so the bridge layer can
 * write back with the transaction API (ovsdb_idl_txn_write(rec->row, ...))
 * and read change tracking (ovsdb_idl_row_column_changed(rec->row, ...)).
 * A reference to a row that does not exist (yet) is left out of arrays and
 * reads as NULL for single references.
 *
 * Main thread only, like the IDL. */
#ifndef OVSNFV_OVSDB_VSWITCH_REC_H
#define OVSNFV_OVSDB_VSWITCH_REC_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ovsdb/idl.h"
#include "util/hmap.h"
#include "util/smap.h"

struct vsrec_bridge;
struct vsrec_port;
struct vsrec_interface;
struct vsrec_controller;
struct vsrec_ssl;
struct vsrec_manager;

/* Fields every view row starts with. */
struct vsrec_header {
    struct hmap_node hmap_node;         /* In its table's map, by uuid. */
    const struct ovsdb_idl_row *row;    /* The replica row. */
    struct uuid uuid;
};

/* Open_vSwitch: the root row (normally exactly one). */
struct vsrec_open_vswitch {
    struct vsrec_header header;
    struct vsrec_bridge **bridges;
    size_t n_bridges;
    struct vsrec_manager **manager_options;
    size_t n_manager_options;
    struct vsrec_ssl *ssl;              /* NULL if unset. */
    struct smap other_config;
    struct smap external_ids;
    struct smap statistics;
    int64_t next_cfg;
    int64_t cur_cfg;
    const char *ovs_version;            /* NULL if unset (all strings of
                                         * optional columns likewise). */
    const char *db_version;
    const char *system_type;
    const char *system_version;
    char **datapath_types;
    size_t n_datapath_types;
    char **iface_types;
    size_t n_iface_types;
    bool dpdk_initialized;
    const char *dpdk_version;
};

/* Bridge. */
struct vsrec_bridge {
    struct vsrec_header header;
    const char *name;
    const char *datapath_type;          /* "" means the default. */
    const char *datapath_id;            /* NULL if unset. */
    struct vsrec_port **ports;
    size_t n_ports;
    struct vsrec_controller **controllers;  /* Column "controller". */
    size_t n_controllers;
    const char *fail_mode;              /* NULL, "standalone" or "secure". */
    char **protocols;                   /* "OpenFlow10"... sorted. */
    size_t n_protocols;
    bool stp_enable;
    bool rstp_enable;
    bool mcast_snooping_enable;
    int64_t *flood_vlans;
    size_t n_flood_vlans;
    struct smap other_config;
    struct smap external_ids;
    struct smap status;
};

/* Port. */
struct vsrec_port {
    struct vsrec_header header;
    const char *name;
    struct vsrec_interface **interfaces;
    size_t n_interfaces;
    bool has_tag;
    int64_t tag;                        /* Valid if has_tag. */
    int64_t *trunks;                    /* Sorted. */
    size_t n_trunks;
    const char *vlan_mode;              /* NULL if unset. */
    const char *bond_mode;              /* NULL if unset. */
    const char *lacp;                   /* NULL if unset. */
    const char *mac;                    /* NULL if unset. */
    bool fake_bridge;
    struct smap other_config;
    struct smap external_ids;
    struct smap status;
};

/* Interface. */
struct vsrec_interface {
    struct vsrec_header header;
    const char *name;
    const char *type;                   /* "" means "system". */
    struct smap options;
    bool has_ofport_request;
    int64_t ofport_request;
    bool has_ofport;
    int64_t ofport;                     /* As written back by the switch. */
    bool has_mtu_request;
    int64_t mtu_request;
    bool has_mtu;
    int64_t mtu;
    const char *mac;                    /* NULL if unset. */
    const char *admin_state;            /* NULL if unset. */
    const char *link_state;             /* NULL if unset. */
    const char *error;                  /* NULL if unset. */
    int64_t ingress_policing_rate;
    int64_t ingress_policing_burst;
    struct smap other_config;
    struct smap external_ids;
    struct smap status;
    struct smap statistics;             /* String values, in decimal. */
};

/* Controller. */
struct vsrec_controller {
    struct vsrec_header header;
    const char *target;
    const char *type;                   /* NULL, "primary" or "service". */
    bool has_max_backoff;
    int64_t max_backoff;                /* ms */
    bool has_inactivity_probe;
    int64_t inactivity_probe;           /* ms */
    const char *connection_mode;        /* NULL, "in-band", "out-of-band". */
    bool has_enable_async_messages;
    bool enable_async_messages;
    bool has_controller_rate_limit;
    int64_t controller_rate_limit;
    bool has_controller_burst_limit;
    int64_t controller_burst_limit;
    bool is_connected;
    const char *role;                   /* NULL if unset. */
    struct smap other_config;
    struct smap external_ids;
    struct smap status;
};

/* SSL. */
struct vsrec_ssl {
    struct vsrec_header header;
    const char *private_key;
    const char *certificate;
    const char *ca_cert;
    bool bootstrap_ca_cert;
    struct smap external_ids;
};

/* Manager. */
struct vsrec_manager {
    struct vsrec_header header;
    const char *target;
    bool has_max_backoff;
    int64_t max_backoff;
    bool has_inactivity_probe;
    int64_t inactivity_probe;
    const char *connection_mode;
    bool is_connected;
    struct smap other_config;
    struct smap external_ids;
    struct smap status;
};

/* A snapshot of all the views.  The maps hold every row of each table
 * (struct vsrec_*, through their header's hmap_node). */
struct vsrec_db {
    const struct vsrec_open_vswitch *open_vswitch;  /* First root row, or
                                                     * NULL if none. */
    struct hmap open_vswitches;
    struct hmap bridges;
    struct hmap ports;
    struct hmap interfaces;
    struct hmap controllers;
    struct hmap ssls;
    struct hmap managers;
    uint64_t idl_seqno;                 /* ovsdb_idl_get_seqno() at build. */
};

/* Builds views of every row of the tables above currently in 'idl''s
 * replica.  Never fails: malformed or missing columns read as defaults.
 * Strings point into the replica (valid until the IDL next changes: rebuild
 * then); smaps and arrays are owned by the snapshot. */
struct vsrec_db *vsrec_db_build(const struct ovsdb_idl *);
void vsrec_db_destroy(struct vsrec_db *);

/* Lookups by uuid (NULL if absent). */
const struct vsrec_bridge *vsrec_db_get_bridge(const struct vsrec_db *,
                                               const struct uuid *);
const struct vsrec_port *vsrec_db_get_port(const struct vsrec_db *,
                                           const struct uuid *);
const struct vsrec_interface *vsrec_db_get_interface(const struct vsrec_db *,
                                                     const struct uuid *);
const struct vsrec_controller *vsrec_db_get_controller(
    const struct vsrec_db *, const struct uuid *);
/* Lookups by name (linear; NULL if absent). */
const struct vsrec_bridge *vsrec_db_find_bridge(const struct vsrec_db *,
                                                const char *name);
const struct vsrec_port *vsrec_db_find_port(const struct vsrec_db *,
                                            const char *name);
const struct vsrec_interface *vsrec_db_find_interface(const struct vsrec_db *,
                                                      const char *name);

/* Iteration over a table's views, e.g.
 *     const struct vsrec_bridge *br;
 *     VSREC_FOR_EACH (br, &db->bridges) { ... } */
#define VSREC_FOR_EACH(REC, MAP) HMAP_FOR_EACH (REC, header.hmap_node, MAP)

/* The table names, for the IDL calls. */
#define VSREC_TABLE_OPEN_VSWITCH "Open_vSwitch"
#define VSREC_TABLE_BRIDGE "Bridge"
#define VSREC_TABLE_PORT "Port"
#define VSREC_TABLE_INTERFACE "Interface"
#define VSREC_TABLE_CONTROLLER "Controller"
#define VSREC_TABLE_SSL "SSL"
#define VSREC_TABLE_MANAGER "Manager"

#endif
