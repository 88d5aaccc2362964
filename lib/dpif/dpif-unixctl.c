/* dpif-unixctl.c: the datapath's ovs-appctl commands, with the line
 * labels and layout of Open vSwitch 3.1's output so that scripts written
 * for it parse ours.  Counters that have no counterpart here (SMC, simple
 * match, recirculation) are printed as 0: ovs-nfv has no such stage.
 * NORMAL-only bridges' MAC table lookups count as "megaflow hits" with one
 * subtable lookup each.  Main thread. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dpif/dpif-private.h"
#include "netdev/netdev-provider.h"
#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/timeval.h"
#include "util/util.h"
#include "util/vlog.h"

/* Counter 'F' of 'pmd' since the last pmd-stats-clear. */
#define STAT(S, B, F) (dp_counter_get(&(S)->F) - dp_counter_get(&(B)->F))

/* Parses "[-pmd CORE] [-secs N] [dp]" into '*core' (-1: every PMD).  On a
 * bad option replies to 'conn' with an error and returns false. */
static bool
parse_pmd_args(struct unixctl_conn *conn, int argc, const char *argv[],
               int *core)
{
    *core = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-pmd") && i + 1 < argc) {
            unsigned int c;
            if (!str_to_uint(argv[++i], 10, &c)) {
                unixctl_reply_error(conn, "Invalid pmd");
                return false;
            }
            *core = c;
        } else if (!strcmp(argv[i], "-secs") && i + 1 < argc) {
            i++;                /* Accepted; the window is fixed at 60 s. */
        } else if (argv[i][0] == '-') {
            char *err = xasprintf("unknown option %s", argv[i]);
            unixctl_reply_error(conn, err);
            free(err);
            return false;
        }
        /* Anything else names the datapath: there is one. */
    }
    return true;
}

/* Whether 'pmd' is the one "-pmd CORE" selected ('core' -1: all are). */
static bool
pmd_selected(const struct pmd *pmd, int core)
{
    return core < 0 || pmd->core_id == (unsigned int) core;
}

static void
format_pmd_header(struct dstr *ds, const struct pmd *pmd)
{
    dstr_printf(ds, "pmd thread numa_id %d core_id %u:\n", pmd->numa_id,
                pmd->core_id);
}

/* The lookup counters of a PMD since its last pmd-stats-clear. */
struct hit_counts {
    uint64_t emc, mega, lookups, upcalls, fails, upcall_cycles;
};

static struct hit_counts
hit_counts(struct pmd *pmd)
{
    struct pmd_stats *s = &pmd->stats, *b = &pmd->base;
    /* NORMAL-only bridges look up the MAC table: one "subtable". */
    uint64_t normal = STAT(s, b, normal_hits);
    return (struct hit_counts) {
        .emc = STAT(s, b, emc_hits),
        .mega = STAT(s, b, mf_hits) + normal,
        .lookups = STAT(s, b, mf_lookups) + normal,
        .upcalls = STAT(s, b, upcalls),
        .fails = STAT(s, b, upcall_fails),
        .upcall_cycles = STAT(s, b, upcall_cycles),
    };
}

