# Shared by the benchmark scripts (source it after cd to the repository root): Tongyou Server
# configurations for runs on loopback, starting a dist, waiting for a server to serve streams. Only
# 127.0.0.1 is used.

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

wait_xmpp() { # port seconds: returns once 127.0.0.1:port answers an XMPP stream header with its
  # stream features (bench/xmpp_ready.py), not only a TCP connect
  python3 bench/xmpp_ready.py "$1" "$2"
}

# The limits a benchmark lifts, as the reference servers run without a shaper: one session sends
# hundreds of stanzas a second (the default 200/s would end its stream with policy-violation and
# lose the pair's window), many sessions share 127.0.0.x, and logins fail on purpose in some scenarios.
BENCH_LIMITS_YML="auth: {max-failures-per-address: 1000000}
stream: {max-stanzas-per-second: 1000000, stanza-burst: 1000000, max-connections-per-address: 1000000}"

# A minimal configuration: the plugins the side-by-side scenarios need, the archive on or off.
bench_config() { # file data-dir tls-port plain-port mam(on|off) [extra YAML lines]
  cat > "$1" <<YML
server: {domain: localhost, data-dir: $2}
${6:-}
listeners:
  c2s: {address: 127.0.0.1, port: $3}
  c2s-direct-tls: {enabled: false}
  c2s-plaintext: {enabled: true, address: 127.0.0.1, port: $4}
  https: {enabled: false}
$BENCH_LIMITS_YML
plugins:
  disco: {}
  ping: {}
  roster: {}
  presence: {}
  mam: {enabled: $([ "$5" = on ] && echo true || echo false)}
  register: {mode: open, registrations-per-address: 100000000}
YML
}

# The shipped conf/tongyou.yml (every default plugin) moved to loopback ports and a data directory,
# with the limits above lifted, registration open, and proxy65 off port 7777.
shipped_config() { # file data-dir tls-port plain-port
  python3 - conf/tongyou.yml "$1" "$2" "$3" "$4" <<'PY'
import sys, yaml
src, dst, data, tls, plain = sys.argv[1:]
c = yaml.safe_load(open(src))
c["server"]["data-dir"] = data
l = c["listeners"]
l["c2s"].update(address="127.0.0.1", port=int(tls))
l["c2s-direct-tls"]["enabled"] = False
l["https"]["enabled"] = False
l["c2s-plaintext"].update(enabled=True, address="127.0.0.1", port=int(plain))
c["auth"]["max-failures-per-address"] = 1000000
c["stream"].update({"max-connections-per-address": 1000000, "max-stanzas-per-second": 1000000,
                    "stanza-burst": 1000000})
c["plugins"]["register"].update(mode="open", **{"registrations-per-address": 100000000})
c["plugins"]["proxy65"].update(address="127.0.0.1", port=int(plain) + 5)  # not 7777: other servers run here
yaml.safe_dump(c, open(dst, "w"), allow_unicode=True, sort_keys=False)
PY
}

# Starts bin/tongyou of a dist in the background and waits for its plaintext port; STARTED_PID is
# its pid. Logs and console output go under the work directory, suffixed by the name. The pid file
# and bin/tongyou's class data archive go to <work-dir>/run-<name>, or to <work-dir>/<run-dir>: starts
# that share a run directory share the archive, recorded when the first of them stops and mapped by
# the later ones, as in an installation.
start_tongyou_dist() { # home config work-dir name plain-port jvm-options [run-dir]
  TONGYOU_OPTS="$6" TONGYOU_LOGS="$3/logs-$4" TONGYOU_PID_FILE="$3/${7:-run-$4}/tongyou.pid" \
    "$1/bin/tongyou" --config "$2" run > "$3/console-$4.log" 2>&1 &
  STARTED_PID=$!
  wait_xmpp "$5" 120 && return 0
  log "tongyou ($4) did not start"; tail -20 "$3/console-$4.log" >&2; return 1
}
