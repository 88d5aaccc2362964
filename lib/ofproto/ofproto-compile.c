/* ofproto-compile.c: turns the agent's tables, groups and meters into an
 * immutable pipeline snapshot (ofproto/ofpipe.h) for the datapath; runs
 * packet-outs; drains the datapath's packet-in ring. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include "dpdk/dpdk.h"
#include "dpif/dpif.h"
#include "ofproto/ofkey.h"
#include "ofproto/ofpipe.h"
#include "ofproto/ofproto-private.h"
#include "openflow/ofp-actions.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-group.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(ofproto_compile);

#define PKTIN_RING_SIZE 1024
#define PKTIN_BURST 64


static int
compare_u32(const void *a_, const void *b_)
{
    uint32_t a = *(const uint32_t *) a_, b = *(const uint32_t *) b_;
    return a < b ? -1 : a > b;
}

static int
id_index_find(const struct id_index *ix, uint32_t id)
{
    const uint32_t *p = bsearch(&id, ix->ids, ix->n, sizeof *ix->ids,
                                compare_u32);
    return p ? (int) (p - ix->ids) : -1;
}


static void
compile_act(const struct compile_ctx *cc, const struct ofact *a,
            struct ofpipe_act *o)
{
    memset(o, 0, sizeof *o);
    uint32_t port;
    switch (a->type) {
    case OFACT_OUTPUT:
    case OFACT_ENQUEUE:
        port = a->type == OFACT_OUTPUT ? a->output.port : a->enqueue.port;
        switch (port) {
        case OFPP_IN_PORT: o->type = OPA_IN_PORT; break;
        case OFPP_TABLE: o->type = OPA_TABLE; break;
        case OFPP_NORMAL: o->type = OPA_NORMAL; break;
        case OFPP_FLOOD: o->type = OPA_FLOOD; break;
        case OFPP_ALL: o->type = OPA_ALL; break;
        case OFPP_CONTROLLER:
            o->type = OPA_CONTROLLER;
            o->u16 = a->type == OFACT_OUTPUT ? a->output.max_len
                                              : OFPCML_NO_BUFFER;
            break;
        case OFPP_LOCAL: o->type = OPA_LOCAL; break;
        default:
            if (port <= OFPP_MAX) {
                o->type = OPA_OUTPUT;
                o->u32 = port;
            } else {
                o->type = OPA_DROP;
            }
            break;
        }
        break;
    case OFACT_GROUP: {
        int idx = id_index_find(&cc->groups, a->group_id);
        o->type = idx >= 0 ? OPA_GROUP : OPA_DROP;
        o->u32 = idx;
        break;
    }
    case OFACT_METER: {
        int idx = id_index_find(&cc->meters, a->meter_id);
        o->type = idx >= 0 ? OPA_METER : OPA_DROP;
        o->u32 = idx;
        break;
    }
    case OFACT_SET_FIELD:
        o->type = OPA_SET_FIELD;
        o->field = a->set_field.field;
        memcpy(o->value, a->set_field.value, MF_MAX_WIDTH);
        memcpy(o->mask, a->set_field.mask, MF_MAX_WIDTH);
        if (o->field == MFF_VLAN_VID || o->field == MFF_VLAN_PCP) {
            /* OpenFlow 1.0 mod_vlan_vid/pcp tag an untagged packet. */
            o->u16 = a->set_field.legacy;
        }
        if (o->field == MFF_VLAN_VID) {
            o->value[0] = (o->value[0] & 0x0f) | 0x10;
            o->mask[0] = (o->mask[0] & 0x0f) | 0x10;
        }
        break;
    case OFACT_PUSH_VLAN: o->type = OPA_PUSH_VLAN; o->u16 = a->ethertype;
        break;
    case OFACT_POP_VLAN: o->type = OPA_POP_VLAN; break;
    case OFACT_PUSH_MPLS: o->type = OPA_PUSH_MPLS; o->u16 = a->ethertype;
        break;
    case OFACT_POP_MPLS: o->type = OPA_POP_MPLS; o->u16 = a->ethertype;
        break;
    case OFACT_SET_MPLS_TTL: o->type = OPA_SET_MPLS_TTL; o->u32 = a->ttl;
        break;
    case OFACT_DEC_MPLS_TTL: o->type = OPA_DEC_MPLS_TTL; break;
    case OFACT_SET_NW_TTL: o->type = OPA_SET_NW_TTL; o->u32 = a->ttl; break;
    case OFACT_DEC_NW_TTL: o->type = OPA_DEC_NW_TTL; break;
    case OFACT_COPY_TTL_OUT: o->type = OPA_COPY_TTL_OUT; break;
    case OFACT_COPY_TTL_IN: o->type = OPA_COPY_TTL_IN; break;
    case OFACT_SET_QUEUE: o->type = OPA_SET_QUEUE; o->u32 = a->queue_id;
        break;
    case OFACT_PUSH_PBB: o->type = OPA_PUSH_PBB; o->u16 = a->ethertype;
        break;
    case OFACT_POP_PBB: o->type = OPA_POP_PBB; break;
    default:
        o->type = OPA_DROP;
        break;
    }
}

