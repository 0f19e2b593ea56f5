/* prometheus.c - a range query's matrix as request windows or probes
 * (prometheus.h).  The samples of every used series become cells
 * (account, service, time, two counts), which are sorted and, for
 * windows, summed per window: the rows come out in the order the readers
 * need (each account and service in time order), whatever the order of
 * the series. */
#include "runtime/ingest/prometheus.h"
#include "runtime/ingest/convert.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- selectors ------------------------------------------------------------------ */

static bool label_char(char c, bool first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

static void skip_blanks(const char **p) {
  while (**p == ' ' || **p == '\t') (*p)++;
}

/* A double-quoted PromQL string at *P (\" and \\ escapes) into a new
 * string; NULL when it is not one. */
static char *quoted(const char **p) {
  if (**p != '"') return NULL;
  const char *s = *p + 1;
  char *out = malloc(strlen(s) + 1);
  if (!out) return NULL;
  size_t n = 0;
  for (; *s && *s != '"'; s++) {
    if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
    out[n++] = *s;
  }
  if (*s != '"') {
    free(out);
    return NULL;
  }
  out[n] = 0;
  *p = s + 1;
  return out;
}

void slac_prom_selector_free(slac_prom_selector *s) {
  for (size_t i = 0; i < s->n; i++) {
    free(s->m[i].label);
    free(s->m[i].value);
    if (s->m[i].op == SLAC_PROM_RE || s->m[i].op == SLAC_PROM_NRE) regfree(&s->m[i].re);
  }
  free(s->m);
  s->m = NULL;
  s->n = 0;
}

int slac_prom_selector_parse(const char *text, slac_prom_selector *out, char *err, size_t errsize) {
  memset(out, 0, sizeof *out);
  const char *p = text;
  skip_blanks(&p);
  bool braces = *p == '{';
  if (braces) p++;
  for (;;) {
    skip_blanks(&p);
    if (!*p || (braces && *p == '}')) break;
    const char *l0 = p;
    while (label_char(*p, p == l0)) p++;
    if (p == l0) {
      snprintf(err, errsize, "selector '%s': expected a label name at '%.20s'", text, p);
      goto fail;
    }
    size_t llen = (size_t)(p - l0);
    skip_blanks(&p);
    slac_prom_op op;
    if (p[0] == '=' && p[1] == '~') op = SLAC_PROM_RE, p += 2;
    else if (p[0] == '!' && p[1] == '~') op = SLAC_PROM_NRE, p += 2;
    else if (p[0] == '!' && p[1] == '=') op = SLAC_PROM_NE, p += 2;
    else if (p[0] == '=') op = SLAC_PROM_EQ, p += 1;
    else {
      snprintf(err, errsize, "selector '%s': expected =, !=, =~ or !~ after '%.*s'", text,
               (int)(llen > 64 ? 64 : llen), l0);
      goto fail;
    }
    skip_blanks(&p);
    char *value = quoted(&p);
    if (!value) {
      snprintf(err, errsize, "selector '%s': expected a value in double quotes after '%.*s'",
               text, (int)(llen > 64 ? 64 : llen), l0);
      goto fail;
    }
    slac_prom_matcher *m = realloc(out->m, (out->n + 1) * sizeof *m);
    if (!m) {
      free(value);
      snprintf(err, errsize, "out of memory");
      goto fail;
    }
    out->m = m;
    m = &out->m[out->n];
    memset(m, 0, sizeof *m);
    m->op = op;
    m->value = value;
    m->label = strndup(l0, llen);
    out->n++;
    if (!m->label) {
      snprintf(err, errsize, "out of memory");
      goto fail;
    }
    if (op == SLAC_PROM_RE || op == SLAC_PROM_NRE) {
      /* PromQL anchors its regular expressions at both ends */
      size_t vlen = strlen(value);
      char *anchored = malloc(vlen + 7);
      if (!anchored) {
        m->op = SLAC_PROM_EQ; /* nothing compiled to free */
        snprintf(err, errsize, "out of memory");
        goto fail;
      }
      snprintf(anchored, vlen + 7, "^(%s)$", value);
      int rc = regcomp(&m->re, anchored, REG_EXTENDED | REG_NOSUB);
      free(anchored);
      if (rc != 0) {
        m->op = SLAC_PROM_EQ;
        snprintf(err, errsize, "selector '%s': '%s' is not a regular expression", text, value);
        goto fail;
      }
    }
    skip_blanks(&p);
    if (*p == ',') p++;
    else if (*p && !(braces && *p == '}')) {
      snprintf(err, errsize, "selector '%s': expected ',' at '%.20s'", text, p);
      goto fail;
    }
  }
  if (braces && *p != '}') {
    snprintf(err, errsize, "selector '%s': expected '}' at the end", text);
    goto fail;
  }
  if (braces) p++;
  skip_blanks(&p);
  if (*p) {
    snprintf(err, errsize, "selector '%s': unexpected '%.20s' after the matchers", text, p);
    goto fail;
  }
  return 0;
fail:
  slac_prom_selector_free(out);
  return -1;
}

static const char *label_value(json_t *metric, const char *label) {
  json_t *v = json_object_get(metric, label);
  return json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)
             ? json_string_value(v)
             : NULL;
}

