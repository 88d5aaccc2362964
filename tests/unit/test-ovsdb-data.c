/* Unit tests for ovsdb/ovsdb-data: uuids, types, the JSON datum codec,
 * update2 diffs, and util/smap. */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ovsdb/ovsdb-data.h"
#include "util/dstr.h"
#include "util/smap.h"

static json_t *
J(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    if (!j) {
        fail_msg("bad test JSON %s: %s", text, err.text);
    }
    return j;
}

/* Parses 'text' as a datum of 'type'; returns the error code. */
static int
parse(struct ovsdb_datum *d, const struct ovsdb_type *type, const char *text,
      char **errp)
{
    json_t *j = J(text);
    int error = ovsdb_datum_from_json(d, type, j, NULL, NULL, errp);
    json_decref(j);
    return error;
}

/* Datum -> JSON text (compact, sorted keys). */
static char *
to_text_json(const struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    json_t *j = ovsdb_datum_to_json(d, type);
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
    return s;
}

static void
assert_round_trip(const struct ovsdb_type *type, const char *in,
                  const char *expected_out)
{
    struct ovsdb_datum d;
    char *err = NULL;
    assert_int_equal(parse(&d, type, in, &err), 0);
    assert_null(err);
    char *out = to_text_json(&d, type);
    assert_string_equal(out, expected_out);
    free(out);
    ovsdb_datum_destroy(&d, type);
}

static void
assert_rejected(const struct ovsdb_type *type, const char *in,
                const char *error_substring)
{
    struct ovsdb_datum d;
    char *err = NULL;
    assert_int_equal(parse(&d, type, in, &err), EINVAL);
    assert_non_null(err);
    if (!strstr(err, error_substring)) {
        fail_msg("error \"%s\" lacks \"%s\"", err, error_substring);
    }
    assert_int_equal(d.n, 0);
    free(err);
}

static void
test_uuid(void **state)
{
    struct uuid u, v;
    char buf[UUID_LEN + 1];
    assert_true(uuid_from_string(&u, "0123abcd-4567-89ef-ABCD-0123456789ab"));
    assert_string_equal(uuid_to_string(&u, buf),
                        "0123abcd-4567-89ef-abcd-0123456789ab");
    assert_false(uuid_from_string(&v, "0123abcd-4567-89ef-abcd-0123456789a"));
    assert_false(uuid_from_string(&v, "0123abcd+4567-89ef-abcd-0123456789ab"));
    assert_false(uuid_from_string(&v, "0123abcg-4567-89ef-abcd-0123456789ab"));
    assert_false(uuid_from_string(&v, NULL));
    uuid_generate(&v);
    assert_false(uuid_equals(&u, &v));
    assert_false(uuid_is_zero(&v));
    uuid_to_string(&v, buf);
    assert_int_equal(buf[14], '4');                 /* Version 4. */
    struct uuid w;
    assert_true(uuid_from_string(&w, buf));
    assert_true(uuid_equals(&v, &w));
    assert_int_equal(uuid_compare(&v, &w), 0);
}

static void
test_type_from_json(void **state)
{
    struct ovsdb_type t;
    char *err = NULL;
    json_t *j = J("{\"key\": {\"type\": \"uuid\", \"refTable\": \"Port\"},"
                  " \"min\": 0, \"max\": \"unlimited\"}");
    assert_int_equal(ovsdb_type_from_json(&t, j, &err), 0);
    assert_int_equal(t.key.type, OVSDB_TYPE_UUID);
    assert_string_equal(t.key.ref_table, "Port");
    assert_true(t.key.ref_strong);
    assert_int_equal(t.n_min, 0);
    assert_int_equal(t.n_max, OVSDB_N_MAX_UNLIMITED);
    assert_false(ovsdb_type_is_map(&t));
    ovsdb_type_destroy(&t);
    json_decref(j);

    j = J("\"integer\"");
    assert_int_equal(ovsdb_type_from_json(&t, j, &err), 0);
    assert_true(ovsdb_type_is_scalar(&t));
    json_decref(j);

    j = J("{\"key\": \"string\", \"value\": \"integer\", \"min\": 0, "
          "\"max\": \"unlimited\"}");
    assert_int_equal(ovsdb_type_from_json(&t, j, &err), 0);
    assert_true(ovsdb_type_is_map(&t));
    assert_int_equal(t.value.type, OVSDB_TYPE_INTEGER);
    json_decref(j);

    const char *bad[] = {
        "\"float\"", "42", "{\"key\": \"string\", \"min\": 2}",
        "{\"key\": \"string\", \"max\": 0}", "{\"value\": \"string\"}",
        "{\"key\": \"string\", \"min\": 1, \"max\": \"lots\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        j = J(bad[i]);
        assert_int_equal(ovsdb_type_from_json(&t, j, &err), EINVAL);
        assert_non_null(err);
        free(err);
        err = NULL;
        json_decref(j);
    }
}

