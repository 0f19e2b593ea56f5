/* check.c - semantic checks of a parsed policy, and the resolved model.
 *
 * Order of work: literals and units first (so later checks compare exact
 * numbers), then names (currencies, causes, services), then the shape of
 * every credit schedule against each service's commitment.  Every problem
 * is reported, not only the first; the model is returned only when no
 * error was found.
 */
#include "compiler/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/currency.h"
#include "runtime/base/diag_hold.h"
#include "runtime/base/hash.h"

const char *const slac_standard_causes[] = {
    "outage",     "maintenance", "force_majeure", "customer", "third_party",
    "suspension", "termination", "aup_violation", "beta",     "over_quota",
    "over_limit", "unauthorized", NULL};

#define MONTH_MAX_SECONDS (31 * 86400LL)
/* What the bytecode can hold (runtime/vm/program.h): counts in a byte, a
 * plan set's size in 16 bits.  Said here, at the clause, rather than by
 * the code generator without a location. */
#define SLAC_MAX_SERVICES 255
#define SLAC_MAX_CAUSES 255
#define SLAC_MAX_CURRENCIES 255
#define SLAC_MAX_PLANS 65534

typedef struct {
  slac_source *src;
  slac_diags *d;
  slac_model *m;
  int errors_before;
  /* causes: parallel to m->causes; where each was declared or first used */
  const slac_clause **cause_decl;
  int cause_cap;
  slac_strmap cause_index;        /* name -> index in m->causes */
  slac_cause_rule *global_rules;
  int nglobal_rules;
  const slac_clause *global_credit;
  const slac_clause *base_clause; /* the first credit schedule */
  bool undefined_causes;          /* a declared cause may be misspelt */
  bool cause_limit;               /* a declaration was one too many: its
                                     uses are not "undefined" */
  int nerrors;                    /* errors among the checker's messages */
} checker;

/* Every message goes through here.  The checks run by topic (names,
 * then services, then schedules), not in the order of the text; the
 * diagnostics are held (runtime/base/diag_hold.h) and delivered in source
 * order when the check ends.  FIX, when not NULL, is what to write over
 * LOC (JSON diagnostics carry it). */
static void say_fix(checker *c, slac_loc loc, slac_severity sev, const char *fix, const char *fmt,
                    ...) SLAC_PRINTF(5, 6);
static void say_fix(checker *c, slac_loc loc, slac_severity sev, const char *fix, const char *fmt,
                    ...) {
  char msg[2048]; /* names are at most 255 bytes, long numbers are not quoted */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (c->d->oom) return;
  if (sev == SLAC_ERROR) c->nerrors++;
  slac_diag_fix(c->d, c->src, loc, sev, fix, "%s", msg);
}

#define say(c, loc, sev, ...) say_fix((c), (loc), (sev), NULL, __VA_ARGS__)
#define ERR(c, loc, ...) say((c), (loc), SLAC_ERROR, __VA_ARGS__)
#define WARN(c, loc, ...) say((c), (loc), SLAC_WARNING, __VA_ARGS__)

