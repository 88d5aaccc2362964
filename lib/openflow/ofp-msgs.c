/* ofp-msgs.c: message framing, type identification and the simple
 * messages. */
#include <config.h>

#include "openflow/ofp-msgs.h"

#include <stdlib.h>
#include <string.h>
#include "openflow/ofp-nicira.h"
#include "openflow/ofp-port.h"
#include "util/util.h"

#define OFPT_VENDOR 4           /* OFPT_EXPERIMENTER in 1.1+. */
#define OFPT10_STATS_REQUEST 16
#define OFPT10_STATS_REPLY 17
#define OFPT13_MULTIPART_REQUEST 18
#define OFPT13_MULTIPART_REPLY 19
#define OFPMP_EXPERIMENTER 0xffff

/* How each message type is identified on the wire.  -1: not in that
 * version. */
struct ofptype_info {
    const char *name;
    int of10_type;              /* Raw OFPT of OpenFlow 1.0. */
    int of13_type;              /* Raw OFPT of OpenFlow 1.3+. */
    uint8_t min_version;        /* First 1.3+ version that has it. */
    int mp_type;                /* Multipart type, -1 if not multipart. */
    bool mp_reply;
    int nx_subtype;             /* NXT_* / NXST_* subtype, or -1. */
};

#define MSG(T, NAME, V10, V13, MINV) \
    [T] = { NAME, V10, V13, MINV, -1, false, -1 }
#define MP(T, NAME, TYPE10, TYPE13, REPLY) \
    [T] = { NAME, TYPE10 < 0 ? -1 : (REPLY ? 17 : 16), \
            REPLY ? 19 : 18, 4, TYPE13 < 0 ? TYPE10 : TYPE13, REPLY, -1 }
#define NXT(T, NAME, SUB) [T] = { NAME, 4, 4, 4, -1, false, SUB }
#define NXST(T, NAME, SUB, REPLY) \
    [T] = { NAME, REPLY ? 17 : 16, -1, 4, 0xffff, REPLY, SUB }

