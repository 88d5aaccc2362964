#include <config.h>
#include "util/vlog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "unixctl/unixctl.h"
#include "util/dstr.h"
#include "util/timeval.h"

LOG_MODULE(vlog);

static const char *const level_names[LOGL_N_LEVELS] = {
    "OFF", "EMER", "ERR", "WARN", "INFO", "DBG",
};
static const char *const dest_names[LOG_N_DESTS] = {
    "console", "syslog", "file",
};
static const int syslog_prio[LOGL_N_LEVELS] = {
    LOG_DEBUG, LOG_ALERT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG,
};

/* Registry and file state.  'registry' is only appended to by constructors
 * (single-threaded, before main()); everything else is under 'log_mutex'. */
static struct log_module *registry;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static enum log_level default_levels[LOG_N_DESTS] = {
    LOGL_INFO, LOGL_ERR, LOGL_INFO,
};
static char *file_name;
static atomic_int file_fd = -1;
static atomic_uint msg_seq;
static bool syslog_opened;
static __thread char thread_name[32];

static void
update_max_level(struct log_module *m)
{
    int max = LOGL_OFF;
    for (int d = 0; d < LOG_N_DESTS; d++) {
        if (d == LOG_DEST_FILE && atomic_load(&file_fd) < 0) {
            continue;
        }
        int l = atomic_load_explicit(&m->levels[d], memory_order_relaxed);
        max = MAX(max, l);
    }
    atomic_store_explicit(&m->max_level, max, memory_order_relaxed);
}

void
log_module_register(struct log_module *m)
{
    struct log_module **p = &registry;
    while (*p && strcmp((*p)->name, m->name) < 0) {
        p = &(*p)->next;
    }
    m->next = *p;
    *p = m;
    for (int d = 0; d < LOG_N_DESTS; d++) {
        atomic_init(&m->levels[d], default_levels[d]);
    }
    update_max_level(m);
}

static void
update_all_max_levels(void)
{
    for (struct log_module *m = registry; m; m = m->next) {
        update_max_level(m);
    }
}

bool
log_is_enabled(const struct log_module *m, enum log_level level)
{
    return (int) level <= atomic_load_explicit(&((struct log_module *) m)->max_level,
                                         memory_order_relaxed);
}

const char *
log_level_to_string(enum log_level level)
{
    return level < LOGL_N_LEVELS ? level_names[level] : "???";
}

int
log_level_from_string(const char *s)
{
    for (int i = 0; i < LOGL_N_LEVELS; i++) {
        if (!strcasecmp(s, level_names[i])) {
            return i;
        }
    }
    return -1;
}

int
log_dest_from_string(const char *s)
{
    for (int i = 0; i < LOG_N_DESTS; i++) {
        if (!strcasecmp(s, dest_names[i])) {
            return i;
        }
    }
    return -1;
}

struct log_module *
log_module_from_name(const char *name)
{
    for (struct log_module *m = registry; m; m = m->next) {
        if (!strcasecmp(m->name, name)) {
            return m;
        }
    }
    return NULL;
}

void
log_set_level(struct log_module *m, enum log_dest dest, enum log_level level)
{
    atomic_store(&m->levels[dest], level);
    update_max_level(m);
}

void
log_set_level_all(enum log_dest dest, enum log_level level)
{
    for (struct log_module *m = registry; m; m = m->next) {
        log_set_level(m, dest, level);
    }
}

char *
log_set_levels_from_string(const char *spec)
{
    char *copy = xstrdup(spec);
    char *save = NULL;
    struct log_module *module = NULL;
    int dest = -1;
    int level = -1;
    char *error = NULL;

    for (char *word = strtok_r(copy, ": \t", &save); word;
         word = strtok_r(NULL, ": \t", &save)) {
        if (!strcasecmp(word, "any")) {
            continue;
        }
        int d = log_dest_from_string(word);
        int l = log_level_from_string(word);
        struct log_module *m = log_module_from_name(word);
        if (d >= 0) {
            if (dest >= 0) {
                error = xasprintf("cannot specify multiple destinations");
                goto out;
            }
            dest = d;
        } else if (l >= 0) {
            if (level >= 0) {
                error = xasprintf("cannot specify multiple levels");
                goto out;
            }
            level = l;
        } else if (m) {
            if (module) {
                error = xasprintf("cannot specify multiple modules");
                goto out;
            }
            module = m;
        } else {
            error = xasprintf("no destination, level, or module \"%s\"",
                              word);
            goto out;
        }
    }
    if (level < 0) {
        level = LOGL_DBG;
    }
    for (int d = 0; d < LOG_N_DESTS; d++) {
        if (dest >= 0 && d != dest) {
            continue;
        }
        if (module) {
            log_set_level(module, d, level);
        } else {
            default_levels[d] = level;
            log_set_level_all(d, level);
        }
    }
out:
    free(copy);
    return error;
}