static void
test_atoms(void **state)
{
    struct ovsdb_type i = ovsdb_type_scalar(OVSDB_TYPE_INTEGER);
    struct ovsdb_type r = ovsdb_type_scalar(OVSDB_TYPE_REAL);
    struct ovsdb_type b = ovsdb_type_scalar(OVSDB_TYPE_BOOLEAN);
    struct ovsdb_type s = ovsdb_type_scalar(OVSDB_TYPE_STRING);
    struct ovsdb_type u = ovsdb_type_scalar(OVSDB_TYPE_UUID);

    assert_round_trip(&i, "-9223372036854775807", "-9223372036854775807");
    assert_round_trip(&r, "2.5", "2.5");
    assert_round_trip(&r, "3", "3.0");             /* Integers are reals. */
    assert_round_trip(&b, "true", "true");
    assert_round_trip(&b, "false", "false");
    assert_round_trip(&s, "\"caf\\u00e9 \\\"q\\\"\"", "\"café \\\"q\\\"\"");
    assert_round_trip(&u, "[\"uuid\", \"01234567-89ab-cdef-0123-456789abcdef\"]",
                      "[\"uuid\",\"01234567-89ab-cdef-0123-456789abcdef\"]");

    assert_rejected(&i, "1.5", "expected integer");
    assert_rejected(&i, "\"1\"", "expected integer");
    assert_rejected(&r, "true", "expected real");
    assert_rejected(&b, "0", "expected boolean");
    assert_rejected(&s, "null", "expected string");
    assert_rejected(&u, "\"01234567-89ab-cdef-0123-456789abcdef\"",
                    "expected uuid");
    assert_rejected(&u, "[\"uuid\", \"xyz\"]", "not a valid UUID");
    assert_rejected(&u, "[\"uuid\"]", "expected uuid");
    assert_rejected(&u, "[\"named-uuid\", \"row1\"]", "named-uuid");
}

static bool
resolve_named(const char *name, struct uuid *uuid, void *aux)
{
    if (!strcmp(name, "row1")) {
        *uuid = *(const struct uuid *) aux;
        return true;
    }
    return false;
}

static void
test_named_uuid(void **state)
{
    struct ovsdb_type u = ovsdb_type_set(OVSDB_TYPE_UUID);
    struct uuid target;
    struct ovsdb_datum d;
    char *err = NULL;
    uuid_generate(&target);

    json_t *j = J("[\"named-uuid\", \"row1\"]");
    assert_int_equal(ovsdb_datum_from_json(&d, &u, j, resolve_named, &target,
                                           &err), 0);
    assert_int_equal(d.n, 1);
    assert_true(uuid_equals(&d.keys[0].uuid, &target));
    ovsdb_datum_destroy(&d, &u);
    json_decref(j);

    j = J("[\"named-uuid\", \"row2\"]");
    assert_int_equal(ovsdb_datum_from_json(&d, &u, j, resolve_named, &target,
                                           &err), EINVAL);
    free(err);
    json_decref(j);
}

static void
test_sets(void **state)
{
    struct ovsdb_type set = ovsdb_type_set(OVSDB_TYPE_INTEGER);
    struct ovsdb_type opt = ovsdb_type_optional(OVSDB_TYPE_STRING);
    struct ovsdb_type uset = ovsdb_type_set(OVSDB_TYPE_UUID);

    /* Sorted on input; one element is written as a bare atom. */
    assert_round_trip(&set, "[\"set\", [3, 1, 2]]", "[\"set\",[1,2,3]]");
    assert_round_trip(&set, "[\"set\", [7]]", "7");
    assert_round_trip(&set, "7", "7");             /* One-atom shortcut. */
    assert_round_trip(&set, "[\"set\", []]", "[\"set\",[]]");
    assert_round_trip(&opt, "[\"set\", []]", "[\"set\",[]]");
    assert_round_trip(&opt, "\"x\"", "\"x\"");
    /* A bare uuid atom is an atom, not a set. */
    assert_round_trip(&uset, "[\"uuid\", \"01234567-89ab-cdef-0123-456789abcdef\"]",
                      "[\"uuid\",\"01234567-89ab-cdef-0123-456789abcdef\"]");

    assert_rejected(&set, "[\"set\", [1, 1]]", "duplicate");
    assert_rejected(&set, "[\"set\", 1]", "must be followed by an array");
    assert_rejected(&set, "[\"set\", [1, \"a\"]]", "expected integer");
    assert_rejected(&set, "[1, 2]", "expected integer");
    assert_rejected(&opt, "[\"set\", [\"a\", \"b\"]]", "2 values where 0 to 1");
    struct ovsdb_type one = ovsdb_type_scalar(OVSDB_TYPE_STRING);
    assert_rejected(&one, "[\"set\", []]", "0 values where 1 to 1");
    assert_rejected(&set, "{\"a\": 1}", "expected integer");
}

