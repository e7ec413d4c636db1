#!/usr/bin/env bash
# GET by id over TLS (keep-alive) vs plain HTTP on the same server: one BlitDB with --tls-cert/--tls-key,
# --require-auth and a --plain-loopback-port, one 1 KB document, wrk against both listeners with the same
# Bearer key, alternating which goes first, ROUNDS rounds; prints the server's CPU time per request with each.
# Run under: flock /work/notes/bench.lock bench/run-security.sh OUT_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/bench/results/raw/security}
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jar=$root/server/target/blitdb-server.jar
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$out"
cp "${SERVER_JAR:-$root/server/target/blitdb-server.jar}" "$work/server.jar" # a rebuild during the run must not touch it
jar=$work/server.jar
key="bench.$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
"$java" -jar "$jar" setup --out "$work/certs" --hostname 127.0.0.1 --data-dir "$work/data" > /dev/null
rm -rf "$work/data/.system" # setup registered its admin certificate; start over so the bootstrap key applies
BLITDB_BOOTSTRAP_API_KEY=$key "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -jar "$jar" --port 18443 --plain-loopback-port 18080 --data-dir "$work/data" --require-auth \
  --tls-cert "$work/certs/server.crt" --tls-key "$work/certs/server.key" ${SERVER_ARGS:-} > "$out/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/health/ready)" = 200 ] && break; sleep 1; done
doc=$(python3 -c 'import json; print(json.dumps({"Name":"x"*900,"Age":42,"@metadata":{"@collection":"Docs"}}))')
status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $key" \
  "http://127.0.0.1:18080/databases/default/docs?id=docs/1" -d "$doc")
[ "$status" = 201 ] || { echo "storing the document answered $status" >&2; exit 1; }
for scheme in https http; do  # every request must succeed, or the figures mean nothing
  port=$([ $scheme = https ] && echo 18443 || echo 18080)
  status=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
    "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1")
  [ "$status" = 200 ] || { echo "$scheme GET answered $status" >&2; exit 1; }
done
for scheme in https http; do  # warm-up, not recorded
  port=$([ $scheme = https ] && echo 18443 || echo 18080)
  wrk -t2 -c16 -d"${WARMUP:-10s}" -H "Authorization: Bearer $key" "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1" > /dev/null
done
# The server's CPU time (user + system, from /proc) per request: unlike req/s it does not depend on how much of
# the two cores the neighbours and wrk itself (which does TLS too) leave to the server.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
idle_ticks() { awk '/^cpu / {print $5 + $6}' /proc/stat; } # idle + iowait over all cores
for round in $(seq 1 "$rounds"); do
  # Alternate which goes first, so a neighbour's burst does not always land on the same one.
  if [ $((round % 2)) -eq 1 ]; then order="https http"; else order="http https"; fi
  for scheme in $order; do
    port=$([ $scheme = https ] && echo 18443 || echo 18080)
    before=$(cpu_ticks)
    idle_before=$(idle_ticks)
    # wrk's own CPU (user + system) too: it shares the two cores, and its TLS work is part of the req/s ratio.
    result=$(/usr/bin/time -f 'wrk-cpu %U %S' wrk -t2 -c16 -d"$duration" --latency -H "Authorization: Bearer $key" \
        "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1" 2>&1)
    ticks=$(( $(cpu_ticks) - before ))
    idle=$(( $(idle_ticks) - idle_before ))
    requests=$(echo "$result" | awk '/requests in/ {print $1}')
    { echo "== round $round $scheme $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
      echo "$result" | grep -v '^wrk-cpu'
      echo "server CPU: $(awk -v t="$ticks" -v h="$hz" -v r="$requests" 'BEGIN {printf "%.1f us per request (%.2f s for %d requests)", t / h * 1e6 / r, t / h, r}')"
      echo "wrk CPU: $(echo "$result" | awk -v r="$requests" '/^wrk-cpu/ {printf "%.1f us per request (%.2f s)", ($2 + $3) * 1e6 / r, $2 + $3}')"
      echo "machine idle: $(awk -v t="$idle" -v h="$hz" -v d="${duration%s}" -v c="$(nproc)" 'BEGIN {printf "%.2f of %d cores", t / h / d, c}')"
    } | tee -a "$out/wrk.txt"
  done
done
