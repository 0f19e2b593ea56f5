/* opcodes.h - the one opcode table of the slac VM.
 *
 * OP(NAME, OPERAND_BYTES, POPS, PUSHES) with a comment per row.  The enum,
 * the names, the operand sizes, the verifier's stack effects and the VM's
 * dispatch are all generated from this list; nothing else lists opcodes.
 * POPS of SLAC_POPS_OPERAND means "as many as the operand's last byte
 * says" (REASON).  Operands are little-endian; K = u16 index (a number
 * constant; a plan set for PLAN_IN), T = u32 absolute code offset,
 * F/S/C = u8 field, service, cause.
 *
 * Every value on the stack is an exact slac_num; truth values are 0 or 1.
 * Jumps only go forward, so every program terminates.
 */
#ifndef SLAC_OPCODES_H
#define SLAC_OPCODES_H

#define SLAC_POPS_OPERAND 255

#define SLAC_OPCODES(OP)                                                          \
  OP(HALT, 0, 0, 0)         /* stop: the decision is complete               */ \
  OP(PUSHK, 2, 0, 1)        /* K: push number constant K                    */ \
  OP(POP, 0, 1, 0)          /* drop the top value                           */ \
  OP(DUP, 0, 1, 2)          /* duplicate the top value                      */ \
  OP(LOAD_IN, 2, 0, 1)      /* F S: push measured input F of service S      */ \
  OP(LOAD_CAUSE, 3, 0, 1)   /* F S C: push cause input F of service S, C    */ \
  OP(PLAN_IN, 2, 0, 1)      /* K: push 1 if the account's plan is in set K  */ \
  OP(LOAD_OUT, 2, 0, 1)     /* F S: push output F (of service S)            */ \
  OP(STORE_OUT, 2, 1, 0)    /* F S: pop into output F (of service S)        */ \
  OP(ADD, 0, 2, 1)          /* a b -> a + b                                 */ \
  OP(SUB, 0, 2, 1)          /* a b -> a - b                                 */ \
  OP(MUL, 0, 2, 1)          /* a b -> a * b                                 */ \
  OP(DIV, 0, 2, 1)          /* a b -> a / b (exact floor, "above" flag)     */ \
  OP(MIN, 0, 2, 1)          /* a b -> the smaller                           */ \
  OP(MAX, 0, 2, 1)          /* a b -> the larger                            */ \
  OP(LT, 0, 2, 1)           /* a b -> a < b                                 */ \
  OP(LE, 0, 2, 1)           /* a b -> a <= b                                */ \
  OP(GT, 0, 2, 1)           /* a b -> a > b                                 */ \
  OP(GE, 0, 2, 1)           /* a b -> a >= b                                */ \
  OP(EQ, 0, 2, 1)           /* a b -> a == b                                */ \
  OP(NOT, 0, 1, 1)          /* a -> 1 if a is 0, else 0                     */ \
  OP(AND, 0, 2, 1)          /* a b -> 1 if both are non-zero                */ \
  OP(OR, 0, 2, 1)           /* a b -> 1 if either is non-zero               */ \
  OP(ROUND_MONEY, 0, 1, 1)  /* a -> a rounded half-up to the currency unit  */ \
  OP(JMP, 4, 0, 0)          /* T: continue at T (T > this instruction)      */ \
  OP(JZ, 4, 1, 0)           /* T: pop; continue at T when it was 0          */ \
  OP(SUBJECT_HAS, 2, 0, 1)  /* K: push 1 if the claim's subject holds K     */ \
  OP(REASON, 5, SLAC_POPS_OPERAND, 0) /* K C N: pop N arguments, add the    */ \
                            /* reason from template string K, citation      */ \
                            /* string C (u16 each; 0xFFFF none), N args     */

typedef enum {
#define SLAC_OP_ENUM(name, bytes, pops, pushes) SLAC_OP_##name,
  SLAC_OPCODES(SLAC_OP_ENUM)
#undef SLAC_OP_ENUM
  SLAC_OP_COUNT
} slac_opcode;

typedef struct {
  const char *name;
  unsigned char operand_bytes, pops, pushes;
} slac_opinfo;

extern const slac_opinfo slac_opinfo_table[SLAC_OP_COUNT];