static void
format_stats_block(struct dstr *ds, uint64_t rx, const struct hit_counts *h,
                   uint64_t tx_pkts, uint64_t tx_batches, uint64_t idle,
                   uint64_t busy)
{
    dstr_printf(ds, "  packets received: %"PRIu64"\n", rx);
    dstr_printf(ds, "  packet recirculations: 0\n");
    dstr_printf(ds, "  avg. datapath passes per packet: %.02f\n",
                rx ? 1.0 : 0.0);
    dstr_printf(ds, "  phwol hits: 0\n");
    dstr_printf(ds, "  mfex opt hits: 0\n");
    dstr_printf(ds, "  simple match hits: 0\n");
    dstr_printf(ds, "  emc hits: %"PRIu64"\n", h->emc);
    dstr_printf(ds, "  smc hits: 0\n");
    dstr_printf(ds, "  megaflow hits: %"PRIu64"\n", h->mega);
    dstr_printf(ds, "  avg. subtable lookups per megaflow hit: %.02f\n",
                h->mega ? (double) h->lookups / h->mega : 0.0);
    dstr_printf(ds, "  miss with success upcall: %"PRIu64"\n", h->upcalls);
    dstr_printf(ds, "  miss with failed upcall: %"PRIu64"\n", h->fails);
    dstr_printf(ds, "  avg. packets per output batch: %.02f\n",
                tx_batches ? (double) tx_pkts / tx_batches : 0.0);
    uint64_t total = idle + busy;
    if (!total) {
        return;
    }
    dstr_printf(ds, "  idle cycles: %"PRIu64" (%.02f%%)\n", idle,
                idle * 100.0 / total);
    dstr_printf(ds, "  processing cycles: %"PRIu64" (%.02f%%)\n", busy,
                busy * 100.0 / total);
    if (!rx) {
        return;
    }
    dstr_printf(ds, "  avg cycles per packet: %.02f (%"PRIu64"/%"PRIu64")\n",
                (double) total / rx, total, rx);
    dstr_printf(ds, "  avg processing cycles per packet: "
                "%.02f (%"PRIu64"/%"PRIu64")\n", (double) busy / rx, busy, rx);
}

static void
cmd_pmd_stats_show(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux)
{
    int core;
    if (!parse_pmd_args(conn, argc, argv, &core)) {
        return;
    }
    struct dstr ds;
    dstr_init(&ds);
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        if (!pmd_selected(pmd, core)) {
            continue;
        }
        struct pmd_stats *s = &pmd->stats, *b = &pmd->base;
        struct hit_counts h = hit_counts(pmd);
        format_pmd_header(&ds, pmd);
        format_stats_block(&ds, STAT(s, b, rx_packets), &h,
                           STAT(s, b, tx_packets), STAT(s, b, tx_batches),
                           STAT(s, b, idle_cycles), STAT(s, b, busy_cycles));
    }
    if (core < 0) {
        dstr_put(&ds, "main thread:\n");
        struct hit_counts none = { 0 };
        format_stats_block(&ds, 0, &none, 0, 0, 0, 0);
    }
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

static void
cmd_pmd_stats_clear(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *aux)
{
    int core;
    if (!parse_pmd_args(conn, argc, argv, &core)) {
        return;
    }
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        if (pmd_selected(pmd, core)) {
            pmd_stats_read(pmd, &pmd->base);
            pmd->base_time_ms = time_msec();
        }
    }
    unixctl_reply(conn, "");
}

static uint64_t
rxq_recent_cycles(const struct dp_rxq *rxq)
{
    uint64_t c = dp_counter_get((dp_counter *) &rxq->cycles)
                 - rxq->cycles_snap;
    for (int i = 0; i < DP_N_INTERVALS; i++) {
        c += rxq->intervals[i];
    }
    return c;
}

static void
pmd_recent_cycles(struct pmd *pmd, uint64_t *busy, uint64_t *total)
{
    uint64_t b = dp_counter_get(&pmd->stats.busy_cycles);
    uint64_t t = b + dp_counter_get(&pmd->stats.idle_cycles);
    *busy = b - pmd->busy_snap;
    *total = t - pmd->total_snap;
    for (int i = 0; i < DP_N_INTERVALS; i++) {
        *busy += pmd->busy_intervals[i];
        *total += pmd->total_intervals[i];
    }
}

struct rxq_line {
    const char *name;
    int qid;
    bool enabled;
    uint64_t cycles;
};

static int
rxq_line_cmp(const void *a_, const void *b_)
{
    const struct rxq_line *a = a_, *b = b_;
    int c = strcmp(a->name, b->name);
    return c ? c : a->qid - b->qid;
}

