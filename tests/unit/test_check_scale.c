/* test_check_scale.c - slac_check on policies long in one dimension
 * (issue 15): causes, services, the plans of one `plan in` condition, the
 * plans of a service's terms.  Each check compared every name with every
 * earlier one (65,537 plan names took 147 s).  Here the CPU time of a
 * policy eight times as long must stay within three times eight (best of
 * 5 runs, the memory of one run kept for the next): quadratic work makes
 * it 64.  Past 255 causes or services every further one is an error: the
 * policies long in those are refused, and must be refused as fast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/check.h"
#include "grammar/frontend.h"
#include "support.h"

typedef enum { CAUSES, SERVICES, SCHEDULES, PLAN_IN, TERMS, NDIMS } dimension;
static const char *const dim_name[NDIMS] = {"causes", "services", "services' own schedules",
                                            "plan in", "terms plans"};

typedef struct {
  char *text;
  size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) SLAC_PRINTF(2, 3);
static void put(buf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(b->text + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if ((size_t)n < b->cap - b->len) {
      b->len += (size_t)n;
      return;
    }
    b->cap = b->cap * 2 + (size_t)n + 1;
    b->text = realloc(b->text, b->cap);
    assert_non_null(b->text);
  }
}

/* A valid policy with N names of dimension D. */
static buf policy(dimension d, int n) {
  buf b = {NULL, 0, 0};
  put(&b, "policy t \"T\" version 1 {\n  currency USD\n"
          "  credit of monthly fee {\n    below 99.9%% -> 10%%\n  }\n");
  if (d == SERVICES || d == SCHEDULES)
    for (int i = 0; i < n; i++)
      put(&b, "  service s%d \"S\" {\n    measure unavailable minutes\n    commit 99.9%%\n%s  }\n", i,
          d == SCHEDULES ? "    credit of monthly fee {\n      below 99.9% -> 5%\n    }\n" : "");
  else if (d == TERMS) {
    put(&b, "  service api \"A\" {\n    measure unavailable minutes\n    terms for plans ");
    for (int i = 0; i < n; i++) put(&b, "%s\"p%d\"", i ? ", " : "", i);
    put(&b, " {\n      commit 99.9%%\n    }\n    default terms {\n      commit 99.9%%\n    }\n  }\n");
  } else
    put(&b, "  service api \"A\" {\n    measure unavailable minutes\n    commit 99.9%%\n  }\n");
  if (d == CAUSES)
    for (int i = 0; i < n; i++) put(&b, "  cause c%d \"C\"\n  exclude c%d\n", i, i);
  if (d == PLAN_IN) {
    put(&b, "  not eligible when plan in { ");
    for (int i = 0; i < n; i++) put(&b, "%s\"p%d\"", i ? ", " : "", i);
    put(&b, " }\n");
  }
  put(&b, "}\n");
  return b;
}

static FILE *devnull;

/* Check policy B, its diagnostics written to OUT; *MODEL (may be NULL)
 * whether a model came out. */
static void check_into(const buf *b, FILE *out, bool *model) {
  slac_diags d;
  slac_diags_init(&d, out);
  d.quiet_warnings = true;
  slac_source src;
  assert_int_equal(slac_source_from_text(&src, "t.sla", b->text, b->len, &d), 0);
  slac_policy *p = slac_parse(&src, &d);
  assert_non_null(p);
  slac_model *m = slac_check(p, &src, &d);
  assert_true(m != NULL || d.errors > 0);
  if (model) *model = m != NULL;
  slac_model_free(m);
  slac_ast_free_policy(p);
  slac_source_free(&src);
}

static void check_text(void *arg) { check_into(arg, devnull, NULL); }

