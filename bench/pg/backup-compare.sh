#!/usr/bin/env bash
# Backup/restore and dump/load side by side (issue 12): BlitDB's full backup + restore and export + import against
# PostgreSQL 15's pg_dump -Fc + pg_restore, with the same documents as compare.sh (gen-docs.awk) and indexes on
# both sides (PG: expression index on Name, composite on (City, Age); BlitDB: one static index on Name, City, Age).
# Every timed step ends when the data is queryable through its indexes:
#   restore: BlitDB restore operation + a WaitForNonStaleResults query   vs  pg_restore (COPY + index builds)
#   dump:    BlitDB GET export to a file                                  vs  pg_dump -Fc to a file
#   load:    BlitDB POST import into an empty database + non-stale query  vs  pg_restore (as above)
# Rounds alternate which side goes first; per-round figures, medians and ratios (PG seconds / BlitDB seconds,
# > 1 = BlitDB faster) go to summary.md.
#
#   bench/pg/backup-compare.sh --blitdb-dir DIR [--docs 1000000] [--rounds 3] [--steps restore,dump,load]
#                              [--no-build] [--out DIR] [--keep]
#
# --steps picks the BlitDB steps timed (default all three; without restore no backup is taken). The PG round is
# always pg_dump + pg_restore (its restore is both the restore and the load figure).
# Run it under `flock /work/notes/bench.lock` on a shared machine. Raw output: bench/results/raw/backup-pg/<UTC>/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLITDB_DIR=""
DOCS=1000000
ROUNDS=3
STEPS=restore,dump,load
BUILD=1
KEEP=0
OUT=""
PG_PORT=${BENCH_PG_PORT:-25433}
BLITDB_PORT=${BENCH_BLITDB_PORT:-28081}
PGBIN=/usr/lib/postgresql/15/bin
DB=bench

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --blitdb-dir) BLITDB_DIR=$(cd "$2" && pwd); shift 2 ;;
    --docs) DOCS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --out) OUT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "backup-compare.sh: unknown option '$1'" >&2; usage 2 >&2 ;;
  esac
