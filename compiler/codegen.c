/* codegen.c - the checked model to a slac_program.
 *
 * The code decides one account and one month, in this order: per service
 * the uptime, the commitment, the tier and the exclusions applied; then
 * for the account the credit percentage (the highest of its services),
 * eligibility, the amount, the maximum and the minimum.  Only forward
 * jumps are emitted.  Every reason is a template written here, in the
 * contract's words, with the citation of the clause it comes from.
 */
#include "compiler/codegen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/sha256.h"
#include "runtime/vm/opcodes.h"

typedef struct {
  slac_program *p;
  slac_diags *d;
  slac_source *src;
  bool failed;
  /* growing arrays behind the program's tables */
  uint32_t code_cap, lines_cap;
  uint16_t strings_cap, nums_cap, sets_cap, set_sizes_cap, notes_cap;
  /* string dedup: open addressing over indices + 1 */
  uint32_t *str_hash;
  uint32_t str_hash_cap;
  uint32_t *num_hash;           /* the same for numbers */
  uint32_t num_hash_cap;
  uint32_t line; /* source line of what is being emitted */
} gen;

static void gen_fail(gen *g, const char *msg) {
  if (g->failed) return;
  g->failed = true;
  slac_diag_plain(g->d, SLAC_ERROR, "%s", msg);
}

static bool grow(gen *g, void **arr, size_t elem, uint32_t need, uint32_t *cap, uint32_t limit) {
  if (need <= *cap) return true;
  if (need > limit) {
    gen_fail(g, "the policy is too large to compile (a table of the bytecode is full)");
    return false;
  }
  uint32_t cap2 = *cap ? *cap : 16;
  while (cap2 < need) cap2 = cap2 > limit / 2 ? limit : cap2 * 2;
  void *r = realloc(*arr, (size_t)cap2 * elem);
  if (!r) { g->failed = true; slac_diag_oom(g->d); return false; }
  *arr = r;
  *cap = cap2;
  return true;
}

#define GROW16(g, arr, n, cap) \
  grow16((g), (void **)&(arr), sizeof *(arr), (uint32_t)(n) + 1, &(cap))
static bool grow16(gen *g, void **arr, size_t elem, uint32_t need, uint16_t *cap) {
  uint32_t c = *cap;
  bool ok = grow(g, arr, elem, need, &c, 0xFFFE);
  *cap = (uint16_t)c;
  return ok;
}

static uint32_t hash_num(slac_num v) {
  unsigned __int128 u = (unsigned __int128)v.units;
  uint64_t x = (uint64_t)u ^ (uint64_t)(u >> 64) * 0x9E3779B97F4A7C15u;
  x = (x ^ (x >> 31)) * 0xBF58476D1CE4E5B9u;
  return (uint32_t)(x ^ (x >> 29));
}

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  return h;
}

static bool rehash(gen *g) {
  uint32_t cap = g->str_hash_cap ? g->str_hash_cap * 2 : 256;
  uint32_t *t = calloc(cap, sizeof *t);
  if (!t) { g->failed = true; slac_diag_oom(g->d); return false; }
  for (uint16_t i = 0; i < g->p->nstrings; i++) {
    uint32_t h = hash_str(g->p->strings[i]) & (cap - 1);
    while (t[h]) h = (h + 1) & (cap - 1);
    t[h] = i + 1u;
  }
  free(g->str_hash);
  g->str_hash = t;
  g->str_hash_cap = cap;
  return true;
}

/* Index of string S in the pool, added if new. */
static uint16_t str(gen *g, const char *s) {
  if (g->failed) return 0;
  if ((uint32_t)g->p->nstrings * 2 >= g->str_hash_cap && !rehash(g)) return 0;
  uint32_t h = hash_str(s) & (g->str_hash_cap - 1);
  while (g->str_hash[h]) {
    uint16_t i = (uint16_t)(g->str_hash[h] - 1);
    if (strcmp(g->p->strings[i], s) == 0) return i;
    h = (h + 1) & (g->str_hash_cap - 1);
  }
  if (!GROW16(g, g->p->strings, g->p->nstrings, g->strings_cap)) return 0;
  char *copy = strdup(s);
  if (!copy) { g->failed = true; slac_diag_oom(g->d); return 0; }
  g->p->strings[g->p->nstrings] = copy;
  g->str_hash[h] = (uint32_t)g->p->nstrings + 1;
  return g->p->nstrings++;
}

/* A string built with printf-style arguments. */
static uint16_t strf(gen *g, const char *fmt, ...) SLAC_PRINTF(2, 3);
static uint16_t strf(gen *g, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return 0;
  if ((size_t)n < sizeof small) return str(g, small);
  char *big = malloc((size_t)n + 1);
  if (!big) { g->failed = true; slac_diag_oom(g->d); return 0; }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  uint16_t k = str(g, big);
  free(big);
  return k;
}

