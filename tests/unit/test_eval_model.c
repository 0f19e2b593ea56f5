/* test_eval_model.c - randomized agreement test of slac_eval against an
 * independent model of the three shipped policies.
 *
 * For each policy, fixed seeds generate an accounts file and incidents
 * (overlapping, crossing month edges, counting, excluded and capped causes,
 * timestamps in several RFC 3339 spellings) or, for Piwik PRO, request
 * windows (with rates whose exact sum lands on the 1% threshold, just
 * above it, or needs the exact second pass) plus excluding incidents.
 * slac_eval runs on the real files (the policy compiled from its source
 * and loaded as bytecode, as the CLI does) and writes jsonl to memory;
 * every account and month of its output is compared with the model.
 *
 * The model knows nothing of spans or fixed point: all incidents of an
 * account lie in a few minute-aligned "zones" of a few hours, and the model
 * keeps one flag per second of those zones, walks them in time order
 * consuming Saleor's 10-minute maintenance allowance, marks minutes, and
 * decides tiers, minimums, eligibility and amounts with plain integers:
 * uptime thresholds by cross-multiplication, amounts in cents, window
 * error rates as integers over the common denominator 3,603,600 (every
 * generated rate has a denominator dividing it).  A failure names the
 * seed, the account and the month. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "runtime/eval/eval.h"
#include "support.h"

/* ------------------------------------------------------------------ */
/* Deterministic generator (splitmix64).                                */

static uint64_t rng;
static uint64_t rnd(void) { return test_splitmix64(&rng); }
static int64_t below(int64_t n) { return (int64_t)(rnd() % (uint64_t)n); }
static int64_t between(int64_t lo, int64_t hi) { return lo + below(hi - lo + 1); } /* inclusive */

/* ------------------------------------------------------------------ */
/* The calendar, written here again (H. Hinnant's civil algorithms).     */

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

/* The months the data lies in: November 2027 to February 2028 (30 and 31
 * days, a year edge and a leap February). */
enum { NM = 4, MAXW = 31 * 288 };
static const int month_y[NM] = {2027, 2027, 2028, 2028}, month_m[NM] = {11, 12, 1, 2};
static int64_t mstart[NM + 1]; /* first second of each month, and the end */

static void init_months(void) {
  for (int k = 0; k < NM; k++) mstart[k] = days_from_civil(month_y[k], month_m[k], 1) * 86400;
  mstart[NM] = days_from_civil(2028, 3, 1) * 86400;
}
static int month_of(int64_t t) {
  for (int k = 0; k < NM; k++)
    if (t < mstart[k + 1]) return k;
  return NM - 1;
}
static int64_t month_minutes(int k) { return (mstart[k + 1] - mstart[k]) / 60; }
static int64_t month_windows(int k) { return (mstart[k + 1] - mstart[k]) / 300; }

