/* slac.h - libslac, the public door: compile or load a policy, evaluate it
 * against data files or rows pushed in memory, read the outcomes.
 *
 * Conventions, true of every function below:
 *  - Errors: a function returns 0 (or a handle) on success, and -1 (or
 *    NULL) on failure, after handing every problem, with its file, line,
 *    column and a message that names what was expected, to the diagnostic
 *    callback given when the handle was made.  Nothing is ever printed to
 *    stderr and nothing calls exit(); out of memory is a failure like any
 *    other ("out of memory").  A NULL callback drops the diagnostics.
 *  - Ownership: a handle belongs to the caller until its *_free function;
 *    strings and structs passed to callbacks live only during the call.
 *  - Threads: handles are not locked.  Distinct handles may be used by
 *    distinct threads at once; one handle must be used by one thread at a
 *    time.  A policy handle is only read by evaluations, so several runs
 *    in several threads may share one policy.
 *  - Exactness: uptimes, percentages and amounts are exact decimal
 *    strings, never binary floating point; times are RFC 3339 strings in
 *    UTC ("2026-10-03T14:05:00Z"), exactly as in the CSV files.
 *
 * docs/library.md describes the API with a complete example.
 */
#ifndef SLAC_SLAC_H
#define SLAC_SLAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <slac/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SLAC_API __attribute__((visibility("default")))
#else
#define SLAC_API
#endif

/* ---- diagnostics ---------------------------------------------------- */

typedef enum { SLAC_API_ERROR, SLAC_API_WARNING, SLAC_API_NOTE } slac_api_severity;

/* One diagnostic: the fields of `slac check --format json`.  Positions
 * are 1-based; 0 where the site has none (a whole file, no file). */
typedef struct {
  const char *file;            /* policy name, data file, "<incidents>"...; NULL: none */
  long line;
  int column, end_column;      /* characters; END_COLUMN one past the last */
  slac_api_severity severity;
  const char *message;         /* one line; a data error starts "column 'C': " */
  const char *fix;             /* text to write over [column, end_column), or NULL */
} slac_api_diag;

/* Receives each diagnostic; DG lives only during the call. */
typedef void (*slac_api_diag_fn)(void *userdata, const slac_api_diag *dg);

/* ---- policies ------------------------------------------------------- */

typedef struct slac_api_policy slac_api_policy;

/* Compile the policy source TEXT (LEN bytes, UTF-8; need not end in NUL),
 * named NAME in diagnostics.  Returns a verified policy, or NULL after
 * reporting every error (and warnings) through CB.  Warnings are reported
 * on success too.  Thread-safe. */
SLAC_API slac_api_policy *slac_policy_compile(const char *text, size_t len, const char *name,
                                              slac_api_diag_fn cb, void *userdata);

/* Load a policy from the bytes of a .slbc file (LEN bytes), named NAME:
 * the header, checksum and every instruction are checked before it is
 * accepted (as `slac eval x.slbc`).  NULL after reporting "bad bytecode:
 * ..." through CB.  The bytes are copied.  Thread-safe. */
SLAC_API slac_api_policy *slac_policy_load(const void *bytes, size_t len, const char *name,
                                           slac_api_diag_fn cb, void *userdata);

/* The policy's bytecode (the .slbc file's bytes, identical to `slac build`):
 * *BYTES points into the policy (valid until slac_policy_free), *LEN gets
 * the length.  Returns 0. */
SLAC_API int slac_policy_bytecode(const slac_api_policy *p, const unsigned char **bytes,
                                  size_t *len);

/* The policy's id ("saleor"); valid until slac_policy_free. */
SLAC_API const char *slac_policy_id(const slac_api_policy *p);

/* Free P (NULL is allowed).  No run made with P may be used afterwards. */
SLAC_API void slac_policy_free(slac_api_policy *p);

/* ---- runs: one evaluation ------------------------------------------- */

typedef struct slac_api_run slac_api_run;

/* A new evaluation of P (which must outlive it), reporting through CB.
 * NULL only when out of memory.  Its data come either from files
 * (slac_run_add_file...) or from pushed rows (slac_run_push_...), not
 * both. */
SLAC_API slac_api_run *slac_run_new(const slac_api_policy *p, slac_api_diag_fn cb,
                                    void *userdata);

/* Free R (NULL is allowed). */
SLAC_API void slac_run_free(slac_api_run *r);

/* Evaluate only MONTHS, as --period: one month ("2026-10") or a range
 * ("2026-07..2026-12"), months without data included; NULL: every month
 * the data touch.  -1 (reported) when MONTHS is neither. */
SLAC_API int slac_run_set_period(slac_api_run *r, const char *months);

