#include <config.h>
#include "util/dirs.h"

#include <stdlib.h>

static const char *
dir_from_env(const char *var, const char *dflt)
{
    const char *value = getenv(var);
    return value && value[0] ? value : dflt;
}

const char *
nfv_rundir(void)
{
    return dir_from_env("OVS_RUNDIR", "/var/run/openvswitch");
}

const char *
nfv_logdir(void)
{
    return dir_from_env("OVS_LOGDIR", "/var/log/openvswitch");
}

const char *
nfv_dbdir(void)
{
    return dir_from_env("OVS_DBDIR", "/etc/openvswitch");
}
