/* header.c - column names matched loosely, twice-named and misspelled
 * columns reported (header.h). */
#include "runtime/data/header.h"

#include <string.h>
#include "runtime/base/names.h"

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

slac_field slac_header_name(slac_field f) {
  const char *p = f.ptr;
  size_t n = f.len;
  for (;;) {
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) { p += 3; n -= 3; }
    else if (n && (*p == ' ' || *p == '\t')) { p++; n--; }
    else break;
  }
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
  return (slac_field){p, n};
}

bool slac_header_has_prefix(slac_field f, const char *prefix, slac_field *rest) {
  slac_field h = slac_header_name(f);
  size_t n = strlen(prefix);
  if (h.len < n) return false;
  for (size_t i = 0; i < n; i++)
    if (lower(h.ptr[i]) != lower(prefix[i])) return false;
  if (rest) *rest = (slac_field){h.ptr + n, h.len - n};
  return true;
}

bool slac_header_is(slac_field f, const char *name) {
  slac_field rest;
  return slac_header_has_prefix(f, name, &rest) && rest.len == 0;
}

/* Is the unknown column H within two edits of NAME?  Names of three
 * letters or fewer ("ok", "end", "fee") allow one, else two letters of any
 * short column would match. */
static bool near(slac_field h, const char *name) {
  char a[65], b[65];
  if (h.len == 0 || h.len > 64 || strlen(name) > 64) return false;
  for (size_t i = 0; i < h.len; i++) a[i] = lower(h.ptr[i]);
  a[h.len] = 0;
  for (size_t i = 0; name[i]; i++) b[i] = lower(name[i]);
  b[strlen(name)] = 0;
  size_t d = slac_edit_distance(a, b);
  return d <= (strlen(name) <= 3 ? 1u : 2u);
}

/* The name column K has in the file. */
static const char *file_name(const slac_header_spec *spec, int k) {
  return spec->as && spec->as[k] ? spec->as[k] : spec->names[k];
}

int slac_header_read(slac_csv *csv, const char *path, const slac_header_spec *spec, int *col,
                     bool warn, slac_diags *d) {
  for (int k = 0; k < spec->nnames; k++) col[k] = -1;
  size_t nf = slac_csv_field_count(csv);
  for (size_t i = 0; i < nf; i++) {
    slac_field h = slac_csv_field(csv, i);
    bool known = false;
    for (int k = 0; k < spec->nnames; k++) {
      if (!slac_header_is(h, file_name(spec, k))) continue;
      known = true;
      if (col[k] >= 0) {
        if (file_name(spec, k) != spec->names[k])
          slac_diag_data(d, path, 1, NULL, "the column '%s' (read as '%s') appears twice in the "
                         "header (columns %d and %zu): which one holds the data is not clear",
                         file_name(spec, k), spec->names[k], col[k] + 1, i + 1);
        else
          slac_diag_data(d, path, 1, NULL, "the column '%s' appears twice in the header (columns "
                         "%d and %zu): which one holds the data is not clear",
                         spec->names[k], col[k] + 1, i + 1);
        return -1;
      }
      col[k] = (int)i;
    }
    if (known || !warn) continue;
    /* a column under its own name that the user's mapping reads from
     * another: it is not read, and the user must know */
    for (int k = 0; k < spec->nnames && !known; k++)
      if (file_name(spec, k) != spec->names[k] && slac_header_is(h, spec->names[k])) {
        known = true;
        slac_diag_data_warning(d, path, 1, "the column '%s' is not read: --column %s=%s reads "
                               "the %s from '%s'", spec->names[k], spec->names[k],
                               file_name(spec, k), spec->names[k], file_name(spec, k));
      }
    for (int k = 0; k < spec->nignored && !known; k++) known = slac_header_is(h, spec->ignored[k]);
    if (known || (spec->prefix && slac_header_has_prefix(h, spec->prefix, NULL))) continue;
    slac_field name = slac_header_name(h);
    for (int k = 0; k < spec->nnames; k++)
      if (near(name, file_name(spec, k))) {
        slac_diag_data_warning(d, path, 1, "the column '%.*s' is not one slac reads, and is "
                               "ignored: did you mean '%s'?",
                               (int)(name.len > 64 ? 64 : name.len), name.ptr, file_name(spec, k));
        break;
      }
  }
  return 0;
}