void
log_set_thread_name(const char *name)
{
    snprintf(thread_name, sizeof thread_name, "%s", name ? name : "");
}

/* Formats the line prefix; 'with_ms' selects the file format. */
static void
format_prefix(struct dstr *ds, bool with_ms, unsigned int seq,
              const struct log_module *m, enum log_level level)
{
    struct timespec ts;
    struct tm tm;
    char buf[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    dstr_put(ds, buf);
    if (with_ms) {
        dstr_printf(ds, ".%03ld", ts.tv_nsec / 1000000);
    }
    dstr_printf(ds, "Z|%05u|%s", seq, m->name);
    if (thread_name[0]) {
        dstr_printf(ds, "(%s)", thread_name);
    }
    dstr_printf(ds, "|%s|", level_names[level]);
}

static void
write_fully(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, s, n);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        s += r;
        n -= r;
    }
}

void
log_msg_va(struct log_module *m, enum log_level level, const char *fmt,
           va_list args)
{
    if (level == LOGL_OFF || !log_is_enabled(m, level)) {
        return;
    }
    unsigned int seq = atomic_fetch_add(&msg_seq, 1) + 1;
    struct dstr msg = DSTR_INITIALIZER;
    dstr_vprintf(&msg, fmt, args);
    const char *text = dstr_cstr(&msg);

    if ((int) level <= atomic_load(&m->levels[LOG_DEST_CONSOLE])) {
        struct dstr line = DSTR_INITIALIZER;
        format_prefix(&line, false, seq, m, level);
        dstr_printf(&line, "%s\n", text);
        write_fully(STDERR_FILENO, line.s, line.len);
        dstr_destroy(&line);
    }
    if ((int) level <= atomic_load(&m->levels[LOG_DEST_SYSLOG])) {
        pthread_mutex_lock(&log_mutex);
        if (!syslog_opened) {
            openlog(program_name(), LOG_NDELAY, LOG_DAEMON);
            syslog_opened = true;
        }
        pthread_mutex_unlock(&log_mutex);
        syslog(syslog_prio[level], "ovs|%05u|%s|%s|%s", seq, m->name,
               level_names[level], text);
    }
    int fd = atomic_load(&file_fd);
    if (fd >= 0 && (int) level <= atomic_load(&m->levels[LOG_DEST_FILE])) {
        struct dstr line = DSTR_INITIALIZER;
        format_prefix(&line, true, seq, m, level);
        dstr_printf(&line, "%s\n", text);
        /* O_APPEND makes each line one atomic write. */
        write_fully(fd, line.s, line.len);
        dstr_destroy(&line);
    }
    dstr_destroy(&msg);
}

void
log_msg(struct log_module *m, enum log_level level, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    log_msg_va(m, level, fmt, args);
    va_end(args);
}

void
log_msg_rl(struct log_module *m, enum log_level level,
           struct log_ratelimit *rl, const char *fmt, ...)
{
    long long now = time_msec();
    unsigned int dropped = 0;
    bool pass;

    while (atomic_flag_test_and_set_explicit(&rl->lock, memory_order_acquire)) {
        continue;
    }
    if (!rl->last_ms) {
        rl->tokens = rl->burst * rl->per_minute;
        rl->last_ms = now;
    }
    /* Each elapsed millisecond earns per_minute/60000 messages; in units of
     * 1/per_minute message that is per_minute^2/60000, kept exact below. */
    long long elapsed = now - rl->last_ms;
    if (elapsed > 0) {
        unsigned long long earned =
            (unsigned long long) elapsed * rl->per_minute * rl->per_minute
            / 60000;
        unsigned long long cap = (unsigned long long) rl->burst
                                 * rl->per_minute;
        rl->tokens = MIN(cap, rl->tokens + earned);
        rl->last_ms = now;
    }
    pass = rl->tokens >= rl->per_minute;
    if (pass) {
        rl->tokens -= rl->per_minute;
        dropped = rl->dropped;
        rl->dropped = 0;
    } else {
        rl->dropped++;
    }
    atomic_flag_clear_explicit(&rl->lock, memory_order_release);

