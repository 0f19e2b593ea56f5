/* test_csv.c - unit tests of runtime/data/csv.c: RFC 4180 quoting, line ends,
 * line numbers, every error message, the record size limit, read errors,
 * and long generated files whose fields straddle buffer refills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/data/csv.h"

/* ---- helpers ------------------------------------------------------------- */

/* A temporary file holding LEN bytes of DATA, positioned at the start. */
static FILE *file_with(const void *data, size_t len) {
  FILE *f = tmpfile();
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  rewind(f);
  return f;
}

/* Read DATA as the file "t.csv" and describe what the reader saw: a line
 * "LINE:[field][field]..." per record, then "END" or "ERR <message>".  The
 * reader must then keep returning the same final status. */
static char described[8192];

static const char *describe_n(const char *data, size_t len) {
  FILE *f = file_with(data, len);
  slac_csv *r = slac_csv_open(f, "t.csv");
  assert_non_null(r);
  size_t used = 0;
  int rc;
  while ((rc = slac_csv_next(r)) == 1) {
    used += (size_t)snprintf(described + used, sizeof described - used, "%ld:",
                             slac_csv_line(r));
    for (size_t i = 0; i < slac_csv_field_count(r); i++) {
      slac_field fl = slac_csv_field(r, i);
      used += (size_t)snprintf(described + used, sizeof described - used, "[%.*s]",
                               (int)fl.len, fl.ptr);
    }
    used += (size_t)snprintf(described + used, sizeof described - used, "\n");
    assert_true(used < sizeof described);
  }
  if (rc == 0)
    snprintf(described + used, sizeof described - used, "END");
  else
    snprintf(described + used, sizeof described - used, "ERR %s", slac_csv_error(r));
  assert_int_equal(slac_csv_next(r), rc); /* sticky */
  assert_false(slac_csv_oom(r));
  slac_csv_close(r);
  fclose(f);
  return described;
}

static const char *describe(const char *data) { return describe_n(data, strlen(data)); }

/* ---- well-formed input ---------------------------------------------------- */

static void test_simple(void **state) {
  (void)state;
  assert_string_equal(describe("a,b,c\n1,2,3\nx,y,z\n"), "1:[a][b][c]\n2:[1][2][3]\n3:[x][y][z]\nEND");
}

static void test_quoted_commas_and_quotes(void **state) {
  (void)state;
  assert_string_equal(describe("name,note\n\"Smith, J\",\"say \"\"hi\"\"\"\n\"\"\"\",\"a\"\"\"\"b\"\n"),
                      "1:[name][note]\n2:[Smith, J][say \"hi\"]\n3:[\"][a\"\"b]\nEND");
  assert_string_equal(describe("\"a\",\"b\"\n\"\",\",\"\n"), "1:[a][b]\n2:[][,]\nEND");
}

static void test_embedded_newlines(void **state) {
  (void)state;
  /* Line 2-3: one record; lines 4-7: one record (CRLF, LF and an empty
   * line inside quotes); line 8: the next record. */
  assert_string_equal(describe("a,b\n\"x\ny\",1\n\"p\r\nq\n\nr\",2\nz,3\n"),
                      "1:[a][b]\n2:[x\ny][1]\n4:[p\r\nq\n\nr][2]\n8:[z][3]\nEND");
}

static void test_crlf(void **state) {
  (void)state;
  assert_string_equal(describe("a,b\r\n1,2\r\n\"3\",\"4\"\r\n"), "1:[a][b]\n2:[1][2]\n3:[3][4]\nEND");
  assert_string_equal(describe("a,b\r\n1,2"), "1:[a][b]\n2:[1][2]\nEND");
  /* A CR inside quotes is text. */
  assert_string_equal(describe("a\n\"x\ry\"\n"), "1:[a]\n2:[x\ry]\nEND");
}

static void test_bom(void **state) {
  (void)state;
  assert_string_equal(describe("\xEF\xBB\xBF" "a,b\n1,2\n"), "1:[a][b]\n2:[1][2]\nEND");
  /* Only at the start: elsewhere U+FEFF is an ordinary character. */
  assert_string_equal(describe("a\n\xEF\xBB\xBF\n"), "1:[a]\n2:[\xEF\xBB\xBF]\nEND");
}

