/* pcls.h: a persistent (copy-on-write) classifier for the datapath's
 * pipeline snapshots.
 *
 * Same semantics as classifier.h (tuple space search; highest priority
 * wins), but a table is an immutable value once published: readers (PMD
 * threads) look it up without locks while the writer (the main thread)
 * derives a new version by copying only the path it changes - the table's
 * array of subtables, one subtable's bucket array, one chain of rules with
 * the same match.  A flow-mod then costs a few small copies instead of a
 * rebuild of the whole table.
 *
 * Edits happen inside a transaction (struct pcls_txn).  Objects created in
 * the current transaction are private and are changed in place; objects of
 * earlier transactions (possibly visible to readers) are copied first and
 * the originals are collected as garbage, to be freed by the caller once
 * no reader can see the old version any more (after an RCU grace period).
 *
 * Rules are the caller's: a table holds pointers to struct pcls_rule
 * embedded in the caller's rules, and never frees them. */
#ifndef OVSNFV_PCLS_H
#define OVSNFV_PCLS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "packet/flow.h"

struct pcls_rule {
    struct flow_key value;      /* Already masked. */
    struct flow_key mask;
    int32_t priority;
    uint64_t gen;               /* Transaction that created the rule. */
};

struct pcls;                    /* A table: immutable once published. */

/* Object freed later (after the grace period), see pcls_txn_free_garbage.
 * 'kind' says how. */
struct pcls_garbage {
    int kind;                   /* PCLS_G_*. */
    void *p;
};

enum { PCLS_G_MEM, PCLS_G_RULE };

struct pcls_txn {
    uint64_t gen;
    struct pcls_garbage *garbage;
    size_t n_garbage, cap_garbage;
    /* Frees a caller's rule (for PCLS_G_RULE garbage and rules removed in
     * the transaction that created them). */
    void (*free_rule)(struct pcls_rule *);
};

/* Starts a transaction with a fresh generation. */
void pcls_txn_init(struct pcls_txn *txn, void (*free_rule)(struct pcls_rule *));
/* Records a caller's rule, no longer reachable from the tables being
 * built, for freeing with the garbage (or at once if it was created in
 * this transaction). */
void pcls_txn_retire_rule(struct pcls_txn *txn, struct pcls_rule *rule);
/* Frees the garbage: call once no reader can see the versions from before
 * the transaction. */
void pcls_txn_free_garbage(struct pcls_txn *txn);
/* Forgets the garbage without freeing it (the old versions stay in use). */
void pcls_txn_forget_garbage(struct pcls_txn *txn);

/* Initialises 'rule' with 'value' under 'mask' (masked here), 'priority'
 * and the transaction's generation. */
void pcls_rule_init(struct pcls_txn *txn, struct pcls_rule *rule,
                    const struct flow_key *value, const struct flow_key *mask,
                    int32_t priority);

/* Returns the table 't' (NULL: empty) with 'rule' added.  No rule with the
 * same match and priority may be present. */
const struct pcls *pcls_insert(struct pcls_txn *txn, const struct pcls *t,
                               const struct pcls_rule *rule);
/* Returns 't' without 'rule' (compared by address). */
const struct pcls *pcls_remove(struct pcls_txn *txn, const struct pcls *t,
                               const struct pcls_rule *rule);
/* Returns 't' with 'old' replaced by 'new' (same match and priority). */
const struct pcls *pcls_replace(struct pcls_txn *txn, const struct pcls *t,
                                const struct pcls_rule *old,
                                const struct pcls_rule *new);

/* The highest-priority rule of 't' matching 'key', or NULL.  ORs into 'wc'
 * (if nonnull) the masks of the subtables it probed.  Any thread. */
const struct pcls_rule *pcls_lookup(const struct pcls *t,
                                    const struct flow_key *key,
                                    struct flow_key *wc);

/* Number of rules in 't'. */
size_t pcls_count(const struct pcls *t);

/* Frees 't' entirely, rules included (through 'free_rule'), when nothing
 * else refers to any part of it. */
void pcls_destroy(const struct pcls *t, void (*free_rule)(struct pcls_rule *));

/* Frees the parts of 't' created in transaction 'txn' (rules included),
 * abandoning the transaction's version; the parts shared with earlier
 * versions stay. */
void pcls_discard(const struct pcls *t, const struct pcls_txn *txn);

#endif
