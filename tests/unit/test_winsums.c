/* test_winsums.c - window sums (runtime/data/winsums.h through the public
 * API): windows added in any order, split into parts, saved, loaded and
 * merged give the outcomes of the same window rows read in time order,
 * byte for byte; a window twice, a start off the grid, errors above
 * requests, damaged bytes, another policy's sums and what sums cannot
 * measure are each refused with their message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "include/slac/slac.h"

typedef struct {
  char text[8192];
} seen;

static void collect(void *userdata, const slac_api_diag *dg) {
  seen *s = userdata;
  size_t n = strlen(s->text);
  snprintf(s->text + n, sizeof s->text - n, "%s|%s\n",
           dg->severity == SLAC_API_ERROR ? "error" : "warning", dg->message);
}

static slac_api_policy *compile(const char *rel, seen *s) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", SLAC_SOURCE_DIR, rel);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[1 << 16];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  slac_api_policy *p = slac_policy_compile(buf, len, rel, collect, s);
  assert_non_null(p);
  return p;
}

/* One request window of the model. */
typedef struct {
  int account;
  int64_t start;
  uint64_t requests, errors;
} window;

/* in the order of their names: accounts that no accounts table lists come
 * in that order from sums, in the order of their first rows from rows */
static const char *const names[] = {"acme", "globex", "hooli", "initech", "umbrella, \"ltd\"", "x"};
enum { NACCOUNTS = 6 };

static uint64_t next(uint64_t *seed) {
  *seed = *seed * 6364136223846793005u + 1442695040888963407u;
  return *seed >> 33;
}

/* Windows of 5 minutes from 2026-01-30 to 2026-02-02 for each account,
 * some missing, some empty, rates exact (1/4) and not (1/3, 2/7). */
static size_t model(window *v) {
  uint64_t seed = 7;
  size_t n = 0;
  int64_t from = 1769731200; /* 2026-01-30T00:00:00Z */
  for (int a = 0; a < NACCOUNTS; a++)
    for (int64_t t = from; t < from + 3 * 86400; t += 300) {
      uint64_t r = next(&seed);
      if (r % 17 == 0 && a != 0) continue; /* a gap */
      uint64_t requests = r % 5 == 0 ? 0 : 1 + r % 1000;
      uint64_t errors = r % 3 == 0 ? requests / 3 : r % 11 == 0 ? requests : 0;
      if (a == 0 && t >= from + 86400 && t < from + 2 * 86400) errors = requests; /* a bad day */
      v[n++] = (window){a, t, requests, errors};
    }
  return n;
}

static void quoted(char *out, size_t cap, const char *s) {
  size_t n = 0;
  out[n++] = '"';
  for (; *s && n + 3 < cap; s++) {
    if (*s == '"') out[n++] = '"';
    out[n++] = *s;
  }
  out[n++] = '"';
  out[n] = 0;
}

static void push_accounts(slac_api_run *r) {
  for (int a = 0; a < NACCOUNTS; a++)
    assert_int_equal(slac_run_push_account(r, names[a], NULL, a % 2 ? "1200.00" : "89.99",
                                           a % 3 ? "USD" : "EUR", NULL, NULL), 0);
}

typedef struct {
  char *text;
  size_t len;
} buffer;

static void collect_outcome(void *userdata, const slac_api_outcome *o) {
  buffer *b = userdata;
  size_t n = strlen(o->jsonl);
  b->text = realloc(b->text, b->len + n + 2);
  memcpy(b->text + b->len, o->jsonl, n);
  b->len += n;
  b->text[b->len++] = '\n';
  b->text[b->len] = 0;
}

static char *outcomes(slac_api_run *r, int *rc) {
  buffer b = {calloc(1, 1), 0};
  *rc = slac_run_each(r, collect_outcome, &b);
  return b.text;
}

/* The window rows, in time order per account, as a file holds them. */
static char *by_rows(slac_api_policy *p, const window *v, size_t n, bool accounts, seen *s) {
  slac_api_run *r = slac_run_new(p, collect, s);
  if (accounts) push_accounts(r);
  char *records = malloc(n * 96), field[64];
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    char when[32];
    time_t t = (time_t)v[i].start;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    quoted(field, sizeof field, names[v[i].account]);
    len += (size_t)sprintf(records + len, "%s,hosting,%s,%llu,%llu\n", field, when,
                           (unsigned long long)v[i].requests, (unsigned long long)v[i].errors);
  }
  assert_int_equal(slac_run_push_records(r, SLAC_API_WINDOWS, records, len), 0);
  free(records);
  int rc;
  char *out = outcomes(r, &rc);
  assert_int_equal(rc, 0);
  slac_run_free(r);
  return out;
}

static int add(slac_api_windows *w, const window *x) {
  const char *name = names[x->account];
  return slac_windows_add(w, name, strlen(name), "hosting", 7, x->start, x->requests, x->errors);
}

