/* system-stats.c: Open_vSwitch:statistics from /proc.  See system-stats.h. */
#include <config.h>
#include "vswitchd/system-stats.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "util/dirs.h"
#include "util/dstr.h"
#include "util/smap.h"
#include "util/util.h"

static void
collect_cpu(struct smap *stats)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n > 0) {
        smap_replace_format(stats, "cpu", "%ld", n);
    }
}

static void
collect_load_average(struct smap *stats)
{
    double load[3];
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f) {
        return;
    }
    if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3) {
        smap_replace_format(stats, "load_average", "%.2f,%.2f,%.2f",
                            load[0], load[1], load[2]);
    }
    fclose(f);
}

/* Total, used, cache (discardable), swap total, swap used, in kB. */
static void
collect_memory(struct smap *stats)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) {
        return;
    }
    unsigned long long total = 0, free_ = 0, buffers = 0, cached = 0,
                       swap_total = 0, swap_free = 0;
    int found = 0;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        char key[64];
        unsigned long long value;
        if (sscanf(line, "%63[^:]: %llu", key, &value) != 2) {
            continue;
        }
        unsigned long long *slot = !strcmp(key, "MemTotal") ? &total
                                 : !strcmp(key, "MemFree") ? &free_
                                 : !strcmp(key, "Buffers") ? &buffers
                                 : !strcmp(key, "Cached") ? &cached
                                 : !strcmp(key, "SwapTotal") ? &swap_total
                                 : !strcmp(key, "SwapFree") ? &swap_free
                                 : NULL;
        if (slot) {
            *slot = value;
            found++;
        }
    }
    fclose(f);
    if (found == 6) {
        smap_replace_format(stats, "memory", "%llu,%llu,%llu,%llu,%llu",
                            total, total - free_, buffers + cached,
                            swap_total, swap_total - swap_free);
    }
}

/* Seconds since boot, from /proc/uptime. */
static double
uptime_seconds(void)
{
    double up = 0;
    FILE *f = fopen("/proc/uptime", "r");
    if (f) {
        if (fscanf(f, "%lf", &up) != 1) {
            up = 0;
        }
        fclose(f);
    }
    return up;
}

/* "vsz_kB,rss_kB,cpu_ms,crashes,since_start_ms,running_ms" for 'pid'. */
static char *
process_stats(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long) pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return NULL;
    }
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';

    /* The command name may hold spaces: fields restart after its ')'. */
    char *p = strrchr(buf, ')');
    if (!p) {
        return NULL;
    }
    unsigned long long utime, stime, start, vsize;
    long long rss;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
               "%llu %llu %*d %*d %*d %*d %*d %*d %llu %llu %lld",
               &utime, &stime, &start, &vsize, &rss) != 5) {
        return NULL;
    }
    long ticks = sysconf(_SC_CLK_TCK);
    long page_kb = sysconf(_SC_PAGESIZE) / 1024;
    if (ticks <= 0) {
        return NULL;
    }
    long long cpu_ms = (utime + stime) * 1000 / ticks;
    double started = (double) start / ticks;
    long long age_ms = (long long) ((uptime_seconds() - started) * 1000);
    if (age_ms < 0) {
        age_ms = 0;
    }
    return xasprintf("%llu,%lld,%lld,0,%lld,%lld", vsize / 1024,
                     rss * page_kb, cpu_ms, age_ms, age_ms);
}

/* One process_NAME key per "NAME.pid" in the run directory whose process
 * is alive. */
static void
collect_processes(struct smap *stats)
{
    DIR *dir = opendir(nfv_rundir());
    if (!dir) {
        return;
    }
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t len = strlen(de->d_name);
        if (len <= 4 || strcmp(de->d_name + len - 4, ".pid")) {
            continue;
        }
        char *path = xasprintf("%s/%s", nfv_rundir(), de->d_name);
        FILE *f = fopen(path, "r");
        free(path);
        if (!f) {
            continue;
        }
        long pid;
        bool ok = fscanf(f, "%ld", &pid) == 1 && pid > 0;
        fclose(f);
        if (!ok || (kill(pid, 0) && errno != EPERM)) {
            continue;
        }
        char *value = process_stats(pid);
        if (value) {
            char *key = xasprintf("process_%.*s", (int) (len - 4),
                                  de->d_name);
            smap_replace(stats, key, value);
            free(key);
            free(value);
        }
    }
    closedir(dir);
}

/* "MOUNT,TOTAL_KB,USED_KB" for each local, writable file system. */
static void
collect_file_systems(struct smap *stats)
{
    FILE *f = setmntent("/proc/mounts", "r");
    if (!f) {
        return;
    }
    struct dstr ds = DSTR_INITIALIZER;
    dstr_init(&ds);
    struct mntent *me;
    while ((me = getmntent(f))) {
        if (strncmp(me->mnt_fsname, "/dev/", 5)
            || !hasmntopt(me, "rw")) {
            continue;
        }
        struct statvfs vfs;
        if (statvfs(me->mnt_dir, &vfs)) {
            continue;
        }
        unsigned long long kb = vfs.f_frsize / 1024;
        unsigned long long total = vfs.f_blocks * kb;
        unsigned long long used = (vfs.f_blocks - vfs.f_bfree) * kb;
        if (ds.len) {
            dstr_put_char(&ds, ' ');
        }
        for (const char *c = me->mnt_dir; *c; c++) {
            dstr_put_char(&ds, *c == ' ' || *c == ',' ? '_' : *c);
        }
        dstr_printf(&ds, ",%llu,%llu", total, used);
    }
    endmntent(f);
    if (ds.len) {
        smap_replace(stats, "file_systems", dstr_cstr(&ds));
    }
    dstr_destroy(&ds);
}

void
system_stats_collect(struct smap *stats)
{
    collect_cpu(stats);
    collect_load_average(stats);
    collect_memory(stats);
    collect_processes(stats);
    collect_file_systems(stats);
}