static void
cmd_pmd_rxq_show(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux)
{
    int core;
    if (!parse_pmd_args(conn, argc, argv, &core)) {
        return;
    }
    struct dstr ds;
    dstr_init(&ds);
    dstr_printf(&ds, "Displaying last %d seconds pmd usage %%\n",
                DP_N_INTERVALS * DP_INTERVAL_MS / 1000);
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        if (!pmd_selected(pmd, core)) {
            continue;
        }
        format_pmd_header(&ds, pmd);
        dstr_printf(&ds, "  isolated : %s\n", pmd->isolated ? "true"
                                                             : "false");
        uint64_t busy, total;
        pmd_recent_cycles(pmd, &busy, &total);
        struct poll_list *pl = atomic_load(&pmd->poll);
        int n = pl ? pl->n : 0;
        struct rxq_line *lines = xcalloc(n + 1, sizeof *lines);
        uint64_t rxq_sum = 0;
        for (int i = 0; i < n; i++) {
            struct dp_rxq *rxq = pl->rxqs[i];
            lines[i].name = rxq->port->netdev->name;
            lines[i].qid = rxq->qid;
            lines[i].enabled = netdev_rxq_enabled(rxq->port->netdev,
                                                  rxq->qid);
            lines[i].cycles = rxq_recent_cycles(rxq);
            rxq_sum += lines[i].cycles;
        }
        qsort(lines, n, sizeof *lines, rxq_line_cmp);
        for (int i = 0; i < n; i++) {
            dstr_printf(&ds, "  port: %-16s  queue-id: %2d %-10s  pmd usage: ",
                        lines[i].name, lines[i].qid,
                        lines[i].enabled ? "(enabled)" : "(disabled)");
            if (total) {
                uint64_t pct = lines[i].cycles * 100 / total;
                dstr_printf(&ds, "%2"PRIu64" %%\n", pct > 100 ? 100 : pct);
            } else {
                dstr_put(&ds, "NOT AVAIL\n");
            }
        }
        dstr_put(&ds, "  overhead: ");
        if (total) {
            uint64_t over = busy > rxq_sum ? busy - rxq_sum : 0;
            dstr_printf(&ds, "%2"PRIu64" %%\n", over * 100 / total);
        } else {
            dstr_put(&ds, "NOT AVAIL\n");
        }
        free(lines);
    }
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

/* "  LABEL   NUMBER" padded to OVS's 34 columns. */
static void
perf_line(struct dstr *ds, const char *label, uint64_t value)
{
    int width = 34 - (int) strlen(label);
    dstr_printf(ds, "%s%*"PRIu64, label, width > 0 ? width : 1, value);
}

