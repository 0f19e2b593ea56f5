/* frontend.h - text to AST: the one entry point into the flex/bison front end.
 *
 * slac_parse() lexes and parses SRC, reporting every lexical and syntax
 * error through D (error recovery continues after each one, so several
 * independent mistakes are reported in one run).  It returns the tree it
 * could build - possibly incomplete when D->errors > 0 - or NULL when
 * nothing could be built (out of memory, or no policy at all).
 */
#ifndef SLAC_FRONTEND_H
#define SLAC_FRONTEND_H

#include <setjmp.h>
#include "grammar/ast.h"
#include "runtime/base/diag.h"

/* Conditions nest at most this deep; deeper input is an error, never a
 * stack overflow. */
#define SLAC_MAX_NESTING 100
/* Identifiers and strings longer than this are an error. */
#define SLAC_MAX_NAME 255
#define SLAC_MAX_STRING 4096

slac_policy *slac_parse(slac_source *src, slac_diags *d);

/* The words of the language, one by one: the Ith (0-based), or NULL
 * past the last (completion in editors). */
const char *slac_keyword(int i);

/* Open braces remembered for the message at an unexpected end of file. */
#define SLAC_MAX_BRACES 32

/* Shared by the lexer and the parser (not for other modules). */
typedef struct {
  slac_source *src;
  slac_diags *diags;
  int line, col;      /* position of the next character */
  int end_line, end_col; /* just past the last token (where EOF is shown) */
  int ntokens;        /* tokens read so far */
  int last_token;     /* the last token read: the one a syntax error is at */
  int at_eof;         /* the lexer has returned the end of the file */
  int depth;          /* open parentheses */
  int nbraces;        /* open braces; the first SLAC_MAX_BRACES are kept */
  slac_loc braces[SLAC_MAX_BRACES];
  int brace_kind[SLAC_MAX_BRACES]; /* the keyword that opened each block
                         (POLICY, SERVICE, CREDIT, MEASURE, CLAIM, PLAN) */
  int opener;         /* the last such keyword read */
  int prev_token;     /* the token before last_token (0: none) */
  int last_bare, prev_bare; /* that token was a number without a unit */
  int unclosed_guess; /* line of the first '{' whose '}' is indented
                         unlike it (0: none): likely the one left open */
  int policy_end;     /* line of the '}' that closed the outermost brace */
  int policy_end_token; /* and its number among the tokens */
  int bad_line, bad_col; /* just past the last character skipped as bad */
  int bad_token;      /* number of the token that follows it */
  int stop;           /* a fatal error was reported: no more messages */
  jmp_buf fatal;      /* where flex's own fatal errors (out of memory) go */
  slac_arena *arena;  /* the clause nodes; the policy's once it is made */
  slac_policy *result;
} slac_parse_ctx;

#endif
