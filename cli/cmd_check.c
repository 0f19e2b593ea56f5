/* cmd_check.c - `slac check POLICY.sla...`: parse and validate. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/diag_json.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "compiler/check.h"
#include "grammar/frontend.h"
#include "runtime/base/diag_hold.h"

static const slac_opt opts[] = {
    {"werror", 0, NULL, "treat warnings as errors", false, NULL},
    {"format", 0, "FORMAT", "text (default, on stderr) or json: one object per\n"
                            "diagnostic on standard output, {\"file\", \"line\",\n"
                            "\"column\", \"end_column\", \"severity\", \"message\",\n"
                            "\"fix\"}, fix being what to write over the range, or null",
     false, "text json"},
};

const slac_cmd_spec slac_spec_check = {
    "check",
    "usage: slac check [--werror] [--format text|json] POLICY.sla...\n"
    "\n"
    "Parse and validate each policy and print every problem found, in the\n"
    "order of the text, as FILE:LINE:COL: error|warning: MESSAGE with the\n"
    "source line and a caret.  POLICY '-' is standard input (named <stdin>\n"
    "in messages).\n",
    opts, sizeof opts / sizeof opts[0],
    "\nexit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.\n",
    true, SLAC_ARGS_POLICY};

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
  slac_opts o;
  int rc = slac_opts_parse(&slac_spec_check, argc, argv, &o);
  if (rc != SLAC_OPTS_GO) return rc;
  rc = SLAC_EXIT_OK;
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.werror = slac_opts_has(&slac_spec_check, &o, "--werror");
  const char *format = slac_opts_value(&slac_spec_check, &o, "--format");
  if (format && strcmp(format, "json") == 0) {
    d.sink = slac_diag_json_sink;
    d.sink_ctx = stdout;
  } else if (format && strcmp(format, "text") != 0) {
    rc = slac_usage_error("check", "--format is text or json, not '%s'", format);
  }
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  for (int i = 0; i < o.nargs && rc == SLAC_EXIT_OK; i++)
    if ((rc = slac_cli_inputs_add(&in, "check", o.args[i])) == SLAC_EXIT_INVALID) rc = slac_cli_oom();
  if (rc == SLAC_EXIT_OK && o.nargs == 0) rc = slac_usage_error("check", "no policy file given");
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  int ok = 1;
  for (int i = 0; i < o.nargs && rc == SLAC_EXIT_OK; i++) {
    ok &= check_file(slac_cli_inputs_path(&in, o.args[i]), &d);
    if (d.oom) break; /* out of memory: the next file would fail falsely */
  }
  slac_cli_inputs_free(&in);
  slac_opts_free(&o);
  if (rc != SLAC_EXIT_OK) return rc;
  return ok ? SLAC_EXIT_OK : SLAC_EXIT_INVALID;
}
