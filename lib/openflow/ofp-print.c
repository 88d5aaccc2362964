/* ofp-print.c: matches and actions in ovs-ofctl's text syntax. */
#include <config.h>

#include "openflow/ofp-print.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

/* ---- Value formatting ------------------------------------------------- */

enum value_style { V_DEC, V_HEX, V_MAC, V_IPV4, V_IPV6, V_PORT, V_FLABEL };

static enum value_style
field_style(enum mf_field f)
{
    switch (f) {
    case MFF_IN_PORT: case MFF_IN_PHY_PORT: case MFF_ACTSET_OUTPUT:
        return V_PORT;
    case MFF_METADATA: case MFF_TUNNEL_ID: case MFF_ETH_TYPE:
    case MFF_PBB_ISID: case MFF_IPV6_EXTHDR: case MFF_TCP_FLAGS:
    case MFF_PACKET_TYPE: case MFF_NX_IP_FRAG:
    case MFF_NX_REG0: case MFF_NX_REG1: case MFF_NX_REG2: case MFF_NX_REG3:
    case MFF_NX_REG4: case MFF_NX_REG5: case MFF_NX_REG6: case MFF_NX_REG7:
        return V_HEX;
    case MFF_IPV6_FLABEL:
        return V_FLABEL;
    case MFF_ETH_DST: case MFF_ETH_SRC: case MFF_ARP_SHA: case MFF_ARP_THA:
    case MFF_IPV6_ND_SLL: case MFF_IPV6_ND_TLL:
        return V_MAC;
    case MFF_IPV4_SRC: case MFF_IPV4_DST: case MFF_ARP_SPA: case MFF_ARP_TPA:
        return V_IPV4;
    case MFF_IPV6_SRC: case MFF_IPV6_DST: case MFF_IPV6_ND_TARGET:
        return V_IPV6;
    default:
        return V_DEC;
    }
}

static const struct {
    uint32_t port;
    const char *name;
} port_names[] = {
    { OFPP_IN_PORT, "IN_PORT" }, { OFPP_TABLE, "TABLE" },
    { OFPP_NORMAL, "NORMAL" }, { OFPP_FLOOD, "FLOOD" }, { OFPP_ALL, "ALL" },
    { OFPP_CONTROLLER, "CONTROLLER" }, { OFPP_LOCAL, "LOCAL" },
    { OFPP_ANY, "ANY" }, { OFPP_UNSET, "UNSET" },
};

static void
format_port(uint32_t port, struct dstr *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_names); i++) {
        if (port_names[i].port == port) {
            dstr_put(s, port_names[i].name);
            return;
        }
    }
    dstr_printf(s, "%"PRIu32, port);
}

