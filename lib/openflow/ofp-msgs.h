/* ofp-msgs.h: OpenFlow message framing, message-type identification and the
 * simple (fixed-layout) messages: hello, error, echo, features, switch
 * config, barrier, role, async config, table-mod, bundle control/add.
 *
 * Conventions for the whole of lib/openflow:
 *  - A received message is a byte array 'msg' of 'len' bytes holding exactly
 *    one message (header length == len; see ofpmsg_frame_length() to cut a
 *    stream into messages).  Decoders never read outside it.
 *  - Decoders return 0 or the 'enum ofperr' the switch must answer with.
 *    Decoded structs may point into 'msg' (documented per field): keep 'msg'
 *    alive while using them.  Structs that own memory have an _uninit().
 *  - Encoders write one complete message into an 'struct ofpbuf' that they
 *    clear first, so b->data/b->size is ready to send.
 *  - Versions are wire bytes: OFP10_VERSION (0x01), OFP13_VERSION (0x04),
 *    OFP14_VERSION (0x05), OFP15_VERSION (0x06).  1.1 and 1.2 are not
 *    supported and are refused at hello negotiation.
 *
 * Thread-safety: all functions are reentrant; objects belong to one thread. */
#ifndef OVSNFV_OFP_MSGS_H
#define OVSNFV_OFP_MSGS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-match.h"

#define OFP_HEADER_LEN 8
#define OFP_MAX_MSG_LEN 65535
#define NX_VENDOR_ID 0x00002320u        /* Nicira. */
#define ONF_VENDOR_ID 0x4f4e4600u

/* Version bitmap bits: bit N set means wire version N is supported. */
#define OFP_SUPPORTED_VERSIONS ((1u << OFP10_VERSION) | (1u << OFP13_VERSION) \
                                | (1u << OFP14_VERSION) | (1u << OFP15_VERSION))

/* Every message the codec recognizes, independent of version. */
enum ofptype {
    OFPTYPE_HELLO,
    OFPTYPE_ERROR,
    OFPTYPE_ECHO_REQUEST,
    OFPTYPE_ECHO_REPLY,
    OFPTYPE_FEATURES_REQUEST,
    OFPTYPE_FEATURES_REPLY,
    OFPTYPE_GET_CONFIG_REQUEST,
    OFPTYPE_GET_CONFIG_REPLY,
    OFPTYPE_SET_CONFIG,
    OFPTYPE_PACKET_IN,
    OFPTYPE_FLOW_REMOVED,
    OFPTYPE_PORT_STATUS,
    OFPTYPE_PACKET_OUT,
    OFPTYPE_FLOW_MOD,
    OFPTYPE_GROUP_MOD,
    OFPTYPE_PORT_MOD,
    OFPTYPE_TABLE_MOD,
    OFPTYPE_BARRIER_REQUEST,
    OFPTYPE_BARRIER_REPLY,
    OFPTYPE_ROLE_REQUEST,
    OFPTYPE_ROLE_REPLY,
    OFPTYPE_GET_ASYNC_REQUEST,
    OFPTYPE_GET_ASYNC_REPLY,
    OFPTYPE_SET_ASYNC,
    OFPTYPE_METER_MOD,
    OFPTYPE_ROLE_STATUS,
    OFPTYPE_BUNDLE_CONTROL,
    OFPTYPE_BUNDLE_ADD_MESSAGE,
    /* Multipart (OF1.0: stats) requests and replies. */
    OFPTYPE_DESC_REQUEST,
    OFPTYPE_DESC_REPLY,
    OFPTYPE_FLOW_STATS_REQUEST,
    OFPTYPE_FLOW_STATS_REPLY,
    OFPTYPE_AGGREGATE_REQUEST,
    OFPTYPE_AGGREGATE_REPLY,
    OFPTYPE_TABLE_STATS_REQUEST,
    OFPTYPE_TABLE_STATS_REPLY,
    OFPTYPE_PORT_STATS_REQUEST,
    OFPTYPE_PORT_STATS_REPLY,
    OFPTYPE_QUEUE_STATS_REQUEST,
    OFPTYPE_QUEUE_STATS_REPLY,
    OFPTYPE_GROUP_STATS_REQUEST,
    OFPTYPE_GROUP_STATS_REPLY,
    OFPTYPE_GROUP_DESC_REQUEST,
    OFPTYPE_GROUP_DESC_REPLY,
    OFPTYPE_GROUP_FEATURES_REQUEST,
    OFPTYPE_GROUP_FEATURES_REPLY,
    OFPTYPE_METER_STATS_REQUEST,
    OFPTYPE_METER_STATS_REPLY,
    OFPTYPE_METER_CONFIG_REQUEST,
    OFPTYPE_METER_CONFIG_REPLY,
    OFPTYPE_METER_FEATURES_REQUEST,
    OFPTYPE_METER_FEATURES_REPLY,
    OFPTYPE_TABLE_FEATURES_REQUEST,
    OFPTYPE_TABLE_FEATURES_REPLY,
    OFPTYPE_PORT_DESC_REQUEST,
    OFPTYPE_PORT_DESC_REPLY,
    OFPTYPE_FLOW_MONITOR_REQUEST,       /* OF1.4+. */
    OFPTYPE_FLOW_MONITOR_REPLY,
    /* Nicira extensions (vendor 0x2320). */
    OFPTYPE_NXT_ROLE_REQUEST,
    OFPTYPE_NXT_ROLE_REPLY,
    OFPTYPE_NXT_SET_FLOW_FORMAT,
    OFPTYPE_NXT_FLOW_MOD,
    OFPTYPE_NXT_FLOW_REMOVED,
    OFPTYPE_NXT_FLOW_MOD_TABLE_ID,
    OFPTYPE_NXT_SET_PACKET_IN_FORMAT,
    OFPTYPE_NXT_PACKET_IN,
    OFPTYPE_NXT_SET_CONTROLLER_ID,
    OFPTYPE_NXT_PACKET_IN2,
    OFPTYPE_NXST_FLOW_REQUEST,
    OFPTYPE_NXST_FLOW_REPLY,
    OFPTYPE_NXST_AGGREGATE_REQUEST,
    OFPTYPE_NXST_AGGREGATE_REPLY,
    OFPTYPE_NXST_FLOW_MONITOR_REQUEST,
    OFPTYPE_NXST_FLOW_MONITOR_REPLY,
    OFPTYPE_NXT_FLOW_MONITOR_CANCEL,
    OFPTYPE_NXT_FLOW_MONITOR_PAUSED,
    OFPTYPE_NXT_FLOW_MONITOR_RESUMED,
    OFPTYPE_N_TYPES
};

