#!/usr/bin/env bash
# The file benchmark against S3: starts s3proxy (filesystem backend under .parley/bench-s3) on 127.0.0.1:9100, starts
# Parley with the run command pointed at it (PARLEY_S3_*), runs bench/UploadBench.java, then stops both.
#   bench/files-s3.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(ls ear/target/s3proxy/s3proxy.jar 2>/dev/null || ls ~/.m2/repository/org/gaul/s3proxy/*/s3proxy-*-jar-with-dependencies.jar | tail -1)
DIR=.parley/bench-s3
rm -rf "$DIR" && mkdir -p "$DIR/data"
cat > "$DIR/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:9100
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$PWD/$DIR/data
CONF
java -Xmx512m -jar "$JAR" --properties "$DIR/s3proxy.conf" > "$DIR/s3proxy.log" 2>&1 &
S3=$!
export PARLEY_S3_ENDPOINT=http://127.0.0.1:9100 PARLEY_S3_BUCKET=parley-bench PARLEY_S3_ACCESS_KEY=bench PARLEY_S3_SECRET_KEY=bench-secret
./mvnw -B -q -ntp -Prun verify > "$DIR/run.log" 2>&1 &
RUN=$!
trap 'pkill -TERM -f ParleyLauncher || true; kill $S3 2>/dev/null || true; wait $RUN 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null http://127.0.0.1:8080/api/v1/experts && break
  sleep 2
done
sleep 20 # let the freshly started server settle
PID=$(pgrep -f 'jboss-modules.*parley.xml' | head -1 || true)
java bench/UploadBench.java http://127.0.0.1:8080 "$PID" .parley/data
