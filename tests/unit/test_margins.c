/* test_margins.c - unit tests of the margins (runtime/eval/margins.c):
 * the exact minute at which an uptime crosses a bound, and the margins of
 * compiled policies checked against a brute force that runs the VM at
 * every further minute (or error rate) until the credit changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"
#include "runtime/base/num.h"
#include "runtime/eval/margins.h"
#include "runtime/vm/vm.h"

static slac_num pct(const char *s) {
  slac_num v;
  assert_int_equal(slac_num_parse(s, strlen(s), &v), SLAC_NUM_OK);
  return v;
}

/* September: 43,200 minutes.  0.1% of it is 43.2 minutes, 0.5% exactly
 * 216 and 1% exactly 432. */
static void test_crossing(void **state) {
  (void)state;
  assert_int_equal(slac_margins_crossing(43200, pct("99.9"), true), 44);
  assert_int_equal(slac_margins_crossing(43200, pct("99.9"), false), 44);
  assert_int_equal(slac_margins_crossing(43200, pct("99.5"), true), 217);
  assert_int_equal(slac_margins_crossing(43200, pct("99.5"), false), 216);
  assert_int_equal(slac_margins_crossing(43200, pct("99.0"), true), 433);
  assert_int_equal(slac_margins_crossing(43200, pct("99.0"), false), 432);
  assert_int_equal(slac_margins_crossing(43200, pct("99.99"), true), 5);   /* 4.32 */
  assert_int_equal(slac_margins_crossing(44640, pct("99.99"), true), 5);   /* 4.464 */
  assert_int_equal(slac_margins_crossing(40320, pct("99.95"), true), 21);  /* 20.16 */
  assert_int_equal(slac_margins_crossing(43200, pct("100"), true), 1);     /* any minute */
  assert_int_equal(slac_margins_crossing(43200, pct("100"), false), 0);    /* already */
  assert_int_equal(slac_margins_crossing(43200, pct("0"), true), 43201);   /* never */
  assert_int_equal(slac_margins_crossing(43200, pct("0"), false), 43200);  /* all down */
  assert_int_equal(slac_margins_crossing(43200, pct("101"), true), 0);
}

/* The input of a one-service policy: M unavailable minutes (or error
 * rate RATE) in a month of MONTH minutes, for an account of plan PLAN. */
typedef struct {
  int64_t zeros[256];
  slac_vm_service_input si;
  slac_vm_input in;
} one_service;

static void one_service_init(one_service *x, const char *plan, int64_t month, int64_t m, slac_num rate) {
  memset(x, 0, sizeof *x);
  x->si.unavailable_minutes = m;
  x->si.error_rate = rate;
  x->si.affected = m > 0 || rate.units > 0 || rate.above;
  x->si.charge = slac_num_int(0);
  x->si.excluded_seconds = x->si.excess_seconds = x->si.late_seconds = x->zeros;
  x->in.month_minutes = month;
  x->in.has_account = true;
  x->in.fee = slac_num_int(100);
  x->in.minor_digits = 2;
  x->in.plan = plan;
  x->in.standing_good = true;
  x->in.services = &x->si;
}

/* Run P on that input into OUT: the service's credit. */
static slac_num credit_at(const slac_program *p, const char *plan, int64_t month, int64_t m,
                          slac_num rate, slac_vm_output *out) {
  one_service x;
  one_service_init(&x, plan, month, m, rate);
  char err[256];
  assert_int_equal(slac_vm_run(p, &x.in, out, err, sizeof err), 0);
  return out->services[0].credit;
}

static bool same(slac_num a, slac_num b) { return a.units == b.units && a.above == b.above; }

/* The margins of minute M, and what the brute force finds. */
static void check_minutes(slac_margins_ctx *c, const char *plan, int64_t month, int64_t m) {
  const slac_program *p = c->p;
  slac_vm_service_output so[1];
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = so;
  one_service x;
  one_service_init(&x, plan, month, m, slac_num_int(0));
  char err[256];
  assert_int_equal(slac_vm_run(p, &x.in, &out, err, sizeof err), 0);
  slac_margin mg;
  assert_int_equal(slac_margins_compute(c, &x.in, &out, &mg, err, sizeof err), 0);
  assert_true(mg.minutes);
  slac_num now = so[0].credit;
  bool met = so[0].met;
  /* the brute force: every further minute, up to 600 more (every bound
   * of the policies below lies within 450 minutes of none: further on,
   * nothing changes, and scanning a whole month for each minute made the
   * test take over a minute) */
  slac_vm_service_output so2[1];
  slac_vm_output o2;
  memset(&o2, 0, sizeof o2);
  o2.services = so2;
  int64_t next = -1, budget = -1;
  int64_t last = m + 600 < month ? m + 600 : month;
  for (int64_t k = m + 1; k <= last && (next < 0 || budget < 0); k++) {
    slac_num cr = credit_at(p, plan, month, k, slac_num_int(0), &o2);
    if (next < 0 && !same(cr, now)) next = k - m;
    if (budget < 0 && !so2[0].met) budget = k - 1 - m;
  }
  if (!met) budget = 0;
  else if (budget < 0) budget = month - m; /* (never met at 600 more) */
  assert_int_equal(mg.has_next, next >= 0);
  if (next >= 0) assert_int_equal(mg.to_next_minutes, next);
  assert_int_equal(mg.budget_minutes, budget);
  /* fewer: the most minutes at or below M that still meet */
  int64_t over = 0;
  if (!met) {
    int64_t k = m;
    while (k > 0 && !(credit_at(p, plan, month, k, slac_num_int(0), &o2), so2[0].met)) k--;
    over = m - k;
  }
  assert_int_equal(mg.over_minutes, over);
  slac_vm_output_clear(&o2);
  slac_vm_output_clear(&out);
}

