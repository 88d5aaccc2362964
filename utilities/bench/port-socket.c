/* Kernel socket providers (udp, raw) for nfv-bench-app ports. */
#include <config.h>

#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "utilities/bench/port.h"
#include "util/vlog.h"

LOG_MODULE(bench_port_socket);

#define BUF_SIZE 2048

struct sock_port {
    struct bench_port up;
    int fd;
    bool raw;                   /* false: udp, frames carry a fake header. */
    bool mmsg;
    int rx_flags;
    uint16_t tx_len[BENCH_MAX_BURST];
    uint16_t rx_len[BENCH_MAX_BURST];
    struct mmsghdr msgs[BENCH_MAX_BURST];
    struct iovec iovs[BENCH_MAX_BURST];
    uint8_t (*tx_buf)[BUF_SIZE];
    uint8_t (*rx_buf)[BUF_SIZE];
};

static struct sock_port *
sock_port_cast(struct bench_port *p)
{
    return (struct sock_port *) p;
}

/* Bytes of each frame that the kernel sees. */
static size_t
wire_offset(const struct sock_port *p)
{
    return p->raw ? 0 : BENCH_L4_PAYLOAD_OFS;
}

static int
sock_tx_get(struct bench_port *p_, struct bench_frame *f, unsigned int n,
            uint16_t len)
{
    struct sock_port *p = sock_port_cast(p_);
    for (unsigned int i = 0; i < n; i++) {
        f[i].data = p->tx_buf[i];
        f[i].len = len;
        p->tx_len[i] = len;
    }
    return n;
}

/* Sends frames 'bufs' of lengths 'lens', skipping those of length 0. */
static unsigned int
send_frames(struct sock_port *p, uint8_t (*bufs)[BUF_SIZE],
            const uint16_t *lens, unsigned int n)
{
    size_t ofs = wire_offset(p);
    if (p->mmsg) {
        unsigned int k = 0;
        for (unsigned int i = 0; i < n; i++) {
            if (!lens[i]) {
                continue;
            }
            p->iovs[k].iov_base = bufs[i] + ofs;
            p->iovs[k].iov_len = lens[i] - ofs;
            memset(&p->msgs[k], 0, sizeof p->msgs[k]);
            p->msgs[k].msg_hdr.msg_iov = &p->iovs[k];
            p->msgs[k].msg_hdr.msg_iovlen = 1;
            k++;
        }
        int sent = k ? sendmmsg(p->fd, p->msgs, k, MSG_DONTWAIT) : 0;
        return sent < 0 ? 0 : sent;
    }
    unsigned int sent = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (!lens[i]) {
            continue;
        }
        if (send(p->fd, bufs[i] + ofs, lens[i] - ofs, MSG_DONTWAIT) < 0) {
            break;
        }
        sent++;
    }
    return sent;
}

static unsigned int
sock_tx_send(struct bench_port *p_, unsigned int n)
{
    struct sock_port *p = sock_port_cast(p_);
    return send_frames(p, p->tx_buf, p->tx_len, n);
}

