/* codegen.c - the checked model to a slac_program: the declarations the
 * data readers and the reports need (services, how they are measured,
 * which errors count, the terms by plan, causes and their caps, the cap
 * over several months, notes and caveats), then the code, which decides
 * one account and one month: each service (gen_service.c), then the
 * account (gen_account.c, gen_claim.c).  Only forward jumps are emitted.
 * Every reason is a template written in the contract's words, with the
 * citation of the clause it comes from. */
#include "compiler/codegen.h"

#include <stdlib.h>
#include <string.h>
#include "compiler/emit.h"
#include "runtime/base/sha256.h"

/* The terms whose commitment a report names when it cannot know the
 * account's: the default terms, else the first. */
static const slac_model_terms *reported_terms(const slac_model_service *s) {
  for (int k = 0; k < s->nterms; k++)
    if (s->terms[k].is_default) return &s->terms[k];
  return &s->terms[0];
}

/* The error kinds a service counts or ignores: their names. */
static void gen_kinds(cg_gen *g, const slac_model_service *s, slac_prog_service *ps) {
  if (!s->kinds) return;
  ps->kinds_mode = s->kinds_mode == SLAC_KINDS_ONLY ? SLAC_PK_ONLY : SLAC_PK_IGNORE;
  int n = 0;
  for (const slac_name *k = s->kinds->names; k; k = k->next) n++;
  ps->kinds = calloc((size_t)n, sizeof *ps->kinds);
  if (!ps->kinds) { cg_oom(g); return; }
  for (const slac_name *k = s->kinds->names; k; k = k->next) {
    bool again = false; /* a kind listed twice counts once (the checker warns) */
    uint16_t id = cg_str(g, k->text);
    for (int j = 0; j < ps->nkinds; j++) again |= ps->kinds[j] == id;
    if (!again) ps->kinds[ps->nkinds++] = id;
  }
}

/* Terms by plan: the plan set and the default flag of each block, for
 * the evaluator's check that every account has terms. */
static void gen_terms_table(cg_gen *g, const slac_model_service *s, slac_prog_service *ps) {
  if (s->nterms == 1 && !s->terms[0].clause) return;
  if (s->nterms > 255) { cg_fail(g, "the policy is too large to compile (more than 255 terms in a service)"); return; }
  ps->terms = calloc((size_t)s->nterms, sizeof *ps->terms);
  if (!ps->terms) { cg_oom(g); return; }
  ps->nterms = (uint8_t)s->nterms;
  for (int k = 0; k < s->nterms; k++) {
    const slac_model_terms *t = &s->terms[k];
    ps->terms[k].set = t->clause->names ? cg_set(g, t->clause->names) : SLAC_NONE;
    ps->terms[k].is_default = t->is_default;
  }
}

