/* opcodes.h - the one opcode table of the slac VM, and its field lists.
 *
 * OP(NAME, FORMAT, POPS, PUSHES) with a comment per row.  The enum, the
 * names, the operand formats and sizes and the verifier's stack effects
 * are generated from this list; the operands are decoded in one place,
 * slac_decode_operands(), which the VM, the verifier and the disassembler
 * share; and every switch over opcodes, formats or fields is compiled
 * with SLAC_EXHAUSTIVE_BEGIN, so that a row without a handler does not
 * compile.  Nothing else lists opcodes.  POPS of SLAC_POPS_OPERAND means
 * "as many as the operand's last byte says" (REASON).
 *
 * Every value on the stack is an exact slac_num; truth values are 0 or 1.
 * Jumps only go forward, so every program terminates.
 */
#ifndef SLAC_OPCODES_H
#define SLAC_OPCODES_H

#include <stdbool.h>
#include <stdint.h>

/* Around a switch that must name every value of its enum: a missing case
 * is a compile error, with or without -Werror (clang reports it as
 * -Wswitch, gcc as -Wswitch-enum).  No `default` inside, and values that
 * may come from untrusted bytes are refused before it. */
#define SLAC_EXHAUSTIVE_BEGIN                                          \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic error \"-Wswitch\"") \
      _Pragma("GCC diagnostic error \"-Wswitch-enum\"")
#define SLAC_EXHAUSTIVE_END _Pragma("GCC diagnostic pop")

#define SLAC_POPS_OPERAND 255

/* Counts the rows of a list: 0 SLAC_LIST(SLAC_COUNT_ROW).  The counts are
 * constants beside their enums, not members, so that an exhaustive switch
 * names only real values. */
#define SLAC_COUNT_ROW(...) +1

/* Operand formats: FMT(NAME, BYTES).  Operands are little-endian; each
 * format says what its numbers index, so that checking and printing them
 * needs the format alone. */
#define SLAC_OPERAND_FORMATS(FMT)                                              \
  FMT(NONE, 0)   /* no operands                                             */ \
  FMT(KNUM, 2)   /* K: u16 index of a number constant                       */ \
  FMT(KSET, 2)   /* K: u16 index of a plan set                              */ \
  FMT(KSTR, 2)   /* K: u16 index of a string                                */ \
  FMT(T, 4)      /* T: u32 absolute code offset                             */ \
  FMT(FS_IN, 2)  /* F S: u8 input field, u8 service                         */ \
  FMT(FSC, 3)    /* F S C: u8 cause input field, u8 service, u8 cause       */ \
  FMT(FS_OUT, 2) /* F S: u8 output field, u8 service                        */ \
  FMT(KCN, 5)    /* K C N: u16 template string, u16 citation string         */ \
                 /* (0xFFFF none), u8 argument count                        */

