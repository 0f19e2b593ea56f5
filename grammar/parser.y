/* parser.y - tokens to AST (pure bison parser with locations).
 *
 * The grammar reads like the contract it encodes: one clause per idea,
 * each starting with a keyword, each optionally followed by citations
 * (§4) that evaluation quotes in its reasons.  Newlines carry no meaning.
 * Error recovery happens at clause, service-clause and tier level (and a
 * broken policy, service or credit header still lets its block be read),
 * so one run reports every independent mistake; bison's detailed syntax
 * errors get hints in slac_yyerror at the end of this file.  Units are not checked here: any
 * number may stand where a value goes, and the checker says when its unit
 * is wrong, which gives better messages than a syntax error would.
 */
%require "3.7"
%define api.pure full
%define api.prefix {slac_yy}
%define api.location.type {slac_loc}
%define parse.error detailed
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {slac_parse_ctx *ctx}

%code requires {
#include "grammar/ast.h"
#include "grammar/frontend.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code provides {
int slac_yylex(SLAC_YYSTYPE *lval, SLAC_YYLTYPE *lloc, yyscan_t scanner);
}

%code {
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Defined at the end of this file, where bison's symbol tables are. */
static void slac_yyerror(SLAC_YYLTYPE *loc, yyscan_t scanner, slac_parse_ctx *ctx,
                         const char *msg);

/* Lists are built by prepending (O(1) per element, a million tiers are
 * fine) and reversed once when complete. */
#define REVERSE(type, list)                 \
  do {                                      \
    type *prev_ = NULL, *cur_ = (list);     \
    while (cur_) {                          \
      type *next_ = cur_->next;             \
      cur_->next = prev_;                   \
      prev_ = cur_;                         \
      cur_ = next_;                         \
    }                                       \
    (list) = prev_;                         \
  } while (0)

static void *oom(slac_parse_ctx *ctx) {
  if (!ctx->stop) slac_diag_oom(ctx->diags);
  ctx->stop = 1;
  return NULL;
}

/* A failed allocation aborts the parse; bison does not free the symbols
 * of the rule whose action aborts, so each action frees what it holds. */
static void free_amounts(struct slac_amounts a) {
  for (int i = 0; i < a.n; i++) slac_ast_free_quantity(&a.v[i]);
  free(a.v);
}

static slac_clause *clause(slac_parse_ctx *ctx, slac_clause_kind kind, slac_loc loc,
                           slac_loc key) {
  slac_clause *c = slac_ast_clause_new(ctx->arena, kind, loc);
  if (!c) return oom(ctx);
  c->key_loc = key;
  return c;
}

static slac_name *name(slac_parse_ctx *ctx, char *text, slac_loc loc, slac_name *next) {
  slac_name *n = calloc(1, sizeof *n);
  if (!n) { free(text); slac_ast_free_names(next); return oom(ctx); }
  n->text = text;
  n->loc = loc;
  n->next = next;
  return n;
}

static slac_cond *cond(slac_parse_ctx *ctx, slac_cond_kind kind, slac_loc loc,
                       slac_cond *lhs, slac_cond *rhs) {
  slac_cond *c = calloc(1, sizeof *c);
  if (!c) { slac_ast_free_cond(lhs); slac_ast_free_cond(rhs); return oom(ctx); }
  c->kind = kind;
  c->loc = loc;
  c->lhs = lhs;
  c->rhs = rhs;
  /* Parentheses are limited by the lexer; "not not not ..." is limited
   * here, so that later passes may recurse over conditions safely. */
  int dl = lhs ? lhs->depth : 0, dr = rhs ? rhs->depth : 0;
  int depth = 1 + (dl > dr ? dl : dr);
  if (depth > SLAC_MAX_NESTING) {
    /* Report once, and stop the tree from growing deeper. */
    if (dl <= SLAC_MAX_NESTING && dr <= SLAC_MAX_NESTING && !ctx->stop)
      slac_diag(ctx->diags, ctx->src, loc, SLAC_ERROR,
                "conditions nested more than 100 deep: simplify the expression");
    slac_ast_free_cond(lhs);
    slac_ast_free_cond(rhs);
    c->lhs = c->rhs = NULL;
    depth = SLAC_MAX_NESTING + 1;
  }
  c->depth = depth;
  return c;
}

static slac_bound bound(slac_bound_kind kind, slac_quantity q, slac_loc loc) {
  slac_bound b;
  b.kind = kind;
  b.value = q;
  b.loc = loc;
  return b;
}
}

%union {
  char *str;
  /* cap_period, opt_notice: a carrier clause whose fields are copied */
  slac_quantity qty;
  slac_cite *cite;
  slac_name *names;
  slac_tier *tier;
  slac_bound bound;
  slac_cond *cond;
  slac_clause *clause;
  slac_policy *policy;
  int base;
  struct slac_amounts { slac_quantity *v; int n; } amounts;
}

