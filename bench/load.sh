#!/usr/bin/env bash
# The load generator (bench/README.md): builds the bench module if needed, then runs
# im.tongyou.bench.load.LoadCommand with the arguments, for example
#   bench/load.sh register --port 5322 --domain localhost --users 10000
#   bench/load.sh idle --port 5322 --sessions 10000 --server-pid 1234
#   bench/load.sh throughput --port 5322 --pairs 50 --window 10 --duration 30
# One JSON line of figures goes to standard output, progress to standard error.
# LOAD_CLASSPATH replaces the generator's classpath; LOAD_JAVA_OPTS sets the generator's JVM options (default -Xmx1g); LOAD_NO_BUILD=1 skips the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${LOAD_NO_BUILD:-0}" != 1 ] || [ ! -f bench/target/classpath.txt ]; then
  mvn -B -q -o -ntp -DskipTests -pl bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
# LOAD_CLASSPATH: another build of the generator (a copy of its jar and classpath), to compare two.
classpath=${LOAD_CLASSPATH:-"$(ls bench/target/tongyou-bench-*.jar):$(cat bench/target/classpath.txt)"}
# shellcheck disable=SC2086
exec java ${LOAD_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC} -cp "$classpath" im.tongyou.bench.load.LoadCommand "$@"
