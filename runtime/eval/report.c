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
static void json_chars(slac_outbuf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)s, *plain = p; /* appended in runs */
  for (; *p; p++) {
    bool c1 = p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0;
    if (*p != '"' && *p != '\\' && *p >= 0x20 && *p != 0x7F && !c1) continue;
    slac_outbuf_put(b, (const char *)plain, (size_t)(p - plain));
    if (*p == '"' || *p == '\\') slac_outbuf_printf(b, "\\%c", *p);
    else if (!c1) slac_outbuf_printf(b, "\\u%04x", *p);
    else slac_outbuf_printf(b, "\\u%04x", *++p);
    plain = p + 1;
  }
  slac_outbuf_put(b, (const char *)plain, (size_t)(p - plain));
}

/* S doubling its quotes, as inside a quoted csv field. */
static void csv_chars(slac_outbuf *b, const char *s) {
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    slac_outbuf_put(b, s, (size_t)(q - s) + 1);
    slac_outbuf_putc(b, '"');
  }
  slac_outbuf_puts(b, s);
}

/* True when S holds a control character: C0, DEL or C1 in UTF-8. */
static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)) return true;
  return false;
}

static void json_string(slac_outbuf *b, const char *s) {
  slac_outbuf_putc(b, '"');
  json_chars(b, s);
  slac_outbuf_putc(b, '"');
}

/* A field is quoted when it holds a comma, a quote or any control
 * character (a line end included), and kept exact inside the quotes. */
static void csv_string(slac_outbuf *b, const char *s) {
  if (!strpbrk(s, ",\"") && !has_control(s)) { slac_outbuf_puts(b, s); return; }
  slac_outbuf_putc(b, '"');
  csv_chars(b, s);
  slac_outbuf_putc(b, '"');
}

