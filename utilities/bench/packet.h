/* Test frames of nfv-bench: building, validating and sequence tracking.
 *
 * Every test frame is Ethernet + IPv4 + UDP followed by a 16-byte header:
 *   magic (2 bytes), flow (2), sequence (4), TSC timestamp (8),
 * all in host byte order (sender and receiver run on the same host kind).
 * The smallest frame, 64 bytes with the FCS, holds exactly this. */
#ifndef BENCH_PACKET_H
#define BENCH_PACKET_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_ETH_HLEN 14
#define BENCH_IP_HLEN 20
#define BENCH_UDP_HLEN 8
#define BENCH_L4_PAYLOAD_OFS (BENCH_ETH_HLEN + BENCH_IP_HLEN + BENCH_UDP_HLEN)
#define BENCH_FCS_LEN 4
#define BENCH_MIN_FRAME 64          /* With FCS. */
#define BENCH_MAX_FRAME 1518        /* With FCS. */

/* 'magic' says whether a frame counts: warm-up frames are received and
 * dropped, measured frames are counted. */
#define BENCH_MAGIC_MEASURE 0xbe01
#define BENCH_MAGIC_WARMUP 0xbe02

struct bench_hdr {
    uint16_t magic;
    uint16_t flow;
    uint32_t seq;
    uint64_t tsc;
} __attribute__((packed));

/* One side of a conversation. */
struct bench_addr {
    uint8_t mac[6];
    uint32_t ip;                /* Host byte order. */
    uint16_t port;              /* Host byte order: first UDP port. */
};

/* Writes into 'frame' (frame_len bytes, without FCS) an Ethernet/IPv4/UDP
 * frame from 'src' to 'dst' for flow number 'flow': flows differ in their
 * UDP source port (src->port + flow), or in the destination port when
 * 'vary_dst' is true (the reverse of a symmetric flow set).  The payload
 * past the bench header is filled with a fixed pattern. */
void bench_frame_build(uint8_t *frame, size_t frame_len,
                       const struct bench_addr *src,
                       const struct bench_addr *dst,
                       uint16_t flow, bool vary_dst);

/* Turns a received frame around in place for the echo server: swaps MAC
 * addresses, IPv4 addresses and UDP ports.  Returns false (frame left
 * unchanged) if it is not IPv4/UDP or is too short. */
bool bench_frame_swap(uint8_t *frame, size_t frame_len);

/* Returns the bench header inside a full frame, or NULL if 'frame' is not
 * IPv4/UDP with a valid bench magic, or (when 'want_dst' is non-NULL) its
 * destination MAC differs from 'want_dst'. */
const struct bench_hdr *bench_frame_parse(const uint8_t *frame,
                                          size_t frame_len,
                                          const uint8_t *want_dst);

/* Reads every byte of 'data' and returns a checksum, so that the payload
 * really crosses the cache ("touch payload"). */
uint32_t bench_touch_read(const uint8_t *data, size_t len);

/* Per-flow sequence tracking on the receive side. */
struct bench_seq {
    uint32_t *next;             /* Next expected seq per flow. */
    unsigned int n_flows;
    uint64_t received;
    uint64_t lost;              /* Gaps seen so far, minus late arrivals. */
    uint64_t reordered;         /* Frames older than one already seen. */
    uint64_t bad;               /* Frames not ours or not measured. */
};

/* Prepares 'seq' for 'n_flows' flows (all expecting seq 0).  Returns 0 or
 * ENOMEM. */
int bench_seq_init(struct bench_seq *seq, unsigned int n_flows);

/* Frees what bench_seq_init() allocated. */
void bench_seq_destroy(struct bench_seq *seq);

/* Accounts one measured frame of 'flow' with sequence number 'n'.  A gap
 * counts as loss; a frame older than expected counts as reordered and is
 * taken back from the loss it was counted in. */
static inline void
bench_seq_account(struct bench_seq *seq, uint16_t flow, uint32_t n)
{
    if (flow >= seq->n_flows) {
        seq->bad++;
        return;
    }
    seq->received++;
    int32_t gap = (int32_t) (n - seq->next[flow]);
    if (gap >= 0) {
        seq->lost += (uint32_t) gap;
        seq->next[flow] = n + 1;
    } else {
        seq->reordered++;
        if (seq->lost) {
            seq->lost--;
        }
    }
}

#endif /* BENCH_PACKET_H */
