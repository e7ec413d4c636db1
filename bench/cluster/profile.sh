#!/usr/bin/env bash
# Profiles the three nodes of a cluster under the durable-PUT load of bench/run-cluster.sh: JFR on every JVM
# (settings=profile), a warm-up, then DURATION of wrk while the recordings run. Prints req/s, each JVM's CPU
# seconds and the log entries the leader's group holds (writes per entry); leaves node-X.jfr in the work folder.
# Usage: flock /work/notes/bench.lock bench/cluster/profile.sh [work-dir]   (EXTRA_JVM_OPTS: more JVM flags)
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-cluster-profile}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-$ROOT/server/target/blitdb-server.jar}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
CLUSTER="A=127.0.0.1:18281:19281,B=127.0.0.1:18282:19282,C=127.0.0.1:18283:19283"
PROFILER=${PROFILER:-jfr}   # jfr: a recording per JVM; perf: perf record -a -g over the measured run
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
for id in A B C; do
    if [ "$PROFILER" = none ]; then
        PROFILE_OPTS=(${EXTRA_JVM_OPTS:-})
    elif [ "$PROFILER" = jfr ]; then
        PROFILE_OPTS=(-XX:StartFlightRecording=filename="$WORK/node-$id.jfr",settings=profile,dumponexit=true)
    else
        PROFILE_OPTS=(-XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)
    fi
    [ "$PROFILER" != none ] && PROFILE_OPTS+=(${EXTRA_JVM_OPTS:-})
    "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx512m \
        "${PROFILE_OPTS[@]}" \
        -jar "$JAR" --node-id $id --cluster "$CLUSTER" --data-dir "$WORK/node-$id" > "$WORK/node-$id.log" 2>&1 &
    PIDS+=($!)
done
leader_port() {
    curl -s http://127.0.0.1:18281/cluster/topology | grep -o '"LeaderUrl":"http://127.0.0.1:[0-9]*' | head -1 \
        | grep -o '[0-9]*$'
}
for _ in $(seq 1 120); do
    [ -n "$(leader_port || true)" ] && break
    sleep 1
done
LEADER=$(leader_port)
echo "leader of 'default' on $LEADER"
# The warm-up follows the leader (30 s pieces): a leadership change on a loaded machine must not leave it hitting
# a follower that answers 421 to everything.
for _ in $(seq 1 $(( (${WARMUP%s} + 29) / 30 ))); do
    wrk -t2 -c"$CONNECTIONS" -d30s -s "$ROOT/bench/cluster/put.lua" "http://127.0.0.1:$(leader_port)" > /dev/null
done
cpu() { for pid in "${PIDS[@]}"; do ps -o cputime= -p "$pid"; done | tr '\n' ' '; }
before=$(curl -s http://127.0.0.1:18281/cluster/topology)
echo "cpu before: $(cpu)"
echo "== load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$PROFILER" = perf ]; then
    (sleep 3; perf record -a -g -F 297 -o "$WORK/perf.data" -- sleep 10 2> "$WORK/perf-record.log") &
fi
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/cluster/put.lua" "http://127.0.0.1:$(leader_port)"
echo "cpu after: $(cpu)"
echo "pids (A B C): ${PIDS[*]}"
echo "topology before: $before"
echo "topology after: $(curl -s http://127.0.0.1:18281/cluster/topology)"
for pid in "${PIDS[@]}"; do kill "$pid"; done
wait || true
