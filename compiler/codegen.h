/* codegen.h - a checked policy to a compiled program.
 *
 * slac_codegen() turns the resolved model into a slac_program: the
 * declarations the data readers need, the constant pool, straight-line
 * code with forward jumps that decides one account and month, reason
 * templates written in the contract's words, and a line table.
 * slac_compile_source() runs the whole front end and returns the bytes of
 * a .slbc file; the CLI's eval goes through those bytes too, so a policy
 * evaluated from source and from its .slbc behaves identically.
 */
#ifndef SLAC_CODEGEN_H
#define SLAC_CODEGEN_H

#include <stddef.h>
#include <stdint.h>
#include "compiler/check.h"
#include "runtime/base/diag.h"
#include "runtime/vm/program.h"

/* Returns the program (free with slac_program_free) or NULL after
 * reporting why (too many constants, out of memory) through D. */
slac_program *slac_codegen(const slac_model *m, slac_source *src, slac_diags *d);

/* Source text -> .slbc bytes: parse, check, generate, write.  Returns 0,
 * or -1 after diagnostics were reported through D. */
int slac_compile_source(slac_source *src, slac_diags *d, uint8_t **out, size_t *size);

#endif
