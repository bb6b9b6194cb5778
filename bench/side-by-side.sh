#!/usr/bin/env bash
# Side by side (issue 6, bench/README.md): Tongyou Server, ejabberd and Prosody as throwaway
# instances on loopback, each with its configuration and data in a temporary directory, measured
# with the same load generator (bench/load.sh) in the same run; bench/summarize.py makes the
# Markdown tables that docs/benchmarks.md quotes.
#
#   bench/side-by-side.sh                      # defaults below
#   RUNS=3 SESSIONS=10000 PAIRS=50 DURATION=30 bench/side-by-side.sh
#
# Needs: dist/target/tongyou-0.1.0-SNAPSHOT (mvn -B -o -DskipTests package), and for the peers
# `apt-get install -y ejabberd prosody` (done here when missing; their system services are stopped
# and disabled, this script never uses them). Only 127.0.0.x is ever targeted.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bench/lib.sh
# Every server may open as many files as the machine allows (the JVM raises its own soft limit;
# ejabberd does not: at a soft limit of 1,024 it refused connections past about 1,000 idle sessions
# with "too many open files").
ulimit -n "$(ulimit -Hn)"
# ejabberdctl starts the node through su, whose pam_limits resets the soft limit to 1,024.
if [ -w /etc/security/limits.d ] && [ ! -e /etc/security/limits.d/tongyou-bench.conf ]; then
  printf '%s soft nofile %s\n%s hard nofile %s\n' ejabberd "$(ulimit -Hn)" ejabberd "$(ulimit -Hn)" \
    > /etc/security/limits.d/tongyou-bench.conf
fi

SERVERS=${SERVERS:-"tongyou ejabberd prosody"}
SCENARIOS=${SCENARIOS:-"idle login throughput archive"}   # a subset runs only those (and skips what they do not need)
PORT_OFFSET=${PORT_OFFSET:-0}      # added to every server's ports (and names ejabberd's node), beside another run
TRANSPORTS=${TRANSPORTS:-"plaintext starttls"}
RUNS=${RUNS:-3}
SESSIONS=${SESSIONS:-10000}        # idle sessions
PAIRS=${PAIRS:-50}                 # throughput pairs
WINDOW=${WINDOW:-10}               # closed-loop window per pair
RATE=${RATE:-0}                    # >0: also an open-loop run at this total rate (msg/s)
DURATION=${DURATION:-30}           # seconds measured per throughput/login scenario
# Seconds of load before each login and throughput measurement. Tongyou's JIT compiler was still
# busy (C2 at 24-36 % of a core) for about 60 s into STARTTLS logins on this 2-core machine, and
# the archive-on throughput reaches its steady state as late: 60 s measures the servers as they run
# for days, and every server gets the same warm-up.
WARMUP=${WARMUP:-60}
LOGIN_USERS=${LOGIN_USERS:-1000}
LOGIN_CONCURRENCY=${LOGIN_CONCURRENCY:-50}
PREFILL=${PREFILL:-2000}           # messages pre-filled into the archive of one pair (bench/README.md: why not 1,000,000)
CONCURRENCY=${CONCURRENCY:-100}    # stream negotiations in flight while connecting
RESULTS=${RESULTS:-bench/target/side-by-side/results.jsonl}
TONGYOU_HOME=${TONGYOU_HOME:-$root/dist/target/tongyou-0.1.0-SNAPSHOT}
# -Xms64m is bin/tongyou's own initial heap, which it leaves out when the options size the heap.
TONGYOU_JVM=${TONGYOU_JVM:-"-XX:+UseSerialGC -Xms64m -Xmx1g"}

USERS=$(( SESSIONS > LOGIN_USERS ? SESSIONS : LOGIN_USERS ))
USERS=$(( USERS > 2 * PAIRS + 2 ? USERS : 2 * PAIRS + 2 ))
WORK=$(mktemp -d /tmp/side-by-side.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$(dirname "$RESULTS")"
CACHE="$WORK/scram.cache"
: > "$RESULTS.log"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$RESULTS.log" >&2; }

# ---- peers from Debian, never as system services ----
if ! command -v ejabberdctl >/dev/null || ! command -v prosody >/dev/null; then
  apt-get update -q && apt-get install -y -q ejabberd prosody
fi
EPMD_BEFORE=$(pgrep -x epmd || true)
for s in ejabberd prosody; do
  systemctl disable "$s" >/dev/null 2>&1 || true
  service "$s" stop >/dev/null 2>&1 || true
done

# One certificate for every server, so that each handshake signs with the same kind of key: EC
# P-256, as Tongyou generates for itself when none is configured.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/both.pem"

LOAD_NO_BUILD=0 bench/load.sh --help >/dev/null   # builds the generator once
export LOAD_NO_BUILD=1

PID=0; PLAIN_PORT=0; TLS_PORT=0; DIR=""

start_tongyou() { # mam on|off
  DIR="$WORK/tongyou"; mkdir -p "$DIR"
  PLAIN_PORT=$((15322 + PORT_OFFSET)); TLS_PORT=$((15222 + PORT_OFFSET))
  bench_config "$DIR/tongyou.yml" "$DIR/data" $TLS_PORT $PLAIN_PORT "$1" \
    "tls: {certificate: $WORK/cert.pem, private-key: $WORK/key.pem}"
  local t0; t0=$(date +%s.%N)
  # One run directory for every start: the provisioning start records the class data archive when
  # it stops, and every measured start maps it, as the second and later starts of an installation do.
  start_tongyou_dist "$TONGYOU_HOME" "$DIR/tongyou.yml" "$DIR" "mam-$1" $PLAIN_PORT "$TONGYOU_JVM" run || return 1
  PID=$STARTED_PID
  START_SECONDS=$(echo "$(date +%s.%N) - $t0" | bc | sed "s/^\./0./")
}
stop_tongyou() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }

