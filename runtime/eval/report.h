/* report.h - the outcomes of a run, written as jsonl, csv, text or html
 * (CONTRACT sections 4 and 6.4; html: report_html.h).
 *
 * A report is begun, fed every outcome in order, and ended.  jsonl is one
 * object per account and month, nothing more.  csv has, per account and
 * month, one row per service (scope "service": the measures and the
 * service's tier) and then one row for the account (scope "account": the
 * eligibility, the credit percent, the amount, the currency, the reasons
 * and the notes), so that each amount is written once and summing the
 * credit_amount column gives the total credit.  text shows each outcome
 * with its period's dates and ends with the totals: the exact sum of the
 * amounts per currency and the accounts credited.
 */
#ifndef SLAC_REPORT_H
#define SLAC_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "runtime/base/num.h"
#include "runtime/base/outbuf.h"
#include "runtime/base/timestamp.h"
#include "runtime/data/dataset.h"
#include "runtime/data/intervals.h"
#include "runtime/vm/vm.h"
#include "runtime/eval/margins.h"

typedef enum { SLAC_FORMAT_TEXT, SLAC_FORMAT_JSONL, SLAC_FORMAT_CSV, SLAC_FORMAT_HTML } slac_format;

/* What only the html statement shows, for one account and month: the
 * clock minutes (minute numbers, t / 60) of each service that were
 * unavailable and excluded, the request windows of each error-rate
 * service per day, and the incident rows behind them. */
typedef struct {
  const slac_spanset *unavailable;  /* [nservices] */
  const slac_spanset *excluded;     /* [nservices] */
  const slac_incident *incidents;   /* this account's incident rows, in */
  size_t nincidents;                /* the order of the files */
  const slac_window_day *const *days; /* [nservices]: the 31 days of an
                                       error-rate service's windows, or
                                       NULL (no window with errors or
                                       excluded, or minute-measured) */
} slac_outcome_detail;

typedef struct {
  const slac_program *p;
  const char *account;
  slac_month month;
  const slac_vm_input *in;
  const slac_vm_output *out;
  const slac_margin *margins;  /* [p->nservices] (margins.h), or NULL: none shown */
  const slac_outcome_detail *detail; /* html only; NULL otherwise */
  const char *hypothesis;      /* NULL, or the what-if in words (slac eval
                                  --what-if): jsonl marks the outcome */
} slac_outcome;

/* The state of one report: what the text totals need. */
typedef struct {
  const slac_program *p;
  slac_format fmt;
  slac_month first, last;  /* the months evaluated */
  slac_num *sums;          /* [p->ncurrencies]: the amounts added, exactly */
  bool *seen;              /* [p->ncurrencies]: an account pays in it */
  const char *account;     /* the last outcome's account (outcomes come
                              grouped by account) */
  bool account_credited;   /* ... has been credited in a month so far */
  bool amounts;            /* an outcome had accounts data (an amount) */
  long accounts, credited; /* accounts reported, and those credited */
  long outcomes, outcomes_credited;
  int overflow;            /* -1, or the currency whose sum overflowed */
  struct slac_html *html;  /* html: the statements held until the summary */
  const char *hypothesis;  /* NULL, or the what-if the outcomes assume */
  FILE *f;                 /* where the report goes (NULL: a part) */
  slac_outbuf buf;         /* the outcomes written, before they reach F
                              (a part: all of them, in memory) */
} slac_report_state;

/* A service's margins in the words of an error budget, one sentence
 * without a line end ("error budget: 3 min of downtime left before the
 * commitment of 99.95% is missed; 4 more min move it to the 10% tier"):
 * the text report's line under a service, the html statement's paragraph. */
void slac_report_margin_words(FILE *f, const slac_margin *m, const slac_vm_service_output *so);

/* Begin the report of policy P over the months FIRST..LAST on F: the csv
 * header, the text title.  Returns 0, or -1 when out of memory.  What is
 * written reaches F in blocks of 64 KiB, and at slac_report_end or
 * slac_report_free: F's error flag tells whether it was written. */
int slac_report_begin(slac_report_state *r, FILE *f, slac_format fmt, const slac_program *p,
                      slac_month first, slac_month last);
/* Mark the report as hypothetical, right after slac_report_begin: WORDS
 * ("as if every account had 30 more unavailable minutes of covered in
 * every month") heads the text report and the html summary, and jsonl
 * outcomes carry them (their own hypothesis field).  WORDS must outlive
 * the report. */
void slac_report_hypothesis(slac_report_state *r, const char *words);
/* One outcome.  O->account must stay valid until the next call. */
void slac_report_outcome(slac_report_state *r, const slac_outcome *o);

/* A part of a report, for outcomes formatted by another thread (not
 * html): begun like WHOLE (after its hypothesis), fed whole accounts with
 * slac_report_outcome, and appended to WHOLE in the order of the
 * accounts; its bytes and totals are added to WHOLE's, and the part is
 * empty again for the next accounts.  Begin returns 0, or -1 when out of
 * memory; append returns -1 (WHOLE unchanged) when the part ran out of
 * memory while formatting.  Freed with slac_report_free. */
int slac_report_part_begin(slac_report_state *part, const slac_report_state *whole);
int slac_report_part_append(slac_report_state *whole, slac_report_state *part);
/* The end (the text totals, the whole html document).  Returns 0, or -1
 * when the sum of the amounts of a currency reached 10^24 and cannot be
 * written exactly (slac_report_overflow names the currency; nothing was
 * written), or when the html report ran out of memory
 * (slac_report_overflow is then NULL). */
int slac_report_end(slac_report_state *r);
const char *slac_report_overflow(const slac_report_state *r);
void slac_report_free(slac_report_state *r);

/* "ID: TITLE (PROVIDER), version N", each string written by PUT (which
 * escapes it for the report's medium): the text and html titles. */
void slac_report_title(FILE *f, const slac_program *p, void (*put)(FILE *, const char *));

/* One outcome as its jsonl line, without a report (libslac's outcomes). */
void slac_report_jsonl(FILE *f, const slac_outcome *o);

#endif
