/* report_html.c - the html report (report_html.h): a summary, then a
 * statement per account and month with the period's dates, each
 * service's uptime against its commitment and tier, a chart of the
 * minutes per day, the incidents behind them, the reasons, the notes and
 * the amount.  Every number is an integer or an exact decimal, formatted
 * as the other reports do; every string from the data or the policy goes
 * through slac_html_text.  Nothing in the file depends on the time of the
 * run, and it names no URL at all (inline SVG in html needs no namespace). */
#include "runtime/eval/report_html.h"

#include <stdlib.h>
#include <string.h>
#include "runtime/base/currency.h"
#include "runtime/eval/svg_chart.h"
#include "runtime/eval/tiers.h"

/* The largest credits shown in the summary, per currency. */
enum { TOP_CREDITS = 10 };

typedef struct {
  char *account;
  slac_month month;
  slac_num amount;
  int currency;
  long order; /* report order: ties keep it */
} credit;

struct slac_html {
  FILE *mem; /* the statements, until the end */
  char *body;
  size_t body_len;
  credit *credits;
  size_t ncredits, cap;
  long statements;
  bool oom;  /* a credit could not be remembered: the end fails */
};

void slac_html_text(FILE *f, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default:
      if (*p < 0x20 || *p == 0x7F) fputs("\xEF\xBF\xBD", f);
      else fputc(*p, f);
    }
  }
}

static void code_of(const slac_program *p, int c, char code[4]) {
  memcpy(code, p->currencies[c], 3);
  code[3] = 0;
}

static const char *fmt_num(slac_num v, int digits, char *buf, size_t size) {
  slac_num_format(v, digits, buf, size);
  return buf;
}

/* 4 decimals truncated toward zero, as CONTRACT section 4 says. */
static const char *pct4(slac_num v, char *buf, size_t size) {
  slac_num t;
  if (slac_num_trunc(v, 4, &t) != SLAC_NUM_OK) t = v;
  return fmt_num(t, 4, buf, size);
}

int slac_html_begin(slac_report_state *r) {
  struct slac_html *h = calloc(1, sizeof *h);
  if (!h) return -1;
  h->mem = open_memstream(&h->body, &h->body_len);
  if (!h->mem) {
    free(h);
    return -1;
  }
  r->html = h;
  return 0;
}

/* Remember O's amount for the largest credits (0.00 is no credit). */
static void remember(struct slac_html *h, const slac_outcome *o) {
  if (!o->in->has_account || !(o->out->amount.units > 0 || o->out->amount.above)) return;
  if (h->ncredits == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 16;
    credit *n = realloc(h->credits, cap * sizeof *n);
    if (!n) {
      h->oom = true;
      return;
    }
    h->credits = n;
    h->cap = cap;
  }
  char *name = strdup(o->account);
  if (!name) {
    h->oom = true;
    return;
  }
  h->credits[h->ncredits++] = (credit){name, o->month, o->out->amount, o->in->currency,
                                       h->statements};
}

/* The incidents of service S behind the minutes of the month [MS, ME). */
static void incidents(FILE *f, const slac_outcome *o, int s, slac_time ms, slac_time me) {
  const slac_outcome_detail *d = o->detail;
  const slac_program *p = o->p;
  bool any = false;
  for (size_t i = 0; i < d->nincidents; i++) {
    const slac_incident *in = &d->incidents[i];
    if (in->service != s) continue;
    bool inside = in->start < me && (in->end > ms || (in->start == in->end && in->start >= ms));
    if (!inside) continue;
    if (!any) {
      fputs("<table class=\"incidents\">\n<caption>Incidents behind the minutes</caption>\n<thead><tr>"
            "<th scope=\"col\">Start</th><th scope=\"col\">End</th><th scope=\"col\">Cause</th>"
            "<th scope=\"col\">Unavailable minutes</th><th scope=\"col\">Excluded minutes</th>"
            "</tr></thead>\n<tbody>\n", f);
      any = true;
    }
    /* the clock minutes the incident touches within the month */
    slac_time lo = (in->start > ms ? in->start : ms) / 60;
    slac_time hi = ((in->end < me ? in->end : me) + 59) / 60;
    char a[32], b[32];
    slac_time_format(in->start, a);
    slac_time_format(in->end, b);
    fprintf(f, "<tr><td>%s</td><td>%s</td><td>", a, b);
    slac_html_text(f, p->strings[p->causes[in->cause]]);
    if (in->late) fputs(" (announced too late: counts)", f);
    fprintf(f, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
            (long long)slac_spanset_measure_within(&d->unavailable[s], lo, hi),
            (long long)slac_spanset_measure_within(&d->excluded[s], lo, hi));
  }
  if (any)
    fputs("</tbody>\n</table>\n<p class=\"note\">A minute that several incidents touch counts once "
          "in the totals.</p>\n", f);
  else fputs("<p>No incidents in this period.</p>\n", f);
}

