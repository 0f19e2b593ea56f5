/* hostile.c - slac_gen's hostile inputs (issue 15), for the adversarial
 * benchmark (run.sh --adversarial) and its smoke test.  Each is crafted
 * against what made a path quadratic or unbounded before the issue: the
 * fixed hashes are reproduced here as an attacker would read them in the
 * sources of that time.
 *
 *   slac_gen hostile names N        incidents (saleor.sla): N accounts whose
 *                                   names share the low 20 bits of the old
 *                                   account hash (runtime/data/dataset.c)
 *   slac_gen hostile spans N        incidents of one account: N disjoint
 *                                   one-second outages of January 2026 (one
 *                                   every two seconds) in random order
 *   slac_gen hostile spans2 N       the same, the even ones in time order and
 *                                   then the odd ones (two sorted files, one
 *                                   after the other)
 *   slac_gen hostile statuspage N   one Statuspage incident of N components,
 *                                   two updates naming all of them
 *   slac_gen hostile months N       request windows (piwik-pro.sla): one
 *                                   account, one window a month for N months
 *                                   from 0001-01
 *   slac_gen hostile accesslog N    an access log of N lines in N five-minute
 *                                   windows whose starts share the bits of the
 *                                   old window map's slot (accesslog.c)
 *   slac_gen hostile wide S C       a policy of S services and C causes
 *   slac_gen hostile long N S       incidents for `wide`: on each of S
 *                                   services, one outage of N months from
 *                                   0001-01 (and an excluded cause on one)
 *   slac_gen hostile check-D N      a policy long in one dimension D: causes,
 *                                   services, schedules (services with their
 *                                   own schedule), plans (one `plan in`),
 *                                   terms (the plans of one service's terms)
 *
 * The output goes to stdout, or to FILE with -o FILE after the size.  The
 * same arguments always give the same bytes.
 */
#include "hostile.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 42;

static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (state += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

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

/* RFC 3339 UTC, "YYYY-MM-DDThh:mm:ssZ". */
static void rfc3339(int64_t t, char out[32]) {
  int64_t days = t / 86400 - (t % 86400 < 0), sod = t - days * 86400, y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d, (int)(sod / 3600),
           (int)(sod / 60 % 60), (int)(sod % 60));
}

/* ---- the fixed hashes of before issue 15 ---------------------------------- */

