/* rcu.c: see rcu.h. */
#include <config.h>
#include "dpdk/rcu.h"

#include <errno.h>
#include <pthread.h>
#include <rte_malloc.h>
#include "util/vlog.h"

LOG_MODULE(dp_rcu);

#define DP_RCU_MAX_READERS 128

struct rte_rcu_qsbr *dp_rcu_qsbr;
static pthread_mutex_t dp_rcu_mutex = PTHREAD_MUTEX_INITIALIZER;
static bool dp_rcu_used[DP_RCU_MAX_READERS];

int
dp_rcu_init(void)
{
    if (dp_rcu_qsbr) {
        return 0;
    }
    size_t sz = rte_rcu_qsbr_get_memsize(DP_RCU_MAX_READERS);
    struct rte_rcu_qsbr *v = rte_zmalloc("dp_rcu", sz, RTE_CACHE_LINE_SIZE);
    if (!v || rte_rcu_qsbr_init(v, DP_RCU_MAX_READERS)) {
        log_err("cannot set up RCU");
        rte_free(v);
        return ENOMEM;
    }
    dp_rcu_qsbr = v;
    return 0;
}

unsigned int
dp_rcu_register_reader(void)
{
    unsigned int id = UINT32_MAX;
    pthread_mutex_lock(&dp_rcu_mutex);
    for (unsigned int i = 0; i < DP_RCU_MAX_READERS; i++) {
        if (!dp_rcu_used[i]) {
            dp_rcu_used[i] = true;
            id = i;
            break;
        }
    }
    pthread_mutex_unlock(&dp_rcu_mutex);
    if (id != UINT32_MAX) {
        rte_rcu_qsbr_thread_register(dp_rcu_qsbr, id);
        rte_rcu_qsbr_thread_online(dp_rcu_qsbr, id);
    }
    return id;
}

void
dp_rcu_unregister_reader(unsigned int id)
{
    if (id >= DP_RCU_MAX_READERS) {
        return;
    }
    rte_rcu_qsbr_thread_offline(dp_rcu_qsbr, id);
    rte_rcu_qsbr_thread_unregister(dp_rcu_qsbr, id);
    pthread_mutex_lock(&dp_rcu_mutex);
    dp_rcu_used[id] = false;
    pthread_mutex_unlock(&dp_rcu_mutex);
}

void
dp_rcu_synchronize(void)
{
    if (dp_rcu_qsbr) {
        rte_rcu_qsbr_synchronize(dp_rcu_qsbr, RTE_QSBR_THRID_INVALID);
    }
}
