/* ingest.h - what the converters of real inputs share.
 *
 * Status-page histories (runtime/ingest/statuspage.h, runtime/ingest/gcp_status.h) and
 * web server access logs (runtime/ingest/accesslog.h) become the CSV data files
 * of CONTRACT section 2.  This module owns what they have in common:
 *
 *  - the options that map their vocabulary onto a policy: components or
 *    products to services, component statuses to causes, the service,
 *    account and "valid requests" of a log;
 *  - the rows of one incident (collected, merged when two components give
 *    the same interval, sorted) and the CSV they are written as;
 *  - the warnings about records that give no row, their counts, and the
 *    one summary line on stderr.  Nothing is dropped silently: every
 *    record is either used or named in a warning with its reason.
 *
 * Every row written is valid by construction (a service and a cause the
 * policy declares, start <= end, RFC 3339 UTC timestamps), so `slac eval`
 * never rejects a converted file.  docs/real-inputs.md describes the
 * mapping in users' words.
 */
#ifndef SLAC_INGEST_H
#define SLAC_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/base/diag.h"
#include "runtime/vm/program.h"
#include "runtime/base/timestamp.h"

typedef enum { SLAC_VALID_ALL = 0, SLAC_VALID_NO_4XX = 1 } slac_valid_mode;
typedef enum { SLAC_INTERVALS_STATUS = 0, SLAC_INTERVALS_INCIDENT = 1 } slac_intervals_mode;

/* Status -> cause results besides a cause index. */
enum { SLAC_STATUS_IGNORED = -1, SLAC_STATUS_UNKNOWN = -2 };

typedef struct {
  const char *name;  /* component name or id, product title or id; "*": any */
  int service;       /* index into the program's services */
} slac_component_map;

typedef struct {
  const char *status; /* a word of slac_ingest_status_names */
  int cause;          /* cause index, or SLAC_STATUS_IGNORED */
} slac_status_map;

typedef struct {
  const slac_program *p;
  const slac_component_map *components;
  size_t ncomponents;
  const slac_status_map *statuses; /* overrides of the default mapping */
  size_t nstatuses;
  bool degraded_counts;            /* degraded_performance, SERVICE_INFORMATION */
  slac_intervals_mode intervals;
  const char *account;             /* NULL: rows have no account column */
  const struct slac_prom_options_s *prom; /* Prometheus: which series are what
                                   (prometheus.h); NULL: none given */
  int log_service;                 /* -1: the only service taking windows */
  slac_valid_mode valid;
} slac_ingest_options;

/* Why a record gave no row (one reason per record, the first found). */
typedef enum {
  SLAC_SKIP_MALFORMED,
  SLAC_SKIP_BAD_TIME,
  SLAC_SKIP_NO_START,
  SLAC_SKIP_RESOLVED_BEFORE,
  SLAC_SKIP_NO_COMPONENT,
  SLAC_SKIP_NOT_MAPPED,
  SLAC_SKIP_NOT_RESOLVED,
  SLAC_SKIP_UNKNOWN_STATUS,
  SLAC_SKIP_NOT_COUNTED,
  SLAC_SKIP_EMPTY,
  SLAC_SKIP_NOT_SELECTED,   /* Prometheus: a series no selector takes */
  SLAC_SKIP_NO_LABEL,       /* Prometheus: no account or service label */
  SLAC_SKIP_BAD_VALUE,      /* Prometheus: not a whole number (0 or 1 for probes) */
  SLAC_SKIP_OFF_GRID,       /* Prometheus: not on the window grid */
  SLAC_SKIP_N
} slac_skip;

typedef struct {
  int service, cause;
  slac_time start, end;
  char *components; /* "Git Operations, API Requests" */
  size_t components_len, components_cap;
  char *detail;     /* "partial_outage; Incident with Git Operations" */
} slac_ingest_row;

