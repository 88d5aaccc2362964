/* ofpipe-xlate.c: translating a flow key through a compiled pipeline into
 * a flat list of operations, for the datapath's flow caches and for
 * ofproto/trace.  See ofpipe.h. */
#include <config.h>
#include "ofproto/ofpipe.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/ofkey.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-group.h"
#include "util/dstr.h"
#include "util/util.h"

/* Action-set slots in execution order (OpenFlow 1.3, 5.10); the set-field
 * slots run at XS_SET_FIELDS. */
enum xset_slot {
    XS_COPY_TTL_IN, XS_POP_VLAN, XS_POP_MPLS, XS_POP_PBB, XS_PUSH_MPLS,
    XS_PUSH_PBB, XS_PUSH_VLAN, XS_COPY_TTL_OUT, XS_DEC_MPLS_TTL,
    XS_DEC_NW_TTL, XS_SET_MPLS_TTL, XS_SET_NW_TTL, XS_SET_FIELDS,
    XS_SET_QUEUE, XS_GROUP, XS_OUTPUT, XS_N_SLOTS
};

struct xset {
    const struct ofpipe_act *slot[XS_N_SLOTS];
    const struct ofpipe_act *sf[MFF_N_FIELDS];
};

static int
xset_slot_of(uint8_t type)
{
    switch (type) {
    case OPA_COPY_TTL_IN: return XS_COPY_TTL_IN;
    case OPA_POP_VLAN: return XS_POP_VLAN;
    case OPA_POP_MPLS: return XS_POP_MPLS;
    case OPA_POP_PBB: return XS_POP_PBB;
    case OPA_PUSH_MPLS: return XS_PUSH_MPLS;
    case OPA_PUSH_PBB: return XS_PUSH_PBB;
    case OPA_PUSH_VLAN: return XS_PUSH_VLAN;
    case OPA_COPY_TTL_OUT: return XS_COPY_TTL_OUT;
    case OPA_DEC_MPLS_TTL: return XS_DEC_MPLS_TTL;
    case OPA_DEC_NW_TTL: return XS_DEC_NW_TTL;
    case OPA_SET_MPLS_TTL: return XS_SET_MPLS_TTL;
    case OPA_SET_NW_TTL: return XS_SET_NW_TTL;
    case OPA_SET_QUEUE: return XS_SET_QUEUE;
    case OPA_GROUP: return XS_GROUP;
    case OPA_METER: return -1;
    default: return XS_OUTPUT;          /* Every kind of output. */
    }
}

static struct ofpipe_act *
push_op(struct ofpipe_xlate *xo, const struct ofpipe_act *a)
{
    if (xo->n_ops == xo->alloc_ops) {
        xo->alloc_ops = xo->alloc_ops ? 2 * xo->alloc_ops : 8;
        xo->ops = xrealloc(xo->ops, xo->alloc_ops * sizeof *xo->ops);
    }
    struct ofpipe_act *o = &xo->ops[xo->n_ops++];
    *o = *a;
    return o;
}

static void
push_simple(struct ofpipe_xlate *xo, uint8_t type, uint16_t u16,
            const struct ofpipe_rule *rule)
{
    struct ofpipe_act a;
    memset(&a, 0, sizeof a);
    a.type = type;
    a.u16 = u16;
    a.rule = rule;
    push_op(xo, &a);
}

/* A lookup in 'table' that found 'rule' (or nothing), with the counter ids
 * it increments. */
static void
push_lookup(struct ofpipe_xlate *xo, const struct ofpipe *pipe,
            uint8_t table, const struct ofpipe_rule *rule)
{
    struct ofpipe_act a;
    memset(&a, 0, sizeof a);
    a.type = rule ? OPA_LOOKUP : OPA_MISS;
    a.u16 = table;
    a.rule = rule;
    a.u32 = rule ? rule->counter : OFPIPE_NO_COUNTER;
    a.ctrs[0] = pipe->tables[table].lookup_counter;
    a.ctrs[1] = rule ? pipe->tables[table].matched_counter
                     : OFPIPE_NO_COUNTER;
    a.table_version = pipe->tables[table].version;
    push_op(xo, &a);
}

