/* test_intervals.c - unit tests of runtime/data/intervals.c: span set edge cases,
 * CONTRACT section 3 examples with exact expected numbers (minute metric,
 * month split, exclusions, caps, the run rule across month edges), large
 * inputs in bad orders, and out-of-memory injection on every allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/data/intervals.h"
#include "support.h"

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */

/* UTC instant of a civil date-time (no parsing involved). */
static slac_time T(int64_t y, int mo, int d, int h, int mi, int s) {
  return slac_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static slac_month M(int y, int mo) { return (slac_month)(y * 12 + mo - 1); }

static void check_invariant(const slac_spanset *s) {
  assert_true(s->n <= s->cap);
  for (size_t i = 0; i < s->n; i++) {
    assert_true(slac_spanset_at(s, i).start < slac_spanset_at(s, i).end);
    /* Disjoint and not touching: touching spans must have been merged. */
    if (i)
      assert_true(slac_spanset_at(s, i - 1).end < slac_spanset_at(s, i).start);
  }
}

/* S must be exactly the N spans PAIRS[2i], PAIRS[2i+1]. */
static void assert_spans(const slac_spanset *s, const slac_time *pairs, size_t n) {
  check_invariant(s);
  assert_int_equal(s->n, n);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(slac_spanset_at(s, i).start, pairs[2 * i]);
    assert_int_equal(slac_spanset_at(s, i).end, pairs[2 * i + 1]);
  }
}

static void add_ok(slac_spanset *s, slac_time a, slac_time b) {
  assert_int_equal(slac_spanset_add(s, a, b), 0);
  check_invariant(s);
}

/* A downtime input with up to 4 excluded causes, owned by the test. */
typedef struct {
  slac_downtime_input in;
  slac_spanset excluded[4];
  int64_t caps[4];
} fixture;

static void fx_init(fixture *f, size_t nexcluded, int64_t min_run) {
  memset(f, 0, sizeof *f);
  slac_spanset_init(&f->in.counting);
  for (size_t c = 0; c < 4; c++) {
    slac_spanset_init(&f->excluded[c]);
    f->caps[c] = -1;
  }
  f->in.nexcluded = nexcluded;
  f->in.excluded = nexcluded ? f->excluded : NULL;
  f->in.cap_seconds = nexcluded ? f->caps : NULL;
  f->in.min_run_minutes = min_run;
}

static void fx_free(fixture *f) {
  slac_spanset_free(&f->in.counting);
  for (size_t c = 0; c < 4; c++)
    slac_spanset_free(&f->excluded[c]);
}

/* One month's result with its per-cause arrays. */
typedef struct {
  slac_month_downtime d;
  int64_t excl[4], excess[4];
} result;

/* Compute N months into R (R[i].d arrays wired to R[i].excl/excess). */
static int fx_run(const fixture *f, const slac_month *months, size_t n, result *r) {
  slac_month_downtime out[8];
  assert_true(n <= 8);
  for (size_t i = 0; i < n; i++) {
    memset(&r[i], 0x5a, sizeof r[i]); /* garbage: every field must be set */
    out[i].cause_excluded_seconds = r[i].excl;
    out[i].cause_excess_seconds = r[i].excess;
    out[i].cause_late_seconds = NULL;
    out[i].unavailable_set = out[i].excluded_set = NULL;
  }
  int rc = slac_downtime_months(&f->in, months, n, out);
  for (size_t i = 0; i < n; i++) {
    r[i].d = out[i];
  }
  return rc;
}

/* Single-month convenience. */
static result fx_month(const fixture *f, slac_month m) {
  result r;
  assert_int_equal(fx_run(f, &m, 1, &r), 0);
  return r;
}

/* ------------------------------------------------------------------ */
/* Span sets.                                                           */

static void test_spanset_add_merges(void **state) {
  (void)state;
  slac_spanset s;
  slac_spanset_init(&s);
  add_ok(&s, 10, 10); /* empty */
  add_ok(&s, 20, 10); /* reversed: empty */
  assert_int_equal(s.n, 0);
  assert_int_equal(slac_spanset_measure(&s), 0);
  add_ok(&s, 10, 20);
  add_ok(&s, 20, 30); /* touching after: merged */
  add_ok(&s, 5, 10);  /* touching before: merged */
  assert_spans(&s, (const slac_time[]){5, 30}, 1);
  add_ok(&s, 40, 50);
  add_ok(&s, 60, 70);
  add_ok(&s, 0, 2);
  assert_spans(&s, (const slac_time[]){0, 2, 5, 30, 40, 50, 60, 70}, 4);
  add_ok(&s, 45, 47); /* nested: nothing changes */
  add_ok(&s, 40, 50); /* identical */
  assert_spans(&s, (const slac_time[]){0, 2, 5, 30, 40, 50, 60, 70}, 4);
  add_ok(&s, 35, 38); /* disjoint, in the middle */
  assert_spans(&s, (const slac_time[]){0, 2, 5, 30, 35, 38, 40, 50, 60, 70}, 5);
  add_ok(&s, 30, 60); /* touches 5..30 and 60..70, swallows two spans */
  assert_spans(&s, (const slac_time[]){0, 2, 5, 70}, 2);
  assert_int_equal(slac_spanset_measure(&s), 2 + 65);
  add_ok(&s, 3, 4);
  add_ok(&s, 1, 80); /* covers everything */
  assert_spans(&s, (const slac_time[]){0, 80}, 1);
  add_ok(&s, -100, -50); /* before the epoch */
  assert_spans(&s, (const slac_time[]){-100, -50, 0, 80}, 2);
  assert_int_equal(slac_spanset_measure(&s), 130);
  slac_spanset_free(&s);
  assert_null(s.v);
  assert_int_equal(s.n, 0);
  slac_spanset_free(&s); /* freeing twice is harmless */
}

/* Merging at either end of a longer set exercises both shift directions. */
static void test_spanset_add_merge_sides(void **state) {
  (void)state;
  slac_spanset s;
  slac_spanset_init(&s);
  for (slac_time i = 0; i < 10; i++)
    add_ok(&s, i * 10, i * 10 + 5);
  add_ok(&s, 4, 21); /* near the front: spans 0,1,2 become one */
  assert_int_equal(s.n, 8);
  assert_int_equal(slac_spanset_at(&s, 0).start, 0);
  assert_int_equal(slac_spanset_at(&s, 0).end, 25);
  add_ok(&s, 73, 91); /* near the back: 70, 80, 90 become one */
  assert_int_equal(s.n, 6);
  assert_int_equal(slac_spanset_at(&s, 5).start, 70);
  assert_int_equal(slac_spanset_at(&s, 5).end, 95);
  add_ok(&s, -7, -3); /* prepend uses the room freed at the front */
  add_ok(&s, 50, 51);
  assert_spans(&s, (const slac_time[]){-7, -3, 0, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 95}, 7);
  slac_spanset_free(&s);
}

