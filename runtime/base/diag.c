/* diag.c - printing diagnostics with the source line and a caret, and
 * loading source text that is known to be clean UTF-8. */
#include "runtime/base/diag.h"
#include "runtime/base/fileio.h"
#include "runtime/base/tempfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether new diagnostics to stderr are coloured: set by the command
 * line (--color, NO_COLOR, a terminal), read by slac_diags_init. */
static bool stderr_color;

void slac_diag_set_color(bool on) { stderr_color = on; }

bool slac_diag_color_auto(void) {
  const char *no = getenv("NO_COLOR"); /* no-color.org: set and not empty */
  return isatty(STDERR_FILENO) && !(no && no[0]);
}

void slac_diags_init(slac_diags *d, FILE *out) {
  memset(d, 0, sizeof *d);
  d->out = out;
  d->max_shown = 100;
  d->color = stderr_color && out == stderr;
}

/* The escapes of GCC's default colours (bold locus, red error, magenta
 * warning, cyan note, green caret); empty strings when not colouring. */
#define COLOR(on, esc) ((on) ? (esc) : "")
#define C_BOLD "\033[1m"
#define C_RESET "\033[m"
static const char *sev_color(slac_severity sev) {
  return sev == SLAC_ERROR ? "\033[1;31m" : sev == SLAC_WARNING ? "\033[1;35m" : "\033[1;36m";
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
  uint8_t *bytes = NULL;
  size_t size = 0;
  if (slac_read_file(path, &bytes, &size, d) != 0) return -1;
  /* one byte more for the terminating NUL the lexer relies on */
  uint8_t *text = realloc(bytes, size + 1);
  src->name = strdup(path);
  if (!text || !src->name) {
    free(text ? text : bytes);
    free(src->name);
    src->name = NULL;
    slac_diag_oom(d);
    return -1;
  }
  text[size] = 0;
  src->text = (char *)text;
  src->size = size;
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

/* Applies --werror and counts a diagnostic; returns false when it is not
 * to be shown (quiet warnings, count-only, past the limit). */
static bool count(slac_diags *d, slac_severity *sev, bool *promoted) {
  *promoted = *sev == SLAC_WARNING && d->werror;
  if (*promoted) *sev = SLAC_ERROR;
  if (*sev == SLAC_NOTE) return d->out || d->sink; /* information: no limit */
  if (*sev == SLAC_ERROR) d->errors++;
  else d->warnings++;
  if (*sev == SLAC_WARNING && d->quiet_warnings) return false;
  if (d->out == NULL && d->sink == NULL) return false; /* counted, never shown */
  if (d->max_shown && d->shown >= d->max_shown) {
    if (d->shown == d->max_shown) {
      slac_diagnostic more = {SLAC_NOTE, false, {SLAC_SITE_NONE, NULL, 0, 0, 0, NULL, -1},
                              "too many diagnostics; the rest are not shown", NULL, NULL, NULL};
      if (d->sink) d->sink(d->sink_ctx, &more);
      else fprintf(d->out, "slac: %s\n", more.message);
    }
    d->shown++;
    return false;
  }
  d->shown++;
  return true;
}

static const char *label(slac_severity sev) {
  return sev == SLAC_ERROR ? "error" : sev == SLAC_WARNING ? "warning" : "note";
}

/* How the character at S (N > 0 bytes left) is shown on a terminal:
 * returns its length in bytes, and puts in ESC the escape that stands
 * for it ("\x1b", "\u009b"), or "" when it is shown as it is.  Control
 * characters - C0, DEL, C1 encoded in UTF-8, and the bytes 0x80..0x9F
 * that are not UTF-8 (C1 to a terminal in an 8-bit mode) - are escaped:
 * a name or a field from a data file must not move the cursor, change
 * colours or retitle the terminal of whoever reads the message.  Other
 * bytes that are not UTF-8 only show as a replacement character, and
 * are kept (an invalid UTF-8 diagnostic shows its line as it is).  A tab
 * is kept where KEEP_TAB (a source line: the caret line copies it to stay
 * aligned). */
static size_t show_char(const unsigned char *s, size_t n, bool keep_tab, char esc[8]) {
  size_t len = slac_utf8_len(s, n);
  esc[0] = 0;
  if (len == 0) {
    if (s[0] >= 0x80 && s[0] < 0xA0) snprintf(esc, 8, "\\x%02x", s[0]);
    return 1;
  }
  if ((s[0] < 0x20 && !(keep_tab && s[0] == '\t')) || s[0] == 0x7F)
    snprintf(esc, 8, "\\x%02x", s[0]);
  else if (len == 2 && s[0] == 0xC2 && s[1] < 0xA0)
    snprintf(esc, 8, "\\u%04x", s[1]);
  return len;
}

/* LEN bytes of TEXT as they are (fprintf, not fwrite: the fault build
 * counts the report's fwrite calls, tests/faults/io.sh). */
static void put_plain(FILE *out, const char *text, size_t len) {
  for (size_t k; len > 0; text += k, len -= k) {
    k = len < (1u << 30) ? len : 1u << 30;
    fprintf(out, "%.*s", (int)k, text);
  }
}

/* TEXT (LEN bytes) with its control characters escaped, given to EMIT in
 * runs: the bytes shown as they are, in one go, and each escape. */
static void escape_runs(const char *text, size_t len, bool keep_tab,
                        void (*emit)(void *to, const char *s, size_t n), void *to) {
  const unsigned char *s = (const unsigned char *)text;
  size_t plain = 0;
  for (size_t i = 0; i < len;) {
    char esc[8];
    size_t k = show_char(s + i, len - i, keep_tab, esc);
    if (esc[0]) {
      emit(to, text + plain, i - plain);
      emit(to, esc, strlen(esc));
      plain = i + k;
    }
    i += k;
  }
  emit(to, text + plain, len - plain);
}

static void emit_file(void *to, const char *s, size_t n) { put_plain(to, s, n); }
static void emit_outbuf(void *to, const char *s, size_t n) { slac_outbuf_put(to, s, n); }

/* TEXT (LEN bytes) to OUT with its control characters escaped. */
static void put_text(FILE *out, const char *text, size_t len, bool keep_tab) {
  escape_runs(text, len, keep_tab, emit_file, out);
}

static void put_str(FILE *out, const char *s) { put_text(out, s, strlen(s), false); }

void slac_put_shown(FILE *out, const char *s) { put_str(out, s); }

void slac_put_shown_buf(slac_outbuf *b, const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = 0;
  while (s[len] >= 0x20 && s[len] < 0x7F) len++; /* printable ASCII: most names */
  if (!s[len]) slac_outbuf_put(b, text, len);
  else escape_runs(text, len + strlen(text + len), false, emit_outbuf, b);
}

/* The source line, then a caret under the first column and tildes to the
 * end of the range.  Tabs are copied into the caret line so that it lines
 * up in any editor or terminal; an escaped character gets as many marks
 * as its escape has characters.  Returns -1 when the line index could not
 * be built (out of memory). */
static int print_caret(FILE *out, const slac_source *csrc, const slac_site *site, bool color) {
  slac_source *src = (slac_source *)csrc; /* the line index is built lazily */
  size_t len;
  const char *text = slac_source_line(src, (int)site->line, &len);
  if (!text) return src->text && !src->line_starts ? -1 : 0;
  /* A line is shown up to a NUL byte (the error that finds one points at
   * it, just past what is shown). */
  const char *nul = memchr(text, 0, len);
  if (nul) len = (size_t)(nul - text);
  /* A line longer than SHOWN_COLUMNS characters is shown around the
   * column, between "...", so that one message is one screen (a 100 MB
   * line of spaces was printed whole, twice). */
  enum { SHOWN_COLUMNS = 160, BEFORE = 60 };
  long ncols = 0;
  for (size_t i = 0; i < len && len > SHOWN_COLUMNS; ncols++) {
    char esc[8];
    i += show_char((const unsigned char *)text + i, len - i, true, esc);
  }
  int col = 1, first = 1;
  if (ncols > SHOWN_COLUMNS) {
    first = site->column > BEFORE ? site->column - BEFORE : 1;
    if (first > ncols - SHOWN_COLUMNS + 1) first = (int)(ncols - SHOWN_COLUMNS + 1);
  }
  size_t from = 0, to = len;
  for (size_t i = 0; i < len && ncols > SHOWN_COLUMNS; col++) {
    if (col == first) from = i;
    if (col == first + SHOWN_COLUMNS) {
      to = i;
      break;
    }
    char esc[8];
    i += show_char((const unsigned char *)text + i, len - i, true, esc);
  }
  bool cut_left = from > 0, cut_right = to < len;
  fputs(cut_left ? "  ..." : "  ", out);
  put_text(out, text + from, to - from, true);
  fputs(cut_right ? "...\n  " : "\n  ", out);
  if (cut_left) fputs("   ", out);
  text += from;
  len = to - from;
  col = cut_left ? first : 1;
  int last = site->end_column > 0 ? site->end_column : 1 << 30;
  bool green = false;
  for (size_t i = 0; i < len;) {
    char esc[8];
    size_t n = show_char((const unsigned char *)text + i, len - i, true, esc);
    size_t width = esc[0] ? strlen(esc) : 1;
    if (col >= site->column) {
      if (col >= last && col > site->column) break;
      if (color && !green) fputs("\033[1;32m", out);
      green = color;
      fputc(col == site->column ? '^' : '~', out);
      for (size_t k = 1; k < width; k++) fputc('~', out);
    } else {
      for (size_t k = 0; k < width; k++) fputc(text[i] == '\t' ? '\t' : ' ', out);
    }
    col++;
    i += n;
  }
  if (col <= site->column) { /* at the end of the line */
    if (color && !green) fputs("\033[1;32m", out);
    green = color;
    fputc('^', out);
  }
  fputs(green ? C_RESET "\n" : "\n", out);
  return 0;
}

void slac_diag_print(FILE *out, const slac_diagnostic *dg) { slac_diag_print_color(out, dg, false); }

void slac_diag_print_color(FILE *out, const slac_diagnostic *dg, bool color) {
  const slac_site *s = &dg->site;
  const char *sev = label(dg->severity);
  /* "SEV: " in its colour; the locus before it is bold */
  const char *on = COLOR(color, sev_color(dg->severity)), *off = COLOR(color, C_RESET);
  const char *bold = COLOR(color, C_BOLD);
  switch (s->kind) {
  case SLAC_SITE_SOURCE:
    fputs(bold, out);
    put_str(out, s->file);
    fprintf(out, ":%ld:%d:%s %s%s:%s ", s->line, s->column, off, on, sev, off);
    break;
  case SLAC_SITE_DATA:
    fputs(bold, out);
    put_str(out, s->file);
    if (s->line > 0) fprintf(out, ":%ld", s->line);
    if (s->line > 0 && s->column > 0) fprintf(out, ":%d", s->column);
    fprintf(out, ":%s %s%s:%s ", off, on, sev, off);
    if (s->column_name) {
      fputs("column '", out);
      put_str(out, s->column_name);
      fputs("': ", out);
    }
    break;
  case SLAC_SITE_BYTECODE:
    /* the offset is for sinks; the loader's messages already say where */
    fprintf(out, "%sslac:%s %s%s:%s ", bold, off, on, sev, off);
    put_str(out, s->file);
    fputs(": ", out);
    break;
  case SLAC_SITE_NONE:
    fprintf(out, "%sslac:%s %s%s:%s ", bold, off, on, sev, off);
    break;
  }
  put_str(out, dg->message);
  fputs(dg->promoted ? " [--werror]\n" : "\n", out);
  if (s->kind == SLAC_SITE_SOURCE && dg->source) print_caret(out, dg->source, s, color);
  if (dg->hint) {
    put_str(out, dg->hint);
    fputc('\n', out);
  }
}

/* MSG with the path of every temporary copy of an input replaced by the
 * name the user gave that input (tempfile.h): malloc'ed, or NULL when
 * there is none in it (or no memory: the path is then shown). */
static char *with_shown_names(const char *msg) {
  size_t len;
  const char *shown;
  if (!slac_temp_find(msg, &len, &shown)) return NULL;
  size_t cap = strlen(msg) + 1, used = 0;
  char *r = NULL;
  for (const char *at; (at = slac_temp_find(msg, &len, &shown)) != NULL; msg = at + len) {
    size_t head = (size_t)(at - msg), sl = strlen(shown);
    cap += sl;
    char *g = realloc(r, cap);
    if (!g) {
      free(r);
      return NULL;
    }
    r = g;
    memcpy(r + used, msg, head);
    memcpy(r + used + head, shown, sl);
    used += head + sl;
  }
  memcpy(r + used, msg, strlen(msg) + 1);
  return r;
}

void slac_vreport(slac_diags *d, slac_severity sev, const slac_site *site,
                  const slac_source *src, const char *hint, const char *fmt, va_list ap) {
  slac_vreport_fix(d, sev, site, src, hint, NULL, fmt, ap);
}

void slac_vreport_fix(slac_diags *d, slac_severity sev, const slac_site *site,
                      const slac_source *src, const char *hint, const char *fix, const char *fmt,
                      va_list ap) {
  bool promoted;
  if (!count(d, &sev, &promoted)) return;
  /* The message is formatted once, so that a sink gets it as a string;
   * a message too long for the stack buffer is allocated. */
  char small[512];
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, sizeof small, fmt, copy);
  va_end(copy);
  char *msg = small;
  if (n >= (int)sizeof small) {
    msg = malloc((size_t)n + 1);
    if (msg) vsnprintf(msg, (size_t)n + 1, fmt, ap);
    else msg = small; /* cut, rather than lose the diagnostic */
  } else if (n < 0) {
    snprintf(small, sizeof small, "%s", fmt);
  }
  slac_diagnostic dg = {sev, promoted, *site, msg, hint, src, fix};
  /* A copy of standard input or of a pipe is named as the user named it. */
  char *renamed = with_shown_names(msg);
  if (renamed) dg.message = renamed;
  size_t flen;
  const char *fshown;
  if (site->file && slac_temp_find(site->file, &flen, &fshown) == site->file &&
      flen == strlen(site->file))
    dg.site.file = fshown;
  if (d->sink) {
    d->sink(d->sink_ctx, &dg);
  } else {
    slac_diag_print_color(d->out, &dg, d->color);
    if (site->kind == SLAC_SITE_SOURCE && src && src->text && !src->line_starts && !d->oom) {
      /* the caret could not be printed: say so rather than show a
       * diagnostic without its line as if nothing had gone wrong */
      if (msg != small) free(msg);
      free(renamed);
      slac_diag_oom(d);
      return;
    }
  }
  if (msg != small) free(msg);
  free(renamed);
}

