/* test_parallel_eval.c - accounts evaluated by several threads (ranges
 * of accounts, runtime/eval/ordered.h) must give the report one thread
 * gives, byte for byte, and a failure in the middle must leave what one
 * thread would have written before it: a prefix of the report, cut at
 * an outcome's end, and the error.
 *
 * 3,000 accounts over three months (five ranges of 682 accounts) of
 * Saleor's policy: names with commas, quotes and a control character,
 * accounts with no incident and with up to three; text, jsonl and csv,
 * with and without --what-if, on 1 to 5 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/data/intervals.h"
#include "runtime/eval/eval.h"
#include "support.h"

enum { ACCOUNTS = 3000 };

static char dir[256];
static char accounts_path[300], incidents_path[300];
static slac_program *policy;

static void name_of(int i, char *buf, size_t size) {
  if (i % 97 == 5) snprintf(buf, size, "\"acct, %d \"\"quoted\"\"\"", i);
  else if (i % 211 == 7) snprintf(buf, size, "acct\x01%d", i);
  else snprintf(buf, size, "acct-%05d", i);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/slac-parallel-eval-XXXXXX");
  if (!mkdtemp(dir)) return -1;
  policy = test_load_shipped_policy("saleor.sla");
  if (!policy) return -1;
  snprintf(accounts_path, sizeof accounts_path, "%s/accounts.csv", dir);
  snprintf(incidents_path, sizeof incidents_path, "%s/incidents.csv", dir);
  FILE *a = fopen(accounts_path, "w"), *f = fopen(incidents_path, "w");
  if (!a || !f) return -1;
  fputs("account,fee,currency\n", a);
  fputs("id,account,service,start,end,cause,note\n", f);
  uint64_t rng = 42;
  long id = 0;
  for (int i = 0; i < ACCOUNTS; i++) {
    char name[64];
    name_of(i, name, sizeof name);
    fprintf(a, "%s,%d.%02d,USD\n", name, 10 + i % 5000, i % 100);
    int n = (int)(test_splitmix64(&rng) % 4); /* 0: an account without incidents */
    for (int k = 0; k < n; k++) {
      int month = 1 + (int)(test_splitmix64(&rng) % 3), day = 1 + (int)(test_splitmix64(&rng) % 27);
      int minutes = 1 + (int)(test_splitmix64(&rng) % 300);
      const char *cause = test_splitmix64(&rng) % 4 ? "outage" : "maintenance";
      fprintf(f, "%ld,%s,covered,2026-%02d-%02dT10:00:00Z,2026-%02d-%02dT%02d:%02d:00Z,%s,note\n", ++id, name,
              month, day, month, day, 10 + minutes / 60, minutes % 60, cause);
    }
  }
  int rc = fclose(a) | fclose(f);
  return rc;
}

static int teardown(void **state) {
  (void)state;
  if (getenv("KEEP")) return 0;
  unlink(accounts_path);
  unlink(incidents_path);
  rmdir(dir);
  slac_program_free(policy);
  return 0;
}

/* The report of JOBS threads in FORMAT (WHAT_IF: 30 more minutes of
 * "covered"), with the status and the last diagnostic. */
static char *run(int jobs, slac_format format, bool what_if, int *rc, char *message, size_t size) {
  char *data[] = {incidents_path};
  int64_t minutes[1] = {30};
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = policy;
  o.accounts_path = accounts_path;
  o.data_paths = data;
  o.ndata = 1;
  o.format = format;
  o.jobs = jobs;
  o.what_if = what_if ? minutes : NULL;
  o.what_if_words = what_if ? "as if every account had 30 more unavailable minutes" : NULL;
  char *text = NULL;
  size_t len = 0;
  o.out = open_memstream(&text, &len);
  assert_non_null(o.out);
  slac_diags d;
  test_message_diags(&d, message, size);
  *rc = slac_eval(&o, &d);
  assert_int_equal(fclose(o.out), 0);
  return text;
}

static void same_report_on_any_threads(void **state) {
  (void)state;
  const slac_format formats[] = {SLAC_FORMAT_TEXT, SLAC_FORMAT_JSONL, SLAC_FORMAT_CSV};
  for (int f = 0; f < 3; f++)
    for (int w = 0; w < 2; w++) {
      int rc;
      char msg[256];
      char *one = run(1, formats[f], w, &rc, msg, sizeof msg);
      assert_int_equal(rc, 0);
      assert_true(strlen(one) > 100000); /* every account is there */
      for (int jobs = 2; jobs <= 5; jobs++) {
        char *many = run(jobs, formats[f], w, &rc, msg, sizeof msg);
        assert_int_equal(rc, 0);
        if (strcmp(one, many) != 0) fail_msg("format %d, what-if %d, --jobs %d: another report", f, w, jobs);
        free(many);
      }
      free(one);
    }
}

/* An allocation of the interval algebra fails while the accounts are
 * measured: whatever thread meets it, the report written is what one
 * thread wrote before an outcome, and the error is "out of memory". */
static void failure_leaves_a_prefix(void **state) {
  (void)state;
  int rc;
  char msg[256];
  char *whole = run(1, SLAC_FORMAT_JSONL, false, &rc, msg, sizeof msg);
  assert_int_equal(rc, 0);
  const long fail_after[] = {0, 1, 500, 2000, 3500};
  for (size_t i = 0; i < sizeof fail_after / sizeof *fail_after; i++)
    for (int jobs = 1; jobs <= 3; jobs++) {
      slac_intervals_fail_alloc_after(fail_after[i]);
      char *part = run(jobs, SLAC_FORMAT_JSONL, false, &rc, msg, sizeof msg);
      slac_intervals_fail_alloc_after(-1);
      assert_int_equal(rc, -1);
      assert_string_equal(msg, "out of memory");
      size_t n = strlen(part);
      assert_true(n < strlen(whole));
      assert_memory_equal(part, whole, n);
      assert_true(n == 0 || part[n - 1] == '\n'); /* whole outcomes */
      free(part);
    }
  free(whole);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_report_on_any_threads),
      cmocka_unit_test(failure_leaves_a_prefix),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
