#!/bin/sh
# run.sh - the files a command reads and writes: -o, pipes, standard
# input, signals, full devices (CONTRACT section 6.1, docs/reliability.md).
#
#   sh tests/files/run.sh SLAC_BINARY REPO_DIR
#
# Each case below runs slac in a scratch folder, with TMPDIR a folder of
# its own, and checks the exit status, the message, the files left and
# what became of the inputs:
#   -o        an output that is an input (the same file, a symbolic or a
#             hard link, standard input redirected from it) is refused
#             with exit status 2 and the input keeps its bytes; a link is
#             followed (its target is replaced, the link stays); a FIFO,
#             /dev/fd/N (with >> appending) and a folder are not replaced;
#             a long name works; no *.tmp.* file is left
#   signals   SIGINT, SIGTERM and SIGHUP while standard input is copied,
#             and SIGPIPE while eval writes the report of a converted
#             status page: the process dies of the signal and TMPDIR is
#             empty
#   pipes     `-`, /dev/stdin, a FIFO and a process's pipe as the policy,
#             a data file (CSV, JSON, access log, request windows that take
#             the exact second pass), --accounts, --claims, --history and
#             convert's inputs give the same output as the files; `-`
#             twice is a usage error; messages name `<stdin>` or the path
#             typed, never the temporary copy
#   stdout    --help, --version, listings and bytecode on /dev/full: exit
#             status 1 and "cannot write"
# The last line is "N passed, N failed".

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
need_executable
repo=$(cd "$2" && pwd) || exit 2
sanitizer_options
scratch files
cd "$tmp" || exit 2
TMPDIR=$tmp/tmpdir
export TMPDIR
mkdir "$TMPDIR" || exit 2
eval_cases=$repo/tests/eval

ok() { case_passed; echo "ok $1"; }
# bad NAME WHY: a failed case, with the start of err.
bad() {
  case_failed
  echo "FAIL $1: $2"
  [ -s err ] && sed 's/^/  | /' err | head -n 8
}
# clean NAME: TMPDIR is empty and no *.tmp.* file is in the case folder.
left() { ls -A "$TMPDIR"; find . -name '*.tmp.*'; }
# check NAME STATUS WANT PATTERN: the last command's status was WANT and
# err matches the grep -E PATTERN (- for none), no sanitizer report, no
# temporary file left.  True when all held (ok printed).
check() {
  if [ "$2" -ne "$3" ]; then
    bad "$1" "exit status $2, expected $3"
  elif sanitizer_report err; then
    bad "$1" "sanitizer report"
  elif [ "$4" != - ] && ! grep -Eq -- "$4" err; then
    bad "$1" "stderr does not match /$4/"
  elif [ -n "$(left)" ]; then
    bad "$1" "temporary files left: $(left | tr '\n' ' ')"
  else
    ok "$1"
    return 0
  fi
  return 1
}
# same NAME FILE1 FILE2: the two files hold the same bytes.
same() {
  if cmp -s "$2" "$3"; then ok "$1"; else bad "$1" "$2 and $3 differ"; fi
}
# fresh: an empty case folder, made current, and an empty TMPDIR.
fresh() {
  cd "$tmp" && rm -rf "case" "$TMPDIR" && mkdir "case" "$TMPDIR" && cd "case" || exit 2
  cp "$repo/policies/saleor.sla" p.sla
  cp "$repo/examples/saleor/incidents.csv" "$repo/examples/saleor/accounts.csv" .
}
# case_copy CASE: the files of tests/eval/CASE in the current folder (its
# setup.sh run).
case_copy() {
  cp -R "$eval_cases/$1/." . || exit 2
  if [ -f setup.sh ]; then SLAC=$slac POLICIES=$repo/policies sh ./setup.sh >/dev/null 2>&1 || exit 2; fi
}

# ---- -o never replaces an input ----------------------------------------------
fresh
cp p.sla p.orig
"$slac" build p.sla -o p.sla 2>err
check "build -o the policy itself" $? 2 "error: the output 'p.sla' is the policy 'p.sla', which this command reads" &&
  same "build -o the policy: the source keeps its bytes" p.sla p.orig
