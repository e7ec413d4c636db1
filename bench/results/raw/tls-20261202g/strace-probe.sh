#!/usr/bin/env bash
# start a server like run-security.sh (server pinned to core 0, wrk to core 1), then strace -c -f the server
# while wrk -t1 -c4 runs 5 s against each listener; per-request syscall counts = calls / requests
set -euo pipefail
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$SERVER_JAR" $work/server.jar; jar=$work/server.jar
key="bench.$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
"$java" -jar "$jar" setup --out "$work/certs" --hostname 127.0.0.1 --data-dir "$work/data" > /dev/null
rm -rf "$work/data/.system"
BLITDB_BOOTSTRAP_API_KEY=$key taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -jar "$jar" --port 18443 --plain-loopback-port 18080 --data-dir "$work/data" --require-auth \
  --tls-cert "$work/certs/server.crt" --tls-key "$work/certs/server.key" ${SERVER_ARGS:-} > $OUT/server.log 2>&1 &
pid=$!
for _ in $(seq 1 60); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/health/ready)" = 200 ] && break; sleep 1; done
doc=$(python3 -c 'import json; print(json.dumps({"Name":"x"*900,"Age":42,"@metadata":{"@collection":"Docs"}}))')
curl -s -o /dev/null -X PUT -H "Authorization: Bearer $key" "http://127.0.0.1:18080/databases/default/docs?id=docs/1" -d "$doc"
for scheme in https http; do
  port=$([ $scheme = https ] && echo 18443 || echo 18080)
  taskset -c 1 wrk -t2 -c16 -d${WARMUP:-15s} -H "Authorization: Bearer $key" "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1" > /dev/null
done
for scheme in https http; do
  port=$([ $scheme = https ] && echo 18443 || echo 18080)
  strace -c -f -p $pid -o $OUT/strace-$scheme.txt &
  st=$!
  sleep 1
  taskset -c 1 wrk -t1 -c4 -d5s -H "Authorization: Bearer $key" "$scheme://127.0.0.1:$port/databases/default/docs?id=docs/1" > $OUT/wrk-$scheme.txt
  sleep 0.5
  kill -INT $st; wait $st || true
  echo "$scheme: $(awk '/requests in/ {print $1}' $OUT/wrk-$scheme.txt) requests"
  head -25 $OUT/strace-$scheme.txt
done
