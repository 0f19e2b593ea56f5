# lib.sh - what the test harnesses share (POSIX sh), sourced by each:
#
#   . "$(dirname "$0")/../lib.sh"           (tests/SUITE/run.sh)
#   . "$(dirname "$0")/../tests/lib.sh"     (examples/run.sh)
#
# before the script changes directory.  It defines functions only; each
# harness keeps its own cases, messages and order.

# args_or_usage WANT GIVEN USAGE: exit 2 with "usage: USAGE" on stderr
# unless GIVEN arguments were given: WANT is a count, or N+ for N or more.
args_or_usage() {
  case $1 in
    *+) [ "$2" -ge "${1%+}" ] && return 0 ;;
    *) [ "$2" -eq "$1" ] && return 0 ;;
  esac
  echo "usage: $3" >&2
  exit 2
}

# slac_binary PATH: set $slac to PATH made absolute (against the current
# directory), so that the harness may change directory afterwards.
slac_binary() {
  case $1 in
    /*) slac=$1 ;;
    *) slac=$(pwd)/$1 ;;
  esac
}

# need_executable [NAME]: exit 2 unless $slac is executable (NAME, default
# run.sh, starts the message).
need_executable() {
  if [ ! -x "$slac" ]; then
    echo "${1:-run.sh}: $slac is not an executable" >&2
    exit 2
  fi
}

# sanitizer_options [ASAN]: export ASAN_OPTIONS (ASAN appended, by default
# abort_on_error=0:exitcode=86) and UBSAN_OPTIONS (every report stops the
# program, with a stack trace), after any options already set.
sanitizer_options() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}${1:-abort_on_error=0:exitcode=86}"
  UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"
  export ASAN_OPTIONS UBSAN_OPTIONS
}

# sanitizer_report FILE: true when FILE holds a sanitizer's report.
sanitizer_report() {
  grep -q -e 'Sanitizer' -e 'runtime error:' "$1"
}

# scratch NAME: set $tmp to a new directory (TMPDIR or /tmp, slac-NAME.*)
# removed when the script ends; exit 2 when it cannot be made.
scratch() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/slac-$1.XXXXXX") || exit 2
  trap 'rm -rf "$tmp"' EXIT INT TERM
}

# The counts: case_passed [N] and case_failed [N] add N (default 1);
# counts_line prints "N passed, N failed" and is true when none failed
# (a harness ends with it, so that it is its exit status).
passed=0 failed=0
case_passed() { passed=$((passed + ${1:-1})); }
case_failed() { failed=$((failed + ${1:-1})); }
counts_line() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
