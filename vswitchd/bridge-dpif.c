/* bridge-dpif.c: the bridge layer's calls into lib/dpif and lib/netdev.
 * See bridge-dpif.h. */
#include <config.h>
#include "vswitchd/bridge-dpif.h"

#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dpif/dpif.h"
#include "netdev/netdev.h"
#include "ovsdb/vswitch-rec.h"
#include "util/dstr.h"
#include "util/smap.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(bridge_dpif);

void
bridge_dpif_init(void)
{
    dpif_init();
}

void
bridge_dpif_set_global_config(const struct smap *other_config)
{
    int error = dpif_set_global_config(other_config);
    if (error) {
        log_warn("datapath global configuration: %s", nfv_strerror(error));
    }
}

bool
bridge_dpif_dpdk_initialized(void)
{
    return dpif_dpdk_initialized();
}

const char *
bridge_dpif_dpdk_version(void)
{
    const char *version = dpif_dpdk_version();
    return version ? version : "";
}

const char *const *
bridge_dpif_iface_types(void)
{
    return netdev_supported_types();
}

char *
bridge_dpif_check_datapath_type(const char *type)
{
    if (!type || !type[0] || !strcmp(type, "netdev")) {
        return NULL;
    }
    return xasprintf("datapath_type \"%s\" is not supported: ovs-nfv has "
                     "only the userspace datapath (datapath_type=netdev)",
                     type);
}

int
bridge_dpif_create(struct bridge *br, char **errp)
{
    int error = dpif_create(br->name, &br->dpif);
    if (error) {
        br->dpif = NULL;
        *errp = xasprintf("could not create datapath for bridge %s: %s",
                          br->name, nfv_strerror(error));
    }
    return error;
}

void
bridge_dpif_destroy(struct bridge *br)
{
    dpif_destroy(br->dpif);
    br->dpif = NULL;
}

void
bridge_dpif_set_bridge_config(struct bridge *br,
                              const struct smap *other_config)
{
    if (br->dpif) {
        dpif_set_bridge_config(br->dpif, other_config);
    }
}

/* The message for an interface type the datapath does not have. */
static char *
unsupported_type_error(const char *name, const char *type)
{
    struct dstr ds = DSTR_INITIALIZER;
    dstr_init(&ds);
    dstr_printf(&ds, "could not open network device %s (", name);
    if (!type[0] || !strcmp(type, "system")) {
        dstr_put(&ds, "type \"system\" (the default) is not supported");
    } else {
        dstr_printf(&ds, "unknown type \"%s\"", type);
    }
    dstr_put(&ds, "; supported types:");
    const char *const *types = netdev_supported_types();
    for (size_t i = 0; types && types[i]; i++) {
        dstr_printf(&ds, "%s %s", i ? "," : "", types[i]);
    }
    dstr_put(&ds, ")");
    return dstr_steal(&ds);
}

int
bridge_dpif_iface_open(struct iface *iface, char **errp)
{
    *errp = NULL;
    if (!netdev_type_is_supported(iface->type)) {
        iface->netdev = NULL;
        *errp = unsupported_type_error(iface->name, iface->type);
        return EAFNOSUPPORT;
    }
    int error = netdev_open(iface->name, iface->type, &iface->netdev, errp);
    if (error) {
        iface->netdev = NULL;
        if (!*errp) {
            *errp = xasprintf("could not open network device %s (%s)",
                              iface->name, nfv_strerror(error));
        }
    }
    return error;
}

void
bridge_dpif_iface_close(struct iface *iface)
{
    bridge_dpif_port_del(iface);
    netdev_close(iface->netdev);
    iface->netdev = NULL;
}

int
bridge_dpif_iface_set_options(struct iface *iface,
                              const struct smap *options, char **errp)
{
    *errp = NULL;
    int error = netdev_set_config(iface->netdev, options, errp);
    if (error && !*errp) {
        *errp = xasprintf("%s: could not set configuration (%s)",
                          iface->name, nfv_strerror(error));
    }
    return error;
}

int
bridge_dpif_iface_set_mtu(struct iface *iface, int mtu, char **errp)
{
    int error = netdev_set_mtu(iface->netdev, mtu);
    if (error) {
        *errp = xasprintf("%s: could not set MTU %d (%s)", iface->name, mtu,
                          nfv_strerror(error));
    }
    return error;
}

