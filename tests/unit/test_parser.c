/* test_parser.c - unit tests of grammar/parser.y through slac_parse():
 * the AST it builds (kinds, names, literals with their units, source
 * ranges), the syntax errors it reports (exact text) and its recovery,
 * which reports several independent mistakes in one run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/ast.h"
#include "grammar/frontend.h"

/* ------------------------------------------------------------------ */
/* Fixture: diagnostics into memory, the source and the tree            */
/* ------------------------------------------------------------------ */

typedef struct {
  char *buf;
  size_t size;
  FILE *out;
  slac_diags d;
  slac_source src;
  slac_policy *p;
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
  slac_ast_free_policy(f->p);
  slac_source_free(&f->src);
  fclose(f->out);
  free(f->buf);
  free(f);
  return 0;
}

static slac_policy *parse(fixture *f, const char *text) {
  assert_int_equal(slac_source_from_text(&f->src, "t.sla", text, strlen(text), &f->d), 0);
  f->p = slac_parse(&f->src, &f->d);
  return f->p;
}

static const char *diags(fixture *f) {
  fflush(f->out);
  return f->buf ? f->buf : "";
}

static void assert_loc(slac_loc loc, int l1, int c1, int l2, int c2) {
  assert_int_equal(loc.first_line, l1);
  assert_int_equal(loc.first_column, c1);
  assert_int_equal(loc.last_line, l2);
  assert_int_equal(loc.last_column, c2);
}

static const slac_clause *nth_clause(const slac_clause *c, int n) {
  while (c && n-- > 0) c = c->next;
  assert_non_null(c);
  return c;
}

static int count_clauses(const slac_clause *c) {
  int n = 0;
  for (; c; c = c->next) n++;
  return n;
}

static void assert_qty(const slac_quantity *q, const char *text, slac_unit unit) {
  assert_non_null(q->text);
  assert_string_equal(q->text, text);
  assert_int_equal(q->unit, unit);
}

/* A policy that uses every clause of the language. */
static const char full_policy[] =
    "policy acme \"Acme Cloud\" version 2 {\n"                                   /* 1 */
    "  provider \"Acme Inc.\" §1\n"                                              /* 2 */
    "  currency USD, EUR\n"                                                      /* 3 */
    "  period calendar month in UTC §2\n"                                        /* 4 */
    "  service api \"Storage API\" {\n"                                          /* 5 */
    "    measure unavailable minutes §3 {\n"                                     /* 6 */
    "      minute unavailable when error rate at or above 5% with at least 10 requests\n"
    "      downtime counts only in runs of at least 5 min\n"                     /* 8 */
    "    }\n"                                                                    /* 9 */
    "    commit 99.9% §4\n"                                                      /* 10 */
    "    exclude maintenance up to 30 min per month\n"                           /* 11 */
    "  }\n"                                                                      /* 12 */
    "  service web \"Web\" {\n"                                                  /* 13 */
    "    measure average error rate over 5 min windows, empty windows are left out\n"
    "    commit 99.5%\n"                                                         /* 15 */
    "    credit of charges of affected services {\n"                             /* 16 */
    "      below 99.5% -> 10%\n"                                                 /* 17 */
    "    }\n"                                                                    /* 18 */
    "  }\n"                                                                      /* 19 */
    "  credit of monthly fee §5 {\n"                                             /* 20 */
    "    below 99.9% and at or above 99.0% -> 10% §5(a)\n"                       /* 21 */
    "    at or below 98.9% -> 30%\n"                                             /* 22 */
    "  }\n"                                                                      /* 23 */
    "  cause planned \"Planned work\"\n"                                         /* 24 */
    "  exclude customer, planned §6 §\"Exclusions\"(ii)\n"                       /* 25 */
    "  count third_party\n"                                                      /* 26 */
    "  not eligible when plan in { \"Free\", \"Starter\" } or standing is overdue\n"
    "  eligible only when not (plan is \"Trial\" and standing is good)\n"        /* 28 */
    "  issue credit only if amount at least 1.00 USD or 1.50 EUR §7\n"           /* 29 */
    "  credits never exceed 50% of monthly fee\n"                                /* 30 */
    "  note \"Credits are final.\"\n"                                            /* 31 */
    "}\n";

/* ------------------------------------------------------------------ */
/* The tree                                                             */
/* ------------------------------------------------------------------ */

static void test_policy_header(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_string_equal(diags(f), "");
  assert_non_null(p);
  assert_false(p->incomplete);
  assert_string_equal(p->id, "acme");
  assert_loc(p->id_loc, 1, 8, 1, 12);
  assert_string_equal(p->title, "Acme Cloud");
  assert_qty(&p->version, "2", SLAC_UNIT_NONE);
  assert_loc(p->version.loc, 1, 34, 1, 35);
  assert_loc(p->loc, 1, 1, 32, 2);
  assert_int_equal(count_clauses(p->clauses), 14);
}

