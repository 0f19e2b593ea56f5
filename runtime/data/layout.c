/* layout.c - the user's names for the columns of data files (layout.h). */
#include "runtime/data/layout.h"

#include <stdio.h>
#include <string.h>
#include "runtime/base/names.h"

const char slac_layout_columns[] =
    "account, service, start, end, cause, announced, requests, errors, time, ok";

static const char *const columns[] = {"account", "service", "start",  "end",  "cause",
                                      "announced", "requests", "errors", "time", "ok"};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

int slac_layout_add(slac_layout *l, const char *spec, char *err, size_t errsize) {
  const char *eq = strchr(spec, '=');
  if (!eq || eq == spec || !eq[1]) {
    snprintf(err, errsize, "--column expects COLUMN=NAME (for example start=ts), got '%s'", spec);
    return -1;
  }
  size_t clen = (size_t)(eq - spec);
  const char *column = NULL, *nearest = NULL;
  size_t best = 3;
  char given[65];
  snprintf(given, sizeof given, "%.*s", (int)(clen < 64 ? clen : 64), spec);
  for (size_t i = 0; i < NCOLUMNS; i++) {
    if (strlen(columns[i]) == clen && memcmp(columns[i], spec, clen) == 0) column = columns[i];
    size_t dist = slac_edit_distance(given, columns[i]);
    if (dist < best) best = dist, nearest = columns[i];
  }
  if (!column) {
    if (nearest)
      snprintf(err, errsize, "--column %s: '%s' is not a column of a data file: did you mean "
               "'%s'? (the columns are %s)", spec, given, nearest, slac_layout_columns);
    else
      snprintf(err, errsize, "--column %s: '%s' is not a column of a data file (the columns "
               "are %s)", spec, given, slac_layout_columns);
    return -1;
  }
  for (size_t i = 0; i < l->n; i++) {
    if (l->column[i] == column) {
      snprintf(err, errsize, "--column %s: the column '%s' is already read from '%s'", spec,
               column, l->name[i]);
      return -1;
    }
    if (strcmp(l->name[i], eq + 1) == 0) {
      snprintf(err, errsize, "--column %s: the file's column '%s' is already read as '%s'",
               spec, eq + 1, l->column[i]);
      return -1;
    }
  }
  if (l->n == SLAC_LAYOUT_MAX) { /* unreachable with distinct columns; kept as a bound */
    snprintf(err, errsize, "--column %s: too many mappings", spec);
    return -1;
  }
  l->column[l->n] = column;
  l->name[l->n] = eq + 1;
  l->n++;
  return 0;
}

const char *slac_layout_name(const slac_layout *l, const char *column) {
  for (size_t i = 0; l && i < l->n; i++)
    if (strcmp(l->column[i], column) == 0) return l->name[i];
  return column;
}
