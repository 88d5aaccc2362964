/* dpctl.c: the dpctl/ commands of Open vSwitch 3.1's userspace datapath,
 * in its layout (one datapath, netdev@ovs-netdev, holding the ports of
 * every bridge):
 *   dpctl/show [-s] [DP]: ports with their datapath numbers, configuration
 *     and (with -s) the device counters; counters a device does not keep
 *     print as "?";
 *   dpctl/dump-flows [-m] [DP]: the flow cache entries of every PMD;
 *   dpctl/del-flows [DP]: empties the flow caches.
 * Main thread; the PMDs serve the cache requests themselves. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dpif/dpif-private.h"
#include "dpif/flow-cache.h"
#include "netdev/netdev-provider.h"
#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/util.h"

#define DPCTL_DP_NAME "netdev@ovs-netdev"

static void
put_counter(struct dstr *ds, const char *label, uint64_t value)
{
    if (value == UINT64_MAX) {
        dstr_printf(ds, "%s?", label);
    } else {
        dstr_printf(ds, "%s%" PRIu64, label, value);
    }
}

/* " (1.5 MiB)" for byte counts of at least 1 KiB, nothing below. */
static void
put_human_size(struct dstr *ds, uint64_t bytes)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
    if (bytes == UINT64_MAX || bytes < 1024) {
        return;
    }
    double value = bytes / 1024.0;
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < ARRAY_SIZE(units)) {
        value /= 1024.0;
        unit++;
    }
    dstr_printf(ds, " (%.1f %s)", value, units[unit]);
}

static void
put_port_stats(struct dstr *ds, const struct netdev *dev)
{
    struct netdev_stats s;
    if (netdev_get_stats(dev, &s)) {
        dstr_put(ds, "    could not retrieve stats\n");
        return;
    }
    put_counter(ds, "    RX packets:", s.rx_packets);
    put_counter(ds, " errors:", s.rx_errors);
    put_counter(ds, " dropped:", s.rx_dropped);
    put_counter(ds, " overruns:", s.rx_missed);
    put_counter(ds, " frame:", UINT64_MAX);
    dstr_put(ds, "\n");
    put_counter(ds, "    TX packets:", s.tx_packets);
    put_counter(ds, " errors:", s.tx_errors);
    put_counter(ds, " dropped:", s.tx_dropped);
    put_counter(ds, " aborted:", UINT64_MAX);
    put_counter(ds, " carrier:", UINT64_MAX);
    dstr_put(ds, "\n");
    put_counter(ds, "    collisions:", UINT64_MAX);
    dstr_put(ds, "\n");
    put_counter(ds, "    RX bytes:", s.rx_bytes);
    put_human_size(ds, s.rx_bytes);
    put_counter(ds, "  TX bytes:", s.tx_bytes);
    put_human_size(ds, s.tx_bytes);
    dstr_put(ds, "\n");
}

static int
compare_ports_by_odp_no(const void *a_, const void *b_)
{
    const struct dp_port *const *a = a_, *const *b = b_;
    return (*a)->odp_no < (*b)->odp_no ? -1 : (*a)->odp_no > (*b)->odp_no;
}

/* True if 'arg' names the datapath; else replies with OVS's error. */
static bool
check_dp_name(struct unixctl_conn *conn, const char *arg)
{
    if (!strcmp(arg, DPCTL_DP_NAME) || !strcmp(arg, "ovs-netdev")) {
        return true;
    }
    char *msg = xasprintf("opening datapath %s failed (No such device)",
                          arg);
    unixctl_reply_error(conn, msg);
    free(msg);
    return false;
}

