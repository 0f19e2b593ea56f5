/* test_incident_batch.c - incident rows read in batches (readers.c) must
 * land exactly where rows read one by one would, and errors must come in
 * file order.
 *
 * slac_dataset_find_many is checked against slac_dataset_find.  A file of
 * 2,000 rows over 70 accounts (names from 1 to 90 bytes, so some are read
 * alone; quoted names with commas; accounts first seen in the middle of a
 * batch and seen again in it; rows without a cause; excluded and late
 * causes) is read, and every account's order, first line and span sets
 * are compared with a model the test builds row by row with the interval
 * algebra.  A row that is not in the accounts file, followed in the same
 * batch by a row with a bad time or one the CSV reader rejects, must be
 * the one error reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/base/timestamp.h"
#include "runtime/data/readers.h"
#include "support.h"

static char dir[256];
static slac_program *policy;

static const char policy_text[] =
    "policy p \"Batched incidents\" version 1 {\n"
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

enum { ACCOUNTS = 70, ROWS = 2000 };

static const char *path_of(const char *name) {
  static char buf[2][512];
  static int k;
  k = (k + 1) % 2;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

/* Account I's name as the dataset keeps it (RAW) and as the CSV writes it. */
static void name_of(int i, char *raw, char *csv, size_t size) {
  if (i % 9 == 4) {
    snprintf(raw, size, "acct \"%d\", inc", i);
    snprintf(csv, size, "\"acct \"\"%d\"\", inc\"", i);
    return;
  }
  /* lengths 1 to 90: past the batch's 64-byte names */
  int len = 1 + (i * 37) % 90;
  int n = snprintf(raw, size, "%d-", i);
  for (; n < len; n++) raw[n] = (char)('a' + (i + n) % 26);
  raw[n > len ? n : len] = 0;
  snprintf(csv, size, "%s", raw);
}

/* The model: per account and service, the counting, excluded and late sets. */
typedef struct {
  long first_line;
  slac_spanset counting[2], customer[2], late[2];
  bool seen;
} model_account;

static model_account model[ACCOUNTS];
static int model_order[ACCOUNTS], model_seen;

static void model_free(void) {
  for (int i = 0; i < ACCOUNTS; i++)
    for (int s = 0; s < 2; s++) {
      slac_spanset_free(&model[i].counting[s]);
      slac_spanset_free(&model[i].customer[s]);
      slac_spanset_free(&model[i].late[s]);
    }
  memset(model, 0, sizeof model);
  model_seen = 0;
}

/* Write the file and build the model.  Accounts come in runs, so that a
 * new one often appears mid-batch and again right after. */
static void write_incidents(void) {
  FILE *f = fopen(path_of("incidents.csv"), "wb");
  assert_non_null(f);
  fputs("account,service,start,end,cause\n", f);
  uint64_t x = 7;
  const slac_time t0 = 1790553600; /* 2026-09-28T00:00:00Z */
  int acct = 0;
  for (int r = 0; r < ROWS; r++) {
    uint64_t y = test_splitmix64(&x);
    if (y % 4 != 0) acct = (int)((y >> 8) % ACCOUNTS); /* else the same as the last row */
    int s = (y >> 20) % 3 == 0;
    slac_time start = t0 + (slac_time)((y >> 24) % (6u * 86400u)) / 60 * 60;
    slac_time end = start + (slac_time)((y >> 44) % 90u) * 60; /* 0 (empty) to 89 min */
    int cause = (int)((y >> 52) % 4); /* none, customer, maintenance (late: no announcement), none */
    static const char *const causes[] = {"", "customer", "maintenance", ""};
    char raw[128], csv[160], a[32], b[32];
    name_of(acct, raw, csv, sizeof raw);
    slac_time_format(start, a);
    slac_time_format(end, b);
    fprintf(f, "%s,%s,%s,%s,%s\n", csv, s ? "web" : "api", a, b, causes[cause]);
    model_account *m = &model[acct];
    if (!m->seen) {
      m->seen = true;
      m->first_line = r + 2;
      model_order[model_seen++] = acct;
    }
    if (cause == 1) {
      assert_int_equal(slac_spanset_add(&m->customer[s], start, end), 0);
    } else {
      if (cause == 2) assert_int_equal(slac_spanset_add(&m->late[s], start, end), 0);
      assert_int_equal(slac_spanset_add(&m->counting[s], start, end), 0);
    }
  }
  assert_int_equal(fclose(f), 0);
  for (int i = 0; i < ACCOUNTS; i++)
    for (int s = 0; s < 2; s++) {
      assert_int_equal(slac_spanset_flush(&model[i].counting[s]), 0);
      assert_int_equal(slac_spanset_flush(&model[i].customer[s]), 0);
      assert_int_equal(slac_spanset_flush(&model[i].late[s]), 0);
    }
}