static void test_clauses_in_source_order(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  static const struct { slac_clause_kind kind; int line; } want[] = {
      {SLAC_CL_PROVIDER, 2},     {SLAC_CL_CURRENCY, 3},     {SLAC_CL_PERIOD, 4},
      {SLAC_CL_SERVICE, 5},      {SLAC_CL_SERVICE, 13},     {SLAC_CL_CREDIT, 20},
      {SLAC_CL_CAUSE, 24},       {SLAC_CL_EXCLUDE, 25},     {SLAC_CL_COUNT, 26},
      {SLAC_CL_NOT_ELIGIBLE, 27}, {SLAC_CL_ELIGIBLE_ONLY, 28}, {SLAC_CL_MINIMUM, 29},
      {SLAC_CL_MAXIMUM, 30},     {SLAC_CL_NOTE, 31},
  };
  const slac_clause *c = p->clauses;
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++, c = c->next) {
    assert_non_null(c);
    assert_int_equal(c->kind, want[i].kind);
    assert_int_equal(c->loc.first_line, want[i].line);
    assert_int_equal(c->key_loc.first_line, want[i].line);
    assert_int_equal(c->key_loc.first_column, 3);
  }
}

static void test_provider_currency_period(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  const slac_clause *prov = nth_clause(p->clauses, 0);
  assert_string_equal(prov->text, "Acme Inc.");
  assert_loc(prov->text_loc, 2, 12, 2, 23);
  assert_non_null(prov->cites);
  assert_string_equal(prov->cites->text, "§1");
  assert_loc(prov->cites->loc, 2, 24, 2, 26);
  assert_null(prov->cites->next);
  assert_loc(prov->loc, 2, 3, 2, 26); /* the clause, citations included */

  const slac_clause *cur = nth_clause(p->clauses, 1);
  assert_string_equal(cur->names->text, "USD");
  assert_loc(cur->names->loc, 3, 12, 3, 15);
  assert_string_equal(cur->names->next->text, "EUR");
  assert_loc(cur->names->next->loc, 3, 17, 3, 20);
  assert_null(cur->names->next->next);
  assert_null(cur->cites);

  const slac_clause *per = nth_clause(p->clauses, 2);
  assert_string_equal(per->cites->text, "§2");
  assert_loc(per->loc, 4, 3, 4, 34);
}

static void test_service_with_minute_rules(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  const slac_clause *s = nth_clause(p->clauses, 3);
  assert_string_equal(s->id, "api");
  assert_loc(s->id_loc, 5, 11, 5, 14);
  assert_string_equal(s->text, "Storage API");
  assert_loc(s->text_loc, 5, 15, 5, 28);
  assert_loc(s->loc, 5, 3, 12, 4);
  assert_int_equal(count_clauses(s->body), 3);

  const slac_clause *m = nth_clause(s->body, 0);
  assert_int_equal(m->kind, SLAC_CL_MEASURE);
  assert_int_equal(m->metric, SLAC_METRIC_MINUTES);
  assert_loc(m->key_loc, 6, 5, 6, 12);
  assert_loc(m->loc, 6, 5, 9, 6); /* its block included */
  assert_string_equal(m->cites->text, "§3");
  assert_true(m->has_rate_rule);
  assert_int_equal(m->rate_bound.kind, SLAC_BOUND_AT_OR_ABOVE);
  assert_loc(m->rate_bound.loc, 7, 42, 7, 56);
  assert_qty(&m->rate_bound.value, "5", SLAC_UNIT_PERCENT);
  assert_loc(m->rate_bound.value.loc, 7, 54, 7, 56);
  assert_qty(&m->min_requests, "10", SLAC_UNIT_NONE);
  assert_loc(m->min_requests.loc, 7, 71, 7, 73);
  assert_true(m->has_run_rule);
  assert_qty(&m->min_run, "5", SLAC_UNIT_DURATION);
  assert_int_equal(m->min_run.unit_seconds, 60);
  assert_loc(m->min_run.loc, 8, 48, 8, 53);
  assert_false(m->has_empty);

  const slac_clause *c = nth_clause(s->body, 1);
  assert_int_equal(c->kind, SLAC_CL_COMMIT);
  assert_qty(&c->value, "99.9", SLAC_UNIT_PERCENT);
  assert_loc(c->value.loc, 10, 12, 10, 17);
  assert_string_equal(c->cites->text, "§4");

  const slac_clause *e = nth_clause(s->body, 2);
  assert_int_equal(e->kind, SLAC_CL_EXCLUDE);
  assert_string_equal(e->names->text, "maintenance");
  assert_null(e->names->next);
  assert_true(e->capped);
  assert_qty(&e->value, "30", SLAC_UNIT_DURATION);
  assert_int_equal(e->value.unit_seconds, 60);
  assert_loc(e->value.loc, 11, 31, 11, 37);
}

