/* netdev.h: network devices (ports) of the userspace datapath.
 *
 * A netdev is one Interface row's device: a DPDK ethdev ("dpdk"), a
 * vhost-user socket ("dpdkvhostuser", "dpdkvhostuserclient") or the
 * bridge's local TAP device ("internal").  Each kind is a provider (see
 * netdev-provider.h); this header is what the bridge layer and the datapath
 * use.
 *
 * Life cycle, as the bridge drives it from OVSDB:
 *
 *     netdev_open(iface->name, iface->type, &dev)      -- once per row
 *     netdev_set_config(dev, &iface->options, &err)    -- on every change
 *     netdev_set_mtu(dev, iface->mtu_request)          -- if set
 *     dpif_port_add(dpif, dev, ofport)                 -- see dpif.h
 *     ... netdev_get_status/stats/mtu/etheraddr/carrier for the row ...
 *     dpif_port_del(dpif, ofport); netdev_close(dev)
 *
 * Errors are values: 0 or a positive errno; where the user must see why
 * (Interface:error), the function also returns a malloc'd message.
 *
 * Threads: every function here is for the main (control) thread only,
 * unless its comment says otherwise.  PMD threads use the provider's
 * receive/send functions through the datapath, never this API. */
#ifndef OVSNFV_NETDEV_H
#define OVSNFV_NETDEV_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "packet/eth-addr.h"

struct netdev;
struct smap;

/* Interface:statistics, with the column's key names in the comments.
 * UINT64_MAX means "not supported by this device" (omit the key). */
struct netdev_stats {
    uint64_t rx_packets;        /* rx_packets */
    uint64_t tx_packets;        /* tx_packets */
    uint64_t rx_bytes;          /* rx_bytes */
    uint64_t tx_bytes;          /* tx_bytes */
    uint64_t rx_errors;         /* rx_errors */
    uint64_t tx_errors;         /* tx_errors */
    uint64_t rx_dropped;        /* rx_dropped */
    uint64_t tx_dropped;        /* tx_dropped: queue full, no retry left */
    uint64_t multicast;         /* rx_multicast_packets */
    uint64_t rx_missed;         /* rx_missed_errors (device ran out) */
};

/* Link state, for Interface:link_state. */
enum netdev_link_state {
    NETDEV_LINK_DOWN,
    NETDEV_LINK_UP,
};

/* Device kinds this build supports, for Open_vSwitch:iface_types.
 * Returns a static NULL-terminated array of type names ("dpdk",
 * "dpdkvhostuser", "dpdkvhostuserclient", "internal").  Any thread. */
const char *const *netdev_supported_types(void);

/* True if 'type' ("" counts as "system", which is unsupported) is one of
 * netdev_supported_types().  Any thread. */
bool netdev_type_is_supported(const char *type);

/* Opens device 'name' of 'type' (Interface:name and Interface:type; an
 * empty or NULL type means "system", which this datapath rejects).
 * Creates nothing visible yet for dpdk ports: the device is probed on the
 * first netdev_set_config() that gives it dpdk-devargs.  vhost-user server
 * ports create their socket <vhost-sock-dir>/<name> here.  On success
 * stores the new netdev in '*netdevp' and returns 0.  On failure returns a
 * positive errno and, if 'errp' is nonnull, a malloc'd message for
 * Interface:error in '*errp' (the caller frees it).  Opening a DPDK kind
 * before DPDK is initialised fails with EOPNOTSUPP and such a message. */
int netdev_open(const char *name, const char *type, struct netdev **netdevp,
                char **errp);

/* Releases 'netdev' (NULL is allowed).  The caller must have removed it
 * from its datapath first.  Closes the ethdev / unregisters the vhost
 * socket / deletes the TAP device. */
void netdev_close(struct netdev *netdev);