/* The fixed header every message starts with. */
struct ofp_msg_header {
    uint8_t version;
    uint8_t type;               /* Raw OFPT_* of that version. */
    uint16_t length;
    uint32_t xid;
};

/* Returns the length of the message at the front of 'p' (the header's length
 * field) once 'avail' >= 8, or 0 if fewer than 8 bytes are there yet.  A
 * length < 8 is returned as is: the caller must treat it as a fatal framing
 * error (OFPBRC_BAD_LEN) and drop the connection. */
size_t ofpmsg_frame_length(const uint8_t *p, size_t avail);

/* Parses the header of 'msg' into 'h'.  Errors: len < 8 or header length !=
 * len -> OFPBRC_BAD_LEN. */
enum ofperr ofpmsg_decode_header(const uint8_t *msg, size_t len,
                                 struct ofp_msg_header *h);

/* Identifies 'msg'.  Checks the header, the version (a version the codec does
 * not speak -> OFPBRC_BAD_VERSION; hello and error are recognized in any
 * version), the type (OFPBRC_BAD_TYPE), the multipart type
 * (OFPBRC_BAD_MULTIPART), the experimenter id (OFPBRC_BAD_EXPERIMENTER), the
 * experimenter subtype (OFPBRC_BAD_EXP_TYPE) and the minimum length of the
 * fixed part (OFPBRC_BAD_LEN). */
enum ofperr ofptype_decode(const uint8_t *msg, size_t len,
                           enum ofptype *type);

/* Name of a type, e.g. "OFPT_FLOW_MOD", "OFPST_FLOW request",
 * "NXT_SET_FLOW_FORMAT". */
const char *ofptype_name(enum ofptype type);

/* True if 'type' exists in 'version'. */
bool ofptype_in_version(enum ofptype type, uint8_t version);

/* Starts a message of 'type' in 'b' (cleared first): header and, for
 * multipart messages, the multipart header (flags 0), for Nicira messages the
 * vendor header and subtype.  Returns false (with 'b' empty) if 'type' does
 * not exist in 'version'.  Finish with ofpmsg_finish(). */
bool ofpmsg_start(struct ofpbuf *b, enum ofptype type, uint8_t version,
                  uint32_t xid);
