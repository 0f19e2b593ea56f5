/* num.c - exact fixed-point decimals (slac_num): parsing, formatting, the
 * four operations, comparison, rounding and truncation.  Also owns the
 * private 256-bit intermediate arithmetic that mul and div need.
 *
 * Conventions used throughout:
 *  - every input is first checked to be in range (|units| < 10^36), so a
 *    hand-built out-of-range value gives SLAC_NUM_OVERFLOW, never UB;
 *  - magnitudes are handled as unsigned __int128 and only converted back
 *    to the signed type once they are known to be below 10^36 < 2^120, so
 *    no signed operation can overflow;
 *  - results are floors (toward minus infinity) with ABOVE set when the
 *    exact result lies strictly between two multiples of 10^-12.
 */
#include "runtime/base/num.h"

#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

#define E12 1000000000000ULL
#define E18 1000000000000000000ULL
/* 10^36: every |units| must stay strictly below it. */
#define NUM_LIMIT ((u128)E18 * E18)

static const uint64_t POW10[13] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
  10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
  100000000000ULL, 1000000000000ULL
};

/* ---------------------------------------------------------------------
 * 256-bit unsigned helpers (little-endian 64-bit limbs).
 * ------------------------------------------------------------------- */

typedef struct {
  uint64_t w[4];
} u256;

static u256 mul_128x128(u128 a, u128 b) {
  uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
  uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
  u128 p00 = (u128)a0 * b0;
  u128 p01 = (u128)a0 * b1;
  u128 p10 = (u128)a1 * b0;
  u128 p11 = (u128)a1 * b1;
  /* Three terms below 2^64 each: the sum cannot overflow 128 bits. */
  u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
  /* The product is below 2^256, so its top half is below 2^128. */
  u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  u256 r;
  r.w[0] = (uint64_t)p00;
  r.w[1] = (uint64_t)mid;
  r.w[2] = (uint64_t)hi;
  r.w[3] = (uint64_t)(hi >> 64);
  return r;
}

/* Short division by a 64-bit divisor, one limb at a time: the running
 * remainder is below D, so (rem << 64 | limb) / D fits in 64 bits. */
static u256 div_u64(u256 n, uint64_t d, uint64_t *rem) {
  u256 q;
  u128 r = 0;
  for (int i = 3; i >= 0; i--) {
    u128 cur = (r << 64) | n.w[i];
    q.w[i] = (uint64_t)(cur / d);
    r = cur % d;
  }
  *rem = (uint64_t)r;
  return q;
}

static int nlz32(uint32_t x) {
  int n = 0;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    n++;
  }
  return n;
}

/* Knuth, TAOCP vol. 2, 4.3.1, algorithm D, on 32-bit digits with 64-bit
 * intermediates (after Hacker's Delight "divmnu", rewritten to use only
 * unsigned arithmetic).  U has M digits, V has N >= 2 digits with
 * V[N-1] != 0, M >= N.  Q receives M-N+1 digits, R receives N digits. */
