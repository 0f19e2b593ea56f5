/* intervals.c - the interval algebra behind downtime (CONTRACT section 3).
 *
 * Owns the sorted, disjoint span sets (add, bulk add, measure, overlap test,
 * difference, clipping) and slac_downtime_months(), which turns the spans of
 * one account and service into per-month unavailable minutes, excluded
 * minutes and capped-exclusion seconds.  Everything is integer arithmetic on
 * whole seconds and minutes.  No array is ever indexed by second or minute:
 * the cost follows the number of spans, never the length of a month.
 *
 * Domain: times are those of years 0001..9999 (|t| < 2^39), so differences
 * and minute numbers never come near int64 limits.
 *
 * Storage (issue 21): a set keeps its spans as two 32-bit numbers each
 * while every time in it lies in [0, 2^32) (1970 to 2106 in seconds, and
 * every minute number from 1970 on), half the memory and cache lines of
 * two 64-bit times; the first time outside that range turns the set
 * "wide" (slac_span, 16 bytes) for as long as it lives.  Only the
 * accessors below (iv_start, iv_end, iv_set) and slac_spanset_at
 * (intervals.h) know the difference.
 */
#include "runtime/data/intervals.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Allocation, with the out-of-memory injection hook for tests.        */

/* < 0: off; else successes left.  Atomic: accounts are measured by
 * several threads at once (runtime/eval/eval.c). */
static atomic_long iv_fail_after = -1;

void slac_intervals_fail_alloc_after(long n) { atomic_store(&iv_fail_after, n); }

/* COUNT elements of SIZE bytes (COUNT > 0).  Every allocation of this
 * module goes here so that the test hook can make any one of them fail. */
static void *iv_alloc(size_t count, size_t size) {
  long left = atomic_load_explicit(&iv_fail_after, memory_order_relaxed);
  while (left > 0 && !atomic_compare_exchange_weak_explicit(&iv_fail_after, &left, left - 1,
                                                            memory_order_relaxed, memory_order_relaxed)) {
  }
  if (left == 0)
    return NULL;
  if (count == 0 || count > SIZE_MAX / size)
    return NULL;
  return malloc(count * size);
}

/* ------------------------------------------------------------------ */
/* Span sets: the two storage forms.                                    */

/* Bytes of one span of S. */
static inline size_t iv_esz(const slac_spanset *s) {
  return s->wide ? sizeof(slac_span) : 2 * sizeof(uint32_t);
}

/* Can [A, B) be kept in the narrow form? */
static inline bool iv_narrow_fits(slac_time a, slac_time b) {
  return a >= 0 && b <= (slac_time)UINT32_MAX;
}

static inline slac_time iv_start(const slac_spanset *s, size_t i) {
  return s->wide ? ((const slac_span *)s->v)[i].start : (slac_time)((const uint32_t *)s->v)[2 * i];
}

static inline slac_time iv_end(const slac_spanset *s, size_t i) {
  return s->wide ? ((const slac_span *)s->v)[i].end : (slac_time)((const uint32_t *)s->v)[2 * i + 1];
}

/* Store [A, B) in slot I; a narrow S must be able to hold it
 * (iv_make_room). */
static inline void iv_set(slac_spanset *s, size_t i, slac_time a, slac_time b) {
  if (s->wide) {
    ((slac_span *)s->v)[i].start = a;
    ((slac_span *)s->v)[i].end = b;
  } else {
    assert(iv_narrow_fits(a, b));
    ((uint32_t *)s->v)[2 * i] = (uint32_t)a;
    ((uint32_t *)s->v)[2 * i + 1] = (uint32_t)b;
  }
}

static inline void iv_set_end(slac_spanset *s, size_t i, slac_time b) {
  if (s->wide)
    ((slac_span *)s->v)[i].end = b;
  else
    ((uint32_t *)s->v)[2 * i + 1] = (uint32_t)b;
}

/* Address of slot I (I may be -1 .. cap: room before and after). */
static inline char *iv_slot(const slac_spanset *s, ptrdiff_t i) {
  return (char *)s->v + i * (ptrdiff_t)iv_esz(s);
}

void slac_spanset_init(slac_spanset *s) {
  s->v = NULL;
  s->pend = NULL;
  s->n = s->cap = s->npend = 0;
  s->front = 0;
  s->wide = 0;
}

