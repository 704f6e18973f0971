#!/usr/bin/env python3
"""Turns one bench run (BenchmarkDotNet's *-report-full.json, the check mode's URL lengths, the soak's JSON)
into the markdown result file and checks the targets of issue 10. Exit status 1 when a target is missed by
more than the run's own noise.

Noise: BenchmarkDotNet's 99.9% confidence-interval margin of each benchmark, relative to its mean; a ratio's
noise is the two relative margins added in quadrature. "At most L" fails only when ratio > L * (1 + noise);
"at least L" only when ratio < L / (1 + noise). Allocation targets are exact (allocations do not jitter)."""
import glob, json, math, os, sys

work, out_path, meta_path = sys.argv[1], sys.argv[2], sys.argv[3]
meta = json.load(open(meta_path))
lengths = json.load(open(os.path.join(work, "lengths.json")))
soak = json.load(open(os.path.join(work, "soak.json"))) if os.path.exists(os.path.join(work, "soak.json")) else None
failover = json.load(open(os.path.join(work, "failover.json"))) if os.path.exists(os.path.join(work, "failover.json")) else None
browser_failover = json.load(open(os.path.join(work, "browser-failover.json"))) if os.path.exists(os.path.join(work, "browser-failover.json")) else None

bench = {}
host = {}
for f in sorted(glob.glob(os.path.join(work, "bdn", "results", "*-report-full.json"))):
    d = json.load(open(f))
    host = d["HostEnvironmentInfo"]
    for b in d["Benchmarks"]:
        s = b["Statistics"]
        if not s:
            continue
        key = b["Type"] + "." + b["Method"] + (("(" + b["Parameters"] + ")") if b["Parameters"] else "")
        bench[key] = {
            "median": s["Median"], "mean": s["Mean"], "n": s["N"],
            "noise": (s["ConfidenceInterval"]["Margin"] / s["Mean"]) if s["Mean"] else 0.0,
            "alloc": b["Memory"]["BytesAllocatedPerOperation"],
        }

def get(k):
    if k not in bench:
        raise SystemExit(f"bench report: no result for {k} (did every benchmark run?)")
    return bench[k]

def fmt_ns(ns):
    return f"{ns / 1000:,.2f} µs" if ns >= 10_000 else f"{ns:,.0f} ns"

def string_bytes(chars):  # a .NET string on 64-bit: 22 + 2 × length, rounded up to 8
    return (22 + 2 * chars + 7) // 8 * 8

targets = []  # (what, measured, op, limit, noise, ok)
def at_most(what, value, limit, noise):
    targets.append((what, value, "≤", limit, noise, value <= limit * (1 + noise)))
def at_least(what, value, limit, noise):
    targets.append((what, value, "≥", limit, noise, value >= limit / (1 + noise)))
def exact_at_most(what, value, limit):
    targets.append((what, value, "≤", limit, 0.0, value <= limit))

def ratio(a, b):
    return a["median"] / b["median"], math.hypot(a["noise"], b["noise"])

lines = []
w = lines.append
w(f"# LiveCloud benchmarks — {meta['date']}")
w("")
w(f"- Commit: `{meta['commit']}`{' (with uncommitted changes)' if meta['dirty'] else ''} on branch `{meta['branch']}`")
w(f"- Machine: {host.get('ProcessorName', '?')}, {host.get('LogicalCoreCount', '?')} logical cores, {meta['memory']}; {host.get('OsVersion', '?')}")
w(f"- Runtime: {host.get('RuntimeVersion', '?')}, SDK {host.get('DotNetCliVersion', '?')}, BenchmarkDotNet {host.get('BenchmarkDotNetVersion', '?')}, in-process toolchain")
w(f"- Job: {meta['job']}")
w(f"- Load (uptime) before: `{meta['load_before']}`; after: `{meta['load_after']}`. The machine is shared: absolute times are noisy,")
w("  the ratios between benchmarks of the same run are what count. Times are medians; ± is BenchmarkDotNet's 99.9% CI margin relative to the mean.")
w("")

