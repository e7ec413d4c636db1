#!/usr/bin/env bash
# A/B in one slot: alternate jars, each a full run-security.sh run; $1 = out dir, rest = jar names under $JARS
# (default /tmp/tls7-new). Pass SERVER_CPUS/WRK_CPUS/SERVER_ARGS/ROUNDS/DURATION/WARMUP through the environment.
set -u
out=$1; shift
jars=${JARS:-/tmp/tls7-new}
cd /work/tls
i=0
for name in "$@"; do
  i=$((i+1))
  echo "### $i $name $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  SERVER_JAR=$jars/$name.jar ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8s} WARMUP=${WARMUP:-15s} bench/run-security.sh "$out/$i-$name" 2>&1 \
    | grep -E '^==|Requests/sec|server CPU|wrk CPU'
done