void slac_spanset_free(slac_spanset *s) {
  if (s->v)
    free(iv_slot(s, -(ptrdiff_t)s->front)); /* v may sit FRONT spans into its block */
  free(s->pend);
  slac_spanset_init(s);
}

slac_spanset slac_spanset_view(const slac_span *spans, size_t n) {
  slac_spanset s;
  slac_spanset_init(&s);
  s.v = (void *)(uintptr_t)spans; /* read only: the const functions */
  s.n = s.cap = (uint32_t)n;
  s.wide = 1;
  return s;
}

/* A set the queries may read: nothing put aside (intervals.h). */
static inline bool iv_merged(const slac_spanset *s) { return s->npend == 0; }

/* Room to add when a side is full: doubling keeps appends and prepends
 * O(1) amortised. */
static size_t iv_grow(size_t n) { return n < 1 ? 1 : n; }

/* The most spans a block holds (FRONT, within it, is 31 bits). */
#define IV_FRONT_MAX 0x7fffffffu

/* Move S into a new block with FRONT free spans before it and BACK after
 * it, WIDE or narrow.  On failure S is untouched. */
static int iv_relayout_as(slac_spanset *s, size_t front, size_t back, bool wide) {
  size_t n = s->n;
  /* a block holds at most 2^31 - 1 spans (16 GB narrow, 32 GB wide), so
   * that FRONT, within it, fits its 31 bits */
  if (front > IV_FRONT_MAX - n || back > IV_FRONT_MAX - n - front)
    return -1;
  slac_spanset t = *s;
  t.wide = wide;
  char *block = iv_alloc(front + n + back, iv_esz(&t));
  if (!block)
    return -1;
  t.v = block + front * iv_esz(&t);
  if (wide == (bool)s->wide) {
    if (n)
      memcpy(t.v, s->v, n * iv_esz(s));
  } else {
    for (size_t i = 0; i < n; i++)
      iv_set(&t, i, iv_start(s, i), iv_end(s, i));
  }
  if (s->v)
    free(iv_slot(s, -(ptrdiff_t)s->front));
  s->v = t.v;
  s->wide = wide;
  s->front = (uint32_t)front;
  s->cap = (uint32_t)(n + back);
  return 0;
}

static int iv_relayout(slac_spanset *s, size_t front, size_t back) {
  return iv_relayout_as(s, front, back, s->wide);
}

/* Make S able to hold [A, B): a narrow set that cannot becomes wide,
 * keeping its room.  Returns 0, or -1 when out of memory (S unchanged). */
static inline int iv_make_room(slac_spanset *s, slac_time a, slac_time b) {
  if (s->wide || iv_narrow_fits(a, b))
    return 0;
  if (!s->v) { /* no block yet: nothing to convert */
    s->wide = 1;
    return 0;
  }
  return iv_relayout_as(s, s->front, s->cap - s->n, true);
}

/* Append [A, B) to S, where A is not before the start of S's last span
 * (every internal producer emits spans in start order).  Overlapping or
 * touching the last span extends it, which keeps S disjoint and merged. */
static int iv_push(slac_spanset *s, slac_time a, slac_time b) {
  if (a >= b)
    return 0;
  if (iv_make_room(s, a, b))
    return -1;
  if (s->n) {
    size_t last = s->n - 1;
    if (a <= iv_end(s, last)) {
      if (b > iv_end(s, last))
        iv_set_end(s, last, b);
      return 0;
    }
  }
  if (s->n == s->cap && iv_relayout(s, s->front, iv_grow(s->n)))
    return -1;
  iv_set(s, s->n, a, b);
  s->n++;
  return 0;
}

/* First index whose span ends at or after T (n when none). */
static size_t iv_first_end_ge(const slac_spanset *s, slac_time t) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (iv_end(s, mid) >= t)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* First index whose span starts after T (n when none). */
static size_t iv_first_start_gt(const slac_spanset *s, slac_time t) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (iv_start(s, mid) > t)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* Insert the disjoint, non-touching span [A, B) at index I (S can hold
 * it: iv_make_room).  The shorter side moves: into the free room before
 * v when I is in the first half (newest-first input costs O(1)
 * amortised), else towards the back. */
