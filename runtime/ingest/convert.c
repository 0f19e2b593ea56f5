/* convert.c - recognise an input, parse it, run its converter, write the
 * CSV to a stream, a file (atomically) or a temporary file (convert.h). */
#include "runtime/ingest/convert.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/ingest/accesslog.h"
#include "runtime/base/fileio.h"
#include "runtime/base/tempfile.h"
#include "runtime/ingest/gcp_status.h"
#include "runtime/ingest/prometheus.h"
#include "runtime/ingest/statuspage.h"

int slac_input_kind_of(const char *path, slac_input_kind *kind, slac_diags *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  /* the first bytes: enough for a first line of any real access log */
  char *buf = malloc(SLAC_ACCESSLOG_MAX_LINE);
  if (!buf) {
    fclose(f);
    slac_diag_oom(d);
    return -1;
  }
  size_t n = fread(buf, 1, SLAC_ACCESSLOG_MAX_LINE, f);
  bool err = ferror(f);
  fclose(f);
  if (err) {
    free(buf);
    slac_diag_plain(d, SLAC_ERROR, "cannot read '%s'", path);
    return -1;
  }
  size_t i = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
  const char *nl = memchr(buf, '\n', n);
  size_t len = nl ? (size_t)(nl - buf) : n;
  if (len > 0 && buf[len - 1] == '\r') len--;
  slac_clf_line l;
  const char *why;
  if (i < n && (buf[i] == '{' || buf[i] == '['))
    *kind = SLAC_INPUT_JSON;
  else if ((nl || n < SLAC_ACCESSLOG_MAX_LINE) && slac_clf_parse(buf, len, &l, &why) == 0)
    *kind = SLAC_INPUT_ACCESS_LOG;
  else
    *kind = SLAC_INPUT_CSV;
  free(buf);
  return 0;
}

int slac_convert_log_service(const slac_ingest_options *o, char *err, size_t errsize) {
  const slac_program *p = o->p;
  if (o->log_service >= 0) return o->log_service;
  int found = -1, count = 0;
  char names[400] = "";
  size_t used = 0;
  for (int s = 0; s < p->nservices; s++) {
    if (!slac_ingest_window_seconds(p, s)) continue;
    found = s;
    count++;
    int k = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                     p->strings[p->services[s].id]);
    if (k > 0 && used + (size_t)k < sizeof names) used += (size_t)k;
  }
  if (count == 1) return found;
  if (count == 0)
    snprintf(err, errsize,
             "the policy has no service measured by request errors (an error-rate window or "
             "a minute error-rate rule), so an access log cannot be used");
  else
    snprintf(err, errsize, "name the service of the access log with --log-service (one of %s)",
             names);
  return -1;
}

/* ---- JSON ---------------------------------------------------------------------- */

/* A status-page history without any --component gives no row at all:
 * say so once, before the warning about each incident. */
static void warn_no_components(slac_ingest *g, slac_diags *d) {
  if (g->o->ncomponents == 0)
    slac_diag_data_warning(d, g->path, 0, "no --component maps a component to a service, so no "
                                          "incident can be used");
}

static int convert_json(slac_ingest *g, slac_diags *d) {
  uint8_t *bytes = NULL;
  size_t size = 0;
  if (slac_read_file(g->path, &bytes, &size, d) != 0) return -1;
  size_t skip = size >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  json_error_t je;
  /* RFC 8259: one value and nothing after it, valid UTF-8; \u0000 is
   * valid JSON (JSON_ALLOW_NUL), the converters refuse it where they use
   * a string */
  json_t *root = json_loadb((const char *)bytes + skip, size - skip, JSON_ALLOW_NUL, &je);
  free(bytes);
  if (!root) {
    slac_site site = {SLAC_SITE_DATA, g->path, je.line > 0 ? je.line : 1,
                      je.column > 0 ? je.column : 1, 0, NULL, -1};
    slac_report(d, SLAC_ERROR, &site, NULL, NULL, "invalid JSON: %s", je.text);
    return -1;
  }
  int rc = 0;
  if (slac_prom_recognise(root)) {
    rc = slac_prom_convert(g, root, d);
    json_decref(root);
    return rc;
  } else if (slac_gcp_recognise(root)) {
    warn_no_components(g, d);
    rc = slac_gcp_convert(g, root);
  } else if (slac_statuspage_recognise(root)) {
    warn_no_components(g, d);
    rc = slac_statuspage_convert(g, root);
  } else if (json_is_array(root) && json_array_size(root) == 0) {
    slac_ingest_incident_header(g); /* no incidents at all */
  } else {
    slac_diag_data(d, g->path, 0, NULL,
                   "not a status-page history or a Prometheus response: expected a Statuspage "
                   "incidents document ({\"incidents\": [...]} or one incident), a Google Cloud "
                   "incidents.json array or the JSON of a Prometheus range query");
    rc = -1;
    json_decref(root);
    return rc;
  }
  json_decref(root);
  if (rc != 0 || g->oom) {
    slac_diag_oom(d);
    return -1;
  }
  slac_ingest_summary(g, "incidents", NULL);
  return 0;
}

