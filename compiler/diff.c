/* diff.c - slac diff's walk over two models: the policy's currencies and
 * credit base, then each service (removed, compared, added), then the
 * account's rules; and the list of differences it fills.  What each
 * comparison means is in diff.h; the words in diff_words.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/diff_int.h"

static char *dup_or_null(const char *s, bool *oom) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) *oom = true;
  return d;
}

slac_diff_item *dd_add(slac_diff *df, const char *service, const char *plan, bool other_plans,
                       const char *topic, char *subject, char *old_text, char *new_text) {
  if (!df->oom && df->n == df->cap) {
    int cap = df->cap ? 2 * df->cap : 16;
    slac_diff_item *v = realloc(df->items, (size_t)cap * sizeof *v);
    if (!v) df->oom = true;
    else {
      df->items = v;
      df->cap = cap;
    }
  }
  if (df->oom) {
    free(subject);
    free(old_text);
    free(new_text);
    return NULL;
  }
  slac_diff_item *it = &df->items[df->n++];
  memset(it, 0, sizeof *it);
  it->service = dup_or_null(service, &df->oom);
  it->plan = dup_or_null(plan, &df->oom);
  it->other_plans = other_plans;
  it->topic = topic;
  it->subject = subject;
  it->old_text = old_text;
  it->new_text = new_text;
  return it;
}

void dd_compare(slac_diff *df, const char *service, const char *topic, char *subject,
                char *old_text, char *new_text) {
  bool same = (old_text == NULL) == (new_text == NULL) && (!old_text || strcmp(old_text, new_text) == 0);
  if (same || df->oom) {
    free(subject);
    free(old_text);
    free(new_text);
    return;
  }
  dd_add(df, service, NULL, false, topic, subject, old_text, new_text);
}

static const slac_model_service *find_service(const slac_model *m, const char *id) {
  for (int i = 0; i < m->nservices; i++)
    if (strcmp(m->services[i].id, id) == 0) return &m->services[i];
  return NULL;
}

/* The rule of cause NAME in service S of M, or NULL when M does not
 * know the cause. */
static const slac_cause_rule *cause_rule(const slac_model *m, const slac_model_service *s,
                                         const char *name) {
  for (int c = 0; c < m->ncauses; c++)
    if (strcmp(m->causes[c].name, name) == 0) return &s->rules[c];
  return NULL;
}

/* How each cause counts in each service that both policies have: one
 * item without a service when the change is the same in every one of
 * them (exclusions are usually written for the whole policy), else one
 * per service that changed. */
static void compare_causes(slac_diff *df, const slac_model *am, const slac_model *bm) {
  dw_names names = {0};
  for (int c = 0; c < am->ncauses; c++) dw_names_add(&names, am->causes[c].name);
  for (int c = 0; c < bm->ncauses; c++) dw_names_add(&names, bm->causes[c].name);
  dw_names_sort(&names);
  if (names.oom) df->oom = true;
  char **ow = calloc((size_t)am->nservices + 1, sizeof *ow);
  char **nw = calloc((size_t)am->nservices + 1, sizeof *nw);
  if (!ow || !nw) df->oom = true;
  for (int i = 0; i < names.n && !df->oom; i++) {
    int first = -1;
    bool same = true;
    for (int k = 0; k < am->nservices; k++) {
      const slac_model_service *sa = &am->services[k], *sb = find_service(bm, sa->id);
      ow[k] = nw[k] = NULL;
      if (!sb) continue;
      ow[k] = dw_cause(cause_rule(am, sa, names.v[i]), &df->oom);
      nw[k] = dw_cause(cause_rule(bm, sb, names.v[i]), &df->oom);
      if (!ow[k] || !nw[k]) continue;
      if (first < 0) first = k;
      else if (strcmp(ow[k], ow[first]) != 0 || strcmp(nw[k], nw[first]) != 0) same = false;
    }
    for (int k = 0; k < am->nservices; k++) {
      if (same && k != first) {
        free(ow[k]);
        free(nw[k]);
      } else if (ow[k] || nw[k]) {
        dd_compare(df, same ? NULL : am->services[k].id, "cause", dup_or_null(names.v[i], &df->oom),
                   ow[k], nw[k]);
      }
    }
  }
  free(ow);
  free(nw);
  dw_names_free(&names);
}

