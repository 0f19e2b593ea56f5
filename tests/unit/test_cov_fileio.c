/* test_cov_fileio.c - runtime/base/fileio.c: atomic writes that fail at each
 * step leave the target as it was and no temporary file; a link is
 * followed, a FIFO or a descriptor written in place, a long name works;
 * an output that is an input is recognised; whole-file reads of large,
 * missing and unreadable files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
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

/* PATH holds exactly TEXT. */
static void holds(const char *path, const char *text) {
  uint8_t *b = NULL;
  size_t n = 0;
  slac_diags d;
  slac_diags_init(&d, NULL);
  assert_int_equal(slac_read_file(path, &b, &n, &d), 0);
  assert_int_equal(n, strlen(text));
  assert_memory_equal(b, text, n);
  free(b);
}

static void test_links_are_followed(void **state) {
  (void)state;
  slac_diags *err = capture();
  char link[128], target[128], chain[128];
  snprintf(link, sizeof link, "%s/link.slbc", dir);
  snprintf(target, sizeof target, "%s/real.slbc", dir);
  snprintf(chain, sizeof chain, "%s/chain.slbc", dir);
  /* dangling: the file it names is made, the link stays */
  assert_int_equal(symlink("real.slbc", link), 0);
  assert_int_equal(slac_write_atomic(link, (const uint8_t *)"one", 3, err), 0);
  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  holds(target, "one");
  /* through two links, relative and absolute: the file is replaced */
  assert_int_equal(symlink(link, chain), 0);
  assert_int_equal(slac_write_atomic(chain, (const uint8_t *)"two", 3, err), 0);
  assert_int_equal(lstat(chain, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  holds(target, "two");
  assert_int_equal(entries(), 3);
  /* a loop of links is an error */
  unlink(target);
  assert_int_equal(symlink("link.slbc", target), 0);
  assert_int_equal(slac_write_atomic(link, (const uint8_t *)"x", 1, err), -1);
  assert_non_null(strstr(captured(), "Too many levels of symbolic links"));
  unlink(link);
  unlink(chain);
  unlink(target);
}

static void test_not_regular_written_in_place(void **state) {
  (void)state;
  slac_diags *err = capture();
  char fifo[128];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  int r = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so that the write opens */
  assert_true(r >= 0);
  assert_int_equal(slac_write_atomic(fifo, (const uint8_t *)"bytes", 5, err), 0);
  char buf[16] = "";
  assert_int_equal(read(r, buf, sizeof buf), 5);
  assert_memory_equal(buf, "bytes", 5);
  close(r);
  struct stat st;
  assert_int_equal(stat(fifo, &st), 0);
  assert_true(S_ISFIFO(st.st_mode));
  unlink(fifo);
  /* a descriptor by name: written through it, at its offset (>>) */
  char file[128], name[64];
  snprintf(file, sizeof file, "%s/appended", dir);
  int fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0600);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "a", 1), 1);
  snprintf(name, sizeof name, "/dev/fd/%d", fd);
  assert_int_equal(slac_write_atomic(name, (const uint8_t *)"b", 1, err), 0);
  snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
  assert_int_equal(slac_write_atomic(name, (const uint8_t *)"c", 1, err), 0);
  close(fd);
  holds(file, "abc");
  unlink(file);
  /* a closed descriptor */
  assert_int_equal(slac_write_atomic(name, (const uint8_t *)"x", 1, err), -1);
  assert_non_null(strstr(captured(), "Bad file descriptor"));
  /* a folder */
  err = capture();
  assert_int_equal(slac_write_atomic(dir, (const uint8_t *)"x", 1, err), -1);
  assert_non_null(strstr(captured(), "Is a directory"));
  assert_int_equal(entries(), 0);
}

