/* program.h - a compiled policy in memory, and the .slbc format.
 *
 * A slac_program is what the VM runs: the policy's declarations that the
 * data readers need (services and how they are measured, causes and their
 * caps), a constant pool, the code, and debug information.  The compiler
 * builds one and writes it (runtime/vm/writer.c); the runtime only
 * ever gets one by loading bytes (slac_program_load), which checks every
 * byte and then verifies the code (runtime/vm/verify.c) before anything
 * runs.  docs/bytecode.md describes the file layout.
 */
#ifndef SLAC_PROGRAM_H
#define SLAC_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/base/diag.h"
#include "runtime/base/num.h"
#include "runtime/vm/opcodes.h"

#define SLAC_BC_MAGIC "SLBC"
#define SLAC_BC_VERSION 2   /* 2: per-service credits, terms by plan, longer
                                 periods, error kinds, announced maintenance,
                                 caveats (docs/bytecode.md) */
#define SLAC_BC_HEADER_SIZE 48 /* magic 4, version 2, flags 2, length 4,
                                  crc32 4, source sha-256 32 */
#define SLAC_BC_CRC_FROM 16    /* the CRC-32 covers bytes 16..end: the
                                  source hash and the payload */
#define SLAC_NONE 0xFFFFu      /* "no string" in u16 string references */
#define SLAC_MAX_STACK 256     /* VM stack slots: conditions nest 100 deep */

typedef enum { SLAC_PM_MINUTES = 0, SLAC_PM_ERROR_RATE = 1 } slac_prog_metric;
typedef enum { SLAC_PC_COUNTS = 0, SLAC_PC_EXCLUDED = 1, SLAC_PC_CAPPED = 2 } slac_prog_cause_mode;
typedef enum {
  SLAC_PB_MONTHLY_FEE = 0,
  SLAC_PB_AFFECTED_CHARGES = 1,
  SLAC_PB_SERVICE_CHARGE = 2 /* each service on its own charge, amounts summed */
} slac_prog_base;
/* Which errors of a request window count (error kinds, CONTRACT 6.2). */
typedef enum {
  SLAC_PK_ALL = 0,    /* the `errors` column */
  SLAC_PK_ONLY = 1,   /* the sum of the columns errors_<kind> of KINDS */
  SLAC_PK_IGNORE = 2  /* `errors` minus the columns errors_<kind> of KINDS */
} slac_prog_kinds_mode;

typedef struct {
  uint8_t mode;        /* slac_prog_cause_mode */
  uint32_t cap_seconds;
  uint8_t cap_months;  /* CAPPED: the cap's period, 1 (calendar month), 3
                          (calendar quarter) or 12 (calendar year); else 1 */
  uint32_t notice_seconds; /* EXCLUDED or CAPPED: 0, or an incident of this
                          cause is excluded only when its `announced` time
                          is at least this long before its start; otherwise
                          it counts as downtime (and uses none of a cap) */
} slac_prog_rule;

/* The terms (commitment and tiers) chosen by a plan: the code tests the
 * plans in SET; the evaluator checks, before running, that every account's
 * plan has terms of every service that has terms (or that a default
 * exists), so that the code's fallback is never reached through slac. */
typedef struct {
  uint16_t set;        /* plan set, or SLAC_NONE (default terms naming no plan) */
  uint8_t is_default;  /* 1: these terms apply to every plan that no other
                          terms of the service name, and without accounts data */
} slac_prog_terms;

typedef struct {
  uint16_t id, title;        /* strings */
  uint8_t metric;            /* slac_prog_metric */
  uint32_t window_seconds;   /* ERROR_RATE */
  uint8_t empty_left_out;    /* ERROR_RATE: 1 when empty windows are left out */
  uint8_t has_rate_rule;     /* MINUTES: minute down by error rate */
  uint8_t rate_inclusive;    /* "at or above" */
  uint16_t rate_threshold;   /* number constant: percent */
  uint32_t min_requests;
  uint32_t min_run_minutes;  /* 0: every unavailable minute counts */
  uint16_t commit;           /* number constant: percent (for reports); with
                                terms by plan, the default terms' (or the
                                first terms') commitment */
  slac_prog_rule *rules;     /* [ncauses] */
  uint8_t kinds_mode;        /* slac_prog_kinds_mode */
  uint8_t nkinds;
  uint16_t *kinds;           /* [nkinds] strings: kind names (column errors_<name>) */
  uint8_t nterms;            /* 0: the service has one set of terms */
  slac_prog_terms *terms;    /* [nterms] */
} slac_prog_service;

