/* test_lexer.c - unit tests of grammar/lexer.l: the tokens, values and
 * source ranges it gives for policy text, and the lexical errors it
 * reports (exact text) without stopping the parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/frontend.h"
#include "parser.h"
/* flex's header names the bison types without our api.prefix */
#define YYSTYPE SLAC_YYSTYPE
#define YYLTYPE SLAC_YYLTYPE
#include "lexer.h"

/* ------------------------------------------------------------------ */
/* Fixture: a scanner over an in-memory source, diagnostics in memory  */
/* ------------------------------------------------------------------ */

typedef struct {
  char *buf;
  size_t size;
  FILE *out;
  slac_diags d;
  slac_source src;
  slac_parse_ctx ctx;
  yyscan_t scanner;
  YY_BUFFER_STATE buffer;
  int tok;          /* the last token */
  SLAC_YYSTYPE val; /* and its value */
  SLAC_YYLTYPE loc; /* and its range */
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->out = open_memstream(&f->buf, &f->size);
  assert_non_null(f->out);
  slac_diags_init(&f->d, f->out);
  *state = f;
  return 0;
}

static void drop_value(fixture *f) {
  if (f->tok == IDENT || f->tok == STRING || f->tok == CITATION) free(f->val.str);
  if (f->tok == QUANTITY) slac_ast_free_quantity(&f->val.qty);
  f->tok = SLAC_YYEOF;
}

static int teardown(void **state) {
  fixture *f = *state;
  drop_value(f);
  if (f->scanner) {
    slac_yy_delete_buffer(f->buffer, f->scanner);
    slac_yylex_destroy(f->scanner);
  }
  slac_source_free(&f->src);
  fclose(f->out);
  free(f->buf);
  free(f);
  return 0;
}

static void start(fixture *f, const char *text) {
  assert_int_equal(slac_source_from_text(&f->src, "t.sla", text, strlen(text), &f->d), 0);
  f->ctx.src = &f->src;
  f->ctx.diags = &f->d;
  f->ctx.line = 1;
  f->ctx.col = 1;
  assert_int_equal(slac_yylex_init_extra(&f->ctx, &f->scanner), 0);
  f->buffer = slac_yy_scan_bytes(f->src.text, (int)f->src.size, f->scanner);
  assert_non_null(f->buffer);
}

static int next(fixture *f) {
  drop_value(f);
  f->tok = slac_yylex(&f->val, &f->loc, f->scanner);
  return f->tok;
}

/* Everything reported so far. */
static const char *diags(fixture *f) {
  fflush(f->out);
  return f->buf ? f->buf : "";
}

static void assert_loc(SLAC_YYLTYPE loc, int l1, int c1, int l2, int c2) {
  assert_int_equal(loc.first_line, l1);
  assert_int_equal(loc.first_column, c1);
  assert_int_equal(loc.last_line, l2);
  assert_int_equal(loc.last_column, c2);
}

/* The next token is a name */
static void expect_ident(fixture *f, const char *text, int line, int c1, int c2) {
  assert_int_equal(next(f), IDENT);
  assert_string_equal(f->val.str, text);
  assert_loc(f->loc, line, c1, line, c2);
}

/* The next token is a number with UNIT */
static void expect_qty(fixture *f, const char *text, slac_unit unit, int c1, int c2) {
  assert_int_equal(next(f), QUANTITY);
  assert_string_equal(f->val.qty.text, text);
  assert_int_equal(f->val.qty.unit, unit);
  assert_false(f->val.qty.valid); /* the checker converts it */
  assert_int_equal(f->val.qty.loc.first_column, c1);
  assert_int_equal(f->val.qty.loc.last_column, c2);
  assert_memory_equal(&f->val.qty.loc, &f->loc, sizeof f->loc);
}

/* ------------------------------------------------------------------ */
/* Tokens                                                               */
/* ------------------------------------------------------------------ */

