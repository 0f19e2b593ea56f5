/* fmt.c - a policy's parse tree printed in the canonical layout (fmt.h).
 *
 * Three steps.  The source is scanned once for its comments (the parser
 * drops them).  The tree is turned into items, one per line of output or
 * per block, each knowing the source range it came from.  The items are
 * then written in source order with their comments: a comment that
 * follows an item on the item's last line stays at the end of that line,
 * any other comment goes on its own line before the next item; citations
 * and tier arrows are aligned per block.  Numbers, citations and names are
 * printed from the source text they were read from, so that what the
 * lexer reads back is the same token. */
#include "compiler/fmt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* A growing text                                                      */

typedef struct {
  char *s;
  size_t n, cap;
  bool oom;
} text;

static void t_put(text *t, const char *s, size_t len) {
  if (t->oom) return;
  if (t->n + len + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->n + len + 1) cap *= 2;
    char *r = realloc(t->s, cap);
    if (!r) { t->oom = true; return; }
    t->s = r;
    t->cap = cap;
  }
  memcpy(t->s + t->n, s, len);
  t->n += len;
  t->s[t->n] = 0;
}

static void t_add(text *t, const char *fmt, ...) SLAC_PRINTF(2, 3);
static void t_add(text *t, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  if ((size_t)k < sizeof small) { t_put(t, small, (size_t)k); return; }
  char *big = malloc((size_t)k + 1);
  if (!big) { t->oom = true; return; }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)k + 1, fmt, ap);
  va_end(ap);
  t_put(t, big, (size_t)k);
  free(big);
}

/* A string literal: the text with '"' and '\\' escaped, in quotes. */
static void t_string(text *t, const char *s) {
  t_put(t, "\"", 1);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') t_put(t, "\\", 1);
    t_put(t, s, 1);
  }
  t_put(t, "\"", 1);
}

/* The text's own copy, or NULL (then the whole format fails). */
static char *t_take(text *t) {
  if (t->oom) { free(t->s); return NULL; }
  char *s = t->s ? t->s : calloc(1, 1);
  t->s = NULL;
  t->n = t->cap = 0;
  return s;
}

/* Width of S in characters (UTF-8 code points), as a reader counts. */
static size_t width(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

/* ------------------------------------------------------------------ */
/* The source: offsets of locations, and its comments                  */

typedef struct {
  size_t start, end;    /* bytes of the comment in the source text */
  int line, end_line;
  bool used;
} comment;

typedef struct {
  slac_source *src;
  slac_diags *d;
  bool failed;
  comment *comments;
  size_t ncomments, comments_cap;
} fmt;

static void *nomem(fmt *f) {
  if (!f->failed) slac_diag_oom(f->d);
  f->failed = true;
  return NULL;
}

/* Byte offset of line LINE, column COL (code points, 1-based). */
static size_t offset_of(fmt *f, int line, int col) {
  size_t len;
  const char *s = slac_source_line(f->src, line, &len);
  if (!s) return f->src->size;
  size_t at = 0;
  for (int c = 1; c < col && at < len; c++) at += slac_utf8_len((const unsigned char *)s + at, len - at);
  return (size_t)(s - f->src->text) + at;
}

/* The source text of LOC (one line), canonical spacing added by callers. */
static void t_source(text *t, fmt *f, slac_loc loc) {
  size_t a = offset_of(f, loc.first_line, loc.first_column);
  size_t b = loc.last_line == loc.first_line ? offset_of(f, loc.last_line, loc.last_column) : a;
  if (b < a) b = a;
  t_put(t, f->src->text + a, b - a);
}


/* Find every comment: outside strings, and outside the quoted names of
 * citations (§"..."), which may hold "//". */
static void scan_comments(fmt *f) {
  const char *s = f->src->text;
  size_t n = f->src->size;
  int line = 1;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\n') { line++; continue; }
    if (c == '"') { /* a string or a quoted citation: to its closing quote */
      for (i++; i < n && s[i] != '"' && s[i] != '\n'; i++)
        if (s[i] == '\\' && i + 1 < n) i++;
      if (i < n && s[i] == '\n') line++;
      continue;
    }
    if (c != '/' || i + 1 >= n || (s[i + 1] != '/' && s[i + 1] != '*')) continue;
    comment cm = {i, i, line, line, false};
    if (s[i + 1] == '/') {
      while (i < n && s[i] != '\n') i++;
      cm.end = i;
      i--; /* the newline is counted by the loop */
    } else {
      for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++) line += s[i] == '\n';
      i = i + 1 < n ? i + 1 : n - 1;
      cm.end = i + 1;
      cm.end_line = line;
    }
    if (f->ncomments == f->comments_cap) {
      size_t cap = f->comments_cap ? 2 * f->comments_cap : 16;
      comment *r = realloc(f->comments, cap * sizeof *r);
      if (!r) { nomem(f); return; }
      f->comments = r;
      f->comments_cap = cap;
    }
    f->comments[f->ncomments++] = cm;
  }
}

