/* completion.c - `slac completion bash|zsh` (hidden): a shell completion
 * script printed from the option tables (options.h), so that the shells
 * offer exactly the options the parser takes.  The build runs it and
 * installs the scripts (cli/cli.cmake). */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/options.h"

static const slac_cmd_spec *const specs[] = {
    &slac_spec_check,  &slac_spec_fmt,  &slac_spec_test,    &slac_spec_diff, &slac_spec_build,
    &slac_spec_disasm, &slac_spec_eval, &slac_spec_convert, &slac_spec_lsp,
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* The options every command takes (options.c adds them to each table). */
static const char *const common_bash = "-h --help --version";

/* " --NAME" or " -L" for every option of S, into OUT. */
static void bash_names(const slac_cmd_spec *s, bool valued_only, FILE *out) {
  for (size_t i = 0; i < s->nopts; i++) {
    const slac_opt *o = &s->opts[i];
    if (valued_only && !o->metavar) continue;
    if (o->letter) fprintf(out, " -%c", o->letter);
    if (o->name) fprintf(out, " --%s", o->name);
  }
}

static void bash(FILE *out) {
  size_t n;
  const slac_command *cmds = slac_cli_commands(&n);
  fputs("# bash completion for slac, printed by `slac completion bash` from the\n"
        "# option tables of its commands (cli/options.h): do not edit.\n"
        "_slac() {\n"
        "  local cur prev cmd i w n skip opts valued kind\n"
        "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
        "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
        "  COMPREPLY=()\n"
        "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
        "    if [[ \"$cur\" == -* ]]; then\n"
        "      COMPREPLY=($(compgen -W \"-h --help --version\" -- \"$cur\"))\n"
        "    else\n"
        "      COMPREPLY=($(compgen -W \"",
        out);
  for (size_t i = 0; i < n; i++) fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
  fputs("\" -- \"$cur\"))\n"
        "    fi\n"
        "    return 0\n"
        "  fi\n"
        "  cmd=\"${COMP_WORDS[1]}\"\n"
        "  case \"$cmd\" in\n"
        "    help)\n"
        "      [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"",
        out);
  for (size_t i = 0; i < n; i++) fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
  fputs("\" -- \"$cur\"))\n"
        "      return 0 ;;\n",
        out);
  for (size_t k = 0; k < NSPECS; k++) {
    const slac_cmd_spec *s = specs[k];
    fprintf(out, "    %s)\n      opts=\"", s->cmd);
    bash_names(s, false, out);
    fprintf(out, " %s%s\"\n      valued=\"", common_bash, s->color ? " --color" : "");
    bash_names(s, true, out);
    fprintf(out, "%s\"\n      kind=%s ;;\n", s->color ? " --color" : "",
            s->args == SLAC_ARGS_POLICY ? "policy" : s->args == SLAC_ARGS_FILES ? "tests" : "none");
  }
  fputs("    *) return 0 ;;\n"
        "  esac\n"
        "  # the value of an option: after it, or after '='\n"
        "  local opt=\"\" val=\"$cur\"\n"
        "  if [[ \"$cur\" == --*=* ]]; then\n"
        "    opt=\"${cur%%=*}\"\n"
        "    val=\"${cur#*=}\"\n"
        "  elif [[ \" $valued \" == *\" $prev \"* ]]; then\n"
        "    opt=\"$prev\"\n"
        "  fi\n"
        "  if [ -n \"$opt\" ]; then\n"
        "    case \"$cmd $opt\" in\n",
        out);
  for (size_t k = 0; k < NSPECS; k++) {
    const slac_cmd_spec *s = specs[k];
    for (size_t i = 0; i < s->nopts; i++) {
      const slac_opt *o = &s->opts[i];
      if (!o->metavar) continue;
      char name[64];
      if (o->name) snprintf(name, sizeof name, "--%s", o->name);
      else snprintf(name, sizeof name, "-%c", o->letter);
      if (!o->values) fprintf(out, "      \"%s %s\") ;;\n", s->cmd, name);
      else if (strcmp(o->values, "@file") == 0)
        fprintf(out, "      \"%s %s\") COMPREPLY=($(compgen -f -- \"$val\")) ;;\n", s->cmd, name);
      else
        fprintf(out, "      \"%s %s\") COMPREPLY=($(compgen -W \"%s\" -- \"$val\")) ;;\n", s->cmd,
                name, o->values);
    }
  }
  fputs("      *\" --color\") COMPREPLY=($(compgen -W \"auto always never\" -- \"$val\")) ;;\n"
        "    esac\n"
        "    return 0\n"
        "  fi\n"
        "  if [[ \"$cur\" == -* ]]; then\n"
        "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
        "    return 0\n"
        "  fi\n"
        "  # how many files come before this one (the first is the policy)\n"
        "  n=0\n"
        "  skip=\n"
        "  for ((i = 2; i < COMP_CWORD; i++)); do\n"
        "    w=\"${COMP_WORDS[i]}\"\n"
        "    if [ -n \"$skip\" ]; then skip=; continue; fi\n"
        "    [[ \" $valued \" == *\" $w \"* ]] && { skip=1; continue; }\n"
        "    [[ \"$w\" == -?* ]] && continue\n"
        "    n=$((n + 1))\n"
        "  done\n"
        "  case \"$kind\" in\n"
        "    policy)\n"
        "      if [ \"$n\" -eq 0 ] || [ \"$cmd\" = check ] || [ \"$cmd\" = fmt ]; then\n"
        "        COMPREPLY=($(compgen -f -X '!*.sla' -- \"$cur\") $(compgen -f -X '!*.slbc' -- \"$cur\")"
        " $(compgen -d -- \"$cur\"))\n"
        "      else\n"
        "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        "      fi ;;\n"
        "    tests) COMPREPLY=($(compgen -f -X '!*.test' -- \"$cur\") $(compgen -d -- \"$cur\")) ;;\n"
        "  esac\n"
        "  return 0\n"
        "}\n"
        "complete -F _slac slac\n",
        out);
}

/* TEXT's first line with the characters zsh's _arguments reads
 * specially ([ ] : ' \) left out. */
static void zsh_text(const char *text, FILE *out) {
  for (const char *p = text; *p && *p != '\n'; p++)
    if (!strchr("[]:'\\", *p)) fputc(*p, out);
}

static void zsh_opt(const slac_cmd_spec *s, const slac_opt *o, FILE *out) {
  for (int form = 0; form < 2; form++) {
    if (form == 0 && !o->letter) continue;
    if (form == 1 && !o->name) continue;
    fputs("    '", out);
    if (o->repeatable) fputc('*', out);
    if (form == 0) fprintf(out, "-%c", o->letter);
    else fprintf(out, "--%s%s", o->name, o->metavar ? "=" : "");
    fputc('[', out);
    zsh_text(o->help, out);
    fputc(']', out);
    if (o->metavar) {
      fprintf(out, ":%s:", o->metavar);
      if (o->values && strcmp(o->values, "@file") == 0) fputs("_files", out);
      else if (o->values) fprintf(out, "(%s)", o->values);
    }
    fputs("' \\\n", out);
  }
  (void)s;
}

static void zsh(FILE *out) {
  size_t n;
  const slac_command *cmds = slac_cli_commands(&n);
  fputs("#compdef slac\n"
        "# zsh completion for slac, printed by `slac completion zsh` from the\n"
        "# option tables of its commands (cli/options.h): do not edit.\n"
        "_slac() {\n"
        "  local -a commands\n"
        "  commands=(\n",
        out);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "    '%s:", cmds[i].name);
    zsh_text(cmds[i].synopsis, out);
    fputs("'\n", out);
  }
  fputs("  )\n"
        "  if (( CURRENT == 2 )); then\n"
        "    _describe -t commands 'slac command' commands\n"
        "    return\n"
        "  fi\n"
        "  local cmd=$words[2]\n"
        "  shift words\n"
        "  (( CURRENT-- ))\n"
        "  case $cmd in\n"
        "  help)\n"
        "    _describe -t commands 'slac command' commands ;;\n",
        out);
  static const slac_opt common[] = {
      {"help", 'h', NULL, "show this help", false, NULL},
      {"version", 0, NULL, "show the version of slac", false, NULL},
      {"color", 0, "WHEN", "colour the diagnostics", false, "auto always never"},
  };
  for (size_t k = 0; k < NSPECS; k++) {
    const slac_cmd_spec *s = specs[k];
    fprintf(out, "  %s)\n    _arguments -s -S \\\n", s->cmd);
    for (size_t i = 0; i < s->nopts; i++)
      if (s->opts[i].name || s->opts[i].letter) zsh_opt(s, &s->opts[i], out);
    for (size_t i = 0; i < (s->color ? 3u : 2u); i++) zsh_opt(s, &common[i], out);
    if (s->args == SLAC_ARGS_POLICY)
      fputs("    '1:policy:_files -g \"*.(sla|slbc)\"' \\\n"
            "    '*:file:_files'\n",
            out);
    else if (s->args == SLAC_ARGS_FILES)
      fputs("    '*:test file or folder:_files -g \"*.test\"'\n", out);
    else fputs("    \n", out);
    fputs("    ;;\n", out);
  }
  fputs("  esac\n"
        "}\n"
        "_slac \"$@\"\n",
        out);
}

int slac_cmd_completion(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "bash") == 0) bash(stdout);
  else if (argc == 2 && strcmp(argv[1], "zsh") == 0) zsh(stdout);
  else return slac_usage_error(NULL, "completion takes one shell: bash or zsh");
  return SLAC_EXIT_OK;
}
