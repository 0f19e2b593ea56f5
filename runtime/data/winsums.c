/* winsums.c - request windows summed ahead, in any order (winsums.h):
 * adding a window, merging two states, their bytes, and the fold into a
 * dataset. */
#include "runtime/data/winsums.h"

#include <inttypes.h>
#include "runtime/base/bytes.h"
#include <stdlib.h>
#include <string.h>

#define E30 ((unsigned __int128)1000000000000000ULL * 1000000000000000ULL)

int slac_winsums_init(slac_winsums *w, const slac_program *p) {
  memset(w, 0, sizeof *w);
  w->p = p;
  w->last_service = -1;
  slac_strmap_init(&w->index);
  return 0;
}

void slac_winsums_free(slac_winsums *w) {
  for (size_t i = 0; i < w->naccounts; i++) {
    slac_winsums_account *a = &w->accounts[i];
    for (int s = 0; s < w->p->nservices; s++) {
      for (uint32_t k = 0; k < a->svc[s].nmonths; k++) {
        free(a->svc[s].months[k].runs);
        free(a->svc[s].months[k].bits);
      }
      free(a->svc[s].months);
    }
    free(a->svc);
    free(a->name);
  }
  free(w->accounts);
  slac_strmap_free(&w->index);
  memset(w, 0, sizeof *w);
}

static const char *service_name(const slac_program *p, int s) {
  return p->strings[p->services[s].id];
}

/* Names in byte order, a shorter prefix first. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  int c = memcmp(a, b, alen < blen ? alen : blen);
  return c ? c : (alen > blen) - (alen < blen);
}

static int by_name(const void *x, const void *y) {
  const slac_winsums_account *a = *(slac_winsums_account *const *)x;
  const slac_winsums_account *b = *(slac_winsums_account *const *)y;
  return name_cmp(a->name, a->len, b->name, b->len);
}

/* W's accounts in the order of their names (free it); NULL when out of
 * memory. */
static const slac_winsums_account **by_names(const slac_winsums *w) {
  const slac_winsums_account **order = malloc((w->naccounts ? w->naccounts : 1) * sizeof *order);
  if (!order) return NULL;
  for (size_t i = 0; i < w->naccounts; i++) order[i] = &w->accounts[i];
  qsort(order, w->naccounts, sizeof *order, by_name);
  return order;
}

static bool named(const slac_winsums_account *a, const char *name, size_t len) {
  return a->len == len && slac_bytes_equal(len <= sizeof a->head ? a->head : a->name, name, len);
}

/* The account named NAME, created when missing; NULL when out of memory.
 * The last row's account, then the one that followed it last time, are
 * tried before the hash. */
static slac_winsums_account *account(slac_winsums *w, const char *name, size_t len) {
  slac_winsums_account *last = w->last_account ? &w->accounts[w->last_account - 1] : NULL;
  if (last && named(last, name, len)) return last;
  if (last && last->next && named(&w->accounts[last->next - 1], name, len)) {
    w->last_account = last->next;
    return &w->accounts[last->next - 1];
  }
  size_t i = slac_strmap_get(&w->index, name, len);
  if (i == SIZE_MAX) {
    if (w->naccounts == w->accounts_cap) {
      size_t cap = w->accounts_cap ? w->accounts_cap * 2 : 16;
      slac_winsums_account *v = realloc(w->accounts, cap * sizeof *v);
      if (!v) return NULL;
      w->accounts = v;
      w->accounts_cap = cap;
      last = w->last_account ? &w->accounts[w->last_account - 1] : NULL;
    }
    slac_winsums_account *a = &w->accounts[w->naccounts];
    memset(a, 0, sizeof *a);
    a->name = malloc(len + 1);
    a->svc = calloc(w->p->nservices ? w->p->nservices : 1, sizeof *a->svc);
    if (a->name) { /* the name before the map hashes it: the map borrows it */
      memcpy(a->name, name, len);
      a->name[len] = 0;
      if (len <= sizeof a->head) memcpy(a->head, name, len);
    }
    if (!a->name || !a->svc || slac_strmap_put(&w->index, a->name, len, w->naccounts, NULL) < 0) {
      free(a->name);
      free(a->svc);
      return NULL;
    }
    a->len = len;
    i = w->naccounts++;
  }
  if (last) last->next = i + 1;
  w->last_account = i + 1;
  return &w->accounts[i];
}

