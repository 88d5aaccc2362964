/* bridge-status.c: write-back of the switch's state.  See bridge-status.h.
 *
 * Three kinds of transaction, all built the same way (compare each column
 * with the replica, write only differences):
 *   - after each reconfiguration: cur_cfg plus everything but statistics
 *     (statistics only for interfaces that have none yet), so a waiting
 *     ovs-vsctl returns as soon as the switch has applied its change;
 *   - every second: the status columns (link state, MTU, status map...);
 *   - every stats-update-interval: Interface:statistics, and
 *     Open_vSwitch:statistics when enable-statistics is on.
 * Statistics are kept out of the reconfiguration transaction because every
 * write comes back as a change notification that triggers a
 * reconfiguration: with moving counters that would never settle. */
#include <config.h>
#include "vswitchd/bridge-status.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/idl.h"
#include "ovsdb/ovsdb-data.h"
#include "util/coverage.h"
#include "util/mainloop.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"
#include "vswitchd/bridge-dpif.h"
#include "vswitchd/bridge.h"
#include "vswitchd/system-stats.h"

LOG_MODULE(bridge_status);
COVERAGE_DEFINE(bridge_status_txn);

#define STATUS_INTERVAL_MS 1000
#define STATS_INTERVAL_MIN_MS 5000
#define SYSTEM_STATS_INTERVAL_MS 5000

/* What one write-back transaction covers. */
enum {
    WB_CUR_CFG = 1 << 0,        /* Open_vSwitch:cur_cfg. */
    WB_STATUS = 1 << 1,         /* Everything but statistics. */
    WB_STATS = 1 << 2,          /* Interface:statistics. */
    WB_NEW_STATS = 1 << 3,      /* Statistics of rows that have none. */
    WB_SYSTEM_STATS = 1 << 4,   /* Open_vSwitch:statistics. */
};

static struct ovsdb_idl *idl;
static struct mainloop_timer *status_timer;
static struct mainloop_timer *stats_timer;
static struct mainloop_timer *system_timer;
static long long stats_interval = STATS_INTERVAL_MIN_MS;
static bool system_stats_enabled;
static bool system_stats_clear;         /* Empty the column once. */
static int64_t cfg_pending = -1;        /* cur_cfg of a failed commit. */
static bridge_controller_status_cb *controller_source;
static void *controller_source_aux;

/* ---------------------------------------------------------------------
 * Column writers: each compares with the replica and writes only a
 * difference.  A column the server's schema lacks is skipped.
 * ------------------------------------------------------------------- */

static const struct ovsdb_datum *
current(const struct ovsdb_idl_row *row, const char *column,
        const struct ovsdb_idl_column **colp)
{
    *colp = ovsdb_idl_table_get_column(row->table, column);
    return *colp ? ovsdb_idl_row_get_datum(row, *colp) : NULL;
}

/* Writes 'datum' (consumed) unless the column already holds it. */
static void
put_datum(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
          const char *column, struct ovsdb_datum *datum)
{
    const struct ovsdb_idl_column *col;
    const struct ovsdb_datum *cur = current(row, column, &col);
    if (!col) {
        ovsdb_datum_init_empty(datum);
        return;
    }
    if (!cur || !ovsdb_datum_equals(cur, datum, &col->type)) {
        ovsdb_idl_txn_write(txn, row, column, datum);
    }
    ovsdb_datum_destroy(datum, &col->type);
}

/* An optional or scalar string; NULL means empty (optional columns). */
static void
put_string(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
           const char *column, const char *value)
{
    struct ovsdb_datum d;
    if (value) {
        ovsdb_datum_from_string(&d, value);
    } else {
        ovsdb_datum_init_empty(&d);
    }
    put_datum(txn, row, column, &d);
}

/* An optional or scalar integer; 'has' false means empty. */
static void
put_int(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
        const char *column, bool has, int64_t value)
{
    struct ovsdb_datum d;
    if (has) {
        ovsdb_datum_from_int(&d, value);
    } else {
        ovsdb_datum_init_empty(&d);
    }
    put_datum(txn, row, column, &d);
}

static void
put_bool(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
         const char *column, bool value)
{
    struct ovsdb_datum d;
    ovsdb_datum_from_bool(&d, value);
    put_datum(txn, row, column, &d);
}

