/* cli.h - the commands of the slac executable.
 *
 * Each command parses its own options and returns the process exit
 * status: 0 success, 1 the policy or data is wrong (diagnostics were
 * printed), 2 the command line is wrong.
 */
#ifndef SLAC_CLI_H
#define SLAC_CLI_H

#include <stddef.h>
#include "runtime/base/diag.h"

enum { SLAC_EXIT_OK = 0, SLAC_EXIT_INVALID = 1, SLAC_EXIT_USAGE = 2 };

typedef struct {
  const char *name;
  const char *synopsis; /* one line for `slac --help` */
  int (*run)(int argc, char **argv);
} slac_command;

/* The slac command: ARGV[1] is the command name.  Returns the exit status
 * and never exits; standard output is flushed and checked (outputs.h). */
int slac_main(int argc, char **argv);

int slac_cmd_check(int argc, char **argv);
int slac_cmd_build(int argc, char **argv);
int slac_cmd_disasm(int argc, char **argv);
int slac_cmd_eval(int argc, char **argv);
int slac_cmd_convert(int argc, char **argv);
int slac_cmd_fmt(int argc, char **argv);
int slac_cmd_lsp(int argc, char **argv);
int slac_cmd_test(int argc, char **argv);
int slac_cmd_diff(int argc, char **argv);
/* Hidden: `slac completion bash|zsh` prints a completion script made from
 * the option tables (completion.c). */
int slac_cmd_completion(int argc, char **argv);
/* The command table (dispatch.c); "help" has no run function. */
const slac_command *slac_cli_commands(size_t *n);

/* True when ARG is -h or --help. */
int slac_is_help(const char *arg);
/* Report "slac: error: MESSAGE" and the hint "Try 'slac COMMAND --help'."
 * through the diagnostic routine (stderr); returns 2. */
int slac_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Report "out of memory" before a command has its diagnostics; returns 1. */
int slac_cli_oom(void);

#endif
