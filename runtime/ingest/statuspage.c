/* statuspage.c - Statuspage API v2 incidents -> incident rows: component
 * status changes in time order become intervals (see statuspage.h). */
#include "runtime/ingest/statuspage.h"

#include <stdlib.h>
#include <string.h>
#include "runtime/base/hash.h"

/* The string member KEY of OBJ: 0 and *OUT (NULL when missing or null),
 * or -1 when it holds another type. */
static int member_str(json_t *obj, const char *key, const char **out) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v)) return 0;
  /* a string holding NUL (valid JSON, \u0000) cannot be a C string */
  if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) return -1;
  *out = json_string_value(v);
  return 0;
}

/* The array member KEY of OBJ (NULL when missing or null); -1 for another
 * type. */
static int member_array(json_t *obj, const char *key, json_t **out) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v)) return 0;
  if (!json_is_array(v)) return -1;
  *out = v;
  return 0;
}

bool slac_statuspage_recognise(json_t *root) {
  if (json_is_object(root))
    return json_is_array(json_object_get(root, "incidents")) ||
           json_is_array(json_object_get(root, "scheduled_maintenances")) ||
           json_is_object(json_object_get(root, "incident")) ||
           json_object_get(root, "incident_updates") || json_object_get(root, "started_at") ||
           json_object_get(root, "resolved_at");
  if (json_is_array(root) && json_array_size(root) > 0) {
    json_t *first = json_array_get(root, 0);
    return json_is_object(first) && (json_object_get(first, "incident_updates") ||
                                     json_object_get(first, "started_at") ||
                                     json_object_get(first, "resolved_at"));
  }
  return false;
}

typedef struct {
  const char *name, *id; /* either may be NULL, not both */
} component;

typedef struct {
  slac_time t;
  size_t order;          /* position of the update in the file */
  const char *old_status, *new_status;
} event;

/* An affected_components entry: update K's entry J. */
typedef struct {
  size_t k, j;
} entry_ref;

typedef struct {
  slac_ingest *g;
  const char *id;
  char idbuf[64];
  char title[200];       /* the incident's name, for notes */
  const char *impact;
  slac_time start, resolved;
  bool has_resolved;
  json_t *updates;
  slac_time *times;      /* [updates]: timestamp of each update */
  component *comps;
  size_t ncomps, comps_cap;
  /* Components are found by name and by id in tables, not by walking
   * them: one incident of 20,000 components took 103 s. */
  slac_strmap by_name;   /* name -> its component (names are unique) */
  slac_strmap by_id;     /* id -> the first component with it */
  /* After the updates are read: the entries naming each component,
   * component i's from refs[ref_start[i]] to refs[ref_start[i + 1]] */
  size_t *ref_start;
  entry_ref *refs;
  event *events;
  size_t nevents, events_cap;
  char seen[200];        /* statuses of the mapped components, for messages */
  bool empty_interval;   /* a counting interval shorter than a second */
} incident;

enum { OK = 0, SKIPPED = 1, OOM = -1 };

static int same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* Append WORD to the comma-separated list BUF unless it is there. */
static void add_word(char *buf, size_t size, const char *word) {
  size_t wl = strlen(word), n = strlen(buf);
  for (const char *p = buf; *p;) {
    const char *e = strstr(p, ", ");
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == wl && memcmp(p, word, wl) == 0) return;
    if (!e) break;
    p = e + 2;
  }
  if (n + wl + 3 > size) return;
  if (n) {
    memcpy(buf + n, ", ", 2);
    n += 2;
  }
  memcpy(buf + n, word, wl + 1);
}

