/* account_rules.c - the accounts file's rules that keep money from being
 * silently wrong (account_rules.h). */
#include "runtime/data/account_rules.h"

#include <stdlib.h>
#include <string.h>

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* S (LEN bytes) without surrounding blanks, lower-cased, into a new
 * string; NULL when out of memory. */
static char *normalized(const char *s, size_t len) {
  while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  char *out = malloc(len + 1);
  if (!out) return NULL;
  for (size_t i = 0; i < len; i++) out[i] = lower(s[i]);
  out[len] = 0;
  return out;
}

static bool loosely_equal(const char *a, size_t alen, const char *b) {
  while (alen && (*a == ' ' || *a == '\t')) { a++; alen--; }
  while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t')) alen--;
  if (strlen(b) != alen) return false;
  for (size_t i = 0; i < alen; i++)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

int slac_charge_slot(const slac_program *p, const char *name, size_t len, const char **near) {
  *near = NULL;
  for (int s = 0; s < p->nservices; s++) {
    const char *id = p->strings[p->services[s].id];
    if (strlen(id) == len && memcmp(id, name, len) == 0) return s;
  }
  for (uint16_t k = 0; k < p->ncharges; k++) {
    const char *id = p->strings[p->charges[k]];
    if (strlen(id) == len && memcmp(id, name, len) == 0) return p->nservices + k;
  }
  for (int s = 0; s < p->nservices && !*near; s++)
    if (loosely_equal(name, len, p->strings[p->services[s].id])) *near = p->strings[p->services[s].id];
  for (uint16_t k = 0; k < p->ncharges && !*near; k++)
    if (loosely_equal(name, len, p->strings[p->charges[k]])) *near = p->strings[p->charges[k]];
  return -1;
}

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= UINT64_C(0xFF51AFD7ED558CCD);
  x ^= x >> 33;
  return x;
}

long slac_row_pairs_add(slac_row_pairs *t, size_t account, int slot, long line) {
  if ((t->n + 1) * 2 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    uint64_t *keys = calloc(cap, sizeof *keys);
    long *lines = calloc(cap, sizeof *lines);
    if (!keys || !lines) { free(keys); free(lines); return -1; }
    for (size_t i = 0; i < t->cap; i++) {
      if (!t->keys[i]) continue;
      size_t h = mix(t->keys[i]) & (cap - 1);
      while (keys[h]) h = (h + 1) & (cap - 1);
      keys[h] = t->keys[i];
      lines[h] = t->lines[i];
    }
    free(t->keys);
    free(t->lines);
    t->keys = keys;
    t->lines = lines;
    t->cap = cap;
  }
  uint64_t key = ((uint64_t)account << 17 | (uint64_t)slot) + 1;
  size_t h = mix(key) & (t->cap - 1);
  while (t->keys[h]) {
    if (t->keys[h] == key) return t->lines[h];
    h = (h + 1) & (t->cap - 1);
  }
  t->keys[h] = key;
  t->lines[h] = line;
  t->n++;
  return 0;
}

void slac_row_pairs_free(slac_row_pairs *t) {
  free(t->keys);
  free(t->lines);
  memset(t, 0, sizeof *t);
}

static int by_norm(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int slac_plan_names_init(slac_plan_names *pn, const slac_program *p) {
  memset(pn, 0, sizeof *pn);
  size_t n = 0;
  for (uint16_t k = 0; k < p->nsets; k++) n += p->set_sizes[k];
  pn->norm = calloc(n + 1, sizeof *pn->norm);
  pn->exact = calloc(n + 1, sizeof *pn->exact);
  if (!pn->norm || !pn->exact) return -1;
  /* each norm string is followed by its exact form's pointer in a pair
   * array sorted by norm: sort indices through a pair of arrays */
  char **pairs = calloc(2 * n + 1, sizeof *pairs);
  if (!pairs) return -1;
  for (uint16_t k = 0; k < p->nsets; k++)
    for (uint16_t i = 0; i < p->set_sizes[k]; i++) {
      const char *exact = p->strings[p->sets[k][i]];
      char *norm = normalized(exact, strlen(exact));
      if (!norm) { free(pairs); return -1; }
      pn->norm[pn->n] = norm;
      pn->exact[pn->n] = exact;
      pn->n++;
    }
  /* sort (norm, exact) pairs together by norm */
  for (size_t i = 0; i < pn->n; i++) {
    pairs[2 * i] = pn->norm[i];
    pairs[2 * i + 1] = (char *)pn->exact[i];
  }
  qsort(pairs, pn->n, 2 * sizeof *pairs, by_norm);
  for (size_t i = 0; i < pn->n; i++) {
    pn->norm[i] = pairs[2 * i];
    pn->exact[i] = pairs[2 * i + 1];
  }
  free(pairs);
  return 0;
}

const char *slac_plan_near_miss(slac_plan_names *pn, const char *plan, size_t len, bool *oom) {
  *oom = false;
  if (pn->n == 0) return NULL;
  char *norm = normalized(plan, len);
  if (!norm) { *oom = true; return NULL; }
  /* the first plan of the policy with this normalized form */
  size_t lo = 0, hi = pn->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(pn->norm[mid], norm) < 0) lo = mid + 1;
    else hi = mid;
  }
  const char *found = NULL;
  for (size_t i = lo; i < pn->n && strcmp(pn->norm[i], norm) == 0; i++) {
    const char *e = pn->exact[i];
    if (strlen(e) == len && memcmp(e, plan, len) == 0) { free(norm); return NULL; } /* exact */
    if (!found) found = e;
  }
  if (!found) { free(norm); return NULL; }
  /* each spelling once; past 100 the diagnostics' own limit hides them,
   * and a longer list would make this quadratic on hostile files */
  for (size_t i = 0; i < pn->nwarned; i++)
    if (strlen(pn->warned[i]) == len && memcmp(pn->warned[i], plan, len) == 0) { free(norm); return NULL; }
  free(norm);
  if (pn->nwarned >= 100) return NULL;
  if (pn->nwarned == pn->warned_cap) {
    size_t cap = pn->warned_cap ? 2 * pn->warned_cap : 8;
    char **w = realloc(pn->warned, cap * sizeof *w);
    if (!w) { *oom = true; return NULL; }
    pn->warned = w;
    pn->warned_cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy) { *oom = true; return NULL; }
  memcpy(copy, plan, len);
  copy[len] = 0;
  pn->warned[pn->nwarned++] = copy;
  return found;
}

void slac_plan_names_free(slac_plan_names *pn) {
  for (size_t i = 0; i < pn->n; i++) free(pn->norm[i]);
  for (size_t i = 0; i < pn->nwarned; i++) free(pn->warned[i]);
  free(pn->norm);
  free(pn->exact);
  free(pn->warned);
  memset(pn, 0, sizeof *pn);
}
