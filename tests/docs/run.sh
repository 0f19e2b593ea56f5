#!/bin/sh
# run.sh - the docs run: every command shown in README.md, examples/ and
# docs/ is run and its output compared with the output shown.
#
#   sh tests/docs/run.sh SLAC SRCDIR [DOC.md...]
#
# Each document runs in its own copy of the repository (without build
# trees), with build/slac and `slac` on the PATH being SLAC, so that what
# one document writes (saleor.slbc, git.csv) is seen by its later commands
# only.  extract.awk says how a command, its output, a file to write and a
# block left out are written in Markdown; match.awk how outputs compare.
# Standard output and standard error are compared together, in the order
# the command wrote them to one file.  Prints each failure with the
# document's line and a diff, each block left out with its reason, then
# "N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
args_or_usage 2+ $# "sh tests/docs/run.sh SLAC SRCDIR [DOC.md...]"
slac_binary "$1"
need_executable
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$2" && pwd)
shift 2
scratch docs
if [ $# -eq 0 ]; then
  set -- README.md examples/README.md
  for f in "$src"/docs/*.md; do set -- "$@" "docs/${f##*/}"; done
fi

# the repository as a user clones it: no build trees
mkdir "$tmp/src"
(cd "$src" && tar --exclude='./build*' --exclude=./.git -cf - .) | (cd "$tmp/src" && tar -xf -)

for doc in "$@"; do
  name=$(printf '%s' "$doc" | tr '/' '_')
  steps="$tmp/steps/$name"
  work="$tmp/work/$name"
  mkdir -p "$steps" "$tmp/work"
  cp -R "$tmp/src" "$work"
  mkdir -p "$work/build"
  ln -s "$slac" "$work/build/slac"
  awk -v out="$steps" -f "$here/extract.awk" "$src/$doc" || { case_failed; continue; }
  for kind_file in "$steps"/*.kind; do
    [ -e "$kind_file" ] || break
    id=${kind_file%.kind}
    kind=$(cat "$kind_file")
    line=$(cat "$id.line")
    case $kind in
      file)
        cp "$id.body" "$work/$(cat "$id.text")" ;;
      skip)
        echo "not run: $doc:$line: $(cat "$id.text")" ;;
      unclosed)
        case_failed
        echo "FAIL $doc: a code block opened before the end is never closed" ;;
      badmarker)
        case_failed
        echo "FAIL $doc:$line: '<!-- doc-test: $(cat "$id.text") -->' is not 'file NAME' or 'skip REASON'" ;;
      unmarked)
        case_failed
        echo "FAIL $doc:$line: a command outside a session: $(cat "$id.text")"
        echo "  write it as '\$ COMMAND' followed by its output, or put"
        echo "  <!-- doc-test: skip REASON --> on the line before the block" ;;
      cmd)
        (cd "$work" && PATH="$work/build:$PATH" NO_COLOR=1 \
           timeout 120 sh -c "$(cat "$id.text")" </dev/null >"$id.out" 2>&1)
        if awk -f "$here/match.awk" "$id.body" "$id.out"; then
          case_passed
        else
          case_failed
          echo "FAIL $doc:$line: \$ $(cat "$id.text")"
          diff -u "$id.body" "$id.out" | sed 1,2d | head -30
        fi ;;
    esac
  done
done
counts_line
