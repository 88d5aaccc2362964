/* ofp-samples: prints "NAME HEX" for messages that the switch side encodes
 * with lib/openflow, for every version; tests/integration/
 * test_openflow_codec.py feeds each to `ovs-ofctl ofp-print` (Open vSwitch's
 * own decoder) to check that a real client accepts them. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openflow/openflow.h"
#include "util/util.h"

static void
print_buf(const char *name, uint8_t version, const struct ofpbuf *b)
{
    printf("%s.v%d ", name, version);
    for (size_t i = 0; i < b->size; i++) {
        printf("%02x", b->data[i]);
    }
    printf("\n");
}

static void
print_reply(const char *name, uint8_t version, struct ofpmp_reply *r)
{
    ofpmp_reply_finish(r);
    for (size_t i = 0; i < r->n_msgs; i++) {
        print_buf(name, version, &r->msgs[i]);
    }
    ofpmp_reply_uninit(r);
}

static void
sample_port(struct ofp_port *p, uint32_t no)
{
    memset(p, 0, sizeof *p);
    p->port_no = no;
    memcpy(p->hw_addr, "\x00\x11\x22\x33\x44\x55", 6);
    snprintf(p->name, sizeof p->name, "dpdk%u", no);
    p->curr = OFPPF_10GB_FD | OFPPF_FIBER;
    p->supported = OFPPF_10GB_FD | OFPPF_1GB_FD;
    p->curr_speed = 10000000;
    p->max_speed = 10000000;
}

static void
sample_flow(struct ofp_flow_stats *fs)
{
    ofp_flow_stats_init(fs);
    fs->table_id = 0;
    fs->duration_sec = 5;
    fs->duration_nsec = 123000000;
    fs->priority = 100;
    fs->idle_timeout = 10;
    fs->cookie = 0x42;
    fs->packet_count = 7;
    fs->byte_count = 700;
    ofmatch_set_uint(&fs->match, MFF_IN_PORT, 1);
    ofmatch_set_uint(&fs->match, MFF_ETH_TYPE, 0x0800);
    ofmatch_set_uint_masked(&fs->match, MFF_IPV4_SRC, 0x0a000000, 0xff000000);
    fs->insts.present = OFINST_APPLY_ACTIONS;
    ofacts_put_output(&fs->insts.apply, 2, 0);
}

/* With arguments "--format-flows HEX": decodes a flow stats reply and
 * prints each flow in dump-flows syntax. */
