/* dispatch.c - the command table, `slac --help` and `--version`, and
 * slac_main: an argument vector to an exit status, without exiting, so
 * that the fuzz target tests/fuzz/fuzz_cli.c runs it many times in one
 * process (main.c is the executable's entry point). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/outputs.h"

static const slac_command commands[] = {
    {"check", "parse and validate policies, print diagnostics", slac_cmd_check},
    {"fmt", "print policies in the canonical layout (--check, -w)", slac_cmd_fmt},
    {"test", "run the tests written for policies (--coverage)", slac_cmd_test},
    {"build", "compile a policy to bytecode (.slbc)", slac_cmd_build},
    {"disasm", "print the bytecode of a policy", slac_cmd_disasm},
    {"eval", "evaluate a policy against data: uptime, credit, reasons", slac_cmd_eval},
    {"convert", "status-page JSON or access logs to a CSV data file", slac_cmd_convert},
    {"lsp", "a language server for editors, on standard input and output", slac_cmd_lsp},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

int slac_is_help(const char *arg) {
  return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int slac_usage_error(const char *command, const char *fmt, ...) {
  slac_diags d;
  slac_diags_init(&d, stderr);
  char hint[64];
  snprintf(hint, sizeof hint, "Try 'slac %s%s--help'.", command ? command : "", command ? " " : "");
  slac_site none = {SLAC_SITE_NONE, NULL, 0, 0, 0, NULL, -1};
  va_list ap;
  va_start(ap, fmt);
  slac_vreport(&d, SLAC_ERROR, &none, NULL, hint, fmt, ap);
  va_end(ap);
  return SLAC_EXIT_USAGE;
}

int slac_cli_oom(void) {
  slac_diags d;
  slac_diags_init(&d, stderr);
  slac_diag_oom(&d);
  return SLAC_EXIT_INVALID;
}

static void usage(FILE *out) {
  fputs("usage: slac COMMAND [OPTIONS] [FILES]\n"
        "\n"
        "slac checks, compiles and evaluates service level agreements written\n"
        "as policies, and computes exact uptime and the credit owed.\n"
        "\n"
        "commands:\n",
        out);
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].synopsis);
  fputs("\n"
        "options:\n"
        "  -h, --help     show this help (slac COMMAND --help for a command)\n"
        "  --version      show the version\n"
        "\n"
        "exit status: 0 success, 1 the policy or data is wrong, 2 usage error.\n",
        out);
}

static int dispatch(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return SLAC_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (slac_is_help(cmd)) {
    usage(stdout);
    return SLAC_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("slac %s\n", SLAC_VERSION);
    return SLAC_EXIT_OK;
  }
  if (strcmp(cmd, "help") == 0 && argc == 3) {
    for (size_t i = 0; i < NCOMMANDS; i++)
      if (strcmp(commands[i].name, argv[2]) == 0) {
        char *args[] = {argv[2], "--help", NULL};
        return commands[i].run(2, args);
      }
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].name, cmd) == 0) return commands[i].run(argc - 1, argv + 1);
  return slac_usage_error(NULL, "unknown command '%s'", cmd);
}

int slac_main(int argc, char **argv) {
  /* help, listings and reports alike: a full disk or a closed pipe is an
   * error, never a silent success */
  return slac_cli_stdout_done(dispatch(argc, argv));
}
