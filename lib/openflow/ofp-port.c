/* ofp-port.c: ports, port-status, port-mod, port and queue statistics. */
#include <config.h>

#include "openflow/ofp-port.h"

#include <stdio.h>
#include <string.h>
#include "openflow/ofp-actions.h"
#include "util/util.h"

/* OpenFlow 1.0 feature bits: 0..6 as 1.1+, then COPPER..PAUSE_ASYM at 7..11
 * (1.1+ puts them at 11..15). */
static uint32_t
features_from_of10(uint32_t f)
{
    return (f & 0x7f) | ((f & 0xf80) << 4);
}

static uint32_t
features_to_of10(uint32_t f)
{
    return (f & 0x7f) | ((f >> 4) & 0xf80);
}

bool
ofp_port_encode(const struct ofp_port *port, uint8_t version,
                struct ofpbuf *b)
{
    char name[16];
    memset(name, 0, sizeof name);
    memcpy(name, port->name, strnlen(port->name, sizeof name - 1));

    if (version == OFP10_VERSION) {
        uint16_t port10;
        if (!ofp_port_to_of10(port->port_no, &port10)) {
            return false;
        }
        ofpbuf_put_be16(b, port10);
        ofpbuf_put(b, port->hw_addr, 6);
        ofpbuf_put(b, name, 16);
        ofpbuf_put_be32(b, port->config & 0x7f);
        ofpbuf_put_be32(b, port->state & OFPPS_LINK_DOWN);
        ofpbuf_put_be32(b, features_to_of10(port->curr));
        ofpbuf_put_be32(b, features_to_of10(port->advertised));
        ofpbuf_put_be32(b, features_to_of10(port->supported));
        ofpbuf_put_be32(b, features_to_of10(port->peer));
        return true;
    }
    size_t start = b->size;
    ofpbuf_put_be32(b, port->port_no);
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, 72);
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_zeros(b, 4);
    }
    ofpbuf_put(b, port->hw_addr, 6);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put(b, name, 16);
    ofpbuf_put_be32(b, port->config);
    ofpbuf_put_be32(b, port->state);
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, 0);      /* OFPPDPT_ETHERNET */
        ofpbuf_put_be16(b, 32);
        ofpbuf_put_zeros(b, 4);
    }
    ofpbuf_put_be32(b, port->curr);
    ofpbuf_put_be32(b, port->advertised);
    ofpbuf_put_be32(b, port->supported);
    ofpbuf_put_be32(b, port->peer);
    ofpbuf_put_be32(b, port->curr_speed);
    ofpbuf_put_be32(b, port->max_speed);
    (void) start;
    return true;
}

static void
get_name(char *dst, const uint8_t *src)
{
    memcpy(dst, src, 16);
    dst[15] = '\0';
}

/* The start of an OpenFlow 1.1+ ofp_port: number, address, name, config,
 * state (the same in every version). */
static void
decode_port_head(const uint8_t *p, struct ofp_port *port)
{
    port->port_no = ofp_get_be32(p);
    memcpy(port->hw_addr, p + 8, 6);
    get_name(port->name, p + 16);
    port->config = ofp_get_be32(p + 32);
    port->state = ofp_get_be32(p + 36);
}

/* The Ethernet features and speeds: six 32-bit fields at 'p' (in the port
 * in 1.1-1.3, in the Ethernet property in 1.4+). */
static void
decode_port_ethernet(const uint8_t *p, struct ofp_port *port)
{
    port->curr = ofp_get_be32(p);
    port->advertised = ofp_get_be32(p + 4);
    port->supported = ofp_get_be32(p + 8);
    port->peer = ofp_get_be32(p + 12);
    port->curr_speed = ofp_get_be32(p + 16);
    port->max_speed = ofp_get_be32(p + 20);
}