static void *oom(checker *c) {
  slac_diag_oom(c->d);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Literals and units                                                  */

static const char *unit_phrase(slac_unit u) {
  switch (u) {
  case SLAC_UNIT_PERCENT: return "a percentage";
  case SLAC_UNIT_DURATION: return "a duration";
  case SLAC_UNIT_MONEY: return "an amount of money";
  case SLAC_UNIT_MONTHS: return "a number of calendar months";
  case SLAC_UNIT_ORDINAL: return "an ordinal";
  case SLAC_UNIT_NONE: return "a plain number";
  }
  return "a plain number";
}

/* Check Q's unit and convert its text; report what is wrong and how to
 * write it right.  EXAMPLE is a correct literal for the message. */
static bool quantity(checker *c, slac_quantity *q, slac_unit want, const char *example) {
  if (!q->text) return false; /* a syntax error already said it */
  if (q->unit != want) {
    /* the fix, where the unit can only be one: a percentage's '%', or
     * the policy's currency when it has one */
    char fix[128] = "";
    const char *cur = c->m->ncurrencies == 1 ? c->m->currencies[0] : NULL;
    if (want == SLAC_UNIT_PERCENT && strlen(q->text) < 100) snprintf(fix, sizeof fix, "%s%%", q->text);
    else if (want == SLAC_UNIT_MONEY && cur && strlen(q->text) < 100)
      snprintf(fix, sizeof fix, "%s %s", q->text, cur);
    if (q->unit == SLAC_UNIT_NONE && want == SLAC_UNIT_PERCENT)
      say_fix(c, q->loc, SLAC_ERROR, fix, "missing '%%' after %s: write %s%%", q->text, q->text);
    else if (q->unit == SLAC_UNIT_NONE && want == SLAC_UNIT_DURATION)
      ERR(c, q->loc, "missing unit after %s: write %s min, %s h or %s days", q->text,
          q->text, q->text, q->text);
    else if (q->unit == SLAC_UNIT_NONE && want == SLAC_UNIT_MONEY)
      say_fix(c, q->loc, SLAC_ERROR, fix[0] ? fix : NULL,
              "missing currency after %s: write %s USD (or another currency of the policy)",
              q->text, q->text);
    else
      say_fix(c, q->loc, SLAC_ERROR, fix[0] ? fix : NULL, "expected %s like %s, got %s",
              unit_phrase(want), example, unit_phrase(q->unit));
    return false;
  }
  size_t len = strlen(q->text);
  slac_num_status st = slac_num_parse(q->text, len, &q->value);
  if (st == SLAC_NUM_OK && q->unit == SLAC_UNIT_DURATION) {
    slac_num secs;
    if (slac_num_mul(q->value, slac_num_int(q->unit_seconds), &secs) != SLAC_NUM_OK) {
      ERR(c, q->loc, "this duration is too long");
      return false;
    }
    q->value = secs;
  }
  if (st != SLAC_NUM_OK) {
    /* the caret shows a long number better than the message can */
    if (len > 40) ERR(c, q->loc, "%s", slac_num_status_text(st));
    else ERR(c, q->loc, "%s: %s", q->text, slac_num_status_text(st));
    return false;
  }
  q->valid = true;
  return true;
}

static int cmp(slac_num a, slac_num b) {
  int r = 0;
  slac_num_cmp(a, b, &r); /* literals are exact: always decided */
  return r;
}

static bool percent(checker *c, slac_quantity *q) {
  if (!quantity(c, q, SLAC_UNIT_PERCENT, "99.9%")) return false;
  if (cmp(q->value, slac_num_int(0)) < 0 || cmp(q->value, slac_num_int(100)) > 0) {
    ERR(c, q->loc, "%s%% is outside 0%%..100%%", q->text);
    q->valid = false;
    return false;
  }
  return true;
}

/* A duration literal as written: the number and its unit word. */
static const char *literal(checker *c, const slac_quantity *q, char *buf, size_t size) {
  size_t len;
  const char *line = slac_source_line(c->src, q->loc.first_line, &len);
  if (!line) { oom(c); return q->text; } /* the line exists: its index failed */
  if (q->loc.last_line != q->loc.first_line) return q->text;
  /* columns count code points (a citation before it may hold '§') */
  size_t from = 0, to;
  for (int col = 1; col < q->loc.first_column && from < len; col++)
    from += slac_utf8_len((const unsigned char *)line + from, len - from);
  to = from;
  for (int col = q->loc.first_column; col < q->loc.last_column && to < len; col++)
    to += slac_utf8_len((const unsigned char *)line + to, len - to);
  if (from >= to || to - from >= size) return q->text;
  memcpy(buf, line + from, to - from);
  buf[to - from] = 0;
  return buf;
}

/* A whole number of seconds (durations are exact multiples of units, but
 * "0.5 s" is not whole). */
static bool whole_seconds(checker *c, slac_quantity *q, int64_t *out) {
  if (slac_num_to_int(q->value, out) != 0) {
    char buf[64];
    ERR(c, q->loc, "a duration must be a whole number of seconds, not %s",
        literal(c, q, buf, sizeof buf));
    return false;
  }
  return true;
}

/* A whole number from 1 to 4,294,967,295: the bytecode keeps versions
 * and request counts in 32 bits, and a larger one would wrap. */
static bool plain_count(checker *c, slac_quantity *q, const char *what, int64_t *out) {
  if (!quantity(c, q, SLAC_UNIT_NONE, "10")) return false;
  if (slac_num_to_int(q->value, out) != 0 || *out < 1 || *out > UINT32_MAX) {
    ERR(c, q->loc, "%s must be a whole number from 1 to 4294967295", what);
    return false;
  }
  return true;
}

static void format_num(slac_num v, char *buf, size_t size) {
  slac_num_format(v, -1, buf, size);
}

/* PCT% of CHARGE (a whole amount) as a finance person reads it, rounded
 * half-up to cents like the credit itself ("500.00"); "?" if it cannot
 * be computed exactly. */
static void format_share(slac_num pct, int64_t charge, char *buf, size_t size) {
  slac_num v;
  if (slac_num_mul(pct, slac_num_int(charge), &v) != SLAC_NUM_OK ||
      slac_num_div(v, slac_num_int(100), &v) != SLAC_NUM_OK ||
      slac_num_round_half_up(v, 2, &v) != SLAC_NUM_OK) {
    snprintf(buf, size, "?");
    return;
  }
  slac_num_format(v, 2, buf, size);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *closest_cause(checker *c, const char *name) {
  const char *best = NULL;
  size_t bestd = 3;
  for (int i = 0; slac_standard_causes[i]; i++) {
    size_t dist = slac_edit_distance(name, slac_standard_causes[i]);
    if (dist < bestd) { bestd = dist; best = slac_standard_causes[i]; }
  }
  for (int i = 0; i < c->m->ncauses; i++) {
    size_t dist = slac_edit_distance(name, c->m->causes[i].name);
    if (dist < bestd) { bestd = dist; best = c->m->causes[i].name; }
  }
  return best;
}

static bool is_standard_cause(const char *name) {
  for (int i = 0; slac_standard_causes[i]; i++)
    if (strcmp(name, slac_standard_causes[i]) == 0) return true;
  return false;
}

/* Names are looked up in tables, never compared with every earlier one:
 * a policy of 65,537 plan names took 147 s to check. */
static int find_cause(checker *c, const char *name) {
  size_t i = slac_strmap_get(&c->cause_index, name, strlen(name));
  return i == SIZE_MAX ? -1 : (int)i;
}

static int add_cause(checker *c, const char *name, const char *description,
                     const slac_clause *decl) {
  slac_model *m = c->m;
  if (m->ncauses == c->cause_cap) {
    int cap = c->cause_cap ? 2 * c->cause_cap : 16;
    slac_model_cause *nc = realloc(m->causes, (size_t)cap * sizeof *nc);
    if (!nc) { oom(c); return -1; }
    m->causes = nc;
    const slac_clause **nd = realloc(c->cause_decl, (size_t)cap * sizeof *nd);
    if (!nd) { oom(c); return -1; }
    c->cause_decl = nd;
    c->cause_cap = cap;
  }
  if (slac_strmap_put(&c->cause_index, name, strlen(name), (size_t)m->ncauses, NULL) < 0) {
    oom(c);
    return -1;
  }
  m->causes[m->ncauses].name = name;
  m->causes[m->ncauses].description = description;
  c->cause_decl[m->ncauses] = decl;
  return m->ncauses++;
}

/* Resolve a cause named in an exclude or count clause: a standard cause
 * or one declared with `cause`. */
static int resolve_cause(checker *c, const slac_name *n) {
  int i = find_cause(c, n->text);
  if (i >= 0) return i;
  if (c->cause_limit) return -2; /* said once, at the declaration */
  if (is_standard_cause(n->text)) {
    if (c->m->ncauses >= SLAC_MAX_CAUSES) {
      ERR(c, n->loc, "a policy has at most %d causes (outage included): cause '%s' is one too many",
          SLAC_MAX_CAUSES, n->text);
      return -2;
    }
    return add_cause(c, n->text, NULL, NULL);
  }
  const char *hint = closest_cause(c, n->text);
  c->undefined_causes = true;
  if (hint)
    say_fix(c, n->loc, SLAC_ERROR, hint, "undefined cause '%s' (did you mean '%s'?)", n->text, hint);
  else
    ERR(c, n->loc,
        "undefined cause '%s': use a standard cause (maintenance, force_majeure, customer, "
        "...) or declare it with `cause %s \"description\"`",
        n->text, n->text);
  return -2;
}

static bool grow_rules(checker *c, slac_cause_rule **rules, int old_n) {
  slac_cause_rule *r = realloc(*rules, (size_t)c->m->ncauses * sizeof *r);
  if (!r) { oom(c); return false; }
  for (int i = old_n; i < c->m->ncauses; i++) r[i] = (slac_cause_rule){SLAC_CAUSE_COUNTS, 0, 1, 0, NULL};
  *rules = r;
  return true;
}

/* Words of a period of N calendar months, for messages and reasons. */
static const char *period_words(int months) {
  return months == 12 ? "calendar year" : months == 3 ? "calendar quarter" : "month";
}

/* The longest a cap per period of MONTHS calendar months can usefully
 * be: the longest such period. */
static int64_t period_max_seconds(int months) {
  return (months == 12 ? 366 : months == 3 ? 92 : 31) * 86400LL;
}

/* The cap of a capped exclusion: a duration within its period. */
static int64_t exclusion_cap(checker *c, const slac_clause *cl, int *months) {
  int64_t cap = 0;
  *months = cl->cap_months ? cl->cap_months : 1;
  if (cl->rolling) {
    ERR(c, cl->cap_period_loc, "an exclusion's cap is per month, per calendar quarter or per "
                               "calendar year: write `per calendar quarter`, for example");
    *months = 1;
  }
  slac_quantity *q = (slac_quantity *)&cl->value;
  if (quantity(c, q, SLAC_UNIT_DURATION, "10 min") && whole_seconds(c, q, &cap)) {
    if (cap < 0) ERR(c, q->loc, "a cap cannot be negative");
    else if (cap > period_max_seconds(*months)) {
      char buf[64];
      ERR(c, q->loc, "a cap of %s is longer than any %s (%s at most)",
          literal(c, q, buf, sizeof buf),
          *months == 1 ? "calendar month" : period_words(*months),
          *months == 12 ? "366 days" : *months == 3 ? "92 days" : "31 days");
    }
  }
  return cap;
}

/* "announced at least 24 h ahead": a positive duration of at most a year. */
static int64_t exclusion_notice(checker *c, const slac_clause *cl) {
  int64_t secs = 0;
  slac_quantity *q = (slac_quantity *)&cl->notice;
  if (!cl->has_notice) return 0;
  if (!quantity(c, q, SLAC_UNIT_DURATION, "24 h") || !whole_seconds(c, q, &secs)) return 0;
  if (secs <= 0) { ERR(c, q->loc, "a notice must be longer than 0 s"); return 0; }
  if (secs > 366 * 86400LL) { ERR(c, q->loc, "a notice longer than a year is not supported"); return 0; }
  return secs;
}

/* Apply an exclude or count clause to RULES (global or a service's). */
static void apply_cause_clause(checker *c, const slac_clause *cl, slac_cause_rule **rules,
                               int *nrules, const slac_cause_rule *outer, int nouter) {
  int64_t cap = 0, notice = 0;
  int months = 1;
  if (cl->kind == SLAC_CL_EXCLUDE && cl->capped) cap = exclusion_cap(c, cl, &months);
  if (cl->kind == SLAC_CL_EXCLUDE) notice = exclusion_notice(c, cl);
  for (const slac_name *n = cl->names; n; n = n->next) {
    if (strcmp(n->text, "outage") == 0) {
      if (cl->kind == SLAC_CL_EXCLUDE)
        ERR(c, n->loc, "'outage' always counts as downtime and cannot be excluded");
      else
        WARN(c, n->loc, "'outage' always counts as downtime; this line changes nothing");
      continue;
    }
    int i = resolve_cause(c, n);
    if (i == -1) return;
    if (i < 0) continue;
    if (*nrules < c->m->ncauses) {
      if (!grow_rules(c, rules, *nrules)) return;
      *nrules = c->m->ncauses;
    }
    const slac_cause_rule *prev = (*rules)[i].clause ? &(*rules)[i]
                                  : (outer && i < nouter && outer[i].clause) ? &outer[i]
                                                                                    : NULL;
    if (prev) {
      ERR(c, n->loc, "cause '%s' is already %s%s on line %d", n->text,
          prev->mode == SLAC_CAUSE_COUNTS ? "counted" : "excluded",
          prev == &(*rules)[i] ? "" : " for every service", prev->clause->loc.first_line);
      continue;
    }
    slac_cause_rule r;
    r.clause = cl;
    r.cap_seconds = cap;
    r.cap_months = months;
    r.notice_seconds = notice;
    r.mode = cl->kind == SLAC_CL_COUNT ? SLAC_CAUSE_COUNTS
             : cl->capped            ? SLAC_CAUSE_CAPPED
                                     : SLAC_CAUSE_EXCLUDED;
    (*rules)[i] = r;
  }
}

/* ------------------------------------------------------------------ */
/* Credit schedules                                                    */

/* A point on the uptime axis, with a side: AT the value, or just ABOVE
 * it.  Interval ends compare exactly as positions. */
typedef struct {
  slac_num v;
  int above;
} pos;

static int pos_cmp(pos a, pos b) {
  int r = cmp(a.v, b.v);
  return r ? r : (a.above > b.above) - (a.above < b.above);
}

static pos tier_from(const slac_model_tier *t) {
  if (t->lower_kind < 0) return (pos){slac_num_int(0), 0};
  return (pos){t->lower, t->lower_kind == SLAC_BOUND_ABOVE};
}

/* First position past the tier. */
static pos tier_to(const slac_model_tier *t) {
  if (t->upper_kind < 0) return (pos){slac_num_int(100), 1};
  return (pos){t->upper, t->upper_kind == SLAC_BOUND_AT_OR_BELOW};
}

static bool tier_empty(const slac_model_tier *t) {
  return pos_cmp(tier_from(t), tier_to(t)) >= 0;
}

static void describe_range(pos from, pos to, char *buf, size_t size) {
  char a[64], b[64];
  format_num(from.v, a, sizeof a);
  format_num(to.v, b, sizeof b);
  if (!from.above && to.above && cmp(from.v, to.v) == 0)
    snprintf(buf, size, "of exactly %s%%", a);
  else
    snprintf(buf, size, "%s %s%% and %s %s%%", from.above ? "above" : "at or above", a,
             to.above ? "at or below" : "below", b);
}

/* A percentage of a tier; a schedule shared by several services reports
 * its problems for the first one only (REPORT) and reuses the result. */
static bool tier_percent(checker *c, slac_quantity *q, bool report) {
  return report ? percent(c, q) : q->valid;
}

static bool tier_bounds(checker *c, const slac_tier *t, slac_model_tier *mt, bool report) {
  mt->tier = t;
  mt->lower_kind = mt->upper_kind = -1;
  bool ok = true;
  for (int i = 0; i < t->nbounds; i++) {
    slac_bound *b = (slac_bound *)&t->bounds[i];
    if (!tier_percent(c, &b->value, report)) { ok = false; continue; }
    bool upper = b->kind == SLAC_BOUND_BELOW || b->kind == SLAC_BOUND_AT_OR_BELOW;
    int *kind = upper ? &mt->upper_kind : &mt->lower_kind;
    if (*kind >= 0) {
      if (report)
        ERR(c, b->loc, "a tier needs one upper and one lower bound, like "
                       "`below 99.95%% and at or above 99.9%%`");
      ok = false;
      continue;
    }
    *kind = (int)b->kind;
    if (upper) mt->upper = b->value.value; else mt->lower = b->value.value;
  }
  if (!tier_percent(c, (slac_quantity *)&t->credit, report)) ok = false;
  else mt->credit = t->credit.value;
  return ok;
}

static int tier_order(const void *pa, const void *pb) {
  const slac_model_tier *a = pa, *b = pb;
  int r = pos_cmp(tier_from(a), tier_from(b));
  if (r) return r;
  return (a->tier->loc.first_line > b->tier->loc.first_line) -
         (a->tier->loc.first_line < b->tier->loc.first_line);
}

/* Under "most severe tier applies" the tier with the most credit is
 * tested first (the code generator keeps this order, so the first tier
 * that matches is the one); ties go to the tier written first. */
static int severity_order(const void *pa, const void *pb) {
  const slac_model_tier *a = pa, *b = pb;
  int r = cmp(b->credit, a->credit);
  if (r) return r;
  const slac_loc *la = &a->tier->loc, *lb = &b->tier->loc;
  if (la->first_line != lb->first_line) return (la->first_line > lb->first_line) - (la->first_line < lb->first_line);
  return (la->first_column > lb->first_column) - (la->first_column < lb->first_column);
}

/* The part [FROM, TO) of tier T, as a tier of its own: the checks on a
 * schedule's shape read effective ranges through the same type. */
static slac_model_tier tier_piece(const slac_model_tier *t, pos from, pos to) {
  slac_model_tier p = *t;
  p.lower_kind = from.above ? SLAC_BOUND_ABOVE : SLAC_BOUND_AT_OR_ABOVE;
  p.lower = from.v;
  p.upper_kind = to.above ? SLAC_BOUND_AT_OR_BELOW : SLAC_BOUND_BELOW;
  p.upper = to.v;
  return p;
}

static bool ranges_overlap(pos af, pos at, pos bf, pos bt) {
  return pos_cmp(af, bt) < 0 && pos_cmp(bf, at) < 0;
}

/* Append [F, E) to the sorted ranges R (M pairs), merging it with the
 * last when they touch; F is never before the last range's start. */
static void add_range(pos *r, int *m, pos f, pos e) {
  if (*m > 0 && pos_cmp(f, r[2 * *m - 1]) <= 0) {
    if (pos_cmp(e, r[2 * *m - 1]) > 0) r[2 * *m - 1] = e;
    return;
  }
  r[2 * *m] = f;
  r[2 * *m + 1] = e;
  (*m)++;
}

/* Source order of two tiers (by pointer into the model's tiers). */
static int source_order(const void *pa, const void *pb) {
  const slac_loc *la = &(*(const slac_model_tier *const *)pa)->tier->loc;
  const slac_loc *lb = &(*(const slac_model_tier *const *)pb)->tier->loc;
  if (la->first_line != lb->first_line) return (la->first_line > lb->first_line) - (la->first_line < lb->first_line);
  return (la->first_column > lb->first_column) - (la->first_column < lb->first_column);
}

/* How a base is written in a policy ("credit of monthly fee"). */
static const char *base_source(slac_base b) {
  switch (b) {
  case SLAC_BASE_MONTHLY_FEE: return "monthly fee";
  case SLAC_BASE_AFFECTED_CHARGES: return "charges of affected services";
  case SLAC_BASE_SERVICE_CHARGE: return "service charge";
  case SLAC_BASE_PERIOD_FEES: return "fees";
  }
  return "monthly fee";
}

/* "(terms for plan "A", "B")" or "(default terms)", for messages. */
static void terms_words(const slac_model_terms *t, char *buf, size_t size) {
  size_t w = 0;
  if (!t->clause->names) { snprintf(buf, size, "(default terms)"); return; }
  w += (size_t)snprintf(buf, size, "(%sterms for plan", t->is_default ? "default " : "");
  for (const slac_name *n = t->clause->names; n && w < size; n = n->next)
    w += (size_t)snprintf(buf + w, size - w, "%s \"%s\"", n == t->clause->names ? "" : ",", n->text);
  if (w < size) snprintf(buf + w, size - w, ")");
}

/* Say why tier I of a "most severe tier applies" schedule is wrong: it
 * overlaps tier TIE (more severe in order only) with the same credit, or
 * (TIE < 0) more severe tiers cover all of it. */
static void report_severity(checker *c, const slac_model_terms *s, int i, int tie) {
  const slac_model_tier *t = &s->tiers[i];
  pos from = tier_from(t), to = tier_to(t);
  char range[160], a[64];
  if (tie >= 0) {
    const slac_model_tier *o = &s->tiers[tie];
    pos f = pos_cmp(from, tier_from(o)) > 0 ? from : tier_from(o);
    pos e = pos_cmp(to, tier_to(o)) < 0 ? to : tier_to(o);
    describe_range(f, e, range, sizeof range);
    format_num(t->credit, a, sizeof a);
    ERR(c, t->tier->loc,
        "this tier overlaps the tier on line %d and gives the same credit, %s%%: an uptime %s "
        "would match both, and neither is more severe; merge them into one tier or give "
        "them different credits", o->tier->loc.first_line, a, range);
    return;
  }
  /* one more severe tier that covers it all, else those that cover parts */
  for (int j = 0; j < i; j++)
    if (pos_cmp(tier_from(&s->tiers[j]), from) <= 0 && pos_cmp(to, tier_to(&s->tiers[j])) <= 0) {
      format_num(s->tiers[j].credit, a, sizeof a);
      ERR(c, t->tier->loc,
          "this tier never applies: the tier on line %d gives more credit (%s%%) for every "
          "uptime this one covers, and the most severe tier applies; remove it or change its "
          "bounds", s->tiers[j].tier->loc.first_line, a);
      return;
    }
  int lines[8], nlines = 0;
  for (int j = 0; j < i && nlines < 8; j++) {
    if (!ranges_overlap(from, to, tier_from(&s->tiers[j]), tier_to(&s->tiers[j]))) continue;
    int l = s->tiers[j].tier->loc.first_line, at = nlines++;
    for (; at > 0 && lines[at - 1] > l; at--) lines[at] = lines[at - 1];
    lines[at] = l;
  }
  char list[128] = "";
  size_t w = 0;
  for (int j = 0; j < nlines && w < sizeof list; j++)
    w += (size_t)snprintf(list + w, sizeof list - w, "%s%d",
                          j == 0 ? "" : j == nlines - 1 ? " and " : ", ", lines[j]);
  ERR(c, t->tier->loc,
      "this tier never applies: the tiers on lines %s give more credit for every uptime this "
      "one covers, and the most severe tier applies; remove it or change its bounds", list);
}

/* Where each tier of a "most severe tier applies" schedule applies: its
 * own range less the ranges of the tiers with more credit, in pieces
 * sorted by uptime (2k at most: each starts at a distinct tier end).
 * Reports (REPORT), in source order, two overlapping tiers with the same
 * credit, where "most severe" decides nothing, and a tier that more
 * severe ones cover entirely, which can never apply.  S->tiers is in
 * severity order.  A contract's table has a handful of tiers, so the
 * quadratic work here is fine.  Returns NULL when out of memory. */
static slac_model_tier *effective_ranges(checker *c, const slac_model_terms *s, bool report,
                                         int *npieces) {
  int k = s->ntiers;
  slac_model_tier *out = calloc((size_t)(2 * k + 1), sizeof *out);
  pos *cov = calloc((size_t)(2 * k + 2), sizeof *cov); /* covered: [from, to) pairs, sorted */
  pos *tmp = calloc((size_t)(2 * k + 2), sizeof *tmp);
  int *tie = calloc((size_t)(k + 1), sizeof *tie);     /* -1, -2 (never applies), or a tier */
  const slac_model_tier **order = calloc((size_t)(k + 1), sizeof *order);
  if (!out || !cov || !tmp || !tie || !order) {
    free(out); free(cov); free(tmp); free(tie); free(order);
    oom(c);
    return NULL;
  }
  int n = 0, ncov = 0;
  for (int i = 0; i < k; i++) {
    const slac_model_tier *t = &s->tiers[i];
    pos from = tier_from(t), to = tier_to(t);
    tie[i] = -1;
    for (int j = 0; j < i && tie[i] < 0; j++)
      if (cmp(s->tiers[j].credit, t->credit) == 0 &&
          ranges_overlap(from, to, tier_from(&s->tiers[j]), tier_to(&s->tiers[j])))
        tie[i] = j;
    /* subtract the covered ranges */
    int before = n;
    pos cur = from;
    for (int j = 0; j < ncov; j++) {
      pos cf = cov[2 * j], ct = cov[2 * j + 1];
      if (pos_cmp(ct, cur) <= 0) continue;
      if (pos_cmp(cf, to) >= 0) break;
      if (pos_cmp(cf, cur) > 0) out[n++] = tier_piece(t, cur, cf);
      if (pos_cmp(ct, cur) > 0) cur = ct;
    }
    if (pos_cmp(cur, to) < 0) out[n++] = tier_piece(t, cur, to);
    if (n == before && tie[i] < 0) tie[i] = -2;
    /* add [from, to) to the covered ranges, merging */
    int m = 0, j = 0;
    while (j < ncov && pos_cmp(cov[2 * j], from) < 0) { add_range(tmp, &m, cov[2 * j], cov[2 * j + 1]); j++; }
    add_range(tmp, &m, from, to);
    for (; j < ncov; j++) add_range(tmp, &m, cov[2 * j], cov[2 * j + 1]);
    pos *swap = cov; cov = tmp; tmp = swap;
    ncov = m;
  }
  for (int i = 0; i < k; i++) order[i] = &s->tiers[i];
  qsort(order, (size_t)k, sizeof *order, source_order);
  for (int i = 0; i < k && report; i++) {
    int at = (int)(order[i] - s->tiers);
    if (tie[at] != -1) report_severity(c, s, at, tie[at] == -2 ? -1 : tie[at]);
  }
  free(cov); free(tmp); free(tie); free(order);
  qsort(out, (size_t)n, sizeof *out, tier_order);
  *npieces = n;
  return out;
}

/* Where "credit of BASE" is written (the words of the schedule's header
 * before any citation), when on one line; false otherwise. */
static bool credit_header_loc(checker *c, const slac_clause *cl, slac_loc *out) {
  size_t len;
  const char *line = slac_source_line(c->src, cl->key_loc.first_line, &len);
  if (!line) return false;
  int words = cl->base == SLAC_BASE_AFFECTED_CHARGES ? 6 : 4; /* credit of ... */
  size_t at = 0;
  int col = 1;
  while (col < cl->key_loc.first_column && at < len) { /* to the keyword */
    at += slac_utf8_len((const unsigned char *)line + at, len - at);
    col++;
  }
  for (int w = 0; w < words; w++) {
    while (at < len && (line[at] == ' ' || line[at] == '\t')) { at++; col++; }
    if (at >= len) return false;
    while (at < len && line[at] != ' ' && line[at] != '\t' && line[at] != '{' && line[at] != ',') {
      at++;
      col++;
    }
  }
  *out = (slac_loc){cl->key_loc.first_line, cl->key_loc.first_column, cl->key_loc.first_line, col};
  return true;
}

/* A contract's cascading tiers ("below 99.99% -> 10%, below 99% -> 25%")
 * overlap: a note at the schedule's header with what to write there. */
static void cascading_fix(checker *c, const slac_clause *cl) {
  slac_loc loc;
  char fix[96];
  snprintf(fix, sizeof fix, "credit of %s, most severe tier applies", base_source(cl->base));
  if (credit_header_loc(c, cl, &loc))
    say_fix(c, loc, SLAC_NOTE, fix, "if the contract means that the most severe tier applies, "
            "write `%s` here", fix);
}

/* Build the sorted tiers of terms T of service SV from their schedule,
 * reporting the problems of the schedule itself once (REPORT) and those
 * relative to the commitment always.  Under "most severe tier applies"
 * the tiers are kept in severity order and the checks of the shape run on
 * the ranges where each tier applies. */
static void check_schedule(checker *c, const slac_model_service *sv, slac_model_terms *s,
                           bool report_schedule) {
  const slac_clause *cl = s->credit;
  int n = 0;
  for (const slac_tier *t = cl->tiers; t; t = t->next) n++;
  s->tiers = calloc((size_t)(n ? n : 1), sizeof *s->tiers);
  if (!s->tiers) { oom(c); return; }
  int k = 0;
  /* A tier lost to an error (here or a syntax error) would show as a gap */
  bool all_tiers = !c->m->ast->incomplete;
  for (const slac_tier *t = cl->tiers; t; t = t->next) {
    slac_model_tier mt;
    memset(&mt, 0, sizeof mt);
    if (!tier_bounds(c, t, &mt, report_schedule)) { all_tiers = false; continue; }
    if (tier_empty(&mt)) {
      if (report_schedule)
        ERR(c, t->loc, "this tier can never match: no uptime is %s",
            t->nbounds == 2 ? "within both bounds" : "within its bound");
      continue;
    }
    s->tiers[k++] = mt;
  }
  s->ntiers = k;
  qsort(s->tiers, (size_t)k, sizeof *s->tiers, cl->most_severe ? severity_order : tier_order);
  /* the ranges where each tier applies, sorted by uptime */
  slac_model_tier *eff = s->tiers;
  if (cl->most_severe) {
    eff = effective_ranges(c, s, report_schedule, &k);
    if (!eff) return;
  }

  char range[160], a[64], b[64];
  bool fix_said = false;
  /* Overlaps: tiers sorted by where they start, so any overlap shows
   * between neighbours. */
  for (int i = 1; i < k && report_schedule && !cl->most_severe; i++) {
    if (pos_cmp(tier_to(&eff[i - 1]), tier_from(&eff[i])) > 0) {
      const slac_tier *x = eff[i - 1].tier, *y = eff[i].tier;
      const slac_tier *later = x->loc.first_line > y->loc.first_line ? x : y;
      const slac_tier *other = later == x ? y : x;
      pos to = tier_to(&eff[i - 1]);
      if (pos_cmp(tier_to(&eff[i]), to) < 0) to = tier_to(&eff[i]);
      describe_range(tier_from(&eff[i]), to, range, sizeof range);
      ERR(c, later->loc,
          "this tier overlaps the tier on line %d: an uptime %s would match both (if the "
          "contract means that the most severe tier applies, write `credit of %s, most "
          "severe tier applies {`)",
          other->loc.first_line, range, base_source(cl->base));
      if (!fix_said) cascading_fix(c, cl);
      fix_said = true;
    }
  }
  /* Credit should not decrease as uptime falls (between tiers that do not
   * overlap: an overlap is already an error). */
  for (int i = 1; i < k && report_schedule; i++) {
    if (pos_cmp(tier_to(&eff[i - 1]), tier_from(&eff[i])) <= 0 &&
        cmp(eff[i - 1].credit, eff[i].credit) < 0) {
      format_num(eff[i - 1].credit, a, sizeof a);
      format_num(eff[i].credit, b, sizeof b);
      WARN(c, eff[i - 1].tier->loc,
           "credit decreases as uptime falls: this tier gives %s%% for worse uptime than "
           "the tier on line %d, which gives %s%%",
           a, eff[i].tier->loc.first_line, b);
    }
  }
  if (!s->commit_valid) goto done; /* nothing to compare the tiers with */
  /* with several services, say whose commitment it is */
  char of[600] = "", forsvc[600] = "", terms[300] = "";
  if (s->clause) terms_words(s, terms, sizeof terms);
  if (c->m->nservices > 1 || s->clause) {
    snprintf(of, sizeof of, " of service '%s'%s%s", sv->id, *terms ? " " : "", terms);
    snprintf(forsvc, sizeof forsvc, " for service '%s'%s%s", sv->id, *terms ? " " : "", terms);
  }
  format_num(s->commit, a, sizeof a);
  pos commit = {s->commit, 0};
  /* Tiers reaching into uptimes that meet the commitment (once per tier:
   * a tier may apply in two pieces). */
  for (int i = 0; i < k; i++) {
    if (pos_cmp(tier_to(&eff[i]), commit) > 0 && cmp(eff[i].credit, slac_num_int(0)) > 0) {
      bool said = false;
      for (int j = 0; j < i && cl->most_severe; j++)
        if (eff[j].tier == eff[i].tier && pos_cmp(tier_to(&eff[j]), commit) > 0) said = true;
      if (!said)
        WARN(c, eff[i].tier->loc,
             "this tier gives credit even when the commitment of %s%%%s is met", a, of);
    }
  }
  /* Gaps below the commitment that no tier covers. */
  pos cur = {slac_num_int(0), 0};
  for (int i = 0; i <= k && all_tiers; i++) {
    pos next = i < k ? tier_from(&eff[i]) : commit;
    if (pos_cmp(next, commit) > 0) next = commit;
    if (pos_cmp(cur, next) < 0) {
      describe_range(cur, next, range, sizeof range);
      if (pos_cmp(next, commit) == 0 && s->commit_clause) {
        WARN(c, s->commit_clause->value.loc,
             "gap between the commitment and the first credit tier: an uptime %s misses "
             "the commitment of %s%%%s but no tier gives credit", range, a, of);
      } else {
        WARN(c, s->credit->key_loc, "no tier covers an uptime %s%s: below the commitment, "
             "but no credit", range, forsvc);
      }
    }
    if (i < k && pos_cmp(tier_to(&eff[i]), cur) > 0) cur = tier_to(&eff[i]);
  }
done:
  if (eff != s->tiers) free(eff);
}

/* ------------------------------------------------------------------ */
/* Services                                                            */

static void check_measure(checker *c, slac_model_service *s, const slac_clause *cl) {
  slac_clause *m = (slac_clause *)cl;
  s->measure = cl;
  s->metric = cl->metric;
  if (cl->metric == SLAC_METRIC_ERROR_RATE) {
    int64_t w = 0;
    if (quantity(c, &m->window, SLAC_UNIT_DURATION, "5 min") && whole_seconds(c, &m->window, &w)) {
      if (w < 60 || w > 86400 || w % 60 != 0 || 86400 % w != 0)
        ERR(c, m->window.loc, "a window must be whole minutes that divide a day evenly "
                              "(1, 5, 10, 15, 30, 60 min, ... 24 h)");
      s->window_seconds = w;
    }
    s->empty = cl->has_empty ? cl->empty : SLAC_EMPTY_ZERO;
    if (cl->has_empty && cl->empty == SLAC_EMPTY_ZERO && percent(c, &m->empty_percent) &&
        cmp(m->empty_percent.value, slac_num_int(0)) != 0)
      ERR(c, m->empty_percent.loc, "an empty window counts as 0%% errors or is left out; "
                                   "write `count as 0%% errors` or `are left out`");
    return;
  }
  if (cl->has_rate_rule) {
    s->has_rate_rule = true;
    if (cl->rate_bound.kind != SLAC_BOUND_ABOVE && cl->rate_bound.kind != SLAC_BOUND_AT_OR_ABOVE)
      ERR(c, cl->rate_bound.loc,
          "a minute is unavailable when its error rate is high: use `above` or `at or above`");
    s->rate_inclusive = cl->rate_bound.kind == SLAC_BOUND_AT_OR_ABOVE;
    if (percent(c, &m->rate_bound.value)) s->rate_threshold = cl->rate_bound.value.value;
    plain_count(c, &m->min_requests, "the number of requests", &s->min_requests);
  }
  if (cl->has_run_rule) {
    int64_t secs = 0;
    if (quantity(c, &m->min_run, SLAC_UNIT_DURATION, "5 min") && whole_seconds(c, &m->min_run, &secs)) {
      char buf[64];
      if (secs < 60)
        ERR(c, m->min_run.loc, "a run is at least 1 min long");
      else if (secs % 60 != 0)
        ERR(c, m->min_run.loc,
            "runs are counted in whole minutes: write %lld min or %lld min, not %s",
            (long long)(secs / 60), (long long)(secs / 60 + 1),
            literal(c, &m->min_run, buf, sizeof buf));
      else if (secs > MONTH_MAX_SECONDS) {
        ERR(c, m->min_run.loc, "a run of %s is longer than any calendar month",
            literal(c, &m->min_run, buf, sizeof buf));
      }
      else
        s->min_run_minutes = secs / 60;
    }
  }
}

/* The commitment of terms T from its clause COMMIT. */
static void terms_commit(checker *c, slac_model_terms *t, const slac_clause *commit) {
  t->commit_clause = commit;
  if (percent(c, (slac_quantity *)&commit->value)) {
    t->commit = commit->value.value;
    t->commit_valid = true;
  }
}

/* One `terms for plan` block of service S: a commitment and at most one
 * schedule; SERVICE_CREDIT is the service's own schedule, if any. */
static void check_terms(checker *c, const slac_model_service *s, slac_model_terms *t,
                        const slac_clause *cl, const slac_clause *service_credit) {
  const slac_clause *commit = NULL, *credit = NULL;
  t->clause = cl;
  t->is_default = cl->is_default;
  for (const slac_clause *b = cl->body; b; b = b->next) {
    const slac_clause **slot = b->kind == SLAC_CL_COMMIT ? &commit
                               : b->kind == SLAC_CL_CREDIT ? &credit
                                                           : NULL;
    if (!slot) {
      ERR(c, b->key_loc, "only `commit` and `credit` belong inside `terms`: the rest of the "
                         "service (how it is measured, exclusions, error kinds) is written in "
                         "the service block, for every plan");
      continue;
    }
    if (*slot) {
      ERR(c, b->key_loc, "these terms have a second `%s` clause (the first is on line %d)",
          slot == &commit ? "commit" : "credit", (*slot)->loc.first_line);
      continue;
    }
    *slot = b;
  }
  if (commit) terms_commit(c, t, commit);
  else if (!c->m->ast->incomplete)
    ERR(c, cl->key_loc, "these terms of service '%s' have no commitment: add a line like "
                        "`commit 99.9%%` inside the braces", s->id);
  t->credit = credit ? credit : service_credit ? service_credit : c->global_credit;
}

/* A list of plans fits a plan set of the bytecode (16-bit size). */
static void check_plan_count(checker *c, const slac_name *plans, slac_loc loc) {
  long n = 0;
  for (const slac_name *x = plans; x; x = x->next) n++;
  if (n > SLAC_MAX_PLANS)
    ERR(c, loc, "a list of plans holds at most %d names, not %ld", SLAC_MAX_PLANS, n);
}

/* Plans named twice among a service's terms, and two default blocks. */
static void check_terms_plans(checker *c, const slac_model_service *s) {
  const slac_clause *dflt = NULL;
  /* each plan's first mention, in the order of the terms and their names */
  slac_strmap first;
  slac_strmap_init(&first);
  for (int i = 0; i < s->nterms; i++) {
    const slac_clause *cl = s->terms[i].clause;
    check_plan_count(c, cl->names, cl->key_loc);
    if (cl->is_default) {
      if (dflt)
        ERR(c, cl->key_loc, "service '%s' has a second `default terms` block (the first is on "
                            "line %d)", s->id, dflt->loc.first_line);
      else
        dflt = cl;
    }
    for (const slac_name *n = cl->names; n; n = n->next) {
      size_t seen;
      int rc = slac_strmap_put(&first, n->text, strlen(n->text), (size_t)(uintptr_t)n, &seen);
      if (rc < 0) { oom(c); break; }
      if (rc == 0)
        ERR(c, n->loc, "plan \"%s\" already has terms for service '%s', on line %d: a plan "
                       "chooses one commitment", n->text, s->id,
            ((const slac_name *)(uintptr_t)seen)->loc.first_line);
    }
  }
  slac_strmap_free(&first);
}

/* Plan names that differ only in case or blanks ("Business" and
 * "business ", in two services' terms or in a `plan in`) are one plan
 * misspelt: accounts match plans exactly, so one spelling would never
 * match and its rule would silently not apply.  Each later spelling is
 * warned about, with the first as its fix.  Linear: spellings are found
 * by their normalised key. */
typedef struct {
  slac_strmap first;   /* normalised key -> the first slac_name */
  char **keys;         /* owned keys (the map borrows them) */
  size_t nkeys, cap;
} plan_spellings;

static void plan_spelling(checker *c, plan_spellings *ps, const slac_name *n) {
  size_t len = strlen(n->text), k = 0;
  char *key = malloc(len + 1);
  if (!key) { oom(c); return; }
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)n->text[i];
    if (ch == ' ' || ch == '\t') continue;
    key[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  }
  key[k] = 0;
  /* room to own the key first: the map borrows it */
  if (ps->nkeys == ps->cap) {
    size_t cap = ps->cap ? ps->cap * 2 : 16;
    char **v = realloc(ps->keys, cap * sizeof *v);
    if (!v) { free(key); oom(c); return; }
    ps->keys = v;
    ps->cap = cap;
  }
  size_t seen;
  int rc = slac_strmap_put(&ps->first, key, k, (size_t)(uintptr_t)n, &seen);
  if (rc < 0) { free(key); oom(c); return; }
  if (rc == 0) {
    free(key);
    const slac_name *f = (const slac_name *)(uintptr_t)seen;
    if (strcmp(f->text, n->text) != 0) {
      size_t flen = strlen(f->text) + 3;
      char *fix = malloc(flen);
      if (fix) snprintf(fix, flen, "\"%s\"", f->text);
      say_fix(c, n->loc, SLAC_WARNING, fix,
              "plan \"%s\" differs from \"%s\" on line %d only in case or blanks: accounts "
              "match plans exactly, so this is another plan (if it is the same, write \"%s\")",
              n->text, f->text, f->loc.first_line, f->text);
      free(fix);
    }
    return;
  }
  ps->keys[ps->nkeys++] = key;
}

static void plan_spellings_in_cond(checker *c, plan_spellings *ps, const slac_cond *k) {
  for (; k; k = k->rhs) { /* and/or chains go right: a loop, not deep recursion */
    if (k->kind == SLAC_COND_PLAN_IN)
      for (const slac_name *n = k->plans; n; n = n->next) plan_spelling(c, ps, n);
    if (k->kind == SLAC_COND_NOT || k->kind == SLAC_COND_AND || k->kind == SLAC_COND_OR)
      plan_spellings_in_cond(c, ps, k->lhs);
    if (k->kind != SLAC_COND_AND && k->kind != SLAC_COND_OR) break;
  }
}

static void plan_spellings_in(checker *c, plan_spellings *ps, const slac_clause *cl) {
  for (; cl && !c->d->oom; cl = cl->next) {
    if (cl->cond) plan_spellings_in_cond(c, ps, cl->cond);
    if (cl->kind == SLAC_CL_TERMS)
      for (const slac_name *n = cl->names; n; n = n->next) plan_spelling(c, ps, n);
    plan_spellings_in(c, ps, cl->body);
  }
}

static void check_plan_spellings(checker *c, const slac_policy *p) {
  plan_spellings ps;
  memset(&ps, 0, sizeof ps);
  slac_strmap_init(&ps.first);
  plan_spellings_in(c, &ps, p->clauses);
  slac_strmap_free(&ps.first);
  for (size_t i = 0; i < ps.nkeys; i++) free(ps.keys[i]);
  free(ps.keys);
}

/* `count only errors of kind ...` / `ignore errors of kind ...`. */
static void check_kinds(checker *c, slac_model_service *s, const slac_clause *cl) {
  s->kinds = cl;
  s->kinds_mode = cl->ignore_kinds ? SLAC_KINDS_IGNORE : SLAC_KINDS_ONLY;
  if (s->measure && s->metric == SLAC_METRIC_MINUTES && !s->has_rate_rule)
    ERR(c, cl->key_loc, "service '%s' reads no request windows (it counts unavailable minutes "
                        "without an error-rate rule), so error kinds do not apply to it", s->id);
  int n = 0;
  for (const slac_name *k = cl->names; k; k = k->next, n++)
    for (const slac_name *o = cl->names; o != k; o = o->next)
      if (strcmp(o->text, k->text) == 0) {
        WARN(c, k->loc, "kind '%s' is listed twice", k->text);
        break;
      }
  if (n > 255) ERR(c, cl->key_loc, "more than 255 error kinds");
}

static void check_service(checker *c, slac_model_service *s, const slac_clause *cl) {
  s->clause = cl;
  s->id = cl->id;
  s->title = cl->text;
  const slac_clause *measure = NULL, *commit = NULL, *credit = NULL, *kinds = NULL;
  int nterms = 0;
  for (const slac_clause *b = cl->body; b; b = b->next) {
    const slac_clause **slot = NULL;
    const char *what = NULL;
    switch (b->kind) {
    case SLAC_CL_MEASURE: slot = &measure; what = "measure"; break;
    case SLAC_CL_COMMIT: slot = &commit; what = "commit"; break;
    case SLAC_CL_CREDIT: slot = &credit; what = "credit"; break;
    case SLAC_CL_KINDS: slot = &kinds; what = "errors of kind"; break;
    case SLAC_CL_TERMS: nterms++; continue;
    case SLAC_CL_EXCLUDE:
      apply_cause_clause(c, b, &s->rules, &s->nown_rules, c->global_rules,
                         c->nglobal_rules);
      continue;
    default: continue;
    }
    if (*slot) {
      ERR(c, b->key_loc, "service '%s' has a second `%s` clause (the first is on line %d)",
          s->id, what, (*slot)->loc.first_line);
      continue;
    }
    *slot = b;
  }
  if (!measure && !c->m->ast->incomplete)
    ERR(c, cl->id_loc, "service '%s' says nothing about how uptime is measured: add "
                       "`measure unavailable minutes` or `measure average error rate over 5 min windows`",
        s->id);
  else if (measure)
    check_measure(c, s, measure);
  if (kinds) check_kinds(c, s, kinds);
  s->terms = calloc((size_t)(nterms ? nterms : 1), sizeof *s->terms);
  if (!s->terms) { oom(c); return; }
  if (nterms) {
    if (commit)
      ERR(c, commit->key_loc, "service '%s' has terms by plan: write its commitment inside each "
                              "`terms` block, not in the service", s->id);
    for (const slac_clause *b = cl->body; b; b = b->next)
      if (b->kind == SLAC_CL_TERMS) check_terms(c, s, &s->terms[s->nterms++], b, credit);
    check_terms_plans(c, s);
  } else {
    slac_model_terms *t = &s->terms[s->nterms++];
    t->is_default = true;
    if (!commit) {
      if (!c->m->ast->incomplete)
        ERR(c, cl->id_loc, "service '%s' has no commitment: add a line like `commit 99.9%%`", s->id);
    } else {
      terms_commit(c, t, commit);
    }
    t->credit = credit ? credit : c->global_credit;
  }
  bool some_credit = false;
  for (int i = 0; i < s->nterms; i++) some_credit |= s->terms[i].credit != NULL;
  if (!some_credit && !c->m->ast->incomplete)
    WARN(c, cl->id_loc, "service '%s' has no credit schedule: missing its commitment never "
                        "gives credit", s->id);
}

/* ------------------------------------------------------------------ */
/* The policy                                                          */

static void check_cond(checker *c, const slac_cond *k) {
  if (!k) return;
  check_cond(c, k->lhs);
  check_cond(c, k->rhs);
  if (k->kind != SLAC_COND_PLAN_IN) return;
  check_plan_count(c, k->plans, k->loc);
  /* one warning at each repetition (a third "Free" was warned about once
   * per earlier one, which made the check quadratic) */
  slac_strmap seen;
  slac_strmap_init(&seen);
  for (const slac_name *p = k->plans; p; p = p->next) {
    int rc = slac_strmap_put(&seen, p->text, strlen(p->text), 0, NULL);
    if (rc < 0) { oom(c); break; }
    if (rc == 0) WARN(c, p->loc, "plan \"%s\" is listed twice", p->text);
  }
  slac_strmap_free(&seen);
}

static void check_minimum(checker *c, const slac_clause *cl) {
  for (int i = 0; i < cl->namounts; i++) {
    slac_quantity *q = &cl->amounts[i];
    if (!quantity(c, q, SLAC_UNIT_MONEY, "5.00 USD")) continue;
    bool known = false;
    for (int j = 0; j < c->m->ncurrencies; j++) known |= strcmp(c->m->currencies[j], q->currency) == 0;
    if (!known) ERR(c, q->loc, "%s is not a currency of this policy: add it to `currency`", q->currency);
    if (cmp(q->value, slac_num_int(0)) < 0) ERR(c, q->loc, "a minimum amount cannot be negative");
    int digits = slac_currency_digits(q->currency);
    slac_num whole;
    if (digits >= 0 && (slac_num_trunc(q->value, digits, &whole) != SLAC_NUM_OK || whole.units != q->value.units))
      ERR(c, q->loc, "%s has %d decimal%s: %s %s cannot be paid or compared exactly", q->currency,
          digits, digits == 1 ? "" : "s", q->text, q->currency);
    for (int j = 0; j < i; j++)
      if (strcmp(cl->amounts[j].currency, q->currency) == 0)
        ERR(c, q->loc, "a second minimum for %s in the same clause", q->currency);
  }
}

/* A claim's deadlines and required contents (docs/claims.md). */
/* The English suffix of ordinal N: 1st, 2nd, 3rd, 4th, 11th, 12th, 21st. */
static const char *ordinal_suffix(int64_t n) {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  switch (n % 10) {
  case 1: return "st";
  case 2: return "nd";
  case 3: return "rd";
  default: return "th";
  }
}

/* A deadline written "within 24 h", "within 2 months" or "by end of 2nd
 * billing month": its kind and value, or kind NONE after an error. */
static slac_deadline claim_deadline(checker *c, slac_quantity *q, bool end_of_month,
                                    bool after_month_end) {
  slac_deadline dl = {SLAC_DEADLINE_NONE, 0};
  int64_t n = 0;
  if (!q->text) return dl;
  if (after_month_end) {
    if (!quantity(c, q, SLAC_UNIT_DURATION, "30 days") || !whole_seconds(c, q, &n)) return dl;
    if (n < 0) ERR(c, q->loc, "a deadline cannot be negative");
    else if (n > 366 * 86400LL) ERR(c, q->loc, "a deadline longer than a year is not supported");
    else dl = (slac_deadline){SLAC_DEADLINE_AFTER_MONTH_END, n};
    return dl;
  }
  if (end_of_month) {
    if (q->unit != SLAC_UNIT_ORDINAL) {
      if (q->unit == SLAC_UNIT_NONE)
        ERR(c, q->loc, "the billing month is counted with an ordinal: write %s%s", q->text,
            slac_num_parse(q->text, strlen(q->text), &q->value) == SLAC_NUM_OK &&
                    slac_num_to_int(q->value, &n) == 0 && n > 0
                ? ordinal_suffix(n) : "nd");
      else
        ERR(c, q->loc, "expected an ordinal like 2nd, got %s", unit_phrase(q->unit));
      return dl;
    }
    if (slac_num_parse(q->text, strlen(q->text), &q->value) != SLAC_NUM_OK ||
        slac_num_to_int(q->value, &n) != 0 || n < 1 || n > 12) {
      ERR(c, q->loc, "the billing month after the interruption is the 1st to the 12th");
      return dl;
    }
    if (strcmp(q->currency, ordinal_suffix(n)) != 0) {
      ERR(c, q->loc, "write %lld%s, not %s%s", (long long)n, ordinal_suffix(n), q->text, q->currency);
      return dl;
    }
    q->valid = true;
    return (slac_deadline){SLAC_DEADLINE_END_OF_MONTH, n};
  }
  if (q->unit == SLAC_UNIT_MONTHS) {
    if (slac_num_parse(q->text, strlen(q->text), &q->value) != SLAC_NUM_OK ||
        slac_num_to_int(q->value, &n) != 0 || n < 1 || n > 12) {
      ERR(c, q->loc, "a deadline in calendar months is a whole number of 1 to 12 months");
      return dl;
    }
    q->valid = true;
    return (slac_deadline){SLAC_DEADLINE_MONTHS, n};
  }
  if (!quantity(c, q, SLAC_UNIT_DURATION, "24 h") || !whole_seconds(c, q, &n)) return dl;
  if (n <= 0) ERR(c, q->loc, "a deadline must be longer than 0 s");
  else if (n > 366 * 86400LL) ERR(c, q->loc, "a deadline longer than a year is not supported");
  else dl = (slac_deadline){SLAC_DEADLINE_SECONDS, n};
  return dl;
}

/* A claim's deadlines and required contents (docs/claims.md). */
static void check_claim(checker *c, const slac_clause *cl) {
  slac_model *m = c->m;
  if (cl->has_ticket_deadline)
    m->claim_ticket = claim_deadline(c, (slac_quantity *)&cl->ticket_within, cl->ticket_end_of_month,
                                     cl->ticket_after_month_end);
  if (cl->has_claim_deadline)
    m->claim_sent = claim_deadline(c, (slac_quantity *)&cl->claim_within, cl->claim_end_of_month,
                                   cl->claim_after_month_end);
  bool minutes = false;
  for (int i = 0; i < m->nservices; i++) minutes |= m->services[i].metric == SLAC_METRIC_MINUTES;
  if ((cl->has_ticket_deadline || cl->has_claim_deadline) && !minutes && m->nservices > 0)
    ERR(c, cl->key_loc, "claim deadlines run from the first unavailable minute, and this policy "
                        "measures no service in minutes");
  for (const slac_name *n = cl->names; n; n = n->next) {
    int k = 0;
    while (k < SLAC_CLAIM_NCONTENTS && strcmp(slac_claim_columns[k], n->text) != 0) k++;
    if (k == SLAC_CLAIM_NCONTENTS) {
      /* "a, b, c or d": the names of SLAC_CLAIM_CONTENTS */
      char names[256] = "";
      for (int i = 0; i < SLAC_CLAIM_NCONTENTS; i++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s",
                 i == 0 ? "" : i == SLAC_CLAIM_NCONTENTS - 1 ? " or " : ", ", slac_claim_columns[i]);
      }
      ERR(c, n->loc, "a claim can include %s, not '%s'", names, n->text);
      continue;
    }
    if (m->claim_includes[k]) WARN(c, n->loc, "'%s' is listed twice", n->text);
    m->claim_includes[k] = true;
  }
}

