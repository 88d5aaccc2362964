#include <config.h>
#include "ovsdb/vswitch-rec.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* --- Column readers (missing or mistyped columns read as defaults). --- */

static const struct ovsdb_datum *
column_of_type(const struct ovsdb_idl_row *row, const char *name,
               enum ovsdb_atomic_type key, enum ovsdb_atomic_type value,
               const struct ovsdb_idl_column **columnp)
{
    const struct ovsdb_idl_column *column
        = ovsdb_idl_table_get_column(row->table, name);
    if (!column || column->type.key.type != key
        || column->type.value.type != value) {
        return NULL;
    }
    if (columnp) {
        *columnp = column;
    }
    return &row->data[column->index];
}

/* Scalar string: "" when missing.  Optional string: NULL when empty. */
static const char *
read_string(const struct ovsdb_idl_row *row, const char *name, bool optional)
{
    const struct ovsdb_datum *d = column_of_type(row, name, OVSDB_TYPE_STRING,
                                                 OVSDB_TYPE_VOID, NULL);
    if (d && d->n >= 1) {
        return d->keys[0].string;
    }
    return optional ? NULL : "";
}

static int64_t
read_int(const struct ovsdb_idl_row *row, const char *name, bool *has)
{
    const struct ovsdb_datum *d = column_of_type(row, name, OVSDB_TYPE_INTEGER,
                                                 OVSDB_TYPE_VOID, NULL);
    bool present = d && d->n >= 1;
    if (has) {
        *has = present;
    }
    return present ? d->keys[0].integer : 0;
}

static bool
read_bool(const struct ovsdb_idl_row *row, const char *name, bool *has)
{
    const struct ovsdb_datum *d = column_of_type(row, name, OVSDB_TYPE_BOOLEAN,
                                                 OVSDB_TYPE_VOID, NULL);
    bool present = d && d->n >= 1;
    if (has) {
        *has = present;
    }
    return present && d->keys[0].boolean;
}

static void
read_smap(const struct ovsdb_idl_row *row, const char *name, struct smap *smap)
{
    ovsdb_idl_row_get_smap(row, name, smap);
}

static char **
read_strings(const struct ovsdb_idl_row *row, const char *name, size_t *n)
{
    const struct ovsdb_datum *d = column_of_type(row, name, OVSDB_TYPE_STRING,
                                                 OVSDB_TYPE_VOID, NULL);
    *n = 0;
    if (!d || !d->n) {
        return NULL;
    }
    char **v = xmalloc(d->n * sizeof *v);
    for (size_t i = 0; i < d->n; i++) {
        v[i] = d->keys[i].string;
    }
    *n = d->n;
    return v;
}

static int64_t *
read_ints(const struct ovsdb_idl_row *row, const char *name, size_t *n)
{
    const struct ovsdb_datum *d = column_of_type(row, name, OVSDB_TYPE_INTEGER,
                                                 OVSDB_TYPE_VOID, NULL);
    *n = 0;
    if (!d || !d->n) {
        return NULL;
    }
    int64_t *v = xmalloc(d->n * sizeof *v);
    for (size_t i = 0; i < d->n; i++) {
        v[i] = d->keys[i].integer;
    }
    *n = d->n;
    return v;
}

/* Resolves a uuid set column to view pointers found in 'map'; dangling
 * references are left out. */
static void **
read_refs(const struct ovsdb_idl_row *row, const char *name,
          const struct hmap *map, size_t *n)
{
    const struct ovsdb_datum *d = column_of_type(row, name, OVSDB_TYPE_UUID,
                                                 OVSDB_TYPE_VOID, NULL);
    *n = 0;
    if (!d || !d->n) {
        return NULL;
    }
    void **v = xmalloc(d->n * sizeof *v);
    for (size_t i = 0; i < d->n; i++) {
        struct vsrec_header *h;
        HMAP_FOR_EACH_WITH_HASH (h, hmap_node, uuid_hash(&d->keys[i].uuid),
                                 map) {
            if (uuid_equals(&h->uuid, &d->keys[i].uuid)) {
                v[(*n)++] = h;
                break;
            }
        }
    }
    if (!*n) {
        free(v);
        return NULL;
    }
    return v;
}

static void *
read_ref(const struct ovsdb_idl_row *row, const char *name,
         const struct hmap *map)
{
    size_t n;
    void **v = read_refs(row, name, map, &n);
    void *first = n ? v[0] : NULL;
    free(v);
    return first;
}

