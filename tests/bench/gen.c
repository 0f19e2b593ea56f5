/* gen.c - slac_gen: deterministic benchmark data in the CONTRACT formats.
 *
 *   slac_gen windows   --accounts N [--months M | --days D | --steps S] [--start YYYY-MM]
 *   slac_gen incidents --accounts N --rows R [--months M] [--start YYYY-MM]
 *   slac_gen probes    --accounts N [--months M | --days D] [--interval S]
 *   slac_gen accounts  --accounts N [--currencies USD,EUR]
 *   slac_gen policy    --lines L
 * common: [--seed S] [--service NAME] [-o FILE]   (default output: stdout)
 *
 * The same arguments always give the same bytes (integer arithmetic and
 * our own PRNG only, so no libm or libc differences).  Account names are
 * "<company>-<6 digits>"; every account of `accounts` is used by the other
 * kinds given the same --accounts and --seed.
 *
 * windows: five-minute request windows (service `hosting` of
 *   policies/piwik-pro.sla), time-major (every account's window at t, then
 *   t + 5 min), so each account's windows are in time order.  Per account:
 *   a log-uniform traffic level (0.2 to 3,000 requests a window), a
 *   24-hour traffic curve, +-30% noise, a small base error rate, and
 *   episodes of 2-60% errors lasting 30 min to a day (about one account in
 *   four is never hit, the others every few weeks to few months).  A
 *   window without requests has no row half of the time.
 * incidents: rows for service `covered` of policies/saleor.sla, exactly
 *   --rows of them, spread evenly over the months and sorted by start
 *   within each month.  Causes: outage (and empty), maintenance (5 to 20
 *   minutes at night, on 5-minute marks, so the 10-minute cap is often
 *   exceeded), customer, third_party, force_majeure, beta, over_quota,
 *   suspension, termination, aup_violation, unauthorized.  About 15% are a
 *   second report of the account's previous incident (overlapping it,
 *   sometimes with another cause) and about 2% start in the last two hours
 *   of a month, so many cross a month edge.  One account in ten is flaky
 *   and gets a third of the incidents.  Columns id,account,service,start,
 *   end,cause,note; notes are sometimes quoted with commas and doubled
 *   quotes (the note is the last column).
 * probes: one probe per account every --interval seconds (default 60),
 *   time-major, with failure runs of 1 to 30 probes.
 * accounts: account,fee,currency,plan; fees from 10.00 to 9,999.99 with
 *   two decimals; currencies cycle through --currencies (default USD).
 * policy: a valid policy of exactly --lines lines (up to 255 services, tiers,
 *   exclusions, notes) for timing `slac check`.
 *
 *   slac_gen time REPORT COMMAND [ARG...]
 * runs COMMAND (stdin, stdout and stderr inherited), then writes to REPORT
 * "STATUS WALL_S CPU_S MAXRSS_KIB": its exit status, wall-clock seconds,
 * user + system CPU seconds (microsecond resolution, where GNU time prints
 * hundredths) and peak resident set size; exits with COMMAND's status.
 *
 *   slac_gen hostile KIND N ...
 * the hostile inputs of issue 15 (hostile.c says which).
 *
 * windows --steps S: S five-minute steps from --start (S = 1: every
 * account once, the shape that measures memory per account).
 */
#include <errno.h>
#include <inttypes.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hostile.h"

/* ---- random numbers: splitmix64 --------------------------------------- */

static uint64_t rng_state;

static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static uint64_t rnd(void) {
  rng_state += UINT64_C(0x9E3779B97F4A7C15);
  return mix64(rng_state);
}

/* Uniform in [0, n), n > 0 (the modulo bias is irrelevant here). */
static uint64_t below(uint64_t n) { return rnd() % n; }

/* A per-account value that does not depend on the order of generation. */
static uint64_t account_hash(uint64_t seed, uint64_t account, uint64_t salt) {
  return mix64(mix64(seed * UINT64_C(0x9E3779B97F4A7C15) + account) ^ (salt * UINT64_C(0xD6E8FEB86659FD93)));
}

