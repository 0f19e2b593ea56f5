/* ingest_opts.h - the options of `slac convert` and `slac eval` that map
 * real inputs (status-page JSON, access logs) onto a policy: parsing them
 * from the command line, and checking them against the loaded policy. */
#ifndef SLAC_INGEST_OPTS_H
#define SLAC_INGEST_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include "runtime/ingest/ingest.h"
#include "runtime/ingest/prometheus.h"

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
  /* Prometheus (runtime/ingest/prometheus.h): parsed as given */
  slac_prom_selector prom_requests, prom_errors, prom_probes;
  bool have_requests, have_errors, have_probes;
  slac_prom_options prom;
  const char *first;       /* the first of these options given, or NULL */
  /* resolved against the policy */
  slac_component_map *cmap;
  char **cnames;
  slac_status_map *smap;
  char **snames;
  slac_ingest_options opts;
} slac_cli_ingest;

/* The rows of these options in the option tables of convert and eval
 * (cli/options.h): a heading, then the options. */
#define SLAC_CLI_INGEST_OPTS                                                                \
  {NULL, 0, NULL,                                                                           \
   "real inputs (docs/real-inputs.md): a data file whose first non-blank byte\n"            \
   "is '{' or '[' is a status-page history (Statuspage API v2 incidents, or\n"              \
   "Google Cloud's incidents.json) or a Prometheus range query's response;\n"               \
   "one whose first line is a Common or Combined Log Format line is a web\n"                \
   "server access log.",                                                                    \
   false, NULL},                                                                            \
  {"component", 0, "NAME=SERVICE",                                                          \
   "a Statuspage component (name or id), or a\n"                                            \
   "Google Cloud product (title or id) or service_name,\n"                                  \
   "counts for the policy's SERVICE; repeatable; NAME '*'\n"                                \
   "is every component.  Without it no incident is used.",                                  \
   true, NULL},                                                                             \
  {"degraded-counts", 0, NULL,                                                              \
   "degraded_performance (Statuspage) and\n"                                                \
   "SERVICE_INFORMATION (Google Cloud) count as outage;\n"                                  \
   "by default they do not count",                                                          \
   false, NULL},                                                                            \
  {"status", 0, "STATUS=CAUSE",                                                             \
   "give STATUS the policy's CAUSE, or 'ignore';\n"                                         \
   "repeatable.  Defaults: major_outage, partial_outage,\n"                                 \
   "SERVICE_OUTAGE, SERVICE_DISRUPTION -> outage;\n"                                        \
   "under_maintenance -> maintenance",                                                      \
   true, NULL},                                                                             \
  {"intervals", 0, "MODE",                                                                  \
   "status (default): a component is down while its\n"                                      \
   "status counts, from the updates' status changes;\n"                                     \
   "incident: from the incident's start to its\n"                                           \
   "resolution, whatever the statuses say",                                                 \
   false, "status incident"},                                                               \
  {"log-service", 0, "SERVICE",                                                             \
   "the service access logs measure (default: the\n"                                        \
   "policy's only service measured by request errors)",                                     \
   false, NULL},                                                                            \
  {"valid", 0, "WHICH",                                                                     \
   "which requests of an access log are valid: all\n"                                       \
   "(default), or all but 4xx responses (no-4xx); 5xx\n"                                    \
   "are errors",                                                                            \
   false, "all no-4xx"},                                                                    \
  {"input-account", 0, "NAME",                                                              \
   "the account of the converted rows (default: the\n"                                      \
   "account named 'default')",                                                              \
   false, NULL},                                                                            \
  {"quiet", 0, NULL,                                                                        \
   "print only each input's summary line, not every\n"                                      \
   "record that was not used",                                                              \
   false, NULL},                                                                            \
  {"werror", 0, NULL, "treat warnings about the inputs as errors (exit 1)", false, NULL},    \
  {"prom-requests", 0, "SELECTOR",                                                          \
   "Prometheus: the series that count requests, as PromQL\n"                                \
   "label matchers ('__name__=\"http_requests_total\"');\n"                                 \
   "with --prom-errors, the file gives request windows",                                   \
   false, NULL},                                                                            \
  {"prom-errors", 0, "SELECTOR",                                                            \
   "Prometheus: the series that count errors ('code=~\"5..\"');\n"                         \
   "a series may count both",                                                               \
   false, NULL},                                                                            \
  {"prom-probes", 0, "SELECTOR",                                                            \
   "Prometheus: the series of probes, 1 up and 0 down\n"                                    \
   "(default '__name__=\"probe_success\"')",                                                \
   false, NULL},                                                                            \
  {"prom-account", 0, "LABEL",                                                              \
   "Prometheus: the label whose value is a series' account\n"                               \
   "(default: --input-account, or the account 'default')",                                 \
   false, NULL},                                                                            \
  {"prom-service", 0, "LABEL",                                                              \
   "Prometheus: the label whose value, mapped with\n"                                       \
   "--component VALUE=SERVICE, is a series' service (default:\n"                            \
   "the policy's only service that takes such data)",                                      \
   false, NULL}

/* ARGC bounds how many times an option can repeat.  0, or -1 when out of
 * memory. */
int slac_cli_ingest_init(slac_cli_ingest *a, int argc);
void slac_cli_ingest_free(slac_cli_ingest *a);

/* When NAME ("--component") is one of these options, take it with its
 * VALUE (NULL for a flag) and return 1; return 0 when it is not; return 2
 * after printing a usage error for command CMD (a malformed value). */
int slac_cli_ingest_option(slac_cli_ingest *a, const char *cmd, const char *name, const char *v);

/* Check services, causes and statuses against P and fill A->opts.
 * Returns 0, or 2 after printing a usage error. */
int slac_cli_ingest_resolve(slac_cli_ingest *a, const char *cmd, const slac_program *p);

#endif
