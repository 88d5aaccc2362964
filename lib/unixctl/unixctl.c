#include <config.h>
#include "unixctl/unixctl.h"

#include <errno.h>
#include <event2/bufferevent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonrpc/jsonrpc.h"
#include "stream/stream.h"
#include "util/coverage.h"
#include "util/dirs.h"
#include "util/dstr.h"
#include "util/hmap.h"
#include "util/hash.h"
#include "util/list.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(unixctl);
COVERAGE_DEFINE(unixctl_received);
COVERAGE_DEFINE(unixctl_replied);

struct unixctl_command {
    struct hmap_node node;
    char *name;
    char *usage;
    int min_args, max_args;
    unixctl_cb *cb;
    void *aux;
};

/* One pending request: the handle a command handler replies through. */
struct unixctl_conn {
    struct list_node node;      /* In 'server->pending'. */
    struct unixctl_client *client;
    json_t *id;
};

struct unixctl_client {
    struct list_node node;      /* In 'server->clients'. */
    struct unixctl_server *server;
    struct jsonrpc_conn *rpc;
    int n_pending;
};

struct unixctl_server {
    struct pstream *listener;
    char *path;
    struct list_node clients;
};

static struct hmap commands = { NULL, 0, 0 };
static char *version_text;

static void
commands_init(void)
{
    if (!commands.buckets) {
        hmap_init(&commands);
    }
}

static struct unixctl_command *
command_find(const char *name)
{
    struct unixctl_command *cmd;
    commands_init();
    HMAP_FOR_EACH_WITH_HASH (cmd, node, hash_string(name, 0), &commands) {
        if (!strcmp(cmd->name, name)) {
            return cmd;
        }
    }
    return NULL;
}

void
unixctl_command_unregister(const char *name)
{
    struct unixctl_command *cmd = command_find(name);
    if (cmd) {
        hmap_remove(&commands, &cmd->node);
        free(cmd->name);
        free(cmd->usage);
        free(cmd);
    }
}

void
unixctl_command_register(const char *name, const char *usage, int min_args,
                         int max_args, unixctl_cb *cb, void *aux)
{
    unixctl_command_unregister(name);
    struct unixctl_command *cmd = xzalloc(sizeof *cmd);
    cmd->name = xstrdup(name);
    cmd->usage = xstrdup(usage ? usage : "");
    cmd->min_args = min_args;
    cmd->max_args = max_args;
    cmd->cb = cb;
    cmd->aux = aux;
    hmap_insert(&commands, &cmd->node, hash_string(name, 0));
}

static void client_destroy(struct unixctl_client *);

static void
reply__(struct unixctl_conn *conn, const char *text, bool success)
{
    struct unixctl_client *client = conn->client;
    json_t *body = json_string(text ? text : "");
    if (!body) {
        /* Not valid UTF-8: still answer rather than dropping the reply. */
        body = json_string("(reply was not valid UTF-8)");
    }
    if (client && client->rpc) {
        struct jsonrpc_msg *msg = success
            ? jsonrpc_create_reply(body, conn->id)
            : jsonrpc_create_error(body, conn->id);
        jsonrpc_conn_send(client->rpc, msg);
        coverage_inc(unixctl_replied);
    } else {
        json_decref(body);
    }
    if (client) {
        client->n_pending--;
        if (!client->rpc && !client->n_pending) {
            free(client);
        }
    }
    json_decref(conn->id);
    free(conn);
}

void
unixctl_reply(struct unixctl_conn *conn, const char *text)
{
    reply__(conn, text, true);
}

void
unixctl_reply_error(struct unixctl_conn *conn, const char *text)
{
    reply__(conn, text, false);
}

static void
process_request(struct unixctl_client *client, struct jsonrpc_msg *msg)
{
    struct unixctl_conn *conn = xzalloc(sizeof *conn);
    conn->client = client;
    conn->id = json_incref(msg->id ? msg->id : json_null());
    client->n_pending++;
    coverage_inc(unixctl_received);

    struct unixctl_command *cmd = command_find(msg->method);
    size_t n_params = json_array_size(msg->params);
    char *error = NULL;

    if (!cmd) {
        error = xasprintf("\"%s\" is not a valid command (use "
                          "\"list-commands\" to see a list of valid "
                          "commands)", msg->method);
    } else if ((int) n_params < cmd->min_args) {
        error = xasprintf("\"%s\" command requires at least %d arguments",
                          msg->method, cmd->min_args);
    } else if ((int) n_params > cmd->max_args) {
        error = xasprintf("\"%s\" command takes at most %d arguments",
                          msg->method, cmd->max_args);
    } else {
        for (size_t i = 0; i < n_params; i++) {
            if (!json_is_string(json_array_get(msg->params, i))) {
                error = xasprintf("\"%s\" command has non-string argument",
                                  msg->method);
                break;
            }
        }
    }
    if (error) {
        unixctl_reply_error(conn, error);
        free(error);
        return;
    }

    const char **argv = xcalloc(n_params + 2, sizeof *argv);
    argv[0] = msg->method;
    for (size_t i = 0; i < n_params; i++) {
        argv[i + 1] = json_string_value(json_array_get(msg->params, i));
    }
    cmd->cb(conn, n_params + 1, argv, cmd->aux);
    free(argv);
}

