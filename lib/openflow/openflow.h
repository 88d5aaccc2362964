/* openflow.h: the whole OpenFlow wire codec in one include.
 *
 *   ofp-buf.h        byte buffers and bounds-checked readers
 *   ofp-errors.h     version-independent errors <-> per-version type/code
 *   ofp-match.h      matches: OXM, NXM and OpenFlow 1.0 ofp_match
 *   ofp-actions.h    actions and instructions
 *   ofp-msgs.h       framing, type identification, simple messages
 *   ofp-flow.h       flow-mod, flow-removed, packet-in/out, flow stats
 *   ofp-port.h       ports, port-status/mod, port and queue stats
 *   ofp-group.h      group-mod, meter-mod and their multiparts
 *   ofp-multipart.h  reply builder, desc, table stats, table features
 *   ofp-nicira.h     Nicira extension control messages
 *   ofp-print.h      ovs-ofctl text syntax for matches and actions */
#ifndef OVSNFV_OPENFLOW_H
#define OVSNFV_OPENFLOW_H 1

#include "openflow/ofp-buf.h"
#include "openflow/ofp-errors.h"
#include "openflow/ofp-match.h"
#include "openflow/ofp-actions.h"
#include "openflow/ofp-msgs.h"
#include "openflow/ofp-flow.h"
#include "openflow/ofp-port.h"
#include "openflow/ofp-group.h"
#include "openflow/ofp-multipart.h"
#include "openflow/ofp-nicira.h"
#include "openflow/ofp-monitor.h"
#include "openflow/ofp-print.h"

#endif