/* ---- calendar ---------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

/* Month number (year * 12 + month - 1) and its first second. */
static int64_t month_start(int64_t mon) {
  return days_from_civil(mon / 12, (int)(mon % 12) + 1, 1) * 86400;
}

/* "YYYY-MM-DDThh:mm:ssZ" (20 bytes, no NUL). */
static void format_time(int64_t t, char *out) {
  int64_t days = t / 86400, secs = t % 86400, y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d, hh, mm, ss);
  memcpy(out, tmp, 20);
}

/* ---- output: one big buffer -------------------------------------------- */

static FILE *out;
static char obuf[1 << 16];
static size_t olen;

static void flush_out(void) {
  if (olen && fwrite(obuf, 1, olen, out) != olen) {
    fprintf(stderr, "slac_gen: write error: %s\n", strerror(errno));
    exit(1);
  }
  olen = 0;
}

static void put(const char *s, size_t n) {
  if (olen + n > sizeof obuf) flush_out();
  if (n > sizeof obuf) {
    if (fwrite(s, 1, n, out) != n) exit(1);
    return;
  }
  memcpy(obuf + olen, s, n);
  olen += n;
}

static void puts_(const char *s) { put(s, strlen(s)); }

static void put_u64(uint64_t v) {
  char tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put(tmp + i, sizeof tmp - i);
}

/* ---- options ----------------------------------------------------------- */

typedef struct {
  const char *kind;
  uint64_t seed, accounts, rows, lines, interval;
  int64_t start_month; /* year * 12 + month - 1 */
  int64_t months, days, steps;
  const char *service, *currencies, *output;
} options;

static void usage(FILE *f) {
  fputs("usage: slac_gen windows|incidents|probes|accounts|policy [options]\n"
        "       slac_gen time REPORT COMMAND [ARG...]\n"
        "  --accounts N     number of accounts (default 100)\n"
        "  --months M       months of data from --start (default 1)\n"
        "  --days D         windows/probes: D days from --start instead of months\n"
        "  --steps S        windows: S five-minute steps from --start instead\n"
        "  --start YYYY-MM  first month (default 2026-01)\n"
        "  --rows R         incidents: exact number of rows (default 1000)\n"
        "  --interval S     probes: seconds between probes (default 60)\n"
        "  --currencies L   accounts: comma-separated codes (default USD)\n"
        "  --lines L        policy: number of lines (default 10000)\n"
        "  --service NAME   service column (default hosting for windows, covered otherwise)\n"
        "  --seed S         random seed (default 1)\n"
        "  -o FILE          output file (default stdout)\n",
        f);
}

static uint64_t parse_u64(const char *opt, const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *s == '\0' || *end != '\0' || *s == '-') {
    fprintf(stderr, "slac_gen: %s: expected a whole number, got \"%s\"\n", opt, s);
    exit(2);
  }
  return (uint64_t)v;
}