static int
format_flows(const char *hex)
{
    size_t len = strlen(hex) / 2;
    uint8_t *msg = xmalloc(len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        unsigned int byte;
        sscanf(hex + 2 * i, "%2x", &byte);
        msg[i] = byte;
    }
    struct ofp_flow_stats fs;
    ofp_flow_stats_init(&fs);
    size_t pos = 0;
    int error;
    while (!(error = ofp_decode_flow_stats_entry(msg, len, &pos, &fs))) {
        struct dstr s;
        dstr_init(&s);
        ofp_flow_stats_format(&fs, &s);
        printf("%s\n", dstr_cstr(&s));
        dstr_destroy(&s);
    }
    ofp_flow_stats_uninit(&fs);
    free(msg);
    if (error != EOF) {
        fprintf(stderr, "decode error: %s\n", ofperr_name(error));
        return 1;
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    if (argc == 3 && !strcmp(argv[1], "--format-flows")) {
        return format_flows(argv[2]);
    }
    static const uint8_t versions[] = { 1, 4, 5, 6 };
    struct ofpbuf b = OFPBUF_INITIALIZER;

    for (size_t vi = 0; vi < sizeof versions; vi++) {
        uint8_t v = versions[vi];
        struct ofp_port ports[2];
        sample_port(&ports[0], 1);
        sample_port(&ports[1], OFPP_LOCAL);

        struct ofp_features f = {
            .datapath_id = 0xabcdef, .n_buffers = 0, .n_tables = 254,
            .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS
                            | OFPC_PORT_STATS,
            .actions = 0xfff, .ports = ports, .n_ports = 2,
        };
        ofp_encode_features_reply(&f, v, 1, &b);
        print_buf("features_reply", v, &b);

        struct ofp_switch_config c = { 0, 128 };
        ofp_encode_switch_config(OFPTYPE_GET_CONFIG_REPLY, &c, v, 2, &b);
        print_buf("get_config_reply", v, &b);

        static const uint8_t pkt[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0, 0, 0, 0, 0, 1, 0x08, 0x06 };
        struct ofp_packet_in pi = {
            .buffer_id = OFP_NO_BUFFER, .total_len = 60, .reason = OFPR_ACTION,
            .table_id = 0, .cookie = 0x42, .data = pkt, .data_len = 60,
        };
        ofmatch_init(&pi.match);
        ofmatch_set_uint(&pi.match, MFF_IN_PORT, 1);
        ofp_encode_packet_in(&pi, v, NXPIF_STANDARD, &b);
        print_buf("packet_in", v, &b);
        ofp_encode_packet_in(&pi, v, NXPIF_NXT_PACKET_IN, &b);
        print_buf("nx_packet_in", v, &b);
        ofp_encode_packet_in(&pi, v, NXPIF_NXT_PACKET_IN2, &b);
        print_buf("nx_packet_in2", v, &b);

        struct ofp_flow_removed fr = {
            .cookie = 0x42, .priority = 100, .reason = OFPRR_IDLE_TIMEOUT,
            .table_id = 0, .duration_sec = 5, .idle_timeout = 10,
            .packet_count = 7, .byte_count = 700,
        };
        ofmatch_init(&fr.match);
        ofmatch_set_uint(&fr.match, MFF_ETH_TYPE, 0x0800);
        ofp_encode_flow_removed(&fr, v, false, &b);
        print_buf("flow_removed", v, &b);
        if (v == 1) {
            ofp_encode_flow_removed(&fr, v, true, &b);
            print_buf("nx_flow_removed", v, &b);
        }

        struct ofp_port_status ps = { OFPPR_ADD, ports[0] };
        ofp_encode_port_status(&ps, v, &b);
        print_buf("port_status", v, &b);

        struct ofp_desc d;
        memset(&d, 0, sizeof d);
        strcpy(d.mfr_desc, "ovs-nfv");
        strcpy(d.hw_desc, "ovs-nfv");
        strcpy(d.sw_desc, "0.1.0");
        strcpy(d.serial_num, "None");
        strcpy(d.dp_desc, "br0");
        ofp_encode_desc_reply(&d, v, 3, &b);
        print_buf("desc_reply", v, &b);

        struct ofpmp_reply r;
        struct ofp_flow_stats fs;
        sample_flow(&fs);
        ofpmp_reply_start(&r, OFPTYPE_FLOW_STATS_REPLY, v, 4);
        ofp_append_flow_stats(&r, &fs);
        print_reply("flow_stats_reply", v, &r);
        if (v == 1) {
            ofpmp_reply_start(&r, OFPTYPE_NXST_FLOW_REPLY, v, 4);
            fs.idle_age = 3;
            ofp_append_flow_stats(&r, &fs);
            print_reply("nx_flow_stats_reply", v, &r);
            /* Our text form of the same flow, for comparison with
             * ovs-ofctl's. */
            struct dstr text;
            dstr_init(&text);
            ofp_flow_stats_format(&fs, &text);
            printf("text.nx_flow_stats_reply.v1 %s\n", dstr_cstr(&text));
            dstr_destroy(&text);
        }
        ofp_flow_stats_uninit(&fs);

        struct ofp_aggregate_stats as = { 7, 700, 1 };
        ofp_encode_aggregate_reply(&as, v, false, 5, &b);
        print_buf("aggregate_reply", v, &b);
        if (v == 1) {
            ofp_encode_aggregate_reply(&as, v, true, 5, &b);
            print_buf("nx_aggregate_reply", v, &b);
        }

        struct ofp_table_stats ts = {
            .table_id = 0, .name = "classifier", .wildcards = 0x3fffff,
            .max_entries = 1000000, .active_count = 1, .lookup_count = 10,
            .matched_count = 9,
        };
        ofpmp_reply_start(&r, OFPTYPE_TABLE_STATS_REPLY, v, 6);
        ofp_append_table_stats(&r, &ts);
        print_reply("table_stats_reply", v, &r);

        struct ofp_port_stats pst = {
            .port_no = 1, .rx_packets = 10, .tx_packets = 20,
            .rx_bytes = 1000, .tx_bytes = 2000, .duration_sec = 9,
        };
        ofpmp_reply_start(&r, OFPTYPE_PORT_STATS_REPLY, v, 7);
        ofp_append_port_stats(&r, &pst);
        print_reply("port_stats_reply", v, &r);

        ofpmp_reply_start(&r, OFPTYPE_PORT_DESC_REPLY, v, 8);
        ofp_append_port_desc(&r, &ports[0]);
        ofp_append_port_desc(&r, &ports[1]);
        print_reply("port_desc_reply", v, &r);

        struct ofp_queue_stats qs = { .port_no = 1, .queue_id = 0,
                                      .tx_packets = 5 };
        ofpmp_reply_start(&r, OFPTYPE_QUEUE_STATS_REPLY, v, 9);
        ofp_append_queue_stats(&r, &qs);
        print_reply("queue_stats_reply", v, &r);

        ofp_encode_empty(OFPTYPE_BARRIER_REPLY, v, 10, &b);
        print_buf("barrier_reply", v, &b);

        static const uint8_t bad_req[8] = { 0, 2, 0, 8, 0, 0, 0, 11 };
        uint8_t req[8];
        memcpy(req, bad_req, 8);
        req[0] = v;
        ofp_encode_error(OFPERR_OFPBRC_BAD_TYPE, v, req, 8, &b);
        print_buf("error_bad_type", v, &b);
        ofp_encode_error(OFPERR_OFPBMC_BAD_PREREQ, v, req, 8, &b);
        print_buf("error_bad_prereq", v, &b);

        if (v == 1) {
            struct nx_flow_update u;
            memset(&u, 0, sizeof u);
            u.event = NXFME_ADDED;
            u.priority = 100;
            u.idle_timeout = 10;
            u.table_id = 0;
            u.cookie = 0x42;
            ofmatch_init(&u.match);
            ofmatch_set_uint(&u.match, MFF_ETH_TYPE, 0x0800);
            struct ofacts acts = OFACTS_INITIALIZER;
            ofacts_put_output(&acts, 2, 0);
            u.actions = &acts;
            ofpmp_reply_start(&r, OFPTYPE_NXST_FLOW_MONITOR_REPLY, v, 22);
            nx_append_flow_update(&r, &u);
            u.event = NXFME_DELETED;
            u.reason = OFPRR_HARD_TIMEOUT;
            nx_append_flow_update(&r, &u);
            u.event = NXFME_ABBREV;
            u.xid = 0x1234;
            nx_append_flow_update(&r, &u);
            print_reply("nx_flow_monitor_reply", v, &r);
            ofacts_uninit(&acts);
            nx_encode_flow_monitor_paused(true, 23, &b);
            print_buf("nx_flow_monitor_paused", v, &b);
            continue;
        }
        struct ofp_table_features tf;
        memset(&tf, 0, sizeof tf);
        tf.table_id = 0;
        strcpy(tf.name, "classifier");
        tf.metadata_match = tf.metadata_write = UINT64_MAX;
        tf.max_entries = 1000000;
        tf.instructions = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5);
        tf.n_next_tables = 1;
        tf.next_tables[0] = 1;
        tf.actions = (1 << 0) | (1 << 17) | (1 << 18) | (1 << 22) | (1 << 25);
        tf.match_fields = (1 << MFF_IN_PORT) | (1 << MFF_ETH_TYPE)
                          | (1 << MFF_IPV4_SRC) | (1 << MFF_VLAN_VID);
        tf.wildcard_fields = tf.match_fields;
        tf.write_setfields = tf.apply_setfields = (1 << MFF_VLAN_VID)
                                                  | (1 << MFF_IPV4_DST);
        ofpmp_reply_start(&r, OFPTYPE_TABLE_FEATURES_REPLY, v, 12);
        ofp_append_table_features(&r, &tf);
        tf.table_id = 1;
        tf.n_next_tables = 0;
        ofp_append_table_features(&r, &tf);
        print_reply("table_features_reply", v, &r);

        struct ofp_group_mod gd;
        ofp_group_mod_init(&gd);
        gd.type = OFPGT_SELECT;
        gd.group_id = 1;
        struct ofp_bucket *bk = ofp_group_mod_add_bucket(&gd);
        bk->weight = 5;
        ofacts_put_output(&bk->actions, 1, 0);
        bk = ofp_group_mod_add_bucket(&gd);
        bk->weight = 6;
        ofacts_put_output(&bk->actions, 2, 0);
        ofpmp_reply_start(&r, OFPTYPE_GROUP_DESC_REPLY, v, 13);
        ofp_append_group_desc(&r, &gd);
        print_reply("group_desc_reply", v, &r);
        ofp_group_mod_uninit(&gd);

        struct ofp_bucket_counter bc[2] = { { 1, 100 }, { 2, 200 } };
        struct ofp_group_stats gs = { .group_id = 1, .ref_count = 1,
                                      .packet_count = 3, .byte_count = 300,
                                      .buckets = bc, .n_buckets = 2 };
        ofpmp_reply_start(&r, OFPTYPE_GROUP_STATS_REPLY, v, 14);
        ofp_append_group_stats(&r, &gs);
        print_reply("group_stats_reply", v, &r);

        struct ofp_group_features gf = { .types = 0xf, .capabilities = 1,
                                         .max_groups = { 100, 100, 100, 100 },
                                         .actions = { 1, 1, 1, 1 } };
        ofp_encode_group_features_reply(&gf, v, 15, &b);
        print_buf("group_features_reply", v, &b);

        struct ofp_meter_mod mc = { .flags = OFPMF_KBPS | OFPMF_BURST,
                                    .meter_id = 1, .n_bands = 1 };
        mc.bands[0].type = OFPMBT_DROP;
        mc.bands[0].rate = 1000;
        mc.bands[0].burst_size = 10;
        ofpmp_reply_start(&r, OFPTYPE_METER_CONFIG_REPLY, v, 16);
        ofp_append_meter_config(&r, &mc);
        print_reply("meter_config_reply", v, &r);

        struct ofp_meter_band_stats mbs = { 1, 64 };
        struct ofp_meter_stats ms = { .meter_id = 1, .flow_count = 1,
                                      .packet_in_count = 2,
                                      .byte_in_count = 128, .bands = &mbs,
                                      .n_bands = 1 };
        ofpmp_reply_start(&r, OFPTYPE_METER_STATS_REPLY, v, 17);
        ofp_append_meter_stats(&r, &ms);
        print_reply("meter_stats_reply", v, &r);

        struct ofp_meter_features mf = { .max_meter = 1000,
                                         .band_types = 1 << OFPMBT_DROP,
                                         .capabilities = 0xf, .max_bands = 1,
                                         .max_color = 0 };
        ofp_encode_meter_features_reply(&mf, v, 18, &b);
        print_buf("meter_features_reply", v, &b);

        struct ofp_role_msg role = { OFPCR_ROLE_MASTER, true, 7 };
        ofp_encode_role(OFPTYPE_ROLE_REPLY, &role, v, 19, &b);
        print_buf("role_reply", v, &b);

        struct ofp_async_config ac;
        ofp_async_config_default(&ac);
        ofp_encode_async_config(OFPTYPE_GET_ASYNC_REPLY, &ac, v, 20, &b);
        print_buf("get_async_reply", v, &b);

        if (v >= 5) {
            struct ofp_bundle_ctrl bctl = { 1, OFPBCT_OPEN_REPLY, 0 };
            ofp_encode_bundle_ctrl(&bctl, v, 21, &b);
            print_buf("bundle_open_reply", v, &b);
        }
    }
    ofpbuf_uninit(&b);
    return 0;
}
