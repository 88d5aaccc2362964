/* system-stats.h: Open_vSwitch:statistics, the host's vital signs.
 *
 * With other_config:enable-statistics=true the switch publishes, every few
 * seconds, the keys ovs-vswitchd.conf.db(5) defines: cpu, load_average,
 * memory, process_NAME (one per live daemon with a pidfile in the run
 * directory) and file_systems.  Keys that cannot be determined are left
 * out.  Linux only (reads /proc).  Main thread only. */
#ifndef OVSNFV_VSWITCHD_SYSTEM_STATS_H
#define OVSNFV_VSWITCHD_SYSTEM_STATS_H 1

struct smap;

/* Adds the statistics to 'stats' (initialised by the caller). */
void system_stats_collect(struct smap *stats);

#endif
