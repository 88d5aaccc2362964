/* ofproto.c: the switch model: rules and flow-mod semantics, groups,
 * meters, ports, timeouts.  See ofproto.h. */
#include <config.h>
#include "ofproto/ofproto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dpif/dpif.h"
#include "netdev/netdev.h"
#include "ofproto/ofkey.h"
#include "ofproto/ofpipe.h"
#include "ofproto/ofproto-private.h"
#include "openflow/ofp-actions.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-group.h"
#include "openflow/ofp-msgs.h"
#include "openflow/ofp-print.h"
#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/hash.h"
#include "util/mainloop.h"
#include "util/timeval.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(ofproto);

/* The agent's periodic work (see ofproto_timer_cb()). */
#define OFPROTO_TICK_MS 10

static struct hmap all_ofprotos_map;
static bool unixctl_registered;

static struct hmap *
all_ofprotos(void)
{
    static bool initialized;
    if (!initialized) {
        hmap_init(&all_ofprotos_map);
        initialized = true;
    }
    return &all_ofprotos_map;
}

static void ofproto_timer_cb(void *);
static void register_unixctl(void);

uint32_t
ofproto_port_to_dp(uint32_t ofp_port)
{
    return ofp_port == OFPP_LOCAL ? DPIF_PORT_LOCAL : ofp_port;
}

uint32_t
ofproto_port_from_dp(uint32_t dp_port)
{
    return dp_port == DPIF_PORT_LOCAL ? OFPP_LOCAL : dp_port;
}

/* Something besides rules changed: the next snapshot is compiled in
 * full. */
static void
mark_full(struct ofproto *p)
{
    p->dirty = true;
    p->full_dirty = true;
}

/* A port appeared, went or changed state or configuration.  The datapath
 * resolves outputs by port number itself; the snapshot depends on ports
 * only through fast-failover liveness and port-mod flags. */
static void
port_changed(struct ofproto *p)
{
    bool matters = false;
    const struct group *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        matters |= g->type == OFPGT_FF;
        for (size_t i = 0; i < g->n_buckets && !matters; i++) {
            matters = g->buckets[i].watch_port != OFPP_ANY;
        }
    }
    const struct ofport *op;
    HMAP_FOR_EACH (op, node, &p->ports) {
        matters |= (op->pp.config & (OFPPC_PORT_DOWN | OFPPC_NO_RECV
                                     | OFPPC_NO_FWD | OFPPC_NO_FLOOD
                                     | OFPPC_NO_PACKET_IN)) != 0;
    }
    if (matters || (p->published && p->published->port_flags)) {
        mark_full(p);
    }
}

/* ---- Rules ---- */

/* Counter ids and meter states may still be used by the published
 * snapshot: they are released after the next publish (which waits for a
 * grace period). */
static void
counter_release(struct ofproto *p, uint32_t id)
{
    if (id == OFPIPE_NO_COUNTER) {
        return;
    }
    if (p->n_dead == p->cap_dead) {
        p->cap_dead = p->cap_dead ? 2 * p->cap_dead : 64;
        p->dead = xrealloc(p->dead, p->cap_dead * sizeof *p->dead);
    }
    p->dead[p->n_dead++] = id;
}

static void
release_dead(struct ofproto *p)
{
    for (size_t i = 0; i < p->n_dead; i++) {
        ofpipe_counter_free(p->dead[i]);
    }
    p->n_dead = 0;
    for (size_t i = 0; i < p->n_dead_states; i++) {
        free(p->dead_states[i]);
    }
    p->n_dead_states = 0;
}

static void
rule_free(struct ofproto *p, struct rule *rule)
{
    ofinsts_uninit(&rule->insts);
    counter_release(p, rule->counter);
    free(rule);
}

enum ofperr
ofproto_match_to_key(const struct ofmatch *m, struct flow_key *value,
             struct flow_key *mask)
{
    enum ofperr error = ofkey_from_match(m, value, mask);
    if (error) {
        return error;
    }
    if (mask->in_port == UINT32_MAX && value->in_port == OFPP_LOCAL) {
        value->in_port = DPIF_PORT_LOCAL;
    }
    if (mask->in_phy_port == UINT32_MAX && value->in_phy_port == OFPP_LOCAL) {
        value->in_phy_port = DPIF_PORT_LOCAL;
    }
    return 0;
}

/* Tells the flow monitors (connmgr) about a change of 'rule'. */
static void
report_flow_change(struct ofproto *p, const struct rule *rule,
                   enum ofproto_flow_event event, uint8_t reason,
                   const struct ofinsts *old_insts)
{
    if (!p->cbs.flow_changed) {
        return;
    }
    struct ofproto_flow_change chg = {
        .event = event,
        .reason = reason,
        .table_id = rule->table_id,
        .priority = rule->priority,
        .idle_timeout = rule->idle_timeout,
        .hard_timeout = rule->hard_timeout,
        .cookie = rule->cookie,
        .match = &rule->match,
        .cr = &rule->cr,
        .insts = &rule->insts,
        .old_insts = old_insts,
        .add_seq = rule->add_seq,
    };
    p->cbs.flow_changed(p->cbs.aux, &chg);
}

