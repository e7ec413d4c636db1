#!/usr/bin/env bash
# Starts BlitDB in the container. Secure when certificate files are mounted: /certs/server.crt and
# /certs/server.key (PEM) or /certs/server.p12 (PKCS#12, password in BLITDB_TLS_KEYSTORE_PASSWORD) turn on TLS,
# and with it authentication (give the first key with BLITDB_BOOTSTRAP_API_KEY or
# BLITDB_BOOTSTRAP_API_KEY_FILE, e.g. a Docker secret). Without certificates the server runs unsecured on
# 0.0.0.0 (a container must listen beyond its own loopback for a published port to work), which the server
# logs as a SECURITY warning: publish the port on the host's 127.0.0.1 only (compose.yaml does).
set -euo pipefail
certs=${BLITDB_CERTS_DIR:-/certs}
jar=${BLITDB_JAR:-/opt/blitdb/blitdb-server.jar}
args=()
if [ -z "${BLITDB_TLS_CERT:-}${BLITDB_TLS_KEYSTORE:-}" ]; then
  if [ -f "$certs/server.crt" ] && [ -f "$certs/server.key" ]; then
    export BLITDB_TLS_CERT="$certs/server.crt" BLITDB_TLS_KEY="$certs/server.key"
  elif [ -f "$certs/server.p12" ]; then
    export BLITDB_TLS_KEYSTORE="$certs/server.p12"
  fi
fi
if [ -n "${BLITDB_BOOTSTRAP_API_KEY_FILE:-}" ]; then
  args+=(--bootstrap-api-key-file "$BLITDB_BOOTSTRAP_API_KEY_FILE")
fi
if [ -z "${BLITDB_TLS_CERT:-}${BLITDB_TLS_KEYSTORE:-}" ]; then
  export BLITDB_ALLOW_UNSECURED_PUBLIC=${BLITDB_ALLOW_UNSECURED_PUBLIC:-true}
fi
exec java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${BLITDB_JAVA_OPTS:-} \
  -jar "$jar" "${args[@]}" "$@"