/* Writes the final length into the header of the message in 'b'. */
void ofpmsg_finish(struct ofpbuf *b);
/* Offset of the body (after header and multipart/vendor headers) of a
 * message of 'type' in 'version'. */
size_t ofpmsg_body_offset(enum ofptype type, uint8_t version);

/* Multipart flags. */
#define OFPMPF_MORE 0x0001      /* Request/reply: more parts follow. */

/* Returns the multipart flags of a multipart 'msg' (already identified) and
 * sets '*body'/'*body_len' to its body. */
uint16_t ofpmsg_multipart_flags(const uint8_t *msg, size_t len,
                                const uint8_t **body, size_t *body_len);
/* Identifies multipart message 'msg' into '*type' and finds its body (see
 * ofpmsg_multipart_flags()).  Returns 0 or the error of ofptype_decode(). */
enum ofperr ofpmsg_decode_multipart(const uint8_t *msg, size_t len,
                                    enum ofptype *type,
                                    const uint8_t **body, size_t *body_len);
/* For the iterators over the entries of a multipart message (the
 * ofp_decode_*_entry() functions): points '*entry' at offset 'pos' of the
 * body of 'msg' and sets '*left' to the bytes from there to the end.
 * Returns false if 'pos' is at (or past) the end. */
bool ofpmsg_multipart_entry(const uint8_t *msg, size_t len, size_t pos,
                            const uint8_t **entry, size_t *left);
/* Reads the 16-bit length that starts a variable-length multipart entry of
 * which 'left' bytes are available into '*elen'.  Returns OFPBRC_BAD_LEN
 * unless 'min' <= length <= 'left' and the length is a multiple of
 * 'align'. */
enum ofperr ofpmsg_entry_length(const uint8_t *entry, size_t left,
                                size_t min, size_t align, size_t *elen);

/* ---- Hello ---------------------------------------------------------- */

/* Decodes a hello (any version) into '*versions', a bitmap of offered
 * versions: the version bitmap element if present, else all versions up to
 * the header version.  Unknown hello elements are skipped; a
 * truncated element gives OFPBRC_BAD_LEN. */
enum ofperr ofp_decode_hello(const uint8_t *msg, size_t len,
                             uint32_t *versions);
/* Encodes a hello for the highest version in 'versions' with a version
 * bitmap element (omitted if 'versions' only has OF1.0). */
void ofp_encode_hello(uint32_t versions, uint32_t xid, struct ofpbuf *b);
/* Picks the version to speak: the highest in both bitmaps.  Returns 0 and
 * sets '*version', or OFPHFC_INCOMPATIBLE if there is none. */
enum ofperr ofp_negotiate_version(uint32_t ours, uint32_t theirs,
                                  uint8_t *version);

/* ---- Error ---------------------------------------------------------- */

struct ofp_error_msg {
    enum ofperr error;          /* 0 if (type, code) is not known. */
    uint16_t type, code;        /* As received. */
    uint32_t experimenter;      /* For OFPET_EXPERIMENTER/NXET_VENDOR. */
    const uint8_t *data;        /* Points into the message. */
    size_t data_len;
};

/* Decodes an error message into 'e' (NXET_VENDOR and OFPET_EXPERIMENTER
 * forms unwrapped). */
enum ofperr ofp_decode_error(const uint8_t *msg, size_t len,
                             struct ofp_error_msg *e);
/* Encodes an error reply to the request 'request' ('request_len' bytes; up
 * to 64 bytes of it are echoed as data, as the spec asks), in 'version'
 * with the request's xid.  An error with no encoding in 'version' is sent as
 * ofperr_fallback(). */
void ofp_encode_error(enum ofperr error, uint8_t version,
                      const uint8_t *request, size_t request_len,
                      struct ofpbuf *b);
/* Same for a hello failure, with an ASCII explanation as data. */
void ofp_encode_hello_error(enum ofperr error, uint8_t version, uint32_t xid,
                            const char *explanation, struct ofpbuf *b);

/* ---- Echo, barrier, features/config requests -------------------------- */

/* Encodes an echo reply to the echo request 'msg' (same version, xid and
 * payload). */
void ofp_encode_echo_reply(const uint8_t *msg, size_t len, struct ofpbuf *b);
/* Encodes a bodyless message (echo request, barrier request/reply, features
 * request, get-config request, get-async request...). */
bool ofp_encode_empty(enum ofptype type, uint8_t version, uint32_t xid,
                      struct ofpbuf *b);

/* ---- Features reply --------------------------------------------------- */

