#!/bin/sh
# run.sh - the PostgreSQL extension against a real PostgreSQL 15 server:
# builds pg/ (PGXS) on the build's libslac.a, installs it into a temporary
# folder (the server finds it through Debian's extension_destdir), starts a
# throwaway cluster (tests/pg/cluster.sh: initdb, a Unix socket only, not
# root), then runs
#   1. pg_regress on pg/sql/*.sql against pg/expected/*.out;
#   2. equal.sh: outcomes of the shipped examples and of the corpus equal
#      those of `slac eval` on the same files;
#   3. shard.sh: three servers each holding a shard of the accounts, their
#      partial states merged into the output of one server.
#   sh tests/pg/run.sh BUILD_DIR SOURCE_DIR
set -u
[ $# -eq 2 ] || { echo "usage: sh run.sh BUILD_DIR SOURCE_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
. "$src/tests/pg/cluster.sh"
for tool in "$PG_CONFIG" "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/psql"; do
  [ -x "$tool" ] || { echo "FAIL: $tool is missing: run scripts/deps.sh (postgresql-15, postgresql-server-dev-15)"; exit 1; }
done
tmp=$(mktemp -d) || exit 2
chmod 755 "$tmp"
trap 'for c in "$tmp"/c*; do pg_cluster_stop "$c"; done; rm -rf "$tmp"' EXIT INT TERM
failed=0

# The files the server reads (policies, examples, corpus), readable by it.
mkdir -p "$tmp/src" "$tmp/c0"
cp -r "$src/policies" "$src/examples" "$tmp/src/"
mkdir -p "$tmp/src/tests" && cp -r "$src/tests/corpus" "$tmp/src/tests/"
cp -r "$src/pg" "$tmp/ext"
make -s -C "$tmp/ext" with_llvm=no SLAC_BUILD="$build" SLAC_SOURCE="$src" SLAC_PG_CFLAGS=-Werror \
  PG_CONFIG="$PG_CONFIG" install DESTDIR="$tmp/dest" >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log"; echo "FAIL: the extension does not build"; exit 1; }
chmod -R a+rX "$tmp/src" "$tmp/dest"

pg_cluster_start "$tmp/c0" -c extension_destdir="$tmp/dest" -c max_worker_processes=8 \
  -c max_parallel_workers=4 || { echo "FAIL: the cluster does not start"; exit 1; }

# 1. pg_regress, through PGXS's installcheck, as a user that may write its results
chown -R nobody:nogroup "$tmp/ext" 2>/dev/null
if pg_as_owner env SLAC_SOURCE="$tmp/src" PGHOST="$tmp/c0" PGUSER=slac \
   make -s -C "$tmp/ext" with_llvm=no SLAC_BUILD="$build" SLAC_SOURCE="$src" \
   PG_CONFIG="$PG_CONFIG" installcheck >"$tmp/regress.log" 2>&1; then
  grep -E '^(ok|not ok|test|#)' "$tmp/regress.log" | sed 's/  */ /g'
else
  cat "$tmp/regress.log"
  [ -f "$tmp/ext/regression.diffs" ] && head -100 "$tmp/ext/regression.diffs"
  # kept for a look: BUILD_DIR/pg-results/*.out, what each test printed
  rm -rf "$build/pg-results" && cp -r "$tmp/ext/results" "$build/pg-results" 2>/dev/null
  echo "FAIL: pg_regress (its outputs: $build/pg-results)"
  failed=1
fi

# 2. the command line's outcomes, and 3. shards
sh "$src/tests/pg/equal.sh" "$build/slac" "$tmp/src" "$tmp/c0" || failed=1
sh "$src/tests/pg/shard.sh" "$build/slac" "$tmp/src" "$tmp" || failed=1
[ $failed -eq 0 ] && echo "pg: all passed"
exit $failed
