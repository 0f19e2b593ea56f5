/* test_vm.c - unit tests of the VM (runtime/vm/vm.c) and the reason
 * templates (runtime/vm/reason.c), one opcode at a time.
 *
 * Each test assembles a little program by hand, writes it to bytes and
 * loads it back (so the verifier sees it, as it sees every program), runs
 * it on a known input and checks exact results: the value left in an
 * output, the outputs themselves, the reasons, or the error message.
 * Every opcode of runtime/vm/opcodes.h must be exercised: the last test
 * fails if one is never run, so a new opcode needs a test here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/codegen.h"
#include "support.h"
#include "runtime/base/num.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/program.h"
#include "runtime/vm/vm.h"

/* ------------------------------------------------------------------ */
/* A program assembled by hand                                          */
/* ------------------------------------------------------------------ */

enum { S_ID, S_OUTAGE, S_MAINT, S_API, S_API_TITLE, S_WEB, S_FREE, S_STARTER, S_EMPTY, S_FIRST_FREE };
enum { CUR_USD, CUR_JPY, CUR_BHD };

typedef struct {
  char text[64][256];
  char *strings[64];
  uint16_t nstrings;
  slac_num nums[64];
  uint16_t nnums;
  uint16_t set0[2], set1[1];
  uint16_t *sets[2];
  uint16_t set_sizes[2];
  char currencies[3][4];
  uint16_t causes[2];
  slac_prog_rule rules[2][2];
  slac_prog_service services[2];
  slac_prog_line lines[8];
  uint32_t nlines;
  uint8_t code[4096];
  uint32_t n;
} prog;

static bool covered[SLAC_OP_COUNT];

static uint16_t S(prog *b, const char *text) {
  assert_true(b->nstrings < 64 && strlen(text) < 256);
  snprintf(b->text[b->nstrings], sizeof b->text[0], "%s", text);
  b->strings[b->nstrings] = b->text[b->nstrings];
  return b->nstrings++;
}

static slac_num N(const char *text) {
  slac_num v;
  assert_int_equal(slac_num_parse(text, strlen(text), &v), SLAC_NUM_OK);
  return v;
}

static uint16_t K(prog *b, const char *decimal) {
  assert_true(b->nnums < 64);
  b->nums[b->nnums] = N(decimal);
  return b->nnums++;
}

/* Two services (api, web), causes outage and maintenance, currencies USD,
 * JPY and BHD, plan sets {"Free", "Starter"} and {""}. */
static void prog_init(prog *b) {
  memset(b, 0, sizeof *b);
  static const char *const base[] = {"vm", "outage", "maintenance", "api", "API", "web", "Free", "Starter", ""};
  for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) S(b, base[i]);
  K(b, "0");
  b->set0[0] = S_FREE;
  b->set0[1] = S_STARTER;
  b->set1[0] = S_EMPTY;
  b->sets[0] = b->set0;
  b->sets[1] = b->set1;
  b->set_sizes[0] = 2;
  b->set_sizes[1] = 1;
  memcpy(b->currencies[0], "USD", 4);
  memcpy(b->currencies[1], "JPY", 4);
  memcpy(b->currencies[2], "BHD", 4);
  b->causes[0] = S_OUTAGE;
  b->causes[1] = S_MAINT;
  for (int s = 0; s < 2; s++) {
    b->services[s].id = s ? S_WEB : S_API;
    b->services[s].title = S_API_TITLE;
    b->services[s].rules = b->rules[s];
    for (int c = 0; c < 2; c++) b->rules[s][c].cap_months = 1; /* a calendar month */
  }
  b->lines[0].line = 1;
  b->nlines = 1;
}

static uint32_t e_op(prog *b, slac_opcode op) {
  uint32_t at = b->n;
  b->code[b->n++] = (uint8_t)op;
  return at;
}
static void e_u16(prog *b, unsigned v) {
  b->code[b->n++] = (uint8_t)v;
  b->code[b->n++] = (uint8_t)(v >> 8);
}
static void e_k(prog *b, slac_opcode op, unsigned k) {
  e_op(b, op);
  e_u16(b, k);
}
static void push(prog *b, const char *decimal) { e_k(b, SLAC_OP_PUSHK, K(b, decimal)); }
static void e_fs(prog *b, slac_opcode op, unsigned f, unsigned s) {
  e_op(b, op);
  b->code[b->n++] = (uint8_t)f;
  b->code[b->n++] = (uint8_t)s;
}
static void e_cause(prog *b, unsigned f, unsigned s, unsigned c) {
  e_fs(b, SLAC_OP_LOAD_CAUSE, f, s);
  b->code[b->n++] = (uint8_t)c;
}
/* A jump whose target is set by land(). */
static uint32_t e_jump(prog *b, slac_opcode op) {
  e_op(b, op);
  uint32_t patch = b->n;
  b->n += 4;
  return patch;
}
static void land(prog *b, uint32_t patch) {
  for (int i = 0; i < 4; i++) b->code[patch + (uint32_t)i] = (uint8_t)(b->n >> (8 * i));
}
static void e_reason(prog *b, uint16_t tmpl, uint16_t cite, unsigned nargs) {
  e_op(b, SLAC_OP_REASON);
  e_u16(b, tmpl);
  e_u16(b, cite);
  b->code[b->n++] = (uint8_t)nargs;
}
/* Source line LINE from here on. */
static void at_line(prog *b, uint32_t line) {
  b->lines[b->nlines].offset = b->n;
  b->lines[b->nlines].line = line;
  b->nlines++;
}

/* The program B describes, pointing into B: not written, not verified. */
static void as_program(const prog *b, slac_program *pp) {
  slac_program p;
  memset(&p, 0, sizeof p);
  p.nstrings = b->nstrings;
  p.strings = (char **)b->strings;
  p.nnums = b->nnums;
  p.nums = (slac_num *)b->nums;
  p.nsets = 2;
  p.sets = (uint16_t **)b->sets;
  p.set_sizes = (uint16_t *)b->set_sizes;
  p.id = S_ID;
  p.title = p.provider = SLAC_NONE;
  p.version = 1;
  p.ncurrencies = 3;
  p.currencies = (char(*)[4])b->currencies;
  p.ncauses = 2;
  p.causes = (uint16_t *)b->causes;
  p.nservices = 2;
  p.services = (slac_prog_service *)b->services;
  p.code_size = b->n;
  p.code = (uint8_t *)b->code;
  p.nlines = b->nlines;
  p.lines = (slac_prog_line *)b->lines;
  *pp = p;
}

/* Write, load (and so verify), run. */
static int run(const prog *b, const slac_vm_input *in, slac_vm_output *out, char *err, size_t errsize) {
  slac_program p;
  as_program(b, &p);
  uint8_t *bytes;
  size_t size;
  assert_int_equal(slac_program_write(&p, &bytes, &size), 0);
  slac_program *loaded = NULL;
  slac_diags d;
  test_message_diags(&d, err, errsize);
  int rc = slac_program_load(bytes, size, "p.slbc", &loaded, &d);
  free(bytes);
  if (rc != 0) print_error("the program does not load: %s\n", err);
  assert_int_equal(rc, 0);
  for (uint32_t pc = 0; pc < loaded->code_size; pc += 1u + slac_opinfo_table[loaded->code[pc]].operand_bytes)
    covered[loaded->code[pc]] = true;
  rc = slac_vm_run(loaded, in, out, err, errsize);
  slac_program_free(loaded);
  return rc;
}

