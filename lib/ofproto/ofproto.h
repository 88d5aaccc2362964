/* ofproto.h: the OpenFlow switch agent of one bridge.
 *
 * An ofproto holds the bridge's OpenFlow state - 254 flow tables of rules
 * (a classifier per table), groups, meters, the OpenFlow view of its ports
 * - and implements the semantics of the messages that change or read it
 * (flow-mod with its strict/non-strict matching, cookies, out_port and
 * out_group filters, overlap checks, timeouts and flow-removed; group-mod;
 * meter-mod; port-mod; statistics).  After each batch of changes it
 * compiles the tables into an immutable snapshot (ofproto/ofpipe.h) and
 * publishes it to the bridge's datapath.
 *
 * Its connections (controllers, the BRIDGE.mgmt socket that ovs-ofctl
 * uses, listeners) are handled by the connection manager
 * (ofproto/connmgr.h), which decodes messages with lib/openflow and calls
 * into this module.
 *
 * ovs-appctl commands: ofproto/list, bridge/dump-flows BRIDGE.
 *
 * Main thread only. */
#ifndef OVSNFV_OFPROTO_H
#define OVSNFV_OFPROTO_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-errors.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-group.h"
#include "openflow/ofp-port.h"

struct dpif;
struct netdev;
struct ofproto;
struct ofpipe_pktin;

#define OFPROTO_N_TABLES 254

enum ofproto_fail_mode {
    OFPROTO_FAIL_STANDALONE,    /* No controller reachable: NORMAL. */
    OFPROTO_FAIL_SECURE,        /* Keep the flow table as it is. */
};

/* A rule entered, changed in or left the tables (for flow monitors, see
 * ofproto/ofproto-monitor.h).  Pointers are valid during the callback. */
enum ofproto_flow_event {
    OFPROTO_FLOW_ADDED = 0,     /* Same values as NXFME_*. */
    OFPROTO_FLOW_DELETED = 1,
    OFPROTO_FLOW_MODIFIED = 2,
};

struct cls_rule;

struct ofproto_flow_change {
    enum ofproto_flow_event event;
    uint8_t reason;             /* DELETED: OFPRR_*. */
    uint8_t table_id;
    uint16_t priority;
    uint16_t idle_timeout, hard_timeout;
    uint64_t cookie;
    const struct ofmatch *match;
    const struct cls_rule *cr;  /* The rule's classifier image. */
    const struct ofinsts *insts;
    const struct ofinsts *old_insts;    /* The instructions it replaced
                                         * (modify, add over a rule), or
                                         * NULL. */
    uint64_t add_seq;           /* Orders additions (see ofproto-monitor). */
};

/* Callbacks to the connection manager (all optional). */
struct ofproto_cbs {
    /* A rule left the tables with OFPFF_SEND_FLOW_REM set. */
    void (*flow_removed)(void *aux, const struct ofp_flow_removed *);
    /* A port was added, deleted or changed. */
    void (*port_status)(void *aux, const struct ofp_port_status *);
    /* A packet for the controllers (from the datapath or a packet-out). */
    void (*packet_in)(void *aux, const struct ofp_packet_in *,
                      uint16_t max_len);
    /* A rule was added, modified or deleted. */
    void (*flow_changed)(void *aux, const struct ofproto_flow_change *);
    void *aux;
};

/* Creates the agent of bridge 'name' over datapath 'dpif' (NULL: no
 * datapath, e.g. in unit tests; nothing is published).  Installs the
 * default rule "priority=0 actions=NORMAL" in table 0, as OVS does. */
struct ofproto *ofproto_create(const char *name, struct dpif *dpif);
void ofproto_destroy(struct ofproto *);
/* Creates a private copy of the rules, groups, meters and ports of 'p'
 * with no datapath, no callbacks and no statistics, to try changes on
 * (e.g. the messages of a bundle before it is committed).  Not listed in
 * ofproto/list.  Free it with ofproto_destroy(). */
struct ofproto *ofproto_create_scratch(const struct ofproto *p);
const char *ofproto_name(const struct ofproto *);
struct dpif *ofproto_dpif(const struct ofproto *);
void ofproto_set_cbs(struct ofproto *, const struct ofproto_cbs *);

/* Identity for features replies. */
void ofproto_set_datapath_id(struct ofproto *, uint64_t dpid);
uint64_t ofproto_get_datapath_id(const struct ofproto *);

/* Bridge:fail_mode.  In standalone mode, while no controller is connected
 * (ofproto_set_controller_connected(false)), the bridge forwards NORMAL
 * regardless of its flow table; secure keeps the flow table. */
void ofproto_set_fail_mode(struct ofproto *, enum ofproto_fail_mode);
enum ofproto_fail_mode ofproto_get_fail_mode(const struct ofproto *);
/* Fragment handling of set-config: with 'drop', IPv4 and IPv6 fragments
 * are dropped before table 0; otherwise ("normal") they go through the
 * tables with their transport ports reading as 0.  Main thread. */