/* The reasons joined by "; " as one field, however long (never cut). */
static void csv_reasons(slac_outbuf *b, const slac_vm_output *out) {
  bool quote = false;
  for (size_t i = 0; i < out->nreasons; i++)
    quote |= strpbrk(out->reasons[i], ",\"") != NULL || has_control(out->reasons[i]);
  if (quote) slac_outbuf_putc(b, '"');
  for (size_t i = 0; i < out->nreasons; i++) {
    if (i) slac_outbuf_puts(b, "; ");
    csv_chars(b, out->reasons[i]);
  }
  if (quote) slac_outbuf_putc(b, '"');
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

static void jsonl_margins(slac_outbuf *b, const slac_margin *m) {
  char a[64];
  slac_outbuf_puts(b, ",\"margins\":{\"next_tier_credit_percent\":");
  if (m->has_next) slac_outbuf_printf(b, "\"%s\"", trimmed(m->next_credit, a, sizeof a));
  else slac_outbuf_puts(b, "null");
  if (m->minutes) {
    if (m->has_next) slac_outbuf_printf(b, ",\"to_next_tier_minutes\":%lld", (long long)m->to_next_minutes);
    else slac_outbuf_puts(b, ",\"to_next_tier_minutes\":null");
    slac_outbuf_printf(b, ",\"budget_minutes\":%lld,\"over_commitment_minutes\":%lld}", (long long)m->budget_minutes,
            (long long)m->over_minutes);
    return;
  }
  if (m->has_next)
    slac_outbuf_printf(b, ",\"to_next_tier_points\":\"%s\",\"to_next_tier_strict\":%s",
            points(m->to_next_points, a, sizeof a), m->to_next_strict ? "true" : "false");
  else
    slac_outbuf_puts(b, ",\"to_next_tier_points\":null,\"to_next_tier_strict\":null");
  slac_outbuf_printf(b, ",\"budget_points\":\"%s\"", points(m->budget_points, a, sizeof a));
  slac_outbuf_printf(b, ",\"over_commitment_points\":\"%s\"}", points(m->over_points, a, sizeof a));
}

/* The csv columns margin_unit, next_tier_credit_percent, to_next_tier,
 * to_next_tier_strict, budget_left, over_commitment (after a comma). */
static void csv_margins(slac_outbuf *b, const slac_margin *m) {
  char a[64];
  slac_outbuf_puts(b, m->minutes ? ",minutes," : ",points,");
  if (m->has_next) slac_outbuf_puts(b, trimmed(m->next_credit, a, sizeof a));
  slac_outbuf_putc(b, ',');
  if (m->has_next && m->minutes) slac_outbuf_printf(b, "%lld,", (long long)m->to_next_minutes);
  else if (m->has_next) slac_outbuf_printf(b, "%s,%s", points(m->to_next_points, a, sizeof a), m->to_next_strict ? "true" : "false");
  else slac_outbuf_putc(b, ',');
  if (m->minutes) slac_outbuf_printf(b, ",%lld,%lld", (long long)m->budget_minutes, (long long)m->over_minutes);
  else {
    slac_outbuf_printf(b, ",%s", points(m->budget_points, a, sizeof a));
    slac_outbuf_printf(b, ",%s", points(m->over_points, a, sizeof a));
  }
}

/* The line under a service, in the words of an error budget:
 *   error budget: 3 min of downtime left before the commitment of 99.95% is
 *   missed; 4 more min move it to the 10% tier */
static void margin_words(slac_outbuf *b, const slac_margin *m, const slac_vm_service_output *so) {
  char a[64], c[64];
  trimmed(so->commit, c, sizeof c);
  slac_outbuf_puts(b, "error budget: ");
  if (m->minutes) {
    if (so->met)
      slac_outbuf_printf(b, "%lld min of downtime left before the commitment of %s%% is missed", (long long)m->budget_minutes, c);
    else
      slac_outbuf_printf(b, "none, the commitment of %s%% is missed (%lld fewer unavailable min would have met it)", c,
              (long long)m->over_minutes);
  } else {
    if (so->met)
      slac_outbuf_printf(b, "%s points of error rate left before the commitment of %s%% is missed",
              points(m->budget_points, a, sizeof a), c);
    else
      slac_outbuf_printf(b, "none, the commitment of %s%% is missed (an error rate %s points lower would have met it)", c,
              points(m->over_points, a, sizeof a));
  }
  if (!m->has_next) {
    slac_outbuf_printf(b, "; no worse tier: %s keeps it at %s%%", m->minutes ? "more downtime" : "a higher error rate",
            trimmed(so->credit, a, sizeof a));
    return;
  }
  if (m->minutes)
    slac_outbuf_printf(b, "; %lld more min move%s it", (long long)m->to_next_minutes, m->to_next_minutes == 1 ? "s" : "");
  else
    slac_outbuf_printf(b, "; %s%s more points of error rate move it", m->to_next_strict ? "more than " : "",
            points(m->to_next_points, a, sizeof a));
  slac_outbuf_printf(b, " to the %s%% tier", trimmed(m->next_credit, a, sizeof a));
}

static void text_margins(slac_outbuf *b, const slac_margin *m, const slac_vm_service_output *so) {
  slac_outbuf_puts(b, "    ");
  margin_words(b, m, so);
  slac_outbuf_putc(b, '\n');
}

static void jsonl(slac_outbuf *b, const slac_outcome *o) {
  const slac_program *p = o->p;
  char period[8], a[64];
  slac_month_format(o->month, period);
  slac_outbuf_puts(b, "{\"policy\":");
  json_string(b, p->strings[p->id]);
  slac_outbuf_puts(b, ",\"account\":");
  json_string(b, o->account);
  slac_outbuf_puts(b, ",\"period\":\"");
  slac_outbuf_puts(b, period);
  slac_outbuf_puts(b, "\",\"services\":[");
  for (int s = 0; s < p->nservices; s++) {
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    slac_outbuf_puts(b, s ? ",{\"service\":" : "{\"service\":");
    json_string(b, p->strings[p->services[s].id]);
    if (p->services[s].metric == SLAC_PM_MINUTES) {
      slac_outbuf_puts(b, ",\"unavailable_minutes\":");
      slac_outbuf_int(b, si->unavailable_minutes);
    } else {
      slac_outbuf_puts(b, ",\"error_rate_percent\":\"");
      slac_outbuf_puts(b, pct4(si->error_rate, a, sizeof a));
      slac_outbuf_putc(b, '"');
    }
    slac_outbuf_puts(b, ",\"excluded_minutes\":");
    slac_outbuf_int(b, si->excluded_minutes);
    slac_outbuf_puts(b, ",\"uptime_percent\":\"");
    slac_outbuf_puts(b, pct4(so->uptime, a, sizeof a));
    slac_outbuf_puts(b, so->met ? "\",\"commitment_met\":true" : "\",\"commitment_met\":false");
    slac_outbuf_puts(b, ",\"credit_percent\":\"");
    slac_outbuf_puts(b, trimmed(so->credit, a, sizeof a));
    slac_outbuf_putc(b, '"');
    if (p->base == SLAC_PB_SERVICE_CHARGE) {
      if (o->in->has_account) slac_outbuf_printf(b, ",\"credit_amount\":\"%s\"", money_of(o, so->amount, a, sizeof a));
      else slac_outbuf_puts(b, ",\"credit_amount\":null");
    }
    if (o->margins) jsonl_margins(b, &o->margins[s]);
    slac_outbuf_putc(b, '}');
  }
  slac_outbuf_puts(b, "],\"eligible\":");
  slac_outbuf_puts(b, !o->in->has_account ? "null" : o->out->eligible ? "true" : "false");
  slac_outbuf_puts(b, ",\"credit_percent\":\"");
  slac_outbuf_puts(b, trimmed(o->out->credit, a, sizeof a));
  slac_outbuf_putc(b, '"');
  if (o->in->has_account) {
    slac_outbuf_puts(b, ",\"credit_amount\":\"");
    slac_outbuf_puts(b, money(o, a, sizeof a));
    slac_outbuf_puts(b, "\",\"currency\":\"");
    slac_outbuf_put(b, o->p->currencies[o->in->currency], 3);
    slac_outbuf_putc(b, '"');
  }
  else
    slac_outbuf_puts(b, ",\"credit_amount\":null,\"currency\":null");
  slac_outbuf_puts(b, ",\"reasons\":[");
  for (size_t i = 0; i < o->out->nreasons; i++) {
    if (i) slac_outbuf_putc(b, ',');
    json_string(b, o->out->reasons[i]);
  }
  slac_outbuf_putc(b, ']');
  if (ncaveats(p)) {
    slac_outbuf_puts(b, ",\"notes\":[");
    bool first = true;
    for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
      if (!p->notes[i].shown) continue;
      const char *cite = caveat_cite(p, &p->notes[i]);
      if (!first) slac_outbuf_putc(b, ',');
      first = false;
      slac_outbuf_putc(b, '"');
      json_chars(b, p->strings[p->notes[i].text]);
      if (cite) {
        slac_outbuf_puts(b, " (");
        json_chars(b, cite);
        slac_outbuf_putc(b, ')');
      }
      slac_outbuf_putc(b, '"');
    }
    slac_outbuf_putc(b, ']');
  }
  if (o->hypothesis) {
    slac_outbuf_puts(b, ",\"hypothetical\":");
    json_string(b, o->hypothesis);
  }
  slac_outbuf_puts(b, "}\n");
}