/* The standard input: every field a different value. */
static int64_t excl[2][2] = {{0, 600}, {5, 7}}, excess[2][2] = {{0, 60}, {0, 9}},
               late[2][2] = {{0, 120}, {3, 0}};
static slac_vm_service_input svc_in[2];
static slac_vm_service_output svc_out[2];

static void std_input(slac_vm_input *in) {
  memset(svc_in, 0, sizeof svc_in);
  svc_in[0].unavailable_minutes = 12;
  svc_in[0].excluded_minutes = 3;
  svc_in[0].error_rate = N("0.25");
  svc_in[0].affected = true;
  svc_in[0].charge = N("49.99");
  svc_in[1].unavailable_minutes = 7;
  svc_in[1].excluded_minutes = 0;
  svc_in[1].error_rate = N("1.5");
  svc_in[1].affected = false;
  svc_in[1].charge = N("0");
  for (int s = 0; s < 2; s++) {
    svc_in[s].excluded_seconds = excl[s];
    svc_in[s].excess_seconds = excess[s];
    svc_in[s].late_seconds = late[s];
  }
  memset(in, 0, sizeof *in);
  in->month_minutes = 44640;
  in->has_account = true;
  in->fee = N("100.00");
  in->currency = CUR_USD;
  in->minor_digits = 2;
  in->plan = "Starter";
  in->standing_good = false;
  in->services = svc_in;
  /* a claims file with this account's claim */
  static slac_vm_claim claim;
  memset(&claim, 0, sizeof claim);
  claim.ticket_at = 1790812800;   /* 2026-10-01T00:00:00Z */
  claim.claimed_at = 1790899200;  /* 2026-10-02T00:00:00Z */
  claim.subject = "Re: SLA Credit Request (October)";
  claim.has[SLAC_CLAIM_INCIDENT_TIMES] = true;
  claim.has[SLAC_CLAIM_TICKET_NUMBER] = true;
  in->has_claims = true;
  in->claim = &claim;
  in->first_down = 1790800000;
  in->period_credited = N("12.5");
}

static void out_init(slac_vm_output *out) {
  memset(out, 0, sizeof *out);
  out->services = svc_out;
}

/* Appends STORE_OUT AMOUNT, HALT; runs on IN (the standard input when
 * NULL); returns the value stored. */