static int find_service(const slac_program *p, const char *name, size_t len) {
  for (int s = 0; s < p->nservices; s++) {
    const char *id = service_name(p, s);
    if (strlen(id) == len && memcmp(id, name, len) == 0) return s;
  }
  return -1;
}

/* What the sums cannot measure for service S, or NULL. */
static const char *unsupported(const slac_prog_service *ps) {
  if (ps->metric != SLAC_PM_ERROR_RATE)
    return "counts unavailable minutes; window sums hold error-rate services only";
  if (ps->kinds_mode != SLAC_PK_ALL)
    return "counts errors by kind (columns errors_<kind>); window sums take one count of errors";
  return NULL;
}

static SLAC_COLD int unknown_service(const slac_program *p, const char *name, size_t len,
                                     slac_diags *d) {
  char list[512] = "";
  for (int s = 0; s < p->nservices; s++) {
    size_t n = strlen(list);
    snprintf(list + n, sizeof list - n, "%s%s", s ? ", " : "", service_name(p, s));
  }
  slac_diag_plain(d, SLAC_ERROR, "unknown service \"%.*s\": the policy's services are %s",
                  (int)(len > 200 ? 200 : len), name, list);
  return -1;
}

static SLAC_COLD int window_error(slac_diags *d, const slac_winsums_account *a,
                                  const slac_program *p, int s, slac_time start,
                                  const char *what) {
  char when[32];
  slac_time_format(start, when);
  slac_diag_plain(d, SLAC_ERROR, "the request window of account \"%.*s\", service \"%s\", "
                  "starting at %s: %s", (int)(a->len > 200 ? 200 : a->len), a->name,
                  service_name(p, s), when, what);
  return -1;
}

/* ---- the windows of a month ------------------------------------------------ */

/* A / B rounded down (B > 0), for times before 1970 too. */
static int64_t floor_div(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && a < 0);
}

/* The number on the grid of LEN seconds of MONTH's first window. */
static int64_t first_window(slac_month month, int64_t len) {
  return -floor_div(-slac_month_start(month), len);
}

static uint32_t windows_in(slac_month month, int64_t len) {
  return (uint32_t)(first_window(month + 1, len) - first_window(month, len));
}

static size_t words(const slac_winsums_month *m) {
  return ((size_t)m->nwindows + 63) / 64;
}

/* M's runs as its bitmap.  -1 when out of memory. */
static int to_bits(slac_winsums_month *m) {
  uint64_t *b = calloc(words(m), sizeof *b);
  if (!b) return -1;
  for (uint32_t k = 0; k < m->nruns; k++)
    for (uint32_t i = m->runs[2 * k]; i < m->runs[2 * k + 1]; i++) b[i / 64] |= 1ull << (i % 64);
  free(m->runs);
  m->runs = NULL;
  m->nruns = m->runs_cap = 0;
  m->bits = b;
  return 0;
}

static int runs_reserve(slac_winsums_month *m, uint32_t more) {
  if (m->nruns + more <= m->runs_cap) return 0;
  uint32_t cap = m->runs_cap ? m->runs_cap : 1;
  while (cap < m->nruns + more) cap *= 2;
  uint32_t *v = realloc(m->runs, (size_t)cap * 2 * sizeof *v);
  if (!v) return -1;
  m->runs = v;
  m->runs_cap = cap;
  return 0;
}

/* Mark window I (< NWINDOWS) of M: 0, 1 when it was there, -1 when out of
 * memory.  Rows in time order extend the last run. */