#define SLAC_OPCODES(OP)                                                          \
  OP(HALT, NONE, 0, 0)        /* stop: the decision is complete             */ \
  OP(PUSHK, KNUM, 0, 1)       /* push number constant K                     */ \
  OP(POP, NONE, 1, 0)         /* drop the top value                         */ \
  OP(DUP, NONE, 1, 2)         /* duplicate the top value                    */ \
  OP(LOAD_IN, FS_IN, 0, 1)    /* push measured input F of service S         */ \
  OP(LOAD_CAUSE, FSC, 0, 1)   /* push cause input F of service S, cause C   */ \
  OP(PLAN_IN, KSET, 0, 1)     /* push 1 if the account's plan is in set K   */ \
  OP(LOAD_OUT, FS_OUT, 0, 1)  /* push output F (of service S)               */ \
  OP(STORE_OUT, FS_OUT, 1, 0) /* pop into output F (of service S)           */ \
  OP(ADD, NONE, 2, 1)         /* a b -> a + b                               */ \
  OP(SUB, NONE, 2, 1)         /* a b -> a - b                               */ \
  OP(MUL, NONE, 2, 1)         /* a b -> a * b                               */ \
  OP(DIV, NONE, 2, 1)         /* a b -> a / b (exact floor, "above" flag)   */ \
  OP(MIN, NONE, 2, 1)         /* a b -> the smaller                         */ \
  OP(MAX, NONE, 2, 1)         /* a b -> the larger                          */ \
  OP(LT, NONE, 2, 1)          /* a b -> a < b                               */ \
  OP(LE, NONE, 2, 1)          /* a b -> a <= b                              */ \
  OP(GT, NONE, 2, 1)          /* a b -> a > b                               */ \
  OP(GE, NONE, 2, 1)          /* a b -> a >= b                              */ \
  OP(EQ, NONE, 2, 1)          /* a b -> a == b                              */ \
  OP(NOT, NONE, 1, 1)         /* a -> 1 if a is 0, else 0                   */ \
  OP(AND, NONE, 2, 1)         /* a b -> 1 if both are non-zero              */ \
  OP(OR, NONE, 2, 1)          /* a b -> 1 if either is non-zero             */ \
  OP(ROUND_MONEY, NONE, 1, 1) /* a -> a rounded half-up to the currency unit */ \
  OP(JMP, T, 0, 0)            /* continue at T (T > this instruction)       */ \
  OP(JZ, T, 1, 0)             /* pop; continue at T when it was 0           */ \
  OP(SUBJECT_HAS, KSTR, 0, 1) /* push 1 if the claim's subject holds K      */ \
  OP(ADD_MONTHS, NONE, 2, 1)  /* t n -> t plus n calendar months, same time */ \
                              /* of day, the day clamped to the month's end */ \
  OP(MONTH_START, NONE, 1, 1) /* t -> the first second of t's UTC month     */ \
  OP(REASON, KCN, SLAC_POPS_OPERAND, 0) /* pop N arguments, add the reason  */ \
                              /* from template K with citation C            */

typedef enum {
#define SLAC_FMT_ENUM(name, bytes) SLAC_FMT_##name,
  SLAC_OPERAND_FORMATS(SLAC_FMT_ENUM)
#undef SLAC_FMT_ENUM
} slac_operand_format;
enum { SLAC_FMT_COUNT = 0 SLAC_OPERAND_FORMATS(SLAC_COUNT_ROW) };

/* SLAC_FMT_BYTES_<format>: the operand bytes of each format. */
enum {
#define SLAC_FMT_BYTES(name, bytes) SLAC_FMT_BYTES_##name = bytes,
  SLAC_OPERAND_FORMATS(SLAC_FMT_BYTES)
#undef SLAC_FMT_BYTES
};

typedef enum {
#define SLAC_OP_ENUM(name, format, pops, pushes) SLAC_OP_##name,
  SLAC_OPCODES(SLAC_OP_ENUM)
#undef SLAC_OP_ENUM
} slac_opcode;
enum { SLAC_OP_COUNT = 0 SLAC_OPCODES(SLAC_COUNT_ROW) };

typedef struct {
  const char *name;
  unsigned char format; /* slac_operand_format */
  unsigned char operand_bytes, pops, pushes;
} slac_opinfo;

extern const slac_opinfo slac_opinfo_table[SLAC_OP_COUNT];
extern const char *const slac_format_names[SLAC_FMT_COUNT];

/* One instruction, decoded.  Which members mean something depends on
 * the format; the others are 0. */
typedef struct {
  uint8_t op;         /* slac_opcode */
  uint8_t format;     /* slac_operand_format */
  uint32_t at;        /* offset of this instruction */
  uint32_t next;      /* offset of the following instruction */
  uint32_t k;         /* KNUM, KSET, KSTR: the index; KCN: the template */
  uint32_t cite;      /* KCN: the citation string, 0xFFFF for none */
  uint32_t target;    /* T */
  uint8_t field;      /* FS_IN, FSC, FS_OUT */
  uint8_t service;    /* FS_IN, FSC, FS_OUT */
  uint8_t cause;      /* FSC */
  uint8_t nargs;      /* KCN */
} slac_operands;

