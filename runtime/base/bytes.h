/* bytes.h - equality of short byte strings, inline.
 *
 * Account names, service names and timestamps are compared once per data
 * row; a call to memcmp for 7 to 30 bytes cost more than the comparison
 * itself (a tenth of eval's time on window files).  Eight bytes at a
 * time, the last eight loaded so that they end at the end (overlapping
 * the word before), so there is no byte loop for lengths of 8 and more.
 */
#ifndef SLAC_BYTES_H
#define SLAC_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool slac_bytes_equal(const char *a, const char *b, size_t n) {
  uint64_t x, y;
  if (n < 8) {
    for (size_t i = 0; i < n; i++)
      if (a[i] != b[i]) return false;
    return true;
  }
  for (size_t i = 0; i + 8 < n; i += 8) {
    memcpy(&x, a + i, 8);
    memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  memcpy(&x, a + n - 8, 8);
  memcpy(&y, b + n - 8, 8);
  return x == y;
}

#endif