static void test_spanset_huge_ranges(void **state) {
  (void)state;
  slac_time lo = T(1, 1, 1, 0, 0, 0), hi = T(9999, 12, 31, 23, 59, 59) + 1;
  assert_true(lo < 0);
  slac_spanset s;
  slac_spanset_init(&s);
  add_ok(&s, T(2000, 1, 1, 0, 0, 0), T(2001, 1, 1, 0, 0, 0));
  add_ok(&s, lo, lo + 60);
  add_ok(&s, hi - 60, hi);
  assert_int_equal(s.n, 3);
  assert_int_equal(slac_spanset_measure(&s), 120 + 366 * 86400);
  add_ok(&s, lo, hi);
  assert_spans(&s, (const slac_time[]){lo, hi}, 1);
  /* 0001-01-01 .. 10000-01-01 is 3652059 days. */
  assert_int_equal(slac_spanset_measure(&s), INT64_C(3652059) * 86400);
  assert_true(slac_spanset_overlaps(&s, hi - 1, hi));
  assert_false(slac_spanset_overlaps(&s, hi, hi + 1));
  slac_spanset c;
  slac_spanset_init(&c);
  assert_int_equal(slac_spanset_clip(&s, T(2024, 2, 1, 0, 0, 0), T(2024, 3, 1, 0, 0, 0), &c), 0);
  assert_int_equal(slac_spanset_measure(&c), 29 * 86400);
  slac_spanset_free(&c);
  slac_spanset_free(&s);
}

static void test_spanset_overlaps(void **state) {
  (void)state;
  slac_spanset s;
  slac_spanset_init(&s);
  assert_false(slac_spanset_overlaps(&s, 0, 100));
  add_ok(&s, 10, 20);
  add_ok(&s, 30, 40);
  assert_true(slac_spanset_overlaps(&s, 0, 11));
  assert_false(slac_spanset_overlaps(&s, 0, 10));  /* touches the start */
  assert_false(slac_spanset_overlaps(&s, 20, 30)); /* the gap, touching both */
  assert_true(slac_spanset_overlaps(&s, 19, 30));
  assert_true(slac_spanset_overlaps(&s, 20, 31));
  assert_true(slac_spanset_overlaps(&s, 12, 13)); /* inside */
  assert_true(slac_spanset_overlaps(&s, 0, 100)); /* around */
  assert_false(slac_spanset_overlaps(&s, 40, 100));
  assert_false(slac_spanset_overlaps(&s, 15, 15)); /* empty query */
  assert_false(slac_spanset_overlaps(&s, 16, 12));
  assert_false(slac_spanset_overlaps(&s, INT64_MIN, 10));
  assert_false(slac_spanset_overlaps(&s, 40, INT64_MAX));
  /* A read-only set built by hand works with the const functions. */
  slac_span arr[2] = {{1, 3}, {7, 9}};
  slac_spanset h = slac_spanset_view(arr, 2);
  assert_true(slac_spanset_overlaps(&h, 8, 20));
  assert_int_equal(slac_spanset_measure(&h), 4);
  slac_spanset_free(&s);
}

static void test_spanset_subtract(void **state) {
  (void)state;
  slac_spanset a, b, o;
  slac_spanset_init(&a);
  slac_spanset_init(&b);
  slac_spanset_init(&o);
  add_ok(&o, 1000, 2000); /* old content is replaced */
  assert_int_equal(slac_spanset_subtract(&a, &b, &o), 0);
  assert_spans(&o, NULL, 0);
  add_ok(&a, 0, 10);
  add_ok(&a, 12, 20);
  add_ok(&a, 30, 40);
  assert_int_equal(slac_spanset_subtract(&a, &b, &o), 0); /* minus nothing */
  assert_spans(&o, (const slac_time[]){0, 10, 12, 20, 30, 40}, 3);
  add_ok(&b, 2, 3);
  add_ok(&b, 5, 15); /* reaches into the next span of A */
  add_ok(&b, 20, 30); /* exactly the gap: touches both */
  add_ok(&b, 39, 50);
  assert_int_equal(slac_spanset_subtract(&a, &b, &o), 0);
  assert_spans(&o, (const slac_time[]){0, 2, 3, 5, 15, 20, 30, 39}, 4);
  assert_int_equal(slac_spanset_subtract(&b, &a, &o), 0);
  assert_spans(&o, (const slac_time[]){10, 12, 20, 30, 40, 50}, 3);
  slac_spanset_free(&b);
  add_ok(&b, -5, 100); /* covers everything */
  assert_int_equal(slac_spanset_subtract(&a, &b, &o), 0);
  assert_spans(&o, NULL, 0);
  /* OUT may be A itself. */
  slac_spanset_free(&b);
  add_ok(&b, 0, 1);
  add_ok(&b, 35, 36);
  assert_int_equal(slac_spanset_subtract(&a, &b, &a), 0);
  assert_spans(&a, (const slac_time[]){1, 10, 12, 20, 30, 35, 36, 40}, 4);
  /* ... or B. */
  assert_int_equal(slac_spanset_subtract(&a, &b, &b), 0);
  assert_spans(&b, (const slac_time[]){1, 10, 12, 20, 30, 35, 36, 40}, 4);
  slac_spanset_free(&a);
  slac_spanset_free(&b);
  slac_spanset_free(&o);
}

static void test_spanset_clip(void **state) {
  (void)state;
  slac_spanset a, o;
  slac_spanset_init(&a);
  slac_spanset_init(&o);
  add_ok(&a, 0, 10);
  add_ok(&a, 20, 30);
  add_ok(&a, 40, 50);
  assert_int_equal(slac_spanset_clip(&a, 5, 45, &o), 0);
  assert_spans(&o, (const slac_time[]){5, 10, 20, 30, 40, 45}, 3);
  assert_int_equal(slac_spanset_clip(&a, 10, 20, &o), 0); /* the gap exactly */
  assert_spans(&o, NULL, 0);
  assert_int_equal(slac_spanset_clip(&a, 25, 26, &o), 0);
  assert_spans(&o, (const slac_time[]){25, 26}, 1);
  assert_int_equal(slac_spanset_clip(&a, 30, 20, &o), 0); /* empty range */
  assert_spans(&o, NULL, 0);
  assert_int_equal(slac_spanset_clip(&a, INT64_MIN, INT64_MAX, &o), 0);
  assert_spans(&o, (const slac_time[]){0, 10, 20, 30, 40, 50}, 3);
  assert_int_equal(slac_spanset_clip(&a, 50, 60, &o), 0);
  assert_spans(&o, NULL, 0);
  assert_int_equal(slac_spanset_clip(&a, 9, 41, &a), 0); /* OUT may be A */
  assert_spans(&a, (const slac_time[]){9, 10, 20, 30, 40, 41}, 3);
  slac_spanset_free(&a);
  slac_spanset_free(&o);
}

/* Newest-first input (status page feeds list incidents that way) must stay
 * correct and cheap: 100,000 disjoint spans inserted in reverse order. */
static void test_spanset_reverse_100k(void **state) {
  (void)state;
  enum { N = 100000 };
  slac_spanset s;
  slac_spanset_init(&s);
  for (slac_time i = N - 1; i >= 0; i--)
    assert_int_equal(slac_spanset_add(&s, i * 100, i * 100 + 30), 0);
  check_invariant(&s);
  assert_int_equal(s.n, N);
  assert_int_equal(slac_spanset_measure(&s), (int64_t)N * 30);
  for (size_t i = 0; i < N; i += 997)
    assert_int_equal(slac_spanset_at(&s, i).start, (slac_time)i * 100);
  /* Filling the gaps, again newest first, collapses everything. */
  for (slac_time i = N - 1; i >= 0; i--)
    assert_int_equal(slac_spanset_add(&s, i * 100 + 30, i * 100 + 100), 0);
  assert_spans(&s, (const slac_time[]){0, (slac_time)N * 100}, 1);
  slac_spanset_free(&s);

  /* Reverse order, overlapping and touching, across the epoch. */
  slac_spanset_init(&s);
  for (slac_time i = N - 1; i >= 0; i--)
    assert_int_equal(slac_spanset_add(&s, (i - N / 2) * 60, (i - N / 2) * 60 + 90), 0);
  assert_spans(&s, (const slac_time[]){-(slac_time)(N / 2) * 60, (slac_time)(N / 2 - 1) * 60 + 90}, 1);
  slac_spanset_free(&s);
}

