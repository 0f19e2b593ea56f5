/* ast.c - allocation and freeing of AST nodes. */
#include "grammar/ast.h"

#include <stdlib.h>
#include <string.h>

slac_policy *slac_ast_policy_new(void) { return calloc(1, sizeof(slac_policy)); }

slac_clause *slac_ast_clause_new(slac_arena *arena, slac_clause_kind kind, slac_loc loc) {
  slac_clause *c = slac_arena_alloc(arena, sizeof *c);
  if (!c) return NULL;
  c->kind = kind;
  c->loc = loc;
  c->key_loc = loc;
  return c;
}

void slac_ast_free_quantity(slac_quantity *q) {
  if (!q) return;
  free(q->text);
  q->text = NULL;
}

void slac_ast_free_cites(slac_cite *c) {
  while (c) {
    slac_cite *next = c->next;
    free(c->text);
    free(c);
    c = next;
  }
}

void slac_ast_free_names(slac_name *n) {
  while (n) {
    slac_name *next = n->next;
    free(n->text);
    free(n);
    n = next;
  }
}

void slac_ast_free_tiers(slac_tier *t) {
  while (t) {
    slac_tier *next = t->next;
    for (int i = 0; i < t->nbounds; i++) slac_ast_free_quantity(&t->bounds[i].value);
    slac_ast_free_quantity(&t->credit);
    slac_ast_free_cites(t->cites);
    free(t);
    t = next;
  }
}

void slac_ast_free_cond(slac_cond *c) {
  /* Depth is bounded by SLAC_MAX_NESTING, so recursion is safe. */
  if (!c) return;
  slac_ast_free_cond(c->lhs);
  slac_ast_free_cond(c->rhs);
  slac_ast_free_names(c->plans);
  free(c);
}

void slac_ast_free_clauses(slac_clause *c) {
  while (c) {
    slac_clause *next = c->next;
    slac_ast_free_cites(c->cites);
    free(c->text);
    free(c->id);
    slac_ast_free_clauses(c->body);
    slac_ast_free_names(c->names);
    slac_ast_free_quantity(&c->window);
    slac_ast_free_quantity(&c->empty_percent);
    slac_ast_free_quantity(&c->rate_bound.value);
    slac_ast_free_quantity(&c->min_requests);
    slac_ast_free_quantity(&c->min_run);
    slac_ast_free_quantity(&c->value);
    slac_ast_free_quantity(&c->ticket_within);
    slac_ast_free_quantity(&c->claim_within);
    slac_ast_free_quantity(&c->period_len);
    slac_ast_free_quantity(&c->notice);
    slac_ast_free_tiers(c->tiers);
    slac_ast_free_cond(c->cond);
    for (int i = 0; i < c->namounts; i++) slac_ast_free_quantity(&c->amounts[i]);
    free(c->amounts);
    c = next;
  }
}


void slac_ast_free_policy(slac_policy *p) {
  if (!p) return;
  free(p->id);
  free(p->title);
  slac_ast_free_quantity(&p->version);
  slac_ast_free_clauses(p->clauses);
  slac_arena_free(p->arena);
  free(p);
}