static uint64_t
bytes_uint(const uint8_t *p, unsigned int w)
{
    uint64_t v = 0;
    for (unsigned int i = 0; i < w && i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static int
prefix_len(const uint8_t *mask, unsigned int w)
{
    int n = 0;
    unsigned int i = 0;
    for (; i < w && mask[i] == 0xff; i++) {
        n += 8;
    }
    if (i < w) {
        uint8_t m = mask[i];
        while (m & 0x80) {
            n++;
            m <<= 1;
        }
        if (m) {
            return -1;
        }
        for (i++; i < w; i++) {
            if (mask[i]) {
                return -1;
            }
        }
    }
    return n;
}

static void
format_raw(enum mf_field f, const uint8_t *v, struct dstr *s)
{
    unsigned int w = mf_width(f);
    char buf[INET6_ADDRSTRLEN];
    switch (field_style(f)) {
    case V_PORT:
        format_port(bytes_uint(v, w), s);
        break;
    case V_DEC:
        dstr_printf(s, "%"PRIu64, bytes_uint(v, w));
        break;
    case V_HEX:
        dstr_printf(s, f == MFF_ETH_TYPE ? "0x%04"PRIx64 : "0x%"PRIx64,
                    bytes_uint(v, w));
        break;
    case V_FLABEL:
        dstr_printf(s, "0x%05"PRIx64, bytes_uint(v, w));
        break;
    case V_MAC:
        dstr_printf(s, "%02x:%02x:%02x:%02x:%02x:%02x",
                    v[0], v[1], v[2], v[3], v[4], v[5]);
        break;
    case V_IPV4:
        inet_ntop(AF_INET, v, buf, sizeof buf);
        dstr_put(s, buf);
        break;
    case V_IPV6:
        inet_ntop(AF_INET6, v, buf, sizeof buf);
        dstr_put(s, buf);
        break;
    }
}

/* Formats value and, if partial, "/mask" (CIDR prefix for addresses). */
static void
format_masked(enum mf_field f, const uint8_t *v, const uint8_t *mask,
              bool masked, struct dstr *s)
{
    format_raw(f, v, s);
    if (!masked) {
        return;
    }
    dstr_put_char(s, '/');
    enum value_style st = field_style(f);
    int plen = prefix_len(mask, mf_width(f));
    if ((st == V_IPV4 || st == V_IPV6) && plen >= 0) {
        dstr_printf(s, "%d", plen);
    } else {
        format_raw(f, mask, s);
    }
}

/* ---- Match ------------------------------------------------------------ */

static void
put_field(const struct ofmatch *m, enum mf_field f, const char *name,
          struct dstr *s)
{
    if (!ofmatch_has(m, f)) {
        return;
    }
    dstr_printf(s, "%s=", name);
    format_masked(f, m->f[f].value, m->f[f].mask, ofmatch_is_masked(m, f), s);
    dstr_put_char(s, ',');
}

static bool
exact_is(const struct ofmatch *m, enum mf_field f, uint64_t v)
{
    uint64_t value;
    return ofmatch_has(m, f) && !ofmatch_is_masked(m, f)
           && ofmatch_get_uint(m, f, &value, NULL) && value == v;
}

static const char *
protocol_name(const struct ofmatch *m, bool *used_proto)
{
    static const struct {
        uint16_t dl_type;
        int nw_proto;           /* -1: dl_type alone. */
        const char *name;
    } protos[] = {
        { 0x0800, 1, "icmp" }, { 0x0800, 6, "tcp" }, { 0x0800, 17, "udp" },
        { 0x0800, 132, "sctp" }, { 0x86dd, 58, "icmp6" },
        { 0x86dd, 6, "tcp6" }, { 0x86dd, 17, "udp6" },
        { 0x86dd, 132, "sctp6" }, { 0x0800, -1, "ip" },
        { 0x86dd, -1, "ipv6" }, { 0x0806, -1, "arp" },
        { 0x8035, -1, "rarp" }, { 0x8847, -1, "mpls" },
        { 0x8848, -1, "mplsm" },
    };
    *used_proto = false;
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        if (!exact_is(m, MFF_ETH_TYPE, protos[i].dl_type)) {
            continue;
        }
        if (protos[i].nw_proto < 0) {
            return protos[i].name;
        }
        if (exact_is(m, MFF_IP_PROTO, protos[i].nw_proto)) {
            *used_proto = true;
            return protos[i].name;
        }
    }
    return NULL;
}

static void
format_vlan(const struct ofmatch *m, struct dstr *s)
{
    uint64_t vid = 0, vid_mask = 0, pcp = 0, pcp_mask = 0;
    ofmatch_get_uint(m, MFF_VLAN_VID, &vid, &vid_mask);
    ofmatch_get_uint(m, MFF_VLAN_PCP, &pcp, &pcp_mask);
    if (!vid_mask && !pcp_mask) {
        return;
    }
    vid_mask &= 0x1fff;
    uint16_t tci = (pcp << 13) | vid;
    uint16_t mask = (pcp_mask ? 0xe000 : 0) | vid_mask;
    bool present = tci & OFPVID_PRESENT;
    if (present && mask == 0xffff) {
        dstr_printf(s, "dl_vlan=%u,dl_vlan_pcp=%u,", tci & 0xfff, tci >> 13);
    } else if (present && mask == 0x1fff) {
        dstr_printf(s, "dl_vlan=%u,", tci & 0xfff);
    } else if (present && mask == 0xf000) {
        dstr_printf(s, "dl_vlan_pcp=%u,", tci >> 13);
    } else if (mask == 0xffff && !tci) {
        dstr_put(s, "vlan_tci=0x0000,");
    } else {
        dstr_printf(s, "vlan_tci=0x%04x/0x%04x,", tci, mask);
    }
}

void
ofmatch_format(const struct ofmatch *m, int priority, struct dstr *s)
{
    size_t start = s->len;
    bool used_proto;
    const char *proto = protocol_name(m, &used_proto);
    bool is_icmp = exact_is(m, MFF_IP_PROTO, 1) || exact_is(m, MFF_IP_PROTO, 58);

    if (priority >= 0 && priority != 0x8000) {
        dstr_printf(s, "priority=%d,", priority);
    }
    if (proto) {
        dstr_printf(s, "%s,", proto);
    }
    static const char *const regs[] = {
        "reg0", "reg1", "reg2", "reg3", "reg4", "reg5", "reg6", "reg7",
    };
    for (int i = 0; i < 8; i++) {
        put_field(m, MFF_NX_REG0 + i, regs[i], s);
    }
    put_field(m, MFF_TUNNEL_ID, "tun_id", s);
    put_field(m, MFF_METADATA, "metadata", s);
    put_field(m, MFF_IN_PORT, "in_port", s);
    put_field(m, MFF_IN_PHY_PORT, "in_phy_port", s);
    format_vlan(m, s);
    put_field(m, MFF_ETH_SRC, "dl_src", s);
    put_field(m, MFF_ETH_DST, "dl_dst", s);
    if (!proto) {
        put_field(m, MFF_ETH_TYPE, "dl_type", s);
    }
    put_field(m, MFF_IPV6_SRC, "ipv6_src", s);
    put_field(m, MFF_IPV6_DST, "ipv6_dst", s);
    put_field(m, MFF_IPV6_FLABEL, "ipv6_label", s);
    put_field(m, MFF_IPV4_SRC, "nw_src", s);
    put_field(m, MFF_IPV4_DST, "nw_dst", s);
    put_field(m, MFF_ARP_SPA, "arp_spa", s);
    put_field(m, MFF_ARP_TPA, "arp_tpa", s);
    if (!used_proto) {
        put_field(m, MFF_IP_PROTO, "nw_proto", s);
    }
    if (ofmatch_has(m, MFF_IP_DSCP)) {
        dstr_printf(s, "nw_tos=%u,", m->f[MFF_IP_DSCP].value[0] << 2);
    }
    put_field(m, MFF_IP_ECN, "nw_ecn", s);
    put_field(m, MFF_NX_IP_TTL, "nw_ttl", s);
    if (ofmatch_has(m, MFF_NX_IP_FRAG)) {
        static const char *const frags[] = { "no", "first", "?", "later" };
        uint8_t v = m->f[MFF_NX_IP_FRAG].value[0];
        uint8_t k = m->f[MFF_NX_IP_FRAG].mask[0] & 3;
        if (k == 3) {
            dstr_printf(s, "nw_frag=%s,", frags[v & 3]);
        } else if (k == 1) {
            dstr_printf(s, "nw_frag=%s,", v ? "yes" : "no");
        } else {
            dstr_printf(s, "nw_frag=%s,", v ? "later" : "not_later");
        }
    }
    put_field(m, MFF_ARP_OP, "arp_op", s);
    put_field(m, MFF_ARP_SHA, "arp_sha", s);
    put_field(m, MFF_ARP_THA, "arp_tha", s);
    put_field(m, MFF_MPLS_LABEL, "mpls_label", s);
    put_field(m, MFF_MPLS_TC, "mpls_tc", s);
    put_field(m, MFF_MPLS_BOS, "mpls_bos", s);
    put_field(m, MFF_PBB_ISID, "pbb_isid", s);
    put_field(m, MFF_PBB_UCA, "pbb_uca", s);
    static const enum mf_field srcs[] = { MFF_TCP_SRC, MFF_UDP_SRC,
                                          MFF_SCTP_SRC };
    static const enum mf_field dsts[] = { MFF_TCP_DST, MFF_UDP_DST,
                                          MFF_SCTP_DST };
    for (int i = 0; i < 3; i++) {
        put_field(m, srcs[i], "tp_src", s);
        put_field(m, dsts[i], "tp_dst", s);
    }
    put_field(m, MFF_ICMPV4_TYPE, "icmp_type", s);
    put_field(m, MFF_ICMPV4_CODE, "icmp_code", s);
    put_field(m, MFF_ICMPV6_TYPE, "icmp_type", s);
    put_field(m, MFF_ICMPV6_CODE, "icmp_code", s);
    (void) is_icmp;
    put_field(m, MFF_IPV6_ND_TARGET, "nd_target", s);
    put_field(m, MFF_IPV6_ND_SLL, "nd_sll", s);
    put_field(m, MFF_IPV6_ND_TLL, "nd_tll", s);
    put_field(m, MFF_IPV6_EXTHDR, "ipv6_exthdr", s);
    put_field(m, MFF_TCP_FLAGS, "tcp_flags", s);
    put_field(m, MFF_ACTSET_OUTPUT, "actset_output", s);
    put_field(m, MFF_PACKET_TYPE, "packet_type", s);
    if (s->len > start && s->s[s->len - 1] == ',') {
        dstr_truncate(s, s->len - 1);
    }
}

/* ---- Actions ---------------------------------------------------------- */

/* The name ovs-ofctl uses for a field in set_field. */
static const char *
set_field_name(enum mf_field f)
{
    switch (f) {
    case MFF_IPV4_SRC: return "ip_src";
    case MFF_IPV4_DST: return "ip_dst";
    case MFF_IP_PROTO: return "nw_proto";
    case MFF_IP_ECN: return "nw_ecn";
    case MFF_ICMPV4_TYPE: return "icmp_type";
    case MFF_ICMPV4_CODE: return "icmp_code";
    case MFF_IPV6_FLABEL: return "ipv6_label";
    case MFF_TUNNEL_ID: return "tun_id";
    default: return mf_info(f)->oxm_name;
    }
}

static void
format_legacy_set(const struct ofact_set_field *sf, struct dstr *s)
{
    switch (sf->field) {
    case MFF_VLAN_VID:
        dstr_printf(s, "mod_vlan_vid:%u",
                    (unsigned) bytes_uint(sf->value, 2) & 0xfff);
        return;
    case MFF_VLAN_PCP:
        dstr_printf(s, "mod_vlan_pcp:%u", sf->value[0]);
        return;
    case MFF_ETH_SRC: dstr_put(s, "mod_dl_src:"); break;
    case MFF_ETH_DST: dstr_put(s, "mod_dl_dst:"); break;
    case MFF_IPV4_SRC: dstr_put(s, "mod_nw_src:"); break;
    case MFF_IPV4_DST: dstr_put(s, "mod_nw_dst:"); break;
    case MFF_IP_DSCP:
        dstr_printf(s, "mod_nw_tos:%u", sf->value[0] << 2);
        return;
    case MFF_TCP_SRC: case MFF_UDP_SRC: case MFF_SCTP_SRC:
        dstr_put(s, "mod_tp_src:");
        break;
    case MFF_TCP_DST: case MFF_UDP_DST: case MFF_SCTP_DST:
        dstr_put(s, "mod_tp_dst:");
        break;
    default:
        dstr_put(s, "set_field:");
        break;
    }
    format_raw(sf->field, sf->value, s);
}

static void
format_action(const struct ofact *a, struct dstr *s)
{
    switch (a->type) {
    case OFACT_OUTPUT:
        if (a->output.port == OFPP_CONTROLLER) {
            dstr_printf(s, "CONTROLLER:%u", a->output.max_len);
        } else if (a->output.port >= OFPP_MAX) {
            format_port(a->output.port, s);
        } else if (a->output.max_len && a->output.max_len != OFPCML_NO_BUFFER) {
            dstr_printf(s, "output(port=%"PRIu32",max_len=%u)",
                        a->output.port, a->output.max_len);
        } else {
            dstr_printf(s, "output:%"PRIu32, a->output.port);
        }
        break;
    case OFACT_ENQUEUE:
        dstr_put(s, "enqueue:");
        format_port(a->enqueue.port, s);
        dstr_printf(s, ":%"PRIu32, a->enqueue.queue_id);
        break;
    case OFACT_GROUP:
        dstr_printf(s, "group:%"PRIu32, a->group_id);
        break;
    case OFACT_SET_FIELD:
        if (a->set_field.legacy) {
            format_legacy_set(&a->set_field, s);
        } else {
            dstr_put(s, "set_field:");
            if (a->set_field.field == MFF_IPV6_FLABEL && !a->set_field.masked) {
                /* ovs-ofctl pads flow labels in matches, not here. */
                dstr_printf(s, "0x%"PRIx64, bytes_uint(a->set_field.value, 4));
            } else {
                format_masked(a->set_field.field, a->set_field.value,
                              a->set_field.mask, a->set_field.masked, s);
            }
            dstr_printf(s, "->%s", set_field_name(a->set_field.field));
        }
        break;
    case OFACT_PUSH_VLAN:
        dstr_printf(s, "push_vlan:0x%04x", a->ethertype);
        break;
    case OFACT_POP_VLAN:
        dstr_put(s, a->legacy ? "strip_vlan" : "pop_vlan");
        break;
    case OFACT_PUSH_MPLS:
        dstr_printf(s, "push_mpls:0x%04x", a->ethertype);
        break;
    case OFACT_POP_MPLS:
        dstr_printf(s, "pop_mpls:0x%04x", a->ethertype);
        break;
    case OFACT_SET_MPLS_TTL:
        dstr_printf(s, "set_mpls_ttl(%u)", a->ttl);
        break;
    case OFACT_DEC_MPLS_TTL:
        dstr_put(s, "dec_mpls_ttl");
        break;
    case OFACT_SET_NW_TTL:
        dstr_printf(s, "mod_nw_ttl:%u", a->ttl);
        break;
    case OFACT_DEC_NW_TTL:
        dstr_put(s, "dec_ttl");
        break;
    case OFACT_COPY_TTL_OUT:
        dstr_put(s, "copy_ttl_out");
        break;
    case OFACT_COPY_TTL_IN:
        dstr_put(s, "copy_ttl_in");
        break;
    case OFACT_SET_QUEUE:
        dstr_printf(s, "set_queue:%"PRIu32, a->queue_id);
        break;
    case OFACT_PUSH_PBB:
        dstr_printf(s, "push_pbb:0x%04x", a->ethertype);
        break;
    case OFACT_POP_PBB:
        dstr_put(s, "pop_pbb");
        break;
    case OFACT_METER:
        dstr_printf(s, "meter:%"PRIu32, a->meter_id);
        break;
    case OFACT_N_TYPES:
        break;
    }
}

static void
format_action_list(const struct ofacts *l, struct dstr *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i) {
            dstr_put_char(s, ',');
        }
        format_action(&l->acts[i], s);
    }
}