/* Index of number V in the pool, added if new; a hash of the value keeps
 * policies with tens of thousands of constants linear. */
static uint16_t num(gen *g, slac_num v) {
  if (g->failed) return 0;
  if ((uint32_t)g->p->nnums * 2 >= g->num_hash_cap) {
    uint32_t cap = g->num_hash_cap ? g->num_hash_cap * 2 : 256;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) { g->failed = true; slac_diag_oom(g->d); return 0; }
    for (uint16_t i = 0; i < g->p->nnums; i++) {
      uint32_t h = hash_num(g->p->nums[i]) & (cap - 1);
      while (t[h]) h = (h + 1) & (cap - 1);
      t[h] = i + 1u;
    }
    free(g->num_hash);
    g->num_hash = t;
    g->num_hash_cap = cap;
  }
  uint32_t h = hash_num(v) & (g->num_hash_cap - 1);
  while (g->num_hash[h]) {
    uint16_t i = (uint16_t)(g->num_hash[h] - 1);
    if (g->p->nums[i].units == v.units) return i;
    h = (h + 1) & (g->num_hash_cap - 1);
  }
  if (!GROW16(g, g->p->nums, g->p->nnums, g->nums_cap)) return 0;
  g->p->nums[g->p->nnums] = v;
  g->num_hash[h] = (uint32_t)g->p->nnums + 1;
  return g->p->nnums++;
}

static uint16_t int_const(gen *g, int64_t v) { return num(g, slac_num_int(v)); }

/* ------------------------------------------------------------------ */
/* Emitting code                                                       */

static uint32_t here(gen *g) { return g->p->code_size; }

static void emit(gen *g, slac_opcode op, const uint8_t *operands) {
  if (g->failed) return;
  unsigned n = slac_opinfo_table[op].operand_bytes;
  slac_program *p = g->p;
  if (!grow(g, (void **)&p->code, 1, p->code_size + 1 + n, &g->code_cap, 1u << 30)) return;
  if (p->nlines == 0 || p->lines[p->nlines - 1].line != g->line) {
    if (!grow(g, (void **)&p->lines, sizeof *p->lines, p->nlines + 1, &g->lines_cap, 1u << 30)) return;
    p->lines[p->nlines].offset = p->code_size;
    p->lines[p->nlines].line = g->line;
    p->nlines++;
  }
  p->code[p->code_size++] = (uint8_t)op;
  for (unsigned i = 0; i < n; i++) p->code[p->code_size++] = operands[i];
}

static void op0(gen *g, slac_opcode op) { emit(g, op, NULL); }
static void op_k(gen *g, slac_opcode op, uint16_t k) {
  uint8_t o[2] = {(uint8_t)k, (uint8_t)(k >> 8)};
  emit(g, op, o);
}
static void push(gen *g, slac_num v) { op_k(g, SLAC_OP_PUSHK, num(g, v)); }
static void push_int(gen *g, int64_t v) { op_k(g, SLAC_OP_PUSHK, int_const(g, v)); }
static void load_in(gen *g, slac_input_field f, int s) {
  uint8_t o[2] = {(uint8_t)f, (uint8_t)s};
  emit(g, SLAC_OP_LOAD_IN, o);
}
static void load_cause(gen *g, slac_cause_field f, int s, int c) {
  uint8_t o[3] = {(uint8_t)f, (uint8_t)s, (uint8_t)c};
  emit(g, SLAC_OP_LOAD_CAUSE, o);
}
static void load_out(gen *g, slac_output_field f, int s) {
  uint8_t o[2] = {(uint8_t)f, (uint8_t)s};
  emit(g, SLAC_OP_LOAD_OUT, o);
}
static void store_out(gen *g, slac_output_field f, int s) {
  uint8_t o[2] = {(uint8_t)f, (uint8_t)s};
  emit(g, SLAC_OP_STORE_OUT, o);
}

/* A forward jump; returns where to patch its target. */
static uint32_t jump(gen *g, slac_opcode op) {
  uint8_t o[4] = {0, 0, 0, 0};
  emit(g, op, o);
  return here(g) - 4;
}

static void land(gen *g, uint32_t patch) {
  if (g->failed) return;
  uint32_t t = here(g);
  for (int i = 0; i < 4; i++) g->p->code[patch + (uint32_t)i] = (uint8_t)(t >> (8 * i));
}

static uint16_t cite(gen *g, const slac_cite *c) {
  if (!c) return SLAC_NONE;
  char *text = slac_cites_text(c);
  if (!text) { g->failed = true; slac_diag_oom(g->d); return SLAC_NONE; }
  uint16_t k = str(g, text);
  free(text);
  return k;
}

