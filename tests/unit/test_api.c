/* test_api.c - libslac's public API (include/slac/slac.h): diagnostics as
 * data, bytecode both ways, pushed rows against the CSV files, bad rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include "include/slac/slac.h"

/* The diagnostics of a call, one "FILE|LINE|COL|END|SEV|MESSAGE" line each. */
typedef struct {
  char text[4096];
} seen;

static void collect(void *userdata, const slac_api_diag *dg) {
  seen *s = userdata;
  size_t n = strlen(s->text);
  snprintf(s->text + n, sizeof s->text - n, "%s|%ld|%d|%d|%s|%s\n", dg->file ? dg->file : "-",
           dg->line, dg->column, dg->end_column,
           dg->severity == SLAC_API_ERROR ? "error" : dg->severity == SLAC_API_WARNING ? "warning" : "note",
           dg->message);
}

static char *slurp(const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", SLAC_SOURCE_DIR, rel);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[1 << 16];
  *len = fread(buf, 1, sizeof buf - 1, f);
  buf[*len] = 0;
  fclose(f);
  char *copy = malloc(*len + 1);
  assert_non_null(copy);
  memcpy(copy, buf, *len + 1);
  return copy;
}

static slac_api_policy *saleor(seen *s) {
  size_t len;
  char *text = slurp("policies/saleor.sla", &len);
  slac_api_policy *p = slac_policy_compile(text, len, "saleor.sla", collect, s);
  free(text);
  assert_non_null(p);
  return p;
}

static void test_compile_error_through_callback(void **state) {
  (void)state;
  seen s = {""};
  const char *bad = "policy x version 1 {\n  commit 10 min\n}\n";
  assert_null(slac_policy_compile(bad, strlen(bad), "bad.sla", collect, &s));
  assert_string_equal(s.text, "bad.sla|2|3|9|error|`commit` belongs inside a service block: "
                              "write it in `service ID \"TITLE\" { ... }`\n");
}

static void test_warning_on_success(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  assert_string_equal(slac_policy_id(p), "saleor");
  assert_non_null(strstr(s.text, "saleor.sla|15|12|18|warning|gap between the commitment"));
  slac_policy_free(p);
}

/* The bytes of a compiled policy load back to the same bytes and outcomes. */
static void test_bytecode_round_trip(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  const unsigned char *b1, *b2;
  size_t n1, n2;
  assert_int_equal(slac_policy_bytecode(p, &b1, &n1), 0);
  assert_memory_equal(b1, "SLBC", 4);
  slac_api_policy *q = slac_policy_load(b1, n1, "saleor.slbc", collect, &s);
  assert_non_null(q);
  slac_policy_bytecode(q, &b2, &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(b1, b2, n1);
  assert_string_equal(slac_policy_id(q), "saleor");
  slac_policy_free(q);
  slac_policy_free(p);
}

static void test_malformed_bytecode_refused(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  const unsigned char *b;
  size_t n;
  slac_policy_bytecode(p, &b, &n);
  unsigned char *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, b, n);
  copy[n - 1] ^= 1;
  s.text[0] = 0;
  assert_null(slac_policy_load(copy, n, "x.slbc", collect, &s));
  assert_string_equal(s.text, "x.slbc|0|0|0|error|bad bytecode: checksum mismatch: the file is damaged\n");
  s.text[0] = 0;
  assert_null(slac_policy_load(copy, 10, "y.slbc", collect, &s));
  assert_string_equal(s.text, "y.slbc|0|0|0|error|bad bytecode: truncated at byte 10\n");
  free(copy);
  slac_policy_free(p);
}

/* A report in FORMAT written to memory. */
static char *write_format(slac_api_run *r, slac_api_format format, int *rc) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  *rc = slac_run_write(r, format, f);
  fclose(f);
  return buf;
}

static char *write_run(slac_api_run *r, int *rc) { return write_format(r, SLAC_API_JSONL, rc); }