static void
test_maps(void **state)
{
    struct ovsdb_type m = ovsdb_type_map(OVSDB_TYPE_STRING, OVSDB_TYPE_STRING);
    struct ovsdb_type mi = ovsdb_type_map(OVSDB_TYPE_STRING,
                                          OVSDB_TYPE_INTEGER);

    assert_round_trip(&m, "[\"map\", [[\"b\", \"2\"], [\"a\", \"1\"]]]",
                      "[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]");
    assert_round_trip(&m, "[\"map\", []]", "[\"map\",[]]");
    /* One pair is still a map on output. */
    assert_round_trip(&mi, "[\"map\", [[\"rx\", 5]]]", "[\"map\",[[\"rx\",5]]]");

    assert_rejected(&m, "[\"map\", [[\"a\", \"1\"], [\"a\", \"2\"]]]",
                    "duplicate");
    assert_rejected(&m, "[\"map\", [[\"a\"]]]", "[key, value]");
    assert_rejected(&m, "[\"map\", [\"a\", \"b\"]]", "[key, value]");
    assert_rejected(&m, "[\"set\", []]", "expected [\"map\"");
    assert_rejected(&m, "\"a\"", "expected [\"map\"");
    assert_rejected(&mi, "[\"map\", [[\"rx\", \"5\"]]]", "expected integer");
    assert_rejected(&m, "[\"map\", {}]", "expected [\"map\"");
}

static void
test_datum_text_and_smap(void **state)
{
    struct ovsdb_type m = ovsdb_type_map(OVSDB_TYPE_STRING, OVSDB_TYPE_STRING);
    struct ovsdb_type mi = ovsdb_type_map(OVSDB_TYPE_STRING,
                                          OVSDB_TYPE_INTEGER);
    struct ovsdb_type set = ovsdb_type_set(OVSDB_TYPE_STRING);
    struct ovsdb_datum d;
    struct dstr s;
    char *err = NULL;

    dstr_init(&s);
    assert_int_equal(parse(&d, &m, "[\"map\", [[\"k\", \"v w\"], "
                           "[\"a\", \"1\"]]]", &err), 0);
    ovsdb_datum_to_text(&d, &m, &s);
    assert_string_equal(dstr_cstr(&s), "{a=\"1\", k=\"v w\"}");

    struct smap smap;
    ovsdb_datum_to_smap(&d, &m, &smap);
    assert_int_equal(smap_count(&smap), 2);
    assert_string_equal(smap_get(&smap, "k"), "v w");
    assert_int_equal(smap_get_int(&smap, "a", -1), 1);
    assert_int_equal(smap_get_int(&smap, "k", -1), -1);
    assert_true(smap_get_bool(&smap, "zz", true));
    ovsdb_datum_destroy(&d, &m);

    /* smap -> datum -> smap. */
    smap_replace(&smap, "z", "last");
    smap_remove(&smap, "a");
    ovsdb_datum_from_smap(&d, &smap);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.keys[0].string, "k");
    assert_string_equal(d.keys[1].string, "z");
    struct smap back;
    ovsdb_datum_to_smap(&d, &m, &back);
    assert_true(smap_equal(&smap, &back));
    const struct smap_node **sorted = smap_sort(&back);
    assert_string_equal(sorted[0]->key, "k");
    assert_string_equal(sorted[1]->key, "z");
    free(sorted);
    smap_destroy(&back);
    smap_destroy(&smap);
    ovsdb_datum_destroy(&d, &m);

    /* Integer map values become decimal strings. */
    assert_int_equal(parse(&d, &mi, "[\"map\", [[\"rx\", -3]]]", &err), 0);
    ovsdb_datum_to_smap(&d, &mi, &smap);
    assert_string_equal(smap_get(&smap, "rx"), "-3");
    smap_destroy(&smap);
    ovsdb_datum_destroy(&d, &mi);

    dstr_clear(&s);
    assert_int_equal(parse(&d, &set, "[\"set\", [\"b\", \"a\"]]", &err), 0);
    ovsdb_datum_to_text(&d, &set, &s);
    assert_string_equal(dstr_cstr(&s), "[a, b]");
    ovsdb_datum_destroy(&d, &set);
    dstr_destroy(&s);
}

