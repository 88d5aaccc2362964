/* pmd.c: PMD threads and the packet path.
 *
 * Each PMD thread is pinned to one core and loops: for every queue on its
 * poll list, receive a burst of up to 32 packets, parse each once into a
 * flow key, decide its outputs (a port-to-port rule or NORMAL: the learning
 * switch), group them per output port and transmit each group as one
 * burst.  Every iteration ends with an RCU quiescent state.  No locks (a
 * transmit queue shared by more PMDs than the port has queues is the one
 * exception), no syscalls, no allocations on this path; flooding shares
 * the mbuf by reference count unless a port needs a different VLAN tag.
 *
 * Stages, in order: receive (pmd_main) -> parse (flow_parse) -> classify
 * (process_burst: port-to-port rule, else NORMAL's normal_decide) -> act
 * (output_one / flood into per-port batches) -> transmit (flush_all).
 * The OpenFlow pipeline and its caches replace "classify" later: they
 * produce, per packet, an output index, a flood, a drop or a list of
 * outputs, which the act stage already handles. */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include "dpdk/rcu.h"
#include "dpif/dpif-private.h"
#include "dpif/flow-cache.h"
#include "netdev/netdev-provider.h"
#include "packet/flow.h"
#include "packet/pkt-meta.h"
#include "ofproto/ofpipe.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(pmd);

uint64_t
pmd_tsc_hz(void)
{
    return rte_get_tsc_hz();
}

uint32_t
dp_now_s(void)
{
    uint64_t hz = rte_get_tsc_hz();
    return hz ? rte_rdtsc() / hz : 0;
}

static inline bool
vlan_member(const struct dp_vlan *v, uint16_t vlan)
{
    switch (v->mode) {
    case DPIF_VLAN_ACCESS:
        return vlan == (uint16_t) v->tag;
    case DPIF_VLAN_NATIVE_TAGGED:
    case DPIF_VLAN_NATIVE_UNTAGGED:
        if (vlan == (uint16_t) v->tag) {
            return true;
        }
        /* fall through */
    case DPIF_VLAN_TRUNK:
    default:
        return v->all_vlans || (v->trunks[vlan / 64] >> (vlan % 64)) & 1;
    }
}

/* VLAN of a packet received on 'v' with TCI 'tci' (0 untagged), or -1 to
 * drop it. */
static inline int
vlan_input(const struct dp_vlan *v, uint16_t tci)
{
    uint16_t vid = tci & FLOW_VLAN_VID_MASK;
    bool tagged = (tci & FLOW_VLAN_CFI) && vid;
    switch (v->mode) {
    case DPIF_VLAN_ACCESS:
        return tagged ? -1 : v->tag;
    case DPIF_VLAN_NATIVE_TAGGED:
    case DPIF_VLAN_NATIVE_UNTAGGED:
        if (!tagged) {
            return v->tag;
        }
        return vlan_member(v, vid) ? vid : -1;
    case DPIF_VLAN_TRUNK:
    default:
        if (!tagged) {
            return vlan_member(v, 0) ? 0 : -1;
        }
        return vlan_member(v, vid) ? vid : -1;
    }
}

/* Tag a packet of 'vlan' must carry when leaving through 'v': 0 for
 * untagged. */
static inline uint16_t
vlan_output_tag(const struct dp_vlan *v, uint16_t vlan)
{
    switch (v->mode) {
    case DPIF_VLAN_ACCESS:
        return 0;
    case DPIF_VLAN_NATIVE_UNTAGGED:
        return vlan == (uint16_t) v->tag ? 0 : vlan;
    case DPIF_VLAN_NATIVE_TAGGED:
    case DPIF_VLAN_TRUNK:
    default:
        return vlan;
    }
}