static char *presence(bool present, bool *oom) {
  return dup_or_null(present ? "present" : "absent", oom);
}

static void compare_service(slac_diff *df, const slac_model_service *a,
                            const slac_model_service *b) {
  if (!a || !b) {
    const char *id = a ? a->id : b->id;
    dd_add(df, id, NULL, false, "service", NULL, presence(a != NULL, &df->oom),
           presence(b != NULL, &df->oom));
    return;
  }
  dd_compare(df, a->id, "measure", NULL, dw_measure(a, &df->oom), dw_measure(b, &df->oom));
  dd_terms(df, a, b);
}

int slac_diff_models(const slac_model *a, const slac_model *b, slac_diff *df) {
  memset(df, 0, sizeof *df);
  dd_compare(df, NULL, "currencies", NULL, dw_currencies(a, &df->oom), dw_currencies(b, &df->oom));
  dd_compare(df, NULL, "credit base", NULL, dup_or_null(dw_base_words(a->base), &df->oom),
             dup_or_null(dw_base_words(b->base), &df->oom));
  for (int i = 0; i < a->nservices; i++)
    compare_service(df, &a->services[i], find_service(b, a->services[i].id));
  for (int i = 0; i < b->nservices; i++)
    if (!find_service(a, b->services[i].id)) compare_service(df, NULL, &b->services[i]);
  compare_causes(df, a, b);
  dd_eligibility(df, a, b);
  dd_compare(df, NULL, "minimum", NULL, dw_minimum(a, &df->oom), dw_minimum(b, &df->oom));
  dd_compare(df, NULL, "maximum", NULL, dw_maximum(a, &df->oom), dw_maximum(b, &df->oom));
  dd_compare(df, NULL, "period cap", NULL, dw_period_cap(a, &df->oom), dw_period_cap(b, &df->oom));
  dd_compare(df, NULL, "claim", NULL, dw_claim(a, &df->oom), dw_claim(b, &df->oom));
  dd_compare(df, NULL, "charges not credited", NULL, dw_charges(a, &df->oom),
             dw_charges(b, &df->oom));
  if (df->oom) {
    slac_diff_free(df);
    return -1;
  }
  return 0;
}

void slac_diff_free(slac_diff *df) {
  for (int i = 0; i < df->n; i++) {
    slac_diff_item *it = &df->items[i];
    free(it->service);
    free(it->plan);
    free(it->subject);
    free(it->old_text);
    free(it->new_text);
  }
  free(df->items);
  memset(df, 0, sizeof *df);
}

void slac_diff_interval_words(const slac_diff_item *it, char *buf, size_t size) {
  char lo[64], hi[64];
  slac_num_format(it->lo, -1, lo, sizeof lo);
  slac_num_format(it->hi, -1, hi, sizeof hi);
  int c = 0;
  slac_num_cmp(it->lo, it->hi, &c);
  bool from_zero = it->lo_in && strcmp(lo, "0") == 0;
  bool to_hundred = it->hi_in && strcmp(hi, "100") == 0;
  if (c == 0) snprintf(buf, size, "exactly %s%%", lo);
  else if (from_zero && to_hundred) snprintf(buf, size, "any uptime");
  else if (from_zero) snprintf(buf, size, "%s %s%%", it->hi_in ? "at or below" : "below", hi);
  else if (to_hundred) snprintf(buf, size, "%s %s%%", it->lo_in ? "at or above" : "above", lo);
  else
    snprintf(buf, size, "%s %s%% and %s %s%%", it->lo_in ? "at or above" : "above", lo,
             it->hi_in ? "at or below" : "below", hi);
}