static int add_component(incident *x, const char *name, const char *id) {
  if (!name && !id) return OK;
  /* one component: the same name, or the same id (components are
   * renamed over the years; updates keep the name of their day); the
   * first in the order they were met, when both match */
  size_t by_name = name ? slac_strmap_get(&x->by_name, name, strlen(name)) : SIZE_MAX;
  size_t by_id = id ? slac_strmap_get(&x->by_id, id, strlen(id)) : SIZE_MAX;
  size_t i = by_name < by_id ? by_name : by_id;
  if (i != SIZE_MAX) {
    component *c = &x->comps[i];
    if (!c->id && id) {
      c->id = id;
      /* now the first component with this id, when no earlier one has it */
      size_t first;
      if (slac_strmap_put(&x->by_id, id, strlen(id), i, &first) < 0) return OOM;
      if (first > i) slac_strmap_set(&x->by_id, id, strlen(id), i);
    }
    return OK;
  }
  if (x->ncomps == x->comps_cap) {
    size_t cap = x->comps_cap ? x->comps_cap * 2 : 8;
    component *n = realloc(x->comps, cap * sizeof *n);
    if (!n) return OOM;
    x->comps = n;
    x->comps_cap = cap;
  }
  if ((name && slac_strmap_put(&x->by_name, name, strlen(name), x->ncomps, NULL) < 0) ||
      (id && slac_strmap_put(&x->by_id, id, strlen(id), x->ncomps, NULL) < 0))
    return OOM;
  x->comps[x->ncomps].name = name;
  x->comps[x->ncomps].id = id;
  x->ncomps++;
  return OK;
}

static int skip_malformed(incident *x, const char *what) {
  slac_ingest_skip(x->g, SLAC_SKIP_MALFORMED, x->id, "%s", what);
  return SKIPPED;
}

/* Read the updates: their timestamps and the components they name. */
static int read_updates(incident *x) {
  size_t n = json_array_size(x->updates);
  if (n == 0) return OK;
  x->times = malloc(n * sizeof *x->times);
  if (!x->times) return OOM;
  for (size_t k = 0; k < n; k++) {
    json_t *u = json_array_get(x->updates, k);
    if (!json_is_object(u)) return skip_malformed(x, "an update is not a JSON object");
    json_t *ac;
    if (member_array(u, "affected_components", &ac) != 0)
      return skip_malformed(x, "affected_components of an update is not an array");
    const char *when, *created;
    if (member_str(u, "display_at", &when) != 0 || member_str(u, "created_at", &created) != 0)
      return skip_malformed(x, "an update's display_at or created_at is not a string");
    x->times[k] = 0;
    if (json_array_size(ac) == 0) continue;
    if (!when) when = created;
    if (!when) return skip_malformed(x, "an update with affected components has no timestamp");
    if (slac_ingest_time(x->g, x->id, when == created ? "created_at" : "display_at", when,
                         &x->times[k]) != 0)
      return SKIPPED;
    for (size_t j = 0; j < json_array_size(ac); j++) {
      json_t *a = json_array_get(ac, j);
      const char *name, *code, *o, *s;
      if (!json_is_object(a) || member_str(a, "name", &name) != 0 ||
          member_str(a, "code", &code) != 0 || member_str(a, "old_status", &o) != 0 ||
          member_str(a, "new_status", &s) != 0 || (!name && !code) || !s)
        return skip_malformed(x, "an affected component lacks a name or a new_status");
      if (add_component(x, name, code) != OK) return OOM;
    }
  }
  return OK;
}

/* Call FN(X, I, K, J) for every component I that the entry J of update K
 * names: the one with its name, and every one whose id is its code (ids
 * may repeat: an id learnt from an update is given to the component found
 * by name).  NEXT[i] chains the components of one id in their order. */
static void each_named(incident *x, const size_t *next, size_t k, size_t j,
                       void (*fn)(incident *, size_t, size_t, size_t)) {
  json_t *a = json_array_get(json_object_get(json_array_get(x->updates, k), "affected_components"), j);
  const char *name = json_string_value(json_object_get(a, "name"));
  const char *code = json_string_value(json_object_get(a, "code"));
  size_t by_name = name ? slac_strmap_get(&x->by_name, name, strlen(name)) : SIZE_MAX;
  if (by_name != SIZE_MAX) fn(x, by_name, k, j);
  for (size_t i = code ? slac_strmap_get(&x->by_id, code, strlen(code)) : SIZE_MAX; i != SIZE_MAX;
       i = next[i])
    if (i != by_name) fn(x, i, k, j);
}

static void count_ref(incident *x, size_t i, size_t k, size_t j) {
  (void)k;
  (void)j;
  x->ref_start[i + 1]++;
}

static void fill_ref(incident *x, size_t i, size_t k, size_t j) {
  x->refs[x->ref_start[i]++] = (entry_ref){k, j};
}

/* REF_START and REFS: for each component, the entries that name it, in
 * the order of the file (update, then entry), found once for all. */