static int mark(slac_winsums_month *m, uint32_t i) {
  if (m->bits) {
    uint64_t bit = 1ull << (i % 64);
    if (m->bits[i / 64] & bit) return 1;
    m->bits[i / 64] |= bit;
    return 0;
  }
  uint32_t n = m->nruns, *r = m->runs;
  if (n && r[2 * n - 1] == i) {
    r[2 * n - 1]++;
    return 0;
  }
  uint32_t lo = 0, hi = n; /* the first run starting after I */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (r[2 * mid] <= i) lo = mid + 1; else hi = mid;
  }
  if (lo && i < r[2 * lo - 1]) return 1;
  bool joins_prev = lo && r[2 * lo - 1] == i, joins_next = lo < n && r[2 * lo] == i + 1;
  if (joins_prev && joins_next) {
    r[2 * lo - 1] = r[2 * lo + 1];
    memmove(&r[2 * lo], &r[2 * lo + 2], (size_t)(n - lo - 1) * 2 * sizeof *r);
    m->nruns--;
  } else if (joins_prev) {
    r[2 * lo - 1]++;
  } else if (joins_next) {
    r[2 * lo]--;
  } else if ((size_t)n + 1 > words(m)) {
    /* the runs would outweigh the bitmap (8 bytes each against 8 per 64
     * windows) */
    if (to_bits(m) != 0) return -1;
    return mark(m, i);
  } else {
    if (runs_reserve(m, 1) != 0) return -1;
    r = m->runs;
    memmove(&r[2 * lo + 2], &r[2 * lo], (size_t)(n - lo) * 2 * sizeof *r);
    r[2 * lo] = i;
    r[2 * lo + 1] = i + 1;
    m->nruns++;
  }
  return 0;
}

/* The sums of MONTH in S, created when missing; NULL when out of memory. */
static slac_winsums_month *month_of(slac_winsums_svc *s, slac_month month, int64_t len) {
  uint32_t lo = 0, hi = s->nmonths;
  if (hi && s->months[hi - 1].month == month) return &s->months[hi - 1];
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (s->months[mid].month < month) lo = mid + 1; else hi = mid;
  }
  if (lo < s->nmonths && s->months[lo].month == month) return &s->months[lo];
  if (s->nmonths == s->months_cap) {
    uint32_t cap = s->months_cap ? s->months_cap * 2 : 1;
    slac_winsums_month *v = realloc(s->months, cap * sizeof *v);
    if (!v) return NULL;
    s->months = v;
    s->months_cap = cap;
  }
  memmove(&s->months[lo + 1], &s->months[lo], (s->nmonths - lo) * sizeof *s->months);
  memset(&s->months[lo], 0, sizeof *s->months);
  s->months[lo].month = month;
  s->months[lo].nwindows = windows_in(month, len);
  s->nmonths++;
  return &s->months[lo];
}

