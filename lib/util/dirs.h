/* dirs.h: the run, log and database directories, as Open vSwitch's tools
 * find them: $OVS_RUNDIR, $OVS_LOGDIR and $OVS_DBDIR, or the Debian
 * defaults.  Thread-safe (the values are computed once). */
#ifndef OVSNFV_DIRS_H
#define OVSNFV_DIRS_H 1

const char *nfv_rundir(void);
const char *nfv_logdir(void);
const char *nfv_dbdir(void);

#endif
