#!/usr/bin/env python3
"""Turns the live-rooms load test of scripts/bench.sh (wrk outputs and the herd's JSON) into rooms.md and checks the
targets of issues 10 and 18. Usage: rooms.py WORK_DIR RUNS BYTES. Reads WORK_DIR/wrk-{rooms,ceiling}-{1..RUNS}.txt and
WORK_DIR/herd.json, and the two-instance run's WORK_DIR/wrk-scale-*.txt when scripts/bench-rooms-scale.sh wrote them; writes WORK_DIR/rooms.md; exits 1 when a target is missed by more than the run's own noise.

Noise: each endpoint runs RUNS times, alternating with the other; the better run of each counts (a shared machine only
ever makes a run slower), and the noise of a figure is the spread of its runs relative to the better one. The ratio's
noise is its two endpoints' noises added in quadrature; it fails only below 0.80 / (1 + noise). p99 is judged on the
better run alone (no further allowance). Errors and the herd's checks are exact."""
import json, math, os, re, sys

work, runs, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}

def parse(path):
    text = open(path).read()
    def lat(p):
        m = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": float(rps.group(1)) if rps else 0.0, "requests": int(total.group(1)) if total else 0,
            "p50": lat(50), "p99": lat(99),
            "socket": sum(int(x) for x in sock.groups()) if sock else 0, "non2xx": int(non2xx.group(1)) if non2xx else 0}

def spread(values, best):
    return (max(values) - min(values)) / best if best else 0.0

res = {}
for name in ["rooms", "ceiling"]:
    rs = [parse(os.path.join(work, f"wrk-{name}-{i}.txt")) for i in range(1, runs + 1)]
    best = max(rs, key=lambda r: r["rps"])
    res[name] = {"runs": rs, "best": best,
                 "rps_noise": spread([r["rps"] for r in rs], best["rps"]),
                 "p99_best": min(r["p99"] for r in rs),
                 "p99_noise": spread([r["p99"] for r in rs], min(r["p99"] for r in rs)),
                 "errors": sum(r["socket"] + r["non2xx"] for r in rs)}

rooms, ceiling = res["rooms"], res["ceiling"]
ratio = rooms["best"]["rps"] / ceiling["best"]["rps"] if ceiling["best"]["rps"] else 0.0
ratio_noise = math.hypot(rooms["rps_noise"], ceiling["rps_noise"])

targets = []  # (what, measured, op, limit, noise, ok)
targets.append(("rooms: requests/s ÷ ceiling", round(ratio, 3), "≥", 0.80, ratio_noise, ratio >= 0.80 / (1 + ratio_noise)))
targets.append(("rooms: errors (socket + non-2xx, all runs)", rooms["errors"], "=", 0, 0.0, rooms["errors"] == 0))
targets.append(("ceiling: errors (socket + non-2xx, all runs)", ceiling["errors"], "=", 0, 0.0, ceiling["errors"] == 0))
# p99 is judged on the better run alone: a tail is what a shared machine inflates most (the runs' spread can be several
# times the figure), so taking the better run is the whole noise allowance here.
targets.append(("rooms: p99 at 64 connections, lower of the runs (ms)", round(rooms["p99_best"], 2), "<", 10, 0.0, rooms["p99_best"] < 10))

lines = []
w = lines.append
w(f"`wrk -t2 -c64 -d10s --latency` on loopback against the sample in Release (Nginx provider, SQLite, logging at Warning),")
w(f"one live room; each endpoint {runs} times, alternating; the better run counts and the spread of the runs is the noise.")
w(f"Rooms = `GET /api/rooms/{{id}}?client=web` (the room from the instance's room cache, SQLite behind it; fresh signed play URLs; JSON);")
w(f"ceiling = `GET /api/bench/fixed/{size}` in the same process (`LiveRooms:BenchmarkEndpoints=true`): a cached {size}-byte JSON,")
w("the same size as the room's answer. wrk and the app share this machine's cores.")
w("")
w("| Endpoint | Runs (req/s) | Best req/s | p50 | p99 | p99 of the runs | Socket errors | Non-2xx | Noise (req/s) |")
w("|---|---|---:|---:|---:|---|---:|---:|---:|")
for name, label in [("rooms", "Rooms"), ("ceiling", "Ceiling")]:
    r = res[name]; b = r["best"]
    each = ", ".join(format(x["rps"], ",.0f") for x in r["runs"])
    w(f"| {label} | {each} | {b['rps']:,.0f} | {b['p50']:.2f} ms | {b['p99']:.2f} ms | "
      f"{', '.join(format(x['p99'], '.2f') + ' ms' for x in r['runs'])} | {sum(x['socket'] for x in r['runs'])} | {sum(x['non2xx'] for x in r['runs'])} | ±{r['rps_noise']:.0%} |")