EJ=(ejabberdctl --config-dir "$WORK/ejabberd" --config "$WORK/ejabberd/ejabberd.yml" --ctl-config "$WORK/ejabberd/ejabberdctl.cfg"
    --logs "$WORK/ejabberd/logs" --spool "$WORK/ejabberd/db" --node "ejabberd_load$PORT_OFFSET@localhost")
start_ejabberd() {
  DIR="$WORK/ejabberd"; mkdir -p "$DIR/logs" "$DIR/db"
  PLAIN_PORT=$((25222 + PORT_OFFSET)); TLS_PORT=$PLAIN_PORT
  cp "$WORK/both.pem" "$DIR/both.pem"
  printf 'ERLANG_NODE=ejabberd_load%s@localhost\nINET_DIST_INTERFACE=127.0.0.1\nERL_EPMD_ADDRESS=127.0.0.1\n' "$PORT_OFFSET" > "$DIR/ejabberdctl.cfg"
  local mam=""
  [ "$1" = on ] && mam="  mod_mam: {default: always}"
  cat > "$DIR/ejabberd.yml" <<YML
hosts: [localhost]
loglevel: warning
certfiles: ["$DIR/both.pem"]
listen:
  - {port: $PLAIN_PORT, ip: "127.0.0.1", module: ejabberd_c2s, starttls: true, max_stanza_size: 262144, access: all}
auth_method: internal
auth_password_format: scram
disable_sasl_mechanisms: [digest-md5, x-oauth2]
registration_timeout: infinity
acl:
  local: {user_regexp: ""}
access_rules:
  register: {allow: all}
  local: {allow: local}
modules:
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  mod_register: {ip_access: all, access: register, password_strength: 0}
$mam
YML
  chown -R ejabberd:ejabberd "$DIR"
  local t0; t0=$(date +%s.%N)
  "${EJ[@]}" start
  wait_xmpp $PLAIN_PORT 120 || { log "ejabberd did not start"; tail -20 "$DIR/logs/"*.log >&2; return 1; }
  START_SECONDS=$(echo "$(date +%s.%N) - $t0" | bc | sed "s/^\./0./")
  PID=$(pgrep -f "beam.*ejabberd_load$PORT_OFFSET@localhost" | head -1)
}
stop_ejabberd() { "${EJ[@]}" stop >/dev/null 2>&1 || true; "${EJ[@]}" stopped >/dev/null 2>&1 || true; kill "$PID" 2>/dev/null || true; }

start_prosody() {
  DIR="$WORK/prosody"; mkdir -p "$DIR/data"
  PLAIN_PORT=$((35222 + PORT_OFFSET)); TLS_PORT=$PLAIN_PORT
  local mam=""
  [ "$1" = on ] && mam='"mam";'
  cat > "$DIR/prosody.cfg.lua" <<LUA
run_as_root = true
daemonize = false
pidfile = "$DIR/prosody.pid"
data_path = "$DIR/data"
log = { warn = "$DIR/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { $PLAIN_PORT }
s2s_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "register"; $mam }
modules_disabled = { "s2s"; "offline"; "http"; "admin_shell" }
allow_registration = true
min_seconds_between_registrations = 0
registration_throttle_max = 1000000
registration_whitelist = { "127.0.0.1"; "127.0.0.2"; "127.0.0.3"; "127.0.0.4"; "127.0.0.5"; "127.0.0.6"; "127.0.0.7"; "127.0.0.8" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
archive_expires_after = "never"
default_archive_policy = true
ssl = { key = "$WORK/key.pem"; certificate = "$WORK/cert.pem" }
VirtualHost "localhost"
LUA
  local t0; t0=$(date +%s.%N)
  prosody --config "$DIR/prosody.cfg.lua" > "$DIR/console.log" 2>&1 &
  PID=$!
  wait_xmpp $PLAIN_PORT 120 || { log "prosody did not start"; tail -20 "$DIR/console.log" "$DIR/prosody.log" >&2; return 1; }
  START_SECONDS=$(echo "$(date +%s.%N) - $t0" | bc | sed "s/^\./0./")
}
stop_prosody() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }

cleanup() {
  for s in $SERVERS; do "stop_$s" >/dev/null 2>&1 || true; done
  if [ -z "$EPMD_BEFORE" ]; then
    for p in $(pgrep -x epmd || true); do kill "$p" 2>/dev/null || true; done
  fi
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"   # KEEP=1 keeps the servers' data and logs
}
trap cleanup EXIT

want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
MAMS="off on"
want throughput || want archive || MAMS="off"   # the archive-on runs have nothing else to measure

# load <server> <run> <mam> <transport> <scenario> args...: one JSON line into $RESULTS
load() {
  local server=$1 run=$2 mam=$3 transport=$4 scenario=$5; shift 5
  local port=$PLAIN_PORT tls=()
  [ "$transport" = starttls ] && { port=$TLS_PORT; tls=(--tls); }
  log "$server run $run archive $mam $transport: $scenario $*"
  local line
  line=$(bench/load.sh "$scenario" --port "$port" --domain localhost --server-pid "$PID" --scram-cache "$CACHE" \
      --concurrency "$CONCURRENCY" --label "$server" "${tls[@]}" "$@" 2>>"$RESULTS.log" | tail -1) || true
  [ -n "$line" ] || { log "  no result"; return 0; }
  echo "$line" | python3 -c "import json,sys; r=json.loads(sys.stdin.read()); r.update(server='$server', run=$run, mam='$mam', load='$(cut -d' ' -f1-3 /proc/loadavg)'); print(json.dumps(r))" >> "$RESULTS"
  log "  $line"
}

# ---- provisioning: users through in-band registration, the archive of pair 0 pre-filled ----
for s in $SERVERS; do
  "start_$s" on
  log "$s: provisioning $USERS users"
  # Three passes: a connection lost to a starved machine in one pass is retried in the next
  # (existing users count as done).
  for pass in 1 2 3; do
    load "$s" 0 on starttls register --users "$USERS" --concurrency 20 --timeout 3600
    tail -1 "$RESULTS" | grep -q '"failed": 0,' && break
  done
  if [ "$PREFILL" -gt 0 ] && want archive; then
    load "$s" 0 on plaintext archive --prefill "$PREFILL" --queries 1 --user-offset 0
  fi
  "stop_$s"
done

# ---- measured runs, servers interleaved ----
for run in $(seq 1 "$RUNS"); do
  for s in $SERVERS; do
    for mam in $MAMS; do
      "start_$s" "$mam"
      echo "{\"scenario\": \"start\", \"server\": \"$s\", \"run\": $run, \"mam\": \"$mam\", \"seconds\": $START_SECONDS, \"transport\": \"-\"}" >> "$RESULTS"
      log "$s ($mam) accepting after $START_SECONDS s"
      sleep 2
      if [ "$mam" = off ]; then
        want idle && for t in $TRANSPORTS; do
          # Each transport's idle sessions on a fresh instance: memory the previous transport's
          # sessions touched would otherwise already be in "RSS before".
          if [ "$t" != "${TRANSPORTS%% *}" ]; then
            "stop_$s"; sleep 2; "start_$s" "$mam"; sleep 2
          fi
          load "$s" "$run" "$mam" "$t" idle --sessions "$SESSIONS" --hold 8 --settle 4
        done
        want login && for t in $TRANSPORTS; do
          load "$s" "$run" "$mam" "$t" login --users "$LOGIN_USERS" --concurrency "$LOGIN_CONCURRENCY" \
            --duration "$DURATION" --warmup "$WARMUP"
        done
      fi
      want throughput && for t in $TRANSPORTS; do
        load "$s" "$run" "$mam" "$t" throughput --pairs "$PAIRS" --window "$WINDOW" --duration "$DURATION" \
          --warmup "$WARMUP" --user-offset 2
        if [ "$RATE" -gt 0 ]; then
          load "$s" "$run" "$mam" "$t" throughput --pairs "$PAIRS" --rate "$RATE" --duration "$DURATION" \
            --warmup "$WARMUP" --user-offset 2
        fi
      done
      if [ "$mam" = on ] && [ "$PREFILL" -gt 0 ] && want archive; then
        load "$s" "$run" "$mam" plaintext archive --queries 20 --pages 5
      fi
      "stop_$s"
      sleep 2
    done
  done
  python3 bench/summarize.py "$RESULTS" > "$RESULTS.md" || true
done
log "results: $RESULTS; summary: $RESULTS.md"
