/* test_tempfile.c - runtime/base/tempfile.c: the table of temporary files,
 * the names shown for them, and the signal handlers that remove them
 * (each signal in a child process, which must die of it and leave no
 * file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/base/tempfile.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(dir, "/tmp/slac-test-tempfile.XXXXXX");
  if (!mkdtemp(dir)) return -1;
  return setenv("TMPDIR", dir, 1);
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static bool exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static void test_create_rename_remove(void **state) {
  (void)state;
  char *a = slac_temp_template("slac-test");
  assert_non_null(a);
  assert_int_equal(strncmp(a, dir, strlen(dir)), 0);
  assert_string_equal(strrchr(a, '/'), "/slac-test-XXXXXX");
  assert_string_equal(slac_temp_dir(), dir);
  int fd = slac_temp_create(a, NULL);
  assert_true(fd >= 0);
  close(fd);
  assert_null(strstr(a, "XXXXXX")); /* filled in place */
  assert_true(exists(a));
  assert_int_equal(slac_temp_count(), 1);
  char target[128];
  snprintf(target, sizeof target, "%s/renamed", dir);
  assert_int_equal(slac_temp_rename(a, target), 0);
  assert_int_equal(slac_temp_count(), 0);
  assert_false(exists(a));
  assert_true(exists(target));
  /* a failed rename keeps the file listed */
  char *b = slac_temp_template("slac-test");
  fd = slac_temp_create(b, NULL);
  close(fd);
  assert_int_equal(slac_temp_rename(b, "/nonexistent/x"), -1);
  assert_int_equal(errno, ENOENT);
  assert_int_equal(slac_temp_count(), 1);
  assert_int_equal(slac_temp_remove(b), 0);
  assert_int_equal(slac_temp_count(), 0);
  assert_false(exists(b));
  unlink(target);
  free(a);
  free(b);
}

static void test_create_failures(void **state) {
  (void)state;
  char bad[] = "/nonexistent/slac-XXXXXX";
  assert_int_equal(slac_temp_create(bad, NULL), -1);
  assert_int_equal(errno, ENOENT);
  assert_int_equal(slac_temp_count(), 0);
  /* a full table: EMFILE, and nothing made */
  char **paths = calloc(SLAC_TEMP_MAX + 1, sizeof *paths);
  assert_non_null(paths);
  for (int i = 0; i <= SLAC_TEMP_MAX; i++) {
    paths[i] = slac_temp_template("full");
    int fd = slac_temp_create(paths[i], NULL);
    if (i < SLAC_TEMP_MAX) {
      assert_true(fd >= 0);
      close(fd);
    } else {
      assert_int_equal(fd, -1);
      assert_int_equal(errno, EMFILE);
      assert_non_null(strstr(paths[i], "XXXXXX"));
    }
  }
  assert_int_equal(slac_temp_count(), SLAC_TEMP_MAX);
  slac_temp_unlink_all();
  for (int i = 0; i < SLAC_TEMP_MAX; i++) assert_false(exists(paths[i]));
  for (int i = 0; i <= SLAC_TEMP_MAX; i++) {
    slac_temp_remove(paths[i]); /* forget them */
    free(paths[i]);
  }
  free(paths);
  assert_int_equal(slac_temp_count(), 0);
}

static void test_shown_names(void **state) {
  (void)state;
  size_t len;
  const char *shown;
  assert_null(slac_temp_find("nothing listed", &len, &shown));
  char *a = slac_temp_template("slac-stdin"), *b = slac_temp_template("slac-input");
  char *c = slac_temp_template("slac-convert");
  close(slac_temp_create(a, "<stdin>"));
  close(slac_temp_create(b, "/dev/fd/63"));
  close(slac_temp_create(c, NULL)); /* no shown name: never replaced */
  char text[512];
  snprintf(text, sizeof text, "'%s' and '%s' and '%s'", c, b, a);
  const char *at = slac_temp_find(text, &len, &shown);
  assert_ptr_equal(at, strstr(text, b)); /* the first one with a name */
  assert_int_equal(len, strlen(b));
  assert_string_equal(shown, "/dev/fd/63");
  at = slac_temp_find(at + len, &len, &shown);
  assert_ptr_equal(at, strstr(text, a));
  assert_string_equal(shown, "<stdin>");
  assert_null(slac_temp_find(at + len, &len, &shown));
  slac_temp_remove(a);
  slac_temp_remove(b);
  slac_temp_remove(c);
  assert_null(slac_temp_find(text, &len, &shown));
  free(a);
  free(b);
  free(c);
}

/* In a child: list a file, catch signals, raise SIG.  The child must die
 * of SIG and the file must be gone. */
static void dies_of(int sig, bool ignored_before) {
  char *path = slac_temp_template("slac-signal");
  assert_non_null(path);
  int pipefd[2];
  assert_int_equal(pipe(pipefd), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    if (ignored_before) signal(sig, SIG_IGN);
    int fd = slac_temp_create(path, NULL);
    if (fd < 0) _exit(90);
    if (write(pipefd[1], path, strlen(path) + 1) < 0) _exit(91);
    slac_temp_catch_signals();
    raise(sig);
    _exit(0); /* an ignored signal: the file stays listed, and is left */
  }
  close(pipefd[1]);
  char made[256] = "";
  assert_true(read(pipefd[0], made, sizeof made) > 0);
  close(pipefd[0]);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (ignored_before) {
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(exists(made));
    unlink(made);
  } else {
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), sig);
    assert_false(exists(made));
  }
  free(path);
}

static void test_signals_remove_files(void **state) {
  (void)state;
  dies_of(SIGINT, false);
  dies_of(SIGTERM, false);
  dies_of(SIGHUP, false);
  dies_of(SIGPIPE, false);
  /* nohup, a background job: a signal ignored stays ignored */
  dies_of(SIGHUP, true);
  dies_of(SIGINT, true);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_rename_remove),
      cmocka_unit_test(test_create_failures),
      cmocka_unit_test(test_shown_names),
      cmocka_unit_test(test_signals_remove_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