/* T in one of several RFC 3339 spellings of the same instant. */
static void write_time(FILE *f, int64_t t) {
  static const int offsets[] = {0, 0, 0, 120, -330, 14 * 60, -12 * 60, 0};
  int style = (int)below(8);
  int off = offsets[style];
  int64_t local = t + off * 60, days = local / 86400, sod = local % 86400;
  int64_t y, m, d;
  civil_from_days(days, &y, &m, &d);
  fprintf(f, "%04lld-%02lld-%02lld%c%02lld:%02lld:%02lld%s", (long long)y, (long long)m,
          (long long)d, style == 2 ? ' ' : 'T', (long long)(sod / 3600),
          (long long)(sod / 60 % 60), (long long)(sod % 60),
          style == 1 ? ".999999" : style == 7 ? ".5" : "");
  if (off == 0) fputs(style == 7 ? "+00:00" : "Z", f);
  else fprintf(f, "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
}

/* ------------------------------------------------------------------ */
/* The three policies, read from their agreements.                      */

typedef enum { C_COUNTS, C_EXCLUDED, C_CAPPED } cause_mode;
typedef struct {
  const char *name;
  cause_mode mode;
  int64_t cap; /* seconds per month, C_CAPPED */
} cause_def;
typedef enum { SALEOR, TAGOIO, PIWIK } policy_kind;

enum { MAXC = 16 };
static const cause_def saleor_causes[] = {
    {"outage", C_COUNTS, 0},        {"maintenance", C_CAPPED, 600}, {"suspension", C_EXCLUDED, 0},
    {"termination", C_EXCLUDED, 0}, {"aup_violation", C_EXCLUDED, 0}, {"customer", C_EXCLUDED, 0},
    {"third_party", C_EXCLUDED, 0}, {"force_majeure", C_EXCLUDED, 0}, {"beta", C_EXCLUDED, 0},
    {"over_quota", C_EXCLUDED, 0},  {"unauthorized", C_EXCLUDED, 0}};
static const cause_def tagoio_causes[] = {
    {"outage", C_COUNTS, 0},      {"suspension", C_EXCLUDED, 0},  {"force_majeure", C_EXCLUDED, 0},
    {"customer", C_EXCLUDED, 0},  {"third_party", C_EXCLUDED, 0}, {"maintenance", C_EXCLUDED, 0},
    {"over_limit", C_EXCLUDED, 0}};
static const cause_def piwik_causes[] = {
    {"outage", C_COUNTS, 0},        {"termination", C_EXCLUDED, 0}, {"force_majeure", C_EXCLUDED, 0},
    {"customer", C_EXCLUDED, 0},    {"third_party", C_EXCLUDED, 0}, {"suspension", C_EXCLUDED, 0}};

typedef struct {
  policy_kind kind;
  const char *file, *id, *service;
  const cause_def *causes;
  int ncauses;
} policy_def;

static const policy_def policies[] = {
    {SALEOR, "saleor.sla", "saleor", "covered", saleor_causes, 11},
    {TAGOIO, "tagoio.sla", "tagoio", "middleware", tagoio_causes, 7},
    {PIWIK, "piwik-pro.sla", "piwik_pro", "hosting", piwik_causes, 6}};

/* Every generated error rate is e/d with d dividing L. */
#define L_DEN INT64_C(3603600) /* 2^4 3^2 5^2 7 11 13 = lcm(1..16, 25, 100) */
static const int64_t denominators[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 25, 100,
                                       3603600};

/* ------------------------------------------------------------------ */
/* Generated data.                                                       */

typedef struct { int64_t s, e; } span;
typedef struct { int64_t s, e; int cause, zone; } incident;
typedef struct { int64_t idx, d, e, k; } window; /* requests d*k, errors e*k; d = 0: none */

enum { MAXZ = 4, MAXINC = 40 };
typedef struct {
  char name[64];
  /* accounts file */
  int64_t fee;                  /* cents: the sum of the rows */
  int64_t charge;               /* cents attributed to the policy's service */
  int currency;                 /* 0 USD, 1 EUR */
  const char *plan;
  int standing;                 /* 0 empty, 1 good, 2 overdue */
  /* data */
  span zones[MAXZ];
  int nzones;
  incident inc[MAXINC];
  int ninc;
  window *win[NM];
  int nwin[NM];
  /* the model's results per month */
  int64_t unavail[NM], exclmin[NM], csecs[NM][MAXC], xsecs[NM][MAXC], errn[NM];
  int64_t first_down[NM]; /* start of the first unavailable minute, -1 none */
  long first_row;               /* first data row, for the order without accounts */
} account;

typedef struct {
  const policy_def *pd;
  account *acc;
  int nacc;
  bool touched[NM];
  bool by_service;              /* TagoIO accounts file with a service column */
} world;

static const char *const plans[] = {"", "Pro", "Business", "Free", "Starter", "Scale", "free", "Enterprise"};

static void fee_text(FILE *f, int64_t cents) {
  if (cents % 100 == 0 && below(2)) fprintf(f, "%lld", (long long)(cents / 100));
  else if (cents % 10 == 0 && below(2)) fprintf(f, "%lld.%lld", (long long)(cents / 100), (long long)(cents % 100 / 10));
  else fprintf(f, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

static int64_t random_fee(void) {
  /* fees that put amounts exactly on a minimum or a half cent */
  static const int64_t special[] = {400, 1000, 1001, 404, 2000, 2001, 2002, 2004, 0, 1, 50, 10000000};
  if (below(3) == 0) return special[below(12)];
  return below(4) == 0 ? below(100) * 100 : below(200000);
}

static void make_zones(account *a) {
  int n = (int)below(MAXZ);
  span z[MAXZ];
  for (int i = 0; i < n; i++) {
    int64_t len = between(10, below(4) ? 360 : 900) * 60, start;
    if (below(2)) start = mstart[between(1, NM - 1)] - between(0, len / 60) * 60; /* around an edge */
    else start = mstart[0] + below((mstart[NM] - mstart[0] - len) / 60) * 60;
    if (start < mstart[0]) start = mstart[0];
    if (start + len > mstart[NM]) start = mstart[NM] - len;
    z[i] = (span){start, start + len};
  }
  for (int i = 1; i < n; i++) /* sort */
    for (int j = i; j > 0 && z[j].s < z[j - 1].s; j--) {
      span t = z[j];
      z[j] = z[j - 1];
      z[j - 1] = t;
    }
  a->nzones = 0;
  for (int i = 0; i < n; i++) {
    if (a->nzones && z[i].s <= a->zones[a->nzones - 1].e) {
      if (z[i].e > a->zones[a->nzones - 1].e) a->zones[a->nzones - 1].e = z[i].e;
    } else {
      a->zones[a->nzones++] = z[i];
    }
  }
}

/* A time in [Z.s, Z.e]: any second, a whole minute, the zone's edges, a
 * month edge inside it, or an endpoint already used. */
static int64_t pick_time(const account *a, span z) {
  int r = (int)below(10);
  if (r < 4) return between(z.s, z.e);
  if (r < 7) return z.s + below((z.e - z.s) / 60 + 1) * 60;
  if (r == 7) return below(2) ? z.s : z.e;
  if (r == 8)
    for (int k = 1; k < NM; k++)
      if (mstart[k] >= z.s && mstart[k] <= z.e) {
        int64_t t = mstart[k] + between(-1, 1);
        return t < z.s ? z.s : t > z.e ? z.e : t;
      }
  if (a->ninc) {
    const incident *o = &a->inc[below(a->ninc)];
    int64_t t = below(2) ? o->s : o->e;
    if (t >= z.s && t <= z.e) return t;
  }
  return between(z.s, z.e);
}

static int pick_cause(const policy_def *pd) {
  int r = (int)below(100);
  if (pd->kind == PIWIK) return (int)between(1, pd->ncauses - 1);
  if (r < 50) return 0;
  if (r < 65 && pd->kind == SALEOR) return 1; /* maintenance, capped */
  return (int)between(1, pd->ncauses - 1);
}

/* Downtime of exactly N whole minutes in November (30 days: 432 minutes are
 * exactly 1%), as one outage and a few counting incidents inside it. */
static void make_boundary(const policy_def *pd, account *a) {
  static const int64_t tago[] = {431, 432, 433, 86, 87, 600}, saleor[] = {4, 5, 21, 22, 43, 44};
  int64_t n = pd->kind == TAGOIO ? tago[below(6)] : saleor[below(6)];
  int64_t s = mstart[0] + below(month_minutes(0) - n) * 60;
  a->nzones = 1;
  a->zones[0] = (span){s, s + n * 60};
  a->ninc = 0;
  a->inc[a->ninc++] = (incident){s, s + n * 60, 0, 0};
  for (int i = (int)below(4); i > 0; i--) {
    int64_t x = pick_time(a, a->zones[0]), y = pick_time(a, a->zones[0]);
    a->inc[a->ninc++] = (incident){x < y ? x : y, x < y ? y : x, 0, 0};
  }
}

static void make_incidents(const policy_def *pd, account *a) {
  a->ninc = 0;
  if (pd->kind != PIWIK && below(8) == 0) {
    make_boundary(pd, a);
    return;
  }
  for (int z = 0; z < a->nzones; z++) {
    int n = (int)between(1, 6);
    for (int i = 0; i < n && a->ninc < MAXINC; i++) {
      int64_t s = pick_time(a, a->zones[z]), e = pick_time(a, a->zones[z]);
      if (s > e) { int64_t t = s; s = e; e = t; }
      if (below(20) == 0) e = s; /* empty */
      a->inc[a->ninc++] = (incident){s, e, pick_cause(pd), z};
    }
  }
}

static int add_window(account *a, int k, uint8_t *used, int64_t d, int64_t e, int64_t mult) {
  int64_t w = month_windows(k), idx;
  int tries = 0;
  do idx = below(w); while (used[idx] && ++tries < 1000);
  if (used[idx]) return -1;
  assert_true(a->nwin[k] < 400);
  used[idx] = 1;
  a->win[k][a->nwin[k]++] = (window){idx, d, e, mult};
  return 0;
}

static int64_t random_mult(void) {
  int r = (int)below(10);
  return r < 5 ? 1 : r < 9 ? between(1, 1000000) : between(1, INT64_C(1000000000000) / 4);
}

/* Windows of one account and month; returns true when the month's sum was
 * built to sit exactly on (or next to) the threshold, which an exclusion
 * would spoil. */
static bool make_windows(account *a, int k, uint8_t *used) {
  int64_t w = month_windows(k);
  memset(used, 0, (size_t)w);
  a->win[k] = calloc(400, sizeof *a->win[k]);
  assert_non_null(a->win[k]);
  a->nwin[k] = 0;
  int mode = (int)below(12);
  if (mode < 6) { /* sparse random rates */
    int n = (int)below(mode < 3 ? 40 : 200);
    for (int i = 0; i < n; i++) {
      if (below(15) == 0) { add_window(a, k, used, 0, 0, 0); continue; }
      int64_t d = denominators[below(19)];
      int64_t e = below(4) == 0 ? d : below(d + 1);
      if (mode >= 3 && below(2)) e = d; /* heavy months reach the 1% */
      add_window(a, k, used, d, e, random_mult());
    }
    return false;
  }
  if (mode < 10) {
    /* a sum of exactly W/100 (error rate 1.0000, uptime 99.0000): pairs of
     * 1/3 and 2/3, windows at 100%, and one at (W mod 100)/100; mode 8
     * adds 1/3603600 (just missed), mode 9 takes 1/100 off (just met) */
    int64_t whole = w / 100, frac = w % 100, pairs = mode == 7 ? between(1, whole) : 0;
    for (int64_t i = 0; i < pairs; i++) {
      add_window(a, k, used, 3, 1, random_mult());
      add_window(a, k, used, 3, 2, random_mult());
    }
    for (int64_t i = pairs; i < whole; i++) add_window(a, k, used, 1, 1, random_mult());
    add_window(a, k, used, 100, mode == 9 ? frac - 1 : frac, random_mult());
    if (mode == 8) add_window(a, k, used, 3603600, 1, 1);
    return true;
  }
  /* 1/7-ths and 1/3-rds that need the exact second pass to be decided */
  int n = (int)between(50, 150);
  for (int i = 0; i < n; i++) add_window(a, k, used, below(2) ? 7 : 3, between(1, 2), random_mult());
  return false;
}

static void make_world(world *wd, const policy_def *pd, int nacc, uint64_t seed) {
  rng = seed;
  memset(wd, 0, sizeof *wd);
  wd->pd = pd;
  wd->nacc = nacc;
  wd->acc = calloc((size_t)nacc, sizeof *wd->acc);
  assert_non_null(wd->acc);
  uint8_t *used = malloc(MAXW);
  assert_non_null(used);
  for (int i = 0; i < nacc; i++) {
    account *a = &wd->acc[i];
    if (i % 17 == 5) snprintf(a->name, sizeof a->name, "M\xc3\xbcller, \"GmbH\" %d", i);
    else snprintf(a->name, sizeof a->name, "acct-%03d", i);
    a->fee = a->charge = random_fee();
    a->currency = pd->kind == PIWIK ? (int)below(2) : 0;
    a->plan = pd->kind == TAGOIO ? plans[below(8)] : "";
    a->standing = (int)below(3); /* only TagoIO has a rule on it */
    if (i % 7 == 3) continue; /* listed, but no data at all */
    bool exact_sum = false;
    if (pd->kind == PIWIK)
      for (int k = 0; k < NM; k++) {
        if (below(4) == 0) continue;
        exact_sum |= make_windows(a, k, used);
        if (a->nwin[k]) wd->touched[k] = true;
      }
    if (!exact_sum) make_zones(a);
    make_incidents(pd, a);
    for (int j = 0; j < a->ninc; j++) {
      int k0 = month_of(a->inc[j].s), k1 = a->inc[j].e > a->inc[j].s ? month_of(a->inc[j].e - 1) : k0;
      for (int k = k0; k <= k1; k++) wd->touched[k] = true;
    }
  }
  free(used);
}

static void free_world(world *wd) {
  for (int i = 0; i < wd->nacc; i++)
    for (int k = 0; k < NM; k++) free(wd->acc[i].win[k]);
  free(wd->acc);
}

/* ------------------------------------------------------------------ */
/* Files.                                                                */

static char tmpdir[256];

static void path_of(char *buf, size_t size, const char *name) { snprintf(buf, size, "%s/%s", tmpdir, name); }

static void csv_name(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"")) { fputs(s, f); return; }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void write_accounts(world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  const policy_def *pd = wd->pd;
  fputs(wd->by_service ? "currency,standing,service,plan,fee,account\n" : "account,fee,currency,plan,standing\n", f);
  for (int i = 0; i < wd->nacc; i++) {
    account *a = &wd->acc[i];
    const char *cur = a->currency ? "EUR" : "USD";
    const char *standing = a->standing == 2 ? "overdue" : a->standing == 1 ? "good" : "";
    if (!wd->by_service) {
      csv_name(f, a->name);
      fputc(',', f);
      fee_text(f, a->fee);
      fprintf(f, ",%s,%s,%s\n", cur, a->plan, standing);
      continue;
    }
    /* the service's charge in one row (a second row for the same service
     * is an error, CONTRACT 6.2), maybe a support row, which TagoIO names
     * as a charge that earns no credit */
    int64_t support = below(2) ? random_fee() : -1;
    int64_t rows[2] = {a->charge, support};
    const char *svc[2] = {pd->service, "support"};
    a->fee = 0;
    for (int r = 0; r < 2; r++) {
      if (rows[r] < 0) continue;
      fprintf(f, "%s,%s,%s,%s,", cur, standing, svc[r], a->plan);
      fee_text(f, rows[r]);
      fputc(',', f);
      csv_name(f, a->name);
      fputc('\n', f);
      a->fee += rows[r];
    }
  }
  fclose(f);
}

typedef struct { int acc; int64_t t; int kind; int idx; } row; /* kind 0 incident, 1 window */

static void shuffle_rows(row *r, size_t n) {
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)below((int64_t)i);
    row t = r[i - 1];
    r[i - 1] = r[j];
    r[j] = t;
  }
}

