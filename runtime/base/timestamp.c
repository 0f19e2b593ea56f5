/* timestamp.c - RFC 3339 parsing, proleptic Gregorian calendar arithmetic
 * and UTC calendar months (the contract is in timestamp.h).
 *
 * The parsers sit on the hot path: slac_time_parse runs for every row of
 * data files of hundreds of megabytes.  So they never allocate, never use
 * the <stdio.h> scanners, and check fixed-width digit fields in straight
 * line code.  Only the failure path formats text.
 *
 * Choices beyond RFC 3339 itself (documented here because callers rely on
 * them):
 *  - the year of the written date must be 0001..9999, and so must the
 *    instant converted to UTC (slac_time_parse rejects e.g.
 *    9999-12-31T23:00:00-02:00), so that every parsed instant lies in a
 *    month that slac_month_format can print;
 *  - "-00:00" ("offset unknown" in RFC 3339) is taken as UTC;
 *  - fractional digits may be as many as the writer likes; they are dropped.
 */
#include "runtime/base/timestamp.h"
#include "runtime/base/bytes.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY 86400
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (checked by the tests). */
#define FIRST_TIME INT64_C(-62135596800)
#define LAST_TIME INT64_C(253402300799)

/* Failure phrases that carry numbers are formatted into this buffer.  It is
 * thread-local so that parsers on different threads cannot trample each
 * other; the next failing call on the same thread overwrites it, so a
 * caller must use (copy) *why before parsing again. */
static _Thread_local char why_buf[96];

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* ---- integer helpers --------------------------------------------------- */

/* Division rounding toward minus infinity: C's '/' truncates toward zero,
 * which would put 1969-12-31T23:59:59Z (t = -1) on day 0 instead of -1. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && (a < 0) != (b < 0))
    q--;
  return q;
}

/* The matching remainder, 0 <= r < b for b > 0.  Written with '%' rather
 * than a - floor_div(a, b) * b, which overflows near INT64_MIN. */
static int64_t floor_mod(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && (r < 0) != (b < 0))
    r += b;
  return r;
}

static bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int days_in_month(int64_t y, int m) {
  static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* ---- calendar ------------------------------------------------------------ */

/* The "days from civil" algorithm (as published by Howard Hinnant): count
 * years from March, so that the leap day is the last day of the counted
 * year, and split the timeline into 400-year eras of exactly 146097 days.
 * Everything is integer and exact for |year| < 10^15 and |days| < 10^17
 * (far beyond 0001..9999, and covering every slac_time / 86400). */
int64_t slac_days_from_civil(int64_t year, int month, int day) {
  int64_t y = year - (month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;           /* floor division */
  int64_t yoe = y - era * 400;                          /* 0..399 */
  int64_t mp = month > 2 ? month - 3 : month + 9;       /* March = 0 */
  int64_t doy = (153 * mp + 2) / 5 + day - 1;           /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
  return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
}

void slac_civil_from_days(int64_t days, int64_t *year, int *month, int *day) {
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;                                      /* 0..146096 */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
  int64_t mp = (5 * doy + 2) / 153;                                    /* 0..11 */
  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

/* ---- months -------------------------------------------------------------- */

/* The month of the previous call, [month_lo, month_hi): data rows nearly
 * always fall in the month of the row before, and this saves the calendar
 * divisions, which were a sixth of the time of reading request windows.
 * Empty at first (lo == hi); thread-local like why_buf. */
static _Thread_local slac_time month_lo, month_hi;
static _Thread_local slac_month month_cached;

slac_month slac_month_of(slac_time t) {
  if (t >= month_lo && t < month_hi)
    return month_cached;
  int64_t y;
  int m, d;
  int64_t days = floor_div(t, SECS_PER_DAY);
  slac_civil_from_days(days, &y, &m, &d);
  month_cached = (slac_month)(y * 12 + (m - 1));
  month_lo = (days - (d - 1)) * SECS_PER_DAY;
  month_hi = month_lo + (int64_t)days_in_month(y, m) * SECS_PER_DAY;
  return month_cached;
}

static void month_split(slac_month m, int64_t *year, int *month) {
  *year = floor_div(m, 12);
  *month = (int)(m - *year * 12) + 1;
}

slac_time slac_month_start(slac_month m) {
  int64_t y;
  int mo;
  month_split(m, &y, &mo);
  return slac_days_from_civil(y, mo, 1) * SECS_PER_DAY;
}

int slac_month_days(slac_month m) {
  int64_t y;
  int mo;
  month_split(m, &y, &mo);
  return days_in_month(y, mo);
}

int64_t slac_month_minutes(slac_month m) { return (int64_t)slac_month_days(m) * 1440; }

/* ---- digit fields -------------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* How many ASCII digits start at S[POS] (none past LEN).  Counting, rather
 * than just checking two, is what lets us say "the month must have exactly
 * 2 digits" for "2020-001-01" instead of a vaguer complaint later. */
static size_t digits_at(const char *s, size_t len, size_t pos) {
  size_t n = 0;
  while (pos + n < len && is_digit(s[pos + n]))
    n++;
  return n;
}

static int num2(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

static int num4(const char *p) { return num2(p) * 100 + num2(p + 2); }

/* ---- the parts of RFC 3339 ---------------------------------------------- */

/* The shapes are checked in one straight condition first, on the hot
 * path; only input that fails it is examined again, field by field, to say
 * which part is wrong. */

/* YYYY-MM-DD at S[0..10), not followed by one more digit. */
static bool date_shaped(const char *s, size_t len) {
  return len >= 10 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
         s[4] == '-' && is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' && is_digit(s[8]) &&
         is_digit(s[9]) && (len == 10 || !is_digit(s[10]));
}

/* Why S is not date_shaped.  WHAT is the phrase for input that is not even
 * shaped like a date. */
static const char *date_shape_error(const char *s, size_t len, const char *what) {
  size_t n = digits_at(s, len, 0);
  if (n != 4) {
    if (len > 1 && (s[0] == '+' || s[0] == '-') && is_digit(s[1]))
      return "the year must be 4 digits without a sign (0001-9999)";
    if (n > 4)
      return "expected a 4-digit year followed by '-' (YYYY-MM-DD)";
    if (n > 0 && n < len && s[n] == '-')
      return "the year must have exactly 4 digits (0001-9999)";
    return what;
  }
  if (len <= 4 || s[4] != '-')
    return "expected '-' after the year (YYYY-MM-DD)";
  if (digits_at(s, len, 5) != 2)
    return "the month must have exactly 2 digits (01-12)";
  if (len <= 7 || s[7] != '-')
    return "expected '-' after the month (YYYY-MM-DD)";
  return "the day must have exactly 2 digits (01-31)";
}

/* full-date at S[0..]: sets *POS past it and *DAYS, or fails with *WHY. */
static bool parse_date(const char *s, size_t len, size_t *pos, int64_t *days,
                       const char *what, const char **why) {
  if (!date_shaped(s, len)) {
    *why = date_shape_error(s, len, what);
    return false;
  }
  int year = num4(s), month = num2(s + 5), day = num2(s + 8);
  if (year == 0) {
    *why = "year 0000 is out of range (0001-9999)";
    return false;
  }
  if (month < 1 || month > 12) {
    snprintf(why_buf, sizeof why_buf, "month %02d is out of range (01-12)", month);
    *why = why_buf;
    return false;
  }
  if (day == 0) {
    *why = "day 00 is out of range (01-31)";
    return false;
  }
  if (day > days_in_month(year, month)) {
    snprintf(why_buf, sizeof why_buf, "the day %d does not exist in %s %04d", day,
             month_names[month - 1], year);
    *why = why_buf;
    return false;
  }
  *pos = 10;
  *days = slac_days_from_civil(year, month, day);
  return true;
}

/* hh:mm:ss at S[P..P+8), not followed by one more digit. */
static bool time_shaped(const char *s, size_t len, size_t p) {
  return len >= p + 8 && is_digit(s[p]) && is_digit(s[p + 1]) && s[p + 2] == ':' &&
         is_digit(s[p + 3]) && is_digit(s[p + 4]) && s[p + 5] == ':' && is_digit(s[p + 6]) &&
         is_digit(s[p + 7]) && (len == p + 8 || !is_digit(s[p + 8]));
}

/* Why S[P..] is not time_shaped. */
static const char *time_shape_error(const char *s, size_t len, size_t p) {
  if (digits_at(s, len, p) != 2)
    return "the hour must have exactly 2 digits (00-23)";
  if (p + 2 >= len || s[p + 2] != ':')
    return "expected ':' after the hour (hh:mm:ss)";
  if (digits_at(s, len, p + 3) != 2)
    return "the minute must have exactly 2 digits (00-59)";
  if (p + 5 >= len || s[p + 5] != ':')
    return "missing seconds: write the time as hh:mm:ss";
  return "the second must have exactly 2 digits (00-59)";
}

/* full-time at S[*POS..]: hh:mm:ss[.frac](Z|+hh:mm|-hh:mm).  Sets *SECS to
 * the local seconds since midnight minus the offset, with a second 60 read
 * as 59, and *LEAP when it was 60: the caller decides whether that lands on
 * 23:59:60 UTC.  TRAILING is the complaint about bytes after the offset. */
static bool parse_time(const char *s, size_t len, size_t *pos, int64_t *secs, bool *leap,
                       const char *trailing, const char **why) {
  size_t p = *pos;
  if (!time_shaped(s, len, p)) {
    *why = time_shape_error(s, len, p);
    return false;
  }
  int hour = num2(s + p), minute = num2(s + p + 3), second = num2(s + p + 6);
  if (hour > 23) {
    snprintf(why_buf, sizeof why_buf, "hour %02d is out of range (00-23)", hour);
    *why = why_buf;
    return false;
  }
  if (minute > 59) {
    snprintf(why_buf, sizeof why_buf, "minute %02d is out of range (00-59)", minute);
    *why = why_buf;
    return false;
  }
  if (second > 60) {
    snprintf(why_buf, sizeof why_buf,
             "second %02d is out of range (00-59, or 60 for a leap second)", second);
    *why = why_buf;
    return false;
  }
  p += 8;
  if (p < len && s[p] == '.') {
    size_t n = digits_at(s, len, p + 1);
    if (n == 0) {
      *why = "expected digits after '.' in the seconds";
      return false;
    }
    p += 1 + n; /* the fraction is dropped: the whole second is its floor */
  } else if (p < len && s[p] == ',') {
    *why = "write fractional seconds with '.', not ','";
    return false;
  }
  int offset = 0;
  if (p >= len) {
    *why = "missing offset: add Z for UTC or an offset like +02:00";
    return false;
  }
  if (s[p] == 'Z' || s[p] == 'z') {
    p += 1;
  } else if (s[p] == '+' || s[p] == '-') {
    if (len - p < 6 || !is_digit(s[p + 1]) || !is_digit(s[p + 2]) || s[p + 3] != ':' ||
        !is_digit(s[p + 4]) || !is_digit(s[p + 5])) {
      *why = "the offset must be written +hh:mm or -hh:mm";
      return false;
    }
    int oh = num2(s + p + 1), om = num2(s + p + 4);
    if (oh > 23 || om > 59) {
      snprintf(why_buf, sizeof why_buf, "offset %c%02d:%02d is out of range (-23:59 to +23:59)",
               s[p], oh, om);
      *why = why_buf;
      return false;
    }
    offset = (oh * 60 + om) * 60;
    if (s[p] == '-')
      offset = -offset;
    p += 6;
  } else {
    *why = "expected Z or an offset like +02:00 after the time";
    return false;
  }
  if (p != len) {
    *why = trailing;
    return false;
  }
  *pos = p;
  *leap = second == 60;
  /* Local time minus the offset is UTC: 16:05+02:00 is 14:05Z. */
  *secs = (int64_t)hour * 3600 + minute * 60 + (*leap ? 59 : second) - offset;
  return true;
}

/* A leap second is 23:59:60 UTC.  With 60 read as 59, that is exactly the
 * times whose UTC clock shows 23:59:59, whatever the offset (01:29:60+01:30
 * is 23:59:60Z of the day before). */
static bool leap_ok(int64_t utc_secs, const char **why) {
  if (floor_mod(utc_secs, SECS_PER_DAY) != SECS_PER_DAY - 1) {
    *why = "second 60 is a leap second and exists only at 23:59:60 UTC";
    return false;
  }
  return true;
}

/* ---- public parsers ------------------------------------------------------ */

/* Two caches for data files, where consecutive rows repeat themselves:
 *  - the last timestamp parsed successfully (up to 32 bytes) and its
 *    value: in a time-major file of request windows, every account's row
 *    of one window has the same start;
 *  - the date of the last timestamp whose date was valid: consecutive rows
 *    nearly always share it, and then its checks and calendar arithmetic
 *    are skipped.  The 10 bytes were a valid date followed by a non-digit,
 *    so the same bytes, also followed by a non-digit, give the same days
 *    (and the same errors about what follows).
 * Thread-local, like why_buf. */
#define TIME_KEY_MAX 32
static _Thread_local char time_key[TIME_KEY_MAX];
static _Thread_local size_t time_key_len; /* 0: nothing cached */
static _Thread_local slac_time time_value;
static _Thread_local char date_key[10];
static _Thread_local int64_t date_days;
static _Thread_local bool date_known;

static int time_parse(const char *s, size_t len, slac_time *out, const char **why);

int slac_time_parse(const char *s, size_t len, slac_time *out, const char **why) {
  /* len > 0: an empty cache (length 0) must not match an empty field */
  if (len == time_key_len && len > 0 && slac_bytes_equal(s, time_key, len)) {
    *out = time_value;
    return 0;
  }
  if (time_parse(s, len, out, why) != 0)
    return -1;
  if (len <= TIME_KEY_MAX) {
    memcpy(time_key, s, len);
    time_key_len = len;
    time_value = *out;
  }
  return 0;
}

static int time_parse(const char *s, size_t len, slac_time *out, const char **why) {
  size_t pos = 0;
  int64_t days, secs;
  bool leap;
  if (date_known && len > 10 && !is_digit(s[10]) && memcmp(s, date_key, 10) == 0) {
    pos = 10;
    days = date_days;
  } else {
    if (!parse_date(s, len, &pos, &days,
                    "not a timestamp (expected YYYY-MM-DDThh:mm:ssZ)", why))
      return -1;
    memcpy(date_key, s, 10);
    date_days = days;
    date_known = true;
  }
  if (pos == len) {
    *why = "missing time: add a time and offset like T14:05:00Z";
    return -1;
  }
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') {
    *why = "expected 'T' or a space between the date and the time";
    return -1;
  }
  pos++;
  if (!parse_time(s, len, &pos, &secs, &leap, "unexpected text after the timestamp", why))
    return -1;
  slac_time t = days * SECS_PER_DAY + secs;
  if (leap && !leap_ok(t, why))
    return -1;
  if (slac_time_check_range(t, why) != 0)
    return -1;
  *out = t;
  return 0;
}

int slac_time_check_range(slac_time t, const char **why) {
  if (t < FIRST_TIME) {
    *why = "the time converted to UTC falls before the year 0001";
    return -1;
  }
  if (t > LAST_TIME) {
    *why = "the time converted to UTC falls after the year 9999";
    return -1;
  }
  return 0;
}

int slac_date_parse(const char *s, size_t len, int64_t *days_out, const char **why) {
  size_t pos = 0;
  int64_t days;
  if (!parse_date(s, len, &pos, &days, "not a date (expected YYYY-MM-DD)", why))
    return -1;
  if (pos != len) {
    *why = "unexpected text after the date";
    return -1;
  }
  *days_out = days;
  return 0;
}

int slac_time_of_day_parse(const char *s, size_t len, int64_t *secs_out, const char **why) {
  size_t pos = 0;
  int64_t secs;
  bool leap;
  if (!parse_time(s, len, &pos, &secs, &leap, "unexpected text after the time", why))
    return -1;
  if (leap && !leap_ok(secs, why))
    return -1;
  *secs_out = secs;
  return 0;
}

int slac_month_parse(const char *s, size_t len, slac_month *out) {
  if (len != 7 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) ||
      s[4] != '-' || !is_digit(s[5]) || !is_digit(s[6]))
    return -1;
  int year = num4(s), month = num2(s + 5);
  if (year < 1 || month < 1 || month > 12)
    return -1;
  *out = (slac_month)(year * 12 + (month - 1));
  return 0;
}

/* ---- formatting ---------------------------------------------------------- */

/* Write V (0 <= V < 10^WIDTH) as exactly WIDTH digits. */
static char *put_digits(char *p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; i--) {
    p[i] = (char)('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

/* Years 0000..9999 are 4 digits; others (only reachable through
 * arithmetic, never from a parsed time) get a sign and as many digits as
 * they need, so that nothing is silently wrapped. */
static char *put_year(char *p, int64_t y) {
  if (y < 0) {
    *p++ = '-';
    y = -y; /* |y| < 3e11 for any slac_time, no overflow */
  }
  int width = 4;
  for (int64_t lim = 10000; y >= lim; lim *= 10)
    width++;
  return put_digits(p, y, width);
}

void slac_time_format(slac_time t, char buf[32]) {
  int64_t days = floor_div(t, SECS_PER_DAY), secs = floor_mod(t, SECS_PER_DAY), y;
  int m, d;
  slac_civil_from_days(days, &y, &m, &d);
  char *p = put_year(buf, y);
  *p++ = '-';
  p = put_digits(p, m, 2);
  *p++ = '-';
  p = put_digits(p, d, 2);
  *p++ = 'T';
  p = put_digits(p, secs / 3600, 2);
  *p++ = ':';
  p = put_digits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, secs % 60, 2);
  *p++ = 'Z';
  *p = '\0';
}

/* BUF holds only 8 bytes, so a month outside the years 0000..9999 (never
 * produced from parsed data) prints as "????-MM" rather than overflowing. */
void slac_month_format(slac_month m, char buf[8]) {
  int64_t y;
  int mo;
  month_split(m, &y, &mo);
  if (y >= 0 && y <= 9999)
    put_digits(buf, y, 4);
  else
    buf[0] = buf[1] = buf[2] = buf[3] = '?';
  buf[4] = '-';
  put_digits(buf + 5, mo, 2);
  buf[7] = '\0';
}
