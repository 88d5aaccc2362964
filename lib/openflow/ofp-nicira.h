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
#include "openflow/ofp-actions.h"
#include "openflow/ofp-match.h"
#include "openflow/ofp-msgs.h"

struct ofpmp_reply;

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
    NXT_FLOW_MONITOR_CANCEL = 21,
    NXT_FLOW_MONITOR_PAUSED = 22,
    NXT_FLOW_MONITOR_RESUMED = 23,
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
/* Encodes NXT_SET_FLOW_FORMAT (OpenFlow 1.0). */
void nx_encode_set_flow_format(uint32_t format, uint32_t xid,
                               struct ofpbuf *b);

/* Decodes NXT_FLOW_MOD_TABLE_ID (enable 0/1; other -> OFPBRC_EPERM). */
enum ofperr nx_decode_flow_mod_table_id(const uint8_t *msg, size_t len,
                                        bool *enable);
/* Encodes NXT_FLOW_MOD_TABLE_ID (OpenFlow 1.0). */
void nx_encode_flow_mod_table_id(bool enable, uint32_t xid, struct ofpbuf *b);

/* Decodes NXT_SET_PACKET_IN_FORMAT (0 standard, 1 NXT_PACKET_IN, 2
 * NXT_PACKET_IN2; other -> OFPBRC_EPERM). */
enum ofperr nx_decode_set_packet_in_format(const uint8_t *msg, size_t len,
                                           uint32_t *format);
/* Encodes NXT_SET_PACKET_IN_FORMAT. */
void nx_encode_set_packet_in_format(uint32_t format, uint8_t version,
                                    uint32_t xid, struct ofpbuf *b);

/* Decodes NXT_SET_CONTROLLER_ID. */
enum ofperr nx_decode_set_controller_id(const uint8_t *msg, size_t len,
                                        uint16_t *controller_id);

/* ---- Flow monitors (ovs-ofctl monitor ... watch:) -------------------- */

enum nx_flow_monitor_flags {
    NXFMF_INITIAL = 1 << 0,     /* Report the flows that match now. */
    NXFMF_ADD = 1 << 1,         /* Report additions. */
    NXFMF_DELETE = 1 << 2,      /* Report deletions. */
    NXFMF_MODIFY = 1 << 3,      /* Report modifications. */
    NXFMF_ACTIONS = 1 << 4,     /* Include the actions. */
    NXFMF_OWN = 1 << 5,         /* Include the controller's own changes. */
};

/* One request of an NXST_FLOW_MONITOR request (which may hold several). */
struct nx_flow_monitor_request {
    uint32_t id;
    uint16_t flags;             /* NXFMF_*. */
    uint32_t out_port;          /* OFPP_ANY for any. */
    uint8_t table_id;           /* 0xff for all. */
    struct ofmatch match;
};

/* Iterates the requests in an NXST_FLOW_MONITOR request: '*pos' = 0 first;
 * returns 0 and fills 'rq', EOF at the end, or an error: truncated ->
 * OFPBRC_BAD_LEN; unknown flag bits -> OFPMOFC_BAD_FLAGS; nonzero pad ->
 * NXBRC_MUST_BE_ZERO; match errors as in ofmatch_decode_nxm(). */
int nx_decode_flow_monitor_request(const uint8_t *msg, size_t len,
                                   size_t *pos,
                                   struct nx_flow_monitor_request *rq);
/* Starts an NXST_FLOW_MONITOR request in 'b' and appends one request. */
void nx_encode_flow_monitor_request(const struct nx_flow_monitor_request *rq,
                                    uint32_t xid, struct ofpbuf *b);

enum nx_flow_update_event {
    NXFME_ADDED = 0,
    NXFME_DELETED = 1,
    NXFME_MODIFIED = 2,
    NXFME_ABBREV = 3,           /* The controller's own change, abridged. */
};

/* One flow update, sent in NXST_FLOW_MONITOR replies. */
struct nx_flow_update {
    uint16_t event;             /* NXFME_*. */
    /* NXFME_ADDED/DELETED/MODIFIED: */
    uint16_t reason;            /* OFPRR_* for deletions, else 0. */
    uint16_t priority;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint8_t table_id;
    uint64_t cookie;
    struct ofmatch match;
    const struct ofacts *actions;   /* NULL: no actions (no NXFMF_ACTIONS). */
    /* NXFME_ABBREV: */
    uint32_t xid;
};

/* Appends 'u' to an NXST_FLOW_MONITOR reply being built. */
void nx_append_flow_update(struct ofpmp_reply *r,
                           const struct nx_flow_update *u);
/* Encodes NXT_FLOW_MONITOR_PAUSED or _RESUMED ('paused' selects). */
void nx_encode_flow_monitor_paused(bool paused, uint32_t xid,
                                   struct ofpbuf *b);
/* Decodes NXT_FLOW_MONITOR_CANCEL. */
enum ofperr nx_decode_flow_monitor_cancel(const uint8_t *msg, size_t len,
                                          uint32_t *id);

#endif
