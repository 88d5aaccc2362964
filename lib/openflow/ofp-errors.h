/* ofp-errors.h: version-independent OpenFlow errors and their per-version
 * (type, code) encodings.
 *
 * Every decoder in lib/openflow returns an 'enum ofperr': 0 on success, else
 * the precise error the switch must send back.  ofperr_encode() turns one into
 * the (type, code) of a given protocol version: OpenFlow 1.0 and 1.3+ number
 * their types differently, and errors that OpenFlow 1.0 lacks are sent with
 * the Nicira extension codes that Open vSwitch clients understand (e.g.
 * OFPBMC_BAD_PREREQ becomes OFPET_BAD_REQUEST/0x104 in OpenFlow 1.0, which
 * ofp_encode_error() wraps in an NXET_VENDOR error as Open vSwitch does).
 *
 * All functions are thread-safe (the tables are constant). */
#ifndef OVSNFV_OFP_ERRORS_H
#define OVSNFV_OFP_ERRORS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ofpbuf;

/* Names follow the OpenFlow specification: OFPERR_<code name>. */
enum ofperr {
    OFPERR_NONE = 0,
    /* OFPET_HELLO_FAILED */
    OFPERR_OFPHFC_INCOMPATIBLE = 1,
    OFPERR_OFPHFC_EPERM,
    /* OFPET_BAD_REQUEST */
    OFPERR_OFPBRC_BAD_VERSION,
    OFPERR_OFPBRC_BAD_TYPE,
    OFPERR_OFPBRC_BAD_MULTIPART,        /* OF1.0: OFPBRC_BAD_STAT. */
    OFPERR_OFPBRC_BAD_EXPERIMENTER,     /* OF1.0: OFPBRC_BAD_VENDOR. */
    OFPERR_OFPBRC_BAD_EXP_TYPE,         /* OF1.0: OFPBRC_BAD_SUBTYPE. */
    OFPERR_OFPBRC_EPERM,
    OFPERR_OFPBRC_BAD_LEN,
    OFPERR_OFPBRC_BUFFER_EMPTY,
    OFPERR_OFPBRC_BUFFER_UNKNOWN,
    OFPERR_OFPBRC_BAD_TABLE_ID,
    OFPERR_OFPBRC_IS_SLAVE,
    OFPERR_OFPBRC_BAD_PORT,
    OFPERR_OFPBRC_BAD_PACKET,
    OFPERR_OFPBRC_MULTIPART_BUFFER_OVERFLOW,
    /* OFPET_BAD_ACTION */
    OFPERR_OFPBAC_BAD_TYPE,
    OFPERR_OFPBAC_BAD_LEN,
    OFPERR_OFPBAC_BAD_EXPERIMENTER,
    OFPERR_OFPBAC_BAD_EXP_TYPE,
    OFPERR_OFPBAC_BAD_OUT_PORT,
    OFPERR_OFPBAC_BAD_ARGUMENT,
    OFPERR_OFPBAC_EPERM,
    OFPERR_OFPBAC_TOO_MANY,
    OFPERR_OFPBAC_BAD_QUEUE,
    OFPERR_OFPBAC_BAD_OUT_GROUP,
    OFPERR_OFPBAC_MATCH_INCONSISTENT,
    OFPERR_OFPBAC_UNSUPPORTED_ORDER,
    OFPERR_OFPBAC_BAD_TAG,
    OFPERR_OFPBAC_BAD_SET_TYPE,
    OFPERR_OFPBAC_BAD_SET_LEN,
    OFPERR_OFPBAC_BAD_SET_ARGUMENT,
    OFPERR_OFPBAC_BAD_SET_MASK,         /* OF1.5+. */
    /* OFPET_BAD_INSTRUCTION */
    OFPERR_OFPBIC_UNKNOWN_INST,
    OFPERR_OFPBIC_UNSUP_INST,
    OFPERR_OFPBIC_BAD_TABLE_ID,
    OFPERR_OFPBIC_UNSUP_METADATA,
    OFPERR_OFPBIC_UNSUP_METADATA_MASK,
    OFPERR_OFPBIC_BAD_EXPERIMENTER,
    OFPERR_OFPBIC_BAD_EXP_TYPE,
    OFPERR_OFPBIC_BAD_LEN,
    OFPERR_OFPBIC_EPERM,
    OFPERR_OFPBIC_DUP_INST,             /* OF1.4+. */
    /* OFPET_BAD_MATCH */
    OFPERR_OFPBMC_BAD_TYPE,
    OFPERR_OFPBMC_BAD_LEN,
    OFPERR_OFPBMC_BAD_TAG,
    OFPERR_OFPBMC_BAD_DL_ADDR_MASK,
    OFPERR_OFPBMC_BAD_NW_ADDR_MASK,
    OFPERR_OFPBMC_BAD_WILDCARDS,
    OFPERR_OFPBMC_BAD_FIELD,
    OFPERR_OFPBMC_BAD_VALUE,
    OFPERR_OFPBMC_BAD_MASK,
    OFPERR_OFPBMC_BAD_PREREQ,
    OFPERR_OFPBMC_DUP_FIELD,
    OFPERR_OFPBMC_EPERM,
    /* OFPET_FLOW_MOD_FAILED */
    OFPERR_OFPFMFC_UNKNOWN,
    OFPERR_OFPFMFC_TABLE_FULL,          /* OF1.0: OFPFMFC_ALL_TABLES_FULL. */
    OFPERR_OFPFMFC_BAD_TABLE_ID,
    OFPERR_OFPFMFC_OVERLAP,
    OFPERR_OFPFMFC_EPERM,
    OFPERR_OFPFMFC_BAD_TIMEOUT,         /* OF1.0: OFPFMFC_BAD_EMERG_TIMEOUT. */
    OFPERR_OFPFMFC_BAD_COMMAND,
    OFPERR_OFPFMFC_BAD_FLAGS,
    OFPERR_OFPFMFC_UNSUPPORTED,         /* OF1.0 only. */
    /* OFPET_GROUP_MOD_FAILED */
    OFPERR_OFPGMFC_GROUP_EXISTS,
    OFPERR_OFPGMFC_INVALID_GROUP,
    OFPERR_OFPGMFC_WEIGHT_UNSUPPORTED,
    OFPERR_OFPGMFC_OUT_OF_GROUPS,
    OFPERR_OFPGMFC_OUT_OF_BUCKETS,
    OFPERR_OFPGMFC_CHAINING_UNSUPPORTED,
    OFPERR_OFPGMFC_WATCH_UNSUPPORTED,
    OFPERR_OFPGMFC_LOOP,
    OFPERR_OFPGMFC_UNKNOWN_GROUP,
    OFPERR_OFPGMFC_CHAINED_GROUP,
    OFPERR_OFPGMFC_BAD_TYPE,
    OFPERR_OFPGMFC_BAD_COMMAND,
    OFPERR_OFPGMFC_BAD_BUCKET,
    OFPERR_OFPGMFC_BAD_WATCH,
    OFPERR_OFPGMFC_EPERM,
    OFPERR_OFPGMFC_UNKNOWN_BUCKET,      /* OF1.5+. */
    OFPERR_OFPGMFC_BUCKET_EXISTS,       /* OF1.5+. */
    /* OFPET_PORT_MOD_FAILED */
    OFPERR_OFPPMFC_BAD_PORT,
    OFPERR_OFPPMFC_BAD_HW_ADDR,
    OFPERR_OFPPMFC_BAD_CONFIG,
    OFPERR_OFPPMFC_BAD_ADVERTISE,
    OFPERR_OFPPMFC_EPERM,
    /* OFPET_TABLE_MOD_FAILED */
    OFPERR_OFPTMFC_BAD_TABLE,
    OFPERR_OFPTMFC_BAD_CONFIG,
    OFPERR_OFPTMFC_EPERM,
    /* OFPET_QUEUE_OP_FAILED */
    OFPERR_OFPQOFC_BAD_PORT,
    OFPERR_OFPQOFC_BAD_QUEUE,
    OFPERR_OFPQOFC_EPERM,
    /* OFPET_SWITCH_CONFIG_FAILED */
    OFPERR_OFPSCFC_BAD_FLAGS,
    OFPERR_OFPSCFC_BAD_LEN,
    OFPERR_OFPSCFC_EPERM,
    /* OFPET_ROLE_REQUEST_FAILED */
    OFPERR_OFPRRFC_STALE,
    OFPERR_OFPRRFC_UNSUP,
    OFPERR_OFPRRFC_BAD_ROLE,
    /* OFPET_METER_MOD_FAILED */
    OFPERR_OFPMMFC_UNKNOWN,
    OFPERR_OFPMMFC_METER_EXISTS,
    OFPERR_OFPMMFC_INVALID_METER,
    OFPERR_OFPMMFC_UNKNOWN_METER,
    OFPERR_OFPMMFC_BAD_COMMAND,
    OFPERR_OFPMMFC_BAD_FLAGS,
    OFPERR_OFPMMFC_BAD_RATE,
    OFPERR_OFPMMFC_BAD_BURST,
    OFPERR_OFPMMFC_BAD_BAND,
    OFPERR_OFPMMFC_BAD_BAND_VALUE,
    OFPERR_OFPMMFC_OUT_OF_METERS,
    OFPERR_OFPMMFC_OUT_OF_BANDS,
    /* OFPET_TABLE_FEATURES_FAILED */
    OFPERR_OFPTFFC_BAD_TABLE,
    OFPERR_OFPTFFC_BAD_METADATA,
    OFPERR_OFPTFFC_BAD_TYPE,
    OFPERR_OFPTFFC_BAD_LEN,
    OFPERR_OFPTFFC_BAD_ARGUMENT,
    OFPERR_OFPTFFC_EPERM,
    /* OFPET_BAD_PROPERTY (OF1.4+) */
    OFPERR_OFPBPC_BAD_TYPE,
    OFPERR_OFPBPC_BAD_LEN,
    OFPERR_OFPBPC_BAD_VALUE,
    OFPERR_OFPBPC_TOO_MANY,
    OFPERR_OFPBPC_DUP_TYPE,
    OFPERR_OFPBPC_BAD_EXPERIMENTER,
    OFPERR_OFPBPC_BAD_EXP_TYPE,
    OFPERR_OFPBPC_BAD_EXP_VALUE,
    OFPERR_OFPBPC_EPERM,
    /* OFPET_ASYNC_CONFIG_FAILED (OF1.4+) */
    OFPERR_OFPACFC_INVALID,
    OFPERR_OFPACFC_UNSUPPORTED,
    OFPERR_OFPACFC_EPERM,
    /* OFPET_BUNDLE_FAILED (OF1.4+) */
    OFPERR_OFPBFC_UNKNOWN,
    OFPERR_OFPBFC_EPERM,
    OFPERR_OFPBFC_BAD_ID,
    OFPERR_OFPBFC_BUNDLE_EXIST,
    OFPERR_OFPBFC_BUNDLE_CLOSED,
    OFPERR_OFPBFC_OUT_OF_BUNDLES,
    OFPERR_OFPBFC_BAD_TYPE,
    OFPERR_OFPBFC_BAD_FLAGS,
    OFPERR_OFPBFC_MSG_BAD_LEN,
    OFPERR_OFPBFC_MSG_BAD_XID,
    OFPERR_OFPBFC_MSG_UNSUP,
    OFPERR_OFPBFC_MSG_CONFLICT,
    OFPERR_OFPBFC_MSG_TOO_MANY,
    OFPERR_OFPBFC_MSG_FAILED,
    OFPERR_OFPBFC_TIMEOUT,
    OFPERR_OFPBFC_BUNDLE_IN_PROGRESS,
    /* Nicira extension errors (Open vSwitch clients). */
    OFPERR_NXBRC_BAD_REASON,            /* Bad packet-in reason. */
    OFPERR_NXBRC_MUST_BE_ZERO,          /* Reserved field not zero. */
    OFPERR_NXBRC_UNENCODABLE_ERROR,     /* Error has no encoding. */
    OFPERR_NXFMFC_BAD_TABLE_ID,         /* NX flow_mod_table_id off. */
    /* OFPET_FLOW_MONITOR_FAILED (OF1.4+; Nicira codes in OF1.0). */
    OFPERR_OFPMOFC_UNKNOWN,
    OFPERR_OFPMOFC_MONITOR_EXISTS,      /* Monitor id already in use. */
    OFPERR_OFPMOFC_INVALID_MONITOR,
    OFPERR_OFPMOFC_UNKNOWN_MONITOR,     /* Cancel of an unknown id. */
    OFPERR_OFPMOFC_BAD_COMMAND,
    OFPERR_OFPMOFC_BAD_FLAGS,           /* Undefined flags, or no event. */
    OFPERR_OFPMOFC_BAD_TABLE_ID,
    OFPERR_OFPMOFC_BAD_OUT,
    OFPERR_NXBRC_FM_BAD_EVENT,          /* Bad event in a monitor reply. */
    OFPERR_N_ERRORS
};

