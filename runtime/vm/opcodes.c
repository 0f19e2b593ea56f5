/* opcodes.c - the tables generated from the opcode and field lists, and
 * the one operand decoder. */
#include "runtime/vm/opcodes.h"

#define SLAC_OP_INFO(name, format, pops, pushes) \
  {#name, SLAC_FMT_##format, SLAC_FMT_BYTES_##format, pops, pushes},
const slac_opinfo slac_opinfo_table[SLAC_OP_COUNT] = {SLAC_OPCODES(SLAC_OP_INFO)};
#undef SLAC_OP_INFO
_Static_assert(SLAC_OP_COUNT <= 256, "an opcode is one byte");

#define SLAC_FMT_NAME(name, bytes) #name,
const char *const slac_format_names[SLAC_FMT_COUNT] = {SLAC_OPERAND_FORMATS(SLAC_FMT_NAME)};
#undef SLAC_FMT_NAME

#define SLAC_NAME(name, ...) #name,
#define SLAC_CLAIM_NAME(name, column, words) "CLAIM_" #name,
#define SLAC_OWNER(name, owner) SLAC_OWNER_##owner,
#define SLAC_CLAIM_OWNER(name, column, words) SLAC_OWNER_ACCOUNT,
const char *const slac_input_names[SLAC_IN_COUNT] = {SLAC_INPUTS(SLAC_NAME, SLAC_CLAIM_NAME)};
const char *const slac_cause_input_names[SLAC_CIN_COUNT] = {SLAC_CAUSE_INPUTS(SLAC_NAME)};
const char *const slac_output_names[SLAC_OUT_COUNT] = {SLAC_OUTPUTS(SLAC_NAME)};
const unsigned char slac_input_owners[SLAC_IN_COUNT] = {SLAC_INPUTS(SLAC_OWNER, SLAC_CLAIM_OWNER)};
const unsigned char slac_output_owners[SLAC_OUT_COUNT] = {SLAC_OUTPUTS(SLAC_OWNER)};
#undef SLAC_NAME
#undef SLAC_CLAIM_NAME
#undef SLAC_OWNER
#undef SLAC_CLAIM_OWNER
/* A field number is one operand byte. */
_Static_assert(SLAC_IN_COUNT <= 256 && SLAC_CIN_COUNT <= 256 && SLAC_OUT_COUNT <= 256,
               "every field number fits in a byte");

#define SLAC_CLAIM_COLUMN(name, column, words) column,
#define SLAC_CLAIM_WORDS(name, column, words) words,
#define SLAC_CLAIM_INPUT(name, column, words) [SLAC_CLAIM_##name] = SLAC_IN_CLAIM_##name,
const char *const slac_claim_columns[SLAC_CLAIM_NCONTENTS] = {SLAC_CLAIM_CONTENTS(SLAC_CLAIM_COLUMN)};
const char *const slac_claim_words[SLAC_CLAIM_NCONTENTS] = {SLAC_CLAIM_CONTENTS(SLAC_CLAIM_WORDS)};
const slac_input_field slac_claim_inputs[SLAC_CLAIM_NCONTENTS] = {SLAC_CLAIM_CONTENTS(SLAC_CLAIM_INPUT)};
#undef SLAC_CLAIM_COLUMN
#undef SLAC_CLAIM_WORDS
#undef SLAC_CLAIM_INPUT

static uint32_t le(const uint8_t *b, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | b[i];
  return v;
}

SLAC_EXHAUSTIVE_BEGIN
slac_decode_status slac_decode_operands(const uint8_t *code, uint32_t size, uint32_t at,
                                        slac_operands *ops) {
  *ops = (slac_operands){0};
  ops->at = at;
  if (at >= size) return SLAC_DECODE_CUT_OFF;
  ops->op = code[at];
  if (ops->op >= SLAC_OP_COUNT) return SLAC_DECODE_UNKNOWN_OPCODE;
  const slac_opinfo *info = &slac_opinfo_table[ops->op];
  ops->format = info->format;
  if (size - at - 1 < info->operand_bytes) return SLAC_DECODE_CUT_OFF;
  ops->next = at + 1 + info->operand_bytes;
  const uint8_t *o = code + at + 1;
  switch ((slac_operand_format)info->format) {
  case SLAC_FMT_NONE: break;
  case SLAC_FMT_KNUM:
  case SLAC_FMT_KSET:
  case SLAC_FMT_KSTR: ops->k = le(o, 2); break;
  case SLAC_FMT_T: ops->target = le(o, 4); break;
  case SLAC_FMT_FS_IN:
  case SLAC_FMT_FS_OUT:
    ops->field = o[0];
    ops->service = o[1];
    break;
  case SLAC_FMT_FSC:
    ops->field = o[0];
    ops->service = o[1];
    ops->cause = o[2];
    break;
  case SLAC_FMT_KCN:
    ops->k = le(o, 2);
    ops->cite = le(o + 2, 2);
    ops->nargs = o[4];
    break;
  }
  return SLAC_DECODE_OK;
}
SLAC_EXHAUSTIVE_END
