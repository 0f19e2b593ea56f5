/* testfile.c - reading a test file (testfile.h): a line-oriented text,
 * each line a word and its arguments, indented lines the content of the
 * block the line before opened.  Every mistake is reported at its line
 * and column, and reading goes on, so that one run shows them all. */
#include "cli/testfile.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/diag_hold.h"
#include "runtime/base/names.h"

typedef struct {
  slac_source src;
  slac_diags *d;
  slac_test_file *f;
  char *dir;               /* of the test file, with its '/', or "" */
  char *default_policy;
  slac_test_case *cur;     /* the case being read, or NULL */
  /* the open block: where its lines go */
  char **block_text;
  size_t *block_len;
  size_t blanks;           /* blank lines seen in it, kept if more follow */
  char *discard;           /* the lines of a block refused: read, not kept */
  size_t discard_len;
  bool oom;
} reader;

static void *grow(reader *r, void *v, int n, size_t size) {
  /* room for one more when N is a power of two or zero */
  if (n & (n - 1)) return v;
  void *g = realloc(v, (size_t)(n ? 2 * n : 1) * size);
  if (!g) r->oom = true;
  return g;
}

static char *dup_n(reader *r, const char *s, size_t n) {
  char *t = malloc(n + 1);
  if (!t) { r->oom = true; return NULL; }
  memcpy(t, s, n);
  t[n] = 0;
  return t;
}

static void append(reader *r, const char *s, size_t n) {
  char *t = realloc(*r->block_text, *r->block_len + n + 1);
  if (!t) { r->oom = true; return; }
  memcpy(t + *r->block_len, s, n);
  *r->block_len += n;
  t[*r->block_len] = 0;
  *r->block_text = t;
}

/* PATH as written in the test file: relative to the file's folder. */
static char *resolve(reader *r, const char *path, size_t n) {
  if (path[0] == '/') return dup_n(r, path, n);
  size_t dl = strlen(r->dir);
  char *t = malloc(dl + n + 1);
  if (!t) { r->oom = true; return NULL; }
  memcpy(t, r->dir, dl);
  memcpy(t + dl, path, n);
  t[dl + n] = 0;
  return t;
}

static void error_at(reader *r, int line, size_t col, size_t n, const char *msg) {
  slac_loc loc = {line, (int)col + 1, line, (int)(col + (n ? n : 1)) + 1};
  slac_diag(r->d, &r->src, loc, SLAC_ERROR, "%s", msg);
}

/* The next word of TEXT from *AT: a run of non-blanks, or a "quoted"
 * string (its quotes dropped).  Returns its length (0 at the end) and its
 * start in *START. */
static size_t next_word(const char *text, size_t len, size_t *at, size_t *start) {
  size_t i = *at;
  while (i < len && (text[i] == ' ' || text[i] == '\t')) i++;
  if (i < len && text[i] == '"') {
    size_t e = i + 1;
    while (e < len && text[e] != '"') e++;
    *start = i + 1;
    *at = e < len ? e + 1 : e;
    return e - i - 1;
  }
  size_t e = i;
  while (e < len && text[e] != ' ' && text[e] != '\t') e++;
  *start = i;
  *at = e;
  return e - i;
}

static const char *const words[] = {"policy", "test",   "period", "data",   "incidents", "windows",
                                    "accounts", "claims", "history", "expect", NULL};

static slac_test_input *new_input(reader *r, slac_test_input_kind kind, int line) {
  slac_test_case *c = r->cur;
  slac_test_input *v = grow(r, c->inputs, c->ninputs, sizeof *v);
  if (!v) return NULL;
  c->inputs = v;
  slac_test_input *in = &v[c->ninputs++];
  memset(in, 0, sizeof *in);
  in->kind = kind;
  in->line = line;
  return in;
}