/* OpenFlow error types of OpenFlow 1.3+ (OpenFlow 1.0 numbers differ). */
enum ofp13_error_type {
    OFPET13_HELLO_FAILED = 0,
    OFPET13_BAD_REQUEST = 1,
    OFPET13_BAD_ACTION = 2,
    OFPET13_BAD_INSTRUCTION = 3,
    OFPET13_BAD_MATCH = 4,
    OFPET13_FLOW_MOD_FAILED = 5,
    OFPET13_GROUP_MOD_FAILED = 6,
    OFPET13_PORT_MOD_FAILED = 7,
    OFPET13_TABLE_MOD_FAILED = 8,
    OFPET13_QUEUE_OP_FAILED = 9,
    OFPET13_SWITCH_CONFIG_FAILED = 10,
    OFPET13_ROLE_REQUEST_FAILED = 11,
    OFPET13_METER_MOD_FAILED = 12,
    OFPET13_TABLE_FEATURES_FAILED = 13,
    OFPET14_BAD_PROPERTY = 14,
    OFPET14_ASYNC_CONFIG_FAILED = 15,
    OFPET14_FLOW_MONITOR_FAILED = 16,
    OFPET14_BUNDLE_FAILED = 17,
    OFPET_EXPERIMENTER = 0xffff,
};