void
ofacts_format(const struct ofacts *l, struct dstr *s)
{
    if (!l->n) {
        dstr_put(s, "drop");
        return;
    }
    format_action_list(l, s);
}

void
ofinsts_format(const struct ofinsts *is, struct dstr *s)
{
    dstr_put(s, "actions=");
    size_t start = s->len;
#define SEP() do { if (s->len > start) dstr_put_char(s, ','); } while (0)
    if (is->present & OFINST_METER) {
        dstr_printf(s, "meter:%"PRIu32, is->meter_id);
    }
    if ((is->present & OFINST_APPLY_ACTIONS) && is->apply.n) {
        SEP();
        format_action_list(&is->apply, s);
    }
    if (is->present & OFINST_CLEAR_ACTIONS) {
        SEP();
        dstr_put(s, "clear_actions");
    }
    if (is->present & OFINST_WRITE_ACTIONS) {
        SEP();
        dstr_put(s, "write_actions(");
        format_action_list(&is->write, s);
        dstr_put_char(s, ')');
    }
    if (is->present & OFINST_WRITE_METADATA) {
        SEP();
        dstr_printf(s, "write_metadata:0x%"PRIx64, is->metadata);
        if (is->metadata_mask != UINT64_MAX) {
            dstr_printf(s, "/0x%"PRIx64, is->metadata_mask);
        }
    }
    if (is->present & OFINST_GOTO_TABLE) {
        SEP();
        dstr_printf(s, "goto_table:%u", is->goto_table);
    }
#undef SEP
    if (s->len == start) {
        dstr_put(s, "drop");
    }
}