static void test_empty_fields(void **state) {
  (void)state;
  assert_string_equal(describe("a,b,c\n,,\n\"\",x,\n,\"\",\"\"\n"),
                      "1:[a][b][c]\n2:[][][]\n3:[][x][]\n4:[][][]\nEND");
  assert_string_equal(describe("a,b\n1,"), "1:[a][b]\n2:[1][]\nEND");
}

static void test_header_only_and_empty(void **state) {
  (void)state;
  assert_string_equal(describe("a,b\n"), "1:[a][b]\nEND");
  assert_string_equal(describe("a,b"), "1:[a][b]\nEND");
  assert_string_equal(describe(""), "END");
  assert_string_equal(describe("\xEF\xBB\xBF"), "END");
  assert_string_equal(describe("a\n1"), "1:[a]\n2:[1]\nEND");
}

static void test_utf8_accepted(void **state) {
  (void)state;
  /* 2-, 3- and 4-byte forms, the highest code point and U+FFFF. */
  assert_string_equal(describe("s\n\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBF\n"),
                      "1:[s]\n2:[\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBF]\nEND");
}

static void test_field_out_of_range(void **state) {
  (void)state;
  FILE *f = file_with("a,b\n", 4);
  slac_csv *r = slac_csv_open(f, "t.csv");
  assert_int_equal(slac_csv_next(r), 1);
  assert_int_equal(slac_csv_field_count(r), 2);
  slac_field fl = slac_csv_field(r, 2);
  assert_int_equal(fl.len, 0);
  assert_non_null(fl.ptr);
  assert_int_equal(slac_csv_next(r), 0);
  assert_int_equal(slac_csv_next(r), 0);
  slac_csv_close(r);
  fclose(f);
}

/* ---- errors ----------------------------------------------------------------- */

static void test_unterminated_quote(void **state) {
  (void)state;
  assert_string_equal(describe("a,b\n1,\"x\ny\n"),
                      "1:[a][b]\nERR t.csv:2: quoted field never closed (it starts on this line)");
  /* The record starts on line 2, the unclosed quote opens on line 3. */
  assert_string_equal(describe("a,b\n\"x\ny\",\"z\nw\n"),
                      "1:[a][b]\nERR t.csv:3: quoted field never closed (it starts on this line)");
}

static void test_quote_errors(void **state) {
  (void)state;
  assert_string_equal(describe("a,b\n1,x\"y\n"),
                      "1:[a][b]\nERR t.csv:2: field 2: a quote (\") inside an unquoted field; "
                      "put the whole field in quotes and double the quotes inside it");
  assert_string_equal(describe("a,b\n \"x\",1\n"),
                      "1:[a][b]\nERR t.csv:2: field 1: a quote (\") inside an unquoted field; "
                      "put the whole field in quotes and double the quotes inside it");
  assert_string_equal(describe("a,b\n\"x\"y,1\n"),
                      "1:[a][b]\nERR t.csv:2: field 1: text after the closing quote; a quote "
                      "inside a quoted field is written twice (\"\")");
  assert_string_equal(describe("a,b\n1,\"x\n\" \n"),
                      "1:[a][b]\nERR t.csv:3: field 2: text after the closing quote; a quote "
                      "inside a quoted field is written twice (\"\")");
}

static void test_nul_byte(void **state) {
  (void)state;
  static const char unquoted[] = "a,b\n1,x\0y\n";
  assert_string_equal(describe_n(unquoted, sizeof unquoted - 1),
                      "1:[a][b]\nERR t.csv:2: NUL byte at byte 4 of the line (not a text file?)");
  static const char quoted[] = "a,b\n1,\"x\nab\0\"\n";
  assert_string_equal(describe_n(quoted, sizeof quoted - 1),
                      "1:[a][b]\nERR t.csv:3: NUL byte at byte 3 of the line (not a text file?)");
  static const char after_quote[] = "a\n\"x\"\0\n";
  assert_string_equal(describe_n(after_quote, sizeof after_quote - 1),
                      "1:[a]\nERR t.csv:2: NUL byte at byte 4 of the line (not a text file?)");
  static const char at_end[] = "a\n\0";
  assert_string_equal(describe_n(at_end, sizeof at_end - 1),
                      "1:[a]\nERR t.csv:2: NUL byte at byte 1 of the line (not a text file?)");
}

