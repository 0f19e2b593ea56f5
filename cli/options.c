/* options.c - getopt_long driven by a command's option table, and the
 * --help listing printed from the same table (options.h). */
#include "cli/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "runtime/base/diag.h"

/* Every command takes these; --color only those that print diagnostics. */
static const slac_opt common[] = {
    {"help", 'h', NULL, "show this help", false, NULL},
    {"version", 0, NULL, "show the version of slac", false, NULL},
    {"color", 0, "WHEN", "colour the diagnostics: auto (default: when standard\n"
                         "error is a terminal and NO_COLOR is not set), always,\n"
                         "never",
     false, "auto always never"},
};
enum { COMMON_HELP, COMMON_VERSION, COMMON_COLOR, NCOMMON };

/* getopt_long's value for the option at index I of the combined table:
 * above every character, so that short letters stay themselves. */
#define OPT_VAL(i) (0x100 + (i))

static size_t ncommon(const slac_cmd_spec *s) { return s->color ? NCOMMON : NCOMMON - 1; }

/* Option I of the table followed by the common options. */
static const slac_opt *opt_at(const slac_cmd_spec *s, size_t i) {
  return i < s->nopts ? &s->opts[i] : &common[i - s->nopts];
}

const char *slac_opts_name(const slac_cmd_spec *spec, const slac_opt_hit *h) {
  static char buf[80];
  const slac_opt *o = opt_at(spec, (size_t)h->opt);
  if (o->name) snprintf(buf, sizeof buf, "--%s", o->name);
  else snprintf(buf, sizeof buf, "-%c", o->letter);
  return buf;
}

void slac_opts_free(slac_opts *o) {
  free(o->hits);
  free(o->args);
  memset(o, 0, sizeof *o);
}

/* The name of the option that getopt refused, for the message: the long
 * name up to '=', or the short letter. */
static void refused_name(int argc, char **argv, int index, char *buf, size_t size) {
  if (optopt > 0 && optopt < 0x100) {
    snprintf(buf, size, "-%c", optopt);
    return;
  }
  const char *a = index > 0 && index <= argc ? argv[index - 1] : "?";
  size_t n = strcspn(a, "=");
  snprintf(buf, size, "%.*s", (int)(n < 200 ? n : 200), a);
}

/* getopt_long takes a unique prefix of a long name (--fo for --format);
 * when NAME is the prefix of several, say which, and set *RC. */
static bool ambiguous(const slac_cmd_spec *spec, const char *name, int *rc) {
  if (strncmp(name, "--", 2) != 0 || !name[2]) return false;
  char names[512] = "";
  size_t used = 0, n = 0, len = strlen(name + 2);
  for (size_t i = 0; i < spec->nopts + ncommon(spec); i++) {
    const slac_opt *o = opt_at(spec, i);
    if (!o->name || strncmp(o->name, name + 2, len) != 0) continue;
    int k = snprintf(names + used, sizeof names - used, "%s--%s", n ? ", " : "", o->name);
    if (k > 0 && used + (size_t)k < sizeof names) used += (size_t)k;
    n++;
  }
  if (n < 2) return false;
  *rc = slac_usage_error(spec->cmd, "option '%s' is ambiguous: %s", name, names);
  return true;
}

static bool color_value(const char *v, bool *mode) {
  if (strcmp(v, "auto") == 0) *mode = slac_diag_color_auto();
  else if (strcmp(v, "always") == 0) *mode = true;
  else if (strcmp(v, "never") == 0) *mode = false;
  else return false;
  return true;
}

