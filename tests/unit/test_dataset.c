/* test_dataset.c - unit tests of runtime/data/dataset.c: the account map
 * under names crafted against the hash it had before issue 15 (a fixed
 * function: such names all fell into one run of index slots), the order of
 * the accounts whatever the hash key, and months touched out of order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/data/dataset.h"
#include "support.h"

static slac_program *saleor;

static int setup(void **state) {
  (void)state;
  saleor = test_load_shipped_policy("saleor.sla");
  return saleor ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  slac_program_free(saleor);
  return 0;
}

/* The account hash of dataset.c before issue 15, unkeyed: anyone could
 * compute it, and so pick names that share their low bits. */
static uint32_t old_hash(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15u ^ n;
  uint64_t w;
  if (n < 8) {
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
  } else {
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
      memcpy(&w, s + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
    memcpy(&w, s + n - 8, 8);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
  }
  h ^= h >> 32;
  return (uint32_t)h;
}

#define NNAMES 20000
typedef struct {
  char name[NNAMES][12];
} names;

/* NNAMES distinct names; with COLLIDE, all of them with the old hash's
 * low 16 bits in one run of 64 values: one cluster of index slots at
 * every table size up to 65,536 slots. */
static void make_names(names *v, int collide) {
  unsigned k = 0;
  for (size_t i = 0; i < NNAMES; k++) {
    int n = snprintf(v->name[i], sizeof v->name[i], "c%07u", k);
    if (!collide || (old_hash(v->name[i], (size_t)n) & 0xFFFF) - 0x1200u < 64) i++;
  }
}

static void fill_and_find(void *arg) {
  const names *v = arg;
  slac_dataset ds;
  assert_int_equal(slac_dataset_init(&ds, saleor), 0);
  for (size_t i = 0; i < NNAMES; i++)
    assert_non_null(slac_dataset_get(&ds, v->name[i], strlen(v->name[i]), 1, (long)i + 2));
  for (size_t i = 0; i < NNAMES; i++) {
    slac_account *a = slac_dataset_find(&ds, v->name[i], strlen(v->name[i]));
    assert_non_null(a);
    assert_int_equal(a - ds.accounts, i);
  }
  assert_int_equal(ds.naccounts, NNAMES);
  slac_dataset_free(&ds);
}

/* Issue 15: 200,000 such names took 97 s against 1.3 s.  Here 20,000,
 * against 20,000 ordinary names: the same work, within a generous bound
 * (before the fix: about 50 times as much). */
static void test_crafted_names_do_not_flood(void **state) {
  (void)state;
  names *plain = malloc(sizeof *plain), *crafted = malloc(sizeof *crafted);
  assert_non_null(plain);
  assert_non_null(crafted);
  make_names(plain, 0);
  make_names(crafted, 1);
  double t_crafted = test_best_cpu(3, fill_and_find, crafted);
  double t_plain = test_best_cpu(3, fill_and_find, plain);
  print_message("ordinary names %.4f s, crafted names %.4f s\n", t_plain, t_crafted);
  assert_true(t_crafted < 5 * t_plain + 0.005);
  free(plain);
  free(crafted);
}

/* The key decides where a name sits in the index, never the order of the
 * accounts, which is the order of their first rows (and so of the report). */
static void test_order_does_not_depend_on_the_key(void **state) {
  (void)state;
  static const char *const v[] = {"zeta", "alpha", "mid", "b", "a-much-longer-account-name", "alpha"};
  slac_hash_key keys[3] = {{0, 0}, {1, 2}, {UINT64_C(0xdeadbeefcafebabe), 42}};
  for (int k = 0; k < 3; k++) {
    slac_dataset ds;
    assert_int_equal(slac_dataset_init(&ds, saleor), 0);
    ds.key = keys[k];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
      assert_non_null(slac_dataset_get(&ds, v[i], strlen(v[i]), 1, (long)i + 2));
    assert_int_equal(ds.naccounts, 5);
    for (size_t i = 0; i < 5; i++) assert_string_equal(ds.accounts[i].name, v[i]);
    assert_int_equal(slac_dataset_find(&ds, "alpha", 5) - ds.accounts, 1);
    assert_null(slac_dataset_find(&ds, "alph", 4));
    slac_dataset_free(&ds);
  }
}

/* Months touched in decreasing order (an incidents file newest first over
 * centuries): each one was inserted at the front of the sorted list,
 * moving all the others.  Now the same work as in increasing order. */
#define NTOUCH 100000
static void touch_months(void *arg) {
  bool decreasing = *(bool *)arg;
  slac_dataset ds;
  assert_int_equal(slac_dataset_init(&ds, saleor), 0);
  for (slac_month k = 0; k < NTOUCH; k++)
    assert_int_equal(slac_dataset_touch(&ds, decreasing ? 12 + NTOUCH - 1 - k : 12 + k), 0);
  assert_int_equal(slac_dataset_flush(&ds), 0);
  assert_int_equal(ds.nmonths, NTOUCH);
  for (size_t k = 0; k < NTOUCH; k += 997) assert_int_equal(ds.months[k], 12 + (slac_month)k);
  slac_dataset_free(&ds);
}

static void test_months_out_of_order(void **state) {
  (void)state;
  bool inc = false, dec = true;
  double t_dec = test_best_cpu(3, touch_months, &dec);
  double t_inc = test_best_cpu(3, touch_months, &inc);
  print_message("months in increasing order %.4f s, decreasing %.4f s\n", t_inc, t_dec);
  assert_true(t_dec < 5 * t_inc + 0.005);
  /* a few out of order, repeated, and months outside the calendar of the
   * data (never read from timestamps, kept in order all the same) */
  slac_dataset ds;
  assert_int_equal(slac_dataset_init(&ds, saleor), 0);
  static const slac_month touched[] = {500, 20, 500, 21, 7, 20, 130000, -3, 499, 12, 7};
  static const slac_month want[] = {-3, 7, 12, 20, 21, 499, 500, 130000};
  for (size_t i = 0; i < sizeof touched / sizeof touched[0]; i++)
    assert_int_equal(slac_dataset_touch(&ds, touched[i]), 0);
  assert_int_equal(slac_dataset_flush(&ds), 0);
  assert_int_equal(ds.nmonths, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < ds.nmonths; i++) assert_int_equal(ds.months[i], want[i]);
  slac_dataset_free(&ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_crafted_names_do_not_flood),
      cmocka_unit_test(test_order_does_not_depend_on_the_key),
      cmocka_unit_test(test_months_out_of_order),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