/* The first columns of every row: policy, account, period, scope. */
static void csv_row_start(slac_outbuf *b, const slac_outcome *o, const char *period, const char *scope) {
  csv_string(b, o->p->strings[o->p->id]);
  slac_outbuf_putc(b, ',');
  csv_string(b, o->account);
  slac_outbuf_putc(b, ',');
  slac_outbuf_puts(b, period);
  slac_outbuf_putc(b, ',');
  slac_outbuf_puts(b, scope);
  slac_outbuf_putc(b, ',');
}

/* The notes shown with this outcome, joined by "; " as one field. */
static void csv_notes(slac_outbuf *b, const slac_outcome *o) {
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
  if (quote) slac_outbuf_putc(b, '"');
  bool first = true;
  for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
    if (!p->notes[i].shown) continue;
    const char *cite = caveat_cite(p, &p->notes[i]);
    if (!first) slac_outbuf_puts(b, "; ");
    first = false;
    for (int part = 0; part < 2; part++) {
      const char *s = part == 0 ? p->strings[p->notes[i].text] : cite;
      if (!s) break;
      if (part) slac_outbuf_puts(b, " (");
      csv_chars(b, s);
      if (part) slac_outbuf_putc(b, ')');
    }
  }
  if (quote) slac_outbuf_putc(b, '"');
}

