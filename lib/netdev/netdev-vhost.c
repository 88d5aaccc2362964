/* netdev-vhost.c: vhost-user ports through DPDK's rte_vhost library.
 *
 * "dpdkvhostuser": the switch is the socket server at
 * <vhost-sock-dir>/<name>.  "dpdkvhostuserclient": the switch connects to
 * options:vhost-server-path and reconnects when the peer restarts.
 *
 * rte_vhost calls new_device/destroy_device/vring_state_changed on its own
 * thread.  They publish the device id and queue states with atomics; the
 * queue count, which the datapath must re-spread over PMDs, changes
 * through netdev_request_reconfigure() on the main thread.  destroy_device
 * waits for an RCU grace period so no PMD is inside a burst call on the
 * vanished device when it returns (rte_vhost calls it without holding any
 * queue lock); vring_state_changed must not wait (see there). */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/virtio_net.h>
#include <rte_vhost.h>
#include "dpdk/dpdk.h"
#include "dpdk/rcu.h"
#include "netdev/netdev-provider.h"
#include "util/list.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(netdev_vhost);

#define VHOST_MAX_QP 16
#define VHOST_TX_RETRIES 8

struct vhost_queue_stats {
    atomic_uint_fast64_t packets;
    atomic_uint_fast64_t bytes;
    atomic_uint_fast64_t dropped;
};

struct netdev_vhost {
    struct netdev up;
    struct list_node node;      /* In 'vhost_devs', under vhost_mutex. */
    bool client;
    char *path;                 /* Socket path, NULL until known. */
    bool registered;
    atomic_int vid;             /* -1 when no guest is attached. */
    atomic_int guest_qp;        /* Queue pairs the guest negotiated. */
    atomic_int guest_numa;      /* NUMA node of the guest's memory. */
    atomic_bool rx_enabled[VHOST_MAX_QP];   /* Guest's tx vrings. */
    atomic_bool tx_enabled[VHOST_MAX_QP];   /* Guest's rx vrings. */
    struct rte_mempool *mp;
    int mtu;
    uint64_t link_resets;
    struct vhost_queue_stats rxq_stats[VHOST_MAX_QP];
    struct vhost_queue_stats txq_stats[VHOST_MAX_QP];
};

static pthread_mutex_t vhost_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct list_node vhost_devs = LIST_INITIALIZER(&vhost_devs);

static struct netdev_vhost *
netdev_vhost_cast(const struct netdev *dev)
{
    return CONTAINER_OF(dev, struct netdev_vhost, up);
}

/* Finds the netdev of socket 'path'.  Caller holds vhost_mutex. */
static struct netdev_vhost *
vhost_find_by_path(const char *path)
{
    struct netdev_vhost *v;
    LIST_FOR_EACH (v, node, &vhost_devs) {
        if (v->path && !strcmp(v->path, path)) {
            return v;
        }
    }
    return NULL;
}

static struct netdev_vhost *
vhost_find_by_vid(int vid)
{
    char path[PATH_MAX];
    if (rte_vhost_get_ifname(vid, path, sizeof path)) {
        return NULL;
    }
    return vhost_find_by_path(path);
}

static int
vhost_new_device(int vid)
{
    pthread_mutex_lock(&vhost_mutex);
    struct netdev_vhost *v = vhost_find_by_vid(vid);
    if (!v) {
        pthread_mutex_unlock(&vhost_mutex);
        log_warn("vhost device %d: no port for its socket", vid);
        return -1;
    }
    int qp = rte_vhost_get_vring_num(vid) / 2;
    qp = MAX(1, MIN(qp, VHOST_MAX_QP));
    int numa = rte_vhost_get_numa_node(vid);
    atomic_store(&v->guest_numa, numa < 0 ? 0 : numa);
    rte_vhost_enable_guest_notification(vid, 0, 0);
    atomic_store(&v->guest_qp, qp);
    atomic_store(&v->vid, vid);
    log_info("vHost Device '%s' has been added on numa node %d (%d queue "
             "pairs)", v->path, rte_vhost_get_numa_node(vid), qp);
    if (qp != v->up.n_rxq || atomic_load(&v->guest_numa) != v->up.numa_id) {
        netdev_request_reconfigure(&v->up);
    } else {
        netdev_changed(&v->up);
    }
    pthread_mutex_unlock(&vhost_mutex);
    return 0;
}

