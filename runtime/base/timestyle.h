/* timestyle.h - the ways a data file may write its timestamps.
 *
 * CONTRACT section 2 says RFC 3339 with an offset.  Exports from other
 * systems write seconds since the epoch, or an offset without its colon
 * (`2026-10-03T14:05:00+0200`, as strftime's %z does).  slac reads those
 * only where the user declares the style (`--timestamps`): a style is
 * never guessed from the data, since "1700000000" could be seconds or
 * milliseconds and a file that mixes styles is a file to look at.
 */
#ifndef SLAC_TIMESTYLE_H
#define SLAC_TIMESTYLE_H

#include <stddef.h>
#include "runtime/base/timestamp.h"

typedef enum {
  SLAC_TIMES_RFC3339 = 0, /* YYYY-MM-DDThh:mm:ss[.f](Z|+hh:mm|-hh:mm) */
  SLAC_TIMES_EPOCH,       /* [-]seconds[.fraction] since 1970-01-01T00:00:00Z */
  SLAC_TIMES_HHMM,        /* RFC 3339 with the offset as Z, +hhmm or -hhmm */
} slac_time_style;

/* "rfc3339, epoch, +hhmm": the words slac_time_style_parse accepts. */
extern const char slac_time_style_names[];

/* WORD to a style: 0, or -1 when WORD is none of the names. */
int slac_time_style_parse(const char *word, slac_time_style *out);

/* What a field of STYLE must look like, for messages ("an RFC 3339
 * timestamp with an offset", "seconds since 1970-01-01T00:00:00Z", ...). */
const char *slac_time_style_expected(slac_time_style style);

/* Parse the LEN bytes at S in STYLE: as slac_time_parse (timestamp.h),
 * with the same range (years 0001..9999) and the same truncation of
 * fractions toward the earlier second.  Returns 0 and sets *OUT, or -1
 * and sets *WHY to a short phrase. */
int slac_time_parse_style(slac_time_style style, const char *s, size_t len, slac_time *out,
                          const char **why);

#endif
