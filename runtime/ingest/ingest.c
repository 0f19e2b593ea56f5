/* ingest.c - what the converters of real inputs share: status -> cause,
 * component mapping, the rows of one incident, CSV output, warnings and
 * the summary line (see ingest.h). */
#include "runtime/ingest/ingest.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/hash.h"

void slac_ingest_init(slac_ingest *g, const slac_ingest_options *o, const char *path,
                      FILE *out, slac_diags *diags) {
  memset(g, 0, sizeof *g);
  g->o = o;
  g->path = path;
  g->out = out;
  g->diags = diags;
}

static void clear_pending(slac_ingest *g) {
  for (size_t i = 0; i < g->npending; i++) {
    free(g->pending[i].components);
    free(g->pending[i].detail);
  }
  /* empty the table in time linear in this incident's rows: a table
   * grown by a large incident is dropped, not cleared for every small
   * one after it */
  if (g->row_index && g->row_index_cap > 4 * (g->npending + 8)) {
    free(g->row_index);
    g->row_index = NULL;
    g->row_index_cap = 0;
  } else if (g->row_index) {
    memset(g->row_index, 0, g->row_index_cap * sizeof *g->row_index);
  }
  g->npending = 0;
}

void slac_ingest_free(slac_ingest *g) {
  clear_pending(g);
  free(g->pending);
  g->pending = NULL;
  g->pending_cap = 0;
  free(g->row_index);
  g->row_index = NULL;
  g->row_index_cap = 0;
}

/* ---- statuses and components --------------------------------------------- */

const char slac_ingest_status_names[] =
    "major_outage, partial_outage, degraded_performance, under_maintenance "
    "(Statuspage), SERVICE_OUTAGE, SERVICE_DISRUPTION, SERVICE_INFORMATION "
    "(Google Cloud)";

static const char *const known_statuses[] = {
    "major_outage",   "partial_outage",     "degraded_performance", "under_maintenance",
    "SERVICE_OUTAGE", "SERVICE_DISRUPTION", "SERVICE_INFORMATION"};

bool slac_ingest_status_known(const char *status) {
  for (size_t i = 0; i < sizeof known_statuses / sizeof known_statuses[0]; i++)
    if (strcmp(status, known_statuses[i]) == 0) return true;
  return false;
}

int slac_ingest_status_cause(slac_ingest *g, const char *status) {
  const slac_ingest_options *o = g->o;
  if (strcmp(status, "operational") == 0 || strcmp(status, "AVAILABLE") == 0)
    return SLAC_STATUS_IGNORED;
  for (size_t i = o->nstatuses; i-- > 0;) /* the last one given wins */
    if (strcmp(o->statuses[i].status, status) == 0) return o->statuses[i].cause;
  if (strcmp(status, "major_outage") == 0 || strcmp(status, "partial_outage") == 0 ||
      strcmp(status, "SERVICE_OUTAGE") == 0 || strcmp(status, "SERVICE_DISRUPTION") == 0)
    return 0;
  if (strcmp(status, "degraded_performance") == 0 || strcmp(status, "SERVICE_INFORMATION") == 0)
    return o->degraded_counts ? 0 : SLAC_STATUS_IGNORED;
  if (strcmp(status, "under_maintenance") == 0) {
    int c = slac_program_cause(o->p, "maintenance", strlen("maintenance"));
    if (c >= 0) return c;
    if (!g->maintenance_warned) {
      g->maintenance_warned = true;
      slac_ingest_warn(g, 0,
                       "the policy declares no cause 'maintenance', so a component under "
                       "maintenance counts as outage (--status under_maintenance=ignore "
                       "leaves it out)");
    }
    return 0;
  }
  return SLAC_STATUS_UNKNOWN;
}

bool slac_ingest_maps(const slac_ingest_options *o, size_t i, const char *name) {
  if (!name) return false;
  const char *want = o->components[i].name;
  return strcmp(want, "*") == 0 || strcmp(want, name) == 0;
}

