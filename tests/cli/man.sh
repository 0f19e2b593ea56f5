#!/bin/sh
# man.sh - docs/slac.1 and `slac COMMAND --help` list the same options:
# for each command, the options of its --help (lines "  -x, --name ...")
# and those of the man page's OPTIONS section (the .TP entries under the
# subsections that name the command: "check", "eval, convert", "Every
# command", "Every command but lsp"); either listing one the other does
# not is a failure.  The man page must also describe every command.
#
#   sh man.sh SLAC_BINARY REPO
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh man.sh SLAC_BINARY REPO"
slac_binary "$1"
need_executable man.sh
man=$2/docs/slac.1
scratch man
commands="check fmt test diff build disasm eval convert lsp"

# man_options CMD: the options the man page gives CMD, one per line, sorted
man_options() {
  awk -v cmd="$1" '
    /^\.SH / { in_opts = ($0 ~ /^\.SH OPTIONS/); applies = 0; next }
    !in_opts { next }
    /^\.SS / {
      t = $0; sub(/^\.SS /, "", t); gsub(/"/, "", t)
      applies = 0
      if (t == "Every command") applies = 1
      else if (t ~ /^Every command but /) { x = t; sub(/^Every command but /, "", x); applies = (x != cmd) }
      else { n = split(t, w, /, */); for (i = 1; i <= n; i++) if (w[i] == cmd) applies = 1 }
      next
    }
    /^\.TP/ { entry = 1; next }
    entry && applies {
      line = $0; entry = 0
      gsub(/\\-/, "-", line)
      while (match(line, /(^|[ "])--?[a-z][-a-z0-9]*/)) {
        o = substr(line, RSTART, RLENGTH); sub(/^[ "]/, "", o)
        print o
        line = substr(line, RSTART + RLENGTH)
      }
      next
    }
    { entry = 0 }' "$man" | sed 's/^\.B[IR]* //' | sort -u
}

# help_options CMD: the options `slac CMD --help` lists, sorted
help_options() {
  "$slac" "$1" --help | sed -n 's/^  \(-[^ ]*\)\(.*\)$/\1\2/p' |
    awk '{ print $1; if ($1 ~ /,$/) print $2 }' | tr -d , | sort -u
}

for c in $commands; do
  man_options "$c" > "$tmp/man.$c"
  help_options "$c" > "$tmp/help.$c"
  if [ ! -s "$tmp/help.$c" ]; then
    echo "FAIL $c: --help lists no option"; case_failed
  elif cmp -s "$tmp/man.$c" "$tmp/help.$c"; then
    case_passed
  else
    echo "FAIL $c: the man page (-) and --help (+) differ:"
    diff "$tmp/man.$c" "$tmp/help.$c" | sed -n 's/^</  -/p; s/^>/  +/p'
    case_failed
  fi
done
# every command, help included, has its entry under COMMANDS
for c in $commands help; do
  if sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$man" | grep -A1 '^\.TP' | grep -qx "\.B $c"; then
    case_passed
  else
    echo "FAIL the man page's COMMANDS section has no entry for $c"; case_failed
  fi
done
counts_line