static void test_any_order_same_outcomes(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = compile("policies/piwik-pro.sla", &s);
  s.text[0] = 0;
  static window v[NACCOUNTS * 864];
  size_t n = model(v);
  for (int accounts = 0; accounts < 2; accounts++) {
    char *expected = by_rows(p, v, n, accounts, &s);
    assert_string_equal(s.text, "");
    /* shuffled, in three parts, the second saved and loaded back */
    static window w[NACCOUNTS * 864];
    memcpy(w, v, n * sizeof *w);
    uint64_t seed = 11;
    for (size_t i = n - 1; i > 0; i--) {
      size_t j = next(&seed) % (i + 1);
      window t = w[i];
      w[i] = w[j];
      w[j] = t;
    }
    slac_api_windows *part[3];
    for (int k = 0; k < 3; k++) part[k] = slac_windows_new(p, collect, &s);
    for (size_t i = 0; i < n; i++) assert_int_equal(add(part[i % 3], &w[i]), 0);
    size_t size = slac_windows_save(part[1], NULL, 0);
    unsigned char *bytes = malloc(size);
    assert_int_equal(slac_windows_save(part[1], bytes, size), size);
    slac_api_windows *loaded = slac_windows_load(p, bytes, size, collect, &s);
    assert_non_null(loaded);
    assert_string_equal(s.text, "");
    /* saved again, the same bytes */
    unsigned char *again = malloc(size);
    assert_int_equal(slac_windows_save(loaded, again, size), size);
    assert_memory_equal(bytes, again, size);
    assert_int_equal(slac_windows_merge(part[0], loaded), 0);
    assert_int_equal(slac_windows_merge(part[0], part[2]), 0);
    /* the same windows added in time order: the same bytes */
    slac_api_windows *ordered = slac_windows_new(p, collect, &s);
    for (size_t i = 0; i < n; i++) assert_int_equal(add(ordered, &v[i]), 0);
    size_t total = slac_windows_save(ordered, NULL, 0);
    assert_int_equal(slac_windows_save(part[0], NULL, 0), total);
    unsigned char *b1 = malloc(total), *b2 = malloc(total);
    slac_windows_save(ordered, b1, total);
    slac_windows_save(part[0], b2, total);
    assert_memory_equal(b1, b2, total);
    free(b1);
    free(b2);
    slac_windows_free(ordered);
    slac_api_run *r = slac_run_new(p, collect, &s);
    if (accounts) push_accounts(r);
    assert_int_equal(slac_run_push_windows(r, part[0]), 0);
    int rc;
    char *out = outcomes(r, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s.text, "");
    assert_string_equal(out, expected);
    free(out);
    free(expected);
    free(bytes);
    free(again);
    slac_run_free(r);
    slac_windows_free(loaded);
    for (int k = 0; k < 3; k++) slac_windows_free(part[k]);
  }
  slac_policy_free(p);
}

static void test_bad_windows_refused(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = compile("policies/piwik-pro.sla", &s);
  s.text[0] = 0;
  slac_api_windows *w = slac_windows_new(p, collect, &s);
  window ok = {0, 1769731200, 10, 1};
  assert_int_equal(add(w, &ok), 0);
  assert_int_equal(add(w, &ok), -1);
  window off = {1, 1769731200 + 60, 10, 1}, over = {1, 1769731200, 10, 11};
  assert_int_equal(add(w, &off), -1);
  assert_int_equal(add(w, &over), -1);
  assert_int_equal(slac_windows_add(w, "acme", 4, "web", 3, 1769731200, 1, 0), -1);
  assert_int_equal(slac_windows_add(w, "", 0, "hosting", 7, 1769731200, 1, 0), -1);
  assert_string_equal(s.text,
      "error|the request window of account \"acme\", service \"hosting\", starting at "
      "2026-01-30T00:00:00Z: it is there twice; each window comes once\n"
      "error|the request window of account \"globex\", service \"hosting\", starting at "
      "2026-01-30T00:01:00Z: a window must start on a multiple of its length (300 s) since "
      "1970-01-01T00:00:00Z\n"
      "error|the request window of account \"globex\", service \"hosting\", starting at "
      "2026-01-30T00:00:00Z: errors (11) cannot exceed requests (10)\n"
      "error|unknown service \"web\": the policy's services are hosting\n"
      "error|a request window without an account name: an account is expected\n");
  s.text[0] = 0;
  /* the same window in two parts: found by the merge */
  slac_api_windows *other = slac_windows_new(p, collect, &s);
  window later = {0, 1769731200 + 300, 10, 0};
  assert_int_equal(add(other, &later), 0);
  assert_int_equal(add(other, &ok), 0);
  assert_int_equal(slac_windows_merge(w, other), -1);
  assert_string_equal(s.text,
      "error|the request window of account \"acme\", service \"hosting\", starting at "
      "2026-01-30T00:00:00Z: it is in two of the partial sums merged; each window comes once\n");
  slac_windows_free(other);
  slac_windows_free(w);
  slac_policy_free(p);
}

/* Every prefix of good bytes, and every byte changed, is refused or
 * loads to sums that save to the bytes given: never a crash. */
