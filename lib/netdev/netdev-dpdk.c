/* netdev-dpdk.c: "dpdk" ports: DPDK ethdevs named by options:dpdk-devargs
 * (a PCI address or any vdev string such as net_pcap0,rx_pcap=FILE). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include "dpdk/dpdk.h"
#include "netdev/netdev-provider.h"
#include "util/dstr.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(netdev_dpdk);

#define DPDK_DEFAULT_DESC 2048
#define DPDK_MAX_DESC 4096
#define DPDK_TX_RETRIES 8

struct netdev_dpdk {
    struct netdev up;
    char *devargs;              /* Attached device's devargs, or NULL. */
    char *req_devargs;
    int port_id;                /* -1 if none. */
    bool started;
    int req_n_rxq, req_rxq_desc, req_txq_desc, req_mtu;
    int rxq_desc, txq_desc, mtu;
    struct rte_mempool *mp;
    struct eth_addr mac;
    bool link_up;
    uint64_t link_resets;
    uint32_t link_speed;
    bool link_full;
    int max_txq;                /* What the device supports (and we use). */
};

static struct netdev_dpdk *
netdev_dpdk_cast(const struct netdev *dev)
{
    return CONTAINER_OF(dev, struct netdev_dpdk, up);
}

static struct netdev *
dpdk_alloc(void)
{
    struct netdev_dpdk *d = xzalloc(sizeof *d);
    return &d->up;
}

static void
dpdk_dealloc(struct netdev *dev)
{
    free(netdev_dpdk_cast(dev));
}

static int
dpdk_construct(struct netdev *dev, char **errp)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    d->port_id = -1;
    d->req_n_rxq = 1;
    d->req_rxq_desc = d->req_txq_desc = DPDK_DEFAULT_DESC;
    d->req_mtu = 1500;
    d->mtu = 1500;
    return 0;
}

static void
dpdk_detach(struct netdev_dpdk *d)
{
    if (d->port_id < 0) {
        return;
    }
    uint16_t port = d->port_id;
    if (d->started) {
        rte_eth_dev_stop(port);
        d->started = false;
    }
    struct rte_eth_dev_info info;
    struct rte_device *rdev = NULL;
    if (!rte_eth_dev_info_get(port, &info)) {
        rdev = info.device;
    }
    rte_eth_dev_close(port);
    if (rdev && rte_dev_remove(rdev)) {
        log_warn("%s: cannot detach device %s", d->up.name, d->devargs);
    } else {
        log_info("Device '%s' has been removed", d->devargs);
    }
    d->port_id = -1;
    free(d->devargs);
    d->devargs = NULL;
    dpdk_mempool_put(d->mp);
    d->mp = NULL;
    d->up.n_rxq = d->up.n_txq = 0;
}

static void
dpdk_destruct(struct netdev *dev)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    dpdk_detach(d);
    free(d->req_devargs);
}

static int
dpdk_set_config(struct netdev *dev, const struct smap *options,
                bool *restart, char **errp)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    const char *devargs = smap_get(options, "dpdk-devargs");
    if (!devargs || !*devargs) {
        *errp = xasprintf("%s: options:dpdk-devargs is required", dev->name);
        return EINVAL;
    }
    int n_rxq = smap_get_int(options, "n_rxq", 1);
    if (n_rxq < 1 || n_rxq > 1024) {
        log_warn("%s: n_rxq %d out of range, using 1", dev->name, n_rxq);
        n_rxq = 1;
    }
    int rxd = smap_get_int(options, "n_rxq_desc", DPDK_DEFAULT_DESC);
    int txd = smap_get_int(options, "n_txq_desc", DPDK_DEFAULT_DESC);
    if (rxd <= 0 || rxd > DPDK_MAX_DESC || (rxd & (rxd - 1))) {
        rxd = DPDK_DEFAULT_DESC;
    }
    if (txd <= 0 || txd > DPDK_MAX_DESC || (txd & (txd - 1))) {
        txd = DPDK_DEFAULT_DESC;
    }
    if (!d->req_devargs || strcmp(d->req_devargs, devargs)
        || n_rxq != d->req_n_rxq || rxd != d->req_rxq_desc
        || txd != d->req_txq_desc || d->port_id < 0) {
        free(d->req_devargs);
        d->req_devargs = xstrdup(devargs);
        d->req_n_rxq = n_rxq;
        d->req_rxq_desc = rxd;
        d->req_txq_desc = txd;
        *restart = true;
    }
    return 0;
}

