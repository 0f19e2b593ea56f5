/* row.c - the type slac_row and its constructors: one account, incident,
 * request window or probe as slac's CSV record of that kind, so that the
 * rows of a group are read by libslac exactly as a file's lines would be.
 * Times are written as RFC 3339 in UTC, fees as numeric's own digits, and
 * NULL as an empty field, which the readers judge as they would in a file
 * (an empty account or time is an error naming the row). */
#include "slac_pg.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

/* A row: a varlena whose first byte is its kind (0..3), then the record. */
static bytea *finish(StringInfo s) {
  appendStringInfoChar(s, '\n');
  SET_VARSIZE(s->data, s->len);
  return (bytea *)s->data;
}

static void start(StringInfo s, int kind) {
  /* a row is short: not initStringInfo's 1 kB */
  s->maxlen = 128;
  s->data = palloc(s->maxlen);
  s->data[0] = '\0';
  s->len = 0;
  s->cursor = 0;
  appendStringInfoSpaces(s, VARHDRSZ);
  appendStringInfoChar(s, (char)kind);
}

/* One field, quoted (RFC 4180) only when it must be. */
static void field(StringInfo s, const char *v, int len, bool last) {
  bool quote = false;
  for (int i = 0; i < len && !quote; i++)
    quote = v[i] == ',' || v[i] == '"' || v[i] == '\n' || v[i] == '\r';
  if (!quote) appendBinaryStringInfo(s, v, len);
  else {
    appendStringInfoChar(s, '"');
    for (int i = 0; i < len; i++) {
      if (v[i] == '"') appendStringInfoChar(s, '"');
      appendStringInfoChar(s, v[i]);
    }
    appendStringInfoChar(s, '"');
  }
  if (!last) appendStringInfoChar(s, ',');
}

static void text_field(StringInfo s, FunctionCallInfo fcinfo, int arg, bool last) {
  if (PG_ARGISNULL(arg)) { if (!last) appendStringInfoChar(s, ','); return; }
  text *t = PG_GETARG_TEXT_PP(arg);
  field(s, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), last);
}

/* V in exactly N decimal digits (V < 10^N). */
static void digits(char *out, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10) out[i] = (char)('0' + v % 10);
}

/* T as RFC 3339 in UTC: 2026-10-03T14:05:00Z, with its microseconds when
 * it has some (slac counts whole seconds, dropping them). */
static void time_field(StringInfo s, FunctionCallInfo fcinfo, int arg, const char *what,
                       bool last) {
  if (PG_ARGISNULL(arg)) { if (!last) appendStringInfoChar(s, ','); return; }
  TimestampTz t = PG_GETARG_TIMESTAMPTZ(arg);
  if (TIMESTAMP_NOT_FINITE(t))
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("%s is infinite", what), errhint("give a time of the years 0001 to 9999")));
  /* microseconds since 2000-01-01 to seconds since 1970-01-01 */
  int64 secs = t / USECS_PER_SEC, us = t % USECS_PER_SEC;
  if (us < 0) { us += USECS_PER_SEC; secs--; }
  secs += (int64)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
  int64 days = secs / SECS_PER_DAY, sod = secs % SECS_PER_DAY;
  if (sod < 0) { sod += SECS_PER_DAY; days--; }
  int year, month, day;
  j2date((int)(days + UNIX_EPOCH_JDATE), &year, &month, &day);
  if (year < 1 || year > 9999)
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("%s is outside the years 0001 to 9999 that RFC 3339 writes", what)));
  char buf[32];
  int v[6] = {year, month, day, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60)};
  digits(buf, v[0], 4);
  for (int i = 1; i < 6; i++) {
    buf[4 + 3 * (i - 1)] = "--T::"[i - 1];
    digits(buf + 5 + 3 * (i - 1), v[i], 2);
  }
  int n = 19;
  if (us) { buf[n++] = '.'; digits(buf + n, (int)us, 6); n += 6; }
  buf[n++] = 'Z';
  if (!last) buf[n++] = ',';
  appendBinaryStringInfo(s, buf, n);
}

static void count_field(StringInfo s, FunctionCallInfo fcinfo, int arg, const char *what,
                        bool last) {
  if (PG_ARGISNULL(arg)) { if (!last) appendStringInfoChar(s, ','); return; }
  int64 v = PG_GETARG_INT64(arg);
  if (v < 0)
    ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("%s is negative: " INT64_FORMAT, what, v),
                    errhint("a count of requests or errors is 0 or more")));
  char t[24];
  int n = 0;
  do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  enlargeStringInfo(s, n + 1);
  while (n) s->data[s->len++] = t[--n];
  if (!last) s->data[s->len++] = ',';
  s->data[s->len] = '\0';
}