/* examples/saleor's accounts and incidents, pushed row by row. */
static void push_saleor(slac_api_run *r) {
  static const char *const acc[][3] = {{"acme", "1200.00", "USD"}, {"globex", "349.00", "USD"},
                                       {"initech", "89.99", "USD"}};
  for (int i = 0; i < 3; i++)
    assert_int_equal(slac_run_push_account(r, acc[i][0], NULL, acc[i][1], acc[i][2], NULL, NULL), 0);
  static const char *const inc[][4] = {
      {"acme", "2026-09-08T09:12:00Z", "2026-09-08T09:19:40Z", "outage"},
      {"acme", "2026-09-20T01:00:00Z", "2026-09-20T01:08:00Z", "maintenance"},
      {"globex", "2026-09-20T01:00:00Z", "2026-09-20T01:08:00Z", "maintenance"},
      {"globex", "2026-09-27T16:40:00Z", "2026-09-27T17:05:30Z", "outage"},
      {"acme", "2026-10-14T22:00:00Z", "2026-10-14T22:15:00Z", "maintenance"},
      {"acme", "2026-10-14T22:10:00Z", "2026-10-14T22:30:00Z", "outage"},
      {"initech", "2026-10-21T03:00:00Z", "2026-10-21T03:45:00Z", "customer"},
      {"initech", "2026-10-31T23:50:00Z", "2026-11-01T00:30:00Z", "outage"},
      {"globex", "2026-11-05T12:00:00Z", "2026-11-05T12:00:30Z", "outage"},
      {"globex", "2026-11-05T12:00:20Z", "2026-11-05T12:02:00Z", "outage"}};
  for (int i = 0; i < 10; i++)
    assert_int_equal(slac_run_push_incident(r, inc[i][0], "covered", inc[i][1], inc[i][2], inc[i][3]), 0);
}

/* The text, csv, jsonl and html reports of libslac are the command
 * line's, byte for byte: examples/run.sh checks `slac eval` against the
 * same files.  The csv has the amount once per account and month (on the
 * account's row), the text ends with the totals. */
