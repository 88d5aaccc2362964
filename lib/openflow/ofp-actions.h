/* ofp-actions.h: version-independent OpenFlow actions and instructions.
 *
 * Actions of every version (OpenFlow 1.0 'ofp_action_*', 1.3+ actions,
 * OpenFlow 1.0 legacy "set" actions) decode into one flat list of 'struct
 * ofact'.  Instructions decode into 'struct ofinsts'.  OpenFlow 1.0 action
 * lists are the apply-actions of an instruction set with nothing else.
 *
 * OpenFlow 1.0 set actions (set_vlan_vid, set_dl_src, set_nw_tos, ...) become
 * OFACT_SET_FIELD with 'legacy' set, so that they round-trip to the same
 * OpenFlow 1.0 action and print in ovs-ofctl's syntax (mod_vlan_vid:10);
 * set_tp_src/dst become TCP_SRC/DST set-fields with 'legacy' meaning "the
 * L4 port of whatever transport the packet carries".  strip_vlan is
 * OFACT_POP_VLAN with 'legacy' set.
 *
 * Not thread-safe per object; no global state. */
#ifndef OVSNFV_OFP_ACTIONS_H
#define OVSNFV_OFP_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-errors.h"
#include "openflow/ofp-match.h"

struct ofpbuf;
struct ofpr;

/* Reserved port numbers (32-bit, OpenFlow 1.1+). */
#define OFPP_MAX 0xffffff00u
#define OFPP_UNSET 0xfffffff7u  /* OF1.5 ACTSET_OUTPUT "no output". */
#define OFPP_IN_PORT 0xfffffff8u
#define OFPP_TABLE 0xfffffff9u
#define OFPP_NORMAL 0xfffffffau
#define OFPP_FLOOD 0xfffffffbu
#define OFPP_ALL 0xfffffffcu
#define OFPP_CONTROLLER 0xfffffffdu
#define OFPP_LOCAL 0xfffffffeu
#define OFPP_ANY 0xffffffffu    /* OF1.0: OFPP_NONE. */

#define OFPG_MAX 0xffffff00u
#define OFPG_ALL 0xfffffffcu
#define OFPG_ANY 0xffffffffu

#define OFPCML_NO_BUFFER 0xffff  /* max_len: send the whole packet. */
#define OFPQ_ALL 0xffffffffu

enum ofact_type {
    OFACT_OUTPUT,           /* output.port, output.max_len */
    OFACT_ENQUEUE,          /* OF1.0 enqueue: enqueue.port, queue_id */
    OFACT_GROUP,            /* group_id */
    OFACT_SET_FIELD,        /* set_field */
    OFACT_PUSH_VLAN,        /* ethertype (0x8100 or 0x88a8) */
    OFACT_POP_VLAN,
    OFACT_PUSH_MPLS,        /* ethertype (0x8847 or 0x8848) */
    OFACT_POP_MPLS,         /* ethertype of the payload */
    OFACT_SET_MPLS_TTL,     /* ttl */
    OFACT_DEC_MPLS_TTL,
    OFACT_SET_NW_TTL,       /* ttl */
    OFACT_DEC_NW_TTL,
    OFACT_COPY_TTL_OUT,
    OFACT_COPY_TTL_IN,
    OFACT_SET_QUEUE,        /* queue_id */
    OFACT_PUSH_PBB,         /* ethertype (0x88e7) */
    OFACT_POP_PBB,
    OFACT_METER,            /* OF1.5 meter action: meter_id */
    OFACT_N_TYPES
};

struct ofact_set_field {
    enum mf_field field;
    bool masked;                /* OF1.5 masked set-field. */
    bool legacy;                /* From an OpenFlow 1.0 set action. */
    uint8_t value[MF_MAX_WIDTH];
    uint8_t mask[MF_MAX_WIDTH]; /* All-ones unless 'masked'. */
};

struct ofact {
    enum ofact_type type;
    bool legacy;                /* POP_VLAN from OF1.0 strip_vlan. */
    union {
        struct {
            uint32_t port;
            uint16_t max_len;
        } output;
        struct {
            uint32_t port;
            uint32_t queue_id;
        } enqueue;
        uint32_t group_id;
        uint32_t queue_id;
        uint32_t meter_id;
        uint16_t ethertype;
        uint8_t ttl;
        struct ofact_set_field set_field;
    };
};

/* A list of actions (heap-allocated array). */
struct ofacts {
    struct ofact *acts;
    size_t n;
    size_t cap;
};

#define OFACTS_INITIALIZER { NULL, 0, 0 }

/* Initializes 'l' empty. */
void ofacts_init(struct ofacts *l);
/* Frees the actions of 'l' and leaves it empty. */
void ofacts_uninit(struct ofacts *l);
/* Appends a zeroed action of 'type' and returns it (valid until the next
 * append). */
struct ofact *ofacts_append(struct ofacts *l, enum ofact_type type);
/* Deep copy of 'src' into uninitialized 'dst'. */
void ofacts_clone(struct ofacts *dst, const struct ofacts *src);
/* True if 'a' and 'b' hold the same actions in the same order. */
bool ofacts_equal(const struct ofacts *a, const struct ofacts *b);

/* Convenience constructors (append to 'l'). */
void ofacts_put_output(struct ofacts *l, uint32_t port, uint16_t max_len);
/* Exact set-field from a host-order integer (right-aligned), see
 * ofmatch_set_uint(). */
void ofacts_put_set_field_uint(struct ofacts *l, enum mf_field field,
                               uint64_t value);

