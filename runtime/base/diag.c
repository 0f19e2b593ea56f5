/* diag.c - printing diagnostics with the source line and a caret, and
 * loading source text that is known to be clean UTF-8. */
#include "runtime/base/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void slac_diags_init(slac_diags *d, FILE *out) {
  memset(d, 0, sizeof *d);
  d->out = out;
  d->max_shown = 100;
}

size_t slac_utf8_len(const unsigned char *s, size_t n) {
  if (n == 0) return 0;
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t min, cp;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; cp = c & 0x07; }
  else return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
   * not UTF-8 even though their bytes have the right shape. */
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return len;
}

/* Reject NUL bytes and invalid UTF-8 once, here, so that the lexer and
 * the caret printer can trust the text. */
static int check_text(slac_source *src, slac_diags *d) {
  const unsigned char *p = (const unsigned char *)src->text;
  int line = 1, col = 1;
  for (size_t i = 0; i < src->size;) {
    size_t n = p[i] ? slac_utf8_len(p + i, src->size - i) : 0;
    if (n == 0) {
      slac_loc loc = {line, col, line, col + 1};
      if (p[i] == 0)
        slac_diag(d, src, loc, SLAC_ERROR, "NUL byte in the source: a policy is text");
      else
        slac_diag(d, src, loc, SLAC_ERROR,
                  "invalid UTF-8 (byte 0x%02x): save the policy as UTF-8", p[i]);
      return -1;
    }
    if (p[i] == '\n') { line++; col = 1; } else col++;
    i += n;
  }
  return 0;
}

int slac_source_from_text(slac_source *src, const char *name, const char *text,
                          size_t size, slac_diags *d) {
  memset(src, 0, sizeof *src);
  src->name = strdup(name);
  src->text = malloc(size + 1);
  if (!src->name || !src->text) {
    slac_source_free(src);
    slac_diag_oom(d);
    return -1;
  }
  memcpy(src->text, text, size);
  src->text[size] = 0;
  src->size = size;
  return check_text(src, d);
}

int slac_source_load(slac_source *src, const char *path, slac_diags *d) {
  memset(src, 0, sizeof *src);
  FILE *f = fopen(path, "rb");
  if (!f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
    if (cap - len - 1 == 0) {
      char *nbuf = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!nbuf) { free(buf); buf = NULL; break; }
      buf = nbuf;
      cap *= 2;
    }
  }
  int err = ferror(f);
  fclose(f);
  if (!buf) {
    slac_diag_oom(d);
    return -1;
  }
  if (err) {
    free(buf);
    slac_diag_plain(d, SLAC_ERROR, "cannot read '%s'", path);
    return -1;
  }
  buf[len] = 0;
  src->name = strdup(path);
  if (!src->name) {
    free(buf);
    slac_diag_oom(d);
    return -1;
  }
  src->text = buf;
  src->size = len;
  return check_text(src, d);
}

void slac_source_free(slac_source *src) {
  free(src->name);
  free(src->text);
  free(src->line_starts);
  memset(src, 0, sizeof *src);
}

static int index_lines(slac_source *src) {
  size_t n = 1;
  for (size_t i = 0; i < src->size; i++) n += src->text[i] == '\n';
  src->line_starts = malloc(n * sizeof *src->line_starts);
  if (!src->line_starts) return -1;
  size_t k = 0;
  src->line_starts[k++] = 0;
  for (size_t i = 0; i < src->size; i++)
    if (src->text[i] == '\n') src->line_starts[k++] = i + 1;
  src->nlines = n;
  return 0;
}

const char *slac_source_line(slac_source *src, int line, size_t *len) {
  if (!src || !src->text || line < 1) return NULL;
  if (!src->line_starts && index_lines(src) != 0) return NULL;
  if ((size_t)line > src->nlines) return NULL;
  size_t start = src->line_starts[line - 1];
  size_t end = (size_t)line < src->nlines ? src->line_starts[line] - 1 : src->size;
  if (end > start && src->text[end - 1] == '\r') end--;
  *len = end - start;
  return src->text + start;
}