# ---------------------------------------------------------------- URL signing
w("## URL signing")
w("")
w("Floor = the platform's one-shot hash (`CryptographicOperations.HashData`/`HmacData`, `HMACSHA256.HashData`) of exactly the")
w("bytes the vendor's rule signs, into a stack buffer, once per distinct signed input. LiveCloud = `IStreamProvider.CreatePushUrl`/")
w("`CreatePlayUrls`. Sample-style = the vendor's documented rule written as its published samples do (new hash object per call,")
w("`Encoding.GetBytes`, `StringBuilder` hex, concatenation), checked to emit the library's exact URLs.")
w("")
w("| Vendor | What | Hashes | Floor | LiveCloud | × floor | Sample-style | × floor | Sample ÷ LiveCloud | LiveCloud alloc | URL strings | Sample alloc | Bytes ratio |")
w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
hashes = {("Tencent", "Push"): 1, ("Tencent", "PlaySet"): 1, ("Aliyun", "Push"): 1, ("Aliyun", "PlaySet"): 3,
          ("Qiniu", "Push"): 1, ("Qiniu", "PlaySet"): 3, ("Nginx", "Push"): 1, ("Nginx", "PlaySet"): 2}
for vendor in ["Tencent", "Aliyun", "Qiniu", "Nginx"]:
    for what in ["Push", "PlaySet"]:
        floor = get(f"{vendor}Urls.{what}Floor")
        lib = get(f"{vendor}Urls.{what}LiveCloud")
        sample = get(f"{vendor}Urls.{what}SampleStyle")
        r_lib, n_lib = ratio(lib, floor)
        r_sample, _ = ratio(sample, floor)
        speed, n_speed = ratio(sample, lib)
        bytes_ratio = sample["alloc"] / lib["alloc"] if lib["alloc"] else float("inf")
        url_chars = lengths[f"{vendor}.{what}"]
        url_count = lengths[f"{vendor}.{what}.count"]
        strings = string_bytes(url_chars) if url_count == 1 else None
        w(f"| {vendor} | {'push URL' if what == 'Push' else f'play set ({url_count} URLs)'} | {hashes[(vendor, what)]} | {fmt_ns(floor['median'])} ±{floor['noise']:.0%} | "
          f"{fmt_ns(lib['median'])} ±{lib['noise']:.0%} | {r_lib:.2f}× | {fmt_ns(sample['median'])} ±{sample['noise']:.0%} | {r_sample:.2f}× | {speed:.2f}× | "
          f"{lib['alloc']} B | {str(strings) + ' B' if strings else f'{url_chars} chars'} | {sample['alloc']} B | {bytes_ratio:.1f}× |")
        if what == "Push":
            at_most(f"{vendor} push URL ≤ 1.25× its floor", r_lib, 1.25, n_lib)
            exact_at_most(f"{vendor} push URL allocates only its string ({strings} B)", lib["alloc"], strings)
        if vendor == "Tencent" and what == "PlaySet":
            # One MD5 for the whole set: the set costs well under two hashes (four hashes would be ≥ 4×).
            at_most("Tencent play set hashes once (< 2× one hash)", r_lib, 2.0, n_lib)
        at_least(f"{vendor} {what}: ~2× faster than sample-style", speed, 2.0, n_speed)
        at_least(f"{vendor} {what}: ≥ 5× fewer bytes than sample-style", bytes_ratio, 5.0, 0.0)
    signer = bench.get(f"{vendor}Urls.PushSignerOnly")
    if signer:
        r, _ = ratio(signer, get(f"{vendor}Urls.PushFloor"))
        w(f"| {vendor} | push, signer class alone | 1 | | {fmt_ns(signer['median'])} ±{signer['noise']:.0%} | {r:.2f}× | | | | {signer['alloc']} B | | | |")
w("")

