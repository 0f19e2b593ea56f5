/* progress.c - the progress line of `slac eval` (progress.h): a thread
 * that wakes every half second (a second when standard error is not a
 * terminal), reads the readers' counter and writes the line. */
#include "cli/progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Write the line; the caller holds the lock. */
static void show(slac_cli_progress *pg, bool finished) {
  char line[256];
  slac_progress_line(line, sizeof line, slac_progress_done(&pg->counter), pg->total,
                     now_ms() - pg->start_ms, finished);
  if (pg->tty) {
    /* in place: back to the start of the line, erase what is left of it */
    fprintf(stderr, "\r%s\033[K", line);
    pg->shown = true;
  } else {
    fprintf(stderr, "%s\n", line);
  }
  fflush(stderr);
}

static void erase(slac_cli_progress *pg) {
  if (!pg->shown) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  pg->shown = false;
}

static void *run(void *arg) {
  slac_cli_progress *pg = arg;
  long step_ms = pg->tty ? 500 : 1000;
  pthread_mutex_lock(&pg->lock);
  show(pg, false);
  while (!pg->stop) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += step_ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    /* a timeout or a spurious wake-up both redraw; stop ends the loop */
    pthread_cond_timedwait(&pg->wake, &pg->lock, &until);
    if (!pg->stop) show(pg, false);
  }
  pthread_mutex_unlock(&pg->lock);
  return NULL;
}

/* A diagnostic while the line is shown: erase the line first, so that
 * the message starts its own line; the next tick draws the line again. */
static void sink(void *ctx, const slac_diagnostic *dg) {
  slac_cli_progress *pg = ctx;
  pthread_mutex_lock(&pg->lock);
  erase(pg);
  slac_diag_print_color(stderr, dg, pg->color);
  fflush(stderr);
  pthread_mutex_unlock(&pg->lock);
}

static void finish(slac_progress *counter);

slac_progress *slac_cli_progress_start(slac_cli_progress *pg, slac_cli_progress_mode mode,
                                       char *const *paths, int npaths, slac_diags *d) {
  memset(pg, 0, sizeof *pg);
  if (mode == SLAC_CLI_PROGRESS_OFF) return NULL;
  for (int i = 0; i < npaths; i++) {
    struct stat st;
    if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode)) pg->total += (uint64_t)st.st_size;
  }
  pg->tty = isatty(STDERR_FILENO) == 1;
  if (mode == SLAC_CLI_PROGRESS_AUTO && (!pg->tty || pg->total < SLAC_CLI_PROGRESS_MIN)) return NULL;
  pthread_condattr_t ca;
  if (pthread_condattr_init(&ca) != 0) return NULL;
  bool ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
            pthread_cond_init(&pg->wake, &ca) == 0;
  pthread_condattr_destroy(&ca);
  if (!ok) return NULL;
  if (pthread_mutex_init(&pg->lock, NULL) != 0) {
    pthread_cond_destroy(&pg->wake);
    return NULL;
  }
  pg->start_ms = now_ms();
  /* the diagnostics go through the lock from now on (only the default
   * printing: a sink of the caller's is left alone) */
  bool take_sink = d->out == stderr && !d->sink;
  if (take_sink) {
    pg->color = d->color;
    d->sink = sink;
    d->sink_ctx = pg;
  }
  if (pthread_create(&pg->thread, NULL, run, pg) != 0) {
    /* progress is a nicety: without a thread the evaluation goes on */
    if (take_sink) d->sink = NULL;
    pthread_mutex_destroy(&pg->lock);
    pthread_cond_destroy(&pg->wake);
    return NULL;
  }
  pg->running = true;
  pg->started = true;
  pg->counter.on_finish = finish;
  return &pg->counter;
}

/* The data files are read: stop the thread, erase the line or write the
 * last one (slac_progress.on_finish; once). */
static void finish(slac_progress *counter) {
  slac_cli_progress *pg = (slac_cli_progress *)counter; /* its first member */
  if (!pg->running) return;
  pthread_mutex_lock(&pg->lock);
  pg->stop = true;
  pthread_cond_signal(&pg->wake);
  pthread_mutex_unlock(&pg->lock);
  pthread_join(pg->thread, NULL);
  pg->running = false;
  pthread_mutex_lock(&pg->lock);
  if (pg->tty) erase(pg);
  else show(pg, true);
  pthread_mutex_unlock(&pg->lock);
}

void slac_cli_progress_end(slac_cli_progress *pg, slac_diags *d) {
  if (!pg->started) return;
  finish(&pg->counter);
  pg->started = false;
  if (d->sink == sink) {
    d->sink = NULL;
    d->sink_ctx = NULL;
  }
  pthread_mutex_destroy(&pg->lock);
  pthread_cond_destroy(&pg->wake);
}
