#!/bin/sh
# run.sh - allocation-failure injection over representative slac runs.
#
#   sh run.sh SLAC_BINARY REPO_DIR [JOBS]
#
# SLAC_BINARY comes from the SLAC_ALLOC_FAIL build (tests/faults/alloc_fail.c
# linked in; best with SLAC_SANITIZE too, so that leaks are reported).  For
# every case below, a first run counts the allocations K and records the
# reference stdout, stderr and exit status; then for every N in 1..K the case
# runs again with allocation N failing (SLAC_FAIL_ALLOC_AT=N), once with only
# that allocation failing and once with every allocation from N on failing
# (SLAC_FAIL_ALLOC_PERSIST=1).  Each run must either
#   - give exactly the reference stdout, stderr and exit status, or
#   - exit 1 with a message saying "out of memory" on stderr, stdout being a
#     prefix of the reference stdout, every other line of stderr a line of
#     the reference stderr, in the same order (a check of several files goes
#     on with the next file), and, for `build`, no output file and no
#     temporary file left behind;
# and never crash, hang, or draw a sanitizer report (leaks included).
# SLAC_FAULT_ONLY=PATTERN runs only the cases whose name it matches
# (check-*, eval-v2-history: one shell pattern, no `|`).
# SLAC_FAULT_WINSUMS=PROGRAM adds the case winsums-api: PROGRAM is
# tests/faults/winsums_faults.c's, built alike (ctest sets it).
#
# A failure names the case, N, and the function (file:line) whose
# allocation failed, found with addr2line.  tests/faults/known.txt lists
# failures that are known bugs (CASE FUNCTION per line); they are printed as
# KNOWN and do not fail the test.  The last line is "N passed, N failed".