# ---------------------------------------------------------------- hash primitives
if "HashPrimitives.Md5OneShot" in bench:
    w("### What a floor is made of")
    w("")
    w("The platform's one-shot hash builds and frees a native (OpenSSL) context per call, and for HMAC the key schedule too;")
    w("a reused `IncrementalHash` does that once. 50-byte input:")
    w("")
    w("| Algorithm | One-shot | Reused IncrementalHash | One-shot ÷ reused |")
    w("|---|---:|---:|---:|")
    for alg in ["Md5", "HmacSha1", "HmacSha256"]:
        one, reused = get(f"HashPrimitives.{alg}OneShot"), get(f"HashPrimitives.{alg}Reused")
        w(f"| {alg} | {fmt_ns(one['median'])} ±{one['noise']:.0%} | {fmt_ns(reused['median'])} ±{reused['noise']:.0%} | {one['median'] / reused['median']:.2f}× |")
    w("")

# ---------------------------------------------------------------- API path
w("## Vendor API path (domain list against the loopback emulator)")
w("")
w("Raw = the same signed request (library's public signer) sent with a bare `HttpClient`, body read as a string.")
w("Adapter = `IStreamProvider.ListDomainsAsync` (request building, signing, Polly pipeline, JSON parsing, mapping).")
w("The emulators run in a child process: allocations are the client's alone. Wall time of a loopback round trip between two")
w("processes on 2 shared cores is noisy; the gate allows for the noise this run measured.")
w("")
w("| Vendor | Raw HttpClient | Adapter | Adapter ÷ raw | Raw alloc | Adapter alloc |")
w("|---|---:|---:|---:|---:|---:|")
api = {}
for vendor in ["Tencent", "Aliyun", "Qiniu"]:
    raw = get(f"ApiPath.Raw(Vendor={vendor})")
    adapter = get(f"ApiPath.Adapter(Vendor={vendor})")
    r, n = ratio(adapter, raw)
    api[vendor] = raw
    at_most(f"{vendor} adapter ≤ 1.10× the raw call, loopback wall time", r, 1.10, n)
    w(f"| {vendor} | {fmt_ns(raw['median'])} ±{raw['noise']:.0%} | {fmt_ns(adapter['median'])} ±{adapter['noise']:.0%} | {r:.3f}× | {raw['alloc']:,} B | {adapter['alloc']:,} B |")
w("")
w("The same two calls with the network taken out (one in-memory handler answering with the emulator's body) isolate what")
w("the adapter adds in CPU per call; that difference, divided by the raw loopback call above, is what the ≤ 10% target is")
w("judged on as well as on the loopback ratio above (both must hold), because it is measured to a few percent where the")
w("loopback ratio is not.")
w("")
w("| Vendor | Raw in memory | Adapter in memory | Adapter adds | ÷ raw loopback call | Raw alloc | Adapter alloc |")
w("|---|---:|---:|---:|---:|---:|---:|")
for vendor in ["Tencent", "Aliyun", "Qiniu"]:
    raw_mem = get(f"ApiOverhead.RawInMemory(Vendor={vendor})")
    ad_mem = get(f"ApiOverhead.AdapterInMemory(Vendor={vendor})")
    added = ad_mem["median"] - raw_mem["median"]
    share = added / api[vendor]["median"]
    spread = math.hypot(ad_mem["noise"] * ad_mem["mean"], raw_mem["noise"] * raw_mem["mean"])
    rel = math.hypot(spread / added if added > 0 else 0.0, api[vendor]["noise"])
    w(f"| {vendor} | {fmt_ns(raw_mem['median'])} ±{raw_mem['noise']:.0%} | {fmt_ns(ad_mem['median'])} ±{ad_mem['noise']:.0%} | {fmt_ns(added)} | {share:.1%} | {raw_mem['alloc']:,} B | {ad_mem['alloc']:,} B |")
    at_most(f"{vendor} adapter's own CPU ≤ 10% of the raw loopback call", share, 0.10, rel)
w("")

# ---------------------------------------------------------------- callbacks
w("## Callbacks (verify + parse one stream-start callback into a StreamEvent)")
w("")
w("| Vendor | Median | Allocated per event |")
w("|---|---:|---:|")
for vendor in ["Tencent", "Aliyun", "Qiniu", "Nginx"]:
    c = get(f"Callbacks.{vendor}")
    w(f"| {vendor} | {fmt_ns(c['median'])} ±{c['noise']:.0%} | {c['alloc']:,} B |")