static void test_invalid_utf8(void **state) {
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
      /* Latin-1 e-acute */
      {"a\nx\xE9y\n", "0xE9"},
      /* overlong forms of '/', U+0000 and U+FFFF-range */
      {"a\nx\xC0\xAF\n", "0xC0"},
      {"a\nx\xC1\xBF\n", "0xC1"},
      {"a\nx\xE0\x80\xAF\n", "0xE0"},
      {"a\nx\xF0\x8F\xBF\xBF\n", "0xF0"},
      /* UTF-16 surrogates U+D800 and U+DFFF */
      {"a\nx\xED\xA0\x80\n", "0xED"},
      {"a\nx\xED\xBF\xBF\n", "0xED"},
      /* beyond U+10FFFF */
      {"a\nx\xF4\x90\x80\x80\n", "0xF4"},
      {"a\nx\xF5\x80\x80\x80\n", "0xF5"},
      {"a\nx\xFF\n", "0xFF"},
      /* a stray continuation byte */
      {"a\nx\x80\n", "0x80"},
      /* truncated: followed by ASCII, by a line end, or by the end of file */
      {"a\nx\xE2\x82y\n", "0xE2"},
      {"a\nx\xC3\n", "0xC3"},
      {"a\nx\xF0\x9F\x98", "0xF0"},
      /* inside quotes as well */
      {"a\n\"x\xE9\"\n", "0xE9"},
  };
  char want[160];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    snprintf(want, sizeof want,
             "1:[a]\nERR t.csv:2: invalid UTF-8 at byte %d of the line (%s); save the file as "
             "UTF-8",
             cases[i].in[2] == '"' ? 3 : 2, cases[i].out);
    assert_string_equal(describe(cases[i].in), want);
  }
}

static void test_lone_cr(void **state) {
  (void)state;
  const char *msg = "ERR t.csv:2: carriage return (CR) not followed by a line feed (LF) outside quotes";
  char want[160];
  snprintf(want, sizeof want, "1:[a][b]\n%s", msg);
  assert_string_equal(describe("a,b\n1,x\ry\n"), want);
  assert_string_equal(describe("a,b\n1,\"x\"\r2\n"), want);
  snprintf(want, sizeof want, "1:[a]\n%s", msg);
  assert_string_equal(describe("a\n1\r"), want);
  assert_string_equal(describe("a\n1\r\r\n"), want);
}

static void test_field_count(void **state) {
  (void)state;
  assert_string_equal(describe("a,b,c,d\n1,2,3,4\n1,2,3\n"),
                      "1:[a][b][c][d]\n2:[1][2][3][4]\nERR t.csv:3: expected 4 fields as in the "
                      "header, found 3");
  assert_string_equal(describe("a\n1,2\n"),
                      "1:[a]\nERR t.csv:2: expected 1 field as in the header, found 2");
  /* A record spanning lines is reported on the line it starts. */
  assert_string_equal(describe("a,b\n\"x\ny\"\n"),
                      "1:[a][b]\nERR t.csv:2: expected 2 fields as in the header, found 1");
}

static void test_empty_line(void **state) {
  (void)state;
  assert_string_equal(describe("a\n1\n\n2\n"), "1:[a]\n2:[1]\nERR t.csv:3: empty line");
  assert_string_equal(describe("a\r\n1\r\n\r\n2\r\n"), "1:[a]\n2:[1]\nERR t.csv:3: empty line");
  /* Only one newline may end the file. */
  assert_string_equal(describe("a\n1\n\n"), "1:[a]\n2:[1]\nERR t.csv:3: empty line");
  assert_string_equal(describe("\na\n"), "ERR t.csv:1: empty line");
  /* An empty quoted field is not an empty line. */
  assert_string_equal(describe("a\n\"\"\n"), "1:[a]\n2:[]\nEND");
}

static void test_read_error(void **state) {
  (void)state;
  /* Reading a directory fails with EISDIR on Linux; elsewhere opening it
   * may fail, and then there is nothing to test. */
  FILE *f = fopen(".", "r");
  if (f == NULL) {
    skip();
    return;
  }
  slac_csv *r = slac_csv_open(f, "dir.csv");
  assert_int_equal(slac_csv_next(r), -1);
  assert_string_equal(slac_csv_error(r), "dir.csv: read error: Is a directory");
  assert_false(slac_csv_oom(r));
  assert_int_equal(slac_csv_next(r), -1);
  slac_csv_close(r);
  fclose(f);
}