static void
vhost_destroy_device(int vid)
{
    pthread_mutex_lock(&vhost_mutex);
    struct netdev_vhost *v = vhost_find_by_vid(vid);
    if (v) {
        atomic_store(&v->vid, -1);
        for (int q = 0; q < VHOST_MAX_QP; q++) {
            atomic_store(&v->rx_enabled[q], false);
            atomic_store(&v->tx_enabled[q], false);
        }
        v->link_resets++;
        netdev_changed(&v->up);
        log_info("vHost Device '%s' has been removed", v->path);
    }
    pthread_mutex_unlock(&vhost_mutex);
    /* No PMD may still be inside a burst on 'vid' after we return. */
    dp_rcu_synchronize();
}

static int
vhost_vring_state_changed(int vid, uint16_t vring, int enable)
{
    pthread_mutex_lock(&vhost_mutex);
    struct netdev_vhost *v = vhost_find_by_vid(vid);
    if (v) {
        int qid = vring / 2;
        if (qid < VHOST_MAX_QP) {
            if (vring % 2) {        /* Guest transmit: our receive. */
                atomic_store(&v->rx_enabled[qid], enable != 0);
            } else {
                atomic_store(&v->tx_enabled[qid], enable != 0);
            }
        }
        log_info("State of queue %d ( %s_qid %d ) of vhost device '%s' "
                 "changed to '%s'", vring, vring % 2 ? "rx" : "tx", qid,
                 v->path, enable ? "enabled" : "disabled");
        netdev_changed(&v->up);
    }
    pthread_mutex_unlock(&vhost_mutex);
    /* No RCU wait here, unlike destroy_device: rte_vhost may call this
     * while it holds the queues' access locks, which a PMD inside
     * rte_vhost_enqueue_burst() spins on without passing a quiescent
     * state.  rte_vhost itself checks under that lock that a vring is
     * enabled before touching it. */
    return 0;
}

static const struct rte_vhost_device_ops vhost_ops = {
    .new_device = vhost_new_device,
    .destroy_device = vhost_destroy_device,
    .vring_state_changed = vhost_vring_state_changed,
};

static struct netdev *
vhost_alloc(void)
{
    struct netdev_vhost *v = xzalloc(sizeof *v);
    return &v->up;
}

static void
vhost_dealloc(struct netdev *dev)
{
    free(netdev_vhost_cast(dev));
}

/* Registers and starts the socket 'v->path'.  Main thread. */
static int
vhost_register(struct netdev_vhost *v, char **errp)
{
    uint64_t flags = 0;
    if (v->client) {
        flags |= RTE_VHOST_USER_CLIENT;
    } else {
        unlink(v->path);
    }
    if (dpdk_vhost_iommu_enabled()) {
        flags |= RTE_VHOST_USER_IOMMU_SUPPORT;
    }
    if (rte_vhost_driver_register(v->path, flags)) {
        *errp = xasprintf("vhost-user socket %s: registration failed",
                          v->path);
        return EIO;
    }
    /* The datapath does not do segmentation or checksum offloads. */
    uint64_t no_offloads = (1ULL << VIRTIO_NET_F_HOST_TSO4)
                           | (1ULL << VIRTIO_NET_F_HOST_TSO6)
                           | (1ULL << VIRTIO_NET_F_HOST_ECN)
                           | (1ULL << VIRTIO_NET_F_HOST_UFO)
                           | (1ULL << VIRTIO_NET_F_GUEST_TSO4)
                           | (1ULL << VIRTIO_NET_F_GUEST_TSO6)
                           | (1ULL << VIRTIO_NET_F_GUEST_ECN)
                           | (1ULL << VIRTIO_NET_F_GUEST_UFO)
                           | (1ULL << VIRTIO_NET_F_CSUM)
                           | (1ULL << VIRTIO_NET_F_GUEST_CSUM);
    rte_vhost_driver_disable_features(v->path, no_offloads);
    if (rte_vhost_driver_callback_register(v->path, &vhost_ops)
        || rte_vhost_driver_start(v->path)) {
        rte_vhost_driver_unregister(v->path);
        *errp = xasprintf("vhost-user socket %s: cannot start", v->path);
        return EIO;
    }
    v->registered = true;
    log_info("vHost User device '%s' created in '%s' mode, using socket %s",
             v->up.name, v->client ? "client" : "server", v->path);
    return 0;
}