/* Rewrites 'm' (refcount 1) to carry VLAN 'want' (0 = untagged). */
static bool
vlan_rewrite(struct rte_mbuf *m, uint16_t have, uint16_t want)
{
    if (have == want) {
        return true;
    }
    if (!want) {
        /* The addresses move up over the tag; the inner EtherType is
         * already where the outer one belongs then. */
        char *eh = rte_pktmbuf_mtod(m, char *);
        memmove(eh + 4, eh, 2 * RTE_ETHER_ADDR_LEN);
        rte_pktmbuf_adj(m, 4);
        return true;
    }
    if (have) {
        struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
        struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *) (eh + 1);
        uint16_t tci = rte_be_to_cpu_16(vh->vlan_tci);
        vh->vlan_tci = rte_cpu_to_be_16((tci & ~FLOW_VLAN_VID_MASK) | want);
        return true;
    }
    m->vlan_tci = want;
    return rte_vlan_insert(&m) == 0;
}

static void
batch_flush(struct pmd_ctx *ctx, const struct dp_fwd *fwd, int idx)
{
    struct out_batch *b = &ctx->batches[idx];
    if (b->n) {
        /* Batches count what was handed to the port (OVS's "Tx
         * packets"); what the port could not take is its tx_dropped. */
        ctx->tx_packets += b->n;
        netdev_send_burst(fwd->ports[idx].netdev, ctx->tx_id, b->pkts,
                          b->n);
        ctx->tx_batches++;
        b->n = 0;
    }
}

void
dp_batch_add(struct pmd_ctx *ctx, const struct dp_fwd *fwd, int idx,
             struct rte_mbuf *m)
{
    struct out_batch *b = &ctx->batches[idx];
    if (!b->n) {
        ctx->touched[ctx->n_touched++] = idx;
    } else if (b->n == DP_BURST) {
        batch_flush(ctx, fwd, idx);
    }
    b->pkts[b->n++] = m;
}

void
dp_flush_all(struct pmd_ctx *ctx, const struct dp_fwd *fwd)
{
    for (int i = 0; i < ctx->n_touched; i++) {
        batch_flush(ctx, fwd, ctx->touched[i]);
    }
    ctx->n_touched = 0;
}

void
dp_drop(struct pmd_ctx *ctx, struct rte_mbuf *m)
{
    rte_pktmbuf_free(m);
    ctx->dropped++;
}

/* Sends 'm' (of 'vlan', currently tagged 'have') to port 'idx'. */
static inline void
output_one(struct pmd_ctx *ctx, const struct dp_fwd *fwd, int idx,
           struct rte_mbuf *m, uint16_t vlan, uint16_t have)
{
    uint16_t want = vlan_output_tag(&fwd->ports[idx].vlan, vlan);
    if (want != have && !vlan_rewrite(m, have, want)) {
        dp_drop(ctx, m);
        return;
    }
    dp_batch_add(ctx, fwd, idx, m);
}

/* Floods 'm' to the ports of 'vlan' but 'in_idx' and those whose
 * port-mod flags in 'pipe' (if any) exclude them. */
static void
flood(struct pmd_ctx *ctx, const struct dp_fwd *fwd, const struct ofpipe *pipe,
      int in_idx, struct rte_mbuf *m, uint16_t vlan, uint16_t have)
{
    bool flags = pipe && pipe->port_flags;
    for (int i = 0; i < fwd->n_ports; i++) {
        const struct fwd_port *fp = &fwd->ports[i];
        if (i == in_idx || !vlan_member(&fp->vlan, vlan)) {
            continue;
        }
        if (flags && ofpipe_port_flags(pipe, fp->ofp_port)
                     & (OFPIPE_PORT_NO_FWD | OFPIPE_PORT_NO_FLOOD)) {
            continue;
        }
        uint16_t want = vlan_output_tag(&fp->vlan, vlan);
        if (want == have) {
            rte_mbuf_refcnt_update(m, 1);
            dp_batch_add(ctx, fwd, i, m);
        } else {
            struct rte_mbuf *c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
            if (!c) {
                ctx->dropped++;
                continue;
            }
            if (!vlan_rewrite(c, have, want)) {
                dp_drop(ctx, c);
                continue;
            }
            dp_batch_add(ctx, fwd, i, c);
        }
    }
    rte_pktmbuf_free(m);        /* Our own reference. */
}

