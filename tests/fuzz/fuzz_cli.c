/* fuzz_cli.c - the slac command as a whole: random argument vectors to
 * slac_main (cli/dispatch.c), every command, option and output path.
 *
 * The input is text: each line up to a line "%%" is one argument (at most
 * 32, each cut at 512 bytes); what follows "%%" is standard input, given
 * through a pipe (at most 32 KiB, so that it fits the pipe and the write
 * never blocks).  An argument runs in a scratch folder that is reset
 * before every input to the same fixtures: the three shipped policies
 * (p.sla saleor, t.sla tagoio, w.sla piwik-pro), p.slbc, data files
 * (i.csv a.csv win.csv ti.csv ta.csv c.csv, y.sla yi.csv ya.csv h.csv),
 * a status page g.json, an access log l.log, a link to p.sla
 * (link.slbc), a dangling link (dangling.slbc) and a folder d.  A '/' in
 * an argument becomes '_', so that no output leaves the scratch folder;
 * the only other paths are the words @stdin @stdout @null @fd1
 * (/dev/stdin, /dev/stdout, /dev/null, /dev/fd/1).  Not /dev/full: read as
 * a policy it is endless zeros, which slac reads as it would read a huge
 * file (tests/files/run.sh writes to it).  TMPDIR is a folder of its own;
 * standard output goes to /dev/null.
 *
 * After each input: the exit status is 0, 1 or 2; no temporary file is
 * listed (runtime/base/tempfile.h), TMPDIR is empty and no *.tmp.* file
 * is left in the scratch folder; under libFuzzer, leaks are reported per
 * input.  Anything else aborts. */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "compiler/codegen.h"
#include "runtime/base/tempfile.h"
#include "tests/fuzz/fuzz_common.h"

enum { MAX_ARGS = 32, MAX_ARG = 512, MAX_STDIN = 32 * 1024 };

static void fail(const char *why) {
  fprintf(stderr, "fuzz_cli: %s\n", why);
  abort();
}

/* ---- fixtures ------------------------------------------------------------ */

typedef struct {
  const char *name; /* in the scratch folder */
  const char *from; /* in the repository, or NULL: made at start */
  size_t max_lines; /* 0: the whole file */
  char *bytes;
  size_t size;
} fixture;

static fixture fixtures[] = {
    {"p.sla", "policies/saleor.sla", 0, NULL, 0},
    {"t.sla", "policies/tagoio.sla", 0, NULL, 0},
    {"w.sla", "policies/piwik-pro.sla", 0, NULL, 0},
    {"p.slbc", NULL, 0, NULL, 0},
    {"i.csv", "examples/saleor/incidents.csv", 0, NULL, 0},
    {"a.csv", "examples/saleor/accounts.csv", 0, NULL, 0},
    {"win.csv", "examples/piwik-pro/windows.csv", 40, NULL, 0},
    {"ti.csv", "examples/tagoio/incidents.csv", 0, NULL, 0},
    {"ta.csv", "examples/tagoio/accounts.csv", 0, NULL, 0},
    {"c.csv", "examples/tagoio/claims.csv", 0, NULL, 0},
    {"y.sla", "tests/eval/period_cap_year_history/y.sla", 0, NULL, 0},
    {"yi.csv", "tests/eval/period_cap_year_history/incidents.csv", 0, NULL, 0},
    {"ya.csv", "tests/eval/period_cap_year_history/accounts.csv", 0, NULL, 0},
    {"h.csv", "tests/eval/period_cap_year_history/history.csv", 0, NULL, 0},
    {"g.json", "tests/fuzz/corpus/convert/one_incident.json", 0, NULL, 0},
    {"l.log", "tests/fuzz/corpus/convert/apache_combined.log", 0, NULL, 0},
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

static char base[512], work[600], tmpdir[600];
static int home = -1; /* the folder the fuzzer started in */

static void slurp(fixture *f) {
  FILE *in = fopen(fuzz_source_file(f->from), "rb");
  if (!in) fail("cannot read a fixture");
  size_t cap = 1 << 16;
  f->bytes = malloc(cap);
  for (size_t got; f->bytes && (got = fread(f->bytes + f->size, 1, cap - f->size, in)) > 0;) {
    f->size += got;
    if (f->size == cap) f->bytes = realloc(f->bytes, cap *= 2);
  }
  fclose(in);
  if (!f->bytes) fail("out of memory");
  for (size_t i = 0, lines = 0; f->max_lines && i < f->size; i++)
    if (f->bytes[i] == '\n' && ++lines == f->max_lines) f->size = i + 1;
}

/* The bytecode of saleor.sla, compiled here rather than by `slac build`. */
static void compile_fixture(fixture *f) {
  slac_diags d;
  slac_diags_init(&d, NULL);
  slac_source src;
  uint8_t *bytes = NULL;
  if (slac_source_from_text(&src, "p.sla", fixtures[0].bytes, fixtures[0].size, &d) != 0 ||
      slac_compile_source(&src, &d, &bytes, &f->size) != 0)
    fail("saleor.sla does not compile");
  slac_source_free(&src);
  f->bytes = (char *)bytes;
}

/* Remove every entry of DIR but KEEP (may be NULL). */
static void empty_dir(const char *dir, const char *keep) {
  DIR *d = opendir(dir);
  if (!d) fail("cannot list a scratch folder");
  char path[1200];
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (keep && strcmp(e->d_name, keep) == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (unlink(path) != 0 && rmdir(path) != 0) fail("cannot empty a scratch folder");
  }
  closedir(d);
}

static void remove_all(void) {
  if (!base[0]) return;
  char d[700];
  snprintf(d, sizeof d, "%s/d", work);
  empty_dir(d, NULL);
  empty_dir(work, NULL);
  empty_dir(tmpdir, NULL);
  rmdir(work);
  rmdir(tmpdir);
  rmdir(base);
}

static void setup(void) {
  const char *t = getenv("TMPDIR");
  snprintf(base, sizeof base, "%s/slac-fuzz-cli.XXXXXX", t && *t ? t : "/tmp");
  if (!mkdtemp(base)) fail("cannot make a scratch folder");
  snprintf(work, sizeof work, "%s/work", base);
  snprintf(tmpdir, sizeof tmpdir, "%s/tmp", base);
  if (mkdir(work, 0700) != 0 || mkdir(tmpdir, 0700) != 0) fail("cannot make a scratch folder");
  atexit(remove_all);
  setenv("TMPDIR", tmpdir, 1); /* slac's temporary files, checked after each input */
  home = open(".", O_RDONLY | O_DIRECTORY);
  if (home < 0) fail("cannot open the current folder");
  for (size_t i = 0; i < NFIXTURES; i++)
    if (fixtures[i].from) slurp(&fixtures[i]);
  for (size_t i = 0; i < NFIXTURES; i++)
    if (!fixtures[i].from) compile_fixture(&fixtures[i]);
}

/* The scratch folder as every input finds it (the current folder). */
static void reset(void) {
  if (chdir(work) != 0) fail("cannot enter the scratch folder");
  struct stat st;
  if (stat("d", &st) != 0 && mkdir("d", 0700) != 0) fail("cannot make the folder d");
  empty_dir("d", NULL);
  empty_dir(".", "d");
  for (size_t i = 0; i < NFIXTURES; i++)
    fuzz_write(fixtures[i].name, (const uint8_t *)fixtures[i].bytes, fixtures[i].size);
  if (symlink("p.sla", "link.slbc") != 0 || symlink("nowhere.slbc", "dangling.slbc") != 0)
    fail("cannot make the links");
}

/* ---- one input ----------------------------------------------------------- */

static const struct { const char *word, *path; } words[] = {
    {"@stdin", "/dev/stdin"}, {"@stdout", "/dev/stdout"}, {"@null", "/dev/null"},
    {"@fd1", "/dev/fd/1"},
};

/* ARG (LEN bytes) as an argument: a word's path, or the bytes with '/'
 * made '_'; malloc'ed. */
static char *argument(const uint8_t *arg, size_t len) {
  if (len > MAX_ARG) len = MAX_ARG;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strlen(words[i].word) == len && memcmp(words[i].word, arg, len) == 0)
      return strdup(words[i].path);
  char *s = malloc(len + 1);
  if (!s) fail("out of memory");
  for (size_t i = 0; i < len; i++) s[i] = arg[i] == '/' ? '_' : (char)arg[i];
  s[len] = 0;
  return s;
}