static void divmnu(uint32_t q[8], uint32_t r[4], const uint32_t u[8], int m,
                   const uint32_t v[4], int n) {
  const uint64_t b = 1ULL << 32;
  uint32_t un[9], vn[4];
  int s = nlz32(v[n - 1]);

  /* Normalise so that the top divisor digit has its high bit set; the
   * 64-bit casts make a shift by 32 (when s == 0) well defined. */
  for (int i = n - 1; i > 0; i--)
    vn[i] = (v[i] << s) | (uint32_t)((uint64_t)v[i - 1] >> (32 - s));
  vn[0] = v[0] << s;
  un[m] = (uint32_t)((uint64_t)u[m - 1] >> (32 - s));
  for (int i = m - 1; i > 0; i--)
    un[i] = (u[i] << s) | (uint32_t)((uint64_t)u[i - 1] >> (32 - s));
  un[0] = u[0] << s;

  for (int j = m - n; j >= 0; j--) {
    uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
    uint64_t qhat = num / vn[n - 1];
    uint64_t rhat = num - qhat * vn[n - 1];
    /* qhat is at most 2 too large; this test removes nearly all of it.
     * qhat < b whenever the product is evaluated, and rhat < b. */
    while (qhat >= b || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
      qhat--;
      rhat += vn[n - 1];
      if (rhat >= b)
        break;
    }
    /* Multiply and subtract.  Each step's difference lies in
     * [-2^32, 2^32), so bit 63 of the wrapped result is the borrow. */
    uint64_t carry = 0, borrow = 0;
    for (int i = 0; i < n; i++) {
      uint64_t p = qhat * vn[i] + carry;
      carry = p >> 32;
      uint64_t t = (uint64_t)un[i + j] - (uint32_t)p - borrow;
      un[i + j] = (uint32_t)t;
      borrow = t >> 63;
    }
    uint64_t t = (uint64_t)un[j + n] - carry - borrow;
    un[j + n] = (uint32_t)t;
    q[j] = (uint32_t)qhat;
    if (t >> 63) {
      /* qhat was still one too large (rare): add the divisor back. */
      q[j]--;
      uint64_t c = 0;
      for (int i = 0; i < n; i++) {
        uint64_t sum = (uint64_t)un[i + j] + vn[i] + c;
        un[i + j] = (uint32_t)sum;
        c = sum >> 32;
      }
      un[j + n] += (uint32_t)c; /* the carry out cancels the borrow */
    }
  }
  for (int i = 0; i < n - 1; i++)
    r[i] = (un[i] >> s) | (uint32_t)((uint64_t)un[i + 1] << (32 - s));
  r[n - 1] = un[n - 1] >> s;
}

/* N / D for D > 0: quotient Q (256 bits) and remainder R. */
static void divmod_256_128(u256 n, u128 d, u256 *q, u128 *r) {
  if (n.w[2] == 0 && n.w[3] == 0) {
    /* Fast path: the dividend fits in 128 bits. */
    u128 nn = ((u128)n.w[1] << 64) | n.w[0];
    u128 qq = nn / d;
    *r = nn - qq * d;
    q->w[0] = (uint64_t)qq;
    q->w[1] = (uint64_t)(qq >> 64);
    q->w[2] = q->w[3] = 0;
    return;
  }
  if ((d >> 64) == 0) {
    /* Fast path: the divisor fits in 64 bits (e.g. 10^12). */
    uint64_t rem;
    *q = div_u64(n, (uint64_t)d, &rem);
    *r = rem;
    return;
  }
  /* General path: divisor of 65..128 bits. */
  uint32_t u[8], v[4], qd[8] = {0}, rd[4] = {0};
  for (int i = 0; i < 4; i++) {
    u[2 * i] = (uint32_t)n.w[i];
    u[2 * i + 1] = (uint32_t)(n.w[i] >> 32);
    v[i] = (uint32_t)(d >> (32 * i));
  }
  int m = 8, nd = 4;
  while (m > 0 && u[m - 1] == 0)
    m--;
  while (v[nd - 1] == 0)
    nd--;
  /* Here 3 <= nd <= 4 (d >= 2^64) and m >= 5 (n >= 2^128 > d), so the
   * preconditions of divmnu hold. */
  divmnu(qd, rd, u, m, v, nd);
  for (int i = 0; i < 4; i++)
    q->w[i] = ((uint64_t)qd[2 * i + 1] << 32) | qd[2 * i];
  *r = 0;
  for (int i = nd - 1; i >= 0; i--)
    *r = (*r << 32) | rd[i];
}

/* ---------------------------------------------------------------------
 * Signed helpers.
 * ------------------------------------------------------------------- */

static bool units_ok(i128 u) {
  return u > -(i128)NUM_LIMIT && u < (i128)NUM_LIMIT;
}

static bool valid(slac_num a) { return units_ok(a.units); }

/* |u| without signed overflow. */
static u128 mag(i128 u) { return u < 0 ? (u128)0 - (u128)u : (u128)u; }

/* The magnitude of A as a value of the same kind: for a negative ABOVE
 * value in (u, u+1) the magnitude lies in (-u-1, -u), so its floor is
 * -u-1 and it is still ABOVE.  A must be valid. */
static u128 mag_floor(slac_num a) {
  if (a.units >= 0)
    return (u128)a.units;
  return a.above ? (u128)(-(a.units + 1)) : (u128)(-a.units);
}