bool slac_prom_selector_matches(const slac_prom_selector *s, json_t *metric) {
  for (size_t i = 0; i < s->n; i++) {
    const slac_prom_matcher *m = &s->m[i];
    const char *v = label_value(metric, m->label);
    if (!v) v = "";
    bool ok;
    switch (m->op) {
      case SLAC_PROM_EQ: ok = strcmp(v, m->value) == 0; break;
      case SLAC_PROM_NE: ok = strcmp(v, m->value) != 0; break;
      case SLAC_PROM_RE: ok = regexec(&m->re, v, 0, NULL, 0) == 0; break;
      default: ok = regexec(&m->re, v, 0, NULL, 0) != 0; break;
    }
    if (!ok) return false;
  }
  return true;
}

/* ---- the document ----------------------------------------------------------------- */

bool slac_prom_recognise(json_t *root) {
  if (!json_is_object(root) || !json_is_string(json_object_get(root, "status"))) return false;
  json_t *data = json_object_get(root, "data");
  return (json_is_object(data) && json_object_get(data, "resultType")) ||
         (json_object_get(root, "errorType") && json_object_get(root, "error"));
}

typedef struct {
  const char *account;  /* borrowed from the document; NULL: the options' */
  int service;
  slac_time t;
  uint64_t a, b;        /* requests and errors, or the probe (1 up, 0 down) */
} cell;

typedef struct {
  cell *v;
  size_t n, cap;
} cells;

static int push(cells *c, cell x) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 1024;
    cell *v = realloc(c->v, cap * sizeof *v);
    if (!v) return -1;
    c->v = v;
    c->cap = cap;
  }
  c->v[c->n++] = x;
  return 0;
}

static int cmp_cell(const void *x, const void *y) {
  const cell *a = x, *b = y;
  int c = strcmp(a->account ? a->account : "", b->account ? b->account : "");
  if (c) return c;
  if (a->service != b->service) return a->service < b->service ? -1 : 1;
  return a->t < b->t ? -1 : a->t > b->t;
}

/* "{code="500", job="api"}": the series named in messages. */
static void series_name(json_t *metric, char *buf, size_t size) {
  size_t n = 0;
  n += (size_t)snprintf(buf, size, "series {");
  const char *key;
  json_t *v;
  bool first = true;
  json_object_foreach(metric, key, v) {
    if (n >= size) break;
    char text[80];
    slac_ingest_text(text, sizeof text, json_is_string(v) ? json_string_value(v) : "?");
    n += (size_t)snprintf(buf + n, size - n, "%s%.40s=\"%s\"", first ? "" : ", ", key, text);
    first = false;
  }
  if (n < size) snprintf(buf + n, size - n, "}");
}

/* The sample's value as a whole number: 0, or -1. */
static int whole(json_t *sample, uint64_t *out) {
  const char *s = json_string_value(json_array_get(sample, 1));
  if (!s || !*s) return -1;
  uint64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10) return -1;
    v = v * 10 + (uint64_t)(*p - '0');
  }
  *out = v;
  return 0;
}

