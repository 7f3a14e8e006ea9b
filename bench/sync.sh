#!/usr/bin/env bash
# Sync throughput, side by side: CSV folder -> DuckDB through `millrace sync` (SyncMain, what a Job
# runs) vs DuckDB's own CTAS on the same file; CSV -> PostgreSQL; PostgreSQL -> Parquet;
# PostgreSQL -> DuckDB vs the manual two-step path (COPY to a CSV file, then read_csv). Each step
# runs in its own JVM; peak resident memory comes from /proc/<pid>/status (VmHWM).
#
# Usage: bench/sync.sh [rows]   (default 10,000,000 rows, about 0.9 GB of CSV)
# Needs: the Maven wrapper's local repository (runs offline), Linux, ~4 GB of free disk.
set -euo pipefail
rows="${1:-10000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/millrace-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$root"
./mvnw -B -q -o -pl sync test-compile
./mvnw -B -q -o -pl sync dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >/dev/null
classpath="sync/target/test-classes:sync/target/classes:$(cat "$work/classpath.txt")"
java -Xmx512m -cp "$classpath" dev.millrace.sync.SyncThroughputBench "$rows" "$work/run"
