/* exposure_opt.c - the services of `slac eval --exposure`, checked
 * against the policy: each a minute-measured service of it, once
 * (exposure_opt.h). */
#include "cli/exposure_opt.h"

#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

/* The policy's services, "'a', 'b'", for a message. */
static void service_names(const slac_program *p, char *buf, size_t size) {
  buf[0] = 0;
  for (int s = 0; s < p->nservices; s++) {
    size_t w = strlen(buf);
    snprintf(buf + w, size - w, "%s'%s'", w ? ", " : "", p->strings[p->services[s].id]);
  }
}

static int one(const slac_program *p, const char *v, const char *name, size_t len, bool *named) {
  if (len == 0)
    return slac_usage_error("eval", "--exposure %s: an empty service name; write the services "
                            "separated by commas, as in covered or api,web", v);
  for (int s = 0; s < p->nservices; s++) {
    const char *id = p->strings[p->services[s].id];
    if (strlen(id) != len || memcmp(id, name, len) != 0) continue;
    if (p->services[s].metric != SLAC_PM_MINUTES)
      return slac_usage_error("eval", "--exposure %s: service '%s' is measured by its error rate, "
                              "not in minutes; the exposure adds minutes of downtime", v, id);
    if (named[s])
      return slac_usage_error("eval", "--exposure %s names service '%s' twice: name it once", v, id);
    named[s] = true;
    return SLAC_EXIT_OK;
  }
  char names[512];
  service_names(p, names, sizeof names);
  return slac_usage_error("eval", "--exposure %s: the policy has no service '%.*s' (its services: %s)",
                          v, (int)len, name, names);
}

int slac_cli_parse_exposure(const slac_program *p, const char *v, bool *named) {
  const char *at = v;
  for (;;) {
    const char *comma = strchr(at, ',');
    size_t len = comma ? (size_t)(comma - at) : strlen(at);
    int rc = one(p, v, at, len, named);
    if (rc != SLAC_EXIT_OK || !comma) return rc;
    at = comma + 1;
  }
}
