/* testfile.h - the tests of a policy, as its author writes them: one
 * text file of cases (docs/tools.md, "Testing"), read whole here; running
 * them is testrun.h's job.
 *
 *   # comment
 *   policy saleor.sla                     the policy (relative to this file)
 *
 *   test 30 minutes of outage: tier 25%   a case, named by the rest of the line
 *   period 2026-10                        optional
 *   data                                  a data file, inline (indented lines)
 *     account,service,start,end,cause     or by name: data FILE
 *     acme,covered,2026-10-03T10:00:00Z,2026-10-03T10:30:00Z,outage
 *   accounts                              also claims, history
 *     account,fee,currency
 *     acme,1000.00,USD
 *   expect acme 2026-10 credit_amount 250.00            a field of the outcome
 *   expect acme 2026-10 covered.uptime_percent 99.9305  a service's field
 *   expect acme 2026-10 reason uptime 99.9305% is ...   one of its reasons
 *   expect text                           the whole text report (indented),
 *     ...                                 or jsonl, or csv; expect error or
 *                                         expect warnings: the diagnostics
 */
#ifndef SLAC_CLI_TESTFILE_H
#define SLAC_CLI_TESTFILE_H

#include <stddef.h>
#include "runtime/base/diag.h"

/* Data files in one test, at most (eval reads them in one run). */
#define SLAC_TEST_MAX_DATA 256

typedef enum { SLAC_TIN_DATA, SLAC_TIN_ACCOUNTS, SLAC_TIN_CLAIMS, SLAC_TIN_HISTORY } slac_test_input_kind;

typedef struct {
  slac_test_input_kind kind;
  int line;          /* where it is written in the test file */
  char *path;        /* a file named (resolved against the test file), or NULL */
  char *text;        /* inline: the lines, each ending with '\n' */
  size_t len;
} slac_test_input;

typedef enum {
  SLAC_TEXP_FIELD,    /* expect ACCOUNT MONTH FIELD VALUE */
  SLAC_TEXP_REASON,   /* expect ACCOUNT MONTH reason TEXT */
  SLAC_TEXP_TEXT,     /* expect text, jsonl, csv: the whole report */
  SLAC_TEXP_JSONL,
  SLAC_TEXP_CSV,
  SLAC_TEXP_ERROR,    /* expect error: the run fails with these diagnostics */
  SLAC_TEXP_WARNINGS  /* expect warnings: it succeeds with these */
} slac_test_expect_kind;

typedef struct {
  slac_test_expect_kind kind;
  int line;
  char *account, *month, *field; /* FIELD, REASON (field NULL) */
  char *value;                   /* FIELD, REASON: the rest of the line;
                                    TEXT, JSONL, ERROR: the lines */
  size_t len;
} slac_test_expect;

typedef struct {
  char *name;
  int line;
  char *policy;      /* resolved path */
  char period[8];    /* "" when none */
  slac_test_input *inputs;
  int ninputs;
  slac_test_expect *expects;
  int nexpects;
} slac_test_case;

typedef struct {
  char *path;
  slac_test_case *cases;
  int ncases;
} slac_test_file;

/* Read the test file PATH.  Returns 0, or -1 after reporting each
 * mistake through D at its line and column (and what to write). */
int slac_test_file_read(const char *path, slac_test_file *f, slac_diags *d);
/* The same for a file read from PATH but named NAME, its paths relative
 * to NAME's folder (a copy of standard input: "<stdin>", the current
 * folder). */
int slac_test_file_read_as(const char *path, const char *name, slac_test_file *f, slac_diags *d);
void slac_test_file_free(slac_test_file *f);

#endif