/* Follows the effect of 'a' on the translation's key.  Returns false if
 * the action rebuilds headers in a way the key alone cannot follow (the
 * packet is re-parsed then). */
static bool
follow_key(struct flow_key *key, const struct ofpipe_act *a)
{
    switch (a->type) {
    case OPA_SET_FIELD:
        if ((a->field == MFF_VLAN_VID || a->field == MFF_VLAN_PCP)
            && !(key->vlan_tci & FLOW_VLAN_CFI)) {
            return false;               /* Pushes a tag first. */
        }
        ofkey_set_field(key, a->field, a->value, a->mask);
        return true;
    case OPA_PUSH_VLAN: case OPA_POP_VLAN: case OPA_PUSH_MPLS:
    case OPA_POP_MPLS: case OPA_SET_MPLS_TTL: case OPA_DEC_MPLS_TTL:
    case OPA_SET_NW_TTL: case OPA_DEC_NW_TTL: case OPA_COPY_TTL_OUT:
    case OPA_COPY_TTL_IN: case OPA_PUSH_PBB: case OPA_POP_PBB:
        return false;
    default:
        return true;
    }
}

static bool
meter_remarks(const struct ofpipe *pipe, uint32_t idx)
{
    if (idx >= pipe->n_meters) {
        return false;
    }
    const struct ofpipe_meter *m = &pipe->meters[idx];
    for (uint32_t b = 0; b < m->n_bands; b++) {
        if (m->bands[b].type != OFPMBT_DROP) {
            return true;
        }
    }
    return false;
}

static void
trace_ops(struct dstr *trace, const struct ofpipe_act *acts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        dstr_put(trace, i ? "," : "");
        ofpipe_act_format(&acts[i], trace, NULL, NULL);
    }
}

/* A result that depended on the transport fields of IP packet 'key' holds
 * only for packets of the same fragment status (fragments read them as
 * 0): puts that status into the mask. */
static void
mask_fragment_status(struct ofpipe_xlate *xo, const struct flow_key *key)
{
    const struct flow_key *m = &xo->mask;
    if (key->dl_type != ETH_TYPE_IP && key->dl_type != ETH_TYPE_IPV6) {
        return;
    }
    bool l4 = m->tp_src || m->tp_dst || m->icmp_type || m->icmp_code
              || m->tcp_flags;
    if (!l4 && key->dl_type == ETH_TYPE_IPV6) {
        l4 = !bytes_all_zero(m->nd_target, sizeof m->nd_target)
             || !bytes_all_zero(&m->arp_sha, sizeof m->arp_sha)
             || !bytes_all_zero(&m->arp_tha, sizeof m->arp_tha);
    }
    if (l4) {
        xo->mask.dl_type = UINT16_MAX;
        xo->mask.nw_frag |= FLOW_FRAG_ANY | FLOW_FRAG_LATER;
    }
}

void
ofpipe_xlate(const struct ofpipe *pipe, const struct flow_key *key_in,
             struct ofpipe_xlate *xo, struct dstr *trace)
{
    memset(xo, 0, sizeof *xo);
    xo->cacheable = true;
    struct flow_key key = *key_in;
    if (pipe->frag_drop) {
        xo->mask.dl_type = UINT16_MAX;
        if (key.dl_type == ETH_TYPE_IP || key.dl_type == ETH_TYPE_IPV6) {
            xo->mask.nw_frag |= FLOW_FRAG_ANY | FLOW_FRAG_LATER;
            if (key.nw_frag & FLOW_FRAG_ANY) {
                push_simple(xo, OPA_DROP, 0, NULL);
                if (trace) {
                    dstr_put(trace, "Fragment handling \"drop\": "
                             "dropped before table 0.\n");
                }
                return;
            }
        }
    }
    if (flow_is_ip_fragment(&key)) {
        flow_zero_l4_fields(&key);
    }
    struct xset set;
    memset(&set, 0, sizeof set);
    bool key_followed = true;           /* Key still mirrors the packet. */
    uint8_t table = 0;
    const struct ofpipe_rule *last_rule = NULL;