/* Incidents in random order; returns how many rows. */
static long write_incidents(world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("id,cause,end,service,account,start,note\n", f);
  size_t n = 0;
  for (int i = 0; i < wd->nacc; i++) n += (size_t)wd->acc[i].ninc;
  row *rows = calloc(n + 1, sizeof *rows);
  assert_non_null(rows);
  n = 0;
  for (int i = 0; i < wd->nacc; i++)
    for (int j = 0; j < wd->acc[i].ninc; j++) rows[n++] = (row){i, 0, 0, j};
  shuffle_rows(rows, n);
  for (size_t r = 0; r < n; r++) {
    account *a = &wd->acc[rows[r].acc];
    const incident *in = &a->inc[rows[r].idx];
    const char *cause = wd->pd->causes[in->cause].name;
    if (in->cause == 0 && below(2)) cause = "";
    fprintf(f, "INC-%zu,%s,", r, cause);
    write_time(f, in->e);
    fprintf(f, ",%s,", wd->pd->service);
    csv_name(f, a->name);
    fputc(',', f);
    write_time(f, in->s);
    fputs(r % 5 ? ",\n" : ",\"a note, with \"\"quotes\"\"\"\n", f);
    if (a->first_row == 0) a->first_row = (long)r + 1;
  }
  free(rows);
  fclose(f);
  return (long)n;
}

