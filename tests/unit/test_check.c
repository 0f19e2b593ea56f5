/* test_check.c - unit tests of compiler/check.c through slac_check(): the
 * resolved model of the three shipped policies (services, metrics,
 * windows, commitments, sorted tiers, cause rules and caps, minimum
 * amounts, eligibility), and the exact text of the semantic errors and
 * warnings, which must come once each and at the right place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/check.h"
#include "grammar/frontend.h"

/* ------------------------------------------------------------------ */
/* Fixture: parse and check an in-memory source                         */
/* ------------------------------------------------------------------ */

typedef struct {
  char *buf;
  size_t size;
  FILE *out;
  slac_diags d;
  slac_source src;
  slac_policy *p;
  slac_model *m;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->out = open_memstream(&f->buf, &f->size);
  assert_non_null(f->out);
  slac_diags_init(&f->d, f->out);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  slac_model_free(f->m);
  slac_ast_free_policy(f->p);
  slac_source_free(&f->src);
  fclose(f->out);
  free(f->buf);
  free(f);
  return 0;
}

/* Parse and check TEXT as NAME; the model, or NULL when there are errors. */
static slac_model *check_named(fixture *f, const char *name, const char *text, size_t len) {
  assert_int_equal(slac_source_from_text(&f->src, name, text, len, &f->d), 0);
  f->p = slac_parse(&f->src, &f->d);
  assert_non_null(f->p);
  f->m = slac_check(f->p, &f->src, &f->d);
  return f->m;
}

static slac_model *check(fixture *f, const char *text) {
  return check_named(f, "t.sla", text, strlen(text));
}

/* Check a shipped policy, named as in its folder. */
static slac_model *check_shipped(fixture *f, const char *file) {
  char path[512];
  snprintf(path, sizeof path, "%s/policies/%s", SLAC_SOURCE_DIR, file);
  FILE *in = fopen(path, "rb");
  assert_non_null(in);
  static char text[1 << 16];
  size_t len = fread(text, 1, sizeof text, in);
  assert_true(len < sizeof text);
  fclose(in);
  return check_named(f, file, text, len);
}

/* The line of the shipped policy on which NEEDLE first appears, so that
 * the tests do not depend on the comments around the clauses. */
static int line_of(fixture *f, const char *needle) {
  const char *at = strstr(f->src.text, needle);
  if (!at) fail_msg("'%s' is not in %s", needle, f->src.name);
  int line = 1;
  for (const char *c = f->src.text; c < at; c++) line += *c == '\n';
  return line;
}

/* The notes of a shipped policy: one per line starting with "note". */
static int count_notes(fixture *f) {
  int n = 0;
  for (const char *c = strstr(f->src.text, "\n  note "); c; c = strstr(c + 1, "\n  note ")) n++;
  return n;
}

static const char *diags(fixture *f) {
  fflush(f->out);
  return f->buf ? f->buf : "";
}

static void assert_num(slac_num v, const char *want) {
  char got[64];
  slac_num_format(v, -1, got, sizeof got);
  assert_true(slac_num_is_exact(v));
  assert_string_equal(got, want);
}

static int cause_index(const slac_model *m, const char *name) {
  for (int i = 0; i < m->ncauses; i++)
    if (strcmp(m->causes[i].name, name) == 0) return i;
  fail_msg("cause '%s' is not in the model", name);
  return -1;
}

static void assert_rule(const slac_model_service *s, const slac_model *m, const char *cause,
                        slac_cause_mode mode, int64_t cap, int clause_line) {
  const slac_cause_rule *r = &s->rules[cause_index(m, cause)];
  assert_int_equal(r->mode, mode);
  assert_int_equal(r->cap_seconds, cap);
  if (clause_line) {
    assert_non_null(r->clause);
    assert_int_equal(r->clause->loc.first_line, clause_line);
  } else {
    assert_null(r->clause);
  }
}

/* A tier: LO/HI are the bound kinds (-1 for none) and values. */
static void assert_tier(const slac_model_tier *t, int lo_kind, const char *lo, int hi_kind,
                        const char *hi, const char *credit, int line) {
  assert_int_equal(t->lower_kind, lo_kind);
  if (lo_kind >= 0) assert_num(t->lower, lo);
  assert_int_equal(t->upper_kind, hi_kind);
  if (hi_kind >= 0) assert_num(t->upper, hi);
  assert_num(t->credit, credit);
  assert_int_equal(t->tier->loc.first_line, line);
}

#define HEAD "policy p version 1 {\n  currency USD\n"
#define SVC                                                                                  \
  "  service api \"API\" {\n"                                                                \
  "    measure unavailable minutes\n"                                                        \
  "    commit 99.9%\n"                                                                       \
  "  }\n"
#define CREDIT                                                                               \
  "  credit of monthly fee {\n"                                                              \
  "    below 99.9% and at or above 99.0% -> 10%\n"                                           \
  "    below 99.0% -> 25%\n"                                                                 \
  "  }\n"

/* ------------------------------------------------------------------ */
/* The shipped policies                                                 */
/* ------------------------------------------------------------------ */

