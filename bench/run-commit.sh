#!/usr/bin/env bash
# Commit-path benchmarks of bench/results/commit.md: a BEFORE checkout against this one (AFTER), alternating
# rounds in one run: durable inserts vs LMDB (PairedReport) and group commit with 64 threads (JMH), then the young
# store report. Build both first (./mvnw -B -q -DskipTests -pl server,bench -am package). Raw output to stdout.
#   bench/run-commit.sh BEFORE_DIR [rounds]
set -euo pipefail
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BEFORE=$1
AFTER=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${2:-2}
FLAGS=(--enable-native-access=ALL-UNNAMED -Xmx2g --add-opens java.base/java.nio=ALL-UNNAMED
       --add-opens java.base/sun.nio.ch=ALL-UNNAMED)
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="before after"; else order="after before"; fi
    for side in $order; do
        if [ "$side" = before ]; then root=$BEFORE; else root=$AFTER; fi
        echo "=== round $round $side: PairedReport inserts ($(cut -d' ' -f1-3 /proc/loadavg))"
        "$J" "${FLAGS[@]}" -cp "$root/bench/target/benchmarks.jar" dev.blitdb.bench.storage.PairedReport 2000 1 50000 \
            | grep -v randomGet | grep -v scan
        echo "=== round $round $side: GroupCommitBenchmark ($(cut -d' ' -f1-3 /proc/loadavg))"
        "$J" "${FLAGS[@]}" -jar "$root/bench/target/benchmarks.jar" GroupCommitBenchmark -p mode=merged,documents \
            -f 1 -wi 1 -w 3 -i 3 -r 5 2>&1 | grep -E "^(Benchmark|GroupCommit)"
    done
done
echo "=== young store ($(cut -d' ' -f1-3 /proc/loadavg))"
"$J" --enable-native-access=ALL-UNNAMED -cp "$AFTER/bench/target/benchmarks.jar" \
    dev.blitdb.bench.storage.YoungStoreReport 20000 100 5 100