typedef enum {
  SLAC_DECODE_OK,
  SLAC_DECODE_UNKNOWN_OPCODE, /* the byte at AT is no opcode */
  SLAC_DECODE_CUT_OFF         /* the operands run past SIZE (or AT >= SIZE) */
} slac_decode_status;

/* Decodes the instruction at AT of CODE (SIZE bytes) into *OPS.  Only the
 * operands' bytes are read; their values are not checked against any
 * table (the verifier does that). */
slac_decode_status slac_decode_operands(const uint8_t *code, uint32_t size, uint32_t at,
                                        slac_operands *ops);

/* Who a field belongs to: a SERVICE field takes the service index S, an
 * ACCOUNT field requires S = 0 (the verifier checks it). */
typedef enum { SLAC_OWNER_ACCOUNT, SLAC_OWNER_SERVICE } slac_field_owner;

/* Contents a policy may require of a claim: X(NAME, COLUMN, WORDS), the
 * claims file's column (non-empty means "included") and the words of a
 * reason.  The one list: it makes the CLAIM_<NAME> inputs below, the
 * claims reader's columns, the checker's names and codegen's reasons. */
#define SLAC_CLAIM_CONTENTS(X)                                              \
  X(INCIDENT_TIMES, "incident_times", "the dates and times of the incidents") \
  X(ACCOUNT_EMAIL, "account_email", "the account email")                   \
  X(TICKET_NUMBER, "ticket_number", "the ticket number")                  \
  X(LOGS, "logs", "logs that document the errors")

typedef enum {
#define SLAC_CLAIM_ENUM(name, column, words) SLAC_CLAIM_##name,
  SLAC_CLAIM_CONTENTS(SLAC_CLAIM_ENUM)
#undef SLAC_CLAIM_ENUM
} slac_claim_content;
enum { SLAC_CLAIM_NCONTENTS = 0 SLAC_CLAIM_CONTENTS(SLAC_COUNT_ROW) };

/* Inputs the evaluator hands the VM (LOAD_IN F S): X(NAME, OWNER).  The
 * last rows are XCLAIM(NAME, COLUMN, WORDS) of SLAC_CLAIM_CONTENTS, the
 * account inputs CLAIM_<NAME>: 1 when the claim includes that content. */
#define SLAC_INPUTS(X, XCLAIM)                                                     \
  X(MONTH_MINUTES, ACCOUNT) /* minutes in the evaluated month                  */ \
  X(UNAVAILABLE, SERVICE)   /* unavailable minutes of service S                 */ \
  X(EXCLUDED, SERVICE)      /* excluded minutes of service S                    */ \
  X(ERROR_RATE, SERVICE)    /* average window error rate of service S, percent  */ \
  X(AFFECTED, SERVICE)      /* 1 when service S had any unavailability          */ \
  X(CHARGE, SERVICE)        /* the account's charge for service S (0 if none)   */ \
  X(HAS_ACCOUNT, ACCOUNT)   /* 1 when account data (fee, plan...) is known      */ \
  X(FEE, ACCOUNT)           /* the account's monthly fee                        */ \
  X(STANDING_GOOD, ACCOUNT) /* 1 when the account is in good standing           */ \
  X(CURRENCY, ACCOUNT)      /* index of the account's currency in the policy's  */ \
  X(HAS_CLAIMS, ACCOUNT)    /* 1 when a claims file was given                   */ \
  X(CLAIM_FOUND, ACCOUNT)   /* 1 when the account claimed this month            */ \
  X(FIRST_DOWN, ACCOUNT)    /* start of the month's first unavailable minute    */ \
  X(TICKET_AT, ACCOUNT)     /* when the claim's support ticket was opened       */ \
  X(CLAIMED_AT, ACCOUNT)    /* when the claim was sent                          */ \
  X(PERIOD_CREDITED, ACCOUNT) /* credits given in the earlier months of the     */ \
                            /* period of the program's credit cap (months      */ \
                            /* evaluated before, and the history file)         */ \
  SLAC_CLAIM_CONTENTS(XCLAIM)

