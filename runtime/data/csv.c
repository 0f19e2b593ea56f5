/* csv.c - the streaming RFC 4180 reader behind csv.h.
 *
 * The input is read in large chunks into one buffer that holds the
 * unconsumed tail of the file.  A record is taken in two steps:
 *
 *  1. scan_record() walks the raw bytes once, checking quoting, line ends,
 *     NUL bytes and UTF-8, and notes where each field lies (as offsets from
 *     the record start, so a refill that moves the buffer cannot invalidate
 *     them).  When it runs out of bytes it reports SCAN_MORE; the caller
 *     refills and the scan simply starts over at the record start.  Only the
 *     one record straddling each refill is scanned twice, and a long record
 *     is rescanned once per doubling of the buffer, so this keeps the
 *     scanner free of resumable state at negligible cost.
 *  2. finish_record() runs once the record is complete (nothing will be
 *     rescanned any more) and unescapes doubled quotes in place.
 *
 * Speed: unquoted fields, nearly all of the data, are cut with a bit mask
 * of the special bytes of a 64-byte block (16 bytes per SSE2 compare, or
 * eight at a time in a 64-bit word elsewhere): the mask is computed once
 * per block and then serves every field in it, so a short record costs
 * one block and a count-trailing-zeros per field.  Quoted fields are
 * skipped eight bytes at a time.  The buffer always has CSV_PAD zero bytes
 * after the data, so the inner loops need no bounds check: the first one,
 * the sentinel, stops them like any other special byte, and no load ever
 * leaves the buffer.
 */
#include "runtime/data/csv.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CSV_CHUNK (64u * 1024u)
/* The buffer never grows past this.  Slack of 8 bytes over the record
 * limit leaves room for a CRLF after a record of exactly the limit and for
 * the look-ahead of a multi-byte UTF-8 sequence, so that "needs more bytes
 * with LIMIT bytes in hand" always means "the record is too long". */
#define CSV_LIMIT ((size_t)SLAC_CSV_MAX_RECORD + 8u)
/* Zero bytes kept after the data: one block of the mask scan. */
#define CSV_PAD 64u

/* ---- finding the next special byte, eight at a time -------------------
 *
 * Plain text is skipped a 64-bit word at a time (SWAR): for each byte of a
 * word, bit 7 of a mask says whether it is special.  The formulas work on
 * each byte alone, with no carry or borrow crossing into its neighbour, so
 * the mask is exact whatever the byte order.  The buffer keeps CSV_PAD zero
 * bytes after the data, so a word load never leaves it, and the first of
 * them, the sentinel, stops every scan as NUL does. */
#define ONES UINT64_C(0x0101010101010101)
#define LOW7 UINT64_C(0x7F7F7F7F7F7F7F7F)
#define HIGH UINT64_C(0x8080808080808080)

static inline uint64_t zero_bytes(uint64_t x) { return ~(((x & LOW7) + LOW7) | x | LOW7); }

static inline uint64_t bytes_equal(uint64_t x, unsigned char c) { return zero_bytes(x ^ (ONES * c)); }

/* Index, in memory order, of the first byte flagged in M (M != 0). */
static inline size_t first_flagged(uint64_t m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return (size_t)__builtin_ctzll(m) >> 3;
#else
  unsigned char bytes[8];
  memcpy(bytes, &m, 8); /* memory order, whatever the byte order */
  size_t k = 0;
  while (bytes[k] == 0)
    k++;
  return k;
#endif
}

/* The first byte at or after B[I] that ends plain text in a quoted field:
 * '"' LF NUL, or a non-ASCII byte (',' and CR are text inside quotes). */
static size_t skip_quoted(const unsigned char *b, size_t i) {
  for (;; i += 8) {
    uint64_t x;
    memcpy(&x, b + i, 8);
    uint64_t m = bytes_equal(x, '"') | bytes_equal(x, '\n') | zero_bytes(x) | (x & HIGH);
    if (m != 0)
      return i + first_flagged(m);
  }
}

/* ---- the special bytes of a 64-byte block, as a bit mask -----------------
 *
 * A byte is special when it ends plain text in an unquoted field: ',' '"'
 * LF CR NUL, or a non-ASCII byte (to be checked as UTF-8).  Bit k of
 * special_mask(p) is set when p[k] may be special: every special byte is
 * flagged, and with SSE2 so are the other bytes below '#' (space, '!' and
 * control characters), because two compares (signed "below 0x23", which
 * also takes every byte from 0x80, and "equal to ','") are cheaper than
 * six.  Callers check the flagged byte with is_special() and skip the
 * others.  64 bytes are read. */
