/* testrun.c - one test case run and judged (testrun.h).  The outcome is
 * read back from the jsonl report, the same bytes `slac eval --format
 * jsonl` prints, so a test checks what users see. */
#include "cli/testrun.h"
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "runtime/base/tempfile.h"
#include "runtime/base/textdiff.h"
#include "runtime/eval/eval.h"

static const char *const kind_name[] = {"data", "accounts", "claims", "history"};

/* Write the inline inputs of C to temporary files: PATHS[i] is the file
 * to read for input i (the named file, or the copy).  Returns 0, or -1
 * after saying why on OUT. */
static int write_inputs(const slac_test_file *f, const slac_test_case *c, char **paths, FILE *out) {
  for (int i = 0; i < c->ninputs; i++) {
    const slac_test_input *in = &c->inputs[i];
    if (in->path) {
      paths[i] = in->path;
      continue;
    }
    char shown[512];
    /* named by the test file's base name: messages that an `expect
     * error` holds do not depend on the folder tests are run from */
    const char *base = strrchr(f->path, '/');
    snprintf(shown, sizeof shown, "<%s at %s:%d>", kind_name[in->kind], base ? base + 1 : f->path, in->line);
    char *tmpl = slac_temp_template("slac-test");
    int fd = tmpl ? slac_temp_create(tmpl, shown) : -1;
    if (fd < 0) {
      fprintf(out, "  cannot make a temporary file in %s: %s\n", slac_temp_dir(),
              tmpl ? strerror(errno) : "out of memory");
      free(tmpl);
      return -1;
    }
    paths[i] = tmpl;
    size_t done = 0;
    while (done < in->len) {
      ssize_t w = write(fd, in->text + done, in->len - done);
      if (w <= 0) break;
      done += (size_t)w;
    }
    if (close(fd) != 0 || done < in->len) {
      fprintf(out, "  cannot write %s: %s\n", tmpl, strerror(errno));
      return -1;
    }
  }
  return 0;
}

typedef struct {
  int rc;            /* slac_eval's */
  char *report, *diags;
  size_t report_len, diags_len;
} run_result;

static int evaluate(const slac_test_case *c, slac_test_policy *pol, char **paths, slac_format format,
                    int jobs, bool count, run_result *r) {
  memset(r, 0, sizeof *r);
  char *data[SLAC_TEST_MAX_DATA]; /* testfile.c allows no more */
  const char *accounts = NULL, *claims = NULL, *history = NULL;
  int ndata = 0;
  for (int i = 0; i < c->ninputs; i++) {
    switch (c->inputs[i].kind) {
    case SLAC_TIN_DATA: data[ndata++] = paths[i]; break;
    case SLAC_TIN_ACCOUNTS: accounts = paths[i]; break;
    case SLAC_TIN_CLAIMS: claims = paths[i]; break;
    case SLAC_TIN_HISTORY: history = paths[i]; break;
    }
  }
  FILE *rep = open_memstream(&r->report, &r->report_len);
  FILE *err = open_memstream(&r->diags, &r->diags_len);
  if (!rep || !err) {
    if (rep) fclose(rep);
    if (err) fclose(err);
    return -1;
  }
  slac_diags d;
  slac_diags_init(&d, err);
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = pol->p;
  o.accounts_path = accounts;
  o.claims_path = claims;
  o.history_path = history;
  o.data_paths = data;
  o.ndata = ndata;
  if (c->period[0]) {
    o.has_period = slac_month_parse(c->period, 7, &o.period) == 0;
  }
  o.format = format;
  o.out = rep;
  o.jobs = jobs;
  o.reason_hits = count ? pol->hits : NULL;
  r->rc = slac_eval(&o, &d);
  fclose(rep);
  fclose(err);
  return r->report && r->diags ? 0 : -1;
}