static void reason(gen *g, uint16_t tmpl, uint16_t cite_k, int nargs) {
  uint8_t o[5] = {(uint8_t)tmpl, (uint8_t)(tmpl >> 8), (uint8_t)cite_k, (uint8_t)(cite_k >> 8),
                  (uint8_t)nargs};
  emit(g, SLAC_OP_REASON, o);
}

static void at_line(gen *g, slac_loc loc) { g->line = (uint32_t)loc.first_line; }

/* ------------------------------------------------------------------ */
/* Words                                                               */

/* Text copied into a template: braces doubled so they stay literal. */
static void escape_into(char *out, size_t size, const char *s) {
  size_t n = 0;
  for (; *s && n + 2 < size; s++) {
    out[n++] = *s;
    if (*s == '{' || *s == '}') out[n++] = *s;
  }
  out[n] = 0;
}


static const char *bound_words(int kind) {
  switch (kind) {
  case SLAC_BOUND_BELOW: return "below";
  case SLAC_BOUND_AT_OR_BELOW: return "at or below";
  case SLAC_BOUND_ABOVE: return "above";
  default: return "at or above";
  }
}

static slac_opcode bound_op(int kind) {
  switch (kind) {
  case SLAC_BOUND_BELOW: return SLAC_OP_LT;
  case SLAC_BOUND_AT_OR_BELOW: return SLAC_OP_LE;
  case SLAC_BOUND_ABOVE: return SLAC_OP_GT;
  default: return SLAC_OP_GE;
  }
}

/* "maintenance", "force majeure", or a declared cause's description. */
static void cause_words(const slac_model *m, int c, char *buf, size_t size) {
  const slac_model_cause *mc = &m->causes[c];
  const char *src = mc->description ? mc->description : mc->name;
  char tmp[256];
  size_t n = 0;
  for (; *src && n + 1 < sizeof tmp; src++) tmp[n++] = *src == '_' && !mc->description ? ' ' : *src;
  tmp[n] = 0;
  escape_into(buf, size, tmp);
}

/* Words for a condition, e.g. `the plan is one of "Free", "Starter"`. */
static void cond_words(const slac_cond *k, char *buf, size_t size, bool nested) {
  size_t n = strlen(buf);
  if (n + 1 >= size || !k) return;
  char *out = buf + n;
  size_t room = size - n;
  switch (k->kind) {
  case SLAC_COND_PLAN_IN: {
    int count = 0;
    for (const slac_name *x = k->plans; x; x = x->next) count++;
    size_t w = (size_t)snprintf(out, room, count == 1 ? "the plan is " : "the plan is one of ");
    for (const slac_name *x = k->plans; x && w < room; x = x->next) {
      char esc[600];
      escape_into(esc, sizeof esc, x->text);
      w += (size_t)snprintf(out + w, room - w, "%s\"%s\"", x == k->plans ? "" : ", ", esc);
    }
    return;
  }
  case SLAC_COND_STANDING:
    snprintf(out, room, k->standing_good ? "the account is in good standing" : "the account is overdue");
    return;
  case SLAC_COND_NOT:
    snprintf(out, room, "not (");
    cond_words(k->lhs, buf, size, false);
    strncat(buf, ")", size - strlen(buf) - 1);
    return;
  default:
    if (nested) strncat(buf, "(", size - strlen(buf) - 1);
    cond_words(k->lhs, buf, size, true);
    strncat(buf, k->kind == SLAC_COND_AND ? " and " : " or ", size - strlen(buf) - 1);
    cond_words(k->rhs, buf, size, true);
    if (nested) strncat(buf, ")", size - strlen(buf) - 1);
    return;
  }
}

static void gen_cond(gen *g, const slac_cond *k) {
  switch (k->kind) {
  case SLAC_COND_PLAN_IN: {
    if (!GROW16(g, g->p->sets, g->p->nsets, g->sets_cap)) return;
    if (!GROW16(g, g->p->set_sizes, g->p->nsets, g->set_sizes_cap)) return;
    int count = 0;
    for (const slac_name *x = k->plans; x; x = x->next) count++;
    uint16_t *members = calloc((size_t)count, sizeof *members);
    if (!members) { g->failed = true; slac_diag_oom(g->d); return; }
    int i = 0;
    for (const slac_name *x = k->plans; x; x = x->next) members[i++] = str(g, x->text);
    g->p->sets[g->p->nsets] = members;
    g->p->set_sizes[g->p->nsets] = (uint16_t)count;
    op_k(g, SLAC_OP_PLAN_IN, g->p->nsets++);
    return;
  }
  case SLAC_COND_STANDING:
    load_in(g, SLAC_IN_STANDING_GOOD, 0);
    if (!k->standing_good) op0(g, SLAC_OP_NOT);
    return;
  case SLAC_COND_NOT:
    gen_cond(g, k->lhs);
    op0(g, SLAC_OP_NOT);
    return;
  default:
    gen_cond(g, k->lhs);
    gen_cond(g, k->rhs);
    op0(g, k->kind == SLAC_COND_AND ? SLAC_OP_AND : SLAC_OP_OR);
    return;
  }
}

