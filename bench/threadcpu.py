#!/usr/bin/env python3
# CPU per thread group of a process over an interval (from /proc/PID/task/*/stat), for bench/archive-ratio.sh:
#   bench/threadcpu.py PID SECONDS
import os, sys, time, re, collections
pid = sys.argv[1]; secs = float(sys.argv[2])
def snap():
    d = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{t}/comm").read().strip()
            st = open(f"/proc/{pid}/task/{t}/stat").read()
            f = st[st.rindex(")") + 2:].split()
            d[t] = (name, int(f[11]) + int(f[12]), int(f[11]), int(f[12]))
        except Exception: pass
    return d
a = snap(); time.sleep(secs); b = snap()
g = collections.Counter(); u = collections.Counter(); s = collections.Counter()
for t, (name, tot, us, sy) in b.items():
    base = a.get(t, (name, 0, 0, 0))
    key = re.sub(r"[-#]?\d+$", "", name)
    g[key] += tot - base[1]; u[key] += us - base[2]; s[key] += sy - base[3]
hz = os.sysconf("SC_CLK_TCK"); tot = sum(g.values())
print("total %.1f%% of one core" % (100.0 * tot / hz / secs))
for k, v in g.most_common(int(os.environ.get("TOP", "10"))):
    print("%-28s %6.1f%%  (user %.1f, sys %.1f)" % (k, 100.0 * v / hz / secs, 100.0 * u[k] / hz / secs, 100.0 * s[k] / hz / secs))
