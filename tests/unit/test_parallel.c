/* test_parallel.c - a windows file read by several threads must leave the
 * dataset exactly as one sequential read does, and every case the
 * parallel reader cannot vouch for must hand the file back (return 1)
 * with the dataset untouched.
 *
 * The dataset after slac_read_windows_parallel (2 to 7 threads, cuts
 * forced even in small files) is compared field by field with the one
 * after slac_read_data: accounts in the same order with the same first
 * appearance, per service the first and last window and its line, every
 * month's exact sum, window counts and excluded windows, and the months
 * touched.  The files have a byte-order mark, CRLF line ends, quoted
 * names with commas and doubled quotes, two months, excluding incidents
 * (cause customer) read before, and accounts both listed and not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/data/parallel.h"
#include "runtime/data/readers.h"
#include "support.h"

static char dir[256];
static slac_program *piwik;

static const char *path_of(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(path_of(name), "wb");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* ACCOUNTS accounts x STEPS five-minute windows from 2026-09-30T20:00Z
 * (so the data crosses into October), time-major, with line ends EOL.
 * Every seventh account's name is quoted with a comma and a doubled
 * quote.  Counts vary in length.  Row EARLY (counted from 0 after the
 * header; -1: none) gets the first step's time, which its account has
 * had already; row BAD gets a count that is not a number. */
static void write_windows(const char *name, int accounts, int steps, const char *eol, long early,
                          long bad) {
  FILE *f = fopen(path_of(name), "wb");
  assert_non_null(f);
  fprintf(f, "\xEF\xBB\xBF" "account,service,start,requests,errors%s", eol);
  const time_t t0 = 1790798400; /* 2026-09-30T20:00:00Z */
  long row = 0;
  for (int s = 0; s < steps; s++)
    for (int a = 0; a < accounts; a++, row++) {
      time_t t = row == early ? t0 : t0 + 300 * (time_t)s;
      long long requests = (long long)((a * 7919 + s * 104729) % 100000) + (a % 3 == 0 ? 0 : 1);
      long long errors = requests ? (long long)((a * 31 + s * 17) % (requests + 1)) % 50 : 0;
      if (errors > requests) errors = requests;
      char when[32];
      struct tm tm;
      gmtime_r(&t, &tm);
      strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
      if (a % 7 == 3) fprintf(f, "\"acct %d, \"\"quoted\"\"\"", a);
      else fprintf(f, "acct-%d", a);
      if (row == bad) fprintf(f, ",hosting,%s,12x,0%s", when, eol);
      else fprintf(f, ",hosting,%s,%lld,%lld%s", when, requests, errors, eol);
    }
  assert_int_equal(fclose(f), 0);
}

/* The row (from 0 after the header) that starts the second of two parts,
 * found as parallel.c cuts: after the first line feed from the middle of
 * the data.  The file has a one-line header. */
static long row_after_cut(const char *name) {
  FILE *f = fopen(path_of(name), "rb");
  assert_non_null(f);
  long header = -1, size = 0, rows = 0, cut_row = -1, middle = -1;
  int c;
  while ((c = fgetc(f)) != EOF) {
    size++;
    if (c == '\n' && header < 0) header = size;
  }
  middle = header + (size - header) / 2;
  rewind(f);
  for (long at = 0; (c = fgetc(f)) != EOF; at++)
    if (c == '\n' && at >= header) {
      if (at >= middle && cut_row < 0) cut_row = rows + 1;
      rows++;
    }
  fclose(f);
  return cut_row;
}

static void write_accounts(const char *name, int accounts) {
  FILE *f = fopen(path_of(name), "wb");
  assert_non_null(f);
  fputs("account,fee,currency\n", f);
  for (int a = accounts - 1; a >= 0; a--) { /* not in the data's order */
    if (a % 7 == 3) fprintf(f, "\"acct %d, \"\"quoted\"\"\",100.00,USD\n", a);
    else fprintf(f, "acct-%d,100.00,USD\n", a);
  }
  assert_int_equal(fclose(f), 0);
}

/* Excluded incidents of some accounts around the month edge. */
static void write_incidents(const char *name) {
  write_file(name, "account,service,start,end,cause\n"
                   "acct-1,hosting,2026-09-30T21:00:00Z,2026-09-30T22:10:00Z,customer\n"
                   "acct-5,hosting,2026-09-30T23:58:00Z,2026-10-01T00:31:00Z,customer\n"
                   "acct-12,hosting,2026-10-01T01:00:00Z,2026-10-01T01:05:00Z,customer\n");
}

static slac_diags quiet(void) {
  slac_diags d;
  slac_diags_init(&d, NULL);
  return d;
}

