#!/bin/sh
# run.sh - the end-to-end suites under valgrind memcheck.
#
#   sh tests/valgrind/run.sh SLAC_BINARY REPO_DIR
#
# SLAC_BINARY is a normal (not sanitizer) build.  A wrapper script that
# runs it under
#   valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=all
#            --errors-for-leak-kinds=all --track-origins=yes
# is handed to the suites' own runners in place of slac - the diagnostics
# suite, the examples, the golden listings and, when present, the eval
# and diff suites and the corpus (when SLAC_CORPUS_FIELDS names its checker) - so
# that every command they run is checked, and then a list of
# further commands (help and usage errors, every output format, .slbc
# input, bad data, missing files, standard input, an output that is the
# policy, a link, a device, a converted status page, control characters)
# runs through it too.  Each process
# writes its valgrind log to its own file; the test fails when a suite
# fails or any log holds a report: zero errors and zero leaks of any kind.
# The last line is "N passed, N failed".

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
repo=$(cd "$2" && pwd) || exit 2
if ! command -v valgrind >/dev/null 2>&1; then
  echo "run.sh: valgrind is not installed (scripts/deps.sh installs it)" >&2
  exit 2
fi
scratch valgrind
mkdir "$tmp/logs"
wrapper=$tmp/slac
cat >"$wrapper" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \\
  --errors-for-leak-kinds=all --track-origins=yes --log-file="$tmp/logs/vg.%p" \\
  "$slac" "\$@"
EOF
chmod +x "$wrapper"

suite() { # NAME COMMAND...: a suite runner, given the wrapper
  name=$1
  shift
  if "$@" >"$tmp/suite.out" 2>&1; then
    case_passed
    echo "ok $name: $(tail -n 1 "$tmp/suite.out")"
  else
    case_failed
    echo "FAIL $name"
    tail -n 30 "$tmp/suite.out" | sed 's/^/  | /'
  fi
}

suite diagnostics sh "$repo/tests/diagnostics/run.sh" "$wrapper" "$repo/tests/diagnostics"
suite examples sh "$repo/examples/run.sh" "$wrapper"
suite golden sh "$repo/tests/golden/run.sh" "$wrapper" "$repo"
if [ -f "$repo/tests/eval/run.sh" ]; then
  # --jobs 2 is enough to run the threads under valgrind (3 adds 40% time)
  export SLAC_EVAL_THREADS=2
  suite eval sh "$repo/tests/eval/run.sh" "$wrapper" "$repo/tests/eval"
  unset SLAC_EVAL_THREADS
fi
if [ -f "$repo/tests/diff/run.sh" ]; then
  suite diff sh "$repo/tests/diff/run.sh" "$wrapper" "$repo/tests/diff"
fi
if [ -n "${SLAC_CORPUS_FIELDS:-}" ]; then
  suite corpus sh "$repo/tests/corpus/run.sh" "$wrapper" "$repo" "$SLAC_CORPUS_FIELDS"
fi

# Further commands: DIR|EXPECTED EXIT STATUS|ARGUMENTS (@TMP@: scratch).
"$slac" build "$repo/policies/piwik-pro.sla" -o "$tmp/piwik.slbc" 2>/dev/null
cp "$repo/policies/saleor.sla" "$tmp/p.sla"
ln -s t.slbc "$tmp/link.slbc"
cat >"$tmp/commands" <<'EOF'
.|0|--help
.|0|--version
.|2|
.|2|frobnicate
.|0|eval --help
.|2|eval policies/saleor.sla
.|2|eval policies/saleor.sla x.csv --format yaml
.|2|eval policies/saleor.sla x.csv --period 2026-13
.|2|build
.|2|check --bogus policies/saleor.sla
.|1|check no-such-file.sla
.|0|check policies/saleor.sla policies/tagoio.sla policies/piwik-pro.sla
.|1|check --werror policies/saleor.sla
.|0|build policies/tagoio.sla -o @TMP@/t.slbc
.|1|build policies/tagoio.sla -o @TMP@/no/such/dir/t.slbc
.|0|disasm @TMP@/piwik.slbc
.|1|disasm examples/saleor/incidents.csv
.|1|eval @TMP@/piwik.slbc examples/saleor/incidents.csv
.|1|eval policies/saleor.sla no-such-data.csv
examples/saleor|0|eval ../../policies/saleor.sla incidents.csv --accounts accounts.csv --format text
examples/saleor|0|eval ../../policies/saleor.sla incidents.csv --accounts accounts.csv --format csv
examples/saleor|0|eval ../../policies/saleor.sla incidents.csv --period 2026-09
examples/saleor|1|eval ../../policies/saleor.sla accounts.csv
examples/tagoio|0|eval ../../policies/tagoio.sla incidents.csv --accounts accounts.csv --format text
examples/piwik-pro|0|eval @TMP@/piwik.slbc incidents.csv windows.csv --accounts accounts.csv --format csv
.|1|eval policies/saleor.sla -
.|2|eval policies/saleor.sla - -
.|1|check - /dev/null
.|2|build @TMP@/p.sla -o @TMP@/p.sla
.|0|build policies/tagoio.sla -o @TMP@/link.slbc
.|0|build policies/tagoio.sla -o /dev/fd/1
.|0|build policies/tagoio.sla -o -
.|0|eval policies/saleor.sla tests/fuzz/corpus/convert/one_incident.json --component 8l4ygp009s5s=covered --format text
.|0|eval policies/saleor.sla tests/eval/control_chars_text/incidents.csv --format text
EOF
while IFS='|' read -r dir want args; do
  args=$(printf '%s' "$args" | sed "s|@TMP@|$tmp|g")
  # shellcheck disable=SC2086
  (cd "$repo/$dir" && "$wrapper" $args </dev/null >/dev/null 2>"$tmp/err")
  rc=$?
  if [ "$rc" -eq "$want" ]; then
    case_passed
  else
    case_failed
    echo "FAIL slac $args (in $dir): exit status $rc, expected $want"
    sed 's/^/  | /' "$tmp/err" | head -n 10
  fi
done <"$tmp/commands"

runs=$(ls "$tmp/logs" | wc -l)
reports=0
for log in "$tmp/logs"/vg.*; do
  [ -s "$log" ] || continue
  reports=$((reports + 1))
  echo "FAIL valgrind report ($log):"
  head -n 40 "$log" | sed 's/^/  | /'
done
if [ $reports -gt 0 ]; then
  case_failed $reports
else
  case_passed
fi
echo "$runs slac processes under valgrind, $reports with a report"
counts_line