%token <str> IDENT "name" STRING "string" CITATION "citation"
%token <qty> QUANTITY "number"
%token POLICY "policy" VERSION "version" PROVIDER "provider" CURRENCY "currency"
%token PERIOD "period" CALENDAR "calendar" MONTH "month" IN "in" UTC "UTC"
%token SERVICE "service" MEASURE "measure" UNAVAILABLE "unavailable"
%token MINUTES "minutes" MINUTE "minute" AVERAGE "average" ERROR_KW "error"
%token ERRORS "errors" RATE "rate" OVER "over" WINDOWS "windows" EMPTY "empty"
%token COUNT "count" COUNTS "counts" AS "as" ARE "are" LEFT "left" OUT "out"
%token WITH "with" REQUESTS "requests" DOWNTIME "downtime" RUNS "runs"
%token COMMIT "commit" CREDIT "credit" CREDITS "credits" OF "of"
%token MONTHLY "monthly" FEE "fee" CHARGES "charges" AFFECTED "affected"
%token SERVICES "services" BELOW "below" ABOVE "above" AT "at" OR "or" AND "and"
%token NOT "not" ELIGIBLE "eligible" WHEN "when" ONLY "only" PLAN "plan"
%token STANDING "standing" IS "is" GOOD "good" OVERDUE "overdue"
%token EXCLUDE "exclude" UP "up" TO "to" PER "per" CAUSE "cause" ISSUE "issue"
%token IF "if" AMOUNT "amount" GREATER "greater" THAN "than" LEAST "least"
%token NEVER "never" EXCEED "exceed" NOTE "note" ARROW "->"
%token CLAIM "claim" REQUIRED "required" TICKET "ticket" WITHIN "within"
%token INTERRUPTION "interruption" SUBJECT "subject" CONTAINS "contains" INCLUDE "include"
%token MOST "most" SEVERE "severe" TIER "tier" APPLIES "applies"
%token QUARTER "quarter" YEAR "year" TERMS "terms" DEFAULT "default" FOR "for" PLANS "plans"
%token KIND "kind" IGNORE "ignore" ANNOUNCED "announced" AHEAD "ahead"
%token BY "by" END "end" BILLING "billing" AFTER "after" FEES "fees" CHARGE "charge"
%token CAVEAT "caveat" CREDITED "credited"

%type <str> opt_title kind_name
%type <cite> cites
%type <names> names plans kinds
%type <tier> tiers tier
%type <bound> bound
%type <cond> cond
%type <clause> clauses clause service_clauses service_clause credit_clause
%type <clause> exclude_clause measure_clause minute_rules minute_rule claim_rules claim_rule
%type <policy> policy
%type <base> base max_base period_unit
%type <clause> cap_period opt_notice terms_clause
%type <amounts> amounts

%destructor { free($$); } <str>
%destructor { slac_ast_free_quantity(&$$); } <qty>
%destructor { slac_ast_free_quantity(&$$.value); } <bound>
%destructor { slac_ast_free_cites($$); } <cite>
%destructor { slac_ast_free_names($$); } <names>
%destructor { slac_ast_free_tiers($$); } <tier>
%destructor { slac_ast_free_cond($$); } <cond>
%destructor { slac_ast_free_clauses($$); } <clause>
%destructor { slac_ast_free_policy($$); } <policy>
%destructor { free_amounts($$); } <amounts>

%left OR
%left AND
%precedence NOT

%%

start:
    policy              { ctx->result = $1; }
  ;

policy:
    "policy" IDENT opt_title "version" QUANTITY '{' clauses '}' {
      $$ = slac_ast_policy_new();
      if (!$$) { free($2); free($3); slac_ast_free_quantity(&$5);
                 slac_ast_free_clauses($7); oom(ctx); YYABORT; }
      $$->loc = @$;
      $$->id = $2;
      $$->id_loc = @2;
      $$->title = $3;
      $$->version = $5;
      REVERSE(slac_clause, $7);
      $$->clauses = $7;
    }
    /* A broken header: report it, and still read (and check) the body. */
  | "policy" error '{' clauses '}' {
      $$ = slac_ast_policy_new();
      if (!$$) { slac_ast_free_clauses($4); oom(ctx); YYABORT; }
      $$->loc = @$;
      $$->id_loc = @1;
      REVERSE(slac_clause, $4);
      $$->clauses = $4;
    }
  ;

opt_title:
    %empty              { $$ = NULL; }
  | STRING              { $$ = $1; }
  ;

cites:
    %empty              { $$ = NULL; }
  | cites CITATION {
      slac_cite *c = calloc(1, sizeof *c);
      if (!c) { free($2); slac_ast_free_cites($1); $$ = oom(ctx); YYABORT; }
      c->text = $2;
      c->loc = @2;
      /* appended: citations are few, order as written */
      if (!$1) $$ = c;
      else { slac_cite *t = $1; while (t->next) t = t->next; t->next = c; $$ = $1; }
    }
  ;

names:
    IDENT               { $$ = name(ctx, $1, @1, NULL); if (!$$) YYABORT; }
  | names ',' IDENT     { $$ = name(ctx, $3, @3, $1); if (!$$) YYABORT; }
  ;

/* Kinds of error are names; two words of the language that name common
 * kinds ("unavailable", "error") are allowed too, since a kind's list
 * stands where no clause can start. */
kinds:
    kind_name           { $$ = name(ctx, $1, @1, NULL); if (!$$) YYABORT; }
  | kinds ',' kind_name { $$ = name(ctx, $3, @3, $1); if (!$$) YYABORT; }
  ;

kind_name:
    IDENT
  | "unavailable"       { $$ = strdup("unavailable"); if (!$$) { oom(ctx); YYABORT; } }
  | "error"             { $$ = strdup("error"); if (!$$) { oom(ctx); YYABORT; } }
  ;

plans:
    STRING              { $$ = name(ctx, $1, @1, NULL); if (!$$) YYABORT; }
  | plans ',' STRING    { $$ = name(ctx, $3, @3, $1); if (!$$) YYABORT; }
  ;

clauses:
    %empty              { $$ = NULL; }
  | clauses clause      { if ($2) { $2->next = $1; $$ = $2; } else $$ = $1; }
  ;