/* The credit of row I of TT's table: a tier's, or 0 for the last row. */
static slac_num credit_of(const slac_terms_table *tt, int i) {
  return i < tt->ntiers ? tt->tiers[i].credit : slac_num_int(0);
}

static const char *bound_words(int op) {
  return op == SLAC_OP_LT ? "below" : op == SLAC_OP_LE ? "at or below" : op == SLAC_OP_GT ? "above"
                                                                         : "at or above";
}

/* The tier table of service S: the terms the code applies to the
 * account's plan, the first tier whose bounds hold the uptime marked (the
 * code tests them in this order).  Nothing when the terms cannot be read
 * back from the code (tiers.h), or when what was read disagrees with what
 * the VM wrote (the commitment, the tier's credit): no table rather than
 * a wrong one. */
static void tier_table(FILE *f, const slac_outcome *o, int s) {
  const slac_program *p = o->p;
  const slac_vm_service_output *so = &o->out->services[s];
  slac_terms_table tt;
  if (slac_service_terms(p, s, o->in->plan, &tt) != 0 || tt.ntiers == 0) return;
  int here = tt.ntiers; /* the row that applies: "any other uptime" unless a tier holds */
  for (int i = 0; i < tt.ntiers && here == tt.ntiers; i++)
    if (slac_tier_holds(&tt.tiers[i], so->uptime)) here = i;
  slac_num applied = credit_of(&tt, here);
  int c1 = 1, c2 = 1;
  if (slac_num_cmp(applied, so->credit, &c1) != SLAC_NUM_OK || c1 != 0 ||
      slac_num_cmp(tt.commit, so->commit, &c2) != SLAC_NUM_OK || c2 != 0)
    return;
  char a[64];
  fputs("<table class=\"tiers\">\n<caption>Credit tiers of ", f);
  slac_html_text(f, p->strings[p->services[s].id]);
  if (tt.kind == SLAC_TERMS_PLAN) {
    fputs(" (terms for plan &quot;", f);
    slac_html_text(f, o->in->plan ? o->in->plan : "");
    fputs("&quot;)", f);
  } else if (tt.kind == SLAC_TERMS_DEFAULT) {
    fputs(" (default terms)", f);
  }
  fputs("</caption>\n<thead><tr><th scope=\"col\">Uptime</th><th scope=\"col\">Credit</th>"
        "<th scope=\"col\">This statement</th></tr></thead>\n<tbody>\n", f);
  for (int i = 0; i <= tt.ntiers; i++) {
    fputs(i == here ? "<tr class=\"applies\"><td>" : "<tr><td>", f);
    if (i == tt.ntiers) fputs("any other uptime", f);
    for (int b = 0; i < tt.ntiers && b < tt.tiers[i].nbounds; b++)
      fprintf(f, "%s%s %s%%", b ? " and " : "", bound_words(tt.tiers[i].op[b]),
              fmt_num(tt.tiers[i].bound[b], -1, a, sizeof a));
    fprintf(f, "</td><td class=\"num\">%s%%</td><td>%s</td></tr>\n", fmt_num(credit_of(&tt, i), -1, a, sizeof a),
            i == here ? "<mark>applies</mark>" : "");
  }
  fputs("</tbody>\n</table>\n", f);
}

/* The day chart of service S (minute-measured). */
static void chart(FILE *f, const slac_outcome *o, int s, slac_time ms, const char *period) {
  const slac_outcome_detail *d = o->detail;
  int days = slac_month_days(o->month);
  /* every day is set below; zeroed all the same, since the link-time
   * optimiser of the PostgreSQL module (ctest pg, -Werror) cannot see
   * that DAYS is at least 28 and called them maybe uninitialised */
  int64_t u[31] = {0}, x[31] = {0};
  for (int k = 0; k < days; k++) {
    slac_time lo = ms / 60 + (slac_time)k * 1440;
    u[k] = slac_spanset_measure_within(&d->unavailable[s], lo, lo + 1440);
    x[k] = slac_spanset_measure_within(&d->excluded[s], lo, lo + 1440);
  }
  char label[600];
  snprintf(label, sizeof label, "Minutes per day of %s in %s", o->p->strings[o->p->services[s].id], period);
  static const char *const words[2] = {"unavailable", "excluded"};
  fputs("<figure>\n", f);
  slac_svg_day_chart(f, label, words, u, x, days);
  fputs("<figcaption>Minutes per day: <span class=\"key unavailable\"></span> unavailable, "
        "<span class=\"key excluded\"></span> excluded</figcaption>\n</figure>\n", f);
}