enum ofp_capabilities {
    OFPC_FLOW_STATS = 1 << 0,
    OFPC_TABLE_STATS = 1 << 1,
    OFPC_PORT_STATS = 1 << 2,
    OFPC_GROUP_STATS = 1 << 3,  /* OF1.1+; OF1.0: OFPC_STP. */
    OFPC_IP_REASM = 1 << 5,
    OFPC_QUEUE_STATS = 1 << 6,
    OFPC_ARP_MATCH_IP = 1 << 7, /* OF1.0 only. */
    OFPC_PORT_BLOCKED = 1 << 8, /* OF1.3+. */
};

struct ofp_port;

struct ofp_features {
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint8_t auxiliary_id;       /* OF1.3+. */
    uint32_t capabilities;      /* OFPC_*. */
    uint32_t actions;           /* OF1.0 supported-actions bitmap. */
    /* OF1.0 only (1.3+ sends ports in port-desc): decoded ports. */
    struct ofp_port *ports;
    size_t n_ports;
};

/* Encodes a features reply; 'f->ports' is used only for OF1.0. */
void ofp_encode_features_reply(const struct ofp_features *f, uint8_t version,
                               uint32_t xid, struct ofpbuf *b);
/* Decodes a features reply; allocates f->ports (free with
 * ofp_features_uninit()). */
enum ofperr ofp_decode_features_reply(const uint8_t *msg, size_t len,
                                      struct ofp_features *f);
/* Frees the ports of 'f'. */
void ofp_features_uninit(struct ofp_features *f);

/* ---- Switch config ---------------------------------------------------- */

enum ofp_config_flags {
    OFPC_FRAG_NORMAL = 0,
    OFPC_FRAG_DROP = 1,
    OFPC_FRAG_REASM = 2,
    OFPC_FRAG_MASK = 3,
    OFPC_INVALID_TTL_TO_CONTROLLER = 1 << 2,    /* OF1.1-1.2 only. */
};

struct ofp_switch_config {
    uint16_t flags;
    uint16_t miss_send_len;
};

/* Decodes set-config or get-config reply.  Unknown flag bits ->
 * OFPSCFC_BAD_FLAGS; bad length -> OFPBRC_BAD_LEN. */
enum ofperr ofp_decode_switch_config(const uint8_t *msg, size_t len,
                                     struct ofp_switch_config *c);
/* 'type' is OFPTYPE_SET_CONFIG or OFPTYPE_GET_CONFIG_REPLY. */
void ofp_encode_switch_config(enum ofptype type,
                              const struct ofp_switch_config *c,
                              uint8_t version, uint32_t xid, struct ofpbuf *b);

/* ---- Role ------------------------------------------------------------- */

enum ofp_role {
    OFPCR_ROLE_NOCHANGE = 0,
    OFPCR_ROLE_EQUAL = 1,
    OFPCR_ROLE_MASTER = 2,
    OFPCR_ROLE_SLAVE = 3,
};

struct ofp_role_msg {
    enum ofp_role role;
    bool have_generation_id;    /* False for NXT_ROLE_* (no generation). */
    uint64_t generation_id;
};

/* Decodes OFPT_ROLE_REQUEST/REPLY (1.2+) or NXT_ROLE_REQUEST/REPLY (Nicira,
 * roles other=0/master=1/slave=2 mapped to EQUAL/MASTER/SLAVE).  Unknown role
 * -> OFPRRFC_BAD_ROLE. */
enum ofperr ofp_decode_role(const uint8_t *msg, size_t len,
                            struct ofp_role_msg *r);
/* Encodes a role request or reply ('type' is OFPTYPE_ROLE_REQUEST/REPLY or
 * OFPTYPE_NXT_ROLE_REQUEST/REPLY). */
bool ofp_encode_role(enum ofptype type, const struct ofp_role_msg *r,
                     uint8_t version, uint32_t xid, struct ofpbuf *b);

/* ---- Async config ----------------------------------------------------- */

/* Bit masks per message kind: [0] = master/equal role, [1] = slave role. */
struct ofp_async_config {
    uint32_t packet_in_mask[2];     /* Bits: 1 << OFPR_* reason. */
    uint32_t port_status_mask[2];   /* Bits: 1 << OFPPR_* reason. */
    uint32_t flow_removed_mask[2];  /* Bits: 1 << OFPRR_* reason. */
    uint32_t role_status_mask[2];   /* OF1.4+. */
    uint32_t table_status_mask[2];  /* OF1.4+. */
    uint32_t requestforward_mask[2];/* OF1.4+. */
    uint32_t present;               /* OF1.4+: which masks were given,
                                     * bit 2*k + role for the k-th field
                                     * above (k = 0..5). */
};

