/* statuspage.h - Atlassian Statuspage API v2 incidents as incident rows.
 *
 * Accepts a parsed document of one of these shapes:
 *   {"page": {...}, "incidents": [INCIDENT, ...]}   (/api/v2/incidents.json)
 *   {"page": {...}, "scheduled_maintenances": [...]} (and summary.json, both)
 *   {"incident": INCIDENT}  or  INCIDENT             (one incident)
 *   [INCIDENT, ...]
 * An INCIDENT has `id`, `name`, `created_at`, `started_at`, `resolved_at`,
 * `impact`, `components[]` and `incident_updates[]`, each update with a
 * timestamp (`display_at`, else `created_at`) and `affected_components[]`
 * ({name, code, old_status, new_status}).
 *
 * For each component mapped to a service (ingest options), the intervals
 * come from its status changes, in time order: the component is down from
 * the update that moves it to a counting status to the update that moves
 * it out of one (or to `resolved_at` when no update does); a component
 * whose first recorded old_status already counts is down from the
 * incident's start.  A component the updates never mention, or every
 * component with --intervals incident, is down from `started_at` (else
 * `created_at`) to `resolved_at`, as outage (maintenance when the impact
 * is "maintenance").  docs/real-inputs.md gives the details.
 */
#ifndef SLAC_STATUSPAGE_H
#define SLAC_STATUSPAGE_H

#include <jansson.h>
#include <stdbool.h>
#include "runtime/ingest/ingest.h"

/* True when ROOT has one of the shapes above (an empty array is not). */
bool slac_statuspage_recognise(json_t *root);

/* Write the header and the rows of every incident in ROOT to G; records
 * that give no row are warned about and counted.  Returns 0, or -1 when
 * out of memory. */
int slac_statuspage_convert(slac_ingest *g, json_t *root);

#endif
