/* rcu.h: quiescent-state based RCU for the datapath (DPDK rte_rcu_qsbr).
 *
 * Readers (PMD threads, the vhost callback thread is not a reader) register
 * once, report a quiescent state once per poll iteration with
 * dp_rcu_quiesce() (a single store: no locks, no syscalls) and go offline
 * while they sleep.  Writers (main thread, vhost thread) publish a new
 * pointer with an atomic store and then call dp_rcu_synchronize() before
 * freeing the old object.  Requires DPDK to be initialised. */
#ifndef OVSNFV_DP_RCU_H
#define OVSNFV_DP_RCU_H 1

#include <stdbool.h>
#include <stdint.h>
#include <rte_rcu_qsbr.h>

/* Sets up the QSBR variable.  Main thread, after EAL init.  Returns 0 or
 * ENOMEM. */
int dp_rcu_init(void);

/* Reader thread id for the calling thread (registered and online), or
 * UINT32_MAX when out of ids.  Any reader thread. */
unsigned int dp_rcu_register_reader(void);
void dp_rcu_unregister_reader(unsigned int id);

/* The QSBR variable, for the inline helpers below. */
extern struct rte_rcu_qsbr *dp_rcu_qsbr;

/* Reports a quiescent state of reader 'id': it holds no RCU pointers. */
static inline void
dp_rcu_quiesce(unsigned int id)
{
    rte_rcu_qsbr_quiescent(dp_rcu_qsbr, id);
}

static inline void
dp_rcu_offline(unsigned int id)
{
    rte_rcu_qsbr_thread_offline(dp_rcu_qsbr, id);
}

static inline void
dp_rcu_online(unsigned int id)
{
    rte_rcu_qsbr_thread_online(dp_rcu_qsbr, id);
}

/* Waits until every reader passed a quiescent state.  Writer threads
 * only (never a PMD); a no-op before dp_rcu_init(). */
void dp_rcu_synchronize(void);

#endif