static int index_entries(incident *x) {
  size_t nc = x->ncomps, nu = json_array_size(x->updates), total = 0;
  size_t *next = malloc((nc + 1) * sizeof *next);
  x->ref_start = calloc(nc + 2, sizeof *x->ref_start);
  if (!next || !x->ref_start) {
    free(next);
    return OOM;
  }
  /* the components of each id, first to last; BY_ID holds the first */
  slac_strmap last;
  slac_strmap_init(&last);
  for (size_t i = 0; i < nc; i++) {
    const char *id = x->comps[i].id;
    next[i] = SIZE_MAX;
    size_t prev;
    int rc = id ? slac_strmap_put(&last, id, strlen(id), i, &prev) : 1;
    if (rc < 0) {
      slac_strmap_free(&last);
      free(next);
      return OOM;
    }
    if (rc == 0) {
      next[prev] = i;
      slac_strmap_set(&last, id, strlen(id), i);
    }
  }
  slac_strmap_free(&last);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t k = 0; k < nu; k++) {
      json_t *ac = json_object_get(json_array_get(x->updates, k), "affected_components");
      for (size_t j = 0; j < json_array_size(ac); j++)
        each_named(x, next, k, j, pass == 0 ? count_ref : fill_ref);
    }
    if (pass == 1) break;
    /* counts (in ref_start[i + 1]) -> starts */
    for (size_t i = 1; i <= nc; i++) x->ref_start[i] += x->ref_start[i - 1];
    total = x->ref_start[nc];
    x->refs = malloc((total + 1) * sizeof *x->refs);
    if (!x->refs) {
      free(next);
      return OOM;
    }
  }
  /* filling moved start i to the start of i + 1 */
  for (size_t i = nc; i > 0; i--) x->ref_start[i] = x->ref_start[i - 1];
  x->ref_start[0] = 0;
  free(next);
  return OK;
}

/* The events of component C, in time order (ties: an API list is newest
 * first, so the later position in the file is the earlier update). */
static int event_order(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  return x->order > y->order ? -1 : x->order < y->order;
}

static int gather_events(incident *x, size_t ci) {
  x->nevents = 0;
  for (size_t r = x->ref_start[ci]; r < x->ref_start[ci + 1]; r++) {
    size_t k = x->refs[r].k;
    json_t *a = json_array_get(json_object_get(json_array_get(x->updates, k), "affected_components"),
                               x->refs[r].j);
    if (x->nevents == x->events_cap) {
      size_t cap = x->events_cap ? x->events_cap * 2 : 16;
      event *e = realloc(x->events, cap * sizeof *e);
      if (!e) return OOM;
      x->events = e;
      x->events_cap = cap;
    }
    event *e = &x->events[x->nevents++];
    e->t = x->times[k];
    e->order = k;
    e->old_status = json_string_value(json_object_get(a, "old_status"));
    e->new_status = json_string_value(json_object_get(a, "new_status"));
  }
  if (x->nevents > 1) qsort(x->events, x->nevents, sizeof *x->events, event_order);
  return OK;
}

/* Add one interval for every service SERVICES[0..NS) maps C to. */
static int add_interval(incident *x, const component *c, const int *services, int ns, int cause,
                        slac_time s, slac_time e, const char *statuses) {
  if (e <= s) {
    x->empty_interval = true;
    return OK;
  }
  char detail[400];
  snprintf(detail, sizeof detail, "%s; %s", statuses, x->title);
  const char *cname = c->name ? c->name : c->id;
  for (int i = 0; i < ns; i++)
    if (slac_ingest_add(x->g, services[i], cause, s, e, cname, detail) != 0) return OOM;
  return OK;
}

static int status_cause(incident *x, const component *c, const char *status, int *cause) {
  add_word(x->seen, sizeof x->seen, status);
  *cause = slac_ingest_status_cause(x->g, status);
  if (*cause != SLAC_STATUS_UNKNOWN) return OK;
  slac_ingest_skip(x->g, SLAC_SKIP_UNKNOWN_STATUS, x->id,
                   "component '%s' has the unknown status '%.40s' (--status %.40s=CAUSE "
                   "maps it)",
                   c->name ? c->name : c->id, status, status);
  return SKIPPED;
}

