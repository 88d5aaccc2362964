/* ofproto-stats.c: the statistics and description multiparts of the
 * agent: flow, aggregate, table, table features, port, port desc, queue,
 * group, group desc, group features, meter, meter config, meter
 * features. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dpif/dpif.h"
#include "netdev/netdev.h"
#include "ofproto/ofkey.h"
#include "ofproto/ofproto-private.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-group.h"
#include "openflow/ofp-multipart.h"
#include "openflow/ofp-port.h"
#include "util/timeval.h"
#include "util/util.h"

static void
duration(long long since_ms, uint32_t *sec, uint32_t *nsec)
{
    long long age = time_msec() - since_ms;
    if (age < 0) {
        age = 0;
    }
    *sec = age / 1000;
    *nsec = (age % 1000) * 1000000;
}

/* Rules selected by a flow stats request, in dump order. */
static struct rule **
select_rules(struct ofproto *p, const struct ofp_flow_stats_request *rq,
             size_t *n, enum ofperr *errorp)
{
    *errorp = 0;
    if (rq->table_id != OFPTT_ALL && rq->table_id >= OFPROTO_N_TABLES) {
        *errorp = OFPERR_OFPBRC_BAD_TABLE_ID;
        *n = 0;
        return NULL;
    }
    struct flow_key value, mask;
    enum ofperr error = ofkey_from_match(&rq->match, &value, &mask);
    if (error) {
        *errorp = error;
        *n = 0;
        return NULL;
    }
    if (mask.in_port == UINT32_MAX && value.in_port == OFPP_LOCAL) {
        value.in_port = DPIF_PORT_LOCAL;
    }
    size_t n_all;
    struct rule **all = ofproto_collect_rules(p, rq->table_id, &n_all);
    size_t k = 0;
    for (size_t i = 0; i < n_all; i++) {
        struct rule *r = all[i];
        if (!cls_rule_is_loose_match(&r->cr, &value, &mask)
            || ((r->cookie ^ rq->cookie) & rq->cookie_mask)) {
            continue;
        }
        bool port_ok = rq->out_port == OFPP_ANY;
        for (size_t j = 0; !port_ok && j < r->insts.apply.n; j++) {
            const struct ofact *a = &r->insts.apply.acts[j];
            port_ok = a->type == OFACT_OUTPUT
                      && a->output.port == rq->out_port;
        }
        for (size_t j = 0; !port_ok && j < r->insts.write.n; j++) {
            const struct ofact *a = &r->insts.write.acts[j];
            port_ok = a->type == OFACT_OUTPUT
                      && a->output.port == rq->out_port;
        }
        bool group_ok = rq->out_group == OFPG_ANY;
        for (size_t j = 0; !group_ok && j < r->insts.apply.n; j++) {
            const struct ofact *a = &r->insts.apply.acts[j];
            group_ok = a->type == OFACT_GROUP
                       && a->group_id == rq->out_group;
        }
        for (size_t j = 0; !group_ok && j < r->insts.write.n; j++) {
            const struct ofact *a = &r->insts.write.acts[j];
            group_ok = a->type == OFACT_GROUP
                       && a->group_id == rq->out_group;
        }
        if (port_ok && group_ok) {
            all[k++] = r;
        }
    }
    *n = k;
    return all;
}

