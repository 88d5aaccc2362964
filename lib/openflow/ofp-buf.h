/* ofp-buf.h: byte buffers for building OpenFlow messages and a bounds-checked
 * reader for parsing them.
 *
 * Everything on the wire is big-endian; the put/get helpers take and return
 * host-order integers.  A reader never reads past the end of its window: every
 * pull either succeeds completely or fails and leaves the reader unchanged.
 *
 * Not thread-safe: a buffer or a reader belongs to one thread at a time. */
#ifndef OVSNFV_OFP_BUF_H
#define OVSNFV_OFP_BUF_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer. */
struct ofpbuf {
    uint8_t *data;      /* NULL until the first put. */
    size_t size;        /* Bytes in use. */
    size_t cap;         /* Bytes allocated. */
};

#define OFPBUF_INITIALIZER { NULL, 0, 0 }

/* Initializes 'b' empty. */
void ofpbuf_init(struct ofpbuf *b);
/* Frees the storage of 'b' and leaves it empty and reusable. */
void ofpbuf_uninit(struct ofpbuf *b);
/* Empties 'b' without freeing its storage. */
void ofpbuf_clear(struct ofpbuf *b);
/* Returns the bytes of 'b' to the caller, who frees them; resets 'b'. */
uint8_t *ofpbuf_steal(struct ofpbuf *b, size_t *size);

/* Appends 'n' zero bytes and returns a pointer to them.  The pointer is valid
 * until the next put on 'b'. */
void *ofpbuf_put_zeros(struct ofpbuf *b, size_t n);
/* Appends 'n' bytes copied from 'p' and returns their offset in 'b'. */
size_t ofpbuf_put(struct ofpbuf *b, const void *p, size_t n);
/* Appends one byte. */
void ofpbuf_put_u8(struct ofpbuf *b, uint8_t v);
/* Appends a 16-bit value in network byte order. */
void ofpbuf_put_be16(struct ofpbuf *b, uint16_t v);
/* Appends a 32-bit value in network byte order. */
void ofpbuf_put_be32(struct ofpbuf *b, uint32_t v);
/* Appends a 64-bit value in network byte order. */
void ofpbuf_put_be64(struct ofpbuf *b, uint64_t v);
/* Appends zeros until the size of 'b' is a multiple of 'align' counted from
 * offset 'start'. */
void ofpbuf_pad(struct ofpbuf *b, size_t start, size_t align);
/* Overwrites a big-endian 16-bit value at offset 'ofs' (which must be in
 * range): used to patch lengths once a variable part is written. */
void ofpbuf_set_be16(struct ofpbuf *b, size_t ofs, uint16_t v);
/* Overwrites a big-endian 32-bit value at offset 'ofs'. */
void ofpbuf_set_be32(struct ofpbuf *b, size_t ofs, uint32_t v);
/* Overwrites a big-endian 64-bit value at offset 'ofs'. */
void ofpbuf_set_be64(struct ofpbuf *b, size_t ofs, uint64_t v);

/* A read window over bytes owned by someone else. */
struct ofpr {
    const uint8_t *p;   /* Next byte to read. */
    size_t left;        /* Bytes left in the window. */
};

/* Starts reading 'n' bytes at 'p'. */
static inline void
ofpr_init(struct ofpr *r, const void *p, size_t n)
{
    r->p = p;
    r->left = n;
}

/* Returns a pointer to the next 'n' bytes and consumes them, or NULL (and
 * consumes nothing) if fewer than 'n' bytes are left. */
const uint8_t *ofpr_pull(struct ofpr *r, size_t n);
/* Splits the next 'n' bytes off into 'sub' and consumes them; false if fewer
 * than 'n' bytes are left. */