    for (;;) {
        if (!key_followed) {
            xo->cacheable = false;
        }
        xo->n_lookups++;
        const struct pcls_rule *cr = pcls_lookup(pipe->tables[table].cls,
                                                 &key, &xo->mask);
        const struct ofpipe_rule *r = (const struct ofpipe_rule *) cr;
        if (!r) {
            push_lookup(xo, pipe, table, NULL);
            push_simple(xo, OPA_DROP, 0, NULL);
            if (trace) {
                dstr_printf(trace, "%2d. No match: drop.\n", table);
            }
            mask_fragment_status(xo, key_in);
            return;
        }
        push_lookup(xo, pipe, table, r);
        last_rule = r;
        if (trace) {
            dstr_printf(trace, "%2d. priority %"PRId32", cookie 0x%"PRIx64
                        "\n    apply: ", table, r->cr.priority, r->cookie);
            trace_ops(trace, r->apply.acts, r->apply.n);
            if (r->write.n) {
                dstr_put(trace, "; write: ");
                trace_ops(trace, r->write.acts, r->write.n);
            }
            if (r->clear_actions) {
                dstr_put(trace, "; clear_actions");
            }
            if (r->has_goto) {
                dstr_printf(trace, "; goto_table:%u", r->goto_table);
            }
            dstr_put_char(trace, '\n');
        }
        if (r->meter != OFPIPE_NO_METER) {
            struct ofpipe_act m;
            memset(&m, 0, sizeof m);
            m.type = OPA_METER;
            m.u32 = r->meter;
            push_op(xo, &m);
            if (meter_remarks(pipe, r->meter)) {
                key_followed = false;
            }
        }
        for (uint32_t i = 0; i < r->apply.n; i++) {
            const struct ofpipe_act *a = &r->apply.acts[i];
            push_op(xo, a);
            if (a->type == OPA_METER && meter_remarks(pipe, a->u32)) {
                key_followed = false;
            }
            key_followed = follow_key(&key, a) && key_followed;
        }
        if (r->clear_actions) {
            memset(&set, 0, sizeof set);
        }
        for (uint32_t i = 0; i < r->write.n; i++) {
            const struct ofpipe_act *a = &r->write.acts[i];
            if (a->type == OPA_SET_FIELD) {
                set.sf[a->field] = a;
            } else {
                int slot = xset_slot_of(a->type);
                if (slot >= 0) {
                    set.slot[slot] = a;
                }
            }
        }
        if (r->has_metadata) {
            struct ofpipe_act md;
            memset(&md, 0, sizeof md);
            md.type = OPA_SET_FIELD;
            md.field = MFF_METADATA;
            for (int i = 0; i < 8; i++) {
                md.value[i] = r->metadata >> (56 - 8 * i);
                md.mask[i] = r->metadata_mask >> (56 - 8 * i);
            }
            push_op(xo, &md);
            key.metadata = (key.metadata & ~r->metadata_mask)
                           | (r->metadata & r->metadata_mask);
        }
        if (r->has_goto && r->goto_table > table
            && r->goto_table < OFPIPE_N_TABLES) {
            table = r->goto_table;
            continue;
        }
        break;
    }

    /* The action set.  An empty one ends the pipeline after the last
     * rule's apply-actions, whose final action consumes the packet; with
     * none, the packet is dropped. */
    bool set_empty = true;
    for (int i = 0; i < XS_N_SLOTS && set_empty; i++) {
        set_empty = !set.slot[i];
    }
    for (int f = 0; f < MFF_N_FIELDS && set_empty; f++) {
        set_empty = !set.sf[f];
    }
    bool out = set_empty && last_rule->apply.n;
    for (int s = 0; s < XS_N_SLOTS && !out; s++) {
        if (s == XS_SET_FIELDS) {
            for (int f = 0; f < MFF_N_FIELDS; f++) {
                if (set.sf[f]) {
                    push_op(xo, set.sf[f]);
                }
            }
        } else if (set.slot[s]) {
            push_op(xo, set.slot[s]);
            out = s == XS_GROUP || s == XS_OUTPUT;
        }
    }
    if (!out) {
        push_simple(xo, OPA_DROP, 0, NULL);
    }
    mask_fragment_status(xo, key_in);
    if (trace) {
        dstr_put(trace, "Datapath actions: ");
        trace_ops(trace, xo->ops, xo->n_ops);
        dstr_put_char(trace, '\n');
    }

