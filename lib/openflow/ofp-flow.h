/* ofp-flow.h: flow-mod, flow-removed, packet-in, packet-out and the flow and
 * aggregate statistics multiparts, in OpenFlow 1.0, 1.3, 1.4 and 1.5 and in
 * their Nicira forms (NXT_FLOW_MOD, NXT_PACKET_IN, NXST_FLOW, NXST_AGGREGATE),
 * all decoded into the same structures.
 *
 * See ofp-msgs.h for the conventions (ownership, errors, versions).
 * Thread-safety: reentrant; objects belong to one thread. */
#ifndef OVSNFV_OFP_FLOW_H
#define OVSNFV_OFP_FLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-actions.h"
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-match.h"
#include "openflow/ofp-msgs.h"

#define OFP_NO_BUFFER 0xffffffffu

/* ---- Flow-mod --------------------------------------------------------- */

enum ofp_flow_mod_command {
    OFPFC_ADD = 0,
    OFPFC_MODIFY = 1,
    OFPFC_MODIFY_STRICT = 2,
    OFPFC_DELETE = 3,
    OFPFC_DELETE_STRICT = 4,
};

/* Version-independent flow-mod flags (wire bit positions differ between
 * OpenFlow 1.0 and 1.3+; the codec converts). */
enum ofp_flow_mod_flags {
    OFPFF_SEND_FLOW_REM = 1 << 0,
    OFPFF_CHECK_OVERLAP = 1 << 1,
    OFPFF_EMERG = 1 << 2,           /* OF1.0 only. */
    OFPFF_RESET_COUNTS = 1 << 3,    /* OF1.3+ (NX: mod_flow ignores). */
    OFPFF_NO_PKT_COUNTS = 1 << 4,   /* OF1.3+. */
    OFPFF_NO_BYT_COUNTS = 1 << 5,   /* OF1.3+. */
};

struct ofp_flow_mod {
    struct ofmatch match;
    uint64_t cookie;
    uint64_t cookie_mask;       /* OF1.3+ (and NX); 0 for OF1.0. */
    /* OpenFlow 1.0 and NX modify: the cookie the modified rules take (the
     * header's cookie; NX: unless it is all-ones), as Open vSwitch does.
     * OF1.1+ modifies keep the cookies. */
    bool set_cookie;
    uint64_t new_cookie;
    uint8_t table_id;           /* OF1.0: 0, or the NX table id when the
                                 * NXT_FLOW_MOD_TABLE_ID extension is on
                                 * (see ofp_decode_flow_mod()). */
    uint8_t command;            /* OFPFC_*. */
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t priority;
    uint32_t buffer_id;
    uint32_t out_port;          /* OFPP_ANY if unused. */
    uint32_t out_group;         /* OFPG_ANY if unused. */
    uint16_t flags;             /* OFPFF_*. */
    uint16_t importance;        /* OF1.4+. */
    struct ofinsts insts;       /* Owned: free with ofp_flow_mod_uninit(). */
};

/* Initializes 'fm': empty match and instructions, priority 0x8000,
 * no buffer, out_port OFPP_ANY, out_group OFPG_ANY. */
void ofp_flow_mod_init(struct ofp_flow_mod *fm);
/* Frees what 'fm' owns (its instructions). */
void ofp_flow_mod_uninit(struct ofp_flow_mod *fm);

/* Decodes OFPT_FLOW_MOD of any supported version or NXT_FLOW_MOD.
 * 'of10_table_id_ext' says whether NXT_FLOW_MOD_TABLE_ID is enabled on the
 * connection (then the high byte of the OpenFlow 1.0/NX command is the table
 * id).  Errors: unknown command -> OFPFMFC_BAD_COMMAND; table 0xff on add ->
 * OFPFMFC_BAD_TABLE_ID; unknown flags -> OFPFMFC_BAD_FLAGS; match, action and
 * instruction errors as in ofp-match.h/ofp-actions.h. */
enum ofperr ofp_decode_flow_mod(const uint8_t *msg, size_t len,
                                bool of10_table_id_ext,
                                struct ofp_flow_mod *fm);
/* Encodes 'fm' as OFPT_FLOW_MOD of 'version' (or, with 'nx', as
 * NXT_FLOW_MOD with an NXM match and OpenFlow 1.0 actions, in any version).  Returns 0 or an error if 'fm' cannot be
 * expressed in that form. */
