/* ofp-nicira.h: the small Nicira (Open vSwitch) extension messages that the
 * stock ovs-ofctl sends over OpenFlow 1.0: NXT_SET_FLOW_FORMAT,
 * NXT_FLOW_MOD_TABLE_ID, NXT_SET_PACKET_IN_FORMAT, NXT_SET_CONTROLLER_ID.
 * (NXT_FLOW_MOD, NXT_PACKET_IN(2), NXST_FLOW and NXST_AGGREGATE share the
 * structures of ofp-flow.h; NXT_ROLE_* those of ofp-msgs.h.)
 *
 * Thread-safety: reentrant. */
#ifndef OVSNFV_OFP_NICIRA_H
#define OVSNFV_OFP_NICIRA_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-msgs.h"

/* Nicira subtypes (the 32-bit word after the vendor id). */
enum nx_subtype {
    NXT_ROLE_REQUEST = 10,
    NXT_ROLE_REPLY = 11,
    NXT_SET_FLOW_FORMAT = 12,
    NXT_FLOW_MOD = 13,
    NXT_FLOW_REMOVED = 14,
    NXT_FLOW_MOD_TABLE_ID = 15,
    NXT_SET_PACKET_IN_FORMAT = 16,
    NXT_PACKET_IN = 17,
    NXT_SET_CONTROLLER_ID = 20,
    NXT_PACKET_IN2 = 30,
};

/* Nicira stats subtypes (in an OF1.0 vendor stats message). */
enum nx_stats_subtype {
    NXST_FLOW = 0,
    NXST_AGGREGATE = 1,
    NXST_FLOW_MONITOR = 2,
};

enum nx_flow_format {
    NXFF_OPENFLOW10 = 0,
    NXFF_NXM = 2,
};

/* Decodes NXT_SET_FLOW_FORMAT; unknown format -> OFPBRC_EPERM. */
enum ofperr nx_decode_set_flow_format(const uint8_t *msg, size_t len,
                                      uint32_t *format);
void nx_encode_set_flow_format(uint32_t format, uint32_t xid,
                               struct ofpbuf *b);

/* Decodes NXT_FLOW_MOD_TABLE_ID (enable 0/1; other -> OFPBRC_EPERM). */
enum ofperr nx_decode_flow_mod_table_id(const uint8_t *msg, size_t len,
                                        bool *enable);
void nx_encode_flow_mod_table_id(bool enable, uint32_t xid, struct ofpbuf *b);

/* Decodes NXT_SET_PACKET_IN_FORMAT (0 standard, 1 NXT_PACKET_IN, 2
 * NXT_PACKET_IN2; other -> OFPBRC_EPERM). */
enum ofperr nx_decode_set_packet_in_format(const uint8_t *msg, size_t len,
                                           uint32_t *format);
void nx_encode_set_packet_in_format(uint32_t format, uint8_t version,
                                    uint32_t xid, struct ofpbuf *b);

/* Decodes NXT_SET_CONTROLLER_ID. */
enum ofperr nx_decode_set_controller_id(const uint8_t *msg, size_t len,
                                        uint16_t *controller_id);

#endif