w("")

# ---------------------------------------------------------------- soak
w("## Soak")
w("")
if soak is None:
    w("Not run.")
    targets.append(("soak ran", 0, "=", 1, 0.0, False))
else:
    w(f"{soak['callsPerVendor']:,} domain-list calls per vendor ({', '.join(soak['vendors'])}), {soak['concurrency']} at a time per vendor, "
      f"{soak['seconds']} s, emulators in a child process. Client sockets to the emulators counted from /proc/net/tcp and /proc/net/tcp6 "
      "(every state but LISTEN); heap = `GC.GetTotalMemory(true)` after a full collection.")
    w("")
    w("| Calls per vendor | Seconds | Sockets | Established | Heap after GC | Working set |")
    w("|---:|---:|---:|---:|---:|---:|")
    for r in soak["rounds"]:
        w(f"| {r['Calls']:,} | {r['Seconds']} | {r['Sockets']} | {r['Established']} | {r['HeapBytes'] / 1024:,.0f} KiB | {r['WorkingSetBytes'] / 1048576:,.0f} MiB |")
    w("")
    w(f"Sockets after the first tenth: {soak['socketsAfterFirstTenth']}, most after that: {soak['maxSocketsAfter']}. "
      f"Heap growth from the first tenth to the end: {soak['heapGrowth'] / 1024:,.0f} KiB (allowance {soak['heapAllowance'] / 1024:,.0f} KiB: 5% or 256 KiB).")
    targets.append(("soak completed within its time bound", soak["callsPerVendor"], "=", soak["callsPerVendor"], 0.0, soak["complete"]))
    targets.append(("soak: no growth in open sockets", soak["maxSocketsAfter"], "≤", soak["socketsAfterFirstTenth"], 0.0, soak["socketsOk"]))
    targets.append(("soak: no growth in memory after GC (KiB)", round(soak["heapGrowth"] / 1024), "≤", round(soak["heapAllowance"] / 1024), 0.0, soak["heapOk"]))
w("")

# ---------------------------------------------------------------- multi-cloud failover (issue 17)
w("## Multi-cloud failover (two real nginx-rtmp servers)")
w("")
if failover is None:
    w("Not run.")
    targets.append(("failover ran", 0, "=", 1, 0.0, False))
