/* test_layout.c - data files in another layout (runtime/data/layout.h,
 * runtime/base/timestyle.h): timestamps in a declared style, columns under
 * the user's names, and every way that could go silently wrong refused or
 * warned about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/base/timestyle.h"
#include "runtime/data/layout.h"
#include "runtime/eval/eval.h"
#include "support.h"

static slac_time parsed(slac_time_style style, const char *s) {
  slac_time t = 0;
  const char *why = NULL;
  assert_int_equal(slac_time_parse_style(style, s, strlen(s), &t, &why), 0);
  return t;
}

static const char *refused(slac_time_style style, const char *s) {
  slac_time t = 0;
  const char *why = NULL;
  assert_int_equal(slac_time_parse_style(style, s, strlen(s), &t, &why), -1);
  assert_non_null(why);
  return why;
}

static void test_epoch_seconds(void **state) {
  (void)state;
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "0"), 0);
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "1791036300"), 1791036300); /* 2026-10-03T14:05:00Z */
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "1435781430.781"), 1435781430); /* Prometheus */
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "1435781430.000"), 1435781430);
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "-1.5"), -2);   /* toward the earlier second */
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "-1.0"), -1);
  assert_int_equal(parsed(SLAC_TIMES_EPOCH, "253402300799"), 253402300799); /* 9999-12-31T23:59:59Z */
  assert_string_equal(refused(SLAC_TIMES_EPOCH, "253402300800"),
                      "the time converted to UTC falls after the year 9999");
  assert_string_equal(refused(SLAC_TIMES_EPOCH, "99999999999999999999999"),
                      "the number of seconds is beyond the year 9999");
  assert_string_equal(refused(SLAC_TIMES_EPOCH, ""), "not a number of seconds");
  assert_string_equal(refused(SLAC_TIMES_EPOCH, "-"), "not a number of seconds");
  assert_string_equal(refused(SLAC_TIMES_EPOCH, "1e9"),
                      "unexpected characters after the number of seconds");
  assert_string_equal(refused(SLAC_TIMES_EPOCH, "17."), "a '.' without digits after it");
  assert_string_equal(refused(SLAC_TIMES_EPOCH, "2026-10-03T14:05:00Z"),
                      "unexpected characters after the number of seconds");
}

static void test_hhmm_offsets(void **state) {
  (void)state;
  slac_time utc = parsed(SLAC_TIMES_RFC3339, "2026-10-03T12:05:00Z");
  assert_int_equal(parsed(SLAC_TIMES_HHMM, "2026-10-03T14:05:00+0200"), utc);
  assert_int_equal(parsed(SLAC_TIMES_HHMM, "2026-10-03T07:35:00-0430"), utc);
  assert_int_equal(parsed(SLAC_TIMES_HHMM, "2026-10-03T12:05:00Z"), utc);
  assert_int_equal(parsed(SLAC_TIMES_HHMM, "2026-10-03 12:05:00.5-0000"), utc);
  assert_string_equal(refused(SLAC_TIMES_HHMM, "2026-10-03T14:05:00+02:00"),
                      "expected the offset as Z, +hhmm or -hhmm at the end");
  assert_string_equal(refused(SLAC_TIMES_HHMM, "2026-10-03T14:05:00"),
                      "expected the offset as Z, +hhmm or -hhmm at the end");
  /* every other rule is RFC 3339's */
  assert_string_equal(refused(SLAC_TIMES_HHMM, "2026-02-30T14:05:00+0200"),
                      "the day 30 does not exist in February 2026");
  assert_non_null(refused(SLAC_TIMES_HHMM, "2026-10-03T14:05:00+2400"));
  /* and RFC 3339 itself stays strict: no +hhmm unless declared */
  assert_non_null(refused(SLAC_TIMES_RFC3339, "2026-10-03T14:05:00+0200"));
}

static void test_style_words(void **state) {
  (void)state;
  slac_time_style s;
  assert_int_equal(slac_time_style_parse("epoch", &s), 0);
  assert_int_equal(s, SLAC_TIMES_EPOCH);
  assert_int_equal(slac_time_style_parse("+hhmm", &s), 0);
  assert_int_equal(s, SLAC_TIMES_HHMM);
  assert_int_equal(slac_time_style_parse("rfc3339", &s), 0);
  assert_int_equal(s, SLAC_TIMES_RFC3339);
  assert_int_equal(slac_time_style_parse("unix", &s), -1);
  assert_int_equal(slac_time_style_parse("Epoch", &s), -1);
}

