/* fileio.h - whole-file reads, and the writes of `-o`.
 *
 * An output is never left half-written: slac_write_atomic writes a
 * regular file to a temporary file in the same folder, flushes it to
 * disk, and renames it over the target only when everything succeeded.
 * A symbolic link is followed (the file it names is replaced, the link
 * stays).  A target that is not a regular file - a pipe, a terminal,
 * /dev/null, one of the process's descriptors (/dev/stdout, /dev/fd/N) -
 * cannot be replaced and is written in place.
 */
#ifndef SLAC_FILEIO_H
#define SLAC_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/base/diag.h"

/* Returns 0, or -1 after reporting why through D ("cannot write
 * 'x.slbc': No space left on device"); a regular target is untouched on
 * failure, and no temporary file is left. */
int slac_write_atomic(const char *path, const uint8_t *bytes, size_t size, slac_diags *d);

/* True when OUTPUT names an existing regular file that is also INPUT
 * (the same device and inode, whatever links lead to either): writing
 * OUTPUT would destroy INPUT.  INPUT "-" is standard input. */
bool slac_same_regular_file(const char *output, const char *input);

/* The most bytes read whole: policies, bytecode and JSON inputs are
 * small (a 10,000-line policy is 300 KB, a status page's history a few
 * MB); past this an input is refused rather than read until memory runs
 * out (/dev/zero given as a policy). */
#define SLAC_MAX_WHOLE_FILE ((size_t)256 << 20)

/* Read PATH whole, at most SLAC_MAX_WHOLE_FILE bytes.  Returns 0 and a
 * malloc'ed buffer, or -1 after reporting why through D. */
int slac_read_file(const char *path, uint8_t **bytes, size_t *size, slac_diags *d);

/* The calling thread alone writes F until slac_stream_shared(F): stdio
 * then takes no lock per call.  Once a process has started a thread,
 * glibc locks the stream in every putc and printf: a report of a million
 * outcomes, about 70 million calls, took 1.3 s more after `--jobs 2` had
 * read the input with threads that were long gone.  Where the C library
 * has no __fsetlocking, both are no-ops. */
void slac_stream_exclusive(FILE *f);
void slac_stream_shared(FILE *f);

#endif
