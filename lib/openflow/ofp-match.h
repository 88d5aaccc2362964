/* ofp-match.h: a version-independent OpenFlow match, with OXM (OpenFlow
 * 1.2+), NXM (Nicira, used by ovs-ofctl over OpenFlow 1.0) and OpenFlow 1.0
 * 'struct ofp_match' codecs.
 *
 * A match is a set of fields, each with a value and a mask (both stored in
 * network byte order, left-aligned in 16-byte slots, 'mf_width(field)' bytes
 * long).  A field is either absent (wildcarded), exact (all-ones mask) or
 * masked.  The representation is canonical: masked-off value bits are always
 * zero and an all-zero mask means "absent", so two matches that select the
 * same packets compare equal with ofmatch_equal(), and OXM encoding emits the
 * fields in ascending field-id order.
 *
 * This module does not depend on the datapath's flow key: the switch agent
 * converts between the two.
 *
 * Not thread-safe per object; the functions hold no global state. */
#ifndef OVSNFV_OFP_MATCH_H
#define OVSNFV_OFP_MATCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-errors.h"

struct ofpbuf;
struct ofpr;

/* OpenFlow wire versions. */
enum {
    OFP10_VERSION = 0x01,
    OFP11_VERSION = 0x02,
    OFP12_VERSION = 0x03,
    OFP13_VERSION = 0x04,
    OFP14_VERSION = 0x05,
    OFP15_VERSION = 0x06,
};

/* Match fields.  Values 0..44 are the OXM_OF_* (class 0x8000) field numbers
 * of the OpenFlow specification; Nicira-only fields follow. */
enum mf_field {
    MFF_IN_PORT = 0,        /* 32-bit port number. */
    MFF_IN_PHY_PORT = 1,
    MFF_METADATA = 2,       /* 64 bits, maskable. */
    MFF_ETH_DST = 3,        /* 48 bits, maskable. */
    MFF_ETH_SRC = 4,        /* 48 bits, maskable. */
    MFF_ETH_TYPE = 5,
    MFF_VLAN_VID = 6,       /* 13 bits: OFPVID_PRESENT | VID, maskable. */
    MFF_VLAN_PCP = 7,       /* 3 bits. */
    MFF_IP_DSCP = 8,        /* 6 bits. */
    MFF_IP_ECN = 9,         /* 2 bits. */
    MFF_IP_PROTO = 10,
    MFF_IPV4_SRC = 11,      /* maskable. */
    MFF_IPV4_DST = 12,      /* maskable. */
    MFF_TCP_SRC = 13,
    MFF_TCP_DST = 14,
    MFF_UDP_SRC = 15,
    MFF_UDP_DST = 16,
    MFF_SCTP_SRC = 17,
    MFF_SCTP_DST = 18,
    MFF_ICMPV4_TYPE = 19,
    MFF_ICMPV4_CODE = 20,
    MFF_ARP_OP = 21,
    MFF_ARP_SPA = 22,       /* maskable. */
    MFF_ARP_TPA = 23,       /* maskable. */
    MFF_ARP_SHA = 24,       /* maskable. */
    MFF_ARP_THA = 25,       /* maskable. */
    MFF_IPV6_SRC = 26,      /* maskable. */
    MFF_IPV6_DST = 27,      /* maskable. */
    MFF_IPV6_FLABEL = 28,   /* 20 bits, maskable. */
    MFF_ICMPV6_TYPE = 29,
    MFF_ICMPV6_CODE = 30,
    MFF_IPV6_ND_TARGET = 31,
    MFF_IPV6_ND_SLL = 32,
    MFF_IPV6_ND_TLL = 33,
    MFF_MPLS_LABEL = 34,    /* 20 bits. */
    MFF_MPLS_TC = 35,       /* 3 bits. */
    MFF_MPLS_BOS = 36,      /* 1 bit. */
    MFF_PBB_ISID = 37,      /* 24 bits, maskable. */
    MFF_TUNNEL_ID = 38,     /* 64 bits, maskable. */
    MFF_IPV6_EXTHDR = 39,   /* 9 bits, maskable. */
    /* 40 is unassigned in the specification. */
    MFF_PBB_UCA = 41,       /* OF1.4+: 1 bit. */
    MFF_TCP_FLAGS = 42,     /* OF1.5+: 12 bits, maskable. */
    MFF_ACTSET_OUTPUT = 43, /* OF1.5+: 32-bit port. */
    MFF_PACKET_TYPE = 44,   /* OF1.5+: 32 bits (namespace, ns_type). */
    /* Nicira extension fields without an OXM equivalent. */
    MFF_NX_IP_TTL,          /* NXM_NX_IP_TTL: 8 bits. */
    MFF_NX_IP_FRAG,         /* NXM_NX_IP_FRAG: 2 bits, maskable. */
    MFF_NX_REG0,            /* NXM_NX_REG0..7: 32 bits, maskable. */
    MFF_NX_REG1, MFF_NX_REG2, MFF_NX_REG3,
    MFF_NX_REG4, MFF_NX_REG5, MFF_NX_REG6, MFF_NX_REG7,
    MFF_N_FIELDS
};

