/* arena.c - bump allocation from a list of blocks (arena.h says why). */
/* madvise and MADV_HUGEPAGE are not POSIX: glibc shows them with this */
#define _DEFAULT_SOURCE 1
#include "runtime/base/arena.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define FIRST_BLOCK ((size_t)16 << 10)
#define SECOND_BLOCK ((size_t)256 << 10)
#define HUGE_BLOCK ((size_t)2 << 20)
#define ALIGN alignof(max_align_t)

/* A block begins with this header, padded to ALIGN; the objects follow. */
typedef struct block {
  struct block *prev;
  size_t size;  /* of the whole block */
} block;

#define HEADER ((sizeof(block) + ALIGN - 1) / ALIGN * ALIGN)

struct slac_arena {
  block *last;
  size_t nblocks;
  char *next, *end;  /* the free part of LAST */
  size_t held;
};

slac_arena *slac_arena_new(void) { return calloc(1, sizeof(slac_arena)); }

/* Freed blocks of HUGE_BLOCK bytes, kept for the next arena (at most
 * 32 MiB): a process that parses again and again (the language server,
 * a test that times a check) would otherwise map, fault in and unmap the
 * same blocks each time, slower than the malloc'ed nodes it replaced.
 * A spin lock: held for a few instructions, by threads that rarely meet. */
#define KEPT_MAX 16
static block *kept[KEPT_MAX];
static int nkept;
static atomic_flag kept_lock = ATOMIC_FLAG_INIT;

static void lock_kept(void) {
  while (atomic_flag_test_and_set_explicit(&kept_lock, memory_order_acquire)) {
  }
}
static void unlock_kept(void) { atomic_flag_clear_explicit(&kept_lock, memory_order_release); }

static block *take_kept(void) {
  lock_kept();
  block *b = nkept > 0 ? kept[--nkept] : NULL;
  unlock_kept();
  return b;
}

/* Free B, or keep it for the next arena. */
static void give_back(block *b) {
  if (b->size == HUGE_BLOCK) {
    lock_kept();
    bool keep = nkept < KEPT_MAX;
    if (keep) kept[nkept++] = b;
    unlock_kept();
    if (keep) return;
  }
  free(b);
}

/* At exit (or when libslac is unloaded), the kept blocks are freed, so
 * that leak checkers see every block given back. */
__attribute__((destructor)) static void free_kept(void) {
  lock_kept();
  while (nkept > 0) free(kept[--nkept]);
  unlock_kept();
}

/* A block of SIZE bytes (not zeroed); huge-page sized ones are aligned
 * on 2 MiB and marked for huge pages. */
static block *new_block(size_t size) {
  void *p = NULL;
  if (size == HUGE_BLOCK) {
    block *b = take_kept();
    if (b) return b;
  }
  if (size % HUGE_BLOCK == 0) {
    if (posix_memalign(&p, HUGE_BLOCK, size) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* advice only: a kernel without huge pages says EINVAL, and the
     * block is used with small pages */
    (void)madvise(p, size, MADV_HUGEPAGE);
#endif
  } else {
    p = malloc(size);
    if (!p) return NULL;
  }
  block *b = p;
  b->size = size;
  return b;
}

void *slac_arena_alloc(slac_arena *a, size_t size) {
  if (!a) return NULL;
  if (size > SIZE_MAX / 2) return NULL;
  if (size == 0) size = 1; /* an object all the same, apart from the next */
  size = (size + ALIGN - 1) / ALIGN * ALIGN;
#ifndef SLAC_ARENA_EACH_ALONE
  if (size <= (size_t)(a->end - a->next)) {
    void *o = a->next;
    a->next += size;
    memset(o, 0, size);
    return o;
  }
  size_t want = a->nblocks == 0 ? FIRST_BLOCK : a->nblocks == 1 ? SECOND_BLOCK : HUGE_BLOCK;
  /* an object too big for a block gets a block of its own, made to
   * measure (rounded to huge pages when that big) */
  if (HEADER + size > want) {
    want = HEADER + size;
    if (want >= HUGE_BLOCK) want = (want + HUGE_BLOCK - 1) / HUGE_BLOCK * HUGE_BLOCK;
  }
#else
  size_t want = HEADER + size;
#endif
  block *b = new_block(want);
  if (!b) return NULL;
  b->prev = a->last;
  a->last = b;
  a->nblocks++;
  a->held += want;
  char *o = (char *)b + HEADER;
  a->next = o + size;
  a->end = (char *)b + want;
  memset(o, 0, size);
  return o;
}

void slac_arena_free(slac_arena *a) {
  if (!a) return;
  for (block *b = a->last; b;) {
    block *prev = b->prev;
    give_back(b);
    b = prev;
  }
  free(a);
}

size_t slac_arena_held(const slac_arena *a) { return a ? a->held : 0; }
