/* disasm.h - a human-readable listing of a compiled policy. */
#ifndef SLAC_DISASM_H
#define SLAC_DISASM_H

#include <stdio.h>
#include "runtime/vm/program.h"

/* Print P: a header with its declarations and constants, then one line
 * per instruction, "offset  line  OPCODE  operands  ; comment", with
 * constants, strings and jump targets resolved. */
void slac_disasm(const slac_program *p, FILE *out);

#endif
