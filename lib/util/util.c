#include <config.h>
#include "util/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *prog_name;

static void NO_RETURN
out_of_memory(void)
{
    fprintf(stderr, "%s: virtual memory exhausted\n", program_name());
    abort();
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xzalloc(size_t size)
{
    return xcalloc(1, size);
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xrealloc(void *old, size_t size)
{
    void *p = realloc(old, size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xmemdup(const void *p, size_t size)
{
    void *copy = xmalloc(size);
    memcpy(copy, p, size);
    return copy;
}

char *
xstrdup(const char *s)
{
    return xmemdup(s, strlen(s) + 1);
}

char *
xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *
xvasprintf(const char *fmt, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int needed = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *s = xmalloc(needed + 1);
    vsnprintf(s, needed + 1, fmt, args);
    return s;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *s = xvasprintf(fmt, args);
    va_end(args);
    return s;
}

void
set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    const char *base = slash ? slash + 1 : argv0;
    /* libtool-style wrappers prefix "lt-". */
    if (str_starts_with(base, "lt-")) {
        base += 3;
    }
    free(prog_name);
    prog_name = xstrdup(base);
}

const char *
program_name(void)
{
    return prog_name ? prog_name : "ovs-nfv";
}

void
nfv_fatal(int err, const char *fmt, ...)
{
    va_list args;
    fprintf(stderr, "%s: ", program_name());
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    if (err) {
        fprintf(stderr, " (%s)", nfv_strerror(err));
    }
    putc('\n', stderr);
    exit(EXIT_FAILURE);
}

bool
str_to_ullong(const char *s, int base, unsigned long long *out)
{
    char *end;
    if (!s || !*s || *s == '-') {
        return false;
    }
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

bool
str_to_int(const char *s, int base, int *out)
{
    char *end;
    if (!s || !*s) {
        return false;
    }
    errno = 0;
    long v = strtol(s, &end, base);
    if (errno || *end || v < INT_MIN || v > INT_MAX) {
        return false;
    }
    *out = v;
    return true;
}

bool
str_to_uint(const char *s, int base, unsigned int *out)
{
    unsigned long long v;
    if (!str_to_ullong(s, base, &v) || v > UINT_MAX) {
        return false;
    }
    *out = v;
    return true;
}

bool
str_to_bool(const char *s, bool *out)
{
    if (!strcmp(s, "true")) {
        *out = true;
    } else if (!strcmp(s, "false")) {
        *out = false;
    } else {
        return false;
    }
    return true;
}

bool
str_starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

bool
str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

const char *
nfv_strerror(int err)
{
    static __thread char buf[128];
    /* GNU strerror_r returns a pointer that may or may not be buf. */
    return strerror_r(err, buf, sizeof buf);
}