. "$(dirname "$0")/../lib.sh"
if [ "${1:-}" = "--one" ]; then
  # Worker: sh run.sh --one CASEDIR MODE N  (MODE once|persist)
  c=$2 mode=$3 n=$4
  . "$c/env"
  w=$c/run.$mode.$n
  mkdir -p "$w/out"
  args=$(printf '%s' "$case_args" | sed "s|@OUT@|$w/out|g")
  persist=
  [ "$mode" = persist ] && persist=1
  (cd "$case_dir" && eval "SLAC_FAIL_ALLOC_AT=$n SLAC_FAIL_ALLOC_PERSIST=$persist \
    SLAC_FAULT_WHERE=\"$w/where\" timeout 60 \"$case_bin\" $args" >"$w/stdout" 2>"$w/stderr")
  rc=$?
  ok=1 why=
  prefix_of() { # $1 is a byte prefix of $2
    head -c "$(wc -c <"$1")" "$2" | cmp -s - "$1"
  }
  if sanitizer_report "$w/stderr"; then
    ok=0 why="sanitizer report"
  elif [ $rc -eq "$(cat "$c/rc")" ] && cmp -s "$w/stdout" "$c/stdout" && cmp -s "$w/stderr" "$c/stderr"; then
    :
  elif [ $rc -eq 1 ] && grep -q 'out of memory' "$w/stderr"; then
    grep -v 'out of memory' "$w/stderr" >"$w/stderr.rest"
    if ! prefix_of "$w/stdout" "$c/stdout"; then
      ok=0 why="stdout is not a prefix of the reference"
    elif ! awk 'NR == FNR { want[++n] = $0; next }
                { while (i < n && want[++i] != $0) ; if (want[i] != $0) exit 1 }' \
           "$c/stderr" "$w/stderr.rest"; then
      ok=0 why="a message that the reference run does not print"
    fi
  else
    ok=0 why="exit status $rc without an out-of-memory message"
  fi
  # A failed build leaves nothing; a successful one the reference bytes.
  if [ $ok = 1 ] && [ -n "$case_outfile" ]; then
    if [ $rc -eq 0 ]; then
      cmp -s "$w/out/$case_outfile" "$c/out/$case_outfile" || { ok=0 why="wrong output file"; }
      [ "$(ls -A "$w/out" | wc -l)" -eq 1 ] || { ok=0 why="temporary file left"; }
    elif [ -n "$(ls -A "$w/out")" ]; then
      ok=0 why="file left behind after a failed build: $(ls -A "$w/out" | tr '\n' ' ')"
    fi
  fi
  if [ $ok = 1 ]; then
    rm -rf "$w"
    exit 0
  fi
  where=unknown
  if [ -s "$w/where" ]; then
    set -- $(head -n 1 "$w/where")
    # the return address is just past the call: step back one byte
    where=$(addr2line -f -i -e "$2" "$(printf '%#x' $(($1 - 1)))" 2>/dev/null |
      sed -n '1{h;n;s|.*/||;G;s/\n/ /;p;q}')
  fi
  fn=${where#* }
  if grep -qx -e "$case_name $fn" -e "\* $fn" "$c/../known" 2>/dev/null; then
    echo "KNOWN $case_name N=$n ($mode): $why; allocation in $where"
    exit 0
  fi
  echo "FAIL $case_name N=$n ($mode): $why; allocation in $where"
  sed 's/^/  | /' "$w/stderr" | head -n 20
  exit 1
fi

args_or_usage 2+ $# "sh run.sh SLAC_BINARY REPO_DIR [JOBS]"
slac_binary "$1"
repo=$(cd "$2" && pwd) || exit 2
jobs=${3:-$(nproc 2>/dev/null || echo 2)}
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
need_executable
sanitizer_options abort_on_error=0:exitcode=86:detect_leaks=1
scratch faults
grep -v '^#' "$(dirname "$self")/known.txt" 2>/dev/null | sed '/^$/d' >"$tmp/known"
"$slac" build "$repo/policies/saleor.sla" -o "$tmp/saleor.slbc" || exit 2

# NAME|DIRECTORY (under REPO_DIR)|ARGUMENTS|OUTPUT FILE (for build)
# @OUT@ is a directory of the run's own; @TMP@ holds saleor.slbc.
cat >"$tmp/cases" <<EOF
check-saleor|.|check policies/saleor.sla|
check-tagoio|.|check --werror policies/tagoio.sla policies/piwik-pro.sla|
check-errors|tests/diagnostics|check tiers_overlap.sla cause_undefined_suggest.sla lex_unterminated_string.sla syntax_missing_brace.sla warn_gap_between_tiers.sla|
build-tagoio|.|build policies/tagoio.sla -o @OUT@/t.slbc|t.slbc
disasm-piwik|.|disasm policies/piwik-pro.sla|
disasm-slbc|.|disasm @TMP@/saleor.slbc|
eval-saleor|examples/saleor|eval ../../policies/saleor.sla incidents.csv --accounts accounts.csv --format jsonl|
eval-tagoio|examples/tagoio|eval ../../policies/tagoio.sla incidents.csv --accounts accounts.csv --format text|
eval-piwik|examples/piwik-pro|eval ../../policies/piwik-pro.sla incidents.csv windows.csv --accounts accounts.csv --format csv|
eval-piwik-jobs|examples/piwik-pro|eval ../../policies/piwik-pro.sla incidents.csv windows.csv --accounts accounts.csv --format csv --jobs 3|
eval-slbc|examples/saleor|eval @TMP@/saleor.slbc incidents.csv --format jsonl|
eval-bad-data|examples/saleor|eval ../../policies/saleor.sla accounts.csv incidents.csv|
check-v2|.|check policies/twilio.sla policies/atalnetworks.sla tests/diagnostics/terms_plan_twice.sla|
eval-v2-terms|tests/eval/terms_by_plan|eval vm.sla incidents.csv --accounts accounts.csv --format text|
eval-v2-history|tests/eval/period_cap_year_history|eval y.sla incidents.csv --accounts accounts.csv --history history.csv --format jsonl|
eval-v2-kinds|tests/eval/error_kinds_windows|eval k.sla windows.csv --format jsonl|
EOF
# libslac's window sums, through tests/faults/winsums_faults.c (ctest sets
# SLAC_FAULT_WINSUMS to it): the slac command never uses them.
if [ -n "${SLAC_FAULT_WINSUMS:-}" ]; then
  echo "winsums-api|.|@WINSUMS@ policies/piwik-pro.sla|" >>"$tmp/cases"
fi

known=0 i=0
while IFS='|' read -r name dir args outfile; do
  # SLAC_FAULT_ONLY (a shell pattern): only the cases it matches
  case $name in ${SLAC_FAULT_ONLY:-*}) ;; *) continue ;; esac
  i=$((i + 1))
  c=$tmp/case$i
  mkdir -p "$c/out"
  args=$(printf '%s' "$args" | sed "s|@TMP@|$tmp|g")
  bin=$slac
  case $args in "@WINSUMS@ "*) bin=$SLAC_FAULT_WINSUMS args=${args#@WINSUMS@ } ;; esac
  {
    echo "slac='$slac'"
    echo "case_bin='$bin'"
    echo "case_name='$name'"
    echo "case_dir='$repo/$dir'"
    echo "case_args='$args'"
    echo "case_outfile='$outfile'"
  } >"$c/env"
  # The reference run, counting allocations.
  ref_args=$(printf '%s' "$args" | sed "s|@OUT@|$c/out|g")
  (cd "$repo/$dir" && eval "SLAC_FAULT_COUNT=\"$c/count\" \"$bin\" $ref_args" >"$c/stdout" 2>"$c/stderr")
  echo $? >"$c/rc"
  k=$(sed -n 's/^allocs //p' "$c/count")
  if [ -z "$k" ] || sanitizer_report "$c/stderr"; then
    echo "FAIL $name: the reference run failed"
    cat "$c/stderr"
    case_failed
    continue
  fi
  # the window-sums program: the policy's compilation, which the slac
  # cases fail allocation by allocation, is skipped
  first=1
  if [ "$bin" != "$slac" ]; then
    (cd "$repo/$dir" && eval "SLAC_FAULT_COUNT=\"$c/count0\" \"$bin\" --compile-only $ref_args" >/dev/null 2>&1)
    first=$(($(sed -n 's/^allocs //p' "$c/count0") + 1))
  fi
  for mode in once persist; do
    seq "$first" "$k" | sed "s|^|$mode |" |
      xargs -P "$jobs" -n 2 sh "$self" --one "$c" >"$c/log.$mode" 2>&1
    f=$(grep -c '^FAIL' "$c/log.$mode")
    kn=$(grep -c '^KNOWN' "$c/log.$mode")
    cat "$c/log.$mode"
    case_passed $((k - first + 1 - f - kn))
    case_failed "$f"
    known=$((known + kn))
  done
  echo "$name: $k allocations, exit status $(cat "$c/rc"), each from allocation $first failed once and persistently"
done <"$tmp/cases"

[ $known -gt 0 ] && echo "$known known failures (tests/faults/known.txt)"
counts_line