/* Is line LINE of the source blank (spaces only)? */
static bool blank_line(fmt *f, int line) {
  size_t len;
  const char *s = slac_source_line(f->src, line, &len);
  if (!s) return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
  return true;
}

/* ------------------------------------------------------------------ */
/* Items: what the tree becomes                                        */

typedef struct item {
  bool block;            /* a header line, children, a closing line */
  char *body;            /* the line (or the header) without its citations */
  char *cites;           /* "§2 §5(i)", or NULL */
  int arrow;             /* a tier: bytes of BODY before " -> ", else -1 */
  size_t start;          /* where it starts in the source */
  int first_line, last_line;
  size_t close;          /* BLOCK: where its closing brace is in the source */
  struct item *kids;
  size_t nkids, kids_cap;
} item;

static void free_items(item *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].body);
    free(v[i].cites);
    free_items(v[i].kids, v[i].nkids);
    free(v[i].kids);
  }
}

/* A new item under PARENT, started at LOC. */
static item *add_item(fmt *f, item *parent, slac_loc loc) {
  if (parent->nkids == parent->kids_cap) {
    size_t cap = parent->kids_cap ? 2 * parent->kids_cap : 8;
    item *r = realloc(parent->kids, cap * sizeof *r);
    if (!r) return nomem(f);
    parent->kids = r;
    parent->kids_cap = cap;
  }
  item *it = &parent->kids[parent->nkids++];
  memset(it, 0, sizeof *it);
  it->arrow = -1;
  it->start = offset_of(f, loc.first_line, loc.first_column);
  it->first_line = loc.first_line;
  it->last_line = loc.last_line;
  return it;
}

static void set_text(fmt *f, item *it, text *body, const slac_cite *cites) {
  it->body = t_take(body);
  if (!it->body) { nomem(f); return; }
  if (!cites) return;
  text c = {0};
  for (const slac_cite *x = cites; x; x = x->next) {
    if (x != cites) t_put(&c, " ", 1);
    t_source(&c, f, x->loc);
  }
  it->cites = t_take(&c);
  if (!it->cites) nomem(f);
}

/* A number with its unit as the lexer reads it back: "99.9%", "10 min",
 * "5.00 USD", "2nd", "2 months", "1". */
static void t_qty(text *t, fmt *f, const slac_quantity *q) {
  text raw = {0};
  t_source(&raw, f, q->loc);
  char *s = t_take(&raw);
  if (!s) { nomem(f); return; }
  size_t num = 0;
  if (s[num] == '-') num++;
  while ((s[num] >= '0' && s[num] <= '9') || s[num] == '.') num++;
  size_t word = num;
  while (s[word] == ' ' || s[word] == '\t') word++;
  t_put(t, s, num);
  if (s[word]) {
    bool glued = s[word] == '%' || q->unit == SLAC_UNIT_ORDINAL;
    if (!glued) t_put(t, " ", 1);
    t_put(t, s + word, strlen(s + word));
  }
  free(s);
}

static void t_names(text *t, const slac_name *n, bool strings) {
  for (const slac_name *x = n; x; x = x->next) {
    if (x != n) t_put(t, ", ", 2);
    if (strings) t_string(t, x->text);
    else t_put(t, x->text, strlen(x->text));
  }
}