/* The sample's time: a number of seconds, whole or not.  jansson gives a
 * fractional time as a double; below 2^53 its floor is exact, and a
 * millisecond (the finest Prometheus writes) is far above its precision
 * near 10^9 s, so "whole or not" and the second are decided exactly.  No
 * amount or percentage passes through it. */
static int sample_time(json_t *sample, slac_time *out, bool *fraction) {
  json_t *t = json_array_get(sample, 0);
  if (json_is_integer(t)) {
    *out = (slac_time)json_integer_value(t);
    *fraction = false;
  } else if (json_is_real(t)) {
    double d = json_real_value(t);
    if (!(d > -62135596800.0 && d < 253402300800.0)) return -1;
    *out = (slac_time)d;
    if ((double)*out > d) (*out)--;
    *fraction = (double)*out != d;
  } else {
    return -1;
  }
  const char *why;
  return slac_time_check_range(*out, &why);
}

/* The service of a series: its label's value mapped as components are,
 * or DEFAULT_SERVICE.  -1: none (warned about). */
static int series_service(slac_ingest *g, const slac_prom_options *po, json_t *metric,
                          int default_service, const char *name, size_t nsamples) {
  if (!po->service_label) return default_service;
  const char *v = label_value(metric, po->service_label);
  if (!v) {
    slac_ingest_skip_records(g, SLAC_SKIP_NO_LABEL, nsamples, name, "no label '%s' names its service",
                             po->service_label);
    return -1;
  }
  for (size_t i = 0; i < g->o->ncomponents; i++)
    if (slac_ingest_maps(g->o, i, v)) return g->o->components[i].service;
  slac_ingest_skip_records(g, SLAC_SKIP_NOT_MAPPED, nsamples, name,
                           "%s \"%.40s\" is mapped to no service (--component)", po->service_label, v);
  return -1;
}

/* The increases of one counter series, added to C as requests (WHICH 0)
 * or errors (1): the increase from each sample to the next is the count
 * of the window the first opens. */
static int counter_series(slac_ingest *g, cells *c, json_t *values, const char *account,
                          int service, uint32_t window, int which, bool count, const char *name) {
  size_t n = json_array_size(values);
  uint64_t prev = 0, off_grid = 0, bad = 0;
  slac_time prev_t = 0;
  bool have = false;
  for (size_t i = 0; i < n; i++) {
    json_t *s = json_array_get(values, i);
    slac_time t;
    bool fraction;
    uint64_t v;
    if (sample_time(s, &t, &fraction) != 0 || whole(s, &v) != 0) {
      bad++;
      have = false;
      continue;
    }
    if (fraction || ((t % window) + window) % window != 0) {
      off_grid++;
      have = false;
      continue;
    }
    /* a gap (a missed scrape, a step other than the window) leaves the
     * windows between without a count: no row, never an estimate */
    if (have && t - prev_t == (slac_time)window) {
      uint64_t inc = v >= prev ? v - prev : v; /* a reset restarts from 0 */
      cell x = {account, service, prev_t, which == 0 ? inc : 0, which == 1 ? inc : 0};
      if (push(c, x) != 0) return -1;
    }
    prev = v;
    prev_t = t;
    have = true;
  }
  if (!count) return 0; /* the same series' second reading (requests and errors) */
  g->records += n;
  g->used += n - bad - off_grid;
  if (bad)
    slac_ingest_skip_records(g, SLAC_SKIP_BAD_VALUE, bad, name, "%llu %s", (unsigned long long)bad,
                             bad == 1 ? "sample is not a whole number with a time in seconds"
                                      : "samples are not whole numbers with a time in seconds");
  if (off_grid)
    slac_ingest_skip_records(g, SLAC_SKIP_OFF_GRID, off_grid, name,
                             "%llu %s on the %u-second window grid (query with step=%u and a "
                             "start on a multiple of it)", (unsigned long long)off_grid,
                             off_grid == 1 ? "sample is not" : "samples are not", window, window);
  return 0;
}

