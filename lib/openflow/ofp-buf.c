/* ofp-buf.c: byte buffers and bounds-checked readers for OpenFlow. */
#include <config.h>

#include "openflow/ofp-buf.h"

#include <stdlib.h>
#include <string.h>
#include "util/util.h"

void
ofpbuf_init(struct ofpbuf *b)
{
    b->data = NULL;
    b->size = 0;
    b->cap = 0;
}

void
ofpbuf_uninit(struct ofpbuf *b)
{
    free(b->data);
    ofpbuf_init(b);
}

void
ofpbuf_clear(struct ofpbuf *b)
{
    b->size = 0;
}

uint8_t *
ofpbuf_steal(struct ofpbuf *b, size_t *size)
{
    uint8_t *p = b->data;
    if (size) {
        *size = b->size;
    }
    ofpbuf_init(b);
    return p;
}

static void
ofpbuf_reserve(struct ofpbuf *b, size_t n)
{
    if (b->cap - b->size < n) {
        size_t cap = MAX(b->cap * 2, b->size + n);
        cap = MAX(cap, 64);
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
}

void *
ofpbuf_put_zeros(struct ofpbuf *b, size_t n)
{
    ofpbuf_reserve(b, n);
    void *p = b->data + b->size;
    memset(p, 0, n);
    b->size += n;
    return p;
}

size_t
ofpbuf_put(struct ofpbuf *b, const void *p, size_t n)
{
    size_t ofs = b->size;
    ofpbuf_reserve(b, n);
    if (n) {
        memcpy(b->data + b->size, p, n);
    }
    b->size += n;
    return ofs;
}

void
ofpbuf_put_u8(struct ofpbuf *b, uint8_t v)
{
    ofpbuf_put(b, &v, 1);
}

void
ofpbuf_put_be16(struct ofpbuf *b, uint16_t v)
{
    uint8_t p[2];
    ofp_put_be16(p, v);
    ofpbuf_put(b, p, 2);
}

void
ofpbuf_put_be32(struct ofpbuf *b, uint32_t v)
{
    uint8_t p[4];
    ofp_put_be32(p, v);
    ofpbuf_put(b, p, 4);
}

void
ofpbuf_put_be64(struct ofpbuf *b, uint64_t v)
{
    uint8_t p[8];
    ofp_put_be64(p, v);
    ofpbuf_put(b, p, 8);
}

void
ofpbuf_pad(struct ofpbuf *b, size_t start, size_t align)
{
    size_t len = b->size - start;
    size_t padded = ROUND_UP(len, align);
    if (padded > len) {
        ofpbuf_put_zeros(b, padded - len);
    }
}

void
ofpbuf_set_be16(struct ofpbuf *b, size_t ofs, uint16_t v)
{
    ofp_put_be16(b->data + ofs, v);
}

void
ofpbuf_set_be32(struct ofpbuf *b, size_t ofs, uint32_t v)
{
    ofp_put_be32(b->data + ofs, v);
}

void
ofpbuf_set_be64(struct ofpbuf *b, size_t ofs, uint64_t v)
{
    ofp_put_be32(b->data + ofs, v >> 32);
    ofp_put_be32(b->data + ofs + 4, v);
}

const uint8_t *
ofpr_pull(struct ofpr *r, size_t n)
{
    if (r->left < n) {
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

bool
ofpr_sub(struct ofpr *r, size_t n, struct ofpr *sub)
{
    const uint8_t *p = ofpr_pull(r, n);
    if (!p) {
        return false;
    }
    ofpr_init(sub, p, n);
    return true;
}

bool
ofpr_u8(struct ofpr *r, uint8_t *v)
{
    const uint8_t *p = ofpr_pull(r, 1);
    if (!p) {
        return false;
    }
    *v = *p;
    return true;
}

bool
ofpr_be16(struct ofpr *r, uint16_t *v)
{
    const uint8_t *p = ofpr_pull(r, 2);
    if (!p) {
        return false;
    }
    *v = ofp_get_be16(p);
    return true;
}

bool
ofpr_be32(struct ofpr *r, uint32_t *v)
{
    const uint8_t *p = ofpr_pull(r, 4);
    if (!p) {
        return false;
    }
    *v = ofp_get_be32(p);
    return true;
}

bool
ofpr_be64(struct ofpr *r, uint64_t *v)
{
    const uint8_t *p = ofpr_pull(r, 8);
    if (!p) {
        return false;
    }
    *v = ofp_get_be64(p);
    return true;
}

bool
ofpr_skip(struct ofpr *r, size_t n)
{
    return ofpr_pull(r, n) != NULL;
}

/* ---- Properties ------------------------------------------------------- */

bool
ofpr_pull_prop(struct ofpr *r, struct ofp_prop *prop)
{
    if (r->left < 4) {
        return false;
    }
    uint16_t len = ofp_get_be16(r->p + 2);
    size_t padded = ROUND_UP((size_t) len, 8);
    if (len < 4 || padded > r->left) {
        return false;
    }
    prop->type = ofp_get_be16(r->p);
    prop->payload = r->p + 4;
    prop->len = len - 4;
    ofpr_skip(r, padded);
    return true;
}

size_t
ofpbuf_start_prop(struct ofpbuf *b, uint16_t type)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 0);
    return start;
}

void
ofpbuf_end_prop(struct ofpbuf *b, size_t start)
{
    ofpbuf_set_be16(b, start + 2, b->size - start);
    ofpbuf_pad(b, start, 8);
}

/* ---- Fixed-position fields ------------------------------------------- */

static uint64_t
host_get(const uint8_t *p, size_t size)
{
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    switch (size) {
    case 1:
        memcpy(&u8, p, 1);
        return u8;
    case 2:
        memcpy(&u16, p, 2);
        return u16;
    case 4:
        memcpy(&u32, p, 4);
        return u32;
    default:
        memcpy(&u64, p, 8);
        return u64;
    }
}

static void
host_set(uint8_t *p, size_t size, uint64_t v)
{
    uint8_t u8 = v;
    uint16_t u16 = v;
    uint32_t u32 = v;
    switch (size) {
    case 1:
        memcpy(p, &u8, 1);
        break;
    case 2:
        memcpy(p, &u16, 2);
        break;
    case 4:
        memcpy(p, &u32, 4);
        break;
    default:
        memcpy(p, &v, 8);
        break;
    }
}

void
ofp_wire_get(const struct ofp_wire_field *fields, size_t n,
             const uint8_t *wire, void *host)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofp_wire_field *f = &fields[i];
        uint64_t v = 0;
        for (size_t k = 0; k < f->wire_size; k++) {
            v = (v << 8) | wire[f->wire_ofs + k];
        }
        host_set((uint8_t *) host + f->host_ofs, f->host_size, v);
    }
}

void
ofp_wire_put(const struct ofp_wire_field *fields, size_t n,
             const void *host, uint8_t *wire)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofp_wire_field *f = &fields[i];
        uint64_t v = host_get((const uint8_t *) host + f->host_ofs,
                              f->host_size);
        for (size_t k = f->wire_size; k-- > 0; v >>= 8) {
            wire[f->wire_ofs + k] = v;
        }
    }
}

void
ofpbuf_put_wire(struct ofpbuf *b, size_t start, size_t len,
                const struct ofp_wire_field *fields, size_t n,
                const void *host)
{
    if (b->size < start + len) {
        ofpbuf_put_zeros(b, start + len - b->size);
    }
    ofp_wire_put(fields, n, host, b->data + start);
}
