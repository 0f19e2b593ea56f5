/* features.c - hover, definition, completion and formatting over the
 * syntax tree of an analysed document (features.h).
 *
 * The names that mean something on their own are found by walking the
 * tree: citations (on clauses and tiers), service ids, the causes a
 * clause declares, excludes or counts.  Hover shows what the policy says
 * about the name, quoting its lines; definition goes to where a cause or
 * service is declared. */
#include "lsp/features.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/check.h"
#include "compiler/fmt.h"
#include "grammar/frontend.h"
#include "lsp/position.h"

typedef enum { SPOT_NONE, SPOT_CITE, SPOT_SERVICE, SPOT_CAUSE } spot_kind;

typedef struct {
  spot_kind kind;
  const char *text;        /* the citation, service id or cause name */
  slac_loc loc;            /* of the name under the cursor */
} spot;

static bool at(slac_loc l, int line, int col) {
  return l.first_line == line && l.first_column <= col &&
         (l.last_line > line || col < l.last_column);
}

static void find_in(const slac_clause *c, int line, int col, spot *s) {
  for (; c && s->kind == SPOT_NONE; c = c->next) {
    for (const slac_cite *k = c->cites; k; k = k->next)
      if (at(k->loc, line, col)) *s = (spot){SPOT_CITE, k->text, k->loc};
    for (const slac_tier *t = c->tiers; t; t = t->next)
      for (const slac_cite *k = t->cites; k; k = k->next)
        if (at(k->loc, line, col)) *s = (spot){SPOT_CITE, k->text, k->loc};
    if (c->id && at(c->id_loc, line, col)) {
      if (c->kind == SLAC_CL_SERVICE) *s = (spot){SPOT_SERVICE, c->id, c->id_loc};
      if (c->kind == SLAC_CL_CAUSE) *s = (spot){SPOT_CAUSE, c->id, c->id_loc};
    }
    if (c->kind == SLAC_CL_EXCLUDE || c->kind == SLAC_CL_COUNT)
      for (const slac_name *n = c->names; n; n = n->next)
        if (at(n->loc, line, col)) *s = (spot){SPOT_CAUSE, n->text, n->loc};
    find_in(c->body, line, col, s);
  }
}

/* The spot at the LSP position, if any. */
static spot locate(slac_lsp_analysis *a, long line, long character) {
  spot s = {SPOT_NONE, NULL, {0, 0, 0, 0}};
  if (!a->policy || !a->have_src || line < 0 || line >= 1 << 30) return s;
  size_t len;
  const char *text = slac_source_line(&a->src, (int)line + 1, &len);
  if (!text) return s;
  int col = slac_lsp_column(text, len, character < 0 ? 0 : character);
  find_in(a->policy->clauses, (int)line + 1, col, &s);
  return s;
}

/* ---- markdown text ---------------------------------------------------- */

typedef struct {
  char *text;
  size_t len, cap;
  bool failed;
} md;

static void md_put(md *m, const char *s, size_t n) {
  if (m->failed) return;
  if (m->len + n + 1 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 256;
    while (cap < m->len + n + 1) cap *= 2;
    char *t = realloc(m->text, cap);
    if (!t) { m->failed = true; return; }
    m->text = t;
    m->cap = cap;
  }
  memcpy(m->text + m->len, s, n);
  m->len += n;
  m->text[m->len] = 0;
}

static void md_str(md *m, const char *s) { md_put(m, s, strlen(s)); }

/* Line LINE of the source, without its indentation, as inline code. */
static void md_line(md *m, slac_source *src, int line) {
  size_t len;
  const char *t = slac_source_line(src, line, &len);
  if (!t) return;
  while (len && (*t == ' ' || *t == '\t')) t++, len--;
  char num[32];
  snprintf(num, sizeof num, "- line %d: `", line);
  md_str(m, num);
  /* a backtick would end the code span */
  for (size_t i = 0; i < len; i++) md_put(m, t[i] == '`' ? "'" : t + i, 1);
  md_str(m, "`\n");
}

/* ---- what the policy says about a name --------------------------------- */

static int cite_lines(md *m, slac_source *src, const slac_clause *c, const char *text, int n) {
  for (; c && n < 20; c = c->next) {
    bool cites = false;
    for (const slac_cite *k = c->cites; k; k = k->next) cites |= strcmp(k->text, text) == 0;
    for (const slac_tier *t = c->tiers; t; t = t->next)
      for (const slac_cite *k = t->cites; k; k = k->next)
        if (strcmp(k->text, text) == 0) {
          md_line(m, src, k->loc.first_line);
          n++;
        }
    if (cites) {
      md_line(m, src, c->key_loc.first_line);
      n++;
    }
    n = cite_lines(m, src, c->body, text, n);
  }
  return n;
}

static const slac_clause *find_decl(const slac_clause *c, slac_clause_kind kind, const char *id) {
  for (; c; c = c->next) {
    if (c->kind == kind && c->id && strcmp(c->id, id) == 0) return c;
    const slac_clause *in = find_decl(c->body, kind, id);
    if (in) return in;
  }
  return NULL;
}

static void cause_uses(md *m, slac_source *src, const slac_clause *c, const char *name) {
  for (; c; c = c->next) {
    if (c->kind == SLAC_CL_EXCLUDE || c->kind == SLAC_CL_COUNT)
      for (const slac_name *n = c->names; n; n = n->next)
        if (strcmp(n->text, name) == 0) {
          md_line(m, src, c->key_loc.first_line);
          break;
        }
    cause_uses(m, src, c->body, name);
  }
}

static bool standard_cause(const char *name) {
  for (int i = 0; slac_standard_causes[i]; i++)
    if (strcmp(slac_standard_causes[i], name) == 0) return true;
  return false;
}

