/* accesslog.c - Common/Combined Log Format lines -> request windows: the
 * line parser, a streaming line reader, and the per-window map (see
 * accesslog.h). */
#include "runtime/ingest/accesslog.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/hash.h"

/* ---- one line -------------------------------------------------------------- */

static bool digit(char c) { return c >= '0' && c <= '9'; }

static int num(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static bool all_digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (!digit(s[i])) return false;
  return true;
}

static int days_in(int64_t y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  return m == 2 && leap ? 29 : d[m - 1];
}

/* "dd/Mon/yyyy:hh:mm:ss +hhmm" (26 bytes) -> UTC. */
static int parse_clf_time(const char *s, slac_time *out, const char **why) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  *why = "the timestamp is not [dd/Mon/yyyy:hh:mm:ss +hhmm]";
  if (!all_digits(s, 2) || s[2] != '/' || s[6] != '/' || !all_digits(s + 7, 4) ||
      s[11] != ':' || !all_digits(s + 12, 2) || s[14] != ':' || !all_digits(s + 15, 2) ||
      s[17] != ':' || !all_digits(s + 18, 2) || s[20] != ' ' ||
      (s[21] != '+' && s[21] != '-') || !all_digits(s + 22, 4))
    return -1;
  int month = 0;
  for (int m = 0; m < 12; m++)
    if (memcmp(s + 3, months + 3 * m, 3) == 0) month = m + 1;
  if (!month) {
    *why = "the month is not Jan, Feb, ... Dec";
    return -1;
  }
  int day = num(s, 2), year = num(s + 7, 4), h = num(s + 12, 2), mi = num(s + 15, 2),
      sec = num(s + 18, 2), oh = num(s + 22, 2), om = num(s + 24, 2);
  if (year < 1 || day < 1 || day > days_in(year, month)) {
    *why = "the date does not exist";
    return -1;
  }
  if (h > 23 || mi > 59 || sec > 60) {
    *why = "the time of day does not exist";
    return -1;
  }
  if (oh > 23 || om > 59) {
    *why = "the offset is not +hhmm or -hhmm";
    return -1;
  }
  if (sec == 60) sec = 59; /* a leap second folds into the second before, as elsewhere */
  int64_t off = (int64_t)oh * 3600 + om * 60;
  slac_time t = slac_days_from_civil(year, month, day) * 86400 + (int64_t)h * 3600 + mi * 60 +
                sec - (s[21] == '+' ? off : -off);
  /* The offset can move 0001-01-01 or 9999-12-31 out of the years the
   * data files hold: the window row would be one `slac eval` rejects, so
   * the line is malformed, as such a time is in JSON. */
  if (slac_time_check_range(t, why) != 0) return -1;
  *out = t;
  return 0;
}

/* A double-quoted field starting at S[*I]: moves *I past the closing
 * quote (backslash escapes a character, as Apache writes them). */
static bool quoted(const char *s, size_t len, size_t *i) {
  if (*i >= len || s[*i] != '"') return false;
  for (size_t k = *i + 1; k < len; k++) {
    if (s[k] == '\\') {
      k++;
      continue;
    }
    if (s[k] == '"') {
      *i = k + 1;
      return true;
    }
  }
  return false;
}

