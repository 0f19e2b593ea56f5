/* test_parallel_incidents.c - an incidents file read by several threads
 * must leave the dataset exactly as one sequential read does, and a file
 * the threads cannot vouch for must be handed back (return 1) untouched.
 *
 * The dataset after slac_read_incidents_parallel (2 to 7 threads, cuts
 * forced even in small files) is compared with the one after
 * slac_read_data: accounts in the same order with the same first
 * appearance, the months touched, and per service the union of the
 * counting causes, of each excluded cause and of each late (announced too
 * late) maintenance, each set present or absent alike, and the incident
 * rows kept for the html report, in file order.  The files have
 * CRLF line ends, quoted names with commas and doubled quotes, two
 * services, overlapping and empty incidents, incidents across a month
 * edge, announced maintenance on time, late and not announced, and
 * accounts both listed and not. */
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

#include "runtime/base/timestamp.h"
#include "runtime/data/parallel.h"
#include "runtime/data/readers.h"
#include "support.h"

static char dir[256];
static slac_program *policy;

static const char policy_text[] =
    "policy p \"Parallel incidents\" version 1 {\n"
    "  currency USD\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service web \"Web\" {\n"
    "    measure unavailable minutes\n"
    "    commit 99.5%\n"
    "  }\n"
    "  credit of monthly fee { below 99.9% -> 10% }\n"
    "  exclude maintenance up to 2 h per month announced at least 24 h ahead §4\n"
    "  exclude customer §5\n"
    "}\n";

static const char *path_of(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void name_of(int i, char *buf, size_t size) {
  if (i % 7 == 3) snprintf(buf, size, "\"acct \"\"%d\"\", inc\"", i);
  else snprintf(buf, size, "acct-%d", i);
}

/* ROWS incidents over ACCOUNTS accounts from 2026-09-28, line ends EOL,
 * from a fixed pseudo-random sequence.  Row BAD (-1: none) ends before it
 * starts; row STRANGER (-1: none) is of an account outside 0..ACCOUNTS-1. */
static void write_incidents(int accounts, int rows, const char *eol, long bad, long stranger) {
  FILE *f = fopen(path_of("incidents.csv"), "wb");
  assert_non_null(f);
  fprintf(f, "account,service,start,end,cause,announced%s", eol);
  uint64_t x = 42;
  const slac_time t0 = 1790553600; /* 2026-09-28T00:00:00Z */
  static const char *const causes[] = {"", "", "customer", "maintenance", "maintenance", ""};
  for (long r = 0; r < rows; r++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    uint64_t y = x >> 17;
    int acct = (int)(y % (uint64_t)accounts);
    if (r == stranger) acct = accounts + 1;
    slac_time start = t0 + (slac_time)(y % (6u * 86400u)) / 30 * 30;
    slac_time len = (slac_time)((y >> 20) % 5400u) / 60 * 60; /* 0 (empty) to 89 min */
    if (r == bad) len = -60;
    const char *cause = causes[(y >> 33) % 6];
    char name[64], s[32], e[32], a[32] = "";
    name_of(acct, name, sizeof name);
    slac_time_format(start, s);
    slac_time_format(start + len, e);
    if (strcmp(cause, "maintenance") == 0 && (y >> 40) % 3 != 0)
      slac_time_format(start - ((y >> 40) % 3 == 1 ? 2 * 86400 : 3600), a); /* on time, late */
    fprintf(f, "%s,%s,%s,%s,%s,%s%s", name, (y >> 36) % 4 ? "api" : "web", s, e, cause, a, eol);
  }
  assert_int_equal(fclose(f), 0);
}

static void write_accounts(int accounts) {
  FILE *f = fopen(path_of("accounts.csv"), "wb");
  assert_non_null(f);
  fputs("account,fee,currency\n", f);
  for (int i = accounts - 1; i >= 0; i--) {
    char name[64];
    name_of(i, name, sizeof name);
    fprintf(f, "%s,100.00,USD\n", name);
  }
  assert_int_equal(fclose(f), 0);
}

static slac_diags quiet(void) {
  slac_diags d;
  slac_diags_init(&d, NULL);
  return d;
}

static bool keep; /* keep the incident rows, as for the html report */

static void prepare(slac_dataset *ds, bool accounts) {
  slac_diags d = quiet();
  assert_int_equal(slac_dataset_init(ds, policy), 0);
  ds->keep_incidents = keep;
  if (accounts) assert_int_equal(slac_read_accounts(ds, path_of("accounts.csv"), &d), 0);
}

static void same_set(const slac_spanset *a, const slac_spanset *b, const char *who, const char *what) {
  if ((a == NULL) != (b == NULL)) fail_msg("%s: %s present in one dataset only", who, what);
  if (!a) return;
  if (a->n != b->n || a->npend || b->npend) fail_msg("%s: %s: %zu spans vs %zu", who, what, a->n, b->n);
  for (size_t k = 0; k < a->n; k++)
    if (slac_spanset_at(a, k).start != slac_spanset_at(b, k).start || slac_spanset_at(a, k).end != slac_spanset_at(b, k).end)
      fail_msg("%s: %s: span %zu differs", who, what, k);
}

static void same_cause_sets(const slac_spanset *a, const slac_spanset *b, int ncauses, const char *who,
                            const char *what) {
  if ((a == NULL) != (b == NULL)) fail_msg("%s: %s present in one dataset only", who, what);
  for (int c = 0; a && c < ncauses; c++) same_set(&a[c], &b[c], who, what);
}

static void same_dataset(const slac_dataset *a, const slac_dataset *b) {
  assert_int_equal(a->naccounts, b->naccounts);
  /* the rows kept for the html report: the same, in the same order */
  assert_int_equal(a->nincidents, b->nincidents);
  for (size_t k = 0; k < a->nincidents; k++) {
    const slac_incident *x = &a->incidents[k], *y = &b->incidents[k];
    if (x->start != y->start || x->end != y->end || x->account != y->account || x->seq != y->seq ||
        x->service != y->service || x->cause != y->cause || x->late != y->late)
      fail_msg("kept incident row %zu differs", k);
  }
  assert_int_equal(a->nmonths, b->nmonths);
  for (size_t k = 0; k < a->nmonths; k++) assert_int_equal(a->months[k], b->months[k]);
  for (size_t i = 0; i < a->naccounts; i++) {
    const slac_account *x = &a->accounts[i], *y = &b->accounts[i];
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->first_file, y->first_file);
    assert_int_equal(x->first_line, y->first_line);
    for (int s = 0; s < policy->nservices; s++) {
      same_set(x->svc[s].counting, y->svc[s].counting, x->name, "counting");
      same_cause_sets(x->svc[s].excluded, y->svc[s].excluded, policy->ncauses, x->name, "excluded");
      assert_int_equal(a->late_causes, b->late_causes);
      same_cause_sets(x->svc[s].late, y->svc[s].late, a->late_causes, x->name, "late");
    }
  }
}

