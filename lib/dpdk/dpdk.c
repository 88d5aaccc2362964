/* dpdk.c: EAL initialisation from other_config, mbuf pools, metadata. */
#include <config.h>
#include "dpdk/dpdk.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_version.h>
#include "dpdk/rcu.h"
#include "packet/pkt-meta.h"
#include "util/dirs.h"
#include "util/dstr.h"
#include "util/list.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(dpdk);

int dpdk_pkt_meta_offset = -1;

static bool dpdk_initialized;
static bool dpdk_init_attempted;
static char *vhost_sock_dir;
static bool vhost_iommu;
static bool per_port_memory;
static char version[64];

/* Mbufs per shared pool, at most: enough for many queues of 2048
 * descriptors plus caches, and for vdevs that hold whole captures
 * (net_pcap infinite_rx keeps every frame of its file in mbufs).  Halved
 * until the pool fits in the memory DPDK has. */
#define MEMPOOL_N_MBUFS (128 * 1024 - 1)
#define MEMPOOL_CACHE 256

struct dpdk_mempool {
    struct list_node node;
    struct rte_mempool *mp;
    int numa;
    int mtu;
    char *owner;                /* Port name with per-port-memory. */
    int refcount;
};

static struct list_node mempools = LIST_INITIALIZER(&mempools);
static pthread_mutex_t mempool_mutex = PTHREAD_MUTEX_INITIALIZER;

bool
dpdk_available(void)
{
    return dpdk_initialized;
}

const char *
dpdk_version_string(void)
{
    return version;
}

const char *
dpdk_vhost_sock_dir(void)
{
    return vhost_sock_dir ? vhost_sock_dir : nfv_rundir();
}

bool
dpdk_vhost_iommu_enabled(void)
{
    return vhost_iommu;
}

bool
dpdk_per_port_memory(void)
{
    return per_port_memory;
}

/* Splits 'extra' on whitespace into 'args'. */
static void
add_extra_args(const char *extra, char ***argv, int *argc, int *cap)
{
    char *copy = xstrdup(extra), *save = NULL;
    for (char *tok = strtok_r(copy, " \t\n", &save); tok;
         tok = strtok_r(NULL, " \t\n", &save)) {
        if (*argc + 2 >= *cap) {
            *cap *= 2;
            *argv = xrealloc(*argv, *cap * sizeof **argv);
        }
        (*argv)[(*argc)++] = xstrdup(tok);
    }
    free(copy);
}

static void
add_arg(char ***argv, int *argc, int *cap, const char *arg)
{
    if (*argc + 2 >= *cap) {
        *cap *= 2;
        *argv = xrealloc(*argv, *cap * sizeof **argv);
    }
    (*argv)[(*argc)++] = xstrdup(arg);
}

static bool
args_contain(char **argv, int argc, const char *opt)
{
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], opt) || (str_starts_with(argv[i], opt)
                                       && argv[i][strlen(opt)] == '=')) {
            return true;
        }
    }
    return false;
}

/* DPDK's own log lines go through our log module. */
static ssize_t
dpdk_log_write(void *cookie, const char *buf, size_t size)
{
    char *line = xstrndup(buf, size);
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
        line[--len] = '\0';
    }
    switch (rte_log_cur_msg_loglevel()) {
    case RTE_LOG_EMERG: case RTE_LOG_ALERT: case RTE_LOG_CRIT:
    case RTE_LOG_ERR:
        log_err("%s", line);
        break;
    case RTE_LOG_WARNING:
        log_warn("%s", line);
        break;
    case RTE_LOG_NOTICE: case RTE_LOG_INFO:
        log_info("%s", line);
        break;
    default:
        log_dbg("%s", line);
        break;
    }
    free(line);
    return size;
}

