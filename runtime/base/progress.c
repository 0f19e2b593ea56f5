/* progress.c - the text of a progress line (progress.h): sizes, rate and
 * time left in integer arithmetic, so that the same numbers always give
 * the same bytes. */
#include "runtime/base/progress.h"

#include <stdio.h>

static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};

/* The unit of N bytes: the largest whose one is at most N (B for N < 1024). */
static int unit_of(uint64_t n) {
  int u = 0;
  while (u < 4 && n >= (UINT64_C(1) << (10 * (u + 1)))) u++;
  return u;
}

/* N in unit U, one decimal, truncated: "12.3". */
static void in_unit(char *buf, size_t size, uint64_t n, int u) {
  unsigned __int128 tenths = (unsigned __int128)n * 10 >> (10 * u);
  snprintf(buf, size, "%llu.%u", (unsigned long long)(tenths / 10), (unsigned)(tenths % 10));
}

/* S seconds: "6 s", "1 min 5 s", "2 h 3 min". */
static void duration(char *buf, size_t size, uint64_t s) {
  if (s < 60) snprintf(buf, size, "%llu s", (unsigned long long)s);
  else if (s < 3600) snprintf(buf, size, "%llu min %llu s", (unsigned long long)(s / 60), (unsigned long long)(s % 60));
  else snprintf(buf, size, "%llu h %llu min", (unsigned long long)(s / 3600), (unsigned long long)(s % 3600 / 60));
}

size_t slac_progress_line(char *buf, size_t size, uint64_t done, uint64_t total,
                          uint64_t elapsed_ms, bool finished) {
  if (done > total) done = total;
  int u = unit_of(total);
  char d[32], t[32], rate[48] = "", left[48] = "";
  in_unit(d, sizeof d, done, u);
  in_unit(t, sizeof t, total, u);
  if (done > 0 && elapsed_ms > 0) {
    uint64_t per_s = (uint64_t)((unsigned __int128)done * 1000 / elapsed_ms);
    int ru = unit_of(per_s);
    /* the tenths of the exact rate, truncated once (not the truncated
     * bytes per second truncated again) */
    unsigned __int128 tenths = (unsigned __int128)done * 10000 / ((unsigned __int128)elapsed_ms << (10 * ru));
    snprintf(rate, sizeof rate, "%llu.%u %s/s", (unsigned long long)(tenths / 10), (unsigned)(tenths % 10),
             units[ru]);
    /* (total - done) / (done / elapsed), rounded up to a second */
    unsigned __int128 ms = ((unsigned __int128)(total - done) * elapsed_ms + done - 1) / done;
    duration(left, sizeof left, (uint64_t)((ms + 999) / 1000));
  }
  if (finished) {
    char took[32];
    snprintf(took, sizeof took, "%llu.%llu s", (unsigned long long)(elapsed_ms / 1000),
             (unsigned long long)(elapsed_ms % 1000 / 100));
    if (*rate)
      return (size_t)snprintf(buf, size, "slac: read data: %s of %s %s in %s (%s)", d, t, units[u], took, rate);
    return (size_t)snprintf(buf, size, "slac: read data: %s of %s %s in %s", d, t, units[u], took);
  }
  unsigned pct = total ? (unsigned)((unsigned __int128)done * 100 / total) : 100;
  if (*rate)
    return (size_t)snprintf(buf, size, "slac: reading data: %s of %s %s (%u%%), %s, %s left", d, t,
                            units[u], pct, rate, left);
  return (size_t)snprintf(buf, size, "slac: reading data: %s of %s %s (%u%%)", d, t, units[u], pct);
}