static int by_time(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  if (a->t != b->t) return a->t < b->t ? -1 : 1;
  return (a->acc > b->acc) - (a->acc < b->acc);
}

static void write_windows(world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("errors,start,region,account,requests,service\n", f);
  size_t n = 0;
  for (int i = 0; i < wd->nacc; i++)
    for (int k = 0; k < NM; k++) n += (size_t)wd->acc[i].nwin[k];
  row *rows = calloc(n + 1, sizeof *rows);
  assert_non_null(rows);
  n = 0;
  for (int i = 0; i < wd->nacc; i++)
    for (int k = 0; k < NM; k++)
      for (int j = 0; j < wd->acc[i].nwin[k]; j++)
        rows[n++] = (row){i, mstart[k] + wd->acc[i].win[k][j].idx * 300, k, j};
  qsort(rows, n, sizeof *rows, by_time); /* windows of an account come in time order */
  for (size_t r = 0; r < n; r++) {
    const account *a = &wd->acc[rows[r].acc];
    const window *w = &a->win[rows[r].kind][rows[r].idx];
    fprintf(f, "%lld,", (long long)(w->e * w->k));
    write_time(f, rows[r].t);
    fputs(",eu-1,", f);
    csv_name(f, a->name);
    fprintf(f, ",%lld,%s\n", (long long)(w->d * w->k), wd->pd->service);
  }
  free(rows);
  fclose(f);
}