static void test_service_with_error_rate_and_own_schedule(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  const slac_clause *s = nth_clause(p->clauses, 4);
  assert_string_equal(s->id, "web");
  const slac_clause *m = nth_clause(s->body, 0);
  assert_int_equal(m->metric, SLAC_METRIC_ERROR_RATE);
  assert_qty(&m->window, "5", SLAC_UNIT_DURATION);
  assert_loc(m->window.loc, 14, 37, 14, 42);
  assert_true(m->has_empty);
  assert_int_equal(m->empty, SLAC_EMPTY_LEFT_OUT);
  assert_null(m->empty_percent.text);
  assert_false(m->has_rate_rule);
  assert_false(m->has_run_rule);

  const slac_clause *cr = nth_clause(s->body, 2);
  assert_int_equal(cr->kind, SLAC_CL_CREDIT);
  assert_int_equal(cr->base, SLAC_BASE_AFFECTED_CHARGES);
  assert_non_null(cr->tiers);
  assert_null(cr->tiers->next);
  assert_int_equal(cr->tiers->nbounds, 1);
  assert_int_equal(cr->tiers->bounds[0].kind, SLAC_BOUND_BELOW);
  assert_qty(&cr->tiers->bounds[0].value, "99.5", SLAC_UNIT_PERCENT);
  assert_qty(&cr->tiers->credit, "10", SLAC_UNIT_PERCENT);
}

/* "most severe tier applies" is kept on the credit clause, with where it
 * is written (for the formatter), and the tiers stay as written. */
static void test_most_severe_tier_applies(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n"
                            "credit of monthly fee, most severe tier applies §4 {\n"
                            "  below 99.99% -> 10%\n"
                            "  below 99% -> 25% §4(b)\n"
                            "  below 95% -> 100%\n"
                            "}\n"
                            "service s \"S\" { credit of charges of affected services { below 99% -> 5% } }\n"
                            "}");
  assert_non_null(p);
  assert_string_equal(diags(f), "");
  const slac_clause *cr = nth_clause(p->clauses, 0);
  assert_int_equal(cr->kind, SLAC_CL_CREDIT);
  assert_int_equal(cr->base, SLAC_BASE_MONTHLY_FEE);
  assert_true(cr->most_severe);
  assert_loc(cr->most_severe_loc, 2, 24, 2, 48);
  assert_loc(cr->key_loc, 2, 1, 2, 7);
  assert_string_equal(cr->cites->text, "§4");
  assert_null(cr->cites->next);
  const slac_tier *t = cr->tiers;
  assert_qty(&t->bounds[0].value, "99.99", SLAC_UNIT_PERCENT);
  assert_qty(&t->credit, "10", SLAC_UNIT_PERCENT);
  assert_null(t->cites);
  t = t->next;
  assert_qty(&t->bounds[0].value, "99", SLAC_UNIT_PERCENT);
  assert_qty(&t->credit, "25", SLAC_UNIT_PERCENT);
  assert_string_equal(t->cites->text, "§4(b)");
  t = t->next;
  assert_int_equal(t->bounds[0].kind, SLAC_BOUND_BELOW);
  assert_qty(&t->bounds[0].value, "95", SLAC_UNIT_PERCENT);
  assert_qty(&t->credit, "100", SLAC_UNIT_PERCENT);
  assert_null(t->next);
  /* without the words: not set */
  const slac_clause *own = nth_clause(p->clauses, 1)->body;
  assert_int_equal(own->kind, SLAC_CL_CREDIT);
  assert_false(own->most_severe);
}

/* The words are a fixed phrase: a missing one is a syntax error that
 * names it, and the schedule is still read. */
