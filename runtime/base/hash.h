/* hash.h - keyed hashing that hostile input cannot flood.
 *
 * Every hash table that a data file or a policy fills (account names,
 * access-log windows, status-page components, the checker's names) hashes
 * with SipHash-1-3 under a 128-bit key drawn at random once per process
 * (getrandom(2)).  With a fixed function, names crafted to share a bucket
 * turned each lookup into a walk of all of them (200,000 such account
 * names took 97 s); without the key, nobody can compute which names
 * collide.
 *
 * The key changes from run to run, so nothing that is printed may depend
 * on it: tables here are indexes into arrays kept in the order of the
 * input, never an order of their own.
 *
 * slac_strmap is the small table most callers need: borrowed byte strings
 * (they must outlive the map) to a size_t value, open addressing.
 */
#ifndef SLAC_HASH_H
#define SLAC_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t k0, k1;
} slac_hash_key;

/* The process's key, drawn on first use (thread-safe). */
slac_hash_key slac_hash_process_key(void);

/* SipHash-1-3 of the LEN bytes at DATA under KEY. */
uint64_t slac_siphash(slac_hash_key key, const void *data, size_t len);

/* SipHash-1-3 of the 8 bytes of X (as slac_siphash of its little-endian
 * bytes, without the loop). */
uint64_t slac_hash_u64(slac_hash_key key, uint64_t x);

typedef struct {
  const char *s;   /* NULL: a free slot */
  size_t len;
  uint64_t h;
  size_t value;
} slac_strmap_slot;

typedef struct {
  slac_hash_key key;
  slac_strmap_slot *slots;
  size_t cap, n;   /* cap is 0 or a power of two; n <= cap / 2 */
} slac_strmap;

void slac_strmap_init(slac_strmap *m);
void slac_strmap_free(slac_strmap *m);
/* The value of the LEN bytes at S, or SIZE_MAX when they are not there. */
size_t slac_strmap_get(const slac_strmap *m, const char *s, size_t len);
/* S -> VALUE when S is not there yet; *OLD (may be NULL) gets the value
 * S has now (VALUE when it was added).  S is borrowed.  Returns 1 when
 * added, 0 when S was there, -1 when out of memory (M unchanged). */
int slac_strmap_put(slac_strmap *m, const char *s, size_t len, size_t value, size_t *old);
/* Change the value of S, which must be there. */
void slac_strmap_set(slac_strmap *m, const char *s, size_t len, size_t value);

#endif
