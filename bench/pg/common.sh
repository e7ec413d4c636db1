# Shared by compare.sh and backup-compare.sh (sourced, not run): the work folder and its clean-up on exit or
# Ctrl-C, and a private PostgreSQL 15 cluster on a loopback port with stock settings.
# Needs from the caller: PGBIN, PG_PORT, DB, OUT, KEEP, and SCRIPT (its name, for messages).

# Creates $WORK (readable by the postgres user) and installs the clean-up: stops BlitDB ($BLITDB_PID) and
# PostgreSQL, copies the logs into $OUT, removes $WORK unless --keep.
bench_work_init() {
  WORK=$(mktemp -d "/tmp/blitdb-$1.XXXXXX")
  chmod 755 "$WORK"
  BLITDB_PID=""
  PG_STARTED=0
  trap bench_cleanup EXIT
  trap 'echo "$SCRIPT: interrupted" >&2; exit 130' INT TERM
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bench_cleanup() {
  set +e
  if [ -n "$BLITDB_PID" ] && kill -0 "$BLITDB_PID" 2>/dev/null; then
    kill "$BLITDB_PID"
    for _ in $(seq 1 100); do kill -0 "$BLITDB_PID" 2>/dev/null || break; sleep 0.3; done
    kill -9 "$BLITDB_PID" 2>/dev/null
  fi
  [ "$PG_STARTED" = 1 ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1
  cp "$WORK"/*.log "$OUT/" 2>/dev/null; cp "$WORK/pg/server.log" "$OUT/pg-server.log" 2>/dev/null
  if [ "$KEEP" = 1 ]; then echo "$SCRIPT: kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# initdb + start in $WORK/pg (trust auth, every setting at its default), database $DB created, PostgreSQL's
# version into $OUT/pg-settings.txt; sets PSQL (an array: psql connected to the cluster, stopping on errors).
pg_start() {
  mkdir "$WORK/pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$WORK/pg"
  as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C > "$WORK/pg-initdb.log" 2>&1
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg" start > /dev/null
  PG_STARTED=1
  PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
  "${PSQL[@]}" -d "$DB" -At -c "SELECT version()" > "$OUT/pg-settings.txt"
}