int slac_winsums_add(slac_winsums *w, const char *name, size_t alen, const char *service,
                     size_t slen, slac_time start, uint64_t requests, uint64_t errors,
                     slac_diags *d) {
  const slac_program *p = w->p;
  if (alen == 0) {
    slac_diag_plain(d, SLAC_ERROR, "a request window without an account name: an account is expected");
    return -1;
  }
  int s = w->last_service;
  if (s < 0 || w->last_service_len != slen || !slac_bytes_equal(service_name(p, s), service, slen)) {
    s = find_service(p, service, slen);
    if (s < 0) return unknown_service(p, service, slen, d);
    w->last_service = s;
    w->last_service_len = slen;
  }
  slac_winsums_account *a = account(w, name, alen);
  if (!a) { slac_diag_oom(d); return -1; }
  const slac_prog_service *ps = &p->services[s];
  const char *why = unsupported(ps);
  if (why) {
    char msg[200];
    snprintf(msg, sizeof msg, "service \"%s\" %s", service_name(p, s), why);
    return window_error(d, a, p, s, start, msg);
  }
  if (slac_time_check_range(start, &why) != 0) return window_error(d, a, p, s, start, why);
  int64_t len = ps->window_seconds, number = start / len; /* one division for both */
  if (number * len != start) {
    char msg[160];
    snprintf(msg, sizeof msg, "a window must start on a multiple of its length (%" PRId64
             " s) since 1970-01-01T00:00:00Z", len);
    return window_error(d, a, p, s, start, msg);
  }
  if (errors > requests) {
    char msg[96];
    snprintf(msg, sizeof msg, "errors (%" PRIu64 ") cannot exceed requests (%" PRIu64 ")", errors,
             requests);
    return window_error(d, a, p, s, start, msg);
  }
  if (!(start >= w->month_lo && start < w->month_hi)) { /* the last row's month is likely */
    w->month = slac_month_of(start);
    w->month_lo = slac_month_start(w->month);
    w->month_hi = slac_month_start(w->month + 1);
    w->grid_len = 0;
  }
  if (w->grid_len != len) {
    w->grid_len = len;
    w->grid_first = first_window(w->month, len);
  }
  slac_winsums_month *m = a->hot;
  if (!m || a->hot_service != s || m->month != w->month) {
    m = month_of(&a->svc[s], w->month, len); /* may move the months: HOT is set again */
    a->hot = m;
    a->hot_service = s;
  }
  int marked = m ? mark(m, (uint32_t)(number - w->grid_first)) : -1;
  if (marked < 0) { slac_diag_oom(d); return -1; }
  if (marked > 0) return window_error(d, a, p, s, start, "it is there twice; each window comes once");
  if (requests > 0) {
    m->with_requests++;
    slac_ratesum_add(&m->sum, errors, requests);
  }
  return 0;
}

/* INTO's windows united with FROM's (the same month): 0, 1 when they
 * share one (*SHARED gets the first), -1 when out of memory. */
static int unite(slac_winsums_month *into, const slac_winsums_month *from, uint32_t *shared) {
  if (!into->bits && !from->bits) { /* two lists of runs, merged */
    uint32_t n = into->nruns + from->nruns, k = 0, i = 0, j = 0;
    uint32_t *v = malloc(((size_t)n ? n : 1) * 2 * sizeof *v);
    if (!v) return -1;
    while (i < into->nruns || j < from->nruns) {
      const uint32_t *r;
      if (j == from->nruns || (i < into->nruns && into->runs[2 * i] <= from->runs[2 * j]))
        r = &into->runs[2 * i++];
      else
        r = &from->runs[2 * j++];
      if (k && r[0] < v[2 * k - 1]) {
        *shared = r[0];
        free(v);
        return 1;
      }
      if (k && r[0] == v[2 * k - 1]) v[2 * k - 1] = r[1];
      else { v[2 * k] = r[0]; v[2 * k + 1] = r[1]; k++; }
    }
    free(into->runs);
    into->runs = v;
    into->nruns = k;
    into->runs_cap = n ? n : 1;
    return (size_t)k > words(into) && to_bits(into) != 0 ? -1 : 0;
  }
  if (!into->bits && to_bits(into) != 0) return -1;
  if (from->bits) {
    for (size_t k = 0; k < words(into); k++) {
      uint64_t both = into->bits[k] & from->bits[k];
      if (both) {
        *shared = (uint32_t)(k * 64 + (size_t)__builtin_ctzll(both));
        return 1;
      }
      into->bits[k] |= from->bits[k];
    }
    return 0;
  }
  for (uint32_t k = 0; k < from->nruns; k++)
    for (uint32_t i = from->runs[2 * k]; i < from->runs[2 * k + 1]; i++) {
      uint64_t bit = 1ull << (i % 64);
      if (into->bits[i / 64] & bit) { *shared = i; return 1; }
      into->bits[i / 64] |= bit;
    }
  return 0;
}