/* The constructs of the language's second version, in the tree. */
static void test_v2_constructs(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n"
                            "service vm \"VM\" {\n"
                            "  measure average error rate over 5 min windows\n"
                            "  count only errors of kind internal, unavailable §2\n"
                            "  terms for plans \"A\", \"B\" §3 { commit 99.9% credit of service charge { below 99.9% -> 10% } }\n"
                            "  default terms for plan \"C\" { commit 99% }\n"
                            "  default terms { commit 98% }\n"
                            "  ignore errors of kind error\n"
                            "}\n"
                            "exclude maintenance up to 4 h per calendar quarter announced at least 24 h ahead §5\n"
                            "exclude beta announced at least 2 days ahead\n"
                            "credits never exceed 50% of fees per calendar year §7\n"
                            "credits never exceed 30% of monthly fee per 12 months\n"
                            "caveat \"Future payments only.\" §8\n"
                            "claim required {\n"
                            "  ticket within 2 months of interruption\n"
                            "  claim by end of 2nd billing month after interruption\n"
                            "}\n"
                            "}");
  assert_non_null(p);
  assert_string_equal(diags(f), "");
  const slac_clause *svc = nth_clause(p->clauses, 0)->body;
  const slac_clause *k = nth_clause(svc, 1);
  assert_int_equal(k->kind, SLAC_CL_KINDS);
  assert_false(k->ignore_kinds);
  assert_string_equal(k->names->text, "internal");
  assert_string_equal(k->names->next->text, "unavailable");
  assert_string_equal(k->cites->text, "§2");
  const slac_clause *t = nth_clause(svc, 2);
  assert_int_equal(t->kind, SLAC_CL_TERMS);
  assert_false(t->is_default);
  assert_string_equal(t->names->text, "A");
  assert_string_equal(t->names->next->text, "B");
  assert_int_equal(t->body->kind, SLAC_CL_COMMIT);
  assert_int_equal(t->body->next->kind, SLAC_CL_CREDIT);
  assert_int_equal(t->body->next->base, SLAC_BASE_SERVICE_CHARGE);
  t = nth_clause(svc, 3);
  assert_true(t->is_default);
  assert_string_equal(t->names->text, "C");
  t = nth_clause(svc, 4);
  assert_true(t->is_default);
  assert_null(t->names);
  k = nth_clause(svc, 5);
  assert_true(k->ignore_kinds);
  assert_string_equal(k->names->text, "error");
  const slac_clause *ex = nth_clause(p->clauses, 1);
  assert_int_equal(ex->kind, SLAC_CL_EXCLUDE);
  assert_true(ex->capped);
  assert_int_equal(ex->cap_months, 3);
  assert_qty(&ex->value, "4", SLAC_UNIT_DURATION);
  assert_true(ex->has_notice);
  assert_qty(&ex->notice, "24", SLAC_UNIT_DURATION);
  assert_string_equal(ex->cites->text, "§5");
  ex = nth_clause(p->clauses, 2);
  assert_false(ex->capped);
  assert_true(ex->has_notice);
  assert_qty(&ex->notice, "2", SLAC_UNIT_DURATION);
  const slac_clause *mx = nth_clause(p->clauses, 3);
  assert_int_equal(mx->kind, SLAC_CL_MAXIMUM);
  assert_int_equal(mx->base, SLAC_BASE_PERIOD_FEES);
  assert_int_equal(mx->cap_months, 12);
  assert_false(mx->rolling);
  mx = nth_clause(p->clauses, 4);
  assert_int_equal(mx->base, SLAC_BASE_MONTHLY_FEE);
  assert_true(mx->rolling);
  assert_qty(&mx->period_len, "12", SLAC_UNIT_MONTHS);
  const slac_clause *cv = nth_clause(p->clauses, 5);
  assert_int_equal(cv->kind, SLAC_CL_CAVEAT);
  assert_string_equal(cv->text, "Future payments only.");
  const slac_clause *cl = nth_clause(p->clauses, 6);
  assert_int_equal(cl->kind, SLAC_CL_CLAIM);
  assert_qty(&cl->ticket_within, "2", SLAC_UNIT_MONTHS);
  assert_false(cl->ticket_end_of_month);
  assert_qty(&cl->claim_within, "2", SLAC_UNIT_ORDINAL);
  assert_true(cl->claim_end_of_month);
}

static void test_most_severe_phrase_incomplete(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n"
                            "credit of monthly fee, most severe tier { below 99% -> 25% }\n"
                            "}");
  assert_non_null(p);
  assert_string_equal(diags(f),
                      "t.sla:2:41: error: syntax error, unexpected '{', expecting 'applies'\n"
                      "  credit of monthly fee, most severe tier { below 99% -> 25% }\n"
                      "                                          ^\n");
}

static void test_empty_windows_count_as(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 { service s \"S\" {\n"
                            "measure average error rate over 15 min windows, empty windows count as 0% errors §D\n"
                            "} }");
  assert_string_equal(diags(f), "");
  const slac_clause *m = p->clauses->body;
  assert_int_equal(m->metric, SLAC_METRIC_ERROR_RATE);
  assert_qty(&m->window, "15", SLAC_UNIT_DURATION);
  assert_true(m->has_empty);
  assert_int_equal(m->empty, SLAC_EMPTY_ZERO);
  assert_qty(&m->empty_percent, "0", SLAC_UNIT_PERCENT);
  assert_loc(m->empty_percent.loc, 2, 72, 2, 74);
  assert_string_equal(m->cites->text, "§D");
}

