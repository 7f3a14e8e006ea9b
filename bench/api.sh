#!/usr/bin/env bash
# API load benchmark: GET /api/sources with 1,000 Sources and GET /api/public/v1/connections,
# served by `millrace local` on loopback, measured with wrk (Debian package `wrk`).
#
#   bench/api.sh [--duration 30s] [--connections 32] [--threads 2] [--sources 1000]
#
# Prints wrk's latency distribution per endpoint and a summary line per endpoint:
#   endpoint  requests/s  p50  p99  non-2xx
# Everything runs in a fresh temporary data directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=30s connections=32 threads=2 sources=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --sources) sources=$2; shift 2 ;;
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

echo "== applying 1 Destination, $sources Sources and $sources Connections"
manifest="$work/resources.yaml"
{
  printf 'apiVersion: millrace.dev/v1alpha1\nkind: Destination\nmetadata: {name: warehouse}\nspec: {type: duckdb, path: warehouse.duckdb}\n'
  for i in $(seq -w 1 "$sources"); do
    printf -- '---\napiVersion: millrace.dev/v1alpha1\nkind: Source\nmetadata: {name: source-%s}\nspec:\n  displayName: Source %s\n  type: csv\n  files: {directory: source-%s, glob: "*.csv", header: true}\n' "$i" "$i" "$i"
    printf -- '---\napiVersion: millrace.dev/v1alpha1\nkind: Connection\nmetadata: {name: source-%s-to-warehouse}\nspec:\n  sourceRef: {name: source-%s}\n  destinationRef: {name: warehouse}\n  streams: [{name: data, syncMode: full_refresh_overwrite}]\n  schedule: {scheduleType: manual}\n' "$i" "$i"
  done
} >"$manifest"
java -jar "$jar" apply --local --data-dir "$work/data" -f "$manifest" >"$work/apply.log"

count_sources() { curl -fs "$base/api/sources" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
for _ in $(seq 1 120); do
  [ "$(count_sources)" = "$sources" ] && break
  sleep 1
done
echo "   GET /api/sources lists $(count_sources) sources"

summary=()
run() {
  local path=$1
  echo
  echo "== wrk -t$threads -c$connections -d$duration --latency $base$path"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base$path" >"$work/wrk.out" 2>&1
  cat "$work/wrk.out"
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
  errors=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")
  summary+=("$(printf '%-45s %10s %9s %9s %8s' "GET $path" "$rps" "$p50" "$p99" "${errors:-0}")")
}

# Warm up the JIT on both endpoints before measuring.
wrk -t1 -c4 -d10s "$base/api/sources" >/dev/null 2>&1
wrk -t1 -c4 -d10s "$base/api/public/v1/connections" >/dev/null 2>&1
run /api/sources
run /api/public/v1/connections

echo
echo "== summary ($(nproc) cores, $(java -version 2>&1 | head -1), wrk $threads threads, $connections connections, $duration)"
printf '%-45s %10s %9s %9s %8s\n' endpoint "req/s" p50 p99 non-2xx
printf '%s\n' "${summary[@]}"
