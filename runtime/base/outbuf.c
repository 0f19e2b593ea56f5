/* outbuf.c - the buffer of outbuf.h: grows in memory, or is written to
 * its FILE in large blocks. */
#include "runtime/base/outbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int slac_outbuf_to_file(slac_outbuf *b, FILE *f, char *storage, size_t cap) {
  memset(b, 0, sizeof *b);
  b->sink = f;
  b->owned = storage == NULL;
  b->bytes = storage ? storage : malloc(cap);
  if (!b->bytes) return -1;
  b->cap = cap;
  return 0;
}

void slac_outbuf_in_memory(slac_outbuf *b) {
  memset(b, 0, sizeof *b);
  b->owned = true;
}

void slac_outbuf_flush(slac_outbuf *b) {
  if (!b->sink || b->len == 0) return;
  /* a failed write marks the stream: the caller's ferror sees it */
  fwrite(b->bytes, 1, b->len, b->sink);
  b->len = 0;
}

void slac_outbuf_free(slac_outbuf *b) {
  slac_outbuf_flush(b);
  if (b->owned) free(b->bytes);
  b->bytes = NULL;
  b->len = b->cap = 0;
}

bool slac_outbuf_reserve(slac_outbuf *b, size_t n) {
  if (n <= b->cap - b->len) return true;
  if (b->sink) { /* bound: empty it; a larger write goes straight through */
    slac_outbuf_flush(b);
    return true;
  }
  if (b->failed) return false;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap - b->len < n) {
    if (cap > SIZE_MAX / 2) { b->failed = true; return false; }
    cap *= 2;
  }
  char *r = realloc(b->bytes, cap);
  if (!r) { b->failed = true; return false; }
  b->bytes = r;
  b->cap = cap;
  return true;
}

void slac_outbuf_puts(slac_outbuf *b, const char *s) { slac_outbuf_put(b, s, strlen(s)); }

void slac_outbuf_uint_width(slac_outbuf *b, uint64_t v, int width) {
  char d[24];
  int n = 0;
  do {
    d[sizeof d - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n < width && n < (int)sizeof d) d[sizeof d - 1 - n++] = '0';
  slac_outbuf_put(b, d + sizeof d - n, (size_t)n);
}

void slac_outbuf_int(slac_outbuf *b, int64_t v) {
  if (v < 0) {
    slac_outbuf_putc(b, '-');
    /* INT64_MIN's magnitude is no int64_t: negate in unsigned */
    slac_outbuf_uint_width(b, 0 - (uint64_t)v, 1);
    return;
  }
  slac_outbuf_uint_width(b, (uint64_t)v, 1);
}

void slac_outbuf_printf(slac_outbuf *b, const char *fmt, ...) {
  /* formatted straight into the buffer: one vsnprintf, a second only
   * when the text is longer than the room made for it */
  if (!slac_outbuf_reserve(b, 256)) return;
  size_t room = b->cap - b->len;
  va_list ap;
  va_start(ap, fmt);
  int n = room >= 256 ? vsnprintf(b->bytes + b->len, room, fmt, ap) : vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < room) {
    b->len += (size_t)n;
    return;
  }
  if (!slac_outbuf_reserve(b, (size_t)n + 1)) return;
  va_start(ap, fmt);
  if ((size_t)n + 1 > b->cap - b->len) /* longer than a bound buffer */
    vfprintf(b->sink, fmt, ap);
  else {
    vsnprintf(b->bytes + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
  }
  va_end(ap);
}

void slac_outbuf_append(slac_outbuf *b, const slac_outbuf *a) { slac_outbuf_put(b, a->bytes, a->len); }