enum ofperr
ofp_port_decode(struct ofpr *r, uint8_t version, struct ofp_port *port)
{
    memset(port, 0, sizeof *port);
    const uint8_t *p;
    if (version == OFP10_VERSION) {
        p = ofpr_pull(r, 48);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        port->port_no = ofp_port_from_of10(ofp_get_be16(p));
        memcpy(port->hw_addr, p + 2, 6);
        get_name(port->name, p + 8);
        port->config = ofp_get_be32(p + 24);
        port->state = ofp_get_be32(p + 28) & OFPPS_LINK_DOWN;
        port->curr = features_from_of10(ofp_get_be32(p + 32));
        port->advertised = features_from_of10(ofp_get_be32(p + 36));
        port->supported = features_from_of10(ofp_get_be32(p + 40));
        port->peer = features_from_of10(ofp_get_be32(p + 44));
        return 0;
    }
    if (version < OFP14_VERSION) {
        p = ofpr_pull(r, 64);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        decode_port_head(p, port);
        decode_port_ethernet(p + 40, port);
        return 0;
    }
    if (r->left < 40) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = ofp_get_be16(r->p + 4);
    if (len < 40 || len > r->left || len % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    p = ofpr_pull(r, len);
    decode_port_head(p, port);
    struct ofpr props;
    ofpr_init(&props, p + 40, len - 40);
    while (props.left) {
        struct ofp_prop prop;
        if (!ofpr_pull_prop(&props, &prop)) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        if (prop.type == 0) {       /* OFPPDPT_ETHERNET */
            if (prop.len != 28) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            decode_port_ethernet(prop.payload + 4, port);
        }
    }
    return 0;
}

/* ---- Port status ------------------------------------------------------ */

void
ofp_encode_port_status(const struct ofp_port_status *ps, uint8_t version,
                       struct ofpbuf *b)
{
    ofpmsg_start(b, OFPTYPE_PORT_STATUS, version, 0);
    ofpbuf_put_u8(b, ps->reason);
    ofpbuf_put_zeros(b, 7);
    ofp_port_encode(&ps->desc, version, b);
    ofpmsg_finish(b);
}

enum ofperr
ofp_decode_port_status(const uint8_t *msg, size_t len,
                       struct ofp_port_status *ps)
{
    memset(ps, 0, sizeof *ps);
    if (len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ps->reason = msg[8];
    struct ofpr r;
    ofpr_init(&r, msg + 16, len - 16);
    enum ofperr error = ofp_port_decode(&r, msg[0], &ps->desc);
    if (!error && r.left) {
        error = OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

/* ---- Port mod --------------------------------------------------------- */

static bool
port_mod_port_ok(uint32_t port)
{
    return port != 0 && (port < OFPP_MAX || port == OFPP_LOCAL);
}

enum ofperr
ofp_decode_port_mod(const uint8_t *msg, size_t len, struct ofp_port_mod *pm)
{
    memset(pm, 0, sizeof *pm);
    uint8_t version = msg[0];
    uint32_t allowed;
    if (version == OFP10_VERSION) {
        if (len != 32) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pm->port_no = ofp_port_from_of10(ofp_get_be16(msg + 8));
        memcpy(pm->hw_addr, msg + 10, 6);
        pm->config = ofp_get_be32(msg + 16);
        pm->mask = ofp_get_be32(msg + 20);
        pm->advertise = features_from_of10(ofp_get_be32(msg + 24));
        allowed = 0x7f;
    } else {
        if (len < 32 || (version < OFP14_VERSION && len != 40)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pm->port_no = ofp_get_be32(msg + 8);
        memcpy(pm->hw_addr, msg + 16, 6);
        pm->config = ofp_get_be32(msg + 24);
        pm->mask = ofp_get_be32(msg + 28);
        allowed = OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD
                  | OFPPC_NO_PACKET_IN;
        if (version < OFP14_VERSION) {
            pm->advertise = ofp_get_be32(msg + 32);
        } else {
            struct ofpr r;
            ofpr_init(&r, msg + 32, len - 32);
            while (r.left) {
                struct ofp_prop prop;
                if (!ofpr_pull_prop(&r, &prop)) {
                    return OFPERR_OFPBPC_BAD_LEN;
                }
                if (prop.type == 0) {       /* OFPPMPT_ETHERNET */
                    if (prop.len != 4) {
                        return OFPERR_OFPBPC_BAD_LEN;
                    }
                    pm->advertise = ofp_get_be32(prop.payload);
                } else if (prop.type == 0xffff) {
                    return OFPERR_OFPBPC_BAD_EXPERIMENTER;
                } else {
                    return OFPERR_OFPBPC_BAD_TYPE;
                }
            }
        }
    }
    if (!port_mod_port_ok(pm->port_no)) {
        return OFPERR_OFPPMFC_BAD_PORT;
    }
    if ((pm->config | pm->mask) & ~allowed) {
        return OFPERR_OFPPMFC_BAD_CONFIG;
    }
    return 0;
}

bool
ofp_encode_port_mod(const struct ofp_port_mod *pm, uint8_t version,
                    uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, OFPTYPE_PORT_MOD, version, xid)) {
        return false;
    }
    if (version == OFP10_VERSION) {
        uint16_t port10;
        if (!ofp_port_to_of10(pm->port_no, &port10)) {
            return false;
        }
        ofpbuf_put_be16(b, port10);
        ofpbuf_put(b, pm->hw_addr, 6);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        ofpbuf_put_be32(b, features_to_of10(pm->advertise));
        ofpbuf_put_zeros(b, 4);
    } else {
        ofpbuf_put_be32(b, pm->port_no);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put(b, pm->hw_addr, 6);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        if (version < OFP14_VERSION) {
            ofpbuf_put_be32(b, pm->advertise);
            ofpbuf_put_zeros(b, 4);
        } else {
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, pm->advertise);
        }
    }
    ofpmsg_finish(b);
    return true;
}

/* ---- Port desc -------------------------------------------------------- */

void
ofp_append_port_desc(struct ofpmp_reply *r, const struct ofp_port *port)
{
    struct ofpbuf *b = ofpmp_reply_reserve(r, 72);
    ofp_port_encode(port, r->version, b);
}

int
ofp_decode_port_desc_entry(const uint8_t *msg, size_t len, size_t *pos,
                           struct ofp_port *port)
{
    const uint8_t *p;
    size_t left;
    if (!ofpmsg_multipart_entry(msg, len, *pos, &p, &left)) {
        return EOF;
    }
    struct ofpr r;
    ofpr_init(&r, p, left);
    enum ofperr error = ofp_port_decode(&r, msg[0], port);
    if (error) {
        return error;
    }
    *pos += left - r.left;
    return 0;
}

/* ---- Port and queue stats requests ------------------------------------ */

enum ofperr
ofp_decode_port_stats_request(const uint8_t *msg, size_t len,
                              struct ofp_port_stats_request *req)
{
    enum ofptype type;
    const uint8_t *body;
    size_t n;
    enum ofperr error = ofpmsg_decode_multipart(msg, len, &type, &body, &n);
    if (error) {
        return error;
    }
    req->port_no = OFPP_ANY;
    req->queue_id = OFPQ_ALL;
    uint8_t version = msg[0];
    if (type == OFPTYPE_PORT_DESC_REQUEST) {
        if (version >= OFP15_VERSION) {
            if (n != 8) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            req->port_no = ofp_get_be32(body);
        } else if (n) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        return 0;
    }
    if (n != 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (version == OFP10_VERSION) {
        req->port_no = ofp_port_from_of10(ofp_get_be16(body));
        if (type == OFPTYPE_QUEUE_STATS_REQUEST) {
            req->queue_id = ofp_get_be32(body + 4);
            if (req->port_no == 0xfffffffcu) {  /* OF1.0 OFPP_ALL */
                req->port_no = OFPP_ANY;
            }
        }
    } else {
        req->port_no = ofp_get_be32(body);
        if (type == OFPTYPE_QUEUE_STATS_REQUEST) {
            req->queue_id = ofp_get_be32(body + 4);
        }
    }
    if (type == OFPTYPE_PORT_STATS_REQUEST && req->port_no != OFPP_ANY
        && req->port_no >= OFPP_MAX && req->port_no != OFPP_LOCAL) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    return 0;
}

bool
ofp_encode_port_stats_request(enum ofptype type,
                              const struct ofp_port_stats_request *req,
                              uint8_t version, uint32_t xid, struct ofpbuf *b)
{
    if (!ofpmsg_start(b, type, version, xid)) {
        return false;
    }
    if (type == OFPTYPE_PORT_DESC_REQUEST) {
        if (version >= OFP15_VERSION) {
            ofpbuf_put_be32(b, req->port_no);
            ofpbuf_put_zeros(b, 4);
        }
    } else if (version == OFP10_VERSION) {
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(req->port_no, &port10);
        if (type == OFPTYPE_QUEUE_STATS_REQUEST && req->port_no == OFPP_ANY) {
            port10 = 0xfffc;
        }
        ofpbuf_put_be16(b, port10);
        if (type == OFPTYPE_QUEUE_STATS_REQUEST) {
            ofpbuf_put_zeros(b, 2);
            ofpbuf_put_be32(b, req->queue_id);
        } else {
            ofpbuf_put_zeros(b, 6);
        }
    } else {
        ofpbuf_put_be32(b, req->port_no);
        if (type == OFPTYPE_QUEUE_STATS_REQUEST) {
            ofpbuf_put_be32(b, req->queue_id);
        } else {
            ofpbuf_put_zeros(b, 4);
        }
    }
    ofpmsg_finish(b);
    return true;
}

/* ---- Port stats ------------------------------------------------------- */

void
ofp_append_port_stats(struct ofpmp_reply *r, const struct ofp_port_stats *ps)
{
    struct ofpbuf *b = ofpmp_reply_reserve(r, 120);
    uint64_t basic[8] = {
        ps->rx_packets, ps->tx_packets, ps->rx_bytes, ps->tx_bytes,
        ps->rx_dropped, ps->tx_dropped, ps->rx_errors, ps->tx_errors,
    };
    uint64_t ether[4] = {
        ps->rx_frame_err, ps->rx_over_err, ps->rx_crc_err, ps->collisions,
    };
    if (r->version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, 120);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, ps->port_no);
        ofpbuf_put_be32(b, ps->duration_sec);
        ofpbuf_put_be32(b, ps->duration_nsec);
        for (int i = 0; i < 8; i++) {
            ofpbuf_put_be64(b, basic[i]);
        }
        ofpbuf_put_be16(b, 0);      /* OFPPSPT_ETHERNET */
        ofpbuf_put_be16(b, 40);
        ofpbuf_put_zeros(b, 4);
        for (int i = 0; i < 4; i++) {
            ofpbuf_put_be64(b, ether[i]);
        }
        return;
    }
    if (r->version == OFP10_VERSION) {
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(ps->port_no, &port10);
        ofpbuf_put_be16(b, port10);
        ofpbuf_put_zeros(b, 6);
    } else {
        ofpbuf_put_be32(b, ps->port_no);
        ofpbuf_put_zeros(b, 4);
    }
    for (int i = 0; i < 8; i++) {
        ofpbuf_put_be64(b, basic[i]);
    }
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be64(b, ether[i]);
    }
    if (r->version != OFP10_VERSION) {
        ofpbuf_put_be32(b, ps->duration_sec);
        ofpbuf_put_be32(b, ps->duration_nsec);
    }
}

