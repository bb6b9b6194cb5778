#!/usr/bin/env bash
# STARTTLS under load, two builds side by side: both servers up at once (dists A and B, the shipped
# conf/tongyou.yml, own ports, a copy of the same users), then the `idle` scenario over STARTTLS
# (SCRAM after TLS) alternately against each, ROUNDS times: sessions up, failures and their reasons
# (a server-side handshake timeout closes the connection), connects/s, server CPU per connect.
#
#   A=/tmp/dist-before B=dist/target/tongyou-0.1.0-SNAPSHOT SESSIONS=300 CONCURRENCY=100 bench/tls-ab.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bench/lib.sh
A=${A:?}; B=${B:?}; ROUNDS=${ROUNDS:-2}; SESSIONS=${SESSIONS:-300}; CONCURRENCY=${CONCURRENCY:-100}
WORK=${WORK:?a directory holding data-A (users registered, as bench/login-ab.sh leaves it)}
export LOAD_NO_BUILD=1
declare -A PIDS
start() { # name home tls-port plain-port
  shipped_config "$WORK/$1.yml" "$WORK/data-$1" "$3" "$4"
  start_tongyou_dist "$2" "$WORK/$1.yml" "$WORK" "$1" "$4" "-XX:+UseSerialGC -Xmx1g" || return 1
  PIDS[$1]=$STARTED_PID
}
stop() { local n; for n in "${!PIDS[@]}"; do kill "${PIDS[$n]}" 2>/dev/null || true; wait "${PIDS[$n]}" 2>/dev/null || true; done; }
trap stop EXIT
rm -rf "$WORK/data-B"; cp -a "$WORK/data-A" "$WORK/data-B"
start A "$A" 19222 19322; start B "$B" 19232 19332
declare -A PORT=([A]=19222 [B]=19232)
for ((r = 1; r <= ROUNDS; r++)); do
  for n in A B; do
    out=$(bench/load.sh idle --tls --port "${PORT[$n]}" --sessions "$SESSIONS" --concurrency "$CONCURRENCY" --hold 2 --settle 1 \
      --server-pid "${PIDS[$n]}" --label "$n" 2>>"$WORK/load.log")
    echo "{\"round\": $r, \"build\": \"$n\", \"load1\": $(cut -d' ' -f1 /proc/loadavg), \"result\": $out}" | tee -a "$WORK/tls-ab.jsonl"
  done
done
