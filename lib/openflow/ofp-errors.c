/* ofp-errors.c: the table of OpenFlow errors and their encodings.
 *
 * Each row gives the OpenFlow 1.0 (type, code) and the OpenFlow 1.3+ one
 * (-1 where the version has none) and the first 1.3+ version that defines
 * the code.  OpenFlow 1.0 codes >= 0x100 are the Nicira extension codes that
 * Open vSwitch uses to report NXM match errors over OpenFlow 1.0. */
#include <config.h>

#include "openflow/ofp-errors.h"

#include <string.h>
#include "util/util.h"

struct ofperr_row {
    const char *name;
    int of10_type, of10_code;
    int of13_type, of13_code;
    uint8_t min_version;        /* For the 1.3+ encoding. */
};

static const struct ofperr_row ofperr_rows[OFPERR_N_ERRORS] = {
    [OFPERR_OFPHFC_INCOMPATIBLE] = { "OFPHFC_INCOMPATIBLE", 0, 0, 0, 0, 0x04 },
    [OFPERR_OFPHFC_EPERM] = { "OFPHFC_EPERM", 0, 1, 0, 1, 0x04 },
    [OFPERR_OFPBRC_BAD_VERSION] = { "OFPBRC_BAD_VERSION", 1, 0, 1, 0, 0x04 },
    [OFPERR_OFPBRC_BAD_TYPE] = { "OFPBRC_BAD_TYPE", 1, 1, 1, 1, 0x04 },
    [OFPERR_OFPBRC_BAD_MULTIPART] = { "OFPBRC_BAD_MULTIPART", 1, 2, 1, 2, 0x04 },
    [OFPERR_OFPBRC_BAD_EXPERIMENTER] = { "OFPBRC_BAD_EXPERIMENTER", 1, 3, 1, 3, 0x04 },
    [OFPERR_OFPBRC_BAD_EXP_TYPE] = { "OFPBRC_BAD_EXP_TYPE", 1, 4, 1, 4, 0x04 },
    [OFPERR_OFPBRC_EPERM] = { "OFPBRC_EPERM", 1, 5, 1, 5, 0x04 },
    [OFPERR_OFPBRC_BAD_LEN] = { "OFPBRC_BAD_LEN", 1, 6, 1, 6, 0x04 },
    [OFPERR_OFPBRC_BUFFER_EMPTY] = { "OFPBRC_BUFFER_EMPTY", 1, 7, 1, 7, 0x04 },
    [OFPERR_OFPBRC_BUFFER_UNKNOWN] = { "OFPBRC_BUFFER_UNKNOWN", 1, 8, 1, 8, 0x04 },
    [OFPERR_OFPBRC_BAD_TABLE_ID] = { "OFPBRC_BAD_TABLE_ID", 1, 512, 1, 9, 0x04 },
    [OFPERR_OFPBRC_IS_SLAVE] = { "OFPBRC_IS_SLAVE", 1, 5, 1, 10, 0x04 },
    [OFPERR_OFPBRC_BAD_PORT] = { "OFPBRC_BAD_PORT", 1, 514, 1, 11, 0x04 },
    [OFPERR_OFPBRC_BAD_PACKET] = { "OFPBRC_BAD_PACKET", -1, -1, 1, 12, 0x04 },
    [OFPERR_OFPBRC_MULTIPART_BUFFER_OVERFLOW] = { "OFPBRC_MULTIPART_BUFFER_OVERFLOW", -1, -1, 1, 13, 0x04 },
    [OFPERR_OFPBAC_BAD_TYPE] = { "OFPBAC_BAD_TYPE", 2, 0, 2, 0, 0x04 },
    [OFPERR_OFPBAC_BAD_LEN] = { "OFPBAC_BAD_LEN", 2, 1, 2, 1, 0x04 },
    [OFPERR_OFPBAC_BAD_EXPERIMENTER] = { "OFPBAC_BAD_EXPERIMENTER", 2, 2, 2, 2, 0x04 },
    [OFPERR_OFPBAC_BAD_EXP_TYPE] = { "OFPBAC_BAD_EXP_TYPE", 2, 3, 2, 3, 0x04 },
    [OFPERR_OFPBAC_BAD_OUT_PORT] = { "OFPBAC_BAD_OUT_PORT", 2, 4, 2, 4, 0x04 },
    [OFPERR_OFPBAC_BAD_ARGUMENT] = { "OFPBAC_BAD_ARGUMENT", 2, 5, 2, 5, 0x04 },
    [OFPERR_OFPBAC_EPERM] = { "OFPBAC_EPERM", 2, 6, 2, 6, 0x04 },
    [OFPERR_OFPBAC_TOO_MANY] = { "OFPBAC_TOO_MANY", 2, 7, 2, 7, 0x04 },
    [OFPERR_OFPBAC_BAD_QUEUE] = { "OFPBAC_BAD_QUEUE", 2, 8, 2, 8, 0x04 },
    [OFPERR_OFPBAC_BAD_OUT_GROUP] = { "OFPBAC_BAD_OUT_GROUP", -1, -1, 2, 9, 0x04 },
    [OFPERR_OFPBAC_MATCH_INCONSISTENT] = { "OFPBAC_MATCH_INCONSISTENT", -1, -1, 2, 10, 0x04 },
    [OFPERR_OFPBAC_UNSUPPORTED_ORDER] = { "OFPBAC_UNSUPPORTED_ORDER", -1, -1, 2, 11, 0x04 },
    [OFPERR_OFPBAC_BAD_TAG] = { "OFPBAC_BAD_TAG", -1, -1, 2, 12, 0x04 },
    [OFPERR_OFPBAC_BAD_SET_TYPE] = { "OFPBAC_BAD_SET_TYPE", -1, -1, 2, 13, 0x04 },
    [OFPERR_OFPBAC_BAD_SET_LEN] = { "OFPBAC_BAD_SET_LEN", -1, -1, 2, 14, 0x04 },
    [OFPERR_OFPBAC_BAD_SET_ARGUMENT] = { "OFPBAC_BAD_SET_ARGUMENT", -1, -1, 2, 15, 0x04 },
    [OFPERR_OFPBAC_BAD_SET_MASK] = { "OFPBAC_BAD_SET_MASK", -1, -1, 2, 16, 0x06 },
    [OFPERR_OFPBIC_UNKNOWN_INST] = { "OFPBIC_UNKNOWN_INST", -1, -1, 3, 0, 0x04 },
    [OFPERR_OFPBIC_UNSUP_INST] = { "OFPBIC_UNSUP_INST", -1, -1, 3, 1, 0x04 },
    [OFPERR_OFPBIC_BAD_TABLE_ID] = { "OFPBIC_BAD_TABLE_ID", -1, -1, 3, 2, 0x04 },
    [OFPERR_OFPBIC_UNSUP_METADATA] = { "OFPBIC_UNSUP_METADATA", -1, -1, 3, 3, 0x04 },
    [OFPERR_OFPBIC_UNSUP_METADATA_MASK] = { "OFPBIC_UNSUP_METADATA_MASK", -1, -1, 3, 4, 0x04 },
    [OFPERR_OFPBIC_BAD_EXPERIMENTER] = { "OFPBIC_BAD_EXPERIMENTER", -1, -1, 3, 5, 0x04 },
    [OFPERR_OFPBIC_BAD_EXP_TYPE] = { "OFPBIC_BAD_EXP_TYPE", -1, -1, 3, 6, 0x04 },
    [OFPERR_OFPBIC_BAD_LEN] = { "OFPBIC_BAD_LEN", -1, -1, 3, 7, 0x04 },
    [OFPERR_OFPBIC_EPERM] = { "OFPBIC_EPERM", -1, -1, 3, 8, 0x04 },
    [OFPERR_OFPBIC_DUP_INST] = { "OFPBIC_DUP_INST", -1, -1, 3, 9, 0x05 },
    [OFPERR_OFPBMC_BAD_TYPE] = { "OFPBMC_BAD_TYPE", 1, 256, 4, 0, 0x04 },
    [OFPERR_OFPBMC_BAD_LEN] = { "OFPBMC_BAD_LEN", -1, -1, 4, 1, 0x04 },
    [OFPERR_OFPBMC_BAD_TAG] = { "OFPBMC_BAD_TAG", -1, -1, 4, 2, 0x04 },
    [OFPERR_OFPBMC_BAD_DL_ADDR_MASK] = { "OFPBMC_BAD_DL_ADDR_MASK", -1, -1, 4, 3, 0x04 },
    [OFPERR_OFPBMC_BAD_NW_ADDR_MASK] = { "OFPBMC_BAD_NW_ADDR_MASK", -1, -1, 4, 4, 0x04 },
    [OFPERR_OFPBMC_BAD_WILDCARDS] = { "OFPBMC_BAD_WILDCARDS", -1, -1, 4, 5, 0x04 },
    [OFPERR_OFPBMC_BAD_FIELD] = { "OFPBMC_BAD_FIELD", 1, 257, 4, 6, 0x04 },
    [OFPERR_OFPBMC_BAD_VALUE] = { "OFPBMC_BAD_VALUE", 1, 258, 4, 7, 0x04 },
    [OFPERR_OFPBMC_BAD_MASK] = { "OFPBMC_BAD_MASK", 1, 259, 4, 8, 0x04 },
    [OFPERR_OFPBMC_BAD_PREREQ] = { "OFPBMC_BAD_PREREQ", 1, 260, 4, 9, 0x04 },
    [OFPERR_OFPBMC_DUP_FIELD] = { "OFPBMC_DUP_FIELD", 1, 261, 4, 10, 0x04 },
    [OFPERR_OFPBMC_EPERM] = { "OFPBMC_EPERM", -1, -1, 4, 11, 0x04 },
    [OFPERR_OFPFMFC_UNKNOWN] = { "OFPFMFC_UNKNOWN", -1, -1, 5, 0, 0x04 },
    [OFPERR_OFPFMFC_TABLE_FULL] = { "OFPFMFC_TABLE_FULL", 3, 0, 5, 1, 0x04 },
    [OFPERR_OFPFMFC_BAD_TABLE_ID] = { "OFPFMFC_BAD_TABLE_ID", 3, 257, 5, 2, 0x04 },
    [OFPERR_OFPFMFC_OVERLAP] = { "OFPFMFC_OVERLAP", 3, 1, 5, 3, 0x04 },
    [OFPERR_OFPFMFC_EPERM] = { "OFPFMFC_EPERM", 3, 2, 5, 4, 0x04 },
    [OFPERR_OFPFMFC_BAD_TIMEOUT] = { "OFPFMFC_BAD_TIMEOUT", 3, 3, 5, 5, 0x04 },
    [OFPERR_OFPFMFC_BAD_COMMAND] = { "OFPFMFC_BAD_COMMAND", 3, 4, 5, 6, 0x04 },
    [OFPERR_OFPFMFC_BAD_FLAGS] = { "OFPFMFC_BAD_FLAGS", -1, -1, 5, 7, 0x04 },
    [OFPERR_OFPFMFC_UNSUPPORTED] = { "OFPFMFC_UNSUPPORTED", 3, 5, -1, -1, 0x04 },
    [OFPERR_OFPGMFC_GROUP_EXISTS] = { "OFPGMFC_GROUP_EXISTS", -1, -1, 6, 0, 0x04 },
    [OFPERR_OFPGMFC_INVALID_GROUP] = { "OFPGMFC_INVALID_GROUP", -1, -1, 6, 1, 0x04 },
    [OFPERR_OFPGMFC_WEIGHT_UNSUPPORTED] = { "OFPGMFC_WEIGHT_UNSUPPORTED", -1, -1, 6, 2, 0x04 },
    [OFPERR_OFPGMFC_OUT_OF_GROUPS] = { "OFPGMFC_OUT_OF_GROUPS", -1, -1, 6, 3, 0x04 },
    [OFPERR_OFPGMFC_OUT_OF_BUCKETS] = { "OFPGMFC_OUT_OF_BUCKETS", -1, -1, 6, 4, 0x04 },
    [OFPERR_OFPGMFC_CHAINING_UNSUPPORTED] = { "OFPGMFC_CHAINING_UNSUPPORTED", -1, -1, 6, 5, 0x04 },
    [OFPERR_OFPGMFC_WATCH_UNSUPPORTED] = { "OFPGMFC_WATCH_UNSUPPORTED", -1, -1, 6, 6, 0x04 },
    [OFPERR_OFPGMFC_LOOP] = { "OFPGMFC_LOOP", -1, -1, 6, 7, 0x04 },
    [OFPERR_OFPGMFC_UNKNOWN_GROUP] = { "OFPGMFC_UNKNOWN_GROUP", -1, -1, 6, 8, 0x04 },
    [OFPERR_OFPGMFC_CHAINED_GROUP] = { "OFPGMFC_CHAINED_GROUP", -1, -1, 6, 9, 0x04 },
    [OFPERR_OFPGMFC_BAD_TYPE] = { "OFPGMFC_BAD_TYPE", -1, -1, 6, 10, 0x04 },
    [OFPERR_OFPGMFC_BAD_COMMAND] = { "OFPGMFC_BAD_COMMAND", -1, -1, 6, 11, 0x04 },
    [OFPERR_OFPGMFC_BAD_BUCKET] = { "OFPGMFC_BAD_BUCKET", -1, -1, 6, 12, 0x04 },
    [OFPERR_OFPGMFC_BAD_WATCH] = { "OFPGMFC_BAD_WATCH", -1, -1, 6, 13, 0x04 },
    [OFPERR_OFPGMFC_EPERM] = { "OFPGMFC_EPERM", -1, -1, 6, 14, 0x04 },
    [OFPERR_OFPGMFC_UNKNOWN_BUCKET] = { "OFPGMFC_UNKNOWN_BUCKET", -1, -1, 6, 15, 0x06 },
    [OFPERR_OFPGMFC_BUCKET_EXISTS] = { "OFPGMFC_BUCKET_EXISTS", -1, -1, 6, 16, 0x06 },
    [OFPERR_OFPPMFC_BAD_PORT] = { "OFPPMFC_BAD_PORT", 4, 0, 7, 0, 0x04 },
    [OFPERR_OFPPMFC_BAD_HW_ADDR] = { "OFPPMFC_BAD_HW_ADDR", 4, 1, 7, 1, 0x04 },
    [OFPERR_OFPPMFC_BAD_CONFIG] = { "OFPPMFC_BAD_CONFIG", -1, -1, 7, 2, 0x04 },
    [OFPERR_OFPPMFC_BAD_ADVERTISE] = { "OFPPMFC_BAD_ADVERTISE", -1, -1, 7, 3, 0x04 },
    [OFPERR_OFPPMFC_EPERM] = { "OFPPMFC_EPERM", -1, -1, 7, 4, 0x04 },
    [OFPERR_OFPTMFC_BAD_TABLE] = { "OFPTMFC_BAD_TABLE", -1, -1, 8, 0, 0x04 },
    [OFPERR_OFPTMFC_BAD_CONFIG] = { "OFPTMFC_BAD_CONFIG", -1, -1, 8, 1, 0x04 },
    [OFPERR_OFPTMFC_EPERM] = { "OFPTMFC_EPERM", -1, -1, 8, 2, 0x04 },
    [OFPERR_OFPQOFC_BAD_PORT] = { "OFPQOFC_BAD_PORT", 5, 0, 9, 0, 0x04 },
    [OFPERR_OFPQOFC_BAD_QUEUE] = { "OFPQOFC_BAD_QUEUE", 5, 1, 9, 1, 0x04 },
    [OFPERR_OFPQOFC_EPERM] = { "OFPQOFC_EPERM", 5, 2, 9, 2, 0x04 },
    [OFPERR_OFPSCFC_BAD_FLAGS] = { "OFPSCFC_BAD_FLAGS", -1, -1, 10, 0, 0x04 },
    [OFPERR_OFPSCFC_BAD_LEN] = { "OFPSCFC_BAD_LEN", -1, -1, 10, 1, 0x04 },
    [OFPERR_OFPSCFC_EPERM] = { "OFPSCFC_EPERM", -1, -1, 10, 2, 0x04 },
    [OFPERR_OFPRRFC_STALE] = { "OFPRRFC_STALE", -1, -1, 11, 0, 0x04 },
    [OFPERR_OFPRRFC_UNSUP] = { "OFPRRFC_UNSUP", -1, -1, 11, 1, 0x04 },
    [OFPERR_OFPRRFC_BAD_ROLE] = { "OFPRRFC_BAD_ROLE", 1, 513, 11, 2, 0x04 },
    [OFPERR_OFPMMFC_UNKNOWN] = { "OFPMMFC_UNKNOWN", -1, -1, 12, 0, 0x04 },
    [OFPERR_OFPMMFC_METER_EXISTS] = { "OFPMMFC_METER_EXISTS", -1, -1, 12, 1, 0x04 },
    [OFPERR_OFPMMFC_INVALID_METER] = { "OFPMMFC_INVALID_METER", -1, -1, 12, 2, 0x04 },
    [OFPERR_OFPMMFC_UNKNOWN_METER] = { "OFPMMFC_UNKNOWN_METER", -1, -1, 12, 3, 0x04 },
    [OFPERR_OFPMMFC_BAD_COMMAND] = { "OFPMMFC_BAD_COMMAND", -1, -1, 12, 4, 0x04 },
    [OFPERR_OFPMMFC_BAD_FLAGS] = { "OFPMMFC_BAD_FLAGS", -1, -1, 12, 5, 0x04 },
    [OFPERR_OFPMMFC_BAD_RATE] = { "OFPMMFC_BAD_RATE", -1, -1, 12, 6, 0x04 },
    [OFPERR_OFPMMFC_BAD_BURST] = { "OFPMMFC_BAD_BURST", -1, -1, 12, 7, 0x04 },
    [OFPERR_OFPMMFC_BAD_BAND] = { "OFPMMFC_BAD_BAND", -1, -1, 12, 8, 0x04 },
    [OFPERR_OFPMMFC_BAD_BAND_VALUE] = { "OFPMMFC_BAD_BAND_VALUE", -1, -1, 12, 9, 0x04 },
    [OFPERR_OFPMMFC_OUT_OF_METERS] = { "OFPMMFC_OUT_OF_METERS", -1, -1, 12, 10, 0x04 },
    [OFPERR_OFPMMFC_OUT_OF_BANDS] = { "OFPMMFC_OUT_OF_BANDS", -1, -1, 12, 11, 0x04 },
    [OFPERR_OFPTFFC_BAD_TABLE] = { "OFPTFFC_BAD_TABLE", -1, -1, 13, 0, 0x04 },
    [OFPERR_OFPTFFC_BAD_METADATA] = { "OFPTFFC_BAD_METADATA", -1, -1, 13, 1, 0x04 },
    [OFPERR_OFPTFFC_BAD_TYPE] = { "OFPTFFC_BAD_TYPE", -1, -1, 13, 2, 0x04 },
    [OFPERR_OFPTFFC_BAD_LEN] = { "OFPTFFC_BAD_LEN", -1, -1, 13, 3, 0x04 },
    [OFPERR_OFPTFFC_BAD_ARGUMENT] = { "OFPTFFC_BAD_ARGUMENT", -1, -1, 13, 4, 0x04 },
    [OFPERR_OFPTFFC_EPERM] = { "OFPTFFC_EPERM", -1, -1, 13, 5, 0x04 },
    [OFPERR_OFPBPC_BAD_TYPE] = { "OFPBPC_BAD_TYPE", -1, -1, 14, 0, 0x05 },
    [OFPERR_OFPBPC_BAD_LEN] = { "OFPBPC_BAD_LEN", -1, -1, 14, 1, 0x05 },
    [OFPERR_OFPBPC_BAD_VALUE] = { "OFPBPC_BAD_VALUE", -1, -1, 14, 2, 0x05 },
    [OFPERR_OFPBPC_TOO_MANY] = { "OFPBPC_TOO_MANY", -1, -1, 14, 3, 0x05 },
    [OFPERR_OFPBPC_DUP_TYPE] = { "OFPBPC_DUP_TYPE", -1, -1, 14, 4, 0x05 },
    [OFPERR_OFPBPC_BAD_EXPERIMENTER] = { "OFPBPC_BAD_EXPERIMENTER", -1, -1, 14, 5, 0x05 },
    [OFPERR_OFPBPC_BAD_EXP_TYPE] = { "OFPBPC_BAD_EXP_TYPE", -1, -1, 14, 6, 0x05 },
    [OFPERR_OFPBPC_BAD_EXP_VALUE] = { "OFPBPC_BAD_EXP_VALUE", -1, -1, 14, 7, 0x05 },
    [OFPERR_OFPBPC_EPERM] = { "OFPBPC_EPERM", -1, -1, 14, 8, 0x05 },
    [OFPERR_OFPACFC_INVALID] = { "OFPACFC_INVALID", -1, -1, 15, 0, 0x05 },
    [OFPERR_OFPACFC_UNSUPPORTED] = { "OFPACFC_UNSUPPORTED", -1, -1, 15, 1, 0x05 },
    [OFPERR_OFPACFC_EPERM] = { "OFPACFC_EPERM", -1, -1, 15, 2, 0x05 },
    [OFPERR_OFPBFC_UNKNOWN] = { "OFPBFC_UNKNOWN", -1, -1, 17, 0, 0x05 },
    [OFPERR_OFPBFC_EPERM] = { "OFPBFC_EPERM", -1, -1, 17, 1, 0x05 },
    [OFPERR_OFPBFC_BAD_ID] = { "OFPBFC_BAD_ID", -1, -1, 17, 2, 0x05 },
    [OFPERR_OFPBFC_BUNDLE_EXIST] = { "OFPBFC_BUNDLE_EXIST", -1, -1, 17, 3, 0x05 },
    [OFPERR_OFPBFC_BUNDLE_CLOSED] = { "OFPBFC_BUNDLE_CLOSED", -1, -1, 17, 4, 0x05 },
    [OFPERR_OFPBFC_OUT_OF_BUNDLES] = { "OFPBFC_OUT_OF_BUNDLES", -1, -1, 17, 5, 0x05 },
    [OFPERR_OFPBFC_BAD_TYPE] = { "OFPBFC_BAD_TYPE", -1, -1, 17, 6, 0x05 },
    [OFPERR_OFPBFC_BAD_FLAGS] = { "OFPBFC_BAD_FLAGS", -1, -1, 17, 7, 0x05 },
    [OFPERR_OFPBFC_MSG_BAD_LEN] = { "OFPBFC_MSG_BAD_LEN", -1, -1, 17, 8, 0x05 },
    [OFPERR_OFPBFC_MSG_BAD_XID] = { "OFPBFC_MSG_BAD_XID", -1, -1, 17, 9, 0x05 },
    [OFPERR_OFPBFC_MSG_UNSUP] = { "OFPBFC_MSG_UNSUP", -1, -1, 17, 10, 0x05 },
    [OFPERR_OFPBFC_MSG_CONFLICT] = { "OFPBFC_MSG_CONFLICT", -1, -1, 17, 11, 0x05 },
    [OFPERR_OFPBFC_MSG_TOO_MANY] = { "OFPBFC_MSG_TOO_MANY", -1, -1, 17, 12, 0x05 },
    [OFPERR_OFPBFC_MSG_FAILED] = { "OFPBFC_MSG_FAILED", -1, -1, 17, 13, 0x05 },
    [OFPERR_OFPBFC_TIMEOUT] = { "OFPBFC_TIMEOUT", -1, -1, 17, 14, 0x05 },
    [OFPERR_OFPBFC_BUNDLE_IN_PROGRESS] = { "OFPBFC_BUNDLE_IN_PROGRESS", -1, -1, 17, 15, 0x05 },
    [OFPERR_NXBRC_BAD_REASON] = { "NXBRC_BAD_REASON", -1, -1, -1, -1, 0x04 },
    [OFPERR_NXBRC_MUST_BE_ZERO] = { "NXBRC_MUST_BE_ZERO", -1, -1, -1, -1, 0x04 },
    [OFPERR_NXBRC_UNENCODABLE_ERROR] = { "NXBRC_UNENCODABLE_ERROR", -1, -1, -1, -1, 0x04 },
    [OFPERR_NXFMFC_BAD_TABLE_ID] = { "NXFMFC_BAD_TABLE_ID", 3, 257, -1, -1, 0x04 },
    /* Flow monitors: OpenFlow 1.0 has the Nicira codes (in NXET_VENDOR). */
    [OFPERR_OFPMOFC_UNKNOWN] = { "OFPMOFC_UNKNOWN", -1, -1, 16, 0, 0x05 },
    [OFPERR_OFPMOFC_MONITOR_EXISTS] = { "OFPMOFC_MONITOR_EXISTS", 1, 517, 16, 1, 0x05 },
    [OFPERR_OFPMOFC_INVALID_MONITOR] = { "OFPMOFC_INVALID_MONITOR", -1, -1, 16, 2, 0x05 },
    [OFPERR_OFPMOFC_UNKNOWN_MONITOR] = { "OFPMOFC_UNKNOWN_MONITOR", 1, 519, 16, 3, 0x05 },
    [OFPERR_OFPMOFC_BAD_COMMAND] = { "OFPMOFC_BAD_COMMAND", -1, -1, 16, 4, 0x05 },
    [OFPERR_OFPMOFC_BAD_FLAGS] = { "OFPMOFC_BAD_FLAGS", 1, 518, 16, 5, 0x05 },
    [OFPERR_OFPMOFC_BAD_TABLE_ID] = { "OFPMOFC_BAD_TABLE_ID", -1, -1, 16, 6, 0x05 },
    [OFPERR_OFPMOFC_BAD_OUT] = { "OFPMOFC_BAD_OUT", -1, -1, 16, 7, 0x05 },
    [OFPERR_NXBRC_FM_BAD_EVENT] = { "NXBRC_FM_BAD_EVENT", 1, 520, -1, -1, 0x04 },
};

