#!/usr/bin/env bash
for b in ${ORDER:-base new}; do
  echo "== $b load $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%H:%M:%S)"
  DOCS=/tmp/imp6/docs1m.ndjson /tmp/imp7/run.sh /tmp/imp7/$b /tmp/imp7/runs/${TAG:-m1}-$b 1
done
