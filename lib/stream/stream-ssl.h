/* stream-ssl.h: TLS streams ("ssl:IP[:PORT]" active, "pssl:[PORT][:IP]"
 * passive) over OpenSSL 3 and libevent's bufferevent_openssl.
 *
 * One process-wide configuration: a private key, its certificate, and the
 * CA certificate that peers' certificates must chain to.  Peer verification
 * is always on, in both directions.  With a bootstrap CA certificate file
 * that does not exist yet, the first peer's CA certificate (the top of the
 * chain it sends, which must be self-signed) is trusted on first use and
 * saved to that file; later connections verify against it.
 *
 * A failed handshake (bad or unknown certificate, protocol mismatch) is
 * logged and reported to the stream's user as a connection error; it never
 * stops the process.
 *
 * Main thread only. */
#ifndef OVSNFV_STREAM_SSL_H
#define OVSNFV_STREAM_SSL_H 1

#include <stdbool.h>
#include <stdio.h>

/* Registers the "ssl" stream class with util/stream.h.  Idempotent; the
 * setters below call it too. */
void stream_ssl_register(void);

/* Sets the files; each returns 0 or an errno value (logged).  A file is
 * (re)loaded when both key and certificate are known, so they may be set
 * in either order.  Setting the same file again is a no-op unless the file
 * changed on disk. */
int stream_ssl_set_private_key_file(const char *file);
int stream_ssl_set_certificate_file(const char *file);
/* 'bootstrap': if 'file' does not exist, trust the first peer's CA and
 * save it there (see above). */
int stream_ssl_set_ca_cert_file(const char *file, bool bootstrap);

/* Applies a whole configuration at once, e.g. from the Open_vSwitch
 * database's SSL table (NULLs leave a setting unchanged).  Returns 0 or
 * the first error. */
int stream_ssl_configure(const char *private_key, const char *certificate,
                         const char *ca_cert, bool bootstrap_ca_cert);

/* True once a key, a certificate and a CA (or a bootstrap CA file) are
 * set: without them ssl connections fail with ENOPROTOOPT. */
bool stream_ssl_is_configured(void);

/* Command-line options shared by the programs that speak TLS.  Add
 * STREAM_SSL_LONG_OPTIONS to a getopt_long() table and call
 * stream_ssl_handle_option() for unknown option codes; call
 * stream_ssl_usage() from --help. */
enum {
    STREAM_SSL_OPT_PRIVATE_KEY = 0x5310,
    STREAM_SSL_OPT_CERTIFICATE,
    STREAM_SSL_OPT_CA_CERT,
    STREAM_SSL_OPT_BOOTSTRAP_CA_CERT,
};

#define STREAM_SSL_LONG_OPTIONS                                             \
    { "private-key", required_argument, NULL, STREAM_SSL_OPT_PRIVATE_KEY }, \
    { "certificate", required_argument, NULL, STREAM_SSL_OPT_CERTIFICATE }, \
    { "ca-cert", required_argument, NULL, STREAM_SSL_OPT_CA_CERT },         \
    { "bootstrap-ca-cert", required_argument, NULL,                         \
      STREAM_SSL_OPT_BOOTSTRAP_CA_CERT }

/* Handles option 'c' with argument 'arg' if it is one of the above.
 * Returns true if it was.  A file that cannot be loaded yet is logged, not
 * fatal: it is retried when the next ssl connection is made. */
bool stream_ssl_handle_option(int c, const char *arg);
void stream_ssl_usage(FILE *);

#endif