void
ofp_flow_stats_format(const struct ofp_flow_stats *fs, struct dstr *s)
{
    dstr_printf(s, " cookie=0x%"PRIx64", duration=%"PRIu32".%03"PRIu32"s, "
                "table=%u, n_packets=%"PRIu64", n_bytes=%"PRIu64", ",
                fs->cookie, fs->duration_sec, fs->duration_nsec / 1000000,
                fs->table_id, fs->packet_count, fs->byte_count);
    if (fs->idle_timeout) {
        dstr_printf(s, "idle_timeout=%u, ", fs->idle_timeout);
    }
    if (fs->hard_timeout) {
        dstr_printf(s, "hard_timeout=%u, ", fs->hard_timeout);
    }
    static const struct {
        uint16_t flag;
        const char *name;
    } flags[] = {
        { OFPFF_SEND_FLOW_REM, "send_flow_rem" },
        { OFPFF_CHECK_OVERLAP, "check_overlap" },
        { OFPFF_RESET_COUNTS, "reset_counts" },
        { OFPFF_NO_PKT_COUNTS, "no_packet_counts" },
        { OFPFF_NO_BYT_COUNTS, "no_byte_counts" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
        if (fs->flags & flags[i].flag) {
            dstr_printf(s, "%s ", flags[i].name);
        }
    }
    if (fs->importance) {
        dstr_printf(s, "importance=%u, ", fs->importance);
    }
    if (fs->idle_age != 0xffff) {
        dstr_printf(s, "idle_age=%u, ", fs->idle_age);
    }
    if (fs->hard_age != 0xffff && fs->hard_age != fs->duration_sec) {
        dstr_printf(s, "hard_age=%u, ", fs->hard_age);
    }
    ofmatch_format(&fs->match, fs->priority, s);
    if (s->s[s->len - 1] != ' ') {
        dstr_put_char(s, ' ');
    }
    ofinsts_format(&fs->insts, s);
}

/* ---- Parsing ---------------------------------------------------------- */

static bool
parse_port(const char *s, uint32_t *port)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_names); i++) {
        if (!strcasecmp(s, port_names[i].name)) {
            *port = port_names[i].port;
            return true;
        }
    }
    if (!strcasecmp(s, "none")) {
        *port = OFPP_ANY;
        return true;
    }
    unsigned long long v;
    if (!str_to_ullong(s, 0, &v) || v > UINT32_MAX) {
        return false;
    }
    *port = v;
    return true;
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char extra;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &extra) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 0xff) {
            return false;
        }
        mac[i] = b[i];
    }
    return true;
}

