/* test_cov_csv.c - runtime/data/csv.c paths test_csv.c leaves out: a stream
 * that fails on read, every UTF-8 lead byte's range of second bytes at
 * both ends, and a quote that ends exactly at a buffer refill. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/data/csv.h"

/* Status of reading DATA (LEN bytes) to the end: 0 read whole, -1 error
 * (its message in ERR). */
static int read_all(const char *data, size_t len, char *err, size_t errsize) {
  FILE *f = tmpfile();
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  rewind(f);
  slac_csv *r = slac_csv_open(f, "t.csv");
  assert_non_null(r);
  int rc;
  while ((rc = slac_csv_next(r)) == 1) {}
  snprintf(err, errsize, "%s", rc < 0 ? slac_csv_error(r) : "");
  slac_csv_close(r);
  fclose(f);
  return rc;
}

static void test_read_error(void **state) {
  (void)state;
  /* A directory opens as a stream, and every read of it fails. */
  FILE *f = fopen("/", "r");
  if (!f) skip();
  slac_csv *r = slac_csv_open(f, "dir.csv");
  assert_non_null(r);
  assert_int_equal(slac_csv_next(r), -1);
  assert_non_null(strstr(slac_csv_error(r), "dir.csv: read error: "));
  assert_false(slac_csv_oom(r));
  assert_int_equal(slac_csv_next(r), -1); /* and stays failed */
  slac_csv_close(r);
  fclose(f);
}

static void test_utf8_second_byte_ranges(void **state) {
  (void)state;
  static const struct {
    const char *field;
    int ok;
  } cases[] = {
      {"\xe0\xa0\x80", 1},     {"\xe0\x9f\xbf", 0},     /* E0: A0..BF */
      {"\xed\x9f\xbf", 1},     {"\xed\xa0\x80", 0},     /* ED: 80..9F */
      {"\xf0\x90\x80\x80", 1}, {"\xf0\x8f\xbf\xbf", 0}, /* F0: 90..BF */
      {"\xf4\x8f\xbf\xbf", 1}, {"\xf4\x90\x80\x80", 0}, /* F4: 80..8F */
      {"\xf3\xbf\xbf\xbf", 1}, {"\xf3\xbf\xbf\x7f", 0}, /* later bytes 80..BF */
      {"\xf5\x80\x80\x80", 0}, {"\xc1\xbf", 0},         /* never lead bytes */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char data[64], err[256];
    int n = snprintf(data, sizeof data, "a,b\nx,%s\n", cases[i].field);
    int rc = read_all(data, (size_t)n, err, sizeof err);
    if (cases[i].ok) {
      assert_int_equal(rc, 0);
    } else {
      assert_int_equal(rc, -1);
      assert_non_null(strstr(err, "t.csv:2: invalid UTF-8"));
    }
    /* The same sequence cut short by the end of the file. */
    n = snprintf(data, sizeof data, "a,b\nx,%.*s", (int)strlen(cases[i].field) - 1, cases[i].field);
    assert_int_equal(read_all(data, (size_t)n, err, sizeof err), -1);
  }
}

static void test_quotes_at_refills(void **state) {
  (void)state;
  /* Quoted fields whose closing or doubled quote falls at every offset
   * around the reader's first refills (they are 64 KiB apart or less). */
  size_t big = 200000;
  char *data = malloc(big + 64);
  assert_non_null(data);
  for (size_t shift = 0; shift < 3; shift++) {
    size_t n = 0;
    n += (size_t)sprintf(data + n, "a,b\n");
    while (n < big) {
      size_t len = 37 + (n + shift) % 50;
      data[n++] = '"';
      for (size_t k = 0; k < len && n < big; k++) {
        if (k % 11 == 3) { /* a doubled quote */
          data[n++] = '"';
          data[n++] = '"';
        } else {
          data[n++] = 'q';
        }
      }
      data[n++] = '"';
      data[n++] = ',';
      data[n++] = 'z';
      data[n++] = '\n';
    }
    char err[256];
    assert_int_equal(read_all(data, n, err, sizeof err), 0);
  }
  free(data);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_error),
      cmocka_unit_test(test_utf8_second_byte_ranges),
      cmocka_unit_test(test_quotes_at_refills),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
