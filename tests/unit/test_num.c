/* test_num.c - unit tests of runtime/base/num.c: exact values for parsing,
 * formatting, arithmetic, comparison and rounding, plus randomized
 * cross-checks of mul, div, cmp, add/sub, round and trunc against GMP
 * (fixed seed, so every run checks the same cases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gmp.h>

#include "runtime/base/num.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define E12 1000000000000LL
#define E18 1000000000000000000ULL
#define LIMIT ((u128)E18 * E18)

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static slac_num N(const char *s) {
  slac_num x;
  assert_int_equal(slac_num_parse(s, strlen(s), &x), SLAC_NUM_OK);
  return x;
}

static slac_num U(i128 units, bool above) {
  slac_num x;
  x.units = units;
  x.above = above;
  return x;
}

/* Two-halves comparison: cmocka's integer asserts are 64-bit. */
static void assert_units(i128 got, i128 want) {
  assert_true(got == want);
  if (got != want) /* not reached; keeps the values visible in a debugger */
    fail();
}

/* X must equal the decimal TEXT (floor) with the given ABOVE flag. */
static void expect(slac_num x, const char *text, bool above) {
  slac_num want = N(text);
  if (x.units != want.units || x.above != above) {
    char buf[64];
    slac_num_format(U(x.units, false), 12, buf, sizeof buf);
    print_error("got %s%s, want %s%s\n", buf, x.above ? "+" : "", text, above ? "+" : "");
    fail();
  }
}

static void expect_fmt(slac_num x, int digits, const char *text) {
  char buf[64];
  size_t n = slac_num_format(x, digits, buf, sizeof buf);
  assert_string_equal(buf, text);
  assert_int_equal(n, strlen(text));
}

static void mpz_set_i128(mpz_t z, i128 v) {
  u128 m = v < 0 ? (u128)0 - (u128)v : (u128)v;
  uint64_t w[2] = {(uint64_t)m, (uint64_t)(m >> 64)};
  mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
  if (v < 0)
    mpz_neg(z, z);
}

