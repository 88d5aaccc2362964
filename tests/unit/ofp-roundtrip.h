/* ofp-roundtrip.h: decodes any message with the matching decoder and
 * re-encodes it, for the vector tests and the fuzzer.  Header-only so that
 * both link it without a library of test helpers. */
#ifndef OFP_ROUNDTRIP_H
#define OFP_ROUNDTRIP_H 1

#include <stdio.h>
#include <string.h>
#include "openflow/openflow.h"

/* Moves the single message of 'r' into 'out' with the multipart flags of
 * 'msg' (a reply split by the sender keeps its MORE flag). */
static void
ofp_roundtrip_take_reply(struct ofpmp_reply *r, const uint8_t *msg,
                         struct ofpbuf *out)
{
    ofpmp_reply_finish(r);
    if (r->n_msgs == 1) {
        ofpbuf_clear(out);
        ofpbuf_put(out, r->msgs[0].data, r->msgs[0].size);
        out->data[10] = msg[10];
        out->data[11] = msg[11];
    }
    ofpmp_reply_uninit(r);
}

/* Decodes 'msg' and, on success, re-encodes it into 'out' (empty if the
 * type has no encoder here).  Returns the decode error, or 0. */
static enum ofperr
ofp_roundtrip(const uint8_t *msg, size_t len, struct ofpbuf *out)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    ofpbuf_clear(out);
    if (error) {
        return error;
    }
    uint8_t version = msg[0];
    uint32_t xid = ofp_get_be32(msg + 4);
    switch (type) {
    case OFPTYPE_HELLO: {
        uint32_t versions;
        error = ofp_decode_hello(msg, len, &versions);
        if (!error && len > 8) {
            ofp_encode_hello(versions, xid, out);
        }
        break;
    }
    case OFPTYPE_ERROR: {
        struct ofp_error_msg e;
        error = ofp_decode_error(msg, len, &e);
        break;
    }
    case OFPTYPE_ECHO_REQUEST:
    case OFPTYPE_ECHO_REPLY:
        ofp_encode_echo_reply(msg, len, out);
        out->data[1] = msg[1];
        break;
    case OFPTYPE_FEATURES_REQUEST: case OFPTYPE_GET_CONFIG_REQUEST:
    case OFPTYPE_BARRIER_REQUEST: case OFPTYPE_BARRIER_REPLY:
    case OFPTYPE_GET_ASYNC_REQUEST:
        if (len != 8) {
            error = OFPERR_OFPBRC_BAD_LEN;
        } else {
            ofp_encode_empty(type, version, xid, out);
        }
        break;
    case OFPTYPE_FEATURES_REPLY: {
        struct ofp_features f;
        error = ofp_decode_features_reply(msg, len, &f);
        if (!error) {
            ofp_encode_features_reply(&f, version, xid, out);
        }
        ofp_features_uninit(&f);
        break;
    }
    case OFPTYPE_SET_CONFIG: case OFPTYPE_GET_CONFIG_REPLY: {
        struct ofp_switch_config c;
        error = ofp_decode_switch_config(msg, len, &c);
        if (!error) {
            ofp_encode_switch_config(type, &c, version, xid, out);
        }
        break;
    }
    case OFPTYPE_PACKET_IN: case OFPTYPE_NXT_PACKET_IN:
    case OFPTYPE_NXT_PACKET_IN2: {
        struct ofp_packet_in pi;
        error = ofp_decode_packet_in(msg, len, &pi);
        if (!error) {
            ofp_encode_packet_in(&pi, version,
                                 type == OFPTYPE_PACKET_IN ? NXPIF_STANDARD
                                 : type == OFPTYPE_NXT_PACKET_IN
                                 ? NXPIF_NXT_PACKET_IN : NXPIF_NXT_PACKET_IN2,
                                 out);
            ofpbuf_set_be32(out, 4, xid);
        }
        break;
    }
    case OFPTYPE_FLOW_REMOVED: case OFPTYPE_NXT_FLOW_REMOVED: {
        struct ofp_flow_removed fr;
        error = ofp_decode_flow_removed(msg, len, &fr);
        if (!error) {
            error = ofp_encode_flow_removed(&fr, version,
                                            type == OFPTYPE_NXT_FLOW_REMOVED,
                                            out);
            ofpbuf_set_be32(out, 4, xid);
        }
        break;
    }
    case OFPTYPE_PORT_STATUS: {
        struct ofp_port_status ps;
        error = ofp_decode_port_status(msg, len, &ps);
        if (!error) {
            ofp_encode_port_status(&ps, version, out);
            ofpbuf_set_be32(out, 4, xid);
        }
        break;
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out po;
        ofp_packet_out_init(&po);
        error = ofp_decode_packet_out(msg, len, &po);
        if (!error) {
            error = ofp_encode_packet_out(&po, version, xid, out);
        }
        ofp_packet_out_uninit(&po);
        break;
    }
    case OFPTYPE_FLOW_MOD: case OFPTYPE_NXT_FLOW_MOD: {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        error = ofp_decode_flow_mod(msg, len, true, &fm);
        if (!error) {
            error = ofp_encode_flow_mod(&fm, version,
                                        type == OFPTYPE_NXT_FLOW_MOD, xid,
                                        out);
        }
        ofp_flow_mod_uninit(&fm);
        break;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        error = ofp_decode_group_mod(msg, len, &gm);
        if (!error) {
            error = ofp_encode_group_mod(&gm, version, xid, out);
        }
        ofp_group_mod_uninit(&gm);
        break;
    }
    case OFPTYPE_PORT_MOD: {
        struct ofp_port_mod pm;
        error = ofp_decode_port_mod(msg, len, &pm);
        if (!error) {
            ofp_encode_port_mod(&pm, version, xid, out);
        }
        break;
    }
    case OFPTYPE_TABLE_MOD: {
        struct ofp_table_mod tm;
        error = ofp_decode_table_mod(msg, len, &tm);
        if (!error) {
            ofp_encode_table_mod(&tm, version, xid, out);
        }
        break;
    }
    case OFPTYPE_ROLE_REQUEST: case OFPTYPE_ROLE_REPLY:
    case OFPTYPE_NXT_ROLE_REQUEST: case OFPTYPE_NXT_ROLE_REPLY: {
        struct ofp_role_msg r;
        error = ofp_decode_role(msg, len, &r);
        if (!error) {
            ofp_encode_role(type, &r, version, xid, out);
        }
        break;
    }
    case OFPTYPE_SET_ASYNC: case OFPTYPE_GET_ASYNC_REPLY: {
        struct ofp_async_config ac;
        error = ofp_decode_async_config(msg, len, &ac);
        if (!error) {
            ofp_encode_async_config(type, &ac, version, xid, out);
        }
        break;
    }
    case OFPTYPE_METER_MOD: {
        struct ofp_meter_mod mm;
        error = ofp_decode_meter_mod(msg, len, &mm);
        if (!error) {
            ofp_encode_meter_mod(&mm, version, xid, out);
        }
        break;
    }
    case OFPTYPE_BUNDLE_CONTROL: {
        struct ofp_bundle_ctrl bc;
        error = ofp_decode_bundle_ctrl(msg, len, &bc);
        if (!error) {
            ofp_encode_bundle_ctrl(&bc, version, xid, out);
        }
        break;
    }
    case OFPTYPE_BUNDLE_ADD_MESSAGE: {
        struct ofp_bundle_add ba;
        error = ofp_decode_bundle_add(msg, len, &ba);
        if (!error) {
            ofp_encode_bundle_add(&ba, version, xid, out);
        }
        break;
    }
    case OFPTYPE_DESC_REQUEST: case OFPTYPE_TABLE_STATS_REQUEST:
    case OFPTYPE_GROUP_FEATURES_REQUEST: case OFPTYPE_METER_FEATURES_REQUEST:
        ofp_encode_empty(type, version, xid, out);
        break;
    case OFPTYPE_FLOW_STATS_REQUEST: case OFPTYPE_AGGREGATE_REQUEST:
    case OFPTYPE_NXST_FLOW_REQUEST: case OFPTYPE_NXST_AGGREGATE_REQUEST: {
        struct ofp_flow_stats_request r;
        error = ofp_decode_flow_stats_request(msg, len, &r);
        if (!error) {
            error = ofp_encode_flow_stats_request(
                &r, version, type == OFPTYPE_NXST_FLOW_REQUEST
                             || type == OFPTYPE_NXST_AGGREGATE_REQUEST,
                xid, out);
        }
        break;
    }
    case OFPTYPE_PORT_STATS_REQUEST: case OFPTYPE_QUEUE_STATS_REQUEST:
    case OFPTYPE_PORT_DESC_REQUEST: {
        struct ofp_port_stats_request r;
        error = ofp_decode_port_stats_request(msg, len, &r);
        if (!error) {
            ofp_encode_port_stats_request(type, &r, version, xid, out);
        }
        break;
    }
    case OFPTYPE_GROUP_STATS_REQUEST: case OFPTYPE_GROUP_DESC_REQUEST: {
        uint32_t id;
        error = ofp_decode_group_request(msg, len, &id);
        if (!error) {
            ofp_encode_group_request(type, id, version, xid, out);
        }
        break;
    }
    case OFPTYPE_METER_STATS_REQUEST: case OFPTYPE_METER_CONFIG_REQUEST: {
        uint32_t id;
        error = ofp_decode_meter_request(msg, len, &id);
        if (!error) {
            ofp_encode_meter_request(type, id, version, xid, out);
        }
        break;
    }
    case OFPTYPE_TABLE_FEATURES_REQUEST: {
        struct ofp_table_features tf[4];
        size_t n;
        error = ofp_decode_table_features_request(msg, len, tf, 4, &n);
        break;
    }
    case OFPTYPE_NXT_SET_FLOW_FORMAT: {
        uint32_t format;
        error = nx_decode_set_flow_format(msg, len, &format);
        if (!error) {
            nx_encode_set_flow_format(format, xid, out);
        }
        break;
    }
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID: {
        bool enable;
        error = nx_decode_flow_mod_table_id(msg, len, &enable);
        if (!error) {
            nx_encode_flow_mod_table_id(enable, xid, out);
        }
        break;
    }
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT: {
        uint32_t format;
        error = nx_decode_set_packet_in_format(msg, len, &format);
        if (!error) {
            nx_encode_set_packet_in_format(format, version, xid, out);
        }
        break;
    }
    case OFPTYPE_NXST_FLOW_MONITOR_REQUEST: {
        struct nx_flow_monitor_request rq;
        size_t pos = 0, n = 0;
        int r;
        while ((r = nx_decode_flow_monitor_request(msg, len, &pos, &rq))
               == 0) {
            n++;
        }
        error = r == EOF ? 0 : r;
        if (!error && n == 1) {
            pos = 0;
            nx_decode_flow_monitor_request(msg, len, &pos, &rq);
            nx_encode_flow_monitor_request(&rq, xid, out);
            out->data[0] = version;
        }
        break;
    }
    case OFPTYPE_NXT_FLOW_MONITOR_CANCEL: {
        uint32_t id;
        error = nx_decode_flow_monitor_cancel(msg, len, &id);
        break;
    }
    case OFPTYPE_NXT_SET_CONTROLLER_ID: {
        uint16_t id;
        error = nx_decode_set_controller_id(msg, len, &id);
        break;
    }
    case OFPTYPE_FLOW_STATS_REPLY: case OFPTYPE_NXST_FLOW_REPLY: {
        struct ofp_flow_stats fs;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        ofp_flow_stats_init(&fs);
        while ((r = ofp_decode_flow_stats_entry(msg, len, &pos, &fs)) == 0) {
            if (ofp_append_flow_stats(&rep, &fs)) {
                break;
            }
        }
        ofp_flow_stats_uninit(&fs);
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_PORT_DESC_REPLY: {
        struct ofp_port port;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        while ((r = ofp_decode_port_desc_entry(msg, len, &pos, &port)) == 0) {
            ofp_append_port_desc(&rep, &port);
        }
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_PORT_STATS_REPLY: {
        struct ofp_port_stats ps;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        while ((r = ofp_decode_port_stats_entry(msg, len, &pos, &ps)) == 0) {
            ofp_append_port_stats(&rep, &ps);
        }
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_QUEUE_STATS_REPLY: {
        struct ofp_queue_stats qs;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        while ((r = ofp_decode_queue_stats_entry(msg, len, &pos, &qs)) == 0) {
            ofp_append_queue_stats(&rep, &qs);
        }
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_TABLE_STATS_REPLY: {
        struct ofp_table_stats ts;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        while ((r = ofp_decode_table_stats_entry(msg, len, &pos, &ts)) == 0) {
            ofp_append_table_stats(&rep, &ts);
        }
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_TABLE_FEATURES_REPLY: {
        static struct ofp_table_features tf;
        size_t pos = 0;
        int r;
        while ((r = ofp_decode_table_features_entry(msg, len, &pos, &tf))
               == 0) {
            continue;
        }
        error = r == EOF ? 0 : r;
        break;
    }
    case OFPTYPE_GROUP_DESC_REPLY: {
        struct ofp_group_mod gd;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        ofp_group_mod_init(&gd);
        while ((r = ofp_decode_group_desc_entry(msg, len, &pos, &gd)) == 0) {
            if (ofp_append_group_desc(&rep, &gd)) {
                break;
            }
        }
        ofp_group_mod_uninit(&gd);
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_METER_CONFIG_REPLY: {
        struct ofp_meter_mod mc;
        size_t pos = 0;
        int r;
        struct ofpmp_reply rep;
        ofpmp_reply_start(&rep, type, version, xid);
        while ((r = ofp_decode_meter_config_entry(msg, len, &pos, &mc))
               == 0) {
            ofp_append_meter_config(&rep, &mc);
        }
        error = r == EOF ? 0 : r;
        ofp_roundtrip_take_reply(&rep, msg, out);
        break;
    }
    case OFPTYPE_DESC_REPLY: {
        static struct ofp_desc d;
        error = ofp_decode_desc_reply(msg, len, &d);
        if (!error) {
            ofp_encode_desc_reply(&d, version, xid, out);
        }
        break;
    }
    case OFPTYPE_AGGREGATE_REPLY: case OFPTYPE_NXST_AGGREGATE_REPLY: {
        struct ofp_aggregate_stats as;
        error = ofp_decode_aggregate_reply(msg, len, &as);
        if (!error) {
            ofp_encode_aggregate_reply(&as, version,
                                       type == OFPTYPE_NXST_AGGREGATE_REPLY,
                                       xid, out);
        }
        break;
    }
    case OFPTYPE_GROUP_FEATURES_REPLY: {
        struct ofp_group_features gf;
        error = ofp_decode_group_features_reply(msg, len, &gf);
        if (!error) {
            ofp_encode_group_features_reply(&gf, version, xid, out);
        }
        break;
    }
    case OFPTYPE_METER_FEATURES_REPLY: {
        struct ofp_meter_features mf;
        error = ofp_decode_meter_features_reply(msg, len, &mf);
        break;
    }
    default:
        break;
    }
    return error;
}

#endif