static const char *base_text(slac_base b) {
  switch (b) {
  case SLAC_BASE_MONTHLY_FEE: return "monthly fee";
  case SLAC_BASE_AFFECTED_CHARGES: return "charges of affected services";
  case SLAC_BASE_SERVICE_CHARGE: return "service charge";
  case SLAC_BASE_PERIOD_FEES: return "fees";
  }
  return "monthly fee";
}

static const char *bound_text(slac_bound_kind k) {
  switch (k) {
  case SLAC_BOUND_BELOW: return "below";
  case SLAC_BOUND_AT_OR_BELOW: return "at or below";
  case SLAC_BOUND_ABOVE: return "above";
  case SLAC_BOUND_AT_OR_ABOVE: return "at or above";
  }
  return "below";
}

/* Conditions, with the parentheses their tree needs: `or` binds least,
 * then `and`, then `not`; a right operand of the same operator is
 * parenthesised too, so the tree (and the code) stays the same, and an
 * `and` inside an `or` is too, so that no reader has to know which binds
 * tighter. */
static int cond_prec(const slac_cond *k) {
  return k->kind == SLAC_COND_OR ? 1 : k->kind == SLAC_COND_AND ? 2 : k->kind == SLAC_COND_NOT ? 3 : 4;
}

static void t_cond(text *t, const slac_cond *k, int need) {
  if (!k) return;
  bool paren = cond_prec(k) < need;
  if (paren) t_put(t, "(", 1);
  switch (k->kind) {
  case SLAC_COND_PLAN_IN:
    if (k->plans && !k->plans->next) {
      t_put(t, "plan is ", 8);
      t_string(t, k->plans->text);
    } else {
      t_put(t, "plan in { ", 10);
      t_names(t, k->plans, true);
      t_put(t, " }", 2);
    }
    break;
  case SLAC_COND_STANDING:
    t_add(t, "standing is %s", k->standing_good ? "good" : "overdue");
    break;
  case SLAC_COND_NOT:
    t_put(t, "not ", 4);
    t_cond(t, k->lhs, 3);
    break;
  case SLAC_COND_AND:
  case SLAC_COND_OR: {
    int p = cond_prec(k);
    /* under `or`, an `and` operand gets parentheses too (need 3) */
    int left = k->kind == SLAC_COND_OR && k->lhs && k->lhs->kind == SLAC_COND_AND ? 3 : p;
    int right = k->kind == SLAC_COND_OR && k->rhs && k->rhs->kind == SLAC_COND_AND ? 3 : p + 1;
    t_cond(t, k->lhs, left);
    t_put(t, k->kind == SLAC_COND_AND ? " and " : " or ", k->kind == SLAC_COND_AND ? 5 : 4);
    t_cond(t, k->rhs, right);
    break;
  }
  }
  if (paren) t_put(t, ")", 1);
}

/* " per month", " per calendar quarter", " per 12 months". */
static void t_period(text *t, fmt *f, const slac_clause *c) {
  if (c->rolling) {
    t_put(t, " per ", 5);
    t_qty(t, f, &c->period_len);
    return;
  }
  t_add(t, " per %s", c->cap_months == 12 ? "calendar year" : c->cap_months == 3 ? "calendar quarter" : "month");
}

static void build_clauses(fmt *f, item *parent, const slac_clause *c);

/* The closing brace of a block that ends at LOC (its last character). */
static void set_close(fmt *f, item *it, slac_loc loc) {
  size_t end = offset_of(f, loc.last_line, loc.last_column);
  it->close = end ? end - 1 : 0;
}

static void build_tiers(fmt *f, item *parent, const slac_tier *t) {
  for (; t && !f->failed; t = t->next) {
    item *it = add_item(f, parent, t->loc);
    if (!it) return;
    text b = {0};
    for (int k = 0; k < t->nbounds; k++) {
      if (k) t_put(&b, " and ", 5);
      t_add(&b, "%s ", bound_text(t->bounds[k].kind));
      t_qty(&b, f, &t->bounds[k].value);
    }
    it->arrow = (int)b.n;
    t_put(&b, " -> ", 4);
    t_qty(&b, f, &t->credit);
    set_text(f, it, &b, t->cites);
  }
}

