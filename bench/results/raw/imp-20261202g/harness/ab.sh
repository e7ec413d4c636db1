#!/usr/bin/env bash
# base vs new alternated at 200k (run.sh), 2 imports per server; TAG names the pass.
for i in 1 2; do
  for b in ${ORDER:-base new}; do
    echo "== $b $i load $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%H:%M:%S)"
    /tmp/imp7/run.sh /tmp/imp7/$b /tmp/imp7/runs/${TAG:-ab}-$b-$i 2
  done
done