static void parse_args(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->accounts = 100;
  o->rows = 1000;
  o->lines = 10000;
  o->interval = 60;
  o->start_month = 2026 * 12;
  o->months = 1;
  o->currencies = "USD";
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    exit(argc < 2 ? 2 : 0);
  }
  o->kind = argv[1];
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (i + 1 >= argc) {
      fprintf(stderr, "slac_gen: %s needs a value\n", a);
      exit(2);
    }
    const char *v = argv[++i];
    if (strcmp(a, "--accounts") == 0) o->accounts = parse_u64(a, v);
    else if (strcmp(a, "--months") == 0) o->months = (int64_t)parse_u64(a, v);
    else if (strcmp(a, "--days") == 0) o->days = (int64_t)parse_u64(a, v);
    else if (strcmp(a, "--steps") == 0) o->steps = (int64_t)parse_u64(a, v);
    else if (strcmp(a, "--rows") == 0) o->rows = parse_u64(a, v);
    else if (strcmp(a, "--lines") == 0) o->lines = parse_u64(a, v);
    else if (strcmp(a, "--interval") == 0) o->interval = parse_u64(a, v);
    else if (strcmp(a, "--seed") == 0) o->seed = parse_u64(a, v);
    else if (strcmp(a, "--service") == 0) o->service = v;
    else if (strcmp(a, "--currencies") == 0) o->currencies = v;
    else if (strcmp(a, "-o") == 0) o->output = v;
    else if (strcmp(a, "--start") == 0) {
      int y, m;
      char extra;
      if (sscanf(v, "%4d-%2d%c", &y, &m, &extra) != 2 || y < 1 || y > 9998 || m < 1 || m > 12) {
        fprintf(stderr, "slac_gen: --start: expected YYYY-MM, got \"%s\"\n", v);
        exit(2);
      }
      o->start_month = (int64_t)y * 12 + m - 1;
    } else {
      fprintf(stderr, "slac_gen: unknown option %s\n", a);
      usage(stderr);
      exit(2);
    }
  }
  if (o->accounts == 0 || o->accounts > 100000000 || o->months <= 0 || o->months > 1200 ||
      o->days > 36500 || o->steps > 36500 * 288 || o->interval == 0 || o->interval > 86400) {
    fprintf(stderr, "slac_gen: an option is out of range\n");
    exit(2);
  }
}

/* ---- accounts ---------------------------------------------------------- */

static const char *const companies[16] = {
    "acme",  "globex", "initech",  "umbrella", "hooli",  "stark",   "wayne",    "tyrell",
    "cyberdyne", "soylent", "wonka", "vandelay", "oscorp", "monarch", "aperture", "massive"};

/* The account's name into BUF; returns its length. */
static size_t account_name(uint64_t i, char *buf) {
  return (size_t)snprintf(buf, 40, "%s-%06" PRIu64, companies[i % 16], i);
}

/* Names of all accounts, each with its length, for the row loops. */
typedef struct {
  char name[40];
  size_t len;
} acct_name;

static acct_name *all_names(uint64_t n) {
  acct_name *v = malloc(n * sizeof *v);
  if (!v) {
    fputs("slac_gen: out of memory\n", stderr);
    exit(1);
  }
  for (uint64_t i = 0; i < n; i++) v[i].len = account_name(i, v[i].name);
  return v;
}

static void gen_accounts(const options *o) {
  static const char *const plans[4] = {"Basic", "Business", "Enterprise", "Business"};
  char cur[16][4];
  size_t ncur = 0;
  for (const char *p = o->currencies; *p && ncur < 16;) {
    size_t n = strcspn(p, ",");
    if (n != 3) {
      fprintf(stderr, "slac_gen: --currencies: expected codes like USD,EUR\n");
      exit(2);
    }
    memcpy(cur[ncur], p, 3);
    cur[ncur++][3] = '\0';
    p += n + (p[n] == ',');
  }
  if (ncur == 0) {
    memcpy(cur[0], "USD", 4);
    ncur = 1;
  }
  puts_("account,fee,currency,plan\n");
  char name[40], tmp[64];
  for (uint64_t i = 0; i < o->accounts; i++) {
    uint64_t h = account_hash(o->seed, i, 1);
    /* fees: mostly small plans, a long tail of large contracts */
    uint64_t cents = h % 4 == 0 ? 1000 + (h >> 8) % 999000 : 1000 + (h >> 8) % 49000;
    put(name, account_name(i, name));
    int n = snprintf(tmp, sizeof tmp, ",%" PRIu64 ".%02" PRIu64 ",%s,%s\n", cents / 100, cents % 100,
                     cur[i % ncur], plans[(h >> 40) % 4]);
    put(tmp, (size_t)n);
  }
}

/* ---- request windows --------------------------------------------------- */

