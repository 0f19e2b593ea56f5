/* policy.c - policies from source text or from bytecode: both end as
 * .slbc bytes that go through the loader and verifier, as in the CLI
 * (cli/policy_load.c), so a compiled and a loaded policy cannot differ. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "compiler/codegen.h"

/* A policy owning BYTES (taken), loaded and verified; NULL on failure. */
static slac_api_policy *from_bytes(uint8_t *bytes, size_t size, const char *name, slac_diags *d) {
  slac_api_policy *p = calloc(1, sizeof *p);
  if (!p) { slac_diag_oom(d); free(bytes); return NULL; }
  p->bytes = bytes;
  p->size = size;
  if (slac_program_load(bytes, size, name, &p->program, d) != 0) {
    slac_policy_free(p);
    return NULL;
  }
  return p;
}

slac_api_policy *slac_policy_compile(const char *text, size_t len, const char *name,
                                     slac_api_diag_fn cb, void *userdata) {
  slac_api_target t = {cb, userdata};
  slac_diags d;
  slac_api_diags(&d, &t);
  if (!text || !name) {
    slac_diag_plain(&d, SLAC_ERROR, "slac_policy_compile: the text and a name are expected, got NULL");
    return NULL;
  }
  slac_source src;
  if (slac_source_from_text(&src, name, text, len, &d) != 0) return NULL;
  uint8_t *bytes = NULL;
  size_t size = 0;
  int rc = slac_compile_source(&src, &d, &bytes, &size);
  slac_source_free(&src);
  return rc == 0 ? from_bytes(bytes, size, name, &d) : NULL;
}

slac_api_policy *slac_policy_load(const void *bytes, size_t len, const char *name,
                                  slac_api_diag_fn cb, void *userdata) {
  slac_api_target t = {cb, userdata};
  slac_diags d;
  slac_api_diags(&d, &t);
  if (!bytes || !name) {
    slac_diag_plain(&d, SLAC_ERROR, "slac_policy_load: the bytes and a name are expected, got NULL");
    return NULL;
  }
  uint8_t *copy = malloc(len + 1);
  if (!copy) { slac_diag_oom(&d); return NULL; }
  memcpy(copy, bytes, len);
  return from_bytes(copy, len, name, &d);
}

int slac_policy_bytecode(const slac_api_policy *p, const unsigned char **bytes, size_t *len) {
  *bytes = p->bytes;
  *len = p->size;
  return 0;
}

const char *slac_policy_id(const slac_api_policy *p) {
  return p->program->strings[p->program->id];
}

void slac_policy_free(slac_api_policy *p) {
  if (!p) return;
  slac_program_free(p->program);
  free(p->bytes);
  free(p);
}

const char *slac_library_version(void) { return SLAC_VERSION_STRING; }