/* Forwarding decision of the previous packet of the burst, reused when the
 * next one has the same addresses and VLAN (the common case: a burst is
 * mostly one conversation). */
struct normal_memo {
    bool valid;
    uint16_t vlan;
    uint64_t src, dst;          /* eth_addr_to_u64() of the addresses. */
    int out_idx;                /* -1 flood, -2 drop, else port index. */
};

/* Learns the source and decides the output of one packet: -1 flood, -2
 * drop, else the index of the output port. */
static inline int
normal_decide(const struct dp_fwd *fwd, struct mac_table *macs, int in_idx,
              const struct flow_key *key, uint16_t vlan, uint32_t now_s,
              struct normal_memo *memo)
{
    uint64_t src = eth_addr_to_u64(&key->dl_src);
    uint64_t dst = eth_addr_to_u64(&key->dl_dst);
    if (memo->valid && memo->vlan == vlan && memo->src == src
        && memo->dst == dst) {
        return memo->out_idx;
    }
    const struct fwd_port *in = &fwd->ports[in_idx];
    if (!eth_addr_is_multicast(key->dl_src)) {
        mac_table_learn(macs, key->dl_src, vlan, in->ofp_port, now_s);
    }
    int out_idx = -1;
    if (!eth_addr_is_multicast(key->dl_dst)) {
        uint32_t out = mac_table_lookup(macs, key->dl_dst, vlan);
        if (out != MAC_ENTRY_NO_PORT) {
            int idx = out == DPIF_PORT_LOCAL ? fwd->local_idx
                      : out <= fwd->max_ofp ? fwd->idx_by_ofp[out] : -1;
            if (idx == in_idx) {
                out_idx = -2;           /* Destination is behind in_port. */
            } else if (idx >= 0
                       && vlan_member(&fwd->ports[idx].vlan, vlan)) {
                out_idx = idx;
            }
        }
    }
    memo->valid = true;
    memo->vlan = vlan;
    memo->src = src;
    memo->dst = dst;
    memo->out_idx = out_idx;
    return out_idx;
}

void
dp_normal_packet(struct pmd_ctx *ctx, const struct dp_fwd *fwd,
                 const struct ofpipe *pipe, struct mac_table *macs,
                 int in_idx, struct rte_mbuf *m, struct flow_key *key,
                 uint32_t now_s)
{
    const struct fwd_port *in = &fwd->ports[in_idx];
    int vlan = vlan_input(&in->vlan, key->vlan_tci);
    if (vlan < 0) {
        dp_drop(ctx, m);
        return;
    }
    uint16_t have = (key->vlan_tci & FLOW_VLAN_CFI) ? flow_vid(key) : 0;
    struct pkt_meta *meta = pkt_meta(m);
    meta->in_port = in->ofp_port;
    meta->vlan = vlan;
    struct normal_memo memo = { .valid = false };
    int out = normal_decide(fwd, macs, in_idx, key, vlan, now_s, &memo);
    if (out >= 0 && pipe && ofpipe_port_flags(pipe, fwd->ports[out].ofp_port)
                            & OFPIPE_PORT_NO_FWD) {
        out = -2;
    }
    if (out >= 0) {
        output_one(ctx, fwd, out, m, vlan, have);
    } else if (out == -1) {
        flood(ctx, fwd, pipe, in_idx, m, vlan, have);
    } else {
        dp_drop(ctx, m);
    }
}