/* Parses a raw value of field 'f' into 'out' (mf_width bytes). */
static bool
parse_raw(enum mf_field f, const char *s, uint8_t *out)
{
    unsigned int w = mf_width(f);
    uint32_t port;
    unsigned long long v;
    switch (field_style(f)) {
    case V_PORT:
        if (!parse_port(s, &port)) {
            return false;
        }
        ofp_put_be32(out, port);
        return true;
    case V_MAC:
        return parse_mac(s, out);
    case V_IPV4:
        return inet_pton(AF_INET, s, out) == 1;
    case V_IPV6:
        return inet_pton(AF_INET6, s, out) == 1;
    default:
        if (!str_to_ullong(s, 0, &v)) {
            return false;
        }
        if (w < 8 && v >> (8 * w)) {
            return false;
        }
        for (int i = w - 1; i >= 0; i--) {
            out[i] = v;
            v >>= 8;
        }
        return true;
    }
}

/* Parses "value[/mask]" for field 'f'. */
static bool
parse_masked(enum mf_field f, const char *s, uint8_t *value, uint8_t *mask,
             bool *masked)
{
    unsigned int w = mf_width(f);
    char *copy = xstrdup(s);
    char *slash = strchr(copy, '/');
    bool ok;
    memset(mask, 0xff, w);
    *masked = false;
    if (slash) {
        *slash++ = '\0';
        *masked = true;
        enum value_style st = field_style(f);
        unsigned int plen;
        if ((st == V_IPV4 || st == V_IPV6) && !strchr(slash, '.')
            && !strchr(slash, ':') && str_to_uint(slash, 10, &plen)
            && plen <= 8 * w) {
            memset(mask, 0, w);
            for (unsigned int i = 0; i < plen; i++) {
                mask[i / 8] |= 0x80 >> (i % 8);
            }
            ok = true;
        } else {
            ok = parse_raw(f, slash, mask);
        }
        if (!ok) {
            free(copy);
            return false;
        }
    }
    ok = parse_raw(f, copy, value);
    free(copy);
    return ok;
}

static const struct {
    const char *name;
    uint16_t dl_type;
    int nw_proto;
} shorthands[] = {
    { "ip", 0x0800, -1 }, { "ipv6", 0x86dd, -1 }, { "arp", 0x0806, -1 },
    { "rarp", 0x8035, -1 }, { "mpls", 0x8847, -1 }, { "mplsm", 0x8848, -1 },
    { "icmp", 0x0800, 1 }, { "tcp", 0x0800, 6 }, { "udp", 0x0800, 17 },
    { "sctp", 0x0800, 132 }, { "icmp6", 0x86dd, 58 }, { "tcp6", 0x86dd, 6 },
    { "udp6", 0x86dd, 17 }, { "sctp6", 0x86dd, 132 },
};

/* Maps a match keyword to a field, given what the match has so far (for
 * tp_src/icmp_type, which depend on nw_proto/dl_type). */
static int
match_field(const char *name, const struct ofmatch *m)
{
    uint64_t proto = 0, dl_type = 0;
    ofmatch_get_uint(m, MFF_IP_PROTO, &proto, NULL);
    ofmatch_get_uint(m, MFF_ETH_TYPE, &dl_type, NULL);
    if (!strcmp(name, "tp_src") || !strcmp(name, "tp_dst")) {
        bool src = !strcmp(name, "tp_src");
        switch (proto) {
        case 17: return src ? MFF_UDP_SRC : MFF_UDP_DST;
        case 132: return src ? MFF_SCTP_SRC : MFF_SCTP_DST;
        default: return src ? MFF_TCP_SRC : MFF_TCP_DST;
        }
    }
    if (!strcmp(name, "icmp_type") || !strcmp(name, "icmp_code")) {
        bool type = !strcmp(name, "icmp_type");
        if (dl_type == 0x86dd) {
            return type ? MFF_ICMPV6_TYPE : MFF_ICMPV6_CODE;
        }
        return type ? MFF_ICMPV4_TYPE : MFF_ICMPV4_CODE;
    }
    if (!strcmp(name, "nw_src") || !strcmp(name, "nw_dst")) {
        bool src = !strcmp(name, "nw_src");
        if (dl_type == 0x0806) {
            return src ? MFF_ARP_SPA : MFF_ARP_TPA;
        }
        return src ? MFF_IPV4_SRC : MFF_IPV4_DST;
    }
    static const struct {
        const char *alias;
        enum mf_field f;
    } aliases[] = {
        { "ip_src", MFF_IPV4_SRC }, { "ip_dst", MFF_IPV4_DST },
        { "eth_src", MFF_ETH_SRC }, { "eth_dst", MFF_ETH_DST },
        { "eth_type", MFF_ETH_TYPE }, { "ip_proto", MFF_IP_PROTO },
        { "tunnel_id", MFF_TUNNEL_ID }, { "ip_ecn", MFF_IP_ECN },
        { "vlan_pcp", MFF_VLAN_PCP }, { "ipv6_flabel", MFF_IPV6_FLABEL },
    };
    for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
        if (!strcmp(name, aliases[i].alias)) {
            return aliases[i].f;
        }
    }
    return mf_from_name(name);
}