static uint64_t rng_state;
static uint64_t rnd(void) { /* splitmix64: deterministic */
  uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}
static slac_time rnd_below(uint64_t n) { return (slac_time)(rnd() % n); }

/* Bulk insertion in arbitrary order agrees with one-by-one insertion and
 * with a direct bitmap over a small range. */
static void test_spanset_add_many(void **state) {
  (void)state;
  enum { N = 100000, SMALL = 4000, RANGE = 20000 };
  slac_span *sp = malloc(N * sizeof *sp);
  unsigned char *bits = calloc(RANGE, 1);
  assert_non_null(sp);
  assert_non_null(bits);
  rng_state = 42;
  for (size_t i = 0; i < N; i++) {
    sp[i].start = rnd_below(RANGE);
    sp[i].end = sp[i].start + rnd_below(8) - 1; /* some empty or reversed */
  }
  slac_spanset one, many;
  slac_spanset_init(&one);
  slac_spanset_init(&many);
  for (size_t i = 0; i < SMALL; i++) {
    add_ok(&one, sp[i].start, sp[i].end);
    for (slac_time t = sp[i].start; t < sp[i].end; t++)
      bits[t] = 1;
  }
  assert_int_equal(slac_spanset_add_many(&many, sp, SMALL / 2), 0);
  assert_int_equal(slac_spanset_add_many(&many, sp + SMALL / 2, SMALL - SMALL / 2), 0);
  check_invariant(&many);
  assert_int_equal(slac_spanset_flush(&one), 0);
  assert_int_equal(one.n, many.n);
  for (size_t i = 0; i < one.n; i++) {
    assert_int_equal(slac_spanset_at(&one, i).start, slac_spanset_at(&many, i).start);
    assert_int_equal(slac_spanset_at(&one, i).end, slac_spanset_at(&many, i).end);
  }
  int64_t count = 0;
  for (slac_time t = 0; t < RANGE; t++) {
    count += bits[t];
    assert_int_equal(slac_spanset_overlaps(&one, t, t + 1), bits[t]);
  }
  assert_int_equal(slac_spanset_measure(&one), count);
  /* 100,000 random spans at once: fast, and every one is covered. */
  assert_int_equal(slac_spanset_add_many(&many, sp, N), 0);
  check_invariant(&many);
  for (size_t i = 0; i < N; i += 7)
    if (sp[i].start < sp[i].end)
      assert_true(slac_spanset_overlaps(&many, sp[i].start, sp[i].end));
  assert_int_equal(slac_spanset_add_many(&many, sp, 0), 0);
  slac_spanset_free(&one);
  slac_spanset_free(&many);
  free(sp);
  free(bits);
}

/* Issue 21: a set keeps two 32-bit numbers a span while every time in it
 * lies in [0, 2^32), and turns wide at the first that does not, whichever
 * way that time comes in.  The spans and the answers stay the same. */
static void test_spanset_narrow_and_wide(void **state) {
  (void)state;
  const slac_time big = (slac_time)UINT32_MAX; /* the last narrow time */
  slac_time t2026 = T(2026, 1, 1, 0, 0, 0);
  for (int way = 0; way < 6; way++) {
    slac_spanset s;
    slac_spanset_init(&s);
    for (slac_time i = 0; i < 40; i++)
      add_ok(&s, t2026 + i * 100, t2026 + i * 100 + 50);
    assert_int_equal(s.wide, 0);
    slac_time lo = t2026, hi = t2026 + 39 * 100 + 50;
    switch (way) {
    case 0: add_ok(&s, big, big + 10); hi = big + 10; break; /* appended */
    case 1: add_ok(&s, hi - 10, big + 1); hi = big + 1; break; /* extends the last */
    case 2: add_ok(&s, -60, -30); break;                   /* prepended */
    case 3: add_ok(&s, t2026 - 100, big + 5); lo = t2026 - 100; hi = big + 5; break; /* merges all */
    case 4: add_ok(&s, t2026 + 2025, big * 2); hi = big * 2; break; /* merges the back half */
    default: /* spans put aside (out of time order, far from either end),
                then a wide one in bulk: the merge turns the set wide */
      for (slac_time i = 0; i < 40; i++)
        add_ok(&s, t2026 + 5000 + i * 100, t2026 + 5000 + i * 100 + 50);
      add_ok(&s, t2026 + 4560, t2026 + 4570);
      assert_true(s.npend > 0);
      assert_int_equal(s.wide, 0);
      assert_int_equal(slac_spanset_add_many(&s, (const slac_span[]){{-9000, -8000}}, 1), 0);
      assert_int_equal(s.npend, 0);
      assert_true(slac_spanset_overlaps(&s, t2026 + 4565, t2026 + 4566));
      hi = t2026 + 5000 + 39 * 100 + 50;
      break;
    }
    check_invariant(&s);
    assert_int_equal(s.wide, 1);
    slac_span first = slac_spanset_at(&s, 0), last = slac_spanset_at(&s, s.n - 1);
    if (way == 2 || way == 5)
      assert_true(first.start < 0);
    else
      assert_int_equal(first.start, lo);
    assert_int_equal(last.end, hi);
    assert_true(slac_spanset_overlaps(&s, t2026 + 10, t2026 + 11));
    assert_false(way != 3 && slac_spanset_overlaps(&s, t2026 + 60, t2026 + 90));
    /* a copy made from it by the bulk union is narrow again when it can be */
    slac_spanset c;
    slac_spanset_init(&c);
    assert_int_equal(slac_spanset_clip(&s, t2026, t2026 + 1000, &c), 0);
    assert_int_equal(c.wide, 0);
    assert_int_equal(slac_spanset_measure(&c), way == 3 ? 1000 : 500);
    slac_spanset_free(&c);
    slac_spanset_free(&s);
  }
}

/* Random spans around 2^32, where sets turn wide, in every order, against
 * a bitmap; and slac_spanset_unite of any two of them, spans aside
 * included, against the same. */
static void test_spanset_across_the_narrow_edge(void **state) {
  (void)state;
  enum { RANGE = 6000, N = 3000 };
  const slac_time base = (slac_time)UINT32_MAX - RANGE / 2;
  unsigned char *bits = calloc(RANGE, 1), *ubits = calloc(RANGE, 1);
  assert_non_null(bits);
  assert_non_null(ubits);
  rng_state = 7;
  slac_spanset a, b;
  slac_spanset_init(&a);
  slac_spanset_init(&b);
  for (size_t i = 0; i < N; i++) {
    /* mostly narrow, sometimes past the edge: the set turns wide midway */
    slac_time x = rnd_below(i < N / 2 ? RANGE / 2 : RANGE), len = rnd_below(9);
    if (x + len > RANGE)
      len = RANGE - x;
    slac_spanset *s = (i % 3) ? &a : &b;
    add_ok(s, base + x, base + x + len);
    for (slac_time t = x; t < x + len; t++) {
      if (s == &a)
        bits[t] = 1;
      ubits[t] = 1;
    }
  }
  assert_true(a.npend > 0 || b.npend > 0);
  assert_int_equal(slac_spanset_unite(&b, &a), 0); /* both may have spans aside */
  assert_int_equal(b.npend, 0);
  assert_int_equal(slac_spanset_flush(&a), 0);
  check_invariant(&a);
  check_invariant(&b);
  assert_int_equal(a.wide, 1);
  int64_t na = 0, nb = 0;
  for (slac_time t = 0; t < RANGE; t++) {
    na += bits[t];
    nb += ubits[t];
    assert_int_equal(slac_spanset_overlaps(&a, base + t, base + t + 1), bits[t]);
    assert_int_equal(slac_spanset_overlaps(&b, base + t, base + t + 1), ubits[t]);
  }
  assert_int_equal(slac_spanset_measure(&a), na);
  assert_int_equal(slac_spanset_measure(&b), nb);
  /* the narrow half alone, united into an empty set, stays narrow */
  slac_spanset lowhalf, u;
  slac_spanset_init(&lowhalf);
  slac_spanset_init(&u);
  assert_int_equal(slac_spanset_clip(&a, base, (slac_time)UINT32_MAX, &lowhalf), 0);
  assert_int_equal(slac_spanset_unite(&u, &lowhalf), 0);
  assert_int_equal(u.wide, 0);
  assert_int_equal(slac_spanset_measure(&u), slac_spanset_measure_within(&a, base, (slac_time)UINT32_MAX));
  slac_spanset_free(&lowhalf);
  slac_spanset_free(&u);
  slac_spanset_free(&a);
  slac_spanset_free(&b);
  free(bits);
  free(ubits);
}