static int iv_insert(slac_spanset *s, size_t i, slac_time a, slac_time b) {
  if (i < s->n - i) {
    if (s->front == 0 && iv_relayout(s, iv_grow(s->n), s->cap - s->n))
      return -1;
    memmove(iv_slot(s, -1), s->v, i * iv_esz(s));
    s->v = iv_slot(s, -1);
    s->front--;
    s->cap++;
  } else {
    if (s->n == s->cap && iv_relayout(s, s->front, iv_grow(s->n)))
      return -1;
    memmove(iv_slot(s, (ptrdiff_t)i + 1), iv_slot(s, (ptrdiff_t)i), (s->n - i) * iv_esz(s));
  }
  iv_set(s, i, a, b);
  s->n++;
  return 0;
}

/* Out-of-order inserts that move at most this many spans are made in
 * place (newest-first input moves none); the others are put aside. */
#define IV_DIRECT 32
/* Spans aside are merged when there are as many as the set holds, and
 * at least this many: each merge then costs O(p log p) for p spans put
 * aside since the last, O(log p) a span. */
#define IV_MIN_PENDING 32

static int iv_defer(slac_spanset *s, slac_time a, slac_time b);

int slac_spanset_add(slac_spanset *s, slac_time a, slac_time b) {
  if (a >= b)
    return 0;
  /* Fast path: time-ordered input only ever touches the last span. */
  if (s->n == 0 || a >= iv_start(s, s->n - 1))
    return iv_push(s, a, b);
  /* Spans i..j-1 overlap or touch [a, b): ends >= a and starts <= b. */
  size_t i = iv_first_end_ge(s, a);
  size_t j = iv_first_start_gt(s, b);
  size_t moved = i == j ? (i < s->n - i ? i : s->n - i) : (i < s->n - j ? i : s->n - j);
  if (moved > IV_DIRECT)
    return iv_defer(s, a, b);
  if (iv_make_room(s, a, b))
    return -1;
  if (i == j)
    return iv_insert(s, i, a, b);
  slac_time lo = a < iv_start(s, i) ? a : iv_start(s, i);
  slac_time hi = b > iv_end(s, j - 1) ? b : iv_end(s, j - 1);
  size_t k = j - i - 1; /* spans that disappear into the merged one */
  if (i < s->n - j) {
    /* Shorter prefix: the merged span takes slot j-1 and the prefix slides
     * right by k, giving its room to the front. */
    iv_set(s, j - 1, lo, hi);
    memmove(iv_slot(s, (ptrdiff_t)k), s->v, i * iv_esz(s));
    s->v = iv_slot(s, (ptrdiff_t)k);
    s->front += (uint32_t)k;
    s->cap -= (uint32_t)k;
  } else {
    iv_set(s, i, lo, hi);
    memmove(iv_slot(s, (ptrdiff_t)i + 1), iv_slot(s, (ptrdiff_t)j), (s->n - j) * iv_esz(s));
  }
  s->n -= (uint32_t)k;
  return 0;
}

/* Put [A, B) aside, first merging what is aside when it is as large as
 * the set (so the room aside stays within the set's own size). */
static int iv_defer(slac_spanset *s, slac_time a, slac_time b) {
  size_t limit = s->n > IV_MIN_PENDING ? s->n : IV_MIN_PENDING;
  if (s->npend >= limit) {
    if (slac_spanset_flush(s))
      return -1;
    return slac_spanset_add(s, a, b); /* nothing is aside now */
  }
  /* the room aside is 8, 16, 32, ... spans: NPEND tells its size */
  uint32_t p = s->npend;
  if (p == 0 || (p >= 8 && (p & (p - 1)) == 0)) {
    slac_span *r = iv_alloc(p ? 2 * (size_t)p : 8, sizeof(slac_span));
    if (!r)
      return -1;
    if (p)
      memcpy(r, s->pend, p * sizeof *r);
    free(s->pend);
    s->pend = r;
  }
  s->pend[s->npend].start = a;
  s->pend[s->npend].end = b;
  s->npend++;
  return 0;
}

/* Stable bottom-up merge sort of V[0..N) by start, with scratch TMP[0..N).
 * Written out (not qsort) for a guaranteed O(N log N). */
