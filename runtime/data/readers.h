/* readers.h - the accounts file and the data files of CONTRACT section 2.
 *
 * Each reader streams its file through the CSV reader, finds its columns
 * by name, validates every field, and folds each row into the dataset.  A
 * bad row stops the evaluation with FILE:LINE, the column and what was
 * expected; nothing is skipped.
 *
 * Each call reads with a reader of its own, which owns its guesses about
 * the next row (readers.c: slac_row_cache, freed when the call returns)
 * and is the only writer of the dataset it folds into meanwhile; any
 * other dataset it consults (MAIN below) is only looked up.
 *
 * Every call leaves the span sets of the dataset merged (dataset.h:
 * slac_dataset_flush): what comes after may read them.
 */
#ifndef SLAC_READERS_H
#define SLAC_READERS_H

#include <stdbool.h>
#include <stdio.h>
#include "runtime/data/dataset.h"
#include "runtime/base/diag.h"

typedef enum { SLAC_DATA_INCIDENTS, SLAC_DATA_WINDOWS, SLAC_DATA_PROBES } slac_data_kind;

/* Read the accounts file: every account listed is evaluated. */
int slac_read_accounts(slac_dataset *ds, const char *path, slac_diags *d);

/* The same from the open stream F (not closed), named PATH in messages:
 * rows pushed in memory (rows.h) go through the reader of a file. */
int slac_read_accounts_from(slac_dataset *ds, FILE *in, const char *path, slac_diags *d);

/* The kind of the data file at PATH, from its header, its columns named
 * as LAYOUT says (NULL: as CONTRACT section 2). */
int slac_data_kind_of(const char *path, const slac_layout *layout, slac_data_kind *kind,
                      slac_diags *d);

/* Fold the rows of a data file into DS (FILE is its position on the
 * command line, for the order of first appearance).  Incidents and probes
 * must be read before windows: a window that overlaps an applied exclusion
 * counts as 0% errors.  With EXACT_PASS, a windows file is read again and
 * only the month sums that need the exact fallback are fed. */
int slac_read_data(slac_dataset *ds, const char *path, slac_data_kind kind, uint32_t file,
                   bool exact_pass, slac_diags *d);

/* slac_read_data from the open stream F (not closed), named PATH. */
int slac_read_data_from(slac_dataset *ds, FILE *in, const char *path, slac_data_kind kind,
                        uint32_t file, bool exact_pass, slac_diags *d);

/* One part of a request-windows or incidents file (KIND), for reading a
 * file with several threads (runtime/data/parallel.c): the LIMIT bytes
 * from OFFSET, which must start a record, folded into PART, a dataset of
 * its own.  MAIN, which no one changes meanwhile, holds the accounts file
 * and what was read before (for windows, the incidents: the exclusions);
 * each account of PART notes its index in MAIN (origin).  Lines are
 * counted from 1 at OFFSET; *LINES gets how many were read.  OWNERS > 1:
 * only the rows whose account has owner OWNER (slac_account_owner) are
 * folded, the others only read as records (each of OWNERS threads reads
 * the whole file and keeps its share of the accounts).  Returns 0, or
 * -1 after reporting through D (give a counting-only D: a failed part is
 * read again by slac_read_data, which reports). */
int slac_read_part(slac_dataset *part, const slac_dataset *main, const char *path,
                   slac_data_kind kind, uint32_t file, uint64_t offset, uint64_t limit, int owner,
                   int owners, long *lines, slac_diags *d);

/* Which of OWNERS threads folds the rows of the account NAME (LEN bytes):
 * the same for every row of an account. */
int slac_account_owner(const char *name, size_t len, int owners);

/* After all incidents and probes are read: close the probe series that
 * never recovered (downtime until the end of the failed probe's month). */
int slac_finish_probes(slac_dataset *ds);

/* The interval-algebra view of one account's service (no copies); CAPS
 * and CAP_MONTHS are the caller's arrays of the policy's cause count. */
void slac_downtime_view(const slac_dataset *ds, const slac_svc_state *s, int service,
                        slac_downtime_input *in, int64_t *caps, int *cap_months);

#endif