/* The status-change intervals of component C, number CI. */
static int by_status(incident *x, size_t ci, const int *services, int ns) {
  const component *c = &x->comps[ci];
  int rc = gather_events(x, ci);
  if (rc != OK) return rc;
  int cur = SLAC_STATUS_IGNORED;
  slac_time cur_start = 0;
  char statuses[120] = "";
  const char *last = x->events[0].old_status;
  if (last) {
    if ((rc = status_cause(x, c, last, &cur)) != OK) return rc;
    if (cur >= 0) {
      /* already down before the first update that names it */
      cur_start = x->start < x->events[0].t ? x->start : x->events[0].t;
      add_word(statuses, sizeof statuses, last);
    }
  }
  for (size_t k = 0; k < x->nevents; k++) {
    const event *e = &x->events[k];
    int cause;
    if ((rc = status_cause(x, c, e->new_status, &cause)) != OK) return rc;
    if (cause != cur) {
      if (cur >= 0 &&
          (rc = add_interval(x, c, services, ns, cur, cur_start, e->t, statuses)) != OK)
        return rc;
      statuses[0] = 0;
      cur_start = e->t;
      cur = cause;
    }
    if (cause >= 0) add_word(statuses, sizeof statuses, e->new_status);
    last = e->new_status;
  }
  if (cur < 0) return OK;
  if (!x->has_resolved) {
    slac_ingest_skip(x->g, SLAC_SKIP_NOT_RESOLVED, x->id,
                     "component '%s' is still %s at its last update and the incident has "
                     "no resolved_at",
                     c->name ? c->name : c->id, last);
    return SKIPPED;
  }
  /* a status set after the resolution gives an empty interval */
  slac_time end = x->resolved > cur_start ? x->resolved : cur_start;
  return add_interval(x, c, services, ns, cur, cur_start, end, statuses);
}

/* The whole incident, [start, resolved_at), for component C. */
static int whole(incident *x, const component *c, const int *services, int ns) {
  if (!x->has_resolved) {
    slac_ingest_skip(x->g, SLAC_SKIP_NOT_RESOLVED, x->id, "it has no resolved_at");
    return SKIPPED;
  }
  bool maint = same(x->impact, "maintenance");
  int cause = 0;
  if (maint && status_cause(x, c, "under_maintenance", &cause) != OK) return SKIPPED;
  if (cause < 0) return OK;
  char what[80];
  snprintf(what, sizeof what, "whole incident, impact %s", x->impact ? x->impact : "unknown");
  add_word(x->seen, sizeof x->seen, what);
  return add_interval(x, c, services, ns, cause, x->start, x->resolved, what);
}