static inline bool is_special(unsigned char c) {
  return c == ',' || c == '"' || c == '\n' || c == '\r' || c == 0 || c >= 0x80;
}

#if defined(__SSE2__)
static inline uint64_t special16(const unsigned char *p) {
  __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
  __m128i m = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x23)),
                           _mm_cmpeq_epi8(x, _mm_set1_epi8(',')));
  return (uint64_t)(unsigned)_mm_movemask_epi8(m);
}

static uint64_t special_mask(const unsigned char *p) {
  return special16(p) | special16(p + 16) << 16 | special16(p + 32) << 32 |
         special16(p + 48) << 48;
}
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight flags (bit 7 of each byte) gathered into eight bits by one
 * multiplication: the partial products never overlap, so nothing carries. */
static inline uint64_t special8(const unsigned char *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  uint64_t m = bytes_equal(x, ',') | bytes_equal(x, '"') | bytes_equal(x, '\n') |
               bytes_equal(x, '\r') | zero_bytes(x) | (x & HIGH);
  return ((m >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

static uint64_t special_mask(const unsigned char *p) {
  uint64_t mask = 0;
  for (unsigned k = 0; k < 8; k++)
    mask |= special8(p + 8 * k) << (8 * k);
  return mask;
}
#else
static uint64_t special_mask(const unsigned char *p) {
  uint64_t mask = 0;
  for (unsigned k = 0; k < 64; k++) {
    unsigned char c = p[k];
    if (c == ',' || c == '"' || c == '\n' || c == '\r' || c == 0 || c >= 0x80)
      mask |= UINT64_C(1) << k;
  }
  return mask;
}
#endif

static inline unsigned lowest_bit(uint64_t m) {
#if defined(__GNUC__)
  return (unsigned)__builtin_ctzll(m);
#else
  unsigned k = 0;
  while (!(m & 1)) {
    m >>= 1;
    k++;
  }
  return k;
#endif
}

struct span {
  size_t off, len; /* from the record start; for a quoted field, inside the quotes */
  bool unescape;   /* contains doubled quotes */
};

struct slac_csv {
  FILE *f;
  char *buf;   /* cap + CSV_PAD bytes: buf[end..end+CSV_PAD) are always zero */
  size_t cap;  /* grows from 2 * CSV_CHUNK up to CSV_LIMIT */
  size_t end;  /* bytes of data in buf */
  size_t next; /* where the next record starts */
  size_t rec;  /* where the current record starts (field views) */
  bool started, eof, finished, failed, oom;
  bool mid_file;   /* opened at a record inside the file: no byte-order mark */
  uint64_t remaining; /* bytes the reader may still read from F */
  uint64_t base;   /* stream offset of buf[0] */
  size_t blk;      /* the block of buf[blk..blk+64) whose mask is BLK_MASK, */
  uint64_t blk_mask; /* when BLK_VALID (a refill moves the data: invalid) */
  bool blk_valid;
  bool unescape_any; /* some field of the current record has "" */
  long line;     /* line on which the next record starts */
  long rec_line; /* line on which the current record starts */
  struct span *fields;
  size_t nfields, fields_cap;
  size_t header_fields; /* 0 until the header is read */
  const char *name;
  char *err;
  size_t err_size;
  long err_line;        /* the line of the last error (0: the whole file) */
  size_t err_text;      /* where its text starts in ERR, after "NAME:LINE: " */
};

typedef enum { SCAN_OK, SCAN_MORE, SCAN_ERR } scan_result;

/* ---- errors ---------------------------------------------------------------- */

/* Every message is "NAME:LINE: text"; the buffer was sized for the name at
 * open time, so a failing record never needs to allocate. */
static void set_error(slac_csv *r, long line, const char *text) {
  int k = snprintf(r->err, r->err_size, "%s:%ld: ", r->name, line);
  r->err_text = k > 0 && (size_t)k < r->err_size ? (size_t)k : 0;
  snprintf(r->err + r->err_text, r->err_size - r->err_text, "%s", text);
  r->err_line = line;
  r->failed = true;
  r->nfields = 0; /* no half-read record stays visible */
}

static scan_result fail(slac_csv *r, long line, const char *text) {
  set_error(r, line, text);
  return SCAN_ERR;
}

static scan_result fail_oom(slac_csv *r, long line) {
  r->oom = true;
  return fail(r, line, "out of memory");
}

/* ---- open / close ---------------------------------------------------------- */

slac_csv *slac_csv_open(FILE *f, const char *name) {
  if (name == NULL)
    name = "(input)";
  size_t name_len = strlen(name);
  slac_csv *r = calloc(1, sizeof *r);
  if (r == NULL)
    return NULL;
  r->f = f;
  r->remaining = UINT64_MAX;
  r->line = 1;
  r->rec_line = 1;
  r->cap = 2 * CSV_CHUNK;
  r->buf = malloc(r->cap + CSV_PAD);
  /* Room for the name, the longest fixed message and a strerror() text. */
  r->err_size = name_len + 256;
  r->err = malloc(r->err_size + name_len + 1);
  r->fields_cap = 16;
  r->fields = malloc(r->fields_cap * sizeof *r->fields);
  if (r->buf == NULL || r->err == NULL || r->fields == NULL) {
    slac_csv_close(r);
    return NULL;
  }
  /* The name lives after the message buffer: one allocation less to fail. */
  char *copy = r->err + r->err_size;
  memcpy(copy, name, name_len + 1);
  r->name = copy;
  r->err[0] = '\0';
  memset(r->buf, 0, CSV_PAD);
  return r;
}

slac_csv *slac_csv_open_part(FILE *f, const char *name, size_t header_fields, uint64_t limit) {
  slac_csv *r = slac_csv_open(f, name);
  if (r == NULL)
    return NULL;
  r->header_fields = header_fields;
  r->remaining = limit;
  r->mid_file = true;
  return r;
}

void slac_csv_close(slac_csv *r) {
  if (r == NULL)
    return;
  free(r->buf);
  free(r->err);
  free(r->fields);
  free(r);
}

/* ---- the buffer ------------------------------------------------------------- */

/* Move the unconsumed bytes to the buffer start, grow the buffer if little
 * room is left, and read as much as fits. */
static int refill(slac_csv *r) {
  size_t keep = r->end - r->next;
  r->blk_valid = false;
  if (r->next > 0) {
    r->base += r->next;
    memmove(r->buf, r->buf + r->next, keep);
    r->next = 0;
    r->end = keep;
  }
  if (r->cap - r->end < CSV_CHUNK && r->cap < CSV_LIMIT) {
    size_t cap = r->cap * 2 < CSV_LIMIT ? r->cap * 2 : CSV_LIMIT;
    char *buf = realloc(r->buf, cap + CSV_PAD);
    if (buf == NULL) {
      fail_oom(r, r->line);
      return -1;
    }
    r->buf = buf;
    r->cap = cap;
  }
  size_t want = r->cap - r->end;
  bool last_part = r->remaining <= want; /* the limit ends the data */
  if (last_part)
    want = (size_t)r->remaining;
  errno = 0;
  size_t got = fread(r->buf + r->end, 1, want, r->f);
  int saved = errno;
  r->end += got;
  r->remaining -= got;
  memset(r->buf + r->end, 0, CSV_PAD);
  if (last_part && got == want) {
    r->eof = true;
  } else if (got < want) {
    if (ferror(r->f)) {
      int k = snprintf(r->err, r->err_size, "%s: read error: %s", r->name,
                       strerror(saved != 0 ? saved : EIO));
      r->err_line = 0;
      r->err_text = k > 0 ? strlen(r->name) + 2 : 0;
      r->failed = true;
      r->nfields = 0;
      return -1;
    }
    r->eof = true; /* short read without error: the stream is exhausted */
  }
  return 0;
}

/* ---- UTF-8 ------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at B[I] (a byte >= 0x80), 0 when the
 * bytes up to N are a valid prefix but the rest is not read yet, -1 when
 * invalid: an overlong form (C0, C1, E0 80..9F, F0 80..8F), a UTF-16
 * surrogate (ED A0..BF), beyond U+10FFFF (F4 90.., F5..FF), a stray
 * continuation byte, or a sequence cut short. */
static int utf8_length(const unsigned char *b, size_t i, size_t n, bool eof) {
  unsigned char c = b[i];
  int len;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else {
    return -1;
  }
  for (int k = 1; k < len; k++) {
    if (i + (size_t)k >= n)
      return eof ? -1 : 0;
    unsigned char d = b[i + (size_t)k];
    if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF))
      return -1;
  }
  return len;
}

/* ---- one record ----------------------------------------------------------------- */

struct scan {
  size_t content; /* bytes before the line end */
  size_t consumed; /* bytes including the line end */
  long newlines;  /* line breaks inside quoted fields */
  long open_quote; /* on SCAN_MORE inside quotes: the line the field starts on */
};

static struct span *add_field(slac_csv *r) {
  if (r->nfields == r->fields_cap) {
    size_t cap = r->fields_cap * 2;
    struct span *fields = realloc(r->fields, cap * sizeof *fields);
    if (fields == NULL)
      return NULL;
    r->fields = fields;
    r->fields_cap = cap;
  }
  return &r->fields[r->nfields++];
}

/* The messages below name the position in the line as "byte N", counting
 * from 1, because the callers reserve "column" for CSV column names. */
static scan_result fail_nul(slac_csv *r, long line, size_t byte) {
  char text[96];
  snprintf(text, sizeof text, "NUL byte at byte %zu of the line (not a text file?)", byte);
  return fail(r, line, text);
}

static scan_result fail_utf8(slac_csv *r, long line, size_t byte, unsigned char value) {
  char text[128];
  snprintf(text, sizeof text,
           "invalid UTF-8 at byte %zu of the line (0x%02X); save the file as UTF-8", byte,
           (unsigned)value);
  return fail(r, line, text);
}

/* A field that does not end where it should: a quote in an unquoted field
 * (FIELD is 1-based), or text between a closing quote and the separator. */
static scan_result fail_quote(slac_csv *r, long line, size_t field, bool quoted) {
  char text[160];
  if (quoted)
    snprintf(text, sizeof text,
             "field %zu: text after the closing quote; a quote inside a quoted field is "
             "written twice (\"\")",
             field);
  else
    snprintf(text, sizeof text,
             "field %zu: a quote (\") inside an unquoted field; put the whole field in "
             "quotes and double the quotes inside it",
             field);
  return fail(r, line, text);
}

/* Out of bytes inside a quoted field that starts on LINE: if the record
 * then proves too long, the likely cause is a quote that is never closed. */
static scan_result more_in_quotes(struct scan *sc, long line) {
  sc->open_quote = line;
  return SCAN_MORE;
}

/* The first special byte (see special_mask) at or after the I-th byte of
 * the record, as an offset in the record: from the mask of the block that
 * holds it, computing the next block's mask only when one is used up. */
static inline size_t next_unquoted(slac_csv *r, size_t i) {
  const unsigned char *buf = (const unsigned char *)r->buf;
  size_t at = r->next + i; /* in buf */
  for (;;) {
    if (r->blk_valid && at - r->blk < 64) {
      for (uint64_t m = r->blk_mask >> (at - r->blk); m != 0; m &= m - 1) {
        size_t p = at + lowest_bit(m);
        if (is_special(buf[p]))
          return p - r->next;
      }
      at = r->blk + 64;
    }
    /* AT <= end here (the sentinel at end is special), so the block ends
     * inside the zero padding. */
    r->blk = at;
    r->blk_mask = special_mask(buf + at);
    r->blk_valid = true;
  }
}

/* The fast path: cut the record at the commas of the block masks while
 * its fields are unquoted ASCII.  Returns SCAN_OK with the record complete
 * (it ended with LF or CRLF), SCAN_MORE when a byte needs the full scanner
 * (a quote, a lone CR, NUL, a non-ASCII byte, or the end of the data):
 * then *RESUME is where the field being cut starts, the fields before it
 * are kept, and scan_record carries on from there.  SCAN_ERR: no memory. */
static scan_result scan_plain(slac_csv *r, struct scan *sc, size_t *resume) {
  const unsigned char *buf = (const unsigned char *)r->buf;
  size_t at = r->next, fstart = r->next; /* in buf */
  for (;;) {
    if (!r->blk_valid || at - r->blk >= 64) {
      r->blk = at; /* at <= end: the block ends inside the padding */
      r->blk_mask = special_mask(buf + at);
      r->blk_valid = true;
    }
    uint64_t m = r->blk_mask >> (at - r->blk);
    for (; m != 0; m &= m - 1) {
      size_t p = at + lowest_bit(m);
      unsigned char c = buf[p];
      bool end = false;
      if (c != ',') {
        end = c == '\n' || (c == '\r' && buf[p + 1] == '\n'); /* buf[end] is 0 */
        if (!end) {
          if (!is_special(c))
            continue; /* flagged, but text (see special_mask) */
          *resume = fstart - r->next;
          return SCAN_MORE;
        }
      }
      struct span *fs = add_field(r);
      if (fs == NULL)
        return fail_oom(r, r->line);
      fs->off = fstart - r->next;
      fs->len = p - fstart;
      fs->unescape = false;
      if (end) {
        sc->content = p - r->next;
        sc->consumed = sc->content + (c == '\n' ? 1 : 2);
        sc->newlines = 0;
        return SCAN_OK;
      }
      fstart = p + 1;
    }
    at = r->blk + 64;
  }
}

static scan_result scan_record(slac_csv *r, struct scan *sc) {
  const unsigned char *b = (const unsigned char *)r->buf + r->next;
  const size_t n = r->end - r->next;
  const bool eof = r->eof;
  size_t i = 0, line_start = 0; /* line_start: where the current line begins */
  long nl = 0;
  r->nfields = 0;
  r->unescape_any = false;
  sc->open_quote = 0;
  scan_result fast = scan_plain(r, sc, &i);
  if (fast != SCAN_MORE)
    return fast;
  /* The full scanner, from the field where the fast path stopped (the
   * fields before it are plain: no quote, no line break). */
  for (;;) { /* one field per iteration */
    struct span *fs = add_field(r);
    if (fs == NULL)
      return fail_oom(r, r->line + nl);
    bool quoted = b[i] == '"'; /* the sentinel is not '"', so i < n */
    if (quoted) {
      long qline = nl;
      fs->off = ++i;
      fs->unescape = false;
      for (;;) {
        i = skip_quoted(b, i);
        if (b[i] == '"') {
          if (i + 1 >= n && !eof)
            return more_in_quotes(sc, r->line + qline); /* "" or the closing quote? */
          if (b[i + 1] != '"')
            break;
          fs->unescape = true;
          r->unescape_any = true;
          i += 2;
        } else if (b[i] == '\n') {
          nl++;
          line_start = ++i;
        } else if (i == n) {
          if (!eof)
            return more_in_quotes(sc, r->line + qline);
          return fail(r, r->line + qline, "quoted field never closed (it starts on this line)");
        } else if (b[i] == '\0') {
          return fail_nul(r, r->line + nl, i - line_start + 1);
        } else {
          int k = utf8_length(b, i, n, eof);
          if (k == 0)
            return more_in_quotes(sc, r->line + qline);
          if (k < 0)
            return fail_utf8(r, r->line + nl, i - line_start + 1, b[i]);
          i += (size_t)k;
        }
      }
      fs->len = i - fs->off;
      i++; /* the closing quote */
    } else {
      fs->off = i;
      fs->unescape = false;
      for (;;) {
        i = next_unquoted(r, i);
        if (b[i] < 0x80)
          break;
        int k = utf8_length(b, i, n, eof);
        if (k == 0)
          return SCAN_MORE;
        if (k < 0)
          return fail_utf8(r, r->line + nl, i - line_start + 1, b[i]);
        i += (size_t)k;
      }
      fs->len = i - fs->off;
    }
    /* What ends the field: ',', a line end, the end of the data, or an
     * error.  Checking i == n first tells the sentinel from a real NUL. */
    if (i == n) {
      if (!eof)
        return SCAN_MORE;
      sc->content = sc->consumed = i; /* a last line without a newline */
      break;
    }
    unsigned char c = b[i];
    if (c == ',') {
      i++;
      continue;
    }
    if (c == '\n') {
      sc->content = i;
      sc->consumed = i + 1;
      break;
    }
    if (c == '\r') {
      if (i + 1 >= n && !eof)
        return SCAN_MORE;
      if (b[i + 1] != '\n')
        return fail(r, r->line + nl,
                    "carriage return (CR) not followed by a line feed (LF) outside quotes");
      sc->content = i;
      sc->consumed = i + 2;
      break;
    }
    if (c == '\0')
      return fail_nul(r, r->line + nl, i - line_start + 1);
    /* Left: '"' after an unquoted run, or any other byte after a closing
     * quote. */
    return fail_quote(r, r->line + nl, r->nfields, quoted);
  }
  sc->newlines = nl;
  return SCAN_OK;
}

/* Collapse each "" to " in place, moving the text between quotes a
 * segment at a time; the scan has checked that every quote inside the
 * field is doubled. */
static void unescape(char *p, size_t *len) {
  const char *rd = p, *end = p + *len;
  char *w = p;
  while (rd < end) {
    const char *q = memchr(rd, '"', (size_t)(end - rd));
    size_t seg = q != NULL ? (size_t)(q - rd) + 1 : (size_t)(end - rd); /* with one quote */
    memmove(w, rd, seg);
    w += seg;
    rd += seg + (q != NULL); /* skip the second quote */
  }
  *len = (size_t)(w - p);
}

static void finish_record(slac_csv *r, const struct scan *sc) {
  r->rec = r->next;
  r->next += sc->consumed;
  r->line += 1 + sc->newlines;
  if (r->unescape_any)
    for (size_t k = 0; k < r->nfields; k++)
      if (r->fields[k].unescape)
        unescape(r->buf + r->rec + r->fields[k].off, &r->fields[k].len);
}

/* ---- the public reader --------------------------------------------------------- */

int slac_csv_next(slac_csv *r) {
  if (r->failed)
    return -1;
  if (r->finished)
    return 0;
  if (!r->started) {
    r->started = true;
    if (refill(r) != 0)
      return -1;
    /* The refill read as much as fits, so three bytes are here unless the
     * whole file is shorter. */
    if (!r->mid_file && r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
      r->next = 3;
  }
  r->rec_line = r->line;
  struct scan sc = {0, 0, 0, 0};
  for (;;) {
    scan_result res;
    if (r->next == r->end)
      res = r->eof ? SCAN_OK : SCAN_MORE; /* SCAN_OK with nothing: the end */
    else
      res = scan_record(r, &sc);
    if (res == SCAN_ERR)
      return -1;
    if (res == SCAN_OK)
      break;
    if (r->end - r->next >= CSV_LIMIT) {
      char text[128];
      if (sc.open_quote != 0)
        snprintf(text, sizeof text,
                 "record longer than 1 MiB; is the quoted field that starts on line %ld "
                 "ever closed?",
                 sc.open_quote);
      else
        snprintf(text, sizeof text, "record longer than 1 MiB");
      set_error(r, r->line, text);
      return -1;
    }
    if (refill(r) != 0)
      return -1;
  }
  if (r->next == r->end) {
    r->finished = true;
    r->nfields = 0;
    return 0;
  }
  if (sc.content > SLAC_CSV_MAX_RECORD) {
    set_error(r, r->line, "record longer than 1 MiB");
    return -1;
  }
  if (sc.content == 0) { /* a lone LF or CRLF; a quoted "" is 2 bytes */
    set_error(r, r->line, "empty line");
    return -1;
  }
  if (r->header_fields == 0) {
    r->header_fields = r->nfields;
  } else if (r->nfields != r->header_fields) {
    char text[128];
    snprintf(text, sizeof text, "expected %zu field%s as in the header, found %zu",
             r->header_fields, r->header_fields == 1 ? "" : "s", r->nfields);
    set_error(r, r->line, text);
    return -1;
  }
  finish_record(r, &sc);
  return 1;
}

size_t slac_csv_field_count(const slac_csv *r) { return r->nfields; }

/* An index out of range gives an empty field rather than reading stray
 * memory. */
slac_field slac_csv_field(const slac_csv *r, size_t i) {
  slac_field f = {"", 0};
  if (i < r->nfields) {
    f.ptr = r->buf + r->rec + r->fields[i].off;
    f.len = r->fields[i].len;
  }
  return f;
}

long slac_csv_line(const slac_csv *r) { return r->rec_line; }

uint64_t slac_csv_offset(const slac_csv *r) { return r->base + r->next; }

const char *slac_csv_error(const slac_csv *r) { return r->err; }

bool slac_csv_oom(const slac_csv *r) { return r->oom; }

void slac_csv_report(const slac_csv *r, const char *path, slac_diags *d) {
  if (r->oom) {
    slac_diag_oom(d);
    return;
  }
  slac_diag_data(d, path, r->err_line, NULL, "%s", r->err + r->err_text);
}
