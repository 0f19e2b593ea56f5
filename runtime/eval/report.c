/* report.c - writes outcomes exactly as CONTRACT sections 4 and 6.4
 * say: percentages truncated (never rounded) to 4 decimals, credit
 * percent without trailing zeros, amounts as strings with the currency's
 * minor digits, null where account data is missing; each amount once in
 * csv; text totals added exactly (slac_num, never floating point). */
#include "runtime/eval/report.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/currency.h"
#include "runtime/base/diag.h"
#include "runtime/eval/report_html.h"

/* The characters of S escaped for a JSON string, without the quotes.
 * Control characters are escaped, DEL and C1 (U+0080..U+009F) too,
 * although JSON allows them raw: a report read on a terminal must not
 * drive it, and the decoded string is the same. */
static void json_chars(FILE *f, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7F) fprintf(f, "\\u%04x", *p);
    else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0) fprintf(f, "\\u%04x", *++p);
    else fputc(*p, f);
  }
}

/* True when S holds a control character: C0, DEL or C1 in UTF-8. */
static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)) return true;
  return false;
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  json_chars(f, s);
  fputc('"', f);
}

/* A field is quoted when it holds a comma, a quote or any control
 * character (a line end included), and kept exact inside the quotes. */
static void csv_string(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"") && !has_control(s)) { fputs(s, f); return; }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* The reasons joined by "; " as one field, however long (never cut). */
static void csv_reasons(FILE *f, const slac_vm_output *out) {
  bool quote = false;
  for (size_t i = 0; i < out->nreasons; i++)
    quote |= strpbrk(out->reasons[i], ",\"") != NULL || has_control(out->reasons[i]);
  if (quote) fputc('"', f);
  for (size_t i = 0; i < out->nreasons; i++) {
    if (i) fputs("; ", f);
    for (const char *s = out->reasons[i]; *s; s++) {
      if (*s == '"') fputc('"', f);
      fputc(*s, f);
    }
  }
  if (quote) fputc('"', f);
}

/* 4 decimals, truncated toward zero. */
static const char *pct4(slac_num v, char *buf, size_t size) {
  slac_num t;
  if (slac_num_trunc(v, 4, &t) != SLAC_NUM_OK) t = v;
  slac_num_format(t, 4, buf, size);
  return buf;
}

static const char *trimmed(slac_num v, char *buf, size_t size) {
  slac_num_format(v, -1, buf, size);
  return buf;
}

static const char *money_of(const slac_outcome *o, slac_num v, char *buf, size_t size) {
  slac_num_format(v, o->in->minor_digits, buf, size);
  return buf;
}

static const char *money(const slac_outcome *o, char *buf, size_t size) {
  return money_of(o, o->out->amount, buf, size);
}

/* Caveats (`caveat "..."`) are shown with every outcome that earns a
 * credit: how many the policy has, and whether this outcome shows them. */
static int ncaveats(const slac_program *p) {
  int n = 0;
  for (uint16_t i = 0; i < p->nnotes; i++) n += p->notes[i].shown;
  return n;
}

static bool shows_caveats(const slac_outcome *o) {
  return o->out->credit.units > 0 || o->out->credit.above;
}

static const char *caveat_cite(const slac_program *p, const slac_prog_note *n) {
  return n->cite == SLAC_NONE ? NULL : p->strings[n->cite];
}

static const char *currency(const slac_outcome *o) {
  /* per thread: libslac's runs may report in several threads at once */
  static _Thread_local char code[4];
  memcpy(code, o->p->currencies[o->in->currency], 3);
  code[3] = 0;
  return code;
}

/* Margins (margins.h), as each format writes them.  Minutes are whole
 * numbers; error-rate points are exact decimals without trailing zeros. */
static const char *points(slac_num v, char *buf, size_t size) {
  slac_num_format(v, -1, buf, size);
  return buf;
}

static void jsonl_margins(FILE *f, const slac_margin *m) {
  char a[64];
  fputs(",\"margins\":{\"next_tier_credit_percent\":", f);
  if (m->has_next) fprintf(f, "\"%s\"", trimmed(m->next_credit, a, sizeof a));
  else fputs("null", f);
  if (m->minutes) {
    if (m->has_next) fprintf(f, ",\"to_next_tier_minutes\":%lld", (long long)m->to_next_minutes);
    else fputs(",\"to_next_tier_minutes\":null", f);
    fprintf(f, ",\"budget_minutes\":%lld,\"over_commitment_minutes\":%lld}", (long long)m->budget_minutes,
            (long long)m->over_minutes);
    return;
  }
  if (m->has_next)
    fprintf(f, ",\"to_next_tier_points\":\"%s\",\"to_next_tier_strict\":%s",
            points(m->to_next_points, a, sizeof a), m->to_next_strict ? "true" : "false");
  else
    fputs(",\"to_next_tier_points\":null,\"to_next_tier_strict\":null", f);
  fprintf(f, ",\"budget_points\":\"%s\"", points(m->budget_points, a, sizeof a));
  fprintf(f, ",\"over_commitment_points\":\"%s\"}", points(m->over_points, a, sizeof a));
}

