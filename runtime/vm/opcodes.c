/* opcodes.c - the tables generated from the opcode and field lists. */
#include "runtime/vm/opcodes.h"

const slac_opinfo slac_opinfo_table[SLAC_OP_COUNT] = {
#define SLAC_OP_INFO(name, bytes, pops, pushes) {#name, bytes, pops, pushes},
    SLAC_OPCODES(SLAC_OP_INFO)
#undef SLAC_OP_INFO
};

#define SLAC_NAME(name) #name,
const char *const slac_input_names[SLAC_IN_COUNT] = {SLAC_INPUTS(SLAC_NAME)};
const char *const slac_cause_input_names[SLAC_CIN_COUNT] = {SLAC_CAUSE_INPUTS(SLAC_NAME)};
const char *const slac_output_names[SLAC_OUT_COUNT] = {SLAC_OUTPUTS(SLAC_NAME)};
#undef SLAC_NAME