/* ---- the record limit ------------------------------------------------------- */

/* "h\n" then a record of CONTENT bytes ('x', or quoted when QUOTED) and the
 * line end END_. */
static char *record_of(size_t content, bool quoted, const char *end, size_t *len) {
  size_t n = 2 + content + strlen(end);
  char *data = malloc(n);
  assert_non_null(data);
  memcpy(data, "h\n", 2);
  memset(data + 2, 'x', content);
  if (quoted) {
    data[2] = '"';
    data[2 + content - 1] = '"';
  }
  memcpy(data + 2 + content, end, strlen(end));
  *len = n;
  return data;
}

static void check_limit(size_t content, bool quoted, const char *end, bool ok) {
  size_t len;
  char *data = record_of(content, quoted, end, &len);
  FILE *f = file_with(data, len);
  slac_csv *r = slac_csv_open(f, "big.csv");
  assert_int_equal(slac_csv_next(r), 1);
  if (ok) {
    assert_int_equal(slac_csv_next(r), 1);
    assert_int_equal(slac_csv_field_count(r), 1);
    slac_field fl = slac_csv_field(r, 0);
    assert_int_equal(fl.len, quoted ? content - 2 : content);
    assert_int_equal(fl.ptr[0], 'x');
    assert_int_equal(fl.ptr[fl.len - 1], 'x');
    assert_int_equal(slac_csv_next(r), 0);
  } else {
    assert_int_equal(slac_csv_next(r), -1);
    assert_string_equal(slac_csv_error(r), "big.csv:2: record longer than 1 MiB");
    assert_int_equal(slac_csv_line(r), 2);
    assert_int_equal(slac_csv_next(r), -1);
  }
  slac_csv_close(r);
  fclose(f);
  free(data);
}

static void test_record_limit(void **state) {
  (void)state;
  const size_t max = SLAC_CSV_MAX_RECORD;
  check_limit(max, false, "\n", true);
  check_limit(max, false, "\r\n", true);
  check_limit(max, false, "", true);
  check_limit(max, true, "\n", true);
  check_limit(max + 1, false, "\n", false);
  check_limit(max + 1, false, "\r\n", false);
  check_limit(max + 1, false, "", false);
  check_limit(max + 1, true, "\n", false);
  check_limit(max + 100, false, "\n", false);
}

static void test_huge_line_not_read(void **state) {
  (void)state;
  /* A 64 MiB line is refused after reading little more than the limit. */
  FILE *f = tmpfile();
  assert_non_null(f);
  fputs("h\n", f);
  char block[65536];
  memset(block, 'x', sizeof block);
  for (int i = 0; i < 1024; i++)
    assert_int_equal(fwrite(block, 1, sizeof block, f), sizeof block);
  fputs("\n", f);
  rewind(f);
  slac_csv *r = slac_csv_open(f, "huge.csv");
  assert_int_equal(slac_csv_next(r), 1);
  assert_int_equal(slac_csv_next(r), -1);
  assert_string_equal(slac_csv_error(r), "huge.csv:2: record longer than 1 MiB");
  long pos = ftell(f);
  assert_true(pos > 0 && pos < 3L * 1024 * 1024);
  slac_csv_close(r);
  fclose(f);
}

static void test_unclosed_quote_over_limit(void **state) {
  (void)state;
  /* A stray quote on line 3 swallows the rest of a big file: the record
   * limit stops it, and the message points at the quote. */
  FILE *f = tmpfile();
  assert_non_null(f);
  fputs("a,b\n1,2\n3,\"4\n", f);
  for (int i = 0; i < 400000; i++) /* 1.6 MB */
    fputs("5,6\n", f);
  rewind(f);
  slac_csv *r = slac_csv_open(f, "q.csv");
  assert_int_equal(slac_csv_next(r), 1);
  assert_int_equal(slac_csv_next(r), 1);
  assert_int_equal(slac_csv_next(r), -1);
  assert_string_equal(slac_csv_error(r), "q.csv:3: record longer than 1 MiB; is the quoted "
                                         "field that starts on line 3 ever closed?");
  slac_csv_close(r);
  fclose(f);
}