static void *
header_find(const struct hmap *map, const struct uuid *uuid)
{
    struct vsrec_header *h;
    HMAP_FOR_EACH_WITH_HASH (h, hmap_node, uuid_hash(uuid), map) {
        if (uuid_equals(&h->uuid, uuid)) {
            return h;
        }
    }
    return NULL;
}

/* --- Building. --- */

static void *
new_rec(size_t size, const struct ovsdb_idl_row *row, struct hmap *map)
{
    struct vsrec_header *h = xzalloc(size);
    h->row = row;
    h->uuid = row->uuid;
    hmap_insert(map, &h->hmap_node, uuid_hash(&row->uuid));
    return h;
}

#define FOR_EACH_TABLE_ROW(ROW, IDL, NAME)                                   \
    for (const struct ovsdb_idl_table *table_ = ovsdb_idl_get_table(IDL,     \
                                                                    NAME);   \
         table_; table_ = NULL)                                              \
        OVSDB_IDL_FOR_EACH_ROW (ROW, table_)

static void
build_scalars(struct vsrec_db *db, const struct ovsdb_idl *idl)
{
    struct ovsdb_idl_row *row;

    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_OPEN_VSWITCH) {
        struct vsrec_open_vswitch *ovs = new_rec(sizeof *ovs, row,
                                                 &db->open_vswitches);
        read_smap(row, "other_config", &ovs->other_config);
        read_smap(row, "external_ids", &ovs->external_ids);
        read_smap(row, "statistics", &ovs->statistics);
        ovs->next_cfg = read_int(row, "next_cfg", NULL);
        ovs->cur_cfg = read_int(row, "cur_cfg", NULL);
        ovs->ovs_version = read_string(row, "ovs_version", true);
        ovs->db_version = read_string(row, "db_version", true);
        ovs->system_type = read_string(row, "system_type", true);
        ovs->system_version = read_string(row, "system_version", true);
        ovs->datapath_types = read_strings(row, "datapath_types",
                                           &ovs->n_datapath_types);
        ovs->iface_types = read_strings(row, "iface_types",
                                        &ovs->n_iface_types);
        ovs->dpdk_initialized = read_bool(row, "dpdk_initialized", NULL);
        ovs->dpdk_version = read_string(row, "dpdk_version", true);
    }
    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_BRIDGE) {
        struct vsrec_bridge *br = new_rec(sizeof *br, row, &db->bridges);
        br->name = read_string(row, "name", false);
        br->datapath_type = read_string(row, "datapath_type", false);
        br->datapath_id = read_string(row, "datapath_id", true);
        br->fail_mode = read_string(row, "fail_mode", true);
        br->protocols = read_strings(row, "protocols", &br->n_protocols);
        br->stp_enable = read_bool(row, "stp_enable", NULL);
        br->rstp_enable = read_bool(row, "rstp_enable", NULL);
        br->mcast_snooping_enable = read_bool(row, "mcast_snooping_enable",
                                              NULL);
        br->flood_vlans = read_ints(row, "flood_vlans", &br->n_flood_vlans);
        read_smap(row, "other_config", &br->other_config);
        read_smap(row, "external_ids", &br->external_ids);
        read_smap(row, "status", &br->status);
    }
    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_PORT) {
        struct vsrec_port *port = new_rec(sizeof *port, row, &db->ports);
        port->name = read_string(row, "name", false);
        port->tag = read_int(row, "tag", &port->has_tag);
        port->trunks = read_ints(row, "trunks", &port->n_trunks);
        port->vlan_mode = read_string(row, "vlan_mode", true);
        port->bond_mode = read_string(row, "bond_mode", true);
        port->lacp = read_string(row, "lacp", true);
        port->mac = read_string(row, "mac", true);
        port->fake_bridge = read_bool(row, "fake_bridge", NULL);
        read_smap(row, "other_config", &port->other_config);
        read_smap(row, "external_ids", &port->external_ids);
        read_smap(row, "status", &port->status);
    }
    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_INTERFACE) {
        struct vsrec_interface *iface = new_rec(sizeof *iface, row,
                                                &db->interfaces);
        iface->name = read_string(row, "name", false);
        iface->type = read_string(row, "type", false);
        read_smap(row, "options", &iface->options);
        iface->ofport_request = read_int(row, "ofport_request",
                                         &iface->has_ofport_request);
        iface->ofport = read_int(row, "ofport", &iface->has_ofport);
        iface->mtu_request = read_int(row, "mtu_request",
                                      &iface->has_mtu_request);
        iface->mtu = read_int(row, "mtu", &iface->has_mtu);
        iface->mac = read_string(row, "mac", true);
        iface->admin_state = read_string(row, "admin_state", true);
        iface->link_state = read_string(row, "link_state", true);
        iface->error = read_string(row, "error", true);
        iface->ingress_policing_rate = read_int(row, "ingress_policing_rate",
                                                NULL);
        iface->ingress_policing_burst = read_int(
            row, "ingress_policing_burst", NULL);
        read_smap(row, "other_config", &iface->other_config);
        read_smap(row, "external_ids", &iface->external_ids);
        read_smap(row, "status", &iface->status);
        read_smap(row, "statistics", &iface->statistics);
    }
    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_CONTROLLER) {
        struct vsrec_controller *c = new_rec(sizeof *c, row,
                                             &db->controllers);
        c->target = read_string(row, "target", false);
        c->type = read_string(row, "type", true);
        c->max_backoff = read_int(row, "max_backoff", &c->has_max_backoff);
        c->inactivity_probe = read_int(row, "inactivity_probe",
                                       &c->has_inactivity_probe);
        c->connection_mode = read_string(row, "connection_mode", true);
        c->enable_async_messages = read_bool(row, "enable_async_messages",
                                             &c->has_enable_async_messages);
        c->controller_rate_limit = read_int(row, "controller_rate_limit",
                                            &c->has_controller_rate_limit);
        c->controller_burst_limit = read_int(row, "controller_burst_limit",
                                             &c->has_controller_burst_limit);
        c->is_connected = read_bool(row, "is_connected", NULL);
        c->role = read_string(row, "role", true);
        read_smap(row, "other_config", &c->other_config);
        read_smap(row, "external_ids", &c->external_ids);
        read_smap(row, "status", &c->status);
    }
    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_SSL) {
        struct vsrec_ssl *ssl = new_rec(sizeof *ssl, row, &db->ssls);
        ssl->private_key = read_string(row, "private_key", false);
        ssl->certificate = read_string(row, "certificate", false);
        ssl->ca_cert = read_string(row, "ca_cert", false);
        ssl->bootstrap_ca_cert = read_bool(row, "bootstrap_ca_cert", NULL);
        read_smap(row, "external_ids", &ssl->external_ids);
    }
    FOR_EACH_TABLE_ROW (row, idl, VSREC_TABLE_MANAGER) {
        struct vsrec_manager *m = new_rec(sizeof *m, row, &db->managers);
        m->target = read_string(row, "target", false);
        m->max_backoff = read_int(row, "max_backoff", &m->has_max_backoff);
        m->inactivity_probe = read_int(row, "inactivity_probe",
                                       &m->has_inactivity_probe);
        m->connection_mode = read_string(row, "connection_mode", true);
        m->is_connected = read_bool(row, "is_connected", NULL);
        read_smap(row, "other_config", &m->other_config);
        read_smap(row, "external_ids", &m->external_ids);
        read_smap(row, "status", &m->status);
    }
}