static void test_check_is_not_quadratic(void **state) {
  (void)state;

  static const int n[NDIMS] = {2000, 2000, 1000, 4000, 4000};
  devnull = fopen("/dev/null", "w");
  assert_non_null(devnull);
  bool ok = true;
  for (int d = 0; d < NDIMS; d++) {
    buf small = policy((dimension)d, n[d]), large = policy((dimension)d, 8 * n[d]);
    double t_large = test_best_cpu(5, check_text, &large);
    double t_small = test_best_cpu(5, check_text, &small);
    print_message("%s: %d names %.4f s, %d names %.4f s\n", dim_name[d], n[d], t_small,
                  8 * n[d], t_large);
    ok &= t_large < 24 * t_small + 0.01;
    free(small.text);
    free(large.text);
  }
  fclose(devnull);
  assert_true(ok);
}

/* The duplicates are still found, once each, where they are. */
static void test_duplicates_still_reported(void **state) {
  (void)state;
  static const char text[] =
      "policy t \"T\" version 1 {\n"
      "  currency USD\n"
      "  credit of monthly fee {\n    below 99.9% -> 10%\n  }\n"
      "  service api \"A\" {\n    measure unavailable minutes\n"
      "    terms for plans \"a\", \"b\", \"a\" {\n      commit 99.9%\n    }\n"
      "    terms for plan \"b\" {\n      commit 99.9%\n    }\n  }\n"
      "  service api \"B\" {\n    measure unavailable minutes\n    commit 99.9%\n  }\n"
      "  cause late \"L\"\n  cause late \"L again\"\n  exclude late\n"
      "  not eligible when plan in { \"x\", \"y\", \"x\", \"x\" }\n"
      "}\n";
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  assert_non_null(f);
  slac_diags d;
  slac_diags_init(&d, f);
  slac_source src;
  assert_int_equal(slac_source_from_text(&src, "t.sla", text, strlen(text), &d), 0);
  slac_policy *p = slac_parse(&src, &d);
  assert_non_null(p);
  assert_null(slac_check(p, &src, &d));
  slac_ast_free_policy(p);
  slac_source_free(&src);
  fclose(f);
  static const char *const want[] = {
      "t.sla:8:31: error: plan \"a\" already has terms for service 'api', on line 8: a plan "
      "chooses one commitment\n",
      "t.sla:11:20: error: plan \"b\" already has terms for service 'api', on line 8: a plan "
      "chooses one commitment\n",
      "t.sla:15:11: error: service 'api' is defined twice (first on line 6)\n",
      "t.sla:20:9: error: cause 'late' is declared twice\n",
      "t.sla:22:41: warning: plan \"x\" is listed twice\n",
      "t.sla:22:46: warning: plan \"x\" is listed twice\n",
  };
  const char *at = out;
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const char *hit = strstr(at, want[i]);
    if (!hit) fail_msg("missing, or out of order: %s\nin:\n%s", want[i], out);
    at = hit + strlen(want[i]);
  }
  /* the third "x" is reported once, not once per earlier "x" */
  assert_null(strstr(at, "listed twice"));
  free(out);
}

/* Diagnostics of checking TEXT, in a string the caller frees; *MODEL
 * whether a model came out. */
static char *check_messages(const buf *b, bool *model) {
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  assert_non_null(f);
  check_into(b, f, model);
  fclose(f);
  return out;
}

/* The bytecode counts the plans of a list in 16 bits: 65,535 names were
 * cut to none and the excluded plan was paid.  The checker refuses the
 * list at its clause; 65,534 names pass. */
static void test_plan_list_limit(void **state) {
  (void)state;
  for (int d = PLAN_IN; d <= TERMS; d++) {
    bool model;
    buf ok = policy((dimension)d, 65534), over = policy((dimension)d, 65535);
    char *msg = check_messages(&ok, &model);
    assert_true(model);
    assert_string_equal(msg, "");
    free(msg);
    msg = check_messages(&over, &model);
    assert_false(model);
    assert_non_null(strstr(msg, "error: a list of plans holds at most 65534 names, not 65535\n"));
    free(msg);
    free(ok.text);
    free(over.text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_is_not_quadratic),
      cmocka_unit_test(test_duplicates_still_reported),
      cmocka_unit_test(test_plan_list_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
