#!/bin/bash
# usage: pair.sh <tag> <jar...>   runs each jar once (throughput, 1 warm-up + 3 rounds) under the bench lock, JFR on
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
tag=$1; shift
for jar in "$@"; do
  name=$(basename $jar .jar)
  out=/tmp/rb/raw/throughput-$name-$tag.txt
  { echo "# $(date -u +%FT%TZ) $jar"; echo "# before lock: $(uptime)";
    flock /work/notes/bench.lock bash -c "echo \"# lock taken: \$(uptime)\"; $J --enable-native-access=ALL-UNNAMED -Xmx3g -cp $jar dev.blitdb.bench.indexing.IndexingBenchmark throughput /tmp/rb/data 3; echo \"# done: \$(uptime)\""; } > $out 2>&1
done
