/* gen_account.c - the code that decides the account as a whole, after
 * its services: the credit percentage (the highest of its services),
 * eligibility, the amount (on the monthly fee, the affected services'
 * charges, or each service on its own charge), the monthly maximum, the
 * cap over a quarter, a year or N months, the minimum, and the claim
 * (gen_claim.c), in that order.  Each step that changes the amount says
 * why, in the contract's words, with the clause's citation. */
#include "compiler/emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Words for a condition, e.g. `the plan is one of "Free", "Starter"`. */
static void cond_words(const slac_cond *k, cg_text *t, bool nested) {
  if (!k) return;
  switch (k->kind) {
  case SLAC_COND_PLAN_IN: {
    int count = 0;
    for (const slac_name *x = k->plans; x; x = x->next) count++;
    cg_text_add(t, count == 1 ? "the plan is " : "the plan is one of ");
    for (const slac_name *x = k->plans; x; x = x->next) {
      cg_text_add(t, "%s\"", x == k->plans ? "" : ", ");
      cg_text_escaped(t, x->text);
      cg_text_add(t, "\"");
    }
    return;
  }
  case SLAC_COND_STANDING:
    cg_text_add(t, k->standing_good ? "the account is in good standing" : "the account is overdue");
    return;
  case SLAC_COND_NOT:
    cg_text_add(t, "not (");
    cond_words(k->lhs, t, false);
    cg_text_add(t, ")");
    return;
  default:
    if (nested) cg_text_add(t, "(");
    cond_words(k->lhs, t, true);
    cg_text_add(t, k->kind == SLAC_COND_AND ? " and " : " or ");
    cond_words(k->rhs, t, true);
    if (nested) cg_text_add(t, ")");
    return;
  }
}

static void gen_cond(cg_gen *g, const slac_cond *k) {
  switch (k->kind) {
  case SLAC_COND_PLAN_IN:
    cg_op_k(g, SLAC_OP_PLAN_IN, cg_set(g, k->plans));
    return;
  case SLAC_COND_STANDING:
    cg_load_in(g, SLAC_IN_STANDING_GOOD, 0);
    if (!k->standing_good) cg_op(g, SLAC_OP_NOT);
    return;
  case SLAC_COND_NOT:
    gen_cond(g, k->lhs);
    cg_op(g, SLAC_OP_NOT);
    return;
  default:
    gen_cond(g, k->lhs);
    gen_cond(g, k->rhs);
    cg_op(g, k->kind == SLAC_COND_AND ? SLAC_OP_AND : SLAC_OP_OR);
    return;
  }
}


/* ------------------------------------------------------------------ */
/* Eligibility                                                         */

static void gen_eligibility(cg_gen *g, const slac_clause *cl) {
  cg_text words;
  cg_text_init(&words, g);
  cg_at_line(g, cl->loc);
  gen_cond(g, cl->cond);
  const slac_cond *k = cl->cond;
  if (cl->kind == SLAC_CL_ELIGIBLE_ONLY) cg_op(g, SLAC_OP_NOT);
  uint32_t skip = cg_jump(g, SLAC_OP_JZ);
  cg_push_int(g, 0);
  cg_store_out(g, SLAC_OUT_ELIGIBLE, 0);
  if (cl->kind == SLAC_CL_NOT_ELIGIBLE && k->kind == SLAC_COND_PLAN_IN)
    cg_text_add(&words, "not eligible: the agreement does not cover plan \"{plan}\"");
  else if (cl->kind == SLAC_CL_ELIGIBLE_ONLY && k->kind == SLAC_COND_STANDING && k->standing_good)
    cg_text_add(&words, "not eligible: credits apply only to accounts in good standing, and this "
                        "account is overdue");
  else {
    cg_text_add(&words, cl->kind == SLAC_CL_NOT_ELIGIBLE
                            ? "not eligible: the agreement does not cover accounts where "
                            : "not eligible: the agreement covers only accounts where ");
    cond_words(k, &words, false);
    if (strstr(cg_text_str(&words), "the plan")) cg_text_add(&words, " (plan \"{plan}\")");
  }
  {
    uint16_t cite_k = cg_cite(g, cl->cites);
    cg_reason(g, cg_str(g, cg_text_str(&words)), cite_k, 0);
  }
  cg_land(g, skip);
  cg_text_free(&words);
}

