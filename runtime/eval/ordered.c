/* ordered.c - the threads of ordered.h: a counter of chunks handed out,
 * one of chunks delivered, and a condition variable for both waits. */
#include "runtime/eval/ordered.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct {
  const slac_ordered *o;
  pthread_mutex_t lock;
  pthread_cond_t changed;  /* a chunk was done, delivered, or the run stops */
  size_t next;             /* the next chunk to hand out */
  size_t delivered;        /* chunks delivered so far */
  bool stop;
  bool *done;              /* [slots]: the slot's chunk is done */
} pool;

typedef struct {
  pool *pl;
  int thread;
} worker_arg;

static void *work_loop(void *arg) {
  worker_arg *w = arg;
  pool *pl = w->pl;
  const slac_ordered *o = pl->o;
  for (;;) {
    pthread_mutex_lock(&pl->lock);
    /* a chunk's slot is free once the chunk SLOTS before it is delivered */
    while (!pl->stop && pl->next < o->nchunks && pl->next >= pl->delivered + (size_t)o->slots)
      pthread_cond_wait(&pl->changed, &pl->lock);
    if (pl->stop || pl->next >= o->nchunks) {
      pthread_mutex_unlock(&pl->lock);
      return NULL;
    }
    size_t chunk = pl->next++;
    pthread_mutex_unlock(&pl->lock);
    int slot = (int)(chunk % (size_t)o->slots);
    o->work(o->ctx, w->thread, chunk, slot);
    pthread_mutex_lock(&pl->lock);
    pl->done[slot] = true;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->lock);
  }
}

int slac_ordered_run(const slac_ordered *o) {
  pool pl = {.o = o};
  pthread_t ids[SLAC_ORDERED_MAX_THREADS];
  worker_arg args[SLAC_ORDERED_MAX_THREADS];
  pl.done = calloc((size_t)o->slots, sizeof *pl.done);
  if (!pl.done) return -1;
  if (pthread_mutex_init(&pl.lock, NULL) != 0) {
    free(pl.done);
    return -1;
  }
  if (pthread_cond_init(&pl.changed, NULL) != 0) {
    pthread_mutex_destroy(&pl.lock);
    free(pl.done);
    return -1;
  }
  int started = 0;
  for (; started < o->threads; started++) {
    args[started] = (worker_arg){&pl, started};
    if (pthread_create(&ids[started], NULL, work_loop, &args[started]) != 0) break;
  }
  int rc = started == 0 ? -1 : 0;
  /* fewer threads than asked still do every chunk */
  for (size_t c = 0; started > 0 && c < o->nchunks && rc == 0; c++) {
    int slot = (int)(c % (size_t)o->slots);
    pthread_mutex_lock(&pl.lock);
    while (!pl.done[slot]) pthread_cond_wait(&pl.changed, &pl.lock);
    pthread_mutex_unlock(&pl.lock);
    rc = o->deliver(o->ctx, c, slot);
    pthread_mutex_lock(&pl.lock);
    pl.done[slot] = false;
    pl.delivered++;
    if (rc != 0) pl.stop = true;
    pthread_cond_broadcast(&pl.changed);
    pthread_mutex_unlock(&pl.lock);
  }
  for (int t = 0; t < started; t++) pthread_join(ids[t], NULL);
  pthread_cond_destroy(&pl.changed);
  pthread_mutex_destroy(&pl.lock);
  free(pl.done);
  return rc;
}
