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

static slac_num input(const slac_vm_input *in, int field, int s) {
  const slac_vm_service_input *si = &in->services[s];
  switch ((slac_input_field)field) {
  case SLAC_IN_MONTH_MINUTES: return slac_num_int(in->month_minutes);
  case SLAC_IN_UNAVAILABLE: return slac_num_int(si->unavailable_minutes);
  case SLAC_IN_EXCLUDED: return slac_num_int(si->excluded_minutes);
  case SLAC_IN_ERROR_RATE: return si->error_rate;
  case SLAC_IN_AFFECTED: return num_bool(si->affected);
  case SLAC_IN_CHARGE: return si->charge;
  case SLAC_IN_HAS_ACCOUNT: return num_bool(in->has_account);
  case SLAC_IN_FEE: return in->fee;
  case SLAC_IN_STANDING_GOOD: return num_bool(in->standing_good);
  case SLAC_IN_CURRENCY: return slac_num_int(in->currency);
  case SLAC_IN_HAS_CLAIMS: return num_bool(in->has_claims);
  case SLAC_IN_CLAIM_FOUND: return num_bool(in->claim != NULL);
  case SLAC_IN_FIRST_DOWN: return slac_num_int(in->first_down);
  case SLAC_IN_TICKET_AT: return slac_num_int(in->claim ? in->claim->ticket_at : 0);
  case SLAC_IN_CLAIMED_AT: return slac_num_int(in->claim ? in->claim->claimed_at : 0);
  case SLAC_IN_CLAIM_INCIDENT_TIMES:
  case SLAC_IN_CLAIM_ACCOUNT_EMAIL:
  case SLAC_IN_CLAIM_TICKET_NUMBER:
  case SLAC_IN_CLAIM_LOGS:
    return num_bool(in->claim && in->claim->has[field - SLAC_IN_CLAIM_INCIDENT_TIMES]);
  default: return slac_num_int(0);
  }
}

static slac_num *output(slac_vm_output *out, int field, int s) {
  switch ((slac_output_field)field) {
  case SLAC_OUT_UPTIME: return &out->services[s].uptime;
  case SLAC_OUT_CREDIT: return &out->services[s].credit;
  case SLAC_OUT_ACCOUNT_CREDIT: return &out->credit;
  case SLAC_OUT_AMOUNT: return &out->amount;
  default: return NULL; /* MET and ELIGIBLE are booleans */
  }
}

void slac_vm_output_clear(slac_vm_output *out) {
  for (size_t i = 0; i < out->nreasons; i++) free(out->reasons[i]);
  free(out->reasons);
  out->reasons = NULL;
  out->nreasons = out->reasons_cap = 0;
}

static int add_reason(slac_vm_output *out, char *text) {
  if (!text) return -2;
  if (out->nreasons == out->reasons_cap) {
    size_t cap = out->reasons_cap ? out->reasons_cap * 2 : 8;
    char **r = realloc(out->reasons, cap * sizeof *r);
    if (!r) { free(text); return -2; }
    out->reasons = r;
    out->reasons_cap = cap;
  }
  out->reasons[out->nreasons++] = text;
  return 0;
}

/* Appends " (CITE)" to a formatted reason. */
static char *with_cite(char *text, const char *cite) {
  if (!text || !cite || !*cite) return text;
  size_t n = strlen(text), m = strlen(cite);
  char *r = realloc(text, n + m + 4);
  if (!r) { free(text); return NULL; }
  memcpy(r + n, " (", 2);
  memcpy(r + n + 2, cite, m);
  memcpy(r + n + 2 + m, ")", 2);
  return r;
}

