/* test_intervals_property.c - randomized property tests of
 * runtime/data/intervals.c against an independent brute-force model.
 *
 * The model knows nothing of spans: it keeps one flag per second and one per
 * minute of a window, walks the seconds in time order consuming each capped
 * cause's monthly allowance, marks minutes, and drops short runs by scanning.
 * Windows are a few hours around a month edge (cheap per second), plus a few
 * cases over two or three whole months with coarse endpoints.  Fixed seeds:
 * every run tests the same cases, and a failure names its case number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/data/intervals.h"
#include "support.h"

enum { MAXC = 3, MAXSPANS = 40, MAXMONTHS = 6 };

/* ------------------------------------------------------------------ */
/* Deterministic generator (splitmix64).                                */

static uint64_t rng;
static uint64_t rnd(void) { return test_splitmix64(&rng); }
static int64_t below(int64_t n) { return (int64_t)(rnd() % (uint64_t)n); }
static int64_t between(int64_t lo, int64_t hi) { return lo + below(hi - lo + 1); } /* inclusive */

/* ------------------------------------------------------------------ */
/* A generated case.                                                    */

typedef struct {
  slac_time w0, w1;  /* the window: all data lies in [w0, w1); minute aligned */
  slac_time edge;    /* a month edge inside the window, used by generation */
  int coarse;        /* endpoints mostly multiples of this many seconds */
  size_t ncount, nexcl[MAXC], nc;
  slac_span count[MAXSPANS], excl[MAXC][MAXSPANS];
  int64_t caps[MAXC];
  int64_t min_run;
} gen_case;

/* A time in the window, chosen to provoke edge cases: arbitrary seconds,
 * minute-aligned ones, the month edge and its neighbours, and endpoints
 * already used (touching and shared boundaries). */
static slac_time pick_time(const gen_case *g, const slac_span *used, size_t nused) {
  int64_t r = below(12);
  slac_time t;
  if (r < 4)
    t = g->w0 + below(g->w1 - g->w0);
  else if (r < 7)
    t = g->w0 + below((g->w1 - g->w0) / g->coarse) * g->coarse;
  else if (r < 9)
    t = g->edge + between(-2, 2) * (below(2) ? 1 : 60);
  else if (nused)
    t = below(2) ? used[below((int64_t)nused)].start : used[below((int64_t)nused)].end;
  else
    t = g->w0 + below(g->w1 - g->w0);
  if (t < g->w0)
    t = g->w0;
  if (t > g->w1)
    t = g->w1;
  return t;
}

/* One span (possibly empty or reversed: the interface must ignore those). */
static slac_span pick_span(const gen_case *g, const slac_span *used, size_t nused) {
  slac_span s;
  int64_t r = below(10);
  if (r < 2 && nused) { /* nested inside, or equal to, an earlier span */
    slac_span o = used[below((int64_t)nused)];
    if (o.end > o.start) {
      s.start = o.start + below(o.end - o.start);
      s.end = s.start + between(0, o.end - s.start);
      return s;
    }
  }
  s.start = pick_time(g, used, nused);
  if (r < 5)
    s.end = s.start + between(1, 3 * (int64_t)g->coarse);
  else if (r < 7)
    s.end = s.start + between(1, 40) * 60;
  else if (r < 9)
    s.end = pick_time(g, used, nused); /* may be before START: empty */
  else
    s.end = s.start + below((g->w1 - g->w0) / 2 + 1);
  if (s.end > g->w1)
    s.end = g->w1;
  return s;
}

static int64_t pick_cap(const gen_case *g) {
  int64_t r = below(20);
  if (r < 6)
    return -1;
  if (r < 8)
    return 0;
  if (r < 11)
    return between(1, 120);
  if (r < 15)
    return between(1, 3600);
  if (r < 17)
    return between(1, 30) * 60;
  if (r < 18)
    return between(1, (g->w1 - g->w0) / 60) * 60;
  return INT64_C(1) << between(20, 45); /* beyond any data */
}

