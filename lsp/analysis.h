/* analysis.h - one open document, parsed and checked: its diagnostics
 * as the Language Server Protocol sends them, and its syntax tree for
 * hover, definition and formatting. */
#ifndef SLAC_LSP_ANALYSIS_H
#define SLAC_LSP_ANALYSIS_H

#include <stdbool.h>
#include <jansson.h>
#include "grammar/ast.h"
#include "runtime/base/diag.h"

typedef struct {
  slac_source src;      /* the text, when it is valid UTF-8 without NUL */
  bool have_src;
  slac_policy *policy;  /* NULL when nothing could be parsed */
  bool clean;           /* no error: the policy can be formatted */
  json_t *diagnostics;  /* Diagnostic[] */
} slac_lsp_analysis;

/* Parse and check TEXT (LEN bytes) of the document URI into A.  Returns
 * 0, or -1 when out of memory (A is then empty). */
int slac_lsp_analyze(slac_lsp_analysis *a, const char *uri, const char *text, size_t len);
void slac_lsp_analysis_free(slac_lsp_analysis *a);

/* An LSP Range for slac line LINE, columns COL to END_COL (one past). */
json_t *slac_lsp_range(slac_source *src, long line, int col, int end_col);

#endif
