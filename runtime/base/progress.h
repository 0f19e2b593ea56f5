/* progress.h - how far the reading of the data files has got, for a
 * progress line (slac eval --progress, cli/progress.c).
 *
 * The readers add the bytes they consume to one counter, from any thread
 * (a windows file read in parts); whoever shows progress reads it.  The
 * counter only informs: nothing the report says depends on it.  The line
 * is made by slac_progress_line, a pure function of its numbers, so that
 * its layout is tested exactly.
 */
#ifndef SLAC_PROGRESS_H
#define SLAC_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct slac_progress slac_progress;
struct slac_progress {
  _Atomic uint64_t done;                /* bytes of the data files consumed so far */
  void (*on_finish)(slac_progress *p);  /* NULL, or called once the data
                                           files are read (the line ends
                                           before the report is written) */
};

/* Add N bytes read (P may be NULL: no one is watching). */
static inline void slac_progress_add(slac_progress *p, uint64_t n) {
  if (p && n) atomic_fetch_add_explicit(&p->done, n, memory_order_relaxed);
}

static inline uint64_t slac_progress_done(slac_progress *p) {
  return atomic_load_explicit(&p->done, memory_order_relaxed);
}

/* The reading is over (P may be NULL). */
static inline void slac_progress_finish(slac_progress *p) {
  if (p && p->on_finish) p->on_finish(p);
}

/* The line (no line end) for DONE of TOTAL bytes read in ELAPSED_MS
 * milliseconds, sizes in the unit of TOTAL (B, KiB, MiB, GiB, one
 * decimal, truncated), integer arithmetic only:
 *
 *   slac: reading data: 12.0 of 48.0 MiB (25%), 6.0 MiB/s, 6 s left
 *   slac: reading data: 0.0 of 48.0 MiB (0%)         (nothing read yet)
 *   slac: read data: 48.0 of 48.0 MiB in 2.0 s (24.0 MiB/s)  (FINISHED)
 *
 * DONE beyond TOTAL counts as TOTAL (a part read twice).  The rate and
 * the time left are left out until a byte and a millisecond have passed;
 * the time left is rounded up to the second ("1 min 5 s", "2 h 3 min").
 * Returns the length, as snprintf. */
size_t slac_progress_line(char *buf, size_t size, uint64_t done, uint64_t total,
                          uint64_t elapsed_ms, bool finished);

#endif
