/* dataset.c - the account map and the per-service state of eval. */
#include "runtime/data/dataset.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/bytes.h"
#include "runtime/base/hash.h"
#include "runtime/base/prefetch.h"

/* Account names come from the data files, so they are hashed with the
 * process's random key (runtime/base/hash.h): with a fixed function, names
 * crafted to share their low bits made one run of index slots as long as
 * the accounts, and 200,000 of them took 97 s to read.  The readers'
 * guesses (readers.c: slac_row_cache) spare most rows the hash. */
static uint32_t hash(const slac_dataset *ds, const char *s, size_t n) {
  return (uint32_t)slac_siphash(ds->key, s, n);
}

int slac_dataset_init(slac_dataset *ds, const slac_program *p) {
  memset(ds, 0, sizeof *ds);
  ds->p = p;
  ds->key = slac_hash_process_key();
  /* Only the causes up to the last one some service wants announced have
   * late sets: an array for all the causes was a 32-byte header for each
   * (11 in a policy like Saleor's) in every account with a late incident,
   * where one or two are used. */
  for (int s = 0; s < p->nservices; s++)
    for (int c = 0; c < p->ncauses; c++)
      if (p->services[s].rules[c].mode != SLAC_PC_COUNTS && p->services[s].rules[c].notice_seconds > 0 &&
          c + 1 > ds->late_causes)
        ds->late_causes = c + 1;
  ds->index_cap = 1024;
  ds->index = calloc(ds->index_cap, sizeof *ds->index);
  ds->month_bits = calloc(SLAC_DATASET_MONTH_WORDS, sizeof *ds->month_bits);
  if (ds->index && ds->month_bits) return 0;
  slac_dataset_free(ds);
  return -1;
}

/* ---- the arena: names and service states, freed all at once --------- */

/* Chunks of 1 MiB: above glibc's mmap threshold, so that freeing a
 * dataset gives them back to the system; an allocation of its own only
 * for a larger request (a name of a megabyte, thousands of services). */
#define ARENA_CHUNK ((size_t)1 << 20)

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
} arena_chunk;

