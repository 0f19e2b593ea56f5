/* readers.c - accounts, incidents, request windows and probes. */
#include "runtime/data/readers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/bytes.h"
#include "runtime/data/account_rules.h"
#include "runtime/data/csv.h"
#include "runtime/data/header.h"
#include "runtime/base/currency.h"
#include "runtime/base/prefetch.h"

/* Columns a reader knows; -1 when the header does not have it. */
enum { COL_ACCOUNT, COL_SERVICE, COL_START, COL_END, COL_CAUSE, COL_REQUESTS, COL_ERRORS,
       COL_TIME, COL_OK, COL_FEE, COL_CURRENCY, COL_PLAN, COL_STANDING, COL_ANNOUNCED, NCOLS };
static const char *const col_names[NCOLS] = {"account", "service", "start", "end", "cause",
                                             "requests", "errors", "time", "ok", "fee",
                                             "currency", "plan", "standing", "announced"};
/* Error counts by kind are in columns named KIND_PREFIX + the kind. */
#define KIND_PREFIX "errors_"

/* What one reader remembers of one account and service between rows: the
 * month of the last window row and its bounds in seconds, so that the
 * next rows of the month skip the calendar (the month's sums are the
 * service's last: windows come in time order).  16 bytes: a windows file
 * of a million accounts keeps a million of them. */
typedef struct {
  slac_time win_lo;             /* the month is [win_lo, win_lo + win_len) */
  uint32_t win_len;             /* 0: no month yet */
  slac_month win_month;
} slac_svc_cache;

/* The applied exclusions of one account, service and month, computed
 * once while windows of it arrive (they depend on the incidents only, read
 * before any window); only for the accounts that have exclusions. */
typedef struct {
  slac_month month;
  slac_spanset excl;
} slac_excl_cache;

/* The guesses of one reader (one file, one thread), kept out of the
 * dataset so that looking up in a dataset never writes (dataset.h).  They
 * are indexed by the account's index in the reader's dataset, sized to
 * all its accounts (cache_fit) whenever the reader creates one, and change
 * the speed of reading, never its result. */
typedef struct {
  slac_account *last;           /* the last row's account (NULL: none), */
  size_t last_i;                /* its index */
  uint32_t *succ;               /* [cap]: per account, index + 1 of the
                                   account whose row followed its row the last
                                   time (0: none) */
  slac_svc_cache *svc;          /* [cap * nservices], for windows files only */
  slac_excl_cache **excl;       /* [cap * nservices], NULL until an account
                                   with exclusions has a window; entries made
                                   when first needed */
  size_t cap;                   /* room for this many accounts */
  size_t init;                  /* entries of the first INIT accounts are set
                                   (zero); the room beyond is never touched,
                                   so it costs no memory */
  int nservices;
  bool windows;                 /* keep SVC */
} slac_row_cache;

typedef struct {
  slac_dataset *ds;
  const slac_dataset *main; /* reading one part of a windows file: the main
                               dataset (accounts file, incidents), else NULL */
  slac_row_cache cache;
  slac_diags *d;
  const char *path;
  const slac_layout *layout; /* a data file's: the user's names (or NULL) */
  slac_time_style times;     /* how its times are written (the layout's) */
  FILE *f;
  bool borrowed_f;         /* F is the caller's (rows.c): not closed here */
  slac_csv *csv;
  int col[NCOLS];
  long line;
  int last_service;        /* the service of the previous row, or -1, */
  const char *last_service_id; /* its name */
  size_t last_service_len;
  int **kind_col;          /* windows: [nservices], NULL for a service that
                              counts all errors, else the column of each of
                              its kinds (-1: the header has none) */
  bool any_kind_column;    /* the header has an errors_<kind> column */
} reader;

static int oom(reader *r) {
  slac_diag_oom(r->d);
  return -1;
}

static void cache_free(slac_row_cache *c) {
  for (size_t i = 0; c->excl && i < c->init * (size_t)c->nservices; i++)
    if (c->excl[i]) {
      slac_spanset_free(&c->excl[i]->excl);
      free(c->excl[i]);
    }
  free(c->excl);
  free(c->svc);
  free(c->succ);
  memset(c, 0, sizeof *c);
}

/* Room in the cache for every account of the reader's dataset, whose
 * array may have moved (the reader has just created an account): new
 * entries are zero, no guess and no month.  -1 after reporting no memory. */
static int cache_fit(reader *r) {
  slac_row_cache *c = &r->cache;
  size_t n = r->ds->naccounts, per = (size_t)c->nservices;
  if (c->last) c->last = &r->ds->accounts[c->last_i];
  bool want_svc = c->windows && per > 0;
  if (n <= c->init && (c->svc || !want_svc) && c->succ) return 0;
  if (n > c->cap || !c->succ || (want_svc && !c->svc)) {
    size_t cap = c->cap ? c->cap : 64;
    while (cap < n) cap *= 2;
    uint32_t *v = realloc(c->succ, cap * sizeof *v);
    if (!v) return oom(r);
    c->succ = v;
    if (want_svc) {
      slac_svc_cache *w = realloc(c->svc, cap * per * sizeof *w);
      if (!w) return oom(r);
      if (!c->svc) memset(w, 0, c->init * per * sizeof *w);
      c->svc = w;
    }
    if (c->excl) {
      slac_excl_cache **x = realloc(c->excl, cap * per * sizeof *x);
      if (!x) return oom(r);
      c->excl = x;
    }
    c->cap = cap;
  }
  if (n > c->init) {
    memset(c->succ + c->init, 0, (n - c->init) * sizeof *c->succ);
    if (c->svc) memset(c->svc + c->init * per, 0, (n - c->init) * per * sizeof *c->svc);
    if (c->excl) memset(c->excl + c->init * per, 0, (n - c->init) * per * sizeof *c->excl);
    c->init = n;
  }
  return 0;
}

/* Note that the account at index I has the current row: it follows the
 * last row's account.  I < the cache's size (cache_fit). */
static void cache_note(slac_row_cache *c, slac_account *a, size_t i) {
  if (c->last) c->succ[c->last_i] = (uint32_t)i + 1;
  c->last = a;
  c->last_i = i;
}

static inline bool named(const slac_account *a, const char *name, size_t len) {
  return a->name_len == len && slac_bytes_equal(a->name, name, len);
}

static slac_account *find_hashed(reader *r, const char *name, size_t len) {
  slac_account *a = slac_dataset_find(r->ds, name, len);
  if (a) cache_note(&r->cache, a, (size_t)(a - r->ds->accounts));
  return a;
}

/* The account named NAME in the reader's dataset, or NULL; then it is the
 * cache's last account.  Data rows come in one of two orders: all the rows
 * of an account together (the account of the last row is the likely one),
 * or each time step across all accounts (the account that followed the
 * last row's account the previous time is the likely one).  Both guesses
 * are checked by comparing names, without hashing. */
#if defined(__GNUC__)
__attribute__((always_inline)) /* once per row: a call costs more than the guess */
#endif
static inline slac_account *cached_find(reader *r, const char *name, size_t len) {
  slac_row_cache *c = &r->cache;
  slac_account *a = c->last;
  if (a) {
    if (named(a, name, len)) return a;
    uint32_t g = c->succ[c->last_i];
    if (g && named(a = &r->ds->accounts[g - 1], name, len)) {
      c->last = a;
      c->last_i = g - 1;
      return a;
    }
  }
  return find_hashed(r, name, len);
}

/* A new account NAME in the reader's dataset, then the cache's last. */
static slac_account *create_account(reader *r, const char *name, size_t len, uint32_t file) {
  slac_account *a = slac_dataset_get(r->ds, name, len, file, r->line);
  if (!a) { oom(r); return NULL; }
  size_t i = (size_t)(a - r->ds->accounts);
  if (cache_fit(r) != 0) return NULL;
  cache_note(&r->cache, &r->ds->accounts[i], i);
  return &r->ds->accounts[i];
}

