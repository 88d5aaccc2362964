/* ofport-alloc.h: OpenFlow port numbers for a bridge's interfaces.
 *
 * Each bridge owns one allocator.  On every reconfiguration the bridge
 * passes the complete list of its interfaces; the allocator gives each one
 * a number, by these rules, in this order:
 *
 *   1. The bridge's local port always gets OFPORT_LOCAL (65534).
 *   2. A valid Interface:ofport_request is honoured.  When two interfaces
 *      request the same number, the one that already has it keeps it (or,
 *      if neither has it, the first in name order); the other gets an error
 *      and a number as if it had made no request.
 *   3. An interface keeps the number it has now ("current"), so numbers are
 *      stable across reconfiguration.
 *   4. Otherwise the number the database still shows for it ("hint": after a
 *      daemon restart), then the number the same name had before it was
 *      deleted (remembered by the allocator), if free.
 *   5. Otherwise the lowest free number.
 *
 * Not thread-safe; main thread only. */
#ifndef OVSNFV_OFPORT_ALLOC_H
#define OVSNFV_OFPORT_ALLOC_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util/hmap.h"

#define OFPORT_MIN 1
#define OFPORT_MAX 0xfeff       /* Highest number a physical port may use. */
#define OFPORT_LOCAL 0xfffe

/* One interface in an assignment round. */
struct ofport_slot {
    /* Inputs. */
    const char *name;           /* Interface name, unique in the bridge. */
    bool is_local;              /* The bridge's local port. */
    long long requested;        /* Interface:ofport_request, 0 if none. */
    int current;                /* Number held now, 0 if none. */
    int hint;                   /* Interface:ofport in the database, 0 if
                                 * none or -1. */

    /* Outputs. */
    int assigned;               /* Always set, OFPORT_MIN..OFPORT_LOCAL;
                                 * -1 only if all numbers are in use. */
    char *error;                /* Malloc'd reason the request was not
                                 * honoured, or NULL.  Caller frees. */
};

struct ofport_alloc {
    struct hmap history;        /* "struct ofport_memory"s by name. */
};

/* Initialises an empty allocator. */
void ofport_alloc_init(struct ofport_alloc *);
/* Frees what 'alloc' holds. */
void ofport_alloc_destroy(struct ofport_alloc *);

/* Assigns numbers to the 'n' interfaces in 'slots', which are all of the
 * bridge's interfaces (any not listed are considered gone).  Sets
 * 'assigned' and 'error' in every slot and remembers the assignment. */
void ofport_alloc_assign(struct ofport_alloc *, struct ofport_slot *slots,
                         size_t n);

/* Checks an ofport_request value.  Returns NULL if 'requested' is usable,
 * otherwise a malloc'd message. */
char *ofport_request_check(long long requested);

#endif