/* Parses one "key=value" (or shorthand) of a match into 'm'. */
static char *
parse_match_item(const char *key, const char *value, struct ofmatch *m,
                 uint16_t *priority)
{
    for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
        if (!strcmp(key, shorthands[i].name) && !value) {
            ofmatch_set_uint(m, MFF_ETH_TYPE, shorthands[i].dl_type);
            if (shorthands[i].nw_proto >= 0) {
                ofmatch_set_uint(m, MFF_IP_PROTO, shorthands[i].nw_proto);
            }
            return NULL;
        }
    }
    if (!value) {
        return xasprintf("%s: missing value", key);
    }
    unsigned int u;
    if (!strcmp(key, "priority")) {
        if (!str_to_uint(value, 0, &u) || u > 0xffff) {
            return xasprintf("bad priority %s", value);
        }
        *priority = u;
        return NULL;
    }
    if (!strcmp(key, "dl_vlan")) {
        if (!str_to_uint(value, 0, &u) || (u > 0xfff && u != 0xffff)) {
            return xasprintf("bad dl_vlan %s", value);
        }
        ofmatch_set_uint(m, MFF_VLAN_VID, u == 0xffff ? 0 : OFPVID_PRESENT | u);
        return NULL;
    }
    if (!strcmp(key, "dl_vlan_pcp")) {
        if (!str_to_uint(value, 0, &u) || u > 7) {
            return xasprintf("bad dl_vlan_pcp %s", value);
        }
        if (!ofmatch_has(m, MFF_VLAN_VID)) {
            ofmatch_set_uint_masked(m, MFF_VLAN_VID, OFPVID_PRESENT,
                                    OFPVID_PRESENT);
        }
        ofmatch_set_uint(m, MFF_VLAN_PCP, u);
        return NULL;
    }
    if (!strcmp(key, "vlan_tci")) {
        char *copy = xstrdup(value), *slash = strchr(copy, '/');
        unsigned int tci, mask = 0xffff;
        bool ok;
        if (slash) {
            *slash++ = '\0';
        }
        ok = str_to_uint(copy, 0, &tci) && tci <= 0xffff
             && (!slash || (str_to_uint(slash, 0, &mask) && mask <= 0xffff));
        free(copy);
        if (!ok) {
            return xasprintf("bad vlan_tci %s", value);
        }
        ofmatch_set_uint_masked(m, MFF_VLAN_VID, tci & 0x1fff,
                                (mask & 0x1fff) == 0x1fff ? 0xffff
                                                          : mask & 0x1fff);
        if ((mask >> 13) == 7 && (tci & OFPVID_PRESENT)) {
            ofmatch_set_uint(m, MFF_VLAN_PCP, tci >> 13);
        }
        return NULL;
    }
    if (!strcmp(key, "nw_tos")) {
        if (!str_to_uint(value, 0, &u) || u > 255 || (u & 3)) {
            return xasprintf("bad nw_tos %s", value);
        }
        ofmatch_set_uint(m, MFF_IP_DSCP, u >> 2);
        return NULL;
    }
    int f = match_field(key, m);
    if (f < 0) {
        return xasprintf("unknown keyword %s", key);
    }
    uint8_t v[MF_MAX_WIDTH], k[MF_MAX_WIDTH];
    bool masked;
    if (!parse_masked(f, value, v, k, &masked)) {
        return xasprintf("%s: bad value %s", key, value);
    }
    ofmatch_set(m, f, v, masked ? k : NULL);
    return NULL;
}

/* Splits 's' at top-level commas (not inside parentheses) and calls 'cb' on
 * each "key[=value]" / "key:value" item. */
typedef char *item_cb(const char *key, const char *value, void *aux);

static char *
for_each_item(const char *s, char sep, item_cb *cb, void *aux)
{
    char *copy = xstrdup(s);
    char *p = copy, *error = NULL;
    while (*p && !error) {
        while (*p == ',' || isspace((unsigned char) *p)) {
            p++;
        }
        if (!*p) {
            break;
        }
        char *start = p;
        int depth = 0;
        while (*p && (depth || (*p != ',' && !isspace((unsigned char) *p)))) {
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            p++;
        }
        char saved = *p;
        *p = '\0';
        char *value = NULL;
        char *eq = strchr(start, sep);
        char *paren = strchr(start, '(');
        if (eq && (!paren || eq < paren)) {
            *eq = '\0';
            value = eq + 1;
        }
        error = cb(start, value, aux);
        *p = saved;
    }
    free(copy);
    return error;
}

struct match_parse_ctx {
    struct ofmatch *m;
    uint16_t *priority;
};

static char *
match_item_cb(const char *key, const char *value, void *aux_)
{
    struct match_parse_ctx *ctx = aux_;
    return parse_match_item(key, value, ctx->m, ctx->priority);
}

char *
ofmatch_parse(const char *s, struct ofmatch *m, uint16_t *priority)
{
    struct match_parse_ctx ctx = { m, priority };
    ofmatch_init(m);
    *priority = 0x8000;
    return for_each_item(s, '=', match_item_cb, &ctx);
}

/* Actions. */
struct acts_parse_ctx {
    struct ofacts *l;
    struct ofinsts *is;         /* NULL when parsing a plain action list. */
};

static char *
parse_set_field(const char *value, struct ofacts *l)
{
    const char *arrow = strstr(value, "->");
    if (!arrow) {
        return xasprintf("set_field %s: missing ->", value);
    }
    char *v = xstrndup(value, arrow - value);
    struct ofmatch empty;
    ofmatch_init(&empty);
    int f = match_field(arrow + 2, &empty);
    uint8_t val[MF_MAX_WIDTH], mask[MF_MAX_WIDTH];
    bool masked;
    bool ok = f >= 0 && parse_masked(f, v, val, mask, &masked);
    free(v);
    if (!ok) {
        return xasprintf("set_field %s: bad field or value", value);
    }
    struct ofact *a = ofacts_append(l, OFACT_SET_FIELD);
    a->set_field.field = f;
    a->set_field.masked = masked;
    memcpy(a->set_field.value, val, mf_width(f));
    memcpy(a->set_field.mask, mask, mf_width(f));
    return NULL;
}

