#include <config.h>
#include "stream/stream-ssl.h"

#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <getopt.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream/stream.h"
#include "util/coverage.h"
#include "util/mainloop.h"
#include "util/util.h"
#include "util/vlog.h"

LOG_MODULE(stream_ssl);
COVERAGE_DEFINE(ssl_handshake_failed);

#define SSL_DEFAULT_PORT 6640

/* One configured file and the mtime it had when loaded. */
struct ssl_file {
    char *name;
    struct timespec mtime;
    bool loaded;
};

/* This module's configuration: one per process, main thread only. */
static struct ssl_file key_file, cert_file, ca_file;
static bool bootstrap_ca;
static SSL_CTX *ctx;            /* Rebuilt when the configuration changes. */
static bool ctx_dirty = true;
static bool registered;

static const struct stream_class ssl_class;

void
stream_ssl_register(void)
{
    if (!registered) {
        registered = true;
        stream_register_class(&ssl_class);
    }
}

/* The OpenSSL error queue as one line (and clears it). */
static char *
openssl_errors(void)
{
    char buf[256], *out = NULL;
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        ERR_error_string_n(e, buf, sizeof buf);
        char *next = out ? xasprintf("%s; %s", out, buf) : xstrdup(buf);
        free(out);
        out = next;
    }
    return out ? out : xstrdup("unknown OpenSSL error");
}

static bool
file_mtime(const char *name, struct timespec *mtime)
{
    struct stat st;
    if (stat(name, &st)) {
        return false;
    }
    *mtime = st.st_mtim;
    return true;
}

/* Records 'name' for 'f'.  Returns 0 or ENOENT if the file does not exist;
 * '*changed' tells whether the setting or the file changed (so that
 * repeating the same configuration, as the bridge layer does on every
 * database change, neither reloads nor logs again). */
static int
set_file(struct ssl_file *f, const char *name, bool *changed)
{
    stream_ssl_register();
    struct timespec mtime = { 0, 0 };
    bool exists = file_mtime(name, &mtime);
    *changed = !f->name || strcmp(f->name, name)
               || mtime.tv_sec != f->mtime.tv_sec
               || mtime.tv_nsec != f->mtime.tv_nsec;
    if (*changed) {
        free(f->name);
        f->name = xstrdup(name);
        f->mtime = mtime;
        f->loaded = false;
        ctx_dirty = true;
    }
    return exists ? 0 : ENOENT;
}

int
stream_ssl_set_private_key_file(const char *file)
{
    bool changed;
    int error = set_file(&key_file, file, &changed);
    if (error && changed) {
        log_warn("private key %s: %s", file, nfv_strerror(error));
    }
    return error;
}

int
stream_ssl_set_certificate_file(const char *file)
{
    bool changed;
    int error = set_file(&cert_file, file, &changed);
    if (error && changed) {
        log_warn("certificate %s: %s", file, nfv_strerror(error));
    }
    return error;
}

int
stream_ssl_set_ca_cert_file(const char *file, bool bootstrap)
{
    bool changed;
    if (bootstrap != bootstrap_ca) {
        bootstrap_ca = bootstrap;
        ctx_dirty = true;
    }
    int error = set_file(&ca_file, file, &changed);
    if (error && bootstrap) {
        if (changed) {
            log_info("CA certificate %s does not exist yet: it will be "
                     "taken from the first peer (bootstrap)", file);
        }
        return 0;
    }
    if (error && changed) {
        log_warn("CA certificate %s: %s", file, nfv_strerror(error));
    }
    return error;
}

int
stream_ssl_configure(const char *private_key, const char *certificate,
                     const char *ca_cert, bool bootstrap_ca_cert)
{
    int error = 0, e;
    if (private_key && (e = stream_ssl_set_private_key_file(private_key))
        && !error) {
        error = e;
    }
    if (certificate && (e = stream_ssl_set_certificate_file(certificate))
        && !error) {
        error = e;
    }
    if (ca_cert && (e = stream_ssl_set_ca_cert_file(ca_cert,
                                                    bootstrap_ca_cert))
        && !error) {
        error = e;
    }
    return error;
}

bool
stream_ssl_is_configured(void)
{
    return key_file.name && cert_file.name && ca_file.name;
}