/* Issue 15: disjoint spans out of time order, one at a time.  Each insert
 * moved the shorter side of the set, a quarter of it on average: 400,000
 * incidents took 23 s, two time-sorted files one after the other 3.3 s.
 * Now within a few bulk unions (slac_spanset_add_many, O(n log n)): the
 * bound is 8 of them, the old way took 30. */
#define NDISJOINT 100000
static slac_span disjoint[NDISJOINT];

static void add_one_by_one(void *arg) {
  (void)arg;
  slac_spanset s;
  slac_spanset_init(&s);
  for (size_t i = 0; i < NDISJOINT; i++)
    assert_int_equal(slac_spanset_add(&s, disjoint[i].start, disjoint[i].end), 0);
  assert_true(s.npend <= NDISJOINT / 2); /* never more aside than in the set */
  assert_int_equal(slac_spanset_flush(&s), 0);
  assert_int_equal(s.npend, 0);
  assert_int_equal(s.n, NDISJOINT);
  assert_int_equal(slac_spanset_measure(&s), (int64_t)NDISJOINT * 30);
  slac_spanset_free(&s);
}

static void add_in_bulk(void *arg) {
  (void)arg;
  slac_spanset s;
  slac_spanset_init(&s);
  assert_int_equal(slac_spanset_add_many(&s, disjoint, NDISJOINT), 0);
  assert_int_equal(s.n, NDISJOINT);
  slac_spanset_free(&s);
}

static void test_spanset_out_of_order_not_quadratic(void **state) {
  (void)state;
  for (int order = 0; order < 2; order++) {
    /* 0: a random order; 1: the even spans in time order, then the odd
     * ones (two sorted files one after the other) */
    for (size_t i = 0; i < NDISJOINT; i++) {
      size_t k = order == 0 ? i : i < NDISJOINT / 2 ? 2 * i : 2 * (i - NDISJOINT / 2) + 1;
      disjoint[i].start = (slac_time)k * 100;
      disjoint[i].end = (slac_time)k * 100 + 30;
    }
    rng_state = 7;
    for (size_t i = NDISJOINT - 1; order == 0 && i > 0; i--) {
      size_t j = (size_t)rnd_below(i + 1);
      slac_span t = disjoint[i];
      disjoint[i] = disjoint[j];
      disjoint[j] = t;
    }
    double t_one = test_best_cpu(3, add_one_by_one, NULL);
    double t_bulk = test_best_cpu(3, add_in_bulk, NULL);
    print_message("order %d: one by one %.4f s, in bulk %.4f s\n", order, t_one, t_bulk);
    assert_true(t_one < 8 * t_bulk + 0.005);
  }
}

/* ------------------------------------------------------------------ */
/* Downtime: CONTRACT section 3 with exact numbers.                     */

/* 432 unavailable minutes in a 30-day month (43,200 minutes) is exactly
 * 99.0% uptime. */
static void test_432_minutes_in_30_day_month(void **state) {
  (void)state;
  assert_int_equal(slac_month_minutes(M(2025, 6)), 43200);
  fixture f;
  fx_init(&f, 0, 0);
  slac_time t0 = T(2025, 6, 10, 0, 0, 0);
  add_ok(&f.in.counting, t0, t0 + 432 * 60);
  result r = fx_month(&f, M(2025, 6));
  assert_int_equal(r.d.unavailable_minutes, 432);
  assert_int_equal(r.d.excluded_minutes, 0);
  assert_int_equal((43200 - r.d.unavailable_minutes) * 1000 / 43200, 990);
  fx_free(&f);

  /* The same 432 minutes as 432 one-second blips in different minutes. */
  fx_init(&f, 0, 0);
  for (slac_time i = 0; i < 432; i++)
    add_ok(&f.in.counting, t0 + i * 3600 + 59, t0 + i * 3600 + 60);
  r = fx_month(&f, M(2025, 6));
  assert_int_equal(r.d.unavailable_minutes, 432);
  fx_free(&f);
}

static void test_incident_split_at_month_edge(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 0, 0);
  add_ok(&f.in.counting, T(2025, 5, 31, 23, 50, 0), T(2025, 6, 1, 0, 20, 0));
  result r[3];
  slac_month ms[3] = {M(2025, 5), M(2025, 6), M(2025, 7)};
  assert_int_equal(fx_run(&f, ms, 3, r), 0);
  assert_int_equal(r[0].d.unavailable_minutes, 10);
  assert_int_equal(r[1].d.unavailable_minutes, 20);
  assert_int_equal(r[2].d.unavailable_minutes, 0);
  for (int i = 0; i < 3; i++)
    assert_int_equal(r[i].d.excluded_minutes, 0);
  fx_free(&f);
}

/* Before the epoch, minutes still start at multiples of 60 s. */
static void test_incident_across_epoch(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 0, 0);
  add_ok(&f.in.counting, -30, 30); /* 1969-12-31T23:59:30 .. 1970-01-01T00:00:30 */
  result r[2];
  slac_month ms[2] = {M(1969, 12), M(1970, 1)};
  assert_int_equal(fx_run(&f, ms, 2, r), 0);
  assert_int_equal(r[0].d.unavailable_minutes, 1);
  assert_int_equal(r[1].d.unavailable_minutes, 1);
  fx_free(&f);
}

static void test_overlapping_incidents_count_once(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 0, 0);
  add_ok(&f.in.counting, T(2025, 3, 4, 10, 0, 0), T(2025, 3, 4, 11, 0, 0));
  add_ok(&f.in.counting, T(2025, 3, 4, 10, 30, 0), T(2025, 3, 4, 11, 30, 0));
  add_ok(&f.in.counting, T(2025, 3, 4, 10, 40, 0), T(2025, 3, 4, 10, 50, 0));
  result r = fx_month(&f, M(2025, 3));
  assert_int_equal(r.d.unavailable_minutes, 90);
  fx_free(&f);
}

/* An exclusion wins where it overlaps an outage. */
static void test_exclusion_inside_outage(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 1, 0);
  add_ok(&f.in.counting, T(2025, 3, 4, 10, 0, 0), T(2025, 3, 4, 11, 0, 0));
  add_ok(&f.excluded[0], T(2025, 3, 4, 10, 20, 0), T(2025, 3, 4, 10, 40, 0));
  result r = fx_month(&f, M(2025, 3));
  assert_int_equal(r.d.unavailable_minutes, 40);
  assert_int_equal(r.d.excluded_minutes, 20);
  assert_int_equal(r.excl[0], 1200);
  assert_int_equal(r.excess[0], 0);
  fx_free(&f);
}