/* OpenFlow 1.0 error types. */
enum ofp10_error_type {
    OFPET10_HELLO_FAILED = 0,
    OFPET10_BAD_REQUEST = 1,
    OFPET10_BAD_ACTION = 2,
    OFPET10_FLOW_MOD_FAILED = 3,
    OFPET10_PORT_MOD_FAILED = 4,
    OFPET10_QUEUE_OP_FAILED = 5,
    NXET_VENDOR = 0xb0c2,       /* Nicira vendor error in OpenFlow 1.0. */
};

/* Returns the spec name of 'error' ("OFPBMC_BAD_PREREQ"), or "OFPERR_NONE"
 * / "OFPERR_UNKNOWN" for 0 / out-of-range values. */
const char *ofperr_name(enum ofperr error);

/* Looks up an error by its spec name ("OFPBRC_BAD_TYPE"); 0 if unknown. */
enum ofperr ofperr_from_name(const char *name);

/* Finds the (type, code) of 'error' in protocol 'version' (a wire version
 * byte, 0x01..0x06).  Returns true and sets '*type'/'*code' if 'error' has an
 * encoding there.  For OpenFlow 1.0, errors that the 1.0 spec lacks get the
 * Nicira extension encoding where one exists.  Errors newer than 'version'
 * (e.g. OFPBPC_* in 1.3) have none: the caller should then send
 * ofperr_fallback(). */
bool ofperr_encode(enum ofperr error, uint8_t version,
                   uint16_t *type, uint16_t *code);

/* The error to send instead of 'error' when it has no encoding in 'version':
 * the closest generic error of the same family (e.g. OFPBRC_EPERM). */
enum ofperr ofperr_fallback(enum ofperr error, uint8_t version);

/* Maps a received (type, code) of 'version' back to an error; 0 if the pair
 * is unknown. */
enum ofperr ofperr_decode(uint8_t version, uint16_t type, uint16_t code);

/* True if 'error' is a real error value (1..OFPERR_N_ERRORS-1). */
static inline bool
ofperr_is_valid(enum ofperr error)
{
    return error > OFPERR_NONE && error < OFPERR_N_ERRORS;
}

#endif