static void test_layout_mappings(void **state) {
  (void)state;
  slac_layout l;
  memset(&l, 0, sizeof l);
  char err[512];
  assert_int_equal(slac_layout_add(&l, "start=ts", err, sizeof err), 0);
  assert_int_equal(slac_layout_add(&l, "account=customer id", err, sizeof err), 0);
  assert_string_equal(slac_layout_name(&l, "start"), "ts");
  assert_string_equal(slac_layout_name(&l, "account"), "customer id");
  assert_string_equal(slac_layout_name(&l, "end"), "end");
  assert_string_equal(slac_layout_name(NULL, "end"), "end");
  assert_int_equal(slac_layout_add(&l, "start", err, sizeof err), -1);
  assert_string_equal(err, "--column expects COLUMN=NAME (for example start=ts), got 'start'");
  assert_int_equal(slac_layout_add(&l, "=ts", err, sizeof err), -1);
  assert_int_equal(slac_layout_add(&l, "end=", err, sizeof err), -1);
  assert_int_equal(slac_layout_add(&l, "strat=x", err, sizeof err), -1);
  assert_string_equal(err, "--column strat=x: 'strat' is not a column of a data file: did you "
                           "mean 'start'? (the columns are account, service, start, end, cause, "
                           "announced, requests, errors, time, ok)");
  assert_int_equal(slac_layout_add(&l, "fee=amount", err, sizeof err), -1);
  assert_string_equal(err, "--column fee=amount: 'fee' is not a column of a data file (the "
                           "columns are account, service, start, end, cause, announced, "
                           "requests, errors, time, ok)");
  assert_int_equal(slac_layout_add(&l, "start=begin", err, sizeof err), -1);
  assert_string_equal(err, "--column start=begin: the column 'start' is already read from 'ts'");
  assert_int_equal(slac_layout_add(&l, "end=ts", err, sizeof err), -1);
  assert_string_equal(err, "--column end=ts: the file's column 'ts' is already read as 'start'");
  assert_int_equal(l.n, 2);
}

/* ---- reading files in another layout -------------------------------------- */

static char dir[64];

static const char *write_file(const char *name, const char *text) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

/* Evaluate the Saleor policy on FILE as LAYOUT says; the jsonl report in
 * *OUT, every diagnostic in ERR (one per line). */
static int eval_saleor(const char *file, const slac_layout *layout, char **out, char *err,
                       size_t errsize) {
  slac_program *p = test_load_shipped_policy("saleor.sla");
  assert_non_null(p);
  size_t outlen = 0, errlen = 0;
  FILE *o = open_memstream(out, &outlen);
  char *errbuf = NULL;
  FILE *e = open_memstream(&errbuf, &errlen);
  assert_non_null(o);
  assert_non_null(e);
  char path[128];
  snprintf(path, sizeof path, "%s", file);
  char *paths[1] = {path};
  slac_eval_options opt;
  memset(&opt, 0, sizeof opt);
  opt.p = p;
  opt.data_paths = paths;
  opt.ndata = 1;
  opt.format = SLAC_FORMAT_JSONL;
  opt.out = o;
  opt.jobs = 1;
  opt.layout = layout;
  slac_diags d;
  slac_diags_init(&d, e);
  int rc = slac_eval(&opt, &d);
  fclose(o);
  fclose(e);
  /* the messages without the temporary folder */
  size_t n = 0, dlen = strlen(dir);
  for (const char *q = errbuf ? errbuf : ""; *q && n + 1 < errsize;) {
    if (strncmp(q, dir, dlen) == 0 && q[dlen] == '/') q += dlen + 1;
    else err[n++] = *q++;
  }
  err[n] = 0;
  free(errbuf);
  slac_program_free(p);
  return rc;
}

static const char standard[] =
    "account,service,start,end,cause\n"
    "acme,covered,2026-10-03T14:05:00Z,2026-10-03T14:28:00Z,outage\n"
    "acme,covered,2026-10-10T02:00:00Z,2026-10-10T02:10:00Z,maintenance\n";

