#!/usr/bin/env bash
# Heap benchmark of bench/results/http.md: a server with -Xmx256m over a database much larger than the heap
# (DOCS documents of ~1 KB loaded through bulk_docs), then a mixed load (GET by id + 10% overwrites) with GC
# logging; prints the GC pause total as a share of wall time for the whole run and for the mixed phase.
# Usage: bench/run-heap.sh [work-dir]   (DOCS=2000000 MIXED_SECONDS=60 by default)
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-heap-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCS=${DOCS:-2000000}
MIXED_SECONDS=${MIXED_SECONDS:-60}
PORT=18090

rm -rf "$WORK" && mkdir -p "$WORK"
JVM_START=$(date +%s.%N)
"$JAVA" -Xmx256m -Xlog:gc:file="$WORK/gc.log":uptime --enable-native-access=ALL-UNNAMED \
    -jar "$ROOT/server/target/blitdb-server.jar" --port $PORT --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
curl -sf -X PUT "http://127.0.0.1:$PORT/admin/databases?name=bench" >/dev/null

START=$(date +%s.%N)
"$JAVA" -cp "$ROOT/bench/target/benchmarks.jar" dev.blitdb.bench.http.BulkLoader "http://127.0.0.1:$PORT" bench \
    "$DOCS" 1024 500 4
LOADED=$(date +%s.%N)
curl -s "http://127.0.0.1:$PORT/databases/bench/stats"; echo
du -sh "$WORK/data/bench"
"$JAVA" -cp "$ROOT/bench/target/benchmarks.jar" dev.blitdb.bench.http.LoadGenerator --url "http://127.0.0.1:$PORT" \
    --connections 32 --warmup 5 --duration "$MIXED_SECONDS" --scenario "mixed:bench:$DOCS:10:1024"
END=$(date +%s.%N)
grep -c OutOfMemoryError "$WORK/server.log" && echo "OUT OF MEMORY" || echo "no OutOfMemoryError in the server log"
kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true
trap - EXIT
# -Xlog:gc lines: "[12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 4.567ms"
python3 - "$WORK/gc.log" "$JVM_START" "$START" "$LOADED" "$END" <<'PY'
import re, sys
log, jvm_start, start, loaded, end = sys.argv[1], *map(float, sys.argv[2:])
pauses = []
for line in open(log):
    m = re.match(r"\[(\d+\.\d+)s\].*Pause.* (\d+\.\d+)ms$", line.strip())
    if m:
        pauses.append((float(m.group(1)), float(m.group(2))))
total_ms = sum(p for _, p in pauses)
print(f"GC pauses: {len(pauses)}, total {total_ms:.1f} ms, longest {max((p for _, p in pauses), default=0):.1f} ms")
wall = end - jvm_start
mixed = end - loaded
# -Xlog uptime counts from the JVM's start (JVM_START, give or take a few ms): the mixed phase starts at
# LOADED - JVM_START on that clock.
mixed_ms = sum(p for t, p in pauses if t >= loaded - jvm_start)
print(f"wall {wall:.1f} s (start-up {start - jvm_start:.1f} s + load {loaded - start:.1f} s + mixed {mixed:.1f} s): pauses {100 * total_ms / 1000 / wall:.2f}% "
      f"of wall time; mixed phase {mixed_ms:.1f} ms = {100 * mixed_ms / 1000 / mixed:.2f}%")
PY
