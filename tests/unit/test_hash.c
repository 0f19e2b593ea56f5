/* test_hash.c - unit tests of runtime/base/hash.c: SipHash-1-3 against the
 * reference implementation's outputs, the process key, and slac_strmap
 * (values kept, growth, names that differ only in length or one byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/base/hash.h"

/* Outputs of the reference SipHash-1-3 (github.com/veorq/SipHash with
 * cROUNDS 1, dROUNDS 3) for the messages 00, 00 01, ... */
static void test_siphash_reference(void **state) {
  (void)state;
  unsigned char msg[16];
  for (int i = 0; i < 16; i++) msg[i] = (unsigned char)i;
  slac_hash_key zero = {0, 0};
  assert_true(slac_siphash(zero, msg, 0) == UINT64_C(0xd1fba762150c532c));
  assert_true(slac_siphash(zero, msg, 1) == UINT64_C(0x68a914128e01e473));
  slac_hash_key seq = {UINT64_C(0x0706050403020100), UINT64_C(0x0f0e0d0c0b0a0908)};
  assert_true(slac_siphash(seq, msg, 0) == UINT64_C(0xabac0158050fc4dc));
}

/* SipHash-1-3 written the slow, obvious way (bytes into words one by one),
 * against which the fast one is checked at every length and alignment. */
static uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
static void round1(uint64_t v[4]) {
  v[0] += v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32);
  v[2] += v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2];
  v[0] += v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0];
  v[2] += v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32);
}
static uint64_t slow_siphash13(slac_hash_key k, const unsigned char *p, size_t len) {
  uint64_t v[4] = {0x736f6d6570736575u ^ k.k0, 0x646f72616e646f6du ^ k.k1,
                   0x6c7967656e657261u ^ k.k0, 0x7465646279746573u ^ k.k1};
  for (size_t i = 0; i <= len / 8; i++) {
    uint64_t m = 0;
    size_t n = i < len / 8 ? 8 : len % 8;
    for (size_t j = 0; j < n; j++) m |= (uint64_t)p[8 * i + j] << (8 * j);
    if (i == len / 8) m |= (uint64_t)len << 56;
    v[3] ^= m;
    round1(v);
    v[0] ^= m;
  }
  v[2] ^= 0xff;
  round1(v);
  round1(v);
  round1(v);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static void test_siphash_every_length(void **state) {
  (void)state;
  unsigned char buf[80];
  for (int i = 0; i < 80; i++) buf[i] = (unsigned char)(i * 37 + 11);
  slac_hash_key k = {UINT64_C(0x0706050403020100), UINT64_C(0x0f0e0d0c0b0a0908)};
  for (size_t off = 0; off < 8; off++)
    for (size_t len = 0; len + off <= 72; len++)
      assert_true(slac_siphash(k, buf + off, len) == slow_siphash13(k, buf + off, len));
}

static void test_hash_u64_is_siphash_of_its_bytes(void **state) {
  (void)state;
  slac_hash_key k = {UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210)};
  uint64_t xs[] = {0, 1, 300, UINT64_C(0x8000000000000000), UINT64_C(253402300799)};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    unsigned char b[8];
    for (int j = 0; j < 8; j++) b[j] = (unsigned char)(xs[i] >> (8 * j));
    assert_true(slac_hash_u64(k, xs[i]) == slac_siphash(k, b, 8));
  }
}

/* Drawn once: the same key for the whole process. */
static void test_process_key_is_stable(void **state) {
  (void)state;
  slac_hash_key a = slac_hash_process_key(), b = slac_hash_process_key();
  assert_true(a.k0 == b.k0 && a.k1 == b.k1);
  assert_true(a.k0 != 0 || a.k1 != 0);
}

static void test_strmap(void **state) {
  (void)state;
  static char names[5000][16];
  slac_strmap m;
  slac_strmap_init(&m);
  assert_true(slac_strmap_get(&m, "a", 1) == SIZE_MAX);
  for (size_t i = 0; i < 5000; i++) {
    int n = snprintf(names[i], sizeof names[i], "n%zu", i);
    size_t old = 0;
    assert_int_equal(slac_strmap_put(&m, names[i], (size_t)n, i, &old), 1);
    assert_int_equal(old, i);
  }
  assert_int_equal(m.n, 5000);
  for (size_t i = 0; i < 5000; i++) {
    size_t old = 0;
    assert_int_equal(slac_strmap_put(&m, names[i], strlen(names[i]), 7, &old), 0);
    assert_int_equal(old, i);
    assert_int_equal(slac_strmap_get(&m, names[i], strlen(names[i])), i);
  }
  /* a prefix, or the same bytes with one more, is another key */
  assert_true(slac_strmap_get(&m, "n12", 1) == SIZE_MAX);
  assert_true(slac_strmap_get(&m, "n12", 2) == 1);
  assert_true(slac_strmap_get(&m, "n1234", 5) == 1234);
  assert_true(slac_strmap_get(&m, "n12345", 6) == SIZE_MAX);
  slac_strmap_set(&m, "n17", 3, 99);
  assert_int_equal(slac_strmap_get(&m, "n17", 3), 99);
  /* the empty string is a key like any other */
  assert_int_equal(slac_strmap_put(&m, "", 0, 5, NULL), 1);
  assert_int_equal(slac_strmap_get(&m, "x", 0), 5);
  slac_strmap_free(&m);
  assert_true(slac_strmap_get(&m, "n1", 2) == SIZE_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_siphash_reference),
      cmocka_unit_test(test_siphash_every_length),
      cmocka_unit_test(test_hash_u64_is_siphash_of_its_bytes),
      cmocka_unit_test(test_process_key_is_stable),
      cmocka_unit_test(test_strmap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