static const char terms_policy[] =
    "policy vm \"VM terms\" version 1 {\n"
    "  currency USD\n"
    "  service vm \"Virtual Machines\" {\n"
    "    measure unavailable minutes\n"
    "    terms for plan \"Standard\" {\n"
    "      commit 99.9%\n"
    "      credit of monthly fee { below 99.9% -> 10% }\n"
    "    }\n"
    "    terms for plans \"Premium\" {\n"
    "      commit 99.99%\n"
    "      credit of monthly fee {\n"
    "        below 99.95% and at or above 99.9% -> 10%\n"
    "        below 99.9% and at or above 99.0%  -> 25%\n"
    "        below 99.0%                        -> 50%\n"
    "      }\n"
    "    }\n"
    "    default terms {\n"
    "      commit 99.5%\n"
    "      credit of monthly fee { at or below 99.5% -> 5% }\n"
    "    }\n"
    "  }\n"
    "}\n";

/* Every minute 0..500 of a 30- and a 31-day month, for each plan's terms
 * (a gap between the commitment and the first tier for Premium, an
 * inclusive "at or below" bound for the default terms), and a few near
 * the end of the month. */
static void test_minutes_against_brute_force(void **state) {
  (void)state;
  slac_program *p = test_compile_policy_text("terms.sla", terms_policy);
  assert_non_null(p);
  slac_margins_ctx c;
  assert_int_equal(slac_margins_init(&c, p), 0);
  static const char *const plans[] = {"Standard", "Premium", "Other"};
  static const int64_t months[] = {43200, 44640};
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 2; j++) {
      for (int64_t m = 0; m <= 500; m++) check_minutes(&c, plans[i], months[j], m);
      for (int64_t m = months[j] - 3; m <= months[j]; m++) check_minutes(&c, plans[i], months[j], m);
    }
  slac_margins_free(&c);
  slac_program_free(p);
}

static const char rate_policy[] =
    "policy r \"Rates\" version 1 {\n"
    "  currency USD\n"
    "  service api \"API\" {\n"
    "    measure average error rate over 5 min windows\n"
    "    commit 99.9%\n"
    "  }\n"
    "  credit of monthly fee {\n"
    "    below 99.9% and above 99.0% -> 10%\n"
    "    at or below 99.0%           -> 25%\n"
    "  }\n"
    "}\n";

/* Error rates: the distance to each bound, strict or not, exactly. */
static void test_error_rate(void **state) {
  (void)state;
  slac_program *p = test_compile_policy_text("r.sla", rate_policy);
  assert_non_null(p);
  slac_margins_ctx c;
  assert_int_equal(slac_margins_init(&c, p), 0);
  static const struct {
    const char *rate;
    bool above;
    bool has_next, strict;
    const char *next, *to_next, *budget, *over;
  } cases[] = {
      {"0", false, true, true, "10", "0.1", "0.1", "0"},
      {"0.1", false, true, true, "10", "0", "0", "0"},
      {"0.1", true, true, false, "25", "0.899999999999", "0", "0"}, /* just above 0.1 */
      {"0.5", false, true, false, "25", "0.5", "0", "0.4"},
      {"0.999999999999", false, true, false, "25", "0.000000000001", "0", "0.899999999999"},
      {"1", false, false, false, NULL, NULL, "0", "0.9"},
      {"100", false, false, false, NULL, NULL, "0", "99.9"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    slac_vm_service_output so[1];
    slac_vm_output out;
    memset(&out, 0, sizeof out);
    out.services = so;
    slac_num rate = pct(cases[i].rate);
    rate.above = cases[i].above;
    credit_at(p, "", 43200, 0, rate, &out);
    one_service x;
    one_service_init(&x, "", 43200, 0, rate);
    slac_margin mg;
    char err[256], b[64];
    assert_int_equal(slac_margins_compute(&c, &x.in, &out, &mg, err, sizeof err), 0);
    assert_false(mg.minutes);
    assert_int_equal(mg.has_next, cases[i].has_next);
    if (cases[i].has_next) {
      slac_num_format(mg.next_credit, -1, b, sizeof b);
      assert_string_equal(b, cases[i].next);
      slac_num_format(mg.to_next_points, -1, b, sizeof b);
      assert_string_equal(b, cases[i].to_next);
      assert_int_equal(mg.to_next_strict, cases[i].strict);
    }
    slac_num_format(mg.budget_points, -1, b, sizeof b);
    assert_string_equal(b, cases[i].budget);
    slac_num_format(mg.over_points, -1, b, sizeof b);
    assert_string_equal(b, cases[i].over);
    slac_vm_output_clear(&out);
  }
  slac_margins_free(&c);
  slac_program_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_crossing),
      cmocka_unit_test(test_minutes_against_brute_force),
      cmocka_unit_test(test_error_rate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