static const struct ofptype_info ofptype_infos[OFPTYPE_N_TYPES] = {
    MSG(OFPTYPE_HELLO, "OFPT_HELLO", 0, 0, 4),
    MSG(OFPTYPE_ERROR, "OFPT_ERROR", 1, 1, 4),
    MSG(OFPTYPE_ECHO_REQUEST, "OFPT_ECHO_REQUEST", 2, 2, 4),
    MSG(OFPTYPE_ECHO_REPLY, "OFPT_ECHO_REPLY", 3, 3, 4),
    MSG(OFPTYPE_FEATURES_REQUEST, "OFPT_FEATURES_REQUEST", 5, 5, 4),
    MSG(OFPTYPE_FEATURES_REPLY, "OFPT_FEATURES_REPLY", 6, 6, 4),
    MSG(OFPTYPE_GET_CONFIG_REQUEST, "OFPT_GET_CONFIG_REQUEST", 7, 7, 4),
    MSG(OFPTYPE_GET_CONFIG_REPLY, "OFPT_GET_CONFIG_REPLY", 8, 8, 4),
    MSG(OFPTYPE_SET_CONFIG, "OFPT_SET_CONFIG", 9, 9, 4),
    MSG(OFPTYPE_PACKET_IN, "OFPT_PACKET_IN", 10, 10, 4),
    MSG(OFPTYPE_FLOW_REMOVED, "OFPT_FLOW_REMOVED", 11, 11, 4),
    MSG(OFPTYPE_PORT_STATUS, "OFPT_PORT_STATUS", 12, 12, 4),
    MSG(OFPTYPE_PACKET_OUT, "OFPT_PACKET_OUT", 13, 13, 4),
    MSG(OFPTYPE_FLOW_MOD, "OFPT_FLOW_MOD", 14, 14, 4),
    MSG(OFPTYPE_GROUP_MOD, "OFPT_GROUP_MOD", -1, 15, 4),
    MSG(OFPTYPE_PORT_MOD, "OFPT_PORT_MOD", 15, 16, 4),
    MSG(OFPTYPE_TABLE_MOD, "OFPT_TABLE_MOD", -1, 17, 4),
    MSG(OFPTYPE_BARRIER_REQUEST, "OFPT_BARRIER_REQUEST", 18, 20, 4),
    MSG(OFPTYPE_BARRIER_REPLY, "OFPT_BARRIER_REPLY", 19, 21, 4),
    MSG(OFPTYPE_ROLE_REQUEST, "OFPT_ROLE_REQUEST", -1, 24, 4),
    MSG(OFPTYPE_ROLE_REPLY, "OFPT_ROLE_REPLY", -1, 25, 4),
    MSG(OFPTYPE_GET_ASYNC_REQUEST, "OFPT_GET_ASYNC_REQUEST", -1, 26, 4),
    MSG(OFPTYPE_GET_ASYNC_REPLY, "OFPT_GET_ASYNC_REPLY", -1, 27, 4),
    MSG(OFPTYPE_SET_ASYNC, "OFPT_SET_ASYNC", -1, 28, 4),
    MSG(OFPTYPE_METER_MOD, "OFPT_METER_MOD", -1, 29, 4),
    MSG(OFPTYPE_ROLE_STATUS, "OFPT_ROLE_STATUS", -1, 30, 5),
    MSG(OFPTYPE_BUNDLE_CONTROL, "OFPT_BUNDLE_CONTROL", -1, 33, 5),
    MSG(OFPTYPE_BUNDLE_ADD_MESSAGE, "OFPT_BUNDLE_ADD_MESSAGE", -1, 34, 5),
    MP(OFPTYPE_DESC_REQUEST, "OFPST_DESC request", 0, 0, false),
    MP(OFPTYPE_DESC_REPLY, "OFPST_DESC reply", 0, 0, true),
    MP(OFPTYPE_FLOW_STATS_REQUEST, "OFPST_FLOW request", 1, 1, false),
    MP(OFPTYPE_FLOW_STATS_REPLY, "OFPST_FLOW reply", 1, 1, true),
    MP(OFPTYPE_AGGREGATE_REQUEST, "OFPST_AGGREGATE request", 2, 2, false),
    MP(OFPTYPE_AGGREGATE_REPLY, "OFPST_AGGREGATE reply", 2, 2, true),
    MP(OFPTYPE_TABLE_STATS_REQUEST, "OFPST_TABLE request", 3, 3, false),
    MP(OFPTYPE_TABLE_STATS_REPLY, "OFPST_TABLE reply", 3, 3, true),
    MP(OFPTYPE_PORT_STATS_REQUEST, "OFPST_PORT request", 4, 4, false),
    MP(OFPTYPE_PORT_STATS_REPLY, "OFPST_PORT reply", 4, 4, true),
    MP(OFPTYPE_QUEUE_STATS_REQUEST, "OFPST_QUEUE request", 5, 5, false),
    MP(OFPTYPE_QUEUE_STATS_REPLY, "OFPST_QUEUE reply", 5, 5, true),
    MP(OFPTYPE_GROUP_STATS_REQUEST, "OFPST_GROUP request", -1, 6, false),
    MP(OFPTYPE_GROUP_STATS_REPLY, "OFPST_GROUP reply", -1, 6, true),
    MP(OFPTYPE_GROUP_DESC_REQUEST, "OFPST_GROUP_DESC request", -1, 7, false),
    MP(OFPTYPE_GROUP_DESC_REPLY, "OFPST_GROUP_DESC reply", -1, 7, true),
    MP(OFPTYPE_GROUP_FEATURES_REQUEST, "OFPST_GROUP_FEATURES request", -1, 8,
       false),
    MP(OFPTYPE_GROUP_FEATURES_REPLY, "OFPST_GROUP_FEATURES reply", -1, 8,
       true),
    MP(OFPTYPE_METER_STATS_REQUEST, "OFPST_METER request", -1, 9, false),
    MP(OFPTYPE_METER_STATS_REPLY, "OFPST_METER reply", -1, 9, true),
    MP(OFPTYPE_METER_CONFIG_REQUEST, "OFPST_METER_CONFIG request", -1, 10,
       false),
    MP(OFPTYPE_METER_CONFIG_REPLY, "OFPST_METER_CONFIG reply", -1, 10, true),
    MP(OFPTYPE_METER_FEATURES_REQUEST, "OFPST_METER_FEATURES request", -1, 11,
       false),
    MP(OFPTYPE_METER_FEATURES_REPLY, "OFPST_METER_FEATURES reply", -1, 11,
       true),
    MP(OFPTYPE_TABLE_FEATURES_REQUEST, "OFPST_TABLE_FEATURES request", -1,
       12, false),
    MP(OFPTYPE_TABLE_FEATURES_REPLY, "OFPST_TABLE_FEATURES reply", -1, 12,
       true),
    /* OpenFlow 1.0 has port-desc as stats type 13 (an Open vSwitch
     * extension that ovs-ofctl dump-ports-desc uses). */
    MP(OFPTYPE_PORT_DESC_REQUEST, "OFPST_PORT_DESC request", 13, 13, false),
    MP(OFPTYPE_PORT_DESC_REPLY, "OFPST_PORT_DESC reply", 13, 13, true),
    [OFPTYPE_FLOW_MONITOR_REQUEST] = { "OFPST_FLOW_MONITOR request", -1, 18,
                                       5, 16, false, -1 },
    [OFPTYPE_FLOW_MONITOR_REPLY] = { "OFPST_FLOW_MONITOR reply", -1, 19, 5,
                                     16, true, -1 },
    NXT(OFPTYPE_NXT_ROLE_REQUEST, "NXT_ROLE_REQUEST", NXT_ROLE_REQUEST),
    NXT(OFPTYPE_NXT_ROLE_REPLY, "NXT_ROLE_REPLY", NXT_ROLE_REPLY),
    NXT(OFPTYPE_NXT_SET_FLOW_FORMAT, "NXT_SET_FLOW_FORMAT",
        NXT_SET_FLOW_FORMAT),
    NXT(OFPTYPE_NXT_FLOW_MOD, "NXT_FLOW_MOD", NXT_FLOW_MOD),
    NXT(OFPTYPE_NXT_FLOW_REMOVED, "NXT_FLOW_REMOVED", NXT_FLOW_REMOVED),
    NXT(OFPTYPE_NXT_FLOW_MOD_TABLE_ID, "NXT_FLOW_MOD_TABLE_ID",
        NXT_FLOW_MOD_TABLE_ID),
    NXT(OFPTYPE_NXT_SET_PACKET_IN_FORMAT, "NXT_SET_PACKET_IN_FORMAT",
        NXT_SET_PACKET_IN_FORMAT),
    NXT(OFPTYPE_NXT_PACKET_IN, "NXT_PACKET_IN", NXT_PACKET_IN),
    NXT(OFPTYPE_NXT_SET_CONTROLLER_ID, "NXT_SET_CONTROLLER_ID",
        NXT_SET_CONTROLLER_ID),
    NXT(OFPTYPE_NXT_PACKET_IN2, "NXT_PACKET_IN2", NXT_PACKET_IN2),
    NXST(OFPTYPE_NXST_FLOW_REQUEST, "NXST_FLOW request", NXST_FLOW, false),
    NXST(OFPTYPE_NXST_FLOW_REPLY, "NXST_FLOW reply", NXST_FLOW, true),
    NXST(OFPTYPE_NXST_AGGREGATE_REQUEST, "NXST_AGGREGATE request",
         NXST_AGGREGATE, false),
    NXST(OFPTYPE_NXST_AGGREGATE_REPLY, "NXST_AGGREGATE reply",
         NXST_AGGREGATE, true),
    NXST(OFPTYPE_NXST_FLOW_MONITOR_REQUEST, "NXST_FLOW_MONITOR request",
         NXST_FLOW_MONITOR, false),
    NXST(OFPTYPE_NXST_FLOW_MONITOR_REPLY, "NXST_FLOW_MONITOR reply",
         NXST_FLOW_MONITOR, true),
    NXT(OFPTYPE_NXT_FLOW_MONITOR_CANCEL, "NXT_FLOW_MONITOR_CANCEL",
        NXT_FLOW_MONITOR_CANCEL),
    NXT(OFPTYPE_NXT_FLOW_MONITOR_PAUSED, "NXT_FLOW_MONITOR_PAUSED",
        NXT_FLOW_MONITOR_PAUSED),
    NXT(OFPTYPE_NXT_FLOW_MONITOR_RESUMED, "NXT_FLOW_MONITOR_RESUMED",
        NXT_FLOW_MONITOR_RESUMED),
};

