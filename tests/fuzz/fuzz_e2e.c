/* fuzz_e2e.c - end to end: one input is a policy, a data file and an
 * optional accounts file, separated by lines "%%":
 *
 *   policy text
 *   %%
 *   data CSV (incidents, windows or probes: the header decides)
 *   %%
 *   accounts CSV (optional)
 *
 * The policy is compiled to bytes, loaded and verified as `slac eval`
 * does, then evaluated against the data in a format picked by the input's
 * length, once with one thread and once with 2 to 4 (runtime/data/parallel.c
 * cuts even a small windows file then): both reports, messages and
 * results must be the same bytes. */
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "runtime/eval/eval.h"
#include "tests/fuzz/fuzz_common.h"

/* Offset of the next "\n%%\n" at or after FROM, or SIZE. */
static size_t separator(const uint8_t *data, size_t size, size_t from) {
  for (size_t i = from; i + 4 <= size; i++)
    if (memcmp(data + i, "\n%%\n", 4) == 0) return i;
  return size;
}

typedef struct {
  int rc;
  char *out, *err;
  size_t out_len, err_len;
} run;

/* slac_eval with O, its report and its messages kept in memory. */
static void evaluate(slac_eval_options *o, run *r) {
  FILE *out = open_memstream(&r->out, &r->out_len);
  FILE *err = open_memstream(&r->err, &r->err_len);
  if (!out || !err) abort();
  slac_diags d;
  slac_diags_init(&d, err);
  o->out = out;
  r->rc = slac_eval(o, &d);
  fclose(out);
  fclose(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t a = separator(data, size, 0);
  size_t b = a + 4 <= size ? separator(data, size, a + 4) : size;
  size_t data_from = a + 4 <= size ? a + 4 : size;
  size_t accounts_from = b + 4 <= size ? b + 4 : size;
  slac_diags d;
  slac_diags_init(&d, fuzz_devnull());
  d.quiet_warnings = true;
  slac_source src;
  if (slac_source_from_text(&src, "fuzz.sla", (const char *)data, a + 1 <= size ? a + 1 : a, &d) != 0) {
    slac_source_free(&src);
    return 0;
  }
  uint8_t *bytes = NULL;
  size_t n = 0;
  int rc = slac_compile_source(&src, &d, &bytes, &n);
  slac_source_free(&src);
  if (rc != 0) return 0;
  slac_program *p = NULL;
  slac_diags loud; /* the reason goes to stderr before the abort */
  slac_diags_init(&loud, stderr);
  if (slac_program_load(bytes, n, "e2e.slbc", &p, &loud) != 0) {
    fprintf(stderr, "fuzz_e2e: the compiler wrote bytecode the loader rejects\n");
    abort();
  }
  free(bytes);
  const char *data_path = fuzz_path("data.csv");
  const char *accounts_path = fuzz_path("accounts.csv");
  /* the data file keeps its last line end, the one before "%%" */
  fuzz_write(data_path, data + data_from, b < size ? b + 1 - data_from : size - data_from);
  bool has_accounts = b + 4 <= size;
  if (has_accounts) fuzz_write(accounts_path, data + accounts_from, size - accounts_from);
  char *paths[1] = {(char *)data_path};
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = p;
  o.accounts_path = has_accounts ? accounts_path : NULL;
  o.data_paths = paths;
  o.ndata = 1;
  o.format = (slac_format)(size % 3);
  /* differential: one thread, then 2 to 4 (a windows file cut in parts),
   * must give the same report, the same messages and the same result */
  run one, many;
  o.jobs = 1;
  evaluate(&o, &one);
  o.jobs = 2 + (int)(size % 3);
  evaluate(&o, &many);
  if (one.rc != many.rc || one.out_len != many.out_len || one.err_len != many.err_len ||
      memcmp(one.out, many.out, one.out_len) != 0 || memcmp(one.err, many.err, one.err_len) != 0) {
    fprintf(stderr, "fuzz_e2e: --jobs %d differs from --jobs 1\n--- 1 (%d):\n%s%s\n--- %d (%d):\n%s%s\n",
            o.jobs, one.rc, one.out, one.err, o.jobs, many.rc, many.out, many.err);
    abort();
  }
  free(one.out);
  free(one.err);
  free(many.out);
  free(many.err);
  slac_program_free(p);
  return 0;
}