/* Cause inputs (LOAD_CAUSE F S C), all of service S and cause C. */
#define SLAC_CAUSE_INPUTS(X)                                                 \
  X(EXCLUDED_SECONDS) /* seconds of cause C excluded in the month         */ \
  X(EXCESS_SECONDS)   /* seconds of capped cause C beyond its cap         */ \
  X(LATE_SECONDS)     /* seconds of cause C not excluded because it was    */ \
                      /* not announced in time (notice_seconds), less what */ \
                      /* another exclusion covers                          */

/* Outputs the VM writes (STORE_OUT F S): X(NAME, OWNER). */
#define SLAC_OUTPUTS(X)                                                      \
  X(UPTIME, SERVICE)         /* uptime percent                            */ \
  X(MET, SERVICE)            /* 1 when the commitment is met              */ \
  X(CREDIT, SERVICE)         /* credit percent of its tier                */ \
  X(ELIGIBLE, ACCOUNT)       /* 1 when eligible                           */ \
  X(ACCOUNT_CREDIT, ACCOUNT) /* credit percent                            */ \
  X(AMOUNT, ACCOUNT)         /* credit amount                             */ \
  X(SERVICE_AMOUNT, SERVICE) /* credit amount of service S (base SERVICE_CHARGE) */ \
  X(COMMIT, SERVICE)         /* the commitment of the terms applied, percent */

#define SLAC_IN_ENUM(name, owner) SLAC_IN_##name,
#define SLAC_IN_CLAIM_ENUM(name, column, words) SLAC_IN_CLAIM_##name,
#define SLAC_CIN_ENUM(name) SLAC_CIN_##name,
#define SLAC_OUT_ENUM(name, owner) SLAC_OUT_##name,
typedef enum { SLAC_INPUTS(SLAC_IN_ENUM, SLAC_IN_CLAIM_ENUM) } slac_input_field;
typedef enum { SLAC_CAUSE_INPUTS(SLAC_CIN_ENUM) } slac_cause_field;
typedef enum { SLAC_OUTPUTS(SLAC_OUT_ENUM) } slac_output_field;
#undef SLAC_IN_ENUM
#undef SLAC_IN_CLAIM_ENUM
#undef SLAC_CIN_ENUM
#undef SLAC_OUT_ENUM
enum {
  SLAC_IN_COUNT = 0 SLAC_INPUTS(SLAC_COUNT_ROW, SLAC_COUNT_ROW),
  SLAC_CIN_COUNT = 0 SLAC_CAUSE_INPUTS(SLAC_COUNT_ROW),
  SLAC_OUT_COUNT = 0 SLAC_OUTPUTS(SLAC_COUNT_ROW)
};

extern const char *const slac_input_names[SLAC_IN_COUNT];
extern const char *const slac_cause_input_names[SLAC_CIN_COUNT];
extern const char *const slac_output_names[SLAC_OUT_COUNT];
extern const unsigned char slac_input_owners[SLAC_IN_COUNT];   /* slac_field_owner */
extern const unsigned char slac_output_owners[SLAC_OUT_COUNT]; /* slac_field_owner */

/* The claims file's column and the reason's words of each content, and
 * the input CLAIM_<NAME> that carries it to the VM. */
extern const char *const slac_claim_columns[SLAC_CLAIM_NCONTENTS];
extern const char *const slac_claim_words[SLAC_CLAIM_NCONTENTS];
extern const slac_input_field slac_claim_inputs[SLAC_CLAIM_NCONTENTS];

/* True for inputs and outputs of a service (false for the account's, and
 * for numbers past the table). */
static inline bool slac_input_is_service(unsigned f) {
  return f < SLAC_IN_COUNT && slac_input_owners[f] == SLAC_OWNER_SERVICE;
}
static inline bool slac_output_is_service(unsigned f) {
  return f < SLAC_OUT_COUNT && slac_output_owners[f] == SLAC_OWNER_SERVICE;
}

#endif
