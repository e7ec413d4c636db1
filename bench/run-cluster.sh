#!/usr/bin/env bash
# bench/results/cluster.md: durable PUTs of ~1 KB documents over 64 connections (wrk), one single server against
# the leader of a three-node cluster on this machine, alternating rounds. Build first:
#   ./mvnw -B -q -o -DskipTests -pl server -am package
# Usage: flock /work/notes/bench.lock bench/run-cluster.sh [work-dir]   (raw output to stdout)
# WARMUP (default 60s; WARMUP_SINGLE / WARMUP_CLUSTER per side) of the same PUTs per side before the first round: three JVMs sharing two cores
# are still compiling (C2 took 35-50% of each node's CPU after a 5 s warm-up, ~20% after 90 s; bench/results/
# cluster.md), so a short warm-up measures the JIT, not the replication path.
# JVM_OPTS: extra JVM flags for all four JVMs; NODE_OPTS / SINGLE_OPTS: extra flags for the cluster's nodes / the
# single server only (e.g. bench/cluster/colocated-jvm.sh's flags). Every round prints each JVM's CPU time during
# the round and the CPU microseconds per acknowledged write (from /proc/<pid>/stat utime+stime).
# PERF_ROUND=N: perf-records PERF_SECONDS (7) of round N on each side (perf record -a -g at 297 Hz, from 1.5 s in;
# the JVMs get -XX:+PreserveFramePointer and dump their perf maps at exit) and prints, per JVM, the CPU us per write
# of each thread group (bench/cluster/threadcost.py): where one side spends more than the other, in the same slot.
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-cluster-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/server/target/blitdb-server.jar}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
JVM=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx512m ${JVM_OPTS:-})
PERF_ROUND=${PERF_ROUND:-0}
PERF_SECONDS=${PERF_SECONDS:-7}
[ "$PERF_ROUND" -gt 0 ] && JVM+=(-XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)
read -r -a NODE_EXTRA <<< "${NODE_OPTS:-}"
read -r -a SINGLE_EXTRA <<< "${SINGLE_OPTS:-}"
CLUSTER="A=127.0.0.1:18281:19281,B=127.0.0.1:18282:19282,C=127.0.0.1:18283:19283"

rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
echo "jar $JAR; single: ${JVM[*]} ${SINGLE_EXTRA[*]}; nodes: ${JVM[*]} ${NODE_EXTRA[*]}"
"$JAVA" "${JVM[@]}" "${SINGLE_EXTRA[@]}" -jar "$JAR" --port 18280 --data-dir "$WORK/single" > "$WORK/single.log" 2>&1 &
PIDS+=($!)
for id in A B C; do
    "$JAVA" "${JVM[@]}" "${NODE_EXTRA[@]}" -jar "$JAR" --node-id $id --cluster "$CLUSTER" --data-dir "$WORK/node-$id" \
        > "$WORK/node-$id.log" 2>&1 &
    PIDS+=($!)