void slac_report(slac_diags *d, slac_severity sev, const slac_site *site,
                 const slac_source *src, const char *hint, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(d, sev, site, src, hint, fmt, ap);
  va_end(ap);
}

/* The site of LOC in SRC (none when SRC is NULL). */
static slac_site source_site(const slac_source *src, slac_loc loc) {
  slac_site site = {SLAC_SITE_NONE, NULL, 0, 0, 0, NULL, -1};
  if (src) {
    site.kind = SLAC_SITE_SOURCE;
    site.file = src->name;
    site.line = loc.first_line;
    site.column = loc.first_column;
    site.end_column = loc.last_line == loc.first_line ? loc.last_column : 0;
  }
  return site;
}

void slac_diag(slac_diags *d, slac_source *src, slac_loc loc, slac_severity sev,
               const char *fmt, ...) {
  slac_site site = source_site(src, loc);
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(d, sev, &site, src, NULL, fmt, ap);
  va_end(ap);
}

void slac_diag_fix(slac_diags *d, slac_source *src, slac_loc loc, slac_severity sev,
                   const char *fix, const char *fmt, ...) {
  slac_site site = source_site(src, loc);
  va_list ap;
  va_start(ap, fmt);
  slac_vreport_fix(d, sev, &site, src, NULL, fix, fmt, ap);
  va_end(ap);
}

