/* outputs.h - where a command's output goes: never over one of its
 * inputs, and never lost without a word.
 *
 * `-o FILE` is written by slac_write_atomic (runtime/base/fileio.h): a
 * regular file through a temporary file renamed over it, anything else
 * in place.  Before anything is read, slac_cli_output_clash refuses an
 * output that is one of the command's inputs (the same device and inode:
 * `slac build p.sla -o p.sla`, a symbolic or hard link to it, or standard
 * input redirected from it); that is a usage error, exit status 2.
 * After the command, slac_cli_stdout_done makes sure that what it printed
 * on standard output (help, listings, reports) was written.
 */
#ifndef SLAC_CLI_OUTPUTS_H
#define SLAC_CLI_OUTPUTS_H

/* Returns 2 after a usage error of command CMD when OUTPUT is the file
 * INPUT ("-": standard input), which WHAT describes ("the policy", "the
 * input"); else 0. */
int slac_cli_output_clash(const char *cmd, const char *output, const char *input,
                          const char *what);

/* Flush standard output after a command that returned RC.  When it cannot
 * be written and RC is 0, reports "cannot write to standard output" and
 * returns 1 (a command that failed reported its own errors, a failed
 * report included); otherwise returns RC. */
int slac_cli_stdout_done(int rc);

#endif