/* The csv columns margin_unit, next_tier_credit_percent, to_next_tier,
 * to_next_tier_strict, budget_left, over_commitment (after a comma). */
static void csv_margins(FILE *f, const slac_margin *m) {
  char a[64];
  fputs(m->minutes ? ",minutes," : ",points,", f);
  if (m->has_next) fputs(trimmed(m->next_credit, a, sizeof a), f);
  fputc(',', f);
  if (m->has_next && m->minutes) fprintf(f, "%lld,", (long long)m->to_next_minutes);
  else if (m->has_next) fprintf(f, "%s,%s", points(m->to_next_points, a, sizeof a), m->to_next_strict ? "true" : "false");
  else fputc(',', f);
  if (m->minutes) fprintf(f, ",%lld,%lld", (long long)m->budget_minutes, (long long)m->over_minutes);
  else {
    fprintf(f, ",%s", points(m->budget_points, a, sizeof a));
    fprintf(f, ",%s", points(m->over_points, a, sizeof a));
  }
}

/* The line under a service, in the words of an error budget:
 *   error budget: 3 min of downtime left before the commitment of 99.95% is
 *   missed; 4 more min move it to the 10% tier */
void slac_report_margin_words(FILE *f, const slac_margin *m, const slac_vm_service_output *so) {
  char a[64], c[64];
  trimmed(so->commit, c, sizeof c);
  fputs("error budget: ", f);
  if (m->minutes) {
    if (so->met)
      fprintf(f, "%lld min of downtime left before the commitment of %s%% is missed", (long long)m->budget_minutes, c);
    else
      fprintf(f, "none, the commitment of %s%% is missed (%lld fewer unavailable min would have met it)", c,
              (long long)m->over_minutes);
  } else {
    if (so->met)
      fprintf(f, "%s points of error rate left before the commitment of %s%% is missed",
              points(m->budget_points, a, sizeof a), c);
    else
      fprintf(f, "none, the commitment of %s%% is missed (an error rate %s points lower would have met it)", c,
              points(m->over_points, a, sizeof a));
  }
  if (!m->has_next) {
    fprintf(f, "; no worse tier: %s keeps it at %s%%", m->minutes ? "more downtime" : "a higher error rate",
            trimmed(so->credit, a, sizeof a));
    return;
  }
  if (m->minutes)
    fprintf(f, "; %lld more min move%s it", (long long)m->to_next_minutes, m->to_next_minutes == 1 ? "s" : "");
  else
    fprintf(f, "; %s%s more points of error rate move it", m->to_next_strict ? "more than " : "",
            points(m->to_next_points, a, sizeof a));
  fprintf(f, " to the %s%% tier", trimmed(m->next_credit, a, sizeof a));
}

static void text_margins(FILE *f, const slac_margin *m, const slac_vm_service_output *so) {
  fputs("    ", f);
  slac_report_margin_words(f, m, so);
  fputc('\n', f);
}

