/* test_errorrate.c - unit tests of runtime/data/errorrate.c: the fixed-point
 * bound slac_ratesum (exact terms, the decided/undecided boundary) and
 * the GMP fallback slac_exactsum, cross-checked against a direct GMP
 * rational sum on random groups (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gmp.h>

#include "runtime/data/errorrate.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define E12 1000000000000LL
#define E15 1000000000000000ULL
#define E16 10000000000000000ULL

static void assert_u128(u128 got, u128 want) { assert_true(got == want); }

static slac_num N(const char *s) {
  slac_num x;
  assert_int_equal(slac_num_parse(s, strlen(s), &x), SLAC_NUM_OK);
  return x;
}

static void expect(slac_num x, const char *text, bool above) {
  slac_num want = N(text);
  if (x.units != want.units || x.above != above) {
    char buf[64];
    slac_num_format(x, 12, buf, sizeof buf);
    print_error("got %s%s, want %s%s\n", buf, x.above ? "+" : "", text, above ? "+" : "");
    fail();
  }
}

static uint64_t rng_state;

static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dULL;
}

static void mpz_set_u64(mpz_t z, uint64_t v) { mpz_import(z, 1, -1, sizeof v, 0, 0, &v); }

static u128 mpz_get_u128(const mpz_t z) {
  uint64_t w[2] = {0, 0};
  assert_true(mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= 128);
  mpz_export(w, NULL, -1, sizeof w[0], 0, 0, z);
  return ((u128)w[1] << 64) | w[0];
}

/* units = floor(S * 10^14 / W), above iff not integral, from a plain
 * GMP rational S. */
static slac_num oracle_percent(const mpq_t s, uint64_t windows) {
  mpz_t num, den, q, r;
  mpz_inits(num, den, q, r, NULL);
  mpz_ui_pow_ui(num, 10, 14);
  mpz_mul(num, num, mpq_numref(s));
  mpz_set_u64(den, windows);
  mpz_mul(den, den, mpq_denref(s));
  mpz_fdiv_qr(q, r, num, den);
  slac_num x;
  x.units = (i128)mpz_get_u128(q);
  x.above = mpz_sgn(r) != 0;
  mpz_clears(num, den, q, r, NULL);
  return x;
}

/* ------------------------------------------------------------------ */

/* 8,640 windows (a 30-day month of 5-minute windows) at exactly 1%
 * errors, in RS and in the exact sum returned. */
static slac_exactsum *one_percent_8640(slac_ratesum *rs) {
  slac_exactsum *xs = slac_exactsum_new();
  assert_non_null(xs);
  for (int i = 0; i < 8640; i++) {
    slac_ratesum_add(rs, 1, 100);
    slac_exactsum_add(xs, 1, 100);
  }
  return xs;
}

static void test_one_percent_8640(void **state) {
  (void)state;
  slac_ratesum rs = {0, 0};
  slac_exactsum *xs = one_percent_8640(&rs);
  assert_true(rs.inexact == 0); /* 1% is a terminating decimal */
  assert_u128(rs.floor_sum, (u128)8640 * E15 * E15 / 100);
  slac_num pct, up;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 8640, &pct), 0);
  expect(pct, "1", false);
  assert_true(pct.units == E12);
  assert_int_equal(slac_exactsum_percent(xs, 0, 8640, &pct), SLAC_NUM_OK);
  expect(pct, "1", false);

  /* uptime = 100 - 1 = 99 exactly: not below 99.0 */
  assert_int_equal(slac_num_sub(N("100"), pct, &up), SLAC_NUM_OK);
  int c = 7;
  assert_int_equal(slac_num_cmp(up, N("99.0"), &c), SLAC_NUM_OK);
  assert_int_equal(c, 0);
  slac_exactsum_free(xs);
}

