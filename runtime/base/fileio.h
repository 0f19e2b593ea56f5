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

/* Returns 0, or -1 with a message ("cannot write 'x.slbc': No space left
 * on device") in ERR; the target is untouched on failure. */
int slac_write_atomic(const char *path, const uint8_t *bytes, size_t size, char *err, size_t errsize);

/* Read PATH whole.  Returns 0 and a malloc'ed buffer, or -1 with ERR. */
int slac_read_file(const char *path, uint8_t **bytes, size_t *size, char *err, size_t errsize);

#endif
