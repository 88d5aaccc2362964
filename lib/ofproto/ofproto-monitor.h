/* ofproto-monitor.h: flow monitors, as "ovs-ofctl monitor BRIDGE watch:"
 * uses them: the Nicira NXST_FLOW_MONITOR over OpenFlow 1.0 and the
 * standard OFPMP_FLOW_MONITOR of OpenFlow 1.4/1.5 (codec:
 * openflow/ofp-monitor.h).
 *
 * A connection registers monitors (id, flags NXFMF_*, table, out_port,
 * out_group, match) with a request; the switch answers with the flows
 * that match now (NXFMF_INITIAL) and from then on sends unsolicited
 * replies (xid 0) for each rule added, modified or deleted (flow-mods of
 * any connection, bundles, idle/hard timeouts).  OpenFlow 1.4 requests
 * may also modify or delete a monitor.
 * A monitor covers a rule when:
 *  - its table is 0xff or the rule's table;
 *  - its out_port is OFPP_NONE/ANY, or the rule's actions (for a change,
 *    the old or the new ones) output to it;
 *  - the rule's match is at least as specific as the monitor's match and
 *    agrees with it on every field the monitor matches (the non-strict
 *    match of mod-flows/del-flows): "watch:ip" covers "tcp,tp_dst=80" but
 *    not "priority=0" (which matches every packet).
 * Changes made by the monitoring connection itself are reported in full
 * when one of its covering monitors has NXFMF_OWN, else as a single
 * abbreviated update (NXFME_ABBREV) carrying the xid of the request that
 * made them.  As Open vSwitch does, the updates caused by one request go
 * out together in one reply per connection once the request is done, and
 * each rule that times out gets its own reply.
 *
 * Flow control: when the send backlog of a monitoring connection exceeds
 * OFMONITOR_PAUSE_BACKLOG bytes after updates were queued, the switch
 * sends NXT_FLOW_MONITOR_PAUSED (OpenFlow 1.4+: an OFPFME_PAUSED update)
 * and from then on only reports the deletion of rules added before the
 * pause.  Once the backlog is sent, it reports every covered rule added or
 * modified meanwhile as ADDED (in one reply), then sends
 * NXT_FLOW_MONITOR_RESUMED (OFPFME_RESUMED).
 *
 * Main thread only. */
#ifndef OVSNFV_OFPROTO_MONITOR_H
#define OVSNFV_OFPROTO_MONITOR_H 1

#include <stddef.h>
#include <stdint.h>
#include "openflow/ofp-errors.h"

#define OFMONITOR_PAUSE_BACKLOG (128 * 1024)

struct connmgr;
struct ofconn;
struct ofproto_flow_change;

/* Handles an NXST_FLOW_MONITOR or OFPMP_FLOW_MONITOR request 'msg' ('len'
 * bytes) received on 'c': creates (modifies, deletes) its monitors and
 * sends the reply with the initial flows.  Returns 0 or the error to send
 * (nothing changes then): adding an id already in use on 'c' or twice in
 * the request -> OFPMOFC_MONITOR_EXISTS; modifying or deleting an unknown
 * id -> OFPMOFC_UNKNOWN_MONITOR; undefined flag bits or none of
 * ADD/DELETE/MODIFY -> OFPMOFC_BAD_FLAGS; a table id >= 254 other than
 * 0xff -> OFPBRC_BAD_TABLE_ID (OpenFlow 1.0) or OFPMOFC_BAD_TABLE_ID;
 * decoding errors of ofp_decode_flow_monitor_request(). */
enum ofperr ofmonitor_handle_request(struct ofconn *c, const uint8_t *msg,
                                     size_t len);

/* Handles NXT_FLOW_MONITOR_CANCEL: removes the monitor.  Returns 0, or
 * OFPMOFC_UNKNOWN_MONITOR if 'c' has no monitor with that id. */
enum ofperr ofmonitor_handle_cancel(struct ofconn *c, const uint8_t *msg,
                                    size_t len);

/* Records that the changes reported from now on are made by the request
 * with 'xid' on 'c' (NULL: by the switch itself, e.g. timeouts; this also
 * sends the updates queued for the previous request).  The connection
 * handler sets it around each state-changing message. */
void ofmonitor_set_origin(struct connmgr *mgr, struct ofconn *c,
                          uint32_t xid);

/* Queues the updates for rule change 'chg' to every connection with a
 * covering monitor and arranges for them to be sent. */
void ofmonitor_report(struct connmgr *mgr,
                      const struct ofproto_flow_change *chg);

/* Sends the queued updates of every connection of 'mgr' now. */
void ofmonitor_flush(struct connmgr *mgr);

/* Called when the send buffer of 'c' is empty: resumes its paused
 * monitors (see above). */
void ofmonitor_conn_drained(struct ofconn *c);

/* Frees the monitors and queued updates of 'c' (connection closing or
 * session reset). */
void ofmonitor_conn_clear(struct ofconn *c);

#endif