static void test_saleor_model(void **state) {
  fixture *f = *state;
  slac_model *m = check_shipped(f, "saleor.sla");
  assert_non_null(m);
  /* the known gap of Saleor's table is a warning, not an error */
  assert_int_equal(f->d.errors, 0);
  assert_int_equal(f->d.warnings, 1);
  int commit_line = line_of(f, "commit 99.99%");
  size_t len;
  const char *line = slac_source_line(&f->src, commit_line, &len);
  char want[512];
  snprintf(want, sizeof want,
           "saleor.sla:%d:12: warning: gap between the commitment and the first credit tier: an "
           "uptime at or above 99.95%% and below 99.99%% misses the commitment of 99.99%% but no "
           "tier gives credit\n"
           "  %.*s\n"
           "             ^~~~~~\n",
           commit_line, (int)len, line);
  assert_string_equal(diags(f), want);

  assert_string_equal(m->id, "saleor");
  assert_string_equal(m->title, "Saleor Commerce SLA");
  assert_string_equal(m->provider, "Saleor Commerce");
  assert_int_equal(m->version, 1);
  assert_int_equal(m->ncurrencies, 1);
  assert_string_equal(m->currencies[0], "USD");
  assert_int_equal(m->base, SLAC_BASE_MONTHLY_FEE);

  assert_int_equal(m->nservices, 1);
  const slac_model_service *s = &m->services[0];
  assert_string_equal(s->id, "covered");
  assert_string_equal(s->title, "Covered Services");
  assert_int_equal(s->metric, SLAC_METRIC_MINUTES);
  assert_false(s->has_rate_rule);
  assert_int_equal(s->min_run_minutes, 0);
  assert_true(s->terms[0].commit_valid);
  assert_num(s->terms[0].commit, "99.99");
  assert_int_equal(s->terms[0].commit_clause->loc.first_line, commit_line);
  assert_int_equal(s->measure->loc.first_line, line_of(f, "measure unavailable minutes"));
  assert_int_equal(s->terms[0].credit->loc.first_line, line_of(f, "credit of monthly fee"));

  /* sorted by lower bound: the lowest uptimes first */
  assert_int_equal(s->terms[0].ntiers, 2);
  assert_tier(&s->terms[0].tiers[0], -1, NULL, SLAC_BOUND_BELOW, "99.9", "25",
              line_of(f, "below 99.9% "));
  assert_tier(&s->terms[0].tiers[1], SLAC_BOUND_AT_OR_ABOVE, "99.9", SLAC_BOUND_BELOW, "99.95", "15",
              line_of(f, "below 99.95% and at or above 99.9%"));

  /* outage, then the causes in the order the policy first names them */
  static const char *const causes[] = {"outage",        "maintenance", "suspension",
                                       "termination",   "aup_violation", "customer",
                                       "third_party",   "force_majeure", "beta",
                                       "over_quota",    "unauthorized"};
  assert_int_equal(m->ncauses, 11);
  for (int i = 0; i < 11; i++) {
    assert_string_equal(m->causes[i].name, causes[i]);
    assert_null(m->causes[i].description);
  }
  assert_rule(s, m, "outage", SLAC_CAUSE_COUNTS, 0, 0);
  assert_rule(s, m, "maintenance", SLAC_CAUSE_CAPPED, 600,
              line_of(f, "exclude maintenance up to 10 min per month"));
  assert_rule(s, m, "suspension", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude suspension"));
  assert_rule(s, m, "termination", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude suspension"));
  assert_rule(s, m, "aup_violation", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude aup_violation"));
  assert_rule(s, m, "customer", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude customer"));
  assert_rule(s, m, "third_party", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude customer"));
  assert_rule(s, m, "force_majeure", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude force_majeure"));
  assert_rule(s, m, "beta", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude beta"));
  assert_rule(s, m, "over_quota", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude over_quota"));
  assert_rule(s, m, "unauthorized", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude unauthorized"));

  assert_int_equal(m->neligibility, 0);
  assert_null(m->minimum);
  assert_null(m->maximum);
  assert_int_equal(m->nnotes, count_notes(f));
  assert_true(m->nnotes >= 1);
  assert_int_equal(m->notes[0]->loc.first_line, line_of(f, "\n  note ") + 1);
}

static void test_piwik_pro_model(void **state) {
  fixture *f = *state;
  slac_model *m = check_shipped(f, "piwik-pro.sla");
  assert_non_null(m);
  assert_string_equal(diags(f), "");
  assert_string_equal(m->id, "piwik_pro");
  assert_string_equal(m->title, "Piwik PRO Cloud Hosting Service Level Agreement");
  assert_string_equal(m->provider, "Piwik PRO SA");
  assert_int_equal(m->ncurrencies, 2);
  assert_string_equal(m->currencies[0], "USD");
  assert_string_equal(m->currencies[1], "EUR");
  assert_int_equal(m->base, SLAC_BASE_MONTHLY_FEE);

  assert_int_equal(m->nservices, 1);
  const slac_model_service *s = &m->services[0];
  assert_string_equal(s->id, "hosting");
  assert_string_equal(s->title, "Hosting");
  assert_int_equal(s->metric, SLAC_METRIC_ERROR_RATE);
  assert_int_equal(s->window_seconds, 300);
  assert_int_equal(s->empty, SLAC_EMPTY_ZERO);
  assert_num(s->terms[0].commit, "99");
  assert_int_equal(s->terms[0].ntiers, 1);
  assert_tier(&s->terms[0].tiers[0], -1, NULL, SLAC_BOUND_BELOW, "99", "25", line_of(f, "below 99.0%"));

  assert_int_equal(m->ncauses, 6);
  assert_string_equal(m->causes[0].name, "outage");
  assert_rule(s, m, "outage", SLAC_CAUSE_COUNTS, 0, 0);
  assert_rule(s, m, "termination", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude termination"));
  assert_rule(s, m, "force_majeure", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude force_majeure"));
  assert_rule(s, m, "customer", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude customer"));
  assert_rule(s, m, "third_party", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude customer"));
  assert_rule(s, m, "suspension", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude suspension"));

  /* "greater than $5 or 5 EUR": one amount per currency */
  assert_non_null(m->minimum);
  assert_false(m->minimum->at_least);
  assert_int_equal(m->minimum->namounts, 2);
  assert_string_equal(m->minimum->amounts[0].currency, "USD");
  assert_true(m->minimum->amounts[0].valid);
  assert_num(m->minimum->amounts[0].value, "5");
  assert_string_equal(m->minimum->amounts[1].currency, "EUR");
  assert_num(m->minimum->amounts[1].value, "5");
  assert_null(m->maximum);
  assert_int_equal(m->neligibility, 0);
  assert_int_equal(m->nnotes, count_notes(f));
}

static void test_tagoio_model(void **state) {
  fixture *f = *state;
  slac_model *m = check_shipped(f, "tagoio.sla");
  assert_non_null(m);
  assert_string_equal(diags(f), "");
  assert_string_equal(m->id, "tagoio");
  assert_string_equal(m->provider, "TagoIO Inc.");
  assert_int_equal(m->ncurrencies, 1);
  assert_string_equal(m->currencies[0], "USD");
  assert_int_equal(m->base, SLAC_BASE_AFFECTED_CHARGES);

  const slac_model_service *s = &m->services[0];
  assert_int_equal(m->nservices, 1);
  assert_string_equal(s->id, "middleware");
  assert_string_equal(s->title, "TagoIO Middleware request calls");
  assert_int_equal(s->metric, SLAC_METRIC_MINUTES);
  assert_num(s->terms[0].commit, "99.8");
  assert_int_equal(s->terms[0].ntiers, 2);
  assert_tier(&s->terms[0].tiers[0], -1, NULL, SLAC_BOUND_BELOW, "99", "25", line_of(f, "below 99.0% "));
  assert_tier(&s->terms[0].tiers[1], SLAC_BOUND_AT_OR_ABOVE, "99", SLAC_BOUND_BELOW, "99.8", "10",
              line_of(f, "below 99.8% and at or above 99.0%"));

  static const char *const causes[] = {"outage",      "suspension", "force_majeure", "customer",
                                       "third_party", "maintenance", "over_limit"};
  assert_int_equal(m->ncauses, 7);
  for (int i = 0; i < 7; i++) assert_string_equal(m->causes[i].name, causes[i]);
  assert_rule(s, m, "suspension", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude suspension"));
  assert_rule(s, m, "customer", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude customer"));
  assert_rule(s, m, "maintenance", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude maintenance"));
  assert_rule(s, m, "over_limit", SLAC_CAUSE_EXCLUDED, 0, line_of(f, "exclude over_limit"));

  assert_non_null(m->minimum);
  assert_false(m->minimum->at_least);
  assert_int_equal(m->minimum->namounts, 1);
  assert_num(m->minimum->amounts[0].value, "1");
  assert_string_equal(m->minimum->amounts[0].currency, "USD");

  /* not eligible when plan in {...}; eligible only when standing is good */
  assert_int_equal(m->neligibility, 2);
  const slac_clause *e = m->eligibility[0];
  assert_int_equal(e->kind, SLAC_CL_NOT_ELIGIBLE);
  assert_int_equal(e->cond->kind, SLAC_COND_PLAN_IN);
  assert_string_equal(e->cond->plans->text, "Free");
  assert_string_equal(e->cond->plans->next->text, "Starter");
  assert_string_equal(e->cond->plans->next->next->text, "Scale");
  assert_null(e->cond->plans->next->next->next);
  char *cites = slac_cites_text(e->cites);
  assert_string_equal(cites, "§Preamble");
  free(cites);
  e = m->eligibility[1];
  assert_int_equal(e->kind, SLAC_CL_ELIGIBLE_ONLY);
  assert_int_equal(e->cond->kind, SLAC_COND_STANDING);
  assert_true(e->cond->standing_good);
  assert_int_equal(m->nnotes, count_notes(f));
}

/* ------------------------------------------------------------------ */
/* Resolution                                                           */
/* ------------------------------------------------------------------ */

static void test_service_rules_override_the_policy(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.9%\n"
                        "    exclude maintenance up to 2 h per month\n"
                        "    exclude planned\n"
                        "  }\n"
                        "  service web \"Web\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.95%\n"
                        "  }\n" CREDIT
                        "  exclude customer up to 1 day per month\n"
                        "  count third_party\n"
                        "  cause planned \"Work announced a week ahead\"\n"
                        "}\n");
  assert_non_null(m);
  assert_string_equal(diags(f),
                      "t.sla:11:12: warning: gap between the commitment and the first credit "
                      "tier: an uptime at or above 99.9% and below 99.95% misses the commitment "
                      "of 99.95% of service 'web' but no tier gives credit\n"
                      "      commit 99.95%\n"
                      "             ^~~~~~\n");
  /* declared causes come first, then those the policy's clauses name,
   * then those only a service names */
  static const char *const causes[] = {"outage", "planned", "customer", "third_party",
                                       "maintenance"};
  assert_int_equal(m->ncauses, 5);
  for (int i = 0; i < 5; i++) assert_string_equal(m->causes[i].name, causes[i]);
  assert_string_equal(m->causes[1].description, "Work announced a week ahead");
  assert_null(m->causes[2].description);
  const slac_model_service *api = &m->services[0], *web = &m->services[1];
  assert_rule(api, m, "outage", SLAC_CAUSE_COUNTS, 0, 0);
  assert_rule(api, m, "maintenance", SLAC_CAUSE_CAPPED, 7200, 6);
  assert_rule(api, m, "planned", SLAC_CAUSE_EXCLUDED, 0, 7);
  assert_rule(api, m, "customer", SLAC_CAUSE_CAPPED, 86400, 17);
  assert_rule(api, m, "third_party", SLAC_CAUSE_COUNTS, 0, 18);
  assert_rule(web, m, "outage", SLAC_CAUSE_COUNTS, 0, 0);
  assert_rule(web, m, "maintenance", SLAC_CAUSE_COUNTS, 0, 0);
  assert_rule(web, m, "planned", SLAC_CAUSE_COUNTS, 0, 0);
  assert_rule(web, m, "customer", SLAC_CAUSE_CAPPED, 86400, 17);
  assert_rule(web, m, "third_party", SLAC_CAUSE_COUNTS, 0, 18);
  /* one schedule for both, compared with each commitment */
  assert_ptr_equal(api->terms[0].credit, web->terms[0].credit);
  assert_int_equal(web->terms[0].ntiers, 2);
  assert_num(web->terms[0].commit, "99.95");
}

static void test_minute_rules(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure unavailable minutes {\n"
                        "      minute unavailable when error rate at or above 5.5% with at least 10 requests\n"
                        "      downtime counts only in runs of at least 2 h\n"
                        "    }\n"
                        "    commit 99.9%\n"
                        "  }\n" CREDIT "}\n");
  assert_non_null(m);
  const slac_model_service *s = &m->services[0];
  assert_true(s->has_rate_rule);
  assert_true(s->rate_inclusive);
  assert_num(s->rate_threshold, "5.5");
  assert_int_equal(s->min_requests, 10);
  assert_int_equal(s->min_run_minutes, 120);
}

static void test_error_rate_windows(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure average error rate over 1 h windows, empty windows are left out\n"
                        "    commit 99.9%\n"
                        "  }\n" CREDIT "}\n");
  assert_non_null(m);
  assert_int_equal(m->services[0].metric, SLAC_METRIC_ERROR_RATE);
  assert_int_equal(m->services[0].window_seconds, 3600);
  assert_int_equal(m->services[0].empty, SLAC_EMPTY_LEFT_OUT);
}

static void test_tiers_are_sorted_by_lower_bound(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of monthly fee {\n"
                        "    below 95% -> 100%\n"
                        "    below 99.9% and above 99% -> 10%\n"
                        "    at or below 99% and at or above 95% -> 30%\n"
                        "  }\n"
                        "}\n");
  assert_non_null(m);
  assert_string_equal(diags(f), "");
  const slac_model_service *s = &m->services[0];
  assert_int_equal(s->terms[0].ntiers, 3);
  assert_tier(&s->terms[0].tiers[0], -1, NULL, SLAC_BOUND_BELOW, "95", "100", 8);
  assert_tier(&s->terms[0].tiers[1], SLAC_BOUND_AT_OR_ABOVE, "95", SLAC_BOUND_AT_OR_BELOW, "99", "30", 10);
  assert_tier(&s->terms[0].tiers[2], SLAC_BOUND_ABOVE, "99", SLAC_BOUND_BELOW, "99.9", "10", 9);
}

static void test_gap_of_one_value(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of monthly fee {\n"
                        "    below 99.9% and above 99% -> 10%\n"
                        "    below 99% -> 30%\n"
                        "  }\n"
                        "}\n");
  assert_non_null(m);
  assert_string_equal(diags(f), "t.sla:7:3: warning: no tier covers an uptime of exactly 99%: "
                                "below the commitment, but no credit\n"
                                "    credit of monthly fee {\n"
                                "    ^~~~~~\n");
}

static void test_cites_text(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC CREDIT "  exclude customer §5(iv) §\"Exclusions\"(ii) §7\n}\n");
  assert_non_null(m);
  const slac_cause_rule *r = &m->services[0].rules[cause_index(m, "customer")];
  char *text = slac_cites_text(r->clause->cites);
  assert_string_equal(text, "§5(iv), §Exclusions(ii), §7");
  free(text);
  text = slac_cites_text(NULL);
  assert_string_equal(text, "");
  free(text);
}

static void test_maximum(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC CREDIT "  credits never exceed 50% of monthly fee\n}\n");
  assert_non_null(m);
  assert_non_null(m->maximum);
  assert_num(m->maximum_percent, "50");
}

/* ------------------------------------------------------------------ */
/* Errors and warnings                                                  */
/* ------------------------------------------------------------------ */

static void test_errors_give_no_model(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC CREDIT "  exclude maintainance\n}\n");
  assert_null(m);
  assert_string_equal(diags(f),
                      "t.sla:11:11: error: undefined cause 'maintainance' (did you mean "
                      "'maintenance'?)\n"
                      "    exclude maintainance\n"
                      "            ^~~~~~~~~~~~\n");
}

static void test_undefined_causes(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC CREDIT
                        "  cause planned_work \"Planned\"\n"
                        "  exclude planed_work, cosmic_rays\n"
                        "}\n");
  assert_null(m);
  /* a declared cause is suggested too; its "unused" warning would only
   * repeat the typo */
  assert_string_equal(diags(f),
                      "t.sla:12:11: error: undefined cause 'planed_work' (did you mean "
                      "'planned_work'?)\n"
                      "    exclude planed_work, cosmic_rays\n"
                      "            ^~~~~~~~~~~\n"
                      "t.sla:12:24: error: undefined cause 'cosmic_rays': use a standard cause "
                      "(maintenance, force_majeure, customer, ...) or declare it with `cause "
                      "cosmic_rays \"description\"`\n"
                      "    exclude planed_work, cosmic_rays\n"
                      "                         ^~~~~~~~~~~\n");
}

static void test_units_and_ranges(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.9\n"
                        "  }\n"
                        "  credit of monthly fee {\n"
                        "    below 99.9% and at or above 10 min -> 10%\n"
                        "    below 99.0% -> 101%\n"
                        "  }\n"
                        "  exclude maintenance up to 5% per month\n"
                        "  issue credit only if amount greater than 5\n"
                        "}\n");
  assert_null(m);
  /* policy-wide rules are checked before the services, but printed in source order */
  assert_string_equal(diags(f),
                      "t.sla:5:12: error: missing '%' after 99.9: write 99.9%\n"
                      "      commit 99.9\n"
                      "             ^~~~\n"
                      "t.sla:8:33: error: expected a percentage like 99.9%, got a duration\n"
                      "      below 99.9% and at or above 10 min -> 10%\n"
                      "                                  ^~~~~~\n"
                      "t.sla:9:20: error: 101% is outside 0%..100%\n"
                      "      below 99.0% -> 101%\n"
                      "                     ^~~~\n"
                      "t.sla:11:29: error: expected a duration like 10 min, got a percentage\n"
                      "    exclude maintenance up to 5% per month\n"
                      "                              ^~\n"
                      "t.sla:12:44: error: missing currency after 5: write 5 USD (or another currency of "
                      "the policy)\n"
                      "    issue credit only if amount greater than 5\n"
                      "                                             ^\n");
  assert_int_equal(f->d.errors, 5);
  assert_int_equal(f->d.warnings, 0); /* no gap: two tiers are broken */
}

static void test_schedule_shape(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of monthly fee {\n"
                        "    below 99.95% and at or above 99.5% -> 10%\n"
                        "    below 99.6% and at or above 99.0% -> 20%\n"
                        "    below 98.0% and at or above 98.5% -> 30%\n"
                        "    below 98.0% -> 5%\n"
                        "  }\n"
                        "}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:7:3: note: if the contract means that the most severe tier applies, write "
      "`credit of monthly fee, most severe tier applies` here\n"
      "    credit of monthly fee {\n"
      "    ^~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:7:3: warning: no tier covers an uptime at or above 98% and below 99%: below "
      "the commitment, but no credit\n"
      "    credit of monthly fee {\n"
      "    ^~~~~~\n"
      "t.sla:8:5: warning: this tier gives credit even when the commitment of 99.9% is "
      "met\n"
      "      below 99.95% and at or above 99.5% -> 10%\n"
      "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:9:5: error: this tier overlaps the tier on line 8: an uptime at or above "
      "99.5% and below 99.6% would match both (if the contract means that the most severe "
      "tier applies, write `credit of monthly fee, most severe tier applies {`)\n"
      "      below 99.6% and at or above 99.0% -> 20%\n"
      "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:10:5: error: this tier can never match: no uptime is within both bounds\n"
      "      below 98.0% and at or above 98.5% -> 30%\n"
      "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:11:5: warning: credit decreases as uptime falls: this tier gives 5% for worse "
      "uptime than the tier on line 9, which gives 20%\n"
      "      below 98.0% -> 5%\n"
      "      ^~~~~~~~~~~~~~~~~\n");
}

/* Under "most severe tier applies" the tiers are kept in severity order,
 * most credit first, so that the code tests the most severe first. */
static void test_most_severe_tiers_in_severity_order(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of monthly fee, most severe tier applies {\n"
                        "    below 99.9% -> 10%\n"
                        "    below 99% -> 25%\n"
                        "    below 95% -> 100%\n"
                        "  }\n"
                        "}\n");
  assert_non_null(m);
  assert_string_equal(diags(f), "");
  const slac_model_service *s = &m->services[0];
  assert_true(s->terms[0].credit->most_severe);
  assert_int_equal(s->terms[0].ntiers, 3);
  assert_tier(&s->terms[0].tiers[0], -1, NULL, SLAC_BOUND_BELOW, "95", "100", 10);
  assert_tier(&s->terms[0].tiers[1], -1, NULL, SLAC_BOUND_BELOW, "99", "25", 9);
  assert_tier(&s->terms[0].tiers[2], -1, NULL, SLAC_BOUND_BELOW, "99.9", "10", 8);
}

/* Overlapping tiers with the same credit, and a tier that a more severe
 * one covers, are errors under the keyword, in source order. */
static void test_most_severe_tier_errors(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of monthly fee, most severe tier applies {\n"
                        "    below 99.9% -> 10%\n"
                        "    below 99.5% and at or above 99% -> 10%\n"
                        "    below 99% -> 25%\n"
                        "    below 98% and above 97% -> 5%\n"
                        "  }\n"
                        "}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:9:5: error: this tier overlaps the tier on line 8 and gives the same credit, 10%: an "
      "uptime at or above 99% and below 99.5% would match both, and neither is more severe; "
      "merge them into one tier or give them different credits\n"
      "      below 99.5% and at or above 99% -> 10%\n"
      "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:11:5: error: this tier never applies: the tier on line 10 gives more credit (25%) for "
      "every uptime this one covers, and the most severe tier applies; remove it or change its "
      "bounds\n"
      "      below 98% and above 97% -> 5%\n"
      "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
  assert_int_equal(f->d.errors, 2);
  assert_int_equal(f->d.warnings, 0);
}

/* Without the keyword, the overlap error says what to write, with the
 * schedule's own base. */
static void test_overlap_error_names_the_keyword(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of charges of affected services {\n"
                        "    below 99.9% -> 10%\n"
                        "    below 99% -> 25%\n"
                        "  }\n"
                        "}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:7:3: note: if the contract means that the most severe tier applies, write "
      "`credit of charges of affected services, most severe tier applies` here\n"
      "    credit of charges of affected services {\n"
      "    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:9:5: error: this tier overlaps the tier on line 8: an uptime at or above 0% and "
      "below 99% would match both (if the contract means that the most severe tier applies, "
      "write `credit of charges of affected services, most severe tier applies {`)\n"
      "      below 99% -> 25%\n"
      "      ^~~~~~~~~~~~~~~~\n");
}

static void test_gap_warning_keeps_the_model(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  credit of monthly fee {\n"
                        "    below 99.5% -> 10%\n"
                        "  }\n"
                        "}\n");
  assert_non_null(m);
  assert_int_equal(f->d.warnings, 1);
  assert_string_equal(diags(f),
                      "t.sla:5:12: warning: gap between the commitment and the first credit tier: "
                      "an uptime at or above 99.5% and below 99.9% misses the commitment of 99.9% "
                      "but no tier gives credit\n"
                      "      commit 99.9%\n"
                      "             ^~~~~\n");
}

static void test_werror_gives_no_model(void **state) {
  fixture *f = *state;
  f->d.werror = true;
  slac_model *m = check(f, HEAD SVC CREDIT "  count outage\n}\n");
  assert_null(m);
  assert_int_equal(f->d.errors, 1);
  assert_int_equal(f->d.warnings, 0);
  assert_string_equal(diags(f), "t.sla:11:9: error: 'outage' always counts as downtime; this line "
                                "changes nothing [--werror]\n"
                                "    count outage\n"
                                "          ^~~~~~\n");
}

static void test_shared_schedule_is_reported_once(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  service web \"Web\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.5%\n"
                        "  }\n"
                        "  credit of monthly fee {\n"
                        "    below 99.9% and at or above 99.0% -> 150%\n"
                        "    below 99.0% -> 25%\n"
                        "  }\n"
                        "}\n");
  assert_null(m);
  assert_int_equal(f->d.errors, 1);
  assert_string_equal(diags(f), "t.sla:12:42: error: 150% is outside 0%..100%\n"
                                "      below 99.9% and at or above 99.0% -> 150%\n"
                                "                                           ^~~~\n");
}

static void test_per_service_warnings_name_the_service(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  service web \"Web\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.0%\n"
                        "  }\n" CREDIT "}\n");
  assert_non_null(m);
  assert_string_equal(diags(f), "t.sla:12:5: warning: this tier gives credit even when the "
                                "commitment of 99% of service 'web' is met\n"
                                "      below 99.9% and at or above 99.0% -> 10%\n"
                                "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

static void test_duplicate_service_is_checked_once(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC
                        "  service api \"API again\" {\n"
                        "    commit 200%\n"
                        "  }\n" CREDIT "}\n");
  assert_null(m);
  assert_string_equal(diags(f), "t.sla:7:11: error: service 'api' is defined twice (first on "
                                "line 3)\n"
                                "    service api \"API again\" {\n"
                                "            ^~~\n");
}

static void test_missing_clauses(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, "policy p version 0 {\n  service api \"API\" { }\n}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:1:8: error: the policy names no currency: add a line like `currency USD`\n"
      "  policy p version 0 {\n"
      "         ^\n"
      "t.sla:1:18: error: the version must be a whole number from 1 to 4294967295\n"
      "  policy p version 0 {\n"
      "                   ^\n"
      "t.sla:2:11: error: service 'api' says nothing about how uptime is measured: add "
      "`measure unavailable minutes` or `measure average error rate over 5 min windows`\n"
      "    service api \"API\" { }\n"
      "            ^~~\n"
      "t.sla:2:11: error: service 'api' has no commitment: add a line like `commit 99.9%`\n"
      "    service api \"API\" { }\n"
      "            ^~~\n"
      "t.sla:2:11: warning: service 'api' has no credit schedule: missing its commitment "
      "never gives credit\n"
      "    service api \"API\" { }\n"
      "            ^~~\n");
}

static void test_syntax_errors_silence_missing_clauses(void **state) {
  fixture *f = *state;
  /* the measure and the currency are lost to syntax errors: saying that
   * they are missing would be wrong */
  slac_model *m = check(f, "policy p version 1 {\n"
                           "  currency USD EUR\n"
                           "  service api \"API\" {\n"
                           "    measure unavailable minute\n"
                           "    commit 99.9%\n"
                           "  }\n" CREDIT "}\n");
  assert_null(m);
  assert_int_equal(f->d.errors, 2);
  assert_int_equal(f->d.warnings, 0);
}

static void test_currencies(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, "policy p version 1 {\n  currency USD, eur, EURO, USD, JPY\n" SVC CREDIT
                           "  issue credit only if amount at least 1 GBP or 100 JPY or 2 JPY\n"
                           "}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:2:17: error: unknown currency 'eur': ISO 4217 codes are upper case, write EUR\n"
      "    currency USD, eur, EURO, USD, JPY\n"
      "                  ^~~\n"
      "t.sla:2:22: error: unknown currency 'EURO': use an ISO 4217 code like USD, EUR or JPY\n"
      "    currency USD, eur, EURO, USD, JPY\n"
      "                       ^~~~\n"
      "t.sla:2:28: error: currency USD is listed twice\n"
      "    currency USD, eur, EURO, USD, JPY\n"
      "                             ^~~\n"
      "t.sla:11:40: error: GBP is not a currency of this policy: add it to `currency`\n"
      "    issue credit only if amount at least 1 GBP or 100 JPY or 2 JPY\n"
      "                                         ^~~~~\n"
      "t.sla:11:60: error: a second minimum for JPY in the same clause\n"
      "    issue credit only if amount at least 1 GBP or 100 JPY or 2 JPY\n"
      "                                                             ^~~~~\n");
}

static void test_cause_rules_conflict(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.9%\n"
                        "    exclude customer\n"
                        "  }\n" CREDIT
                        "  exclude customer, outage\n"
                        "  count beta, beta\n"
                        "}\n");
  assert_null(m);
  assert_string_equal(diags(f),
                      "t.sla:6:13: error: cause 'customer' is already excluded for every service on line "
                      "12\n"
                      "      exclude customer\n"
                      "              ^~~~~~~~\n"
                      "t.sla:12:21: error: 'outage' always counts as downtime and cannot be excluded\n"
                      "    exclude customer, outage\n"
                      "                      ^~~~~~\n"
                      "t.sla:13:15: error: cause 'beta' is already counted on line 13\n"
                      "    count beta, beta\n"
                      "                ^~~~\n");
}

static void test_measure_limits(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service a \"A\" {\n"
                        "    measure average error rate over 7 min windows, empty windows count as 1% errors\n"
                        "    commit 99.9%\n"
                        "  }\n"
                        "  service b \"B\" {\n"
                        "    measure unavailable minutes {\n"
                        "      minute unavailable when error rate below 5% with at least 1.5 requests\n"
                        "      downtime counts only in runs of at least 30 s\n"
                        "    }\n"
                        "    commit 99.9%\n"
                        "  }\n"
                        "  service c \"C\" {\n"
                        "    measure unavailable minutes {\n"
                        "      downtime counts only in runs of at least 32 days\n"
                        "    }\n"
                        "    commit 99.9%\n"
                        "  }\n" CREDIT
                        "  exclude maintenance up to 745 h per month\n"
                        "}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:4:37: error: a window must be whole minutes that divide a day evenly (1, 5, "
      "10, 15, 30, 60 min, ... 24 h)\n"
      "      measure average error rate over 7 min windows, empty windows count as 1% "
      "errors\n"
      "                                      ^~~~~\n"
      "t.sla:4:75: error: an empty window counts as 0% errors or is left out; write `count "
      "as 0% errors` or `are left out`\n"
      "      measure average error rate over 7 min windows, empty windows count as 1% "
      "errors\n"
      "                                                                            ^~\n"
      "t.sla:9:42: error: a minute is unavailable when its error rate is high: use `above` "
      "or `at or above`\n"
      "        minute unavailable when error rate below 5% with at least 1.5 requests\n"
      "                                           ^~~~~~~~\n"
      "t.sla:9:65: error: the number of requests must be a whole number from 1 to 4294967295\n"
      "        minute unavailable when error rate below 5% with at least 1.5 requests\n"
      "                                                                  ^~~\n"
      "t.sla:10:48: error: a run is at least 1 min long\n"
      "        downtime counts only in runs of at least 30 s\n"
      "                                                 ^~~~\n"
      "t.sla:16:48: error: a run of 32 days is longer than any calendar month\n"
      "        downtime counts only in runs of at least 32 days\n"
      "                                                 ^~~~~~~\n"
      "t.sla:24:29: error: a cap of 745 h is longer than any calendar month (31 days at "
      "most)\n"
      "    exclude maintenance up to 745 h per month\n"
      "                              ^~~~~\n");
}

static void test_unused_cause_and_duplicate_plan(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD SVC CREDIT
                        "  cause planned \"Planned\"\n"
                        "  not eligible when plan in { \"Free\", \"Free\" } or plan is \"X\"\n"
                        "  credits never exceed 0% of monthly fee\n"
                        "}\n");
  assert_non_null(m); /* warnings only */
  assert_int_equal(f->d.warnings, 3);
  assert_string_equal(diags(f),
                      "t.sla:11:9: warning: cause 'planned' is declared but neither excluded nor counted: "
                      "add `exclude planned` or `count planned`\n"
                      "    cause planned \"Planned\"\n"
                      "          ^~~~~~~\n"
                      "t.sla:12:39: warning: plan \"Free\" is listed twice\n"
                      "    not eligible when plan in { \"Free\", \"Free\" } or plan is \"X\"\n"
                      "                                        ^~~~~~\n"
                      "t.sla:13:24: warning: credits never exceed 0%: no credit is ever given\n"
                      "    credits never exceed 0% of monthly fee\n"
                      "                         ^~\n");
}

/* The model of the language's second version: terms in source order
 * with their commitments and schedules, error kinds, caps per quarter
 * and notices, the cap over a period, calendar deadlines, caveats. */
static void test_v2_model(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, "policy p version 1 {\n"
                           "currency USD\n"
                           "credit of service charge { below 99% -> 5% }\n"
                           "service vm \"VM\" {\n"
                           "  measure unavailable minutes { minute unavailable when error rate above 5% with at least 10 requests }\n"
                           "  ignore errors of kind throttled\n"
                           "  terms for plan \"A\" { commit 99.9% credit of service charge { below 99.9% -> 10% } }\n"
                           "  default terms { commit 99% }\n"
                           "}\n"
                           "exclude maintenance up to 4 h per calendar quarter announced at least 24 h ahead\n"
                           "credits never exceed 100% of monthly fee\n"
                           "credits never exceed 50% of fees per 12 months\n"
                           "caveat \"Future payments only.\"\n"
                           "claim required {\n"
                           "  ticket within 3 months of interruption\n"
                           "  claim within 10 days after end of billing month\n"
                           "}\n"
                           "}");
  assert_non_null(m);
  assert_string_equal(diags(f), "");
  assert_int_equal(m->base, SLAC_BASE_SERVICE_CHARGE);
  const slac_model_service *s = &m->services[0];
  assert_int_equal(s->kinds_mode, SLAC_KINDS_IGNORE);
  assert_string_equal(s->kinds->names->text, "throttled");
  assert_int_equal(s->nterms, 2);
  assert_false(s->terms[0].is_default);
  assert_num(s->terms[0].commit, "99.9");
  assert_int_equal(s->terms[0].ntiers, 1);
  assert_num(s->terms[0].tiers[0].credit, "10");
  assert_true(s->terms[1].is_default);
  assert_num(s->terms[1].commit, "99");
  /* the default terms have no schedule of their own: the policy's */
  assert_int_equal(s->terms[1].credit->loc.first_line, 3);
  assert_num(s->terms[1].tiers[0].credit, "5");
  int c = 0;
  while (c < m->ncauses && strcmp(m->causes[c].name, "maintenance") != 0) c++;
  assert_true(c < m->ncauses);
  assert_int_equal(s->rules[c].mode, SLAC_CAUSE_CAPPED);
  assert_int_equal(s->rules[c].cap_seconds, 4 * 3600);
  assert_int_equal(s->rules[c].cap_months, 3);
  assert_int_equal(s->rules[c].notice_seconds, 86400);
  assert_non_null(m->maximum);
  assert_num(m->maximum_percent, "100");
  assert_non_null(m->period_cap);
  assert_num(m->period_cap_percent, "50");
  assert_int_equal(m->period_cap_months, 12);
  assert_true(m->period_cap_rolling);
  assert_int_equal(m->ncaveats, 1);
  assert_int_equal(m->nnotes, 0);
  assert_int_equal(m->claim_ticket.kind, SLAC_DEADLINE_MONTHS);
  assert_int_equal(m->claim_ticket.value, 3);
  assert_int_equal(m->claim_sent.kind, SLAC_DEADLINE_AFTER_MONTH_END);
  assert_int_equal(m->claim_sent.value, 10 * 86400);
}

static void test_base_mismatch(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.9%\n"
                        "    credit of charges of affected services {\n"
                        "      below 99.9% -> 10%\n"
                        "    }\n"
                        "  }\n" CREDIT "}\n");
  assert_null(m);
  assert_string_equal(diags(f),
                      "t.sla:6:5: error: every credit schedule of a policy must use the same "
                      "base: this one credits the charges of affected services, the one on line "
                      "10 the monthly fee\n"
                      "      credit of charges of affected services {\n"
                      "      ^~~~~~\n");
}

static void test_numbers_beyond_exact_range(void **state) {
  fixture *f = *state;
  slac_model *m = check(f, HEAD
                        "  service api \"API\" {\n"
                        "    measure unavailable minutes\n"
                        "    commit 99.0000000000001%\n"
                        "  }\n" CREDIT
                        "  exclude maintenance up to 10000000000000000000 weeks per month\n"
                        "  issue credit only if amount greater than 1000000000000000000000000 USD\n"
                        "}\n");
  assert_null(m);
  assert_string_equal(
      diags(f),
      "t.sla:5:12: error: 99.0000000000001: more than 12 digits after the point\n"
      "      commit 99.0000000000001%\n"
      "             ^~~~~~~~~~~~~~~~~\n"
      "t.sla:11:29: error: this duration is too long\n"
      "    exclude maintenance up to 10000000000000000000 weeks per month\n"
      "                              ^~~~~~~~~~~~~~~~~~~~~~~~~~\n"
      "t.sla:12:44: error: 1000000000000000000000000: number too large (at most 24 digits "
      "before the point)\n"
      "    issue credit only if amount greater than 1000000000000000000000000 USD\n"
      "                                             ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_saleor_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_piwik_pro_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_tagoio_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_service_rules_override_the_policy, setup, teardown),
      cmocka_unit_test_setup_teardown(test_minute_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_rate_windows, setup, teardown),
      cmocka_unit_test_setup_teardown(test_tiers_are_sorted_by_lower_bound, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gap_of_one_value, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cites_text, setup, teardown),
      cmocka_unit_test_setup_teardown(test_maximum, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors_give_no_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_undefined_causes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_units_and_ranges, setup, teardown),
      cmocka_unit_test_setup_teardown(test_schedule_shape, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gap_warning_keeps_the_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_most_severe_tiers_in_severity_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_most_severe_tier_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_overlap_error_names_the_keyword, setup, teardown),
      cmocka_unit_test_setup_teardown(test_werror_gives_no_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shared_schedule_is_reported_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_per_service_warnings_name_the_service, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_duplicate_service_is_checked_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_clauses, setup, teardown),
      cmocka_unit_test_setup_teardown(test_syntax_errors_silence_missing_clauses, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_currencies, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cause_rules_conflict, setup, teardown),
      cmocka_unit_test_setup_teardown(test_measure_limits, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unused_cause_and_duplicate_plan, setup, teardown),
      cmocka_unit_test_setup_teardown(test_base_mismatch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_v2_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numbers_beyond_exact_range, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
