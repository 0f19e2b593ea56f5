/* dataset.h - everything eval keeps in memory while data streams by.
 *
 * One slac_account per account (a hash map from name to index), and per
 * account one slac_svc_state per policy service: the downtime intervals
 * (merged as they arrive), the running sums of each month's request
 * windows, and the state of a probe series.  Nothing per row is kept, so
 * memory grows with accounts x services x months and the number of
 * disjoint downtime intervals, not with the size of the files.
 *
 * Ownership: a dataset holds data only.  One writer (a reader of
 * readers.h, or the merge of parallel.c) changes it; the guesses that make
 * reading fast (the last account, successor guesses, the month of the
 * last window, cached exclusions) belong to each reader (readers.c:
 * slac_row_cache), so that slac_dataset_find never writes and several
 * threads may look up in a dataset that nothing changes meanwhile.
 */
#ifndef SLAC_DATASET_H
#define SLAC_DATASET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/data/errorrate.h"
#include "runtime/data/intervals.h"
#include "runtime/data/layout.h"
#include "runtime/base/progress.h"
#include "runtime/base/hash.h"
#include "runtime/base/num.h"
#include "runtime/vm/program.h"
#include "runtime/base/timestamp.h"

/* Request windows of one account, service and month: 48 bytes.  Counts
 * of windows are 32-bit: a month holds at most SLAC_RATESUM_MAX_WINDOWS
 * (one-second windows), each once. */
typedef struct {
  slac_ratesum sum;             /* error rates of the counted windows */
  slac_exactsum *exact;         /* the exact second pass, when needed */
  uint32_t with_requests;       /* windows with requests > 0 */
  uint32_t excluded;            /* windows treated as 0% (exclusions) */
  slac_month month;
  uint32_t days;                /* KEEP_DAYS: index + 1 of the month's first
                                   day in the dataset's DAYS (31 of them);
                                   0: no window with errors or excluded */
} slac_window_month;

/* The request windows of one day of a month, by the day of their start,
 * kept only when the dataset's KEEP_DAYS is set (the html statement's
 * day chart of an error-rate service): the counted windows that had
 * errors (each enters the average with its errors / requests) and the
 * windows an exclusion made 0%, as the month's sums count them. */
typedef struct {
  uint32_t errored;
  uint32_t excluded;
} slac_window_day;

typedef struct {
  slac_time start, end;         /* [start, end) */
} slac_pending;

/* The probe series of one account and service (allocated at its first
 * probe: most accounts of a windows file have none). */
typedef struct {
  slac_time last_probe;
  long last_probe_line;
  slac_pending *pending;        /* failed probes not yet followed by a success */
  size_t npending, pending_cap;
} slac_probe_state;

/* One account's data for one service; owned by its dataset.  What only
 * some accounts have is allocated when first needed (the downtime, the
 * exclusions, the probes), so that an account of a windows file costs 80
 * bytes a service here, besides its months. */
typedef struct {
  slac_spanset *counting;       /* downtime of counting causes; NULL: none yet
                                   (slac_svc_counting makes it) */
  slac_spanset *excluded;       /* [ncauses]: time of each non-counting cause */
  slac_spanset *late;           /* [the dataset's LATE_CAUSES]: time of each
                                   cause that had to be announced and was not
                                   in time (it counts, so it is in COUNTING
                                   too); NULL: none */
  slac_window_month *months;    /* sorted by month */
  uint32_t nmonths, months_cap;
  slac_time first_window;       /* of this dataset (order across parts) */
  slac_time last_window;        /* windows must come in time order */
  long last_window_line;
  slac_probe_state *probes;     /* NULL: no probe yet */
  bool windows_seen;
  bool windows_summed;          /* its windows came as sums (winsums.h):
                                   no rows for the exact pass */
} slac_svc_state;

/* One incident row as read, kept only when the dataset's KEEP_INCIDENTS
 * is set (the html report lists the incidents behind the minutes): 32
 * bytes a row, kept in the order of the files (SEQ) until the evaluator
 * sorts them by account, so that each statement finds its own rows by
 * binary search instead of reading every row. */
