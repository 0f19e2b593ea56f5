/* winsums.h - request windows summed ahead, in any order, mergeable.
 *
 * A database hands an aggregate its rows in any order, split among
 * parallel workers and servers; keeping the rows to read them in time
 * order costs what they weigh (docs/performance.md, "In PostgreSQL").
 * The error-rate average needs less: per account, service and month, the
 * window sums of errorrate.h, which add up the same in any order.  What
 * the file reader learns from the order, that each window comes once, is
 * kept per month as runs of consecutive windows or, when rows come
 * interleaved, as a bitmap: a window already marked is a duplicate, in
 * whatever order the rows came.  Two states merge exactly (the sums add,
 * the windows unite, one in both is a duplicate), are saved as bytes (the
 * same bytes for the same windows) and loaded back with every field
 * checked, and are folded into a dataset in place of window rows
 * (slac_winsums_fold), giving the outcomes the same rows would give.
 *
 * What the sums cannot do is refused with a message, never guessed:
 * services measured in minutes or errors by kind (push the rows), windows
 * in time an incident excludes, the html day chart, and the one group in
 * about 10^14 whose average only the exact pass over the rows decides.
 */
#ifndef SLAC_WINSUMS_H
#define SLAC_WINSUMS_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/base/diag.h"
#include "runtime/base/hash.h"
#include "runtime/base/timestamp.h"
#include "runtime/data/dataset.h"
#include "runtime/data/errorrate.h"
#include "runtime/vm/program.h"

/* One month of one account and service: what slac_window_month sums,
 * and which of the month's windows came.  Window I of a month is the I-th
 * start on the window grid at or after the month's first second.  The
 * windows are kept as runs [lo, hi) while that is smaller than a bitmap
 * of the month (rows in time order make one run), else as the bitmap
 * (rows interleaved by parallel workers make many): never more than one
 * bit a window. */
typedef struct {
  slac_ratesum sum;
  uint32_t with_requests;       /* windows with requests > 0 */
  slac_month month;
  uint32_t nwindows;            /* windows of the month: the grid's starts */
  uint32_t nruns, runs_cap;     /* RUNS: 2 x NRUNS numbers, lo and hi */
  uint32_t *runs;               /* sorted, disjoint, never adjacent */
  uint64_t *bits;               /* instead of RUNS: [(NWINDOWS + 63) / 64] */
} slac_winsums_month;

typedef struct {
  slac_winsums_month *months;   /* sorted by month */
  uint32_t nmonths, months_cap;
} slac_winsums_svc;

/* One account.  A row's lookup reads only this record when the name is
 * short and the month the last one's: in time order each row is another
 * account, and each pointer followed was a cache miss. */
typedef struct {
  char *name;                   /* NUL-terminated copy (the index's key) */
  size_t len;
  size_t next;                  /* index + 1 of the account whose row came
                                   next last time (0: none): a guess that
                                   spares the hash on data in time order */
  slac_winsums_svc *svc;        /* [the program's nservices] */
  slac_winsums_month *hot;      /* the month of the last row (NULL: none),
                                   of service HOT_SERVICE */
  int hot_service;
  char head[20];                /* the name's first bytes, when LEN <= 20 */
} slac_winsums_account;

/* Owned by its creator; one writer at a time. */
typedef struct {
  const slac_program *p;
  slac_winsums_account *accounts;
  size_t naccounts, accounts_cap;
  slac_strmap index;            /* name -> index into ACCOUNTS */
  size_t last_account;          /* index + 1 of the last row's account (0: none) */
  int last_service;             /* -1: none */
  size_t last_service_len;
  slac_time month_lo, month_hi; /* the last row's month [lo, hi) */
  slac_month month;
  int64_t grid_len, grid_first; /* the number of the month's first window
                                   on the grid of GRID_LEN seconds */
} slac_winsums;

int slac_winsums_init(slac_winsums *w, const slac_program *p); /* -1: out of memory */
void slac_winsums_free(slac_winsums *w);

/* Add one window of ACCOUNT (ALEN bytes) and SERVICE (SLEN bytes)
 * starting at START (seconds since 1970, UTC).  0, or -1 after reporting
 * through D what is wrong with it (an unknown service, one the sums cannot
 * measure, a start off the window grid, errors above requests, a window
 * already added). */
int slac_winsums_add(slac_winsums *w, const char *account, size_t alen, const char *service,
                     size_t slen, slac_time start, uint64_t requests, uint64_t errors,
                     slac_diags *d);

/* Add FROM's windows to INTO (the same program).  0, or -1 after
 * reporting (a window in both, out of memory); INTO is then unusable. */
int slac_winsums_merge(slac_winsums *into, const slac_winsums *from, slac_diags *d);

/* W's bytes (integers little-endian, accounts in the order of their
 * names: the same windows give the same bytes, in whatever order they
 * came), written to OUT when CAP is enough; returns how many there are,
 * so that a first call with CAP 0 sizes the buffer; 0 when out of
 * memory. */
size_t slac_winsums_save(const slac_winsums *w, unsigned char *out, size_t cap);

/* W (initialised, empty) from LEN bytes that slac_winsums_save wrote for
 * the same program, every field checked.  0, or -1 after reporting
 * through D which field is damaged. */
int slac_winsums_load(slac_winsums *w, const unsigned char *bytes, size_t len, slac_diags *d);

/* Fold W into DS as if its windows had been read from file FILE, after
 * the accounts, incidents and probes: accounts that DS does not have are
 * created in the order of their names.  0, or -1 after reporting. */
int slac_winsums_fold(slac_dataset *ds, const slac_winsums *w, uint32_t file, slac_diags *d);

#endif