static void jsonl(FILE *f, const slac_outcome *o) {
  const slac_program *p = o->p;
  char period[8], a[64];
  slac_month_format(o->month, period);
  fputs("{\"policy\":", f);
  json_string(f, p->strings[p->id]);
  fputs(",\"account\":", f);
  json_string(f, o->account);
  fprintf(f, ",\"period\":\"%s\",\"services\":[", period);
  for (int s = 0; s < p->nservices; s++) {
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    fputs(s ? ",{\"service\":" : "{\"service\":", f);
    json_string(f, p->strings[p->services[s].id]);
    if (p->services[s].metric == SLAC_PM_MINUTES)
      fprintf(f, ",\"unavailable_minutes\":%lld", (long long)si->unavailable_minutes);
    else
      fprintf(f, ",\"error_rate_percent\":\"%s\"", pct4(si->error_rate, a, sizeof a));
    fprintf(f, ",\"excluded_minutes\":%lld", (long long)si->excluded_minutes);
    fprintf(f, ",\"uptime_percent\":\"%s\"", pct4(so->uptime, a, sizeof a));
    fprintf(f, ",\"commitment_met\":%s", so->met ? "true" : "false");
    fprintf(f, ",\"credit_percent\":\"%s\"", trimmed(so->credit, a, sizeof a));
    if (p->base == SLAC_PB_SERVICE_CHARGE) {
      if (o->in->has_account) fprintf(f, ",\"credit_amount\":\"%s\"", money_of(o, so->amount, a, sizeof a));
      else fputs(",\"credit_amount\":null", f);
    }
    if (o->margins) jsonl_margins(f, &o->margins[s]);
    fputc('}', f);
  }
  fputs("],\"eligible\":", f);
  fputs(!o->in->has_account ? "null" : o->out->eligible ? "true" : "false", f);
  fprintf(f, ",\"credit_percent\":\"%s\"", trimmed(o->out->credit, a, sizeof a));
  if (o->in->has_account)
    fprintf(f, ",\"credit_amount\":\"%s\",\"currency\":\"%s\"", money(o, a, sizeof a), currency(o));
  else
    fputs(",\"credit_amount\":null,\"currency\":null", f);
  fputs(",\"reasons\":[", f);
  for (size_t i = 0; i < o->out->nreasons; i++) {
    if (i) fputc(',', f);
    json_string(f, o->out->reasons[i]);
  }
  fputc(']', f);
  if (ncaveats(p)) {
    fputs(",\"notes\":[", f);
    bool first = true;
    for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
      if (!p->notes[i].shown) continue;
      const char *cite = caveat_cite(p, &p->notes[i]);
      if (!first) fputc(',', f);
      first = false;
      fputc('"', f);
      json_chars(f, p->strings[p->notes[i].text]);
      if (cite) {
        fputs(" (", f);
        json_chars(f, cite);
        fputc(')', f);
      }
      fputc('"', f);
    }
    fputc(']', f);
  }
  if (o->hypothesis) {
    fputs(",\"hypothetical\":", f);
    json_string(f, o->hypothesis);
  }
  fputs("}\n", f);
}

/* The first columns of every row: policy, account, period, scope. */
static void csv_row_start(FILE *f, const slac_outcome *o, const char *period, const char *scope) {
  csv_string(f, o->p->strings[o->p->id]);
  fputc(',', f);
  csv_string(f, o->account);
  fprintf(f, ",%s,%s,", period, scope);
}

/* The notes shown with this outcome, joined by "; " as one field. */
static void csv_notes(FILE *f, const slac_outcome *o) {
  const slac_program *p = o->p;
  bool quote = false;
  for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
    const char *cite = caveat_cite(p, &p->notes[i]);
    if (!p->notes[i].shown) continue;
    for (int part = 0; part < 2; part++) {
      const char *t = part == 0 ? p->strings[p->notes[i].text] : cite;
      quote |= t && (strpbrk(t, ",\"") != NULL || has_control(t));
    }
  }
  if (quote) fputc('"', f);
  bool first = true;
  for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
    if (!p->notes[i].shown) continue;
    const char *cite = caveat_cite(p, &p->notes[i]);
    if (!first) fputs("; ", f);
    first = false;
    for (int part = 0; part < 2; part++) {
      const char *s = part == 0 ? p->strings[p->notes[i].text] : cite;
      if (!s) break;
      if (part) fputs(" (", f);
      for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
      }
      if (part) fputc(')', f);
    }
  }
  if (quote) fputc('"', f);
}

/* One row per service, then the account's row: the amount is written
 * once, on the account's row, so that a sum of the credit_amount column
 * is the total credit.  Per-service amounts (a policy that credits each
 * service on its own charge) are left to jsonl and text: minimums and
 * caps apply to their sum, so they are not parts of the amount paid. */
static void csv(FILE *f, const slac_outcome *o) {
  const slac_program *p = o->p;
  char period[8], a[64];
  slac_month_format(o->month, period);
  for (int s = 0; s < p->nservices; s++) {
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    csv_row_start(f, o, period, "service");
    csv_string(f, p->strings[p->services[s].id]);
    if (p->services[s].metric == SLAC_PM_MINUTES)
      fprintf(f, ",%lld,", (long long)si->unavailable_minutes);
    else
      fprintf(f, ",,%s", pct4(si->error_rate, a, sizeof a));
    fprintf(f, ",%lld", (long long)si->excluded_minutes);
    fprintf(f, ",%s", pct4(so->uptime, a, sizeof a));
    fprintf(f, ",%s", so->met ? "true" : "false");
    fprintf(f, ",%s,,,,,,", trimmed(so->credit, a, sizeof a));
    if (o->margins) csv_margins(f, &o->margins[s]);
    else fputs(",,,,,,", f);
    fputc('\n', f);
  }
  csv_row_start(f, o, period, "account");
  fputs(",,,,,,,", f);
  fprintf(f, "%s", !o->in->has_account ? "" : o->out->eligible ? "true" : "false");
  fprintf(f, ",%s", trimmed(o->out->credit, a, sizeof a));
  if (o->in->has_account) fprintf(f, ",%s,%s,", money(o, a, sizeof a), currency(o));
  else fputs(",,,", f);
  csv_reasons(f, o->out);
  fputc(',', f);
  csv_notes(f, o);
  fputs(",,,,,,\n", f); /* the margins are the services' */
}