/* Counts a diagnostic; returns false when it should not be printed. */
static bool count(slac_diags *d, slac_severity *sev) {
  if (*sev == SLAC_WARNING && d->werror) *sev = SLAC_ERROR;
  if (*sev == SLAC_ERROR) d->errors++; else d->warnings++;
  if (*sev == SLAC_WARNING && d->quiet_warnings) return false;
  if (d->out == NULL) return false; /* counted, never printed */
  if (d->max_shown && d->shown >= d->max_shown) {
    if (d->shown == d->max_shown)
      fprintf(d->out, "slac: too many diagnostics; the rest are not shown\n");
    d->shown++;
    return false;
  }
  d->shown++;
  return true;
}

static const char *label(slac_severity sev) {
  return sev == SLAC_ERROR ? "error" : "warning";
}

/* The source line, then a caret under LOC's first column and tildes to
 * the end of its range on that line.  Tabs are copied into the caret line
 * so that it lines up in any editor or terminal. */
static void print_caret(slac_diags *d, slac_source *src, slac_loc loc) {
  FILE *out = d->out;
  size_t len;
  const char *text = slac_source_line(src, loc.first_line, &len);
  if (!text) {
    /* The line index could not be built: say so rather than print a
     * diagnostic without its line as if nothing had gone wrong. */
    if (src->text && !src->line_starts) slac_diag_oom(d);
    return;
  }
  fprintf(out, "  %.*s\n  ", (int)len, text);
  int col = 1;
  int last = loc.last_line == loc.first_line ? loc.last_column : 1 << 30;
  for (size_t i = 0; i < len;) {
    size_t n = slac_utf8_len((const unsigned char *)text + i, len - i);
    if (n == 0) n = 1;
    if (col >= loc.first_column) {
      if (col >= last && col > loc.first_column) break;
      fputc(col == loc.first_column ? '^' : '~', out);
    } else {
      fputc(text[i] == '\t' ? '\t' : ' ', out);
    }
    col++;
    i += n;
  }
  if (col <= loc.first_column) fputc('^', out); /* at the end of the line */
  fputc('\n', out);
}

void slac_diag(slac_diags *d, slac_source *src, slac_loc loc, slac_severity sev,
               const char *fmt, ...) {
  bool werror = sev == SLAC_WARNING && d->werror;
  if (!count(d, &sev)) return;
  if (src)
    fprintf(d->out, "%s:%d:%d: %s: ", src->name, loc.first_line, loc.first_column,
            label(sev));
  else
    fprintf(d->out, "slac: %s: ", label(sev));
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, fmt, ap);
  va_end(ap);
  fputs(werror ? " [--werror]\n" : "\n", d->out);
  if (src) print_caret(d, src, loc);
}

void slac_diag_data(slac_diags *d, const char *file, long line, const char *column,
                    const char *fmt, ...) {
  slac_severity sev = SLAC_ERROR;
  if (!count(d, &sev)) return;
  if (line > 0)
    fprintf(d->out, "%s:%ld: ", file, line);
  else
    fprintf(d->out, "%s: ", file);
  if (column) fprintf(d->out, "column '%s': ", column);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, fmt, ap);
  va_end(ap);
  fputc('\n', d->out);
}

void slac_diag_plain(slac_diags *d, slac_severity sev, const char *fmt, ...) {
  if (!count(d, &sev)) return;
  fprintf(d->out, "slac: %s: ", label(sev));
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, fmt, ap);
  va_end(ap);
  fputc('\n', d->out);
}

void slac_diag_oom(slac_diags *d) {
  if (d->oom) return;
  d->oom = true;
  slac_diag_plain(d, SLAC_ERROR, "out of memory");
}
