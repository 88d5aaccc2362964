/* Test frames of nfv-bench. */
#include <config.h>

#include "utilities/bench/packet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint16_t
ipv4_checksum(const uint8_t *hdr, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t) hdr[i] << 8 | hdr[i + 1];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return htons((uint16_t) ~sum);
}

static void
put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

void
bench_frame_build(uint8_t *frame, size_t frame_len,
                  const struct bench_addr *src, const struct bench_addr *dst,
                  uint16_t flow, bool vary_dst)
{
    uint8_t *eth = frame;
    uint8_t *ip = eth + BENCH_ETH_HLEN;
    uint8_t *udp = ip + BENCH_IP_HLEN;
    size_t ip_len = frame_len - BENCH_ETH_HLEN;

    memset(frame, 0, frame_len);
    memcpy(eth, dst->mac, 6);
    memcpy(eth + 6, src->mac, 6);
    put_be16(eth + 12, 0x0800);

    ip[0] = 0x45;
    put_be16(ip + 2, ip_len);
    ip[6] = 0x40;               /* Don't fragment. */
    ip[8] = 64;                 /* TTL. */
    ip[9] = 17;                 /* UDP. */
    put_be32(ip + 12, src->ip);
    put_be32(ip + 16, dst->ip);
    uint16_t csum = ipv4_checksum(ip, BENCH_IP_HLEN);
    memcpy(ip + 10, &csum, 2);

    put_be16(udp, vary_dst ? src->port : src->port + flow);
    put_be16(udp + 2, vary_dst ? dst->port + flow : dst->port);
    put_be16(udp + 4, ip_len - BENCH_IP_HLEN);
    /* UDP checksum 0: none, allowed for IPv4. */

    struct bench_hdr hdr = { .magic = BENCH_MAGIC_MEASURE, .flow = flow };
    memcpy(frame + BENCH_L4_PAYLOAD_OFS, &hdr, sizeof hdr);
    for (size_t i = BENCH_L4_PAYLOAD_OFS + sizeof hdr; i < frame_len; i++) {
        frame[i] = (uint8_t) i;
    }
}

bool
bench_frame_swap(uint8_t *frame, size_t frame_len)
{
    if (frame_len < BENCH_L4_PAYLOAD_OFS
        || frame[12] != 0x08 || frame[13] != 0x00
        || frame[BENCH_ETH_HLEN + 9] != 17) {
        return false;
    }
    uint8_t tmp[6];
    memcpy(tmp, frame, 6);
    memcpy(frame, frame + 6, 6);
    memcpy(frame + 6, tmp, 6);

    uint8_t *ip = frame + BENCH_ETH_HLEN;
    memcpy(tmp, ip + 12, 4);
    memcpy(ip + 12, ip + 16, 4);
    memcpy(ip + 16, tmp, 4);

    uint8_t *udp = ip + BENCH_IP_HLEN;
    memcpy(tmp, udp, 2);
    memcpy(udp, udp + 2, 2);
    memcpy(udp + 2, tmp, 2);
    return true;
}

const struct bench_hdr *
bench_frame_parse(const uint8_t *frame, size_t frame_len,
                  const uint8_t *want_dst)
{
    if (frame_len < BENCH_L4_PAYLOAD_OFS + sizeof(struct bench_hdr)
        || frame[12] != 0x08 || frame[13] != 0x00
        || frame[BENCH_ETH_HLEN + 9] != 17
        || (want_dst && memcmp(frame, want_dst, 6))) {
        return NULL;
    }
    const struct bench_hdr *hdr
        = (const struct bench_hdr *) (frame + BENCH_L4_PAYLOAD_OFS);
    if (hdr->magic != BENCH_MAGIC_MEASURE && hdr->magic != BENCH_MAGIC_WARMUP) {
        return NULL;
    }
    return hdr;
}

uint32_t
bench_touch_read(const uint8_t *data, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        sum = sum * 31 + data[i];
    }
    return sum;
}

int
bench_seq_init(struct bench_seq *seq, unsigned int n_flows)
{
    memset(seq, 0, sizeof *seq);
    seq->next = calloc(n_flows ? n_flows : 1, sizeof *seq->next);
    if (!seq->next) {
        return ENOMEM;
    }
    seq->n_flows = n_flows;
    return 0;
}

void
bench_seq_destroy(struct bench_seq *seq)
{
    free(seq->next);
    seq->next = NULL;
}