/* ---- jobs ------------------------------------------------------------------------ */

int slac_convert(slac_convert_job *job, FILE *out, slac_diags *d) {
  const slac_ingest_options *o = job->o;
  job->warnings = job->rows = 0;
  slac_accesslog *log = NULL;
  if (job->kind == SLAC_INPUT_ACCESS_LOG) {
    char err[512];
    int s = slac_convert_log_service(o, err, sizeof err);
    if (s < 0) {
      slac_diag_plain(d, SLAC_ERROR, "%s", err);
      return -1;
    }
    log = slac_accesslog_new(o->p, s);
    if (!log) {
      slac_diag_oom(d);
      return -1;
    }
  } else if (job->kind != SLAC_INPUT_JSON) {
    slac_diag_plain(d, SLAC_ERROR, "'%s' is neither a JSON status-page history nor an access log",
                    job->ninputs ? job->inputs[0] : "");
    return -1;
  }
  int rc = 0;
  slac_ingest g;
  for (size_t i = 0; i < job->ninputs && rc == 0; i++) {
    slac_ingest_init(&g, o, job->inputs[i], out, d);
    g.quiet = job->quiet;
    g.no_header = i > 0;
    if (log) {
      FILE *f = fopen(job->inputs[i], "rb");
      if (!f) {
        slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", job->inputs[i], strerror(errno));
        rc = -1;
      } else {
        rc = slac_accesslog_read(log, &g, f);
        fclose(f);
        if (rc != 0) {
          if (g.oom) slac_diag_oom(d);
          else d->errors++;
        }
      }
    } else {
      rc = convert_json(&g, d);
    }
    job->warnings += g.warnings;
    job->rows += g.rows;
    slac_ingest_free(&g);
  }
  if (rc == 0 && log) {
    slac_ingest_init(&g, o, job->inputs[0], out, d);
    slac_accesslog_write(log, &g);
    job->rows += g.rows;
    slac_ingest_free(&g);
  }
  slac_accesslog_free(log);
  return rc;
}

int slac_convert_to_path(slac_convert_job *job, const char *path, slac_diags *d) {
  if (strcmp(path, "-") == 0) {
    int rc = slac_convert(job, stdout, d);
    if (fflush(stdout) != 0 || ferror(stdout)) {
      slac_diag_plain(d, SLAC_ERROR, "cannot write the output");
      return -1;
    }
    return rc;
  }
  char *buf = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&buf, &size);
  if (!m) {
    slac_diag_oom(d);
    return -1;
  }
  int errors = d->errors;
  int rc = slac_convert(job, m, d);
  if (rc == 0 && d->errors > errors) rc = -1; /* --werror: nothing is written */
  if (fclose(m) != 0 && rc == 0) {
    slac_diag_oom(d);
    rc = -1;
  }
  if (rc == 0) {
    if (slac_write_atomic(path, (const uint8_t *)buf, size, d) != 0) rc = -1;
  }
  free(buf);
  return rc;
}

int slac_convert_to_temp(slac_convert_job *job, char **tmp, slac_diags *d) {
  *tmp = NULL;
  char *path = slac_temp_template("slac-convert");
  if (!path) {
    slac_diag_oom(d);
    return -1;
  }
  /* listed in the table of temporary files (tempfile.h), so that an
   * interrupted `slac eval` leaves no converted file behind */
  int fd = slac_temp_create(path, NULL);
  if (fd < 0) {
    if (errno == ENOMEM) slac_diag_oom(d);
    else slac_diag_plain(d, SLAC_ERROR, "cannot create a temporary file in %s: %s",
                         slac_temp_dir(), strerror(errno));
    free(path);
    return -1;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    slac_temp_remove(path);
    free(path);
    slac_diag_oom(d);
    return -1;
  }
  int rc = slac_convert(job, f, d);
  if ((fflush(f) != 0 || ferror(f)) && rc == 0) {
    slac_diag_plain(d, SLAC_ERROR, "cannot write the temporary file '%s'", path);
    rc = -1;
  }
  if (fclose(f) != 0 && rc == 0) {
    slac_diag_plain(d, SLAC_ERROR, "cannot write the temporary file '%s'", path);
    rc = -1;
  }
  if (rc != 0) {
    slac_temp_remove(path);
    free(path);
    return -1;
  }
  *tmp = path;
  return 0;
}