typedef struct {
  slac_time start, end;         /* [start, end), as the row says */
  uint32_t account;             /* index into the dataset's accounts */
  uint32_t seq;                 /* the row's place among the incident rows */
  uint16_t service;
  uint8_t cause;
  bool late;                    /* excluded cause announced too late: counts */
} slac_incident;

/* One account; owned by its dataset, which never moves it except when
 * slac_dataset_get grows the array (so readers keep indexes, not
 * pointers, across rows).  Its name and service states are in the
 * dataset's arena: they never move. */
typedef struct {
  char *name;
  slac_svc_state *svc;          /* [nservices] */
  char *plan;                   /* from the accounts file (NULL: not listed) */
  slac_num *charges;            /* [nservices], for a listed account; NULL: none */
  long first_line;              /* first appearance, for the output order */
  uint32_t first_file;
  uint32_t name_len;
  uint32_t origin;              /* in a partial dataset (readers.h): index + 1
                                   of the account in the main one, 0: none */
  int currency;                 /* index into the program's currencies */
  bool listed;                  /* from the accounts file */
  bool standing_good;
  slac_num fee;
} slac_account;

/* The data of one evaluation (or of one part of a windows file, read by
 * one thread); owned by its creator, changed by one writer at a time. */
typedef struct {
  const slac_program *p;
  slac_account *accounts;
  size_t naccounts, accounts_cap;
  uint64_t *index;              /* open addressing: hash << 32 | (index + 1) */
  slac_hash_key key;            /* of the index's hash: the process's key */
  void *arena;                  /* the chunks holding names and service states */
  atomic_long *accounts_left;   /* a part of a file read by threads
                                   (parallel.c): the accounts all the parts may
                                   still create, shared; NULL: no limit */
  size_t index_cap;
  int late_causes;              /* the late sets of a service state are kept
                                   for causes 0 .. LATE_CAUSES - 1: up to the
                                   last cause that some service wants
                                   announced (slac_svc_late) */
  bool have_accounts_file;
  bool unmerged;                /* some span set has spans put aside */
  slac_month *months;           /* months touched by data, sorted, unique
                                   (after slac_dataset_flush) */
  size_t nmonths, months_cap;
  uint64_t *month_bits;         /* [SLAC_DATASET_MONTH_WORDS]: the same months
                                   of years 0001..9999 as bits, so that
                                   touching one out of order costs O(1) */
  bool months_unsorted;         /* MONTHS lacks some months of MONTH_BITS */
  const slac_layout *layout;    /* how the data files name their columns and
                                   write their times (NULL: as CONTRACT
                                   section 2); borrowed, read by the readers */
  bool keep_incidents;          /* keep every incident row in INCIDENTS */
  slac_incident *incidents;     /* [nincidents], when KEEP_INCIDENTS */
  size_t nincidents, incidents_cap;
  bool keep_days;               /* count each month's windows per day in DAYS */
  slac_window_day *days;        /* [ndays], 31 per month that has any */
  size_t ndays, days_cap;
  slac_progress *progress;      /* NULL, or where the readers add the bytes
                                   they consume (progress.h); not counted on
                                   the exact second pass */
} slac_dataset;

/* Months 0 (0000-01) .. 119999 (9999-12), the calendar of the data. */
#define SLAC_DATASET_MONTH_WORDS ((9999 * 12 + 12 + 63) / 64)

int slac_dataset_init(slac_dataset *ds, const slac_program *p);
void slac_dataset_free(slac_dataset *ds);
/* The account named NAME, or NULL when there is none.  It writes nothing,
 * so threads may call it on a dataset that nothing changes meanwhile; a
 * reader that wants to skip the hash guesses first (readers.c). */