/* N bytes aligned to 8, zeroed, never moved; NULL when out of memory. */
static void *arena_alloc(slac_dataset *ds, size_t n) {
  n = (n + 7) & ~(size_t)7;
  arena_chunk *c = ds->arena;
  if (!c || c->size - c->used < n) {
    size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK - sizeof *c;
    arena_chunk *k = malloc(sizeof *k + size);
    if (!k) return NULL;
    k->size = size;
    k->used = 0;
    if (c && size == n) { /* a large one: behind the current chunk */
      k->next = c->next;
      c->next = k;
    } else {
      k->next = c;
      ds->arena = c = k;
    }
    c = k;
  }
  void *p = c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

static void arena_free(slac_dataset *ds) {
  for (arena_chunk *c = ds->arena, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  ds->arena = NULL;
}

static void free_svc(slac_svc_state *s, int ncauses, int late_causes) {
  if (s->counting) slac_spanset_free(s->counting);
  free(s->counting);
  if (s->excluded)
    for (int c = 0; c < ncauses; c++) slac_spanset_free(&s->excluded[c]);
  free(s->excluded);
  if (s->late)
    for (int c = 0; c < late_causes; c++) slac_spanset_free(&s->late[c]);
  free(s->late);
  for (size_t m = 0; m < s->nmonths; m++) slac_exactsum_free(s->months[m].exact);
  free(s->months);
  if (s->probes) free(s->probes->pending);
  free(s->probes);
}

void slac_dataset_free(slac_dataset *ds) {
  for (size_t i = 0; i < ds->naccounts; i++) {
    slac_account *a = &ds->accounts[i];
    free(a->plan);
    free(a->charges);
    for (int s = 0; a->svc && s < ds->p->nservices; s++) free_svc(&a->svc[s], ds->p->ncauses, ds->late_causes);
  }
  arena_free(ds);
  free(ds->accounts);
  free(ds->index);
  free(ds->months);
  free(ds->month_bits);
  free(ds->incidents);
  free(ds->days);
  memset(ds, 0, sizeof *ds);
}

static bool named(const slac_account *a, const char *name, size_t len) {
  return a->name_len == len && slac_bytes_equal(a->name, name, len);
}

/* An index slot: the account's index + 1 in the low half (0: empty slot),
 * its hash in the high half, so that a probe rarely touches an account
 * that is not the one sought. */
static uint64_t slot(uint32_t hv, size_t i) { return (uint64_t)hv << 32 | (uint64_t)(i + 1); }

/* The account named NAME, whose hash is HV, or NULL. */
static slac_account *find_hashed(const slac_dataset *ds, const char *name, size_t len, uint32_t hv) {
  size_t mask = ds->index_cap - 1;
  for (size_t h = hv & mask; ds->index[h]; h = (h + 1) & mask) {
    uint64_t e = ds->index[h];
    if ((uint32_t)(e >> 32) != hv) continue;
    slac_account *a = &ds->accounts[(uint32_t)e - 1];
    if (named(a, name, len)) return a;
  }
  return NULL;
}

slac_account *slac_dataset_find(const slac_dataset *ds, const char *name, size_t len) {
  return find_hashed(ds, name, len, hash(ds, name, len));
}

void slac_dataset_find_many(const slac_dataset *ds, const char *const *names, const size_t *lens,
                            size_t n, uint32_t *out) {
  uint32_t hv[SLAC_FIND_MANY];
  size_t mask = ds->index_cap - 1;
  if (n > SLAC_FIND_MANY) n = SLAC_FIND_MANY;
  for (size_t i = 0; i < n; i++) {
    hv[i] = hash(ds, names[i], lens[i]);
    SLAC_PREFETCH(&ds->index[hv[i] & mask]);
  }
  /* the record of the first slot's account: usually the one sought */
  for (size_t i = 0; i < n; i++) {
    uint64_t e = ds->index[hv[i] & mask];
    out[i] = e ? (uint32_t)e : 0;
    if (e) SLAC_PREFETCH(&ds->accounts[(uint32_t)e - 1]);
  }
  for (size_t i = 0; i < n; i++)
    if (out[i]) SLAC_PREFETCH(ds->accounts[out[i] - 1].name);
  for (size_t i = 0; i < n; i++) {
    const slac_account *a = find_hashed(ds, names[i], lens[i], hv[i]);
    out[i] = a ? (uint32_t)(a - ds->accounts) + 1 : 0;
  }
}

static int grow_index(slac_dataset *ds) {
  size_t cap = ds->index_cap * 2;
  uint64_t *t = calloc(cap, sizeof *t);
  if (!t) return -1;
  for (size_t i = 0; i < ds->naccounts; i++) {
    uint32_t hv = hash(ds, ds->accounts[i].name, ds->accounts[i].name_len);
    size_t h = hv & (cap - 1);
    while (t[h]) h = (h + 1) & (cap - 1);
    t[h] = slot(hv, i);
  }
  free(ds->index);
  ds->index = t;
  ds->index_cap = cap;
  return 0;
}

slac_account *slac_dataset_get(slac_dataset *ds, const char *name, size_t len, uint32_t file,
                               long line) {
  uint32_t hv = hash(ds, name, len); /* once, for the search and the new slot */
  slac_account *a = find_hashed(ds, name, len, hv);
  if (a) return a;
  if ((ds->naccounts + 1) * 2 > ds->index_cap && grow_index(ds) != 0) return NULL;
  if (ds->naccounts == ds->accounts_cap) {
    size_t cap = ds->accounts_cap ? ds->accounts_cap * 2 : 64;
    slac_account *r = realloc(ds->accounts, cap * sizeof *r);
    if (!r) return NULL;
    ds->accounts = r;
    ds->accounts_cap = cap;
  }
  if (len > UINT32_MAX - 1) return NULL; /* records are at most 1 MiB anyway */
  if (ds->accounts_left && atomic_fetch_sub(ds->accounts_left, 1) <= 0) return NULL;
  a = &ds->accounts[ds->naccounts];
  memset(a, 0, sizeof *a);
  a->name = arena_alloc(ds, len + 1);
  a->svc = arena_alloc(ds, (size_t)ds->p->nservices * sizeof *a->svc);
  /* charges only for the accounts of an accounts file, which have them */
  if (ds->have_accounts_file) a->charges = calloc((size_t)ds->p->nservices + 1, sizeof *a->charges);
  if (!a->name || !a->svc || (ds->have_accounts_file && !a->charges)) {
    free(a->charges);
    return NULL; /* what the arena gave is freed with the dataset */
  }
  memcpy(a->name, name, len);
  a->name[len] = 0;
  a->name_len = (uint32_t)len;
  a->first_file = file;
  a->first_line = line;
  a->standing_good = true;
  size_t h = hv & (ds->index_cap - 1);
  while (ds->index[h]) h = (h + 1) & (ds->index_cap - 1);
  ds->index[h] = slot(hv, ds->naccounts);
  ds->naccounts++;
  return a;
}

static bool month_in_bits(slac_month m) { return m >= 0 && m < SLAC_DATASET_MONTH_WORDS * 64; }

/* MONTHS again from MONTH_BITS, with the months outside them (none in
 * practice: timestamps are of years 0001..9999) kept at either end. */
static int rebuild_months(slac_dataset *ds) {
  size_t n = 0, before = 0;
  for (size_t w = 0; w < SLAC_DATASET_MONTH_WORDS; w++)
    n += (size_t)__builtin_popcountll(ds->month_bits[w]);
  for (size_t i = 0; i < ds->nmonths; i++) {
    n += !month_in_bits(ds->months[i]);
    before += ds->months[i] < 0;
  }
  slac_month *v = malloc((n + 1) * sizeof *v);
  if (!v) return -1;
  size_t k = 0;
  for (size_t i = 0; i < before; i++) v[k++] = ds->months[i];
  for (size_t w = 0; w < SLAC_DATASET_MONTH_WORDS; w++)
    for (uint64_t b = ds->month_bits[w]; b; b &= b - 1)
      v[k++] = (slac_month)(w * 64 + (size_t)__builtin_ctzll(b));
  for (size_t i = before; i < ds->nmonths; i++)
    if (!month_in_bits(ds->months[i])) v[k++] = ds->months[i];
  free(ds->months);
  ds->months = v;
  ds->nmonths = ds->months_cap = n;
  ds->months_unsorted = false;
  return 0;
}

int slac_dataset_flush(slac_dataset *ds) {
  if (ds->months_unsorted && rebuild_months(ds) != 0) return -1;
  if (!ds->unmerged) return 0;
  int nc = ds->p->ncauses;
  for (size_t i = 0; i < ds->naccounts; i++)
    for (int s = 0; s < ds->p->nservices; s++) {
      slac_svc_state *st = &ds->accounts[i].svc[s];
      if (st->counting && slac_spanset_flush(st->counting) != 0) return -1;
      for (int c = 0; st->excluded && c < nc; c++)
        if (slac_spanset_flush(&st->excluded[c]) != 0) return -1;
      for (int c = 0; st->late && c < ds->late_causes; c++)
        if (slac_spanset_flush(&st->late[c]) != 0) return -1;
    }
  ds->unmerged = false;
  return 0;
}

/* Append M to MONTHS (-1: no memory). */
static int append_month(slac_dataset *ds, slac_month m) {
  if (ds->nmonths == ds->months_cap) {
    size_t cap = ds->months_cap ? ds->months_cap * 2 : 16;
    slac_month *r = realloc(ds->months, cap * sizeof *r);
    if (!r) return -1;
    ds->months = r;
    ds->months_cap = cap;
  }
  ds->months[ds->nmonths++] = m;
  return 0;
}

int slac_dataset_touch(slac_dataset *ds, slac_month m) {
  /* most rows touch the month the previous row touched */
  size_t n = ds->nmonths;
  if (n && ds->months[n - 1] == m) return 0;
  if (!month_in_bits(m)) {
    /* outside the calendar of the data: a sorted insert, as before */
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (ds->months[mid] < m) lo = mid + 1; else hi = mid;
    }
    if (lo < n && ds->months[lo] == m) return 0;
    if (append_month(ds, m) != 0) return -1;
    memmove(ds->months + lo + 1, ds->months + lo, (n - lo) * sizeof *ds->months);
    ds->months[lo] = m;
    return 0;
  }
  uint64_t *w = &ds->month_bits[m / 64], bit = UINT64_C(1) << (m % 64);
  if (*w & bit) return 0;
  /* in time order, MONTHS stays complete; out of order, an insert could
   * move every later month (quadratic in months), so only the bit is set
   * and slac_dataset_flush rebuilds MONTHS */
  if (n == 0 || m > ds->months[n - 1]) {
    if (append_month(ds, m) != 0) return -1;
  } else {
    ds->months_unsorted = true;
  }
  *w |= bit;
  return 0;
}

/* The first index of S's months at or after MONTH. */
static size_t month_index(const slac_svc_state *s, slac_month month) {
  size_t lo = 0, hi = s->nmonths;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->months[mid].month < month) lo = mid + 1; else hi = mid;
  }
  return lo;
}

