/* cmd_diff.c - `slac diff OLD.sla NEW.sla [--format text|json]`: what
 * the two policies decide differently (compiler/diff.h), exit 0 when
 * nothing, 1 when something (or a policy has errors), 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "compiler/check.h"
#include "compiler/diff.h"
#include "grammar/frontend.h"
#include "runtime/base/fileio.h"
#include "runtime/vm/program.h"

static const slac_opt opts[] = {
    {"format", 0, "FORMAT", "text (default): a heading, one line per difference\n"
                            "and the count; json: one object on one line,\n"
                            "{\"old\", \"new\", \"equivalent\", \"differences\"}",
     false, "text json"},
};

const slac_cmd_spec slac_spec_diff = {
    "diff",
    "usage: slac diff [--format text|json] OLD.sla NEW.sla\n"
    "\n"
    "Compare what two policies decide, not how they are written: for each\n"
    "service and plan, the commitment and the exact uptime intervals where\n"
    "the credit differs, then how each cause counts (exclusions, caps,\n"
    "notice), how services are measured, eligibility for every plan and\n"
    "standing, the minimum, the maximum and the cap over several months,\n"
    "the claim rules, the currencies and the charges that earn no credit.\n"
    "Titles, notes, caveats and citations are not compared.  Either policy\n"
    "may be '-' (standard input).\n",
    opts, sizeof opts / sizeof opts[0],
    "\n"
    "exit status: 0 the policies are equivalent, 1 they differ or a policy\n"
    "has errors, 2 usage error.\n",
    true, SLAC_ARGS_POLICY};

/* One side: its source, tree and model (which points into both). */
typedef struct {
  slac_source src;
  slac_policy *ast;
  slac_model *model;
} side;

static void side_free(side *s) {
  slac_model_free(s->model);
  slac_ast_free_policy(s->ast);
  slac_source_free(&s->src);
}

/* Parse and check PATH into S; 0, or -1 after reporting through D. */
static int side_load(side *s, const char *path, slac_diags *d) {
  memset(s, 0, sizeof *s);
  uint8_t *bytes = NULL;
  size_t size = 0;
  if (slac_read_file(path, &bytes, &size, d) != 0) return -1;
  if (size >= 4 && memcmp(bytes, SLAC_BC_MAGIC, 4) == 0) {
    free(bytes);
    slac_diag_bytecode(d, path, -1,
                       "slac diff compares policy sources, and this is bytecode, which keeps "
                       "the terms only as code: give the .sla it was built from");
    return -1;
  }
  int rc = slac_source_from_text(&s->src, path, (const char *)bytes, size, d);
  free(bytes);
  if (rc != 0) return -1;
  int before = d->errors;
  s->ast = slac_parse(&s->src, d);
  if (s->ast) s->model = slac_check(s->ast, &s->src, d);
  else if (d->errors == before && !d->oom) {
    slac_loc loc = {1, 1, 1, 1};
    slac_diag(d, &s->src, loc, SLAC_ERROR, "no policy found: a file starts with `policy ID version N {`");
  }
  return s->model && d->errors == before ? 0 : -1;
}

int slac_cmd_diff(int argc, char **argv) {
  slac_opts o;
  int rc = slac_opts_parse(&slac_spec_diff, argc, argv, &o);
  if (rc != SLAC_OPTS_GO) return rc;
  const char *format = slac_opts_value(&slac_spec_diff, &o, "--format");
  bool json = format && strcmp(format, "json") == 0;
  rc = SLAC_EXIT_OK;
  if (format && !json && strcmp(format, "text") != 0)
    rc = slac_usage_error("diff", "--format is text or json, not '%s'", format);
  else if (o.nargs != 2)
    rc = o.nargs < 2 ? slac_usage_error("diff", "two policies are needed, OLD and NEW (got %d)", o.nargs)
                     : slac_usage_error("diff", "two policies at a time (got %d): OLD and NEW", o.nargs);
  const char *old_arg = o.nargs > 0 ? o.args[0] : NULL, *new_arg = o.nargs > 1 ? o.args[1] : NULL;
  slac_opts_free(&o); /* the strings stay: they are argv's */
  if (rc != SLAC_EXIT_OK) return rc;

  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  rc = slac_cli_inputs_add(&in, "diff", old_arg);
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_add(&in, "diff", new_arg);
  if (rc != SLAC_EXIT_OK) {
    slac_cli_inputs_free(&in);
    return rc == SLAC_EXIT_USAGE ? rc : slac_cli_oom();
  }
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true; /* `slac check` shows them; a comparison needs only errors */
  side a, b;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  rc = slac_cli_inputs_read(&in, &d);
  if (rc == SLAC_EXIT_OK) {
    /* both are checked, so that the errors of both are shown at once */
    int ra = side_load(&a, slac_cli_inputs_path(&in, old_arg), &d);
    int rb = side_load(&b, slac_cli_inputs_path(&in, new_arg), &d);
    if (ra != 0 || rb != 0) rc = SLAC_EXIT_INVALID;
  }
  slac_diff df;
  if (rc == SLAC_EXIT_OK && slac_diff_models(a.model, b.model, &df) != 0) {
    slac_diag_oom(&d);
    rc = SLAC_EXIT_INVALID;
  } else if (rc == SLAC_EXIT_OK) {
    const char *an = strcmp(old_arg, "-") == 0 ? "<stdin>" : old_arg;
    const char *bn = strcmp(new_arg, "-") == 0 ? "<stdin>" : new_arg;
    if (json) slac_diff_print_json(&df, a.model, an, b.model, bn, stdout);
    else slac_diff_print_text(&df, a.model, an, b.model, bn, stdout);
    rc = df.n ? SLAC_EXIT_INVALID : SLAC_EXIT_OK;
    slac_diff_free(&df);
  }
  side_free(&a);
  side_free(&b);
  slac_cli_inputs_free(&in);
  return rc;
}
