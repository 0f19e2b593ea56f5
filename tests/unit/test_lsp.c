/* test_lsp.c - the language server driven by a scripted client
 * (lsp/server.h): each test writes the client's messages, runs the
 * server over them (standard input and output are memory streams), and
 * checks every message that came back, exactly.  Malformed input - bad
 * lengths, bad JSON, unknown methods, an input cut in the middle - gets
 * errors, never a crash or a hang. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "lsp/server.h"
#include "support.h"

typedef struct {
  char *text;
  size_t len;
  FILE *f;
} script;

static void open_script(script *s) {
  s->text = NULL;
  s->len = 0;
  s->f = open_memstream(&s->text, &s->len);
  assert_non_null(s->f);
}

/* A message framed as the protocol says, its JSON given as text. */
static void send_raw(script *s, const char *json) {
  fprintf(s->f, "Content-Length: %zu\r\n\r\n%s", strlen(json), json);
}

/* A message built with json_pack (the object is consumed). */
static void send_json(script *s, json_t *o) {
  assert_non_null(o);
  char *t = json_dumps(o, JSON_COMPACT);
  assert_non_null(t);
  send_raw(s, t);
  free(t);
  json_decref(o);
}

static void send_initialize(script *s) {
  send_raw(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
  send_raw(s, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
}

static void send_shutdown_exit(script *s, int id) {
  char m[128];
  snprintf(m, sizeof m, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"shutdown\"}", id);
  send_raw(s, m);
  send_raw(s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
}

static char *read_text(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *t = NULL;
  size_t cap = 0;
  FILE *m = open_memstream(&t, &cap);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, m);
  fclose(f);
  fclose(m);
  *len = cap;
  return t;
}

static void send_open(script *s, const char *uri, const char *text) {
  send_json(s, json_pack("{s:s,s:s,s:{s:{s:s,s:s,s:i,s:s}}}", "jsonrpc", "2.0", "method",
                         "textDocument/didOpen", "params", "textDocument", "uri", uri, "languageId",
                         "slac", "version", 1, "text", text));
}

static void send_at(script *s, int id, const char *method, const char *uri, int line, int character) {
  send_json(s, json_pack("{s:s,s:i,s:s,s:{s:{s:s},s:{s:i,s:i}}}", "jsonrpc", "2.0", "id", id, "method",
                         method, "params", "textDocument", "uri", uri, "position", "line", line,
                         "character", character));
}

/* The server's answers: each message's JSON text, in order. */
typedef struct {
  char *msgs[64];
  int n;
  int status;
} answers;

static void serve(script *s, answers *a) {
  fclose(s->f);
  FILE *in = fmemopen(s->text, s->len ? s->len : 1, "rb");
  assert_non_null(in);
  if (s->len == 0) getc(in); /* an empty input (fmemopen needs a size) */
  char *out = NULL;
  size_t outlen = 0;
  FILE *o = open_memstream(&out, &outlen);
  assert_non_null(o);
  a->status = slac_lsp_serve(in, o);
  fclose(in);
  fclose(o);
  free(s->text);
  /* split the framed output */
  a->n = 0;
  const char *p = out, *end = out + outlen;
  while (p < end) {
    size_t len;
    assert_int_equal(sscanf(p, "Content-Length: %zu\r\n\r\n", &len), 1);
    const char *body = strstr(p, "\r\n\r\n");
    assert_non_null(body);
    body += 4;
    assert_true(body + len <= end);
    assert_true(a->n < 64);
    a->msgs[a->n] = strndup(body, len);
    a->n++;
    p = body + len;
  }
  free(out);
}

static void free_answers(answers *a) {
  for (int i = 0; i < a->n; i++) free(a->msgs[i]);
}

static void expect(const answers *a, int i, const char *json) {
  if (i >= a->n) fail_msg("answer %d missing (%d answers)", i, a->n);
  if (strcmp(a->msgs[i], json) != 0) fail_msg("answer %d:\n%s\nexpected:\n%s", i, a->msgs[i], json);
}

#define INIT_RESULT                                                                              \
  "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"capabilities\":{\"textDocumentSync\":{\"openClose\":" \
  "true,\"change\":1},\"documentFormattingProvider\":true,\"hoverProvider\":true,"               \
  "\"definitionProvider\":true,\"completionProvider\":{},\"positionEncoding\":\"utf-16\"},"      \
  "\"serverInfo\":{\"name\":\"slac\",\"version\":\"" SLAC_VERSION "\"}}}"

#define URI "file:///policies/saleor.sla"

/* The session of the issue: initialize, open saleor.sla, the gap warning
 * at its line and column, format, hover, definition, shutdown, exit. */
static void test_session_on_saleor(void **state) {
  (void)state;
  size_t len;
  char *text = read_text(SLAC_SOURCE_DIR "/policies/saleor.sla", &len);
  script s;
  open_script(&s);
  send_initialize(&s);
  send_open(&s, URI, text);
  send_json(&s, json_pack("{s:s,s:i,s:s,s:{s:{s:s},s:{}}}", "jsonrpc", "2.0", "id", 2, "method",
                          "textDocument/formatting", "params", "textDocument", "uri", URI, "options"));
  send_at(&s, 3, "textDocument/hover", URI, 26, 12);   /* maintenance, in exclude */
  send_at(&s, 4, "textDocument/hover", URI, 12, 11);   /* covered, the service */
  send_at(&s, 5, "textDocument/hover", URI, 29, 47);   /* §5(iii) */
  send_at(&s, 6, "textDocument/definition", URI, 12, 12);
  send_at(&s, 7, "textDocument/hover", URI, 0, 0);     /* a comment: nothing */
  send_shutdown_exit(&s, 8);
  answers a;
  serve(&s, &a);
  assert_int_equal(a.status, 0);
  expect(&a, 0, INIT_RESULT);
  /* saleor.sla line 15 "    commit 99.99%": the gap warning at 99.99% */
  expect(&a, 1,
         "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":"
         "\"" URI "\",\"version\":1,\"diagnostics\":[{\"range\":{\"start\":{\"line\":14,\"character\":"
         "11},\"end\":{\"line\":14,\"character\":17}},\"severity\":2,\"source\":\"slac\",\"message\":"
         "\"gap between the commitment and the first credit tier: an uptime at or above 99.95% and "
         "below 99.99% misses the commitment of 99.99% but no tier gives credit\"}]}}");
  expect(&a, 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[]}"); /* formatted already */
  expect(&a, 3,
         "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"contents\":{\"kind\":\"markdown\",\"value\":"
         "\"**cause `maintenance`**: a standard cause of slac (docs/language.md)\\n\\nexcluded or "
         "counted by:\\n\\n- line 27: `exclude maintenance up to 10 min per month  §2 §5(i)`\\n\"},"
         "\"range\":{\"start\":{\"line\":26,\"character\":10},\"end\":{\"line\":26,\"character\":21}}}}");
  expect(&a, 4,
         "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"contents\":{\"kind\":\"markdown\",\"value\":"
         "\"**service `covered`** \\\"Covered Services\\\"\\n\\n- line 14: `measure unavailable "
         "minutes               §1`\\n- line 15: `commit 99.99%                             §3`\\n\"},"
         "\"range\":{\"start\":{\"line\":12,\"character\":10},\"end\":{\"line\":12,\"character\":17}}}}");
  expect(&a, 5,
         "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"contents\":{\"kind\":\"markdown\",\"value\":"
         "\"**§5(iii)** of the agreement, cited by:\\n\\n- line 30: `exclude aup_violation              "
         "         §5(iii)`\\n\"},\"range\":{\"start\":{\"line\":29,\"character\":46},\"end\":{"
         "\"line\":29,\"character\":53}}}}");
  expect(&a, 6,
         "{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{\"uri\":\"" URI "\",\"range\":{\"start\":{\"line\":"
         "12,\"character\":10},\"end\":{\"line\":12,\"character\":17}}}}");
  expect(&a, 7, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}");
  expect(&a, 8, "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":null}");
  assert_int_equal(a.n, 9);
  free_answers(&a);
  free(text);
}

/* A change is checked again; formatting gives one edit over the whole
 * text; a declared cause's definition; completion lists keywords,
 * causes and services; close clears the diagnostics. */
static void test_change_format_complete(void **state) {
  (void)state;
  static const char v1[] = "policy p version 1 {\n  currency USD\n}\n";
  static const char v2[] =
      "policy p version 1 {\n currency USD\n  service api \"API\" { measure unavailable minutes  commit 99.9% }\n"
      "  cause late \"Late delivery\"\n  exclude late\n}\n";
  script s;
  open_script(&s);
  send_initialize(&s);
  send_open(&s, "file:///p.sla", v1);
  send_json(&s, json_pack("{s:s,s:s,s:{s:{s:s,s:i},s:[{s:s}]}}", "jsonrpc", "2.0", "method",
                          "textDocument/didChange", "params", "textDocument", "uri", "file:///p.sla",
                          "version", 2, "contentChanges", "text", v2));
  send_json(&s, json_pack("{s:s,s:i,s:s,s:{s:{s:s},s:{}}}", "jsonrpc", "2.0", "id", 2, "method",
                          "textDocument/formatting", "params", "textDocument", "uri", "file:///p.sla",
                          "options"));
  send_at(&s, 3, "textDocument/definition", "file:///p.sla", 4, 11);
  send_at(&s, 4, "textDocument/completion", "file:///p.sla", 4, 0);
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":"
               "{\"uri\":\"file:///p.sla\"}}}");
  send_at(&s, 5, "textDocument/hover", "file:///p.sla", 4, 11);
  send_shutdown_exit(&s, 6);
  answers a;
  serve(&s, &a);
  assert_int_equal(a.status, 0);
  expect(&a, 1,
         "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":"
         "\"file:///p.sla\",\"version\":1,\"diagnostics\":[{\"range\":{\"start\":{\"line\":0,"
         "\"character\":7},\"end\":{\"line\":0,\"character\":8}},\"severity\":1,\"source\":\"slac\","
         "\"message\":\"the policy has no service: add one, like `service api \\\"API\\\" { measure "
         "unavailable minutes  commit 99.9% }`\"}]}}");
  expect(&a, 2,
         "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":"
         "\"file:///p.sla\",\"version\":2,\"diagnostics\":[{\"range\":{\"start\":{\"line\":2,"
         "\"character\":10},\"end\":{\"line\":2,\"character\":13}},\"severity\":2,\"source\":"
         "\"slac\",\"message\":\"service 'api' has no credit schedule: missing its commitment never "
         "gives credit\"}]}}");
  expect(&a, 3,
         "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[{\"range\":{\"start\":{\"line\":0,\"character\":0},"
         "\"end\":{\"line\":6,\"character\":0}},\"newText\":\"policy p version 1 {\\n  currency USD\\n"
         "  service api \\\"API\\\" {\\n    measure unavailable minutes\\n    commit 99.9%\\n  }\\n"
         "  cause late \\\"Late delivery\\\"\\n  exclude late\\n}\\n\"}]}");
  expect(&a, 4,
         "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"uri\":\"file:///p.sla\",\"range\":{\"start\":{"
         "\"line\":3,\"character\":8},\"end\":{\"line\":3,\"character\":12}}}}");
  /* completion: the declared names first, then the standard causes and
   * the words of the language */
  json_t *c = json_loads(a.msgs[5], 0, NULL);
  assert_non_null(c);
  json_t *items = json_object_get(json_object_get(c, "result"), "items");
  assert_true(json_array_size(items) > 100);
  assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "label")), "api");
  assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "label")), "late");
  bool commit = false, maintenance = false;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    const char *label = json_string_value(json_object_get(it, "label"));
    commit |= strcmp(label, "commit") == 0 && json_integer_value(json_object_get(it, "kind")) == 14;
    maintenance |= strcmp(label, "maintenance") == 0;
  }
  assert_true(commit && maintenance);
  json_decref(c);
  expect(&a, 6,
         "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":"
         "\"file:///p.sla\",\"version\":0,\"diagnostics\":[]}}");
  expect(&a, 7,
         "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,\"message\":\"params need the "
         "textDocument.uri of an open document (and a position)\"}}");
  assert_int_equal(a.n, 9);
  free_answers(&a);
}