/* Saves 'cert' to the CA file (atomically) and trusts it. */
static bool
bootstrap_save_ca(SSL_CTX *c, X509 *cert)
{
    char *tmp = xasprintf("%s.tmp%ld", ca_file.name, (long) getpid());
    FILE *f = fopen(tmp, "w");
    bool ok = f && PEM_write_X509(f, cert);
    if (f && fclose(f)) {
        ok = false;
    }
    if (ok && rename(tmp, ca_file.name)) {
        ok = false;
    }
    if (!ok) {
        log_err("%s: could not save bootstrapped CA certificate (%s)",
                ca_file.name, nfv_strerror(errno));
        unlink(tmp);
        free(tmp);
        return false;
    }
    free(tmp);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(c), cert);
    file_mtime(ca_file.name, &ca_file.mtime);
    ca_file.loaded = true;
    char name[256];
    X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
    log_info("%s: trusted CA certificate \"%s\" from peer and saved it "
             "(bootstrap)", ca_file.name, name);
    return true;
}

/* True while the CA is to be bootstrapped from the next peer. */
static bool
bootstrapping(void)
{
    return bootstrap_ca && !ca_file.loaded;
}

static int
verify_cb(int preverify_ok, X509_STORE_CTX *store)
{
    if (preverify_ok) {
        return 1;
    }
    if (bootstrapping()) {
        /* Trust on first use: the chain is checked in the handshake-done
         * callback, which saves its self-signed top. */
        return 1;
    }
    int err = X509_STORE_CTX_get_error(store);
    X509 *cert = X509_STORE_CTX_get_current_cert(store);
    char name[256] = "?";
    if (cert) {
        X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
    }
    coverage_inc(ssl_handshake_failed);
    log_warn("peer certificate \"%s\" rejected: %s", name,
             X509_verify_cert_error_string(err));
    return 0;
}

static void
info_cb(const SSL *ssl, int where, int ret)
{
    if (where & SSL_CB_ALERT) {
        if (SSL_alert_type_string(ret)[0] == 'F') {
            log_warn("TLS %s fatal alert: %s",
                     (where & SSL_CB_READ) ? "received" : "sent",
                     SSL_alert_desc_string_long(ret));
        }
    } else if ((where & SSL_CB_HANDSHAKE_DONE) && bootstrapping()) {
        STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
        int n = chain ? sk_X509_num(chain) : 0;
        X509 *top = n ? sk_X509_value(chain, n - 1) : NULL;
        if (!top || X509_check_issued(top, top) != X509_V_OK) {
            log_warn("bootstrap: peer did not send a self-signed CA "
                     "certificate in its chain; not trusting it");
            return;
        }
        bootstrap_save_ca(SSL_get_SSL_CTX(ssl), top);
    }
}

static SSL_CTX *
build_ctx(char **errp)
{
    SSL_CTX *c = SSL_CTX_new(TLS_method());
    if (!c) {
        *errp = openssl_errors();
        return NULL;
    }
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       verify_cb);
    SSL_CTX_set_info_callback(c, info_cb);
    SSL_CTX_set_mode(c, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

    if (!key_file.name || !cert_file.name || !ca_file.name) {
        *errp = xstrdup("TLS needs a private key, a certificate and a CA "
                        "certificate (--private-key, --certificate, "
                        "--ca-cert or --bootstrap-ca-cert)");
        SSL_CTX_free(c);
        return NULL;
    }
    if (SSL_CTX_use_certificate_chain_file(c, cert_file.name) != 1) {
        char *e = openssl_errors();
        *errp = xasprintf("%s: cannot load certificate (%s)", cert_file.name,
                          e);
        free(e);
        SSL_CTX_free(c);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(c, key_file.name, SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(c) != 1) {
        char *e = openssl_errors();
        *errp = xasprintf("%s: cannot load private key or it does not match "
                          "the certificate (%s)", key_file.name, e);
        free(e);
        SSL_CTX_free(c);
        return NULL;
    }
    key_file.loaded = cert_file.loaded = true;
    file_mtime(key_file.name, &key_file.mtime);
    file_mtime(cert_file.name, &cert_file.mtime);

    struct timespec mtime;
    if (file_mtime(ca_file.name, &mtime)) {
        if (SSL_CTX_load_verify_locations(c, ca_file.name, NULL) != 1) {
            char *e = openssl_errors();
            *errp = xasprintf("%s: cannot load CA certificate (%s)",
                              ca_file.name, e);
            free(e);
            SSL_CTX_free(c);
            return NULL;
        }
        ca_file.loaded = true;
        ca_file.mtime = mtime;
        /* Tell clients which CAs we accept. */
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(ca_file.name);
        if (names) {
            SSL_CTX_set_client_CA_list(c, names);
        }
    } else if (!bootstrap_ca) {
        *errp = xasprintf("%s: CA certificate not found", ca_file.name);
        SSL_CTX_free(c);
        return NULL;
    } else {
        ca_file.loaded = false;
    }
    return c;
}

/* Returns the context for a new connection, rebuilding it if the
 * configuration or a file changed. */
static SSL_CTX *
get_ctx(char **errp)
{
    struct timespec m;
    if (!ctx_dirty) {
        const struct ssl_file *files[] = { &key_file, &cert_file, &ca_file };
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
            if (files[i]->name && file_mtime(files[i]->name, &m)
                && (m.tv_sec != files[i]->mtime.tv_sec
                    || m.tv_nsec != files[i]->mtime.tv_nsec)) {
                ctx_dirty = true;
            }
        }
    }
    if (ctx_dirty || !ctx) {
        SSL_CTX *c = build_ctx(errp);
        if (!c) {
            return NULL;
        }
        SSL_CTX_free(ctx);
        ctx = c;
        ctx_dirty = false;
    }
    return ctx;
}