/* Share of the average traffic (percent) by UTC hour. */
static const unsigned diurnal[24] = {35, 30, 28, 27, 28, 32, 45, 65, 85, 100, 110, 115,
                                     118, 116, 112, 110, 108, 105, 100, 92, 80, 65, 52, 42};

typedef struct {
  uint64_t level;    /* mean requests per window, in thousandths */
  uint32_t base_ppm; /* base error rate, parts per million */
  uint32_t ep_every; /* an episode starts once in about this many windows; 0: never */
  uint32_t ep_left;  /* windows left in the current episode */
  uint32_t ep_ppm;   /* its error rate */
} traffic;

static void period_of(const options *o, int64_t *t0, int64_t *t1) {
  *t0 = month_start(o->start_month);
  *t1 = o->steps > 0 ? *t0 + o->steps * 300
        : o->days > 0 ? *t0 + o->days * 86400 : month_start(o->start_month + o->months);
}

static void gen_windows(const options *o) {
  const char *service = o->service ? o->service : "hosting";
  size_t slen = strlen(service);
  uint64_t n = o->accounts;
  acct_name *names = all_names(n);
  traffic *tr = calloc(n, sizeof *tr);
  if (!tr) exit(1);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t h = account_hash(o->seed, i, 2);
    unsigned e = (unsigned)(h % 14); /* 0.2 .. ~3,000 requests a window */
    tr[i].level = (UINT64_C(200) << e) + (h >> 8) % (UINT64_C(200) << e);
    tr[i].base_ppm = (uint32_t)((h >> 24) % 100 < 60 ? (h >> 32) % 200 : (h >> 32) % 3000);
    tr[i].ep_every = (h >> 48) % 4 == 0 ? 0 : (uint32_t)(4000 + (h >> 50) % 40000);
  }
  rng_state = mix64(o->seed ^ UINT64_C(0x5157));
  int64_t t0, t1;
  period_of(o, &t0, &t1);
  puts_("account,service,start,requests,errors\n");
  char row[128];
  for (int64_t t = t0; t < t1; t += 300) {
    char ts[20];
    format_time(t, ts);
    unsigned curve = diurnal[(t / 3600) % 24];
    for (uint64_t i = 0; i < n; i++) {
      traffic *a = &tr[i];
      uint64_t noise = 700 + below(601);
      uint64_t milli = a->level * curve / 100 * noise / 1000;
      uint64_t requests = (milli + below(1000)) / 1000;
      uint64_t ppm = a->base_ppm;
      if (a->ep_left > 0) {
        a->ep_left--;
        ppm = a->ep_ppm;
      } else if (a->ep_every && below(a->ep_every) == 0) {
        a->ep_left = 5 + (uint32_t)below(283);
        a->ep_ppm = 20000 + (uint32_t)below(580000);
        ppm = a->ep_ppm;
      }
      uint64_t errors = (requests * ppm + below(1000000)) / 1000000;
      if (errors > requests) errors = requests;
      if (requests == 0 && (rnd() & 1)) continue; /* no row for this empty window */
      size_t k = 0;
      memcpy(row, names[i].name, names[i].len);
      k += names[i].len;
      row[k++] = ',';
      memcpy(row + k, service, slen);
      k += slen;
      row[k++] = ',';
      memcpy(row + k, ts, 20);
      k += 20;
      row[k++] = ',';
      put(row, k);
      put_u64(requests);
      put(",", 1);
      put_u64(errors);
      put("\n", 1);
    }
  }
  free(tr);
  free(names);
}

/* ---- incidents --------------------------------------------------------- */

typedef struct {
  int64_t start, end;
  uint32_t account;
  uint16_t cause;
  uint16_t note;
  uint64_t seq; /* tie-breaker: a total order, so qsort is deterministic */
} incident;

