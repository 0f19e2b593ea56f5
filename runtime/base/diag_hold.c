/* diag_hold.c - a sink that keeps diagnostics until they can be sorted
 * (diag_hold.h). */
#include "runtime/base/diag_hold.h"

#include <stdlib.h>
#include <string.h>

struct slac_held {
  slac_diagnostic dg;    /* its strings are the copies below */
  char *file, *message, *hint, *fix, *column_name;
  size_t seq;            /* order of discovery, for equal positions */
};

static char *copy(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

static void keep(void *ctx, const slac_diagnostic *dg) {
  slac_diag_holder *h = ctx;
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 16;
    slac_held *v = realloc(h->v, cap * sizeof *v);
    if (!v) { h->lost = true; return; }
    h->v = v;
    h->cap = cap;
  }
  slac_held *x = &h->v[h->n];
  x->dg = *dg;
  x->seq = h->n;
  x->file = copy(dg->site.file);
  x->message = copy(dg->message);
  x->hint = copy(dg->hint);
  x->fix = copy(dg->fix);
  x->column_name = copy(dg->site.column_name);
  if ((dg->site.file && !x->file) || !x->message || (dg->hint && !x->hint) ||
      (dg->fix && !x->fix) || (dg->site.column_name && !x->column_name)) {
    free(x->file); free(x->message); free(x->hint); free(x->fix); free(x->column_name);
    h->lost = true;
    return;
  }
  x->dg.site.file = x->file;
  x->dg.message = x->message;
  x->dg.hint = x->hint;
  x->dg.fix = x->fix;
  x->dg.site.column_name = x->column_name;
  h->n++;
  if (dg->site.kind == SLAC_SITE_NONE && strcmp(dg->message, "out of memory") == 0) h->oom_kept = true;
}

void slac_diags_hold(slac_diags *d, slac_diag_holder *h) {
  memset(h, 0, sizeof *h);
  h->d = d;
  h->sink = d->sink;
  h->sink_ctx = d->sink_ctx;
  d->sink = keep;
  d->sink_ctx = h;
}

/* Diagnostics without a position (the command, a whole file) keep their
 * place before the file's positioned ones: they say why the rest
 * follows, or does not. */
static int order(const void *pa, const void *pb) {
  const slac_held *a = pa, *b = pb;
  const char *fa = a->dg.site.file ? a->dg.site.file : "", *fb = b->dg.site.file ? b->dg.site.file : "";
  int r = strcmp(fa, fb);
  if (r) return r;
  if (a->dg.site.line != b->dg.site.line) return a->dg.site.line < b->dg.site.line ? -1 : 1;
  if (a->dg.site.column != b->dg.site.column) return a->dg.site.column < b->dg.site.column ? -1 : 1;
  return (a->seq > b->seq) - (a->seq < b->seq);
}

void slac_diags_release(slac_diag_holder *h) {
  slac_diags *d = h->d;
  d->sink = h->sink;
  d->sink_ctx = h->sink_ctx;
  if (h->n > 1) qsort(h->v, h->n, sizeof *h->v, order);
  for (size_t i = 0; i < h->n; i++) {
    slac_held *x = &h->v[i];
    if (d->sink) d->sink(d->sink_ctx, &x->dg);
    else if (d->out) slac_diag_print_color(d->out, &x->dg, d->color);
    free(x->file); free(x->message); free(x->hint); free(x->fix); free(x->column_name);
  }
  free(h->v);
  h->v = NULL;
  h->n = h->cap = 0;
  /* Said once, now that it can be.  The lost one may have been the
   * out-of-memory message itself (slac_diag_oom says it once per
   * slac_diags, and it did, into this holder): then say it again. */
  if (h->lost && !h->oom_kept) {
    d->oom = false;
    slac_diag_oom(d);
  }
}
