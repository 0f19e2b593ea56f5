/* cmd_eval.c - `slac eval POLICY DATA... [--accounts A.csv]
 * [--period YYYY-MM] [--format text|jsonl|csv] [real-input options]`.
 * Inputs that can be read only once (`-`, pipes) are copied first
 * (inputs.h); data files that are not CSV (status-page JSON, access logs)
 * are converted to temporary CSV files (runtime/ingest/convert.h).  Both
 * are removed at the end whatever happens, and by the signal handlers of
 * runtime/base/tempfile.h when the command is interrupted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/ingest_opts.h"
#include "cli/inputs.h"
#include "cli/policy_load.h"
#include "runtime/base/tempfile.h"
#include "runtime/ingest/convert.h"
#include "runtime/eval/eval.h"

static const char help[] =
    "usage: slac eval POLICY.sla|POLICY.slbc DATA... [--accounts ACCOUNTS.csv]\n"
    "                 [--period YYYY-MM] [--format text|jsonl|csv] [options]\n"
    "\n"
    "Evaluate a policy against incident, request-window and probe files and\n"
    "print, for every account and calendar month (UTC), the exact uptime, the\n"
    "commitment, the credit tier, the amount owed and the reasons.  DATA may\n"
    "also be a status-page history (JSON) or a web server access log: it is\n"
    "converted first, as `slac convert` would (see below).  '-' (standard\n"
    "input, once) and pipes may be given for the policy and any file; they\n"
    "are copied to a temporary file first, and named as given in messages.\n"
    "\n"
    "options:\n"
    "  --accounts FILE   fees, currencies, plans and standing; every account\n"
    "                    listed is evaluated; without it amounts are null\n"
    "  --claims FILE     the claims customers sent, for a policy whose credit\n"
    "                    requires one (docs/claims.md); needs --accounts\n"
    "  --history FILE    credits given in earlier months (account,period,\n"
    "                    credit_amount,currency), for a policy that caps the\n"
    "                    credits of a quarter, a year or N months; needs\n"
    "                    --accounts\n"
    "  --period YYYY-MM  evaluate that month only (default: every month the\n"
    "                    data touches, oldest first)\n"
    "  --format FORMAT   text (default on a terminal), jsonl (default\n"
    "                    otherwise) or csv\n"
    "  --jobs N          threads reading each request-windows file (1 to 64;\n"
    "                    default: the processors, at most 4, for files of\n"
    "                    16 MiB and more); the report is the same for any N\n"
    "  -h, --help        show this help\n"
    "\n";

static const char help_tail[] =
    "\n"
    "example:\n"
    "  slac eval policies/saleor.sla githubstatus.json --period 2022-09 \\\n"
    "      --component 'Git Operations=covered' --degraded-counts\n"
    "\n"
    "exit status: 0 success, 1 the policy or the data is wrong, 2 usage error.\n";

/* Convert the non-CSV data files: each JSON file to its own temporary
 * file, all access logs together to one (a windows file holds each window
 * once).  DATA[i] is replaced by the temporary path; TMPS collects them. */
