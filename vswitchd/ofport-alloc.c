/* ofport-alloc.c: OpenFlow port number assignment.  See ofport-alloc.h. */
#include <config.h>
#include "vswitchd/ofport-alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/util.h"

/* Bound on remembered names, so a churn of unique names cannot grow the
 * allocator without limit. */
#define HISTORY_MAX 4096

struct ofport_memory {
    struct hmap_node node;
    char *name;
    int ofport;
};

void
ofport_alloc_init(struct ofport_alloc *alloc)
{
    hmap_init(&alloc->history);
}

void
ofport_alloc_destroy(struct ofport_alloc *alloc)
{
    struct ofport_memory *m, *next;
    HMAP_FOR_EACH_SAFE (m, next, node, &alloc->history) {
        hmap_remove(&alloc->history, &m->node);
        free(m->name);
        free(m);
    }
    hmap_destroy(&alloc->history);
}

static struct ofport_memory *
history_find(const struct ofport_alloc *alloc, const char *name)
{
    struct ofport_memory *m;
    HMAP_FOR_EACH_WITH_HASH (m, node, hash_string(name, 0),
                             &alloc->history) {
        if (!strcmp(m->name, name)) {
            return m;
        }
    }
    return NULL;
}

static void
history_remember(struct ofport_alloc *alloc, const char *name, int ofport)
{
    struct ofport_memory *m = history_find(alloc, name);
    if (m) {
        m->ofport = ofport;
        return;
    }
    if (hmap_count(&alloc->history) >= HISTORY_MAX) {
        /* Forget an arbitrary entry: good enough for a bound that real
         * configurations never reach. */
        struct ofport_memory *victim
            = HMAP_NODE_TO(hmap_first(&alloc->history), victim, node);
        hmap_remove(&alloc->history, &victim->node);
        free(victim->name);
        free(victim);
    }
    m = xmalloc(sizeof *m);
    m->name = xstrdup(name);
    m->ofport = ofport;
    hmap_insert(&alloc->history, &m->node, hash_string(name, 0));
}

char *
ofport_request_check(long long requested)
{
    if (requested < OFPORT_MIN || requested > OFPORT_MAX) {
        return xasprintf("ofport_request %lld is out of range "
                         "(valid values are %d to %d)", requested,
                         OFPORT_MIN, OFPORT_MAX);
    }
    return NULL;
}

/* Numbers in use during one round: index 1..OFPORT_MAX, value = owner slot
 * index + 1 (0 = free). */
struct ofport_table {
    uint32_t *owner;
};

static bool
valid_number(long long n)
{
    return n >= OFPORT_MIN && n <= OFPORT_MAX;
}

static int
compare_by_name(const void *a_, const void *b_, void *slots_)
{
    const struct ofport_slot *slots = slots_;
    size_t a = *(const size_t *) a_, b = *(const size_t *) b_;
    return strcmp(slots[a].name, slots[b].name);
}

static bool
try_take(struct ofport_table *t, struct ofport_slot *slots, size_t i,
         long long n)
{
    if (!valid_number(n) || t->owner[n]) {
        return false;
    }
    t->owner[n] = i + 1;
    slots[i].assigned = n;
    return true;
}

void
ofport_alloc_assign(struct ofport_alloc *alloc, struct ofport_slot *slots,
                    size_t n)
{
    struct ofport_table t;
    t.owner = xcalloc(OFPORT_MAX + 1, sizeof *t.owner);

    /* Visit interfaces in name order so the outcome does not depend on the
     * order the database happened to list them in. */
    size_t *order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        slots[i].assigned = 0;
        slots[i].error = NULL;
    }
    qsort_r(order, n, sizeof *order, compare_by_name, slots);

    /* 1. The local port. */
    for (size_t i = 0; i < n; i++) {
        if (slots[i].is_local) {
            slots[i].assigned = OFPORT_LOCAL;
        }
    }

    /* 2. Requests, first from interfaces that already hold the number they
     *    request, then from the rest in name order. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n; k++) {
            struct ofport_slot *s = &slots[order[k]];
            if (s->assigned || !s->requested
                || (pass == 0) != (s->current == s->requested)) {
                continue;
            }
            char *error = ofport_request_check(s->requested);
            if (error) {
                s->error = error;
                continue;
            }
            if (!try_take(&t, slots, order[k], s->requested)) {
                const struct ofport_slot *holder
                    = &slots[t.owner[s->requested] - 1];
                s->error = xasprintf("ofport_request %lld is already "
                                     "requested by interface %s",
                                     s->requested, holder->name);
            }
        }
    }

    /* 3. and 4. Current numbers, then database hints, then history. */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t k = 0; k < n; k++) {
            size_t i = order[k];
            struct ofport_slot *s = &slots[i];
            if (s->assigned) {
                continue;
            }
            if (pass == 0) {
                try_take(&t, slots, i, s->current);
            } else if (pass == 1) {
                try_take(&t, slots, i, s->hint);
            } else {
                const struct ofport_memory *m = history_find(alloc, s->name);
                if (m) {
                    try_take(&t, slots, i, m->ofport);
                }
            }
        }
    }

    /* 5. Lowest free numbers. */
    int next_free = OFPORT_MIN;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        if (slots[i].assigned) {
            continue;
        }
        while (next_free <= OFPORT_MAX && t.owner[next_free]) {
            next_free++;
        }
        if (next_free > OFPORT_MAX) {
            slots[i].assigned = -1;
            free(slots[i].error);
            slots[i].error = xstrdup("no free OpenFlow port number");
            continue;
        }
        try_take(&t, slots, i, next_free);
    }

    for (size_t i = 0; i < n; i++) {
        if (!slots[i].is_local && slots[i].assigned > 0) {
            history_remember(alloc, slots[i].name, slots[i].assigned);
        }
    }
    free(order);
    free(t.owner);
}
