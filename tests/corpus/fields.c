/* fields.c - the corpus suite's checker: expected fields against a jsonl report.
 *
 *   corpus_fields CASE EXPECTED REPORT.jsonl
 *
 * REPORT.jsonl is what `slac eval ... --format jsonl` printed: one JSON
 * object per account and month.  EXPECTED holds one check per line
 * ('#' starts a comment line; blank lines are skipped):
 *
 *   ACCOUNT PERIOD [service=ID] KEY=VALUE ...
 *
 * Account-level keys are looked up in the outcome of ACCOUNT and PERIOD;
 * with service=ID, in that outcome's object of `services` whose "service"
 * is ID.  KEY may index an array, `reasons[1]`, `notes[0]`.  The value
 * found is printed plainly (a string without quotes, true, false, null,
 * an integer) and must equal VALUE exactly; a VALUE holding blanks is
 * written in double quotes, with \" and \\ as its only escapes.
 *
 * Every mismatch is printed as one line "FAIL CASE: ..." on stdout.  Exit
 * status: 0 every check holds, 1 some check failed, 2 a file could not be
 * read or a line of EXPECTED or REPORT is malformed (also printed as FAIL).
 *
 * Why C and jansson: the report's strings hold commas, quotes and
 * non-ASCII text (§), which no sh/awk split parses reliably; jansson is
 * already a dependency of the ingest layer.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LINE_MAX_LEN = 8192, TOKENS_MAX = 64 };

static const char *case_name = "?";

/* One report: the parsed outcomes, in file order. */
struct report {
  json_t **outcomes;
  size_t count;
};

static void fail(const char *expected_file, unsigned line, const char *what) {
  printf("FAIL %s: %s:%u: %s\n", case_name, expected_file, line, what);
}

/* Reads every line of PATH as one JSON object; 0 on success. */
static int report_read(const char *path, struct report *r) {
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("FAIL %s: cannot open %s\n", case_name, path);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  unsigned n = 0;
  int rc = 0;
  while ((len = getline(&line, &cap, f)) != -1) {
    n++;
    if (len <= 1)
      continue;
    json_error_t err;
    json_t *o = json_loads(line, 0, &err);
    if (!o || !json_is_object(o)) {
      printf("FAIL %s: report line %u is not a JSON object: %s\n", case_name, n,
             o ? "not an object" : err.text);
      json_decref(o);
      rc = -1;
      break;
    }
    json_t **grown = realloc(r->outcomes, (r->count + 1) * sizeof *grown);
    if (!grown) {
      json_decref(o);
      rc = -1;
      break;
    }
    r->outcomes = grown;
    r->outcomes[r->count++] = o;
  }
  free(line);
  fclose(f);
  return rc;
}

static void report_free(struct report *r) {
  for (size_t i = 0; i < r->count; i++)
    json_decref(r->outcomes[i]);
  free(r->outcomes);
}

static int string_is(json_t *o, const char *key, const char *want) {
  const char *s = json_string_value(json_object_get(o, key));
  return s && strcmp(s, want) == 0;
}

static json_t *outcome_find(const struct report *r, const char *account,
                            const char *period) {
  for (size_t i = 0; i < r->count; i++)
    if (string_is(r->outcomes[i], "account", account) &&
        string_is(r->outcomes[i], "period", period))
      return r->outcomes[i];
  return NULL;
}

static json_t *service_find(json_t *outcome, const char *service) {
  json_t *list = json_object_get(outcome, "services");
  size_t i;
  json_t *s;
  json_array_foreach(list, i, s) {
    if (string_is(s, "service", service))
      return s;
  }
  return NULL;
}

/* The value of KEY (possibly `name[N]`) in OBJECT, or NULL when absent. */
static json_t *value_get(json_t *object, const char *key) {
  const char *bracket = strchr(key, '[');
  if (!bracket)
    return json_object_get(object, key);
  char name[256];
  size_t n = (size_t)(bracket - key);
  if (n >= sizeof name)
    return NULL;
  memcpy(name, key, n);
  name[n] = '\0';
  char *end;
  unsigned long index = strtoul(bracket + 1, &end, 10);
  if (end == bracket + 1 || strcmp(end, "]") != 0)
    return NULL;
  return json_array_get(json_object_get(object, name), index);
}

/* Prints V plainly into BUF: strings without quotes, literals, integers;
 * anything else (a real, an array, an object) as compact JSON. */