/* Maintenance excluded "up to 10 minutes per month": a 15-minute window
 * gives 10 excluded minutes and 5 minutes of downtime. */
static void test_cap_15_against_10(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 1, 0);
  f.caps[0] = 600;
  slac_time t0 = T(2025, 4, 8, 2, 0, 0);
  add_ok(&f.excluded[0], t0, t0 + 900);
  result r = fx_month(&f, M(2025, 4));
  assert_int_equal(r.d.unavailable_minutes, 5);
  assert_int_equal(r.d.excluded_minutes, 10);
  assert_int_equal(r.excl[0], 600);
  assert_int_equal(r.excess[0], 300);
  slac_spanset x;
  slac_spanset_init(&x);
  assert_int_equal(slac_downtime_exclusions(&f.in, M(2025, 4), &x), 0);
  assert_spans(&x, (const slac_time[]){t0, t0 + 600}, 1);
  slac_spanset_free(&x);
  fx_free(&f);
}

/* The minute sets of the html report: the cap case above (10 of 15
 * minutes excluded, 5 beyond the cap counted) and an outage of 30 s in
 * the minute after it.  Unavailable: minutes 10..14 and 16; excluded:
 * minutes 0..9; their sizes are the month's counts. */
static void test_minute_sets(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 1, 0);
  f.caps[0] = 600;
  slac_time t0 = T(2025, 4, 8, 2, 0, 0);
  add_ok(&f.excluded[0], t0, t0 + 900);
  add_ok(&f.in.counting, t0 + 960, t0 + 990);
  slac_spanset u, x;
  slac_spanset_init(&u);
  slac_spanset_init(&x);
  int64_t excl[1], excess[1];
  slac_month_downtime out = {0};
  out.cause_excluded_seconds = excl;
  out.cause_excess_seconds = excess;
  out.unavailable_set = &u;
  out.excluded_set = &x;
  slac_month m = M(2025, 4);
  assert_int_equal(slac_downtime_months(&f.in, &m, 1, &out), 0);
  slac_time m0 = t0 / 60;
  assert_spans(&u, (const slac_time[]){m0 + 10, m0 + 15, m0 + 16, m0 + 17}, 2);
  assert_spans(&x, (const slac_time[]){m0, m0 + 10}, 1);
  assert_int_equal(out.unavailable_minutes, slac_spanset_measure(&u));
  assert_int_equal(out.excluded_minutes, slac_spanset_measure(&x));
  assert_int_equal(slac_spanset_measure_within(&u, m0 + 14, m0 + 17), 2);
  slac_spanset_free(&u);
  slac_spanset_free(&x);
  fx_free(&f);
}

/* The cap is consumed in time order, restarts every month, and splits a
 * window that crosses the month edge. */
static void test_cap_time_order_and_per_month(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 1, 0);
  f.caps[0] = 600;
  slac_time a = T(2025, 1, 10, 2, 0, 0), b = T(2025, 1, 20, 3, 0, 0);
  add_ok(&f.excluded[0], b, b + 480); /* added out of order on purpose */
  add_ok(&f.excluded[0], a, a + 480);
  add_ok(&f.excluded[0], T(2025, 1, 31, 23, 55, 0), T(2025, 2, 1, 0, 12, 0));
  add_ok(&f.excluded[0], T(2025, 3, 5, 1, 0, 0), T(2025, 3, 5, 1, 15, 0));
  result r[3];
  slac_month ms[3] = {M(2025, 1), M(2025, 2), M(2025, 3)};
  assert_int_equal(fx_run(&f, ms, 3, r), 0);
  /* January: 8 + 8 + 5 minutes; the cap is gone 2 minutes into B. */
  assert_int_equal(r[0].excl[0], 600);
  assert_int_equal(r[0].excess[0], (6 + 5) * 60);
  assert_int_equal(r[0].d.unavailable_minutes, 11);
  assert_int_equal(r[0].d.excluded_minutes, 10);
  slac_spanset x;
  slac_spanset_init(&x);
  assert_int_equal(slac_downtime_exclusions(&f.in, M(2025, 1), &x), 0);
  assert_spans(&x, (const slac_time[]){a, a + 480, b, b + 120}, 2);
  /* February: the 12 minutes after midnight, 10 excluded, 2 excess. */
  assert_int_equal(r[1].excl[0], 600);
  assert_int_equal(r[1].excess[0], 120);
  assert_int_equal(r[1].d.unavailable_minutes, 2);
  assert_int_equal(r[1].d.excluded_minutes, 10);
  /* March: a fresh cap. */
  assert_int_equal(r[2].excl[0], 600);
  assert_int_equal(r[2].excess[0], 300);
  assert_int_equal(r[2].d.unavailable_minutes, 5);
  slac_spanset_free(&x);
  fx_free(&f);
}

/* Cap 0 excludes nothing; a cap beyond the data excludes all of it; the
 * excess of a capped cause is still covered by an uncapped exclusion. */
static void test_cap_edges(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 3, 0);
  slac_time t0 = T(2024, 2, 29, 12, 0, 0);
  f.caps[0] = 0;
  add_ok(&f.excluded[0], t0, t0 + 120);
  f.caps[1] = INT64_C(1) << 40;
  add_ok(&f.excluded[1], t0 + 3600, t0 + 3600 + 120);
  f.caps[2] = -1;
  add_ok(&f.excluded[2], t0 + 60, t0 + 90); /* inside cause 0's excess */
  result r = fx_month(&f, M(2024, 2));
  assert_int_equal(r.excl[0], 0);
  assert_int_equal(r.excess[0], 120);
  assert_int_equal(r.excl[1], 120);
  assert_int_equal(r.excess[1], 0);
  assert_int_equal(r.excl[2], 30);
  assert_int_equal(r.excess[2], 0);
  /* Downtime: [t0, t0+60) and [t0+90, t0+120): minutes 12:00 and 12:01. */
  assert_int_equal(r.d.unavailable_minutes, 2);
  /* Applied: [t0+60, t0+90) touches 12:01, which is unavailable; and
   * cause 1's two minutes at 13:00. */
  assert_int_equal(r.d.excluded_minutes, 2);
  fx_free(&f);
}

/* 10:00:45 .. 10:01:15 touches two clock minutes. */
/* A cap per calendar quarter (or year) is consumed across the months of
 * the period, in time order, whichever months are asked for; a new
 * period starts afresh; a quarter's months are evaluated alone the same
 * as together. */