static void
remove_rule(struct ofproto *p, struct rule *rule, uint8_t reason)
{
    report_flow_change(p, rule, OFPROTO_FLOW_DELETED, reason, NULL);
    cls_remove(&p->tables[rule->table_id], &rule->cr);
    ofproto_pipe_rule_removed(p, rule);
    if ((rule->flags & OFPFF_SEND_FLOW_REM) && p->cbs.flow_removed) {
        struct ofp_flow_removed fr;
        memset(&fr, 0, sizeof fr);
        fr.match = rule->match;
        fr.cookie = rule->cookie;
        fr.priority = rule->priority;
        fr.reason = reason;
        fr.table_id = rule->table_id;
        long long age = time_msec() - rule->created_ms;
        fr.duration_sec = age / 1000;
        fr.duration_nsec = (age % 1000) * 1000000;
        fr.idle_timeout = rule->idle_timeout;
        fr.hard_timeout = rule->hard_timeout;
        ofpipe_counter_read(rule->counter, &fr.packet_count, &fr.byte_count);
        p->cbs.flow_removed(p->cbs.aux, &fr);
    }
    rule_free(p, rule);
    p->dirty = true;
}

static bool
acts_output_to(const struct ofacts *l, uint32_t port)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct ofact *a = &l->acts[i];
        if ((a->type == OFACT_OUTPUT && a->output.port == port)
            || (a->type == OFACT_ENQUEUE && a->enqueue.port == port)) {
            return true;
        }
    }
    return false;
}

static bool
acts_use_group(const struct ofacts *l, uint32_t group)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->acts[i].type == OFACT_GROUP
            && (group == OFPG_ANY || l->acts[i].group_id == group)) {
            return true;
        }
    }
    return false;
}

bool
ofproto_insts_output_to(const struct ofinsts *is, uint32_t port)
{
    return acts_output_to(&is->apply, port)
           || acts_output_to(&is->write, port);
}

static bool
rule_has_out_port(const struct rule *r, uint32_t port)
{
    return port == OFPP_ANY || ofproto_insts_output_to(&r->insts, port);
}

bool
ofproto_insts_use_group(const struct ofinsts *is, uint32_t group)
{
    return acts_use_group(&is->apply, group)
           || acts_use_group(&is->write, group);
}

static bool
rule_has_out_group(const struct rule *r, uint32_t group)
{
    return group == OFPG_ANY || ofproto_insts_use_group(&r->insts, group);
}

static bool
rule_uses_meter(const struct rule *r, uint32_t meter)
{
    if ((r->insts.present & OFINST_METER) && r->insts.meter_id == meter) {
        return true;
    }
    for (size_t i = 0; i < r->insts.apply.n; i++) {
        const struct ofact *a = &r->insts.apply.acts[i];
        if (a->type == OFACT_METER && a->meter_id == meter) {
            return true;
        }
    }
    return false;
}

/* Checks what a new or modified rule refers to. */
static enum ofperr
check_acts(struct ofproto *p, const struct ofacts *l, uint8_t table_id)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct ofact *a = &l->acts[i];
        uint32_t port;
        switch (a->type) {
        case OFACT_OUTPUT:
        case OFACT_ENQUEUE:
            port = a->type == OFACT_OUTPUT ? a->output.port : a->enqueue.port;
            if (port == OFPP_TABLE) {
                /* Only meaningful in packet-out. */
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            if ((port > OFPP_MAX && port < OFPP_IN_PORT) || port == 0
                || port == OFPP_ANY) {
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            break;
        case OFACT_GROUP:
            if (!ofproto_find_group(p, a->group_id)) {
                return OFPERR_OFPBAC_BAD_OUT_GROUP;
            }
            break;
        case OFACT_METER:
            if (!ofproto_find_meter(p, a->meter_id)) {
                return OFPERR_OFPMMFC_UNKNOWN_METER;
            }
            break;
        case OFACT_SET_FIELD:
            if (!ofkey_field_supported(a->set_field.field)) {
                return OFPERR_OFPBAC_BAD_SET_TYPE;
            }
            break;
        default:
            break;
        }
    }
    (void) table_id;
    return 0;
}

static enum ofperr
check_insts(struct ofproto *p, const struct ofinsts *is,
            const struct ofmatch *m, uint8_t table_id)
{
    if ((is->present & OFINST_GOTO_TABLE)
        && (is->goto_table >= OFPROTO_N_TABLES
            || is->goto_table <= table_id)) {
        return OFPERR_OFPBIC_BAD_TABLE_ID;
    }
    if ((is->present & OFINST_METER) && !ofproto_find_meter(p, is->meter_id)) {
        return OFPERR_OFPMMFC_UNKNOWN_METER;
    }
    enum ofperr error = check_acts(p, &is->apply, table_id);
    if (!error) {
        error = check_acts(p, &is->write, table_id);
    }
    if (!error && m) {
        error = ofacts_check(&is->apply, m);
    }
    if (!error && m) {
        error = ofacts_check(&is->write, m);
    }
    return error;
}

static bool
cookie_matches(const struct rule *r, const struct ofp_flow_mod *fm)
{
    return ((r->cookie ^ fm->cookie) & fm->cookie_mask) == 0;
}

