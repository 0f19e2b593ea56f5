/* support.c - helpers shared by the unit tests (support.h). */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "compiler/codegen.h"
#include "runtime/base/diag.h"

slac_program *test_load_shipped_policy(const char *file) {
  char path[1024], err[512];
  snprintf(path, sizeof path, "%s/policies/%s", SLAC_SOURCE_DIR, file);
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  slac_source src;
  if (slac_source_load(&src, path, &d) != 0) return NULL;
  uint8_t *bytes = NULL;
  size_t size = 0;
  int rc = slac_compile_source(&src, &d, &bytes, &size);
  slac_source_free(&src);
  slac_program *p = NULL;
  if (rc == 0 && slac_program_load(bytes, size, &p, err, sizeof err) != 0) {
    fprintf(stderr, "%s: %s\n", path, err);
    p = NULL;
  }
  free(bytes);
  return p;
}
