/* test_vm_reuse.c - one slac_vm_output reused across runs (issue 21 item
 * 3): the reasons of a run are written into the output's own text buffer,
 * so that once it has grown a run allocates nothing.
 *
 * A compiled policy with citations runs on one output several times; each
 * run's reasons are checked exactly, and the runs after the first must not
 * call malloc, calloc or realloc.  The allocations are counted through the
 * linker's --wrap (tests/CMakeLists.txt sets SLAC_TEST_WRAP_ALLOC where it
 * can; without it, only the buffers' addresses and sizes are compared).
 * With the count, each allocation of a first run is also made to fail in
 * turn: the run returns -2 with "out of memory", and the reasons written
 * before the failure stay readable.
 */
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
#include "runtime/vm/program.h"
#include "runtime/vm/vm.h"

/* ------------------------------------------------------------------ */
/* Counting (and failing) the allocations of the code under test        */
/* ------------------------------------------------------------------ */

static long allocs;    /* calls of malloc, calloc, realloc so far */

#ifdef SLAC_TEST_WRAP_ALLOC
static long fail_at;   /* the allocation that returns NULL (1-based); 0 none */
void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static int fails(void) { return ++allocs == fail_at; }
void *__wrap_malloc(size_t size) { return fails() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t n, size_t size) { return fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size) { return fails() ? NULL : __real_realloc(p, size); }
#endif

/* ------------------------------------------------------------------ */
/* The policy and its inputs                                            */
/* ------------------------------------------------------------------ */

static const char policy[] =
    "policy t version 1 {\n"
    "  currency USD\n"
    "  period calendar month in UTC\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes\n"
    "    commit 99.9% \xC2\xA7" "2\n"
    "  }\n"
    "  credit of monthly fee, most severe tier applies {\n"
    "    below 99.9% -> 10% \xC2\xA7" "3\n"
    "    below 99% -> 25% \xC2\xA7" "3\n"
    "  }\n"
    "}\n";

/* What the policy says for M minutes down in a 30-day month. */
static const char *const down_45[] = {
    "uptime 99.8958% is below 99.9%: tier 10% (\xC2\xA7" "3)",
    "credit 10% of the monthly fee 80.00 USD: 8.00 USD",
};
static const char *const down_43[] = {
    "uptime 99.9004% meets the commitment of 99.9% (\xC2\xA7" "2)",
};
static const char *const down_600[] = {
    "uptime 98.6111% is below 99%: tier 25% (\xC2\xA7" "3)",
    "credit 25% of the monthly fee 80.00 USD: 20.00 USD",
};

typedef struct {
  slac_program *p;
  int64_t zero[1];
  slac_vm_service_input si;
  slac_vm_input in;
  slac_vm_service_output so;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f) return -1;
  f->p = test_compile_policy_text("t.sla", policy);
  if (!f->p) { free(f); return -1; }
  f->si = (slac_vm_service_input){.excluded_seconds = f->zero, .excess_seconds = f->zero};
  f->in = (slac_vm_input){.month_minutes = 43200, .has_account = true, .fee = slac_num_int(80),
                          .currency = 0, .minor_digits = 2, .plan = "", .standing_good = true,
                          .services = &f->si};
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  slac_program_free(f->p);
  free(f);
  return 0;
}

/* Runs the policy on OUT with M minutes down; returns what slac_vm_run
 * returned, its message in ERR. */
static int run_down(fixture *f, slac_vm_output *out, int64_t m, char *err, size_t errsize) {
  f->si.unavailable_minutes = m;
  f->si.affected = m > 0;
  return slac_vm_run(f->p, &f->in, out, err, errsize);
}

/* OUT's reasons are exactly WANT[N], each inside OUT's text and one after
 * the other. */
static void expect_reasons(const slac_vm_output *out, const char *const *want, size_t n) {
  assert_int_equal(out->nreasons, n);
  const char *at = out->text.s;
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(out->reasons[i], want[i]);
    assert_ptr_equal(out->reasons[i], at);
    at += strlen(at) + 1;
  }
  assert_true((size_t)(at - out->text.s) == out->text.len);
  assert_true(out->text.len < out->text.cap);
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