#define MF_MAX_WIDTH 16

/* Special values. */
#define OFPVID_PRESENT 0x1000   /* VLAN_VID bit: a VLAN tag is present. */
#define OFPVID_NONE 0x0000      /* VLAN_VID value: no VLAN tag. */

/* OXM classes. */
#define OFPXMC_NXM_0 0x0000
#define OFPXMC_NXM_1 0x0001
#define OFPXMC_OPENFLOW_BASIC 0x8000
#define OFPXMC_EXPERIMENTER 0xffff

/* A static description of a field. */
struct mf_info {
    const char *name;           /* ovs-ofctl name, e.g. "nw_src". */
    const char *oxm_name;       /* Spec name, e.g. "ipv4_src". */
    uint8_t width;              /* Value length on the wire, in bytes. */
    uint8_t n_bits;             /* Significant bits (<= 8 * width). */
    bool maskable;              /* Spec allows a mask in a match. */
    bool settable;              /* Spec allows set-field on it. */
    uint16_t oxm_class;         /* 0x8000, or NXM_1 for Nicira fields. */
    uint8_t oxm_field;          /* Field number within the class. */
    uint8_t min_version;        /* First OpenFlow version that has it. */
    int16_t nxm_class;          /* NXM class for NXM encoding, -1 if none. */
    uint8_t nxm_field;          /* NXM field number. */
};

/* Returns the description of 'field' (valid for 0 <= field < MFF_N_FIELDS and
 * not 40), or NULL. */
const struct mf_info *mf_info(enum mf_field field);
/* Shorthands. */
unsigned int mf_width(enum mf_field field);
/* Finds a field by its ovs-ofctl name or spec name; -1 if unknown. */
int mf_from_name(const char *name);
/* Finds the field of an OXM or NXM TLV header (class, field, length
 * without mask; the hasmask bit is ignored); -1 if unknown or if the length
 * does not match.  The NXM fields that need a conversion (NXM_OF_IN_PORT,
 * NXM_OF_VLAN_TCI, NXM_OF_IP_TOS) are not found. */
int mf_from_header(uint32_t header);
/* The TLV header (without mask) used to name field 'f' in NXM contexts:
 * its NXM header if it has one, else its OXM header. */
uint32_t mf_nxm_header(enum mf_field f);

/* One field of a match. */
struct ofmatch_field {
    uint8_t value[MF_MAX_WIDTH];
    uint8_t mask[MF_MAX_WIDTH];
};

struct ofmatch {
    uint64_t present;           /* Bit 'f' set: field f is matched. */
    struct ofmatch_field f[MFF_N_FIELDS];
};

/* Empties 'm' (matches everything). */
void ofmatch_init(struct ofmatch *m);
/* True if field 'f' is present in 'm'. */
static inline bool
ofmatch_has(const struct ofmatch *m, enum mf_field f)
{
    return (m->present >> f) & 1;
}
/* True if field 'f' is present with a partial mask. */
bool ofmatch_is_masked(const struct ofmatch *m, enum mf_field f);
/* Sets field 'f' to 'value'/'mask' (mf_width(f) bytes each, network order;
 * 'mask' NULL means exact).  Canonicalizes: clears value bits outside the
 * mask and removes the field if the mask is all zeros.  Does not validate
 * (see ofmatch_validate()). */