/* Data files, as on the command line of `slac eval`: incidents, request
 * windows or probes (told by their header), and the --accounts, --claims
 * and --history files (NULL: none).  The paths are copied; the files are
 * read by slac_run_write / slac_run_each.  -1 when rows were pushed. */
SLAC_API int slac_run_add_file(slac_api_run *r, const char *path);
SLAC_API int slac_run_set_files(slac_api_run *r, const char *accounts, const char *claims,
                                const char *history);

/* The layout of the data files, as `slac eval --column` and
 * `--timestamps` (docs/real-inputs.md, "Any CSV layout"): SPEC
 * "COLUMN=NAME" reads the files' COLUMN (start, account, ...) from their
 * column NAME; STYLE "rfc3339" (the default), "epoch" or "+hhmm" is how
 * they write times.  Both are copied; for data files only (pushed rows
 * are in slac's own layout: a run with both fails at evaluation).  -1
 * (reported) for an unknown column or style, or a column mapped twice. */
SLAC_API int slac_run_set_column(slac_api_run *r, const char *spec);
SLAC_API int slac_run_set_timestamps(slac_api_run *r, const char *style);

/* Push one row, instead of files.  Every argument is copied and is the
 * text of a CSV field (NULL: empty): FEE a decimal ("100.00", never a
 * double), CURRENCY an ISO 4217 code of the policy, PLAN and STANDING
 * ("good" or "overdue") may be NULL; SERVICE of an account row is NULL
 * for a whole fee (then every account row leaves it NULL).  Times are RFC
 * 3339.  Rows are checked by the readers of the CSV files, with the same
 * messages, when the run is evaluated; a bad row makes it fail with
 * "<incidents>:N: error: column 'end': ...", N being the row's number
 * among the rows of its kind plus one (so that it reads as a CSV line).
 * Returns -1 (reported) when out of memory, or when files were given. */
SLAC_API int slac_run_push_account(slac_api_run *r, const char *account, const char *service,
                                   const char *fee, const char *currency, const char *plan,
                                   const char *standing);
SLAC_API int slac_run_push_incident(slac_api_run *r, const char *account, const char *service,
                                    const char *start, const char *end, const char *cause);
SLAC_API int slac_run_push_window(slac_api_run *r, const char *account, const char *service,
                                  const char *start, uint64_t requests, uint64_t errors);
SLAC_API int slac_run_push_probe(slac_api_run *r, const char *account, const char *service,
                                 const char *time, bool ok);

/* Push many rows of one table at once: RECORDS holds LEN bytes of whole
 * CSV records (RFC 4180), each ending in a line break, in the columns of
 * slac_run_push_account (account,service,fee,currency,plan,standing),
 * slac_run_push_incident (account,service,start,end,cause) with a sixth
 * column, announced (the time a maintenance was announced, or empty),
 * slac_run_push_window (account,service,start,requests,errors) or
 * slac_run_push_probe (account,service,time,ok), without a header.  They
 * are checked like pushed rows, when the run is evaluated.  The bytes are
 * copied.  -1 (reported) when out of memory, when files were given, or
 * when RECORDS does not end with a line break. */
typedef enum { SLAC_API_ACCOUNTS, SLAC_API_INCIDENTS, SLAC_API_WINDOWS, SLAC_API_PROBES } slac_api_table;
SLAC_API int slac_run_push_records(slac_api_run *r, slac_api_table table, const char *records,
                                   size_t len);
/* ---- window sums: request windows summed ahead, in any order ---------
 *
 * A database or a stream hands rows in any order, split among workers
 * and servers.  Window sums fold request windows as they come into what
 * the error-rate average needs (per account, service and month), merge
 * exactly, travel as bytes, and are evaluated by a run in place of window
 * rows, with the outcomes those rows would give (docs/postgresql.md,
 * "Window sums").  A window that comes twice, even in two merged sums, is
 * an error.  What sums cannot measure is refused with a message: services
 * measured in minutes or by error kind, windows in time an incident
 * excludes, the html report's day chart, and the rare average that only
 * the exact pass over the rows decides. */
typedef struct slac_api_windows slac_api_windows;

/* Empty sums for P (which must outlive them), reporting through CB.
 * NULL only when out of memory. */
SLAC_API slac_api_windows *slac_windows_new(const slac_api_policy *p, slac_api_diag_fn cb,
                                            void *userdata);
/* Free W (NULL is allowed). */
SLAC_API void slac_windows_free(slac_api_windows *w);

