/* fuzz_policy.c - policy source -> parse -> check -> codegen -> write ->
 * load + verify -> disassemble.
 *
 * Any text must give diagnostics or a program; a program the compiler
 * wrote must load and verify (the loader is stricter than the writer
 * needs to be, so a rejection is a bug: abort), and its listing must not
 * crash. */
#include <stdlib.h>
#include "compiler/check.h"
#include "compiler/codegen.h"
#include "compiler/disasm.h"
#include "grammar/frontend.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  slac_diags d;
  slac_diags_init(&d, fuzz_devnull());
  d.max_shown = 0; /* every message goes through the printer */
  slac_source src;
  if (slac_source_from_text(&src, "fuzz.sla", (const char *)data, size, &d) != 0) {
    slac_source_free(&src);
    return 0;
  }
  slac_policy *pol = slac_parse(&src, &d);
  /* As slac_compile_source: a tree with parse errors is still checked. */
  slac_model *m = pol ? slac_check(pol, &src, &d) : NULL;
  slac_program *p = m && d.errors == 0 ? slac_codegen(m, &src, &d) : NULL;
  if (p) {
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (slac_program_write(p, &bytes, &n) == 0) {
      slac_program *q = NULL;
      slac_diags loud; /* the reason goes to stderr before the abort */
      slac_diags_init(&loud, stderr);
      if (slac_program_load(bytes, n, "policy.slbc", &q, &loud) != 0) {
        fprintf(stderr, "fuzz_policy: the compiler wrote bytecode the loader rejects\n");
        abort();
      }
      slac_disasm(q, fuzz_devnull());
      slac_program_free(q);
      free(bytes);
    }
    slac_program_free(p);
  }
  slac_model_free(m);
  slac_ast_free_policy(pol);
  slac_source_free(&src);
  return 0;
}