static void test_cap_per_quarter(void **state) {
  (void)state;
  fixture f;
  int months[4] = {3, 3, 3, 3};
  fx_init(&f, 1, 0);
  f.in.cap_months = months;
  f.caps[0] = 4 * 3600;
  add_ok(&f.excluded[0], T(2027, 1, 5, 0, 0, 0), T(2027, 1, 5, 3, 0, 0));  /* 3 h */
  add_ok(&f.excluded[0], T(2027, 2, 5, 0, 0, 0), T(2027, 2, 5, 2, 0, 0));  /* 2 h */
  add_ok(&f.excluded[0], T(2027, 3, 5, 0, 0, 0), T(2027, 3, 5, 1, 0, 0));  /* 1 h */
  add_ok(&f.excluded[0], T(2027, 4, 5, 0, 0, 0), T(2027, 4, 5, 2, 0, 0));  /* a new quarter */
  result r[4];
  slac_month ms[4] = {M(2027, 1), M(2027, 2), M(2027, 3), M(2027, 4)};
  assert_int_equal(fx_run(&f, ms, 4, r), 0);
  assert_int_equal(r[0].excl[0], 3 * 3600);
  assert_int_equal(r[0].excess[0], 0);
  assert_int_equal(r[1].excl[0], 3600);
  assert_int_equal(r[1].excess[0], 3600);
  assert_int_equal(r[1].d.unavailable_minutes, 60);
  assert_int_equal(r[2].excl[0], 0);
  assert_int_equal(r[2].excess[0], 3600);
  assert_int_equal(r[2].d.unavailable_minutes, 60);
  assert_int_equal(r[3].excl[0], 2 * 3600);
  assert_int_equal(r[3].d.unavailable_minutes, 0);
  /* March alone: January and February still used the cap */
  result one = fx_month(&f, M(2027, 3));
  assert_int_equal(one.excl[0], 0);
  assert_int_equal(one.d.unavailable_minutes, 60);
  /* the window metric's exclusions of February: its first hour */
  slac_spanset x;
  slac_spanset_init(&x);
  assert_int_equal(slac_downtime_exclusions(&f.in, M(2027, 2), &x), 0);
  assert_spans(&x, (const slac_time[]){T(2027, 2, 5, 0, 0, 0), T(2027, 2, 5, 1, 0, 0)}, 1);
  slac_spanset_free(&x);
  /* per calendar year: April is in 2027's year, where 6 h were used of 8 */
  months[0] = 12;
  f.caps[0] = 8 * 3600;
  one = fx_month(&f, M(2027, 4));
  assert_int_equal(one.excl[0], 2 * 3600);
  assert_int_equal(one.excess[0], 0);
  f.caps[0] = 7 * 3600;
  one = fx_month(&f, M(2027, 4));
  assert_int_equal(one.excl[0], 3600);
  assert_int_equal(one.excess[0], 3600);
  fx_free(&f);
}

/* Time of a cause not announced in time counts as downtime (it is in the
 * counting set); LATE reports it, less what an applied exclusion covers. */
static void test_late_seconds(void **state) {
  (void)state;
  fixture f;
  slac_spanset late[2];
  fx_init(&f, 2, 0);
  slac_spanset_init(&late[0]);
  slac_spanset_init(&late[1]);
  f.in.late = late;
  f.in.nlate = 2;
  slac_time t = T(2027, 3, 10, 0, 0, 0);
  /* cause 1 late: an hour, also downtime; cause 0 excludes its last 20 min */
  add_ok(&late[1], t, t + 3600);
  add_ok(&f.in.counting, t, t + 3600);
  add_ok(&f.excluded[0], t + 2400, t + 3600);
  slac_month_downtime out;
  int64_t excl[2], excess[2], lt[2] = {-1, -1};
  out.cause_excluded_seconds = excl;
  out.cause_excess_seconds = excess;
  out.cause_late_seconds = lt;
  out.unavailable_set = out.excluded_set = NULL;
  slac_month m = M(2027, 3);
  assert_int_equal(slac_downtime_months(&f.in, &m, 1, &out), 0);
  assert_int_equal(out.unavailable_minutes, 40);
  assert_int_equal(lt[0], 0);
  assert_int_equal(lt[1], 2400);
  assert_int_equal(excl[0], 1200);
  /* another month sees none of it */
  m = M(2027, 4);
  assert_int_equal(slac_downtime_months(&f.in, &m, 1, &out), 0);
  assert_int_equal(lt[1], 0);
  slac_spanset_free(&late[0]);
  slac_spanset_free(&late[1]);
  fx_free(&f);
}

static void test_30_seconds_two_minutes(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 0, 0);
  add_ok(&f.in.counting, T(2025, 8, 1, 10, 0, 45), T(2025, 8, 1, 10, 1, 15));
  result r = fx_month(&f, M(2025, 8));
  assert_int_equal(r.d.unavailable_minutes, 2);
  fx_free(&f);
  /* One second exactly at the start of a minute is one minute. */
  fx_init(&f, 0, 0);
  add_ok(&f.in.counting, T(2025, 8, 1, 10, 1, 0), T(2025, 8, 1, 10, 1, 1));
  r = fx_month(&f, M(2025, 8));
  assert_int_equal(r.d.unavailable_minutes, 1);
  fx_free(&f);
}

/* Runs are measured across month edges, even when only one of the months
 * is requested. */
static void test_run_rule_across_month_edge(void **state) {
  (void)state;
  fixture f;
  slac_month jan = M(2025, 1), feb = M(2025, 2);
  for (int64_t min_run = 0; min_run <= 8; min_run++) {
    fx_init(&f, 0, min_run);
    add_ok(&f.in.counting, T(2025, 1, 31, 23, 57, 0), T(2025, 2, 1, 0, 3, 0));
    add_ok(&f.in.counting, T(2025, 1, 15, 8, 0, 0), T(2025, 1, 15, 8, 4, 0)); /* 4 */
    add_ok(&f.in.counting, T(2025, 2, 15, 8, 0, 0), T(2025, 2, 15, 8, 5, 0)); /* 5 */
    int64_t edge = min_run <= 6 ? 3 : 0;
    int64_t four = min_run <= 4 ? 4 : 0, five = min_run <= 5 ? 5 : 0;
    result r[2];
    slac_month both[2] = {jan, feb};
    assert_int_equal(fx_run(&f, both, 2, r), 0);
    assert_int_equal(r[0].d.unavailable_minutes, edge + four);
    assert_int_equal(r[1].d.unavailable_minutes, edge + five);
    assert_int_equal(fx_month(&f, jan).d.unavailable_minutes, edge + four);
    assert_int_equal(fx_month(&f, feb).d.unavailable_minutes, edge + five);
    fx_free(&f);
  }
}

/* A run through a whole month: its length is the sum over three months,
 * found even when the middle month is not requested. */
static void test_run_rule_through_full_month(void **state) {
  (void)state;
  fixture f;
  slac_month jan = M(2025, 1), feb = M(2025, 2), mar = M(2025, 3);
  int64_t total = 60 + 40320 + 30;
  int64_t cases[3] = {total, total + 1, 0};
  for (int i = 0; i < 3; i++) {
    fx_init(&f, 0, cases[i]);
    add_ok(&f.in.counting, T(2025, 1, 31, 23, 0, 0), T(2025, 3, 1, 0, 30, 0));
    bool kept = cases[i] <= total;
    result r[2];
    slac_month ends[2] = {jan, mar};
    assert_int_equal(fx_run(&f, ends, 2, r), 0);
    assert_int_equal(r[0].d.unavailable_minutes, kept ? 60 : 0);
    assert_int_equal(r[1].d.unavailable_minutes, kept ? 30 : 0);
    assert_int_equal(fx_month(&f, feb).d.unavailable_minutes, kept ? 40320 : 0);
    assert_int_equal(fx_month(&f, mar).d.unavailable_minutes, kept ? 30 : 0);
    fx_free(&f);
  }
  /* An exclusion cutting the month edge breaks the run into two. */
  fx_init(&f, 1, 5);
  add_ok(&f.in.counting, T(2025, 1, 31, 23, 57, 0), T(2025, 2, 1, 0, 3, 0));
  add_ok(&f.excluded[0], T(2025, 1, 31, 23, 59, 30), T(2025, 2, 1, 0, 0, 0));
  result r = fx_month(&f, feb);
  assert_int_equal(r.d.unavailable_minutes, 3); /* 23:57..00:03 still 6 minutes */
  fx_free(&f);
  fx_init(&f, 1, 5);
  add_ok(&f.in.counting, T(2025, 1, 31, 23, 57, 0), T(2025, 2, 1, 0, 3, 0));
  add_ok(&f.excluded[0], T(2025, 1, 31, 23, 59, 0), T(2025, 2, 1, 0, 0, 0));
  r = fx_month(&f, feb);
  assert_int_equal(r.d.unavailable_minutes, 0); /* runs of 2 and 3 */
  assert_int_equal(fx_month(&f, jan).d.excluded_minutes, 1);
  fx_free(&f);
}

