/* test_prometheus.c - Prometheus range-query responses as request windows
 * and probes (runtime/ingest/prometheus.h).  The documents follow the
 * response format of the Prometheus HTTP API (/api/v1/query_range:
 * {"status","data":{"resultType":"matrix","result":[{"metric","values"}]}},
 * sample times in seconds, values as strings); every row and every
 * warning is checked exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/ingest/prometheus.h"
#include "support.h"

static const char policy_text[] =
    "policy t \"T\" version 1 {\n"
    "  currency USD\n"
    "  service covered \"C\" {\n"
    "    measure unavailable minutes\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service api \"A\" {\n"
    "    measure unavailable minutes {\n"
    "      minute unavailable when error rate above 5% with at least 10 requests\n"
    "    }\n"
    "    commit 99.9%\n"
    "  }\n"
    "  service web \"W\" {\n"
    "    measure average error rate over 5 min windows, empty windows count as 0% errors\n"
    "    commit 99.0%\n"
    "  }\n"
    "  credit of monthly fee {\n"
    "    below 99.9% -> 10%\n"
    "  }\n"
    "}\n";

enum { COVERED = 0, API = 1, WEB = 2 };
static slac_program *prog;

static int setup(void **state) {
  (void)state;
  prog = test_compile_policy_text("t.sla", policy_text);
  return prog ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  slac_program_free(prog);
  return 0;
}

static char out_text[8192], msg_text[8192];

/* Convert JSON with O; the CSV and the messages in out_text, msg_text. */
static int run(const char *json, const slac_ingest_options *o) {
  json_error_t je;
  json_t *root = json_loads(json, 0, &je);
  if (!root) fail_msg("bad test JSON at %d:%d: %s", je.line, je.column, je.text);
  assert_true(slac_prom_recognise(root));
  char *ob = NULL, *mb = NULL;
  size_t on = 0, mn = 0;
  FILE *out = open_memstream(&ob, &on), *msg = open_memstream(&mb, &mn);
  assert_non_null(out);
  assert_non_null(msg);
  slac_ingest g;
  slac_diags md;
  slac_diags_init(&md, msg);
  slac_ingest_init(&g, o, "q.json", out, &md);
  int rc = slac_prom_convert(&g, root, &md);
  slac_ingest_free(&g);
  json_decref(root);
  fclose(out);
  fclose(msg);
  snprintf(out_text, sizeof out_text, "%s", ob);
  snprintf(msg_text, sizeof msg_text, "%s", mb);
  free(ob);
  free(mb);
  return rc;
}

static void parse(slac_prom_selector *s, const char *text) {
  char err[256];
  if (slac_prom_selector_parse(text, s, err, sizeof err) != 0) fail_msg("%s", err);
}

static const char *parse_error(const char *text) {
  static char err[256];
  slac_prom_selector s;
  assert_int_equal(slac_prom_selector_parse(text, &s, err, sizeof err), -1);
  return err;
}

static void test_selectors(void **state) {
  (void)state;
  json_t *m = json_pack("{s:s, s:s, s:s}", "__name__", "http_requests_total", "code", "503",
                        "path", "/a\"b");
  slac_prom_selector s;
  parse(&s, "{__name__=\"http_requests_total\", code=~\"5..\"}");
  assert_int_equal(s.n, 2);
  assert_true(slac_prom_selector_matches(&s, m));
  slac_prom_selector_free(&s);
  parse(&s, "code=~\"5\""); /* anchored: 5 is not 503 */
  assert_false(slac_prom_selector_matches(&s, m));
  slac_prom_selector_free(&s);
  parse(&s, "code!~\"2..|3..\", path=\"/a\\\"b\"");
  assert_true(slac_prom_selector_matches(&s, m));
  slac_prom_selector_free(&s);
  parse(&s, "job!=\"x\"");   /* a missing label is "" */
  assert_true(slac_prom_selector_matches(&s, m));
  slac_prom_selector_free(&s);
  parse(&s, "job=\"\"");
  assert_true(slac_prom_selector_matches(&s, m));
  slac_prom_selector_free(&s);
  parse(&s, "{}");
  assert_true(slac_prom_selector_matches(&s, m));
  slac_prom_selector_free(&s);
  json_decref(m);
  assert_string_equal(parse_error("code=5.."),
                      "selector 'code=5..': expected a value in double quotes after 'code'");
  assert_string_equal(parse_error("code==\"5\""),
                      "selector 'code==\"5\"': expected a value in double quotes after 'code'");
  assert_string_equal(parse_error("5xx=\"1\""), "selector '5xx=\"1\"': expected a label name at '5xx=\"1\"'");
  assert_string_equal(parse_error("code:\"5\""),
                      "selector 'code:\"5\"': expected =, !=, =~ or !~ after 'code'");
  assert_string_equal(parse_error("code=~\"(\""), "selector 'code=~\"(\"': '(' is not a regular expression");
  assert_string_equal(parse_error("{code=\"5\""), "selector '{code=\"5\"': expected '}' at the end");
  assert_string_equal(parse_error("code=\"5\" job=\"x\""),
                      "selector 'code=\"5\" job=\"x\"': expected ',' at 'job=\"x\"'");
  assert_string_equal(parse_error("{code=\"5\"} x"),
                      "selector '{code=\"5\"} x': unexpected 'x' after the matchers");
}

