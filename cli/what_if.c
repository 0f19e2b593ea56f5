/* what_if.c - parse and check `slac eval --what-if`, and say it in words
 * for the report (what_if.h).  A minute-measured service takes +Nm (N more
 * unavailable minutes, up to a month), an error-rate service +Nw (N more
 * windows failing entirely, up to a month of one-second windows); the
 * wrong unit is an error that names the right one, never a guess. */
#include "cli/what_if.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "runtime/data/errorrate.h"

enum { MAX_MINUTES = 44640 }; /* 31 days */

/* One --what-if V into W->add (-1 where no --what-if named the service). */
static int parse_one(const slac_program *p, const char *v, int64_t *add) {
  const char *eq = strrchr(v, '=');
  char *end = NULL;
  long long n = eq && eq[1] == '+' && eq[2] >= '0' && eq[2] <= '9' ? strtoll(eq + 2, &end, 10) : -1;
  bool minutes = end && strcmp(end, "m") == 0, windows = end && strcmp(end, "w") == 0;
  if (!eq || eq == v || n < 0 || !(minutes || windows))
    return slac_usage_error("eval", "--what-if expects SERVICE=+Nm (N more unavailable minutes) or "
                            "SERVICE=+Nw (N more windows failing entirely, for a service measured "
                            "by its error rate), as in covered=+30m; got '%s'", v);
  size_t len = (size_t)(eq - v);
  for (int s = 0; s < p->nservices; s++) {
    const char *id = p->strings[p->services[s].id];
    if (strlen(id) != len || memcmp(id, v, len) != 0) continue;
    bool by_minutes = p->services[s].metric == SLAC_PM_MINUTES;
    if (by_minutes && !minutes)
      return slac_usage_error("eval", "--what-if %s: service '%s' is measured in minutes of downtime: "
                              "write %s=+%lldm", v, id, id, n);
    if (!by_minutes && !windows)
      return slac_usage_error("eval", "--what-if %s: service '%s' is measured by its error rate: "
                              "write %s=+%lldw for %lld more windows failing entirely", v, id, id, n, n);
    long long most = by_minutes ? MAX_MINUTES : (long long)SLAC_RATESUM_MAX_WINDOWS;
    if (n > most)
      return slac_usage_error("eval", "--what-if %s: at most %lld %s (a month's)", v, most,
                              by_minutes ? "minutes" : "windows");
    if (add[s] >= 0)
      return slac_usage_error("eval", "--what-if names service '%s' twice: give its %s once", id,
                              by_minutes ? "minutes" : "windows");
    add[s] = n;
    return SLAC_EXIT_OK;
  }
  char names[512] = "";
  for (int s = 0; s < p->nservices; s++) {
    size_t w = strlen(names);
    snprintf(names + w, sizeof names - w, "%s'%s'", w ? ", " : "", p->strings[p->services[s].id]);
  }
  return slac_usage_error("eval", "--what-if %s: the policy has no service '%.*s' (its services: %s)",
                          v, (int)len, v, names);
}

/* "as if every account had 30 more unavailable minutes of covered and 2
 * more windows of api failing entirely, in every month" */
static char *words(const slac_program *p, const int64_t *add, const char *account) {
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&buf, &size);
  if (!f) return NULL;
  if (account) fprintf(f, "as if account \"%s\" had ", account);
  else fputs("as if every account had ", f);
  int named = 0, total = 0;
  for (int s = 0; s < p->nservices; s++) total += add[s] > 0;
  for (int s = 0; s < p->nservices; s++) {
    if (add[s] <= 0) continue;
    named++;
    if (named > 1) fputs(named == total ? " and " : ", ", f);
    const char *id = p->strings[p->services[s].id];
    long long n = (long long)add[s];
    if (p->services[s].metric == SLAC_PM_MINUTES)
      fprintf(f, "%lld more unavailable minute%s of %s", n, n == 1 ? "" : "s", id);
    else
      fprintf(f, "%lld more window%s of %s failing entirely", n, n == 1 ? "" : "s", id);
  }
  if (!named) fputs("nothing more", f);
  fputs(", in every month", f);
  if (fclose(f) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

int slac_cli_what_if_parse(const slac_program *p, const slac_cmd_spec *spec, const slac_opts *op,
                           const char *account, slac_cli_what_if *w) {
  w->words = NULL;
  w->add = calloc((size_t)p->nservices + 1, sizeof *w->add);
  if (!w->add) return slac_cli_oom();
  for (int s = 0; s < p->nservices; s++) w->add[s] = -1;
  int rc = SLAC_EXIT_OK;
  for (int i = 0; i < op->nhits && rc == SLAC_EXIT_OK; i++)
    if (strcmp(slac_opts_name(spec, &op->hits[i]), "--what-if") == 0)
      rc = parse_one(p, op->hits[i].value, w->add);
  for (int s = 0; s < p->nservices; s++) w->add[s] = w->add[s] < 0 ? 0 : w->add[s];
  if (rc == SLAC_EXIT_OK && !(w->words = words(p, w->add, account))) rc = slac_cli_oom();
  if (rc != SLAC_EXIT_OK) slac_cli_what_if_free(w);
  return rc;
}

void slac_cli_what_if_free(slac_cli_what_if *w) {
  free(w->add);
  free(w->words);
  w->add = NULL;
  w->words = NULL;
}