static enum ofperr
add_rule(struct ofproto *p, const struct ofp_flow_mod *fm, uint8_t version,
         const struct flow_key *value, const struct flow_key *mask)
{
    struct classifier *cls = &p->tables[fm->table_id];
    struct rule *new = xzalloc(sizeof *new);
    cls_rule_init(&new->cr, value, mask, fm->priority);

    if (fm->flags & OFPFF_CHECK_OVERLAP) {
        size_t n;
        struct cls_rule **all = cls_collect(cls, &n);
        for (size_t i = 0; i < n; i++) {
            if (all[i]->priority == fm->priority
                && cls_rule_overlaps(all[i], &new->cr)
                && !cls_rule_same_match(all[i], &new->cr.value,
                                        &new->cr.mask)) {
                free(all);
                free(new);
                return OFPERR_OFPFMFC_OVERLAP;
            }
        }
        free(all);
    }

    long long now = time_msec();
    new->match = fm->match;
    new->table_id = fm->table_id;
    new->priority = fm->priority;
    new->cookie = fm->cookie;
    new->idle_timeout = fm->idle_timeout;
    new->hard_timeout = fm->hard_timeout;
    new->flags = fm->flags & ~OFPFF_CHECK_OVERLAP;
    new->importance = fm->importance;
    ofinsts_clone(&new->insts, &fm->insts);
    new->created_ms = new->modified_ms = new->used_ms = now;
    new->add_seq = new->change_seq = ++p->change_seq;

    struct cls_rule *old_cr = cls_find_exact(cls, &new->cr.value,
                                             &new->cr.mask, fm->priority);
    if (old_cr) {
        struct rule *old = (struct rule *) old_cr;
        /* Replace: OF1.3+ keeps the counters unless RESET_COUNTS. */
        if (version >= OFP13_VERSION && !(fm->flags & OFPFF_RESET_COUNTS)) {
            new->counter = old->counter;
            old->counter = OFPIPE_NO_COUNTER;
            ofpipe_counter_read(new->counter, &new->last_packets,
                                &(uint64_t) { 0 });
        } else {
            new->counter = ofpipe_counter_alloc();
        }
        cls_remove(cls, &old->cr);
        ofproto_pipe_rule_set(p, new, old);
        cls_insert(cls, &new->cr);
        /* Open vSwitch reports a replacement as an addition too. */
        report_flow_change(p, new, OFPROTO_FLOW_ADDED, 0, &old->insts);
        rule_free(p, old);
    } else {
        new->counter = ofpipe_counter_alloc();
        ofproto_pipe_rule_set(p, new, NULL);
        cls_insert(cls, &new->cr);
        report_flow_change(p, new, OFPROTO_FLOW_ADDED, 0, NULL);
    }
    p->dirty = true;
    return 0;
}

static void
modify_rule(struct ofproto *p, struct rule *r, const struct ofp_flow_mod *fm)
{
    struct ofinsts old = r->insts;
    ofinsts_clone(&r->insts, &fm->insts);
    if (fm->set_cookie) {
        r->cookie = fm->new_cookie;
    }
    r->change_seq = ++p->change_seq;
    if (fm->flags & OFPFF_RESET_COUNTS) {
        ofpipe_counter_reset(r->counter);
        r->last_packets = 0;
    }
    ofproto_pipe_rule_set(p, r, r);
    report_flow_change(p, r, OFPROTO_FLOW_MODIFIED, 0, &old);
    ofinsts_uninit(&old);
    p->dirty = true;
}

enum ofperr
ofproto_flow_mod(struct ofproto *p, const struct ofp_flow_mod *fm,
                 uint8_t version)
{
    bool all_tables = fm->table_id == OFPTT_ALL;
    bool is_delete = fm->command == OFPFC_DELETE
                     || fm->command == OFPFC_DELETE_STRICT;
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    if (all_tables ? !is_delete && version != OFP10_VERSION
                   : fm->table_id >= OFPROTO_N_TABLES) {
        return all_tables ? OFPERR_OFPFMFC_BAD_TABLE_ID
                          : OFPERR_OFPBRC_BAD_TABLE_ID;
    }
    struct flow_key value, mask;
    enum ofperr error = ofproto_match_to_key(&fm->match, &value, &mask);
    if (error) {
        return error;
    }
    if (!is_delete) {
        error = check_insts(p, &fm->insts, &fm->match, fm->table_id);
        if (error) {
            return error;
        }
    }
    uint8_t t0 = all_tables ? 0 : fm->table_id;
    uint8_t t1 = all_tables ? OFPROTO_N_TABLES - 1 : fm->table_id;
    bool strict = fm->command == OFPFC_MODIFY_STRICT
                  || fm->command == OFPFC_DELETE_STRICT;

    if (fm->command == OFPFC_ADD) {
        error = add_rule(p, fm, version, &value, &mask);
    } else {
        size_t n_hit = 0;
        for (unsigned int t = t0; t <= t1; t++) {
            size_t n;
            struct cls_rule **all = cls_collect(&p->tables[t], &n);
            for (size_t i = 0; i < n; i++) {
                struct rule *r = (struct rule *) all[i];
                bool hit = strict
                    ? (r->priority == fm->priority
                       && cls_rule_same_match(all[i], &value, &mask))
                    : cls_rule_is_loose_match(all[i], &value, &mask);
                if (!hit || !cookie_matches(r, fm)) {
                    continue;
                }
                if (is_delete && (!rule_has_out_port(r, fm->out_port)
                                  || !rule_has_out_group(r, fm->out_group))) {
                    continue;
                }
                n_hit++;
                if (is_delete) {
                    remove_rule(p, r, OFPRR_DELETE);
                } else {
                    modify_rule(p, r, fm);
                }
            }
            free(all);
        }
        /* OpenFlow 1.0: a modify that changes nothing adds the flow. */
        if (!is_delete && !n_hit && version == OFP10_VERSION) {
            struct ofp_flow_mod add = *fm;      /* Shares insts: read only. */
            if (add.table_id == OFPTT_ALL) {
                add.table_id = 0;
            }
            if (add.set_cookie) {
                add.cookie = add.new_cookie;
            }
            error = add_rule(p, &add, version, &value, &mask);
        }
    }
    if (!error && fm->buffer_id != OFP_NO_BUFFER && !is_delete) {
        /* The switch keeps no buffers (n_buffers is 0). */
        error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
    }
    return error;
}