const slac_window_month *slac_svc_find_month(const slac_svc_state *s, slac_month month) {
  size_t i = month_index(s, month);
  return i < s->nmonths && s->months[i].month == month ? &s->months[i] : NULL;
}

slac_window_month *slac_svc_window_month(slac_svc_state *s, slac_month month) {
  /* windows arrive in time order per service, so the month is usually last */
  if (s->nmonths && s->months[s->nmonths - 1].month == month) return &s->months[s->nmonths - 1];
  size_t lo = month_index(s, month);
  if (lo < s->nmonths && s->months[lo].month == month) return &s->months[lo];
  if (s->nmonths == s->months_cap) {
    /* one month first: most accounts have one */
    if (s->months_cap > UINT32_MAX / 2) return NULL;
    uint32_t cap = s->months_cap ? s->months_cap * 2 : 1;
    slac_window_month *r = realloc(s->months, cap * sizeof *r);
    if (!r) return NULL;
    s->months = r;
    s->months_cap = cap;
  }
  memmove(s->months + lo + 1, s->months + lo, (s->nmonths - lo) * sizeof *s->months);
  memset(&s->months[lo], 0, sizeof s->months[lo]);
  s->months[lo].month = month;
  s->nmonths++;
  return &s->months[lo];
}

slac_window_day *slac_window_days(slac_dataset *ds, slac_window_month *wm) {
  if (wm->days) return ds->days + (wm->days - 1);
  if (ds->ndays + 31 > ds->days_cap) {
    size_t cap = ds->days_cap ? ds->days_cap * 2 : 31 * 4;
    if (cap > UINT32_MAX) return NULL;
    slac_window_day *n = realloc(ds->days, cap * sizeof *n);
    if (!n) return NULL;
    ds->days = n;
    ds->days_cap = cap;
  }
  memset(ds->days + ds->ndays, 0, 31 * sizeof *ds->days);
  wm->days = (uint32_t)ds->ndays + 1;
  ds->ndays += 31;
  return ds->days + (wm->days - 1);
}

