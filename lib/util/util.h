/* util.h: memory, strings and small helpers every ovs-nfv module uses.
 *
 * All functions are thread-safe unless stated otherwise.  The x*alloc()
 * family aborts the process with a log line on out-of-memory, which is the
 * one failure we do not try to survive. */
#ifndef OVSNFV_UTIL_H
#define OVSNFV_UTIL_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(A) (sizeof (A) / sizeof (A)[0])
#define CONTAINER_OF(PTR, TYPE, MEMBER) \
    ((TYPE *) (void *) ((char *) (PTR) - offsetof(TYPE, MEMBER)))
#define MIN(A, B) ((A) < (B) ? (A) : (B))
#define MAX(A, B) ((A) > (B) ? (A) : (B))
#define ROUND_UP(X, Y) (((X) + (Y) - 1) / (Y) * (Y))
#define PRINTF_FMT(FMT, ARG1) __attribute__((format(printf, FMT, ARG1)))
#define NO_RETURN __attribute__((noreturn))

void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xmemdup(const void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_FMT(1, 2);
char *xvasprintf(const char *fmt, va_list args) PRINTF_FMT(1, 0);

/* Program name, for messages and default file names.  Set once in main(). */
void set_program_name(const char *argv0);
const char *program_name(void);

/* Prints "PROGRAM: MESSAGE" (plus strerror(err) when err != 0) to stderr and
 * exits with status 1.  For command-line errors before the daemon runs. */
void nfv_fatal(int err, const char *fmt, ...) PRINTF_FMT(2, 3) NO_RETURN;

bool str_to_int(const char *s, int base, int *out);
bool str_to_uint(const char *s, int base, unsigned int *out);
bool str_to_ullong(const char *s, int base, unsigned long long *out);
bool str_to_bool(const char *s, bool *out);
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);

/* Thread-safe strerror(). */
const char *nfv_strerror(int err);

/* True if all 'n' bytes at 'p' are 0 (bytes_all_zero) or 0xff
 * (bytes_all_ones). */
static inline bool
bytes_all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

static inline bool
bytes_all_ones(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0xff) {
            return false;
        }
    }
    return true;
}

#endif
