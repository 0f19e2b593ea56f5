/* emit.c - the constant pools and the instructions of the program being
 * generated (emit.h): each string and number pooled once, through a hash
 * that keeps policies with tens of thousands of constants linear; every
 * table grown within the limit of its bytecode field; the source line of
 * every instruction recorded for the line table. */
#include "compiler/emit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cg_oom(cg_gen *g) {
  if (!g->failed) slac_diag_oom(g->d);
  g->failed = true;
}

void cg_fail(cg_gen *g, const char *msg) {
  if (g->failed) return;
  g->failed = true;
  slac_diag_plain(g->d, SLAC_ERROR, "%s", msg);
}

bool cg_grow(cg_gen *g, void **arr, size_t elem, uint32_t need, uint32_t *cap, uint32_t limit) {
  if (need <= *cap) return true;
  if (need > limit) {
    cg_fail(g, "the policy is too large to compile (a table of the bytecode is full)");
    return false;
  }
  uint32_t cap2 = *cap ? *cap : 16;
  while (cap2 < need) cap2 = cap2 > limit / 2 ? limit : cap2 * 2;
  void *r = realloc(*arr, (size_t)cap2 * elem);
  if (!r) { cg_oom(g); return false; }
  *arr = r;
  *cap = cap2;
  return true;
}

