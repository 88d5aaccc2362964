/* dpif-driver: runs the datapath without the bridge layer, for tests.
 *
 *   dpif-driver --unixctl=SOCKET [--log-file=FILE] [-vSPEC]
 *               [--other-config=KEY=VALUE]...
 *
 * Applies the given Open_vSwitch:other_config (so dpdk-init=true and
 * dpdk-extra=... start DPDK), then serves ovs-appctl on SOCKET: the
 * datapath's own commands plus these, which stand in for OVSDB:
 *
 *   driver/set-global KEY=VALUE...        merge into other_config, apply
 *   driver/add-br BRIDGE
 *   driver/del-br BRIDGE
 *   driver/set-bridge BRIDGE KEY=VALUE... Bridge:other_config
 *   driver/add-port BRIDGE NAME TYPE OFPORT [KEY=VALUE...]  (options;
 *                                          vlan_mode=, tag=, trunks= set
 *                                          the VLAN before the device starts)
 *   driver/set-port BRIDGE NAME KEY=VALUE...   options again
 *   driver/set-port-other BRIDGE NAME KEY=VALUE...  Interface:other_config
 *   driver/set-vlan BRIDGE NAME MODE TAG [TRUNKS]  (TAG -1: none;
 *                                          TRUNKS "1,2,3" or "all")
 *   driver/del-port BRIDGE NAME
 *   driver/set-fwd BRIDGE IN OUT          port-to-port rule (OUT "drop")
 *   driver/clear-fwd BRIDGE IN
 *   driver/port-show NAME                 link, mtu, stats, status, error
 *   driver/dpdk-status                    dpdk_initialized, dpdk_version
 *
 * add-port replies with an error (as Interface:error would hold it) if
 * the port cannot be opened or configured; the port then stays in the
 * bridge without forwarding, as in OVS.  Exits on SIGTERM/SIGINT or the
 * "exit" command, removing all ports first. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_eal.h>
#include "dpdk/dpdk.h"
#include "dpif/dpif.h"
#include "netdev/netdev.h"
#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/list.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(dpif_driver);

struct drv_port {
    struct list_node node;
    char *bridge;
    char *name;
    uint32_t ofp_port;
    struct netdev *netdev;
    bool in_dp;
};

static struct smap global_cfg;
static struct list_node ports = LIST_INITIALIZER(&ports);

static struct drv_port *
port_find(const char *name)
{
    struct drv_port *p;
    LIST_FOR_EACH (p, node, &ports) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

/* Parses KEY=VALUE words argv[first..argc-1] into 'map'. */
static bool
parse_kv(int argc, const char *argv[], int first, struct smap *map)
{
    for (int i = first; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq) {
            return false;
        }
        char *key = xstrndup(argv[i], eq - argv[i]);
        smap_replace(map, key, eq + 1);
        free(key);
    }
    return true;
}

static void
cmd_set_global(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    if (!parse_kv(argc, argv, 1, &global_cfg)) {
        unixctl_reply_error(conn, "expected KEY=VALUE");
        return;
    }
    /* An empty value removes the key, like ovs-vsctl remove. */
    struct smap_node *n, *next;
    SMAP_FOR_EACH_SAFE (n, next, &global_cfg) {
        if (!*n->value) {
            smap_remove(&global_cfg, n->key);
        }
    }
    int err = dpif_set_global_config(&global_cfg);
    unixctl_reply(conn, err ? nfv_strerror(err) : "");
}

static struct dpif *
bridge_arg(struct unixctl_conn *conn, const char *name)
{
    struct dpif *dp = dpif_lookup(name);
    if (!dp) {
        unixctl_reply_error(conn, "no such bridge");
    }
    return dp;
}

static void
cmd_add_br(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct dpif *dp;
    int err = dpif_create(argv[1], &dp);
    if (err) {
        unixctl_reply_error(conn, nfv_strerror(err));
        return;
    }
    unixctl_reply(conn, "");
}

