/* unixctl.h: the control socket that `ovs-appctl` talks to.
 *
 * A JSON-RPC server on a unix socket, by default
 * $OVS_RUNDIR/PROGRAM.PID.ctl.  Any module registers commands; each request
 * runs the handler with argv[0] the command name.  A handler answers with
 * exactly one unixctl_reply() or unixctl_reply_error(), now or later (the
 * connection stays valid until then).  Main thread only. */
#ifndef OVSNFV_UNIXCTL_H
#define OVSNFV_UNIXCTL_H 1

struct unixctl_conn;
struct unixctl_server;

typedef void unixctl_cb(struct unixctl_conn *, int argc, const char *argv[],
                        void *aux);

/* 'usage' is shown by list-commands; 'min_args'/'max_args' bound the
 * arguments after the command name.  Registering a name again replaces
 * the earlier command. */
void unixctl_command_register(const char *name, const char *usage,
                              int min_args, int max_args, unixctl_cb *,
                              void *aux);
void unixctl_command_unregister(const char *name);

/* Success: 'text' (may be NULL for empty) is what ovs-appctl prints. */
void unixctl_reply(struct unixctl_conn *, const char *text);
/* Failure: ovs-appctl prints 'text' on stderr and exits non-zero. */
void unixctl_reply_error(struct unixctl_conn *, const char *text);

/* Creates the server.  'path' NULL means the default name; a relative path
 * is under $OVS_RUNDIR.  Returns 0 or an errno value (logged). */
int unixctl_server_create(const char *path, struct unixctl_server **);
void unixctl_server_destroy(struct unixctl_server *);
const char *unixctl_server_path(const struct unixctl_server *);

/* Registers list-commands and version. */
void unixctl_register_builtins(const char *version_text);

#endif