enum ofperr
ofproto_collect_flow_stats(struct ofproto *p,
                           const struct ofp_flow_stats_request *rq,
                           struct ofpmp_reply *reply)
{
    size_t n;
    enum ofperr error;
    struct rule **rules = select_rules(p, rq, &n, &error);
    if (error) {
        return error;
    }
    long long now = time_msec();
    for (size_t i = 0; i < n; i++) {
        const struct rule *r = rules[i];
        struct ofp_flow_stats fs;
        memset(&fs, 0, sizeof fs);
        fs.match = r->match;
        fs.table_id = r->table_id;
        duration(r->created_ms, &fs.duration_sec, &fs.duration_nsec);
        fs.priority = r->priority;
        fs.idle_timeout = r->idle_timeout;
        fs.hard_timeout = r->hard_timeout;
        fs.flags = r->flags;
        fs.importance = r->importance;
        fs.cookie = r->cookie;
        ofpipe_counter_read(r->counter, &fs.packet_count, &fs.byte_count);
        uint64_t used = fs.packet_count != r->last_packets ? now : r->used_ms;
        fs.idle_age = (now - used) / 1000 > 0xfffe ? 0xfffe
                      : (now - used) / 1000;
        fs.hard_age = (now - r->modified_ms) / 1000 > 0xfffe ? 0xfffe
                      : (now - r->modified_ms) / 1000;
        fs.insts = r->insts;    /* Borrowed: not uninit'ed below. */
        ofp_append_flow_stats(reply, &fs);
    }
    free(rules);
    return 0;
}

enum ofperr
ofproto_aggregate_stats(struct ofproto *p,
                        const struct ofp_flow_stats_request *rq,
                        struct ofp_aggregate_stats *as)
{
    size_t n;
    enum ofperr error;
    memset(as, 0, sizeof *as);
    struct rule **rules = select_rules(p, rq, &n, &error);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t packets, bytes;
        ofpipe_counter_read(rules[i]->counter, &packets, &bytes);
        as->packet_count += packets;
        as->byte_count += bytes;
    }
    as->flow_count = n;
    free(rules);
    return 0;
}

void
ofproto_collect_table_stats(struct ofproto *p, struct ofpmp_reply *reply)
{
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        struct ofp_table_stats ts;
        memset(&ts, 0, sizeof ts);
        ts.table_id = t;
        ts.name[0] = 0;         /* As Open vSwitch: no names. */
        ts.wildcards = 0x3fffff;
        ts.max_entries = 1000000;
        ts.active_count = cls_count(&p->tables[t]);
        uint64_t bytes;
        ofpipe_counter_read(p->table_lookup_counter[t], &ts.lookup_count,
                            &bytes);
        ofpipe_counter_read(p->table_matched_counter[t], &ts.matched_count,
                            &bytes);
        ofp_append_table_stats(reply, &ts);
    }
}

void
ofproto_collect_table_features(struct ofproto *p, struct ofpmp_reply *reply)
{
    (void) p;
    struct ofp_table_features tf;
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        memset(&tf, 0, sizeof tf);
        tf.table_id = t;
        snprintf(tf.name, sizeof tf.name, "table%d", t);
        tf.metadata_match = UINT64_MAX;
        tf.metadata_write = UINT64_MAX;
        tf.max_entries = 1000000;
        tf.instructions = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4)
                          | (1 << 5) | (1 << 6);
        if (t == OFPROTO_N_TABLES - 1) {
            tf.instructions &= ~(1 << 1);       /* No goto from the last. */
        }
        for (int n = t + 1; n < OFPROTO_N_TABLES; n++) {
            tf.next_tables[tf.n_next_tables++] = n;
        }
        /* output, copy_ttl_out/in, set/dec mpls ttl, push/pop vlan,
         * push/pop mpls, set_queue, group, set/dec nw ttl, set_field,
         * push/pop pbb. */
        tf.actions = (1ULL << 0) | (1ULL << 11) | (1ULL << 12)
                     | (1ULL << 15) | (1ULL << 16) | (1ULL << 17)
                     | (1ULL << 18) | (1ULL << 19) | (1ULL << 20)
                     | (1ULL << 21) | (1ULL << 22) | (1ULL << 23)
                     | (1ULL << 24) | (1ULL << 25) | (1ULL << 26)
                     | (1ULL << 27);
        uint64_t fields = 0, settable = 0;
        for (int f = 0; f <= MFF_TUNNEL_ID + 1 && f < 64; f++) {
            if (f <= MFF_IPV6_EXTHDR && ofkey_field_supported(f)) {
                fields |= 1ULL << f;
            }
        }
        settable = fields & ~((1ULL << MFF_IN_PORT) | (1ULL << MFF_IN_PHY_PORT)
                              | (1ULL << MFF_METADATA)
                              | (1ULL << MFF_ETH_TYPE)
                              | (1ULL << MFF_IP_PROTO)
                              | (1ULL << MFF_IPV6_EXTHDR));
        tf.match_fields = fields;
        tf.wildcard_fields = fields;
        tf.write_setfields = settable;
        tf.apply_setfields = settable;
        ofp_append_table_features(reply, &tf);
    }
}