static bool
version_supported(uint8_t version)
{
    return version < 32 && (OFP_SUPPORTED_VERSIONS >> version) & 1;
}

size_t
ofpmsg_frame_length(const uint8_t *p, size_t avail)
{
    return avail < OFP_HEADER_LEN ? 0 : ofp_get_be16(p + 2);
}

enum ofperr
ofpmsg_decode_header(const uint8_t *msg, size_t len, struct ofp_msg_header *h)
{
    if (len < OFP_HEADER_LEN || ofp_get_be16(msg + 2) != len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    h->version = msg[0];
    h->type = msg[1];
    h->length = len;
    h->xid = ofp_get_be32(msg + 4);
    return 0;
}

const char *
ofptype_name(enum ofptype type)
{
    return (int) type >= 0 && type < OFPTYPE_N_TYPES
           ? ofptype_infos[type].name : "OFPT_UNKNOWN";
}

bool
ofptype_in_version(enum ofptype type, uint8_t version)
{
    if ((int) type < 0 || type >= OFPTYPE_N_TYPES
        || !version_supported(version)) {
        return false;
    }
    const struct ofptype_info *info = &ofptype_infos[type];
    if (version == OFP10_VERSION) {
        return info->of10_type >= 0;
    }
    if (info->mp_type == OFPMP_EXPERIMENTER) {
        return false;           /* NXST_* only over OpenFlow 1.0. */
    }
    return info->of13_type >= 0 && version >= info->min_version;
}

/* Multipart header length (after the 8-byte header). */
static size_t
mp_header_len(uint8_t version)
{
    return version == OFP10_VERSION ? 4 : 8;
}

size_t
ofpmsg_body_offset(enum ofptype type, uint8_t version)
{
    const struct ofptype_info *info = &ofptype_infos[type];
    if (info->mp_type == OFPMP_EXPERIMENTER) {
        return 24;
    }
    if (info->mp_type >= 0) {
        return 8 + mp_header_len(version);
    }
    if (info->nx_subtype >= 0) {
        return 16;
    }
    return 8;
}

/* Identifies a multipart message by its stats type. */
static enum ofperr
decode_mp_type(const uint8_t *msg, size_t len, uint8_t version, bool reply,
               enum ofptype *type)
{
    size_t hlen = 8 + mp_header_len(version);
    if (len < hlen) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t mp_type = ofp_get_be16(msg + 8);
    if (mp_type == OFPMP_EXPERIMENTER) {
        if (version != OFP10_VERSION) {
            return len < 24 ? OFPERR_OFPBRC_BAD_LEN
                            : OFPERR_OFPBRC_BAD_EXPERIMENTER;
        }
        if (len < 20) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (ofp_get_be32(msg + 12) != NX_VENDOR_ID) {
            return OFPERR_OFPBRC_BAD_EXPERIMENTER;
        }
        uint32_t subtype = ofp_get_be32(msg + 16);
        for (int t = 0; t < OFPTYPE_N_TYPES; t++) {
            const struct ofptype_info *info = &ofptype_infos[t];
            if (info->mp_type == OFPMP_EXPERIMENTER
                && info->nx_subtype == (int) subtype
                && info->mp_reply == reply) {
                if (len < 24) {
                    return OFPERR_OFPBRC_BAD_LEN;
                }
                *type = t;
                return 0;
            }
        }
        return OFPERR_OFPBRC_BAD_EXP_TYPE;
    }
    for (int t = 0; t < OFPTYPE_N_TYPES; t++) {
        const struct ofptype_info *info = &ofptype_infos[t];
        if (info->mp_type == mp_type && info->mp_reply == reply
            && info->nx_subtype < 0 && ofptype_in_version(t, version)) {
            *type = t;
            return 0;
        }
    }
    return OFPERR_OFPBRC_BAD_MULTIPART;
}

enum ofperr
ofptype_decode(const uint8_t *msg, size_t len, enum ofptype *type)
{
    struct ofp_msg_header h;
    enum ofperr error = ofpmsg_decode_header(msg, len, &h);
    if (error) {
        return error;
    }
    if (h.type == 0) {
        *type = OFPTYPE_HELLO;      /* Any version. */
        return 0;
    }
    if (!version_supported(h.version)) {
        if (h.type == 1) {
            *type = OFPTYPE_ERROR;
            return 0;
        }
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    if (h.type == OFPT_VENDOR) {
        if (len < 12) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (ofp_get_be32(msg + 8) != NX_VENDOR_ID) {
            return OFPERR_OFPBRC_BAD_EXPERIMENTER;
        }
        if (len < 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint32_t subtype = ofp_get_be32(msg + 12);
        for (int t = 0; t < OFPTYPE_N_TYPES; t++) {
            const struct ofptype_info *info = &ofptype_infos[t];
            if (info->mp_type < 0 && info->nx_subtype == (int) subtype) {
                *type = t;
                return 0;
            }
        }
        return OFPERR_OFPBRC_BAD_EXP_TYPE;
    }
    if (h.version == OFP10_VERSION) {
        if (h.type == OFPT10_STATS_REQUEST || h.type == OFPT10_STATS_REPLY) {
            return decode_mp_type(msg, len, h.version,
                                  h.type == OFPT10_STATS_REPLY, type);
        }
    } else if (h.type == OFPT13_MULTIPART_REQUEST
               || h.type == OFPT13_MULTIPART_REPLY) {
        return decode_mp_type(msg, len, h.version,
                              h.type == OFPT13_MULTIPART_REPLY, type);
    }
    for (int t = 0; t < OFPTYPE_N_TYPES; t++) {
        const struct ofptype_info *info = &ofptype_infos[t];
        if (info->mp_type >= 0 || info->nx_subtype >= 0) {
            continue;
        }
        int raw = h.version == OFP10_VERSION ? info->of10_type
                                             : info->of13_type;
        if (raw == h.type && ofptype_in_version(t, h.version)) {
            *type = t;
            return 0;
        }
    }
    return OFPERR_OFPBRC_BAD_TYPE;
}

bool
ofpmsg_start(struct ofpbuf *b, enum ofptype type, uint8_t version,
             uint32_t xid)
{
    ofpbuf_clear(b);
    const struct ofptype_info *info = &ofptype_infos[type];
    bool ok = ofptype_in_version(type, version)
              || (info->nx_subtype >= 0 && info->mp_type < 0
                  && version_supported(version));
    if (!ok) {
        return false;
    }
    int raw;
    if (info->mp_type >= 0) {
        raw = version == OFP10_VERSION ? info->of10_type
              : (info->mp_reply ? OFPT13_MULTIPART_REPLY
                                : OFPT13_MULTIPART_REQUEST);
    } else {
        raw = version == OFP10_VERSION ? info->of10_type : info->of13_type;
    }
    ofpbuf_put_u8(b, version);
    ofpbuf_put_u8(b, raw);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);
    if (info->mp_type >= 0) {
        ofpbuf_put_be16(b, info->mp_type);
        ofpbuf_put_be16(b, 0);
        if (version != OFP10_VERSION) {
            ofpbuf_put_zeros(b, 4);
        }
        if (info->mp_type == OFPMP_EXPERIMENTER) {
            ofpbuf_put_be32(b, NX_VENDOR_ID);
            ofpbuf_put_be32(b, info->nx_subtype);
            ofpbuf_put_zeros(b, 4);
        }
    } else if (info->nx_subtype >= 0) {
        ofpbuf_put_be32(b, NX_VENDOR_ID);
        ofpbuf_put_be32(b, info->nx_subtype);
    }
    return true;
}

void
ofpmsg_finish(struct ofpbuf *b)
{
    ofpbuf_set_be16(b, 2, b->size);
}

uint16_t
ofpmsg_multipart_flags(const uint8_t *msg, size_t len, const uint8_t **body,
                       size_t *body_len)
{
    size_t hlen = 8 + mp_header_len(msg[0]);
    if (len >= 12 && ofp_get_be16(msg + 8) == OFPMP_EXPERIMENTER
        && msg[0] == OFP10_VERSION) {
        hlen = 24;
    }
    if (len < hlen) {
        *body = msg + len;
        *body_len = 0;
        return 0;
    }
    *body = msg + hlen;
    *body_len = len - hlen;
    return ofp_get_be16(msg + 10);
}

enum ofperr
ofpmsg_decode_multipart(const uint8_t *msg, size_t len, enum ofptype *type,
                        const uint8_t **body, size_t *body_len)
{
    enum ofperr error = ofptype_decode(msg, len, type);
    if (error) {
        return error;
    }
    ofpmsg_multipart_flags(msg, len, body, body_len);
    return 0;
}

bool
ofpmsg_multipart_entry(const uint8_t *msg, size_t len, size_t pos,
                       const uint8_t **entry, size_t *left)
{
    const uint8_t *body;
    size_t n;
    ofpmsg_multipart_flags(msg, len, &body, &n);
    if (pos >= n) {
        return false;
    }
    *entry = body + pos;
    *left = n - pos;
    return true;
}

enum ofperr
ofpmsg_entry_length(const uint8_t *entry, size_t left, size_t min,
                    size_t align, size_t *elen)
{
    if (left < 2 || left < min) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *elen = ofp_get_be16(entry);
    if (*elen < min || *elen > left || *elen % align) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return 0;
}

/* ---- Hello ------------------------------------------------------------ */

#define OFPHET_VERSIONBITMAP 1

enum ofperr
ofp_decode_hello(const uint8_t *msg, size_t len, uint32_t *versions)
{
    struct ofp_msg_header h;
    enum ofperr error = ofpmsg_decode_header(msg, len, &h);
    if (error) {
        return error;
    }
    /* Without a bitmap: every version up to the header's. */
    *versions = h.version >= 31 ? UINT32_MAX - 1
                                : ((1u << (h.version + 1)) - 2);
    struct ofpr r;
    ofpr_init(&r, msg + 8, len - 8);
    while (r.left >= 4) {
        uint16_t type = ofp_get_be16(r.p);
        uint16_t elen = ofp_get_be16(r.p + 2);
        if (elen < 4 || elen > r.left) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (type == OFPHET_VERSIONBITMAP && elen >= 8) {
            /* Only the first 32 versions matter to us. */
            *versions = ofp_get_be32(r.p + 4);
        }
        size_t padded = ROUND_UP((size_t) elen, 8);
        ofpr_skip(&r, MIN(padded, r.left));
    }
    return 0;
}

void
ofp_encode_hello(uint32_t versions, uint32_t xid, struct ofpbuf *b)
{
    uint8_t max = 0;
    for (int v = 31; v > 0; v--) {
        if (versions & (1u << v)) {
            max = v;
            break;
        }
    }
    ofpbuf_clear(b);
    ofpbuf_put_u8(b, max);
    ofpbuf_put_u8(b, 0);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);
    if (max > OFP10_VERSION) {
        ofpbuf_put_be16(b, OFPHET_VERSIONBITMAP);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be32(b, versions);
    }
    ofpmsg_finish(b);
}

enum ofperr
ofp_negotiate_version(uint32_t ours, uint32_t theirs, uint8_t *version)
{
    uint32_t common = ours & theirs & OFP_SUPPORTED_VERSIONS;
    for (int v = 31; v > 0; v--) {
        if (common & (1u << v)) {
            *version = v;
            return 0;
        }
    }
    return OFPERR_OFPHFC_INCOMPATIBLE;
}

/* ---- Error ------------------------------------------------------------ */

enum ofperr
ofp_decode_error(const uint8_t *msg, size_t len, struct ofp_error_msg *e)
{
    struct ofp_msg_header h;
    enum ofperr error = ofpmsg_decode_header(msg, len, &h);
    if (error) {
        return error;
    }
    if (len < 12) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(e, 0, sizeof *e);
    e->type = ofp_get_be16(msg + 8);
    e->code = ofp_get_be16(msg + 10);
    size_t data_ofs = 12;
    if ((e->type == OFPET_EXPERIMENTER && h.version != OFP10_VERSION)) {
        if (len < 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        e->experimenter = ofp_get_be32(msg + 12);
        data_ofs = 16;
    } else if (e->type == NXET_VENDOR && h.version == OFP10_VERSION) {
        if (len < 20) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        e->experimenter = ofp_get_be32(msg + 12);
        e->type = ofp_get_be16(msg + 16);
        e->code = ofp_get_be16(msg + 18);
        data_ofs = 20;
        if (e->experimenter == NX_VENDOR_ID) {
            e->error = ofperr_decode(h.version, e->type, e->code);
        }
    } else {
        e->error = ofperr_decode(h.version, e->type, e->code);
    }
    e->data = msg + data_ofs;
    e->data_len = len - data_ofs;
    return 0;
}

static void
encode_error_common(enum ofperr error, uint8_t version, uint32_t xid,
                    const void *data, size_t data_len, struct ofpbuf *b)
{
    uint16_t type, code;
    if (!version_supported(version)) {
        version = OFP10_VERSION;
    }
    error = ofperr_fallback(error, version);
    if (!ofperr_encode(error, version, &type, &code)) {
        ofperr_encode(OFPERR_OFPBRC_EPERM, version, &type, &code);
    }
    ofpbuf_clear(b);
    ofpbuf_put_u8(b, version);
    ofpbuf_put_u8(b, 1);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);
    if (version == OFP10_VERSION && code >= 0x100) {
        /* Nicira extension codes travel inside an NXET_VENDOR error in
         * OpenFlow 1.0, as Open vSwitch clients expect. */
        ofpbuf_put_be16(b, NXET_VENDOR);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be32(b, NX_VENDOR_ID);
    }
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, code);
    ofpbuf_put(b, data, data_len);
    ofpmsg_finish(b);
}

