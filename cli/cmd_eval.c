/* cmd_eval.c - `slac eval POLICY DATA.csv... [--accounts A.csv]
 * [--period YYYY-MM] [--format text|jsonl|csv]`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/policy_load.h"
#include "runtime/eval.h"

static const char help[] =
    "usage: slac eval POLICY.sla|POLICY.slbc DATA.csv... [--accounts ACCOUNTS.csv]\n"
    "                 [--period YYYY-MM] [--format text|jsonl|csv]\n"
    "\n"
    "Evaluate a policy against incident, request-window and probe files and\n"
    "print, for every account and calendar month (UTC), the exact uptime, the\n"
    "commitment, the credit tier, the amount owed and the reasons.\n"
    "\n"
    "options:\n"
    "  --accounts FILE   fees, currencies, plans and standing; every account\n"
    "                    listed is evaluated; without it amounts are null\n"
    "  --period YYYY-MM  evaluate that month only (default: every month the\n"
    "                    data touches, oldest first)\n"
    "  --format FORMAT   text (default on a terminal), jsonl (default\n"
    "                    otherwise) or csv\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0 success, 1 the policy or the data is wrong, 2 usage error.\n";

int slac_cmd_eval(int argc, char **argv) {
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.format = isatty(STDOUT_FILENO) ? SLAC_FORMAT_TEXT : SLAC_FORMAT_JSONL;
  o.out = stdout;
  const char *policy = NULL;
  char **data = calloc((size_t)argc, sizeof *data);
  if (!data) { fputs("slac: out of memory\n", stderr); return SLAC_EXIT_INVALID; }
  int rc = SLAC_EXIT_OK;
  for (int i = 1; i < argc && rc == SLAC_EXIT_OK; i++) {
    const char *a = argv[i];
    if (slac_is_help(a)) { fputs(help, stdout); free(data); return SLAC_EXIT_OK; }
    if (strcmp(a, "--accounts") == 0 || strcmp(a, "--period") == 0 || strcmp(a, "--format") == 0) {
      if (i + 1 == argc) { rc = slac_usage_error("eval", "%s needs a value", a); break; }
      const char *v = argv[++i];
      if (a[2] == 'a') o.accounts_path = v;
      else if (a[2] == 'p') {
        if (slac_month_parse(v, strlen(v), &o.period) != 0)
          rc = slac_usage_error("eval", "--period expects a month as YYYY-MM, got '%s'", v);
        o.has_period = true;
      } else if (strcmp(v, "text") == 0) o.format = SLAC_FORMAT_TEXT;
      else if (strcmp(v, "jsonl") == 0) o.format = SLAC_FORMAT_JSONL;
      else if (strcmp(v, "csv") == 0) o.format = SLAC_FORMAT_CSV;
      else rc = slac_usage_error("eval", "--format is text, jsonl or csv, not '%s'", v);
    } else if (a[0] == '-' && a[1]) {
      rc = slac_usage_error("eval", "unknown option '%s'", a);
    } else if (!policy) {
      policy = a;
    } else {
      data[o.ndata++] = argv[i];
    }
  }
  if (rc == SLAC_EXIT_OK && !policy) rc = slac_usage_error("eval", "no policy given");
  if (rc == SLAC_EXIT_OK && o.ndata == 0) rc = slac_usage_error("eval", "no data file given");
  if (rc != SLAC_EXIT_OK) { free(data); return rc; }
  o.data_paths = data;
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true; /* `slac check` shows them; a report needs only errors */
  slac_program *p;
  if (slac_cli_load_policy(policy, &d, &p) != 0) { free(data); return SLAC_EXIT_INVALID; }
  o.p = p;
  rc = slac_eval(&o, &d) == 0 ? SLAC_EXIT_OK : SLAC_EXIT_INVALID;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fputs("slac: error: cannot write the report\n", stderr);
    rc = SLAC_EXIT_INVALID;
  }
  slac_program_free(p);
  free(data);
  return rc;
}