/* One row per service, then the account's row: the amount is written
 * once, on the account's row, so that a sum of the credit_amount column
 * is the total credit.  Per-service amounts (a policy that credits each
 * service on its own charge) are left to jsonl and text: minimums and
 * caps apply to their sum, so they are not parts of the amount paid. */
static void csv(slac_outbuf *b, const slac_outcome *o) {
  const slac_program *p = o->p;
  char period[8], a[64];
  slac_month_format(o->month, period);
  for (int s = 0; s < p->nservices; s++) {
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    csv_row_start(b, o, period, "service");
    csv_string(b, p->strings[p->services[s].id]);
    slac_outbuf_putc(b, ',');
    if (p->services[s].metric == SLAC_PM_MINUTES) {
      slac_outbuf_int(b, si->unavailable_minutes);
      slac_outbuf_putc(b, ',');
    } else {
      slac_outbuf_putc(b, ',');
      slac_outbuf_puts(b, pct4(si->error_rate, a, sizeof a));
    }
    slac_outbuf_putc(b, ',');
    slac_outbuf_int(b, si->excluded_minutes);
    slac_outbuf_putc(b, ',');
    slac_outbuf_puts(b, pct4(so->uptime, a, sizeof a));
    slac_outbuf_puts(b, so->met ? ",true," : ",false,");
    slac_outbuf_puts(b, trimmed(so->credit, a, sizeof a));
    slac_outbuf_puts(b, ",,,,,,");
    if (o->margins) csv_margins(b, &o->margins[s]);
    else slac_outbuf_puts(b, ",,,,,,");
    slac_outbuf_putc(b, '\n');
  }
  csv_row_start(b, o, period, "account");
  slac_outbuf_puts(b, ",,,,,,,");
  slac_outbuf_puts(b, !o->in->has_account ? "" : o->out->eligible ? "true" : "false");
  slac_outbuf_putc(b, ',');
  slac_outbuf_puts(b, trimmed(o->out->credit, a, sizeof a));
  if (o->in->has_account) {
    slac_outbuf_putc(b, ',');
    slac_outbuf_puts(b, money(o, a, sizeof a));
    slac_outbuf_putc(b, ',');
    slac_outbuf_put(b, o->p->currencies[o->in->currency], 3);
    slac_outbuf_putc(b, ',');
  } else {
    slac_outbuf_puts(b, ",,,");
  }
  csv_reasons(b, o->out);
  slac_outbuf_putc(b, ',');
  csv_notes(b, o);
  slac_outbuf_puts(b, ",,,,,,\n"); /* the margins are the services' */
}

/* The text report is read on a terminal: every name and sentence in it
 * (account names come from data files, strings from the policy or its
 * bytecode) goes through slac_put_shown, which escapes control
 * characters. */
