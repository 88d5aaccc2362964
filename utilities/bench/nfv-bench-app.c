/* nfv-bench-app: traffic endpoints for nfv-bench.
 *
 * One program, five roles:
 *   send    paced transmit only
 *   recv    receive, validate, count loss/reordering, one-way latency
 *   client  paced transmit with a TSC timestamp, round-trip latency of echoes
 *   server  echo: swap MAC, IP and UDP ports and send back
 *   gen     send and receive in one polling loop: on 2 DPDK ports it sends
 *           on port 0 and receives on port 1 (both ways with --bidir), on
 *           1 port it sends and receives on the same port
 * over DPDK ethdev ports (EAL arguments after "--") or kernel sockets
 * (--io udp|raw).  See Documentation/nfv-bench.md. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_cycles.h>

#include "utilities/bench/histogram.h"
#include "utilities/bench/packet.h"
#include "utilities/bench/port.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(nfv_bench_app);

enum role { ROLE_SEND, ROLE_RECV, ROLE_CLIENT, ROLE_SERVER, ROLE_GEN };

static const char *const role_names[] = {
    [ROLE_SEND] = "send", [ROLE_RECV] = "recv", [ROLE_CLIENT] = "client",
    [ROLE_SERVER] = "server", [ROLE_GEN] = "gen",
};

struct options {
    enum role role;
    const char *io;             /* "dpdk", "udp" or "raw". */
    struct bench_sock_opts sock;
    double rate;                /* Packets per second per direction, 0: max. */
    unsigned int size;          /* Frame size with FCS. */
    unsigned int burst;
    unsigned int flows;
    bool symmetric;
    bool bidir;
    double duration;            /* Seconds measured. */
    double warmup;              /* Seconds before measuring. */
    double drain;               /* Seconds to keep receiving after sending. */
    double idle_exit;           /* recv/server: stop after this idle time. */
    bool touch;
    bool json;
    bool yield;
    bool check_dst;
    struct bench_addr fwd_src;  /* Forward direction: port 0 to port 1. */
    struct bench_addr fwd_dst;
};

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
    (void) sig;
    stop_requested = 1;
}

/* ---- Time. ---- */

static uint64_t tsc_hz;

static uint64_t
calibrate_tsc(void)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    uint64_t t0 = __rdtsc();
    struct timespec nap = { .tv_nsec = 100 * 1000 * 1000 };
    nanosleep(&nap, NULL);
    uint64_t t1 = __rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    return (uint64_t) ((t1 - t0) / secs);
}

static inline uint64_t
now_tsc(void)
{
    return __rdtsc();
}

static double
tsc_to_us(uint64_t cycles)
{
    return cycles * 1e6 / tsc_hz;
}

/* ---- Traffic state. ---- */

/* One transmit direction: a port, its frame templates and pacing. */
struct tx_dir {
    struct bench_port *port;
    uint8_t (*templates)[BENCH_MAX_FRAME];  /* One per flow. */
    uint32_t *seq;                          /* Next seq per flow. */
    unsigned int next_flow;
    uint64_t next_tsc;
    uint64_t burst_interval;                /* 0: unpaced. */
    uint64_t sent;
    uint64_t tx_failed;                     /* Refused by the port. */
};

/* One receive direction. */
struct rx_dir {
    struct bench_port *port;
    uint8_t want_dst[6];
    bool check_dst;
    struct bench_seq seq;
    uint64_t bytes;
    uint64_t warmup_frames;
    uint32_t touch_sum;
};

struct counters_snapshot {
    uint64_t sent, received, lost, tsc;
};

struct app {
    struct options opt;
    uint16_t frame_len;         /* Without FCS. */
    struct tx_dir tx[2];
    unsigned int n_tx;
    struct rx_dir rx[2];
    unsigned int n_rx;
    bool measuring;
    struct bench_hist *latency; /* In TSC cycles. */
    const char *latency_kind;   /* "rtt", "one-way" or NULL. */
    uint64_t echoed;
};