int slac_winsums_merge(slac_winsums *into, const slac_winsums *from, slac_diags *d) {
  const slac_program *p = into->p;
  for (size_t i = 0; i < from->naccounts; i++) {
    const slac_winsums_account *fa = &from->accounts[i];
    slac_winsums_account *a = account(into, fa->name, fa->len);
    if (!a) { slac_diag_oom(d); return -1; }
    a->hot = NULL; /* its months may move */
    for (int s = 0; s < p->nservices; s++) {
      int64_t len = p->services[s].window_seconds;
      for (uint32_t k = 0; k < fa->svc[s].nmonths; k++) {
        const slac_winsums_month *fm = &fa->svc[s].months[k];
        slac_winsums_month *m = month_of(&a->svc[s], fm->month, len);
        uint32_t shared = 0;
        int rc = m ? unite(m, fm, &shared) : -1;
        if (rc < 0) { slac_diag_oom(d); return -1; }
        if (rc > 0)
          return window_error(d, a, p, s, (first_window(fm->month, len) + shared) * len,
                              "it is in two of the partial sums merged; each window comes once");
        m->sum.floor_sum += fm->sum.floor_sum;
        m->sum.inexact += fm->sum.inexact;
        m->with_requests += fm->with_requests;
      }
    }
  }
  return 0;
}

/* ---- bytes ---------------------------------------------------------------
 *   u64 accounts; per account, in the order of their names: u64 name
 *   length, the name; per service of the program: u32 months; per month:
 *   i32 month, u32 windows with requests, u64 floor sum low, u64 high,
 *   u32 inexact terms, then the windows that came: u8 0 and u32 runs, as
 *   u32 lo, u32 hi; or u8 1 and the month's bitmap, u64 words.  Runs when
 *   they are no more than the bitmap's words, so that the same windows
 *   are the same bytes whichever form the state held. */

typedef struct {
  unsigned char *p;
  size_t at, cap;
} writer;

static void put(writer *o, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; i++, o->at++)
    if (o->at < o->cap) o->p[o->at] = (unsigned char)(v >> (8 * i));
}

static bool has(const slac_winsums_month *m, uint32_t i) {
  return (m->bits[i / 64] >> (i % 64)) & 1;
}

/* The first window at or after I that is marked (SET) or not (!SET);
 * NWINDOWS when there is none.  Word by word. */
static uint32_t next_bit(const slac_winsums_month *m, uint32_t i, bool set) {
  while (i < m->nwindows) {
    uint64_t x = set ? m->bits[i / 64] : ~m->bits[i / 64];
    x &= ~0ull << (i % 64);
    if (x) {
      uint32_t at = (i / 64) * 64 + (uint32_t)__builtin_ctzll(x);
      return at < m->nwindows ? at : m->nwindows;
    }
    i = (i / 64 + 1) * 64;
  }
  return m->nwindows;
}

/* The runs of M's bitmap: windows marked whose predecessor is not. */
static uint32_t bitmap_runs(const slac_winsums_month *m) {
  uint32_t n = 0;
  uint64_t carry = 0; /* the last window of the word before */
  for (size_t k = 0; k < words(m); k++) {
    uint64_t x = m->bits[k];
    n += (uint32_t)__builtin_popcountll(x & ~(x << 1 | carry));
    carry = x >> 63;
  }
  return n;
}

/* M's windows in their canonical form. */
static void put_windows(writer *o, const slac_winsums_month *m) {
  uint32_t nruns = m->bits ? bitmap_runs(m) : m->nruns;
  if ((size_t)nruns > words(m)) {
    put(o, 1, 1);
    if (m->bits) {
      for (size_t k = 0; k < words(m); k++) put(o, m->bits[k], 8);
      return;
    }
    size_t k = 0; /* runs as words, 64 windows at a time */
    uint64_t word = 0;
    for (uint32_t r = 0; r < m->nruns; r++)
      for (uint32_t i = m->runs[2 * r]; i < m->runs[2 * r + 1]; i++) {
        for (; k < i / 64; k++, word = 0) put(o, word, 8);
        word |= 1ull << (i % 64);
      }
    for (; k < words(m); k++, word = 0) put(o, word, 8);
    return;
  }
  put(o, 0, 1);
  put(o, nruns, 4);
  if (!m->bits) {
    for (uint32_t r = 0; r < 2 * m->nruns; r++) put(o, m->runs[r], 4);
    return;
  }
  for (uint32_t i = next_bit(m, 0, true); i < m->nwindows;) {
    uint32_t end = next_bit(m, i, false);
    put(o, i, 4);
    put(o, end, 4);
    i = next_bit(m, end, true);
  }
}