/* ------------------------------------------------------------------ */
/* The model.                                                            */

static void model_account(const world *wd, account *a) {
  const policy_def *pd = wd->pd;
  int64_t cap_used[NM][MAXC] = {{0}};
  uint8_t *wexcl[NM];
  memset(a->unavail, 0, sizeof a->unavail);
  for (int k = 0; k < NM; k++) a->first_down[k] = -1;
  memset(a->exclmin, 0, sizeof a->exclmin);
  memset(a->csecs, 0, sizeof a->csecs);
  memset(a->xsecs, 0, sizeof a->xsecs);
  for (int k = 0; k < NM; k++) {
    wexcl[k] = calloc((size_t)month_windows(k), 1);
    assert_non_null(wexcl[k]);
  }
  for (int z = 0; z < a->nzones; z++) {
    span zn = a->zones[z];
    size_t len = (size_t)(zn.e - zn.s);
    uint8_t *cnt = calloc(len, 1);
    uint16_t *mask = calloc(len, sizeof *mask);
    assert_true(cnt && mask);
    for (int j = 0; j < a->ninc; j++) {
      const incident *in = &a->inc[j];
      if (in->zone != z) continue;
      for (int64_t t = in->s; t < in->e; t++) {
        if (pd->causes[in->cause].mode == C_COUNTS) cnt[t - zn.s] = 1;
        else mask[t - zn.s] |= (uint16_t)(1u << in->cause);
      }
    }
    /* second by second in time order; minutes never cross months */
    for (int64_t ms = zn.s; ms < zn.e; ms += 60) {
      int k = month_of(ms);
      bool down = false, excl = false;
      for (int64_t t = ms; t < ms + 60; t++) {
        uint16_t m = mask[t - zn.s];
        bool applied = false, excess = false;
        for (int c = 1; c < pd->ncauses; c++) {
          if (!(m & (1u << c))) continue;
          if (pd->causes[c].mode == C_CAPPED) {
            if (cap_used[k][c] < pd->causes[c].cap) {
              cap_used[k][c]++;
              a->csecs[k][c]++;
              applied = true;
            } else {
              a->xsecs[k][c]++;
              excess = true;
            }
          } else {
            a->csecs[k][c]++;
            applied = true;
          }
        }
        if ((cnt[t - zn.s] || excess) && !applied) down = true;
        if (applied) {
          excl = true;
          wexcl[k][(t - mstart[k]) / 300] = 1;
        }
      }
      if (down) {
        a->unavail[k]++;
        if (a->first_down[k] < 0 || ms < a->first_down[k]) a->first_down[k] = ms;
      } else if (excl) {
        a->exclmin[k]++;
      }
    }
    free(cnt);
    free(mask);
  }
  /* window error rates as integers over L_DEN */
  for (int k = 0; k < NM; k++) {
    a->errn[k] = 0;
    for (int j = 0; j < a->nwin[k]; j++) {
      const window *w = &a->win[k][j];
      if (w->d == 0 || wexcl[k][w->idx]) continue;
      a->errn[k] += w->e * (L_DEN / w->d);
    }
    free(wexcl[k]);
  }
}

/* floor(NUM * 10^4 / DEN) as "d.dddd". */
static void trunc4(char *buf, size_t size, __int128 num, __int128 den) {
  __int128 q = num * 10000 / den;
  snprintf(buf, size, "%lld.%04lld", (long long)(q / 10000), (long long)(q % 10000));
}

static void money(char *buf, size_t size, int64_t cents, const char *cur) {
  snprintf(buf, size, "%lld.%02lld%s%s", (long long)(cents / 100), (long long)(cents % 100), cur ? " " : "",
           cur ? cur : "");
}