static void gen_spans(gen_case *g, slac_span *out, size_t *n, size_t max) {
  /* Spans of all sets are drawn against everything made so far, so causes
   * and outages share endpoints, nest and touch each other. */
  *n = (size_t)below((int64_t)max + 1);
  for (size_t i = 0; i < *n; i++) {
    slac_span pool[MAXSPANS * (MAXC + 1)];
    size_t np = 0;
    for (size_t k = 0; k < g->ncount && np < MAXSPANS * (MAXC + 1); k++)
      pool[np++] = g->count[k];
    for (size_t c = 0; c < g->nc; c++)
      for (size_t k = 0; k < g->nexcl[c]; k++)
        pool[np++] = g->excl[c][k];
    for (size_t k = 0; k < i; k++)
      pool[np++] = out[k];
    out[i] = pick_span(g, pool, np);
  }
}

static void gen_sets(gen_case *g, size_t maxcount, size_t maxexcl) {
  g->ncount = 0;
  g->nc = (size_t)below(MAXC + 1);
  for (size_t c = 0; c < MAXC; c++)
    g->nexcl[c] = 0;
  gen_spans(g, g->count, &g->ncount, maxcount);
  for (size_t c = 0; c < g->nc; c++) {
    gen_spans(g, g->excl[c], &g->nexcl[c], maxexcl);
    g->caps[c] = pick_cap(g);
  }
  g->min_run = below(7);
}

/* ------------------------------------------------------------------ */
/* The brute-force model.                                               */

typedef struct {
  slac_month first;            /* month of w0 */
  size_t nmonths;              /* months the window touches */
  int64_t unavailable[MAXMONTHS], excluded[MAXMONTHS];
  int64_t excl_secs[MAXMONTHS][MAXC], excess_secs[MAXMONTHS][MAXC];
  int64_t applied_secs[MAXMONTHS]; /* seconds in an applied exclusion */
  unsigned char *applied;      /* per second: inside an applied exclusion */
} model;

static void model_run(const gen_case *g, model *m) {
  int64_t n = g->w1 - g->w0, nmin = n / 60;
  unsigned char *flags = calloc((size_t)n, 1); /* bit 0 counting, bit c+1 cause c */
  unsigned char *unav = calloc((size_t)nmin, 1), *touched = calloc((size_t)nmin, 1);
  m->applied = calloc((size_t)n, 1);
  assert_non_null(flags);
  assert_non_null(unav);
  assert_non_null(touched);
  assert_non_null(m->applied);
  for (size_t i = 0; i < g->ncount; i++)
    for (slac_time t = g->count[i].start; t < g->count[i].end; t++)
      flags[t - g->w0] |= 1;
  for (size_t c = 0; c < g->nc; c++)
    for (size_t i = 0; i < g->nexcl[c]; i++)
      for (slac_time t = g->excl[c][i].start; t < g->excl[c][i].end; t++)
        flags[t - g->w0] |= (unsigned char)(2u << c);

  memset(m->unavailable, 0, sizeof m->unavailable);
  memset(m->excluded, 0, sizeof m->excluded);
  memset(m->excl_secs, 0, sizeof m->excl_secs);
  memset(m->excess_secs, 0, sizeof m->excess_secs);
  memset(m->applied_secs, 0, sizeof m->applied_secs);
  m->first = slac_month_of(g->w0);
  m->nmonths = (size_t)(slac_month_of(g->w1 - 1) - m->first + 1);
  assert_true(m->nmonths <= MAXMONTHS);

  /* Seconds in time order; the month index steps at each month start and
   * each cause's allowance is then full again. */
  size_t k = 0;
  slac_time next_edge = slac_month_start(m->first + 1);
  int64_t used[MAXC] = {0};
  for (slac_time t = g->w0; t < g->w1; t++) {
    if (t == next_edge) {
      k++;
      next_edge = slac_month_start(m->first + (slac_month)k + 1);
      memset(used, 0, sizeof used);
    }
    unsigned f = flags[t - g->w0];
    if (f == 0)
      continue; /* nothing here (most seconds of the long windows) */
    bool applied = false, excess = false;
    for (size_t c = 0; c < g->nc; c++) {
      if (!(f & (2u << c)))
        continue;
      if (g->caps[c] < 0 || used[c] < g->caps[c]) {
        used[c]++;
        applied = true;
        m->excl_secs[k][c]++;
      } else {
        excess = true;
        m->excess_secs[k][c]++;
      }
    }
    m->applied[t - g->w0] = applied;
    m->applied_secs[k] += applied;
    bool down = ((f & 1) || excess) && !applied;
    int64_t mi = (t - g->w0) / 60;
    if (down)
      unav[mi] = 1;
    if (applied)
      touched[mi] = 1;
  }

  /* Run rule: maximal runs of unavailable minutes, across month edges. */
  if (g->min_run > 1) {
    for (int64_t i = 0; i < nmin;) {
      if (!unav[i]) {
        i++;
        continue;
      }
      int64_t j = i;
      while (j < nmin && unav[j])
        j++;
      if (j - i < g->min_run)
        memset(unav + i, 0, (size_t)(j - i));
      i = j;
    }
  }

  k = 0;
  next_edge = slac_month_start(m->first + 1);
  for (int64_t i = 0; i < nmin; i++) {
    slac_time t = g->w0 + i * 60;
    if (t == next_edge) {
      k++;
      next_edge = slac_month_start(m->first + (slac_month)k + 1);
    }
    m->unavailable[k] += unav[i];
    m->excluded[k] += touched[i] && !unav[i];
  }
  free(flags);
  free(unav);
  free(touched);
}