void
ofp_encode_error(enum ofperr error, uint8_t version, const uint8_t *request,
                 size_t request_len, struct ofpbuf *b)
{
    uint32_t xid = request_len >= 8 ? ofp_get_be32(request + 4) : 0;
    encode_error_common(error, version, xid, request, MIN(request_len, 64),
                        b);
}

void
ofp_encode_hello_error(enum ofperr error, uint8_t version, uint32_t xid,
                       const char *explanation, struct ofpbuf *b)
{
    encode_error_common(error, version, xid, explanation,
                        explanation ? strlen(explanation) : 0, b);
}

/* ---- Echo and bodyless messages -------------------------------------- */

void
ofp_encode_echo_reply(const uint8_t *msg, size_t len, struct ofpbuf *b)
{
    ofpbuf_clear(b);
    ofpbuf_put(b, msg, len);
    b->data[1] = 3;             /* OFPT_ECHO_REPLY in every version. */
    ofpmsg_finish(b);
}

bool
ofp_encode_empty(enum ofptype type, uint8_t version, uint32_t xid,
                 struct ofpbuf *b)
{
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    ofpmsg_finish(b);
    return true;
}

/* ---- Features reply --------------------------------------------------- */

void
ofp_encode_features_reply(const struct ofp_features *f, uint8_t version,
                          uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_FEATURES_REPLY, version, xid);
    ofpbuf_put_be64(b, f->datapath_id);
    ofpbuf_put_be32(b, f->n_buffers);
    ofpbuf_put_u8(b, f->n_tables);
    if (version == OFP10_VERSION) {
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, f->capabilities);
        ofpbuf_put_be32(b, f->actions);
        for (size_t i = 0; i < f->n_ports; i++) {
            ofp_port_encode(&f->ports[i], version, b);
        }
    } else {
        ofpbuf_put_u8(b, f->auxiliary_id);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, f->capabilities);
        ofpbuf_put_be32(b, 0);      /* reserved */
    }
    ofpmsg_finish(b);
}

