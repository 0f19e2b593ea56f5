/* names.h - distances between names, for the hints that say what a user
 * probably meant ("did you mean 'cause'?"). */
#ifndef SLAC_NAMES_H
#define SLAC_NAMES_H

#include <stddef.h>

/* Edit distance between two names (insertions, deletions, substitutions),
 * for "did you mean" hints; large (99) for names over 64 characters. */
size_t slac_edit_distance(const char *a, const char *b);

#endif
