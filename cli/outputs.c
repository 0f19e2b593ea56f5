/* outputs.c - outputs that are inputs, and standard output checked at the
 * end (outputs.h). */
#include "cli/outputs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "runtime/base/fileio.h"

int slac_cli_output_clash(const char *cmd, const char *output, const char *input,
                          const char *what) {
  if (!slac_same_regular_file(output, input)) return SLAC_EXIT_OK;
  return slac_usage_error(cmd, "the output '%s' is %s '%s', which this command reads; "
                               "write to another file",
                          output, what, strcmp(input, "-") == 0 ? "<stdin>" : input);
}

int slac_cli_stdout_done(int rc) {
  int e = fflush(stdout) != 0 ? errno : 0;
  if (!e && !ferror(stdout)) return rc;
  if (rc != SLAC_EXIT_OK) return rc;
  slac_diags d;
  slac_diags_init(&d, stderr);
  if (e) slac_diag_plain(&d, SLAC_ERROR, "cannot write to standard output: %s", strerror(e));
  else slac_diag_plain(&d, SLAC_ERROR, "cannot write to standard output");
  return SLAC_EXIT_INVALID;
}