static char *
parse_legacy_set(enum mf_field f, const char *value, struct ofacts *l)
{
    uint8_t v[MF_MAX_WIDTH];
    unsigned int u;
    if (f == MFF_VLAN_VID) {
        if (!str_to_uint(value, 0, &u) || u > 0xfff) {
            return xasprintf("bad vlan id %s", value);
        }
        ofacts_put_set_field_uint(l, f, OFPVID_PRESENT | u);
    } else if (f == MFF_IP_DSCP) {
        if (!str_to_uint(value, 0, &u) || u > 255 || (u & 3)) {
            return xasprintf("bad tos %s", value);
        }
        ofacts_put_set_field_uint(l, f, u >> 2);
    } else {
        if (!parse_raw(f, value, v)) {
            return xasprintf("bad value %s", value);
        }
        struct ofact *a = ofacts_append(l, OFACT_SET_FIELD);
        a->set_field.field = f;
        memcpy(a->set_field.value, v, mf_width(f));
        memset(a->set_field.mask, 0xff, mf_width(f));
    }
    l->acts[l->n - 1].set_field.legacy = true;
    return NULL;
}

static bool
parse_u32(const char *s, uint32_t *v)
{
    unsigned long long u;
    if (!s || !str_to_ullong(s, 0, &u) || u > UINT32_MAX) {
        return false;
    }
    *v = u;
    return true;
}

static char *action_item_cb(const char *key, const char *value, void *aux_);

static char *
parse_action(const char *key, const char *value, struct acts_parse_ctx *ctx)
{
    struct ofacts *l = ctx->l;
    uint32_t u;
    uint32_t port;

    if (!strcmp(key, "drop")) {
        return NULL;
    }
    if (!value && parse_port(key, &port)) {
        ofacts_put_output(l, port, port == OFPP_CONTROLLER ? 0xffff : 0);
        return NULL;
    }
    if (!strcmp(key, "output")) {
        if (!value || !parse_port(value, &port)) {
            return xasprintf("bad output port %s", value ? value : "");
        }
        ofacts_put_output(l, port, 0);
        return NULL;
    }
    if (!strcasecmp(key, "CONTROLLER")) {
        if (!parse_u32(value, &u) || u > 0xffff) {
            return xasprintf("bad controller max_len %s", value);
        }
        ofacts_put_output(l, OFPP_CONTROLLER, u);
        return NULL;
    }
    if (!strncmp(key, "output(", 7)) {
        unsigned int p2, len2;
        if (sscanf(key, "output(port=%u,max_len=%u)", &p2, &len2) != 2
            || len2 > 0xffff) {
            return xasprintf("bad %s", key);
        }
        ofacts_put_output(l, p2, len2);
        return NULL;
    }
    if (!strcmp(key, "enqueue")) {
        char *copy = xstrdup(value ? value : "");
        char *colon = strchr(copy, ':');
        bool ok = colon != NULL;
        uint32_t q = 0;
        if (ok) {
            *colon = '\0';
            ok = parse_port(copy, &port) && parse_u32(colon + 1, &q);
        }
        free(copy);
        if (!ok) {
            return xasprintf("bad enqueue %s", value ? value : "");
        }
        struct ofact *a = ofacts_append(l, OFACT_ENQUEUE);
        a->enqueue.port = port;
        a->enqueue.queue_id = q;
        return NULL;
    }
    if (!strcmp(key, "strip_vlan") || !strcmp(key, "pop_vlan")) {
        ofacts_append(l, OFACT_POP_VLAN)->legacy = key[0] == 's';
        return NULL;
    }
    static const struct {
        const char *name;
        enum mf_field f;
    } legacy[] = {
        { "mod_vlan_vid", MFF_VLAN_VID }, { "mod_vlan_pcp", MFF_VLAN_PCP },
        { "mod_dl_src", MFF_ETH_SRC }, { "mod_dl_dst", MFF_ETH_DST },
        { "mod_nw_src", MFF_IPV4_SRC }, { "mod_nw_dst", MFF_IPV4_DST },
        { "mod_nw_tos", MFF_IP_DSCP }, { "mod_tp_src", MFF_TCP_SRC },
        { "mod_tp_dst", MFF_TCP_DST },
    };
    for (size_t i = 0; i < ARRAY_SIZE(legacy); i++) {
        if (!strcmp(key, legacy[i].name)) {
            return value ? parse_legacy_set(legacy[i].f, value, l)
                         : xasprintf("%s: missing value", key);
        }
    }
    if (!strcmp(key, "set_field") || !strcmp(key, "load")) {
        return value ? parse_set_field(value, l)
                     : xasprintf("%s: missing value", key);
    }
    static const struct {
        const char *name;
        enum ofact_type type;
    } simple[] = {
        { "dec_mpls_ttl", OFACT_DEC_MPLS_TTL }, { "dec_ttl", OFACT_DEC_NW_TTL },
        { "copy_ttl_out", OFACT_COPY_TTL_OUT },
        { "copy_ttl_in", OFACT_COPY_TTL_IN }, { "pop_pbb", OFACT_POP_PBB },
    };
    for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
        if (!strcmp(key, simple[i].name)) {
            ofacts_append(l, simple[i].type);
            return NULL;
        }
    }
    static const struct {
        const char *name;
        enum ofact_type type;
    } ethertyped[] = {
        { "push_vlan", OFACT_PUSH_VLAN }, { "push_mpls", OFACT_PUSH_MPLS },
        { "pop_mpls", OFACT_POP_MPLS }, { "push_pbb", OFACT_PUSH_PBB },
    };
    for (size_t i = 0; i < ARRAY_SIZE(ethertyped); i++) {
        if (!strcmp(key, ethertyped[i].name)) {
            if (!parse_u32(value, &u) || u > 0xffff) {
                return xasprintf("%s: bad ethertype", key);
            }
            ofacts_append(l, ethertyped[i].type)->ethertype = u;
            return NULL;
        }
    }
    if (!strncmp(key, "set_mpls_ttl(", 13) || !strcmp(key, "set_mpls_ttl")
        || !strcmp(key, "mod_nw_ttl")) {
        const char *arg = value;
        char buf[16] = "";
        if (key[12] == '(') {
            snprintf(buf, sizeof buf, "%.*s", (int) strcspn(key + 13, ")"),
                     key + 13);
            arg = buf;
        }
        if (!parse_u32(arg, &u) || u > 255) {
            return xasprintf("%s: bad ttl", key);
        }
        ofacts_append(l, key[0] == 's' ? OFACT_SET_MPLS_TTL
                                       : OFACT_SET_NW_TTL)->ttl = u;
        return NULL;
    }
    if (!strcmp(key, "set_queue") || !strcmp(key, "group")) {
        if (!parse_u32(value, &u)) {
            return xasprintf("%s: bad argument", key);
        }
        if (key[0] == 's') {
            ofacts_append(l, OFACT_SET_QUEUE)->queue_id = u;
        } else {
            ofacts_append(l, OFACT_GROUP)->group_id = u;
        }
        return NULL;
    }
    /* Instructions. */
    struct ofinsts *is = ctx->is;
    if (is && !strcmp(key, "meter")) {
        if (!parse_u32(value, &u)) {
            return xasprintf("meter: bad id");
        }
        is->present |= OFINST_METER;
        is->meter_id = u;
        return NULL;
    }
    if (is && !strcmp(key, "clear_actions")) {
        is->present |= OFINST_CLEAR_ACTIONS;
        return NULL;
    }
    if (is && !strcmp(key, "goto_table")) {
        if (!parse_u32(value, &u) || u > 254) {
            return xasprintf("goto_table: bad table");
        }
        is->present |= OFINST_GOTO_TABLE;
        is->goto_table = u;
        return NULL;
    }
    if (is && !strcmp(key, "write_metadata")) {
        char *copy = xstrdup(value ? value : "");
        char *slash = strchr(copy, '/');
        unsigned long long md, mask = UINT64_MAX;
        if (slash) {
            *slash++ = '\0';
        }
        bool ok = str_to_ullong(copy, 0, &md)
                  && (!slash || str_to_ullong(slash, 0, &mask));
        free(copy);
        if (!ok) {
            return xasprintf("write_metadata: bad value");
        }
        is->present |= OFINST_WRITE_METADATA;
        is->metadata = md;
        is->metadata_mask = mask;
        return NULL;
    }
    if (is && !strncmp(key, "write_actions(", 14)) {
        size_t n = strlen(key);
        if (key[n - 1] != ')') {
            return xasprintf("write_actions: missing )");
        }
        char *inner = xstrndup(key + 14, n - 15);
        struct acts_parse_ctx sub = { &is->write, NULL };
        is->present |= OFINST_WRITE_ACTIONS;
        char *error = for_each_item(inner, ':', action_item_cb, &sub);
        free(inner);
        return error;
    }
    return xasprintf("unknown action %s", key);
}

