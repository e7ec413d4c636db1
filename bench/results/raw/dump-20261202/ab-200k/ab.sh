#!/usr/bin/env bash
# A/B/C of import variants at N docs, alternating jars, 2 rounds each
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
N=${1:-200000}
for pass in 1 2; do
for v in base new idxfirst; do
  echo "== $v pass $pass $(uptime)"
  ROUNDS=1 /tmp/dumpprof/run.sh $N /tmp/dump-$v/server/target/blitdb-server.jar ab-$v 2>&1 | grep -E "^(import|export)"
done
done