/* The day chart of service S (error-rate): the month's request windows
 * by the day they start, those with errors (the windows whose errors /
 * requests the average adds up; the others add 0%) and those an
 * exclusion made 0%.  Counts, not rates: exact, and what the sums of the
 * average were made of. */
static void window_chart(FILE *f, const slac_outcome *o, int s, const char *period) {
  const slac_prog_service *ps = &o->p->services[s];
  const slac_window_day *wd = o->detail->days ? o->detail->days[s] : NULL;
  int days = slac_month_days(o->month);
  int64_t e[31], x[31];
  for (int k = 0; k < days; k++) {
    e[k] = wd ? wd[k].errored : 0;
    x[k] = wd ? wd[k].excluded : 0;
  }
  char len[32], label[600];
  if (ps->window_seconds % 60 == 0) snprintf(len, sizeof len, "%u min", ps->window_seconds / 60);
  else snprintf(len, sizeof len, "%u s", ps->window_seconds);
  snprintf(label, sizeof label, "Request windows of %s per day of %s in %s", len,
           o->p->strings[ps->id], period);
  static const char *const words[2] = {"with errors", "excluded"};
  fputs("<figure>\n", f);
  slac_svg_day_chart(f, label, words, e, x, days);
  fprintf(f, "<figcaption>Request windows of %s per day: <span class=\"key unavailable\"></span> "
          "with errors, <span class=\"key excluded\"></span> excluded (counted as 0%% errors). The "
          "average error rate is the mean of errors / requests over %s: only the windows with "
          "errors add to it.</figcaption>\n</figure>\n", len,
          ps->empty_left_out ? "the windows with requests"
                             : "every window of the month (one without requests counts as 0%)");
}

static void service(FILE *f, const slac_outcome *o, int s, slac_time ms, slac_time me,
                    const char *period) {
  const slac_program *p = o->p;
  const slac_prog_service *ps = &p->services[s];
  const slac_vm_service_input *si = &o->in->services[s];
  const slac_vm_service_output *so = &o->out->services[s];
  char a[64];
  fputs("<h3>", f);
  slac_html_text(f, p->strings[ps->id]);
  fputs(" (", f);
  slac_html_text(f, p->strings[ps->title]);
  fputs(")</h3>\n<table class=\"service\">\n<caption>Uptime of ", f);
  slac_html_text(f, p->strings[ps->id]);
  fputs(" against the commitment</caption>\n<tbody>\n", f);
  fprintf(f, "<tr><th scope=\"row\">Uptime</th><td class=\"num\">%s%%</td></tr>\n",
          pct4(so->uptime, a, sizeof a));
  fprintf(f, "<tr><th scope=\"row\">Commitment</th><td class=\"num %s\">%s%% %s</td></tr>\n",
          so->met ? "met" : "missed", fmt_num(so->commit, -1, a, sizeof a), so->met ? "met" : "missed");
  if (ps->metric == SLAC_PM_MINUTES)
    fprintf(f, "<tr><th scope=\"row\">Unavailable minutes</th><td class=\"num\">%lld</td></tr>\n",
            (long long)si->unavailable_minutes);
  else
    fprintf(f, "<tr><th scope=\"row\">Average error rate</th><td class=\"num\">%s%%</td></tr>\n",
            pct4(si->error_rate, a, sizeof a));
  fprintf(f, "<tr><th scope=\"row\">Excluded minutes</th><td class=\"num\">%lld</td></tr>\n",
          (long long)si->excluded_minutes);
  fprintf(f, "<tr class=\"tier\"><th scope=\"row\">Credit tier</th><td class=\"num\"><mark>%s%%</mark></td></tr>\n",
          fmt_num(so->credit, -1, a, sizeof a));
  if (p->base == SLAC_PB_SERVICE_CHARGE && o->in->has_account) {
    char code[4];
    code_of(p, o->in->currency, code);
    fprintf(f, "<tr><th scope=\"row\">Service credit</th><td class=\"num\">%s %s</td></tr>\n",
            fmt_num(so->amount, o->in->minor_digits, a, sizeof a), code);
  }
  fputs("</tbody>\n</table>\n", f);
  if (o->margins) { /* CONTRACT 6.4: every outcome reports its margins */
    fputs("<p class=\"budget\">", f);
    slac_report_margin_words(f, &o->margins[s], so);
    fputs("</p>\n", f);
  }
  tier_table(f, o, s);
  if (ps->metric == SLAC_PM_MINUTES) chart(f, o, s, ms, period);
  else window_chart(f, o, s, period);
  incidents(f, o, s, ms, me);
}

