/* test_arena.c - unit tests of runtime/base/arena.c: objects zeroed,
 * aligned and apart, objects larger than a block, the refusals, and the
 * huge-page advice on the blocks after the first. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/base/arena.h"

static bool all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

/* 20,000 objects of 1 to 1,200 bytes (about 12 MB: the first block and
 * several huge ones): each zeroed and aligned when given, then filled
 * with its own byte; at the end every object still holds its byte, so
 * no two overlap. */
static void test_objects_zeroed_aligned_apart(void **state) {
  (void)state;
  enum { N = 20000 };
  slac_arena *a = slac_arena_new();
  assert_non_null(a);
  static unsigned char *obj[N];
  static size_t len[N];
  size_t total = 0;
  for (int i = 0; i < N; i++) {
    len[i] = 1 + (size_t)(i * 7919) % 1200;
    obj[i] = slac_arena_alloc(a, len[i]);
    assert_non_null(obj[i]);
    assert_int_equal((uintptr_t)obj[i] % alignof(max_align_t), 0);
    assert_true(all_zero(obj[i], len[i]));
    memset(obj[i], (unsigned char)(1 + i % 255), len[i]);
    total += len[i];
  }
  for (int i = 0; i < N; i++)
    for (size_t j = 0; j < len[i]; j++) assert_int_equal(obj[i][j], 1 + i % 255);
  assert_true(slac_arena_held(a) >= total);
#ifndef SLAC_ARENA_EACH_ALONE
  /* blocks: 16 KiB, 256 KiB, then 2 MiB each; little unused at the end
   * of each block (an object that did not fit) */
  size_t held = slac_arena_held(a);
  size_t small = ((size_t)16 << 10) + ((size_t)256 << 10);
  assert_true(held > small);
  assert_int_equal((held - small) % ((size_t)2 << 20), 0);
  assert_true(held < total + total / 8 + ((size_t)2 << 20) + small);
#endif
  slac_arena_free(a);
}

/* An object bigger than a block gets one of its own, and the arena
 * goes on giving small ones after it. */
static void test_object_larger_than_a_block(void **state) {
  (void)state;
  slac_arena *a = slac_arena_new();
  assert_non_null(a);
  unsigned char *small = slac_arena_alloc(a, 10);
  size_t big_len = ((size_t)5 << 20) + 3;
  unsigned char *big = slac_arena_alloc(a, big_len);
  assert_non_null(small);
  assert_non_null(big);
  assert_true(all_zero(big, big_len));
  memset(big, 0xab, big_len);
  unsigned char *after = slac_arena_alloc(a, 100);
  assert_non_null(after);
  assert_true(all_zero(after, 100));
  assert_true(after + 100 <= big || after >= big + big_len);
  assert_int_equal(big[big_len - 1], 0xab);
  slac_arena_free(a);
}

static void test_refusals(void **state) {
  (void)state;
  assert_null(slac_arena_alloc(NULL, 8));
  assert_int_equal(slac_arena_held(NULL), 0);
  slac_arena_free(NULL);
  slac_arena *a = slac_arena_new();
  assert_non_null(a);
  assert_null(slac_arena_alloc(a, SIZE_MAX));
  assert_null(slac_arena_alloc(a, SIZE_MAX / 2 + 1));
  /* a refusal leaves the arena usable */
  assert_non_null(slac_arena_alloc(a, 8));
  slac_arena_free(a);
  /* zero bytes, first thing in an arena: an object all the same (NULL
   * would read as out of memory), and apart from the next one */
  a = slac_arena_new();
  assert_non_null(a);
  void *empty = slac_arena_alloc(a, 0);
  assert_non_null(empty);
  assert_ptr_not_equal(empty, slac_arena_alloc(a, 1));
  slac_arena_free(a);
}

/* The blocks after the first carry the huge-page advice: the kernel
 * shows it as "hg" in the VmFlags of their mapping (/proc/self/smaps),
 * when it has transparent huge pages at all. */
#ifndef SLAC_ARENA_EACH_ALONE
static bool thp_available(void) {
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f) return false;
  char line[128] = "";
  bool ok = fgets(line, sizeof line, f) && !strstr(line, "[never]");
  fclose(f);
  return ok;
}
#endif

static void test_huge_page_advice(void **state) {
  (void)state;
#ifdef SLAC_ARENA_EACH_ALONE
  skip();
#else
  if (!thp_available()) skip();
  slac_arena *a = slac_arena_new();
  assert_non_null(a);
  (void)slac_arena_alloc(a, 8);                     /* the first block */
  (void)slac_arena_alloc(a, 20000);                 /* the second */
  uintptr_t p = (uintptr_t)slac_arena_alloc(a, (size_t)300 << 10); /* the third */
  assert_true(p != 0);
  FILE *f = fopen("/proc/self/smaps", "r");
  assert_non_null(f);
  char line[512];
  bool inside = false, advised = false, found = false;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
      inside = lo <= p && p < hi;
      found = found || inside;
    } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
      advised = strstr(line, " hg") != NULL;
    }
  }
  fclose(f);
  assert_true(found);
  assert_true(advised);
  slac_arena_free(a);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_objects_zeroed_aligned_apart),
      cmocka_unit_test(test_object_larger_than_a_block),
      cmocka_unit_test(test_refusals),
      cmocka_unit_test(test_huge_page_advice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
