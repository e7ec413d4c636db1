#!/usr/bin/env bash
# Side by side: a BlitDB server built from a checkout against PostgreSQL 15 with stock durability, on this
# machine, with the same documents and connections (issue 11). wrk drives BlitDB's HTTP API, pgbench -M prepared
# drives PostgreSQL; rounds alternate, every figure is printed per round with medians and BlitDB/PG ratios.
#
#   bench/pg/compare.sh --blitdb-dir DIR [--rounds 3] [--seconds 15] [--warmup 5]
#                       [--workloads get,put,point,range,bulk] [--docs 100000] [--index auto|static]
#                       [--no-build] [--out DIR] [--keep]
#
# Run it under `flock /work/notes/bench.lock` on a shared machine. Installs postgresql-15, pgbench and wrk from
# Debian's packages when missing (under `flock /work/notes/apt.lock`). Raw output goes to
# bench/results/raw/pg/<UTC timestamp>/ of THIS checkout (or --out); see bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLITDB_DIR=""
ROUNDS=3
SECS=15
WARMUP=5
WORKLOADS="get,put,point,range,bulk"
DOCS=100000
INDEX_MODE=auto
BUILD=1
KEEP=0
OUT=""
THREADS=${BENCH_THREADS:-2}
PG_PORT=${BENCH_PG_PORT:-25432}
BLITDB_PORT=${BENCH_BLITDB_PORT:-28080}
PGBIN=/usr/lib/postgresql/15/bin
APT_LOCK=${APT_LOCK:-/work/notes/apt.lock}
DB=bench

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --blitdb-dir) BLITDB_DIR=$(cd "$2" && pwd); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --docs) DOCS=$2; shift 2 ;;
    --index) INDEX_MODE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --out) OUT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "compare.sh: unknown option '$1'" >&2; usage 2 >&2 ;;
  esac
done
[ -n "$BLITDB_DIR" ] || { echo "compare.sh: --blitdb-dir DIR is required" >&2; usage 2 >&2; }
[ -x "$BLITDB_DIR/blitdb" ] || { echo "compare.sh: $BLITDB_DIR has no ./blitdb" >&2; exit 2; }
case "$INDEX_MODE" in auto|static) ;; *) echo "compare.sh: --index is auto or static" >&2; exit 2 ;; esac
for w in ${WORKLOADS//,/ }; do
  case "$w" in get|put|point|range|bulk) ;; *) echo "compare.sh: unknown workload '$w'" >&2; exit 2 ;; esac
done
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-$REPO/bench/results/raw/pg/$STAMP}
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/progress.log" >&2; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- packages -------------------------------------------------------------------------------------------
need=()
[ -x "$PGBIN/postgres" ] || need+=(postgresql-15)
[ -x "$PGBIN/pgbench" ] || need+=(postgresql-client-15)   # Debian 12 ships pgbench in the client package
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} from Debian's packages"
  [ -d "$(dirname "$APT_LOCK")" ] || APT_LOCK=/tmp/blitdb-apt.lock
  flock "$APT_LOCK" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"' \
      sh "${need[@]}" >> "$OUT/apt.log" 2>&1
fi

# ---- clean-up, also on Ctrl-C ---------------------------------------------------------------------------
SCRIPT=compare.sh
. "$HERE/common.sh"
bench_work_init pg-compare

# ---- documents ------------------------------------------------------------------------------------------
log "generating $DOCS documents"
awk -v n="$DOCS" -v ndjson="$WORK/docs.ndjson" -v tsv="$WORK/docs.tsv" -f "$HERE/gen-docs.awk"
# The upserted document's bio: ~800 bytes of the same words, the same on both sides.
BIO=$(awk 'BEGIN { srand(7); nw = split("page commit index query engine value", w, " ");
                   b = ""; while (length(b) < 800) b = b w[1 + int(rand() * nw)] " "; printf "%s", b }')
