/* cmd_test.c - `slac test [FILE|DIR...] [--coverage]`: run the tests
 * written for policies (cli/testfile.h says the format), print what
 * differs for each failure and a closing "N passed, N failed" line; with
 * --coverage, which outcomes of each policy (tiers, exclusions and caps,
 * eligibility, claim rules: each reason the policy can give) the tests
 * reached and which they never did. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/policy_load.h"
#include "cli/testfile.h"
#include "cli/testrun.h"
#include "runtime/vm/opcodes.h"

static const slac_opt opts[] = {
    {"coverage", 0, NULL, "then list, for each policy, the outcomes its tests reached\n"
                          "and those they never did (each tier, exclusion, cap,\n"
                          "eligibility and claim rule gives its own reason)", false, NULL},
    {"jobs", 0, "N", "threads reading each request-windows file (1 to 64;\n"
                     "default: as eval chooses); the results never depend on it", false, NULL},
};

const slac_cmd_spec slac_spec_test = {
    "test",
    "usage: slac test [--coverage] [--jobs N] [FILE.test|DIR...]\n"
    "\n"
    "Run the tests of policies: each FILE.test, and every *.test file under\n"
    "each DIR (default: the current folder).  A test names a policy, gives\n"
    "data inline or by file (incidents, windows, probes, accounts, claims,\n"
    "history) and expects fields of the outcome, its reasons, or the whole\n"
    "report; docs/tools.md describes the format.  Each failure is printed\n"
    "with what differs, then \"N passed, N failed\".\n",
    opts, sizeof opts / sizeof opts[0],
    "\n"
    "exit status: 0 every test passed, 1 a test failed or a test file is\n"
    "wrong, 2 usage error.\n",
    true, SLAC_ARGS_FILES};

typedef struct {
  char **v;
  size_t n, cap;
} list;

static int push(list *l, char *s) {
  if (!s) return -1;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) { free(s); return -1; }
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = s;
  return 0;
}

static bool ends_with_test(const char *name) {
  size_t n = strlen(name);
  return n > 5 && strcmp(name + n - 5, ".test") == 0;
}

/* The *.test files under DIR, in name order (so runs are alike). */
static int walk(const char *dir, list *files, int depth) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0) return 0; /* unreadable: the caller reported nothing to find */
  int rc = 0;
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    if (rc == 0 && name[0] != '.') {
      size_t len = strlen(dir) + strlen(name) + 2;
      char *path = malloc(len);
      if (!path) rc = -1;
      else {
        /* `policies/` names its files policies/x.test, not policies//x.test */
        snprintf(path, len, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 32) {
          rc = walk(path, files, depth + 1);
          free(path);
        } else if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && ends_with_test(name)) {
          rc = push(files, path);
        } else {
          free(path);
        }
      }
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

typedef struct {
  slac_test_policy *v;
  size_t n, cap;
} policies;

/* The policy at PATH, loaded the first time it is named. */
static slac_test_policy *policy(policies *ps, const char *path) {
  for (size_t i = 0; i < ps->n; i++)
    if (strcmp(ps->v[i].path, path) == 0) return &ps->v[i];
  if (ps->n == ps->cap) {
    size_t cap = ps->cap ? ps->cap * 2 : 8;
    slac_test_policy *v = realloc(ps->v, cap * sizeof *v);
    if (!v) return NULL;
    ps->v = v;
    ps->cap = cap;
  }
  slac_test_policy *p = &ps->v[ps->n];
  memset(p, 0, sizeof *p);
  p->path = strdup(path);
  if (!p->path) return NULL;
  ps->n++;
  /* the policy's warnings are `slac check`'s business; its errors are
   * shown, once */
  slac_diags d;
  slac_diags_init(&d, stderr);
  d.quiet_warnings = true;
  if (slac_cli_load_policy(path, &d, &p->p) == 0) {
    p->hits = calloc(p->p->nops + 1, sizeof *p->hits);
    if (!p->hits) return NULL;
  }
  return p;
}

static void print_coverage(const slac_test_policy *pol) {
  const slac_program *p = pol->p;
  if (!p) return;
  uint32_t total = 0, reached = 0;
  for (uint32_t k = 0; k < p->nops; k++)
    if (p->ops[k].op == SLAC_OP_REASON) {
      total++;
      reached += pol->hits[k] > 0;
    }
  printf("\ncoverage of %s: %u of %u outcomes reached by %d test%s\n", pol->path, reached, total,
         pol->cases, pol->cases == 1 ? "" : "s");
  for (int pass = 0; pass < 2; pass++)
    for (uint32_t k = 0; k < p->nops; k++) {
      const slac_operands *o = &p->ops[k];
      if (o->op != SLAC_OP_REASON || (pol->hits[k] > 0) != (pass == 0)) continue;
      char count[32];
      if (pass == 0) snprintf(count, sizeof count, "reached %llu", (unsigned long long)pol->hits[k]);
      else snprintf(count, sizeof count, "never");
      printf("  line %-4u %-12s ", slac_program_line(p, o->at), count);
      slac_put_shown(stdout, p->strings[o->k]);
      if (o->cite != SLAC_NONE) {
        fputc(' ', stdout);
        slac_put_shown(stdout, p->strings[o->cite]);
      }
      fputc('\n', stdout);
    }
}