static int
dpdk_do_init(const struct smap *cfg)
{
    const char *s;

    s = smap_get(cfg, "vhost-sock-dir");
    free(vhost_sock_dir);
    vhost_sock_dir = NULL;
    if (s && *s) {
        if (strstr(s, "..")) {
            log_err("vhost-sock-dir %s may not contain '..': ignored", s);
        } else {
            vhost_sock_dir = xasprintf("%s/%s", nfv_rundir(), s);
            if (mkdir(vhost_sock_dir, 0755) && errno != EEXIST) {
                log_warn("cannot create vhost-sock-dir %s: %s",
                         vhost_sock_dir, nfv_strerror(errno));
            }
        }
    }
    if (!vhost_sock_dir) {
        log_info("No vhost-sock-dir provided - defaulting to %s",
                 nfv_rundir());
    }
    vhost_iommu = smap_get_bool(cfg, "vhost-iommu-support", false);
    log_info("IOMMU support for vhost-user-client %s.",
             vhost_iommu ? "enabled" : "disabled");
    per_port_memory = smap_get_bool(cfg, "per-port-memory", false);
    log_info("Per port memory for DPDK devices %s.",
             per_port_memory ? "enabled" : "disabled");

    int cap = 16, argc = 0;
    char **argv = xmalloc(cap * sizeof *argv);
    add_arg(&argv, &argc, &cap, program_name());
    s = smap_get(cfg, "dpdk-extra");
    if (s) {
        add_extra_args(s, &argv, &argc, &cap);
    }
    s = smap_get(cfg, "dpdk-lcore-mask");
    if (s && !args_contain(argv, argc, "-c") && !args_contain(argv, argc, "-l")
        && !args_contain(argv, argc, "--lcores")) {
        add_arg(&argv, &argc, &cap, "-c");
        add_arg(&argv, &argc, &cap, s);
    } else if (!s && !args_contain(argv, argc, "-c")
               && !args_contain(argv, argc, "-l")
               && !args_contain(argv, argc, "--lcores")) {
        /* Lcore 0 floats on the CPUs the main thread may use. */
        cpu_set_t set;
        struct dstr ds = DSTR_INITIALIZER;
        dstr_init(&ds);
        if (!sched_getaffinity(0, sizeof set, &set)) {
            dstr_put(&ds, "0@(");
            bool first = true;
            for (int c = 0; c < CPU_SETSIZE; c++) {
                if (CPU_ISSET(c, &set)) {
                    dstr_printf(&ds, "%s%d", first ? "" : ",", c);
                    first = false;
                }
            }
            dstr_put(&ds, ")");
            add_arg(&argv, &argc, &cap, "--lcores");
            add_arg(&argv, &argc, &cap, dstr_cstr(&ds));
        }
        dstr_destroy(&ds);
    }
    static const struct { const char *key, *opt; } opts[] = {
        { "dpdk-socket-mem", "--socket-mem" },
        { "dpdk-socket-limit", "--socket-limit" },
        { "dpdk-alloc-mem", "-m" },
        { "dpdk-hugepage-dir", "--huge-dir" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
        s = smap_get(cfg, opts[i].key);
        if (s && *s && !args_contain(argv, argc, opts[i].opt)) {
            add_arg(&argv, &argc, &cap, opts[i].opt);
            add_arg(&argv, &argc, &cap, s);
        }
    }
    /* As OVS does: no hugepage files that outlive the process. */
    if (!args_contain(argv, argc, "--in-memory")
        && !args_contain(argv, argc, "--no-huge")
        && !args_contain(argv, argc, "--legacy-mem")) {
        add_arg(&argv, &argc, &cap, "--in-memory");
    }
    argv[argc] = NULL;

    struct dstr ds = DSTR_INITIALIZER;
    dstr_init(&ds);
    for (int i = 0; i < argc; i++) {
        dstr_printf(&ds, "%s%s", i ? " " : "", argv[i]);
    }
    log_info("EAL ARGS: %s", dstr_cstr(&ds));
    dstr_destroy(&ds);

    static cookie_io_functions_t log_funcs = { .write = dpdk_log_write };
    FILE *log_stream = fopencookie(NULL, "w+", log_funcs);
    if (log_stream) {
        setvbuf(log_stream, NULL, _IOLBF, 0);
        rte_openlog_stream(log_stream);
    }

    /* rte_eal_init() may permute argv: keep our copy to free. */
    char **argv_copy = xmemdup(argv, (argc + 1) * sizeof *argv);
    cpu_set_t saved;
    bool have_saved = !pthread_getaffinity_np(pthread_self(), sizeof saved,
                                              &saved);
    int ret = rte_eal_init(argc, argv_copy);
    if (have_saved && !smap_get(cfg, "dpdk-lcore-mask")) {
        /* Without a mask the main thread keeps its original CPUs. */
        pthread_setaffinity_np(pthread_self(), sizeof saved, &saved);
    }
    free(argv_copy);
    for (int i = 0; i < argc; i++) {
        free(argv[i]);
    }
    free(argv);
    if (ret < 0) {
        log_err("Failed to initialize DPDK: %s", rte_strerror(rte_errno));
        return rte_errno ? rte_errno : EINVAL;
    }

    static const struct rte_mbuf_dynfield meta_field = {
        .name = "ovsnfv_pkt_meta",
        .size = sizeof(struct pkt_meta),
        .align = __alignof__(struct pkt_meta),
    };
    dpdk_pkt_meta_offset = rte_mbuf_dynfield_register(&meta_field);
    if (dpdk_pkt_meta_offset < 0) {
        log_err("cannot register the packet metadata field: %s",
                rte_strerror(rte_errno));
        return ENOSPC;
    }
    int err = dp_rcu_init();
    if (err) {
        return err;
    }
    snprintf(version, sizeof version, "%s", rte_version());
    dpdk_initialized = true;
    log_info("DPDK Enabled - initialized");
    return 0;
}

int
dpdk_init_from_config(const struct smap *cfg)
{
    const char *mode = smap_get_def(cfg, "dpdk-init", "false");
    bool try_only = !strcmp(mode, "try");
    if (dpdk_init_attempted) {
        return dpdk_initialized ? 0 : EAGAIN;
    }
    if (strcmp(mode, "true") && !try_only) {
        return 0;
    }
    dpdk_init_attempted = true;
    log_info("Using %s", rte_version());
    log_info("DPDK Enabled - initializing...");
    int err = dpdk_do_init(cfg);
    if (err && !try_only) {
        log_abort("Cannot init EAL");
    }
    return err;
}

static int
mbuf_data_size(int mtu)
{
    /* Ethernet header + two VLAN tags + CRC, rounded to a cache line. */
    int frame = mtu + 14 + 8 + 4;
    return ROUND_UP(frame, RTE_CACHE_LINE_SIZE) + RTE_PKTMBUF_HEADROOM;
}

struct rte_mempool *
dpdk_mempool_get(int numa, int mtu, const char *port_name)
{
    static unsigned int serial;
    struct dpdk_mempool *p;
    const char *owner = per_port_memory ? port_name : NULL;

    pthread_mutex_lock(&mempool_mutex);
    LIST_FOR_EACH (p, node, &mempools) {
        if (p->numa == numa && p->mtu == mtu
            && ((!owner && !p->owner)
                || (owner && p->owner && !strcmp(owner, p->owner)))) {
            p->refcount++;
            pthread_mutex_unlock(&mempool_mutex);
            return p->mp;
        }
    }
    char name[RTE_MEMPOOL_NAMESIZE];
    snprintf(name, sizeof name, "nfv_mp_%d_%d_%u", numa, mtu, serial++);
    unsigned int n = owner ? 4095 : MEMPOOL_N_MBUFS;
    struct rte_mempool *mp = NULL;
    while (!mp && n >= 1023) {
        mp = rte_pktmbuf_pool_create(name, n, MEMPOOL_CACHE, 0,
                                     mbuf_data_size(mtu), numa);
        if (!mp) {
            n /= 2;
        }
    }
    if (!mp) {
        pthread_mutex_unlock(&mempool_mutex);
        log_err("cannot create mbuf pool for NUMA %d MTU %d: %s",
                numa, mtu, rte_strerror(rte_errno));
        return NULL;
    }
    log_info("Allocated mbuf pool %s: %u mbufs, NUMA %d, MTU %d", name, n,
             numa, mtu);
    p = xzalloc(sizeof *p);
    p->mp = mp;
    p->numa = numa;
    p->mtu = mtu;
    p->owner = owner ? xstrdup(owner) : NULL;
    p->refcount = 1;
    list_push_back(&mempools, &p->node);
    pthread_mutex_unlock(&mempool_mutex);
    return mp;
}

void
dpdk_mempool_put(struct rte_mempool *mp)
{
    struct dpdk_mempool *p;
    if (!mp) {
        return;
    }
    pthread_mutex_lock(&mempool_mutex);
    LIST_FOR_EACH (p, node, &mempools) {
        if (p->mp == mp) {
            /* Shared pools stay: mbufs may still sit in other ports'
             * queues.  Private pools go with their port. */
            if (--p->refcount == 0 && p->owner) {
                list_remove(&p->node);
                free(p->owner);
                free(p);
                /* The port's queues are stopped, its mbufs returned. */
                rte_mempool_free(mp);
            }
            break;
        }
    }
    pthread_mutex_unlock(&mempool_mutex);
}
