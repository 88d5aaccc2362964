/* ofconn-handle.c: what the switch does with each message it receives on
 * an OpenFlow connection: version negotiation, the simple requests,
 * state-changing messages (applied to the ofproto), multipart requests,
 * roles, asynchronous configuration, Nicira extensions and bundles.
 * Every refusal is the exact OFPT_ERROR the spec prescribes, and the
 * connection stays up. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/connmgr.h"
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-monitor.h"
#include "ofproto/ofproto.h"
#include "openflow/openflow.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(ofconn);

#define OFP_N_TABLES_ADVERTISED 254

static void
send_buf(struct ofconn *c, struct ofpbuf *b)
{
    ofconn_send_raw(c, b);
    ofpbuf_uninit(b);
}

static void
send_reply(struct ofconn *c, struct ofpmp_reply *r)
{
    ofpmp_reply_finish(r);
    for (size_t i = 0; i < r->n_msgs; i++) {
        ofconn_send_raw(c, &r->msgs[i]);
    }
    ofpmp_reply_uninit(r);
}

static bool
is_modify_state(enum ofptype t)
{
    switch (t) {
    case OFPTYPE_FLOW_MOD:
    case OFPTYPE_NXT_FLOW_MOD:
    case OFPTYPE_GROUP_MOD:
    case OFPTYPE_PORT_MOD:
    case OFPTYPE_TABLE_MOD:
    case OFPTYPE_METER_MOD:
    case OFPTYPE_PACKET_OUT:
    case OFPTYPE_BUNDLE_CONTROL:
    case OFPTYPE_BUNDLE_ADD_MESSAGE:
        return true;
    default:
        return false;
    }
}

/* ---- Hello ---- */

static bool
handle_hello(struct ofconn *c, const uint8_t *msg, size_t len)
{
    uint32_t theirs;
    enum ofperr error = ofp_decode_hello(msg, len, &theirs);
    uint8_t version = 0;
    if (!error) {
        error = ofp_negotiate_version(c->allowed_versions, theirs, &version);
    }
    if (error) {
        struct ofpbuf b = OFPBUF_INITIALIZER;
        char *why = xasprintf("We support versions 0x%02x to 0x%02x "
                              "(bitmap 0x%x), you support bitmap 0x%x, no "
                              "common version.",
                              OFP10_VERSION, OFP15_VERSION,
                              c->allowed_versions, theirs);
        uint8_t v = msg[0] < OFP13_VERSION ? msg[0] : OFP13_VERSION;
        ofp_encode_hello_error(OFPERR_OFPHFC_INCOMPATIBLE, v ? v : 1,
                               ofp_get_be32(msg + 4), why, &b);
        log_info("%s: version negotiation failed: %s", c->name, why);
        free(why);
        send_buf(c, &b);
        return false;
    }
    c->version = version;
    log_dbg("%s: negotiated OpenFlow version 0x%02x", c->name, version);
    if (c->type == OFCONN_PRIMARY) {
        connmgr_update_fail_open(c->mgr);
    }
    return true;
}

/* ---- Simple requests ---- */

static void
handle_features_request(struct ofconn *c, uint32_t xid)
{
    struct ofproto *p = c->mgr->ofproto;
    struct ofp_features f;
    memset(&f, 0, sizeof f);
    f.datapath_id = ofproto_get_datapath_id(p);
    f.n_buffers = 0;
    f.n_tables = OFP_N_TABLES_ADVERTISED;
    f.capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS
                     | OFPC_QUEUE_STATS;
    if (c->version == OFP10_VERSION) {
        f.capabilities |= OFPC_ARP_MATCH_IP;
        f.actions = 0xfff;
    } else {
        f.capabilities |= OFPC_GROUP_STATS;
    }
    f.ports = ofproto_get_ports(p, &f.n_ports);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ofp_encode_features_reply(&f, c->version, xid, &b);
    free(f.ports);
    send_buf(c, &b);
}

static void
handle_get_config(struct ofconn *c, uint32_t xid)
{
    struct ofp_switch_config sc = {
        .flags = c->mgr->frag_flags,
        .miss_send_len = c->miss_send_len,
    };
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ofp_encode_switch_config(OFPTYPE_GET_CONFIG_REPLY, &sc, c->version, xid,
                             &b);
    send_buf(c, &b);
}