struct rule **
ofproto_collect_rules(const struct ofproto *p, uint8_t table, size_t *n)
{
    size_t total = 0, k = 0;
    unsigned int t0 = table == OFPTT_ALL ? 0 : table;
    unsigned int t1 = table == OFPTT_ALL ? OFPROTO_N_TABLES - 1 : table;
    if (table != OFPTT_ALL && table >= OFPROTO_N_TABLES) {
        *n = 0;
        return xzalloc(sizeof(struct rule *));
    }
    for (unsigned int t = t0; t <= t1; t++) {
        total += cls_count(&p->tables[t]);
    }
    struct rule **rules = xcalloc(total + 1, sizeof *rules);
    for (unsigned int t = t0; t <= t1; t++) {
        size_t nt;
        struct cls_rule **all = cls_collect(&p->tables[t], &nt);
        for (size_t i = 0; i < nt; i++) {
            rules[k++] = (struct rule *) all[i];
        }
        free(all);
    }
    *n = k;
    return rules;
}

size_t
ofproto_n_rules(const struct ofproto *p, uint8_t table_id)
{
    return table_id < OFPROTO_N_TABLES ? cls_count(&p->tables[table_id]) : 0;
}

/* ---- Groups ---- */

struct group *
ofproto_find_group(const struct ofproto *p, uint32_t id)
{
    struct group *g;
    HMAP_FOR_EACH_WITH_HASH (g, node, hash_uint64(id, 0), &p->groups) {
        if (g->group_id == id) {
            return g;
        }
    }
    return NULL;
}

static void
group_free_buckets(struct ofproto *p, struct group *g)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        ofacts_uninit(&g->buckets[i].actions);
        counter_release(p, g->bucket_counters[i]);
    }
    free(g->buckets);
    free(g->bucket_counters);
    g->buckets = NULL;
    g->bucket_counters = NULL;
    g->n_buckets = 0;
}

static void
group_set_buckets(struct group *g, const struct ofp_group_mod *gm)
{
    g->n_buckets = gm->n_buckets;
    g->buckets = xcalloc(gm->n_buckets + 1, sizeof *g->buckets);
    g->bucket_counters = xcalloc(gm->n_buckets + 1,
                                 sizeof *g->bucket_counters);
    for (size_t i = 0; i < gm->n_buckets; i++) {
        g->buckets[i] = gm->buckets[i];
        ofacts_clone(&g->buckets[i].actions, &gm->buckets[i].actions);
        g->bucket_counters[i] = ofpipe_counter_alloc();
    }
}

static void
delete_group(struct ofproto *p, struct group *g)
{
    /* Rules that forward to the group go with it (spec 6.5). */
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, OFPTT_ALL, &n);
    for (size_t i = 0; i < n; i++) {
        if (rule_has_out_group(rules[i], g->group_id)) {
            remove_rule(p, rules[i], OFPRR_GROUP_DELETE);
        }
    }
    free(rules);
    hmap_remove(&p->groups, &g->node);
    group_free_buckets(p, g);
    counter_release(p, g->counter);
    free(g);
    mark_full(p);
}

static enum ofperr
check_group(struct ofproto *p, const struct ofp_group_mod *gm)
{
    if (gm->type > OFPGT_FF) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (gm->type == OFPGT_INDIRECT && gm->n_buckets != 1) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *b = &gm->buckets[i];
        if (gm->type == OFPGT_FF && b->watch_port == OFPP_ANY
            && b->watch_group == OFPG_ANY) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
        if (gm->type != OFPGT_SELECT && b->weight) {
            return OFPERR_OFPGMFC_WEIGHT_UNSUPPORTED;
        }
        for (size_t j = 0; j < b->actions.n; j++) {
            const struct ofact *a = &b->actions.acts[j];
            if (a->type == OFACT_GROUP) {
                if (a->group_id == gm->group_id) {
                    return OFPERR_OFPGMFC_LOOP;
                }
                return OFPERR_OFPGMFC_CHAINING_UNSUPPORTED;
            }
        }
        enum ofperr error = check_acts(p, &b->actions, 0);
        if (error) {
            return error;
        }
    }
    return 0;
}