void slac_diag_data(slac_diags *d, const char *file, long line, const char *column,
                    const char *fmt, ...) {
  slac_site site = {SLAC_SITE_DATA, file, line, 0, 0, column, -1};
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(d, SLAC_ERROR, &site, NULL, NULL, fmt, ap);
  va_end(ap);
}

void slac_diag_data_warning(slac_diags *d, const char *file, long line, const char *fmt, ...) {
  slac_site site = {SLAC_SITE_DATA, file, line, 0, 0, NULL, -1};
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(d, SLAC_WARNING, &site, NULL, NULL, fmt, ap);
  va_end(ap);
}

void slac_diag_bytecode(slac_diags *d, const char *file, long offset, const char *fmt, ...) {
  slac_site site = {SLAC_SITE_BYTECODE, file, 0, 0, 0, NULL, offset};
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(d, SLAC_ERROR, &site, NULL, NULL, fmt, ap);
  va_end(ap);
}

void slac_diag_plain(slac_diags *d, slac_severity sev, const char *fmt, ...) {
  slac_site site = {SLAC_SITE_NONE, NULL, 0, 0, 0, NULL, -1};
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(d, sev, &site, NULL, NULL, fmt, ap);
  va_end(ap);
}

void slac_diag_oom(slac_diags *d) {
  if (d->oom) return;
  d->oom = true;
  slac_diag_plain(d, SLAC_ERROR, "out of memory");
}