/* Runs at both edges of a month that is not wholly unavailable stay two
 * separate runs: Jan tail 2 + Feb head 2 = 4, Feb tail 2 + Mar head 2 = 4. */
static void test_run_rule_both_edges(void **state) {
  (void)state;
  fixture f;
  for (int64_t min_run = 4; min_run <= 5; min_run++) {
    fx_init(&f, 0, min_run);
    add_ok(&f.in.counting, T(2025, 1, 31, 23, 58, 0), T(2025, 2, 1, 0, 2, 0));
    add_ok(&f.in.counting, T(2025, 2, 28, 23, 58, 0), T(2025, 3, 1, 0, 2, 0));
    int64_t want = min_run <= 4 ? 2 : 0;
    slac_month ms[3] = {M(2025, 1), M(2025, 2), M(2025, 3)};
    result r[3];
    assert_int_equal(fx_run(&f, ms, 3, r), 0);
    assert_int_equal(r[0].d.unavailable_minutes, want);
    assert_int_equal(r[1].d.unavailable_minutes, 2 * want);
    assert_int_equal(r[2].d.unavailable_minutes, want);
    assert_int_equal(fx_month(&f, M(2025, 3)).d.unavailable_minutes, want);
    assert_int_equal(fx_month(&f, M(2025, 1)).d.unavailable_minutes, want);
    fx_free(&f);
  }
  /* February holds one run, at its start only: the walk from January must
   * stop there and not add March's head. */
  fx_init(&f, 0, 5);
  add_ok(&f.in.counting, T(2025, 1, 31, 23, 58, 0), T(2025, 2, 1, 0, 2, 0));
  add_ok(&f.in.counting, T(2025, 3, 1, 0, 0, 0), T(2025, 3, 1, 0, 2, 0));
  assert_int_equal(fx_month(&f, M(2025, 1)).d.unavailable_minutes, 0);
  assert_int_equal(fx_month(&f, M(2025, 3)).d.unavailable_minutes, 0);
  fx_free(&f);
}

/* excluded_minutes: minutes touched by an applied exclusion that are not
 * unavailable after the run rule. */
static void test_excluded_minutes_definition(void **state) {
  (void)state;
  fixture f;
  for (int64_t min_run = 0; min_run <= 3; min_run++) {
    fx_init(&f, 1, min_run);
    /* Exclusion touches 10:00, 10:01 and 10:02; downtime touches 10:02
     * (from 10:02:30) and 10:03. */
    add_ok(&f.excluded[0], T(2025, 9, 9, 10, 0, 30), T(2025, 9, 9, 10, 2, 30));
    add_ok(&f.in.counting, T(2025, 9, 9, 10, 2, 0), T(2025, 9, 9, 10, 3, 30));
    result r = fx_month(&f, M(2025, 9));
    assert_int_equal(r.excl[0], 120);
    if (min_run <= 2) {
      assert_int_equal(r.d.unavailable_minutes, 2);
      assert_int_equal(r.d.excluded_minutes, 2); /* 10:02 is unavailable */
    } else {
      /* The 2-minute run is dropped, so 10:02 counts as excluded again. */
      assert_int_equal(r.d.unavailable_minutes, 0);
      assert_int_equal(r.d.excluded_minutes, 3);
    }
    fx_free(&f);
  }
  /* An exclusion with no outage at all still gives excluded minutes. */
  fx_init(&f, 2, 0);
  add_ok(&f.excluded[0], T(2025, 9, 1, 0, 0, 0), T(2025, 9, 1, 1, 0, 0));
  add_ok(&f.excluded[1], T(2025, 9, 1, 0, 30, 0), T(2025, 9, 1, 1, 30, 0));
  result r = fx_month(&f, M(2025, 9));
  assert_int_equal(r.d.excluded_minutes, 90); /* overlaps count once */
  assert_int_equal(r.d.unavailable_minutes, 0);
  assert_int_equal(r.excl[0], 3600);
  assert_int_equal(r.excl[1], 3600);
  fx_free(&f);
}

static void test_months_without_data(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 2, 5);
  f.caps[0] = 60;
  result r[3];
  slac_month ms[3] = {M(1, 1), M(2025, 2), M(9999, 12)};
  assert_int_equal(fx_run(&f, ms, 3, r), 0);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(r[i].d.unavailable_minutes, 0);
    assert_int_equal(r[i].d.excluded_minutes, 0);
    assert_int_equal(r[i].excl[0], 0);
    assert_int_equal(r[i].excess[0], 0);
    assert_int_equal(r[i].excl[1], 0);
    assert_int_equal(r[i].excess[1], 0);
  }
  assert_int_equal(slac_downtime_months(&f.in, ms, 0, NULL), 0);
  fx_free(&f);
  /* The first and last months of the accepted years, with runs that touch
   * the ends of the calendar. */
  fx_init(&f, 0, 3);
  add_ok(&f.in.counting, T(1, 1, 1, 0, 0, 0), T(1, 1, 1, 0, 2, 0));
  add_ok(&f.in.counting, T(9999, 12, 31, 23, 57, 0), T(10000, 1, 1, 0, 0, 0));
  slac_month ends[2] = {M(1, 1), M(9999, 12)};
  assert_int_equal(fx_run(&f, ends, 2, r), 0);
  assert_int_equal(r[0].d.unavailable_minutes, 0);
  assert_int_equal(r[1].d.unavailable_minutes, 3);
  fx_free(&f);
}

/* A year of one-minute blips every 5 minutes (100,000 incidents, plus a
 * weekly capped maintenance): exact per-month counts, and fast. */