static void iv_sort(slac_span *v, slac_span *tmp, size_t n) {
  slac_span *src = v, *dst = tmp;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = mid + width < n ? mid + width : n;
      size_t p = lo, q = mid, o = lo;
      while (p < mid && q < hi)
        dst[o++] = src[q].start < src[p].start ? src[q++] : src[p++];
      while (p < mid)
        dst[o++] = src[p++];
      while (q < hi)
        dst[o++] = src[q++];
    }
    slac_span *t = src;
    src = dst;
    dst = t;
  }
  if (src != v)
    memcpy(v, src, n * sizeof *v);
}

/* OUT (empty, distinct) = A U B, where A and B are sorted by start (they
 * need not be disjoint) and have nothing aside.  Linear. */
static int iv_union(const slac_spanset *a, const slac_spanset *b, slac_spanset *out) {
  size_t i = 0, j = 0, na = a->n, nb = b->n;
  while (i < na || j < nb) {
    bool from_a = j == nb || (i < na && iv_start(a, i) <= iv_start(b, j));
    slac_span x = from_a ? slac_spanset_at(a, i++) : slac_spanset_at(b, j++);
    if (iv_push(out, x.start, x.end))
      return -1;
  }
  return 0;
}

/* Is V[0..N) in start order already (two sorted files one after the
 * other put their second aside in order)? */
static bool iv_sorted(const slac_span *v, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (v[i].start < v[i - 1].start)
      return false;
  return true;
}

/* S = (S's spans U SRC's, when SRC) U SPANS[0..N) U S->pend; SRC has
 * nothing aside.  On failure S is unchanged. */
static int iv_merge_in(slac_spanset *s, const slac_spanset *src, const slac_span *spans, size_t n) {
  size_t m = s->npend;
  for (size_t i = 0; i < n; i++)
    m += spans[i].start < spans[i].end;
  if (m == 0 && (!src || src->n == 0))
    return 0;
  if (m > IV_FRONT_MAX) /* more than a set can hold (32 GB aside) */
    return -1;
  slac_span *buf = NULL;
  if (m) {
    buf = iv_alloc(2 * m, sizeof(slac_span)); /* the spans, then the sort scratch */
    if (!buf)
      return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      if (spans[i].start < spans[i].end)
        buf[k++] = spans[i];
    if (s->npend)
      memcpy(buf + k, s->pend, s->npend * sizeof *buf);
    if (!iv_sorted(buf, m))
      iv_sort(buf, buf + m, m);
  }
  slac_spanset mine = *s, sorted = slac_spanset_view(buf, m), t, u;
  mine.npend = 0;
  slac_spanset_init(&t);
  slac_spanset_init(&u);
  /* grown by doubling, not sized for the sum: spans that overlap shrink
   * the result, and the set keeps its room */
  int rc = iv_union(&mine, m ? &sorted : src, &t); /* m == 0: SRC has spans */
  if (rc == 0 && m && src && src->n) {
    rc = iv_union(&t, src, &u);
    slac_spanset_free(&t);
    t = u;
  }
  free(buf);
  if (rc) {
    slac_spanset_free(&t);
    return -1;
  }
  slac_spanset_free(s);
  *s = t;
  return 0;
}

int slac_spanset_flush(slac_spanset *s) { return s->npend ? iv_merge_in(s, NULL, NULL, 0) : 0; }

int slac_spanset_add_many(slac_spanset *s, const slac_span *spans, size_t n) {
  return iv_merge_in(s, NULL, spans, n);
}

int slac_spanset_unite(slac_spanset *s, const slac_spanset *src) {
  /* SRC's merged spans by the linear union, its spans aside with S's */
  return iv_merge_in(s, src, src->pend, src->npend);
}

int64_t slac_spanset_measure(const slac_spanset *s) {
  assert(iv_merged(s));
  /* Unsigned sum: exact in the domain, and no undefined behaviour (only
   * saturation) for a set built from absurd times. */
  uint64_t sum = 0;
  for (size_t i = 0; i < s->n; i++) {
    uint64_t d = (uint64_t)iv_end(s, i) - (uint64_t)iv_start(s, i);
    if (d > (uint64_t)INT64_MAX - sum)
      return INT64_MAX;
    sum += d;
  }
  return (int64_t)sum;
}