static void test_thirds_alternating(void **state) {
  (void)state;
  slac_ratesum rs = {0, 0};
  slac_exactsum *xs = slac_exactsum_new();
  assert_non_null(xs);
  for (int i = 0; i < 8640; i++) {
    uint64_t e = i % 2 ? 2 : 1;
    slac_ratesum_add(&rs, e, 3);
    slac_exactsum_add(xs, e, 3);
  }
  /* floor(10^30/3) + floor(2*10^30/3) = 10^30 - 1 per pair */
  assert_true(rs.inexact == 8640);
  assert_u128(rs.floor_sum, (u128)4320 * E15 * E15 - 4320);
  /* The true sum 4320 is exactly 50%, a grid point inside the bound's
   * interval: the bound cannot decide. */
  slac_num pct = {0, false};
  assert_int_equal(slac_ratesum_percent(&rs, 0, 8640, &pct), 1);
  assert_int_equal(slac_exactsum_percent(xs, 0, 8640, &pct), SLAC_NUM_OK);
  expect(pct, "50", false);
  assert_true(pct.units == 50 * E12);
  slac_exactsum_free(xs);
}

/* --what-if: failed windows add whole terms, in both sums.  8,640 windows
 * at 1% and 1 more failing entirely: 100 x 87.4 / 8640 =
 * 1.01157407407407407...%; with 864 failing: 100 x (86.4 + 864) / 8640 = 11%. */
static void test_failed_windows(void **state) {
  (void)state;
  slac_ratesum rs = {0, 0};
  slac_exactsum *xs = one_percent_8640(&rs);
  slac_num pct;
  assert_int_equal(slac_ratesum_percent(&rs, 1, 8640, &pct), 0);
  expect(pct, "1.011574074074", true);
  assert_int_equal(slac_exactsum_percent(xs, 1, 8640, &pct), SLAC_NUM_OK);
  expect(pct, "1.011574074074", true);
  assert_int_equal(slac_ratesum_percent(&rs, 864, 8640, &pct), 0);
  expect(pct, "11", false);
  assert_int_equal(slac_exactsum_percent(xs, 864, 8640, &pct), SLAC_NUM_OK);
  expect(pct, "11", false);
  /* more failed windows than windows: out of contract for the bound */
  assert_int_equal(slac_ratesum_percent(&rs, 8641, 8640, &pct), 1);
  slac_exactsum_free(xs);

  /* every window failed, none had requests before: exactly 100% */
  slac_ratesum none = {0, 0};
  assert_int_equal(slac_ratesum_percent(&none, 8640, 8640, &pct), 0);
  expect(pct, "100", false);
}

static void test_single_third(void **state) {
  (void)state;
  slac_ratesum rs = {0, 0};
  slac_ratesum_add(&rs, 1, 3);
  assert_true(rs.inexact == 1);
  slac_num pct;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 1, &pct), 0);
  expect(pct, "33.333333333333", true);

  slac_exactsum *xs = slac_exactsum_new();
  assert_non_null(xs);
  slac_exactsum_add(xs, 1, 3);
  assert_int_equal(slac_exactsum_percent(xs, 0, 1, &pct), SLAC_NUM_OK);
  expect(pct, "33.333333333333", true);
  /* 8640 windows, one of them at 1/3: 1/3 * 100 / 8640 % */
  assert_int_equal(slac_ratesum_percent(&rs, 0, 8640, &pct), 0);
  expect(pct, "0.003858024691", true);
  assert_int_equal(slac_exactsum_percent(xs, 0, 8640, &pct), SLAC_NUM_OK);
  expect(pct, "0.003858024691", true);
  slac_exactsum_free(xs);
}

static void test_terms_exact_values(void **state) {
  (void)state;
  slac_ratesum rs = {0, 0};
  slac_ratesum_add(&rs, 0, 5); /* zero errors: nothing */
  slac_ratesum_add(&rs, 3, 0); /* no requests: rate 0, ignored */
  assert_u128(rs.floor_sum, 0);
  assert_true(rs.inexact == 0);
  slac_ratesum_add(&rs, UINT64_MAX, UINT64_MAX);
  assert_u128(rs.floor_sum, (u128)E15 * E15);
  assert_true(rs.inexact == 0);
  slac_ratesum_add(&rs, 1, 8);
  assert_u128(rs.floor_sum, (u128)E15 * E15 + (u128)E15 * E15 / 8);
  assert_true(rs.inexact == 0);
  slac_num pct;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 2, &pct), 0);
  expect(pct, "56.25", false);
}