static struct ofpipe_acts
compile_acts(const struct compile_ctx *cc, const struct ofacts *l)
{
    struct ofpipe_acts out = { NULL, 0 };
    if (l->n) {
        out.acts = xcalloc(l->n, sizeof *out.acts);
        for (size_t i = 0; i < l->n; i++) {
            compile_act(cc, &l->acts[i], &out.acts[i]);
        }
        out.n = l->n;
    }
    return out;
}

static bool
rule_is_default_normal(const struct rule *r)
{
    const struct ofinsts *is = &r->insts;
    return r->table_id == 0 && r->priority == 0
           && !ofmatch_n_fields(&r->match)
           && is->present == OFINST_APPLY_ACTIONS && is->apply.n == 1
           && is->apply.acts[0].type == OFACT_OUTPUT
           && is->apply.acts[0].output.port == OFPP_NORMAL;
}

static void
ensure_pktin_ring(struct ofproto *p)
{
    static unsigned int serial;
    if (p->pktin_ring || !dpdk_available()) {
        return;
    }
    char name[RTE_RING_NAMESIZE];
    snprintf(name, sizeof name, "ofpin%u", serial++);
    p->pktin_ring = rte_ring_create_elem(name, sizeof(struct ofpipe_pktin),
                                         PKTIN_RING_SIZE, SOCKET_ID_ANY,
                                         RING_F_SC_DEQ);
    if (!p->pktin_ring) {
        log_warn("%s: cannot create the packet-in ring: packets for the "
                 "controller will be dropped", p->name);
    }
}

static bool
port_live(const struct ofproto *p, uint32_t port)
{
    const struct ofport *op = ofproto_find_port(p, port);
    return op && (op->pp.state & OFPPS_LIVE)
           && !(op->pp.config & OFPPC_PORT_DOWN);
}

/* The id -> index maps of the groups and meters as they are now (a full
 * compilation lays them out in this order). */
static void
build_maps(const struct ofproto *p, struct compile_ctx *cc)
{
    cc->p = (struct ofproto *) p;
    cc->groups.ids = xcalloc(hmap_count(&p->groups) + 1, sizeof(uint32_t));
    cc->groups.n = 0;
    const struct group *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        cc->groups.ids[cc->groups.n++] = g->group_id;
    }
    qsort(cc->groups.ids, cc->groups.n, sizeof(uint32_t), compare_u32);
    cc->meters.ids = xcalloc(hmap_count(&p->meters) + 1, sizeof(uint32_t));
    cc->meters.n = 0;
    const struct meter *m;
    HMAP_FOR_EACH (m, node, &p->meters) {
        cc->meters.ids[cc->meters.n++] = m->meter_id;
    }
    qsort(cc->meters.ids, cc->meters.n, sizeof(uint32_t), compare_u32);
}

