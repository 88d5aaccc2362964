/* Unit tests for lib/util/vlog: level specs, the vlog/list layout and the
 * log line format. */
#include <config.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/vlog.h"

LOG_MODULE(test_vlog);

static void
test_set_levels(void **state)
{
    struct log_module *m = log_module_from_name("test_vlog");
    assert_non_null(m);

    assert_null(log_set_levels_from_string("test_vlog:file:warn"));
    assert_int_equal(atomic_load(&m->levels[LOG_DEST_FILE]), LOGL_WARN);
    assert_null(log_set_levels_from_string("console:err:test_vlog"));
    assert_int_equal(atomic_load(&m->levels[LOG_DEST_CONSOLE]), LOGL_ERR);
    assert_null(log_set_levels_from_string("test_vlog"));
    for (int d = 0; d < LOG_N_DESTS; d++) {
        assert_int_equal(atomic_load(&m->levels[d]), LOGL_DBG);
    }
    assert_null(log_set_levels_from_string("ANY:syslog:off"));
    assert_int_equal(atomic_load(&m->levels[LOG_DEST_SYSLOG]), LOGL_OFF);

    char *error = log_set_levels_from_string("test_vlog:bogus");
    assert_non_null(error);
    assert_string_equal(error, "no destination, level, or module \"bogus\"");
    free(error);
    error = log_set_levels_from_string("file:console");
    assert_non_null(error);
    free(error);
}

static void
test_list_layout(void **state)
{
    char *text = log_list_levels();
    const char *header = "                 console    syslog    file\n"
                         "                 -------    ------    ------\n";
    assert_true(!strncmp(text, header, strlen(header)));
    assert_non_null(strstr(text, "\nvlog  "));
    /* Rows are "%-16s  %4s       %4s       %4s". */
    const char *row = strstr(text, "\ntest_vlog");
    assert_non_null(row);
    assert_int_equal(row[1 + 16 + 2 + 4], ' ');
    free(text);
}

static void
test_file_format(void **state)
{
    char path[] = "/tmp/test-vlog-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);

    assert_null(log_set_levels_from_string("test_vlog:file:info"));
    assert_int_equal(log_set_file(path), 0);
    log_info("hello %d", 42);
    log_dbg("not shown");
    log_close_file();

    FILE *f = fopen(path, "r");
    char line[512];
    bool found = false;
    regex_t re;
    assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:"
                             "[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\\|[0-9]{5}\\|"
                             "test_vlog\\|INFO\\|hello 42$",
                             REG_EXTENDED | REG_NOSUB), 0);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        assert_null(strstr(line, "not shown"));
        if (!regexec(&re, line, 0, NULL, 0)) {
            found = true;
        }
    }
    regfree(&re);
    fclose(f);
    unlink(path);
    assert_true(found);
}

static void
test_ratelimit(void **state)
{
    struct log_ratelimit rl = LOG_RATELIMIT_INIT(60, 3);
    char path[] = "/tmp/test-vlog-rl-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_null(log_set_levels_from_string("test_vlog:file:info"));
    assert_int_equal(log_set_file(path), 0);
    for (int i = 0; i < 20; i++) {
        log_warn_rl(&rl, "burst %d", i);
    }
    log_close_file();

    FILE *f = fopen(path, "r");
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        n += strstr(line, "|burst ") != NULL;
    }
    fclose(f);
    unlink(path);
    assert_int_equal(n, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_levels),
        cmocka_unit_test(test_list_layout),
        cmocka_unit_test(test_file_format),
        cmocka_unit_test(test_ratelimit),
    };
    return cmocka_run_group_tests_name("vlog", tests, NULL, NULL);
}