static void
port_stats_one(struct ofproto *p, const struct ofport *op,
               struct ofpmp_reply *reply)
{
    struct ofp_port_stats ps;
    memset(&ps, 0, sizeof ps);
    ps.port_no = op->pp.port_no;
    struct netdev_stats st;
    memset(&st, 0, sizeof st);
    if (p->dpif
        && dpif_port_get_stats(p->dpif, ofproto_port_to_dp(op->pp.port_no),
                               &st)) {
        if (op->netdev) {
            netdev_get_stats(op->netdev, &st);
        }
    }
    ps.rx_packets = st.rx_packets;
    ps.tx_packets = st.tx_packets;
    ps.rx_bytes = st.rx_bytes;
    ps.tx_bytes = st.tx_bytes;
    ps.rx_dropped = st.rx_dropped;
    ps.tx_dropped = st.tx_dropped;
    ps.rx_errors = st.rx_errors;
    ps.tx_errors = st.tx_errors;
    ps.rx_over_err = st.rx_missed;
    duration(op->created_ms, &ps.duration_sec, &ps.duration_nsec);
    ofp_append_port_stats(reply, &ps);
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct ofport *a = *(const struct ofport *const *) a_;
    const struct ofport *b = *(const struct ofport *const *) b_;
    return a->pp.port_no < b->pp.port_no ? -1 : a->pp.port_no > b->pp.port_no;
}

static const struct ofport **
sorted_ports(struct ofproto *p, size_t *n)
{
    const struct ofport **ports = xcalloc(hmap_count(&p->ports) + 1,
                                          sizeof *ports);
    size_t k = 0;
    const struct ofport *op;
    HMAP_FOR_EACH (op, node, &p->ports) {
        ports[k++] = op;
    }
    qsort(ports, k, sizeof *ports, compare_ports);
    *n = k;
    return ports;
}

enum ofperr
ofproto_collect_port_stats(struct ofproto *p, uint32_t port_no,
                           struct ofpmp_reply *reply)
{
    if (port_no != OFPP_ANY) {
        const struct ofport *op = ofproto_find_port(p, port_no);
        if (!op) {
            return OFPERR_OFPBRC_BAD_PORT;
        }
        port_stats_one(p, op, reply);
        return 0;
    }
    size_t n;
    const struct ofport **ports = sorted_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        port_stats_one(p, ports[i], reply);
    }
    free(ports);
    return 0;
}

enum ofperr
ofproto_collect_port_desc(struct ofproto *p, uint32_t port_no,
                          struct ofpmp_reply *reply)
{
    size_t n;
    const struct ofport **ports = sorted_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (port_no == OFPP_ANY || ports[i]->pp.port_no == port_no) {
            ofp_append_port_desc(reply, &ports[i]->pp);
        }
    }
    free(ports);
    return 0;
}

enum ofperr
ofproto_collect_queue_stats(struct ofproto *p, uint32_t port_no,
                            uint32_t queue_id, struct ofpmp_reply *reply)
{
    /* No QoS queues are configured: an existing port has no queues. */
    (void) reply;
    if (port_no != OFPP_ANY && !ofproto_find_port(p, port_no)) {
        return OFPERR_OFPQOFC_BAD_PORT;
    }
    if (queue_id != OFPQ_ALL) {
        return OFPERR_OFPQOFC_BAD_QUEUE;
    }
    return 0;
}

