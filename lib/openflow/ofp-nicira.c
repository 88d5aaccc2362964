/* ofp-nicira.c: small Nicira extension control messages. */
#include <config.h>

#include "openflow/ofp-nicira.h"

#include "util/util.h"

/* Decodes a 20-byte Nicira message carrying one 32-bit value. */
static enum ofperr
decode_u32(const uint8_t *msg, size_t len, enum ofptype expected,
           uint32_t *value)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != expected) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 20) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *value = ofp_get_be32(msg + 16);
    return 0;
}

static void
encode_u32(enum ofptype type, uint8_t version, uint32_t xid, uint32_t value,
           struct ofpbuf *b)
{
    ofpmsg_start(b, type, version, xid);
    ofpbuf_put_be32(b, value);
    ofpmsg_finish(b);
}

enum ofperr
nx_decode_set_flow_format(const uint8_t *msg, size_t len, uint32_t *format)
{
    enum ofperr error = decode_u32(msg, len, OFPTYPE_NXT_SET_FLOW_FORMAT,
                                   format);
    if (!error && *format != NXFF_OPENFLOW10 && *format != NXFF_NXM) {
        error = OFPERR_OFPBRC_EPERM;
    }
    return error;
}

void
nx_encode_set_flow_format(uint32_t format, uint32_t xid, struct ofpbuf *b)
{
    encode_u32(OFPTYPE_NXT_SET_FLOW_FORMAT, OFP10_VERSION, xid, format, b);
}

enum ofperr
nx_decode_flow_mod_table_id(const uint8_t *msg, size_t len, bool *enable)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != OFPTYPE_NXT_FLOW_MOD_TABLE_ID) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (msg[16] > 1) {
        return OFPERR_OFPBRC_EPERM;
    }
    *enable = msg[16];
    return 0;
}

void
nx_encode_flow_mod_table_id(bool enable, uint32_t xid, struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_NXT_FLOW_MOD_TABLE_ID, OFP10_VERSION, xid);
    ofpbuf_put_u8(b, enable);
    ofpbuf_put_zeros(b, 7);
    ofpmsg_finish(b);
}

enum ofperr
nx_decode_set_packet_in_format(const uint8_t *msg, size_t len,
                               uint32_t *format)
{
    enum ofperr error = decode_u32(msg, len, OFPTYPE_NXT_SET_PACKET_IN_FORMAT,
                                   format);
    if (!error && *format > 2) {
        error = OFPERR_OFPBRC_EPERM;
    }
    return error;
}

void
nx_encode_set_packet_in_format(uint32_t format, uint8_t version, uint32_t xid,
                               struct ofpbuf *b)
{
    encode_u32(OFPTYPE_NXT_SET_PACKET_IN_FORMAT, version, xid, format, b);
}

enum ofperr
nx_decode_set_controller_id(const uint8_t *msg, size_t len,
                            uint16_t *controller_id)
{
    enum ofptype type;
    enum ofperr error = ofptype_decode(msg, len, &type);
    if (error) {
        return error;
    }
    if (type != OFPTYPE_NXT_SET_CONTROLLER_ID) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len != 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *controller_id = ofp_get_be16(msg + 22);
    return 0;
}
