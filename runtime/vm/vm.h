/* vm.h - the virtual machine that decides one account and one month.
 *
 * The evaluator measures (unavailable minutes, window error rates,
 * excluded time, charges) and hands the numbers to slac_vm_run(); the
 * program's code turns them into uptime, commitment met, tier, eligibility
 * and amount, and writes the reasons a customer reads.  The VM trusts
 * only verified programs (slac_program_load verifies), and still checks
 * every arithmetic result: an overflow is an error, never a wrong number.
 *
 * The reasons of a run are written into one text buffer owned by the
 * output, kept from run to run: an output reused for every account and
 * month allocates nothing once its buffers have grown to the longest
 * outcome's (slac_vm_output_clear frees them at the end).
 */
#ifndef SLAC_VM_H
#define SLAC_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/base/num.h"
#include "runtime/base/timestamp.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/program.h"

typedef struct {
  int64_t unavailable_minutes;
  int64_t excluded_minutes;
  slac_num error_rate;              /* percent, for error-rate services */
  bool affected;                    /* had any unavailability */
  slac_num charge;                  /* 0 when the account has none */
  const int64_t *excluded_seconds;  /* [ncauses] */
  const int64_t *excess_seconds;    /* [ncauses] */
  const int64_t *late_seconds;      /* [ncauses]: not excluded because not
                                       announced in time; NULL: all 0 */
} slac_vm_service_input;

/* What a claim of this account and month says, as plain values: the
 * evaluator reads the claims file, the VM sees only these facts. */
typedef struct {
  slac_time ticket_at, claimed_at;
  const char *subject;              /* "" when none */
  bool has[SLAC_CLAIM_NCONTENTS];   /* the contents it includes */
} slac_vm_claim;

typedef struct {
  int64_t month_minutes;
  bool has_account;
  slac_num fee;
  int currency;                     /* index into the program's currencies */
  int minor_digits;                 /* of that currency (ISO 4217) */
  const char *plan;                 /* "" when none */
  bool standing_good;
  const slac_vm_service_input *services; /* [nservices] */
  bool has_claims;                  /* a claims file was given */
  const slac_vm_claim *claim;       /* this account and month's, or NULL */
  slac_num period_credited;         /* credits already given in the earlier
                                       months of the program's cap period */
  slac_time first_down;             /* start of the first unavailable minute
                                       of any minute-measured service (0
                                       when there is none) */
} slac_vm_input;

typedef struct {
  slac_num uptime, credit;
  slac_num amount;                  /* SERVICE_AMOUNT: per-service credits */
  slac_num commit;                  /* the commitment of the terms applied */
  bool met;
} slac_vm_service_output;

/* A growable text: S[0..LEN), with a NUL at S[LEN] once anything was
 * appended (S is NULL before); CAP bytes are allocated.  Zeroed is empty. */
typedef struct {
  char *s;
  size_t len, cap;
} slac_text;

typedef struct {
  slac_vm_service_output *services; /* caller-allocated [nservices] */
  bool eligible;
  slac_num credit, amount;
  char **reasons;                   /* [nreasons]: NUL-terminated strings
                                       in TEXT, valid until the next run or
                                       slac_vm_output_clear; set when
                                       slac_vm_run returns (on errors too:
                                       the reasons written before it) */
  size_t nreasons, reasons_cap;     /* reasons_cap: entries allocated */
  slac_text text;                   /* the reasons one after another, each
                                       with its NUL; emptied (not freed) at
                                       the start of each run */
  uint64_t *hits;                   /* NULL, or caller-owned [p->nops]: each
                                       REASON instruction run adds one at its
                                       index (slac test --coverage) */
  bool no_reasons;                  /* the caller wants the numbers only: no
                                       reason is written (nothing allocated) */
} slac_vm_output;

/* Run P on IN.  Returns 0, -1 with a message in ERR (arithmetic overflow:
 * "policy arithmetic failed at offset 40 (line 12): number too large ..."), or -2 when out
 * of memory.  OUT's reasons are replaced; after -1 or -2 they are those
 * written before the failure.  OUT's buffers (reasons, text) are reused:
 * a run allocates only when they must grow. */
int slac_vm_run(const slac_program *p, const slac_vm_input *in, slac_vm_output *out,
                char *err, size_t errsize);
/* Frees OUT's reasons and their text (nreasons 0, reasons NULL); OUT can
 * run again.  The caller's services and hits are not touched. */
void slac_vm_output_clear(slac_vm_output *out);

/* Appends the N bytes at S to T, and a NUL after them (not counted in
 * LEN); T grows as needed (doubling).  Returns 0, or -1 when out of
 * memory (T unchanged). */
int slac_text_append(slac_text *t, const char *s, size_t n);

/* Format a reason template (see docs/bytecode.md): {u} uptime truncated
 * to 4 decimals, {p} a decimal without trailing zeros, {m} money in the
 * account's currency, {d} a duration in seconds as "1 h 30 min", {t} a
 * time in seconds since 1970 as "2026-09-04T10:00:00Z", {plan}
 * the account's plan (takes no argument), {{ a brace.  The sentence is
 * appended to TO (TO->s[TO->len] is then its NUL, and a further append
 * continues it: the VM adds " (CITE)" so).  Returns 0, or -1 when out of
 * memory (TO's LEN and text as before; it may have grown). */
int slac_format_reason(slac_text *to, const char *tmpl, const slac_num *args, size_t nargs,
                       const slac_vm_input *in, const char *currency_code);
/* How many stack arguments TMPL takes, or -1 when it is malformed. */
int slac_template_arity(const char *tmpl);
/* "10 min", "1 h 30 min", "2 days 3 h", "45 s", "0 s". */
void slac_format_duration(int64_t seconds, char *buf, size_t size);

#endif
