/* timestamp.h - RFC 3339 timestamps and UTC calendar months.
 *
 * Every instant in slac is a slac_time: whole seconds since
 * 1970-01-01T00:00:00Z (negative before), in UTC.  Fractional seconds are
 * accepted on input and dropped (truncated toward the earlier second).
 * A leap second (hh:mm:60, allowed only where the UTC time is 23:59:60) is
 * folded into the second before it, so every month has exactly
 * days * 86400 seconds (POSIX time).
 *
 * Calendar months are numbered as slac_month = year * 12 + (month - 1), so
 * consecutive months are consecutive integers.
 */
#ifndef SLAC_TIMESTAMP_H
#define SLAC_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t slac_time;
typedef int32_t slac_month;

/* Parse an RFC 3339 date-time of exactly LEN bytes (no surrounding blanks):
 *   YYYY-MM-DD (T|t|space) hh:mm:ss [.fraction] (Z|z|+hh:mm|-hh:mm)
 * Years 0001..9999.  Rejects impossible dates (Feb 30, Feb 29 in a common
 * year), hour 24, minute 60, second 60 except a leap second, offsets beyond
 * +-23:59, missing offsets, non-ASCII digits and trailing bytes.
 * Returns 0 and sets *OUT, or -1 and sets *WHY to a short static phrase
 * ("the day 30 does not exist in February 2026", "missing offset: add Z
 * for UTC or +hh:mm", ...) that callers append to their message. */
int slac_time_parse(const char *s, size_t len, slac_time *out, const char **why);

/* The same rules for the parts alone, for RFC 3339 full-date and full-time
 * (used by tests of the labelled strings).  full-time requires an offset.
 * *OUT gets days since the epoch (date) or seconds since midnight UTC
 * (time, may be negative or past 86400 after applying the offset). */
int slac_date_parse(const char *s, size_t len, int64_t *days_out, const char **why);
int slac_time_of_day_parse(const char *s, size_t len, int64_t *secs_out, const char **why);

/* 0 when T lies in the years 0001..9999 UTC, the range of every parsed
 * time (so every month has a 4-digit year); else -1 with *WHY set. */
int slac_time_check_range(slac_time t, const char **why);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t slac_days_from_civil(int64_t year, int month, int day);
void slac_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* Calendar months (UTC). */
slac_month slac_month_of(slac_time t);            /* month containing T */
slac_time slac_month_start(slac_month m);         /* first second of M */
int slac_month_days(slac_month m);                /* 28..31 */
int64_t slac_month_minutes(slac_month m);         /* 40320..44640 */
/* "YYYY-MM" (7 bytes) <-> month; parse returns -1 on anything else. */
int slac_month_parse(const char *s, size_t len, slac_month *out);
void slac_month_format(slac_month m, char buf[8]);

/* Format T as "YYYY-MM-DDThh:mm:ssZ" into BUF (at least 21 bytes). */
void slac_time_format(slac_time t, char buf[32]);

#endif