enum ofperr
ofp_decode_features_reply(const uint8_t *msg, size_t len,
                          struct ofp_features *f)
{
    memset(f, 0, sizeof *f);
    if (len < 32) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint8_t version = msg[0];
    f->datapath_id = ofp_get_be64(msg + 8);
    f->n_buffers = ofp_get_be32(msg + 16);
    f->n_tables = msg[20];
    f->capabilities = ofp_get_be32(msg + 24);
    if (version == OFP10_VERSION) {
        f->actions = ofp_get_be32(msg + 28);
        if ((len - 32) % 48) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        size_t n = (len - 32) / 48;
        f->ports = n ? xcalloc(n, sizeof *f->ports) : NULL;
        struct ofpr r;
        ofpr_init(&r, msg + 32, len - 32);
        for (size_t i = 0; i < n; i++) {
            enum ofperr error = ofp_port_decode(&r, version, &f->ports[i]);
            if (error) {
                ofp_features_uninit(f);
                return error;
            }
            f->n_ports++;
        }
    } else {
        f->auxiliary_id = msg[21];
        if (len != 32) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
    }
    return 0;
}

void
ofp_features_uninit(struct ofp_features *f)
{
    free(f->ports);
    f->ports = NULL;
    f->n_ports = 0;
}

/* ---- Switch config ---------------------------------------------------- */