static void
build_refs(struct vsrec_db *db)
{
    struct vsrec_open_vswitch *ovs;
    VSREC_FOR_EACH (ovs, &db->open_vswitches) {
        const struct ovsdb_idl_row *row = ovs->header.row;
        ovs->bridges = (struct vsrec_bridge **)
            read_refs(row, "bridges", &db->bridges, &ovs->n_bridges);
        ovs->manager_options = (struct vsrec_manager **)
            read_refs(row, "manager_options", &db->managers,
                      &ovs->n_manager_options);
        ovs->ssl = read_ref(row, "ssl", &db->ssls);
        if (!db->open_vswitch) {
            db->open_vswitch = ovs;
        }
    }
    struct vsrec_bridge *br;
    VSREC_FOR_EACH (br, &db->bridges) {
        br->ports = (struct vsrec_port **)
            read_refs(br->header.row, "ports", &db->ports, &br->n_ports);
        br->controllers = (struct vsrec_controller **)
            read_refs(br->header.row, "controller", &db->controllers,
                      &br->n_controllers);
    }
    struct vsrec_port *port;
    VSREC_FOR_EACH (port, &db->ports) {
        port->interfaces = (struct vsrec_interface **)
            read_refs(port->header.row, "interfaces", &db->interfaces,
                      &port->n_interfaces);
    }
}

struct vsrec_db *
vsrec_db_build(const struct ovsdb_idl *idl)
{
    struct vsrec_db *db = xzalloc(sizeof *db);
    hmap_init(&db->open_vswitches);
    hmap_init(&db->bridges);
    hmap_init(&db->ports);
    hmap_init(&db->interfaces);
    hmap_init(&db->controllers);
    hmap_init(&db->ssls);
    hmap_init(&db->managers);
    db->idl_seqno = ovsdb_idl_get_seqno(idl);
    build_scalars(db, idl);
    build_refs(db);
    return db;
}