/* Z must fit in |Z| < 2^127. */
static i128 mpz_get_i128(const mpz_t z) {
  uint64_t w[4] = {0, 0, 0, 0};
  assert_true(mpz_sizeinbase(z, 2) <= 127);
  mpz_export(w, NULL, -1, sizeof w[0], 0, 0, z);
  u128 m = ((u128)w[1] << 64) | w[0];
  return mpz_sgn(z) < 0 ? -(i128)m : (i128)m;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A random valid units value: mostly uniform bit lengths (to reach both
 * the 64-bit fast paths and the general division), some special values,
 * some built from boundary-pattern 32-bit limbs that stress algorithm D. */
static i128 rnd_units(void) {
  u128 m;
  uint64_t kind = rnd() % 10;
  if (kind == 0) {
    static const int64_t special[] = {0, 1, 2, 5, 10, 999999999999LL, E12, E12 + 1,
                                      5 * (E12 / 10), 100 * E12, 99 * E12};
    m = (u128)special[rnd() % (sizeof special / sizeof special[0])];
    if (rnd() % 4 == 0)
      m = LIMIT - 1 - (u128)(rnd() % 3);
  } else if (kind <= 3) {
    static const uint32_t pat[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
    m = 0;
    int limbs = 1 + (int)(rnd() % 4);
    for (int i = 0; i < limbs; i++) {
      uint32_t l = rnd() % 3 == 0 ? (uint32_t)rnd() : pat[rnd() % 7];
      m = (m << 32) | l;
    }
    while (m >= LIMIT)
      m >>= 1;
  } else {
    int bits = (int)(rnd() % 121);
    m = ((u128)rnd() << 64) | rnd();
    m = bits == 0 ? 0 : (bits >= 128 ? m : m & (((u128)1 << bits) - 1));
    while (m >= LIMIT)
      m >>= 1;
  }
  return rnd() & 1 ? -(i128)m : (i128)m;
}

/* Expected result of floor(NUM / DEN) as a slac_num status/value. */
static slac_num_status oracle_floor(const mpz_t num, const mpz_t den, slac_num *out) {
  mpz_t q, r, lim;
  mpz_inits(q, r, lim, NULL);
  mpz_fdiv_qr(q, r, num, den);
  mpz_set_i128(lim, (i128)LIMIT);
  slac_num_status st = SLAC_NUM_OK;
  if (mpz_cmpabs(q, lim) >= 0) {
    st = SLAC_NUM_OVERFLOW;
  } else {
    out->units = mpz_get_i128(q);
    out->above = mpz_sgn(r) != 0;
  }
  mpz_clears(q, r, lim, NULL);
  return st;
}

static void check_same(slac_num_status got_st, slac_num got, slac_num_status want_st, slac_num want) {
  assert_int_equal(got_st, want_st);
  if (want_st == SLAC_NUM_OK) {
    assert_units(got.units, want.units);
    assert_int_equal(got.above, want.above);
  }
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

static void test_parse_valid(void **state) {
  (void)state;
  assert_units(N("0").units, 0);
  assert_units(N("-0").units, 0);
  assert_units(N("-0.000").units, 0);
  assert_units(N("1").units, E12);
  assert_units(N("12.5").units, 12 * E12 + E12 / 2);
  assert_units(N("007.250").units, 7 * E12 + E12 / 4);
  assert_units(N("-1.000000000001").units, -E12 - 1);
  assert_units(N("0.000000000001").units, 1);
  assert_units(N("999999999999999999999999.999999999999").units, (i128)LIMIT - 1);
  assert_units(N("-999999999999999999999999.999999999999").units, -((i128)LIMIT - 1));
  assert_false(N("99.9").above);

  /* exactly LEN bytes: the rest of the buffer is not read */
  slac_num x;
  assert_int_equal(slac_num_parse("12.5xyz", 4, &x), SLAC_NUM_OK);
  assert_units(x.units, 12 * E12 + E12 / 2);
  assert_int_equal(slac_num_parse("123", 1, &x), SLAC_NUM_OK);
  assert_units(x.units, E12);

  /* leading zeros do not count toward the 24-digit limit */
  char big[1100];
  memset(big, '0', 1000);
  strcpy(big + 1000, "123.5");
  assert_int_equal(slac_num_parse(big, strlen(big), &x), SLAC_NUM_OK);
  assert_units(x.units, 123 * E12 + E12 / 2);
}

static void test_parse_errors(void **state) {
  (void)state;
  static const char *syntax[] = {"", "-", ".5", "5.", "+5", " 5", "5 ", "1e5", "1.2.3",
                                 "--1", "1,5", "0x10", "-.5", "1.-5", "abc", "١", "1_000"};
  slac_num x = U(42, true);
  for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
    assert_int_equal(slac_num_parse(syntax[i], strlen(syntax[i]), &x), SLAC_NUM_SYNTAX);
    assert_units(x.units, 42); /* untouched on failure */
  }
  assert_int_equal(slac_num_parse("1\0", 2, &x), SLAC_NUM_SYNTAX);
  assert_int_equal(slac_num_parse(NULL, 0, &x), SLAC_NUM_SYNTAX);

  assert_int_equal(slac_num_parse("1.0000000000001", 15, &x), SLAC_NUM_TOO_PRECISE);
  assert_int_equal(slac_num_parse("0.0000000000000", 15, &x), SLAC_NUM_TOO_PRECISE);
  assert_int_equal(slac_num_parse("1000000000000000000000000", 25, &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_parse("-1000000000000000000000000", 26, &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_parse("1000000000000000000000000.0", 27, &x), SLAC_NUM_OVERFLOW);

  /* a thousand digits: OVERFLOW, without UB; with junk: SYNTAX */
  char big[1100];
  memset(big, '9', 1000);
  big[1000] = '\0';
  assert_int_equal(slac_num_parse(big, 1000, &x), SLAC_NUM_OVERFLOW);
  big[1000] = 'x';
  assert_int_equal(slac_num_parse(big, 1001, &x), SLAC_NUM_SYNTAX);
  assert_units(x.units, 42);
}

/* ------------------------------------------------------------------ */
/* Formatting and conversions                                           */
/* ------------------------------------------------------------------ */

static void test_format(void **state) {
  (void)state;
  expect_fmt(N("12.5"), 2, "12.50");
  expect_fmt(N("12.5"), -1, "12.5");
  expect_fmt(N("15"), -1, "15");
  expect_fmt(N("15.000"), -1, "15");
  expect_fmt(N("0"), -1, "0");
  expect_fmt(N("0"), 2, "0.00");
  expect_fmt(N("-0.5"), -1, "-0.5");
  expect_fmt(N("-0.5"), 0, "0");
  expect_fmt(N("7"), 0, "7");
  expect_fmt(N("2.349"), 2, "2.34");
  expect_fmt(N("-2.349"), 2, "-2.34");
  expect_fmt(N("-0.001"), 2, "0.00");
  expect_fmt(N("0.000000000001"), -1, "0.000000000001");
  expect_fmt(N("0.000000000001"), 12, "0.000000000001");
  expect_fmt(N("999999999999999999999999.999999999999"), 12,
             "999999999999999999999999.999999999999");
  expect_fmt(N("-999999999999999999999999.999999999999"), -1,
             "-999999999999999999999999.999999999999");
  expect_fmt(N("18446744073709551616.5"), -1, "18446744073709551616.5");

  /* ABOVE values are truncated toward zero */
  slac_num x;
  assert_int_equal(slac_num_div(N("4319900"), N("43200"), &x), SLAC_NUM_OK);
  expect_fmt(x, 12, "99.997685185185");
  expect_fmt(x, 2, "99.99");
  expect_fmt(x, -1, "99.997685185185");
  slac_num y;
  assert_int_equal(slac_num_neg(x, &y), SLAC_NUM_OK);
  expect_fmt(y, 12, "-99.997685185185");
  expect_fmt(U(-1, true), 12, "0.000000000000"); /* in (-1e-12, 0) */
  expect_fmt(U(-1, true), -1, "0");

  /* snprintf-like truncation, never past SIZE */
  char buf[8];
  memset(buf, 'Z', sizeof buf);
  assert_int_equal(slac_num_format(N("12345.678"), -1, buf, 4), 9);
  assert_string_equal(buf, "123");
  assert_int_equal(buf[4], 'Z');
  assert_int_equal(slac_num_format(N("12345.678"), -1, buf, 1), 9);
  assert_string_equal(buf, "");
  assert_int_equal(slac_num_format(N("12345.678"), -1, NULL, 0), 9);

  /* bad arguments write "" */
  assert_int_equal(slac_num_format(N("1"), 13, buf, sizeof buf), 0);
  assert_string_equal(buf, "");
  assert_int_equal(slac_num_format(N("1"), -2, buf, sizeof buf), 0);
  assert_int_equal(slac_num_format(U((i128)LIMIT, false), 2, buf, sizeof buf), 0);
}

static void test_int_conversions(void **state) {
  (void)state;
  int64_t v = 0;
  assert_units(slac_num_int(15).units, 15 * E12);
  assert_units(slac_num_int(-3).units, -3 * E12);
  assert_int_equal(slac_num_to_int(slac_num_int(INT64_MAX), &v), 0);
  assert_true(v == INT64_MAX);
  assert_int_equal(slac_num_to_int(slac_num_int(INT64_MIN), &v), 0);
  assert_true(v == INT64_MIN);
  assert_int_equal(slac_num_to_int(N("-42"), &v), 0);
  assert_true(v == -42);
  v = 7;
  assert_int_equal(slac_num_to_int(N("2.5"), &v), -1);
  assert_int_equal(slac_num_to_int(U(2 * E12, true), &v), -1);
  assert_int_equal(slac_num_to_int(N("100000000000000000000"), &v), -1);
  assert_int_equal(slac_num_to_int(N("-9223372036854775809"), &v), -1);
  assert_true(v == 7);
  assert_true(slac_num_is_exact(N("1")));
  assert_false(slac_num_is_exact(U(1, true)));
}

static void test_status_text(void **state) {
  (void)state;
  assert_string_equal(slac_num_status_text(SLAC_NUM_OVERFLOW),
                      "number too large (at most 24 digits before the point)");
  assert_string_equal(slac_num_status_text(SLAC_NUM_TOO_PRECISE),
                      "more than 12 digits after the point");
  assert_string_equal(slac_num_status_text(SLAC_NUM_DIVZERO), "division by zero");
  assert_string_equal(slac_num_status_text(SLAC_NUM_SYNTAX), "not a decimal number");
  assert_non_null(slac_num_status_text(SLAC_NUM_OK));
  assert_non_null(slac_num_status_text(SLAC_NUM_INEXACT));
  assert_non_null(slac_num_status_text((slac_num_status)99));
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                           */
/* ------------------------------------------------------------------ */

static void test_add_sub(void **state) {
  (void)state;
  slac_num x;
  assert_int_equal(slac_num_add(N("99.9"), N("0.1"), &x), SLAC_NUM_OK);
  expect(x, "100", false);
  assert_int_equal(slac_num_sub(N("0.1"), N("99.9"), &x), SLAC_NUM_OK);
  expect(x, "-99.8", false);
  assert_int_equal(slac_num_add(N("-0.000000000001"), N("0.000000000001"), &x), SLAC_NUM_OK);
  expect(x, "0", false);

  /* bounds */
  slac_num max = N("999999999999999999999999.999999999999");
  assert_int_equal(slac_num_add(max, N("0.000000000001"), &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_sub(N("-1"), max, &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_sub(max, max, &x), SLAC_NUM_OK);
  expect(x, "0", false);
  assert_int_equal(slac_num_add(max, N("-999999999999999999999999"), &x), SLAC_NUM_OK);
  expect(x, "0.999999999999", false);

  /* one ABOVE operand: 1/3 % error -> 100 - it */
  slac_num third;
  assert_int_equal(slac_num_div(N("1"), N("3"), &third), SLAC_NUM_OK);
  expect(third, "0.333333333333", true);
  assert_int_equal(slac_num_sub(N("100"), third, &x), SLAC_NUM_OK);
  expect(x, "99.666666666666", true);
  assert_int_equal(slac_num_add(third, N("1"), &x), SLAC_NUM_OK);
  expect(x, "1.333333333333", true);
  assert_int_equal(slac_num_add(N("-1"), third, &x), SLAC_NUM_OK);
  expect(x, "-0.666666666667", true);
  assert_int_equal(slac_num_sub(third, N("1"), &x), SLAC_NUM_OK);
  expect(x, "-0.666666666667", true);

  /* two ABOVE operands cannot be decided */
  x = U(5, false);
  assert_int_equal(slac_num_add(third, third, &x), SLAC_NUM_INEXACT);
  assert_int_equal(slac_num_sub(third, third, &x), SLAC_NUM_INEXACT);
  assert_units(x.units, 5);

  /* the "above" overflow edge: a - b with b ABOVE moves one unit down */
  assert_int_equal(slac_num_sub(U(-((i128)LIMIT - 1), false), U(0, true), &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_sub(U(-((i128)LIMIT - 2), false), U(0, true), &x), SLAC_NUM_OK);
  assert_units(x.units, -((i128)LIMIT - 1));
  assert_true(x.above);
}

static void test_neg(void **state) {
  (void)state;
  slac_num x, y;
  assert_int_equal(slac_num_neg(N("2.5"), &x), SLAC_NUM_OK);
  expect(x, "-2.5", false);
  assert_int_equal(slac_num_neg(N("0"), &x), SLAC_NUM_OK);
  expect(x, "0", false);
  assert_int_equal(slac_num_neg(U(5, true), &x), SLAC_NUM_OK); /* (5,6) -> (-6,-5) */
  assert_units(x.units, -6);
  assert_true(x.above);
  assert_int_equal(slac_num_neg(x, &y), SLAC_NUM_OK);
  assert_units(y.units, 5);
  assert_true(y.above);
  assert_int_equal(slac_num_neg(U(-((i128)LIMIT - 1), false), &x), SLAC_NUM_OK);
  assert_units(x.units, (i128)LIMIT - 1);
  assert_int_equal(slac_num_neg(U((i128)LIMIT - 1, true), &x), SLAC_NUM_OVERFLOW);
}

static void test_mul(void **state) {
  (void)state;
  slac_num x, y;
  /* fee 123456789.12 x 15 / 100, both ways */
  assert_int_equal(slac_num_mul(N("123456789.12"), N("15"), &x), SLAC_NUM_OK);
  expect(x, "1851851836.8", false);
  assert_int_equal(slac_num_div(x, N("100"), &y), SLAC_NUM_OK);
  expect(y, "18518518.368", false);
  assert_int_equal(slac_num_round_half_up(y, 2, &x), SLAC_NUM_OK);
  expect(x, "18518518.37", false);
  expect_fmt(x, 2, "18518518.37");
  assert_int_equal(slac_num_mul(N("123456789.12"), N("0.15"), &x), SLAC_NUM_OK);
  expect(x, "18518518.368", false);

  assert_int_equal(slac_num_mul(N("1.5"), N("1.5"), &x), SLAC_NUM_OK);
  expect(x, "2.25", false);
  assert_int_equal(slac_num_mul(N("-1.5"), N("1.5"), &x), SLAC_NUM_OK);
  expect(x, "-2.25", false);
  assert_int_equal(slac_num_mul(N("-1.5"), N("-1.5"), &x), SLAC_NUM_OK);
  expect(x, "2.25", false);
  /* floors below 10^-12, toward minus infinity */
  assert_int_equal(slac_num_mul(N("0.000000000001"), N("0.5"), &x), SLAC_NUM_OK);
  expect(x, "0", true);
  assert_int_equal(slac_num_mul(N("-0.000000000001"), N("0.5"), &x), SLAC_NUM_OK);
  expect(x, "-0.000000000001", true);
  assert_int_equal(slac_num_mul(N("0.000001"), N("0.000001"), &x), SLAC_NUM_OK);
  expect(x, "0.000000000001", false);

  /* overflow: 10^12 * 10^12 = 10^24; just below is fine */
  assert_int_equal(slac_num_mul(N("1000000000000"), N("1000000000000"), &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_mul(N("-1000000000000"), N("1000000000000"), &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_mul(N("999999999999.999999999999"), N("999999999999"), &x), SLAC_NUM_OK);
  expect(x, "999999999998999999999999.000000000001", false);
  slac_num max = N("999999999999999999999999.999999999999");
  assert_int_equal(slac_num_mul(max, max, &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_mul(max, N("1"), &x), SLAC_NUM_OK);
  assert_units(x.units, max.units);
  assert_int_equal(slac_num_mul(max, N("-0.000000000001"), &x), SLAC_NUM_OK);
  expect(x, "-1000000000000", true);

  /* ABOVE operands: only an exact zero decides */
  slac_num third = U(333333333333LL, true);
  assert_int_equal(slac_num_mul(third, N("0"), &x), SLAC_NUM_OK);
  expect(x, "0", false);
  assert_int_equal(slac_num_mul(N("0"), third, &x), SLAC_NUM_OK);
  expect(x, "0", false);
  assert_int_equal(slac_num_mul(third, N("3"), &x), SLAC_NUM_INEXACT);
  assert_int_equal(slac_num_mul(third, third, &x), SLAC_NUM_INEXACT);
}

static void test_div(void **state) {
  (void)state;
  slac_num x, y;
  /* minute metric: 100 * 43199 / 43200 */
  assert_int_equal(slac_num_mul(N("100"), N("43199"), &y), SLAC_NUM_OK);
  assert_int_equal(slac_num_div(y, N("43200"), &x), SLAC_NUM_OK);
  expect(x, "99.997685185185", true);
  assert_int_equal(slac_num_div(N("43199"), N("43200"), &y), SLAC_NUM_OK);
  expect(y, "0.999976851851", true);
  /* 43200 of 43200: exactly 100 */
  assert_int_equal(slac_num_div(N("4320000"), N("43200"), &x), SLAC_NUM_OK);
  expect(x, "100", false);

  assert_int_equal(slac_num_div(N("1"), N("3"), &x), SLAC_NUM_OK);
  expect(x, "0.333333333333", true);
  assert_int_equal(slac_num_div(N("-1"), N("3"), &x), SLAC_NUM_OK);
  expect(x, "-0.333333333334", true);
  assert_int_equal(slac_num_div(N("1"), N("-3"), &x), SLAC_NUM_OK);
  expect(x, "-0.333333333334", true);
  assert_int_equal(slac_num_div(N("-2"), N("-3"), &x), SLAC_NUM_OK);
  expect(x, "0.666666666666", true);
  assert_int_equal(slac_num_div(N("1"), N("4"), &x), SLAC_NUM_OK);
  expect(x, "0.25", false);
  assert_int_equal(slac_num_div(N("-1"), N("8"), &x), SLAC_NUM_OK);
  expect(x, "-0.125", false);

  assert_int_equal(slac_num_div(N("1"), N("0"), &x), SLAC_NUM_DIVZERO);
  assert_int_equal(slac_num_div(N("0"), N("0"), &x), SLAC_NUM_DIVZERO);
  assert_int_equal(slac_num_div(U(1, true), N("0"), &x), SLAC_NUM_DIVZERO);
  assert_int_equal(slac_num_div(U(1, true), N("2"), &x), SLAC_NUM_INEXACT);
  assert_int_equal(slac_num_div(N("2"), U(1, true), &x), SLAC_NUM_INEXACT);
  assert_int_equal(slac_num_div(N("0"), U(1, true), &x), SLAC_NUM_OK);
  expect(x, "0", false);

  /* overflow by division by a small number */
  assert_int_equal(slac_num_div(N("1000000000000"), N("0.000000000001"), &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_div(N("999999999999"), N("0.000000000001"), &x), SLAC_NUM_OK);
  expect(x, "999999999999000000000000", false);
  assert_int_equal(slac_num_div(N("-999999999999999999999999.999999999999"), N("0.1"), &x),
                   SLAC_NUM_OVERFLOW);

  /* big values: dividend * 10^12 > 2^128 and divisor > 2^64 (general path) */
  slac_num max = N("999999999999999999999999.999999999999");
  assert_int_equal(slac_num_div(max, max, &x), SLAC_NUM_OK);
  expect(x, "1", false);
  assert_int_equal(slac_num_div(max, N("123456789012345678901.234567890123"), &x), SLAC_NUM_OK);
  expect(x, "8100.0000729", true);
  assert_int_equal(slac_num_div(N("-123456789012345678901.234567890123"), max, &x), SLAC_NUM_OK);
  expect(x, "-0.000123456790", true);
  /* 2^119 units / 2^70 units = 2^49, exactly */
  assert_int_equal(slac_num_div(N("664613997892457936451903.530140172288"),
                                N("1180591620.717411303424"), &x), SLAC_NUM_OK);
  expect(x, "562949953421312", false);
  assert_int_equal(slac_num_div(N("-664613997892457936451903.530140172288"),
                                N("1180591620.717411303425"), &x), SLAC_NUM_OK);
  expect(x, "-562949953421311.999999523163", true);
}

static void test_cmp(void **state) {
  (void)state;
  int c = 7;
  /* 99.0 exactly is not below 99.0 */
  assert_int_equal(slac_num_cmp(N("99.0"), N("99"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 0);
  assert_int_equal(slac_num_cmp(N("99.9"), N("99.0"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  assert_int_equal(slac_num_cmp(N("-5"), N("3"), &c), SLAC_NUM_OK);
  assert_int_equal(c, -1);

  /* a ABOVE, b exact */
  slac_num a = U(99 * E12, true); /* in (99, 99.000000000001) */
  assert_int_equal(slac_num_cmp(a, N("99"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  assert_int_equal(slac_num_cmp(a, N("99.000000000001"), &c), SLAC_NUM_OK);
  assert_int_equal(c, -1);
  assert_int_equal(slac_num_cmp(a, N("98.999999999999"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  /* mirrored */
  assert_int_equal(slac_num_cmp(N("99"), a, &c), SLAC_NUM_OK);
  assert_int_equal(c, -1);
  assert_int_equal(slac_num_cmp(N("99.000000000001"), a, &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  /* both ABOVE */
  assert_int_equal(slac_num_cmp(a, U(99 * E12 + 1, true), &c), SLAC_NUM_OK);
  assert_int_equal(c, -1);
  assert_int_equal(slac_num_cmp(U(99 * E12 + 1, true), a, &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  c = 7;
  assert_int_equal(slac_num_cmp(a, a, &c), SLAC_NUM_INEXACT);
  assert_int_equal(c, 7);
  /* negative ABOVE: (-1, -1+1e-12) vs -1 and 0 */
  assert_int_equal(slac_num_cmp(U(-E12, true), N("-1"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  assert_int_equal(slac_num_cmp(U(-E12, true), N("-0.999999999999"), &c), SLAC_NUM_OK);
  assert_int_equal(c, -1);

  /* the minute-metric threshold: 99.997685185185... vs 99.99 and 99.9977 */
  slac_num up;
  assert_int_equal(slac_num_div(N("4319900"), N("43200"), &up), SLAC_NUM_OK);
  assert_int_equal(slac_num_cmp(up, N("99.99"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  assert_int_equal(slac_num_cmp(up, N("99.997685185185"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 1);
  assert_int_equal(slac_num_cmp(up, N("99.997685185186"), &c), SLAC_NUM_OK);
  assert_int_equal(c, -1);
}

/* ------------------------------------------------------------------ */
/* Rounding and truncation                                              */
/* ------------------------------------------------------------------ */

static void test_round_half_up(void **state) {
  (void)state;
  slac_num x;
  struct {
    const char *in;
    int digits;
    const char *out;
  } cases[] = {
      {"2.345", 2, "2.35"},       {"2.3449999", 2, "2.34"},    {"2.344", 2, "2.34"},
      {"2.3450001", 2, "2.35"},   {"-2.345", 2, "-2.35"},      {"-2.3449999", 2, "-2.34"},
      {"0.5", 0, "1"},            {"-0.5", 0, "-1"},           {"0.499999999999", 0, "0"},
      {"-0.499999999999", 0, "0"}, {"2.5", 0, "3"},            {"1.005", 2, "1.01"},
      {"123.456", 12, "123.456"}, {"9.995", 2, "10"},
      {"0.000000000005", 11, "0.00000000001"}, {"0.000000000004", 11, "0"},
      {"-0.000000000005", 11, "-0.00000000001"}, {"99.99999999995", 10, "100"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    slac_num in = N(cases[i].in);
    assert_int_equal(slac_num_round_half_up(in, cases[i].digits, &x), SLAC_NUM_OK);
    expect(x, cases[i].out, false);
  }

  /* ABOVE values: strictly between grid points, decided exactly */
  assert_int_equal(slac_num_round_half_up(U(2345000000000LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "2.35", false); /* just over 2.345 */
  assert_int_equal(slac_num_round_half_up(U(2344999999999LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "2.34", false); /* in (2.344999999999, 2.345): below half */
  assert_int_equal(slac_num_round_half_up(U(-2345000000000LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "-2.34", false); /* in (-2.345, -2.344999999999) */
  assert_int_equal(slac_num_round_half_up(U(-2345000000001LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "-2.35", false); /* in (-2.345000000001, -2.345) */
  assert_int_equal(slac_num_round_half_up(U(-1, true), 2, &x), SLAC_NUM_OK);
  expect(x, "0", false);
  slac_num up;
  assert_int_equal(slac_num_div(N("4319900"), N("43200"), &up), SLAC_NUM_OK);
  assert_int_equal(slac_num_round_half_up(up, 3, &x), SLAC_NUM_OK);
  expect(x, "99.998", false);
  assert_int_equal(slac_num_round_half_up(up, 11, &x), SLAC_NUM_OK);
  expect(x, "99.99768518519", false);

  /* 12 digits: exact values unchanged, ABOVE values undecidable */
  assert_int_equal(slac_num_round_half_up(N("1.000000000001"), 12, &x), SLAC_NUM_OK);
  expect(x, "1.000000000001", false);
  assert_int_equal(slac_num_round_half_up(up, 12, &x), SLAC_NUM_INEXACT);

  /* overflow and bad digits */
  slac_num max = N("999999999999999999999999.999999999999");
  assert_int_equal(slac_num_round_half_up(max, 0, &x), SLAC_NUM_OVERFLOW);
  assert_int_equal(slac_num_round_half_up(N("999999999999999999999999.4"), 0, &x), SLAC_NUM_OK);
  expect(x, "999999999999999999999999", false);
  assert_int_equal(slac_num_round_half_up(N("1"), -1, &x), SLAC_NUM_SYNTAX);
  assert_int_equal(slac_num_round_half_up(N("1"), 13, &x), SLAC_NUM_SYNTAX);
}

static void test_trunc(void **state) {
  (void)state;
  slac_num x;
  assert_int_equal(slac_num_trunc(N("2.349"), 2, &x), SLAC_NUM_OK);
  expect(x, "2.34", false);
  assert_int_equal(slac_num_trunc(N("-2.349"), 2, &x), SLAC_NUM_OK);
  expect(x, "-2.34", false);
  assert_int_equal(slac_num_trunc(N("-0.9"), 0, &x), SLAC_NUM_OK);
  expect(x, "0", false);
  assert_int_equal(slac_num_trunc(N("7.000000000001"), 12, &x), SLAC_NUM_OK);
  expect(x, "7.000000000001", false);
  /* ABOVE */
  assert_int_equal(slac_num_trunc(U(2349999999999LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "2.34", false); /* in (2.349999999999, 2.35) */
  assert_int_equal(slac_num_trunc(U(5, true), 12, &x), SLAC_NUM_OK);
  expect(x, "0.000000000005", false);
  assert_int_equal(slac_num_trunc(U(-5, true), 12, &x), SLAC_NUM_OK);
  expect(x, "-0.000000000004", false); /* in (-5e-12, -4e-12) */
  assert_int_equal(slac_num_trunc(U(-2350000000000LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "-2.34", false); /* in (-2.35, -2.349999999999) */
  assert_int_equal(slac_num_trunc(U(-2350000000001LL, true), 2, &x), SLAC_NUM_OK);
  expect(x, "-2.35", false);
  assert_int_equal(slac_num_trunc(U(-E12, true), 0, &x), SLAC_NUM_OK);
  expect(x, "0", false); /* in (-1, -0.999999999999) */
  assert_int_equal(slac_num_trunc(N("1"), 13, &x), SLAC_NUM_SYNTAX);
}

static void test_out_of_range_inputs(void **state) {
  (void)state;
  slac_num bad = U((i128)LIMIT, false), one = N("1"), x;
  slac_num worst = U(-(i128)(((u128)1 << 127) - 1) - 1, false); /* INT128_MIN */
  int c;
  slac_num bads[2] = {bad, worst};
  for (int i = 0; i < 2; i++) {
    assert_int_equal(slac_num_add(bads[i], one, &x), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_sub(one, bads[i], &x), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_mul(bads[i], one, &x), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_div(one, bads[i], &x), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_neg(bads[i], &x), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_cmp(bads[i], one, &c), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_round_half_up(bads[i], 2, &x), SLAC_NUM_OVERFLOW);
    assert_int_equal(slac_num_trunc(bads[i], 2, &x), SLAC_NUM_OVERFLOW);
    int64_t v;
    assert_int_equal(slac_num_to_int(bads[i], &v), -1);
  }
}

/* ------------------------------------------------------------------ */
/* Randomized cross-checks against GMP                                  */
/* ------------------------------------------------------------------ */

#define RANDOM_CASES 60000

static void test_random_mul_div_cmp(void **state) {
  (void)state;
  mpz_t a, b, num, den, e12;
  mpz_inits(a, b, num, den, e12, NULL);
  mpz_ui_pow_ui(e12, 10, 12);
  rng_state = 0x9e3779b97f4a7c15ULL;
  int overflow_mul = 0, ok_div = 0;
  for (int i = 0; i < RANDOM_CASES; i++) {
    slac_num x = U(rnd_units(), false), y = U(rnd_units(), false), got, want;
    slac_num_status st, wst;
    mpz_set_i128(a, x.units);
    mpz_set_i128(b, y.units);

    /* mul: floor(a * b / 10^12) */
    mpz_mul(num, a, b);
    wst = oracle_floor(num, e12, &want);
    st = slac_num_mul(x, y, &got);
    check_same(st, got, wst, want);
    overflow_mul += wst == SLAC_NUM_OVERFLOW;

    /* div: floor(a * 10^12 / b) */
    if (y.units == 0) {
      assert_int_equal(slac_num_div(x, y, &got), SLAC_NUM_DIVZERO);
    } else {
      mpz_mul(num, a, e12);
      wst = oracle_floor(num, b, &want);
      st = slac_num_div(x, y, &got);
      check_same(st, got, wst, want);
      ok_div += wst == SLAC_NUM_OK;
    }

    /* cmp */
    int c = 9;
    assert_int_equal(slac_num_cmp(x, y, &c), SLAC_NUM_OK);
    int wc = mpz_cmp(a, b);
    assert_int_equal(c, wc < 0 ? -1 : wc > 0 ? 1 : 0);
  }
  /* the generator reaches both outcomes often */
  assert_true(overflow_mul > RANDOM_CASES / 10);
  assert_true(ok_div > RANDOM_CASES / 10);
  mpz_clears(a, b, num, den, e12, NULL);
}

/* Values with ABOVE, made by division: the exact value is the rational
 * A * 10^12 / B (in units).  Check add/sub with an exact operand, neg,
 * cmp, round_half_up and trunc against that rational. */
static void test_random_above(void **state) {
  (void)state;
  mpz_t a, b, y, num, den, e12, step, lim;
  mpq_t X, Y, R;
  mpz_inits(a, b, y, num, den, e12, step, lim, NULL);
  mpz_set_i128(lim, (i128)LIMIT);
  mpq_inits(X, Y, R, NULL);
  mpz_ui_pow_ui(e12, 10, 12);
  rng_state = 0x1234567887654321ULL;
  int aboves = 0;
  for (int i = 0; i < RANDOM_CASES; i++) {
    slac_num na = U(rnd_units(), false), nb = U(rnd_units(), false), x, got, want;
    if (nb.units == 0 || slac_num_div(na, nb, &x) != SLAC_NUM_OK)
      continue;
    aboves += x.above;
    mpz_set_i128(a, na.units);
    mpz_set_i128(b, nb.units);
    mpz_mul(num, a, e12);
    mpq_set_num(X, num);
    mpq_set_den(X, b);
    mpq_canonicalize(X); /* X: the exact value of x, in units */

    slac_num ny = U(rnd() % 4 == 0 ? x.units + (i128)(rnd() % 3) - 1 : rnd_units(), false);
    if (ny.units <= -(i128)LIMIT || ny.units >= (i128)LIMIT)
      ny.units = 0;
    mpz_set_i128(y, ny.units);
    mpq_set_z(Y, y);

    /* cmp with an exact value is always decided */
    int c = 9;
    assert_int_equal(slac_num_cmp(x, ny, &c), SLAC_NUM_OK);
    int wc = mpq_cmp(X, Y);
    assert_int_equal(c, wc < 0 ? -1 : wc > 0 ? 1 : 0);
    assert_int_equal(slac_num_cmp(ny, x, &c), SLAC_NUM_OK);
    assert_int_equal(c, wc < 0 ? 1 : wc > 0 ? -1 : 0);

    /* x + y, x - y, y - x, -x */
    for (int op = 0; op < 4; op++) {
      slac_num_status st;
      if (op == 0) {
        mpq_add(R, X, Y);
        st = slac_num_add(x, ny, &got);
      } else if (op == 1) {
        mpq_sub(R, X, Y);
        st = slac_num_sub(x, ny, &got);
      } else if (op == 2) {
        mpq_sub(R, Y, X);
        st = slac_num_sub(ny, x, &got);
      } else {
        mpq_neg(R, X);
        st = slac_num_neg(x, &got);
      }
      slac_num_status wst = oracle_floor(mpq_numref(R), mpq_denref(R), &want);
      check_same(st, got, wst, want);
    }

    /* round half away from zero and trunc, to every digit count */
    int d = (int)(rnd() % 13);
    mpz_ui_pow_ui(step, 10, (unsigned long)(12 - d));
    /* |X| = |A| 10^12 / |B|; round: floor((2|A|10^12 + step|B|) / (2 step |B|)) */
    mpz_abs(num, num);
    mpz_abs(b, b);
    mpz_mul(den, step, b);
    mpz_t k;
    mpz_init(k);
    mpz_fdiv_q(k, num, den); /* trunc */
    mpz_mul(k, k, step);
    if (mpq_sgn(X) < 0)
      mpz_neg(k, k);
    assert_int_equal(slac_num_trunc(x, d, &got), SLAC_NUM_OK);
    assert_units(got.units, mpz_get_i128(k));
    assert_false(got.above);

    mpz_mul_2exp(num, num, 1);
    mpz_add(num, num, den);
    mpz_mul_2exp(den, den, 1);
    mpz_fdiv_q(k, num, den);
    mpz_mul(k, k, step);
    if (mpq_sgn(X) < 0)
      mpz_neg(k, k);
    slac_num_status st = slac_num_round_half_up(x, d, &got);
    if (d == 12 && x.above) {
      assert_int_equal(st, SLAC_NUM_INEXACT);
    } else if (mpz_cmpabs(k, lim) >= 0) {
      assert_int_equal(st, SLAC_NUM_OVERFLOW);
    } else {
      assert_int_equal(st, SLAC_NUM_OK);
      assert_units(got.units, mpz_get_i128(k));
      assert_false(got.above);
    }
    mpz_clear(k);
  }
  assert_true(aboves > RANDOM_CASES / 4);
  mpq_clears(X, Y, R, NULL);
  mpz_clears(a, b, y, num, den, e12, step, lim, NULL);
}

/* Exact values: round_half_up and trunc against integer arithmetic, and
 * format/parse round trips. */
static void test_random_round_format(void **state) {
  (void)state;
  mpz_t a, q, r, step, k, lim;
  mpz_inits(a, q, r, step, k, lim, NULL);
  mpz_set_i128(lim, (i128)LIMIT);
  rng_state = 0x0badc0ffee0ddf00ULL;
  for (int i = 0; i < RANDOM_CASES; i++) {
    slac_num x = U(rnd_units(), false), got, back;
    int d = (int)(rnd() % 13);
    mpz_set_i128(a, x.units);
    mpz_ui_pow_ui(step, 10, (unsigned long)(12 - d));
    /* magnitude: |a| = q step + r; half up when 2r >= step */
    mpz_abs(k, a);
    mpz_fdiv_qr(q, r, k, step);
    mpz_mul_2exp(r, r, 1);
    if (mpz_cmp(r, step) >= 0)
      mpz_add_ui(q, q, 1);
    mpz_mul(k, q, step);
    if (mpz_sgn(a) < 0)
      mpz_neg(k, k);
    slac_num_status st = slac_num_round_half_up(x, d, &got);
    if (mpz_cmpabs(k, lim) >= 0) {
      assert_int_equal(st, SLAC_NUM_OVERFLOW);
    } else {
      assert_int_equal(st, SLAC_NUM_OK);
      assert_units(got.units, mpz_get_i128(k));
    }

    /* format with -1 and 12 digits, then parse back: same value */
    char buf[64];
    size_t n = slac_num_format(x, i % 2 ? -1 : 12, buf, sizeof buf);
    assert_true(n < sizeof buf);
    assert_int_equal(slac_num_parse(buf, n, &back), SLAC_NUM_OK);
    assert_units(back.units, x.units);
    /* format with D digits = format of the truncation */
    slac_num t;
    char buf2[64];
    assert_int_equal(slac_num_trunc(x, d, &t), SLAC_NUM_OK);
    slac_num_format(x, d, buf, sizeof buf);
    slac_num_format(t, d, buf2, sizeof buf2);
    assert_string_equal(buf, buf2);
    assert_int_equal(slac_num_parse(buf, strlen(buf), &back), SLAC_NUM_OK);
    assert_units(back.units, t.units);
  }
  mpz_clears(a, q, r, step, k, lim, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_valid),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_format),
      cmocka_unit_test(test_int_conversions),
      cmocka_unit_test(test_status_text),
      cmocka_unit_test(test_add_sub),
      cmocka_unit_test(test_neg),
      cmocka_unit_test(test_mul),
      cmocka_unit_test(test_div),
      cmocka_unit_test(test_cmp),
      cmocka_unit_test(test_round_half_up),
      cmocka_unit_test(test_trunc),
      cmocka_unit_test(test_out_of_range_inputs),
      cmocka_unit_test(test_random_mul_div_cmp),
      cmocka_unit_test(test_random_above),
      cmocka_unit_test(test_random_round_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