static void check_currencies(checker *c, const slac_clause *cl) {
  int n = 0;
  for (const slac_name *x = cl->names; x; x = x->next) n++;
  c->m->currencies = calloc((size_t)n, sizeof *c->m->currencies);
  if (!c->m->currencies) { oom(c); return; }
  for (const slac_name *x = cl->names; x; x = x->next) {
    if (strlen(x->text) != 3 || slac_currency_digits(x->text) < 0) {
      char upper[4] = {0}; /* "usd" is a typo for USD */
      for (int i = 0; i < 3 && x->text[i]; i++) {
        char ch = x->text[i];
        upper[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
      }
      if (strlen(x->text) == 3 && slac_currency_digits(upper) >= 0)
        ERR(c, x->loc, "unknown currency '%s': ISO 4217 codes are upper case, write %s",
            x->text, upper);
      else
        ERR(c, x->loc, "unknown currency '%s': use an ISO 4217 code like USD, EUR or JPY", x->text);
      continue;
    }
    bool dup = false;
    for (int j = 0; j < c->m->ncurrencies; j++) dup |= strcmp(c->m->currencies[j], x->text) == 0;
    if (dup) { ERR(c, x->loc, "currency %s is listed twice", x->text); continue; }
    if (c->m->ncurrencies >= SLAC_MAX_CURRENCIES) {
      ERR(c, x->loc, "a policy has at most %d currencies", SLAC_MAX_CURRENCIES);
      break;
    }
    memcpy(c->m->currencies[c->m->ncurrencies++], x->text, 4);
  }
}

static const char *base_phrase(slac_base b) {
  switch (b) {
  case SLAC_BASE_MONTHLY_FEE: return "the monthly fee";
  case SLAC_BASE_AFFECTED_CHARGES: return "the charges of affected services";
  case SLAC_BASE_SERVICE_CHARGE: return "each service's own charge";
  case SLAC_BASE_PERIOD_FEES: return "the fees of the period";
  }
  return "the monthly fee";
}

static bool push_clause(checker *c, const slac_clause ***arr, int *n, const slac_clause *cl) {
  const slac_clause **a = realloc(*arr, (size_t)(*n + 1) * sizeof *a);
  if (!a) { oom(c); return false; }
  a[(*n)++] = cl;
  *arr = a;
  return true;
}

/* The tier that gives the most credit in any schedule of the policy (the
 * first such in source order), or NULL when no tier was checked. */
static const slac_model_tier *top_tier(const slac_model *m) {
  const slac_model_tier *top = NULL;
  for (int i = 0; i < m->nservices; i++)
    for (int j = 0; j < m->services[i].nterms; j++)
      for (int k = 0; k < m->services[i].terms[j].ntiers; k++) {
        const slac_model_tier *t = &m->services[i].terms[j].tiers[k];
        int o = top ? cmp(t->credit, top->credit) : 1;
        if (o > 0 || (o == 0 && t->tier->loc.first_line < top->tier->loc.first_line)) top = t;
      }
  return top;
}

/* A cap below the top tier silently turns "100% credit" into the cap:
 * the author wrote one number and the customer is paid another. */
static void check_cap_below_top_tier(checker *c) {
  const slac_model *m = c->m;
  const slac_model_tier *top = top_tier(m);
  if (!top || m->maximum->base != m->base) return; /* different bases: either may bind */
  if (cmp(m->maximum_percent, slac_num_int(0)) <= 0) return; /* said already */
  if (cmp(m->maximum_percent, top->credit) >= 0) return;
  char cap[64], pct[64], paid[64], meant[64];
  format_num(m->maximum_percent, cap, sizeof cap);
  format_num(top->credit, pct, sizeof pct);
  format_share(m->maximum_percent, 1000, paid, sizeof paid);
  format_share(top->credit, 1000, meant, sizeof meant);
  WARN(c, m->maximum->value.loc,
       "this cap of %s%% is below the %s%% of the tier on line %d: that tier is never paid "
       "in full (on %s of 1000.00 the credit is %s, not %s); if the contract means it, keep "
       "both, else raise the cap to at least %s%% or lower the tier",
       cap, pct, top->tier->loc.first_line, base_phrase(m->base), paid, meant, pct);
}

/* The first schedule in use of service S (its terms may have several). */
static const slac_model_terms *scheduled_terms(const slac_model_service *s) {
  for (int i = 0; i < s->nterms; i++)
    if (s->terms[i].credit && s->terms[i].ntiers) return &s->terms[i];
  return NULL;
}

/* With a base other than each service's own charge, one account credit
 * is the highest tier percentage of its services applied to one base: a
 * second schedule reads as "each service on its own charge" but is not
 * paid that way. */
static void check_combined_schedules(checker *c) {
  const slac_model *m = c->m;
  if (m->base == SLAC_BASE_SERVICE_CHARGE) return; /* each on its own charge, as written */
  /* The pair to name: a service's own schedule S, and another schedule
   * in use, written before S when there is one; of those pairs the first
   * in the order of the services (S, then the other), else the first
   * pair.  Found with the services' schedules listed once, not by
   * pairing every service with every other (quadratic in services). */
  int n = m->nservices, nsched = 0;
  int *sched = malloc(((size_t)n + 1) * sizeof *sched);     /* services with a schedule */
  int *prefix_min = malloc(((size_t)n + 1) * sizeof *prefix_min); /* least line so far */
  if (!sched || !prefix_min) {
    free(sched);
    free(prefix_min);
    oom(c);
    return;
  }
  for (int j = 0; j < n; j++) {
    const slac_model_terms *ot = scheduled_terms(&m->services[j]);
    if (!ot) continue;
    int line = ot->credit->loc.first_line;
    prefix_min[nsched] = nsched && prefix_min[nsched - 1] < line ? prefix_min[nsched - 1] : line;
    sched[nsched++] = j;
  }
  /* the first scheduled service, and the first whose schedule differs */
  int other = -1;
  for (int t = 1; t < nsched && other < 0; t++)
    if (scheduled_terms(&m->services[sched[t]])->credit != scheduled_terms(&m->services[sched[0]])->credit)
      other = sched[t];
  const slac_model_service *s = NULL, *first_svc = NULL;
  const slac_model_terms *st = NULL, *ft = NULL;
  bool good = false;
  for (int i = 0; i < n && !good; i++) {
    const slac_model_service *x = &m->services[i];
    const slac_model_terms *xt = scheduled_terms(x);
    if (!xt || xt->credit == c->global_credit) continue;
    /* the first schedule written before X's: the first prefix minimum
     * below its line (a schedule on an earlier line is another one) */
    int lo = 0, hi = nsched, line = xt->credit->loc.first_line;
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (prefix_min[mid] < line) hi = mid; else lo = mid + 1;
    }
    int j = lo < nsched ? sched[lo] : -1;
    if (j >= 0) {
      good = true;
    } else if (!s && nsched) {
      /* the first pair: X with the first schedule other than its own */
      j = scheduled_terms(&m->services[sched[0]])->credit != xt->credit ? sched[0] : other;
      if (j >= 0 && scheduled_terms(&m->services[j])->credit == xt->credit) j = -1;
    }
    if (j < 0) continue;
    s = x;
    st = xt;
    first_svc = &m->services[j];
    ft = scheduled_terms(first_svc);
  }
  free(sched);
  free(prefix_min);
  if (!s) return;
  const slac_clause *first = ft->credit;
  {
    const slac_model_tier *ta = &ft->tiers[0], *tb = &st->tiers[0];
    for (int k = 1; k < ft->ntiers; k++)
      if (cmp(ft->tiers[k].credit, ta->credit) > 0) ta = &ft->tiers[k];
    for (int k = 1; k < st->ntiers; k++)
      if (cmp(st->tiers[k].credit, tb->credit) > 0) tb = &st->tiers[k];
    char pa[64], pb[64], hi[64], got[64], a1[64], b1[64], want[64];
    format_num(ta->credit, pa, sizeof pa);
    format_num(tb->credit, pb, sizeof pb);
    slac_num high = cmp(ta->credit, tb->credit) >= 0 ? ta->credit : tb->credit;
    format_num(high, hi, sizeof hi);
    format_share(high, 1200, got, sizeof got);
    format_share(ta->credit, 1000, a1, sizeof a1);
    format_share(tb->credit, 200, b1, sizeof b1);
    {
      slac_num x, y, z;
      if (slac_num_mul(ta->credit, slac_num_int(10), &x) == SLAC_NUM_OK &&
          slac_num_mul(tb->credit, slac_num_int(2), &y) == SLAC_NUM_OK &&
          slac_num_add(x, y, &z) == SLAC_NUM_OK &&
          slac_num_round_half_up(z, 2, &z) == SLAC_NUM_OK)
        slac_num_format(z, 2, want, sizeof want);
      else
        snprintf(want, sizeof want, "?");
    }
    WARN(c, st->credit->key_loc,
         "service '%s' has its own credit schedule, and service '%s' uses the one on line %d: "
         "the account gets one credit, the highest percentage of its services applied to %s, "
         "not each service's percentage on its own charge (services charged 1000.00 at "
         "%s%% and 200.00 at %s%% get %s%% of %s = %s, not %s + %s = %s); if the contract "
         "credits each service on its own charge, write `credit of service charge`",
         s->id, first_svc->id, first->loc.first_line,
         m->base == SLAC_BASE_MONTHLY_FEE ? "the whole monthly fee"
                                          : "the sum of the affected services' charges",
         pa, pb, hi,
         m->base == SLAC_BASE_MONTHLY_FEE ? "a monthly fee of 1200.00" : "1200.00",
         got, a1, b1, want);
  } /* once: the next schedules would say the same */
}

