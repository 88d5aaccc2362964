/* bridge-ofproto.c: see bridge-ofproto.h. */
#include <config.h>
#include "vswitchd/bridge-ofproto.h"

#include <stdlib.h>
#include <string.h>
#include "ofproto/connmgr.h"
#include "ofproto/ofproto.h"
#include "openflow/ofp-actions.h"
#include "ovsdb/vswitch-rec.h"
#include "stream/stream-ssl.h"
#include "util/smap.h"
#include "vswitchd/bridge-status.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(bridge_ofproto);

void
bridge_ofproto_create(struct bridge *br)
{
    if (!br->dpif || br->ofproto) {
        return;
    }
    br->ofproto = ofproto_create(br->name, br->dpif);
    br->connmgr = connmgr_create(br->ofproto);
}

void
bridge_ofproto_destroy(struct bridge *br)
{
    connmgr_destroy(br->connmgr);
    br->connmgr = NULL;
    ofproto_destroy(br->ofproto);
    br->ofproto = NULL;
}

static uint32_t
to_openflow_port(int ofport)
{
    return ofport == 65534 ? OFPP_LOCAL : (uint32_t) ofport;
}

void
bridge_ofproto_configure(struct bridge *br, const struct vsrec_bridge *rec)
{
    if (!br->ofproto) {
        return;
    }
    struct ofproto *p = br->ofproto;
    ofproto_set_datapath_id(p, br->dpid);

    /* Ports: add the ones in the datapath, remove the others. */
    size_t n_ports;
    struct ofp_port *ports = ofproto_get_ports(p, &n_ports);
    for (size_t i = 0; i < n_ports; i++) {
        bool keep = false;
        struct iface *iface;
        HMAP_FOR_EACH (iface, node, &br->ifaces) {
            if (iface->ofport >= 0 && iface->netdev
                && to_openflow_port(iface->ofport) == ports[i].port_no
                && !strcmp(iface->name, ports[i].name)) {
                keep = true;
            }
        }
        if (!keep) {
            ofproto_port_del(p, ports[i].port_no);
        }
    }
    free(ports);
    struct iface *iface;
    HMAP_FOR_EACH (iface, node, &br->ifaces) {
        if (iface->ofport >= 0 && iface->netdev) {
            ofproto_port_add(p, to_openflow_port(iface->ofport),
                             iface->netdev, iface->name);
        }
    }

    ofproto_set_fail_mode(p, rec->fail_mode
                             && !strcmp(rec->fail_mode, "secure")
                          ? OFPROTO_FAIL_SECURE : OFPROTO_FAIL_STANDALONE);
    connmgr_set_versions(br->connmgr,
                         connmgr_parse_protocols(rec->protocols,
                                                 rec->n_protocols));

    struct connmgr_controller *cfg = xcalloc(rec->n_controllers + 1,
                                             sizeof *cfg);
    for (size_t i = 0; i < rec->n_controllers; i++) {
        const struct vsrec_controller *c = rec->controllers[i];
        cfg[i].target = c->target;
        cfg[i].max_backoff_ms = c->has_max_backoff ? c->max_backoff : 0;
        cfg[i].probe_interval_ms = c->has_inactivity_probe
                                   ? c->inactivity_probe : -1;
    }
    connmgr_set_controllers(br->connmgr, cfg, rec->n_controllers);
    free(cfg);
    ofproto_publish(p);
}

void
bridge_ofproto_configure_ssl(const struct vsrec_ssl *ssl)
{
    if (ssl) {
        stream_ssl_configure(ssl->private_key, ssl->certificate,
                             ssl->ca_cert, ssl->bootstrap_ca_cert);
    }
}

static bool
controller_status_cb(const char *bridge, const char *target,
                     struct controller_status *cs, void *aux)
{
    (void) aux;
    struct bridge *br = bridge_find(bridge);
    if (!br || !br->connmgr) {
        return false;
    }
    return connmgr_get_controller_status(br->connmgr, target,
                                         &cs->is_connected, &cs->role,
                                         &cs->status);
}

void
bridge_ofproto_init(void)
{
    bridge_status_set_controller_source(controller_status_cb, NULL);
}
