/* Unit tests for lib/util/memory. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/memory.h"

static void
report_ports(struct memory_report *report, void *aux)
{
    memory_report_add(report, "ports", *(int *) aux);
    memory_report_add(report, "bridges", 1);
}

static void
report_more(struct memory_report *report, void *aux)
{
    memory_report_add(report, "handlers", 1);
    memory_report_add(report, "ports", 2);
}

static void
test_empty(void **state)
{
    char *text = memory_show();
    assert_string_equal(text, "");
    free(text);
}

static void
test_sorted_and_summed(void **state)
{
    int ports = 3;
    memory_register_reporter(report_ports, &ports);
    memory_register_reporter(report_ports, &ports);     /* Ignored. */
    char *text = memory_show();
    assert_string_equal(text, "bridges:1 ports:3");
    free(text);

    memory_register_reporter(report_more, NULL);
    ports = 4;
    text = memory_show();
    assert_string_equal(text, "bridges:1 handlers:1 ports:6");
    free(text);

    memory_unregister_reporter(report_ports, &ports);
    text = memory_show();
    assert_string_equal(text, "handlers:1 ports:2");
    free(text);
    memory_unregister_reporter(report_more, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_sorted_and_summed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