int slac_opts_parse(const slac_cmd_spec *spec, int argc, char **argv, slac_opts *out) {
  memset(out, 0, sizeof *out);
  size_t total = spec->nopts + ncommon(spec);
  struct option *longs = calloc(total + 1, sizeof *longs);
  char *shorts = malloc(2 * total + 3);
  int *count = calloc(total, sizeof *count);
  size_t n = argc > 0 ? (size_t)argc : 1;
  out->hits = calloc(n, sizeof *out->hits);
  out->args = calloc(n, sizeof *out->args);
  if (!longs || !shorts || !count || !out->hits || !out->args) {
    free(longs);
    free(shorts);
    free(count);
    slac_opts_free(out);
    return slac_cli_oom();
  }
  /* "-": files come back in order as option 1 (argv is never permuted);
   * ":": a missing value is told apart from an unknown option */
  size_t ns = 0, nl = 0;
  shorts[ns++] = '-';
  shorts[ns++] = ':';
  for (size_t i = 0; i < total; i++) {
    const slac_opt *o = opt_at(spec, i);
    if (o->name)
      longs[nl++] = (struct option){o->name, o->metavar ? required_argument : no_argument, NULL,
                                    OPT_VAL((int)i)};
    if (o->letter) {
      shorts[ns++] = o->letter;
      if (o->metavar) shorts[ns++] = ':';
    }
  }
  shorts[ns] = 0;
  int rc = SLAC_OPTS_GO;
  optind = 0; /* glibc: start afresh, whatever an earlier call left */
  opterr = 0; /* the messages are ours */
  int c;
  char name[256];
  while (rc == SLAC_OPTS_GO && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
    if (c == 1) {
      out->args[out->nargs++] = optarg;
      continue;
    }
    if (c == '?' || c == ':') {
      if (optopt >= 0x100) snprintf(name, sizeof name, "--%s", opt_at(spec, (size_t)(optopt - 0x100))->name);
      else refused_name(argc, argv, optind, name, sizeof name);
      if (c == ':') {
        const slac_opt *o = optopt >= 0x100 ? opt_at(spec, (size_t)(optopt - 0x100)) : NULL;
        for (size_t i = 0; !o && i < total; i++)
          if (opt_at(spec, i)->letter == optopt) o = opt_at(spec, i);
        rc = slac_usage_error(spec->cmd, "%s needs a value (%s)", name, o ? o->metavar : "a value");
      } else if (optopt >= 0x100) {
        rc = slac_usage_error(spec->cmd, "%s takes no value", name);
      } else if (!ambiguous(spec, name, &rc)) {
        rc = slac_usage_error(spec->cmd, "unknown option '%s'", name);
      }
      break;
    }
    size_t i = 0;
    if (c >= 0x100) i = (size_t)(c - 0x100);
    else
      while (i < total && opt_at(spec, i)->letter != c) i++;
    const slac_opt *o = opt_at(spec, i);
    if (++count[i] > 1 && !o->repeatable && i != spec->nopts + COMMON_HELP) {
      char first[96];
      if (o->name) snprintf(first, sizeof first, "--%s", o->name);
      else snprintf(first, sizeof first, "-%c", o->letter);
      rc = slac_usage_error(spec->cmd, "%s given twice: give it once", first);
      break;
    }
    if (i == spec->nopts + COMMON_HELP) {
      slac_opts_help(spec, stdout);
      rc = SLAC_EXIT_OK;
    } else if (i == spec->nopts + COMMON_VERSION) {
      printf("slac %s\n", SLAC_VERSION);
      rc = SLAC_EXIT_OK;
    } else if (i == spec->nopts + COMMON_COLOR) {
      bool mode;
      if (!color_value(optarg, &mode))
        rc = slac_usage_error(spec->cmd, "--color is auto, always or never, not '%s'", optarg);
      else slac_diag_set_color(mode);
    } else {
      out->hits[out->nhits++] = (slac_opt_hit){(int)i, o->metavar ? optarg : NULL};
    }
  }
  /* after `--`: files only */
  while (rc == SLAC_OPTS_GO && optind < argc) out->args[out->nargs++] = argv[optind++];
  free(longs);
  free(shorts);
  free(count);
  if (rc != SLAC_OPTS_GO) slac_opts_free(out);
  return rc;
}

static int find(const slac_cmd_spec *spec, const char *name) {
  for (size_t i = 0; i < spec->nopts; i++) {
    const slac_opt *o = &spec->opts[i];
    if (name[0] == '-' && name[1] != '-' ? o->letter == name[1]
                                         : o->name && strcmp(o->name, name + 2) == 0)
      return (int)i;
  }
  return -1;
}

const char *slac_opts_value(const slac_cmd_spec *spec, const slac_opts *o, const char *name) {
  int k = find(spec, name);
  for (int i = 0; i < o->nhits; i++)
    if (o->hits[i].opt == k) return o->hits[i].value;
  return NULL;
}

bool slac_opts_has(const slac_cmd_spec *spec, const slac_opts *o, const char *name) {
  int k = find(spec, name);
  for (int i = 0; i < o->nhits; i++)
    if (o->hits[i].opt == k) return true;
  return false;
}

/* One option of the listing: "  -o, --name METAVAR" padded to column 20,
 * then its help, each further line indented to that column. */
static void help_row(const slac_opt *o, FILE *out) {
  if (!o->name && !o->letter) {
    fprintf(out, "\n%s\n", o->help);
    return;
  }
  char head[128], letter[2] = {o->letter, 0};
  int n = snprintf(head, sizeof head, "  %s%s%s%s%s%s%s", o->letter ? "-" : "", letter,
                   o->letter && o->name ? ", " : "",
                   o->name ? "--" : "", o->name ? o->name : "", o->metavar ? " " : "",
                   o->metavar ? o->metavar : "");
  fputs(head, out);
  if (n > 18) fprintf(out, "\n%20s", "");
  else fprintf(out, "%*s", 20 - n, "");
  for (const char *p = o->help; *p; p++) {
    fputc(*p, out);
    if (*p == '\n') fprintf(out, "%20s", "");
  }
  fputc('\n', out);
}

void slac_opts_help(const slac_cmd_spec *spec, FILE *out) {
  fputs(spec->usage, out);
  fputs("\noptions:\n", out);
  /* the command's own options, the common ones, then the groups under a
   * heading (the real-input options) */
  size_t first_heading = 0;
  while (first_heading < spec->nopts &&
         (spec->opts[first_heading].name || spec->opts[first_heading].letter))
    first_heading++;
  for (size_t i = 0; i < first_heading; i++) help_row(&spec->opts[i], out);
  for (size_t i = 0; i < ncommon(spec); i++) help_row(&common[i], out);
  for (size_t i = first_heading; i < spec->nopts; i++) help_row(&spec->opts[i], out);
  if (spec->tail) fputs(spec->tail, out);
}