void ofmatch_set(struct ofmatch *m, enum mf_field f,
                 const void *value, const void *mask);
/* Host-order helpers for fields of width 1, 2, 4 and 8 bytes (the value is
 * right-aligned in the integer, e.g. a 3-byte PBB_ISID uses the low 24 bits).
 * The _masked variants take a mask in the same form. */
void ofmatch_set_uint(struct ofmatch *m, enum mf_field f, uint64_t value);
/* Same with a mask ('mask' right-aligned like 'value'). */
void ofmatch_set_uint_masked(struct ofmatch *m, enum mf_field f,
                             uint64_t value, uint64_t mask);
/* Reads field 'f' into host-order 'value'/'mask' (mask 0 when absent);
 * returns true if present.  Either pointer may be NULL. */
bool ofmatch_get_uint(const struct ofmatch *m, enum mf_field f,
                      uint64_t *value, uint64_t *mask);
/* Removes field 'f'. */
void ofmatch_clear(struct ofmatch *m, enum mf_field f);
/* True if 'a' and 'b' match exactly the same fields, values and masks. */
bool ofmatch_equal(const struct ofmatch *a, const struct ofmatch *b);
/* A hash of 'm' consistent with ofmatch_equal(). */
uint32_t ofmatch_hash(const struct ofmatch *m, uint32_t basis);
/* Number of present fields. */
unsigned int ofmatch_n_fields(const struct ofmatch *m);

/* Checks that every present field's prerequisites (OpenFlow 1.3 spec table
 * 11, e.g. IPV4_SRC needs ETH_TYPE=0x0800) hold exactly.  Returns 0 or
 * OFPERR_OFPBMC_BAD_PREREQ. */
enum ofperr ofmatch_check_prereqs(const struct ofmatch *m);
/* True if the prerequisites of field 'f' alone hold in 'm' (whether or not
 * 'f' is present): used to check set-field actions against a match. */
bool ofmatch_field_prereqs_ok(const struct ofmatch *m, enum mf_field f);
/* Full validation of a decoded or built match: values in range for their bit
 * width (OFPBMC_BAD_VALUE), masks only on maskable fields (OFPBMC_BAD_MASK),
 * prerequisites (OFPBMC_BAD_PREREQ). */
enum ofperr ofmatch_validate(const struct ofmatch *m);

/* Decodes an OXM TLV list of 'r->left' bytes (no ofp_match header) into
 * 'm', for 'version'.  Errors, per the OpenFlow 1.3 spec section 7.2.3.6:
 * truncated TLV or length not matching the field -> OFPBMC_BAD_LEN; unknown
 * class/field, experimenter OXM or field newer than 'version' ->
 * OFPBMC_BAD_FIELD; mask on a non-maskable field (or mask bits beyond the
 * field's width) -> OFPBMC_BAD_MASK; value bits set where the mask is 0 ->
 * OFPBMC_BAD_WILDCARDS; out-of-range value ->
 * OFPBMC_BAD_VALUE; a field twice -> OFPBMC_DUP_FIELD; missing prerequisite
 * -> OFPBMC_BAD_PREREQ.  'm' is undefined on error. */
enum ofperr ofmatch_decode_oxm_fields(struct ofpr *r, uint8_t version,
                                      struct ofmatch *m);
/* Decodes an OpenFlow 1.2+ 'struct ofp_match' (type OFPMT_OXM, length,
 * fields, padding to 8) from the front of 'r' and consumes it including the
 * padding.  A type other than OXM gives OFPBMC_BAD_TYPE; a length < 4 or
 * beyond the message OFPBMC_BAD_LEN. */
enum ofperr ofmatch_decode_oxm(struct ofpr *r, uint8_t version,
                               struct ofmatch *m);
