/* policy_load.c - a policy from a path: source is compiled in memory,
 * bytecode is read; both end as bytes that go through the same loader
 * and verifier, so eval of a .sla and of its .slbc cannot differ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/policy_load.h"
#include "compiler/codegen.h"
#include "runtime/base/fileio.h"

int slac_cli_load_policy(const char *path, slac_diags *d, slac_program **out) {
  uint8_t *bytes = NULL;
  size_t size = 0;
  *out = NULL;
  if (slac_read_file(path, &bytes, &size, d) != 0) return -1;
  if (size < 4 || memcmp(bytes, SLAC_BC_MAGIC, 4) != 0) {
    slac_source src;
    int rc = slac_source_from_text(&src, path, (const char *)bytes, size, d);
    free(bytes);
    bytes = NULL;
    if (rc == 0) rc = slac_compile_source(&src, d, &bytes, &size);
    slac_source_free(&src);
    if (rc != 0) return -1;
  }
  int rc = slac_program_load(bytes, size, path, out, d);
  free(bytes);
  return rc == 0 ? 0 : -1;
}