static enum ofperr
handle_set_config(struct ofconn *c, const uint8_t *msg, size_t len)
{
    struct ofp_switch_config sc;
    enum ofperr error = ofp_decode_switch_config(msg, len, &sc);
    if (error) {
        return error;
    }
    if ((sc.flags & OFPC_FRAG_MASK) == OFPC_FRAG_REASM) {
        return OFPERR_OFPSCFC_BAD_FLAGS;        /* No reassembly. */
    }
    /* Fragment handling belongs to the bridge, miss_send_len to the
     * connection, as in Open vSwitch. */
    c->mgr->frag_flags = sc.flags & OFPC_FRAG_MASK;
    ofproto_set_frag_drop(c->mgr->ofproto,
                          c->mgr->frag_flags == OFPC_FRAG_DROP);
    c->miss_send_len = sc.miss_send_len;
    return 0;
}

static enum ofperr
handle_role(struct ofconn *c, const uint8_t *msg, size_t len, bool nx,
            uint32_t xid)
{
    struct ofp_role_msg rm;
    enum ofperr error = ofp_decode_role(msg, len, &rm);
    if (error) {
        return error;
    }
    struct connmgr *mgr = c->mgr;
    if (rm.role != OFPCR_ROLE_NOCHANGE) {
        if (rm.have_generation_id
            && (rm.role == OFPCR_ROLE_MASTER || rm.role == OFPCR_ROLE_SLAVE)) {
            if (mgr->have_generation
                && (int64_t) (rm.generation_id - mgr->master_generation) < 0) {
                return OFPERR_OFPRRFC_STALE;
            }
            mgr->master_generation = rm.generation_id;
            mgr->have_generation = true;
        }
        if (rm.role == OFPCR_ROLE_MASTER) {
            struct ofconn *o;
            LIST_FOR_EACH (o, node, &mgr->conns) {
                if (o != c && o->role == OFPCR_ROLE_MASTER) {
                    o->role = OFPCR_ROLE_SLAVE;
                }
            }
        }
        c->role = rm.role;
    }
    struct ofp_role_msg reply = {
        .role = c->role,
        .have_generation_id = !nx,
        .generation_id = mgr->have_generation ? mgr->master_generation
                                              : UINT64_MAX,
    };
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ofp_encode_role(nx ? OFPTYPE_NXT_ROLE_REPLY : OFPTYPE_ROLE_REPLY,
                    &reply, c->version, xid, &b);
    send_buf(c, &b);
    return 0;
}

/* ---- State changes ---- */

/* With NXT_FLOW_MOD_TABLE_ID on, ovs-ofctl puts table 0xff ("any") in
 * the high byte of an add's command when no table is given; Open vSwitch
 * adds such flows to table 0.  Returns the offset of the command field of
 * an OpenFlow 1.0 or Nicira flow-mod, or 0. */
static size_t
of10_command_offset(const uint8_t *msg, size_t len)
{
    if (msg[0] != OFP10_VERSION) {
        return 0;
    }
    if (msg[1] == 14 && len >= 58) {
        return 56;              /* Header, ofp_match, cookie. */
    }
    if (msg[1] == 4 && len >= 26 && ofp_get_be32(msg + 8) == NX_VENDOR_ID
        && ofp_get_be32(msg + 12) == NXT_FLOW_MOD) {
        return 24;              /* Header, vendor, subtype, cookie. */
    }
    return 0;
}

static enum ofperr
handle_flow_mod(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                size_t len)
{
    struct ofp_flow_mod fm;
    uint8_t *fixed = NULL;
    size_t ofs = c->table_id_ext ? of10_command_offset(msg, len) : 0;
    if (ofs && msg[ofs] == 0xff && msg[ofs + 1] == OFPFC_ADD) {
        fixed = xmemdup(msg, len);
        fixed[ofs] = 0;
        msg = fixed;
    }
    ofp_flow_mod_init(&fm);
    enum ofperr error = ofp_decode_flow_mod(msg, len, c->table_id_ext, &fm);
    free(fixed);
    if (!error && c->version == OFP10_VERSION && !c->table_id_ext
        && fm.command != OFPFC_ADD) {
        /* OpenFlow 1.0 has no table id: modify and delete see every
         * table. */
        fm.table_id = OFPTT_ALL;
    }
    if (!error && p) {
        error = ofproto_flow_mod(p, &fm, c->version);
    }
    ofp_flow_mod_uninit(&fm);
    return error;
}

