/* replay.c - run a fuzz target once per file, without libFuzzer.
 *
 *   replay_TARGET FILE|DIR...
 *
 * Linked with one fuzz target in every build (gcc included), so that the
 * seed corpus and every crash found (tests/fuzz/regressions/TARGET/) are
 * replayed by ctest in the normal and the sanitizer builds.  Prints
 * "N passed, 0 failed" when every file ran; a crash ends the process. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tests/fuzz/fuzz_common.h"

static long runs;

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); return -1; }
  size_t cap = 4096, n = 0;
  uint8_t *b = malloc(cap);
  for (size_t got; b && (got = fread(b + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) {
      uint8_t *r = realloc(b, cap *= 2);
      if (!r) { free(b); b = NULL; }
      b = r;
    }
  }
  fclose(f);
  if (!b) { fprintf(stderr, "%s: out of memory\n", path); return -1; }
  LLVMFuzzerTestOneInput(b, n);
  free(b);
  runs++;
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) { perror(path); return -1; }
  if (!S_ISDIR(st.st_mode)) return run_file(path);
  DIR *dir = opendir(path);
  if (!dir) { perror(path); return -1; }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  for (struct dirent *e; (e = readdir(dir)) != NULL;) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      char **r = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
      if (!r) { rc = -1; break; }
      names = r;
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(len))) { rc = -1; break; }
    snprintf(names[n++], len, "%s/%s", path, e->d_name);
  }
  closedir(dir);
  if (n) qsort(names, n, sizeof *names, cmp_names); /* the same order everywhere */
  for (size_t i = 0; i < n; i++) {
    if (rc == 0 && run_path(names[i]) != 0) rc = -1;
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (run_path(argv[i]) != 0) rc = 1;
  printf("%ld passed, %d failed\n", runs, rc);
  return rc;
}
