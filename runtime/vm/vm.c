/* vm.c - runs a verified program for one account and one month.
 *
 * One switch over the opcodes of the table, with a case for each (a
 * missing one does not compile: SLAC_EXHAUSTIVE_BEGIN); the operands come
 * from slac_decode_operands().  The verifier has already proved the
 * operands and the stack depth, so the loop only checks what depends on
 * the data: arithmetic that overflows or cannot be decided exactly is an
 * error with the instruction's source line.  Opcodes and field numbers
 * past their tables are still refused, as "bad bytecode", before the
 * switch: they cost a compare and would otherwise run as nothing.
 */
#include "runtime/vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/vm/opcodes.h"

static slac_num num_bool(bool b) { return slac_num_int(b ? 1 : 0); }
static bool is_zero(slac_num a) { return a.units == 0 && !a.above; }

/* Pops b and compares a (now the top) with it: *C is the sign of a - b. */
static slac_num_status compare(const slac_num *stack, int *sp, int *c) {
  (*sp)--;
  return slac_num_cmp(stack[*sp - 1], stack[*sp], c);
}

SLAC_EXHAUSTIVE_BEGIN
/* Input FIELD of service S into *V; false for a field past the table. */
static bool input(const slac_vm_input *in, unsigned field, unsigned s, slac_num *v) {
  const slac_vm_service_input *si = &in->services[s];
  if (field >= SLAC_IN_COUNT) return false;
  switch ((slac_input_field)field) {
  case SLAC_IN_MONTH_MINUTES: *v = slac_num_int(in->month_minutes); break;
  case SLAC_IN_UNAVAILABLE: *v = slac_num_int(si->unavailable_minutes); break;
  case SLAC_IN_EXCLUDED: *v = slac_num_int(si->excluded_minutes); break;
  case SLAC_IN_ERROR_RATE: *v = si->error_rate; break;
  case SLAC_IN_AFFECTED: *v = num_bool(si->affected); break;
  case SLAC_IN_CHARGE: *v = si->charge; break;
  case SLAC_IN_HAS_ACCOUNT: *v = num_bool(in->has_account); break;
  case SLAC_IN_FEE: *v = in->fee; break;
  case SLAC_IN_STANDING_GOOD: *v = num_bool(in->standing_good); break;
  case SLAC_IN_CURRENCY: *v = slac_num_int(in->currency); break;
  case SLAC_IN_HAS_CLAIMS: *v = num_bool(in->has_claims); break;
  case SLAC_IN_CLAIM_FOUND: *v = num_bool(in->claim != NULL); break;
  case SLAC_IN_FIRST_DOWN: *v = slac_num_int(in->first_down); break;
  case SLAC_IN_TICKET_AT: *v = slac_num_int(in->claim ? in->claim->ticket_at : 0); break;
  case SLAC_IN_CLAIMED_AT: *v = slac_num_int(in->claim ? in->claim->claimed_at : 0); break;
  case SLAC_IN_PERIOD_CREDITED: *v = in->period_credited; break;
#define SLAC_CLAIM_CASE(name, column, words)                                  \
  case SLAC_IN_CLAIM_##name:                                                \
    *v = num_bool(in->claim && in->claim->has[SLAC_CLAIM_##name]);          \
    break;
    SLAC_CLAIM_CONTENTS(SLAC_CLAIM_CASE)
#undef SLAC_CLAIM_CASE
  }
  return true;
}

/* Cause input FIELD of service S and cause C into *V. */
static bool cause_input(const slac_vm_input *in, unsigned field, unsigned s, unsigned c, slac_num *v) {
  const slac_vm_service_input *si = &in->services[s];
  if (field >= SLAC_CIN_COUNT) return false;
  switch ((slac_cause_field)field) {
  case SLAC_CIN_EXCLUDED_SECONDS: *v = slac_num_int(si->excluded_seconds[c]); break;
  case SLAC_CIN_EXCESS_SECONDS: *v = slac_num_int(si->excess_seconds[c]); break;
  case SLAC_CIN_LATE_SECONDS: *v = slac_num_int(si->late_seconds ? si->late_seconds[c] : 0); break;
  }
  return true;
}

/* Output FIELD (of service S) into *V.  MET and ELIGIBLE are truth
 * values: they read back as 1 or 0. */
static bool load_output(const slac_vm_output *out, unsigned field, unsigned s, slac_num *v) {
  if (field >= SLAC_OUT_COUNT) return false;
  switch ((slac_output_field)field) {
  case SLAC_OUT_UPTIME: *v = out->services[s].uptime; break;
  case SLAC_OUT_MET: *v = num_bool(out->services[s].met); break;
  case SLAC_OUT_CREDIT: *v = out->services[s].credit; break;
  case SLAC_OUT_ELIGIBLE: *v = num_bool(out->eligible); break;
  case SLAC_OUT_ACCOUNT_CREDIT: *v = out->credit; break;
  case SLAC_OUT_AMOUNT: *v = out->amount; break;
  case SLAC_OUT_SERVICE_AMOUNT: *v = out->services[s].amount; break;
  case SLAC_OUT_COMMIT: *v = out->services[s].commit; break;
  }
  return true;
}

/* V into output FIELD (of service S); a truth value keeps "non-zero". */
static bool store_output(slac_vm_output *out, unsigned field, unsigned s, slac_num v) {
  if (field >= SLAC_OUT_COUNT) return false;
  switch ((slac_output_field)field) {
  case SLAC_OUT_UPTIME: out->services[s].uptime = v; break;
  case SLAC_OUT_MET: out->services[s].met = !is_zero(v); break;
  case SLAC_OUT_CREDIT: out->services[s].credit = v; break;
  case SLAC_OUT_ELIGIBLE: out->eligible = !is_zero(v); break;
  case SLAC_OUT_ACCOUNT_CREDIT: out->credit = v; break;
  case SLAC_OUT_AMOUNT: out->amount = v; break;
  case SLAC_OUT_SERVICE_AMOUNT: out->services[s].amount = v; break;
  case SLAC_OUT_COMMIT: out->services[s].commit = v; break;
  }
  return true;
}
SLAC_EXHAUSTIVE_END

void slac_vm_output_clear(slac_vm_output *out) {
  free(out->reasons);
  free(out->text.s);
  out->reasons = NULL;
  out->nreasons = out->reasons_cap = 0;
  out->text = (slac_text){0};
}

/* Appends the reason TMPL on ARGS, then " (CITE)" when CITE is not empty,
 * to OUT's text with its NUL, and counts it; its pointer is set at the end
 * of the run (point_reasons), as the text may move while it grows.
 * Returns 0, or -2 when out of memory (OUT's reasons as before). */
static int add_reason(slac_vm_output *out, const char *tmpl, const slac_num *args, size_t nargs,
                      const slac_vm_input *in, const char *currency, const char *cite) {
  if (out->nreasons == out->reasons_cap) {
    size_t cap = out->reasons_cap ? out->reasons_cap * 2 : 8;
    char **r = realloc(out->reasons, cap * sizeof *r);
    if (!r) return -2;
    out->reasons = r;
    out->reasons_cap = cap;
  }
  slac_text *t = &out->text;
  size_t start = t->len;
  if (slac_format_reason(t, tmpl, args, nargs, in, currency) != 0) return -2;
  if (cite && *cite &&
      (slac_text_append(t, " (", 2) != 0 || slac_text_append(t, cite, strlen(cite)) != 0 ||
       slac_text_append(t, ")", 1) != 0))
    goto oom;
  if (slac_text_append(t, "", 1) != 0) goto oom; /* its NUL, kept: the next one follows */
  out->nreasons++;
  return 0;
oom:
  t->len = start;
  t->s[start] = 0;
  return -2;
}

/* OUT->reasons[i] for each reason written: they lie one after another in
 * OUT's text, each ended by its NUL. */
static void point_reasons(slac_vm_output *out) {
  char *s = out->text.s;
  for (size_t i = 0; i < out->nreasons; i++) {
    out->reasons[i] = s;
    s += strlen(s) + 1;
  }
}

/* The verifier proves every field number; a program that did not pass it
 * is still refused, rather than an unknown input read as 0. */
static int unknown_field(const slac_operands *o, uint32_t at, char *err, size_t errsize) {
  const char *what = o->format == SLAC_FMT_FS_IN ? "input" : o->format == SLAC_FMT_FSC ? "cause input" : "output";
  snprintf(err, errsize, "bad bytecode: unknown %s field %u at %u", what, o->field, at);
  return -1;
}

/* The index of the instruction at code offset TARGET; past the end (and
 * so refused by the loop) when no instruction starts there, which the
 * verifier rules out for loaded programs. */
static uint32_t jump_index(const slac_program *p, uint32_t target) {
  if (target >= p->code_size || p->op_index[target] == UINT32_MAX) return UINT32_MAX;
  return p->op_index[target];
}

/* Calendar arithmetic on times (whole seconds since 1970, UTC) for
 * deadlines in months (CONTRACT 6.3): within the years slac reads, so a
 * result outside them is an error, never a wrap.  Each returns 0, or -1
 * when a value is not such a time (or N months is absurd). */
static int time_of(slac_num a, int64_t *t) {
  const char *why;
  if (slac_num_to_int(a, t) != 0) return -1;
  return slac_time_check_range(*t, &why) == 0 ? 0 : -1;
}

/* T plus N calendar months: the same time of day, on the same day of the
 * month, or on the month's last day where that day does not exist. */
static int add_months(slac_num a, slac_num n, slac_num *out) {
  int64_t t, months;
  if (time_of(a, &t) != 0 || slac_num_to_int(n, &months) != 0 || months < -120000 ||
      months > 120000)
    return -1;
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400, year;
  int month, day;
  slac_civil_from_days(days, &year, &month, &day);
  int64_t m = year * 12 + (month - 1) + months;
  int64_t y2 = m >= 0 ? m / 12 : -((-m + 11) / 12);
  int mo2 = (int)(m - y2 * 12) + 1;
  int last = slac_month_days((slac_month)m);
  int64_t r = slac_days_from_civil(y2, mo2, day > last ? last : day) * 86400 + secs;
  if (time_of(slac_num_int(r), &r) != 0) return -1;
  *out = slac_num_int(r);
  return 0;
}

/* The first second of T's calendar month (UTC). */
static int month_start(slac_num a, slac_num *out) {
  int64_t t;
  if (time_of(a, &t) != 0) return -1;
  *out = slac_num_int(slac_month_start(slac_month_of(t)));
  return 0;
}

static int bad_time(const slac_program *p, uint32_t at, char *err, size_t errsize) {
  snprintf(err, errsize, "policy arithmetic failed at offset %u (line %u): not a time in the "
           "years 0001 to 9999", at, slac_program_line(p, at));
  return -1;
}

SLAC_EXHAUSTIVE_BEGIN
/* slac_vm_run, but for pointing OUT's reasons at their text. */
static int run(const slac_program *p, const slac_vm_input *in, slac_vm_output *out,
               char *err, size_t errsize) {
  slac_num stack[SLAC_MAX_STACK];
  int sp = 0;
  uint32_t k = 0; /* index of the next instruction in p->ops */
  for (int s = 0; s < p->nservices; s++) {
    out->services[s].uptime = out->services[s].credit = out->services[s].amount =
        out->services[s].commit = slac_num_int(0);
    out->services[s].met = false;
  }
  out->eligible = true;
  out->credit = out->amount = slac_num_int(0);
  const char *currency = in->has_account ? p->currencies[in->currency] : "";

  /* The loader decoded the code once (slac_program_predecode); a program
   * that did not pass it is refused rather than run wrong. */
  if (!p->ops || !p->op_index) {
    snprintf(err, errsize, "bad bytecode: the program was not decoded (slac_program_predecode)");
    return -1;
  }
  for (;;) {
    if (k >= p->nops) {
      snprintf(err, errsize, "bad bytecode: the code runs past its end");
      return -1;
    }
    const slac_operands *o = &p->ops[k++];
    uint32_t at = o->at;
    slac_num_status st = SLAC_NUM_OK;
    int c = 0;
    switch ((slac_opcode)o->op) {
    case SLAC_OP_HALT: return 0;
    case SLAC_OP_PUSHK: stack[sp++] = p->nums[o->k]; break;
    case SLAC_OP_POP: sp--; break;
    case SLAC_OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case SLAC_OP_LOAD_IN:
      if (!input(in, o->field, o->service, &stack[sp])) return unknown_field(o, at, err, errsize);
      sp++;
      break;
    case SLAC_OP_LOAD_CAUSE:
      if (!cause_input(in, o->field, o->service, o->cause, &stack[sp])) return unknown_field(o, at, err, errsize);
      sp++;
      break;
    case SLAC_OP_PLAN_IN: {
      bool found = false;
      for (uint16_t i = 0; i < p->set_sizes[o->k] && !found; i++)
        found = strcmp(p->strings[p->sets[o->k][i]], in->plan ? in->plan : "") == 0;
      stack[sp++] = num_bool(found);
      break;
    }
    case SLAC_OP_SUBJECT_HAS: {
      const char *want = p->strings[o->k];
      stack[sp++] = num_bool(in->claim && in->claim->subject && strstr(in->claim->subject, want));
      break;
    }
    case SLAC_OP_LOAD_OUT:
      if (!load_output(out, o->field, o->service, &stack[sp])) return unknown_field(o, at, err, errsize);
      sp++;
      break;
    case SLAC_OP_STORE_OUT:
      if (!store_output(out, o->field, o->service, stack[sp - 1])) return unknown_field(o, at, err, errsize);
      sp--;
      break;
    case SLAC_OP_ADD: sp--; st = slac_num_add(stack[sp - 1], stack[sp], &stack[sp - 1]); break;
    case SLAC_OP_SUB: sp--; st = slac_num_sub(stack[sp - 1], stack[sp], &stack[sp - 1]); break;
    case SLAC_OP_MUL: sp--; st = slac_num_mul(stack[sp - 1], stack[sp], &stack[sp - 1]); break;
    case SLAC_OP_DIV: sp--; st = slac_num_div(stack[sp - 1], stack[sp], &stack[sp - 1]); break;
    /* The comparisons: a b -> ..., with c the sign of a - b. */
    case SLAC_OP_MIN:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK && c > 0) stack[sp - 1] = stack[sp];
      break;
    case SLAC_OP_MAX:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK && c < 0) stack[sp - 1] = stack[sp];
      break;
    case SLAC_OP_LT:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK) stack[sp - 1] = num_bool(c < 0);
      break;
    case SLAC_OP_LE:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK) stack[sp - 1] = num_bool(c <= 0);
      break;
    case SLAC_OP_GT:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK) stack[sp - 1] = num_bool(c > 0);
      break;
    case SLAC_OP_GE:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK) stack[sp - 1] = num_bool(c >= 0);
      break;
    case SLAC_OP_EQ:
      if ((st = compare(stack, &sp, &c)) == SLAC_NUM_OK) stack[sp - 1] = num_bool(c == 0);
      break;
    case SLAC_OP_NOT: stack[sp - 1] = num_bool(is_zero(stack[sp - 1])); break;
    case SLAC_OP_AND:
      sp--;
      stack[sp - 1] = num_bool(!is_zero(stack[sp - 1]) && !is_zero(stack[sp]));
      break;
    case SLAC_OP_OR:
      sp--;
      stack[sp - 1] = num_bool(!is_zero(stack[sp - 1]) || !is_zero(stack[sp]));
      break;
    case SLAC_OP_ROUND_MONEY:
      st = slac_num_round_half_up(stack[sp - 1], in->has_account ? in->minor_digits : 2,
                                  &stack[sp - 1]);
      break;
    case SLAC_OP_ADD_MONTHS:
      sp--;
      if (add_months(stack[sp - 1], stack[sp], &stack[sp - 1]) != 0) return bad_time(p, at, err, errsize);
      break;
    case SLAC_OP_MONTH_START:
      if (month_start(stack[sp - 1], &stack[sp - 1]) != 0) return bad_time(p, at, err, errsize);
      break;
    case SLAC_OP_JMP: k = jump_index(p, o->target); break;
    case SLAC_OP_JZ:
      if (is_zero(stack[--sp])) k = jump_index(p, o->target);
      break;
    case SLAC_OP_REASON: {
      if (out->hits) out->hits[k - 1]++;
      sp -= o->nargs;
      if (out->no_reasons) break;
      if (add_reason(out, p->strings[o->k], stack + sp, o->nargs, in, currency,
                     o->cite == SLAC_NONE ? NULL : p->strings[o->cite]) != 0) {
        snprintf(err, errsize, "out of memory");
        return -2;
      }
      break;
    }
    }
    if (st != SLAC_NUM_OK) {
      snprintf(err, errsize, "policy arithmetic failed at offset %u (line %u): %s", at,
               slac_program_line(p, at), slac_num_status_text(st));
      return -1;
    }
  }
}
SLAC_EXHAUSTIVE_END

int slac_vm_run(const slac_program *p, const slac_vm_input *in, slac_vm_output *out,
                char *err, size_t errsize) {
  out->nreasons = 0; /* the buffers are kept: a warm output allocates nothing */
  out->text.len = 0;
  int rc = run(p, in, out, err, errsize);
  point_reasons(out);
  return rc;
}