static void
process_normal(struct pmd_ctx *ctx, const struct dp_fwd *fwd,
               struct mac_table *macs, int in_idx, struct rte_mbuf **pkts,
               int n, uint32_t now_s)
{
    const struct fwd_port *in = &fwd->ports[in_idx];
    struct normal_memo memo = { .valid = false };
    struct flow_key keys[DP_BURST];
    int vlans[DP_BURST];

    /* Parse the burst and prefetch the MAC table slots it will use. */
    for (int i = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];
        if (i + 1 < n) {
            rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
        }
        struct flow_key *key = &keys[i];
        vlans[i] = -1;
        if (!flow_parse_l2(rte_pktmbuf_mtod(m, void *), m->data_len, key)) {
            continue;
        }
        key->in_port = in->ofp_port;
        int vlan = vlan_input(&in->vlan, key->vlan_tci);
        vlans[i] = vlan;
        if (vlan >= 0) {
            mac_table_prefetch(macs, key->dl_src, vlan);
            mac_table_prefetch(macs, key->dl_dst, vlan);
        }
    }

    for (int i = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];
        const struct flow_key *key = &keys[i];
        int vlan = vlans[i];
        if (vlan < 0) {
            dp_drop(ctx, m);
            continue;
        }
        uint16_t have = (key->vlan_tci & FLOW_VLAN_CFI) ? flow_vid(key) : 0;
        struct pkt_meta *meta = pkt_meta(m);
        meta->in_port = in->ofp_port;
        meta->vlan = vlan;
        int out = normal_decide(fwd, macs, in_idx, key, vlan, now_s, &memo);
        if (out >= 0) {
            output_one(ctx, fwd, out, m, vlan, have);
        } else if (out == -1) {
            flood(ctx, fwd, NULL, in_idx, m, vlan, have);
        } else {
            dp_drop(ctx, m);
        }
    }
}

/* Handles a burst received on 'rxq'. */
static void
process_burst(struct pmd_ctx *ctx, struct dp_rxq *rxq, struct rte_mbuf **pkts,
              int n, uint32_t now_s)
{
    struct dpif *dpif = rxq->port->dpif;
    struct dp_fwd *fwd = atomic_load_explicit(&dpif->fwd,
                                              memory_order_acquire);
    uint32_t ofp = rxq->port->ofp_port;
    int in_idx = ofp == DPIF_PORT_LOCAL ? fwd->local_idx
                 : ofp <= fwd->max_ofp ? fwd->idx_by_ofp[ofp] : -1;
    if (in_idx < 0) {
        rte_pktmbuf_free_bulk(pkts, n);
        ctx->dropped += n;
        return;
    }
    struct mac_table *macs = atomic_load_explicit(&dpif->macs,
                                                  memory_order_acquire);
    const struct ofpipe *pipe = atomic_load_explicit(&dpif->pipe,
                                                     memory_order_acquire);
    if (pipe && !pipe->normal_only) {
        if (!rxq->cache) {
            rxq->cache = flow_cache_create();
        }
        dp_ofpipe_process(ctx, fwd, macs, pipe, rxq->cache, in_idx, pkts, n,
                          now_s);
        dp_flush_all(ctx, fwd);
        return;
    }
    if (pipe) {
        /* The default "priority=0 actions=NORMAL" rule: count it. */
        uint64_t bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += pkts[i]->pkt_len;
        }
        ofpipe_counter_add(ctx->thread, pipe->normal_rule_counter, n, bytes);
        ofpipe_counter_add(ctx->thread, pipe->tables[0].lookup_counter,
                           n, 0);
        ofpipe_counter_add(ctx->thread, pipe->tables[0].matched_counter,
                           n, 0);
    }
    ctx->normal_hits += n;
    process_normal(ctx, fwd, macs, in_idx, pkts, n, now_s);
    dp_flush_all(ctx, fwd);
}

/* Expires idle flow cache entries of the queues on 'pl'. */
static void
sweep_caches(const struct poll_list *pl, uint64_t now, uint64_t hz)
{
    uint64_t max_idle = (uint64_t) flow_cache_max_idle_ms() * hz / 1000;
    for (int i = 0; i < pl->n; i++) {
        if (pl->rxqs[i]->cache) {
            flow_cache_sweep(pl->rxqs[i]->cache, now, max_idle, 4096);
        }
    }
}

