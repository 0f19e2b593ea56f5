/* cmd_fmt.c - `slac fmt POLICY.sla... [--check] [-w]`: the canonical
 * layout (compiler/fmt.h).  Without an option the formatted text goes to
 * standard output; --check prints what would change as a unified diff and
 * exits 1 when any file is not formatted (for CI); -w rewrites each file
 * that is not, atomically.  A file that does not parse is reported and
 * left alone.  '-' is standard input (read once, cli/inputs.h); -w needs
 * files to rewrite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "compiler/fmt.h"
#include "grammar/frontend.h"
#include "runtime/base/fileio.h"
#include "runtime/base/textdiff.h"

static const slac_opt opts[] = {
    {"check", 0, NULL, "print a unified diff for each file that is not formatted\n"
                       "and exit 1 if there is one (nothing is written)", false, NULL},
    {NULL, 'w', NULL, "rewrite each file that is not formatted, in place,\n"
                      "atomically", false, NULL},
};

const slac_cmd_spec slac_spec_fmt = {
    "fmt",
    "usage: slac fmt [--check | -w] POLICY.sla...\n"
    "\n"
    "Print each policy in the one canonical layout: one clause per line,\n"
    "blocks indented by two spaces, citations and tier arrows aligned,\n"
    "comments kept where they were.  Formatting never changes what a\n"
    "policy means (it compiles to the same code).  POLICY '-' is standard\n"
    "input.\n",
    opts, sizeof opts / sizeof opts[0],
    "\n"
    "exit status: 0 success (with --check: every file is formatted), 1 a file\n"
    "does not parse or (--check) is not formatted, 2 usage error.\n",
    true, SLAC_ARGS_POLICY};

typedef enum { FMT_PRINT, FMT_CHECK, FMT_WRITE } fmt_mode;

/* Format one file, read from PATH and named NAME (as typed: the diff's
 * labels); returns 0 formatted (or done), 1 not formatted (--check), -1
 * an error was reported. */
static int fmt_file(const char *path, const char *name, fmt_mode mode, slac_diags *d) {
  int before = d->errors;
  slac_source src;
  if (slac_source_load(&src, path, d) != 0) {
    slac_source_free(&src);
    return -1;
  }
  int rc = -1;
  slac_policy *p = slac_parse(&src, d);
  if (p && d->errors == before && !p->incomplete) {
    size_t size;
    char *out = slac_fmt(p, &src, &size, d);
    if (out) {
      bool same = size == src.size && memcmp(out, src.text, size) == 0;
      if (mode == FMT_PRINT) {
        fwrite(out, 1, size, stdout);
        rc = 0;
      } else if (mode == FMT_CHECK) {
        rc = same ? 0 : 1;
        if (!same && slac_unified_diff(stdout, name, src.text, src.size, name, out, size) != 0) {
          slac_diag_oom(d);
          rc = -1;
        }
      } else {
        rc = same || slac_write_atomic(path, (const uint8_t *)out, size, d) == 0 ? 0 : -1;
      }
      free(out);
    }
  } else if (!p && d->errors == before && !d->oom) {
    slac_loc loc = {1, 1, 1, 1};
    slac_diag(d, &src, loc, SLAC_ERROR, "no policy found: a file starts with `policy ID version N {`");
  } else if (d->errors == before && !d->oom) {
    slac_diag_plain(d, SLAC_ERROR, "%s does not parse completely: not formatted", path);
  }
  slac_ast_free_policy(p);
  slac_source_free(&src);
  return rc;
}

int slac_cmd_fmt(int argc, char **argv) {
  slac_opts op;
  int rc = slac_opts_parse(&slac_spec_fmt, argc, argv, &op);
  if (rc != SLAC_OPTS_GO) return rc;
  rc = SLAC_EXIT_OK;
  bool check = slac_opts_has(&slac_spec_fmt, &op, "--check"), write = slac_opts_has(&slac_spec_fmt, &op, "-w");
  fmt_mode mode = check ? FMT_CHECK : write ? FMT_WRITE : FMT_PRINT;
  if (check && write) rc = slac_usage_error("fmt", "give one of --check and -w, once");
  else if (op.nargs == 0) rc = slac_usage_error("fmt", "no policy file given");
  slac_diags d;
  slac_diags_init(&d, stderr);
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  for (int i = 0; i < op.nargs && rc == SLAC_EXIT_OK; i++)
    if ((rc = slac_cli_inputs_add(&in, "fmt", op.args[i])) == SLAC_EXIT_INVALID) rc = slac_cli_oom();
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  bool failed = false, unformatted = false;
  for (int i = 0; i < op.nargs && rc == SLAC_EXIT_OK && !d.oom; i++) {
    const char *arg = op.args[i];
    const char *path = slac_cli_inputs_path(&in, arg);
    if (mode == FMT_WRITE && path != arg) {
      /* a copy of standard input or of a pipe: nothing to rewrite */
      slac_diag_plain(&d, SLAC_ERROR, "-w rewrites files, and '%s' is not one: write slac fmt %s > FILE",
                      strcmp(arg, "-") == 0 ? "<stdin>" : arg, arg);
      failed = true;
      continue;
    }
    int r = fmt_file(path, strcmp(arg, "-") == 0 ? "<stdin>" : arg, mode, &d);
    failed |= r < 0;
    unformatted |= r > 0;
  }
  slac_cli_inputs_free(&in);
  slac_opts_free(&op);
  if (rc != SLAC_EXIT_OK) return rc;
  return failed || unformatted ? SLAC_EXIT_INVALID : SLAC_EXIT_OK;
}