/* Instruction set (OpenFlow 1.1+); each instruction at most once. */
enum ofinst_bit {
    OFINST_METER = 1 << 0,
    OFINST_APPLY_ACTIONS = 1 << 1,
    OFINST_CLEAR_ACTIONS = 1 << 2,
    OFINST_WRITE_ACTIONS = 1 << 3,
    OFINST_WRITE_METADATA = 1 << 4,
    OFINST_GOTO_TABLE = 1 << 5,
};

struct ofinsts {
    uint32_t present;           /* OFINST_* bits. */
    uint32_t meter_id;
    struct ofacts apply;
    struct ofacts write;
    uint64_t metadata;
    uint64_t metadata_mask;
    uint8_t goto_table;
};

/* Initializes 'is' empty (no instruction). */
void ofinsts_init(struct ofinsts *is);
/* Frees the action lists of 'is'. */
void ofinsts_uninit(struct ofinsts *is);
/* Deep copy of 'src' into uninitialized 'dst'. */
void ofinsts_clone(struct ofinsts *dst, const struct ofinsts *src);
/* True if 'a' and 'b' are the same instruction set. */
bool ofinsts_equal(const struct ofinsts *a, const struct ofinsts *b);

/* Decodes 'r->left' bytes of actions of 'version' and appends them to 'l'.
 * Nicira actions with a standard equivalent (dec_ttl, set_queue, group,
 * MPLS push/pop/ttl/label/tc, whole-field reg_load) decode to it.
 * Errors: truncated or misaligned action -> OFPBAC_BAD_LEN; unknown type ->
 * OFPBAC_BAD_TYPE; vendor action of another vendor ->
 * OFPBAC_BAD_EXPERIMENTER (OF1.0: BAD_VENDOR); other Nicira action ->
 * OFPBAC_BAD_EXP_TYPE; partial register load -> OFPBAC_BAD_ARGUMENT; set-field of an unknown or unsettable field ->
 * OFPBAC_BAD_SET_TYPE; wrong set-field length -> OFPBAC_BAD_SET_LEN;
 * out-of-range set-field value, or a set-field mask before 1.5 ->
 * OFPBAC_BAD_SET_ARGUMENT; a 1.5 mask on a non-maskable field ->
 * OFPBAC_BAD_SET_MASK; output to port 0, OFPP_ANY or an undefined reserved
 * number -> OFPBAC_BAD_OUT_PORT; bad push/pop
 * ethertype -> OFPBAC_BAD_ARGUMENT; group id above OFPG_MAX ->
 * OFPBAC_BAD_OUT_GROUP; an OF1.0 set_vlan_vid > 4095 or set_vlan_pcp > 7 ->
 * OFPBAC_BAD_ARGUMENT. */
enum ofperr ofacts_decode(struct ofpr *r, uint8_t version, struct ofacts *l);
/* Appends the wire form of 'l' for 'version' (OpenFlow 1.0: Nicira actions
 * for what 1.0 lacks, as Open vSwitch writes them).  Returns 0, or
 * OFPBAC_BAD_TYPE if an action cannot be expressed in 'version' (e.g.
 * push_pbb in OF1.0) or OFPBAC_BAD_SET_TYPE for a set-field it cannot
 * express. */
enum ofperr ofacts_encode(const struct ofacts *l, uint8_t version,
                          struct ofpbuf *b);

/* Decodes 'r->left' bytes of OpenFlow 1.1+ instructions into 'is' (which
 * must be initialized).  Errors: truncated -> OFPBIC_BAD_LEN; unknown type
 * -> OFPBIC_UNKNOWN_INST; experimenter -> OFPBIC_BAD_EXPERIMENTER (the
 * deprecated meter instruction is still accepted in 1.5); an instruction twice ->
 * OFPBIC_DUP_INST (1.4+) or OFPBIC_UNSUP_INST (1.3); goto-table to a table
 * <= 'table_id' (pass 0xff to skip the check) -> OFPBIC_BAD_TABLE_ID; action
 * errors as in ofacts_decode(). */
enum ofperr ofinsts_decode(struct ofpr *r, uint8_t version, uint8_t table_id,
                           struct ofinsts *is);
/* Appends 'is' as instructions of 'version' (>= 1.1).  In OF1.5 a meter
 * instruction is written as a meter action at the front of apply-actions. */
enum ofperr ofinsts_encode(const struct ofinsts *is, uint8_t version,
                           struct ofpbuf *b);

/* Decodes the actions/instructions part of a flow-mod or flow-stats entry:
 * OF1.0 -> an action list put in 'is->apply' (OFINST_APPLY_ACTIONS set),
 * except that Nicira write_metadata and a final "resubmit(,T)" become
 * OFINST_WRITE_METADATA and OFINST_GOTO_TABLE, as Open vSwitch encodes
 * them; 1.1+ -> instructions.  In OF1.5 a leading meter action inside
 * apply-actions is lifted into OFINST_METER. */
enum ofperr ofinsts_decode_any(struct ofpr *r, uint8_t version,
                               uint8_t table_id, struct ofinsts *is);
/* Encodes the counterpart of ofinsts_decode_any().  For OF1.0, as Open
 * vSwitch 3.1 does in NXST_FLOW replies: the apply-actions, then
 * NXAST_WRITE_METADATA, then goto_table as NXAST_RESUBMIT_TABLE
 * ("resubmit(,T)"); meter, clear-actions and write-actions are left out. */
enum ofperr ofinsts_encode_any(const struct ofinsts *is, uint8_t version,
                               struct ofpbuf *b);

/* Checks actions against the match they will run under ('m' may be NULL):
 * set-field prerequisites (e.g. setting IPV4_SRC needs ETH_TYPE=0x0800 in
 * the match, unless a preceding action established it) ->
 * OFPBAC_MATCH_INCONSISTENT.  Returns 0 when consistent. */
enum ofperr ofacts_check(const struct ofacts *l, const struct ofmatch *m);

#endif
