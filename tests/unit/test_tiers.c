/* test_tiers.c - unit tests of the tier reader (runtime/eval/tiers.c):
 * the terms a plan policy applies to each plan, read back from compiled
 * code, checked against what the VM decides at every minute 0..500; and
 * the reader's strictness: code of another shape gives no table. */
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
#include "runtime/eval/tiers.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/vm.h"

/* tests/eval/html_terms_by_plan's policy, with a second service whose
 * one set of terms comes after the plans' code. */
static const char plan_policy[] =
    "policy vm \"VM terms\" version 1 {\n"
    "  currency USD\n"
    "  service vm \"Virtual Machines\" {\n"
    "    measure unavailable minutes §1\n"
    "    terms for plan \"Standard\" §2 {\n"
    "      commit 99.9%\n"
    "      credit of monthly fee { below 99.9% -> 10% }\n"
    "    }\n"
    "    terms for plans \"Premium\", \"Enterprise\" §3 {\n"
    "      commit 99.99%\n"
    "      credit of monthly fee {\n"
    "        below 99.99% and at or above 99.9% -> 10%\n"
    "        below 99.9%                        -> 25%\n"
    "      }\n"
    "    }\n"
    "    default terms §4 {\n"
    "      commit 99.5%\n"
    "      credit of monthly fee { below 99.5% -> 5% }\n"
    "    }\n"
    "  }\n"
    "  service db \"Databases\" {\n"
    "    measure unavailable minutes §5\n"
    "    commit 99.95% §5\n"
    "    credit of monthly fee {\n"
    "      below 99.95% and at or above 99.0% -> 15%\n"
    "      below 99.0% -> 30%\n"
    "    }\n"
    "  }\n"
    "}\n";

/* Terms by plan without default terms. */
static const char no_default_policy[] =
    "policy vm \"VM terms\" version 1 {\n"
    "  currency USD\n"
    "  service vm \"Virtual Machines\" {\n"
    "    measure unavailable minutes §1\n"
    "    terms for plan \"Standard\" §2 {\n"
    "      commit 99.9%\n"
    "      credit of monthly fee { below 99.9% -> 10% }\n"
    "    }\n"
    "  }\n"
    "}\n";

static slac_num pct(const char *s) {
  slac_num v;
  assert_int_equal(slac_num_parse(s, strlen(s), &v), SLAC_NUM_OK);
  return v;
}

static void assert_num(slac_num got, const char *want) {
  slac_num w = pct(want);
  assert_true(got.units == w.units);
  assert_int_equal(got.above, w.above);
}

static void assert_bound(const slac_tier *t, int b, int op, const char *v) {
  assert_int_equal(t->op[b], op);
  assert_num(t->bound[b], v);
}

static int setup(void **state) {
  *state = test_compile_policy_text("plans.sla", plan_policy);
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  slac_program_free(*state);
  return 0;
}

/* Each plan gets its own terms, the tiers in the order the code tests
 * them (the most severe first: compiler/gen_service.c). */
static void test_each_plan(void **state) {
  const slac_program *p = *state;
  slac_terms_table t;
  assert_int_equal(slac_service_terms(p, 0, "Standard", &t), 0);
  assert_int_equal(t.kind, SLAC_TERMS_PLAN);
  assert_num(t.commit, "99.9");
  assert_int_equal(t.ntiers, 1);
  assert_int_equal(t.tiers[0].nbounds, 1);
  assert_bound(&t.tiers[0], 0, SLAC_OP_LT, "99.9");
  assert_num(t.tiers[0].credit, "10");

  for (int i = 0; i < 2; i++) {
    assert_int_equal(slac_service_terms(p, 0, i ? "Enterprise" : "Premium", &t), 0);
    assert_int_equal(t.kind, SLAC_TERMS_PLAN);
    assert_num(t.commit, "99.99");
    assert_int_equal(t.ntiers, 2);
    assert_int_equal(t.tiers[0].nbounds, 1);
    assert_bound(&t.tiers[0], 0, SLAC_OP_LT, "99.9");
    assert_num(t.tiers[0].credit, "25");
    assert_int_equal(t.tiers[1].nbounds, 2);
    assert_bound(&t.tiers[1], 0, SLAC_OP_LT, "99.99");
    assert_bound(&t.tiers[1], 1, SLAC_OP_GE, "99.9");
    assert_num(t.tiers[1].credit, "10");
  }

  /* a plan no terms name, no plan, and plans compared exactly */
  const char *others[] = {"Basic", "", NULL, "standard", "Standard "};
  for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
    assert_int_equal(slac_service_terms(p, 0, others[i], &t), 0);
    assert_int_equal(t.kind, SLAC_TERMS_DEFAULT);
    assert_num(t.commit, "99.5");
    assert_int_equal(t.ntiers, 1);
    assert_bound(&t.tiers[0], 0, SLAC_OP_LT, "99.5");
    assert_num(t.tiers[0].credit, "5");
  }

  /* the service with one set of terms, whatever the plan */
  assert_int_equal(slac_service_terms(p, 1, "Premium", &t), 0);
  assert_int_equal(t.kind, SLAC_TERMS_ONLY);
  assert_num(t.commit, "99.95");
  assert_int_equal(t.ntiers, 2);
  assert_bound(&t.tiers[0], 0, SLAC_OP_LT, "99.0");
  assert_num(t.tiers[0].credit, "30");
  assert_int_equal(t.tiers[1].nbounds, 2);
  assert_bound(&t.tiers[1], 0, SLAC_OP_LT, "99.95");
  assert_bound(&t.tiers[1], 1, SLAC_OP_GE, "99.0");
  assert_num(t.tiers[1].credit, "15");

  assert_int_equal(slac_service_terms(p, 2, "Premium", &t), -1); /* no such service */
  assert_int_equal(slac_service_terms(p, -1, "Premium", &t), -1);
}

