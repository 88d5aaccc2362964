/* dpif.h: the userspace (DPDK) datapath.
 *
 * One process-wide set of PMD threads polls the receive queues of every
 * port of every datapath.  A datapath (struct dpif) is one bridge: its
 * ports, its forwarding (until the OpenFlow pipeline exists: an L2 learning
 * switch, the NORMAL action, plus optional port-to-port rules), its MAC
 * table.  The bridge layer configures everything here from OVSDB:
 *
 *     dpif_init()                                   -- once, after mainloop_init()
 *     dpif_set_global_config(&ovs->other_config)    -- on every change; the
 *                                                      first call with dpdk-init
 *                                                      initialises DPDK
 *     dpif_create(br->name, &dp)                    -- per Bridge row
 *     dpif_set_bridge_config(dp, &br->other_config)
 *     dpif_port_add(dp, netdev, ofport)             -- per Interface
 *     dpif_port_set_config(dp, ofport, &iface->other_config)
 *     dpif_port_set_vlan(dp, ofport, &vlan)         -- from the Port row
 *     ...
 *     dpif_port_del(dp, ofport); dpif_destroy(dp)
 *
 * Threads: all functions are for the main (control) thread, unless stated
 * otherwise.  None of them blocks a PMD thread: port lists and tables are
 * replaced under the PMDs with RCU (rte_rcu_qsbr), and functions that take
 * something away (port_del, destroy) wait for a grace period before they
 * return, so the caller may free what it passed in afterwards.
 *
 * ovs-appctl commands registered by dpif_init(): dpif-netdev/pmd-stats-show,
 * dpif-netdev/pmd-stats-clear, dpif-netdev/pmd-rxq-show,
 * dpif-netdev/pmd-perf-show, dpif-netdev/pmd-rxq-rebalance, dpif/show,
 * fdb/show, fdb/flush. */
#ifndef OVSNFV_DPIF_H
#define OVSNFV_DPIF_H 1

#include <stdbool.h>
#include <stdint.h>
#include "netdev/netdev.h"

struct dpif;
struct smap;

/* OpenFlow port number of a bridge's local (internal) port. */
#define DPIF_PORT_LOCAL 65534u
/* Largest OpenFlow port number a dpif accepts besides DPIF_PORT_LOCAL. */
#define DPIF_PORT_MAX 65279u

/* ---- Process-wide ---- */

/* Registers the ovs-appctl commands and the datapath's main-loop timer
 * (which watches netdevs for changes, runs auto load balancing and applies
 * pending PMD reconfiguration).  Idempotent.  Call after mainloop_init(). */
void dpif_init(void);

/* Applies Open_vSwitch:other_config.  Keys:
 *   DPDK (read on the first call where dpdk-init is "true" or "try"; later
 *   changes need a restart, as in OVS): dpdk-init, dpdk-lcore-mask,
 *   dpdk-socket-mem, dpdk-socket-limit, dpdk-alloc-mem, dpdk-hugepage-dir,
 *   dpdk-extra, vhost-sock-dir, vhost-iommu-support, per-port-memory.
 *   dpdk-init=true and a failing EAL is fatal (as in OVS); "try" logs and
 *   continues without DPDK.
 *   PMDs (any time): pmd-cpu-mask (hex, with or without 0x; default one
 *   core per NUMA node with ports, never the main thread's core),
 *   pmd-rxq-assign (roundrobin | cycles | group; default cycles),
 *   pmd-rxq-isolate (default true), pmd-auto-lb (default false),
 *   pmd-auto-lb-load-threshold (percent, default 95),
 *   pmd-auto-lb-improvement-threshold (percent, default 25),
 *   pmd-auto-lb-rebal-interval (minutes, default 1; 0 means 1).
 * Changing pmd-cpu-mask adds/removes PMD threads and moves rx queues
 * without restarting ports.  Bad values are logged and the default used.
 * Returns 0, or a positive errno if DPDK initialisation failed (try). */
int dpif_set_global_config(const struct smap *ovs_other_config);

/* For Open_vSwitch:dpdk_initialized and Open_vSwitch:dpdk_version
 * (e.g. "DPDK 22.11.1"; "" before DPDK is initialised). */
bool dpif_dpdk_initialized(void);
const char *dpif_dpdk_version(void);

/* ---- Per bridge ---- */

/* Creates the datapath of bridge 'name' (Bridge:name), forwarding NORMAL
 * (learning switch).  Returns 0 and the dpif in '*dpifp', or EEXIST. */
int dpif_create(const char *name, struct dpif **dpifp);

/* Removes all ports (without closing their netdevs) and frees 'dpif'
 * (NULL is allowed).  Returns after the PMDs stopped using it. */
void dpif_destroy(struct dpif *dpif);

const char *dpif_name(const struct dpif *dpif);

/* Looks up a datapath by bridge name; NULL if none. */
struct dpif *dpif_lookup(const char *name);

/* Applies Bridge:other_config: mac-aging-time (seconds, default 300),
 * mac-table-size (entries, default 2048). */