int
bridge_dpif_iface_set_mac(struct iface *iface, struct eth_addr mac)
{
    return iface->netdev ? netdev_set_etheraddr(iface->netdev, mac) : ENODEV;
}

int
bridge_dpif_iface_get_mac(const struct iface *iface, struct eth_addr *mac)
{
    return iface->netdev ? netdev_get_etheraddr(iface->netdev, mac) : ENODEV;
}

int
bridge_dpif_port_add(struct iface *iface, int ofport, char **errp)
{
    struct bridge *br = iface->br;
    if (!br->dpif || !iface->netdev) {
        *errp = xasprintf("%s: no datapath to add the port to", iface->name);
        return ENODEV;
    }
    int error = dpif_port_add(br->dpif, iface->netdev, ofport);
    if (error) {
        *errp = xasprintf("could not add network device %s to datapath of "
                          "bridge %s as port %d (%s)", iface->name, br->name,
                          ofport, nfv_strerror(error));
        return error;
    }
    iface->ofport = ofport;
    return 0;
}

void
bridge_dpif_port_del(struct iface *iface)
{
    if (iface->ofport >= 0 && iface->br->dpif) {
        int error = dpif_port_del(iface->br->dpif, iface->ofport);
        if (error) {
            log_warn("bridge %s: could not remove port %d (%s): %s",
                     iface->br->name, iface->ofport, iface->name,
                     nfv_strerror(error));
        }
    }
    iface->ofport = -1;
}

void
bridge_dpif_port_set_config(struct iface *iface,
                            const struct smap *other_config)
{
    if (iface->ofport >= 0 && iface->br->dpif) {
        /* The datapath logs a malformed pmd-rxq-affinity itself. */
        dpif_port_set_config(iface->br->dpif, iface->ofport, other_config);
    }
}

char *
bridge_dpif_vlan_key(const struct vsrec_port *port)
{
    struct dstr ds = DSTR_INITIALIZER;
    dstr_init(&ds);
    dstr_printf(&ds, "mode=%s", port && port->vlan_mode ? port->vlan_mode
                                                        : "");
    if (port && port->has_tag) {
        dstr_printf(&ds, " tag=%" PRId64, port->tag);
    }
    for (size_t i = 0; port && i < port->n_trunks; i++) {
        dstr_printf(&ds, "%c%" PRId64, i ? ',' : ' ', port->trunks[i]);
    }
    return dstr_steal(&ds);
}

/* Resolves a Port row into the datapath's VLAN configuration.  Returns NULL
 * or a malloc'd message. */
static char *
resolve_vlan(const struct vsrec_port *port, struct dpif_vlan_config *vlan)
{
    memset(vlan, 0, sizeof *vlan);
    vlan->tag = -1;
    if (port->has_tag) {
        if (port->tag < 0 || port->tag > 4095) {
            return xasprintf("port %s: tag %" PRId64 " is out of range "
                             "(0 to 4095)", port->name, port->tag);
        }
        vlan->tag = port->tag;
    }

    const char *mode = port->vlan_mode;
    if (!mode) {
        vlan->mode = port->has_tag ? DPIF_VLAN_ACCESS : DPIF_VLAN_TRUNK;
    } else if (!strcmp(mode, "access")) {
        vlan->mode = DPIF_VLAN_ACCESS;
    } else if (!strcmp(mode, "trunk")) {
        vlan->mode = DPIF_VLAN_TRUNK;
    } else if (!strcmp(mode, "native-tagged")) {
        vlan->mode = DPIF_VLAN_NATIVE_TAGGED;
    } else if (!strcmp(mode, "native-untagged")) {
        vlan->mode = DPIF_VLAN_NATIVE_UNTAGGED;
    } else {
        return xasprintf("port %s: vlan_mode %s is not supported",
                         port->name, mode);
    }
    if (vlan->mode == DPIF_VLAN_ACCESS && vlan->tag < 0) {
        return xasprintf("port %s: vlan_mode access needs a tag",
                         port->name);
    }

    vlan->all_vlans = !port->n_trunks;
    for (size_t i = 0; i < port->n_trunks; i++) {
        int64_t vid = port->trunks[i];
        if (vid >= 0 && vid <= 4095) {
            vlan->trunks[vid / 64] |= UINT64_C(1) << (vid % 64);
        }
    }
    return NULL;
}