enum ofperr
ofp_decode_switch_config(const uint8_t *msg, size_t len,
                         struct ofp_switch_config *c)
{
    if (len != 12) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    c->flags = ofp_get_be16(msg + 8);
    c->miss_send_len = ofp_get_be16(msg + 10);
    uint16_t allowed = OFPC_FRAG_MASK;
    if ((c->flags & ~allowed) || (c->flags & OFPC_FRAG_MASK) == 3) {
        return OFPERR_OFPSCFC_BAD_FLAGS;
    }
    return 0;
}

void
ofp_encode_switch_config(enum ofptype type, const struct ofp_switch_config *c,
                         uint8_t version, uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, type, version, xid);
    ofpbuf_put_be16(b, c->flags);
    ofpbuf_put_be16(b, c->miss_send_len);
    ofpmsg_finish(b);
}

/* ---- Role ------------------------------------------------------------- */

enum ofperr
ofp_decode_role(const uint8_t *msg, size_t len, struct ofp_role_msg *r)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    memset(r, 0, sizeof *r);
    if (type == OFPTYPE_NXT_ROLE_REQUEST || type == OFPTYPE_NXT_ROLE_REPLY) {
        if (len != 20) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint32_t role = ofp_get_be32(msg + 16);
        if (role > 2) {
            return OFPERR_OFPRRFC_BAD_ROLE;
        }
        r->role = role + 1;     /* NX other/master/slave = 0/1/2. */
        return 0;
    }
    if (type != OFPTYPE_ROLE_REQUEST && type != OFPTYPE_ROLE_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint32_t role = ofp_get_be32(msg + 8);
    if (role > OFPCR_ROLE_SLAVE) {
        return OFPERR_OFPRRFC_BAD_ROLE;
    }
    r->role = role;
    r->have_generation_id = true;
    r->generation_id = ofp_get_be64(msg + 16);
    return 0;
}

