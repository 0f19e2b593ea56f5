/* diag.h - the one diagnostic routine, and the source text it points into.
 *
 * Every error, warning and note slac reports goes through slac_report(),
 * with a site (policy source, data file, bytecode file, or none) and a
 * sink: the command line prints the way gcc and clang do, an embedder or
 * an editor can take each diagnostic as data instead:
 *
 *   saleor.sla:12:10: error: expected a percentage like 99.9%, got a duration
 *     commit 10 min
 *            ^~~~~~
 *
 * Lines and columns are 1-based; columns count characters (UTF-8 code
 * points), so the caret lines up under the word however the line is
 * written.  Errors in data files name FILE:LINE and the column instead
 * (slac_diag_data), since the row itself may be huge or private.
 */
#ifndef SLAC_DIAG_H
#define SLAC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "runtime/base/outbuf.h"

/* Compatible with bison's YYLTYPE (api.location.type). */
typedef struct {
  int first_line, first_column;
  int last_line, last_column; /* last_column is one past the last character */
} slac_loc;

typedef struct {
  char *name;          /* as the user wrote it */
  char *text;          /* whole file, NUL-terminated */
  size_t size;
  size_t *line_starts; /* byte offset of each line, built lazily */
  size_t nlines;
} slac_source;

/* NOTE is information (a conversion summary): counted as neither an
 * error nor a warning, never promoted by --werror. */
typedef enum { SLAC_WARNING, SLAC_ERROR, SLAC_NOTE } slac_severity;

/* Where a diagnostic points. */
typedef enum {
  SLAC_SITE_NONE,     /* the command as a whole: "slac: error: ..." */
  SLAC_SITE_SOURCE,   /* a policy source: file, line, column, caret */
  SLAC_SITE_DATA,     /* a data file: file, line (0: the whole file), column name */
  SLAC_SITE_BYTECODE, /* a .slbc file: file, byte offset (-1: unknown) */
} slac_site_kind;

typedef struct {
  slac_site_kind kind;
  const char *file;          /* NULL for SLAC_SITE_NONE */
  long line;                 /* SOURCE and DATA: 1-based, 0 when none */
  int column, end_column;    /* SOURCE: characters, end one past the last;
                                DATA: a character column (JSON), or 0 */
  const char *column_name;   /* DATA: the CSV column, or NULL */
  long offset;               /* BYTECODE: byte offset, or -1 */
} slac_site;

/* One diagnostic as data: what a sink receives. */
typedef struct {
  slac_severity severity;    /* after --werror */
  bool promoted;             /* a warning that --werror made an error */
  slac_site site;
  const char *message;       /* one line, no trailing newline */
  const char *hint;          /* a line that follows ("Try 'slac --help'."), or NULL */
  const slac_source *source; /* SOURCE sites: the text, for the caret; may be NULL */
  const char *fix;           /* SOURCE sites: the text to write over the
                                site's range to fix it ("99.9%"), or NULL */
} slac_diagnostic;

/* A sink receives every diagnostic that is counted and within the limit;
 * the default sink (NULL) prints it to slac_diags.out as text. */
typedef void (*slac_diag_sink)(void *ctx, const slac_diagnostic *dg);

typedef struct {
  FILE *out;            /* stderr in the CLI, a memstream in tests; NULL:
                           count only (a thread whose work may be redone) */
  slac_diag_sink sink;  /* NULL: print to OUT (slac_diag_print) */
  void *sink_ctx;
  bool werror;          /* warnings count (and print) as errors */
  int errors, warnings; /* counted after --werror is applied */
  int shown, max_shown; /* stop printing after max_shown (0: no limit) */
  bool oom;             /* an out-of-memory error was reported */
  bool quiet_warnings;  /* count warnings but do not print them */
  bool color;           /* printed text is coloured as GCC does (bold
                           locus, red error, magenta warning, cyan note,
                           green caret) */
} slac_diags;

/* OUT stderr gets colour when slac_diag_set_color said so. */
void slac_diags_init(slac_diags *d, FILE *out);
/* Colour the diagnostics of slac_diags initialised on stderr from now on
 * (the command line's --color; off until called). */
void slac_diag_set_color(bool on);
/* --color=auto: stderr is a terminal and NO_COLOR is unset or empty. */
bool slac_diag_color_auto(void);

/* Read PATH into SRC.  On failure prints "PATH: reason" through D and
 * returns -1.  A NUL byte or invalid UTF-8 is reported at its line and
 * column (the rest of slac may assume clean UTF-8 text). */
int slac_source_load(slac_source *src, const char *path, slac_diags *d);
/* Use TEXT (copied) as a source named NAME; same checks as load. */
int slac_source_from_text(slac_source *src, const char *name, const char *text,
                          size_t size, slac_diags *d);