/* Every single term against GMP's floor(e * 10^30 / r). */
static void test_terms_random_vs_gmp(void **state) {
  (void)state;
  mpz_t num, den, q, r;
  mpz_inits(num, den, q, r, NULL);
  rng_state = 0x5eed5eed5eed5eedULL;
  for (int i = 0; i < 50000; i++) {
    uint64_t req, err;
    switch (i % 4) {
    case 0: req = rnd() | 1; break;                          /* full 64 bits */
    case 1: req = 1 + rnd() % 1000000; break;                /* realistic */
    case 2: req = UINT64_MAX - rnd() % 1000; break;          /* near the top */
    default: req = 1 + (rnd() >> (rnd() % 64)); break;       /* any size */
    }
    err = i % 8 == 7 ? req : rnd() % req + (rnd() % 2);
    if (err > req)
      err = req;
    slac_ratesum rs = {0, 0};
    slac_ratesum_add(&rs, err, req);
    mpz_set_u64(num, err);
    mpz_ui_pow_ui(q, 10, 30);
    mpz_mul(num, num, q);
    mpz_set_u64(den, req);
    mpz_fdiv_qr(q, r, num, den);
    if (err == 0) {
      assert_u128(rs.floor_sum, 0);
      assert_true(rs.inexact == 0);
    } else {
      assert_u128(rs.floor_sum, mpz_get_u128(q));
      assert_true(rs.inexact == (mpz_sgn(r) != 0));
    }
  }
  mpz_clears(num, den, q, r, NULL);
}

/* The decision rule on hand-built sums: D = 10^16 * W. */
static void test_percent_boundary(void **state) {
  (void)state;
  slac_num pct = {0, false};
  u128 d = (u128)E16 * 3;
  slac_ratesum rs;

  rs.floor_sum = d;
  rs.inexact = 0;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 3, &pct), 0);
  expect(pct, "0.000000000001", false);

  rs.floor_sum = d - 1;
  rs.inexact = 0;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 3, &pct), 0);
  expect(pct, "0", true);

  rs.floor_sum = d - 1; /* true sum in (d-1, d): still below d */
  rs.inexact = 1;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 3, &pct), 0);
  expect(pct, "0", true);

  rs.floor_sum = d - 1; /* true sum in (d-1, d+1): may reach d */
  rs.inexact = 2;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 3, &pct), 1);

  rs.floor_sum = d; /* in (d, d+5): floor 1 unit, above */
  rs.inexact = 5;
  assert_int_equal(slac_ratesum_percent(&rs, 0, 3, &pct), 0);
  expect(pct, "0.000000000001", true);

  /* windows outside 1..SLAC_RATESUM_MAX_WINDOWS */
  assert_int_equal(slac_ratesum_percent(&rs, 0, 0, &pct), 1);
  assert_int_equal(slac_ratesum_percent(&rs, 0, SLAC_RATESUM_MAX_WINDOWS + 1, &pct), 1);
  slac_exactsum *xs = slac_exactsum_new();
  assert_non_null(xs);
  assert_int_equal(slac_exactsum_percent(xs, 0, 0, &pct), SLAC_NUM_DIVZERO);
  assert_int_equal(slac_exactsum_percent(xs, 0, 8640, &pct), SLAC_NUM_OK);
  expect(pct, "0", false); /* empty sum */
  slac_exactsum_free(xs);
  slac_exactsum_free(NULL);
}

/* The largest month: one-second windows, every request failing. */
static void test_max_windows_all_failing(void **state) {
  (void)state;
  slac_ratesum rs = {0, 0};
  for (uint32_t i = 0; i < SLAC_RATESUM_MAX_WINDOWS; i++)
    slac_ratesum_add(&rs, UINT64_MAX, UINT64_MAX);
  slac_num pct;
  assert_int_equal(slac_ratesum_percent(&rs, 0, SLAC_RATESUM_MAX_WINDOWS, &pct), 0);
  expect(pct, "100", false);
  /* and one window less than all failing */
  slac_ratesum rs2 = {0, 0};
  for (uint32_t i = 1; i < SLAC_RATESUM_MAX_WINDOWS; i++)
    slac_ratesum_add(&rs2, 7, 7);
  assert_int_equal(slac_ratesum_percent(&rs2, 0, SLAC_RATESUM_MAX_WINDOWS, &pct), 0);
  expect(pct, "99.999962664277", true); /* 100 * 2678399 / 2678400 */
}

