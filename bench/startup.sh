#!/usr/bin/env bash
# Time from the run command to the first 200 from /auth/me (Maven repository warm, project already built once),
# then WildFly's resident memory. Stops the server afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
base=http://127.0.0.1:${PARLEY_HTTP_PORT:-8080}/api/v1
start=$(date +%s.%N)
./mvnw -q -Prun verify > /tmp/parley-startup.log 2>&1 &
runner=$!
email="startup-$(date +%s%N)@bench.parley.test"
token=""
while :; do
  if [ -z "$token" ]; then
    if curl -fs -o /dev/null -X POST "$base/auth/register" -H 'Content-Type: application/json' \
         -d "{\"email\":\"$email\",\"password\":\"startup password\",\"name\":\"S\",\"role\":\"USER\"}"; then
      token=$(curl -fs -X POST "$base/auth/login" -H 'Content-Type: application/json' \
         -d "{\"email\":\"$email\",\"password\":\"startup password\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
    fi
  fi
  if [ -n "$token" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/auth/me" -H "Authorization: Bearer $token")" = 200 ]; then
    break
  fi
  sleep 0.2
done
end=$(date +%s.%N)
echo "first 200 from /auth/me after $(echo "$end - $start" | bc) s"
pid=$(pgrep -f 'jboss-modules.jar' | head -1)
echo "WildFly RSS after deployment: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"
kill -INT "$runner"; sleep 1; pkill -INT -f ParleyLauncher || true
wait "$runner" 2>/dev/null || true