static void
vhost_unregister(struct netdev_vhost *v)
{
    if (!v->registered) {
        return;
    }
    for (int i = 0; i < 1000; i++) {
        int err = rte_vhost_driver_unregister(v->path);
        if (err != -EBUSY) {
            break;
        }
        usleep(1000);
    }
    v->registered = false;
    atomic_store(&v->vid, -1);
    if (!v->client) {
        unlink(v->path);
    }
}

static int
vhost_construct_common(struct netdev *dev, bool client, char **errp)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    v->client = client;
    atomic_init(&v->vid, -1);
    atomic_init(&v->guest_qp, 0);
    atomic_init(&v->guest_numa, 0);
    v->mtu = 1500;
    dev->numa_id = 0;
    dev->n_rxq = 1;
    dev->n_txq = 1;
    dev->txq_needs_lock = true;
    v->mp = dpdk_mempool_get(0, v->mtu, dev->name);
    if (!v->mp) {
        *errp = xstrdup("cannot allocate mbuf pool");
        return ENOMEM;
    }
    if (!client) {
        if (strchr(dev->name, '/')) {
            *errp = xasprintf("port name %s may not contain '/'", dev->name);
            dpdk_mempool_put(v->mp);
            return EINVAL;
        }
        v->path = xasprintf("%s/%s", dpdk_vhost_sock_dir(), dev->name);
    }
    pthread_mutex_lock(&vhost_mutex);
    list_push_back(&vhost_devs, &v->node);
    pthread_mutex_unlock(&vhost_mutex);
    if (!client) {
        int error = vhost_register(v, errp);
        if (error) {
            pthread_mutex_lock(&vhost_mutex);
            list_remove(&v->node);
            pthread_mutex_unlock(&vhost_mutex);
            dpdk_mempool_put(v->mp);
            free(v->path);
            return error;
        }
    }
    return 0;
}

static int
vhost_server_construct(struct netdev *dev, char **errp)
{
    return vhost_construct_common(dev, false, errp);
}

static int
vhost_client_construct(struct netdev *dev, char **errp)
{
    return vhost_construct_common(dev, true, errp);
}

static void
vhost_destruct(struct netdev *dev)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    vhost_unregister(v);
    pthread_mutex_lock(&vhost_mutex);
    list_remove(&v->node);
    pthread_mutex_unlock(&vhost_mutex);
    dpdk_mempool_put(v->mp);
    free(v->path);
}

static int
vhost_client_set_config(struct netdev *dev, const struct smap *options,
                        bool *restart, char **errp)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    const char *path = smap_get(options, "vhost-server-path");
    if (!path || !*path) {
        *errp = xasprintf("%s: options:vhost-server-path is required",
                          dev->name);
        return EINVAL;
    }
    if (v->path && !strcmp(v->path, path)) {
        return 0;
    }
    vhost_unregister(v);
    pthread_mutex_lock(&vhost_mutex);
    free(v->path);
    v->path = xstrdup(path);
    pthread_mutex_unlock(&vhost_mutex);
    return vhost_register(v, errp);
}

static int
vhost_reconfigure(struct netdev *dev, char **errp)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    int qp = atomic_load(&v->guest_qp);
    if (qp < 1) {
        qp = 1;
    }
    dev->n_rxq = qp;
    dev->n_txq = qp;
    /* Mbufs from the guest's NUMA node; the PMDs are paused. */
    int numa = atomic_load(&v->guest_numa);
    if (numa != dev->numa_id) {
        struct rte_mempool *mp = dpdk_mempool_get(numa, v->mtu, dev->name);
        if (mp) {
            dpdk_mempool_put(v->mp);
            v->mp = mp;
            dev->numa_id = numa;
        } else {
            log_warn("%s: no mbuf pool on NUMA node %d, keeping node %d",
                     dev->name, numa, dev->numa_id);
        }
    }
    return 0;
}

