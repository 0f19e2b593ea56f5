/* textdiff.h - a unified diff of two texts, line by line (`slac fmt
 * --check` shows what formatting would change, as `diff -u` would).
 */
#ifndef SLAC_TEXTDIFF_H
#define SLAC_TEXTDIFF_H

#include <stddef.h>
#include <stdio.h>

/* Write to OUT the unified diff (3 lines of context) that turns A (named
 * NAME_A) into B (NAME_B).  Nothing is written when they are equal.
 * Returns 0, or -1 when out of memory (then nothing useful was written). */
int slac_unified_diff(FILE *out, const char *name_a, const char *a, size_t alen,
                      const char *name_b, const char *b, size_t blen);

#endif
