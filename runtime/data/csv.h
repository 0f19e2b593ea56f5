/* csv.h - a streaming RFC 4180 reader.
 *
 * Reads one record at a time through a fixed-size, growable buffer; never
 * holds the whole file.  Accepts a UTF-8 byte-order mark at the start, LF
 * or CRLF line ends, quoted fields with embedded commas, doubled quotes
 * and line breaks.  Rejects, with the line number: an unterminated quoted
 * field, a quote inside an unquoted field, bytes after a closing quote,
 * NUL bytes, invalid UTF-8, a record longer than SLAC_CSV_MAX_RECORD bytes,
 * and a record whose field count differs from the header's.
 *
 * Field views stay valid until the next call to slac_csv_next().
 */
#ifndef SLAC_CSV_H
#define SLAC_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/base/diag.h"

#define SLAC_CSV_MAX_RECORD (1u << 20) /* 1 MiB: longer lines are an error */

typedef struct slac_csv slac_csv;

typedef struct {
  const char *ptr; /* not NUL-terminated in general */
  size_t len;
} slac_field;

/* Wrap an open stream (not closed by slac_csv_close).  NAME is used in
 * messages.  Returns NULL only when out of memory. */
slac_csv *slac_csv_open(FILE *f, const char *name);
void slac_csv_close(slac_csv *r);
/* A reader of LIMIT bytes of F from its current position, which must be
 * the start of a record in the middle of a file: no header row (every
 * record must have HEADER_FIELDS fields), no byte-order mark, lines
 * counted from 1 at that position.  The end of the LIMIT bytes is the end
 * of the file for this reader.  For reading one file in parts. */
slac_csv *slac_csv_open_part(FILE *f, const char *name, size_t header_fields, uint64_t limit);

/* Read the next record.  Returns 1 when a record was read, 0 at the end of
 * the file, -1 on an error (see slac_csv_error).  The first record read is
 * the header; from the second on, every record must have the header's
 * field count. */
int slac_csv_next(slac_csv *r);

size_t slac_csv_field_count(const slac_csv *r);
slac_field slac_csv_field(const slac_csv *r, size_t i);
/* Line number (1-based) on which the current record starts; after the
 * end of the file, one more than the lines read. */
long slac_csv_line(const slac_csv *r);
/* Bytes of the stream consumed up to the start of the next record. */
uint64_t slac_csv_offset(const slac_csv *r);
/* After -1: "FILE:LINE: message", a complete sentence without newline.
 * An out-of-memory condition reads "FILE:LINE: out of memory". */
const char *slac_csv_error(const slac_csv *r);
/* True when the last error was out of memory (not a data error). */
bool slac_csv_oom(const slac_csv *r);
/* Report the last error through D at its data site (PATH:LINE), or as out
 * of memory.  PATH is the name the reader was opened with. */
void slac_csv_report(const slac_csv *r, const char *path, slac_diags *d);

#endif