/* The text of a JSON scalar as a test writes it: strings bare. */
static void scalar_text(const json_t *v, char *buf, size_t size) {
  if (json_is_string(v)) snprintf(buf, size, "%s", json_string_value(v));
  else if (json_is_integer(v)) snprintf(buf, size, "%lld", (long long)json_integer_value(v));
  else if (json_is_true(v)) snprintf(buf, size, "true");
  else if (json_is_false(v)) snprintf(buf, size, "false");
  else if (json_is_null(v)) snprintf(buf, size, "null");
  else {
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, size, "%s", t ? t : "?");
    free(t);
  }
}

/* The outcome of ACCOUNT and MONTH in the jsonl REPORT, or NULL. */
static json_t *find_outcome(const char *report, const char *account, const char *month) {
  for (const char *line = report; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    json_t *o = json_loadb(line, len, 0, NULL);
    if (o && strcmp(json_string_value(json_object_get(o, "account")) ? json_string_value(json_object_get(o, "account")) : "", account) == 0 &&
        json_string_value(json_object_get(o, "period")) &&
        strcmp(json_string_value(json_object_get(o, "period")), month) == 0)
      return o;
    json_decref(o);
    line = end ? end + 1 : line + len;
  }
  return NULL;
}

/* Check one field or reason expectation; on a difference write it to
 * OUT and return 1. */
static int check_field(const slac_test_expect *e, const char *report, FILE *out) {
  json_t *o = find_outcome(report, e->account, e->month);
  if (!o) {
    fprintf(out, "  line %d: no outcome for account %s, %s\n", e->line, e->account, e->month);
    return 1;
  }
  int failed = 0;
  if (e->kind == SLAC_TEXP_REASON) {
    bool found = false;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(o, "reasons"), i, r) found |= json_is_string(r) && strcmp(json_string_value(r), e->value) == 0;
    if (!found) {
      fprintf(out, "  line %d: %s %s has no reason \"%s\"; its reasons:\n", e->line, e->account, e->month, e->value);
      json_array_foreach(json_object_get(o, "reasons"), i, r) fprintf(out, "    %s\n", json_string_value(r));
      failed = 1;
    }
    json_decref(o);
    return failed;
  }
  /* SERVICE.FIELD, or a field of the account's outcome */
  const json_t *holder = o;
  const char *field = e->field, *dot = strchr(e->field, '.');
  if (dot) {
    holder = NULL;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(o, "services"), i, s) {
      const char *id = json_string_value(json_object_get(s, "service"));
      if (id && strlen(id) == (size_t)(dot - e->field) && memcmp(id, e->field, (size_t)(dot - e->field)) == 0) holder = s;
    }
    field = dot + 1;
    if (!holder) {
      fprintf(out, "  line %d: %s %s has no service '%.*s'\n", e->line, e->account, e->month,
              (int)(dot - e->field), e->field);
      json_decref(o);
      return 1;
    }
  }
  const json_t *v = json_object_get(holder, field);
  char got[4096];
  if (!v) {
    fprintf(out, "  line %d: %s %s: no field '%s' in the outcome\n", e->line, e->account, e->month, e->field);
    failed = 1;
  } else {
    scalar_text(v, got, sizeof got);
    if (strcmp(got, e->value) != 0) {
      fprintf(out, "  line %d: %s %s %s: expected %s, got %s\n", e->line, e->account, e->month, e->field,
              e->value, got);
      failed = 1;
    }
  }
  json_decref(o);
  return failed;
}

/* Blank lines at the end do not count: a block in a test file cannot
 * end with one. */
static size_t trimmed(const char *text, size_t len) {
  while (len >= 2 && text[len - 1] == '\n' && text[len - 2] == '\n') len--;
  return len;
}

static int check_block(const slac_test_expect *e, const char *what, const char *got, size_t got_len, FILE *out) {
  size_t want_len = trimmed(e->value, e->len);
  got_len = trimmed(got, got_len);
  if (got_len == want_len && memcmp(got, e->value, got_len) == 0) return 0;
  fprintf(out, "  line %d: not the expected %s (- expected, + got):\n", e->line, what);
  slac_unified_diff(out, "expected", e->value, want_len, "got", got, got_len);
  return 1;
}