size_t slac_winsums_save(const slac_winsums *w, unsigned char *out, size_t cap) {
  /* accounts in the order of their names: the same windows give the same
   * bytes, whichever worker or merge saw which first */
  const slac_winsums_account **order = by_names(w);
  if (!order) return 0;
  writer o = {out, 0, out ? cap : 0};
  put(&o, w->naccounts, 8);
  for (size_t i = 0; i < w->naccounts; i++) {
    const slac_winsums_account *a = order[i];
    put(&o, a->len, 8);
    for (size_t k = 0; k < a->len; k++) put(&o, (unsigned char)a->name[k], 1);
    for (int s = 0; s < w->p->nservices; s++) {
      const slac_winsums_svc *sv = &a->svc[s];
      put(&o, sv->nmonths, 4);
      for (uint32_t k = 0; k < sv->nmonths; k++) {
        const slac_winsums_month *m = &sv->months[k];
        unsigned __int128 f = m->sum.floor_sum;
        put(&o, (uint32_t)m->month, 4);
        put(&o, m->with_requests, 4);
        put(&o, (uint64_t)f, 8);
        put(&o, (uint64_t)(f >> 64), 8);
        put(&o, m->sum.inexact, 4);
        put_windows(&o, m);
      }
    }
  }
  free(order);
  return o.at;
}

typedef struct {
  const unsigned char *p;
  size_t left;
  slac_diags *d;
  bool bad;
} reader;

static uint64_t take(reader *r, int bytes, const char *what) {
  if (r->bad) return 0;
  if ((size_t)bytes > r->left) {
    slac_diag_plain(r->d, SLAC_ERROR, "damaged window sums: %s is cut short", what);
    r->bad = true;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < bytes; i++) v |= (uint64_t)r->p[i] << (8 * i);
  r->p += bytes;
  r->left -= (size_t)bytes;
  return v;
}

static int damaged(reader *r, const char *what) {
  if (!r->bad) slac_diag_plain(r->d, SLAC_ERROR, "damaged window sums: %s", what);
  r->bad = true;
  return -1;
}

/* The windows of M from R, in their canonical form, checked: runs
 * sorted, disjoint, not adjacent and within the month, a bitmap without
 * bits past the month; returns how many windows, 0 after reporting. */
static uint32_t load_windows(reader *r, slac_winsums_month *m) {
  unsigned kind = (unsigned)take(r, 1, "a month's windows");
  if (r->bad) return 0;
  uint32_t count = 0;
  if (kind == 1) {
    if (words(m) * 8 > r->left) { damaged(r, "a month's bitmap is cut short"); return 0; }
    if (!(m->bits = calloc(words(m), sizeof *m->bits))) { slac_diag_oom(r->d); r->bad = true; return 0; }
    for (size_t k = 0; k < words(m); k++) {
      m->bits[k] = take(r, 8, "a month's bitmap");
      count += (uint32_t)__builtin_popcountll(m->bits[k]);
    }
    if (m->nwindows % 64 && m->bits[words(m) - 1] >> (m->nwindows % 64)) {
      damaged(r, "a month's bitmap has windows past the month's end");
      return 0;
    }
    if ((size_t)bitmap_runs(m) <= words(m)) { damaged(r, "a month's windows are a bitmap where runs are shorter"); return 0; }
    return count;
  }
  if (kind != 0) { damaged(r, "a month's windows are neither runs nor a bitmap"); return 0; }
  uint32_t n = (uint32_t)take(r, 4, "a month's runs");
  if (r->bad) return 0;
  if ((uint64_t)n * 8 > r->left || (size_t)n > words(m)) {
    damaged(r, "a month has more runs than its bitmap has words, or than the bytes left");
    return 0;
  }
  if (runs_reserve(m, n ? n : 1) != 0) { slac_diag_oom(r->d); r->bad = true; return 0; }
  for (uint32_t k = 0; k < n; k++) {
    uint32_t lo = (uint32_t)take(r, 4, "a run"), hi = (uint32_t)take(r, 4, "a run");
    if (r->bad) return 0;
    if (lo >= hi || hi > m->nwindows || (k && lo <= m->runs[2 * k - 1])) {
      damaged(r, "a run of windows is empty, out of order or past the month's end");
      return 0;
    }
    m->runs[2 * k] = lo;
    m->runs[2 * k + 1] = hi;
    count += hi - lo;
  }
  m->nruns = n;
  return count;
}