static int convert_inputs(slac_cli_ingest *a, char **data, int ndata, char **tmps, int *ntmps,
                          const char **origin, slac_diags *d) {
  slac_input_kind *kinds = calloc((size_t)ndata, sizeof *kinds);
  const char **logs = calloc((size_t)ndata, sizeof *logs);
  int rc = SLAC_EXIT_OK, nlogs = 0, first_log = -1;
  if (!kinds || !logs) {
    slac_diag_oom(d);
    rc = SLAC_EXIT_INVALID;
  }
  for (int i = 0; i < ndata && rc == SLAC_EXIT_OK; i++) {
    if (slac_input_kind_of(data[i], &kinds[i], d) != 0) rc = SLAC_EXIT_INVALID;
    if (kinds[i] == SLAC_INPUT_ACCESS_LOG) {
      if (first_log < 0) first_log = i;
      logs[nlogs++] = data[i];
    }
  }
  int converted = 0;
  for (int i = 0; i < ndata && rc == SLAC_EXIT_OK; i++) converted += kinds[i] != SLAC_INPUT_CSV;
  if (rc == SLAC_EXIT_OK && a->first && !converted)
    slac_diag_plain(d, SLAC_WARNING, "%s has no effect: no data file is a status-page history "
                                     "or an access log", a->first);
  if (rc == SLAC_EXIT_OK && nlogs) {
    char err[512];
    if (slac_convert_log_service(&a->opts, err, sizeof err) < 0)
      rc = slac_usage_error("eval", "%s", err);
  }
  for (int i = 0; i < ndata && rc == SLAC_EXIT_OK; i++) {
    if (kinds[i] == SLAC_INPUT_CSV || (kinds[i] == SLAC_INPUT_ACCESS_LOG && i != first_log))
      continue;
    const char *one[1] = {data[i]};
    slac_convert_job job = {&a->opts, one, 1, kinds[i], a->quiet, 0, 0};
    if (kinds[i] == SLAC_INPUT_ACCESS_LOG) {
      job.inputs = logs;
      job.ninputs = (size_t)nlogs;
    }
    char *tmp;
    if (slac_convert_to_temp(&job, &tmp, d) != 0) {
      rc = SLAC_EXIT_INVALID;
      break;
    }
    origin[*ntmps] = data[i];
    tmps[(*ntmps)++] = tmp;
    data[i] = tmp;
  }
  /* the other logs are in the first one's file now */
  int k = 0;
  for (int i = 0; i < ndata; i++)
    if (!(kinds && kinds[i] == SLAC_INPUT_ACCESS_LOG && i != first_log)) data[k++] = data[i];
  free(kinds);
  free(logs);
  return rc == SLAC_EXIT_OK ? k : -rc;
}

