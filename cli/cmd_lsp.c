/* cmd_lsp.c - `slac lsp`: the language server (lsp/server.h) on standard
 * input and output, for editors. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/options.h"
#include "lsp/server.h"

const slac_cmd_spec slac_spec_lsp = {
    "lsp",
    "usage: slac lsp\n"
    "\n"
    "Serve the Language Server Protocol on standard input and output, for\n"
    "editors: diagnostics as a policy is opened and changed, formatting,\n"
    "hover on citations, causes and services, go to the definition of a\n"
    "cause or service, completion of the words of the language and of the\n"
    "declared names.  docs/tools.md says how to set up an editor.\n",
    NULL, 0,
    "\n"
    "exit status: 0 after the shutdown request and the exit notification,\n"
    "1 when the input ends or exit comes without shutdown, 2 usage error.\n",
    false, SLAC_ARGS_NONE};

int slac_cmd_lsp(int argc, char **argv) {
  slac_opts op;
  int rc = slac_opts_parse(&slac_spec_lsp, argc, argv, &op);
  if (rc != SLAC_OPTS_GO) return rc;
  if (op.nargs) rc = slac_usage_error("lsp", "unknown argument '%s'", op.args[0]);
  slac_opts_free(&op);
  if (rc != SLAC_OPTS_GO) return rc;
  return slac_lsp_serve(stdin, stdout);
}