/* One service's months from R into S (window length LEN), checked:
 * months sorted and in range, each with a window, its sums within what
 * those windows can add up to. */
static int load_service(reader *r, slac_winsums_svc *s, int64_t len) {
  uint32_t n = (uint32_t)take(r, 4, "a count of months");
  if (r->bad) return -1;
  if ((uint64_t)n * 33 > r->left) return damaged(r, "a count of months is larger than the bytes left");
  for (uint32_t k = 0; k < n; k++) {
    slac_month month = (slac_month)(uint32_t)take(r, 4, "a month");
    uint32_t with = (uint32_t)take(r, 4, "a month");
    uint64_t lo = take(r, 8, "a month"), hi = take(r, 8, "a month");
    uint32_t inexact = (uint32_t)take(r, 4, "a month");
    if (r->bad) return -1;
    if (month < 12 || month > 9999 * 12 + 11 || (s->nmonths && month <= s->months[s->nmonths - 1].month))
      return damaged(r, "a month is out of order or out of range");
    slac_winsums_month *m = month_of(s, month, len);
    if (!m) { slac_diag_oom(r->d); return -1; }
    uint32_t windows = load_windows(r, m);
    if (r->bad) return -1;
    unsigned __int128 f = (unsigned __int128)hi << 64 | lo;
    if (windows == 0 || with > windows || inexact > with || f > (unsigned __int128)with * E30)
      return damaged(r, "the sums of a month do not fit its windows");
    m->with_requests = with;
    m->sum.floor_sum = f;
    m->sum.inexact = inexact;
  }
  return 0;
}

int slac_winsums_load(slac_winsums *w, const unsigned char *bytes, size_t len, slac_diags *d) {
  reader r = {bytes, len, d, false};
  uint64_t n = take(&r, 8, "the count of accounts");
  if (r.bad) return -1;
  if (n > r.left / 9) return damaged(&r, "the count of accounts is larger than the bytes left");
  for (uint64_t i = 0; i < n; i++) {
    uint64_t nl = take(&r, 8, "an account's name");
    if (r.bad) return -1;
    if (nl == 0 || nl > r.left || nl > (1u << 20)) return damaged(&r, "an account's name is empty or cut short");
    const char *name = (const char *)r.p;
    r.p += nl;
    r.left -= nl;
    if (memchr(name, 0, nl)) return damaged(&r, "an account's name holds a NUL byte");
    const slac_winsums_account *prev = i ? &w->accounts[w->naccounts - 1] : NULL;
    if (prev && name_cmp(name, nl, prev->name, prev->len) <= 0)
      return damaged(&r, "the accounts are not in the order of their names");
    slac_winsums_account *a = account(w, name, nl);
    if (!a) { slac_diag_oom(d); return -1; }
    for (int s = 0; s < w->p->nservices; s++) {
      const slac_prog_service *ps = &w->p->services[s];
      /* a service of minutes has no window length: 60 s, and no month allowed */
      if (load_service(&r, &a->svc[s], ps->window_seconds ? (int64_t)ps->window_seconds : 60) != 0)
        return -1;
      if (a->svc[s].nmonths && unsupported(ps))
        return damaged(&r, "a service that window sums cannot hold has windows");
    }
  }
  if (r.left) return damaged(&r, "bytes follow the last account");
  return 0;
}

