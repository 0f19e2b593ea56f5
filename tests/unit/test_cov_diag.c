/* test_cov_diag.c - runtime/base/diag.c paths the suites do not reach: UTF-8
 * edge cases byte by byte, sources with NUL bytes or bad UTF-8 at a given
 * line and column, unreadable and large files, line lookup at the edges,
 * the limit on printed diagnostics, --werror and quiet warnings, carets
 * past the end of a line, over tabs and across lines, and data and plain
 * messages; control characters escaped wherever text is printed, and a
 * temporary copy of an input named as the user named it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/base/diag.h"
#include "runtime/base/tempfile.h"

/* Diagnostics printed into a memstream. */
typedef struct {
  char *buf;
  size_t size;
  FILE *f;
  slac_diags d;
} sink;

static void sink_open(sink *s) {
  memset(s, 0, sizeof *s);
  s->f = open_memstream(&s->buf, &s->size);
  assert_non_null(s->f);
  slac_diags_init(&s->d, s->f);
}

/* The text printed so far (valid until the next sink call). */
static const char *sink_text(sink *s) {
  fflush(s->f);
  return s->buf;
}

static void sink_close(sink *s) {
  fclose(s->f);
  free(s->buf);
}

static size_t u8(const char *bytes) {
  return slac_utf8_len((const unsigned char *)bytes, strlen(bytes));
}

