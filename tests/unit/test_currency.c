/* test_currency.c - unit tests of runtime/base/currency.c: minor units of
 * known ISO 4217 codes, rejection of unknown, lower-case, "N.A." and
 * withdrawn codes, and an exhaustive check that the binary search finds
 * exactly the 165 listed codes (which also catches an unsorted table). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/base/currency.h"

/* The expected table: ISO 4217 list one of 2026-01-01, N.A. codes left
 * out.  Kept here independently of runtime/base/currency.c. */
static const struct {
  const char *code;
  int digits;
} EXPECTED[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"AOA", 2}, {"ARS", 2},
    {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2},
    {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2},
    {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2},
    {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUP", 2},
    {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
    {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2},
    {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0},
    {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2},
    {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2},
    {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2},
    {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2},
    {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2},
    {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2},
    {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2},
    {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2},
    {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2},
    {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2},
    {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0},
    {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2},
    {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAD", 2},
    {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2},
    {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

static void test_common_codes(void **state) {
  (void)state;
  assert_int_equal(slac_currency_digits("USD"), 2);
  assert_int_equal(slac_currency_digits("EUR"), 2);
  assert_int_equal(slac_currency_digits("GBP"), 2);
  assert_int_equal(slac_currency_digits("JPY"), 0);
  assert_int_equal(slac_currency_digits("KRW"), 0);
  assert_int_equal(slac_currency_digits("BHD"), 3);
  assert_int_equal(slac_currency_digits("KWD"), 3);
  assert_int_equal(slac_currency_digits("CLF"), 4);
  assert_int_equal(slac_currency_digits("UYW"), 4);
  assert_int_equal(slac_currency_digits("XCG"), 2);
  assert_int_equal(slac_currency_digits("ZWG"), 2);
  /* first and last entries (binary search edges) */
  assert_int_equal(slac_currency_digits("AED"), 2);
  assert_int_equal(slac_currency_digits("ZWG"), 2);
}

static void test_unknown_codes(void **state) {
  (void)state;
  static const char *unknown[] = {
      "ABC", "usd", "Usd", "uSD", "AAA", "ZZZ", "US ", "   ",
      /* minor unit "N.A." */
      "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XTS", "XUA", "XXX",
      /* withdrawn */
      "ANG", "BGN", "CUC", "HRK", "SLL", "ZWL", "DEM", "VEF", "MRO",
  };
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    assert_int_equal(slac_currency_digits(unknown[i]), -1);
  assert_int_equal(slac_currency_digits(NULL), -1);
  static const char odd[3] = {'U', '\0', 'D'};
  assert_int_equal(slac_currency_digits(odd), -1);
  static const char high[3] = {'U', 'S', (char)0xC4};
  assert_int_equal(slac_currency_digits(high), -1);
}

static void test_not_terminated(void **state) {
  (void)state;
  /* exactly three bytes are read: "USDX" is USD, a 3-byte array works */
  assert_int_equal(slac_currency_digits("USDX"), 2);
  static const char jpy[3] = {'J', 'P', 'Y'};
  assert_int_equal(slac_currency_digits(jpy), 0);
}

static void test_whole_table(void **state) {
  (void)state;
  size_t n = sizeof EXPECTED / sizeof EXPECTED[0];
  assert_int_equal(n, 165);
  for (size_t i = 0; i < n; i++) {
    if (slac_currency_digits(EXPECTED[i].code) != EXPECTED[i].digits) {
      print_error("%s: got %d, want %d\n", EXPECTED[i].code,
                  slac_currency_digits(EXPECTED[i].code), EXPECTED[i].digits);
      fail();
    }
  }
  /* every three-letter upper-case code: exactly the expected ones */
  size_t found = 0;
  char code[3];
  for (char a = 'A'; a <= 'Z'; a++)
    for (char b = 'A'; b <= 'Z'; b++)
      for (char c = 'A'; c <= 'Z'; c++) {
        code[0] = a;
        code[1] = b;
        code[2] = c;
        int d = slac_currency_digits(code);
        assert_true(d >= -1 && d <= 4);
        if (d >= 0)
          found++;
      }
  assert_int_equal(found, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_common_codes),
      cmocka_unit_test(test_unknown_codes),
      cmocka_unit_test(test_not_terminated),
      cmocka_unit_test(test_whole_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
