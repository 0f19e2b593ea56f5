/* embed.c - libslac in another program: compile policies/saleor.sla from
 * its text, push a few rows in memory and print the outcomes, then
 * evaluate the shipped example data files (examples/saleor) as jsonl.
 *
 *   cc embed.c $(pkg-config --cflags --libs slac) -o embed
 *   ./embed policies/saleor.sla examples/saleor   (from the repository root)
 */
#include <slac/slac.h>
#include <stdio.h>
#include <stdlib.h>

/* Diagnostics arrive as data; print them as `slac check` would. */
static void on_diag(void *userdata, const slac_api_diag *dg) {
  (void)userdata;
  fprintf(stderr, "%s:%ld:%d: %s: %s\n", dg->file ? dg->file : "slac", dg->line, dg->column,
          dg->severity == SLAC_API_ERROR ? "error" : dg->severity == SLAC_API_WARNING ? "warning" : "note",
          dg->message);
}

/* Each outcome as a struct: one line per account, month and service. */
static void on_outcome(void *userdata, const slac_api_outcome *o) {
  (void)userdata;
  for (size_t i = 0; i < o->nservices; i++) {
    const slac_api_service *s = &o->services[i];
    printf("%s %s %s: uptime %s%%, %s, credit %s%% = %s %s\n", o->account, o->period, s->service,
           s->uptime_percent, s->commitment_met ? "met" : "missed", o->credit_percent,
           o->credit_amount ? o->credit_amount : "-", o->currency ? o->currency : "");
  }
  for (size_t i = 0; i < o->nreasons; i++) printf("  %s\n", o->reasons[i]);
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *text = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n + 4096 > cap) {
      char *t = realloc(text, cap = (n + 4096) * 2);
      if (!t) { free(text); fclose(f); return NULL; }
      text = t;
    }
    got = fread(text + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *len = n;
  return text;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: embed POLICY.sla EXAMPLE-DIR\n");
    return 2;
  }
  size_t len;
  char *text = read_all(argv[1], &len);
  if (!text) { perror(argv[1]); return 1; }
  slac_api_policy *p = slac_policy_compile(text, len, argv[1], on_diag, NULL);
  free(text);
  if (!p) return 1;
  printf("libslac %s, policy %s\n", slac_library_version(), slac_policy_id(p));

  /* Rows in memory: fees are decimal strings, times RFC 3339 in UTC. */
  slac_api_run *r = slac_run_new(p, on_diag, NULL);
  int rc = !r;
  rc = rc || slac_run_push_account(r, "acme", NULL, "100.00", "USD", NULL, NULL);
  rc = rc || slac_run_push_incident(r, "acme", "covered", "2026-10-03T14:05:00Z",
                                    "2026-10-03T14:28:00Z", NULL);
  rc = rc || slac_run_push_incident(r, "acme", "covered", "2026-10-10T02:00:00Z",
                                    "2026-10-10T02:10:00Z", "maintenance");
  rc = rc || slac_run_each(r, on_outcome, NULL);
  slac_run_free(r);

  /* The shipped example's files, written as `slac eval --format jsonl`. */
  char data[4096], accounts[4096];
  snprintf(data, sizeof data, "%s/incidents.csv", argv[2]);
  snprintf(accounts, sizeof accounts, "%s/accounts.csv", argv[2]);
  r = rc ? NULL : slac_run_new(p, on_diag, NULL);
  rc = rc || !r;
  rc = rc || slac_run_add_file(r, data);
  rc = rc || slac_run_set_files(r, accounts, NULL, NULL);
  rc = rc || slac_run_set_period(r, "2026-09");
  rc = rc || slac_run_write(r, SLAC_API_JSONL, stdout);
  slac_run_free(r);
  slac_policy_free(p);
  return rc ? 1 : 0;
}
