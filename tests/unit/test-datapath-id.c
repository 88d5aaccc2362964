/* Unit tests for vswitchd/datapath-id. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vswitchd/datapath-id.h"

static const struct eth_addr local_mac = { { 0x9e, 0x86, 0x53, 0x76,
                                             0x94, 0x42 } };

static void
test_from_mac(void **state)
{
    char buf[17];
    uint64_t dpid;
    assert_null(bridge_choose_datapath_id(NULL, local_mac, &dpid));
    datapath_id_to_string(dpid, buf);
    assert_string_equal(buf, "00009e8653769442");
}

static void
test_configured(void **state)
{
    char buf[17];
    uint64_t dpid;
    assert_null(bridge_choose_datapath_id("0000000000000ABC", local_mac,
                                          &dpid));
    datapath_id_to_string(dpid, buf);
    assert_string_equal(buf, "0000000000000abc");
}

static void
test_bad_configured(void **state)
{
    static const char *bad[] = {
        "xyz", "0000000000000000", "00000000000000abc", "000000000000abc",
        "0x00000000000abc", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t dpid = 0;
        char *warning = bridge_choose_datapath_id(bad[i], local_mac, &dpid);
        assert_non_null(warning);
        assert_true(dpid == 0x9e8653769442ULL);
        free(warning);
    }
}

static void
test_hwaddr(void **state)
{
    struct eth_addr mac;
    uint64_t dpid;
    assert_null(bridge_choose_mac("02:00:00:00:00:01", local_mac, &mac));
    assert_null(bridge_choose_datapath_id(NULL, mac, &dpid));
    assert_true(dpid == 0x020000000001ULL);

    char *warning = bridge_choose_mac("01:00:00:00:00:01", local_mac, &mac);
    assert_non_null(warning);           /* Multicast. */
    assert_true(eth_addr_equals(mac, local_mac));
    free(warning);
    warning = bridge_choose_mac("00:00:00:00:00:00", local_mac, &mac);
    assert_non_null(warning);
    free(warning);
    warning = bridge_choose_mac("02:00:00:00:00", local_mac, &mac);
    assert_non_null(warning);
    free(warning);
    warning = bridge_choose_mac("02-00-00-00-00-01", local_mac, &mac);
    assert_non_null(warning);
    free(warning);
}

static void
test_parse_mac(void **state)
{
    struct eth_addr mac;
    assert_true(eth_addr_from_string("AA:bb:0C:d0:01:ff", &mac));
    assert_int_equal(mac.ea[0], 0xaa);
    assert_int_equal(mac.ea[5], 0xff);
    assert_false(eth_addr_from_string("aa:bb:cc:dd:ee:fg", &mac));
    assert_false(eth_addr_from_string(NULL, &mac));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_mac),
        cmocka_unit_test(test_configured),
        cmocka_unit_test(test_bad_configured),
        cmocka_unit_test(test_hwaddr),
        cmocka_unit_test(test_parse_mac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