static enum ofperr
handle_group_mod(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                 size_t len)
{
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    enum ofperr error = ofp_decode_group_mod(msg, len, &gm);
    if (!error && p) {
        error = ofproto_group_mod(p, &gm);
    }
    ofp_group_mod_uninit(&gm);
    return error;
}

static enum ofperr
handle_meter_mod(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                 size_t len)
{
    struct ofp_meter_mod mm;
    memset(&mm, 0, sizeof mm);
    enum ofperr error = ofp_decode_meter_mod(msg, len, &mm);
    if (!error && p) {
        error = ofproto_meter_mod(p, &mm);
    }
    return error;
}

static enum ofperr
handle_port_mod(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                size_t len)
{
    struct ofp_port_mod pm;
    enum ofperr error = ofp_decode_port_mod(msg, len, &pm);
    if (!error && p) {
        error = ofproto_port_mod(p, &pm);
    }
    return error;
}

static enum ofperr
handle_table_mod(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                 size_t len)
{
    struct ofp_table_mod tm;
    enum ofperr error = ofp_decode_table_mod(msg, len, &tm);
    if (!error && tm.table_id != OFPTT_ALL
        && tm.table_id >= OFP_N_TABLES_ADVERTISED) {
        error = OFPERR_OFPTMFC_BAD_TABLE;
    }
    (void) c;
    (void) p;
    return error;
}

static enum ofperr
handle_packet_out(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                  size_t len)
{
    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    enum ofperr error = ofp_decode_packet_out(msg, len, &po);
    if (!error && p) {
        error = ofproto_packet_out(p, &po);
    }
    ofp_packet_out_uninit(&po);
    return error;
}

/* ---- Multipart ---- */

static enum ofperr
handle_flow_stats(struct ofconn *c, const uint8_t *msg, size_t len,
                  enum ofptype type, uint32_t xid)
{
    struct ofp_flow_stats_request rq;
    enum ofperr error = ofp_decode_flow_stats_request(msg, len, &rq);
    if (error) {
        return error;
    }
    struct ofproto *p = c->mgr->ofproto;
    if (type == OFPTYPE_AGGREGATE_REQUEST
        || type == OFPTYPE_NXST_AGGREGATE_REQUEST) {
        struct ofp_aggregate_stats as;
        error = ofproto_aggregate_stats(p, &rq, &as);
        if (!error) {
            struct ofpbuf b = OFPBUF_INITIALIZER;
            ofp_encode_aggregate_reply(
                &as, c->version, type == OFPTYPE_NXST_AGGREGATE_REQUEST,
                xid, &b);
            send_buf(c, &b);
        }
        return error;
    }
    struct ofpmp_reply r;
    ofpmp_reply_start(&r, type == OFPTYPE_NXST_FLOW_REQUEST
                          ? OFPTYPE_NXST_FLOW_REPLY
                          : OFPTYPE_FLOW_STATS_REPLY, c->version, xid);
    error = ofproto_collect_flow_stats(p, &rq, &r);
    if (error) {
        ofpmp_reply_uninit(&r);
        return error;
    }
    send_reply(c, &r);
    return 0;
}

static enum ofperr
handle_multipart(struct ofconn *c, const uint8_t *msg, size_t len,
                 enum ofptype type, uint32_t xid)
{
    struct ofproto *p = c->mgr->ofproto;
    struct ofpmp_reply r;
    enum ofperr error = 0;
    struct ofpbuf b = OFPBUF_INITIALIZER;
    uint32_t id;

