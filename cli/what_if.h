/* what_if.h - `slac eval --what-if SERVICE=+Nm|+Nw`, checked against the
 * loaded policy: the added minutes and failed windows per service, and the
 * what-if in words, which the report shows (docs/analysis.md). */
#ifndef SLAC_CLI_WHAT_IF_H
#define SLAC_CLI_WHAT_IF_H

#include <stdint.h>
#include "cli/options.h"
#include "runtime/vm/program.h"

typedef struct {
  int64_t *add;  /* [p->nservices]: minutes (minute-measured services) or
                    windows failed entirely (error-rate services) */
  char *words;   /* "as if every account had 30 more unavailable minutes
                    of covered in every month" */
} slac_cli_what_if;

/* Every --what-if of OP, for policy P and, when ACCOUNT is not NULL, that
 * one account (--only-account) into W.  Returns SLAC_EXIT_OK, or a usage error
 * (exit 2) after saying what is wrong; W is then freed. */
int slac_cli_what_if_parse(const slac_program *p, const slac_cmd_spec *spec, const slac_opts *op,
                           const char *account, slac_cli_what_if *w);
void slac_cli_what_if_free(slac_cli_what_if *w);

#endif
