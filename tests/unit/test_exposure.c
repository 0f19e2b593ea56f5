/* test_exposure.c - the exposure (slac eval --exposure) against a brute
 * force: for every further minute d = 0..600 (and a few up to the whole
 * month), slac_eval with --what-if d on the same services, the amounts of
 * all accounts added per month and currency, and the accounts whose amount
 * changed from d - 1; the exposure's step function must give the same
 * total at every d, and a step exactly where some account's amount
 * changes, with the same count.  Policies: tiers in two currencies with a
 * minimum and a cap, terms by plan, two services credited each on its own
 * charge, and a credit that falls as downtime grows; months of 30 and 31
 * days evaluated together. */
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

enum { MAXA = 40, NMONTHS = 2, NCUR = 2, BRUTE = 600 };

/* Unavailable minutes now, chosen about the bounds of the policies below
 * (99.99%: 5 of 43,200; 99.9%: 44; 99.5%: 216/217; 99.0%: 432/433). */
static const int64_t downs[] = {0, 3, 5, 40, 43, 44, 100, 216, 217, 300, 431, 433, 20000, 43200};
#define NDOWNS (sizeof downs / sizeof downs[0])

typedef struct {
  const char *name, *text;
  const char *services[2];   /* the services named (NULL-ended) */
  const char *accounts;      /* the accounts file */
  const char *plans[3];      /* cycled over the accounts (NULL: no column) */
} scenario;

static const scenario scenarios[] = {
    {"tiers",
     "policy t \"T\" version 1 {\n"
     "  currency USD, EUR\n"
     "  service api \"API\" { measure unavailable minutes commit 99.9% }\n"
     "  credit of monthly fee {\n"
     "    below 99.9% and at or above 99.5% -> 10%\n"
     "    below 99.5% and at or above 99.0% -> 25%\n"
     "    below 99.0% -> 50%\n"
     "  }\n"
     "  issue credit only if amount greater than 5.00 USD or 5.00 EUR\n"
     "  credits never exceed 30% of monthly fee\n"
     "}\n",
     {"api", NULL}, NULL, {NULL}},
    {"plans",
     "policy vm \"VM\" version 1 {\n"
     "  currency USD, EUR\n"
     "  service vm \"VM\" {\n"
     "    measure unavailable minutes\n"
     "    terms for plan \"Standard\" { commit 99.9% credit of monthly fee { below 99.9% -> 10% } }\n"
     "    terms for plan \"Premium\" {\n"
     "      commit 99.99%\n"
     "      credit of monthly fee {\n"
     "        below 99.95% and at or above 99.9% -> 10%\n"
     "        below 99.9% -> 25%\n"
     "      }\n"
     "    }\n"
     "    default terms { commit 99.5% credit of monthly fee { at or below 99.5% -> 5% } }\n"
     "  }\n"
     "}\n",
     {"vm", NULL}, NULL, {"Standard", "Premium", "Other"}},
    {"two",
     "policy s \"S\" version 1 {\n"
     "  currency USD, EUR\n"
     "  service a \"A\" {\n"
     "    measure unavailable minutes commit 99.9%\n"
     "    credit of service charge { below 99.9% and at or above 99.0% -> 10% below 99.0% -> 25% }\n"
     "  }\n"
     "  service b \"B\" {\n"
     "    measure unavailable minutes commit 99.5%\n"
     "    credit of service charge { below 99.5% -> 100% }\n"
     "  }\n"
     "  service c \"C\" {\n"
     "    measure unavailable minutes commit 99.0%\n"
     "    credit of service charge { below 99.0% -> 50% }\n"
     "  }\n"
     "  issue credit only if amount at least 2.00 USD or 2.00 EUR\n"
     "}\n",
     {"a", "b"}, NULL, {NULL}},
    {"falls",
     "policy f \"F\" version 1 {\n"
     "  currency USD, EUR\n"
     "  service api \"API\" { measure unavailable minutes commit 99.9% }\n"
     "  credit of monthly fee {\n"
     "    below 99.9% and at or above 99.0% -> 20%\n"
     "    below 99.0% -> 10%\n"
     "  }\n"
     "}\n",
     {"api", NULL}, NULL, {NULL}},
};

static char dir[64], incidents[96], accounts[96];
static slac_month september;

/* One account per entry of DOWNS (in both months), fees and currencies
 * varied; for "two", each account has a charge per service and its
 * downtime in all three services at different amounts. */