static void test_tiers_keep_their_order_and_bounds(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  const slac_clause *cr = nth_clause(p->clauses, 5);
  assert_int_equal(cr->kind, SLAC_CL_CREDIT);
  assert_int_equal(cr->base, SLAC_BASE_MONTHLY_FEE);
  assert_string_equal(cr->cites->text, "§5");
  const slac_tier *t = cr->tiers;
  assert_int_equal(t->nbounds, 2);
  assert_int_equal(t->bounds[0].kind, SLAC_BOUND_BELOW);
  assert_qty(&t->bounds[0].value, "99.9", SLAC_UNIT_PERCENT);
  assert_loc(t->bounds[0].loc, 21, 5, 21, 16);
  assert_int_equal(t->bounds[1].kind, SLAC_BOUND_AT_OR_ABOVE);
  assert_qty(&t->bounds[1].value, "99.0", SLAC_UNIT_PERCENT);
  assert_loc(t->bounds[1].loc, 21, 21, 21, 38);
  assert_qty(&t->credit, "10", SLAC_UNIT_PERCENT);
  assert_loc(t->credit.loc, 21, 42, 21, 45);
  assert_string_equal(t->cites->text, "§5(a)");
  assert_loc(t->loc, 21, 5, 21, 51);
  t = t->next;
  assert_int_equal(t->nbounds, 1);
  assert_int_equal(t->bounds[0].kind, SLAC_BOUND_AT_OR_BELOW);
  assert_qty(&t->bounds[0].value, "98.9", SLAC_UNIT_PERCENT);
  assert_qty(&t->credit, "30", SLAC_UNIT_PERCENT);
  assert_null(t->cites);
  assert_null(t->next);
}

static void test_causes_exclusions_and_counts(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  const slac_clause *cause = nth_clause(p->clauses, 6);
  assert_string_equal(cause->id, "planned");
  assert_loc(cause->id_loc, 24, 9, 24, 16);
  assert_string_equal(cause->text, "Planned work");

  const slac_clause *ex = nth_clause(p->clauses, 7);
  assert_false(ex->capped);
  assert_null(ex->value.text);
  assert_string_equal(ex->names->text, "customer");
  assert_loc(ex->names->loc, 25, 11, 25, 19);
  assert_string_equal(ex->names->next->text, "planned");
  assert_loc(ex->names->next->loc, 25, 21, 25, 28);
  assert_string_equal(ex->cites->text, "§6");
  assert_string_equal(ex->cites->next->text, "§Exclusions(ii)");
  assert_loc(ex->cites->next->loc, 25, 32, 25, 49);

  const slac_clause *count = nth_clause(p->clauses, 8);
  assert_string_equal(count->names->text, "third_party");
  assert_null(count->names->next);
}

static void test_eligibility_conditions(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  /* plan in { "Free", "Starter" } or standing is overdue */
  const slac_cond *k = nth_clause(p->clauses, 9)->cond;
  assert_int_equal(k->kind, SLAC_COND_OR);
  assert_int_equal(k->depth, 2);
  assert_loc(k->loc, 27, 21, 27, 73);
  assert_int_equal(k->lhs->kind, SLAC_COND_PLAN_IN);
  assert_int_equal(k->lhs->depth, 1);
  assert_string_equal(k->lhs->plans->text, "Free");
  assert_loc(k->lhs->plans->loc, 27, 31, 27, 37);
  assert_string_equal(k->lhs->plans->next->text, "Starter");
  assert_null(k->lhs->plans->next->next);
  assert_int_equal(k->rhs->kind, SLAC_COND_STANDING);
  assert_false(k->rhs->standing_good);
  assert_loc(k->rhs->loc, 27, 54, 27, 73);

  /* not (plan is "Trial" and standing is good) */
  k = nth_clause(p->clauses, 10)->cond;
  assert_int_equal(k->kind, SLAC_COND_NOT);
  assert_int_equal(k->depth, 3);
  assert_null(k->rhs);
  assert_loc(k->loc, 28, 22, 28, 64);
  const slac_cond *and = k->lhs;
  assert_int_equal(and->kind, SLAC_COND_AND);
  assert_loc(and->loc, 28, 27, 28, 63); /* inside the parentheses */
  assert_int_equal(and->lhs->kind, SLAC_COND_PLAN_IN);
  assert_string_equal(and->lhs->plans->text, "Trial");
  assert_null(and->lhs->plans->next);
  assert_int_equal(and->rhs->kind, SLAC_COND_STANDING);
  assert_true(and->rhs->standing_good);
}