/* Charges that earn no credit: named once, and not as a service (the
 * accounts file's `service` column must say which of the two a row is). */
static void check_charges(checker *c) {
  const slac_model *m = c->m;
  for (int k = 0; k < m->ncharges; k++) {
    const slac_clause *cl = m->charges[k];
    for (int j = 0; j < k; j++)
      if (strcmp(m->charges[j]->id, cl->id) == 0) {
        ERR(c, cl->id_loc, "charge '%s' is named twice (first on line %d)", cl->id,
            m->charges[j]->loc.first_line);
        break;
      }
    for (int i = 0; i < m->nservices; i++)
      if (strcmp(m->services[i].id, cl->id) == 0)
        ERR(c, cl->id_loc, "'%s' is a service of the policy (line %d), whose charge earns its "
                           "credit: name the charge that earns none otherwise",
            cl->id, m->services[i].clause->loc.first_line);
  }
}

/* `credits never exceed X% of BASE [per PERIOD]`: a monthly maximum, or
 * a cap on the credits of a quarter, a year or N months. */
static void check_maximum(checker *c, const slac_clause *cl) {
  slac_model *m = c->m;
  bool over_period = cl->rolling || cl->cap_months > 1;
  const slac_clause **slot = over_period ? &m->period_cap : &m->maximum;
  if (*slot) {
    ERR(c, cl->key_loc, "a second `credits never exceed` clause%s (the first is on line %d)",
        over_period ? " over several months" : "", (*slot)->loc.first_line);
    return;
  }
  *slot = cl;
  slac_quantity *q = (slac_quantity *)&cl->value;
  slac_num *pct = over_period ? &m->period_cap_percent : &m->maximum_percent;
  if (percent(c, q)) {
    *pct = q->value;
    if (cmp(q->value, slac_num_int(0)) == 0)
      WARN(c, q->loc, "credits never exceed 0%%: no credit is ever given");
  }
  if (cl->base == SLAC_BASE_SERVICE_CHARGE)
    ERR(c, cl->key_loc, "a cap applies to the account's credit as a whole: write `of monthly "
                        "fee`%s", over_period ? " or `of fees`" : " or `of charges of affected services`");
  if (!over_period) {
    if (cl->base == SLAC_BASE_PERIOD_FEES)
      ERR(c, cl->key_loc, "the fees of which period? write `of monthly fee` for a cap per month, "
                          "or add the period: `of fees per calendar year`");
    return;
  }
  if (cl->base == SLAC_BASE_AFFECTED_CHARGES)
    ERR(c, cl->key_loc, "a cap over several months is a share of the monthly fee or of the "
                        "period's fees: write `of monthly fee` or `of fees`");
  if (cl->rolling) {
    int64_t n = 0;
    slac_quantity *len = (slac_quantity *)&cl->period_len;
    if (len->unit != SLAC_UNIT_MONTHS) {
      if (len->text)
        ERR(c, len->loc, "a cap's period is `per month`, `per calendar quarter`, `per calendar "
                         "year` or `per N months`, not %s", unit_phrase(len->unit));
      return;
    }
    if (slac_num_parse(len->text, strlen(len->text), &len->value) != SLAC_NUM_OK ||
        slac_num_to_int(len->value, &n) != 0 || n < 2 || n > 36) {
      ERR(c, len->loc, "a cap over consecutive months is over 2 to 36 months (a cap per month "
                       "is `credits never exceed ... of monthly fee`)");
      return;
    }
    len->valid = true;
    m->period_cap_months = (int)n;
    m->period_cap_rolling = true;
  } else {
    m->period_cap_months = cl->cap_months;
  }
}