/* ------------------------------------------------------------------ */
/* The amount                                                          */

/* Push the base of a credit or a cap: the monthly fee, or the sum of the
 * charges of the services with any unavailability. */
static void gen_base(cg_gen *g, const slac_model *m, slac_base base) {
  if (base != SLAC_BASE_AFFECTED_CHARGES) {
    cg_load_in(g, SLAC_IN_FEE, 0);
    return;
  }
  cg_push_int(g, 0);
  for (int i = 0; i < m->nservices; i++) {
    cg_load_in(g, SLAC_IN_CHARGE, i);
    cg_load_in(g, SLAC_IN_AFFECTED, i);
    cg_op(g, SLAC_OP_MUL);
    cg_op(g, SLAC_OP_ADD);
  }
}

static const char *base_words(slac_base base) {
  switch (base) {
  case SLAC_BASE_AFFECTED_CHARGES: return "the charges of the affected services";
  case SLAC_BASE_SERVICE_CHARGE: return "the service charge";
  case SLAC_BASE_PERIOD_FEES: return "the fees";
  case SLAC_BASE_MONTHLY_FEE: return "the monthly fee";
  }
  return "the monthly fee";
}

/* X = X * PERCENT / 100, rounded half-up to the currency's minor unit. */
static void gen_share(cg_gen *g) {
  cg_op(g, SLAC_OP_MUL);
  cg_push_int(g, 100);
  cg_op(g, SLAC_OP_DIV);
  cg_op(g, SLAC_OP_ROUND_MONEY);
}

/* The citation for the amount of service S: its schedule's, when all its
 * terms share one (else the tier's reason has already cited the schedule). */
static const slac_cite *service_schedule_cites(const slac_model_service *s) {
  const slac_clause *cl = s->terms[0].credit;
  for (int k = 1; k < s->nterms; k++)
    if (s->terms[k].credit != cl) return NULL;
  return cl ? cl->cites : NULL;
}

/* Each service on its own charge (CONTRACT 6.3): the service's amount is
 * its charge x its tier's percent, rounded; a service that met its
 * commitment contributes nothing; the account's amount is the sum of the
 * rounded amounts, so a statement adds up. */
static void gen_service_amounts(cg_gen *g, const slac_model *m) {
  cg_push_int(g, 0);
  for (int i = 0; i < m->nservices; i++) {
    const slac_model_service *s = &m->services[i];
    char who[300] = "";
    if (m->nservices > 1) {
      char esc[280];
      cg_escape(esc, sizeof esc, s->id);
      snprintf(who, sizeof who, "%s: ", esc);
    }
    cg_load_out(g, SLAC_OUT_MET, i);
    cg_op(g, SLAC_OP_NOT);
    cg_load_out(g, SLAC_OUT_CREDIT, i);
    cg_push_int(g, 0);
    cg_op(g, SLAC_OP_GT);
    cg_op(g, SLAC_OP_AND);
    uint32_t none = cg_jump(g, SLAC_OP_JZ);
    cg_load_in(g, SLAC_IN_CHARGE, i);
    cg_load_out(g, SLAC_OUT_CREDIT, i);
    gen_share(g);
    cg_store_out(g, SLAC_OUT_SERVICE_AMOUNT, i);
    cg_load_out(g, SLAC_OUT_CREDIT, i);
    cg_load_in(g, SLAC_IN_CHARGE, i);
    cg_load_out(g, SLAC_OUT_SERVICE_AMOUNT, i);
    {
      uint16_t cite_k = cg_cite(g, service_schedule_cites(s));
      cg_reason(g, cg_strf(g, "%scredit {p}%% of the service charge {m}: {m}", who), cite_k, 3);
    }
    cg_load_out(g, SLAC_OUT_SERVICE_AMOUNT, i);
    cg_op(g, SLAC_OP_ADD);
    cg_land(g, none);
  }
  cg_store_out(g, SLAC_OUT_AMOUNT, 0);
  if (m->nservices > 1) {
    cg_load_out(g, SLAC_OUT_AMOUNT, 0);
    cg_reason(g, cg_str(g, "credit in all: {m}"), SLAC_NONE, 1);
  }
}