void slac_html_outcome(slac_report_state *r, const slac_outcome *o) {
  struct slac_html *h = r->html;
  FILE *f = h->mem;
  const slac_program *p = o->p;
  char period[8], a[64];
  slac_month_format(o->month, period);
  h->statements++;
  remember(h, o);
  slac_time ms = slac_month_start(o->month), me = slac_month_start(o->month + 1);
  fprintf(f, "<section class=\"statement\" aria-labelledby=\"s%ld\">\n<h2 id=\"s%ld\">", h->statements,
          h->statements);
  slac_html_text(f, o->account);
  fprintf(f, ", %s</h2>\n<p class=\"period\">Period: %s-01 to %s-%02d (%lld minutes)</p>\n", period,
          period, period, slac_month_days(o->month), (long long)o->in->month_minutes);
  fprintf(f, "<p class=\"amount\">Credit %s%%: ", fmt_num(o->out->credit, -1, a, sizeof a));
  if (o->in->has_account) {
    char code[4];
    code_of(p, o->in->currency, code);
    fprintf(f, "<strong>%s %s</strong>%s</p>\n", fmt_num(o->out->amount, o->in->minor_digits, a, sizeof a),
            code, o->out->eligible ? "" : " (not eligible)");
  } else {
    fputs("no amount (no accounts data)</p>\n", f);
  }
  for (int s = 0; s < p->nservices; s++) service(f, o, s, ms, me, period);
  fputs("<h3>Reasons</h3>\n<ul class=\"reasons\">\n", f);
  for (size_t i = 0; i < o->out->nreasons; i++) {
    fputs("<li>", f);
    slac_html_text(f, o->out->reasons[i]);
    fputs("</li>\n", f);
  }
  fputs("</ul>\n", f);
  /* caveats, shown with an outcome that earns a credit (as in text) */
  bool notes = false;
  for (uint16_t i = 0; (o->out->credit.units > 0 || o->out->credit.above) && i < p->nnotes; i++) {
    if (!p->notes[i].shown) continue;
    if (!notes) fputs("<h3>Notes</h3>\n<ul class=\"notes\">\n", f);
    notes = true;
    fputs("<li>", f);
    slac_html_text(f, p->strings[p->notes[i].text]);
    if (p->notes[i].cite != SLAC_NONE) {
      fputs(" (", f);
      slac_html_text(f, p->strings[p->notes[i].cite]);
      fputc(')', f);
    }
    fputs("</li>\n", f);
  }
  if (notes) fputs("</ul>\n", f);
  fputs("</section>\n", f);
}

static int by_size(const void *pa, const void *pb) {
  const credit *a = pa, *b = pb;
  if (a->currency != b->currency) return a->currency < b->currency ? -1 : 1;
  int c = 0;
  slac_num_cmp(b->amount, a->amount, &c); /* amounts of one currency: decided */
  if (c) return c;
  return a->order < b->order ? -1 : a->order > b->order;
}

static const char style[] =
    "<style>\n"
    "body{font-family:sans-serif;color:#111;max-width:52em;margin:1em auto;padding:0 1em}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "caption{text-align:left;font-weight:bold;padding:.2em 0;white-space:nowrap}\n"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left}\n"
    "td.num{text-align:right}\n"
    ".incidents td{white-space:nowrap}\n"
    "td.missed{color:#a00}\n"
    "mark{background:#ffd54f;font-weight:bold}\n"
    "tr.applies{background:#fff3c4;font-weight:bold}\n"
    ".chart text{font-size:10px;fill:#333}\n"
    ".chart .axis{stroke:#333}\n"
    ".unavailable{fill:#c62828;background:#c62828}\n"
    ".excluded{fill:#9e9e9e;background:#9e9e9e}\n"
    ".key{display:inline-block;width:.8em;height:.8em}\n"
    ".amount strong{font-size:1.2em}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{max-width:none;margin:0;font-size:10pt}"
    ".statement{break-before:page;page-break-before:always}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
    "</style>\n";

