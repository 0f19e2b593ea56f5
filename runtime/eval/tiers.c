/* tiers.c - the tier table read back from the code (tiers.h). */
#include "runtime/eval/tiers.h"

#include "runtime/vm/opcodes.h"

static bool is_cmp(int op) {
  return op == SLAC_OP_LT || op == SLAC_OP_LE || op == SLAC_OP_GT || op == SLAC_OP_GE;
}

/* OPS[I..I+3) is "LOAD_OUT UPTIME S, PUSHK k, CMP": one bound. */
static bool bound_at(const slac_program *p, uint32_t i, int s, int *op, slac_num *v) {
  const slac_operands *o = p->ops;
  if (i + 3 > p->nops) return false;
  if (o[i].op != SLAC_OP_LOAD_OUT || o[i].field != SLAC_OUT_UPTIME || o[i].service != s) return false;
  if (o[i + 1].op != SLAC_OP_PUSHK || !is_cmp(o[i + 2].op)) return false;
  *op = o[i + 2].op;
  *v = p->nums[o[i + 1].k];
  return true;
}

int slac_service_tiers(const slac_program *p, int s, slac_tier *out) {
  if (p->services[s].nterms) return -1; /* which terms apply is the plan's */
  const slac_operands *o = p->ops;
  int n = 0;
  for (uint32_t i = 0; i < p->nops; i++) {
    slac_tier t;
    if (!bound_at(p, i, s, &t.op[0], &t.bound[0])) continue;
    uint32_t j = i + 3;
    t.nbounds = 1;
    if (bound_at(p, j, s, &t.op[1], &t.bound[1]) && j + 3 < p->nops && o[j + 3].op == SLAC_OP_AND) {
      t.nbounds = 2;
      j += 4;
    }
    if (j + 3 > p->nops || o[j].op != SLAC_OP_JZ || o[j + 1].op != SLAC_OP_PUSHK ||
        o[j + 2].op != SLAC_OP_STORE_OUT || o[j + 2].field != SLAC_OUT_CREDIT || o[j + 2].service != s)
      continue; /* a comparison that sets no credit: the commitment, a minimum */
    if (n == SLAC_MAX_TIERS) return -1;
    t.credit = p->nums[o[j + 1].k];
    out[n++] = t;
    i = j + 2;
  }
  return n;
}

bool slac_tier_holds(const slac_tier *t, slac_num uptime) {
  for (int b = 0; b < t->nbounds; b++) {
    int c = 0;
    if (slac_num_cmp(uptime, t->bound[b], &c) != SLAC_NUM_OK) return false;
    bool ok = t->op[b] == SLAC_OP_LT ? c < 0 : t->op[b] == SLAC_OP_LE ? c <= 0
            : t->op[b] == SLAC_OP_GT ? c > 0 : c >= 0;
    if (!ok) return false;
  }
  return true;
}
