/* convert.h - real inputs to CONTRACT CSV data files.
 *
 * Recognises what an input is (a JSON status-page history, an access log,
 * or already CSV), parses JSON with jansson (docs/real-inputs.md says
 * why), runs the matching converter (statuspage.h, gcp_status.h,
 * accesslog.h) and writes the CSV: to a file, atomically (so a user can
 * inspect and correct it before `slac eval`), or to a temporary file that
 * `slac eval` reads in place of the input.
 *
 * Several inputs of one kind make one CSV: incidents are concatenated;
 * access logs are merged into one set of windows (a windows file may hold
 * each window of an account and service only once).
 */
#ifndef SLAC_CONVERT_H
#define SLAC_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "runtime/base/diag.h"
#include "runtime/ingest/ingest.h"

typedef enum {
  SLAC_INPUT_CSV,        /* anything else: left to the CSV readers */
  SLAC_INPUT_JSON,       /* first non-blank byte '{' or '[' */
  SLAC_INPUT_ACCESS_LOG, /* first line is a Common/Combined Log Format line */
} slac_input_kind;

/* The kind of the file at PATH, from its first bytes.  Returns 0, or -1
 * after reporting through D that it cannot be read. */
int slac_input_kind_of(const char *path, slac_input_kind *kind, slac_diags *d);

/* The service access logs feed: O->log_service, or the policy's only
 * service that takes request windows.  Returns it, or -1 with a message
 * for the user in ERR (none, or several: name one with --log-service). */
int slac_convert_log_service(const slac_ingest_options *o, char *err, size_t errsize);

typedef struct {
  const slac_ingest_options *o;
  const char *const *inputs; /* all JSON, or all access logs */
  size_t ninputs;
  slac_input_kind kind;
  bool quiet;                /* print only the summary lines */
  uint64_t warnings;         /* out: warnings counted over all inputs */
  uint64_t rows;             /* out: CSV rows written */
} slac_convert_job;

/* Convert to OUT; warnings and summaries go to D->out.  Returns 0, or -1
 * after reporting (invalid JSON with FILE:LINE:COL, an unknown document,
 * a read error, out of memory). */
int slac_convert(slac_convert_job *job, FILE *out, slac_diags *d);

/* Convert to PATH, written atomically ("-": standard output). */
int slac_convert_to_path(slac_convert_job *job, const char *path, slac_diags *d);

/* Convert to a new temporary file in $TMPDIR (or /tmp); *TMP gets its
 * malloc'ed path.  The file is listed in the table of temporary files
 * (runtime/base/tempfile.h): remove it with slac_temp_remove.  On failure
 * the file is removed and *TMP is NULL. */
int slac_convert_to_temp(slac_convert_job *job, char **tmp, slac_diags *d);

#endif
