/* vlog.h: logging through named modules with run-time levels.
 *
 * Each .c file that logs declares its module once with LOG_MODULE(name) and
 * then calls log_info(...), log_warn(...) and friends.  Every module has a
 * level per destination (console, syslog, file) that `ovs-appctl vlog/set`
 * changes at run time.  Lines look like Open vSwitch's:
 *
 *     2026-11-21T23:57:39.596Z|00017|module|INFO|text
 *
 * All functions are thread-safe; the level check before formatting is one
 * relaxed atomic load, so disabled debug logging costs almost nothing even
 * on a PMD thread. */
#ifndef OVSNFV_VLOG_H
#define OVSNFV_VLOG_H 1

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "util/util.h"

enum log_level {
    LOGL_OFF,
    LOGL_EMER,
    LOGL_ERR,
    LOGL_WARN,
    LOGL_INFO,
    LOGL_DBG,
    LOGL_N_LEVELS
};

enum log_dest {
    LOG_DEST_CONSOLE,
    LOG_DEST_SYSLOG,
    LOG_DEST_FILE,
    LOG_N_DESTS
};

struct log_module {
    const char *name;
    atomic_int levels[LOG_N_DESTS];
    atomic_int max_level;           /* Max of 'levels' over open dests. */
    struct log_module *next;        /* In the registry, sorted by name. */
};

void log_module_register(struct log_module *);

#define LOG_MODULE(NAME)                                                  \
    static struct log_module log_this_module = { .name = #NAME };          \
    __attribute__((constructor)) static void                               \
    log_register_this_module(void)                                         \
    {                                                                      \
        log_module_register(&log_this_module);                             \
    }

/* Token bucket limiting a call site to RATE messages per minute with bursts
 * of BURST.  Messages it suppresses are counted and reported later. */
struct log_ratelimit {
    unsigned int per_minute, burst;
    atomic_flag lock;
    unsigned int tokens;            /* In 1/per_minute-of-a-message units. */
    long long last_ms;
    unsigned int dropped;
};
#define LOG_RATELIMIT_INIT(PER_MINUTE, BURST) \
    { (PER_MINUTE), (BURST), ATOMIC_FLAG_INIT, 0, 0, 0 }

bool log_is_enabled(const struct log_module *, enum log_level);
void log_msg(struct log_module *, enum log_level, const char *fmt, ...)
    PRINTF_FMT(3, 4);
void log_msg_va(struct log_module *, enum log_level, const char *fmt,
                va_list) PRINTF_FMT(3, 0);
void log_msg_rl(struct log_module *, enum log_level, struct log_ratelimit *,
                const char *fmt, ...) PRINTF_FMT(4, 5);

#define LOG_AT_(LEVEL, ...)                                                \
    do {                                                                   \
        if (log_is_enabled(&log_this_module, LEVEL)) {                     \
            log_msg(&log_this_module, LEVEL, __VA_ARGS__);                 \
        }                                                                  \
    } while (0)
#define log_emer(...) LOG_AT_(LOGL_EMER, __VA_ARGS__)
#define log_err(...) LOG_AT_(LOGL_ERR, __VA_ARGS__)
#define log_warn(...) LOG_AT_(LOGL_WARN, __VA_ARGS__)
#define log_info(...) LOG_AT_(LOGL_INFO, __VA_ARGS__)
#define log_dbg(...) LOG_AT_(LOGL_DBG, __VA_ARGS__)
#define log_dbg_enabled() log_is_enabled(&log_this_module, LOGL_DBG)

#define LOG_RL_AT_(LEVEL, RL, ...)                                         \
    do {                                                                   \
        if (log_is_enabled(&log_this_module, LEVEL)) {                     \
            log_msg_rl(&log_this_module, LEVEL, RL, __VA_ARGS__);          \
        }                                                                  \
    } while (0)
#define log_err_rl(RL, ...) LOG_RL_AT_(LOGL_ERR, RL, __VA_ARGS__)
#define log_warn_rl(RL, ...) LOG_RL_AT_(LOGL_WARN, RL, __VA_ARGS__)
#define log_info_rl(RL, ...) LOG_RL_AT_(LOGL_INFO, RL, __VA_ARGS__)
#define log_dbg_rl(RL, ...) LOG_RL_AT_(LOGL_DBG, RL, __VA_ARGS__)

/* Logs 'fmt' at EMER, then exits the process with status 1. */
void log_fatal(struct log_module *, const char *fmt, ...)
    PRINTF_FMT(2, 3) NO_RETURN;
#define log_abort(...) log_fatal(&log_this_module, __VA_ARGS__)

/* Applies a spec like "module:destination:level" (any order, "any" for all
 * modules or destinations; a missing module or destination means all of
 * them, a missing level means "dbg").  Returns NULL on success, otherwise a
 * malloc'd error message in the words `ovs-appctl vlog/set` users expect. */
char *log_set_levels_from_string(const char *spec);
void log_set_level(struct log_module *, enum log_dest, enum log_level);
void log_set_level_all(enum log_dest, enum log_level);
struct log_module *log_module_from_name(const char *name);
const char *log_level_to_string(enum log_level);
int log_level_from_string(const char *);       /* -1 if unknown. */
int log_dest_from_string(const char *);        /* -1 if unknown. */

/* Opens (or, with NULL, reopens the current) log file.  Returns 0 or an
 * errno value, which it also logs. */
int log_set_file(const char *path);
int log_reopen(void);
void log_close_file(void);
const char *log_file_name(void);

/* Names the calling thread in log lines: "module(NAME)". */
void log_set_thread_name(const char *name);

/* The vlog/list text, as `ovs-appctl vlog/list` prints it. */
char *log_list_levels(void);

/* Registers vlog/list, vlog/set, vlog/reopen and vlog/close. */
void log_register_commands(void);

/* For the crash handler: writes 'msg' to stderr and the log file using only
 * async-signal-safe calls.  Returns the log file's descriptor or -1. */
int log_emergency_write(const char *msg);

#endif
