/* bridge.c: reconciles the Open_vSwitch database into switch objects.
 *
 * The foundation only records the database target; the OVSDB client and
 * the reconciliation land with the configuration plane. */
#include <config.h>
#include "vswitchd/vswitchd.h"

#include <stdlib.h>

#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(bridge);

static char *db_remote;

void
vswitchd_init(const char *remote)
{
    db_remote = xstrdup(remote);
}

void
vswitchd_exit(bool cleanup)
{
    free(db_remote);
    db_remote = NULL;
}
