/* header.h - finding the columns of a CSV file by name (CONTRACT 6.2).
 *
 * Every reader of slac (data files, accounts, claims, history) finds its
 * columns here, so that they all follow one rule: a column's name is
 * matched ignoring ASCII case, surrounding blanks and byte order marks
 * ("Account", " account", "\xEF\xBB\xBFaccount"); a column named twice is
 * an error; and a column that is none of the reader's names but is
 * within two edits of one ("acount", "Cuase") is a warning naming both,
 * since a misspelled optional column would otherwise be silently ignored
 * and could change an amount.
 */
#ifndef SLAC_HEADER_H
#define SLAC_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include "runtime/base/diag.h"
#include "runtime/data/csv.h"

typedef struct {
  const char *const *names;    /* [nnames] the columns the reader uses */
  int nnames;
  const char *const *ignored;  /* [nignored] documented columns it ignores
                                  (never warned about as near misses) */
  int nignored;
  const char *prefix;          /* or NULL: columns PREFIX + anything are
                                  the reader's too (errors_<kind>) */
  const char *const *as;       /* [nnames] or NULL: the name each column
                                  has in the file when the user gave
                                  another (--column, layout.h); NULL
                                  entries keep their own */
} slac_header_spec;

/* Find the columns of SPEC in the header, the current record of CSV:
 * COL[i] is the field index of NAMES[i] (or of AS[i]), or -1.  Reports a
 * column named twice (an error: returns -1) and, when WARN, near misses
 * and columns left unread because the user mapped their name elsewhere
 * (warnings).  Returns 0 otherwise. */
int slac_header_read(slac_csv *csv, const char *path, const slac_header_spec *spec, int *col,
                     bool warn, slac_diags *d);

/* The header field F without surrounding blanks and leading byte order
 * marks: the name as matched. */
slac_field slac_header_name(slac_field f);

/* Is the (trimmed) name F equal to NAME, ignoring ASCII case? */
bool slac_header_is(slac_field f, const char *name);

/* Does the (trimmed) name F start with PREFIX, ignoring ASCII case?  Then
 * *REST is what follows. */
bool slac_header_has_prefix(slac_field f, const char *prefix, slac_field *rest);

#endif