const slac_window_day *slac_window_days_of(const slac_dataset *ds, const slac_window_month *wm) {
  return wm && wm->days ? ds->days + (wm->days - 1) : NULL;
}

slac_spanset *slac_svc_counting(slac_svc_state *s) {
  if (!s->counting && (s->counting = malloc(sizeof *s->counting)) != NULL)
    slac_spanset_init(s->counting);
  return s->counting;
}

slac_probe_state *slac_svc_probes(slac_svc_state *s) {
  if (!s->probes) s->probes = calloc(1, sizeof *s->probes);
  return s->probes;
}

slac_spanset *slac_svc_late(slac_dataset *ds, slac_svc_state *s, int cause) {
  assert(cause < ds->late_causes);
  if (!s->late) {
    s->late = calloc((size_t)ds->late_causes, sizeof *s->late);
    if (!s->late) return NULL;
    for (int c = 0; c < ds->late_causes; c++) slac_spanset_init(&s->late[c]);
  }
  return &s->late[cause];
}

slac_spanset *slac_svc_excluded(slac_dataset *ds, slac_svc_state *s, int cause) {
  if (!s->excluded) {
    s->excluded = calloc(ds->p->ncauses, sizeof *s->excluded);
    if (!s->excluded) return NULL;
    for (int c = 0; c < ds->p->ncauses; c++) slac_spanset_init(&s->excluded[c]);
  }
  return &s->excluded[cause];
}

