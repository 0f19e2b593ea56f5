/* options.h - one option table per command, and the getopt_long parser,
 * the --help listing and the shell completions all driven by it, so
 * that none of them can drift from the others.
 *
 * A command describes itself once (slac_cmd_spec): its usage line, a
 * paragraph, its options, a closing paragraph.  slac_opts_parse runs
 * getopt_long over the arguments: `--format=jsonl` equals `--format
 * jsonl`, `--` ends the options, options and files mix in any order, and
 * a single-valued option given twice is a usage error.  -h/--help,
 * --version and --color are added to every table (--color only where
 * diagnostics are printed) and handled here.
 */
#ifndef SLAC_CLI_OPTIONS_H
#define SLAC_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
  const char *name;    /* long name without "--", or NULL; NULL with no
                          short letter: HELP is a heading in the listing */
  char letter;         /* short option ('o' for -o), or 0 */
  const char *metavar; /* the value's name in help (FILE), or NULL: no value */
  const char *help;    /* lines separated by '\n' */
  bool repeatable;     /* every value is kept; otherwise twice is an error */
  const char *values;  /* completion of the value: "text jsonl csv", or
                          "@file" (any file), NULL (nothing to offer) */
} slac_opt;

/* What the positional arguments are, for completion. */
typedef enum { SLAC_ARGS_NONE, SLAC_ARGS_POLICY, SLAC_ARGS_FILES } slac_args_kind;

typedef struct {
  const char *cmd;      /* "eval" */
  const char *usage;    /* "usage: slac eval ...\n" and the paragraph */
  const slac_opt *opts; /* the command's own options */
  size_t nopts;
  const char *tail;     /* after the options: examples, exit status */
  bool color;           /* prints diagnostics: takes --color */
  slac_args_kind args;
} slac_cmd_spec;

/* One option as given, in command-line order. */
typedef struct {
  int opt;           /* index in spec->opts */
  const char *value; /* its value, or NULL */
} slac_opt_hit;

typedef struct {
  slac_opt_hit *hits;
  int nhits;
  char **args; /* the positional arguments, in order (pointers into argv) */
  int nargs;
} slac_opts;

/* The outcome of slac_opts_parse: go on, or return RC at once (help or
 * the version was printed, or a usage error). */
enum { SLAC_OPTS_GO = -1 };

/* Parse ARGV[1..ARGC) (ARGV[0] is the command's name) by SPEC.  Returns
 * SLAC_OPTS_GO with OUT filled (free it with slac_opts_free), or the exit
 * status to return: 0 after --help or --version, 2 after a usage error
 * naming the option, 1 out of memory.  Never writes into ARGV. */
int slac_opts_parse(const slac_cmd_spec *spec, int argc, char **argv, slac_opts *out);
void slac_opts_free(slac_opts *o);

/* The value of the single-valued option NAME, or NULL when not given. */
const char *slac_opts_value(const slac_cmd_spec *spec, const slac_opts *o, const char *name);
/* True when option NAME was given. */
bool slac_opts_has(const slac_cmd_spec *spec, const slac_opts *o, const char *name);
/* The long name of a hit, "--name" or "-o" (for messages). */
const char *slac_opts_name(const slac_cmd_spec *spec, const slac_opt_hit *h);

/* Print the help of SPEC: usage, options listed from the table, tail. */
void slac_opts_help(const slac_cmd_spec *spec, FILE *out);

/* The table of each command (cmd_*.c). */
extern const slac_cmd_spec slac_spec_check, slac_spec_fmt, slac_spec_test, slac_spec_diff, slac_spec_build,
    slac_spec_disasm, slac_spec_eval, slac_spec_convert, slac_spec_lsp;

#endif
