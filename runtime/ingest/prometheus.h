/* prometheus.h - a Prometheus range query's response as request windows
 * or probes.
 *
 * The input is the JSON that `/api/v1/query_range` returns:
 *
 *   {"status": "success", "data": {"resultType": "matrix", "result": [
 *     {"metric": {"__name__": "http_requests_total", "code": "500", ...},
 *      "values": [[1790949600, "1027"], [1790949900, "1093"], ...]}, ...]}}
 *
 * Which series are what is declared, never guessed, with PromQL label
 * matchers (`code=~"5.."`, `__name__="http_requests_total"`):
 *
 *  - request windows: the series matching the requests selector are
 *    request counters, those matching the errors selector error counters
 *    (a series may match both: the 5xx series of http_requests_total are
 *    requests and errors).  The increase of a counter from one sample to
 *    the next is the count of the window the first sample opens, summed
 *    over the series of each account, service and window; the samples
 *    must be one window length apart and start on a window boundary
 *    (query with `step` equal to the window, and `start` on one).  A
 *    counter that goes down was reset: its increase is its new value, as
 *    Prometheus's own increase() takes it.
 *  - probes: the series matching the probes selector (default
 *    `__name__="probe_success"`) give one probe per sample, 1 up and 0
 *    down.
 *
 * The account of a series is the value of the account label (none: the
 * --input-account, or the account `default`); its service is the value of
 * the service label mapped as --component maps names, or the one service
 * that takes such data.  Every sample that gives no row is named in a
 * warning and counted, as for the other inputs: a value that is not a
 * whole number (NaN, 1.5e3), a sample off the window grid, a series that
 * matches no selector or has no account or service.
 */
#ifndef SLAC_PROMETHEUS_H
#define SLAC_PROMETHEUS_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include "runtime/ingest/ingest.h"

typedef enum { SLAC_PROM_EQ, SLAC_PROM_NE, SLAC_PROM_RE, SLAC_PROM_NRE } slac_prom_op;

typedef struct {
  char *label;
  char *value;
  slac_prom_op op;
  regex_t re;        /* for =~ and !~: anchored at both ends, as PromQL's */
} slac_prom_matcher;

/* A conjunction of matchers; no matcher matches every series. */
typedef struct {
  slac_prom_matcher *m;
  size_t n;
} slac_prom_selector;

/* Parse TEXT, PromQL matchers with or without braces:
 * `code=~"5..",job="api"` or `{__name__="probe_success"}`.  Returns 0, or
 * -1 with a message for the user in ERR. */
int slac_prom_selector_parse(const char *text, slac_prom_selector *out, char *err, size_t errsize);
void slac_prom_selector_free(slac_prom_selector *s);
/* Does the series whose labels are METRIC (a JSON object) match S?  A
 * label it lacks has the value "" (PromQL's rule). */
bool slac_prom_selector_matches(const slac_prom_selector *s, json_t *metric);

typedef struct slac_prom_options_s {
  const char *account_label;     /* NULL: every series is the options' account */
  const char *service_label;     /* NULL: the one service taking the data */
  const slac_prom_selector *requests, *errors; /* both or neither */
  const slac_prom_selector *probes;            /* NULL: __name__="probe_success" */
} slac_prom_options;  /* slac_ingest_options.prom */

/* True when ROOT looks like a Prometheus API response (an object with
 * "status" and "data" holding "resultType", or "status": "error"). */
bool slac_prom_recognise(json_t *root);

/* Write the header and the rows of ROOT to G (G->o->prom says how).
 * Returns 0, or -1 after reporting through D why the document cannot be
 * used at all (an error response, not a matrix, no selector given for a
 * file that is not probe_success, out of memory). */
int slac_prom_convert(slac_ingest *g, json_t *root, slac_diags *d);

#endif
