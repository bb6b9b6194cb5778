#!/usr/bin/env bash
# The archive benchmark (bench/README.md): builds the server and the benchmark, then runs
# im.tongyou.bench.ArchiveBench, which prints Markdown for docs/benchmarks.md on standard output
# (the server's log goes to bench/target/bench.log). Arguments are passed on, for example:
#   bench/run.sh --messages=1000000 --pairs=10 --per-pair=500 --rounds=2
#   bench/run.sh --postgres      # the archive query on PostgreSQL (TONGYOU_TEST_POSTGRES_* set)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp ${MVN_OFFLINE:+-o} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="$(ls bench/target/tongyou-bench-*.jar):$(cat bench/target/classpath.txt)"
exec java -Xmx2g -cp "$classpath" im.tongyou.bench.ArchiveBench "$@" 2> bench/target/bench.log
