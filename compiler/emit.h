/* emit.h - what the code generator's parts share: the program being
 * built, its constant pools and the instructions they emit.
 *
 * codegen.c owns the whole (declarations and the entry point);
 * gen_service.c, gen_account.c and gen_claim.c each emit one part of the
 * code through these helpers, which keep the pools free of duplicates,
 * grow every table within its format limit, record the source line of
 * each instruction, and turn the first failure (a full table, no memory)
 * into one diagnostic.  Internal to compiler/.
 */
#ifndef SLAC_EMIT_H
#define SLAC_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include "compiler/check.h"
#include "runtime/base/diag.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/program.h"

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
} cg_gen;

/* Failure: reported once; every helper does nothing afterwards. */
void cg_fail(cg_gen *g, const char *msg);
void cg_oom(cg_gen *g);
/* Grow *ARR (ELEM bytes each) to hold NEED, at most LIMIT. */
bool cg_grow(cg_gen *g, void **arr, size_t elem, uint32_t need, uint32_t *cap, uint32_t limit);
#define CG_GROW16(g, arr, n, cap) \
  cg_grow16((g), (void **)&(arr), sizeof *(arr), (uint32_t)(n) + 1, &(cap))
bool cg_grow16(cg_gen *g, void **arr, size_t elem, uint32_t need, uint16_t *cap);

/* Constant pools: the index of a string, a formatted string, a number,
 * a whole number, each added once; a plan set of the names in PLANS. */
uint16_t cg_str(cg_gen *g, const char *s);
uint16_t cg_strf(cg_gen *g, const char *fmt, ...) SLAC_PRINTF(2, 3);
uint16_t cg_num(cg_gen *g, slac_num v);
uint16_t cg_int(cg_gen *g, int64_t v);
uint16_t cg_set(cg_gen *g, const slac_name *plans);
/* The citations of a clause as one string ("§2, §5(i)"), SLAC_NONE for none. */
uint16_t cg_cite(cg_gen *g, const slac_cite *c);

/* Instructions.  Every one emitted is attributed to the current line. */
void cg_at_line(cg_gen *g, slac_loc loc);
uint32_t cg_here(cg_gen *g);
void cg_op(cg_gen *g, slac_opcode op);
void cg_op_k(cg_gen *g, slac_opcode op, uint16_t k);
void cg_push(cg_gen *g, slac_num v);
void cg_push_int(cg_gen *g, int64_t v);
void cg_load_in(cg_gen *g, slac_input_field f, int s);
void cg_load_cause(cg_gen *g, slac_cause_field f, int s, int c);
void cg_load_out(cg_gen *g, slac_output_field f, int s);
void cg_store_out(cg_gen *g, slac_output_field f, int s);
/* A forward jump: returns where its target is patched by cg_land, which
 * makes it land at the next instruction emitted. */
uint32_t cg_jump(cg_gen *g, slac_opcode op);
void cg_land(cg_gen *g, uint32_t patch);
/* REASON: template TMPL with NARGS arguments from the stack, citation CITE. */
void cg_reason(cg_gen *g, uint16_t tmpl, uint16_t cite, int nargs);

/* Text copied into a template: braces doubled so they stay literal.  OUT
 * must have room for all of S (2 x its length + 1): a template is never
 * cut, since a cut could fall inside a UTF-8 sequence or between two
 * doubled braces.  For text of any length use cg_text. */
void cg_escape(char *out, size_t size, const char *s);

/* A growing text for the words of a reason, never cut: a failure to grow
 * is out of memory for the whole generation (cg_oom). */
typedef struct {
  cg_gen *g;
  char *s;
  size_t n, cap;
} cg_text;

void cg_text_init(cg_text *t, cg_gen *g);
void cg_text_add(cg_text *t, const char *fmt, ...) SLAC_PRINTF(2, 3);
/* S with braces doubled (for a template). */
void cg_text_escaped(cg_text *t, const char *s);
/* The text so far ("" when empty or out of memory). */
const char *cg_text_str(const cg_text *t);
void cg_text_free(cg_text *t);

/* The parts of the code, in the order they run (gen_service.c,
 * gen_account.c, gen_claim.c). */
void cg_service(cg_gen *g, const slac_model *m, int i);
void cg_account(cg_gen *g, const slac_model *m, const slac_policy *p);
void cg_claim(cg_gen *g, const slac_model *m);

#endif