/* Appends the OXM TLVs of 'm' (ascending field order) to 'b'; returns bytes
 * written.  Nicira fields use their NXM_1 class. */
size_t ofmatch_encode_oxm_fields(const struct ofmatch *m, struct ofpbuf *b);
/* Appends a padded OpenFlow 1.2+ 'struct ofp_match' to 'b'. */
void ofmatch_encode_oxm(const struct ofmatch *m, struct ofpbuf *b);

/* Decodes NXM TLVs ('r->left' bytes, Nicira nx_match as used by NXT_FLOW_MOD
 * and NXST_FLOW; OXM basic TLVs are accepted too).  Same errors as the OXM
 * decoder. */
enum ofperr ofmatch_decode_nxm(struct ofpr *r, struct ofmatch *m);
/* Appends the NXM TLVs of 'm' to 'b' (fields with an NXM id use it, the
 * others their OXM id); returns bytes written (not padded). */
size_t ofmatch_encode_nxm(const struct ofmatch *m, struct ofpbuf *b);

/* OpenFlow 1.0 'struct ofp_match' (40 bytes). */
#define OFP10_MATCH_LEN 40
/* OpenFlow 1.0 wildcard bits. */
enum {
    OFPFW10_IN_PORT = 1 << 0,
    OFPFW10_DL_VLAN = 1 << 1,
    OFPFW10_DL_SRC = 1 << 2,
    OFPFW10_DL_DST = 1 << 3,
    OFPFW10_DL_TYPE = 1 << 4,
    OFPFW10_NW_PROTO = 1 << 5,
    OFPFW10_TP_SRC = 1 << 6,
    OFPFW10_TP_DST = 1 << 7,
    OFPFW10_NW_SRC_SHIFT = 8,
    OFPFW10_NW_SRC_MASK = 0x3f << 8,
    OFPFW10_NW_DST_SHIFT = 14,
    OFPFW10_NW_DST_MASK = 0x3f << 14,
    OFPFW10_DL_VLAN_PCP = 1 << 20,
    OFPFW10_NW_TOS = 1 << 21,
    OFPFW10_ALL = (1 << 22) - 1,
};
#define OFP10_VLAN_NONE 0xffff  /* dl_vlan value: no VLAN tag. */

/* Converts a 40-byte OpenFlow 1.0 match into 'm', following the 1.0 rules:
 * fields whose prerequisites are absent (e.g. nw_src without dl_type=0x0800)
 * are ignored, tp_src/tp_dst map to TCP/UDP/ICMP fields according to
 * nw_proto, nw_tos maps to IP_DSCP, dl_vlan=0xffff to VLAN_VID=NONE, ARP
 * nw_proto/nw_src/nw_dst to ARP_OP/ARP_SPA/ARP_TPA, in_port 16-bit ports to
 * 32-bit (0xff00.. -> 0xffffff00..).  Returns 0 (OpenFlow 1.0 has no match
 * errors beyond length, which the caller checks). */
enum ofperr ofmatch_decode_of10(const uint8_t match[OFP10_MATCH_LEN],
                                struct ofmatch *m);
/* Converts 'm' to an OpenFlow 1.0 match.  Returns 0, or OFPBMC_BAD_FIELD if
 * 'm' uses a field OpenFlow 1.0 cannot express (IPv6, MPLS, metadata...), or
 * OFPBMC_BAD_MASK for a mask that is not a CIDR prefix on nw_src/nw_dst or
 * partial on another field. */
enum ofperr ofmatch_encode_of10(const struct ofmatch *m,
                                uint8_t match[OFP10_MATCH_LEN]);

/* OpenFlow 1.0 16-bit port numbers <-> 32-bit ones (reserved ports
 * 0xfff8..0xffff become 0xfffffff8..0xffffffff).  ofp_port_to_of10() returns
 * false for numbers that do not fit. */
uint32_t ofp_port_from_of10(uint16_t port);
/* Converts a 32-bit port to OpenFlow 1.0's 16 bits; false if it does not
 * fit. */
bool ofp_port_to_of10(uint32_t port, uint16_t *port10);

#endif