/* A dataset holding what is read before the windows file. */
static void prepare(slac_dataset *ds, bool accounts, bool incidents) {
  slac_diags d = quiet();
  assert_int_equal(slac_dataset_init(ds, piwik), 0);
  if (accounts) assert_int_equal(slac_read_accounts(ds, path_of("accounts.csv"), &d), 0);
  if (incidents)
    assert_int_equal(slac_read_data(ds, path_of("incidents.csv"), SLAC_DATA_INCIDENTS, 1, false, &d), 0);
}

static void same_svc(const slac_svc_state *a, const slac_svc_state *b, const char *who) {
  if (a->windows_seen != b->windows_seen || a->first_window != b->first_window ||
      a->last_window != b->last_window || a->last_window_line != b->last_window_line ||
      a->nmonths != b->nmonths)
    fail_msg("%s: window state differs (last line %ld vs %ld, months %zu vs %zu)", who,
             a->last_window_line, b->last_window_line, (size_t)a->nmonths, (size_t)b->nmonths);
  for (size_t k = 0; k < a->nmonths; k++) {
    const slac_window_month *x = &a->months[k], *y = &b->months[k];
    if (x->month != y->month || x->sum.floor_sum != y->sum.floor_sum ||
        x->sum.inexact != y->sum.inexact || x->with_requests != y->with_requests ||
        x->excluded != y->excluded)
      fail_msg("%s: month %zu differs", who, k);
  }
}

static void same_dataset(const slac_dataset *a, const slac_dataset *b) {
  assert_int_equal(a->naccounts, b->naccounts);
  assert_int_equal(a->nmonths, b->nmonths);
  for (size_t k = 0; k < a->nmonths; k++) assert_int_equal(a->months[k], b->months[k]);
  for (size_t i = 0; i < a->naccounts; i++) {
    const slac_account *x = &a->accounts[i], *y = &b->accounts[i];
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->first_file, y->first_file);
    assert_int_equal(x->first_line, y->first_line);
    for (int s = 0; s < piwik->nservices; s++) same_svc(&x->svc[s], &y->svc[s], x->name);
  }
}

/* Read windows.csv sequentially and with JOBS threads; compare. */
static void check_equal(bool accounts, bool incidents, int jobs) {
  slac_dataset seq, par;
  slac_diags d = quiet();
  prepare(&seq, accounts, incidents);
  prepare(&par, accounts, incidents);
  assert_int_equal(slac_read_data(&seq, path_of("windows.csv"), SLAC_DATA_WINDOWS, 2, false, &d), 0);
  int rc = slac_read_windows_parallel(&par, path_of("windows.csv"), 2, jobs, &d);
  if (rc != 0) fail_msg("%d threads: the file was handed back (%d)", jobs, rc);
  same_dataset(&seq, &par);
  assert_int_equal(d.errors, 0);
  slac_dataset_free(&seq);
  slac_dataset_free(&par);
}

static void test_same_as_sequential(void **state) {
  (void)state;
  write_windows("windows.csv", 40, 72, "\r\n", -1, -1);
  write_accounts("accounts.csv", 40);
  write_incidents("incidents.csv");
  for (int jobs = 2; jobs <= 7; jobs++) {
    check_equal(true, true, jobs);
    check_equal(false, true, jobs);
    check_equal(false, false, jobs);
  }
  write_windows("windows.csv", 13, 50, "\n", -1, -1);
  check_equal(false, false, 3);
  /* more accounts than the first index holds (it grows past 512) */
  write_windows("windows.csv", 1500, 3, "\n", -1, -1);
  check_equal(false, false, 2);
}

/* More threads than rows, and a file of a header only. */
static void test_tiny_files(void **state) {
  (void)state;
  write_windows("windows.csv", 2, 2, "\n", -1, -1);
  check_equal(false, false, 8);
  write_file("windows.csv", "service,start,requests,errors\n");
  check_equal(false, false, 4);
  write_file("windows.csv", "service,start,requests,errors\nhosting,2026-10-01T00:00:00Z,5,1");
  check_equal(false, false, 3); /* no line end at the end */
}

/* A case the threads cannot vouch for: handed back, dataset untouched. */
static void check_handed_back(bool accounts, int jobs) {
  slac_dataset ds;
  slac_diags d = quiet();
  prepare(&ds, accounts, true);
  size_t before = ds.naccounts, months = ds.nmonths;
  assert_int_equal(slac_read_windows_parallel(&ds, path_of("windows.csv"), 2, jobs, &d), 1);
  assert_int_equal(ds.naccounts, before);
  assert_int_equal(ds.nmonths, months);
  for (size_t i = 0; i < ds.naccounts; i++) assert_false(ds.accounts[i].svc[0].windows_seen);
  assert_int_equal(d.errors, 0); /* the sequential read reports, not this one */
  slac_dataset_free(&ds);
}