SLAC_EXHAUSTIVE_BEGIN
int slac_vm_run(const slac_program *p, const slac_vm_input *in, slac_vm_output *out,
                char *err, size_t errsize) {
  slac_num stack[SLAC_MAX_STACK];
  int sp = 0;
  uint32_t pc = 0;
  slac_vm_output_clear(out);
  for (int s = 0; s < p->nservices; s++) {
    out->services[s].uptime = out->services[s].credit = slac_num_int(0);
    out->services[s].met = false;
  }
  out->eligible = true;
  out->credit = out->amount = slac_num_int(0);
  const char *currency = in->has_account ? p->currencies[in->currency] : "";

  for (;;) {
    uint32_t at = pc;
    slac_operands o;
    /* The verifier proves all of this; a program that did not pass it is
     * still refused here rather than run wrong (docs/bytecode.md). */
    slac_decode_status ds = slac_decode_operands(p->code, p->code_size, pc, &o);
    if (ds == SLAC_DECODE_UNKNOWN_OPCODE) {
      snprintf(err, errsize, "bad bytecode: unknown opcode %u at %u", o.op, at);
      return -1;
    }
    if (ds == SLAC_DECODE_CUT_OFF) {
      snprintf(err, errsize, "bad bytecode: instruction at %u is cut off by the end of the code", at);
      return -1;
    }
    const char *unknown = NULL;
    if (o.format == SLAC_FMT_FS_IN && o.field >= SLAC_IN_COUNT) unknown = "input";
    else if (o.format == SLAC_FMT_FSC && o.field >= SLAC_CIN_COUNT) unknown = "cause input";
    else if (o.format == SLAC_FMT_FS_OUT && o.field >= SLAC_OUT_COUNT) unknown = "output";
    if (unknown) {
      snprintf(err, errsize, "bad bytecode: unknown %s field %u at %u", unknown, o.field, at);
      return -1;
    }
    pc = o.next;
    slac_num_status st = SLAC_NUM_OK;
    int c = 0;
    switch ((slac_opcode)o.op) {
    case SLAC_OP_HALT: return 0;
    case SLAC_OP_PUSHK: stack[sp++] = p->nums[o.k]; break;
    case SLAC_OP_POP: sp--; break;
    case SLAC_OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case SLAC_OP_LOAD_IN: stack[sp++] = input(in, o.field, o.service); break;
    case SLAC_OP_LOAD_CAUSE: {
      const slac_vm_service_input *si = &in->services[o.service];
      const int64_t *v = o.field == SLAC_CIN_EXCLUDED_SECONDS ? si->excluded_seconds : si->excess_seconds;
      stack[sp++] = slac_num_int(v[o.cause]);
      break;
    }
    case SLAC_OP_PLAN_IN: {
      bool found = false;
      for (uint16_t i = 0; i < p->set_sizes[o.k] && !found; i++)
        found = strcmp(p->strings[p->sets[o.k][i]], in->plan ? in->plan : "") == 0;
      stack[sp++] = num_bool(found);
      break;
    }
    case SLAC_OP_SUBJECT_HAS: {
      const char *want = p->strings[o.k];
      stack[sp++] = num_bool(in->claim && in->claim->subject && strstr(in->claim->subject, want));
      break;
    }
    case SLAC_OP_LOAD_OUT: {
      slac_num *v = output(out, o.field, o.service);
      if (v) stack[sp++] = *v;
      else stack[sp++] = num_bool(o.field == SLAC_OUT_MET ? out->services[o.service].met : out->eligible);
      break;
    }
    case SLAC_OP_STORE_OUT: {
      slac_num v = stack[--sp];
      slac_num *dst = output(out, o.field, o.service);
      if (dst) *dst = v;
      else if (o.field == SLAC_OUT_MET) out->services[o.service].met = !is_zero(v);
      else out->eligible = !is_zero(v);
      break;
    }
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
    case SLAC_OP_JMP: pc = o.target; break;
    case SLAC_OP_JZ:
      if (is_zero(stack[--sp])) pc = o.target;
      break;
    case SLAC_OP_REASON: {
      sp -= o.nargs;
      char *text = slac_format_reason(p->strings[o.k], stack + sp, o.nargs, in, currency);
      text = with_cite(text, o.cite == SLAC_NONE ? NULL : p->strings[o.cite]);
      if (add_reason(out, text) != 0) {
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
