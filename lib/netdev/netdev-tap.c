/* netdev-tap.c: "internal" ports, the bridge's local port, as a TAP device
 * on the host.
 *
 * Not polled by PMDs through syscalls: the main thread reads the TAP fd
 * (a libevent event) into mbufs and puts them on an rx ring that a PMD
 * dequeues like any queue; PMDs put packets for the host on a tx ring that
 * the main thread drains into the fd.  A PMD makes a syscall (an eventfd
 * write) only when the main thread sleeps on an empty tx ring. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <event2/event.h>
#include <rte_errno.h>
#include <rte_ring.h>
#include "dpdk/dpdk.h"
#include "netdev/netdev-provider.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(netdev_tap);

#define TAP_RING_SIZE 1024
#define TAP_BATCH 32

struct netdev_tap {
    struct netdev up;
    int fd;
    int ifindex;
    int mtu;
    struct rte_ring *rx_ring;   /* Host -> datapath. */
    struct rte_ring *tx_ring;   /* Datapath -> host. */
    struct rte_mempool *mp;
    int kick_fd;                /* eventfd the PMDs poke. */
    atomic_bool main_waiting;
    struct event *read_ev, *kick_ev;
    atomic_uint_fast64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
    atomic_uint_fast64_t rx_dropped_host;
};

static struct netdev_tap *
netdev_tap_cast(const struct netdev *dev)
{
    return CONTAINER_OF(dev, struct netdev_tap, up);
}

static struct netdev *
tap_alloc(void)
{
    struct netdev_tap *t = xzalloc(sizeof *t);
    t->fd = t->kick_fd = -1;
    return &t->up;
}

static void
tap_dealloc(struct netdev *dev)
{
    free(netdev_tap_cast(dev));
}

static int
tap_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return errno;
    }
    memset(ifr->ifr_name, 0, sizeof ifr->ifr_name);
    snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", name);
    int err = ioctl(s, req, ifr) < 0 ? errno : 0;
    close(s);
    return err;
}

/* Host -> datapath: main thread, on readable fd. */
static void
tap_read_cb(evutil_socket_t fd, short what, void *t_)
{
    struct netdev_tap *t = t_;
    for (int i = 0; i < TAP_BATCH; i++) {
        struct rte_mbuf *m = rte_pktmbuf_alloc(t->mp);
        if (!m) {
            char buf[64];
            if (read(fd, buf, sizeof buf) <= 0) {
                return;
            }
            atomic_fetch_add(&t->up.rx_dropped, 1);
            continue;
        }
        ssize_t n = read(fd, rte_pktmbuf_mtod(m, void *),
                         rte_pktmbuf_tailroom(m));
        if (n <= 0) {
            rte_pktmbuf_free(m);
            return;
        }
        m->data_len = m->pkt_len = n;
        if (rte_ring_sp_enqueue(t->rx_ring, m)) {
            rte_pktmbuf_free(m);
            atomic_fetch_add(&t->up.rx_dropped, 1);
            continue;
        }
        atomic_fetch_add_explicit(&t->rx_packets, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&t->rx_bytes, n, memory_order_relaxed);
    }
}

/* Datapath -> host: main thread, woken by the eventfd. */
static void
tap_drain_tx(struct netdev_tap *t)
{
    struct rte_mbuf *pkts[TAP_BATCH];
    unsigned int n;
    for (;;) {
        atomic_store(&t->main_waiting, false);
        while ((n = rte_ring_sc_dequeue_burst(t->tx_ring, (void **) pkts,
                                              TAP_BATCH, NULL)) > 0) {
            for (unsigned int i = 0; i < n; i++) {
                struct rte_mbuf *m = pkts[i];
                if (m->nb_segs == 1
                    && write(t->fd, rte_pktmbuf_mtod(m, void *),
                             m->data_len) == m->data_len) {
                    atomic_fetch_add_explicit(&t->tx_packets, 1,
                                              memory_order_relaxed);
                    atomic_fetch_add_explicit(&t->tx_bytes, m->data_len,
                                              memory_order_relaxed);
                } else {
                    atomic_fetch_add(&t->up.tx_dropped, 1);
                }
                rte_pktmbuf_free(m);
            }
        }
        atomic_store(&t->main_waiting, true);
        if (rte_ring_empty(t->tx_ring)) {
            break;
        }
    }
}

