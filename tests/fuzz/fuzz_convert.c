/* fuzz_convert.c - the readers of real inputs (runtime/ingest/convert.c,
 * statuspage.c, gcp_status.c, accesslog.c), driven as `slac convert` and
 * `slac eval` drive them (cli/cmd_convert.c, cli/cmd_eval.c).
 *
 * The input is written to a file and recognised by slac_input_kind_of.
 * A JSON status-page history (Statuspage or Google Cloud) is converted
 * with saleor.sla, components mapped to its service `covered`; an access
 * log with piwik-pro.sla, whose `hosting` takes 5-minute request windows;
 * anything else is CSV, which the other targets fuzz.  The conversion
 * goes to /dev/null; when it gave rows, it is made again to a temporary
 * file that slac_eval reads, as `slac eval` does.  The input's length
 * picks the options (account, --quiet, --intervals or --valid,
 * --degraded-counts or a log given twice, the component map, --status
 * overrides), the report format and --period.
 *
 * ingest.h promises that every row written is valid, so `slac eval`
 * never rejects a converted file: an evaluation that fails aborts. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/base/tempfile.h"
#include "runtime/ingest/convert.h"
#include "runtime/eval/eval.h"
#include "tests/fuzz/fuzz_common.h"

static void fail(const char *why) {
  fprintf(stderr, "fuzz_convert: %s\n", why);
  abort();
}

static int cause(const slac_program *p, const char *name) {
  int c = slac_program_cause(p, name, strlen(name));
  if (c < 0) fail("saleor.sla lost a cause the target maps to"); /* fix the target */
  return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *input = fuzz_path("input");
  fuzz_write(input, data, size);
  slac_diags d;
  slac_diags_init(&d, fuzz_devnull());
  d.quiet_warnings = true;
  slac_input_kind kind;
  if (slac_input_kind_of(input, &kind, &d) != 0) fail("cannot read the input back");
  if (kind == SLAC_INPUT_CSV) return 0;
  bool json = kind == SLAC_INPUT_JSON;
  unsigned v = (unsigned)(size % 64);
  const slac_program *p = fuzz_policy(json ? "saleor" : "piwik-pro");

  /* --component: every component, or the names and ids of the seeds
   * (GitHub's, Google Cloud's: Actions by its id, as it was renamed);
   * all to the policy's first service, `covered` */
  static const slac_component_map every[] = {{"*", 0}};
  static const slac_component_map named[] = {
      {"Git Operations", 0}, {"API Requests", 0}, {"br0l2tvcx85d", 0},
      {"Google Compute Engine", 0}, {"Google BigQuery", 0}, {"L3ggmi3Jy4xJmgodFA9K", 0}};
  slac_status_map statuses[3];
  slac_ingest_options o;
  memset(&o, 0, sizeof o);
  o.p = p;
  o.log_service = -1;
  if (json) {
    o.components = v & 16 ? named : every;
    o.ncomponents = v & 16 ? sizeof named / sizeof named[0] : 1;
    o.intervals = v & 4 ? SLAC_INTERVALS_INCIDENT : SLAC_INTERVALS_STATUS;
    o.degraded_counts = (v & 8) != 0;
    if (v & 32) { /* --status overrides, the last one of a status wins */
      statuses[0] = (slac_status_map){"under_maintenance", SLAC_STATUS_IGNORED};
      statuses[1] = (slac_status_map){"degraded_performance", cause(p, "third_party")};
      statuses[2] = (slac_status_map){"SERVICE_INFORMATION", cause(p, "maintenance")};
      o.statuses = statuses;
      o.nstatuses = 3;
    }
  } else {
    o.valid = v & 4 ? SLAC_VALID_NO_4XX : SLAC_VALID_ALL;
    char err[512];
    o.log_service = slac_convert_log_service(&o, err, sizeof err);
    if (o.log_service < 0) fail("piwik-pro.sla has no service for access logs");
  }
  /* with an account, the example accounts file that lists it */
  const char *accounts = NULL;
  if (v & 1) {
    o.account = json ? "acme" : "northwind";
    accounts = json ? "examples/saleor/accounts.csv" : "examples/piwik-pro/accounts.csv";
  }
  /* two logs are merged into one set of windows; JSON files are
   * concatenated by `slac convert` only (eval converts each alone) */
  const char *inputs[2] = {input, input};
  slac_convert_job job = {&o, inputs, (!json && (v & 8)) ? 2 : 1, kind, (v & 2) != 0, 0, 0};
  if (slac_convert(&job, fuzz_devnull(), &d) != 0 || job.rows == 0) return 0;

  char *tmp;
  if (slac_convert_to_temp(&job, &tmp, &d) != 0) fail("a conversion that worked failed again");
  static char accounts_path[4096];
  if (accounts) snprintf(accounts_path, sizeof accounts_path, "%s", fuzz_source_file(accounts));
  char *paths[1] = {tmp};
  slac_eval_options e;
  memset(&e, 0, sizeof e);
  e.p = p;
  e.accounts_path = accounts ? accounts_path : NULL;
  e.data_paths = paths;
  e.ndata = 1;
  e.format = (slac_format)(size / 64 % 3);
  /* every month the data touches, or one month of the seeds (--period):
   * an incident over millennia makes the first slow (a report per month,
   * which the incidents target fuzzes), the second stays quick */
  static const char *const months[] = {"2015-05", "2022-06", "2023-04", "2026-03"};
  e.has_period = size / 192 % 2 != 0;
  if (e.has_period && slac_month_parse(months[size / 384 % 4], 7, &e.period) != 0)
    fail("a month of the table does not parse");
  e.out = fuzz_devnull();
  slac_diags_init(&d, stderr); /* errors only: why a converted file failed */
  d.quiet_warnings = true;
  int rc = slac_eval(&e, &d);
  slac_temp_remove(tmp); /* listed in the table of temporary files */
  free(tmp);
  if (rc != 0) fail("slac eval rejected a converted file");
  return 0;
}
