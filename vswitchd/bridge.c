/* bridge.c: reconciles the Open_vSwitch database into bridges, ports and
 * interfaces.
 *
 * Every time the replica changes (and is in sync with the server), the
 * whole desired configuration is compared with what exists: bridges,
 * interfaces and settings that are new are created, those that changed are
 * reapplied, those that are gone are removed, all without restarting
 * anything else.  While the database connection is down the replica, and so
 * the switch, keep the last configuration; after the reconnect the IDL's
 * resync brings whatever changed meanwhile and this applies it.
 *
 * Bad rows never stop the daemon: each problem ends up in the row's
 * Interface:error (or a log line for global keys) and everything else keeps
 * working.  The datapath calls are in bridge-dpif.c, write-back in
 * bridge-status.c.  Main thread only. */
#include <config.h>
#include "vswitchd/vswitchd.h"
#include "vswitchd/bridge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/idl.h"
#include "ovsdb/vswitch-rec.h"
#include "unixctl/unixctl.h"
#include "util/coverage.h"
#include "util/dstr.h"
#include "util/hash.h"
#include "util/memory.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"
#include "vswitchd/bridge-dpif.h"
#include "vswitchd/bridge-ofproto.h"
#include "vswitchd/bridge-status.h"
#include "vswitchd/datapath-id.h"

LOG_MODULE(bridge);
COVERAGE_DEFINE(bridge_reconfigure);
COVERAGE_DEFINE(bridge_iface_error);

static struct ovsdb_idl *idl;
static struct hmap bridges = { NULL, 0, 0 };
static struct smap global_config;       /* Open_vSwitch:other_config last
                                         * given to the datapath. */
static bool global_config_applied;
static struct rejected_iface *rejected;
static size_t n_rejected;
static bool db_uninitialised_logged;

struct reconfigure_hook {
    vswitchd_reconfigure_cb *cb;
    void *aux;
};
#define MAX_RECONFIGURE_HOOKS 8
static struct reconfigure_hook hooks[MAX_RECONFIGURE_HOOKS];
static size_t n_hooks;

/* ---------------------------------------------------------------------
 * Model lookups.
 * ------------------------------------------------------------------- */

struct hmap *
bridge_all(void)
{
    return &bridges;
}

struct ovsdb_idl *
bridge_idl(void)
{
    return idl;
}

struct bridge *
bridge_find(const char *name)
{
    struct bridge *br;
    HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(name, 0), &bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

struct iface *
bridge_find_iface(const struct bridge *br, const char *name)
{
    struct iface *iface;
    HMAP_FOR_EACH_WITH_HASH (iface, node, hash_string(name, 0),
                             &br->ifaces) {
        if (!strcmp(iface->name, name)) {
            return iface;
        }
    }
    return NULL;
}

const char *
iface_error(const struct iface *iface)
{
    if (iface->br->error) {
        return iface->br->error;
    }
    for (int i = 0; i < IFACE_N_ERRORS; i++) {
        if (iface->errors[i]) {
            return iface->errors[i];
        }
    }
    return NULL;
}

const struct rejected_iface *
bridge_rejected_ifaces(size_t *n)
{
    *n = n_rejected;
    return rejected;
}

/* Replaces error 'kind' of 'iface' with 'msg' (taken; NULL clears it) and
 * logs a new or changed message once. */
static void
iface_set_error(struct iface *iface, enum iface_error_kind kind, char *msg)
{
    char **slot = &iface->errors[kind];
    if (msg && (!*slot || strcmp(*slot, msg))) {
        log_warn("bridge %s: %s", iface->br->name, msg);
        coverage_inc(bridge_iface_error);
    }
    free(*slot);
    *slot = msg;
}

static void
free_rejected(struct rejected_iface *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].error);
    }
    free(list);
}

/* Records Interface row 'uuid' of bridge 'br' as refused for 'error'
 * (taken), logging it unless the previous reconfiguration ('old', 'n_old')
 * already refused it for the same reason. */