static int
vhost_set_mtu(struct netdev *dev, int mtu, bool *restart)
{
    /* The guest's virtio driver decides its MTU; ours sizes mbufs. */
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    if (mtu < 68 || mtu > 9710) {
        return EINVAL;
    }
    if (mtu != v->mtu) {
        struct rte_mempool *mp = dpdk_mempool_get(dev->numa_id, mtu,
                                                  dev->name);
        if (!mp) {
            return ENOMEM;
        }
        /* Dequeue may be running: swap under the datapath's pause. */
        if (dev->dp_hooks.pause) {
            dev->dp_hooks.pause(dev, dev->dp_hooks.aux);
        }
        struct rte_mempool *old = v->mp;
        v->mp = mp;
        v->mtu = mtu;
        if (dev->dp_hooks.resume) {
            dev->dp_hooks.resume(dev, dev->dp_hooks.aux);
        }
        dpdk_mempool_put(old);
    }
    return 0;
}

static int
vhost_get_mtu(const struct netdev *dev, int *mtu)
{
    *mtu = netdev_vhost_cast(dev)->mtu;
    return 0;
}

static int
vhost_get_etheraddr(const struct netdev *dev, struct eth_addr *mac)
{
    memset(mac, 0, sizeof *mac);
    return 0;
}

static enum netdev_link_state
vhost_get_link_state(const struct netdev *dev)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    if (atomic_load(&v->vid) < 0) {
        return NETDEV_LINK_DOWN;
    }
    for (int q = 0; q < VHOST_MAX_QP; q++) {
        if (atomic_load(&v->rx_enabled[q]) || atomic_load(&v->tx_enabled[q])) {
            return NETDEV_LINK_UP;
        }
    }
    return NETDEV_LINK_DOWN;
}

static uint64_t
vhost_get_link_resets(const struct netdev *dev)
{
    return netdev_vhost_cast(dev)->link_resets;
}

static uint64_t
load64(atomic_uint_fast64_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static int
vhost_get_stats(const struct netdev *dev, struct netdev_stats *s)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    for (int q = 0; q < VHOST_MAX_QP; q++) {
        s->rx_packets += load64(&v->rxq_stats[q].packets);
        s->rx_bytes += load64(&v->rxq_stats[q].bytes);
        s->tx_packets += load64(&v->txq_stats[q].packets);
        s->tx_bytes += load64(&v->txq_stats[q].bytes);
    }
    return 0;
}

static int
vhost_get_status(const struct netdev *dev, struct smap *status)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    int vid = atomic_load(&v->vid);
    smap_replace(status, "mode", v->client ? "client" : "server");
    if (v->path) {
        smap_replace(status, "socket", v->path);
    }
    smap_replace(status, "status", vid >= 0 ? "connected" : "disconnected");
    if (vid >= 0) {
        smap_replace_format(status, "numa", "%d",
                            rte_vhost_get_numa_node(vid));
        smap_replace_format(status, "num_of_vrings", "%u",
                            rte_vhost_get_vring_num(vid));
    }
    smap_replace_format(status, "n_rxq", "%d", dev->n_rxq);
    smap_replace_format(status, "n_txq", "%d", dev->n_txq);
    /* Per-queue counters. */
    for (int q = 0; q < dev->n_rxq && q < VHOST_MAX_QP; q++) {
        char key[32];
        snprintf(key, sizeof key, "rx_q%d_packets", q);
        smap_replace_format(status, key, "%"PRIu64,
                            load64(&v->rxq_stats[q].packets));
        snprintf(key, sizeof key, "tx_q%d_packets", q);
        smap_replace_format(status, key, "%"PRIu64,
                            load64(&v->txq_stats[q].packets));
    }
    return 0;
}

