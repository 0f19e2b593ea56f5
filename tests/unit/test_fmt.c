/* test_fmt.c - `slac fmt` never changes what a policy means.
 *
 * A property over every policy the project holds that parses: the shipped
 * and corpus policies, the fuzz seeds, the diagnostics cases and the eval
 * cases' own policies.  For each, fmt(x) parses without a message, is its
 * own format (idempotent), and compiles exactly when x compiles, to the
 * same code: the same constants, declarations and instructions, byte for
 * byte (only the source's hash and the line table may differ).  Then a few
 * layouts are checked exactly: comments kept in place, citations and
 * arrows aligned, one-line blocks opened, blank lines kept. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/codegen.h"
#include "compiler/fmt.h"
#include "grammar/frontend.h"

/* Parse TEXT; its format, or NULL when it does not parse cleanly. */
static char *format_text(const char *name, const char *text, size_t len) {
  slac_diags d;
  slac_diags_init(&d, NULL);
  slac_source src;
  if (slac_source_from_text(&src, name, text, len, &d) != 0) {
    slac_source_free(&src);
    return NULL;
  }
  slac_policy *p = slac_parse(&src, &d);
  char *out = NULL;
  size_t size = 0;
  if (p && d.errors == 0 && !p->incomplete) out = slac_fmt(p, &src, &size, &d);
  slac_ast_free_policy(p);
  slac_source_free(&src);
  return out;
}

/* TEXT compiled, loaded, and written again without what the layout may
 * change (the source's hash, the line table); NULL when it does not
 * compile. */
static uint8_t *code_of(const char *text, size_t len, size_t *size) {
  slac_diags d;
  slac_diags_init(&d, NULL);
  slac_source src;
  if (slac_source_from_text(&src, "p.sla", text, len, &d) != 0) {
    slac_source_free(&src);
    return NULL;
  }
  uint8_t *bytes = NULL;
  size_t n = 0;
  int rc = slac_compile_source(&src, &d, &bytes, &n);
  slac_source_free(&src);
  if (rc != 0) return NULL;
  slac_program *p = NULL;
  assert_int_equal(slac_program_load(bytes, n, "p.slbc", &p, &d), 0);
  free(bytes);
  for (size_t i = 0; i < sizeof p->source_hash; i++) p->source_hash[i] = 0;
  p->nlines = 0;
  uint8_t *out = NULL;
  assert_int_equal(slac_program_write(p, &out, size), 0);
  slac_program_free(p);
  return out;
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n + 4096 + 1 > cap) {
      cap = cap ? 2 * cap : 8192;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
    size_t k = fread(buf + n, 1, 4096, f);
    n += k;
    if (k < 4096) break;
  }
  fclose(f);
  buf[n] = 0;
  *len = n;
  return buf;
}

static int checked, compiled;

static void check_one(const char *path) {
  size_t len;
  char *x = read_all(path, &len);
  if (!x) return;
  char *fx = format_text(path, x, len);
  if (!fx) { free(x); return; } /* does not parse: nothing to format */
  checked++;
  char *ffx = format_text(path, fx, strlen(fx));
  if (!ffx || strcmp(fx, ffx) != 0) {
    print_error("%s: %s\n", path, ffx ? "fmt is not idempotent" : "fmt's output does not parse");
    fail();
  }
  size_t na = 0, nb = 0;
  uint8_t *a = code_of(x, len, &na), *b = code_of(fx, strlen(fx), &nb);
  if ((a == NULL) != (b == NULL) || (a && (na != nb || memcmp(a, b, na) != 0))) {
    print_error("%s: fmt changed the compiled code (%s)\n", path,
                (a == NULL) != (b == NULL) ? "one compiles, the other not" : "different bytes");
    fail();
  }
  compiled += a != NULL;
  free(a);
  free(b);
  free(ffx);
  free(fx);
  free(x);
}

/* Every .sla in DIR (and, with SUB, in each folder of DIR; other files
 * are no folders and are skipped). */
static void check_dir(const char *dir, int sub) {
  DIR *dp = opendir(dir);
  if (!dp && sub < 0) return;
  assert_non_null(dp);
  struct dirent *e;
  while ((e = readdir(dp))) {
    if (e->d_name[0] == '.') continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    size_t n = strlen(e->d_name);
    if (n > 4 && strcmp(e->d_name + n - 4, ".sla") == 0) check_one(path);
    else if (sub > 0) check_dir(path, -1);
  }
  closedir(dp);
}

static void test_meaning_preserved(void **state) {
  (void)state;
  check_dir(SLAC_SOURCE_DIR "/policies", 0);
  check_dir(SLAC_SOURCE_DIR "/tests/fuzz/corpus/policy", 0);
  check_dir(SLAC_SOURCE_DIR "/tests/diagnostics", 0);
  check_dir(SLAC_SOURCE_DIR "/tests/eval", 1);
  check_dir(SLAC_SOURCE_DIR "/tests/corpus", 1);
  /* the property ran over real inputs */
  assert_true(checked >= 150);
  assert_true(compiled >= 60);
}

static void expect_format(const char *in, const char *want) {
  char *got = format_text("t.sla", in, strlen(in));
  assert_non_null(got);
  if (strcmp(got, want) != 0) print_error("got:\n%s\nwant:\n%s\n", got, want);
  assert_string_equal(got, want);
  free(got);
}

static void test_layout(void **state) {
  (void)state;
  expect_format("// header\n\npolicy p version 1 { currency USD §1 // money\n"
                "service api \"API\" { measure unavailable minutes §2 commit 99.9%  §3 }\n"
                "  /* before the schedule */\n\n\n"
                "credit of monthly fee §4 { below 99.9% and at or above 99%->10% below 99%   -> 25% §4(b) }\n"
                "exclude maintenance up to 10min per month §5 not eligible when plan is \"Free\" or (standing is overdue and not plan in {\"A\",\"B\"})\n"
                "claim required { claim by end of 2nd billing month after interruption include logs }\n"
                "} // end\n",
                "// header\n"
                "\n"
                "policy p version 1 {\n"
                "  currency USD                                §1  // money\n"
                "  service api \"API\" {\n"
                "    measure unavailable minutes               §2\n"
                "    commit 99.9%                              §3\n"
                "  }\n"
                "  /* before the schedule */\n"
                "\n"
                "  credit of monthly fee §4 {\n"
                "    below 99.9% and at or above 99% -> 10%\n"
                "    below 99%                       -> 25%    §4(b)\n"
                "  }\n"
                "  exclude maintenance up to 10 min per month  §5\n"
                "  not eligible when plan is \"Free\" or (standing is overdue and not plan in { \"A\", \"B\" })\n"
                "  claim required {\n"
                "    claim by end of 2nd billing month after interruption\n"
                "    include logs\n"
                "  }\n"
                "}  // end\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_layout),
      cmocka_unit_test(test_meaning_preserved),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
