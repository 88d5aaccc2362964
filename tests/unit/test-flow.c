/* Unit tests for lib/packet/flow (parsing into a flow key). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "packet/flow.h"

/* An Ethernet + IPv4 + UDP frame, optionally with an 802.1Q tag. */
static size_t
build_udp(uint8_t *buf, int vlan, uint8_t ihl_words)
{
    static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x0b };
    static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x0a };
    size_t n = 0;
    memcpy(buf, dst, 6);
    memcpy(buf + 6, src, 6);
    n = 12;
    if (vlan >= 0) {
        buf[n++] = 0x81;
        buf[n++] = 0x00;
        buf[n++] = 0x20 | (vlan >> 8);      /* PCP 1 */
        buf[n++] = vlan & 0xff;
    }
    buf[n++] = 0x08;
    buf[n++] = 0x00;
    uint8_t *ip = buf + n;
    memset(ip, 0, ihl_words * 4);
    ip[0] = 0x40 | ihl_words;
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 10; ip[13] = 0; ip[14] = 0; ip[15] = 1;
    ip[16] = 10; ip[17] = 0; ip[18] = 1; ip[19] = 2;
    n += ihl_words * 4;
    buf[n++] = 0x04; buf[n++] = 0xd2;       /* 1234 */
    buf[n++] = 0x16; buf[n++] = 0x2e;       /* 5678 */
    buf[n++] = 0; buf[n++] = 8;
    buf[n++] = 0; buf[n++] = 0;
    return n;
}

static void
test_untagged_udp(void **state)
{
    uint8_t buf[128];
    size_t len = build_udp(buf, -1, 5);
    struct flow_key key;
    assert_true(flow_parse(buf, len, &key));
    assert_int_equal(key.dl_dst.ea[5], 0x0b);
    assert_int_equal(key.dl_src.ea[5], 0x0a);
    assert_int_equal(key.vlan_tci, 0);
    assert_int_equal(key.dl_type, 0x0800);
    assert_int_equal(key.l3_ofs, 14);
    assert_int_equal(key.nw_proto, 17);
    assert_int_equal(key.nw_ttl, 64);
    assert_int_equal(key.nw_src, htonl(0x0a000001));
    assert_int_equal(key.nw_dst, htonl(0x0a000102));
    assert_int_equal(ntohs(key.tp_src), 1234);
    assert_int_equal(ntohs(key.tp_dst), 5678);
}

static void
test_vlan_tag_and_options(void **state)
{
    uint8_t buf[128];
    size_t len = build_udp(buf, 100, 6);    /* IP options: IHL 6. */
    struct flow_key key;
    assert_true(flow_parse(buf, len, &key));
    assert_int_equal(flow_vid(&key), 100);
    assert_true(key.vlan_tci & FLOW_VLAN_CFI);
    assert_int_equal(key.vlan_tci >> 13, 1);
    assert_int_equal(key.dl_type, 0x0800);
    assert_int_equal(key.l3_ofs, 18);
    assert_int_equal(ntohs(key.tp_dst), 5678);
}

static void
test_truncated_frames(void **state)
{
    uint8_t buf[128];
    size_t len = build_udp(buf, -1, 5);
    struct flow_key key;
    assert_false(flow_parse(buf, 13, &key));
    /* Ethernet only: L3 fields stay zero. */
    assert_true(flow_parse(buf, 14, &key));
    assert_int_equal(key.dl_type, 0x0800);
    assert_int_equal(key.nw_proto, 0);
    /* IP header but no L4 ports. */
    assert_true(flow_parse(buf, 14 + 20 + 2, &key));
    assert_int_equal(key.nw_proto, 17);
    assert_int_equal(key.tp_src, 0);
    /* A bogus IHL must not read past the end. */
    buf[14] = 0x4f;
    assert_true(flow_parse(buf, len, &key));
    assert_int_equal(key.nw_proto, 0);
}

static void
test_fragment_has_no_ports(void **state)
{
    uint8_t buf[128];
    size_t len = build_udp(buf, -1, 5);
    buf[14 + 6] = 0x00;
    buf[14 + 7] = 0x10;                      /* Offset 16: later fragment. */
    struct flow_key key;
    assert_true(flow_parse(buf, len, &key));
    assert_int_equal(key.nw_proto, 17);
    assert_int_equal(key.tp_src, 0);
    assert_int_equal(key.tp_dst, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untagged_udp),
        cmocka_unit_test(test_vlan_tag_and_options),
        cmocka_unit_test(test_truncated_frames),
        cmocka_unit_test(test_fragment_has_no_ports),
    };
    return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
