#!/usr/bin/env bash
# One bench-lock slot: the durable upsert of the after build (base-1 was measured at 10:08), a JFR profile run of
# the after build, then before and after again (alternating).
set -u
cd /work/wal
R=bench/results/raw/wal-20261202
echo "# lock taken: $(date -u +%H:%M:%S) $(uptime)" >> $R/uptime.txt
run() {
  name=$1; dir=$2
  echo "# $name start $(date -u +%H:%M:%S) $(uptime)" >> $R/uptime.txt
  bench/pg/compare.sh --blitdb-dir "$dir" --no-build --rounds 3 --seconds 10 --warmup 5 --workloads put --out $R/$name > $R/$name.log 2>&1
  echo "# $name end $(date -u +%H:%M:%S) $(uptime)" >> $R/uptime.txt
}
run wal-1 /tmp/wal-after
echo "# profile start $(date -u +%H:%M:%S) $(uptime)" >> $R/uptime.txt
BLITDB_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/wal-put.jfr,settings=profile" \
  bench/pg/compare.sh --blitdb-dir /tmp/wal-after --no-build --rounds 1 --seconds 15 --warmup 5 --workloads put --out $R/profile > $R/profile.log 2>&1
echo "# profile end $(date -u +%H:%M:%S) $(uptime)" >> $R/uptime.txt
run base-2 /tmp/wal-base
run wal-2 /tmp/wal-after
echo "# build of fe186a4 start $(date -u +%H:%M:%S)" >> $R/uptime.txt
rm -rf /tmp/wal-after2 && mkdir -p /tmp/wal-after2 && git -C /work/wal archive fe186a4 | tar -x -C /tmp/wal-after2 \
  && (cd /tmp/wal-after2 && ./mvnw -B -o -q -DskipTests -pl server -am package > /tmp/wal-after2-build.log 2>&1) \
  && run wal-3-fe186a4 /tmp/wal-after2
