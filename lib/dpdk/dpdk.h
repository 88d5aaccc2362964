/* dpdk.h: DPDK environment (EAL) set-up from Open_vSwitch:other_config,
 * mbuf pools per NUMA node and MTU, and the per-packet metadata field.
 *
 * Main thread only, unless stated otherwise. */
#ifndef OVSNFV_DPDK_H
#define OVSNFV_DPDK_H 1

#include <stdbool.h>
#include <stdint.h>

struct smap;
struct rte_mempool;

/* Initialises DPDK from 'ovs_other_config' the first time dpdk-init is
 * "true" or "try" (later calls are no-ops).  Returns 0 if DPDK is (now)
 * initialised or not requested, otherwise a positive errno (with "try") -
 * with "true" a failing EAL exits the process, as OVS does. */
int dpdk_init_from_config(const struct smap *ovs_other_config);

/* True once rte_eal_init() succeeded.  Any thread. */
bool dpdk_available(void);

/* "DPDK 22.11.x", or "" before initialisation.  Any thread. */
const char *dpdk_version_string(void);

/* Directory of vhost-user server sockets: other_config:vhost-sock-dir
 * below $OVS_RUNDIR (default $OVS_RUNDIR itself). */
const char *dpdk_vhost_sock_dir(void);

/* other_config:vhost-iommu-support. */
bool dpdk_vhost_iommu_enabled(void);

/* other_config:per-port-memory. */
bool dpdk_per_port_memory(void);

/* Returns an mbuf pool for frames up to 'mtu' on NUMA node 'numa'
 * (shared between ports with the same pair, or a private one for
 * 'port_name' with per-port-memory=true).  The pool is reference counted:
 * pair each successful call with dpdk_mempool_put().  NULL on failure
 * (logged). */
struct rte_mempool *dpdk_mempool_get(int numa, int mtu,
                                     const char *port_name);
void dpdk_mempool_put(struct rte_mempool *);

/* The offset of the ovs-nfv per-packet metadata (struct pkt_meta, see
 * packet/pkt-meta.h) in every mbuf's dynamic field area; valid after
 * DPDK initialisation.  Any thread. */
extern int dpdk_pkt_meta_offset;

#endif