static size_t write_files(const scenario *sc) {
  FILE *fi = fopen(incidents, "w"), *fa = fopen(accounts, "w");
  assert_non_null(fi);
  assert_non_null(fa);
  bool two = strcmp(sc->name, "two") == 0;
  fputs("account,service,start,end,cause\n", fi);
  fprintf(fa, "account,fee,currency%s%s\n", sc->plans[0] ? ",plan" : "", two ? ",service" : "");
  size_t n = 0;
  for (size_t i = 0; i < NDOWNS; i++, n++) {
    const char *cur = i % 3 == 2 ? "EUR" : "USD";
    long fee = 1000 + 3737 * (long)i;
    if (two) {
      static const char *const svc[] = {"a", "b", "c"};
      for (int s = 0; s < 3; s++)
        fprintf(fa, "x%zu,%ld.%02ld,%s,%s\n", i, (fee + s * 911) / 100, (fee + s * 911) % 100, cur, svc[s]);
    } else if (sc->plans[0]) {
      fprintf(fa, "x%zu,%ld.%02ld,%s,%s\n", i, fee / 100, fee % 100, cur, sc->plans[i % 3]);
    } else {
      fprintf(fa, "x%zu,%ld.%02ld,%s\n", i, fee / 100, fee % 100, cur);
    }
    for (int month = 9; month <= 10; month++) {
      int64_t m = downs[(i + (size_t)(month - 9) * 5) % NDOWNS];
      const char *services[3] = {two ? "a" : sc->services[0], two ? "b" : NULL, two ? "c" : NULL};
      for (int s = 0; s < 3 && services[s]; s++) {
        int64_t ms = (m + s * 217) % (month == 9 ? 43201 : 44641);
        if (ms == 0) continue;
        /* MS minutes from the month's first instant */
        int64_t end = ms; /* minutes */
        int days = month == 9 ? 30 : 31;
        int64_t d = end / 1440, rem = end % 1440;
        if (d >= days)
          fprintf(fi, "x%zu,%s,2026-%02d-01T00:00:00Z,2026-%02d-01T00:00:00Z,outage\n", i, services[s],
                  month, month + 1);
        else
          fprintf(fi, "x%zu,%s,2026-%02d-01T00:00:00Z,2026-%02d-%02dT%02d:%02d:00Z,outage\n", i,
                  services[s], month, month, (int)d + 1, (int)(rem / 60), (int)(rem % 60));
      }
    }
  }
  fclose(fi);
  fclose(fa);
  return n;
}

/* The brute force's sums: per month and currency, and each outcome's
 * amount in run order (accounts, then months). */
typedef struct {
  slac_num sum[NMONTHS][NCUR];
  slac_num amount[MAXA * NMONTHS];
  int cur[MAXA * NMONTHS], mon[MAXA * NMONTHS];
  size_t n;
} sums;

static void add_outcome(void *ctx, const slac_outcome *o) {
  sums *s = ctx;
  int mi = o->month == september ? 0 : 1; /* September, October */
  assert_true(s->n < MAXA * NMONTHS);
  assert_int_equal(slac_num_add(s->sum[mi][o->in->currency], o->out->amount, &s->sum[mi][o->in->currency]),
                   SLAC_NUM_OK);
  s->amount[s->n] = o->out->amount;
  s->cur[s->n] = o->in->currency;
  s->mon[s->n] = mi;
  s->n++;
}

static void base_options(slac_eval_options *o, slac_program *p, char **paths) {
  memset(o, 0, sizeof *o);
  o->p = p;
  o->accounts_path = accounts;
  o->data_paths = paths;
  o->ndata = 1;
  o->jobs = 1;
  o->has_period = true;
  slac_month_parse("2026-09", 7, &o->period);
  slac_month_parse("2026-10", 7, &o->period_to);
}

static void what_if(slac_program *p, const bool *named, int64_t d, sums *s) {
  char *paths[1] = {incidents};
  int64_t add[8] = {0};
  for (int k = 0; k < p->nservices; k++) add[k] = named[k] ? d : 0;
  slac_eval_options o;
  base_options(&o, p, paths);
  o.what_if = add;
  o.on_outcome = add_outcome;
  o.outcome_ctx = s;
  memset(s, 0, sizeof *s);
  for (int m = 0; m < NMONTHS; m++)
    for (int c = 0; c < NCUR; c++) s->sum[m][c] = slac_num_int(0);
  char err[512] = "";
  slac_diags dg;
  test_message_diags(&dg, err, sizeof err);
  if (slac_eval(&o, &dg) != 0) fail_msg("what-if %lld: %s", (long long)d, err);
}

/* One row of the exposure's csv. */
typedef struct {
  int mon, cur;
  int64_t d;
  long changed;
  slac_num total;
} step_row;