static void test_and_binds_tighter_than_or(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n"
                            "  not eligible when standing is good or plan is \"A\" and not plan is \"B\"\n"
                            "}");
  assert_string_equal(diags(f), "");
  const slac_cond *k = p->clauses->cond;
  assert_int_equal(k->kind, SLAC_COND_OR);
  assert_int_equal(k->lhs->kind, SLAC_COND_STANDING);
  assert_int_equal(k->rhs->kind, SLAC_COND_AND);
  assert_int_equal(k->rhs->lhs->kind, SLAC_COND_PLAN_IN);
  assert_int_equal(k->rhs->rhs->kind, SLAC_COND_NOT);
  assert_string_equal(k->rhs->rhs->lhs->plans->text, "B");
}

static void test_minimum_maximum_note(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, full_policy);
  assert_non_null(p);
  const slac_clause *min = nth_clause(p->clauses, 11);
  assert_true(min->at_least);
  assert_int_equal(min->namounts, 2);
  assert_qty(&min->amounts[0], "1.00", SLAC_UNIT_MONEY);
  assert_string_equal(min->amounts[0].currency, "USD");
  assert_loc(min->amounts[0].loc, 29, 40, 29, 48);
  assert_qty(&min->amounts[1], "1.50", SLAC_UNIT_MONEY);
  assert_string_equal(min->amounts[1].currency, "EUR");
  assert_string_equal(min->cites->text, "§7");

  const slac_clause *max = nth_clause(p->clauses, 12);
  assert_qty(&max->value, "50", SLAC_UNIT_PERCENT);
  assert_int_equal(max->base, SLAC_BASE_MONTHLY_FEE);

  const slac_clause *note = nth_clause(p->clauses, 13);
  assert_string_equal(note->text, "Credits are final.");
  assert_null(note->next);
}

static void test_minimum_greater_than(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 { issue credit only if amount greater than 5 }");
  assert_string_equal(diags(f), "");
  const slac_clause *min = p->clauses;
  assert_false(min->at_least);
  assert_int_equal(min->namounts, 1);
  /* the checker, not the parser, says that 5 needs a currency */
  assert_qty(&min->amounts[0], "5", SLAC_UNIT_NONE);
}

static void test_units_are_not_checked_here(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1.5 { credits never exceed 10 min of monthly fee }");
  assert_string_equal(diags(f), "");
  assert_qty(&p->version, "1.5", SLAC_UNIT_NONE);
  assert_qty(&p->clauses->value, "10", SLAC_UNIT_DURATION);
}

static void test_many_tiers(void **state) {
  fixture *f = *state;
  /* lists are built in linear time and come out in source order */
  size_t n = 20000, len = 0, cap = 64 + n * 40;
  char *text = malloc(cap);
  assert_non_null(text);
  len += (size_t)snprintf(text + len, cap - len, "policy p version 1 { credit of monthly fee {\n");
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(text + len, cap - len, "below %zu%% -> 1%%\n", i);
  snprintf(text + len, cap - len, "} }\n");
  slac_policy *p = parse(f, text);
  free(text);
  assert_string_equal(diags(f), "");
  size_t i = 0;
  for (const slac_tier *t = p->clauses->tiers; t; t = t->next, i++) {
    char want[32];
    snprintf(want, sizeof want, "%zu", i);
    assert_string_equal(t->bounds[0].value.text, want);
    assert_int_equal(t->loc.first_line, (int)i + 2);
  }
  assert_int_equal(i, n);
}

/* ------------------------------------------------------------------ */
/* Syntax errors and recovery                                           */
/* ------------------------------------------------------------------ */