/* Malformed messages each get an error with a null id; reading goes on
 * at the next message. */
static void test_malformed(void **state) {
  (void)state;
  script s;
  open_script(&s);
  fputs("Content-Length: abc\r\n\r\n", s.f);                 /* not a number */
  fputs("Content-Length: 99999999999\r\n\r\n", s.f);         /* too large */
  fputs("Content-Type: application/json\r\n\r\n", s.f);      /* no length */
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,");                /* not JSON */
  send_raw(&s, "[1,2,3]");                                       /* not an object */
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/hover\"}"); /* too early */
  send_initialize(&s);
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"workspace/symbol\",\"params\":{}}");
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":[3],\"method\":\"shutdown\"}");  /* bad id */
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":4}");                             /* no method */
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/hover\",\"params\":7}");
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{}}");
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"unknown/notification\"}");  /* ignored */
  /* nesting deeper than the JSON reader takes */
  char deep[6000];
  memset(deep, '[', 3000);
  memset(deep + 3000, ']', 3000);
  fprintf(s.f, "Content-Length: 6000\r\n\r\n");
  fwrite(deep, 1, 6000, s.f);
  /* a shorter length than the body: the rest is read as headers */
  fputs("Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"shutdown\"}\r\n\r\n", s.f);
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"shutdown\"}");
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"shutdown\"}");   /* after shutdown */
  send_raw(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
  answers a;
  serve(&s, &a);
  assert_int_equal(a.status, 0);
  static const char *const want[] = {
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"the Content-Length "
      "header is not a number of bytes up to 67108864\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"the Content-Length "
      "header is not a number of bytes up to 67108864\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"a message without a "
      "Content-Length header\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"the message is not "
      "JSON: string or '}' expected near end of file (line 1, column 24)\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"a message is a JSON "
      "object, with \\\"jsonrpc\\\": \\\"2.0\\\"\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32002,\"message\":\"the first request must "
      "be initialize\"}}",
      INIT_RESULT,
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32601,\"message\":\"unknown method "
      "'workspace/symbol'\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"a request has a "
      "\\\"method\\\" string and an integer or string \\\"id\\\"\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32600,\"message\":\"a request has a "
      "\\\"method\\\" string and an integer or string \\\"id\\\"\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,\"message\":\"params need the "
      "textDocument.uri of an open document (and a position)\"}}",
      NULL, /* the deep nesting: a parse error (jansson's wording) */
      NULL, /* 10 bytes of a body: not JSON */
      NULL, /* the rest of that body, read as a header block without a length */
      "{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":null}",
      "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":-32600,\"message\":\"the server is shut "
      "down: only exit is accepted\"}}",
  };
  int n = (int)(sizeof want / sizeof want[0]);
  for (int i = 0; i < n; i++) {
    if (want[i]) expect(&a, i, want[i]);
    else if (i < a.n) assert_non_null(strstr(a.msgs[i], "\"id\":null,\"error\":{\"code\":-32"));
  }
  assert_int_equal(a.n, n);
  free_answers(&a);
}

