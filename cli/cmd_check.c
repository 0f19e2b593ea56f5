/* cmd_check.c - `slac check POLICY.sla...`: parse and validate. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/inputs.h"
#include "compiler/check.h"
#include "grammar/frontend.h"

static const char help[] =
    "usage: slac check [--werror] POLICY.sla...\n"
    "\n"
    "Parse and validate each policy and print every problem found, as\n"
    "FILE:LINE:COL: error|warning: MESSAGE with the source line and a caret.\n"
    "POLICY '-' is standard input (named <stdin> in messages).\n"
    "\n"
    "options:\n"
    "  --werror     treat warnings as errors\n"
    "  -h, --help   show this help\n"
    "\n"
    "exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.\n";

/* Check one file; returns true when it has no error. */
static int check_file(const char *path, slac_diags *d) {
  int before = d->errors;
  slac_source src;
  if (slac_source_load(&src, path, d) != 0) {
    slac_source_free(&src);
    return 0;
  }
  slac_policy *p = slac_parse(&src, d);
  if (p) {
    slac_model *m = slac_check(p, &src, d);
    slac_model_free(m);
  } else if (d->errors == before && !d->oom) {
    slac_loc loc = {1, 1, 1, 1};
    slac_diag(d, &src, loc, SLAC_ERROR, "no policy found: a file starts with `policy ID version N {`");
  }
  slac_ast_free_policy(p);
  slac_source_free(&src);
  return d->errors == before;
}

int slac_cmd_check(int argc, char **argv) {
  slac_diags d;
  slac_diags_init(&d, stderr);
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  int nfiles = 0, rc = SLAC_EXIT_OK;
  for (int i = 1; i < argc && rc == SLAC_EXIT_OK; i++) {
    if (slac_is_help(argv[i])) {
      fputs(help, stdout);
      slac_cli_inputs_free(&in);
      return SLAC_EXIT_OK;
    }
    if (strcmp(argv[i], "--werror") == 0) d.werror = 1;
    else if (argv[i][0] == '-' && argv[i][1])
      rc = slac_usage_error("check", "unknown option '%s'", argv[i]);
    else if ((rc = slac_cli_inputs_add(&in, "check", argv[i])) == SLAC_EXIT_INVALID)
      rc = slac_cli_oom();
    else nfiles++;
  }
  if (rc == SLAC_EXIT_OK && nfiles == 0) rc = slac_usage_error("check", "no policy file given");
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  int ok = 1;
  for (int i = 1; i < argc && rc == SLAC_EXIT_OK; i++) {
    if (argv[i][0] == '-' && argv[i][1]) continue;
    ok &= check_file(slac_cli_inputs_path(&in, argv[i]), &d);
    if (d.oom) break; /* out of memory: the next file would fail falsely */
  }
  slac_cli_inputs_free(&in);
  if (rc != SLAC_EXIT_OK) return rc;
  return ok ? SLAC_EXIT_OK : SLAC_EXIT_INVALID;
}
