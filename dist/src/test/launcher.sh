#!/usr/bin/env bash
# Checks bin/tongyou's JVM command line without starting a server: a stand-in java prints the
# arguments it is given. Run by .ci/run; needs only a POSIX shell.
#   dist/src/test/launcher.sh
set -euo pipefail
launcher="$(cd "$(dirname "$0")/../bin" && pwd)/tongyou"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/jdk/bin" "$work/home/bin" "$work/home/lib" "$work/home/plugins" "$work/home/conf"
cp "$launcher" "$work/home/bin/tongyou"
# The stand-in's interpreter is this machine's sh, wherever it lives.
printf '#!%s\nprintf "%%s\\n" "$@"\n' "$(command -v sh)" > "$work/jdk/bin/java"
chmod +x "$work/jdk/bin/java" "$work/home/bin/tongyou"
failures=0

# java_args TONGYOU_OPTS COMMAND: the arguments bin/tongyou gives java, one per line.
java_args() {
  JAVA_HOME="$work/jdk" TONGYOU_OPTS="$1" TONGYOU_CDS=off TONGYOU_PID_FILE="$work/run/tongyou.pid" \
    "$work/home/bin/tongyou" "$2"
}
# expect NAME yes|no OPTION TONGYOU_OPTS COMMAND: whether OPTION is one of java's arguments.
expect() {
  local found=no
  java_args "$4" "$5" | grep -qx -- "$3" && found=yes
  if [ "$found" = "$2" ]; then
    echo "ok: $1"
  else
    echo "FAILED: $1 (expected $3 present: $2, got: $(java_args "$4" "$5" | tr '\n' ' '))"
    failures=$((failures + 1))
  fi
}

expect "run starts with a 64 MB heap" yes -Xms64m "" run
expect "other JVM options keep the default heap" yes -Xms64m "-XX:+UseSerialGC" run
expect "-Xms of TONGYOU_OPTS replaces it" no -Xms64m "-Xms512m" run
expect "-Xmx of TONGYOU_OPTS replaces it (no -Xms above a smaller -Xmx)" no -Xms64m "-XX:+UseSerialGC -Xmx32m" run
expect "-XX:MaxRAMPercentage replaces it" no -Xms64m "-XX:MaxRAMPercentage=50" run
expect "-XX:InitialHeapSize replaces it" no -Xms64m "-XX:InitialHeapSize=128m" run
expect "TONGYOU_OPTS are passed" yes -XX:+UseSerialGC "-XX:+UseSerialGC" run
expect "other commands (user, db, ...) keep the JVM's defaults" no -Xms64m "" version
[ "$failures" = 0 ] || { echo "$failures launcher check(s) failed"; exit 1; }
echo "launcher checks passed"