static void test_text_and_csv_as_command_line(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  s.text[0] = 0;
  static const struct {
    slac_api_format format;
    const char *expected;
  } cases[] = {{SLAC_API_TEXT, "examples/saleor/expected.txt"},
               {SLAC_API_CSV, "examples/saleor/expected.csv"},
               {SLAC_API_JSONL, "examples/saleor/expected.jsonl"},
               {SLAC_API_HTML, "examples/saleor/expected.html"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    slac_api_run *r = slac_run_new(p, collect, &s);
    char inc[1024], acc[1024];
    snprintf(inc, sizeof inc, "%s/examples/saleor/incidents.csv", SLAC_SOURCE_DIR);
    snprintf(acc, sizeof acc, "%s/examples/saleor/accounts.csv", SLAC_SOURCE_DIR);
    assert_int_equal(slac_run_add_file(r, inc), 0);
    assert_int_equal(slac_run_set_files(r, acc, NULL, NULL), 0);
    int rc;
    char *got = write_format(r, cases[i].format, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s.text, "");
    size_t len;
    char *expected = slurp(cases[i].expected, &len);
    assert_string_equal(got, expected);
    free(expected);
    free(got);
    slac_run_free(r);
  }
  /* the totals of the text: 52.35 (globex, 2026-09) + 13.50 (initech,
   * 2026-11), 2 of the 3 accounts in 2 of 9 account-months */
  size_t len;
  char *text = slurp("examples/saleor/expected.txt", &len);
  assert_non_null(strstr(text, "\ntotals, 2026-09-01 to 2026-11-30\n  credit 65.85 USD\n"
                               "  accounts credited: 2 of 3 (in 2 of 9 account-months)\n"));
  free(text);
  slac_policy_free(p);
}

/* Pushed rows and the CSV files give the same bytes, the committed ones. */
static void test_pushed_rows_match_csv(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  s.text[0] = 0;
  slac_api_run *files = slac_run_new(p, collect, &s);
  char inc[1024], acc[1024];
  snprintf(inc, sizeof inc, "%s/examples/saleor/incidents.csv", SLAC_SOURCE_DIR);
  snprintf(acc, sizeof acc, "%s/examples/saleor/accounts.csv", SLAC_SOURCE_DIR);
  assert_int_equal(slac_run_add_file(files, inc), 0);
  assert_int_equal(slac_run_set_files(files, acc, NULL, NULL), 0);
  int rc;
  char *from_files = write_run(files, &rc);
  assert_int_equal(rc, 0);
  slac_api_run *rows = slac_run_new(p, collect, &s);
  push_saleor(rows);
  char *from_rows = write_run(rows, &rc);
  assert_int_equal(rc, 0);
  assert_string_equal(s.text, "");
  size_t len;
  char *expected = slurp("examples/saleor/expected.jsonl", &len);
  assert_string_equal(from_files, expected);
  assert_string_equal(from_rows, expected);
  /* files and rows do not mix */
  assert_int_equal(slac_run_add_file(rows, inc), -1);
  assert_int_equal(slac_run_push_account(files, "a", NULL, "1.00", "USD", NULL, NULL), -1);
  free(expected);
  free(from_files);
  free(from_rows);
  slac_run_free(files);
  slac_run_free(rows);
  slac_policy_free(p);
}

typedef struct {
  char lines[16384];
  char first[512];
  int n;
} outcomes;

static void on_outcome(void *userdata, const slac_api_outcome *o) {
  outcomes *c = userdata;
  size_t n = strlen(c->lines);
  snprintf(c->lines + n, sizeof c->lines - n, "%s\n", o->jsonl);
  if (c->n++ == 3) /* globex 2026-09 */
    snprintf(c->first, sizeof c->first, "%s %s %s %s %d %s %s %s %s %lld %lld %zu | %s %s %s %d %s %s",
             o->account, o->period, o->services[0].service, o->services[0].uptime_percent,
             (int)o->services[0].commitment_met, o->services[0].credit_percent, o->credit_percent,
             o->credit_amount, o->currency, o->services[0].unavailable_minutes,
             o->services[0].excluded_minutes, o->nreasons, o->services[0].margin_unit,
             o->services[0].next_tier_credit_percent, o->services[0].to_next_tier,
             (int)o->services[0].to_next_tier_strict, o->services[0].budget_left,
             o->services[0].over_commitment);
}

/* Outcomes as structs, and their jsonl lines identical to the report. */
static void test_outcome_structs(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  slac_api_run *r = slac_run_new(p, collect, &s);
  push_saleor(r);
  outcomes c;
  memset(&c, 0, sizeof c);
  assert_int_equal(slac_run_each(r, on_outcome, &c), 0);
  size_t len;
  char *expected = slurp("examples/saleor/expected.jsonl", &len);
  assert_string_equal(c.lines, expected);
  /* margins: 25% from below 99.9%, 44 of 43,200 min, 18 more than 26;
   * 4 min would have met 99.99% (4.32 is 0.01%), 22 fewer */
  assert_string_equal(c.first, "globex 2026-09 covered 99.9398 0 15 15 52.35 USD 26 8 3 | minutes 25 18 0 0 22");
  free(expected);
  slac_run_free(r);
  slac_policy_free(p);
}

/* One bad incident after a good one: refused at its line (row 2 + 1). */
static void bad_incident(const char *service, const char *start, const char *end, const char *want) {
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  s.text[0] = 0;
  slac_api_run *r = slac_run_new(p, collect, &s);
  assert_int_equal(slac_run_push_incident(r, "ok", "covered", "2026-10-01T00:00:00Z",
                                          "2026-10-01T00:01:00Z", NULL), 0);
  assert_int_equal(slac_run_push_incident(r, "acme", service, start, end, NULL), 0);
  int rc;
  char *out = write_run(r, &rc);
  assert_int_equal(rc, -1);
  assert_string_equal(s.text, want);
  free(out);
  slac_run_free(r);
  slac_policy_free(p);
}

static void test_bad_rows_refused(void **state) {
  (void)state;
  bad_incident("covered", "2026-10-03T14:28:00Z", "2026-10-03T14:05:00Z",
               "<incidents>|3|0|0|error|column 'end': the incident ends before it starts "
               "(start 2026-10-03T14:28:00Z)\n");
  bad_incident("coverd", "2026-10-03T14:05:00Z", "2026-10-03T14:28:00Z",
               "<incidents>|3|0|0|error|column 'service': unknown service \"coverd\": the "
               "policy's services are covered\n");
  bad_incident("covered", "2026-10-03 14:05", "2026-10-03T14:28:00Z",
               "<incidents>|3|0|0|error|column 'start': expected an RFC 3339 timestamp with an "
               "offset, got \"2026-10-03 14:05\" (missing seconds: write the time as hh:mm:ss)\n");
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  s.text[0] = 0;
  slac_api_run *r = slac_run_new(p, collect, &s);
  assert_int_equal(slac_run_push_account(r, "acme", NULL, "-5.00", "USD", NULL, NULL), 0);
  int rc;
  char *out = write_run(r, &rc);
  assert_int_equal(rc, -1);
  assert_string_equal(s.text, "<accounts>|2|0|0|error|column 'fee': expected an amount like "
                              "120.00 (at most two decimals), got \"-5.00\"\n");
  free(out);
  s.text[0] = 0;
  assert_int_equal(slac_run_set_period(r, "2026-13"), -1);
  assert_string_equal(s.text, "-|0|0|0|error|the period must be a month as YYYY-MM or a range "
                              "of months as FROM..TO (2024-01..2024-06), got '2026-13'\n");
  s.text[0] = 0;
  assert_int_equal(slac_run_set_period(r, "2026-11..2026-10"), -1);
  assert_string_equal(s.text, "-|0|0|0|error|the range of months ends before it starts, got "
                              "'2026-11..2026-10'\n");
  slac_run_free(r);
  slac_policy_free(p);
}

/* Records pushed in bulk (as the PostgreSQL extension pushes them) give
 * the bytes of the CSV files; a period range evaluates its months. */
static void test_pushed_records(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  s.text[0] = 0;
  slac_api_run *r = slac_run_new(p, collect, &s);
  /* no service named: the whole fee, as in an accounts file without that column */
  static const char accounts[] = "acme,,1200.00,USD,,\nglobex,\"\",349.00,USD,,\n"
                                 "initech,,89.99,USD,,good\n";
  assert_int_equal(slac_run_push_records(r, SLAC_API_ACCOUNTS, accounts, sizeof accounts - 1), 0);
  size_t len;
  char *csv = slurp("examples/saleor/incidents.csv", &len);
  /* the file's columns are id,account,service,start,end,cause,note: keep 2-6 */
  char records[4096];
  size_t n = 0;
  for (char *line = strchr(csv, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
    char *from = strchr(line, ',') + 1, *to = from;
    for (int comma = 0; comma < 5; to++) comma += *to == ',';
    memcpy(records + n, from, (size_t)(to - 1 - from));
    n += (size_t)(to - 1 - from);
    memcpy(records + n, ",\n", 2); /* announced: none */
    n += 2;
  }
  assert_int_equal(slac_run_push_records(r, SLAC_API_INCIDENTS, records, n / 2), -1);
  assert_string_equal(s.text, "-|0|0|0|error|slac_run_push_records: the records must end with "
                              "a line break\n");
  s.text[0] = 0;
  size_t half = (size_t)(strchr(records + n / 2, '\n') + 1 - records);
  assert_int_equal(slac_run_push_records(r, SLAC_API_INCIDENTS, records, half), 0);
  assert_int_equal(slac_run_push_records(r, SLAC_API_INCIDENTS, records + half, n - half), 0);
  int rc;
  char *out = write_run(r, &rc);
  assert_int_equal(rc, 0);
  char *expected = slurp("examples/saleor/expected.jsonl", &len);
  assert_string_equal(out, expected);
  free(out);
  /* 2026-10..2026-12: December has no data, and is evaluated */
  assert_int_equal(slac_run_set_period(r, "2026-10..2026-12"), 0);
  out = write_run(r, &rc);
  assert_int_equal(rc, 0);
  int lines = 0;
  for (char *q = out; *q; q++) lines += *q == '\n';
  assert_int_equal(lines, 9); /* 3 accounts x 3 months */
  assert_int_equal(s.text[0], 0);
  assert_non_null(strstr(out, "\"period\":\"2026-12\""));
  assert_null(strstr(out, "\"period\":\"2026-09\""));
  free(out);
  free(expected);
  free(csv);
  slac_run_free(r);
  slac_policy_free(p);
}

/* Data files in another layout (eval --column, --timestamps): the same
 * report as the command line's (tests/eval/layout_columns_epoch). */
static void test_file_layout(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  s.text[0] = 0;
  slac_api_run *r = slac_run_new(p, collect, &s);
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/eval/layout_columns_epoch/export.csv", SLAC_SOURCE_DIR);
  assert_int_equal(slac_run_add_file(r, path), 0);
  const char *specs[] = {"account=customer", "service=component", "cause=kind", "start=ts",
                         "end=until"};
  for (size_t i = 0; i < 5; i++) assert_int_equal(slac_run_set_column(r, specs[i]), 0);
  assert_int_equal(slac_run_set_timestamps(r, "epoch"), 0);
  int rc;
  char *out = write_run(r, &rc);
  assert_int_equal(rc, 0);
  assert_string_equal(s.text, "");
  size_t len;
  char *expected = slurp("tests/eval/layout_columns_epoch/expected.out", &len);
  assert_string_equal(out, expected);
  free(out);
  free(expected);
  /* refused: an unknown column, a column twice, an unknown style */
  assert_int_equal(slac_run_set_column(r, "strat=x"), -1);
  assert_int_equal(slac_run_set_column(r, "start=begin"), -1);
  assert_int_equal(slac_run_set_timestamps(r, "unix"), -1);
  assert_string_equal(s.text,
                      "-|0|0|0|error|--column strat=x: 'strat' is not a column of a data file: "
                      "did you mean 'start'? (the columns are account, service, start, end, "
                      "cause, announced, requests, errors, time, ok)\n"
                      "-|0|0|0|error|--column start=begin: the column 'start' is already read "
                      "from 'ts'\n"
                      "-|0|0|0|error|the timestamps are one of rfc3339, epoch, +hhmm, not 'unix'\n");
  slac_run_free(r);
  /* pushed rows are in slac's own layout */
  s.text[0] = 0;
  r = slac_run_new(p, collect, &s);
  assert_int_equal(slac_run_set_timestamps(r, "epoch"), 0);
  push_saleor(r);
  out = write_run(r, &rc);
  assert_int_equal(rc, -1);
  assert_string_equal(s.text, "-|0|0|0|error|a column mapping or a time style describes data "
                              "files; pushed rows are in slac's own layout\n");
  free(out);
  slac_run_free(r);
  slac_policy_free(p);
}

/* Runs of one shared policy in several threads at once give the report. */
typedef struct {
  const slac_api_policy *p;
  char *out;
  int rc;
} thread_job;

static int thread_run(void *arg) {
  thread_job *j = arg;
  slac_api_run *r = slac_run_new(j->p, NULL, NULL);
  push_saleor(r);
  j->out = write_run(r, &j->rc);
  slac_run_free(r);
  return 0;
}

static void test_threads_share_a_policy(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = saleor(&s);
  thread_job jobs[4];
  thrd_t t[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (thread_job){p, NULL, -1};
    assert_int_equal(thrd_create(&t[i], thread_run, &jobs[i]), thrd_success);
  }
  size_t len;
  char *expected = slurp("examples/saleor/expected.jsonl", &len);
  for (int i = 0; i < 4; i++) {
    thrd_join(t[i], NULL);
    assert_int_equal(jobs[i].rc, 0);
    assert_string_equal(jobs[i].out, expected);
    free(jobs[i].out);
  }
  free(expected);
  slac_policy_free(p);
}

static void test_version(void **state) {
  (void)state;
  assert_string_equal(slac_library_version(), SLAC_VERSION_STRING);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compile_error_through_callback),
      cmocka_unit_test(test_warning_on_success),
      cmocka_unit_test(test_bytecode_round_trip),
      cmocka_unit_test(test_malformed_bytecode_refused),
      cmocka_unit_test(test_pushed_rows_match_csv),
      cmocka_unit_test(test_text_and_csv_as_command_line),
      cmocka_unit_test(test_outcome_structs),
      cmocka_unit_test(test_bad_rows_refused),
      cmocka_unit_test(test_pushed_records),
      cmocka_unit_test(test_file_layout),
      cmocka_unit_test(test_threads_share_a_policy),
      cmocka_unit_test(test_version),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