static char *
action_item_cb(const char *key, const char *value, void *aux_)
{
    return parse_action(key, value, aux_);
}

char *
ofacts_parse(const char *s, struct ofacts *l)
{
    struct acts_parse_ctx ctx = { l, NULL };
    return for_each_item(s, ':', action_item_cb, &ctx);
}

struct flow_parse_ctx {
    struct ofp_flow_mod *fm;
};

static char *
flow_item_cb(const char *key, const char *value, void *aux_)
{
    struct ofp_flow_mod *fm = ((struct flow_parse_ctx *) aux_)->fm;
    unsigned long long u;
    if (!strcmp(key, "table") || !strcmp(key, "idle_timeout")
        || !strcmp(key, "hard_timeout") || !strcmp(key, "importance")) {
        if (!value || !str_to_ullong(value, 0, &u) || u > 0xffff
            || (key[0] == 't' && u > 255)) {
            return xasprintf("bad %s", key);
        }
        if (key[0] == 't') {
            fm->table_id = u;
        } else if (key[0] == 'i' && key[1] == 'd') {
            fm->idle_timeout = u;
        } else if (key[0] == 'h') {
            fm->hard_timeout = u;
        } else {
            fm->importance = u;
        }
        return NULL;
    }
    if (!strcmp(key, "cookie")) {
        char *copy = xstrdup(value ? value : "");
        char *slash = strchr(copy, '/');
        unsigned long long mask = 0;
        if (slash) {
            *slash++ = '\0';
        }
        bool ok = str_to_ullong(copy, 0, &u)
                  && (!slash || !strcmp(slash, "-1")
                      || str_to_ullong(slash, 0, &mask));
        if (slash && !strcmp(slash, "-1")) {
            mask = UINT64_MAX;
        }
        free(copy);
        if (!ok) {
            return xasprintf("bad cookie");
        }
        fm->cookie = u;
        fm->cookie_mask = mask;
        return NULL;
    }
    if (!strcmp(key, "out_port")) {
        return value && parse_port(value, &fm->out_port)
               ? NULL : xasprintf("bad out_port");
    }
    if (!strcmp(key, "send_flow_rem")) {
        fm->flags |= OFPFF_SEND_FLOW_REM;
        return NULL;
    }
    if (!strcmp(key, "check_overlap")) {
        fm->flags |= OFPFF_CHECK_OVERLAP;
        return NULL;
    }
    return parse_match_item(key, value, &fm->match, &fm->priority);
}

char *
ofp_flow_mod_parse(const char *s, uint8_t command, struct ofp_flow_mod *fm)
{
    fm->command = command;
    const char *acts = strstr(s, "actions=");
    char *match = acts ? xstrndup(s, acts - s) : xstrdup(s);
    struct flow_parse_ctx ctx = { fm };
    char *error = for_each_item(match, '=', flow_item_cb, &ctx);
    free(match);
    if (error || !acts) {
        return error;
    }
    struct acts_parse_ctx actx = { &fm->insts.apply, &fm->insts };
    error = for_each_item(acts + 8, ':', action_item_cb, &actx);
    if (!error && fm->insts.apply.n) {
        fm->insts.present |= OFINST_APPLY_ACTIONS;
    }
    return error;
}