uint32_t slac_ingest_window_seconds(const slac_program *p, int s) {
  const slac_prog_service *sv = &p->services[s];
  if (sv->metric == SLAC_PM_ERROR_RATE) return sv->window_seconds;
  return sv->has_rate_rule ? 60 : 0;
}

/* ---- warnings -------------------------------------------------------------- */

static const char *const skip_phrase[SLAC_SKIP_N] = {
    "malformed",
    "with a bad timestamp",
    "without a start time",
    "resolved before they started",
    "without a component",
    "with no component mapped to a service",
    "never resolved",
    "with an unknown status",
    "with no status that counts",
    "shorter than a second",
    "in series that no selector takes",
    "in series without their account or service label",
    "with a value that is not a whole number",
    "off the window grid",
};

/* Report a warning at PATH (LINE 0: the whole file) through the one
 * diagnostic routine; --quiet keeps it counted but not shown. */
static SLAC_VPRINTF(5) void warn(slac_ingest *g, long line, const char *prefix,
                                 const char *suffix, const char *fmt, va_list ap) {
  g->warnings++;
  if (!g->diags) return;
  char text[1024];
  vsnprintf(text, sizeof text, fmt, ap); /* the parts are short: ids and statuses are cut */
  bool quiet = g->diags->quiet_warnings;
  if (g->quiet) g->diags->quiet_warnings = true;
  slac_diag_data_warning(g->diags, g->path, line, "%s%s%s", prefix, text, suffix);
  g->diags->quiet_warnings = quiet;
}

/* N records of WHAT (its name as a message starts it) count under WHY. */
static SLAC_VPRINTF(5) void vskip(slac_ingest *g, slac_skip why, uint64_t n, const char *what,
                                  const char *fmt, va_list ap) {
  g->skipped[why] += n;
  char prefix[200];
  snprintf(prefix, sizeof prefix, "%s: ", what);
  warn(g, 0, prefix, "; not used", fmt, ap);
}

void slac_ingest_skip(slac_ingest *g, slac_skip why, const char *id, const char *fmt, ...) {
  char what[190];
  snprintf(what, sizeof what, "incident %s", id);
  va_list ap;
  va_start(ap, fmt);
  vskip(g, why, 1, what, fmt, ap);
  va_end(ap);
}

void slac_ingest_skip_records(slac_ingest *g, slac_skip why, uint64_t n, const char *what,
                              const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vskip(g, why, n, what, fmt, ap);
  va_end(ap);
}

void slac_ingest_warn(slac_ingest *g, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  warn(g, line, "", "", fmt, ap);
  va_end(ap);
}

int slac_ingest_time(slac_ingest *g, const char *id, const char *field, const char *s,
                     slac_time *out) {
  const char *why = NULL;
  if (slac_time_parse(s, strlen(s), out, &why) == 0) return 0;
  slac_ingest_skip(g, SLAC_SKIP_BAD_TIME, id, "%s '%.40s' is not an RFC 3339 timestamp (%s)",
                   field, s, why ? why : "bad format");
  return -1;
}

void slac_ingest_summary(slac_ingest *g, const char *unit, const char *extra) {
  if (!g->diags) return;
  uint64_t skipped = 0;
  for (int i = 0; i < SLAC_SKIP_N; i++) skipped += g->skipped[i];
  char text[1024];
  size_t n = 0;
#define PUT(...)                                                              \
  do {                                                                        \
    int k_ = snprintf(text + n, sizeof text - n, __VA_ARGS__);                \
    if (k_ > 0) n = (size_t)k_ < sizeof text - n ? n + (size_t)k_ : sizeof text - 1; \
  } while (0)
  PUT("%llu %s: %llu used", (unsigned long long)g->records, unit, (unsigned long long)g->used);
  if (extra) PUT(" (%s)", extra);
  if (skipped) {
    PUT(", %llu not used:", (unsigned long long)skipped);
    const char *sep = " ";
    for (int i = 0; i < SLAC_SKIP_N; i++) {
      if (!g->skipped[i]) continue;
      PUT("%s%llu %s", sep, (unsigned long long)g->skipped[i], skip_phrase[i]);
      sep = ", ";
    }
    PUT("%s", g->quiet ? " (warnings not shown: --quiet)" : " (see warnings)");
  }
#undef PUT
  slac_site site = {SLAC_SITE_DATA, g->path, 0, 0, 0, NULL, -1};
  slac_report(g->diags, SLAC_NOTE, &site, NULL, NULL, "%s", text);
}