static void
add_rejected(const struct vsrec_bridge *br, const struct uuid *uuid,
             char *error, const struct rejected_iface *old, size_t n_old)
{
    bool known = false;
    for (size_t i = 0; i < n_old; i++) {
        if (uuid_equals(&old[i].uuid, uuid) && !strcmp(old[i].error, error)) {
            known = true;
            break;
        }
    }
    if (!known) {
        log_warn("bridge %s: %s", br->name, error);
        coverage_inc(bridge_iface_error);
    }
    rejected = xrealloc(rejected, (n_rejected + 1) * sizeof *rejected);
    rejected[n_rejected].uuid = *uuid;
    rejected[n_rejected].error = error;
    n_rejected++;
}

/* ---------------------------------------------------------------------
 * Desired configuration: which Interface row goes where.
 * ------------------------------------------------------------------- */

/* One interface of the desired configuration. */
struct wanted_iface {
    struct hmap_node node;                      /* By name. */
    const char *name;
    const struct vsrec_bridge *br;
    const struct vsrec_port *port;              /* NULL for a local port
                                                 * without rows. */
    const struct vsrec_interface *rec;          /* NULL likewise. */
    bool is_local;
};

static struct wanted_iface *
wanted_find(const struct hmap *wanted, const char *name)
{
    struct wanted_iface *w;
    HMAP_FOR_EACH_WITH_HASH (w, node, hash_string(name, 0), wanted) {
        if (!strcmp(w->name, name)) {
            return w;
        }
    }
    return NULL;
}

