/* ofp-print.h: matches and actions in ovs-ofctl's text syntax, e.g.
 * "in_port=1,dl_type=0x0800,nw_src=10.0.0.0/8" and
 * "actions=output:2,mod_vlan_vid:10", for ofproto/trace, dump-flows and
 * tests; and a parser of the same syntax.
 *
 * Thread-safety: reentrant; objects belong to one thread. */
#ifndef OVSNFV_OFP_PRINT_H
#define OVSNFV_OFP_PRINT_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openflow/ofp-actions.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-match.h"
#include "util/dstr.h"

/* Appends 'm' to 's' the way ovs-ofctl dump-flows prints it: protocol
 * shorthands ("ip", "tcp", "arp", "ipv6", "icmp"...) replace dl_type/nw_proto
 * where they apply, then fields in ovs-ofctl's names (in_port, dl_vlan,
 * dl_src, nw_src, tp_dst...), masked values as value/mask, CIDR prefixes as
 * /N.  'priority' is printed first when not 0x8000 (pass -1 to omit).  An
 * empty match prints nothing. */
void ofmatch_format(const struct ofmatch *m, int priority, struct dstr *s);

/* Appends the comma-separated actions of 'l' in ovs-ofctl syntax
 * ("output:2", "CONTROLLER:65535", "mod_vlan_vid:10", "strip_vlan",
 * "set_field:10.0.0.1->ip_dst", "push_vlan:0x8100", "group:1"...).  An empty
 * list prints "drop". */
void ofacts_format(const struct ofacts *l, struct dstr *s);

/* Appends "actions=..." for an instruction set, using ovs-ofctl's forms for
 * the instructions (meter:N, clear_actions, write_actions(...),
 * write_metadata:0x1/0xff, goto_table:N). */
void ofinsts_format(const struct ofinsts *is, struct dstr *s);

/* Appends a dump-flows line body: " cookie=0x0, duration=1.234s, table=0,
 * n_packets=0, n_bytes=0, idle_timeout=10, priority=100,ip actions=drop". */
void ofp_flow_stats_format(const struct ofp_flow_stats *fs, struct dstr *s);

/* Parses "field=value,..." (the match part of an ovs-ofctl flow) into 'm',
 * plus 'priority' (set to 0x8000 unless given).  Returns NULL on success or
 * an error message the caller frees. */
char *ofmatch_parse(const char *s, struct ofmatch *m, uint16_t *priority);

/* Parses a full ovs-ofctl flow "match,actions=..." as used by add-flow:
 * fills fm->match, priority, cookie, table, timeouts and actions (as an
 * apply-actions instruction, or the instructions given).  'fm' must be
 * initialized.  Returns NULL or an error message the caller frees. */
char *ofp_flow_mod_parse(const char *s, uint8_t command,
                         struct ofp_flow_mod *fm);

/* Parses an action list "output:2,mod_vlan_vid:10" ("drop" or empty -> no
 * actions) into 'l'.  Returns NULL or an error message. */
char *ofacts_parse(const char *s, struct ofacts *l);

#endif