static void
tap_kick_cb(evutil_socket_t fd, short what, void *t_)
{
    uint64_t v;
    if (read(fd, &v, sizeof v) < 0) {
        /* Nothing: spurious wakeup. */
    }
    tap_drain_tx(t_);
}

static int
tap_construct(struct netdev *dev, char **errp)
{
    struct netdev_tap *t = netdev_tap_cast(dev);
    struct ifreq ifr;

    if (strlen(dev->name) >= IFNAMSIZ) {
        *errp = xasprintf("%s: name too long for a TAP device", dev->name);
        return ENAMETOOLONG;
    }
    t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t->fd < 0) {
        int err = errno;
        *errp = xasprintf("opening /dev/net/tun: %s", nfv_strerror(err));
        return err;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", dev->name);
    if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;
        *errp = xasprintf("creating TAP device %s: %s", dev->name,
                          nfv_strerror(err));
        close(t->fd);
        t->fd = -1;
        return err;
    }
    t->ifindex = !tap_ioctl(dev->name, SIOCGIFINDEX, &ifr) ? ifr.ifr_ifindex
                                                           : 0;
    t->mtu = !tap_ioctl(dev->name, SIOCGIFMTU, &ifr) ? ifr.ifr_mtu : 1500;
    dev->numa_id = 0;

    if (!dpdk_available()) {
        /* Without DPDK there is no datapath to hand packets to. */
        dev->n_rxq = dev->n_txq = 0;
        return 0;
    }
    char name[RTE_RING_NAMESIZE];
    snprintf(name, sizeof name, "tap_rx_%d", t->ifindex);
    t->rx_ring = rte_ring_create(name, TAP_RING_SIZE, 0,
                                 RING_F_SP_ENQ | RING_F_SC_DEQ);
    snprintf(name, sizeof name, "tap_tx_%d", t->ifindex);
    t->tx_ring = rte_ring_create(name, TAP_RING_SIZE, 0, RING_F_SC_DEQ);
    t->mp = dpdk_mempool_get(0, MAX(t->mtu, 1500), dev->name);
    t->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!t->rx_ring || !t->tx_ring || !t->mp || t->kick_fd < 0) {
        *errp = xasprintf("%s: cannot allocate rings/pool: %s", dev->name,
                          rte_strerror(rte_errno));
        return ENOMEM;
    }
    atomic_init(&t->main_waiting, true);
    t->read_ev = event_new(mainloop_base(), t->fd, EV_READ | EV_PERSIST,
                           tap_read_cb, t);
    t->kick_ev = event_new(mainloop_base(), t->kick_fd, EV_READ | EV_PERSIST,
                           tap_kick_cb, t);
    event_add(t->read_ev, NULL);
    event_add(t->kick_ev, NULL);
    dev->n_rxq = 1;
    /* The tx ring is multi-producer: every PMD may use it at once, so
     * claim a "queue" per possible transmitter and never lock. */
    dev->n_txq = NETDEV_MAX_TXQ;
    dev->txq_needs_lock = false;
    return 0;
}

static void
tap_destruct(struct netdev *dev)
{
    struct netdev_tap *t = netdev_tap_cast(dev);
    if (t->read_ev) {
        event_free(t->read_ev);
    }
    if (t->kick_ev) {
        event_free(t->kick_ev);
    }
    struct rte_mbuf *m;
    while (t->rx_ring && !rte_ring_dequeue(t->rx_ring, (void **) &m)) {
        rte_pktmbuf_free(m);
    }
    while (t->tx_ring && !rte_ring_dequeue(t->tx_ring, (void **) &m)) {
        rte_pktmbuf_free(m);
    }
    rte_ring_free(t->rx_ring);
    rte_ring_free(t->tx_ring);
    dpdk_mempool_put(t->mp);
    if (t->kick_fd >= 0) {
        close(t->kick_fd);
    }
    if (t->fd >= 0) {
        close(t->fd);
    }
}