/* Window sums are integers, so the parts add up to exactly what one
 * sequential read gives, in any order of addition. */
static int merge_months(slac_dataset *ds, slac_svc_state *st, const slac_dataset *part,
                        const slac_svc_state *ps) {
  for (size_t k = 0; k < ps->nmonths; k++) {
    const slac_window_month *pm = &ps->months[k];
    slac_window_month *wm = slac_svc_window_month(st, pm->month);
    if (!wm) return -1;
    wm->sum.floor_sum += pm->sum.floor_sum;
    wm->sum.inexact += pm->sum.inexact;
    wm->with_requests += pm->with_requests;
    wm->excluded += pm->excluded;
    const slac_window_day *from = slac_window_days_of(part, pm);
    if (!from) continue;
    slac_window_day *to = slac_window_days(ds, wm);
    if (!to) return -1;
    for (int d = 0; d < 31; d++) {
      to[d].errored += from[d].errored;
      to[d].excluded += from[d].excluded;
    }
  }
  return 0;
}

/* The account of DS that PART's account PA stands for, created when
 * missing, with its first appearance as readers.c's row_account keeps it
 * (in command-line order).  NULL: out of memory. */
static slac_account *merged_account(slac_dataset *ds, const slac_account *pa, uint32_t file,
                                    long line_base) {
  long first = pa->first_line + line_base;
  slac_account *a = pa->origin ? &ds->accounts[pa->origin - 1]
                               : slac_dataset_get(ds, pa->name, pa->name_len, file, first);
  if (a && !ds->have_accounts_file &&
      (file < a->first_file || (file == a->first_file && first < a->first_line))) {
    a->first_file = file;
    a->first_line = first;
  }
  return a;
}

static int merge_touched(slac_dataset *ds, const slac_dataset *part) {
  for (size_t m = 0; m < part->nmonths; m++)
    if (slac_dataset_touch(ds, part->months[m]) != 0) return -1;
  return 0;
}

int slac_dataset_merge_windows(slac_dataset *ds, const slac_dataset *part, uint32_t file,
                               long line_base) {
  if (merge_touched(ds, part) != 0) return -1;
  for (size_t i = 0; i < part->naccounts; i++) {
    const slac_account *pa = &part->accounts[i];
    slac_account *a = merged_account(ds, pa, file, line_base);
    if (!a) return -1;
    for (int s = 0; s < ds->p->nservices; s++) {
      slac_svc_state *st = &a->svc[s];
      const slac_svc_state *ps = &pa->svc[s];
      if (!ps->windows_seen) continue;
      if (!st->windows_seen) st->first_window = ps->first_window;
      st->windows_seen = true;
      st->last_window = ps->last_window;
      st->last_window_line = ps->last_window_line + line_base;
      if (merge_months(ds, st, part, ps) != 0) return -1;
      if (ps->counting && !slac_spanset_empty(ps->counting) &&
          (!slac_svc_counting(st) ||
           slac_spanset_unite(st->counting, ps->counting) != 0))
        return -1;
    }
  }
  return 0;
}