bool slac_spanset_overlaps(const slac_spanset *s, slac_time lo, slac_time hi) {
  assert(iv_merged(s));
  if (lo >= hi)
    return false;
  /* The first span ending after LO is the only candidate. */
  size_t i = iv_first_end_ge(s, lo);
  while (i < s->n && iv_end(s, i) == lo) /* ends at LO: does not intersect */
    i++;
  return i < s->n && iv_start(s, i) < hi;
}

/* OUT (empty, distinct) = A minus B.  Linear. */
static int iv_subtract(const slac_spanset *a, const slac_spanset *b, slac_spanset *out) {
  assert(iv_merged(a) && iv_merged(b));
  size_t j = 0;
  for (size_t i = 0; i < a->n; i++) {
    slac_time cur = iv_start(a, i), e = iv_end(a, i);
    while (j < b->n && iv_end(b, j) <= cur)
      j++;
    while (j < b->n && iv_start(b, j) < e) {
      if (iv_start(b, j) > cur && iv_push(out, cur, iv_start(b, j)))
        return -1;
      if (iv_end(b, j) > cur)
        cur = iv_end(b, j);
      if (iv_end(b, j) > e)
        break; /* B's span reaches into A's next span: keep it */
      j++;
    }
    if (cur < e && iv_push(out, cur, e))
      return -1;
  }
  return 0;
}

/* OUT (empty, distinct) = A restricted to [LO, HI).  O(log n + output). */
static int iv_clip(const slac_spanset *a, slac_time lo, slac_time hi, slac_spanset *out) {
  assert(iv_merged(a));
  if (lo >= hi)
    return 0;
  for (size_t i = iv_first_end_ge(a, lo); i < a->n && iv_start(a, i) < hi; i++) {
    slac_time s = iv_start(a, i) > lo ? iv_start(a, i) : lo;
    slac_time e = iv_end(a, i) < hi ? iv_end(a, i) : hi;
    if (iv_push(out, s, e))
      return -1;
  }
  return 0;
}

/* Seconds of A within [LO, HI), without building the clipped set. */
static int64_t iv_measure_within(const slac_spanset *a, slac_time lo, slac_time hi) {
  assert(iv_merged(a));
  int64_t sum = 0;
  if (lo >= hi)
    return 0;
  for (size_t i = iv_first_end_ge(a, lo); i < a->n && iv_start(a, i) < hi; i++) {
    slac_time s = iv_start(a, i) > lo ? iv_start(a, i) : lo;
    slac_time e = iv_end(a, i) < hi ? iv_end(a, i) : hi;
    sum += e - s;
  }
  return sum;
}

int64_t slac_spanset_measure_within(const slac_spanset *s, slac_time lo, slac_time hi) {
  return iv_measure_within(s, lo, hi);
}

/* The public forms build into a fresh set and only then replace OUT, so
 * OUT may be A or B, and OUT is untouched on failure. */
int slac_spanset_subtract(const slac_spanset *a, const slac_spanset *b, slac_spanset *out) {
  slac_spanset t;
  slac_spanset_init(&t);
  if (iv_subtract(a, b, &t)) {
    slac_spanset_free(&t);
    return -1;
  }
  slac_spanset_free(out);
  *out = t;
  return 0;
}

