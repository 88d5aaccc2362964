#include <config.h>
#include "ovsdb/ovsdb-data.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/dstr.h"
#include "util/hash.h"
#include "util/smap.h"
#include "util/util.h"

static int
fail(char **errp, const char *fmt, ...) PRINTF_FMT(2, 3);

static int
fail(char **errp, const char *fmt, ...)
{
    if (errp) {
        va_list args;
        va_start(args, fmt);
        *errp = xvasprintf(fmt, args);
        va_end(args);
    }
    return EINVAL;
}

/* Short JSON text for error messages. */
static char *
json_excerpt(const json_t *json)
{
    char *s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) {
        return xstrdup("?");
    }
    if (strlen(s) > 80) {
        strcpy(s + 77, "...");
    }
    return s;
}

/* uuid */

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool
uuid_from_string(struct uuid *uuid, const char *s)
{
    /* Digit groups: 8-4-4-4-12. */
    static const int dash_at[] = { 8, 13, 18, 23 };
    uint8_t bytes[16];
    int nb = 0, hi = -1;

    if (!s || strlen(s) != UUID_LEN) {
        return false;
    }
    for (int i = 0, d = 0; i < UUID_LEN; i++) {
        if (d < 4 && i == dash_at[d]) {
            if (s[i] != '-') {
                return false;
            }
            d++;
            continue;
        }
        int v = hexval(s[i]);
        if (v < 0) {
            return false;
        }
        if (hi < 0) {
            hi = v;
        } else {
            bytes[nb++] = hi << 4 | v;
            hi = -1;
        }
    }
    for (int i = 0; i < 4; i++) {
        uuid->parts[i] = (uint32_t) bytes[i * 4] << 24
                         | (uint32_t) bytes[i * 4 + 1] << 16
                         | (uint32_t) bytes[i * 4 + 2] << 8
                         | bytes[i * 4 + 3];
    }
    return true;
}

char *
uuid_to_string(const struct uuid *uuid, char buf[UUID_LEN + 1])
{
    snprintf(buf, UUID_LEN + 1, "%08x-%04x-%04x-%04x-%04x%08x",
             uuid->parts[0], uuid->parts[1] >> 16, uuid->parts[1] & 0xffff,
             uuid->parts[2] >> 16, uuid->parts[2] & 0xffff, uuid->parts[3]);
    return buf;
}

void
uuid_generate(struct uuid *uuid)
{
    uint8_t bytes[16];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n <= 0) {
            /* No entropy source: fall back on something unique enough for
             * placeholders. */
            for (; got < sizeof bytes; got++) {
                bytes[got] = (uint8_t) random();
            }
            break;
        }
        got += n;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;       /* Version 4. */
    bytes[8] = (bytes[8] & 0x3f) | 0x80;       /* RFC 4122 variant. */
    for (int i = 0; i < 4; i++) {
        uuid->parts[i] = (uint32_t) bytes[i * 4] << 24
                         | (uint32_t) bytes[i * 4 + 1] << 16
                         | (uint32_t) bytes[i * 4 + 2] << 8
                         | bytes[i * 4 + 3];
    }
}

bool
uuid_equals(const struct uuid *a, const struct uuid *b)
{
    return !memcmp(a, b, sizeof *a);
}

int
uuid_compare(const struct uuid *a, const struct uuid *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}

bool
uuid_is_zero(const struct uuid *uuid)
{
    return !(uuid->parts[0] | uuid->parts[1] | uuid->parts[2]
             | uuid->parts[3]);
}

uint32_t
uuid_hash(const struct uuid *uuid)
{
    return hash_bytes(uuid, sizeof *uuid, 0);
}

/* Types. */

static const char *const atomic_type_names[] = {
    "void", "integer", "real", "boolean", "string", "uuid",
};

const char *
ovsdb_atomic_type_to_string(enum ovsdb_atomic_type type)
{
    return type < ARRAY_SIZE(atomic_type_names) ? atomic_type_names[type]
                                                : "<invalid>";
}

