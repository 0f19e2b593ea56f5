/* winsums_faults.c - libslac's window sums under allocation failure.
 *
 * The slac command never uses window sums (they are for libslac and the
 * PostgreSQL extension), so tests/faults/run.sh drives them through this
 * program, linked like `slac` with tests/faults/alloc_fail.c in the
 * SLAC_ALLOC_FAIL build (case winsums-api).  It makes sums of window rows
 * in two parts, one in time order (runs of windows) and one every other
 * window (the month's bitmap), saves the second and loads it back, merges,
 * saves and loads the whole, evaluates it with accounts and prints the
 * outcomes as JSON lines.  Every failure prints a line on stderr and exits
 * 1; a failure of an allocation must say "out of memory" (run.sh checks).
 *
 *   winsums_faults [--compile-only] POLICY.sla
 *
 * --compile-only stops after compiling the policy: run.sh counts its
 * allocations to fail only the ones after them.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/slac/slac.h"

static void report(void *userdata, const slac_api_diag *dg) {
  (void)userdata;
  fprintf(stderr, "winsums_faults: %s: %s\n", dg->severity == SLAC_API_ERROR ? "error" : "warning",
          dg->message);
}

static void print_outcome(void *userdata, const slac_api_outcome *o) {
  (void)userdata;
  fputs(o->jsonl, stdout);
  fputc('\n', stdout);
}

static int fail(const char *what) {
  fprintf(stderr, "winsums_faults: %s failed\n", what);
  return 1;
}

static const char *const names[] = {"acme", "globex", "initech, \"ltd\""};
enum { NACCOUNTS = 3, WINDOWS = 2 * 288 }; /* two days of 5-minute windows */

/* Window K of account A: from 2026-01-31, across the month's end; some
 * empty, some with errors, a bad hour for acme. */
static void window_of(int a, int k, int64_t *start, uint64_t *requests, uint64_t *errors) {
  *start = 1769817600 + (int64_t)k * 300; /* 2026-01-31T00:00:00Z */
  *requests = (uint64_t)((k * 7 + a * 13) % 50);
  *errors = *requests ? (uint64_t)((k + a) % 4 == 0) : 0;
  if (a == 0 && k >= 300 && k < 312) *errors = *requests;
}

/* Add account A's windows K = FIRST, FIRST + STEP, ... to W. */
static int add_windows(slac_api_windows *w, int a, int first, int step) {
  for (int k = first; k < WINDOWS; k += step) {
    int64_t start;
    uint64_t requests, errors;
    window_of(a, k, &start, &requests, &errors);
    if (slac_windows_add(w, names[a], strlen(names[a]), "hosting", 7, start, requests, errors))
      return -1;
  }
  return 0;
}

/* W saved and loaded back (NULL after a message); W is freed either way. */
static slac_api_windows *round_trip(const slac_api_policy *p, slac_api_windows *w) {
  size_t size = slac_windows_save(w, NULL, 0);
  unsigned char *bytes = size ? malloc(size) : NULL;
  slac_api_windows *back = NULL;
  if (!bytes || slac_windows_save(w, bytes, size) != size)
    fputs("winsums_faults: out of memory saving the sums\n", stderr);
  else
    back = slac_windows_load(p, bytes, size, report, NULL);
  free(bytes);
  slac_windows_free(w);
  return back;
}

int main(int argc, char **argv) {
  bool compile_only = argc == 3 && strcmp(argv[1], "--compile-only") == 0;
  if (argc != 2 + compile_only) {
    fputs("usage: winsums_faults [--compile-only] POLICY.sla\n", stderr);
    return 2;
  }
  const char *path = argv[1 + compile_only];
  FILE *f = fopen(path, "rb");
  if (!f) return fail("opening the policy");
  static char text[1 << 16];
  size_t len = fread(text, 1, sizeof text, f);
  fclose(f);
  slac_api_policy *p = slac_policy_compile(text, len, path, report, NULL);
  if (!p) return fail("compiling the policy");
  if (compile_only) {
    slac_policy_free(p);
    return 0;
  }
  int rc = 1;
  slac_api_windows *ordered = slac_windows_new(p, report, NULL);
  slac_api_windows *scattered = slac_windows_new(p, report, NULL);
  slac_api_run *r = NULL;
  if (!ordered || !scattered) {
    fputs("winsums_faults: out of memory making the sums\n", stderr);
    goto out;
  }
  for (int a = 0; a < NACCOUNTS; a++)
    if (add_windows(ordered, a, 0, 2) || add_windows(scattered, a, 1, 2)) {
      fail("adding windows");
      goto out;
    }
  if (!(scattered = round_trip(p, scattered))) {
    fail("saving and loading a part");
    goto out;
  }
  if (slac_windows_merge(ordered, scattered)) {
    fail("merging");
    goto out;
  }
  if (!(ordered = round_trip(p, ordered))) {
    fail("saving and loading the whole");
    goto out;
  }
  if (!(r = slac_run_new(p, report, NULL))) {
    fputs("winsums_faults: out of memory making the run\n", stderr);
    goto out;
  }
  for (int a = 0; a < NACCOUNTS; a++)
    if (slac_run_push_account(r, names[a], NULL, a ? "1200.00" : "89.99", "EUR", NULL, NULL)) {
      fail("pushing an account");
      goto out;
    }
  if (slac_run_push_windows(r, ordered)) {
    fail("pushing the sums");
    goto out;
  }
  if (slac_run_each(r, print_outcome, NULL)) {
    fail("evaluating");
    goto out;
  }
  rc = 0;
out: /* every one may be NULL */
  slac_windows_free(ordered);
  slac_windows_free(scattered);
  slac_run_free(r);
  slac_policy_free(p);
  return rc;
}