static void test_keywords_names_and_punctuation(void **state) {
  fixture *f = *state;
  start(f, "policy acme version 1 {\n  service api_2 \"API\" { }\n}");
  assert_int_equal(next(f), POLICY);
  assert_loc(f->loc, 1, 1, 1, 7);
  expect_ident(f, "acme", 1, 8, 12);
  assert_int_equal(next(f), VERSION);
  expect_qty(f, "1", SLAC_UNIT_NONE, 21, 22);
  assert_int_equal(next(f), '{');
  assert_loc(f->loc, 1, 23, 1, 24);
  assert_int_equal(next(f), SERVICE);
  assert_loc(f->loc, 2, 3, 2, 10);
  expect_ident(f, "api_2", 2, 11, 16);
  assert_int_equal(next(f), STRING);
  assert_string_equal(f->val.str, "API");
  assert_loc(f->loc, 2, 17, 2, 22);
  assert_int_equal(next(f), '{');
  assert_int_equal(next(f), '}');
  assert_int_equal(next(f), '}');
  assert_loc(f->loc, 3, 1, 3, 2);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
  assert_int_equal(f->ctx.ntokens, 11);
  assert_int_equal(f->ctx.nbraces, 0);
  assert_int_equal(f->ctx.policy_end, 3);
}

/* The words of "most severe tier applies" are keywords; "tiers" and
 * "Most" stay names. */