/* Build floor(sign * (Q + frac)) where frac is in (0,1) when INEXACT and
 * 0 otherwise; NEG gives the sign. */
static slac_num_status finish(bool neg, u256 q, bool inexact, slac_num *out) {
  if (q.w[2] != 0 || q.w[3] != 0)
    return SLAC_NUM_OVERFLOW;
  u128 m = ((u128)q.w[1] << 64) | q.w[0];
  if (m >= NUM_LIMIT)
    return SLAC_NUM_OVERFLOW;
  if (neg && inexact)
    m += 1; /* floor of a negative non-integer is one further from zero */
  if (m >= NUM_LIMIT)
    return SLAC_NUM_OVERFLOW;
  out->units = neg ? -(i128)m : (i128)m;
  out->above = inexact;
  return SLAC_NUM_OK;
}

/* ---------------------------------------------------------------------
 * Public API.
 * ------------------------------------------------------------------- */

const char *slac_num_status_text(slac_num_status st) {
  switch (st) {
  case SLAC_NUM_OK:
    return "ok";
  case SLAC_NUM_OVERFLOW:
    return "number too large (at most 24 digits before the point)";
  case SLAC_NUM_INEXACT:
    return "result cannot be computed exactly";
  case SLAC_NUM_DIVZERO:
    return "division by zero";
  case SLAC_NUM_SYNTAX:
    return "not a decimal number";
  case SLAC_NUM_TOO_PRECISE:
    return "more than 12 digits after the point";
  }
  return "unknown number status";
}

slac_num slac_num_int(int64_t v) {
  slac_num r;
  r.units = (i128)v * (i128)E12; /* |v| < 2^63, product < 2^103 */
  r.above = false;
  return r;
}

slac_num_status slac_num_parse(const char *s, size_t len, slac_num *out) {
  size_t i = 0;
  bool neg = false;
  if (s == NULL || out == NULL)
    return SLAC_NUM_SYNTAX;
  if (i < len && s[i] == '-') {
    neg = true;
    i++;
  }
  size_t int_start = i;
  while (i < len && s[i] >= '0' && s[i] <= '9')
    i++;
  size_t int_end = i;
  if (int_end == int_start)
    return SLAC_NUM_SYNTAX;
  size_t frac_start = i, frac_end = i;
  if (i < len && s[i] == '.') {
    i++;
    frac_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
      i++;
    frac_end = i;
    if (frac_end == frac_start)
      return SLAC_NUM_SYNTAX;
  }
  if (i != len)
    return SLAC_NUM_SYNTAX;
  /* The whole string is well formed; now its size.  Counting digits
   * before accumulating keeps any length (even thousands of digits)
   * free of overflow. */
  size_t nfrac = frac_end - frac_start;
  if (nfrac > SLAC_NUM_SCALE)
    return SLAC_NUM_TOO_PRECISE;
  size_t k = int_start;
  while (k < int_end && s[k] == '0')
    k++;
  if (int_end - k > 24)
    return SLAC_NUM_OVERFLOW;
  u128 ip = 0, fp = 0;
  for (; k < int_end; k++)
    ip = ip * 10 + (u128)(s[k] - '0');
  for (k = frac_start; k < frac_end; k++)
    fp = fp * 10 + (u128)(s[k] - '0');
  fp *= POW10[SLAC_NUM_SCALE - nfrac];
  u128 u = ip * E12 + fp; /* < 10^24 * 10^12 = 10^36 */
  out->units = neg ? -(i128)u : (i128)u;
  out->above = false;
  return SLAC_NUM_OK;
}

slac_num_status slac_num_add(slac_num a, slac_num b, slac_num *out) {
  if (!valid(a) || !valid(b))
    return SLAC_NUM_OVERFLOW;
  if (a.above && b.above)
    return SLAC_NUM_INEXACT; /* two fractions in (0,1) may sum past 1 */
  i128 s = a.units + b.units; /* |s| < 2 * 10^36 < 2^121 */
  if (!units_ok(s))
    return SLAC_NUM_OVERFLOW;
  out->units = s;
  out->above = a.above || b.above;
  return SLAC_NUM_OK;
}