static unsigned int
sock_rx(struct bench_port *p_, struct bench_frame *f, unsigned int max)
{
    struct sock_port *p = sock_port_cast(p_);
    size_t ofs = wire_offset(p);
    unsigned int n = 0;

    if (p->mmsg) {
        for (unsigned int i = 0; i < max; i++) {
            p->iovs[i].iov_base = p->rx_buf[i] + ofs;
            p->iovs[i].iov_len = BUF_SIZE - ofs;
            memset(&p->msgs[i], 0, sizeof p->msgs[i]);
            p->msgs[i].msg_hdr.msg_iov = &p->iovs[i];
            p->msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int got = recvmmsg(p->fd, p->msgs, max, p->rx_flags, NULL);
        if (got > 0) {
            for (int i = 0; i < got; i++) {
                p->rx_len[i] = p->msgs[i].msg_len + ofs;
            }
            n = got;
        }
    } else {
        int flags = p->rx_flags;
        while (n < max) {
            ssize_t got = recv(p->fd, p->rx_buf[n] + ofs, BUF_SIZE - ofs,
                               flags);
            if (got < 0) {
                break;
            }
            p->rx_len[n++] = got + ofs;
            flags |= MSG_DONTWAIT;  /* Block at most for the first one. */
        }
    }
    for (unsigned int i = 0; i < n; i++) {
        f[i].data = p->rx_buf[i];
        f[i].len = p->rx_len[i];
    }
    return n;
}

static void
sock_rx_release(struct bench_port *p, unsigned int n)
{
    /* Socket buffers are reused in place: nothing to give back. */
    (void) p;
    (void) n;
}

static unsigned int
sock_echo(struct bench_port *p_, const struct bench_frame *f, unsigned int n)
{
    struct sock_port *p = sock_port_cast(p_);
    for (unsigned int i = 0; i < n; i++) {
        p->rx_len[i] = f[i].len;
    }
    return send_frames(p, p->rx_buf, p->rx_len, n);
}

static void
sock_close(struct bench_port *p_)
{
    struct sock_port *p = sock_port_cast(p_);
    close(p->fd);
    free(p->tx_buf);
    free(p->rx_buf);
    free(p);
}

static const struct bench_port_class sock_port_class = {
    .name = "socket",
    .tx_get = sock_tx_get,
    .tx_send = sock_tx_send,
    .rx = sock_rx,
    .rx_release = sock_rx_release,
    .echo = sock_echo,
    .close = sock_close,
};

/* Parses "IP:PORT" into 'sin'.  Returns 0 or EINVAL. */
static int
parse_ip_port(const char *s, struct sockaddr_in *sin)
{
    char ip[64];
    unsigned int port;
    memset(sin, 0, sizeof *sin);
    if (sscanf(s, "%63[^:]:%u", ip, &port) != 2 || port > 65535
        || inet_pton(AF_INET, ip, &sin->sin_addr) != 1) {
        return EINVAL;
    }
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    return 0;
}

/* Fills the fake Ethernet/IPv4/UDP header that udp ports put in front of
 * received payloads, so that frame parsing works unchanged. */
static void
fill_fake_headers(struct sock_port *p)
{
    struct bench_addr any = { .ip = 0 };
    for (unsigned int i = 0; i < BENCH_MAX_BURST; i++) {
        bench_frame_build(p->rx_buf[i], BENCH_L4_PAYLOAD_OFS + 16, &any,
                          &any, 0, false);
        bench_frame_build(p->tx_buf[i], BENCH_L4_PAYLOAD_OFS + 16, &any,
                          &any, 0, false);
    }
}

/* Large socket buffers ride out short descheduling of the endpoint. */
static void
set_buffer_sizes(int fd)
{
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

static int
open_udp(struct sock_port *p, const struct bench_sock_opts *opts)
{
    struct sockaddr_in local, remote;
    if (!opts->local || parse_ip_port(opts->local, &local)) {
        log_err("udp port needs --local IP:PORT");
        return EINVAL;
    }
    if (opts->remote && parse_ip_port(opts->remote, &remote)) {
        log_err("bad --remote \"%s\" (want IP:PORT)", opts->remote);
        return EINVAL;
    }
    p->fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (p->fd < 0) {
        log_err("socket: %s", strerror(errno));
        return errno;
    }
    set_buffer_sizes(p->fd);
    if (bind(p->fd, (struct sockaddr *) &local, sizeof local) < 0) {
        log_err("bind %s: %s", opts->local, strerror(errno));
        return errno;
    }
    if (opts->remote
        && connect(p->fd, (struct sockaddr *) &remote, sizeof remote) < 0) {
        log_err("connect %s: %s", opts->remote, strerror(errno));
        return errno;
    }
    fill_fake_headers(p);
    return 0;
}

static int
open_raw(struct sock_port *p, const struct bench_sock_opts *opts)
{
    if (!opts->iface) {
        log_err("raw port needs --iface NAME");
        return EINVAL;
    }
    unsigned int ifindex = if_nametoindex(opts->iface);
    if (!ifindex) {
        log_err("%s: no such interface", opts->iface);
        return ENODEV;
    }
    p->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (p->fd < 0) {
        log_err("AF_PACKET socket: %s", strerror(errno));
        return errno;
    }
    set_buffer_sizes(p->fd);
    int one = 1;
    /* Our own transmitted frames would otherwise come back on receive. */
    setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = ifindex,
    };
    if (bind(p->fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        log_err("bind to %s: %s", opts->iface, strerror(errno));
        return errno;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", opts->iface);
    if (!ioctl(p->fd, SIOCGIFHWADDR, &ifr)) {
        memcpy(p->up.mac, ifr.ifr_hwaddr.sa_data, 6);
    }
    return 0;
}

struct bench_port *
bench_port_open_socket(const char *kind, const struct bench_sock_opts *opts)
{
    struct sock_port *p = calloc(1, sizeof *p);
    if (!p) {
        return NULL;
    }
    p->tx_buf = calloc(BENCH_MAX_BURST, BUF_SIZE);
    p->rx_buf = calloc(BENCH_MAX_BURST, BUF_SIZE);
    p->up.class = &sock_port_class;
    p->fd = -1;
    p->mmsg = opts->mmsg;
    p->raw = !strcmp(kind, "raw");
    int err;
    if (!p->tx_buf || !p->rx_buf) {
        err = ENOMEM;
    } else if (p->raw) {
        err = open_raw(p, opts);
    } else if (!strcmp(kind, "udp")) {
        err = open_udp(p, opts);
    } else {
        log_err("unknown socket port kind \"%s\"", kind);
        err = EINVAL;
    }
    if (!err && opts->blocking) {
        struct timeval tv = { .tv_sec = 0, .tv_usec = 100 * 1000 };
        setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        p->rx_flags = p->mmsg ? MSG_WAITFORONE : 0;
    } else {
        p->rx_flags = MSG_DONTWAIT;
    }
    if (err) {
        if (p->fd >= 0) {
            close(p->fd);
        }
        free(p->tx_buf);
        free(p->rx_buf);
        free(p);
        return NULL;
    }
    return &p->up;
}

void
bench_port_close(struct bench_port *p)
{
    if (p) {
        p->class->close(p);
    }
}
