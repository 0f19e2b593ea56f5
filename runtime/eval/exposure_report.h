/* exposure_report.h - the exposure's changes added into the steps of the
 * total credit, per month and currency, written as text, jsonl or csv
 * (docs/analysis.md, "Exposure"). */
#ifndef SLAC_EXPOSURE_REPORT_H
#define SLAC_EXPOSURE_REPORT_H

#include <stdio.h>
#include "runtime/eval/exposure.h"
#include "runtime/eval/report.h"

/* Write the sorted changes of X (slac_exposure_sort) in FMT (text, jsonl
 * or csv) to F.  Returns 0, or -1 when a total reaches 10^24 and cannot
 * be added exactly: *OVERFLOW then names the currency (nothing more is
 * written). */
int slac_exposure_write(const slac_exposure *x, FILE *f, slac_format fmt, const char **overflow);

#endif