slac_model *slac_check(const slac_policy *p, slac_source *src, slac_diags *d) {
  checker c;
  memset(&c, 0, sizeof c);
  c.src = src;
  c.d = d;
  c.errors_before = d->errors;
  c.m = calloc(1, sizeof *c.m);
  if (!c.m) { slac_diag_oom(d); return NULL; }
  /* from here every path ends at `done`, which releases what is held */
  slac_diag_holder held;
  slac_diags_hold(d, &held);
  slac_strmap_init(&c.cause_index);
  slac_model *m = c.m;
  m->ast = p;
  m->id = p->id;
  m->title = p->title;
  int64_t version = 0;
  if (plain_count(&c, (slac_quantity *)&p->version, "the version", &version)) m->version = version;
  if (add_cause(&c, "outage", NULL, NULL) < 0) goto done;

  /* Singletons and global clauses, in source order. */
  const slac_clause *provider = NULL, *currency = NULL, *period = NULL;
  int nservices = 0;
  for (const slac_clause *cl = p->clauses; cl; cl = cl->next) {
    const slac_clause **slot = NULL;
    const char *what = NULL;
    switch (cl->kind) {
    case SLAC_CL_PROVIDER: slot = &provider; what = "provider"; break;
    case SLAC_CL_CURRENCY: slot = &currency; what = "currency"; break;
    case SLAC_CL_PERIOD: slot = &period; what = "period"; break;
    case SLAC_CL_CREDIT: slot = &c.global_credit; what = "credit"; break;
    case SLAC_CL_MINIMUM: slot = &m->minimum; what = "issue credit only if"; break;
    case SLAC_CL_MAXIMUM: check_maximum(&c, cl); break;
    case SLAC_CL_CLAIM: slot = &m->claim; what = "claim required"; break;
    case SLAC_CL_SERVICE: nservices++; break;
    case SLAC_CL_NOTE: push_clause(&c, &m->notes, &m->nnotes, cl); break;
    case SLAC_CL_CAVEAT: push_clause(&c, &m->caveats, &m->ncaveats, cl); break;
    case SLAC_CL_CHARGE: push_clause(&c, &m->charges, &m->ncharges, cl); break;
    case SLAC_CL_NOT_ELIGIBLE:
    case SLAC_CL_ELIGIBLE_ONLY:
      check_cond(&c, cl->cond);
      push_clause(&c, &m->eligibility, &m->neligibility, cl);
      break;
    case SLAC_CL_CAUSE:
      if (find_cause(&c, cl->id) >= 0)
        ERR(&c, cl->id_loc, "cause '%s' is declared twice", cl->id);
      else if (m->ncauses >= SLAC_MAX_CAUSES) {
        /* said once: a policy of 100,000 causes gets one error, not
         * 99,745 (held in memory and sorted) */
        if (!c.cause_limit)
          ERR(&c, cl->id_loc, "a policy has at most %d causes (outage included): cause '%s' is one "
                              "too many", SLAC_MAX_CAUSES, cl->id);
        c.cause_limit = true;
      }
      else if (add_cause(&c, cl->id, cl->text, cl) < 0)
        goto done;
      break;
    default: break;
    }
    if (slot) {
      if (*slot)
        ERR(&c, cl->key_loc, "a second `%s` clause (the first is on line %d)", what,
            (*slot)->loc.first_line);
      else
        *slot = cl;
    }
  }
  if (provider) m->provider = provider->text;
  if (currency) check_currencies(&c, currency);
  else if (!p->incomplete) ERR(&c, p->id_loc, "the policy names no currency: add a line like `currency USD`");

  /* Global cause rules (after declarations, which may come later). */
  for (const slac_clause *cl = p->clauses; cl; cl = cl->next)
    if (cl->kind == SLAC_CL_EXCLUDE || cl->kind == SLAC_CL_COUNT)
      apply_cause_clause(&c, cl, &c.global_rules, &c.nglobal_rules, NULL, 0);

  if (c.global_credit) m->base = c.global_credit->base;
  c.base_clause = c.global_credit;
  if (nservices == 0) {
    if (!p->incomplete)
      ERR(&c, p->id_loc, "the policy has no service: add one, like "
                         "`service api \"API\" { measure unavailable minutes  commit 99.9%% }`");
    goto done;
  }
  m->services = calloc((size_t)nservices, sizeof *m->services);
  if (!m->services) { oom(&c); goto done; }
  bool services_over = false;
  slac_strmap service_index; /* id -> index in m->services */
  slac_strmap_init(&service_index);
  for (const slac_clause *cl = p->clauses; cl; cl = cl->next) {
    if (cl->kind != SLAC_CL_SERVICE) continue;
    size_t first = slac_strmap_get(&service_index, cl->id, strlen(cl->id));
    if (first != SIZE_MAX) {
      ERR(&c, cl->id_loc, "service '%s' is defined twice (first on line %d)", cl->id,
          m->services[first].clause->loc.first_line);
      continue; /* its own problems would only add noise */
    }
    if (m->nservices >= SLAC_MAX_SERVICES) {
      if (!services_over) /* said once, as for causes */
        ERR(&c, cl->id_loc, "a policy has at most %d services: service '%s' is one too many",
            SLAC_MAX_SERVICES, cl->id);
      services_over = true;
      continue;
    }
    if (slac_strmap_put(&service_index, cl->id, strlen(cl->id), (size_t)m->nservices, NULL) < 0) {
      oom(&c);
      break;
    }
    check_service(&c, &m->services[m->nservices++], cl);
  }
  slac_strmap_free(&service_index);
  /* Every service gets a rule for every cause: its own, else the policy's. */
  for (int i = 0; i < m->nservices; i++) {
    slac_model_service *s = &m->services[i];
    slac_cause_rule *own = s->rules;
    s->rules = calloc((size_t)m->ncauses, sizeof *s->rules);
    if (!s->rules) { free(own); oom(&c); goto done; }
    for (int k = 0; k < m->ncauses; k++) {
      s->rules[k] = (slac_cause_rule){SLAC_CAUSE_COUNTS, 0, 1, 0, NULL};
      if (k < c.nglobal_rules && c.global_rules[k].clause) s->rules[k] = c.global_rules[k];
    }
    /* the service's own rules were sized when they were made; causes
     * added later by other clauses are simply not in them */
    for (int k = 0; k < s->nown_rules; k++)
      if (own[k].clause) s->rules[k] = own[k];
    free(own);
  }
  check_charges(&c);
  /* Declared causes nobody uses (unless a misspelt use was reported). */
  for (int k = 1; k < m->ncauses && !c.undefined_causes; k++) {
    if (!c.cause_decl[k]) continue;
    bool used = false;
    for (int i = 0; i < m->nservices; i++) used |= m->services[i].rules[k].clause != NULL;
    if (!used)
      WARN(&c, c.cause_decl[k]->id_loc, "cause '%s' is declared but neither excluded nor "
                                         "counted: add `exclude %s` or `count %s`",
           m->causes[k].name, m->causes[k].name, m->causes[k].name);
  }
  /* Credit schedules, each checked once for itself and per service (and
   * terms) for its commitment: the schedules met so far are in a table
   * (keyed by the bytes of the clause's address, which the terms hold). */
  slac_strmap schedules;
  slac_strmap_init(&schedules);
  for (int i = 0; i < m->nservices; i++) {
    slac_model_service *s = &m->services[i];
    for (int k = 0; k < s->nterms; k++) {
      slac_model_terms *t = &s->terms[k];
      if (!t->credit) continue;
      if (!c.base_clause) { m->base = t->credit->base; c.base_clause = t->credit; }
      else if (t->credit->base != m->base)
        ERR(&c, t->credit->key_loc, "every credit schedule of a policy must use the same base: "
                                    "this one credits %s, the one on line %d %s",
            base_phrase(t->credit->base), c.base_clause->loc.first_line, base_phrase(m->base));
      int first_use = slac_strmap_put(&schedules, (const char *)&t->credit, sizeof t->credit, 0, NULL);
      if (first_use < 0) { oom(&c); break; }
      check_schedule(&c, s, t, first_use == 1);
    }
  }
  slac_strmap_free(&schedules);
  if (m->minimum) check_minimum(&c, m->minimum);
  if (m->claim) check_claim(&c, m->claim);
  check_plan_spellings(&c, p);
  /* Amounts are compared only in a policy that would compile: next to
   * an error they would mostly repeat it. */
  if (!c.nerrors && !p->incomplete) {
    if (m->maximum && cmp(m->maximum_percent, slac_num_int(0)) > 0) check_cap_below_top_tier(&c);
    check_combined_schedules(&c);
  }

done:
  slac_diags_release(&held);
  slac_strmap_free(&c.cause_index);
  free(c.cause_decl);
  free(c.global_rules);
  /* a policy with syntax errors is checked for more errors, never
   * compiled */
  if (d->errors > c.errors_before || d->oom || p->incomplete) {
    slac_model_free(m);
    return NULL;
  }
  return m;
}

void slac_model_free(slac_model *m) {
  if (!m) return;
  for (int i = 0; i < m->nservices; i++) {
    for (int k = 0; k < m->services[i].nterms; k++) free(m->services[i].terms[k].tiers);
    free(m->services[i].terms);
    free(m->services[i].rules);
  }
  free(m->services);
  free(m->causes);
  free(m->currencies);
  free(m->eligibility);
  free(m->notes);
  free(m->caveats);
  free(m->charges);
  free(m);
}

char *slac_cites_text(const slac_cite *c) {
  size_t n = 1;
  for (const slac_cite *x = c; x; x = x->next) n += strlen(x->text) + 2;
  char *s = malloc(n);
  if (!s) return NULL;
  s[0] = 0;
  for (const slac_cite *x = c; x; x = x->next) {
    if (x != c) strcat(s, ", ");
    strcat(s, x->text);
  }
  return s;
}
