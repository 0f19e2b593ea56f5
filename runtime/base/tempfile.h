/* tempfile.h - temporary files that outlive no command, interrupted or not.
 *
 * Every temporary file slac makes - the file that `-o` writes before it
 * renames it over the target, the CSV file `slac eval` converts a
 * status page or a log to, the copy of standard input or of a pipe that
 * a command reads - is created and removed here, and is listed in a
 * fixed table while it exists.  slac_temp_catch_signals() makes SIGINT,
 * SIGTERM, SIGHUP and SIGPIPE unlink every listed file before the process
 * dies of the signal as it would have: a handler may call nothing but
 * async-signal-safe functions, so it only walks the table and calls
 * unlink(2).  The table changes only while those signals are blocked, so
 * a handler never sees a file that exists but is not listed yet, nor a
 * slot half written.
 *
 * The functions that change the table are for the thread that runs the
 * command, while it has started no other thread (eval's reader threads
 * make no temporary file).
 *
 * A temporary copy of an input may carry the name the user gave it
 * (`<stdin>`, `/dev/fd/63`): diagnostics show that name wherever the
 * temporary path would appear (diag.c asks slac_temp_find).
 */
#ifndef SLAC_TEMPFILE_H
#define SLAC_TEMPFILE_H

#include <stddef.h>

/* How many temporary files may exist at once. */
enum { SLAC_TEMP_MAX = 1024 };

/* A malloc'ed template "DIR/PREFIX-XXXXXX" in $TMPDIR (or /tmp), or NULL
 * when out of memory. */
char *slac_temp_template(const char *prefix);
/* The folder of slac_temp_template, for messages. */
const char *slac_temp_dir(void);

/* Create and list a new file from TEMPLATE, a path whose last six
 * characters are "XXXXXX", replaced in place as mkstemp(3) does.  SHOWN
 * (copied; may be NULL) is the name diagnostics give it.  Returns a
 * descriptor open for writing (mode 0600), or -1 with errno set (EMFILE:
 * the table is full; ENOMEM). */
int slac_temp_create(char *template_path, const char *shown);

/* Unlink a listed file and forget it.  Returns unlink's result. */
int slac_temp_remove(const char *path);

/* Rename a listed file to TARGET and forget it.  Returns rename's result;
 * on failure the file is still listed (remove it). */
int slac_temp_rename(const char *path, const char *target);

/* How many temporary files are listed (0 once a command is done). */
size_t slac_temp_count(void);

/* The first place in TEXT where the path of a listed file that has a
 * shown name occurs: returns it, with its length in *LEN and the shown
 * name in *SHOWN, or NULL. */
const char *slac_temp_find(const char *text, size_t *len, const char **shown);

/* Unlink every listed file.  Async-signal-safe: this is what the signal
 * handlers call. */
void slac_temp_unlink_all(void);

/* Catch SIGINT, SIGTERM, SIGHUP and SIGPIPE (each that is not ignored:
 * an ignored one stays ignored): unlink every listed file, then die of
 * the signal with its default action. */
void slac_temp_catch_signals(void);

#endif
