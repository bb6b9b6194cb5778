#!/usr/bin/env bash
# Login cost (issue 6 §3 "logins per second"): Tongyou Server from dist/target with the shipped
# conf/tongyou.yml (every default plugin) on its own ports, the load generator's `login` scenario
# over plaintext on loopback, the server's CPU per thread group (bench/threadcpu.py) and
# optionally a JFR recording of the measured window.
#
#   bench/login-cost.sh                         # RUNS=1 USERS=300 CONCURRENCY=20 DURATION=20 WARMUP=5
#   JFR=1 bench/login-cost.sh                   # also /tmp/login-cost-N.jfr (settings=profile)
#   HOMES="/tmp/dist-before dist/target/tongyou-0.1.0-SNAPSHOT" RUNS=3 bench/login-cost.sh
#                                               # two builds, interleaved in each run, same data
#
# Ports: PLAIN_PORT (16322) and TLS_PORT (16222), so as not to collide with other runs.
# One JSON line per run in $RESULTS; a summary on standard error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bench/lib.sh

RUNS=${RUNS:-1}
USERS=${USERS:-300}
CONCURRENCY=${CONCURRENCY:-20}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
PLAIN_PORT=${PLAIN_PORT:-16322}
TLS_PORT=${TLS_PORT:-16222}
RESULTS=${RESULTS:-bench/target/login-cost/results.jsonl}
HOMES=${HOMES:-$root/dist/target/tongyou-0.1.0-SNAPSHOT}
TONGYOU_HOME=${HOMES%% *}
TONGYOU_JVM=${TONGYOU_JVM:-"-XX:+UseSerialGC -Xmx1g"}
WORK=${WORK:-$(mktemp -d /tmp/login-cost.XXXXXX)}
mkdir -p "$(dirname "$RESULTS")" "$WORK"

LOAD_NO_BUILD=${LOAD_NO_BUILD:-0} bench/load.sh --help >/dev/null 2>&1 || true
export LOAD_NO_BUILD=1
PID=0
shipped_config "$WORK/tongyou.yml" "$WORK/data" "$TLS_PORT" "$PLAIN_PORT"

start() {
  start_tongyou_dist "$TONGYOU_HOME" "$WORK/tongyou.yml" "$WORK" "build${h:-0}" "$PLAIN_PORT" "$TONGYOU_JVM" || return 1
  PID=$STARTED_PID
}
stop() { [ "$PID" != 0 ] && kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=0; }
trap stop EXIT

if [ ! -d "$WORK/data" ]; then
  start
  bench/load.sh register --tls --port "$TLS_PORT" --users "$USERS" --concurrency 20 >/dev/null
  stop
fi
for ((run = 1; run <= RUNS; run++)); do
 h=0
 for TONGYOU_HOME in $HOMES; do
  h=$((h + 1))
  start
  sleep 2
  if [ "${JFR:-0}" = 1 ]; then
    jcmd "$PID" JFR.start name=login settings=profile filename="/tmp/login-cost-$run-$h.jfr" \
      duration=$((DURATION + WARMUP))s >/dev/null
  fi
  (sleep $((WARMUP + 2)); echo "threads, run $run, $TONGYOU_HOME:"; bench/threadcpu.py "$PID" $((DURATION - 4))) >&2 &
  tpid=$!
  out=$(bench/load.sh login --port "$PLAIN_PORT" --scram-cache "$WORK/scram.cache" --users "$USERS" --concurrency "$CONCURRENCY" --duration "$DURATION" \
    --warmup "$WARMUP" --server-pid "$PID" --label login 2>>"$WORK/load.log")
  wait "$tpid" || true
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "{\"run\": $run, \"home\": \"$TONGYOU_HOME\", \"load\": \"$load\", \"result\": $out}" >> "$RESULTS"
  log "run $run $TONGYOU_HOME: $out load $load"
  stop
 done
done
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
