#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the stream decoder, stream negotiation and a bound
# session's stanzas: runs each fuzz target for a bounded time. See docs/fuzzing.md.
#
#   .ci/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60. Targets default to all three:
#   StreamDecoderFuzzTest#decoder  C2sStreamFuzzTest#negotiation  C2sStreamFuzzTest#boundSession
# Needs the classes built first (mvn -B -o test-compile -pl server/core -am, or a verify).
# The corpus grows under server/core/target/fuzz-corpus/<target>/ (kept between runs); a
# finding is written to server/core/target/fuzz-findings/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(StreamDecoderFuzzTest#decoder C2sStreamFuzzTest#negotiation C2sStreamFuzzTest#boundSession)
fi
core=server/core
out="$PWD/$core/target"
mvn -B -q -o dependency:build-classpath -pl "$core" -Dmdep.includeScope=test -Dmdep.outputFile="$out/fuzz.classpath" \
  || mvn -B -q -ntp dependency:build-classpath -pl "$core" -Dmdep.includeScope=test -Dmdep.outputFile="$out/fuzz.classpath"
classpath="$out/test-classes:$out/classes:$(cat "$out/fuzz.classpath")"
mkdir -p "$out/fuzz-findings"
status=0
for target in "${targets[@]}"; do
  class="im.tongyou.server.net.fuzz.${target%#*}"
  method="${target#*#}"
  corpus="$out/fuzz-corpus/${target/\#/-}"
  seeds="$core/src/test/resources/im/tongyou/server/net/fuzz/${target%#*}Inputs/$method"
  mkdir -p "$corpus"
  echo "== fuzzing $target for ${seconds}s"
  # The seed directory is read but not written (listed after the corpus directory).
  java -XX:+UseSerialGC -Xms512m -Xss1m -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    --instrumentation_includes='im.tongyou.**:com.fasterxml.aalto.**:org.dom4j.**:org.xmpp.**' \
    --custom_hook_excludes='**' \
    -max_total_time="$seconds" -timeout=120 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/fuzz-findings/${target/\#/-}-" \
    "$corpus" "$seeds" 2>&1 | grep -vE '^INFO: (Instrumented|Loaded)' || status=1
done
exit $status