static const struct ofperr_row *
ofperr_row(enum ofperr error)
{
    return ofperr_is_valid(error) && ofperr_rows[error].name
           ? &ofperr_rows[error] : NULL;
}

const char *
ofperr_name(enum ofperr error)
{
    if (error == OFPERR_NONE) {
        return "OFPERR_NONE";
    }
    const struct ofperr_row *row = ofperr_row(error);
    return row ? row->name : "OFPERR_UNKNOWN";
}

enum ofperr
ofperr_from_name(const char *name)
{
    for (int e = 1; e < OFPERR_N_ERRORS; e++) {
        if (ofperr_rows[e].name && !strcmp(ofperr_rows[e].name, name)) {
            return e;
        }
    }
    return OFPERR_NONE;
}

bool
ofperr_encode(enum ofperr error, uint8_t version, uint16_t *type,
              uint16_t *code)
{
    const struct ofperr_row *row = ofperr_row(error);
    if (!row) {
        return false;
    }
    if (version == 0x01) {
        if (row->of10_type < 0) {
            return false;
        }
        *type = row->of10_type;
        *code = row->of10_code;
        return true;
    }
    if (row->of13_type < 0 || version < row->min_version) {
        return false;
    }
    *type = row->of13_type;
    *code = row->of13_code;
    return true;
}