/* Attaches the device for 'devargs' (probing it if needed) and returns
 * its port id, or -1. */
static int
dpdk_attach(const char *devargs)
{
    char *name = xstrdup(devargs);
    char *comma = strchr(name, ',');
    if (comma) {
        *comma = '\0';
    }
    uint16_t port;
    if (rte_eth_dev_get_port_by_name(name, &port)) {
        if (rte_dev_probe(devargs)
            || rte_eth_dev_get_port_by_name(name, &port)) {
            free(name);
            return -1;
        }
    }
    free(name);
    return port;
}

static int
dpdk_reconfigure(struct netdev *dev, char **errp)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (!d->req_devargs) {
        return 0;
    }
    if (d->port_id >= 0 && strcmp(d->devargs, d->req_devargs)) {
        dpdk_detach(d);
    }
    if (d->port_id < 0) {
        int port = dpdk_attach(d->req_devargs);
        if (port < 0) {
            *errp = xasprintf("Error attaching device '%s' to DPDK",
                              d->req_devargs);
            return ENODEV;
        }
        d->port_id = port;
        d->devargs = xstrdup(d->req_devargs);
        log_info("Device '%s' attached to DPDK", d->devargs);
    }
    uint16_t port = d->port_id;
    if (d->started) {
        rte_eth_dev_stop(port);
        d->started = false;
    }
    struct rte_eth_dev_info info;
    int err = rte_eth_dev_info_get(port, &info);
    if (err) {
        *errp = xasprintf("cannot get device info: %s", rte_strerror(-err));
        return -err;
    }
    int numa = rte_eth_dev_socket_id(port);
    dev->numa_id = numa < 0 ? 0 : numa;
    int n_rxq = MIN(d->req_n_rxq, (int) info.max_rx_queues);
    int n_txq = MIN(MIN(netdev_get_tx_users(), NETDEV_MAX_TXQ),
                    (int) info.max_tx_queues);
    if (n_rxq < 1 || n_txq < 1) {
        *errp = xasprintf("device has no usable queues");
        return EINVAL;
    }
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    err = rte_eth_dev_configure(port, n_rxq, n_txq, &conf);
    if (err) {
        *errp = xasprintf("cannot configure %d rx and %d tx queues: %s",
                          n_rxq, n_txq, rte_strerror(-err));
        return -err;
    }
    d->max_txq = MIN((int) info.max_tx_queues, NETDEV_MAX_TXQ);
    int mtu = d->req_mtu;
    err = rte_eth_dev_set_mtu(port, mtu);
    if (err && err != -ENOTSUP) {
        log_warn("%s: cannot set MTU %d: %s", dev->name, mtu,
                 rte_strerror(-err));
    }
    struct rte_mempool *mp = dpdk_mempool_get(dev->numa_id, mtu, dev->name);
    if (!mp) {
        *errp = xasprintf("cannot allocate mbuf pool");
        return ENOMEM;
    }
    dpdk_mempool_put(d->mp);
    d->mp = mp;
    uint16_t rxd = d->req_rxq_desc, txd = d->req_txq_desc;
    rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
    for (int q = 0; q < n_rxq; q++) {
        err = rte_eth_rx_queue_setup(port, q, rxd, dev->numa_id, NULL, mp);
        if (err) {
            *errp = xasprintf("cannot set up rx queue %d: %s", q,
                              rte_strerror(-err));
            return -err;
        }
    }
    for (int q = 0; q < n_txq; q++) {
        err = rte_eth_tx_queue_setup(port, q, txd, dev->numa_id, NULL);
        if (err) {
            *errp = xasprintf("cannot set up tx queue %d: %s", q,
                              rte_strerror(-err));
            return -err;
        }
    }
    err = rte_eth_dev_start(port);
    if (err) {
        *errp = xasprintf("cannot start device: %s", rte_strerror(-err));
        return -err;
    }
    rte_eth_promiscuous_enable(port);
    d->started = true;
    d->rxq_desc = rxd;
    d->txq_desc = txd;
    d->mtu = mtu;
    struct rte_ether_addr ea;
    if (!rte_eth_macaddr_get(port, &ea)) {
        memcpy(d->mac.ea, ea.addr_bytes, 6);
    }
    dev->n_rxq = n_rxq;
    dev->n_txq = n_txq;
    return 0;
}