static void
cmd_dpctl_show(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    bool with_stats = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-s") || !strcmp(argv[i], "--statistics")) {
            with_stats = true;
        } else if (!strcmp(argv[i], "--names")
                   || !strcmp(argv[i], "--no-names")) {
            /* Port names are always shown. */
        } else if (!check_dp_name(conn, argv[i])) {
            return;
        }
    }

    size_t n = 0, cap = 16;
    const struct dp_port **ports = xmalloc(cap * sizeof *ports);
    uint64_t hit = 0, missed = 0, lost = 0;
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        struct pmd_stats *st = &pmd->stats;
        hit += dp_counter_get(&st->emc_hits) + dp_counter_get(&st->mf_hits)
               + dp_counter_get(&st->normal_hits);
        missed += dp_counter_get(&st->upcalls);
        lost += dp_counter_get(&st->upcall_fails);
    }
    struct dpif *dp;
    LIST_FOR_EACH (dp, node, dp_all_dpifs()) {
        const struct dp_port *p;
        LIST_FOR_EACH (p, node, &dp->ports) {
            if (n == cap) {
                cap *= 2;
                ports = xrealloc(ports, cap * sizeof *ports);
            }
            ports[n++] = p;
        }
    }
    qsort(ports, n, sizeof *ports, compare_ports_by_odp_no);

    struct dstr ds;
    dstr_init(&ds);
    dstr_printf(&ds, "%s:\n  lookups: hit:%" PRIu64 " missed:%" PRIu64
                " lost:%" PRIu64 "\n  flows: %u\n", DPCTL_DP_NAME, hit, missed,
                lost, flow_cache_total());
    for (size_t i = 0; i < n; i++) {
        const struct netdev *dev = ports[i]->netdev;
        dstr_printf(&ds, "  port %u: %s (%s", ports[i]->odp_no, dev->name,
                    !strcmp(dev->type, "internal") ? "tap" : dev->type);
        char *cfg = dev->class->get_config_text
                    ? dev->class->get_config_text(dev) : NULL;
        if (cfg && cfg[0]) {
            dstr_printf(&ds, ": %s", cfg);
        }
        free(cfg);
        dstr_put(&ds, ")\n");
        if (with_stats) {
            put_port_stats(&ds, dev);
        }
    }
    free(ports);
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

static void
cmd_dpctl_dump_flows(struct unixctl_conn *conn, int argc, const char *argv[],
                     void *aux)
{
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") || !strcmp(argv[i], "--more")) {
            verbose = true;
        } else if (!strcmp(argv[i], "--names")
                   || !strcmp(argv[i], "--no-names")) {
            /* Datapath port numbers are always shown. */
        } else if (!check_dp_name(conn, argv[i])) {
            return;
        }
    }
    struct dstr ds, flows;
    dstr_init(&ds);
    dstr_init(&flows);
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        struct fc_request req = { .verbose = verbose, .ds = &flows };
        dstr_clear(&flows);
        if (dp_pmd_cache_request(pmd, &req)) {
            dstr_printf(&ds, "pmd on cpu core %u did not answer\n",
                        pmd->core_id);
        } else if (req.n_flows) {
            dstr_printf(&ds, "flow-dump from pmd on cpu core: %u\n%s",
                        pmd->core_id, dstr_cstr(&flows));
        }
    }
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&flows);
    dstr_destroy(&ds);
}

static void
cmd_dpctl_del_flows(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *aux)
{
    if (argc > 1 && !check_dp_name(conn, argv[1])) {
        return;
    }
    struct pmd *pmd;
    LIST_FOR_EACH (pmd, node, dp_all_pmds()) {
        struct fc_request req = { .flush = true };
        if (dp_pmd_cache_request(pmd, &req)) {
            char *msg = xasprintf("pmd on cpu core %u did not answer",
                                  pmd->core_id);
            unixctl_reply_error(conn, msg);
            free(msg);
            return;
        }
    }
    unixctl_reply(conn, "");
}

void
dpctl_unixctl_register(void)
{
    unixctl_command_register("dpctl/dump-flows", "[-m] [dp]", 0, 3,
                             cmd_dpctl_dump_flows, NULL);
    unixctl_command_register("dpctl/del-flows", "[dp]", 0, 1,
                             cmd_dpctl_del_flows, NULL);
    unixctl_command_register("dpctl/show", "[-s] [dp]", 0, 3,
                             cmd_dpctl_show, NULL);
}
