/* ofp-multipart.h: building multipart (OpenFlow 1.0: stats) replies that are
 * split over several messages when they exceed 64 kB, and the simple
 * multiparts: desc, table stats, table features.
 *
 * Building a reply:
 *     struct ofpmp_reply r;
 *     ofpmp_reply_start(&r, request_msg, request_len, OFPTYPE_FLOW_STATS_REPLY);
 *     for each flow: ofp_append_flow_stats(&r, &fs);
 *     ofpmp_reply_finish(&r);   -> r.msgs[0..r.n_msgs-1] ready to send
 *     ofpmp_reply_uninit(&r);
 *
 * Thread-safety: reentrant; objects belong to one thread. */
#ifndef OVSNFV_OFP_MULTIPART_H
#define OVSNFV_OFP_MULTIPART_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-msgs.h"

struct ofpmp_reply {
    enum ofptype type;          /* Reply type. */
    uint8_t version;
    uint32_t xid;
    struct ofpbuf *msgs;        /* Messages; all but the last carry MORE. */
    size_t n_msgs;
    size_t max_len;             /* Split threshold (default 65535). */
};

/* Starts a reply of 'type' to a request with 'version' and 'xid'. */
void ofpmp_reply_start(struct ofpmp_reply *r, enum ofptype type,
                       uint8_t version, uint32_t xid);
/* Returns the buffer to append one entry of 'entry_len' bytes to: starts a
 * new message if the current one would exceed r->max_len. */
struct ofpbuf *ofpmp_reply_reserve(struct ofpmp_reply *r, size_t entry_len);
/* Current message (for entries whose length is known only after writing:
 * write, then call ofpmp_reply_postappend() with the entry's start). */
struct ofpbuf *ofpmp_reply_current(struct ofpmp_reply *r);
/* Moves the entry written at offset 'start' of the current message into a
 * new message if the current one grew beyond max_len. */
void ofpmp_reply_postappend(struct ofpmp_reply *r, size_t start);
/* Sets lengths and MORE flags. */
void ofpmp_reply_finish(struct ofpmp_reply *r);
/* Frees the messages of 'r'. */
void ofpmp_reply_uninit(struct ofpmp_reply *r);

/* ---- Desc ------------------------------------------------------------- */

struct ofp_desc {
    char mfr_desc[256];
    char hw_desc[256];
    char sw_desc[256];
    char serial_num[32];
    char dp_desc[256];
};

/* Encodes a desc reply (strings truncated to their fields). */
void ofp_encode_desc_reply(const struct ofp_desc *d, uint8_t version,
                           uint32_t xid, struct ofpbuf *b);
/* Decodes a desc reply into 'd' (strings NUL-terminated). */
enum ofperr ofp_decode_desc_reply(const uint8_t *msg, size_t len,
                                  struct ofp_desc *d);

/* ---- Table stats ------------------------------------------------------ */

struct ofp_table_stats {
    uint8_t table_id;
    char name[32];              /* OF1.0 only. */
    uint32_t wildcards;         /* OF1.0 only. */
    uint32_t max_entries;       /* OF1.0 only. */
    uint32_t active_count;
    uint64_t lookup_count;
    uint64_t matched_count;
};

/* Appends one table's statistics to a table stats reply. */
void ofp_append_table_stats(struct ofpmp_reply *r,
                            const struct ofp_table_stats *ts);
/* Iterator like ofp_decode_flow_stats_entry(). */
int ofp_decode_table_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                                 struct ofp_table_stats *ts);

/* ---- Table features (OF1.3+) ------------------------------------------ */

/* A simplified description of one table, enough to advertise what the
 * switch supports.  Encoded with every property the spec defines; the
 * "_miss" properties repeat the normal ones. */
struct ofp_table_features {
    uint8_t table_id;
    char name[32];
    uint64_t metadata_match;
    uint64_t metadata_write;
    uint32_t config;            /* OF1.3: table config; OF1.4+: capabilities. */
    uint32_t max_entries;
    uint32_t instructions;      /* Bitmap of OFPIT_* type numbers (1..6). */
    uint8_t next_tables[256];   /* Table ids a goto may reach. */
    size_t n_next_tables;
    uint64_t actions;           /* Bitmap of OFPAT_* (1.3 numbering; bit 25
                                 * = set-field, bit 26 push_pbb, 27 pop_pbb). */
    uint64_t match_fields;      /* Bitmap of mf_field (OXM basic fields). */
    uint64_t wildcard_fields;   /* Bitmap of mf_field. */
    uint64_t write_setfields;   /* Bitmap of mf_field. */
    uint64_t apply_setfields;   /* Bitmap of mf_field. */
};

/* Decodes a table features request: with an empty body (a query), sets
 * '*n' = 0; with a body (a set request), decodes up to 'max' entries into
 * 'tf'.  Bad property framing -> OFPTFFC_BAD_LEN, unknown property ->
 * OFPTFFC_BAD_TYPE, table id 0xff -> OFPTFFC_BAD_TABLE. */
enum ofperr ofp_decode_table_features_request(const uint8_t *msg, size_t len,
                                              struct ofp_table_features *tf,
                                              size_t max, size_t *n);
/* Appends one table description to a table features reply. */
void ofp_append_table_features(struct ofpmp_reply *r,
                               const struct ofp_table_features *tf);
/* Iterator over the entries of a reply (or a set request). */
int ofp_decode_table_features_entry(const uint8_t *msg, size_t len,
                                    size_t *pos,
                                    struct ofp_table_features *tf);

#endif