static SSL *
new_ssl(char **errp, const char *target)
{
    char *err = NULL;
    SSL_CTX *c = get_ctx(&err);
    if (!c) {
        log_warn("%s: %s", target, err);
        if (errp) {
            *errp = xasprintf("%s: %s", target, err);
        }
        free(err);
        return NULL;
    }
    SSL *ssl = SSL_new(c);
    if (!ssl && errp) {
        char *e = openssl_errors();
        *errp = xasprintf("%s: SSL_new failed (%s)", target, e);
        free(e);
    }
    return ssl;
}

static int
ssl_open(const char *suffix, uint16_t default_port, struct bufferevent **bevp,
         char **errp)
{
    struct sockaddr_storage ss;
    int len;
    int error = stream_parse_inet_active(suffix, default_port
                                         ? default_port : SSL_DEFAULT_PORT,
                                         &ss, &len, errp);
    if (error) {
        return error;
    }
    SSL *ssl = new_ssl(errp, suffix);
    if (!ssl) {
        return ENOPROTOOPT;
    }
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        mainloop_base(), -1, ssl, BUFFEREVENT_SSL_CONNECTING,
        BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        SSL_free(ssl);
        return ENOMEM;
    }
    /* A clean TLS shutdown is not required from peers that just close. */
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    if (bufferevent_socket_connect(bev, (struct sockaddr *) &ss, len) < 0) {
        error = errno ? errno : ECONNREFUSED;
        bufferevent_free(bev);
        if (errp) {
            *errp = xasprintf("ssl:%s: connection failed (%s)", suffix,
                              nfv_strerror(error));
        }
        return error;
    }
    *bevp = bev;
    return 0;
}

static struct bufferevent *
wrap_ssl_fd(int fd, void *aux)
{
    SSL *ssl = new_ssl(NULL, "pssl");
    if (!ssl) {
        return NULL;
    }
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        mainloop_base(), fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
        BEV_OPT_CLOSE_ON_FREE);
    if (bev) {
        bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    } else {
        SSL_free(ssl);
    }
    return bev;
}

static int
ssl_listen(const char *suffix, uint16_t default_port, pstream_accept_cb *cb,
           void *aux, struct pstream *ps, char **errp)
{
    struct sockaddr_storage ss;
    int len;
    int error = stream_parse_inet_passive(suffix, default_port
                                          ? default_port : SSL_DEFAULT_PORT,
                                          &ss, &len, errp);
    if (error) {
        return error;
    }
    char *err = NULL;
    if (!get_ctx(&err)) {
        if (errp) {
            *errp = xasprintf("pssl:%s: %s", suffix, err);
        }
        free(err);
        return ENOPROTOOPT;
    }
    return pstream_listen_fd(ps, (struct sockaddr *) &ss, len, wrap_ssl_fd,
                             NULL, errp);
}

static const struct stream_class ssl_class = {
    "ssl", ssl_open, ssl_listen,
};

bool
stream_ssl_handle_option(int c, const char *arg)
{
    switch (c) {
    case STREAM_SSL_OPT_PRIVATE_KEY:
        stream_ssl_set_private_key_file(arg);
        return true;
    case STREAM_SSL_OPT_CERTIFICATE:
        stream_ssl_set_certificate_file(arg);
        return true;
    case STREAM_SSL_OPT_CA_CERT:
        stream_ssl_set_ca_cert_file(arg, false);
        return true;
    case STREAM_SSL_OPT_BOOTSTRAP_CA_CERT:
        stream_ssl_set_ca_cert_file(arg, true);
        return true;
    default:
        return false;
    }
}

void
stream_ssl_usage(FILE *out)
{
    fprintf(out,
            "\nTLS options (for ssl: and pssl: remotes):\n"
            "  --private-key=FILE      file with private key\n"
            "  --certificate=FILE      file with certificate for private key\n"
            "  --ca-cert=FILE          file with peer CA certificate\n"
            "  --bootstrap-ca-cert=FILE  file with peer CA certificate to "
            "read\n"
            "                          or create (trusted on first use)\n");
}