static int
dpdk_set_mtu(struct netdev *dev, int mtu, bool *restart)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (mtu < 68 || mtu > 9710) {
        return EINVAL;
    }
    if (mtu != d->req_mtu) {
        d->req_mtu = mtu;
        *restart = d->req_devargs != NULL;
    }
    return 0;
}

static int
dpdk_get_mtu(const struct netdev *dev, int *mtu)
{
    *mtu = netdev_dpdk_cast(dev)->mtu;
    return 0;
}

static int
dpdk_get_etheraddr(const struct netdev *dev, struct eth_addr *mac)
{
    *mac = netdev_dpdk_cast(dev)->mac;
    return 0;
}

static int
dpdk_set_etheraddr(struct netdev *dev, struct eth_addr mac)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (d->port_id >= 0) {
        struct rte_ether_addr ea;
        memcpy(ea.addr_bytes, mac.ea, 6);
        int err = rte_eth_dev_default_mac_addr_set(d->port_id, &ea);
        if (err) {
            return -err;
        }
    }
    d->mac = mac;
    return 0;
}

static void
dpdk_run(struct netdev *dev)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (d->port_id < 0 || !d->started) {
        return;
    }
    struct rte_eth_link link;
    memset(&link, 0, sizeof link);
    if (rte_eth_link_get_nowait(d->port_id, &link)) {
        return;
    }
    bool up = link.link_status == RTE_ETH_LINK_UP;
    if (up != d->link_up) {
        if (up) {
            d->link_resets++;
        }
        d->link_up = up;
        log_info("%s: link %s", dev->name, up ? "up" : "down");
        netdev_changed(dev);
    }
    d->link_speed = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN
                    ? 0 : link.link_speed;
    d->link_full = link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX;
}

static enum netdev_link_state
dpdk_get_link_state(const struct netdev *dev)
{
    return netdev_dpdk_cast(dev)->link_up ? NETDEV_LINK_UP
                                          : NETDEV_LINK_DOWN;
}

static uint64_t
dpdk_get_link_resets(const struct netdev *dev)
{
    return netdev_dpdk_cast(dev)->link_resets;
}

static int
dpdk_get_speed(const struct netdev *dev, uint32_t *mbps, bool *full)
{
    const struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (!d->link_speed) {
        return EOPNOTSUPP;
    }
    *mbps = d->link_speed;
    *full = d->link_full;
    return 0;
}

static int
dpdk_get_stats(const struct netdev *dev, struct netdev_stats *s)
{
    const struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (d->port_id < 0) {
        return 0;
    }
    struct rte_eth_stats st;
    if (rte_eth_stats_get(d->port_id, &st)) {
        return EIO;
    }
    s->rx_packets = st.ipackets;
    s->tx_packets = st.opackets;
    s->rx_bytes = st.ibytes;
    s->tx_bytes = st.obytes;
    s->rx_errors = st.ierrors;
    s->tx_errors = st.oerrors;
    s->rx_dropped = st.imissed + st.rx_nombuf;
    s->rx_missed = st.imissed;
    s->multicast = 0;
    return 0;
}

