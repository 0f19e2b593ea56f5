/* intervals.h - interval algebra for downtime.
 *
 * A slac_spanset is a sorted list of disjoint half-open spans [start, end)
 * of seconds; touching spans are merged, empty spans never stored.  Memory
 * grows with the number of disjoint spans, not with the rows that made
 * them: overlapping or adjacent incidents collapse into one span.
 *
 * slac_downtime_months() is the whole of CONTRACT section 3 for one
 * account and service: split at month edges, union of counting causes,
 * exclusions (an exclusion wins where it overlaps), capped exclusions
 * consumed in time order with the excess counting as downtime, the minute
 * metric, and the consecutive-minute rule.
 */
#ifndef SLAC_INTERVALS_H
#define SLAC_INTERVALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/base/timestamp.h"

typedef struct {
  slac_time start, end; /* [start, end), start < end */
} slac_span;

typedef struct {
  void *v;         /* the spans, in one of two forms (intervals.c): while
                      every time fits in 32 bits unsigned, two uint32_t a
                      span; once one does not (WIDE), slac_span.  Read
                      them with slac_spanset_at. */
  slac_span *pend; /* spans added out of time order and not merged yet */
  uint32_t n, cap; /* spans 0..n are in use; 0..cap is usable room */
  unsigned front : 31; /* free room before v in its allocation, so that
                      prepending (newest-first input) is O(1) amortised */
  unsigned wide : 1;
  uint32_t npend;  /* pend[0..npend): any order, may overlap */
  /* Owned by this module: a set it built must be freed with
   * slac_spanset_free.  A read-only view of an array of spans is made by
   * slac_spanset_view, for the const functions. */
} slac_spanset;

/* Span I of S (I < S->n): what the queries below see. */
static inline slac_span slac_spanset_at(const slac_spanset *s, size_t i) {
  if (s->wide)
    return ((const slac_span *)s->v)[i];
  const uint32_t *c = (const uint32_t *)s->v + 2 * i;
  return (slac_span){(slac_time)c[0], (slac_time)c[1]};
}

/* No span in S, merged or put aside. */
static inline bool slac_spanset_empty(const slac_spanset *s) { return s->n == 0 && s->npend == 0; }

/* The address of S's last span (S->n > 0), for a prefetch. */
static inline const void *slac_spanset_last(const slac_spanset *s) {
  return (const char *)s->v + (size_t)(s->n - 1) * (s->wide ? sizeof(slac_span) : 2 * sizeof(uint32_t));
}

/* A read-only set over SPANS[0..N) (sorted, disjoint, not touching), which
 * must outlive it; never freed. */
slac_spanset slac_spanset_view(const slac_span *spans, size_t n);

void slac_spanset_init(slac_spanset *s);
void slac_spanset_free(slac_spanset *s);
/* Union [START, END) into S.  START >= END adds nothing.  Appending in time
 * order is O(1), and so is an insert that moves at most a few spans
 * (prepending: newest-first input).  Any other insert out of time order
 * is put aside in S->pend and merged (sorted, then united in one pass)
 * when as many are aside as S holds, so that n adds in any order cost
 * O(n log n) and the room aside never exceeds the set's own: 400,000
 * disjoint incidents in random order took 23 s when each insert moved
 * half the set.  Spans aside are not seen by the queries below: call
 * slac_spanset_flush before any of them (the readers do it at the end of
 * each file: readers.h).  Returns 0, or -1 when out of memory (S holds
 * the same union as before). */
int slac_spanset_add(slac_spanset *s, slac_time start, slac_time end);
/* Merge the spans put aside into S->v (nothing to do when there are
 * none).  Returns 0, or -1 when out of memory (S unchanged). */
int slac_spanset_flush(slac_spanset *s);
/* Union the N spans of SPANS (any order, overlapping, empty ones ignored)
 * into S in O(N log N + S->n), the spans put aside included: S is merged
 * afterwards.  Returns 0, or -1 when out of memory (S unchanged). */
int slac_spanset_add_many(slac_spanset *s, const slac_span *spans, size_t n);
/* S = S U SRC in O(S->n + SRC->n), the spans either put aside included
 * (S is merged afterwards).  Returns 0, or -1 when out of memory (S
 * unchanged). */
