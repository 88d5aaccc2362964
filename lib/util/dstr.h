/* dstr.h: a growable, always NUL-terminated string.
 *
 * Not thread-safe: a dstr belongs to one thread at a time. */
#ifndef OVSNFV_DSTR_H
#define OVSNFV_DSTR_H 1

#include <stdarg.h>
#include <stddef.h>
#include "util/util.h"

struct dstr {
    char *s;            /* Never NULL after dstr_init(). */
    size_t len;
    size_t cap;
};

#define DSTR_INITIALIZER { NULL, 0, 0 }

void dstr_init(struct dstr *);
void dstr_clear(struct dstr *);
void dstr_destroy(struct dstr *);
/* Returns the string and resets 'ds'; the caller frees the result. */
char *dstr_steal(struct dstr *);
const char *dstr_cstr(struct dstr *);
void dstr_put(struct dstr *, const char *);
void dstr_put_len(struct dstr *, const char *, size_t);
void dstr_put_char(struct dstr *, char);
void dstr_printf(struct dstr *, const char *fmt, ...) PRINTF_FMT(2, 3);
void dstr_vprintf(struct dstr *, const char *fmt, va_list) PRINTF_FMT(2, 0);
void dstr_truncate(struct dstr *, size_t len);
/* Removes trailing whitespace. */
void dstr_chomp(struct dstr *);

#endif
