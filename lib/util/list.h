/* list.h: intrusive circular doubly-linked list.
 *
 * Not thread-safe; callers synchronise.  An empty list is a head whose
 * next and prev point to itself. */
#ifndef OVSNFV_LIST_H
#define OVSNFV_LIST_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util/util.h"

struct list_node {
    struct list_node *prev, *next;
};

#define LIST_INITIALIZER(L) { (L), (L) }

static inline void
list_init(struct list_node *l)
{
    l->prev = l->next = l;
}

static inline bool
list_is_empty(const struct list_node *l)
{
    return l->next == l;
}

static inline void
list_insert_before(struct list_node *before, struct list_node *n)
{
    n->prev = before->prev;
    n->next = before;
    before->prev->next = n;
    before->prev = n;
}

static inline void
list_push_back(struct list_node *l, struct list_node *n)
{
    list_insert_before(l, n);
}

static inline void
list_push_front(struct list_node *l, struct list_node *n)
{
    list_insert_before(l->next, n);
}

static inline void
list_remove(struct list_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = n;
}

static inline size_t
list_size(const struct list_node *l)
{
    size_t n = 0;
    for (const struct list_node *e = l->next; e != l; e = e->next) {
        n++;
    }
    return n;
}

#define LIST_FOR_EACH(VAR, MEMBER, LIST)                                   \
    for (VAR = CONTAINER_OF((LIST)->next, __typeof__(*VAR), MEMBER);       \
         &(VAR)->MEMBER != (LIST);                                         \
         VAR = CONTAINER_OF((VAR)->MEMBER.next, __typeof__(*VAR), MEMBER))

/* Safe against removal of VAR inside the loop. */
#define LIST_FOR_EACH_SAFE(VAR, NEXT, MEMBER, LIST)                        \
    for (VAR = CONTAINER_OF((LIST)->next, __typeof__(*VAR), MEMBER),       \
         NEXT = CONTAINER_OF((VAR)->MEMBER.next, __typeof__(*VAR), MEMBER);\
         &(VAR)->MEMBER != (LIST);                                         \
         VAR = NEXT,                                                       \
         NEXT = CONTAINER_OF((VAR)->MEMBER.next, __typeof__(*VAR), MEMBER))

#endif