enum ofperr
ofproto_group_mod(struct ofproto *p, const struct ofp_group_mod *gm)
{
    struct group *g;
    enum ofperr error;
    switch (gm->command) {
    case OFPGC_ADD:
    case OFPGC_MODIFY:
        if (gm->group_id > OFPG_MAX) {
            return OFPERR_OFPGMFC_INVALID_GROUP;
        }
        g = ofproto_find_group(p, gm->group_id);
        if (gm->command == OFPGC_ADD && g) {
            return OFPERR_OFPGMFC_GROUP_EXISTS;
        }
        if (gm->command == OFPGC_MODIFY && !g) {
            return OFPERR_OFPGMFC_UNKNOWN_GROUP;
        }
        error = check_group(p, gm);
        if (error) {
            return error;
        }
        if (!g) {
            if (hmap_count(&p->groups) >= 65536) {
                return OFPERR_OFPGMFC_OUT_OF_GROUPS;
            }
            g = xzalloc(sizeof *g);
            g->group_id = gm->group_id;
            g->counter = ofpipe_counter_alloc();
            g->created_ms = time_msec();
            hmap_insert(&p->groups, &g->node, hash_uint64(g->group_id, 0));
        } else {
            group_free_buckets(p, g);
        }
        g->type = gm->type;
        group_set_buckets(g, gm);
        mark_full(p);
        return 0;
    case OFPGC_DELETE:
        if (gm->group_id == OFPG_ALL) {
            struct group *next;
            HMAP_FOR_EACH_SAFE (g, next, node, &p->groups) {
                delete_group(p, g);
            }
        } else if ((g = ofproto_find_group(p, gm->group_id))) {
            delete_group(p, g);
        }
        return 0;
    default:
        return OFPERR_OFPGMFC_BAD_COMMAND;
    }
}

/* ---- Meters ---- */

struct meter *
ofproto_find_meter(const struct ofproto *p, uint32_t id)
{
    struct meter *m;
    HMAP_FOR_EACH_WITH_HASH (m, node, hash_uint64(id, 1), &p->meters) {
        if (m->meter_id == id) {
            return m;
        }
    }
    return NULL;
}

static void
meter_set_bands(struct ofproto *p, struct meter *m,
                const struct ofp_meter_mod *mm)
{
    for (size_t i = 0; i < m->n_bands; i++) {
        counter_release(p, m->band_counters[i]);
    }
    m->flags = mm->flags;
    m->n_bands = mm->n_bands;
    memcpy(m->bands, mm->bands, mm->n_bands * sizeof *mm->bands);
    for (size_t i = 0; i < m->n_bands; i++) {
        m->band_counters[i] = ofpipe_counter_alloc();
        if (!(m->flags & OFPMF_BURST)) {
            m->bands[i].burst_size = 0;
        }
    }
}

static void
delete_meter(struct ofproto *p, struct meter *m)
{
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, OFPTT_ALL, &n);
    for (size_t i = 0; i < n; i++) {
        if (rule_uses_meter(rules[i], m->meter_id)) {
            remove_rule(p, rules[i], OFPRR_METER_DELETE);
        }
    }
    free(rules);
    hmap_remove(&p->meters, &m->node);
    for (size_t i = 0; i < m->n_bands; i++) {
        counter_release(p, m->band_counters[i]);
    }
    counter_release(p, m->counter);
    /* The published snapshot may still use the state. */
    p->dead_states = xrealloc(p->dead_states, (p->n_dead_states + 1)
                                              * sizeof *p->dead_states);
    p->dead_states[p->n_dead_states++] = m->state;
    free(m);
    mark_full(p);
}

enum ofperr
ofproto_meter_mod(struct ofproto *p, const struct ofp_meter_mod *mm)
{
    struct meter *m;
    if (mm->command == OFPMC_DELETE) {
        if (mm->meter_id == OFPM_ALL) {
            struct meter *next;
            HMAP_FOR_EACH_SAFE (m, next, node, &p->meters) {
                delete_meter(p, m);
            }
        } else if ((m = ofproto_find_meter(p, mm->meter_id))) {
            delete_meter(p, m);
        }
        return 0;
    }
    if (mm->command != OFPMC_ADD && mm->command != OFPMC_MODIFY) {
        return OFPERR_OFPMMFC_BAD_COMMAND;
    }
    if (!mm->meter_id || mm->meter_id > OFPM_MAX) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    if ((mm->flags & OFPMF_KBPS) && (mm->flags & OFPMF_PKTPS)) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        if (mm->bands[i].type != OFPMBT_DROP
            && mm->bands[i].type != OFPMBT_DSCP_REMARK) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (!mm->bands[i].rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
    }
    m = ofproto_find_meter(p, mm->meter_id);
    if (mm->command == OFPMC_ADD && m) {
        return OFPERR_OFPMMFC_METER_EXISTS;
    }
    if (mm->command == OFPMC_MODIFY && !m) {
        return OFPERR_OFPMMFC_UNKNOWN_METER;
    }
    if (!m) {
        if (hmap_count(&p->meters) >= 65536) {
            return OFPERR_OFPMMFC_OUT_OF_METERS;
        }
        m = xzalloc(sizeof *m);
        m->meter_id = mm->meter_id;
        m->counter = ofpipe_counter_alloc();
        m->created_ms = time_msec();
        m->state = xzalloc(sizeof *m->state);
        hmap_insert(&p->meters, &m->node, hash_uint64(m->meter_id, 1));
    }
    meter_set_bands(p, m, mm);
    mark_full(p);
    return 0;
}

/* ---- Ports ---- */

