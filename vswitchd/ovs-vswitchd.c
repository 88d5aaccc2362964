/* ovs-vswitchd: the ovs-nfv switch daemon.
 *
 * A drop-in replacement for Open vSwitch's DPDK daemon: same command line,
 * same run directory layout, same control socket, configured from the
 * Open_vSwitch database. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <rte_version.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream/stream-ssl.h"
#include "unixctl/unixctl.h"
#include "util/coverage.h"
#include "util/daemon.h"
#include "util/dirs.h"
#include "util/mainloop.h"
#include "util/util.h"
#include "util/vlog.h"
#include "vswitchd/vswitchd.h"

LOG_MODULE(ovs_vswitchd);

struct options {
    char *database;
    char *unixctl_path;
    bool want_cleanup;
};

static void NO_RETURN
usage(void)
{
    printf("%s: ovs-nfv virtual switch daemon\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "where DATABASE is a socket on which ovsdb-server is listening\n"
           "      (default: \"unix:%s/db.sock\").\n"
           "\nDaemon options:\n"
           "  --detach                run in background as daemon\n"
           "  --no-chdir              do not chdir to '/'\n"
           "  --pidfile[=FILE]        create pidfile (default: %s/%s.pid)\n"
           "  --mlockall              lock all memory into RAM\n",
           program_name(), program_name(), nfv_rundir(), nfv_rundir(),
           program_name());
    stream_ssl_usage(stdout);
    printf("\nLogging options:\n"
           "  -vSPEC, --verbose=SPEC  set logging levels\n"
           "  -v, --verbose           set maximum verbosity level\n"
           "  --log-file[=FILE]       enable logging to specified FILE\n"
           "                          (default: %s/%s.log)\n"
           "\nOther options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n"
           "\nThe environment variables OVS_RUNDIR, OVS_LOGDIR and OVS_DBDIR\n"
           "override the run, log and database directories.\n",
           nfv_logdir(), program_name());
    exit(EXIT_SUCCESS);
}

static void
print_version(void)
{
    printf("%s (ovs-nfv) %s\n%s\n", program_name(), OVS_NFV_VERSION,
           rte_version());
}

static void
parse_options(int argc, char *argv[], struct options *opts)
{
    enum {
        OPT_PIDFILE = 256,
        OPT_DETACH,
        OPT_NO_CHDIR,
        OPT_LOG_FILE,
        OPT_UNIXCTL,
        OPT_MLOCKALL,
        OPT_ENABLE_DUMMY,
    };
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "verbose", optional_argument, NULL, 'v' },
        { "pidfile", optional_argument, NULL, OPT_PIDFILE },
        { "detach", no_argument, NULL, OPT_DETACH },
        { "no-chdir", no_argument, NULL, OPT_NO_CHDIR },
        { "log-file", optional_argument, NULL, OPT_LOG_FILE },
        { "unixctl", required_argument, NULL, OPT_UNIXCTL },
        { "mlockall", no_argument, NULL, OPT_MLOCKALL },
        STREAM_SSL_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    char *log_file = NULL;
    bool want_log_file = false;

    stream_ssl_register();

    for (;;) {
        int c = getopt_long(argc, argv, "hVv::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'h':
            usage();
        case 'V':
            print_version();
            exit(EXIT_SUCCESS);
        case 'v': {
            char *error = log_set_levels_from_string(optarg ? optarg
                                                            : "any:any:dbg");
            if (error) {
                nfv_fatal(0, "processing \"%s\": %s", optarg, error);
            }
            break;
        }
        case OPT_PIDFILE:
            daemon_set_pidfile(optarg);
            break;
        case OPT_DETACH:
            daemon_set_detach(true);
            break;
        case OPT_NO_CHDIR:
            daemon_set_no_chdir(true);
            break;
        case OPT_LOG_FILE:
            want_log_file = true;
            free(log_file);
            log_file = optarg ? xstrdup(optarg) : NULL;
            break;
        case OPT_UNIXCTL:
            opts->unixctl_path = optarg;
            break;
        case OPT_MLOCKALL:
            daemon_set_mlockall(true);
            break;
        case '?':
            exit(EXIT_FAILURE);
        default:
            if (!stream_ssl_handle_option(c, optarg)) {
                abort();
            }
        }
    }

    argc -= optind;
    argv += optind;
    if (argc > 1) {
        nfv_fatal(0, "at most one non-option argument accepted; "
                  "use --help for usage");
    }
    opts->database = argc ? xstrdup(argv[0])
                          : xasprintf("unix:%s/db.sock", nfv_rundir());

    if (want_log_file) {
        if (!log_file) {
            log_file = xasprintf("%s/%s.log", nfv_logdir(), program_name());
        }
        if (log_set_file(log_file)) {
            nfv_fatal(0, "could not open log file %s", log_file);
        }
        free(log_file);
    }
}

static void
cmd_exit(struct unixctl_conn *conn, int argc, const char *argv[], void *opts_)
{
    struct options *opts = opts_;
    if (argc > 1 && strcmp(argv[1], "--cleanup")) {
        char *msg = xasprintf("unknown option \"%s\"", argv[1]);
        unixctl_reply_error(conn, msg);
        free(msg);
        return;
    }
    opts->want_cleanup = argc > 1;
    log_info("exiting on request%s", opts->want_cleanup ? " with cleanup"
                                                         : "");
    unixctl_reply(conn, NULL);
    mainloop_exit(EXIT_SUCCESS);
}

static void
on_terminate(void *aux)
{
    log_info("received termination signal, exiting");
    mainloop_exit(EXIT_SUCCESS);
}

static void
on_sighup(void *aux)
{
    log_reopen();
}

static void
on_coverage_timer(void *aux)
{
    coverage_sample();
}

int
main(int argc, char *argv[])
{
    struct options opts = { 0 };
    struct unixctl_server *unixctl;

    set_program_name(argv[0]);
    parse_options(argc, argv, &opts);
    daemon_install_crash_handler();
    mainloop_init();
    daemon_start();

    if (unixctl_server_create(opts.unixctl_path, &unixctl)) {
        exit(EXIT_FAILURE);
    }
    char *version = xasprintf("%s (ovs-nfv) %s\n", program_name(),
                              OVS_NFV_VERSION);
    unixctl_register_builtins(version);
    free(version);
    log_register_commands();
    coverage_register_commands();
    unixctl_command_register("exit", "[--cleanup]", 0, 1, cmd_exit, &opts);

    mainloop_on_signal(SIGTERM, on_terminate, NULL);
    mainloop_on_signal(SIGINT, on_terminate, NULL);
    mainloop_on_signal(SIGHUP, on_sighup, NULL);
    mainloop_timer_add(5000, true, on_coverage_timer, NULL);

    vswitchd_init(opts.database);
    log_info("ovs-nfv %s starting, database %s", OVS_NFV_VERSION,
             opts.database);
    daemon_ready();

    int status = mainloop_run();

    vswitchd_exit(opts.want_cleanup);
    unixctl_server_destroy(unixctl);
    log_info("ovs-nfv exiting");
    daemon_remove_pidfile();
    free(opts.database);
    return status;
}