    if (pass) {
        va_list args;
        va_start(args, fmt);
        log_msg_va(m, level, fmt, args);
        va_end(args);
        if (dropped) {
            log_msg(m, LOGL_INFO, "Dropped %u log messages in last period "
                    "due to excessive rate", dropped);
        }
    }
}

void
log_fatal(struct log_module *m, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    /* Make sure it is seen even if EMER is switched off somewhere. */
    if (atomic_load(&m->levels[LOG_DEST_CONSOLE]) < LOGL_EMER
        && atomic_load(&file_fd) < 0) {
        atomic_store(&m->levels[LOG_DEST_CONSOLE], LOGL_EMER);
        update_max_level(m);
    }
    log_msg_va(m, LOGL_EMER, fmt, args);
    va_end(args);
    exit(EXIT_FAILURE);
}

static int
open_log_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0660);
    return fd < 0 ? -errno : fd;
}

int
log_set_file(const char *path)
{
    pthread_mutex_lock(&log_mutex);
    if (!path) {
        path = file_name;
    }
    if (!path) {
        pthread_mutex_unlock(&log_mutex);
        return 0;
    }
    char *new_name = xstrdup(path);
    int fd = open_log_file(new_name);
    if (fd < 0) {
        pthread_mutex_unlock(&log_mutex);
        int error = -fd;
        log_err("could not open log file %s (%s)", new_name,
                nfv_strerror(error));
        free(new_name);
        return error;
    }
    int old = atomic_exchange(&file_fd, fd);
    if (old >= 0) {
        close(old);
    }
    free(file_name);
    file_name = new_name;
    pthread_mutex_unlock(&log_mutex);

    update_all_max_levels();
    log_info("opened log file %s", file_name);
    return 0;
}

int
log_reopen(void)
{
    return file_name ? log_set_file(NULL) : 0;
}

void
log_close_file(void)
{
    int old = atomic_exchange(&file_fd, -1);
    if (old >= 0) {
        close(old);
    }
    update_all_max_levels();
}

const char *
log_file_name(void)
{
    return file_name;
}

int
log_emergency_write(const char *msg)
{
    size_t n = strlen(msg);
    int fd = atomic_load(&file_fd);
    write_fully(STDERR_FILENO, msg, n);
    if (fd >= 0) {
        write_fully(fd, msg, n);
    }
    return fd;
}

char *
log_list_levels(void)
{
    struct dstr ds = DSTR_INITIALIZER;
    dstr_put(&ds, "                 console    syslog    file\n");
    dstr_put(&ds, "                 -------    ------    ------\n");
    for (struct log_module *m = registry; m; m = m->next) {
        dstr_printf(&ds, "%-16s  %4s       %4s       %4s\n", m->name,
                    level_names[atomic_load(&m->levels[LOG_DEST_CONSOLE])],
                    level_names[atomic_load(&m->levels[LOG_DEST_SYSLOG])],
                    level_names[atomic_load(&m->levels[LOG_DEST_FILE])]);
    }
    dstr_chomp(&ds);
    return dstr_steal(&ds);
}

static void
cmd_vlog_list(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    char *text = log_list_levels();
    unixctl_reply(conn, text);
    free(text);
}

static void
cmd_vlog_set(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    for (int i = 1; i < argc; i++) {
        char *error = log_set_levels_from_string(argv[i]);
        if (error) {
            unixctl_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_reply(conn, NULL);
}

static void
cmd_vlog_reopen(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux)
{
    if (!file_name) {
        unixctl_reply_error(conn, "Logging to file not configured");
        return;
    }
    int error = log_reopen();
    if (error) {
        char *msg = xasprintf("could not reopen log file %s: %s", file_name,
                              nfv_strerror(error));
        unixctl_reply_error(conn, msg);
        free(msg);
    } else {
        unixctl_reply(conn, NULL);
    }
}

static void
cmd_vlog_close(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    if (!file_name) {
        unixctl_reply_error(conn, "Logging to file not configured");
        return;
    }
    log_close_file();
    unixctl_reply(conn, NULL);
}

void
log_register_commands(void)
{
    unixctl_command_register("vlog/list", "", 0, 0, cmd_vlog_list, NULL);
    unixctl_command_register("vlog/set", "[module[:destination[:level]]]...",
                             0, INT32_MAX, cmd_vlog_set, NULL);
    unixctl_command_register("vlog/reopen", "", 0, 0, cmd_vlog_reopen, NULL);
    unixctl_command_register("vlog/close", "", 0, 0, cmd_vlog_close, NULL);
}