struct ofport *
ofproto_find_port(const struct ofproto *p, uint32_t port)
{
    struct ofport *op;
    HMAP_FOR_EACH_WITH_HASH (op, node, hash_uint64(port, 2), &p->ports) {
        if (op->pp.port_no == port) {
            return op;
        }
    }
    return NULL;
}

bool
ofproto_has_port(const struct ofproto *p, uint32_t port)
{
    return ofproto_find_port(p, port) != NULL;
}

static void
port_read_state(struct ofport *op)
{
    struct ofp_port *pp = &op->pp;
    struct eth_addr mac;
    if (op->netdev && !netdev_get_etheraddr(op->netdev, &mac)) {
        memcpy(pp->hw_addr, mac.ea, 6);
    }
    bool up = op->netdev
              && netdev_get_link_state(op->netdev) == NETDEV_LINK_UP;
    pp->state = up ? OFPPS_LIVE : OFPPS_LINK_DOWN;
    if (pp->config & OFPPC_PORT_DOWN) {
        pp->state &= ~OFPPS_LIVE;
    }
    uint32_t mbps = 0;
    bool full = true;
    if (op->netdev && !netdev_get_speed(op->netdev, &mbps, &full) && mbps) {
        pp->curr_speed = pp->max_speed = mbps * 1000;
        pp->curr = mbps >= 100000 ? OFPPF_100GB_FD
                   : mbps >= 40000 ? OFPPF_40GB_FD
                   : mbps >= 10000 ? OFPPF_10GB_FD
                   : mbps >= 1000 ? OFPPF_1GB_FD
                   : mbps >= 100 ? OFPPF_100MB_FD : OFPPF_10MB_FD;
        pp->curr |= OFPPF_COPPER;
    } else {
        pp->curr_speed = pp->max_speed = 0;
        pp->curr = 0;
    }
    pp->supported = pp->advertised = pp->peer = 0;
}

static void
send_port_status(struct ofproto *p, const struct ofport *op, uint8_t reason)
{
    if (p->cbs.port_status) {
        struct ofp_port_status ps = { .reason = reason, .desc = op->pp };
        p->cbs.port_status(p->cbs.aux, &ps);
    }
}

void
ofproto_port_add(struct ofproto *p, uint32_t ofp_port, struct netdev *netdev,
                 const char *name)
{
    struct ofport *op = ofproto_find_port(p, ofp_port);
    bool is_new = !op;
    if (!op) {
        op = xzalloc(sizeof *op);
        op->pp.port_no = ofp_port;
        op->created_ms = time_msec();
        hmap_insert(&p->ports, &op->node, hash_uint64(ofp_port, 2));
    }
    struct ofp_port before = op->pp;
    op->netdev = netdev;
    snprintf(op->pp.name, sizeof op->pp.name, "%s", name);
    port_read_state(op);
    if (is_new || memcmp(&before, &op->pp, sizeof before)) {
        send_port_status(p, op, is_new ? OFPPR_ADD : OFPPR_MODIFY);
        port_changed(p);
    }
}

void
ofproto_port_del(struct ofproto *p, uint32_t ofp_port)
{
    struct ofport *op = ofproto_find_port(p, ofp_port);
    if (op) {
        hmap_remove(&p->ports, &op->node);
        send_port_status(p, op, OFPPR_DELETE);
        free(op);
        port_changed(p);
    }
}

void
ofproto_ports_refresh(struct ofproto *p)
{
    struct ofport *op;
    HMAP_FOR_EACH (op, node, &p->ports) {
        struct ofp_port before = op->pp;
        port_read_state(op);
        if (memcmp(&before, &op->pp, sizeof before)) {
            send_port_status(p, op, OFPPR_MODIFY);
            port_changed(p);
        }
    }
}

struct ofp_port *
ofproto_get_ports(struct ofproto *p, size_t *n)
{
    struct ofp_port *ports = xcalloc(hmap_count(&p->ports) + 1,
                                     sizeof *ports);
    size_t k = 0;
    struct ofport *op;
    HMAP_FOR_EACH (op, node, &p->ports) {
        ports[k++] = op->pp;
    }
    *n = k;
    return ports;
}

enum ofperr
ofproto_port_mod(struct ofproto *p, const struct ofp_port_mod *pm)
{
    struct ofport *op = ofproto_find_port(p, pm->port_no);
    if (!op) {
        return OFPERR_OFPPMFC_BAD_PORT;
    }
    if (memcmp(pm->hw_addr, op->pp.hw_addr, 6)) {
        return OFPERR_OFPPMFC_BAD_HW_ADDR;
    }
    uint32_t old = op->pp.config;
    op->pp.config = (old & ~pm->mask) | (pm->config & pm->mask);
    if (op->pp.config != old) {
        port_read_state(op);
        send_port_status(p, op, OFPPR_MODIFY);
        port_changed(p);
    }
    return 0;
}

/* ---- Life cycle ---- */

static void
install_default_rule(struct ofproto *p)
{
    struct ofp_flow_mod fm;
    memset(&fm, 0, sizeof fm);
    ofmatch_init(&fm.match);
    ofinsts_init(&fm.insts);
    fm.command = OFPFC_ADD;
    fm.priority = 0;
    fm.buffer_id = OFP_NO_BUFFER;
    fm.out_port = OFPP_ANY;
    fm.out_group = OFPG_ANY;
    fm.insts.present = OFINST_APPLY_ACTIONS;
    ofacts_put_output(&fm.insts.apply, OFPP_NORMAL, 0);
    ofproto_flow_mod(p, &fm, OFP13_VERSION);
    ofinsts_uninit(&fm.insts);
}