static void text(slac_outbuf *b, const slac_outcome *o) {
  const slac_program *p = o->p;
  char period[8], a[64], c[64];
  slac_month_format(o->month, period);
  slac_put_shown_buf(b, o->account);
  slac_outbuf_printf(b, ", %s (%s-01 to %s-%02d)\n", period, period, period, slac_month_days(o->month));
  for (int s = 0; s < p->nservices; s++) {
    const slac_prog_service *ps = &p->services[s];
    const slac_vm_service_input *si = &o->in->services[s];
    const slac_vm_service_output *so = &o->out->services[s];
    slac_outbuf_puts(b, "  ");
    slac_put_shown_buf(b, p->strings[ps->id]);
    slac_outbuf_puts(b, " (");
    slac_put_shown_buf(b, p->strings[ps->title]);
    slac_outbuf_printf(b, "): uptime %s%%", pct4(so->uptime, a, sizeof a));
    if (ps->metric == SLAC_PM_MINUTES)
      slac_outbuf_printf(b, ", %lld unavailable min", (long long)si->unavailable_minutes);
    else
      slac_outbuf_printf(b, ", average error rate %s%%", pct4(si->error_rate, a, sizeof a));
    if (si->excluded_minutes) slac_outbuf_printf(b, ", %lld excluded min", (long long)si->excluded_minutes);
    slac_outbuf_printf(b, "; commitment %s%% %s; tier %s%%", trimmed(so->commit, c, sizeof c),
            so->met ? "met" : "missed", trimmed(so->credit, a, sizeof a));
    if (p->base == SLAC_PB_SERVICE_CHARGE && o->in->has_account)
      slac_outbuf_printf(b, ", credit %s %s", money_of(o, so->amount, a, sizeof a), currency(o));
    slac_outbuf_putc(b, '\n');
    if (o->margins) text_margins(b, &o->margins[s], so);
  }
  if (o->in->has_account) {
    char amount[64];
    slac_outbuf_printf(b, "  credit %s%%: %s %s%s\n", trimmed(o->out->credit, a, sizeof a),
            money(o, amount, sizeof amount), currency(o), o->out->eligible ? "" : " (not eligible)");
  } else {
    slac_outbuf_printf(b, "  credit %s%% (no accounts file: no amount)\n", trimmed(o->out->credit, a, sizeof a));
  }
  for (size_t i = 0; i < o->out->nreasons; i++) {
    slac_outbuf_puts(b, "  - ");
    slac_put_shown_buf(b, o->out->reasons[i]);
    slac_outbuf_putc(b, '\n');
  }
  for (uint16_t i = 0; shows_caveats(o) && i < p->nnotes; i++) {
    if (!p->notes[i].shown) continue;
    const char *cite = caveat_cite(p, &p->notes[i]);
    slac_outbuf_puts(b, "  note: ");
    slac_put_shown_buf(b, p->strings[p->notes[i].text]);
    if (cite) {
      slac_outbuf_puts(b, " (");
      slac_put_shown_buf(b, cite);
      slac_outbuf_putc(b, ')');
    }
    slac_outbuf_putc(b, '\n');
  }
  slac_outbuf_putc(b, '\n');
}

/* The bytes a report holds before writing them to its FILE. */
enum { REPORT_BUFFER = 1 << 16 };

/* R's state apart from where it writes. */
static int report_init(slac_report_state *r, slac_format fmt, const slac_program *p, slac_month first,
                       slac_month last) {
  memset(r, 0, sizeof *r);
  r->p = p;
  r->fmt = fmt;
  r->first = first;
  r->last = last;
  r->overflow = -1;
  r->sums = calloc((size_t)p->ncurrencies + 1, sizeof *r->sums);
  r->seen = calloc((size_t)p->ncurrencies + 1, sizeof *r->seen);
  if (!r->sums || !r->seen) return -1;
  for (int c = 0; c < p->ncurrencies; c++) r->sums[c] = slac_num_int(0);
  return 0;
}

int slac_report_begin(slac_report_state *r, FILE *f, slac_format fmt, const slac_program *p,
                      slac_month first, slac_month last) {
  if (report_init(r, fmt, p, first, last) != 0 || slac_outbuf_to_file(&r->buf, f, NULL, REPORT_BUFFER) != 0 ||
      (fmt == SLAC_FORMAT_HTML && slac_html_begin(r) != 0)) {
    slac_report_free(r);
    return -1;
  }
  r->f = f;
  if (fmt == SLAC_FORMAT_CSV)
    slac_outbuf_puts(&r->buf, "policy,account,period,scope,service,unavailable_minutes,error_rate_percent,"
                     "excluded_minutes,uptime_percent,commitment_met,service_credit_percent,eligible,"
                     "credit_percent,credit_amount,currency,reasons,notes,margin_unit,next_tier_credit_percent,"
                     "to_next_tier,to_next_tier_strict,budget_left,over_commitment\n");
  else if (fmt == SLAC_FORMAT_TEXT) {
    slac_report_title(f, p, slac_put_shown); /* nothing is buffered yet */
    slac_outbuf_puts(&r->buf, "\n\n");
  }
  return 0;
}

int slac_report_part_begin(slac_report_state *part, const slac_report_state *whole) {
  if (report_init(part, whole->fmt, whole->p, whole->first, whole->last) != 0) {
    slac_report_free(part);
    return -1;
  }
  slac_outbuf_in_memory(&part->buf);
  part->hypothesis = whole->hypothesis;
  return 0;
}