/* ------------------------------------------------------------------ */
/* Running the implementation and comparing.                            */

static void shuffle(slac_span *v, size_t n) {
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)below((int64_t)i);
    slac_span t = v[i - 1];
    v[i - 1] = v[j];
    v[j] = t;
  }
}

/* Build a set from SPANS in a random order, one by one or in bulk. */
static void build(slac_spanset *s, const slac_span *spans, size_t n) {
  slac_span tmp[MAXSPANS];
  memcpy(tmp, spans, n * sizeof *tmp);
  shuffle(tmp, n);
  slac_spanset_init(s);
  if (below(4) == 0) {
    assert_int_equal(slac_spanset_add_many(s, tmp, n), 0);
  } else {
    for (size_t i = 0; i < n; i++)
      assert_int_equal(slac_spanset_add(s, tmp[i].start, tmp[i].end), 0);
  }
}

static void describe(const gen_case *g, long id) {
  print_message("case %ld: window [%lld, %lld) edge %lld min_run %lld\n", id,
                (long long)g->w0, (long long)g->w1, (long long)g->edge, (long long)g->min_run);
  for (size_t i = 0; i < g->ncount; i++)
    print_message("  count [%+lld, %+lld)\n", (long long)(g->count[i].start - g->edge),
                  (long long)(g->count[i].end - g->edge));
  for (size_t c = 0; c < g->nc; c++) {
    print_message("  cause %zu cap %lld\n", c, (long long)g->caps[c]);
    for (size_t i = 0; i < g->nexcl[c]; i++)
      print_message("    [%+lld, %+lld)\n", (long long)(g->excl[c][i].start - g->edge),
                    (long long)(g->excl[c][i].end - g->edge));
  }
}

/* Compare every output field for a random increasing subset of the months
 * around the window (the subset need not be contiguous). */