/* amount = base x credit% / 100, rounded half-up to the minor unit. */
static void gen_account_amount(cg_gen *g, const slac_model *m, const slac_clause *credit) {
  gen_base(g, m, m->base);
  cg_load_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  gen_share(g);
  cg_store_out(g, SLAC_OUT_AMOUNT, 0);
  cg_load_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  gen_base(g, m, m->base);
  cg_load_out(g, SLAC_OUT_AMOUNT, 0);
  {
    uint16_t cite_k = cg_cite(g, credit ? credit->cites : NULL);
    cg_reason(g, cg_strf(g, "credit {p}%% of %s {m}: {m}", base_words(m->base)), cite_k, 3);
  }
}

/* credits never exceed X% of BASE: the amount is at most that share. */
static void gen_maximum(cg_gen *g, const slac_model *m) {
  const slac_clause *mx = m->maximum;
  cg_at_line(g, mx->loc);
  cg_load_out(g, SLAC_OUT_AMOUNT, 0);
  gen_base(g, m, mx->base);
  cg_push(g, m->maximum_percent);
  gen_share(g);
  cg_op(g, SLAC_OP_GT);
  uint32_t skip = cg_jump(g, SLAC_OP_JZ);
  gen_base(g, m, mx->base);
  cg_push(g, m->maximum_percent);
  gen_share(g);
  cg_store_out(g, SLAC_OUT_AMOUNT, 0);
  cg_load_out(g, SLAC_OUT_AMOUNT, 0);
  {
    uint16_t cite_k = cg_cite(g, mx->cites);
    cg_reason(g, cg_strf(g, "credits never exceed %s%% of %s: capped at {m}", mx->value.text,
                         base_words(mx->base)), cite_k, 1);
  }
  cg_land(g, skip);
}

/* The cap of the period: X% of the monthly fee, or of the fees of the
 * period's months, rounded to the minor unit. */
static void gen_period_total(cg_gen *g, const slac_model *m) {
  cg_load_in(g, SLAC_IN_FEE, 0);
  if (m->period_cap->base == SLAC_BASE_PERIOD_FEES) {
    cg_push_int(g, m->period_cap_months);
    cg_op(g, SLAC_OP_MUL);
  }
  cg_push(g, m->period_cap_percent);
  gen_share(g);
}

/* What is left of the period's cap: the total less the credits already
 * given in the period, never below 0. */
static void gen_period_room(cg_gen *g, const slac_model *m) {
  gen_period_total(g, m);
  cg_load_in(g, SLAC_IN_PERIOD_CREDITED, 0);
  cg_op(g, SLAC_OP_SUB);
  cg_push_int(g, 0);
  cg_op(g, SLAC_OP_MAX);
}

/* credits never exceed X% of fees per calendar year (quarter, N months):
 * the running total of the period's credits, in time order. */
static void gen_period_cap(cg_gen *g, const slac_model *m) {
  const slac_clause *cap = m->period_cap;
  char period[64], of[96];
  if (m->period_cap_rolling) snprintf(period, sizeof period, "in any %d consecutive months", m->period_cap_months);
  else snprintf(period, sizeof period, "per calendar %s", m->period_cap_months == 12 ? "year" : "quarter");
  if (cap->base == SLAC_BASE_PERIOD_FEES) {
    if (m->period_cap_rolling) snprintf(of, sizeof of, "the fees of %d months", m->period_cap_months);
    else snprintf(of, sizeof of, "the %s's fees", m->period_cap_months == 12 ? "year" : "quarter");
  } else {
    snprintf(of, sizeof of, "the monthly fee");
  }
  cg_at_line(g, cap->loc);
  cg_load_out(g, SLAC_OUT_AMOUNT, 0);
  gen_period_room(g, m);
  cg_op(g, SLAC_OP_GT);
  uint32_t skip = cg_jump(g, SLAC_OP_JZ);
  gen_period_room(g, m);
  cg_store_out(g, SLAC_OUT_AMOUNT, 0);
  gen_period_total(g, m);
  cg_load_in(g, SLAC_IN_PERIOD_CREDITED, 0);
  cg_load_out(g, SLAC_OUT_AMOUNT, 0);
  {
    uint16_t cite_k = cg_cite(g, cap->cites);
    cg_reason(g, cg_strf(g, "credits %s never exceed %s%% of %s ({m}); {m} already credited: "
                         "capped at {m}", period, cap->value.text, of), cite_k, 3);
  }
  cg_land(g, skip);
}

