/* test_eval_files.c - slac_eval and the files it reads more than once.
 *
 * A request-windows file whose average the fast sum cannot decide is read
 * a second time (docs/evaluation.md, "The average of window error
 * rates").  If the file changed in between, the report would mix two
 * versions of it: slac_eval must refuse, naming the file.  The test hook
 * slac_eval_before_second_pass changes the file at that moment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/eval/eval.h"
#include "support.h"

static char path[64];

/* Every five-minute window of September 2026, alternately 1/3 and 2/3
 * errors: the average is exactly 50%, which only the exact pass decides.
 * ODD_ERRORS replaces the 2/3 of the last window (same size either way). */
static void write_windows(int last_errors) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("service,start,requests,errors\n", f);
  int n = 0;
  for (int d = 1; d <= 30; d++)
    for (int h = 0; h < 24; h++)
      for (int m = 0; m < 60; m += 5, n++)
        fprintf(f, "hosting,2026-09-%02dT%02d:%02d:00Z,3,%d\n", d, h, m,
                n == 8639 ? last_errors : n % 2 + 1);
  fclose(f);
}

static void change_file(void) { write_windows(0); }

static int run_eval(char *err, size_t errsize, char **out) {
  slac_program *p = test_load_shipped_policy("piwik-pro.sla");
  assert_non_null(p);
  size_t outlen = 0;
  FILE *o = open_memstream(out, &outlen);
  assert_non_null(o);
  char *paths[1] = {path};
  slac_eval_options opt;
  memset(&opt, 0, sizeof opt);
  opt.p = p;
  opt.data_paths = paths;
  opt.ndata = 1;
  opt.format = SLAC_FORMAT_JSONL;
  opt.out = o;
  opt.jobs = 1;
  slac_diags d;
  test_message_diags(&d, err, errsize);
  int rc = slac_eval(&opt, &d);
  fclose(o);
  slac_program_free(p);
  return rc;
}

static void test_same_file_read_twice(void **state) {
  (void)state;
  write_windows(2);
  char err[512], *out = NULL;
  assert_int_equal(run_eval(err, sizeof err, &out), 0);
  assert_non_null(strstr(out, "\"error_rate_percent\":\"50.0000\""));
  free(out);
}

static void test_file_changed_between_reads(void **state) {
  (void)state;
  write_windows(2);
  slac_eval_before_second_pass = change_file;
  char err[512], *out = NULL;
  int rc = run_eval(err, sizeof err, &out);
  slac_eval_before_second_pass = NULL;
  assert_int_equal(rc, -1);
  assert_string_equal(out, "");
  assert_non_null(strstr(err, "the file changed while slac was reading it"));
  free(out);
}

static int setup(void **state) {
  (void)state;
  snprintf(path, sizeof path, "/tmp/slac-test-files-%ld.csv", (long)getpid());
  return 0;
}

static int teardown(void **state) {
  (void)state;
  unlink(path);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_file_read_twice),
      cmocka_unit_test(test_file_changed_between_reads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
