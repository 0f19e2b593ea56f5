/* test_timestamp.c - unit tests of runtime/base/timestamp.c: RFC 3339 parsing
 * against the labelled JSON Schema format cases, exact instants, calendar
 * edges, every rejection phrase, months and formatting. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "runtime/base/timestamp.h"

#ifndef SLAC_REALDATA_DIR
#error "SLAC_REALDATA_DIR must name tests/realdata/data"
#endif

/* ---- helpers ------------------------------------------------------------- */

/* Parse a NUL-terminated timestamp that must be valid and return it. */
static slac_time ok_time(const char *s) {
  slac_time t = 0;
  const char *why = NULL;
  int rc = slac_time_parse(s, strlen(s), &t, &why);
  if (rc != 0)
    print_error("unexpected rejection of \"%s\": %s\n", s, why);
  assert_int_equal(rc, 0);
  return t;
}

/* Parse S, which must be rejected, and return the reason. */
static const char *bad_time(const char *s) {
  slac_time t = 0;
  const char *why = NULL;
  int rc = slac_time_parse(s, strlen(s), &t, &why);
  if (rc == 0)
    print_error("unexpected acceptance of \"%s\"\n", s);
  assert_int_equal(rc, -1);
  assert_non_null(why);
  return why;
}

/* ---- the labelled strings of the JSON Schema test suite ------------------ */

typedef int (*parse_fn)(const char *s, size_t len, const char **why);

static int try_datetime(const char *s, size_t len, const char **why) {
  slac_time t;
  return slac_time_parse(s, len, &t, why);
}

static int try_date(const char *s, size_t len, const char **why) {
  int64_t d;
  return slac_date_parse(s, len, &d, why);
}

static int try_time(const char *s, size_t len, const char **why) {
  int64_t secs;
  return slac_time_of_day_parse(s, len, &secs, why);
}

/* Every case whose "data" is a string must be accepted iff "valid".  No
 * case of the three files conflicts with our reading of RFC 3339: they
 * never use a space separator or a year outside 0001..9999 (our documented
 * extensions/limits), so none is skipped.  Returns the strings checked. */
static size_t check_labelled(const char *file, parse_fn parse) {
  char path[512];
  snprintf(path, sizeof path, "%s/timeparse/%s", SLAC_REALDATA_DIR, file);
  json_error_t err;
  /* JSON_ALLOW_NUL: one date case ends in "\u0000" and must be rejected. */
  json_t *root = json_load_file(path, JSON_ALLOW_NUL, &err);
  if (root == NULL)
    print_error("%s:%d: %s\n", path, err.line, err.text);
  assert_non_null(root);
  assert_true(json_is_array(root));
  size_t checked = 0, gi, ti;
  json_t *group, *test;
  json_array_foreach(root, gi, group) {
    json_array_foreach(json_object_get(group, "tests"), ti, test) {
      json_t *data = json_object_get(test, "data");
      if (!json_is_string(data))
        continue; /* "all string formats ignore integers" etc. */
      int valid = json_is_true(json_object_get(test, "valid"));
      const char *s = json_string_value(data);
      const char *why = NULL;
      int rc = parse(s, json_string_length(data), &why);
      if ((rc == 0) != valid)
        print_error("%s: \"%s\" (%s): expected %s, got %s%s\n", file, s,
                    json_string_value(json_object_get(test, "description")),
                    valid ? "valid" : "invalid", rc == 0 ? "valid" : "invalid: ",
                    rc == 0 ? "" : why);
      assert_int_equal(rc == 0, valid);
      checked++;
    }
  }
  json_decref(root);
  print_message("%s: %zu labelled strings checked\n", file, checked);
  assert_true(checked > 0);
  return checked;
}

static void test_labelled_datetime(void **state) {
  (void)state;
  assert_int_equal(check_labelled("jsonschema_date-time.json", try_datetime), 27);
}

static void test_labelled_date(void **state) {
  (void)state;
  assert_int_equal(check_labelled("jsonschema_date.json", try_date), 75);
}

static void test_labelled_time(void **state) {
  (void)state;
  assert_int_equal(check_labelled("jsonschema_time.json", try_time), 41);
}