static void
port_remove(struct drv_port *p)
{
    if (p->in_dp) {
        struct dpif *dp = dpif_lookup(p->bridge);
        if (dp) {
            dpif_port_del(dp, p->ofp_port);
        }
    }
    netdev_close(p->netdev);
    list_remove(&p->node);
    free(p->bridge);
    free(p->name);
    free(p);
}

static void
cmd_del_br(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    if (!dp) {
        return;
    }
    struct drv_port *p, *next;
    LIST_FOR_EACH_SAFE (p, next, node, &ports) {
        if (!strcmp(p->bridge, argv[1])) {
            port_remove(p);
        }
    }
    dpif_destroy(dp);
    unixctl_reply(conn, "");
}

static void
cmd_set_bridge(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    if (!dp) {
        return;
    }
    struct smap cfg;
    smap_init(&cfg);
    if (!parse_kv(argc, argv, 2, &cfg)) {
        unixctl_reply_error(conn, "expected KEY=VALUE");
    } else {
        dpif_set_bridge_config(dp, &cfg);
        unixctl_reply(conn, "");
    }
    smap_destroy(&cfg);
}

/* Fills 'v' from MODE, TAG and TRUNKS strings; false if malformed. */
static bool
parse_vlan(const char *mode, const char *tag, const char *trunks,
           struct dpif_vlan_config *v)
{
    memset(v, 0, sizeof *v);
    if (!mode) {
        v->mode = tag && strcmp(tag, "-1") ? DPIF_VLAN_ACCESS
                                           : DPIF_VLAN_TRUNK;
    } else if (!strcmp(mode, "trunk")) {
        v->mode = DPIF_VLAN_TRUNK;
    } else if (!strcmp(mode, "access")) {
        v->mode = DPIF_VLAN_ACCESS;
    } else if (!strcmp(mode, "native-tagged")) {
        v->mode = DPIF_VLAN_NATIVE_TAGGED;
    } else if (!strcmp(mode, "native-untagged")) {
        v->mode = DPIF_VLAN_NATIVE_UNTAGGED;
    } else {
        return false;
    }
    v->tag = -1;
    if (tag && !str_to_int(tag, 10, &v->tag)) {
        return false;
    }
    v->all_vlans = !trunks || !strcmp(trunks, "all");
    if (!v->all_vlans) {
        char *copy = xstrdup(trunks), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t;
             t = strtok_r(NULL, ",", &save)) {
            int vid;
            if (str_to_int(t, 10, &vid) && vid >= 0 && vid < 4096) {
                v->trunks[vid / 64] |= 1ULL << (vid % 64);
            }
        }
        free(copy);
    }
    return true;
}

static void
apply_vlan_options(struct dpif *dp, uint32_t ofp, const struct smap *opts)
{
    const char *mode = smap_get(opts, "vlan_mode");
    const char *tag = smap_get(opts, "tag");
    const char *trunks = smap_get(opts, "trunks");
    struct dpif_vlan_config v;
    if ((mode || tag || trunks) && parse_vlan(mode, tag, trunks, &v)) {
        dpif_port_set_vlan(dp, ofp, &v);
    }
}

