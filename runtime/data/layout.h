/* layout.h - data files that are not laid out as CONTRACT section 2 says:
 * columns under other names, timestamps in another declared style.
 *
 * A monitoring or ticketing export names its columns its own way
 * (`ts`, `customer_id`, `component`).  The user says which column holds
 * what, `--column start=ts`, instead of rewriting the file.  The mapping
 * applies to the data files (incidents, request windows, probes), whose
 * columns are listed in slac_layout_columns; accounts, claims and history
 * files keep their names.  Nothing is guessed:
 *
 *  - a mapped column that a file of a kind that reads it lacks is an error
 *    (a mapped `cause` must not quietly become "no cause");
 *  - a file that also has a column under the mapped name's own name
 *    (`start` beside `ts`) gets a warning that it is not read;
 *  - a name that is no data column (`--column strat=ts`) is refused with
 *    the nearest one.
 */
#ifndef SLAC_LAYOUT_H
#define SLAC_LAYOUT_H

#include <stddef.h>
#include "runtime/base/timestyle.h"

#define SLAC_LAYOUT_MAX 16

typedef struct {
  const char *column[SLAC_LAYOUT_MAX]; /* a name of slac_layout_columns */
  const char *name[SLAC_LAYOUT_MAX];   /* the file's name for it (borrowed) */
  size_t n;
  slac_time_style times;               /* of every timestamp of the data files */
} slac_layout;

/* "account, service, start, end, cause, announced, requests, errors,
 * time, ok": the columns --column may map. */
extern const char slac_layout_columns[];

/* Add SPEC, "COLUMN=NAME" (the NAME is borrowed: it must outlive L).
 * Returns 0, or -1 with a message for the user in ERR: not COLUMN=NAME,
 * an unknown COLUMN (with the nearest), COLUMN or NAME mapped twice, more
 * than SLAC_LAYOUT_MAX mappings. */
int slac_layout_add(slac_layout *l, const char *spec, char *err, size_t errsize);

/* The name the file gives COLUMN: the mapped one, or COLUMN itself (L may
 * be NULL). */
const char *slac_layout_name(const slac_layout *l, const char *column);

#endif