/* ---- CSV --------------------------------------------------------------------- */

void slac_ingest_csv_field(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void slac_ingest_text(char *dst, size_t size, const char *src) {
  size_t n = 0;
  bool blank = false, cut = false, mid_char = false;
  for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
    unsigned char c = *s;
    if (c < 0x20 || c == 0x7f || c == ' ') {
      blank = n > 0;
      continue;
    }
    /* room for a pending space, this byte, "..." and the NUL */
    if (n + (blank ? 1 : 0) + 1 + 4 > size) {
      cut = true;
      mid_char = (c & 0xC0) == 0x80; /* the byte left out continues a character */
      break;
    }
    if (blank) dst[n++] = ' ';
    blank = false;
    dst[n++] = (char)c;
  }
  if (cut) {
    if (mid_char) {
      /* back to the start of the character that was cut */
      while (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0x80) n--;
      if (n > 0) n--;
    }
    memcpy(dst + n, "...", 3);
    n += 3;
  }
  dst[n] = 0;
}

static const char *service_name(const slac_program *p, int s) {
  return p->strings[p->services[s].id];
}

int slac_ingest_incident_header(slac_ingest *g) {
  if (g->no_header) return 0;
  fputs(g->o->account ? "id,account,service,start,end,cause,note\n"
                      : "id,service,start,end,cause,note\n",
        g->out);
  return 0;
}

int slac_ingest_window_header(slac_ingest *g) {
  if (g->no_header) return 0;
  fputs(g->o->account ? "account,service,start,requests,errors\n"
                      : "service,start,requests,errors\n",
        g->out);
  return 0;
}

int slac_ingest_window_row(slac_ingest *g, int service, slac_time start, uint64_t requests,
                           uint64_t errors) {
  char ts[32];
  slac_time_format(start, ts);
  if (g->o->account) {
    slac_ingest_csv_field(g->out, g->o->account);
    fputc(',', g->out);
  }
  slac_ingest_csv_field(g->out, service_name(g->o->p, service));
  fprintf(g->out, ",%s,%llu,%llu\n", ts, (unsigned long long)requests,
          (unsigned long long)errors);
  g->rows++;
  return 0;
}

/* ---- the rows of one incident ------------------------------------------------ */

void slac_ingest_begin_incident(slac_ingest *g) { clear_pending(g); }

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

/* R's components + ", " + NAME, the room doubling (one incident may name
 * 20,000 components with one interval: re-measuring and re-allocating the
 * list for each was quadratic).  -1 when out of memory, R kept. */
static int append_name(slac_ingest_row *r, const char *name) {
  size_t b = strlen(name), need = r->components_len + b + 3;
  if (need > r->components_cap) {
    size_t cap = r->components_cap * 2 > need ? r->components_cap * 2 : need;
    char *n = realloc(r->components, cap);
    if (!n) return -1;
    r->components = n;
    r->components_cap = cap;
  }
  memcpy(r->components + r->components_len, ", ", 2);
  memcpy(r->components + r->components_len + 2, name, b + 1);
  r->components_len += b + 2;
  return 0;
}

/* Rows of one incident are found by service, cause and interval in a
 * table, not by walking them all: an incident of 20,000 components with
 * distinct intervals made that walk quadratic.  The table holds indexes
 * into PENDING, whose order (sorted at the end) it never changes. */
