/* ingest_opts.h - the options of `slac convert` and `slac eval` that map
 * real inputs (status-page JSON, access logs) onto a policy: parsing them
 * from the command line, and checking them against the loaded policy. */
#ifndef SLAC_INGEST_OPTS_H
#define SLAC_INGEST_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include "runtime/ingest/ingest.h"

typedef struct {
  /* as given */
  const char **components; /* "NAME=SERVICE" */
  size_t ncomponents;
  const char **statuses;   /* "STATUS=CAUSE" */
  size_t nstatuses;
  bool degraded_counts;
  slac_intervals_mode intervals;
  const char *account;
  const char *log_service;
  slac_valid_mode valid;
  bool quiet;
  bool werror;             /* --werror: the inputs' warnings are errors */
  const char *first;       /* the first of these options given, or NULL */
  /* resolved against the policy */
  slac_component_map *cmap;
  char **cnames;
  slac_status_map *smap;
  char **snames;
  slac_ingest_options opts;
} slac_cli_ingest;

/* The help text of these options (for `--help`). */
extern const char slac_cli_ingest_help[];

/* ARGC bounds how many times an option can repeat.  0, or -1 when out of
 * memory. */
int slac_cli_ingest_init(slac_cli_ingest *a, int argc);
void slac_cli_ingest_free(slac_cli_ingest *a);

/* When ARGV[*I] is one of these options, consume it and its value (moving
 * *I) and return 1; return 0 when it is not; return 2 after printing a
 * usage error for command CMD. */
int slac_cli_ingest_option(slac_cli_ingest *a, const char *cmd, int argc, char **argv, int *i);

/* Check services, causes and statuses against P and fill A->opts.
 * Returns 0, or 2 after printing a usage error. */
int slac_cli_ingest_resolve(slac_cli_ingest *a, const char *cmd, const slac_program *p);

#endif
