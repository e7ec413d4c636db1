#!/usr/bin/env bash
# HTTP benchmarks of bench/results/http.md: GET of a 1 KB document vs a bare Undertow handler (alternating,
# 3 repeats), then durable PUTs of 1 KB documents over 64 connections (3 repeats). Build first:
#   ./mvnw -B -q -DskipTests package
# Usage: bench/run-http.sh [work-dir]   (raw output goes to stdout)
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=${1:-/tmp/blitdb-http-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=$ROOT/server/target/blitdb-server.jar
BENCH_JAR=$ROOT/bench/target/benchmarks.jar
PORT=18080
BARE_PORT=18081
GET_CONNECTIONS=${GET_CONNECTIONS:-16}
PUT_CONNECTIONS=${PUT_CONNECTIONS:-64}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-15}

rm -rf "$WORK" && mkdir -p "$WORK"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$SERVER_JAR" --port $PORT --data-dir "$WORK/data" \
    > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
"$JAVA" -cp "$BENCH_JAR" dev.blitdb.bench.http.BareUndertowServer $BARE_PORT 1024 > "$WORK/bare.log" 2>&1 &
BARE_PID=$!
trap 'kill $SERVER_PID $BARE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$BARE_PORT/" >/dev/null && break
    sleep 0.5
done

curl -sf -X PUT "http://127.0.0.1:$PORT/admin/databases?name=bench" >/dev/null
# A 1 KB document: the same shape and size as the bare server's constant body once stored with @metadata.
BIO=$(printf 'x%.0s' $(seq 1 860))
DOC="{\"Name\":\"doc\",\"Bio\":\"$BIO\",\"@metadata\":{\"@collection\":\"Docs\"}}"
curl -sf -X PUT "http://127.0.0.1:$PORT/databases/bench/docs?id=docs/1" -d "$DOC" >/dev/null
echo "GET body sizes: blitdb $(curl -s "http://127.0.0.1:$PORT/databases/bench/docs?id=docs/1" | wc -c) bytes," \
     "bare $(curl -s "http://127.0.0.1:$BARE_PORT/" | wc -c) bytes"

load() {
    "$JAVA" -cp "$BENCH_JAR" dev.blitdb.bench.http.LoadGenerator --url "$1" --connections "$2" \
        --warmup "$WARMUP" --duration "$DURATION" --scenario "$3"
}
for round in 1 2 3; do
    echo "round $round"
    load "http://127.0.0.1:$PORT" "$GET_CONNECTIONS" "get:/databases/bench/docs?id=docs/1"
    load "http://127.0.0.1:$BARE_PORT" "$GET_CONNECTIONS" "get:/"
done
for round in 1 2 3; do
    echo "put round $round"
    load "http://127.0.0.1:$PORT" "$PUT_CONNECTIONS" "put:bench:1024"
done
curl -s "http://127.0.0.1:$PORT/databases/bench/stats"; echo