enum ofperr ofp_encode_flow_mod(const struct ofp_flow_mod *fm,
                                uint8_t version, bool nx, uint32_t xid,
                                struct ofpbuf *b);

/* ---- Flow-removed ------------------------------------------------------ */

enum ofp_flow_removed_reason {
    OFPRR_IDLE_TIMEOUT = 0,
    OFPRR_HARD_TIMEOUT = 1,
    OFPRR_DELETE = 2,
    OFPRR_GROUP_DELETE = 3,     /* OF1.3+. */
    OFPRR_METER_DELETE = 4,     /* OF1.4+. */
    OFPRR_EVICTION = 5,         /* OF1.4+. */
};

struct ofp_flow_removed {
    struct ofmatch match;
    uint64_t cookie;
    uint16_t priority;
    uint8_t reason;
    uint8_t table_id;
    uint32_t duration_sec;
    uint32_t duration_nsec;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint64_t packet_count;
    uint64_t byte_count;
};

/* 'nx' selects NXT_FLOW_REMOVED (connections in NXM flow format). */
enum ofperr ofp_encode_flow_removed(const struct ofp_flow_removed *fr,
                                    uint8_t version, bool nx,
                                    struct ofpbuf *b);
/* Decodes OFPT_FLOW_REMOVED of any version or NXT_FLOW_REMOVED into 'fr'.
 * Errors: bad length -> OFPBRC_BAD_LEN; match errors. */
enum ofperr ofp_decode_flow_removed(const uint8_t *msg, size_t len,
                                    struct ofp_flow_removed *fr);

/* ---- Packet-in -------------------------------------------------------- */

enum ofp_packet_in_reason {
    OFPR_NO_MATCH = 0,          /* OF1.5: OFPR_TABLE_MISS. */
    OFPR_ACTION = 1,            /* OF1.5: OFPR_APPLY_ACTION. */
    OFPR_INVALID_TTL = 2,
    OFPR_ACTION_SET = 3,        /* OF1.4+. */
    OFPR_GROUP = 4,             /* OF1.4+. */
    OFPR_PACKET_OUT = 5,        /* OF1.4+. */
};

/* Packet-in formats a connection may select (NXT_SET_PACKET_IN_FORMAT). */
enum nx_packet_in_format {
    NXPIF_STANDARD = 0,         /* OFPT_PACKET_IN of the version. */
    NXPIF_NXT_PACKET_IN = 1,    /* NXT_PACKET_IN (NXM match). */
    NXPIF_NXT_PACKET_IN2 = 2,   /* NXT_PACKET_IN2 (properties). */
};

struct ofp_packet_in {
    uint32_t buffer_id;
    uint16_t total_len;
    uint8_t reason;
    uint8_t table_id;
    uint64_t cookie;
    /* Pipeline fields: in OF1.3+ the whole match (IN_PORT at least); for
     * OF1.0 only IN_PORT is used, as 'in_port'. */
    struct ofmatch match;
    const uint8_t *data;        /* Points into the caller's packet (encode)
                                 * or into 'msg' (decode). */
    size_t data_len;
};

/* Encodes a packet-in in 'format' for 'version'. */
enum ofperr ofp_encode_packet_in(const struct ofp_packet_in *pi,
                                 uint8_t version,
                                 enum nx_packet_in_format format,
                                 struct ofpbuf *b);
/* Decodes OFPT_PACKET_IN of any version, NXT_PACKET_IN or NXT_PACKET_IN2. */
enum ofperr ofp_decode_packet_in(const uint8_t *msg, size_t len,
                                 struct ofp_packet_in *pi);

/* ---- Packet-out ------------------------------------------------------- */

struct ofp_packet_out {
    uint32_t buffer_id;
    uint32_t in_port;           /* OF1.0-1.4 in_port; OF1.5: IN_PORT of
                                 * 'match' (OFPP_CONTROLLER if absent). */
    struct ofmatch match;       /* OF1.5 pipeline fields; IN_PORT also set
                                 * for older versions. */
    struct ofacts actions;      /* Owned. */
    const uint8_t *data;        /* Points into 'msg' (decode) or caller. */
    size_t data_len;
};

