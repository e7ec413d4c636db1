#!/usr/bin/env bash
# A/B of node settings in one slot (bench/results/cluster.md): for each of RUNS passes, for each configuration in
# CONFIGS (node JVM flags, '|' between configurations; JARS: one jar per configuration, '|' between, or JAR for all),
# starts the three nodes of bench/run-cluster.sh afresh, warms them up (WARMUP, default 90s, following the leader),
# then measures ROUNDS rounds of DURATION: req/s, each node's CPU us per acknowledged write (/proc/<pid>/stat),
# its JIT ms, writes per log entry. Configurations alternate, so the machine's load falls on each alike.
# Usage: flock /work/notes/bench.lock bench/cluster/nodes-ab.sh [work-dir]
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-nodes-ab}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IFS='|' read -r -a CONF <<< "${CONFIGS:-}"
[ ${#CONF[@]} -eq 0 ] && CONF=("")
IFS='|' read -r -a JARL <<< "${JARS:-}"
RUNS=${RUNS:-2}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-90s}
CONNECTIONS=${CONNECTIONS:-64}
CLUSTER="A=127.0.0.1:18281:19281,B=127.0.0.1:18282:19282,C=127.0.0.1:18283:19283"
TICK=$(getconf CLK_TCK)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
jit_ticks() {
    local t=0 task
    for task in /proc/$1/task/*; do
        grep -q '^C[12] CompilerThre' "$task/comm" 2>/dev/null && t=$((t + $(awk '{print $14 + $15}' "$task/stat")))
    done
    echo $t
}
leader_port() {
    curl -s http://127.0.0.1:18281/cluster/topology | grep -o '"LeaderUrl":"http://127.0.0.1:[0-9]*' | head -1 \
        | grep -o '[0-9]*$'
}
applied() {
    curl -s http://127.0.0.1:18281/cluster/topology | grep -o '"Role":"LEADER","Term":[0-9]*,"AppliedIndex":[0-9]*' \
        | head -1 | grep -o '[0-9]*$'
}
for run in $(seq 1 "$RUNS"); do
    for c in "${!CONF[@]}"; do
        jar=${JARL[$c]:-${JAR:-$ROOT/server/target/blitdb-server.jar}}
        read -r -a extra <<< "${CONF[$c]}"
        dir="$WORK/run$run-conf$c"
        rm -rf "$dir" && mkdir -p "$dir"
        PIDS=()
        for id in A B C; do
            "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx512m ${JVM_OPTS:-} \
                "${extra[@]}" -jar "$jar" --node-id $id --cluster "$CLUSTER" --data-dir "$dir/node-$id" \
                > "$dir/node-$id.log" 2>&1 &
            PIDS+=($!)
        done
        for _ in $(seq 1 120); do [ -n "$(leader_port || true)" ] && break; sleep 1; done
        echo "== run $run conf $c: jar $jar flags '${CONF[$c]}' leader $(leader_port)"
        for _ in $(seq 1 $(( (${WARMUP%s} + 29) / 30 ))); do
            wrk -t2 -c"$CONNECTIONS" -d30s -s "$ROOT/bench/cluster/put.lua" "http://127.0.0.1:$(leader_port)" > /dev/null
        done
        for round in $(seq 1 "$ROUNDS"); do
            load=$(cut -d' ' -f1 /proc/loadavg)
            before=$(applied)
            declare -A t0=() j0=()
            for pid in "${PIDS[@]}"; do t0[$pid]=$(ticks "$pid"); j0[$pid]=$(jit_ticks "$pid"); done
            wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/bench/cluster/put.lua" "http://127.0.0.1:$(leader_port)" \
                > "$dir/wrk.out"
            writes=$(grep -o '^ *[0-9]* requests in' "$dir/wrk.out" | grep -o '[0-9]*')
            rate=$(grep -o 'Requests/sec: *[0-9.]*' "$dir/wrk.out" | grep -o '[0-9.]*$')
            entries=$(( $(applied) - before ))
            line="conf $c round $round load $load: $rate req/s, $(awk "BEGIN {printf \"%.1f\", $writes / $entries}") writes/entry; us/write (jit ms):"
            total=0
            for i in 0 1 2; do
                pid=${PIDS[$i]}
                ms=$(( ($(ticks "$pid") - ${t0[$pid]}) * 1000 / TICK ))
                total=$((total + ms))
                jit=$(( ($(jit_ticks "$pid") - ${j0[$pid]}) * 1000 / TICK ))
                line+=" $(awk "BEGIN {printf \"%.0f\", $ms * 1000 / $writes}") ($jit)"
            done
            echo "$line; three nodes $(awk "BEGIN {printf \"%.0f\", $total * 1000 / $writes}") us/write"
        done
        kill "${PIDS[@]}" 2>/dev/null || true
        wait "${PIDS[@]}" 2>/dev/null || true
        grep -h "snapshot at" "$dir"/node-*.log || true
    done
done