int
bridge_dpif_port_set_vlan(struct iface *iface, const struct vsrec_port *port,
                          char **errp)
{
    if (iface->ofport < 0 || !iface->br->dpif || !port) {
        return 0;
    }
    struct dpif_vlan_config vlan;
    *errp = resolve_vlan(port, &vlan);
    if (*errp) {
        return EINVAL;
    }
    int error = dpif_port_set_vlan(iface->br->dpif, iface->ofport, &vlan);
    if (error) {
        *errp = xasprintf("port %s: could not apply VLAN settings (%s)",
                          port->name, nfv_strerror(error));
    }
    return error;
}

/* Whether the kernel network device 'name' is administratively up: the
 * admin state of a TAP device is the host's to set ("ip link set up"). */
static const char *
kernel_admin_state(const char *name)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return NULL;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    const char *state = NULL;
    if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
        state = ifr.ifr_flags & IFF_UP ? "up" : "down";
    }
    close(fd);
    return state;
}

void
bridge_dpif_iface_get_state(const struct iface *iface,
                            struct iface_state *state)
{
    memset(state, 0, sizeof *state);
    smap_init(&state->status);
    const struct netdev *dev = iface->netdev;
    if (!dev || iface->ofport < 0) {
        return;
    }

    state->admin_state = !strcmp(netdev_get_type(dev), "internal")
                         ? kernel_admin_state(iface->name) : "up";
    state->link_state = netdev_get_link_state(dev) == NETDEV_LINK_UP
                        ? "up" : "down";
    state->has_link_resets = true;
    state->link_resets = netdev_get_link_resets(dev);

    uint32_t mbps;
    bool full_duplex;
    if (!netdev_get_speed(dev, &mbps, &full_duplex) && mbps) {
        state->has_link_speed = true;
        state->link_speed = (int64_t) mbps * 1000000;
        state->duplex = full_duplex ? "full" : "half";
    }

    int mtu;
    if (!netdev_get_mtu(dev, &mtu)) {
        state->has_mtu = true;
        state->mtu = mtu;
    }

    struct eth_addr mac;
    if (!netdev_get_etheraddr(dev, &mac)) {
        state->has_mac_in_use = true;
        snprintf(state->mac_in_use, sizeof state->mac_in_use, ETH_ADDR_FMT,
                 ETH_ADDR_ARGS(mac));
    }

    state->has_ifindex = true;
    state->ifindex = netdev_get_ifindex(dev);

    netdev_get_status(dev, &state->status);
}

static void
put_counter(struct smap *stats, const char *key, uint64_t value)
{
    if (value != UINT64_MAX) {
        smap_replace_format(stats, key, "%" PRIu64, value);
    }
}

int
bridge_dpif_iface_get_stats(const struct iface *iface, struct smap *stats)
{
    if (iface->ofport < 0 || !iface->br->dpif) {
        return ENOENT;
    }
    struct netdev_stats s;
    int error = dpif_port_get_stats(iface->br->dpif, iface->ofport, &s);
    if (error) {
        return error;
    }
    put_counter(stats, "rx_packets", s.rx_packets);
    put_counter(stats, "tx_packets", s.tx_packets);
    put_counter(stats, "rx_bytes", s.rx_bytes);
    put_counter(stats, "tx_bytes", s.tx_bytes);
    put_counter(stats, "rx_errors", s.rx_errors);
    put_counter(stats, "tx_errors", s.tx_errors);
    put_counter(stats, "rx_dropped", s.rx_dropped);
    put_counter(stats, "tx_dropped", s.tx_dropped);
    put_counter(stats, "rx_multicast_packets", s.multicast);
    put_counter(stats, "rx_missed_errors", s.rx_missed);
    return 0;
}

uint64_t
bridge_dpif_change_seq(void)
{
    return netdev_global_change_seq();
}

uint64_t
bridge_dpif_iface_change_seq(const struct iface *iface)
{
    return iface->netdev ? netdev_get_change_seq(iface->netdev) : 0;
}