    switch (type) {
    case OFPTYPE_DESC_REQUEST: {
        struct ofp_desc d;
        memset(&d, 0, sizeof d);
        snprintf(d.mfr_desc, sizeof d.mfr_desc, "ovs-nfv");
        snprintf(d.hw_desc, sizeof d.hw_desc, "ovs-nfv userspace datapath");
        snprintf(d.sw_desc, sizeof d.sw_desc, "%s", PACKAGE_VERSION);
        snprintf(d.serial_num, sizeof d.serial_num, "None");
        snprintf(d.dp_desc, sizeof d.dp_desc, "None");
        ofp_encode_desc_reply(&d, c->version, xid, &b);
        send_buf(c, &b);
        return 0;
    }
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_REQUEST:
    case OFPTYPE_NXST_FLOW_REQUEST:
    case OFPTYPE_NXST_AGGREGATE_REQUEST:
        return handle_flow_stats(c, msg, len, type, xid);
    case OFPTYPE_TABLE_STATS_REQUEST:
        ofpmp_reply_start(&r, OFPTYPE_TABLE_STATS_REPLY, c->version, xid);
        ofproto_collect_table_stats(p, &r);
        send_reply(c, &r);
        return 0;
    case OFPTYPE_TABLE_FEATURES_REQUEST: {
        size_t n = 0;
        struct ofp_table_features *tf = xcalloc(1, sizeof *tf);
        error = ofp_decode_table_features_request(msg, len, tf, 1, &n);
        free(tf);
        if (error) {
            return error;
        }
        if (n) {
            return OFPERR_OFPTFFC_EPERM;        /* Tables are fixed. */
        }
        ofpmp_reply_start(&r, OFPTYPE_TABLE_FEATURES_REPLY, c->version, xid);
        ofproto_collect_table_features(p, &r);
        send_reply(c, &r);
        return 0;
    }
    case OFPTYPE_PORT_STATS_REQUEST:
    case OFPTYPE_PORT_DESC_REQUEST:
    case OFPTYPE_QUEUE_STATS_REQUEST: {
        struct ofp_port_stats_request rq;
        error = ofp_decode_port_stats_request(msg, len, &rq);
        if (error) {
            return error;
        }
        enum ofptype reply = type == OFPTYPE_PORT_STATS_REQUEST
                             ? OFPTYPE_PORT_STATS_REPLY
                             : type == OFPTYPE_PORT_DESC_REQUEST
                             ? OFPTYPE_PORT_DESC_REPLY
                             : OFPTYPE_QUEUE_STATS_REPLY;
        ofpmp_reply_start(&r, reply, c->version, xid);
        error = type == OFPTYPE_PORT_STATS_REQUEST
                ? ofproto_collect_port_stats(p, rq.port_no, &r)
                : type == OFPTYPE_PORT_DESC_REQUEST
                ? ofproto_collect_port_desc(p, rq.port_no, &r)
                : ofproto_collect_queue_stats(p, rq.port_no, rq.queue_id, &r);
        break;
    }
    case OFPTYPE_GROUP_STATS_REQUEST:
    case OFPTYPE_GROUP_DESC_REQUEST:
        error = ofp_decode_group_request(msg, len, &id);
        if (error) {
            return error;
        }
        if (type == OFPTYPE_GROUP_STATS_REQUEST) {
            ofpmp_reply_start(&r, OFPTYPE_GROUP_STATS_REPLY, c->version, xid);
            error = ofproto_collect_group_stats(p, id, &r);
        } else {
            ofpmp_reply_start(&r, OFPTYPE_GROUP_DESC_REPLY, c->version, xid);
            error = ofproto_collect_group_desc(p, id, &r);
        }
        break;
    case OFPTYPE_GROUP_FEATURES_REQUEST: {
        struct ofp_group_features gf;
        ofproto_get_group_features(p, &gf);
        ofp_encode_group_features_reply(&gf, c->version, xid, &b);
        send_buf(c, &b);
        return 0;
    }
    case OFPTYPE_METER_STATS_REQUEST:
    case OFPTYPE_METER_CONFIG_REQUEST:
        error = ofp_decode_meter_request(msg, len, &id);
        if (error) {
            return error;
        }
        if (type == OFPTYPE_METER_STATS_REQUEST) {
            ofpmp_reply_start(&r, OFPTYPE_METER_STATS_REPLY, c->version, xid);
            error = ofproto_collect_meter_stats(p, id, &r);
        } else {
            ofpmp_reply_start(&r, OFPTYPE_METER_CONFIG_REPLY, c->version,
                              xid);
            error = ofproto_collect_meter_config(p, id, &r);
        }
        break;
    case OFPTYPE_METER_FEATURES_REQUEST: {
        struct ofp_meter_features mf;
        ofproto_get_meter_features(p, &mf);
        ofp_encode_meter_features_reply(&mf, c->version, xid, &b);
        send_buf(c, &b);
        return 0;
    }
    default:
        return OFPERR_OFPBRC_BAD_MULTIPART;
    }
    if (error) {
        ofpmp_reply_uninit(&r);
        return error;
    }
    send_reply(c, &r);
    return 0;
}