/* A rule of a claim or a minute metric: a line at the location of its
 * first value (the tree keeps one clause for all of them). */
static void rule_line(fmt *f, item *parent, slac_loc at, text *b) {
  item *it = add_item(f, parent, at);
  if (!it) { free(b->s); return; }
  set_text(f, it, b, NULL);
}

/* A rule of a block that the tree keeps in one clause: where it was, and
 * which it is. */
typedef struct {
  slac_loc at;
  int kind;
} rule_ref;

static void sort_rules(rule_ref *r, int n);

static int loc_cmp(slac_loc a, slac_loc b) {
  if (a.first_line != b.first_line) return a.first_line < b.first_line ? -1 : 1;
  return (a.first_column > b.first_column) - (a.first_column < b.first_column);
}

/* In source order (a handful: insertion sort). */
static void sort_rules(rule_ref *r, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && loc_cmp(r[j].at, r[j - 1].at) < 0; j--) {
      rule_ref tmp = r[j];
      r[j] = r[j - 1];
      r[j - 1] = tmp;
    }
}

static void build_claim_rules(fmt *f, item *blk, const slac_clause *c) {
  rule_ref r[4];
  int n = 0;
  if (c->has_ticket_deadline) r[n++] = (rule_ref){c->ticket_within.loc, 0};
  if (c->has_claim_deadline) r[n++] = (rule_ref){c->claim_within.loc, 1};
  if (c->text) r[n++] = (rule_ref){c->text_loc, 2};
  if (c->names) r[n++] = (rule_ref){c->names->loc, 3};
  sort_rules(r, n);
  for (int i = 0; i < n && !f->failed; i++) {
    text b = {0};
    if (r[i].kind < 2) {
      bool ticket = r[i].kind == 0;
      const slac_quantity *q = ticket ? &c->ticket_within : &c->claim_within;
      bool eom = ticket ? c->ticket_end_of_month : c->claim_end_of_month;
      bool after = ticket ? c->ticket_after_month_end : c->claim_after_month_end;
      t_add(&b, "%s %s ", ticket ? "ticket" : "claim", eom ? "by end of" : "within");
      t_qty(&b, f, q);
      t_put(&b, eom ? " billing month after interruption" : after ? " after end of billing month" : " of interruption",
            strlen(eom ? " billing month after interruption" : after ? " after end of billing month" : " of interruption"));
    } else if (r[i].kind == 2) {
      t_put(&b, "subject contains ", 17);
      t_string(&b, c->text);
    } else {
      t_put(&b, "include ", 8);
      t_names(&b, c->names, false);
    }
    rule_line(f, blk, r[i].at, &b);
  }
}

static void build_measure(fmt *f, item *parent, const slac_clause *c) {
  bool rules = c->metric == SLAC_METRIC_MINUTES && (c->has_rate_rule || c->has_run_rule);
  item *it = add_item(f, parent, c->loc);
  if (!it) return;
  text b = {0};
  if (c->metric == SLAC_METRIC_MINUTES) {
    t_put(&b, "measure unavailable minutes", 27);
  } else {
    t_put(&b, "measure average error rate over ", 32);
    t_qty(&b, f, &c->window);
    t_put(&b, " windows", 8);
    if (c->has_empty && c->empty == SLAC_EMPTY_ZERO) {
      t_put(&b, ", empty windows count as ", 25);
      t_qty(&b, f, &c->empty_percent);
      t_put(&b, " errors", 7);
    } else if (c->has_empty) {
      t_put(&b, ", empty windows are left out", 28);
    }
  }
  set_text(f, it, &b, c->cites);
  if (!rules) return;
  it->block = true;
  set_close(f, it, c->loc);
  rule_ref r[2];
  int n = 0;
  if (c->has_rate_rule) r[n++] = (rule_ref){c->rate_bound.loc, 0};
  if (c->has_run_rule) r[n++] = (rule_ref){c->min_run.loc, 1};
  sort_rules(r, n);
  for (int i = 0; i < n && !f->failed; i++) {
    text rb = {0};
    if (r[i].kind == 0) {
      t_add(&rb, "minute unavailable when error rate %s ", bound_text(c->rate_bound.kind));
      t_qty(&rb, f, &c->rate_bound.value);
      t_put(&rb, " with at least ", 15);
      t_qty(&rb, f, &c->min_requests);
      t_put(&rb, " requests", 9);
    } else {
      t_put(&rb, "downtime counts only in runs of at least ", 41);
      t_qty(&rb, f, &c->min_run);
    }
    rule_line(f, it, r[i].at, &rb);
  }
}

