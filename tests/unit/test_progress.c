/* test_progress.c - the progress line of slac eval (runtime/base/progress.h):
 * the exact text for given numbers (sizes in the total's unit, truncated;
 * the rate in its own unit; the time left rounded up), and the counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "runtime/base/progress.h"

#define KiB UINT64_C(1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)

static const char *line(uint64_t done, uint64_t total, uint64_t ms, bool finished) {
  static char buf[256];
  size_t n = slac_progress_line(buf, sizeof buf, done, total, ms, finished);
  assert_int_equal(n, strlen(buf));
  return buf;
}

static void test_nothing_read_yet(void **state) {
  (void)state;
  /* no rate and no time left before a byte and a millisecond */
  assert_string_equal(line(0, 48 * MiB, 0, false), "slac: reading data: 0.0 of 48.0 MiB (0%)");
  assert_string_equal(line(0, 48 * MiB, 700, false), "slac: reading data: 0.0 of 48.0 MiB (0%)");
  assert_string_equal(line(0, 0, 0, false), "slac: reading data: 0.0 of 0.0 B (100%)");
}

static void test_under_way(void **state) {
  (void)state;
  /* 12 MiB in 2 s: 6 MiB/s, 36 MiB left: 6 s */
  assert_string_equal(line(12 * MiB, 48 * MiB, 2000, false),
                      "slac: reading data: 12.0 of 48.0 MiB (25%), 6.0 MiB/s, 6 s left");
  /* 1000 of 3001 bytes in 1 s: 1000 B/s (under a KiB), 2001 ms left: 3 s
   * (rounded up); 1000 B = 0.97 KiB and 3001 B = 2.93 KiB, truncated */
  assert_string_equal(line(1000, 3001, 1000, false),
                      "slac: reading data: 0.9 of 2.9 KiB (33%), 1000.0 B/s, 3 s left");
  /* 1 GiB of 11 in 65 s: 16,519,104.98 B/s = 15.75 MiB/s; 10 GiB left take
   * 650 s = 10 min 50 s; 100/11 = 9.09% */
  assert_string_equal(line(GiB, 11 * GiB, 65000, false),
                      "slac: reading data: 1.0 of 11.0 GiB (9%), 15.7 MiB/s, 10 min 50 s left");
  /* 1 MiB of 1 GiB in 10 s: 104,857.6 B/s = 102.4 KiB/s; 1023 MiB left
   * take 10,230 s = 2 h 50 min 30 s, shown to the minute */
  assert_string_equal(line(MiB, GiB, 10000, false),
                      "slac: reading data: 0.0 of 1.0 GiB (0%), 102.4 KiB/s, 2 h 50 min left");
}

static void test_finished(void **state) {
  (void)state;
  assert_string_equal(line(48 * MiB, 48 * MiB, 2000, true),
                      "slac: read data: 48.0 of 48.0 MiB in 2.0 s (24.0 MiB/s)");
  /* examples/saleor/incidents.csv, 1057 bytes, read within a millisecond */
  assert_string_equal(line(1057, 1057, 0, true), "slac: read data: 1.0 of 1.0 KiB in 0.0 s");
  /* a reading that stopped at an error says how far it got; 2 MiB in
   * 1.25 s is 1.6 MiB/s exactly (truncated once, not 1.5) */
  assert_string_equal(line(2 * MiB, 8 * MiB, 1250, true),
                      "slac: read data: 2.0 of 8.0 MiB in 1.2 s (1.6 MiB/s)");
}

static void test_done_beyond_total(void **state) {
  (void)state;
  /* a windows file part read again: never more than the total */
  assert_string_equal(line(5000, 4000, 1000, false),
                      "slac: reading data: 3.9 of 3.9 KiB (100%), 3.9 KiB/s, 0 s left");
}

static void test_cut_like_snprintf(void **state) {
  (void)state;
  char buf[12];
  size_t n = slac_progress_line(buf, sizeof buf, 0, 48 * MiB, 0, false);
  assert_int_equal(n, strlen("slac: reading data: 0.0 of 48.0 MiB (0%)"));
  assert_string_equal(buf, "slac: readi");
}

static int finished_calls;
static void on_finish(slac_progress *p) {
  (void)p;
  finished_calls++;
}

static void test_counter(void **state) {
  (void)state;
  slac_progress p = {0, on_finish};
  slac_progress_add(&p, 10);
  slac_progress_add(&p, 0);
  slac_progress_add(NULL, 5); /* no one watching */
  assert_int_equal(slac_progress_done(&p), 10);
  slac_progress_finish(&p);
  slac_progress_finish(NULL);
  assert_int_equal(finished_calls, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nothing_read_yet), cmocka_unit_test(test_under_way),
      cmocka_unit_test(test_finished),         cmocka_unit_test(test_done_beyond_total),
      cmocka_unit_test(test_cut_like_snprintf), cmocka_unit_test(test_counter),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
