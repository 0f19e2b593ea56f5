/* cmd_convert.c - `slac convert POLICY INPUT... [-o OUT.csv] [options]`:
 * status-page histories or access logs to a CONTRACT CSV data file that a
 * user can inspect and correct before `slac eval`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/ingest_opts.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/outputs.h"
#include "cli/policy_load.h"
#include "runtime/ingest/convert.h"

static const slac_opt opts[] = {
    {NULL, 'o', "FILE", "write to FILE (default, and '-': standard output); a\n"
                        "regular file is replaced atomically, anything else\n"
                        "(a pipe, /dev/stdout) written in place; never an input",
     false, "@file"},
    SLAC_CLI_INGEST_OPTS,
};

const slac_cmd_spec slac_spec_convert = {
    "convert",
    "usage: slac convert POLICY.sla|POLICY.slbc INPUT... [-o OUT.csv] [options]\n"
    "\n"
    "Convert status-page histories (JSON) to an incidents file, or web server\n"
    "access logs to a request-windows file, in the CSV format `slac eval`\n"
    "reads.  The policy names the services and causes the rows may use and\n"
    "the window length of a log's service.  Several inputs must be of one\n"
    "kind: incidents are concatenated, logs are merged into one set of\n"
    "windows.  Records that give no row are warned about with their id (or\n"
    "FILE:LINE), and each input ends with a summary line on stderr.  '-' is\n"
    "standard input (once); it and pipes are copied to a temporary file first.\n",
    opts, sizeof opts / sizeof opts[0],
    "\n"
    "example:\n"
    "  slac convert policies/saleor.sla incidents.json -o incidents.csv \\\n"
    "      --component 'Git Operations=covered'\n"
    "\n"
    "exit status: 0 success (warnings included), 1 an input is wrong, 2 usage error.\n",
    true, SLAC_ARGS_POLICY};

int slac_cmd_convert(int argc, char **argv) {
  slac_cli_ingest a;
  const char **inputs = calloc(argc > 0 ? (size_t)argc : 1, sizeof *inputs);
  if (!inputs || slac_cli_ingest_init(&a, argc) != 0) {
    free(inputs);
    return slac_cli_oom();
  }
  const char *policy = NULL, *out = "-";
  size_t ninputs = 0;
  slac_opts op;
  int rc = slac_opts_parse(&slac_spec_convert, argc, argv, &op);
  if (rc != SLAC_OPTS_GO) {
    slac_cli_ingest_free(&a);
    free(inputs);
    return rc;
  }
  rc = SLAC_EXIT_OK;
  for (int i = 0; i < op.nhits && rc == SLAC_EXIT_OK; i++) {
    const char *arg = slac_opts_name(&slac_spec_convert, &op.hits[i]);
    if (strcmp(arg, "-o") == 0) out = op.hits[i].value;
    else if (slac_cli_ingest_option(&a, "convert", arg, op.hits[i].value) != 1)
      rc = SLAC_EXIT_USAGE; /* reported */
  }
  for (int i = 0; i < op.nargs; i++) {
    if (!policy) policy = op.args[i];
    else inputs[ninputs++] = op.args[i];
  }
  slac_opts_free(&op);
  if (rc == SLAC_EXIT_OK && !policy) rc = slac_usage_error("convert", "no policy given");
  if (rc == SLAC_EXIT_OK && ninputs == 0) rc = slac_usage_error("convert", "no input given");
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  if (rc == SLAC_EXIT_OK && strcmp(out, "-") != 0) {
    rc = slac_cli_output_clash("convert", out, policy, "the policy");
    for (size_t i = 0; i < ninputs && rc == SLAC_EXIT_OK; i++)
      rc = slac_cli_output_clash("convert", out, inputs[i], "the input");
  }
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_add(&in, "convert", policy);
  for (size_t i = 0; i < ninputs && rc == SLAC_EXIT_OK; i++)
    rc = slac_cli_inputs_add(&in, "convert", inputs[i]);
  if (rc == SLAC_EXIT_INVALID) rc = slac_cli_oom();
  slac_diags d;
  slac_diags_init(&d, stderr);
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  if (rc == SLAC_EXIT_OK) {
    policy = slac_cli_inputs_path(&in, policy);
    for (size_t i = 0; i < ninputs; i++) inputs[i] = slac_cli_inputs_path(&in, inputs[i]);
  }
  d.quiet_warnings = true; /* `slac check` shows the policy's warnings */
  slac_program *p = NULL;
  slac_input_kind kind = SLAC_INPUT_CSV;
  if (rc == SLAC_EXIT_OK && slac_cli_load_policy(policy, &d, &p) != 0) rc = SLAC_EXIT_INVALID;
  d.quiet_warnings = false; /* the inputs' warnings are the user's business */
  d.werror = a.werror;
  if (rc == SLAC_EXIT_OK) rc = slac_cli_ingest_resolve(&a, "convert", p);
  for (size_t i = 0; i < ninputs && rc == SLAC_EXIT_OK; i++) {
    slac_input_kind k;
    if (slac_input_kind_of(inputs[i], &k, &d) != 0) {
      rc = SLAC_EXIT_INVALID;
    } else if (k == SLAC_INPUT_CSV) {
      slac_diag_data(&d, inputs[i], 0, NULL,
                     "not a status-page history (JSON) nor an access log (its first line "
                     "is not a Common or Combined Log Format line); CSV data files need no "
                     "conversion");
      rc = SLAC_EXIT_INVALID;
    } else if (i > 0 && k != kind) {
      rc = slac_usage_error("convert", "'%s' is %s but '%s' is %s: convert them separately",
                            inputs[0], kind == SLAC_INPUT_JSON ? "JSON" : "an access log",
                            inputs[i], k == SLAC_INPUT_JSON ? "JSON" : "an access log");
    }
    kind = k;
  }
  if (rc == SLAC_EXIT_OK && kind == SLAC_INPUT_ACCESS_LOG) {
    char err[512];
    if (slac_convert_log_service(&a.opts, err, sizeof err) < 0)
      rc = slac_usage_error("convert", "%s", err);
  }
  if (rc == SLAC_EXIT_OK) {
    slac_convert_job job = {&a.opts, inputs, ninputs, kind, a.quiet, 0, 0};
    if (slac_convert_to_path(&job, out, &d) != 0 || d.errors > 0) rc = SLAC_EXIT_INVALID;
  }
  slac_program_free(p);
  slac_cli_inputs_free(&in);
  slac_cli_ingest_free(&a);
  free(inputs);
  return rc;
}