/* ---- Bundles ----
 *
 * A bundle is applied all or nothing, whatever its flags say, and in the
 * order its messages were added: so OFPBF_ATOMIC and OFPBF_ORDERED are
 * always honoured.  Each message is decoded when it is added (syntax
 * errors are reported then, against that message).  At commit the
 * messages are first tried, in order, on a scratch copy of the switch
 * model (ofproto_create_scratch()); only if every one succeeds are they
 * applied to the real one, and the datapath gets the result in a single
 * publication.  Packet-outs run last, through the new tables.  Scheduled
 * commits (OF1.5 OFPBF_TIME) are not supported: OFPBFC_BAD_FLAGS. */

#define BUNDLES_PER_CONN_MAX 16
#define BUNDLE_MSGS_MAX 100000
#define BUNDLE_FLAGS_SUPPORTED (OFPBF_ATOMIC | OFPBF_ORDERED)

static void
bundle_free(struct bundle *bd)
{
    list_remove(&bd->node);
    for (size_t i = 0; i < bd->n_msgs; i++) {
        free(bd->msgs[i].msg);
    }
    free(bd->msgs);
    free(bd);
}

void
ofconn_bundles_clear(struct ofconn *c)
{
    if (!c->bundles_init) {
        list_init(&c->bundles);
        c->bundles_init = true;
        return;
    }
    struct bundle *bd, *next;
    LIST_FOR_EACH_SAFE (bd, next, node, &c->bundles) {
        bundle_free(bd);
    }
}

static struct bundle *
bundle_find(struct ofconn *c, uint32_t id)
{
    struct bundle *bd;
    LIST_FOR_EACH (bd, node, &c->bundles) {
        if (bd->id == id) {
            return bd;
        }
    }
    return NULL;
}