static void test_three_independent_mistakes(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy acme version 1 {\n"
                            "  currency USD\n"
                            "  service api \"Storage API\" {\n"
                            "    measure unavailable minute\n"
                            "    commit 99.9%\n"
                            "  }\n"
                            "  credit of monthly fee {\n"
                            "    below 99.9% and at or above 99.0% -> 10%\n"
                            "    below 99.0% 25%\n"
                            "  }\n"
                            "  exclude maintenance up to 10 min each month\n"
                            "  exclude customer\n"
                            "}\n");
  assert_string_equal(
      diags(f),
      "t.sla:4:25: error: syntax error, unexpected 'minute', expecting 'minutes'\n"
      "      measure unavailable minute\n"
      "                          ^~~~~~\n"
      "t.sla:9:17: error: syntax error, unexpected number, expecting 'and' or '->'\n"
      "      below 99.0% 25%\n"
      "                  ^~~\n"
      "t.sla:11:36: error: syntax error, unexpected name 'each', expecting 'per'\n"
      "    exclude maintenance up to 10 min each month\n"
      "                                     ^~~~\n");
  assert_int_equal(f->d.errors, 3);
  /* what could be read is kept, and the tree says that it is incomplete */
  assert_non_null(p);
  assert_true(p->incomplete);
  assert_int_equal(count_clauses(p->clauses), 4);
  const slac_clause *s = nth_clause(p->clauses, 1);
  assert_int_equal(count_clauses(s->body), 1);
  assert_int_equal(s->body->kind, SLAC_CL_COMMIT);
  const slac_clause *cr = nth_clause(p->clauses, 2);
  assert_non_null(cr->tiers);
  assert_null(cr->tiers->next);
  assert_string_equal(nth_clause(p->clauses, 3)->names->text, "customer");
}

static void test_missing_brace(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy acme version 1 {\n"
                            "  service api \"API\" {\n"
                            "    commit 99.9%\n"
                            "  credit of monthly fee {\n"
                            "    below 99.9% -> 10%\n"
                            "  }\n"
                            "}\n"
                            "\n");
  assert_null(p);
  assert_string_equal(diags(f), "t.sla:7:2: error: unexpected end of file: a '}' is missing, "
                                "probably for the '{' on line 2\n"
                                "  }\n"
                                "   ^\n");
}

static void test_missing_brace_without_a_guess(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy acme version 1 {\n  currency USD");
  assert_null(p);
  assert_string_equal(diags(f), "t.sla:2:15: error: unexpected end of file: the '{' on line 1 "
                                "is never closed\n"
                                "    currency USD\n"
                                "                ^\n");
}

static void test_one_brace_too_many(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy acme version 1 {\n  currency USD\n  }\n  note \"x\"\n}\n");
  assert_null(p);
  assert_string_equal(diags(f),
                      "t.sla:4:3: error: syntax error, unexpected 'note', expecting end of file "
                      "(the policy ends with the '}' on line 3: one '}' too many?)\n"
                      "    note \"x\"\n"
                      "    ^~~~\n");
}

static void test_no_policy(void **state) {
  fixture *f = *state;
  assert_null(parse(f, "// only a comment\n"));
  assert_string_equal(diags(f), "t.sla:1:1: error: no policy found: a policy starts with "
                                "`policy ID version N {`\n"
                                "  // only a comment\n"
                                "  ^\n");
}

static void test_misspelt_keyword(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n  service s \"S\" {\n    comit 99%\n  }\n}\n");
  assert_non_null(p);
  assert_string_equal(diags(f), "t.sla:3:5: error: syntax error, unexpected name 'comit' "
                                "(did you mean 'commit'?)\n"
                                "      comit 99%\n"
                                "      ^~~~~\n");
}

static void test_keyword_as_a_name(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n  cause rate \"R\"\n  note \"n\"\n}\n");
  assert_non_null(p);
  assert_string_equal(diags(f), "t.sla:2:9: error: syntax error, unexpected 'rate', expecting "
                                "name ('rate' is a word of the language: choose another name)\n"
                                "    cause rate \"R\"\n"
                                "          ^~~~\n");
  assert_int_equal(count_clauses(p->clauses), 1);
  assert_int_equal(p->clauses->kind, SLAC_CL_NOTE);
}

static void test_broken_policy_header_keeps_the_body(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy acme {\n  currency USD\n}\n");
  assert_string_equal(diags(f), "t.sla:1:13: error: syntax error, unexpected '{', expecting "
                                "'version'\n"
                                "  policy acme {\n"
                                "              ^\n");
  assert_non_null(p);
  assert_true(p->incomplete);
  assert_null(p->id);
  assert_int_equal(p->clauses->kind, SLAC_CL_CURRENCY);
}

static void test_broken_service_header_does_not_end_the_policy(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy acme version 1 {\n"
                            "  service \"API\" {\n"
                            "    commit 99.9%\n"
                            "    measure unavailable hours\n"
                            "  }\n"
                            "  currency USD\n"
                            "}\n");
  assert_string_equal(diags(f),
                      "t.sla:2:11: error: syntax error, unexpected string, expecting name\n"
                      "    service \"API\" {\n"
                      "            ^~~~~\n"
                      "t.sla:4:25: error: syntax error, unexpected name 'hours', expecting 'minutes'\n"
                      "      measure unavailable hours\n"
                      "                          ^~~~~\n");
  assert_non_null(p);
  assert_int_equal(count_clauses(p->clauses), 1);
  assert_int_equal(p->clauses->kind, SLAC_CL_CURRENCY);
}