int slac_report_part_append(slac_report_state *whole, slac_report_state *part) {
  if (slac_outbuf_failed(&part->buf)) return -1;
  slac_outbuf_append(&whole->buf, &part->buf);
  part->buf.len = 0;
  whole->accounts += part->accounts;
  whole->credited += part->credited;
  whole->outcomes += part->outcomes;
  whole->outcomes_credited += part->outcomes_credited;
  whole->amounts |= part->amounts;
  for (int c = 0; c < whole->p->ncurrencies; c++) {
    whole->seen[c] |= part->seen[c];
    if (whole->overflow < 0 && slac_num_add(whole->sums[c], part->sums[c], &whole->sums[c]) != SLAC_NUM_OK)
      whole->overflow = c;
    part->sums[c] = slac_num_int(0);
    part->seen[c] = false;
  }
  if (whole->overflow < 0) whole->overflow = part->overflow;
  /* the parts hold whole accounts, in order: the next outcome's account
   * is never the last one of this part */
  whole->account = part->account;
  whole->account_credited = part->account_credited;
  part->accounts = part->credited = part->outcomes = part->outcomes_credited = 0;
  part->amounts = false;
  part->account = NULL;
  part->overflow = -1;
  return 0;
}

void slac_report_hypothesis(slac_report_state *r, const char *words) {
  r->hypothesis = words;
  if (r->fmt != SLAC_FORMAT_TEXT) return;
  slac_outbuf_puts(&r->buf, "Hypothetical outcomes, not the credits owed: ");
  slac_put_shown_buf(&r->buf, words);
  slac_outbuf_puts(&r->buf, ".\n\n");
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

void slac_report_outcome(slac_report_state *r, const slac_outcome *o) {
  tally(r, o);
  if (r->fmt == SLAC_FORMAT_JSONL) jsonl(&r->buf, o);
  else if (r->fmt == SLAC_FORMAT_CSV) csv(&r->buf, o);
  else if (r->fmt == SLAC_FORMAT_HTML) slac_html_outcome(r, o);
  else text(&r->buf, o);
}

void slac_report_jsonl(FILE *f, const slac_outcome *o) {
  char storage[4096];
  slac_outbuf b;
  slac_outbuf_to_file(&b, f, storage, sizeof storage); /* the caller's storage: cannot fail */
  jsonl(&b, o);
  slac_outbuf_free(&b);
}

void slac_report_margin_words(FILE *f, const slac_margin *m, const slac_vm_service_output *so) {
  char storage[1024];
  slac_outbuf b;
  slac_outbuf_to_file(&b, f, storage, sizeof storage);
  margin_words(&b, m, so);
  slac_outbuf_free(&b);
}

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
static void text_totals(slac_report_state *r, slac_outbuf *b) {
  const slac_program *p = r->p;
  char from[8], to[8];
  slac_month_format(r->first, from);
  slac_month_format(r->last, to);
  slac_outbuf_printf(b, "totals, %s-01 to %s-%02d\n", from, to, slac_month_days(r->last));
  if (r->amounts) {
    for (int c = 0; c < p->ncurrencies; c++) {
      if (!r->seen[c]) continue;
      char code[4], a[64];
      memcpy(code, p->currencies[c], 3);
      code[3] = 0;
      slac_num_format(r->sums[c], slac_currency_digits(code), a, sizeof a);
      slac_outbuf_printf(b, "  credit %s %s\n", a, code);
    }
    slac_outbuf_printf(b, "  accounts credited: %ld of %ld", r->credited, r->accounts);
  } else {
    slac_outbuf_puts(b, "  credit: no amounts (no accounts file)\n");
    slac_outbuf_printf(b, "  accounts with a credit percent above 0: %ld of %ld", r->credited, r->accounts);
  }
  if (r->first != r->last)
    slac_outbuf_printf(b, " (in %ld of %ld account-months)", r->outcomes_credited, r->outcomes);
  slac_outbuf_putc(b, '\n');
}

int slac_report_end(slac_report_state *r) {
  if (r->overflow >= 0) return -1;
  if (r->fmt == SLAC_FORMAT_TEXT) text_totals(r, &r->buf);
  slac_outbuf_flush(&r->buf);
  if (r->fmt == SLAC_FORMAT_HTML) return slac_html_end(r, r->f);
  return 0;
}

void slac_report_free(slac_report_state *r) {
  slac_html_free(r);
  free(r->sums);
  free(r->seen);
  r->sums = NULL;
  r->seen = NULL;
  slac_outbuf_free(&r->buf);
}