/* Applies 'diff' to 'before' and checks the JSON of the result. */
static void
assert_diff(const struct ovsdb_type *type, const char *before,
            const char *diff, const char *after)
{
    struct ovsdb_datum d;
    char *err = NULL;
    assert_int_equal(parse(&d, type, before, &err), 0);
    json_t *dj = J(diff);
    assert_int_equal(ovsdb_datum_apply_diff(&d, type, dj, &err), 0);
    assert_null(err);
    json_decref(dj);
    char *out = to_text_json(&d, type);
    assert_string_equal(out, after);
    free(out);
    ovsdb_datum_destroy(&d, type);
}

static void
test_update2_diffs(void **state)
{
    struct ovsdb_type set = ovsdb_type_set(OVSDB_TYPE_INTEGER);
    struct ovsdb_type m = ovsdb_type_map(OVSDB_TYPE_STRING, OVSDB_TYPE_STRING);
    struct ovsdb_type opt = ovsdb_type_optional(OVSDB_TYPE_STRING);
    struct ovsdb_type one = ovsdb_type_scalar(OVSDB_TYPE_INTEGER);

    /* Sets: symmetric difference. */
    assert_diff(&set, "[\"set\", [1, 2, 3]]", "[\"set\", [2, 4]]",
                "[\"set\",[1,3,4]]");
    assert_diff(&set, "[\"set\", []]", "5", "5");
    assert_diff(&set, "5", "5", "[\"set\",[]]");
    /* Maps: add a new key, remove same key+value, replace a value. */
    assert_diff(&m, "[\"map\", [[\"a\", \"1\"], [\"b\", \"2\"], [\"c\", \"3\"]]]",
                "[\"map\", [[\"a\", \"1\"], [\"b\", \"9\"], [\"d\", \"4\"]]]",
                "[\"map\",[[\"b\",\"9\"],[\"c\",\"3\"],[\"d\",\"4\"]]]");
    /* Columns of at most one value: the new value. */
    assert_diff(&opt, "\"secure\"", "[\"set\", []]", "[\"set\",[]]");
    assert_diff(&opt, "\"secure\"", "\"standalone\"", "\"standalone\"");
    assert_diff(&opt, "[\"set\", []]", "\"x\"", "\"x\"");
    assert_diff(&one, "1", "2", "2");

    /* A bad diff leaves the datum alone. */
    struct ovsdb_datum d;
    char *err = NULL;
    assert_int_equal(parse(&d, &m, "[\"map\", [[\"a\", \"1\"]]]", &err), 0);
    json_t *bad = J("[\"map\", [[\"a\", 1]]]");
    assert_int_equal(ovsdb_datum_apply_diff(&d, &m, bad, &err), EINVAL);
    assert_non_null(err);
    free(err);
    json_decref(bad);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.values[0].string, "1");
    ovsdb_datum_destroy(&d, &m);
}

static void
test_default_and_equals(void **state)
{
    struct ovsdb_type s = ovsdb_type_scalar(OVSDB_TYPE_STRING);
    struct ovsdb_type i = ovsdb_type_scalar(OVSDB_TYPE_INTEGER);
    struct ovsdb_type opt = ovsdb_type_optional(OVSDB_TYPE_INTEGER);
    struct ovsdb_datum a, b;

    ovsdb_datum_init_default(&a, &s);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.keys[0].string, "");
    ovsdb_datum_clone(&b, &a, &s);
    assert_true(ovsdb_datum_equals(&a, &b, &s));
    ovsdb_datum_destroy(&b, &s);
    ovsdb_datum_from_string(&b, "x");
    assert_false(ovsdb_datum_equals(&a, &b, &s));
    ovsdb_datum_destroy(&a, &s);
    ovsdb_datum_destroy(&b, &s);

    ovsdb_datum_init_default(&a, &i);
    assert_int_equal(a.keys[0].integer, 0);
    ovsdb_datum_destroy(&a, &i);
    ovsdb_datum_init_default(&a, &opt);
    assert_int_equal(a.n, 0);
    ovsdb_datum_destroy(&a, &opt);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_type_from_json),
        cmocka_unit_test(test_atoms),
        cmocka_unit_test(test_named_uuid),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_datum_text_and_smap),
        cmocka_unit_test(test_update2_diffs),
        cmocka_unit_test(test_default_and_equals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