/* A set of strings from a NULL-terminated array. */
static void
put_string_set(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
               const char *column, const char *const *values)
{
    const struct ovsdb_idl_column *col;
    const struct ovsdb_datum *cur = current(row, column, &col);
    if (!col) {
        return;
    }
    struct ovsdb_datum d;
    ovsdb_datum_init_empty(&d);
    for (size_t i = 0; values && values[i]; i++) {
        union ovsdb_atom key = { .string = xstrdup(values[i]) };
        ovsdb_datum_add_unsorted(&d, &key, NULL);
    }
    ovsdb_datum_sort_unique(&d, &col->type);
    if (!cur || !ovsdb_datum_equals(cur, &d, &col->type)) {
        ovsdb_idl_txn_write(txn, row, column, &d);
    }
    ovsdb_datum_destroy(&d, &col->type);
}

/* A string-to-string or string-to-integer map (values in decimal). */
static void
put_smap(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
         const char *column, const struct smap *value)
{
    const struct ovsdb_idl_column *col;
    const struct ovsdb_datum *cur = current(row, column, &col);
    if (!col) {
        return;
    }
    struct smap now;
    if (cur) {
        ovsdb_datum_to_smap(cur, &col->type, &now);
    } else {
        smap_init(&now);
    }
    if (!smap_equal(&now, value)) {
        ovsdb_idl_txn_write_smap(txn, row, column, value);
    }
    smap_destroy(&now);
}

static bool
column_is_empty(const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_idl_column *col;
    const struct ovsdb_datum *cur = current(row, column, &col);
    return col && cur && !cur->n;
}

/* ---------------------------------------------------------------------
 * Rows.
 * ------------------------------------------------------------------- */

static const struct ovsdb_idl_row *
root_row(void)
{
    struct ovsdb_idl_table *table = ovsdb_idl_get_table(idl, "Open_vSwitch");
    const struct ovsdb_idl_row *row = NULL;
    if (table) {
        OVSDB_IDL_FOR_EACH_ROW (row, table) {
            break;
        }
    }
    return row;
}

static void
write_open_vswitch(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
                   unsigned int what, int64_t next_cfg)
{
    static const char *const datapath_types[] = { "netdev", NULL };

    if (what & WB_CUR_CFG) {
        put_int(txn, row, "cur_cfg", true, next_cfg);
    }
    if (what & WB_STATUS) {
        put_string(txn, row, "ovs_version", OVS_NFV_VERSION);
        put_string(txn, row, "db_version", ovsdb_idl_get_schema_version(idl));
        put_string_set(txn, row, "datapath_types", datapath_types);
        put_string_set(txn, row, "iface_types", bridge_dpif_iface_types());
        put_bool(txn, row, "dpdk_initialized",
                 bridge_dpif_dpdk_initialized());
        const char *dpdk_version = bridge_dpif_dpdk_version();
        put_string(txn, row, "dpdk_version",
                   dpdk_version[0] ? dpdk_version : NULL);
    }
    if (what & WB_SYSTEM_STATS) {
        struct smap stats;
        smap_init(&stats);
        if (system_stats_enabled) {
            system_stats_collect(&stats);
        }
        put_smap(txn, row, "statistics", &stats);
        smap_destroy(&stats);
    }
}

static void
write_bridge(struct ovsdb_idl_txn *txn, const struct bridge *br)
{
    const struct ovsdb_idl_row *row = ovsdb_idl_get_row(idl, "Bridge",
                                                        &br->uuid);
    if (!row) {
        return;
    }
    char dpid[17];
    if (br->dpif && br->dpid) {
        snprintf(dpid, sizeof dpid, "%016" PRIx64, br->dpid);
    }
    put_string(txn, row, "datapath_id", br->dpif && br->dpid ? dpid : NULL);
    put_string(txn, row, "datapath_version", br->dpif ? "<built-in>" : "");
}

