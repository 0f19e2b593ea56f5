/* parallel.h - reading one request-windows or incidents file with
 * several threads.
 *
 * The result is the one slac_read_data gives, byte for byte; see
 * parallel.c for how.  Used by eval for incidents files and for the first
 * pass over windows files.
 */
#ifndef SLAC_PARALLEL_H
#define SLAC_PARALLEL_H

#include <stdint.h>
#include "runtime/data/dataset.h"
#include "runtime/base/diag.h"

/* The number of threads used by default: the processors online, at most 4. */
int slac_jobs_auto(void);

/* Fold the windows file PATH (FILE: its place on the command line) into
 * DS with JOBS threads; JOBS 0 chooses: slac_jobs_auto(), and only for
 * parts of 8 MiB or more.  Returns 0 when done; 1 when it was not done
 * (one thread would do, or a part failed: the caller reads PATH with
 * slac_read_data, which reports any error; DS is unchanged); -1 after
 * reporting through D that memory ran out while DS was being changed. */
int slac_read_windows_parallel(slac_dataset *ds, const char *path, uint32_t file, int jobs,
                               slac_diags *d);
/* The same for an incidents file: its parts' span sets are united
 * (slac_dataset_merge_incidents); no order between rows is required. */
int slac_read_incidents_parallel(slac_dataset *ds, const char *path, uint32_t file, int jobs,
                                 slac_diags *d);

#endif