static slac_num value_with(prog *b, const slac_vm_input *in) {
  slac_vm_input std;
  if (!in) {
    std_input(&std);
    in = &std;
  }
  e_fs(b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  e_op(b, SLAC_OP_HALT);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  int rc = run(b, in, &out, err, sizeof err);
  if (rc != 0) print_error("run failed: %s\n", err);
  assert_int_equal(rc, 0);
  slac_vm_output_clear(&out);
  return out.amount;
}

static slac_num value_of(prog *b) { return value_with(b, NULL); }

/* The error message of a run that must fail. */
static void expect_error(prog *b, const char *want) {
  slac_vm_input in;
  std_input(&in);
  slac_vm_output out;
  out_init(&out);
  char err[256] = "";
  int rc = run(b, &in, &out, err, sizeof err);
  slac_vm_output_clear(&out);
  if (rc != -1 || strcmp(err, want) != 0) print_error("rc %d '%s', want '%s'\n", rc, err, want);
  assert_int_equal(rc, -1);
  assert_string_equal(err, want);
}

/* GOT must be exactly TEXT, with the ABOVE flag as given. */
static void expect_num(slac_num got, const char *text, bool above) {
  slac_num want = N(text);
  if (got.units != want.units || got.above != above) {
    char buf[64];
    slac_num plain = got;
    plain.above = false;
    slac_num_format(plain, 12, buf, sizeof buf);
    print_error("got %s%s, want %s%s\n", buf, got.above ? " (above)" : "", text, above ? " (above)" : "");
    fail();
  }
}

/* The value of `a b OP` (or `a OP` for one operand). */
static slac_num binary(const char *a, const char *bv, slac_opcode op) {
  prog b;
  prog_init(&b);
  push(&b, a);
  if (bv) push(&b, bv);
  e_op(&b, op);
  return value_of(&b);
}

/* ------------------------------------------------------------------ */
/* Control and the stack                                                */
/* ------------------------------------------------------------------ */

static void test_halt_and_initial_outputs(void **state) {
  (void)state;
  prog b;
  prog_init(&b);
  e_op(&b, SLAC_OP_HALT);
  slac_vm_input in;
  std_input(&in);
  slac_vm_output out;
  out_init(&out);
  svc_out[0].met = svc_out[1].met = true; /* overwritten by the run */
  svc_out[0].uptime = N("5");
  char err[256];
  assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
  for (int s = 0; s < 2; s++) {
    expect_num(svc_out[s].uptime, "0", false);
    expect_num(svc_out[s].credit, "0", false);
    assert_false(svc_out[s].met);
  }
  assert_true(out.eligible);
  expect_num(out.credit, "0", false);
  expect_num(out.amount, "0", false);
  assert_int_equal(out.nreasons, 0);

  /* HALT stops: what follows it never runs */
  prog_init(&b);
  push(&b, "7");
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  e_op(&b, SLAC_OP_HALT);
  push(&b, "9");
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  e_op(&b, SLAC_OP_HALT);
  assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
  expect_num(out.amount, "7", false);
  slac_vm_output_clear(&out);
}

static void test_pushk_pop_dup(void **state) {
  (void)state;
  prog b;
  prog_init(&b);
  push(&b, "12.5");
  expect_num(value_of(&b), "12.5", false);
  prog_init(&b);
  push(&b, "-0.000000000001");
  expect_num(value_of(&b), "-0.000000000001", false);
  prog_init(&b);
  push(&b, "999999999999999999999999.999999999999");
  expect_num(value_of(&b), "999999999999999999999999.999999999999", false);
  /* POP drops the top */
  prog_init(&b);
  push(&b, "1");
  push(&b, "2");
  e_op(&b, SLAC_OP_POP);
  expect_num(value_of(&b), "1", false);
  /* DUP copies it */
  prog_init(&b);
  push(&b, "12.5");
  e_op(&b, SLAC_OP_DUP);
  e_op(&b, SLAC_OP_ADD);
  expect_num(value_of(&b), "25", false);
  prog_init(&b);
  push(&b, "3");
  e_op(&b, SLAC_OP_DUP);
  e_op(&b, SLAC_OP_POP);
  expect_num(value_of(&b), "3", false);
}

static void test_jz_jmp(void **state) {
  (void)state;
  /* PUSH v; JZ L; PUSH 1; STORE AMOUNT; L: HALT -> 1 unless v is 0 */
  static const struct {
    const char *v;
    bool taken;
  } cases[] = {{"0", true}, {"-0", true}, {"0.000", true}, {"1", false}, {"-1", false},
               {"0.000000000001", false}, {"123456.5", false}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    prog b;
    prog_init(&b);
    push(&b, cases[i].v);
    uint32_t l = e_jump(&b, SLAC_OP_JZ);
    push(&b, "1");
    e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
    land(&b, l);
    push(&b, "5");
    e_op(&b, SLAC_OP_POP); /* JZ popped its value: the stack is balanced */
    slac_vm_input in;
    std_input(&in);
    e_op(&b, SLAC_OP_HALT);
    slac_vm_output out;
    out_init(&out);
    char err[256];
    assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
    expect_num(out.amount, cases[i].taken ? "0" : "1", false);
  }
  /* a value just above 0 (floor 0, "above") is not zero */
  prog b;
  prog_init(&b);
  push(&b, "0.000001");
  push(&b, "0.0000001");
  e_op(&b, SLAC_OP_MUL);
  e_op(&b, SLAC_OP_DUP);
  uint32_t l = e_jump(&b, SLAC_OP_JZ);
  e_op(&b, SLAC_OP_POP);
  push(&b, "1");
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_CREDIT, 0);
  push(&b, "2");
  land(&b, l);
  expect_num(value_of(&b), "2", false);
  expect_num(svc_out[0].credit, "1", false);
  /* JMP skips everything up to its target, reasons included */
  prog_init(&b);
  push(&b, "3");
  l = e_jump(&b, SLAC_OP_JMP);
  e_op(&b, SLAC_OP_POP);
  push(&b, "4");
  e_reason(&b, S(&b, "never"), SLAC_NONE, 0);
  land(&b, l);
  slac_vm_input in;
  std_input(&in);
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  e_op(&b, SLAC_OP_HALT);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
  expect_num(out.amount, "3", false);
  assert_int_equal(out.nreasons, 0);
  slac_vm_output_clear(&out);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                           */
/* ------------------------------------------------------------------ */

static void test_add_sub_mul(void **state) {
  (void)state;
  expect_num(binary("0.1", "0.2", SLAC_OP_ADD), "0.3", false);
  expect_num(binary("-5", "2.25", SLAC_OP_ADD), "-2.75", false);
  expect_num(binary("999999999999999999999999", "0.999999999999", SLAC_OP_ADD),
             "999999999999999999999999.999999999999", false);
  expect_num(binary("1", "2.5", SLAC_OP_SUB), "-1.5", false); /* a - b, b on top */
  expect_num(binary("100", "0.000000000001", SLAC_OP_SUB), "99.999999999999", false);
  expect_num(binary("1.5", "1.5", SLAC_OP_MUL), "2.25", false);
  expect_num(binary("-4", "0.25", SLAC_OP_MUL), "-1", false);
  expect_num(binary("0.000001", "0.000001", SLAC_OP_MUL), "0.000000000001", false);
  /* a product finer than 10^-12 keeps its floor and "above" */
  expect_num(binary("0.000001", "0.0000001", SLAC_OP_MUL), "0", true);
  expect_num(binary("100", "0.125", SLAC_OP_MUL), "12.5", false);
  expect_num(binary("1000000000000", "999999999999.999999999999", SLAC_OP_MUL),
             "999999999999999999999999", false); /* 10^24 - 1: the largest integer */
}

static void test_div_exact_and_above(void **state) {
  (void)state;
  expect_num(binary("6", "3", SLAC_OP_DIV), "2", false);
  expect_num(binary("1", "8", SLAC_OP_DIV), "0.125", false);
  expect_num(binary("0", "7", SLAC_OP_DIV), "0", false);
  /* not a multiple of 10^-12: the floor, and strictly above it */
  expect_num(binary("1", "3", SLAC_OP_DIV), "0.333333333333", true);
  expect_num(binary("2", "3", SLAC_OP_DIV), "0.666666666666", true);
  expect_num(binary("-1", "3", SLAC_OP_DIV), "-0.333333333334", true); /* floor, toward -inf */
  expect_num(binary("1", "-3", SLAC_OP_DIV), "-0.333333333334", true);
  expect_num(binary("-1", "-3", SLAC_OP_DIV), "0.333333333333", true);
  /* the uptime of 1 unavailable minute in a 30-day month */
  prog b;
  prog_init(&b);
  push(&b, "43199");
  push(&b, "100");
  e_op(&b, SLAC_OP_MUL);
  push(&b, "43200");
  e_op(&b, SLAC_OP_DIV);
  expect_num(value_of(&b), "99.997685185185", true);
  /* a tiny quotient: 0 < 10^-12 / 7 < 10^-12 */
  expect_num(binary("0.000000000001", "7", SLAC_OP_DIV), "0", true);
  expect_num(binary("-0.000000000001", "7", SLAC_OP_DIV), "-0.000000000001", true);
}

static void test_min_max(void **state) {
  (void)state;
  expect_num(binary("1", "2", SLAC_OP_MIN), "1", false);
  expect_num(binary("2", "1", SLAC_OP_MIN), "1", false);
  expect_num(binary("-5", "3", SLAC_OP_MIN), "-5", false);
  expect_num(binary("2.50", "2.5", SLAC_OP_MIN), "2.5", false);
  expect_num(binary("1", "2", SLAC_OP_MAX), "2", false);
  expect_num(binary("2", "1", SLAC_OP_MAX), "2", false);
  expect_num(binary("-5", "-3", SLAC_OP_MAX), "-3", false);
  expect_num(binary("7", "7", SLAC_OP_MAX), "7", false);
  /* with an "above" value: 1/3 is strictly above 0.333333333333 */
  prog b;
  prog_init(&b);
  push(&b, "1");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  push(&b, "0.333333333333");
  e_op(&b, SLAC_OP_MIN);
  expect_num(value_of(&b), "0.333333333333", false);
  prog_init(&b);
  push(&b, "0.333333333333");
  push(&b, "1");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_MAX);
  expect_num(value_of(&b), "0.333333333333", true);
  prog_init(&b);
  push(&b, "1");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  push(&b, "0.333333333334");
  e_op(&b, SLAC_OP_MAX);
  expect_num(value_of(&b), "0.333333333334", false);
}

/* a b OP for every comparison: 1 or 0, exactly. */
static void test_comparisons(void **state) {
  (void)state;
  static const struct {
    const char *a, *b;
    int cmp;
  } pairs[] = {{"1", "2", -1},          {"2", "2", 0},   {"3", "2", 1},      {"-1", "0", -1},
               {"99.95", "99.950", 0},  {"-2.5", "-3", 1}, {"0.000000000001", "0", 1},
               {"999999999999999999999999", "-999999999999999999999999", 1}};
  static const slac_opcode ops[] = {SLAC_OP_LT, SLAC_OP_LE, SLAC_OP_GT, SLAC_OP_GE, SLAC_OP_EQ};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    for (size_t k = 0; k < 5; k++) {
      int c = pairs[i].cmp;
      bool want = ops[k] == SLAC_OP_LT ? c < 0 : ops[k] == SLAC_OP_LE ? c <= 0 : ops[k] == SLAC_OP_GT ? c > 0
                  : ops[k] == SLAC_OP_GE ? c >= 0 : c == 0;
      expect_num(binary(pairs[i].a, pairs[i].b, ops[k]), want ? "1" : "0", false);
    }
  }
  /* 1/3 against its floor and the next 10^-12: decided exactly */
  static const struct {
    const char *k;
    const char *lt, *le, *gt, *ge, *eq;
  } third[] = {{"0.333333333333", "0", "0", "1", "1", "0"},
               {"0.333333333334", "1", "1", "0", "0", "0"},
               {"0.3", "0", "0", "1", "1", "0"}};
  for (size_t i = 0; i < 3; i++) {
    const char *want[5] = {third[i].lt, third[i].le, third[i].gt, third[i].ge, third[i].eq};
    for (size_t k = 0; k < 5; k++) {
      prog b;
      prog_init(&b);
      push(&b, "1");
      push(&b, "3");
      e_op(&b, SLAC_OP_DIV);
      push(&b, third[i].k);
      e_op(&b, ops[k]);
      expect_num(value_of(&b), want[k], false);
    }
  }
}

