/* dispatch.c - the command table, `slac --help` and `--version`, and
 * slac_main: an argument vector to an exit status, without exiting, so
 * that the fuzz target tests/fuzz/fuzz_cli.c runs it many times in one
 * process (main.c is the executable's entry point). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/outputs.h"
#include "runtime/base/diag.h"

static const slac_command commands[] = {
    {"check", "parse and validate policies, print diagnostics", slac_cmd_check},
    {"fmt", "print policies in the canonical layout (--check, -w)", slac_cmd_fmt},
    {"test", "run the tests written for policies (--coverage)", slac_cmd_test},
    {"diff", "compare what two policies decide: exit 0 when equivalent", slac_cmd_diff},
    {"build", "compile a policy to bytecode (.slbc)", slac_cmd_build},
    {"disasm", "print the bytecode of a policy", slac_cmd_disasm},
    {"eval", "evaluate a policy against data: uptime, credit, reasons", slac_cmd_eval},
    {"convert", "status-page JSON or access logs to a CSV data file", slac_cmd_convert},
    {"lsp", "a language server for editors, on standard input and output", slac_cmd_lsp},
    {"help", "show the help of slac, or of a COMMAND", NULL},
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
        "slac help COMMAND (or slac COMMAND --help) shows the options of a command.\n",
        out);
  fputs("\n"
        "options:\n"
        "  -h, --help     show this help (slac COMMAND --help for a command)\n"
        "  --version      show the version\n"
        "\n"
        "exit status: 0 success, 1 the policy or data is wrong, 2 usage error.\n",
        out);
}

/* The edit distance of A and B when it is at most 2 (else 3): close
 * enough to suggest B for A. */
static int distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 16 || lb > 16) return 3;
  int d[17][17];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  return d[la][lb] < 3 ? d[la][lb] : 3;
}

/* "unknown command 'X'", with the closest command when one is close. */
static int unknown_command(const char *name) {
  const char *best = NULL;
  int bd = 3;
  for (size_t i = 0; i < NCOMMANDS; i++) {
    int k = distance(name, commands[i].name);
    if (k < bd) {
      bd = k;
      best = commands[i].name;
    }
  }
  if (best) return slac_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name, best);
  return slac_usage_error(NULL, "unknown command '%s'", name);
}

static const slac_command *find_command(const char *name) {
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0 && commands[i].run) return &commands[i];
  return NULL;
}

/* `slac help [COMMAND]` */
static int help(int argc, char **argv) {
  if (argc > 2) return slac_usage_error(NULL, "help takes one command at most, got '%s' and '%s'",
                                        argv[1], argv[2]);
  if (argc < 2 || strcmp(argv[1], "help") == 0 || slac_is_help(argv[1])) {
    usage(stdout);
    return SLAC_EXIT_OK;
  }
  const slac_command *c = find_command(argv[1]);
  if (!c) return unknown_command(argv[1]);
  char *args[] = {argv[1], "--help", NULL};
  return c->run(2, args);
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
  if (strcmp(cmd, "help") == 0) return help(argc - 1, argv + 1);
  if (strcmp(cmd, "completion") == 0) return slac_cmd_completion(argc - 1, argv + 1);
  const slac_command *c = find_command(cmd);
  if (c) return c->run(argc - 1, argv + 1);
  if (cmd[0] == '-') return slac_usage_error(NULL, "unknown option '%s'", cmd);
  return unknown_command(cmd);
}

const slac_command *slac_cli_commands(size_t *n) {
  *n = NCOMMANDS;
  return commands;
}

int slac_main(int argc, char **argv) {
  /* help, listings and reports alike: a full disk or a closed pipe is an
   * error, never a silent success */
  /* every call starts afresh (the fuzz target calls again and again):
   * colour as --color=auto would, until a command's --color says */
  slac_diag_set_color(slac_diag_color_auto());
  return slac_cli_stdout_done(dispatch(argc, argv));
}