static void test_handed_back(void **state) {
  (void)state;
  write_accounts("accounts.csv", 30);
  write_incidents("incidents.csv");
  /* a window out of order inside the second part */
  write_windows("windows.csv", 30, 60, "\n", 30L * 50 + 4, -1);
  check_handed_back(false, 2);
  /* out of order across the cut: the first row of the second part goes
   * back to the first step, which is in order within that part alone */
  write_windows("windows.csv", 30, 60, "\n", -1, -1);
  long first = row_after_cut("windows.csv");
  assert_true(first > 30 && first < 30L * 59);
  write_windows("windows.csv", 30, 60, "\n", first, -1);
  check_handed_back(false, 2);
  /* a bad count in the last part */
  write_windows("windows.csv", 30, 60, "\n", -1, 30L * 55);
  check_handed_back(false, 2);
  /* an account missing from the accounts file, in the last part */
  write_windows("windows.csv", 31, 60, "\n", -1, -1);
  check_handed_back(true, 2);
}

/* A line feed inside a quoted name where the file is cut: the part before
 * the cut ends inside quotes, so the guess is refused; the file is fine
 * and the sequential read takes it. */
static void test_quoted_line_feed_at_cut(void **state) {
  (void)state;
  FILE *f = fopen(path_of("windows.csv"), "wb");
  assert_non_null(f);
  fputs("account,service,start,requests,errors\n", f);
  for (int i = 0; i < 20; i++) fprintf(f, "a%d,hosting,2026-10-01T00:%02d:00Z,10,1\n", i, 0);
  fputs("\"many\n", f);
  for (int i = 0; i < 400; i++) fputs("lines\n", f);
  fputs("\",hosting,2026-10-01T00:00:00Z,10,1\n", f);
  for (int i = 0; i < 20; i++) fprintf(f, "a%d,hosting,2026-10-01T00:05:00Z,10,1\n", i);
  assert_int_equal(fclose(f), 0);
  write_incidents("incidents.csv");
  check_handed_back(false, 2);
  slac_dataset ds;
  slac_diags d = quiet();
  prepare(&ds, false, false);
  assert_int_equal(slac_read_data(&ds, path_of("windows.csv"), SLAC_DATA_WINDOWS, 2, false, &d), 0);
  assert_int_equal(ds.naccounts, 21);
  slac_dataset_free(&ds);
}

/* A file of more accounts than the parts may create together (131,072):
 * handed back, so that a million accounts are kept once, not once per
 * thread and once more; one account fewer than the budget still goes
 * to the threads. */
static void test_many_accounts_handed_back(void **state) {
  (void)state;
  for (int n = 131073; n >= 131072; n--) {
    FILE *f = fopen(path_of("windows.csv"), "wb");
    assert_non_null(f);
    fputs("account,service,start,requests,errors\n", f);
    for (int i = 0; i < n; i++) fprintf(f, "a%d,hosting,2026-10-01T00:00:00Z,10,1\n", i);
    assert_int_equal(fclose(f), 0);
    slac_dataset ds;
    slac_diags d = quiet();
    prepare(&ds, false, false);
    int rc = slac_read_windows_parallel(&ds, path_of("windows.csv"), 2, 2, &d);
    assert_int_equal(rc, n > 131072 ? 1 : 0);
    assert_int_equal(ds.naccounts, n > 131072 ? 0 : (size_t)n);
    assert_int_equal(d.errors, 0);
    slac_dataset_free(&ds);
  }
}

/* Automatic mode leaves small files to one thread. */
static void test_auto_small_file(void **state) {
  (void)state;
  write_windows("windows.csv", 10, 10, "\n", -1, -1);
  slac_dataset ds;
  slac_diags d = quiet();
  prepare(&ds, false, false);
  assert_int_equal(slac_read_windows_parallel(&ds, path_of("windows.csv"), 2, 0, &d), 1);
  assert_int_equal(ds.naccounts, 0);
  slac_dataset_free(&ds);
  assert_true(slac_jobs_auto() >= 1 && slac_jobs_auto() <= 4);
}

static int setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/slac-parallel.XXXXXX", t && *t ? t : "/tmp");
  piwik = test_load_shipped_policy("piwik-pro.sla");
  return mkdtemp(dir) && piwik ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  static const char *const names[] = {"windows.csv", "accounts.csv", "incidents.csv"};
  for (int i = 0; i < 3; i++) unlink(path_of(names[i]));
  slac_program_free(piwik);
  return rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_sequential),
      cmocka_unit_test(test_tiny_files),
      cmocka_unit_test(test_handed_back),
      cmocka_unit_test(test_many_accounts_handed_back),
      cmocka_unit_test(test_quoted_line_feed_at_cut),
      cmocka_unit_test(test_auto_small_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