enum { C_EMPTY, C_OUTAGE, C_MAINT, C_CUSTOMER, C_THIRD, C_FORCE, C_BETA, C_QUOTA, C_SUSP, C_TERM,
       C_AUP, C_UNAUTH, NCAUSES };
static const char *const cause_names[NCAUSES] = {
    "",     "outage",        "maintenance", "customer",    "third_party", "force_majeure",
    "beta", "over_quota",    "suspension",  "termination", "aup_violation", "unauthorized"};
/* Cumulative weights out of 1000. */
static const unsigned cause_weights[NCAUSES] = {30, 560, 160, 80, 60, 10, 30, 30, 10, 5, 10, 15};

static const char *const notes[] = {
    "",
    "",
    "",
    "API 502s after a bad deploy",
    "\"checkout down, payments failing\"",
    "database minor upgrade",
    "\"region failover, EU only\"",
    "\"customer's \"\"test\"\" import, rolled back\"",
    "CDN provider incident",
    "\"latency, then timeouts\"",
    "monitor report",
    "scheduled",
};
#define NNOTES (sizeof notes / sizeof notes[0])

static int cmp_incident(const void *pa, const void *pb) {
  const incident *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static uint16_t pick_cause(void) {
  uint64_t r = below(1000), acc = 0;
  for (uint16_t c = 0; c < NCAUSES; c++) {
    acc += cause_weights[c];
    if (r < acc) return c;
  }
  return C_OUTAGE;
}

/* Duration in seconds for a cause: outages from 20 s to about 2 h with
 * most of them short, maintenance 5 to 20 min, others up to a few hours. */
static int64_t pick_duration(uint16_t cause) {
  if (cause == C_MAINT) return 300 + 60 * (int64_t)below(16);
  int64_t base = 20 << below(9); /* 20 s .. 85 min */
  int64_t d = base + (int64_t)below((uint64_t)base);
  if (cause != C_OUTAGE && cause != C_EMPTY) d += 60 * (int64_t)below(90);
  return d;
}

static void gen_incidents(const options *o) {
  const char *service = o->service ? o->service : "covered";
  uint64_t n = o->accounts;
  if (n > UINT32_MAX) exit(2);
  acct_name *names = all_names(n);
  int64_t *last_start = calloc(n, sizeof *last_start);
  int64_t *last_end = calloc(n, sizeof *last_end);
  uint16_t *last_cause = calloc(n, sizeof *last_cause);
  uint64_t per = o->rows / (uint64_t)o->months, extra = o->rows % (uint64_t)o->months;
  incident *v = malloc((per + 1) * sizeof *v);
  if (!names || !last_start || !last_end || !last_cause || !v) {
    fputs("slac_gen: out of memory\n", stderr);
    exit(1);
  }
  rng_state = mix64(o->seed ^ UINT64_C(0x1C1D));
  uint64_t flaky = (n + 9) / 10, seq = 0, id = 0;
  puts_("id,account,service,start,end,cause,note\n");
  for (int64_t mi = 0; mi < o->months; mi++) {
    int64_t ms = month_start(o->start_month + mi), me = month_start(o->start_month + mi + 1);
    uint64_t count = per + ((uint64_t)mi < extra);
    for (uint64_t k = 0; k < count; k++) {
      incident *x = &v[k];
      uint64_t a = below(3) == 0 ? below(flaky) * 10 : below(n);
      if (a >= n) a = below(n);
      x->account = (uint32_t)a;
      x->seq = seq++;
      x->note = (uint16_t)below(NNOTES);
      if (last_end[a] > ms - 86400 && below(100) < 15) {
        /* a second report of the previous incident: overlapping it */
        x->cause = below(4) == 0 ? pick_cause() : last_cause[a];
        x->start = last_start[a] - 120 + (int64_t)below(420);
        x->end = last_end[a] - 300 + (int64_t)below(900);
        if (x->end <= x->start) x->end = x->start + 30 + (int64_t)below(300);
      } else {
        x->cause = pick_cause();
        int64_t d = pick_duration(x->cause);
        if (x->cause == C_MAINT) {
          /* at night, on a 5-minute mark */
          int64_t days = (me - ms) / 86400;
          x->start = ms + (int64_t)below((uint64_t)days) * 86400 + 3600 + 300 * (int64_t)below(36);
        } else if (below(50) == 0) {
          x->start = me - 7200 + (int64_t)below(7200); /* the last two hours: crosses the edge */
        } else {
          x->start = ms + (int64_t)below((uint64_t)(me - ms));
        }
        x->end = x->start + d;
      }
      last_start[a] = x->start;
      last_end[a] = x->end;
      last_cause[a] = x->cause;
    }
    qsort(v, count, sizeof *v, cmp_incident);
    char row[256], ts[20], te[20];
    for (uint64_t k = 0; k < count; k++) {
      const incident *x = &v[k];
      format_time(x->start, ts);
      format_time(x->end, te);
      int len = snprintf(row, sizeof row, "INC-%08" PRIu64 ",%s,%s,%.20s,%.20s,%s,%s\n", ++id,
                         names[x->account].name, service, ts, te, cause_names[x->cause],
                         notes[x->note]);
      put(row, (size_t)len);
    }
  }
  free(v);
  free(last_start);
  free(last_end);
  free(last_cause);
  free(names);
}

/* ---- probes ------------------------------------------------------------ */

static void gen_probes(const options *o) {
  const char *service = o->service ? o->service : "covered";
  uint64_t n = o->accounts;
  acct_name *names = all_names(n);
  uint32_t *fail_left = calloc(n, sizeof *fail_left);
  uint32_t *every = calloc(n, sizeof *every);
  if (!names || !fail_left || !every) exit(1);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t h = account_hash(o->seed, i, 3);
    every[i] = (uint32_t)(2000 + h % 60000);
  }
  rng_state = mix64(o->seed ^ UINT64_C(0x9806));
  int64_t t0, t1;
  period_of(o, &t0, &t1);
  puts_("account,service,time,ok\n");
  char row[160], ts[20];
  for (int64_t t = t0; t < t1; t += (int64_t)o->interval) {
    format_time(t, ts);
    for (uint64_t i = 0; i < n; i++) {
      bool ok = true;
      if (fail_left[i] > 0) {
        fail_left[i]--;
        ok = false;
      } else if (below(every[i]) == 0) {
        fail_left[i] = (uint32_t)below(30);
        ok = false;
      }
      int len = snprintf(row, sizeof row, "%s,%s,%.20s,%s\n", names[i].name, service, ts,
                         ok ? "true" : "false");
      put(row, (size_t)len);
    }
  }
  free(names);
  free(fail_left);
  free(every);
}

