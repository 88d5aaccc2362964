/* Unit tests for lib/openflow: message vectors (ovs-ofctl and os-ken),
 * round trips, framing and type identification. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ofp-roundtrip.h"
#include "ofp-test-util.h"

/* Every captured vector identifies and decodes without error, and those of
 * the types we encode re-encode to the same bytes. */
static void
check_vector_file(const char *file, size_t min_vectors)
{
    struct ofp_vector *v;
    size_t n = ofp_test_load(file, &v);
    size_t n_exact = 0, n_failed = 0;
    struct ofpbuf out = OFPBUF_INITIALIZER;

    assert_true(n >= min_vectors);
    for (size_t i = 0; i < n; i++) {
        enum ofperr error = ofp_roundtrip(v[i].data, v[i].len, &out);
        if (error) {
            fprintf(stderr, "%s: %s\n", v[i].name, ofperr_name(error));
            n_failed++;
            continue;
        }
        if (out.size) {
            if (out.size != v[i].len || memcmp(out.data, v[i].data, out.size)) {
                fprintf(stderr, "%s: re-encoding differs\n", v[i].name);
                ofp_test_hexdump(" want", v[i].data, v[i].len);
                ofp_test_hexdump(" got ", out.data, out.size);
                n_failed++;
            } else {
                n_exact++;
            }
        }
    }
    fprintf(stderr, "%s: %zu vectors, %zu re-encoded byte-exact\n", file, n,
            n_exact);
    assert_int_equal(n_failed, 0);
    ofpbuf_uninit(&out);
    ofp_test_free(v, n);
}

static void
test_ofctl_vectors(void **state)
{
    check_vector_file("ofctl-vectors.txt", 100);
}

static void
test_osken_vectors(void **state)
{
    check_vector_file("osken-vectors.txt", 40);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ofctl_vectors),
        cmocka_unit_test(test_osken_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