w("")
w(f"Ratio rooms ÷ ceiling: **{ratio:.0%}** (noise ±{ratio_noise:.0%}).")
w("")
if rooms["p99_best"] >= 10 and ceiling["p99_best"] >= 10:
    # Said with the figures, not excused: the target stays missed in the table below.
    w(f"p99: the ceiling itself (no work of its own) had a p99 of {ceiling['p99_best']:.2f} ms in this run, over the 10 ms the rooms")
    w(f"endpoint is held to ({rooms['p99_best']:.2f} ms): the tail here is the machine's (load average in the results file), not the endpoint's.")
    w("")

# Two instances on PostgreSQL + Redis (scripts/bench-rooms-scale.sh): reported beside one instance on SQLite; on a machine
# whose cores wrk and both instances share they cannot be faster: the point is the cost, and that nothing fails.
scale_paths = [os.path.join(work, f"wrk-scale-{n}-{i}.txt") for n in (1, 2) for i in range(1, runs + 1)]
skipped_path = os.path.join(work, "scale-skipped.txt")
if all(os.path.exists(p) for p in scale_paths):
    w("### One instance on SQLite beside two on PostgreSQL + Redis")
    w("")
    w("The same `GET /api/rooms/{id}?client=web` with `wrk -t2 -c64 -d10s` on two instances of the sample sharing one PostgreSQL")
    w("(`LiveRooms:Store=PostgreSql`) and one Redis (`LiveRooms:Backplane=Redis`), each with its own room cache; the room was")
    w("created on instance 1 and made live through instance 2's `on_publish` hook. Each instance alone (alternating, twice),")
    w("then both at once (`-t1 -c32` each, summed). The database, Redis, both instances and wrk share this machine's cores.")
    w("")
    w("| Setup | Runs (req/s) | Best req/s | p50 | p99 | Socket errors + non-2xx |")
    w("|---|---|---:|---:|---:|---:|")
    b = rooms["best"]
    w(f"| 1 instance, SQLite | {', '.join(format(x['rps'], ',.0f') for x in rooms['runs'])} | {b['rps']:,.0f} | {b['p50']:.2f} ms | {b['p99']:.2f} ms | {rooms['errors']} |")
    scale_errors = 0
    for n in (1, 2):
        rs = [parse(os.path.join(work, f"wrk-scale-{n}-{i}.txt")) for i in range(1, runs + 1)]
        best = max(rs, key=lambda r: r["rps"])
        errors = sum(r["socket"] + r["non2xx"] for r in rs)
        scale_errors += errors
        w(f"| 2 instances, PostgreSQL + Redis: instance {n} alone | {', '.join(format(x['rps'], ',.0f') for x in rs)} | {best['rps']:,.0f} | {best['p50']:.2f} ms | {best['p99']:.2f} ms | {errors} |")
    both = []
    for i in range(1, runs + 1):
        pa, pb = os.path.join(work, f"wrk-scale-both{i}-a.txt"), os.path.join(work, f"wrk-scale-both{i}-b.txt")
        if os.path.exists(pa) and os.path.exists(pb):
            a, c = parse(pa), parse(pb)
            both.append((a["rps"] + c["rps"], max(a["p99"], c["p99"]), a["socket"] + a["non2xx"] + c["socket"] + c["non2xx"]))
    if both:
        best = max(both)
        scale_errors += sum(x[2] for x in both)
        w(f"| 2 instances, PostgreSQL + Redis: both at once (sum) | {', '.join(format(x[0], ',.0f') for x in both)} | {best[0]:,.0f} | | {best[1]:.2f} ms (worse of the two) | {sum(x[2] for x in both)} |")
    w("")
    targets.append(("two instances: errors (socket + non-2xx, all runs)", scale_errors, "=", 0, 0.0, scale_errors == 0))
elif os.path.exists(skipped_path):
    w(f"Two instances on PostgreSQL + Redis: not run ({open(skipped_path).read().strip()}).")
    w("")

