/* ofp-test-util.h: helpers shared by the OpenFlow codec unit tests. */
#ifndef OFP_TEST_UTIL_H
#define OFP_TEST_UTIL_H 1

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef OFP_TEST_DATA
#define OFP_TEST_DATA "tests/unit/ofp-data"
#endif

/* Converts hex 'hex' to bytes in a malloc'd buffer; sets '*len'. */
static inline uint8_t *
ofp_test_unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    uint8_t *p = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        sscanf(hex + 2 * i, "%2x", &b);
        p[i] = b;
    }
    *len = n;
    return p;
}

struct ofp_vector {
    char name[64];
    uint8_t *data;
    size_t len;
};

/* Loads "NAME HEX" lines of 'file' (in OFP_TEST_DATA); returns the count. */
static inline size_t
ofp_test_load(const char *file, struct ofp_vector **vectorsp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", OFP_TEST_DATA, file);
    FILE *f = fopen(path, "r");
    struct ofp_vector *v = NULL;
    size_t n = 0;
    static char line[200000];
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        *vectorsp = NULL;
        return 0;
    }
    while (fgets(line, sizeof line, f)) {
        char *sp = strchr(line, ' ');
        if (!sp) {
            continue;
        }
        *sp = '\0';
        line[strcspn(line, "\0")] = 0;
        char *hex = sp + 1;
        hex[strcspn(hex, "\r\n")] = '\0';
        v = realloc(v, (n + 1) * sizeof *v);
        snprintf(v[n].name, sizeof v[n].name, "%s", line);
        v[n].data = ofp_test_unhex(hex, &v[n].len);
        n++;
    }
    fclose(f);
    *vectorsp = v;
    return n;
}

static inline const struct ofp_vector *
ofp_test_find(const struct ofp_vector *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(v[i].name, name)) {
            return &v[i];
        }
    }
    fprintf(stderr, "no vector %s\n", name);
    return NULL;
}

static inline void
ofp_test_free(struct ofp_vector *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].data);
    }
    free(v);
}

static inline void
ofp_test_hexdump(const char *what, const uint8_t *p, size_t n)
{
    fprintf(stderr, "%s:", what);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "%02x", p[i]);
    }
    fprintf(stderr, "\n");
}

#endif
