#!/usr/bin/env bash
# The live-rooms GET load test on two instances (issue 18): one PostgreSQL and one Redis started here on free loopback
# ports in a temporary folder, two instances of the sample (LiveRooms:Store=PostgreSql, LiveRooms:Backplane=Redis, each
# with its own nginx), one room created on instance 1 and made live through instance 2's on_publish hook (so it crosses
# the backplane before anything is measured); then wrk -t2 -c64 on each instance (alternating, twice) and on both at
# once (-c32 each). Writes WORK/wrk-scale-{1,2}-{1,2}.txt and WORK/wrk-scale-both{1,2}.txt for bench/rooms.py; when
# postgresql or redis-server is missing it writes WORK/scale-skipped.txt (the reason) and exits 0.
# Usage: scripts/bench-rooms-scale.sh WORK   (called by scripts/bench.sh after the one-instance run; the sample is built)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$1"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || ! command -v redis-server >/dev/null 2>&1; then
  echo "postgresql or redis-server is not installed (scripts/prereqs.sh installs them)" > "$work/scale-skipped.txt"
  echo "bench: two-instance run skipped: $(cat "$work/scale-skipped.txt")"
  exit 0
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
dir=$(mktemp -d)
chmod 777 "$dir"
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)  # PostgreSQL refuses to run as root
pg_port=$(free_port); redis_port=$(free_port)
app_pids=() redis_pid="" pg_started=false
cleanup() {
  for pid in "${app_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${app_pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for n in 1 2; do
    if [ -f "$dir/app$n/nginx/nginx.pid" ]; then
      nginx_pid=$(cat "$dir/app$n/nginx/nginx.pid" 2>/dev/null || true)
      [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null && kill -QUIT "$nginx_pid" 2>/dev/null || true
    fi
  done
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  [ "$pg_started" = true ] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pg" -A trust -U postgres -E UTF8 --locale=C >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300" start >/dev/null
pg_started=true
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" > "$dir/redis.log" 2>&1 &
redis_pid=$!

key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
bases=()
for n in 1 2; do
  http=$(free_port)
  mkdir -p "$dir/app$n"
  # The signing key goes in the environment, not on the command line (ps shows arguments).
  LiveCloud__Nginx__SigningKey="$key" dotnet samples/LiveCloud.LiveRooms/bin/Release/net10.0/LiveCloud.LiveRooms.dll \
    --urls "http://127.0.0.1:$http" --contentRoot "$PWD/samples/LiveCloud.LiveRooms" \
    --LiveCloud:Provider=Nginx --LiveCloud:Nginx:RtmpPort="$(free_port)" --LiveCloud:Nginx:HttpPort="$(free_port)" \
    --LiveRooms:DataDirectory="$dir/app$n" --LiveRooms:RecordShows=false --LiveRooms:ReconcileInterval=00:00:00 \
    --LiveRooms:Store=PostgreSql --ConnectionStrings:Rooms="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres" \
    --LiveRooms:Backplane=Redis --ConnectionStrings:Redis="127.0.0.1:$redis_port" \
    --Logging:LogLevel:Default=Warning > "$work/rooms-scale-app$n.log" 2>&1 &
  app_pids+=($!)
  bases+=("http://127.0.0.1:$http")
done
for n in 0 1; do
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "${bases[$n]}/api/rooms" 2>/dev/null && break
    kill -0 "${app_pids[$n]}" 2>/dev/null || { echo "bench: instance $((n + 1)) exited:" >&2; cat "$work/rooms-scale-app$((n + 1)).log" >&2; exit 1; }
    sleep 0.2
  done
  curl -fsS -o /dev/null "${bases[$n]}/api/rooms" || { echo "bench: instance $((n + 1)) did not answer within 60 s" >&2; exit 1; }
done

# A room created on instance 1, made live through instance 2's on_publish hook (signed with the push URL's e and sig).
curl -fsS -H 'Content-Type: application/json' -d '{"title":"Load test, two instances"}' "${bases[0]}/api/rooms" > "$work/scale-room.json"
room=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$work/scale-room.json")
form=$(B_KEY="$key" python3 -c '
import base64, hashlib, hmac, json, os, sys, urllib.parse
created = json.load(open(sys.argv[1]))
q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(created["push"]["url"]).query))
token = base64.urlsafe_b64encode(hmac.new(os.environ["B_KEY"].encode(), b"livecloud-nginx-hook", hashlib.sha256).digest()).rstrip(b"=").decode()
fields = {"call": "publish", "app": "live", "name": created["streamName"], "clientid": "1", "addr": "127.0.0.1", "e": q["e"], "sig": q["sig"]}
print(urllib.parse.quote(token, safe="") + " " + urllib.parse.urlencode(fields))' "$work/scale-room.json")
curl -fsS -o /dev/null "${bases[0]}/api/rooms/$room"  # instance 1 caches the room while it is idle
curl -fsS -o /dev/null -d "${form#* }" "${bases[1]}/api/callbacks/nginx?lc_hook=${form%% *}"
state=""
for _ in $(seq 1 50); do
  state=$(curl -fsS "${bases[0]}/api/rooms/$room" | python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])')
  [ "$state" = "live" ] && break
  sleep 0.1
done
[ "$state" = "live" ] || { echo "bench: instance 1 serves room $room as '$state' after instance 2 took its on_publish" >&2; exit 1; }

url1="${bases[0]}/api/rooms/$room?client=web" url2="${bases[1]}/api/rooms/$room?client=web"
echo "bench: two instances on PostgreSQL + Redis: ${bases[*]}, room $room"
wrk -t2 -c64 -d3s "$url1" > /dev/null
wrk -t2 -c64 -d3s "$url2" > /dev/null
for i in 1 2; do
  wrk -t2 -c64 -d10s --timeout 5s --latency "$url1" > "$work/wrk-scale-1-$i.txt"
  wrk -t2 -c64 -d10s --timeout 5s --latency "$url2" > "$work/wrk-scale-2-$i.txt"
done
for i in 1 2; do
  wrk -t1 -c32 -d10s --timeout 5s --latency "$url1" > "$work/wrk-scale-both$i-a.txt" &
  wrk -t1 -c32 -d10s --timeout 5s --latency "$url2" > "$work/wrk-scale-both$i-b.txt"
  wait $!
done
