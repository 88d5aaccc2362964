/* netdev.c: the generic half of netdevs: registry of kinds, open/close,
 * configuration with datapath pause/resume, and the getters. */
#include <config.h>
#include "netdev/netdev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dpdk/dpdk.h"
#include "netdev/netdev-provider.h"
#include "util/list.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(netdev);

static const struct netdev_class *const netdev_classes[] = {
    &netdev_dpdk_class,
    &netdev_vhost_server_class,
    &netdev_vhost_client_class,
    &netdev_tap_class,
};

static const char *const supported_types[] = {
    "dpdk", "dpdkvhostuser", "dpdkvhostuserclient", "internal", NULL
};

struct netdev_node {
    struct list_node node;
    struct netdev *dev;
};

/* Every open netdev; main thread only. */
static struct list_node open_netdevs = LIST_INITIALIZER(&open_netdevs);
static atomic_uint_fast64_t global_change_seq = 1;
static atomic_int tx_users = 1;

const char *const *
netdev_supported_types(void)
{
    return supported_types;
}

static const struct netdev_class *
netdev_class_lookup(const char *type)
{
    for (size_t i = 0; i < ARRAY_SIZE(netdev_classes); i++) {
        if (type && !strcmp(type, netdev_classes[i]->type)) {
            return netdev_classes[i];
        }
    }
    return NULL;
}

bool
netdev_type_is_supported(const char *type)
{
    return netdev_class_lookup(type) != NULL;
}

static struct netdev_node *
netdev_find_node(const char *name)
{
    struct netdev_node *n;
    LIST_FOR_EACH (n, node, &open_netdevs) {
        if (!strcmp(n->dev->name, name)) {
            return n;
        }
    }
    return NULL;
}

int
netdev_open(const char *name, const char *type, struct netdev **netdevp,
            char **errp)
{
    *netdevp = NULL;
    if (errp) {
        *errp = NULL;
    }
    const char *t = type && *type ? type : "system";
    const struct netdev_class *class = netdev_class_lookup(t);
    char *err = NULL;
    int error = 0;

    if (!class) {
        err = xasprintf("could not open network device %s (Address family "
                        "not supported by protocol)", name);
        error = EAFNOSUPPORT;
    } else if (class->needs_dpdk && !dpdk_available()) {
        err = xasprintf("could not open network device %s (DPDK is not "
                        "initialized: set other_config:dpdk-init=true)",
                        name);
        error = EOPNOTSUPP;
    } else if (netdev_find_node(name)) {
        err = xasprintf("could not open network device %s (File exists)",
                        name);
        error = EEXIST;
    }
    if (error) {
        log_warn("%s", err);
        if (errp) {
            *errp = err;
        } else {
            free(err);
        }
        return error;
    }

    struct netdev *dev = class->alloc();
    dev->class = class;
    dev->name = xstrdup(name);
    dev->type = xstrdup(t);
    dev->n_rxq = 0;
    dev->n_txq = 0;
    atomic_init(&dev->reconfigure_pending, false);
    atomic_init(&dev->change_seq, 1);
    atomic_init(&dev->tx_dropped, 0);
    atomic_init(&dev->rx_dropped, 0);
    for (int i = 0; i < NETDEV_MAX_TXQ; i++) {
        rte_spinlock_init(&dev->txq_locks[i]);
    }
    error = class->construct(dev, &err);
    if (error) {
        log_warn("%s: %s", name, err ? err : nfv_strerror(error));
        if (errp) {
            *errp = err ? err : xstrdup(nfv_strerror(error));
        } else {
            free(err);
        }
        free(dev->name);
        free(dev->type);
        class->dealloc(dev);
        return error;
    }
    struct netdev_node *n = xzalloc(sizeof *n);
    n->dev = dev;
    list_push_back(&open_netdevs, &n->node);
    *netdevp = dev;
    return 0;
}

void
netdev_close(struct netdev *dev)
{
    if (!dev) {
        return;
    }
    struct netdev_node *n = netdev_find_node(dev->name);
    if (n) {
        list_remove(&n->node);
        free(n);
    }
    dev->class->destruct(dev);
    free(dev->name);
    free(dev->type);
    free(dev->error);
    dev->class->dealloc(dev);
    atomic_fetch_add(&global_change_seq, 1);
}

static void
netdev_set_error(struct netdev *dev, const char *msg)
{
    free(dev->error);
    dev->error = msg ? xstrdup(msg) : NULL;
}

int
netdev_reconfigure(struct netdev *dev)
{
    char *err = NULL;
    atomic_store(&dev->reconfigure_pending, false);
    if (!dev->class->reconfigure) {
        return 0;
    }
    if (dev->dp_hooks.pause) {
        dev->dp_hooks.pause(dev, dev->dp_hooks.aux);
    }
    int error = dev->class->reconfigure(dev, &err);
    /* PMDs plus the main thread (OpenFlow packet-out, see dpif.c). */
    int users = netdev_get_tx_users() + 1;
    dev->txq_needs_lock = dev->class != &netdev_tap_class
                          && dev->n_txq < users;
    if (error) {
        log_warn("%s: %s", dev->name, err ? err : nfv_strerror(error));
        netdev_set_error(dev, err ? err : nfv_strerror(error));
    } else {
        netdev_set_error(dev, NULL);
    }
    free(err);
    if (dev->dp_hooks.resume) {
        dev->dp_hooks.resume(dev, dev->dp_hooks.aux);
    }
    netdev_changed(dev);
    return error;
}

