/* test_eval_model_v2.c - randomized agreement test of slac_eval against an
 * independent model of the language v2 constructs (issue 14; CONTRACT.md
 * §6.3): credits per service on each service's own charge, terms chosen
 * by the account's plan, exclusion caps per calendar quarter or year with
 * announced maintenance, credit caps over a quarter, a year or 12 rolling
 * months with a history file, calendar claim deadlines, and errors of some
 * kinds only.
 *
 * Each policy is written inline below.  Fixed seeds generate accounts
 * (charges per service, plans, currencies), incidents (overlapping,
 * crossing month, quarter and year edges, second-aligned or not, some
 * announced on the exact notice, a second late, or not at all), request
 * windows with error counts split into kinds, a history of earlier months'
 * credits and claims dated on, just before or just after their deadlines,
 * over six months from November 2027 to April 2028 (a year edge, two
 * quarter edges, a leap February).  slac_eval runs on the real files (the
 * policy compiled from its source and loaded as bytecode, as the CLI does)
 * and writes jsonl to memory; every account, month and service of its
 * output is compared with the model (compare_with_slac, the only function
 * that runs slac).
 *
 * The model knows nothing of slac's spans or fixed point.  Per account and
 * service it takes the minute-aligned hull of each group of overlapping
 * incidents, keeps one flag per second of it (counting) and one bit per
 * excluded cause, and walks the seconds in time order, consuming each
 * capped cause's allowance in an array slot per month, calendar quarter or
 * calendar year; a minute is unavailable when a second of it is downtime.
 * Uptime thresholds are decided by integer cross-multiplication (thresholds
 * in units of 0.0001%), window error rates are integers over a common
 * denominator, amounts are integer cents with explicit half-up rounding,
 * running totals over a period are plain sums of earlier months' final
 * amounts, and deadlines are computed on the civil calendar written again
 * here.  Test cases named hand_* check the model alone against numbers
 * worked out by hand, so that the model is known right before slac is
 * compared with it; test_slac_baseline_v1 runs two policies of today's
 * language through the same generation, files and comparison, so that
 * the harness is known right too.  A failure names the policy, the seed,
 * the run, the account, the month, the service and the field.
 *
 * Where spec-v2 leaves a detail open, the model takes CONTRACT §6.3 at
 * its word; each such reading is said where the model makes it (search
 * for "Reading"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "compiler/codegen.h"
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

/* A month number: year * 12 + (month - 1); its quarter is mn / 3 and its
 * year mn / 12, which is all the calendar a quarter or a year needs. */
static int64_t month_first_second(int64_t mn) { return days_from_civil(mn / 12, mn % 12 + 1, 1) * 86400; }

/* The months the data lies in: November 2027 to April 2028 (30, 31, 31, 29,
 * 31, 30 days): the year edge is also a quarter edge (Q4 2027 | Q1 2028),
 * and April opens Q2.  The history file gives November 2026 to October
 * 2027, the twelve months before. */
enum { NM = 6, NH = 12 };
#define MN0 (2027 * 12 + 10)          /* November 2027 */
#define HIST0 (2026 * 12 + 10)        /* November 2026 */
static int64_t mstart[NM + 1];        /* first second of each month, and the end */

static void init_months(void) {
  for (int k = 0; k <= NM; k++) mstart[k] = month_first_second(MN0 + k);
}
static int month_of(int64_t t) {
  assert_true(t >= mstart[0] && t < mstart[NM]);
  for (int k = 0; k < NM; k++)
    if (t < mstart[k + 1]) return k;
  return NM - 1;
}
static int64_t month_minutes(int k) { return (mstart[k + 1] - mstart[k]) / 60; }
static int64_t month_windows(int k) { return (mstart[k + 1] - mstart[k]) / 300; }
static void month_text(char buf[16], int64_t mn) {
  snprintf(buf, 16, "%04d-%02d", (int)(mn / 12), (int)(mn % 12 + 1));
}

/* "2027-12-31T22:00:00Z" (the hand-computed cases write times so). */
static int64_t ts(const char *s) {
  int y, mo, d, h, mi, se;
  assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &se), 6);
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

/* T in one of several RFC 3339 spellings of the same instant (fractions
 * are dropped by the reader, so ".999999" is still T). */
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
/* The policies, as the model reads them.  Percentages are integers in   */
/* units of 0.0001% (999500 is 99.95%); credit percentages in tenths     */
/* (125 is 12.5%); durations in seconds; money in cents.                 */

typedef enum { B_NONE, B_BELOW, B_AT_OR_BELOW, B_ABOVE, B_AT_OR_ABOVE } bound_kind;
typedef struct {
  bound_kind k1;
  int64_t v1;
  bound_kind k2;
  int64_t v2;
  int pct10;
} tier_def;
typedef struct {
  int64_t commit;
  const tier_def *tiers; /* NULL: the service's own schedule, else the policy's */
  int ntiers;
} terms_def;
typedef struct {
  const char *plans[3];
  int nplans;
  bool dflt;
  terms_def t;
} plan_terms;

typedef enum { K_ALL, K_ONLY, K_IGNORE } kinds_mode;
enum { NKIND = 4 }; /* errors_internal, errors_unavailable, errors_throttled, errors_client */

typedef struct {
  const char *id;
  bool windows;        /* average error rate over 5 min windows */
  kinds_mode kinds;
  unsigned kind_mask;  /* bits over the NKIND kinds */
  terms_def t;         /* commit (without terms) and the service's own schedule */
  const plan_terms *pt;
  int npt;
} service_def;

typedef enum { C_COUNTS, C_EXCLUDED } cause_mode;
typedef struct {
  const char *name;
  cause_mode mode;
  int64_t cap;         /* seconds; 0: no cap */
  int cap_months;      /* 1 month, 3 calendar quarter, 12 calendar year */
  int64_t notice;      /* seconds of notice needed; 0: none */
  int weight;          /* percent of generated incidents */
} cause_def;

typedef struct {
  int months;          /* 0: no such rule */
  bool by_end;         /* "by end of Nth billing month after" (exclusive), else "within N months" (inclusive) */
} deadline_def;

typedef enum { SC_SERVICES, SC_TERMS, SC_QUARTERS, SC_PERIOD, SC_CLAIMS, SC_KINDS } scenario;

typedef struct {
  const char *id;
  scenario sc;
  const char *text;
  const service_def *svcs;
  int nsvcs;
  terms_def tiers;            /* the policy-level schedule (tiers NULL: none) */
  const cause_def *causes;    /* [0] is outage */
  int ncauses;
  int ncur;                   /* 1: USD; 2: USD and EUR */
  bool service_charge;        /* credit of service charge */
  int max_pct;                /* credits never exceed X% of monthly fee; 0: none */
  int pcap_pct;               /* a cap over a period; 0: none */
  int pcap_months;            /* 3 or 12 (calendar), or N (rolling) */
  bool pcap_rolling, pcap_fees; /* per N months; "of fees" (x months) rather than "of monthly fee" */
  int64_t minimum;            /* cents; -1: none */
  bool minimum_at_least;      /* "at least" rather than "greater than" */
  const char *ineligible_plan;
  deadline_def ticket, claim;
} policy_def;

#define TIERS(a) (a), (int)(sizeof(a) / sizeof(a)[0])

/* --- 1. Credits per service, on each service's own charge ------------ */

/* CONTRACT §6.2 makes a `service` value of the accounts file that the
 * policy neither declares nor names as not credited an error: the
 * accounts carry `support` charges (part of the fee, no credit), which
 * the policies name. */
#define NOT_CREDITED_CLAUSE "  charge support \"Support plan\" not credited\n"

static const char text_svc_a[] =
    "policy persvc \"Per-service credits\" version 1 {\n"
    "  provider \"Example Cloud\"\n"
    "  currency USD, EUR                                       \xc2\xa7" "1\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes                           \xc2\xa7" "2\n"
    "    commit 99.9%                                          \xc2\xa7" "3\n"
    "    credit of service charge \xc2\xa7" "4.1 {\n"
    "      below 99.9% and at or above 99% -> 10%\n"
    "      below 99%                       -> 25%\n"
    "    }\n"
    "  }\n"
    "  service db \"Database\" {\n"
    "    measure unavailable minutes                           \xc2\xa7" "2\n"
    "    commit 99.95%                                         \xc2\xa7" "3\n"
    "    credit of service charge \xc2\xa7" "4.2 {\n"
    "      below 99.95% and at or above 99.5% -> 12.5%\n"
    "      below 99.5% and at or above 95%    -> 30%\n"
    "      below 95%                          -> 100%\n"
    "    }\n"
    "  }\n"
    "  service cdn \"CDN\" {\n"
    "    measure unavailable minutes                           \xc2\xa7" "2\n"
    "    commit 99.5%                                          \xc2\xa7" "3\n"
    "  }\n"
    "  credit of service charge \xc2\xa7" "4 {\n"
    "    below 99.5% and at or above 98% -> 5%\n"
    "    below 98%                       -> 20%\n"
    "  }\n"
    "  exclude maintenance up to 30 min per month              \xc2\xa7" "5\n"
    "  exclude customer, third_party                           \xc2\xa7" "5\n"
    "  credits never exceed 20% of monthly fee                 \xc2\xa7" "6\n"
    "  issue credit only if amount greater than 5.00 USD or 5.00 EUR \xc2\xa7" "6\n"
    NOT_CREDITED_CLAUSE
    "}\n";
static const tier_def svc_a_api[] = {{B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 100}, {B_BELOW, 990000, B_NONE, 0, 250}};
static const tier_def svc_a_db[] = {{B_BELOW, 999500, B_AT_OR_ABOVE, 995000, 125},
                                    {B_BELOW, 995000, B_AT_OR_ABOVE, 950000, 300},
                                    {B_BELOW, 950000, B_NONE, 0, 1000}};
static const tier_def svc_a_pol[] = {{B_BELOW, 995000, B_AT_OR_ABOVE, 980000, 50}, {B_BELOW, 980000, B_NONE, 0, 200}};
static const service_def svc_a_services[] = {
    {"api", false, K_ALL, 0, {999000, TIERS(svc_a_api)}, NULL, 0},
    {"db", false, K_ALL, 0, {999500, TIERS(svc_a_db)}, NULL, 0},
    {"cdn", false, K_ALL, 0, {995000, NULL, 0}, NULL, 0}};
static const cause_def svc_a_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 50},
                                         {"maintenance", C_EXCLUDED, 1800, 1, 0, 20},
                                         {"customer", C_EXCLUDED, 0, 0, 0, 15},
                                         {"third_party", C_EXCLUDED, 0, 0, 0, 15}};
static const policy_def pol_svc_a = {
    .id = "persvc", .sc = SC_SERVICES, .text = text_svc_a, .svcs = svc_a_services, .nsvcs = 3,
    .tiers = {0, TIERS(svc_a_pol)}, .causes = svc_a_causes, .ncauses = 4, .ncur = 2, .service_charge = true,
    .max_pct = 20, .minimum = 500};

/* One schedule for both services, the most severe tier applying; the
 * compute service's commitment leaves a gap (99.95% to 99.99%: missed, 0%). */
static const char text_svc_b[] =
    "policy persvc2 \"Per-service credits, one schedule\" version 1 {\n"
    "  currency USD\n"
    "  service compute \"Compute\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.99%\n"
    "  }\n"
    "  service storage \"Storage\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.95%\n"
    "  }\n"
    "  credit of service charge, most severe tier applies \xc2\xa7" "4 {\n"
    "    below 99.95% -> 10%\n"
    "    below 99.9%  -> 25%\n"
    "    below 99%    -> 100%\n"
    "  }\n"
    "  exclude maintenance up to 45 min per month \xc2\xa7" "5\n"
    "  exclude customer \xc2\xa7" "5\n"
    "  credits never exceed 75% of monthly fee \xc2\xa7" "6\n"
    "  issue credit only if amount at least 10.00 USD \xc2\xa7" "6\n"
    NOT_CREDITED_CLAUSE
    "}\n";
static const tier_def svc_b_pol[] = {{B_BELOW, 999500, B_NONE, 0, 100},
                                     {B_BELOW, 999000, B_NONE, 0, 250},
                                     {B_BELOW, 990000, B_NONE, 0, 1000}};
static const service_def svc_b_services[] = {{"compute", false, K_ALL, 0, {999900, NULL, 0}, NULL, 0},
                                             {"storage", false, K_ALL, 0, {999500, NULL, 0}, NULL, 0}};
static const cause_def svc_b_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 55},
                                         {"maintenance", C_EXCLUDED, 2700, 1, 0, 25},
                                         {"customer", C_EXCLUDED, 0, 0, 0, 20}};
static const policy_def pol_svc_b = {
    .id = "persvc2", .sc = SC_SERVICES, .text = text_svc_b, .svcs = svc_b_services, .nsvcs = 2,
    .tiers = {0, TIERS(svc_b_pol)}, .causes = svc_b_causes, .ncauses = 3, .ncur = 1, .service_charge = true,
    .max_pct = 75, .minimum = 1000, .minimum_at_least = true};

/* --- 2. Terms chosen by the account's plan --------------------------- */

static const char text_terms_a[] =
    "policy by_plan \"Terms by plan\" version 1 {\n"
    "  currency USD, EUR\n"
    "  service vm \"Virtual Machines\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    terms for plan \"Standard\" \xc2\xa7" "3.1 {\n"
    "      commit 99.9%\n"
    "      credit of monthly fee \xc2\xa7" "4.1 {\n"
    "        below 99.9% and at or above 99% -> 10%\n"
    "        below 99%                       -> 25%\n"
    "      }\n"
    "    }\n"
    "    terms for plans \"Premium\", \"Enterprise\" \xc2\xa7" "3.2 {\n"
    "      commit 99.99%\n"
    "      credit of monthly fee \xc2\xa7" "4.2 {\n"
    "        below 99.99% and at or above 99.9% -> 10%\n"
    "        below 99.9% and at or above 99%    -> 25%\n"
    "        below 99%                          -> 50%\n"
    "      }\n"
    "    }\n"
    "    default terms \xc2\xa7" "3.3 {\n"
    "      commit 99.5%\n"
    "    }\n"
    "    credit of monthly fee \xc2\xa7" "4.3 {\n"
    "      below 99.5% and at or above 97% -> 5%\n"
    "      below 97%                       -> 15%\n"
    "    }\n"
    "  }\n"
    "  exclude maintenance up to 1 h per month \xc2\xa7" "5\n"
    "  exclude customer \xc2\xa7" "5\n"
    "  not eligible when plan is \"Trial\" \xc2\xa7" "6\n"
    "}\n";
static const tier_def terms_a_std[] = {{B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 100}, {B_BELOW, 990000, B_NONE, 0, 250}};
static const tier_def terms_a_prem[] = {{B_BELOW, 999900, B_AT_OR_ABOVE, 999000, 100},
                                        {B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 250},
                                        {B_BELOW, 990000, B_NONE, 0, 500}};
