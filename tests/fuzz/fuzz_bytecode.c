/* fuzz_bytecode.c - .slbc bytes -> load + verify -> disassemble -> run the
 * VM on a few inputs.
 *
 * The loader checks the checksum first, so random bytes rarely get past
 * it; to reach the parser and the verifier behind it, the target fixes
 * the length and CRC-32 fields of inputs that start with the magic
 * (SLAC_FUZZ_KEEP_CRC=1 in the environment turns that off).  Whatever loads must run without a
 * crash: a verified program cannot overflow the stack, read outside the
 * constant pool or jump outside the code. */
#include <stdlib.h>
#include <string.h>
#include "compiler/disasm.h"
#include "runtime/vm/vm.h"
#include "tests/fuzz/fuzz_common.h"

static void run(const slac_program *p, int scenario) {
  int ns = p->nservices, nc = p->ncauses;
  slac_vm_service_input *svc = calloc((size_t)ns + 1, sizeof *svc);
  int64_t *secs = calloc((size_t)nc + 1, sizeof *secs);
  slac_vm_service_output *outs = calloc((size_t)ns + 1, sizeof *outs);
  if (!svc || !secs || !outs) abort();
  static const int64_t down[3] = {0, 432, 44640};
  static const char *const rate[3] = {"0", "1.5", "100"};
  for (int c = 0; c < nc; c++) secs[c] = scenario * 600;
  for (int s = 0; s < ns; s++) {
    svc[s].unavailable_minutes = down[scenario];
    svc[s].excluded_minutes = scenario * 10;
    slac_num_parse(rate[scenario], strlen(rate[scenario]), &svc[s].error_rate);
    svc[s].affected = scenario > 0;
    svc[s].charge = slac_num_int(scenario * 100);
    svc[s].excluded_seconds = secs;
    svc[s].excess_seconds = secs;
  }
  slac_vm_input in;
  memset(&in, 0, sizeof in);
  in.month_minutes = scenario == 2 ? 40320 : 44640;
  in.has_account = p->ncurrencies > 0 && scenario > 0;
  slac_num_parse("1200.00", 7, &in.fee);
  in.currency = 0;
  in.minor_digits = 2;
  in.plan = scenario == 1 ? "Business" : "";
  in.standing_good = scenario != 2;
  in.services = svc;
  slac_vm_output out;
  memset(&out, 0, sizeof out);
  out.services = outs;
  char err[256];
  slac_vm_run(p, &in, &out, err, sizeof err);
  slac_vm_output_clear(&out);
  free(outs);
  free(secs);
  free(svc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int keep_crc = -1;
  if (keep_crc < 0) {
    const char *v = getenv("SLAC_FUZZ_KEEP_CRC");
    keep_crc = v && *v == '1';
  }
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) return 0;
  memcpy(copy, data, size);
  if (!keep_crc && size >= SLAC_BC_HEADER_SIZE && memcmp(copy, SLAC_BC_MAGIC, 4) == 0) {
    uint32_t len = (uint32_t)size;
    for (int i = 0; i < 4; i++) copy[8 + i] = (uint8_t)(len >> (8 * i));
    uint32_t crc = slac_crc32(copy + SLAC_BC_CRC_FROM, size - SLAC_BC_CRC_FROM);
    for (int i = 0; i < 4; i++) copy[12 + i] = (uint8_t)(crc >> (8 * i));
  }
  slac_program *p = NULL;
  slac_diags quiet; /* rejections are expected: counted, not printed */
  slac_diags_init(&quiet, NULL);
  if (slac_program_load(copy, size, "fuzz.slbc", &p, &quiet) == 0) {
    slac_disasm(p, fuzz_devnull());
    for (int scenario = 0; scenario < 3; scenario++) run(p, scenario);
    slac_program_free(p);
  }
  free(copy);
  return 0;
}
