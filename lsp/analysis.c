/* analysis.c - parse and check a document, keep its diagnostics as LSP
 * Diagnostic objects (analysis.h). */
#include "lsp/analysis.h"
#include <stdlib.h>
#include <string.h>
#include "compiler/check.h"
#include "grammar/frontend.h"
#include "lsp/position.h"

json_t *slac_lsp_range(slac_source *src, long line, int col, int end_col) {
  size_t len = 0;
  const char *text = src && line > 0 ? slac_source_line(src, (int)line, &len) : NULL;
  if (end_col <= col) end_col = col + 1;
  long from = text ? slac_lsp_utf16_offset(text, len, col) : col > 0 ? col - 1 : 0;
  long to = text ? slac_lsp_utf16_offset(text, len, end_col) : end_col - 1;
  json_int_t l = line > 0 ? line - 1 : 0;
  return json_pack("{s:{s:I,s:I},s:{s:I,s:I}}", "start", "line", l, "character", (json_int_t)from,
                   "end", "line", l, "character", (json_int_t)to);
}

/* The sink: each diagnostic appended as an LSP Diagnostic. */
static void collect(void *ctx, const slac_diagnostic *dg) {
  slac_lsp_analysis *a = ctx;
  const slac_site *s = &dg->site;
  json_t *range = s->kind == SLAC_SITE_SOURCE
                      ? slac_lsp_range((slac_source *)dg->source, s->line, s->column, s->end_column)
                      : slac_lsp_range(NULL, 1, 1, 1);
  /* LSP severities: 1 error, 2 warning, 3 information */
  int severity = dg->severity == SLAC_ERROR ? 1 : dg->severity == SLAC_WARNING ? 2 : 3;
  json_t *d = json_pack("{s:O,s:i,s:s,s:s}", "range", range, "severity", severity, "source", "slac",
                        "message", dg->message);
  if (!d) /* not valid UTF-8: the place is still worth showing */
    d = json_pack("{s:O,s:i,s:s,s:s}", "range", range, "severity", severity, "source", "slac",
                  "message", "(a message that is not valid UTF-8)");
  json_decref(range);
  if (d && dg->fix) json_object_set_new(d, "data", json_pack("{s:s}", "fix", dg->fix));
  if (d) json_array_append_new(a->diagnostics, d);
}

int slac_lsp_analyze(slac_lsp_analysis *a, const char *uri, const char *text, size_t len) {
  memset(a, 0, sizeof *a);
  a->diagnostics = json_array();
  if (!a->diagnostics) return -1;
  slac_diags d;
  slac_diags_init(&d, NULL);
  d.sink = collect;
  d.sink_ctx = a;
  if (slac_source_from_text(&a->src, uri, text, len, &d) == 0) {
    a->have_src = true;
    a->policy = slac_parse(&a->src, &d);
    if (a->policy) {
      slac_model *m = slac_check(a->policy, &a->src, &d);
      slac_model_free(m);
    } else if (d.errors == 0 && !d.oom) {
      slac_loc loc = {1, 1, 1, 1};
      slac_diag(&d, &a->src, loc, SLAC_ERROR,
                "no policy found: a file starts with `policy ID version N {`");
    }
  }
  a->clean = a->policy && d.errors == 0 && !a->policy->incomplete;
  if (d.oom) {
    slac_lsp_analysis_free(a);
    return -1;
  }
  return 0;
}

void slac_lsp_analysis_free(slac_lsp_analysis *a) {
  slac_ast_free_policy(a->policy);
  if (a->have_src) slac_source_free(&a->src);
  json_decref(a->diagnostics);
  memset(a, 0, sizeof *a);
}
