/* svg_chart.h - an inline SVG bar chart of the minutes of each day of a
 * month, unavailable and excluded stacked in two colours, with its text
 * alternative (role="img", <title>, aria-label).  Integer arithmetic
 * only: the bar heights are whole pixels. */
#ifndef SLAC_SVG_CHART_H
#define SLAC_SVG_CHART_H

#include <stdint.h>
#include <stdio.h>

/* The chart of DAYS days (28..31): UNAVAILABLE[d] and EXCLUDED[d] are the
 * minutes of day d + 1.  LABEL (plain text, escaped here) begins the text
 * alternative, which then names each day that has minutes. */
void slac_svg_day_chart(FILE *f, const char *label, const int64_t *unavailable,
                        const int64_t *excluded, int days);

#endif