ln -s p.sla sym.slbc
"$slac" build p.sla -o sym.slbc 2>err
check "build -o a symbolic link to the policy" $? 2 "the output 'sym.slbc' is the policy 'p.sla'" &&
  same "build -o a link: the source keeps its bytes" p.sla p.orig
ln p.sla hard.slbc
"$slac" build p.sla -o hard.slbc 2>err
check "build -o a hard link to the policy" $? 2 "the output 'hard.slbc' is the policy" &&
  same "build -o a hard link: the source keeps its bytes" p.sla p.orig
# the default output, p.slbc, is a link to the source
rm -f sym.slbc hard.slbc
ln -s p.sla p.slbc
"$slac" build p.sla 2>err
check "build whose default output is the policy" $? 2 "the output 'p.slbc' is the policy" &&
  same "build's default output: the source keeps its bytes" p.sla p.orig
rm -f p.slbc
"$slac" build - -o p.sla <p.sla 2>err
check "build - -o FILE with standard input redirected from FILE" $? 2 "the output 'p.sla' is the policy '<stdin>'" &&
  same "build from standard input: the source keeps its bytes" p.sla p.orig
cp "$repo/tests/fuzz/corpus/convert/one_incident.json" g.json
cp g.json g.orig
"$slac" convert p.sla g.json -o g.json --component 'Git Operations=covered' 2>err
check "convert -o its input" $? 2 "the output 'g.json' is the input 'g.json'" &&
  same "convert -o its input: the input keeps its bytes" g.json g.orig
"$slac" convert p.sla g.json -o p.sla --component 'Git Operations=covered' 2>err
check "convert -o its policy" $? 2 "the output 'p.sla' is the policy 'p.sla'" &&
  same "convert -o its policy: the policy keeps its bytes" p.sla p.orig

# ---- -o follows links, writes what is not a regular file in place -----------
fresh
"$slac" build p.sla -o ref.slbc 2>err
check "build -o a new file" $? 0 -
ln -s real.slbc link.slbc
"$slac" build p.sla -o link.slbc 2>/dev/null
rc=$?
if [ $rc -ne 0 ]; then bad "build -o a dangling link" "exit status $rc"
elif [ ! -L link.slbc ]; then bad "build -o a dangling link" "the link was replaced"
else same "build -o a dangling link creates its target" real.slbc ref.slbc; fi
printf 'old' >real.slbc
"$slac" build p.sla -o link.slbc 2>/dev/null
rc=$?
if [ $rc -ne 0 ]; then bad "build -o a link to a file" "exit status $rc"
elif [ ! -L link.slbc ]; then bad "build -o a link to a file" "the link was replaced"
else same "build -o a link replaces the file it names" real.slbc ref.slbc; fi
mkfifo fifo
timeout 60 cat fifo >from-fifo &
reader=$!
timeout 60 "$slac" build p.sla -o fifo 2>err
rc=$?
wait $reader
if [ ! -p fifo ]; then bad "build -o a FIFO" "the FIFO was replaced"
elif check "build -o a FIFO" $rc 0 -; then same "build -o a FIFO writes through it" from-fifo ref.slbc; fi
printf 'x' >appended
"$slac" build p.sla -o /dev/fd/3 3>>appended 2>err
check "build -o /dev/fd/3 (>>)" $? 0 - &&
  { printf 'x' | cat - ref.slbc | cmp -s - appended && ok "build -o /dev/fd/3 appends (>>)" ||
    bad "build -o /dev/fd/3 appends (>>)" "appended holds other bytes"; }
{ "$slac" build p.sla -o /dev/stdout 2>err; echo $? >status; } | cat >piped
check "build -o /dev/stdout into a pipe" "$(cat status)" 0 - &&
  same "build -o /dev/stdout writes the bytecode" piped ref.slbc
rm -f status
"$slac" build p.sla -o - 2>err >dashed
check "build -o -" $? 0 - && same "build -o - writes the bytecode to standard output" dashed ref.slbc
mkdir folder
"$slac" build p.sla -o folder 2>err
check "build -o a folder" $? 1 "cannot write 'folder': Is a directory" &&
  { [ -z "$(ls -A folder)" ] && ok "build -o a folder leaves it empty" || bad "build -o a folder" "files in it"; }
