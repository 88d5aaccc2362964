#include <config.h>
#include "util/daemon.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/dirs.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(daemon);

static char *pidfile;
static bool detach;
static bool no_chdir;
static bool want_mlockall;
static int ready_fd = -1;       /* Write end of the pipe to the parent. */
static int pidfile_fd = -1;

void
daemon_set_pidfile(const char *path)
{
    free(pidfile);
    if (!path) {
        pidfile = xasprintf("%s/%s.pid", nfv_rundir(), program_name());
    } else if (path[0] != '/') {
        pidfile = xasprintf("%s/%s", nfv_rundir(), path);
    } else {
        pidfile = xstrdup(path);
    }
}

const char *
daemon_pidfile(void)
{
    return pidfile;
}

void
daemon_set_detach(bool on)
{
    detach = on;
}

bool
daemon_is_detached(void)
{
    return detach;
}

void
daemon_set_no_chdir(bool on)
{
    no_chdir = on;
}

void
daemon_set_mlockall(bool on)
{
    want_mlockall = on;
}

/* Writes the pidfile through a temporary file and rename(), holding a write
 * lock on it from before it appears under its real name. */
static void
write_pidfile(void)
{
    char *tmp = xasprintf("%s.tmp", pidfile);
    unlink(tmp);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        log_abort("%s: create failed (%s)", tmp, nfv_strerror(errno));
    }
    struct flock lck = {
        .l_type = F_WRLCK,
        .l_whence = SEEK_SET,
    };
    if (fcntl(fd, F_SETLK, &lck) < 0) {
        log_abort("%s: fcntl lock failed (%s)", tmp, nfv_strerror(errno));
    }

    /* Refuse to start twice: a locked pidfile belongs to a live daemon. */
    int old = open(pidfile, O_RDONLY | O_CLOEXEC);
    if (old >= 0) {
        struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        if (fcntl(old, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK) {
            unlink(tmp);
            log_abort("%s: already running as pid %ld, aborting", pidfile,
                      (long) probe.l_pid);
        }
        close(old);
    }

    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long) getpid());
    if (write(fd, buf, n) != n || fsync(fd) < 0) {
        log_abort("%s: write failed (%s)", tmp, nfv_strerror(errno));
    }
    if (rename(tmp, pidfile) < 0) {
        log_abort("failed to rename \"%s\" to \"%s\" (%s)", tmp, pidfile,
                  nfv_strerror(errno));
    }
    free(tmp);
    pidfile_fd = fd;
}

void
daemon_start(void)
{
    if (detach) {
        int fds[2];
        if (pipe(fds) < 0) {
            nfv_fatal(errno, "pipe failed");
        }
        pid_t pid = fork();
        if (pid < 0) {
            nfv_fatal(errno, "fork failed");
        } else if (pid > 0) {
            /* Parent: wait for the child to report readiness or die. */
            close(fds[1]);
            char c;
            ssize_t n;
            do {
                n = read(fds[0], &c, 1);
            } while (n < 0 && errno == EINTR);
            if (n == 1) {
                _exit(EXIT_SUCCESS);
            }
            int status;
            if (waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
                _exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
            }
            fprintf(stderr, "%s: daemon child died before start-up "
                    "completed\n", program_name());
            _exit(EXIT_FAILURE);
        }
        close(fds[0]);
        ready_fd = fds[1];
        setsid();
    }
    if (pidfile) {
        write_pidfile();
    }
    if (want_mlockall) {
#ifdef HAVE_MLOCKALL
        if (mlockall(MCL_CURRENT | MCL_FUTURE)) {
            log_err("mlockall failed: %s", nfv_strerror(errno));
        }
#else
        log_err("mlockall not supported on this system");
#endif
    }
}

void
daemon_ready(void)
{
    if (ready_fd >= 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            if (null > STDERR_FILENO) {
                close(null);
            }
        }
        /* Nothing reaches a console any more. */
        log_set_level_all(LOG_DEST_CONSOLE, LOGL_OFF);
        char c = 0;
        if (write(ready_fd, &c, 1) != 1) {
            log_warn("could not notify parent process");
        }
        close(ready_fd);
        ready_fd = -1;
    }
    if (detach && !no_chdir && chdir("/") < 0) {
        log_warn("chdir(\"/\") failed (%s)", nfv_strerror(errno));
    }
}

void
daemon_remove_pidfile(void)
{
    if (pidfile && pidfile_fd >= 0) {
        unlink(pidfile);
        close(pidfile_fd);
        pidfile_fd = -1;
    }
}

static void
crash_handler(int signo)
{
    /* Only async-signal-safe calls here. */
    char msg[128];
    const char *name = strsignal(signo);   /* Reads a static table. */
    size_t n = 0;
    const char *parts[] = {
        "|00000|daemon|EMER|caught signal ", NULL, " (", name, "), "
        "backtrace follows\n",
    };
    char num[8];
    int v = signo, i = sizeof num - 1;
    num[i] = '\0';
    do {
        num[--i] = '0' + v % 10;
        v /= 10;
    } while (v && i > 0);
    parts[1] = &num[i];
    for (size_t p = 0; p < ARRAY_SIZE(parts); p++) {
        size_t len = strlen(parts[p]);
        if (n + len >= sizeof msg) {
            break;
        }
        memcpy(msg + n, parts[p], len);
        n += len;
    }
    msg[n] = '\0';
    int fd = log_emergency_write(msg);

    void *frames[64];
    int depth = backtrace(frames, ARRAY_SIZE(frames));
    backtrace_symbols_fd(frames, depth, STDERR_FILENO);
    if (fd >= 0) {
        backtrace_symbols_fd(frames, depth, fd);
    }
    /* SA_RESETHAND restored the default action: die with the signal. */
    raise(signo);
}

void
daemon_install_crash_handler(void)
{
    static const int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
    /* Load libgcc's unwinder now; backtrace() may allocate the first time. */
    void *frames[2];
    backtrace(frames, 2);
    for (size_t i = 0; i < ARRAY_SIZE(signals); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sa.sa_flags = SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(signals[i], &sa, NULL);
    }
}