static void summary(slac_report_state *r, FILE *f) {
  struct slac_html *h = r->html;
  const slac_program *p = r->p;
  char a[64], code[4];
  fputs("<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n", f);
  if (r->amounts) {
    fputs("<table class=\"totals\">\n<caption>Total credit per currency</caption>\n<thead><tr>"
          "<th scope=\"col\">Currency</th><th scope=\"col\">Credit</th></tr></thead>\n<tbody>\n", f);
    for (int c = 0; c < p->ncurrencies; c++) {
      if (!r->seen[c]) continue;
      code_of(p, c, code);
      fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td></tr>\n", code,
              fmt_num(r->sums[c], slac_currency_digits(code), a, sizeof a));
    }
    fputs("</tbody>\n</table>\n", f);
    fprintf(f, "<p class=\"credited\">Accounts credited: %ld of %ld", r->credited, r->accounts);
  } else {
    fputs("<p>No amounts: no accounts data.</p>\n", f);
    fprintf(f, "<p class=\"credited\">Accounts with a credit percent above 0: %ld of %ld", r->credited,
            r->accounts);
  }
  if (r->first != r->last)
    fprintf(f, " (in %ld of %ld account-months)", r->outcomes_credited, r->outcomes);
  fputs("</p>\n", f);
  if (h->ncredits) {
    qsort(h->credits, h->ncredits, sizeof *h->credits, by_size);
    fprintf(f, "<table class=\"largest\">\n<caption>Largest credits (at most %d per currency)</caption>\n"
            "<thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Period</th>"
            "<th scope=\"col\">Credit</th></tr></thead>\n<tbody>\n", TOP_CREDITS);
    int shown = 0;
    for (size_t i = 0; i < h->ncredits; i++) {
      const credit *c = &h->credits[i];
      shown = i && c->currency == h->credits[i - 1].currency ? shown + 1 : 1;
      if (shown > TOP_CREDITS) continue;
      char period[8];
      slac_month_format(c->month, period);
      code_of(p, c->currency, code);
      fputs("<tr><td>", f);
      slac_html_text(f, c->account);
      fprintf(f, "</td><td>%s</td><td class=\"num\">%s %s</td></tr>\n", period,
              fmt_num(c->amount, slac_currency_digits(code), a, sizeof a), code);
    }
    fputs("</tbody>\n</table>\n", f);
  }
  fputs("</section>\n", f);
}

int slac_html_end(slac_report_state *r, FILE *f) {
  struct slac_html *h = r->html;
  const slac_program *p = r->p;
  int closed = fclose(h->mem);
  h->mem = NULL;
  if (closed != 0 || h->oom) return -1;
  char from[8], to[8];
  slac_month_format(r->first, from);
  slac_month_format(r->last, to);
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
  slac_html_text(f, p->strings[p->id]);
  fprintf(f, " credit statements, %s-01 to %s-%02d</title>\n", from, to, slac_month_days(r->last));
  fputs(style, f);
  fputs("</head>\n<body>\n<header>\n<h1>", f);
  slac_report_title(f, p, slac_html_text);
  fprintf(f, "</h1>\n<p>Credit statements, %s-01 to %s-%02d</p>\n", from, to,
          slac_month_days(r->last));
  if (r->hypothesis) { /* slac eval --what-if */
    fputs("<p class=\"hypothetical\"><strong>Hypothetical statements, not the credits owed:</strong> ", f);
    slac_html_text(f, r->hypothesis);
    fputs(".</p>\n", f);
  }
  fputs("</header>\n<main>\n", f);
  summary(r, f);
  fwrite(h->body, 1, h->body_len, f);
  fputs("</main>\n</body>\n</html>\n", f);
  return 0;
}

void slac_html_free(slac_report_state *r) {
  struct slac_html *h = r->html;
  if (!h) return;
  if (h->mem) fclose(h->mem);
  free(h->body);
  for (size_t i = 0; i < h->ncredits; i++) free(h->credits[i].account);
  free(h->credits);
  free(h);
  r->html = NULL;
}
