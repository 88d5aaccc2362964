/* ofp-monitor.h: flow monitor messages in every form the switch speaks:
 * the Nicira NXST_FLOW_MONITOR of OpenFlow 1.0 (through ofp-nicira.h) and
 * the standard OFPMP_FLOW_MONITOR multipart of OpenFlow 1.4 and 1.5
 * (ofp_flow_monitor_request, ofp_flow_update_full/abbrev), behind one
 * version-independent request and update structure.
 *
 * Flags are kept as NXFMF_* bits; the OpenFlow 1.4 bits map to them as
 * Open vSwitch 3.1 does: INITIAL, ADD, REMOVED (-> DELETE), MODIFY,
 * INSTRUCTIONS (-> ACTIONS), NO_ABBREV and ONLY_OWN (-> OWN: the
 * requester's own changes in full; ovs-ofctl sets ONLY_OWN for "own" and
 * still expects other connections' changes).
 *
 * Thread-safety: reentrant. */
#ifndef OVSNFV_OFP_MONITOR_H
#define OVSNFV_OFP_MONITOR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-actions.h"
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-match.h"

struct ofpmp_reply;

/* OpenFlow 1.4 monitor commands. */
enum ofp_flow_monitor_command {
    OFPFMC_ADD = 0,
    OFPFMC_MODIFY = 1,
    OFPFMC_DELETE = 2,
};

struct ofp_flow_monitor_request {
    uint32_t id;
    uint16_t flags;             /* NXFMF_*. */
    uint8_t command;            /* OFPFMC_*; always ADD for Nicira. */
    uint32_t out_port;          /* OFPP_ANY for any. */
    uint32_t out_group;         /* OFPG_ANY for any (always for Nicira). */
    uint8_t table_id;           /* 0xff for all. */
    struct ofmatch match;
};

/* Iterates the monitor requests of an NXST_FLOW_MONITOR (OpenFlow 1.0) or
 * OFPMP_FLOW_MONITOR (1.4+) request 'msg': '*pos' = 0 first; returns 0 and
 * fills 'rq', EOF after the last one, or an error: truncated ->
 * OFPBRC_BAD_LEN; undefined flag bits -> OFPMOFC_BAD_FLAGS; unknown
 * command -> OFPMOFC_BAD_COMMAND; match errors of the match decoders. */
int ofp_decode_flow_monitor_request(const uint8_t *msg, size_t len,
                                    size_t *pos,
                                    struct ofp_flow_monitor_request *rq);

/* Encodes a request with the one monitor 'rq' in 'version' (1: Nicira,
 * 5 or 6: standard). */
void ofp_encode_flow_monitor_request(const struct ofp_flow_monitor_request *,
                                     uint8_t version, uint32_t xid,
                                     struct ofpbuf *b);

/* Encodes the notice that updates to a connection are paused ('paused')
 * or resumed: NXT_FLOW_MONITOR_PAUSED/RESUMED in OpenFlow 1.0, a flow
 * monitor reply with one OFPFME_PAUSED/RESUMED update in 1.4+. */
void ofp_encode_flow_monitor_paused(bool paused, uint8_t version,
                                    struct ofpbuf *b);

/* The reply type for 'version': NXST_FLOW_MONITOR reply for OpenFlow 1.0,
 * OFPST_FLOW_MONITOR reply for 1.4+. */
enum ofptype ofp_flow_monitor_reply_type(uint8_t version);

enum ofp_flow_update_event {
    OFP_FLOW_UPDATE_INITIAL,    /* In the reply to the request. */
    OFP_FLOW_UPDATE_ADDED,
    OFP_FLOW_UPDATE_DELETED,
    OFP_FLOW_UPDATE_MODIFIED,
    OFP_FLOW_UPDATE_ABBREV,     /* The requester's own change, abridged. */
};

struct ofp_flow_update {
    enum ofp_flow_update_event event;
    /* All but ABBREV: */
    uint8_t reason;             /* OFPRR_* for deletions, else 0. */
    uint8_t table_id;
    uint16_t priority;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint64_t cookie;
    const struct ofmatch *match;
    const struct ofinsts *insts;    /* NULL: left out (no NXFMF_ACTIONS). */
    /* ABBREV: */
    uint32_t xid;
};

/* Appends 'u' to a flow monitor reply 'r' (started with the type of
 * ofp_flow_monitor_reply_type(r->version)).  OpenFlow 1.0 carries the
 * apply-actions only (Nicira events: INITIAL is sent as ADDED). */
void ofp_append_flow_update(struct ofpmp_reply *r,
                            const struct ofp_flow_update *u);

#endif