/* ------------------------------------------------------------------ */
/* One service                                                         */

static void gen_service(gen *g, const slac_model *m, int i) {
  const slac_model_service *s = &m->services[i];
  char who[300] = "", words[1024], b[64];
  if (m->nservices > 1) {
    char esc[280];
    escape_into(esc, sizeof esc, s->id);
    snprintf(who, sizeof who, "%s: ", esc);
  }
  /* uptime */
  at_line(g, s->measure->loc);
  const char *uptime_words = "uptime {u}%";
  if (s->metric == SLAC_METRIC_MINUTES) {
    load_in(g, SLAC_IN_MONTH_MINUTES, 0);
    load_in(g, SLAC_IN_UNAVAILABLE, i);
    op0(g, SLAC_OP_SUB);
    push_int(g, 100);
    op0(g, SLAC_OP_MUL);
    load_in(g, SLAC_IN_MONTH_MINUTES, 0);
    op0(g, SLAC_OP_DIV);
  } else {
    push_int(g, 100);
    load_in(g, SLAC_IN_ERROR_RATE, i);
    op0(g, SLAC_OP_SUB);
    uptime_words = "uptime {u}% (average error rate {u}%)";
  }
  store_out(g, SLAC_OUT_UPTIME, i);
  int nuptime = s->metric == SLAC_METRIC_MINUTES ? 1 : 2;
#define PUSH_UPTIME()                                                     \
  do {                                                                    \
    load_out(g, SLAC_OUT_UPTIME, i);                                      \
    if (nuptime == 2) load_in(g, SLAC_IN_ERROR_RATE, i);                  \
  } while (0)

  /* commitment */
  at_line(g, s->commit_clause->loc);
  load_out(g, SLAC_OUT_UPTIME, i);
  push(g, s->commit);
  op0(g, SLAC_OP_GE);
  store_out(g, SLAC_OUT_MET, i);

  /* tiers: disjoint (checked), or under "most severe tier applies" in
   * order of severity, so the first that matches is the one */
  uint32_t *done = calloc((size_t)s->ntiers + 1, sizeof *done);
  if (!done) { g->failed = true; slac_diag_oom(g->d); return; }
  for (int t = 0; t < s->ntiers; t++) {
    const slac_model_tier *mt = &s->tiers[t];
    const slac_tier *tier = mt->tier;
    at_line(g, tier->loc);
    words[0] = 0;
    for (int k = 0; k < tier->nbounds; k++) {
      load_out(g, SLAC_OUT_UPTIME, i);
      push(g, tier->bounds[k].value.value);
      op0(g, bound_op(tier->bounds[k].kind));
      /* the number as the policy writes it: "99.0%", not "99%" */
      size_t w = strlen(words);
      snprintf(words + w, sizeof words - w, "%s%s %s%%", k ? " and " : "",
               bound_words(tier->bounds[k].kind), tier->bounds[k].value.text);
    }
    if (tier->nbounds == 2) op0(g, SLAC_OP_AND);
    uint32_t next = jump(g, SLAC_OP_JZ);
    push(g, mt->credit);
    store_out(g, SLAC_OUT_CREDIT, i);
    PUSH_UPTIME();
    push(g, mt->credit);
    {
      /* the citation first: C leaves the order of arguments open, and
       * the constant pool must not depend on the compiler */
      uint16_t cite_k = cite(g, tier->cites ? tier->cites : s->credit->cites);
      reason(g, strf(g, "%s%s is %s: tier {p}%%", who, uptime_words, words), cite_k, nuptime + 1);
    }
    done[t] = jump(g, SLAC_OP_JMP);
    land(g, next);
  }
  /* no tier: the commitment is met, or missed with no tier covering it */
  at_line(g, s->commit_clause->loc);
  snprintf(b, sizeof b, "%s", s->commit_clause->value.text);
  load_out(g, SLAC_OUT_MET, i);
  uint32_t missed = jump(g, SLAC_OP_JZ);
  PUSH_UPTIME();
  {
    uint16_t cite_k = cite(g, s->commit_clause->cites);
    reason(g, strf(g, "%s%s meets the commitment of %s%%", who, uptime_words, b), cite_k, nuptime);
  }
  done[s->ntiers] = jump(g, SLAC_OP_JMP);
  land(g, missed);
  PUSH_UPTIME();
  {
    uint16_t cite_k = cite(g, s->credit ? s->credit->cites : s->commit_clause->cites);
    reason(g, strf(g, "%s%s misses the commitment of %s%%, but no credit tier covers it: credit 0%%",
                 who, uptime_words, b), cite_k, nuptime);
  }
  for (int t = 0; t <= s->ntiers; t++) land(g, done[t]);
  free(done);
#undef PUSH_UPTIME

  /* exclusions applied, and caps reached */
  for (int c = 1; c < m->ncauses; c++) {
    const slac_cause_rule *r = &s->rules[c];
    if (r->mode == SLAC_CAUSE_COUNTS) continue;
    at_line(g, r->clause->loc);
    cause_words(m, c, words, sizeof words);
    load_cause(g, SLAC_CIN_EXCLUDED_SECONDS, i, c);
    push_int(g, 0);
    op0(g, SLAC_OP_GT);
    uint32_t skip = jump(g, SLAC_OP_JZ);
    load_cause(g, SLAC_CIN_EXCLUDED_SECONDS, i, c);
    {
      uint16_t cite_k = cite(g, r->clause->cites);
      reason(g, strf(g, "%s%s excluded: {d}", who, words), cite_k, 1);
    }
    uint32_t skip2 = 0;
    if (r->mode == SLAC_CAUSE_CAPPED) {
      load_cause(g, SLAC_CIN_EXCESS_SECONDS, i, c);
      push_int(g, 0);
      op0(g, SLAC_OP_GT);
      skip2 = jump(g, SLAC_OP_JZ);
      push_int(g, r->cap_seconds);
      load_cause(g, SLAC_CIN_EXCESS_SECONDS, i, c);
      {
        uint16_t cite_k = cite(g, r->clause->cites);
        reason(g, strf(g, "%s%s beyond the cap of {d} per month: {d} counted as downtime", who, words), cite_k, 2);
      }
      land(g, skip2);
    }
    land(g, skip);
  }
}

