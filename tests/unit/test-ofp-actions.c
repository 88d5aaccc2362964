/* Unit tests for lib/openflow/ofp-actions: action and instruction codecs of
 * every version, their error paths, and the ovs-ofctl text syntax. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openflow/openflow.h"
#include "ofp-test-util.h"

static enum ofperr
decode_actions_hex(const char *hex, uint8_t version, struct ofacts *l)
{
    size_t len;
    uint8_t *p = ofp_test_unhex(hex, &len);
    struct ofpr r;
    ofpr_init(&r, p, len);
    ofacts_uninit(l);
    enum ofperr error = ofacts_decode(&r, version, l);
    free(p);
    return error;
}

static enum ofperr
decode_insts_hex(const char *hex, uint8_t version, uint8_t table,
                 struct ofinsts *is)
{
    size_t len;
    uint8_t *p = ofp_test_unhex(hex, &len);
    struct ofpr r;
    ofpr_init(&r, p, len);
    ofinsts_uninit(is);
    ofinsts_init(is);
    enum ofperr error = version == OFP10_VERSION
                        ? ofinsts_decode_any(&r, version, table, is)
                        : ofinsts_decode(&r, version, table, is);
    free(p);
    return error;
}

/* Decodes 'hex', re-encodes, expects identical bytes, and formats. */
static void
check_roundtrip(const char *hex, uint8_t version, const char *text)
{
    struct ofacts l = OFACTS_INITIALIZER;
    assert_int_equal(decode_actions_hex(hex, version, &l), 0);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    assert_int_equal(ofacts_encode(&l, version, &b), 0);
    size_t len;
    uint8_t *p = ofp_test_unhex(hex, &len);
    assert_int_equal(b.size, len);
    assert_memory_equal(b.data, p, len);
    struct dstr s;
    dstr_init(&s);
    ofacts_format(&l, &s);
    assert_string_equal(dstr_cstr(&s), text);
    /* The parser reads the text back to the same actions. */
    struct ofacts l2 = OFACTS_INITIALIZER;
    char *err = ofacts_parse(text, &l2);
    if (err) {
        fail_msg("%s: %s", text, err);
    }
    if (!ofacts_equal(&l, &l2)) {
        fail_msg("parse of %s differs", text);
    }
    dstr_destroy(&s);
    free(p);
    ofpbuf_uninit(&b);
    ofacts_uninit(&l);
    ofacts_uninit(&l2);
}

static void
test_of10_actions(void **state)
{
    /* Captured from ovs-ofctl add-flow "...actions=strip_vlan,
     * mod_dl_dst:00:00:00:00:00:01,mod_nw_src:1.2.3.4,mod_nw_tos:8,
     * mod_tp_dst:99,enqueue:1:2,CONTROLLER:128,LOCAL". */
    check_roundtrip("0003000800000000000500100000000000010000000000000006"
                    "0008010203040008000808000000000a000800630000000b0010"
                    "00010000000000000000000200000008fffd008000000008fffe"
                    "0000",
                    OFP10_VERSION,
                    "strip_vlan,mod_dl_dst:00:00:00:00:00:01,"
                    "mod_nw_src:1.2.3.4,mod_nw_tos:8,mod_tp_dst:99,"
                    "enqueue:1:2,CONTROLLER:128,LOCAL");
    check_roundtrip("0000000800020000" "00010008000a0000", OFP10_VERSION,
                    "output:2,mod_vlan_vid:10");
    check_roundtrip("0002000803000000" "00040010001122334455000000000000"
                    "0007000805060708" "0009000800350000", OFP10_VERSION,
                    "mod_vlan_pcp:3,mod_dl_src:00:11:22:33:44:55,"
                    "mod_nw_dst:5.6.7.8,mod_tp_src:53");
}