static const tier_def terms_a_own[] = {{B_BELOW, 995000, B_AT_OR_ABOVE, 970000, 50}, {B_BELOW, 970000, B_NONE, 0, 150}};
static const plan_terms terms_a_pt[] = {{{"Standard"}, 1, false, {999000, TIERS(terms_a_std)}},
                                        {{"Premium", "Enterprise"}, 2, false, {999900, TIERS(terms_a_prem)}},
                                        {{NULL}, 0, true, {995000, NULL, 0}}};
static const service_def terms_a_services[] = {{"vm", false, K_ALL, 0, {0, TIERS(terms_a_own)}, terms_a_pt, 3}};
static const cause_def terms_a_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 55},
                                           {"maintenance", C_EXCLUDED, 3600, 1, 0, 25},
                                           {"customer", C_EXCLUDED, 0, 0, 0, 20}};
static const policy_def pol_terms_a = {
    .id = "by_plan", .sc = SC_TERMS, .text = text_terms_a, .svcs = terms_a_services, .nsvcs = 1,
    .causes = terms_a_causes, .ncauses = 3, .ncur = 2, .minimum = -1, .ineligible_plan = "Trial"};

/* Default terms that also name a plan, no schedule of the service's own:
 * the default terms use the policy's schedule. */
static const char text_terms_b[] =
    "policy plans2 \"Terms by plan, a default that names a plan\" version 1 {\n"
    "  currency USD\n"
    "  service vm \"Virtual Machines\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    terms for plans \"Gold\", \"Platinum\" \xc2\xa7" "3.1 {\n"
    "      commit 99.95%\n"
    "      credit of monthly fee, most severe tier applies \xc2\xa7" "4.1 {\n"
    "        below 99.95% -> 10%\n"
    "        below 99.5%  -> 30%\n"
    "        below 98%    -> 100%\n"
    "      }\n"
    "    }\n"
    "    default terms for plan \"Basic\" \xc2\xa7" "3.2 {\n"
    "      commit 99%\n"
    "    }\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99% and at or above 95% -> 5%\n"
    "    below 95%                     -> 10%\n"
    "  }\n"
    "  exclude maintenance up to 2 h per month \xc2\xa7" "5\n"
    "}\n";
static const tier_def terms_b_gold[] = {{B_BELOW, 999500, B_NONE, 0, 100},
                                        {B_BELOW, 995000, B_NONE, 0, 300},
                                        {B_BELOW, 980000, B_NONE, 0, 1000}};
static const tier_def terms_b_pol[] = {{B_BELOW, 990000, B_AT_OR_ABOVE, 950000, 50}, {B_BELOW, 950000, B_NONE, 0, 100}};
static const plan_terms terms_b_pt[] = {{{"Gold", "Platinum"}, 2, false, {999500, TIERS(terms_b_gold)}},
                                        {{"Basic"}, 1, true, {990000, NULL, 0}}};
static const service_def terms_b_services[] = {{"vm", false, K_ALL, 0, {0, NULL, 0}, terms_b_pt, 2}};
static const cause_def terms_b_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 70},
                                           {"maintenance", C_EXCLUDED, 7200, 1, 0, 30}};
static const policy_def pol_terms_b = {
    .id = "plans2", .sc = SC_TERMS, .text = text_terms_b, .svcs = terms_b_services, .nsvcs = 1,
    .tiers = {0, TIERS(terms_b_pol)}, .causes = terms_b_causes, .ncauses = 2, .ncur = 1, .minimum = -1};

static const char *const plan_pool[] = {"Standard", "Premium", "Enterprise", "Gold", "Platinum", "Basic",
                                        "Trial", "", "Silver", "standard", "gold", "Premium "};

/* --- 3. Exclusion caps per calendar quarter or year, announcements ---- */

static const tier_def q_tiers[] = {{B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 100}, {B_BELOW, 990000, B_NONE, 0, 250}};
static const tier_def q_api_tiers[] = {{B_BELOW, 995000, B_NONE, 0, 50}};
static const service_def q_services[] = {{"web", false, K_ALL, 0, {999000, NULL, 0}, NULL, 0},
                                         {"api", false, K_ALL, 0, {995000, TIERS(q_api_tiers)}, NULL, 0}};

static const char text_q_a[] =
    "policy quarters \"Maintenance capped per calendar quarter\" version 1 {\n"
    "  currency USD\n"
    "  service web \"Web\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.5%\n"
    "    credit of monthly fee \xc2\xa7" "4.2 { below 99.5% -> 5% }\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "  exclude maintenance up to 3 h per calendar quarter announced at least 24 h ahead \xc2\xa7" "5\n"
    "  exclude beta up to 20 min per month \xc2\xa7" "5\n"
    "  exclude customer \xc2\xa7" "6\n"
    "}\n";
static const cause_def q_a_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 25},
                                       {"maintenance", C_EXCLUDED, 3 * 3600, 3, 86400, 45},
                                       {"beta", C_EXCLUDED, 1200, 1, 0, 18},
                                       {"customer", C_EXCLUDED, 0, 0, 0, 12}};
static const policy_def pol_q_a = {
    .id = "quarters", .sc = SC_QUARTERS, .text = text_q_a, .svcs = q_services, .nsvcs = 2,
    .tiers = {0, TIERS(q_tiers)}, .causes = q_a_causes, .ncauses = 4, .ncur = 1, .minimum = -1};

static const char text_q_b[] =
    "policy quarters2 \"Maintenance per quarter, third parties announced\" version 1 {\n"
    "  currency USD\n"
    "  service web \"Web\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.5%\n"
    "    credit of monthly fee \xc2\xa7" "4.2 { below 99.5% -> 5% }\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "  exclude maintenance up to 150 min per quarter \xc2\xa7" "5\n"
    "  exclude third_party announced at least 2 h ahead \xc2\xa7" "5\n"
    "  exclude beta up to 20 min per calendar month \xc2\xa7" "5\n"
    "  exclude customer \xc2\xa7" "6\n"
    "}\n";
static const cause_def q_b_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 25},
                                       {"maintenance", C_EXCLUDED, 150 * 60, 3, 0, 35},
                                       {"third_party", C_EXCLUDED, 0, 0, 7200, 15},
                                       {"beta", C_EXCLUDED, 1200, 1, 0, 15},
                                       {"customer", C_EXCLUDED, 0, 0, 0, 10}};
static const policy_def pol_q_b = {
    .id = "quarters2", .sc = SC_QUARTERS, .text = text_q_b, .svcs = q_services, .nsvcs = 2,
    .tiers = {0, TIERS(q_tiers)}, .causes = q_b_causes, .ncauses = 5, .ncur = 1, .minimum = -1};

static const char text_q_c[] =
    "policy yearly \"Maintenance capped per calendar year\" version 1 {\n"
    "  currency USD\n"
    "  service web \"Web\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.5%\n"
    "    credit of monthly fee \xc2\xa7" "4.2 { below 99.5% -> 5% }\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "  exclude maintenance up to 5 h per calendar year announced at least 2 days ahead \xc2\xa7" "5\n"
    "  exclude beta up to 20 min per month \xc2\xa7" "5\n"
    "  exclude customer, third_party \xc2\xa7" "6\n"
    "}\n";
static const cause_def q_c_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 25},
                                       {"maintenance", C_EXCLUDED, 5 * 3600, 12, 2 * 86400, 40},
                                       {"beta", C_EXCLUDED, 1200, 1, 0, 15},
                                       {"customer", C_EXCLUDED, 0, 0, 0, 10},
                                       {"third_party", C_EXCLUDED, 0, 0, 0, 10}};
static const policy_def pol_q_c = {
    .id = "yearly", .sc = SC_QUARTERS, .text = text_q_c, .svcs = q_services, .nsvcs = 2,
    .tiers = {0, TIERS(q_tiers)}, .causes = q_c_causes, .ncauses = 5, .ncur = 1, .minimum = -1};

/* --- 4. Credit caps over a period ------------------------------------ */

static const tier_def p_tiers[] = {{B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 100},
                                   {B_BELOW, 990000, B_AT_OR_ABOVE, 950000, 250},
                                   {B_BELOW, 950000, B_NONE, 0, 600}};
static const service_def p_services[] = {{"app", false, K_ALL, 0, {999000, NULL, 0}, NULL, 0}};
static const cause_def p_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 0}, {"maintenance", C_EXCLUDED, 600, 1, 0, 0}};

#define P_HEAD(id, title)                                                     \
  "policy " id " \"" title "\" version 1 {\n"                                 \
  "  currency USD, EUR\n"                                                     \
  "  service app \"App\" {\n"                                                 \
  "    measure unavailable minutes \xc2\xa7" "2\n"                            \
  "    commit 99.9%\n"                                                        \
  "  }\n"                                                                     \
  "  credit of monthly fee \xc2\xa7" "4 {\n"                                  \
  "    below 99.9% and at or above 99% -> 10%\n"                              \
  "    below 99% and at or above 95%   -> 25%\n"                              \
  "    below 95%                       -> 60%\n"                              \
  "  }\n"                                                                     \
  "  exclude maintenance up to 10 min per month \xc2\xa7" "5\n"

static const char text_p_a[] =
    P_HEAD("yearcap", "Credits capped per calendar year")
    "  credits never exceed 50% of monthly fee \xc2\xa7" "7\n"
    "  credits never exceed 10% of fees per calendar year \xc2\xa7" "7\n"
    "  issue credit only if amount greater than 1.00 USD or 1.00 EUR \xc2\xa7" "8\n"
    "}\n";
static const policy_def pol_p_a = {
    .id = "yearcap", .sc = SC_PERIOD, .text = text_p_a, .svcs = p_services, .nsvcs = 1,
    .tiers = {0, TIERS(p_tiers)}, .causes = p_causes, .ncauses = 2, .ncur = 2, .max_pct = 50,
    .pcap_pct = 10, .pcap_months = 12, .pcap_fees = true, .minimum = 100};

static const char text_p_b[] =
    P_HEAD("quartercap", "Credits capped per calendar quarter")
    "  credits never exceed 100% of monthly fee per calendar quarter \xc2\xa7" "7\n"
    "  issue credit only if amount at least 2.50 USD or 2.50 EUR \xc2\xa7" "8\n"
    "}\n";
static const policy_def pol_p_b = {
    .id = "quartercap", .sc = SC_PERIOD, .text = text_p_b, .svcs = p_services, .nsvcs = 1,
    .tiers = {0, TIERS(p_tiers)}, .causes = p_causes, .ncauses = 2, .ncur = 2, .pcap_pct = 100,
    .pcap_months = 3, .minimum = 250, .minimum_at_least = true};

static const char text_p_c[] =
    P_HEAD("rollingcap", "Credits capped per 12 months")
    "  credits never exceed 40% of monthly fee \xc2\xa7" "7\n"
    "  credits never exceed 10% of fees per 12 months \xc2\xa7" "7\n"
    "}\n";
static const policy_def pol_p_c = {
    .id = "rollingcap", .sc = SC_PERIOD, .text = text_p_c, .svcs = p_services, .nsvcs = 1,
    .tiers = {0, TIERS(p_tiers)}, .causes = p_causes, .ncauses = 2, .ncur = 2, .max_pct = 40,
    .pcap_pct = 10, .pcap_months = 12, .pcap_rolling = true, .pcap_fees = true, .minimum = -1};

static const char text_p_d[] =
    P_HEAD("feesquarter", "Credits capped per quarter, of fees")
    "  credits never exceed 50% of monthly fee \xc2\xa7" "7\n"
    "  credits never exceed 30% of fees per quarter \xc2\xa7" "7\n"
    "  issue credit only if amount greater than 1.00 USD or 1.00 EUR \xc2\xa7" "8\n"
    "}\n";
static const policy_def pol_p_d = {
    .id = "feesquarter", .sc = SC_PERIOD, .text = text_p_d, .svcs = p_services, .nsvcs = 1,
    .tiers = {0, TIERS(p_tiers)}, .causes = p_causes, .ncauses = 2, .ncur = 2, .max_pct = 50,
    .pcap_pct = 30, .pcap_months = 3, .pcap_fees = true, .minimum = 100};

/* --- 5. Calendar claim deadlines; errors of some kinds ---------------- */

static const tier_def c_tiers[] = {{B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 100}, {B_BELOW, 990000, B_NONE, 0, 250}};
static const service_def c_services[] = {{"web", false, K_ALL, 0, {999000, NULL, 0}, NULL, 0}};
static const cause_def c_causes[] = {{"outage", C_COUNTS, 0, 0, 0, 100}};