long=$(printf '%0250d' 0).slbc
"$slac" build p.sla -o "$long" 2>err
check "build -o a 255-byte name" $? 0 - && same "build -o a 255-byte name writes it" "$long" ref.slbc

# ---- signals: no temporary file outlives the command --------------------------
# A copy of standard input exists while slac reads it: the signal comes then.
for sig in INT:2 TERM:15 HUP:1; do
  num=${sig#*:} sig=${sig%:*}
  fresh
  rm -f "$TMPDIR"/*
  mkfifo in
  # a shell's background job ignores SIGINT: give slac the default back
  env --default-signal=INT "$slac" eval p.sla - <in >/dev/null 2>err &
  pid=$!
  exec 4<>in # read-write: never blocks, whatever slac does
  printf 'account,service,start,end\n' >&4
  n=0
  while [ -z "$(ls -A "$TMPDIR")" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  copy=$(ls -A "$TMPDIR")
  kill -"$sig" $pid
  { wait $pid; } 2>/dev/null # no "Terminated" from the shell
  rc=$?
  exec 4>&-
  want=$((128 + num))
  if [ -z "$copy" ]; then bad "SIG$sig while standard input is copied" "no copy of standard input seen"
  else check "SIG$sig while standard input is copied removes $copy" $rc $want -; fi
done
# SIGPIPE while eval writes the report (150 KB: 433 months) of a status
# page converted to a temporary CSV file.
fresh
sed 's/2026-03-31T23:50:00Z/1990-01-01T00:00:00Z/g' "$repo/tests/fuzz/corpus/convert/one_incident.json" >long.json
"$slac" eval p.sla long.json --component 'Git Operations=covered' 2>err | head -c 1 >/dev/null
# POSIX sh has no PIPESTATUS: the pipe's status is head's; what matters is
# that the temporary file is gone
check "SIGPIPE while eval writes the report of a converted input" 0 0 -

# ---- pipes and standard input are read once -------------------------------------
fresh
"$slac" eval p.sla incidents.csv --accounts accounts.csv >ref.out 2>err
check "eval of the files" $? 0 -
cat incidents.csv | "$slac" eval p.sla - --accounts accounts.csv >out 2>err
check "eval of '-'" $? 0 - && same "eval of '-' gives the report of the file" out ref.out
cat incidents.csv | "$slac" eval p.sla /dev/stdin --accounts accounts.csv >out 2>err
check "eval of /dev/stdin (a pipe)" $? 0 - && same "eval of /dev/stdin gives the report of the file" out ref.out
mkfifo data
timeout 60 sh -c 'cat incidents.csv >data' &
timeout 60 "$slac" eval p.sla data --accounts accounts.csv >out 2>err
check "eval of a FIFO" $? 0 - && same "eval of a FIFO gives the report of the file" out ref.out
cat p.sla | "$slac" eval - incidents.csv --accounts accounts.csv >out 2>err
check "eval of the policy as '-'" $? 0 - && same "the policy as '-' gives the report of the file" out ref.out
cat accounts.csv | "$slac" eval p.sla incidents.csv --accounts - >out 2>err
check "eval --accounts -" $? 0 - && same "--accounts - gives the report of the file" out ref.out
"$slac" eval p.sla - - <incidents.csv >out 2>err
check "'-' twice is a usage error" $? 2 "error: '-' \(standard input\) is given twice"
cat incidents.csv | "$slac" eval p.sla /dev/stdin - >out 2>err
check "/dev/stdin and '-' (one pipe twice) is a usage error" $? 2 "are the same pipe"
printf 'account,service,start\n' | "$slac" eval p.sla - >out 2>err
check "a message names '<stdin>'" $? 1 "^<stdin>:1: error: not a slac data file" &&
  { grep -q "$TMPDIR" err && bad "a message names '<stdin>'" "the temporary path is shown"; }
timeout 60 sh -c "printf 'account,service,start\n' >data" &
timeout 60 "$slac" eval p.sla data >out 2>err
check "a message names the FIFO as typed" $? 1 "^data:1: error: not a slac data file"
# a device is read in place, not copied: /dev/zero would fill TMPDIR
timeout 60 "$slac" eval p.sla /dev/zero >out 2>err
check "/dev/zero as data is read in place (NUL byte), not copied" $? 1 "^/dev/zero:1: error: NUL byte"
printf 'policy x version 1 {\n  bogus\n}\n' | "$slac" check - 2>err
check "check - points at <stdin>:LINE:COL" $? 1 "^<stdin>:2:3: error:"
"$slac" build p.sla -o p.slbc 2>/dev/null
"$slac" disasm p.sla >ref.lst 2>/dev/null
"$slac" disasm - <p.slbc >out 2>err
check "disasm - of bytecode" $? 0 - && same "disasm - lists the bytecode" out ref.lst
cat p.sla | "$slac" build - -o from-stdin.slbc 2>err
check "build - -o FILE" $? 0 - && same "build - gives the bytecode of the file" from-stdin.slbc p.slbc
"$slac" build - <p.sla 2>err
check "build - without -o is a usage error" $? 2 "name the output with -o"
# status pages and access logs through a pipe: converted as the files are
cp "$repo/tests/fuzz/corpus/convert/one_incident.json" g.json
"$slac" eval p.sla g.json --component 'Git Operations=covered' >ref.out 2>/dev/null
cat g.json | "$slac" eval p.sla - --component 'Git Operations=covered' >out 2>err
check "eval of a status page as '-'" $? 0 - && same "a status page as '-' gives the report of the file" out ref.out
"$slac" convert p.sla g.json --component 'Git Operations=covered' >ref.out 2>/dev/null
cat g.json | "$slac" convert p.sla - --component 'Git Operations=covered' >out 2>err
check "convert -" $? 0 "^<stdin>: note:" && same "convert - gives the CSV of the file" out ref.out
cp "$repo/tests/fuzz/corpus/convert/apache_combined.log" a.log
cp "$repo/policies/piwik-pro.sla" w.sla
"$slac" eval w.sla a.log >ref.out 2>/dev/null
cat a.log | "$slac" eval w.sla /dev/stdin >out 2>err
check "eval of an access log through a pipe" $? 0 - && same "an access log through a pipe gives the report of the file" out ref.out
# request windows whose month takes the exact second pass (read twice)
fresh
case_copy windows_exact_second_pass
cat windows.csv | "$slac" eval "$repo/policies/piwik-pro.sla" - --format jsonl >out 2>err
check "windows that take the exact second pass, as '-'" $? 0 - && same "the exact second pass reads the copy" out expected.out
fresh
case_copy claims_decisions
"$slac" eval "$repo/policies/tagoio.sla" incidents.csv --accounts accounts.csv --claims claims.csv --format jsonl >ref.out 2>/dev/null
cat claims.csv | "$slac" eval "$repo/policies/tagoio.sla" incidents.csv --accounts accounts.csv --claims - --format jsonl >out 2>err
check "eval --claims -" $? 0 - && same "--claims - gives the report of the file" out ref.out
fresh
case_copy period_cap_year_history
"$slac" eval y.sla incidents.csv --accounts accounts.csv --history history.csv --format jsonl >ref.out 2>/dev/null
cat history.csv | "$slac" eval y.sla incidents.csv --accounts accounts.csv --history - --format jsonl >out 2>err
check "eval --history -" $? 0 - && same "--history - gives the report of the file" out ref.out

# ---- standard output on a full device ---------------------------------------------
fresh
cp "$repo/tests/fuzz/corpus/convert/one_incident.json" g.json
for args in "--help" "--version" "help eval" "check --help" "build --help" "disasm --help" \
            "eval --help" "convert --help" "disasm p.sla" "build p.sla -o -" \
            "eval p.sla incidents.csv --format text" \
            "convert p.sla g.json --component Git=covered"; do
  # shellcheck disable=SC2086
  "$slac" $args >/dev/full 2>err
  check "slac $args >/dev/full" $? 1 'cannot write'
done

counts_line