static void
cmd_add_port(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    unsigned int ofp;
    if (!dp) {
        return;
    }
    if (port_find(argv[2])) {
        unixctl_reply_error(conn, "port exists");
        return;
    }
    if (!strcmp(argv[4], "LOCAL")) {
        ofp = 65534;
    } else if (!str_to_uint(argv[4], 10, &ofp)) {
        unixctl_reply_error(conn, "bad OFPORT");
        return;
    }
    struct smap options;
    smap_init(&options);
    if (!parse_kv(argc, argv, 5, &options)) {
        unixctl_reply_error(conn, "expected KEY=VALUE");
        smap_destroy(&options);
        return;
    }
    struct netdev *dev;
    char *err = NULL;
    int error = netdev_open(argv[2], argv[3], &dev, &err);
    if (error) {
        unixctl_reply_error(conn, err ? err : nfv_strerror(error));
        free(err);
        smap_destroy(&options);
        return;
    }
    struct drv_port *p = xzalloc(sizeof *p);
    p->bridge = xstrdup(argv[1]);
    p->name = xstrdup(argv[2]);
    p->ofp_port = ofp;
    p->netdev = dev;
    list_push_back(&ports, &p->node);
    /* Into the datapath first, with its VLAN settings, so the device's
     * first packets already see them; then start the device. */
    int add_err = dpif_port_add(dp, dev, ofp);
    p->in_dp = !add_err;
    if (!add_err) {
        apply_vlan_options(dp, ofp, &options);
    }
    smap_remove(&options, "vlan_mode");
    smap_remove(&options, "tag");
    smap_remove(&options, "trunks");
    error = netdev_set_config(dev, &options, &err);
    smap_destroy(&options);
    if (error) {
        unixctl_reply_error(conn, err ? err : nfv_strerror(error));
    } else if (add_err) {
        unixctl_reply_error(conn, nfv_strerror(add_err));
    } else {
        unixctl_reply(conn, "");
    }
    free(err);
}

static void
cmd_set_port(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct drv_port *p = port_find(argv[2]);
    if (!p) {
        unixctl_reply_error(conn, "no such port");
        return;
    }
    struct smap options;
    smap_init(&options);
    parse_kv(argc, argv, 3, &options);
    char *err = NULL;
    int error = netdev_set_config(p->netdev, &options, &err);
    smap_destroy(&options);
    if (error) {
        unixctl_reply_error(conn, err ? err : nfv_strerror(error));
    } else {
        unixctl_reply(conn, "");
    }
    free(err);
}

static void
cmd_set_port_other(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    struct drv_port *p = port_find(argv[2]);
    if (!dp) {
        return;
    }
    if (!p) {
        unixctl_reply_error(conn, "no such port");
        return;
    }
    struct smap cfg;
    smap_init(&cfg);
    parse_kv(argc, argv, 3, &cfg);
    int error = dpif_port_set_config(dp, p->ofp_port, &cfg);
    smap_destroy(&cfg);
    if (error) {
        unixctl_reply_error(conn, nfv_strerror(error));
    } else {
        unixctl_reply(conn, "");
    }
}

static void
cmd_set_vlan(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    struct drv_port *p = port_find(argv[2]);
    if (!dp) {
        return;
    }
    if (!p) {
        unixctl_reply_error(conn, "no such port");
        return;
    }
    struct dpif_vlan_config v;
    if (!parse_vlan(argv[3], argv[4], argc > 5 ? argv[5] : NULL, &v)) {
        unixctl_reply_error(conn, "bad vlan_mode, tag or trunks");
        return;
    }
    int error = dpif_port_set_vlan(dp, p->ofp_port, &v);
    if (error) {
        unixctl_reply_error(conn, nfv_strerror(error));
    } else {
        unixctl_reply(conn, "");
    }
}

static void
cmd_del_port(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    struct drv_port *p = port_find(argv[2]);
    if (!p || strcmp(p->bridge, argv[1])) {
        unixctl_reply_error(conn, "no such port");
        return;
    }
    port_remove(p);
    unixctl_reply(conn, "");
}

static bool
parse_port_no(const char *s, uint32_t *out)
{
    unsigned int v;
    if (!strcmp(s, "LOCAL")) {
        *out = DPIF_PORT_LOCAL;
    } else if (!strcmp(s, "drop")) {
        *out = DPIF_PORT_DROP;
    } else if (str_to_uint(s, 10, &v)) {
        *out = v;
    } else {
        return false;
    }
    return true;
}

static void
cmd_set_fwd(struct unixctl_conn *conn, int argc, const char *argv[],
            void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    uint32_t in, out;
    if (!dp) {
        return;
    }
    if (!parse_port_no(argv[2], &in) || !parse_port_no(argv[3], &out)
        || dpif_set_port_forward(dp, in, out)) {
        unixctl_reply_error(conn, "bad port number");
        return;
    }
    unixctl_reply(conn, "");
}