int slac_spanset_clip(const slac_spanset *a, slac_time lo, slac_time hi, slac_spanset *out) {
  slac_spanset t;
  slac_spanset_init(&t);
  if (iv_clip(a, lo, hi, &t)) {
    slac_spanset_free(&t);
    return -1;
  }
  slac_spanset_free(out);
  *out = t;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Downtime.                                                            */

static void iv_swap(slac_spanset *a, slac_spanset *b) {
  slac_spanset t = *a;
  *a = *b;
  *b = t;
}

/* Floor division by a positive divisor (C division truncates toward 0,
 * which would put 00:00:-30 in the wrong minute before the epoch). */
static int64_t iv_floor_div(int64_t a, int64_t d) {
  int64_t q = a / d;
  return (a % d < 0) ? q - 1 : q;
}

/* Overlap length of two sets.  Linear. */
static int64_t iv_common_measure(const slac_spanset *a, const slac_spanset *b) {
  int64_t sum = 0;
  size_t i = 0, j = 0;
  while (i < a->n && j < b->n) {
    slac_time lo = iv_start(a, i) > iv_start(b, j) ? iv_start(a, i) : iv_start(b, j);
    slac_time hi = iv_end(a, i) < iv_end(b, j) ? iv_end(a, i) : iv_end(b, j);
    if (lo < hi)
      sum += hi - lo;
    if (iv_end(a, i) < iv_end(b, j))
      i++;
    else
      j++;
  }
  return sum;
}

/* OUT (emptied) = the clock minutes (numbered t / 60, floored) that SECS
 * touches.  Spans in start order map to minute spans in start order, and
 * iv_push merges the ones that share or touch a minute. */
static int iv_minutes(const slac_spanset *secs, slac_spanset *out) {
  out->n = 0;
  for (size_t i = 0; i < secs->n; i++)
    if (iv_push(out, iv_floor_div(iv_start(secs, i), 60),
                iv_floor_div(iv_end(secs, i) - 1, 60) + 1))
      return -1;
  return 0;
}

/* Scratch sets reused from month to month, so that a long run of months
 * allocates only while the largest month grows. */
typedef struct {
  slac_spanset clip, prefix, rest, applied, excess, tmp, down, umin, amin;
} iv_work;

static void iv_work_init(iv_work *w) {
  slac_spanset_init(&w->clip);
  slac_spanset_init(&w->prefix);
  slac_spanset_init(&w->rest);
  slac_spanset_init(&w->applied);
  slac_spanset_init(&w->excess);
  slac_spanset_init(&w->tmp);
  slac_spanset_init(&w->down);
  slac_spanset_init(&w->umin);
  slac_spanset_init(&w->amin);
}

static void iv_work_free(iv_work *w) {
  slac_spanset_free(&w->clip);
  slac_spanset_free(&w->prefix);
  slac_spanset_free(&w->rest);
  slac_spanset_free(&w->applied);
  slac_spanset_free(&w->excess);
  slac_spanset_free(&w->tmp);
  slac_spanset_free(&w->down);
  slac_spanset_free(&w->umin);
  slac_spanset_free(&w->amin);
}

/* DST U= SRC, through W->tmp. */
static int iv_union_into(slac_spanset *dst, const slac_spanset *src, slac_spanset *tmp) {
  if (src->n == 0)
    return 0;
  tmp->n = 0;
  if (iv_union(dst, src, tmp))
    return -1;
  iv_swap(dst, tmp);
  return 0;
}

/* One month M before the run rule.  Leaves in W: applied (the applied
 * exclusions, seconds) and, when MINUTES, down (the downtime D, seconds)
 * and umin / amin (the minutes touched by D / by the applied exclusions).
 * EXCL / EXCESS / LATE (may be NULL) get the per-cause seconds. */
static int iv_month_eval(const slac_downtime_input *in, slac_month m, iv_work *w,
                         int64_t *excl, int64_t *excess, int64_t *late, bool minutes) {
  slac_time ms = slac_month_start(m), me = slac_month_start(m + 1);
  w->applied.n = 0;
  w->excess.n = 0;
  for (size_t c = 0; c < in->nexcluded; c++) {
    w->clip.n = 0;
    if (iv_clip(&in->excluded[c], ms, me, &w->clip))
      return -1;
    int64_t cap = in->cap_seconds ? in->cap_seconds[c] : -1;
    int64_t measure = slac_spanset_measure(&w->clip);
    if (cap < 0) { /* any negative cap means "no cap" */
      if (iv_union_into(&w->applied, &w->clip, &w->tmp))
        return -1;
      if (excl)
        excl[c] = measure;
      if (excess)
        excess[c] = 0;
      continue;
    }
    /* Capped: the first CAP seconds of the period, in time order, are
     * excluded, the rest is excess that counts as downtime.  A monthly
     * cap restarts every month because the union was clipped to the
     * month first; a cap per quarter or year has already lost what the
     * union used in the period's earlier months. */
    int months = in->cap_months ? in->cap_months[c] : 1;
    if (months > 1) {
      slac_time ps = slac_month_start(m - (slac_month)(((m % months) + months) % months));
      int64_t used = iv_measure_within(&in->excluded[c], ps, ms);
      cap = used >= cap ? 0 : cap - used;
    }
    w->prefix.n = 0;
    w->rest.n = 0;
    int64_t left = cap;
    for (size_t i = 0; i < w->clip.n; i++) {
      slac_time s = iv_start(&w->clip, i), e = iv_end(&w->clip, i);
      slac_time cut = (e - s <= left) ? e : s + left;
      left -= cut - s;
      if (iv_push(&w->prefix, s, cut) || iv_push(&w->rest, cut, e))
        return -1;
    }
    if (iv_union_into(&w->applied, &w->prefix, &w->tmp) ||
        iv_union_into(&w->excess, &w->rest, &w->tmp))
      return -1;
    if (excl)
      excl[c] = measure < cap ? measure : cap;
    if (excess)
      excess[c] = measure < cap ? 0 : measure - cap;
  }
  /* Late time (not announced in time) that no applied exclusion covers:
   * what the reason says counted as downtime. */
  for (size_t c = 0; late && in->late && c < in->nexcluded; c++) {
    late[c] = 0;
    if (c >= in->nlate || in->late[c].n == 0)
      continue;
    w->clip.n = 0;
    if (iv_clip(&in->late[c], ms, me, &w->clip))
      return -1;
    late[c] = slac_spanset_measure(&w->clip) - iv_common_measure(&w->clip, &w->applied);
  }
  /* The applied exclusions alone (slac_downtime_exclusions) need no D:
   * COUNTING may still be filling meanwhile (the minute rule of a
   * windows file being read). */
  if (!minutes)
    return 0;
  /* D = (counting U excess) minus applied: an exclusion wins. */
  w->clip.n = 0;
  if (iv_clip(&in->counting, ms, me, &w->clip))
    return -1;
  if (iv_union_into(&w->clip, &w->excess, &w->tmp))
    return -1;
  w->down.n = 0;
  if (iv_subtract(&w->clip, &w->applied, &w->down))
    return -1;
  if (iv_minutes(&w->down, &w->umin) || iv_minutes(&w->applied, &w->amin))
    return -1;
  return 0;
}

/* What the run rule needs to know of a neighbouring month: the length in
 * minutes of the unavailable run that starts at its first minute (head)
 * and of the one that ends at its last minute (tail), and whether the
 * whole month is one run (then head == tail == the month). */
typedef struct {
  slac_month month;
  bool valid;
  int64_t head, tail;
  bool full;
} iv_edge;

/* Enough for the neighbours of consecutive requested months: each month is
 * then evaluated at most twice (once as a neighbour, once requested). */
#define IV_EDGE_CACHE 8

typedef struct {
  const slac_downtime_input *in;
  iv_work nb; /* scratch for neighbours, so the requested month's survives */
  iv_edge cache[IV_EDGE_CACHE];
  size_t next;
} iv_runs;

static iv_edge iv_edge_of(slac_month m, const slac_spanset *umin) {
  iv_edge e = {m, true, 0, 0, false};
  int64_t m0 = slac_month_start(m) / 60, m1 = slac_month_start(m + 1) / 60;
  if (umin->n) {
    slac_span f = slac_spanset_at(umin, 0), l = slac_spanset_at(umin, umin->n - 1);
    if (f.start == m0)
      e.head = f.end - f.start;
    if (l.end == m1)
      e.tail = l.end - l.start;
    e.full = umin->n == 1 && f.start == m0 && f.end == m1;
  }
  return e;
}

static void iv_edge_remember(iv_runs *r, iv_edge e) {
  for (size_t i = 0; i < IV_EDGE_CACHE; i++)
    if (r->cache[i].valid && r->cache[i].month == e.month)
      return;
  r->cache[r->next] = e;
  r->next = (r->next + 1) % IV_EDGE_CACHE;
}

static int iv_edge_get(iv_runs *r, slac_month m, iv_edge *out) {
  for (size_t i = 0; i < IV_EDGE_CACHE; i++)
    if (r->cache[i].valid && r->cache[i].month == m) {
      *out = r->cache[i];
      return 0;
    }
  if (iv_month_eval(r->in, m, &r->nb, NULL, NULL, NULL, true))
    return -1;
  *out = iv_edge_of(m, &r->nb.umin);
  iv_edge_remember(r, *out);
  return 0;
}

/* Months a run may be followed into: 0001-01 .. 9999-12 hold every second
 * slac accepts, so nothing lies beyond; stopping there also keeps the
 * month arithmetic (and timestamp.c) inside its range whatever the
 * input. */
#define IV_MONTH_MIN ((slac_month)(1 * 12))
#define IV_MONTH_MAX ((slac_month)(9999 * 12 + 11))

/* Minutes of unavailability that continue a run from month M in
 * direction DIR (-1: the tail of M-1, M-2, ...; +1: the head of M+1, ...).
 * Stops as soon as NEED minutes are found: the run is then long enough,
 * which bounds the walk to about NEED / 40320 + 1 months. */
static int iv_walk(iv_runs *r, slac_month m, int dir, int64_t need, int64_t *found) {
  int64_t acc = 0;
  for (;;) {
    if ((dir < 0 && m <= IV_MONTH_MIN) || (dir > 0 && m >= IV_MONTH_MAX))
      break;
    m += dir;
    iv_edge e;
    if (iv_edge_get(r, m, &e))
      return -1;
    int64_t part = dir < 0 ? e.tail : e.head;
    acc += part;
    if (part == 0 || acc >= need || !e.full)
      break;
  }
  *found = acc;
  return 0;
}

/* Apply the run rule to the minutes W->umin of month M, in place. */
static int iv_run_rule(iv_runs *r, slac_month m, slac_spanset *umin) {
  int64_t min_run = r->in->min_run_minutes;
  if (min_run <= 1)
    return 0;
  int64_t m0 = slac_month_start(m) / 60, m1 = slac_month_start(m + 1) / 60;
  size_t kept = 0;
  for (size_t i = 0; i < umin->n; i++) {
    slac_span sp = slac_spanset_at(umin, i);
    int64_t len = sp.end - sp.start, more;
    /* Only a run that touches a month edge can continue past it. */
    if (len < min_run && sp.start == m0) {
      if (iv_walk(r, m, -1, min_run - len, &more))
        return -1;
      len += more;
    }
    if (len < min_run && sp.end == m1) {
      if (iv_walk(r, m, +1, min_run - len, &more))
        return -1;
      len += more;
    }
    if (len >= min_run)
      iv_set(umin, kept++, sp.start, sp.end); /* from UMIN: it fits */
  }
  umin->n = kept;
  return 0;
}

int slac_downtime_months(const slac_downtime_input *in, const slac_month *months,
                         size_t nmonths, slac_month_downtime *out) {
  iv_work w;
  iv_runs r;
  iv_work_init(&w);
  r.in = in;
  iv_work_init(&r.nb);
  memset(r.cache, 0, sizeof r.cache);
  r.next = 0;
  int rc = 0;
  for (size_t k = 0; k < nmonths && rc == 0; k++) {
    slac_month m = months[k];
    slac_month_downtime *o = &out[k];
    rc = iv_month_eval(in, m, &w, o->cause_excluded_seconds, o->cause_excess_seconds,
                       o->cause_late_seconds, true);
    if (rc)
      break;
    /* Remember this month's edges before the run rule trims them: the
     * next requested month's backward walk needs the raw runs. */
    iv_edge_remember(&r, iv_edge_of(m, &w.umin));
    rc = iv_run_rule(&r, m, &w.umin);
    if (rc)
      break;
    o->unavailable_minutes = slac_spanset_measure(&w.umin);
    o->first_unavailable = w.umin.n ? iv_start(&w.umin, 0) * 60 : 0;
    /* Minutes touched by an applied exclusion and not unavailable. */
    o->excluded_minutes = slac_spanset_measure(&w.amin) - iv_common_measure(&w.amin, &w.umin);
    slac_spanset none = {0};
    if (o->unavailable_set && slac_spanset_subtract(&w.umin, &none, o->unavailable_set))
      rc = -1;
    if (rc == 0 && o->excluded_set && slac_spanset_subtract(&w.amin, &w.umin, o->excluded_set))
      rc = -1;
  }
  iv_work_free(&w);
  iv_work_free(&r.nb);
  return rc;
}

int slac_downtime_exclusions(const slac_downtime_input *in, slac_month month,
                             slac_spanset *out) {
  iv_work w;
  iv_work_init(&w);
  int rc = iv_month_eval(in, month, &w, NULL, NULL, NULL, false);
  if (rc == 0) {
    slac_spanset_free(out);
    *out = w.applied;
    slac_spanset_init(&w.applied);
  }
  iv_work_free(&w);
  return rc;
}