done
applied() { # the leader's applied log index of 'default' (one log entry per proposal)
    curl -s http://127.0.0.1:18281/cluster/topology | grep -o '"Role":"LEADER","Term":[0-9]*,"AppliedIndex":[0-9]*' \
        | head -1 | grep -o '[0-9]*$'
}
leader_port() {
    curl -s http://127.0.0.1:18281/cluster/topology | grep -o '"LeaderUrl":"http://127.0.0.1:[0-9]*' | head -1 \
        | grep -o '[0-9]*$'
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, clock ticks
jit_ticks() { # CPU ticks of the JVM's JIT compiler threads (steady state: near zero)
    local t=0 task
    for task in /proc/$1/task/*; do
        grep -q '^C[12] CompilerThre' "$task/comm" 2>/dev/null && t=$((t + $(awk '{print $14 + $15}' "$task/stat")))
    done
    echo $t
}
TICK=$(getconf CLK_TCK)
for _ in $(seq 1 120); do
    curl -sf http://127.0.0.1:18280/health >/dev/null && [ -n "$(leader_port || true)" ] && break
    sleep 1
done
LEADER=$(leader_port)
echo "single server on 18280; cluster leader of 'default' on $LEADER"
# Warm-up (not measured): every JVM's JIT gets the same PUT traffic before the first measured round.
for target in single cluster; do
    port=18280
    [ "$target" = cluster ] && port=$(leader_port)
    warm=${WARMUP:-60s}
    [ "$target" = single ] && warm=${WARMUP_SINGLE:-$warm}
    [ "$target" = cluster ] && warm=${WARMUP_CLUSTER:-$warm}
    echo "warm-up $target $warm"
    # In 30 s pieces, the cluster's following the leader (a leadership change must not leave the warm-up
    # hitting a follower that answers 421 to everything).
    for _ in $(seq 1 $(( (${warm%s} + 29) / 30 ))); do
        [ "$target" = cluster ] && port=$(leader_port)
        wrk -t2 -c"$CONNECTIONS" -d30s -s "$ROOT/bench/cluster/put.lua" "http://127.0.0.1:$port" > /dev/null
    done
done
for round in $(seq 1 "$ROUNDS"); do
    for target in single cluster; do
        port=18280
        [ "$target" = cluster ] && port=$(leader_port)
        echo "== round $round $target (port $port) load: $(cut -d' ' -f1-3 /proc/loadavg)"
        before=$(applied)
        declare -A t0=() j0=()
        for pid in "${PIDS[@]}"; do t0[$pid]=$(ticks "$pid"); j0[$pid]=$(jit_ticks "$pid"); done
        perf_pid=
        if [ "$round" = "$PERF_ROUND" ]; then
            (sleep 1.5; perf record -a -g -F 297 -o "$WORK/perf-$target.data" -- sleep "$PERF_SECONDS" \
                > "$WORK/perf-$target.log" 2>&1) &
            perf_pid=$!
        fi
        wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/cluster/put.lua" "http://127.0.0.1:$port" \
            | tee "$WORK/wrk.out"
        [ -n "$perf_pid" ] && wait "$perf_pid"
        [ "$round" = "$PERF_ROUND" ] && grep -o 'Requests/sec: *[0-9.]*' "$WORK/wrk.out" | grep -o '[0-9.]*$' > "$WORK/rate-$target"
        writes=$(grep -o '^ *[0-9]* requests in' "$WORK/wrk.out" | grep -o '[0-9]*')
        line="cpu during the round (ms; us per write; JIT compiler threads ms):"
        names=(single A B C)
        i=0
        for pid in "${PIDS[@]}"; do
            ms=$(( ($(ticks "$pid") - ${t0[$pid]}) * 1000 / TICK ))
            jit=$(( ($(jit_ticks "$pid") - ${j0[$pid]}) * 1000 / TICK ))
            line+=" ${names[$i]} $ms ($(awk "BEGIN {printf \"%.0f\", $ms * 1000 / $writes}"); jit $jit)"
            i=$((i + 1))
        done
        echo "$line"
        if [ "$target" = cluster ]; then
            entries=$(( $(applied) - before ))
            echo "log entries: $entries for $writes writes ($(awk "BEGIN {printf \"%.1f\", $writes / $entries}") per entry)"
        fi
    done
done
curl -s http://127.0.0.1:18281/cluster/topology; echo
# CPU seconds each JVM used (single: its rounds; A, B, C: the cluster's), to compare CPU per acknowledged write.
echo "== cpu seconds (pid, cputime, process)"
for pid in "${PIDS[@]}"; do
    ps -o pid=,cputime=,args= -p "$pid" | awk '{print $1, $2, $NF}'
done
if [ "$PERF_ROUND" -gt 0 ]; then # the JVMs write their perf maps when they exit
    kill "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
    echo "== CPU us per write by thread group, round $PERF_ROUND (perf, $PERF_SECONDS s per side)"
    perf script -i "$WORK/perf-single.data" -F pid,tid,comm,ip,sym,dso > "$WORK/perf-single.txt" 2>/dev/null
    python3 "$ROOT/bench/cluster/threadcost.py" "$WORK/perf-single.txt" 297 "$PERF_SECONDS" "$(cat "$WORK/rate-single")" \
        "single=${PIDS[0]}"
    perf script -i "$WORK/perf-cluster.data" -F pid,tid,comm,ip,sym,dso > "$WORK/perf-cluster.txt" 2>/dev/null
    python3 "$ROOT/bench/cluster/threadcost.py" "$WORK/perf-cluster.txt" 297 "$PERF_SECONDS" "$(cat "$WORK/rate-cluster")" \
        "A=${PIDS[1]}" "B=${PIDS[2]}" "C=${PIDS[3]}"
fi
# Raft snapshots the nodes took (each copies the whole store): when they fall into a measured round, say so.
echo "== snapshots taken"
grep -h "snapshot at" "$WORK"/node-*.log || echo "none"