bool ofpr_sub(struct ofpr *r, size_t n, struct ofpr *sub);
/* Readers of big-endian integers: false (nothing consumed) if too short. */
bool ofpr_u8(struct ofpr *r, uint8_t *v);
/* Reads a big-endian 16-bit value; false if too short. */
bool ofpr_be16(struct ofpr *r, uint16_t *v);
/* Reads a big-endian 32-bit value; false if too short. */
bool ofpr_be32(struct ofpr *r, uint32_t *v);
/* Reads a big-endian 64-bit value; false if too short. */
bool ofpr_be64(struct ofpr *r, uint64_t *v);
/* Skips 'n' bytes; false if fewer are left. */
bool ofpr_skip(struct ofpr *r, size_t n);

/* Fixed-position fields.  A table of these describes the integer fields of
 * a wire structure once, for both its decoder (ofp_wire_get()) and its
 * encoder (ofp_wire_put()). */
struct ofp_wire_field {
    uint16_t wire_ofs;          /* Byte offset in the wire structure. */
    uint8_t wire_size;          /* 1, 2, 4 or 8 bytes, big-endian. */
    uint8_t host_size;          /* Size of the host member: 1, 2, 4 or 8. */
    uint16_t host_ofs;          /* Offset of the host member. */
};

/* The field of 'SIZE' bytes at 'OFS' held in member 'MEMBER' of 'TYPE'. */
#define OFP_WIRE_FIELD(TYPE, MEMBER, OFS, SIZE)                     \
    { (OFS), (SIZE), sizeof ((TYPE *) 0)->MEMBER, offsetof(TYPE, MEMBER) }

/* Reads the 'n' fields of 'fields' from 'wire' (which the caller has
 * checked is long enough) into the host structure 'host'. */
void ofp_wire_get(const struct ofp_wire_field *fields, size_t n,
                  const uint8_t *wire, void *host);
/* Writes the 'n' fields of 'fields' from 'host' into 'wire' (truncated to
 * their wire size); bytes that no field covers are left as they are. */
void ofp_wire_put(const struct ofp_wire_field *fields, size_t n,
                  const void *host, uint8_t *wire);
/* Appends zeros to 'b' until it holds 'len' bytes from offset 'start' (a
 * structure whose beginning, e.g. a message header, may already be
 * written), then writes the fields of 'host' into them (as ofp_wire_put(),
 * offsets counted from 'start'). */
void ofpbuf_put_wire(struct ofpbuf *b, size_t start, size_t len,
                     const struct ofp_wire_field *fields, size_t n,
                     const void *host);

/* Properties (OpenFlow 1.3+ TLVs "ofp_*_prop_header"): a 16-bit type, a
 * 16-bit length that counts the 4-byte header but not the padding to a
 * multiple of 8 that follows. */
struct ofp_prop {
    uint16_t type;
    const uint8_t *payload;     /* After the header. */
    size_t len;                 /* Payload bytes, without the padding. */
};

/* Pulls the next property off 'r' (with its padding) into '*prop'.  Returns
 * false, consuming nothing, if it is truncated, its length is under 4 or
 * its padding does not fit: the caller answers with the length error of its
 * message (e.g. OFPBPC_BAD_LEN). */
bool ofpr_pull_prop(struct ofpr *r, struct ofp_prop *prop);
/* Starts a property of 'type' at the end of 'b'; returns its offset for
 * ofpbuf_end_prop(). */
size_t ofpbuf_start_prop(struct ofpbuf *b, uint16_t type);
/* Ends the property started at 'start': sets its length to what was
 * appended since and pads it to 8 bytes. */
void ofpbuf_end_prop(struct ofpbuf *b, size_t start);

/* Big-endian loads and stores on raw bytes (no bounds checks). */
static inline uint16_t
ofp_get_be16(const uint8_t *p)
{
    return (uint16_t) ((p[0] << 8) | p[1]);
}

static inline uint32_t
ofp_get_be32(const uint8_t *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | p[3];
}

static inline uint64_t
ofp_get_be64(const uint8_t *p)
{
    return ((uint64_t) ofp_get_be32(p) << 32) | ofp_get_be32(p + 4);
}

static inline void
ofp_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static inline void
ofp_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static inline void
ofp_put_be64(uint8_t *p, uint64_t v)
{
    ofp_put_be32(p, v >> 32);
    ofp_put_be32(p + 4, v);
}

#endif
