/* testrun.h - running one case of a test file (testfile.h): its inline
 * data written to temporary files, the policy evaluated in memory as
 * `slac eval` would, each expectation compared, and what differs written
 * for the reader. */
#ifndef SLAC_CLI_TESTRUN_H
#define SLAC_CLI_TESTRUN_H

#include <stdint.h>
#include <stdio.h>
#include "cli/testfile.h"
#include "runtime/vm/program.h"

/* A policy loaded once for every case that names it, with the count of
 * each of its REASON instructions run (its coverage). */
typedef struct {
  char *path;
  slac_program *p;    /* NULL when it did not load (reported once) */
  uint64_t *hits;     /* [p->nops] */
  int cases;          /* cases run against it */
} slac_test_policy;

/* Run case C of file F against POL, reading request windows with JOBS
 * threads (0: as eval chooses; any number gives the same bytes).  Writes nothing when it passes, and
 * what differs to OUT when it fails.  Returns 0 passed, 1 failed, -1 out
 * of memory or no temporary file could be made (reported to OUT). */
int slac_test_run(const slac_test_file *f, const slac_test_case *c, slac_test_policy *pol, int jobs,
                  FILE *out);

#endif
