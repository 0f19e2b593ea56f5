/* test_cov_fileio.c - runtime/base/fileio.c: atomic writes that fail at each
 * step leave the target as it was and no temporary file; whole-file reads
 * of large, missing and unreadable files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/base/fileio.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(dir, "/tmp/slac-test-fileio.XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

/* Entries in the scratch directory. */
static int entries(void) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  closedir(d);
  return n;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Diagnostics of the file functions, captured as text. */
static char *said;
static size_t said_len;
static FILE *said_f;
static slac_diags said_d;

static slac_diags *capture(void) {
  if (said_f) fclose(said_f);
  free(said);
  said = NULL;
  said_f = open_memstream(&said, &said_len);
  assert_non_null(said_f);
  slac_diags_init(&said_d, said_f);
  return &said_d;
}

static const char *captured(void) {
  fflush(said_f);
  return said;
}

static void test_write_and_read_back(void **state) {
  (void)state;
  char path[128];
  slac_diags *err = capture();
  snprintf(path, sizeof path, "%s/out.slbc", dir);
  /* Bigger than the reader's first buffer, and not a power of two. */
  size_t size = 3 * 4096 + 17;
  uint8_t *bytes = malloc(size);
  assert_non_null(bytes);
  for (size_t i = 0; i < size; i++) bytes[i] = (uint8_t)(i * 7);
  assert_int_equal(slac_write_atomic(path, bytes, size, err), 0);
  assert_int_equal(entries(), 1);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  mode_t mask = umask(0);
  umask(mask);
  assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
  uint8_t *back = NULL;
  size_t n = 0;
  assert_int_equal(slac_read_file(path, &back, &n, err), 0);
  assert_int_equal(n, size);
  assert_memory_equal(back, bytes, size);
  free(back);
  /* An empty file reads as zero bytes. */
  assert_int_equal(slac_write_atomic(path, bytes, 0, err), 0);
  assert_int_equal(slac_read_file(path, &back, &n, err), 0);
  assert_int_equal(n, 0);
  free(back);
  free(bytes);
  unlink(path);
}

static void test_write_failures(void **state) {
  (void)state;
  char path[128];
  slac_diags *err = capture();
  /* No such directory: the temporary file cannot be made. */
  snprintf(path, sizeof path, "%s/missing/out.slbc", dir);
  assert_int_equal(slac_write_atomic(path, (const uint8_t *)"x", 1, err), -1);
  assert_non_null(strstr(captured(), "slac: error: cannot write '"));
  assert_non_null(strstr(captured(), "No such file or directory\n"));
  assert_int_equal(entries(), 0);
  /* The target is a non-empty directory: the rename fails, and the
   * temporary file is removed. */
  snprintf(path, sizeof path, "%s/target", dir);
  assert_int_equal(mkdir(path, 0777), 0);
  char inner[160];
  snprintf(inner, sizeof inner, "%s/keep", path);
  FILE *f = fopen(inner, "w");
  assert_non_null(f);
  fclose(f);
  assert_int_equal(slac_write_atomic(path, (const uint8_t *)"x", 1, err), -1);
  assert_int_equal(err->errors, 2);
  assert_int_equal(entries(), 1);
  unlink(inner);
  rmdir(path);
}

static void test_read_failures(void **state) {
  (void)state;
  slac_diags *err = capture();
  uint8_t *b = NULL;
  size_t n = 0;
  assert_int_equal(slac_read_file("/nonexistent/p.slbc", &b, &n, err), -1);
  assert_string_equal(captured(), "slac: error: cannot open '/nonexistent/p.slbc': No such file or directory\n");
  err = capture();
  assert_int_equal(slac_read_file(dir, &b, &n, err), -1);
  char want[160];
  snprintf(want, sizeof want, "slac: error: cannot read '%s'\n", dir);
  assert_string_equal(captured(), want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_write_and_read_back),
      cmocka_unit_test(test_write_failures),
      cmocka_unit_test(test_read_failures),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
