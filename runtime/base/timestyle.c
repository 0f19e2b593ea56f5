/* timestyle.c - epoch seconds and +hhmm offsets, each read only where
 * declared (timestyle.h). */
#include "runtime/base/timestyle.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

const char slac_time_style_names[] = "rfc3339, epoch, +hhmm";

int slac_time_style_parse(const char *word, slac_time_style *out) {
  if (strcmp(word, "rfc3339") == 0) *out = SLAC_TIMES_RFC3339;
  else if (strcmp(word, "epoch") == 0) *out = SLAC_TIMES_EPOCH;
  else if (strcmp(word, "+hhmm") == 0) *out = SLAC_TIMES_HHMM;
  else return -1;
  return 0;
}

const char *slac_time_style_expected(slac_time_style style) {
  switch (style) {
    case SLAC_TIMES_EPOCH: return "seconds since 1970-01-01T00:00:00Z (--timestamps epoch)";
    case SLAC_TIMES_HHMM: return "a timestamp like 2026-10-03T14:05:00+0200 (--timestamps +hhmm)";
    case SLAC_TIMES_RFC3339: break;
  }
  return "an RFC 3339 timestamp with an offset";
}

static bool digit(char c) { return c >= '0' && c <= '9'; }

/* [-]digits[.digits]: the fraction is dropped toward the earlier second,
 * so -1.5 is -2 (as 1969-12-31T23:59:58.5Z is ...:58). */
static int parse_epoch(const char *s, size_t len, slac_time *out, const char **why) {
  size_t i = 0;
  bool neg = len > 0 && s[0] == '-';
  if (neg) i++;
  size_t first = i;
  int64_t v = 0;
  for (; i < len && digit(s[i]); i++) {
    if (i - first >= 12) { /* past 10^12 seconds: beyond the year 9999 */
      *why = "the number of seconds is beyond the year 9999";
      return -1;
    }
    v = v * 10 + (s[i] - '0');
  }
  if (i == first) {
    *why = "not a number of seconds";
    return -1;
  }
  bool fraction = false;
  if (i < len && s[i] == '.') {
    size_t f0 = ++i;
    for (; i < len && digit(s[i]); i++) fraction |= s[i] != '0';
    if (i == f0) {
      *why = "a '.' without digits after it";
      return -1;
    }
  }
  if (i != len) {
    *why = "unexpected characters after the number of seconds";
    return -1;
  }
  if (neg) v = fraction ? -v - 1 : -v;
  if (slac_time_check_range(v, why) != 0) return -1;
  *out = v;
  return 0;
}

/* RFC 3339 but for the offset's colon: +hhmm is rewritten +hh:mm and
 * parsed by the one RFC 3339 parser, so that every other rule is its. */
static int parse_hhmm(const char *s, size_t len, slac_time *out, const char **why) {
  if (len > 0 && (s[len - 1] == 'Z' || s[len - 1] == 'z')) return slac_time_parse(s, len, out, why);
  char buf[72];
  if (len < 5 || len > 64 || (s[len - 5] != '+' && s[len - 5] != '-') || !digit(s[len - 4]) ||
      !digit(s[len - 3]) || !digit(s[len - 2]) || !digit(s[len - 1])) {
    *why = "expected the offset as Z, +hhmm or -hhmm at the end";
    return -1;
  }
  memcpy(buf, s, len - 2);
  buf[len - 2] = ':';
  memcpy(buf + len - 1, s + len - 2, 2);
  return slac_time_parse(buf, len + 1, out, why);
}

int slac_time_parse_style(slac_time_style style, const char *s, size_t len, slac_time *out,
                          const char **why) {
  switch (style) {
    case SLAC_TIMES_EPOCH: return parse_epoch(s, len, out, why);
    case SLAC_TIMES_HHMM: return parse_hhmm(s, len, out, why);
    case SLAC_TIMES_RFC3339: break;
  }
  return slac_time_parse(s, len, out, why);
}