static void build_clause(fmt *f, item *parent, const slac_clause *c) {
  if (c->kind == SLAC_CL_MEASURE) { build_measure(f, parent, c); return; }
  item *it = add_item(f, parent, c->loc);
  if (!it) return;
  text b = {0};
  switch (c->kind) {
  case SLAC_CL_PROVIDER: t_put(&b, "provider ", 9); t_string(&b, c->text); break;
  case SLAC_CL_CURRENCY: t_put(&b, "currency ", 9); t_names(&b, c->names, false); break;
  case SLAC_CL_PERIOD: t_put(&b, "period calendar month in UTC", 28); break;
  case SLAC_CL_SERVICE:
    t_add(&b, "service %s ", c->id);
    t_string(&b, c->text);
    it->block = true;
    break;
  case SLAC_CL_MEASURE: break; /* above */
  case SLAC_CL_COMMIT: t_put(&b, "commit ", 7); t_qty(&b, f, &c->value); break;
  case SLAC_CL_CREDIT:
    t_add(&b, "credit of %s%s", base_text(c->base), c->most_severe ? ", most severe tier applies" : "");
    it->block = true;
    break;
  case SLAC_CL_EXCLUDE:
    t_put(&b, "exclude ", 8);
    t_names(&b, c->names, false);
    if (c->capped) {
      t_put(&b, " up to ", 7);
      t_qty(&b, f, &c->value);
      t_period(&b, f, c);
    }
    if (c->has_notice) {
      t_put(&b, " announced at least ", 20);
      t_qty(&b, f, &c->notice);
      t_put(&b, " ahead", 6);
    }
    break;
  case SLAC_CL_CAUSE:
    t_add(&b, "cause %s ", c->id);
    t_string(&b, c->text);
    break;
  case SLAC_CL_COUNT: t_put(&b, "count ", 6); t_names(&b, c->names, false); break;
  case SLAC_CL_NOT_ELIGIBLE: t_put(&b, "not eligible when ", 18); t_cond(&b, c->cond, 0); break;
  case SLAC_CL_ELIGIBLE_ONLY: t_put(&b, "eligible only when ", 19); t_cond(&b, c->cond, 0); break;
  case SLAC_CL_MINIMUM:
    t_add(&b, "issue credit only if amount %s ", c->at_least ? "at least" : "greater than");
    for (int k = 0; k < c->namounts; k++) {
      if (k) t_put(&b, " or ", 4);
      t_qty(&b, f, &c->amounts[k]);
    }
    break;
  case SLAC_CL_MAXIMUM:
    t_put(&b, "credits never exceed ", 21);
    t_qty(&b, f, &c->value);
    t_add(&b, " of %s", base_text(c->base));
    if (c->rolling || c->cap_months > 1) t_period(&b, f, c);
    break;
  case SLAC_CL_NOTE: t_put(&b, "note ", 5); t_string(&b, c->text); break;
  case SLAC_CL_CAVEAT: t_put(&b, "caveat ", 7); t_string(&b, c->text); break;
  case SLAC_CL_CHARGE:
    t_add(&b, "charge %s", c->id);
    if (c->text) { t_put(&b, " ", 1); t_string(&b, c->text); }
    t_put(&b, " not credited", 13);
    break;
  case SLAC_CL_CLAIM: t_put(&b, "claim required", 14); it->block = true; break;
  case SLAC_CL_TERMS:
    if (c->names) {
      t_add(&b, "%sterms for %s ", c->is_default ? "default " : "", c->names->next ? "plans" : "plan");
      t_names(&b, c->names, true);
    } else {
      t_put(&b, "default terms", 13);
    }
    it->block = true;
    break;
  case SLAC_CL_KINDS:
    t_put(&b, c->ignore_kinds ? "ignore errors of kind " : "count only errors of kind ",
          c->ignore_kinds ? 22 : 26);
    t_names(&b, c->names, false);
    break;
  }
  set_text(f, it, &b, c->cites);
  if (!it->block || f->failed) return;
  set_close(f, it, c->loc);
  item *self = &parent->kids[parent->nkids - 1]; /* IT, wherever the array went */
  if (c->kind == SLAC_CL_CREDIT) build_tiers(f, self, c->tiers);
  else if (c->kind == SLAC_CL_CLAIM) build_claim_rules(f, self, c);
  else build_clauses(f, self, c->body);
}