done
[ -n "$BLITDB_DIR" ] || { echo "backup-compare.sh: --blitdb-dir DIR is required" >&2; usage 2 >&2; }
[ -x "$PGBIN/pg_restore" ] || { echo "backup-compare.sh: PostgreSQL 15 is not installed ($PGBIN)" >&2; exit 2; }
step() { case ",$STEPS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-$REPO/bench/results/raw/backup-pg/$STAMP}
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/progress.log" >&2; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

SCRIPT=backup-compare.sh
. "$HERE/common.sh"
bench_work_init backup-compare

log "generating $DOCS documents (gen-docs.awk, as compare.sh)"
awk -v n="$DOCS" -v ndjson="$WORK/docs.ndjson" -v tsv="$WORK/docs.tsv" -f "$HERE/gen-docs.awk"

# ---- PostgreSQL: private cluster on a loopback port, stock settings (as compare.sh) -------------------------
log "starting PostgreSQL 15 on 127.0.0.1:$PG_PORT"
mkdir "$WORK/dumps"
[ "$(id -u)" = 0 ] && chown postgres: "$WORK/dumps"
pg_start
PGC=(-h 127.0.0.1 -p "$PG_PORT" -U postgres)
"${PSQL[@]}" -d "$DB" -c "CREATE TABLE docs (id text PRIMARY KEY, data jsonb NOT NULL)"
log "PostgreSQL: COPY, indexes, VACUUM ANALYZE"
"${PSQL[@]}" -d "$DB" -c "\\copy docs (id, data) FROM '$WORK/docs.tsv'"
"${PSQL[@]}" -d "$DB" -c "CREATE INDEX docs_name ON docs ((data->>'Name'))" \
             -c "CREATE INDEX docs_city_age ON docs ((data->>'City'), ((data->>'Age')::int))" \
             -c "VACUUM ANALYZE docs"

# ---- BlitDB ---------------------------------------------------------------------------------------------
BLITDB_COMMIT=${BLITDB_COMMIT:-$(git -C "$BLITDB_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [ "$BUILD" = 1 ]; then
  log "building the BlitDB server jar in $BLITDB_DIR ($BLITDB_COMMIT)"
  (cd "$BLITDB_DIR" && ./mvnw -B -o -q -DskipTests -pl server -am package) > "$OUT/build.log" 2>&1 \
      || { echo "backup-compare.sh: build failed, see $OUT/build.log" >&2; exit 1; }
fi
log "starting BlitDB on 127.0.0.1:$BLITDB_PORT"
"$BLITDB_DIR/blitdb" --port "$BLITDB_PORT" --data-dir "$WORK/blitdb" > "$WORK/blitdb.log" 2>&1 &
BLITDB_PID=$!
B="http://127.0.0.1:$BLITDB_PORT"
for _ in $(seq 1 240); do curl -sf "$B/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf -X PUT "$B/admin/databases?name=$DB" > /dev/null \
  || { echo "backup-compare.sh: BlitDB did not start:" >&2; tail -20 "$WORK/blitdb.log" >&2; exit 1; }
for _ in $(seq 1 100); do curl -sf "$B/databases/$DB/stats" >/dev/null 2>&1 && break; sleep 0.2; done
INDEX='{"Name":"Docs/ByNameCityAge","Collection":"Docs","Fields":{"Name":{"Path":"Name","Type":"Keyword"},"City":{"Path":"City","Type":"Keyword"},"Age":{"Path":"Age","Type":"Long"}}}'
curl -sf -X PUT "$B/databases/$DB/admin/indexes" -H 'Content-Type: application/json' -d "$INDEX" > /dev/null
log "BlitDB: bulk_insert, index until not stale"
curl -sS --fail-with-body -X POST -H 'Content-Type: application/x-ndjson' -H 'Transfer-Encoding: chunked' \
     -T "$WORK/docs.ndjson" "$B/databases/$DB/bulk_insert" > "$OUT/blitdb-bulk.json"
nonstale() { # db: a query through the static index that waits until it is not stale; prints its TotalResults
  curl -sS --fail-with-body -X POST "$B/databases/$1/queries" -H 'Content-Type: application/json' \
       -d '{"Query":"from index '"'"'Docs/ByNameCityAge'"'"' where City = $c","QueryParameters":{"c":"city-1"},"WaitForNonStaleResults":true,"WaitForNonStaleResultsTimeoutInMs":900000}' \
    | jq -r '"\(.TotalResults) stale=\(.IsStale)"'
}
nonstale "$DB" > "$OUT/check.txt"
"${PSQL[@]}" -d "$DB" -At -c "SELECT count(*) FROM docs WHERE data->>'City' = 'city-1'" >> "$OUT/check.txt"
sleep 7 # the index commits its position at most every 5 s: the backup pins that commit
rm -f "$WORK/docs.ndjson" "$WORK/docs.tsv"

op_wait() { # operation id: waits until it ends; fails unless Completed
  local state
  for _ in $(seq 1 36000); do
    state=$(curl -sf "$B/operations/$1" | jq -r .State)
    [ "$state" != Running ] && break
    sleep 0.1
  done
  curl -sf "$B/operations/$1" > "$WORK/last-op.json"
  [ "$state" = Completed ] || { echo "backup-compare.sh: operation $1 $state: $(cat "$WORK/last-op.json")" >&2; exit 1; }
}
RESULTS="$OUT/results.tsv"
printf 'round\tstep\tside\tseconds\tbytes\tload_avg\n' > "$RESULTS"
rec() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$(load_avg)" >> "$RESULTS"; }

# The BlitDB full backup (not compared: pg_dump is the dump side): once, its time recorded.
if step restore; then
log "BlitDB full backup (load $(load_avg))"
t0=$(now)
id=$(curl -sf -X POST "$B/databases/$DB/admin/backup" -d "{\"Folder\":\"$WORK/backups\",\"Type\":\"Full\"}" | jq .OperationId)
op_wait "$id"
t1=$(now)
cp "$WORK/last-op.json" "$OUT/blitdb-backup-op.json"
rec 0 backup blitdb "$(secs "$t0" "$t1")" "$(du -sb "$WORK/backups" | cut -f1)"
fi

blitdb_round() { # round
  local r=$1 t0 t1 id
  if step restore; then
  log "round $r BlitDB restore (load $(load_avg))"
  t0=$(now)
  id=$(curl -sf -X POST "$B/admin/databases/restore" -d "{\"From\":\"$WORK/backups\",\"DatabaseName\":\"r$r\"}" | jq .OperationId)
  op_wait "$id"
  nonstale "r$r" >> "$OUT/check.txt"
  t1=$(now)
  cp "$WORK/last-op.json" "$OUT/round$r-blitdb-restore-op.json"
  curl -sf "$B/databases/r$r/indexes/stats" > "$OUT/round$r-blitdb-restore-indexes.json" || true
  rec "$r" restore blitdb "$(secs "$t0" "$t1")" "$(du -sb "$WORK/backups" | cut -f1)"
  curl -sf -X DELETE "$B/admin/databases?name=r$r" > /dev/null || true
  fi

  log "round $r BlitDB export (load $(load_avg))"
  t0=$(now)
  curl -sS --fail-with-body "$B/databases/$DB/export" -o "$WORK/dumps/blitdb.ndjson.gz"
  t1=$(now)
  rec "$r" dump blitdb "$(secs "$t0" "$t1")" "$(stat -c %s "$WORK/dumps/blitdb.ndjson.gz")"

  log "round $r BlitDB import (load $(load_avg))"
  curl -sf -X PUT "$B/admin/databases?name=i$r" > /dev/null
  for _ in $(seq 1 100); do curl -sf "$B/databases/i$r/stats" >/dev/null 2>&1 && break; sleep 0.2; done
  t0=$(now)
  curl -sS --fail-with-body -X POST -H 'Content-Type: application/gzip' -H 'Transfer-Encoding: chunked' \
       -T "$WORK/dumps/blitdb.ndjson.gz" "$B/databases/i$r/import" > "$OUT/round$r-blitdb-import.json"
  nonstale "i$r" >> "$OUT/check.txt"
  t1=$(now)
  rec "$r" load blitdb "$(secs "$t0" "$t1")" "$(stat -c %s "$WORK/dumps/blitdb.ndjson.gz")"
  curl -sf -X DELETE "$B/admin/databases?name=i$r" > /dev/null || true
  rm -f "$WORK/dumps/blitdb.ndjson.gz"
}
pg_round() { # round
  local r=$1 t0 t1
  log "round $r pg_dump -Fc (load $(load_avg))"
  t0=$(now)
  as_pg "$PGBIN/pg_dump" "${PGC[@]}" -Fc -f "$WORK/dumps/pg.dump" "$DB"
  t1=$(now)
  rec "$r" dump pg "$(secs "$t0" "$t1")" "$(stat -c %s "$WORK/dumps/pg.dump")"
  log "round $r pg_restore (load $(load_avg))"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE r$r"
  t0=$(now)
  as_pg "$PGBIN/pg_restore" "${PGC[@]}" -d "r$r" "$WORK/dumps/pg.dump"
  t1=$(now)
  "${PSQL[@]}" -d "r$r" -At -c "SELECT count(*) FROM docs WHERE data->>'City' = 'city-1'" >> "$OUT/check.txt"
  rec "$r" restore pg "$(secs "$t0" "$t1")" "$(stat -c %s "$WORK/dumps/pg.dump")"
  rec "$r" load pg "$(secs "$t0" "$t1")" "$(stat -c %s "$WORK/dumps/pg.dump")"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE r$r"
  rm -f "$WORK/dumps/pg.dump"
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then blitdb_round "$r"; pg_round "$r"; else pg_round "$r"; blitdb_round "$r"; fi
done
if [ "$(sort -u "$OUT/check.txt" | sed 's/ stale=false//' | sort -u | wc -l)" != 1 ]; then
  echo "backup-compare.sh: the restored/imported databases answer differently: $(sort -u "$OUT/check.txt" | tr '\n' ' ')" >&2
  exit 1
fi

{
  echo "# BlitDB backup/restore and export/import vs pg_dump -Fc / pg_restore — $STAMP"
  echo
  echo "- BlitDB \`$BLITDB_DIR\` commit \`$BLITDB_COMMIT\`; $(head -1 "$OUT/pg-settings.txt" | cut -d' ' -f1-2); $DOCS documents of ~1 KB, $ROUNDS round(s)"
  echo "- command: \`bench/pg/backup-compare.sh --blitdb-dir $BLITDB_DIR --docs $DOCS --rounds $ROUNDS --steps $STEPS\`"
  echo "- every timed step ends when its indexes answer (query check: $(sort -u "$OUT/check.txt" | tr '\n' ' '))"
  echo "- load average (1/5/15) at each step: see results.tsv; range of the 1-min value: $(awk -F'\t' 'NR > 1 { split($6, a, " "); print a[1] }' "$RESULTS" | sort -g | awk '{ v[NR] = $1 } END { printf "%s to %s", v[1], v[NR] }')"
  echo "- BlitDB full backup (once, for the restores): $(awk -F'\t' '$2 == "backup" { printf "%s s, %d bytes", $4, $5 }' "$RESULTS")"
  echo
  awk -F'\t' -v steps="$STEPS" '
    function median(s,   n, a, i, j, t) {
      n = split(s, a, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    NR == 1 || $2 == "backup" { next }
    { s[$2, $3] = s[$2, $3] " " $4; b[$2, $3] = $5 }
    END {
      label["restore"] = "restore (BlitDB restore op + index answers vs pg_restore -Fc)"
      label["dump"] = "dump (GET export vs pg_dump -Fc)"
      label["load"] = "load (POST import + index answers vs pg_restore -Fc)"
      print "| step | BlitDB s per round | PG s per round | BlitDB median s | PG median s | PG/BlitDB (> 1 = BlitDB faster) | bytes BlitDB / PG |"
      print "|---|---|---|---|---|---|---|"
      n = split(steps, order, ",")
      for (k = 1; k <= n; k++) {
        w = order[k]; mb = median(s[w, "blitdb"]); mp = median(s[w, "pg"])
        printf "| %s |%s |%s | %.2f | %.2f | **%.2f** | %d / %d |\n", label[w], s[w, "blitdb"], s[w, "pg"], mb, mp,
               (mb > 0 ? mp / mb : 0), b[w, "blitdb"], b[w, "pg"]
      }
    }' "$RESULTS"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
log "raw output in $OUT"