static void
free_maps(struct compile_ctx *cc)
{
    free(cc->groups.ids);
    free(cc->meters.ids);
    cc->groups.ids = cc->meters.ids = NULL;
    cc->groups.n = cc->meters.n = 0;
}

static struct ofpipe_rule *
compile_rule(const struct compile_ctx *cc, struct pcls_txn *txn,
             const struct rule *r)
{
    struct ofpipe_rule *pr = ofpipe_rule_create();
    pcls_rule_init(txn, &pr->cr, &r->cr.value, &r->cr.mask, r->priority);
    pr->counter = r->counter;
    pr->cookie = r->cookie;
    pr->table_id = r->table_id;
    pr->table_miss = r->priority == 0 && !ofmatch_n_fields(&r->match);
    const struct ofinsts *is = &r->insts;
    if (is->present & OFINST_METER) {
        int idx = id_index_find(&cc->meters, is->meter_id);
        pr->meter = idx >= 0 ? (uint32_t) idx : OFPIPE_NO_METER;
    }
    pr->apply = compile_acts(cc, &is->apply);
    pr->clear_actions = (is->present & OFINST_CLEAR_ACTIONS) != 0;
    pr->write = compile_acts(cc, &is->write);
    if (is->present & OFINST_WRITE_METADATA) {
        pr->has_metadata = true;
        pr->metadata = is->metadata;
        pr->metadata_mask = is->metadata_mask;
    }
    if (is->present & OFINST_GOTO_TABLE) {
        pr->has_goto = true;
        pr->goto_table = is->goto_table;
    }
    return pr;
}

/* Compiles everything.  With 'publish', the agent's rules remember their
 * compiled versions and the agent keeps the group and meter maps, for
 * later incremental edits of this snapshot. */
