/* frontend.c - runs the reentrant lexer and the pure parser over a source. */
#include "grammar/frontend.h"

#include <stdlib.h>
#include <string.h>
#include "parser.h"
/* flex's header names the bison types without our api.prefix */
#define YYSTYPE SLAC_YYSTYPE
#define YYLTYPE SLAC_YYLTYPE
#include "lexer.h"

slac_policy *slac_parse(slac_source *src, slac_diags *d) {
  slac_parse_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.src = src;
  ctx.diags = d;
  ctx.line = 1;
  ctx.col = 1;

  /* flex scans a buffer that ends in two NULs; this one is ours to free */
  char *text = malloc(src->size + 2);
  ctx.arena = slac_arena_new();
  yyscan_t scanner;
  if (!text || !ctx.arena || slac_yylex_init_extra(&ctx, &scanner) != 0) {
    free(text);
    slac_arena_free(ctx.arena);
    slac_diag_oom(d);
    return NULL;
  }
  memcpy(text, src->text, src->size);
  text[src->size] = text[src->size + 1] = 0;
  /* flex cannot return an allocation failure: its YY_FATAL_ERROR comes
   * back here (lexer.l).  It allocates only while the buffer is set up:
   * its stack of buffers first (one slot, grown at the next switch), so
   * that the buffer itself, made last, is never left unowned. */
  if (setjmp(ctx.fatal) != 0) {
    slac_yylex_destroy(scanner);
    free(text);
    slac_arena_free(ctx.arena);
    slac_diag_oom(d);
    return NULL;
  }
  slac_yy_switch_to_buffer(NULL, scanner);
  slac_yy_switch_to_buffer(NULL, scanner);
  YY_BUFFER_STATE buf = slac_yy_scan_buffer(text, src->size + 2, scanner);

  int before = d->errors;
  int rc = slac_yyparse(scanner, &ctx);
  if (ctx.result) ctx.result->incomplete = d->errors > before;
  slac_yy_delete_buffer(buf, scanner);
  slac_yylex_destroy(scanner);
  free(text);
  /* the policy owns the clauses' arena; without one, the destructors
   * have freed what the clauses held, and their nodes go here */
  if (ctx.result) {
    ctx.result->arena = ctx.arena;
  } else {
    slac_arena_free(ctx.arena);
  }
  if (rc != 0 && ctx.result) {
    slac_ast_free_policy(ctx.result);
    ctx.result = NULL;
  }
  return ctx.result;
}