bool
ofp_encode_role(enum ofptype type, const struct ofp_role_msg *r,
                uint8_t version, uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    if (type == OFPTYPE_NXT_ROLE_REQUEST || type == OFPTYPE_NXT_ROLE_REPLY) {
        ofpbuf_put_be32(b, r->role ? r->role - 1 : 0);
    } else {
        ofpbuf_put_be32(b, r->role);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, r->generation_id);
    }
    ofpmsg_finish(b);
    return true;
}

/* ---- Async config ----------------------------------------------------- */

/* OF1.4+ async config property types: [2 * k + role] for field k. */
static const uint16_t async_prop_types[12] = {
    0, 1,       /* OFPACPT_PACKET_IN_SLAVE, _MASTER */
    2, 3,       /* PORT_STATUS */
    4, 5,       /* FLOW_REMOVED */
    6, 7,       /* ROLE_STATUS */
    8, 9,       /* TABLE_STATUS */
    10, 11,     /* REQUESTFORWARD */
};

static uint32_t *
async_field(struct ofp_async_config *ac, int k)
{
    uint32_t *fields[6] = {
        ac->packet_in_mask, ac->port_status_mask, ac->flow_removed_mask,
        ac->role_status_mask, ac->table_status_mask, ac->requestforward_mask,
    };
    return fields[k];
}

void
ofp_async_config_default(struct ofp_async_config *ac)
{
    memset(ac, 0, sizeof *ac);
    ac->packet_in_mask[0] = (1 << 0) | (1 << 1);    /* NO_MATCH, ACTION */
    ac->port_status_mask[0] = 7;
    ac->port_status_mask[1] = 7;
    ac->flow_removed_mask[0] = 0xf;
    ac->role_status_mask[0] = 7;
    ac->role_status_mask[1] = 7;
    ac->table_status_mask[0] = 0x18;
    ac->table_status_mask[1] = 0x18;
    ac->requestforward_mask[0] = 3;
    ac->present = 0xfff;
}

enum ofperr
ofp_decode_async_config(const uint8_t *msg, size_t len,
                        struct ofp_async_config *ac)
{
    memset(ac, 0, sizeof *ac);
    if (len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (msg[0] < OFP14_VERSION) {
        if (len != 32) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        for (int k = 0; k < 3; k++) {
            uint32_t *f = async_field(ac, k);
            f[0] = ofp_get_be32(msg + 8 + 8 * k);
            f[1] = ofp_get_be32(msg + 12 + 8 * k);
        }
        ac->present = 0x3f;
        return 0;
    }
    struct ofpr r;
    ofpr_init(&r, msg + 8, len - 8);
    while (r.left) {
        if (r.left < 4) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(r.p);
        uint16_t plen = ofp_get_be16(r.p + 2);
        if (plen < 4 || plen > r.left) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const uint8_t *p = ofpr_pull(&r, plen);
        if (type == 0xfffe || type == 0xffff) {
            return OFPERR_OFPBPC_BAD_EXPERIMENTER;
        }
        if (type >= 12) {
            return OFPERR_OFPBPC_BAD_TYPE;
        }
        if (plen != 8) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        /* Even types are the slave masks (index 1), odd the master ones. */
        int k = type / 2, role = type % 2 ? 0 : 1;
        async_field(ac, k)[role] = ofp_get_be32(p + 4);
        ac->present |= 1u << (2 * k + role);
    }
    return 0;
}

bool
ofp_encode_async_config(enum ofptype type, const struct ofp_async_config *ac,
                        uint8_t version, uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    struct ofp_async_config copy = *ac;
    if (version < OFP14_VERSION) {
        for (int k = 0; k < 3; k++) {
            ofpbuf_put_be32(b, async_field(&copy, k)[0]);
            ofpbuf_put_be32(b, async_field(&copy, k)[1]);
        }
    } else {
        for (int i = 0; i < 12; i++) {
            int k = async_prop_types[i] / 2;
            int role = async_prop_types[i] % 2 ? 0 : 1;
            if (!(ac->present & (1u << (2 * k + role)))) {
                continue;
            }
            ofpbuf_put_be16(b, async_prop_types[i]);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, async_field(&copy, k)[role]);
        }
    }
    ofpmsg_finish(b);
    return true;
}