static void
write_iface(struct ovsdb_idl_txn *txn, struct iface *iface,
            unsigned int what)
{
    if (!iface->has_row) {
        return;
    }
    const struct ovsdb_idl_row *row = ovsdb_idl_get_row(idl, "Interface",
                                                        &iface->uuid);
    if (!row) {
        return;
    }

    if (what & WB_STATUS) {
        put_int(txn, row, "ofport", true, iface->ofport >= 0 ? iface->ofport
                                                             : -1);
        put_string(txn, row, "error", iface_error(iface));

        struct iface_state st;
        bridge_dpif_iface_get_state(iface, &st);
        put_string(txn, row, "admin_state", st.admin_state);
        put_string(txn, row, "link_state", st.link_state);
        put_int(txn, row, "link_resets", st.has_link_resets,
                st.link_resets);
        put_int(txn, row, "link_speed", st.has_link_speed, st.link_speed);
        put_string(txn, row, "duplex", st.duplex);
        put_int(txn, row, "mtu", st.has_mtu, st.mtu);
        put_string(txn, row, "mac_in_use",
                   st.has_mac_in_use ? st.mac_in_use : NULL);
        put_int(txn, row, "ifindex", st.has_ifindex, st.ifindex);
        /* The status map may carry counters (a vhost-user port's per-queue
         * packets): rewrite it every second only when the device says its
         * state changed, otherwise with the statistics. */
        uint64_t seq = bridge_dpif_iface_change_seq(iface);
        if (what & (WB_CUR_CFG | WB_STATS) || seq != iface->status_seq) {
            put_smap(txn, row, "status", &st.status);
            iface->status_seq = seq;
        }
        smap_destroy(&st.status);
    }

    if ((what & WB_STATS)
        || ((what & WB_NEW_STATS) && column_is_empty(row, "statistics"))) {
        struct smap stats;
        smap_init(&stats);
        bridge_dpif_iface_get_stats(iface, &stats);
        put_smap(txn, row, "statistics", &stats);
        smap_destroy(&stats);
    }
}

static void
write_controllers(struct ovsdb_idl_txn *txn, const struct bridge *br)
{
    if (!controller_source) {
        return;
    }
    for (size_t i = 0; i < br->n_controllers; i++) {
        const struct ovsdb_idl_row *row
            = ovsdb_idl_get_row(idl, "Controller", &br->controllers[i]);
        const char *target = row ? ovsdb_idl_row_get_string(row, "target",
                                                            NULL)
                                 : NULL;
        if (!target) {
            continue;
        }
        struct controller_status cs = { .is_connected = false };
        smap_init(&cs.status);
        if (controller_source(br->name, target, &cs,
                              controller_source_aux)) {
            put_bool(txn, row, "is_connected", cs.is_connected);
            put_string(txn, row, "role", cs.role);
            put_smap(txn, row, "status", &cs.status);
        }
        smap_destroy(&cs.status);
    }
}

void
bridge_status_set_controller_source(bridge_controller_status_cb *cb,
                                    void *aux)
{
    controller_source = cb;
    controller_source_aux = aux;
}

/* An Interface row refused outright: only ofport and error. */
static void
write_rejected(struct ovsdb_idl_txn *txn, const struct rejected_iface *r)
{
    const struct ovsdb_idl_row *row = ovsdb_idl_get_row(idl, "Interface",
                                                        &r->uuid);
    if (row) {
        put_int(txn, row, "ofport", true, -1);
        put_string(txn, row, "error", r->error);
    }
}

/* ---------------------------------------------------------------------
 * Transactions.
 * ------------------------------------------------------------------- */

static void write_back(unsigned int what, int64_t next_cfg);

static void
txn_done(struct ovsdb_idl_txn *txn, enum ovsdb_idl_txn_status status,
         const char *error, const json_t *result, void *aux)
{
    intptr_t cfg = (intptr_t) aux;
    if (status == OVSDB_IDL_TXN_ERROR) {
        static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 5);
        log_warn_rl(&rl, "status write-back failed: %s",
                    error ? error : "unknown error");
        /* A waiting ovs-vsctl must still see cur_cfg: send it alone. */
        if (cfg >= 0) {
            write_back(WB_CUR_CFG, cfg);
        }
    } else if (status == OVSDB_IDL_TXN_TRY_AGAIN && cfg >= 0) {
        /* The resync after the reconnect reconfigures and retries; if the
         * connection is fine, retry on the next status tick. */
        cfg_pending = cfg;
    }
}

