/* report.h - the outcome of one account and month, written as jsonl, csv
 * or text (CONTRACT section 4). */
#ifndef SLAC_REPORT_H
#define SLAC_REPORT_H

#include <stdio.h>
#include "runtime/base/timestamp.h"
#include "runtime/vm/vm.h"

typedef enum { SLAC_FORMAT_TEXT, SLAC_FORMAT_JSONL, SLAC_FORMAT_CSV } slac_format;

typedef struct {
  const slac_program *p;
  const char *account;
  slac_month month;
  const slac_vm_input *in;
  const slac_vm_output *out;
} slac_outcome;

/* Before the first outcome (the csv header, the text title). */
void slac_report_begin(FILE *f, slac_format fmt, const slac_program *p);
void slac_report_outcome(FILE *f, slac_format fmt, const slac_outcome *o);

#endif