static void iso_time(char *buf, size_t size, int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void duration(char *buf, size_t size, int64_t s) {
  static const int64_t unit[] = {86400, 3600, 60, 1};
  static const char *const one[] = {" day", " h", " min", " s"}, *const many[] = {" days", " h", " min", " s"};
  size_t n = 0;
  buf[0] = 0;
  for (int i = 0; i < 4; i++) {
    int64_t q = s / unit[i];
    s %= unit[i];
    if (q) n += (size_t)snprintf(buf + n, size - n, "%s%lld%s", n ? " " : "", (long long)q, q == 1 ? one[i] : many[i]);
  }
}

typedef struct {
  char uptime[32], error_rate[32];
  int64_t unavail, exclmin;
  bool met;
  int credit;
  int eligible;          /* -1 null */
  char amount[32];       /* "" null */
  const char *currency;  /* NULL null */
  char first[96];        /* the service line starts so */
  int first_kind;        /* 0 tier, 1 met, 2 missed without tier */
  char *rest[32];        /* the other reasons, exactly (citations dropped) */
  int nrest;
} expected;

static void add_reason(expected *x, const char *fmt, ...) SLAC_PRINTF(2, 3);
static void add_reason(expected *x, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  assert_true(x->nrest < 32);
  x->rest[x->nrest] = strdup(buf);
  assert_non_null(x->rest[x->nrest]);
  x->nrest++;
}

static void expect_outcome(const world *wd, const slac_program *p, const account *a, int k, bool accounts,
                           expected *x) {
  const policy_def *pd = wd->pd;
  memset(x, 0, sizeof *x);
  int64_t mm = month_minutes(k);
  if (pd->kind == PIWIK) {
    __int128 lw = (__int128)L_DEN * month_windows(k), n = a->errn[k];
    trunc4(x->error_rate, sizeof x->error_rate, 100 * n, lw);
    trunc4(x->uptime, sizeof x->uptime, 100 * (lw - n), lw);
    x->met = 100 * n <= lw;                  /* 100 - 100 n / lw >= 99 */
    x->credit = x->met ? 0 : 25;
    snprintf(x->first, sizeof x->first, "uptime %s%% (average error rate %s%%)", x->uptime, x->error_rate);
  } else {
    int64_t up = mm - a->unavail[k];
    x->unavail = a->unavail[k];
    trunc4(x->uptime, sizeof x->uptime, (__int128)up * 100, mm);
    if (pd->kind == SALEOR) {
      x->met = up * 10000 >= 9999 * mm;
      x->credit = up * 1000 < 999 * mm ? 25 : up * 10000 < 9995 * mm ? 15 : 0;
    } else {
      x->met = up * 1000 >= 998 * mm;
      x->credit = up * 100 < 99 * mm ? 25 : up * 1000 < 998 * mm ? 10 : 0;
    }
    snprintf(x->first, sizeof x->first, "uptime %s%%", x->uptime);
  }
  x->exclmin = a->exclmin[k];
  x->first_kind = x->credit ? 0 : x->met ? 1 : 2;
  /* exclusions, in the policy's order of causes */
  for (int pc = 1; pc < p->ncauses; pc++) {
    const char *name = p->strings[p->causes[pc]];
    int c = 0;
    while (c < pd->ncauses && strcmp(pd->causes[c].name, name) != 0) c++;
    assert_true(c < pd->ncauses); /* the policy declares what its agreement excludes */
    if (pd->causes[c].mode == C_COUNTS || a->csecs[k][c] == 0) continue;
    char words[64], d1[64], d2[64];
    snprintf(words, sizeof words, "%s", name);
    for (char *s = words; *s; s++)
      if (*s == '_') *s = ' ';
    duration(d1, sizeof d1, a->csecs[k][c]);
    add_reason(x, "%s excluded: %s", words, d1);
    if (pd->causes[c].mode == C_CAPPED && a->xsecs[k][c] > 0) {
      duration(d1, sizeof d1, pd->causes[c].cap);
      duration(d2, sizeof d2, a->xsecs[k][c]);
      add_reason(x, "%s beyond the cap of %s per month: %s counted as downtime", words, d1, d2);
    }
  }
  x->eligible = -1;
  if (!accounts) return;
  const char *cur = a->currency ? "EUR" : "USD";
  x->currency = cur;
  x->eligible = 1;
  if (pd->kind == TAGOIO) {
    if (!strcmp(a->plan, "Free") || !strcmp(a->plan, "Starter") || !strcmp(a->plan, "Scale")) {
      x->eligible = 0;
      add_reason(x, "not eligible: the agreement does not cover plan \"%s\"", a->plan);
    }
    if (a->standing == 2) {
      x->eligible = 0;
      add_reason(x, "not eligible: credits apply only to accounts in good standing, and this account is overdue");
    }
  }
  int64_t amount = 0;
  if (x->eligible && x->credit > 0) {
    /* TagoIO credits the charges of the affected services: the service is
     * affected (it had unavailable minutes) whenever there is a credit */
    int64_t base = pd->kind == TAGOIO ? (wd->by_service ? a->charge : a->fee) : a->fee;
    amount = (base * x->credit + 50) / 100; /* half-up to the cent */
    char b[64], m[64];
    money(b, sizeof b, base, cur);
    money(m, sizeof m, amount, cur);
    add_reason(x, "credit %d%% of %s %s: %s", x->credit,
               pd->kind == TAGOIO ? "the charges of the affected services" : "the monthly fee", b, m);
    int64_t minimum = pd->kind == TAGOIO ? 100 : pd->kind == PIWIK ? 500 : -1;
    if (amount <= minimum) {
      char mn[64];
      money(mn, sizeof mn, minimum, cur);
      add_reason(x, "credit %s is not greater than %s: no credit is issued", m, mn);
      amount = 0;
    }
    if (pd->kind == TAGOIO && amount > 0) {
      /* §5: a ticket within 24 h and a claim within 7 days of the first
       * interruption; without a claims file the reason says by when */
      char t1[32], t2[32];
      iso_time(t1, sizeof t1, a->first_down[k] + 86400);
      iso_time(t2, sizeof t2, a->first_down[k] + 7 * 86400);
      add_reason(x, "a claim is required: open a support ticket by %s and send the claim by %s", t1, t2);
    }
  }
  money(x->amount, sizeof x->amount, amount, NULL);
}

/* ------------------------------------------------------------------ */
/* Comparing.                                                            */

static char where[512];

#define CHECK(cond, ...)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      char msg_[512];                                                           \
      snprintf(msg_, sizeof msg_, __VA_ARGS__);                                 \
      fail_msg("%s: %s\n  line: %s", where, msg_, line);                        \
    }                                                                           \
  } while (0)