static int
tx_dir_init(struct tx_dir *tx, struct bench_port *port,
            const struct options *opt, const struct bench_addr *src,
            const struct bench_addr *dst, bool reverse, uint16_t frame_len)
{
    memset(tx, 0, sizeof *tx);
    tx->port = port;
    tx->templates = calloc(opt->flows, BENCH_MAX_FRAME);
    tx->seq = calloc(opt->flows, sizeof *tx->seq);
    if (!tx->templates || !tx->seq) {
        return ENOMEM;
    }
    for (unsigned int f = 0; f < opt->flows; f++) {
        /* Symmetric: the reverse direction uses the mirrored 5-tuples. */
        bench_frame_build(tx->templates[f], frame_len, src, dst, f,
                          reverse && opt->symmetric);
    }
    if (opt->rate > 0) {
        tx->burst_interval = (uint64_t) (opt->burst * (double) tsc_hz
                                         / opt->rate);
        if (!tx->burst_interval) {
            tx->burst_interval = 1;
        }
    }
    return 0;
}

static void
tx_dir_reset_for_measure(struct tx_dir *tx, unsigned int n_flows)
{
    memset(tx->seq, 0, n_flows * sizeof *tx->seq);
    tx->sent = 0;
    tx->tx_failed = 0;
}

/* Sends one burst if the pacing allows.  Returns frames sent. */
static unsigned int
tx_dir_poll(struct app *app, struct tx_dir *tx, uint64_t now)
{
    const struct options *opt = &app->opt;
    if (tx->burst_interval) {
        if (now < tx->next_tsc) {
            return 0;
        }
        /* Falling far behind (descheduled): restart the schedule instead
         * of sending a long catch-up train. */
        if (now - tx->next_tsc > 64 * tx->burst_interval) {
            tx->next_tsc = now;
        }
        tx->next_tsc += tx->burst_interval;
    }

    struct bench_frame frames[BENCH_MAX_BURST];
    int n = bench_port_tx_get(tx->port, frames, opt->burst, app->frame_len);
    if (n <= 0) {
        tx->tx_failed += opt->burst;
        return 0;
    }
    uint16_t magic = app->measuring ? BENCH_MAGIC_MEASURE : BENCH_MAGIC_WARMUP;
    size_t copy = opt->touch ? app->frame_len : BENCH_L4_PAYLOAD_OFS;
    for (int i = 0; i < n; i++) {
        unsigned int flow = tx->next_flow;
        if (++tx->next_flow >= opt->flows) {
            tx->next_flow = 0;
        }
        memcpy(frames[i].data, tx->templates[flow], copy);
        struct bench_hdr hdr = {
            .magic = magic,
            .flow = flow,
            .seq = tx->seq[flow]++,
            .tsc = now,
        };
        memcpy(frames[i].data + BENCH_L4_PAYLOAD_OFS, &hdr, sizeof hdr);
    }
    unsigned int sent = bench_port_tx_send(tx->port, n);
    if (sent < (unsigned int) n) {
        /* Give the unsent sequence numbers back so they are not lost. */
        for (int i = n - 1; i >= (int) sent; i--) {
            if (tx->next_flow == 0) {
                tx->next_flow = opt->flows;
            }
            tx->next_flow--;
            tx->seq[tx->next_flow]--;
        }
        tx->tx_failed += n - sent;
    }
    tx->sent += sent;
    return sent;
}

/* Receives one burst on 'rx' and accounts it.  Echoes it back instead when
 * 'echo' is true.  Returns frames received. */