/* issue credit only if amount greater than (at least) X CUR: per currency. */
static void gen_minimum(cg_gen *g, const slac_model *m) {
  const slac_clause *mn = m->minimum;
  cg_at_line(g, mn->loc);
  for (int k = 0; k < mn->namounts; k++) {
    int cur = 0;
    for (int c = 0; c < m->ncurrencies; c++)
      if (strcmp(m->currencies[c], mn->amounts[k].currency) == 0) cur = c;
    cg_load_in(g, SLAC_IN_CURRENCY, 0);
    cg_push_int(g, cur);
    cg_op(g, SLAC_OP_EQ);
    uint32_t other = cg_jump(g, SLAC_OP_JZ);
    cg_load_out(g, SLAC_OUT_AMOUNT, 0);
    cg_push(g, mn->amounts[k].value);
    cg_op(g, mn->at_least ? SLAC_OP_GE : SLAC_OP_GT);
    uint32_t below = cg_jump(g, SLAC_OP_JZ);
    uint32_t met = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, below);
    cg_load_out(g, SLAC_OUT_AMOUNT, 0);
    cg_push(g, mn->amounts[k].value);
    {
      uint16_t cite_k = cg_cite(g, mn->cites);
      cg_reason(g, cg_str(g, mn->at_least ? "credit {m} is less than the minimum of {m}: no credit is issued"
                                          : "credit {m} is not greater than {m}: no credit is issued"),
                cite_k, 2);
    }
    cg_push_int(g, 0);
    cg_store_out(g, SLAC_OUT_AMOUNT, 0);
    cg_land(g, met);
    cg_land(g, other);
  }
}

/* The first credit schedule in use, for the line and the citation of the
 * amount. */
static const slac_clause *first_schedule(const slac_model *m) {
  for (int i = 0; i < m->nservices; i++)
    for (int k = 0; k < m->services[i].nterms; k++)
      if (m->services[i].terms[k].credit) return m->services[i].terms[k].credit;
  return NULL;
}

void cg_account(cg_gen *g, const slac_model *m, const slac_policy *p) {
  cg_at_line(g, p->loc);
  cg_load_out(g, SLAC_OUT_CREDIT, 0);
  for (int i = 1; i < m->nservices; i++) {
    cg_load_out(g, SLAC_OUT_CREDIT, i);
    cg_op(g, SLAC_OP_MAX);
  }
  cg_store_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  cg_load_in(g, SLAC_IN_HAS_ACCOUNT, 0);
  uint32_t end1 = cg_jump(g, SLAC_OP_JZ);
  for (int e = 0; e < m->neligibility; e++) gen_eligibility(g, m->eligibility[e]);
  cg_at_line(g, p->loc); /* back to the account as a whole, not the last clause */
  cg_load_out(g, SLAC_OUT_ELIGIBLE, 0);
  uint32_t end2 = cg_jump(g, SLAC_OP_JZ);
  cg_load_out(g, SLAC_OUT_ACCOUNT_CREDIT, 0);
  cg_push_int(g, 0);
  cg_op(g, SLAC_OP_GT);
  uint32_t end3 = cg_jump(g, SLAC_OP_JZ);

  const slac_clause *credit = first_schedule(m);
  if (credit) cg_at_line(g, credit->loc);
  if (m->base == SLAC_BASE_SERVICE_CHARGE) gen_service_amounts(g, m);
  else gen_account_amount(g, m, credit);
  if (m->maximum) gen_maximum(g, m);
  if (m->period_cap) gen_period_cap(g, m);
  if (m->minimum) gen_minimum(g, m);
  if (m->claim) cg_claim(g, m);
  cg_land(g, end1);
  cg_land(g, end2);
  cg_land(g, end3);
  cg_at_line(g, p->loc);
  cg_op(g, SLAC_OP_HALT);
}