slac_num_status slac_num_sub(slac_num a, slac_num b, slac_num *out) {
  if (!valid(a) || !valid(b))
    return SLAC_NUM_OVERFLOW;
  if (a.above && b.above)
    return SLAC_NUM_INEXACT;
  i128 s = a.units - b.units;
  bool above = a.above;
  if (b.above) {
    /* -(u + e) = (-u - 1) + (1 - e), and 1 - e is again in (0, 1). */
    s -= 1;
    above = true;
  }
  if (!units_ok(s))
    return SLAC_NUM_OVERFLOW;
  out->units = s;
  out->above = above;
  return SLAC_NUM_OK;
}

slac_num_status slac_num_neg(slac_num a, slac_num *out) {
  if (!valid(a))
    return SLAC_NUM_OVERFLOW;
  i128 u = a.above ? -a.units - 1 : -a.units;
  if (!units_ok(u))
    return SLAC_NUM_OVERFLOW; /* only -(10^36 - 1) ABOVE */
  out->units = u;
  out->above = a.above;
  return SLAC_NUM_OK;
}

slac_num_status slac_num_mul(slac_num a, slac_num b, slac_num *out) {
  if (!valid(a) || !valid(b))
    return SLAC_NUM_OVERFLOW;
  if (a.above || b.above) {
    /* (u + e) * b has a fractional part that depends on e unless b is
     * exactly zero. */
    if ((!a.above && a.units == 0) || (!b.above && b.units == 0)) {
      out->units = 0;
      out->above = false;
      return SLAC_NUM_OK;
    }
    return SLAC_NUM_INEXACT;
  }
  bool neg = (a.units < 0) != (b.units < 0);
  u256 p = mul_128x128(mag(a.units), mag(b.units));
  u256 q;
  u128 r;
  divmod_256_128(p, E12, &q, &r);
  return finish(neg, q, r != 0, out);
}

slac_num_status slac_num_div(slac_num a, slac_num b, slac_num *out) {
  if (!valid(a) || !valid(b))
    return SLAC_NUM_OVERFLOW;
  if (!b.above && b.units == 0)
    return SLAC_NUM_DIVZERO;
  if (!a.above && a.units == 0) {
    out->units = 0; /* an ABOVE divisor is never zero */
    out->above = false;
    return SLAC_NUM_OK;
  }
  if (a.above || b.above)
    return SLAC_NUM_INEXACT;
  bool neg = (a.units < 0) != (b.units < 0);
  u256 n = mul_128x128(mag(a.units), E12); /* < 10^48 */
  u256 q;
  u128 r;
  divmod_256_128(n, mag(b.units), &q, &r);
  return finish(neg, q, r != 0, out);
}

slac_num_status slac_num_cmp(slac_num a, slac_num b, int *out) {
  if (!valid(a) || !valid(b))
    return SLAC_NUM_OVERFLOW;
  if (a.above == b.above) {
    /* Both exact, or both in open unit intervals: distinct floors order
     * the values (a < ua + 1 <= ub < b); equal floors decide only when
     * both are exact. */
    if (a.units != b.units) {
      *out = a.units < b.units ? -1 : 1;
      return SLAC_NUM_OK;
    }
    if (a.above)
      return SLAC_NUM_INEXACT;
    *out = 0;
    return SLAC_NUM_OK;
  }
  if (a.above) {
    /* a in (ua, ua+1), b exact: ua < ub gives a < ua+1 <= b;
     * ua >= ub gives a > ua >= b. */
    *out = a.units < b.units ? -1 : 1;
  } else {
    /* mirror image: b in (ub, ub+1) */
    *out = b.units < a.units ? 1 : -1;
  }
  return SLAC_NUM_OK;
}