clause:
    "provider" STRING cites {
      $$ = clause(ctx, SLAC_CL_PROVIDER, @$, @1);
      if (!$$) { free($2); slac_ast_free_cites($3); YYABORT; }
      $$->text = $2; $$->text_loc = @2; $$->cites = $3;
    }
  | "currency" names cites {
      $$ = clause(ctx, SLAC_CL_CURRENCY, @$, @1);
      if (!$$) { slac_ast_free_names($2); slac_ast_free_cites($3); YYABORT; }
      REVERSE(slac_name, $2); $$->names = $2; $$->cites = $3;
    }
  | "period" "calendar" "month" "in" "UTC" cites {
      $$ = clause(ctx, SLAC_CL_PERIOD, @$, @1);
      if (!$$) { slac_ast_free_cites($6); YYABORT; }
      $$->cites = $6;
    }
  | "service" IDENT STRING '{' service_clauses '}' {
      $$ = clause(ctx, SLAC_CL_SERVICE, @$, @1);
      if (!$$) { free($2); free($3); slac_ast_free_clauses($5); YYABORT; }
      $$->id = $2; $$->id_loc = @2; $$->text = $3; $$->text_loc = @3;
      REVERSE(slac_clause, $5); $$->body = $5;
    }
    /* A broken header: skip to its '{' and read the body for its syntax
     * errors, so that they do not end the policy early. */
  | "service" error '{' service_clauses '}' { slac_ast_free_clauses($4); $$ = NULL; }
  | credit_clause
  | exclude_clause
  | "cause" IDENT STRING cites {
      $$ = clause(ctx, SLAC_CL_CAUSE, @$, @1);
      if (!$$) { free($2); free($3); slac_ast_free_cites($4); YYABORT; }
      $$->id = $2; $$->id_loc = @2; $$->text = $3; $$->text_loc = @3; $$->cites = $4;
    }
  | "count" names cites {
      $$ = clause(ctx, SLAC_CL_COUNT, @$, @1);
      if (!$$) { slac_ast_free_names($2); slac_ast_free_cites($3); YYABORT; }
      REVERSE(slac_name, $2); $$->names = $2; $$->cites = $3;
    }
  | "not" "eligible" "when" cond cites {
      $$ = clause(ctx, SLAC_CL_NOT_ELIGIBLE, @$, @1);
      if (!$$) { slac_ast_free_cond($4); slac_ast_free_cites($5); YYABORT; }
      $$->cond = $4; $$->cites = $5;
    }
  | "eligible" "only" "when" cond cites {
      $$ = clause(ctx, SLAC_CL_ELIGIBLE_ONLY, @$, @1);
      if (!$$) { slac_ast_free_cond($4); slac_ast_free_cites($5); YYABORT; }
      $$->cond = $4; $$->cites = $5;
    }
  | "issue" "credit" "only" "if" "amount" "greater" "than" amounts cites {
      $$ = clause(ctx, SLAC_CL_MINIMUM, @$, @1);
      if (!$$) { free_amounts($8); slac_ast_free_cites($9); YYABORT; }
      $$->amounts = $8.v; $$->namounts = $8.n; $$->at_least = false; $$->cites = $9;
    }
  | "issue" "credit" "only" "if" "amount" "at" "least" amounts cites {
      $$ = clause(ctx, SLAC_CL_MINIMUM, @$, @1);
      if (!$$) { free_amounts($8); slac_ast_free_cites($9); YYABORT; }
      $$->amounts = $8.v; $$->namounts = $8.n; $$->at_least = true; $$->cites = $9;
    }
  | "credits" "never" "exceed" QUANTITY "of" max_base cites {
      $$ = clause(ctx, SLAC_CL_MAXIMUM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$4); slac_ast_free_cites($7); YYABORT; }
      $$->value = $4; $$->base = (slac_base)$6; $$->cites = $7; $$->cap_months = 1;
    }
    /* a cap on the running total of a quarter, a year or 12 months */
  | "credits" "never" "exceed" QUANTITY "of" max_base cap_period cites {
      $$ = $7;
      $$->kind = SLAC_CL_MAXIMUM; $$->loc = @$; $$->key_loc = @1;
      $$->value = $4; $$->base = (slac_base)$6; $$->cites = $8;
    }
    /* a charge in the fee that earns no credit (support, engineering) */
  | "charge" IDENT opt_title "not" "credited" cites {
      $$ = clause(ctx, SLAC_CL_CHARGE, @$, @1);
      if (!$$) { free($2); free($3); slac_ast_free_cites($6); YYABORT; }
      $$->id = $2; $$->id_loc = @2; $$->text = $3; $$->text_loc = @3; $$->cites = $6;
    }
  | "caveat" STRING cites {
      $$ = clause(ctx, SLAC_CL_CAVEAT, @$, @1);
      if (!$$) { free($2); slac_ast_free_cites($3); YYABORT; }
      $$->text = $2; $$->text_loc = @2; $$->cites = $3;
    }
  | "note" STRING cites {
      $$ = clause(ctx, SLAC_CL_NOTE, @$, @1);
      if (!$$) { free($2); slac_ast_free_cites($3); YYABORT; }
      $$->text = $2; $$->text_loc = @2; $$->cites = $3;
    }
  | "claim" "required" cites '{' claim_rules '}' {
      $$ = $5;
      if (!$$) {
        $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
        if (!$$) { slac_ast_free_cites($3); YYABORT; }
      }
      $$->loc = @$; $$->key_loc = @1; $$->cites = $3;
    }
  | error               { $$ = NULL; }
  ;

amounts:
    QUANTITY {
      $$.v = malloc(sizeof *$$.v);
      if (!$$.v) { slac_ast_free_quantity(&$1); oom(ctx); YYABORT; }
      $$.v[0] = $1; $$.n = 1;
    }
  | amounts "or" QUANTITY {
      slac_quantity *v = realloc($1.v, (size_t)($1.n + 1) * sizeof *v);
      if (!v) { slac_ast_free_quantity(&$3); free_amounts($1); oom(ctx); YYABORT; }
      v[$1.n] = $3; $$.v = v; $$.n = $1.n + 1;
    }
  ;

base:
    "monthly" "fee"                      { $$ = SLAC_BASE_MONTHLY_FEE; }
  | "charges" "of" "affected" "services" { $$ = SLAC_BASE_AFFECTED_CHARGES; }
  | "service" "charge"                   { $$ = SLAC_BASE_SERVICE_CHARGE; }
  ;

/* A cap's base may also be the fees of its whole period. */
max_base:
    base
  | "fees"                               { $$ = SLAC_BASE_PERIOD_FEES; }
  ;