/* SET (NULL: never made) holds the spans of WANT. */
static void same_spans(const slac_spanset *set, const slac_spanset *want, const char *who, const char *what) {
  if (!set) {
    if (want->n) fail_msg("%s: %s: no set, %u spans expected", who, what, want->n);
    return;
  }
  if (set->n != want->n) fail_msg("%s: %s: %u spans, %u expected", who, what, set->n, want->n);
  for (uint32_t k = 0; k < set->n; k++)
    if (slac_spanset_at(set, k).start != slac_spanset_at(want, k).start || slac_spanset_at(set, k).end != slac_spanset_at(want, k).end)
      fail_msg("%s: %s: span %u differs", who, what, k);
}

static void test_read_equals_model(void **state) {
  (void)state;
  write_incidents();
  slac_dataset ds;
  slac_diags d;
  slac_diags_init(&d, stderr);
  assert_int_equal(slac_dataset_init(&ds, policy), 0);
  assert_int_equal(slac_read_data(&ds, path_of("incidents.csv"), SLAC_DATA_INCIDENTS, 0, false, &d), 0);
  assert_int_equal(d.errors, 0);
  assert_int_equal((int)ds.naccounts, model_seen);
  int customer = slac_program_cause(policy, "customer", 8);
  int maintenance = slac_program_cause(policy, "maintenance", 11);
  assert_true(customer > 0 && maintenance > 0);
  /* late sets are kept up to the last cause to be announced, not for all */
  assert_int_equal(ds.late_causes, maintenance + 1);
  assert_true(ds.late_causes < policy->ncauses);
  for (int k = 0; k < model_seen; k++) {
    int i = model_order[k];
    char raw[128], csv[160];
    name_of(i, raw, csv, sizeof raw);
    const slac_account *a = &ds.accounts[k];
    assert_string_equal(a->name, raw);
    assert_int_equal(a->first_line, model[i].first_line);
    for (int s = 0; s < 2; s++) {
      const slac_svc_state *st = &a->svc[s];
      same_spans(st->counting, &model[i].counting[s], raw, "counting");
      same_spans(st->excluded ? &st->excluded[customer] : NULL, &model[i].customer[s], raw, "customer");
      same_spans(st->late ? &st->late[maintenance] : NULL, &model[i].late[s], raw, "late maintenance");
    }
  }
  slac_dataset_free(&ds);
  model_free();
}

static void test_find_many_agrees_with_find(void **state) {
  (void)state;
  slac_dataset ds;
  assert_int_equal(slac_dataset_init(&ds, policy), 0);
  char names[3000][16];
  for (int i = 0; i < 3000; i++) snprintf(names[i], sizeof names[i], "n%d", i * 7);
  for (int i = 0; i < 3000; i += 2) /* every other one exists */
    assert_non_null(slac_dataset_get(&ds, names[i], strlen(names[i]), 0, i + 2));
  for (int from = 0; from < 3000; from += 29) {
    const char *ptr[SLAC_FIND_MANY];
    size_t len[SLAC_FIND_MANY];
    uint32_t out[SLAC_FIND_MANY];
    size_t n = (size_t)(from % SLAC_FIND_MANY) + 1;
    for (size_t j = 0; j < n; j++) {
      int i = (from + (int)j * 13) % 3000;
      ptr[j] = names[i];
      len[j] = strlen(names[i]);
    }
    memset(out, 0xff, sizeof out);
    slac_dataset_find_many(&ds, ptr, len, n, out);
    for (size_t j = 0; j < n; j++) {
      const slac_account *a = slac_dataset_find(&ds, ptr[j], len[j]);
      assert_int_equal(out[j], a ? (uint32_t)(a - ds.accounts) + 1 : 0);
    }
    if (n < SLAC_FIND_MANY) assert_int_equal(out[n], UINT32_MAX); /* nothing past N written */
  }
  slac_dataset_free(&ds);
}

