/* api.h - what the files of api/ share: the handles of include/slac/slac.h
 * and the bridge from slac_diags to the embedder's callback. */
#ifndef SLAC_API_INTERNAL_H
#define SLAC_API_INTERNAL_H

#include "include/slac/slac.h"
#include "runtime/base/diag.h"
#include "runtime/data/layout.h"
#include "runtime/data/rows.h"
#include "runtime/data/winsums.h"
#include "runtime/eval/report.h"
#include "runtime/vm/program.h"

/* Where diagnostics go: the embedder's callback. */
typedef struct {
  slac_api_diag_fn cb;
  void *userdata;
} slac_api_target;

struct slac_api_policy {
  slac_program *program;
  unsigned char *bytes;         /* the .slbc bytes it was loaded from */
  size_t size;
};

struct slac_api_run {
  const slac_api_policy *policy;
  slac_api_target target;
  bool has_period;
  slac_month period, period_to; /* --period FROM..TO */
  char **data_paths;            /* owned copies */
  int ndata;
  char *accounts, *claims, *history;
  slac_rows rows;
  bool rows_ready;              /* ROWS initialised */
  slac_layout layout;           /* --column, --timestamps */
  char *column_specs[SLAC_LAYOUT_MAX]; /* owned: LAYOUT borrows their names */
  bool layout_set;
  slac_api_windows *sums;       /* owned: the window sums pushed, merged */
};

struct slac_api_windows {
  const slac_api_policy *policy;
  slac_api_target target;
  slac_diags d;                 /* reporting to TARGET, made once: the
                                   adds of a database's rows come by millions */
  unsigned char digest[32];     /* SHA-256 of the policy's bytes */
  slac_winsums sums;
};

/* D reporting to T (which must outlive D), never to a stream. */
void slac_api_diags(slac_diags *d, slac_api_target *t);

/* O as the public struct, handed to FN (api/outcome.c).  -1 when out of
 * memory (reported through D). */
int slac_api_deliver(const slac_outcome *o, slac_api_outcome_fn fn, void *userdata,
                     slac_diags *d);

#endif
