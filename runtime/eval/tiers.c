/* tiers.c - the terms of one account's service read back from the code
 * (tiers.h), along the path the VM takes for the account's plan. */
#include "runtime/eval/tiers.h"

#include <string.h>
#include "runtime/vm/opcodes.h"

static bool is_cmp(int op) {
  return op == SLAC_OP_LT || op == SLAC_OP_LE || op == SLAC_OP_GT || op == SLAC_OP_GE;
}

/* Is instruction I "OP FIELD S"? */
static bool is_out(const slac_program *p, uint32_t i, int op, int field, int s) {
  if (i >= p->nops) return false;
  const slac_operands *o = &p->ops[i];
  return o->op == op && o->field == field && o->service == s;
}

/* The instruction a jump at I lands on, or 0 when it does not land on
 * one after I (the verifier allows forward jumps only; 0 is never). */
static uint32_t target_of(const slac_program *p, uint32_t i) {
  uint32_t t = p->ops[i].target;
  if (t >= p->code_size || p->op_index[t] == UINT32_MAX || p->op_index[t] <= i) return 0;
  return p->op_index[t];
}

/* OPS[I..I+3) is "LOAD_OUT UPTIME S, PUSHK k, CMP": one bound. */
static bool bound_at(const slac_program *p, uint32_t i, int s, int *op, slac_num *v) {
  const slac_operands *o = p->ops;
  if (i + 3 > p->nops || !is_out(p, i, SLAC_OP_LOAD_OUT, SLAC_OUT_UPTIME, s)) return false;
  if (o[i + 1].op != SLAC_OP_PUSHK || !is_cmp(o[i + 2].op)) return false;
  *op = o[i + 2].op;
  *v = p->nums[o[i + 1].k];
  return true;
}

static bool same_num(slac_num a, slac_num b) { return a.units == b.units && a.above == b.above; }

/* PLAN_IN's test, as the VM makes it: is PLAN in set K? */
static bool plan_in(const slac_program *p, uint32_t k, const char *plan) {
  for (uint16_t i = 0; i < p->set_sizes[k]; i++)
    if (strcmp(p->strings[p->sets[k][i]], plan) == 0) return true;
  return false;
}

/* The one "STORE_OUT UPTIME S": the terms' code follows it.  0: none,
 * or more than one. */
static uint32_t uptime_stored(const slac_program *p, int s) {
  uint32_t at = 0;
  for (uint32_t i = 0; i < p->nops; i++) {
    if (!is_out(p, i, SLAC_OP_STORE_OUT, SLAC_OUT_UPTIME, s)) continue;
    if (at) return 0;
    at = i;
  }
  return at;
}

/* The tiers of the terms whose code begins at I, into OUT. */
static int read_terms(const slac_program *p, uint32_t i, int s, slac_terms_table *out) {
  const slac_operands *o = p->ops;
  /* the commitment: uptime >= commit -> MET, commit -> COMMIT */
  if (i + 6 > p->nops || !is_out(p, i, SLAC_OP_LOAD_OUT, SLAC_OUT_UPTIME, s) ||
      o[i + 1].op != SLAC_OP_PUSHK || o[i + 2].op != SLAC_OP_GE ||
      !is_out(p, i + 3, SLAC_OP_STORE_OUT, SLAC_OUT_MET, s) || o[i + 4].op != SLAC_OP_PUSHK ||
      !same_num(p->nums[o[i + 4].k], p->nums[o[i + 1].k]) || !is_out(p, i + 5, SLAC_OP_STORE_OUT, SLAC_OUT_COMMIT, s))
    return -1;
  out->commit = p->nums[o[i + 1].k];
  out->ntiers = 0;
  i += 6;
  /* each tier's JZ lands on the next tier; after the last, on "LOAD_OUT MET" */
  while (!is_out(p, i, SLAC_OP_LOAD_OUT, SLAC_OUT_MET, s)) {
    slac_tier t;
    if (!bound_at(p, i, s, &t.op[0], &t.bound[0])) return -1;
    uint32_t j = i + 3;
    t.nbounds = 1;
    if (bound_at(p, j, s, &t.op[1], &t.bound[1])) {
      if (j + 3 >= p->nops || o[j + 3].op != SLAC_OP_AND) return -1;
      t.nbounds = 2;
      j += 4;
    }
    if (j + 3 > p->nops || o[j].op != SLAC_OP_JZ || o[j + 1].op != SLAC_OP_PUSHK ||
        !is_out(p, j + 2, SLAC_OP_STORE_OUT, SLAC_OUT_CREDIT, s))
      return -1;
    if (out->ntiers == SLAC_MAX_TIERS) return -1;
    t.credit = p->nums[o[j + 1].k];
    out->tiers[out->ntiers++] = t;
    if (!(i = target_of(p, j))) return -1;
  }
  return 0;
}

int slac_service_terms(const slac_program *p, int s, const char *plan, slac_terms_table *out) {
  if (!p->ops || !p->op_index || s < 0 || s >= p->nservices) return -1;
  uint32_t i = uptime_stored(p, s);
  if (!i) return -1;
  i++;
  if (!p->services[s].nterms) {
    out->kind = SLAC_TERMS_ONLY;
    return read_terms(p, i, s, out);
  }
  /* terms by plan: "PLAN_IN set, JZ next" until a set holds the plan,
   * or the default terms (after the last test) */
  out->kind = SLAC_TERMS_DEFAULT;
  while (i + 1 < p->nops && p->ops[i].op == SLAC_OP_PLAN_IN && p->ops[i + 1].op == SLAC_OP_JZ) {
    if (plan_in(p, p->ops[i].k, plan ? plan : "")) {
      out->kind = SLAC_TERMS_PLAN;
      return read_terms(p, i + 2, s, out);
    }
    if (!(i = target_of(p, i + 1))) return -1;
  }
  return read_terms(p, i, s, out);
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
