#include <config.h>
#include "stream/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/coverage.h"
#include "util/mainloop.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(stream);
COVERAGE_DEFINE(stream_open);
COVERAGE_DEFINE(pstream_open);

struct pstream {
    char *name;
    struct evconnlistener *listener;
    pstream_accept_cb *accept_cb;
    void *aux;
    pstream_wrap_fd *wrap;
    void *wrap_aux;
    char *unlink_path;          /* For punix: removed on close. */
    uint16_t port;
};

#define MAX_CLASSES 8
static const struct stream_class *classes[MAX_CLASSES];
static size_t n_classes;

static const struct stream_class unix_class, tcp_class;

static void
register_builtin_classes(void)
{
    if (!n_classes) {
        classes[n_classes++] = &unix_class;
        classes[n_classes++] = &tcp_class;
    }
}

void
stream_register_class(const struct stream_class *class)
{
    register_builtin_classes();
    for (size_t i = 0; i < n_classes; i++) {
        if (!strcmp(classes[i]->name, class->name)) {
            return;
        }
    }
    if (n_classes < MAX_CLASSES) {
        classes[n_classes++] = class;
    }
}

/* Finds the class for "NAME:rest" (active) or "pNAME:rest" (passive). */
static const struct stream_class *
class_for(const char *target, bool passive, const char **suffix)
{
    register_builtin_classes();
    if (passive) {
        if (target[0] != 'p') {
            return NULL;
        }
        target++;
    }
    for (size_t i = 0; i < n_classes; i++) {
        size_t n = strlen(classes[i]->name);
        if (!strncmp(target, classes[i]->name, n) && target[n] == ':') {
            *suffix = target + n + 1;
            return classes[i];
        }
    }
    return NULL;
}

bool
stream_target_is_valid(const char *target)
{
    const char *suffix;
    return class_for(target, false, &suffix) != NULL;
}

bool
pstream_target_is_valid(const char *target)
{
    const char *suffix;
    return class_for(target, true, &suffix) != NULL;
}

static int
set_error(char **errp, int error, const char *fmt, ...)
{
    if (errp) {
        va_list args;
        va_start(args, fmt);
        *errp = xvasprintf(fmt, args);
        va_end(args);
    }
    return error;
}

int
stream_open(const char *target, uint16_t default_port,
            struct bufferevent **bevp, char **errp)
{
    const char *suffix;
    const struct stream_class *class = class_for(target, false, &suffix);
    *bevp = NULL;
    if (errp) {
        *errp = NULL;
    }
    if (!class) {
        return set_error(errp, EAFNOSUPPORT, "%s: unknown stream type",
                         target);
    }
    coverage_inc(stream_open);
    return class->open(suffix, default_port, bevp, errp);
}

int
pstream_open(const char *target, uint16_t default_port,
             pstream_accept_cb *cb, void *aux, struct pstream **pstreamp,
             char **errp)
{
    const char *suffix;
    const struct stream_class *class = class_for(target, true, &suffix);
    *pstreamp = NULL;
    if (errp) {
        *errp = NULL;
    }
    if (!class) {
        return set_error(errp, EAFNOSUPPORT,
                         "%s: unknown passive stream type", target);
    }
    struct pstream *ps = xzalloc(sizeof *ps);
    ps->name = xstrdup(target);
    ps->accept_cb = cb;
    ps->aux = aux;
    int error = class->listen(suffix, default_port, cb, aux, ps, errp);
    if (error) {
        pstream_close(ps);
        return error;
    }
    coverage_inc(pstream_open);
    *pstreamp = ps;
    return 0;
}

void
pstream_close(struct pstream *ps)
{
    if (ps) {
        if (ps->listener) {
            evconnlistener_free(ps->listener);
        }
        if (ps->unlink_path) {
            unlink(ps->unlink_path);
            free(ps->unlink_path);
        }
        free(ps->name);
        free(ps);
    }
}

const char *
pstream_name(const struct pstream *ps)
{
    return ps->name;
}

uint16_t
pstream_port(const struct pstream *ps)
{
    return ps->port;
}