static struct ofpipe *
compile_full(struct ofproto *p, bool publish)
{
    struct pcls_txn txn;
    pcls_txn_init(&txn, ofpipe_rule_free);
    struct ofpipe *pipe = ofpipe_create();
    pipe->version = p->version;
    ensure_pktin_ring(p);
    pipe->pktin_ring = p->pktin_ring;
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        pipe->tables[t].lookup_counter = p->table_lookup_counter[t];
        pipe->tables[t].matched_counter = p->table_matched_counter[t];
    }
    /* Port-mod configuration. */
    uint32_t max_port = 0;
    bool any_flags = false;
    const struct ofport *op;
    HMAP_FOR_EACH (op, node, &p->ports) {
        uint32_t c = op->pp.config;
        if (c & (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD
                 | OFPPC_NO_FLOOD | OFPPC_NO_PACKET_IN)) {
            any_flags = true;
        }
        if (op->pp.port_no <= OFPP_MAX && op->pp.port_no > max_port) {
            max_port = op->pp.port_no;
        }
    }
    if (any_flags) {
        pipe->max_port = max_port;
        pipe->port_flags = xcalloc(max_port + 1, 1);
        HMAP_FOR_EACH (op, node, &p->ports) {
            uint32_t c = op->pp.config;
            uint8_t f = 0;
            if (c & (OFPPC_PORT_DOWN | OFPPC_NO_RECV)) {
                f |= OFPIPE_PORT_NO_RECV;
            }
            if (c & (OFPPC_PORT_DOWN | OFPPC_NO_FWD)) {
                f |= OFPIPE_PORT_NO_FWD;
            }
            if (c & OFPPC_NO_FLOOD) {
                f |= OFPIPE_PORT_NO_FLOOD;
            }
            if (c & OFPPC_NO_PACKET_IN) {
                f |= OFPIPE_PORT_NO_PACKET_IN;
            }
            if (op->pp.port_no == OFPP_LOCAL) {
                pipe->local_port_flags = f;
            } else if (op->pp.port_no <= max_port) {
                pipe->port_flags[op->pp.port_no] = f;
            }
        }
    }
    if (p->fail_open_active) {
        /* Standalone fallback: NORMAL, the flow table is not consulted. */
        if (!any_flags && !p->frag_drop) {
            pipe->normal_only = true;
        } else {
            struct ofpipe_rule *pr = ofpipe_rule_create();
            struct flow_key zero;
            memset(&zero, 0, sizeof zero);
            pcls_rule_init(&txn, &pr->cr, &zero, &zero, 0);
            pr->table_miss = true;
            pr->apply.acts = xzalloc(sizeof *pr->apply.acts);
            pr->apply.acts[0].type = OPA_NORMAL;
            pr->apply.n = 1;
            ofpipe_add_rule(pipe, &txn, pr);
        }
        pipe->editable = false;
        return pipe;
    }

    struct compile_ctx cc;
    build_maps(p, &cc);
    struct group *g;
    struct meter *m;

    /* Meters. */
    pipe->n_meters = cc.meters.n;
    pipe->meters = xcalloc(cc.meters.n + 1, sizeof *pipe->meters);
    for (size_t i = 0; i < cc.meters.n; i++) {
        m = ofproto_find_meter(p, cc.meters.ids[i]);
        struct ofpipe_meter *pm = &pipe->meters[i];
        pm->meter_id = m->meter_id;
        pm->pktps = (m->flags & OFPMF_PKTPS) != 0;
        pm->counter = m->counter;
        pm->n_bands = m->n_bands;
        pm->state = m->state;
        for (size_t b = 0; b < m->n_bands; b++) {
            pm->bands[b].type = m->bands[b].type;
            pm->bands[b].prec_level = m->bands[b].prec_level;
            pm->bands[b].rate = m->bands[b].rate;
            pm->bands[b].burst = m->bands[b].burst_size;
            pm->bands[b].counter = m->band_counters[b];
        }
    }

    /* Groups. */
    pipe->n_groups = cc.groups.n;
    pipe->groups = xcalloc(cc.groups.n + 1, sizeof *pipe->groups);
    for (size_t i = 0; i < cc.groups.n; i++) {
        g = ofproto_find_group(p, cc.groups.ids[i]);
        struct ofpipe_group *pg = &pipe->groups[i];
        pg->group_id = g->group_id;
        pg->type = g->type;
        pg->counter = g->counter;
        pg->n_buckets = g->n_buckets;
        pg->buckets = xcalloc(g->n_buckets + 1, sizeof *pg->buckets);
        for (size_t b = 0; b < g->n_buckets; b++) {
            const struct ofp_bucket *ob = &g->buckets[b];
            struct ofpipe_bucket *pb = &pg->buckets[b];
            pb->weight = g->type == OFPGT_SELECT ? ob->weight : 0;
            pb->counter = g->bucket_counters[b];
            pb->live = true;
            if (ob->watch_port != OFPP_ANY) {
                pb->live = port_live(p, ob->watch_port);
            }
            if (ob->watch_group != OFPG_ANY) {
                pb->live = pb->live
                           && ofproto_find_group(p, ob->watch_group);
            }
            pb->acts = compile_acts(&cc, &ob->actions);
            pg->total_weight += pb->weight;
        }
    }

    /* Rules. */
    size_t n_total = 0;
    struct rule *only = NULL;
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        if (!cls_count(&p->tables[t])) {
            continue;
        }
        size_t n;
        struct cls_rule **all = cls_collect(&p->tables[t], &n);
        for (size_t i = 0; i < n; i++) {
            struct rule *r = (struct rule *) all[i];
            struct ofpipe_rule *pr = compile_rule(&cc, &txn, r);
            if (publish) {
                r->compiled = pr;
            }
            ofpipe_add_rule(pipe, &txn, pr);
            only = r;
            n_total++;
        }
        free(all);
    }
    pipe->frag_drop = p->frag_drop;
    if (n_total == 1 && rule_is_default_normal(only) && !any_flags
        && !p->frag_drop) {
        pipe->normal_only = true;
        pipe->normal_rule_counter = only->counter;
    }
    /* Incremental edits keep normal_only false: a snapshot with at most
     * one rule is always compiled in full. */
    pipe->editable = n_total > 1;
    if (publish) {
        free_maps(&p->maps);
        p->maps = cc;
    } else {
        free_maps(&cc);
    }
    return pipe;
}