void dpif_set_bridge_config(struct dpif *dpif,
                            const struct smap *bridge_other_config);

/* Adds 'netdev' as OpenFlow port 'ofp_port' (1..DPIF_PORT_MAX, or
 * DPIF_PORT_LOCAL for the bridge's internal port).  The dpif does not own
 * the netdev: the caller closes it after dpif_port_del().  Its rx queues
 * are assigned to PMD threads (internal ports are served by the main
 * thread instead).  Returns 0, EEXIST (number or netdev already in use),
 * EINVAL (bad number). */
int dpif_port_add(struct dpif *dpif, struct netdev *netdev,
                  uint32_t ofp_port);

/* Removes port 'ofp_port'; safe while traffic flows.  Returns 0 or ENOENT.
 * On return no PMD touches the netdev any more. */
int dpif_port_del(struct dpif *dpif, uint32_t ofp_port);

/* Applies Interface:other_config of a port: pmd-rxq-affinity
 * ("QUEUE:CORE,QUEUE:CORE", e.g. "0:3,1:7").  Queues pinned this way go
 * to that core's PMD (which, with pmd-rxq-isolate=true, then polls only
 * pinned queues).  Returns 0, ENOENT, or EINVAL for a malformed value
 * (logged; the port keeps its previous affinity). */
int dpif_port_set_config(struct dpif *dpif, uint32_t ofp_port,
                         const struct smap *iface_other_config);

/* Port:vlan_mode. */
enum dpif_vlan_mode {
    DPIF_VLAN_TRUNK,            /* Tagged frames of 'trunks' only. */
    DPIF_VLAN_ACCESS,           /* Untagged frames, member of 'tag'. */
    DPIF_VLAN_NATIVE_TAGGED,    /* Trunk; untagged frames go to 'tag', and
                                 * 'tag' leaves tagged. */
    DPIF_VLAN_NATIVE_UNTAGGED,  /* Trunk; untagged in and out on 'tag'. */
};

/* A Port row's VLAN configuration, as the bridge resolves it (OVS's
 * defaults: no vlan_mode means access if 'tag' is set, trunk otherwise). */
struct dpif_vlan_config {
    enum dpif_vlan_mode mode;
    int tag;                    /* Port:tag, 0..4095, or -1 for none. */
    bool all_vlans;             /* Port:trunks empty: every VLAN allowed. */
    uint64_t trunks[4096 / 64]; /* Port:trunks bitmap when !all_vlans. */
};

/* Applies a Port row's VLAN configuration to 'ofp_port'.  Returns 0,
 * ENOENT, or EINVAL (tag out of range, or access mode without a tag). */
int dpif_port_set_vlan(struct dpif *dpif, uint32_t ofp_port,
                       const struct dpif_vlan_config *vlan);

/* Interface:statistics of 'ofp_port': the netdev's counters plus the
 * datapath's own drops on that port.  Returns 0 or ENOENT. */
int dpif_port_get_stats(const struct dpif *dpif, uint32_t ofp_port,
                        struct netdev_stats *stats);

/* The datapath port number (dpctl/show, dump-flows) of OpenFlow port
 * 'ofp_port', or 'ofp_port' itself if there is no such port.  Main
 * thread. */
uint32_t dpif_port_odp_no(const struct dpif *dpif, uint32_t ofp_port);

/* Forgets every learned MAC address of 'dpif'. */
void dpif_fdb_flush(struct dpif *dpif);

/* ---- OpenFlow pipeline ---- */

struct ofpipe;
struct ofpipe_act;

/* Publishes 'pipe' (see ofproto/ofpipe.h; NULL = plain NORMAL) as the
 * OpenFlow pipeline of 'dpif', waits until no PMD uses the previous one,
 * and frees it with ofpipe_destroy().  'dpif' owns 'pipe' from now on. */
void dpif_set_pipeline(struct dpif *dpif, struct ofpipe *pipe);

/* The pipeline currently published (main thread's view), or NULL. */
const struct ofpipe *dpif_get_pipeline(const struct dpif *dpif);

/* Runs the 'n_acts' compiled actions 'acts' on a packet with the 'len'
 * bytes at 'data' as if received on 'in_port' (OFPP_CONTROLLER, LOCAL or a
 * port), in the main thread: OpenFlow packet-out.  An OPA_TABLE action
 * runs the current pipeline.  Returns 0, ENODEV (no DPDK), ENOBUFS or
 * EMSGSIZE. */
int dpif_execute(struct dpif *dpif, const void *data, size_t len,
                 uint32_t in_port, const struct ofpipe_act *acts,
                 size_t n_acts);

/* Calls 'cb' for every port of 'dpif' that the packet path can use (main
 * thread): OpenFlow port number and netdev. */
typedef void dpif_port_visit_cb(uint32_t ofp_port, struct netdev *netdev,
                                void *aux);
void dpif_port_for_each(const struct dpif *dpif, dpif_port_visit_cb *cb,
                        void *aux);

#endif
