/* Packet ports of nfv-bench-app: one interface, several providers.
 *
 * A port moves bursts of whole Ethernet frames (without FCS).  Providers:
 *   - dpdk: an ethdev port (virtio-user, net_pcap, a PCI device...), after
 *     rte_eal_init();
 *   - udp:  a connected kernel UDP socket; the port sends only the UDP
 *     payload and, on receive, puts a synthetic Ethernet/IPv4/UDP header in
 *     front of it so callers always see whole frames;
 *   - raw:  an AF_PACKET socket bound to an interface.
 * Socket providers can use sendmmsg/recvmmsg ("mmsg") or one call per frame.
 *
 * Buffers stay owned by the port: bench_port_tx_get() lends 'n' writable
 * frames, bench_port_tx_send() sends them (unsent ones are dropped and
 * counted by the caller as not sent); bench_port_rx() lends received frames
 * until the next bench_port_rx_release() or bench_port_echo(), which sends
 * the received frames back out (after the caller edited them in place;
 * frames whose length the caller set to 0 are dropped instead).
 *
 * A port is used by one thread. */
#ifndef BENCH_PORT_H
#define BENCH_PORT_H 1

#include <stdbool.h>
#include <stdint.h>

#include "utilities/bench/packet.h"

#define BENCH_MAX_BURST 256

struct bench_frame {
    uint8_t *data;
    uint16_t len;
};

struct bench_port;

struct bench_port_class {
    const char *name;
    int (*tx_get)(struct bench_port *, struct bench_frame *, unsigned int n,
                  uint16_t len);
    unsigned int (*tx_send)(struct bench_port *, unsigned int n);
    unsigned int (*rx)(struct bench_port *, struct bench_frame *,
                       unsigned int max);
    void (*rx_release)(struct bench_port *, unsigned int n);
    unsigned int (*echo)(struct bench_port *, const struct bench_frame *,
                         unsigned int n);
    void (*close)(struct bench_port *);
};

struct bench_port {
    const struct bench_port_class *class;
    uint8_t mac[6];             /* Our address: expected destination. */
};

/* Options for socket ports. */
struct bench_sock_opts {
    const char *iface;          /* raw: interface to bind to. */
    const char *local;          /* udp: "IP:PORT" to bind. */
    const char *remote;         /* udp: "IP:PORT" to send to (optional for
                                 * a pure receiver). */
    bool mmsg;                  /* Use sendmmsg/recvmmsg. */
    bool blocking;              /* Block in receive (up to 100 ms). */
};

/* Opens DPDK ethdev 'port_id' (EAL already initialized) with one rx and one
 * tx queue and starts it.  Returns the port or NULL after logging why. */
struct bench_port *bench_port_open_dpdk(uint16_t port_id);

/* Opens a socket port of kind "udp" or "raw".  Returns the port or NULL
 * after logging why. */
struct bench_port *bench_port_open_socket(const char *kind,
                                          const struct bench_sock_opts *);

static inline int
bench_port_tx_get(struct bench_port *p, struct bench_frame *f,
                  unsigned int n, uint16_t len)
{
    return p->class->tx_get(p, f, n, len);
}

static inline unsigned int
bench_port_tx_send(struct bench_port *p, unsigned int n)
{
    return p->class->tx_send(p, n);
}

static inline unsigned int
bench_port_rx(struct bench_port *p, struct bench_frame *f, unsigned int max)
{
    return p->class->rx(p, f, max);
}

static inline void
bench_port_rx_release(struct bench_port *p, unsigned int n)
{
    p->class->rx_release(p, n);
}

/* Sends the 'n' frames last received back out, except those whose 'len'
 * the caller set to 0 (dropped).  Returns the number sent. */
static inline unsigned int
bench_port_echo(struct bench_port *p, const struct bench_frame *f,
                unsigned int n)
{
    return p->class->echo(p, f, n);
}

/* Stops and frees 'p'. */
void bench_port_close(struct bench_port *p);

#endif /* BENCH_PORT_H */