struct ofproto *
ofproto_create(const char *name, struct dpif *dpif)
{
    struct ofproto *p = xzalloc(sizeof *p);
    p->name = xstrdup(name);
    p->dpif = dpif;
    p->fail_mode = OFPROTO_FAIL_STANDALONE;
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        cls_init(&p->tables[t]);
        p->table_lookup_counter[t] = ofpipe_counter_alloc();
        p->table_matched_counter[t] = ofpipe_counter_alloc();
    }
    hmap_init(&p->groups);
    hmap_init(&p->meters);
    hmap_init(&p->ports);
    install_default_rule(p);
    hmap_insert(all_ofprotos(), &p->node, hash_string(p->name, 0));
    if (dpif) {
        p->timer = mainloop_timer_add(OFPROTO_TICK_MS, true,
                                      ofproto_timer_cb, p);
        register_unixctl();
    }
    ofproto_publish(p);
    return p;
}

void
ofproto_destroy(struct ofproto *p)
{
    if (!p) {
        return;
    }
    if (p->timer) {
        mainloop_timer_del(p->timer);
    }
    if (p->publish_timer) {
        mainloop_timer_del(p->publish_timer);
    }
    if (p->dpif) {
        ofproto_discard_edits(p);
        dpif_set_pipeline(p->dpif, NULL);
        p->published = NULL;
    }
    free(p->maps.groups.ids);
    free(p->maps.meters.ids);
    if (!p->scratch) {
        hmap_remove(all_ofprotos(), &p->node);
    }
    memset(&p->cbs, 0, sizeof p->cbs);
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        size_t n;
        struct cls_rule **all = cls_collect(&p->tables[t], &n);
        for (size_t i = 0; i < n; i++) {
            cls_remove(&p->tables[t], all[i]);
            rule_free(p, (struct rule *) all[i]);
        }
        free(all);
        cls_destroy(&p->tables[t]);
        counter_release(p, p->table_lookup_counter[t]);
        counter_release(p, p->table_matched_counter[t]);
    }
    struct group *g, *gn;
    HMAP_FOR_EACH_SAFE (g, gn, node, &p->groups) {
        hmap_remove(&p->groups, &g->node);
        group_free_buckets(p, g);
        counter_release(p, g->counter);
        free(g);
    }
    hmap_destroy(&p->groups);
    struct meter *m, *mn;
    HMAP_FOR_EACH_SAFE (m, mn, node, &p->meters) {
        hmap_remove(&p->meters, &m->node);
        for (size_t i = 0; i < m->n_bands; i++) {
            counter_release(p, m->band_counters[i]);
        }
        counter_release(p, m->counter);
        free(m->state);
        free(m);
    }
    hmap_destroy(&p->meters);
    struct ofport *op, *on;
    HMAP_FOR_EACH_SAFE (op, on, node, &p->ports) {
        hmap_remove(&p->ports, &op->node);
        free(op);
    }
    hmap_destroy(&p->ports);
    ofproto_pktin_ring_free(p);
    release_dead(p);
    free(p->dead);
    free(p->dead_states);
    free(p->name);
    free(p);
}

const char *
ofproto_name(const struct ofproto *p)
{
    return p->name;
}

struct dpif *
ofproto_dpif(const struct ofproto *p)
{
    return p->dpif;
}

void
ofproto_set_cbs(struct ofproto *p, const struct ofproto_cbs *cbs)
{
    p->cbs = *cbs;
}

void
ofproto_set_datapath_id(struct ofproto *p, uint64_t dpid)
{
    p->datapath_id = dpid;
}

uint64_t
ofproto_get_datapath_id(const struct ofproto *p)
{
    return p->datapath_id;
}

void
ofproto_set_fail_mode(struct ofproto *p, enum ofproto_fail_mode mode)
{
    if (p->fail_mode != mode) {
        p->fail_mode = mode;
        mark_full(p);
    }
}

void
ofproto_set_frag_drop(struct ofproto *p, bool drop)
{
    if (p->frag_drop != drop) {
        p->frag_drop = drop;
        mark_full(p);
    }
}

enum ofproto_fail_mode
ofproto_get_fail_mode(const struct ofproto *p)
{
    return p->fail_mode;
}

void
ofproto_set_controller_state(struct ofproto *p, bool configured,
                             bool connected)
{
    p->controllers_configured = configured;
    p->controller_connected = connected;
    bool fail_open = configured && !connected
                     && p->fail_mode == OFPROTO_FAIL_STANDALONE;
    if (fail_open != p->fail_open_active) {
        p->fail_open_active = fail_open;
        log_info("%s: %s standalone fallback (NORMAL forwarding)", p->name,
                 fail_open ? "entering" : "leaving");
        mark_full(p);
    }
}

static void
publish_timer_cb(void *p_)
{
    struct ofproto *p = p_;
    p->publish_armed = false;
    ofproto_publish(p);
}

