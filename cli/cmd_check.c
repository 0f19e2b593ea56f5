/* cmd_check.c - `slac check POLICY.sla...`: parse and validate. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/diag_json.h"
#include "cli/inputs.h"
#include "compiler/check.h"
#include "grammar/frontend.h"
#include "runtime/base/diag_hold.h"

static const char help[] =
    "usage: slac check [--werror] [--format text|json] POLICY.sla...\n"
    "\n"
    "Parse and validate each policy and print every problem found, in the\n"
    "order of the text, as FILE:LINE:COL: error|warning: MESSAGE with the\n"
    "source line and a caret.  POLICY '-' is standard input (named <stdin>\n"
    "in messages).\n"
    "\n"
    "options:\n"
    "  --werror         treat warnings as errors\n"
    "  --format FORMAT  text (default, on stderr) or json: one object per\n"
    "                   diagnostic on standard output, {\"file\", \"line\",\n"
    "                   \"column\", \"end_column\", \"severity\", \"message\",\n"
    "                   \"fix\"}, fix being what to write over the range, or null\n"
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
  /* syntax errors and the checker's messages, merged in source order */
  slac_diag_holder held;
  slac_diags_hold(d, &held);
  slac_policy *p = slac_parse(&src, d);
  if (p) {
    slac_model *m = slac_check(p, &src, d);
    slac_model_free(m);
  } else if (d->errors == before && !d->oom) {
    slac_loc loc = {1, 1, 1, 1};
    slac_diag(d, &src, loc, SLAC_ERROR, "no policy found: a file starts with `policy ID version N {`");
  }
  slac_diags_release(&held);
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
    else if (strcmp(argv[i], "--format") == 0 || strncmp(argv[i], "--format=", 9) == 0) {
      const char *v = argv[i][8] == '=' ? argv[i] + 9 : i + 1 < argc ? argv[++i] : NULL;
      if (!v) rc = slac_usage_error("check", "--format needs a value");
      else if (strcmp(v, "json") == 0) {
        d.sink = slac_diag_json_sink;
        d.sink_ctx = stdout;
      } else if (strcmp(v, "text") != 0)
        rc = slac_usage_error("check", "--format is text or json, not '%s'", v);
      continue;
    } else if (argv[i][0] == '-' && argv[i][1])
      rc = slac_usage_error("check", "unknown option '%s'", argv[i]);
    else if ((rc = slac_cli_inputs_add(&in, "check", argv[i])) == SLAC_EXIT_INVALID)
      rc = slac_cli_oom();
    else nfiles++;
  }
  if (rc == SLAC_EXIT_OK && nfiles == 0) rc = slac_usage_error("check", "no policy file given");
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  int ok = 1;
  for (int i = 1; i < argc && rc == SLAC_EXIT_OK; i++) {
    if (strcmp(argv[i], "--format") == 0) { i++; continue; }
    if (argv[i][0] == '-' && argv[i][1]) continue;
    ok &= check_file(slac_cli_inputs_path(&in, argv[i]), &d);
    if (d.oom) break; /* out of memory: the next file would fail falsely */
  }
  slac_cli_inputs_free(&in);
  if (rc != SLAC_EXIT_OK) return rc;
  return ok ? SLAC_EXIT_OK : SLAC_EXIT_INVALID;
}
