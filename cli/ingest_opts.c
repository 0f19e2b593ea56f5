/* ingest_opts.c - the real-input options of `slac convert` and `slac
 * eval`: parsing, and checking them against the policy (ingest_opts.h). */
#include "cli/ingest_opts.h"

#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "runtime/base/diag.h"

int slac_cli_ingest_init(slac_cli_ingest *a, int argc) {
  memset(a, 0, sizeof *a);
  size_t n = argc > 0 ? (size_t)argc : 1;
  a->components = calloc(n, sizeof *a->components);
  a->statuses = calloc(n, sizeof *a->statuses);
  if (!a->components || !a->statuses) {
    slac_cli_ingest_free(a);
    return -1;
  }
  return 0;
}

void slac_cli_ingest_free(slac_cli_ingest *a) {
  slac_prom_selector_free(&a->prom_requests);
  slac_prom_selector_free(&a->prom_errors);
  slac_prom_selector_free(&a->prom_probes);
  if (a->cnames)
    for (size_t i = 0; i < a->ncomponents; i++) free(a->cnames[i]);
  free(a->cnames);
  if (a->snames)
    for (size_t i = 0; i < a->nstatuses; i++) free(a->snames[i]);
  free(a->snames);
  free(a->cmap);
  free(a->smap);
  free(a->components);
  free(a->statuses);
  memset(a, 0, sizeof *a);
}

/* The Prometheus options: selectors parsed now, so that a typo is a
 * usage error before anything is read. */
static int prom_option(slac_cli_ingest *a, const char *cmd, const char *o, const char *v) {
  char err[512];
  slac_prom_selector *s = NULL;
  bool *have = NULL;
  if (strcmp(o, "--prom-requests") == 0) s = &a->prom_requests, have = &a->have_requests;
  else if (strcmp(o, "--prom-errors") == 0) s = &a->prom_errors, have = &a->have_errors;
  else if (strcmp(o, "--prom-probes") == 0) s = &a->prom_probes, have = &a->have_probes;
  else if (strcmp(o, "--prom-account") == 0) a->prom.account_label = v;
  else a->prom.service_label = v;
  if (s) {
    if (slac_prom_selector_parse(v, s, err, sizeof err) != 0)
      return slac_usage_error(cmd, "%s: %s", o, err);
    *have = true;
  }
  return 1;
}

int slac_cli_ingest_option(slac_cli_ingest *a, const char *cmd, const char *name, const char *v) {
  const char *o = name;
  static const char *const names[] = {"--component",   "--status", "--intervals",
                                      "--log-service", "--valid",  "--input-account",
                                      "--degraded-counts", "--quiet", "--werror",
                                      "--prom-requests", "--prom-errors", "--prom-probes",
                                      "--prom-account", "--prom-service"};
  const char *known = NULL; /* NAME may be a passing buffer: keep ours */
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (strcmp(o, names[k]) == 0) known = names[k];
  if (!known) return 0;
  if (strcmp(o, "--werror") == 0) {
    a->werror = true;
    return 1;
  }
  if (!a->first) a->first = known;
  if (strcmp(o, "--degraded-counts") == 0) {
    a->degraded_counts = true;
    return 1;
  }
  if (strcmp(o, "--quiet") == 0) {
    a->quiet = true;
    return 1;
  }
  if (strncmp(o, "--prom-", 7) == 0) return prom_option(a, cmd, o, v);
  if (strcmp(o, "--component") == 0 || strcmp(o, "--status") == 0) {
    const char *eq = strrchr(v, '=');
    if (!eq || eq == v || !eq[1])
      return slac_usage_error(cmd, "%s expects %s, got '%s'", o,
                              strcmp(o, "--component") == 0 ? "NAME=SERVICE" : "STATUS=CAUSE", v);
    if (strcmp(o, "--component") == 0) a->components[a->ncomponents++] = v;
    else a->statuses[a->nstatuses++] = v;
  } else if (strcmp(o, "--intervals") == 0) {
    if (strcmp(v, "status") == 0) a->intervals = SLAC_INTERVALS_STATUS;
    else if (strcmp(v, "incident") == 0) a->intervals = SLAC_INTERVALS_INCIDENT;
    else return slac_usage_error(cmd, "--intervals is status or incident, not '%s'", v);
  } else if (strcmp(o, "--valid") == 0) {
    if (strcmp(v, "all") == 0) a->valid = SLAC_VALID_ALL;
    else if (strcmp(v, "no-4xx") == 0) a->valid = SLAC_VALID_NO_4XX;
    else return slac_usage_error(cmd, "--valid is all or no-4xx, not '%s'", v);
  } else if (strcmp(o, "--log-service") == 0) {
    a->log_service = v;
  } else {
    size_t n = strlen(v);
    bool ok = n > 0 && n <= 200;
    for (size_t k = 0; ok && k < n;) {
      size_t u = slac_utf8_len((const unsigned char *)v + k, n - k);
      ok = u > 0 && (unsigned char)v[k] >= 0x20 && v[k] != 0x7f;
      k += u ? u : 1;
    }
    if (!ok)
      return slac_usage_error(cmd, "--input-account expects an account name (1 to 200 "
                                   "characters of UTF-8 text), got '%s'", v);
    a->account = v;
  }
  return 1;
}

