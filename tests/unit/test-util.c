/* Unit tests for lib/util: strings, number parsing, dynamic strings. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/dstr.h"
#include "util/list.h"
#include "util/util.h"

static void
test_str_to_int(void **state)
{
    int i;
    unsigned int u;
    unsigned long long ull;
    bool b;

    assert_true(str_to_int("-42", 10, &i));
    assert_int_equal(i, -42);
    assert_false(str_to_int("42x", 10, &i));
    assert_false(str_to_int("", 10, &i));
    assert_false(str_to_int("99999999999", 10, &i));
    assert_true(str_to_uint("0x1f", 0, &u));
    assert_int_equal(u, 31);
    assert_false(str_to_uint("-1", 10, &u));
    assert_true(str_to_ullong("18446744073709551615", 10, &ull));
    assert_true(ull == UINT64_MAX);
    assert_true(str_to_bool("true", &b) && b);
    assert_true(str_to_bool("false", &b) && !b);
    assert_false(str_to_bool("yes", &b));
}

static void
test_prefix_suffix(void **state)
{
    assert_true(str_starts_with("punix:/x", "punix:"));
    assert_false(str_starts_with("unix:/x", "punix:"));
    assert_true(str_ends_with("a.ctl", ".ctl"));
    assert_false(str_ends_with("ctl", "a.ctl"));
}

static void
test_dstr(void **state)
{
    struct dstr ds = DSTR_INITIALIZER;
    assert_string_equal(dstr_cstr(&ds), "");
    for (int i = 0; i < 1000; i++) {
        dstr_printf(&ds, "%d,", i);
    }
    assert_int_equal(ds.len, strlen(ds.s));
    assert_memory_equal(ds.s, "0,1,2,", 6);
    dstr_truncate(&ds, 3);
    dstr_put(&ds, "  \n");
    dstr_chomp(&ds);
    assert_string_equal(ds.s, "0,1");
    char *s = dstr_steal(&ds);
    assert_string_equal(s, "0,1");
    assert_null(ds.s);
    free(s);
}

struct item {
    int v;
    struct list_node node;
};

static void
test_list(void **state)
{
    struct list_node head = LIST_INITIALIZER(&head);
    struct item items[5];
    struct item *it, *next;
    int sum = 0;

    assert_true(list_is_empty(&head));
    for (int i = 0; i < 5; i++) {
        items[i].v = i;
        list_push_back(&head, &items[i].node);
    }
    assert_int_equal(list_size(&head), 5);
    LIST_FOR_EACH_SAFE (it, next, node, &head) {
        if (it->v % 2) {
            list_remove(&it->node);
        }
    }
    LIST_FOR_EACH (it, node, &head) {
        sum += it->v;
    }
    assert_int_equal(sum, 0 + 2 + 4);
    assert_int_equal(list_size(&head), 3);
}

static void
test_xasprintf(void **state)
{
    char *s = xasprintf("%s-%05d", "x", 17);
    assert_string_equal(s, "x-00017");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_to_int),
        cmocka_unit_test(test_prefix_suffix),
        cmocka_unit_test(test_dstr),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_xasprintf),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
