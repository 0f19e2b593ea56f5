/* diag_json.c - one JSON object per diagnostic (diag_json.h).  Positions
 * are 1-based like the text form's; what a site does not have is null
 * (a data file's line 0, a bytecode file's lines, a command's file). */
#include "cli/diag_json.h"

#include <stdio.h>

static void json_text(FILE *f, const char *s) {
  if (!s) { fputs("null", f); return; }
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7F) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

static void json_int(FILE *f, long v) {
  if (v > 0) fprintf(f, "%ld", v);
  else fputs("null", f);
}

void slac_diag_json_sink(void *ctx, const slac_diagnostic *dg) {
  FILE *f = ctx;
  const slac_site *s = &dg->site;
  fputs("{\"file\":", f);
  json_text(f, s->file);
  fputs(",\"line\":", f);
  json_int(f, s->kind == SLAC_SITE_SOURCE || s->kind == SLAC_SITE_DATA ? s->line : 0);
  fputs(",\"column\":", f);
  json_int(f, s->kind == SLAC_SITE_SOURCE || s->kind == SLAC_SITE_DATA ? s->column : 0);
  fputs(",\"end_column\":", f);
  json_int(f, s->kind == SLAC_SITE_SOURCE ? s->end_column : 0);
  fprintf(f, ",\"severity\":\"%s\",\"message\":",
          dg->severity == SLAC_ERROR ? "error" : dg->severity == SLAC_WARNING ? "warning" : "note");
  json_text(f, dg->message);
  fputs(",\"fix\":", f);
  json_text(f, dg->fix);
  fputs("}\n", f);
}
