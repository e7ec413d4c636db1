#!/usr/bin/env bash
# bench/results/metrics.md, part 2: GET throughput of a 1 KB document with request metrics (the default) and
# without (-Dblitdb.requestMetrics=false), two servers side by side, wrk (keep-alive), alternating rounds after a
# warm-up of each. Build first:
#   ./mvnw -B -q -DskipTests package
# Usage: flock /work/notes/bench.lock bench/run-metrics.sh [work-dir]   (raw output goes to stdout)
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-metrics-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=${SERVER_JAR:-$ROOT/server/target/blitdb-server.jar}
ON=18180
OFF=18181
CONNECTIONS=${CONNECTIONS:-16}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}

for port in $ON $OFF; do # a server left on the port would be measured instead of ours
    if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is taken" >&2; exit 1; fi
done
rm -rf "$WORK" && mkdir -p "$WORK"
cp "$SERVER_JAR" "$WORK/server.jar" # a rebuild during the run must not touch it
SERVER_JAR=$WORK/server.jar
"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$SERVER_JAR" --port $ON --data-dir "$WORK/on" \
    > "$WORK/on.log" 2>&1 &
ON_PID=$!
"$JAVA" -Dblitdb.requestMetrics=false --enable-native-access=ALL-UNNAMED -jar "$SERVER_JAR" --port $OFF \
    --data-dir "$WORK/off" > "$WORK/off.log" 2>&1 &
OFF_PID=$!
trap 'kill $ON_PID $OFF_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$ON/health/ready" >/dev/null && curl -sf "http://127.0.0.1:$OFF/health/ready" >/dev/null && break
    sleep 0.5
done
kill -0 $ON_PID && kill -0 $OFF_PID || { echo "a server did not start: see $WORK/*.log" >&2; exit 1; }
BIO=$(printf 'x%.0s' $(seq 1 860))
DOC="{\"Name\":\"doc\",\"Bio\":\"$BIO\",\"@metadata\":{\"@collection\":\"Docs\"}}"
for port in $ON $OFF; do
    curl -sf -X PUT "http://127.0.0.1:$port/admin/databases?name=bench" >/dev/null
    curl -sf -X PUT "http://127.0.0.1:$port/databases/bench/docs?id=docs/1" -d "$DOC" >/dev/null
done
for port in $ON $OFF; do # every request must succeed, or the figures mean nothing
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/databases/bench/docs?id=docs/1")
    [ "$status" = 200 ] || { echo "GET on $port answered $status" >&2; exit 1; }
done
load() {
    wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency "http://127.0.0.1:$1/databases/bench/docs?id=docs/1"
}
for port in $ON $OFF; do
    echo "warm-up $port (${WARMUP}s, not recorded)"
    load "$port" "$WARMUP" > /dev/null
done
# Each server's CPU time (user + system, from /proc) per request: unlike req/s it does not depend on how much of
# the two cores the neighbours leave, so it shows what metering costs even on a loaded machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
for round in $(seq 1 "$ROUNDS"); do
    # Alternate which goes first, so a neighbour's burst does not always land on the same one.
    if [ $((round % 2)) -eq 1 ]; then order="$ON $OFF"; else order="$OFF $ON"; fi
    for port in $order; do
        pid=$([ "$port" = $ON ] && echo $ON_PID || echo $OFF_PID)
        echo "round $round $([ "$port" = $ON ] && echo with-metrics || echo without-metrics) load: $(cut -d' ' -f1-3 /proc/loadavg)"
        before=$(cpu_ticks "$pid")
        result=$(load "$port" "$DURATION")
        ticks=$(( $(cpu_ticks "$pid") - before ))
        echo "$result"
        requests=$(echo "$result" | awk '/requests in/ {print $1}')
        awk -v t="$ticks" -v h="$HZ" -v r="$requests" \
            'BEGIN {printf "server CPU: %.2f us per request (%.2f s for %d requests)\n", t / h * 1e6 / r, t / h, r}'
    done
done
echo "metered requests on the with-metrics server:"
curl -s "http://127.0.0.1:$ON/metrics" | grep 'blitdb_http_request_duration_seconds_count' | grep 'db}/docs' || true
echo "without-metrics server (no request series expected):"
curl -s "http://127.0.0.1:$OFF/metrics" | grep -c 'blitdb_http_request_duration_seconds_count' || true
