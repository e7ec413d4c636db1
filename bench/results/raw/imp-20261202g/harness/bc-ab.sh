#!/usr/bin/env bash
# backup-compare.sh --steps dump,load at DOCS, base and new alternated, one round each, ROUNDS times.
set -u
R=/work/imp/bench/results/raw/imp-20261202g
for i in $(seq 1 ${N:-2}); do
  for b in ${ORDER:-base new2}; do
    c=$(git -C /tmp/imp7/$b rev-parse --short HEAD)
    echo "== $b ($c) pass $i load $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%H:%M:%S)"
    BLITDB_COMMIT=$c /work/imp/bench/pg/backup-compare.sh --blitdb-dir /tmp/imp7/$b --docs ${DOCS:-200000} --rounds 1 \
      --steps dump,load --no-build --out $R/${TAG:-bc200k}-$b-$i > /tmp/imp7/runs/${TAG:-bc200k}-$b-$i.log 2>&1
    grep -h "load" $R/${TAG:-bc200k}-$b-$i/summary.md | head -3
  done
done
