/* gcp_status.c - Google Cloud incidents.json -> incident rows: one
 * interval [begin, end) per mapped service (see gcp_status.h). */
#include "runtime/ingest/gcp_status.h"

#include <string.h>

static int member_str(json_t *obj, const char *key, const char **out) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v)) return 0;
  /* a string holding NUL (valid JSON, \u0000) cannot be a C string */
  if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) return -1;
  *out = json_string_value(v);
  return 0;
}

bool slac_gcp_recognise(json_t *root) {
  if (!json_is_array(root) || json_array_size(root) == 0) return false;
  json_t *first = json_array_get(root, 0);
  return json_is_object(first) &&
         (json_object_get(first, "begin") || json_object_get(first, "affected_products") ||
          json_object_get(first, "service_name"));
}

/* Add NAME to the list BUF ("A, B") unless it is there or BUF is full. */
static void add_name(char *buf, size_t size, const char *name) {
  size_t n = strlen(buf), l = strlen(name);
  const char *p = strstr(buf, name);
  if (p && (p == buf || p[-1] == ' ') && (p[l] == 0 || p[l] == ',')) return;
  if (n + l + 3 > size) return;
  if (n) {
    memcpy(buf + n, ", ", 2);
    n += 2;
  }
  memcpy(buf + n, name, l + 1);
}

/* The status word standing for SEVERITY when there is no status_impact. */
static const char *severity_status(const char *severity) {
  if (!severity) return NULL;
  if (strcmp(severity, "high") == 0) return "SERVICE_OUTAGE";
  if (strcmp(severity, "medium") == 0) return "SERVICE_DISRUPTION";
  if (strcmp(severity, "low") == 0) return "SERVICE_INFORMATION";
  return severity;
}

