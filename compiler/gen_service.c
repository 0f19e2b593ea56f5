/* gen_service.c - the code that decides one service of an account and
 * month: its uptime, the terms that apply (the account's plan chooses
 * them when the service has terms by plan), the commitment, the tier, and
 * the reasons for the exclusions applied, the caps reached and the
 * maintenance not announced in time.  Tiers are disjoint (the checker
 * says so) or, under "most severe tier applies", tested in order of
 * severity, so the first tier that matches is the one. */
#include "compiler/emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *bound_words(int kind) {
  switch (kind) {
  case SLAC_BOUND_BELOW: return "below";
  case SLAC_BOUND_AT_OR_BELOW: return "at or below";
  case SLAC_BOUND_ABOVE: return "above";
  default: return "at or above";
  }
}

static slac_opcode bound_op(int kind) {
  switch (kind) {
  case SLAC_BOUND_BELOW: return SLAC_OP_LT;
  case SLAC_BOUND_AT_OR_BELOW: return SLAC_OP_LE;
  case SLAC_BOUND_ABOVE: return SLAC_OP_GT;
  default: return SLAC_OP_GE;
  }
}

/* "maintenance", "force majeure", or a declared cause's description,
 * whole, into T (a template's text: braces doubled). */
static void cause_words(const slac_model *m, int c, cg_text *t) {
  const slac_model_cause *mc = &m->causes[c];
  if (mc->description) {
    cg_text_escaped(t, mc->description);
    return;
  }
  for (const char *p = mc->name; *p; p++) cg_text_add(t, "%c", *p == '_' ? ' ' : *p);
}

static const char *period_words(int months) {
  return months == 12 ? "calendar year" : months == 3 ? "calendar quarter" : "month";
}

/* What the reasons of one service share. */
typedef struct {
  const slac_model_service *s;
  int i;                        /* the service's index */
  char who[300];                /* "api: " with several services, else "" */
  const char *uptime_words;     /* "uptime {u}%" (+ the error rate) */
  int nuptime;                  /* the arguments those words take */
} service_ctx;

static void push_uptime(cg_gen *g, const service_ctx *x) {
  cg_load_out(g, SLAC_OUT_UPTIME, x->i);
  if (x->nuptime == 2) cg_load_in(g, SLAC_IN_ERROR_RATE, x->i);
}

/* The commitment and the tier of terms T; SUFFIX (a template fragment)
 * names the terms in every reason: "" for a service without terms. */
