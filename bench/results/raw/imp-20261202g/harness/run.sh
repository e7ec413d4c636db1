#!/usr/bin/env bash
# run.sh BLITDB_DIR OUTPREFIX [IMPORTS]: backup-compare's BlitDB flow at 200k (create db + index, bulk_insert,
# export, then IMPORTS x (create db, import, non-stale query, delete db)); per import: wall time of the request and
# until the index answers, and a 100 ms per-thread CPU sample (sample.py).
set -euo pipefail
DIR=$1; OUTP=$2; N=${3:-2}
PORT=${PORT:-28491}
W=$(mktemp -d /tmp/imp7/w.XXXX)
BLITDB_JAVA_OPTS="${EXTRA_OPTS:-}" "$DIR/blitdb" --port $PORT --data-dir "$W/data" > "$OUTP.server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; sleep 2; rm -rf "$W"' EXIT
B=http://127.0.0.1:$PORT
for _ in $(seq 1 240); do curl -sf "$B/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
JPID=$(pgrep -P $PID java || echo $PID)
q() { curl -sS --fail-with-body -X POST "$B/databases/$1/queries" -H 'Content-Type: application/json' \
  -d '{"Query":"from index '"'"'Docs/ByNameCityAge'"'"' where City = $c","QueryParameters":{"c":"city-1"},"WaitForNonStaleResults":true,"WaitForNonStaleResultsTimeoutInMs":900000}' | jq -c '{TotalResults,IsStale}'; }
mk() { curl -sf -X PUT "$B/admin/databases?name=$1" >/dev/null; for _ in $(seq 1 100); do curl -sf "$B/databases/$1/stats" >/dev/null 2>&1 && break; sleep 0.2; done; }
mk bench
PRIOJ=""; [ -n "${PRIO:-}" ] && PRIOJ=',"Priority":"'$PRIO'"'
curl -sf -X PUT "$B/databases/bench/admin/indexes" -H 'Content-Type: application/json' -d '{"Name":"Docs/ByNameCityAge","Collection":"Docs","Fields":{"Name":{"Path":"Name","Type":"Keyword"},"City":{"Path":"City","Type":"Keyword"},"Age":{"Path":"Age","Type":"Long"}}'"$PRIOJ"'}' >/dev/null
curl -sS --fail-with-body -X POST -H 'Content-Type: application/x-ndjson' -H 'Transfer-Encoding: chunked' -T ${DOCS:-/tmp/imp6/docs200k.ndjson} "$B/databases/bench/bulk_insert" >/dev/null
q bench >/dev/null
curl -sS --fail-with-body "$B/databases/bench/export" -o $W/dump.gz
for r in $(seq 1 $N); do
  mk i$r
  rm -f $W/stop; python3 /tmp/imp7/sample.py $JPID $OUTP.r$r.samples $W/stop & SP=$!
  sleep 0.3
  t0=$(date +%s.%N)
  curl -sS --fail-with-body -X POST -H 'Content-Type: application/gzip' -H 'Transfer-Encoding: chunked' -T $W/dump.gz "$B/databases/i$r/import" >/dev/null
  t1=$(date +%s.%N)
  q i$r > /dev/null
  t2=$(date +%s.%N)
  sleep 0.3; touch $W/stop; wait $SP
  echo "M $t0 $t1 $t2" >> $OUTP.r$r.samples
  curl -sf "$B/databases/i$r/indexes/stats" > $OUTP.r$r.indexstats.json || true
  echo "round $r import $(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.2f", b-a}') s +index $(awk -v a=$t0 -v b=$t2 'BEGIN{printf "%.2f", b-a}') s load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $OUTP.time.txt
  curl -sf -X DELETE "$B/admin/databases?name=i$r" >/dev/null; sleep 1
done