static void
cmd_clear_fwd(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    struct dpif *dp = bridge_arg(conn, argv[1]);
    uint32_t in;
    if (!dp) {
        return;
    }
    if (!parse_port_no(argv[2], &in)) {
        unixctl_reply_error(conn, "bad port number");
        return;
    }
    dpif_clear_port_forward(dp, in);
    unixctl_reply(conn, "");
}

static void
cmd_port_show(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    struct drv_port *p = port_find(argv[1]);
    if (!p) {
        unixctl_reply_error(conn, "no such port");
        return;
    }
    struct netdev *dev = p->netdev;
    struct dstr ds;
    dstr_init(&ds);
    dstr_printf(&ds, "name=%s\ntype=%s\n", netdev_get_name(dev),
                netdev_get_type(dev));
    dstr_printf(&ds, "link_state=%s\n",
                netdev_get_link_state(dev) == NETDEV_LINK_UP ? "up" : "down");
    dstr_printf(&ds, "link_resets=%"PRIu64"\n", netdev_get_link_resets(dev));
    int mtu;
    if (!netdev_get_mtu(dev, &mtu)) {
        dstr_printf(&ds, "mtu=%d\n", mtu);
    }
    struct eth_addr mac;
    if (!netdev_get_etheraddr(dev, &mac)) {
        dstr_printf(&ds, "mac_in_use="ETH_ADDR_FMT"\n", ETH_ADDR_ARGS(mac));
    }
    dstr_printf(&ds, "ifindex=%d\n", netdev_get_ifindex(dev));
    struct netdev_stats st;
    netdev_get_stats(dev, &st);
    dstr_printf(&ds, "statistics:rx_packets=%"PRIu64"\n", st.rx_packets);
    dstr_printf(&ds, "statistics:tx_packets=%"PRIu64"\n", st.tx_packets);
    dstr_printf(&ds, "statistics:rx_bytes=%"PRIu64"\n", st.rx_bytes);
    dstr_printf(&ds, "statistics:tx_bytes=%"PRIu64"\n", st.tx_bytes);
    dstr_printf(&ds, "statistics:rx_dropped=%"PRIu64"\n", st.rx_dropped);
    dstr_printf(&ds, "statistics:tx_dropped=%"PRIu64"\n", st.tx_dropped);
    dstr_printf(&ds, "statistics:rx_errors=%"PRIu64"\n", st.rx_errors);
    dstr_printf(&ds, "statistics:tx_errors=%"PRIu64"\n", st.tx_errors);
    struct smap status;
    smap_init(&status);
    netdev_get_status(dev, &status);
    const struct smap_node **sorted = smap_sort(&status);
    for (size_t i = 0; i < smap_count(&status); i++) {
        dstr_printf(&ds, "status:%s=%s\n", sorted[i]->key, sorted[i]->value);
    }
    free(sorted);
    smap_destroy(&status);
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

static void
cmd_dpdk_status(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux)
{
    char *s = xasprintf("dpdk_initialized=%s\ndpdk_version=\"%s\"\n",
                        dpif_dpdk_initialized() ? "true" : "false",
                        dpif_dpdk_version());
    unixctl_reply(conn, s);
    free(s);
}

static void
cmd_exit(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    unixctl_reply(conn, "");
    mainloop_exit(0);
}

static void
on_signal(void *aux)
{
    mainloop_exit(0);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        { "unixctl", required_argument, NULL, 'u' },
        { "log-file", required_argument, NULL, 'l' },
        { "other-config", required_argument, NULL, 'o' },
        { "verbose", optional_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    const char *unixctl_path = NULL;

    set_program_name(argv[0]);
    smap_init(&global_cfg);
    for (;;) {
        int c = getopt_long(argc, argv, "v::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'u':
            unixctl_path = optarg;
            break;
        case 'l':
            log_set_file(optarg);
            break;
        case 'o': {
            const char *eq = strchr(optarg, '=');
            if (!eq) {
                nfv_fatal(0, "--other-config needs KEY=VALUE");
            }
            char *key = xstrndup(optarg, eq - optarg);
            smap_replace(&global_cfg, key, eq + 1);
            free(key);
            break;
        }
        case 'v': {
            char *error = log_set_levels_from_string(optarg ? optarg
                                                            : "any:any:dbg");
            if (error) {
                nfv_fatal(0, "%s", error);
            }
            break;
        }
        default:
            exit(EXIT_FAILURE);
        }
    }

    mainloop_init();
    struct unixctl_server *server;
    if (unixctl_server_create(unixctl_path, &server)) {
        nfv_fatal(0, "cannot create the control socket");
    }
    unixctl_register_builtins("dpif-driver (ovs-nfv) " OVS_NFV_VERSION);
    log_register_commands();
    dpif_init();
    int err = dpif_set_global_config(&global_cfg);
    if (err) {
        log_warn("datapath configuration: %s", nfv_strerror(err));
    }

    unixctl_command_register("driver/set-global", "KEY=VALUE...", 1, 64,
                             cmd_set_global, NULL);
    unixctl_command_register("driver/add-br", "BRIDGE", 1, 1, cmd_add_br,
                             NULL);
    unixctl_command_register("driver/del-br", "BRIDGE", 1, 1, cmd_del_br,
                             NULL);
    unixctl_command_register("driver/set-bridge", "BRIDGE KEY=VALUE...", 1,
                             64, cmd_set_bridge, NULL);
    unixctl_command_register("driver/add-port",
                             "BRIDGE NAME TYPE OFPORT [KEY=VALUE...]", 4, 64,
                             cmd_add_port, NULL);
    unixctl_command_register("driver/set-port", "BRIDGE NAME KEY=VALUE...",
                             2, 64, cmd_set_port, NULL);
    unixctl_command_register("driver/set-port-other",
                             "BRIDGE NAME KEY=VALUE...", 2, 64,
                             cmd_set_port_other, NULL);
    unixctl_command_register("driver/set-vlan",
                             "BRIDGE NAME MODE TAG [TRUNKS]", 4, 5,
                             cmd_set_vlan, NULL);
    unixctl_command_register("driver/del-port", "BRIDGE NAME", 2, 2,
                             cmd_del_port, NULL);
    unixctl_command_register("driver/set-fwd", "BRIDGE IN OUT", 3, 3,
                             cmd_set_fwd, NULL);
    unixctl_command_register("driver/clear-fwd", "BRIDGE IN", 2, 2,
                             cmd_clear_fwd, NULL);
    unixctl_command_register("driver/port-show", "NAME", 1, 1,
                             cmd_port_show, NULL);
    unixctl_command_register("driver/dpdk-status", "", 0, 0,
                             cmd_dpdk_status, NULL);
    unixctl_command_register("exit", "", 0, 0, cmd_exit, NULL);
    mainloop_on_signal(SIGTERM, on_signal, NULL);
    mainloop_on_signal(SIGINT, on_signal, NULL);

    log_info("dpif-driver ready");
    int status = mainloop_run();

    while (!list_is_empty(&ports)) {
        port_remove(CONTAINER_OF(ports.next, struct drv_port, node));
    }
    /* Bridges go with the process; stop PMDs by emptying the mask. */
    struct smap stop;
    smap_init(&stop);
    smap_clone(&stop, &global_cfg);
    smap_replace(&stop, "pmd-cpu-mask", "0");
    dpif_set_global_config(&stop);
    smap_destroy(&stop);
    unixctl_server_destroy(server);
    if (dpif_dpdk_initialized()) {
        rte_eal_cleanup();
    }
    smap_destroy(&global_cfg);
    return status;
}