else:
    st, tg, runs = failover["settings"], failover["targets"], failover["runs"]
    w("Two real nginx-rtmp servers are the members `NginxA` (primary) and `NginxB` of one multi-cloud provider, their hooks on a real")
    w("callback endpoint. An ffmpeg host asks the provider for a fresh push URL after each failure (as `<live-pusher>` code does")
    w("after error -1307); an ffmpeg viewer reads HLS and asks for play URLs again when its read ends, stalls for")
    w(f"{st['viewerStallSeconds']:g} s, or the provider raises `ServingProviderChanged`. Once the viewer has played from NginxA for a few")
    w("seconds, NginxA's master and worker are SIGKILLed. Seconds from the kill; each run is a fresh pair of servers.")
    w("")
    w("| Run | Detected (NginxA marked down) | Host on NginxB | Viewer playing again | Viewer's black gap | Host's fresh URLs |")
    w("|---:|---:|---:|---:|---:|---:|")
    for i, r in enumerate(runs, 1):
        w(f"| {i} | {r['detectSeconds']:.2f} s | {r['hostMovedSeconds']:.2f} s | {r['playingAgainSeconds']:.2f} s | {r['gapSeconds']:.2f} s | {r['hostAttempts']} |")
    def median(k):
        v = sorted(r[k] for r in runs)
        return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    w(f"| median | {median('detectSeconds'):.2f} s | {median('hostMovedSeconds'):.2f} s | {median('playingAgainSeconds'):.2f} s | {median('gapSeconds'):.2f} s | |")
    w("")
    w(f"Budget. Detection: {st['failuresToMarkDown']} failed checks in a row at a {st['probeIntervalSeconds']:g} s interval, the first 0–1 s after the")
    w("kill, so 2–3 s (a refused connection fails at once; a server that drops packets instead adds the probe timeout,")
    w(f"{st['probeTimeoutSeconds']:g} s, to each check). The host: its push dies with the server; it asks again every {st['hostRetrySeconds']:g} s and")
    w("gets NginxB's URL from the first request after detection, plus an RTMP connect and publish: about a second. The viewers:")
    w(f"NginxB has a playlist once its first fragment is cut (`hls_fragment {st['hlsFragmentSeconds']} s`, at the test pattern's one-second key")
    w(f"frames; `hls_playlist_length {st['hlsPlaylistSeconds']} s`), and the viewer asks again the moment the provider says the serving member")
    w("changed: about a second and a half after the host. After detection, HLS segment and playlist lengths dominate: clouds'")
    w("CDNs commonly cut 2–10 s segments and a player starts two or three segments behind the live edge, so there the viewers' gap")
    w("grows by one to three segment lengths; halving the segment here (0.5 s) would save about half a second, and a shorter")
    w("probe interval saves detection time for more probes.")
    w("")
    w("**In a browser.** The live-rooms sample in multi-cloud mode over the same two members, its room page in Chromium")
    w("(hls.js), the host an ffmpeg loop that POSTs for a fresh push URL after each failure; the page switches source on the same")
    w("`<video>` when the backend sends `serving` (no reload). Seconds from the kill, one run (`FailoverBrowserTests`):")
    w("")
    if browser_failover is None:
        w("Not run (Chromium missing, or the test failed: see the bench output).")
        targets.append(("failover in a browser ran", 0, "=", 1, 0.0, False))
    else:
        b = browser_failover
        gap = b["playingAgainSeconds"] - b["stalledSeconds"] if b["stalledSeconds"] >= 0 and b["playingAgainSeconds"] >= 0 else float("nan")
        w("| Detected | Host on NginxB | `<video>` stalled | `<video>` playing again | Black gap (stalled → playing) | `currentTime` advanced 2 s |")
        w("|---:|---:|---:|---:|---:|---:|")
        w(f"| {b['detectSeconds']:.2f} s | {b['hostMovedSeconds']:.2f} s | {b['stalledSeconds']:.2f} s | {b['playingAgainSeconds']:.2f} s | {gap:.2f} s | {b['currentTimeAdvancingSeconds']:.2f} s |")
        ok = 0 <= b["playingAgainSeconds"] <= tg["playingAgainSeconds"]
        targets.append(("failover: the browser's <video> playing again after the kill (s)", round(b["playingAgainSeconds"], 2), "≤", tg["playingAgainSeconds"], 0.0, ok))
    worst_detect = max(r["detectSeconds"] for r in runs)
    worst_playing = max(r["playingAgainSeconds"] for r in runs)
    targets.append((f"failover: detection, worst of {len(runs)} runs (s)", worst_detect, "≤", tg["detectSeconds"], 0.0, worst_detect <= tg["detectSeconds"]))
    targets.append((f"failover: viewers playing again after the kill, worst of {len(runs)} runs (s)", worst_playing, "≤", tg["playingAgainSeconds"], 0.0, worst_playing <= tg["playingAgainSeconds"]))
w("")

# ---------------------------------------------------------------- live rooms (bench/rooms.py wrote it; its targets are in its own table)
w("## Live-rooms load test")
w("")
w(meta.get("rooms", "Not run: the live-rooms load test wrote nothing (see the bench output)."))
w("")

# ---------------------------------------------------------------- targets
w("## Targets")
w("")
w("| Target | Measured | Limit | Noise | Result |")
w("|---|---:|---:|---:|---|")
missed = 0
for what, value, op, limit, noise, ok in targets:
    missed += 0 if ok else 1
    v = f"{value:.2f}" if isinstance(value, float) else f"{value}"
    w(f"| {what} | {v} | {op} {limit} | {'±' + format(noise, '.0%') if noise else 'exact'} | {'met' if ok else '**missed**'} |")
w("")
w(f"{len(targets) - missed} of {len(targets)} targets met.")

open(out_path, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
sys.exit(1 if missed else 0)
