/* Unit tests for vswitchd/ofport-alloc. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vswitchd/ofport-alloc.h"

static void
free_errors(struct ofport_slot *slots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(slots[i].error);
        slots[i].error = NULL;
    }
}

/* Feeds the result of one round back as 'current' for the next. */
static void
keep_current(struct ofport_slot *slots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        slots[i].current = slots[i].assigned;
    }
}

static void
test_local_and_lowest_free(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    struct ofport_slot s[] = {
        { .name = "br0", .is_local = true },
        { .name = "b" },
        { .name = "a" },
    };
    ofport_alloc_assign(&alloc, s, 3);
    assert_int_equal(s[0].assigned, OFPORT_LOCAL);
    /* Name order decides among new interfaces. */
    assert_int_equal(s[2].assigned, 1);
    assert_int_equal(s[1].assigned, 2);
    for (int i = 0; i < 3; i++) {
        assert_null(s[i].error);
    }
    ofport_alloc_destroy(&alloc);
}

static void
test_stable_across_rounds(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    struct ofport_slot s[] = {
        { .name = "p1" }, { .name = "p2" }, { .name = "p3" },
    };
    ofport_alloc_assign(&alloc, s, 3);
    keep_current(s, 3);
    /* Drop p1: p2 and p3 keep 2 and 3; a new p0 takes the freed 1. */
    struct ofport_slot t[] = {
        { .name = "p2", .current = s[1].assigned },
        { .name = "p3", .current = s[2].assigned },
        { .name = "p0" },
    };
    ofport_alloc_assign(&alloc, t, 3);
    assert_int_equal(t[0].assigned, 2);
    assert_int_equal(t[1].assigned, 3);
    assert_int_equal(t[2].assigned, 1);

    /* p1 comes back: its old number is taken, so it gets the lowest free. */
    struct ofport_slot u[] = {
        { .name = "p2", .current = 2 },
        { .name = "p3", .current = 3 },
        { .name = "p0", .current = 1 },
        { .name = "p1" },
    };
    ofport_alloc_assign(&alloc, u, 4);
    assert_int_equal(u[3].assigned, 4);
    ofport_alloc_destroy(&alloc);
}

static void
test_history_reuses_number(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    struct ofport_slot s[] = { { .name = "a" }, { .name = "b" },
                               { .name = "c" } };
    ofport_alloc_assign(&alloc, s, 3);
    assert_int_equal(s[2].assigned, 3);
    /* Remove b and c, then re-add c alone: it gets 3 back, not 2. */
    struct ofport_slot t[] = { { .name = "a", .current = 1 } };
    ofport_alloc_assign(&alloc, t, 1);
    struct ofport_slot u[] = { { .name = "a", .current = 1 },
                               { .name = "c" } };
    ofport_alloc_assign(&alloc, u, 2);
    assert_int_equal(u[1].assigned, 3);
    ofport_alloc_destroy(&alloc);
}

static void
test_request_honoured_and_moves_holder(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    struct ofport_slot s[] = { { .name = "a" }, { .name = "b" } };
    ofport_alloc_assign(&alloc, s, 2);
    assert_int_equal(s[0].assigned, 1);
    /* b now asks for 1, which a holds without asking: a moves. */
    struct ofport_slot t[] = {
        { .name = "a", .current = 1 },
        { .name = "b", .current = 2, .requested = 1 },
    };
    ofport_alloc_assign(&alloc, t, 2);
    assert_int_equal(t[1].assigned, 1);
    assert_int_equal(t[0].assigned, 2);     /* b gave it up. */
    assert_null(t[0].error);
    assert_null(t[1].error);
    ofport_alloc_destroy(&alloc);
}

static void
test_duplicate_request(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    struct ofport_slot s[] = {
        { .name = "x", .requested = 5 },
        { .name = "y", .requested = 5 },
    };
    ofport_alloc_assign(&alloc, s, 2);
    assert_int_equal(s[0].assigned, 5);
    assert_null(s[0].error);
    assert_int_equal(s[1].assigned, 1);
    assert_non_null(s[1].error);
    assert_string_equal(s[1].error, "ofport_request 5 is already requested "
                        "by interface x");
    free_errors(s, 2);

    /* The holder keeps it even when a name earlier in order asks later. */
    struct ofport_slot t[] = {
        { .name = "x", .requested = 5, .current = 5 },
        { .name = "y", .requested = 5, .current = 1 },
        { .name = "a", .requested = 5 },
    };
    ofport_alloc_assign(&alloc, t, 3);
    assert_int_equal(t[0].assigned, 5);
    assert_int_equal(t[1].assigned, 1);
    assert_int_equal(t[2].assigned, 2);
    assert_non_null(t[1].error);
    assert_non_null(t[2].error);
    free_errors(t, 3);
    ofport_alloc_destroy(&alloc);
}

static void
test_bad_request(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    struct ofport_slot s[] = {
        { .name = "a", .requested = 65534 },
        { .name = "b", .requested = -3 },
        { .name = "c", .requested = 65279 },
    };
    ofport_alloc_assign(&alloc, s, 3);
    assert_int_equal(s[0].assigned, 1);
    assert_string_equal(s[0].error, "ofport_request 65534 is out of range "
                        "(valid values are 1 to 65279)");
    assert_int_equal(s[1].assigned, 2);
    assert_non_null(s[1].error);
    assert_int_equal(s[2].assigned, 65279);
    assert_null(s[2].error);
    free_errors(s, 3);
    ofport_alloc_destroy(&alloc);
}

static void
test_hint_after_restart(void **state)
{
    struct ofport_alloc alloc;
    ofport_alloc_init(&alloc);
    /* A fresh daemon sees what the database still shows. */
    struct ofport_slot s[] = {
        { .name = "a", .hint = 7 },
        { .name = "b", .hint = 7 },     /* Stale duplicate: loses. */
        { .name = "c", .hint = 2 },
    };
    ofport_alloc_assign(&alloc, s, 3);
    assert_int_equal(s[0].assigned, 7);
    assert_int_equal(s[2].assigned, 2);
    assert_int_equal(s[1].assigned, 1);
    free_errors(s, 3);
    ofport_alloc_destroy(&alloc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_and_lowest_free),
        cmocka_unit_test(test_stable_across_rounds),
        cmocka_unit_test(test_history_reuses_number),
        cmocka_unit_test(test_request_honoured_and_moves_holder),
        cmocka_unit_test(test_duplicate_request),
        cmocka_unit_test(test_bad_request),
        cmocka_unit_test(test_hint_after_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