int slac_spanset_unite(slac_spanset *s, const slac_spanset *src);
/* The functions below read S->v only: S must have nothing aside
 * (slac_spanset_flush; checked by assert in debug builds). */
/* Total seconds covered. */
int64_t slac_spanset_measure(const slac_spanset *s);
/* Total covered within [LO, HI). */
int64_t slac_spanset_measure_within(const slac_spanset *s, slac_time lo, slac_time hi);
/* True when some span intersects [LO, HI). */
bool slac_spanset_overlaps(const slac_spanset *s, slac_time lo, slac_time hi);
/* OUT = A minus B (OUT must be initialised; its old content is replaced). */
int slac_spanset_subtract(const slac_spanset *a, const slac_spanset *b, slac_spanset *out);
/* OUT = A restricted to [LO, HI). */
int slac_spanset_clip(const slac_spanset *a, slac_time lo, slac_time hi, slac_spanset *out);

/* Everything known about one account and service, over all months. */
typedef struct {
  slac_spanset counting;   /* union of the intervals of counting causes */
  size_t nexcluded;        /* excluded causes, in the policy's order */
  slac_spanset *excluded;  /* [nexcluded]: union of each excluded cause */
  const int64_t *cap_seconds; /* [nexcluded]: cap per period, or -1 */
  const int *cap_months;   /* [nexcluded]: the cap's period, 1 (calendar month),
                              3 (quarter) or 12 (year); NULL: all 1 */
  const slac_spanset *late; /* [nlate]: time of each cause that is not
                              excluded because it was not announced in
                              time (it is in COUNTING too); NULL: none */
  size_t nlate;            /* LATE has the first NLATE causes (at most
                              NEXCLUDED); the causes after them have none */
  int64_t min_run_minutes; /* downtime counts only in runs of at least this
                              many consecutive unavailable minutes; 0 or 1
                              means every unavailable minute counts.  Runs
                              are measured across month edges. */
} slac_downtime_input;

/* The result for one calendar month. */
typedef struct {
  int64_t unavailable_minutes; /* clock minutes with any second of downtime
                                  (after the run rule) */
  int64_t excluded_minutes;    /* clock minutes touched by an applied
                                  exclusion that are not unavailable */
  slac_time first_unavailable; /* start of the first unavailable minute;
                                  meaningful when unavailable_minutes > 0 */
  int64_t *cause_excluded_seconds; /* [nexcluded], caller-allocated: seconds
                                  of that cause excluded in the month (for a
                                  capped cause, at most the cap) */
  int64_t *cause_excess_seconds;   /* [nexcluded], caller-allocated: seconds of
                                  a capped cause beyond its cap, which count
                                  as downtime; 0 for uncapped causes */
  int64_t *cause_late_seconds;     /* [nexcluded], caller-allocated or NULL:
                                  seconds of LATE in the month that no applied
                                  exclusion covers */
  slac_spanset *unavailable_set;   /* NULL, or initialised by the caller and
                                  replaced by the unavailable clock minutes
                                  (minute numbers, t / 60) whose count is
                                  UNAVAILABLE_MINUTES (the html report) */
  slac_spanset *excluded_set;      /* likewise, the EXCLUDED_MINUTES */
} slac_month_downtime;

/* Compute OUT[i] for MONTHS[i], i < NMONTHS (months in increasing order).
 * Downtime of the month = (counting U excess of capped causes) minus
 * (uncapped exclusions U the capped causes' first cap seconds, consumed in
 * time order within the cap's period: what the earlier months of the
 * quarter or year used is gone).  Returns 0, or -1 when out of memory. */
int slac_downtime_months(const slac_downtime_input *in, const slac_month *months,
                         size_t nmonths, slac_month_downtime *out);

/* The applied exclusions of one month (uncapped causes, plus each capped
 * cause up to its cap): the window metric treats a window that overlaps
 * them as error rate 0.  OUT is replaced. */
int slac_downtime_exclusions(const slac_downtime_input *in, slac_month month,
                             slac_spanset *out);

/* Test hook (out-of-memory injection, as SQLite does): after N more
 * successful allocations, every allocation made by this module fails
 * until the hook is called again; N < 0 (the default) turns it off.
 * Process-wide and not thread-safe: for tests only. */
void slac_intervals_fail_alloc_after(long n);

#endif