bool
ovsdb_atomic_type_from_string(const char *name, enum ovsdb_atomic_type *type)
{
    for (size_t i = 1; i < ARRAY_SIZE(atomic_type_names); i++) {
        if (!strcmp(name, atomic_type_names[i])) {
            *type = i;
            return true;
        }
    }
    return false;
}

static int
base_type_from_json(struct ovsdb_base_type *base, const json_t *json,
                    char **errp)
{
    memset(base, 0, sizeof *base);
    if (json_is_string(json)) {
        if (!ovsdb_atomic_type_from_string(json_string_value(json),
                                           &base->type)) {
            return fail(errp, "unknown atomic type \"%s\"",
                        json_string_value(json));
        }
        return 0;
    }
    if (!json_is_object(json)) {
        return fail(errp, "base type must be a string or an object");
    }
    const json_t *type = json_object_get(json, "type");
    if (!json_is_string(type)
        || !ovsdb_atomic_type_from_string(json_string_value(type),
                                          &base->type)) {
        return fail(errp, "base type lacks a valid \"type\"");
    }
    const json_t *ref = json_object_get(json, "refTable");
    if (base->type == OVSDB_TYPE_UUID && json_is_string(ref)) {
        base->ref_table = xstrdup(json_string_value(ref));
        const json_t *ref_type = json_object_get(json, "refType");
        base->ref_strong = !json_is_string(ref_type)
                           || strcmp(json_string_value(ref_type), "weak");
    }
    return 0;
}

static void
base_type_destroy(struct ovsdb_base_type *base)
{
    free(base->ref_table);
    base->ref_table = NULL;
}

int
ovsdb_type_from_json(struct ovsdb_type *type, const json_t *json, char **errp)
{
    memset(type, 0, sizeof *type);
    type->n_min = type->n_max = 1;
    if (json_is_string(json)) {
        return base_type_from_json(&type->key, json, errp);
    }
    if (!json_is_object(json)) {
        return fail(errp, "column type must be a string or an object");
    }
    int error = base_type_from_json(&type->key, json_object_get(json, "key"),
                                    errp);
    if (error) {
        return error;
    }
    const json_t *value = json_object_get(json, "value");
    if (value) {
        error = base_type_from_json(&type->value, value, errp);
        if (error) {
            base_type_destroy(&type->key);
            return error;
        }
    }
    const json_t *min = json_object_get(json, "min");
    const json_t *max = json_object_get(json, "max");
    if (min) {
        if (!json_is_integer(min) || json_integer_value(min) < 0
            || json_integer_value(min) > 1) {
            ovsdb_type_destroy(type);
            return fail(errp, "\"min\" must be 0 or 1");
        }
        type->n_min = json_integer_value(min);
    }
    if (max) {
        if (json_is_string(max) && !strcmp(json_string_value(max),
                                           "unlimited")) {
            type->n_max = OVSDB_N_MAX_UNLIMITED;
        } else if (json_is_integer(max) && json_integer_value(max) >= 1
                   && json_integer_value(max) < OVSDB_N_MAX_UNLIMITED) {
            type->n_max = json_integer_value(max);
        } else {
            ovsdb_type_destroy(type);
            return fail(errp, "\"max\" must be a positive integer or "
                        "\"unlimited\"");
        }
    }
    if (type->n_min > type->n_max) {
        ovsdb_type_destroy(type);
        return fail(errp, "\"min\" exceeds \"max\"");
    }
    return 0;
}

void
ovsdb_type_destroy(struct ovsdb_type *type)
{
    base_type_destroy(&type->key);
    base_type_destroy(&type->value);
}

void
ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src)
{
    *dst = *src;
    dst->key.ref_table = src->key.ref_table ? xstrdup(src->key.ref_table)
                                            : NULL;
    dst->value.ref_table = src->value.ref_table
                           ? xstrdup(src->value.ref_table) : NULL;
}

bool
ovsdb_type_is_map(const struct ovsdb_type *type)
{
    return type->value.type != OVSDB_TYPE_VOID;
}