void ofproto_set_frag_drop(struct ofproto *, bool drop);
/* Whether the bridge has controllers configured and whether at least one
 * of them is connected. */
void ofproto_set_controller_state(struct ofproto *, bool configured,
                                  bool connected);

/* Ports.  'ofp_port' is the OpenFlow number (OFPP_LOCAL for the bridge's
 * own port).  Sends port-status to controllers. */
void ofproto_port_add(struct ofproto *, uint32_t ofp_port,
                      struct netdev *netdev, const char *name);
void ofproto_port_del(struct ofproto *, uint32_t ofp_port);
/* Re-reads link states and MACs; sends port-status for changes. */
void ofproto_ports_refresh(struct ofproto *);

/* ---- Operations used by the connection manager -------------------- */

/* Applies a flow-mod decoded for protocol 'version'.  Returns 0 or the
 * error to send (OFPFMFC_*, OFPBIC_*, OFPBAC_*, OFPMMFC_UNKNOWN_METER,
 * OFPBRC_BUFFER_UNKNOWN...).  Changes are published by ofproto_publish()
 * (the caller calls it after a batch of messages). */
enum ofperr ofproto_flow_mod(struct ofproto *, const struct ofp_flow_mod *,
                             uint8_t version);
enum ofperr ofproto_group_mod(struct ofproto *, const struct ofp_group_mod *);
enum ofperr ofproto_meter_mod(struct ofproto *, const struct ofp_meter_mod *);
enum ofperr ofproto_port_mod(struct ofproto *, const struct ofp_port_mod *);
/* Executes a packet-out.  Returns 0 or an error. */
enum ofperr ofproto_packet_out(struct ofproto *,
                               const struct ofp_packet_out *);
/* Compiles and publishes the tables if anything changed since the last
 * time.  Cheap when nothing changed.  Barriers and packet-outs use it. */
void ofproto_publish(struct ofproto *);
/* Publishes within OFPROTO_PUBLISH_DELAY_MS: a stream of flow-mods (e.g.
 * add-flows of a large file) is compiled once, not once per read. */
void ofproto_publish_soon(struct ofproto *);
#define OFPROTO_PUBLISH_DELAY_MS 10

/* Statistics.  Each "collect" call appends entries to a multipart reply
 * being built (see openflow/ofp-multipart.h). */
struct ofpmp_reply;
enum ofperr ofproto_collect_flow_stats(struct ofproto *,
                                       const struct ofp_flow_stats_request *,
                                       struct ofpmp_reply *);
enum ofperr ofproto_aggregate_stats(struct ofproto *,
                                    const struct ofp_flow_stats_request *,
                                    struct ofp_aggregate_stats *);
void ofproto_collect_table_stats(struct ofproto *, struct ofpmp_reply *);
void ofproto_collect_table_features(struct ofproto *, struct ofpmp_reply *);
enum ofperr ofproto_collect_port_stats(struct ofproto *, uint32_t port_no,
                                       struct ofpmp_reply *);
enum ofperr ofproto_collect_port_desc(struct ofproto *, uint32_t port_no,
                                      struct ofpmp_reply *);
enum ofperr ofproto_collect_queue_stats(struct ofproto *, uint32_t port_no,
                                        uint32_t queue_id,
                                        struct ofpmp_reply *);
enum ofperr ofproto_collect_group_stats(struct ofproto *, uint32_t group_id,
                                        struct ofpmp_reply *);
enum ofperr ofproto_collect_group_desc(struct ofproto *, uint32_t group_id,
                                       struct ofpmp_reply *);
void ofproto_get_group_features(struct ofproto *,
                                struct ofp_group_features *);
enum ofperr ofproto_collect_meter_stats(struct ofproto *, uint32_t meter_id,
                                        struct ofpmp_reply *);
enum ofperr ofproto_collect_meter_config(struct ofproto *, uint32_t meter_id,
                                         struct ofpmp_reply *);
void ofproto_get_meter_features(struct ofproto *,
                                struct ofp_meter_features *);
/* Ports for an OpenFlow 1.0 features reply (caller frees the array). */
struct ofp_port *ofproto_get_ports(struct ofproto *, size_t *n);
/* Whether OpenFlow port 'port' exists. */
bool ofproto_has_port(const struct ofproto *, uint32_t port);

/* Runs timeouts now (normally a main-loop timer does it every 250 ms);
 * 'now_ms' is the monotonic time.  For tests. */
void ofproto_run_timeouts(struct ofproto *, long long now_ms);
/* Number of rules in table 'table_id' (for tests and ofproto/list). */
size_t ofproto_n_rules(const struct ofproto *, uint8_t table_id);

/* Hands a packet-in drained from the datapath to the connection manager
 * (main thread; frees the mbuf). */
void ofproto_deliver_pktin(struct ofproto *, struct ofpipe_pktin *);

#endif