static void gen_terms(cg_gen *g, const service_ctx *x, const slac_model_terms *t,
                      const char *suffix) {
  int i = x->i;
  char words[1024], b[64];
  cg_at_line(g, t->commit_clause->loc);
  cg_load_out(g, SLAC_OUT_UPTIME, i);
  cg_push(g, t->commit);
  cg_op(g, SLAC_OP_GE);
  cg_store_out(g, SLAC_OUT_MET, i);
  cg_push(g, t->commit);
  cg_store_out(g, SLAC_OUT_COMMIT, i);

  uint32_t *done = calloc((size_t)t->ntiers + 1, sizeof *done);
  if (!done) { cg_oom(g); return; }
  for (int k = 0; k < t->ntiers; k++) {
    const slac_model_tier *mt = &t->tiers[k];
    const slac_tier *tier = mt->tier;
    cg_at_line(g, tier->loc);
    words[0] = 0;
    for (int j = 0; j < tier->nbounds; j++) {
      cg_load_out(g, SLAC_OUT_UPTIME, i);
      cg_push(g, tier->bounds[j].value.value);
      cg_op(g, bound_op(tier->bounds[j].kind));
      /* the number as the policy writes it: "99.0%", not "99%" */
      size_t w = strlen(words);
      snprintf(words + w, sizeof words - w, "%s%s %s%%", j ? " and " : "",
               bound_words(tier->bounds[j].kind), tier->bounds[j].value.text);
    }
    if (tier->nbounds == 2) cg_op(g, SLAC_OP_AND);
    uint32_t next = cg_jump(g, SLAC_OP_JZ);
    cg_push(g, mt->credit);
    cg_store_out(g, SLAC_OUT_CREDIT, i);
    push_uptime(g, x);
    cg_push(g, mt->credit);
    {
      /* the citation first: C leaves the order of arguments open, and
       * the constant pool must not depend on the compiler */
      uint16_t cite_k = cg_cite(g, tier->cites           ? tier->cites
                                   : t->credit->cites  ? t->credit->cites
                                   : t->clause         ? t->clause->cites
                                                       : NULL);
      cg_reason(g, cg_strf(g, "%s%s is %s: tier {p}%%%s", x->who, x->uptime_words, words, suffix),
                cite_k, x->nuptime + 1);
    }
    done[k] = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, next);
  }
  /* no tier: the commitment is met, or missed with no tier covering it */
  cg_at_line(g, t->commit_clause->loc);
  snprintf(b, sizeof b, "%s", t->commit_clause->value.text);
  cg_load_out(g, SLAC_OUT_MET, i);
  uint32_t missed = cg_jump(g, SLAC_OP_JZ);
  push_uptime(g, x);
  {
    uint16_t cite_k = cg_cite(g, t->commit_clause->cites || !t->clause ? t->commit_clause->cites
                                                                       : t->clause->cites);
    cg_reason(g, cg_strf(g, "%s%s meets the commitment of %s%%%s", x->who, x->uptime_words, b, suffix),
              cite_k, x->nuptime);
  }
  done[t->ntiers] = cg_jump(g, SLAC_OP_JMP);
  cg_land(g, missed);
  push_uptime(g, x);
  {
    const slac_cite *c = t->credit ? t->credit->cites : t->commit_clause->cites;
    uint16_t cite_k = cg_cite(g, c || !t->clause ? c : t->clause->cites);
    cg_reason(g, cg_strf(g, "%s%s misses the commitment of %s%%%s, but no credit tier covers it: credit 0%%",
                         x->who, x->uptime_words, b, suffix),
              cite_k, x->nuptime);
  }
  for (int k = 0; k <= t->ntiers; k++) cg_land(g, done[k]);
  free(done);
}

/* " (terms for plan "{plan}")" or " (default terms)". */
static const char *terms_suffix(bool fallback) {
  return fallback ? " (default terms)" : " (terms for plan \"{plan}\")";
}

/* A service with terms by plan: the first terms naming the account's
 * plan apply, else the default terms.  Every account has terms (the
 * evaluator checks it before running); an embedder that skips the check
 * gets a missed commitment with no credit, and the reason. */
static void gen_plan_terms(cg_gen *g, const service_ctx *x) {
  const slac_model_service *s = x->s;
  uint32_t *ends = calloc((size_t)s->nterms + 1, sizeof *ends);
  if (!ends) { cg_oom(g); return; }
  int nends = 0;
  const slac_model_terms *dflt = NULL;
  for (int k = 0; k < s->nterms; k++) {
    const slac_model_terms *t = &s->terms[k];
    if (t->is_default) dflt = t;
    if (!t->clause->names) continue;
    cg_at_line(g, t->clause->loc);
    cg_op_k(g, SLAC_OP_PLAN_IN, cg_set(g, t->clause->names));
    uint32_t other = cg_jump(g, SLAC_OP_JZ);
    gen_terms(g, x, t, terms_suffix(false));
    ends[nends++] = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, other);
  }
  if (dflt) {
    gen_terms(g, x, dflt, terms_suffix(true));
  } else {
    cg_at_line(g, s->clause->loc);
    cg_reason(g, cg_strf(g, "%sno terms of this service apply to plan \"{plan}\": credit 0%%", x->who),
              SLAC_NONE, 0);
  }
  for (int k = 0; k < nends; k++) cg_land(g, ends[k]);
  free(ends);
}

/* The exclusions applied, the caps reached, and the time of a cause
 * that had to be announced and was not. */
