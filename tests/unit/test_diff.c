/* test_diff.c - properties of slac diff (compiler/diff.c) that the
 * data-driven cases of tests/diff cannot cover one by one:
 *
 * - every policy of policies/ compared with itself has no difference;
 * - random credit schedules (overlapping tiers under "most severe tier
 *   applies", bounds on a grid of 0.5%) compared pairwise: at every
 *   quarter of a percent from 90% to 100% (which samples every point and
 *   every open piece the bounds make), and at 0% and 50%, the credits of
 *   an independent brute-force model (the highest credit among the tiers
 *   whose bounds hold) differ exactly where one reported interval covers
 *   the point, with the model's two percentages;
 * - comparing B with A gives the intervals of A with B, old and new
 *   exchanged.
 * Generated pairs that the checker refuses (a tier that never applies)
 * are skipped.  A fixed seed: every run tests the same cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/check.h"
#include "compiler/diff.h"
#include "grammar/frontend.h"
#include "support.h"

/* A policy parsed and checked (model NULL when it has errors). */
typedef struct {
  slac_source src;
  slac_policy *ast;
  slac_model *model;
} parsed;

static void parse_text(parsed *p, const char *text) {
  slac_diags d;
  slac_diags_init(&d, NULL); /* count only */
  memset(p, 0, sizeof *p);
  assert_int_equal(slac_source_from_text(&p->src, "t.sla", text, strlen(text), &d), 0);
  p->ast = slac_parse(&p->src, &d);
  if (p->ast) p->model = slac_check(p->ast, &p->src, &d);
  if (d.errors) {
    slac_model_free(p->model);
    p->model = NULL;
  }
}

static void parse_file(parsed *p, const char *path) {
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  memset(p, 0, sizeof *p);
  assert_int_equal(slac_source_load(&p->src, path, &d), 0);
  p->ast = slac_parse(&p->src, &d);
  assert_non_null(p->ast);
  p->model = slac_check(p->ast, &p->src, &d);
  assert_non_null(p->model);
}

static void parsed_free(parsed *p) {
  slac_model_free(p->model);
  slac_ast_free_policy(p->ast);
  slac_source_free(&p->src);
}

static void test_shipped_equal_to_themselves(void **state) {
  (void)state;
  static const char *const files[] = {
      "atalnetworks.sla", "aws-compute-optimizer.sla", "aws-ecs-anywhere.sla", "aws-rds.sla",
      "aws-s3.sla", "clouddigit.sla", "cobrowse.sla", "digitalocean-app-platform.sla",
      "piwik-pro.sla", "saleor.sla", "swiftpress.sla", "tagoio.sla", "twilio.sla"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/policies/%s", SLAC_SOURCE_DIR, files[i]);
    parsed a, b;
    parse_file(&a, path);
    parse_file(&b, path);
    slac_diff df;
    assert_int_equal(slac_diff_models(a.model, b.model, &df), 0);
    if (df.n) fprintf(stderr, "%s: %d differences with itself\n", files[i], df.n);
    assert_int_equal(df.n, 0);
    slac_diff_free(&df);
    parsed_free(&a);
    parsed_free(&b);
  }
}

/* ------------------------------------------------------------------ */
/* Random schedules.                                                    */

static uint64_t rng;
static uint64_t rnd(void) { return test_splitmix64(&rng); }
static int below(int n) { return (int)(rnd() % (uint64_t)n); }

enum { MAXT = 3 };

/* Bounds in quarters of a percent (the grid: even values, 360..400). */
typedef struct {
  int has_lower, lower, lower_in; /* lower_in: "at or above" */
  int upper, upper_in;            /* upper_in: "at or below" */
  int credit;
} gen_tier;

typedef struct {
  gen_tier t[MAXT];
  int n;
} gen_schedule;

static void generate(gen_schedule *s) {
  static const int credits[] = {5, 10, 15, 25, 50, 100};
  s->n = 1 + below(MAXT);
  for (int k = 0; k < s->n; k++) {
    gen_tier *t = &s->t[k];
    t->upper = 2 * (181 + below(20)); /* 90.5% .. 100% */
    t->upper_in = below(2);
    t->has_lower = below(2);
    t->lower = 2 * (180 + below(t->upper / 2 - 180)); /* 90% .. below the upper */
    t->lower_in = below(2);
    t->credit = credits[below(6)];
  }
}

static void quarters_text(char *buf, size_t size, int q) {
  static const char *const frac[] = {"", ".25", ".5", ".75"};
  snprintf(buf, size, "%d%s", q / 4, frac[q % 4]);
}

static void schedule_text(const gen_schedule *s, char *buf, size_t size) {
  int n = snprintf(buf, size,
                   "policy p \"P\" version 1 {\n  currency USD\n  service s \"S\" {\n"
                   "    measure unavailable minutes\n    commit 100%%\n  }\n"
                   "  credit of monthly fee, most severe tier applies {\n");
  for (int k = 0; k < s->n; k++) {
    const gen_tier *t = &s->t[k];
    char lo[16], hi[16];
    quarters_text(lo, sizeof lo, t->lower);
    quarters_text(hi, sizeof hi, t->upper);
    n += snprintf(buf + n, size - (size_t)n, "    %s %s%%", t->upper_in ? "at or below" : "below", hi);
    if (t->has_lower)
      n += snprintf(buf + n, size - (size_t)n, " and %s %s%%", t->lower_in ? "at or above" : "above", lo);
    n += snprintf(buf + n, size - (size_t)n, " -> %d%%\n", t->credit);
  }
  snprintf(buf + n, size - (size_t)n, "  }\n}\n");
}