int slac_clf_parse(const char *s, size_t len, slac_clf_line *out, const char **why) {
  /* host, ident and user: non-empty, separated by single spaces; the user
   * runs to the " [" that opens the timestamp */
  size_t i = 0;
  for (int tok = 0; tok < 2; tok++) {
    size_t start = i;
    while (i < len && s[i] != ' ') i++;
    if (i == start || i == len) {
      *why = "expected HOST IDENT USER [TIME] \"REQUEST\" STATUS BYTES";
      return -1;
    }
    i++;
  }
  size_t user = i;
  while (i + 1 < len && !(s[i] == ' ' && s[i + 1] == '[')) i++;
  if (i == user || i + 1 >= len) {
    *why = "expected HOST IDENT USER [TIME] \"REQUEST\" STATUS BYTES";
    return -1;
  }
  i += 2;
  if (len - i < 27 || s[i + 26] != ']') {
    *why = "the timestamp is not [dd/Mon/yyyy:hh:mm:ss +hhmm]";
    return -1;
  }
  if (parse_clf_time(s + i, &out->time, why) != 0) return -1;
  i += 27;
  if (i >= len || s[i] != ' ' || (i++, !quoted(s, len, &i))) {
    *why = "expected the request in double quotes after the timestamp";
    return -1;
  }
  if (len - i < 4 || s[i] != ' ' || !all_digits(s + i + 1, 3) || s[i + 1] < '1' ||
      s[i + 1] > '5' || (i + 4 < len && s[i + 4] != ' ')) {
    *why = "expected a status code 100..599 after the request";
    return -1;
  }
  out->status = num(s + i + 1, 3);
  i += 4;
  if (i >= len || s[i] != ' ') {
    *why = "expected the size in bytes (or -) after the status";
    return -1;
  }
  i++;
  size_t b = i;
  if (i < len && s[i] == '-')
    i++;
  else
    while (i < len && digit(s[i])) i++;
  if (i == b || (i < len && s[i] != ' ')) {
    *why = "expected the size in bytes (or -) after the status";
    return -1;
  }
  if (i == len) return 0; /* Common Log Format */
  /* Combined: " "REFERER" "AGENT"", then anything (extra fields) */
  i++;
  if (!quoted(s, len, &i) || i >= len || s[i] != ' ' || (i++, !quoted(s, len, &i)) ||
      (i < len && s[i] != ' ')) {
    *why = "expected \"REFERER\" \"USER-AGENT\" after the size";
    return -1;
  }
  return 0;
}

/* ---- windows ----------------------------------------------------------------- */

typedef struct {
  slac_time start; /* EMPTY when the slot is free */
  uint64_t requests, errors;
} window;

#define EMPTY INT64_MIN

typedef struct {
  window *slots;
  size_t cap, used; /* cap is a power of two; used <= cap * 3 / 4 */
  slac_hash_key key;
} window_map;

/* Keyed (runtime/base/hash.h): the timestamps are the log's, and with a
 * fixed multiplier, starts chosen to share a slot made one probe run as
 * long as the log (100,000 lines took 8.4 s instead of 0.04 s).  The rows
 * are sorted by start when written, so the key changes no output. */
static size_t slot_of(const window_map *m, slac_time start, size_t cap) {
  return (size_t)slac_hash_u64(m->key, (uint64_t)start) & (cap - 1);
}

static window *map_get(window_map *m, slac_time start) {
  if (m->used + 1 > m->cap / 4 * 3) { /* linear probing stays short up to 3/4 */
    size_t cap = m->cap ? m->cap * 2 : 1024;
    window *n = malloc(cap * sizeof *n);
    if (!n) return NULL;
    for (size_t i = 0; i < cap; i++) n[i].start = EMPTY;
    for (size_t i = 0; i < m->cap; i++) {
      if (m->slots[i].start == EMPTY) continue;
      size_t k = slot_of(m, m->slots[i].start, cap);
      while (n[k].start != EMPTY) k = (k + 1) & (cap - 1);
      n[k] = m->slots[i];
    }
    free(m->slots);
    m->slots = n;
    m->cap = cap;
  }
  size_t k = slot_of(m, start, m->cap);
  while (m->slots[k].start != EMPTY && m->slots[k].start != start) k = (k + 1) & (m->cap - 1);
  if (m->slots[k].start == EMPTY) {
    m->slots[k].start = start;
    m->slots[k].requests = m->slots[k].errors = 0;
    m->used++;
  }
  return &m->slots[k];
}