PG_FUNCTION_INFO_V1(slac_pg_account);
Datum slac_pg_account(PG_FUNCTION_ARGS) {
  StringInfoData s;
  start(&s, SLAC_API_ACCOUNTS);
  /* slac's columns: account,service,fee,currency,plan,standing */
  text_field(&s, fcinfo, 0, false);
  text_field(&s, fcinfo, 5, false);
  if (PG_ARGISNULL(1)) appendStringInfoChar(&s, ',');
  else {
    char *fee = DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(1)));
    field(&s, fee, (int)strlen(fee), false);
  }
  text_field(&s, fcinfo, 2, false);
  text_field(&s, fcinfo, 3, false);
  text_field(&s, fcinfo, 4, true);
  PG_RETURN_BYTEA_P(finish(&s));
}

PG_FUNCTION_INFO_V1(slac_pg_incident);
Datum slac_pg_incident(PG_FUNCTION_ARGS) {
  StringInfoData s;
  start(&s, SLAC_API_INCIDENTS);
  text_field(&s, fcinfo, 0, false);
  text_field(&s, fcinfo, 1, false);
  time_field(&s, fcinfo, 2, "start", false);
  time_field(&s, fcinfo, 3, "end", false);
  text_field(&s, fcinfo, 4, false);
  time_field(&s, fcinfo, 5, "announced", true);
  PG_RETURN_BYTEA_P(finish(&s));
}

PG_FUNCTION_INFO_V1(slac_pg_window);
Datum slac_pg_window(PG_FUNCTION_ARGS) {
  StringInfoData s;
  start(&s, SLAC_API_WINDOWS);
  text_field(&s, fcinfo, 0, false);
  text_field(&s, fcinfo, 1, false);
  time_field(&s, fcinfo, 2, "start", false);
  count_field(&s, fcinfo, 3, "requests", false);
  count_field(&s, fcinfo, 4, "errors", true);
  PG_RETURN_BYTEA_P(finish(&s));
}

PG_FUNCTION_INFO_V1(slac_pg_probe);
Datum slac_pg_probe(PG_FUNCTION_ARGS) {
  StringInfoData s;
  start(&s, SLAC_API_PROBES);
  text_field(&s, fcinfo, 0, false);
  text_field(&s, fcinfo, 1, false);
  time_field(&s, fcinfo, 2, "time", false);
  if (!PG_ARGISNULL(3)) appendStringInfoString(&s, PG_GETARG_BOOL(3) ? "true" : "false");
  PG_RETURN_BYTEA_P(finish(&s));
}

/* Text form: KIND:RECORD, "window:acme,api,2026-10-01T00:00:00Z,120,0". */
PG_FUNCTION_INFO_V1(slac_pg_row_in);
Datum slac_pg_row_in(PG_FUNCTION_ARGS) {
  const char *in = PG_GETARG_CSTRING(0);
  const char *colon = strchr(in, ':');
  int kind = -1;
  for (int k = 0; colon && k < SLAC_PG_NTABLES; k++)
    if ((size_t)(colon - in) == strlen(slac_pg_kind_names[k]) &&
        strncmp(in, slac_pg_kind_names[k], colon - in) == 0)
      kind = k;
  if (kind < 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                    errmsg("invalid input syntax for type slac_row: \"%s\"", in),
                    errdetail("a row starts with its kind: account:, incident:, window: or probe:"),
                    errhint("build rows with slac_account, slac_incident, slac_window or slac_probe")));
  /* one record: a line break only inside quotes */
  bool quoted = false;
  for (const char *p = colon + 1; *p; p++) {
    if (*p == '"') quoted = !quoted;
    else if ((*p == '\n' || *p == '\r') && !quoted)
      ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                      errmsg("invalid input syntax for type slac_row: a line break outside quotes"),
                      errdetail("a row is one CSV record; quote a field that holds a line break")));
  }
  if (quoted)
    ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                    errmsg("invalid input syntax for type slac_row: a quote is never closed")));
  StringInfoData s;
  start(&s, kind);
  appendStringInfoString(&s, colon + 1);
  PG_RETURN_BYTEA_P(finish(&s));
}

PG_FUNCTION_INFO_V1(slac_pg_row_out);
Datum slac_pg_row_out(PG_FUNCTION_ARGS) {
  bytea *row = PG_GETARG_BYTEA_PP(0);
  const char *p = VARDATA_ANY(row);
  int len = (int)VARSIZE_ANY_EXHDR(row);
  StringInfoData s;
  initStringInfo(&s);
  if (len < 2 || (unsigned char)p[0] >= SLAC_PG_NTABLES)
    ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("a slac_row is damaged")));
  appendStringInfo(&s, "%s:", slac_pg_kind_names[(unsigned char)p[0]]);
  appendBinaryStringInfo(&s, p + 1, len - 2); /* without its line break */
  PG_RETURN_CSTRING(s.data);
}
