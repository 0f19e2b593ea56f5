/* inputs.c - copy the inputs that can be read only once (inputs.h). */
#include "cli/inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "runtime/base/tempfile.h"

/* What messages call standard input. */
static const char stdin_name[] = "<stdin>";

void slac_cli_inputs_init(slac_cli_inputs *in) { memset(in, 0, sizeof *in); }

/* True when PATH is a terminal (what is typed there is read once). */
static bool is_terminal(const char *path) {
  int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return false;
  bool tty = isatty(fd) != 0;
  close(fd);
  return tty;
}

int slac_cli_inputs_add(slac_cli_inputs *in, const char *cmd, const char *arg) {
  slac_cli_input x = {arg, NULL, false, false, 0, 0};
  struct stat st;
  bool is_stdin = strcmp(arg, "-") == 0;
  if (is_stdin) {
    x.spool = x.once = true;
    if (fstat(STDIN_FILENO, &st) == 0) {
      x.dev = st.st_dev;
      x.ino = st.st_ino;
    }
  } else if (stat(arg, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
                                      (S_ISCHR(st.st_mode) && is_terminal(arg)))) {
    /* A missing file or a folder is the reader's to report; a regular
     * file and a device that gives the same bytes to every open
     * (/dev/null) are read in place: copying an endless one (/dev/zero)
     * would fill the disk, where the reader stops at its first NUL. */
    x.spool = true;
    x.once = !S_ISCHR(st.st_mode);
    x.dev = st.st_dev;
    x.ino = st.st_ino;
  }
  for (size_t i = 0; x.spool && i < in->n; i++) {
    const slac_cli_input *y = &in->v[i];
    if (!y->spool) continue;
    bool both_stdin = is_stdin && strcmp(y->arg, "-") == 0;
    if (both_stdin)
      return slac_usage_error(cmd, "'-' (standard input) is given twice: it can be read once");
    if ((x.once || y->once) && x.dev == y->dev && x.ino == y->ino)
      return slac_usage_error(cmd, "'%s' and '%s' are the same pipe: it can be read once",
                              y->arg, arg);
  }
  if (in->n == in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 8;
    slac_cli_input *v = realloc(in->v, cap * sizeof *v);
    if (!v) return SLAC_EXIT_INVALID;
    in->v = v;
    in->cap = cap;
  }
  in->v[in->n++] = x;
  return SLAC_EXIT_OK;
}

/* Copy F, the input X, to a new temporary file; X->copy gets its path.
 * Returns 0 or -1 after reporting. */
static int copy_stream(slac_cli_input *x, FILE *f, const char *shown, slac_diags *d) {
  enum { CHUNK = 1 << 16 };
  char *path = slac_temp_template(strcmp(x->arg, "-") == 0 ? "slac-stdin" : "slac-input");
  char *buf = malloc(CHUNK);
  if (!path || !buf) {
    free(path);
    free(buf);
    slac_diag_oom(d);
    return -1;
  }
  int fd = slac_temp_create(path, shown);
  if (fd < 0) {
    if (errno == ENOMEM) slac_diag_oom(d);
    else slac_diag_plain(d, SLAC_ERROR, "cannot create a temporary file in %s: %s",
                         slac_temp_dir(), strerror(errno));
    free(path);
    free(buf);
    return -1;
  }
  int e = 0;
  bool rerr = false;
  for (size_t got; !e && (got = fread(buf, 1, CHUNK, f)) > 0;) {
    for (size_t done = 0; done < got && !e;) {
      ssize_t w = write(fd, buf + done, got - done);
      if (w >= 0) done += (size_t)w;
      else if (errno != EINTR) e = errno;
    }
  }
  rerr = ferror(f) != 0;
  if (close(fd) != 0 && !e) e = errno;
  free(buf);
  if (rerr || e) {
    if (rerr) slac_diag_plain(d, SLAC_ERROR, "cannot read '%s'", shown);
    else slac_diag_plain(d, SLAC_ERROR, "cannot write the copy of '%s' in %s: %s", shown,
                         slac_temp_dir(), strerror(e));
    slac_temp_remove(path);
    free(path);
    return -1;
  }
  x->copy = path;
  return 0;
}

int slac_cli_inputs_read(slac_cli_inputs *in, slac_diags *d) {
  for (size_t i = 0; i < in->n; i++) {
    slac_cli_input *x = &in->v[i];
    if (!x->spool || x->copy) continue;
    bool is_stdin = strcmp(x->arg, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(x->arg, "rb");
    if (!f) {
      slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", x->arg, strerror(errno));
      return SLAC_EXIT_INVALID;
    }
    int rc = copy_stream(x, f, is_stdin ? stdin_name : x->arg, d);
    if (!is_stdin) fclose(f);
    if (rc != 0) return SLAC_EXIT_INVALID;
  }
  return SLAC_EXIT_OK;
}

char *slac_cli_inputs_path(const slac_cli_inputs *in, const char *arg) {
  for (size_t i = 0; i < in->n; i++)
    if (in->v[i].arg == arg && in->v[i].copy) return in->v[i].copy;
  return (char *)arg; /* as strchr does: the caller's own string */
}

void slac_cli_inputs_free(slac_cli_inputs *in) {
  for (size_t i = 0; i < in->n; i++) {
    if (!in->v[i].copy) continue;
    slac_temp_remove(in->v[i].copy);
    free(in->v[i].copy);
  }
  free(in->v);
  memset(in, 0, sizeof *in);
}
