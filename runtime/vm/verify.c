/* verify.c - the bytecode verifier: nothing runs before it says yes.
 *
 * One pass over the code in order.  Jumps only go forward, so the stack
 * depth at every instruction is known from the instructions before it:
 * the fall-through depth and the depth of every jump that lands there
 * must agree.  That one pass proves: every opcode is known, every operand
 * is in bounds, every jump lands on an instruction boundary inside the
 * code and after itself (so the program terminates), the stack never
 * underflows or exceeds SLAC_MAX_STACK, and execution cannot fall off the
 * end.  Operands come from slac_decode_operands() and are checked by
 * their format (the opcode table's column), one case per format.
 */
#include "runtime/vm/program.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/diag.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/vm.h"

/* Where the verifier's reports go: the file, and the diagnostics. */
typedef struct {
  const char *name;
  slac_diags *d;
} report_to;

static int bad(const report_to *err, const char *fmt, ...) SLAC_PRINTF(2, 3);
static int bad(const report_to *err, const char *fmt, ...) {
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  /* the offsets in the text are code offsets, not file offsets */
  slac_diag_bytecode(err->d, err->name, -1, "bad bytecode: %s", text);
  return -1;
}

#define UNSET (-1)

SLAC_EXHAUSTIVE_BEGIN
int slac_program_verify(const slac_program *p, const char *name, slac_diags *diags) {
  const report_to to = {name, diags}, *err = &to;
  uint32_t n = p->code_size;
  if (n == 0) return bad(err, "the code is empty");
  /* depth[i]: stack depth on entry to the instruction at i, from the
   * fall-through or a jump; UNSET where nothing reaches (yet). */
  int *depth = malloc((size_t)n * sizeof *depth);
  uint32_t *from = calloc(n, sizeof *from); /* from[t]: a jump that lands at t */
  if (!depth || !from) {
    free(depth);
    free(from);
    slac_diag_oom(diags);
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) depth[i] = UNSET;
  depth[0] = 0;
  int rc = 0;
  uint32_t at = 0;
  bool falls_off = true;
  while (at < n) {
    slac_operands o;
    slac_decode_status ds = slac_decode_operands(p->code, n, at, &o);
    if (ds == SLAC_DECODE_UNKNOWN_OPCODE) { rc = bad(err, "unknown opcode %u at %u", o.op, at); break; }
    if (ds == SLAC_DECODE_CUT_OFF) {
      rc = bad(err, "instruction at %u is cut off by the end of the code", at);
      break;
    }
    const slac_opinfo *info = &slac_opinfo_table[o.op];
    uint32_t next = o.next;
    /* Jumps are forward, so every jump that lands inside this
     * instruction has been seen by now. */
    for (uint32_t k = at + 1; k < next; k++)
      if (depth[k] != UNSET) {
        rc = bad(err, "jump at %u lands inside the instruction at %u", from[k], at);
        break;
      }
    if (rc) break;
    int d = depth[at];
    if (d == UNSET) { /* unreachable: decoded and bounds-checked, never run */ }
    int pops = info->pops, pushes = info->pushes;
    /* operand checks: the format says what each operand indexes */
    switch ((slac_operand_format)o.format) {
    case SLAC_FMT_NONE: break;
    case SLAC_FMT_KNUM:
      if (o.k >= p->nnums) rc = bad(err, "constant %u at %u does not exist", o.k, at);
      break;
    case SLAC_FMT_KSET:
      if (o.k >= p->nsets) rc = bad(err, "set %u at %u does not exist", o.k, at);
      break;
    case SLAC_FMT_KSTR:
      if (o.k >= p->nstrings) rc = bad(err, "string %u at %u does not exist", o.k, at);
      break;
    case SLAC_FMT_FS_IN:
      if (o.field >= SLAC_IN_COUNT || o.service >= p->nservices ||
          (!slac_input_is_service(o.field) && o.service != 0))
        rc = bad(err, "input operand at %u is out of range", at);
      break;
    case SLAC_FMT_FSC:
      if (o.field >= SLAC_CIN_COUNT || o.service >= p->nservices || o.cause >= p->ncauses)
        rc = bad(err, "cause operand at %u is out of range", at);
      break;
    case SLAC_FMT_FS_OUT:
      if (o.field >= SLAC_OUT_COUNT || o.service >= p->nservices ||
          (!slac_output_is_service(o.field) && o.service != 0))
        rc = bad(err, "output operand at %u is out of range", at);
      break;
    case SLAC_FMT_KCN: {
      pops = o.nargs;
      int arity = o.k < p->nstrings ? slac_template_arity(p->strings[o.k]) : -1;
      if (o.k >= p->nstrings || (o.cite != SLAC_NONE && o.cite >= p->nstrings))
        rc = bad(err, "reason at %u refers to a missing string", at);
      else if (arity < 0)
        rc = bad(err, "reason template at %u is malformed", at);
      else if (arity != pops)
        rc = bad(err, "reason template at %u takes %d arguments, not %d", at, arity, pops);
      break;
    }
    case SLAC_FMT_T: {
      uint32_t target = o.target;
      if (target >= n) {
        rc = bad(err, "jump at %u lands outside the code", at);
        break;
      }
      if (target <= at) {
        rc = bad(err, "jump at %u goes back to %u (jumps only go forward)", at, target);
        break;
      }
      if (target < next) { /* into its own operand */
        rc = bad(err, "jump at %u lands inside the instruction at %u", at, at);
        break;
      }
      if (d != UNSET) {
        int after = d - pops;
        if (after < 0) { rc = bad(err, "stack underflow at %u", at); break; }
        if (depth[target] != UNSET && depth[target] != after) {
          rc = bad(err, "jump at %u reaches %u with stack depth %d, not %d", at, target, after, depth[target]);
          break;
        }
        depth[target] = after;
        from[target] = at;
      }
      break;
    }
    }
    if (rc) break;
    if (d != UNSET) {
      if (d < pops) { rc = bad(err, "stack underflow at %u", at); break; }
      int after = d - pops + pushes;
      if (after > SLAC_MAX_STACK) { rc = bad(err, "stack deeper than %d at %u", SLAC_MAX_STACK, at); break; }
      bool ends = o.op == SLAC_OP_HALT || o.op == SLAC_OP_JMP;
      if (!ends && next < n) {
        if (depth[next] != UNSET && depth[next] != after) {
          rc = bad(err, "stack depth %d at %u disagrees with a jump there (%d)", after, next, depth[next]);
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
  if (!rc && falls_off) rc = bad(err, "the code can run past its end (no HALT)");
  free(depth);
  free(from);
  return rc;
}
SLAC_EXHAUSTIVE_END
