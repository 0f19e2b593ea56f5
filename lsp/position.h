/* position.h - positions as the Language Server Protocol counts them
 * (lines and UTF-16 code units from 0) and as slac does (lines and
 * characters, that is code points, from 1).  Text is valid UTF-8: the
 * front end refuses anything else. */
#ifndef SLAC_LSP_POSITION_H
#define SLAC_LSP_POSITION_H

#include <stddef.h>

/* The UTF-16 offset of slac column COLUMN of LINE (LEN bytes); a column
 * past the end gives the offset of the end plus what is beyond it. */
long slac_lsp_utf16_offset(const char *line, size_t len, int column);

/* The length of LINE (LEN bytes) in UTF-16 code units. */
long slac_lsp_utf16_length(const char *line, size_t len);

/* The slac column of UTF-16 offset OFFSET of LINE (the column of the
 * character the offset is in, or past the end). */
int slac_lsp_column(const char *line, size_t len, long offset);

#endif