/* "per month", "per calendar quarter", "per year": months in the period */
period_unit:
    "month"                  { $$ = 1; }
  | "calendar" "month"       { $$ = 1; }
  | "quarter"                { $$ = 3; }
  | "calendar" "quarter"     { $$ = 3; }
  | "year"                   { $$ = 12; }
  | "calendar" "year"        { $$ = 12; }
  ;

/* The period of a cap, carried in a clause whose fields the rule that
 * uses it takes over. */
cap_period:
    "per" period_unit {
      $$ = clause(ctx, SLAC_CL_MAXIMUM, @$, @1);
      if (!$$) YYABORT;
      $$->cap_months = $2; $$->cap_period_loc = @$;
    }
  | "per" QUANTITY {
      $$ = clause(ctx, SLAC_CL_MAXIMUM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$2); YYABORT; }
      $$->rolling = true; $$->period_len = $2; $$->cap_period_loc = @$;
    }
  ;

opt_notice:
    %empty            { $$ = NULL; }
  | "announced" "at" "least" QUANTITY "ahead" {
      $$ = clause(ctx, SLAC_CL_EXCLUDE, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$4); YYABORT; }
      $$->has_notice = true; $$->notice = $4;
    }
  ;

plan_word: "plan" | "plans" ;

/* Terms chosen by the account's plan, inside a service; the default
 * terms apply to every plan that no other terms name. */
terms_clause:
    "terms" "for" plan_word plans cites '{' service_clauses '}' {
      $$ = clause(ctx, SLAC_CL_TERMS, @$, @1);
      if (!$$) { slac_ast_free_names($4); slac_ast_free_cites($5); slac_ast_free_clauses($7); YYABORT; }
      REVERSE(slac_name, $4); $$->names = $4; $$->cites = $5;
      REVERSE(slac_clause, $7); $$->body = $7;
    }
  | "default" "terms" "for" plan_word plans cites '{' service_clauses '}' {
      $$ = clause(ctx, SLAC_CL_TERMS, @$, @1);
      if (!$$) { slac_ast_free_names($5); slac_ast_free_cites($6); slac_ast_free_clauses($8); YYABORT; }
      REVERSE(slac_name, $5); $$->names = $5; $$->cites = $6; $$->is_default = true;
      REVERSE(slac_clause, $8); $$->body = $8;
    }
  | "default" "terms" cites '{' service_clauses '}' {
      $$ = clause(ctx, SLAC_CL_TERMS, @$, @1);
      if (!$$) { slac_ast_free_cites($3); slac_ast_free_clauses($5); YYABORT; }
      $$->cites = $3; $$->is_default = true;
      REVERSE(slac_clause, $5); $$->body = $5;
    }
  ;

service_clauses:
    %empty                          { $$ = NULL; }
  | service_clauses service_clause  { if ($2) { $2->next = $1; $$ = $2; } else $$ = $1; }
  ;

service_clause:
    measure_clause
  | "commit" QUANTITY cites {
      $$ = clause(ctx, SLAC_CL_COMMIT, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$2); slac_ast_free_cites($3); YYABORT; }
      $$->value = $2; $$->cites = $3;
    }
  | credit_clause
  | exclude_clause
  | terms_clause
  | "count" "only" "errors" "of" "kind" kinds cites {
      $$ = clause(ctx, SLAC_CL_KINDS, @$, @1);
      if (!$$) { slac_ast_free_names($6); slac_ast_free_cites($7); YYABORT; }
      REVERSE(slac_name, $6); $$->names = $6; $$->cites = $7;
    }
  | "ignore" "errors" "of" "kind" kinds cites {
      $$ = clause(ctx, SLAC_CL_KINDS, @$, @1);
      if (!$$) { slac_ast_free_names($5); slac_ast_free_cites($6); YYABORT; }
      REVERSE(slac_name, $5); $$->names = $5; $$->cites = $6; $$->ignore_kinds = true;
    }
  | error               { $$ = NULL; }
  ;

measure_clause:
    "measure" "unavailable" "minutes" cites {
      $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1);
      if (!$$) { slac_ast_free_cites($4); YYABORT; }
      $$->metric = SLAC_METRIC_MINUTES; $$->cites = $4;
    }
  | "measure" "unavailable" "minutes" cites '{' minute_rules '}' {
      $$ = $6;
      if (!$$) { $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1); if (!$$) { slac_ast_free_cites($4); YYABORT; } }
      $$->loc = @$; $$->key_loc = @1;
      $$->metric = SLAC_METRIC_MINUTES; $$->cites = $4;
    }
  | "measure" "average" "error" "rate" "over" QUANTITY "windows" cites {
      $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$6); slac_ast_free_cites($8); YYABORT; }
      $$->metric = SLAC_METRIC_ERROR_RATE; $$->window = $6; $$->cites = $8;
    }
  | "measure" "average" "error" "rate" "over" QUANTITY "windows" ','
    "empty" "windows" "count" "as" QUANTITY "errors" cites {
      $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$6); slac_ast_free_quantity(&$13);
                 slac_ast_free_cites($15); YYABORT; }
      $$->metric = SLAC_METRIC_ERROR_RATE; $$->window = $6; $$->cites = $15;
      $$->has_empty = true; $$->empty = SLAC_EMPTY_ZERO; $$->empty_percent = $13;
    }
  | "measure" "average" "error" "rate" "over" QUANTITY "windows" ','
    "empty" "windows" "are" "left" "out" cites {
      $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$6); slac_ast_free_cites($14); YYABORT; }
      $$->metric = SLAC_METRIC_ERROR_RATE; $$->window = $6; $$->cites = $14;
      $$->has_empty = true; $$->empty = SLAC_EMPTY_LEFT_OUT;
    }
  ;

/* The rules of a minute metric accumulate into one MEASURE clause; a
 * rule written twice is reported by the checker through its location. */