static void build_clauses(fmt *f, item *parent, const slac_clause *c) {
  for (; c && !f->failed; c = c->next) build_clause(f, parent, c);
}

/* ------------------------------------------------------------------ */
/* Writing: comments in place, columns aligned                         */

/* Columns: where the citations of the lines start (one column for the
 * whole policy, as a contract's margin notes), and where the arrows of a
 * schedule's tiers are.  Lines much longer than the others (notes) keep
 * a single space before their citations. */
#define ALIGN_MAX 48

typedef struct {
  fmt *f;
  text out;
  int last_line;        /* source line of the last thing written */
  size_t cite_col;      /* where citations start (0: nowhere yet) */
} writer;

/* The citation column of the items V (N of them) at DEPTH and below. */
static size_t cite_column(const item *v, size_t n, int depth, size_t col) {
  for (size_t i = 0; i < n; i++) {
    size_t end = 2 * (size_t)depth + width(v[i].body);
    if (v[i].cites && !v[i].block && end <= ALIGN_MAX && end + 2 > col) col = end + 2;
    col = cite_column(v[i].kids, v[i].nkids, depth + 1, col);
  }
  return col;
}

static void indent(writer *w, int depth) {
  for (int i = 0; i < depth; i++) t_put(&w->out, "  ", 2);
}

static void write_comment(writer *w, const comment *c) {
  t_put(&w->out, w->f->src->text + c->start, c->end - c->start);
}

/* Own-line comments that start before OFFSET and were not written yet:
 * each on its line at DEPTH, with a blank line before it where the source
 * had one (not right after an opening brace: FIRST). */
static void leading_comments(writer *w, size_t offset, int depth, bool *first) {
  fmt *f = w->f;
  for (size_t i = 0; i < f->ncomments; i++) {
    comment *c = &f->comments[i];
    if (c->used || c->start >= offset) continue;
    c->used = true;
    if (!*first && c->line > w->last_line + 1 && blank_line(f, c->line - 1)) t_put(&w->out, "\n", 1);
    indent(w, depth);
    write_comment(w, c);
    t_put(&w->out, "\n", 1);
    w->last_line = c->end_line;
    *first = false;
  }
}

/* The comment on line LINE after OFFSET and before LIMIT (where the next
 * item starts: a comment after it is that item's), if any and not yet
 * written, written after two spaces. */
static void trailing_comment(writer *w, size_t offset, size_t limit, int line) {
  fmt *f = w->f;
  for (size_t i = 0; i < f->ncomments; i++) {
    comment *c = &f->comments[i];
    if (c->used || c->start < offset || c->start >= limit || c->line != line) continue;
    /* only blanks between the item and the comment?  Then it trails. */
    c->used = true;
    t_put(&w->out, "  ", 2);
    write_comment(w, c);
    w->last_line = c->end_line;
    return;
  }
}


static void write_items(writer *w, item *v, size_t n, int depth, size_t end);

