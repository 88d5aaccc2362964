/* datapath-id.h: a bridge's OpenFlow datapath ID and Ethernet address.
 *
 * The datapath ID is Bridge:other_config:datapath-id when that is valid
 * (exactly 16 hex digits, not all zero); otherwise it is derived from the
 * bridge's Ethernet address: 16 zero bits followed by the 48-bit MAC.  The
 * bridge's Ethernet address is Bridge:other_config:hwaddr when that is a
 * valid unicast address, otherwise the MAC of its local port.
 *
 * Pure functions; safe from any thread. */
#ifndef OVSNFV_DATAPATH_ID_H
#define OVSNFV_DATAPATH_ID_H 1

#include <stdbool.h>
#include <stdint.h>
#include "packet/eth-addr.h"

/* Parses "xx:xx:xx:xx:xx:xx" (hex, either case).  Returns true on
 * success. */
bool eth_addr_from_string(const char *s, struct eth_addr *mac);

/* Parses a datapath ID written as exactly 16 hex digits.  Returns true and
 * stores it in '*dpid' if 's' is one and is not zero. */
bool datapath_id_from_string(const char *s, uint64_t *dpid);
/* The datapath ID that stands for 'mac'. */
uint64_t datapath_id_from_mac(struct eth_addr mac);
/* Writes the 16-hex-digit form (as Bridge:datapath_id shows it) into
 * 'buf' (17 bytes). */
void datapath_id_to_string(uint64_t dpid, char buf[17]);

/* Chooses the bridge's Ethernet address: 'hwaddr_config'
 * (other_config:hwaddr, may be NULL) if it is a valid unicast address,
 * otherwise 'local_port_mac'.  Returns NULL, or a malloc'd warning when
 * 'hwaddr_config' was set but unusable (the caller logs it). */
char *bridge_choose_mac(const char *hwaddr_config,
                        struct eth_addr local_port_mac,
                        struct eth_addr *mac);
/* Chooses the datapath ID: 'dpid_config' (other_config:datapath-id, may be
 * NULL) if valid, otherwise derived from 'bridge_mac'.  Returns NULL, or a
 * malloc'd warning when 'dpid_config' was set but unusable. */
char *bridge_choose_datapath_id(const char *dpid_config,
                                struct eth_addr bridge_mac, uint64_t *dpid);

#endif