/* Applies Interface:options.  Keys by type:
 *   dpdk:                dpdk-devargs (required), n_rxq, n_txq_desc,
 *                        n_rxq_desc
 *   dpdkvhostuser:       (queues are negotiated by the guest)
 *   dpdkvhostuserclient: vhost-server-path (required)
 *   internal:            none
 * Unknown keys are ignored with a log line.  A change that needs the device
 * restarted (devargs, n_rxq, descriptors) is applied now; a port already in
 * a datapath is re-queued on the PMDs by the datapath itself.  Returns 0 or
 * a positive errno with a malloc'd message in '*errp' (if nonnull) for
 * Interface:error; the device then stays unusable but open. */
int netdev_set_config(struct netdev *netdev, const struct smap *options,
                      char **errp);

/* Sets the MTU (Interface:mtu_request).  Returns 0 or a positive errno
 * (EINVAL for an MTU the device cannot take). */
int netdev_set_mtu(struct netdev *netdev, int mtu);

/* Current MTU in '*mtup' (Interface:mtu).  Returns 0 or EOPNOTSUPP. */
int netdev_get_mtu(const struct netdev *netdev, int *mtup);

/* Interface:mac_in_use.  Returns 0 or a positive errno. */
int netdev_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac);

/* Interface:mac (for dpdk and internal ports).  Returns 0 or a positive
 * errno (EOPNOTSUPP for vhost-user ports). */
int netdev_set_etheraddr(struct netdev *netdev, struct eth_addr mac);

/* Interface:link_state: for dpdk the device's link, for vhost-user up only
 * while the guest driver has the device running, internal always up. */
enum netdev_link_state netdev_get_link_state(const struct netdev *netdev);

/* Number of times the link went down and up again (Interface:link_resets). */
uint64_t netdev_get_link_resets(const struct netdev *netdev);

/* Link speed in Mbit/s in '*mbps' and full duplex in '*full_duplex'
 * (Interface:link_speed is bits/s: multiply by 1,000,000).  Returns 0, or
 * EOPNOTSUPP when the device does not report a speed. */
int netdev_get_speed(const struct netdev *netdev, uint32_t *mbps,
                     bool *full_duplex);

/* Interface:ifindex: the kernel ifindex of internal ports, 0 for others. */
int netdev_get_ifindex(const struct netdev *netdev);

/* Interface:statistics.  Any thread (reads counters the PMDs update with
 * relaxed atomics).  Returns 0 or a positive errno. */
int netdev_get_stats(const struct netdev *netdev, struct netdev_stats *stats);

/* Interface:status: adds type-specific keys to 'status' (which the caller
 * initialised), e.g. for dpdk: port_no, numa_id, driver_name, if_descr,
 * max_rx_queues, max_tx_queues, n_rxq, n_txq, rx_csum_offload...; for
 * vhost-user: mode (server/client), socket path, n_rxq, n_txq, numa_id.
 * Returns 0 or a positive errno. */
int netdev_get_status(const struct netdev *netdev, struct smap *status);

/* The error of the device's last (re)configuration, for Interface:error,
 * or NULL if it is working.  Configuration can also happen later on its
 * own (a vhost guest negotiating queues, more PMDs wanting more tx
 * queues), so the bridge should re-read this when the change number moves.
 * The string belongs to the netdev. */
const char *netdev_get_error(const struct netdev *netdev);

/* Interface:name and Interface:type as given to netdev_open(). */
const char *netdev_get_name(const struct netdev *netdev);
const char *netdev_get_type(const struct netdev *netdev);

/* NUMA node of the device (0 when unknown). */
int netdev_get_numa_id(const struct netdev *netdev);

/* A number that changes whenever anything netdev_get_*() reports may have
 * changed (link, queues, MTU, vhost connection).  The bridge polls it to
 * decide when to rewrite the Interface row.  Any thread. */
uint64_t netdev_get_change_seq(const struct netdev *netdev);

/* Global change number: moves when any netdev's change_seq moves. */
uint64_t netdev_global_change_seq(void);

#endif