struct port_no_aux {
    const struct dp_fwd *fwd;
};

static uint32_t
odp_port_no(uint32_t ofp, const void *aux_)
{
    const struct port_no_aux *aux = aux_;
    int idx = dp_fwd_index(aux->fwd, ofp);
    return idx >= 0 ? aux->fwd->ports[idx].port->odp_no : ofp;
}

/* Serves a dump or flush of the flow caches that the main thread posted
 * in pmd->fc_req. */
static void
serve_cache_request(struct pmd *pmd, const struct poll_list *pl)
{
    struct fc_request *req = atomic_exchange(&pmd->fc_req, NULL);
    if (!req) {
        return;
    }
    uint64_t now = rte_rdtsc(), hz = rte_get_tsc_hz();
    for (int i = 0; pl && i < pl->n; i++) {
        struct dp_rxq *rxq = pl->rxqs[i];
        struct dpif *dpif = rxq->port->dpif;
        if (!rxq->cache || (req->dpif && req->dpif != dpif)) {
            continue;
        }
        req->n_flows += flow_cache_count(rxq->cache);
        if (req->flush) {
            flow_cache_flush(rxq->cache);
        } else if (req->ds) {
            struct port_no_aux aux = {
                .fwd = atomic_load_explicit(&dpif->fwd, memory_order_acquire),
            };
            flow_cache_format(rxq->cache, req->ds, rxq->port->odp_no,
                              req->verbose, now, hz, odp_port_no, &aux);
        }
    }
    atomic_store_explicit(&req->done, true, memory_order_release);
}

