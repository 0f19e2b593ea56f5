/* frontend.c - runs the reentrant lexer and the pure parser over a source. */
#include "grammar/frontend.h"

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

  yyscan_t scanner;
  if (slac_yylex_init_extra(&ctx, &scanner) != 0) {
    slac_diag_oom(d);
    return NULL;
  }
  YY_BUFFER_STATE buf = slac_yy_scan_bytes(src->text, (int)src->size, scanner);
  if (!buf) {
    slac_yylex_destroy(scanner);
    slac_diag_oom(d);
    return NULL;
  }
  int before = d->errors;
  int rc = slac_yyparse(scanner, &ctx);
  if (ctx.result) ctx.result->incomplete = d->errors > before;
  slac_yy_delete_buffer(buf, scanner);
  slac_yylex_destroy(scanner);
  if (rc != 0 && ctx.result) {
    slac_ast_free_policy(ctx.result);
    ctx.result = NULL;
  }
  return ctx.result;
}