/* Decodes OFPT_SET_ASYNC / OFPT_GET_ASYNC_REPLY: OF1.3 fixed masks (all
 * present) or OF1.4+ properties (unknown property -> OFPBPC_BAD_TYPE, bad
 * length -> OFPBPC_BAD_LEN, experimenter -> OFPBPC_BAD_EXPERIMENTER). */
enum ofperr ofp_decode_async_config(const uint8_t *msg, size_t len,
                                    struct ofp_async_config *ac);
/* 'type' is OFPTYPE_SET_ASYNC or OFPTYPE_GET_ASYNC_REPLY; OF1.4+ writes
 * every property. */
bool ofp_encode_async_config(enum ofptype type,
                             const struct ofp_async_config *ac,
                             uint8_t version, uint32_t xid, struct ofpbuf *b);
/* The spec's default masks (OF1.3 section 6.1.1). */
void ofp_async_config_default(struct ofp_async_config *ac);

/* ---- Table-mod -------------------------------------------------------- */

#define OFPTT_MAX 0xfe
#define OFPTT_ALL 0xff

struct ofp_table_mod {
    uint8_t table_id;
    uint32_t config;            /* OFPTC_* (1.4+: EVICTION 4, VACANCY 8). */
    /* OF1.4+ properties are skipped after validation of their TLV framing. */
};

/* Decodes OFPT_TABLE_MOD.  Errors: bad length -> OFPBRC_BAD_LEN; unknown
 * config bits -> OFPTMFC_BAD_CONFIG; property framing -> OFPBPC_BAD_LEN. */
enum ofperr ofp_decode_table_mod(const uint8_t *msg, size_t len,
                                 struct ofp_table_mod *tm);
/* Encodes OFPT_TABLE_MOD; false if 'version' lacks it. */
bool ofp_encode_table_mod(const struct ofp_table_mod *tm, uint8_t version,
                          uint32_t xid, struct ofpbuf *b);

/* ---- Bundles (OF1.4+) -------------------------------------------------- */

enum ofp_bundle_ctrl_type {
    OFPBCT_OPEN_REQUEST = 0,
    OFPBCT_OPEN_REPLY = 1,
    OFPBCT_CLOSE_REQUEST = 2,
    OFPBCT_CLOSE_REPLY = 3,
    OFPBCT_COMMIT_REQUEST = 4,
    OFPBCT_COMMIT_REPLY = 5,
    OFPBCT_DISCARD_REQUEST = 6,
    OFPBCT_DISCARD_REPLY = 7,
};

#define OFPBF_ATOMIC 1
#define OFPBF_ORDERED 2
#define OFPBF_TIME 4            /* OF1.5. */

struct ofp_bundle_ctrl {
    uint32_t bundle_id;
    uint16_t type;              /* OFPBCT_*. */
    uint16_t flags;             /* OFPBF_*. */
};

struct ofp_bundle_add {
    uint32_t bundle_id;
    uint16_t flags;
    const uint8_t *inner;       /* The embedded message, points into msg. */
    size_t inner_len;
};

/* Unknown control type -> OFPBFC_BAD_TYPE; unknown flags -> OFPBFC_BAD_FLAGS;
 * bad property framing -> OFPBPC_BAD_LEN. */
enum ofperr ofp_decode_bundle_ctrl(const uint8_t *msg, size_t len,
                                   struct ofp_bundle_ctrl *bc);
/* Encodes OFPT_BUNDLE_CONTROL; false before OpenFlow 1.4. */
bool ofp_encode_bundle_ctrl(const struct ofp_bundle_ctrl *bc, uint8_t version,
                            uint32_t xid, struct ofpbuf *b);
/* Checks the inner message: its length must fit exactly
 * (OFPBFC_MSG_BAD_LEN), its version must equal the outer one and its xid too
 * (OFPBFC_MSG_BAD_XID). */
enum ofperr ofp_decode_bundle_add(const uint8_t *msg, size_t len,
                                  struct ofp_bundle_add *ba);
/* Encodes OFPT_BUNDLE_ADD_MESSAGE around 'ba->inner'; false before 1.4. */
bool ofp_encode_bundle_add(const struct ofp_bundle_add *ba, uint8_t version,
                           uint32_t xid, struct ofpbuf *b);

#endif
