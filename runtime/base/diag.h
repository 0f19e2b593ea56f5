/* diag.h - the one diagnostic routine, and the source text it points into.
 *
 * Every error slac reports about a policy goes through slac_diag(), which
 * prints it the way gcc and clang do:
 *
 *   saleor.sla:12:10: error: expected a percentage like 99.9%, got a duration
 *     commit 10 min
 *            ^~~~~~
 *
 * Lines and columns are 1-based; columns count characters (UTF-8 code
 * points), so the caret lines up under the word however the line is
 * written.  Errors in data files name FILE:LINE and the column instead
 * (slac_diag_data), since the row itself may be huge or private.
 */
#ifndef SLAC_DIAG_H
#define SLAC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Compatible with bison's YYLTYPE (api.location.type). */
typedef struct {
  int first_line, first_column;
  int last_line, last_column; /* last_column is one past the last character */
} slac_loc;

typedef struct {
  char *name;          /* as the user wrote it */
  char *text;          /* whole file, NUL-terminated */
  size_t size;
  size_t *line_starts; /* byte offset of each line, built lazily */
  size_t nlines;
} slac_source;

typedef enum { SLAC_WARNING, SLAC_ERROR } slac_severity;

typedef struct {
  FILE *out;            /* stderr in the CLI, a memstream in tests; NULL:
                           count only (a thread whose work may be redone) */
  bool werror;          /* warnings count (and print) as errors */
  int errors, warnings; /* counted after --werror is applied */
  int shown, max_shown; /* stop printing after max_shown (0: no limit) */
  bool oom;             /* an out-of-memory error was reported */
  bool quiet_warnings;  /* count warnings but do not print them */
} slac_diags;

void slac_diags_init(slac_diags *d, FILE *out);

/* Read PATH into SRC.  On failure prints "PATH: reason" through D and
 * returns -1.  A NUL byte or invalid UTF-8 is reported at its line and
 * column (the rest of slac may assume clean UTF-8 text). */
int slac_source_load(slac_source *src, const char *path, slac_diags *d);
/* Use TEXT (copied) as a source named NAME; same checks as load. */
int slac_source_from_text(slac_source *src, const char *name, const char *text,
                          size_t size, slac_diags *d);
void slac_source_free(slac_source *src);
/* The text of line LINE (1-based) without its line end; *LEN gets its
 * length.  NULL when out of range. */
const char *slac_source_line(slac_source *src, int line, size_t *len);

#if defined(__GNUC__)
#define SLAC_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* A function only errors reach: kept out of line, away from hot loops. */
#define SLAC_COLD __attribute__((cold, noinline))
#else
#define SLAC_PRINTF(f, a)
#define SLAC_COLD
#endif

/* Report at LOC in SRC (SRC may be NULL: then only "error: MESSAGE"). */
void slac_diag(slac_diags *d, slac_source *src, slac_loc loc, slac_severity sev,
               const char *fmt, ...) SLAC_PRINTF(5, 6);
/* Report an error in a data file: "FILE:LINE: column 'COL': MESSAGE", or
 * "FILE:LINE: MESSAGE" when COLUMN is NULL, or "FILE: MESSAGE" when LINE
 * is 0. */
void slac_diag_data(slac_diags *d, const char *file, long line, const char *column,
                    const char *fmt, ...) SLAC_PRINTF(5, 6);
/* A plain "slac: error: MESSAGE" (files that cannot be opened, ...). */
void slac_diag_plain(slac_diags *d, slac_severity sev, const char *fmt, ...)
    SLAC_PRINTF(3, 4);
/* Out of memory: reported once, sets d->oom. */
void slac_diag_oom(slac_diags *d);

/* Length of the valid UTF-8 sequence at S (at most N bytes available), or
 * 0 when the bytes there are not valid UTF-8. */
size_t slac_utf8_len(const unsigned char *s, size_t n);

#endif