static unsigned int
rx_dir_poll(struct app *app, struct rx_dir *rx, bool echo)
{
    struct bench_frame frames[BENCH_MAX_BURST];
    unsigned int n = bench_port_rx(rx->port, frames, app->opt.burst);
    if (!n) {
        return 0;
    }
    uint64_t now = now_tsc();
    uint64_t bad_before = rx->seq.bad;
    for (unsigned int i = 0; i < n; i++) {
        const struct bench_hdr *hdr = bench_frame_parse(
            frames[i].data, frames[i].len, rx->check_dst ? rx->want_dst : NULL);
        if (!hdr) {
            rx->seq.bad++;
            frames[i].len = 0;      /* The server does not echo it. */
            continue;
        }
        if (app->opt.touch) {
            rx->touch_sum += bench_touch_read(frames[i].data, frames[i].len);
        }
        if (echo) {
            bench_frame_swap(frames[i].data, frames[i].len);
            continue;
        }
        if (hdr->magic != BENCH_MAGIC_MEASURE) {
            rx->warmup_frames++;
            continue;
        }
        bench_seq_account(&rx->seq, hdr->flow, hdr->seq);
        rx->bytes += frames[i].len + BENCH_FCS_LEN;
        if (app->latency && now >= hdr->tsc) {
            bench_hist_record(app->latency, now - hdr->tsc);
        }
    }
    if (echo) {
        rx->seq.received += n - (unsigned int) (rx->seq.bad - bad_before);
        app->echoed += bench_port_echo(rx->port, frames, n);
    } else {
        bench_port_rx_release(rx->port, n);
    }
    return n;
}

/* ---- Reporting. ---- */

static void
totals(const struct app *app, struct counters_snapshot *s, uint64_t now)
{
    memset(s, 0, sizeof *s);
    for (unsigned int i = 0; i < app->n_tx; i++) {
        s->sent += app->tx[i].sent;
    }
    for (unsigned int i = 0; i < app->n_rx; i++) {
        s->received += app->rx[i].seq.received;
        s->lost += app->rx[i].seq.lost;
    }
    s->tsc = now;
}

static void
report_interval(const struct app *app, const struct counters_snapshot *prev,
                const struct counters_snapshot *cur, double t)
{
    double secs = (double) (cur->tsc - prev->tsc) / tsc_hz;
    double tx_mpps = (cur->sent - prev->sent) / secs / 1e6;
    double rx_mpps = (cur->received - prev->received) / secs / 1e6;
    double rx_gbps = rx_mpps * app->opt.size * 8 / 1e3;
    if (app->opt.json) {
        printf("{\"type\":\"interval\",\"role\":\"%s\",\"t\":%.3f,"
               "\"sent\":%"PRIu64",\"received\":%"PRIu64",\"lost\":%"PRIu64","
               "\"tx_mpps\":%.6f,\"rx_mpps\":%.6f,\"rx_gbps\":%.6f}\n",
               role_names[app->opt.role], t, cur->sent, cur->received,
               cur->lost, tx_mpps, rx_mpps, rx_gbps);
    } else {
        printf("%7.1fs %-6s sent %12"PRIu64" recv %12"PRIu64" lost %10"PRIu64
               "  tx %8.4f Mpps  rx %8.4f Mpps %8.4f Gbps\n",
               t, role_names[app->opt.role], cur->sent, cur->received,
               cur->lost, tx_mpps, rx_mpps, rx_gbps);
    }
    fflush(stdout);
}