static void
cmd_pmd_perf_show(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux)
{
    int core = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-pmd") && i + 1 < argc) {
            core = atoi(argv[++i]);
        } else if ((!strcmp(argv[i], "-it") || !strcmp(argv[i], "-ms"))
                   && i + 1 < argc) {
            i++;
        }
    }
    struct dstr ds;
    dstr_init(&ds);
    long long now_ms = time_msec();
    long long wall = time_wall_msec();
    time_t secs = wall / 1000;
    struct tm tm;
    localtime_r(&secs, &tm);
    double hz = pmd_tsc_hz();
    struct pmd *pmd;
    bool header = false;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        if (!pmd_selected(pmd, core)) {
            continue;
        }
        double dur = (now_ms - pmd->base_time_ms) / 1000.0;
        if (!header) {
            dstr_printf(&ds, "\nTime: %02d:%02d:%02d.%03lld\n"
                        "Measurement duration: %.3f s\n\n",
                        tm.tm_hour, tm.tm_min, tm.tm_sec, wall % 1000, dur);
            header = true;
        }
        struct pmd_stats *s = &pmd->stats, *b = &pmd->base;
        uint64_t idle_it = STAT(s, b, idle_iters);
        uint64_t busy_it = STAT(s, b, busy_iters);
        uint64_t iters = idle_it + busy_it;
        uint64_t idle = STAT(s, b, idle_cycles);
        uint64_t busy = STAT(s, b, busy_cycles);
        uint64_t used = idle + busy;
        uint64_t rx = STAT(s, b, rx_packets);
        struct hit_counts h = hit_counts(pmd);
        uint64_t tx = STAT(s, b, tx_packets);
        uint64_t txb = STAT(s, b, tx_batches);
        double tot_cycles = dur * hz;

        format_pmd_header(&ds, pmd);
        dstr_put(&ds, "\n");
        if (!iters) {
            perf_line(&ds, "  Iterations:", 0);
            dstr_put(&ds, "\n\n");
            continue;
        }
        perf_line(&ds, "  Iterations:", iters);
        dstr_printf(&ds, "  (%.2f us/it)\n", used / hz * 1e6 / iters);
        perf_line(&ds, "  - Used TSC cycles:", used);
        dstr_printf(&ds, "  (%5.1f %% of total cycles)\n",
                    tot_cycles > 0 ? MIN(100.0, used * 100.0 / tot_cycles)
                                   : 0.0);
        perf_line(&ds, "  - idle iterations:", idle_it);
        dstr_printf(&ds, "  (%5.1f %% of used cycles)\n",
                    used ? idle * 100.0 / used : 0.0);
        perf_line(&ds, "  - busy iterations:", busy_it);
        dstr_printf(&ds, "  (%5.1f %% of used cycles)\n",
                    used ? busy * 100.0 / used : 0.0);
        perf_line(&ds, "  - sleep iterations:", 0);
        dstr_printf(&ds, "  (%5.1f %% of iterations)\n", 0.0);
        perf_line(&ds, "  Sleep time (us):", 0);
        dstr_printf(&ds, "  (%3.0f us/iteration avg.)\n", 0.0);
        perf_line(&ds, "  Rx packets:", rx);
        if (rx) {
            dstr_printf(&ds, "  (%.0f Kpps, %.0f cycles/pkt)\n",
                        dur > 0 ? rx / dur / 1000 : 0.0,
                        (double) busy / rx);
        } else {
            dstr_put(&ds, "\n");
        }
        perf_line(&ds, "  Datapath passes:", rx);
        dstr_printf(&ds, "  (%.2f passes/pkt)\n", rx ? 1.0 : 0.0);
        double pct = rx ? 100.0 / rx : 0.0;
        perf_line(&ds, "  - PHWOL hits:", 0);
        dstr_printf(&ds, "  (%5.1f %%)\n", 0.0);
        perf_line(&ds, "  - MFEX Opt hits:", 0);
        dstr_printf(&ds, "  (%5.1f %%)\n", 0.0);
        perf_line(&ds, "  - Simple Match hits:", 0);
        dstr_printf(&ds, "  (%5.1f %%)\n", 0.0);
        perf_line(&ds, "  - EMC hits:", h.emc);
        dstr_printf(&ds, "  (%5.1f %%)\n", h.emc * pct);
        perf_line(&ds, "  - SMC hits:", 0);
        dstr_printf(&ds, "  (%5.1f %%)\n", 0.0);
        perf_line(&ds, "  - Megaflow hits:", h.mega);
        dstr_printf(&ds, "  (%5.1f %%, %.2f subtbl lookups/hit)\n",
                    h.mega * pct,
                    h.mega ? (double) h.lookups / h.mega : 0.0);
        perf_line(&ds, "  - Upcalls:", h.upcalls);
        dstr_printf(&ds, "  (%5.1f %%, %.1f us/upcall)\n", h.upcalls * pct,
                    h.upcalls ? h.upcall_cycles / hz * 1e6 / h.upcalls
                              : 0.0);
        perf_line(&ds, "  - Lost upcalls:", h.fails);
        dstr_printf(&ds, "  (%5.1f %%)\n", h.fails * pct);
        perf_line(&ds, "  Tx packets:", tx);
        if (tx) {
            dstr_printf(&ds, "  (%.0f Kpps)\n",
                        dur > 0 ? tx / dur / 1000 : 0.0);
            perf_line(&ds, "  Tx batches:", txb);
            dstr_printf(&ds, "  (%.2f pkts/batch)\n",
                        txb ? (double) tx / txb : 0.0);
        } else {
            dstr_put(&ds, "\n");
        }
        dstr_put(&ds, "\n");
    }
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

