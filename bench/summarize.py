#!/usr/bin/env python3
"""Summarises bench/side-by-side.sh results (JSON lines) as Markdown: medians over runs, ratios of
Tongyou Server to ejabberd and Prosody, and the targets of issue 6 met or missed."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
measured = [r for r in rows if r.get("run", 0) >= 1]
servers = [s for s in ("tongyou", "ejabberd", "prosody") if any(r.get("server") == s for r in measured)]
peers = [s for s in servers if s != "tongyou"]


def broken(r):
    """A scenario the server failed as a whole (no login succeeded, most sessions refused): its rates
    are not a measurement of the server's speed and would make a target look met."""
    if r.get("scenario") == "login":
        return r.get("logins", 1) == 0 and r.get("failures", 0) > 0
    if r.get("scenario") == "idle":
        return r.get("failed", 0) > r.get("ok", r.get("sessions", 0))
    return False


def med(scenario, server, key, **where):
    pool = rows if scenario == "archive" else measured  # the provisioning run's query counts too
    vals = [r[key] for r in pool if r.get("scenario") == scenario and r.get("server") == server
            and key in r and all(r.get(k) == v for k, v in where.items()) and not broken(r)]
    vals = [v for v in vals if v is not None and v >= 0]
    return (statistics.median(vals), len(vals)) if vals else (None, 0)


def fmt(v, digits=0):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}"


out = []
p = out.append
loads = [float(r["load"].split()[0]) for r in measured if "load" in r]
runs = sorted({r["run"] for r in measured})
p(f"Runs: {len(runs)}; every figure is the median over the runs (n = runs that produced it). "
  f"Machine load average (1 min) during the scenarios: min {min(loads):.1f}, median {statistics.median(loads):.1f}, "
  f"max {max(loads):.1f} on 2 cores." if loads else "No measured runs.")
p("")


def table(title, scenario, cols, variants, where_extra=None):
    p(f"### {title}")
    p("")
    head = "| variant | server | " + " | ".join(c[1] for c in cols) + " | n |"
    p(head)
    p("|" + " --- |" * (len(cols) + 3))
    for label, where in variants:
        base = {}
        for s in servers:
            cells = []
            n = 0
            for key, name, digits in cols:
                v, n1 = med(scenario, s, key, **where)
                n = max(n, n1)
                base[(s, key)] = v
                cells.append(fmt(v, digits))
            p(f"| {label} | {s} | " + " | ".join(cells) + f" | {n} |")
        for peer in peers:
            cells = [ratio(base[("tongyou", key)], base[(peer, key)]) for key, _, _ in cols]
            p(f"| {label} | **tongyou / {peer}** | " + " | ".join(cells) + " | |")
    p("")


transports = sorted({r["transport"] for r in measured if r.get("transport") in ("plaintext", "starttls")})
table("Idle sessions (archive off)", "idle",
      [("ok", "sessions up", 0), ("failed", "failed", 0), ("connects_per_second", "connects/s", 0),
       ("server_kb_per_session", "server KB/session", 1), ("server_rss_after_kb", "server RSS after (KB)", 0),
       ("server_cpu_us_per_connect", "server CPU µs/connect", 0)],
      [(t, {"transport": t, "mam": "off"}) for t in transports])
table("Throughput, closed loop", "throughput",
      [("msg_per_second", "msg/s", 0), ("p50_ms", "p50 ms", 1), ("p90_ms", "p90 ms", 1), ("p99_ms", "p99 ms", 1),
       ("server_cpu_us_per_msg", "server CPU µs/msg", 0), ("server_cpu_percent", "server CPU %", 0),
       ("generator_cpu_percent", "generator CPU %", 0), ("lost", "lost", 0)],
      [(f"{t}, archive {m}", {"transport": t, "mam": m, "mode": "closed"}) for m in ("off", "on") for t in transports])
if any(r.get("mode") == "open" for r in measured):
    table("Throughput, open loop", "throughput",
          [("rate", "offered msg/s", 0), ("msg_per_second", "msg/s", 0), ("p50_ms", "p50 ms", 1),
           ("p99_ms", "p99 ms", 1), ("server_cpu_us_per_msg", "server CPU µs/msg", 0), ("lost", "lost", 0)],
          [(f"{t}, archive {m}", {"transport": t, "mam": m, "mode": "open"}) for m in ("off", "on") for t in transports])
