/* cmd_build.c - `slac build POLICY.sla [-o OUT.slbc]` and `slac disasm`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/outputs.h"
#include "cli/policy_load.h"
#include "compiler/codegen.h"
#include "compiler/disasm.h"
#include "runtime/base/fileio.h"

static const slac_opt build_opts[] = {
    {NULL, 'o', "FILE", "write the bytecode to FILE ('-': standard output); a\n"
                        "regular file is replaced atomically, anything else (a\n"
                        "pipe, /dev/stdout) written in place; never the policy",
     false, "@file"},
};

const slac_cmd_spec slac_spec_build = {
    "build",
    "usage: slac build POLICY.sla [-o OUT.slbc]\n"
    "\n"
    "Compile a policy to bytecode.  The output (by default the source's name\n"
    "with .slbc instead of .sla, beside it) is written atomically: a failed\n"
    "build never leaves a partial file.  The same source always gives the\n"
    "same bytes.  POLICY '-' is standard input (then -o is needed).\n",
    build_opts, sizeof build_opts / sizeof build_opts[0],
    "\n"
    "exit status: 0 built, 1 the policy has errors or the file cannot be\n"
    "written, 2 usage error (the output is the policy included).\n",
    true, SLAC_ARGS_POLICY};

const slac_cmd_spec slac_spec_disasm = {
    "disasm",
    "usage: slac disasm POLICY.sla|POLICY.slbc\n"
    "\n"
    "Print the bytecode of a policy (compiled in memory from source, or\n"
    "loaded and verified from a .slbc file; '-': standard input): its\n"
    "declarations and constants,\n"
    "then one line per instruction as\n"
    "  offset  line  OPCODE  operands  ; comment\n"
    "with constants, strings and jump targets resolved.\n",
    NULL, 0,
    "\nexit status: 0 success, 1 the policy or bytecode is bad, 2 usage error.\n",
    true, SLAC_ARGS_POLICY};

static char *default_output(const char *src) {
  size_t n = strlen(src);
  char *out = malloc(n + 6);
  if (!out) return NULL;
  memcpy(out, src, n + 1);
  if (n > 4 && strcmp(src + n - 4, ".sla") == 0) out[n - 4] = 0;
  strcat(out, ".slbc");
  return out;
}

/* Write the bytecode: to standard output for "-", else atomically. */
static int write_output(const char *path, const uint8_t *bytes, size_t size, slac_diags *d) {
  if (strcmp(path, "-") != 0) return slac_write_atomic(path, bytes, size, d);
  fwrite(bytes, 1, size, stdout);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    slac_diag_plain(d, SLAC_ERROR, "cannot write the bytecode to standard output");
    return -1;
  }
  return 0;
}

/* The one policy of a command that takes one: 0, or 2 after a usage error. */
static int one_policy(const char *cmd, const slac_opts *o, const char **input) {
  if (o->nargs > 1)
    return slac_usage_error(cmd, "one policy at a time (got '%s' and '%s')", o->args[0], o->args[1]);
  *input = o->nargs ? o->args[0] : NULL;
  return SLAC_EXIT_OK;
}

int slac_cmd_build(int argc, char **argv) {
  slac_opts op;
  int r = slac_opts_parse(&slac_spec_build, argc, argv, &op);
  if (r != SLAC_OPTS_GO) return r;
  const char *input = NULL, *output = slac_opts_value(&slac_spec_build, &op, "-o");
  r = one_policy("build", &op, &input);
  slac_opts_free(&op); /* the strings stay: they are argv's */
  if (r != SLAC_EXIT_OK) return r;
  if (!input) return slac_usage_error("build", "no policy file given");
  if (!output && strcmp(input, "-") == 0)
    return slac_usage_error("build", "the policy is standard input: name the output with -o");
  char *def = output ? NULL : default_output(input);
  if (!output && !def) return slac_cli_oom();
  const char *out = output ? output : def;
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  int rc = strcmp(out, "-") == 0 ? SLAC_EXIT_OK
                                  : slac_cli_output_clash("build", out, input, "the policy");
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_add(&in, "build", input);
  if (rc == SLAC_EXIT_INVALID) rc = slac_cli_oom();
  slac_diags d;
  slac_diags_init(&d, stderr);
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  slac_source src;
  memset(&src, 0, sizeof src);
  if (rc == SLAC_EXIT_OK && slac_source_load(&src, slac_cli_inputs_path(&in, input), &d) != 0)
    rc = SLAC_EXIT_INVALID;
  uint8_t *bytes = NULL;
  size_t size = 0;
  if (rc == SLAC_EXIT_OK && slac_compile_source(&src, &d, &bytes, &size) != 0)
    rc = SLAC_EXIT_INVALID;
  slac_source_free(&src);
  if (rc == SLAC_EXIT_OK && write_output(out, bytes, size, &d) != 0) rc = SLAC_EXIT_INVALID;
  free(bytes);
  free(def);
  slac_cli_inputs_free(&in);
  return rc;
}

int slac_cmd_disasm(int argc, char **argv) {
  slac_opts op;
  int r = slac_opts_parse(&slac_spec_disasm, argc, argv, &op);
  if (r != SLAC_OPTS_GO) return r;
  const char *input = NULL;
  r = one_policy("disasm", &op, &input);
  slac_opts_free(&op);
  if (r != SLAC_EXIT_OK) return r;
  if (!input) return slac_usage_error("disasm", "no policy file given");
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  int rc = slac_cli_inputs_add(&in, "disasm", input);
  if (rc != SLAC_EXIT_OK) {
    slac_cli_inputs_free(&in);
    return rc == SLAC_EXIT_USAGE ? rc : slac_cli_oom();
  }
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true; /* `slac check` shows them; a listing needs only errors */
  slac_program *p = NULL;
  if (slac_cli_inputs_read(&in, &d) != SLAC_EXIT_OK ||
      slac_cli_load_policy(slac_cli_inputs_path(&in, input), &d, &p) != 0) {
    slac_cli_inputs_free(&in);
    return SLAC_EXIT_INVALID;
  }
  slac_cli_inputs_free(&in);
  slac_disasm(p, stdout);
  slac_program_free(p);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    slac_diag_plain(&d, SLAC_ERROR, "cannot write the listing");
    return SLAC_EXIT_INVALID;
  }
  return SLAC_EXIT_OK;
}