static char *
vhost_get_config_text(const struct netdev *dev)
{
    return xasprintf("configured_rx_queues=%d, configured_tx_queues=%d, "
                     "mtu=%d, requested_rx_queues=%d, requested_tx_queues=%d",
                     dev->n_rxq, dev->n_txq, netdev_vhost_cast(dev)->mtu,
                     dev->n_rxq, dev->n_txq);
}

static bool
vhost_rxq_enabled(const struct netdev *dev, int qid)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    return qid < VHOST_MAX_QP && atomic_load(&v->rx_enabled[qid]);
}

static int
vhost_rxq_recv(struct netdev *dev, int qid, struct rte_mbuf **pkts, int max)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    int vid = atomic_load_explicit(&v->vid, memory_order_acquire);
    if (vid < 0 || qid >= VHOST_MAX_QP
        || !atomic_load_explicit(&v->rx_enabled[qid],
                                 memory_order_relaxed)) {
        return 0;
    }
    int n = rte_vhost_dequeue_burst(vid, qid * 2 + 1, v->mp, pkts, max);
    if (n > 0) {
        uint64_t bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += pkts[i]->pkt_len;
        }
        struct vhost_queue_stats *st = &v->rxq_stats[qid];
        atomic_store_explicit(&st->packets, load64(&st->packets) + n,
                              memory_order_relaxed);
        atomic_store_explicit(&st->bytes, load64(&st->bytes) + bytes,
                              memory_order_relaxed);
    }
    return n;
}

static int
vhost_send(struct netdev *dev, int qid, struct rte_mbuf **pkts, int n)
{
    struct netdev_vhost *v = netdev_vhost_cast(dev);
    int vid = atomic_load_explicit(&v->vid, memory_order_acquire);
    if (vid < 0 || qid >= VHOST_MAX_QP
        || !atomic_load_explicit(&v->tx_enabled[qid],
                                 memory_order_relaxed)) {
        netdev_drop_unsent(dev, pkts, 0, n);
        return 0;
    }
    int sent = 0;
    for (int tries = 0; sent < n && tries < VHOST_TX_RETRIES; tries++) {
        int k = rte_vhost_enqueue_burst(vid, qid * 2, pkts + sent, n - sent);
        if (!k) {
            break;
        }
        sent += k;
    }
    uint64_t bytes = 0;
    for (int i = 0; i < sent; i++) {
        bytes += pkts[i]->pkt_len;
    }
    /* Enqueue copies: free what went out, drop the rest. */
    rte_pktmbuf_free_bulk(pkts, sent);
    netdev_drop_unsent(dev, pkts, sent, n);
    struct vhost_queue_stats *st = &v->txq_stats[qid];
    atomic_fetch_add_explicit(&st->packets, sent, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->bytes, bytes, memory_order_relaxed);
    return sent;
}

#define VHOST_CLASS_COMMON                          \
    .needs_dpdk = true,                             \
    .alloc = vhost_alloc,                           \
    .destruct = vhost_destruct,                     \
    .dealloc = vhost_dealloc,                       \
    .reconfigure = vhost_reconfigure,               \
    .set_mtu = vhost_set_mtu,                       \
    .get_mtu = vhost_get_mtu,                       \
    .get_etheraddr = vhost_get_etheraddr,           \
    .get_link_state = vhost_get_link_state,         \
    .get_link_resets = vhost_get_link_resets,       \
    .get_stats = vhost_get_stats,                   \
    .get_status = vhost_get_status,                 \
    .get_config_text = vhost_get_config_text,       \
    .rxq_recv = vhost_rxq_recv,                     \
    .rxq_enabled = vhost_rxq_enabled,               \
    .send = vhost_send

const struct netdev_class netdev_vhost_server_class = {
    .type = "dpdkvhostuser",
    .construct = vhost_server_construct,
    VHOST_CLASS_COMMON,
};

const struct netdev_class netdev_vhost_client_class = {
    .type = "dpdkvhostuserclient",
    .construct = vhost_client_construct,
    .set_config = vhost_client_set_config,
    VHOST_CLASS_COMMON,
};