static int check_case(const gen_case *g, long id) {
  model m;
  model_run(g, &m);

  slac_downtime_input in;
  memset(&in, 0, sizeof in); /* monthly caps, nothing announced late */
  slac_spanset excl[MAXC];
  build(&in.counting, g->count, g->ncount);
  for (size_t c = 0; c < g->nc; c++)
    build(&excl[c], g->excl[c], g->nexcl[c]);
  in.nexcluded = g->nc;
  in.excluded = g->nc ? excl : NULL;
  in.cap_seconds = g->caps;
  in.min_run_minutes = g->min_run;

  slac_month months[MAXMONTHS + 2];
  size_t nm = 0;
  do {
    nm = 0;
    for (slac_month mo = m.first - 1; mo <= m.first + (slac_month)m.nmonths; mo++)
      if (below(3))
        months[nm++] = mo;
  } while (nm == 0);

  slac_month_downtime out[MAXMONTHS + 2];
  int64_t es[MAXMONTHS + 2][MAXC], xs[MAXMONTHS + 2][MAXC];
  for (size_t i = 0; i < nm; i++) {
    memset(&out[i], 0x77, sizeof out[i]);
    memset(es[i], 0x77, sizeof es[i]);
    memset(xs[i], 0x77, sizeof xs[i]);
    out[i].cause_excluded_seconds = es[i];
    out[i].cause_excess_seconds = xs[i];
    out[i].cause_late_seconds = NULL;
    out[i].unavailable_set = out[i].excluded_set = NULL;
  }
  int bad = slac_downtime_months(&in, months, nm, out) != 0;

  slac_spanset applied;
  slac_spanset_init(&applied);
  for (size_t i = 0; i < nm && !bad; i++) {
    int64_t k = months[i] - m.first;
    bool inside = k >= 0 && k < (int64_t)m.nmonths;
    int64_t want_u = inside ? m.unavailable[k] : 0, want_x = inside ? m.excluded[k] : 0;
    if (out[i].unavailable_minutes != want_u || out[i].excluded_minutes != want_x) {
      print_message("month %d: unavailable %lld (want %lld), excluded %lld (want %lld)\n",
                    (int)months[i], (long long)out[i].unavailable_minutes, (long long)want_u,
                    (long long)out[i].excluded_minutes, (long long)want_x);
      bad = 1;
    }
    for (size_t c = 0; c < g->nc; c++) {
      int64_t we = inside ? m.excl_secs[k][c] : 0, wx = inside ? m.excess_secs[k][c] : 0;
      if (es[i][c] != we || xs[i][c] != wx) {
        print_message("month %d cause %zu: excluded %lld (want %lld), excess %lld (want %lld)\n",
                      (int)months[i], c, (long long)es[i][c], (long long)we,
                      (long long)xs[i][c], (long long)wx);
        bad = 1;
      }
    }
    /* The applied exclusions, second by second. */
    if (slac_downtime_exclusions(&in, months[i], &applied) != 0) {
      bad = 1;
      break;
    }
    slac_time ms = slac_month_start(months[i]), me = slac_month_start(months[i] + 1);
    int64_t want_n = inside ? m.applied_secs[k] : 0;
    if (slac_spanset_measure(&applied) != want_n) {
      print_message("month %d: applied exclusions %lld s (want %lld)\n", (int)months[i],
                    (long long)slac_spanset_measure(&applied), (long long)want_n);
      bad = 1;
    }
    for (size_t j = 0; j < applied.n && !bad; j++) {
      if (slac_spanset_at(&applied, j).start < ms || slac_spanset_at(&applied, j).end > me || slac_spanset_at(&applied, j).start < g->w0 ||
          slac_spanset_at(&applied, j).end > g->w1) {
        bad = 1;
        break;
      }
      for (slac_time t = slac_spanset_at(&applied, j).start; t < slac_spanset_at(&applied, j).end; t++)
        if (!m.applied[t - g->w0]) {
          print_message("month %d: second %+lld applied but should not be\n", (int)months[i],
                        (long long)(t - g->edge));
          bad = 1;
          break;
        }
    }
  }
  if (bad)
    describe(g, id);

  slac_spanset_free(&applied);
  slac_spanset_free(&in.counting);
  for (size_t c = 0; c < g->nc; c++)
    slac_spanset_free(&excl[c]);
  free(m.applied);
  return bad;
}

/* A month edge somewhere in 0001..9999, mostly near the present, with
 * February of leap and common years and the edges before the epoch. */
static slac_month pick_edge_month(void) {
  int64_t r = below(10);
  if (r < 6)
    return (slac_month)between(1960 * 12, 2100 * 12);
  if (r < 8) /* a March: the edge after a February */
    return (slac_month)(between(1896, 2104) * 12 + 2);
  return (slac_month)between(1 * 12 + 2, 9999 * 12 + 10);
}

/* ------------------------------------------------------------------ */
/* Tests.                                                               */

