/* textdiff.c - unified diffs (textdiff.h) by Myers' O((N+M)D) algorithm
 * on lines, with the trace kept per step so that the edit script can be
 * walked back.  A diff of more than MAX_D changed lines is shown as one
 * hunk that replaces everything: still correct, only less precise. */
#include "runtime/base/textdiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_D 4000
#define CONTEXT 3

typedef struct {
  const char *p;
  size_t len;      /* without the line end */
  uint64_t hash;
} line;

/* Split TEXT into lines (a last line without '\n' counts). */
static line *split(const char *text, size_t size, size_t *n) {
  size_t count = 0;
  for (size_t i = 0; i < size; i++) count += text[i] == '\n';
  if (size && text[size - 1] != '\n') count++;
  line *v = malloc((count ? count : 1) * sizeof *v);
  if (!v) return NULL;
  size_t k = 0, from = 0;
  for (size_t i = 0; i <= size && k < count; i++) {
    if (i < size && text[i] != '\n') continue;
    uint64_t h = 1469598103934665603u;
    for (size_t j = from; j < i; j++) h = (h ^ (uint8_t)text[j]) * 1099511628211u;
    v[k++] = (line){text + from, i - from, h};
    from = i + 1;
  }
  *n = count;
  return v;
}

static int same(const line *a, const line *b) {
  return a->hash == b->hash && a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* One step of the edit script: keep, delete (from A) or insert (from B). */
typedef enum { KEEP, DEL, INS } op_kind;

/* The shortest edit script: OPS[0..*NOPS), or -1 (no memory), or 1 when
 * more than MAX_D lines differ. */
static int myers(const line *a, size_t n, const line *b, size_t m, op_kind **ops, size_t *nops) {
  size_t max = n + m;
  size_t dmax = max < MAX_D ? max : MAX_D;
  size_t width = 2 * dmax + 1;
  long *v = calloc(width + 2, sizeof *v);
  long **trace = calloc(dmax + 2, sizeof *trace);
  if (!v || !trace) { free(v); free(trace); return -1; }
  long off = (long)dmax + 1;
  long found = -1;
  for (long d = 0; d <= (long)dmax && found < 0; d++) {
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
      else x = v[off + k - 1] + 1;
      long y = x - k;
      while ((size_t)x < n && (size_t)y < m && same(&a[x], &b[y])) { x++; y++; }
      v[off + k] = x;
      if ((size_t)x >= n && (size_t)y >= m) { found = d; break; }
    }
    trace[d] = malloc((width + 2) * sizeof **trace);
    if (!trace[d]) { found = -2; break; }
    memcpy(trace[d], v, (width + 2) * sizeof *v);
  }
  int rc = 0;
  if (found == -2) rc = -1;
  else if (found < 0) rc = 1;
  else {
    /* walk back from (n, m) */
    op_kind *s = malloc((max ? max : 1) * sizeof *s);
    if (!s) rc = -1;
    else {
      size_t ns = 0;
      long x = (long)n, y = (long)m;
      for (long d = found; d > 0; d--) {
        const long *pv = trace[d - 1];
        long k = x - y;
        long pk = (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1])) ? k + 1 : k - 1;
        long px = pv[off + pk], py = px - pk;
        while (x > px && y > py) { s[ns++] = KEEP; x--; y--; }
        s[ns++] = x == px ? INS : DEL;
        x = px;
        y = py;
      }
      while (x > 0 && y > 0) { s[ns++] = KEEP; x--; y--; }
      for (size_t i = 0; i < ns / 2; i++) { op_kind t = s[i]; s[i] = s[ns - 1 - i]; s[ns - 1 - i] = t; }
      *ops = s;
      *nops = ns;
    }
  }
  for (long d = 0; d <= (long)dmax + 1; d++) free(trace[d]);
  free(trace);
  free(v);
  return rc;
}

static void put_line(FILE *out, char mark, const line *l) {
  fputc(mark, out);
  fwrite(l->p, 1, l->len, out);
  fputc('\n', out);
}

int slac_unified_diff(FILE *out, const char *name_a, const char *a, size_t alen,
                      const char *name_b, const char *b, size_t blen) {
  if (alen == blen && memcmp(a, b, alen) == 0) return 0;
  size_t n, m;
  line *la = split(a, alen, &n), *lb = split(b, blen, &m);
  op_kind *ops = NULL;
  size_t nops = 0;
  int rc = la && lb ? myers(la, n, lb, m, &ops, &nops) : -1;
  if (rc < 0) { free(la); free(lb); return -1; }
  fprintf(out, "--- %s\n+++ %s\n", name_a, name_b);
  if (rc == 1) { /* too different: one hunk */
    fprintf(out, "@@ -1,%zu +1,%zu @@\n", n, m);
    for (size_t i = 0; i < n; i++) put_line(out, '-', &la[i]);
    for (size_t i = 0; i < m; i++) put_line(out, '+', &lb[i]);
    free(la);
    free(lb);
    return 0;
  }
  /* hunks: runs of changes with CONTEXT lines around, merged when close */
  size_t i = 0, ai = 0, bi = 0;
  while (i < nops) {
    if (ops[i] == KEEP) { i++; ai++; bi++; continue; }
    /* a hunk starts CONTEXT keeps before the change */
    size_t back = 0;
    while (back < CONTEXT && back < i && ops[i - 1 - back] == KEEP) back++;
    size_t hs = i - back, ha = ai - back, hb = bi - back;
    size_t last = i, k2 = i; /* the last change of the hunk */
    while (k2 < nops && k2 <= last + 2 * CONTEXT + 1) {
      if (ops[k2] != KEEP) last = k2;
      k2++;
    }
    size_t stop = last + 1 + CONTEXT < nops ? last + 1 + CONTEXT : nops;
    size_t ca = 0, cb = 0;
    for (size_t k = hs; k < stop; k++) { ca += ops[k] != INS; cb += ops[k] != DEL; }
    fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ca ? ha + 1 : ha, ca, cb ? hb + 1 : hb, cb);
    size_t xa = ha, xb = hb;
    for (size_t k = hs; k < stop; k++) {
      if (ops[k] == KEEP) { put_line(out, ' ', &la[xa++]); xb++; }
      else if (ops[k] == DEL) put_line(out, '-', &la[xa++]);
      else put_line(out, '+', &lb[xb++]);
    }
    i = stop;
    ai = xa;
    bi = xb;
  }
  free(ops);
  free(la);
  free(lb);
  return 0;
}