static slac_test_expect *new_expect(reader *r, slac_test_expect_kind kind, int line) {
  slac_test_case *c = r->cur;
  slac_test_expect *v = grow(r, c->expects, c->nexpects, sizeof *v);
  if (!v) return NULL;
  c->expects = v;
  slac_test_expect *e = &v[c->nexpects++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->line = line;
  return e;
}

static void read_expect(reader *r, int line, const char *text, size_t len, size_t at) {
  size_t s0, n0 = next_word(text, len, &at, &s0);
  size_t rest = at;
  while (rest < len && (text[rest] == ' ' || text[rest] == '\t')) rest++;
  if (rest == len && n0 > 0) {
    static const char *const blocks[] = {"text", "jsonl", "csv", "error", "warnings"};
    static const slac_test_expect_kind kinds[] = {SLAC_TEXP_TEXT, SLAC_TEXP_JSONL, SLAC_TEXP_CSV,
                                                  SLAC_TEXP_ERROR, SLAC_TEXP_WARNINGS};
    for (int k = 0; k < 5; k++)
      if (strlen(blocks[k]) == n0 && memcmp(text + s0, blocks[k], n0) == 0) {
        slac_test_expect *e = new_expect(r, kinds[k], line);
        if (!e) return;
        e->value = dup_n(r, "", 0);
        r->block_text = &e->value;
        r->block_len = &e->len;
        r->blanks = 0;
        return;
      }
  }
  size_t s1, n1 = next_word(text, len, &at, &s1);
  size_t s2, n2 = next_word(text, len, &at, &s2);
  while (at < len && (text[at] == ' ' || text[at] == '\t')) at++;
  if (n0 == 0 || n1 == 0 || n2 == 0 || at == len) {
    error_at(r, line, 0, 6, "write `expect ACCOUNT MONTH FIELD VALUE`, `expect ACCOUNT MONTH reason "
             "TEXT`, or `expect text|jsonl|csv|error|warnings` followed by indented lines");
    return;
  }
  bool month_ok = n1 == 7 && text[s1 + 4] == '-';
  for (size_t i = 0; i < n1 && month_ok; i++) month_ok = i == 4 || (text[s1 + i] >= '0' && text[s1 + i] <= '9');
  if (!month_ok) {
    error_at(r, line, s1, n1, "a month is written YYYY-MM, like 2026-10");
    return;
  }
  bool reason = n2 == 6 && memcmp(text + s2, "reason", 6) == 0;
  slac_test_expect *e = new_expect(r, reason ? SLAC_TEXP_REASON : SLAC_TEXP_FIELD, line);
  if (!e) return;
  e->account = dup_n(r, text + s0, n0);
  e->month = dup_n(r, text + s1, n1);
  e->field = reason ? NULL : dup_n(r, text + s2, n2);
  size_t end = len;
  while (end > at && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
  e->value = dup_n(r, text + at, end - at);
  e->len = end - at;
}

static void read_line(reader *r, int line, const char *text, size_t len) {
  size_t at = 0, s, n = next_word(text, len, &at, &s);
  size_t rest = at;
  while (rest < len && (text[rest] == ' ' || text[rest] == '\t')) rest++;
  size_t end = len;
  while (end > rest && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
  const char *arg = text + rest;
  size_t alen = end - rest;
  int w = -1;
  for (int k = 0; words[k]; k++)
    if (strlen(words[k]) == n && memcmp(text + s, words[k], n) == 0) w = k;
  if (w < 0) {
    char word[64];
    size_t wn = n < 60 ? n : 60;
    while (wn < n && wn > 0 && ((unsigned char)text[s + wn] & 0xC0) == 0x80) wn--; /* whole characters */
    snprintf(word, sizeof word, "%.*s", (int)wn, text + s);
    const char *near = NULL;
    for (int k = 0; words[k] && !near; k++)
      if (slac_edit_distance(word, words[k]) <= 2) near = words[k];
    if (near) {
      slac_loc loc = {line, (int)s + 1, line, (int)(s + n) + 1};
      slac_diag_fix(r->d, &r->src, loc, SLAC_ERROR, near, "unknown word '%s' (did you mean '%s'?)", word, near);
    } else {
      char msg[256];
      snprintf(msg, sizeof msg, "unknown word '%s': a line starts with test, policy, period, data, "
               "accounts, claims, history or expect", word);
      error_at(r, line, s, n, msg);
    }
    return;
  }
  const char *kw = words[w];
  if (strcmp(kw, "test") == 0) {
    if (alen == 0) { error_at(r, line, s, n, "a test has a name: `test 30 minutes of outage give 25%`"); return; }
    slac_test_case *v = grow(r, r->f->cases, r->f->ncases, sizeof *v);
    if (!v) return;
    r->f->cases = v;
    r->cur = &v[r->f->ncases++];
    memset(r->cur, 0, sizeof *r->cur);
    r->cur->name = dup_n(r, arg, alen);
    r->cur->line = line;
    return;
  }
  if (strcmp(kw, "policy") == 0) {
    if (alen == 0) { error_at(r, line, s, n, "write `policy FILE.sla` (or .slbc)"); return; }
    char *p = resolve(r, arg, alen);
    char **slot = r->cur ? &r->cur->policy : &r->default_policy;
    free(*slot);
    *slot = p;
    return;
  }
  if (!r->cur) {
    char msg[80];
    snprintf(msg, sizeof msg, "`%s` belongs to a test: write `test NAME` before it", kw);
    error_at(r, line, s, n, msg);
    return;
  }
  if (strcmp(kw, "period") == 0) {
    bool ok = alen == 7 && arg[4] == '-';
    for (size_t i = 0; i < alen && ok; i++) ok = i == 4 || (arg[i] >= '0' && arg[i] <= '9');
    if (!ok) { error_at(r, line, rest, alen, "write `period YYYY-MM`, like period 2026-10"); return; }
    memcpy(r->cur->period, arg, 7);
    r->cur->period[7] = 0;
    return;
  }
  if (strcmp(kw, "expect") == 0) {
    read_expect(r, line, text, len, at);
    return;
  }
  slac_test_input_kind kind = w <= 5 ? SLAC_TIN_DATA : w == 6 ? SLAC_TIN_ACCOUNTS : w == 7 ? SLAC_TIN_CLAIMS : SLAC_TIN_HISTORY;
  int same = 0;
  for (int i = 0; i < r->cur->ninputs; i++) same += r->cur->inputs[i].kind == kind;
  if (kind != SLAC_TIN_DATA && same > 0) {
    char msg[96];
    snprintf(msg, sizeof msg, "a test has one `%s`: this is a second one", kw);
    error_at(r, line, s, n, msg);
    if (alen == 0) { /* its lines are read, not reported one by one */
      r->block_text = &r->discard;
      r->block_len = &r->discard_len;
      r->blanks = 0;
    }
    return;
  }
  if (same >= SLAC_TEST_MAX_DATA) {
    error_at(r, line, s, n, "a test has at most 256 data files");
    if (alen == 0) {
      r->block_text = &r->discard;
      r->block_len = &r->discard_len;
      r->blanks = 0;
    }
    return;
  }
  slac_test_input *in = new_input(r, kind, line);
  if (!in) return;
  if (alen > 0) {
    in->path = resolve(r, arg, alen);
  } else {
    in->text = dup_n(r, "", 0);
    r->block_text = &in->text;
    r->block_len = &in->len;
    r->blanks = 0;
  }
}

static bool has_data(const slac_test_case *c) {
  for (int i = 0; i < c->ninputs; i++)
    if (c->inputs[i].kind == SLAC_TIN_DATA) return true;
  return false;
}

int slac_test_file_read(const char *path, slac_test_file *f, slac_diags *d) {
  return slac_test_file_read_as(path, path, f, d);
}

int slac_test_file_read_as(const char *path, const char *name, slac_test_file *f, slac_diags *d) {
  memset(f, 0, sizeof *f);
  reader r;
  memset(&r, 0, sizeof r);
  r.d = d;
  r.f = f;
  int errors = d->errors;
  f->path = strdup(name);
  const char *slash = strrchr(name, '/');
  r.dir = dup_n(&r, name, slash ? (size_t)(slash - name) + 1 : 0);
  if (!f->path || r.oom) { slac_diag_oom(d); free(r.dir); return -1; }
  if (slac_source_load(&r.src, path, d) != 0) {
    slac_source_free(&r.src);
    free(r.dir);
    return -1;
  }
  /* the checks at the end speak of earlier lines: all in line order */
  slac_diag_holder held;
  slac_diags_hold(d, &held);
  size_t nlines = 1;
  for (size_t i = 0; i < r.src.size; i++) nlines += r.src.text[i] == '\n';
  if (r.src.size && r.src.text[r.src.size - 1] == '\n') nlines--;
  for (int line = 1; line <= (int)nlines && !r.oom; line++) {
    size_t len;
    const char *text = slac_source_line(&r.src, line, &len);
    if (!text) { r.oom = r.src.text && !r.src.line_starts; break; }
    if (len && text[len - 1] == '\r') len--;
    size_t lead = 0;
    while (lead < len && (text[lead] == ' ' || text[lead] == '\t')) lead++;
    if (r.block_text) {
      if (lead == len) { r.blanks++; continue; }
      if (len >= 2 && text[0] == ' ' && text[1] == ' ') {
        for (; r.blanks; r.blanks--) append(&r, "\n", 1);
        append(&r, text + 2, len - 2);
        append(&r, "\n", 1);
        continue;
      }
      r.block_text = NULL;
    }
    if (lead == len || text[lead] == '#') continue;
    if (lead > 0) {
      error_at(&r, line, 0, lead, "an indented line outside a block: indented lines follow "
               "`data`, `accounts`, `claims`, `history` or `expect text|jsonl|csv|error|warnings`");
      continue;
    }
    read_line(&r, line, text, len);
  }
  /* every case has a policy and expects something */
  for (int i = 0; i < f->ncases && !r.oom; i++) {
    slac_test_case *c = &f->cases[i];
    if (!c->policy && r.default_policy) c->policy = strdup(r.default_policy);
    slac_loc loc = {c->line, 1, c->line, 5};
    if (!c->policy)
      slac_diag(d, &r.src, loc, SLAC_ERROR, "test '%s' has no policy: write `policy FILE.sla` at the top "
                "of the file or in the test", c->name);
    else if (!has_data(c))
      slac_diag(d, &r.src, loc, SLAC_ERROR, "test '%s' has no data: add `data` and its lines (or "
                "`data FILE`)", c->name);
    else if (c->nexpects == 0)
      slac_diag(d, &r.src, loc, SLAC_ERROR, "test '%s' expects nothing: add `expect ...` lines", c->name);
  }
  if (f->ncases == 0 && !r.oom) {
    slac_loc loc = {1, 1, 1, 1};
    slac_diag(d, &r.src, loc, SLAC_ERROR, "no test in this file: a test starts with `test NAME`");
  }
  if (r.oom) slac_diag_oom(d);
  slac_diags_release(&held);
  free(r.discard);
  free(r.default_policy);
  free(r.dir);
  slac_source_free(&r.src);
  return d->errors > errors || r.oom ? -1 : 0;
}

void slac_test_file_free(slac_test_file *f) {
  for (int i = 0; i < f->ncases; i++) {
    slac_test_case *c = &f->cases[i];
    free(c->name);
    free(c->policy);
    for (int k = 0; k < c->ninputs; k++) {
      free(c->inputs[k].path);
      free(c->inputs[k].text);
    }
    free(c->inputs);
    for (int k = 0; k < c->nexpects; k++) {
      free(c->expects[k].account);
      free(c->expects[k].month);
      free(c->expects[k].field);
      free(c->expects[k].value);
    }
    free(c->expects);
  }
  free(f->cases);
  free(f->path);
  memset(f, 0, sizeof *f);
}