static void test_most_severe_words(void **state) {
  fixture *f = *state;
  start(f, ", most severe tier applies tiers Most");
  assert_int_equal(next(f), ',');
  assert_int_equal(next(f), MOST);
  assert_loc(f->loc, 1, 3, 1, 7);
  assert_int_equal(next(f), SEVERE);
  assert_int_equal(next(f), TIER);
  assert_int_equal(next(f), APPLIES);
  assert_loc(f->loc, 1, 20, 1, 27);
  expect_ident(f, "tiers", 1, 28, 33);
  expect_ident(f, "Most", 1, 34, 38);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

static void test_keywords_are_whole_words(void **state) {
  fixture *f = *state;
  /* a keyword inside a longer name is a name; keywords are case-sensitive */
  start(f, "policyx commits Policy measure -> ,");
  expect_ident(f, "policyx", 1, 1, 8);
  expect_ident(f, "commits", 1, 9, 16);
  expect_ident(f, "Policy", 1, 17, 23);
  assert_int_equal(next(f), MEASURE);
  assert_int_equal(next(f), ARROW);
  assert_loc(f->loc, 1, 32, 1, 34);
  assert_int_equal(next(f), ',');
  assert_int_equal(next(f), SLAC_YYEOF);
}

static void test_quantities_carry_their_unit(void **state) {
  fixture *f = *state;
  start(f, "99.95% 10 min 5.00 USD 1 -5 % 0.5\ts");
  expect_qty(f, "99.95", SLAC_UNIT_PERCENT, 1, 7);
  expect_qty(f, "10", SLAC_UNIT_DURATION, 8, 14);
  assert_int_equal(f->val.qty.unit_seconds, 60);
  expect_qty(f, "5.00", SLAC_UNIT_MONEY, 15, 23);
  assert_string_equal(f->val.qty.currency, "USD");
  expect_qty(f, "1", SLAC_UNIT_NONE, 24, 25);
  expect_qty(f, "-5", SLAC_UNIT_PERCENT, 26, 30);
  expect_qty(f, "0.5", SLAC_UNIT_DURATION, 31, 36);
  assert_int_equal(f->val.qty.unit_seconds, 1);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

/* Calendar months ("2 months", "1 month") and ordinals glued to their
 * number ("2nd") are quantities of their own; "2 nd" is a number and a
 * name, and "per month" stays the keyword. */
static void test_months_and_ordinals(void **state) {
  fixture *f = *state;
  start(f, "2 months 1 month 2nd 13th 3nd 2 nd per month 12 months");
  expect_qty(f, "2", SLAC_UNIT_MONTHS, 1, 9);
  expect_qty(f, "1", SLAC_UNIT_MONTHS, 10, 17);
  expect_qty(f, "2", SLAC_UNIT_ORDINAL, 18, 21);
  assert_string_equal(f->val.qty.currency, "nd");
  expect_qty(f, "13", SLAC_UNIT_ORDINAL, 22, 26);
  assert_string_equal(f->val.qty.currency, "th");
  expect_qty(f, "3", SLAC_UNIT_ORDINAL, 27, 30); /* the checker says "write 3rd" */
  assert_string_equal(f->val.qty.currency, "nd");
  expect_qty(f, "2", SLAC_UNIT_NONE, 31, 32);
  expect_ident(f, "nd", 1, 33, 35);
  assert_int_equal(next(f), PER);
  assert_int_equal(next(f), MONTH);
  expect_qty(f, "12", SLAC_UNIT_MONTHS, 46, 55);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

/* The words of the language's second version are keywords. */
static void test_v2_words(void **state) {
  fixture *f = *state;
  start(f, "quarter year terms default for plans kind ignore announced ahead by end billing "
           "after fees charge caveat Terms quarterly");
  static const int want[] = {QUARTER, YEAR, TERMS, DEFAULT, FOR, PLANS, KIND, IGNORE, ANNOUNCED,
                             AHEAD, BY, END, BILLING, AFTER, FEES, CHARGE, CAVEAT};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) assert_int_equal(next(f), want[i]);
  assert_int_equal(next(f), IDENT);
  assert_string_equal(f->val.str, "Terms");
  assert_int_equal(next(f), IDENT);
  assert_string_equal(f->val.str, "quarterly");
  assert_int_equal(next(f), SLAC_YYEOF);
}

static void test_duration_units(void **state) {
  fixture *f = *state;
  static const struct { const char *text; int64_t secs; } units[] = {
      {"1 s", 1},         {"1 sec", 1},      {"1 second", 1}, {"1 seconds", 1},
      {"1 min", 60},      {"1 minute", 60},  {"1 minutes", 60}, {"1 h", 3600},
      {"1 hour", 3600},   {"1 hours", 3600}, {"1 day", 86400}, {"1 days", 86400},
      {"1 week", 604800}, {"1 weeks", 604800},
  };
  char text[512] = "";
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    strcat(text, units[i].text);
    strcat(text, "\n");
  }
  start(f, text);
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    assert_int_equal(next(f), QUANTITY);
    assert_int_equal(f->val.qty.unit, SLAC_UNIT_DURATION);
    assert_int_equal(f->val.qty.unit_seconds, units[i].secs);
    assert_loc(f->loc, (int)i + 1, 1, (int)i + 1, 1 + (int)strlen(units[i].text));
  }
  assert_int_equal(next(f), SLAC_YYEOF);
}

