/* ofp-group.h: group-mod and meter-mod, and the group and meter multiparts
 * (group stats, group desc, group features, meter stats, meter config,
 * meter features), OpenFlow 1.3 to 1.5.
 *
 * Thread-safety: reentrant; objects belong to one thread. */
#ifndef OVSNFV_OFP_GROUP_H
#define OVSNFV_OFP_GROUP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-actions.h"
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-msgs.h"
#include "openflow/ofp-multipart.h"

/* ---- Groups ----------------------------------------------------------- */

enum ofp_group_mod_command {
    OFPGC_ADD = 0,
    OFPGC_MODIFY = 1,
    OFPGC_DELETE = 2,
    OFPGC_INSERT_BUCKET = 3,    /* OF1.5. */
    OFPGC_REMOVE_BUCKET = 5,    /* OF1.5. */
};

enum ofp_group_type {
    OFPGT_ALL = 0,
    OFPGT_SELECT = 1,
    OFPGT_INDIRECT = 2,
    OFPGT_FF = 3,
};

/* OF1.5 bucket ids. */
#define OFPG_BUCKET_MAX 0xffffff00u
#define OFPG_BUCKET_FIRST 0xfffffffdu
#define OFPG_BUCKET_LAST 0xfffffffeu
#define OFPG_BUCKET_ALL 0xffffffffu

struct ofp_bucket {
    uint32_t bucket_id;         /* OF1.5; index in the list otherwise. */
    uint16_t weight;
    uint32_t watch_port;        /* OFPP_ANY if unused. */
    uint32_t watch_group;       /* OFPG_ANY if unused. */
    struct ofacts actions;      /* Owned. */
};

struct ofp_group_mod {
    uint16_t command;           /* OFPGC_*. */
    uint8_t type;               /* OFPGT_*. */
    uint32_t group_id;
    uint32_t command_bucket_id; /* OF1.5. */
    struct ofp_bucket *buckets; /* Owned. */
    size_t n_buckets;
};

/* Initializes 'gm' with no buckets (command_bucket_id OFPG_BUCKET_ALL). */
void ofp_group_mod_init(struct ofp_group_mod *gm);
/* Frees the buckets of 'gm'. */
void ofp_group_mod_uninit(struct ofp_group_mod *gm);
/* Appends an empty bucket (weight 0, watches ANY) and returns it. */
struct ofp_bucket *ofp_group_mod_add_bucket(struct ofp_group_mod *gm);

/* Errors: unknown command -> OFPGMFC_BAD_COMMAND; unknown type ->
 * OFPGMFC_BAD_TYPE; group id above OFPG_MAX (except OFPG_ALL on delete) ->
 * OFPGMFC_INVALID_GROUP; bucket length inconsistent -> OFPGMFC_BAD_BUCKET;
 * an indirect group with more than one bucket ->
 * OFPGMFC_INVALID_GROUP; a fast-failover bucket watching neither a port nor
 * a group -> OFPGMFC_BAD_WATCH; action errors as in ofacts_decode(). */
enum ofperr ofp_decode_group_mod(const uint8_t *msg, size_t len,
                                 struct ofp_group_mod *gm);
/* Encodes 'gm' for 'version' (1.3+).  Returns 0 or an action error. */
enum ofperr ofp_encode_group_mod(const struct ofp_group_mod *gm,
                                 uint8_t version, uint32_t xid,
                                 struct ofpbuf *b);

/* Group stats / group desc request: a group id (OFPG_ALL for all). */
enum ofperr ofp_decode_group_request(const uint8_t *msg, size_t len,
                                     uint32_t *group_id);
/* Encodes a group stats/desc request ('type') for 'group_id'. */
bool ofp_encode_group_request(enum ofptype type, uint32_t group_id,
                              uint8_t version, uint32_t xid,
                              struct ofpbuf *b);

struct ofp_bucket_counter {
    uint64_t packet_count;
    uint64_t byte_count;
};

struct ofp_group_stats {
    uint32_t group_id;
    uint32_t ref_count;
    uint64_t packet_count;
    uint64_t byte_count;
    uint32_t duration_sec, duration_nsec;
    const struct ofp_bucket_counter *buckets;   /* Not owned. */
    size_t n_buckets;
};

/* Appends one group's statistics to a group stats reply. */
void ofp_append_group_stats(struct ofpmp_reply *r,
                            const struct ofp_group_stats *gs);

/* A group-desc entry is a group-mod without command. */
enum ofperr ofp_append_group_desc(struct ofpmp_reply *r,
                                  const struct ofp_group_mod *gd);
/* Decodes the next group-desc entry into 'gd' (re-initialized). */
int ofp_decode_group_desc_entry(const uint8_t *msg, size_t len, size_t *pos,
                                struct ofp_group_mod *gd);

struct ofp_group_features {
    uint32_t types;             /* Bitmap of 1 << OFPGT_*. */
    uint32_t capabilities;      /* OFPGFC_*: 1 select weight, 2 liveness,
                                 * 4 chaining, 8 chaining checks. */
    uint32_t max_groups[4];
    uint32_t actions[4];        /* Bitmaps of OFPAT_*. */
};

/* Encodes a group features reply; false if 'version' lacks it. */
bool ofp_encode_group_features_reply(const struct ofp_group_features *gf,
                                     uint8_t version, uint32_t xid,
                                     struct ofpbuf *b);
