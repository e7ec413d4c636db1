#!/usr/bin/env bash
# bench/results/cluster.md, "Catch-up": a fourth node added to a three-node cluster catches up by installing the
# leader's Raft snapshot (a SnapshotCopy of the store); its rate (snapshot bytes / time from PUT /admin/cluster/nodes
# to the answer, which comes once the node holds every database) against the rate at which the leader takes that
# snapshot (copy + MD5 + sync, from its log). Rounds alternate: fresh snapshot on the leader, add D, remove D.
# Build first:  ./mvnw -B -q -o -DskipTests -pl server -am package
# Usage: flock /work/notes/bench.lock bench/run-catchup.sh [work-dir]   (raw output to stdout)
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-catchup-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/server/target/blitdb-server.jar}
ROUNDS=${ROUNDS:-3}
DOCS=${DOCS:-100000}
JVM=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx512m)
MEMBERS="A=127.0.0.1:18291:19291,B=127.0.0.1:18292:19292,C=127.0.0.1:18293:19293"
SNAPSHOTS=(--raft-snapshot 40:1024:0)
DB=catchup

rm -rf "$WORK" && mkdir -p "$WORK"
declare -A PID
trap 'kill "${PID[@]}" 2>/dev/null || true' EXIT
start() { # id spec [flags]
    "$JAVA" "${JVM[@]}" -jar "$JAR" --node-id "$1" --cluster "$2" "${SNAPSHOTS[@]}" ${3:-} --data-dir "$WORK/node-$1" \
        >> "$WORK/node-$1.log" 2>&1 &
    PID[$1]=$!
}
now_ms() { date +%s%3N; }
leader_port() {
    curl -s http://127.0.0.1:18291/cluster/topology | python3 -c '
import json,sys
t=json.load(sys.stdin)
for d in t["Databases"]:
    if d["Name"].lower()==sys.argv[1] and d.get("LeaderUrl"): print(d["LeaderUrl"].rsplit(":",1)[1])' "$1"
}
view() { # port field
    curl -s "http://127.0.0.1:$1/cluster/node" | python3 -c '
import json,sys
for d in json.load(sys.stdin)["Databases"]:
    if d["Name"].lower()==sys.argv[1]: print(d[sys.argv[2]])' "$DB" "$2"
}
for id in A B C; do start $id "$MEMBERS"; done
for _ in $(seq 1 180); do [ -n "$(leader_port default 2>/dev/null || true)" ] && break; sleep 1; done
curl -s -X PUT "http://127.0.0.1:18291/admin/databases?name=$DB"; echo
for _ in $(seq 1 60); do [ -n "$(leader_port $DB 2>/dev/null || true)" ] && break; sleep 1; done
L=$(leader_port $DB)
echo "leader of $DB on port $L; loading $DOCS documents of ~1 KB (bulk_insert) load: $(cut -d' ' -f1-3 /proc/loadavg)"
# In pieces of 4000 (an unknown outcome under load costs one piece, resent: documents are upserts).
for first in $(seq 0 4000 $((DOCS - 1))); do
    for attempt in 1 2 3; do
        answer=$(python3 -c '
import random, sys
first = int(sys.argv[1])
for i in range(first, min(first + 4000, int(sys.argv[2]))):
    pad = random.Random(i).randbytes(450).hex()  # incompressible (blittable compresses repetitive strings)
    sys.stdout.write("{\"N\":%d,\"Bio\":\"%s\",\"@metadata\":{\"@id\":\"docs/%d\",\"@collection\":\"Docs\"}}\n" % (i, pad, i))
' "$first" "$DOCS" | curl -s -X POST -H 'Content-Type: application/x-ndjson' -H 'Transfer-Encoding: chunked' \
            --data-binary @- "http://127.0.0.1:$L/databases/$DB/bulk_insert")
        case "$answer" in *Inserted*) break ;; *) echo "piece $first attempt $attempt: $answer" | cut -c1-200 ;; esac
    done
done
echo "loaded; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
    L=$(leader_port $DB)
    # A fresh snapshot on the leader: more entries than the threshold (each PUT its own entry).
    for i in $(seq 1 50); do
        curl -s -o /dev/null -X PUT "http://127.0.0.1:$L/databases/$DB/docs?id=round$round/$i" -d '{"R":1}'
    done
    applied=$(view "$L" AppliedIndex)
    for _ in $(seq 1 60); do
        [ "$(view "$L" SnapshotIndex)" -ge $((applied - 40)) ] && break; sleep 1
    done
    echo "== round $round: leader $L applied $applied snapshot $(view "$L" SnapshotIndex) log starts at $(view "$L" LogStartIndex)"
    grep -h "database '$DB': snapshot at" "$WORK"/node-*.log | tail -1
    rm -rf "$WORK/node-D"
    start D "$MEMBERS,D=127.0.0.1:18294:19294" --join
    for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18294/cluster/node > /dev/null && break; sleep 1; done
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    t0=$(now_ms)
    curl -s -X PUT http://127.0.0.1:18292/admin/cluster/nodes \
        -d '{"Id":"D","Url":"http://127.0.0.1:18294","RaftAddress":"127.0.0.1:19294"}'; echo
    t1=$(now_ms)
    # The add can be answered while D is still receiving the snapshot: wait (up to 5 min) for the install.
    for _ in $(seq 1 300); do
        grep -q "database '$DB': installed snapshot" "$WORK/node-D.log" && break; sleep 1
    done
    echo "catch-up: PUT /admin/cluster/nodes answered after $((t1 - t0)) ms; D applied $(view 18294 AppliedIndex), installed $(view 18294 SnapshotsInstalled)"
    grep -h "Installing snapshot:" "$WORK/node-D.log" | head -1 | cut -c1-23
    grep -h "database '$DB': installed snapshot" "$WORK/node-D.log" | tail -1
    if [ "$round" = 1 ]; then # the refusals, for the API examples
        curl -s -X PUT http://127.0.0.1:18291/admin/cluster/nodes \
            -d '{"Id":"D","Url":"http://127.0.0.1:18294","RaftAddress":"127.0.0.1:19294"}'; echo
        curl -s -X DELETE "http://127.0.0.1:18291/admin/cluster/nodes?id=Z"; echo
    fi
    curl -s -X DELETE "http://127.0.0.1:18291/admin/cluster/nodes?id=D"; echo
    kill "${PID[D]}"; wait "${PID[D]}" 2>/dev/null || true; unset 'PID[D]'
done
curl -s http://127.0.0.1:18291/cluster/topology; echo