static void test_large_input(void **state) {
  (void)state;
  enum { N = 100000 };
  fixture f;
  fx_init(&f, 1, 0);
  f.caps[0] = 1800;
  slac_time t0 = T(2025, 1, 1, 0, 0, 0);
  for (slac_time k = 0; k < N; k++) /* not add_ok: no O(n) check per add */
    assert_int_equal(slac_spanset_add(&f.in.counting, t0 + k * 300 + 10, t0 + k * 300 + 40), 0);
  check_invariant(&f.in.counting);
  assert_int_equal(f.in.counting.n, N);
  /* Maintenance every Monday 00:00-00:20 (2025-01-06 is a Monday) covers
   * 4 blips.  The cap of 30 minutes a month excludes the first window and
   * half of the second; the other 20 * W - 30 minutes of the month's W
   * windows are excess, i.e. downtime, and hold the other 4 * W - 6 blips. */
  for (slac_time w = 0; w < 52; w++)
    add_ok(&f.excluded[0], T(2025, 1, 6, 0, 0, 0) + w * 7 * 86400,
           T(2025, 1, 6, 0, 20, 0) + w * 7 * 86400);
  slac_month ms[8];
  result r[8];
  for (int i = 0; i < 8; i++)
    ms[i] = M(2025, 1 + i);
  assert_int_equal(fx_run(&f, ms, 8, r), 0);
  int days[8] = {31, 28, 31, 30, 31, 30, 31, 31}, mondays[8] = {4, 4, 5, 4, 4, 5, 4, 4};
  for (int i = 0; i < 8; i++) {
    int64_t w = mondays[i];
    assert_int_equal(r[i].d.unavailable_minutes, days[i] * 288 - 4 * w + (20 * w - 30));
    assert_int_equal(r[i].d.excluded_minutes, 30);
    assert_int_equal(r[i].excl[0], 1800);
    assert_int_equal(r[i].excess[0], w * 1200 - 1800);
  }
  fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* Out of memory: make the Nth allocation fail, for every N, and check   */
/* the result, the unchanged state and (under ASan) the absence of leaks. */

static bool same_set(const slac_spanset *a, const slac_spanset *b) {
  if (a->n != b->n)
    return false;
  for (size_t i = 0; i < a->n; i++)
    if (slac_spanset_at(a, i).start != slac_spanset_at(b, i).start ||
        slac_spanset_at(a, i).end != slac_spanset_at(b, i).end)
      return false;
  return true;
}

static void copy_set(const slac_spanset *a, slac_spanset *out) {
  slac_spanset_init(out);
  assert_int_equal(slac_spanset_unite(out, a), 0);
}

static void test_oom_spanset(void **state) {
  (void)state;
  slac_spanset a, b, o, before;
  slac_spanset_init(&a);
  slac_spanset_init(&b);
  /* Growth on either side, one at a time. */
  long failures = 0;
  for (int i = 0; i < 200; i++) {
    slac_time x = (i % 2) ? 10000 + i * 10 : 10000 - i * 10;
    for (long n = 0;; n++) {
      copy_set(&a, &before);
      slac_intervals_fail_alloc_after(n);
      int rc = slac_spanset_add(&a, x, x + 5);
      slac_intervals_fail_alloc_after(-1);
      if (rc == 0) {
        slac_spanset_free(&before);
        break;
      }
      assert_int_equal(rc, -1);
      assert_true(same_set(&a, &before)); /* S unchanged */
      failures++;
      slac_spanset_free(&before);
    }
  }
  assert_true(failures > 0);
  assert_int_equal(a.n, 200);
  /* Turning wide needs a new block: when it cannot have one, the set is
   * unchanged and still narrow. */
  copy_set(&a, &before);
  for (int way = 0; way < 2; way++) {
    slac_intervals_fail_alloc_after(0);
    int rc = way ? slac_spanset_add(&a, -50, -40) : slac_spanset_add(&a, 12000, (slac_time)UINT32_MAX + 1);
    slac_intervals_fail_alloc_after(-1);
    assert_int_equal(rc, -1);
    assert_int_equal(a.wide, 0);
    assert_true(same_set(&a, &before));
  }
  slac_spanset_free(&before);
  for (int i = 0; i < 50; i++)
    add_ok(&b, i * 40 + 9990, i * 40 + 10010);
  slac_span bulk[3] = {{5, 9}, {1, 3}, {2, 4}};
  for (int op = 0; op < 3; op++) {
    for (long n = 0;; n++) {
      slac_spanset_init(&o);
      add_ok(&o, 1, 2);
      copy_set(&a, &before);
      slac_intervals_fail_alloc_after(n);
      int rc = op == 0 ? slac_spanset_subtract(&a, &b, &o)
             : op == 1 ? slac_spanset_clip(&a, 9000, 11000, &o)
                       : slac_spanset_add_many(&o, bulk, 3);
      slac_intervals_fail_alloc_after(-1);
      assert_true(same_set(&a, &before));
      slac_spanset_free(&before);
      if (rc == 0) {
        check_invariant(&o);
        slac_spanset_free(&o);
        break;
      }
      assert_int_equal(rc, -1);
      assert_spans(&o, (const slac_time[]){1, 2}, 1); /* OUT unchanged */
      slac_spanset_free(&o);
    }
  }
  slac_spanset_free(&a);
  slac_spanset_free(&b);
}

static void test_oom_downtime(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, 3, 4);
  f.caps[0] = 600;
  f.caps[2] = 30;
  for (int i = 0; i < 40; i++) {
    slac_time t = T(2025, 1, 31, 20, 0, 0) + i * 600;
    add_ok(&f.in.counting, t, t + 200 + i);
    add_ok(&f.excluded[0], t + 100, t + 300);
    add_ok(&f.excluded[1], t + 250, t + 260);
    add_ok(&f.excluded[2], t + 20, t + 50);
  }
  slac_month ms[3] = {M(2025, 1), M(2025, 2), M(2025, 4)};
  result want[3], got[3];
  assert_int_equal(fx_run(&f, ms, 3, want), 0);
  long failures = 0;
  for (long n = 0;; n++) {
    slac_intervals_fail_alloc_after(n);
    int rc = fx_run(&f, ms, 3, got);
    slac_intervals_fail_alloc_after(-1);
    if (rc == 0)
      break;
    assert_int_equal(rc, -1);
    failures++;
  }
  assert_true(failures > 0);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(got[i].d.unavailable_minutes, want[i].d.unavailable_minutes);
    assert_int_equal(got[i].d.excluded_minutes, want[i].d.excluded_minutes);
    assert_memory_equal(got[i].excl, want[i].excl, sizeof got[i].excl[0] * 3);
    assert_memory_equal(got[i].excess, want[i].excess, sizeof got[i].excess[0] * 3);
  }
  slac_spanset x, keep;
  slac_spanset_init(&x);
  add_ok(&x, 7, 8);
  for (long n = 0;; n++) {
    slac_intervals_fail_alloc_after(n);
    int rc = slac_downtime_exclusions(&f.in, M(2025, 2), &x);
    slac_intervals_fail_alloc_after(-1);
    if (rc == 0)
      break;
    assert_spans(&x, (const slac_time[]){7, 8}, 1);
  }
  assert_true(x.n > 0);
  copy_set(&x, &keep);
  assert_int_equal(slac_downtime_exclusions(&f.in, M(2025, 2), &x), 0);
  assert_true(same_set(&x, &keep));
  slac_spanset_free(&keep);
  slac_spanset_free(&x);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spanset_add_merges),
      cmocka_unit_test(test_spanset_add_merge_sides),
      cmocka_unit_test(test_spanset_huge_ranges),
      cmocka_unit_test(test_spanset_overlaps),
      cmocka_unit_test(test_spanset_subtract),
      cmocka_unit_test(test_spanset_clip),
      cmocka_unit_test(test_spanset_reverse_100k),
      cmocka_unit_test(test_spanset_add_many),
      cmocka_unit_test(test_spanset_narrow_and_wide),
      cmocka_unit_test(test_spanset_across_the_narrow_edge),
      cmocka_unit_test(test_spanset_out_of_order_not_quadratic),
      cmocka_unit_test(test_432_minutes_in_30_day_month),
      cmocka_unit_test(test_incident_split_at_month_edge),
      cmocka_unit_test(test_incident_across_epoch),
      cmocka_unit_test(test_overlapping_incidents_count_once),
      cmocka_unit_test(test_exclusion_inside_outage),
      cmocka_unit_test(test_cap_15_against_10),
    cmocka_unit_test(test_minute_sets),
      cmocka_unit_test(test_cap_time_order_and_per_month),
      cmocka_unit_test(test_cap_edges),
      cmocka_unit_test(test_cap_per_quarter),
      cmocka_unit_test(test_late_seconds),
      cmocka_unit_test(test_30_seconds_two_minutes),
      cmocka_unit_test(test_run_rule_across_month_edge),
      cmocka_unit_test(test_run_rule_through_full_month),
      cmocka_unit_test(test_run_rule_both_edges),
      cmocka_unit_test(test_excluded_minutes_definition),
      cmocka_unit_test(test_months_without_data),
      cmocka_unit_test(test_large_input),
      cmocka_unit_test(test_oom_spanset),
      cmocka_unit_test(test_oom_downtime),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
