/* exposure_opt.h - `slac eval --exposure SERVICE[,SERVICE...]`: the list
 * of services checked against the loaded policy (docs/analysis.md,
 * "Exposure"). */
#ifndef SLAC_CLI_EXPOSURE_OPT_H
#define SLAC_CLI_EXPOSURE_OPT_H

#include <stdbool.h>
#include "runtime/vm/program.h"

/* Mark in NAMED[p->nservices] (all false on entry) the services of the
 * comma-separated list V.  Returns SLAC_EXIT_OK, or a usage error (exit
 * 2, printed) for an empty name, a service P does not have, one measured
 * by its error rate, or one named twice. */
int slac_cli_parse_exposure(const slac_program *p, const char *v, bool *named);

#endif
