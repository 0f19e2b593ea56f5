#!/bin/sh
# run.sh - the editor syntax files highlight what they should: each place
# of expected.txt in sample.sla gets its Vim syntax group (editors/vim,
# Vim in batch mode) and its TextMate scope (editors/vscode, tokenized by
# vscode-textmate with Oniguruma, as VS Code does; installed from npm
# into CACHE once).  A Vim error while loading the syntax file fails too.
#
#   sh run.sh REPO_DIR CACHE_DIR
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh REPO_DIR CACHE_DIR"
repo=$(cd "$1" && pwd) || exit 2
cache=$2
here=$repo/tests/editors
scratch editors
for tool in vim node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: $tool is missing: run scripts/deps.sh"; exit 2; }
done

# compare TOOL FIELD OUTPUT: the expected field FIELD (3: Vim, 4: TextMate)
# against OUTPUT's third, place by place
compare() {
  grep -v '^#' "$here/expected.txt" | awk -v f="$2" 'NF { print $1, $2, $f }' > "$tmp/want.$1"
  if cmp -s "$tmp/want.$1" "$3"; then
    case_passed
  else
    echo "FAIL $1: LINE COL expected | got"
    paste -d'|' "$tmp/want.$1" "$3" | awk -F'|' '$1 != $2'
    case_failed
  fi
}

# Vim: -es exits 1 when a command (the syntax file included) failed
if vim -N -u NONE -i NONE -es --cmd "set rtp^=$repo/editors/vim" \
     -c 'filetype plugin on' -c 'syntax on' \
     -c "let g:expect = '$here/expected.txt'" -c "let g:out = '$tmp/vim'" \
     -c "edit $here/sample.sla" -c "if &filetype != 'slac' | cquit | endif" \
     -c "source $here/groups.vim" > "$tmp/vim.log" 2>&1; then
  compare vim 3 "$tmp/vim"
else
  echo "FAIL vim: exit status $? (the filetype was not detected, or the syntax file has an error)"
  cat "$tmp/vim.log"
  case_failed
fi

# TextMate: the engine of VS Code, pinned
mkdir -p "$cache" && cache=$(cd "$cache" && pwd) || exit 2
if [ ! -f "$cache/node_modules/vscode-textmate/package.json" ] ||
   [ ! -f "$cache/node_modules/vscode-oniguruma/release/onig.wasm" ]; then
  npm install --silent --no-audit --no-fund --prefix "$cache" \
    vscode-textmate@9.3.2 vscode-oniguruma@2.0.1 > "$tmp/npm.log" 2>&1 ||
    { echo "FAIL textmate: npm install failed"; cat "$tmp/npm.log"; case_failed; counts_line; exit; }
fi
if node "$here/textmate.js" "$cache/node_modules" "$repo/editors/vscode/syntaxes/slac.tmLanguage.json" \
     "$here/sample.sla" "$here/expected.txt" > "$tmp/textmate" 2> "$tmp/textmate.log"; then
  compare textmate 4 "$tmp/textmate"
else
  echo "FAIL textmate: the tokenizer failed"
  cat "$tmp/textmate.log"
  case_failed
fi
counts_line
