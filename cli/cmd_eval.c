/* cmd_eval.c - `slac eval POLICY DATA... [--accounts A.csv]
 * [--period YYYY-MM|FROM..TO] [--format text|jsonl|csv|html] [-o FILE]
 * [--what-if SERVICE=+Nm]... [--exposure SERVICE[,SERVICE...]]
 * [--progress|--no-progress] [real-input options]`.  With -o the report is kept in memory and
 * written only when the evaluation succeeded (slac_write_atomic).
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
#include "cli/exposure_opt.h"
#include "cli/ingest_opts.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/outputs.h"
#include "cli/progress.h"
#include "cli/what_if.h"
#include "runtime/base/fileio.h"
#include "cli/policy_load.h"
#include "runtime/base/tempfile.h"
#include "runtime/ingest/convert.h"
#include "runtime/eval/eval.h"

static const slac_opt opts[] = {
    {"accounts", 0, "FILE", "fees, currencies, plans and standing; every account\n"
                            "listed is evaluated; without it amounts are null", false, "@file"},
    {"claims", 0, "FILE", "the claims customers sent, for a policy whose credit\n"
                          "requires one (docs/claims.md); needs --accounts", false, "@file"},
    {"history", 0, "FILE", "credits given in earlier months (account,period,\n"
                           "credit_amount,currency), for a policy that caps the\n"
                           "credits of a quarter, a year or N months; needs\n"
                           "--accounts", false, "@file"},
    {"period", 0, "PERIOD", "YYYY-MM: evaluate that month only; FROM..TO (both\n"
                            "YYYY-MM, FROM <= TO, at most 1200 months): every\n"
                            "month from FROM to TO (default: every month the\n"
                            "data touches, oldest first)", false, NULL},
    {"format", 0, "FORMAT", "text (default on a terminal), jsonl (default\n"
                            "otherwise), csv or html", false, "text jsonl csv html"},
    {NULL, 'o', "FILE", "write the report to FILE ('-': standard output, the\n"
                        "default); a regular file is replaced atomically,\n"
                        "anything else (a pipe, /dev/stdout) written in place;\n"
                        "never an input", false, "@file"},
    {"jobs", 0, "N", "threads reading each request-windows or incidents\nfile (1 to 64;\n"
                     "default: the processors, at most 4, for files of\n"
                     "16 MiB and more), and evaluating the accounts\n"
                     "(default: the processors, at most 4, past 2,048\n"
                     "outcomes); the report is the same for any N", false, NULL},
    {"column", 0, "COLUMN=NAME", "read the data files' COLUMN (start, account, ...)\n"
                                  "from their column NAME; repeatable\n"
                                  "(docs/real-inputs.md, \"Any CSV layout\")", true, NULL},
    {"timestamps", 0, "STYLE", "how the data files write times: rfc3339 (default),\n"
                               "epoch (seconds since 1970-01-01T00:00:00Z) or\n"
                               "+hhmm (RFC 3339 with offsets like +0200)", false,
     "rfc3339 epoch +hhmm"},
    {"progress", 0, NULL, "show how far the reading of the data files has got\n"
                          "on standard error (bytes read of the total, rate,\n"
                          "time left), even when it is not a terminal; by\n"
                          "default shown on a terminal for data files of\n"
                          "4 MiB and more", false, NULL},
    {"no-progress", 0, NULL, "never show the progress line", false, NULL},
    {"only-account", 0, "NAME", "evaluate and report that one account only (its\n"
                                "name exactly as in the data)", false, NULL},
    {"what-if", 0, "SERVICE=+Nm|+Nw", "evaluate as if every account (or --only-account) had N\n"
                                      "more unavailable minutes of SERVICE in every month\n"
                                      "(+Nm, up to the month's length), or, for a service\n"
                                      "measured by its error rate, N more windows failing\n"
                                      "entirely (+Nw); repeatable, once per service; the\n"
                                      "report says that it is hypothetical\n"
                                      "(docs/analysis.md)", true, NULL},
    {"exposure", 0, "SERVICE[,SERVICE...]", "instead of the outcomes, the total credit per month\n"
                                             "and currency as a step function of further minutes\n"
                                             "of downtime of the SERVICEs (all at once, up to the\n"
                                             "month's length): each step's minutes, change, accounts\n"
                                             "and total; minute-measured services; needs --accounts;\n"
                                             "text, jsonl or csv (docs/analysis.md)", false, NULL},
    SLAC_CLI_INGEST_OPTS,
};

const slac_cmd_spec slac_spec_eval = {
    "eval",
    "usage: slac eval POLICY.sla|POLICY.slbc DATA... [--accounts ACCOUNTS.csv]\n"
    "                 [--period YYYY-MM|FROM..TO] [--format text|jsonl|csv|html]\n"
    "                 [-o FILE] [options]\n"
    "\n"
    "Evaluate a policy against incident, request-window and probe files and\n"
    "print, for every account and calendar month (UTC), the exact uptime, the\n"
    "commitment, the credit tier, the amount owed and the reasons.  DATA may\n"
    "also be a status-page history (JSON) or a web server access log: it is\n"
    "converted first, as `slac convert` would (see below).  '-' (standard\n"
    "input, once) and pipes may be given for the policy and any file; they\n"
    "are copied to a temporary file first, and named as given in messages.\n",
    opts, sizeof opts / sizeof opts[0],
    "\n"
    "example:\n"
    "  slac eval policies/saleor.sla githubstatus.json --period 2022-09 \\\n"
    "      --component 'Git Operations=covered' --degraded-counts\n"
    "\n"
    "exit status: 0 success, 1 the policy or the data is wrong, 2 usage error.\n",
    true, SLAC_ARGS_POLICY};

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

/* --period YYYY-MM or FROM..TO into O; returns 0 or 2 (usage error). */
static int parse_period(const char *v, slac_eval_options *o) {
  const char *dots = strstr(v, "..");
  size_t n = dots ? (size_t)(dots - v) : strlen(v);
  if (slac_month_parse(v, n, &o->period) != 0 ||
      (dots && slac_month_parse(dots + 2, strlen(dots + 2), &o->period_to) != 0))
    return slac_usage_error("eval", "--period expects a month as YYYY-MM or a range of months "
                                    "as FROM..TO (2024-01..2024-06), got '%s'", v);
  if (!dots) o->period_to = o->period;
  if (o->period_to < o->period)
    return slac_usage_error("eval", "--period %s: the range ends before it starts; write the "
                                    "earlier month first", v);
  if (o->period_to - o->period >= SLAC_EVAL_MAX_PERIOD_MONTHS)
    return slac_usage_error("eval", "--period %s: %ld months, more than the %d a range may "
                                    "span; evaluate it in parts", v,
                            (long)(o->period_to - o->period) + 1, SLAC_EVAL_MAX_PERIOD_MONTHS);
  o->has_period = true;
  return SLAC_EXIT_OK;
}