/* The input ends: in the middle of a body, of the headers, or with no
 * exit: the server stops with status 1 (exit without shutdown too). */
static void test_input_ends(void **state) {
  (void)state;
  static const char *const inputs[] = {
      "Content-Length: 100\r\n\r\n{\"jsonrpc\"",
      "Content-Length: 10",
      "",
      "Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}",
  };
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    script s;
    open_script(&s);
    fputs(inputs[i], s.f);
    answers a;
    serve(&s, &a);
    assert_int_equal(a.status, 1);
    assert_int_equal(a.n, 0);
    free_answers(&a);
  }
}

/* A method name is quoted in the error, cut to 100 bytes: never inside a
 * UTF-8 sequence (the answer would not be valid JSON, and was not sent:
 * the client waited for ever). */
static void test_long_method_name(void **state) {
  (void)state;
  char method[160], msg[400], want[400];
  memset(method, 'a', 99);
  strcpy(method + 99, "\xc3\xa9tude/\xc3\xa9t\xc3\xa9"); /* é across byte 100 */
  script s;
  open_script(&s);
  send_initialize(&s);
  snprintf(msg, sizeof msg, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"%s\"}", method);
  send_raw(&s, msg);
  send_shutdown_exit(&s, 3);
  answers a;
  serve(&s, &a);
  assert_int_equal(a.status, 0);
  snprintf(want, sizeof want,
           "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32601,\"message\":\"unknown "
           "method '%.99s...'\"}}", method);
  expect(&a, 1, want);
  assert_int_equal(a.n, 3);
  free_answers(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_session_on_saleor),
      cmocka_unit_test(test_change_format_complete),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_input_ends),
      cmocka_unit_test(test_long_method_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
