/* rows.c - rows pushed in memory, read by the file readers (rows.h). */
#include "runtime/data/rows.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/data/readers.h"

static const char *const table_names[SLAC_ROWS_NKINDS] = {"<accounts>", "<incidents>",
                                                          "<windows>", "<probes>"};

int slac_rows_init(slac_rows *r) {
  memset(r, 0, sizeof *r);
  for (int k = 0; k < SLAC_ROWS_NKINDS; k++)
    if (!(r->f[k] = open_memstream(&r->body[k], &r->size[k]))) {
      slac_rows_free(r);
      return -1;
    }
  return 0;
}

void slac_rows_free(slac_rows *r) {
  for (int k = 0; k < SLAC_ROWS_NKINDS; k++) {
    if (r->f[k]) fclose(r->f[k]);
    free(r->body[k]);
  }
  memset(r, 0, sizeof *r);
}

/* One field as RFC 4180 wants it: quoted, quotes doubled, so that any
 * text (a comma, a line break) stays one field, exactly. */
static void field(FILE *f, const char *s, bool last) {
  fputc('"', f);
  for (; s && *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputs(last ? "\"\n" : "\",", f);
}

/* The end of a record: -1 when the stream could not grow. */
static int done(slac_rows *r, slac_rows_kind k) {
  if (ferror(r->f[k]) || fflush(r->f[k]) != 0) return -1;
  r->n[k]++;
  return 0;
}

int slac_rows_account(slac_rows *r, const char *account, const char *service, const char *fee,
                      const char *currency, const char *plan, const char *standing) {
  FILE *f = r->f[SLAC_ROWS_ACCOUNTS];
  if (service) r->account_services = true;
  field(f, account, false);
  field(f, service, false);
  field(f, fee, false);
  field(f, currency, false);
  field(f, plan, false);
  field(f, standing, true);
  return done(r, SLAC_ROWS_ACCOUNTS);
}

int slac_rows_incident(slac_rows *r, const char *account, const char *service, const char *start,
                       const char *end, const char *cause) {
  FILE *f = r->f[SLAC_ROWS_INCIDENTS];
  field(f, account, false);
  field(f, service, false);
  field(f, start, false);
  field(f, end, false);
  field(f, cause, false);
  fputs("\n", f); /* announced: none */
  return done(r, SLAC_ROWS_INCIDENTS);
}

int slac_rows_window(slac_rows *r, const char *account, const char *service, const char *start,
                     uint64_t requests, uint64_t errors) {
  FILE *f = r->f[SLAC_ROWS_WINDOWS];
  field(f, account, false);
  field(f, service, false);
  field(f, start, false);
  fprintf(f, "%" PRIu64 ",%" PRIu64 "\n", requests, errors);
  return done(r, SLAC_ROWS_WINDOWS);
}

int slac_rows_probe(slac_rows *r, const char *account, const char *service, const char *time,
                    bool ok) {
  FILE *f = r->f[SLAC_ROWS_PROBES];
  field(f, account, false);
  field(f, service, false);
  field(f, time, false);
  fputs(ok ? "true\n" : "false\n", f);
  return done(r, SLAC_ROWS_PROBES);
}

int slac_rows_records(slac_rows *r, slac_rows_kind kind, const char *records, size_t len) {
  if (len == 0) return 0;
  FILE *f = r->f[kind];
  if (fwrite(records, 1, len, f) != len || fflush(f) != 0) return -1;
  bool quoted = false;
  int col = 0;
  for (size_t i = 0; i < len; i++) {
    char c = records[i];
    if (c == '"') quoted = !quoted; /* a doubled quote toggles twice */
    else if (c == ',' && !quoted) col++;
    else if (c == '\n' && !quoted) { r->n[kind]++; col = 0; }
    /* an account row names a service when its second field has a character
     * other than its quotes */
    else if (kind == SLAC_ROWS_ACCOUNTS && col == 1) r->account_services = true;
  }
  return 0;
}

bool slac_rows_has(const slac_rows *r, slac_rows_kind kind) { return r->n[kind] > 0; }

/* The header of each table.  The accounts' service column is there only
 * when some row names a service: without it, a fee is the account's
 * whole fee, as in an accounts file without that column. */
static const char *header(const slac_rows *r, slac_rows_kind k) {
  switch (k) {
  case SLAC_ROWS_ACCOUNTS: return "account,service,fee,currency,plan,standing\n";
  case SLAC_ROWS_INCIDENTS: return "account,service,start,end,cause,announced\n";
  case SLAC_ROWS_WINDOWS: return "account,service,start,requests,errors\n";
  default: return "account,service,time,ok\n";
  }
  (void)r;
}

/* The accounts rows without their service field (the second). */
static char *drop_service(const char *body, size_t size, size_t *out_size) {
  char *out = malloc(size + 1);
  if (!out) return NULL;
  size_t o = 0;
  int col = 0;
  bool quoted = false;
  for (size_t i = 0; i < size; i++) {
    char c = body[i];
    if (c == '"') quoted = !quoted; /* a doubled quote toggles twice */
    if (!quoted && c == ',') { if (++col == 1) continue; }
    if (!quoted && c == '\n') col = 0;
    if (col != 1) out[o++] = c;
  }
  *out_size = o;
  return out;
}

int slac_rows_fold(slac_dataset *ds, slac_rows *r, slac_rows_kind kind, uint32_t file,
                   bool exact_pass, slac_diags *d) {
  if (fflush(r->f[kind]) != 0) { slac_diag_oom(d); return -1; }
  const char *head = header(r, kind);
  const char *body = r->body[kind];
  size_t size = r->size[kind];
  char *own = NULL;
  if (kind == SLAC_ROWS_ACCOUNTS && !r->account_services) {
    head = "account,fee,currency,plan,standing\n";
    if (!(own = drop_service(body, size, &size))) { slac_diag_oom(d); return -1; }
    body = own;
  }
  size_t hl = strlen(head);
  char *text = malloc(hl + size + 1);
  if (!text) { free(own); slac_diag_oom(d); return -1; }
  memcpy(text, head, hl);
  if (size) memcpy(text + hl, body, size);
  free(own);
  FILE *f = fmemopen(text, hl + size, "rb");
  if (!f) { free(text); slac_diag_oom(d); return -1; }
  static const slac_data_kind kinds[] = {SLAC_DATA_INCIDENTS, SLAC_DATA_INCIDENTS,
                                         SLAC_DATA_WINDOWS, SLAC_DATA_PROBES};
  int rc = kind == SLAC_ROWS_ACCOUNTS
               ? slac_read_accounts_from(ds, f, table_names[kind], d)
               : slac_read_data_from(ds, f, table_names[kind], kinds[kind], file, exact_pass, d);
  fclose(f);
  free(text);
  return rc;
}