/* Add one window: ACCOUNT and SERVICE (ACCOUNT_LEN and SERVICE_LEN bytes,
 * not NUL-terminated), START in seconds since 1970-01-01T00:00:00Z.  0,
 * or -1 after reporting (an unknown service, a start off the window grid,
 * errors above requests, a window added before, out of memory). */
SLAC_API int slac_windows_add(slac_api_windows *w, const char *account, size_t account_len,
                              const char *service, size_t service_len, int64_t start,
                              uint64_t requests, uint64_t errors);

/* Add FROM's windows to INTO (sums of the same policy).  0, or -1 after
 * reporting (another policy, a window in both, out of memory); INTO is
 * then to be freed. */
SLAC_API int slac_windows_merge(slac_api_windows *into, const slac_api_windows *from);

/* W as bytes: written to BUF when CAP is enough; returns how many there
 * are (call with CAP 0 to size BUF), 0 when out of memory.  They name the
 * policy, load on any machine, and are the same for the same windows in
 * whatever order they were added or merged. */
SLAC_API size_t slac_windows_save(const slac_api_windows *w, void *buf, size_t cap);

/* Sums from LEN bytes of slac_windows_save, for the same policy P, every
 * field checked.  NULL after reporting what is damaged or out of memory. */
SLAC_API slac_api_windows *slac_windows_load(const slac_api_policy *p, const void *bytes,
                                             size_t len, slac_api_diag_fn cb, void *userdata);

/* Evaluate R's pushed rows with W's windows (copied) in place of window
 * rows; pushing sums again merges them.  -1 (reported) when files were
 * given, when W is for another policy, or on a window pushed twice. */
SLAC_API int slac_run_push_windows(slac_api_run *r, const slac_api_windows *w);

/* ---- outcomes ------------------------------------------------------- */

typedef enum { SLAC_API_TEXT, SLAC_API_JSONL, SLAC_API_CSV, SLAC_API_HTML } slac_api_format;

/* One service of an outcome; strings exact, as in the jsonl report. */
typedef struct {
  const char *service;
  const char *uptime_percent;     /* truncated to 4 decimals: "99.9484" */
  bool commitment_met;
  const char *credit_percent;     /* without trailing zeros: "15" */
  const char *credit_amount;      /* per-service amounts only, else NULL */
  const char *error_rate_percent; /* error-rate services, else NULL */
  long long unavailable_minutes;  /* minute-measured services, else 0 */
  long long excluded_minutes;
  /* Margins (docs/evaluation.md, "Margins"), as the csv columns write them:
   * whole minutes, or error-rate points as exact decimals. */
  const char *margin_unit;        /* "minutes" or "points" */
  const char *next_tier_credit_percent; /* the next worse tier; NULL at the worst */
  const char *to_next_tier;       /* further minutes (points) to it; NULL at the worst */
  bool to_next_tier_strict;       /* points: the rate must pass it, not reach it */
  const char *budget_left;        /* left before the commitment is missed; "0" when missed */
  const char *over_commitment;    /* fewer that would have met it; "0" when met */
} slac_api_service;

/* One account and month. */
typedef struct {
  const char *policy;
  const char *account;
  const char *period;             /* "YYYY-MM" */
  const slac_api_service *services;
  size_t nservices;
  int eligible;                   /* 1, 0, or -1 when the account is unknown */
  const char *credit_percent;
  const char *credit_amount;      /* NULL without the account's fee */
  const char *currency;           /* NULL without the account */
  const char *const *reasons;
  size_t nreasons;
  const char *jsonl;              /* the line `eval --format jsonl` writes,
                                     without its newline: identical bytes */
} slac_api_outcome;

/* Receives each outcome, in report order; O lives only during the call. */
typedef void (*slac_api_outcome_fn)(void *userdata, const slac_api_outcome *o);

/* Evaluate and write the report to OUT in FORMAT, byte for byte what
 * `slac eval --format FORMAT` writes (docs/evaluation.md, "Reports"):
 * csv writes each amount once, on the account's row (scope "account"),
 * so that its credit_amount column sums to the total; text ends with the
 * totals per currency; html is one self-contained document, a summary
 * and a statement per account and month (docs/reports.md).  0, or -1 after reporting (a bad file or row, a
 * policy arithmetic failure).  A run may be evaluated more than once. */
SLAC_API int slac_run_write(slac_api_run *r, slac_api_format format, FILE *out);

/* Evaluate and hand each outcome to FN.  0, or -1 after reporting. */
SLAC_API int slac_run_each(slac_api_run *r, slac_api_outcome_fn fn, void *userdata);

/* libslac's version, SLAC_VERSION_STRING of the library itself. */
SLAC_API const char *slac_library_version(void);

#ifdef __cplusplus
}
#endif

#endif