static void
client_on_msg(struct jsonrpc_conn *rpc, struct jsonrpc_msg *msg, void *aux)
{
    struct unixctl_client *client = aux;
    if (msg->type == JSONRPC_REQUEST) {
        if (!strcmp(msg->method, "echo")) {
            jsonrpc_conn_send(rpc, jsonrpc_create_reply(
                                  json_incref(msg->params), msg->id));
        } else {
            process_request(client, msg);
        }
    } else {
        log_warn("%s: received unexpected %s message", jsonrpc_conn_name(rpc),
                 jsonrpc_msg_type_to_string(msg->type));
        jsonrpc_msg_destroy(msg);
        client_destroy(client);
        return;
    }
    jsonrpc_msg_destroy(msg);
}

static void
client_on_close(struct jsonrpc_conn *rpc, int error, void *aux)
{
    struct unixctl_client *client = aux;
    /* jsonrpc frees 'rpc' itself after this callback. */
    client->rpc = NULL;
    client_destroy(client);
}

static const struct jsonrpc_conn_cbs client_cbs = {
    .on_msg = client_on_msg,
    .on_close = client_on_close,
};

static void
client_destroy(struct unixctl_client *client)
{
    list_remove(&client->node);
    if (client->rpc) {
        jsonrpc_conn_close(client->rpc);
        client->rpc = NULL;
    }
    /* Deferred replies may still point here; the last one frees it. */
    if (!client->n_pending) {
        free(client);
    }
}

static void
server_accept(struct bufferevent *bev, const char *peer, void *server_)
{
    struct unixctl_server *server = server_;
    struct unixctl_client *client = xzalloc(sizeof *client);
    client->server = server;
    list_push_back(&server->clients, &client->node);
    client->rpc = jsonrpc_conn_create(bev, server->path, &client_cbs, client);
}

int
unixctl_server_create(const char *path, struct unixctl_server **serverp)
{
    struct unixctl_server *server = xzalloc(sizeof *server);
    if (!path) {
        server->path = xasprintf("%s/%s.%ld.ctl", nfv_rundir(),
                                 program_name(), (long) getpid());
    } else if (path[0] != '/') {
        server->path = xasprintf("%s/%s", nfv_rundir(), path);
    } else {
        server->path = xstrdup(path);
    }
    list_init(&server->clients);

    char *target = xasprintf("punix:%s", server->path);
    char *errmsg;
    int error = pstream_open(target, 0, server_accept, server,
                             &server->listener, &errmsg);
    free(target);
    if (error) {
        log_err("could not initialize control socket %s (%s)", server->path,
                errmsg ? errmsg : nfv_strerror(error));
        free(errmsg);
        free(server->path);
        free(server);
        *serverp = NULL;
        return error;
    }
    *serverp = server;
    return 0;
}

void
unixctl_server_destroy(struct unixctl_server *server)
{
    if (server) {
        struct unixctl_client *client, *next;
        LIST_FOR_EACH_SAFE (client, next, node, &server->clients) {
            client_destroy(client);
        }
        pstream_close(server->listener);
        free(server->path);
        free(server);
    }
}

const char *
unixctl_server_path(const struct unixctl_server *server)
{
    return server->path;
}

static int
compare_commands(const void *a_, const void *b_)
{
    const struct unixctl_command *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static void
cmd_list_commands(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux)
{
    size_t n = hmap_count(&commands), i = 0;
    struct unixctl_command **sorted = xcalloc(n, sizeof *sorted);
    struct unixctl_command *cmd;
    HMAP_FOR_EACH (cmd, node, &commands) {
        sorted[i++] = cmd;
    }
    qsort(sorted, n, sizeof *sorted, compare_commands);

    struct dstr ds = DSTR_INITIALIZER;
    dstr_put(&ds, "The available commands are:\n");
    for (i = 0; i < n; i++) {
        dstr_printf(&ds, "  %-23s %s\n", sorted[i]->name, sorted[i]->usage);
    }
    free(sorted);
    unixctl_reply(conn, dstr_cstr(&ds));
    dstr_destroy(&ds);
}

static void
cmd_version(struct unixctl_conn *conn, int argc, const char *argv[],
            void *aux)
{
    unixctl_reply(conn, version_text);
}

void
unixctl_register_builtins(const char *version)
{
    free(version_text);
    version_text = xstrdup(version);
    unixctl_command_register("list-commands", "", 0, 0, cmd_list_commands,
                             NULL);
    unixctl_command_register("version", "", 0, 0, cmd_version, NULL);
}