/* Every diagnostic: its line and message. */
typedef struct {
  int count;
  long line;
  char message[512];
} seen_diags;

static void keep_diag(void *ctx, const slac_diagnostic *dg) {
  seen_diags *s = ctx;
  if (s->count++ == 0) {
    s->line = dg->site.line;
    snprintf(s->message, sizeof s->message, "%s", dg->message);
  }
}

/* The accounts file lists "a" only; ROWS are the incident rows. */
static void read_with_error(const char *rows, seen_diags *seen, slac_dataset *ds) {
  FILE *f = fopen(path_of("accounts.csv"), "wb");
  assert_non_null(f);
  fputs("account,fee,currency\na,100.00,USD\n", f);
  assert_int_equal(fclose(f), 0);
  f = fopen(path_of("incidents.csv"), "wb");
  assert_non_null(f);
  fprintf(f, "account,service,start,end,cause\n%s", rows);
  assert_int_equal(fclose(f), 0);
  slac_diags d;
  slac_diags_init(&d, NULL);
  memset(seen, 0, sizeof *seen);
  d.sink = keep_diag;
  d.sink_ctx = seen;
  assert_int_equal(slac_dataset_init(ds, policy), 0);
  assert_int_equal(slac_read_accounts(ds, path_of("accounts.csv"), &d), 0);
  assert_int_equal(slac_read_data(ds, path_of("incidents.csv"), SLAC_DATA_INCIDENTS, 1, false, &d), -1);
  assert_int_equal(d.errors, 1);
  assert_int_equal(seen->count, 1);
}

static void test_errors_in_file_order(void **state) {
  (void)state;
  seen_diags seen;
  slac_dataset ds;
  /* line 3 is not listed (a plain row, batched), line 4 has a bad time
   * (ends the batch): the error of line 3 is the one */
  read_with_error("a,api,2026-10-01T00:00:00Z,2026-10-01T00:10:00Z,\n"
                  "stranger,api,2026-10-01T01:00:00Z,2026-10-01T01:10:00Z,\n"
                  "a,api,2026-10-01T02:00:00Z,soon,\n",
                  &seen, &ds);
  assert_int_equal(seen.line, 3);
  assert_string_equal(seen.message, "account \"stranger\" is not in the accounts file");
  slac_dataset_free(&ds);
  /* the same before a row the CSV reader rejects (a field too many): the
   * rows of the batch come first, and line 3's error is the one */
  read_with_error("a,api,2026-10-01T00:00:00Z,2026-10-01T00:10:00Z,\n"
                  "stranger,api,2026-10-01T01:00:00Z,2026-10-01T01:10:00Z,\n"
                  "a,api,2026-10-01T02:00:00Z,2026-10-01T02:10:00Z,,\n",
                  &seen, &ds);
  assert_int_equal(seen.line, 3);
  assert_string_equal(seen.message, "account \"stranger\" is not in the accounts file");
  slac_dataset_free(&ds);
  /* 40 plain rows, then a bad one: the 40 are folded, the error is line 42's */
  char rows[4096] = "";
  for (int i = 0; i < 40; i++) {
    size_t n = strlen(rows);
    snprintf(rows + n, sizeof rows - n, "a,%s,2026-10-%02dT00:00:00Z,2026-10-%02dT00:01:00Z,\n",
             i % 2 ? "web" : "api", 1 + i % 28, 1 + i % 28);
  }
  strcat(rows, "a,api,2026-10-02T00:00:00Z,2026-10-01T00:00:00Z,\n");
  read_with_error(rows, &seen, &ds);
  assert_int_equal(seen.line, 42);
  assert_string_equal(seen.message, "the incident ends before it starts (start 2026-10-02T00:00:00Z)");
  assert_int_equal(ds.naccounts, 1);
  assert_non_null(ds.accounts[0].svc[0].counting);
  assert_int_equal(ds.accounts[0].svc[0].counting->n, 14); /* api: the odd days 1..27 */
  slac_dataset_free(&ds);
}

static int setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/slac-incident-batch.XXXXXX", t && *t ? t : "/tmp");
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
      cmocka_unit_test(test_find_many_agrees_with_find),
      cmocka_unit_test(test_read_equals_model),
      cmocka_unit_test(test_errors_in_file_order),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