void slac_source_free(slac_source *src);
/* The text of line LINE (1-based) without its line end; *LEN gets its
 * length.  NULL when out of range. */
const char *slac_source_line(slac_source *src, int line, size_t *len);

#if defined(__GNUC__)
#define SLAC_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* The same for a function that takes a va_list. */
#define SLAC_VPRINTF(f) __attribute__((format(printf, f, 0)))
/* A function only errors reach: kept out of line, away from hot loops. */
#define SLAC_COLD __attribute__((cold, noinline))
#else
#define SLAC_PRINTF(f, a)
#define SLAC_VPRINTF(f)
#define SLAC_COLD
#endif

/* The one diagnostic routine: every error, warning and note of slac
 * (policy, bytecode, data, conversion, command line) goes through it.
 * It applies --werror, counts, applies the message limit, and hands the
 * diagnostic to the sink.  SRC may be NULL (no caret). */
void slac_report(slac_diags *d, slac_severity sev, const slac_site *site,
                 const slac_source *src, const char *hint, const char *fmt, ...)
    SLAC_PRINTF(6, 7);
void slac_vreport(slac_diags *d, slac_severity sev, const slac_site *site,
                  const slac_source *src, const char *hint, const char *fmt, va_list ap)
    SLAC_VPRINTF(6);
/* The same, with a fix-it: FIX (or NULL) is what to write over the
 * site's range (sinks get it as slac_diagnostic.fix; the text form leaves
 * it to the message, which says what to write). */
void slac_vreport_fix(slac_diags *d, slac_severity sev, const slac_site *site,
                      const slac_source *src, const char *hint, const char *fix, const char *fmt,
                      va_list ap) SLAC_VPRINTF(7);
/* The text form (the default sink), always "WHERE: SEVERITY: MESSAGE":
 * "FILE:LINE:COL: error: MESSAGE" then the source line and a caret for a
 * policy; "FILE:LINE: error: column 'C': MESSAGE" for a data file (FILE:
 * alone for the whole file); "slac: error: FILE: MESSAGE" for bytecode; "slac: error: MESSAGE" when there is no site.  A HINT follows
 * on a line of its own. */
void slac_diag_print(FILE *out, const slac_diagnostic *dg);
/* The same, with GCC's colour escapes when COLOR. */
void slac_diag_print_color(FILE *out, const slac_diagnostic *dg, bool color);

/* Shorthands that build the site and call slac_report. */
/* At LOC in SRC (SRC may be NULL: then only "slac: error: MESSAGE"). */
void slac_diag(slac_diags *d, slac_source *src, slac_loc loc, slac_severity sev,
               const char *fmt, ...) SLAC_PRINTF(5, 6);
/* At LOC in SRC, with a fix-it (slac_vreport_fix). */
void slac_diag_fix(slac_diags *d, slac_source *src, slac_loc loc, slac_severity sev,
                   const char *fix, const char *fmt, ...) SLAC_PRINTF(6, 7);
/* An error in a data file: "FILE:LINE: error: column 'COL': MESSAGE", or
 * without the column when COLUMN is NULL, or "FILE: error: MESSAGE" when
 * LINE is 0. */
void slac_diag_data(slac_diags *d, const char *file, long line, const char *column,
                    const char *fmt, ...) SLAC_PRINTF(5, 6);
/* A warning in a data file (LINE 0: the whole file). */
void slac_diag_data_warning(slac_diags *d, const char *file, long line, const char *fmt, ...)
    SLAC_PRINTF(4, 5);
/* An error in a bytecode file (OFFSET -1: unknown). */
void slac_diag_bytecode(slac_diags *d, const char *file, long offset, const char *fmt, ...)
    SLAC_PRINTF(4, 5);
/* No site: "slac: error: MESSAGE", "slac: warning: ...", "slac: note: ...". */
void slac_diag_plain(slac_diags *d, slac_severity sev, const char *fmt, ...)
    SLAC_PRINTF(3, 4);
/* Out of memory: reported once, sets d->oom. */
void slac_diag_oom(slac_diags *d);

/* S for a reader's terminal (text reports, diagnostics): control
 * characters - C0 (the tab included), DEL, C1 encoded in UTF-8, and the
 * bytes 0x80..0x9F where they are not UTF-8 - are written as escapes
 * (\x1b, \u009b, \x9b), the rest as it is. */
void slac_put_shown(FILE *out, const char *s);
/* The same, appended to an outbuf (the reports of slac eval). */
void slac_put_shown_buf(slac_outbuf *b, const char *s);

/* Length of the valid UTF-8 sequence at S (at most N bytes available), or
 * 0 when the bytes there are not valid UTF-8. */
size_t slac_utf8_len(const unsigned char *s, size_t n);

#endif
