/* fuzz_common.c - helpers of the fuzz targets (see fuzz_common.h). */
#include "tests/fuzz/fuzz_common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compiler/codegen.h"

#ifndef SLAC_SOURCE_DIR
#error "SLAC_SOURCE_DIR must name the repository"
#endif

static void die(const char *what) {
  fprintf(stderr, "fuzz: %s\n", what);
  abort();
}

FILE *fuzz_devnull(void) {
  static FILE *f;
  if (!f && !(f = fopen("/dev/null", "w"))) die("cannot open /dev/null");
  return f;
}

const char *fuzz_source_file(const char *rel) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", SLAC_SOURCE_DIR, rel);
  return buf;
}

const slac_program *fuzz_policy(const char *name) {
  static struct { char name[32]; slac_program *p; } cache[4];
  for (int i = 0; i < 4; i++)
    if (cache[i].p && strcmp(cache[i].name, name) == 0) return cache[i].p;
  char rel[64];
  snprintf(rel, sizeof rel, "policies/%s.sla", name);
  slac_diags d;
  slac_diags_init(&d, stderr);
  slac_source src;
  if (slac_source_load(&src, fuzz_source_file(rel), &d) != 0) die("cannot load the policy");
  uint8_t *bytes;
  size_t size;
  if (slac_compile_source(&src, &d, &bytes, &size) != 0) die("the policy does not compile");
  slac_source_free(&src);
  slac_program *p;
  if (slac_program_load(bytes, size, "policy.slbc", &p, &d) != 0) die("the policy does not load");
  free(bytes);
  for (int i = 0; i < 4; i++)
    if (!cache[i].p) {
      snprintf(cache[i].name, sizeof cache[i].name, "%s", name);
      cache[i].p = p;
      return p;
    }
  die("too many policies");
  return NULL;
}

static char scratch[512];
static char paths[8][600];
static int npaths;

static void remove_scratch(void) {
  for (int i = 0; i < npaths; i++) unlink(paths[i]);
  rmdir(scratch);
}

const char *fuzz_path(const char *name) {
  if (!scratch[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/slac-fuzz.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(scratch)) die("cannot make a scratch directory");
    atexit(remove_scratch);
  }
  char want[600];
  snprintf(want, sizeof want, "%s/%s", scratch, name);
  for (int i = 0; i < npaths; i++)
    if (strcmp(paths[i], want) == 0) return paths[i];
  if (npaths == 8) die("too many scratch files");
  memcpy(paths[npaths], want, sizeof want);
  return paths[npaths++];
}

void fuzz_write(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f) die("cannot write a scratch file");
  if (size && fwrite(data, 1, size, f) != size) die("cannot write a scratch file");
  if (fclose(f) != 0) die("cannot write a scratch file");
}