static void test_second_run_allocates_nothing(void **state) {
  fixture *f = *state;
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = &f->so;
  char err[256];

  assert_int_equal(run_down(f, &out, 45, err, sizeof err), 0);
  expect_reasons(&out, down_45, 2);
  assert_non_null(out.text.s);
  const char *text = out.text.s;
  char **reasons = out.reasons;
  size_t cap = out.text.cap, reasons_cap = out.reasons_cap;

  /* the same run again, then a shorter and a longer one: no allocation */
  long before = allocs;
  assert_int_equal(run_down(f, &out, 45, err, sizeof err), 0);
  expect_reasons(&out, down_45, 2);
  assert_int_equal(run_down(f, &out, 43, err, sizeof err), 0);
  expect_reasons(&out, down_43, 1);
  assert_int_equal(run_down(f, &out, 600, err, sizeof err), 0);
  expect_reasons(&out, down_600, 2);
  assert_int_equal(allocs, before); /* always 0 = 0 without the wrap */
  assert_ptr_equal(out.text.s, text);
  assert_ptr_equal(out.reasons, reasons);
  assert_int_equal(out.text.cap, cap);
  assert_int_equal(out.reasons_cap, reasons_cap);

  slac_vm_output_clear(&out);
  assert_null(out.reasons);
  assert_null(out.text.s);
  assert_int_equal(out.nreasons, 0);
  assert_int_equal(out.text.len, 0);
  assert_int_equal(out.text.cap, 0);
  /* cleared, the output runs again as new */
  assert_int_equal(run_down(f, &out, 43, err, sizeof err), 0);
  expect_reasons(&out, down_43, 1);
  slac_vm_output_clear(&out);
}

/* A program whose text outgrows the first buffer and whose reasons
 * outnumber the first pointer array (8): every reason stays right although
 * the text moved while the run wrote it. */
static void test_text_moves_while_running(void **state) {
  fixture *f = *state;
  enum { NS = 12 };
  char src[4096];
  size_t n = (size_t)snprintf(src, sizeof src, "policy t version 1 {\n  currency USD\n"
                              "  period calendar month in UTC\n");
  for (int i = 0; i < NS; i++)
    n += (size_t)snprintf(src + n, sizeof src - n, "  service s%d \"S%d\" {\n"
                          "    measure unavailable minutes\n"
                          "    commit 99.9%% \xC2\xA7" "4.%d(a)\n  }\n", i, i, i);
  snprintf(src + n, sizeof src - n, "  credit of monthly fee {\n    below 99.9%% -> 10%%\n  }\n}\n");
  slac_program *p = test_compile_policy_text("many.sla", src);
  assert_non_null(p);
  slac_vm_service_input si[NS];
  for (int i = 0; i < NS; i++) {
    si[i] = f->si;
    si[i].unavailable_minutes = i * 7;
    si[i].affected = i > 0;
  }
  slac_vm_input in = f->in;
  in.services = si;
  slac_vm_service_output so[NS];
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = so;
  char err[256];
  assert_int_equal(slac_vm_run(p, &in, &out, err, sizeof err), 0);
  assert_true(out.nreasons > 8);
  assert_true(out.text.len > 256); /* past the first allocation */
  assert_string_equal(out.reasons[0], "s0: uptime 100.0000% meets the commitment of 99.9% (\xC2\xA7" "4.0(a))");
  assert_string_equal(out.reasons[11], "s11: uptime 99.8217% is below 99.9%: tier 10%");
  /* a copy of each, to compare the second run with */
  size_t nr = out.nreasons;
  char **want = calloc(nr, sizeof *want);
  assert_non_null(want);
  for (size_t i = 0; i < nr; i++) assert_non_null(want[i] = strdup(out.reasons[i]));
  expect_reasons(&out, (const char *const *)want, nr);
  long before = allocs;
  assert_int_equal(slac_vm_run(p, &in, &out, err, sizeof err), 0);
  assert_int_equal(allocs, before);
  expect_reasons(&out, (const char *const *)want, nr);
  for (size_t i = 0; i < nr; i++) free(want[i]);
  free(want);
  slac_vm_output_clear(&out);
  slac_program_free(p);
}

/* Each allocation of a cold run fails in turn: -2, "out of memory", and
 * the reasons written before it still readable (nothing leaks: ASan). */
static void test_out_of_memory(void **state) {
  fixture *f = *state;
#ifndef SLAC_TEST_WRAP_ALLOC
  (void)f;
  skip();
#else
  char err[256];
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = &f->so;
  long before = allocs;
  assert_int_equal(run_down(f, &out, 45, err, sizeof err), 0);
  long k = allocs - before;
  assert_true(k >= 2); /* the pointers and the text */
  slac_vm_output_clear(&out);
  for (long i = 1; i <= k; i++) {
    memset(&out, 0, sizeof out);
    out.services = &f->so;
    fail_at = allocs + i;
    int rc = run_down(f, &out, 45, err, sizeof err);
    fail_at = 0;
    assert_int_equal(rc, -2);
    assert_string_equal(err, "out of memory");
    assert_true(out.nreasons < 2);
    for (size_t r = 0; r < out.nreasons; r++) assert_string_equal(out.reasons[r], down_45[r]);
    /* the same output, with memory again, gives the whole outcome */
    assert_int_equal(run_down(f, &out, 45, err, sizeof err), 0);
    expect_reasons(&out, down_45, 2);
    slac_vm_output_clear(&out);
  }
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_second_run_allocates_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_text_moves_while_running, setup, teardown),
      cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