/* Unite the N_CAUSES sets *FROM into the lazily made sets of MAKE(ds, st, c);
 * when ST has none yet (*TO NULL), *FROM is moved there instead. */
static int merge_cause_sets(slac_dataset *ds, slac_svc_state *st, slac_spanset **from, slac_spanset **to,
                            int ncauses, slac_spanset *(*make)(slac_dataset *, slac_svc_state *, int)) {
  if (!*from) return 0;
  if (!*to) {
    *to = *from;
    *from = NULL;
    return 0;
  }
  for (int c = 0; c < ncauses; c++)
    if (!slac_spanset_empty(&(*from)[c]) && slac_spanset_unite(make(ds, st, c), &(*from)[c]) != 0) return -1;
  return 0;
}

/* Append PART's kept incident rows (slac_incident) to DS's, after the
 * rows of the parts before it, as one read keeps them: in file order,
 * each with DS's index of its account (WHERE[part's index]). */
static int merge_kept_incidents(slac_dataset *ds, const slac_dataset *part, const uint32_t *where) {
  if (!part->nincidents) return 0;
  if (ds->nincidents + part->nincidents > ds->incidents_cap) {
    size_t cap = ds->nincidents + part->nincidents;
    slac_incident *n = realloc(ds->incidents, cap * sizeof *n);
    if (!n) return -1;
    ds->incidents = n;
    ds->incidents_cap = cap;
  }
  for (size_t k = 0; k < part->nincidents; k++) {
    slac_incident x = part->incidents[k];
    x.account = where[x.account];
    x.seq = (uint32_t)ds->nincidents;
    ds->incidents[ds->nincidents++] = x;
  }
  return 0;
}

int slac_dataset_merge_incident_account(slac_dataset *ds, slac_dataset *part, size_t i, uint32_t file,
                                        long line_base, uint32_t *where) {
  slac_account *pa = &part->accounts[i];
  slac_account *a = merged_account(ds, pa, file, line_base);
  if (!a) return -1;
  if (where) where[i] = (uint32_t)(a - ds->accounts);
  for (int s = 0; s < ds->p->nservices; s++) {
    slac_svc_state *st = &a->svc[s];
    slac_svc_state *ps = &pa->svc[s];
    if (ps->counting && !st->counting) { /* moved */
      st->counting = ps->counting;
      ps->counting = NULL;
    } else if (ps->counting && !slac_spanset_empty(ps->counting) &&
               slac_spanset_unite(st->counting, ps->counting) != 0) {
      return -1;
    }
    if (merge_cause_sets(ds, st, &ps->excluded, &st->excluded, ds->p->ncauses, slac_svc_excluded) != 0 ||
        merge_cause_sets(ds, st, &ps->late, &st->late, ds->late_causes, slac_svc_late) != 0)
      return -1;
  }
  return 0;
}

int slac_dataset_merge_months(slac_dataset *ds, const slac_dataset *part) { return merge_touched(ds, part); }

int slac_dataset_merge_incidents(slac_dataset *ds, slac_dataset *part, uint32_t file,
                                 long line_base) {
  if (merge_touched(ds, part) != 0) return -1;
  uint32_t *where = part->nincidents ? malloc(part->naccounts * sizeof *where) : NULL;
  if (part->nincidents && !where) return -1;
  int rc = 0;
  for (size_t i = 0; i < part->naccounts && rc == 0; i++)
    rc = slac_dataset_merge_incident_account(ds, part, i, file, line_base, where);
  if (rc == 0) rc = merge_kept_incidents(ds, part, where);
  free(where);
  return rc;
}
