/* ofproto-scratch.c: scratch copies of a switch model, on which a bundle
 * is tried before it is committed (see ofproto_create_scratch()). */
#include <config.h>
#include "ofproto/ofproto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/ofpipe.h"
#include "ofproto/ofproto-private.h"
#include "util/hash.h"
#include "util/util.h"

/* A copy owns no counter of the original: statistics are not part of what
 * a bundle is checked against, and counters freed with the scratch copy
 * must never be ones the datapath still counts in. */
static void
copy_rules(struct ofproto *dst, const struct ofproto *src)
{
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        size_t n;
        struct cls_rule **all = cls_collect(&src->tables[t], &n);
        for (size_t i = 0; i < n; i++) {
            const struct rule *r = (const struct rule *) all[i];
            struct rule *copy = xmalloc(sizeof *copy);
            *copy = *r;
            cls_rule_init(&copy->cr, &r->cr.value, &r->cr.mask,
                          r->cr.priority);
            ofinsts_clone(&copy->insts, &r->insts);
            copy->counter = OFPIPE_NO_COUNTER;
            cls_insert(&dst->tables[t], &copy->cr);
        }
        free(all);
    }
}

static void
copy_groups(struct ofproto *dst, const struct ofproto *src)
{
    const struct group *g;
    HMAP_FOR_EACH (g, node, &src->groups) {
        struct group *copy = xmalloc(sizeof *copy);
        *copy = *g;
        copy->counter = OFPIPE_NO_COUNTER;
        copy->buckets = xcalloc(g->n_buckets + 1, sizeof *copy->buckets);
        copy->bucket_counters = xcalloc(g->n_buckets + 1,
                                        sizeof *copy->bucket_counters);
        for (size_t i = 0; i < g->n_buckets; i++) {
            copy->buckets[i] = g->buckets[i];
            ofacts_clone(&copy->buckets[i].actions, &g->buckets[i].actions);
            copy->bucket_counters[i] = OFPIPE_NO_COUNTER;
        }
        hmap_insert(&dst->groups, &copy->node,
                    hash_uint64(copy->group_id, 0));
    }
}

static void
copy_meters(struct ofproto *dst, const struct ofproto *src)
{
    const struct meter *m;
    HMAP_FOR_EACH (m, node, &src->meters) {
        struct meter *copy = xmalloc(sizeof *copy);
        *copy = *m;
        copy->counter = OFPIPE_NO_COUNTER;
        for (size_t i = 0; i < OFP_MAX_METER_BANDS; i++) {
            copy->band_counters[i] = OFPIPE_NO_COUNTER;
        }
        copy->state = xzalloc(sizeof *copy->state);
        hmap_insert(&dst->meters, &copy->node,
                    hash_uint64(copy->meter_id, 1));
    }
}

static void
copy_ports(struct ofproto *dst, const struct ofproto *src)
{
    const struct ofport *op;
    HMAP_FOR_EACH (op, node, &src->ports) {
        struct ofport *copy = xmalloc(sizeof *copy);
        *copy = *op;
        hmap_insert(&dst->ports, &copy->node,
                    hash_uint64(copy->pp.port_no, 2));
    }
}

struct ofproto *
ofproto_create_scratch(const struct ofproto *src)
{
    struct ofproto *p = xzalloc(sizeof *p);
    p->name = xasprintf("%s (scratch)", src->name);
    p->scratch = true;
    p->datapath_id = src->datapath_id;
    p->fail_mode = src->fail_mode;
    p->controllers_configured = src->controllers_configured;
    p->controller_connected = src->controller_connected;
    p->fail_open_active = src->fail_open_active;
    for (int t = 0; t < OFPROTO_N_TABLES; t++) {
        cls_init(&p->tables[t]);
        p->table_lookup_counter[t] = OFPIPE_NO_COUNTER;
        p->table_matched_counter[t] = OFPIPE_NO_COUNTER;
    }
    hmap_init(&p->groups);
    hmap_init(&p->meters);
    hmap_init(&p->ports);
    copy_rules(p, src);
    copy_groups(p, src);
    copy_meters(p, src);
    copy_ports(p, src);
    return p;
}