/* ---- the fold ------------------------------------------------------------ */

/* The first (LAST: the last) window of M, as a number of its month. */
static uint32_t edge_window(const slac_winsums_month *m, bool last) {
  if (!m->bits) return last ? m->runs[2 * m->nruns - 1] - 1 : m->runs[0];
  if (!last) return next_bit(m, 0, true);
  for (uint32_t k = 0; k < m->nwindows; k++)
    if (has(m, m->nwindows - 1 - k)) return m->nwindows - 1 - k;
  return 0; /* a month holds a window: not reached */
}

static SLAC_COLD int cannot(slac_diags *d, const slac_winsums_account *a, const char *service,
                            const char *why) {
  slac_diag_plain(d, SLAC_ERROR, "account \"%.*s\", service \"%s\": %s",
                  (int)(a->len > 200 ? 200 : a->len), a->name, service, why);
  return -1;
}

int slac_winsums_fold(slac_dataset *ds, const slac_winsums *w, uint32_t file, slac_diags *d) {
  const slac_program *p = ds->p;
  const slac_winsums_account **order = by_names(w);
  if (!order) { slac_diag_oom(d); return -1; }
  int rc = 0;
  for (size_t i = 0; i < w->naccounts && rc == 0; i++) {
    const slac_winsums_account *wa = order[i];
    slac_account *a = ds->have_accounts_file
                          ? slac_dataset_find(ds, wa->name, wa->len)
                          : slac_dataset_get(ds, wa->name, wa->len, file, (long)i + 2);
    if (!a && ds->have_accounts_file) {
      slac_diag_plain(d, SLAC_ERROR, "account \"%.*s\" of the window sums is not in the accounts "
                      "table", (int)(wa->len > 200 ? 200 : wa->len), wa->name);
      rc = -1;
      break;
    }
    if (!a) { slac_diag_oom(d); rc = -1; break; }
    for (int s = 0; s < p->nservices && rc == 0; s++) {
      const slac_winsums_svc *ws = &wa->svc[s];
      if (!ws->nmonths) continue;
      slac_svc_state *st = &a->svc[s];
      int64_t len = p->services[s].window_seconds;
      if (ds->keep_days)
        rc = cannot(d, wa, service_name(p, s), "the html statement's day chart needs the window "
                    "rows, which window sums do not keep; ask for jsonl, csv or text");
      else if (st->windows_seen)
        rc = cannot(d, wa, service_name(p, s), "its windows are both rows and window sums; give "
                    "each window once");
      else if (st->excluded)
        rc = cannot(d, wa, service_name(p, s), "an incident excludes time from the service, and "
                    "the windows in that time cannot be left out of window sums; give the window "
                    "rows instead");
      if (rc) break;
      const slac_winsums_month *first = &ws->months[0], *last = &ws->months[ws->nmonths - 1];
      st->windows_seen = true;
      st->windows_summed = true;
      st->first_window = (first_window(first->month, len) + edge_window(first, false)) * len;
      st->last_window = (first_window(last->month, len) + edge_window(last, true)) * len;
      for (uint32_t k = 0; k < ws->nmonths; k++) {
        slac_window_month *wm = slac_svc_window_month(st, ws->months[k].month);
        if (!wm || slac_dataset_touch(ds, ws->months[k].month) != 0) {
          slac_diag_oom(d);
          rc = -1;
          break;
        }
        wm->sum = ws->months[k].sum;
        wm->with_requests = ws->months[k].with_requests;
      }
    }
  }
  free(order);
  if (rc == 0 && slac_dataset_flush(ds) != 0) { slac_diag_oom(d); rc = -1; }
  return rc;
}
