/* mac-learning.h: the learning switch's MAC table (one per bridge).
 *
 * An open-addressed table of (VLAN, MAC) -> port entries that PMD threads
 * read and update without locks: every field is an atomic, an entry is
 * claimed with a compare-and-swap on its key, and learning an address that
 * is already known on the same port only refreshes its time stamp (at most
 * once a second, to keep the cache line clean).  The main thread ages
 * entries out.  Races between PMDs learning the same new address resolve
 * to one winner; a lost update costs one more flood, never a wrong state
 * that lasts. */
#ifndef OVSNFV_MAC_LEARNING_H
#define OVSNFV_MAC_LEARNING_H 1

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "packet/eth-addr.h"

struct mac_table;
struct dstr;

#define MAC_ENTRY_NO_PORT UINT32_MAX
#define MAC_DEFAULT_AGING 300
#define MAC_DEFAULT_SIZE 2048

/* Creates a table for up to 'max_entries' addresses that forgets them
 * after 'aging_s' seconds.  Main thread. */
struct mac_table *mac_table_create(unsigned int max_entries,
                                   unsigned int aging_s);
/* Frees 'mt'; callers make sure no PMD uses it (RCU).  Main thread. */
void mac_table_destroy(struct mac_table *);

unsigned int mac_table_max_entries(const struct mac_table *);
unsigned int mac_table_aging(const struct mac_table *);
void mac_table_set_aging(struct mac_table *, unsigned int aging_s);

/* Records that 'mac' on 'vlan' was seen on 'port' at 'now_s' (seconds,
 * monotonic).  Returns true if the table changed (new entry or move).
 * When the table is full a new address is not learned.  Any thread. */
/* Prefetches the slot where 'mac' on 'vlan' would be, ahead of a learn or
 * lookup (batches of packets overlap their cache misses).  Any thread. */
void mac_table_prefetch(const struct mac_table *, struct eth_addr mac,
                        uint16_t vlan);

bool mac_table_learn(struct mac_table *, struct eth_addr mac, uint16_t vlan,
                     uint32_t port, uint32_t now_s);

/* Adds a static entry (never ages, not moved by learning), as `ovs-appctl
 * fdb/add` does.  Returns false if the table is full.  Main thread. */
bool mac_table_add_static(struct mac_table *, struct eth_addr mac,
                          uint16_t vlan, uint32_t port);

/* Time stamp that marks static entries. */
#define MAC_ENTRY_STATIC UINT32_MAX

/* Port that 'mac' on 'vlan' was learned on, or MAC_ENTRY_NO_PORT.  Any
 * thread. */
uint32_t mac_table_lookup(const struct mac_table *, struct eth_addr mac,
                          uint16_t vlan);

/* Removes entries older than the aging time (as of 'now_s'), and with
 * 'port' != MAC_ENTRY_NO_PORT also every entry on 'port'.  Returns the
 * number removed.  Main thread. */
unsigned int mac_table_expire(struct mac_table *, uint32_t now_s,
                              uint32_t port);
void mac_table_flush(struct mac_table *);

/* Number of entries. */
unsigned int mac_table_count(const struct mac_table *);

/* Calls 'cb' for each entry (no particular order).  Main thread. */
typedef void mac_table_visit_cb(struct eth_addr, uint16_t vlan,
                                uint32_t port, uint32_t age_s, void *aux);
void mac_table_for_each(const struct mac_table *, uint32_t now_s,
                        mac_table_visit_cb *, void *aux);

#endif