/* ------------------------------------------------------------------ */
/* The account                                                         */

static void gen_base(gen *g, const slac_model *m, slac_base base) {
  if (base == SLAC_BASE_MONTHLY_FEE) {
    load_in(g, SLAC_IN_FEE, 0);
    return;
  }
  push_int(g, 0);
  for (int i = 0; i < m->nservices; i++) {
    load_in(g, SLAC_IN_CHARGE, i);
    load_in(g, SLAC_IN_AFFECTED, i);
    op0(g, SLAC_OP_MUL);
    op0(g, SLAC_OP_ADD);
  }
}

static const char *base_words(slac_base base) {
  return base == SLAC_BASE_MONTHLY_FEE ? "the monthly fee" : "the charges of the affected services";
}

static void gen_eligibility(gen *g, const slac_clause *cl) {
  char words[2048] = "";
  at_line(g, cl->loc);
  gen_cond(g, cl->cond);
  const slac_cond *k = cl->cond;
  if (cl->kind == SLAC_CL_ELIGIBLE_ONLY) op0(g, SLAC_OP_NOT);
  uint32_t skip = jump(g, SLAC_OP_JZ);
  push_int(g, 0);
  store_out(g, SLAC_OUT_ELIGIBLE, 0);
  if (cl->kind == SLAC_CL_NOT_ELIGIBLE && k->kind == SLAC_COND_PLAN_IN)
    snprintf(words, sizeof words, "not eligible: the agreement does not cover plan \"{plan}\"");
  else if (cl->kind == SLAC_CL_ELIGIBLE_ONLY && k->kind == SLAC_COND_STANDING && k->standing_good)
    snprintf(words, sizeof words,
             "not eligible: credits apply only to accounts in good standing, and this account is overdue");
  else {
    snprintf(words, sizeof words, cl->kind == SLAC_CL_NOT_ELIGIBLE
                                      ? "not eligible: the agreement does not cover accounts where "
                                      : "not eligible: the agreement covers only accounts where ");
    cond_words(k, words, sizeof words, false);
    if (strstr(words, "the plan")) strncat(words, " (plan \"{plan}\")", sizeof words - strlen(words) - 1);
  }
  {
    uint16_t cite_k = cite(g, cl->cites);
    reason(g, str(g, words), cite_k, 0);
  }
  land(g, skip);
}

/* A credit is owed: does a claim that meets the policy's conditions stand
 * behind it (docs/claims.md)?  The first condition that fails sets the
 * amount to 0 with its reason. */
