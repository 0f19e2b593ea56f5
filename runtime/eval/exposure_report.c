/* exposure_report.c - the steps of the total credit: each month and
 * currency's changes (sorted by d) added exactly, one step per d where an
 * account's amount changes, in text, jsonl or csv (exposure_report.h). */
#include "runtime/eval/exposure_report.h"

#include <string.h>
#include "runtime/base/currency.h"
#include "runtime/base/diag.h"

/* The named services in words: "a", "a and b", "a, b and c". */
static void service_words(FILE *f, const slac_exposure *x) {
  const slac_program *p = x->p;
  int count = 0, total = 0;
  for (int s = 0; s < p->nservices; s++) total += x->named[s];
  for (int s = 0; s < p->nservices; s++) {
    if (!x->named[s]) continue;
    count++;
    if (count > 1) fputs(count == total ? " and " : ", ", f);
    slac_put_shown(f, p->strings[p->services[s].id]);
  }
}

static void money(slac_num a, const char *code, bool sign, char *buf, size_t size) {
  size_t w = 0;
  if (sign && a.units >= 0) buf[w++] = '+';
  slac_num_format(a, slac_currency_digits(code), buf + w, size - w);
}

static const char *plural(long n) { return n == 1 ? "" : "s"; }

static void group_head(FILE *f, const slac_exposure *x, slac_format fmt, slac_month m,
                       const char *code, long accounts, slac_num total, long credited) {
  const slac_program *p = x->p;
  char period[8], amount[64];
  slac_month_format(m, period);
  money(total, code, false, amount, sizeof amount);
  if (fmt == SLAC_FORMAT_TEXT) {
    fprintf(f, "\n%s (%s-01 to %s-%02d), %s, %ld account%s\n", period, period, period,
            slac_month_days(m), code, accounts, plural(accounts));
    fprintf(f, "  +0 min: %s %s, %ld account%s credited\n", amount, code, credited, plural(credited));
  } else if (fmt == SLAC_FORMAT_CSV) {
    fprintf(f, "%s,%s,%s,%ld,0,,,%s,%ld\n", p->strings[p->id], period, code, accounts, amount, credited);
  } else {
    fprintf(f, "{\"policy\":\"%s\",\"period\":\"%s\",\"currency\":\"%s\",\"services\":[",
            p->strings[p->id], period, code);
    int k = 0;
    for (int s = 0; s < p->nservices; s++)
      if (x->named[s]) fprintf(f, "%s\"%s\"", k++ ? "," : "", p->strings[p->services[s].id]);
    fprintf(f, "],\"accounts\":%ld,\"total\":\"%s\",\"accounts_credited\":%ld,\"steps\":[", accounts,
            amount, credited);
  }
}

static void step(FILE *f, const slac_exposure *x, slac_format fmt, slac_month m, const char *code,
                 long accounts, int64_t d, slac_num change, long changed, slac_num total,
                 long credited, bool first) {
  const slac_program *p = x->p;
  char period[8], delta[64], sum[64];
  slac_month_format(m, period);
  money(change, code, fmt == SLAC_FORMAT_TEXT, delta, sizeof delta);
  money(total, code, false, sum, sizeof sum);
  if (fmt == SLAC_FORMAT_TEXT)
    fprintf(f, "  +%lld min: %s %s across %ld account%s (total %s %s, %ld account%s credited)\n",
            (long long)d, delta, code, changed, plural(changed), sum, code, credited, plural(credited));
  else if (fmt == SLAC_FORMAT_CSV)
    fprintf(f, "%s,%s,%s,%ld,%lld,%s,%ld,%s,%ld\n", p->strings[p->id], period, code, accounts,
            (long long)d, delta, changed, sum, credited);
  else
    fprintf(f, "%s{\"further_minutes\":%lld,\"change\":\"%s\",\"accounts_changed\":%ld,\"total\":\"%s\","
            "\"accounts_credited\":%ld}", first ? "" : ",", (long long)d, delta, changed, sum, credited);
}

int slac_exposure_write(const slac_exposure *x, FILE *f, slac_format fmt, const char **overflow) {
  const slac_program *p = x->p;
  if (fmt == SLAC_FORMAT_TEXT) {
    slac_report_title(f, p, slac_put_shown);
    fputs("\nexposure: the total credit owed with further unavailable minutes of ", f);
    service_words(f, x);
    if (x->account) {
      fputs(", for account \"", f);
      slac_put_shown(f, x->account);
      fputs("\"\n", f);
    } else {
      fputs(", for every account at once\n", f);
    }
  } else if (fmt == SLAC_FORMAT_CSV) {
    fputs("policy,period,currency,accounts,further_minutes,change,accounts_changed,total,"
          "accounts_credited\n", f);
  }
  size_t i = 0;
  while (i < x->n) {
    const slac_exposure_change *g = &x->v[i];
    const char *code = p->currencies[g->currency];
    size_t end = i;
    while (end < x->n && x->v[end].month == g->month && x->v[end].currency == g->currency) end++;
    /* d = 0 sorts first: every account's amount now */
    long accounts = 0, credited = 0;
    slac_num total = slac_num_int(0);
    size_t j = i;
    for (; j < end && x->v[j].d == 0; j++) {
      accounts++;
      credited += x->v[j].credited;
      if (slac_num_add(total, x->v[j].delta, &total) != SLAC_NUM_OK) { *overflow = code; return -1; }
    }
    group_head(f, x, fmt, g->month, code, accounts, total, credited);
    bool first = true;
    while (j < end) {
      int64_t d = x->v[j].d;
      slac_num change = slac_num_int(0);
      long changed = 0;
      for (; j < end && x->v[j].d == d; j++) {
        changed++;
        credited += x->v[j].credited;
        if (slac_num_add(change, x->v[j].delta, &change) != SLAC_NUM_OK) { *overflow = code; return -1; }
      }
      if (slac_num_add(total, change, &total) != SLAC_NUM_OK) { *overflow = code; return -1; }
      step(f, x, fmt, g->month, code, accounts, d, change, changed, total, credited, first);
      first = false;
    }
    if (fmt == SLAC_FORMAT_JSONL) fputs("]}\n", f);
    else if (fmt == SLAC_FORMAT_TEXT && first) fputs("  no further downtime changes the total\n", f);
    i = end;
  }
  return 0;
}