/* ---- Table-mod -------------------------------------------------------- */

/* Validates OF1.4+ property framing in 'r'. */
static enum ofperr
check_properties(struct ofpr *r)
{
    while (r->left) {
        struct ofp_prop prop;
        if (!ofpr_pull_prop(r, &prop)) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
    }
    return 0;
}

enum ofperr
ofp_decode_table_mod(const uint8_t *msg, size_t len, struct ofp_table_mod *tm)
{
    if (len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    tm->table_id = msg[8];
    tm->config = ofp_get_be32(msg + 12);
    if (msg[0] >= OFP14_VERSION) {
        struct ofpr r;
        ofpr_init(&r, msg + 16, len - 16);
        enum ofperr error = check_properties(&r);
        if (error) {
            return error;
        }
        if (tm->config & ~(uint32_t) (4 | 8)) {
            return OFPERR_OFPTMFC_BAD_CONFIG;
        }
    } else {
        if (len != 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (tm->config & ~(uint32_t) 3) {
            return OFPERR_OFPTMFC_BAD_CONFIG;
        }
    }
    return 0;
}

bool
ofp_encode_table_mod(const struct ofp_table_mod *tm, uint8_t version,
                     uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_TABLE_MOD, version, xid)) {
        return false;
    }
    ofpbuf_put_u8(b, tm->table_id);
    ofpbuf_put_zeros(b, 3);
    ofpbuf_put_be32(b, tm->config);
    ofpmsg_finish(b);
    return true;
}

/* ---- Bundles ---------------------------------------------------------- */

enum ofperr
ofp_decode_bundle_ctrl(const uint8_t *msg, size_t len,
                       struct ofp_bundle_ctrl *bc)
{
    if (len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    bc->bundle_id = ofp_get_be32(msg + 8);
    bc->type = ofp_get_be16(msg + 12);
    bc->flags = ofp_get_be16(msg + 14);
    struct ofpr r;
    ofpr_init(&r, msg + 16, len - 16);
    enum ofperr error = check_properties(&r);
    if (error) {
        return error;
    }
    if (bc->type > OFPBCT_DISCARD_REPLY) {
        return OFPERR_OFPBFC_BAD_TYPE;
    }
    uint16_t allowed = OFPBF_ATOMIC | OFPBF_ORDERED
                       | (msg[0] >= OFP15_VERSION ? OFPBF_TIME : 0);
    if (bc->flags & ~allowed) {
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    return 0;
}

bool
ofp_encode_bundle_ctrl(const struct ofp_bundle_ctrl *bc, uint8_t version,
                       uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_BUNDLE_CONTROL, version, xid)) {
        return false;
    }
    ofpbuf_put_be32(b, bc->bundle_id);
    ofpbuf_put_be16(b, bc->type);
    ofpbuf_put_be16(b, bc->flags);
    ofpmsg_finish(b);
    return true;
}

enum ofperr
ofp_decode_bundle_add(const uint8_t *msg, size_t len,
                      struct ofp_bundle_add *ba)
{
    if (len < 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ba->bundle_id = ofp_get_be32(msg + 8);
    ba->flags = ofp_get_be16(msg + 14);
    const uint8_t *inner = msg + 16;
    uint16_t inner_len = ofp_get_be16(inner + 2);
    if (inner_len < 8 || inner_len > len - 16) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    /* Properties, if any, follow the inner message padded to 8 bytes. */
    size_t rest = len - 16;
    size_t props_ofs = rest > inner_len ? ROUND_UP((size_t) inner_len, 8)
                                        : inner_len;
    if (props_ofs > rest) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    struct ofpr r;
    ofpr_init(&r, inner + props_ofs, rest - props_ofs);
    enum ofperr error = check_properties(&r);
    if (error) {
        return error;
    }
    if (inner[0] != msg[0]) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    if (ofp_get_be32(inner + 4) != ofp_get_be32(msg + 4)) {
        return OFPERR_OFPBFC_MSG_BAD_XID;
    }
    if (ba->flags & ~(uint16_t) (OFPBF_ATOMIC | OFPBF_ORDERED)) {
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    ba->inner = inner;
    ba->inner_len = inner_len;
    return 0;
}

bool
ofp_encode_bundle_add(const struct ofp_bundle_add *ba, uint8_t version,
                      uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_BUNDLE_ADD_MESSAGE, version, xid)) {
        return false;
    }
    ofpbuf_put_be32(b, ba->bundle_id);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, ba->flags);
    ofpbuf_put(b, ba->inner, ba->inner_len);
    ofpmsg_finish(b);
    return true;
}
