/* test_eval_hostile.c - slac_eval on inputs of issue 15 that were
 * quadratic or unbounded in months: request windows over many months
 * against the same rows over as many accounts (CPU-time ratio, best of 3,
 * generous bound), and the memory of many services x causes over
 * centuries (peak resident size, which was services x months x causes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/codegen.h"
#include "runtime/eval/eval.h"
#include "support.h"

static char tmpdir[256];

static void path_of(char *buf, size_t size, const char *name) {
  snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* Evaluate DATA (a file of TMPDIR) with P, the report to /dev/null. */
static void eval_file(const slac_program *p, const char *data) {
  char path[512];
  path_of(path, sizeof path, data);
  char *paths[1] = {path};
  FILE *out = fopen("/dev/null", "w");
  assert_non_null(out);
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = p;
  o.data_paths = paths;
  o.ndata = 1;
  o.format = SLAC_FORMAT_CSV;
  o.out = out;
  o.jobs = 1;
  slac_diags d;
  slac_diags_init(&d, stderr);
  assert_int_equal(slac_eval(&o, &d), 0);
  fclose(out);
}

static slac_program *piwik;

/* N windows of Piwik PRO's service: one account over N months from year
 * 0001 (MONTHS), or N accounts in one month. */
static void write_windows(const char *name, int n, bool months) {
  char path[512];
  path_of(path, sizeof path, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("account,service,start,requests,errors\n", f);
  for (int k = 0; k < n; k++)
    if (months) fprintf(f, "a,hosting,%04d-%02d-01T00:00:00Z,10,1\n", 1 + k / 12, k % 12 + 1);
    else fprintf(f, "a%d,hosting,2026-01-01T00:00:00Z,10,1\n", k);
  fclose(f);
}

static void eval_windows(void *arg) { eval_file(piwik, arg); }

/* Issue 15: 80,000 months of windows took 13.9 s (every account's months
 * walked once per month).  20,000 months of one account against 20,000
 * accounts of one month: the same rows and outcomes, within a generous
 * bound of the same time (before the fix: about 6 times as much). */
static void test_windows_over_many_months(void **state) {
  (void)state;
  write_windows("months.csv", 20000, true);
  write_windows("accounts.csv", 20000, false);
  double t_months = test_best_cpu(3, eval_windows, "months.csv");
  double t_accounts = test_best_cpu(3, eval_windows, "accounts.csv");
  print_message("20,000 accounts %.4f s, 20,000 months %.4f s\n", t_accounts, t_months);
  assert_true(t_months < 3 * t_accounts + 0.01);
}

/* A policy of NS services and NC excluded causes of its own. */
static slac_program *wide_policy(int ns, int nc) {
  size_t cap = 4096 + (size_t)(ns + nc) * 128, n = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  n += (size_t)snprintf(text + n, cap - n, "policy wide \"W\" version 1 {\n  currency USD\n");
  for (int s = 0; s < ns; s++)
    n += (size_t)snprintf(text + n, cap - n,
                          "  service s%d \"S\" {\n    measure unavailable minutes\n"
                          "    commit 99.9%%\n  }\n", s);
  n += (size_t)snprintf(text + n, cap - n, "  credit of monthly fee {\n    below 99.9%% -> 10%%\n  }\n");
  for (int c = 0; c < nc; c++)
    n += (size_t)snprintf(text + n, cap - n, "  cause c%d \"C\"\n  exclude c%d\n", c, c);
  n += (size_t)snprintf(text + n, cap - n, "}\n");
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  slac_source src;
  uint8_t *bytes;
  size_t size;
  assert_int_equal(slac_source_from_text(&src, "wide.sla", text, n, &d), 0);
  assert_int_equal(slac_compile_source(&src, &d, &bytes, &size), 0);
  slac_source_free(&src);
  slac_program *p = NULL;
  assert_int_equal(slac_program_load(bytes, size, "wide.slbc", &p, &d), 0);
  free(bytes);
  free(text);
  return p;
}

static long peak_kib(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* Issue 15: 50 services, 100 causes and one incident from year 1 to 9999
 * took 9.7 GB: every month of every service was measured before the first
 * was reported.  Here 10 services, 50 causes and 6,000 months, which took
 * 75 MB that way; now a chunk of months at a time, well under 40 MB. */
static void test_memory_of_services_months_causes(void **state) {
  (void)state;
  slac_program *p = wide_policy(10, 50);
  char path[512];
  path_of(path, sizeof path, "long.csv");
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("account,service,start,end,cause\n"
        "a,s0,2000-01-01T00:00:00Z,2500-01-01T00:00:00Z,\n"
        "a,s1,2000-01-01T00:00:00Z,2500-01-01T00:00:00Z,c7\n", f);
  fclose(f);
  long before = peak_kib();
  eval_file(p, "long.csv");
  long grown = peak_kib() - before;
  print_message("peak resident size grew by %ld KiB\n", grown);
  assert_true(grown < 40 * 1024);
  slac_program_free(p);
}

static int setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/slac-hostile.XXXXXX", t && *t ? t : "/tmp");
  if (!mkdtemp(tmpdir)) return -1;
  piwik = test_load_shipped_policy("piwik-pro.sla");
  return piwik ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  static const char *const names[] = {"months.csv", "accounts.csv", "long.csv"};
  char path[512];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    path_of(path, sizeof path, names[i]);
    unlink(path);
  }
  slac_program_free(piwik);
  return rmdir(tmpdir);
}

int main(void) {
  /* the memory test first: the peak is the process's, and only grows */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_memory_of_services_months_causes),
      cmocka_unit_test(test_windows_over_many_months),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
