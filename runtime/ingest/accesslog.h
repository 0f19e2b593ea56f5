/* accesslog.h - web server access logs (Common and Combined Log Format)
 * as request windows.
 *
 *   HOST IDENT USER [dd/Mon/yyyy:hh:mm:ss +hhmm] "REQUEST" STATUS BYTES
 *   ... and optionally  "REFERER" "USER-AGENT"  and further fields.
 *
 * Each request falls in the window of the log's service that holds its
 * timestamp (converted to UTC); 5xx responses are errors; with
 * SLAC_VALID_NO_4XX, 4xx responses are not valid requests and are left out
 * of both counts.  The log is streamed one line at a time (lines longer
 * than SLAC_ACCESSLOG_MAX_LINE are malformed); windows are aggregated in a
 * hash map keyed by window start, so lines may come in any order, and are
 * written in time order at the end.  Memory is one 24-byte slot per
 * window that has requests, in a table of power-of-two size at most 3/4
 * full: independent of the number of lines, bounded by the time the log
 * spans (a year of 5-minute windows: 262,144 slots, 6 MB; of one-minute
 * windows: 1,048,576 slots, 24 MB; 1.5 times that while the table grows).
 *
 * A malformed line is a warning naming FILE:LINE, counted in the summary
 * (docs/real-inputs.md says why not an error).
 */
#ifndef SLAC_ACCESSLOG_H
#define SLAC_ACCESSLOG_H

#include <stddef.h>
#include <stdio.h>
#include "runtime/ingest/ingest.h"
#include "runtime/base/timestamp.h"

#define SLAC_ACCESSLOG_MAX_LINE (64u * 1024u)

typedef struct {
  slac_time time; /* UTC */
  int status;     /* 100..599 */
} slac_clf_line;

/* Parse one line (without its line end).  Returns 0, or -1 and sets *WHY
 * to a short static phrase ("the timestamp is not [dd/Mon/yyyy:hh:mm:ss
 * +hhmm]"). */
int slac_clf_parse(const char *s, size_t len, slac_clf_line *out, const char **why);

/* The windows of one service (it must take request windows), fed by one
 * or more logs: logs of the same service are merged into one set of
 * windows, since a windows file may hold each window only once. */
typedef struct slac_accesslog slac_accesslog;

/* NULL when out of memory or when SERVICE takes no request windows. */
slac_accesslog *slac_accesslog_new(const slac_program *p, int service);
void slac_accesslog_free(slac_accesslog *a);

/* Stream F (named G->path) into the windows; malformed lines are warned
 * about and counted in G, whose summary line is printed at the end.
 * Returns 0, or -1 on a read error (printed to G->msg) or out of memory
 * (G->oom). */
int slac_accesslog_read(slac_accesslog *a, slac_ingest *g, FILE *f);

/* Write the window header and one row per window with requests, in time
 * order, to G->out.  Empties the windows. */
int slac_accesslog_write(slac_accesslog *a, slac_ingest *g);

#endif