static void value_plain(json_t *v, char *buf, size_t size) {
  if (!v) {
    snprintf(buf, size, "<missing>");
  } else if (json_is_string(v)) {
    snprintf(buf, size, "%s", json_string_value(v));
  } else if (json_is_integer(v)) {
    snprintf(buf, size, "%lld", (long long)json_integer_value(v));
  } else if (json_is_true(v)) {
    snprintf(buf, size, "true");
  } else if (json_is_false(v)) {
    snprintf(buf, size, "false");
  } else if (json_is_null(v)) {
    snprintf(buf, size, "null");
  } else {
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, size, "%s", s ? s : "<unprintable>");
    free(s);
  }
}

/* Splits LINE in place into blank-separated tokens; a token may hold a
 * quoted part ("..." with \" and \\), whose quotes are removed.  Returns
 * the number of tokens, or -1 for an unclosed quote or too many tokens. */
static int tokenize(char *line, char **tokens) {
  int n = 0;
  char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0' || *p == '\n' || *p == '\r')
      return n;
    if (n == TOKENS_MAX)
      return -1;
    tokens[n++] = p;
    char *out = p;
    int quoted = 0;
    while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'))) {
      if (*p == '"') {
        quoted = !quoted;
        p++;
      } else if (quoted && *p == '\\' && (p[1] == '"' || p[1] == '\\')) {
        *out++ = p[1];
        p += 2;
      } else {
        *out++ = *p++;
      }
    }
    if (quoted)
      return -1;
    int at_end = *p == '\0';
    *out = '\0';
    if (at_end)
      return n;
    p++;
  }
}

/* Checks one line of EXPECTED; returns 0 when every field holds, 1 when
 * one does not, 2 when the line is malformed. */
static int check_line(const struct report *r, const char *file, unsigned n,
                      char *line) {
  char *tokens[TOKENS_MAX];
  char what[LINE_MAX_LEN + 512];
  int count = tokenize(line, tokens);
  if (count < 0 || count < 3) {
    fail(file, n, "malformed line: want ACCOUNT PERIOD [service=ID] KEY=VALUE...");
    return 2;
  }
  json_t *outcome = outcome_find(r, tokens[0], tokens[1]);
  if (!outcome) {
    snprintf(what, sizeof what, "no outcome for account %s and period %s",
             tokens[0], tokens[1]);
    fail(file, n, what);
    return 1;
  }
  json_t *object = outcome;
  int first = 2;
  const char *service = NULL;
  if (strncmp(tokens[2], "service=", 8) == 0) {
    service = tokens[2] + 8;
    object = service_find(outcome, service);
    first = 3;
    if (!object) {
      snprintf(what, sizeof what, "%s %s: no service %s in the outcome",
               tokens[0], tokens[1], service);
      fail(file, n, what);
      return 1;
    }
  }
  int rc = 0;
  for (int i = first; i < count; i++) {
    char *eq = strchr(tokens[i], '=');
    if (!eq || eq == tokens[i]) {
      snprintf(what, sizeof what, "malformed check '%s': want KEY=VALUE", tokens[i]);
      fail(file, n, what);
      return 2;
    }
    *eq = '\0';
    const char *want = eq + 1;
    char got[LINE_MAX_LEN];
    value_plain(value_get(object, tokens[i]), got, sizeof got);
    if (strcmp(got, want) != 0) {
      snprintf(what, sizeof what, "%s %s%s%s %s: expected %s, got %s", tokens[0],
               tokens[1], service ? " service=" : "", service ? service : "",
               tokens[i], want, got);
      fail(file, n, what);
      rc = 1;
    }
  }
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: corpus_fields CASE EXPECTED REPORT.jsonl\n");
    return 2;
  }
  case_name = argv[1];
  struct report r = {NULL, 0};
  if (report_read(argv[3], &r) != 0) {
    report_free(&r);
    return 2;
  }
  FILE *f = fopen(argv[2], "r");
  if (!f) {
    printf("FAIL %s: cannot open %s\n", case_name, argv[2]);
    report_free(&r);
    return 2;
  }
  char line[LINE_MAX_LEN];
  unsigned n = 0;
  int worst = 0;
  while (fgets(line, sizeof line, f)) {
    n++;
    char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
      continue;
    int rc = check_line(&r, argv[2], n, p);
    if (rc > worst)
      worst = rc;
  }
  fclose(f);
  report_free(&r);
  return worst;
}