int slac_cmd_eval(int argc, char **argv) {
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.format = isatty(STDOUT_FILENO) ? SLAC_FORMAT_TEXT : SLAC_FORMAT_JSONL;
  o.out = stdout;
  const char *policy = NULL;
  size_t n = argc > 0 ? (size_t)argc : 1;
  char **data = calloc(n, sizeof *data);
  char **tmps = calloc(n, sizeof *tmps);
  const char **origin = calloc(n, sizeof *origin);
  slac_cli_ingest a;
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  int ntmps = 0;
  if (!data || !tmps || !origin || slac_cli_ingest_init(&a, argc) != 0) {
    free(data);
    free(tmps);
    free(origin);
    return slac_cli_oom();
  }
  int rc = SLAC_EXIT_OK;
  for (int i = 1; i < argc && rc == SLAC_EXIT_OK; i++) {
    const char *arg = argv[i];
    if (slac_is_help(arg)) {
      fputs(help, stdout);
      fputs(slac_cli_ingest_help, stdout);
      fputs(help_tail, stdout);
      goto done;
    }
    int r = slac_cli_ingest_option(&a, "eval", argc, argv, &i);
    if (r == 1) continue;
    if (r != 0) {
      rc = r;
    } else if (strcmp(arg, "--accounts") == 0 || strcmp(arg, "--period") == 0 ||
               strcmp(arg, "--format") == 0 || strcmp(arg, "--claims") == 0 ||
               strcmp(arg, "--jobs") == 0 || strcmp(arg, "--history") == 0) {
      if (i + 1 == argc) { rc = slac_usage_error("eval", "%s needs a value", arg); break; }
      const char *v = argv[++i];
      if (arg[2] == 'j') {
        char *end;
        long jobs = strtol(v, &end, 10);
        if (end == v || *end || jobs < 1 || jobs > 64)
          rc = slac_usage_error("eval", "--jobs expects a number of threads from 1 to 64, got '%s'", v);
        o.jobs = (int)jobs;
      } else if (strcmp(arg, "--history") == 0) o.history_path = v;
      else if (arg[2] == 'a') o.accounts_path = v;
      else if (arg[2] == 'c') o.claims_path = v;
      else if (arg[2] == 'p') {
        if (slac_month_parse(v, strlen(v), &o.period) != 0)
          rc = slac_usage_error("eval", "--period expects a month as YYYY-MM, got '%s'", v);
        o.has_period = true;
      } else if (strcmp(v, "text") == 0) o.format = SLAC_FORMAT_TEXT;
      else if (strcmp(v, "jsonl") == 0) o.format = SLAC_FORMAT_JSONL;
      else if (strcmp(v, "csv") == 0) o.format = SLAC_FORMAT_CSV;
      else rc = slac_usage_error("eval", "--format is text, jsonl or csv, not '%s'", v);
    } else if (arg[0] == '-' && arg[1]) {
      rc = slac_usage_error("eval", "unknown option '%s'", arg);
    } else if (!policy) {
      policy = arg;
    } else {
      data[o.ndata++] = argv[i];
    }
  }
  if (rc == SLAC_EXIT_OK && !policy) rc = slac_usage_error("eval", "no policy given");
  if (rc == SLAC_EXIT_OK && o.ndata == 0) rc = slac_usage_error("eval", "no data file given");
  if (rc == SLAC_EXIT_OK && o.claims_path && !o.accounts_path)
    rc = slac_usage_error("eval", "--claims needs --accounts: claims only change amounts");
  if (rc == SLAC_EXIT_OK && o.history_path && !o.accounts_path)
    rc = slac_usage_error("eval", "--history needs --accounts: the credits are in the accounts' currencies");
  /* every input is noted before any is read: `-` twice is a usage error */
  const char **named[] = {&policy, &o.accounts_path, &o.claims_path, &o.history_path};
  for (size_t k = 0; k < 4 && rc == SLAC_EXIT_OK; k++)
    if (*named[k]) rc = slac_cli_inputs_add(&in, "eval", *named[k]);
  for (int i = 0; i < o.ndata && rc == SLAC_EXIT_OK; i++) rc = slac_cli_inputs_add(&in, "eval", data[i]);
  if (rc == SLAC_EXIT_INVALID) rc = slac_cli_oom();
  if (rc != SLAC_EXIT_OK) goto done;
  slac_diags d;
  slac_diags_init(&d, stderr);
  if (slac_cli_inputs_read(&in, &d) != SLAC_EXIT_OK) {
    rc = SLAC_EXIT_INVALID;
    goto done;
  }
  policy = slac_cli_inputs_path(&in, policy);
  for (size_t k = 1; k < 4; k++)
    if (*named[k]) *named[k] = slac_cli_inputs_path(&in, *named[k]);
  for (int i = 0; i < o.ndata; i++) data[i] = slac_cli_inputs_path(&in, data[i]);
  d.quiet_warnings = true; /* `slac check` shows them; a report needs only errors */
  slac_program *p;
  if (slac_cli_load_policy(policy, &d, &p) != 0) {
    rc = SLAC_EXIT_INVALID;
    goto done;
  }
  d.quiet_warnings = false; /* the data's warnings are the user's business */
  d.werror = a.werror;
  rc = slac_cli_ingest_resolve(&a, "eval", p);
  if (rc == SLAC_EXIT_OK) {
    int k = convert_inputs(&a, data, o.ndata, tmps, &ntmps, origin, &d);
    if (k < 0) rc = -k;
    else if (d.errors > 0) rc = SLAC_EXIT_INVALID; /* --werror */
    else o.ndata = k;
  }
  if (rc == SLAC_EXIT_OK) {
    o.data_paths = data;
    o.p = p;
    rc = slac_eval(&o, &d) == 0 ? SLAC_EXIT_OK : SLAC_EXIT_INVALID;
    if (rc != SLAC_EXIT_OK)
      for (int i = 0; i < ntmps; i++)
        slac_diag_plain(&d, SLAC_NOTE, "%s was converted from %s (slac convert writes it to a "
                                       "file you can inspect)", tmps[i], origin[i]);
    if (fflush(stdout) != 0 || ferror(stdout)) {
      slac_diag_plain(&d, SLAC_ERROR, "cannot write the report");
      rc = SLAC_EXIT_INVALID;
    }
  }
  slac_program_free(p);
done:
  for (int i = 0; i < ntmps; i++) {
    slac_temp_remove(tmps[i]);
    free(tmps[i]);
  }
  slac_cli_inputs_free(&in);
  slac_cli_ingest_free(&a);
  free(data);
  free(tmps);
  free(origin);
  return rc;
}
