#!/usr/bin/env bash
# Start to accepting connections (issue 6 §3: under 2 s): runs bin/tongyou from a dist RUNS times
# with the shipped conf/tongyou.yml (every default plugin) on its own ports and data, and prints the
# time from exec to the c2s port answering a stream header with its features (and the server's CPU
# time until then, user + system of all its threads: less sensitive to a busy machine), each run and
# the median. The first start of a dist records its AppCDS archive at exit (bin/tongyou); it is run
# once before the measured runs (PRIME=0 skips that), so that every measured run maps the archive as
# in production.
#
#   bench/start-time.sh                      # RUNS=5, dist/target/tongyou-0.1.0-SNAPSHOT
#   HOME_DIR=/tmp/other-dist JFR=1 bench/start-time.sh   # JFR=1: /tmp/start-time-N.jfr of each run
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${RUNS:-5}
HOME_DIR=${HOME_DIR:-$root/dist/target/tongyou-0.1.0-SNAPSHOT}
PORT=${PORT:-18222}
TONGYOU_JVM=${TONGYOU_JVM:-"-XX:+UseSerialGC -Xmx1g"}
WORK=${WORK:-$(mktemp -d /tmp/start-time.XXXXXX)}
mkdir -p "$WORK"
python3 - "$root/conf/tongyou.yml" "$WORK/tongyou.yml" "$WORK/data" "$PORT" <<'PY'
import sys, yaml
src, dst, data, port = sys.argv[1:]
c = yaml.safe_load(open(src))
c["server"]["data-dir"] = data
l = c["listeners"]
l["c2s"].update(address="127.0.0.1", port=int(port))
l["c2s-direct-tls"].update(address="127.0.0.1", port=int(port) + 1)
l["https"].update(address="127.0.0.1", port=int(port) + 2)
c["plugins"]["proxy65"].update(address="127.0.0.1", port=int(port) + 3)
yaml.safe_dump(c, open(dst, "w"), allow_unicode=True, sort_keys=False)
PY
once() { # run-number jfr-options
  python3 - "$HOME_DIR/bin/tongyou" "$WORK/tongyou.yml" "$PORT" "$WORK" "$TONGYOU_JVM $2" "$root/bench" <<'PY'
import os, subprocess, sys, time
exe, conf, port, work, opts, bench = sys.argv[1:]
sys.path.insert(0, bench)
import xmpp_ready  # accepting = answering a stream header with the stream features
env = dict(os.environ, TONGYOU_OPTS=opts.strip(), TONGYOU_LOGS=work + "/logs", TONGYOU_PID_FILE=work + "/run/tongyou.pid")
t0 = time.monotonic()
p = subprocess.Popen([exe, "--config", conf, "run"], env=env, stdout=open(work + "/console.log", "a"), stderr=subprocess.STDOUT)
if not xmpp_ready.wait(int(port), 120, alive=lambda: p.poll() is None):
    print("exited or never answered", file=sys.stderr); p.kill(); sys.exit(1)
wall = time.monotonic() - t0
f = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
cpu = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
print("%.3f %.2f" % (wall, cpu))
time.sleep(1)
p.terminate(); p.wait(60)
PY
}
if [ "${PRIME:-1}" = 1 ]; then
  echo "priming (records the AppCDS archive at exit): $(once 0 '') s" >&2
fi
times=()
for ((i = 1; i <= RUNS; i++)); do
  jfr=""
  [ "${JFR:-0}" = 1 ] && jfr="-XX:StartFlightRecording=filename=/tmp/start-time-$i.jfr,settings=profile"
  t=$(once "$i" "$jfr")
  times+=("${t%% *}")
  echo "run $i: ${t%% *} s, ${t##* } s of CPU until then (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %.3f s of %d runs (min %.3f, max %.3f)\n", a[int((NR+1)/2)], NR, a[1], a[NR]}'
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
