/* netdev-provider.h: the interface between netdev.c and the port kinds
 * (netdev-dpdk.c, netdev-vhost.c, netdev-tap.c), and the hot-path calls
 * the datapath makes on PMD threads.  Not for the bridge layer. */
#ifndef OVSNFV_NETDEV_PROVIDER_H
#define OVSNFV_NETDEV_PROVIDER_H 1

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>
#include "netdev/netdev.h"

struct smap;
struct netdev_class;

/* Most transmit queues a netdev uses; PMDs beyond it share queues. */
#define NETDEV_MAX_TXQ 64

/* Hooks the datapath installs on a netdev it polls: netdev.c calls
 * 'pause' before a provider reconfigures the device (the datapath stops
 * polling it and waits for the PMDs) and 'resume' afterwards. */
struct netdev_dp_hooks {
    void (*pause)(struct netdev *, void *aux);
    void (*resume)(struct netdev *, void *aux);
    void *aux;
};

struct netdev {
    const struct netdev_class *class;
    char *name;
    char *type;
    int numa_id;

    /* Queues the datapath may use now.  Changed only between pause and
     * resume (main thread), read by PMDs under RCU. */
    int n_rxq;
    int n_txq;
    bool txq_needs_lock;        /* Fewer tx queues than transmitting threads. */
    rte_spinlock_t txq_locks[NETDEV_MAX_TXQ];

    /* Set by providers (any thread) when the datapath should call
     * netdev_reconfigure() from the main thread. */
    atomic_bool reconfigure_pending;

    atomic_uint_fast64_t change_seq;

    /* Software counters, updated by PMDs with relaxed atomics. */
    atomic_uint_fast64_t tx_dropped;
    atomic_uint_fast64_t rx_dropped;

    struct netdev_dp_hooks dp_hooks;
    char *error;                /* Last configuration error, or NULL. */
};

struct netdev_class {
    const char *type;
    bool needs_dpdk;

    /* Allocates the provider's object (embedding struct netdev). */
    struct netdev *(*alloc)(void);
    /* Sets up the device; on error returns errno and sets '*errp'. */
    int (*construct)(struct netdev *, char **errp);
    void (*destruct)(struct netdev *);
    void (*dealloc)(struct netdev *);

    /* Records new options.  Returns 0 or errno with '*errp'.  Sets
     * '*restart' if netdev_reconfigure() must run (with the datapath
     * paused). */
    int (*set_config)(struct netdev *, const struct smap *options,
                      bool *restart, char **errp);
    /* Applies pending configuration while nobody polls the device.
     * Updates n_rxq/n_txq.  Returns 0 or errno (message in '*errp'). */
    int (*reconfigure)(struct netdev *, char **errp);

    int (*set_mtu)(struct netdev *, int mtu, bool *restart);
    int (*get_mtu)(const struct netdev *, int *mtu);
    int (*get_etheraddr)(const struct netdev *, struct eth_addr *);
    int (*set_etheraddr)(struct netdev *, struct eth_addr);
    enum netdev_link_state (*get_link_state)(const struct netdev *);
    uint64_t (*get_link_resets)(const struct netdev *);
    int (*get_speed)(const struct netdev *, uint32_t *mbps, bool *full);
    int (*get_ifindex)(const struct netdev *);
    int (*get_stats)(const struct netdev *, struct netdev_stats *);
    int (*get_status)(const struct netdev *, struct smap *);
    /* "key=value, ..." for dpif/show (malloc'd), may be NULL. */
    char *(*get_config_text)(const struct netdev *);
    /* Main-thread periodic work (link state polling...). */
    void (*run)(struct netdev *);
    /* The number of transmitting threads changed: a provider that can
     * give each its own queue asks for a reconfiguration.  May be NULL. */
    void (*tx_users_changed)(struct netdev *, int users);
    /* Whether rx queue 'qid' is enabled (vhost: by the guest).  NULL means
     * always. */
    bool (*rxq_enabled)(const struct netdev *, int qid);

    /* ---- PMD threads ---- */

    /* Receives up to 'max' packets from rx queue 'qid'. */
    int (*rxq_recv)(struct netdev *, int qid, struct rte_mbuf **, int max);
    /* Transmits 'n' packets on tx queue 'qid' (< n_txq; the caller holds
     * the queue's lock if needed).  Never blocks: packets not sent after a
     * bounded retry are freed.  Returns the number sent. */
    int (*send)(struct netdev *, int qid, struct rte_mbuf **, int n);
};

/* Registered kinds. */
extern const struct netdev_class netdev_dpdk_class;
extern const struct netdev_class netdev_vhost_server_class;
extern const struct netdev_class netdev_vhost_client_class;
extern const struct netdev_class netdev_tap_class;

/* Marks 'netdev' changed (bumps its and the global change number).  Any
 * thread. */
void netdev_changed(struct netdev *);

/* Asks the main thread to run netdev_reconfigure() soon.  Any thread. */
void netdev_request_reconfigure(struct netdev *);

/* True if a reconfiguration is pending.  Main thread. */
bool netdev_reconfigure_pending(const struct netdev *);

/* Pauses the datapath (if any), applies the pending configuration and
 * resumes it.  Returns 0 or errno (and records the error for
 * Interface:error, see netdev_get_error()).  Main thread. */
int netdev_reconfigure(struct netdev *);

/* The last configuration error, or NULL. */
const char *netdev_get_error(const struct netdev *);

/* Installs (or with NULL functions removes) the datapath's hooks. */
void netdev_set_dp_hooks(struct netdev *, const struct netdev_dp_hooks *);

/* Number of threads that may transmit concurrently (PMDs + main); the
 * datapath sets it so netdevs know when tx queues must be shared. */
void netdev_set_tx_users(int n);
int netdev_get_tx_users(void);

/* Tells 'netdev' how many threads transmit now (see tx_users_changed). */
void netdev_tx_users_changed(struct netdev *, int users);

/* Whether rx queue 'qid' is enabled, for pmd-rxq-show. */
bool netdev_rxq_enabled(const struct netdev *, int qid);

/* Main-thread periodic work for every open netdev. */
void netdev_run_all(void);

/* Hot path: transmits 'n' packets from transmitting thread 'tx_id'
 * (0..tx users-1), picking a queue and locking it only when shared.
 * Frees what it cannot send and counts it in tx_dropped.  PMD threads. */
static inline int
netdev_send_burst(struct netdev *dev, int tx_id, struct rte_mbuf **pkts,
                  int n)
{
    int n_txq = dev->n_txq;
    if (n_txq <= 0) {
        rte_pktmbuf_free_bulk(pkts, n);
        atomic_fetch_add_explicit(&dev->tx_dropped, n, memory_order_relaxed);
        return 0;
    }
    int qid = tx_id % n_txq;
    int sent;
    if (dev->txq_needs_lock) {
        rte_spinlock_lock(&dev->txq_locks[qid]);
        sent = dev->class->send(dev, qid, pkts, n);
        rte_spinlock_unlock(&dev->txq_locks[qid]);
    } else {
        sent = dev->class->send(dev, qid, pkts, n);
    }
    return sent;
}

/* Frees pkts[sent..n-1] and counts them as transmit drops.  For
 * providers' send().  PMD threads. */
static inline void
netdev_drop_unsent(struct netdev *dev, struct rte_mbuf **pkts, int sent,
                   int n)
{
    if (sent < n) {
        rte_pktmbuf_free_bulk(pkts + sent, n - sent);
        atomic_fetch_add_explicit(&dev->tx_dropped, n - sent,
                                  memory_order_relaxed);
    }
}

#endif
