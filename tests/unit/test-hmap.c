/* Unit tests for lib/util/hmap. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/hash.h"
#include "util/hmap.h"

struct elem {
    struct hmap_node node;
    int key;
};

static struct elem *
find(struct hmap *map, int key)
{
    struct elem *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, hash_uint64(key, 0), map) {
        if (e->key == key) {
            return e;
        }
    }
    return NULL;
}

static void
test_insert_find_remove(void **state)
{
    enum { N = 10000 };
    struct hmap map;
    struct elem *elems = calloc(N, sizeof *elems);

    hmap_init(&map);
    for (int i = 0; i < N; i++) {
        elems[i].key = i * 7;
        hmap_insert(&map, &elems[i].node, hash_uint64(i * 7, 0));
    }
    assert_int_equal(hmap_count(&map), N);
    for (int i = 0; i < N; i++) {
        assert_ptr_equal(find(&map, i * 7), &elems[i]);
        assert_null(find(&map, i * 7 + 1));
    }

    /* Remove the odd ones while iterating. */
    struct elem *e, *next;
    HMAP_FOR_EACH_SAFE (e, next, node, &map) {
        if (e->key % 2) {
            hmap_remove(&map, &e->node);
        }
    }
    assert_int_equal(hmap_count(&map), N / 2);
    size_t seen = 0;
    HMAP_FOR_EACH (e, node, &map) {
        assert_int_equal(e->key % 2, 0);
        seen++;
    }
    assert_int_equal(seen, N / 2);
    hmap_destroy(&map);
    free(elems);
}

static void
test_hash_spread(void **state)
{
    /* Consecutive keys must land in many different low-bit buckets. */
    int buckets[64] = { 0 };
    for (int i = 0; i < 6400; i++) {
        buckets[hash_uint64(i, 0) & 63]++;
    }
    for (int i = 0; i < 64; i++) {
        assert_in_range(buckets[i], 50, 150);
    }
    assert_int_not_equal(hash_string("br0", 0), hash_string("br1", 0));
    assert_int_equal(hash_bytes("abcdefghij", 10, 1),
                     hash_bytes("abcdefghij", 10, 1));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_remove),
        cmocka_unit_test(test_hash_spread),
    };
    return cmocka_run_group_tests_name("hmap", tests, NULL, NULL);
}
