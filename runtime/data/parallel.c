/* parallel.c - one request-windows or incidents file read by several
 * threads.
 *
 * A windows file (and an incidents file whose rows the html report
 * keeps) is cut after a line feed near each 1/N of its data, and each
 * part is folded by its own thread into a dataset of its own
 * (slac_read_part); the main dataset only is read meanwhile
 * (slac_dataset_find writes nothing: each reader keeps its own guesses).
 * Then, in file order, the parts are checked and added to the main
 * dataset.  An incidents file is read by account instead: each of the N
 * threads reads the whole file and folds the rows of the accounts whose
 * name hashes to it (slac_account_owner), so that no account is in two
 * parts.  Parts cut by lines met most accounts each (an account's
 * incidents are spread over the year), so with 100,000 accounts two
 * threads kept 200,000 records and united every account's sets, and were
 * slower than one; by account, the parts' records add up to one per
 * account, and their span sets are moved into the main dataset, in the
 * order of the accounts' first rows.  Everything a window row leaves behind adds up exactly and in
 * any order (integer sums, unions of minutes), and so does an incident
 * row (unions of spans per cause), so the result is the one a sequential
 * read gives, byte for byte.
 *
 * A cut is a guess: a line feed inside a quoted field does not end a
 * record.  The reader of the part before a cut then ends inside quotes
 * and fails, as it does on any bad row, and so does anything else that is
 * wrong (bad rows, windows out of order across a cut, no memory, a read
 * error): then
 * nothing is kept, and the caller reads the file sequentially, which
 * reports the first error exactly as it always has.  Parallel reading
 * never prints a diagnostic of its own.
 */
#include "runtime/data/parallel.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/data/csv.h"
#include "runtime/data/readers.h"

/* Automatic mode: no part smaller than this (thread start-up and merging
 * would cost more than they save), and at most this many threads: each
 * part keeps its own record of every account it meets (about 0.65 KiB an
 * account), so 10,000 accounts read by 4 threads peak at about 34 MiB,
 * within the 64 MiB that docs/performance.md promises. */
#define MIN_PART ((uint64_t)8 << 20)
#define MAX_AUTO_JOBS 4

/* The accounts all the parts of a file may create together.  Each part
 * keeps its own record of every account it meets, so a file of many
 * accounts read by N threads would need up to N + 1 times the memory of
 * one (a million accounts: 1.2 GB with two threads, against under 300 MB
 * with one).  Past this many (about 40 MB of records), the parts give up
 * like on any failure and the file is read by one thread: the files that
 * threads speed up have many rows per account, not many accounts. */
#define PART_ACCOUNTS 131072L

typedef struct {
  slac_dataset part;
  const slac_dataset *main;
  const char *path;
  slac_data_kind kind;
  uint32_t file;
  uint64_t offset, limit;
  int owner, owners;       /* owners > 1: the rows of this part's accounts only */
  long lines;
  int rc;
  bool started, thread;
  pthread_t id;
} part_job;

static void *run_part(void *arg) {
  part_job *j = arg;
  slac_diags quiet;
  slac_diags_init(&quiet, NULL);
  j->rc = slac_read_part(&j->part, j->main, j->path, j->kind, j->file, j->offset, j->limit,
                         j->owner, j->owners, &j->lines, &quiet);
  return NULL;
}

int slac_jobs_auto(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return 1;
  return n > MAX_AUTO_JOBS ? MAX_AUTO_JOBS : (int)n;
}

/* The header: where the data starts, as a byte offset and a line. */
static int header_end(const char *path, uint64_t *offset, long *line) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  slac_csv *csv = slac_csv_open(f, path);
  int rc = csv && slac_csv_next(csv) == 1 ? 0 : -1;
  if (rc == 0) *offset = slac_csv_offset(csv);
  slac_csv_close(csv);
  /* a quoted column name may hold line feeds: count them all */
  *line = 1;
  char buf[65536];
  rewind(f);
  for (uint64_t left = rc == 0 ? *offset : 0; left > 0 && rc == 0;) {
    size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
    size_t got = fread(buf, 1, want, f);
    if (got != want) rc = -1;
    for (size_t i = 0; i < got; i++) *line += buf[i] == '\n';
    left -= got;
  }
  fclose(f);
  return rc;
}

