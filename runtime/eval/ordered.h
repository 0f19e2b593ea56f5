/* ordered.h - work cut into numbered chunks, done by several threads,
 * delivered one by one in the chunks' order (slac eval's outcomes,
 * evaluated by account ranges and written as one thread would).
 *
 * The calling thread delivers; THREADS others do the work.  At most
 * SLOTS chunks are done and not yet delivered, or being done: a chunk's
 * result lives in slot CHUNK % SLOTS until it is delivered, so memory is
 * bounded by the slots, not by the number of chunks.
 */
#ifndef SLAC_ORDERED_H
#define SLAC_ORDERED_H

#include <stddef.h>

enum { SLAC_ORDERED_MAX_THREADS = 64 };

typedef struct {
  size_t nchunks;
  int threads;   /* 2..SLAC_ORDERED_MAX_THREADS */
  int slots;     /* >= threads */
  void *ctx;
  /* Do CHUNK on thread THREAD (0..threads-1) into slot SLOT. */
  void (*work)(void *ctx, int thread, size_t chunk, int slot);
  /* Deliver CHUNK from SLOT; nonzero stops: no further chunk is begun
   * and none is delivered. */
  int (*deliver)(void *ctx, size_t chunk, int slot);
} slac_ordered;

/* Returns 0 when every chunk was delivered, deliver's nonzero value when
 * it stopped, or -1 when no thread could be started (nothing was done:
 * the caller does the work itself).  Every thread is joined before it
 * returns. */
int slac_ordered_run(const slac_ordered *o);

#endif