int slac_cmd_test(int argc, char **argv) {
  bool coverage = false;
  int jobs = 0;
  list files = {NULL, 0, 0};
  slac_opts op;
  int rc = slac_opts_parse(&slac_spec_test, argc, argv, &op);
  if (rc != SLAC_OPTS_GO) return rc;
  rc = SLAC_EXIT_OK;
  coverage = slac_opts_has(&slac_spec_test, &op, "--coverage");
  const char *nj = slac_opts_value(&slac_spec_test, &op, "--jobs");
  if (nj) {
    char *end = NULL;
    long n = strtol(nj, &end, 10);
    if (end == nj || *end || n < 1 || n > 64)
      rc = slac_usage_error("test", "--jobs needs a number of threads from 1 to 64");
    jobs = (int)n;
  }
  slac_diags d;
  slac_diags_init(&d, stderr);
  bool named = op.nargs > 0;
  /* `-`: a test file on standard input, copied once (inputs.h); its
   * paths are relative to the current folder */
  slac_cli_inputs in;
  slac_cli_inputs_init(&in);
  const char *stdin_copy = NULL;
  for (int i = 0; i < op.nargs && rc == SLAC_EXIT_OK; i++)
    if (strcmp(op.args[i], "-") == 0 &&
        (rc = slac_cli_inputs_add(&in, "test", op.args[i])) == SLAC_EXIT_INVALID)
      rc = slac_cli_oom();
  if (rc == SLAC_EXIT_OK) rc = slac_cli_inputs_read(&in, &d);
  for (int i = 0; i < op.nargs && rc == SLAC_EXIT_OK; i++) {
    const char *arg = op.args[i];
    struct stat st;
    if (strcmp(arg, "-") == 0) {
      if (push(&files, strdup(slac_cli_inputs_path(&in, arg))) != 0) rc = slac_cli_oom();
      else stdin_copy = files.v[files.n - 1];
    } else if (stat(arg, &st) != 0) {
      slac_diag_plain(&d, SLAC_ERROR, "cannot open '%s': %s", arg, strerror(errno));
      rc = SLAC_EXIT_INVALID;
    } else if (S_ISDIR(st.st_mode)) {
      if (walk(arg, &files, 0) != 0) rc = slac_cli_oom();
    } else if (push(&files, strdup(arg)) != 0) {
      rc = slac_cli_oom();
    }
  }
  slac_opts_free(&op);
  if (rc == SLAC_EXIT_OK && !named && walk(".", &files, 0) != 0) rc = slac_cli_oom();
  if (rc == SLAC_EXIT_OK && files.n == 0) {
    slac_diag_plain(&d, SLAC_ERROR, "no test file (*.test) found");
    rc = SLAC_EXIT_INVALID;
  }
  int passed = 0, failed = 0;
  policies ps = {NULL, 0, 0};
  for (size_t i = 0; i < files.n && rc == SLAC_EXIT_OK; i++) {
    slac_test_file f;
    const char *name = files.v[i] == stdin_copy ? "<stdin>" : files.v[i];
    if (slac_test_file_read_as(files.v[i], name, &f, &d) != 0) {
      failed++;
      slac_test_file_free(&f);
      continue;
    }
    for (int k = 0; k < f.ncases; k++) {
      const slac_test_case *c = &f.cases[k];
      slac_test_policy *pol = policy(&ps, c->policy);
      if (!pol) {
        rc = slac_cli_oom();
        break;
      }
      fflush(stdout);
      if (!pol->p) {
        printf("FAIL %s:%d: %s\n  the policy %s does not load (see above)\n", f.path, c->line, c->name, c->policy);
        failed++;
        continue;
      }
      char *detail = NULL;
      size_t dlen = 0;
      FILE *m = open_memstream(&detail, &dlen);
      int r = m ? slac_test_run(&f, c, pol, jobs, m) : -1;
      if (m) fclose(m);
      if (r == 0) {
        passed++;
      } else {
        printf("FAIL %s:%d: %s\n%s", f.path, c->line, c->name, detail ? detail : "");
        failed++;
      }
      free(detail);
      if (r < 0) {
        rc = slac_cli_oom();
        break;
      }
    }
    slac_test_file_free(&f);
  }
  if (rc == SLAC_EXIT_OK || failed || passed) printf("%d passed, %d failed\n", passed, failed);
  if (coverage && rc == SLAC_EXIT_OK)
    for (size_t i = 0; i < ps.n; i++) print_coverage(&ps.v[i]);
  for (size_t i = 0; i < ps.n; i++) {
    slac_program_free(ps.v[i].p);
    free(ps.v[i].hits);
    free(ps.v[i].path);
  }
  free(ps.v);
  for (size_t k = 0; k < files.n; k++) free(files.v[k]);
  free(files.v);
  slac_cli_inputs_free(&in);
  if (rc != SLAC_EXIT_OK) return rc;
  return failed ? SLAC_EXIT_INVALID : SLAC_EXIT_OK;
}