static void test_number_gives_back_a_word_that_is_no_unit(void **state) {
  fixture *f = *state;
  /* "10 requests": the number, then the keyword, each at its own place;
   * a lower-case or 4-letter word is not a currency either */
  start(f, "10 requests 5 usd 7 EURO");
  expect_qty(f, "10", SLAC_UNIT_NONE, 1, 3);
  assert_int_equal(next(f), REQUESTS);
  assert_loc(f->loc, 1, 4, 1, 12);
  expect_qty(f, "5", SLAC_UNIT_NONE, 13, 14);
  expect_ident(f, "usd", 1, 15, 18);
  expect_qty(f, "7", SLAC_UNIT_NONE, 19, 20);
  expect_ident(f, "EURO", 1, 21, 25);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

static void test_any_three_capitals_are_money(void **state) {
  fixture *f = *state;
  /* the lexer does not know ISO 4217: the checker does */
  start(f, "1.00 XYZ");
  expect_qty(f, "1.00", SLAC_UNIT_MONEY, 1, 9);
  assert_string_equal(f->val.qty.currency, "XYZ");
}

static void test_citations(void **state) {
  fixture *f = *state;
  start(f, "§4 §\"Service Credits\"(ii) §5.1 §Preamble x");
  assert_int_equal(next(f), CITATION);
  assert_string_equal(f->val.str, "§4");
  assert_loc(f->loc, 1, 1, 1, 3); /* columns count code points */
  assert_int_equal(next(f), CITATION);
  assert_string_equal(f->val.str, "§Service Credits(ii)");
  assert_loc(f->loc, 1, 4, 1, 26);
  assert_int_equal(next(f), CITATION);
  assert_string_equal(f->val.str, "§5.1");
  assert_loc(f->loc, 1, 27, 1, 31);
  assert_int_equal(next(f), CITATION);
  assert_string_equal(f->val.str, "§Preamble");
  expect_ident(f, "x", 1, 42, 43);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

static void test_strings_and_escapes(void **state) {
  fixture *f = *state;
  start(f, "\"a \\\"b\\\" \\\\ c\" \"\" \"§é\"");
  assert_int_equal(next(f), STRING);
  assert_string_equal(f->val.str, "a \"b\" \\ c");
  assert_loc(f->loc, 1, 1, 1, 15);
  assert_int_equal(next(f), STRING);
  assert_string_equal(f->val.str, "");
  assert_loc(f->loc, 1, 16, 1, 18);
  assert_int_equal(next(f), STRING);
  assert_string_equal(f->val.str, "§é");
  assert_loc(f->loc, 1, 19, 1, 23);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

static void test_comments_and_layout_are_skipped(void **state) {
  fixture *f = *state;
  start(f, "// one\r\n/* two\n ** three */ \t policy /**/ acme");
  assert_int_equal(next(f), POLICY);
  assert_loc(f->loc, 3, 16, 3, 22);
  expect_ident(f, "acme", 3, 28, 32);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "");
}

static void test_end_of_file_is_just_past_the_last_token(void **state) {
  fixture *f = *state;
  /* not on the blank lines or the comment that follow */
  start(f, "policy acme\n\n// the end\n\n");
  assert_int_equal(next(f), POLICY);
  assert_int_equal(next(f), IDENT);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_loc(f->loc, 1, 12, 1, 12);
  assert_true(f->ctx.at_eof);
}

static void test_end_of_an_empty_file(void **state) {
  fixture *f = *state;
  start(f, "");
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_loc(f->loc, 1, 1, 1, 1);
  assert_int_equal(f->ctx.ntokens, 0);
}

static void test_braces_are_tracked(void **state) {
  fixture *f = *state;
  /* the '}' of line 4 is indented like line 1, not like its '{' (line 3) */
  start(f, "a {\n  b { c }\n  d {\n}\n");
  while (next(f) != SLAC_YYEOF) {}
  assert_int_equal(f->ctx.nbraces, 1);
  assert_loc(f->ctx.braces[0], 1, 3, 1, 4);
  assert_int_equal(f->ctx.unclosed_guess, 3);
  assert_int_equal(f->ctx.policy_end, 0);
}

/* ------------------------------------------------------------------ */
/* Lexical errors: reported, then lexing goes on                        */
/* ------------------------------------------------------------------ */

static void test_bad_character(void **state) {
  fixture *f = *state;
  start(f, "a $ b");
  expect_ident(f, "a", 1, 1, 2);
  expect_ident(f, "b", 1, 5, 6);
  assert_string_equal(diags(f), "t.sla:1:3: error: unexpected character '$'\n"
                                "  a $ b\n"
                                "    ^\n");
  assert_int_equal(f->d.errors, 1);
  /* the parser stays silent about the token right after it */
  assert_int_equal(f->ctx.bad_token, 2);
}

static void test_a_run_of_bad_characters_is_one_error(void **state) {
  fixture *f = *state;
  start(f, "x @#! y ×\n");
  expect_ident(f, "x", 1, 1, 2);
  expect_ident(f, "y", 1, 7, 8);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f), "t.sla:1:3: error: unexpected character '@'\n"
                                "  x @#! y ×\n"
                                "    ^\n"
                                "t.sla:1:9: error: unexpected character '×'\n"
                                "  x @#! y ×\n"
                                "          ^\n");
}