int
ofp_decode_port_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                            struct ofp_port_stats *ps)
{
    const uint8_t *p;
    size_t left, elen;
    if (!ofpmsg_multipart_entry(msg, len, *pos, &p, &left)) {
        return EOF;
    }
    uint8_t version = msg[0];
    const uint8_t *counters;
    memset(ps, 0, sizeof *ps);
    if (version >= OFP14_VERSION) {
        enum ofperr error = ofpmsg_entry_length(p, left, 80, 8, &elen);
        if (error) {
            return error;
        }
        ps->port_no = ofp_get_be32(p + 4);
        ps->duration_sec = ofp_get_be32(p + 8);
        ps->duration_nsec = ofp_get_be32(p + 12);
        counters = p + 16;
        if (elen >= 120 && ofp_get_be16(p + 80) == 0
            && ofp_get_be16(p + 82) == 40) {
            ps->rx_frame_err = ofp_get_be64(p + 88);
            ps->rx_over_err = ofp_get_be64(p + 96);
            ps->rx_crc_err = ofp_get_be64(p + 104);
            ps->collisions = ofp_get_be64(p + 112);
        }
    } else {
        elen = version == OFP10_VERSION ? 104 : 112;
        if (left < elen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ps->port_no = version == OFP10_VERSION
                      ? ofp_port_from_of10(ofp_get_be16(p))
                      : ofp_get_be32(p);
        counters = p + 8;
        ps->rx_frame_err = ofp_get_be64(p + 72);
        ps->rx_over_err = ofp_get_be64(p + 80);
        ps->rx_crc_err = ofp_get_be64(p + 88);
        ps->collisions = ofp_get_be64(p + 96);
        if (version != OFP10_VERSION) {
            ps->duration_sec = ofp_get_be32(p + 104);
            ps->duration_nsec = ofp_get_be32(p + 108);
        }
    }
    uint64_t *basic[8] = {
        &ps->rx_packets, &ps->tx_packets, &ps->rx_bytes, &ps->tx_bytes,
        &ps->rx_dropped, &ps->tx_dropped, &ps->rx_errors, &ps->tx_errors,
    };
    for (int i = 0; i < 8; i++) {
        *basic[i] = ofp_get_be64(counters + 8 * i);
    }
    *pos += elen;
    return 0;
}

/* ---- Queue stats ------------------------------------------------------ */

void
ofp_append_queue_stats(struct ofpmp_reply *r, const struct ofp_queue_stats *qs)
{
    struct ofpbuf *b = ofpmp_reply_reserve(r, 48);
    if (r->version == OFP10_VERSION) {
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(qs->port_no, &port10);
        ofpbuf_put_be16(b, port10);
        ofpbuf_put_zeros(b, 2);
    } else {
        if (r->version >= OFP14_VERSION) {
            ofpbuf_put_be16(b, 48);
            ofpbuf_put_zeros(b, 6);
        }
        ofpbuf_put_be32(b, qs->port_no);
    }
    ofpbuf_put_be32(b, qs->queue_id);
    ofpbuf_put_be64(b, qs->tx_bytes);
    ofpbuf_put_be64(b, qs->tx_packets);
    ofpbuf_put_be64(b, qs->tx_errors);
    if (r->version != OFP10_VERSION) {
        ofpbuf_put_be32(b, qs->duration_sec);
        ofpbuf_put_be32(b, qs->duration_nsec);
    }
}

int
ofp_decode_queue_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                             struct ofp_queue_stats *qs)
{
    const uint8_t *p;
    size_t left, elen;
    if (!ofpmsg_multipart_entry(msg, len, *pos, &p, &left)) {
        return EOF;
    }
    uint8_t version = msg[0];
    memset(qs, 0, sizeof *qs);
    if (version >= OFP14_VERSION) {
        enum ofperr error = ofpmsg_entry_length(p, left, 48, 8, &elen);
        if (error) {
            return error;
        }
        p += 8;
    } else {
        elen = version == OFP10_VERSION ? 32 : 40;
        if (left < elen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
    }
    qs->port_no = version == OFP10_VERSION
                  ? ofp_port_from_of10(ofp_get_be16(p)) : ofp_get_be32(p);
    qs->queue_id = ofp_get_be32(p + 4);
    qs->tx_bytes = ofp_get_be64(p + 8);
    qs->tx_packets = ofp_get_be64(p + 16);
    qs->tx_errors = ofp_get_be64(p + 24);
    if (version != OFP10_VERSION) {
        qs->duration_sec = ofp_get_be32(p + 32);
        qs->duration_nsec = ofp_get_be32(p + 36);
    }
    *pos += elen;
    return 0;
}