static void gen_claim(gen *g, const slac_model *m) {
  const slac_clause *cl = m->claim;
  uint16_t cites = cite(g, cl->cites);
  uint32_t fails[8];
  int nfails = 0;
  at_line(g, cl->loc);
  load_out(g, SLAC_OUT_AMOUNT, 0);
  push_int(g, 0);
  op0(g, SLAC_OP_GT);
  uint32_t nothing_owed = jump(g, SLAC_OP_JZ);
  load_in(g, SLAC_IN_HAS_CLAIMS, 0);
  uint32_t no_file = jump(g, SLAC_OP_JZ);
  load_in(g, SLAC_IN_CLAIM_FOUND, 0);
  uint32_t missing = jump(g, SLAC_OP_JZ);
  static const struct { slac_input_field at; const char *words; } deadline[2] = {
      {SLAC_IN_TICKET_AT, "no credit: the support ticket was opened {t}, after the deadline of {t} "
                          "({d} after the interruption)"},
      {SLAC_IN_CLAIMED_AT, "no credit: the claim was sent {t}, after the deadline of {t} "
                           "({d} after the interruption)"}};
  const int64_t secs[2] = {m->claim_ticket_seconds, m->claim_seconds};
  for (int k = 0; k < 2; k++) {
    if (secs[k] < 0) continue;
    load_in(g, deadline[k].at, 0);
    load_in(g, SLAC_IN_FIRST_DOWN, 0);
    push_int(g, secs[k]);
    op0(g, SLAC_OP_ADD);
    op0(g, SLAC_OP_GT);
    uint32_t in_time = jump(g, SLAC_OP_JZ);
    load_in(g, deadline[k].at, 0);
    load_in(g, SLAC_IN_FIRST_DOWN, 0);
    push_int(g, secs[k]);
    op0(g, SLAC_OP_ADD);
    push_int(g, secs[k]);
    reason(g, str(g, deadline[k].words), cites, 3);
    fails[nfails++] = jump(g, SLAC_OP_JMP);
    land(g, in_time);
  }
  if (cl->text) {
    char esc[1100];
    escape_into(esc, sizeof esc, cl->text);
    op_k(g, SLAC_OP_SUBJECT_HAS, str(g, cl->text));
    uint32_t ok = jump(g, SLAC_OP_JZ);
    uint32_t good = jump(g, SLAC_OP_JMP);
    land(g, ok);
    reason(g, strf(g, "no credit: the claim's subject does not contain \"%s\"", esc), cites, 0);
    fails[nfails++] = jump(g, SLAC_OP_JMP);
    land(g, good);
  }
  uint32_t content_fails[SLAC_CLAIM_NCONTENTS];
  int ncontent = 0;
  for (int k = 0; k < SLAC_CLAIM_NCONTENTS; k++) {
    if (!m->claim_includes[k]) continue;
    load_in(g, slac_claim_inputs[k], 0);
    uint32_t absent = jump(g, SLAC_OP_JZ);
    uint32_t present = jump(g, SLAC_OP_JMP);
    land(g, absent);
    reason(g, strf(g, "no credit: the claim does not include %s", slac_claim_words[k]), cites, 0);
    content_fails[ncontent++] = jump(g, SLAC_OP_JMP);
    land(g, present);
  }
  load_in(g, SLAC_IN_TICKET_AT, 0);
  load_in(g, SLAC_IN_CLAIMED_AT, 0);
  reason(g, str(g, "claim accepted: support ticket opened {t}, claim sent {t}"), cites, 2);
  uint32_t accepted = jump(g, SLAC_OP_JMP);
  land(g, missing);
  reason(g, str(g, "no credit: no claim was filed for this month, and credits require one"), cites, 0);
  uint32_t zero_missing = jump(g, SLAC_OP_JMP);
  land(g, no_file);
  if (secs[0] >= 0 && secs[1] >= 0) {
    load_in(g, SLAC_IN_FIRST_DOWN, 0);
    push_int(g, secs[0]);
    op0(g, SLAC_OP_ADD);
    load_in(g, SLAC_IN_FIRST_DOWN, 0);
    push_int(g, secs[1]);
    op0(g, SLAC_OP_ADD);
    reason(g, str(g, "a claim is required: open a support ticket by {t} and send the claim by {t}"),
           cites, 2);
  } else if (secs[0] >= 0 || secs[1] >= 0) {
    load_in(g, SLAC_IN_FIRST_DOWN, 0);
    push_int(g, secs[0] >= 0 ? secs[0] : secs[1]);
    op0(g, SLAC_OP_ADD);
    reason(g, str(g, secs[0] >= 0 ? "a claim is required: open a support ticket by {t}"
                                  : "a claim is required: send it by {t}"),
           cites, 1);
  } else {
    reason(g, str(g, "a claim is required to receive this credit"), cites, 0);
  }
  uint32_t kept = jump(g, SLAC_OP_JMP);
  /* every failed condition: no credit */
  for (int k = 0; k < nfails; k++) land(g, fails[k]);
  for (int k = 0; k < ncontent; k++) land(g, content_fails[k]);
  land(g, zero_missing);
  push_int(g, 0);
  store_out(g, SLAC_OUT_AMOUNT, 0);
  land(g, accepted);
  land(g, kept);
  land(g, nothing_owed);
}