/* Nicira actions, as ovs-ofctl sends them over OpenFlow 1.0 (captured). */
static void
test_nx_actions(void **state)
{
    check_roundtrip("ffff0010000023200012000000000000", OFP10_VERSION,
                    "dec_ttl");
    check_roundtrip("ffff0010000023200028000000000001", OFP10_VERSION,
                    "group:1");
    check_roundtrip("ffff0010000023200017884700000000"
                    "ffff0010000023200019050000000000"
                    "ffff001000002320001a000000000000"
                    "ffff0010000023200018080000000000", OFP10_VERSION,
                    "push_mpls:0x8847,set_mpls_ttl(5),dec_mpls_ttl,"
                    "pop_mpls:0x0800");
    check_roundtrip("ffff0010000023200004000000000003", OFP10_VERSION,
                    "set_queue:3");
    check_roundtrip("ffff0018000023200007000700013a010000000000000009",
                    OFP10_VERSION, "mod_nw_ttl:9");
    check_roundtrip("ffff0018000023200007003f000120080000000000001234",
                    OFP10_VERSION, "set_field:0x1234->tun_id");
    check_roundtrip("ffff001000002320001e000000000005"
                    "ffff001000002320001f010000000000", OFP10_VERSION,
                    "set_field:5->mpls_label,set_field:1->mpls_tc");
}