static struct bufferevent *
wrap_plain_fd(int fd, void *aux)
{
    return bufferevent_socket_new(mainloop_base(), fd, BEV_OPT_CLOSE_ON_FREE);
}

static void
peer_name(const struct sockaddr *sa, char *buf, size_t size)
{
    char ip[INET6_ADDRSTRLEN] = "";
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const void *) sa;
        inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof ip);
        snprintf(buf, size, "%s:%u", ip, ntohs(sin->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const void *) sa;
        inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof ip);
        snprintf(buf, size, "[%s]:%u", ip, ntohs(sin6->sin6_port));
    } else {
        snprintf(buf, size, "unix");
    }
}

static void
listener_accepted(struct evconnlistener *l, evutil_socket_t fd,
                  struct sockaddr *sa, int len, void *ps_)
{
    struct pstream *ps = ps_;
    char name[80];
    evutil_make_socket_nonblocking(fd);
    evutil_make_socket_closeonexec(fd);
    struct bufferevent *bev = ps->wrap(fd, ps->wrap_aux);
    if (!bev) {
        close(fd);
        return;
    }
    peer_name(sa, name, sizeof name);
    ps->accept_cb(bev, name, ps->aux);
}

static void
listener_error(struct evconnlistener *l, void *ps_)
{
    struct pstream *ps = ps_;
    log_warn("%s: accept failed (%s)", ps->name,
             nfv_strerror(EVUTIL_SOCKET_ERROR()));
}

int
pstream_listen_fd(struct pstream *ps, const struct sockaddr *sa, int len,
                  pstream_wrap_fd *wrap, void *wrap_aux, char **errp)
{
    ps->wrap = wrap ? wrap : wrap_plain_fd;
    ps->wrap_aux = wrap_aux;
    ps->listener = evconnlistener_new_bind(
        mainloop_base(), listener_accepted, ps,
        LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
        -1, sa, len);
    if (!ps->listener) {
        int error = errno ? errno : EADDRINUSE;
        return set_error(errp, error, "%s: listen failed (%s)", ps->name,
                         nfv_strerror(error));
    }
    evconnlistener_set_error_cb(ps->listener, listener_error);
    if (sa->sa_family == AF_INET || sa->sa_family == AF_INET6) {
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        int fd = evconnlistener_get_fd(ps->listener);
        if (!getsockname(fd, (struct sockaddr *) &bound, &blen)) {
            ps->port = ntohs(bound.ss_family == AF_INET
                             ? ((struct sockaddr_in *) &bound)->sin_port
                             : ((struct sockaddr_in6 *) &bound)->sin6_port);
        }
    }
    return 0;
}

/* unix: */

static int
make_sockaddr_un(const char *path, struct sockaddr_un *sun, int *len,
                 char **errp)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (!path[0] || strlen(path) >= sizeof sun->sun_path) {
        return set_error(errp, ENAMETOOLONG,
                         "%s: unix socket path empty or too long", path);
    }
    strcpy(sun->sun_path, path);
    *len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
    return 0;
}

static int
connect_sockaddr(int family, const struct sockaddr *sa, int len,
                 const char *name, struct bufferevent **bevp, char **errp)
{
    struct bufferevent *bev = bufferevent_socket_new(mainloop_base(), -1,
                                                     BEV_OPT_CLOSE_ON_FREE);
    if (bufferevent_socket_connect(bev, sa, len) < 0) {
        int error = errno ? errno : ECONNREFUSED;
        bufferevent_free(bev);
        return set_error(errp, error, "%s: connection failed (%s)", name,
                         nfv_strerror(error));
    }
    *bevp = bev;
    return 0;
}

static int
unix_open(const char *path, uint16_t default_port, struct bufferevent **bevp,
          char **errp)
{
    struct sockaddr_un sun;
    int len;
    int error = make_sockaddr_un(path, &sun, &len, errp);
    return error ? error : connect_sockaddr(AF_UNIX, (struct sockaddr *) &sun,
                                            len, path, bevp, errp);
}