void
ofproto_publish_soon(struct ofproto *p)
{
    if (!p->dirty || p->publish_armed) {
        return;
    }
    if (!p->dpif) {
        ofproto_publish(p);
        return;
    }
    /* Coalesce a stream of flow-mods into one compilation. */
    if (!p->publish_timer) {
        p->publish_timer = mainloop_timer_add(OFPROTO_PUBLISH_DELAY_MS,
                                              false, publish_timer_cb, p);
    } else {
        mainloop_timer_reset(p->publish_timer, OFPROTO_PUBLISH_DELAY_MS);
    }
    p->publish_armed = true;
}

void
ofproto_publish(struct ofproto *p)
{
    if (!p->dirty) {
        return;
    }
    p->dirty = false;
    p->version++;
    if (p->dpif) {
        struct ofpipe *next = ofproto_next_snapshot(p);
        p->published = next;
        /* Waits until no PMD uses the old snapshot, then frees it (or,
         * when 'next' shares it, the parts that 'next' replaced). */
        dpif_set_pipeline(p->dpif, next);
    }
    release_dead(p);
}

/* ---- Timeouts and packet-ins ---- */

void
ofproto_run_timeouts(struct ofproto *p, long long now)
{
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        if (!cls_count(&p->tables[t])) {
            continue;
        }
        size_t n;
        struct cls_rule **all = cls_collect(&p->tables[t], &n);
        for (size_t i = 0; i < n; i++) {
            struct rule *r = (struct rule *) all[i];
            if (!r->idle_timeout && !r->hard_timeout) {
                continue;
            }
            uint64_t packets, bytes;
            ofpipe_counter_read(r->counter, &packets, &bytes);
            if (packets != r->last_packets) {
                r->last_packets = packets;
                r->used_ms = now;
            }
            if (r->hard_timeout
                && now >= r->modified_ms + r->hard_timeout * 1000LL) {
                remove_rule(p, r, OFPRR_HARD_TIMEOUT);
            } else if (r->idle_timeout
                       && now >= r->used_ms + r->idle_timeout * 1000LL) {
                remove_rule(p, r, OFPRR_IDLE_TIMEOUT);
            }
        }
        free(all);
    }
}

static void
ofproto_timer_cb(void *p_)
{
    struct ofproto *p = p_;
    /* Packet-ins every tick (their latency), timeouts every 300 ms, link
     * states every second. */
    ofproto_drain_pktins(p);
    p->ticks++;
    if (p->ticks % (300 / OFPROTO_TICK_MS) == 0) {
        ofproto_run_timeouts(p, time_msec());
    }
    if (p->ticks % (1000 / OFPROTO_TICK_MS) == 0) {
        ofproto_ports_refresh(p);
    }
    ofproto_publish(p);
}

/* ---- ovs-appctl ---- */

static void
unixctl_list(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    struct dstr s;
    dstr_init(&s);
    size_t n = hmap_count(all_ofprotos()), k = 0;
    const char **names = xcalloc(n + 1, sizeof *names);
    struct ofproto *p;
    HMAP_FOR_EACH (p, node, all_ofprotos()) {
        names[k++] = p->name;
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t j = i + 1; j < k; j++) {
            if (strcmp(names[j], names[i]) < 0) {
                const char *tmp = names[i];
                names[i] = names[j];
                names[j] = tmp;
            }
        }
        dstr_printf(&s, "%s\n", names[i]);
    }
    free(names);
    unixctl_reply(conn, dstr_cstr(&s));
    dstr_destroy(&s);
}

struct ofproto *
ofproto_lookup(const char *name)
{
    struct ofproto *p;
    HMAP_FOR_EACH (p, node, all_ofprotos()) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

static void
unixctl_dump_flows(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux)
{
    (void) argc;
    (void) aux;
    struct ofproto *p = ofproto_lookup(argv[1]);
    if (!p) {
        unixctl_reply_error(conn, "no such bridge");
        return;
    }
    struct dstr s;
    dstr_init(&s);
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, OFPTT_ALL, &n);
    long long now = time_msec();
    for (size_t i = 0; i < n; i++) {
        const struct rule *r = rules[i];
        struct ofp_flow_stats fs;
        memset(&fs, 0, sizeof fs);
        fs.match = r->match;
        fs.table_id = r->table_id;
        fs.duration_sec = (now - r->created_ms) / 1000;
        fs.duration_nsec = (now - r->created_ms) % 1000 * 1000000;
        fs.priority = r->priority;
        fs.idle_timeout = r->idle_timeout;
        fs.hard_timeout = r->hard_timeout;
        fs.cookie = r->cookie;
        fs.idle_age = fs.hard_age = 0xffff;
        ofpipe_counter_read(r->counter, &fs.packet_count, &fs.byte_count);
        fs.insts = r->insts;        /* Borrowed. */
        ofp_flow_stats_format(&fs, &s);
        dstr_put_char(&s, '\n');
    }
    free(rules);
    unixctl_reply(conn, dstr_cstr(&s));
    dstr_destroy(&s);
}

static void
register_unixctl(void)
{
    if (!unixctl_registered) {
        unixctl_registered = true;
        unixctl_command_register("ofproto/list", "", 0, 0, unixctl_list,
                                 NULL);
        unixctl_command_register("bridge/dump-flows", "BRIDGE", 1, 1,
                                 unixctl_dump_flows, NULL);
        ofproto_trace_register();
    }
}