/* A few hours around a month edge, second-level endpoints. */
static void test_property_month_edge_windows(void **state) {
  (void)state;
  enum { CASES = 6000 };
  long failures = 0;
  for (long id = 0; id < CASES && failures < 3; id++) {
    rng = UINT64_C(0x51AC000000000000) + (uint64_t)id;
    gen_case g;
    memset(&g, 0, sizeof g);
    g.edge = slac_month_start(pick_edge_month());
    g.w0 = g.edge - between(1, 120) * 60;
    g.w1 = g.edge + between(1, 120) * 60;
    g.coarse = below(3) ? 60 : 1;
    gen_sets(&g, 8, 5);
    failures += check_case(&g, id);
  }
  assert_int_equal(failures, 0);
}

/* Tiny windows: a handful of minutes, so that runs, caps and exclusions
 * collide in almost every case. */
static void test_property_tiny_windows(void **state) {
  (void)state;
  enum { CASES = 4000 };
  long failures = 0;
  for (long id = 0; id < CASES && failures < 3; id++) {
    rng = UINT64_C(0x7111000000000000) + (uint64_t)id;
    gen_case g;
    memset(&g, 0, sizeof g);
    g.edge = slac_month_start(pick_edge_month());
    g.w0 = g.edge - between(1, 8) * 60;
    g.w1 = g.edge + between(1, 8) * 60;
    g.coarse = below(2) ? 60 : 15;
    gen_sets(&g, 6, 4);
    failures += check_case(&g, 100000 + id);
  }
  assert_int_equal(failures, 0);
}

/* Whole months with coarse endpoints: caps on long exclusions, runs that
 * last through an entire month, run thresholds around a month's length. */
static void test_property_whole_months(void **state) {
  (void)state;
  enum { CASES = 10 };
  long failures = 0;
  for (long id = 0; id < CASES && failures < 1; id++) {
    rng = UINT64_C(0xF011000000000000) + (uint64_t)id;
    gen_case g;
    memset(&g, 0, sizeof g);
    slac_month first = (slac_month)between(2019 * 12, 2026 * 12);
    int span = id < 7 ? 2 : 3;
    g.w0 = slac_month_start(first);
    g.w1 = slac_month_start(first + span);
    g.edge = slac_month_start(first + 1);
    g.coarse = id % 2 ? 3600 : 900;
    gen_sets(&g, 10, 4);
    if (id >= 7) {
      /* One outage through the whole middle month, and a threshold close
       * to its total length. */
      slac_time a = g.edge - between(1, 120) * 60, b = slac_month_start(first + 2) + between(1, 120) * 60;
      g.count[g.ncount].start = a;
      g.count[g.ncount++].end = b;
      g.min_run = (b - a) / 60 + between(-1, 1);
    } else if (below(2)) {
      g.min_run = between(2, 600);
    }
    for (size_t c = 0; c < g.nc; c++)
      if (g.caps[c] > 0 && below(2))
        g.caps[c] = between(1, 72) * 3600;
    failures += check_case(&g, 200000 + id);
  }
  assert_int_equal(failures, 0);
}

/* One whole month and a few hours of each neighbour: short runs at both
 * edges of the middle month (which must stay separate runs), the whole
 * month unavailable (one run through three months), and the whole month
 * but for a hole of a few seconds. */
static void test_property_both_edges_of_a_month(void **state) {
  (void)state;
  enum { CASES = 15 };
  long failures = 0;
  for (long id = 0; id < CASES && failures < 1; id++) {
    rng = UINT64_C(0xB07E000000000000) + (uint64_t)id;
    gen_case g;
    memset(&g, 0, sizeof g);
    slac_month mid = (slac_month)between(2019 * 12, 2026 * 12);
    slac_time e1 = slac_month_start(mid), e2 = slac_month_start(mid + 1);
    g.w0 = e1 - 3 * 3600;
    g.w1 = e2 + 3 * 3600;
    g.edge = below(2) ? e1 : e2;
    g.coarse = 60;
    if (below(2))
      gen_sets(&g, 3, 2);
    slac_time a = e1 - between(0, 4) * 60 - below(2) * between(1, 59);
    slac_time b = e2 + between(0, 4) * 60 + below(2) * between(1, 59);
    int kind = (int)(id % 3);
    if (kind == 0) { /* a run at each edge */
      g.count[g.ncount].start = a;
      g.count[g.ncount++].end = e1 + between(0, 4) * 60 + below(2) * between(1, 59);
      g.count[g.ncount].start = e2 - between(0, 4) * 60 - below(2) * between(1, 59);
      g.count[g.ncount++].end = b;
      g.min_run = between(2, 10);
    } else {
      g.count[g.ncount].start = a;
      g.count[g.ncount++].end = b;
      if (kind == 2) { /* a hole inside the month, in the counting spans */
        slac_time h = e1 + between(1, (e2 - e1) / 60 - 2) * 60 + below(60);
        g.count[g.ncount - 1].end = h;
        g.count[g.ncount].start = h + between(1, 90);
        g.count[g.ncount++].end = b;
      }
      int64_t total = (b - a + 59) / 60 + 1;
      g.min_run = below(3) ? total + between(-3, 1) : between(2, 10);
    }
    failures += check_case(&g, 300000 + id);
  }
  assert_int_equal(failures, 0);
}

