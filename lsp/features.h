/* features.h - what the server answers about a document: hover,
 * definition, completion and formatting, each as the JSON result of its
 * LSP request. */
#ifndef SLAC_LSP_FEATURES_H
#define SLAC_LSP_FEATURES_H

#include <jansson.h>
#include "lsp/analysis.h"

/* LINE and CHARACTER are the LSP position (from 0, UTF-16). */
json_t *slac_lsp_hover(slac_lsp_analysis *a, long line, long character);
json_t *slac_lsp_definition(slac_lsp_analysis *a, const char *uri, long line, long character);
json_t *slac_lsp_completion(const slac_lsp_analysis *a);
/* TextEdit[]: none when the text is formatted; NULL (the request fails)
 * when it has errors or memory ran out. */
json_t *slac_lsp_formatting(slac_lsp_analysis *a);

#endif