struct ofpipe *
ofproto_compile(struct ofproto *p)
{
    return compile_full(p, false);
}

/* ---- Incremental edits of the published snapshot ---- */

/* Makes sure p->next is the published snapshot being edited.  Returns
 * false when the next publish must compile in full instead. */
static bool
begin_edit(struct ofproto *p)
{
    if (p->full_dirty || !p->published || !p->published->editable) {
        p->full_dirty = true;
        return false;
    }
    if (!p->next) {
        p->next = ofpipe_clone(p->published);
        pcls_txn_init(&p->txn, ofpipe_rule_free);
    }
    return true;
}

void
ofproto_pipe_rule_set(struct ofproto *p, struct rule *r, struct rule *old)
{
    if (!p->dpif || !begin_edit(p)) {
        return;
    }
    struct ofpipe_rule *pr = compile_rule(&p->maps, &p->txn, r);
    struct ofpipe_table *t = &p->next->tables[r->table_id];
    t->version++;
    if (old && old->compiled) {
        t->cls = pcls_replace(&p->txn, t->cls, &old->compiled->cr, &pr->cr);
        pcls_txn_retire_rule(&p->txn, &old->compiled->cr);
        old->compiled = NULL;
    } else {
        t->cls = pcls_insert(&p->txn, t->cls, &pr->cr);
    }
    r->compiled = pr;
}

void
ofproto_pipe_rule_removed(struct ofproto *p, struct rule *r)
{
    if (!r->compiled || !p->dpif || !begin_edit(p)) {
        return;
    }
    struct ofpipe_table *t = &p->next->tables[r->table_id];
    t->version++;
    t->cls = pcls_remove(&p->txn, t->cls, &r->compiled->cr);
    pcls_txn_retire_rule(&p->txn, &r->compiled->cr);
    r->compiled = NULL;
}

struct ofpipe *
ofproto_next_snapshot(struct ofproto *p)
{
    size_t n_rules = 0;
    for (int t = 0; t < OFPROTO_N_TABLES && n_rules < 2; t++) {
        n_rules += cls_count(&p->tables[t]);
    }
    if (p->next && !p->full_dirty && n_rules > 1) {
        struct ofpipe *next = p->next;
        next->version = p->version;
        /* The published snapshot now shares its parts with 'next' and
         * frees only what the edits replaced. */
        p->published->shared_with_next = true;
        p->published->garbage = p->txn;
        memset(&p->txn, 0, sizeof p->txn);
        p->next = NULL;
        return next;
    }
    ofproto_discard_edits(p);
    p->full_dirty = false;
    return compile_full(p, true);
}

void
ofproto_discard_edits(struct ofproto *p)
{
    if (p->next) {
        ofpipe_discard(p->next, &p->txn);
        p->next = NULL;
    }
}

struct ofpipe_act *
ofproto_compile_actions(struct ofproto *p, const struct ofacts *l,
                        uint32_t *n)
{
    struct compile_ctx cc = { .p = p };
    cc.groups.ids = xcalloc(hmap_count(&p->groups) + 1, sizeof(uint32_t));
    struct group *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        cc.groups.ids[cc.groups.n++] = g->group_id;
    }
    qsort(cc.groups.ids, cc.groups.n, sizeof(uint32_t), compare_u32);
    cc.meters.ids = xcalloc(hmap_count(&p->meters) + 1, sizeof(uint32_t));
    struct meter *m;
    HMAP_FOR_EACH (m, node, &p->meters) {
        cc.meters.ids[cc.meters.n++] = m->meter_id;
    }
    qsort(cc.meters.ids, cc.meters.n, sizeof(uint32_t), compare_u32);
    struct ofpipe_acts acts = compile_acts(&cc, l);
    free(cc.groups.ids);
    free(cc.meters.ids);
    *n = acts.n;
    return acts.acts;
}

/* ---- Packet-out ---- */