/* Frees every view of 'map' with 'free_fields' for its owned fields. */
#define FREE_MAP(MAP, TYPE, FREE_FIELDS)                                    \
    do {                                                                    \
        TYPE *rec_, *next_;                                                 \
        HMAP_FOR_EACH_SAFE (rec_, next_, header.hmap_node, MAP) {           \
            hmap_remove(MAP, &rec_->header.hmap_node);                      \
            FREE_FIELDS(rec_);                                              \
            free(rec_);                                                     \
        }                                                                   \
        hmap_destroy(MAP);                                                  \
    } while (0)

#define FREE_OVS(R)                                                         \
    (free((R)->bridges), free((R)->manager_options),                        \
     smap_destroy(&(R)->other_config), smap_destroy(&(R)->external_ids),    \
     smap_destroy(&(R)->statistics), free((R)->datapath_types),             \
     free((R)->iface_types))
#define FREE_BRIDGE(R)                                                      \
    (free((R)->ports), free((R)->controllers), free((R)->protocols),        \
     free((R)->flood_vlans), smap_destroy(&(R)->other_config),              \
     smap_destroy(&(R)->external_ids), smap_destroy(&(R)->status))
#define FREE_PORT(R)                                                        \
    (free((R)->interfaces), free((R)->trunks),                              \
     smap_destroy(&(R)->other_config), smap_destroy(&(R)->external_ids),    \
     smap_destroy(&(R)->status))
#define FREE_IFACE(R)                                                       \
    (smap_destroy(&(R)->options), smap_destroy(&(R)->other_config),         \
     smap_destroy(&(R)->external_ids), smap_destroy(&(R)->status),          \
     smap_destroy(&(R)->statistics))
#define FREE_CONTROLLER(R)                                                  \
    (smap_destroy(&(R)->other_config), smap_destroy(&(R)->external_ids),    \
     smap_destroy(&(R)->status))
#define FREE_SSL(R) smap_destroy(&(R)->external_ids)
#define FREE_MANAGER(R) FREE_CONTROLLER(R)

void
vsrec_db_destroy(struct vsrec_db *db)
{
    if (!db) {
        return;
    }
    FREE_MAP(&db->open_vswitches, struct vsrec_open_vswitch, FREE_OVS);
    FREE_MAP(&db->bridges, struct vsrec_bridge, FREE_BRIDGE);
    FREE_MAP(&db->ports, struct vsrec_port, FREE_PORT);
    FREE_MAP(&db->interfaces, struct vsrec_interface, FREE_IFACE);
    FREE_MAP(&db->controllers, struct vsrec_controller, FREE_CONTROLLER);
    FREE_MAP(&db->ssls, struct vsrec_ssl, FREE_SSL);
    FREE_MAP(&db->managers, struct vsrec_manager, FREE_MANAGER);
    free(db);
}

const struct vsrec_bridge *
vsrec_db_get_bridge(const struct vsrec_db *db, const struct uuid *uuid)
{
    return header_find(&db->bridges, uuid);
}

const struct vsrec_port *
vsrec_db_get_port(const struct vsrec_db *db, const struct uuid *uuid)
{
    return header_find(&db->ports, uuid);
}

const struct vsrec_interface *
vsrec_db_get_interface(const struct vsrec_db *db, const struct uuid *uuid)
{
    return header_find(&db->interfaces, uuid);
}

const struct vsrec_controller *
vsrec_db_get_controller(const struct vsrec_db *db, const struct uuid *uuid)
{
    return header_find(&db->controllers, uuid);
}

const struct vsrec_bridge *
vsrec_db_find_bridge(const struct vsrec_db *db, const char *name)
{
    const struct vsrec_bridge *br;
    VSREC_FOR_EACH (br, &db->bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

const struct vsrec_port *
vsrec_db_find_port(const struct vsrec_db *db, const char *name)
{
    const struct vsrec_port *port;
    VSREC_FOR_EACH (port, &db->ports) {
        if (!strcmp(port->name, name)) {
            return port;
        }
    }
    return NULL;
}

const struct vsrec_interface *
vsrec_db_find_interface(const struct vsrec_db *db, const char *name)
{
    const struct vsrec_interface *iface;
    VSREC_FOR_EACH (iface, &db->interfaces) {
        if (!strcmp(iface->name, name)) {
            return iface;
        }
    }
    return NULL;
}