/* Initializes 'po': no buffer, in_port OFPP_CONTROLLER, no actions. */
void ofp_packet_out_init(struct ofp_packet_out *po);
/* Frees the actions of 'po'. */
void ofp_packet_out_uninit(struct ofp_packet_out *po);
/* Errors: in_port above OFPP_MAX other than CONTROLLER/LOCAL ->
 * OFPBRC_BAD_PORT; buffer_id != NO_BUFFER with data present is accepted and
 * the data ignored; action errors as in ofacts_decode(). */
enum ofperr ofp_decode_packet_out(const uint8_t *msg, size_t len,
                                  struct ofp_packet_out *po);
/* Encodes 'po' as OFPT_PACKET_OUT of 'version' (OF1.5: match with
 * IN_PORT).  Returns 0 or the action encoding error. */
enum ofperr ofp_encode_packet_out(const struct ofp_packet_out *po,
                                  uint8_t version, uint32_t xid,
                                  struct ofpbuf *b);

/* ---- Flow and aggregate statistics ------------------------------------ */

/* Request for OFPMP_FLOW / OFPMP_AGGREGATE / NXST_FLOW / NXST_AGGREGATE. */
struct ofp_flow_stats_request {
    bool aggregate;
    struct ofmatch match;
    uint8_t table_id;           /* OFPTT_ALL for all. */
    uint32_t out_port;          /* OFPP_ANY for any. */
    uint32_t out_group;         /* OFPG_ANY for any. */
    uint64_t cookie;
    uint64_t cookie_mask;
};

/* Decodes a flow or aggregate stats request (standard of any version, or
 * NXST_FLOW/NXST_AGGREGATE with NXM match and cookie) into 'r'. */
enum ofperr ofp_decode_flow_stats_request(const uint8_t *msg, size_t len,
                                          struct ofp_flow_stats_request *r);
/* 'nx' in OpenFlow 1.0 selects NXST_FLOW / NXST_AGGREGATE. */
enum ofperr ofp_encode_flow_stats_request(
    const struct ofp_flow_stats_request *r, uint8_t version, bool nx,
    uint32_t xid, struct ofpbuf *b);

/* One flow in a flow stats reply. */
struct ofp_flow_stats {
    struct ofmatch match;
    uint8_t table_id;
    uint32_t duration_sec;
    uint32_t duration_nsec;
    uint16_t priority;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t flags;             /* OFPFF_* (OF1.3+). */
    uint16_t importance;        /* OF1.4+. */
    uint16_t idle_age;          /* NXST_FLOW and OF1.5 (OXS idle_time):
                                 * seconds since last hit, 0xffff =
                                 * unknown. */
    uint16_t hard_age;          /* NXST_FLOW only. */
    uint64_t cookie;
    uint64_t packet_count;
    uint64_t byte_count;
    struct ofinsts insts;       /* Owned. */
};

/* Initializes 'fs' empty (ages unknown). */
void ofp_flow_stats_init(struct ofp_flow_stats *fs);
/* Frees the instructions of 'fs'. */
void ofp_flow_stats_uninit(struct ofp_flow_stats *fs);

/* Appends one flow entry body to a flow stats reply being built with
 * ofpmp_reply_*() (see ofp-multipart.h); the reply type decides the form
 * (OFPST_FLOW of the version, or NXST_FLOW). */
struct ofpmp_reply;
/* Returns 0, or an error if the flow cannot be expressed in the reply's
 * version (it is then left out). */
enum ofperr ofp_append_flow_stats(struct ofpmp_reply *reply,
                                  const struct ofp_flow_stats *fs);
/* Iterates the entries of a flow stats reply message: call with '*pos' = 0
 * first; returns 0 and fills 'fs' (initialize it first; it is reset each
 * call), EOF when done, or an error. */
int ofp_decode_flow_stats_entry(const uint8_t *msg, size_t len,
                                size_t *pos, struct ofp_flow_stats *fs);

struct ofp_aggregate_stats {
    uint64_t packet_count;
    uint64_t byte_count;
    uint32_t flow_count;
};

/* 'nx' in OF1.0 selects NXST_AGGREGATE reply. */
bool ofp_encode_aggregate_reply(const struct ofp_aggregate_stats *as,
                                uint8_t version, bool nx, uint32_t xid,
                                struct ofpbuf *b);
/* Decodes an aggregate reply (standard or NXST_AGGREGATE) into 'as'. */
enum ofperr ofp_decode_aggregate_reply(const uint8_t *msg, size_t len,
                                       struct ofp_aggregate_stats *as);

#endif