/* Report a bad row: "FILE:LINE: column 'C': MESSAGE (WHY)". */
static int row_error(reader *r, int col, const char *why, const char *fmt, ...) SLAC_PRINTF(4, 5);
static int row_error(reader *r, int col, const char *why, const char *fmt, ...) {
  char msg[1536];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (why)
    slac_diag_data(r->d, r->path, r->line, col >= 0 ? col_names[col] : NULL, "%s (%s)", msg, why);
  else
    slac_diag_data(r->d, r->path, r->line, col >= 0 ? col_names[col] : NULL, "%s", msg);
  return -1;
}

/* A field as a NUL-terminated string for messages (cut at 200 bytes). */
static const char *shown(slac_field f, char *buf, size_t size) {
  size_t n = f.len < size - 4 ? f.len : size - 4;
  memcpy(buf, f.ptr, n);
  strcpy(buf + n, f.len > n ? "..." : "");
  return buf;
}

static slac_field field(reader *r, int col) { return slac_csv_field(r->csv, (size_t)r->col[col]); }

/* A CSV syntax error, printed as every other data error. */
static int csv_failed(reader *r) {
  slac_csv_report(r->csv, r->path, r->d);
  return -1;
}

/* Columns a data file may have that no reader uses (docs/evaluation.md):
 * never warned about as misspellings. */
static const char *const ignored_columns[] = {"id", "note"};

/* Open PATH (or read GIVEN, named PATH, when not NULL: rows pushed in
 * memory, rows.h) and read its header; find the columns (runtime/data/header.h:
 * names matched ignoring case and blanks, a column named twice is an
 * error, and when WARN a misspelled one a warning). */