bool cg_grow16(cg_gen *g, void **arr, size_t elem, uint32_t need, uint16_t *cap) {
  uint32_t c = *cap;
  bool ok = cg_grow(g, arr, elem, need, &c, 0xFFFE);
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

static bool rehash(cg_gen *g) {
  uint32_t cap = g->str_hash_cap ? g->str_hash_cap * 2 : 256;
  uint32_t *t = calloc(cap, sizeof *t);
  if (!t) { cg_oom(g); return false; }
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
uint16_t cg_str(cg_gen *g, const char *s) {
  if (g->failed) return 0;
  if ((uint32_t)g->p->nstrings * 2 >= g->str_hash_cap && !rehash(g)) return 0;
  uint32_t h = hash_str(s) & (g->str_hash_cap - 1);
  while (g->str_hash[h]) {
    uint16_t i = (uint16_t)(g->str_hash[h] - 1);
    if (strcmp(g->p->strings[i], s) == 0) return i;
    h = (h + 1) & (g->str_hash_cap - 1);
  }
  if (!CG_GROW16(g, g->p->strings, g->p->nstrings, g->strings_cap)) return 0;
  char *copy = strdup(s);
  if (!copy) { cg_oom(g); return 0; }
  g->p->strings[g->p->nstrings] = copy;
  g->str_hash[h] = (uint32_t)g->p->nstrings + 1;
  return g->p->nstrings++;
}

/* A string built with printf-style arguments. */
uint16_t cg_strf(cg_gen *g, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return 0;
  if ((size_t)n < sizeof small) return cg_str(g, small);
  char *big = malloc((size_t)n + 1);
  if (!big) { cg_oom(g); return 0; }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  uint16_t k = cg_str(g, big);
  free(big);
  return k;
}

/* Index of number V in the pool, added if new; a hash of the value keeps
 * policies with tens of thousands of constants linear. */
uint16_t cg_num(cg_gen *g, slac_num v) {
  if (g->failed) return 0;
  if ((uint32_t)g->p->nnums * 2 >= g->num_hash_cap) {
    uint32_t cap = g->num_hash_cap ? g->num_hash_cap * 2 : 256;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) { cg_oom(g); return 0; }
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
  if (!CG_GROW16(g, g->p->nums, g->p->nnums, g->nums_cap)) return 0;
  g->p->nums[g->p->nnums] = v;
  g->num_hash[h] = (uint32_t)g->p->nnums + 1;
  return g->p->nnums++;
}

uint16_t cg_int(cg_gen *g, int64_t v) { return cg_num(g, slac_num_int(v)); }

/* ------------------------------------------------------------------ */
/* Emitting code                                                       */

uint32_t cg_here(cg_gen *g) { return g->p->code_size; }

static void emit(cg_gen *g, slac_opcode op, const uint8_t *operands) {
  if (g->failed) return;
  unsigned n = slac_opinfo_table[op].operand_bytes;
  slac_program *p = g->p;
  if (!cg_grow(g, (void **)&p->code, 1, p->code_size + 1 + n, &g->code_cap, 1u << 30)) return;
  if (p->nlines == 0 || p->lines[p->nlines - 1].line != g->line) {
    if (!cg_grow(g, (void **)&p->lines, sizeof *p->lines, p->nlines + 1, &g->lines_cap, 1u << 30)) return;
    p->lines[p->nlines].offset = p->code_size;
    p->lines[p->nlines].line = g->line;
    p->nlines++;
  }
  p->code[p->code_size++] = (uint8_t)op;
  for (unsigned i = 0; i < n; i++) p->code[p->code_size++] = operands[i];
}

void cg_op(cg_gen *g, slac_opcode op) { emit(g, op, NULL); }
void cg_op_k(cg_gen *g, slac_opcode op, uint16_t k) {
  uint8_t o[2] = {(uint8_t)k, (uint8_t)(k >> 8)};
  emit(g, op, o);
}
void cg_push(cg_gen *g, slac_num v) { cg_op_k(g, SLAC_OP_PUSHK, cg_num(g, v)); }
void cg_push_int(cg_gen *g, int64_t v) { cg_op_k(g, SLAC_OP_PUSHK, cg_int(g, v)); }
void cg_load_in(cg_gen *g, slac_input_field f, int s) {
  uint8_t o[2] = {(uint8_t)f, (uint8_t)s};
  emit(g, SLAC_OP_LOAD_IN, o);
}
void cg_load_cause(cg_gen *g, slac_cause_field f, int s, int c) {
  uint8_t o[3] = {(uint8_t)f, (uint8_t)s, (uint8_t)c};
  emit(g, SLAC_OP_LOAD_CAUSE, o);
}
void cg_load_out(cg_gen *g, slac_output_field f, int s) {
  uint8_t o[2] = {(uint8_t)f, (uint8_t)s};
  emit(g, SLAC_OP_LOAD_OUT, o);
}
void cg_store_out(cg_gen *g, slac_output_field f, int s) {
  uint8_t o[2] = {(uint8_t)f, (uint8_t)s};
  emit(g, SLAC_OP_STORE_OUT, o);
}

uint32_t cg_jump(cg_gen *g, slac_opcode op) {
  uint8_t o[4] = {0, 0, 0, 0};
  emit(g, op, o);
  return cg_here(g) - 4;
}

void cg_land(cg_gen *g, uint32_t patch) {
  if (g->failed) return;
  uint32_t t = cg_here(g);
  for (int i = 0; i < 4; i++) g->p->code[patch + (uint32_t)i] = (uint8_t)(t >> (8 * i));
}

uint16_t cg_cite(cg_gen *g, const slac_cite *c) {
  if (!c) return SLAC_NONE;
  char *text = slac_cites_text(c);
  if (!text) { cg_oom(g); return SLAC_NONE; }
  uint16_t k = cg_str(g, text);
  free(text);
  return k;
}

void cg_reason(cg_gen *g, uint16_t tmpl, uint16_t cite_k, int nargs) {
  uint8_t o[5] = {(uint8_t)tmpl, (uint8_t)(tmpl >> 8), (uint8_t)cite_k, (uint8_t)(cite_k >> 8),
                  (uint8_t)nargs};
  emit(g, SLAC_OP_REASON, o);
}


void cg_at_line(cg_gen *g, slac_loc loc) { g->line = (uint32_t)loc.first_line; }

void cg_escape(char *out, size_t size, const char *s) {
  size_t n = 0;
  for (; *s; s++) {
    size_t need = *s == '{' || *s == '}' ? 2 : 1;
    if (n + need + 1 > size) break; /* only if the caller broke the contract */
    out[n++] = *s;
    if (need == 2) out[n++] = *s;
  }
  out[n] = 0;
}

void cg_text_init(cg_text *t, cg_gen *g) {
  t->g = g;
  t->s = NULL;
  t->n = t->cap = 0;
}

static bool text_room(cg_text *t, size_t more) {
  if (t->n + more + 1 <= t->cap) return true;
  size_t cap = t->cap ? t->cap : 256;
  while (cap < t->n + more + 1) cap *= 2;
  char *r = realloc(t->s, cap);
  if (!r) { cg_oom(t->g); return false; }
  t->s = r;
  t->cap = cap;
  return true;
}

void cg_text_add(cg_text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (k < 0 || !text_room(t, (size_t)k)) return;
  va_start(ap, fmt);
  vsnprintf(t->s + t->n, (size_t)k + 1, fmt, ap);
  va_end(ap);
  t->n += (size_t)k;
}

void cg_text_escaped(cg_text *t, const char *s) {
  size_t len = strlen(s);
  if (!text_room(t, 2 * len)) return;
  for (; *s; s++) {
    t->s[t->n++] = *s;
    if (*s == '{' || *s == '}') t->s[t->n++] = *s;
  }
  t->s[t->n] = 0;
}

const char *cg_text_str(const cg_text *t) { return t->s ? t->s : ""; }

void cg_text_free(cg_text *t) {
  free(t->s);
  t->s = NULL;
  t->n = t->cap = 0;
}

/* A plan set holds at most 65,534 names: its size is a u16 in the file,
 * and a larger set cut short would drop plans silently. */
uint16_t cg_set(cg_gen *g, const slac_name *plans) {
  if (g->failed) return 0;
  size_t count = 0;
  for (const slac_name *x = plans; x; x = x->next) count++;
  if (count > 0xFFFE) {
    cg_fail(g, "the policy is too large to compile (a plan list has more than 65,534 names)");
    return 0;
  }
  if (!CG_GROW16(g, g->p->sets, g->p->nsets, g->sets_cap)) return 0;
  if (!CG_GROW16(g, g->p->set_sizes, g->p->nsets, g->set_sizes_cap)) return 0;
  uint16_t *members = calloc(count ? count : 1, sizeof *members);
  if (!members) { cg_oom(g); return 0; }
  size_t i = 0;
  for (const slac_name *x = plans; x; x = x->next) members[i++] = cg_str(g, x->text);
  g->p->sets[g->p->nsets] = members;
  g->p->set_sizes[g->p->nsets] = (uint16_t)count;
  return g->p->nsets++;
}