/* Read incidents.csv sequentially and with JOBS threads; compare. */
static void check_equal(bool accounts, int jobs) {
  slac_dataset seq, par;
  slac_diags d = quiet();
  prepare(&seq, accounts);
  prepare(&par, accounts);
  assert_int_equal(slac_read_data(&seq, path_of("incidents.csv"), SLAC_DATA_INCIDENTS, 1, false, &d), 0);
  int rc = slac_read_incidents_parallel(&par, path_of("incidents.csv"), 1, jobs, &d);
  if (rc != 0) fail_msg("%d threads: the file was handed back (%d)", jobs, rc);
  same_dataset(&seq, &par);
  assert_int_equal(d.errors, 0);
  slac_dataset_free(&seq);
  slac_dataset_free(&par);
}

static void test_same_as_sequential(void **state) {
  (void)state;
  write_accounts(60);
  write_incidents(60, 3000, "\r\n", -1, -1);
  for (int jobs = 2; jobs <= 7; jobs++) {
    check_equal(true, jobs);
    check_equal(false, jobs);
  }
  keep = true;
  check_equal(true, 3);
  check_equal(false, 2);
  keep = false;
  /* few accounts, many overlapping incidents each */
  write_incidents(3, 2000, "\n", -1, -1);
  check_equal(false, 3);
  /* more threads than rows */
  write_incidents(2, 3, "\n", -1, -1);
  check_equal(false, 8);
}

/* A file the threads cannot vouch for: handed back, dataset untouched. */
static void check_handed_back(bool accounts, int jobs) {
  slac_dataset ds;
  slac_diags d = quiet();
  prepare(&ds, accounts);
  size_t before = ds.naccounts;
  assert_int_equal(slac_read_incidents_parallel(&ds, path_of("incidents.csv"), 1, jobs, &d), 1);
  assert_int_equal(ds.naccounts, before);
  assert_int_equal(ds.nmonths, 0);
  for (size_t i = 0; i < ds.naccounts; i++)
    for (int s = 0; s < policy->nservices; s++) {
      assert_null(ds.accounts[i].svc[s].counting);
      assert_null(ds.accounts[i].svc[s].excluded);
    }
  assert_int_equal(d.errors, 0); /* the sequential read reports, not this one */
  slac_dataset_free(&ds);
}

static void test_handed_back(void **state) {
  (void)state;
  write_accounts(40);
  /* an incident that ends before it starts, in the last part */
  write_incidents(40, 2000, "\n", 1900, -1);
  check_handed_back(false, 2);
  /* an account missing from the accounts file, in the last part */
  write_incidents(40, 2000, "\n", -1, 1950);
  check_handed_back(true, 2);
}

static int setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/slac-parallel-incidents.XXXXXX", t && *t ? t : "/tmp");
  policy = test_compile_policy_text("p.sla", policy_text);
  return mkdtemp(dir) && policy ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  unlink(path_of("incidents.csv"));
  unlink(path_of("accounts.csv"));
  slac_program_free(policy);
  return rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_sequential),
      cmocka_unit_test(test_handed_back),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