/* Span set operations against per-second bitmaps. */
static void test_property_spanset_ops(void **state) {
  (void)state;
  enum { CASES = 3000, RANGE = 400 };
  for (long id = 0; id < CASES; id++) {
    rng = UINT64_C(0x5E70000000000000) + (uint64_t)id;
    slac_time base = below(2) ? -200 : between(-1000000, 1000000);
    unsigned char a[RANGE] = {0}, b[RANGE] = {0};
    slac_spanset sa, sb, o;
    slac_spanset_init(&sa);
    slac_spanset_init(&sb);
    slac_spanset_init(&o);
    int64_t n = below(30);
    for (int64_t i = 0; i < n; i++) {
      int64_t s = below(RANGE), e = s + below(below(2) ? 6 : 80) - 1;
      if (e > RANGE)
        e = RANGE;
      bool into_a = below(2);
      assert_int_equal(slac_spanset_add(into_a ? &sa : &sb, base + s, base + e), 0);
      for (int64_t t = s; t < e; t++)
        (into_a ? a : b)[t] = 1;
    }
    int64_t ma = 0, mb = 0;
    for (int t = 0; t < RANGE; t++) {
      ma += a[t];
      mb += b[t];
    }
    assert_int_equal(slac_spanset_measure(&sa), ma);
    assert_int_equal(slac_spanset_measure(&sb), mb);
    /* Canonical form: the spans are exactly the maximal runs of the bitmap. */
    size_t runs = 0;
    for (int t = 0; t < RANGE; t++)
      runs += a[t] && (t == 0 || !a[t - 1]);
    assert_int_equal(sa.n, runs);
    for (int q = 0; q < 20; q++) {
      int64_t lo = below(RANGE + 2) - 1, hi = below(RANGE + 2) - 1;
      bool want = false;
      for (int64_t t = lo < 0 ? 0 : lo; t < hi && t < RANGE; t++)
        want = want || a[t];
      assert_int_equal(slac_spanset_overlaps(&sa, base + lo, base + hi), want);
      assert_int_equal(slac_spanset_clip(&sa, base + lo, base + hi, &o), 0);
      int64_t mc = 0;
      for (int64_t t = lo < 0 ? 0 : lo; t < hi && t < RANGE; t++)
        mc += a[t];
      assert_int_equal(slac_spanset_measure(&o), mc);
    }
    assert_int_equal(slac_spanset_subtract(&sa, &sb, &o), 0);
    int64_t md = 0;
    for (int t = 0; t < RANGE; t++) {
      md += a[t] && !b[t];
      assert_int_equal(slac_spanset_overlaps(&o, base + t, base + t + 1), a[t] && !b[t]);
    }
    assert_int_equal(slac_spanset_measure(&o), md);
    for (size_t i = 1; i < o.n; i++)
      assert_true(slac_spanset_at(&o, i - 1).end < slac_spanset_at(&o, i).start);
    slac_spanset_free(&sa);
    slac_spanset_free(&sb);
    slac_spanset_free(&o);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_property_month_edge_windows),
      cmocka_unit_test(test_property_tiny_windows),
      cmocka_unit_test(test_property_whole_months),
      cmocka_unit_test(test_property_both_edges_of_a_month),
      cmocka_unit_test(test_property_spanset_ops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