static void test_bad_character_adds_no_syntax_error(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 {\n  exclude customer & third_party\n}\n");
  assert_non_null(p);
  assert_string_equal(diags(f), "t.sla:2:20: error: unexpected character '&'\n"
                                "    exclude customer & third_party\n"
                                "                     ^\n");
  assert_int_equal(f->d.errors, 1);
}

static void test_rule_written_twice(void **state) {
  fixture *f = *state;
  slac_policy *p = parse(f, "policy p version 1 { service s \"S\" {\n"
                            "  measure unavailable minutes {\n"
                            "    downtime counts only in runs of at least 5 min\n"
                            "    downtime counts only in runs of at least 10 min\n"
                            "  }\n"
                            "} }\n");
  assert_non_null(p);
  assert_string_equal(diags(f), "t.sla:4:5: error: this metric already has a consecutive-minutes "
                                "rule, on line 3\n"
                                "      downtime counts only in runs of at least 10 min\n"
                                "      ^~~~~~~~\n");
  assert_qty(&p->clauses->body->min_run, "5", SLAC_UNIT_DURATION);
}

static void test_long_not_chain_is_one_error(void **state) {
  fixture *f = *state;
  char text[1024];
  size_t n = (size_t)snprintf(text, sizeof text, "policy p version 1 {\n  eligible only when ");
  for (int i = 0; i < 150; i++) n += (size_t)snprintf(text + n, sizeof text - n, "not ");
  snprintf(text + n, sizeof text - n, "standing is good\n  note \"n\"\n}\n");
  slac_policy *p = parse(f, text);
  assert_non_null(p);
  assert_int_equal(f->d.errors, 1);
  /* the 101st level: the 51st `not` from the left, of 150 */
  assert_non_null(strstr(diags(f), "t.sla:2:222: error: conditions nested more than 100 deep: "
                                   "simplify the expression\n"));
  /* the tree stops growing at the limit; the rest of the policy is read */
  assert_int_equal(p->clauses->cond->depth, SLAC_MAX_NESTING + 1);
  assert_int_equal(p->clauses->next->kind, SLAC_CL_NOTE);
}

static void test_deep_parentheses_stop_the_parse(void **state) {
  fixture *f = *state;
  char text[1024];
  size_t n = (size_t)snprintf(text, sizeof text, "policy p version 1 { not eligible when ");
  for (int i = 0; i < 120; i++) text[n++] = '(';
  snprintf(text + n, sizeof text - n, "standing is good");
  assert_null(parse(f, text));
  assert_int_equal(f->d.errors, 1);
  assert_non_null(strstr(diags(f), "t.sla:1:140: error: conditions nested more than 100 deep: "
                                   "simplify the expression\n"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_policy_header, setup, teardown),
      cmocka_unit_test_setup_teardown(test_clauses_in_source_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_provider_currency_period, setup, teardown),
      cmocka_unit_test_setup_teardown(test_service_with_minute_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_service_with_error_rate_and_own_schedule, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_empty_windows_count_as, setup, teardown),
      cmocka_unit_test_setup_teardown(test_tiers_keep_their_order_and_bounds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_causes_exclusions_and_counts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eligibility_conditions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_and_binds_tighter_than_or, setup, teardown),
      cmocka_unit_test_setup_teardown(test_minimum_maximum_note, setup, teardown),
      cmocka_unit_test_setup_teardown(test_minimum_greater_than, setup, teardown),
      cmocka_unit_test_setup_teardown(test_units_are_not_checked_here, setup, teardown),
      cmocka_unit_test_setup_teardown(test_many_tiers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_three_independent_mistakes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_brace, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_brace_without_a_guess, setup, teardown),
      cmocka_unit_test_setup_teardown(test_one_brace_too_many, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_policy, setup, teardown),
      cmocka_unit_test_setup_teardown(test_misspelt_keyword, setup, teardown),
      cmocka_unit_test_setup_teardown(test_keyword_as_a_name, setup, teardown),
      cmocka_unit_test_setup_teardown(test_broken_policy_header_keeps_the_body, setup, teardown),
      cmocka_unit_test_setup_teardown(test_broken_service_header_does_not_end_the_policy, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_bad_character_adds_no_syntax_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rule_written_twice, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_not_chain_is_one_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deep_parentheses_stop_the_parse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_most_severe_tier_applies, setup, teardown),
      cmocka_unit_test_setup_teardown(test_most_severe_phrase_incomplete, setup, teardown),
      cmocka_unit_test_setup_teardown(test_v2_constructs, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