/* The model: the highest credit of the tiers that hold at Q quarters. */
static int credit_at(const gen_schedule *s, int q) {
  int best = 0;
  for (int k = 0; k < s->n; k++) {
    const gen_tier *t = &s->t[k];
    if (t->upper_in ? q > t->upper : q >= t->upper) continue;
    if (t->has_lower && (t->lower_in ? q < t->lower : q <= t->lower)) continue;
    if (t->credit > best) best = t->credit;
  }
  return best;
}

/* The credit items of DF that cover Q quarters of a percent. */
static int covering(const slac_diff *df, int q, const slac_diff_item **found) {
  char text[16];
  quarters_text(text, sizeof text, q);
  slac_num x;
  assert_int_equal(slac_num_parse(text, strlen(text), &x), SLAC_NUM_OK);
  int count = 0;
  for (int i = 0; i < df->n; i++) {
    const slac_diff_item *it = &df->items[i];
    if (strcmp(it->topic, "credit") != 0) continue;
    int lo = 0, hi = 0;
    slac_num_cmp(it->lo, x, &lo);
    slac_num_cmp(x, it->hi, &hi);
    if ((lo < 0 || (lo == 0 && it->lo_in)) && (hi < 0 || (hi == 0 && it->hi_in))) {
      *found = it;
      count++;
    }
  }
  return count;
}

static void check_point(const slac_diff *df, const gen_schedule *a, const gen_schedule *b, int q,
                        int case_no) {
  int ca = credit_at(a, q), cb = credit_at(b, q);
  const slac_diff_item *it = NULL;
  int n = covering(df, q, &it);
  if (ca == cb) {
    if (n != 0) fprintf(stderr, "case %d: %d quarters: equal credits, %d intervals\n", case_no, q, n);
    assert_int_equal(n, 0);
    return;
  }
  if (n != 1) fprintf(stderr, "case %d: %d quarters: %d%% vs %d%%, %d intervals\n", case_no, q, ca, cb, n);
  assert_int_equal(n, 1);
  char want_old[16], want_new[16];
  snprintf(want_old, sizeof want_old, "%d%%", ca);
  snprintf(want_new, sizeof want_new, "%d%%", cb);
  assert_string_equal(it->old_text, want_old);
  assert_string_equal(it->new_text, want_new);
}

static void test_random_schedules(void **state) {
  (void)state;
  rng = 20261205;
  int compared = 0;
  for (int c = 0; c < 1000; c++) {
    gen_schedule ga, gb;
    generate(&ga);
    generate(&gb);
    char ta[2048], tb[2048];
    schedule_text(&ga, ta, sizeof ta);
    schedule_text(&gb, tb, sizeof tb);
    parsed a, b;
    parse_text(&a, ta);
    parse_text(&b, tb);
    if (a.model && b.model) {
      slac_diff df, back;
      assert_int_equal(slac_diff_models(a.model, b.model, &df), 0);
      assert_int_equal(slac_diff_models(b.model, a.model, &back), 0);
      check_point(&df, &ga, &gb, 0, c);
      check_point(&df, &ga, &gb, 200, c);
      for (int q = 360; q <= 400; q++) check_point(&df, &ga, &gb, q, c);
      /* the other way round: the same intervals, old and new exchanged */
      assert_int_equal(back.n, df.n);
      for (int i = 0; i < df.n; i++) {
        const slac_diff_item *x = &df.items[i], *y = &back.items[i];
        int lo = 1, hi = 1;
        slac_num_cmp(x->lo, y->lo, &lo);
        slac_num_cmp(x->hi, y->hi, &hi);
        assert_int_equal(lo, 0);
        assert_int_equal(hi, 0);
        assert_int_equal(x->lo_in, y->lo_in);
        assert_int_equal(x->hi_in, y->hi_in);
        assert_string_equal(x->topic, y->topic);
        assert_string_equal(x->old_text ? x->old_text : "-", y->new_text ? y->new_text : "-");
        assert_string_equal(x->new_text ? x->new_text : "-", y->old_text ? y->old_text : "-");
      }
      slac_diff_free(&df);
      slac_diff_free(&back);
      compared++;
    }
    parsed_free(&a);
    parsed_free(&b);
  }
  /* the checker refuses a schedule with a tier that never applies (a
   * tier of more credit covers it): such pairs are skipped, and enough
   * others remain for the property to be tested */
  if (compared < 350) fprintf(stderr, "only %d of 1000 pairs passed the checker\n", compared);
  assert_true(compared >= 350);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_equal_to_themselves),
      cmocka_unit_test(test_random_schedules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