/* The offset just after the first line feed at or after AT (SIZE if none). */
static uint64_t after_newline(FILE *f, uint64_t at, uint64_t size) {
  char buf[65536];
  if (fseeko(f, (off_t)at, SEEK_SET) != 0) return size;
  for (;;) {
    size_t got = fread(buf, 1, sizeof buf, f);
    const char *nl = got ? memchr(buf, '\n', got) : NULL;
    if (nl) return at + (uint64_t)(nl - buf) + 1;
    if (got < sizeof buf) return size;
    at += got;
  }
}

/* Where each part starts: CUT[0] = START ... CUT[N] = SIZE. */
static int plan_cuts(const char *path, uint64_t start, uint64_t size, int n, uint64_t *cut) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  cut[0] = start;
  for (int k = 1; k < n; k++) {
    uint64_t at = start + (size - start) / (uint64_t)n * (uint64_t)k;
    if (at < cut[k - 1]) at = cut[k - 1];
    cut[k] = at >= size ? size : after_newline(f, at, size);
  }
  cut[n] = size;
  fclose(f);
  return 0;
}

/* Does every window of PARTS[K] come after the last one before it, per
 * account and service: in the parts before K, or else in MAIN? */
static bool in_order(const slac_dataset *main, const part_job *parts, int k) {
  const slac_dataset *ds = &parts[k].part;
  for (size_t i = 0; i < ds->naccounts; i++) {
    const slac_account *a = &ds->accounts[i];
    for (int s = 0; s < ds->p->nservices; s++) {
      if (!a->svc[s].windows_seen) continue;
      const slac_svc_state *before = NULL;
      for (int j = k - 1; j >= 0 && !before; j--) {
        const slac_account *b = slac_dataset_find(&parts[j].part, a->name, a->name_len);
        if (b && b->svc[s].windows_seen) before = &b->svc[s];
      }
      if (!before && a->origin && main->accounts[a->origin - 1].svc[s].windows_seen)
        before = &main->accounts[a->origin - 1].svc[s];
      if (before && a->svc[s].first_window <= before->last_window) return false;
    }
  }
  return true;
}

/* Fold parts read by account (no account in two of them) into DS in
 * the order of the accounts' first rows, as one sequential read creates
 * them: each part's accounts are in that order already, so this merges
 * the parts' lists.  Every part counts lines from the first data line. */
static int merge_by_account(slac_dataset *ds, part_job *parts, int n, uint32_t file, long line_base) {
  for (int k = 0; k < n; k++)
    if (slac_dataset_merge_months(ds, &parts[k].part) != 0) return -1;
  size_t *next = calloc((size_t)n, sizeof *next); /* each part's next account */
  if (!next) return -1;
  for (;;) {
    int best = -1;
    for (int k = 0; k < n; k++)
      if (next[k] < parts[k].part.naccounts &&
          (best < 0 || parts[k].part.accounts[next[k]].first_line <
                           parts[best].part.accounts[next[best]].first_line))
        best = k;
    if (best < 0 ||
        slac_dataset_merge_incident_account(ds, &parts[best].part, next[best]++, file, line_base, NULL) != 0) {
      free(next);
      return best < 0 ? 0 : -1;
    }
  }
}