static void
report_final(const struct app *app, double secs)
{
    struct counters_snapshot s;
    totals(app, &s, 0);
    uint64_t reordered = 0, bad = 0, tx_failed = 0, warm = 0;
    for (unsigned int i = 0; i < app->n_rx; i++) {
        reordered += app->rx[i].seq.reordered;
        bad += app->rx[i].seq.bad;
        warm += app->rx[i].warmup_frames;
    }
    for (unsigned int i = 0; i < app->n_tx; i++) {
        tx_failed += app->tx[i].tx_failed;
    }
    /* With both ends in this process the exact loss is sent - received. */
    uint64_t lost = s.lost;
    if (app->opt.role == ROLE_GEN || app->opt.role == ROLE_CLIENT) {
        lost = s.sent > s.received ? s.sent - s.received : 0;
    }
    double tx_mpps = secs > 0 ? s.sent / secs / 1e6 : 0;
    double rx_mpps = secs > 0 ? s.received / secs / 1e6 : 0;
    double rx_gbps = rx_mpps * app->opt.size * 8 / 1e3;
    double loss_pct = s.sent ? 100.0 * lost / s.sent : 0;

    const struct bench_hist *h = app->latency;
    double lat[6] = { 0 };
    if (h && h->count) {
        lat[0] = tsc_to_us(h->min);
        lat[1] = bench_hist_mean(h) * 1e6 / tsc_hz;
        lat[2] = tsc_to_us(bench_hist_percentile(h, 50));
        lat[3] = tsc_to_us(bench_hist_percentile(h, 99));
        lat[4] = tsc_to_us(bench_hist_percentile(h, 99.9));
        lat[5] = tsc_to_us(h->max);
    }

    if (app->opt.json) {
        printf("{\"type\":\"final\",\"role\":\"%s\",\"io\":\"%s\","
               "\"size\":%u,\"burst\":%u,\"flows\":%u,\"rate\":%.0f,"
               "\"duration\":%.3f,\"sent\":%"PRIu64",\"received\":%"PRIu64","
               "\"lost\":%"PRIu64",\"loss_pct\":%.6f,\"reordered\":%"PRIu64","
               "\"bad\":%"PRIu64",\"tx_failed\":%"PRIu64","
               "\"echoed\":%"PRIu64",\"warmup_received\":%"PRIu64","
               "\"tx_mpps\":%.6f,\"rx_mpps\":%.6f,\"rx_gbps\":%.6f",
               role_names[app->opt.role], app->opt.io, app->opt.size,
               app->opt.burst, app->opt.flows, app->opt.rate, secs, s.sent,
               s.received, lost, loss_pct, reordered, bad, tx_failed,
               app->echoed, warm, tx_mpps, rx_mpps, rx_gbps);
        if (h) {
            printf(",\"latency\":{\"kind\":\"%s\",\"samples\":%"PRIu64","
                   "\"min_us\":%.3f,\"avg_us\":%.3f,\"p50_us\":%.3f,"
                   "\"p99_us\":%.3f,\"p999_us\":%.3f,\"max_us\":%.3f}",
                   app->latency_kind, h->count, lat[0], lat[1], lat[2],
                   lat[3], lat[4], lat[5]);
        }
        printf("}\n");
    } else {
        printf("total %-6s %.2fs: sent %"PRIu64" received %"PRIu64
               " lost %"PRIu64" (%.4f%%) reordered %"PRIu64" bad %"PRIu64
               " tx-refused %"PRIu64"\n"
               "rate: tx %.4f Mpps, rx %.4f Mpps, %.4f Gbps (%u-byte frames)\n",
               role_names[app->opt.role], secs, s.sent, s.received, lost,
               loss_pct, reordered, bad, tx_failed, tx_mpps, rx_mpps, rx_gbps,
               app->opt.size);
        if (h) {
            printf("latency (%s, us, %"PRIu64" samples): min %.2f avg %.2f "
                   "p50 %.2f p99 %.2f p99.9 %.2f max %.2f\n",
                   app->latency_kind, h->count, lat[0], lat[1], lat[2],
                   lat[3], lat[4], lat[5]);
        }
    }
    fflush(stdout);
}

/* ---- Main loop. ---- */

static void
start_measuring(struct app *app)
{
    app->measuring = true;
    for (unsigned int i = 0; i < app->n_tx; i++) {
        tx_dir_reset_for_measure(&app->tx[i], app->opt.flows);
    }
    for (unsigned int i = 0; i < app->n_rx; i++) {
        struct bench_seq *seq = &app->rx[i].seq;
        memset(seq->next, 0, seq->n_flows * sizeof *seq->next);
        seq->received = seq->lost = seq->reordered = seq->bad = 0;
        app->rx[i].bytes = 0;
    }
    app->echoed = 0;
    if (app->latency) {
        bench_hist_init(app->latency);
    }
}

