/* fileio.h - whole-file reads and atomic writes.
 *
 * Output files are never left half-written: slac_write_atomic writes to a
 * temporary file in the same directory, flushes it to disk, and renames it
 * over the target only when everything succeeded.
 */
#ifndef SLAC_FILEIO_H
#define SLAC_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/base/diag.h"

/* Returns 0, or -1 after reporting why through D ("cannot write
 * 'x.slbc': No space left on device"); the target is untouched on
 * failure. */
int slac_write_atomic(const char *path, const uint8_t *bytes, size_t size, slac_diags *d);

/* Read PATH whole.  Returns 0 and a malloc'ed buffer, or -1 after
 * reporting why through D. */
int slac_read_file(const char *path, uint8_t **bytes, size_t *size, slac_diags *d);

#endif
