/* num.h - exact decimal numbers for every quantity that decides a tier or
 * an amount.  No binary floating point anywhere.
 *
 * A slac_num is a fixed-point decimal with SLAC_NUM_SCALE digits after the
 * point: value = units / 10^12.  Division can give a value that is not a
 * multiple of 10^-12 (100 * 43199 / 43200); such a result keeps the floor
 * in UNITS and sets ABOVE, meaning "strictly between units and units + 1".
 * Because every constant a policy can write is a multiple of 10^-12, a
 * comparison of an ABOVE value with an exact one is always decided
 * exactly, and so are truncation and half-up rounding to 12 or fewer
 * digits.  Only operations whose result would be undecidable (adding two
 * ABOVE values, multiplying an ABOVE value) fail, with SLAC_NUM_INEXACT.
 *
 * Magnitudes are limited to |units| < 10^36 (values below 10^24); any
 * result beyond that is SLAC_NUM_OVERFLOW, never a wrapped value.
 */
#ifndef SLAC_NUM_H
#define SLAC_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAC_NUM_SCALE 12

typedef struct {
  __int128 units; /* floor(value * 10^12) */
  bool above;     /* value is strictly between units and units + 1 */
} slac_num;

typedef enum {
  SLAC_NUM_OK = 0,
  SLAC_NUM_OVERFLOW,    /* magnitude 10^24 or more */
  SLAC_NUM_INEXACT,     /* the exact result cannot be represented or decided */
  SLAC_NUM_DIVZERO,
  SLAC_NUM_SYNTAX,      /* not a decimal number */
  SLAC_NUM_TOO_PRECISE  /* more than 12 digits after the point */
} slac_num_status;

const char *slac_num_status_text(slac_num_status st);

slac_num slac_num_int(int64_t v);
static inline bool slac_num_is_exact(slac_num a) { return !a.above; }

/* Parse [-]digits[.digits] of exactly LEN bytes.  No exponent, no '+',
 * no blanks, at least one digit before the point and one after it if the
 * point is present. */
slac_num_status slac_num_parse(const char *s, size_t len, slac_num *out);

slac_num_status slac_num_add(slac_num a, slac_num b, slac_num *out);
slac_num_status slac_num_sub(slac_num a, slac_num b, slac_num *out);
slac_num_status slac_num_mul(slac_num a, slac_num b, slac_num *out);
slac_num_status slac_num_div(slac_num a, slac_num b, slac_num *out);
slac_num_status slac_num_neg(slac_num a, slac_num *out);
/* Details (num.c): add/sub accept at most one ABOVE operand.  mul with an
 * ABOVE operand is INEXACT unless the other operand is exactly 0 (then 0).
 * div: an exact zero divisor is DIVZERO (checked first); an exact zero
 * dividend gives 0; any other ABOVE operand, dividend included, is
 * INEXACT.  Every function leaves *OUT untouched on failure, and gives
 * OVERFLOW for an input with |units| >= 10^36. */

/* *OUT = -1, 0 or 1.  INEXACT when both are ABOVE with equal units. */
slac_num_status slac_num_cmp(slac_num a, slac_num b, int *out);

/* Round half away from zero ("half-up" for the non-negative amounts slac
 * rounds) to DIGITS (0..12) decimals; the result is exact.  Exception: an
 * ABOVE value rounded to 12 decimals is INEXACT (its interval contains
 * the half point).  DIGITS outside 0..12 gives SYNTAX here and in trunc. */
slac_num_status slac_num_round_half_up(slac_num a, int digits, slac_num *out);
/* Truncate toward zero to DIGITS (0..12) decimals; the result is exact. */
slac_num_status slac_num_trunc(slac_num a, int digits, slac_num *out);

/* Write A with exactly DIGITS decimals (0..12), or, when DIGITS is -1, with
 * trailing zeros (and a bare point) removed: "15", "12.5", "0".  A must be
 * exact with no more than DIGITS significant decimals (truncate or round
 * first); otherwise the extra digits are truncated.  Returns the length
 * written (BUF needs at most 64 bytes).  Like snprintf: the text is cut
 * to SIZE-1 bytes and always NUL-terminated (when SIZE > 0), and the
 * return value is the full length, so a result >= SIZE means cut.  An
 * ABOVE value is truncated toward zero first; DIGITS outside -1..12 or an
 * out-of-range A writes "" and returns 0. */
size_t slac_num_format(slac_num a, int digits, char *buf, size_t size);

/* Integer value of an exact integral number, else -1. */
int slac_num_to_int(slac_num a, int64_t *out);

#endif