/* 2026-10-01T00:00:00Z is 1790812800. */
static const char windows_doc[] =
    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
    /* 200s of acme, with a counter reset: increases 60, 20, 30 */
    "{\"metric\":{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"tenant\":\"acme\"},"
    " \"values\":[[1790812800,\"100\"],[1790813100,\"160\"],[1790813400,\"20\"],[1790813700,\"50\"]]},"
    /* 500s of acme: requests and errors; the last sample is NaN */
    "{\"metric\":{\"__name__\":\"http_requests_total\",\"code\":\"500\",\"tenant\":\"acme\"},"
    " \"values\":[[1790812800,\"5\"],[1790813100,\"7\"],[1790813400,\"7\"],[1790813700,\"NaN\"]]},"
    /* globex: a sample off the grid, then a gap of three windows */
    "{\"metric\":{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"tenant\":\"globex\"},"
    " \"values\":[[1790812800.5,\"1\"],[1790813100,\"10\"],[1790814000,\"40\"],[1790814300,\"45\"]]},"
    "{\"metric\":{\"__name__\":\"up\",\"tenant\":\"acme\"},"
    " \"values\":[[1790812800,\"1\"],[1790813100,\"1\"]]},"
    "{\"metric\":{\"__name__\":\"http_requests_total\",\"code\":\"200\"},"
    " \"values\":[[1790812800,\"3\"]]}"
    "]}}";

static void test_windows(void **state) {
  (void)state;
  slac_prom_selector req, err;
  parse(&req, "__name__=\"http_requests_total\"");
  parse(&err, "code=~\"5..\"");
  slac_prom_options po = {"tenant", NULL, &req, &err, NULL};
  slac_ingest_options o;
  memset(&o, 0, sizeof o);
  o.p = prog;
  o.log_service = WEB;
  o.prom = &po;
  assert_int_equal(run(windows_doc, &o), 0);
  assert_string_equal(out_text,
                      "account,service,start,requests,errors\n"
                      "acme,web,2026-10-01T00:00:00Z,62,2\n"
                      "acme,web,2026-10-01T00:05:00Z,20,0\n"
                      "acme,web,2026-10-01T00:10:00Z,30,0\n"
                      "globex,web,2026-10-01T00:20:00Z,5,0\n");
  assert_string_equal(
      msg_text,
      "q.json: warning: series {__name__=\"http_requests_total\", code=\"500\", tenant=\"acme\"}: "
      "1 sample is not a whole number with a time in seconds; not used\n"
      "q.json: warning: series {__name__=\"http_requests_total\", code=\"200\", tenant=\"globex\"}: "
      "1 sample is not on the 300-second window grid (query with step=300 and a start on a "
      "multiple of it); not used\n"
      "q.json: warning: series {__name__=\"up\", tenant=\"acme\"}: matches neither the requests "
      "nor the errors selector; not used\n"
      "q.json: warning: series {__name__=\"http_requests_total\", code=\"200\"}: no label 'tenant' "
      "names its account; not used\n"
      "q.json: note: 15 samples: 10 used, 5 not used: 2 in series that no selector takes, 1 in "
      "series without their account or service label, 1 with a value that is not a whole "
      "number, 1 off the window grid (see warnings)\n");
  /* errors counted by series the requests do not cover: refused per window */
  slac_prom_selector_free(&req);
  slac_prom_selector_free(&err);
  parse(&req, "code=\"200\"");
  parse(&err, "__name__=\"http_requests_total\"");
  assert_int_equal(run(windows_doc, &o), 0);
  assert_string_equal(out_text,
                      "account,service,start,requests,errors\n"
                      "acme,web,2026-10-01T00:05:00Z,20,20\n"
                      "acme,web,2026-10-01T00:10:00Z,30,30\n"
                      "globex,web,2026-10-01T00:20:00Z,5,5\n");
  assert_non_null(strstr(msg_text, "q.json: warning: account acme, window 2026-10-01T00:00:00Z: "
                                   "62 errors but 60 requests (the two selectors do not count "
                                   "the same requests); not used\nq.json: note:"));
  slac_prom_selector_free(&req);
  slac_prom_selector_free(&err);
}

