/* eval.h - the main job: data files in, one outcome per account and month.
 *
 * Reads the accounts file, then the incidents and probes, then the request
 * windows (a window overlapping an applied exclusion counts as 0%), runs
 * an exact second pass over the windows only for the rare month whose
 * average the fixed-point sum cannot decide (runtime/data/errorrate.h), and
 * then, for every account in order and every month, measures, runs the
 * policy's code and writes the outcome (several threads evaluate ranges
 * of accounts, written in order: runtime/eval/ordered.h).
 */
#ifndef SLAC_EVAL_H
#define SLAC_EVAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/base/diag.h"
#include "runtime/data/layout.h"
#include "runtime/vm/program.h"
#include "runtime/eval/report.h"
#include "runtime/base/timestamp.h"
#include "runtime/data/rows.h"
#include "runtime/data/winsums.h"

/* Called with each outcome, in report order (libslac's API). */
typedef void (*slac_outcome_fn)(void *ctx, const slac_outcome *o);

typedef struct {
  const slac_program *p;
  const char *accounts_path;  /* NULL: no amounts, only percentages */
  const char *claims_path;    /* NULL: amounts as if validly claimed */
  const char *history_path;   /* NULL: no credits before the months evaluated
                                 (caps over several months) */
  char *const *data_paths;
  int ndata;
  bool has_period;            /* evaluate the months period..period_to, */
  slac_month period;          /* those without data too, instead of the */
  slac_month period_to;       /* months the data touches */
  slac_format format;
  FILE *out;
  int jobs;                   /* threads per windows or incidents file, and
                                 threads evaluating the accounts (text,
                                 jsonl and csv reports); 0: automatic */
  slac_rows *rows;            /* NULL, or rows pushed in memory, read
                                 instead of the accounts and data files */
  const slac_winsums *winsums; /* NULL, or request windows summed ahead
                                 (with ROWS, instead of window rows) */
  slac_outcome_fn on_outcome; /* NULL, or called with each outcome (OUT
                                 may then be NULL: nothing written) */
  void *outcome_ctx;
  uint64_t *reason_hits;      /* NULL, or [p->nops]: the REASON instructions
                                 run, counted (slac test --coverage) */
  const slac_layout *layout;  /* NULL, or the data files' column names and
                                 time style (--column, --timestamps) */
  slac_progress *progress;    /* NULL, or where the data files' bytes read
                                 are counted (slac eval --progress) */
  const int64_t *what_if;     /* NULL, or [p->nservices]: unavailable minutes
                                 added to every account and month of each
                                 minute-measured service, up to the month's
                                 length, and windows failed entirely in each
                                 error-rate service (slac eval --what-if) */
  const char *what_if_words;  /* NULL, or the what-if in words, which the
                                 report shows: its outcomes are hypothetical */
  const char *account;        /* NULL, or the one account evaluated and
                                 reported (slac eval --only-account) */
  const bool *exposure;       /* NULL, or [p->nservices]: the minute-measured
                                 services whose further downtime the
                                 exposure report is about (slac eval
                                 --exposure; needs accounts_path): OUT gets
                                 that report instead of the outcomes */
} slac_eval_options;

/* The most months --period FROM..TO may span (a century). */
enum { SLAC_EVAL_MAX_PERIOD_MONTHS = 1200 };

/* Returns 0, or -1 after reporting the problem through D. */
int slac_eval(const slac_eval_options *o, slac_diags *d);

/* Test hook: called, when set, just before the exact second pass reads
 * the request-window files again (a test changes a file there, to see
 * that the change is caught).  Process-wide; for tests only. */
extern void (*slac_eval_before_second_pass)(void);

#endif
