/* hash.c - SipHash-1-3 under a random per-process key, and slac_strmap. */
#include "runtime/base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* ---- the key ------------------------------------------------------------ */

static slac_hash_key process_key;
static once_flag key_once = ONCE_FLAG_INIT;

/* getrandom(2) first; /dev/urandom where the system call is missing or
 * filtered; and, should both fail, what differs from run to run (time,
 * process id, the address of the stack under ASLR), which an attacker
 * cannot read off the input either. */
static void draw_key(void) {
  uint64_t k[2] = {0, 0};
  size_t got = 0;
  while (got < sizeof k) {
    ssize_t n = getrandom((char *)k + got, sizeof k - got, GRND_NONBLOCK);
    if (n > 0) got += (size_t)n;
    else if (n < 0 && errno == EINTR) continue;
    else break;
  }
  if (got < sizeof k) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    got = 0;
    while (fd >= 0 && got < sizeof k) {
      ssize_t n = read(fd, (char *)k + got, sizeof k - got);
      if (n > 0) got += (size_t)n;
      else if (!(n < 0 && errno == EINTR)) break;
    }
    if (fd >= 0) close(fd);
  }
  if (got < sizeof k) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    k[0] ^= (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)ts.tv_sec;
    k[1] ^= (uint64_t)getpid() * 0xC2B2AE3D27D4EB4Fu ^ (uint64_t)(uintptr_t)&ts;
  }
  process_key.k0 = k[0];
  process_key.k1 = k[1];
}

slac_hash_key slac_hash_process_key(void) {
  call_once(&key_once, draw_key);
  return process_key;
}

/* ---- SipHash-1-3 (Aumasson and Bernstein; the round counts Python and
 * Rust use for their hash tables) ------------------------------------------ */

static inline uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

#define SIPROUND                                                     \
  do {                                                               \
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);        \
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                           \
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                           \
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);        \
  } while (0)

/* The 8 bytes at P as a little-endian number, whatever the machine. */
static inline uint64_t load_le(const unsigned char *p) {
  uint64_t w;
  memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

uint64_t slac_siphash(slac_hash_key key, const void *data, size_t len) {
  const unsigned char *p = data;
  uint64_t v0 = 0x736f6d6570736575u ^ key.k0, v1 = 0x646f72616e646f6du ^ key.k1;
  uint64_t v2 = 0x6c7967656e657261u ^ key.k0, v3 = 0x7465646279746573u ^ key.k1;
  size_t whole = len & ~(size_t)7;
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t m = load_le(p + i);
    v3 ^= m;
    SIPROUND;
    v0 ^= m;
  }
  uint64_t b = (uint64_t)len << 56;
  size_t rem = len & 7;
  if (rem && len >= 8) {
    /* the last REM bytes as the top of the last 8: one load, not a loop */
    b |= load_le(p + len - 8) >> (64 - 8 * rem);
  } else {
    switch (rem) { /* a short key: its bytes one by one */
    case 7: b |= (uint64_t)p[6] << 48; /* fall through */
    case 6: b |= (uint64_t)p[5] << 40; /* fall through */
    case 5: b |= (uint64_t)p[4] << 32; /* fall through */
    case 4: b |= (uint64_t)p[3] << 24; /* fall through */
    case 3: b |= (uint64_t)p[2] << 16; /* fall through */
    case 2: b |= (uint64_t)p[1] << 8; /* fall through */
    case 1: b |= (uint64_t)p[0]; break;
    default: break;
    }
  }
  v3 ^= b;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t slac_hash_u64(slac_hash_key key, uint64_t x) {
  uint64_t v0 = 0x736f6d6570736575u ^ key.k0, v1 = 0x646f72616e646f6du ^ key.k1;
  uint64_t v2 = 0x6c7967656e657261u ^ key.k0, v3 = 0x7465646279746573u ^ key.k1;
  v3 ^= x;
  SIPROUND;
  v0 ^= x;
  uint64_t b = (uint64_t)8 << 56;
  v3 ^= b;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- slac_strmap ---------------------------------------------------------- */

void slac_strmap_init(slac_strmap *m) {
  memset(m, 0, sizeof *m);
  m->key = slac_hash_process_key();
}

void slac_strmap_free(slac_strmap *m) {
  free(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}

/* The slot holding S, or the free slot where it would go. */
static slac_strmap_slot *find_slot(const slac_strmap *m, const char *s, size_t len, uint64_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    slac_strmap_slot *e = &m->slots[i];
    if (!e->s || (e->h == h && e->len == len && memcmp(e->s, s, len) == 0)) return e;
  }
}

size_t slac_strmap_get(const slac_strmap *m, const char *s, size_t len) {
  if (!m->n) return SIZE_MAX;
  const slac_strmap_slot *e = find_slot(m, s, len, slac_siphash(m->key, s, len));
  return e->s ? e->value : SIZE_MAX;
}

/* At most half full, so that a probe is short on average. */
static int grow(slac_strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 16;
  if (cap > SIZE_MAX / sizeof *m->slots) return -1;
  slac_strmap_slot *v = calloc(cap, sizeof *v);
  if (!v) return -1;
  slac_strmap old = *m;
  m->slots = v;
  m->cap = cap;
  for (size_t i = 0; i < old.cap; i++)
    if (old.slots[i].s) *find_slot(m, old.slots[i].s, old.slots[i].len, old.slots[i].h) = old.slots[i];
  free(old.slots);
  return 0;
}

int slac_strmap_put(slac_strmap *m, const char *s, size_t len, size_t value, size_t *old) {
  if ((m->n + 1) * 2 > m->cap && grow(m) != 0) return -1;
  uint64_t h = slac_siphash(m->key, s, len);
  slac_strmap_slot *e = find_slot(m, s, len, h);
  if (e->s) {
    if (old) *old = e->value;
    return 0;
  }
  *e = (slac_strmap_slot){s, len, h, value};
  m->n++;
  if (old) *old = value;
  return 1;
}

void slac_strmap_set(slac_strmap *m, const char *s, size_t len, size_t value) {
  if (!m->n) return;
  slac_strmap_slot *e = find_slot(m, s, len, slac_siphash(m->key, s, len));
  if (e->s) e->value = value;
}