/* ", "-separated names of the services (or causes) of P into BUF. */
static void list_names(const slac_program *p, bool services, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = 0;
  int n = services ? p->nservices : p->ncauses;
  for (int i = 0; i < n; i++) {
    const char *s = p->strings[services ? p->services[i].id : p->causes[i]];
    int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", s);
    if (k < 0 || used + (size_t)k >= size) break;
    used += (size_t)k;
  }
}

static int find_service(const slac_program *p, const char *name, size_t len) {
  for (int s = 0; s < p->nservices; s++) {
    const char *id = p->strings[p->services[s].id];
    if (strlen(id) == len && memcmp(id, name, len) == 0) return s;
  }
  return -1;
}

int slac_cli_ingest_resolve(slac_cli_ingest *a, const char *cmd, const slac_program *p) {
  char names[600];
  size_t nc = a->ncomponents ? a->ncomponents : 1, ns = a->nstatuses ? a->nstatuses : 1;
  a->cmap = calloc(nc, sizeof *a->cmap);
  a->cnames = calloc(nc, sizeof *a->cnames);
  a->smap = calloc(ns, sizeof *a->smap);
  a->snames = calloc(ns, sizeof *a->snames);
  if (!a->cmap || !a->cnames || !a->smap || !a->snames) {
    return slac_cli_oom();
  }
  for (size_t i = 0; i < a->nstatuses; i++) {
    const char *v = a->statuses[i], *eq = strrchr(v, '=');
    size_t sl = (size_t)(eq - v);
    a->snames[i] = malloc(sl + 1);
    if (!a->snames[i]) {
      return slac_cli_oom();
    }
    memcpy(a->snames[i], v, sl);
    a->snames[i][sl] = 0;
    const char *status = a->snames[i], *cause = eq + 1;
    if (!slac_ingest_status_known(status))
      return slac_usage_error(cmd, "--status: unknown status '%s'; the statuses are %s", status,
                              slac_ingest_status_names);
    int c = strcmp(cause, "ignore") == 0 ? SLAC_STATUS_IGNORED
                                         : slac_program_cause(p, cause, strlen(cause));
    if (c == -1 && strcmp(cause, "ignore") != 0) {
      list_names(p, false, names, sizeof names);
      return slac_usage_error(cmd, "--status %s: the policy has no cause '%s'; its causes are "
                              "%s (or 'ignore')", status, cause, names);
    }
    a->smap[i].status = status;
    a->smap[i].cause = c;
  }
  for (size_t i = 0; i < a->ncomponents; i++) {
    const char *v = a->components[i], *eq = strrchr(v, '=');
    int s = find_service(p, eq + 1, strlen(eq + 1));
    if (s < 0) {
      list_names(p, true, names, sizeof names);
      return slac_usage_error(cmd, "--component %s: the policy has no service '%s'; its "
                              "services are %s", v, eq + 1, names);
    }
    a->cnames[i] = malloc((size_t)(eq - v) + 1);
    if (!a->cnames[i]) {
      return slac_cli_oom();
    }
    memcpy(a->cnames[i], v, (size_t)(eq - v));
    a->cnames[i][eq - v] = 0;
    a->cmap[i].name = a->cnames[i];
    a->cmap[i].service = s;
  }
  slac_ingest_options *o = &a->opts;
  memset(o, 0, sizeof *o);
  o->p = p;
  o->components = a->cmap;
  o->ncomponents = a->ncomponents;
  o->statuses = a->smap;
  o->nstatuses = a->nstatuses;
  o->degraded_counts = a->degraded_counts;
  o->intervals = a->intervals;
  o->account = a->account;
  o->valid = a->valid;
  o->log_service = -1;
  if (a->have_requests != a->have_errors)
    return slac_usage_error(cmd, "%s needs %s: a request window has both counts",
                            a->have_requests ? "--prom-requests" : "--prom-errors",
                            a->have_requests ? "--prom-errors" : "--prom-requests");
  if (a->have_requests && a->have_probes)
    return slac_usage_error(cmd, "--prom-probes with --prom-requests: a Prometheus file gives "
                            "request windows or probes, not both (convert them apart)");
  a->prom.requests = a->have_requests ? &a->prom_requests : NULL;
  a->prom.errors = a->have_errors ? &a->prom_errors : NULL;
  a->prom.probes = a->have_probes ? &a->prom_probes : NULL;
  o->prom = &a->prom;
  if (a->log_service) {
    int s = find_service(p, a->log_service, strlen(a->log_service));
    if (s < 0) {
      list_names(p, true, names, sizeof names);
      return slac_usage_error(cmd, "--log-service: the policy has no service '%s'; its "
                              "services are %s", a->log_service, names);
    }
    if (!slac_ingest_window_seconds(p, s))
      return slac_usage_error(cmd, "--log-service %s: the service counts unavailable minutes "
                              "and has no error-rate rule, so an access log cannot measure it",
                              a->log_service);
    o->log_service = s;
  }
  /* An error-rate service takes incidents only of causes it excludes: its
   * downtime is its error rate.  Refuse a mapping that could give another
   * (the converted file must be valid by construction). */
  static const char *const statuses[] = {"major_outage",   "partial_outage",
                                         "degraded_performance", "under_maintenance",
                                         "SERVICE_OUTAGE", "SERVICE_DISRUPTION",
                                         "SERVICE_INFORMATION"};
  slac_ingest probe;
  slac_ingest_init(&probe, o, "", NULL, NULL);
  for (size_t i = 0; i < a->ncomponents && !a->have_requests; i++) {
    /* (with --prom-requests the components name series of request
     * windows, which an error-rate service takes) */
    int s = a->cmap[i].service;
    if (p->services[s].metric != SLAC_PM_ERROR_RATE) continue;
    for (size_t k = 0; k < sizeof statuses / sizeof statuses[0]; k++) {
      int c = slac_ingest_status_cause(&probe, statuses[k]);
      if (c >= 0 && p->services[s].rules[c].mode == SLAC_PC_COUNTS)
        return slac_usage_error(
            cmd, "--component %s: service '%s' is measured by its error rate, so an incident "
                 "can only exclude time from it, but %s gives the cause '%s', which counts "
                 "(map it to an excluded cause or to 'ignore' with --status %s=CAUSE)",
            a->components[i], p->strings[p->services[s].id], statuses[k],
            p->strings[p->causes[c]], statuses[k]);
    }
  }
  return 0;
}