static void test_control_character_is_shown_escaped(void **state) {
  fixture *f = *state;
  start(f, "a\x01");
  expect_ident(f, "a", 1, 1, 2);
  assert_int_equal(next(f), SLAC_YYEOF);
  /* in the message and in the source line: the raw byte never reaches the
   * terminal, and the caret spans its escape */
  assert_string_equal(diags(f), "t.sla:1:2: error: unexpected character '\\x01'\n"
                                "  a\\x01\n"
                                "   ^~~~\n");
}

static void test_semicolon_hint(void **state) {
  fixture *f = *state;
  start(f, "commit 99.9%;");
  assert_int_equal(next(f), COMMIT);
  expect_qty(f, "99.9", SLAC_UNIT_PERCENT, 8, 13);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_string_equal(diags(f),
                      "t.sla:1:13: error: unexpected ';': clauses need no separator, remove it\n"
                      "  commit 99.9%;\n"
                      "              ^\n");
}

static void test_wrong_arrows_are_read_as_arrows(void **state) {
  fixture *f = *state;
  start(f, "=> →");
  assert_int_equal(next(f), ARROW);
  assert_loc(f->loc, 1, 1, 1, 3);
  assert_int_equal(next(f), ARROW);
  assert_loc(f->loc, 1, 4, 1, 5);
  assert_string_equal(diags(f), "t.sla:1:1: error: '=>' is not an arrow in a policy: write '->'\n"
                                "  => →\n"
                                "  ^~\n"
                                "t.sla:1:4: error: '→' is not an arrow in a policy: write '->'\n"
                                "  => →\n"
                                "     ^\n");
}

static void test_percent_word_is_read_as_percent(void **state) {
  fixture *f = *state;
  start(f, "99.9 percent");
  expect_qty(f, "99.9", SLAC_UNIT_PERCENT, 1, 13);
  assert_string_equal(diags(f), "t.sla:1:1: error: write 99.9% for a percentage, not 'percent'\n"
                                "  99.9 percent\n"
                                "  ^~~~~~~~~~~~\n");
}

static void test_unterminated_string(void **state) {
  fixture *f = *state;
  start(f, "note \"abc\nx");
  assert_int_equal(next(f), NOTE);
  assert_int_equal(next(f), STRING);
  assert_string_equal(f->val.str, "abc");
  expect_ident(f, "x", 2, 1, 2);
  assert_string_equal(diags(f),
                      "t.sla:1:6: error: string never closed: add \" before the end of the line\n"
                      "  note \"abc\n"
                      "       ^~~~\n");
}

static void test_bad_escape_points_at_the_backslash(void **state) {
  fixture *f = *state;
  /* columns count code points: é is one */
  start(f, "\"é\\q\\\\\\ü\"");
  assert_int_equal(next(f), STRING);
  assert_string_equal(f->val.str, "éq\\ü");
  assert_string_equal(diags(f),
                      "t.sla:1:3: error: unknown escape '\\q' in a string: only \\\" and \\\\ are escapes\n"
                      "  \"é\\q\\\\\\ü\"\n"
                      "    ^~\n"
                      "t.sla:1:7: error: unknown escape '\\ü' in a string: only \\\" and \\\\ are escapes\n"
                      "  \"é\\q\\\\\\ü\"\n"
                      "        ^~\n");
}

static void test_unclosed_comment_ends_the_file(void **state) {
  fixture *f = *state;
  start(f, "a /* b\nc");
  expect_ident(f, "a", 1, 1, 2);
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_true(f->ctx.stop); /* the parser adds nothing */
  assert_string_equal(diags(f), "t.sla:1:3: error: comment never closed: add */\n"
                                "  a /* b\n"
                                "    ^~\n");
}