static int probe_series(slac_ingest *g, cells *c, json_t *values, const char *account,
                        int service, const char *name) {
  size_t n = json_array_size(values);
  uint64_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *s = json_array_get(values, i);
    slac_time t;
    bool fraction;
    uint64_t v;
    if (sample_time(s, &t, &fraction) != 0 || whole(s, &v) != 0 || v > 1) {
      bad++;
      continue;
    }
    cell x = {account, service, t, v, 0};
    if (push(c, x) != 0) return -1;
  }
  g->records += n;
  g->used += n - bad;
  if (bad)
    slac_ingest_skip_records(g, SLAC_SKIP_BAD_VALUE, bad, name, "%llu %s", (unsigned long long)bad,
                             bad == 1 ? "sample is not 0 or 1 with a time in seconds"
                                      : "samples are not 0 or 1 with a time in seconds");
  return 0;
}

/* The one service of P that takes probes (measured in minutes), or -1. */
static int probe_service(const slac_program *p) {
  int found = -1;
  for (int s = 0; s < p->nservices; s++) {
    if (p->services[s].metric != SLAC_PM_MINUTES) continue;
    if (found >= 0) return -2;
    found = s;
  }
  return found;
}

static void write_rows(slac_ingest *g, cells *c, bool windows, bool with_account) {
  FILE *out = g->out;
  if (!g->no_header) {
    if (with_account) fputs("account,", out);
    fputs(windows ? "service,start,requests,errors\n" : "service,time,ok\n", out);
  }
  for (size_t i = 0; i < c->n;) {
    cell x = c->v[i++];
    /* the cells of one window from several series: one row */
    while (windows && i < c->n && cmp_cell(&c->v[i], &x) == 0) {
      x.a += c->v[i].a;
      x.b += c->v[i].b;
      i++;
    }
    if (windows && x.b > x.a) {
      char ts[32];
      slac_time_format(x.t, ts);
      slac_ingest_warn(g, 0, "%s%s%s window %s: %llu errors but %llu requests (the two "
                       "selectors do not count the same requests); not used",
                       x.account ? "account " : "", x.account ? x.account : "",
                       x.account ? "," : "", ts, (unsigned long long)x.b, (unsigned long long)x.a);
      continue;
    }
    if (with_account) {
      slac_ingest_csv_field(out, x.account ? x.account : g->o->account);
      fputc(',', out);
    }
    slac_ingest_csv_field(out, g->o->p->strings[g->o->p->services[x.service].id]);
    char ts[32];
    slac_time_format(x.t, ts);
    if (windows)
      fprintf(out, ",%s,%llu,%llu\n", ts, (unsigned long long)x.a, (unsigned long long)x.b);
    else
      fprintf(out, ",%s,%d\n", ts, (int)x.a);
    g->rows++;
  }
}