/* Inputs the evaluator hands the VM (LOAD_IN F S / LOAD_CAUSE F S C). */
#define SLAC_INPUTS(X)                                                       \
  X(MONTH_MINUTES)   /* minutes in the evaluated month (account level)   */ \
  X(UNAVAILABLE)     /* unavailable minutes of service S                  */ \
  X(EXCLUDED)        /* excluded minutes of service S                     */ \
  X(ERROR_RATE)      /* average window error rate of service S, percent   */ \
  X(AFFECTED)        /* 1 when service S had any unavailability           */ \
  X(CHARGE)          /* the account's charge for service S (0 if none)    */ \
  X(HAS_ACCOUNT)     /* 1 when account data (fee, plan...) is known       */ \
  X(FEE)             /* the account's monthly fee                         */ \
  X(STANDING_GOOD)   /* 1 when the account is in good standing            */ \
  X(CURRENCY)        /* index of the account's currency in the policy's   */ \
  X(HAS_CLAIMS)      /* 1 when a claims file was given                    */ \
  X(CLAIM_FOUND)     /* 1 when the account claimed this month             */ \
  X(FIRST_DOWN)      /* start of the month's first unavailable minute     */ \
  X(TICKET_AT)       /* when the claim's support ticket was opened        */ \
  X(CLAIMED_AT)      /* when the claim was sent                           */ \
  X(CLAIM_INCIDENT_TIMES) /* 1 when the claim lists the incident times    */ \
  X(CLAIM_ACCOUNT_EMAIL)  /* 1 when the claim gives the account email     */ \
  X(CLAIM_TICKET_NUMBER)  /* 1 when the claim gives the ticket number     */ \
  X(CLAIM_LOGS)      /* 1 when the claim includes logs                    */

#define SLAC_CAUSE_INPUTS(X)                                                 \
  X(EXCLUDED_SECONDS) /* seconds of cause C excluded in the month         */ \
  X(EXCESS_SECONDS)   /* seconds of capped cause C beyond its cap         */

/* Contents a policy may require of a claim; each is a column whose
 * non-empty value means "included". */
#define SLAC_CLAIM_CONTENTS(X)                                              \
  X(INCIDENT_TIMES, "incident_times", "the dates and times of the incidents") \
  X(ACCOUNT_EMAIL, "account_email", "the account email")                   \
  X(TICKET_NUMBER, "ticket_number", "the ticket number")                  \
  X(LOGS, "logs", "logs that document the errors")

typedef enum {
#define SLAC_CLAIM_ENUM(name, column, words) SLAC_CLAIM_##name,
  SLAC_CLAIM_CONTENTS(SLAC_CLAIM_ENUM)
#undef SLAC_CLAIM_ENUM
  SLAC_CLAIM_NCONTENTS
} slac_claim_content;

/* Outputs the VM writes (STORE_OUT F S); S is 0 for account outputs. */
#define SLAC_OUTPUTS(X)                                                      \
  X(UPTIME)          /* service S: uptime percent                         */ \
  X(MET)             /* service S: 1 when the commitment is met           */ \
  X(CREDIT)          /* service S: credit percent of its tier             */ \
  X(ELIGIBLE)        /* account: 1 when eligible                          */ \
  X(ACCOUNT_CREDIT)  /* account: credit percent                           */ \
  X(AMOUNT)          /* account: credit amount                            */

#define SLAC_IN_ENUM(name) SLAC_IN_##name,
#define SLAC_CIN_ENUM(name) SLAC_CIN_##name,
#define SLAC_OUT_ENUM(name) SLAC_OUT_##name,
typedef enum { SLAC_INPUTS(SLAC_IN_ENUM) SLAC_IN_COUNT } slac_input_field;
typedef enum { SLAC_CAUSE_INPUTS(SLAC_CIN_ENUM) SLAC_CIN_COUNT } slac_cause_field;
typedef enum { SLAC_OUTPUTS(SLAC_OUT_ENUM) SLAC_OUT_COUNT } slac_output_field;
#undef SLAC_IN_ENUM
#undef SLAC_CIN_ENUM
#undef SLAC_OUT_ENUM

extern const char *const slac_input_names[SLAC_IN_COUNT];
extern const char *const slac_cause_input_names[SLAC_CIN_COUNT];
extern const char *const slac_output_names[SLAC_OUT_COUNT];

/* True for outputs that belong to a service (else to the account). */
#define SLAC_OUT_IS_SERVICE(f) ((f) <= SLAC_OUT_CREDIT)
/* True for inputs that belong to a service. */
#define SLAC_IN_IS_SERVICE(f) ((f) >= SLAC_IN_UNAVAILABLE && (f) <= SLAC_IN_CHARGE)

#endif