static void
cmd_pmd_rxq_rebalance(struct unixctl_conn *conn, int argc,
                      const char *argv[], void *aux)
{
    dp_request_rebalance();
    unixctl_reply(conn, "pmd rxq rebalance requested.");
}

struct port_line {
    const char *name;
    const struct dp_port *port;
};

static int
port_line_cmp(const void *a_, const void *b_)
{
    const struct port_line *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

static void
cmd_dpif_show(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    struct dstr ds;
    dstr_init(&ds);
    uint64_t hit = 0;
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        hit += dp_counter_get(&pmd->stats.rx_packets);
    }
    dstr_printf(&ds, "netdev@ovs-netdev: hit:%"PRIu64" missed:0\n", hit);
    struct dpif *dp;
    LIST_FOR_EACH (dp, node, dp_all_dpifs()) {
        dstr_printf(&ds, "  %s:\n", dp->name);
        int n = list_size(&dp->ports), i = 0;
        struct port_line *lines = xcalloc(n + 1, sizeof *lines);
        struct dp_port *p;
        LIST_FOR_EACH (p, node, &dp->ports) {
            lines[i].name = p->netdev->name;
            lines[i].port = p;
            i++;
        }
        qsort(lines, n, sizeof *lines, port_line_cmp);
        for (i = 0; i < n; i++) {
            const struct dp_port *lp = lines[i].port;
            struct netdev *dev = lp->netdev;
            dstr_printf(&ds, "    %s %u/%u: (%s", dev->name, lp->ofp_port,
                        lp->odp_no,
                        !strcmp(dev->type, "internal") ? "tap" : dev->type);
            char *cfg = dev->class->get_config_text
                        ? dev->class->get_config_text(dev) : NULL;
            if (cfg) {
                dstr_printf(&ds, ": %s", cfg);
                free(cfg);
            }
            dstr_put(&ds, ")\n");
        }
        free(lines);
    }
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

struct fdb_row {
    uint32_t port;
    uint16_t vlan;
    struct eth_addr mac;
    uint32_t age;
};

struct fdb_rows {
    struct fdb_row *rows;
    size_t n, cap;
};

static void
fdb_collect(struct eth_addr mac, uint16_t vlan, uint32_t port, uint32_t age,
            void *rows_)
{
    struct fdb_rows *r = rows_;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->rows = xrealloc(r->rows, r->cap * sizeof *r->rows);
    }
    r->rows[r->n++] = (struct fdb_row) { port, vlan, mac, age };
}

static int
fdb_row_cmp(const void *a_, const void *b_)
{
    const struct fdb_row *a = a_, *b = b_;
    if (a->age != b->age) {
        return a->age < b->age ? 1 : -1;    /* Oldest first. */
    }
    return memcmp(a->mac.ea, b->mac.ea, 6);
}

static void
cmd_fdb_show(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct dpif *dp = dpif_lookup(argv[1]);
    if (!dp) {
        unixctl_reply_error(conn, "no such bridge");
        return;
    }
    struct fdb_rows rows = { NULL, 0, 0 };
    mac_table_for_each(atomic_load(&dp->macs), dp_now_s(), fdb_collect,
                       &rows);
    qsort(rows.rows, rows.n, sizeof *rows.rows, fdb_row_cmp);
    struct dstr ds;
    dstr_init(&ds);
    dstr_put(&ds, " port  VLAN  MAC                Age\n");
    for (size_t i = 0; i < rows.n; i++) {
        const struct fdb_row *r = &rows.rows[i];
        if (r->port == DPIF_PORT_LOCAL) {
            dstr_printf(&ds, "%5s", "LOCAL");
        } else {
            dstr_printf(&ds, "%5"PRIu32, r->port);
        }
        dstr_printf(&ds, "  %4d  "ETH_ADDR_FMT"  ", r->vlan,
                    ETH_ADDR_ARGS(r->mac));
        if (r->age == MAC_ENTRY_STATIC) {
            dstr_put(&ds, "static\n");
        } else {
            dstr_printf(&ds, "%3"PRIu32"\n", r->age);
        }
    }
    free(rows.rows);
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

static bool
parse_mac(const char *s, struct eth_addr *mac)
{
    unsigned int b[6];
    char extra;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &extra) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 255) {
            return false;
        }
        mac->ea[i] = b[i];
    }
    return true;
}