slac_num_status slac_num_round_half_up(slac_num a, int digits, slac_num *out) {
  if (digits < 0 || digits > SLAC_NUM_SCALE)
    return SLAC_NUM_SYNTAX;
  if (!valid(a))
    return SLAC_NUM_OVERFLOW;
  if (digits == SLAC_NUM_SCALE) {
    /* The half point u + 1/2 lies inside an ABOVE value's interval. */
    if (a.above)
      return SLAC_NUM_INEXACT;
    *out = a;
    return SLAC_NUM_OK;
  }
  /* Work on the magnitude; half away from zero is then half up.  With
   * step = 10^(12-digits) (even) and r = m mod step, the value is at or
   * past the half point iff r >= step/2; for an ABOVE magnitude in
   * (m, m+1) the same test holds because step/2 is an integer. */
  bool neg = a.units < 0;
  u128 m = mag_floor(a);
  u128 step = POW10[SLAC_NUM_SCALE - digits];
  u128 r = m % step;
  u128 res = m - r;
  if (r >= step / 2)
    res += step;
  if (res >= NUM_LIMIT)
    return SLAC_NUM_OVERFLOW;
  out->units = neg ? -(i128)res : (i128)res;
  out->above = false;
  return SLAC_NUM_OK;
}

slac_num_status slac_num_trunc(slac_num a, int digits, slac_num *out) {
  if (digits < 0 || digits > SLAC_NUM_SCALE)
    return SLAC_NUM_SYNTAX;
  if (!valid(a))
    return SLAC_NUM_OVERFLOW;
  /* An ABOVE magnitude in (m, m+1) has the same truncation as m, since
   * m + 1 is at most the next multiple of the step. */
  bool neg = a.units < 0;
  u128 m = mag_floor(a);
  u128 step = POW10[SLAC_NUM_SCALE - digits];
  /* 64-bit division when it fits (every percentage and every amount below
   * 18 million): a 128-bit one is a library call, ten times slower. */
  u128 res = m >> 64 == 0 ? m - (uint64_t)m % (uint64_t)step : m - m % step;
  out->units = neg ? -(i128)res : (i128)res;
  out->above = false;
  return SLAC_NUM_OK;
}

size_t slac_num_format(slac_num a, int digits, char *buf, size_t size) {
  char tmp[64];
  size_t len = 0;
  slac_num t;

  if ((digits < -1 || digits > SLAC_NUM_SCALE) ||
      slac_num_trunc(a, digits < 0 ? SLAC_NUM_SCALE : digits, &t) != SLAC_NUM_OK) {
    /* Bad DIGITS or an out-of-range value: write nothing. */
    if (buf != NULL && size > 0)
      buf[0] = '\0';
    return 0;
  }
  u128 m = mag(t.units);
  u128 ip = m >> 64 == 0 ? (uint64_t)m / E12 : m / E12;
  uint64_t fp = m >> 64 == 0 ? (uint64_t)m % E12 : (uint64_t)(m % E12);
  if (t.units < 0)
    tmp[len++] = '-';
  /* Integer part: at most 24 digits, written backwards then reversed; in
   * 64-bit arithmetic once it fits (128-bit division is a library call). */
  char rev[32];
  size_t nd = 0;
  while (ip >> 64 != 0) {
    rev[nd++] = (char)('0' + (int)(ip % 10));
    ip /= 10;
  }
  uint64_t ip64 = (uint64_t)ip;
  do {
    rev[nd++] = (char)('0' + (int)(ip64 % 10));
    ip64 /= 10;
  } while (ip64 != 0);
  while (nd > 0)
    tmp[len++] = rev[--nd];
  /* Fraction: all 12 digits, then keep DIGITS or strip trailing zeros. */
  char frac[SLAC_NUM_SCALE];
  for (int i = SLAC_NUM_SCALE - 1; i >= 0; i--) {
    frac[i] = (char)('0' + (int)(fp % 10));
    fp /= 10;
  }
  int keep = digits;
  if (keep < 0) {
    keep = SLAC_NUM_SCALE;
    while (keep > 0 && frac[keep - 1] == '0')
      keep--;
  }
  if (keep > 0) {
    tmp[len++] = '.';
    memcpy(tmp + len, frac, (size_t)keep);
    len += (size_t)keep;
  }
  /* snprintf-like: truncate to SIZE-1 bytes, always terminate. */
  if (buf != NULL && size > 0) {
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
  }
  return len;
}

int slac_num_to_int(slac_num a, int64_t *out) {
  if (!valid(a) || a.above || a.units % (i128)E12 != 0)
    return -1;
  i128 v = a.units / (i128)E12;
  if (v > (i128)INT64_MAX || v < (i128)INT64_MIN)
    return -1;
  *out = (int64_t)v;
  return 0;
}