static int
dpdk_get_status(const struct netdev *dev, struct smap *status)
{
    const struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    if (d->port_id < 0) {
        return 0;
    }
    struct rte_eth_dev_info info;
    if (rte_eth_dev_info_get(d->port_id, &info)) {
        return EIO;
    }
    smap_replace_format(status, "port_no", "%d", d->port_id);
    smap_replace_format(status, "numa_id", "%d", dev->numa_id);
    smap_replace(status, "driver_name", info.driver_name);
    smap_replace_format(status, "min_rx_bufsize", "%u", info.min_rx_bufsize);
    smap_replace_format(status, "max_rx_pktlen", "%u", info.max_rx_pktlen);
    smap_replace_format(status, "max_rx_queues", "%u", info.max_rx_queues);
    smap_replace_format(status, "max_tx_queues", "%u", info.max_tx_queues);
    smap_replace_format(status, "max_mac_addrs", "%u", info.max_mac_addrs);
    smap_replace_format(status, "n_rxq", "%d", dev->n_rxq);
    smap_replace_format(status, "n_txq", "%d", dev->n_txq);
    smap_replace(status, "rx_csum_offload", "false");
    smap_replace(status, "tx_tso_offload", "false");
    return 0;
}

static char *
dpdk_get_config_text(const struct netdev *dev)
{
    const struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    return xasprintf("configured_rx_queues=%d, configured_rxq_descriptors=%d,"
                     " configured_tx_queues=%d, configured_txq_descriptors=%d,"
                     " lsc_interrupt_mode=false, mtu=%d,"
                     " requested_rx_queues=%d, requested_rxq_descriptors=%d,"
                     " requested_tx_queues=%d, requested_txq_descriptors=%d,"
                     " rx_csum_offload=false, tx_tso_offload=false",
                     dev->n_rxq, d->rxq_desc, dev->n_txq, d->txq_desc, d->mtu,
                     d->req_n_rxq, d->req_rxq_desc, netdev_get_tx_users(),
                     d->req_txq_desc);
}

static void
dpdk_tx_users_changed(struct netdev *dev, int users)
{
    struct netdev_dpdk *d = netdev_dpdk_cast(dev);
    /* A queue per transmitting thread if the device has them. */
    if (d->started && dev->n_txq < MIN(users, d->max_txq)) {
        netdev_request_reconfigure(dev);
    }
}

static int
dpdk_rxq_recv(struct netdev *dev, int qid, struct rte_mbuf **pkts, int max)
{
    return rte_eth_rx_burst(netdev_dpdk_cast(dev)->port_id, qid, pkts, max);
}

static int
dpdk_send(struct netdev *dev, int qid, struct rte_mbuf **pkts, int n)
{
    uint16_t port = netdev_dpdk_cast(dev)->port_id;
    int sent = 0;
    for (int tries = 0; sent < n && tries < DPDK_TX_RETRIES; tries++) {
        int k = rte_eth_tx_burst(port, qid, pkts + sent, n - sent);
        if (!k) {
            break;
        }
        sent += k;
    }
    netdev_drop_unsent(dev, pkts, sent, n);
    return sent;
}

const struct netdev_class netdev_dpdk_class = {
    .type = "dpdk",
    .needs_dpdk = true,
    .alloc = dpdk_alloc,
    .construct = dpdk_construct,
    .destruct = dpdk_destruct,
    .dealloc = dpdk_dealloc,
    .set_config = dpdk_set_config,
    .reconfigure = dpdk_reconfigure,
    .set_mtu = dpdk_set_mtu,
    .get_mtu = dpdk_get_mtu,
    .get_etheraddr = dpdk_get_etheraddr,
    .set_etheraddr = dpdk_set_etheraddr,
    .get_link_state = dpdk_get_link_state,
    .get_link_resets = dpdk_get_link_resets,
    .get_speed = dpdk_get_speed,
    .get_stats = dpdk_get_stats,
    .get_status = dpdk_get_status,
    .get_config_text = dpdk_get_config_text,
    .run = dpdk_run,
    .tx_users_changed = dpdk_tx_users_changed,
    .rxq_recv = dpdk_rxq_recv,
    .send = dpdk_send,
};