static void gen_account(gen *g, const slac_model *m, const slac_policy *p) {
  at_line(g, p->loc);
  load_out(g, SLAC_OUT_CREDIT, 0);
  for (int i = 1; i < m->nservices; i++) {
    load_out(g, SLAC_OUT_CREDIT, i);
    op0(g, SLAC_OP_MAX);
  }
  store_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  load_in(g, SLAC_IN_HAS_ACCOUNT, 0);
  uint32_t end1 = jump(g, SLAC_OP_JZ);
  for (int e = 0; e < m->neligibility; e++) gen_eligibility(g, m->eligibility[e]);
  at_line(g, p->loc); /* back to the account as a whole, not the last clause */
  load_out(g, SLAC_OUT_ELIGIBLE, 0);
  uint32_t end2 = jump(g, SLAC_OP_JZ);
  load_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  push_int(g, 0);
  op0(g, SLAC_OP_GT);
  uint32_t end3 = jump(g, SLAC_OP_JZ);

  /* amount = base x credit% / 100, rounded half-up to the minor unit */
  const slac_clause *credit = NULL;
  for (int i = 0; i < m->nservices && !credit; i++) credit = m->services[i].credit;
  if (credit) at_line(g, credit->loc);
  gen_base(g, m, m->base);
  load_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  op0(g, SLAC_OP_MUL);
  push_int(g, 100);
  op0(g, SLAC_OP_DIV);
  op0(g, SLAC_OP_ROUND_MONEY);
  store_out(g, SLAC_OUT_AMOUNT, 0);
  load_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  gen_base(g, m, m->base);
  load_out(g, SLAC_OUT_AMOUNT, 0);
  {
    uint16_t cite_k = cite(g, credit ? credit->cites : NULL);
    reason(g, strf(g, "credit {p}%% of %s {m}: {m}", base_words(m->base)), cite_k, 3);
  }

  if (m->maximum) {
    const slac_clause *mx = m->maximum;
    const char *pct = mx->value.text;
#define CAP()                                         \
  do {                                                \
    gen_base(g, m, mx->base);                         \
    push(g, m->maximum_percent);                      \
    op0(g, SLAC_OP_MUL);                              \
    push_int(g, 100);                                 \
    op0(g, SLAC_OP_DIV);                              \
    op0(g, SLAC_OP_ROUND_MONEY);                      \
  } while (0)
    at_line(g, mx->loc);
    load_out(g, SLAC_OUT_AMOUNT, 0);
    CAP();
    op0(g, SLAC_OP_GT);
    uint32_t skip = jump(g, SLAC_OP_JZ);
    CAP();
    store_out(g, SLAC_OUT_AMOUNT, 0);
    load_out(g, SLAC_OUT_AMOUNT, 0);
    {
      uint16_t cite_k = cite(g, mx->cites);
      reason(g, strf(g, "credits never exceed %s%% of %s: capped at {m}", pct, base_words(mx->base)), cite_k, 1);
    }
    land(g, skip);
#undef CAP
  }
  if (m->minimum) {
    const slac_clause *mn = m->minimum;
    at_line(g, mn->loc);
    uint32_t *ends = calloc((size_t)mn->namounts + 1, sizeof *ends);
    if (!ends) { g->failed = true; slac_diag_oom(g->d); return; }
    for (int k = 0; k < mn->namounts; k++) {
      int cur = 0;
      for (int c = 0; c < m->ncurrencies; c++)
        if (strcmp(m->currencies[c], mn->amounts[k].currency) == 0) cur = c;
      load_in(g, SLAC_IN_CURRENCY, 0);
      push_int(g, cur);
      op0(g, SLAC_OP_EQ);
      uint32_t other = jump(g, SLAC_OP_JZ);
      load_out(g, SLAC_OUT_AMOUNT, 0);
      push(g, mn->amounts[k].value);
      op0(g, mn->at_least ? SLAC_OP_GE : SLAC_OP_GT);
      ends[k] = jump(g, SLAC_OP_JZ);
      uint32_t met = jump(g, SLAC_OP_JMP);
      land(g, ends[k]);
      load_out(g, SLAC_OUT_AMOUNT, 0);
      push(g, mn->amounts[k].value);
      {
        uint16_t cite_k = cite(g, mn->cites);
        reason(g, str(g, mn->at_least ? "credit {m} is less than the minimum of {m}: no credit is issued"
                                    : "credit {m} is not greater than {m}: no credit is issued"), cite_k, 2);
      }
      push_int(g, 0);
      store_out(g, SLAC_OUT_AMOUNT, 0);
      land(g, met);
      land(g, other);
    }
    free(ends);
  }
  if (m->claim) gen_claim(g, m);
  land(g, end1);
  land(g, end2);
  land(g, end3);
  at_line(g, p->loc);
  op0(g, SLAC_OP_HALT);
}