static const char *str_field(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The reason without its citation " (§...)". */
static void uncited(const char *s, char *out, size_t size) {
  snprintf(out, size, "%s", s);
  char *last = NULL;
  for (char *p = strstr(out, " (\xc2\xa7"); p; p = strstr(p + 1, " (\xc2\xa7")) last = p;
  if (last && ends_with(out, ")")) *last = 0;
}

static void compare(const world *wd, const expected *x, const account *a, int k, const char *line) {
  const policy_def *pd = wd->pd;
  json_error_t jerr;
  json_t *o = json_loads(line, 0, &jerr);
  CHECK(o != NULL, "not JSON: %s", jerr.text);
  char period[8];
  snprintf(period, sizeof period, "%04d-%02d", month_y[k], month_m[k]);
  CHECK(streq(str_field(o, "policy"), pd->id), "policy");
  CHECK(streq(str_field(o, "account"), a->name), "account: expected %s", a->name);
  CHECK(streq(str_field(o, "period"), period), "period: expected %s", period);
  json_t *svcs = json_object_get(o, "services");
  CHECK(json_is_array(svcs) && json_array_size(svcs) == 1, "services");
  json_t *s = json_array_get(svcs, 0);
  CHECK(streq(str_field(s, "service"), pd->service), "service");
  if (pd->kind == PIWIK) {
    CHECK(streq(str_field(s, "error_rate_percent"), x->error_rate),
          "error_rate_percent: expected %s", x->error_rate);
  } else {
    json_t *u = json_object_get(s, "unavailable_minutes");
    CHECK(json_is_integer(u) && json_integer_value(u) == x->unavail, "unavailable_minutes: expected %lld",
          (long long)x->unavail);
  }
  json_t *e = json_object_get(s, "excluded_minutes");
  CHECK(json_is_integer(e) && json_integer_value(e) == x->exclmin, "excluded_minutes: expected %lld",
        (long long)x->exclmin);
  CHECK(streq(str_field(s, "uptime_percent"), x->uptime), "uptime_percent: expected %s", x->uptime);
  CHECK(json_is_boolean(json_object_get(s, "commitment_met")) &&
            json_is_true(json_object_get(s, "commitment_met")) == x->met,
        "commitment_met: expected %d", x->met);
  char pct[16];
  snprintf(pct, sizeof pct, "%d", x->credit);
  CHECK(streq(str_field(s, "credit_percent"), pct), "service credit_percent: expected %s", pct);
  CHECK(streq(str_field(o, "credit_percent"), pct), "credit_percent: expected %s", pct);
  json_t *el = json_object_get(o, "eligible");
  if (x->eligible < 0) CHECK(json_is_null(el), "eligible: expected null");
  else CHECK(json_is_boolean(el) && json_is_true(el) == (x->eligible == 1), "eligible: expected %d", x->eligible);
  if (x->currency) {
    CHECK(streq(str_field(o, "credit_amount"), x->amount),
          "credit_amount: expected %s", x->amount);
    CHECK(streq(str_field(o, "currency"), x->currency), "currency: expected %s",
          x->currency);
  } else {
    CHECK(json_is_null(json_object_get(o, "credit_amount")), "credit_amount: expected null");
    CHECK(json_is_null(json_object_get(o, "currency")), "currency: expected null");
  }
  json_t *rs = json_object_get(o, "reasons");
  CHECK(json_is_array(rs) && json_array_size(rs) == (size_t)x->nrest + 1, "expected %d reasons", x->nrest + 1);
  char r[1024];
  uncited(json_string_value(json_array_get(rs, 0)), r, sizeof r);
  CHECK(!strncmp(r, x->first, strlen(x->first)), "first reason: expected it to start with \"%s\"", x->first);
  char tier[32];
  snprintf(tier, sizeof tier, ": tier %d%%", x->credit);
  if (x->first_kind == 0) CHECK(ends_with(r, tier), "first reason: expected it to end with \"%s\"", tier);
  else if (x->first_kind == 1) CHECK(strstr(r, " meets the commitment of "), "first reason: expected met");
  else CHECK(strstr(r, " misses the commitment of ") && ends_with(r, ": credit 0%"), "first reason: expected a gap");
  for (int i = 0; i < x->nrest; i++) {
    uncited(json_string_value(json_array_get(rs, (size_t)i + 1)), r, sizeof r);
    CHECK(!strcmp(r, x->rest[i]), "reason %d: expected \"%s\"", i + 1, x->rest[i]);
  }
  json_decref(o);
}

/* ------------------------------------------------------------------ */
/* Running.                                                              */

static int by_first_row(const void *pa, const void *pb) {
  const account *a = *(account *const *)pa, *b = *(account *const *)pb;
  return (a->first_row > b->first_row) - (a->first_row < b->first_row);
}

/* Evaluate and compare.  ACCOUNTS: with the accounts file; PERIOD: a month
 * index, or -1 for every month touched. */
static void run(world *wd, const slac_program *p, bool accounts, int period, uint64_t seed) {
  char inc[512], win[512], acc[512];
  path_of(inc, sizeof inc, "incidents.csv");
  path_of(win, sizeof win, "windows.csv");
  path_of(acc, sizeof acc, "accounts.csv");
  char *paths[2];
  int npaths = 0;
  if (wd->pd->kind == PIWIK && below(2)) paths[npaths++] = win;
  paths[npaths++] = inc;
  if (wd->pd->kind == PIWIK && npaths == 1) paths[npaths++] = win;
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  assert_non_null(out);
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = p;
  o.accounts_path = accounts ? acc : NULL;
  o.data_paths = paths;
  o.ndata = npaths;
  o.format = SLAC_FORMAT_JSONL;
  o.out = out;
  o.jobs = 1 + (int)below(4); /* several threads cut even these small windows files */
  if (period >= 0) {
    char m[8];
    snprintf(m, sizeof m, "%04d-%02d", month_y[period], month_m[period]);
    o.has_period = true;
    assert_int_equal(slac_month_parse(m, 7, &o.period), 0);
  }
  slac_diags d;
  slac_diags_init(&d, stderr);
  int rc = slac_eval(&o, &d);
  fclose(out);
  if (rc != 0) fail_msg("%s seed %llu: slac_eval failed (see the message above)", wd->pd->id, (unsigned long long)seed);

  /* the accounts in order: the accounts file, or first appearance */
  account **order = calloc((size_t)wd->nacc + 1, sizeof *order);
  assert_non_null(order);
  int n = 0;
  for (int i = 0; i < wd->nacc; i++)
    if (accounts || wd->acc[i].first_row) order[n++] = &wd->acc[i];
  if (!accounts) qsort(order, (size_t)n, sizeof *order, by_first_row);
  char *line = buf, *next;
  int lines = 0;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < NM; k++) {
      if (period >= 0 ? k != period : !wd->touched[k]) continue;
      snprintf(where, sizeof where, "%s seed %llu%s%s, account %s, month %04d-%02d", wd->pd->id,
               (unsigned long long)seed, accounts ? "" : " (no accounts file)",
               wd->by_service ? " (service column)" : "", order[i]->name, month_y[k], month_m[k]);
      if (!line || !*line) fail_msg("%s: missing from the output", where);
      next = strchr(line, '\n');
      assert_non_null(next);
      *next = 0;
      expected x;
      expect_outcome(wd, p, order[i], k, accounts, &x);
      compare(wd, &x, order[i], k, line);
      for (int r = 0; r < x.nrest; r++) free(x.rest[r]);
      line = next + 1;
      lines++;
    }
  if (*line) fail_msg("%s seed %llu: extra output after %d lines: %.200s", wd->pd->id, (unsigned long long)seed,
                      lines, line);
  free(order);
  free(buf);
}