static void gen_exclusions(cg_gen *g, const slac_model *m, const service_ctx *x) {
  const slac_model_service *s = x->s;
  int i = x->i;
  cg_text text;
  cg_text_init(&text, g);
  for (int c = 1; c < m->ncauses; c++) {
    const slac_cause_rule *r = &s->rules[c];
    if (r->mode == SLAC_CAUSE_COUNTS) continue;
    cg_at_line(g, r->clause->loc);
    text.n = 0;
    cause_words(m, c, &text);
    const char *words = cg_text_str(&text);
    cg_load_cause(g, SLAC_CIN_EXCLUDED_SECONDS, i, c);
    cg_push_int(g, 0);
    cg_op(g, SLAC_OP_GT);
    uint32_t skip = cg_jump(g, SLAC_OP_JZ);
    cg_load_cause(g, SLAC_CIN_EXCLUDED_SECONDS, i, c);
    {
      uint16_t cite_k = cg_cite(g, r->clause->cites);
      cg_reason(g, cg_strf(g, "%s%s excluded: {d}", x->who, words), cite_k, 1);
    }
    cg_land(g, skip);
    /* beyond the cap, even when nothing was excluded this month: a cap
     * per quarter or year may have been used up by earlier months */
    if (r->mode == SLAC_CAUSE_CAPPED) {
      cg_load_cause(g, SLAC_CIN_EXCESS_SECONDS, i, c);
      cg_push_int(g, 0);
      cg_op(g, SLAC_OP_GT);
      uint32_t skip2 = cg_jump(g, SLAC_OP_JZ);
      cg_push_int(g, r->cap_seconds);
      cg_load_cause(g, SLAC_CIN_EXCESS_SECONDS, i, c);
      {
        uint16_t cite_k = cg_cite(g, r->clause->cites);
        cg_reason(g, cg_strf(g, "%s%s beyond the cap of {d} per %s: {d} counted as downtime", x->who,
                             words, period_words(r->cap_months)),
                  cite_k, 2);
      }
      cg_land(g, skip2);
    }
    if (r->notice_seconds > 0) {
      cg_load_cause(g, SLAC_CIN_LATE_SECONDS, i, c);
      cg_push_int(g, 0);
      cg_op(g, SLAC_OP_GT);
      uint32_t on_time = cg_jump(g, SLAC_OP_JZ);
      cg_push_int(g, r->notice_seconds);
      cg_load_cause(g, SLAC_CIN_LATE_SECONDS, i, c);
      {
        uint16_t cite_k = cg_cite(g, r->clause->cites);
        cg_reason(g, cg_strf(g, "%s%s not announced at least {d} ahead: {d} %s", x->who, words,
                             s->metric == SLAC_METRIC_MINUTES ? "counted as downtime"
                                                              : "not excluded (its windows count)"),
                  cite_k, 2);
      }
      cg_land(g, on_time);
    }
  }
  cg_text_free(&text);
}

void cg_service(cg_gen *g, const slac_model *m, int i) {
  const slac_model_service *s = &m->services[i];
  service_ctx x;
  memset(&x, 0, sizeof x);
  x.s = s;
  x.i = i;
  if (m->nservices > 1) {
    char esc[280];
    cg_escape(esc, sizeof esc, s->id);
    snprintf(x.who, sizeof x.who, "%s: ", esc);
  }
  /* uptime */
  cg_at_line(g, s->measure->loc);
  x.uptime_words = "uptime {u}%";
  x.nuptime = 1;
  if (s->metric == SLAC_METRIC_MINUTES) {
    cg_load_in(g, SLAC_IN_MONTH_MINUTES, 0);
    cg_load_in(g, SLAC_IN_UNAVAILABLE, i);
    cg_op(g, SLAC_OP_SUB);
    cg_push_int(g, 100);
    cg_op(g, SLAC_OP_MUL);
    cg_load_in(g, SLAC_IN_MONTH_MINUTES, 0);
    cg_op(g, SLAC_OP_DIV);
  } else {
    cg_push_int(g, 100);
    cg_load_in(g, SLAC_IN_ERROR_RATE, i);
    cg_op(g, SLAC_OP_SUB);
    x.uptime_words = "uptime {u}% (average error rate {u}%)";
    x.nuptime = 2;
  }
  cg_store_out(g, SLAC_OUT_UPTIME, i);
  if (s->nterms == 1 && !s->terms[0].clause) gen_terms(g, &x, &s->terms[0], "");
  else gen_plan_terms(g, &x);
  gen_exclusions(g, m, &x);
}