static void
write_back(unsigned int what, int64_t next_cfg)
{
    if (!idl || !ovsdb_idl_is_synced(idl)) {
        return;
    }
    const struct ovsdb_idl_row *root = root_row();
    if (!root) {
        return;
    }

    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    write_open_vswitch(txn, root, what, next_cfg);

    if (what & (WB_STATUS | WB_STATS | WB_NEW_STATS)) {
        const struct bridge *br;
        HMAP_FOR_EACH (br, node, bridge_all()) {
            if (what & WB_STATUS) {
                write_bridge(txn, br);
                write_controllers(txn, br);
            }
            struct iface *iface;
            HMAP_FOR_EACH (iface, node, &br->ifaces) {
                write_iface(txn, iface, what);
            }
        }
    }
    if (what & WB_STATUS) {
        size_t n;
        const struct rejected_iface *r = bridge_rejected_ifaces(&n);
        for (size_t i = 0; i < n; i++) {
            write_rejected(txn, &r[i]);
        }
    }

    if (!ovsdb_idl_txn_n_ops(txn)) {
        ovsdb_idl_txn_abort(txn);
        return;
    }
    coverage_inc(bridge_status_txn);
    intptr_t cfg = (what & WB_CUR_CFG) ? (intptr_t) next_cfg : -1;
    ovsdb_idl_txn_commit(txn, txn_done, (void *) cfg);
}

void
bridge_status_commit_reconfigure(int64_t next_cfg)
{
    cfg_pending = -1;
    write_back(WB_CUR_CFG | WB_STATUS | WB_NEW_STATS, next_cfg);
}

void
bridge_status_refresh(void)
{
    if (cfg_pending >= 0) {
        int64_t cfg = cfg_pending;
        cfg_pending = -1;
        write_back(WB_CUR_CFG | WB_STATUS, cfg);
    } else {
        write_back(WB_STATUS, 0);
    }
}

/* ---------------------------------------------------------------------
 * Timers and settings.
 * ------------------------------------------------------------------- */

static void
on_status_timer(void *aux)
{
    bridge_status_refresh();
}

static void
on_stats_timer(void *aux)
{
    write_back(WB_STATUS | WB_STATS, 0);
}

static void
on_system_timer(void *aux)
{
    if (system_stats_enabled || system_stats_clear) {
        write_back(WB_SYSTEM_STATS, 0);
        system_stats_clear = false;
    }
}

void
bridge_status_init(struct ovsdb_idl *idl_)
{
    idl = idl_;
    status_timer = mainloop_timer_add(STATUS_INTERVAL_MS, true,
                                      on_status_timer, NULL);
    stats_timer = mainloop_timer_add(stats_interval, true, on_stats_timer,
                                     NULL);
    system_timer = mainloop_timer_add(SYSTEM_STATS_INTERVAL_MS, true,
                                      on_system_timer, NULL);
}

void
bridge_status_exit(void)
{
    mainloop_timer_del(status_timer);
    mainloop_timer_del(stats_timer);
    mainloop_timer_del(system_timer);
    status_timer = stats_timer = system_timer = NULL;
    idl = NULL;
}

void
bridge_status_configure(const struct smap *ovs_other_config)
{
    const char *s = smap_get(ovs_other_config, "stats-update-interval");
    long long interval = STATS_INTERVAL_MIN_MS;
    if (s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (!*s || *end || v < 0) {
            log_warn("other_config:stats-update-interval \"%s\" is not a "
                     "number of milliseconds; using %d", s,
                     STATS_INTERVAL_MIN_MS);
        } else {
            interval = MAX(v, STATS_INTERVAL_MIN_MS);
        }
    }
    if (interval != stats_interval) {
        stats_interval = interval;
        if (stats_timer) {
            mainloop_timer_reset(stats_timer, stats_interval);
        }
        log_info("statistics update interval is now %lld ms",
                 stats_interval);
    }

    bool enable = smap_get_bool(ovs_other_config, "enable-statistics",
                                false);
    if (enable != system_stats_enabled) {
        system_stats_enabled = enable;
        system_stats_clear = !enable;
    }
}
