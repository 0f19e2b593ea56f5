/* svg_chart.h - an inline SVG bar chart of a month, day by day, of two
 * counts stacked in two colours (unavailable and excluded minutes, or
 * request windows with errors and excluded), with its text alternative
 * (role="img", <title>, aria-label).  Integer arithmetic only: the bar
 * heights are whole pixels. */
#ifndef SLAC_SVG_CHART_H
#define SLAC_SVG_CHART_H

#include <stdint.h>
#include <stdio.h>

/* The chart of DAYS days (28..31): FIRST[d] and SECOND[d] are the counts
 * of day d + 1, drawn with the classes "unavailable" and "excluded" and
 * named by WORDS[0] and WORDS[1] ("unavailable", "excluded").  LABEL
 * (plain text, escaped here) begins the text alternative, which then
 * gives the totals and each day that has a count. */
void slac_svg_day_chart(FILE *f, const char *label, const char *const words[2],
                        const int64_t *first, const int64_t *second, int days);

#endif
