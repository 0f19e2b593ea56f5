/* fuzz_winsums.c - window sums (runtime/data/winsums.h) for the Piwik PRO
 * policy, two ways, by the first byte:
 *   'A' then 8-byte records (account, window, requests, errors, each a
 *       small number): the windows are added to one state whole and to
 *       two states split by the record's parity; the merged halves must
 *       save to the bytes of the whole, and those bytes load back to the
 *       same bytes.  A duplicate must be refused by both ways alike.
 *   anything else: bytes handed to slac_winsums_load; whatever loads must
 *       save to exactly those bytes (the form is canonical), merge with
 *       an empty state, and fold into a dataset without a crash.
 * A failed property aborts, so libFuzzer reports it as a crash. */
#include <stdlib.h>
#include <string.h>
#include "runtime/data/winsums.h"
#include "tests/fuzz/fuzz_common.h"

static unsigned char *saved(const slac_winsums *w, size_t *n) {
  *n = slac_winsums_save(w, NULL, 0);
  unsigned char *b = malloc(*n ? *n : 1);
  if (!b || slac_winsums_save(w, b, *n) != *n) abort();
  return b;
}

static void same_bytes_again(const slac_program *p, const unsigned char *b, size_t n,
                             slac_diags *quiet) {
  slac_winsums again;
  slac_winsums_init(&again, p);
  if (slac_winsums_load(&again, b, n, quiet) != 0) abort(); /* saved bytes always load */
  size_t m;
  unsigned char *c = saved(&again, &m);
  if (m != n || memcmp(b, c, n) != 0) abort();
  free(c);
  slac_winsums_free(&again);
}

static void adds(const slac_program *p, const uint8_t *data, size_t size, slac_diags *quiet) {
  static const char *const names[] = {"a", "bb", "c-000001", "a-very-long-account-name-0001"};
  slac_winsums whole, half[2];
  slac_winsums_init(&whole, p);
  slac_winsums_init(&half[0], p);
  slac_winsums_init(&half[1], p);
  bool refused = false;
  for (size_t i = 1; i + 8 <= size && !refused; i += 8) {
    const uint8_t *r = data + i;
    const char *name = names[r[0] % 4];
    /* windows of 5 minutes from 2026-01-30, across the month's end */
    int64_t start = 1769731200 + (int64_t)((r[1] | r[2] << 8) % 2000) * 300;
    uint64_t requests = r[3] | (uint64_t)r[4] << 8, errors = (r[5] | (uint64_t)r[6] << 8) % (requests + 1);
    int a = slac_winsums_add(&whole, name, strlen(name), "hosting", 7, start, requests, errors, quiet);
    int b = slac_winsums_add(&half[r[7] & 1], name, strlen(name), "hosting", 7, start, requests,
                             errors, quiet);
    if (a != 0) refused = true;      /* a duplicate: the half may hold the first */
    else if (b != 0) abort();        /* new to the whole: new to its half */
  }
  if (!refused) {
    int merged = slac_winsums_merge(&half[0], &half[1], quiet);
    if (merged != 0) abort();
    size_t n, m;
    unsigned char *x = saved(&whole, &n), *y = saved(&half[0], &m);
    if (n != m || memcmp(x, y, n) != 0) abort();
    same_bytes_again(p, x, n, quiet);
    free(x);
    free(y);
  }
  slac_winsums_free(&whole);
  slac_winsums_free(&half[0]);
  slac_winsums_free(&half[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const slac_program *p = fuzz_policy("piwik-pro");
  slac_diags quiet; /* rejections are expected: counted, not printed */
  slac_diags_init(&quiet, NULL);
  if (size && data[0] == 'A') {
    adds(p, data, size, &quiet);
    return 0;
  }
  slac_winsums w;
  slac_winsums_init(&w, p);
  if (slac_winsums_load(&w, data, size, &quiet) == 0) {
    size_t n;
    unsigned char *b = saved(&w, &n);
    if (n != size || memcmp(b, data, size) != 0) abort();
    free(b);
    slac_winsums empty;
    slac_winsums_init(&empty, p);
    if (slac_winsums_merge(&empty, &w, &quiet) != 0) abort();
    slac_dataset ds;
    if (slac_dataset_init(&ds, p) != 0) abort();
    slac_winsums_fold(&ds, &empty, 1, &quiet);
    slac_dataset_free(&ds);
    slac_winsums_free(&empty);
  }
  slac_winsums_free(&w);
  return 0;
}