/* Decodes a group features reply into 'gf'. */
enum ofperr ofp_decode_group_features_reply(const uint8_t *msg, size_t len,
                                            struct ofp_group_features *gf);

/* ---- Meters ----------------------------------------------------------- */

#define OFPM_MAX 0xffff0000u
#define OFPM_SLOWPATH 0xfffffffdu
#define OFPM_CONTROLLER 0xfffffffeu
#define OFPM_ALL 0xffffffffu

enum ofp_meter_mod_command {
    OFPMC_ADD = 0,
    OFPMC_MODIFY = 1,
    OFPMC_DELETE = 2,
};

enum ofp_meter_flags {
    OFPMF_KBPS = 1 << 0,
    OFPMF_PKTPS = 1 << 1,
    OFPMF_BURST = 1 << 2,
    OFPMF_STATS = 1 << 3,
};

enum ofp_meter_band_type {
    OFPMBT_DROP = 1,
    OFPMBT_DSCP_REMARK = 2,
    OFPMBT_EXPERIMENTER = 0xffff,
};

struct ofp_meter_band {
    uint16_t type;              /* OFPMBT_DROP or OFPMBT_DSCP_REMARK. */
    uint32_t rate;
    uint32_t burst_size;
    uint8_t prec_level;         /* DSCP_REMARK only. */
};

#define OFP_MAX_METER_BANDS 16

struct ofp_meter_mod {
    uint16_t command;
    uint16_t flags;
    uint32_t meter_id;
    struct ofp_meter_band bands[OFP_MAX_METER_BANDS];
    size_t n_bands;
};

/* Errors: unknown command -> OFPMMFC_BAD_COMMAND; unknown flags or both
 * KBPS and PKTPS -> OFPMMFC_BAD_FLAGS; meter id 0 or above OFPM_MAX (other
 * than the virtual ones on modify/delete) -> OFPMMFC_INVALID_METER; unknown
 * band -> OFPMMFC_BAD_BAND; rate 0 -> OFPMMFC_BAD_RATE; burst without
 * OFPMF_BURST is ignored; bad band length -> OFPBRC_BAD_LEN; more bands than
 * OFP_MAX_METER_BANDS -> OFPMMFC_OUT_OF_BANDS; prec_level > 63 ->
 * OFPMMFC_BAD_BAND_VALUE. */
enum ofperr ofp_decode_meter_mod(const uint8_t *msg, size_t len,
                                 struct ofp_meter_mod *mm);
/* Encodes 'mm' as OFPT_METER_MOD; false if 'version' lacks it. */
bool ofp_encode_meter_mod(const struct ofp_meter_mod *mm, uint8_t version,
                          uint32_t xid, struct ofpbuf *b);

/* Meter stats / meter config request: a meter id (OFPM_ALL for all). */
enum ofperr ofp_decode_meter_request(const uint8_t *msg, size_t len,
                                     uint32_t *meter_id);
/* Encodes a meter stats/config request ('type') for 'meter_id'. */
bool ofp_encode_meter_request(enum ofptype type, uint32_t meter_id,
                              uint8_t version, uint32_t xid,
                              struct ofpbuf *b);

struct ofp_meter_band_stats {
    uint64_t packet_band_count;
    uint64_t byte_band_count;
};

struct ofp_meter_stats {
    uint32_t meter_id;
    uint32_t flow_count;
    uint64_t packet_in_count;
    uint64_t byte_in_count;
    uint32_t duration_sec, duration_nsec;
    const struct ofp_meter_band_stats *bands;   /* Not owned. */
    size_t n_bands;
};

/* Appends one meter's statistics to a meter stats reply. */
void ofp_append_meter_stats(struct ofpmp_reply *r,
                            const struct ofp_meter_stats *ms);
/* A meter-config entry: flags, meter_id and bands of 'mc' (command
 * ignored). */
void ofp_append_meter_config(struct ofpmp_reply *r,
                             const struct ofp_meter_mod *mc);
/* Iterates the entries of a meter config reply like
 * ofp_decode_flow_stats_entry(). */
int ofp_decode_meter_config_entry(const uint8_t *msg, size_t len,
                                  size_t *pos, struct ofp_meter_mod *mc);

struct ofp_meter_features {
    uint32_t max_meter;
    uint32_t band_types;        /* Bitmap of 1 << OFPMBT_*. */
    uint32_t capabilities;      /* OFPMF_* bits. */
    uint8_t max_bands;
    uint8_t max_color;
    uint32_t features;          /* OF1.5: OFPMFF_ACTION_SET 1, CHAINING 2,
                                 * MULTI_LIST 4. */
};

/* Encodes a meter features reply.  Every version gets the 16-byte body of
 * OpenFlow 1.3 (no 'features'), as Open vSwitch 3.1 sends it and as its
 * ovs-ofctl requires, although the 1.5 specification has a 24-byte one. */
bool ofp_encode_meter_features_reply(const struct ofp_meter_features *mf,
                                     uint8_t version, uint32_t xid,
                                     struct ofpbuf *b);
/* Decodes a meter features reply (the 16-byte layout is accepted in 1.5
 * too, as Open vSwitch sends it). */
enum ofperr ofp_decode_meter_features_reply(const uint8_t *msg, size_t len,
                                            struct ofp_meter_features *mf);

#endif