static uint32_t old_account_hash(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15u ^ n;
  uint64_t w;
  if (n < 8) {
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
  } else {
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
      memcpy(&w, s + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
    memcpy(&w, s + n - 8, 8);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
  }
  h ^= h >> 32;
  return (uint32_t)h;
}

/* The old slot of a window start in a table of 2^20 slots (and so, in
 * its low bits, of every smaller one). */
static uint32_t old_window_slot(int64_t start) {
  uint64_t h = (uint64_t)start * 0x9E3779B97F4A7C15u;
  return (uint32_t)(h >> 17) & 0xFFFFF;
}

/* ---- generators ------------------------------------------------------------ */

/* Names "x" + 9 digits, counted up in place (a thousand tries a name). */
static void names(FILE *f, long n) {
  fputs("account,service,start,end,cause\n", f);
  char name[] = "x000000000";
  const size_t len = sizeof name - 1;
  while (n > 0) {
    for (size_t i = len - 1; i > 0 && ++name[i] > '9'; i--) name[i] = '0';
    if ((old_account_hash(name, len) & 0xFFFFF) - 0x31400u >= 1024) continue;
    fprintf(f, "%s,covered,2026-10-01T00:00:00Z,2026-10-01T00:01:00Z,\n", name);
    n--;
  }
}

static void spans(FILE *f, long n, bool two_sorted) {
  int64_t *k = malloc((size_t)n * sizeof *k);
  if (!k) exit(1);
  for (long i = 0; i < n; i++) k[i] = two_sorted ? (i < (n + 1) / 2 ? 2 * i : 2 * (i - (n + 1) / 2) + 1) : i;
  for (long i = n - 1; !two_sorted && i > 0; i--) {
    long j = (long)(rnd() % (uint64_t)(i + 1));
    int64_t t = k[i];
    k[i] = k[j];
    k[j] = t;
  }
  int64_t t0 = days_from_civil(2026, 1, 1) * 86400;
  fputs("account,service,start,end,cause\n", f);
  char a[32], b[32];
  for (long i = 0; i < n; i++) {
    rfc3339(t0 + k[i] * 2, a);
    rfc3339(t0 + k[i] * 2 + 1, b);
    fprintf(f, "a,covered,%s,%s,\n", a, b);
  }
  free(k);
}

static void statuspage(FILE *f, long n) {
  fputs("[{\"id\": \"big\", \"name\": \"Everything\", \"started_at\": \"2022-09-06T22:00:00Z\", "
        "\"resolved_at\": \"2022-09-06T23:30:00Z\", \"components\": [", f);
  for (long i = 0; i < n; i++) fprintf(f, "%s{\"id\": \"c%ld\", \"name\": \"Component %ld\"}", i ? ", " : "", i, i);
  fputs("], \"incident_updates\": [", f);
  static const char *const upd[2][3] = {{"2022-09-06T23:00:00Z", "major_outage", "operational"},
                                        {"2022-09-06T22:10:00Z", "operational", "major_outage"}};
  for (int u = 0; u < 2; u++) {
    fprintf(f, "%s{\"display_at\": \"%s\", \"affected_components\": [", u ? ", " : "", upd[u][0]);
    for (long i = 0; i < n; i++)
      fprintf(f, "%s{\"code\": \"c%ld\", \"name\": \"Component %ld\", \"old_status\": \"%s\", "
                 "\"new_status\": \"%s\"}", i ? ", " : "", i, i, upd[u][1], upd[u][2]);
    fputs("]}", f);
  }
  fputs("]}]\n", f);
}

static void months(FILE *f, long n) {
  fputs("account,service,start,requests,errors\n", f);
  for (long k = 0; k < n; k++)
    fprintf(f, "a,hosting,%04ld-%02ld-01T00:00:00Z,%" PRIu64 ",1\n", 1 + k / 12, k % 12 + 1,
            10 + rnd() % 90);
}

static void accesslog(FILE *f, long n) {
  static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int64_t t = 0; n > 0; t += 300) {
    if (old_window_slot(t) - 0x52000u >= 1024) continue;
    int64_t y;
    int m, d;
    civil_from_days(t / 86400, &y, &m, &d);
    int64_t sod = t % 86400;
    fprintf(f, "10.0.0.%d - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"GET / HTTP/1.1\" %d 512\n",
            (int)(rnd() % 250), d, mon[m - 1], (int)y, (int)(sod / 3600), (int)(sod / 60 % 60),
            (int)(sod % 60), rnd() % 20 == 0 ? 503 : 200);
    n--;
  }
}

static void wide(FILE *f, long services, long causes) {
  fputs("policy wide \"Many services and causes\" version 1 {\n  currency USD\n"
        "  credit of monthly fee {\n    below 99.9% -> 10%\n  }\n", f);
  for (long s = 0; s < services; s++)
    fprintf(f, "  service s%ld \"Service %ld\" {\n    measure unavailable minutes\n"
               "    commit 99.9%%\n  }\n", s, s);
  for (long c = 0; c < causes; c++) fprintf(f, "  cause c%ld \"Cause %ld\"\n  exclude c%ld\n", c, c, c);
  fputs("}\n", f);
}

static void long_incident(FILE *f, long n, long services) {
  char end[32];
  int64_t last = n - 1 + 12; /* month number of the last month, from 0001-01 */
  rfc3339(days_from_civil(last / 12, (int)(last % 12) + 1, 28) * 86400, end);
  fputs("account,service,start,end,cause\n", f);
  for (long s = 0; s < services; s++)
    fprintf(f, "a,s%ld,0001-01-01T00:00:00Z,%s,%s\n", s, end, s == 1 ? "c0" : "");
}