table("Logins of existing users (archive off)", "login",
      [("logins_per_second", "logins/s", 0), ("login_p50_ms", "p50 ms", 1), ("login_p99_ms", "p99 ms", 1),
       ("server_cpu_us_per_login", "server CPU µs/login", 0), ("generator_cpu_percent", "generator CPU %", 0),
       ("failures", "failures", 0)],
      [(t, {"transport": t, "mam": "off"}) for t in transports])
table("Archive queries (XEP-0313, pre-filled archive, plaintext)", "archive",
      [("newest_p50_ms", "newest 50: p50 ms", 1), ("newest_p99_ms", "newest 50: p99 ms", 1),
       ("paging_p50_ms", "paging: p50 ms", 1), ("paging_p99_ms", "paging: p99 ms", 1),
       ("failed_queries", "failed queries", 0)],
      [("archive on", {"mam": "on"})])
table("Start to accepting connections", "start", [("seconds", "seconds", 2)],
      [(f"archive {m}", {"mam": m}) for m in ("off", "on")])

# ---- targets ----
p("### Targets of issue 6")
p("")
p("| target | transport | Tongyou | reference | met? |")
p("| --- | --- | --- | --- | --- |")


def verdict(ok):
    return "–" if ok is None else ("**met**" if ok else "**missed**")


if "ejabberd" in servers:
    for t in transports:
        ty, _ = med("idle", "tongyou", "server_kb_per_session", transport=t, mam="off")
        ej, _ = med("idle", "ejabberd", "server_kb_per_session", transport=t, mam="off")
        p(f"| idle memory/session ≤ 1/3 of ejabberd's | {t} | {fmt(ty, 1)} KB | {fmt(ej, 1)} KB | "
          f"{verdict(None if ty is None or ej is None else ty <= ej / 3)} |")
        ty, _ = med("throughput", "tongyou", "msg_per_second", transport=t, mam="off", mode="closed")
        ej, _ = med("throughput", "ejabberd", "msg_per_second", transport=t, mam="off", mode="closed")
        typ, _ = med("throughput", "tongyou", "p99_ms", transport=t, mam="off", mode="closed")
        ejp, _ = med("throughput", "ejabberd", "p99_ms", transport=t, mam="off", mode="closed")
        ok = None if None in (ty, ej, typ, ejp) else (ty >= 2 * ej and typ < ejp)
        p(f"| throughput ≥ 2× ejabberd's at a lower p99 | {t} | {fmt(ty)} msg/s, p99 {fmt(typ, 1)} ms | "
          f"{fmt(ej)} msg/s, p99 {fmt(ejp, 1)} ms | {verdict(ok)} |")
        ty, _ = med("login", "tongyou", "logins_per_second", transport=t, mam="off")
        ej, _ = med("login", "ejabberd", "logins_per_second", transport=t, mam="off")
        p(f"| logins/s ≥ 2× ejabberd's | {t} | {fmt(ty)} | {fmt(ej)} | "
          f"{verdict(None if ty is None or ej is None else ty >= 2 * ej)} |")
for t in transports:
    on, _ = med("throughput", "tongyou", "msg_per_second", transport=t, mam="on", mode="closed")
    off, _ = med("throughput", "tongyou", "msg_per_second", transport=t, mam="off", mode="closed")
    best_peer = max([med("throughput", s, "msg_per_second", transport=t, mam="on", mode="closed")[0] or 0
                     for s in peers] or [0])
    ok = None if on is None or off is None else (on >= off / 2 and on > best_peer)
    p(f"| with archive ≥ 50% of without, above the peers | {t} | {fmt(on)} of {fmt(off)} msg/s | "
      f"best peer {fmt(best_peer)} msg/s | {verdict(ok)} |")
st, _ = med("start", "tongyou", "seconds")
p(f"| start to accepting connections < 2 s | – | {fmt(st, 2)} s | 2 s | {verdict(None if st is None else st < 2)} |")
print("\n".join(out))