static void test_not_and_or(void **state) {
  (void)state;
  static const char *const values[] = {"0", "1", "2", "-1", "0.5"};
  for (size_t i = 0; i < 5; i++) {
    bool a = strcmp(values[i], "0") != 0;
    expect_num(binary(values[i], NULL, SLAC_OP_NOT), a ? "0" : "1", false);
    for (size_t k = 0; k < 5; k++) {
      bool bv = strcmp(values[k], "0") != 0;
      expect_num(binary(values[i], values[k], SLAC_OP_AND), a && bv ? "1" : "0", false);
      expect_num(binary(values[i], values[k], SLAC_OP_OR), a || bv ? "1" : "0", false);
    }
  }
  /* a positive "above" value with floor 0 is true */
  prog b;
  prog_init(&b);
  push(&b, "0.000000000001");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_NOT);
  expect_num(value_of(&b), "0", false);
  prog_init(&b);
  push(&b, "0.000000000001");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  push(&b, "1");
  e_op(&b, SLAC_OP_AND);
  expect_num(value_of(&b), "1", false);
  prog_init(&b);
  push(&b, "0");
  push(&b, "0.000000000001");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_OR);
  expect_num(value_of(&b), "1", false);
}

/* Calendar months on times (seconds since 1970): the same day and time N
 * months later, the day clamped to the month's end; the first second of a
 * month; and times outside 0001..9999 refused. */
static void test_calendar_months(void **state) {
  (void)state;
  static const struct { const char *t, *n, *want; } add[] = {
      {"1769853600", "1", "1772272800"},  /* 2026-01-31T10:00 + 1: 2026-02-28T10:00 */
      {"1706659200", "1", "1709164800"},  /* 2024-01-31 + 1: 2024-02-29 (leap) */
      {"1773578096", "2", "1778848496"},  /* 2026-03-15T12:34:56 + 2: 2026-05-15T12:34:56 */
      {"1795996800", "3", "1803772800"},  /* 2026-11-30 + 3: 2027-02-28 (a year edge) */
      {"1775001599", "-1", "1772323199"}, /* 2026-03-31T23:59:59 - 1: 2026-02-28T23:59:59 */
      {"1775001599", "0", "1775001599"},
  };
  for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
    prog b;
    prog_init(&b);
    push(&b, add[i].t);
    push(&b, add[i].n);
    e_op(&b, SLAC_OP_ADD_MONTHS);
    expect_num(value_of(&b), add[i].want, false);
  }
  static const struct { const char *t, *want; } start[] = {
      {"1779004800", "1777593600"}, /* 2026-05-17T08:00 -> 2026-05-01 */
      {"1777593600", "1777593600"}, /* already the first second */
      {"-1", "-2678400"},           /* 1969-12-31T23:59:59 -> 1969-12-01 */
  };
  for (size_t i = 0; i < sizeof start / sizeof start[0]; i++) {
    prog b;
    prog_init(&b);
    push(&b, start[i].t);
    e_op(&b, SLAC_OP_MONTH_START);
    expect_num(value_of(&b), start[i].want, false);
  }
  const char *bad = "policy arithmetic failed at offset 6 (line 1): not a time in the years 0001 to 9999";
  static const char *const past[][2] = {
      {"253399622400", "1"},  /* 9999-12-01 + 1: year 10000 */
      {"1769853600", "0.5"},  /* half a month */
      {"1769853600.5", "1"},  /* not a whole second */
      {"1769853600", "200000"},
  };
  for (size_t i = 0; i < sizeof past / sizeof past[0]; i++) {
    prog b;
    prog_init(&b);
    push(&b, past[i][0]);
    push(&b, past[i][1]);
    e_op(&b, SLAC_OP_ADD_MONTHS);
    e_op(&b, SLAC_OP_HALT);
    expect_error(&b, bad);
  }
  prog b;
  prog_init(&b);
  push(&b, "999999999999");
  e_op(&b, SLAC_OP_MONTH_START);
  e_op(&b, SLAC_OP_HALT);
  expect_error(&b, "policy arithmetic failed at offset 3 (line 1): not a time in the years 0001 to 9999");
}

static slac_num rounded(const char *v, bool has_account, int currency, int digits) {
  prog b;
  prog_init(&b);
  push(&b, v);
  e_op(&b, SLAC_OP_ROUND_MONEY);
  slac_vm_input in;
  std_input(&in);
  in.has_account = has_account;
  in.currency = currency;
  in.minor_digits = digits;
  return value_with(&b, &in);
}

static void test_round_money(void **state) {
  (void)state;
  /* 2 digits (USD) */
  expect_num(rounded("12.345", true, CUR_USD, 2), "12.35", false);
  expect_num(rounded("12.344999999999", true, CUR_USD, 2), "12.34", false);
  expect_num(rounded("12.355", true, CUR_USD, 2), "12.36", false);
  expect_num(rounded("-12.345", true, CUR_USD, 2), "-12.35", false); /* half away from zero */
  expect_num(rounded("15", true, CUR_USD, 2), "15", false);
  expect_num(rounded("0.004999999999", true, CUR_USD, 2), "0", false);
  expect_num(rounded("0.005", true, CUR_USD, 2), "0.01", false);
  /* 0 digits (JPY) */
  expect_num(rounded("2.5", true, CUR_JPY, 0), "3", false);
  expect_num(rounded("2.499999999999", true, CUR_JPY, 0), "2", false);
  expect_num(rounded("-2.5", true, CUR_JPY, 0), "-3", false);
  expect_num(rounded("1234.49", true, CUR_JPY, 0), "1234", false);
  /* 3 digits (BHD) */
  expect_num(rounded("1.0005", true, CUR_BHD, 3), "1.001", false);
  expect_num(rounded("1.0004999", true, CUR_BHD, 3), "1", false);
  expect_num(rounded("7.12345", true, CUR_BHD, 3), "7.123", false);
  /* no account: 2 digits, whatever the input says */
  expect_num(rounded("2.345", false, CUR_JPY, 0), "2.35", false);
  /* an "above" value: 2/3 = 0.666666666666... */
  prog b;
  prog_init(&b);
  push(&b, "2");
  push(&b, "3");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_ROUND_MONEY);
  expect_num(value_of(&b), "0.67", false);
  /* 0.00499999999999 < 0.004999999999995... < 0.005: rounds down */
  prog_init(&b);
  push(&b, "0.009999999999");
  push(&b, "2");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_ROUND_MONEY);
  expect_num(value_of(&b), "0", false);
}