static int by_start(const void *a, const void *b) {
  const window *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* ---- lines ------------------------------------------------------------------- */

typedef struct {
  FILE *f;
  char *buf;
  size_t start, end; /* unread bytes are buf[start..end) */
  bool eof;
  long line;
} line_reader;

/* The next line in *S, *LEN (without "\n" or "\r\n"); *TOO_LONG when it
 * was longer than the buffer (its bytes are skipped).  Returns 1, 0 at the
 * end, -1 on a read error. */
static int next_line(line_reader *r, const char **s, size_t *len, bool *too_long) {
  *too_long = false;
  for (;;) {
    char *nl = r->start < r->end ? memchr(r->buf + r->start, '\n', r->end - r->start) : NULL;
    if (nl || (r->eof && r->start < r->end)) {
      size_t e = nl ? (size_t)(nl - r->buf) : r->end;
      *s = r->buf + r->start;
      *len = e - r->start;
      if (*len > 0 && (*s)[*len - 1] == '\r') (*len)--;
      r->start = nl ? e + 1 : r->end;
      r->line++;
      return 1;
    }
    if (r->eof) return 0;
    if (r->start > 0) {
      memmove(r->buf, r->buf + r->start, r->end - r->start);
      r->end -= r->start;
      r->start = 0;
    }
    if (r->end == SLAC_ACCESSLOG_MAX_LINE) {
      /* too long: drop what we have, then everything up to a newline */
      *too_long = true;
      r->end = 0;
      int c;
      while ((c = getc(r->f)) != EOF && c != '\n') {}
      if (c == EOF) {
        if (ferror(r->f)) return -1;
        r->eof = true;
      }
      r->line++;
      *s = r->buf;
      *len = 0;
      return 1;
    }
    size_t got = fread(r->buf + r->end, 1, SLAC_ACCESSLOG_MAX_LINE - r->end, r->f);
    r->end += got;
    if (got == 0) {
      if (ferror(r->f)) return -1;
      r->eof = true;
    }
  }
}

struct slac_accesslog {
  int service;
  int64_t window;
  window_map map;
  char *buf; /* the line buffer, SLAC_ACCESSLOG_MAX_LINE bytes */
};

slac_accesslog *slac_accesslog_new(const slac_program *p, int service) {
  slac_accesslog *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->service = service;
  a->window = slac_ingest_window_seconds(p, service);
  a->map.key = slac_hash_process_key();
  a->buf = malloc(SLAC_ACCESSLOG_MAX_LINE);
  if (!a->buf || a->window <= 0) {
    slac_accesslog_free(a);
    return NULL;
  }
  return a;
}

void slac_accesslog_free(slac_accesslog *a) {
  if (!a) return;
  free(a->buf);
  free(a->map.slots);
  free(a);
}

int slac_accesslog_read(slac_accesslog *a, slac_ingest *g, FILE *f) {
  const slac_ingest_options *o = g->o;
  int64_t w = a->window;
  line_reader r = {f, a->buf, 0, 0, false, 0};
  uint64_t requests = 0, errors = 0, left_out = 0;
  const char *s;
  size_t len;
  bool too_long;
  int got;
  while ((got = next_line(&r, &s, &len, &too_long)) == 1) {
    g->records++;
    slac_clf_line l;
    const char *why = "the line is empty";
    if (too_long) {
      g->skipped[SLAC_SKIP_MALFORMED]++;
      slac_ingest_warn(g, r.line, "malformed access log line: longer than %u bytes; not used",
                       SLAC_ACCESSLOG_MAX_LINE);
      continue;
    }
    if (len == 0 || slac_clf_parse(s, len, &l, &why) != 0) {
      g->skipped[SLAC_SKIP_MALFORMED]++;
      slac_ingest_warn(g, r.line, "malformed access log line: %s; not used", why);
      continue;
    }
    g->used++;
    if (o->valid == SLAC_VALID_NO_4XX && l.status >= 400 && l.status < 500) {
      left_out++;
      continue;
    }
    slac_time start = l.time - ((l.time % w) + w) % w;
    window *win = map_get(&a->map, start);
    if (!win) {
      g->oom = true;
      return -1;
    }
    win->requests++;
    requests++;
    if (l.status >= 500) {
      win->errors++;
      errors++;
    }
  }
  if (got < 0) {
    if (g->diags) slac_diag_plain(g->diags, SLAC_ERROR, "cannot read '%s': %s", g->path, strerror(errno));
    return -1;
  }
  char extra[200];
  int k = snprintf(extra, sizeof extra, "%llu requests, %llu errors (5xx)",
                   (unsigned long long)requests, (unsigned long long)errors);
  if (left_out && k > 0 && (size_t)k < sizeof extra)
    snprintf(extra + k, sizeof extra - (size_t)k, ", %llu 4xx left out (--valid no-4xx)",
             (unsigned long long)left_out);
  slac_ingest_summary(g, "lines", extra);
  return 0;
}

int slac_accesslog_write(slac_accesslog *a, slac_ingest *g) {
  window_map *m = &a->map;
  slac_ingest_window_header(g);
  /* in time order: pack the used slots to the front and sort them; the
   * map is spent */
  size_t n = 0;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].start != EMPTY) m->slots[n++] = m->slots[i];
  if (n > 1) qsort(m->slots, n, sizeof *m->slots, by_start);
  for (size_t i = 0; i < n; i++)
    slac_ingest_window_row(g, a->service, m->slots[i].start, m->slots[i].requests,
                           m->slots[i].errors);
  free(m->slots);
  m->slots = NULL;
  m->cap = m->used = 0;
  return 0;
}