static void test_many_fields(void **state) {
  (void)state;
  /* 100000 fields: the field table grows well past its first size. */
  const size_t count = 100000;
  size_t len = 2 * (2 * count);
  char *data = malloc(len);
  assert_non_null(data);
  for (size_t row = 0; row < 2; row++)
    for (size_t i = 0; i < count; i++) {
      data[row * 2 * count + 2 * i] = (char)('a' + (i + row) % 26);
      data[row * 2 * count + 2 * i + 1] = i + 1 == count ? '\n' : ',';
    }
  FILE *f = file_with(data, len);
  slac_csv *r = slac_csv_open(f, "wide.csv");
  assert_int_equal(slac_csv_next(r), 1);
  assert_int_equal(slac_csv_field_count(r), count);
  assert_int_equal(slac_csv_next(r), 1);
  assert_int_equal(slac_csv_field_count(r), count);
  for (size_t i = 0; i < count; i++) {
    slac_field fl = slac_csv_field(r, i);
    assert_int_equal(fl.len, 1);
    assert_int_equal(fl.ptr[0], 'a' + (i + 1) % 26);
  }
  assert_int_equal(slac_csv_next(r), 0);
  slac_csv_close(r);
  fclose(f);
  free(data);
}

/* ---- refills ------------------------------------------------------------------ */

/* A record full of things that need look-ahead (doubled quotes, a CRLF, a
 * line break inside quotes, multi-byte UTF-8) placed so that it straddles
 * the end of the first buffer load at every offset around the sizes the
 * reader might use. */
static void test_straddling_refills(void **state) {
  (void)state;
  static const char tail[] = "\"a\"\"b\",\xE2\x82\xAC\xF0\x9F\x98\x80,\"x\r\ny\"\r\nlast,\"\"\"\",z";
  static const size_t sizes[] = {65536, 131072, 262144};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    for (size_t at = sizes[s] - 40; at <= sizes[s] + 4; at++) {
      /* "h1,h2,h3\n" then "FILLER,1,2\n" of ~AT bytes, then the tail. */
      size_t filler = at - 9 - 5;
      size_t len = 9 + filler + 5 + sizeof tail - 1;
      char *data = malloc(len);
      assert_non_null(data);
      memcpy(data, "h1,h2,h3\n", 9);
      memset(data + 9, 'f', filler);
      memcpy(data + 9 + filler, ",1,2\n", 5);
      memcpy(data + 9 + filler + 5, tail, sizeof tail - 1);
      FILE *f = file_with(data, len);
      slac_csv *r = slac_csv_open(f, "s.csv");
      assert_int_equal(slac_csv_next(r), 1);
      assert_int_equal(slac_csv_next(r), 1);
      assert_int_equal(slac_csv_field(r, 0).len, filler);
      assert_int_equal(slac_csv_next(r), 1);
      assert_int_equal(slac_csv_line(r), 3);
      slac_field a = slac_csv_field(r, 0), b = slac_csv_field(r, 1), c = slac_csv_field(r, 2);
      assert_memory_equal(a.ptr, "a\"b", 3);
      assert_int_equal(a.len, 3);
      assert_int_equal(b.len, 7);
      assert_memory_equal(b.ptr, "\xE2\x82\xAC\xF0\x9F\x98\x80", 7);
      assert_int_equal(c.len, 4);
      assert_memory_equal(c.ptr, "x\r\ny", 4);
      assert_int_equal(slac_csv_next(r), 1);
      assert_int_equal(slac_csv_line(r), 5);
      assert_int_equal(slac_csv_field(r, 1).len, 1);
      assert_int_equal(slac_csv_field(r, 1).ptr[0], '"');
      assert_int_equal(slac_csv_next(r), 0);
      slac_csv_close(r);
      fclose(f);
      free(data);
    }
  }
}

/* A small deterministic generator (xorshift64*), so that the test can
 * produce the same records twice: once to write, once to compare. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * UINT64_C(2685821657736338717);
}

#define GEN_FIELDS 4
#define GEN_MAX_FIELD 6000

struct gen_record {
  char field[GEN_FIELDS][GEN_MAX_FIELD * 4];
  size_t len[GEN_FIELDS];
  char raw[GEN_FIELDS * (GEN_MAX_FIELD * 8 + 3) + 2];
  size_t raw_len;
  long newlines;
};

/* One record: fields of random length (now and then long enough to span a
 * refill) drawn from pieces that exercise quoting and UTF-8. */
