#!/usr/bin/env bash
# One 1M backup-compare round per build, each build in its own lock hold.
R=/work/imp/bench/results/raw/imp-20261202g
for b in ${ORDER:-new2 base}; do
  c=$(git -C /tmp/imp7/$b rev-parse --short HEAD)
  flock /work/notes/bench.lock sh -c "echo '== $b ($c) load '\$(cut -d' ' -f1-3 /proc/loadavg)' '\$(date -u +%H:%M:%S); BLITDB_COMMIT=$c /work/imp/bench/pg/backup-compare.sh --blitdb-dir /tmp/imp7/$b --docs 1000000 --rounds 1 --steps dump,load --no-build --out $R/bc1m-$b > /tmp/imp7/runs/bc1m-$b.log 2>&1; grep -h 'load (POST' $R/bc1m-$b/summary.md; cat $R/bc1m-$b/round1-blitdb-import.json; echo"
done