/* fdb/add BRIDGE PORT VLAN MAC: a static entry, PORT by name. */
static void
cmd_fdb_add(struct unixctl_conn *conn, int argc, const char *argv[],
            void *aux)
{
    struct dpif *dp = dpif_lookup(argv[1]);
    if (!dp) {
        unixctl_reply_error(conn, "no such bridge");
        return;
    }
    struct dp_port *p, *found = NULL;
    LIST_FOR_EACH (p, node, &dp->ports) {
        if (!strcmp(p->netdev->name, argv[2])) {
            found = p;
        }
    }
    if (!found) {
        unixctl_reply_error(conn, "no such port");
        return;
    }
    unsigned int vlan;
    struct eth_addr mac;
    if (!str_to_uint(argv[3], 10, &vlan) || vlan > 4095) {
        unixctl_reply_error(conn, "invalid vlan");
        return;
    }
    if (!parse_mac(argv[4], &mac)) {
        unixctl_reply_error(conn, "invalid mac");
        return;
    }
    if (!mac_table_add_static(atomic_load(&dp->macs), mac, vlan,
                              found->ofp_port)) {
        unixctl_reply_error(conn, "could not add static mac entry");
        return;
    }
    unixctl_reply(conn, "");
}

static void
cmd_fdb_flush(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    if (argc > 1) {
        struct dpif *dp = dpif_lookup(argv[1]);
        if (!dp) {
            unixctl_reply_error(conn, "no such bridge");
            return;
        }
        dpif_fdb_flush(dp);
    } else {
        struct dpif *dp;
        LIST_FOR_EACH (dp, node, dp_all_dpifs()) {
            dpif_fdb_flush(dp);
        }
    }
    unixctl_reply(conn, "table successfully flushed");
}

void
dpif_unixctl_register(void)
{
    unixctl_command_register("dpif-netdev/pmd-stats-show",
                             "[-pmd core] [dp]", 0, 3, cmd_pmd_stats_show,
                             NULL);
    unixctl_command_register("dpif-netdev/pmd-stats-clear",
                             "[-pmd core] [dp]", 0, 3, cmd_pmd_stats_clear,
                             NULL);
    unixctl_command_register("dpif-netdev/pmd-rxq-show",
                             "[-pmd core] [-secs secs] [dp]", 0, 5,
                             cmd_pmd_rxq_show, NULL);
    unixctl_command_register("dpif-netdev/pmd-perf-show",
                             "[-nh] [-it iter-history-len] "
                             "[-ms ms-history-len] [-pmd core] [dp]", 0, 8,
                             cmd_pmd_perf_show, NULL);
    unixctl_command_register("dpif-netdev/pmd-rxq-rebalance", "[dp]", 0, 1,
                             cmd_pmd_rxq_rebalance, NULL);
    unixctl_command_register("dpif/show", "", 0, 0, cmd_dpif_show, NULL);
    unixctl_command_register("fdb/show", "bridge", 1, 1, cmd_fdb_show, NULL);
    unixctl_command_register("fdb/add", "bridge port vlan mac", 4, 4,
                             cmd_fdb_add, NULL);
    unixctl_command_register("fdb/flush", "[bridge]", 0, 1, cmd_fdb_flush,
                             NULL);
}
