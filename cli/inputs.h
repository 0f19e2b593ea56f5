/* inputs.h - the files a command reads, read once when they can be read
 * only once.
 *
 * slac reads a data file more than once (its header tells its kind, then
 * its rows are read; request windows again in the rare exact pass of
 * eval; a converter looks at an input's first bytes before it parses
 * it).  A pipe, a FIFO, a terminal or standard input gives its bytes only
 * once, so `-` (standard input, whatever it is) and every input that is a
 * FIFO or a pipe (/dev/stdin, a process substitution such as /dev/fd/63),
 * a socket or a terminal is copied once, before anything else reads it,
 * to a temporary file (runtime/base/tempfile.h) that the command reads in
 * its place and that is removed at the end.  Messages name it as the user
 * did: `-` is shown as `<stdin>`, anything else as typed.  Other devices
 * give the same bytes to every open (/dev/null) and are read in place:
 * copying an endless one (/dev/zero) would fill the disk.
 */
#ifndef SLAC_CLI_INPUTS_H
#define SLAC_CLI_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "runtime/base/diag.h"

typedef struct {
  const char *arg; /* as typed */
  char *copy;      /* the temporary copy once read, or NULL */
  bool spool;      /* read once: to be copied */
  bool once;       /* `-`, a pipe or a socket: named twice is an error */
  dev_t dev;
  ino_t ino;
} slac_cli_input;

typedef struct {
  slac_cli_input *v;
  size_t n, cap;
} slac_cli_inputs;

void slac_cli_inputs_init(slac_cli_inputs *in);

/* Note ARG, an input of command CMD; nothing is read yet.  `-` given
 * twice, or one pipe named twice (`-` and /dev/stdin), is a usage error:
 * returns 2 after reporting it; 1 when out of memory (nothing reported);
 * 0 otherwise. */
int slac_cli_inputs_add(slac_cli_inputs *in, const char *cmd, const char *arg);

/* Copy every noted input that is not a regular file, in order.  Returns
 * 0, or 1 after reporting through D (it cannot be opened or read, the
 * copy cannot be written). */
int slac_cli_inputs_read(slac_cli_inputs *in, slac_diags *d);

/* The path to read for ARG (the very pointer that was noted): its copy,
 * or ARG itself. */
char *slac_cli_inputs_path(const slac_cli_inputs *in, const char *arg);

/* Remove the copies and free IN. */
void slac_cli_inputs_free(slac_cli_inputs *in);

#endif
