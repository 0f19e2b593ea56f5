/* compile.c - the whole front end in one call: source text to the bytes
 * of a .slbc file (parse, check, generate, write).  The CLI's eval goes
 * through these bytes too, so a policy evaluated from source and from its
 * .slbc behaves identically. */
#include "compiler/codegen.h"
#include "grammar/frontend.h"

int slac_compile_source(slac_source *src, slac_diags *d, uint8_t **bytes, size_t *size) {
  int before = d->errors;
  slac_policy *ast = slac_parse(src, d);
  slac_model *m = ast ? slac_check(ast, src, d) : NULL;
  if (!ast && d->errors == before && !d->oom) {
    slac_loc loc = {1, 1, 1, 1};
    slac_diag(d, src, loc, SLAC_ERROR, "no policy found: a file starts with `policy ID version N {`");
  }
  slac_program *p = m && d->errors == before ? slac_codegen(m, src, d) : NULL;
  int rc = -1;
  if (p) {
    if (slac_program_write(p, bytes, size) == 0) rc = 0;
    else slac_diag_oom(d);
  }
  slac_program_free(p);
  slac_model_free(m);
  slac_ast_free_policy(ast);
  return rc;
}
