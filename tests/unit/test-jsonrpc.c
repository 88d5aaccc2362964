/* Unit tests for lib/jsonrpc: stream splitting and message validation. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonrpc/jsonrpc.h"

static void
test_split_back_to_back(void **state)
{
    struct json_splitter sp;
    const char *stream = " {\"a\":\"}{\\\"\"}\n[1,[2]]{\"b\":{}}";
    char *error;
    json_splitter_init(&sp);

    /* Feed one byte at a time: values must come out whole. */
    int n = 0;
    for (size_t i = 0; stream[i]; i++) {
        json_splitter_feed(&sp, &stream[i], 1);
        json_t *v;
        while ((v = json_splitter_next(&sp, &error))) {
            if (n == 0) {
                assert_string_equal(json_string_value(
                                        json_object_get(v, "a")), "}{\"");
            } else if (n == 1) {
                assert_true(json_is_array(v));
                assert_int_equal(json_array_size(v), 2);
            } else {
                assert_true(json_is_object(json_object_get(v, "b")));
            }
            json_decref(v);
            n++;
        }
        assert_null(error);
    }
    assert_int_equal(n, 3);
    json_splitter_destroy(&sp);
}

static void
test_split_garbage(void **state)
{
    struct json_splitter sp;
    char *error;
    json_splitter_init(&sp);
    json_splitter_feed(&sp, "hello", 5);
    assert_null(json_splitter_next(&sp, &error));
    assert_non_null(error);
    free(error);
    json_splitter_destroy(&sp);

    json_splitter_init(&sp);
    json_splitter_feed(&sp, "{\"a\":tru}", 9);
    assert_null(json_splitter_next(&sp, &error));
    assert_non_null(error);
    free(error);
    json_splitter_destroy(&sp);
}

static struct jsonrpc_msg *
parse(const char *text, char **error)
{
    json_t *json = json_loads(text, 0, NULL);
    assert_non_null(json);
    struct jsonrpc_msg *msg = jsonrpc_msg_from_json(json, error);
    json_decref(json);
    return msg;
}

static void
test_msg_types(void **state)
{
    char *error;
    struct jsonrpc_msg *msg;

    msg = parse("{\"method\":\"echo\",\"params\":[],\"id\":\"x\"}", &error);
    assert_non_null(msg);
    assert_int_equal(msg->type, JSONRPC_REQUEST);
    assert_string_equal(msg->method, "echo");
    jsonrpc_msg_destroy(msg);

    msg = parse("{\"method\":\"update\",\"params\":[1],\"id\":null}", &error);
    assert_int_equal(msg->type, JSONRPC_NOTIFY);
    jsonrpc_msg_destroy(msg);

    msg = parse("{\"result\":\"ok\",\"error\":null,\"id\":3}", &error);
    assert_int_equal(msg->type, JSONRPC_REPLY);
    assert_string_equal(json_string_value(msg->result), "ok");
    jsonrpc_msg_destroy(msg);

    msg = parse("{\"result\":null,\"error\":\"bad\",\"id\":3}", &error);
    assert_int_equal(msg->type, JSONRPC_ERROR);
    jsonrpc_msg_destroy(msg);

    assert_null(parse("{\"method\":1,\"params\":[],\"id\":1}", &error));
    free(error);
    assert_null(parse("{\"method\":\"m\",\"params\":{},\"id\":1}", &error));
    assert_string_equal(error, "\"params\" must be JSON array");
    free(error);
    assert_null(parse("{\"id\":1}", &error));
    free(error);
    assert_null(parse("{\"result\":1}", &error));
    free(error);
    assert_null(parse("{\"method\":\"m\",\"params\":[],\"id\":1,\"x\":2}",
                      &error));
    free(error);
}

static void
test_round_trip(void **state)
{
    struct jsonrpc_msg *req = jsonrpc_create_request(
        "transact", json_pack("[s]", "Open_vSwitch"), json_integer(7));
    char *s = jsonrpc_msg_to_string(req);
    char *error;
    struct jsonrpc_msg *back = parse(s, &error);
    assert_non_null(back);
    assert_int_equal(back->type, JSONRPC_REQUEST);
    assert_true(json_equal(back->params, req->params));
    assert_true(json_equal(back->id, req->id));

    struct jsonrpc_msg *reply = jsonrpc_create_reply(json_string("r"),
                                                     back->id);
    char *rs = jsonrpc_msg_to_string(reply);
    assert_non_null(strstr(rs, "\"error\":null"));
    free(rs);
    free(s);
    jsonrpc_msg_destroy(reply);
    jsonrpc_msg_destroy(back);
    jsonrpc_msg_destroy(req);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_back_to_back),
        cmocka_unit_test(test_split_garbage),
        cmocka_unit_test(test_msg_types),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("jsonrpc", tests, NULL, NULL);
}