bool
ovsdb_type_is_scalar(const struct ovsdb_type *type)
{
    return !ovsdb_type_is_map(type) && type->n_min == 1 && type->n_max == 1;
}

bool
ovsdb_type_is_optional(const struct ovsdb_type *type)
{
    return !ovsdb_type_is_map(type) && type->n_min == 0 && type->n_max == 1;
}

static struct ovsdb_type
make_type(enum ovsdb_atomic_type key, enum ovsdb_atomic_type value,
          uint32_t n_min, uint32_t n_max)
{
    struct ovsdb_type type = {
        .key = { .type = key },
        .value = { .type = value },
        .n_min = n_min,
        .n_max = n_max,
    };
    return type;
}

struct ovsdb_type
ovsdb_type_scalar(enum ovsdb_atomic_type key)
{
    return make_type(key, OVSDB_TYPE_VOID, 1, 1);
}

struct ovsdb_type
ovsdb_type_optional(enum ovsdb_atomic_type key)
{
    return make_type(key, OVSDB_TYPE_VOID, 0, 1);
}

struct ovsdb_type
ovsdb_type_set(enum ovsdb_atomic_type key)
{
    return make_type(key, OVSDB_TYPE_VOID, 0, OVSDB_N_MAX_UNLIMITED);
}

struct ovsdb_type
ovsdb_type_map(enum ovsdb_atomic_type key, enum ovsdb_atomic_type value)
{
    return make_type(key, value, 0, OVSDB_N_MAX_UNLIMITED);
}

/* Atoms. */

int
ovsdb_atom_from_json(union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                     const json_t *json, ovsdb_named_uuid_cb *named,
                     void *aux, char **errp)
{
    memset(atom, 0, sizeof *atom);
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        if (json_is_integer(json)) {
            atom->integer = json_integer_value(json);
            return 0;
        }
        break;
    case OVSDB_TYPE_REAL:
        if (json_is_number(json)) {
            atom->real = json_number_value(json);
            return 0;
        }
        break;
    case OVSDB_TYPE_BOOLEAN:
        if (json_is_boolean(json)) {
            atom->boolean = json_is_true(json);
            return 0;
        }
        break;
    case OVSDB_TYPE_STRING:
        if (json_is_string(json)) {
            atom->string = xstrdup(json_string_value(json));
            return 0;
        }
        break;
    case OVSDB_TYPE_UUID:
        if (json_is_array(json) && json_array_size(json) == 2
            && json_is_string(json_array_get(json, 0))
            && json_is_string(json_array_get(json, 1))) {
            const char *tag = json_string_value(json_array_get(json, 0));
            const char *s = json_string_value(json_array_get(json, 1));
            if (!strcmp(tag, "uuid")) {
                if (uuid_from_string(&atom->uuid, s)) {
                    return 0;
                }
                return fail(errp, "\"%s\" is not a valid UUID", s);
            } else if (!strcmp(tag, "named-uuid")) {
                if (named && named(s, &atom->uuid, aux)) {
                    return 0;
                }
                return fail(errp, "named-uuid \"%s\" not allowed here or "
                            "unknown", s);
            }
        }
        break;
    case OVSDB_TYPE_VOID:
    default:
        return fail(errp, "no value expected");
    }
    char *text = json_excerpt(json);
    fail(errp, "expected %s, got %s", ovsdb_atomic_type_to_string(type),
         text);
    free(text);
    return EINVAL;
}

static json_t *
uuid_json(const char *tag, const char *s)
{
    return json_pack("[ss]", tag, s);
}

json_t *
ovsdb_atom_to_json(const union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    char buf[UUID_LEN + 1];
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return json_integer(atom->integer);
    case OVSDB_TYPE_REAL:
        return json_real(atom->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_boolean(atom->boolean);
    case OVSDB_TYPE_STRING:
        return json_string(atom->string);
    case OVSDB_TYPE_UUID:
        return uuid_json("uuid", uuid_to_string(&atom->uuid, buf));
    case OVSDB_TYPE_VOID:
    default:
        return json_null();
    }
}

