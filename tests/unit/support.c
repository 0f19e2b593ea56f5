/* support.c - helpers shared by the unit tests (support.h). */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "compiler/codegen.h"
#include "runtime/base/diag.h"

typedef struct {
  char *buf;
  size_t size;
} message_sink;

static void keep_message(void *ctx, const slac_diagnostic *dg) {
  message_sink *m = ctx;
  snprintf(m->buf, m->size, "%s", dg->message);
}

void test_message_diags(slac_diags *d, char *buf, size_t size) {
  /* one sink per thread of the tests is enough: they run one at a time */
  static _Thread_local message_sink m;
  m.buf = buf;
  m.size = size;
  buf[0] = 0;
  slac_diags_init(d, NULL);
  d->sink = keep_message;
  d->sink_ctx = &m;
}

/* SRC compiled and loaded from its bytecode, as the CLI does; SRC freed. */
static slac_program *compile_and_load(slac_source *src, const char *name, slac_diags *d) {
  uint8_t *bytes = NULL;
  size_t size = 0;
  int rc = slac_compile_source(src, d, &bytes, &size);
  slac_source_free(src);
  slac_program *p = NULL;
  if (rc == 0 && slac_program_load(bytes, size, name, &p, d) != 0) p = NULL;
  free(bytes);
  return p;
}

slac_program *test_compile_policy_text(const char *name, const char *text) {
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  slac_source src;
  if (slac_source_from_text(&src, name, text, strlen(text), &d) != 0) return NULL;
  return compile_and_load(&src, name, &d);
}

slac_program *test_load_shipped_policy(const char *file) {
  char path[1024];
  snprintf(path, sizeof path, "%s/policies/%s", SLAC_SOURCE_DIR, file);
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  slac_source src;
  if (slac_source_load(&src, path, &d) != 0) return NULL;
  return compile_and_load(&src, path, &d);
}
double test_cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double test_best_cpu(int runs, void (*fn)(void *), void *arg) {
#if defined(__GLIBC__)
  /* freed memory is kept for the next run: first touches of pages, slow
   * on a virtual machine, would otherwise be timed again in every run, and
   * more of them in a larger input */
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
#endif
  double best = -1;
  for (int i = 0; i < runs; i++) {
    double t0 = test_cpu_seconds();
    fn(arg);
    double t = test_cpu_seconds() - t0;
    if (best < 0 || t < best) best = t;
  }
  return best;
}

uint64_t test_splitmix64(uint64_t *state) {
  uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}
