/* ofkey.h: OpenFlow match fields <-> the datapath's flow key.
 *
 * The OpenFlow codec describes a match as fields with values and masks in
 * network order (struct ofmatch); the classifier and the datapath work on
 * struct flow_key images.  This module maps every supported field (every
 * OpenFlow 1.3 OXM basic field, the Nicira registers, IP TTL and fragment
 * bits) to its place in the key, converts whole matches, and reads and
 * writes single fields for set-field actions and packet-in metadata.
 *
 * Pure functions; any thread. */
#ifndef OVSNFV_OFKEY_H
#define OVSNFV_OFKEY_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openflow/ofp-errors.h"
#include "openflow/ofp-match.h"
#include "packet/flow.h"

/* True if 'field' has a place in the flow key (false for ACTSET_OUTPUT and
 * PACKET_TYPE, which the switch does not match on). */
bool ofkey_field_supported(enum mf_field field);

/* Converts 'm' into a key image 'value' (masked) and 'mask'.  Returns 0, or
 * OFPBMC_BAD_FIELD for a field the switch does not support. */
enum ofperr ofkey_from_match(const struct ofmatch *m, struct flow_key *value,
                             struct flow_key *mask);

/* Reads 'field' of 'key' into 'value' (mf_width(field) bytes, network
 * order). */
void ofkey_get_field(const struct flow_key *key, enum mf_field field,
                     uint8_t value[MF_MAX_WIDTH]);

/* Writes the bits of 'value' selected by 'mask' (network order,
 * mf_width(field) bytes each; 'mask' NULL = all bits) into 'field' of
 * 'key'. */
void ofkey_set_field(struct flow_key *key, enum mf_field field,
                     const uint8_t *value, const uint8_t *mask);

#endif