void
ovsdb_atom_destroy(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        free(atom->string);
        atom->string = NULL;
    }
}

void
ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                 enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        dst->string = xstrdup(src->string);
    } else {
        *dst = *src;
    }
}

int
ovsdb_atom_compare(const union ovsdb_atom *a, const union ovsdb_atom *b,
                   enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case OVSDB_TYPE_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case OVSDB_TYPE_STRING:
        return strcmp(a->string, b->string);
    case OVSDB_TYPE_UUID:
        return uuid_compare(&a->uuid, &b->uuid);
    case OVSDB_TYPE_VOID:
    default:
        return 0;
    }
}

static bool
string_needs_quotes(const char *s)
{
    if (!*s || !strcmp(s, "true") || !strcmp(s, "false")) {
        return true;
    }
    if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '+') {
        return true;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'
              || *s == '.' || *s == '/' || *s == ':')) {
            return true;
        }
    }
    return false;
}

void
ovsdb_atom_to_text(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                   struct dstr *out)
{
    char buf[UUID_LEN + 1];
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        dstr_printf(out, "%" PRId64, atom->integer);
        break;
    case OVSDB_TYPE_REAL:
        dstr_printf(out, "%.17g", atom->real);
        break;
    case OVSDB_TYPE_BOOLEAN:
        dstr_put(out, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        if (string_needs_quotes(atom->string)) {
            json_t *j = json_string(atom->string);
            char *s = json_dumps(j, JSON_ENCODE_ANY);
            dstr_put(out, s ? s : "\"\"");
            free(s);
            json_decref(j);
        } else {
            dstr_put(out, atom->string);
        }
        break;
    case OVSDB_TYPE_UUID:
        dstr_put(out, uuid_to_string(&atom->uuid, buf));
        break;
    case OVSDB_TYPE_VOID:
    default:
        break;
    }
}

/* Datums. */

void
ovsdb_datum_init_empty(struct ovsdb_datum *datum)
{
    datum->n = 0;
    datum->keys = NULL;
    datum->values = NULL;
}

static void
default_atom(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    memset(atom, 0, sizeof *atom);
    if (type == OVSDB_TYPE_STRING) {
        atom->string = xstrdup("");
    }
}

void
ovsdb_datum_init_default(struct ovsdb_datum *datum,
                         const struct ovsdb_type *type)
{
    ovsdb_datum_init_empty(datum);
    if (type->n_min) {
        datum->n = 1;
        datum->keys = xmalloc(sizeof *datum->keys);
        default_atom(&datum->keys[0], type->key.type);
        if (ovsdb_type_is_map(type)) {
            datum->values = xmalloc(sizeof *datum->values);
            default_atom(&datum->values[0], type->value.type);
        }
    }
}

void
ovsdb_datum_destroy(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    for (size_t i = 0; i < datum->n; i++) {
        ovsdb_atom_destroy(&datum->keys[i], type->key.type);
        if (datum->values) {
            ovsdb_atom_destroy(&datum->values[i], type->value.type);
        }
    }
    free(datum->keys);
    free(datum->values);
    ovsdb_datum_init_empty(datum);
}

void
ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                  const struct ovsdb_type *type)
{
    dst->n = src->n;
    dst->keys = src->n ? xmalloc(src->n * sizeof *dst->keys) : NULL;
    dst->values = src->n && src->values
                  ? xmalloc(src->n * sizeof *dst->values) : NULL;
    for (size_t i = 0; i < src->n; i++) {
        ovsdb_atom_clone(&dst->keys[i], &src->keys[i], type->key.type);
        if (dst->values) {
            ovsdb_atom_clone(&dst->values[i], &src->values[i],
                             type->value.type);
        }
    }
}

void
ovsdb_datum_swap(struct ovsdb_datum *a, struct ovsdb_datum *b)
{
    struct ovsdb_datum tmp = *a;
    *a = *b;
    *b = tmp;
}

