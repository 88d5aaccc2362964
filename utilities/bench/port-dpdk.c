/* DPDK ethdev provider for nfv-bench-app ports. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "utilities/bench/port.h"
#include "util/vlog.h"

LOG_MODULE(bench_port_dpdk);

#define N_MBUFS 8191
#define RX_DESC 1024
#define TX_DESC 1024

struct dpdk_port {
    struct bench_port up;
    uint16_t port_id;
    struct rte_mempool *pool;
    struct rte_mbuf *tx[BENCH_MAX_BURST];
    struct rte_mbuf *rx[BENCH_MAX_BURST];
};

static struct dpdk_port *
dpdk_port_cast(struct bench_port *p)
{
    return (struct dpdk_port *) p;
}

static int
dpdk_tx_get(struct bench_port *p_, struct bench_frame *f, unsigned int n,
            uint16_t len)
{
    struct dpdk_port *p = dpdk_port_cast(p_);
    if (rte_pktmbuf_alloc_bulk(p->pool, p->tx, n)) {
        return 0;
    }
    for (unsigned int i = 0; i < n; i++) {
        struct rte_mbuf *m = p->tx[i];
        m->data_len = m->pkt_len = len;
        f[i].data = rte_pktmbuf_mtod(m, uint8_t *);
        f[i].len = len;
    }
    return n;
}

static unsigned int
dpdk_tx_send(struct bench_port *p_, unsigned int n)
{
    struct dpdk_port *p = dpdk_port_cast(p_);
    uint16_t sent = rte_eth_tx_burst(p->port_id, 0, p->tx, n);
    if (sent < n) {
        rte_pktmbuf_free_bulk(p->tx + sent, n - sent);
    }
    return sent;
}

static unsigned int
dpdk_rx(struct bench_port *p_, struct bench_frame *f, unsigned int max)
{
    struct dpdk_port *p = dpdk_port_cast(p_);
    uint16_t n = rte_eth_rx_burst(p->port_id, 0, p->rx, max);
    for (uint16_t i = 0; i < n; i++) {
        f[i].data = rte_pktmbuf_mtod(p->rx[i], uint8_t *);
        f[i].len = rte_pktmbuf_data_len(p->rx[i]);
    }
    return n;
}

static void
dpdk_rx_release(struct bench_port *p_, unsigned int n)
{
    struct dpdk_port *p = dpdk_port_cast(p_);
    rte_pktmbuf_free_bulk(p->rx, n);
}

static unsigned int
dpdk_echo(struct bench_port *p_, const struct bench_frame *f, unsigned int n)
{
    struct dpdk_port *p = dpdk_port_cast(p_);
    unsigned int keep = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (f[i].len) {
            p->rx[keep++] = p->rx[i];
        } else {
            rte_pktmbuf_free(p->rx[i]);
        }
    }
    uint16_t sent = rte_eth_tx_burst(p->port_id, 0, p->rx, keep);
    if (sent < keep) {
        rte_pktmbuf_free_bulk(p->rx + sent, keep - sent);
    }
    return sent;
}

static void
dpdk_close(struct bench_port *p_)
{
    struct dpdk_port *p = dpdk_port_cast(p_);
    rte_eth_dev_stop(p->port_id);
    rte_eth_dev_close(p->port_id);
    rte_mempool_free(p->pool);
    free(p);
}

static const struct bench_port_class dpdk_port_class = {
    .name = "dpdk",
    .tx_get = dpdk_tx_get,
    .tx_send = dpdk_tx_send,
    .rx = dpdk_rx,
    .rx_release = dpdk_rx_release,
    .echo = dpdk_echo,
    .close = dpdk_close,
};

struct bench_port *
bench_port_open_dpdk(uint16_t port_id)
{
    if (!rte_eth_dev_is_valid_port(port_id)) {
        log_err("DPDK port %u does not exist (give one --vdev or device "
                "per port in the EAL arguments)", port_id);
        return NULL;
    }

    char name[RTE_MEMPOOL_NAMESIZE];
    snprintf(name, sizeof name, "bench_pool_%u", port_id);
    struct rte_mempool *pool = rte_pktmbuf_pool_create(
        name, N_MBUFS, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
    if (!pool) {
        log_err("port %u: cannot create mbuf pool: %s", port_id,
                rte_strerror(rte_errno));
        return NULL;
    }

    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    int err = rte_eth_dev_configure(port_id, 1, 1, &conf);
    if (!err) {
        err = rte_eth_rx_queue_setup(port_id, 0, RX_DESC,
                                     rte_eth_dev_socket_id(port_id), NULL,
                                     pool);
    }
    if (!err) {
        err = rte_eth_tx_queue_setup(port_id, 0, TX_DESC,
                                     rte_eth_dev_socket_id(port_id), NULL);
    }
    if (!err) {
        err = rte_eth_dev_start(port_id);
    }
    if (err) {
        log_err("port %u: cannot set up: %s", port_id, rte_strerror(-err));
        rte_mempool_free(pool);
        return NULL;
    }
    rte_eth_promiscuous_enable(port_id);

    struct dpdk_port *p = calloc(1, sizeof *p);
    if (!p) {
        rte_eth_dev_stop(port_id);
        rte_mempool_free(pool);
        return NULL;
    }
    p->up.class = &dpdk_port_class;
    p->port_id = port_id;
    p->pool = pool;
    return &p->up;
}