static void check_policy(FILE *f, const char *dim, long n) {
  bool svc = strcmp(dim, "services") == 0, sched = strcmp(dim, "schedules") == 0;
  fputs("policy t \"T\" version 1 {\n  currency USD\n"
        "  credit of monthly fee {\n    below 99.9% -> 10%\n  }\n", f);
  if (svc || sched) {
    for (long i = 0; i < n; i++)
      fprintf(f, "  service s%ld \"S\" {\n    measure unavailable minutes\n    commit 99.9%%\n%s  }\n",
              i, sched ? "    credit of monthly fee {\n      below 99.9% -> 5%\n    }\n" : "");
  } else if (strcmp(dim, "terms") == 0) {
    fputs("  service api \"A\" {\n    measure unavailable minutes\n    terms for plans ", f);
    for (long i = 0; i < n; i++) fprintf(f, "%s\"p%ld\"", i ? ", " : "", i);
    fputs(" {\n      commit 99.9%\n    }\n    default terms {\n      commit 99.9%\n    }\n  }\n", f);
  } else {
    fputs("  service api \"A\" {\n    measure unavailable minutes\n    commit 99.9%\n  }\n", f);
  }
  if (strcmp(dim, "causes") == 0)
    for (long i = 0; i < n; i++) fprintf(f, "  cause c%ld \"C\"\n  exclude c%ld\n", i, i);
  if (strcmp(dim, "plans") == 0) {
    fputs("  not eligible when plan in { ", f);
    for (long i = 0; i < n; i++) fprintf(f, "%s\"p%ld\"", i ? ", " : "", i);
    fputs(" }\n", f);
  }
  fputs("}\n", f);
}

static long number(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < 0 || v > 100000000) {
    fprintf(stderr, "slac_gen hostile: expected a size, got \"%s\"\n", s);
    exit(2);
  }
  return v;
}

int slac_gen_hostile(int argc, char **argv) {
  /* slac_gen hostile KIND N [M] [-o FILE] */
  if (argc < 4) {
    fputs("usage: slac_gen hostile names|spans|spans2|statuspage|months|accesslog|check-DIM N [-o FILE]\n"
          "       slac_gen hostile wide SERVICES CAUSES [-o FILE]\n"
          "       slac_gen hostile long MONTHS SERVICES [-o FILE]\n", stderr);
    return 2;
  }
  const char *kind = argv[2];
  long n = number(argv[3]);
  int next = 4;
  long m = 0;
  if (strcmp(kind, "wide") == 0 || strcmp(kind, "long") == 0) {
    if (argc < 5) return slac_gen_hostile(3, argv);
    m = number(argv[4]);
    next = 5;
  }
  FILE *f = stdout;
  if (next + 1 < argc && strcmp(argv[next], "-o") == 0 && !(f = fopen(argv[next + 1], "wb"))) {
    perror(argv[next + 1]);
    return 1;
  }
  if (strcmp(kind, "names") == 0) names(f, n);
  else if (strcmp(kind, "spans") == 0) spans(f, n, false);
  else if (strcmp(kind, "spans2") == 0) spans(f, n, true);
  else if (strcmp(kind, "statuspage") == 0) statuspage(f, n);
  else if (strcmp(kind, "months") == 0) months(f, n > 119988 ? 119988 : n);
  else if (strcmp(kind, "accesslog") == 0) accesslog(f, n);
  else if (strcmp(kind, "wide") == 0) wide(f, n, m);
  else if (strcmp(kind, "long") == 0) long_incident(f, n > 119988 ? 119988 : n, m);
  else if (strncmp(kind, "check-", 6) == 0) check_policy(f, kind + 6, n);
  else {
    fprintf(stderr, "slac_gen hostile: unknown kind \"%s\"\n", kind);
    return 2;
  }
  if (fflush(f) != 0 || (f != stdout && fclose(f) != 0)) {
    perror("slac_gen hostile");
    return 1;
  }
  return 0;
}