static void test_damaged_bytes(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = compile("policies/piwik-pro.sla", &s);
  slac_api_policy *q = compile("policies/saleor.sla", &s);
  s.text[0] = 0;
  slac_api_windows *w = slac_windows_new(p, collect, &s);
  static window v[NACCOUNTS * 864];
  size_t n = model(v);
  for (size_t i = 0; i < n && i < 300; i++) assert_int_equal(add(w, &v[i * 5 % n]), 0);
  size_t size = slac_windows_save(w, NULL, 0);
  unsigned char *bytes = malloc(size);
  slac_windows_save(w, bytes, size);
  for (size_t cut = 0; cut < size; cut++) {
    s.text[0] = 0;
    assert_null(slac_windows_load(p, bytes, cut, collect, &s));
    assert_non_null(strstr(s.text, "error|"));
  }
  s.text[0] = 0;
  assert_null(slac_windows_load(q, bytes, size, collect, &s));
  assert_string_equal(s.text, "error|these window sums were made with another policy\n");
  unsigned char *copy = malloc(size), *resaved = malloc(size);
  for (size_t i = 40; i < size; i++) {
    memcpy(copy, bytes, size);
    copy[i] ^= (unsigned char)(1u << (i % 8));
    s.text[0] = 0;
    slac_api_windows *x = slac_windows_load(p, copy, size, collect, &s);
    if (x) { /* a change the checks cannot see (a count of errors): bytes in, bytes out */
      assert_int_equal(slac_windows_save(x, resaved, size), size);
      assert_memory_equal(resaved, copy, size);
      slac_windows_free(x);
    } else {
      assert_non_null(strstr(s.text, "error|damaged window sums: "));
    }
  }
  slac_api_run *r = slac_run_new(q, collect, &s);
  s.text[0] = 0;
  assert_int_equal(slac_run_push_windows(r, w), -1);
  assert_string_equal(s.text, "error|slac_run_push_windows: the window sums were made with another "
                              "policy than the run's\n");
  slac_run_free(r);
  free(copy);
  free(resaved);
  free(bytes);
  slac_windows_free(w);
  slac_policy_free(p);
  slac_policy_free(q);
}

/* What sums cannot measure: an excluded incident over the windows, the
 * html day chart, an average only the exact pass decides, a service of
 * minutes. */
static void test_what_sums_cannot_measure(void **state) {
  (void)state;
  seen s = {""};
  slac_api_policy *p = compile("policies/piwik-pro.sla", &s);
  s.text[0] = 0;
  slac_api_windows *w = slac_windows_new(p, collect, &s);
  /* every window of September 2026, alternately 1/3 and 2/3 errors
   * (tests/eval/windows_exact_second_pass) */
  for (int64_t i = 0; i < 8640; i++)
    assert_int_equal(slac_windows_add(w, "acme", 4, "hosting", 7, 1788220800 + i * 300, 3,
                                      i % 2 ? 2 : 1), 0);
  slac_api_run *r = slac_run_new(p, collect, &s);
  assert_int_equal(slac_run_push_windows(r, w), 0);
  int rc;
  free(outcomes(r, &rc));
  assert_int_equal(rc, -1);
  assert_string_equal(s.text, "error|account \"acme\", service \"hosting\", 2026-09: the average "
                              "error rate is within 10^-26 of a step of 10^-12 %, which only the "
                              "exact pass over the window rows decides, and its windows came as "
                              "sums; give the window rows of this account\n");
  slac_run_free(r);
  s.text[0] = 0;
  r = slac_run_new(p, collect, &s);
  assert_int_equal(slac_run_push_incident(r, "acme", "hosting", "2026-09-02T00:00:00Z",
                                          "2026-09-02T01:00:00Z", "customer"), 0);
  assert_int_equal(slac_run_push_windows(r, w), 0);
  free(outcomes(r, &rc));
  assert_int_equal(rc, -1);
  assert_string_equal(s.text, "error|account \"acme\", service \"hosting\": an incident excludes "
                              "time from the service, and the windows in that time cannot be left "
                              "out of window sums; give the window rows instead\n");
  s.text[0] = 0;
  FILE *devnull = fopen("/dev/null", "w");
  assert_int_equal(slac_run_write(r, SLAC_API_HTML, devnull), -1);
  fclose(devnull);
  assert_string_equal(s.text, "error|account \"acme\", service \"hosting\": the html statement's day "
                              "chart needs the window rows, which window sums do not keep; ask for "
                              "jsonl, csv or text\n");
  slac_run_free(r);
  slac_windows_free(w);
  slac_policy_free(p);
  s.text[0] = 0;
  p = compile("policies/saleor.sla", &s);
  s.text[0] = 0;
  w = slac_windows_new(p, collect, &s);
  assert_int_equal(slac_windows_add(w, "acme", 4, "covered", 7, 1767225600, 3, 1), -1);
  assert_non_null(strstr(s.text, "counts unavailable minutes; window sums hold error-rate "
                                 "services only\n"));
  slac_windows_free(w);
  slac_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_any_order_same_outcomes),
      cmocka_unit_test(test_bad_windows_refused),
      cmocka_unit_test(test_damaged_bytes),
      cmocka_unit_test(test_what_sums_cannot_measure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