static void
run(struct app *app)
{
    const struct options *opt = &app->opt;
    bool echo = opt->role == ROLE_SERVER;
    uint64_t start = now_tsc();
    uint64_t measure_start = start + (uint64_t) (opt->warmup * tsc_hz);
    uint64_t tx_end = measure_start + (uint64_t) (opt->duration * tsc_hz);
    uint64_t end = tx_end + (uint64_t) (opt->drain * tsc_hz);
    uint64_t idle_limit = (uint64_t) (opt->idle_exit * tsc_hz);
    uint64_t last_rx = 0;
    uint64_t next_report = measure_start + tsc_hz;
    struct counters_snapshot prev = { .tsc = measure_start };
    bool sending = app->n_tx > 0;
    bool sender_role = opt->role == ROLE_SEND || opt->role == ROLE_CLIENT
                       || opt->role == ROLE_GEN;

    for (unsigned int i = 0; i < app->n_tx; i++) {
        app->tx[i].next_tsc = start;
    }
    app->measuring = opt->warmup <= 0;
    if (app->measuring) {
        start_measuring(app);
    }

    for (;;) {
        uint64_t now = now_tsc();
        if (!app->measuring && now >= measure_start) {
            start_measuring(app);
            prev.tsc = now;
        }
        if (sending && (now >= tx_end || stop_requested)) {
            sending = false;
            if (stop_requested) {
                end = now + (uint64_t) (opt->drain * tsc_hz);
            }
            if (opt->role == ROLE_SEND) {
                break;
            }
        }
        /* Senders drain after a stop request; pure receivers just stop. */
        if (now >= end || (!sender_role && stop_requested)) {
            break;
        }
        if (idle_limit && last_rx && now - last_rx > idle_limit) {
            break;
        }

        unsigned int work = 0;
        if (sending) {
            for (unsigned int i = 0; i < app->n_tx; i++) {
                work += tx_dir_poll(app, &app->tx[i], now);
            }
        }
        for (unsigned int i = 0; i < app->n_rx; i++) {
            unsigned int got = rx_dir_poll(app, &app->rx[i], echo);
            if (got) {
                last_rx = now;
                work += got;
            }
        }
        if (!work && opt->yield) {
            sched_yield();
        }

        if (now >= next_report && app->measuring) {
            struct counters_snapshot cur;
            totals(app, &cur, now);
            report_interval(app, &prev, &cur,
                            (double) (now - measure_start) / tsc_hz);
            prev = cur;
            next_report += tsc_hz;
        }
    }

    uint64_t stop = app->n_tx ? tx_end : now_tsc();
    if (stop > now_tsc()) {
        stop = now_tsc();
    }
    double secs = stop > measure_start
                  ? (double) (stop - measure_start) / tsc_hz : 0;
    report_final(app, secs);
}

/* ---- Options. ---- */

static void
usage(void)
{
    printf("usage: %s ROLE [OPTIONS] [-- EAL-ARGUMENTS]\n"
           "Roles: send, recv, client, server, gen.\n"
           "  --io dpdk|udp|raw     packet I/O (default dpdk; DPDK ports come\n"
           "                        from the EAL arguments, e.g. --vdev)\n"
           "  --rate PPS            transmit rate per direction (0: maximum)\n"
           "  --size BYTES          frame size with FCS, 64..1518 (default 64)\n"
           "  --burst N             frames per burst, 1..%d (default 32)\n"
           "  --flows N             distinct 5-tuples (default 1)\n"
           "  --symmetric           reverse traffic mirrors the forward flows\n"
           "  --bidir               gen: send on both ports\n"
           "  --duration SECS       measured time (default 10)\n"
           "  --warmup SECS         traffic before measuring (default 0)\n"
           "  --drain SECS          receive after sending stops (default 0.2)\n"
           "  --idle-exit SECS      recv/server: stop when idle that long\n"
           "  --touch               write and read every payload byte\n"
           "  --yield               sched_yield() when a poll finds nothing\n"
           "  --no-check-dst        accept frames for any destination MAC\n"
           "  --src-mac/--dst-mac MAC, --src-ip/--dst-ip IP,\n"
           "  --src-port/--dst-port N   forward-direction addresses\n"
           "  --iface NAME          raw: interface\n"
           "  --local IP:PORT, --remote IP:PORT   udp: socket addresses\n"
           "  --mmsg                sockets: sendmmsg/recvmmsg\n"
           "  --blocking            sockets: block in receive\n"
           "  --json                JSON lines instead of text\n",
           program_name(), BENCH_MAX_BURST);
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5]) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 255) {
            return false;
        }
        mac[i] = b[i];
    }
    return true;
}

