/* errorrate.c - the exact average of window error rates: the fixed-point
 * bound (slac_ratesum) used on every group, and the GMP rational fallback
 * (slac_exactsum) used for the rare group that bound cannot decide.
 *
 * GMP aborts the process when it cannot allocate memory; that is accepted
 * for this rarely used fallback.  Only the slac_exactsum struct itself is
 * allocated with malloc, so slac_exactsum_new can report NULL.
 */
#include "runtime/data/errorrate.h"

#include <gmp.h>
#include <stdlib.h>

typedef unsigned __int128 u128;

#define E15 1000000000000000ULL
#define E16 10000000000000000ULL

void slac_ratesum_add(slac_ratesum *s, uint64_t errors, uint64_t requests) {
  if (requests == 0 || errors == 0)
    return; /* rate 0: nothing to add (and no division by zero) */
  /* floor(e * 10^30 / r) in two steps of 10^15, because e * 10^30 does
   * not fit in 128 bits:
   *   e * 10^15 = q1 * r + r1          (e * 10^15 < 2^114)
   *   r1 * 10^15 = q2 * r + r2         (r1 < r < 2^64)
   *   e * 10^30 / r = q1 * 10^15 + q2 + r2 / r,  with q2 < 10^15.
   * For errors <= requests the term is at most 10^30. */
  u128 n1 = (u128)errors * E15;
  u128 q1 = n1 / requests;
  u128 r1 = n1 % requests;
  u128 n2 = r1 * E15;
  u128 q2 = n2 / requests;
  u128 r2 = n2 % requests;
  s->floor_sum += q1 * E15 + q2; /* unsigned: never UB, even if misused */
  if (r2 != 0)
    s->inexact++;
}

int slac_ratesum_percent(const slac_ratesum *s, uint64_t failed, uint64_t windows, slac_num *out) {
  if (windows == 0 || windows > SLAC_RATESUM_MAX_WINDOWS || failed > windows)
    return 1; /* out of contract: let the exact path report it */
  /* percent * 10^12 = 100 * (sum * 10^-30) / W * 10^12 = sum / (10^16 W).
   * D < 2.7 * 10^22, and the sum with the failed windows' whole terms
   * (10^30 each) is at most 2 W 10^30 < 5.4 * 10^36: all fits in 128 bits. */
  u128 sum = s->floor_sum + (u128)failed * E15 * E15;
  u128 d = (u128)E16 * windows;
  u128 q = sum / d;
  u128 r = sum % d;
  if (s->inexact == 0) {
    out->units = (__int128)q; /* q < 2^128 / 10^16 < 10^36 */
    out->above = r != 0;
    return 0;
  }
  /* The true sum is floor_sum + delta with 0 < delta < inexact, so the
   * scaled fraction is (r + delta) / d in (r/d, (r + inexact)/d).  If
   * r + inexact <= d it stays inside (0, 1): floor q, strictly above. */
  if (r + s->inexact <= d) {
    out->units = (__int128)q;
    out->above = true;
    return 0;
  }
  return 1;
}

/* The exact sum is kept as a binary counter of partial sums: level i holds
 * the sum of 2^i terms exactly when bit i of COUNT is set.  Adding a term
 * merges equal-sized sums, so the rationals combined are of similar size
 * and the total work stays near n log n instead of n^2 (denominators of
 * unrelated windows multiply, so the full sum can have a huge
 * denominator). */
struct slac_exactsum {
  uint64_t count;
  mpq_t level[64];
};

slac_exactsum *slac_exactsum_new(void) {
  slac_exactsum *x = malloc(sizeof *x);
  if (x == NULL)
    return NULL;
  x->count = 0;
  for (int i = 0; i < 64; i++)
    mpq_init(x->level[i]);
  return x;
}

void slac_exactsum_free(slac_exactsum *x) {
  if (x == NULL)
    return;
  for (int i = 0; i < 64; i++)
    mpq_clear(x->level[i]);
  free(x);
}

/* mpz from uint64_t without assuming that unsigned long has 64 bits. */
static void mpz_set_u64(mpz_t z, uint64_t v) {
  mpz_set_ui(z, (unsigned long)(v >> 32));
  mpz_mul_2exp(z, z, 32);
  mpz_add_ui(z, z, (unsigned long)(v & 0xffffffffu));
}

void slac_exactsum_add(slac_exactsum *x, uint64_t errors, uint64_t requests) {
  if (requests == 0 || errors == 0)
    return; /* rate 0 */
  mpq_t carry;
  mpq_init(carry);
  mpz_set_u64(mpq_numref(carry), errors);
  mpz_set_u64(mpq_denref(carry), requests);
  mpq_canonicalize(carry);
  int i = 0;
  while (x->count & ((uint64_t)1 << i)) {
    mpq_add(carry, carry, x->level[i]);
    i++;
  }
  mpq_swap(x->level[i], carry);
  /* Levels below i are now logically empty; the +1 clears their bits. */
  x->count++;
  mpq_clear(carry);
}

slac_num_status slac_exactsum_percent(const slac_exactsum *x, uint64_t failed, uint64_t windows,
                                      slac_num *out) {
  if (windows == 0)
    return SLAC_NUM_DIVZERO;
  mpq_t sum;
  mpz_t num, den, q, r;
  mpq_init(sum);
  mpz_inits(num, den, q, r, NULL);
  mpz_set_u64(mpq_numref(sum), failed); /* whole terms: FAILED / 1 */
  for (int i = 0; i < 64; i++)
    if (x->count & ((uint64_t)1 << i))
      mpq_add(sum, sum, x->level[i]);
  /* units = floor(S * 10^14 / W): numerator * 10^14, denominator * W. */
  mpz_ui_pow_ui(num, 10, 14);
  mpz_mul(num, num, mpq_numref(sum));
  mpz_set_u64(den, windows);
  mpz_mul(den, den, mpq_denref(sum));
  mpz_fdiv_qr(q, r, num, den);

  slac_num_status st = SLAC_NUM_OK;
  /* S >= 0, so q >= 0; it must stay below 10^36 (it is at most 10^14
   * when every term is errors <= requests). */
  mpz_t limit;
  mpz_init(limit);
  mpz_ui_pow_ui(limit, 10, 36);
  if (mpz_cmp(q, limit) >= 0) {
    st = SLAC_NUM_OVERFLOW;
  } else {
    uint64_t words[2] = {0, 0};
    mpz_export(words, NULL, -1, sizeof words[0], 0, 0, q);
    out->units = (__int128)(((u128)words[1] << 64) | words[0]);
    out->above = mpz_sgn(r) != 0;
  }
  mpz_clear(limit);
  mpz_clears(num, den, q, r, NULL);
  mpq_clear(sum);
  return st;
}