/* Write IT at DEPTH; what follows it in the source starts at LIMIT. */
static void write_item(writer *w, item *it, int depth, bool *first, int arrow_col, size_t limit) {
  size_t cite_col = w->cite_col;
  fmt *f = w->f;
  leading_comments(w, it->start, depth, first);
  if (!*first && it->first_line > w->last_line + 1 && blank_line(f, it->first_line - 1))
    t_put(&w->out, "\n", 1);
  *first = false;
  indent(w, depth);
  size_t col = 2 * (size_t)depth;
  if (it->arrow >= 0 && arrow_col > it->arrow) {
    t_put(&w->out, it->body, (size_t)it->arrow);
    for (int k = it->arrow; k < arrow_col; k++) t_put(&w->out, " ", 1);
    t_put(&w->out, it->body + it->arrow, strlen(it->body + it->arrow));
    col += width(it->body) + (size_t)(arrow_col - it->arrow);
  } else {
    t_put(&w->out, it->body, strlen(it->body));
    col += width(it->body);
  }
  if (it->cites) {
    size_t pad = !it->block && col + 1 < cite_col ? cite_col - col : 1;
    for (size_t k = 0; k < pad; k++) t_put(&w->out, " ", 1);
    t_put(&w->out, it->cites, strlen(it->cites));
  }
  w->last_line = it->block ? it->first_line : it->last_line;
  if (!it->block) {
    trailing_comment(w, it->start, limit, it->last_line);
    t_put(&w->out, "\n", 1);
    return;
  }
  t_put(&w->out, " {", 2);
  trailing_comment(w, it->start, it->nkids ? it->kids[0].start : it->close, it->first_line);
  t_put(&w->out, "\n", 1);
  write_items(w, it->kids, it->nkids, depth + 1, it->close);
  /* comments before the closing brace stay inside the block */
  bool inner_first = it->nkids == 0;
  leading_comments(w, it->close, depth + 1, &inner_first);
  indent(w, depth);
  t_put(&w->out, "}", 1);
  w->last_line = it->last_line;
  trailing_comment(w, it->close, limit, it->last_line);
  t_put(&w->out, "\n", 1);
}

/* The items V, then END: where what follows them starts (their block's
 * closing brace). */
static void write_items(writer *w, item *v, size_t n, int depth, size_t end) {
  int arrow_col = -1;
  for (size_t i = 0; i < n; i++)
    if (v[i].arrow > arrow_col) arrow_col = v[i].arrow;
  bool first = true;
  for (size_t i = 0; i < n && !w->out.oom; i++)
    write_item(w, &v[i], depth, &first, arrow_col, i + 1 < n ? v[i + 1].start : end);
}

char *slac_fmt(const slac_policy *p, slac_source *src, size_t *size, slac_diags *d) {
  fmt f;
  memset(&f, 0, sizeof f);
  f.src = src;
  f.d = d;
  scan_comments(&f);
  item root;
  memset(&root, 0, sizeof root);
  item *pol = f.failed ? NULL : add_item(&f, &root, p->loc);
  if (pol) {
    text b = {0};
    t_add(&b, "policy %s", p->id);
    if (p->title) { t_put(&b, " ", 1); t_string(&b, p->title); }
    t_put(&b, " version ", 9);
    t_qty(&b, &f, &p->version);
    set_text(&f, pol, &b, NULL);
    pol->block = true;
    set_close(&f, pol, p->loc);
    build_clauses(&f, &root.kids[0], p->clauses);
  }
  writer w;
  memset(&w, 0, sizeof w);
  w.f = &f;
  w.last_line = 0;
  w.cite_col = cite_column(root.kids, root.nkids, 0, 0);
  if (!f.failed) write_items(&w, root.kids, root.nkids, 0, src->size + 1);
  /* comments after the policy's closing brace */
  bool first = false;
  if (!f.failed) leading_comments(&w, src->size + 1, 0, &first);
  free_items(root.kids, root.nkids);
  free(root.kids);
  free(f.comments);
  char *out = t_take(&w.out);
  if (f.failed || !out) {
    free(out);
    if (!f.failed) slac_diag_oom(d);
    return NULL;
  }
  *size = strlen(out);
  return out;
}