static int
compare_groups(const void *a_, const void *b_)
{
    const struct group *a = *(const struct group *const *) a_;
    const struct group *b = *(const struct group *const *) b_;
    return a->group_id < b->group_id ? -1 : a->group_id > b->group_id;
}

static struct group **
sorted_groups(struct ofproto *p, uint32_t group_id, size_t *n)
{
    struct group **groups = xcalloc(hmap_count(&p->groups) + 1,
                                    sizeof *groups);
    size_t k = 0;
    struct group *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        if (group_id == OFPG_ALL || g->group_id == group_id) {
            groups[k++] = g;
        }
    }
    qsort(groups, k, sizeof *groups, compare_groups);
    *n = k;
    return groups;
}

static uint32_t
group_ref_count(struct ofproto *p, uint32_t group_id)
{
    size_t n;
    uint32_t refs = 0;
    struct rule **rules = ofproto_collect_rules(p, OFPTT_ALL, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ofinsts *is = &rules[i]->insts;
        bool uses = false;
        for (size_t j = 0; j < is->apply.n && !uses; j++) {
            uses = is->apply.acts[j].type == OFACT_GROUP
                   && is->apply.acts[j].group_id == group_id;
        }
        for (size_t j = 0; j < is->write.n && !uses; j++) {
            uses = is->write.acts[j].type == OFACT_GROUP
                   && is->write.acts[j].group_id == group_id;
        }
        refs += uses;
    }
    free(rules);
    return refs;
}

enum ofperr
ofproto_collect_group_stats(struct ofproto *p, uint32_t group_id,
                            struct ofpmp_reply *reply)
{
    size_t n;
    struct group **groups = sorted_groups(p, group_id, &n);
    for (size_t i = 0; i < n; i++) {
        const struct group *g = groups[i];
        struct ofp_group_stats gs;
        memset(&gs, 0, sizeof gs);
        gs.group_id = g->group_id;
        gs.ref_count = group_ref_count(p, g->group_id);
        ofpipe_counter_read(g->counter, &gs.packet_count, &gs.byte_count);
        duration(g->created_ms, &gs.duration_sec, &gs.duration_nsec);
        struct ofp_bucket_counter *bc = xcalloc(g->n_buckets + 1,
                                                sizeof *bc);
        for (size_t b = 0; b < g->n_buckets; b++) {
            ofpipe_counter_read(g->bucket_counters[b], &bc[b].packet_count,
                                &bc[b].byte_count);
        }
        gs.buckets = bc;
        gs.n_buckets = g->n_buckets;
        ofp_append_group_stats(reply, &gs);
        free(bc);
    }
    free(groups);
    return 0;
}

enum ofperr
ofproto_collect_group_desc(struct ofproto *p, uint32_t group_id,
                           struct ofpmp_reply *reply)
{
    size_t n;
    struct group **groups = sorted_groups(p, group_id, &n);
    for (size_t i = 0; i < n; i++) {
        const struct group *g = groups[i];
        struct ofp_group_mod gd;
        memset(&gd, 0, sizeof gd);
        gd.type = g->type;
        gd.group_id = g->group_id;
        gd.buckets = g->buckets;        /* Borrowed. */
        gd.n_buckets = g->n_buckets;
        ofp_append_group_desc(reply, &gd);
    }
    free(groups);
    return 0;
}