json_t *slac_lsp_hover(slac_lsp_analysis *a, long line, long character) {
  spot s = locate(a, line, character);
  if (s.kind == SPOT_NONE) return json_null();
  md m = {NULL, 0, 0, false};
  const slac_clause *all = a->policy->clauses;
  if (s.kind == SPOT_CITE) {
    md_str(&m, "**");
    md_str(&m, s.text);
    md_str(&m, "** of the agreement, cited by:\n\n");
    cite_lines(&m, &a->src, all, s.text, 0);
  } else if (s.kind == SPOT_SERVICE) {
    const slac_clause *svc = find_decl(all, SLAC_CL_SERVICE, s.text);
    md_str(&m, "**service `");
    md_str(&m, s.text);
    md_str(&m, "`**");
    if (svc && svc->text) {
      md_str(&m, " \"");
      md_str(&m, svc->text);
      md_str(&m, "\"");
    }
    md_str(&m, "\n\n");
    for (const slac_clause *c = svc ? svc->body : NULL; c; c = c->next)
      md_line(&m, &a->src, c->key_loc.first_line);
  } else {
    const slac_clause *decl = find_decl(all, SLAC_CL_CAUSE, s.text);
    md_str(&m, "**cause `");
    md_str(&m, s.text);
    md_str(&m, "`**");
    if (decl) {
      char where[64];
      snprintf(where, sizeof where, " (declared on line %d)", decl->id_loc.first_line);
      md_str(&m, where);
      if (decl->text) {
        md_str(&m, ": ");
        md_str(&m, decl->text);
      }
    } else if (standard_cause(s.text)) {
      md_str(&m, ": a standard cause of slac (docs/language.md)");
    } else {
      md_str(&m, ": not declared");
    }
    md_str(&m, "\n\nexcluded or counted by:\n\n");
    size_t before = m.len;
    cause_uses(&m, &a->src, all, s.text);
    if (m.len == before) md_str(&m, "- no clause: its time counts as downtime only if it is an outage\n");
  }
  if (m.failed) {
    free(m.text);
    return NULL;
  }
  json_t *r = json_pack("{s:{s:s,s:s},s:o}", "contents", "kind", "markdown", "value", m.text, "range",
                        slac_lsp_range(&a->src, s.loc.first_line, s.loc.first_column,
                                       s.loc.last_column));
  free(m.text);
  return r;
}

json_t *slac_lsp_definition(slac_lsp_analysis *a, const char *uri, long line, long character) {
  spot s = locate(a, line, character);
  const slac_clause *decl = s.kind == SPOT_CAUSE     ? find_decl(a->policy->clauses, SLAC_CL_CAUSE, s.text)
                            : s.kind == SPOT_SERVICE ? find_decl(a->policy->clauses, SLAC_CL_SERVICE, s.text)
                                                     : NULL;
  if (!decl) return json_null();
  return json_pack("{s:s,s:o}", "uri", uri, "range",
                   slac_lsp_range(&a->src, decl->id_loc.first_line, decl->id_loc.first_column,
                                  decl->id_loc.last_column));
}

/* LSP CompletionItemKind: Keyword 14, EnumMember 20, Module 9 */
static void add_item(json_t *items, json_t *seen, const char *label, int kind, const char *detail) {
  if (json_object_get(seen, label)) return;
  json_object_set_new(seen, label, json_true());
  json_array_append_new(items, json_pack("{s:s,s:i,s:s}", "label", label, "kind", kind, "detail", detail));
}

static void add_names(json_t *items, json_t *seen, const slac_clause *c) {
  for (; c; c = c->next) {
    if (c->kind == SLAC_CL_CAUSE && c->id) add_item(items, seen, c->id, 20, "cause");
    if (c->kind == SLAC_CL_SERVICE && c->id) add_item(items, seen, c->id, 9, "service");
    add_names(items, seen, c->body);
  }
}

json_t *slac_lsp_completion(const slac_lsp_analysis *a) {
  json_t *items = json_array(), *seen = json_object();
  if (!items || !seen) {
    json_decref(items);
    json_decref(seen);
    return NULL;
  }
  if (a->policy) add_names(items, seen, a->policy->clauses);
  for (int i = 0; slac_standard_causes[i]; i++)
    add_item(items, seen, slac_standard_causes[i], 20, "standard cause");
  for (int i = 0; slac_keyword(i); i++) add_item(items, seen, slac_keyword(i), 14, "keyword");
  json_decref(seen);
  return json_pack("{s:b,s:o}", "isIncomplete", 0, "items", items);
}

json_t *slac_lsp_formatting(slac_lsp_analysis *a) {
  if (!a->clean) return NULL;
  slac_diags d;
  slac_diags_init(&d, NULL);
  size_t size;
  char *out = slac_fmt(a->policy, &a->src, &size, &d);
  if (!out) return NULL;
  json_t *edits = json_array();
  if (edits && !(size == a->src.size && memcmp(out, a->src.text, size) == 0)) {
    /* one edit over the whole text: from the start to the end of its
     * last line */
    long last = 1;
    for (size_t i = 0; i < a->src.size; i++) last += a->src.text[i] == '\n';
    size_t len;
    const char *t = slac_source_line(&a->src, (int)last, &len);
    long end = t ? slac_lsp_utf16_length(t, len) : 0;
    json_array_append_new(
        edits, json_pack("{s:{s:{s:i,s:i},s:{s:I,s:I}},s:s%}", "range", "start", "line", 0,
                         "character", 0, "end", "line", (json_int_t)(last - 1), "character",
                         (json_int_t)end, "newText", out, size));
  }
  free(out);
  return edits;
}