minute_rules:
    %empty                    { $$ = NULL; }
  | minute_rules minute_rule  {
      $$ = $1;
      if ($2) {
        if (!$$) $$ = $2;
        else {
          if ($2->has_rate_rule) {
            if ($$->has_rate_rule)
              slac_diag(ctx->diags, ctx->src, $2->key_loc, SLAC_ERROR,
                        "this metric already has an error-rate rule, on line %d",
                        $$->rate_bound.loc.first_line);
            else {
              $$->has_rate_rule = true; $$->rate_bound = $2->rate_bound;
              $$->min_requests = $2->min_requests;
              memset(&$2->rate_bound, 0, sizeof $2->rate_bound);
              memset(&$2->min_requests, 0, sizeof $2->min_requests);
            }
          }
          if ($2->has_run_rule) {
            if ($$->has_run_rule)
              slac_diag(ctx->diags, ctx->src, $2->key_loc, SLAC_ERROR,
                        "this metric already has a consecutive-minutes rule, on line %d",
                        $$->min_run.loc.first_line);
            else {
              $$->has_run_rule = true; $$->min_run = $2->min_run;
              memset(&$2->min_run, 0, sizeof $2->min_run);
            }
          }
          slac_ast_free_clauses($2);
        }
      }
    }
  ;

minute_rule:
    "minute" "unavailable" "when" "error" "rate" bound "with" "at" "least" QUANTITY "requests" {
      $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$6.value); slac_ast_free_quantity(&$10); YYABORT; }
      $$->has_rate_rule = true; $$->rate_bound = $6; $$->min_requests = $10;
    }
  | "downtime" "counts" "only" "in" "runs" "of" "at" "least" QUANTITY {
      $$ = clause(ctx, SLAC_CL_MEASURE, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$9); YYABORT; }
      $$->has_run_rule = true; $$->min_run = $9;
    }
  | error               { $$ = NULL; }
  ;

/* The rules of a claim accumulate into one CLAIM clause, like the rules
 * of a minute metric. */
claim_rules:
    %empty                    { $$ = NULL; }
  | claim_rules claim_rule    {
      $$ = $1;
      if ($2) {
        if (!$$) $$ = $2;
        else {
          const char *again = NULL;
          if ($2->has_ticket_deadline) {
            if ($$->has_ticket_deadline) again = "the ticket deadline";
            else { $$->has_ticket_deadline = true; $$->ticket_within = $2->ticket_within;
                   $$->ticket_end_of_month = $2->ticket_end_of_month;
                   $$->ticket_after_month_end = $2->ticket_after_month_end;
                   memset(&$2->ticket_within, 0, sizeof $2->ticket_within); }
          }
          if ($2->has_claim_deadline) {
            if ($$->has_claim_deadline) again = "the claim deadline";
            else { $$->has_claim_deadline = true; $$->claim_within = $2->claim_within;
                   $$->claim_end_of_month = $2->claim_end_of_month;
                   $$->claim_after_month_end = $2->claim_after_month_end;
                   memset(&$2->claim_within, 0, sizeof $2->claim_within); }
          }
          if ($2->text) {
            if ($$->text) again = "the subject";
            else { $$->text = $2->text; $$->text_loc = $2->text_loc; $2->text = NULL; }
          }
          if ($2->names) {
            if ($$->names) again = "what the claim must include";
            else { $$->names = $2->names; $2->names = NULL; }
          }
          if (again && !ctx->stop)
            slac_diag(ctx->diags, ctx->src, $2->key_loc, SLAC_ERROR,
                      "%s of this claim is already given above", again);
          slac_ast_free_clauses($2);
        }
      }
    }
  ;

claim_rule:
    "ticket" "within" QUANTITY "of" "interruption" {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$3); YYABORT; }
      $$->has_ticket_deadline = true; $$->ticket_within = $3;
    }
  | "claim" "within" QUANTITY "of" "interruption" {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$3); YYABORT; }
      $$->has_claim_deadline = true; $$->claim_within = $3;
    }
    /* "within 30 days after the end of the month of the incident" */
  | "ticket" "within" QUANTITY "after" "end" "of" "billing" "month" {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$3); YYABORT; }
      $$->has_ticket_deadline = true; $$->ticket_within = $3; $$->ticket_after_month_end = true;
    }
  | "claim" "within" QUANTITY "after" "end" "of" "billing" "month" {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$3); YYABORT; }
      $$->has_claim_deadline = true; $$->claim_within = $3; $$->claim_after_month_end = true;
    }
    /* "by the end of the second billing cycle after the incident" */
  | "ticket" "by" "end" "of" QUANTITY "billing" "month" "after" "interruption" {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$5); YYABORT; }
      $$->has_ticket_deadline = true; $$->ticket_within = $5; $$->ticket_end_of_month = true;
    }
  | "claim" "by" "end" "of" QUANTITY "billing" "month" "after" "interruption" {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_quantity(&$5); YYABORT; }
      $$->has_claim_deadline = true; $$->claim_within = $5; $$->claim_end_of_month = true;
    }
  | "subject" "contains" STRING {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { free($3); YYABORT; }
      $$->text = $3; $$->text_loc = @3;
    }
  | "include" names {
      $$ = clause(ctx, SLAC_CL_CLAIM, @$, @1);
      if (!$$) { slac_ast_free_names($2); YYABORT; }
      REVERSE(slac_name, $2); $$->names = $2;
    }
  | error               { $$ = NULL; }
  ;

credit_clause:
    "credit" "of" base cites '{' tiers '}' {
      $$ = clause(ctx, SLAC_CL_CREDIT, @$, @1);
      if (!$$) { slac_ast_free_cites($4); slac_ast_free_tiers($6); YYABORT; }
      $$->base = (slac_base)$3; $$->cites = $4;
      REVERSE(slac_tier, $6); $$->tiers = $6;
    }
    /* Contracts write cascading thresholds ("< 99% -> 25%, < 95% -> 100%")
     * and mean the most severe one: said once, on the schedule. */
  | "credit" "of" base ',' "most" "severe" "tier" "applies" cites '{' tiers '}' {
      $$ = clause(ctx, SLAC_CL_CREDIT, @$, @1);
      if (!$$) { slac_ast_free_cites($9); slac_ast_free_tiers($11); YYABORT; }
      $$->base = (slac_base)$3; $$->cites = $9;
      $$->most_severe = true; $$->most_severe_loc = @5;
      $$->most_severe_loc.last_line = @8.last_line;
      $$->most_severe_loc.last_column = @8.last_column;
      REVERSE(slac_tier, $11); $$->tiers = $11;
    }
  | "credit" error '{' tiers '}' { slac_ast_free_tiers($4); $$ = NULL; }
  ;

