#!/usr/bin/env bash
# Monitoring (Watcher) API load benchmark, served by `millrace local` on loopback and measured with
# wrk (Debian package `wrk`):
#   1. GET /pipeline with N Pipelines (default 10,000) in one body;
#   2. start+end execution pairs per second: a wrk Lua script sends POST /start_pipeline_execution
#      to a random pipeline, then POST /end_pipeline_execution for each id it got back.
#
#   bench/watcher.sh [--duration 30s] [--connections 32] [--threads 2] [--pipelines 10000]
#
# Prints wrk's latency distribution per run and a summary: requests/s, p50, p99, non-2xx, and for
# the execution run the pairs per second (half its requests; every non-2xx is counted, so a run
# with none recorded every pair it sent). Runs in a fresh temporary data directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=30s connections=32 threads=2 pipelines=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --pipelines) pipelines=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q wrk >/dev/null
  else
    echo "wrk is not installed: sudo apt-get install wrk" >&2; exit 1
  fi
fi
jar=cli/target/millrace.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== starting millrace local on 127.0.0.1:$port (data dir $work/data)"
java -Xmx2g -jar "$jar" local --data-dir "$work/data" --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fs "$base/api/status" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done

echo "== applying 1 PipelineType and $pipelines Pipelines"
manifest="$work/pipelines.yaml"
{
  printf 'apiVersion: millrace.dev/v1alpha1\nkind: PipelineType\nmetadata: {name: extraction}\nspec: {displayName: extraction}\n'
  for i in $(seq -w 1 "$pipelines"); do
    printf -- '---\napiVersion: millrace.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: pipeline-%s}\nspec:\n  displayName: pipeline %s\n  pipelineTypeRef: {name: extraction}\n  freshness: {number: 24, datepart: hour}\n' "$i" "$i"
  done
} >"$manifest"
java -jar "$jar" apply --local --data-dir "$work/data" -f "$manifest" >"$work/apply.log"

ids="$work/ids.txt"
for _ in $(seq 1 300); do
  curl -fs "$base/pipeline" | python3 -c 'import json,sys; print("\n".join(str(p["id"]) for p in json.load(sys.stdin)))' >"$ids" || true
  [ "$(wc -l <"$ids")" -ge "$pipelines" ] && break
  sleep 1
done
echo "   GET /pipeline lists $(wc -l <"$ids") pipelines"

# The execution script: a start to a random pipeline, then an end for every id a start returned.
script="$work/executions.lua"
{
  printf 'local ids = {%s}\n' "$(paste -sd, "$ids")"
  cat <<'LUA'
local started = {}
local json = {["Content-Type"] = "application/json"}
math.randomseed(os.time())
request = function()
  local id = table.remove(started)
  if id then
    return wrk.format("POST", "/end_pipeline_execution", json,
      '{"id": ' .. id .. ', "end_date": "2024-01-01T00:05:00Z", "completed_successfully": true,'
      .. ' "total_rows": 1000, "inserts": 800, "updates": 200}')
  end
  return wrk.format("POST", "/start_pipeline_execution", json,
    '{"pipeline_id": ' .. ids[math.random(#ids)] .. ', "start_date": "2024-01-01T00:00:00Z"}')
end
response = function(status, headers, body)
  if status == 201 then
    local id = body:match('"id":%s*(%d+)')
    if id then table.insert(started, id) end
  end
end
LUA
} >"$script"

summary=()
record() {
  local what=$1 extra=${2:-}
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
  errors=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")
  summary+=("$(printf '%-45s %10s %9s %9s %8s %s' "$what" "$rps" "$p50" "$p99" "${errors:-0}" "$extra")")
}

# Warm up the JIT before measuring.
wrk -t1 -c4 -d10s "$base/pipeline" >/dev/null 2>&1
wrk -t1 -c4 -d10s -s "$script" "$base" >/dev/null 2>&1

echo
echo "== wrk -t$threads -c$connections -d$duration --latency $base/pipeline"
wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base/pipeline" >"$work/wrk.out" 2>&1
cat "$work/wrk.out"
record "GET /pipeline ($(wc -l <"$ids") pipelines)"

echo
echo "== wrk -t$threads -c$connections -d$duration --latency -s executions.lua $base"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$base" >"$work/wrk.out" 2>&1
cat "$work/wrk.out"
requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
seconds=$(awk '/requests in/ {sub(/s,/, "", $4); print $4}' "$work/wrk.out")
pairs=$(python3 -c "print(round($requests / 2 / $seconds))")
record "POST start + end execution (requests)" "→ ~$pairs pairs/s"

echo
echo "== summary ($(nproc) cores, $(java -version 2>&1 | head -1), wrk $threads threads, $connections connections, $duration)"
printf '%-45s %10s %9s %9s %8s\n' endpoint "req/s" p50 p99 non-2xx
printf '%s\n' "${summary[@]}"
