/* datapath-id.c: datapath ID and bridge MAC selection.  See datapath-id.h. */
#include <config.h>
#include "vswitchd/datapath-id.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

static int
hex_value(char c)
{
    return (c >= '0' && c <= '9') ? c - '0'
         : (c >= 'a' && c <= 'f') ? c - 'a' + 10
         : (c >= 'A' && c <= 'F') ? c - 'A' + 10
         : -1;
}

bool
eth_addr_from_string(const char *s, struct eth_addr *mac)
{
    if (!s || strlen(s) != 17) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        int hi = hex_value(p[0]), lo = hex_value(p[1]);
        if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':')) {
            return false;
        }
        mac->ea[i] = hi << 4 | lo;
    }
    return true;
}

bool
datapath_id_from_string(const char *s, uint64_t *dpid)
{
    if (!s || strlen(s) != 16) {
        return false;
    }
    uint64_t value = 0;
    for (int i = 0; i < 16; i++) {
        int v = hex_value(s[i]);
        if (v < 0) {
            return false;
        }
        value = value << 4 | v;
    }
    if (!value) {
        return false;
    }
    *dpid = value;
    return true;
}

uint64_t
datapath_id_from_mac(struct eth_addr mac)
{
    uint64_t dpid = 0;
    for (int i = 0; i < 6; i++) {
        dpid = dpid << 8 | mac.ea[i];
    }
    return dpid;
}

void
datapath_id_to_string(uint64_t dpid, char buf[17])
{
    snprintf(buf, 17, "%016" PRIx64, dpid);
}

char *
bridge_choose_mac(const char *hwaddr_config, struct eth_addr local_port_mac,
                  struct eth_addr *mac)
{
    *mac = local_port_mac;
    if (!hwaddr_config) {
        return NULL;
    }
    struct eth_addr configured;
    if (!eth_addr_from_string(hwaddr_config, &configured)) {
        return xasprintf("other_config:hwaddr \"%s\" is not an Ethernet "
                         "address (xx:xx:xx:xx:xx:xx)", hwaddr_config);
    }
    if (eth_addr_is_zero(configured) || eth_addr_is_multicast(configured)) {
        return xasprintf("other_config:hwaddr %s is not a unicast "
                         "address", hwaddr_config);
    }
    *mac = configured;
    return NULL;
}

char *
bridge_choose_datapath_id(const char *dpid_config, struct eth_addr bridge_mac,
                          uint64_t *dpid)
{
    *dpid = datapath_id_from_mac(bridge_mac);
    if (!dpid_config) {
        return NULL;
    }
    uint64_t configured;
    if (!datapath_id_from_string(dpid_config, &configured)) {
        return xasprintf("other_config:datapath-id \"%s\" is not 16 hex "
                         "digits (and not all zeros)", dpid_config);
    }
    *dpid = configured;
    return NULL;
}