typedef struct {
  uint16_t text, cite;       /* strings (cite may be SLAC_NONE) */
  uint8_t shown;             /* 1: a caveat, printed with every outcome that
                                has a credit (the others: disasm only) */
} slac_prog_note;

typedef struct {
  uint32_t offset, line;     /* code offset -> source line */
} slac_prog_line;

typedef struct {
  /* constant pool */
  uint16_t nstrings;
  char **strings;            /* NUL-terminated, valid UTF-8, no NUL inside */
  uint16_t nnums;
  slac_num *nums;            /* exact */
  uint16_t nsets;
  uint16_t *set_sizes;
  uint16_t **sets;           /* string indices */
  /* declarations */
  uint16_t id, title, provider; /* strings (title/provider may be SLAC_NONE) */
  uint32_t version;
  uint8_t ncurrencies;
  char (*currencies)[4];
  uint8_t base;              /* slac_prog_base */
  uint8_t period_cap_months; /* 0, or a cap on the credits of several
                                months: 3 (calendar quarter), 12 (calendar
                                year), or with PERIOD_CAP_ROLLING the N
                                (2..36) months ending with the evaluated
                                one; the input PERIOD_CREDITED carries the
                                credits already given in that period */
  uint8_t period_cap_rolling;
  uint8_t ncauses;           /* cause 0 is "outage" */
  uint16_t *causes;          /* strings: cause names */
  uint8_t nservices;
  slac_prog_service *services;
  uint16_t ncharges;         /* charges in the fee that earn no credit */
  uint16_t *charges;         /* strings: their names, as the accounts file's
                                `service` column gives them */
  /* code */
  uint32_t code_size;
  uint8_t *code;
  /* debug information */
  uint32_t nlines;
  slac_prog_line *lines;     /* sorted by offset */
  uint16_t nnotes;
  slac_prog_note *notes;     /* clauses recorded but not evaluated */
  uint8_t source_hash[32];   /* SHA-256 of the policy source */
  /* the code decoded once, when it is loaded (slac_program_predecode):
   * the VM runs these, so that no instruction is decoded per run */
  slac_operands *ops;        /* [nops], in code order */
  uint32_t nops;
  uint32_t *op_index;        /* [code_size]: index in OPS of the instruction
                                that starts at each offset */
} slac_program;

/* Parse and verify BYTES, read from the file NAME.  On success returns 0
 * and sets *OUT (free with slac_program_free).  On failure returns -1
 * after reporting through D, at a bytecode site (NAME and the byte
 * offset reached), a message such as "bad bytecode: truncated at byte
 * 812" or "bad bytecode: jump at 40 lands outside the code", or out of
 * memory. */
int slac_program_load(const uint8_t *bytes, size_t size, const char *name, slac_program **out,
                      slac_diags *d);
void slac_program_free(slac_program *p);

/* Serialise P (runtime/vm/writer.c, beside the loader that reads it back);
 * the source hash is taken from P.  Returns 0 and a malloc'ed buffer, or
 * -1 when out of memory. */
int slac_program_write(const slac_program *p, uint8_t **out, size_t *size);

/* The verifier alone (slac_program_load calls it): opcodes, operand
 * bounds, jump targets on instruction boundaries and forward only, stack
 * depth from the opcode table, no falling off the end, reason templates.
 * Returns 0, or -1 after reporting "bad bytecode: ..." at NAME through D. */
int slac_program_verify(const slac_program *p, const char *name, slac_diags *d);

/* Decode P's code into P->ops once (slac_program_load does it after the
 * verifier; a program built by hand calls it before slac_vm_run, and again
 * after changing the code).  Returns 0, or -1 after reporting through D a
 * code that does not decode or out of memory. */
int slac_program_predecode(slac_program *p, const char *name, slac_diags *d);

/* Source line of the instruction at OFFSET, 0 if unknown. */
uint32_t slac_program_line(const slac_program *p, uint32_t offset);
/* Index of the cause named NAME (length LEN), -1 if the policy does not
 * know it. */
int slac_program_cause(const slac_program *p, const char *name, size_t len);

/* CRC-32 (IEEE 802.3, as zlib) of BYTES. */
uint32_t slac_crc32(const uint8_t *bytes, size_t size);

#endif
