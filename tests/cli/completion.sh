#!/bin/sh
# completion.sh - the shell completions printed from the option tables
# (cli/completion.c): bash runs its completion function on typed words
# and must offer exactly the commands, options and values expected; zsh
# must parse its script (zsh -n), which must name every option of every
# command's --help.
#
#   sh completion.sh SLAC_BINARY BUILD_DIR
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh completion.sh SLAC_BINARY BUILD_DIR"
slac_binary "$1"
need_executable completion.sh
build=$(cd "$2" && pwd) || exit 2
bash_file=$build/completion/slac.bash
zsh_file=$build/completion/_slac
scratch completion
for f in "$bash_file" "$zsh_file"; do
  [ -s "$f" ] || { echo "completion.sh: $f was not generated"; exit 1; }
done
# the installed files are what the command prints now
"$slac" completion bash | cmp -s - "$bash_file" && case_passed || { echo "FAIL bash file is stale"; case_failed; }
"$slac" completion zsh | cmp -s - "$zsh_file" && case_passed || { echo "FAIL zsh file is stale"; case_failed; }

# complete NAME EXPECTED WORD... : the last WORD is the one being completed
complete() {
  name=$1 want=$2
  shift 2
  got=$(cd "$tmp" && bash -c '
    . "$0"
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    _slac
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' "$bash_file" "$@")
  if [ "$got" = "$want" ]; then case_passed; else
    echo "FAIL $name: got '$got', expected '$want'"
    case_failed
  fi
}
command -v bash >/dev/null 2>&1 || { echo "completion.sh: bash is needed (scripts/deps.sh)"; exit 1; }
: > "$tmp/a.sla"; : > "$tmp/b.slbc"; : > "$tmp/c.csv"; : > "$tmp/d.test"; mkdir "$tmp/dir"
complete command 'eval ' slac ev
complete commands 'check convert ' slac c
complete all-commands 'build check convert diff disasm eval fmt help lsp test ' slac ''
complete top-options '--help --version ' slac --
complete option '--format ' slac eval --fo
complete options '--claims --color --column --component ' slac eval --c
complete progress '--progress ' slac eval --prog
complete no-progress '--no-progress ' slac eval --no-p
complete progress-after-file '--progress ' slac eval a.sla c.csv --progr
complete short 'convert ' slac conv
complete format-values 'csv html jsonl text ' slac eval --format ''
complete format-value-prefix 'jsonl ' slac eval p.sla --format j
complete format-value-html 'html ' slac eval p.sla --format h
complete format-equals 'csv html jsonl text ' slac eval --format=
complete check-format 'json text ' slac check --format ''
complete diff-format 'json text ' slac diff --format ''
complete diff-options '--color --format --help --version -h ' slac diff -
complete diff-policies 'a.sla b.slbc dir ' slac diff ''
complete color-values 'always auto never ' slac check --color ''
complete intervals 'incident status ' slac convert --intervals ''
complete help-command 'eval ' slac help ev
complete fmt-options '--check --color --help --version -h -w ' slac fmt -
complete lsp-options '--help --version -h ' slac lsp -
complete policy-files 'a.sla b.slbc dir ' slac eval ''
complete data-files 'a.sla b.slbc c.csv d.test dir ' slac eval a.sla ''
complete after-valued 'a.sla b.slbc dir ' slac eval --period 2026-01 ''
complete accounts-file 'a.sla b.slbc c.csv d.test dir ' slac eval --accounts ''
complete test-files 'd.test dir ' slac test ''

# zsh: the script parses and names every option of every --help
if command -v zsh >/dev/null 2>&1; then
  zsh -n "$zsh_file" && case_passed || { echo "FAIL zsh -n"; case_failed; }
else
  echo "completion.sh: zsh is needed (scripts/deps.sh)"
  case_failed
fi
for c in check fmt test diff build disasm eval convert lsp; do
  missing=""
  for o in $("$slac" $c --help | sed -n 's/^  \(-[^ ]*\).*/\1/p; s/^  -., \(--[^ ]*\).*/\1/p' | tr -d ,); do
    grep -q -- "'\*\{0,1\}$o[=[]" "$zsh_file" || missing="$missing $o"
    grep -q -- " $o[ \"]" "$bash_file" || missing="$missing $o(bash)"
  done
  if [ -z "$missing" ]; then case_passed; else echo "FAIL $c: not in the completions:$missing"; case_failed; fi
done
counts_line
