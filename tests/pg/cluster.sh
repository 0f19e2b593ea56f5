# cluster.sh - a throwaway PostgreSQL 15 cluster, sourced by the suites of
# tests/pg: initdb in a temporary folder, a Unix socket only (no TCP), run
# as a user that is not root, stopped and removed on exit.
#   pg_cluster_start DIR NAME [postgres options...]   start, socket in DIR
#   pg_cluster_psql DIR [psql options...]             psql on it, as user slac
#   pg_cluster_stop DIR                               stop
# PG_BIN (default: pg_config --bindir) holds initdb, pg_ctl and psql.
PG_CONFIG=${PG_CONFIG:-$(command -v /usr/lib/postgresql/15/bin/pg_config || command -v pg_config)}
PG_BIN=${PG_BIN:-$($PG_CONFIG --bindir)}

# Commands of the server run as "nobody" when the suite runs as root
# (PostgreSQL refuses root); as the caller otherwise.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

pg_cluster_start() {
  dir=$1; shift
  mkdir -p "$dir/data"
  [ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$dir"
  pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U slac --auth=trust --no-sync \
    --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log"; return 1; }
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c full_page_writes=off $*" >/dev/null ||
    { cat "$dir/server.log"; return 1; }
}

pg_cluster_psql() {
  dir=$1; shift
  "$PG_BIN/psql" -X -q -h "$dir" -U slac -v ON_ERROR_STOP=1 "$@"
}

pg_cluster_stop() {
  [ -f "$1/data/postmaster.pid" ] &&
    pg_as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1
  return 0
}