/* Standard input: a pipe holding BYTES, its writing end closed. */
static void give_stdin(const uint8_t *bytes, size_t size) {
  int fds[2];
  if (size > MAX_STDIN) size = MAX_STDIN;
  if (pipe(fds) != 0) fail("cannot make a pipe");
  if (size && write(fds[1], bytes, size) != (ssize_t)size) fail("cannot fill the pipe");
  close(fds[1]);
  /* a fresh FILE: nothing buffered from the previous input */
  if (!freopen("/dev/null", "rb", stdin)) fail("cannot reopen stdin");
  if (dup2(fds[0], STDIN_FILENO) < 0) fail("cannot give stdin");
  close(fds[0]);
  clearerr(stdin);
}

/* No temporary file in DIR (a name with ".tmp." or any entry at all when
 * ALL). */
static void no_temporary_files(const char *dir, bool all) {
  DIR *d = opendir(dir);
  if (!d) fail("cannot list a scratch folder");
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (all || strstr(e->d_name, ".tmp.")) {
      fprintf(stderr, "fuzz_cli: %s/%s outlived the command\n", dir, e->d_name);
      abort();
    }
  }
  closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!base[0]) setup();
  char *argv[MAX_ARGS + 2];
  int argc = 0;
  argv[argc++] = strdup("slac");
  size_t at = 0;
  bool more = true;
  while (more && at < size && argc <= MAX_ARGS) {
    const uint8_t *nl = memchr(data + at, '\n', size - at);
    size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
    if (len == 2 && memcmp(data + at, "%%", 2) == 0) more = false;
    else argv[argc++] = argument(data + at, len);
    at += len + (nl != NULL);
  }
  if (more) at = size; /* no "%%": standard input is empty */
  argv[argc] = NULL;

  reset();
  give_stdin(data + at, size - at);
  fflush(stdout);
  int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
  if (saved < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0) fail("cannot redirect stdout");
  close(null);

  int rc = slac_main(argc, argv);

  fflush(stdout);
  clearerr(stdout);
  if (dup2(saved, STDOUT_FILENO) < 0) fail("cannot restore stdout");
  close(saved);
  if (rc < 0 || rc > 2) fail("an exit status other than 0, 1 or 2");
  if (slac_temp_count() != 0) fail("a temporary file is still listed");
  no_temporary_files(tmpdir, true);
  no_temporary_files(".", false);
  no_temporary_files("d", false);
  if (fchdir(home) != 0) fail("cannot go back to the first folder");
  for (int i = 0; i < argc; i++) free(argv[i]);
  return 0;
}
