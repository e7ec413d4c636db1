#!/usr/bin/env bash
# quick profile harness: N docs, bulk insert, index, export, import (into a fresh db); JFR on the server
set -euo pipefail
N=${1:-200000}; JAR=${2:-/work/dump/server/target/blitdb-server.jar}; TAG=${3:-run}
W=/tmp/dumpprof/work-$TAG; rm -rf $W; mkdir -p $W
[ -f /tmp/dumpprof/docs-$N.ndjson ] || awk -v n="$N" -v ndjson=/tmp/dumpprof/docs-$N.ndjson -v tsv=/dev/null -f /work/dump/bench/pg/gen-docs.awk
PORT=28181; B=http://127.0.0.1:$PORT
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
$JAVA --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${JFR:-} -jar $JAR --port $PORT --data-dir $W/data > $W/server.log 2>&1 &
PID=$!; echo $PID > $W/pid
trap 'kill $PID; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf $B/health/ready >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf -X PUT "$B/admin/databases?name=src" >/dev/null
for _ in $(seq 1 100); do curl -sf "$B/databases/src/stats" >/dev/null 2>&1 && break; sleep 0.2; done
INDEX='{"Name":"Docs/ByNameCityAge","Collection":"Docs","Fields":{"Name":{"Path":"Name","Type":"Keyword"},"City":{"Path":"City","Type":"Keyword"},"Age":{"Path":"Age","Type":"Long"}}}'
curl -sf -X PUT "$B/databases/src/admin/indexes" -H 'Content-Type: application/json' -d "$INDEX" > /dev/null
nonstale() { curl -sS --fail-with-body -X POST "$B/databases/$1/queries" -H 'Content-Type: application/json' \
       -d '{"Query":"from index '"'"'Docs/ByNameCityAge'"'"' where City = $c","QueryParameters":{"c":"city-1"},"WaitForNonStaleResults":true,"WaitForNonStaleResultsTimeoutInMs":900000}' | jq -r '"\(.TotalResults) stale=\(.IsStale)"'; }
t0=$(date +%s.%N)
curl -sS --fail-with-body -X POST -H 'Content-Type: application/x-ndjson' -T /tmp/dumpprof/docs-$N.ndjson "$B/databases/src/bulk_insert"; echo
nonstale src
t1=$(date +%s.%N); echo "bulk+index $(echo "$t1 - $t0" | bc) load $(cut -d' ' -f1 /proc/loadavg)"
sleep ${SETTLE:-2}
for r in $(seq 1 ${ROUNDS:-1}); do
[ -n "${PROF:-}" ] && jcmd $PID JFR.start name=exp settings=profile filename=$W/export-$r.jfr >/dev/null
python3 /tmp/dumpprof/cpu.py $PID $W/cpu-export-$r.txt & CPUP=$!; while [ ! -f $W/cpu-export-$r.txt.start ]; do sleep 0.05; done
t0=$(date +%s.%N)
curl -sS --fail-with-body "$B/databases/src/export" -o $W/dump.gz
touch $W/cpu-export-$r.txt.stop; wait $CPUP; cat $W/cpu-export-$r.txt
t1=$(date +%s.%N); echo "export $(echo "$t1 - $t0" | bc) bytes $(stat -c %s $W/dump.gz) load $(cut -d' ' -f1 /proc/loadavg)"
[ -n "${PROF:-}" ] && jcmd $PID JFR.stop name=exp >/dev/null
curl -sf -X PUT "$B/admin/databases?name=i$r" >/dev/null
for _ in $(seq 1 100); do curl -sf "$B/databases/i$r/stats" >/dev/null 2>&1 && break; sleep 0.2; done
if [ -n "${DEFER:-}" ]; then zcat $W/dump.gz | grep -v '^{"IndexDefinition"' | gzip -1 > $W/dump-noidx.gz; IMP=$W/dump-noidx.gz; else IMP=$W/dump.gz; fi
[ -n "${PROF:-}" ] && jcmd $PID JFR.start name=imp settings=profile filename=$W/import-$r.jfr >/dev/null
python3 /tmp/dumpprof/cpu.py $PID $W/cpu-import-$r.txt & CPUP=$!; while [ ! -f $W/cpu-import-$r.txt.start ]; do sleep 0.05; done
t0=$(date +%s.%N)
curl -sS --fail-with-body -X POST -H 'Content-Type: application/gzip' -T $IMP "$B/databases/i$r/import"; echo
t2=$(date +%s.%N)
[ -n "${DEFER:-}" ] && curl -sf -X PUT "$B/databases/i$r/admin/indexes" -H 'Content-Type: application/json' -d "$INDEX" > /dev/null
nonstale i$r
touch $W/cpu-import-$r.txt.stop; wait $CPUP; cat $W/cpu-import-$r.txt
t1=$(date +%s.%N); echo "import $(echo "$t2 - $t0" | bc) +index $(echo "$t1 - $t0" | bc) load $(cut -d' ' -f1 /proc/loadavg)"
[ -n "${PROF:-}" ] && jcmd $PID JFR.stop name=imp >/dev/null
curl -sf -X DELETE "$B/admin/databases?name=i$r" > /dev/null || true
done