static void generate(uint64_t *rng, struct gen_record *g) {
  static const char *const pieces[] = {"a", "b", "7", " ", ",", "\"", "\n", "\r\n",
                                       "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "xyz"};
  const size_t npieces = sizeof pieces / sizeof pieces[0];
  g->raw_len = 0;
  g->newlines = 0;
  for (int k = 0; k < GEN_FIELDS; k++) {
    uint64_t roll = next_random(rng);
    size_t count = roll % 100 == 0 ? (size_t)(roll >> 8) % GEN_MAX_FIELD : (size_t)(roll >> 8) % 12;
    bool plain = (roll >> 40) % 3 == 0; /* only pieces that need no quotes */
    char *f = g->field[k];
    size_t n = 0;
    for (size_t j = 0; j < count; j++) {
      const char *p = pieces[next_random(rng) % (plain ? 4 : npieces)];
      if (plain && (*p == ',' || *p == ' '))
        p = "q";
      size_t pl = strlen(p);
      memcpy(f + n, p, pl);
      n += pl;
    }
    g->len[k] = n;
    bool quote = !plain || (roll >> 50) % 2 == 0 || n == 0;
    char *w = g->raw + g->raw_len;
    if (k > 0)
      *w++ = ',';
    if (quote)
      *w++ = '"';
    for (size_t j = 0; j < n; j++) {
      if (f[j] == '"' && quote)
        *w++ = '"';
      if (f[j] == '\n')
        g->newlines++;
      *w++ = f[j];
    }
    if (quote)
      *w++ = '"';
    g->raw_len = (size_t)(w - g->raw);
  }
  if (next_random(rng) % 2)
    g->raw[g->raw_len++] = '\r';
  g->raw[g->raw_len++] = '\n';
}

static void test_long_generated_file(void **state) {
  (void)state;
  const long records = 60000;
  struct gen_record *g = malloc(sizeof *g);
  assert_non_null(g);
  FILE *f = tmpfile();
  assert_non_null(f);
  fputs("c1,c2,c3,c4\n", f);
  uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);
  size_t total = 12;
  for (long i = 0; i < records; i++) {
    generate(&rng, g);
    assert_int_equal(fwrite(g->raw, 1, g->raw_len, f), g->raw_len);
    total += g->raw_len;
  }
  assert_true(total > 8u * 1024 * 1024); /* well over many buffer loads */
  rewind(f);

  slac_csv *r = slac_csv_open(f, "gen.csv");
  assert_int_equal(slac_csv_next(r), 1);
  rng = UINT64_C(0x9E3779B97F4A7C15);
  long line = 2;
  for (long i = 0; i < records; i++) {
    generate(&rng, g);
    int rc = slac_csv_next(r);
    if (rc != 1)
      print_error("record %ld: %s\n", i, slac_csv_error(r));
    assert_int_equal(rc, 1);
    assert_int_equal(slac_csv_line(r), line);
    assert_int_equal(slac_csv_field_count(r), GEN_FIELDS);
    for (size_t k = 0; k < GEN_FIELDS; k++) {
      slac_field fl = slac_csv_field(r, k);
      assert_int_equal(fl.len, g->len[k]);
      if (fl.len > 0)
        assert_memory_equal(fl.ptr, g->field[k], fl.len);
    }
    line += 1 + g->newlines;
  }
  assert_int_equal(slac_csv_next(r), 0);
  print_message("%ld generated records, %zu bytes, %ld lines\n", records, total, line - 1);
  slac_csv_close(r);
  fclose(f);
  free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_simple),
      cmocka_unit_test(test_quoted_commas_and_quotes),
      cmocka_unit_test(test_embedded_newlines),
      cmocka_unit_test(test_crlf),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_empty_fields),
      cmocka_unit_test(test_header_only_and_empty),
      cmocka_unit_test(test_utf8_accepted),
      cmocka_unit_test(test_field_out_of_range),
      cmocka_unit_test(test_unterminated_quote),
      cmocka_unit_test(test_quote_errors),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_lone_cr),
      cmocka_unit_test(test_field_count),
      cmocka_unit_test(test_empty_line),
      cmocka_unit_test(test_read_error),
      cmocka_unit_test(test_record_limit),
      cmocka_unit_test(test_huge_line_not_read),
      cmocka_unit_test(test_unclosed_quote_over_limit),
      cmocka_unit_test(test_many_fields),
      cmocka_unit_test(test_straddling_refills),
      cmocka_unit_test(test_long_generated_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