enum ofperr
ofproto_packet_out(struct ofproto *p, const struct ofp_packet_out *po)
{
    uint32_t in_port = po->in_port;
    if (in_port != OFPP_CONTROLLER && in_port != OFPP_LOCAL
        && in_port != OFPP_ANY && !ofproto_has_port(p, in_port)) {
        if (in_port > OFPP_MAX || in_port == 0) {
            return OFPERR_OFPBRC_BAD_PORT;
        }
    }
    for (size_t i = 0; i < po->actions.n; i++) {
        const struct ofact *a = &po->actions.acts[i];
        if (a->type == OFACT_GROUP && !ofproto_find_group(p, a->group_id)) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
        if (a->type == OFACT_SET_FIELD
            && !ofkey_field_supported(a->set_field.field)) {
            return OFPERR_OFPBAC_BAD_SET_TYPE;
        }
    }
    if (po->buffer_id != OFP_NO_BUFFER) {
        return OFPERR_OFPBRC_BUFFER_UNKNOWN;
    }
    if (!p->dpif || !po->data_len) {
        return 0;
    }
    for (size_t i = 0; i < po->actions.n; i++) {
        const struct ofact *a = &po->actions.acts[i];
        if (a->type == OFACT_OUTPUT && a->output.port == OFPP_TABLE) {
            ofproto_publish(p);     /* OFPP_TABLE sees the latest tables. */
            break;
        }
    }
    uint32_t n;
    struct ofpipe_act *acts = ofproto_compile_actions(p, &po->actions, &n);
    int error = dpif_execute(p->dpif, po->data, po->data_len,
                             ofproto_port_to_dp(in_port), acts, n);
    free(acts);
    if (error) {
        log_warn("%s: packet-out failed: %s", p->name, nfv_strerror(error));
    }
    return 0;
}

/* ---- Packet-in ---- */

void
ofproto_pktin_ring_free(struct ofproto *p)
{
    if (p->pktin_ring) {
        struct ofpipe_pktin pi;
        while (!rte_ring_sc_dequeue_elem(p->pktin_ring, &pi, sizeof pi)) {
            rte_pktmbuf_free(pi.mbuf);
        }
        rte_ring_free(p->pktin_ring);
        p->pktin_ring = NULL;
    }
}

void
ofproto_deliver_pktin(struct ofproto *p, struct ofpipe_pktin *e)
{
    struct rte_mbuf *mb = e->mbuf;
    if (p->cbs.packet_in) {
        static uint8_t buf[65536];
        struct ofp_packet_in pi;
        memset(&pi, 0, sizeof pi);
        pi.buffer_id = OFP_NO_BUFFER;
        pi.total_len = mb->pkt_len;
        pi.reason = e->reason;
        pi.table_id = e->table_id;
        pi.cookie = e->cookie;
        ofmatch_init(&pi.match);
        ofmatch_set_uint(&pi.match, MFF_IN_PORT,
                         ofproto_port_from_dp(e->in_port));
        if (e->metadata) {
            ofmatch_set_uint(&pi.match, MFF_METADATA, e->metadata);
        }
        if (e->tunnel_id) {
            ofmatch_set_uint(&pi.match, MFF_TUNNEL_ID, e->tunnel_id);
        }
        const void *data = rte_pktmbuf_read(mb, 0, mb->pkt_len, buf);
        pi.data = data;
        pi.data_len = mb->pkt_len;
        p->cbs.packet_in(p->cbs.aux, &pi, e->max_len);
    }
    rte_pktmbuf_free(mb);
}

void
ofproto_drain_pktins(struct ofproto *p)
{
    if (!p->pktin_ring) {
        return;
    }
    struct ofpipe_pktin entries[PKTIN_BURST];
    unsigned int n;
    int rounds = 0;
    do {
        n = rte_ring_sc_dequeue_burst_elem(p->pktin_ring, entries,
                                           sizeof entries[0], PKTIN_BURST,
                                           NULL);
        for (unsigned int i = 0; i < n; i++) {
            ofproto_deliver_pktin(p, &entries[i]);
        }
    } while (n == PKTIN_BURST && ++rounds < 16);
}