static int read_parallel(slac_dataset *ds, const char *path, slac_data_kind kind, uint32_t file,
                         int jobs, slac_diags *d) {
  bool forced = jobs > 0;
  if (!forced) jobs = slac_jobs_auto();
  struct stat st;
  if (jobs < 2 || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 1;
  uint64_t size = (uint64_t)st.st_size;
  /* decided before reading a byte: a small file is read once, by the caller */
  if (!forced && (uint64_t)jobs > size / MIN_PART) jobs = (int)(size / MIN_PART);
  uint64_t start;
  long first_line;
  if (jobs < 2 || header_end(path, &start, &first_line) != 0) return 1;

  part_job *parts = calloc((size_t)jobs, sizeof *parts);
  uint64_t *cut = calloc((size_t)jobs + 1, sizeof *cut);
  atomic_long accounts_left = PART_ACCOUNTS;
  /* incidents: each thread reads the whole file and folds the rows of its
   * share of the accounts (no account in two parts: nothing to unite, and
   * no record kept twice); the html report's incident rows, which must
   * stay in file order, and windows: each thread a stretch of the file */
  bool by_account = kind == SLAC_DATA_INCIDENTS && !ds->keep_incidents;
  int rc = parts && cut && (by_account || plan_cuts(path, start, size, jobs, cut) == 0) ? 0 : 1;
  for (int k = 0; k < jobs && rc == 0; k++) {
    part_job *j = &parts[k];
    if (slac_dataset_init(&j->part, ds->p) != 0) { rc = 1; break; }
    j->part.layout = ds->layout;
    j->part.keep_incidents = ds->keep_incidents;
    j->part.keep_days = ds->keep_days;
    j->part.progress = by_account && k > 0 ? NULL : ds->progress; /* the bytes once */
    j->part.accounts_left = &accounts_left;
    j->started = true;
    j->main = ds;
    j->path = path;
    j->kind = kind;
    j->file = file;
    j->offset = by_account ? start : cut[k];
    j->limit = by_account ? size - start : cut[k + 1] - cut[k];
    j->owner = k;
    j->owners = by_account ? jobs : 1;
    j->rc = -1;
  }
  /* parts 1.. on threads, part 0 on this one */
  for (int k = 1; k < jobs && rc == 0; k++)
    parts[k].thread = pthread_create(&parts[k].id, NULL, run_part, &parts[k]) == 0;
  if (rc == 0) run_part(&parts[0]);
  for (int k = 1; k < jobs && parts; k++)
    if (parts[k].thread) pthread_join(parts[k].id, NULL);
  for (int k = 0; k < jobs && rc == 0; k++)
    if (parts[k].rc != 0 || (kind == SLAC_DATA_WINDOWS && !in_order(ds, parts, k))) rc = 1;
  /* the header, which no part reads */
  if (rc == 0) slac_progress_add(ds->progress, start);
  /* all parts are good: fold them in, in file order */
  long line_base = first_line - 1;
  if (rc == 0 && by_account && merge_by_account(ds, parts, jobs, file, line_base) != 0) {
    slac_diag_oom(d);
    rc = -1;
  }
  for (int k = 0; k < jobs && rc == 0 && !by_account; k++) {
    int merged = kind == SLAC_DATA_WINDOWS ? slac_dataset_merge_windows(ds, &parts[k].part, file, line_base)
                                           : slac_dataset_merge_incidents(ds, &parts[k].part, file, line_base);
    if (merged != 0) {
      slac_diag_oom(d);
      rc = -1;
    }
    line_base += parts[k].lines;
  }
  for (int k = 0; k < jobs && parts; k++)
    if (parts[k].started) slac_dataset_free(&parts[k].part);
  free(parts);
  free(cut);
  return rc;
}

int slac_read_windows_parallel(slac_dataset *ds, const char *path, uint32_t file, int jobs,
                               slac_diags *d) {
  return read_parallel(ds, path, SLAC_DATA_WINDOWS, file, jobs, d);
}

int slac_read_incidents_parallel(slac_dataset *ds, const char *path, uint32_t file, int jobs,
                                 slac_diags *d) {
  return read_parallel(ds, path, SLAC_DATA_INCIDENTS, file, jobs, d);
}
