#!/usr/bin/env bash
# Archive cost (issue 4 "Speed", issue 6 §3): Tongyou Server's closed-loop throughput with the
# archive off and on, alternated in one run on the same data directory, with the ratio of each
# pair of runs. Shorter and Tongyou-only cousin of side-by-side.sh, for profiling the archive.
#
#   bench/archive-ratio.sh                         # RUNS=3 PAIRS=50 WINDOW=10 DURATION=20 WARMUP=30
#   JFR=1 bench/archive-ratio.sh                   # also a JFR recording of each archive-on run
#   JFR=all bench/archive-ratio.sh                 # ... and of each archive-off run
#   THREADS=1 bench/archive-ratio.sh               # also the server's CPU per thread group
#   DATABASE=postgres bench/archive-ratio.sh       # on PostgreSQL (.ci/postgres.sh starts it), in a
#                                                  # database of its own; its backends' CPU is added
#
# Needs dist/target/tongyou-0.1.0-SNAPSHOT (mvn -B -o -DskipTests package). Plaintext on loopback.
# Results: one JSON line per run in $RESULTS; a summary line per pair of runs on standard error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bench/lib.sh

RUNS=${RUNS:-3}
PAIRS=${PAIRS:-50}
WINDOW=${WINDOW:-10}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-30}   # the archive-on code is still being compiled by C2 for a minute (docs/benchmarks.md)
ORDER=${ORDER:-"off on"}
RESULTS=${RESULTS:-bench/target/archive-ratio/results.jsonl}
TONGYOU_HOME=${TONGYOU_HOME:-$root/dist/target/tongyou-0.1.0-SNAPSHOT}
TONGYOU_JVM=${TONGYOU_JVM:-"-XX:+UseSerialGC -Xmx1g"}
WORK=$(mktemp -d /tmp/archive-ratio.XXXXXX)
mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"

LOAD_NO_BUILD=0 bench/load.sh --help >/dev/null 2>&1 || true   # builds the generator once
export LOAD_NO_BUILD=1
PLAIN_PORT=${PLAIN_PORT:-15322}; TLS_PORT=${TLS_PORT:-15222}; PID=0
DATABASE=${DATABASE:-h2}
DATABASE_YML=""
if [ "$DATABASE" = postgres ]; then
  eval "$(.ci/postgres.sh)"
  PG_DB=tongyou_bench
  su postgres -c "dropdb --if-exists $PG_DB && createdb -O $TONGYOU_TEST_POSTGRES_USER $PG_DB" >&2
  DATABASE_YML="database: {url: 'jdbc:postgresql://127.0.0.1:5432/$PG_DB', username: $TONGYOU_TEST_POSTGRES_USER, password: $TONGYOU_TEST_POSTGRES_PASSWORD}"
fi
# CPU time (clock ticks) of the PostgreSQL processes serving the benchmark's database, plus the
# cluster's shared writers (WAL writer, checkpointer, background writer); 0 on H2.
pg_ticks() {
  [ "$DATABASE" = postgres ] || { echo 0; return; }
  local total=0 p cmd f
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) || continue
    case "$cmd" in
      "postgres: "*"$PG_DB"*|"postgres: "*"walwriter"*|"postgres: "*"checkpointer"*|"postgres: "*"background writer"*)
        f=$(cut -d')' -f2- "$p/stat" 2>/dev/null) || continue
        set -- $f
        total=$((total + ${12} + ${13})) ;;
    esac
  done
  echo "$total"
}

start() { # mam on|off
  bench_config "$WORK/tongyou.yml" "$WORK/data" $TLS_PORT $PLAIN_PORT "$1" "$DATABASE_YML"
  start_tongyou_dist "$TONGYOU_HOME" "$WORK/tongyou.yml" "$WORK" "$1" $PLAIN_PORT "$TONGYOU_JVM" || return 1
  PID=$STARTED_PID
}
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap stop EXIT

start off
bench/load.sh register --tls --port $TLS_PORT --users $((2 * PAIRS)) --concurrency 20 >/dev/null
stop

for ((run = 1; run <= RUNS; run++)); do
  for mam in $ORDER; do
    start "$mam"
    sleep 2
    if [ "${JFR:-0}" = all ] || { [ "${JFR:-0}" = 1 ] && [ "$mam" = on ]; }; then
      jcmd "$PID" JFR.start name=ratio settings="${JFR_SETTINGS:-profile}" filename="$WORK/../archive-$mam-$run.jfr" \
        duration=$((DURATION + WARMUP + 5))s >/dev/null
    fi
    if [ "${THREADS:-0}" = 1 ]; then   # CPU per server thread group during the measured window
      (sleep $((WARMUP + DURATION / 2)); echo "archive $mam, run $run:"; bench/threadcpu.py "$PID" $((DURATION / 2 - 2)) | head -8) >&2 &
    fi
    pg_before=$(pg_ticks)
    out=$(bench/load.sh throughput --port $PLAIN_PORT --pairs "$PAIRS" --window "$WINDOW" --duration "$DURATION" \
      --warmup "$WARMUP" --server-pid "$PID" --label "archive-$mam" 2>>"$WORK/load.log")
    pg_cpu=$(( ($(pg_ticks) - pg_before) * 1000000 / $(getconf CLK_TCK) ))   # microseconds, warm-up included
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "{\"run\": $run, \"mam\": \"$mam\", \"database\": \"$DATABASE\", \"load1\": $load, \"database_cpu_us\": $pg_cpu, \"result\": $out}" >> "$RESULTS"
    log "run $run archive $mam: $(echo "$out" | PG_CPU=$pg_cpu WINDOW_S=$((DURATION + WARMUP)) python3 -c 'import json,os,sys; r=json.load(sys.stdin); pg=int(os.environ["PG_CPU"]); msgs=r["msg_per_second"]*int(os.environ["WINDOW_S"]); print("%.0f msg/s p99 %.1f ms, server %.0f us/msg, %.0f%% CPU, generator %.0f%%, lost %d%s" % (r["msg_per_second"], r["p99_ms"], r["server_cpu_us_per_msg"], r["server_cpu_percent"], r["generator_cpu_percent"], r["lost"], ", PostgreSQL about %.0f us/msg" % (pg / msgs) if pg and msgs else ""))') load $load"
    stop
  done
done
python3 - "$RESULTS" <<'PY' >&2
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["run"], {})[r["mam"]] = r["result"]["msg_per_second"]
ratios = [v["on"] / v["off"] for v in by.values() if "on" in v and "off" in v and v["off"] > 0]
for run, v in sorted(by.items()):
    print("run %d: off %.0f msg/s, on %.0f msg/s, ratio %.2f" % (run, v.get("off", 0), v.get("on", 0),
          v.get("on", 0) / v["off"] if v.get("off") else 0))
if ratios:
    print("median ratio on/off: %.2f (min %.2f, max %.2f, n=%d)" % (statistics.median(ratios), min(ratios), max(ratios), len(ratios)))
PY
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