/* TITLE, then each line of TEXT indented by four spaces. */
static void put_indented(FILE *out, const char *title, const char *text) {
  fputs(title, out);
  for (const char *l = text; *l;) {
    const char *end = strchr(l, '\n');
    size_t len = end ? (size_t)(end - l) + 1 : strlen(l);
    fprintf(out, "    %.*s", (int)len, l);
    l += len;
  }
}

int slac_test_run(const slac_test_file *f, const slac_test_case *c, slac_test_policy *pol, int jobs,
                  FILE *out) {
  char **paths = calloc((size_t)c->ninputs + 1, sizeof *paths);
  if (!paths) return -1;
  int result = 0;
  if (write_inputs(f, c, paths, out) != 0) {
    result = -1;
    goto done;
  }
  pol->cases++;
  /* the jsonl report always (fields and reasons are read from it), text
   * and csv when a test expects them */
  bool wants[3] = {false, false, false}, wants_error = false, wants_warnings = false;
  for (int i = 0; i < c->nexpects; i++) {
    slac_test_expect_kind k = c->expects[i].kind;
    if (k == SLAC_TEXP_TEXT) wants[SLAC_FORMAT_TEXT] = true;
    if (k == SLAC_TEXP_CSV) wants[SLAC_FORMAT_CSV] = true;
    wants_error |= k == SLAC_TEXP_ERROR;
    wants_warnings |= k == SLAC_TEXP_WARNINGS;
  }
  run_result rr[3];
  memset(rr, 0, sizeof rr);
  int failed_run = evaluate(c, pol, paths, SLAC_FORMAT_JSONL, jobs, true, &rr[SLAC_FORMAT_JSONL]);
  for (int fm = 0; fm < 3 && !failed_run; fm++)
    if (wants[fm] && rr[SLAC_FORMAT_JSONL].rc == 0)
      failed_run = evaluate(c, pol, paths, (slac_format)fm, jobs, false, &rr[fm]);
  run_result *jr = &rr[SLAC_FORMAT_JSONL];
  if (failed_run) {
    result = -1;
  } else if (jr->rc != 0 && !wants_error) {
    put_indented(out, "  the evaluation failed:\n", jr->diags);
    result = 1;
  } else if (jr->rc == 0 && wants_error) {
    fprintf(out, "  an error was expected, and the evaluation succeeded\n");
    result = 1;
  } else {
    if (jr->rc == 0 && !wants_warnings && jr->diags_len > 0) {
      /* warnings no expectation holds are a difference too: a test that
       * passes says everything the run said */
      put_indented(out, "  warnings that no `expect warnings` holds:\n", jr->diags);
      result = 1;
    }
    for (int i = 0; i < c->nexpects; i++) {
      const slac_test_expect *e = &c->expects[i];
      switch (e->kind) {
      case SLAC_TEXP_FIELD:
      case SLAC_TEXP_REASON: result |= check_field(e, jr->report, out); break;
      case SLAC_TEXP_JSONL: result |= check_block(e, "jsonl report", jr->report, jr->report_len, out); break;
      case SLAC_TEXP_TEXT:
        result |= check_block(e, "text report", rr[SLAC_FORMAT_TEXT].report, rr[SLAC_FORMAT_TEXT].report_len, out);
        break;
      case SLAC_TEXP_CSV:
        result |= check_block(e, "csv report", rr[SLAC_FORMAT_CSV].report, rr[SLAC_FORMAT_CSV].report_len, out);
        break;
      case SLAC_TEXP_ERROR:
      case SLAC_TEXP_WARNINGS: result |= check_block(e, "diagnostics", jr->diags, jr->diags_len, out); break;
      }
    }
  }
  for (int fm = 0; fm < 3; fm++) {
    free(rr[fm].report);
    free(rr[fm].diags);
  }
done:
  for (int i = 0; i < c->ninputs; i++)
    if (paths[i] && !c->inputs[i].path) {
      slac_temp_remove(paths[i]);
      free(paths[i]);
    }
  free(paths);
  return result;
}