static void test_long_name(void **state) {
  (void)state;
  slac_diags *err = capture();
  /* 255 bytes: NAME.tmp.XXXXXX would be too long, slac.tmp.XXXXXX is not */
  char path[400];
  int n = snprintf(path, sizeof path, "%s/", dir);
  memset(path + n, 'n', 255);
  path[n + 255] = 0;
  assert_int_equal(slac_write_atomic(path, (const uint8_t *)"long", 4, err), 0);
  holds(path, "long");
  assert_int_equal(entries(), 1);
  unlink(path);
}

static void test_same_regular_file(void **state) {
  (void)state;
  char a[128], hard[128], sym[128], other[128];
  snprintf(a, sizeof a, "%s/a.sla", dir);
  snprintf(hard, sizeof hard, "%s/hard.sla", dir);
  snprintf(sym, sizeof sym, "%s/sym.sla", dir);
  snprintf(other, sizeof other, "%s/other.sla", dir);
  slac_diags *err = capture();
  assert_int_equal(slac_write_atomic(a, (const uint8_t *)"a", 1, err), 0);
  assert_int_equal(slac_write_atomic(other, (const uint8_t *)"a", 1, err), 0);
  assert_int_equal(link(a, hard), 0);
  assert_int_equal(symlink("a.sla", sym), 0);
  assert_true(slac_same_regular_file(a, a));
  assert_true(slac_same_regular_file(hard, a));
  assert_true(slac_same_regular_file(sym, a));
  assert_true(slac_same_regular_file(a, sym));
  assert_false(slac_same_regular_file(other, a)); /* the same bytes, another file */
  char missing[128];
  snprintf(missing, sizeof missing, "%s/missing", dir);
  assert_false(slac_same_regular_file(missing, a));
  assert_false(slac_same_regular_file(a, missing));
  assert_false(slac_same_regular_file("/dev/null", "/dev/null")); /* not a regular file */
  /* standard input redirected from the file */
  int saved = dup(STDIN_FILENO), fd = open(a, O_RDONLY);
  assert_true(saved >= 0 && fd >= 0);
  assert_true(dup2(fd, STDIN_FILENO) >= 0);
  assert_true(slac_same_regular_file(a, "-"));
  assert_false(slac_same_regular_file(other, "-"));
  assert_true(dup2(saved, STDIN_FILENO) >= 0);
  close(fd);
  close(saved);
  unlink(a);
  unlink(hard);
  unlink(sym);
  unlink(other);
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

/* Files read whole have a size limit: /dev/zero as a policy grew by a
 * gigabyte a second until memory ran out. */
static void test_read_limit(void **state) {
  (void)state;
  slac_diags *err = capture();
  uint8_t *b = NULL;
  size_t n = 0;
  assert_int_equal(slac_read_file("/dev/zero", &b, &n, err), -1);
  assert_string_equal(captured(), "slac: error: '/dev/zero' is larger than 256 MiB, the most slac "
                                  "reads of a policy, bytecode or JSON file\n");
  /* a regular file past the limit is refused unread (sparse: no disk) */
  char path[4096], want[4300];
  snprintf(path, sizeof path, "%s/sparse.sla", dir);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)SLAC_MAX_WHOLE_FILE + 1), 0);
  close(fd);
  err = capture();
  assert_int_equal(slac_read_file(path, &b, &n, err), -1);
  snprintf(want, sizeof want, "slac: error: '%s' is larger than 256 MiB, the most slac reads of a "
                              "policy, bytecode or JSON file\n", path);
  assert_string_equal(captured(), want);
  /* exactly the limit is read */
  assert_int_equal(truncate(path, (off_t)SLAC_MAX_WHOLE_FILE), 0);
  err = capture();
  assert_int_equal(slac_read_file(path, &b, &n, err), 0);
  assert_true(n == SLAC_MAX_WHOLE_FILE);
  free(b);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_limit),
      cmocka_unit_test(test_write_and_read_back),
      cmocka_unit_test(test_write_failures),
      cmocka_unit_test(test_links_are_followed),
      cmocka_unit_test(test_not_regular_written_in_place),
      cmocka_unit_test(test_long_name),
      cmocka_unit_test(test_same_regular_file),
      cmocka_unit_test(test_read_failures),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