static void gen_declarations(cg_gen *g, const slac_model *m) {
  slac_program *p = g->p;
  p->id = cg_str(g, m->id);
  p->title = m->title ? cg_str(g, m->title) : SLAC_NONE;
  p->provider = m->provider ? cg_str(g, m->provider) : SLAC_NONE;
  p->version = (uint32_t)m->version;
  if (m->ncurrencies > 255 || m->ncauses > 255 || m->nservices > 255) {
    cg_fail(g, "the policy is too large to compile (more than 255 currencies, causes or services)");
    return;
  }
  p->ncurrencies = (uint8_t)m->ncurrencies;
  p->currencies = calloc((size_t)m->ncurrencies + 1, sizeof *p->currencies);
  p->ncauses = (uint8_t)m->ncauses;
  p->causes = calloc((size_t)m->ncauses, sizeof *p->causes);
  p->nservices = (uint8_t)m->nservices;
  p->services = calloc((size_t)m->nservices, sizeof *p->services);
  if (!p->currencies || !p->causes || !p->services) { cg_oom(g); return; }
  memcpy(p->currencies, m->currencies, (size_t)m->ncurrencies * sizeof *p->currencies);
  p->base = m->base == SLAC_BASE_AFFECTED_CHARGES ? SLAC_PB_AFFECTED_CHARGES
            : m->base == SLAC_BASE_SERVICE_CHARGE ? SLAC_PB_SERVICE_CHARGE
                                                  : SLAC_PB_MONTHLY_FEE;
  if (m->period_cap) {
    p->period_cap_months = (uint8_t)m->period_cap_months;
    p->period_cap_rolling = m->period_cap_rolling;
  }
  for (int c = 0; c < m->ncauses; c++) p->causes[c] = cg_str(g, m->causes[c].name);
  for (int i = 0; i < m->nservices; i++) {
    const slac_model_service *s = &m->services[i];
    slac_prog_service *ps = &p->services[i];
    ps->id = cg_str(g, s->id);
    ps->title = cg_str(g, s->title);
    ps->metric = s->metric == SLAC_METRIC_MINUTES ? SLAC_PM_MINUTES : SLAC_PM_ERROR_RATE;
    ps->window_seconds = (uint32_t)s->window_seconds;
    ps->empty_left_out = s->empty == SLAC_EMPTY_LEFT_OUT;
    ps->has_rate_rule = s->has_rate_rule;
    ps->rate_inclusive = s->rate_inclusive;
    ps->rate_threshold = cg_num(g, s->rate_threshold);
    if (s->min_requests > UINT32_MAX) { cg_fail(g, "minimum requests too large"); return; }
    ps->min_requests = (uint32_t)s->min_requests;
    ps->min_run_minutes = (uint32_t)s->min_run_minutes;
    ps->commit = cg_num(g, reported_terms(s)->commit);
    ps->rules = calloc((size_t)m->ncauses, sizeof *ps->rules);
    if (!ps->rules) { cg_oom(g); return; }
    for (int c = 0; c < m->ncauses; c++) {
      ps->rules[c].mode = s->rules[c].mode == SLAC_CAUSE_COUNTS     ? SLAC_PC_COUNTS
                          : s->rules[c].mode == SLAC_CAUSE_EXCLUDED ? SLAC_PC_EXCLUDED
                                                                    : SLAC_PC_CAPPED;
      ps->rules[c].cap_seconds = (uint32_t)s->rules[c].cap_seconds;
      ps->rules[c].cap_months = (uint8_t)s->rules[c].cap_months;
      ps->rules[c].notice_seconds = (uint32_t)s->rules[c].notice_seconds;
    }
    gen_kinds(g, s, ps);
    gen_terms_table(g, s, ps);
  }
  if (m->ncharges > 0xFFFE) { cg_fail(g, "the policy is too large to compile (too many charges)"); return; }
  p->charges = calloc((size_t)m->ncharges + 1, sizeof *p->charges);
  if (!p->charges) { cg_oom(g); return; }
  for (int k = 0; k < m->ncharges; k++) p->charges[p->ncharges++] = cg_str(g, m->charges[k]->id);
  for (int k = 0; k < m->nnotes + m->ncaveats; k++) {
    const slac_clause *cl = k < m->nnotes ? m->notes[k] : m->caveats[k - m->nnotes];
    if (!CG_GROW16(g, p->notes, p->nnotes, g->notes_cap)) return;
    p->notes[p->nnotes].text = cg_str(g, cl->text);
    p->notes[p->nnotes].cite = cg_cite(g, cl->cites);
    p->notes[p->nnotes].shown = cl->kind == SLAC_CL_CAVEAT;
    p->nnotes++;
  }
}

slac_program *slac_codegen(const slac_model *m, slac_source *src, slac_diags *d) {
  cg_gen g;
  memset(&g, 0, sizeof g);
  g.d = d;
  g.src = src;
  g.p = calloc(1, sizeof *g.p);
  if (!g.p) { slac_diag_oom(d); return NULL; }
  slac_sha256((const uint8_t *)src->text, src->size, g.p->source_hash);
  gen_declarations(&g, m);
  for (int i = 0; i < m->nservices && !g.failed; i++) cg_service(&g, m, i);
  if (!g.failed) cg_account(&g, m, m->ast);
  free(g.str_hash);
  free(g.num_hash);
  if (g.failed) {
    slac_program_free(g.p);
    return NULL;
  }
  return g.p;
}