static int convert_incident(slac_ingest *g, json_t *inc, char *idbuf, size_t idsize) {
  const slac_ingest_options *o = g->o;
  const char *id = idbuf;
  if (!json_is_object(inc)) {
    slac_ingest_skip(g, SLAC_SKIP_MALFORMED, id, "not a JSON object");
    return 0;
  }
  const char *iid, *begin, *created, *end, *desc, *impact, *severity, *sname, *skey;
  if (member_str(inc, "id", &iid) != 0 || member_str(inc, "begin", &begin) != 0 ||
      member_str(inc, "created", &created) != 0 || member_str(inc, "end", &end) != 0 ||
      member_str(inc, "external_desc", &desc) != 0 ||
      member_str(inc, "status_impact", &impact) != 0 ||
      member_str(inc, "severity", &severity) != 0 ||
      member_str(inc, "service_name", &sname) != 0 ||
      member_str(inc, "service_key", &skey) != 0) {
    slac_ingest_skip(g, SLAC_SKIP_MALFORMED, id,
                     "id, begin, end, external_desc, status_impact, severity, service_name or "
                     "service_key is not a string");
    return 0;
  }
  if (iid) {
    char clean[64];
    slac_ingest_text(clean, sizeof clean, iid);
    if (clean[0]) snprintf(idbuf, idsize, "%s", clean);
  }
  slac_time s, e;
  if (!begin) begin = created;
  if (!begin) {
    slac_ingest_skip(g, SLAC_SKIP_NO_START, id, "it has no begin nor created");
    return 0;
  }
  if (slac_ingest_time(g, id, begin == created ? "created" : "begin", begin, &s) != 0) return 0;
  if (end) {
    if (slac_ingest_time(g, id, "end", end, &e) != 0) return 0;
    if (e < s) {
      char bs[32], es[32];
      slac_time_format(s, bs);
      slac_time_format(e, es);
      slac_ingest_skip(g, SLAC_SKIP_RESOLVED_BEFORE, id, "it ends at %s, before it begins at %s",
                       es, bs);
      return 0;
    }
  }
  json_t *products = json_object_get(inc, "affected_products");
  if (products && !json_is_null(products) && !json_is_array(products)) {
    slac_ingest_skip(g, SLAC_SKIP_MALFORMED, id, "affected_products is not an array");
    return 0;
  }
  size_t np = json_array_size(products);
  for (size_t i = 0; i < np; i++) {
    json_t *pr = json_array_get(products, i);
    const char *t, *pid;
    if (!json_is_object(pr) || member_str(pr, "title", &t) != 0 ||
        member_str(pr, "id", &pid) != 0 || (!t && !pid)) {
      slac_ingest_skip(g, SLAC_SKIP_MALFORMED, id, "a product is not an object with a title");
      return 0;
    }
  }
  if (np == 0 && !sname && !skey) {
    slac_ingest_skip(g, SLAC_SKIP_NO_COMPONENT, id, "it names no product nor service");
    return 0;
  }
  /* which services, and through which names: each product's title and
   * id, then service_name and service_key */
  bool mapped[256] = {false};
  char via[256][120];
  int nmapped = 0;
  for (size_t i = 0; i < np + 1; i++) {
    const char *names[2], *shown;
    if (i < np) {
      json_t *pr = json_array_get(products, i);
      names[0] = json_string_value(json_object_get(pr, "title"));
      names[1] = json_string_value(json_object_get(pr, "id"));
    } else {
      names[0] = sname;
      names[1] = skey;
    }
    shown = names[0] ? names[0] : names[1];
    for (size_t m = 0; m < o->ncomponents; m++) {
      if (!slac_ingest_maps(o, m, names[0]) && !slac_ingest_maps(o, m, names[1])) continue;
      int sv = o->components[m].service;
      if (!mapped[sv]) {
        mapped[sv] = true;
        via[sv][0] = 0;
        nmapped++;
      }
      add_name(via[sv], sizeof via[sv], shown);
    }
  }
  if (nmapped == 0) {
    char names[300] = "";
    for (size_t i = 0; i < np; i++) {
      json_t *pr = json_array_get(products, i);
      const char *t = json_string_value(json_object_get(pr, "title"));
      add_name(names, sizeof names, t ? t : json_string_value(json_object_get(pr, "id")));
    }
    if (np == 0) add_name(names, sizeof names, sname ? sname : skey);
    slac_ingest_skip(g, SLAC_SKIP_NOT_MAPPED, id, "no product mapped (%s)", names);
    return 0;
  }
  if (!end) {
    slac_ingest_skip(g, SLAC_SKIP_NOT_RESOLVED, id, "it has no end");
    return 0;
  }
  const char *status = impact ? impact : severity_status(severity);
  if (!status) {
    slac_ingest_skip(g, SLAC_SKIP_MALFORMED, id, "it has no status_impact nor severity");
    return 0;
  }
  int cause = slac_ingest_status_cause(g, status);
  if (cause == SLAC_STATUS_UNKNOWN) {
    slac_ingest_skip(g, SLAC_SKIP_UNKNOWN_STATUS, id,
                     "the unknown status impact '%.40s' (--status %.40s=CAUSE maps it)", status,
                     status);
    return 0;
  }
  if (cause == SLAC_STATUS_IGNORED) {
    slac_ingest_skip(g, SLAC_SKIP_NOT_COUNTED, id, "its status impact %s does not count%s",
                     status,
                     strcmp(status, "SERVICE_INFORMATION") == 0 ? " (--degraded-counts)" : "");
    return 0;
  }
  char text[200], detail[260];
  slac_ingest_text(text, sizeof text, desc ? desc : "");
  snprintf(detail, sizeof detail, "%s; %s", status, text);
  slac_ingest_begin_incident(g);
  for (int sv = 0; sv < 256; sv++)
    if (mapped[sv] && slac_ingest_add(g, sv, cause, s, e, via[sv], detail) != 0) return -1;
  int n = slac_ingest_end_incident(g, id);
  if (n < 0) return -1;
  if (n == 0) {
    slac_ingest_skip(g, SLAC_SKIP_EMPTY, id, "it lasts less than a second");
    return 0;
  }
  g->used++;
  return 0;
}

int slac_gcp_convert(slac_ingest *g, json_t *root) {
  slac_ingest_incident_header(g);
  for (size_t i = 0; i < json_array_size(root); i++) {
    char idbuf[64];
    snprintf(idbuf, sizeof idbuf, "#%zu", i + 1);
    g->records++;
    if (convert_incident(g, json_array_get(root, i), idbuf, sizeof idbuf) != 0 || g->oom)
      return -1;
  }
  return 0;
}
