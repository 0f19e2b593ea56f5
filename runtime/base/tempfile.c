/* tempfile.c - the table of temporary files and the signal handlers that
 * empty it (tempfile.h). */
#include "runtime/base/tempfile.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A slot is free when its path is NULL.  The handler reads only PATH;
 * every change is made with the caught signals blocked (block()), so the
 * pointer it reads is always NULL or a complete, existing string. */
static char *volatile slot_path[SLAC_TEMP_MAX];
static char *slot_shown[SLAC_TEMP_MAX];
static size_t listed, shown_count;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
#define NCAUGHT (sizeof caught / sizeof caught[0])

static void block(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < NCAUGHT; i++) sigaddset(&set, caught[i]);
  sigprocmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

const char *slac_temp_dir(void) {
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

char *slac_temp_template(const char *prefix) {
  const char *dir = slac_temp_dir();
  size_t n = strlen(dir) + strlen(prefix) + sizeof "/-XXXXXX";
  char *t = malloc(n);
  if (t) snprintf(t, n, "%s/%s-XXXXXX", dir, prefix);
  return t;
}

static int find_slot(const char *path) {
  for (int i = 0; i < SLAC_TEMP_MAX; i++)
    if (slot_path[i] && strcmp(slot_path[i], path) == 0) return i;
  return -1;
}

/* Frees slot I; signals are blocked. */
static void forget(int i) {
  char *p = slot_path[i];
  slot_path[i] = NULL;
  free(p);
  if (slot_shown[i]) shown_count--;
  free(slot_shown[i]);
  slot_shown[i] = NULL;
  listed--;
}

int slac_temp_create(char *template_path, const char *shown) {
  sigset_t old;
  block(&old);
  int slot = -1;
  for (int i = 0; i < SLAC_TEMP_MAX && slot < 0; i++)
    if (!slot_path[i]) slot = i;
  int fd = -1, e = EMFILE;
  if (slot >= 0) {
    /* The copies first: the file must never exist unlisted. */
    char *copy = strdup(template_path);
    char *name = shown ? strdup(shown) : NULL;
    e = ENOMEM;
    if (copy && (name || !shown)) {
      fd = mkstemp(copy);
      e = errno;
      if (fd >= 0) {
        memcpy(template_path, copy, strlen(copy));
        slot_shown[slot] = name;
        shown_count += name != NULL;
        slot_path[slot] = copy;
        listed++;
        copy = name = NULL;
      }
    }
    free(copy);
    free(name);
  }
  unblock(&old);
  if (fd < 0) errno = e;
  return fd;
}

int slac_temp_remove(const char *path) {
  sigset_t old;
  block(&old);
  int rc = unlink(path), e = errno;
  int i = find_slot(path);
  if (i >= 0) forget(i);
  unblock(&old);
  errno = e;
  return rc;
}

int slac_temp_rename(const char *path, const char *target) {
  sigset_t old;
  block(&old);
  int rc = rename(path, target), e = errno;
  if (rc == 0) {
    int i = find_slot(path);
    if (i >= 0) forget(i);
  }
  unblock(&old);
  errno = e;
  return rc;
}

size_t slac_temp_count(void) { return listed; }

const char *slac_temp_find(const char *text, size_t *len, const char **shown) {
  if (shown_count == 0) return NULL; /* the usual case: nothing to look for */
  const char *best = NULL;
  for (int i = 0; i < SLAC_TEMP_MAX; i++) {
    if (!slot_path[i] || !slot_shown[i]) continue;
    const char *at = strstr(text, slot_path[i]);
    if (at && (!best || at < best)) {
      best = at;
      *len = strlen(slot_path[i]);
      *shown = slot_shown[i];
    }
  }
  return best;
}

void slac_temp_unlink_all(void) {
  for (int i = 0; i < SLAC_TEMP_MAX; i++) {
    const char *p = slot_path[i];
    if (p) unlink(p);
  }
}

static void on_signal(int sig) {
  slac_temp_unlink_all();
  /* The default action, then the signal again: it is blocked while this
   * handler runs, so the process dies of it as soon as the handler
   * returns, with the status a shell reports for it. */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  raise(sig);
}

void slac_temp_catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* one handler at a time: a second signal waits for the first to end */
  for (size_t i = 0; i < NCAUGHT; i++) sigaddset(&sa.sa_mask, caught[i]);
  for (size_t i = 0; i < NCAUGHT; i++) {
    struct sigaction now;
    /* A signal the parent ignores (nohup, a shell's background job, a
     * program that handles EPIPE itself) stays ignored. */
    if (sigaction(caught[i], NULL, &now) == 0 && now.sa_handler == SIG_IGN) continue;
    sigaction(caught[i], &sa, NULL);
  }
}