void
ofproto_get_group_features(struct ofproto *p, struct ofp_group_features *gf)
{
    (void) p;
    memset(gf, 0, sizeof *gf);
    gf->types = (1 << OFPGT_ALL) | (1 << OFPGT_SELECT)
                | (1 << OFPGT_INDIRECT) | (1 << OFPGT_FF);
    gf->capabilities = 1 | 2;           /* Select weight, liveness. */
    for (int i = 0; i < 4; i++) {
        gf->max_groups[i] = 65536;
        gf->actions[i] = (1 << 0) | (1 << 11) | (1 << 12) | (1 << 15)
                         | (1 << 16) | (1 << 17) | (1 << 18) | (1 << 19)
                         | (1 << 20) | (1 << 21) | (1 << 22) | (1 << 23)
                         | (1 << 24) | (1 << 25) | (1 << 26) | (1 << 27);
    }
}

static int
compare_meters(const void *a_, const void *b_)
{
    const struct meter *a = *(const struct meter *const *) a_;
    const struct meter *b = *(const struct meter *const *) b_;
    return a->meter_id < b->meter_id ? -1 : a->meter_id > b->meter_id;
}

static struct meter **
sorted_meters(struct ofproto *p, uint32_t meter_id, size_t *n)
{
    struct meter **meters = xcalloc(hmap_count(&p->meters) + 1,
                                    sizeof *meters);
    size_t k = 0;
    struct meter *m;
    HMAP_FOR_EACH (m, node, &p->meters) {
        if (meter_id == OFPM_ALL || m->meter_id == meter_id) {
            meters[k++] = m;
        }
    }
    qsort(meters, k, sizeof *meters, compare_meters);
    *n = k;
    return meters;
}

enum ofperr
ofproto_collect_meter_stats(struct ofproto *p, uint32_t meter_id,
                            struct ofpmp_reply *reply)
{
    size_t n, n_rules;
    struct meter **meters = sorted_meters(p, meter_id, &n);
    struct rule **rules = ofproto_collect_rules(p, OFPTT_ALL, &n_rules);
    for (size_t i = 0; i < n; i++) {
        const struct meter *m = meters[i];
        struct ofp_meter_stats ms;
        memset(&ms, 0, sizeof ms);
        ms.meter_id = m->meter_id;
        for (size_t r = 0; r < n_rules; r++) {
            const struct ofinsts *is = &rules[r]->insts;
            ms.flow_count += (is->present & OFINST_METER)
                             && is->meter_id == m->meter_id;
        }
        ofpipe_counter_read(m->counter, &ms.packet_in_count,
                            &ms.byte_in_count);
        duration(m->created_ms, &ms.duration_sec, &ms.duration_nsec);
        struct ofp_meter_band_stats bs[OFP_MAX_METER_BANDS];
        for (size_t b = 0; b < m->n_bands; b++) {
            ofpipe_counter_read(m->band_counters[b], &bs[b].packet_band_count,
                                &bs[b].byte_band_count);
        }
        ms.bands = bs;
        ms.n_bands = m->n_bands;
        ofp_append_meter_stats(reply, &ms);
    }
    free(rules);
    free(meters);
    return 0;
}

enum ofperr
ofproto_collect_meter_config(struct ofproto *p, uint32_t meter_id,
                             struct ofpmp_reply *reply)
{
    size_t n;
    struct meter **meters = sorted_meters(p, meter_id, &n);
    for (size_t i = 0; i < n; i++) {
        const struct meter *m = meters[i];
        struct ofp_meter_mod mc;
        memset(&mc, 0, sizeof mc);
        mc.flags = m->flags;
        mc.meter_id = m->meter_id;
        mc.n_bands = m->n_bands;
        memcpy(mc.bands, m->bands, m->n_bands * sizeof *m->bands);
        ofp_append_meter_config(reply, &mc);
    }
    free(meters);
    return 0;
}

void
ofproto_get_meter_features(struct ofproto *p, struct ofp_meter_features *mf)
{
    (void) p;
    memset(mf, 0, sizeof *mf);
    mf->max_meter = 65536;
    mf->band_types = (1 << OFPMBT_DROP) | (1 << OFPMBT_DSCP_REMARK);
    mf->capabilities = OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS;
    mf->max_bands = OFP_MAX_METER_BANDS;
    mf->max_color = 0;
}