static int
unix_listen(const char *path, uint16_t default_port, pstream_accept_cb *cb,
            void *aux, struct pstream *ps, char **errp)
{
    struct sockaddr_un sun;
    int len;
    int error = make_sockaddr_un(path, &sun, &len, errp);
    if (error) {
        return error;
    }
    unlink(path);
    error = pstream_listen_fd(ps, (struct sockaddr *) &sun, len, NULL, NULL,
                              errp);
    if (!error) {
        ps->unlink_path = xstrdup(path);
    }
    return error;
}

static const struct stream_class unix_class = {
    "unix", unix_open, unix_listen,
};

/* tcp: */

static int
parse_ip(const char *ip, uint16_t port, struct sockaddr_storage *ss,
         int *len)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *sin = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;
    if (inet_pton(AF_INET, ip, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        *len = sizeof *sin;
        return 0;
    }
    if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        *len = sizeof *sin6;
        return 0;
    }
    return EINVAL;
}

/* Splits "HOST[:PORT]" or "[V6][:PORT]" in place. */
static void
split_host_port(char *s, char **host, char **port)
{
    *port = NULL;
    if (s[0] == '[') {
        char *close = strchr(s, ']');
        *host = s + 1;
        if (close) {
            *close = '\0';
            if (close[1] == ':') {
                *port = close + 2;
            }
        }
    } else {
        *host = s;
        char *colon = strchr(s, ':');
        if (colon && !strchr(colon + 1, ':')) {
            *colon = '\0';
            *port = colon + 1;
        }
    }
}

static bool
parse_port(const char *s, uint16_t *port)
{
    unsigned int v;
    if (!str_to_uint(s, 10, &v) || v > 65535) {
        return false;
    }
    *port = v;
    return true;
}

int
stream_parse_inet_active(const char *s, uint16_t default_port,
                         struct sockaddr_storage *ss, int *len, char **errp)
{
    char *copy = xstrdup(s);
    char *host, *port_s;
    uint16_t port = default_port;
    int error = 0;

    split_host_port(copy, &host, &port_s);
    if (port_s && *port_s && !parse_port(port_s, &port)) {
        error = set_error(errp, EINVAL, "%s: bad port number", s);
    } else if (!port) {
        error = set_error(errp, EINVAL, "%s: port number required", s);
    } else if (parse_ip(host, port, ss, len)) {
        error = set_error(errp, EINVAL, "%s: bad IP address \"%s\"", s,
                          host);
    }
    free(copy);
    return error;
}

int
stream_parse_inet_passive(const char *s, uint16_t default_port,
                          struct sockaddr_storage *ss, int *len, char **errp)
{
    char *copy = xstrdup(s);
    char *port_s = copy;
    const char *host = "0.0.0.0";
    uint16_t port = default_port;
    int error = 0;

    char *colon = strchr(copy, ':');
    if (colon) {
        *colon = '\0';
        host = colon + 1;
        if (host[0] == '[') {
            char *close = strchr(host, ']');
            host++;
            if (close) {
                *close = '\0';
            }
        }
    }
    if (*port_s && !parse_port(port_s, &port)) {
        error = set_error(errp, EINVAL, "%s: bad port number", s);
    } else if (parse_ip(host, port, ss, len)) {
        error = set_error(errp, EINVAL, "%s: bad IP address \"%s\"", s,
                          host);
    }
    free(copy);
    return error;
}

static int
tcp_open(const char *suffix, uint16_t default_port,
         struct bufferevent **bevp, char **errp)
{
    struct sockaddr_storage ss;
    int len;
    int error = stream_parse_inet_active(suffix, default_port, &ss, &len,
                                         errp);
    return error ? error : connect_sockaddr(ss.ss_family,
                                            (struct sockaddr *) &ss, len,
                                            suffix, bevp, errp);
}

static int
tcp_listen(const char *suffix, uint16_t default_port, pstream_accept_cb *cb,
           void *aux, struct pstream *ps, char **errp)
{
    struct sockaddr_storage ss;
    int len;
    int error = stream_parse_inet_passive(suffix, default_port, &ss, &len,
                                          errp);
    return error ? error : pstream_listen_fd(ps, (struct sockaddr *) &ss, len,
                                             NULL, NULL, errp);
}

static const struct stream_class tcp_class = {
    "tcp", tcp_open, tcp_listen,
};
