/* diag_json.h - diagnostics as JSON lines (`slac check --format json`,
 * CONTRACT 6.1): one object per diagnostic,
 * {"file","line","column","end_column","severity","message","fix"}.
 */
#ifndef SLAC_DIAG_JSON_H
#define SLAC_DIAG_JSON_H

#include "runtime/base/diag.h"

/* A sink (slac_diags.sink) that writes each diagnostic to the FILE * in
 * CTX as one JSON object on a line. */
void slac_diag_json_sink(void *ctx, const slac_diagnostic *dg);

#endif