static void test_utf8_len(void **state) {
  (void)state;
  assert_int_equal(slac_utf8_len((const unsigned char *)"a", 0), 0);
  assert_int_equal(u8("a"), 1);
  assert_int_equal(u8("\xc2\xa7"), 2);         /* § */
  assert_int_equal(u8("\xe2\x82\xac"), 3);     /* € */
  assert_int_equal(u8("\xf0\x9f\x98\x80"), 4); /* an emoji */
  assert_int_equal(u8("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
  assert_int_equal(u8("\x80"), 0);             /* a lone continuation byte */
  assert_int_equal(u8("\xc0\xaf"), 0);         /* overlong lead byte */
  assert_int_equal(u8("\xe0\x80\xaf"), 0);     /* overlong 3-byte form */
  assert_int_equal(u8("\xf0\x80\x80\xaf"), 0); /* overlong 4-byte form */
  assert_int_equal(u8("\xed\xa0\x80"), 0);     /* a UTF-16 surrogate */
  assert_int_equal(u8("\xf4\x90\x80\x80"), 0); /* past U+10FFFF */
  assert_int_equal(u8("\xf5\x80\x80\x80"), 0); /* never a lead byte */
  assert_int_equal(u8("\xe2\x82"), 0);         /* truncated */
  assert_int_equal(u8("\xe2\x28\xac"), 0);     /* bad continuation */
}

static void test_source_from_text_rejects(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  slac_source src;
  assert_int_equal(slac_source_from_text(&src, "a.sla", "ok\nab\0c", 7, &s.d), -1);
  slac_source_free(&src);
  assert_string_equal(sink_text(&s),
                      "a.sla:2:3: error: NUL byte in the source: a policy is text\n"
                      "  ab\n"
                      "    ^\n");
  sink_close(&s);

  sink_open(&s);
  assert_int_equal(slac_source_from_text(&src, "b.sla", "\xc2\xa7 x\n\xc2\xa7\xff", 8, &s.d), -1);
  slac_source_free(&src);
  /* columns count characters: the § before the bad byte is one column */
  assert_non_null(strstr(sink_text(&s), "b.sla:2:2: error: invalid UTF-8 (byte 0xff)"));
  assert_int_equal(s.d.errors, 1);
  sink_close(&s);

  sink_open(&s);
  assert_int_equal(slac_source_from_text(&src, "c.sla", "policy\r\n", 8, &s.d), 0);
  size_t len = 0;
  const char *line = slac_source_line(&src, 1, &len);
  assert_non_null(line);
  assert_int_equal(len, 6); /* the CR of a CRLF line end is not part of it */
  assert_null(slac_source_line(&src, 0, &len));
  assert_null(slac_source_line(&src, 3, &len));
  assert_non_null(slac_source_line(&src, 2, &len)); /* the empty last line */
  assert_int_equal(len, 0);
  assert_null(slac_source_line(NULL, 1, &len));
  slac_source_free(&src);
  assert_string_equal(sink_text(&s), "");
  sink_close(&s);
}

static void test_source_load(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  slac_source src;
  assert_int_equal(slac_source_load(&src, "/nonexistent/x.sla", &s.d), -1);
  slac_source_free(&src);
  assert_non_null(strstr(sink_text(&s), "slac: error: cannot open '/nonexistent/x.sla': "));
  /* A directory opens but cannot be read. */
  assert_int_equal(slac_source_load(&src, "/", &s.d), -1);
  slac_source_free(&src);
  assert_non_null(strstr(sink_text(&s), "slac: error: cannot read '/'"));
  sink_close(&s);

  /* Larger than the first buffer, and exactly a power of two. */
  char path[] = "/tmp/slac-test-diag.XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  for (int i = 0; i < 8192 / 8; i++) fputs("// abcd\n", f);
  fclose(f);
  sink_open(&s);
  assert_int_equal(slac_source_load(&src, path, &s.d), 0);
  assert_int_equal(src.size, 8192);
  assert_string_equal(src.name, path);
  size_t len;
  assert_non_null(slac_source_line(&src, 1024, &len));
  assert_int_equal(len, 7);
  slac_source_free(&src);
  sink_close(&s);
  unlink(path);
}

static void test_counting_and_limits(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  s.d.max_shown = 2;
  for (int i = 0; i < 4; i++) slac_diag_plain(&s.d, SLAC_ERROR, "e%d", i);
  assert_string_equal(sink_text(&s), "slac: error: e0\n"
                                     "slac: error: e1\n"
                                     "slac: too many diagnostics; the rest are not shown\n");
  assert_int_equal(s.d.errors, 4);
  sink_close(&s);

  sink_open(&s);
  s.d.quiet_warnings = true;
  slac_diag_plain(&s.d, SLAC_WARNING, "hidden");
  assert_int_equal(s.d.warnings, 1);
  assert_string_equal(sink_text(&s), "");
  s.d.werror = true; /* --werror wins: the warning is an error, and shown */
  slac_diag_plain(&s.d, SLAC_WARNING, "shown");
  assert_int_equal(s.d.errors, 1);
  assert_string_equal(sink_text(&s), "slac: error: shown [--werror]\n");
  sink_close(&s);

  sink_open(&s);
  slac_diag_oom(&s.d);
  slac_diag_oom(&s.d); /* reported once */
  assert_true(s.d.oom);
  assert_string_equal(sink_text(&s), "slac: error: out of memory\n");
  sink_close(&s);
}

static void test_carets(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  slac_source src;
  const char *text = "\tcommit 99%\nnext line\n";
  assert_int_equal(slac_source_from_text(&src, "t.sla", text, strlen(text), &s.d), 0);
  slac_loc word = {1, 9, 1, 12};
  slac_diag(&s.d, &src, word, SLAC_ERROR, "x");
  slac_loc past_end = {1, 40, 1, 41}; /* after the last character */
  slac_diag(&s.d, &src, past_end, SLAC_WARNING, "y");
  slac_loc two_lines = {1, 2, 2, 3};   /* to the end of the first line */
  slac_diag(&s.d, &src, two_lines, SLAC_ERROR, "z");
  slac_loc no_line = {9, 1, 9, 2};     /* past the end of the file: no caret */
  slac_diag(&s.d, &src, no_line, SLAC_ERROR, "w");
  slac_diag(&s.d, NULL, word, SLAC_ERROR, "no source");
  s.d.werror = true;
  slac_diag(&s.d, &src, word, SLAC_WARNING, "promoted");
  assert_string_equal(sink_text(&s),
                      "t.sla:1:9: error: x\n"
                      "  \tcommit 99%\n"
                      "  \t       ^~~\n"
                      "t.sla:1:40: warning: y\n"
                      "  \tcommit 99%\n"
                      "  \t          ^\n"
                      "t.sla:1:2: error: z\n"
                      "  \tcommit 99%\n"
                      "  \t^~~~~~~~~~\n"
                      "t.sla:9:1: error: w\n"
                      "slac: error: no source\n"
                      "t.sla:1:9: error: promoted [--werror]\n"
                      "  \tcommit 99%\n"
                      "  \t       ^~~\n");
  slac_source_free(&src);
  sink_close(&s);
}

static void test_data_messages(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  slac_diag_data(&s.d, "a.csv", 3, "fee", "bad %s", "fee");
  slac_diag_data(&s.d, "a.csv", 4, NULL, "short row");
  slac_diag_data(&s.d, "a.csv", 0, NULL, "empty file");
  assert_string_equal(sink_text(&s), "a.csv:3: error: column 'fee': bad fee\n"
                                     "a.csv:4: error: short row\n"
                                     "a.csv: error: empty file\n");
  assert_int_equal(s.d.errors, 3);
  s.d.max_shown = 3;
  slac_diag_data(&s.d, "a.csv", 5, NULL, "hidden row");
  slac_diag(&s.d, NULL, (slac_loc){1, 1, 1, 1}, SLAC_ERROR, "hidden too");
  assert_int_equal(s.d.errors, 5);
  assert_null(strstr(sink_text(&s), "hidden"));
  assert_non_null(strstr(sink_text(&s), "too many diagnostics"));
  sink_close(&s);
}

/* Every site kind in its text form, notes outside the limit, hints. */
static void test_site_kinds(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  slac_diag_data_warning(&s.d, "x.log", 4, "malformed line");
  slac_diag_data_warning(&s.d, "x.json", 0, "incident %s: no component", "a");
  slac_site json = {SLAC_SITE_DATA, "x.json", 2, 7, 0, NULL, -1};
  slac_report(&s.d, SLAC_ERROR, &json, NULL, NULL, "invalid JSON: %s", "end of file expected");
  slac_diag_bytecode(&s.d, "p.slbc", 40, "jump outside the code");
  slac_diag_bytecode(&s.d, "p.slbc", -1, "truncated");
  slac_site none = {SLAC_SITE_NONE, NULL, 0, 0, 0, NULL, -1};
  slac_report(&s.d, SLAC_ERROR, &none, NULL, "Try 'slac eval --help'.", "no policy given");
  s.d.max_shown = 6; /* the limit is reached: a note is still shown */
  slac_diag_plain(&s.d, SLAC_ERROR, "hidden");
  slac_diag_plain(&s.d, SLAC_NOTE, "%d incidents", 3);
  assert_string_equal(sink_text(&s), "x.log:4: warning: malformed line\n"
                                     "x.json: warning: incident a: no component\n"
                                     "x.json:2:7: error: invalid JSON: end of file expected\n"
                                     "slac: error: p.slbc: jump outside the code\n"
                                     "slac: error: p.slbc: truncated\n"
                                     "slac: error: no policy given\n"
                                     "Try 'slac eval --help'.\n"
                                     "slac: too many diagnostics; the rest are not shown\n"
                                     "slac: note: 3 incidents\n");
  assert_int_equal(s.d.errors, 5);
  assert_int_equal(s.d.warnings, 2);
  sink_close(&s);
}

/* An embedder's sink receives each diagnostic as data, never text. */
typedef struct {
  int n;
  slac_diagnostic got[4];
  char messages[4][64];
} collected;

static void collect(void *ctx, const slac_diagnostic *dg) {
  collected *c = ctx;
  if (c->n == 4) return;
  c->got[c->n] = *dg;
  snprintf(c->messages[c->n], sizeof c->messages[c->n], "%s", dg->message);
  c->got[c->n].message = c->messages[c->n];
  c->n++;
}

static void test_sink_receives_data(void **state) {
  (void)state;
  slac_diags d;
  slac_diags_init(&d, NULL);
  collected c = {0};
  d.sink = collect;
  d.sink_ctx = &c;
  d.werror = true;
  slac_source src;
  assert_int_equal(slac_source_from_text(&src, "p.sla", "commit 99.9\n", 12, &d), 0);
  slac_diag(&d, &src, (slac_loc){1, 8, 1, 12}, SLAC_WARNING, "missing '%%' after %s", "99.9");
  slac_diag_data(&d, "w.csv", 3, "errors", "more errors than requests");
  slac_diag_plain(&d, SLAC_NOTE, "done");
  assert_int_equal(c.n, 3);
  assert_int_equal(c.got[0].severity, SLAC_ERROR);
  assert_true(c.got[0].promoted);
  assert_int_equal(c.got[0].site.kind, SLAC_SITE_SOURCE);
  assert_string_equal(c.got[0].site.file, "p.sla");
  assert_int_equal(c.got[0].site.line, 1);
  assert_int_equal(c.got[0].site.column, 8);
  assert_int_equal(c.got[0].site.end_column, 12);
  assert_ptr_equal(c.got[0].source, &src);
  assert_string_equal(c.messages[0], "missing '%' after 99.9");
  assert_int_equal(c.got[1].site.kind, SLAC_SITE_DATA);
  assert_string_equal(c.got[1].site.column_name, "errors");
  assert_int_equal(c.got[1].site.line, 3);
  assert_int_equal(c.got[2].severity, SLAC_NOTE);
  assert_int_equal(c.got[2].site.kind, SLAC_SITE_NONE);
  assert_int_equal(d.errors, 2);
  assert_int_equal(d.warnings, 0);
  slac_source_free(&src);
}

static void test_control_characters_escaped(void **state) {
  (void)state;
  sink s;
  sink_open(&s);
  /* a data field with ESC, BEL, DEL, C1 CSI in UTF-8, a lone 0x9b byte and
   * a tab; a Latin-1 byte (not UTF-8, not a control) is kept */
  slac_diag_data(&s.d, "f\x1b.csv", 2, "acc\x07", "account \"a\x1b[2J\x07\x7f\xc2\x9b\x9b\t\xe9\"");
  assert_string_equal(sink_text(&s),
                      "f\\x1b.csv:2: error: column 'acc\\x07': "
                      "account \"a\\x1b[2J\\x07\\x7f\\u009b\\x9b\\x09\xe9\"\n");
  sink_close(&s);
  /* the source line under a caret: escapes take as many marks as they
   * have characters; a tab stays a tab */
  sink_open(&s);
  slac_source src;
  assert_int_equal(slac_source_from_text(&src, "p.sla", "\tx\x1by z\n", 7, &s.d), 0);
  slac_loc loc = {1, 3, 1, 6};
  slac_diag(&s.d, &src, loc, SLAC_ERROR, "here");
  assert_string_equal(sink_text(&s), "p.sla:1:3: error: here\n"
                                     "  \tx\\x1by z\n"
                                     "  \t ^~~~~~\n");
  slac_source_free(&src);
  sink_close(&s);
  /* the same for any text: slac_put_shown */
  sink_open(&s);
  slac_put_shown(s.f, "ok \xc2\xa7 \xc2\x85 \x01");
  assert_string_equal(sink_text(&s), "ok \xc2\xa7 \\u0085 \\x01");
  sink_close(&s);
}

static void test_temporary_copy_shown_as_typed(void **state) {
  (void)state;
  char *copy = slac_temp_template("slac-stdin");
  assert_non_null(copy);
  int fd = slac_temp_create(copy, "<stdin>");
  assert_true(fd >= 0);
  close(fd);
  sink s;
  sink_open(&s);
  slac_diag_data(&s.d, copy, 3, "start", "bad");
  slac_diag_plain(&s.d, SLAC_ERROR, "cannot read '%s' (%s)", copy, copy);
  assert_string_equal(sink_text(&s), "<stdin>:3: error: column 'start': bad\n"
                                     "slac: error: cannot read '<stdin>' (<stdin>)\n");
  sink_close(&s);
  slac_temp_remove(copy);
  /* once removed, the path is shown as it is */
  sink_open(&s);
  slac_diag_data(&s.d, copy, 3, NULL, "bad");
  assert_non_null(strstr(sink_text(&s), copy));
  sink_close(&s);
  free(copy);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_len),
      cmocka_unit_test(test_source_from_text_rejects),
      cmocka_unit_test(test_source_load),
      cmocka_unit_test(test_counting_and_limits),
      cmocka_unit_test(test_carets),
      cmocka_unit_test(test_data_messages),
      cmocka_unit_test(test_site_kinds),
      cmocka_unit_test(test_sink_receives_data),
      cmocka_unit_test(test_control_characters_escaped),
      cmocka_unit_test(test_temporary_copy_shown_as_typed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