static void *
pmd_main(void *pmd_)
{
    struct pmd *pmd = pmd_;
    char name[16];
    snprintf(name, sizeof name, "pmd-c%02u/id:%d", pmd->core_id, pmd->tx_id);
    pthread_setname_np(pthread_self(), name);
    log_set_thread_name(name);

    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(pmd->core_id, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set)) {
        log_warn("cannot pin PMD thread to core %u", pmd->core_id);
    }
    /* An lcore id gives this thread its own mempool caches. */
    if (rte_thread_register()) {
        log_warn("core %u: no DPDK lcore id available: mempool caches "
                 "disabled", pmd->core_id);
    }
    unsigned int rcu_id = dp_rcu_register_reader();
    log_info("PMD thread on numa_id: %d, core id: %2u created.",
             pmd->numa_id, pmd->core_id);

    struct pmd_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.pmd = pmd;
    ctx.tx_id = pmd->tx_id;
    ctx.thread = pmd->tx_id < OFPIPE_MAIN_THREAD ? pmd->tx_id
                                                  : OFPIPE_MAIN_THREAD - 1;
    static __thread struct out_batch batches[PMD_MAX_OUT_PORTS];
    ctx.batches = batches;

    const uint64_t hz = rte_get_tsc_hz();
    uint64_t now = rte_rdtsc();
    uint32_t now_s = now / hz;
    uint64_t next_sec = now + hz;
    uint64_t next_sweep = now;

    while (!atomic_load_explicit(&pmd->exit, memory_order_relaxed)) {
        struct poll_list *pl = atomic_load_explicit(&pmd->poll,
                                                    memory_order_acquire);
        if (!pl || !pl->n) {
            /* Nothing to poll: sleep instead of spinning (no caches to
             * dump either). */
            if (atomic_load_explicit(&pmd->fc_req, memory_order_relaxed)) {
                serve_cache_request(pmd, NULL);
            }
            dp_rcu_offline(rcu_id);
            usleep(10000);
            dp_rcu_online(rcu_id);
            now = rte_rdtsc();
            continue;
        }
        uint64_t start = now;
        int got = 0;
        for (int i = 0; i < pl->n; i++) {
            struct dp_rxq *rxq = pl->rxqs[i];
            struct netdev *dev = rxq->port->netdev;
            struct rte_mbuf *pkts[DP_BURST];
            int n = dev->class->rxq_recv(dev, rxq->qid, pkts, DP_BURST);
            if (n > 0) {
                ctx.now_ns = (uint64_t) ((double) now * 1e9 / hz);
                ctx.now_tsc = now;
                process_burst(&ctx, rxq, pkts, n, now_s);
                uint64_t t = rte_rdtsc();
                dp_counter_add(&rxq->cycles, t - now);
                now = t;
                got += n;
            } else {
                now = rte_rdtsc();
            }
        }
        struct pmd_stats *st = &pmd->stats;
        if (got) {
            dp_counter_add(&st->normal_hits, ctx.normal_hits);
            dp_counter_add(&st->emc_hits, ctx.emc_hits);
            dp_counter_add(&st->mf_hits, ctx.mf_hits);
            dp_counter_add(&st->mf_lookups, ctx.mf_lookups);
            dp_counter_add(&st->upcalls, ctx.upcalls);
            dp_counter_add(&st->upcall_fails, ctx.upcall_fails);
            dp_counter_add(&st->upcall_cycles, ctx.upcall_cycles);
            ctx.normal_hits = ctx.emc_hits = ctx.mf_hits = 0;
            ctx.mf_lookups = ctx.upcalls = ctx.upcall_fails = 0;
            ctx.upcall_cycles = 0;
            dp_counter_add(&st->rx_packets, got);
            dp_counter_add(&st->busy_cycles, now - start);
            dp_counter_add(&st->busy_iters, 1);
            if (ctx.tx_batches) {
                dp_counter_add(&st->tx_packets, ctx.tx_packets);
                dp_counter_add(&st->tx_batches, ctx.tx_batches);
                ctx.tx_packets = ctx.tx_batches = 0;
            }
            if (ctx.dropped) {
                dp_counter_add(&st->dropped, ctx.dropped);
                ctx.dropped = 0;
            }
        } else {
            dp_counter_add(&st->idle_cycles, now - start);
            dp_counter_add(&st->idle_iters, 1);
        }
        if (now >= next_sweep) {
            next_sweep = now + hz / 10;
            sweep_caches(pl, now, hz);
            if (now >= next_sec) {
                now_s = now / hz;
                next_sec = now + hz;
            }
        }
        if (atomic_load_explicit(&pmd->fc_req, memory_order_relaxed)) {
            serve_cache_request(pmd, pl);
        }
        dp_rcu_quiesce(rcu_id);
    }
    dp_rcu_unregister_reader(rcu_id);
    rte_thread_unregister();
    log_info("PMD thread on numa_id: %d, core id: %2u destroyed.",
             pmd->numa_id, pmd->core_id);
    return NULL;
}

int
pmd_start(struct pmd *pmd)
{
    atomic_store(&pmd->exit, false);
    int err = pthread_create(&pmd->thread, NULL, pmd_main, pmd);
    if (err) {
        log_err("cannot create PMD thread for core %u: %s", pmd->core_id,
                nfv_strerror(err));
        return err;
    }
    pmd->started = true;
    return 0;
}

void
pmd_stop(struct pmd *pmd)
{
    if (pmd->started) {
        atomic_store(&pmd->exit, true);
        pthread_join(pmd->thread, NULL);
        pmd->started = false;
    }
}

void
pmd_stats_read(struct pmd *pmd, struct pmd_stats *out)
{
    struct pmd_stats *s = &pmd->stats;
#define COPY(F) atomic_init(&out->F, dp_counter_get(&s->F))
    COPY(rx_packets);
    COPY(emc_hits);
    COPY(mf_hits);
    COPY(mf_lookups);
    COPY(upcalls);
    COPY(upcall_fails);
    COPY(upcall_cycles);
    COPY(normal_hits);
    COPY(tx_packets);
    COPY(tx_batches);
    COPY(idle_cycles);
    COPY(busy_cycles);
    COPY(idle_iters);
    COPY(busy_iters);
    COPY(dropped);
#undef COPY
}