/* ---- instants -------------------------------------------------------------- */

static void test_offsets_same_instant(void **state) {
  (void)state;
  const slac_time expected = 1791036300; /* 2026-10-03T14:05:00Z */
  const char *forms[] = {
      "2026-10-03T14:05:00Z",      "2026-10-03t14:05:00z",      "2026-10-03 14:05:00Z",
      "2026-10-03T16:05:00+02:00", "2026-10-03T09:35:00-04:30", "2026-10-03T14:05:00+00:00",
      "2026-10-03T14:05:00-00:00", "2026-10-04T13:05:00+23:00", "2026-10-02T14:06:00-23:59",
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
    assert_int_equal(ok_time(forms[i]), expected);
  /* "2026-10-02T14:06:00-23:59" above is 14:06 + 23:59 = 14:05 the next day. */
}

static void test_offset_moves_month(void **state) {
  (void)state;
  slac_time t = ok_time("2026-11-01T01:00:00+02:00");
  assert_int_equal(t, 1793487600); /* 2026-10-31T23:00:00Z */
  assert_int_equal(slac_month_of(t), 2026 * 12 + 9);
  t = ok_time("2026-10-31T22:00:00-02:00");
  assert_int_equal(slac_month_of(t), 2026 * 12 + 10); /* 2026-11-01T00:00Z */
}

static void test_extremes(void **state) {
  (void)state;
  assert_int_equal(ok_time("9999-12-31T23:59:59Z"), INT64_C(253402300799));
  assert_int_equal(ok_time("0001-01-01T00:00:00Z"), INT64_C(-62135596800));
  assert_int_equal(ok_time("0001-01-01T01:00:00+01:00"), INT64_C(-62135596800));
  assert_int_equal(ok_time("1970-01-01T00:00:00Z"), 0);
  int64_t days = 1;
  const char *why = NULL;
  assert_int_equal(slac_date_parse("0001-01-01", 10, &days, &why), 0);
  assert_int_equal(days, -719162);
  assert_int_equal(slac_date_parse("9999-12-31", 10, &days, &why), 0);
  assert_int_equal(days, 2932896);
  assert_int_equal(slac_date_parse("1970-01-01", 10, &days, &why), 0);
  assert_int_equal(days, 0);
}

static void test_before_1970(void **state) {
  (void)state;
  assert_int_equal(ok_time("1969-12-31T23:59:59Z"), -1);
  assert_int_equal(ok_time("1969-07-20T20:17:40Z"), -14182940);
  assert_int_equal(ok_time("1900-01-01T00:00:00Z"), INT64_C(-2208988800));
  assert_int_equal(slac_month_of(-1), 1969 * 12 + 11);
  assert_int_equal(slac_month_of(0), 1970 * 12);
  char buf[32];
  slac_time_format(-1, buf);
  assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void test_fraction_truncated(void **state) {
  (void)state;
  assert_int_equal(ok_time("2026-10-03T14:05:00.999999999999999999Z"), 1791036300);
  assert_int_equal(ok_time("2026-10-03T14:05:00.0Z"), 1791036300);
  assert_int_equal(ok_time("2026-10-03T16:05:00.5+02:00"), 1791036300);
  /* -0.5 s truncates toward the earlier second, -1, not toward zero. */
  assert_int_equal(ok_time("1969-12-31T23:59:59.5Z"), -1);
}

static void test_feb29(void **state) {
  (void)state;
  assert_int_equal(ok_time("2000-02-29T00:00:00Z"), 951782400);
  assert_int_equal(ok_time("2024-02-29T12:00:00Z"), 1709208000);
  assert_string_equal(bad_time("1900-02-29T00:00:00Z"), "the day 29 does not exist in February 1900");
  assert_string_equal(bad_time("2100-02-29T00:00:00Z"), "the day 29 does not exist in February 2100");
  assert_string_equal(bad_time("2023-02-29T00:00:00Z"), "the day 29 does not exist in February 2023");
  assert_string_equal(bad_time("2024-02-30T00:00:00Z"), "the day 30 does not exist in February 2024");
  assert_string_equal(bad_time("2026-04-31T00:00:00Z"), "the day 31 does not exist in April 2026");
}

static void test_leap_second_folded(void **state) {
  (void)state;
  assert_int_equal(ok_time("1998-12-31T23:59:60Z"), 915148799);
  assert_int_equal(ok_time("1998-12-31T23:59:60.999Z"), 915148799);
  assert_int_equal(ok_time("1998-12-31T15:59:60.123-08:00"), 915148799);
  assert_int_equal(ok_time("1999-01-01T00:29:60+00:30"), 915148799);
  assert_int_equal(ok_time("2016-12-31T23:59:60Z"), 1483228799);
  assert_int_equal(ok_time("2016-12-31T23:59:60Z"), ok_time("2016-12-31T23:59:59Z"));
  /* full-time alone: the UTC time may fall on the day before or after. */
  int64_t secs = 0;
  const char *why = NULL;
  assert_int_equal(slac_time_of_day_parse("01:29:60+01:30", 14, &secs, &why), 0);
  assert_int_equal(secs, -1);
  assert_int_equal(slac_time_of_day_parse("00:29:60-23:30", 14, &secs, &why), 0);
  assert_int_equal(secs, 86399);
  assert_int_equal(slac_time_of_day_parse("23:59:60Z", 9, &secs, &why), 0);
  assert_int_equal(secs, 86399);
  assert_int_equal(slac_time_of_day_parse("08:30:06Z", 9, &secs, &why), 0);
  assert_int_equal(secs, 30606);
  assert_int_equal(slac_time_of_day_parse("00:00:00+01:00", 14, &secs, &why), 0);
  assert_int_equal(secs, -3600);
}

/* ---- rejections ------------------------------------------------------------ */

static void test_rejections(void **state) {
  (void)state;
  static const struct {
    const char *in, *why;
  } cases[] = {
      {"2026-10-03T14:05:00", "missing offset: add Z for UTC or an offset like +02:00"},
      {"2026-10-03T14:05:00.25", "missing offset: add Z for UTC or an offset like +02:00"},
      {"2026-10-03T24:00:00Z", "hour 24 is out of range (00-23)"},
      {"2016-12-31T24:59:60+01:00", "hour 24 is out of range (00-23)"},
      {"2026-10-03T14:60:00Z", "minute 60 is out of range (00-59)"},
      {"2026-10-03T14:05:61Z", "second 61 is out of range (00-59, or 60 for a leap second)"},
      {"2026-10-03T22:59:60Z", "second 60 is a leap second and exists only at 23:59:60 UTC"},
      {"1998-12-31T23:59:60+01:00", "second 60 is a leap second and exists only at 23:59:60 UTC"},
      {"2026-10-03T14:05:00+25:00", "offset +25:00 is out of range (-23:59 to +23:59)"},
      {"2026-10-03T14:05:00-24:00", "offset -24:00 is out of range (-23:59 to +23:59)"},
      {"2026-10-03T14:05:00+10:60", "offset +10:60 is out of range (-23:59 to +23:59)"},
      {"2026-10-03T14:05:00+01", "the offset must be written +hh:mm or -hh:mm"},
      {"2026-10-03T14:05:00+0100", "the offset must be written +hh:mm or -hh:mm"},
      {"2026-10-03T14:05:00 PST", "expected Z or an offset like +02:00 after the time"},
      {"2026-10-03T14:05:00Z\n", "unexpected text after the timestamp"},
      {"2026-10-03T14:05:00+01:00Z", "unexpected text after the timestamp"},
      {"2026-10-03T14:05:00.Z", "expected digits after '.' in the seconds"},
      {"2026-10-03T14:05:00,5Z", "write fractional seconds with '.', not ','"},
      {"2026-10-03T14:05Z", "missing seconds: write the time as hh:mm:ss"},
      {"2026-10-03T4:05:00Z", "the hour must have exactly 2 digits (00-23)"},
      {"2026-10-03T14:5:00Z", "the minute must have exactly 2 digits (00-59)"},
      {"2026-10-03T14:05:0Z", "the second must have exactly 2 digits (00-59)"},
      {"2026-10-03T14-05-00Z", "expected ':' after the hour (hh:mm:ss)"},
      {"2026-10-03", "missing time: add a time and offset like T14:05:00Z"},
      {"2026-10-03_14:05:00Z", "expected 'T' or a space between the date and the time"},
      {"2026-10-03  14:05:00Z", "the hour must have exactly 2 digits (00-23)"},
      {"2026-13-03T14:05:00Z", "month 13 is out of range (01-12)"},
      {"2026-00-03T14:05:00Z", "month 00 is out of range (01-12)"},
      {"2026-10-00T14:05:00Z", "day 00 is out of range (01-31)"},
      {"2026-10-32T14:05:00Z", "the day 32 does not exist in October 2026"},
      {"0000-01-01T00:00:00Z", "year 0000 is out of range (0001-9999)"},
      {"0001-01-01T00:00:00+00:01", "the time converted to UTC falls before the year 0001"},
      {"9999-12-31T23:00:00-02:00", "the time converted to UTC falls after the year 9999"},
      {"+12026-10-03T14:05:00Z", "the year must be 4 digits without a sign (0001-9999)"},
      {"12026-10-03T14:05:00Z", "expected a 4-digit year followed by '-' (YYYY-MM-DD)"},
      {"226-10-03T14:05:00Z", "the year must have exactly 4 digits (0001-9999)"},
      {"2026/10/03T14:05:00Z", "expected '-' after the year (YYYY-MM-DD)"},
      {"2026-1-03T14:05:00Z", "the month must have exactly 2 digits (01-12)"},
      {"2026-10/03T14:05:00Z", "expected '-' after the month (YYYY-MM-DD)"},
      {"2026-10-3T14:05:00Z", "the day must have exactly 2 digits (01-31)"},
      {"06/19/1963 08:30:06 PST", "not a timestamp (expected YYYY-MM-DDThh:mm:ssZ)"},
      {"", "not a timestamp (expected YYYY-MM-DDThh:mm:ssZ)"},
      {"yesterday", "not a timestamp (expected YYYY-MM-DDThh:mm:ssZ)"},
      {" 2026-10-03T14:05:00Z", "not a timestamp (expected YYYY-MM-DDThh:mm:ssZ)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *why = bad_time(cases[i].in);
    if (strcmp(why, cases[i].why) != 0)
      print_error("\"%s\": got \"%s\"\n", cases[i].in, why);
    assert_string_equal(why, cases[i].why);
  }
}

/* The parser caches the last timestamp per thread; before anything is
 * cached, an empty field must still be rejected, not read as the cached
 * zero (1970-01-01T00:00:00Z): an empty `start` on the first row once
 * counted 56 years of downtime.  A new thread has an empty cache. */
static void *parse_empty_first(void *arg) {
  int *rc = arg;
  slac_time t = 0;
  const char *why = NULL;
  rc[0] = slac_time_parse("", 0, &t, &why);
  rc[1] = slac_time_parse("2026-10-03T14:05:00Z", 20, &t, &why);
  rc[2] = slac_time_parse("", 0, &t, &why);
  return NULL;
}

static void test_empty_rejected_before_any_cache(void **state) {
  (void)state;
  int rc[3] = {0, -1, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, parse_empty_first, rc), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  assert_int_equal(rc[0], -1);
  assert_int_equal(rc[1], 0);
  assert_int_equal(rc[2], -1);
}

static void test_length_is_respected(void **state) {
  (void)state;
  /* The parser reads LEN bytes, never up to a NUL: a CSV field is a view. */
  const char *s = "2026-10-03T14:05:00Z,next";
  slac_time t = 0;
  const char *why = NULL;
  assert_int_equal(slac_time_parse(s, 20, &t, &why), 0);
  assert_int_equal(t, 1791036300);
  assert_int_equal(slac_time_parse(s, 19, &t, &why), -1);
  assert_string_equal(why, "missing offset: add Z for UTC or an offset like +02:00");
  assert_int_equal(slac_time_parse(s, 21, &t, &why), -1);
  assert_string_equal(why, "unexpected text after the timestamp");
  assert_int_equal(slac_time_parse(s, 0, &t, &why), -1);
  static const char nul[] = "2026-10-03T14:05:00Z\0";
  assert_int_equal(slac_time_parse(nul, sizeof nul - 1, &t, &why), -1);
  assert_string_equal(why, "unexpected text after the timestamp");
}

static void test_part_rejections(void **state) {
  (void)state;
  int64_t v = 0;
  const char *why = NULL;
  assert_int_equal(slac_date_parse("2020-01-01Z", 11, &v, &why), -1);
  assert_string_equal(why, "unexpected text after the date");
  assert_int_equal(slac_date_parse("2023-W01", 8, &v, &why), -1);
  assert_string_equal(why, "the month must have exactly 2 digits (01-12)");
  assert_int_equal(slac_date_parse("x", 1, &v, &why), -1);
  assert_string_equal(why, "not a date (expected YYYY-MM-DD)");
  assert_int_equal(slac_time_of_day_parse("12:00:00", 8, &v, &why), -1);
  assert_string_equal(why, "missing offset: add Z for UTC or an offset like +02:00");
  assert_int_equal(slac_time_of_day_parse("12:00:00Zx", 10, &v, &why), -1);
  assert_string_equal(why, "unexpected text after the time");
  assert_int_equal(slac_time_of_day_parse("23:59:60+00:30", 14, &v, &why), -1);
  assert_string_equal(why, "second 60 is a leap second and exists only at 23:59:60 UTC");
}

/* ---- calendar and months ---------------------------------------------------- */

static void test_civil_round_trip(void **state) {
  (void)state;
  /* Every day of 0001..9999 converts back to itself, and consecutive days
   * step through the calendar one day at a time. */
  int64_t first = slac_days_from_civil(1, 1, 1), last = slac_days_from_civil(9999, 12, 31);
  assert_int_equal(first, -719162);
  assert_int_equal(last, 2932896);
  int64_t py = 0;
  int pm = 12, pd = 31;
  for (int64_t d = first; d <= last; d++) {
    int64_t y;
    int m, dd;
    slac_civil_from_days(d, &y, &m, &dd);
    if (dd != pd + 1) { /* a new month: the previous one was complete */
      assert_int_equal(dd, 1);
      assert_int_equal(pd, slac_month_days((slac_month)(py * 12 + pm - 1)));
      assert_int_equal(y * 12 + m, py * 12 + pm + 1);
    }
    assert_int_equal(slac_days_from_civil(y, m, dd), d);
    py = y, pm = m, pd = dd;
  }
  assert_int_equal(py, 9999);
}

static void test_month_edges(void **state) {
  (void)state;
  slac_month feb26 = 2026 * 12 + 1, feb24 = 2024 * 12 + 1;
  assert_int_equal(slac_month_days(feb26), 28);
  assert_int_equal(slac_month_minutes(feb26), 40320);
  assert_int_equal(slac_month_days(feb24), 29);
  assert_int_equal(slac_month_minutes(feb24), 41760);
  assert_int_equal(slac_month_days(2000 * 12 + 1), 29);
  assert_int_equal(slac_month_days(1900 * 12 + 1), 28);
  assert_int_equal(slac_month_days(2100 * 12 + 1), 28);
  assert_int_equal(slac_month_minutes(2026 * 12 + 8), 43200);  /* September */
  assert_int_equal(slac_month_minutes(2026 * 12 + 9), 44640);  /* October */
  assert_int_equal(slac_month_start(2026 * 12 + 9), ok_time("2026-10-01T00:00:00Z"));
  slac_time end_sep = ok_time("2026-09-30T23:59:59Z");
  assert_int_equal(slac_month_of(end_sep), 2026 * 12 + 8);
  assert_int_equal(slac_month_of(end_sep + 1), 2026 * 12 + 9);
  assert_int_equal(slac_month_start(1970 * 12), 0);
  assert_int_equal(slac_month_start(1969 * 12 + 11), -31 * 86400);
}

static void test_month_round_trips(void **state) {
  (void)state;
  slac_month first = 1 * 12, last = 9999 * 12 + 11;
  char buf[8];
  for (slac_month m = first; m <= last; m++) {
    slac_month_format(m, buf);
    slac_month back = -1;
    assert_int_equal(slac_month_parse(buf, 7, &back), 0);
    assert_int_equal(back, m);
    slac_time start = slac_month_start(m);
    assert_int_equal(slac_month_of(start), m);
    assert_int_equal(slac_month_of(start - 1), m - 1);
    if (m < last)
      assert_int_equal(slac_month_start(m + 1) - start, (int64_t)slac_month_days(m) * 86400);
  }
  slac_month_format(2026 * 12 + 9, buf);
  assert_string_equal(buf, "2026-10");
  slac_month_format(1 * 12, buf);
  assert_string_equal(buf, "0001-01");
  slac_month_format(10000 * 12, buf); /* beyond 4 digits: marked, not wrapped */
  assert_string_equal(buf, "?\?\?\?-01"); /* escaped: "??-" is a trigraph */
}

static void test_month_parse_rejects(void **state) {
  (void)state;
  static const char *const bad[] = {"2026-1",  "2026-13", "2026-00", "0000-01",  "2026/01",
                                    "2026-1x", "26-10",   "",        "2026-10 ", "+026-10"};
  slac_month m = 42;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(slac_month_parse(bad[i], strlen(bad[i]), &m), -1);
  assert_int_equal(m, 42);
  assert_int_equal(slac_month_parse("2026-10-01", 7, &m), 0); /* LEN decides */
  assert_int_equal(m, 2026 * 12 + 9);
  assert_int_equal(slac_month_parse("2026-10-01", 10, &m), -1);
}

static void test_time_format(void **state) {
  (void)state;
  char buf[32];
  slac_time_format(0, buf);
  assert_string_equal(buf, "1970-01-01T00:00:00Z");
  slac_time_format(1791036300, buf);
  assert_string_equal(buf, "2026-10-03T14:05:00Z");
  slac_time_format(INT64_C(253402300799), buf);
  assert_string_equal(buf, "9999-12-31T23:59:59Z");
  slac_time_format(INT64_C(-62135596800), buf);
  assert_string_equal(buf, "0001-01-01T00:00:00Z");
  slac_time_format(INT64_C(-62135596801), buf);
  assert_string_equal(buf, "0000-12-31T23:59:59Z");
  slac_time_format(INT64_C(253402300800), buf);
  assert_string_equal(buf, "10000-01-01T00:00:00Z");
  slac_time_format(INT64_C(-62167219201), buf); /* a second before 0000-01-01 */
  assert_string_equal(buf, "-0001-12-31T23:59:59Z");
  slac_time_format(INT64_MAX, buf);
  assert_string_equal(buf, "292277026596-12-04T15:30:07Z");
  slac_time_format(INT64_MIN, buf);
  assert_int_equal(strlen(buf), 29);
  /* Round trip through the parser across the whole range. */
  for (slac_time t = INT64_C(-62135596800); t < INT64_C(253402300799); t += 7777777) {
    slac_time_format(t, buf);
    assert_int_equal(ok_time(buf), t);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_labelled_datetime),
      cmocka_unit_test(test_labelled_date),
      cmocka_unit_test(test_labelled_time),
      cmocka_unit_test(test_offsets_same_instant),
      cmocka_unit_test(test_offset_moves_month),
      cmocka_unit_test(test_extremes),
      cmocka_unit_test(test_before_1970),
      cmocka_unit_test(test_fraction_truncated),
      cmocka_unit_test(test_feb29),
      cmocka_unit_test(test_leap_second_folded),
      cmocka_unit_test(test_rejections),
      cmocka_unit_test(test_empty_rejected_before_any_cache),
      cmocka_unit_test(test_length_is_respected),
      cmocka_unit_test(test_part_rejections),
      cmocka_unit_test(test_civil_round_trip),
      cmocka_unit_test(test_month_edges),
      cmocka_unit_test(test_month_round_trips),
      cmocka_unit_test(test_month_parse_rejects),
      cmocka_unit_test(test_time_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
