/* rows.h - data rows pushed in memory (libslac's API) instead of files.
 *
 * Each pushed row is written as one CSV record of an in-memory table per
 * kind (accounts, incidents, request windows, probes), and the tables are
 * folded into a dataset by the very readers of the files (readers.h): a
 * pushed row and a CSV row are parsed, checked, merged and measured by
 * the same code, so they give the same outcome and the same messages.
 * A bad row is reported as "<incidents>:LINE", LINE being its number in
 * its table plus one (line 1 is the header).
 */
#ifndef SLAC_ROWS_H
#define SLAC_ROWS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/base/diag.h"
#include "runtime/data/dataset.h"

typedef enum { SLAC_ROWS_ACCOUNTS, SLAC_ROWS_INCIDENTS, SLAC_ROWS_WINDOWS, SLAC_ROWS_PROBES,
               SLAC_ROWS_NKINDS } slac_rows_kind;

/* The tables; owned by their creator (slac_rows_free). */
typedef struct {
  char *body[SLAC_ROWS_NKINDS];  /* the records, without the header */
  size_t size[SLAC_ROWS_NKINDS];
  FILE *f[SLAC_ROWS_NKINDS];     /* open_memstream of BODY */
  long n[SLAC_ROWS_NKINDS];      /* rows pushed */
  bool account_services;         /* some account row names a service */
} slac_rows;

/* 0, or -1 when out of memory. */
int slac_rows_init(slac_rows *r);
void slac_rows_free(slac_rows *r);

/* Append one row; every field is text exactly as in a CSV file (NULL
 * stands for an empty field).  0, or -1 when out of memory: a row's
 * content is checked when the tables are folded. */
int slac_rows_account(slac_rows *r, const char *account, const char *service, const char *fee,
                      const char *currency, const char *plan, const char *standing);
int slac_rows_incident(slac_rows *r, const char *account, const char *service, const char *start,
                       const char *end, const char *cause);
int slac_rows_window(slac_rows *r, const char *account, const char *service, const char *start,
                     uint64_t requests, uint64_t errors);
int slac_rows_probe(slac_rows *r, const char *account, const char *service, const char *time,
                    bool ok);

/* Append LEN bytes of whole CSV records of KIND, in the columns the functions above write, each ending in a
 * line break.  0, or -1 when out of memory. */
int slac_rows_records(slac_rows *r, slac_rows_kind kind, const char *records, size_t len);

/* True when R holds rows of KIND. */
bool slac_rows_has(const slac_rows *r, slac_rows_kind kind);

/* Fold the table KIND into DS through its file reader (accounts first,
 * then incidents and probes, then windows, as eval orders files); FILE
 * is its position, for the order of first appearance.  EXACT_PASS as in
 * slac_read_data.  0, or -1 after reporting through D. */
int slac_rows_fold(slac_dataset *ds, slac_rows *r, slac_rows_kind kind, uint32_t file,
                   bool exact_pass, slac_diags *d);

#endif