bool
ovsdb_datum_equals(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                   const struct ovsdb_type *type)
{
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (ovsdb_atom_compare(&a->keys[i], &b->keys[i], type->key.type)) {
            return false;
        }
        if (ovsdb_type_is_map(type) && a->values && b->values
            && ovsdb_atom_compare(&a->values[i], &b->values[i],
                                  type->value.type)) {
            return false;
        }
    }
    return true;
}

void
ovsdb_datum_add_unsorted(struct ovsdb_datum *datum,
                         const union ovsdb_atom *key,
                         const union ovsdb_atom *value)
{
    size_t n = datum->n + 1;
    datum->keys = xrealloc(datum->keys, n * sizeof *datum->keys);
    datum->keys[n - 1] = *key;
    if (value) {
        datum->values = xrealloc(datum->values, n * sizeof *datum->values);
        datum->values[n - 1] = *value;
    }
    datum->n = n;
}

/* qsort_r is a GNU extension; a stable sort of indexes keeps the last
 * duplicate detectable. */
static void
sort_indexes(size_t *idx, size_t n, const struct ovsdb_datum *datum,
             enum ovsdb_atomic_type key_type)
{
    /* Insertion sort for small n, merge sort otherwise: both stable. */
    if (n < 16) {
        for (size_t i = 1; i < n; i++) {
            size_t v = idx[i], j = i;
            while (j > 0 && ovsdb_atom_compare(&datum->keys[idx[j - 1]],
                                               &datum->keys[v],
                                               key_type) > 0) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
        return;
    }
    size_t half = n / 2;
    sort_indexes(idx, half, datum, key_type);
    sort_indexes(idx + half, n - half, datum, key_type);
    size_t *tmp = xmalloc(n * sizeof *tmp);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) {
        if (ovsdb_atom_compare(&datum->keys[idx[j]], &datum->keys[idx[i]],
                               key_type) < 0) {
            tmp[k++] = idx[j++];
        } else {
            tmp[k++] = idx[i++];
        }
    }
    while (i < half) {
        tmp[k++] = idx[i++];
    }
    while (j < n) {
        tmp[k++] = idx[j++];
    }
    memcpy(idx, tmp, n * sizeof *idx);
    free(tmp);
}

/* Sorts; returns the number of duplicate keys removed (keeping the last of
 * each run). */
static size_t
sort_unique(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    size_t n = datum->n;
    if (n < 2) {
        return 0;
    }
    size_t *idx = xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
    }
    sort_indexes(idx, n, datum, type->key.type);

    union ovsdb_atom *keys = xmalloc(n * sizeof *keys);
    union ovsdb_atom *values = datum->values ? xmalloc(n * sizeof *values)
                                             : NULL;
    size_t out = 0, dups = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = idx[i];
        if (out && !ovsdb_atom_compare(&keys[out - 1], &datum->keys[s],
                                       type->key.type)) {
            /* Duplicate: the later one wins. */
            ovsdb_atom_destroy(&keys[out - 1], type->key.type);
            if (values) {
                ovsdb_atom_destroy(&values[out - 1], type->value.type);
            }
            out--;
            dups++;
        }
        keys[out] = datum->keys[s];
        if (values) {
            values[out] = datum->values[s];
        }
        out++;
    }
    free(idx);
    free(datum->keys);
    free(datum->values);
    datum->keys = keys;
    datum->values = values;
    datum->n = out;
    return dups;
}

void
ovsdb_datum_sort_unique(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type)
{
    sort_unique(datum, type);
}