static void test_probes(void **state) {
  (void)state;
  static const char doc[] =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
      "{\"metric\":{\"__name__\":\"probe_success\",\"instance\":\"globex\",\"job\":\"blackbox\"},"
      " \"values\":[[1790812800,\"1\"],[1790812860,\"2\"]]},"
      "{\"metric\":{\"__name__\":\"probe_success\",\"instance\":\"acme\",\"job\":\"blackbox\"},"
      " \"values\":[[1790812800,\"1\"],[1790812860,\"0\"],[1790812920,\"1\"]]},"
      "{\"metric\":{\"__name__\":\"probe_success\",\"instance\":\"acme\",\"job\":\"other\"},"
      " \"values\":[[1790812800,\"1\"]]}"
      "]}}";
  slac_component_map cmap[1] = {{"blackbox", COVERED}};
  slac_prom_options po = {"instance", "job", NULL, NULL, NULL};
  slac_ingest_options o;
  memset(&o, 0, sizeof o);
  o.p = prog;
  o.log_service = -1;
  o.components = cmap;
  o.ncomponents = 1;
  o.prom = &po;
  assert_int_equal(run(doc, &o), 0);
  assert_string_equal(out_text,
                      "account,service,time,ok\n"
                      "acme,covered,2026-10-01T00:00:00Z,1\n"
                      "acme,covered,2026-10-01T00:01:00Z,0\n"
                      "acme,covered,2026-10-01T00:02:00Z,1\n"
                      "globex,covered,2026-10-01T00:00:00Z,1\n");
  assert_string_equal(
      msg_text,
      "q.json: warning: series {__name__=\"probe_success\", instance=\"globex\", job=\"blackbox\"}: "
      "1 sample is not 0 or 1 with a time in seconds; not used\n"
      "q.json: warning: series {__name__=\"probe_success\", instance=\"acme\", job=\"other\"}: "
      "job \"other\" is mapped to no service (--component); not used\n"
      "q.json: note: 6 samples: 4 used, 2 not used: 1 with no component mapped to a service, 1 "
      "with a value that is not a whole number (see warnings)\n");
  /* without the service label: the policy has two minute services */
  po.service_label = NULL;
  assert_int_equal(run(doc, &o), -1);
  assert_string_equal(msg_text, "q.json: error: the policy has several services measured in "
                                "minutes: name the label that says which with --prom-service\n");
}

static void test_documents_refused(void **state) {
  (void)state;
  slac_ingest_options o;
  memset(&o, 0, sizeof o);
  o.p = prog;
  o.log_service = -1;
  assert_int_equal(run("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid "
                       "parameter 'query'\"}", &o), -1);
  assert_string_equal(msg_text, "q.json: error: a Prometheus error response (status \"error\"): "
                                "invalid parameter 'query'\n");
  assert_int_equal(run("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                       &o), -1);
  assert_string_equal(msg_text, "q.json: error: a Prometheus result of type \"vector\": expected "
                                "a \"matrix\" with its \"result\" array, as /api/v1/query_range "
                                "returns\n");
  /* an empty matrix: a header, no rows */
  assert_int_equal(run("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                       &o), -1);
  assert_string_equal(msg_text, "q.json: error: the policy has several services measured in "
                                "minutes: name the label that says which with --prom-service\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_selectors),
      cmocka_unit_test(test_windows),
      cmocka_unit_test(test_probes),
      cmocka_unit_test(test_documents_refused),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
