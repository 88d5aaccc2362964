/* ofp-port.h: ports (ofp_phy_port / ofp_port in each version), port-status,
 * port-mod, port-desc, port statistics and queue statistics.
 *
 * Thread-safety: reentrant; objects belong to one thread. */
#ifndef OVSNFV_OFP_PORT_H
#define OVSNFV_OFP_PORT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-msgs.h"
#include "openflow/ofp-multipart.h"

/* Port config bits (same in all versions for these). */
enum ofp_port_config {
    OFPPC_PORT_DOWN = 1 << 0,
    OFPPC_NO_STP = 1 << 1,      /* OF1.0 only. */
    OFPPC_NO_RECV = 1 << 2,
    OFPPC_NO_RECV_STP = 1 << 3, /* OF1.0 only. */
    OFPPC_NO_FLOOD = 1 << 4,    /* OF1.0 only. */
    OFPPC_NO_FWD = 1 << 5,
    OFPPC_NO_PACKET_IN = 1 << 6,
};

/* Port state bits. */
enum ofp_port_state {
    OFPPS_LINK_DOWN = 1 << 0,
    OFPPS_BLOCKED = 1 << 1,     /* OF1.1+. */
    OFPPS_LIVE = 1 << 2,        /* OF1.1+. */
};

/* Port feature bits, OF1.1+ numbering (OF1.0 lacks 40GB..1TB and OTHER;
 * its COPPER.. bits sit 4 lower: the codec converts). */
enum ofp_port_features {
    OFPPF_10MB_HD = 1 << 0,
    OFPPF_10MB_FD = 1 << 1,
    OFPPF_100MB_HD = 1 << 2,
    OFPPF_100MB_FD = 1 << 3,
    OFPPF_1GB_HD = 1 << 4,
    OFPPF_1GB_FD = 1 << 5,
    OFPPF_10GB_FD = 1 << 6,
    OFPPF_40GB_FD = 1 << 7,
    OFPPF_100GB_FD = 1 << 8,
    OFPPF_1TB_FD = 1 << 9,
    OFPPF_OTHER = 1 << 10,
    OFPPF_COPPER = 1 << 11,
    OFPPF_FIBER = 1 << 12,
    OFPPF_AUTONEG = 1 << 13,
    OFPPF_PAUSE = 1 << 14,
    OFPPF_PAUSE_ASYM = 1 << 15,
};

struct ofp_port {
    uint32_t port_no;           /* 32-bit; OF1.0 ports are widened. */
    uint8_t hw_addr[6];
    char name[16];
    uint32_t config;            /* OFPPC_*. */
    uint32_t state;             /* OFPPS_*. */
    uint32_t curr, advertised, supported, peer;     /* OFPPF_*. */
    uint32_t curr_speed, max_speed;                 /* kbps (1.1+). */
};

/* Appends the wire form of 'port' ('version': 48 bytes in OF1.0, 64 in 1.3,
 * 1.4+ with an Ethernet property).  Returns false if the port number does
 * not fit OF1.0. */
bool ofp_port_encode(const struct ofp_port *port, uint8_t version,
                     struct ofpbuf *b);
/* Decodes one port from 'r'. */
enum ofperr ofp_port_decode(struct ofpr *r, uint8_t version,
                            struct ofp_port *port);

enum ofp_port_reason {
    OFPPR_ADD = 0,
    OFPPR_DELETE = 1,
    OFPPR_MODIFY = 2,
};

struct ofp_port_status {
    uint8_t reason;
    struct ofp_port desc;
};

/* Encodes OFPT_PORT_STATUS for 'version'. */
void ofp_encode_port_status(const struct ofp_port_status *ps, uint8_t version,
                            struct ofpbuf *b);
/* Decodes OFPT_PORT_STATUS into 'ps'. */
enum ofperr ofp_decode_port_status(const uint8_t *msg, size_t len,
                                   struct ofp_port_status *ps);

struct ofp_port_mod {
    uint32_t port_no;
    uint8_t hw_addr[6];
    uint32_t config;
    uint32_t mask;
    uint32_t advertise;         /* 0: do not change. */
};

/* Errors: port number OFPP_ANY or reserved -> OFPPMFC_BAD_PORT; unknown
 * config bits -> OFPPMFC_BAD_CONFIG; OF1.4+ property framing ->
 * OFPBPC_BAD_LEN, unknown property -> OFPBPC_BAD_TYPE. */
enum ofperr ofp_decode_port_mod(const uint8_t *msg, size_t len,
                                struct ofp_port_mod *pm);
/* Encodes OFPT_PORT_MOD; false if the port does not fit OpenFlow 1.0. */
bool ofp_encode_port_mod(const struct ofp_port_mod *pm, uint8_t version,
                         uint32_t xid, struct ofpbuf *b);

/* Port-desc reply: OF1.3+ multipart; one port per call. */
void ofp_append_port_desc(struct ofpmp_reply *r, const struct ofp_port *port);
/* Iterates the ports of a port-desc reply like
 * ofp_decode_flow_stats_entry(). */
int ofp_decode_port_desc_entry(const uint8_t *msg, size_t len, size_t *pos,
                               struct ofp_port *port);

/* Port-stats / port-desc / queue-stats request body: a port (OFPP_ANY for
 * all) and, for queues, a queue id (OFPQ_ALL for all). */
struct ofp_port_stats_request {
    uint32_t port_no;
    uint32_t queue_id;
};

/* Decodes a port stats, queue stats or port-desc request.  Errors: bad
 * length -> OFPBRC_BAD_LEN; port stats of a reserved port ->
 * OFPBRC_BAD_PORT. */
enum ofperr ofp_decode_port_stats_request(const uint8_t *msg, size_t len,
                                          struct ofp_port_stats_request *r);
/* 'type' is OFPTYPE_PORT_STATS_REQUEST, _QUEUE_STATS_REQUEST or
 * _PORT_DESC_REQUEST. */
bool ofp_encode_port_stats_request(enum ofptype type,
                                   const struct ofp_port_stats_request *r,
                                   uint8_t version, uint32_t xid,
                                   struct ofpbuf *b);

struct ofp_port_stats {
    uint32_t port_no;
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
    uint32_t duration_sec, duration_nsec;   /* OF1.3+; UINT32_MAX unknown. */
};

/* Appends one port's statistics to a port stats reply. */
void ofp_append_port_stats(struct ofpmp_reply *r,
                           const struct ofp_port_stats *ps);
/* Iterates a port stats reply like ofp_decode_flow_stats_entry(). */
int ofp_decode_port_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                                struct ofp_port_stats *ps);

struct ofp_queue_stats {
    uint32_t port_no;
    uint32_t queue_id;
    uint64_t tx_bytes, tx_packets, tx_errors;
    uint32_t duration_sec, duration_nsec;   /* OF1.3+. */
};

/* Appends one queue's statistics to a queue stats reply. */
void ofp_append_queue_stats(struct ofpmp_reply *r,
                            const struct ofp_queue_stats *qs);
/* Iterates a queue stats reply like ofp_decode_flow_stats_entry(). */
int ofp_decode_queue_stats_entry(const uint8_t *msg, size_t len, size_t *pos,
                                 struct ofp_queue_stats *qs);

#endif