    /* Key-free: counters, then exactly one output to a port or a drop. */
    xo->key_free = true;
    for (uint32_t i = 0; i < xo->n_ops; i++) {
        uint8_t t = xo->ops[i].type;
        bool last = i == xo->n_ops - 1;
        if (t == OPA_LOOKUP || t == OPA_MISS) {
            continue;
        }
        if (!last || (t != OPA_OUTPUT && t != OPA_DROP && t != OPA_LOCAL)) {
            xo->key_free = false;
            break;
        }
    }
}

void
ofpipe_xlate_destroy(struct ofpipe_xlate *xo)
{
    free(xo->ops);
    xo->ops = NULL;
    xo->n_ops = xo->alloc_ops = 0;
}

void
ofpipe_act_format(const struct ofpipe_act *a, struct dstr *ds,
                  uint32_t (*port_name)(uint32_t ofp, const void *aux),
                  const void *aux)
{
    switch (a->type) {
    case OPA_OUTPUT:
        dstr_printf(ds, "%"PRIu32, port_name ? port_name(a->u32, aux)
                                              : a->u32);
        break;
    case OPA_IN_PORT: dstr_put(ds, "in_port"); break;
    case OPA_FLOOD: dstr_put(ds, "flood"); break;
    case OPA_ALL: dstr_put(ds, "all"); break;
    case OPA_NORMAL: dstr_put(ds, "normal"); break;
    case OPA_LOCAL:
        dstr_printf(ds, "%"PRIu32, port_name ? port_name(0xfffffffe, aux)
                                              : 0xfffffffeu);
        break;
    case OPA_CONTROLLER:
        dstr_printf(ds, "userspace(controller(max_len=%u))", a->u16);
        break;
    case OPA_TABLE: dstr_put(ds, "table"); break;
    case OPA_SET_FIELD: {
        const struct mf_info *mi = mf_info(a->field);
        unsigned int w = mf_width(a->field);
        dstr_printf(ds, "set_field(%s=0x", mi ? mi->name : "?");
        for (unsigned int i = 0; i < w; i++) {
            dstr_printf(ds, "%02x", a->value[i]);
        }
        dstr_put_char(ds, ')');
        break;
    }
    case OPA_PUSH_VLAN: dstr_printf(ds, "push_vlan(0x%04x)", a->u16); break;
    case OPA_POP_VLAN: dstr_put(ds, "pop_vlan"); break;
    case OPA_PUSH_MPLS: dstr_printf(ds, "push_mpls(0x%04x)", a->u16); break;
    case OPA_POP_MPLS: dstr_printf(ds, "pop_mpls(0x%04x)", a->u16); break;
    case OPA_SET_MPLS_TTL: dstr_printf(ds, "set_mpls_ttl(%u)", a->u32); break;
    case OPA_DEC_MPLS_TTL: dstr_put(ds, "dec_mpls_ttl"); break;
    case OPA_SET_NW_TTL: dstr_printf(ds, "set_ttl(%u)", a->u32); break;
    case OPA_DEC_NW_TTL: dstr_put(ds, "dec_ttl"); break;
    case OPA_COPY_TTL_OUT: dstr_put(ds, "copy_ttl_out"); break;
    case OPA_COPY_TTL_IN: dstr_put(ds, "copy_ttl_in"); break;
    case OPA_SET_QUEUE: dstr_printf(ds, "set_queue(%u)", a->u32); break;
    case OPA_PUSH_PBB: dstr_printf(ds, "push_pbb(0x%04x)", a->u16); break;
    case OPA_POP_PBB: dstr_put(ds, "pop_pbb"); break;
    case OPA_GROUP: dstr_printf(ds, "group(index %u)", a->u32); break;
    case OPA_METER: dstr_printf(ds, "meter(index %u)", a->u32); break;
    case OPA_DROP: dstr_put(ds, "drop"); break;
    case OPA_LOOKUP:
        dstr_printf(ds, "lookup(table=%u)", a->u16);
        break;
    case OPA_MISS: dstr_printf(ds, "miss(table=%u)", a->u16); break;
    default: dstr_printf(ds, "unknown(%u)", a->type); break;
    }
}
