/* verify.c - the bytecode verifier: nothing runs before it says yes.
 *
 * One pass over the code in order.  Jumps only go forward, so the stack
 * depth at every instruction is known from the instructions before it:
 * the fall-through depth and the depth of every jump that lands there
 * must agree.  That one pass proves: every opcode is known, every operand
 * is in bounds, every jump lands on an instruction boundary inside the
 * code and after itself (so the program terminates), the stack never
 * underflows or exceeds SLAC_MAX_STACK, and execution cannot fall off the
 * end.
 */
#include "runtime/vm/program.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/diag.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/vm.h"

static int bad(char *err, size_t errsize, const char *fmt, ...) SLAC_PRINTF(3, 4);
static int bad(char *err, size_t errsize, const char *fmt, ...) {
  int n = snprintf(err, errsize, "bad bytecode: ");
  va_list ap;
  va_start(ap, fmt);
  if (n >= 0 && (size_t)n < errsize) vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

static uint32_t operand(const uint8_t *code, uint32_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | code[at + (uint32_t)i];
  return v;
}

#define UNSET (-1)

int slac_program_verify(const slac_program *p, char *err, size_t errsize) {
  uint32_t n = p->code_size;
  if (n == 0) return bad(err, errsize, "the code is empty");
  /* depth[i]: stack depth on entry to the instruction at i, from the
   * fall-through or a jump; UNSET where nothing reaches (yet). */
  int *depth = malloc((size_t)n * sizeof *depth);
  uint32_t *from = calloc(n, sizeof *from); /* from[t]: a jump that lands at t */
  if (!depth || !from) {
    free(depth);
    free(from);
    snprintf(err, errsize, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) depth[i] = UNSET;
  depth[0] = 0;
  int rc = 0;
  uint32_t at = 0;
  bool falls_off = true;
  while (at < n) {
    uint8_t op = p->code[at];
    if (op >= SLAC_OP_COUNT) { rc = bad(err, errsize, "unknown opcode %u at %u", op, at); break; }
    const slac_opinfo *info = &slac_opinfo_table[op];
    if (n - at - 1 < info->operand_bytes) {
      rc = bad(err, errsize, "instruction at %u is cut off by the end of the code", at);
      break;
    }
    /* Jumps are forward, so every jump that lands inside this
     * instruction has been seen by now. */
    for (uint32_t k = at + 1; k < at + 1 + info->operand_bytes; k++)
      if (depth[k] != UNSET) {
        rc = bad(err, errsize, "jump at %u lands inside the instruction at %u", from[k], at);
        break;
      }
    if (rc) break;
    const uint8_t *o = p->code + at + 1;
    uint32_t next = at + 1 + info->operand_bytes;
    int d = depth[at];
    if (d == UNSET) { /* unreachable: decoded and bounds-checked, never run */ }
    int pops = info->pops, pushes = info->pushes;
    /* operand checks */
    switch ((slac_opcode)op) {
    case SLAC_OP_PUSHK:
      if (operand(o, 0, 2) >= p->nnums) rc = bad(err, errsize, "constant %u at %u does not exist", operand(o, 0, 2), at);
      break;
    case SLAC_OP_PLAN_IN:
      if (operand(o, 0, 2) >= p->nsets) rc = bad(err, errsize, "set %u at %u does not exist", operand(o, 0, 2), at);
      break;
    case SLAC_OP_SUBJECT_HAS:
      if (operand(o, 0, 2) >= p->nstrings) rc = bad(err, errsize, "string %u at %u does not exist", operand(o, 0, 2), at);
      break;
    case SLAC_OP_LOAD_IN:
      if (o[0] >= SLAC_IN_COUNT || o[1] >= p->nservices || (!SLAC_IN_IS_SERVICE(o[0]) && o[1] != 0))
        rc = bad(err, errsize, "input operand at %u is out of range", at);
      break;
    case SLAC_OP_LOAD_CAUSE:
      if (o[0] >= SLAC_CIN_COUNT || o[1] >= p->nservices || o[2] >= p->ncauses)
        rc = bad(err, errsize, "cause operand at %u is out of range", at);
      break;
    case SLAC_OP_LOAD_OUT:
    case SLAC_OP_STORE_OUT:
      if (o[0] >= SLAC_OUT_COUNT || o[1] >= p->nservices || (!SLAC_OUT_IS_SERVICE(o[0]) && o[1] != 0))
        rc = bad(err, errsize, "output operand at %u is out of range", at);
      break;
    case SLAC_OP_REASON: {
      uint32_t tmpl = operand(o, 0, 2), cite = operand(o, 2, 2);
      pops = o[4];
      int arity = tmpl < p->nstrings ? slac_template_arity(p->strings[tmpl]) : -1;
      if (tmpl >= p->nstrings || (cite != SLAC_NONE && cite >= p->nstrings))
        rc = bad(err, errsize, "reason at %u refers to a missing string", at);
      else if (arity < 0)
        rc = bad(err, errsize, "reason template at %u is malformed", at);
      else if (arity != pops)
        rc = bad(err, errsize, "reason template at %u takes %d arguments, not %d", at, arity, pops);
      break;
    }
    case SLAC_OP_JMP:
    case SLAC_OP_JZ: {
      uint32_t target = operand(o, 0, 4);
      if (target >= n) {
        rc = bad(err, errsize, "jump at %u lands outside the code", at);
        break;
      }
      if (target <= at) {
        rc = bad(err, errsize, "jump at %u goes back to %u (jumps only go forward)", at, target);
        break;
      }
      if (target < next) { /* into its own operand */
        rc = bad(err, errsize, "jump at %u lands inside the instruction at %u", at, at);
        break;
      }
      if (d != UNSET) {
        int after = d - pops;
        if (after < 0) { rc = bad(err, errsize, "stack underflow at %u", at); break; }
        if (depth[target] != UNSET && depth[target] != after) {
          rc = bad(err, errsize, "jump at %u reaches %u with stack depth %d, not %d", at, target, after, depth[target]);
          break;
        }
        depth[target] = after;
        from[target] = at;
      }
      break;
    }
    default: break;
    }
    if (rc) break;
    if (d != UNSET) {
      if (d < pops) { rc = bad(err, errsize, "stack underflow at %u", at); break; }
      int after = d - pops + pushes;
      if (after > SLAC_MAX_STACK) { rc = bad(err, errsize, "stack deeper than %d at %u", SLAC_MAX_STACK, at); break; }
      bool ends = op == SLAC_OP_HALT || op == SLAC_OP_JMP;
      if (!ends && next < n) {
        if (depth[next] != UNSET && depth[next] != after) {
          rc = bad(err, errsize, "stack depth %d at %u disagrees with a jump there (%d)", after, next, depth[next]);
          break;
        }
        depth[next] = after;
      }
      falls_off = !ends;
    } else {
      falls_off = false;
    }
    at = next;
  }
  if (!rc && falls_off) rc = bad(err, errsize, "the code can run past its end (no HALT)");
  free(depth);
  free(from);
  return rc;
}