/* The text report is read on a terminal: every name and sentence in it
 * (account names come from data files, strings from the policy or its
 * bytecode) goes through slac_put_shown, which escapes control
 * characters. */
static void text(FILE *f, const slac_outcome *o) {
  const slac_program *p = o->p;
  char period[8], a[64], b[64];
  slac_month_format(o->month, period);
  slac_put_shown(f, o->account);
  fprintf(f, ", %s (%s-01 to %s-%02d)\n", period, period, period, slac_month_days(o->month));
  for (int s = 0; s < p->nservices; s++) {
    const slac_prog_service *ps = &p->services[s];
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    fputs("  ", f);
    slac_put_shown(f, p->strings[ps->id]);
    fputs(" (", f);
    slac_put_shown(f, p->strings[ps->title]);
    fprintf(f, "): uptime %s%%", pct4(so->uptime, a, sizeof a));
    if (ps->metric == SLAC_PM_MINUTES)
      fprintf(f, ", %lld unavailable min", (long long)si->unavailable_minutes);
    else
      fprintf(f, ", average error rate %s%%", pct4(si->error_rate, a, sizeof a));
    if (si->excluded_minutes) fprintf(f, ", %lld excluded min", (long long)si->excluded_minutes);
    fprintf(f, "; commitment %s%% %s; tier %s%%", trimmed(so->commit, b, sizeof b),
            so->met ? "met" : "missed", trimmed(so->credit, a, sizeof a));
    if (p->base == SLAC_PB_SERVICE_CHARGE && o->in->has_account)
      fprintf(f, ", credit %s %s", money_of(o, so->amount, a, sizeof a), currency(o));
    fputc('\n', f);
    if (o->margins) text_margins(f, &o->margins[s], so);
  }
  if (o->in->has_account) {
    char amount[64];
    fprintf(f, "  credit %s%%: %s %s%s\n", trimmed(o->out->credit, a, sizeof a),
            money(o, amount, sizeof amount), currency(o), o->out->eligible ? "" : " (not eligible)");
  } else {
    fprintf(f, "  credit %s%% (no accounts file: no amount)\n", trimmed(o->out->credit, a, sizeof a));
  }
  for (size_t i = 0; i < o->out->nreasons; i++) {
    fputs("  - ", f);
    slac_put_shown(f, o->out->reasons[i]);
    fputc('\n', f);
  }
  for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
    if (!p->notes[i].shown) continue;
    const char *cite = caveat_cite(p, &p->notes[i]);
    fputs("  note: ", f);
    slac_put_shown(f, p->strings[p->notes[i].text]);
    if (cite) {
      fputs(" (", f);
      slac_put_shown(f, cite);
      fputc(')', f);
    }
    fputc('\n', f);
  }
  fputc('\n', f);
}

int slac_report_begin(slac_report_state *r, FILE *f, slac_format fmt, const slac_program *p,
                      slac_month first, slac_month last) {
  memset(r, 0, sizeof *r);
  r->p = p;
  r->fmt = fmt;
  r->first = first;
  r->last = last;
  r->overflow = -1;
  r->sums = calloc((size_t)p->ncurrencies + 1, sizeof *r->sums);
  r->seen = calloc((size_t)p->ncurrencies + 1, sizeof *r->seen);
  if (!r->sums || !r->seen) {
    slac_report_free(r);
    return -1;
  }
  for (int c = 0; c < p->ncurrencies; c++) r->sums[c] = slac_num_int(0);
  if (fmt == SLAC_FORMAT_HTML && slac_html_begin(r) != 0) {
    slac_report_free(r);
    return -1;
  }
  if (fmt == SLAC_FORMAT_CSV)
    fputs("policy,account,period,scope,service,unavailable_minutes,error_rate_percent,"
          "excluded_minutes,uptime_percent,commitment_met,service_credit_percent,eligible,"
          "credit_percent,credit_amount,currency,reasons,notes,margin_unit,next_tier_credit_percent,"
          "to_next_tier,to_next_tier_strict,budget_left,over_commitment\n",
          f);
  else if (fmt == SLAC_FORMAT_TEXT) {
    slac_report_title(f, p, slac_put_shown);
    fputs("\n\n", f);
  }
  return 0;
}