static bool
parse_ip(const char *s, uint32_t *ip)
{
    unsigned int b[4];
    char extra;
    if (sscanf(s, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &extra) != 4
        || b[0] > 255 || b[1] > 255 || b[2] > 255 || b[3] > 255) {
        return false;
    }
    *ip = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
    return true;
}

static bool
parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0) {
        return false;
    }
    *out = v;
    return true;
}

/* Parses the options before "--".  Returns 0, or EINVAL after printing why. */
static int
parse_options(int argc, char *argv[], struct options *opt)
{
    enum {
        OPT_IO = 256, OPT_RATE, OPT_SIZE, OPT_BURST, OPT_FLOWS, OPT_SYMMETRIC,
        OPT_BIDIR, OPT_DURATION, OPT_WARMUP, OPT_DRAIN, OPT_IDLE, OPT_TOUCH,
        OPT_YIELD, OPT_NOCHECK, OPT_SRC_MAC, OPT_DST_MAC, OPT_SRC_IP,
        OPT_DST_IP, OPT_SRC_PORT, OPT_DST_PORT, OPT_IFACE, OPT_LOCAL,
        OPT_REMOTE, OPT_MMSG, OPT_BLOCKING, OPT_JSON, OPT_HELP,
    };
    static const struct option longopts[] = {
        { "io", required_argument, NULL, OPT_IO },
        { "rate", required_argument, NULL, OPT_RATE },
        { "size", required_argument, NULL, OPT_SIZE },
        { "burst", required_argument, NULL, OPT_BURST },
        { "flows", required_argument, NULL, OPT_FLOWS },
        { "symmetric", no_argument, NULL, OPT_SYMMETRIC },
        { "bidir", no_argument, NULL, OPT_BIDIR },
        { "duration", required_argument, NULL, OPT_DURATION },
        { "warmup", required_argument, NULL, OPT_WARMUP },
        { "drain", required_argument, NULL, OPT_DRAIN },
        { "idle-exit", required_argument, NULL, OPT_IDLE },
        { "touch", no_argument, NULL, OPT_TOUCH },
        { "yield", no_argument, NULL, OPT_YIELD },
        { "no-check-dst", no_argument, NULL, OPT_NOCHECK },
        { "src-mac", required_argument, NULL, OPT_SRC_MAC },
        { "dst-mac", required_argument, NULL, OPT_DST_MAC },
        { "src-ip", required_argument, NULL, OPT_SRC_IP },
        { "dst-ip", required_argument, NULL, OPT_DST_IP },
        { "src-port", required_argument, NULL, OPT_SRC_PORT },
        { "dst-port", required_argument, NULL, OPT_DST_PORT },
        { "iface", required_argument, NULL, OPT_IFACE },
        { "local", required_argument, NULL, OPT_LOCAL },
        { "remote", required_argument, NULL, OPT_REMOTE },
        { "mmsg", no_argument, NULL, OPT_MMSG },
        { "blocking", no_argument, NULL, OPT_BLOCKING },
        { "json", no_argument, NULL, OPT_JSON },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 },
    };

    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && !strcmp(argv[1], "--help")) {
            usage();
            exit(EXIT_SUCCESS);
        }
        fprintf(stderr, "%s: missing ROLE (try --help)\n", program_name());
        return EINVAL;
    }
    bool found = false;
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
        if (!strcmp(argv[1], role_names[i])) {
            opt->role = i;
            found = true;
        }
    }
    if (!found) {
        fprintf(stderr, "%s: unknown role \"%s\"\n", program_name(), argv[1]);
        return EINVAL;
    }

    unsigned int u;
    optind = 2;
    for (;;) {
        int c = getopt_long(argc, argv, "", longopts, NULL);
        if (c == -1) {
            break;
        }
        bool ok = true;
        switch (c) {
        case OPT_IO:
            opt->io = optarg;
            ok = !strcmp(optarg, "dpdk") || !strcmp(optarg, "udp")
                 || !strcmp(optarg, "raw");
            break;
        case OPT_RATE: ok = parse_double(optarg, &opt->rate); break;
        case OPT_SIZE:
            ok = str_to_uint(optarg, 10, &u) && u >= BENCH_MIN_FRAME
                 && u <= BENCH_MAX_FRAME;
            opt->size = u;
            break;
        case OPT_BURST:
            ok = str_to_uint(optarg, 10, &u) && u >= 1 && u <= BENCH_MAX_BURST;
            opt->burst = u;
            break;
        case OPT_FLOWS:
            ok = str_to_uint(optarg, 10, &u) && u >= 1 && u <= 65535;
            opt->flows = u;
            break;
        case OPT_SYMMETRIC: opt->symmetric = true; break;
        case OPT_BIDIR: opt->bidir = true; break;
        case OPT_DURATION: ok = parse_double(optarg, &opt->duration); break;
        case OPT_WARMUP: ok = parse_double(optarg, &opt->warmup); break;
        case OPT_DRAIN: ok = parse_double(optarg, &opt->drain); break;
        case OPT_IDLE: ok = parse_double(optarg, &opt->idle_exit); break;
        case OPT_TOUCH: opt->touch = true; break;
        case OPT_YIELD: opt->yield = true; break;
        case OPT_NOCHECK: opt->check_dst = false; break;
        case OPT_SRC_MAC: ok = parse_mac(optarg, opt->fwd_src.mac); break;
        case OPT_DST_MAC: ok = parse_mac(optarg, opt->fwd_dst.mac); break;
        case OPT_SRC_IP: ok = parse_ip(optarg, &opt->fwd_src.ip); break;
        case OPT_DST_IP: ok = parse_ip(optarg, &opt->fwd_dst.ip); break;
        case OPT_SRC_PORT:
            ok = str_to_uint(optarg, 10, &u) && u <= 65535;
            opt->fwd_src.port = u;
            break;
        case OPT_DST_PORT:
            ok = str_to_uint(optarg, 10, &u) && u <= 65535;
            opt->fwd_dst.port = u;
            break;
        case OPT_IFACE: opt->sock.iface = optarg; break;
        case OPT_LOCAL: opt->sock.local = optarg; break;
        case OPT_REMOTE: opt->sock.remote = optarg; break;
        case OPT_MMSG: opt->sock.mmsg = true; break;
        case OPT_BLOCKING: opt->sock.blocking = true; break;
        case OPT_JSON: opt->json = true; break;
        case OPT_HELP: usage(); exit(EXIT_SUCCESS);
        default: return EINVAL;
        }
        if (!ok) {
            fprintf(stderr, "%s: bad value \"%s\" for %s\n", program_name(),
                    optarg, argv[optind - 1]);
            return EINVAL;
        }
    }
    return 0;
}