/* ------------------------------------------------------------------ */
/* Declarations                                                        */

static void gen_declarations(gen *g, const slac_model *m) {
  slac_program *p = g->p;
  p->id = str(g, m->id);
  p->title = m->title ? str(g, m->title) : SLAC_NONE;
  p->provider = m->provider ? str(g, m->provider) : SLAC_NONE;
  p->version = (uint32_t)m->version;
  if (m->ncurrencies > 255 || m->ncauses > 255 || m->nservices > 255) {
    gen_fail(g, "the policy is too large to compile (more than 255 currencies, causes or services)");
    return;
  }
  p->ncurrencies = (uint8_t)m->ncurrencies;
  p->currencies = calloc((size_t)m->ncurrencies + 1, sizeof *p->currencies);
  p->ncauses = (uint8_t)m->ncauses;
  p->causes = calloc((size_t)m->ncauses, sizeof *p->causes);
  p->nservices = (uint8_t)m->nservices;
  p->services = calloc((size_t)m->nservices, sizeof *p->services);
  if (!p->currencies || !p->causes || !p->services) { g->failed = true; slac_diag_oom(g->d); return; }
  memcpy(p->currencies, m->currencies, (size_t)m->ncurrencies * sizeof *p->currencies);
  p->base = m->base == SLAC_BASE_MONTHLY_FEE ? SLAC_PB_MONTHLY_FEE : SLAC_PB_AFFECTED_CHARGES;
  for (int c = 0; c < m->ncauses; c++) p->causes[c] = str(g, m->causes[c].name);
  for (int i = 0; i < m->nservices; i++) {
    const slac_model_service *s = &m->services[i];
    slac_prog_service *ps = &p->services[i];
    ps->id = str(g, s->id);
    ps->title = str(g, s->title);
    ps->metric = s->metric == SLAC_METRIC_MINUTES ? SLAC_PM_MINUTES : SLAC_PM_ERROR_RATE;
    ps->window_seconds = (uint32_t)s->window_seconds;
    ps->empty_left_out = s->empty == SLAC_EMPTY_LEFT_OUT;
    ps->has_rate_rule = s->has_rate_rule;
    ps->rate_inclusive = s->rate_inclusive;
    ps->rate_threshold = num(g, s->rate_threshold);
    if (s->min_requests > UINT32_MAX) { gen_fail(g, "minimum requests too large"); return; }
    ps->min_requests = (uint32_t)s->min_requests;
    ps->min_run_minutes = (uint32_t)s->min_run_minutes;
    ps->commit = num(g, s->commit);
    ps->rules = calloc((size_t)m->ncauses, sizeof *ps->rules);
    if (!ps->rules) { g->failed = true; slac_diag_oom(g->d); return; }
    for (int c = 0; c < m->ncauses; c++) {
      ps->rules[c].mode = s->rules[c].mode == SLAC_CAUSE_COUNTS     ? SLAC_PC_COUNTS
                          : s->rules[c].mode == SLAC_CAUSE_EXCLUDED ? SLAC_PC_EXCLUDED
                                                                    : SLAC_PC_CAPPED;
      ps->rules[c].cap_seconds = (uint32_t)s->rules[c].cap_seconds;
    }
  }
  for (int k = 0; k < m->nnotes; k++) {
    if (!GROW16(g, p->notes, p->nnotes, g->notes_cap)) return;
    p->notes[p->nnotes].text = str(g, m->notes[k]->text);
    p->notes[p->nnotes].cite = cite(g, m->notes[k]->cites);
    p->nnotes++;
  }
}

slac_program *slac_codegen(const slac_model *m, slac_source *src, slac_diags *d) {
  gen g;
  memset(&g, 0, sizeof g);
  g.d = d;
  g.src = src;
  g.p = calloc(1, sizeof *g.p);
  if (!g.p) { slac_diag_oom(d); return NULL; }
  slac_sha256((const uint8_t *)src->text, src->size, g.p->source_hash);
  gen_declarations(&g, m);
  for (int i = 0; i < m->nservices && !g.failed; i++) gen_service(&g, m, i);
  if (!g.failed) gen_account(&g, m, m->ast);
  free(g.str_hash);
  free(g.num_hash);
  if (g.failed) {
    slac_program_free(g.p);
    return NULL;
  }
  return g.p;
}