static const char text_c_a[] =
    "policy claims \"Calendar claim deadlines\" version 1 {\n"
    "  currency USD\n"
    "  service web \"Web\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "  claim required \xc2\xa7" "6 {\n"
    "    ticket by end of 2nd billing month after interruption\n"
    "    claim within 2 months of interruption\n"
    "  }\n"
    "}\n";
static const policy_def pol_c_a = {
    .id = "claims", .sc = SC_CLAIMS, .text = text_c_a, .svcs = c_services, .nsvcs = 1,
    .tiers = {0, TIERS(c_tiers)}, .causes = c_causes, .ncauses = 1, .ncur = 1, .minimum = -1,
    .ticket = {2, true}, .claim = {2, false}};

static const char text_c_b[] =
    "policy claims2 \"Calendar claim deadlines, the other way round\" version 1 {\n"
    "  currency USD\n"
    "  service web \"Web\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "  claim required \xc2\xa7" "6 {\n"
    "    ticket within 1 month of interruption\n"
    "    claim by end of 1st billing month after interruption\n"
    "  }\n"
    "}\n";
static const policy_def pol_c_b = {
    .id = "claims2", .sc = SC_CLAIMS, .text = text_c_b, .svcs = c_services, .nsvcs = 1,
    .tiers = {0, TIERS(c_tiers)}, .causes = c_causes, .ncauses = 1, .ncur = 1, .minimum = -1,
    .ticket = {1, false}, .claim = {1, true}};

static const char text_e[] =
    "policy kinds \"Errors of some kinds\" version 1 {\n"
    "  currency USD, EUR\n"
    "  service storage \"Object Storage\" {\n"
    "    measure average error rate over 5 min windows \xc2\xa7" "2\n"
    "    count only errors of kind internal, unavailable \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service api \"API\" {\n"
    "    measure average error rate over 5 min windows \xc2\xa7" "2\n"
    "    ignore errors of kind throttled, client \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "}\n";
static const service_def e_services[] = {{"storage", true, K_ONLY, 0x3, {999000, NULL, 0}, NULL, 0},
                                         {"api", true, K_IGNORE, 0xC, {999000, NULL, 0}, NULL, 0}};
static const policy_def pol_e = {
    .id = "kinds", .sc = SC_KINDS, .text = text_e, .svcs = e_services, .nsvcs = 2,
    .tiers = {0, TIERS(c_tiers)}, .causes = c_causes, .ncauses = 1, .ncur = 2, .minimum = -1};

/* --- Today's constructs only ----------------------------------------- */

/* Policies of language v1 run through the same generation, files and
 * comparison, so that this test proves its own harness against today's
 * slac before the v2 constructs exist: several services on one monthly
 * fee (the highest tier), monthly caps, a maximum and a minimum; and
 * window error rates with every error counted (the kind columns are
 * unknown columns to such a policy). */
static const char text_v1[] =
    "policy baseline \"Today's constructs\" version 1 {\n"
    "  currency USD, EUR\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "    credit of monthly fee \xc2\xa7" "4.1 {\n"
    "      below 99.9% and at or above 99% -> 10%\n"
    "      below 99%                       -> 25%\n"
    "    }\n"
    "  }\n"
    "  service db \"Database\" {\n"
    "    measure unavailable minutes \xc2\xa7" "2\n"
    "    commit 99.95%\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.95% and at or above 99.5% -> 12.5%\n"
    "    below 99.5%                        -> 30%\n"
    "  }\n"
    "  exclude maintenance up to 30 min per month \xc2\xa7" "5\n"
    "  exclude customer, third_party \xc2\xa7" "5\n"
    "  credits never exceed 20% of monthly fee \xc2\xa7" "6\n"
    "  issue credit only if amount greater than 5.00 USD or 5.00 EUR \xc2\xa7" "6\n"
    "}\n";
static const tier_def v1_api[] = {{B_BELOW, 999000, B_AT_OR_ABOVE, 990000, 100}, {B_BELOW, 990000, B_NONE, 0, 250}};
static const tier_def v1_pol[] = {{B_BELOW, 999500, B_AT_OR_ABOVE, 995000, 125}, {B_BELOW, 995000, B_NONE, 0, 300}};
static const service_def v1_services[] = {{"api", false, K_ALL, 0, {999000, TIERS(v1_api)}, NULL, 0},
                                          {"db", false, K_ALL, 0, {999500, NULL, 0}, NULL, 0}};
static const policy_def pol_v1 = {
    .id = "baseline", .sc = SC_SERVICES, .text = text_v1, .svcs = v1_services, .nsvcs = 2,
    .tiers = {0, TIERS(v1_pol)}, .causes = svc_a_causes, .ncauses = 4, .ncur = 2, .max_pct = 20, .minimum = 500};

static const char text_v1w[] =
    "policy baselinew \"Today's window error rates\" version 1 {\n"
    "  currency USD, EUR\n"
    "  service storage \"Object Storage\" {\n"
    "    measure average error rate over 5 min windows \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service api \"API\" {\n"
    "    measure average error rate over 5 min windows \xc2\xa7" "2\n"
    "    commit 99.9%\n"
    "  }\n"
    "  credit of monthly fee \xc2\xa7" "4 {\n"
    "    below 99.9% and at or above 99% -> 10%\n"
    "    below 99%                       -> 25%\n"
    "  }\n"
    "}\n";
static const service_def v1w_services[] = {{"storage", true, K_ALL, 0x3, {999000, NULL, 0}, NULL, 0},
                                           {"api", true, K_ALL, 0xC, {999000, NULL, 0}, NULL, 0}};
static const policy_def pol_v1w = {
    .id = "baselinew", .sc = SC_KINDS, .text = text_v1w, .svcs = v1w_services, .nsvcs = 2,
    .tiers = {0, TIERS(c_tiers)}, .causes = c_causes, .ncauses = 1, .ncur = 2, .minimum = -1};

/* Every generated error rate is e/d with d dividing L_DEN. */
#define L_DEN INT64_C(18018000) /* 2^4 3^2 5^3 7 11 13 = lcm(1..16, 1000) */
static const int64_t denominators[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 25, 100, 1000};

/* ------------------------------------------------------------------ */
/* Generated data.                                                       */

#define NO_TIME INT64_MIN
enum { MAXS = 3, MAXC = 8, MAXZ = 8, MAXINC = 64 };

typedef struct { int64_t s, e; } span;
typedef struct {
  int64_t s, e;
  int cause, svc;
  int64_t announced; /* NO_TIME: empty field */
} incident;
typedef struct {
  int64_t start;
  int svc;
  int64_t requests, errors, kind[NKIND], other; /* other: errors of no named kind */
} wrow;

typedef struct {
  char name[64];
  /* accounts file */
  int currency;                 /* 0 USD, 1 EUR */
  const char *plan;
  int64_t charge[MAXS];         /* cents per service of the policy */
  int64_t support;              /* a charge the policy does not credit; -1: none */
  int64_t fee;                  /* cents: the sum of the rows */
  /* data */
  incident inc[MAXINC];
  int ninc;
  wrow *win;
  int nwin, capwin;
  int64_t hist[NH];             /* credits of earlier months; -1: no row */
  bool claim[NM];
  int64_t ticket[NM], claimed[NM];
  long first_row;               /* first data row, for the order without accounts */
  /* the model's measurements */
  int64_t unavail[MAXS][NM], exclmin[MAXS][NM];
  int64_t errn[MAXS][NM];       /* sum of window error rates, over L_DEN */
  int64_t first_down[NM];       /* start of the first unavailable minute, -1 none */
} account;

typedef struct {
  const policy_def *pd;
  account *acc;
  int nacc;
  bool touched[NM];
  bool with_announced;          /* the incidents file has an `announced` column */
  bool has_history, has_claims;
  uint64_t seed;
} world;

static const char *const currencies[2] = {"USD", "EUR"};

static int64_t random_fee(void) {
  /* fees that put amounts exactly on a minimum, a cap or a half cent */
  static const int64_t special[] = {400, 1000, 1001, 404, 2000, 2001, 2002, 2004, 0, 1, 50, 10000000, 999, 8};
  if (below(3) == 0) return special[below(14)];
  return below(4) == 0 ? below(100) * 100 : below(200000);
}

static void add_incident(account *a, int64_t s, int64_t e, int cause, int svc, int64_t announced) {
  assert_true(a->ninc < MAXINC);
  assert_true(s <= e && s >= mstart[0] && e < mstart[NM]);
  a->inc[a->ninc++] = (incident){s, e, cause, svc, announced};
}

static int pick_cause(const policy_def *pd) {
  int r = (int)below(100);
  for (int c = 0; c < pd->ncauses; c++) {
    if (r < pd->causes[c].weight) return c;
    r -= pd->causes[c].weight;
  }
  return 0;
}

/* An announcement for an incident starting at S: on the notice exactly, a
 * second late, much earlier, after the start, or none. */
static int64_t pick_announced(const policy_def *pd, int cause, int64_t s) {
  int64_t n = pd->causes[cause].notice ? pd->causes[cause].notice : 86400;
  switch (below(10)) {
  case 0: return NO_TIME;
  case 1: case 2: return s - n - below(5 * 86400);
  case 3: return s - n;
  case 4: return s - n + 1;
  case 5: return s - n + between(1, n);
  case 6: return s + below(3600);
  default: return s - n - below(600);
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

/* Up to MAXZ zones of 10 to MAXLEN minutes (a quarter of them up to three
 * times that), half of them around a month edge, each with a few
 * overlapping incidents of random causes and services. */
static void gen_zoned(const policy_def *pd, account *a, int maxz, int64_t maxlen) {
  span z[MAXZ];
  int n = (int)below(maxz + 1), nz = 0;
  for (int i = 0; i < n; i++) {
    int64_t len = between(10, below(4) ? maxlen : 3 * maxlen) * 60, start;
    if (below(2)) start = mstart[between(1, NM - 1)] - between(0, len / 60) * 60;
    else start = mstart[0] + below((mstart[NM] - mstart[0] - len) / 60) * 60;
    if (start < mstart[0]) start = mstart[0];
    if (start + len > mstart[NM] - 60) start = mstart[NM] - 60 - len;
    z[i] = (span){start, start + len};
  }
  for (int i = 1; i < n; i++) /* sort */
    for (int j = i; j > 0 && z[j].s < z[j - 1].s; j--) {
      span t = z[j];
      z[j] = z[j - 1];
      z[j - 1] = t;
    }
  for (int i = 0; i < n; i++) {
    if (nz && z[i].s <= z[nz - 1].e) {
      if (z[i].e > z[nz - 1].e) z[nz - 1].e = z[i].e;
    } else {
      z[nz++] = z[i];
    }
  }
  for (int i = 0; i < nz; i++) {
    int m = (int)between(1, 6);
    for (int j = 0; j < m && a->ninc < MAXINC; j++) {
      int64_t s = pick_time(a, z[i]), e = pick_time(a, z[i]);
      if (s > e) { int64_t t = s; s = e; e = t; }
      if (below(20) == 0) e = s; /* empty */
      int c = pick_cause(pd);
      add_incident(a, s, e, c, (int)below(pd->nsvcs), pick_announced(pd, c, s));
    }
  }
}

/* The slot of the cap period that month K belongs to: the first of our
 * months in the same calendar month, quarter or year, so that one array
 * per cause holds every allowance (October 2027, in Q4 with November and
 * December, has no data and so uses none of Q4's). */
static int cap_slot(int cap_months, int k) {
  int64_t mk = MN0 + k;
  for (int j = 0; j <= k; j++) {
    int64_t mj = MN0 + j;
    if (cap_months == 1 ? mj == mk : cap_months == 3 ? mj / 3 == mk / 3 : mj / 12 == mk / 12) return j;
  }
  return k;
}

/* Incidents of one capped cause whose union in one cap period (a month,
 * a quarter or a year, spread over its months in time order) is the
 * allowance give or take a second or a minute, so that the last second
 * of the allowance decides a minute; maybe a late-announced incident of
 * the cause among them (it uses none of the allowance) and an outage
 * over the end. */
static void gen_cap_probe(const policy_def *pd, account *a) {
  int capped[MAXC], nc = 0;
  for (int c = 1; c < pd->ncauses; c++)
    if (pd->causes[c].cap) capped[nc++] = c;
  if (!nc) return;
  int c = capped[below(nc)], s = (int)below(pd->nsvcs);
  const cause_def *cd = &pd->causes[c];
  int km[NM], nk = 0, k0 = (int)below(NM);
  for (int k = 0; k < NM; k++)
    if (cap_slot(cd->cap_months, k) == cap_slot(cd->cap_months, k0)) km[nk++] = k;
  static const int64_t deltas[] = {-1, 0, 1, 30, 59, 60, 61, -60};
  int64_t total = cd->cap + deltas[below(8)];
  int n = (int)between(1, 4);
  int64_t len[4], left = total;
  for (int i = 0; i < n; i++) {
    len[i] = i == n - 1 ? left : between(1, left - (n - 1 - i));
    left -= len[i];
  }
  int64_t last_end = 0;
  for (int i = 0; i < n; i++) {
    int k = km[(int64_t)i * nk / n];
    /* a part a day at most, six days apart: disjoint and in time order */
    int64_t t = mstart[k] + (i * 6 + below(5)) * 86400 + below(86400 - len[i] % 86400);
    int64_t ann = cd->notice ? t - cd->notice - below(1000) : pick_announced(pd, c, t);
    add_incident(a, t, t + len[i], c, s, ann);
    last_end = t + len[i];
    if (cd->notice && below(3) == 0 && t - 3 * 3600 >= mstart[0]) {
      int64_t u = t - 3 * 3600;
      add_incident(a, u, u + between(60, 3000), c, s, u - cd->notice + between(1, 600));
    }
  }
  if (below(3) == 0) add_incident(a, last_end - between(1, 120), last_end + between(0, 120), 0, s, NO_TIME);
}

/* Every threshold of service S (commitments and tier bounds of all its
 * terms, its own schedule and the policy's). */
static int thresholds(const policy_def *pd, int s, int64_t *out) {
  const service_def *sd = &pd->svcs[s];
  const terms_def *all[8];
  int nt = 0, n = 0;
  all[nt++] = &sd->t;
  for (int i = 0; i < sd->npt; i++) all[nt++] = &sd->pt[i].t;
  all[nt++] = &pd->tiers;
  for (int i = 0; i < nt; i++) {
    if (all[i]->commit) out[n++] = all[i]->commit;
    for (int j = 0; j < all[i]->ntiers; j++) {
      if (all[i]->tiers[j].k1 != B_NONE) out[n++] = all[i]->tiers[j].v1;
      if (all[i]->tiers[j].k2 != B_NONE) out[n++] = all[i]->tiers[j].v2;
    }
  }
  return n;
}

/* Downtime of whole minutes just below, on or just above a threshold of a
 * service in one month (432 minutes of a 30-day month are exactly 1%),
 * as one outage, some counting incidents inside it and, in another
 * service, an incident elsewhere. */
static void gen_boundary(const policy_def *pd, account *a) {
  int64_t th[64];
  int s = (int)below(pd->nsvcs), k = (int)below(NM);
  int nth = thresholds(pd, s, th);
  int64_t v = th[below(nth)], mm = month_minutes(k);
  int64_t n = mm * (1000000 - v) / 1000000 + between(-1, 1);
  if (n < 0) n = 0;
  int64_t start = mstart[k] + below(mm - n + 1) * 60;
  if (start + n * 60 >= mstart[NM]) start -= 60;
  add_incident(a, start, start + n * 60, 0, s, NO_TIME);
  span z = {start, start + n * 60};
  for (int i = (int)below(4); i > 0; i--) {
    int64_t x = pick_time(a, z), y = pick_time(a, z);
    add_incident(a, x < y ? x : y, x < y ? y : x, 0, s, NO_TIME);
  }
  if (pd->nsvcs > 1 && below(2)) {
    int64_t t = mstart[0] + below((mstart[NM] - mstart[0]) / 60 - 200) * 60;
    int c = pick_cause(pd);
    add_incident(a, t, t + between(1, 150) * 60 + below(60), c, (s + 1) % pd->nsvcs, pick_announced(pd, c, t));
  }
}

/* Most months one outage of a random size (1 to 3,200 minutes: every tier
 * of the policies), sometimes starting mid-minute or in the last days of
 * the month (MONTH_END, for deadlines clamped to a short month), and
 * sometimes a maintenance overlapping it. */
static void gen_monthly(const policy_def *pd, account *a, bool month_end) {
  for (int k = 0; k < NM; k++) {
    if (below(4) == 0) continue;
    int r = (int)below(10);
    int64_t n = r < 3 ? between(1, 60) : r < 6 ? between(40, 600) : r < 8 ? between(400, 2000) : between(2100, 3200);
    int64_t mm = month_minutes(k), start;
    if (month_end && below(3) == 0) start = mstart[k + 1] - between(1, 3 * 1440) * 60;
    else start = mstart[k] + below(mm) * 60;
    if (below(3) == 0) start += below(60);
    if (start + n * 60 > mstart[NM] - 60) start = mstart[NM] - 60 - n * 60;
    int svc = (int)below(pd->nsvcs);
    add_incident(a, start, start + n * 60, 0, svc, NO_TIME);
    if (pd->ncauses > 1 && below(3) == 0) {
      int64_t ms = start + between(-30, n) * 60 + below(60), me = ms + between(1, 30) * 60;
      if (ms < mstart[0]) ms = mstart[0];
      if (me < mstart[NM] - 60) add_incident(a, ms, me, 1, svc, NO_TIME);
    }
  }
}

/* Window rows of one service and month.  The rate e/d (d dividing L_DEN)
 * is hidden in the columns: for `count only` services the named kinds sum
 * to the counted errors and the rest of `errors` is other kinds; for
 * `ignore` services the ignored kinds are the difference. */
static void add_window(account *a, const policy_def *pd, int s, int k, uint8_t *used, int64_t d, int64_t e,
                       int64_t mult) {
  int64_t w = month_windows(k), idx;
  int tries = 0;
  do idx = below(w); while (used[idx] && ++tries < 1000);
  if (used[idx]) return;
  used[idx] = 1;
  if (a->nwin == a->capwin) {
    a->capwin = a->capwin ? 2 * a->capwin : 64;
    a->win = realloc(a->win, (size_t)a->capwin * sizeof *a->win);
    assert_non_null(a->win);
  }
  wrow *r = &a->win[a->nwin++];
  memset(r, 0, sizeof *r);
  r->start = mstart[k] + idx * 300;
  r->svc = s;
  r->requests = d * mult;
  /* X: errors the service does not count (none where it counts them all) */
  int64_t counted = e * mult, x = pd->svcs[s].kinds == K_ALL ? 0 : below(r->requests - counted + 1);
  unsigned mask = pd->svcs[s].kind_mask;
  int named[NKIND], nn = 0, other[NKIND], no = 0;
  for (int i = 0; i < NKIND; i++) {
    if (mask & (1u << i)) named[nn++] = i;
    else other[no++] = i;
  }
  /* for K_ONLY the named kinds carry COUNTED; for K_IGNORE they carry X */
  int64_t in_named = pd->svcs[s].kinds == K_ONLY ? counted : x, in_other = counted + x - in_named;
  for (int i = 0; i < nn; i++) {
    int64_t part = i == nn - 1 ? in_named : below(in_named + 1);
    r->kind[named[i]] = part;
    in_named -= part;
  }
  for (int i = 0; i < no; i++) {
    int64_t part = below(in_other + 1);
    r->kind[other[i]] = part;
    in_other -= part;
  }
  r->other = in_other;
  r->errors = counted + x;
}

static int64_t random_mult(void) {
  int r = (int)below(10);
  return r < 5 ? 1 : r < 9 ? between(1, 1000000) : between(1, INT64_C(1000000000));
}

static void gen_windows(const policy_def *pd, account *a) {
  uint8_t *used = malloc(31 * 288); /* the windows of the longest month */
  assert_non_null(used);
  for (int s = 0; s < pd->nsvcs; s++)
    for (int k = 0; k < NM; k++) {
      int mode = (int)below(10);
      if (mode < 3) continue;
      memset(used, 0, (size_t)month_windows(k));
      if (mode < 6) { /* sparse random rates */
        int n = (int)below(30);
        for (int i = 0; i < n; i++) {
          if (below(10) == 0) { add_window(a, pd, s, k, used, 0, 0, 0); continue; }
          int64_t d = denominators[below(19)];
          add_window(a, pd, s, k, used, d, below(d + 1), random_mult());
        }
      } else if (mode < 8) { /* heavy: tiers of 10% and 25% */
        int n = (int)between(5, 150);
        for (int i = 0; i < n; i++) {
          int64_t d = denominators[below(19)];
          add_window(a, pd, s, k, used, d, below(3) ? d : below(d + 1), random_mult());
        }
      } else {
        /* a sum of exactly W/1000 or W/100 windows (uptime exactly 99.9%
         * or 99%), 1/L_DEN more (just missed) or 1/1000 less (just met) */
        int64_t w = month_windows(k), den = below(2) ? 1000 : 100, whole = w / den, frac = w % den;
        int v = (int)below(3);
        for (int64_t i = 0; i < whole; i++) add_window(a, pd, s, k, used, 1, 1, random_mult());
        if (den == 1000) add_window(a, pd, s, k, used, 1000, v == 2 && frac ? frac - 1 : frac, random_mult());
        else add_window(a, pd, s, k, used, 100, v == 2 && frac ? frac - 1 : frac, random_mult());
        if (v == 1) add_window(a, pd, s, k, used, L_DEN, 1, 1);
      }
    }
  free(used);
}

static void make_world(world *wd, const policy_def *pd, int nacc, uint64_t seed) {
  rng = seed;
  memset(wd, 0, sizeof *wd);
  wd->pd = pd;
  wd->seed = seed;
  wd->nacc = nacc;
  wd->acc = calloc((size_t)nacc, sizeof *wd->acc);
  assert_non_null(wd->acc);
  wd->with_announced = pd->sc == SC_QUARTERS;
  wd->has_history = pd->sc == SC_PERIOD;
  wd->has_claims = pd->sc == SC_CLAIMS;
  for (int i = 0; i < nacc; i++) {
    account *a = &wd->acc[i];
    if (i % 17 == 5) snprintf(a->name, sizeof a->name, "M\xc3\xbcller, \"GmbH\" %d", i);
    else snprintf(a->name, sizeof a->name, "acct-%03d", i);
    a->currency = (int)below(pd->ncur);
    a->plan = pd->sc == SC_TERMS ? plan_pool[below(12)] : "";
    a->support = -1;
    a->fee = 0;
    if (pd->service_charge) {
      for (int s = 0; s < pd->nsvcs; s++) a->fee += a->charge[s] = below(5) ? random_fee() : 0;
      if (below(3) == 0) a->fee += a->support = random_fee();
    } else {
      a->fee = a->charge[0] = random_fee();
    }
    for (int h = 0; h < NH; h++) a->hist[h] = -1;
    if (wd->has_history && below(5) < 3)
      for (int h = 0; h < NH; h++)
        if (below(5) < 2) a->hist[h] = below(a->fee * 6 / 10 + 1);
    if (i % 7 == 3) continue; /* listed, but no data at all */
    switch (pd->sc) {
    case SC_SERVICES: case SC_TERMS:
      if (below(6) == 0) gen_boundary(pd, a);
      else if (below(8) == 0) gen_cap_probe(pd, a);
      else gen_zoned(pd, a, 5, 360);
      break;
    case SC_QUARTERS:
      if (below(8) == 0) gen_boundary(pd, a);
      else if (below(4) == 0) gen_cap_probe(pd, a);
      else gen_zoned(pd, a, 8, 240);
      break;
    case SC_PERIOD: gen_monthly(pd, a, false); break;
    case SC_CLAIMS:
      if (below(6) == 0) gen_boundary(pd, a);
      else gen_monthly(pd, a, true);
      break;
    case SC_KINDS: gen_windows(pd, a); break;
    }
    for (int j = 0; j < a->ninc; j++) {
      int k0 = month_of(a->inc[j].s), k1 = a->inc[j].e > a->inc[j].s ? month_of(a->inc[j].e - 1) : k0;
      for (int k = k0; k <= k1; k++) wd->touched[k] = true;
    }
    for (int j = 0; j < a->nwin; j++) wd->touched[month_of(a->win[j].start)] = true;
  }
}

static void free_world(world *wd) {
  for (int i = 0; i < wd->nacc; i++) free(wd->acc[i].win);
  free(wd->acc);
}

/* ------------------------------------------------------------------ */
/* Deadlines (the model's; claims are generated on and around them).     */

/* "by end of Nth billing month after interruption": the first instant of
 * the (N+1)th month after the interruption's month, exclusive; "within N
 * months of interruption": the same day N months later (the month's last
 * day where that day does not exist), same time, inclusive. */
static int64_t deadline(const deadline_def *r, int64_t intr) {
  int64_t y, m, d, sod = intr % 86400;
  civil_from_days(intr / 86400, &y, &m, &d);
  int64_t mn = y * 12 + m - 1 + r->months;
  if (r->by_end) return month_first_second(mn + 1);
  int64_t dim = (month_first_second(mn + 1) - month_first_second(mn)) / 86400;
  return days_from_civil(mn / 12, mn % 12 + 1, d < dim ? d : dim) * 86400 + sod;
}

static bool in_time(const deadline_def *r, int64_t intr, int64_t t) {
  if (!r->months) return true;
  /* dated before the interruption: does not claim it (CONTRACT §6.2).
   * Reading: dated at the interruption's very instant, it does */
  if (t < intr) return false;
  int64_t dl = deadline(r, intr);
  return r->by_end ? t < dl : t <= dl;
}

static int64_t pick_claim_time(const deadline_def *r, int64_t intr) {
  int64_t dl = deadline(r, intr);
  switch (below(10)) {
  case 0: return intr - between(1, 86400);
  case 1: return intr;
  case 2: return dl;
  case 3: return dl - 1;
  case 4: return dl + 1;
  case 5: return dl + between(2, 20 * 86400);
  default: return between(intr, dl);
  }
}

/* Claims for most months owed a credit (the model's first unavailable
 * minute is the interruption) and for a few that are not. */
static void gen_claims(world *wd) {
  const policy_def *pd = wd->pd;
  for (int i = 0; i < wd->nacc; i++) {
    account *a = &wd->acc[i];
    for (int k = 0; k < NM; k++) {
      if (a->first_down[k] < 0) {
        if (below(10) == 0) {
          a->claim[k] = true;
          a->ticket[k] = a->claimed[k] = mstart[k] + below(40 * 86400);
        }
        continue;
      }
      if (below(8) == 0) continue;
      a->claim[k] = true;
      a->ticket[k] = pick_claim_time(&pd->ticket, a->first_down[k]);
      a->claimed[k] = pick_claim_time(&pd->claim, a->first_down[k]);
    }
  }
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

static void fee_text(FILE *f, int64_t cents) {
  if (cents % 100 == 0 && below(2)) fprintf(f, "%lld", (long long)(cents / 100));
  else if (cents % 10 == 0 && below(2)) fprintf(f, "%lld.%lld", (long long)(cents / 100), (long long)(cents % 100 / 10));
  else fprintf(f, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

static void write_accounts(const world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  const policy_def *pd = wd->pd;
  if (pd->service_charge) fputs("service,account,currency,fee\n", f);
  else if (pd->sc == SC_TERMS) fputs("account,plan,fee,currency\n", f);
  else fputs("account,fee,currency\n", f);
  for (int i = 0; i < wd->nacc; i++) {
    const account *a = &wd->acc[i];
    const char *cur = currencies[a->currency];
    if (pd->service_charge) {
      /* one row per service, in random order, and the support charge */
      int order[MAXS + 1], n = 0;
      for (int s = 0; s < pd->nsvcs; s++) order[n++] = s;
      if (a->support >= 0) order[n++] = MAXS;
      for (int j = n - 1; j > 0; j--) {
        int r = (int)below(j + 1), t = order[j];
        order[j] = order[r];
        order[r] = t;
      }
      for (int j = 0; j < n; j++) {
        fprintf(f, "%s,", order[j] == MAXS ? "support" : pd->svcs[order[j]].id);
        csv_name(f, a->name);
        fprintf(f, ",%s,", cur);
        fee_text(f, order[j] == MAXS ? a->support : a->charge[order[j]]);
        fputc('\n', f);
      }
      continue;
    }
    csv_name(f, a->name);
    if (pd->sc == SC_TERMS) {
      fputc(',', f);
      csv_name(f, a->plan);
    }
    fputc(',', f);
    fee_text(f, a->fee);
    fprintf(f, ",%s\n", cur);
  }
  fclose(f);
}

typedef struct { int acc; int64_t t; int idx; } row;

static void shuffle_rows(row *r, size_t n) {
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)below((int64_t)i);
    row t = r[i - 1];
    r[i - 1] = r[j];
    r[j] = t;
  }
}

/* Incidents in random order, with an `announced` column when the world
 * has one. */
static void write_incidents(world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(wd->with_announced ? "id,cause,end,service,account,start,announced,note\n"
                           : "id,cause,end,service,account,start,note\n", f);
  size_t n = 0;
  for (int i = 0; i < wd->nacc; i++) n += (size_t)wd->acc[i].ninc;
  row *rows = calloc(n + 1, sizeof *rows);
  assert_non_null(rows);
  n = 0;
  for (int i = 0; i < wd->nacc; i++)
    for (int j = 0; j < wd->acc[i].ninc; j++) rows[n++] = (row){i, 0, j};
  shuffle_rows(rows, n);
  for (size_t r = 0; r < n; r++) {
    account *a = &wd->acc[rows[r].acc];
    const incident *in = &a->inc[rows[r].idx];
    const char *cause = wd->pd->causes[in->cause].name;
    if (in->cause == 0 && below(2)) cause = "";
    fprintf(f, "INC-%zu,%s,", r, cause);
    write_time(f, in->e);
    fprintf(f, ",%s,", wd->pd->svcs[in->svc].id);
    csv_name(f, a->name);
    fputc(',', f);
    write_time(f, in->s);
    if (wd->with_announced) {
      fputc(',', f);
      if (in->announced != NO_TIME) write_time(f, in->announced);
    }
    fputs(r % 5 ? ",\n" : ",\"a note, with \"\"quotes\"\"\"\n", f);
    if (a->first_row == 0) a->first_row = (long)r + 1;
  }
  free(rows);
  fclose(f);
}

static int by_time(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  if (a->t != b->t) return a->t < b->t ? -1 : 1;
  return (a->acc > b->acc) - (a->acc < b->acc);
}

/* Request windows in time order (rows of an account and service must
 * be), every kind column on every row. */
static void write_windows(const world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("errors_client,start,errors,service,requests,errors_internal,account,errors_unavailable,errors_throttled\n", f);
  size_t n = 0;
  for (int i = 0; i < wd->nacc; i++) n += (size_t)wd->acc[i].nwin;
  row *rows = calloc(n + 1, sizeof *rows);
  assert_non_null(rows);
  n = 0;
  for (int i = 0; i < wd->nacc; i++)
    for (int j = 0; j < wd->acc[i].nwin; j++) rows[n++] = (row){i, wd->acc[i].win[j].start, j};
  qsort(rows, n, sizeof *rows, by_time);
  for (size_t r = 0; r < n; r++) {
    const account *a = &wd->acc[rows[r].acc];
    const wrow *w = &a->win[rows[r].idx];
    fprintf(f, "%lld,", (long long)w->kind[3]);
    write_time(f, w->start);
    fprintf(f, ",%lld,%s,%lld,%lld,", (long long)w->errors, wd->pd->svcs[w->svc].id, (long long)w->requests,
            (long long)w->kind[0]);
    csv_name(f, a->name);
    fprintf(f, ",%lld,%lld\n", (long long)w->kind[1], (long long)w->kind[2]);
  }
  free(rows);
  fclose(f);
}

static void write_history(const world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("account,period,credit_amount,currency\n", f);
  for (int i = 0; i < wd->nacc; i++) {
    const account *a = &wd->acc[i];
    for (int h = 0; h < NH; h++) {
      if (a->hist[h] < 0) continue;
      char m[16];
      month_text(m, HIST0 + h);
      csv_name(f, a->name);
      fprintf(f, ",%s,%lld.%02lld,%s\n", m, (long long)(a->hist[h] / 100), (long long)(a->hist[h] % 100),
              currencies[a->currency]);
    }
  }
  fclose(f);
}

static void write_claims(const world *wd, const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("account,period,ticket_opened,claimed\n", f);
  for (int i = 0; i < wd->nacc; i++) {
    const account *a = &wd->acc[i];
    for (int k = 0; k < NM; k++) {
      if (!a->claim[k]) continue;
      char m[16];
      month_text(m, MN0 + k);
      csv_name(f, a->name);
      fprintf(f, ",%s,", m);
      write_time(f, a->ticket[k]);
      fputc(',', f);
      write_time(f, a->claimed[k]);
      fputc('\n', f);
    }
  }
  fclose(f);
}

/* ------------------------------------------------------------------ */
/* The model: measurement.                                               */

/* Whether incident IN counts as downtime: its cause counts, or the cause
 * needs a notice that was not given (no column, an empty field, or less
 * than the notice before the start); then it is an outage and uses no cap. */
static bool counts(const world *wd, const incident *in) {
  const cause_def *c = &wd->pd->causes[in->cause];
  if (c->mode == C_COUNTS) return true;
  if (!c->notice) return false;
  return !(wd->with_announced && in->announced != NO_TIME && in->s - in->announced >= c->notice);
}

static int by_start(const void *pa, const void *pb) {
  const span *a = pa, *b = pb;
  return (a->s > b->s) - (a->s < b->s);
}

static void model_minutes(const world *wd, account *a, int s) {
  const policy_def *pd = wd->pd;
  /* the minute-aligned hulls of this service's incidents, merged where
   * they overlap or touch: disjoint, in time order */
  span hull[MAXINC];
  int nh = 0;
  for (int j = 0; j < a->ninc; j++) {
    const incident *in = &a->inc[j];
    if (in->svc != s || in->e == in->s) continue;
    hull[nh++] = (span){in->s - in->s % 60, in->e + (60 - in->e % 60) % 60};
  }
  qsort(hull, (size_t)nh, sizeof *hull, by_start);
  int nz = 0;
  for (int i = 0; i < nh; i++) {
    if (nz && hull[i].s <= hull[nz - 1].e) {
      if (hull[i].e > hull[nz - 1].e) hull[nz - 1].e = hull[i].e;
    } else {
      hull[nz++] = hull[i];
    }
  }
  int64_t used[MAXC][NM];
  memset(used, 0, sizeof used);
  for (int z = 0; z < nz; z++) {
    span zn = hull[z];
    size_t len = (size_t)(zn.e - zn.s), nmin = len / 60;
    uint8_t *cnt = calloc(len, 1), *mask = calloc(len, 1);
    /* per minute: touched by a counting second, by an excluded one */
    uint8_t *mcnt = calloc(nmin, 1), *mexcl = calloc(nmin, 1);
    assert_true(cnt && mask && mcnt && mexcl);
    for (int j = 0; j < a->ninc; j++) {
      const incident *in = &a->inc[j];
      if (in->svc != s || in->s < zn.s || in->e > zn.e || in->e == in->s) continue;
      size_t off = (size_t)(in->s - zn.s), n = (size_t)(in->e - in->s);
      size_t m0 = off / 60, m1 = (off + n - 1) / 60;
      if (counts(wd, in)) {
        memset(cnt + off, 1, n);
        memset(mcnt + m0, 1, m1 - m0 + 1);
      } else {
        for (size_t t = off; t < off + n; t++) mask[t] |= (uint8_t)(1u << in->cause);
        memset(mexcl + m0, 1, m1 - m0 + 1);
      }
    }
    /* second by second in time order; minutes never cross months */
    for (int64_t ms = zn.s; ms < zn.e; ms += 60) {
      int k = month_of(ms);
      size_t mi = (size_t)(ms - zn.s) / 60;
      bool down = false, excl = false;
      /* a minute that no exclusion touches uses no allowance: it is
       * down when a counting second touches it (this only saves time) */
      if (!mexcl[mi]) down = mcnt[mi];
      for (int64_t t = ms; t < ms + 60 && mexcl[mi]; t++) {
        unsigned m = mask[t - zn.s];
        if (!m) { /* no exclusion here: downtime where something counts */
          down |= cnt[t - zn.s] != 0;
          continue;
        }
        bool applied = false, excess = false;
        for (int c = 1; c < pd->ncauses; c++) {
          if (!(m & (1u << c))) continue;
          const cause_def *cd = &pd->causes[c];
          if (cd->cap) {
            /* each capped cause uses its own allowance, even where
             * another exclusion covers the second too.  Reading: an
             * allowance per account and service, as downtime is (CONTRACT
             * §3), per month, calendar quarter or calendar year */
            int64_t *u = &used[c][cap_slot(cd->cap_months, k)];
            if (*u < cd->cap) {
              (*u)++;
              applied = true;
            } else {
              excess = true;
            }
          } else {
            applied = true;
          }
        }
        if ((cnt[t - zn.s] || excess) && !applied) down = true;
        if (applied) excl = true;
      }
      if (down) {
        a->unavail[s][k]++;
        if (a->first_down[k] < 0 || ms < a->first_down[k]) a->first_down[k] = ms;
      } else if (excl) {
        a->exclmin[s][k]++;
      }
    }
    free(cnt);
    free(mask);
    free(mcnt);
    free(mexcl);
  }
}

/* The errors a window of service S counts. */
static int64_t counted_errors(const service_def *sd, const wrow *w) {
  int64_t n = 0;
  for (int i = 0; i < NKIND; i++)
    if (sd->kind_mask & (1u << i)) n += w->kind[i];
  return sd->kinds == K_ONLY ? n : sd->kinds == K_IGNORE ? w->errors - n : w->errors;
}

static void model_windows(const world *wd, account *a, int s) {
  const service_def *sd = &wd->pd->svcs[s];
  for (int j = 0; j < a->nwin; j++) {
    const wrow *w = &a->win[j];
    if (w->svc != s || w->requests == 0) continue;
    /* rate = counted / requests = e/d with d dividing L_DEN: exact */
    __int128 num = (__int128)counted_errors(sd, w) * L_DEN;
    assert_true(num % w->requests == 0);
    a->errn[s][month_of(w->start)] += (int64_t)(num / w->requests);
  }
}

static void model_account(const world *wd, account *a) {
  memset(a->unavail, 0, sizeof a->unavail);
  memset(a->exclmin, 0, sizeof a->exclmin);
  memset(a->errn, 0, sizeof a->errn);
  for (int k = 0; k < NM; k++) a->first_down[k] = -1;
  for (int s = 0; s < wd->pd->nsvcs; s++) {
    if (wd->pd->svcs[s].windows) model_windows(wd, a, s);
    else model_minutes(wd, a, s);
  }
}

/* ------------------------------------------------------------------ */
/* The model: outcomes.                                                  */

typedef struct {
  bool accounts, history, claims;
  int period; /* a month index, or -1: every month the data touches */
} run_opts;

typedef struct {
  bool skip;                      /* not evaluated */
  char uptime[MAXS][32], erate[MAXS][32];
  int64_t unavail[MAXS], exclmin[MAXS];
  bool met[MAXS];
  int pct10[MAXS];
  int64_t samount[MAXS];          /* -1: null */
  int acct_pct10;
  int eligible;                   /* -1: null */
  int64_t amount;                 /* -1: null */
  const char *currency;           /* NULL: null */
} expected;

/* floor(NUM * 10^4 / DEN) as "d.dddd". */
static void trunc4(char *buf, size_t size, __int128 num, __int128 den) {
  __int128 q = num * 10000 / den;
  snprintf(buf, size, "%lld.%04lld", (long long)(q / 10000), (long long)(q % 10000));
}

/* NUM / DEN rounded half-up (NUM >= 0, DEN even). */
static int64_t half_up(int64_t num, int64_t den) { return (num + den / 2) / den; }

static void pct_text(char *buf, size_t size, int pct10) {
  if (pct10 % 10) snprintf(buf, size, "%d.%d", pct10 / 10, pct10 % 10);
  else snprintf(buf, size, "%d", pct10 / 10);
}

static void cents_text(char *buf, size_t size, int64_t cents) {
  snprintf(buf, size, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

/* Uptime UN/UD percent against the bound V (0.0001%): UN/UD ? V/10^4. */
static bool bound_holds(bound_kind kind, int64_t v, __int128 un, __int128 ud) {
  __int128 l = un * 10000, r = (__int128)v * ud;
  switch (kind) {
  case B_NONE: return true;
  case B_BELOW: return l < r;
  case B_AT_OR_BELOW: return l <= r;
  case B_ABOVE: return l > r;
  case B_AT_OR_ABOVE: return l >= r;
  }
  return false;
}

/* The highest credit among the tiers whose bounds hold (for disjoint
 * tiers the only one). */
static int tier_pct(const terms_def *t, __int128 un, __int128 ud) {
  int best = 0;
  for (int i = 0; i < t->ntiers; i++) {
    const tier_def *td = &t->tiers[i];
    if (bound_holds(td->k1, td->v1, un, ud) && bound_holds(td->k2, td->v2, un, ud) && td->pct10 > best)
      best = td->pct10;
  }
  return best;
}

/* The terms of service S for PLAN: the block that names the plan
 * (compared exactly: "gold" and "Premium " are not named), else the
 * default block (also without accounts); the tiers: the terms' own, else
 * the service's, else the policy's. */
static void choose_terms(const policy_def *pd, int s, const char *plan, bool accounts, int64_t *commit,
                         const terms_def **tiers) {
  const service_def *sd = &pd->svcs[s];
  const terms_def *t = &sd->t;
  if (sd->npt) {
    const terms_def *dflt = NULL, *named = NULL;
    for (int i = 0; i < sd->npt; i++) {
      if (sd->pt[i].dflt) dflt = &sd->pt[i].t;
      for (int j = 0; j < sd->pt[i].nplans; j++)
        if (accounts && strcmp(sd->pt[i].plans[j], plan) == 0) named = &sd->pt[i].t;
    }
    t = named ? named : dflt;
    assert_non_null(t);
  }
  *commit = t->commit;
  *tiers = t->tiers ? t : sd->t.tiers ? &sd->t : &pd->tiers;
}

static bool same_period(const policy_def *pd, int64_t mn, int64_t mk) {
  if (pd->pcap_rolling) return mn > mk - pd->pcap_months && mn <= mk;
  return pd->pcap_months == 3 ? mn / 3 == mk / 3 : mn / 12 == mk / 12;
}

/* Credits already given in the earlier months of month K's cap period:
 * the final amounts of the months evaluated in this run, and the history
 * file for the months before the data; any other month gives nothing.
 * Reading: "within the months evaluated" (CONTRACT §6.3) and "earlier
 * months count from the months evaluated in the same run and from a
 * history file" (spec-v2 §3) mean that with --period, the earlier months
 * of the period that the data reaches but the run does not evaluate give
 * nothing (unlike an exclusion cap, which spec-v2 measures from the data
 * read whether or not evaluated). */
static int64_t earlier_credits(const world *wd, const account *a, const run_opts *ro, int k, const bool ev[NM],
                               const int64_t given[NM]) {
  int64_t mk = MN0 + k, sum = 0;
  for (int64_t mn = mk - 36; mn < mk; mn++) {
    if (!same_period(wd->pd, mn, mk)) continue;
    if (mn >= MN0) {
      if (ev[mn - MN0]) sum += given[mn - MN0];
    } else if (mn >= HIST0 && ro->history && a->hist[mn - HIST0] >= 0) {
      sum += a->hist[mn - HIST0];
    }
  }
  return sum;
}

/* Reading: the history file gives earlier credits only; its months are
 * not "touched by a data record" and so not evaluated (they all lie
 * before the data here, as a month both in the history and evaluated is
 * an error). */
static void evaluated_months(const world *wd, const run_opts *ro, bool ev[NM]) {
  for (int k = 0; k < NM; k++) ev[k] = ro->period >= 0 ? k == ro->period : wd->touched[k];
}

/* Every evaluated month of account A, in time order (the running totals
 * of a period cap need the months before). */
static void expect_account(const world *wd, const account *a, const run_opts *ro, expected x[NM]) {
  const policy_def *pd = wd->pd;
  bool ev[NM];
  int64_t given[NM] = {0};
  evaluated_months(wd, ro, ev);
  for (int k = 0; k < NM; k++) {
    expected *e = &x[k];
    memset(e, 0, sizeof *e);
    e->skip = !ev[k];
    if (e->skip) continue;
    int64_t mm = month_minutes(k), sum = 0;
    for (int s = 0; s < pd->nsvcs; s++) {
      int64_t commit;
      const terms_def *tiers;
      choose_terms(pd, s, a->plan, ro->accounts, &commit, &tiers);
      __int128 un, ud; /* uptime = un / ud percent */
      if (pd->svcs[s].windows) {
        __int128 lw = (__int128)L_DEN * month_windows(k), n = a->errn[s][k];
        trunc4(e->erate[s], sizeof e->erate[s], 100 * n, lw);
        un = 100 * (lw - n);
        ud = lw;
      } else {
        e->unavail[s] = a->unavail[s][k];
        un = 100 * (__int128)(mm - a->unavail[s][k]);
        ud = mm;
      }
      e->exclmin[s] = a->exclmin[s][k];
      trunc4(e->uptime[s], sizeof e->uptime[s], un, ud);
      e->met[s] = bound_holds(B_AT_OR_ABOVE, commit, un, ud);
      e->pct10[s] = tier_pct(tiers, un, ud);
      if (e->pct10[s] > e->acct_pct10) e->acct_pct10 = e->pct10[s];
      /* a service that met its commitment contributes 0.00.  Reading:
       * the service's `credit_amount` is its amount as computed, before
       * the account's maximum, cap and minimum, which spec-v2 applies "to
       * that sum" only */
      e->samount[s] = -1;
      if (ro->accounts && pd->service_charge) {
        e->samount[s] = e->met[s] ? 0 : half_up(a->charge[s] * e->pct10[s], 1000);
        sum += e->samount[s];
      }
    }
    e->eligible = e->amount = -1;
    if (!ro->accounts) continue;
    e->currency = currencies[a->currency];
    e->eligible = !(pd->ineligible_plan && strcmp(a->plan, pd->ineligible_plan) == 0);
    int64_t amount = 0;
    if (e->eligible && e->acct_pct10 > 0) {
      /* amount -> monthly maximum -> period cap -> minimum -> claim */
      amount = pd->service_charge ? sum : half_up(a->fee * e->acct_pct10, 1000);
      if (pd->max_pct) {
        int64_t cap = half_up(a->fee * pd->max_pct, 100);
        if (amount > cap) amount = cap;
      }
      if (pd->pcap_pct) {
        /* Reading: the cap is rounded half-up to the cent, as the
         * monthly maximum is; the room is then cap - given, whole cents */
        int64_t base = pd->pcap_fees ? a->fee * pd->pcap_months : a->fee;
        int64_t room = half_up(base * pd->pcap_pct, 100) - earlier_credits(wd, a, ro, k, ev, given);
        if (room < 0) room = 0;
        if (amount > room) amount = room;
      }
      if (pd->minimum >= 0 && (pd->minimum_at_least ? amount < pd->minimum : amount <= pd->minimum)) amount = 0;
      if (amount > 0 && ro->claims && (pd->ticket.months || pd->claim.months)) {
        int64_t intr = a->first_down[k];
        assert_true(intr >= 0);
        if (!a->claim[k] || !in_time(&pd->ticket, intr, a->ticket[k]) || !in_time(&pd->claim, intr, a->claimed[k]))
          amount = 0;
      }
    }
    e->amount = given[k] = amount;
  }
}

/* ------------------------------------------------------------------ */
/* Comparing with slac.                                                  */

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

static const char *shown(const char *s) { return s ? s : "(not a string)"; }

static void compare_line(const world *wd, const expected *x, const account *a, int k, const char *line) {
  const policy_def *pd = wd->pd;
  json_error_t jerr;
  json_t *o = json_loads(line, 0, &jerr);
  CHECK(o != NULL, "not JSON: %s", jerr.text);
  char period[16], want[64];
  month_text(period, MN0 + k);
  CHECK(streq(str_field(o, "policy"), pd->id), "policy: expected %s", pd->id);
  CHECK(streq(str_field(o, "account"), a->name), "account: expected %s", a->name);
  CHECK(streq(str_field(o, "period"), period), "period: expected %s", period);
  json_t *svcs = json_object_get(o, "services");
  CHECK(json_is_array(svcs) && json_array_size(svcs) == (size_t)pd->nsvcs, "services: expected %d", pd->nsvcs);
  for (int s = 0; s < pd->nsvcs; s++) {
    json_t *so = json_array_get(svcs, (size_t)s);
    const char *id = pd->svcs[s].id;
    CHECK(streq(str_field(so, "service"), id), "service %d: expected %s", s, id);
    if (pd->svcs[s].windows) {
      CHECK(streq(str_field(so, "error_rate_percent"), x->erate[s]), "service %s: error_rate_percent: expected %s, got %s",
            id, x->erate[s], shown(str_field(so, "error_rate_percent")));
    } else {
      json_t *u = json_object_get(so, "unavailable_minutes");
      CHECK(json_is_integer(u) && json_integer_value(u) == x->unavail[s],
            "service %s: unavailable_minutes: expected %lld, got %lld", id, (long long)x->unavail[s],
            json_is_integer(u) ? (long long)json_integer_value(u) : -1LL);
    }
    json_t *ex = json_object_get(so, "excluded_minutes");
    CHECK(json_is_integer(ex) && json_integer_value(ex) == x->exclmin[s],
          "service %s: excluded_minutes: expected %lld, got %lld", id, (long long)x->exclmin[s],
          json_is_integer(ex) ? (long long)json_integer_value(ex) : -1LL);
    CHECK(streq(str_field(so, "uptime_percent"), x->uptime[s]), "service %s: uptime_percent: expected %s, got %s", id,
          x->uptime[s], shown(str_field(so, "uptime_percent")));
    json_t *met = json_object_get(so, "commitment_met");
    CHECK(json_is_boolean(met) && json_is_true(met) == x->met[s], "service %s: commitment_met: expected %s", id,
          x->met[s] ? "true" : "false");
    pct_text(want, sizeof want, x->pct10[s]);
    CHECK(streq(str_field(so, "credit_percent"), want), "service %s: credit_percent: expected %s, got %s", id, want,
          shown(str_field(so, "credit_percent")));
    json_t *am = json_object_get(so, "credit_amount");
    if (!pd->service_charge) {
      CHECK(am == NULL, "service %s: credit_amount: expected no such key (not a service-charge policy)", id);
    } else if (x->samount[s] < 0) {
      CHECK(json_is_null(am), "service %s: credit_amount: expected null", id);
    } else {
      cents_text(want, sizeof want, x->samount[s]);
      CHECK(streq(str_field(so, "credit_amount"), want), "service %s: credit_amount: expected %s, got %s", id, want,
            shown(str_field(so, "credit_amount")));
    }
  }
  pct_text(want, sizeof want, x->acct_pct10);
  CHECK(streq(str_field(o, "credit_percent"), want), "credit_percent: expected %s, got %s", want,
        shown(str_field(o, "credit_percent")));
  json_t *el = json_object_get(o, "eligible");
  if (x->eligible < 0) CHECK(json_is_null(el), "eligible: expected null");
  else CHECK(json_is_boolean(el) && json_is_true(el) == (x->eligible == 1), "eligible: expected %s",
             x->eligible ? "true" : "false");
  if (x->amount >= 0) {
    cents_text(want, sizeof want, x->amount);
    CHECK(streq(str_field(o, "credit_amount"), want), "credit_amount: expected %s, got %s", want,
          shown(str_field(o, "credit_amount")));
    CHECK(streq(str_field(o, "currency"), x->currency), "currency: expected %s", x->currency);
  } else {
    CHECK(json_is_null(json_object_get(o, "credit_amount")), "credit_amount: expected null");
    CHECK(json_is_null(json_object_get(o, "currency")), "currency: expected null");
  }
  json_decref(o);
}

static int by_first_row(const void *pa, const void *pb) {
  const account *a = *(account *const *)pa, *b = *(account *const *)pb;
  return (a->first_row > b->first_row) - (a->first_row < b->first_row);
}

static void describe_run(char *buf, size_t size, const run_opts *ro) {
  char m[16] = "";
  if (ro->period >= 0) month_text(m, MN0 + ro->period);
  snprintf(buf, size, "%s%s%s%s%s", ro->accounts ? "--accounts" : "no accounts file", ro->history ? " --history" : "",
           ro->claims ? " --claims" : "", ro->period >= 0 ? " --period " : "", m);
}

/* Run slac_eval on the world's files as RO says and compare every line of
 * its jsonl with the model.  The only function that runs slac. */
static void compare_with_slac(world *wd, const slac_program *p, const run_opts *ro) {
  const policy_def *pd = wd->pd;
  char data[512], acc[512], hist[512], claims[512], run[128];
  path_of(data, sizeof data, pd->sc == SC_KINDS ? "windows.csv" : "incidents.csv");
  path_of(acc, sizeof acc, "accounts.csv");
  path_of(hist, sizeof hist, "history.csv");
  path_of(claims, sizeof claims, "claims.csv");
  describe_run(run, sizeof run, ro);
  char *paths[1] = {data};
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  assert_non_null(out);
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = p;
  o.accounts_path = ro->accounts ? acc : NULL;
  o.claims_path = ro->claims ? claims : NULL;
  o.history_path = ro->history ? hist : NULL;
  o.data_paths = paths;
  o.ndata = 1;
  o.format = SLAC_FORMAT_JSONL;
  o.out = out;
  o.jobs = 1;
  if (ro->period >= 0) {
    char m[16];
    month_text(m, MN0 + ro->period);
    o.has_period = true;
    assert_int_equal(slac_month_parse(m, 7, &o.period), 0);
  }
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  int rc = slac_eval(&o, &d);
  fclose(out);
  if (rc != 0)
    fail_msg("%s seed %#llx (%s): slac_eval failed (see the message above)", pd->id, (unsigned long long)wd->seed, run);

  /* the accounts in order: the accounts file, or first appearance */
  account **order = calloc((size_t)wd->nacc + 1, sizeof *order);
  expected *x = calloc(NM, sizeof *x);
  assert_true(order && x);
  int n = 0;
  for (int i = 0; i < wd->nacc; i++)
    if (ro->accounts || wd->acc[i].first_row) order[n++] = &wd->acc[i];
  if (!ro->accounts) qsort(order, (size_t)n, sizeof *order, by_first_row);
  char *line = buf, *next;
  int lines = 0;
  for (int i = 0; i < n; i++) {
    expect_account(wd, order[i], ro, x);
    for (int k = 0; k < NM; k++) {
      if (x[k].skip) continue;
      char m[16];
      month_text(m, MN0 + k);
      snprintf(where, sizeof where, "policy %s, seed %#llx (%s), account %s, month %s", pd->id,
               (unsigned long long)wd->seed, run, order[i]->name, m);
      if (!line || !*line) fail_msg("%s: missing from the output", where);
      next = strchr(line, '\n');
      assert_non_null(next);
      *next = 0;
      compare_line(wd, &x[k], order[i], k, line);
      line = next + 1;
      lines++;
    }
  }
  if (*line)
    fail_msg("%s seed %#llx (%s): extra output after %d lines: %.200s", pd->id, (unsigned long long)wd->seed, run,
             lines, line);
  free(x);
  free(order);
  free(buf);
}

/* ------------------------------------------------------------------ */
/* Randomized runs.                                                      */

static slac_program *compile_policy(const policy_def *pd) {
  char name[64];
  snprintf(name, sizeof name, "%s.sla", pd->id);
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  slac_source src;
  if (slac_source_from_text(&src, name, pd->text, strlen(pd->text), &d) != 0) return NULL;
  uint8_t *bytes = NULL;
  size_t size = 0;
  int rc = slac_compile_source(&src, &d, &bytes, &size);
  slac_source_free(&src);
  slac_program *p = NULL;
  if (rc == 0 && slac_program_load(bytes, size, name, &p, &d) != 0) p = NULL;
  free(bytes);
  return p;
}

enum { NO_ANNOUNCED = 1, NO_HISTORY = 2, RUN_WITHOUT_ACCOUNTS = 4 };

/* One seed of one policy: generate, write the files, model, and compare
 * slac's output in every run that tells something: all months, one month
 * (caps of earlier months of a quarter still bind), without accounts,
 * without claims. */
static void check_seed(const policy_def *pd, uint64_t seed, int nacc, int flags) {
  slac_program *p = compile_policy(pd);
  if (!p) fail_msg("policy %s does not compile (see above): are the v2 constructs in the tree yet?", pd->id);
  world wd;
  make_world(&wd, pd, nacc, seed);
  if (flags & NO_ANNOUNCED) wd.with_announced = false;
  if (flags & NO_HISTORY) wd.has_history = false;
  char path[512];
  for (int i = 0; i < wd.nacc; i++) model_account(&wd, &wd.acc[i]);
  if (wd.has_claims) gen_claims(&wd);
  path_of(path, sizeof path, "accounts.csv");
  write_accounts(&wd, path);
  if (pd->sc == SC_KINDS) {
    path_of(path, sizeof path, "windows.csv");
    write_windows(&wd, path);
  } else {
    path_of(path, sizeof path, "incidents.csv");
    write_incidents(&wd, path);
  }
  if (wd.has_history) {
    path_of(path, sizeof path, "history.csv");
    write_history(&wd, path);
  }
  if (wd.has_claims) {
    path_of(path, sizeof path, "claims.csv");
    write_claims(&wd, path);
  }
  for (int k = 0; k < NM; k++)
    if (!wd.touched[k]) fail_msg("policy %s seed %#llx: no data in month %d; more accounts", pd->id,
                                 (unsigned long long)seed, k);
  run_opts ro = {true, wd.has_history, wd.has_claims, -1};
  compare_with_slac(&wd, p, &ro);
  /* one month alone: February or March, whose quarter began earlier */
  ro.period = (int)between(3, 4);
  compare_with_slac(&wd, p, &ro);
  ro.period = -1;
  if (wd.has_claims) {
    ro.claims = false; /* amounts as if validly claimed */
    compare_with_slac(&wd, p, &ro);
  }
  if (flags & RUN_WITHOUT_ACCOUNTS) {
    run_opts none = {false, false, false, -1};
    compare_with_slac(&wd, p, &none);
  }
  free_world(&wd);
  slac_program_free(p);
}

static uint64_t seed_of(int policy, int s) { return UINT64_C(0x5EED2000) + (uint64_t)policy * 100 + (uint64_t)s; }

static void test_slac_baseline_v1(void **state) {
  (void)state;
  check_seed(&pol_v1, seed_of(0, 0), 200, RUN_WITHOUT_ACCOUNTS);
  check_seed(&pol_v1w, seed_of(0, 1), 120, 0);
}

static void test_slac_service_charges(void **state) {
  (void)state;
  for (int s = 0; s < 3; s++) check_seed(&pol_svc_a, seed_of(1, s), 200, s == 0 ? RUN_WITHOUT_ACCOUNTS : 0);
  for (int s = 0; s < 2; s++) check_seed(&pol_svc_b, seed_of(2, s), 200, s == 0 ? RUN_WITHOUT_ACCOUNTS : 0);
}

static void test_slac_terms(void **state) {
  (void)state;
  for (int s = 0; s < 3; s++) check_seed(&pol_terms_a, seed_of(3, s), 200, s == 0 ? RUN_WITHOUT_ACCOUNTS : 0);
  for (int s = 0; s < 2; s++) check_seed(&pol_terms_b, seed_of(4, s), 200, s == 0 ? RUN_WITHOUT_ACCOUNTS : 0);
}

static void test_slac_quarters(void **state) {
  (void)state;
  for (int s = 0; s < 3; s++) check_seed(&pol_q_a, seed_of(5, s), 200, s == 2 ? NO_ANNOUNCED : 0);
  for (int s = 0; s < 2; s++) check_seed(&pol_q_b, seed_of(6, s), 200, 0);
  for (int s = 0; s < 2; s++) check_seed(&pol_q_c, seed_of(7, s), 200, 0);
}

static void test_slac_period_caps(void **state) {
  (void)state;
  const policy_def *const pols[] = {&pol_p_a, &pol_p_b, &pol_p_c, &pol_p_d};
  for (int i = 0; i < 4; i++)
    for (int s = 0; s < 2; s++) check_seed(pols[i], seed_of(8 + i, s), 200, s == 1 ? NO_HISTORY : 0);
}

static void test_slac_claims(void **state) {
  (void)state;
  for (int s = 0; s < 2; s++) check_seed(&pol_c_a, seed_of(12, s), 200, 0);
  for (int s = 0; s < 2; s++) check_seed(&pol_c_b, seed_of(13, s), 200, 0);
}

static void test_slac_error_kinds(void **state) {
  (void)state;
  for (int s = 0; s < 3; s++) check_seed(&pol_e, seed_of(14, s), 120, 0);
}

/* ------------------------------------------------------------------ */
/* The model alone, against numbers worked out by hand.                  */

static world hw;

static void hand_begin(const policy_def *pd, int nacc) {
  memset(&hw, 0, sizeof hw);
  hw.pd = pd;
  hw.nacc = nacc;
  hw.acc = calloc((size_t)nacc, sizeof *hw.acc);
  assert_non_null(hw.acc);
  hw.with_announced = true;
  for (int k = 0; k < NM; k++) hw.touched[k] = true;
  for (int i = 0; i < nacc; i++) {
    account *a = &hw.acc[i];
    snprintf(a->name, sizeof a->name, "hand-%d", i);
    a->plan = "";
    a->support = -1;
    for (int h = 0; h < NH; h++) a->hist[h] = -1;
  }
}

static account *hand_acc(int i, const char *plan, int cur, int64_t fee) {
  account *a = &hw.acc[i];
  a->plan = plan;
  a->currency = cur;
  a->fee = a->charge[0] = fee;
  return a;
}

static int cause_index(const char *name) {
  for (int c = 0; c < hw.pd->ncauses; c++)
    if (strcmp(hw.pd->causes[c].name, name) == 0) return c;
  fail_msg("no cause %s", name);
  return -1;
}

static void hand_inc(account *a, int svc, const char *cause, const char *s, const char *e, const char *announced) {
  add_incident(a, ts(s), ts(e), cause_index(cause), svc, announced ? ts(announced) : NO_TIME);
}

/* N minutes of outage from the 10th of month K, 00:00. */
static void hand_outage(account *a, int svc, int k, int64_t n) {
  add_incident(a, mstart[k] + 9 * 86400, mstart[k] + 9 * 86400 + n * 60, 0, svc, NO_TIME);
}

static void hand_window(account *a, int svc, int k, int64_t idx, int64_t requests, int64_t errors,
                        const int64_t kinds[NKIND]) {
  if (a->nwin == a->capwin) {
    a->capwin = a->capwin ? 2 * a->capwin : 64;
    a->win = realloc(a->win, (size_t)a->capwin * sizeof *a->win);
    assert_non_null(a->win);
  }
  wrow *w = &a->win[a->nwin++];
  memset(w, 0, sizeof *w);
  w->start = mstart[k] + idx * 300;
  w->svc = svc;
  w->requests = requests;
  w->errors = errors;
  memcpy(w->kind, kinds, sizeof w->kind);
}

/* The model's months of account I under RO. */
static void hand_model(int i, const run_opts *ro, expected x[NM]) {
  for (int j = 0; j < hw.nacc; j++) model_account(&hw, &hw.acc[j]);
  expect_account(&hw, &hw.acc[i], ro, x);
}

static void hand_svc(const expected *x, int s, int64_t unavail, int64_t excl, const char *uptime, bool met,
                     const char *pct) {
  char p[16];
  assert_int_equal(x->unavail[s], unavail);
  assert_int_equal(x->exclmin[s], excl);
  assert_string_equal(x->uptime[s], uptime);
  assert_int_equal(x->met[s], met);
  pct_text(p, sizeof p, x->pct10[s]);
  assert_string_equal(p, pct);
}

/* AMOUNT NULL: the amount is null (no accounts file). */
static void hand_acct(const expected *x, const char *pct, const char *amount) {
  char p[16], m[32];
  assert_false(x->skip);
  pct_text(p, sizeof p, x->acct_pct10);
  assert_string_equal(p, pct);
  if (!amount) {
    assert_int_equal(x->amount, -1);
    return;
  }
  assert_true(x->amount >= 0);
  cents_text(m, sizeof m, x->amount);
  assert_string_equal(m, amount);
}

static void hand_samount(const expected *x, int s, const char *amount) {
  char m[32];
  if (!amount) {
    assert_int_equal(x->samount[s], -1);
    return;
  }
  cents_text(m, sizeof m, x->samount[s]);
  assert_string_equal(m, amount);
}

static void hand_end(void) { free_world(&hw); }

static const run_opts all_months = {true, true, true, -1};

/* Maintenance capped at 3 h per calendar quarter, announced 24 h ahead;
 * beta capped at 20 min per month; customer excluded. */
static void test_hand_quarters(void **state) {
  (void)state;
  hand_begin(&pol_q_a, 2);
  account *a = hand_acc(0, "", 0, 12345);
  /* Nov: announced with an empty field: 10 min of downtime */
  hand_inc(a, 0, "maintenance", "2027-11-20T00:00:00Z", "2027-11-20T00:10:00Z", NULL);
  /* across the year edge, announced exactly 24 h ahead: 2 h of Q4's
   * allowance in December, 1 h of Q1's in January */
  hand_inc(a, 0, "maintenance", "2027-12-31T22:00:00Z", "2028-01-01T01:00:00Z", "2027-12-30T22:00:00Z");
  /* beta 20 min 15 s from 10:00:30: 15 s beyond the monthly cap, in 10:20 */
  hand_inc(a, 0, "beta", "2028-01-15T10:00:30Z", "2028-01-15T10:20:45Z", NULL);
  /* 2 h 30 min with 2 h left of Q1: 12:00-12:30 beyond; beta 12:20-12:40
   * within its cap covers part of that, 12:40-12:50 beyond it */
  hand_inc(a, 0, "maintenance", "2028-02-10T10:00:00Z", "2028-02-10T12:30:00Z", "2028-02-01T00:00:00Z");
  hand_inc(a, 0, "beta", "2028-02-10T12:20:00Z", "2028-02-10T12:50:00Z", NULL);
  /* Q1 used up: downtime, but customer covers 08:05-08:20 */
  hand_inc(a, 0, "maintenance", "2028-03-05T08:00:00Z", "2028-03-05T08:10:00Z", "2028-03-01T00:00:00Z");
  hand_inc(a, 0, "customer", "2028-03-05T08:05:00Z", "2028-03-05T08:20:00Z", NULL);
  /* beta one second beyond its 20 minutes: minute 10:20 is unavailable */
  hand_inc(a, 0, "beta", "2028-03-20T10:00:00Z", "2028-03-20T10:20:01Z", NULL);
  /* Q2: announced a second late (downtime, no allowance used), then an
   * hour announced in time, excluded from a fresh allowance */
  hand_inc(a, 0, "maintenance", "2028-04-01T00:00:00Z", "2028-04-01T00:30:00Z", "2028-03-31T00:00:01Z");
  hand_inc(a, 0, "maintenance", "2028-04-02T00:00:00Z", "2028-04-02T01:00:00Z", "2028-03-01T00:00:00Z");
  hand_inc(a, 0, "outage", "2028-04-10T10:00:00Z", "2028-04-10T10:14:00Z", NULL);
  /* another service has allowances of its own */
  hand_inc(&hw.acc[1], 1, "maintenance", "2028-03-05T08:00:00Z", "2028-03-05T08:10:00Z", "2028-03-01T00:00:00Z");
  expected x[NM];
  hand_model(0, &all_months, x);
  hand_svc(&x[0], 0, 10, 0, "99.9768", true, "0");
  hand_svc(&x[1], 0, 0, 120, "100.0000", true, "0");
  hand_svc(&x[2], 0, 1, 80, "99.9977", true, "0");
  hand_svc(&x[3], 0, 30, 140, "99.9281", true, "0");
  hand_svc(&x[4], 0, 6, 35, "99.9865", true, "0");
  hand_svc(&x[5], 0, 44, 60, "99.8981", false, "10");
  for (int k = 0; k < NM; k++) {
    hand_svc(&x[k], 1, 0, 0, "100.0000", true, "0");
    hand_acct(&x[k], k == 5 ? "10" : "0", k == 5 ? "12.35" : "0.00"); /* 12.345 half-up */
  }
  hand_model(1, &all_months, x);
  hand_svc(&x[4], 1, 0, 10, "100.0000", true, "0");
  /* without an `announced` column every maintenance counts as downtime */
  hw.with_announced = false;
  hand_model(0, &all_months, x);
  hand_svc(&x[1], 0, 120, 0, "99.7311", false, "10");
  hand_svc(&x[2], 0, 61, 20, "99.8633", false, "10");
  /* one month alone: February still finds 1 h of Q1 used in January */
  hw.with_announced = true;
  run_opts feb = {true, false, false, 3};
  hand_model(0, &feb, x);
  assert_true(x[2].skip && !x[3].skip);
  hand_svc(&x[3], 0, 30, 140, "99.9281", true, "0");
  hand_end();

  /* per quarter without notice; third_party announced 2 h ahead */
  hand_begin(&pol_q_b, 1);
  a = hand_acc(0, "", 0, 10000);
  hand_inc(a, 0, "third_party", "2028-03-10T10:00:00Z", "2028-03-10T10:30:00Z", "2028-03-10T08:00:00Z");
  hand_inc(a, 0, "third_party", "2028-03-11T10:00:00Z", "2028-03-11T10:30:00Z", "2028-03-11T08:00:01Z");
  hand_inc(a, 0, "maintenance", "2028-03-01T00:00:00Z", "2028-03-01T03:00:00Z", NULL);
  hand_inc(a, 0, "maintenance", "2028-03-31T23:00:00Z", "2028-04-01T02:00:00Z", NULL);
  hand_model(0, &all_months, x);
  hand_svc(&x[4], 0, 120, 180, "99.7311", false, "10");
  hand_svc(&x[5], 0, 0, 120, "100.0000", true, "0");
  hand_acct(&x[4], "10", "10.00");
  hand_end();

  /* 5 h per calendar year, 2 days' notice: 2027's allowance is not 2028's */
  hand_begin(&pol_q_c, 1);
  a = hand_acc(0, "", 0, 10000);
  hand_inc(a, 0, "maintenance", "2027-12-01T00:00:00Z", "2027-12-01T06:00:00Z", "2027-11-29T00:00:00Z");
  hand_inc(a, 0, "maintenance", "2028-01-03T00:00:00Z", "2028-01-03T04:00:00Z", "2028-01-01T00:00:00Z");
  hand_inc(a, 0, "maintenance", "2028-03-03T00:00:00Z", "2028-03-03T02:00:00Z", "2028-03-01T00:00:01Z");
  hand_inc(a, 0, "maintenance", "2028-04-03T00:00:00Z", "2028-04-03T02:00:00Z", "2028-03-01T00:00:00Z");
  hand_model(0, &all_months, x);
  hand_svc(&x[1], 0, 60, 300, "99.8655", false, "10");  /* 6 h - 5 h */
  hand_svc(&x[2], 0, 0, 240, "100.0000", true, "0");
  hand_svc(&x[4], 0, 120, 0, "99.7311", false, "10");   /* a second late */
  hand_svc(&x[5], 0, 60, 60, "99.8611", false, "10");   /* 1 h left of 2028 */
  hand_end();
}

static void test_hand_service_charges(void **state) {
  (void)state;
  hand_begin(&pol_svc_a, 3);
  account *a = &hw.acc[0], *b = &hw.acc[1], *c = &hw.acc[2];
  a->charge[0] = 100000, a->charge[1] = 33333, a->charge[2] = 1001, a->support = 5000, a->fee = 139334;
  b->currency = 1, b->charge[0] = 8000, b->charge[1] = 2001, b->charge[2] = 9999, b->fee = 20000;
  c->charge[0] = 5000, c->fee = 5000;
  hand_outage(a, 0, 5, 50);
  hand_outage(a, 1, 5, 300);
  hand_outage(a, 2, 5, 1000);
  hand_outage(a, 1, 4, 23);   /* 99.95% of 44,640 minutes is 44,617.68 */
  hand_outage(a, 0, 4, 44);   /* 99.9% of them is 44,595.36: met */
  hand_outage(a, 2, 4, 223);  /* 99.5% is 44,416.8: met */
  hand_outage(a, 1, 3, 2088); /* exactly 95% of February's 41,760 */
  hand_outage(a, 2, 3, 836);
  hand_outage(b, 0, 5, 500);
  hand_outage(b, 1, 5, 2200);
  hand_outage(c, 0, 5, 50);
  expected x[NM];
  hand_model(0, &all_months, x);
  hand_svc(&x[5], 0, 50, 0, "99.8842", false, "10");
  hand_svc(&x[5], 1, 300, 0, "99.3055", false, "30");
  hand_svc(&x[5], 2, 1000, 0, "97.6851", false, "20");
  hand_samount(&x[5], 0, "100.00");
  hand_samount(&x[5], 1, "100.00"); /* 99.999 */
  hand_samount(&x[5], 2, "2.00");   /* 2.002 */
  hand_acct(&x[5], "30", "202.00");
  hand_svc(&x[4], 0, 44, 0, "99.9014", true, "0");
  hand_svc(&x[4], 1, 23, 0, "99.9484", false, "12.5");
  hand_svc(&x[4], 2, 223, 0, "99.5004", true, "0");
  hand_samount(&x[4], 1, "41.67"); /* 41.66625 */
  hand_samount(&x[4], 0, "0.00");
  hand_acct(&x[4], "12.5", "41.67");
  hand_svc(&x[3], 1, 2088, 0, "95.0000", false, "30");
  hand_svc(&x[3], 2, 836, 0, "97.9980", false, "20");
  hand_acct(&x[3], "30", "102.00");
  hand_acct(&x[0], "0", "0.00");
  hand_model(1, &all_months, x);
  hand_svc(&x[5], 0, 500, 0, "98.8425", false, "25");
  hand_svc(&x[5], 1, 2200, 0, "94.9074", false, "100");
  hand_samount(&x[5], 0, "20.00");
  hand_samount(&x[5], 1, "20.01");
  hand_samount(&x[5], 2, "0.00");
  hand_acct(&x[5], "100", "40.00"); /* 40.01, at most 20% of 200.00 */
  assert_string_equal(x[5].currency, "EUR");
  hand_model(2, &all_months, x);
  hand_samount(&x[5], 0, "5.00");
  hand_acct(&x[5], "10", "0.00"); /* 5.00 is not greater than 5.00 */
  run_opts none = {false, false, false, -1};
  hand_model(0, &none, x);
  hand_samount(&x[5], 1, NULL);
  hand_acct(&x[5], "30", NULL);
  assert_int_equal(x[5].eligible, -1);
  hand_end();

  /* one schedule, most severe tier; compute's gap from 99.95% to 99.99% */
  hand_begin(&pol_svc_b, 1);
  a = &hw.acc[0];
  a->charge[0] = 200000, a->charge[1] = 10000, a->support = 100, a->fee = 210100;
  hand_outage(a, 0, 5, 20);  /* 99.9537: missed, no tier */
  hand_outage(a, 1, 5, 432); /* exactly 99%: not below 99% */
  hand_outage(a, 0, 4, 50);  /* 99.8879: 25% of 2,000.00 */
  hand_outage(a, 1, 3, 30);  /* 99.9281: 10% of 100.00 = 10.00, at least 10.00 */
  hand_model(0, &all_months, x);
  hand_svc(&x[5], 0, 20, 0, "99.9537", false, "0");
  hand_svc(&x[5], 1, 432, 0, "99.0000", false, "25");
  hand_acct(&x[5], "25", "25.00");
  hand_samount(&x[4], 0, "500.00");
  hand_acct(&x[4], "25", "500.00");
  hand_acct(&x[3], "10", "10.00");
  hand_end();
}

static void test_hand_terms(void **state) {
  (void)state;
  hand_begin(&pol_terms_a, 7);
  static const char *const plan[7] = {"Premium", "Standard", "Gold", "standard", "Trial", "Enterprise", ""};
  static const int64_t fee[7] = {20000, 20000, 9999, 10000, 10000, 10000, 10000};
  static const int64_t down[7] = {20, 20, 300, 44, 300, 500, 1400};
  for (int i = 0; i < 7; i++) hand_outage(hand_acc(i, plan[i], 0, fee[i]), 0, 5, down[i]);
  expected x[NM];
  hand_model(0, &all_months, x);
  hand_svc(&x[5], 0, 20, 0, "99.9537", false, "10");
  hand_acct(&x[5], "10", "20.00");
  hand_model(1, &all_months, x);
  hand_svc(&x[5], 0, 20, 0, "99.9537", true, "0");
  hand_model(2, &all_months, x);
  hand_svc(&x[5], 0, 300, 0, "99.3055", false, "5"); /* default terms, the service's schedule */
  hand_acct(&x[5], "5", "5.00");                     /* 4.9995 */
  hand_model(3, &all_months, x);
  hand_svc(&x[5], 0, 44, 0, "99.8981", true, "0"); /* "standard" is not "Standard" */
  hand_model(4, &all_months, x);
  hand_acct(&x[5], "5", "0.00");
  assert_int_equal(x[5].eligible, 0);
  hand_model(5, &all_months, x);
  hand_svc(&x[5], 0, 500, 0, "98.8425", false, "50");
  hand_acct(&x[5], "50", "50.00");
  hand_model(6, &all_months, x);
  hand_svc(&x[5], 0, 1400, 0, "96.7592", false, "15");
  run_opts none = {false, false, false, -1};
  hand_model(0, &none, x);
  hand_svc(&x[5], 0, 20, 0, "99.9537", true, "0"); /* the default terms */
  assert_int_equal(x[5].eligible, -1);
  hand_end();

  hand_begin(&pol_terms_b, 4);
  static const char *const plan2[4] = {"Basic", "Gold", "Platinum", "Silver"};
  static const int64_t down2[4] = {2200, 900, 216, 432};
  for (int i = 0; i < 4; i++) hand_outage(hand_acc(i, plan2[i], 0, 10000), 0, 5, down2[i]);
  hand_model(0, &all_months, x);
  hand_svc(&x[5], 0, 2200, 0, "94.9074", false, "10"); /* the policy's schedule */
  hand_acct(&x[5], "10", "10.00");
  hand_model(1, &all_months, x);
  hand_svc(&x[5], 0, 900, 0, "97.9166", false, "100");
  hand_model(2, &all_months, x);
  hand_svc(&x[5], 0, 216, 0, "99.5000", false, "10"); /* not below 99.5% */
  hand_model(3, &all_months, x);
  hand_svc(&x[5], 0, 432, 0, "99.0000", true, "0");   /* default: at or above 99% */
  hand_end();
}

/* Outages of 1,000, 100 and 3,000 minutes give 25%, 10% and 60% in any
 * of the six months. */
static int64_t tier_minutes(int pct) { return pct == 25 ? 1000 : pct == 10 ? 100 : 3000; }

static void test_hand_period_caps(void **state) {
  (void)state;
  expected x[NM];
  /* 10% of fees per calendar year = 1.2 monthly fees, monthly maximum
   * 50%, minimum greater than 1.00 */
  hand_begin(&pol_p_a, 2);
  account *a = hand_acc(0, "", 0, 10000), *b = hand_acc(1, "", 1, 1001);
  a->hist[4] = 5000, a->hist[8] = 6000, a->hist[1] = 9900; /* 2027-03, 2027-07; 2026-12 is another year */
  static const int pa[NM] = {25, 10, 60, 60, 25, 10}, pb[NM] = {0, 0, 60, 60, 10, 25};
  for (int k = 0; k < NM; k++) {
    hand_outage(a, 0, k, tier_minutes(pa[k]));
    if (pb[k]) hand_outage(b, 0, k, tier_minutes(pb[k]));
  }
  hand_model(0, &all_months, x);
  static const char *const want_a[NM] = {"10.00", "0.00", "50.00", "50.00", "20.00", "0.00"};
  for (int k = 0; k < NM; k++) {
    char p[8];
    snprintf(p, sizeof p, "%d", pa[k]);
    hand_acct(&x[k], p, want_a[k]);
  }
  /* cap 12.01 (12.012); 6.006 -> 6.01 -> maximum 5.01 (5.005); 1.00 is not
   * greater than 1.00, so March gives nothing and April has 1.99 left */
  hand_model(1, &all_months, x);
  static const char *const want_b[NM] = {"0.00", "0.00", "5.01", "5.01", "0.00", "1.99"};
  for (int k = 0; k < NM; k++) hand_acct(&x[k], k < 2 ? "0" : pb[k] == 60 ? "60" : pb[k] == 10 ? "10" : "25", want_b[k]);
  /* one month alone: the months of the year not evaluated give nothing */
  run_opts feb = {true, true, false, 3};
  hand_model(0, &feb, x);
  hand_acct(&x[3], "60", "50.00");
  hand_model(1, &feb, x);
  hand_acct(&x[3], "60", "5.01");
  run_opts nohist = {true, false, false, -1};
  hand_model(0, &nohist, x);
  hand_acct(&x[0], "25", "25.00");
  hand_acct(&x[1], "10", "10.00");
  hand_end();

  /* 100% of monthly fee per calendar quarter, minimum at least 2.50 */
  hand_begin(&pol_p_b, 1);
  a = hand_acc(0, "", 0, 1000);
  a->hist[11] = 600, a->hist[10] = 900; /* 2027-10 is in Q4, 2027-09 is not */
  static const int pq[NM] = {25, 60, 60, 60, 25, 60};
  for (int k = 0; k < NM; k++) hand_outage(a, 0, k, tier_minutes(pq[k]));
  hand_model(0, &all_months, x);
  static const char *const want_q[NM] = {"2.50", "0.00", "6.00", "4.00", "0.00", "6.00"};
  for (int k = 0; k < NM; k++) hand_acct(&x[k], pq[k] == 25 ? "25" : "60", want_q[k]);
  hand_end();

  /* 10% of fees per 12 months (rolling) = 120.00, monthly maximum 40%;
   * January 2027's credit leaves the window in January 2028 */
  hand_begin(&pol_p_c, 1);
  a = hand_acc(0, "", 0, 10000);
  a->hist[0] = 10000, a->hist[1] = 1000, a->hist[2] = 3000; /* 2026-11 (never in a window), 2026-12, 2027-01 */
  static const int pr[NM] = {60, 25, 60, 10, 25, 60};
  for (int k = 0; k < NM; k++) hand_outage(a, 0, k, tier_minutes(pr[k]));
  hand_model(0, &all_months, x);
  static const char *const want_r[NM] = {"40.00", "25.00", "40.00", "10.00", "5.00", "0.00"};
  for (int k = 0; k < NM; k++) hand_acct(&x[k], pr[k] == 25 ? "25" : pr[k] == 10 ? "10" : "60", want_r[k]);
  hand_end();

  /* 30% of fees per quarter (3 x 33.33 x 30% = 29.997 -> 30.00) */
  hand_begin(&pol_p_d, 1);
  a = hand_acc(0, "", 0, 3333);
  hand_outage(a, 0, 2, 3000);
  hand_outage(a, 0, 3, 3000);
  hand_outage(a, 0, 4, 1000);
  hand_model(0, &all_months, x);
  hand_acct(&x[2], "60", "16.67"); /* 19.998 -> 20.00, maximum 16.665 -> 16.67 */
  hand_acct(&x[3], "60", "13.33");
  hand_acct(&x[4], "25", "0.00");
  hand_end();
}

static void test_hand_claims(void **state) {
  (void)state;
  const deadline_def w2 = {2, false}, w1 = {1, false}, w12 = {12, false}, e2 = {2, true}, e1 = {1, true};
  assert_int_equal(deadline(&w2, ts("2027-12-31T10:00:00Z")), ts("2028-02-29T10:00:00Z"));
  assert_int_equal(deadline(&w1, ts("2028-01-30T01:02:03Z")), ts("2028-02-29T01:02:03Z"));
  assert_int_equal(deadline(&w1, ts("2028-03-31T05:00:00Z")), ts("2028-04-30T05:00:00Z"));
  assert_int_equal(deadline(&w1, ts("2027-11-15T23:59:59Z")), ts("2027-12-15T23:59:59Z"));
  assert_int_equal(deadline(&w12, ts("2028-02-29T12:00:00Z")), ts("2029-02-28T12:00:00Z"));
  assert_int_equal(deadline(&e2, ts("2027-12-15T00:00:00Z")), ts("2028-03-01T00:00:00Z"));
  assert_int_equal(deadline(&e1, ts("2027-11-30T23:59:59Z")), ts("2028-01-01T00:00:00Z"));

  /* ticket by end of 2nd billing month (exclusive), claim within 2
   * months (inclusive); 10:00:30-10:50:30 touches 51 minutes, the
   * interruption is 10:00:00 */
  hand_begin(&pol_c_a, 6);
  static const char *const tk[6] = {"2028-02-29T23:59:59Z", "2028-01-02T00:00:00Z", "2028-03-01T00:00:00Z",
                                    "2027-12-31T09:59:59Z", "2027-12-31T10:00:00Z", NULL};
  static const char *const cl[6] = {"2028-02-29T10:00:00Z", "2028-02-29T10:00:01Z", "2028-01-05T00:00:00Z",
                                    "2028-01-05T00:00:00Z", "2027-12-31T10:00:00Z", NULL};
  static const char *const want[6] = {"10.00", "0.00", "0.00", "0.00", "10.00", "0.00"};
  for (int i = 0; i < 6; i++) {
    account *a = hand_acc(i, "", 0, 10000);
    hand_inc(a, 0, "outage", "2027-12-31T10:00:30Z", "2027-12-31T10:50:30Z", NULL);
    if (tk[i]) {
      a->claim[1] = true;
      a->ticket[1] = ts(tk[i]);
      a->claimed[1] = ts(cl[i]);
    }
  }
  expected x[NM];
  run_opts noclaims = {true, false, false, -1};
  for (int i = 0; i < 6; i++) {
    hand_model(i, &all_months, x);
    hand_svc(&x[1], 0, 51, 0, "99.8857", false, "10");
    hand_acct(&x[1], "10", want[i]);
    hand_model(i, &noclaims, x);
    hand_acct(&x[1], "10", "10.00");
  }
  assert_int_equal(hw.acc[0].first_down[1], ts("2027-12-31T10:00:00Z"));
  hand_end();

  /* ticket within 1 month (inclusive), claim by end of 1st billing month
   * (exclusive) */
  hand_begin(&pol_c_b, 3);
  account *a = hand_acc(0, "", 0, 10000);
  hand_inc(a, 0, "outage", "2028-01-31T23:00:00Z", "2028-02-01T01:00:00Z", NULL);
  a->claim[2] = a->claim[3] = true;
  a->ticket[2] = ts("2028-02-29T23:00:00Z"), a->claimed[2] = ts("2028-02-29T23:59:59Z");
  a->ticket[3] = ts("2028-03-01T00:00:01Z"), a->claimed[3] = ts("2028-03-02T00:00:00Z");
  for (int i = 1; i < 3; i++) {
    a = hand_acc(i, "", 0, 5000);
    hand_inc(a, 0, "outage", "2028-03-31T05:00:00Z", "2028-03-31T06:00:00Z", NULL);
    a->claim[4] = true;
    a->ticket[4] = ts("2028-04-30T05:00:00Z");
    a->claimed[4] = ts(i == 1 ? "2028-05-01T00:00:00Z" : "2028-04-30T23:59:59Z");
  }
  hand_model(0, &all_months, x);
  hand_acct(&x[2], "10", "10.00");
  hand_acct(&x[3], "10", "0.00");
  hand_model(1, &all_months, x);
  hand_acct(&x[4], "10", "0.00");
  hand_model(2, &all_months, x);
  hand_acct(&x[4], "10", "5.00");
  hand_end();
}

static void test_hand_error_kinds(void **state) {
  (void)state;
  hand_begin(&pol_e, 1);
  account *a = hand_acc(0, "", 0, 5000);
  /* storage counts internal + unavailable: 8 windows at 100% and one at
   * 64%: 8.64 of April's 8,640 windows, exactly 0.1% */
  static const int64_t s_full[NKIND] = {6, 4, 0, 0}, s_part[NKIND] = {60, 4, 30, 6};
  /* api ignores throttled and client: the same, and one window of
   * 1/18,018,000 more */
  static const int64_t a_full[NKIND] = {3, 3, 0, 0}, a_part[NKIND] = {0, 0, 20, 16},
                       a_tiny[NKIND] = {0, 0, 9009000, 9008999};
  for (int i = 0; i < 8; i++) {
    hand_window(a, 0, 5, 10 + i, 10, 10, s_full);
    hand_window(a, 1, 5, 10 + i, 10, 10, a_full);
  }
  hand_window(a, 0, 5, 100, 100, 100, s_part);
  hand_window(a, 1, 5, 100, 100, 100, a_part);
  hand_window(a, 1, 5, 200, L_DEN, L_DEN, a_tiny);
  expected x[NM];
  hand_model(0, &all_months, x);
  assert_string_equal(x[5].erate[0], "0.1000");
  assert_string_equal(x[5].uptime[0], "99.9000");
  assert_true(x[5].met[0]);
  assert_string_equal(x[5].erate[1], "0.1000");
  assert_string_equal(x[5].uptime[1], "99.8999");
  assert_false(x[5].met[1]);
  hand_acct(&x[5], "10", "5.00");
  hand_end();
}

static int setup(void **state) {
  (void)state;
  init_months();
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/slac-model-v2.XXXXXX", t && *t ? t : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  static const char *const names[] = {"incidents.csv", "windows.csv", "accounts.csv", "history.csv", "claims.csv"};
  char path[512];
  for (int i = 0; i < 5; i++) {
    path_of(path, sizeof path, names[i]);
    unlink(path);
  }
  return rmdir(tmpdir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      /* the model alone */
      cmocka_unit_test(test_hand_quarters),
      cmocka_unit_test(test_hand_service_charges),
      cmocka_unit_test(test_hand_terms),
      cmocka_unit_test(test_hand_period_caps),
      cmocka_unit_test(test_hand_claims),
      cmocka_unit_test(test_hand_error_kinds),
      /* slac against the model: today's constructs, then v2 */
      cmocka_unit_test(test_slac_baseline_v1),
      cmocka_unit_test(test_slac_service_charges),
      cmocka_unit_test(test_slac_terms),
      cmocka_unit_test(test_slac_quarters),
      cmocka_unit_test(test_slac_period_caps),
      cmocka_unit_test(test_slac_claims),
      cmocka_unit_test(test_slac_error_kinds),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