/* ------------------------------------------------------------------ */
/* Inputs and outputs                                                   */
/* ------------------------------------------------------------------ */

static void test_load_in_every_field(void **state) {
  (void)state;
  static const struct {
    slac_input_field f;
    int s;
    const char *want;
  } rows[] = {
      {SLAC_IN_MONTH_MINUTES, 0, "44640"}, {SLAC_IN_UNAVAILABLE, 0, "12"}, {SLAC_IN_UNAVAILABLE, 1, "7"},
      {SLAC_IN_EXCLUDED, 0, "3"},          {SLAC_IN_EXCLUDED, 1, "0"},     {SLAC_IN_ERROR_RATE, 0, "0.25"},
      {SLAC_IN_ERROR_RATE, 1, "1.5"},      {SLAC_IN_AFFECTED, 0, "1"},     {SLAC_IN_AFFECTED, 1, "0"},
      {SLAC_IN_CHARGE, 0, "49.99"},        {SLAC_IN_CHARGE, 1, "0"},       {SLAC_IN_HAS_ACCOUNT, 0, "1"},
      {SLAC_IN_FEE, 0, "100"},             {SLAC_IN_STANDING_GOOD, 0, "0"}, {SLAC_IN_CURRENCY, 0, "0"},
      {SLAC_IN_HAS_CLAIMS, 0, "1"},        {SLAC_IN_CLAIM_FOUND, 0, "1"},
      {SLAC_IN_FIRST_DOWN, 0, "1790800000"}, {SLAC_IN_TICKET_AT, 0, "1790812800"},
      {SLAC_IN_CLAIMED_AT, 0, "1790899200"}, {SLAC_IN_CLAIM_INCIDENT_TIMES, 0, "1"},
      {SLAC_IN_CLAIM_ACCOUNT_EMAIL, 0, "0"}, {SLAC_IN_CLAIM_TICKET_NUMBER, 0, "1"},
      {SLAC_IN_CLAIM_LOGS, 0, "0"},        {SLAC_IN_PERIOD_CREDITED, 0, "12.5"},
  };
  bool seen[SLAC_IN_COUNT] = {false};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    prog b;
    prog_init(&b);
    e_fs(&b, SLAC_OP_LOAD_IN, rows[i].f, (unsigned)rows[i].s);
    expect_num(value_of(&b), rows[i].want, false);
    seen[rows[i].f] = true;
  }
  for (int f = 0; f < SLAC_IN_COUNT; f++) {
    if (!seen[f]) print_error("input %s has no test\n", slac_input_names[f]);
    assert_true(seen[f]);
  }
  /* the other values of the account fields */
  slac_vm_input in;
  std_input(&in);
  in.has_account = false;
  in.standing_good = true;
  in.currency = CUR_BHD;
  in.minor_digits = 3;
  static const struct {
    slac_input_field f;
    const char *want;
  } other[] = {{SLAC_IN_HAS_ACCOUNT, "0"}, {SLAC_IN_STANDING_GOOD, "1"}, {SLAC_IN_CURRENCY, "2"},
               {SLAC_IN_HAS_CLAIMS, "0"},  {SLAC_IN_CLAIM_FOUND, "0"},   {SLAC_IN_TICKET_AT, "0"},
               {SLAC_IN_CLAIMED_AT, "0"},  {SLAC_IN_CLAIM_INCIDENT_TIMES, "0"}};
  in.has_claims = false;
  in.claim = NULL;
  for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
    prog b;
    prog_init(&b);
    e_fs(&b, SLAC_OP_LOAD_IN, other[i].f, 0);
    expect_num(value_with(&b, &in), other[i].want, false);
  }
}

static void test_load_cause(void **state) {
  (void)state;
  for (unsigned f = 0; f < SLAC_CIN_COUNT; f++)
    for (unsigned s = 0; s < 2; s++)
      for (unsigned c = 0; c < 2; c++) {
        prog b;
        prog_init(&b);
        e_cause(&b, f, s, c);
        slac_num got = value_of(&b);
        int64_t want = f == SLAC_CIN_EXCLUDED_SECONDS ? excl[s][c]
                       : f == SLAC_CIN_EXCESS_SECONDS ? excess[s][c]
                                                      : late[s][c];
        assert_true(got.units == (__int128)want * 1000000000000 && !got.above);
      }
}