static void check_policy(int which, int nacc, int nseeds) {
  const policy_def *pd = &policies[which];
  slac_program *p = test_load_shipped_policy(pd->file);
  assert_non_null(p);
  for (int s = 0; s < nseeds; s++) {
    uint64_t seed = UINT64_C(0x5EED0000) + (uint64_t)which * 1000 + (uint64_t)s;
    world wd;
    make_world(&wd, pd, nacc, seed);
    char path[512];
    path_of(path, sizeof path, "incidents.csv");
    write_incidents(&wd, path);
    if (pd->kind == PIWIK) {
      path_of(path, sizeof path, "windows.csv");
      write_windows(&wd, path);
    }
    for (int i = 0; i < wd.nacc; i++) model_account(&wd, &wd.acc[i]);
    wd.by_service = pd->kind == TAGOIO && s % 2 == 1;
    path_of(path, sizeof path, "accounts.csv");
    write_accounts(&wd, path);
    run(&wd, p, true, -1, seed);
    run(&wd, p, true, (int)below(NM), seed);
    if (s == 0 && pd->kind != PIWIK) run(&wd, p, false, -1, seed);
    free_world(&wd);
  }
  slac_program_free(p);
}

static void test_saleor(void **state) {
  (void)state;
  check_policy(0, 150, 2);
}

static void test_tagoio(void **state) {
  (void)state;
  check_policy(1, 150, 2);
}

static void test_piwik_pro(void **state) {
  (void)state;
  check_policy(2, 120, 2);
}

static int setup(void **state) {
  (void)state;
  init_months();
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/slac-model.XXXXXX", t && *t ? t : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  static const char *const names[] = {"incidents.csv", "windows.csv", "accounts.csv"};
  char path[512];
  for (int i = 0; i < 3; i++) {
    path_of(path, sizeof path, names[i]);
    unlink(path);
  }
  return rmdir(tmpdir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_saleor),
      cmocka_unit_test(test_tagoio),
      cmocka_unit_test(test_piwik_pro),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