/* Random groups: whenever the bound decides, it agrees with the exact
 * sum; the exact sum agrees with a direct GMP rational sum. */
static void test_random_groups(void **state) {
  (void)state;
  rng_state = 0xfeedfacecafebeefULL;
  int decided = 0, groups = 0;
  mpq_t s, t;
  mpq_inits(s, t, NULL);
  for (int g = 0; g < 40; g++) {
    uint64_t windows = g % 5 == 0 ? 288 : 8640;
    slac_ratesum rs = {0, 0};
    slac_exactsum *xs = slac_exactsum_new();
    assert_non_null(xs);
    mpq_set_ui(s, 0, 1);
    for (uint64_t w = 0; w < windows; w++) {
      uint64_t kind = rnd() % 10, req, err;
      if (kind == 0 && g % 4 != 3)
        continue; /* no row */
      if (g % 4 == 0) {
        req = 100;
        err = rnd() % 3; /* terminating: mostly exact */
      } else if (g % 4 == 1) {
        req = 1 + rnd() % 5000;
        err = kind < 8 ? 0 : rnd() % (req + 1);
      } else if (g % 4 == 2) {
        req = 1 + (rnd() >> (rnd() % 64));
        err = rnd() % (req / 2 + 1);
      } else {
        req = 3;
        err = 1 + w % 2; /* thirds: close to undecidable */
      }
      slac_ratesum_add(&rs, err, req);
      slac_exactsum_add(xs, err, req);
      if (err != 0) {
        mpz_set_u64(mpq_numref(t), err);
        mpz_set_u64(mpq_denref(t), req);
        mpq_canonicalize(t);
        mpq_add(s, s, t);
      }
    }
    slac_num want = oracle_percent(s, windows), exact, bound;
    assert_int_equal(slac_exactsum_percent(xs, 0, windows, &exact), SLAC_NUM_OK);
    assert_true(exact.units == want.units);
    assert_int_equal(exact.above, want.above);
    if (slac_ratesum_percent(&rs, 0, windows, &bound) == 0) {
      decided++;
      assert_true(bound.units == want.units);
      assert_int_equal(bound.above, want.above);
    }
    groups++;
    slac_exactsum_free(xs);
  }
  assert_true(decided >= groups / 2);
  assert_true(decided < groups); /* the thirds groups are undecided */
  mpq_clears(s, t, NULL);
}

/* Many unrelated denominators: the fallback still returns the exact
 * result (large intermediate denominators, balanced merging). */
static void test_exactsum_unrelated_denominators(void **state) {
  (void)state;
  slac_exactsum *xs = slac_exactsum_new();
  assert_non_null(xs);
  mpq_t s, t;
  mpq_inits(s, t, NULL);
  rng_state = 0xabcdef0123456789ULL;
  for (int w = 0; w < 8640; w++) {
    uint64_t req = (rnd() >> 1) | 1, err = rnd() % req;
    slac_exactsum_add(xs, err, req);
    if (err != 0) {
      mpz_set_u64(mpq_numref(t), err);
      mpz_set_u64(mpq_denref(t), req);
      mpq_canonicalize(t);
      mpq_add(s, s, t);
    }
  }
  slac_num want = oracle_percent(s, 8640), got;
  assert_int_equal(slac_exactsum_percent(xs, 0, 8640, &got), SLAC_NUM_OK);
  assert_true(got.units == want.units);
  assert_int_equal(got.above, want.above);
  /* percent is const: asking twice gives the same answer */
  assert_int_equal(slac_exactsum_percent(xs, 0, 8640, &got), SLAC_NUM_OK);
  assert_true(got.units == want.units);
  mpq_clears(s, t, NULL);
  slac_exactsum_free(xs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_percent_8640),
      cmocka_unit_test(test_thirds_alternating),
      cmocka_unit_test(test_single_third),
      cmocka_unit_test(test_failed_windows),
      cmocka_unit_test(test_terms_exact_values),
      cmocka_unit_test(test_terms_random_vs_gmp),
      cmocka_unit_test(test_percent_boundary),
      cmocka_unit_test(test_max_windows_all_failing),
      cmocka_unit_test(test_random_groups),
      cmocka_unit_test(test_exactsum_unrelated_denominators),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