static void test_plan_in(void **state) {
  (void)state;
  static const struct {
    const char *plan;
    int set;
    const char *want;
  } cases[] = {{"Starter", 0, "1"}, {"Free", 0, "1"},  {"free", 0, "0"},  {"Enterprise", 0, "0"},
               {"", 0, "0"},        {NULL, 0, "0"},    {"Free ", 0, "0"}, {"", 1, "1"},
               {NULL, 1, "1"},      {"Free", 1, "0"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    prog b;
    prog_init(&b);
    e_k(&b, SLAC_OP_PLAN_IN, (unsigned)cases[i].set);
    slac_vm_input in;
    std_input(&in);
    in.plan = cases[i].plan;
    expect_num(value_with(&b, &in), cases[i].want, false);
  }
}

static void test_subject_has(void **state) {
  (void)state;
  static const struct {
    const char *want_text;
    bool claim;
    const char *want;
  } cases[] = {{"SLA Credit Request", true, "1"}, {"sla credit request", true, "0"},
               {"Credit Request (October)", true, "1"}, {"", true, "1"},
               {"SLA Credit Request", false, "0"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    prog b;
    prog_init(&b);
    e_k(&b, SLAC_OP_SUBJECT_HAS, S(&b, cases[i].want_text));
    slac_vm_input in;
    std_input(&in);
    if (!cases[i].claim) in.claim = NULL;
    expect_num(value_with(&b, &in), cases[i].want, false);
  }
}

/* A field number past its table, handed to the VM without the verifier
 * (which rejects it first, tests/unit/test_bytecode.c): the VM says "bad
 * bytecode" too, never reads it as 0 or writes it somewhere. */
static void test_unknown_fields_rejected(void **state) {
  (void)state;
  static const struct {
    slac_opcode op;
    unsigned f;
    const char *what;
  } cases[] = {
      {SLAC_OP_LOAD_IN, SLAC_IN_COUNT, "input"},
      {SLAC_OP_LOAD_IN, 255, "input"},
      {SLAC_OP_LOAD_CAUSE, SLAC_CIN_COUNT, "cause input"},
      {SLAC_OP_LOAD_OUT, SLAC_OUT_COUNT, "output"},
      {SLAC_OP_STORE_OUT, SLAC_OUT_COUNT, "output"},
      {SLAC_OP_STORE_OUT, 255, "output"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    prog b;
    prog_init(&b);
    if (cases[i].op == SLAC_OP_STORE_OUT) push(&b, "0");
    uint32_t at = b.n;
    if (cases[i].op == SLAC_OP_LOAD_CAUSE) e_cause(&b, cases[i].f, 0, 0);
    else e_fs(&b, cases[i].op, cases[i].f, 0);
    e_op(&b, SLAC_OP_HALT);
    slac_program p;
    as_program(&b, &p);
    slac_diags dd;
    slac_diags_init(&dd, stderr);
    assert_int_equal(slac_program_predecode(&p, "handmade", &dd), 0);
    slac_vm_input in;
    std_input(&in);
    slac_vm_output out;
    out_init(&out);
    char err[256] = "", want[256];
    snprintf(want, sizeof want, "bad bytecode: unknown %s field %u at %u", cases[i].what, cases[i].f, at);
    assert_int_equal(slac_vm_run(&p, &in, &out, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_true(out.eligible); /* STORE_OUT did not land on ELIGIBLE */
    slac_vm_output_clear(&out);
    free(p.ops);
    free(p.op_index);
  }
}

/* STORE_OUT then LOAD_OUT of every output, of each service. */
static void test_store_load_out(void **state) {
  (void)state;
  for (int f = 0; f < SLAC_OUT_COUNT; f++) {
    int nserv = slac_output_is_service(f) ? 2 : 1;
    bool boolean = f == SLAC_OUT_MET || f == SLAC_OUT_ELIGIBLE;
    static const char *const values[] = {"0", "2.5", "-1", "99.997685185185"};
    for (int s = 0; s < nserv; s++)
      for (size_t v = 0; v < 4; v++) {
        prog b;
        prog_init(&b);
        push(&b, values[v]);
        e_fs(&b, SLAC_OP_STORE_OUT, (unsigned)f, (unsigned)s);
        e_fs(&b, SLAC_OP_LOAD_OUT, (unsigned)f, (unsigned)s);
        if (f == SLAC_OUT_AMOUNT) { /* read it back through another output */
          e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_ACCOUNT_CREDIT, 0);
          e_fs(&b, SLAC_OP_LOAD_OUT, SLAC_OUT_ACCOUNT_CREDIT, 0);
        }
        slac_num back = value_of(&b);
        bool nonzero = strcmp(values[v], "0") != 0;
        const char *want = boolean ? (nonzero ? "1" : "0") : values[v];
        expect_num(back, want, false);
        /* and the output itself */
        switch (f) {
        case SLAC_OUT_UPTIME:
          expect_num(svc_out[s].uptime, values[v], false);
          expect_num(svc_out[1 - s].uptime, "0", false);
          break;
        case SLAC_OUT_MET:
          assert_int_equal(svc_out[s].met, nonzero);
          assert_false(svc_out[1 - s].met);
          break;
        case SLAC_OUT_CREDIT:
          expect_num(svc_out[s].credit, values[v], false);
          expect_num(svc_out[1 - s].credit, "0", false);
          break;
        default:
          break; /* account outputs: checked through value_of's run below */
        }
      }
  }
  /* account outputs, one program each, checked in the output struct */
  prog b;
  prog_init(&b);
  push(&b, "0");
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_ELIGIBLE, 0);
  push(&b, "15");
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_ACCOUNT_CREDIT, 0);
  push(&b, "15.00");
  slac_vm_input in;
  std_input(&in);
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  e_op(&b, SLAC_OP_HALT);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
  assert_false(out.eligible);
  expect_num(out.credit, "15", false);
  expect_num(out.amount, "15", false);
  /* an "above" value just over 0 stored as a truth value is true */
  prog_init(&b);
  push(&b, "0.000000000001");
  push(&b, "7");
  e_op(&b, SLAC_OP_DIV);
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_MET, 1);
  e_fs(&b, SLAC_OP_LOAD_OUT, SLAC_OUT_MET, 1);
  expect_num(value_of(&b), "1", false);
  assert_true(svc_out[1].met);
  /* outputs read before any store give their initial values */
  static const struct {
    slac_output_field f;
    const char *want;
  } initial[] = {{SLAC_OUT_UPTIME, "0"},   {SLAC_OUT_MET, "0"},            {SLAC_OUT_CREDIT, "0"},
                 {SLAC_OUT_ELIGIBLE, "1"}, {SLAC_OUT_ACCOUNT_CREDIT, "0"}, {SLAC_OUT_AMOUNT, "0"}};
  for (size_t i = 0; i < sizeof initial / sizeof initial[0]; i++) {
    prog_init(&b);
    e_fs(&b, SLAC_OP_LOAD_OUT, initial[i].f, 0);
    expect_num(value_of(&b), initial[i].want, false);
  }
  slac_vm_output_clear(&out);
}

/* ------------------------------------------------------------------ */
/* Reasons                                                              */
/* ------------------------------------------------------------------ */

/* The one reason of `push ARGS...; REASON TMPL CITE`, on IN. */
static char *reason_with(const char *tmpl, const char *cite, const slac_vm_input *in, int nargs, ...) {
  prog b;
  prog_init(&b);
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) push(&b, va_arg(ap, const char *));
  va_end(ap);
  e_reason(&b, S(&b, tmpl), cite ? S(&b, cite) : SLAC_NONE, (unsigned)nargs);
  e_op(&b, SLAC_OP_HALT);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  int rc = run(&b, in, &out, err, sizeof err);
  if (rc != 0) print_error("%s\n", err);
  assert_int_equal(rc, 0);
  assert_int_equal(out.nreasons, 1);
  char *text = strdup(out.reasons[0]); /* the output owns its reasons' text */
  assert_non_null(text);
  slac_vm_output_clear(&out);
  return text;
}

static void expect_reason(const char *tmpl, const char *arg, const char *want) {
  slac_vm_input in;
  std_input(&in);
  char *got = arg ? reason_with(tmpl, NULL, &in, 1, arg) : reason_with(tmpl, NULL, &in, 0);
  if (strcmp(got, want) != 0) print_error("'%s' with %s: got '%s', want '%s'\n", tmpl, arg ? arg : "-", got, want);
  assert_string_equal(got, want);
  free(got);
}

static void test_reason_u(void **state) {
  (void)state;
  expect_reason("uptime {u}%", "99.99999", "uptime 99.9999%"); /* truncated, never rounded up */
  expect_reason("uptime {u}%", "100", "uptime 100.0000%");
  expect_reason("uptime {u}%", "99.5", "uptime 99.5000%");
  expect_reason("uptime {u}%", "0", "uptime 0.0000%");
  expect_reason("uptime {u}%", "99.94999", "uptime 99.9499%");
  /* an "above" value */
  prog b;
  prog_init(&b);
  push(&b, "43199");
  push(&b, "100");
  e_op(&b, SLAC_OP_MUL);
  push(&b, "43200");
  e_op(&b, SLAC_OP_DIV);
  e_reason(&b, S(&b, "uptime {u}%"), SLAC_NONE, 1);
  e_op(&b, SLAC_OP_HALT);
  slac_vm_input in;
  std_input(&in);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
  assert_int_equal(out.nreasons, 1);
  assert_string_equal(out.reasons[0], "uptime 99.9976%");
  slac_vm_output_clear(&out);
}

static void test_reason_p(void **state) {
  (void)state;
  expect_reason("tier {p}%", "15", "tier 15%");
  expect_reason("tier {p}%", "12.50", "tier 12.5%");
  expect_reason("tier {p}%", "-3.25", "tier -3.25%");
  expect_reason("tier {p}%", "0", "tier 0%");
  expect_reason("tier {p}%", "0.000000000001", "tier 0.000000000001%");
  expect_reason("{p}", "123456789012345678901234", "123456789012345678901234");
}

