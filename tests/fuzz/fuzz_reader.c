/* fuzz_reader.c - one data reader end to end: the input is written to a
 * file that slac_eval reads with a shipped policy, the report going to
 * /dev/null.  Compiled once per reader with SLAC_FUZZ_READER set to
 *   1 incidents (saleor), 2 request windows (piwik-pro),
 *   3 probes (saleor), 4 accounts (tagoio, with its example incidents).
 * A data error must be reported, never crash; the input's length picks
 * the report format, so the three writers see every outcome too. */
#include <stdbool.h>
#include <string.h>
#include "runtime/eval/eval.h"
#include "tests/fuzz/fuzz_common.h"

#ifndef SLAC_FUZZ_READER
#error "SLAC_FUZZ_READER must be 1..4"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
#if SLAC_FUZZ_READER == 2
  const char *policy = "piwik-pro", *accounts = "examples/piwik-pro/accounts.csv";
#elif SLAC_FUZZ_READER == 4
  const char *policy = "tagoio", *accounts = NULL;
#else
  const char *policy = "saleor", *accounts = "examples/saleor/accounts.csv";
#endif
  const slac_program *p = fuzz_policy(policy);
  static char accounts_path[4096];
  const char *input = fuzz_path("input.csv");
  fuzz_write(input, data, size);
  char *paths[1];
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = p;
#if SLAC_FUZZ_READER == 4
  (void)accounts;
  snprintf(accounts_path, sizeof accounts_path, "%s", fuzz_source_file("examples/tagoio/incidents.csv"));
  paths[0] = accounts_path;
  o.accounts_path = input;
#else
  snprintf(accounts_path, sizeof accounts_path, "%s", fuzz_source_file(accounts));
  paths[0] = (char *)input;
  /* every other input without the accounts file: percentages only */
  o.accounts_path = size % 2 ? accounts_path : NULL;
#endif
  o.data_paths = paths;
  o.ndata = 1;
  o.format = (slac_format)(size / 2 % 3);
  o.out = fuzz_devnull();
  slac_diags d;
  slac_diags_init(&d, fuzz_devnull());
  d.quiet_warnings = true;
  slac_eval(&o, &d);
  return 0;
}