int slac_prom_convert(slac_ingest *g, json_t *root, slac_diags *d) {
  static const slac_prom_options none;
  const slac_prom_options *po = g->o->prom ? g->o->prom : &none;
  const char *status = json_string_value(json_object_get(root, "status"));
  if (!status || strcmp(status, "success") != 0) {
    const char *e = json_string_value(json_object_get(root, "error"));
    slac_diag_data(d, g->path, 0, NULL, "a Prometheus error response (status \"%s\"): %s",
                   status ? status : "?", e ? e : "no message");
    return -1;
  }
  json_t *data = json_object_get(root, "data");
  const char *type = json_string_value(json_object_get(data, "resultType"));
  json_t *result = json_object_get(data, "result");
  if (!type || strcmp(type, "matrix") != 0 || !json_is_array(result)) {
    slac_diag_data(d, g->path, 0, NULL, "a Prometheus result of type \"%s\": expected a \"matrix\" "
                   "with its \"result\" array, as /api/v1/query_range returns",
                   type ? type : "?");
    return -1;
  }
  bool windows = po->requests != NULL;
  slac_prom_selector probe_default = {NULL, 0};
  slac_prom_matcher probe_name;
  const slac_prom_selector *probes = po->probes;
  if (!windows && !probes) {
    /* no selector: only probe_success series are understood */
    memset(&probe_name, 0, sizeof probe_name);
    probe_name.label = "__name__";
    probe_name.value = "probe_success";
    probe_default.m = &probe_name;
    probe_default.n = 1;
    probes = &probe_default;
  }
  const slac_program *p = g->o->p;
  int default_service = -1;
  uint32_t window = 0;
  if (windows) {
    char err[512];
    default_service = slac_convert_log_service(g->o, err, sizeof err);
    if (default_service < 0 && !po->service_label) {
      slac_diag_data(d, g->path, 0, NULL, "%s", err);
      return -1;
    }
  } else {
    default_service = probe_service(p);
    if (default_service < 0 && !po->service_label) {
      slac_diag_data(d, g->path, 0, NULL, "%s", default_service == -1
                         ? "the policy has no service measured in minutes, which probes are for"
                         : "the policy has several services measured in minutes: name the label "
                           "that says which with --prom-service");
      return -1;
    }
  }
  cells c = {NULL, 0, 0};
  int rc = 0;
  size_t nseries = json_array_size(result);
  for (size_t i = 0; i < nseries && rc == 0; i++) {
    json_t *series = json_array_get(result, i);
    json_t *metric = json_object_get(series, "metric");
    json_t *values = json_object_get(series, "values");
    char name[320];
    if (!json_is_object(metric) || !json_is_array(values)) {
      snprintf(name, sizeof name, "series %zu", i + 1);
      slac_ingest_skip_records(g, SLAC_SKIP_MALFORMED, 1, name,
                               "expected {\"metric\": {...}, \"values\": [...]}");
      g->records++;
      continue;
    }
    series_name(metric, name, sizeof name);
    size_t n = json_array_size(values);
    bool req = windows && slac_prom_selector_matches(po->requests, metric);
    bool err = windows && po->errors && slac_prom_selector_matches(po->errors, metric);
    bool pro = !windows && slac_prom_selector_matches(probes, metric);
    if (!req && !err && !pro) {
      g->records += n;
      slac_ingest_skip_records(g, SLAC_SKIP_NOT_SELECTED, n, name, "%s",
                               windows ? "matches neither the requests nor the errors selector"
                                       : "does not match the probes selector");
      continue;
    }
    const char *account = NULL;
    if (po->account_label && !(account = label_value(metric, po->account_label))) {
      g->records += n;
      slac_ingest_skip_records(g, SLAC_SKIP_NO_LABEL, n, name, "no label '%s' names its account",
                               po->account_label);
      continue;
    }
    int service = series_service(g, po, metric, default_service, name, n);
    if (service < 0) {
      g->records += n;
      continue;
    }
    if (windows) {
      window = slac_ingest_window_seconds(p, service);
      if (!window) {
        g->records += n;
        slac_ingest_skip_records(g, SLAC_SKIP_NOT_MAPPED, n, name, "service %s takes no request "
                                 "windows", p->strings[p->services[service].id]);
        continue;
      }
      if (req) rc = counter_series(g, &c, values, account, service, window, 0, true, name);
      /* a series that is both requests and errors: its samples counted once */
      if (err && rc == 0)
        rc = counter_series(g, &c, values, account, service, window, 1, !req, name);
    } else {
      if (p->services[service].metric != SLAC_PM_MINUTES) {
        g->records += n;
        slac_ingest_skip_records(g, SLAC_SKIP_NOT_MAPPED, n, name, "service %s is measured by its "
                                 "error rate, not by probes", p->strings[p->services[service].id]);
        continue;
      }
      rc = probe_series(g, &c, values, account, service, name);
    }
  }
  if (rc != 0) {
    free(c.v);
    g->oom = true;
    slac_diag_oom(d);
    return -1;
  }
  if (c.n) qsort(c.v, c.n, sizeof *c.v, cmp_cell);
  write_rows(g, &c, windows, po->account_label || g->o->account);
  free(c.v);
  slac_ingest_summary(g, "samples", NULL);
  return 0;
}
