/* fmt.h - the one canonical layout of a policy (`slac fmt`).
 *
 * The layout is printed from the parse tree, so that it cannot change the
 * meaning: one clause per line, blocks opened at the end of their line and
 * closed on a line of their own, two spaces per level, single spaces
 * between words, numbers written with their unit as the lexer reads them
 * ("99.9%", "10 min", "2nd"), the citations of a block's lines aligned in
 * one column and the arrows of a credit schedule's tiers in another.
 * Comments stay where they were: a comment on its own line before the
 * clause it preceded, a comment after a clause at the end of its line,
 * and a blank line between clauses where the source had one or more.
 * Formatting its own output changes nothing (idempotent).
 */
#ifndef SLAC_FMT_H
#define SLAC_FMT_H

#include <stddef.h>
#include "grammar/ast.h"
#include "runtime/base/diag.h"

/* The canonical text of policy P, parsed from SRC without errors.
 * Returns a malloc'ed, NUL-terminated text (*SIZE its length), or NULL
 * when out of memory (reported through D). */
char *slac_fmt(const slac_policy *p, slac_source *src, size_t *size, slac_diags *d);

#endif