static void
options_defaults(struct options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->io = "dpdk";
    opt->size = 64;
    opt->burst = 32;
    opt->flows = 1;
    opt->duration = 10;
    opt->drain = 0.2;
    opt->check_dst = true;
    static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 };
    static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    memcpy(opt->fwd_src.mac, mac_a, 6);
    memcpy(opt->fwd_dst.mac, mac_b, 6);
    opt->fwd_src.ip = 0x0a000001;
    opt->fwd_dst.ip = 0x0a000002;
    opt->fwd_src.port = 1024;
    opt->fwd_dst.port = 2048;
}

static void
rx_dir_setup(struct app *app, struct bench_port *port, const uint8_t *mac,
             bool l2)
{
    struct rx_dir *rx = &app->rx[app->n_rx++];
    rx->port = port;
    memcpy(rx->want_dst, mac, 6);
    rx->check_dst = l2 && app->opt.check_dst;
    if (bench_seq_init(&rx->seq, app->opt.flows)) {
        nfv_fatal(ENOMEM, "out of memory");
    }
}

int
main(int argc, char *argv[])
{
    struct app app;
    memset(&app, 0, sizeof app);
    set_program_name(argv[0]);
    options_defaults(&app.opt);
    if (parse_options(argc, argv, &app.opt)) {
        return 2;
    }
    struct options *opt = &app.opt;
    bool dpdk = !strcmp(opt->io, "dpdk");
    bool l2 = strcmp(opt->io, "udp") != 0;

    struct bench_port *ports[2] = { NULL, NULL };
    unsigned int n_ports = 0;
    if (dpdk) {
        /* getopt stopped after "--": hand the rest to the EAL, keeping
         * argv[0] in front. */
        int eal_argc = argc - optind + 1;
        char **eal_argv = argv + optind - 1;
        eal_argv[0] = argv[0];
        if (rte_eal_init(eal_argc, eal_argv) < 0) {
            fprintf(stderr, "%s: EAL initialization failed: %s\n",
                    program_name(), rte_strerror(rte_errno));
            return 1;
        }
        tsc_hz = rte_get_tsc_hz();
        unsigned int avail = rte_eth_dev_count_avail();
        unsigned int want = opt->role == ROLE_GEN && avail >= 2 ? 2 : 1;
        for (uint16_t pid = 0; pid < want; pid++) {
            ports[n_ports] = bench_port_open_dpdk(pid);
            if (!ports[n_ports]) {
                return 1;
            }
            n_ports++;
        }
    } else {
        tsc_hz = calibrate_tsc();
        ports[0] = bench_port_open_socket(opt->io, &opt->sock);
        if (!ports[0]) {
            return 1;
        }
        n_ports = 1;
    }
    app.frame_len = opt->size - BENCH_FCS_LEN;

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    const struct bench_addr *a = &opt->fwd_src, *b = &opt->fwd_dst;
    int err = 0;
    switch (opt->role) {
    case ROLE_SEND:
        err = tx_dir_init(&app.tx[app.n_tx++], ports[0], opt, a, b, false,
                          app.frame_len);
        break;
    case ROLE_RECV:
        rx_dir_setup(&app, ports[0], b->mac, l2);
        app.latency_kind = "one-way";
        break;
    case ROLE_CLIENT:
        err = tx_dir_init(&app.tx[app.n_tx++], ports[0], opt, a, b, false,
                          app.frame_len);
        rx_dir_setup(&app, ports[0], a->mac, l2);
        app.latency_kind = "rtt";
        break;
    case ROLE_SERVER:
        rx_dir_setup(&app, ports[0], b->mac, l2);
        break;
    case ROLE_GEN:
        err = tx_dir_init(&app.tx[app.n_tx++], ports[0], opt, a, b, false,
                          app.frame_len);
        rx_dir_setup(&app, ports[n_ports - 1], b->mac, l2);
        if (!err && opt->bidir && n_ports == 2) {
            err = tx_dir_init(&app.tx[app.n_tx++], ports[1], opt, b, a, true,
                              app.frame_len);
            rx_dir_setup(&app, ports[0], a->mac, l2);
        }
        app.latency_kind = "one-way";
        break;
    }
    if (err) {
        nfv_fatal(err, "cannot set up traffic");
    }
    if (app.latency_kind) {
        app.latency = malloc(sizeof *app.latency);
        if (!app.latency) {
            nfv_fatal(ENOMEM, "out of memory");
        }
        bench_hist_init(app.latency);
    }

    run(&app);

    for (unsigned int i = 0; i < n_ports; i++) {
        bench_port_close(ports[i]);
    }
    if (dpdk) {
        rte_eal_cleanup();
    }
    return 0;
}
