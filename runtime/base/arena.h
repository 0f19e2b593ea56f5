/* arena.h - many small objects freed together, in blocks the kernel may
 * back with huge pages.
 *
 * Why: the clauses of a 10,000-line policy were 9,000 separate callocs of
 * 1 KiB, 10 MB of fresh 4 KiB pages; each page fault costs microseconds
 * (more under a hypervisor), and they were 60% of `slac check`'s time.
 * An arena hands objects out of blocks.  The first two are small (16 and
 * 256 KiB, malloc'ed: the shipped policies need one or two, and a huge
 * page would add 2 MiB to every `slac eval`); every later one is 2 MiB,
 * aligned on 2 MiB and marked MADV_HUGEPAGE, so that a kernel with
 * transparent huge pages in "madvise" mode (Debian's default) backs it
 * with one page.
 *
 * Objects are zeroed and aligned for any type; they are freed only all
 * together, with the arena.  Under AddressSanitizer every object is an
 * allocation of its own, so that overflows between neighbours are still
 * caught.
 */
#ifndef SLAC_ARENA_H
#define SLAC_ARENA_H

#include <stddef.h>

/* Defined when every object is an allocation of its own (AddressSanitizer:
 * gcc's __SANITIZE_ADDRESS__, clang's __has_feature). */
#if defined(__SANITIZE_ADDRESS__)
#define SLAC_ARENA_EACH_ALONE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAC_ARENA_EACH_ALONE 1
#endif
#endif

typedef struct slac_arena slac_arena;

/* NULL when out of memory. */
slac_arena *slac_arena_new(void);
/* SIZE zeroed bytes (0: still an object of its own), or NULL when out
 * of memory (or A is NULL). */
void *slac_arena_alloc(slac_arena *a, size_t size);
/* Every object of A, and A (NULL: nothing). */
void slac_arena_free(slac_arena *a);

/* Bytes of blocks held (tests and measurements). */
size_t slac_arena_held(const slac_arena *a);

#endif