static int
tap_reconfigure(struct netdev *dev, char **errp)
{
    return 0;
}

static int
tap_set_mtu(struct netdev *dev, int mtu, bool *restart)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_mtu = mtu;
    int err = tap_ioctl(dev->name, SIOCSIFMTU, &ifr);
    if (!err) {
        netdev_tap_cast(dev)->mtu = mtu;
    }
    return err;
}

static int
tap_get_mtu(const struct netdev *dev, int *mtu)
{
    *mtu = netdev_tap_cast(dev)->mtu;
    return 0;
}

static int
tap_get_etheraddr(const struct netdev *dev, struct eth_addr *mac)
{
    struct ifreq ifr;
    int err = tap_ioctl(dev->name, SIOCGIFHWADDR, &ifr);
    if (!err) {
        memcpy(mac->ea, ifr.ifr_hwaddr.sa_data, 6);
    }
    return err;
}

static int
tap_set_etheraddr(struct netdev *dev, struct eth_addr mac)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_hwaddr.sa_family = 1;   /* ARPHRD_ETHER */
    memcpy(ifr.ifr_hwaddr.sa_data, mac.ea, 6);
    return tap_ioctl(dev->name, SIOCSIFHWADDR, &ifr);
}

static enum netdev_link_state
tap_get_link_state(const struct netdev *dev)
{
    struct ifreq ifr;
    if (!tap_ioctl(dev->name, SIOCGIFFLAGS, &ifr)
        && (ifr.ifr_flags & IFF_UP)) {
        return NETDEV_LINK_UP;
    }
    return NETDEV_LINK_DOWN;
}

static int
tap_get_ifindex(const struct netdev *dev)
{
    return netdev_tap_cast(dev)->ifindex;
}

static int
tap_get_stats(const struct netdev *dev, struct netdev_stats *s)
{
    /* From the switch's point of view: what the host sent us is rx. */
    struct netdev_tap *t = netdev_tap_cast(dev);
    s->rx_packets = atomic_load(&t->rx_packets);
    s->rx_bytes = atomic_load(&t->rx_bytes);
    s->tx_packets = atomic_load(&t->tx_packets);
    s->tx_bytes = atomic_load(&t->tx_bytes);
    return 0;
}

static int
tap_rxq_recv(struct netdev *dev, int qid, struct rte_mbuf **pkts, int max)
{
    return rte_ring_sc_dequeue_burst(netdev_tap_cast(dev)->rx_ring,
                                     (void **) pkts, max, NULL);
}

static int
tap_send(struct netdev *dev, int qid, struct rte_mbuf **pkts, int n)
{
    struct netdev_tap *t = netdev_tap_cast(dev);
    int sent = rte_ring_mp_enqueue_burst(t->tx_ring, (void **) pkts, n, NULL);
    netdev_drop_unsent(dev, pkts, sent, n);
    if (sent && atomic_load_explicit(&t->main_waiting, memory_order_acquire)
        && atomic_exchange(&t->main_waiting, false)) {
        uint64_t one = 1;
        if (write(t->kick_fd, &one, sizeof one) < 0) {
            /* The counter is saturated: the main thread is awake anyway. */
        }
    }
    return sent;
}

static char *
tap_get_config_text(const struct netdev *dev)
{
    return NULL;
}

const struct netdev_class netdev_tap_class = {
    .type = "internal",
    .needs_dpdk = false,
    .alloc = tap_alloc,
    .construct = tap_construct,
    .destruct = tap_destruct,
    .dealloc = tap_dealloc,
    .reconfigure = tap_reconfigure,
    .set_mtu = tap_set_mtu,
    .get_mtu = tap_get_mtu,
    .get_etheraddr = tap_get_etheraddr,
    .set_etheraddr = tap_set_etheraddr,
    .get_link_state = tap_get_link_state,
    .get_ifindex = tap_get_ifindex,
    .get_stats = tap_get_stats,
    .get_config_text = tap_get_config_text,
    .rxq_recv = tap_rxq_recv,
    .send = tap_send,
};
