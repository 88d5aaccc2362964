/* Unit tests for lib/util/reconnect: back-off, probes, timeouts. */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/reconnect.h"
#include "util/vlog.h"

/* Fails the connection attempt that run() asks for at 'now'. */
static void
fail_attempt(struct reconnect *r, long long now)
{
    assert_int_equal(reconnect_run(r, now), RECONNECT_CONNECT);
    reconnect_connecting(r, now);
    reconnect_connect_failed(r, now, ECONNREFUSED);
}

static void
test_backoff_doubles_to_max(void **state)
{
    struct reconnect *r = reconnect_create(0);
    assert_int_equal(reconnect_run(r, 0), RECONNECT_NONE);  /* Disabled. */
    assert_int_equal(reconnect_timeout(r, 0), -1);
    reconnect_enable(r, 0);

    long long now = 0;
    fail_attempt(r, now);               /* First attempt is immediate. */
    int expected[] = { 1000, 2000, 4000, 8000, 8000 };
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        assert_int_equal(reconnect_get_backoff(r), expected[i]);
        assert_int_equal(reconnect_timeout(r, now), expected[i]);
        assert_int_equal(reconnect_run(r, now + expected[i] - 1),
                         RECONNECT_NONE);
        now += expected[i];
        fail_attempt(r, now);
    }
    assert_int_equal(reconnect_get_n_attempts(r), 6);
    assert_int_equal(reconnect_get_last_error(r), ECONNREFUSED);

    /* A lower maximum applies at once. */
    reconnect_set_backoff(r, 1000, 3000);
    assert_int_equal(reconnect_get_backoff(r), 3000);
    reconnect_destroy(r);
}

static void
test_healthy_session_resets_backoff(void **state)
{
    struct reconnect *r = reconnect_create(0);
    reconnect_enable(r, 0);
    fail_attempt(r, 0);
    fail_attempt(r, 1000);
    assert_int_equal(reconnect_get_backoff(r), 2000);

    assert_int_equal(reconnect_run(r, 3000), RECONNECT_CONNECT);
    reconnect_connecting(r, 3000);
    reconnect_connected(r, 3100);
    assert_true(reconnect_is_connected(r));
    assert_int_equal(reconnect_get_n_connects(r), 1);
    /* Up for longer than the back-off: reconnect at once. */
    reconnect_activity(r, 9000);
    reconnect_disconnected(r, 9000, 0);
    assert_false(reconnect_is_connected(r));
    assert_int_equal(reconnect_get_backoff(r), 0);
    assert_int_equal(reconnect_run(r, 9000), RECONNECT_CONNECT);

    /* A connection that drops at once keeps backing off. */
    reconnect_connecting(r, 9000);
    reconnect_connected(r, 9010);
    reconnect_disconnected(r, 9020, ECONNRESET);
    assert_int_equal(reconnect_get_backoff(r), 1000);
    assert_int_equal(reconnect_run(r, 9500), RECONNECT_NONE);
    reconnect_destroy(r);
}

static void
test_probe_then_disconnect(void **state)
{
    struct reconnect *r = reconnect_create(0);
    reconnect_set_probe_interval(r, 5000);
    reconnect_enable(r, 0);
    assert_int_equal(reconnect_run(r, 0), RECONNECT_CONNECT);
    reconnect_connecting(r, 0);
    reconnect_connected(r, 0);

    assert_int_equal(reconnect_run(r, 4999), RECONNECT_NONE);
    reconnect_activity(r, 4000);        /* Traffic postpones the probe. */
    assert_int_equal(reconnect_run(r, 8999), RECONNECT_NONE);
    assert_int_equal(reconnect_timeout(r, 8000), 1000);
    assert_int_equal(reconnect_run(r, 9000), RECONNECT_PROBE);
    assert_string_equal(reconnect_state_name(r), "IDLE");
    /* An answer brings it back. */
    reconnect_activity(r, 9500);
    assert_string_equal(reconnect_state_name(r), "ACTIVE");
    assert_int_equal(reconnect_run(r, 14499), RECONNECT_NONE);
    assert_int_equal(reconnect_run(r, 14500), RECONNECT_PROBE);
    /* No answer: disconnect one interval later. */
    assert_int_equal(reconnect_run(r, 19499), RECONNECT_NONE);
    assert_int_equal(reconnect_run(r, 19500), RECONNECT_DISCONNECT);
    assert_int_equal(reconnect_get_last_error(r), ETIMEDOUT);
    reconnect_disconnected(r, 19500, ETIMEDOUT);
    assert_int_equal(reconnect_run(r, 19500), RECONNECT_CONNECT);

    /* Probing off: never asks. */
    reconnect_set_probe_interval(r, 0);
    reconnect_connecting(r, 20000);
    reconnect_connected(r, 20000);
    assert_int_equal(reconnect_run(r, 10000000), RECONNECT_NONE);
    assert_int_equal(reconnect_timeout(r, 20000), -1);
    reconnect_destroy(r);
}

static void
test_connect_timeout_and_force(void **state)
{
    struct reconnect *r = reconnect_create(0);
    reconnect_enable(r, 0);
    assert_int_equal(reconnect_run(r, 0), RECONNECT_CONNECT);
    reconnect_connecting(r, 0);
    assert_int_equal(reconnect_run(r, 999), RECONNECT_NONE);
    assert_int_equal(reconnect_run(r, 1000), RECONNECT_DISCONNECT);
    assert_int_equal(reconnect_get_last_error(r), ETIMEDOUT);
    reconnect_disconnected(r, 1000, ETIMEDOUT);
    assert_string_equal(reconnect_state_name(r), "BACKOFF");
    assert_int_equal(reconnect_get_backoff(r), 1000);

    /* Passive: waiting for a peer never times out. */
    reconnect_set_passive(r, true);
    assert_int_equal(reconnect_run(r, 2000), RECONNECT_CONNECT);
    reconnect_connecting(r, 2000);
    assert_int_equal(reconnect_run(r, 100000), RECONNECT_NONE);
    reconnect_set_passive(r, false);

    reconnect_connected(r, 100000);
    reconnect_force_reconnect(r, 100001);
    assert_int_equal(reconnect_run(r, 100001), RECONNECT_DISCONNECT);
    assert_int_equal(reconnect_get_last_error(r), 0);
    reconnect_disconnected(r, 100001, 0);
    assert_int_equal(reconnect_run(r, 100001), RECONNECT_CONNECT);

    reconnect_disable(r, 100002);
    assert_false(reconnect_is_enabled(r));
    assert_int_equal(reconnect_run(r, 200000), RECONNECT_NONE);
    reconnect_destroy(r);
}

int
main(void)
{
    log_set_level_all(LOG_DEST_CONSOLE, LOGL_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_doubles_to_max),
        cmocka_unit_test(test_healthy_session_resets_backoff),
        cmocka_unit_test(test_probe_then_disconnect),
        cmocka_unit_test(test_connect_timeout_and_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