ptrdiff_t
ovsdb_datum_find_key(const struct ovsdb_datum *datum,
                     const union ovsdb_atom *key,
                     enum ovsdb_atomic_type type)
{
    size_t lo = 0, hi = datum->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = ovsdb_atom_compare(&datum->keys[mid], key, type);
        if (!cmp) {
            return mid;
        } else if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

/* Parses the elements of a set or map without bounds checks. */
static int
parse_elements(struct ovsdb_datum *datum, const struct ovsdb_type *type,
               const json_t *json, ovsdb_named_uuid_cb *named, void *aux,
               char **errp)
{
    bool is_map = ovsdb_type_is_map(type);
    const json_t *elems;
    int error;

    ovsdb_datum_init_empty(datum);
    if (is_map) {
        if (!json_is_array(json) || json_array_size(json) != 2
            || !json_is_string(json_array_get(json, 0))
            || strcmp(json_string_value(json_array_get(json, 0)), "map")
            || !json_is_array(json_array_get(json, 1))) {
            char *text = json_excerpt(json);
            fail(errp, "expected [\"map\", [...]], got %s", text);
            free(text);
            return EINVAL;
        }
        elems = json_array_get(json, 1);
    } else if (json_is_array(json) && json_array_size(json) == 2
               && json_is_string(json_array_get(json, 0))
               && !strcmp(json_string_value(json_array_get(json, 0)),
                          "set")) {
        elems = json_array_get(json, 1);
        if (!json_is_array(elems)) {
            return fail(errp, "\"set\" must be followed by an array");
        }
    } else {
        /* A single atom stands for a one-element set. */
        union ovsdb_atom atom;
        error = ovsdb_atom_from_json(&atom, type->key.type, json, named, aux,
                                     errp);
        if (error) {
            return error;
        }
        ovsdb_datum_add_unsorted(datum, &atom, NULL);
        return 0;
    }

    size_t n = json_array_size(elems);
    if (n) {
        datum->keys = xmalloc(n * sizeof *datum->keys);
        datum->values = is_map ? xmalloc(n * sizeof *datum->values) : NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *elem = json_array_get(elems, i);
        const json_t *kj = elem, *vj = NULL;
        if (is_map) {
            if (!json_is_array(elem) || json_array_size(elem) != 2) {
                error = fail(errp, "map element must be [key, value]");
                goto error;
            }
            kj = json_array_get(elem, 0);
            vj = json_array_get(elem, 1);
        }
        error = ovsdb_atom_from_json(&datum->keys[i], type->key.type, kj,
                                     named, aux, errp);
        if (error) {
            goto error;
        }
        if (is_map) {
            error = ovsdb_atom_from_json(&datum->values[i], type->value.type,
                                         vj, named, aux, errp);
            if (error) {
                ovsdb_atom_destroy(&datum->keys[i], type->key.type);
                goto error;
            }
        }
        datum->n = i + 1;
    }
    return 0;

error:
    ovsdb_datum_destroy(datum, type);
    return error;
}

int
ovsdb_datum_from_json(struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, const json_t *json,
                      ovsdb_named_uuid_cb *named, void *aux, char **errp)
{
    if (errp) {
        *errp = NULL;
    }
    int error = parse_elements(datum, type, json, named, aux, errp);
    if (error) {
        return error;
    }
    size_t n = datum->n;
    if (sort_unique(datum, type)) {
        ovsdb_datum_destroy(datum, type);
        return fail(errp, "%s has duplicate %s",
                    ovsdb_type_is_map(type) ? "map" : "set",
                    ovsdb_type_is_map(type) ? "keys" : "values");
    }
    if (n < type->n_min || n > type->n_max) {
        ovsdb_datum_destroy(datum, type);
        if (type->n_max == OVSDB_N_MAX_UNLIMITED) {
            return fail(errp, "%zu values where at least %u are required",
                        n, type->n_min);
        }
        return fail(errp, "%zu values where %u to %u are allowed", n,
                    type->n_min, type->n_max);
    }
    return 0;
}

json_t *
ovsdb_datum_to_json_renamed(const struct ovsdb_datum *datum,
                            const struct ovsdb_type *type,
                            ovsdb_uuid_rename_cb *rename, void *aux)
{
    json_t *elems = json_array();

#define ATOM_JSON(ATOM, T)                                                  \
    ((T) == OVSDB_TYPE_UUID && rename && rename(&(ATOM)->uuid, aux)         \
     ? uuid_json("named-uuid", rename(&(ATOM)->uuid, aux))                  \
     : ovsdb_atom_to_json(ATOM, T))

    if (ovsdb_type_is_map(type)) {
        for (size_t i = 0; i < datum->n; i++) {
            json_t *pair = json_array();
            json_array_append_new(pair, ATOM_JSON(&datum->keys[i],
                                                  type->key.type));
            json_array_append_new(pair, ATOM_JSON(&datum->values[i],
                                                  type->value.type));
            json_array_append_new(elems, pair);
        }
        return json_pack("[so]", "map", elems);
    }
    if (datum->n == 1) {
        json_decref(elems);
        return ATOM_JSON(&datum->keys[0], type->key.type);
    }
    for (size_t i = 0; i < datum->n; i++) {
        json_array_append_new(elems, ATOM_JSON(&datum->keys[i],
                                               type->key.type));
    }
#undef ATOM_JSON
    return json_pack("[so]", "set", elems);
}

json_t *
ovsdb_datum_to_json(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type)
{
    return ovsdb_datum_to_json_renamed(datum, type, NULL, NULL);
}

void
ovsdb_datum_to_text(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type, struct dstr *out)
{
    bool is_map = ovsdb_type_is_map(type);
    bool bare = !is_map && type->n_max == 1 && datum->n == 1;
    if (!bare) {
        dstr_put_char(out, is_map ? '{' : '[');
    }
    for (size_t i = 0; i < datum->n; i++) {
        if (i) {
            dstr_put(out, ", ");
        }
        ovsdb_atom_to_text(&datum->keys[i], type->key.type, out);
        if (is_map) {
            dstr_put_char(out, '=');
            ovsdb_atom_to_text(&datum->values[i], type->value.type, out);
        }
    }
    if (!bare) {
        dstr_put_char(out, is_map ? '}' : ']');
    }
}

int
ovsdb_datum_apply_diff(struct ovsdb_datum *datum,
                       const struct ovsdb_type *type, const json_t *diff,
                       char **errp)
{
    if (errp) {
        *errp = NULL;
    }
    if (!ovsdb_type_is_map(type) && type->n_max == 1) {
        struct ovsdb_datum new;
        int error = ovsdb_datum_from_json(&new, type, diff, NULL, NULL, errp);
        if (!error) {
            ovsdb_datum_swap(datum, &new);
            ovsdb_datum_destroy(&new, type);
        }
        return error;
    }

    /* The diff is a set or map of the same base types without bounds. */
    struct ovsdb_type relaxed = *type;
    relaxed.n_min = 0;
    relaxed.n_max = OVSDB_N_MAX_UNLIMITED;
    struct ovsdb_datum d;
    int error = ovsdb_datum_from_json(&d, &relaxed, diff, NULL, NULL, errp);
    if (error) {
        return error;
    }

    bool is_map = ovsdb_type_is_map(type);
    struct ovsdb_datum result;
    ovsdb_datum_clone(&result, datum, type);
    /* 'result' stays sorted as we go only if we rebuild it; simpler: mark
     * removals, append additions, then sort. */
    bool *removed = result.n ? xcalloc(result.n, sizeof *removed) : NULL;
    size_t n_orig = result.n;
    for (size_t i = 0; i < d.n; i++) {
        ptrdiff_t pos = ovsdb_datum_find_key(datum, &d.keys[i],
                                             type->key.type);
        if (pos < 0) {
            union ovsdb_atom k, v;
            ovsdb_atom_clone(&k, &d.keys[i], type->key.type);
            if (is_map) {
                ovsdb_atom_clone(&v, &d.values[i], type->value.type);
            }
            ovsdb_datum_add_unsorted(&result, &k, is_map ? &v : NULL);
        } else if (!is_map || !ovsdb_atom_compare(&datum->values[pos],
                                                  &d.values[i],
                                                  type->value.type)) {
            removed[pos] = true;
        } else {
            ovsdb_atom_destroy(&result.values[pos], type->value.type);
            ovsdb_atom_clone(&result.values[pos], &d.values[i],
                             type->value.type);
        }
    }
    /* Compact out the removed entries. */
    size_t out = 0;
    for (size_t i = 0; i < result.n; i++) {
        if (i < n_orig && removed[i]) {
            ovsdb_atom_destroy(&result.keys[i], type->key.type);
            if (is_map) {
                ovsdb_atom_destroy(&result.values[i], type->value.type);
            }
            continue;
        }
        result.keys[out] = result.keys[i];
        if (is_map) {
            result.values[out] = result.values[i];
        }
        out++;
    }
    result.n = out;
    free(removed);
    sort_unique(&result, type);
    ovsdb_datum_destroy(&d, &relaxed);

    ovsdb_datum_swap(datum, &result);
    ovsdb_datum_destroy(&result, type);
    return 0;
}

/* Convenience constructors. */

static void
single(struct ovsdb_datum *datum, const union ovsdb_atom *atom)
{
    datum->n = 1;
    datum->keys = xmemdup(atom, sizeof *atom);
    datum->values = NULL;
}

void
ovsdb_datum_from_int(struct ovsdb_datum *datum, int64_t v)
{
    union ovsdb_atom atom = { .integer = v };
    single(datum, &atom);
}

void
ovsdb_datum_from_bool(struct ovsdb_datum *datum, bool v)
{
    union ovsdb_atom atom = { .boolean = v };
    single(datum, &atom);
}

void
ovsdb_datum_from_string(struct ovsdb_datum *datum, const char *s)
{
    union ovsdb_atom atom = { .string = xstrdup(s) };
    single(datum, &atom);
}

void
ovsdb_datum_from_uuid(struct ovsdb_datum *datum, const struct uuid *uuid)
{
    union ovsdb_atom atom = { .uuid = *uuid };
    single(datum, &atom);
}

void
ovsdb_datum_from_smap(struct ovsdb_datum *datum, const struct smap *smap)
{
    struct ovsdb_type type = ovsdb_type_map(OVSDB_TYPE_STRING,
                                            OVSDB_TYPE_STRING);
    const struct smap_node *node;
    size_t n = smap_count(smap);
    ovsdb_datum_init_empty(datum);
    if (n) {
        datum->keys = xmalloc(n * sizeof *datum->keys);
        datum->values = xmalloc(n * sizeof *datum->values);
    }
    SMAP_FOR_EACH (node, smap) {
        datum->keys[datum->n].string = xstrdup(node->key);
        datum->values[datum->n].string = xstrdup(node->value);
        datum->n++;
    }
    sort_unique(datum, &type);
}

void
ovsdb_datum_from_strings(struct ovsdb_datum *datum,
                         const char *const *strings, size_t n)
{
    struct ovsdb_type type = ovsdb_type_set(OVSDB_TYPE_STRING);
    ovsdb_datum_init_empty(datum);
    if (n) {
        datum->keys = xmalloc(n * sizeof *datum->keys);
    }
    for (size_t i = 0; i < n; i++) {
        datum->keys[i].string = xstrdup(strings[i]);
    }
    datum->n = n;
    sort_unique(datum, &type);
}

void
ovsdb_datum_to_smap(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type, struct smap *smap)
{
    smap_init(smap);
    if (!ovsdb_type_is_map(type)) {
        return;
    }
    struct dstr k = DSTR_INITIALIZER, v = DSTR_INITIALIZER;
    dstr_init(&k);
    dstr_init(&v);
    for (size_t i = 0; i < datum->n; i++) {
        dstr_clear(&k);
        dstr_clear(&v);
        if (type->key.type == OVSDB_TYPE_STRING) {
            dstr_put(&k, datum->keys[i].string);
        } else {
            ovsdb_atom_to_text(&datum->keys[i], type->key.type, &k);
        }
        if (type->value.type == OVSDB_TYPE_STRING) {
            dstr_put(&v, datum->values[i].string);
        } else {
            ovsdb_atom_to_text(&datum->values[i], type->value.type, &v);
        }
        smap_replace(smap, dstr_cstr(&k), dstr_cstr(&v));
    }
    dstr_destroy(&k);
    dstr_destroy(&v);
}