int
netdev_set_config(struct netdev *dev, const struct smap *options,
                  char **errp)
{
    bool restart = false;
    char *err = NULL;
    if (errp) {
        *errp = NULL;
    }
    int error = dev->class->set_config
                ? dev->class->set_config(dev, options, &restart, &err) : 0;
    if (!error && restart) {
        error = netdev_reconfigure(dev);
        if (error && dev->error) {
            err = xstrdup(dev->error);
        }
    } else if (error) {
        netdev_set_error(dev, err ? err : nfv_strerror(error));
        log_warn("%s: %s", dev->name, err ? err : nfv_strerror(error));
    }
    if (errp) {
        *errp = err;
    } else {
        free(err);
    }
    return error;
}

int
netdev_set_mtu(struct netdev *dev, int mtu)
{
    bool restart = false;
    if (!dev->class->set_mtu) {
        return EOPNOTSUPP;
    }
    int error = dev->class->set_mtu(dev, mtu, &restart);
    if (!error && restart) {
        error = netdev_reconfigure(dev);
    }
    return error;
}

int
netdev_get_mtu(const struct netdev *dev, int *mtup)
{
    return dev->class->get_mtu ? dev->class->get_mtu(dev, mtup) : EOPNOTSUPP;
}

int
netdev_get_etheraddr(const struct netdev *dev, struct eth_addr *mac)
{
    return dev->class->get_etheraddr ? dev->class->get_etheraddr(dev, mac)
                                     : EOPNOTSUPP;
}

int
netdev_set_etheraddr(struct netdev *dev, struct eth_addr mac)
{
    int error = dev->class->set_etheraddr
                ? dev->class->set_etheraddr(dev, mac) : EOPNOTSUPP;
    if (!error) {
        netdev_changed(dev);
    }
    return error;
}

enum netdev_link_state
netdev_get_link_state(const struct netdev *dev)
{
    return dev->class->get_link_state ? dev->class->get_link_state(dev)
                                      : NETDEV_LINK_DOWN;
}

uint64_t
netdev_get_link_resets(const struct netdev *dev)
{
    return dev->class->get_link_resets ? dev->class->get_link_resets(dev)
                                       : 0;
}

int
netdev_get_speed(const struct netdev *dev, uint32_t *mbps, bool *full)
{
    *mbps = 0;
    *full = false;
    return dev->class->get_speed ? dev->class->get_speed(dev, mbps, full)
                                 : EOPNOTSUPP;
}

int
netdev_get_ifindex(const struct netdev *dev)
{
    return dev->class->get_ifindex ? dev->class->get_ifindex(dev) : 0;
}

int
netdev_get_stats(const struct netdev *dev, struct netdev_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    int error = dev->class->get_stats ? dev->class->get_stats(dev, stats)
                                      : 0;
    stats->tx_dropped += atomic_load_explicit(&dev->tx_dropped,
                                              memory_order_relaxed);
    stats->rx_dropped += atomic_load_explicit(&dev->rx_dropped,
                                              memory_order_relaxed);
    return error;
}

int
netdev_get_status(const struct netdev *dev, struct smap *status)
{
    return dev->class->get_status ? dev->class->get_status(dev, status) : 0;
}

const char *
netdev_get_name(const struct netdev *dev)
{
    return dev->name;
}

const char *
netdev_get_type(const struct netdev *dev)
{
    return dev->type;
}

int
netdev_get_numa_id(const struct netdev *dev)
{
    return dev->numa_id;
}

uint64_t
netdev_get_change_seq(const struct netdev *dev)
{
    return atomic_load(&((struct netdev *) dev)->change_seq);
}

uint64_t
netdev_global_change_seq(void)
{
    return atomic_load(&global_change_seq);
}

void
netdev_changed(struct netdev *dev)
{
    atomic_fetch_add(&dev->change_seq, 1);
    atomic_fetch_add(&global_change_seq, 1);
}

void
netdev_request_reconfigure(struct netdev *dev)
{
    atomic_store(&dev->reconfigure_pending, true);
    netdev_changed(dev);
}

bool
netdev_reconfigure_pending(const struct netdev *dev)
{
    return atomic_load(&((struct netdev *) dev)->reconfigure_pending);
}

const char *
netdev_get_error(const struct netdev *dev)
{
    return dev->error;
}

void
netdev_set_dp_hooks(struct netdev *dev, const struct netdev_dp_hooks *hooks)
{
    if (hooks) {
        dev->dp_hooks = *hooks;
    } else {
        memset(&dev->dp_hooks, 0, sizeof dev->dp_hooks);
    }
}

void
netdev_set_tx_users(int n)
{
    atomic_store(&tx_users, n > 0 ? n : 1);
}

int
netdev_get_tx_users(void)
{
    return atomic_load(&tx_users);
}

void
netdev_run_all(void)
{
    struct netdev_node *n, *next;
    LIST_FOR_EACH_SAFE (n, next, node, &open_netdevs) {
        if (n->dev->class->run) {
            n->dev->class->run(n->dev);
        }
        if (netdev_reconfigure_pending(n->dev)) {
            netdev_reconfigure(n->dev);
        }
    }
}

void
netdev_tx_users_changed(struct netdev *dev, int users)
{
    if (dev->class->tx_users_changed) {
        dev->class->tx_users_changed(dev, users);
    }
}

bool
netdev_rxq_enabled(const struct netdev *dev, int qid)
{
    return dev->class->rxq_enabled ? dev->class->rxq_enabled(dev, qid)
                                   : true;
}

void
netdev_dpdk_started(void)
{
    struct netdev_node *n;
    LIST_FOR_EACH (n, node, &open_netdevs) {
        netdev_request_reconfigure(n->dev);
    }
}
