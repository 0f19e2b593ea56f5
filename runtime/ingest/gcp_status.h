/* gcp_status.h - the Google Cloud status dashboard's incidents.json as
 * incident rows.
 *
 * The document is an array of incidents, each with `id`, `begin`, `end`,
 * `external_desc`, `status_impact` (SERVICE_OUTAGE, SERVICE_DISRUPTION,
 * SERVICE_INFORMATION), `severity` (high, medium, low), `service_name`,
 * `service_key` and `affected_products[]` ({title, id}).
 *
 * An incident is one interval [begin, end) (`created` when there is no
 * `begin`) for every service that one of its products (title or id), its
 * service_name or its service_key is mapped to.  Its cause comes from
 * status_impact through the ingest status mapping; without a
 * status_impact, severity stands for it (high: SERVICE_OUTAGE, medium:
 * SERVICE_DISRUPTION, low: SERVICE_INFORMATION).
 */
#ifndef SLAC_GCP_STATUS_H
#define SLAC_GCP_STATUS_H

#include <jansson.h>
#include <stdbool.h>
#include "runtime/ingest/ingest.h"

/* True when ROOT is a non-empty array whose first element looks like a
 * Google Cloud incident (has `begin`, `affected_products` or
 * `service_name`). */
bool slac_gcp_recognise(json_t *root);

/* Write the header and the rows of every incident to G.  Returns 0, or -1
 * when out of memory. */
int slac_gcp_convert(slac_ingest *g, json_t *root);

#endif
