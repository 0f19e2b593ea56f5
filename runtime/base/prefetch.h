/* prefetch.h - a hint that memory is about to be read.
 *
 * Readers that look up many rows at once (runtime/data/dataset.c,
 * readers.c) ask for the memory of every row of a batch before reading
 * any, so that the cache misses overlap instead of following one another.
 * A hint only: it never faults, and compilers without it get nothing.
 */
#ifndef SLAC_PREFETCH_H
#define SLAC_PREFETCH_H

#if defined(__GNUC__)
#define SLAC_PREFETCH(p) __builtin_prefetch((p), 0, 3)
#else
#define SLAC_PREFETCH(p) ((void)(p))
#endif

#endif