static size_t row_slot(const slac_ingest *g, int service, int cause, slac_time start, slac_time end) {
  slac_hash_key key = slac_hash_process_key();
  uint64_t h = slac_hash_u64(key, (uint64_t)start) ^ slac_hash_u64(key, (uint64_t)end * 31 +
                                                                          (uint64_t)service * 257 +
                                                                          (uint64_t)cause);
  size_t mask = g->row_index_cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    size_t e = g->row_index[i];
    if (!e) return i;
    const slac_ingest_row *r = &g->pending[e - 1];
    if (r->service == service && r->cause == cause && r->start == start && r->end == end) return i;
  }
}

/* Room in the table for one more row (at most half full). */
static int grow_row_index(slac_ingest *g) {
  if ((g->npending + 1) * 2 <= g->row_index_cap) return 0;
  size_t cap = g->row_index_cap ? g->row_index_cap * 2 : 16;
  size_t *t = calloc(cap, sizeof *t);
  if (!t) return -1;
  free(g->row_index);
  g->row_index = t;
  g->row_index_cap = cap;
  for (size_t i = 0; i < g->npending; i++) {
    const slac_ingest_row *r = &g->pending[i];
    g->row_index[row_slot(g, r->service, r->cause, r->start, r->end)] = i + 1;
  }
  return 0;
}

int slac_ingest_add(slac_ingest *g, int service, int cause, slac_time start, slac_time end,
                    const char *component, const char *detail) {
  if (end <= start) return 0; /* empty after dropping fractions of seconds */
  if (grow_row_index(g) != 0) goto oom;
  size_t slot = row_slot(g, service, cause, start, end);
  if (g->row_index[slot]) {
    slac_ingest_row *r = &g->pending[g->row_index[slot] - 1];
    size_t cl = strlen(component);
    if (cl == r->components_len && memcmp(r->components, component, cl) == 0) return 0;
    if (append_name(r, component) != 0) goto oom;
    return 0;
  }
  if (g->npending == g->pending_cap) {
    size_t cap = g->pending_cap ? g->pending_cap * 2 : 8;
    slac_ingest_row *n = realloc(g->pending, cap * sizeof *n);
    if (!n) goto oom;
    g->pending = n;
    g->pending_cap = cap;
  }
  slac_ingest_row *r = &g->pending[g->npending];
  r->service = service;
  r->cause = cause;
  r->start = start;
  r->end = end;
  r->components = dup_str(component);
  r->components_len = strlen(component);
  r->components_cap = r->components_len + 1;
  r->detail = dup_str(detail);
  if (!r->components || !r->detail) {
    free(r->components);
    free(r->detail);
    goto oom;
  }
  g->npending++;
  g->row_index[slot] = g->npending;
  return 0;
oom:
  g->oom = true;
  return -1;
}

static int row_order(const void *a, const void *b) {
  const slac_ingest_row *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->service != y->service) return x->service < y->service ? -1 : 1;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return x->cause < y->cause ? -1 : x->cause > y->cause;
}

int slac_ingest_end_incident(slac_ingest *g, const char *id) {
  if (g->oom) return -1;
  if (g->npending > 1) qsort(g->pending, g->npending, sizeof *g->pending, row_order);
  const slac_program *p = g->o->p;
  for (size_t i = 0; i < g->npending; i++) {
    const slac_ingest_row *r = &g->pending[i];
    char s[32], e[32];
    slac_time_format(r->start, s);
    slac_time_format(r->end, e);
    slac_ingest_csv_field(g->out, id);
    fputc(',', g->out);
    if (g->o->account) {
      slac_ingest_csv_field(g->out, g->o->account);
      fputc(',', g->out);
    }
    slac_ingest_csv_field(g->out, service_name(p, r->service));
    fprintf(g->out, ",%s,%s,%s,", s, e, p->strings[p->causes[r->cause]]);
    size_t n = r->components_len + strlen(r->detail) + 3;
    char *note = malloc(n);
    if (!note) {
      g->oom = true;
      return -1;
    }
    snprintf(note, n, "%s: %s", r->components, r->detail);
    slac_ingest_csv_field(g->out, note);
    free(note);
    fputc('\n', g->out);
  }
  int n = (int)g->npending;
  g->rows += g->npending;
  clear_pending(g);
  return n;
}