static size_t exposure(slac_program *p, const bool *named, step_row *rows, size_t cap) {
  char *paths[1] = {incidents};
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  slac_eval_options o;
  base_options(&o, p, paths);
  o.exposure = named;
  o.format = SLAC_FORMAT_CSV;
  o.out = f;
  char err[512] = "";
  slac_diags dg;
  test_message_diags(&dg, err, sizeof err);
  if (slac_eval(&o, &dg) != 0) fail_msg("exposure: %s", err);
  fclose(f);
  size_t n = 0;
  char *line = strchr(text, '\n');
  assert_non_null(line);
  for (line++; *line; ) {
    char *next = strchr(line, '\n');
    assert_non_null(next);
    *next = 0;
    /* policy,period,currency,accounts,further_minutes,change,
     * accounts_changed,total,accounts_credited: no field holds a comma */
    char *field[9] = {0};
    int nf = 0;
    for (char *c = line; nf < 9; nf++) {
      field[nf] = c;
      char *comma = strchr(c, ',');
      if (!comma) { nf++; break; }
      *comma = 0;
      c = comma + 1;
    }
    assert_int_equal(nf, 9);
    const char *period = field[1], *cur = field[2], *total = field[7];
    int64_t d = strtoll(field[4], NULL, 10);
    long changed = strtol(field[6], NULL, 10);
    assert_true(n < cap);
    rows[n].mon = strcmp(period, "2026-09") == 0 ? 0 : 1;
    rows[n].cur = strcmp(cur, "USD") == 0 ? 0 : 1;
    rows[n].d = d;
    rows[n].changed = changed;
    assert_int_equal(slac_num_parse(total, strlen(total), &rows[n].total), SLAC_NUM_OK);
    n++;
    line = next + 1;
  }
  free(text);
  return n;
}

/* The total of month MON and currency CUR at D from the steps. */
static slac_num total_at(const step_row *rows, size_t n, int mon, int cur, int64_t d) {
  slac_num t = slac_num_int(0);
  for (size_t i = 0; i < n; i++)
    if (rows[i].mon == mon && rows[i].cur == cur && rows[i].d <= d) t = rows[i].total;
  return t;
}

static long changed_at(const step_row *rows, size_t n, int mon, int cur, int64_t d) {
  for (size_t i = 0; i < n; i++)
    if (rows[i].mon == mon && rows[i].cur == cur && rows[i].d == d) return rows[i].changed;
  return 0;
}

static bool same(slac_num a, slac_num b) { return a.units == b.units && a.above == b.above; }

static void check_scenario(const scenario *sc) {
  write_files(sc);
  slac_program *p = test_compile_policy_text(sc->name, sc->text);
  assert_non_null(p);
  bool named[8] = {false};
  for (int k = 0; k < 2 && sc->services[k]; k++)
    for (int s = 0; s < p->nservices; s++)
      if (strcmp(p->strings[p->services[s].id], sc->services[k]) == 0) named[s] = true;
  static step_row rows[4096];
  size_t nrows = exposure(p, named, rows, sizeof rows / sizeof rows[0]);
  static sums prev, now;
  static const int64_t far[] = {1000, 20000, 43199, 43200, 44639, 44640};
  for (int64_t d = 0; d <= BRUTE + (int64_t)(sizeof far / sizeof far[0]); d++) {
    int64_t dd = d <= BRUTE ? d : far[d - BRUTE - 1];
    what_if(p, named, dd, &now);
    for (int m = 0; m < NMONTHS; m++)
      for (int c = 0; c < NCUR; c++) {
        slac_num t = total_at(rows, nrows, m, c, dd);
        if (!same(t, now.sum[m][c])) {
          char a[64], b[64];
          slac_num_format(t, 2, a, sizeof a);
          slac_num_format(now.sum[m][c], 2, b, sizeof b);
          fail_msg("%s: month %d currency %d at +%lld: exposure %s, what-if %s", sc->name, m, c,
                   (long long)dd, a, b);
        }
        if (d == 0 || d > BRUTE) continue;
        long moved = 0;
        for (size_t i = 0; i < now.n; i++)
          moved += now.mon[i] == m && now.cur[i] == c && !same(now.amount[i], prev.amount[i]);
        if (moved != changed_at(rows, nrows, m, c, dd))
          fail_msg("%s: month %d currency %d at +%lld: exposure moves %ld accounts, what-if %ld",
                   sc->name, m, c, (long long)dd, changed_at(rows, nrows, m, c, dd), moved);
      }
    prev = now;
  }
  slac_program_free(p);
}

static void test_tiers(void **state) { (void)state; check_scenario(&scenarios[0]); }
static void test_plans(void **state) { (void)state; check_scenario(&scenarios[1]); }
static void test_two_services(void **state) { (void)state; check_scenario(&scenarios[2]); }
static void test_credit_falls(void **state) { (void)state; check_scenario(&scenarios[3]); }

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/slac-exposure-XXXXXX");
  if (!mkdtemp(dir)) return -1;
  snprintf(incidents, sizeof incidents, "%s/incidents.csv", dir);
  snprintf(accounts, sizeof accounts, "%s/accounts.csv", dir);
  return slac_month_parse("2026-09", 7, &september);
}

static int teardown(void **state) {
  (void)state;
  unlink(incidents);
  unlink(accounts);
  rmdir(dir);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tiers),
      cmocka_unit_test(test_plans),
      cmocka_unit_test(test_two_services),
      cmocka_unit_test(test_credit_falls),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