/* ---- a long policy ----------------------------------------------------- */

static void gen_policy(const options *o) {
  static const char *const head[] = {
      "// generated by slac_gen policy: a long but valid policy for timing `slac check`",
      "policy generated \"Generated Service Level Agreement\" version 1 {",
      "  provider \"Generated Provider\"",
      "  currency USD, EUR                             \xC2\xA7" "1",
      "  period calendar month in UTC                  \xC2\xA7" "2",
      "  credit of monthly fee \xC2\xA7" "4 {",
      "    below 99.95% and at or above 99.9%  -> 10%",
      "    below 99.9% and at or above 99.0%   -> 25%",
      "    below 99.0%                         -> 50%",
      "  }",
      "  exclude maintenance up to 10 min per month    \xC2\xA7" "5(i)",
      "  exclude customer, third_party                 \xC2\xA7" "5(iv)",
      "  issue credit only if amount greater than 1.00 USD or 1.00 EUR \xC2\xA7" "4",
      "  not eligible when plan in { \"Free\", \"Trial\" } \xC2\xA7" "6",
  };
  const uint64_t nhead = sizeof head / sizeof head[0];
  if (o->lines < nhead + 1 + 8) {
    fprintf(stderr, "slac_gen: --lines must be at least %" PRIu64 "\n", nhead + 9);
    exit(2);
  }
  for (uint64_t i = 0; i < nhead; i++) {
    puts_(head[i]);
    puts_("\n");
  }
  uint64_t left = o->lines - nhead - 1, s = 0; /* the closing brace last */
  /* a policy has at most 255 services (the checker's limit): past 255
   * blocks of 8 lines, each service gets more notes, so the lines are
   * still clauses to check, not comments */
  uint64_t services = left / 8 > 255 ? 255 : left / 8;
  uint64_t per_service = services ? (left - services * 8) / services : 0;
  char line[512];
  while (s < services) {
    int n = snprintf(line, sizeof line,
                     "  service s%" PRIu64 " \"Service %" PRIu64 "\" {\n"
                     "    measure unavailable minutes               \xC2\xA7" "3.%" PRIu64 "\n"
                     "    commit 99.95%%                            \xC2\xA7" "3.%" PRIu64 "\n"
                     "    // a service-level schedule replaces the policy's\n"
                     "    credit of monthly fee { below 99.95%% -> 10%% }\n"
                     "    exclude beta                              \xC2\xA7" "7.%" PRIu64 "\n"
                     "  }\n"
                     "  note \"Service %" PRIu64 " is covered from its activation date.\" \xC2\xA7" "8\n",
                     s, s, s, s, s, s);
    put(line, (size_t)n);
    for (uint64_t k = 0; k < per_service; k++) {
      n = snprintf(line, sizeof line,
                   "  note \"Service %" PRIu64 ", clause %" PRIu64 ": recorded, not evaluated.\" \xC2\xA7" "9.%" PRIu64 "\n",
                   s, k + 1, k + 1);
      put(line, (size_t)n);
    }
    s++;
    left -= 8 + per_service;
  }
  while (left-- > 0) puts_("  // filler\n");
  puts_("}\n");
}