static void test_mapped_columns_and_epoch_times(void **state) {
  (void)state;
  char *want = NULL, *got = NULL, err[2048];
  assert_int_equal(eval_saleor(write_file("std.csv", standard), NULL, &want, err, sizeof err), 0);
  assert_string_equal(err, "");
  slac_layout l;
  memset(&l, 0, sizeof l);
  char msg[512];
  assert_int_equal(slac_layout_add(&l, "account=Customer", msg, sizeof msg), 0);
  assert_int_equal(slac_layout_add(&l, "service=component", msg, sizeof msg), 0);
  assert_int_equal(slac_layout_add(&l, "start=ts", msg, sizeof msg), 0);
  assert_int_equal(slac_layout_add(&l, "end=until", msg, sizeof msg), 0);
  assert_int_equal(slac_layout_add(&l, "cause=kind", msg, sizeof msg), 0);
  l.times = SLAC_TIMES_EPOCH;
  /* 2026-10-03T14:05:00Z is 1791036300; names matched ignoring case */
  const char *f = write_file("export.csv",
                             "ts,until,component,customer,kind\n"
                             "1791036300,1791037680,covered,acme,outage\n"
                             "1791597600.000,1791598200,covered,acme,maintenance\n");
  assert_int_equal(eval_saleor(f, &l, &got, err, sizeof err), 0);
  assert_string_equal(err, "");
  assert_string_equal(got, want);
  free(got);

  /* the same times with +hhmm offsets */
  l.times = SLAC_TIMES_HHMM;
  f = write_file("hhmm.csv",
                 "ts,until,component,customer,kind\n"
                 "2026-10-03T16:05:00+0200,2026-10-03T16:28:00+0200,covered,acme,outage\n"
                 "2026-10-09T22:00:00-0400,2026-10-09T22:10:00-0400,covered,acme,maintenance\n");
  assert_int_equal(eval_saleor(f, &l, &got, err, sizeof err), 0);
  assert_string_equal(err, "");
  assert_string_equal(got, want);
  free(got);
  free(want);
}

static void test_mapping_never_silently_wrong(void **state) {
  (void)state;
  char *got = NULL, err[2048];
  slac_layout l;
  memset(&l, 0, sizeof l);
  char msg[512];
  assert_int_equal(slac_layout_add(&l, "cause=kind", msg, sizeof msg), 0);
  /* a mapped optional column that is missing: an error, not "no cause" */
  const char *f = write_file("nokind.csv", standard);
  assert_int_equal(eval_saleor(f, &l, &got, err, sizeof err), -1);
  assert_string_equal(err,
                      "nokind.csv:1: warning: the column 'cause' is not read: --column cause=kind "
                      "reads the cause from 'kind'\n"
                      "nokind.csv:1: error: this incidents file has no column 'kind' (--column "
                      "cause=kind)\n");
  free(got);
  got = NULL;
  /* the mapped column beside the standard one: read, the other named */
  f = write_file("both.csv", "account,service,start,end,cause,kind\n"
                             "acme,covered,2026-10-03T14:05:00Z,2026-10-03T14:28:00Z,outage,maintenance\n");
  assert_int_equal(eval_saleor(f, &l, &got, err, sizeof err), 0);
  assert_string_equal(err, "both.csv:1: warning: the column 'cause' is not read: --column "
                           "cause=kind reads the cause from 'kind'\n");
  assert_non_null(strstr(got, "\"unavailable_minutes\":13,\"excluded_minutes\":10,"));
  free(got);
  got = NULL;
  /* a required column mapped away */
  memset(&l, 0, sizeof l);
  assert_int_equal(slac_layout_add(&l, "start=ts", msg, sizeof msg), 0);
  f = write_file("nots.csv", standard);
  assert_int_equal(eval_saleor(f, &l, &got, err, sizeof err), -1);
  assert_string_equal(err, "nots.csv:1: warning: the column 'start' is not read: --column "
                           "start=ts reads the start from 'ts'\n"
                           "nots.csv:1: error: not a slac data file: expected the columns "
                           "service,ts,end (incidents), service,ts,requests,errors (request "
                           "windows) or service,time,ok (probes)\n");
  free(got);
  got = NULL;
  /* a time in another style than declared */
  memset(&l, 0, sizeof l);
  l.times = SLAC_TIMES_EPOCH;
  f = write_file("rfc.csv", standard);
  assert_int_equal(eval_saleor(f, &l, &got, err, sizeof err), -1);
  assert_string_equal(err, "rfc.csv:2: error: column 'start': expected seconds since "
                           "1970-01-01T00:00:00Z (--timestamps epoch), got \"2026-10-03T14:05:00Z\" "
                           "(unexpected characters after the number of seconds)\n");
  free(got);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "%s/slac-layout.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  const char *names[] = {"std.csv", "export.csv", "hhmm.csv", "nokind.csv", "both.csv",
                         "nots.csv", "rfc.csv"};
  char path[128];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  return rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_epoch_seconds),
      cmocka_unit_test(test_hhmm_offsets),
      cmocka_unit_test(test_style_words),
      cmocka_unit_test(test_layout_mappings),
      cmocka_unit_test(test_mapped_columns_and_epoch_times),
      cmocka_unit_test(test_mapping_never_silently_wrong),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
