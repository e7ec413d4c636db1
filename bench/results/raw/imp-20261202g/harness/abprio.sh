#!/usr/bin/env bash
# Normal vs High index priority on the same build, alternated, 2 imports each.
for i in 1 2; do
  for p in Normal High; do
    echo "== $p $i load $(cut -d' ' -f1-3 /proc/loadavg)"
    PRIO=$p /tmp/imp7/run.sh /tmp/imp7/base /tmp/imp7/runs/prio-$p-$i 2
  done
done
