/* progress.h - the progress line of `slac eval` on standard error while
 * the data files are read: bytes read of the total, the rate and the time
 * left (runtime/base/progress.h makes the line).
 *
 * --progress shows it whatever standard error is; --no-progress never;
 * by default it is shown when standard error is a terminal and the data
 * files hold at least SLAC_CLI_PROGRESS_MIN bytes.  On a terminal the line
 * is rewritten in place every half second and erased at the end, and a
 * diagnostic printed meanwhile erases it first (slac_cli_progress_sink);
 * elsewhere (a file, a pipe: only with --progress) each update is a line
 * of its own, once a second, and the last says how long the reading took.
 */
#ifndef SLAC_CLI_PROGRESS_H
#define SLAC_CLI_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "runtime/base/diag.h"
#include "runtime/base/progress.h"

/* "a few megabytes": smaller inputs are read before a line would help */
#define SLAC_CLI_PROGRESS_MIN (UINT64_C(4) << 20)

typedef enum { SLAC_CLI_PROGRESS_AUTO, SLAC_CLI_PROGRESS_ON, SLAC_CLI_PROGRESS_OFF } slac_cli_progress_mode;

typedef struct {
  slac_progress counter;  /* first: the readers add to it */
  uint64_t total;         /* bytes of the data files */
  bool tty;               /* standard error is a terminal */
  bool started;           /* the lock and the thread were made */
  bool running;           /* the thread runs */
  bool stop;              /* asks the thread to end */
  bool shown;             /* a line is on the terminal, not yet erased */
  bool color;             /* the diagnostics' colour (the sink prints them) */
  uint64_t start_ms;
  pthread_t thread;
  pthread_mutex_t lock;   /* the line and stderr's diagnostics, one at a time */
  pthread_cond_t wake;
} slac_cli_progress;

/* Decide by MODE and the sizes of the NPATHS data files whether to show
 * progress, and start showing it.  Returns the counter to give the
 * evaluation (slac_eval_options.progress), or NULL: no progress (then
 * nothing else needs to be called but slac_cli_progress_end).  D's
 * diagnostics are routed through the progress line's lock meanwhile. */
slac_progress *slac_cli_progress_start(slac_cli_progress *pg, slac_cli_progress_mode mode,
                                       char *const *paths, int npaths, slac_diags *d);
/* Stop: erase the line (terminal) or write the last one; give D back its
 * own printing. */
void slac_cli_progress_end(slac_cli_progress *pg, slac_diags *d);

#endif
