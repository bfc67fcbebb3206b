#!/usr/bin/env bash
# Parley's /ws/live next to the Node peer (Socket.IO 4) and the raw ws relay under the same chat load, in one run,
# with the load client of ../shared/bench/chat-load. Needs Node 20 and a Parley started by the run command
# (./mvnw -Prun verify) on an otherwise idle machine. Usage:
#   bench/chat-vs-socketio.sh [pairs=500] [rate per client=10] [seconds=20] [rounds=2]
# Prepares the pairs' live sessions once (kept in .parley/bench-chat: users, approved online experts, funded wallets),
# raises disconnectTimeoutSeconds and maxSessionMinutes to their maxima (an hour, a day) so they outlive the runs (restored at the end), warms Parley
# up for 30 s (not counted: a server just started is still compiling), then runs Parley, Socket.IO and the raw relay in turn, `rounds` times, printing the load
# client's line for each plus the CPU of WildFly, PostgreSQL, the client and the Node relay over the middle 10 s.
# The same against two clustered nodes behind HAProxy (./mvnw -Prun verify -Dparley.nodes=2, HAProxy on 8080): PEERS=0
# runs Parley's rounds only; the WildFly CPU is then both nodes', and HAProxy's is printed too (docs/cluster.md).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-500}; rate=${2:-10}; seconds=${3:-20}; rounds=${4:-2}; peers=${PEERS:-1}
home=$PWD/.parley; work=$home/bench-chat; mkdir -p "$work"
src=${CHAT_LOAD:-../shared/bench/chat-load}
if [ ! -d "$work/client/node_modules" ]; then
  rm -rf "$work/client"; cp -r "$src" "$work/client"; (cd "$work/client" && npm ci --silent)
fi
cd "$work/client"
base=http://127.0.0.1:${PARLEY_HTTP_PORT:-8080}/api/v1
email=${PARLEY_ADMIN_EMAIL:-admin@parley.local}; password=${PARLEY_ADMIN_PASSWORD:-$(cat "$home/data/admin-password")}
admin=$(curl -fs -X POST "$base/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
config() { curl -fs -X PATCH "$base/admin/config" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d "$1" > /dev/null; }
before=$(curl -fs "$base/admin/config" -H "Authorization: Bearer $admin")
restore() { config "{\"disconnectTimeoutSeconds\": $(echo "$before" | sed 's/.*"disconnectTimeoutSeconds":\([0-9]*\).*/\1/'), \"maxSessionMinutes\": $(echo "$before" | sed 's/.*"maxSessionMinutes":\([0-9]*\).*/\1/')}"; }
config '{"disconnectTimeoutSeconds": 3600, "maxSessionMinutes": 1440}'
trap restore EXIT
live=0
if [ -f "$work/chats-$pairs.txt" ]; then
  live=$(curl -fs "$base/sessions/$(head -1 "$work/chats-$pairs.txt")" -H "Authorization: Bearer $admin" | grep -c '"status":"ACTIVE"' || true)
fi
if [ "$live" = 0 ]; then
  echo "preparing $pairs live chat sessions..."
  node parley-setup.js --pairs "$pairs" --dir "$work" --base "${base%/api/v1}" --admin-email "$email" --admin-password "$password"
  mv "$work/tokens.txt" "$work/tokens-$pairs.txt"; mv "$work/chats.txt" "$work/chats-$pairs.txt"
fi
sum() { for p in "$@"; do awk '{print $14+$15}' /proc/$p/stat 2>/dev/null; done | paste -sd+ | sed 's/^$/0/' | bc; }
snap() { echo "$(sum $(pgrep -f 'D\[Standalone\]')) $(sum $(pgrep -x postgres)) $(sum $(pgrep -f loadclient.js)) $(sum $(pgrep -f 'server-socketio|server-ws')) $(sum $(pgrep -x haproxy))"; }
cpu() {
  sleep $(( seconds / 2 - 4 )); read -r w0 p0 n0 s0 h0 < <(snap); sleep 10; read -r w1 p1 n1 s1 h1 < <(snap)
  echo "    cpu % over 10 s mid-run: WildFly ($(pgrep -fc 'D\[Standalone\]') node(s)) $(( (w1 - w0) / 10 )), PostgreSQL $(( (p1 - p0) / 10 )), client $(( (n1 - n0) / 10 )), Node relay $(( (s1 - s0) / 10 )), HAProxy $(( (h1 - h0) / 10 ))"
}
wf=$(pgrep -f 'D\[Standalone\]' | head -1)
parley() {
  node loadclient.js --mode ws --protocol parley --url "ws://127.0.0.1:${PARLEY_HTTP_PORT:-8080}/ws/live?access_token={token}" \
    --tokens-file "$work/tokens-$pairs.txt" --chats-file "$work/chats-$pairs.txt" --pairs "$pairs" --rate "$rate" \
    --duration "$1" --server-pid "$wf" --label "$2" | tail -1
}
peer() { # mode, script, port, url, label
  PORT=$3 node "$2" > /dev/null 2>&1 & local relay=$!; sleep 1
  kill -0 "$relay" 2>/dev/null || { echo "the $5 relay did not start (port $3 taken?)"; return 1; }
  node loadclient.js --mode "$1" --url "$4" --pairs "$pairs" --rate "$rate" --duration "$seconds" --server-pid "$relay" --label "$5" | tail -1
  kill "$relay"; wait "$relay" 2>/dev/null || true
}
echo "warm-up (not counted):"; parley 30 warm-up > /dev/null || true
for round in $(seq 1 "$rounds"); do
  echo "round $round: $pairs pairs × $rate lines/s per client × $seconds s"
  cpu & parley "$seconds" parley || true; wait
  [ "$peers" = 1 ] || continue
  cpu & peer socketio server-socketio.js 3101 http://127.0.0.1:3101 socketio; wait
  cpu & peer ws server-ws.js 3102 'ws://127.0.0.1:3102/chat?token={token}&chatId={chatId}' raw-ws; wait
done