/* The row the statement marks (the first tier holding the uptime, else
 * none) gives the credit and the commitment the VM gives, for every plan
 * at every minute 0..500 of September (43,200 minutes). */
static void test_agrees_with_vm(void **state) {
  const slac_program *p = *state;
  const char *plans[] = {"Standard", "Premium", "Enterprise", "Basic", ""};
  int64_t zeros[256] = {0};
  slac_vm_service_input si[2];
  slac_vm_service_output so[2];
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = so;
  out.no_reasons = true;
  for (size_t k = 0; k < sizeof plans / sizeof *plans; k++) {
    slac_terms_table t;
    assert_int_equal(slac_service_terms(p, 0, plans[k], &t), 0);
    for (int64_t m = 0; m <= 500; m++) {
      memset(si, 0, sizeof si);
      for (int s = 0; s < 2; s++) {
        si[s].unavailable_minutes = m;
        si[s].affected = m > 0;
        si[s].charge = si[s].error_rate = slac_num_int(0);
        si[s].excluded_seconds = si[s].excess_seconds = si[s].late_seconds = zeros;
      }
      slac_vm_input in;
      memset(&in, 0, sizeof in);
      in.month_minutes = 43200;
      in.has_account = true;
      in.fee = slac_num_int(100);
      in.minor_digits = 2;
      in.plan = plans[k];
      in.standing_good = true;
      in.services = si;
      char err[256];
      assert_int_equal(slac_vm_run(p, &in, &out, err, sizeof err), 0);
      slac_num credit = slac_num_int(0);
      for (int i = 0; i < t.ntiers; i++)
        if (slac_tier_holds(&t.tiers[i], so[0].uptime)) {
          credit = t.tiers[i].credit;
          break;
        }
      assert_true(credit.units == so[0].credit.units);
      assert_true(t.commit.units == so[0].commit.units);
    }
  }
  slac_vm_output_clear(&out);
}

/* A plan that no terms name, in a service without default terms: the
 * code only gives a reason, so there is no table. */
static void test_no_default(void **state) {
  (void)state;
  slac_program *p = test_compile_policy_text("nodefault.sla", no_default_policy);
  assert_non_null(p);
  slac_terms_table t;
  assert_int_equal(slac_service_terms(p, 0, "Standard", &t), 0);
  assert_int_equal(t.kind, SLAC_TERMS_PLAN);
  assert_int_equal(t.ntiers, 1);
  assert_int_equal(slac_service_terms(p, 0, "Basic", &t), -1);
  assert_int_equal(slac_service_terms(p, 0, NULL, &t), -1);
  slac_program_free(p);
}

/* The index of the Nth (0-based) instruction "OP FIELD S" of P. */
static uint32_t nth_out(const slac_program *p, int op, int field, int s, int n) {
  for (uint32_t i = 0; i < p->nops; i++)
    if (p->ops[i].op == op && p->ops[i].field == field && p->ops[i].service == s && n-- == 0) return i;
  fail_msg("no such instruction");
  return 0;
}

/* Code of another shape gives no table, never a wrong one: each change
 * of the decoded code below, made to a fresh copy of the program. */
static void test_strict(void **state) {
  (void)state;
  for (int change = 0; change < 6; change++) {
    slac_program *p = test_compile_policy_text("plans.sla", plan_policy);
    assert_non_null(p);
    slac_terms_table t;
    assert_int_equal(slac_service_terms(p, 0, "Premium", &t), 0);
    /* Premium's terms are the second; their first tier's credit is the
     * second STORE_OUT CREDIT of service 0 (Standard has one tier), its
     * second tier's (two bounds) the third */
    uint32_t credit = nth_out(p, SLAC_OP_STORE_OUT, SLAC_OUT_CREDIT, 0, 1);
    uint32_t credit2 = nth_out(p, SLAC_OP_STORE_OUT, SLAC_OUT_CREDIT, 0, 2);
    uint32_t met = nth_out(p, SLAC_OP_STORE_OUT, SLAC_OUT_MET, 0, 1);
    uint32_t uptime = nth_out(p, SLAC_OP_STORE_OUT, SLAC_OUT_UPTIME, 0, 0);
    switch (change) {
    case 0: p->ops[credit].field = SLAC_OUT_AMOUNT; break;      /* a tier that sets no credit */
    case 1: p->ops[credit].service = 1; break;                  /* another service's credit */
    case 2: p->ops[credit - 2].op = SLAC_OP_JMP; break;         /* no JZ after the bounds */
    case 3: p->ops[credit2 - 3].op = SLAC_OP_OR; break;          /* two bounds, not both */
    case 4: p->ops[met - 1].op = SLAC_OP_GT; break;             /* a commitment not "at or above" */
    case 5: p->ops[uptime].service = 1; break;                  /* vm's uptime stored as db's */
    }
    assert_int_equal(slac_service_terms(p, 0, "Premium", &t), -1);
    slac_program_free(p);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_each_plan),
      cmocka_unit_test(test_agrees_with_vm),
      cmocka_unit_test(test_no_default),
      cmocka_unit_test(test_strict),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