static void expect_money(const char *v, bool has_account, int currency, int digits, const char *want) {
  slac_vm_input in;
  std_input(&in);
  in.has_account = has_account;
  in.currency = currency;
  in.minor_digits = digits;
  char *got = reason_with("credit {m}", NULL, &in, 1, v);
  if (strcmp(got, want) != 0) print_error("{m} of %s: got '%s', want '%s'\n", v, got, want);
  assert_string_equal(got, want);
  free(got);
}

static void test_reason_m(void **state) {
  (void)state;
  expect_money("15", true, CUR_USD, 2, "credit 15.00 USD");
  expect_money("12.345", true, CUR_USD, 2, "credit 12.35 USD");
  expect_money("0", true, CUR_USD, 2, "credit 0.00 USD");
  expect_money("12.5", true, CUR_JPY, 0, "credit 13 JPY");
  expect_money("1.0005", true, CUR_BHD, 3, "credit 1.001 BHD");
  expect_money("7", true, CUR_BHD, 3, "credit 7.000 BHD");
  /* no account: 2 digits and no currency code (nor a trailing blank) */
  expect_money("12.345", false, CUR_USD, 2, "credit 12.35");
}

static void test_reason_d(void **state) {
  (void)state;
  static const struct {
    const char *secs, *want;
  } cases[] = {{"0", "0 s"},           {"45", "45 s"},         {"60", "1 min"},
               {"600", "10 min"},      {"3600", "1 h"},        {"5400", "1 h 30 min"},
               {"86400", "1 day"},     {"90061", "1 day 1 h 1 min 1 s"},
               {"183600", "2 days 3 h"}, {"-5", "0 s"},         {"59.9", "59 s"},
               {"2678400", "31 days"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char want[64];
    snprintf(want, sizeof want, "excluded: %s", cases[i].want);
    expect_reason("excluded: {d}", cases[i].secs, want);
  }
  char buf[64];
  slac_format_duration(172800 + 7200 + 60 + 5, buf, sizeof buf);
  assert_string_equal(buf, "2 days 2 h 1 min 5 s");
}

static void test_reason_t(void **state) {
  (void)state;
  expect_reason("by {t}", "1790812800", "by 2026-10-01T00:00:00Z");
  expect_reason("by {t}", "0", "by 1970-01-01T00:00:00Z");
  expect_reason("by {t}", "-1", "by 1969-12-31T23:59:59Z");
}

static void test_reason_plan_braces_cite(void **state) {
  (void)state;
  slac_vm_input in;
  std_input(&in);
  char *got = reason_with("not eligible: plan \"{plan}\"", NULL, &in, 0);
  assert_string_equal(got, "not eligible: plan \"Starter\"");
  free(got);
  in.plan = NULL;
  got = reason_with("plan \"{plan}\"", NULL, &in, 0);
  assert_string_equal(got, "plan \"\"");
  free(got);
  expect_reason("{{literal}} and }} and {{{p}}}", "5", "{literal} and } and {5}");
  expect_reason("no placeholder", NULL, "no placeholder");
  expect_reason("", NULL, "");
  /* several arguments, in push order; {plan} takes none */
  std_input(&in);
  got = reason_with("uptime {u}% below {p}%: {m} for {plan}, {d} excluded", "§4", &in, 4, "99.5", "99.9",
                    "12.5", "600");
  assert_string_equal(got, "uptime 99.5000% below 99.9%: 12.50 USD for Starter, 10 min excluded (§4)");
  free(got);
  /* an empty citation adds nothing */
  got = reason_with("plain", "", &in, 0);
  assert_string_equal(got, "plain");
  free(got);
  got = reason_with("plain", "§5(iii), §5(iv)", &in, 0);
  assert_string_equal(got, "plain (§5(iii), §5(iv))");
  free(got);
}

/* Many reasons keep their order; a second run replaces them. */
static void test_reason_many(void **state) {
  (void)state;
  prog b;
  prog_init(&b);
  uint16_t t = S(&b, "reason {p}");
  for (int i = 0; i < 20; i++) {
    char v[8];
    snprintf(v, sizeof v, "%d", i);
    push(&b, v);
    e_reason(&b, t, SLAC_NONE, 1);
  }
  e_op(&b, SLAC_OP_HALT);
  slac_vm_input in;
  std_input(&in);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  for (int round = 0; round < 2; round++) {
    assert_int_equal(run(&b, &in, &out, err, sizeof err), 0);
    assert_int_equal(out.nreasons, 20);
    for (int i = 0; i < 20; i++) {
      char want[32];
      snprintf(want, sizeof want, "reason %d", i);
      assert_string_equal(out.reasons[i], want);
    }
  }
  slac_vm_output_clear(&out);
  assert_int_equal(out.nreasons, 0);
  assert_null(out.reasons);
}

static void test_template_arity(void **state) {
  (void)state;
  static const struct {
    const char *tmpl;
    int arity;
  } cases[] = {{"", 0},         {"plain", 0},       {"{u}", 1},          {"{u} {p} {m} {d}", 4},
               {"{plan}", 0},   {"{plan} {p}", 1},  {"{{u}}", 0},        {"{{{u}}}", 1},
               {"}}", 0},       {"{", -1},          {"}", -1},           {"{x}", -1},
               {"{u", -1},      {"{U}", -1},        {"{ u}", -1},        {"a } b", -1},
               {"{pla}", -1},   {"{plan", -1},      {"{}", -1},          {"{{", 0}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = slac_template_arity(cases[i].tmpl);
    if (got != cases[i].arity) print_error("'%s': %d, want %d\n", cases[i].tmpl, got, cases[i].arity);
    assert_int_equal(got, cases[i].arity);
  }
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

static void test_arithmetic_errors(void **state) {
  (void)state;
  const char *overflow = "number too large (at most 24 digits before the point)";
  char want[256];
  /* MUL: 10^12 * 10^12 = 10^24, at offset 6, on line 12 */
  prog b;
  prog_init(&b);
  b.lines[0].line = 3;
  push(&b, "1000000000000");
  push(&b, "1000000000000");
  at_line(&b, 12);
  e_op(&b, SLAC_OP_MUL);
  at_line(&b, 13);
  e_fs(&b, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  e_op(&b, SLAC_OP_HALT);
  snprintf(want, sizeof want, "policy arithmetic failed at offset 6 (line 12): %s", overflow);
  expect_error(&b, want);
  /* ADD and SUB at the edge */
  prog_init(&b);
  push(&b, "999999999999999999999999.999999999999");
  push(&b, "0.000000000001");
  at_line(&b, 4);
  e_op(&b, SLAC_OP_ADD);
  e_op(&b, SLAC_OP_HALT);
  snprintf(want, sizeof want, "policy arithmetic failed at offset 6 (line 4): %s", overflow);
  expect_error(&b, want);
  prog_init(&b);
  push(&b, "-999999999999999999999999");
  push(&b, "1");
  e_op(&b, SLAC_OP_SUB);
  e_op(&b, SLAC_OP_HALT);
  snprintf(want, sizeof want, "policy arithmetic failed at offset 6 (line 1): %s", overflow);
  expect_error(&b, want);
  /* DIV by zero; DIV overflow */
  prog_init(&b);
  push(&b, "5");
  push(&b, "0");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_HALT);
  expect_error(&b, "policy arithmetic failed at offset 6 (line 1): division by zero");
  prog_init(&b);
  push(&b, "100000000000000000000000");
  push(&b, "0.01");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_HALT);
  snprintf(want, sizeof want, "policy arithmetic failed at offset 6 (line 1): %s", overflow);
  expect_error(&b, want);
  /* what cannot be decided exactly: (1/3) / 2, (1/3) * 3, 1/3 + 1/3,
   * 1/3 == 1/3 */
  static const slac_opcode ops[] = {SLAC_OP_DIV, SLAC_OP_MUL, SLAC_OP_ADD, SLAC_OP_EQ, SLAC_OP_MIN};
  for (size_t i = 0; i < 5; i++) {
    prog_init(&b);
    push(&b, "1");
    push(&b, "3");
    e_op(&b, SLAC_OP_DIV);
    if (ops[i] == SLAC_OP_DIV) push(&b, "2");
    else if (ops[i] == SLAC_OP_MUL) push(&b, "3");
    else {
      push(&b, "1");
      push(&b, "3");
      e_op(&b, SLAC_OP_DIV);
    }
    uint32_t at = b.n;
    e_op(&b, ops[i]);
    e_op(&b, SLAC_OP_HALT);
    snprintf(want, sizeof want, "policy arithmetic failed at offset %u (line 1): result cannot be computed exactly", at);
    expect_error(&b, want);
  }
  /* the reasons added before the error are still freed by clear */
  prog_init(&b);
  e_reason(&b, S(&b, "first"), SLAC_NONE, 0);
  push(&b, "1");
  push(&b, "0");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_HALT);
  expect_error(&b, "policy arithmetic failed at offset 12 (line 1): division by zero");
  /* ... and readable after the error: those written before it, each with
   * its citation, replacing an earlier run's */
  prog_init(&b);
  e_reason(&b, S(&b, "first"), S(&b, "\xC2\xA7" "1"), 0);
  e_reason(&b, S(&b, "second"), SLAC_NONE, 0);
  push(&b, "1");
  push(&b, "0");
  e_op(&b, SLAC_OP_DIV);
  e_op(&b, SLAC_OP_HALT);
  slac_vm_input in;
  std_input(&in);
  slac_vm_output out;
  out_init(&out);
  char err[256];
  assert_int_equal(run(&b, &in, &out, err, sizeof err), -1);
  assert_int_equal(run(&b, &in, &out, err, sizeof err), -1);
  assert_string_equal(err, "policy arithmetic failed at offset 18 (line 1): division by zero");
  assert_int_equal(out.nreasons, 2);
  assert_string_equal(out.reasons[0], "first (\xC2\xA7" "1)");
  assert_string_equal(out.reasons[1], "second");
  slac_vm_output_clear(&out);
}