static int convert_incident(incident *x, json_t *inc) {
  slac_ingest *g = x->g;
  const slac_ingest_options *o = g->o;
  if (!json_is_object(inc)) return skip_malformed(x, "not a JSON object");
  const char *id, *name, *created, *started, *resolved;
  if (member_str(inc, "id", &id) != 0) return skip_malformed(x, "its id is not a string");
  if (id) {
    char clean[64];
    slac_ingest_text(clean, sizeof clean, id);
    if (clean[0]) snprintf(x->idbuf, sizeof x->idbuf, "%s", clean);
  }
  x->id = x->idbuf;
  if (member_str(inc, "name", &name) != 0 || member_str(inc, "impact", &x->impact) != 0 ||
      member_str(inc, "created_at", &created) != 0 ||
      member_str(inc, "started_at", &started) != 0 ||
      member_str(inc, "resolved_at", &resolved) != 0)
    return skip_malformed(
        x, "name, impact, created_at, started_at or resolved_at is not a string");
  slac_ingest_text(x->title, sizeof x->title, name ? name : "");
  if (!started && !created) {
    slac_ingest_skip(g, SLAC_SKIP_NO_START, x->id, "it has no started_at nor created_at");
    return SKIPPED;
  }
  if (slac_ingest_time(g, x->id, started ? "started_at" : "created_at",
                       started ? started : created, &x->start) != 0)
    return SKIPPED;
  if (resolved) {
    if (slac_ingest_time(g, x->id, "resolved_at", resolved, &x->resolved) != 0) return SKIPPED;
    x->has_resolved = true;
    if (x->resolved < x->start) {
      char s[32], r[32];
      slac_time_format(x->start, s);
      slac_time_format(x->resolved, r);
      slac_ingest_skip(g, SLAC_SKIP_RESOLVED_BEFORE, x->id,
                       "resolved at %s, before it started at %s", r, s);
      return SKIPPED;
    }
  }
  json_t *comps;
  if (member_array(inc, "components", &comps) != 0 ||
      member_array(inc, "incident_updates", &x->updates) != 0)
    return skip_malformed(x, "components or incident_updates is not an array");
  for (size_t i = 0; i < json_array_size(comps); i++) {
    json_t *c = json_array_get(comps, i);
    const char *cn, *ci;
    if (!json_is_object(c) || member_str(c, "name", &cn) != 0 || member_str(c, "id", &ci) != 0)
      return skip_malformed(x, "a component is not an object with a name");
    if (add_component(x, cn, ci) != OK) return OOM;
  }
  int rc = read_updates(x);
  if (rc == OK) rc = index_entries(x);
  if (rc != OK) return rc;
  if (x->ncomps == 0) {
    slac_ingest_skip(g, SLAC_SKIP_NO_COMPONENT, x->id,
                     "it names no component (%s)", x->title[0] ? x->title : "no name");
    return SKIPPED;
  }
  slac_ingest_begin_incident(g);
  int services[256];
  bool any_mapped = false;
  for (size_t i = 0; i < x->ncomps; i++) {
    const component *c = &x->comps[i];
    int ns = 0;
    for (size_t m = 0; m < o->ncomponents; m++) {
      if (!slac_ingest_maps(o, m, c->name) && !slac_ingest_maps(o, m, c->id)) continue;
      int s = o->components[m].service, dup = 0;
      for (int k = 0; k < ns; k++) dup |= services[k] == s;
      if (!dup && ns < 256) services[ns++] = s;
    }
    if (ns == 0) continue;
    any_mapped = true;
    if (o->intervals == SLAC_INTERVALS_STATUS && x->ref_start[i + 1] > x->ref_start[i])
      rc = by_status(x, i, services, ns);
    else
      rc = whole(x, c, services, ns);
    if (rc != OK) return rc;
  }
  if (!any_mapped) {
    char names[300] = "";
    for (size_t i = 0; i < x->ncomps; i++)
      add_word(names, sizeof names, x->comps[i].name ? x->comps[i].name : x->comps[i].id);
    slac_ingest_skip(g, SLAC_SKIP_NOT_MAPPED, x->id, "no component mapped (%s)", names);
    return SKIPPED;
  }
  int n = slac_ingest_end_incident(g, x->id);
  if (n < 0) return OOM;
  if (n == 0) {
    if (x->empty_interval)
      slac_ingest_skip(g, SLAC_SKIP_EMPTY, x->id,
                       "its intervals are shorter than a second (%s)", x->seen);
    else
      slac_ingest_skip(g, SLAC_SKIP_NOT_COUNTED, x->id,
                       "its mapped components never had a counting status (%s)", x->seen);
    return SKIPPED;
  }
  g->used++;
  return OK;
}

static int one(slac_ingest *g, json_t *inc, size_t index) {
  incident x;
  memset(&x, 0, sizeof x);
  x.g = g;
  slac_strmap_init(&x.by_name);
  slac_strmap_init(&x.by_id);
  snprintf(x.idbuf, sizeof x.idbuf, "#%zu", index + 1);
  x.id = x.idbuf;
  g->records++;
  int rc = convert_incident(&x, inc);
  free(x.times);
  free(x.comps);
  free(x.events);
  free(x.ref_start);
  free(x.refs);
  slac_strmap_free(&x.by_name);
  slac_strmap_free(&x.by_id);
  return rc == OOM || g->oom ? -1 : 0;
}

int slac_statuspage_convert(slac_ingest *g, json_t *root) {
  slac_ingest_incident_header(g);
  if (json_is_array(root)) {
    for (size_t i = 0; i < json_array_size(root); i++)
      if (one(g, json_array_get(root, i), i) != 0) return -1;
    return 0;
  }
  json_t *incidents = json_object_get(root, "incidents");
  json_t *maintenances = json_object_get(root, "scheduled_maintenances");
  if (!json_is_array(incidents) && !json_is_array(maintenances)) {
    json_t *single = json_object_get(root, "incident");
    return one(g, json_is_object(single) ? single : root, 0);
  }
  /* /api/v2/incidents.json, scheduled-maintenances.json, summary.json */
  size_t n = json_array_size(incidents);
  for (size_t i = 0; i < n; i++)
    if (one(g, json_array_get(incidents, i), i) != 0) return -1;
  for (size_t i = 0; i < json_array_size(maintenances); i++)
    if (one(g, json_array_get(maintenances, i), n + i) != 0) return -1;
  return 0;
}