herd_path = os.path.join(work, "herd.json")
if os.path.exists(herd_path):
    h = json.load(open(herd_path))
    w("### Thundering herd")
    w("")
    w(f"{h['Viewers']:,} viewers open the live room within {h['SpreadSeconds']:g} s: that many `GET /api/rooms/{{id}}?client=web`")
    w(f"started evenly over the second from one .NET client (`SocketsHttpHandler`, at most {h['MaxConnections']} connections).")
    w("")
    w("| Figure | Value |")
    w("|---|---:|")
    w(f"| Requests started within | {h['FiredSeconds']:.2f} s |")
    w(f"| All answered within | {h['CompletedSeconds']:.2f} s |")
    w(f"| 200 OK | {h['Ok']:,} of {h['Viewers']:,} |")
    w(f"| Non-200 | {sum(h['NonOk'].values())} {json.dumps(h['NonOk']) if h['NonOk'] else ''} |")
    w(f"| Exceptions | {sum(h['Exceptions'].values())} |")
    w(f"| Latency p50 / p99 / max | {h['P50Ms']:.1f} / {h['P99Ms']:.1f} / {h['MaxMs']:.1f} ms |")
    w(f"| Room states seen in the answers | {'; '.join(f'`{k}` × {v:,}' for k, v in h['RoomStates'].items())} |")
    w(f"| `GET /api/rooms`: rooms before → after | {h['RoomsBefore']} → {h['RoomsAfter']} |")
    w(f"| `GET /api/rooms`: listings of the room before → after | {h['ListedBefore']} → {h['ListedAfter']} ({h['StateBefore']} → {h['StateAfter']}) |")
    w(f"| App VmRSS before / peak / after | {h['RssBeforeKiB'] / 1024:,.0f} / {h['RssPeakKiB'] / 1024:,.0f} / {h['RssAfterKiB'] / 1024:,.0f} MiB |")
    w("")
    for f in h["Failures"]:
        w(f"- Herd check failed: {f}")
    growth = (h["RssPeakKiB"] - h["RssBeforeKiB"]) // 1024
    targets.append(("herd: non-200 + exceptions", sum(h["NonOk"].values()) + sum(h["Exceptions"].values()), "=", 0, 0.0,
                    not h["NonOk"] and not h["Exceptions"] and h["Ok"] == h["Viewers"]))
    targets.append(("herd: one room, one state (answers and list)", len(h["RoomStates"]), "=", 1, 0.0,
                    len(h["RoomStates"]) == 1 and h["ListedBefore"] == h["ListedAfter"] == 1 and h["RoomsBefore"] == h["RoomsAfter"]
                    and h["StateBefore"] == h["StateAfter"]))
    targets.append(("herd: VmRSS growth, peak over before (MiB)", growth, "≤", h["MaxRssGrowthKiB"] // 1024, 0.0,
                    h["RssBeforeKiB"] > 0 and growth <= h["MaxRssGrowthKiB"] // 1024))
else:
    w("Thundering herd: did not run (see the bench output).")
    targets.append(("herd ran", 0, "=", 1, 0.0, False))

fanout_path = os.path.join(work, "wsfanout.json")
if os.path.exists(fanout_path):
    f = json.load(open(fanout_path))
    w("### WebSocket fan-out")
    w("")
    w(f"{f['Viewers']:,} viewers connected to the live room's `/api/rooms/{{id}}/ws` (listeners, one 4 KiB buffer each, from one .NET")
    w(f"client on this machine); after one warm-up message the host sends {f['Messages']} chat messages a second apart; latency is host send →")
    w("viewer receive on one clock, and includes the server keeping each message in the chat log (SQLite) before fan-out.")
    w("")
    w("| Figure | Value |")
    w("|---|---:|")
    w(f"| Connected | {f['Connected']:,} of {f['Viewers']:,} in {f['ConnectSeconds']:.2f} s |")
    w(f"| Deliveries | {f['Deliveries']:,} ({f['Missing']} missing) |")
    w(f"| Latency p50 / p99 / max | {f['P50Ms']:.1f} / {f['P99Ms']:.1f} / {f['MaxMs']:.1f} ms |")
    w(f"| p99 of each message | {', '.join(format(x, '.1f') for x in f['P99MsPerMessage'])} ms |")
    w(f"| App VmRSS before / idle with viewers / after | {f['RssBeforeKiB'] / 1024:,.0f} / {f['RssIdleKiB'] / 1024:,.0f} / {f['RssAfterKiB'] / 1024:,.0f} MiB |")
    w(f"| Memory per idle connection (VmRSS delta ÷ viewers) | {f['KiBPerConnection']:.1f} KiB |")
    w(f"| Load average during the run | {f['LoadAverage']} |")
    w("")
    targets.append(("wsfanout: every message reached every viewer", f["Missing"], "=", 0, 0.0, f["Missing"] == 0 and f["Connected"] == f["Viewers"]))
    targets.append(("wsfanout: delivery p99, 2,000 viewers (ms)", f["P99Ms"], "<", 200, 0.0, f["P99Ms"] < 200))
else:
    w("WebSocket fan-out: did not run (see the bench output).")
    targets.append(("wsfanout ran", 0, "=", 1, 0.0, False))

w("")
w("| Live-rooms target | Measured | Limit | Noise | Result |")
w("|---|---:|---:|---:|---|")
missed = 0
for what, value, op, limit, noise, ok in targets:
    missed += 0 if ok else 1
    w(f"| {what} | {value} | {op} {limit} | {'±' + format(noise, '.0%') if noise else 'exact'} | {'met' if ok else '**missed**'} |")
w("")
w(f"{len(targets) - missed} of {len(targets)} live-rooms targets met.")
open(os.path.join(work, "rooms.md"), "w").write("\n".join(lines) + "\n")
sys.exit(1 if missed else 0)