mkdir -p "$OUT/pgbench"
for w in get put point range; do sed "s/@BIO@/$BIO/" "$HERE/pgbench/$w.sql" > "$OUT/pgbench/$w.sql"; done

# ---- PostgreSQL: private cluster, loopback port, stock durability ----------------------------------------
log "starting PostgreSQL 15 on 127.0.0.1:$PG_PORT"
pg_start
"${PSQL[@]}" -d "$DB" -At -c "SELECT name || ' = ' || current_setting(name) FROM pg_settings WHERE name IN
    ('fsync','synchronous_commit','full_page_writes','wal_sync_method','shared_buffers','max_connections')" \
    >> "$OUT/pg-settings.txt"
grep -q '^fsync = on$' "$OUT/pg-settings.txt" && grep -q '^synchronous_commit = on$' "$OUT/pg-settings.txt" \
  || { echo "compare.sh: PostgreSQL is not at stock durability" >&2; exit 1; }

# ---- BlitDB: built from DIR, its own data dir and port ---------------------------------------------------
BLITDB_COMMIT=$(git -C "$BLITDB_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
BLITDB_BRANCH=$(git -C "$BLITDB_DIR" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
if [ "$BUILD" = 1 ]; then
  log "building the BlitDB server jar in $BLITDB_DIR ($BLITDB_BRANCH @ $BLITDB_COMMIT)"
  (cd "$BLITDB_DIR" && { ./mvnw -B -o -q -DskipTests -pl server -am package || ./mvnw -B -q -DskipTests -pl server -am package; }) \
      > "$OUT/build.log" 2>&1 || { echo "compare.sh: build failed, see $OUT/build.log" >&2; exit 1; }
fi
log "starting BlitDB on 127.0.0.1:$BLITDB_PORT"
"$BLITDB_DIR/blitdb" --port "$BLITDB_PORT" --data-dir "$WORK/blitdb" > "$WORK/blitdb.log" 2>&1 &
BLITDB_PID=$!
B="http://127.0.0.1:$BLITDB_PORT"
for _ in $(seq 1 240); do curl -sf "$B/health" >/dev/null 2>&1 && break; sleep 0.5; done
# /health answers as soon as the port listens; on a loaded machine the server may still be opening its databases
# (503) for a while, so the create is retried rather than taken as a failed start.
created=0
for _ in $(seq 1 240); do
  curl -sf -X PUT "$B/admin/databases?name=$DB" > /dev/null 2>&1 && { created=1; break; }
  kill -0 "$BLITDB_PID" 2>/dev/null || break
  sleep 0.5
done
[ "$created" = 1 ] \
  || { echo "compare.sh: BlitDB did not start, see its log:" >&2; tail -20 "$WORK/blitdb.log" >&2; exit 1; }
for _ in $(seq 1 100); do curl -sf "$B/databases/$DB/stats" >/dev/null 2>&1 && break; sleep 0.2; done

# ---- bulk load (timed) and indexes ----------------------------------------------------------------------
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
RESULTS="$OUT/results.tsv"
printf 'round\tworkload\tside\tvalue\tunit\terrors\tload_avg\n' > "$RESULTS"

log "bulk load: BlitDB bulk_insert"
t0=$(now)
curl -sS --fail-with-body -X POST -H 'Content-Type: application/x-ndjson' -H 'Transfer-Encoding: chunked' \
     -T "$WORK/docs.ndjson" "$B/databases/$DB/bulk_insert" > "$OUT/blitdb-bulk.json"
t1=$(now)
printf '1\tbulk\tblitdb\t%s\ts\t0\t%s\n' "$(secs "$t0" "$t1")" "$(load_avg)" >> "$RESULTS"
log "bulk load: PostgreSQL COPY"
"${PSQL[@]}" -d "$DB" -c "CREATE TABLE docs (id text PRIMARY KEY, data jsonb NOT NULL)"
t0=$(now)
"${PSQL[@]}" -d "$DB" -c "\\copy docs (id, data) FROM '$WORK/docs.tsv'"
t1=$(now)
printf '1\tbulk\tpg\t%s\ts\t0\t%s\n' "$(secs "$t0" "$t1")" "$(load_avg)" >> "$RESULTS"
echo "PostgreSQL: $("${PSQL[@]}" -d "$DB" -At -c 'SELECT count(*) FROM docs') rows" >> "$OUT/pg-settings.txt"

log "indexes: PostgreSQL (expression index on Name, composite on (City, Age)), then VACUUM ANALYZE"
t0=$(now)
"${PSQL[@]}" -d "$DB" -c "CREATE INDEX docs_name ON docs ((data->>'Name'))" \
             -c "CREATE INDEX docs_city_age ON docs ((data->>'City'), ((data->>'Age')::int))"
t1=$(now)
"${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE docs"
printf '1\tindex\tpg\t%s\ts\t0\t%s\n' "$(secs "$t0" "$t1")" "$(load_avg)" >> "$RESULTS"
# The plans PostgreSQL uses for the two queries (raw record that both use their index).
"${PSQL[@]}" -d "$DB" -c "PREPARE p(text) AS SELECT data FROM docs WHERE data->>'Name' = 'name-' || \$1 LIMIT 1" \
  -c "EXPLAIN (ANALYZE, BUFFERS) EXECUTE p('42')" \
  -c "PREPARE r(text, int) AS SELECT data FROM docs WHERE data->>'City' = 'city-' || \$1 AND (data->>'Age')::int BETWEEN \$2 AND \$2 + 5 ORDER BY (data->>'Age')::int LIMIT 25" \
  -c "EXPLAIN (ANALYZE, BUFFERS) EXECUTE r('7', 30)" > "$OUT/pg-plans.txt" 2>&1 || true

if [ "$INDEX_MODE" = static ]; then
  FROM="from index 'Docs/ByNameCityAge'"
  curl -sf -X PUT "$B/databases/$DB/admin/indexes" -H 'Content-Type: application/json' \
       -d '{"Name":"Docs/ByNameCityAge","Collection":"Docs","Fields":{"Name":{"Path":"Name","Type":"Keyword"},"City":{"Path":"City","Type":"Keyword"},"Age":{"Path":"Age","Type":"Long"}}}' > /dev/null
else
  FROM="from Docs"
fi
log "indexes: BlitDB ($INDEX_MODE: $FROM), timed until not stale"
blitdb_query() {
  curl -sS --fail-with-body -X POST "$B/databases/$DB/queries" -H 'Content-Type: application/json' -d "$1"
}
t0=$(now)
blitdb_query "{\"Query\":\"$FROM where Name = \$n limit 1\",\"QueryParameters\":{\"n\":\"name-1\"},\"WaitForNonStaleResults\":true,\"WaitForNonStaleResultsTimeoutInMs\":600000}" > "$OUT/blitdb-index-1.json"
blitdb_query "{\"Query\":\"$FROM where City = \$c and Age between 20 and 25 order by Age limit 25\",\"QueryParameters\":{\"c\":\"city-1\"},\"WaitForNonStaleResults\":true,\"WaitForNonStaleResultsTimeoutInMs\":600000}" > "$OUT/blitdb-index-2.json"
t1=$(now)
printf '1\tindex\tblitdb\t%s\ts\t0\t%s\n' "$(secs "$t0" "$t1")" "$(load_avg)" >> "$RESULTS"
curl -sf "$B/databases/$DB/indexes/stats" > "$OUT/blitdb-indexes.json" || true
# Both sides must answer the same: the first point query's hit and the range query's count of matches.
jq -r '.Results[0].Name // "none"' "$OUT/blitdb-index-1.json" > "$OUT/check.txt"
"${PSQL[@]}" -d "$DB" -At -c "SELECT data->>'Name' FROM docs WHERE data->>'Name' = 'name-1' LIMIT 1" >> "$OUT/check.txt"
jq -r '.TotalResults' "$OUT/blitdb-index-2.json" >> "$OUT/check.txt"
"${PSQL[@]}" -d "$DB" -At -c "SELECT count(*) FROM docs WHERE data->>'City' = 'city-1' AND (data->>'Age')::int BETWEEN 20 AND 25" >> "$OUT/check.txt"
if [ "$(sed -n 1p "$OUT/check.txt")" != "$(sed -n 2p "$OUT/check.txt")" ] \
   || [ "$(sed -n 3p "$OUT/check.txt")" != "$(sed -n 4p "$OUT/check.txt")" ]; then
  echo "compare.sh: BlitDB and PostgreSQL answer differently: $(tr '\n' ' ' < "$OUT/check.txt")" >&2; exit 1
fi

# ---- rounds ---------------------------------------------------------------------------------------------
conns() { case "$1" in get) echo 16 ;; put) echo 64 ;; point|range) echo 8 ;; esac; }
run_blitdb() { # workload seconds raw-file
  local args=("$DOCS" "$DB")
  case "$1" in put) args+=("$BIO") ;; point|range) args+=("$FROM") ;; esac
  wrk -t"$THREADS" -c"$(conns "$1")" -d"$2"s --timeout 10s --latency -s "$HERE/wrk/$1.lua" "$B" -- "${args[@]}" > "$3" 2>&1
}
run_pg() { # workload seconds raw-file
  "$PGBIN/pgbench" -n -M prepared -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$(conns "$1")" -j "$THREADS" \
      -T "$2" -D ndocs="$DOCS" -f "$OUT/pgbench/$1.sql" "$DB" > "$3" 2>&1
}
record() { # round workload side raw-file
  local value errors
  if [ "$3" = blitdb ]; then
    value=$(awk '/^Requests\/sec:/ { print $2 }' "$4")
    errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$4")
  else
    value=$(awk '/^tps = / { print $3 }' "$4")
    errors=$(awk '/^number of failed transactions:/ { print $5 + 0 }' "$4")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${value:-0}" "req/s" "${errors:-0}" "$(load_avg)" >> "$RESULTS"
  [ -n "$value" ] || log "WARNING: no figure in $4"
}
LOADS=()
for w in ${WORKLOADS//,/ }; do [ "$w" != bulk ] && LOADS+=("$w"); done
if [ "$WARMUP" -gt 0 ]; then
  for w in "${LOADS[@]}"; do
    log "warm-up $w (${WARMUP}s each side, not counted)"
    run_blitdb "$w" "$WARMUP" "$OUT/warmup-$w-blitdb.txt"
    run_pg "$w" "$WARMUP" "$OUT/warmup-$w-pg.txt"
  done
fi
for r in $(seq 1 "$ROUNDS"); do
  for w in "${LOADS[@]}"; do
    # Who goes first alternates by round, so a neighbour's burst or a drifting cache does not favour one side.
    if [ $((r % 2)) = 1 ]; then order="blitdb pg"; else order="pg blitdb"; fi
    for side in $order; do
      log "round $r $w $side ($(conns "$w") connections, ${SECS}s, load $(load_avg))"
      raw="$OUT/round$r-$w-$side.txt"
      "run_$side" "$w" "$SECS" "$raw" || log "WARNING: $side $w exited with $?"
      record "$r" "$w" "$side" "$raw"
    done
  done
done
curl -sf "$B/databases/$DB/stats" > "$OUT/blitdb-stats.json" || true

# ---- summary --------------------------------------------------------------------------------------------
{
  echo "# BlitDB vs PostgreSQL 15 — $STAMP"
  echo
  echo "- BlitDB: \`$BLITDB_DIR\` branch \`$BLITDB_BRANCH\` commit \`$BLITDB_COMMIT\`; PostgreSQL: $(head -1 "$OUT/pg-settings.txt" | cut -d' ' -f1-2), $(grep -E '^(fsync|synchronous_commit|shared_buffers)' "$OUT/pg-settings.txt" | tr '\n' ';' | sed 's/;$//; s/;/, /g')"
  echo "- $DOCS documents of ~1 KB, $ROUNDS rounds of ${SECS}s after ${WARMUP}s warm-up per workload, BlitDB index mode \`$INDEX_MODE\`, $THREADS load-generator threads"
  echo "- command: \`bench/pg/compare.sh --blitdb-dir $BLITDB_DIR --rounds $ROUNDS --seconds $SECS --warmup $WARMUP --workloads $WORKLOADS --docs $DOCS --index $INDEX_MODE\`"
  echo "- load average (1/5/15 min) at each measurement: $(awk -F'\t' 'NR > 1 { split($7, a, " "); print a[1] }' "$RESULTS" | sort -g | awk '{ v[NR] = $1 } END { printf "%s to %s", v[1], v[NR] }') (every value in results.tsv)"
  echo
  awk -F'\t' -v rounds="$ROUNDS" '
    function median(s,   n, a, i, j, t) {
      n = split(s, a, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    NR == 1 { next }
    { val[$1, $2, $3] = $4; err[$2, $3] += $6; if (!($2 in seen)) { seen[$2] = 1; order[++nw] = $2 } }
    END {
      label["get"] = "GET by id, 16 conns"; label["put"] = "durable upsert ~1 KB, 64 conns"
      label["point"] = "point query Name = $n limit 1, 8 conns"; label["range"] = "City = $c and Age between, order by Age limit 25, 8 conns"
      label["bulk"] = "bulk load (bulk_insert vs COPY), s"; label["index"] = "index build until queryable, s"
      print "| workload | BlitDB per round | PG per round | BlitDB/PG per round | BlitDB median | PG median | ratio of medians |"
      print "|---|---|---|---|---|---|---|"
      for (k = 1; k <= nw; k++) {
        w = order[k]; bs = ""; ps = ""; rs = ""; timed = (w == "bulk" || w == "index")
        for (r = 1; r <= rounds; r++) {
          if (!((r, w, "blitdb") in val)) continue
          b = val[r, w, "blitdb"]; p = val[r, w, "pg"]
          ratio = timed ? (b > 0 ? p / b : 0) : (p > 0 ? b / p : 0)
          bs = bs (bs == "" ? "" : " / ") sprintf(timed ? "%.2f" : "%.0f", b)
          ps = ps (ps == "" ? "" : " / ") sprintf(timed ? "%.2f" : "%.0f", p)
          rs = rs (rs == "" ? "" : " / ") sprintf("%.2f", ratio)
          pl[w] = pl[w] " " p; bl2[w] = bl2[w] " " b
        }
        mb = median(bl2[w]); mp = median(pl[w])
        mr = timed ? (mb > 0 ? mp / mb : 0) : (mp > 0 ? mb / mp : 0)
        note = (err[w, "blitdb"] + err[w, "pg"] > 0) ? sprintf(" (errors: BlitDB %d, PG %d)", err[w, "blitdb"], err[w, "pg"]) : ""
        printf "| %s%s | %s | %s | %s | %s | %s | **%.2f** |\n", label[w], note, bs, ps, rs,
               sprintf(timed ? "%.2f" : "%.0f", mb), sprintf(timed ? "%.2f" : "%.0f", mp), mr
      }
      print ""
      print "Ratios are BlitDB/PG throughput; for the timed rows (bulk load, index build) PG seconds / BlitDB seconds, so > 1 means BlitDB is faster everywhere."
    }' "$RESULTS"
} > "$OUT/summary.md"
cat "$OUT/summary.md"
log "raw output in $OUT"