tiers:
    %empty              { $$ = NULL; }
  | tiers tier          { if ($2) { $2->next = $1; $$ = $2; } else $$ = $1; }
  ;

tier:
    bound "->" QUANTITY cites {
      $$ = calloc(1, sizeof *$$);
      if (!$$) { slac_ast_free_quantity(&$1.value); slac_ast_free_quantity(&$3);
                 slac_ast_free_cites($4); oom(ctx); YYABORT; }
      $$->loc = @$; $$->nbounds = 1; $$->bounds[0] = $1; $$->credit = $3; $$->cites = $4;
    }
  | bound "and" bound "->" QUANTITY cites {
      $$ = calloc(1, sizeof *$$);
      if (!$$) { slac_ast_free_quantity(&$1.value); slac_ast_free_quantity(&$3.value);
                 slac_ast_free_quantity(&$5); slac_ast_free_cites($6); oom(ctx); YYABORT; }
      $$->loc = @$; $$->nbounds = 2; $$->bounds[0] = $1; $$->bounds[1] = $3;
      $$->credit = $5; $$->cites = $6;
    }
  | error               { $$ = NULL; }
  ;

bound:
    "below" QUANTITY            { $$ = bound(SLAC_BOUND_BELOW, $2, @$); }
  | "at" "or" "below" QUANTITY  { $$ = bound(SLAC_BOUND_AT_OR_BELOW, $4, @$); }
  | "above" QUANTITY            { $$ = bound(SLAC_BOUND_ABOVE, $2, @$); }
  | "at" "or" "above" QUANTITY  { $$ = bound(SLAC_BOUND_AT_OR_ABOVE, $4, @$); }
  ;

exclude_clause:
    "exclude" names opt_notice cites {
      $$ = $3 ? $3 : clause(ctx, SLAC_CL_EXCLUDE, @$, @1);
      if (!$$) { slac_ast_free_names($2); slac_ast_free_cites($4); YYABORT; }
      $$->loc = @$; $$->key_loc = @1;
      REVERSE(slac_name, $2); $$->names = $2; $$->cites = $4;
    }
  | "exclude" names "up" "to" QUANTITY cap_period opt_notice cites {
      $$ = $6;
      $$->kind = SLAC_CL_EXCLUDE; $$->loc = @$; $$->key_loc = @1;
      REVERSE(slac_name, $2); $$->names = $2; $$->cites = $8;
      $$->capped = true; $$->value = $5;
      if ($7) {
        $$->has_notice = true; $$->notice = $7->notice;
        memset(&$7->notice, 0, sizeof $7->notice);
        slac_ast_free_clauses($7);
      }
    }
  ;

cond:
    cond "or" cond      { $$ = cond(ctx, SLAC_COND_OR, @$, $1, $3); if (!$$) YYABORT; }
  | cond "and" cond     { $$ = cond(ctx, SLAC_COND_AND, @$, $1, $3); if (!$$) YYABORT; }
  | "not" cond          { $$ = cond(ctx, SLAC_COND_NOT, @$, $2, NULL); if (!$$) YYABORT; }
  | '(' cond ')'        { $$ = $2; }
  | "plan" "in" '{' plans '}' {
      $$ = cond(ctx, SLAC_COND_PLAN_IN, @$, NULL, NULL);
      if (!$$) { slac_ast_free_names($4); YYABORT; }
      REVERSE(slac_name, $4); $$->plans = $4;
    }
  | "plan" "is" STRING {
      $$ = cond(ctx, SLAC_COND_PLAN_IN, @$, NULL, NULL);
      if (!$$) { free($3); YYABORT; }
      $$->plans = name(ctx, $3, @3, NULL);
      if (!$$->plans) { slac_ast_free_cond($$); YYABORT; }
    }
  | "standing" "is" "good" {
      $$ = cond(ctx, SLAC_COND_STANDING, @$, NULL, NULL); if (!$$) YYABORT;
      $$->standing_good = true;
    }
  | "standing" "is" "overdue" {
      $$ = cond(ctx, SLAC_COND_STANDING, @$, NULL, NULL); if (!$$) YYABORT;
      $$->standing_good = false;
    }
  ;

%%

/* Append to the message being built in BUF (cut, never overrun). */
static void add(char *buf, size_t size, size_t *n, const char *fmt, ...) SLAC_PRINTF(4, 5);
static void add(char *buf, size_t size, size_t *n, const char *fmt, ...) {
  if (*n >= size) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(buf + *n, size - *n, fmt, ap);
  va_end(ap);
  if (k > 0) *n += (size_t)k;
}

