/* outbuf.h - text written into a large buffer, not one stdio call at a
 * time (the reports of slac eval).
 *
 * A report of 1.3 million outcomes was about 70 million putc and printf
 * calls, each taking the stream's lock and walking a format string.  An
 * outbuf appends bytes with memcpy and formats integers itself; it is
 * either
 *   - bound to a FILE: written to it with one fwrite whenever the buffer
 *     fills, and at slac_outbuf_flush; or
 *   - in memory: it grows as needed (a part of a report formatted by one
 *     thread and appended in order by another, runtime/eval/eval.c).
 * A memory outbuf that cannot grow drops what follows and remembers it
 * (slac_outbuf_failed): writes never fail one by one, the caller asks once.
 */
#ifndef SLAC_OUTBUF_H
#define SLAC_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  char *bytes;
  size_t len, cap;
  FILE *sink;   /* NULL: in memory, growing */
  bool owned;   /* BYTES is the outbuf's (malloc'ed), not the caller's */
  bool failed;  /* a memory outbuf could not grow: bytes were dropped */
} slac_outbuf;

/* Bound to F, buffering up to CAP bytes in STORAGE (the caller's, or NULL
 * for a malloc'ed one: returns -1 when that fails). */
int slac_outbuf_to_file(slac_outbuf *b, FILE *f, char *storage, size_t cap);
/* In memory, empty; allocates on first write. */
void slac_outbuf_in_memory(slac_outbuf *b);
/* Write what is buffered to the FILE (nothing for a memory outbuf). */
void slac_outbuf_flush(slac_outbuf *b);
/* Frees what the outbuf allocated (a bound one is flushed first). */
void slac_outbuf_free(slac_outbuf *b);
static inline bool slac_outbuf_failed(const slac_outbuf *b) { return b->failed; }

/* Make room for N more bytes; false when a memory outbuf cannot grow
 * (it is then marked failed). */
bool slac_outbuf_reserve(slac_outbuf *b, size_t n);

static inline void slac_outbuf_put(slac_outbuf *b, const char *s, size_t n) {
  if (n > b->cap - b->len && !slac_outbuf_reserve(b, n)) return;
  if (n > b->cap - b->len) { /* larger than a bound buffer: straight through */
    fwrite(s, 1, n, b->sink);
    return;
  }
  memcpy(b->bytes + b->len, s, n);
  b->len += n;
}

static inline void slac_outbuf_putc(slac_outbuf *b, char c) {
  if (b->len == b->cap && !slac_outbuf_reserve(b, 1)) return;
  b->bytes[b->len++] = c;
}

void slac_outbuf_puts(slac_outbuf *b, const char *s);
/* V in decimal, with a minus sign when negative. */
void slac_outbuf_int(slac_outbuf *b, int64_t v);
/* V in decimal, at least WIDTH digits (zeros in front): "07". */
void slac_outbuf_uint_width(slac_outbuf *b, uint64_t v, int width);
/* Formatted like printf, for what is not on a hot path. */
void slac_outbuf_printf(slac_outbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append A's bytes to B (A unchanged). */
void slac_outbuf_append(slac_outbuf *b, const slac_outbuf *a);

#endif
