/* stream.h: byte-stream connections for the control plane, over libevent.
 *
 * Targets use Open vSwitch's syntax:
 *   active:  unix:PATH   tcp:IP[:PORT]   ssl:IP[:PORT]
 *   passive: punix:PATH  ptcp:[PORT][:IP] pssl:[PORT][:IP]
 * Each kind is a stream class (a small vtable), so a new transport slots in
 * without touching callers.  Connections are libevent bufferevents on the
 * main loop's event_base; call only from the main thread. */
#ifndef OVSNFV_STREAM_H
#define OVSNFV_STREAM_H 1

#include <stdbool.h>
#include <stdint.h>

struct bufferevent;
struct pstream;

/* Starts connecting to 'target'.  'default_port' applies to tcp and ssl
 * targets without one.  On success returns 0 and stores a bufferevent whose
 * event callback will see BEV_EVENT_CONNECTED or an error; otherwise returns
 * a positive errno value and, if 'errp', a malloc'd message. */
int stream_open(const char *target, uint16_t default_port,
                struct bufferevent **bevp, char **errp);

/* True if 'target' names an active (or, for pstream_, passive) stream
 * class that this build supports. */
bool stream_target_is_valid(const char *target);
bool pstream_target_is_valid(const char *target);

/* Called for each accepted connection; the callee owns 'bev'. */
typedef void pstream_accept_cb(struct bufferevent *bev, const char *peer,
                               void *aux);

int pstream_open(const char *target, uint16_t default_port,
                 pstream_accept_cb *, void *aux, struct pstream **,
                 char **errp);
void pstream_close(struct pstream *);
const char *pstream_name(const struct pstream *);
/* The TCP port actually bound (useful with ptcp:0), or 0 for unix. */
uint16_t pstream_port(const struct pstream *);

/* Stream class vtable, one per transport. */
struct stream_class {
    const char *name;           /* "tcp", "unix", "ssl". */
    int (*open)(const char *suffix, uint16_t default_port,
                struct bufferevent **, char **errp);
    int (*listen)(const char *suffix, uint16_t default_port,
                  pstream_accept_cb *, void *aux, struct pstream *,
                  char **errp);
};

/* Registers an additional class (e.g. ssl from stream-ssl.c). */
void stream_register_class(const struct stream_class *);

/* Shared by classes built on sockets: parses "IP[:PORT]" (active) or
 * "[PORT][:IP]" (passive), IPv6 literals in brackets.  Returns 0 or EINVAL
 * with a message. */
struct sockaddr;
struct sockaddr_storage;
int stream_parse_inet_active(const char *s, uint16_t default_port,
                             struct sockaddr_storage *, int *len,
                             char **errp);
int stream_parse_inet_passive(const char *s, uint16_t default_port,
                              struct sockaddr_storage *, int *len,
                              char **errp);
/* Listens on 'sa' and reports accepted sockets through 'wrap', which turns
 * an fd into a bufferevent (plain or TLS). */
typedef struct bufferevent *pstream_wrap_fd(int fd, void *wrap_aux);
int pstream_listen_fd(struct pstream *, const struct sockaddr *, int len,
                      pstream_wrap_fd *, void *wrap_aux, char **errp);

#endif
