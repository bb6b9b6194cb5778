#!/usr/bin/env bash
# Login cost of two builds side by side (before/after a change), made robust to a shared, busy
# machine: both servers run at once (each from its dist, the shipped conf/tongyou.yml with every
# default plugin, own ports and a copy of the same data), both are warmed up (JIT) with a login run,
# then measured windows alternate A, B, A, B, ... so that the machine's load hits both alike.
# Per window: logins/s and server CPU µs per login from the generator (whole process, /proc/PID/stat),
# and the CPU of the server's event loops and workers only (bench/threadcpu.py), JIT and GC excluded.
#
#   A=/tmp/dist-before B=dist/target/tongyou-0.1.0-SNAPSHOT bench/login-ab.sh
#   ROUNDS=4 WINDOW=15 WARM=30 USERS=300 CONCURRENCY=20 SCENARIO_OPTS="--tls"
#
# Ports: 17322/17222 for A, 17332/17232 for B, plus PORT_OFFSET (0) to keep clear of another run of
# this script on the same machine. SCRAM salted passwords are cached in $WORK/scram.cache (as in
# side-by-side.sh), so that no window pays for the generator's PBKDF2. Results: one JSON line per window in $RESULTS and a
# summary (medians per build, ratio B/A) on standard output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bench/lib.sh
A=${A:?A=dist directory before}; B=${B:?B=dist directory after}
ROUNDS=${ROUNDS:-4}; WINDOW=${WINDOW:-15}; WARM=${WARM:-30}
USERS=${USERS:-300}; CONCURRENCY=${CONCURRENCY:-20}
SCENARIO=${SCENARIO:-login}; SCENARIO_OPTS=${SCENARIO_OPTS:-}
TONGYOU_JVM=${TONGYOU_JVM:-"-XX:+UseSerialGC -Xmx1g"}
RESULTS=${RESULTS:-bench/target/login-ab/results.jsonl}
WORK=${WORK:-$(mktemp -d /tmp/login-ab.XXXXXX)}
mkdir -p "$(dirname "$RESULTS")" "$WORK"; : > "$RESULTS"
LOAD_NO_BUILD=${LOAD_NO_BUILD:-0} bench/load.sh --help >/dev/null 2>&1 || true
export LOAD_NO_BUILD=1

config() { # name tls-port plain-port
  shipped_config "$WORK/$1.yml" "$WORK/data-$1" "$2" "$3"
}
declare -A PIDS PLAIN TLS HOME
PORT_OFFSET=${PORT_OFFSET:-0}
PLAIN[A]=$((17322 + PORT_OFFSET)); TLS[A]=$((17222 + PORT_OFFSET)); HOME[A]=$A
PLAIN[B]=$((17332 + PORT_OFFSET)); TLS[B]=$((17232 + PORT_OFFSET)); HOME[B]=$B
CACHE="$WORK/scram.cache"
start() { # name
  start_tongyou_dist "${HOME[$1]}" "$WORK/$1.yml" "$WORK" "$1" "${PLAIN[$1]}" "$TONGYOU_JVM" || return 1
  PIDS[$1]=$STARTED_PID
}
stop() { local n; for n in "${!PIDS[@]}"; do kill "${PIDS[$n]}" 2>/dev/null || true; wait "${PIDS[$n]}" 2>/dev/null || true; done; }
trap stop EXIT
port() { if [[ " $SCENARIO_OPTS " == *" --tls "* ]]; then echo "${TLS[$1]}"; else echo "${PLAIN[$1]}"; fi; }

config A "${TLS[A]}" "${PLAIN[A]}"; config B "${TLS[B]}" "${PLAIN[B]}"
if [ ! -d "$WORK/data-A" ]; then
  start A
  bench/load.sh register --tls --port "${TLS[A]}" --users "$USERS" --concurrency 20 >/dev/null
  stop; unset 'PIDS[A]'
fi
rm -rf "$WORK/data-B"; cp -a "$WORK/data-A" "$WORK/data-B"
start A; start B
for n in A B; do
  log "warming $n for $WARM s"
  bench/load.sh "$SCENARIO" --port "$(port $n)" $SCENARIO_OPTS --users "$USERS" --concurrency "$CONCURRENCY" \
    --scram-cache "$CACHE" --duration "$WARM" --warmup 0 >/dev/null 2>>"$WORK/load.log"
done
for ((r = 1; r <= ROUNDS; r++)); do
  for n in A B; do
    pid=${PIDS[$n]}
    (sleep 1; TOP=20 bench/threadcpu.py "$pid" $((WINDOW - 2))) > "$WORK/threads" &
    tpid=$!
    out=$(bench/load.sh "$SCENARIO" --port "$(port $n)" $SCENARIO_OPTS --users "$USERS" --concurrency "$CONCURRENCY" \
      --scram-cache "$CACHE" --duration "$WINDOW" --warmup 0 --server-pid "$pid" --label "$n" 2>>"$WORK/load.log")
    wait "$tpid" || true
    loops=$(awk '/^tongyou-(io|worker)/ {s += $2} END {print s + 0}' "$WORK/threads")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "{\"round\": $r, \"build\": \"$n\", \"home\": \"${HOME[$n]}\", \"load1\": $load, \"loops_percent\": $loops, \"result\": $out}" >> "$RESULTS"
    log "round $r $n: $(echo "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.0f logins/s, %.0f us/login (process), p50 %.1f ms, failures %d" % (r["logins_per_second"], r["server_cpu_us_per_login"], r["login_p50_ms"], r["failures"]))'), io+workers ${loops}% of a core, load $load"
  done
done
python3 - "$RESULTS" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
m = {}
for b in ("A", "B"):
    rs = [r for r in rows if r["build"] == b]
    lps = [r["result"]["logins_per_second"] for r in rs]
    cpu = [r["result"]["server_cpu_us_per_login"] for r in rs]
    loops = [r["loops_percent"] / 100.0 * 1e6 / r["result"]["logins_per_second"] for r in rs if r["result"]["logins_per_second"] > 0]
    m[b] = (st.median(lps), st.median(cpu), st.median(loops))
    print("%s (%s): logins/s %.0f, server CPU %.0f us/login (process), %.0f us/login (event loops + workers), n=%d, load %s"
          % (b, rs[0]["home"], m[b][0], m[b][1], m[b][2], len(rs), [r["load1"] for r in rs]))
print("B/A: logins/s %.2f, CPU per login (process) %.2f, (loops + workers) %.2f" % (m["B"][0] / m["A"][0], m["B"][1] / m["A"][1], m["B"][2] / m["A"][2]))
PY
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