typedef struct {
  const slac_ingest_options *o;
  const char *path;     /* the input, as the user named it */
  FILE *out;            /* CSV rows */
  slac_diags *diags;    /* warnings and the summary note (NULL: none) */
  bool quiet;           /* count warnings, show only the summary */
  bool no_header;       /* a later input of the same output: no header */
  uint64_t records;     /* incidents or log lines seen */
  uint64_t used;        /* records that gave at least one row (or request) */
  uint64_t rows;        /* CSV rows written */
  uint64_t warnings;    /* warnings printed or counted */
  uint64_t skipped[SLAC_SKIP_N];
  bool maintenance_warned;
  bool oom;             /* out of memory: the conversion fails */
  slac_ingest_row *pending; /* rows of the current incident */
  size_t npending, pending_cap;
  size_t *row_index;    /* [row_index_cap]: open addressing over PENDING by
                           service, cause and interval (index + 1; 0: free) */
  size_t row_index_cap;
} slac_ingest;

void slac_ingest_init(slac_ingest *g, const slac_ingest_options *o, const char *path,
                      FILE *out, slac_diags *diags);
void slac_ingest_free(slac_ingest *g);

/* "major_outage, partial_outage, ..." - the statuses --status accepts. */
extern const char slac_ingest_status_names[];
bool slac_ingest_status_known(const char *status);
/* The cause of a component status (Statuspage) or status impact (Google
 * Cloud): a cause index, SLAC_STATUS_IGNORED, or SLAC_STATUS_UNKNOWN.
 * Defaults: major_outage, partial_outage, SERVICE_OUTAGE and
 * SERVICE_DISRUPTION are `outage`; degraded_performance and
 * SERVICE_INFORMATION are `outage` with degraded_counts, else ignored;
 * under_maintenance is `maintenance` (`outage`, with one warning, when the
 * policy declares no such cause); operational and AVAILABLE never count.
 * Options' statuses override all but the last two. */
int slac_ingest_status_cause(slac_ingest *g, const char *status);
/* True when mapping entry I applies to a component called NAME (NULL
 * never matches; "*" matches everything). */
bool slac_ingest_maps(const slac_ingest_options *o, size_t i, const char *name);
/* The window length of service S for request windows: the error-rate
 * window, 60 for a minute service with an error-rate rule, 0 when S takes
 * no request windows. */
uint32_t slac_ingest_window_seconds(const slac_program *p, int s);

/* Warn that record ID gives no row, and count it under WHY. */
void slac_ingest_skip(slac_ingest *g, slac_skip why, const char *id, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Warn that N records of WHAT ("series {code=\"500\"}") give no row, and
 * count them under WHY. */
void slac_ingest_skip_records(slac_ingest *g, slac_skip why, uint64_t n, const char *what,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* A warning that is not a skipped record (counted, printed unless quiet).
 * LINE 0: the whole file. */
void slac_ingest_warn(slac_ingest *g, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Parse a JSON timestamp field: 0, or -1 after a BAD_TIME skip of ID. */
int slac_ingest_time(slac_ingest *g, const char *id, const char *field, const char *s,
                     slac_time *out);

/* Incident rows.  begin clears the pending rows; add collects one (an
 * empty interval is dropped; the same service, cause and interval from
 * another component only adds that component's name); end writes them in
 * time order and returns how many (-1 out of memory). */
void slac_ingest_begin_incident(slac_ingest *g);
int slac_ingest_add(slac_ingest *g, int service, int cause, slac_time start, slac_time end,
                    const char *component, const char *detail);
int slac_ingest_end_incident(slac_ingest *g, const char *id);

/* CSV output: the header of each kind, and one request-window row. */
int slac_ingest_incident_header(slac_ingest *g);
int slac_ingest_window_header(slac_ingest *g);
int slac_ingest_window_row(slac_ingest *g, int service, slac_time start, uint64_t requests,
                           uint64_t errors);

/* The summary line: "slac: FILE: 1282 incidents: 12 used (14 rows),
 * 1270 not used: 164 without a component, ... (see warnings)".  UNIT is
 * "incidents" or "lines"; EXTRA (may be NULL) follows the used count. */
void slac_ingest_summary(slac_ingest *g, const char *unit, const char *extra);

/* Copy SRC into DST (SIZE bytes) for a note or a message: control
 * characters and runs of blanks become one space, and the text is cut at
 * a UTF-8 character boundary, ending with "..." when cut. */
void slac_ingest_text(char *dst, size_t size, const char *src);

/* Write S as one CSV field (quoted when it holds a comma, quote or line
 * break). */
void slac_ingest_csv_field(FILE *f, const char *s);

#endif
