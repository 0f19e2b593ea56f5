/* report_html.h - the html report: one self-contained file (styles and
 * SVG charts inline, no URL to fetch, the same bytes for the same input),
 * a summary first (totals per currency, accounts credited, the largest
 * credits), then a printable statement per account and month.
 *
 * The statements are held in memory until the end, since the summary
 * that comes first needs every outcome.  report.c calls these; nothing
 * else does.
 */
#ifndef SLAC_REPORT_HTML_H
#define SLAC_REPORT_HTML_H

#include <stdio.h>
#include "runtime/eval/report.h"

/* S as html text or attribute value: & < > " ' escaped, and C0 control
 * characters and DEL (not allowed in html) written as U+FFFD. */
void slac_html_text(FILE *f, const char *s);

/* Returns 0, or -1 when out of memory (R->html is then NULL). */
int slac_html_begin(slac_report_state *r);
/* One statement (R's totals already count O). */
void slac_html_outcome(slac_report_state *r, const slac_outcome *o);
/* The whole document on F.  Returns 0, or -1 when out of memory. */
int slac_html_end(slac_report_state *r, FILE *f);
void slac_html_free(slac_report_state *r);

#endif