/* ---- timing a command ------------------------------------------------- */

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

static int time_command(int argc, char **argv) {
  if (argc < 4) {
    fputs("usage: slac_gen time REPORT COMMAND [ARG...]\n", stderr);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("slac_gen: fork");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    fprintf(stderr, "slac_gen: %s: %s\n", argv[3], strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      perror("slac_gen: waitpid");
      return 1;
    }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru); /* the one child, and its own children */
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  FILE *f = fopen(argv[2], "w");
  if (!f || fprintf(f, "%d %.6f %.6f %ld\n", code, wall, seconds(ru.ru_utime) + seconds(ru.ru_stime),
                    (long)ru.ru_maxrss) < 0 || fclose(f) != 0) {
    fprintf(stderr, "slac_gen: %s: cannot write the report\n", argv[2]);
    return 1;
  }
  return code;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "time") == 0) return time_command(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "hostile") == 0) return slac_gen_hostile(argc, argv);
  options o;
  parse_args(argc, argv, &o);
  out = stdout;
  if (o.output && (out = fopen(o.output, "wb")) == NULL) {
    fprintf(stderr, "slac_gen: %s: %s\n", o.output, strerror(errno));
    return 1;
  }
  if (strcmp(o.kind, "windows") == 0) gen_windows(&o);
  else if (strcmp(o.kind, "incidents") == 0) gen_incidents(&o);
  else if (strcmp(o.kind, "probes") == 0) gen_probes(&o);
  else if (strcmp(o.kind, "accounts") == 0) gen_accounts(&o);
  else if (strcmp(o.kind, "policy") == 0) gen_policy(&o);
  else {
    fprintf(stderr, "slac_gen: unknown kind \"%s\"\n", o.kind);
    usage(stderr);
    return 2;
  }
  flush_out();
  if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
    fprintf(stderr, "slac_gen: write error: %s\n", strerror(errno));
    return 1;
  }
  return 0;
}