static void test_lone_section_sign(void **state) {
  fixture *f = *state;
  start(f, "§ 4");
  expect_qty(f, "4", SLAC_UNIT_NONE, 3, 4);
  assert_string_equal(
      diags(f),
      "t.sla:1:1: error: a citation needs a section after '§', like §4 or §\"Exclusions\"\n"
      "  § 4\n"
      "  ^\n");
}

static void test_long_name_is_cut(void **state) {
  fixture *f = *state;
  char text[301];
  memset(text, 'n', 300);
  text[300] = 0;
  start(f, text);
  assert_int_equal(next(f), IDENT);
  assert_int_equal(strlen(f->val.str), 255);
  assert_loc(f->loc, 1, 1, 1, 301);
  assert_int_equal(f->d.errors, 1);
  assert_non_null(strstr(diags(f), "t.sla:1:1: error: name longer than 255 characters\n"));
}

static void test_long_string(void **state) {
  fixture *f = *state;
  char text[4200];
  text[0] = '"';
  memset(text + 1, 's', 4097);
  text[4098] = '"';
  text[4099] = 0;
  start(f, text);
  assert_int_equal(next(f), STRING);
  assert_int_equal(strlen(f->val.str), 4097);
  assert_non_null(strstr(diags(f), "t.sla:1:1: error: string longer than 4096 bytes\n"));
}

static void test_parentheses_nest_at_most_100_deep(void **state) {
  fixture *f = *state;
  char text[256];
  memset(text, '(', 101);
  text[101] = 0;
  start(f, text);
  for (int i = 0; i < 100; i++) assert_int_equal(next(f), '(');
  assert_int_equal(next(f), SLAC_YYEOF);
  assert_true(f->ctx.stop);
  assert_int_equal(f->d.errors, 1);
  assert_non_null(strstr(
      diags(f), "t.sla:1:101: error: conditions nested more than 100 deep: simplify the expression\n"));
}

static void test_closing_parentheses_free_depth(void **state) {
  fixture *f = *state;
  char text[512];
  size_t n = 0;
  for (int r = 0; r < 3; r++) {
    for (int i = 0; i < 80; i++) text[n++] = '(';
    for (int i = 0; i < 80; i++) text[n++] = ')';
  }
  text[n] = 0;
  start(f, text);
  while (next(f) != SLAC_YYEOF) {}
  assert_int_equal(f->ctx.ntokens, 480);
  assert_int_equal(f->ctx.depth, 0);
  assert_string_equal(diags(f), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_keywords_names_and_punctuation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_keywords_are_whole_words, setup, teardown),
      cmocka_unit_test_setup_teardown(test_most_severe_words, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quantities_carry_their_unit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_duration_units, setup, teardown),
      cmocka_unit_test_setup_teardown(test_months_and_ordinals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_v2_words, setup, teardown),
      cmocka_unit_test_setup_teardown(test_number_gives_back_a_word_that_is_no_unit, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_any_three_capitals_are_money, setup, teardown),
      cmocka_unit_test_setup_teardown(test_citations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_strings_and_escapes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_comments_and_layout_are_skipped, setup, teardown),
      cmocka_unit_test_setup_teardown(test_end_of_file_is_just_past_the_last_token, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_end_of_an_empty_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_braces_are_tracked, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_character, setup, teardown),
      cmocka_unit_test_setup_teardown(test_a_run_of_bad_characters_is_one_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_control_character_is_shown_escaped, setup, teardown),
      cmocka_unit_test_setup_teardown(test_semicolon_hint, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_arrows_are_read_as_arrows, setup, teardown),
      cmocka_unit_test_setup_teardown(test_percent_word_is_read_as_percent, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unterminated_string, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_escape_points_at_the_backslash, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unclosed_comment_ends_the_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lone_section_sign, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_name_is_cut, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_string, setup, teardown),
      cmocka_unit_test_setup_teardown(test_parentheses_nest_at_most_100_deep, setup, teardown),
      cmocka_unit_test_setup_teardown(test_closing_parentheses_free_depth, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