static int open_reader(reader *r, slac_dataset *ds, slac_diags *d, const char *path, FILE *given,
                       bool warn, const slac_layout *layout) {
  memset(r, 0, sizeof *r);
  r->last_service = -1;
  r->ds = ds;
  r->cache.nservices = ds->p ? ds->p->nservices : 0;
  r->d = d;
  r->path = path;
  r->layout = layout;
  r->times = layout ? layout->times : SLAC_TIMES_RFC3339;
  r->borrowed_f = given != NULL;
  r->f = given ? given : fopen(path, "rb");
  if (!r->f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  r->csv = slac_csv_open(r->f, path);
  if (!r->csv) return oom(r);
  int rc = slac_csv_next(r->csv);
  if (rc < 0) return csv_failed(r);
  if (rc == 0) {
    slac_diag_data(d, path, 0, NULL, "the file is empty: a header row naming the columns is expected");
    return -1;
  }
  const char *as[NCOLS];
  for (int k = 0; k < NCOLS; k++) as[k] = slac_layout_name(layout, col_names[k]);
  const slac_header_spec spec = {col_names, NCOLS, ignored_columns,
                                 (int)(sizeof ignored_columns / sizeof ignored_columns[0]),
                                 KIND_PREFIX, as};
  return slac_header_read(r->csv, path, &spec, r->col, warn, d);
}

/* The name of column C in this file, for messages: "'ts' (--column
 * start=ts)" when the user mapped it, else "'start'". */
static const char *column_shown(const reader *r, int c, char *buf, size_t size) {
  const char *name = slac_layout_name(r->layout, col_names[c]);
  if (name == col_names[c]) snprintf(buf, size, "'%s'", name);
  else snprintf(buf, size, "'%.64s' (--column %s=%.64s)", name, col_names[c], name);
  return buf;
}

/* Every column of COLS that the user mapped must be in the file: a mapped
 * `cause` or `account` that is missing would otherwise read as "no
 * cause", "the default account". */
static int require_mapped(reader *r, const int *cols, int n, const char *kind) {
  char shown_name[160];
  for (int i = 0; i < n; i++)
    if (r->col[cols[i]] < 0 && slac_layout_name(r->layout, col_names[cols[i]]) != col_names[cols[i]]) {
      r->line = 1;
      return row_error(r, -1, NULL, "this %s file has no column %s", kind,
                       column_shown(r, cols[i], shown_name, sizeof shown_name));
    }
  return 0;
}

static void close_reader(reader *r) {
  if (r->csv) slac_csv_close(r->csv);
  if (r->f && !r->borrowed_f) fclose(r->f);
  cache_free(&r->cache);
  for (int s = 0; r->kind_col && s < r->ds->p->nservices; s++) free(r->kind_col[s]);
  free(r->kind_col);
}

/* While the header is the current record: the column of each error kind
 * that a service of the policy counts or ignores. */
static int find_kind_columns(reader *r) {
  const slac_program *p = r->ds->p;
  size_t nf = slac_csv_field_count(r->csv);
  for (size_t i = 0; i < nf; i++) {
    slac_field rest;
    r->any_kind_column |= slac_header_has_prefix(slac_csv_field(r->csv, i), KIND_PREFIX, &rest) && rest.len;
  }
  r->kind_col = calloc((size_t)p->nservices + 1, sizeof *r->kind_col);
  if (!r->kind_col) return oom(r);
  for (int s = 0; s < p->nservices; s++) {
    const slac_prog_service *ps = &p->services[s];
    if (ps->kinds_mode == SLAC_PK_ALL) continue;
    r->kind_col[s] = malloc((size_t)ps->nkinds * sizeof **r->kind_col + 1);
    if (!r->kind_col[s]) return oom(r);
    for (int k = 0; k < ps->nkinds; k++) {
      const char *kind = p->strings[ps->kinds[k]];
      r->kind_col[s][k] = -1;
      for (size_t i = 0; i < nf; i++) {
        slac_field rest;
        if (!slac_header_has_prefix(slac_csv_field(r->csv, i), KIND_PREFIX, &rest) ||
            !slac_header_is(rest, kind))
          continue;
        if (r->kind_col[s][k] >= 0) {
          slac_diag_data(r->d, r->path, 1, NULL, "the column '" KIND_PREFIX "%s' appears twice in "
                         "the header (columns %d and %zu): which one holds the data is not clear",
                         kind, r->kind_col[s][k] + 1, i + 1);
          return -1;
        }
        r->kind_col[s][k] = (int)i;
      }
    }
  }
  return 0;
}

/* Rows between two additions to the progress counter: a call per row
 * would cost the hot loop an atomic add; per 4096 rows it costs nothing
 * measurable, and a row is at most a few hundred bytes. */
#define PROGRESS_ROWS 4096

/* Add the bytes consumed since the last addition to the dataset's
 * progress counter (progress.h); *REPORTED is what was added so far. */
static void progress_to(reader *r, uint64_t *reported) {
  if (!r->ds->progress || !r->csv) return;
  uint64_t at = slac_csv_offset(r->csv);
  if (at > *reported) slac_progress_add(r->ds->progress, at - *reported);
  *reported = at;
}

/* Next row: 1, 0 at the end, -1 on error (reported). */
static int next_row(reader *r) {
  int rc = slac_csv_next(r->csv);
  if (rc < 0) return csv_failed(r);
  r->line = slac_csv_line(r->csv);
  return rc;
}

static SLAC_COLD int bad_time(reader *r, int col, slac_field f, const char *why) {
  char buf[256];
  return row_error(r, col, why, "expected %s, got \"%s\"",
                   slac_time_style_expected(r->times),
                   shown(f, buf, sizeof buf));
}

/* The time of F in the file's style: 0, or -1 with *WHY set (nothing
 * reported). */
static inline int time_of(const reader *r, slac_field f, slac_time *out, const char **why) {
  if (r->times == SLAC_TIMES_RFC3339) /* the common case, one call */
    return slac_time_parse(f.ptr, f.len, out, why) == 0 ? 0 : -1;
  return slac_time_parse_style(r->times, f.ptr, f.len, out, why) == 0 ? 0 : -1;
}

static inline int parse_time(reader *r, int col, slac_time *out) {
  slac_field f = field(r, col);
  const char *why = NULL;
  if (time_of(r, f, out, &why) == 0) return 0;
  return bad_time(r, col, f, why);
}

/* The value of the 1 to 8 ASCII digits at P (LEN of them), or -1 when a
 * byte is not a digit.  One 8-byte load and a few multiplications, no
 * branch per digit: the lengths of counts vary from row to row, and a
 * digit loop paid a mispredicted exit on most fields.  Reads 8 bytes from
 * P: the CSV buffer keeps 64 bytes of padding after the data. */
static int64_t digits8(const char *p, size_t len) {
  uint64_t x;
  memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  unsigned shift = (unsigned)(8 - len) * 8; /* 0..56: LEN >= 1 */
  x <<= shift; /* the digits in the high bytes, zeros (not digits) below */
  uint64_t zeros = shift ? ~UINT64_C(0) >> (64 - shift) & UINT64_C(0x3030303030303030) : 0;
  x |= zeros; /* pad with '0' */
  /* every byte 0x30..0x39: high nibble 3, and adding 6 keeps it 3 */
  if ((x & UINT64_C(0xF0F0F0F0F0F0F0F0)) != UINT64_C(0x3030303030303030) ||
      ((x + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) !=
          UINT64_C(0x3030303030303030))
    return -1;
  x -= UINT64_C(0x3030303030303030);
  /* the first byte is the most significant digit: combine pairs, quads */
  x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
  x = (x * 100 + (x >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
  x = (x * 10000 + (x >> 32)) & UINT64_C(0x00000000FFFFFFFF);
  return (int64_t)x;
#else
  int64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned d = (unsigned char)p[i] - '0';
    if (d > 9) return -1;
    v = v * 10 + d;
  }
  (void)x;
  return v;
#endif
}

/* A count of more than 8 digits (rare): below 2^63, or an error. */
static SLAC_COLD int parse_long_count(reader *r, int col, slac_field f, uint64_t *out) {
  bool ok = f.len > 8;
  uint64_t v = 0;
  for (size_t i = 0; i < f.len && ok; i++) {
    uint64_t d = (uint64_t)(unsigned char)f.ptr[i] - '0';
    if (d > 9 || v > ((uint64_t)INT64_MAX - d) / 10) ok = false; /* v*10+d < 2^63 */
    else v = v * 10 + d;
  }
  if (ok) { *out = v; return 0; }
  char buf[256];
  return row_error(r, col, NULL, "expected a whole number of at least 0 (below 2^63), got \"%s\"", shown(f, buf, sizeof buf));
}

/* A non-negative whole number below 2^63. */
static inline int parse_count(reader *r, int col, uint64_t *out) {
  slac_field f = field(r, col);
  if (f.len >= 1 && f.len <= 8) {
    int64_t v = digits8(f.ptr, f.len);
    if (v >= 0) { *out = (uint64_t)v; return 0; }
  }
  return parse_long_count(r, col, f, out);
}

/* The count in the column of error kind K of service S. */
static SLAC_COLD int bad_kind_count(reader *r, const char *kind, slac_field f) {
  char buf[256];
  slac_diag_data(r->d, r->path, r->line, NULL,
                 "column '" KIND_PREFIX "%s': expected a whole number of at least 0 (below 2^63), got \"%s\"",
                 kind, shown(f, buf, sizeof buf));
  return -1;
}

static int parse_kind_count(reader *r, int s, int k, uint64_t *out) {
  const slac_program *p = r->ds->p;
  const char *kind = p->strings[p->services[s].kinds[k]];
  int col = r->kind_col[s][k];
  if (col < 0) {
    slac_diag_data(r->d, r->path, r->line, NULL,
                   "service \"%s\" %s errors of kind '%s': the request windows file needs a column '"
                   KIND_PREFIX "%s'", p->strings[p->services[s].id],
                   p->services[s].kinds_mode == SLAC_PK_ONLY ? "counts only" : "ignores", kind, kind);
    return -1;
  }
  slac_field f = slac_csv_field(r->csv, (size_t)col);
  uint64_t v = 0;
  bool ok = f.len > 0 && f.len <= 18;
  for (size_t i = 0; i < f.len && ok; i++) {
    unsigned d = (unsigned char)f.ptr[i] - '0';
    if (d > 9) ok = false;
    else v = v * 10 + d;
  }
  if (!ok) return bad_kind_count(r, kind, f);
  *out = v;
  return 0;
}

/* The errors of a window row by kind, for a service that counts only
 * some kinds or ignores some (CONTRACT 6.2). */
static int kind_errors(reader *r, int s, uint64_t *errors) {
  const slac_prog_service *ps = &r->ds->p->services[s];
  uint64_t sum = 0, all = 0;
  for (int k = 0; k < ps->nkinds; k++) {
    uint64_t v = 0; /* set on success; gcc cannot always see it (-ffat-lto-objects) */
    if (parse_kind_count(r, s, k, &v)) return -1;
    if (v > (uint64_t)INT64_MAX - sum)
      return row_error(r, -1, NULL, "%s", "the error counts by kind add up to too large a number");
    sum += v;
  }
  bool has_errors = r->col[COL_ERRORS] >= 0;
  if (ps->kinds_mode == SLAC_PK_IGNORE && !has_errors)
    return row_error(r, -1, NULL, "service \"%s\" ignores some kinds of errors: the request windows "
                     "file needs a column 'errors' to take them from", r->ds->p->strings[ps->id]);
  if (has_errors) {
    if (parse_count(r, COL_ERRORS, &all)) return -1;
    if (sum > all) {
      char buf[64];
      snprintf(buf, sizeof buf, "%llu", (unsigned long long)all);
      return row_error(r, COL_ERRORS, NULL, "the errors by kind (%llu in all) exceed the errors of the "
                       "window (%s)", (unsigned long long)sum, buf);
    }
  }
  *errors = ps->kinds_mode == SLAC_PK_ONLY ? sum : all - sum;
  return 0;
}

static SLAC_COLD int no_errors_column(reader *r, int s) {
  return row_error(r, -1, NULL, "service \"%s\" counts every error: the request windows file "
                   "needs a column 'errors'", r->ds->p->strings[r->ds->p->services[s].id]);
}

/* The errors of a window row that the policy counts for service S: the
 * `errors` column (once per row: the common case stays inline), or the
 * kinds' columns. */
static inline int row_errors(reader *r, int s, uint64_t *errors) {
  if (r->ds->p->services[s].kinds_mode == SLAC_PK_ALL) {
    if (r->col[COL_ERRORS] < 0) return no_errors_column(r, s);
    return parse_count(r, COL_ERRORS, errors);
  }
  return kind_errors(r, s, errors);
}

/* The index of the service named F, or -1 (nothing reported); it becomes
 * the reader's likely service. */
static inline int lookup_service(reader *r, slac_field f) {
  /* the service of the previous row is the likely one */
  if (r->last_service >= 0 && r->last_service_len == f.len &&
      slac_bytes_equal(r->last_service_id, f.ptr, f.len))
    return r->last_service;
  const slac_program *p = r->ds->p;
  for (int s = 0; s < p->nservices; s++) {
    const char *id = p->strings[p->services[s].id];
    if (strlen(id) == f.len && memcmp(id, f.ptr, f.len) == 0) {
      r->last_service = s;
      r->last_service_id = id;
      r->last_service_len = f.len;
      return s;
    }
  }
  return -1;
}

static SLAC_COLD int unknown_service(reader *r, slac_field f) {
  const slac_program *p = r->ds->p;
  char list[512] = "", buf[256];
  for (int s = 0; s < p->nservices; s++) {
    size_t n = strlen(list);
    snprintf(list + n, sizeof list - n, "%s%s", s ? ", " : "", p->strings[p->services[s].id]);
  }
  char msg[1024];
  snprintf(msg, sizeof msg, "unknown service \"%s\": the policy's services are %s",
           shown(f, buf, sizeof buf), list);
  return row_error(r, COL_SERVICE, NULL, "%s", msg);
}

static inline int find_service(reader *r, int *out) {
  slac_field f = field(r, COL_SERVICE);
  *out = lookup_service(r, f);
  return *out >= 0 ? 0 : unknown_service(r, f);
}

static SLAC_COLD slac_account *not_listed(reader *r, const char *name, size_t len) {
  char buf[256];
  slac_field f = {name, len};
  row_error(r, COL_ACCOUNT, NULL, "account \"%s\" is not in the accounts file", shown(f, buf, sizeof buf));
  return NULL;
}

/* The account of a row of one part of a file (slac_read_part):
 * the part's own record, which notes where the main dataset has it. */
static slac_account *part_account(reader *r, const char *name, size_t len, uint32_t file) {
  slac_account *a = cached_find(r, name, len);
  if (a) return a;
  const slac_account *origin = slac_dataset_find(r->main, name, len);
  if (!origin && r->main->have_accounts_file) return not_listed(r, name, len);
  a = create_account(r, name, len, file);
  if (a) a->origin = origin ? (uint32_t)(origin - r->main->accounts) + 1 : 0;
  return a;
}

/* Note that account A has a row of FILE at the current line.  Windows
 * files are read after the others: the first appearance is kept in
 * command-line order, which fixes the order of the report.  (A part of a
 * file counts its lines from its own start: the merge places them.) */
static void account_seen(reader *r, slac_account *a, uint32_t file) {
  if (r->main) return;
  if (file < a->first_file || (file == a->first_file && r->line < a->first_line)) {
    a->first_file = file;
    a->first_line = r->line;
  }
}

/* The account named NAME of the current row, found or made; NULL after
 * reporting (not in the accounts file, out of memory). */
static slac_account *account_named(reader *r, const char *name, size_t len, uint32_t file) {
  if (r->main) return part_account(r, name, len, file);
  slac_account *a = cached_find(r, name, len);
  if (!a && r->ds->have_accounts_file) return not_listed(r, name, len);
  if (!a && !(a = create_account(r, name, len, file))) return NULL;
  account_seen(r, a, file);
  return a;
}

/* The row's account ("default" without an account column). */
static slac_account *row_account(reader *r, uint32_t file) {
  if (r->col[COL_ACCOUNT] < 0) return account_named(r, "default", 7, file);
  slac_field f = field(r, COL_ACCOUNT);
  if (f.len == 0) {
    row_error(r, COL_ACCOUNT, NULL, "%s", "an account name is expected, the field is empty");
    return NULL;
  }
  return account_named(r, f.ptr, f.len, file);
}

static int require(reader *r, const int *cols, int n, const char *kind) {
  char shown_name[160];
  for (int i = 0; i < n; i++)
    if (r->col[cols[i]] < 0) {
      r->line = 1;
      return row_error(r, -1, NULL, "the %s file needs a column %s", kind,
                       column_shown(r, cols[i], shown_name, sizeof shown_name));
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Accounts                                                            */

static int parse_money(reader *r, slac_num *out) {
  slac_field f = field(r, COL_FEE);
  size_t dot = f.len;
  for (size_t i = 0; i < f.len; i++)
    if (f.ptr[i] == '.') dot = i;
  char buf[256];
  if (f.len == 0 || f.ptr[0] == '-' || (dot < f.len && f.len - dot - 1 > 2) ||
      slac_num_parse(f.ptr, f.len, out) != SLAC_NUM_OK ||
      slac_num_cmp(*out, slac_num_int(1000000000000000), &(int){0}) != SLAC_NUM_OK) {
    return row_error(r, COL_FEE, NULL, "expected an amount like 120.00 (at most two decimals), got \"%s\"", shown(f, buf, sizeof buf));
  }
  int c = 0;
  slac_num_cmp(*out, slac_num_int(1000000000000000), &c);
  if (c >= 0) return row_error(r, COL_FEE, NULL, "the fee \"%s\" is too large (it must be below 10^15)", shown(f, buf, sizeof buf));
  return 0;
}

/* A `service` value that is neither a service of the policy nor a
 * charge it names as earning no credit: a typo must not move a charge out
 * of the credit (CONTRACT 6.2). */
static SLAC_COLD int unknown_charge(reader *r, slac_field sv, const char *near) {
  const slac_program *p = r->ds->p;
  char list[512] = "", buf[256];
  for (int s = 0; s < p->nservices + p->ncharges; s++) {
    size_t n = strlen(list);
    const char *id = s < p->nservices ? p->strings[p->services[s].id] : p->strings[p->charges[s - p->nservices]];
    snprintf(list + n, sizeof list - n, "%s%s", s ? ", " : "", id);
  }
  if (near)
    return row_error(r, COL_SERVICE, NULL, "unknown service \"%s\": did you mean \"%s\"? (names are "
                     "compared exactly)", shown(sv, buf, sizeof buf), near);
  return row_error(r, COL_SERVICE, NULL, "unknown service \"%s\": the policy's services and the "
                   "charges it credits nothing for are %s (a charge that earns no credit is "
                   "named in the policy: `charge support \"Support\" not credited`)",
                   shown(sv, buf, sizeof buf), list);
}

/* A plan spelled like one of the policy's but for case or blanks is not
 * that plan (plans are compared exactly): say so, once per spelling. */
static int check_plan(reader *r, slac_plan_names *plans, slac_field plan) {
  bool no_memory;
  const char *near = slac_plan_near_miss(plans, plan.ptr, plan.len, &no_memory);
  if (no_memory) return oom(r);
  if (near) {
    char buf[256];
    slac_diag_data_warning(r->d, r->path, r->line, "column 'plan': plan \"%s\" is not the policy's "
                           "\"%s\" (plans are compared exactly), so the policy's rules for \"%s\" "
                           "do not apply to it", shown(plan, buf, sizeof buf), near, near);
  }
  return 0;
}

int slac_read_accounts(slac_dataset *ds, const char *path, slac_diags *d) {
  return slac_read_accounts_from(ds, NULL, path, d);
}

int slac_read_accounts_from(slac_dataset *ds, FILE *in, const char *path, slac_diags *d) {
  reader r;
  int rc = open_reader(&r, ds, d, path, in, true, NULL); /* accounts keep their names */
  static const int needed[] = {COL_ACCOUNT, COL_FEE, COL_CURRENCY};
  if (rc == 0) rc = require(&r, needed, 3, "accounts");
  const slac_program *p = ds->p;
  slac_row_pairs pairs;
  memset(&pairs, 0, sizeof pairs);
  slac_plan_names plans;
  if (slac_plan_names_init(&plans, p) != 0 && rc == 0) rc = oom(&r);
  ds->have_accounts_file = true;
  while (rc == 0 && (rc = next_row(&r)) == 1) {
    rc = 0;
    slac_field name = field(&r, COL_ACCOUNT);
    char buf[256], buf2[256];
    if (name.len == 0) { rc = row_error(&r, COL_ACCOUNT, NULL, "%s", "an account name is expected, the field is empty"); break; }
    bool is_new = slac_dataset_find(ds, name.ptr, name.len) == NULL;
    slac_account *a = slac_dataset_get(ds, name.ptr, name.len, 0, r.line);
    if (!a) { rc = oom(&r); break; }
    slac_num fee;
    if ((rc = parse_money(&r, &fee)) != 0) break;
    slac_field cur = field(&r, COL_CURRENCY);
    int ci = -1;
    for (int k = 0; k < p->ncurrencies; k++)
      if (cur.len == 3 && memcmp(p->currencies[k], cur.ptr, 3) == 0) ci = k;
    if (ci < 0) {
      char list[256] = "";
      for (int k = 0; k < p->ncurrencies; k++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%.3s", k ? ", " : "", p->currencies[k]);
      }
      char msg[512];
      snprintf(msg, sizeof msg, "currency \"%s\" is not a currency of the policy (%s)",
               shown(cur, buf, sizeof buf), list);
      rc = row_error(&r, COL_CURRENCY, NULL, "%s", msg);
      break;
    }
    int digits = slac_currency_digits(p->currencies[ci]);
    slac_num whole;
    if (digits < 2 && (slac_num_trunc(fee, digits, &whole) != SLAC_NUM_OK || whole.units != fee.units)) {
      slac_field f = field(&r, COL_FEE);
      rc = row_error(&r, COL_FEE, NULL, "the fee \"%s\" has more decimals than %.3s has (%d)",
                     shown(f, buf, sizeof buf), p->currencies[ci], digits);
      break;
    }
    bool good = true;
    if (r.col[COL_STANDING] >= 0) {
      slac_field st = field(&r, COL_STANDING);
      if (st.len == 7 && memcmp(st.ptr, "overdue", 7) == 0) good = false;
      else if (!(st.len == 0 || (st.len == 4 && memcmp(st.ptr, "good", 4) == 0))) {
        rc = row_error(&r, COL_STANDING, NULL, "expected good or overdue, got \"%s\"", shown(st, buf, sizeof buf));
        break;
      }
    }
    slac_field plan = r.col[COL_PLAN] >= 0 ? field(&r, COL_PLAN) : (slac_field){"", 0};
    if (!is_new) {
      /* another row of the same account: one charge per service */
      if (r.col[COL_SERVICE] < 0) {
        rc = row_error(&r, COL_ACCOUNT, NULL, "account \"%s\" is listed twice (without a service column, one row per account)", shown(name, buf, sizeof buf));
        break;
      }
      if (a->currency != ci || a->standing_good != good ||
          strlen(a->plan) != plan.len || memcmp(a->plan, plan.ptr, plan.len) != 0) {
        rc = row_error(&r, COL_ACCOUNT, NULL, "the rows of account \"%s\" disagree on currency, plan or standing", shown(name, buf, sizeof buf));
        break;
      }
    } else {
      a->listed = true;
      a->currency = ci;
      a->standing_good = good;
      a->plan = malloc(plan.len + 1);
      if (!a->plan) { rc = oom(&r); break; }
      memcpy(a->plan, plan.ptr, plan.len);
      a->plan[plan.len] = 0;
      a->fee = slac_num_int(0);
    }
    if (slac_num_add(a->fee, fee, &a->fee) != SLAC_NUM_OK) {
      rc = row_error(&r, COL_FEE, NULL, "%s", "the account's fees add up to too large a number");
      break;
    }
    /* an account's rows agree on the plan (checked above): its first says it */
    if (is_new && plan.len && (rc = check_plan(&r, &plans, plan)) != 0) break;
    if (r.col[COL_SERVICE] < 0 && p->nservices == 1) {
      /* one service: the whole fee is attributable to it */
      a->charges[0] = a->fee;
      continue;
    }
    if (r.col[COL_SERVICE] < 0) {
      if (p->base == SLAC_PB_MONTHLY_FEE) continue;
      r.line = 1;
      rc = row_error(&r, -1, NULL, "the policy credits %s: the accounts file needs a 'service' "
                     "column saying what each service costs",
                     p->base == SLAC_PB_AFFECTED_CHARGES ? "the charges of the affected services"
                                                         : "each service on its own charge");
      break;
    }
    /* a policy service, or a charge the policy names as earning no
     * credit (support, say: part of the fee, never "affected") */
    slac_field sv = field(&r, COL_SERVICE);
    const char *near;
    int slot = slac_charge_slot(p, sv.ptr, sv.len, &near);
    if (slot < 0) { rc = unknown_charge(&r, sv, near); break; }
    long seen = slac_row_pairs_add(&pairs, (size_t)(a - ds->accounts), slot, r.line);
    if (seen < 0) { rc = oom(&r); break; }
    if (seen > 0) {
      rc = row_error(&r, COL_SERVICE, NULL, "account \"%s\" has a second row for \"%s\" (the "
                     "first is on line %ld): one row per account and service, or the charge "
                     "would count twice", shown(name, buf, sizeof buf), shown(sv, buf2, sizeof buf2), seen);
      break;
    }
    if (slot < p->nservices && slac_num_add(a->charges[slot], fee, &a->charges[slot]) != SLAC_NUM_OK) {
      rc = row_error(&r, COL_FEE, NULL, "%s", "the account's charges add up to too large a number");
      break;
    }
  }
  slac_row_pairs_free(&pairs);
  slac_plan_names_free(&plans);
  close_reader(&r);
  return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Data files                                                          */

/* Called once per data file (slac_eval reads each one's kind first), so
 * the header's warnings are given here, once. */
int slac_data_kind_of(const char *path, const slac_layout *layout, slac_data_kind *kind,
                      slac_diags *d) {
  reader r;
  slac_dataset none;
  memset(&none, 0, sizeof none);
  int rc = open_reader(&r, &none, d, path, NULL, true, layout);
  if (rc == 0) {
    bool inc = r.col[COL_SERVICE] >= 0 && r.col[COL_START] >= 0 && r.col[COL_END] >= 0;
    bool kinds = false; /* errors by kind stand for the errors column */
    for (size_t i = 0; i < slac_csv_field_count(r.csv); i++) {
      slac_field rest;
      kinds |= slac_header_has_prefix(slac_csv_field(r.csv, i), KIND_PREFIX, &rest) && rest.len;
    }
    bool win = r.col[COL_SERVICE] >= 0 && r.col[COL_START] >= 0 && r.col[COL_REQUESTS] >= 0 &&
               (r.col[COL_ERRORS] >= 0 || kinds);
    bool pro = r.col[COL_SERVICE] >= 0 && r.col[COL_TIME] >= 0 && r.col[COL_OK] >= 0;
    if (inc + win + pro == 1) {
      *kind = inc ? SLAC_DATA_INCIDENTS : win ? SLAC_DATA_WINDOWS : SLAC_DATA_PROBES;
    } else {
      /* the columns as this file must name them (--column) */
#define N(c) slac_layout_name(layout, col_names[c])
      slac_diag_data(d, path, 1, NULL,
                     "%s: expected the columns %.64s,%.64s,%.64s (incidents), "
                     "%.64s,%.64s,%.64s,%.64s (request windows) or %.64s,%.64s,%.64s (probes)",
                     (inc + win + pro) ? "the header fits more than one kind of data file"
                                     : "not a slac data file",
                     N(COL_SERVICE), N(COL_START), N(COL_END), N(COL_SERVICE), N(COL_START),
                     N(COL_REQUESTS), N(COL_ERRORS), N(COL_SERVICE), N(COL_TIME), N(COL_OK));
#undef N
      rc = -1;
    }
  }
  close_reader(&r);
  return rc;
}

/* ---- incidents ------------------------------------------------------- */

/* One incident row, parsed: what changes its account's state. */
typedef struct {
  slac_time start, end;         /* [start, end), as the row says */
  long line;
  int service, cause;
  bool late;                    /* excluded cause announced too late: counts */
} incident_row;

static int touch_span(reader *r, slac_time start, slac_time end) {
  slac_month m0 = slac_month_of(start), m1 = end > start ? slac_month_of(end - 1) : m0;
  for (slac_month m = m0; m <= m1; m++)
    if (slac_dataset_touch(r->ds, m) != 0) return oom(r);
  return 0;
}

/* Was the incident starting at START announced less than NOTICE seconds
 * before it (or not at all: no `announced` column, or an empty field)?
 * A bad time: 1 when QUIET (nothing reported), else -1 after reporting. */
static int announced_late(reader *r, slac_time start, uint32_t notice, bool quiet, bool *late) {
  if (r->col[COL_ANNOUNCED] < 0 || field(r, COL_ANNOUNCED).len == 0) {
    *late = true;
    return 0;
  }
  slac_field f = field(r, COL_ANNOUNCED);
  slac_time at;
  const char *why = NULL;
  if (time_of(r, f, &at, &why)) return quiet ? 1 : bad_time(r, COL_ANNOUNCED, f, why);
  *late = start - at < (slac_time)notice;
  return 0;
}

static SLAC_COLD int unknown_cause(reader *r, slac_field f) {
  const slac_program *p = r->ds->p;
  char list[1024] = "", buf[256], msg[1400];
  for (int c = 0; c < p->ncauses; c++) {
    size_t n = strlen(list);
    snprintf(list + n, sizeof list - n, "%s%s", c ? ", " : "", p->strings[p->causes[c]]);
  }
  snprintf(msg, sizeof msg, "unknown cause \"%s\": the policy knows %s", shown(f, buf, sizeof buf), list);
  return row_error(r, COL_CAUSE, NULL, "%s", msg);
}

static SLAC_COLD int counted_on_error_rate(reader *r, const slac_prog_service *ps, int cause) {
  const slac_program *p = r->ds->p;
  return row_error(r, COL_CAUSE, NULL, "service \"%s\" is measured by its error rate: an incident can only exclude "
                   "time, and cause \"%s\" is not excluded by the policy", p->strings[ps->id],
                   p->strings[p->causes[cause]]);
}

/* The current row's service, times, cause and announcement, into ROW.
 * At the first problem: 1 when QUIET (nothing reported: the caller reads
 * the row again, loudly), else -1 after reporting it. */
static int parse_incident(reader *r, incident_row *row, bool quiet) {
  const slac_program *p = r->ds->p;
  const char *why = NULL;
  slac_field f = field(r, COL_SERVICE);
  row->line = r->line;
  if ((row->service = lookup_service(r, f)) < 0) return quiet ? 1 : unknown_service(r, f);
  f = field(r, COL_START);
  if (time_of(r, f, &row->start, &why)) return quiet ? 1 : bad_time(r, COL_START, f, why);
  f = field(r, COL_END);
  if (time_of(r, f, &row->end, &why)) return quiet ? 1 : bad_time(r, COL_END, f, why);
  if (row->end < row->start) {
    if (quiet) return 1;
    char buf[64];
    slac_time_format(row->start, buf);
    return row_error(r, COL_END, NULL, "the incident ends before it starts (start %s)", buf);
  }
  row->cause = 0;
  if (r->col[COL_CAUSE] >= 0 && (f = field(r, COL_CAUSE)).len > 0 &&
      (row->cause = slac_program_cause(p, f.ptr, f.len)) < 0)
    return quiet ? 1 : unknown_cause(r, f);
  const slac_prog_service *ps = &p->services[row->service];
  const slac_prog_rule *rule = &ps->rules[row->cause];
  row->late = false;
  if (rule->mode == SLAC_PC_COUNTS && ps->metric == SLAC_PM_ERROR_RATE)
    return quiet ? 1 : counted_on_error_rate(r, ps, row->cause);
  if (rule->mode != SLAC_PC_COUNTS && rule->notice_seconds > 0)
    return announced_late(r, row->start, rule->notice_seconds, quiet, &row->late);
  return 0;
}

/* Union [START, END) into SET, which may put it aside (intervals.h):
 * then the dataset is marked, and merged at the end of the file. */
static int add_span(reader *r, slac_spanset *set, slac_time start, slac_time end) {
  if (slac_spanset_add(set, start, end) != 0) return oom(r);
  if (set->npend) r->ds->unmerged = true;
  return 0;
}

/* Keep the row for the html report (slac_incident). */
static int keep_incident(reader *r, const slac_account *a, const incident_row *row) {
  slac_dataset *ds = r->ds;
  if (ds->nincidents == ds->incidents_cap) {
    size_t cap = ds->incidents_cap ? ds->incidents_cap * 2 : 16;
    slac_incident *n = realloc(ds->incidents, cap * sizeof *n);
    if (!n) return oom(r);
    ds->incidents = n;
    ds->incidents_cap = cap;
  }
  ds->incidents[ds->nincidents] =
      (slac_incident){row->start, row->end, (uint32_t)(a - ds->accounts), (uint32_t)ds->nincidents,
                      (uint16_t)row->service, (uint8_t)row->cause, row->late};
  ds->nincidents++;
  return 0;
}

/* The span set of S that ROW grows first: the late set of its cause, the
 * downtime of counting causes, or the time of its excluded cause.  NULL
 * when the set does not exist yet (a hint for prefetching only). */
static const slac_spanset *row_set(const slac_program *p, const slac_svc_state *s, const incident_row *row) {
  if (row->late) return s->late ? &s->late[row->cause] : NULL;
  if (p->services[row->service].rules[row->cause].mode == SLAC_PC_COUNTS) return s->counting;
  return s->excluded ? &s->excluded[row->cause] : NULL;
}

/* Fold ROW into its account A (CONTRACT section 3's inputs). */
static int apply_incident(reader *r, slac_account *a, const incident_row *row) {
  const slac_prog_service *ps = &r->ds->p->services[row->service];
  slac_svc_state *st = &a->svc[row->service];
  if (touch_span(r, row->start, row->end)) return -1;
  if (r->ds->keep_incidents && keep_incident(r, a, row)) return -1;
  if (row->late) {
    /* excluded only when announced in time: otherwise it counts as
     * downtime (an error-rate service just keeps its windows) and uses
     * none of a cap */
    slac_spanset *set = slac_svc_late(r->ds, st, row->cause);
    if (!set) return oom(r);
    if (add_span(r, set, row->start, row->end)) return -1;
    if (ps->metric != SLAC_PM_MINUTES) return 0;
  }
  slac_spanset *set = row->late || ps->rules[row->cause].mode == SLAC_PC_COUNTS
                          ? slac_svc_counting(st)
                          : slac_svc_excluded(r->ds, st, row->cause);
  return set ? add_span(r, set, row->start, row->end) : oom(r);
}

static int read_incident(reader *r, uint32_t file) {
  slac_account *a = row_account(r, file);
  incident_row row;
  if (!a || parse_incident(r, &row, false)) return -1;
  return apply_incident(r, a, &row);
}

/* Incident rows are read in batches: on a file of many accounts in time
 * order, a row's index slot, account record, name, service state, span
 * set and last span are cache misses that depend on one another, and one
 * row at a time they follow one another.  A batch parses its rows (copying the account
 * names: the CSV reader's views last one row), looks up all the accounts
 * at once (slac_dataset_find_many), asks for the service states, the sets
 * and their last spans in one pass each, and only then folds the rows, in
 * file order: the same result as row by row.  A row that is not plain
 * (an error to report, no account column, a long name) ends the batch and
 * is read alone, after the batch, so that errors come in file order. */
#define INCIDENT_BATCH SLAC_FIND_MANY
#define BATCH_NAME_MAX 64

typedef struct {
  int n;
  incident_row row[INCIDENT_BATCH];
  const char *name[INCIDENT_BATCH]; /* into NAMES */
  size_t len[INCIDENT_BATCH];
  uint32_t found[INCIDENT_BATCH];   /* index + 1 in the reader's dataset, 0: none */
  char names[INCIDENT_BATCH][BATCH_NAME_MAX];
} incident_batch;

/* Add the current row to B: 0, or 1 when it must be read alone. */
static int batch_take(reader *r, incident_batch *b) {
  if (r->col[COL_ACCOUNT] < 0) return 1;
  slac_field f = field(r, COL_ACCOUNT);
  if (f.len == 0 || f.len > BATCH_NAME_MAX || parse_incident(r, &b->row[b->n], true)) return 1;
  memcpy(b->names[b->n], f.ptr, f.len);
  b->name[b->n] = b->names[b->n];
  b->len[b->n] = f.len;
  b->n++;
  return 0;
}

/* Fold the rows of B, in order, and empty it. */
static int batch_fold(reader *r, incident_batch *b, uint32_t file) {
  int n = b->n;
  b->n = 0;
  slac_dataset *ds = r->ds;
  const slac_program *p = ds->p;
  slac_dataset_find_many(ds, b->name, b->len, (size_t)n, b->found);
  for (int i = 0; i < n; i++)
    if (b->found[i]) SLAC_PREFETCH(&ds->accounts[b->found[i] - 1].svc[b->row[i].service]);
  const slac_spanset *set[INCIDENT_BATCH];
  for (int i = 0; i < n; i++) {
    set[i] = b->found[i] ? row_set(p, &ds->accounts[b->found[i] - 1].svc[b->row[i].service], &b->row[i]) : NULL;
    if (set[i]) SLAC_PREFETCH(set[i]);
  }
  for (int i = 0; i < n; i++)
    if (set[i] && set[i]->n) SLAC_PREFETCH(slac_spanset_last(set[i]));
  long line = r->line;
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    r->line = b->row[i].line;
    /* an account the batch did not find may have been made by a row
     * before it in the batch: looked up again, then made */
    slac_account *a = b->found[i] ? &ds->accounts[b->found[i] - 1]
                                  : account_named(r, b->name[i], b->len[i], file);
    if (a && b->found[i]) account_seen(r, a, file);
    rc = a ? apply_incident(r, a, &b->row[i]) : -1;
  }
  if (rc == 0) r->line = line;
  return rc;
}

/* next_row for an incident file read through the batch B: when the CSV
 * reader rejects the next record, B's rows (of earlier lines) are folded
 * first, so that an error of theirs is the one reported. */
static int next_row_batched(reader *r, incident_batch *b, uint32_t file) {
  int rc = slac_csv_next(r->csv);
  if (rc < 0) return b->n && batch_fold(r, b, file) ? -1 : csv_failed(r);
  r->line = slac_csv_line(r->csv);
  return rc;
}

/* The current row of an incident file, through the batch B: 0 or -1. */
static int read_incident_batched(reader *r, incident_batch *b, uint32_t file) {
  if (batch_take(r, b) == 0) return b->n == INCIDENT_BATCH ? batch_fold(r, b, file) : 0;
  if (b->n && batch_fold(r, b, file)) return -1;
  return read_incident(r, file);
}

static int add_pending(reader *r, slac_probe_state *st, slac_time t) {
  /* a failed probe: downtime from T until the next success, or until the
   * end of T's month if none follows */
  slac_time eom = slac_month_start(slac_month_of(t) + 1);
  if (st->npending && t < st->pending[st->npending - 1].end) return 0;
  if (st->npending && t == st->pending[st->npending - 1].end) {
    st->pending[st->npending - 1].end = eom;
    return 0;
  }
  if (st->npending == st->pending_cap) {
    size_t cap = st->pending_cap ? st->pending_cap * 2 : 2;
    slac_pending *n = realloc(st->pending, cap * sizeof *n);
    if (!n) return oom(r);
    st->pending = n;
    st->pending_cap = cap;
  }
  st->pending[st->npending++] = (slac_pending){t, eom};
  return 0;
}

static int read_probe(reader *r, uint32_t file) {
  slac_account *a = row_account(r, file);
  int s;
  slac_time t;
  if (!a || find_service(r, &s) || parse_time(r, COL_TIME, &t)) return -1;
  slac_field ok = field(r, COL_OK);
  bool up;
  char buf[256];
  if ((ok.len == 4 && memcmp(ok.ptr, "true", 4) == 0) || (ok.len == 1 && ok.ptr[0] == '1')) up = true;
  else if ((ok.len == 5 && memcmp(ok.ptr, "false", 5) == 0) || (ok.len == 1 && ok.ptr[0] == '0')) up = false;
  else return row_error(r, COL_OK, NULL, "expected true, false, 1 or 0, got \"%s\"", shown(ok, buf, sizeof buf));
  const slac_program *p = r->ds->p;
  if (p->services[s].metric == SLAC_PM_ERROR_RATE)
    return row_error(r, COL_SERVICE, NULL, "service \"%s\" is measured by its error rate, not by probes", p->strings[p->services[s].id]);
  slac_svc_state *sv = &a->svc[s];
  slac_probe_state *st = sv->probes;
  if (st && t < st->last_probe) {
    snprintf(buf, sizeof buf, "%ld", st->last_probe_line);
    return row_error(r, COL_TIME, NULL, "probes of one account and service must be in time order: this one "
                     "is earlier than the one on line %s", buf);
  }
  if (!st && !(st = slac_svc_probes(sv))) return oom(r);
  st->last_probe = t;
  st->last_probe_line = r->line;
  if (slac_dataset_touch(r->ds, slac_month_of(t)) != 0) return oom(r);
  if (!up) return add_pending(r, st, t);
  if (st->npending) {
    slac_spanset *counting = slac_svc_counting(sv);
    if (!counting) return oom(r);
    if (add_span(r, counting, st->pending[0].start, t)) return -1;
    st->npending = 0;
  }
  return 0;
}

int slac_finish_probes(slac_dataset *ds) {
  for (size_t i = 0; i < ds->naccounts; i++)
    for (int s = 0; s < ds->p->nservices; s++) {
      slac_svc_state *sv = &ds->accounts[i].svc[s];
      slac_probe_state *st = sv->probes;
      if (!st || !st->npending) continue;
      slac_spanset *counting = slac_svc_counting(sv);
      if (!counting) return -1;
      for (size_t k = 0; k < st->npending; k++) {
        if (slac_spanset_add(counting, st->pending[k].start, st->pending[k].end) != 0) return -1;
        if (counting->npend) ds->unmerged = true;
      }
      st->npending = 0;
    }
  return slac_dataset_flush(ds);
}

void slac_downtime_view(const slac_dataset *ds, const slac_svc_state *s, int service,
                        slac_downtime_input *in, int64_t *caps, int *cap_months) {
  const slac_prog_service *ps = &ds->p->services[service];
  static slac_spanset empty[256];
  memset(in, 0, sizeof *in);
  if (s->counting) in->counting = *s->counting; /* else empty */
  in->nexcluded = ds->p->ncauses;
  /* causes without a spanset (never seen) share a static empty one */
  in->excluded = s->excluded ? s->excluded : empty;
  for (int c = 0; c < ds->p->ncauses; c++) {
    caps[c] = ps->rules[c].mode == SLAC_PC_CAPPED ? (int64_t)ps->rules[c].cap_seconds : -1;
    cap_months[c] = ps->rules[c].cap_months;
  }
  in->cap_seconds = caps;
  in->cap_months = cap_months;
  in->late = s->late;
  in->nlate = (size_t)ds->late_causes;
  in->min_run_minutes = ps->min_run_minutes;
}

/* Is the window [T, T+LEN) of service S in an applied exclusion of its
 * month M?  SRC holds the account's incidents (NULL: none); entry CI
 * (account and service) of the reader's cache keeps the month's applied
 * exclusions. */
static int window_excluded(reader *r, size_t ci, const slac_svc_state *src, int s,
                           slac_month m, slac_time t, int64_t len, bool *out) {
  if (!src || !src->excluded) { *out = false; return 0; }
  slac_row_cache *c = &r->cache;
  if (!c->excl && !(c->excl = calloc(c->cap * (size_t)c->nservices, sizeof *c->excl)))
    return oom(r);
  slac_excl_cache *x = c->excl[ci];
  if (!x || x->month != m) {
    if (!x) {
      if (!(x = calloc(1, sizeof *x))) return oom(r);
      slac_spanset_init(&x->excl);
      c->excl[ci] = x;
    }
    slac_downtime_input in;
    int64_t caps[256];
    int months[256];
    slac_downtime_view(r->ds, src, s, &in, caps, months);
    if (slac_downtime_exclusions(&in, m, &x->excl) != 0) {
      x->month = 0; /* not a month of the data: computed again next time */
      slac_spanset_free(&x->excl);
      return oom(r);
    }
    x->month = m;
  }
  *out = slac_spanset_overlaps(&x->excl, t, t + len);
  return 0;
}

static int read_window(reader *r, uint32_t file, bool exact_pass) {
  slac_account *a = row_account(r, file);
  int s;
  slac_time t;
  uint64_t requests, errors;
  if (!a || find_service(r, &s) || parse_time(r, COL_START, &t) ||
      parse_count(r, COL_REQUESTS, &requests) || row_errors(r, s, &errors))
    return -1;
  const slac_program *p = r->ds->p;
  const slac_prog_service *ps = &p->services[s];
  slac_svc_state *st = &a->svc[s];
  /* the row's account is the cache's last (row_account) */
  size_t ci = r->cache.last_i * (size_t)r->cache.nservices + (size_t)s;
  slac_svc_cache *sc = &r->cache.svc[ci];
  char buf[256];
  int64_t len = ps->metric == SLAC_PM_ERROR_RATE ? ps->window_seconds : 60;
  if (exact_pass) {
    slac_month m = slac_month_of(t);
    slac_window_month *wm = slac_svc_window_month(st, m);
    bool excluded = false;
    if (!wm) return oom(r);
    if (!wm->exact || requests == 0) return 0;
    if (st->excluded && window_excluded(r, ci, st, s, m, t, len, &excluded)) return -1;
    if (!excluded) slac_exactsum_add(wm->exact, errors, requests);
    return 0;
  }
  if (errors > requests) {
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)requests);
    return row_error(r, COL_ERRORS, NULL, "errors cannot exceed requests (%s)", buf);
  }
  if (ps->metric == SLAC_PM_MINUTES && !ps->has_rate_rule)
    return row_error(r, COL_SERVICE, NULL, "service \"%s\" counts unavailable minutes and has no error-rate rule, so "
                     "request windows cannot be used for it", p->strings[ps->id]);
  if (((t % len) + len) % len != 0) {
    snprintf(buf, sizeof buf, "%lld", (long long)len);
    return row_error(r, COL_START, NULL, "a window must start on a multiple of its length (%s s) since 1970-01-01T00:00:00Z", buf);
  }
  if (st->windows_seen && t <= st->last_window) {
    snprintf(buf, sizeof buf, "%ld", st->last_window_line);
    return row_error(r, COL_START, NULL, "windows of one account and service must be in time order, each once: this one "
                     "does not come after the one on line %s", buf);
  }
  if (!st->windows_seen) st->first_window = t;
  st->windows_seen = true;
  st->last_window = t;
  st->last_window_line = r->line;
  if (!(t >= sc->win_lo && t - sc->win_lo < sc->win_len)) { /* a new month for this service */
    slac_month m = slac_month_of(t);
    if (slac_dataset_touch(r->ds, m) != 0) return oom(r);
    sc->win_month = m;
    sc->win_lo = slac_month_start(m);
    sc->win_len = (uint32_t)(slac_month_start(m + 1) - sc->win_lo);
  }
  /* the incidents are in the main dataset when this is one part of a file */
  const slac_svc_state *src = !r->main ? st : a->origin ? &r->main->accounts[a->origin - 1].svc[s] : NULL;
  bool excluded = false; /* the call only for an account with exclusions: once per row */
  if (src && src->excluded && window_excluded(r, ci, src, s, sc->win_month, t, len, &excluded))
    return -1;
  if (ps->metric == SLAC_PM_MINUTES) {
    /* a minute is down when its error rate passes the threshold with
     * enough requests: errors/requests > x%  <=>  errors*100 > x*requests */
    if (excluded || requests < ps->min_requests || requests == 0) return 0;
    slac_num x = p->nums[ps->rate_threshold];
    unsigned __int128 lhs = (unsigned __int128)errors * 100u * 1000000000000u;
    unsigned __int128 rhs = (unsigned __int128)x.units * requests;
    if (ps->rate_inclusive ? lhs >= rhs : lhs > rhs) {
      slac_spanset *counting = slac_svc_counting(st);
      return counting ? add_span(r, counting, t, t + 60) : oom(r);
    }
    return 0;
  }
  /* windows come in time order: the month's sums are the service's last */
  slac_window_month *wm = st->nmonths ? &st->months[st->nmonths - 1] : NULL;
  if (!wm || wm->month != sc->win_month) {
    wm = slac_svc_window_month(st, sc->win_month);
    if (!wm) return oom(r);
  }
  if (requests > 0) wm->with_requests++;
  if (r->ds->keep_days && (excluded || (requests > 0 && errors > 0))) {
    slac_window_day *days = slac_window_days(r->ds, wm);
    if (!days) return oom(r);
    slac_window_day *day = &days[(t - sc->win_lo) / 86400];
    if (excluded) day->excluded++;
    else day->errored++;
  }
  if (excluded) { wm->excluded++; return 0; }
  if (requests > 0) slac_ratesum_add(&wm->sum, errors, requests);
  return 0;
}

int slac_read_data(slac_dataset *ds, const char *path, slac_data_kind kind, uint32_t file,
                   bool exact_pass, slac_diags *d) {
  return slac_read_data_from(ds, NULL, path, kind, file, exact_pass, d);
}

int slac_read_data_from(slac_dataset *ds, FILE *in, const char *path, slac_data_kind kind,
                        uint32_t file, bool exact_pass, slac_diags *d) {
  reader r;
  int rc = open_reader(&r, ds, d, path, in, false, ds->layout);
  static const int inc[] = {COL_SERVICE, COL_START, COL_END, COL_ACCOUNT, COL_CAUSE, COL_ANNOUNCED};
  static const int win[] = {COL_SERVICE, COL_START, COL_REQUESTS, COL_ERRORS, COL_ACCOUNT};
  static const int pro[] = {COL_SERVICE, COL_TIME, COL_OK, COL_ACCOUNT};
  if (rc == 0 && kind == SLAC_DATA_WINDOWS) rc = find_kind_columns(&r);
  if (rc == 0)
    rc = kind == SLAC_DATA_INCIDENTS ? require(&r, inc, 3, "incidents")
         : kind == SLAC_DATA_WINDOWS ? require(&r, win, r.any_kind_column ? 3 : 4, "request windows")
                                     : require(&r, pro, 3, "probes");
  /* the optional columns the user mapped must be there too */
  if (rc == 0)
    rc = kind == SLAC_DATA_INCIDENTS ? require_mapped(&r, inc, 6, "incidents")
         : kind == SLAC_DATA_WINDOWS ? require_mapped(&r, win, 5, "request windows")
                                     : require_mapped(&r, pro, 4, "probes");
  r.cache.windows = kind == SLAC_DATA_WINDOWS;
  if (rc == 0) rc = cache_fit(&r); /* the accounts already there */
  uint64_t reported = 0;
  unsigned rows = 0;
  bool counted = !exact_pass && !in; /* files only, and only once */
  incident_batch batch = {0};
  while (rc == 0 && (rc = next_row_batched(&r, &batch, file)) == 1) {
    rc = kind == SLAC_DATA_INCIDENTS ? read_incident_batched(&r, &batch, file)
         : kind == SLAC_DATA_WINDOWS ? read_window(&r, file, exact_pass)
                                     : read_probe(&r, file);
    if (counted && ++rows % PROGRESS_ROWS == 0) progress_to(&r, &reported);
  }
  if (rc == 0 && batch.n) rc = batch_fold(&r, &batch, file); /* the rows left at the end */
  if (counted) progress_to(&r, &reported);
  if (rc == 0 && slac_dataset_flush(ds) != 0) rc = oom(&r); /* readers.h */
  close_reader(&r);
  return rc < 0 ? -1 : 0;
}

int slac_account_owner(const char *name, size_t len, int owners) {
  uint32_t h = 2166136261u; /* FNV-1a: any hash does, if all threads use it */
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
  return (int)(h % (uint32_t)owners);
}

/* Is the current row another thread's (slac_read_part with OWNERS > 1)?
 * A row without an account column is the account "default"'s. */
static bool not_mine(reader *r, int owner, int owners) {
  if (r->col[COL_ACCOUNT] < 0) return slac_account_owner("default", 7, owners) != owner;
  slac_field f = field(r, COL_ACCOUNT);
  return slac_account_owner(f.ptr, f.len, owners) != owner;
}

int slac_read_part(slac_dataset *part, const slac_dataset *main, const char *path,
                   slac_data_kind kind, uint32_t file, uint64_t offset, uint64_t limit, int owner,
                   int owners, long *lines, slac_diags *d) {
  reader r;
  int rc = open_reader(&r, part, d, path, NULL, false, part->layout); /* the header: the columns */
  r.main = main;
  r.cache.windows = kind == SLAC_DATA_WINDOWS;
  if (rc == 0 && kind == SLAC_DATA_WINDOWS) rc = find_kind_columns(&r);
  if (rc == 0) rc = cache_fit(&r);
  size_t nfields = rc == 0 ? slac_csv_field_count(r.csv) : 0;
  if (rc == 0) {
    slac_csv_close(r.csv);
    r.csv = NULL;
    if (fseeko(r.f, (off_t)offset, SEEK_SET) != 0) {
      rc = row_error(&r, -1, NULL, "cannot seek: %s", strerror(errno));
    } else if (!(r.csv = slac_csv_open_part(r.f, path, nfields, limit))) {
      rc = oom(&r);
    }
  }
  uint64_t reported = 0;
  unsigned rows = 0;
  incident_batch batch = {0};
  while (rc == 0 && (rc = next_row_batched(&r, &batch, file)) == 1) {
    if (owners > 1 && not_mine(&r, owner, owners)) rc = 0;
    else if (kind == SLAC_DATA_WINDOWS) rc = read_window(&r, file, false);
    else rc = read_incident_batched(&r, &batch, file);
    if (++rows % PROGRESS_ROWS == 0) progress_to(&r, &reported);
  }
  if (rc == 0 && batch.n) rc = batch_fold(&r, &batch, file); /* the rows left at the end */
  progress_to(&r, &reported);
  if (rc == 0 && slac_dataset_flush(part) != 0) rc = oom(&r);
  if (rc == 0) *lines = slac_csv_line(r.csv) - 1;
  close_reader(&r);
  return rc < 0 ? -1 : 0;
}
