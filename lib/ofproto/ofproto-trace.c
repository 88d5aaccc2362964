/* ofproto-trace.c: "ovs-appctl ofproto/trace BRIDGE FLOW": the walk of a
 * packet with the fields of FLOW (ovs-ofctl match syntax; fields not given
 * are 0) through the bridge's OpenFlow tables, the flow cache entry the
 * datapath would install for it and its datapath actions.  Main thread. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dpif/dpif.h"
#include "dpif/flow-cache.h"
#include "ofproto/ofkey.h"
#include "ofproto/ofpipe.h"
#include "ofproto/ofproto-private.h"
#include "openflow/ofp-print.h"
#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/util.h"

static uint32_t
trace_port_no(uint32_t ofp, const void *aux)
{
    const struct dpif *dpif = aux;
    return dpif ? dpif_port_odp_no(dpif, ofp) : ofp;
}

/* Appends the trace of 'flow' through 'p' to 'ds'.  Returns NULL or an
 * error message (caller frees). */
static char *
trace(struct ofproto *p, const char *flow, struct dstr *ds)
{
    struct ofmatch m;
    uint16_t priority;
    memset(&m, 0, sizeof m);
    char *error = ofmatch_parse(flow, &m, &priority);
    if (error) {
        return error;
    }
    struct flow_key key, mask;
    if (ofproto_match_to_key(&m, &key, &mask)) {
        return xstrdup("unsupported field in flow");
    }
    if (mask.in_port != UINT32_MAX) {
        return xstrdup("flow must specify in_port");
    }
    key.in_phy_port = key.in_port;

    struct ofpipe *pipe = ofproto_compile(p);
    struct ofpipe_xlate xo;
    dstr_printf(ds, "Flow: %s\n\nbridge(\"%s\")\n", flow, p->name);
    for (size_t i = strlen(p->name) + 10; i > 0; i--) {
        dstr_put_char(ds, '-');
    }
    dstr_put_char(ds, '\n');
    ofpipe_xlate(pipe, &key, &xo, ds);

    /* The entry the datapath's flow cache would hold (per receive queue:
     * in_port and the pipeline registers are implied). */
    struct flow_key wc = xo.mask, value;
    memset(&wc, 0, offsetof(struct flow_key, dl_dst));
    const uint64_t *k = (const uint64_t *) &key, *w = (const uint64_t *) &wc;
    uint64_t *v = (uint64_t *) &value;
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        v[i] = k[i] & w[i];
    }
    dstr_put(ds, "\nMegaflow: ");
    flow_format_masked(ds, &value, &wc,
                       trace_port_no(key.in_port, p->dpif), false);
    dstr_printf(ds, "\nCacheable: %s (%"PRIu32" table lookups)\n",
                xo.cacheable ? "yes" : "no, every packet takes the pipeline",
                xo.n_lookups);
    dstr_put(ds, "Datapath actions: ");
    bool any = false;
    for (uint32_t i = 0; i < xo.n_ops; i++) {
        const struct ofpipe_act *a = &xo.ops[i];
        if (a->type == OPA_LOOKUP || a->type == OPA_MISS) {
            continue;
        }
        dstr_put(ds, any ? "," : "");
        ofpipe_act_format(a, ds, trace_port_no, p->dpif);
        any = true;
    }
    dstr_put(ds, any ? "\n" : "drop\n");
    ofpipe_xlate_destroy(&xo);
    ofpipe_destroy(pipe);
    return NULL;
}

static void
cmd_trace(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) aux;
    struct ofproto *p = ofproto_lookup(argv[1]);
    if (!p) {
        char *msg = xasprintf("%s: unknown bridge", argv[1]);
        unixctl_reply_error(conn, msg);
        free(msg);
        return;
    }
    struct dstr ds;
    dstr_init(&ds);
    char *error = trace(p, argv[2], &ds);
    if (error) {
        unixctl_reply_error(conn, error);
        free(error);
    } else {
        unixctl_reply(conn, dstr_cstr(&ds));
    }
    dstr_destroy(&ds);
}

void
ofproto_trace_register(void)
{
    unixctl_command_register("ofproto/trace", "BRIDGE FLOW", 2, 2,
                             cmd_trace, NULL);
}