int slac_cmd_eval(int argc, char **argv) {
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.out = stdout;
  const char *policy = NULL, *output = NULL;
  char *report = NULL; /* -o FILE: the report, written at the end */
  size_t report_size = 0;
  slac_opts op;
  memset(&op, 0, sizeof op);
  size_t n = argc > 0 ? (size_t)argc : 1;
  char **data = calloc(n, sizeof *data);
  char **tmps = calloc(n, sizeof *tmps);
  const char **origin = calloc(n, sizeof *origin);
  slac_cli_ingest a;
  slac_layout layout; /* --column, --timestamps */
  memset(&layout, 0, sizeof layout);
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  slac_cli_progress_mode progress = SLAC_CLI_PROGRESS_AUTO;
  int ntmps = 0;
  if (!data || !tmps || !origin || slac_cli_ingest_init(&a, argc) != 0) {
    free(data);
    free(tmps);
    free(origin);
    return slac_cli_oom();
  }
  int rc = slac_opts_parse(&slac_spec_eval, argc, argv, &op);
  if (rc != SLAC_OPTS_GO) goto done;
  rc = SLAC_EXIT_OK;
  for (int i = 0; i < op.nhits && rc == SLAC_EXIT_OK; i++) {
    const char *arg = slac_opts_name(&slac_spec_eval, &op.hits[i]), *v = op.hits[i].value;
    int r = slac_cli_ingest_option(&a, "eval", arg, v);
    if (r == 1) continue;
    if (r != 0) rc = r;
    else if (strcmp(arg, "--jobs") == 0) {
      char *end;
      long jobs = strtol(v, &end, 10);
      if (end == v || *end || jobs < 1 || jobs > 64)
        rc = slac_usage_error("eval", "--jobs expects a number of threads from 1 to 64, got '%s'", v);
      o.jobs = (int)jobs;
    } else if (strcmp(arg, "--history") == 0) o.history_path = v;
    else if (strcmp(arg, "--accounts") == 0) o.accounts_path = v;
    else if (strcmp(arg, "--only-account") == 0) o.account = v;
    else if (strcmp(arg, "--claims") == 0) o.claims_path = v;
    else if (strcmp(arg, "-o") == 0) output = v;
    else if (strcmp(arg, "--period") == 0) rc = parse_period(v, &o);
    else if (strcmp(arg, "--progress") == 0 || strcmp(arg, "--no-progress") == 0) {
      if (progress != SLAC_CLI_PROGRESS_AUTO)
        rc = slac_usage_error("eval", "--progress and --no-progress contradict each other: give one");
      progress = arg[2] == 'n' ? SLAC_CLI_PROGRESS_OFF : SLAC_CLI_PROGRESS_ON;
    }
    else if (strcmp(arg, "--column") == 0) {
      char err[512];
      if (slac_layout_add(&layout, v, err, sizeof err) != 0) rc = slac_usage_error("eval", "%s", err);
      o.layout = &layout;
    } else if (strcmp(arg, "--timestamps") == 0) {
      if (slac_time_style_parse(v, &layout.times) != 0)
        rc = slac_usage_error("eval", "--timestamps is %s, not '%s'", slac_time_style_names, v);
      o.layout = &layout;
    }
    else if (strcmp(arg, "--what-if") == 0) continue; /* once the policy is loaded */
    else if (strcmp(arg, "--exposure") == 0) continue; /* alike */
    else if (strcmp(v, "text") == 0) o.format = SLAC_FORMAT_TEXT;
    else if (strcmp(v, "jsonl") == 0) o.format = SLAC_FORMAT_JSONL;
    else if (strcmp(v, "csv") == 0) o.format = SLAC_FORMAT_CSV;
    else if (strcmp(v, "html") == 0) o.format = SLAC_FORMAT_HTML;
    else rc = slac_usage_error("eval", "--format is text, jsonl, csv or html, not '%s'", v);
  }
  for (int i = 0; i < op.nargs; i++) {
    if (!policy) policy = op.args[i];
    else data[o.ndata++] = op.args[i];
  }
  if (output && strcmp(output, "-") == 0) output = NULL;
  /* the default format follows where the report goes */
  if (!slac_opts_has(&slac_spec_eval, &op, "--format"))
    o.format = !output && isatty(STDOUT_FILENO) ? SLAC_FORMAT_TEXT : SLAC_FORMAT_JSONL;
  if (rc == SLAC_EXIT_OK && !policy) rc = slac_usage_error("eval", "no policy given");
  if (rc == SLAC_EXIT_OK && o.ndata == 0) rc = slac_usage_error("eval", "no data file given");
  if (rc == SLAC_EXIT_OK && o.claims_path && !o.accounts_path)
    rc = slac_usage_error("eval", "--claims needs --accounts: claims only change amounts");
  if (rc == SLAC_EXIT_OK && o.history_path && !o.accounts_path)
    rc = slac_usage_error("eval", "--history needs --accounts: the credits are in the accounts' currencies");
  bool want_exposure = slac_opts_has(&slac_spec_eval, &op, "--exposure");
  if (rc == SLAC_EXIT_OK && want_exposure && !o.accounts_path)
    rc = slac_usage_error("eval", "--exposure needs --accounts: it adds the amounts owed, and "
                          "without the accounts' fees there are only credit percentages");
  if (rc == SLAC_EXIT_OK && want_exposure && slac_opts_has(&slac_spec_eval, &op, "--what-if"))
    rc = slac_usage_error("eval", "--exposure and --what-if cannot be combined: the exposure "
                          "already shows every further minute; give one");
  if (rc == SLAC_EXIT_OK && want_exposure && o.format == SLAC_FORMAT_HTML)
    rc = slac_usage_error("eval", "--exposure writes text, jsonl or csv, not html");
  /* every input is noted before any is read: `-` twice is a usage error */
  const char **named[] = {&policy, &o.accounts_path, &o.claims_path, &o.history_path};
  static const char *const what[] = {"the policy", "the accounts file", "the claims file",
                                     "the history file"};
  for (size_t k = 0; k < 4 && rc == SLAC_EXIT_OK && output; k++)
    if (*named[k]) rc = slac_cli_output_clash("eval", output, *named[k], what[k]);
  for (int i = 0; i < o.ndata && rc == SLAC_EXIT_OK && output; i++)
    rc = slac_cli_output_clash("eval", output, data[i], "the data file");
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
  slac_cli_what_if what_if = {NULL, NULL};
  if (slac_opts_has(&slac_spec_eval, &op, "--what-if")) {
    rc = slac_cli_what_if_parse(p, &slac_spec_eval, &op, o.account, &what_if);
    o.what_if = what_if.add;
    o.what_if_words = what_if.words;
  }
  bool *exposure = NULL;
  if (want_exposure) {
    exposure = calloc((size_t)p->nservices + 1, sizeof *exposure);
    if (!exposure) rc = slac_cli_oom();
    for (int i = 0; i < op.nhits && rc == SLAC_EXIT_OK; i++)
      if (strcmp(slac_opts_name(&slac_spec_eval, &op.hits[i]), "--exposure") == 0)
        rc = slac_cli_parse_exposure(p, op.hits[i].value, exposure);
    o.exposure = exposure;
  }
  d.quiet_warnings = false; /* the data's warnings are the user's business */
  d.werror = a.werror;
  if (rc == SLAC_EXIT_OK) rc = slac_cli_ingest_resolve(&a, "eval", p);
  if (rc == SLAC_EXIT_OK) {
    int k = convert_inputs(&a, data, o.ndata, tmps, &ntmps, origin, &d);
    if (k < 0) rc = -k;
    else if (d.errors > 0) rc = SLAC_EXIT_INVALID; /* --werror */
    else o.ndata = k;
    /* a converted file is written in the CONTRACT layout: the user's
     * names and time style are not its */
    if (rc == SLAC_EXIT_OK && ntmps > 0 && o.layout)
      rc = slac_usage_error("eval", "--column and --timestamps describe CSV data files, and %s "
                            "is converted from another format: evaluate the two kinds apart, "
                            "or convert the CSV files to the CONTRACT layout first", origin[0]);
  }
  if (rc == SLAC_EXIT_OK) {
    o.data_paths = data;
    o.p = p;
    FILE *mem = output ? open_memstream(&report, &report_size) : NULL;
    if (output && !mem) {
      slac_diag_oom(&d);
      rc = SLAC_EXIT_INVALID;
    } else {
      if (mem) o.out = mem;
      slac_cli_progress pg;
      o.progress = slac_cli_progress_start(&pg, progress, data, o.ndata, &d);
      rc = slac_eval(&o, &d) == 0 ? SLAC_EXIT_OK : SLAC_EXIT_INVALID;
      slac_cli_progress_end(&pg, &d);
    }
    if (mem && fclose(mem) != 0 && rc == SLAC_EXIT_OK) {
      slac_diag_oom(&d);
      rc = SLAC_EXIT_INVALID;
    }
    /* written only whole and only when the evaluation succeeded */
    if (rc == SLAC_EXIT_OK && output &&
        slac_write_atomic(output, (const uint8_t *)report, report_size, &d) != 0)
      rc = SLAC_EXIT_INVALID;
    if (rc != SLAC_EXIT_OK)
      for (int i = 0; i < ntmps; i++)
        slac_diag_plain(&d, SLAC_NOTE, "%s was converted from %s (slac convert writes it to a "
                                       "file you can inspect)", tmps[i], origin[i]);
    if (fflush(stdout) != 0 || ferror(stdout)) {
      slac_diag_plain(&d, SLAC_ERROR, "cannot write the report");
      rc = SLAC_EXIT_INVALID;
    }
  }
  slac_cli_what_if_free(&what_if);
  free(exposure);
  slac_program_free(p);
done:
  free(report);
  slac_opts_free(&op);
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
