/* policy_load.h - load a policy given as .sla source or .slbc bytecode. */
#ifndef SLAC_POLICY_LOAD_H
#define SLAC_POLICY_LOAD_H

#include "runtime/base/diag.h"
#include "runtime/vm/program.h"

/* Returns 0 and a verified program, or -1 after reporting through D. */
int slac_cli_load_policy(const char *path, slac_diags *d, slac_program **out);

#endif