static bool is_keyword(yysymbol_kind_t sym) {
  const char *n = yysymbol_name(sym);
  return sym > YYSYMBOL_QUANTITY &&
         ((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z'));
}

const char *slac_keyword(int i) {
  for (int sym = 0; sym < YYNTOKENS; sym++)
    if (is_keyword((yysymbol_kind_t)sym) && i-- == 0) return yysymbol_name((yysymbol_kind_t)sym);
  return NULL;
}

/* Words of the language are quoted in messages ("expecting 'and' or
 * '->'"), kinds of token are not ("expecting name"): bison's detailed
 * message names both alike, so each name in it is looked up. */
static void add_quoted(char *buf, size_t size, size_t *n, const char *name, size_t len) {
  static const char *const kinds[] = {"end of file", "name", "string", "citation", "number",
                                      "invalid token"};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strlen(kinds[i]) == len && strncmp(kinds[i], name, len) == 0) {
      add(buf, size, n, "%.*s", (int)len, name);
      return;
    }
  add(buf, size, n, name[0] == '\'' ? "%.*s" : "'%.*s'", (int)len, name);
}

/* Rewrite "syntax error, unexpected X, expecting Y or Z" with quotes. */
static void quote_message(char *buf, size_t size, size_t *n, const char *msg) {
  const char *p = strstr(msg, "unexpected ");
  if (!p) { add(buf, size, n, "%s", msg); return; }
  p += strlen("unexpected ");
  add(buf, size, n, "%.*s", (int)(p - msg), msg);
  const char *end = strstr(p, ", expecting ");
  size_t len = end ? (size_t)(end - p) : strlen(p);
  add_quoted(buf, size, n, p, len);
  if (!end) return;
  add(buf, size, n, ", expecting ");
  p = end + strlen(", expecting ");
  while (*p) {
    const char *or = strstr(p, " or ");
    len = or ? (size_t)(or - p) : strlen(p);
    add_quoted(buf, size, n, p, len);
    if (!or) break;
    add(buf, size, n, " or ");
    p = or + 4;
  }
}

/* The text of a one-line token, from the source. */
static const char *token_text(slac_parse_ctx *ctx, const SLAC_YYLTYPE *loc, int *len) {
  size_t n;
  const char *line = slac_source_line(ctx->src, loc->first_line, &n);
  if (!line) { oom(ctx); return NULL; } /* the line exists: its index failed */
  if (loc->last_line != loc->first_line) return NULL;
  size_t from = 0;
  for (int col = 1; col < loc->first_column && from < n; col++)
    from += slac_utf8_len((const unsigned char *)line + from, n - from);
  size_t to = from;
  for (int col = loc->first_column; col < loc->last_column && to < n; col++)
    to += slac_utf8_len((const unsigned char *)line + to, n - to);
  *len = (int)(to - from);
  return line + from;
}

/* Months, quarters and years are what contracts say: a plain syntax
 * error would leave the author guessing, and the nearest spelling that
 * parses changes the amounts.  Says what is allowed where the word stands. */
static const char *period_message(const slac_parse_ctx *ctx, yysymbol_kind_t got,
                                  const char *text, int len) {
  static const char *const words[] = {"months", "quarters", "years", "quarterly", "yearly",
                                      "annual", "annually", "monthly"};
  bool period_word = false;
  for (size_t i = 0; text && i < sizeof words / sizeof words[0]; i++)
    period_word |= strlen(words[i]) == (size_t)len && strncmp(words[i], text, (size_t)len) == 0;
  yysymbol_kind_t prev = YYTRANSLATE(ctx->prev_token);
  if (prev == YYSYMBOL_PER && period_word)
    return "a cap's period is written `per month`, `per calendar quarter`, `per calendar year` "
           "or, for a cap on credits, `per 12 months`";
  if (prev == YYSYMBOL_CALENDAR && (got == YYSYMBOL_QUARTER || got == YYSYMBOL_YEAR || period_word))
    return "slac evaluates calendar months: write `period calendar month in UTC`; a cap over a "
           "quarter or a year is written on its own clause (`exclude maintenance up to 4 h per "
           "calendar quarter`, `credits never exceed 50% of fees per calendar year`)";
  if (ctx->prev_bare && period_word)
    return "a duration is written in min, h, days or weeks, and calendar months as `2 months`";
  if (period_word)
    return "a period is the calendar month, quarter or year (`per month`, `per calendar "
           "quarter`, `per calendar year`) and a duration is written in min, h, days or weeks";
  return NULL;
}

/* A clause written in the wrong block: say where it belongs, rather than
 * list what the block accepts. */
static const char *placement_message(const slac_parse_ctx *ctx, yysymbol_kind_t got) {
  if (ctx->nbraces < 1 || ctx->nbraces > SLAC_MAX_BRACES) return NULL;
  int in = ctx->brace_kind[ctx->nbraces - 1];
  bool policy_clause = got == YYSYMBOL_PROVIDER || got == YYSYMBOL_CURRENCY ||
                       got == YYSYMBOL_PERIOD || got == YYSYMBOL_SERVICE ||
                       got == YYSYMBOL_CAUSE || got == YYSYMBOL_COUNT ||
                       got == YYSYMBOL_ELIGIBLE || got == YYSYMBOL_ISSUE ||
                       got == YYSYMBOL_CREDITS || got == YYSYMBOL_NOTE || got == YYSYMBOL_CLAIM ||
                       got == YYSYMBOL_CAVEAT || got == YYSYMBOL_CHARGE;
  if ((in == SERVICE || in == TERMS) && policy_clause)
    return "belongs at policy level, not inside a service block: move it after "
           "the service's '}' (a service holds `measure`, `commit`, `credit`, `exclude`, `terms` and error kinds)";
  if (in == POLICY && (got == YYSYMBOL_MEASURE || got == YYSYMBOL_COMMIT))
    return "belongs inside a service block: write it in `service ID \"TITLE\" "
           "{ ... }`";
  if ((in == POLICY || in == SERVICE) &&
      (got == YYSYMBOL_BELOW || got == YYSYMBOL_ABOVE || got == YYSYMBOL_AT))
    return "a tier belongs inside a credit schedule: write it in `credit of monthly fee { ... }`";
  if ((in == POLICY || in == SERVICE) && (got == YYSYMBOL_TICKET || got == YYSYMBOL_SUBJECT ||
                                          got == YYSYMBOL_INCLUDE))
    return "belongs inside `claim required { ... }` at policy level";
  if ((in == POLICY || in == SERVICE) && (got == YYSYMBOL_MINUTE || got == YYSYMBOL_DOWNTIME))
    return "belongs inside `measure unavailable minutes { ... }` in a service";
  if ((in == CREDIT || in == CLAIM || in == MEASURE) &&
      (policy_clause || got == YYSYMBOL_EXCLUDE || got == YYSYMBOL_COMMIT ||
       got == YYSYMBOL_MEASURE || got == YYSYMBOL_CREDIT))
    return "cannot stand inside this block: is a '}' missing before it?";
  return NULL;
}

static void slac_yyerror(SLAC_YYLTYPE *loc, yyscan_t scanner, slac_parse_ctx *ctx,
                         const char *msg) {
  (void)scanner;
  if (ctx->stop) return;
  /* bison's own stack limit (YYMAXDEPTH) is reached only by absurd nesting */
  if (strcmp(msg, "memory exhausted") == 0) {
    slac_diag(ctx->diags, ctx->src, *loc, SLAC_ERROR, "the policy is nested too deeply for the parser");
    return;
  }
  /* Right after a skipped bad character the lexer has said it all. */
  if (!ctx->at_eof && ctx->bad_token == ctx->ntokens) return;
  /* At the end of the file, say which brace is left open. */
  if (ctx->at_eof && ctx->ntokens == 0) {
    slac_diag(ctx->diags, ctx->src, *loc, SLAC_ERROR,
              "no policy found: a policy starts with `policy ID version N {`");
    return;
  }
  if (ctx->at_eof && ctx->nbraces > 0 && ctx->unclosed_guess) {
    slac_diag(ctx->diags, ctx->src, *loc, SLAC_ERROR,
              "unexpected end of file: a '}' is missing, probably for the '{' on line %d",
              ctx->unclosed_guess);
    return;
  }
  if (ctx->at_eof && ctx->nbraces > 0 && ctx->nbraces <= SLAC_MAX_BRACES) {
    slac_diag(ctx->diags, ctx->src, *loc, SLAC_ERROR,
              "unexpected end of file: the '{' on line %d is never closed",
              ctx->braces[ctx->nbraces - 1].first_line);
    return;
  }
  /* bison's detailed message, "syntax error, unexpected X, expecting Y or
   * Z", with the unexpected name's text and a hint added. */
  yysymbol_kind_t got = ctx->at_eof ? YYSYMBOL_YYEOF : YYTRANSLATE(ctx->last_token);
  int len = 0;
  const char *text = got == YYSYMBOL_IDENT ? token_text(ctx, loc, &len) : NULL;
  if (ctx->stop) return;
  const char *special = ctx->at_eof ? NULL : period_message(ctx, got, text, len);
  /* only between clauses: there bison expects too many tokens to list
   * them, or a '}' among them */
  if (!special && !ctx->at_eof && (!strstr(msg, ", expecting ") || strstr(msg, "'}'")))
    special = placement_message(ctx, got);
  if (special) {
    /* a misplaced clause is named by its keyword: "`currency` belongs ..." */
    bool named = strncmp(special, "belongs", 7) == 0 || strncmp(special, "cannot", 6) == 0;
    slac_diag(ctx->diags, ctx->src, *loc, SLAC_ERROR, "%s%s%s%s", named ? "`" : "",
              named ? yysymbol_name(got) : "", named ? "` " : "", special);
    return;
  }
  char out[1024];
  size_t n = 0;
  char quoted[1024];
  size_t qn = 0;
  quote_message(quoted, sizeof quoted, &qn, msg);
  const char *name_at = text ? strstr(quoted, "unexpected name") : NULL;
  if (name_at) {
    size_t upto = (size_t)(name_at - quoted) + strlen("unexpected name");
    add(out, sizeof out, &n, "%.*s '%.*s%s'%s", (int)upto, quoted, len > 64 ? 64 : len, text,
        len > 64 ? "..." : "", quoted + upto);
  } else {
    add(out, sizeof out, &n, "%s", quoted);
  }
  /* A misspelt keyword, a keyword used as a name, a '}' too many. */
  const char *hint = NULL;
  bool listed = strstr(msg, ", expecting ") != NULL;
  if (text && len <= 64 && !listed) { /* a short list already shows it */
    char word[65];
    memcpy(word, text, (size_t)len);
    word[len] = 0;
    size_t best = len > 4 ? 3 : 2;
    for (int sym = 0; sym < YYNTOKENS; sym++) {
      if (!is_keyword((yysymbol_kind_t)sym)) continue;
      size_t dist = slac_edit_distance(word, yysymbol_name((yysymbol_kind_t)sym));
      if (dist < best) {
        best = dist;
        hint = yysymbol_name((yysymbol_kind_t)sym);
      }
    }
    if (hint) add(out, sizeof out, &n, " (did you mean '%s'?)", hint);
  }
  /* a short list shows the keyword; the fix is the listed one that is
   * close ('unavailble': 'unavailable') */
  char listed_fix[65];
  if (text && len <= 64 && listed) {
    char word[65];
    memcpy(word, text, (size_t)len);
    word[len] = 0;
    size_t best = len > 4 ? 3 : 2;
    for (const char *q = strstr(quoted, ", expecting "); q && (q = strchr(q, '\'')) != NULL;) {
      const char *end = strchr(q + 1, '\'');
      if (!end) break;
      size_t wl = (size_t)(end - q - 1);
      if (wl < sizeof listed_fix) {
        char cand[sizeof listed_fix];
        memcpy(cand, q + 1, wl);
        cand[wl] = 0;
        size_t dist = slac_edit_distance(word, cand);
        if (dist < best) {
          best = dist;
          memcpy(listed_fix, cand, wl + 1);
          hint = listed_fix;
        }
      }
      q = end + 1;
    }
  }
  if (!hint && strstr(msg, "expecting name") && is_keyword(got))
    add(out, sizeof out, &n, " ('%s' is a word of the language: choose another name)", yysymbol_name(got));
  else if (!hint && ctx->policy_end_token && ctx->ntokens > ctx->policy_end_token)
    add(out, sizeof out, &n, " (the policy ends with the '}' on line %d: one '}' too many?)",
        ctx->policy_end);
  /* a misspelt keyword's fix is the keyword */
  slac_diag_fix(ctx->diags, ctx->src, *loc, SLAC_ERROR, hint, "%s", out);
}