static void
test_of10_action_errors(void **state)
{
    struct ofacts l = OFACTS_INITIALIZER;
    /* Length not a multiple of 8, too short, beyond the buffer. */
    assert_int_equal(decode_actions_hex("000000070002000000", 1, &l),
                     OFPERR_OFPBAC_BAD_LEN);
    assert_int_equal(decode_actions_hex("0000000000020000", 1, &l),
                     OFPERR_OFPBAC_BAD_LEN);
    assert_int_equal(decode_actions_hex("0000001000020000", 1, &l),
                     OFPERR_OFPBAC_BAD_LEN);
    assert_int_equal(decode_actions_hex("000000", 1, &l),
                     OFPERR_OFPBAC_BAD_LEN);
    /* Fixed-size action with the wrong length. */
    assert_int_equal(decode_actions_hex("00000010000200000000000000000000",
                                        1, &l), OFPERR_OFPBAC_BAD_LEN);
    /* Unknown type and vendor action. */
    assert_int_equal(decode_actions_hex("000c000800000000", 1, &l),
                     OFPERR_OFPBAC_BAD_TYPE);
    assert_int_equal(decode_actions_hex("ffff001000001234000e000000000000",
                                        1, &l), OFPERR_OFPBAC_BAD_EXPERIMENTER);
    /* A Nicira action without an equivalent (resubmit) and a truncated
     * one. */
    assert_int_equal(decode_actions_hex("ffff001000002320000e000000000000",
                                        1, &l), OFPERR_OFPBAC_BAD_EXP_TYPE);
    assert_int_equal(decode_actions_hex("ffff000800002320", 1, &l),
                     OFPERR_OFPBAC_BAD_LEN);
    /* A partial register load has no equivalent. */
    assert_int_equal(decode_actions_hex("ffff0018000023200007000300013a01"
                                        "0000000000000009", 1, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Output to port 0 and to OFPP_NONE. */
    assert_int_equal(decode_actions_hex("0000000800000000", 1, &l),
                     OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(decode_actions_hex("00000008ffff0000", 1, &l),
                     OFPERR_OFPBAC_BAD_OUT_PORT);
    /* Bad arguments: vid > 4095, pcp > 7, tos with ECN bits. */
    assert_int_equal(decode_actions_hex("0001000810000000", 1, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    assert_int_equal(decode_actions_hex("0002000808000000", 1, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    assert_int_equal(decode_actions_hex("0008000803000000", 1, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Enqueue to a reserved port. */
    assert_int_equal(decode_actions_hex("000b0010fffb00000000000000000001",
                                        1, &l), OFPERR_OFPBAC_BAD_OUT_PORT);
    ofacts_uninit(&l);
}

static void
test_of13_actions(void **state)
{
    check_roundtrip("0000001000000002ffe5000000000000", OFP13_VERSION,
                    "output(port=2,max_len=65509)");
    check_roundtrip("00000010fffffffdffff000000000000", OFP13_VERSION,
                    "CONTROLLER:65535");
    check_roundtrip("001100088100000000120008000000000013000888470000000f"
                    "00080900000000100008000000000014000808000000000b0008"
                    "00000000000c00080000000000170008030000000018000800000"
                    "00000150008000000020016000800000009001a000888e7000000"
                    "1b000800000000", OFP13_VERSION,
                    "push_vlan:0x8100,pop_vlan,push_mpls:0x8847,"
                    "set_mpls_ttl(9),dec_mpls_ttl,pop_mpls:0x0800,"
                    "copy_ttl_out,copy_ttl_in,mod_nw_ttl:3,dec_ttl,"
                    "set_queue:2,group:9,push_pbb:0x88e7,pop_pbb");
    /* Set-field on several field types. */
    check_roundtrip("0019001080000c02100a00000000000000190010800018040a00"
                    "000100000000001900108000080600000000000500000019001080"
                    "00300600112233445500000019001880003410000000000000000000"
                    "0000000000000100190010800038040001234500000000",
                    OFP13_VERSION,
                    "set_field:4106->vlan_vid,set_field:10.0.0.1->ip_dst,"
                    "set_field:00:00:00:00:00:05->eth_src,"
                    "set_field:00:11:22:33:44:55->arp_sha,"
                    "set_field:::1->ipv6_src,set_field:0x12345->ipv6_label");
}

static void
test_of13_action_errors(void **state)
{
    struct ofacts l = OFACTS_INITIALIZER;
    /* Output: bad length, port 0, port ANY, reserved range. */
    assert_int_equal(decode_actions_hex("0000000800000002", 4, &l),
                     OFPERR_OFPBAC_BAD_LEN);
    assert_int_equal(decode_actions_hex("00000010000000000000000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(decode_actions_hex("00000010ffffffff0000000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(decode_actions_hex("00000010ffffff010000000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_OUT_PORT);
    /* Unknown type; experimenter; meter action before 1.5. */
    assert_int_equal(decode_actions_hex("0001000800000000", 4, &l),
                     OFPERR_OFPBAC_BAD_TYPE);
    assert_int_equal(decode_actions_hex("ffff0010000012340000000000000000",
                                        4, &l),
                     OFPERR_OFPBAC_BAD_EXPERIMENTER);
    assert_int_equal(decode_actions_hex("001d000800000001", 4, &l),
                     OFPERR_OFPBAC_BAD_TYPE);
    assert_int_equal(decode_actions_hex("001d000800000001", 6, &l), 0);
    /* Bad ethertypes. */
    assert_int_equal(decode_actions_hex("0011000808000000", 4, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    assert_int_equal(decode_actions_hex("0013000881000000", 4, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    assert_int_equal(decode_actions_hex("001a000881000000", 4, &l),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Group above OFPG_MAX. */
    assert_int_equal(decode_actions_hex("00160008fffffffc", 4, &l),
                     OFPERR_OFPBAC_BAD_OUT_GROUP);
    /* Set-field: unknown field, unsettable field (in_port, ipv6_exthdr),
     * wrong OXM length, wrong action length, value out of range, mask in
     * 1.3 and on an unmaskable field in 1.5. */
    assert_int_equal(decode_actions_hex("0019001080005004000000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_LEN);
    assert_int_equal(decode_actions_hex("00190010800050040000000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_SET_TYPE);
    assert_int_equal(decode_actions_hex("00190010800000040000000100000000",
                                        4, &l), OFPERR_OFPBAC_BAD_SET_TYPE);
    assert_int_equal(decode_actions_hex("0019001080004e020004000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_SET_TYPE);
    assert_int_equal(decode_actions_hex("0019001080000a03080000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_LEN);
    assert_int_equal(decode_actions_hex("0019001080000a030800000000000000",
                                        4, &l), OFPERR_OFPBAC_BAD_SET_LEN);
    assert_int_equal(decode_actions_hex("00190018800018040a00000100000000"
                                        "0000000000000000", 4, &l),
                     OFPERR_OFPBAC_BAD_SET_LEN);
    assert_int_equal(decode_actions_hex("0019001080000e010800000000000000",
                                        4, &l),
                     OFPERR_OFPBAC_BAD_SET_ARGUMENT);
    assert_int_equal(decode_actions_hex("00190010800019080a000000ff000000", 4, &l),
                     OFPERR_OFPBAC_BAD_SET_ARGUMENT);
    assert_int_equal(decode_actions_hex("00190010800019080a000000ff000000", 6, &l), 0);
    assert_true(l.acts[0].set_field.masked);
    assert_int_equal(decode_actions_hex("0019001080000b040800ffff00000000",
                                        6, &l), OFPERR_OFPBAC_BAD_SET_MASK);
    /* 1.5 masked set-field encodes back; 1.3 refuses to encode it. */
    struct ofpbuf b = OFPBUF_INITIALIZER;
    assert_int_equal(decode_actions_hex("00190010800019080a000000ff000000", 6, &l), 0);
    assert_int_equal(ofacts_encode(&l, 6, &b), 0);
    assert_int_equal(b.size, 16);
    ofpbuf_clear(&b);
    assert_int_equal(ofacts_encode(&l, 4, &b), OFPERR_OFPBAC_BAD_SET_TYPE);
    /* Actions that OpenFlow 1.0 lacks, even as Nicira actions. */
    assert_int_equal(decode_actions_hex("001a000888e70000", 4, &l), 0);
    ofpbuf_clear(&b);
    assert_int_equal(ofacts_encode(&l, 1, &b), OFPERR_OFPBAC_BAD_TYPE);
    ofpbuf_uninit(&b);
    ofacts_uninit(&l);
}

static void
test_instructions(void **state)
{
    struct ofinsts is;
    ofinsts_init(&is);
    /* Meter, apply, clear, write, write-metadata, goto. */
    const char *all = "0006000800000004"
                      "0004001800000000" "0000001000000001ffe5000000000000"
                      "0005000800000000"
                      "0003001000000000" "0016000800000009"
                      "000200180000000000000000000000010000000000000000ff"
                      "0001000803000000";
    assert_int_equal(decode_insts_hex(all, 4, 1, &is), OFPERR_OFPBIC_BAD_LEN);
    all = "0006000800000004"
          "0004001800000000" "0000001000000001ffe5000000000000"
          "0005000800000000"
          "0003001000000000" "0016000800000009"
          "0002001800000000" "0000000000000001" "00000000000000ff"
          "0001000803000000";
    assert_int_equal(decode_insts_hex(all, 4, 1, &is), 0);
    assert_int_equal(is.present, OFINST_METER | OFINST_APPLY_ACTIONS
                     | OFINST_CLEAR_ACTIONS | OFINST_WRITE_ACTIONS
                     | OFINST_WRITE_METADATA | OFINST_GOTO_TABLE);
    assert_int_equal(is.meter_id, 4);
    assert_int_equal(is.goto_table, 3);
    assert_int_equal(is.metadata, 1);
    assert_int_equal(is.metadata_mask, 0xff);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    assert_int_equal(ofinsts_encode(&is, 4, &b), 0);
    size_t len;
    uint8_t *p = ofp_test_unhex(all, &len);
    assert_int_equal(b.size, len);
    assert_memory_equal(b.data, p, len);
    free(p);
    struct dstr s;
    dstr_init(&s);
    ofinsts_format(&is, &s);
    assert_string_equal(dstr_cstr(&s),
                        "actions=meter:4,output(port=1,max_len=65509),"
                        "clear_actions,write_actions(group:9),"
                        "write_metadata:0x1/0xff,goto_table:3");
    /* OF1.5: the meter goes into apply-actions as a meter action, and comes
     * back as the meter instruction. */
    ofpbuf_clear(&b);
    assert_int_equal(ofinsts_encode(&is, 6, &b), 0);
    struct ofinsts is2;
    ofinsts_init(&is2);
    struct ofpr r;
    ofpr_init(&r, b.data, b.size);
    assert_int_equal(ofinsts_decode_any(&r, 6, 1, &is2), 0);
    assert_true(ofinsts_equal(&is, &is2));
    ofinsts_uninit(&is2);

    /* Errors. */
    assert_int_equal(decode_insts_hex("0001000803000000" "0001000804000000",
                                      4, 1, &is), OFPERR_OFPBIC_UNSUP_INST);
    assert_int_equal(decode_insts_hex("0001000803000000" "0001000804000000",
                                      5, 1, &is), OFPERR_OFPBIC_DUP_INST);
    assert_int_equal(decode_insts_hex("0001000801000000", 4, 1, &is),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    assert_int_equal(decode_insts_hex("00010008ff000000", 4, 0xff, &is),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    assert_int_equal(decode_insts_hex("0007000800000000", 4, 1, &is),
                     OFPERR_OFPBIC_UNKNOWN_INST);
    assert_int_equal(decode_insts_hex("ffff000800002320", 4, 1, &is),
                     OFPERR_OFPBIC_BAD_EXPERIMENTER);
    assert_int_equal(decode_insts_hex("0001001003000000", 4, 1, &is),
                     OFPERR_OFPBIC_BAD_LEN);
    assert_int_equal(decode_insts_hex("00010009030000000", 4, 1, &is),
                     OFPERR_OFPBIC_BAD_LEN);
    assert_int_equal(decode_insts_hex("0002001000000000" "0000000000000001",
                                      4, 1, &is), OFPERR_OFPBIC_BAD_LEN);
    assert_int_equal(decode_insts_hex("0004001000000000" "0001000800000000",
                                      4, 1, &is), OFPERR_OFPBAC_BAD_TYPE);
    ofinsts_uninit(&is);
    ofpbuf_uninit(&b);
    dstr_destroy(&s);
}

/* OpenFlow 1.0 (and NXST_FLOW) carry instructions as Open vSwitch 3.1
 * does; the expected bytes are its NXST_FLOW replies for these flows. */
static void
check_of10_insts(const char *text, const char *hex, const char *back)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *flow = xasprintf("actions=%s", text);
    char *err = ofp_flow_mod_parse(flow, OFPFC_ADD, &fm);
    assert_null(err);
    free(flow);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    assert_int_equal(ofinsts_encode_any(&fm.insts, OFP10_VERSION, &b), 0);
    ofp_flow_mod_uninit(&fm);
    struct ofinsts is;
    ofinsts_init(&is);
    size_t len;
    uint8_t *p = ofp_test_unhex(hex, &len);
    if (b.size != len || memcmp(b.data, p, len)) {
        ofp_test_hexdump("want", p, len);
        ofp_test_hexdump("got ", b.data, b.size);
        fail_msg("%s: OpenFlow 1.0 encoding differs", text);
    }
    /* What survives decodes back. */
    assert_int_equal(decode_insts_hex(hex, 1, 0xff, &is), 0);
    struct dstr s;
    dstr_init(&s);
    ofinsts_format(&is, &s);
    char *want = xasprintf("actions=%s", back);
    assert_string_equal(dstr_cstr(&s), want);
    free(want);
    dstr_destroy(&s);
    free(p);
    ofpbuf_uninit(&b);
    ofinsts_uninit(&is);
}

static void
test_of10_instructions(void **state)
{
    check_of10_insts("goto_table:1", "ffff001000002320000efff801000000",
                     "goto_table:1");
    check_of10_insts("meter:1,output:3", "0000000800030000", "output:3");
    check_of10_insts("write_actions(output:2)", "", "drop");
    check_of10_insts("output:1,write_metadata:0x5/0xff",
                     "0000000800010000"
                     "ffff002000002320001600000000000000000000000000050000"
                     "0000000000ff", "output:1,write_metadata:0x5/0xff");
    check_of10_insts("output:1,clear_actions,write_actions(output:3),"
                     "goto_table:3",
                     "0000000800010000" "ffff001000002320000efff803000000",
                     "output:1,goto_table:3");
    check_of10_insts("write_metadata:0x5,goto_table:2",
                     "ffff00200000232000160000000000000000000000000005ffff"
                     "ffffffffffff" "ffff001000002320000efff802000000",
                     "write_metadata:0x5,goto_table:2");

    /* Nothing may follow the resubmit or come between write_metadata and
     * it; only a resubmit from the input port to a table is a goto. */
    static const struct {
        const char *hex;
        enum ofperr error;
    } bad[] = {
        { "ffff001000002320000efff803000000" "0000000800010000",
          OFPERR_OFPBAC_UNSUPPORTED_ORDER },
        { "ffff00200000232000160000000000000000000000000005ffffffffffffffff"
          "0000000800010000", OFPERR_OFPBAC_UNSUPPORTED_ORDER },
        { "ffff001000002320000efff803000000"
          "ffff001000002320000efff804000000",
          OFPERR_OFPBAC_UNSUPPORTED_ORDER },
        { "ffff001000002320000e000103000000", OFPERR_OFPBAC_BAD_EXP_TYPE },
        { "ffff001000002320000efff8ff000000", OFPERR_OFPBAC_BAD_EXP_TYPE },
        { "ffff001800002320000efff803000000" "0000000000000000",
          OFPERR_OFPBAC_BAD_LEN },
    };
    struct ofinsts is;
    ofinsts_init(&is);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(decode_insts_hex(bad[i].hex, 1, 0xff, &is),
                         bad[i].error);
    }
    ofinsts_uninit(&is);
}

static void
test_match_consistency(void **state)
{
    struct ofmatch m;
    struct ofacts l = OFACTS_INITIALIZER;
    ofmatch_init(&m);
    ofacts_put_set_field_uint(&l, MFF_IPV4_DST, 0x0a000001);
    assert_int_equal(ofacts_check(&l, &m), OFPERR_OFPBAC_MATCH_INCONSISTENT);
    ofmatch_set_uint(&m, MFF_ETH_TYPE, 0x0800);
    assert_int_equal(ofacts_check(&l, &m), 0);
    /* After push_mpls the packet is no longer IP. */
    ofacts_uninit(&l);
    ofacts_append(&l, OFACT_PUSH_MPLS)->ethertype = 0x8847;
    ofacts_put_set_field_uint(&l, MFF_IPV4_DST, 1);
    assert_int_equal(ofacts_check(&l, &m), OFPERR_OFPBAC_MATCH_INCONSISTENT);
    /* A set-field of eth_type establishes it for what follows. */
    ofacts_uninit(&l);
    ofmatch_init(&m);
    ofacts_put_set_field_uint(&l, MFF_ETH_TYPE, 0x0800);
    ofacts_put_set_field_uint(&l, MFF_IPV4_DST, 1);
    assert_int_equal(ofacts_check(&l, &m), 0);
    /* Legacy OF1.0 set actions are not checked (they apply if the packet
     * has the field). */
    ofacts_uninit(&l);
    ofacts_put_set_field_uint(&l, MFF_TCP_DST, 80);
    l.acts[0].set_field.legacy = true;
    assert_int_equal(ofacts_check(&l, &m), 0);
    ofacts_uninit(&l);
}

static void
test_parse_flow(void **state)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *err = ofp_flow_mod_parse(
        "cookie=0x5,idle_timeout=10,hard_timeout=20,send_flow_rem,ip",
        OFPFC_ADD, &fm);
    assert_null(err);
    assert_int_equal(fm.cookie, 5);
    assert_int_equal(fm.idle_timeout, 10);
    assert_int_equal(fm.hard_timeout, 20);
    assert_int_equal(fm.flags, OFPFF_SEND_FLOW_REM);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_init(&fm);
    err = ofp_flow_mod_parse(
        "table=2,priority=9,ip,nw_src=10.0.0.0/8,actions=push_vlan:0x8100,"
        "set_field:4106->vlan_vid,group:3,goto_table:4", OFPFC_ADD, &fm);
    assert_null(err);
    assert_int_equal(fm.table_id, 2);
    assert_int_equal(fm.priority, 9);
    assert_int_equal(fm.insts.apply.n, 3);
    assert_int_equal(fm.insts.goto_table, 4);
    /* Encoded for OF1.3, it equals what ovs-ofctl -O OpenFlow13 add-flow
     * sent for the same flow (captured). */
    struct ofp_vector *v;
    size_t n = ofp_test_load("ofctl-vectors.txt", &v);
    const struct ofp_vector *want = ofp_test_find(v, n, "of13.add_flow.5");
    assert_non_null(want);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    fm.buffer_id = OFP_NO_BUFFER;
    assert_int_equal(ofp_encode_flow_mod(&fm, 4, false,
                                         ofp_get_be32(want->data + 4), &b), 0);
    assert_int_equal(b.size, want->len);
    assert_memory_equal(b.data, want->data, want->len);
    ofp_test_free(v, n);
    ofpbuf_uninit(&b);
    ofp_flow_mod_uninit(&fm);

    ofp_flow_mod_init(&fm);
    err = ofp_flow_mod_parse("ip,actions=frobnicate", OFPFC_ADD, &fm);
    assert_non_null(err);
    free(err);
    ofp_flow_mod_uninit(&fm);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_of10_actions),
        cmocka_unit_test(test_nx_actions),
        cmocka_unit_test(test_of10_action_errors),
        cmocka_unit_test(test_of13_actions),
        cmocka_unit_test(test_of13_action_errors),
        cmocka_unit_test(test_instructions),
        cmocka_unit_test(test_of10_instructions),
        cmocka_unit_test(test_match_consistency),
        cmocka_unit_test(test_parse_flow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