/* Opens bundle 'id' with 'flags' in '*bdp'. */
static enum ofperr
bundle_open(struct ofconn *c, uint32_t id, uint16_t flags,
            struct bundle **bdp)
{
    if (flags & ~BUNDLE_FLAGS_SUPPORTED) {
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    if (list_size(&c->bundles) >= BUNDLES_PER_CONN_MAX) {
        return OFPERR_OFPBFC_OUT_OF_BUNDLES;
    }
    struct bundle *bd = xzalloc(sizeof *bd);
    bd->id = id;
    bd->flags = flags;
    list_push_back(&c->bundles, &bd->node);
    *bdp = bd;
    return 0;
}

static bool
bundle_msg_type_allowed(enum ofptype t)
{
    return t == OFPTYPE_FLOW_MOD || t == OFPTYPE_GROUP_MOD
           || t == OFPTYPE_PORT_MOD || t == OFPTYPE_METER_MOD
           || t == OFPTYPE_PACKET_OUT;
}

static enum ofperr apply_state_msg(struct ofconn *, struct ofproto *,
                                   const uint8_t *, size_t, enum ofptype);

/* Applies to 'p' the messages of 'bd' that are packet-outs (if
 * 'packet_outs') or all the others, in order.  On failure returns the
 * error and the index of the failed message in '*failed'. */
static enum ofperr
bundle_apply(struct ofconn *c, const struct bundle *bd, struct ofproto *p,
             bool packet_outs, size_t *failed)
{
    for (size_t i = 0; i < bd->n_msgs; i++) {
        const struct bundle_msg *m = &bd->msgs[i];
        enum ofptype t;
        enum ofperr error = ofptype_decode(m->msg, m->len, &t);
        if (!error && (t == OFPTYPE_PACKET_OUT) != packet_outs) {
            continue;
        }
        if (!error) {
            error = apply_state_msg(c, p, m->msg, m->len, t);
        }
        if (error) {
            *failed = i;
            return error;
        }
    }
    return 0;
}

/* Commits 'bd' all or nothing (see above).  If a message fails, sends its
 * error (with that message's xid and data) and returns
 * OFPBFC_MSG_FAILED, leaving the switch as it was. */
static enum ofperr
bundle_commit(struct ofconn *c, const struct bundle *bd)
{
    struct ofproto *real = c->mgr->ofproto;
    struct ofproto *scratch = ofproto_create_scratch(real);
    size_t failed = 0;
    enum ofperr error = bundle_apply(c, bd, scratch, false, &failed);
    if (!error) {
        error = bundle_apply(c, bd, scratch, true, &failed);
    }
    ofproto_destroy(scratch);
    if (!error) {
        error = bundle_apply(c, bd, real, false, &failed);
        if (error) {
            /* The scratch run succeeded, so this is a bug. */
            log_err("%s: bundle %"PRIu32" failed at message %zu after its "
                    "check: %s", c->name, bd->id, failed,
                    ofperr_name(error));
        }
        ofproto_publish(real);
        if (!error) {
            error = bundle_apply(c, bd, real, true, &failed);
        }
    }
    if (error) {
        ofconn_send_error(c, error, bd->msgs[failed].msg,
                          bd->msgs[failed].len);
        return OFPERR_OFPBFC_MSG_FAILED;
    }
    return 0;
}

static enum ofperr
handle_bundle_control(struct ofconn *c, const uint8_t *msg, size_t len,
                      uint32_t xid)
{
    struct ofp_bundle_ctrl bc;
    enum ofperr error = ofp_decode_bundle_ctrl(msg, len, &bc);
    if (error) {
        return error;
    }
    struct bundle *bd = bundle_find(c, bc.bundle_id);
    uint16_t reply_type;
    switch (bc.type) {
    case OFPBCT_OPEN_REQUEST:
        if (bd) {
            return OFPERR_OFPBFC_BUNDLE_EXIST;
        }
        error = bundle_open(c, bc.bundle_id, bc.flags, &bd);
        if (error) {
            return error;
        }
        reply_type = OFPBCT_OPEN_REPLY;
        break;
    case OFPBCT_CLOSE_REQUEST:
        if (!bd) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (bd->closed) {
            return OFPERR_OFPBFC_BUNDLE_CLOSED;
        }
        bd->closed = true;
        reply_type = OFPBCT_CLOSE_REPLY;
        break;
    case OFPBCT_COMMIT_REQUEST:
        if (!bd) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (bd->flags != bc.flags) {
            bundle_free(bd);
            return OFPERR_OFPBFC_BAD_FLAGS;
        }
        error = bundle_commit(c, bd);
        bundle_free(bd);        /* Committed or not, the bundle is gone. */
        if (error) {
            return error;
        }
        reply_type = OFPBCT_COMMIT_REPLY;
        break;
    case OFPBCT_DISCARD_REQUEST:
        if (!bd) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        bundle_free(bd);
        reply_type = OFPBCT_DISCARD_REPLY;
        break;
    default:
        return OFPERR_OFPBFC_BAD_TYPE;
    }
    struct ofp_bundle_ctrl reply = { bc.bundle_id, reply_type, bc.flags };
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ofp_encode_bundle_ctrl(&reply, c->version, xid, &b);
    send_buf(c, &b);
    return 0;
}

static enum ofperr
handle_bundle_add(struct ofconn *c, const uint8_t *msg, size_t len)
{
    struct ofp_bundle_add ba;
    enum ofperr error = ofp_decode_bundle_add(msg, len, &ba);
    if (error) {
        return error;
    }
    struct bundle *bd = bundle_find(c, ba.bundle_id);
    if (bd && bd->closed) {
        bundle_free(bd);
        return OFPERR_OFPBFC_BUNDLE_CLOSED;
    }
    if (bd && bd->flags != ba.flags) {
        bundle_free(bd);
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    if (bd && bd->n_msgs >= BUNDLE_MSGS_MAX) {
        return OFPERR_OFPBFC_MSG_TOO_MANY;
    }
    enum ofptype t;
    error = ofptype_decode(ba.inner, ba.inner_len, &t);
    if (!error && !bundle_msg_type_allowed(t)) {
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
    if (!error) {
        error = apply_state_msg(c, NULL, ba.inner, ba.inner_len, t);
    }
    if (error) {
        /* Refused: the error is about the inner message, not added. */
        ofconn_send_error(c, error, ba.inner, ba.inner_len);
        return 0;
    }
    if (!bd) {
        error = bundle_open(c, ba.bundle_id, ba.flags, &bd);
        if (error) {
            return error;
        }
    }
    bd->msgs = xrealloc(bd->msgs, (bd->n_msgs + 1) * sizeof *bd->msgs);
    bd->msgs[bd->n_msgs].msg = xmemdup(ba.inner, ba.inner_len);
    bd->msgs[bd->n_msgs].len = ba.inner_len;
    bd->n_msgs++;
    return 0;
}

/* ---- Dispatch ---- */

/* Decodes state-changing message 'msg' of 'type' and applies it to 'p'
 * (when 'p' is NULL, only decodes it). */
static enum ofperr
dispatch_state_msg(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                   size_t len, enum ofptype type)
{
    switch (type) {
    case OFPTYPE_FLOW_MOD:
    case OFPTYPE_NXT_FLOW_MOD:
        return handle_flow_mod(c, p, msg, len);
    case OFPTYPE_GROUP_MOD:
        return handle_group_mod(c, p, msg, len);
    case OFPTYPE_METER_MOD:
        return handle_meter_mod(c, p, msg, len);
    case OFPTYPE_PORT_MOD:
        return handle_port_mod(c, p, msg, len);
    case OFPTYPE_TABLE_MOD:
        return handle_table_mod(c, p, msg, len);
    case OFPTYPE_PACKET_OUT:
        return handle_packet_out(c, p, msg, len);
    default:
        return OFPERR_OFPBRC_BAD_TYPE;
    }
}

static enum ofperr
apply_state_msg(struct ofconn *c, struct ofproto *p, const uint8_t *msg,
                size_t len, enum ofptype type)
{
    /* Flow monitors tell this connection's own changes apart. */
    bool real = p && p == c->mgr->ofproto;
    if (real) {
        ofmonitor_set_origin(c->mgr, c, ofp_get_be32(msg + 4));
    }
    enum ofperr error = dispatch_state_msg(c, p, msg, len, type);
    if (real) {
        ofmonitor_set_origin(c->mgr, NULL, 0);
    }
    return error;
}

bool
ofconn_handle_msg(struct ofconn *c, const uint8_t *msg, size_t len)
{
    struct ofp_msg_header h;
    enum ofperr error = ofpmsg_decode_header(msg, len, &h);
    if (error) {
        ofconn_send_error(c, error, msg, len);
        return true;
    }
    if (!c->version) {
        if (h.type != 0) {      /* OFPT_HELLO is 0 in every version. */
            struct ofpbuf b = OFPBUF_INITIALIZER;
            ofp_encode_hello_error(OFPERR_OFPHFC_EPERM,
                                   h.version ? h.version : 1, h.xid,
                                   "first message must be hello", &b);
            send_buf(c, &b);
            return false;
        }
        return handle_hello(c, msg, len);
    }
    if (h.version != c->version) {
        ofconn_send_error(c, OFPERR_OFPBRC_BAD_VERSION, msg, len);
        return true;
    }
    enum ofptype type;
    error = ofptype_decode(msg, len, &type);
    if (error) {
        ofconn_send_error(c, error, msg, len);
        return true;
    }
    if (c->role == OFPCR_ROLE_SLAVE && is_modify_state(type)) {
        ofconn_send_error(c, OFPERR_OFPBRC_IS_SLAVE, msg, len);
        return true;
    }

    struct ofpbuf b = OFPBUF_INITIALIZER;
    switch (type) {
    case OFPTYPE_HELLO:
    case OFPTYPE_ECHO_REPLY:
    case OFPTYPE_ERROR:
        break;
    case OFPTYPE_ECHO_REQUEST:
        ofp_encode_echo_reply(msg, len, &b);
        send_buf(c, &b);
        break;
    case OFPTYPE_FEATURES_REQUEST:
        handle_features_request(c, h.xid);
        break;
    case OFPTYPE_GET_CONFIG_REQUEST:
        handle_get_config(c, h.xid);
        break;
    case OFPTYPE_SET_CONFIG:
        error = handle_set_config(c, msg, len);
        break;
    case OFPTYPE_BARRIER_REQUEST:
        /* Everything before the barrier takes effect before the reply:
         * publish the tables now (a no-op when nothing changed), which
         * waits until every PMD uses the new snapshot; the flow caches
         * translate again every entry of an older one. */
        ofproto_publish(c->mgr->ofproto);
        ofp_encode_empty(OFPTYPE_BARRIER_REPLY, c->version, h.xid, &b);
        send_buf(c, &b);
        break;
    case OFPTYPE_ROLE_REQUEST:
        error = handle_role(c, msg, len, false, h.xid);
        break;
    case OFPTYPE_NXT_ROLE_REQUEST:
        error = handle_role(c, msg, len, true, h.xid);
        break;
    case OFPTYPE_GET_ASYNC_REQUEST:
        ofp_encode_async_config(OFPTYPE_GET_ASYNC_REPLY, &c->async,
                                c->version, h.xid, &b);
        send_buf(c, &b);
        break;
    case OFPTYPE_SET_ASYNC: {
        struct ofp_async_config ac = c->async;
        error = ofp_decode_async_config(msg, len, &ac);
        if (!error) {
            if (c->version >= OFP14_VERSION) {
                /* Only the properties given change. */
                uint32_t *dst = &c->async.packet_in_mask[0];
                const uint32_t *src = &ac.packet_in_mask[0];
                for (int k = 0; k < 12; k++) {
                    if (ac.present & (1u << k)) {
                        dst[k] = src[k];
                    }
                }
            } else {
                c->async = ac;
            }
        }
        break;
    }
    case OFPTYPE_FLOW_MOD:
    case OFPTYPE_NXT_FLOW_MOD:
    case OFPTYPE_GROUP_MOD:
    case OFPTYPE_METER_MOD:
    case OFPTYPE_PORT_MOD:
    case OFPTYPE_TABLE_MOD:
    case OFPTYPE_PACKET_OUT:
        error = apply_state_msg(c, c->mgr->ofproto, msg, len, type);
        break;
    case OFPTYPE_BUNDLE_CONTROL:
        error = handle_bundle_control(c, msg, len, h.xid);
        break;
    case OFPTYPE_BUNDLE_ADD_MESSAGE:
        error = handle_bundle_add(c, msg, len);
        break;
    case OFPTYPE_NXT_SET_FLOW_FORMAT: {
        uint32_t format;
        error = nx_decode_set_flow_format(msg, len, &format);
        if (!error) {
            c->flow_format = format;
        }
        break;
    }
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID: {
        bool enable;
        error = nx_decode_flow_mod_table_id(msg, len, &enable);
        if (!error) {
            c->table_id_ext = enable;
        }
        break;
    }
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT: {
        uint32_t format;
        error = nx_decode_set_packet_in_format(msg, len, &format);
        if (!error) {
            c->packet_in_format = format;
        }
        break;
    }
    case OFPTYPE_NXT_SET_CONTROLLER_ID: {
        uint16_t id;
        error = nx_decode_set_controller_id(msg, len, &id);
        break;
    }
    case OFPTYPE_DESC_REQUEST:
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_REQUEST:
    case OFPTYPE_TABLE_STATS_REQUEST:
    case OFPTYPE_PORT_STATS_REQUEST:
    case OFPTYPE_QUEUE_STATS_REQUEST:
    case OFPTYPE_GROUP_STATS_REQUEST:
    case OFPTYPE_GROUP_DESC_REQUEST:
    case OFPTYPE_GROUP_FEATURES_REQUEST:
    case OFPTYPE_METER_STATS_REQUEST:
    case OFPTYPE_METER_CONFIG_REQUEST:
    case OFPTYPE_METER_FEATURES_REQUEST:
    case OFPTYPE_TABLE_FEATURES_REQUEST:
    case OFPTYPE_PORT_DESC_REQUEST:
    case OFPTYPE_NXST_FLOW_REQUEST:
    case OFPTYPE_NXST_AGGREGATE_REQUEST:
        error = handle_multipart(c, msg, len, type, h.xid);
        break;
    case OFPTYPE_NXST_FLOW_MONITOR_REQUEST:
    case OFPTYPE_FLOW_MONITOR_REQUEST:
        error = ofmonitor_handle_request(c, msg, len);
        break;
    case OFPTYPE_NXT_FLOW_MONITOR_CANCEL:
        error = ofmonitor_handle_cancel(c, msg, len);
        break;
    default:
        /* Replies and switch-to-controller messages a switch never
         * receives. */
        error = OFPERR_OFPBRC_BAD_TYPE;
        break;
    }
    if (error) {
        ofconn_send_error(c, error, msg, len);
    }
    return true;
}