void slac_report_hypothesis(slac_report_state *r, FILE *f, const char *words) {
  r->hypothesis = words;
  if (r->fmt != SLAC_FORMAT_TEXT) return;
  fputs("Hypothetical outcomes, not the credits owed: ", f);
  slac_put_shown(f, words);
  fputs(".\n\n", f);
}

void slac_report_title(FILE *f, const slac_program *p, void (*put)(FILE *, const char *)) {
  put(f, p->strings[p->id]);
  if (p->title != SLAC_NONE) {
    fputs(": ", f);
    put(f, p->strings[p->title]);
  }
  if (p->provider != SLAC_NONE) {
    fputs(" (", f);
    put(f, p->strings[p->provider]);
    fputc(')', f);
  }
  fprintf(f, ", version %u", p->version);
}

/* Count the outcome O for the totals. */
static void tally(slac_report_state *r, const slac_outcome *o) {
  bool credited = o->in->has_account ? o->out->amount.units > 0 || o->out->amount.above
                                     : o->out->credit.units > 0 || o->out->credit.above;
  if (!r->account || strcmp(r->account, o->account) != 0) {
    r->accounts++;
    r->account_credited = false;
  }
  r->account = o->account;
  r->outcomes++;
  r->outcomes_credited += credited;
  if (credited && !r->account_credited) r->credited++;
  r->account_credited |= credited;
  if (!o->in->has_account) return;
  r->amounts = true;
  int c = o->in->currency;
  r->seen[c] = true;
  if (r->overflow < 0 && slac_num_add(r->sums[c], o->out->amount, &r->sums[c]) != SLAC_NUM_OK)
    r->overflow = c;
}

void slac_report_outcome(slac_report_state *r, FILE *f, const slac_outcome *o) {
  tally(r, o);
  if (r->fmt == SLAC_FORMAT_JSONL) jsonl(f, o);
  else if (r->fmt == SLAC_FORMAT_CSV) csv(f, o);
  else if (r->fmt == SLAC_FORMAT_HTML) slac_html_outcome(r, o);
  else text(f, o);
}

void slac_report_jsonl(FILE *f, const slac_outcome *o) { jsonl(f, o); }

const char *slac_report_overflow(const slac_report_state *r) {
  static _Thread_local char code[4];
  if (r->overflow < 0) return NULL;
  memcpy(code, r->p->currencies[r->overflow], 3);
  code[3] = 0;
  return code;
}

/* The text totals:
 *
 *   totals, 2026-09-01 to 2026-11-30
 *     credit 52.35 USD
 *     accounts credited: 1 of 3 (in 1 of 9 account-months)
 *
 * a line per currency that an account pays in, in the policy's order of
 * currencies; the account-months only when more than one month is
 * evaluated. */
int slac_report_end(slac_report_state *r, FILE *f) {
  if (r->overflow >= 0) return -1;
  if (r->fmt == SLAC_FORMAT_HTML) return slac_html_end(r, f);
  if (r->fmt != SLAC_FORMAT_TEXT) return 0;
  const slac_program *p = r->p;
  char from[8], to[8];
  slac_month_format(r->first, from);
  slac_month_format(r->last, to);
  fprintf(f, "totals, %s-01 to %s-%02d\n", from, to, slac_month_days(r->last));
  if (r->amounts) {
    for (int c = 0; c < p->ncurrencies; c++) {
      if (!r->seen[c]) continue;
      char code[4], a[64];
      memcpy(code, p->currencies[c], 3);
      code[3] = 0;
      slac_num_format(r->sums[c], slac_currency_digits(code), a, sizeof a);
      fprintf(f, "  credit %s %s\n", a, code);
    }
    fprintf(f, "  accounts credited: %ld of %ld", r->credited, r->accounts);
  } else {
    fputs("  credit: no amounts (no accounts file)\n", f);
    fprintf(f, "  accounts with a credit percent above 0: %ld of %ld", r->credited, r->accounts);
  }
  if (r->first != r->last)
    fprintf(f, " (in %ld of %ld account-months)", r->outcomes_credited, r->outcomes);
  fputc('\n', f);
  return 0;
}

void slac_report_free(slac_report_state *r) {
  slac_html_free(r);
  free(r->sums);
  free(r->seen);
  r->sums = NULL;
  r->seen = NULL;
}