slac_account *slac_dataset_find(const slac_dataset *ds, const char *name, size_t len);
/* Up to SLAC_FIND_MANY lookups at once: OUT[I] gets the index + 1 of the
 * account named NAMES[I] (LENS[I] bytes), 0 when there is none.  The same
 * answers as slac_dataset_find, but the index slots of all the names are
 * asked for before any is read, then the records, then the names: each
 * lookup of a large dataset is three cache misses, and here the misses of
 * different names overlap.  Writes nothing but OUT. */
#define SLAC_FIND_MANY 32
void slac_dataset_find_many(const slac_dataset *ds, const char *const *names, const size_t *lens,
                            size_t n, uint32_t *out);
/* The account named NAME, created when missing.  NULL when out of memory
 * (or, in a part, out of ACCOUNTS_LEFT).  For the dataset's one writer:
 * creating may move the accounts. */
slac_account *slac_dataset_get(slac_dataset *ds, const char *name, size_t len,
                               uint32_t file, long line);
/* Fold PART, the windows of one part of file FILE read on its own
 * (readers.h: slac_read_part), into DS: PART's line L is line
 * L + LINE_BASE of the file.  The caller has checked that PART's windows
 * come after DS's in time, per account and service.  -1: out of memory. */
int slac_dataset_merge_windows(slac_dataset *ds, const slac_dataset *part, uint32_t file,
                               long line_base);
/* The same for the incidents of one part: their span sets (counting,
 * excluded and late, per cause) are united with DS's, which is exact in
 * any order; a set the part created, even empty, is created in DS too, as
 * one sequential read would have.  Where DS has none yet, the part's set
 * is moved, not copied (PART loses it).  -1: out of memory. */
int slac_dataset_merge_incidents(slac_dataset *ds, slac_dataset *part, uint32_t file,
                                 long line_base);
/* The parts of slac_dataset_merge_incidents, for parts that hold
 * different accounts (read by account: runtime/data/parallel.c), folded
 * in the order of the accounts' first rows: the months PART touched, and
 * PART's account I (WHERE: NULL, or where WHERE[I] gets DS's index of
 * it).  -1: out of memory. */
int slac_dataset_merge_months(slac_dataset *ds, const slac_dataset *part);
int slac_dataset_merge_incident_account(slac_dataset *ds, slac_dataset *part, size_t i, uint32_t file,
                                        long line_base, uint32_t *where);
/* Merge the spans that the span sets put aside (intervals.h), when a
 * writer has set UNMERGED, and complete MONTHS: the readers call it at the
 * end of each file, so that whatever reads a dataset afterwards reads
 * merged sets and every month.  -1: out of memory. */
int slac_dataset_flush(slac_dataset *ds);
/* Note that data touches month M.  Returns -1 when out of memory. */
int slac_dataset_touch(slac_dataset *ds, slac_month m);
/* The window sums of MONTH for S, or NULL when S has none (a search). */
const slac_window_month *slac_svc_find_month(const slac_svc_state *s, slac_month month);
/* The window sums of MONTH for S, created when missing (NULL: no memory). */
slac_window_month *slac_svc_window_month(slac_svc_state *s, slac_month month);
/* The 31 days of WM in DS (KEEP_DAYS), created when missing (NULL: no
 * memory).  The pointer lives until the next day table is created. */
slac_window_day *slac_window_days(slac_dataset *ds, slac_window_month *wm);
/* The 31 days of WM in DS, or NULL when it has none (every day 0). */
const slac_window_day *slac_window_days_of(const slac_dataset *ds, const slac_window_month *wm);
/* The downtime of S's counting causes, created lazily (NULL: no memory). */
slac_spanset *slac_svc_counting(slac_svc_state *s);
/* The probe series of S, created lazily (NULL: no memory). */
slac_probe_state *slac_svc_probes(slac_svc_state *s);
/* The spanset of the late (not announced in time) incidents of cause C
 * for S, created lazily; C < DS->late_causes (a cause to be announced). */
slac_spanset *slac_svc_late(slac_dataset *ds, slac_svc_state *s, int cause);
/* The spanset of cause C (a non-counting cause) for S, created lazily. */
slac_spanset *slac_svc_excluded(slac_dataset *ds, slac_svc_state *s, int cause);

#endif
