/* outcome.c - one outcome as the public struct: the same strings as the
 * jsonl report (runtime/eval/report.c), which also gives the line itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "runtime/base/num.h"

/* V truncated toward zero to 4 decimals, as the report shows uptimes. */
static void pct4(slac_num v, char *buf, size_t size) {
  slac_num t;
  if (slac_num_trunc(v, 4, &t) != SLAC_NUM_OK) t = v;
  slac_num_format(t, 4, buf, size);
}

#define NUMBUF 64

/* M's numbers into B[4][NUMBUF], pointed to by SV, as the csv writes them. */
static void margins(const slac_margin *m, char *b, slac_api_service *sv) {
  sv->margin_unit = m->minutes ? "minutes" : "points";
  sv->to_next_tier_strict = !m->minutes && m->has_next && m->to_next_strict;
  if (m->has_next) {
    slac_num_format(m->next_credit, -1, b, NUMBUF);
    sv->next_tier_credit_percent = b;
    if (m->minutes) snprintf(b + NUMBUF, NUMBUF, "%lld", (long long)m->to_next_minutes);
    else slac_num_format(m->to_next_points, -1, b + NUMBUF, NUMBUF);
    sv->to_next_tier = b + NUMBUF;
  }
  if (m->minutes) {
    snprintf(b + 2 * NUMBUF, NUMBUF, "%lld", (long long)m->budget_minutes);
    snprintf(b + 3 * NUMBUF, NUMBUF, "%lld", (long long)m->over_minutes);
  } else {
    slac_num_format(m->budget_points, -1, b + 2 * NUMBUF, NUMBUF);
    slac_num_format(m->over_points, -1, b + 3 * NUMBUF, NUMBUF);
  }
  sv->budget_left = b + 2 * NUMBUF;
  sv->over_commitment = b + 3 * NUMBUF;
}

int slac_api_deliver(const slac_outcome *o, slac_api_outcome_fn fn, void *userdata,
                     slac_diags *d) {
  const slac_program *p = o->p;
  int ns = p->nservices;
  /* one block of strings: 8 numbers per service, 2 for the account */
  char *nums = calloc(((size_t)ns * 8 + 2), NUMBUF);
  slac_api_service *sv = calloc((size_t)ns + 1, sizeof *sv);
  char *line = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&line, &len);
  if (!nums || !sv || !f) {
    free(nums);
    free(sv);
    if (f) fclose(f);
    free(line);
    slac_diag_oom(d);
    return -1;
  }
  slac_report_jsonl(f, o);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad || !line) {
    free(nums);
    free(sv);
    free(line);
    slac_diag_oom(d);
    return -1;
  }
  if (len && line[len - 1] == '\n') line[--len] = 0;
  for (int s = 0; s < ns; s++) {
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    char *b = nums + (size_t)s * 8 * NUMBUF;
    sv[s].service = p->strings[p->services[s].id];
    pct4(so->uptime, b, NUMBUF);
    sv[s].uptime_percent = b;
    sv[s].commitment_met = so->met;
    slac_num_format(so->credit, -1, b + NUMBUF, NUMBUF);
    sv[s].credit_percent = b + NUMBUF;
    if (p->base == SLAC_PB_SERVICE_CHARGE && o->in->has_account) {
      slac_num_format(so->amount, o->in->minor_digits, b + 2 * NUMBUF, NUMBUF);
      sv[s].credit_amount = b + 2 * NUMBUF;
    }
    if (p->services[s].metric == SLAC_PM_MINUTES) {
      sv[s].unavailable_minutes = si->unavailable_minutes;
    } else {
      pct4(si->error_rate, b + 3 * NUMBUF, NUMBUF);
      sv[s].error_rate_percent = b + 3 * NUMBUF;
    }
    sv[s].excluded_minutes = si->excluded_minutes;
    if (o->margins) margins(&o->margins[s], b + 4 * NUMBUF, &sv[s]);
  }
  char *acc = nums + (size_t)ns * 8 * NUMBUF;
  char period[8], currency[4];
  slac_month_format(o->month, period);
  slac_api_outcome out;
  memset(&out, 0, sizeof out);
  out.policy = p->strings[p->id];
  out.account = o->account;
  out.period = period;
  out.services = sv;
  out.nservices = (size_t)ns;
  out.eligible = !o->in->has_account ? -1 : o->out->eligible ? 1 : 0;
  slac_num_format(o->out->credit, -1, acc, NUMBUF);
  out.credit_percent = acc;
  if (o->in->has_account) {
    slac_num_format(o->out->amount, o->in->minor_digits, acc + NUMBUF, NUMBUF);
    out.credit_amount = acc + NUMBUF;
    memcpy(currency, p->currencies[o->in->currency], 3);
    currency[3] = 0;
    out.currency = currency;
  }
  out.reasons = (const char *const *)o->out->reasons;
  out.nreasons = o->out->nreasons;
  out.jsonl = line;
  fn(userdata, &out);
  free(nums);
  free(sv);
  free(line);
  return 0;
}
