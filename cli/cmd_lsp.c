/* cmd_lsp.c - `slac lsp`: the language server (lsp/server.h) on standard
 * input and output, for editors. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "lsp/server.h"

static const char help[] =
    "usage: slac lsp\n"
    "\n"
    "Serve the Language Server Protocol on standard input and output, for\n"
    "editors: diagnostics as a policy is opened and changed, formatting,\n"
    "hover on citations, causes and services, go to the definition of a\n"
    "cause or service, completion of the words of the language and of the\n"
    "declared names.  docs/tools.md says how to set up an editor.\n"
    "\n"
    "options:\n"
    "  -h, --help   show this help\n"
    "\n"
    "exit status: 0 after the shutdown request and the exit notification,\n"
    "1 when the input ends or exit comes without shutdown, 2 usage error.\n";

int slac_cmd_lsp(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (slac_is_help(argv[i])) {
      fputs(help, stdout);
      return SLAC_EXIT_OK;
    }
    return slac_usage_error("lsp", "unknown argument '%s'", argv[i]);
  }
  return slac_lsp_serve(stdin, stdout);
}
