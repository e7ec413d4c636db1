#!/usr/bin/env bash
# GET by id over TLS (keep-alive) vs plain HTTP on the same server: one BlitDB with --tls-cert/--tls-key,
# --require-auth and a --plain-loopback-port, one 1 KB document, wrk against both listeners with the same
# Bearer key, alternating which goes first, ROUNDS rounds; prints the server's CPU time per request with each.
# Run under: flock /work/notes/bench.lock bench/run-security.sh OUT_DIR
# PERF=1: the server runs with -XX:+PreserveFramePointer and the last round of each scheme is sampled with perf
# (999 Hz, frame-pointer call graphs); the script then prints where the server's CPU per request goes (TLS engine,
# Undertow's SslConduit, socket syscalls) so the TLS overhead can be split without guessing. Both schemes carry
# the same flag and the same sampling, so the ratio stays fair; the CPU figures of that round include perf's cost.
# SERVER_CPUS=0 WRK_CPUS=1: pin the server and wrk to separate cores (taskset), so req/s measures the server's
# capacity instead of the two sharing the cores (wrk's own TLS then no longer eats the server's CPU time).
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
perf_jvm=()
[ "${PERF:-0}" = 1 ] && perf_jvm=(-XX:+PreserveFramePointer)
server_pin=() wrk_pin=()
[ -n "${SERVER_CPUS:-}" ] && server_pin=(taskset -c "$SERVER_CPUS")
[ -n "${WRK_CPUS:-}" ] && wrk_pin=(taskset -c "$WRK_CPUS")
BLITDB_BOOTSTRAP_API_KEY=$key "${server_pin[@]}" "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "${perf_jvm[@]}" \
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
  "${wrk_pin[@]}" wrk -t2 -c16 -d"${WARMUP:-10s}" -H "Authorization: Bearer $key" "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1" > /dev/null
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
    sampler=
    if [ "${PERF:-0}" = 1 ] && [ "$round" = "$rounds" ]; then
      perf record -q -F 999 --call-graph=fp -p "$pid" -o "$out/perf-$scheme.data" -- sleep "${duration%s}" \
        > /dev/null 2>&1 &
      sampler=$!
    fi
    result=$(/usr/bin/time -f 'wrk-cpu %U %S' "${wrk_pin[@]}" wrk -t2 -c16 -d"$duration" --latency -H "Authorization: Bearer $key" \
        "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1" 2>&1)
    [ -n "$sampler" ] && wait "$sampler"
    ticks=$(( $(cpu_ticks) - before ))
    idle=$(( $(idle_ticks) - idle_before ))
    requests=$(echo "$result" | awk '/requests in/ {print $1}')
    { echo "== round $round $scheme $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
      echo "$result" | grep -v '^wrk-cpu'
      echo "server CPU: $(awk -v t="$ticks" -v h="$hz" -v r="$requests" 'BEGIN {printf "%.1f us per request (%.2f s for %d requests)", t / h * 1e6 / r, t / h, r}')"
      echo "wrk CPU: $(echo "$result" | awk -v r="$requests" '/^wrk-cpu/ {printf "%.1f us per request (%.2f s)", ($2 + $3) * 1e6 / r, $2 + $3}')"
      echo "machine idle: $(awk -v t="$idle" -v h="$hz" -v d="${duration%s}" -v c="$(nproc)" 'BEGIN {printf "%.2f of %d cores", t / h / d, c}')"
    } | tee -a "$out/wrk.txt"
    [ -n "$sampler" ] && echo "$requests $(echo "$result" | awk '/requests in/ {sub("s,", "", $4); print $4}')" \
      > "$out/perf-$scheme.requests"
  done
done
if [ "${PERF:-0}" = 1 ]; then
  "${java%/java}/jcmd" "$pid" Compiler.perfmap > /dev/null # names the JIT-compiled frames for perf report
  # Inclusive samples of a frame (the largest line matching the pattern: inlining changes which frame shows;
  # "engine" is everything below the SslConduit's wrap/unwrap call, Undertow's ALPN wrapper included)
  # turned into microseconds of server CPU per request: samples / 999 Hz / requests in the sampled seconds.
  for scheme in https http; do
    perf report -i "$out/perf-$scheme.data" --children --sort sym -q -g none 2> /dev/null > "$out/perf-$scheme.txt"
    read -r requests seconds < "$out/perf-$scheme.requests"
    samples=$(perf report -i "$out/perf-$scheme.data" --no-children --sort comm -q -g none -n 2> /dev/null \
      | awk '{n += $2} END {print n + 0}')
    per_request() { # pattern -> us per request
      { grep -E "$1" "$out/perf-$scheme.txt" || true; } | awk -v n="$samples" -v r="$requests" -v s="$seconds" -v d="${duration%s}" \
        'BEGIN {m = 0} {p = $1; sub("%", "", p); if (p + 0 > m) m = p + 0} END {printf "%.2f", m / 100 * n / 999 / (r * d / s) * 1e6}'
    }
    total=$(awk -v n="$samples" -v r="$requests" -v s="$seconds" -v d="${duration%s}" 'BEGIN {printf "%.2f", n / 999 / (r * d / s) * 1e6}')
    wrap=$(per_request 'ALPNLimitingSSLEngine\.wrap\(|SSLEngineImpl\.(wrap|writeRecord)\(|OpenSslEngine\.wrap\(|OneRecordEngine\.wrap\(')
    unwrap=$(per_request 'ALPNLimitingSSLEngine\.unwrap\(|SSLEngineImpl\.(unwrap|readRecord)\(|OpenSslEngine\.unwrap\(')
    conduit=$(awk -v a="$(per_request 'SslConduit\.doWrap|TlsConduit\.write\(')" -v b="$(per_request 'SslConduit\.doUnwrap|TlsConduit\.read\(')" \
      'BEGIN {printf "%.2f", a + b}')
    write=$(per_request 'SocketDispatcher\.writev?0')
    read=$(per_request 'SocketDispatcher\.read0')
    own=$(awk -v c="$conduit" -v w="$wrap" -v u="$unwrap" -v x="$write" -v y="$read" \
      'BEGIN {v = c - w - u - x - y; printf "%.2f", (v < 0 || c == 0) ? 0 : v}')
    echo "perf $scheme: server ${total} us/request sampled; TLS engine wrap ${wrap} + unwrap ${unwrap}; SslConduit own ${own}" \
      "(doWrap + doUnwrap ${conduit} less engine and socket calls); socket write ${write}, read ${read}" | tee -a "$out/wrk.txt"
    [ "${KEEP_PERF:-0}" = 1 ] || rm -f "$out/perf-$scheme.data" # megabytes of samples; the report above and perf-$scheme.txt keep what matters
  done
fi