static int
compare_bridge_recs(const void *a_, const void *b_)
{
    const struct vsrec_bridge *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* The type an interface effectively gets: the local port is always a TAP
 * device, whatever its row says. */
static const char *
wanted_type(const struct wanted_iface *w)
{
    if (w->is_local) {
        return "internal";
    }
    return w->rec && w->rec->type ? w->rec->type : "";
}

/* Collects the bridges of the root row ('*brsp', sorted by name, without
 * duplicate names) and every interface that should exist ('wanted').
 * Interface rows whose name is already taken are recorded as rejected. */
static void
collect_wanted(const struct vsrec_open_vswitch *ovs,
               const struct vsrec_bridge ***brsp, size_t *n_brsp,
               struct hmap *wanted, const struct rejected_iface *old_rejected,
               size_t n_old_rejected)
{
    size_t n = ovs ? ovs->n_bridges : 0;
    const struct vsrec_bridge **brs = xmalloc((n ? n : 1) * sizeof *brs);
    for (size_t i = 0; i < n; i++) {
        brs[i] = ovs->bridges[i];
    }
    qsort(brs, n, sizeof *brs, compare_bridge_recs);

    size_t n_unique = 0;
    for (size_t i = 0; i < n; i++) {
        if (n_unique && !strcmp(brs[n_unique - 1]->name, brs[i]->name)) {
            log_warn("bridge %s specified twice, ignoring the duplicate",
                     brs[i]->name);
            continue;
        }
        brs[n_unique++] = brs[i];
    }

    /* Local ports first, so that a bridge's own name is never taken by
     * another bridge's port. */
    for (size_t i = 0; i < n_unique; i++) {
        struct wanted_iface *w = xzalloc(sizeof *w);
        w->name = brs[i]->name;
        w->br = brs[i];
        w->is_local = true;
        hmap_insert(wanted, &w->node, hash_string(w->name, 0));
    }
    for (size_t i = 0; i < n_unique; i++) {
        const struct vsrec_bridge *br = brs[i];
        for (size_t j = 0; j < br->n_ports; j++) {
            const struct vsrec_port *port = br->ports[j];
            for (size_t k = 0; k < port->n_interfaces; k++) {
                const struct vsrec_interface *rec = port->interfaces[k];
                struct wanted_iface *w = wanted_find(wanted, rec->name);
                if (w && w->rec == rec) {
                    continue;           /* Listed twice: harmless. */
                } else if (w && w->is_local && w->br == br && !w->rec) {
                    w->port = port;
                    w->rec = rec;
                } else if (w) {
                    add_rejected(br, &rec->header.uuid, xasprintf(
                        "interface name %s is already used by %s %s",
                        rec->name, w->is_local ? "the local port of bridge"
                                               : "an interface of bridge",
                        w->br->name), old_rejected, n_old_rejected);
                } else {
                    w = xzalloc(sizeof *w);
                    w->name = rec->name;
                    w->br = br;
                    w->port = port;
                    w->rec = rec;
                    hmap_insert(wanted, &w->node, hash_string(w->name, 0));
                }
            }
        }
    }
    *brsp = brs;
    *n_brsp = n_unique;
}

static void
wanted_destroy(struct hmap *wanted)
{
    struct wanted_iface *w, *next;
    HMAP_FOR_EACH_SAFE (w, next, node, wanted) {
        hmap_remove(wanted, &w->node);
        free(w);
    }
    hmap_destroy(wanted);
}

/* ---------------------------------------------------------------------
 * Creating and destroying model objects.
 * ------------------------------------------------------------------- */

static void
iface_destroy(struct iface *iface)
{
    struct bridge *br = iface->br;
    if (iface->ofport >= 0) {
        log_info("bridge %s: deleted interface %s on port %d", br->name,
                 iface->name, iface->ofport);
    }
    bridge_dpif_iface_close(iface);
    hmap_remove(&br->ifaces, &iface->node);
    for (int i = 0; i < IFACE_N_ERRORS; i++) {
        free(iface->errors[i]);
    }
    smap_destroy(&iface->options);
    smap_destroy(&iface->other_config);
    free(iface->vlan_key);
    free(iface->type);
    free(iface->name);
    free(iface);
}

/* Bridge:datapath_type, with the empty default spelled out: in ovs-nfv
 * the default is the userspace datapath. */
static const char *
effective_datapath_type(const struct vsrec_bridge *rec)
{
    return rec->datapath_type && rec->datapath_type[0] ? rec->datapath_type
                                                       : "netdev";
}

static struct bridge *
bridge_create(const struct vsrec_bridge *rec)
{
    struct bridge *br = xzalloc(sizeof *br);
    br->name = xstrdup(rec->name);
    br->uuid = rec->header.uuid;
    br->datapath_type = xstrdup(effective_datapath_type(rec));
    hmap_init(&br->ifaces);
    ofport_alloc_init(&br->ofports);
    smap_init(&br->other_config);
    hmap_insert(&bridges, &br->node, hash_string(br->name, 0));

    br->error = bridge_dpif_check_datapath_type(br->datapath_type);
    if (!br->error) {
        bridge_dpif_create(br, &br->error);
    }
    if (br->error) {
        log_err("bridge %s: %s", br->name, br->error);
    } else {
        log_info("bridge %s: created", br->name);
        bridge_ofproto_create(br);
    }
    return br;
}

static void
bridge_destroy(struct bridge *br)
{
    struct iface *iface, *next;
    bridge_ofproto_destroy(br);
    HMAP_FOR_EACH_SAFE (iface, next, node, &br->ifaces) {
        iface_destroy(iface);
    }
    if (br->dpif) {
        bridge_dpif_destroy(br);
        log_info("bridge %s: deleted", br->name);
    }
    hmap_remove(&bridges, &br->node);
    hmap_destroy(&br->ifaces);
    ofport_alloc_destroy(&br->ofports);
    smap_destroy(&br->other_config);
    free(br->hwaddr_config);
    free(br->controllers);
    free(br->datapath_type);
    free(br->error);
    free(br->name);
    free(br);
}

/* ---------------------------------------------------------------------
 * Reconciliation.
 * ------------------------------------------------------------------- */

/* Phase 1: removes every bridge and interface that is no longer wanted, or
 * wanted differently enough to need recreating, so that phase 2 can open
 * devices whose names were just freed (a port moved between bridges). */
static void
remove_unwanted(const struct hmap *wanted,
                const struct vsrec_bridge *const *brs, size_t n_brs)
{
    struct bridge *br, *next_br;
    HMAP_FOR_EACH_SAFE (br, next_br, node, &bridges) {
        const struct vsrec_bridge *rec = NULL;
        for (size_t i = 0; i < n_brs; i++) {
            if (!strcmp(brs[i]->name, br->name)) {
                rec = brs[i];
                break;
            }
        }
        if (!rec || strcmp(effective_datapath_type(rec), br->datapath_type)) {
            bridge_destroy(br);
            continue;
        }
        br->uuid = rec->header.uuid;

        struct iface *iface, *next;
        HMAP_FOR_EACH_SAFE (iface, next, node, &br->ifaces) {
            const struct wanted_iface *w = wanted_find(wanted, iface->name);
            if (!w || w->br != rec || w->is_local != iface->is_local
                || strcmp(wanted_type(w), iface->type)) {
                iface_destroy(iface);
            }
        }
    }
}

/* Opens the device of a new interface (or retries one that failed) and
 * applies its options and MTU, or reapplies what changed. */
static void
configure_iface(struct iface *iface, const struct wanted_iface *w)
{
    struct smap options;
    if (w->rec && !w->is_local) {
        smap_clone(&options, &w->rec->options);
    } else {
        smap_init(&options);
    }
    bool options_changed = !smap_equal(&options, &iface->options);

    iface->ofport_request = w->rec && w->rec->has_ofport_request
                            ? w->rec->ofport_request : 0;

    if (!iface->netdev) {
        char *error = NULL;
        bridge_dpif_iface_open(iface, &error);
        iface_set_error(iface, IFACE_ERR_OPEN, error);
        if (!iface->netdev) {
            smap_swap(&options, &iface->options);
            smap_destroy(&options);
            return;
        }
        options_changed = true;         /* A new device needs them. */
        iface->mtu_request = 0;
    }

    if (options_changed) {
        char *error = NULL;
        iface->config_failed
            = bridge_dpif_iface_set_options(iface, &options, &error) != 0;
        iface_set_error(iface, IFACE_ERR_CONFIG, error);
        smap_swap(&options, &iface->options);
        if (iface->config_failed && iface->ofport >= 0) {
            log_info("bridge %s: deleted interface %s on port %d",
                     iface->br->name, iface->name, iface->ofport);
            bridge_dpif_port_del(iface);
        }
    }
    smap_destroy(&options);

    int64_t mtu_request = w->rec && w->rec->has_mtu_request
                          ? w->rec->mtu_request : 0;
    if (mtu_request != iface->mtu_request) {
        char *error = NULL;
        if (mtu_request) {
            bridge_dpif_iface_set_mtu(iface, mtu_request, &error);
        }
        iface_set_error(iface, IFACE_ERR_MTU, error);
        iface->mtu_request = mtu_request;
    }
}

/* Gives every usable interface of 'br' its OpenFlow port number and puts
 * it into the datapath under that number. */
static void
assign_ofports(struct bridge *br)
{
    size_t n = hmap_count(&br->ifaces), n_slots = 0;
    struct ofport_slot *slots = xcalloc(n ? n : 1, sizeof *slots);
    struct iface **ifaces = xcalloc(n ? n : 1, sizeof *ifaces);
    struct iface *iface;

    HMAP_FOR_EACH (iface, node, &br->ifaces) {
        if (!iface->netdev || iface->config_failed) {
            iface_set_error(iface, IFACE_ERR_OFPORT, NULL);
            continue;
        }
        struct ofport_slot *s = &slots[n_slots];
        ifaces[n_slots++] = iface;
        s->name = iface->name;
        s->is_local = iface->is_local;
        s->requested = iface->ofport_request;
        s->current = iface->ofport > 0 ? iface->ofport : 0;
        s->hint = iface->db_ofport_hint > 0 ? iface->db_ofport_hint : 0;
    }

    ofport_alloc_assign(&br->ofports, slots, n_slots);

    /* Take out every port whose number changes before adding any, so that
     * numbers can move between interfaces. */
    for (size_t i = 0; i < n_slots; i++) {
        iface = ifaces[i];
        if (iface->ofport >= 0 && iface->ofport != slots[i].assigned) {
            log_info("bridge %s: moving interface %s from port %d to %d",
                     br->name, iface->name, iface->ofport,
                     slots[i].assigned);
            bridge_dpif_port_del(iface);
        }
    }
    for (size_t i = 0; i < n_slots; i++) {
        iface = ifaces[i];
        iface_set_error(iface, IFACE_ERR_OFPORT, slots[i].error);
        if (iface->ofport >= 0 || slots[i].assigned < 0) {
            continue;
        }
        char *error = NULL;
        if (!bridge_dpif_port_add(iface, slots[i].assigned, &error)) {
            log_info("bridge %s: added interface %s on port %d", br->name,
                     iface->name, iface->ofport);
            /* A new datapath port starts without these: reapply. */
            smap_clear(&iface->other_config);
            free(iface->vlan_key);
            iface->vlan_key = NULL;
        }
        iface_set_error(iface, IFACE_ERR_DPIF, error);
    }
    free(slots);
    free(ifaces);
}

/* Applies the per-port settings that need the interface in the datapath:
 * Interface:other_config and the Port's VLAN settings. */
static void
configure_port_settings(struct iface *iface, const struct wanted_iface *w)
{
    if (iface->ofport < 0) {
        return;
    }
    const struct smap *other_config = w->rec ? &w->rec->other_config : NULL;
    if (other_config && !smap_equal(other_config, &iface->other_config)) {
        bridge_dpif_port_set_config(iface, other_config);
        smap_destroy(&iface->other_config);
        smap_clone(&iface->other_config, other_config);
    }

    if (w->port) {
        char *key = bridge_dpif_vlan_key(w->port);
        if (!iface->vlan_key || strcmp(key, iface->vlan_key)) {
            char *error = NULL;
            bridge_dpif_port_set_vlan(iface, w->port, &error);
            iface_set_error(iface, IFACE_ERR_VLAN, error);
            free(iface->vlan_key);
            iface->vlan_key = key;
        } else {
            free(key);
        }
    }
}

/* Picks the bridge's MAC and datapath ID from its configuration and its
 * local port, and logs a change. */
static void
update_bridge_identity(struct bridge *br, const struct vsrec_bridge *rec)
{
    struct iface *local = bridge_find_iface(br, br->name);
    if (!local || !local->netdev) {
        return;
    }
    const char *hwaddr = smap_get(&rec->other_config, "hwaddr");
    bool hwaddr_changed = (hwaddr == NULL) != (br->hwaddr_config == NULL)
                          || (hwaddr && strcmp(hwaddr, br->hwaddr_config));
    struct eth_addr local_mac, mac;
    if (bridge_dpif_iface_get_mac(local, &local_mac)) {
        return;
    }

    char *warning = bridge_choose_mac(hwaddr, local_mac, &mac);
    if (warning) {
        if (hwaddr_changed) {
            log_warn("bridge %s: %s", br->name, warning);
        }
        free(warning);
    } else if (!eth_addr_equals(mac, local_mac)) {
        int error = bridge_dpif_iface_set_mac(local, mac);
        if (error) {
            log_warn("bridge %s: could not set its Ethernet address to "
                     ETH_ADDR_FMT ": %s", br->name, ETH_ADDR_ARGS(mac),
                     nfv_strerror(error));
        }
    }
    free(br->hwaddr_config);
    br->hwaddr_config = hwaddr ? xstrdup(hwaddr) : NULL;
    br->mac = mac;

    const char *dpid_config = smap_get(&rec->other_config, "datapath-id");
    uint64_t dpid;
    warning = bridge_choose_datapath_id(dpid_config, mac, &dpid);
    if (warning) {
        if (dpid != br->dpid) {
            log_warn("bridge %s: %s", br->name, warning);
        }
        free(warning);
    }
    if (dpid != br->dpid) {
        char buf[17];
        datapath_id_to_string(dpid, buf);
        log_info("bridge %s: using datapath ID %s", br->name, buf);
        br->dpid = dpid;
    }
}

/* Phase 2 for one bridge: creates what is missing and applies changes. */
static void
configure_bridge(const struct vsrec_bridge *rec, const struct hmap *wanted)
{
    struct bridge *br = bridge_find(rec->name);
    if (!br) {
        br = bridge_create(rec);
    }
    br->n_controllers = 0;
    br->controllers = xrealloc(br->controllers,
                               (rec->n_controllers ? rec->n_controllers : 1)
                               * sizeof *br->controllers);
    for (size_t i = 0; i < rec->n_controllers; i++) {
        const struct vsrec_controller *c = rec->controllers[i];
        br->controllers[br->n_controllers++] = c->header.uuid;
    }

    if (br->dpif && !smap_equal(&rec->other_config, &br->other_config)) {
        bridge_dpif_set_bridge_config(br, &rec->other_config);
        smap_destroy(&br->other_config);
        smap_clone(&br->other_config, &rec->other_config);
    }

    const struct wanted_iface *w;
    HMAP_FOR_EACH (w, node, wanted) {
        if (w->br != rec) {
            continue;
        }
        struct iface *iface = bridge_find_iface(br, w->name);
        if (!iface) {
            iface = xzalloc(sizeof *iface);
            iface->br = br;
            iface->name = xstrdup(w->name);
            iface->type = xstrdup(wanted_type(w));
            iface->is_local = w->is_local;
            iface->ofport = -1;
            smap_init(&iface->options);
            smap_init(&iface->other_config);
            if (w->rec && w->rec->has_ofport) {
                iface->db_ofport_hint = w->rec->ofport;
            }
            hmap_insert(&br->ifaces, &iface->node,
                        hash_string(iface->name, 0));
        }
        iface->has_row = w->rec != NULL;
        if (w->rec) {
            iface->uuid = w->rec->header.uuid;
        }
        if (br->dpif) {
            configure_iface(iface, w);
        }
    }

    if (!br->dpif) {
        return;
    }
    assign_ofports(br);
    HMAP_FOR_EACH (w, node, wanted) {
        struct iface *iface = w->br == rec ? bridge_find_iface(br, w->name)
                                           : NULL;
        if (iface) {
            configure_port_settings(iface, w);
        }
    }
    update_bridge_identity(br, rec);
    bridge_ofproto_configure(br, rec);
}

/* Brings the switch in line with the replica.  Does nothing while the
 * replica is not in sync with the server: the switch keeps its last
 * configuration until the resync completes. */
static void
bridge_reconfigure(void)
{
    if (!idl || !ovsdb_idl_is_synced(idl)) {
        return;
    }
    coverage_inc(bridge_reconfigure);

    struct vsrec_db *db = vsrec_db_build(idl);
    const struct vsrec_open_vswitch *ovs = db->open_vswitch;
    if (!ovs) {
        if (!db_uninitialised_logged) {
            log_info("database has no Open_vSwitch row yet (run "
                     "\"ovs-vsctl init\"); waiting for one");
            db_uninitialised_logged = true;
        }
    } else {
        db_uninitialised_logged = false;
        if (!global_config_applied
            || !smap_equal(&ovs->other_config, &global_config)) {
            bridge_dpif_set_global_config(&ovs->other_config);
            bridge_status_configure(&ovs->other_config);
            smap_destroy(&global_config);
            smap_clone(&global_config, &ovs->other_config);
            global_config_applied = true;
        }
    }

    if (ovs) {
        bridge_ofproto_configure_ssl(ovs->ssl);
    }
    struct rejected_iface *old_rejected = rejected;
    size_t n_old_rejected = n_rejected;
    rejected = NULL;
    n_rejected = 0;
    struct hmap wanted;
    hmap_init(&wanted);
    const struct vsrec_bridge **brs;
    size_t n_brs;
    collect_wanted(ovs, &brs, &n_brs, &wanted, old_rejected, n_old_rejected);
    free_rejected(old_rejected, n_old_rejected);

    remove_unwanted(&wanted, brs, n_brs);
    for (size_t i = 0; i < n_brs; i++) {
        configure_bridge(brs[i], &wanted);
    }

    free(brs);
    wanted_destroy(&wanted);
    for (size_t i = 0; i < n_hooks; i++) {
        hooks[i].cb(db, hooks[i].aux);
    }
    if (ovs) {
        bridge_status_commit_reconfigure(ovs->next_cfg);
    }
    vsrec_db_destroy(db);
}

void
vswitchd_register_reconfigure_hook(vswitchd_reconfigure_cb *cb, void *aux)
{
    for (size_t i = 0; i < n_hooks; i++) {
        if (hooks[i].cb == cb && hooks[i].aux == aux) {
            return;
        }
    }
    if (n_hooks >= MAX_RECONFIGURE_HOOKS) {
        log_abort("too many reconfiguration hooks");
    }
    hooks[n_hooks++] = (struct reconfigure_hook) { cb, aux };
}

/* ---------------------------------------------------------------------
 * IDL callbacks, memory/show, life cycle.
 * ------------------------------------------------------------------- */

static void
on_db_change(struct ovsdb_idl *idl_, void *aux)
{
    bridge_reconfigure();
    ovsdb_idl_track_clear(idl_);
}

static void
on_db_connection(struct ovsdb_idl *idl_, bool connected, void *aux)
{
    if (connected) {
        log_info("connected to database %s", ovsdb_idl_get_remote(idl_));
    } else {
        const char *why = ovsdb_idl_get_last_error(idl_);
        log_warn("lost database connection%s%s; keeping the last "
                 "configuration", why ? ": " : "", why ? why : "");
    }
}

static const struct ovsdb_idl_cbs idl_cbs = {
    .on_change = on_db_change,
    .on_connection = on_db_connection,
};

static void
report_memory(struct memory_report *report, void *aux)
{
    size_t n_ports = 0;
    const struct bridge *br;
    HMAP_FOR_EACH (br, node, &bridges) {
        const struct iface *iface;
        HMAP_FOR_EACH (iface, node, &br->ifaces) {
            n_ports += iface->ofport >= 0;
        }
    }
    memory_report_add(report, "bridges", hmap_count(&bridges));
    memory_report_add(report, "ports", n_ports);

    if (idl) {
        unsigned long long cells = 0;
        for (size_t i = 0; i < ovsdb_idl_n_tables(idl); i++) {
            const struct ovsdb_idl_table *t = ovsdb_idl_table_at(idl, i);
            size_t n_columns = 0;
            for (size_t j = 0; j < t->n_columns; j++) {
                n_columns += t->columns[j].monitored;
            }
            cells += (unsigned long long) n_columns
                     * ovsdb_idl_table_n_rows(t);
        }
        char *key = xasprintf("idl-cells-%s", ovsdb_idl_get_db_name(idl));
        memory_report_add(report, key, cells);
        free(key);
    }
}

void
vswitchd_init(const char *remote)
{
    hmap_init(&bridges);
    smap_init(&global_config);
    bridge_dpif_init();
    bridge_ofproto_init();
    idl = ovsdb_idl_create(remote, "Open_vSwitch", &idl_cbs, NULL);
    bridge_status_init(idl);
    memory_register_reporter(report_memory, NULL);
}

void
vswitchd_exit(bool cleanup)
{
    memory_unregister_reporter(report_memory, NULL);
    bridge_status_exit();
    /* Userspace datapath ports do not outlive the process (TAP devices and
     * vhost-user sockets go with it), so "--cleanup" and a plain exit both
     * remove everything; closing them here does it in order. */
    struct bridge *br, *next;
    HMAP_FOR_EACH_SAFE (br, next, node, &bridges) {
        bridge_destroy(br);
    }
    hmap_destroy(&bridges);
    free_rejected(rejected, n_rejected);
    rejected = NULL;
    n_rejected = 0;
    smap_destroy(&global_config);
    if (idl) {
        ovsdb_idl_destroy(idl);
        idl = NULL;
    }
    (void) cleanup;
}