/* Generic error of the same family, that exists in every version. */
enum ofperr
ofperr_fallback(enum ofperr error, uint8_t version)
{
    uint16_t type, code;
    if (ofperr_encode(error, version, &type, &code)) {
        return error;
    }
    switch (error) {
    case OFPERR_OFPBAC_BAD_SET_MASK:
        if (version != 0x01) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    case OFPERR_OFPBIC_DUP_INST:
        return version == 0x01 ? OFPERR_OFPBRC_EPERM : OFPERR_OFPBIC_UNSUP_INST;
    case OFPERR_OFPGMFC_UNKNOWN_BUCKET:
    case OFPERR_OFPGMFC_BUCKET_EXISTS:
        return version == 0x01 ? OFPERR_OFPBRC_EPERM : OFPERR_OFPGMFC_BAD_BUCKET;
    case OFPERR_OFPFMFC_UNSUPPORTED:
        return OFPERR_OFPFMFC_UNKNOWN;
    case OFPERR_NXFMFC_BAD_TABLE_ID:
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    default:
        break;
    }
    const char *name = ofperr_rows[error].name;
    if (version == 0x01) {
        if (name && str_starts_with(name, "OFPBAC_")) {
            return OFPERR_OFPBAC_EPERM;
        }
        if (name && str_starts_with(name, "OFPFMFC_")) {
            return OFPERR_OFPFMFC_EPERM;
        }
        if (name && str_starts_with(name, "OFPBMC_")) {
            return OFPERR_OFPBMC_BAD_TYPE;      /* NXBRC_NXM_INVALID. */
        }
        return OFPERR_OFPBRC_EPERM;
    }
    if (name && str_starts_with(name, "OFPBPC_")) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return OFPERR_OFPBRC_EPERM;
}

enum ofperr
ofperr_decode(uint8_t version, uint16_t type, uint16_t code)
{
    for (int e = 1; e < OFPERR_N_ERRORS; e++) {
        const struct ofperr_row *row = &ofperr_rows[e];
        if (!row->name) {
            continue;
        }
        if (version == 0x01) {
            if (row->of10_type == type && row->of10_code == code) {
                return e;
            }
        } else if (row->of13_type == type && row->of13_code == code
                   && version >= row->min_version) {
            return e;
        }
    }
    return OFPERR_NONE;
}
