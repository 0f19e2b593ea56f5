/* diag.c - the bridge from slac_diags to the embedder's callback: each
 * diagnostic as the fields of `slac check --format json` (cli/diag_json.c). */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"

static void to_callback(void *ctx, const slac_diagnostic *dg) {
  const slac_api_target *t = ctx;
  if (!t->cb) return;
  const slac_site *s = &dg->site;
  bool pos = s->kind == SLAC_SITE_SOURCE || s->kind == SLAC_SITE_DATA;
  /* a data error names its column in the text form; keep it in the message */
  char *msg = NULL;
  if (s->kind == SLAC_SITE_DATA && s->column_name) {
    size_t n = strlen(s->column_name) + strlen(dg->message) + 16;
    if ((msg = malloc(n))) snprintf(msg, n, "column '%s': %s", s->column_name, dg->message);
  }
  slac_api_diag out = {
      .file = s->kind == SLAC_SITE_NONE ? NULL : s->file,
      .line = pos ? s->line : 0,
      .column = pos ? s->column : 0,
      .end_column = s->kind == SLAC_SITE_SOURCE ? s->end_column : 0,
      .severity = dg->severity == SLAC_ERROR     ? SLAC_API_ERROR
                  : dg->severity == SLAC_WARNING ? SLAC_API_WARNING
                                                 : SLAC_API_NOTE,
      .message = msg ? msg : dg->message,
      .fix = dg->fix,
  };
  t->cb(t->userdata, &out);
  free(msg);
}

void slac_api_diags(slac_diags *d, slac_api_target *t) {
  slac_diags_init(d, NULL);
  d->sink = to_callback;
  d->sink_ctx = t;
  d->max_shown = 0; /* the embedder decides what to show */
}
