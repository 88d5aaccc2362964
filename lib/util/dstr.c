#include <config.h>
#include "util/dstr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
dstr_reserve(struct dstr *ds, size_t extra)
{
    if (ds->len + extra + 1 > ds->cap) {
        size_t cap = MAX(ds->cap * 2, ds->len + extra + 1);
        cap = MAX(cap, 64);
        ds->s = xrealloc(ds->s, cap);
        ds->cap = cap;
    }
}

void
dstr_init(struct dstr *ds)
{
    ds->s = NULL;
    ds->len = ds->cap = 0;
    dstr_reserve(ds, 0);
    ds->s[0] = '\0';
}

void
dstr_clear(struct dstr *ds)
{
    dstr_truncate(ds, 0);
}

void
dstr_destroy(struct dstr *ds)
{
    free(ds->s);
    ds->s = NULL;
    ds->len = ds->cap = 0;
}

char *
dstr_steal(struct dstr *ds)
{
    char *s = ds->s ? ds->s : xstrdup("");
    ds->s = NULL;
    ds->len = ds->cap = 0;
    return s;
}

const char *
dstr_cstr(struct dstr *ds)
{
    if (!ds->s) {
        dstr_init(ds);
    }
    return ds->s;
}

void
dstr_put_len(struct dstr *ds, const char *s, size_t n)
{
    dstr_reserve(ds, n);
    memcpy(ds->s + ds->len, s, n);
    ds->len += n;
    ds->s[ds->len] = '\0';
}

void
dstr_put(struct dstr *ds, const char *s)
{
    dstr_put_len(ds, s, strlen(s));
}

void
dstr_put_char(struct dstr *ds, char c)
{
    dstr_put_len(ds, &c, 1);
}

void
dstr_vprintf(struct dstr *ds, const char *fmt, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int needed = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (needed <= 0) {
        dstr_reserve(ds, 0);
        return;
    }
    dstr_reserve(ds, needed);
    vsnprintf(ds->s + ds->len, needed + 1, fmt, args);
    ds->len += needed;
}

void
dstr_printf(struct dstr *ds, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    dstr_vprintf(ds, fmt, args);
    va_end(args);
}

void
dstr_truncate(struct dstr *ds, size_t len)
{
    if (!ds->s) {
        dstr_init(ds);
    }
    if (len < ds->len) {
        ds->len = len;
        ds->s[len] = '\0';
    }
}

void
dstr_chomp(struct dstr *ds)
{
    while (ds->len && isspace((unsigned char) ds->s[ds->len - 1])) {
        ds->s[--ds->len] = '\0';
    }
}