/* ------------------------------------------------------------------ */
/* A whole compiled policy, through the VM                              */
/* ------------------------------------------------------------------ */

static void test_compiled_policy(void **state) {
  (void)state;
  static const char src[] =
      "policy t version 1 {\n"
      "  currency USD\n"
      "  period calendar month in UTC\n"
      "  service api \"API\" {\n"
      "    measure unavailable minutes\n"
      "    commit 99.9%\n"
      "  }\n"
      "  credit of monthly fee {\n"
      "    below 99.9% -> 10%\n"
      "  }\n"
      "}\n";
  slac_diags d;
  FILE *sink = fopen("/dev/null", "w");
  assert_non_null(sink);
  slac_diags_init(&d, sink);
  slac_source source;
  assert_int_equal(slac_source_from_text(&source, "t.sla", src, sizeof src - 1, &d), 0);
  uint8_t *bytes;
  size_t size;
  assert_int_equal(slac_compile_source(&source, &d, &bytes, &size), 0);
  slac_source_free(&source);
  fclose(sink);
  slac_program *p;
  char err[256];
  slac_diags ld;
  test_message_diags(&ld, err, sizeof err);
  assert_int_equal(slac_program_load(bytes, size, "p.slbc", &p, &ld), 0);
  free(bytes);
  int64_t zero[1] = {0};
  slac_vm_service_input si = {.unavailable_minutes = 45, .excluded_seconds = zero, .excess_seconds = zero};
  slac_vm_input in = {.month_minutes = 43200, .has_account = true, .fee = N("80"), .currency = 0,
                      .minor_digits = 2, .plan = "", .standing_good = true, .services = &si};
  slac_vm_service_output so;
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = &so;
  assert_int_equal(slac_vm_run(p, &in, &out, err, sizeof err), 0);
  expect_num(so.uptime, "99.895833333333", true); /* 100 * 43155 / 43200 */
  assert_false(so.met);
  expect_num(so.credit, "10", false);
  expect_num(out.amount, "8", false);
  assert_int_equal(out.nreasons, 2);
  assert_string_equal(out.reasons[0], "uptime 99.8958% is below 99.9%: tier 10%");
  assert_string_equal(out.reasons[1], "credit 10% of the monthly fee 80.00 USD: 8.00 USD");
  /* 43 minutes down: just above the commitment (43.2 would be exactly at it) */
  si.unavailable_minutes = 43;
  assert_int_equal(slac_vm_run(p, &in, &out, err, sizeof err), 0);
  assert_true(so.met);
  expect_num(out.amount, "0", false);
  assert_int_equal(out.nreasons, 1);
  assert_string_equal(out.reasons[0], "uptime 99.9004% meets the commitment of 99.9%");
  slac_vm_output_clear(&out);
  slac_program_free(p);
}

/* Last: every opcode of the table was run by some test above. */
static void test_every_opcode_covered(void **state) {
  (void)state;
  for (int op = 0; op < SLAC_OP_COUNT; op++) {
    if (!covered[op]) print_error("opcode %s has no test in test_vm.c\n", slac_opinfo_table[op].name);
    assert_true(covered[op]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_halt_and_initial_outputs),
      cmocka_unit_test(test_pushk_pop_dup),
      cmocka_unit_test(test_jz_jmp),
      cmocka_unit_test(test_add_sub_mul),
      cmocka_unit_test(test_div_exact_and_above),
      cmocka_unit_test(test_min_max),
      cmocka_unit_test(test_comparisons),
      cmocka_unit_test(test_not_and_or),
      cmocka_unit_test(test_round_money),
      cmocka_unit_test(test_load_in_every_field),
      cmocka_unit_test(test_load_cause),
      cmocka_unit_test(test_plan_in),
      cmocka_unit_test(test_subject_has),
      cmocka_unit_test(test_store_load_out),
      cmocka_unit_test(test_unknown_fields_rejected),
      cmocka_unit_test(test_reason_u),
      cmocka_unit_test(test_reason_p),
      cmocka_unit_test(test_reason_m),
      cmocka_unit_test(test_reason_d),
      cmocka_unit_test(test_reason_t),
      cmocka_unit_test(test_reason_plan_braces_cite),
      cmocka_unit_test(test_reason_many),
      cmocka_unit_test(test_template_arity),
      cmocka_unit_test(test_arithmetic_errors),
    cmocka_unit_test(test_calendar_months),
      cmocka_unit_test(test_compiled_policy),
      cmocka_unit_test(test_every_opcode_covered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
