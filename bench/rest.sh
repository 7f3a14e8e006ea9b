#!/usr/bin/env bash
# REST source throughput: a Stripe-like charges list served on loopback (100 records a page,
# has_more + starting_after, bearer key), synced by `millrace sync` into a fresh DuckDB file.
#
#   bench/rest.sh [--records 1000000] [--page-size 100] [--runs 3]
#
# Prints, per run, records, pages, seconds and records/s as the sync's own result reports them
# (the JVM's start is not counted; the HTTP requests, JSON parsing, Appender and commit are).
# Target: >= 100,000 records/s. Everything lives in a temporary directory removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

records=1000000 page_size=100 runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --page-size) page_size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# MILLRACE_SYNC_CLASSPATH when set, else the packaged jar when there is one, else the sync module's
# classes and dependencies.
jar=cli/target/millrace.jar
if [ -n "${MILLRACE_SYNC_CLASSPATH:-}" ]; then
  sync_cmd=(java -Xmx1g -cp "$MILLRACE_SYNC_CLASSPATH" dev.millrace.sync.SyncMain)
elif [ -f "$jar" ]; then
  sync_cmd=(java -Xmx1g -jar "$jar" sync)
else
  [ -d sync/target/classes ] || ./mvnw -B -q -o -pl sync compile
  ./mvnw -B -q -o -pl sync dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
  sync_cmd=(java -Xmx1g -cp "sync/target/classes:$(cat "$work/cp.txt")" dev.millrace.sync.SyncMain)
fi

key=sk_test_bench_$(date +%s)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Xmx1g -Dsun.net.httpserver.nodelay=true bench/RestBenchServer.java "$port" "$records" "$page_size" "$key" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  grep -q ready "$work/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
echo "== $(cat "$work/server.log"): $records charges at http://127.0.0.1:$port/v1/charges, $page_size a page"

for run in $(seq 1 "$runs"); do
  rm -rf "$work/warehouse"
  plan=$(cat <<JSON
{"jobId": $run, "namespace": "bench", "connection": "stripe-bench",
 "source": {"name": "stripe", "type": "stripe",
            "rest": {"baseUrl": "http://127.0.0.1:$port/v1",
                     "auth": {"type": "bearer", "secretEnv": "MILLRACE_SOURCE_SECRET"}}},
 "destination": {"name": "warehouse", "type": "duckdb", "duckdb": {"path": "warehouse.duckdb"}, "schema": "raw_stripe"},
 "streams": [{"name": "charges", "syncMode": "full_refresh_overwrite", "cursorField": "created", "primaryKey": ["id"]}],
 "fullRefresh": false, "allowEmptyReplace": false}
JSON
)
  MILLRACE_SOURCE_SECRET=$key MILLRACE_WAREHOUSE_ROOT=$work/warehouse MILLRACE_DATA_ROOT=$work \
    MILLRACE_TERMINATION_LOG=$work/termination-log \
    "${sync_cmd[@]}" --plan "$plan" >"$work/sync.log" 2>&1 || { cat "$work/sync.log"; exit 1; }
  python3 - "$work/sync.log" "$records" "$page_size" "$run" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
result = json.loads(lines[-1])
stream = result["streams"][0]
rows, seconds = stream["rowsRead"], result["durationSeconds"]
pages = -(-int(sys.argv[2]) // int(sys.argv[3]))
assert rows == int(sys.argv[2]), f"read {rows} records, expected {sys.argv[2]}"
print(f"run {sys.argv[4]}: {rows} records, {pages} pages, {seconds:.2f} s, {rows / seconds:,.0f} records/s")
PY
done
