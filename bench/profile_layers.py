#!/usr/bin/env python3
"""Groups a `perf report --no-children --sort dso,sym` (raw symbols) by layer: where the server's
CPU goes per credit. Swift symbols are demangled with their modules; C symbols in the baohao
binary are SQLite's unless they are NIO's llhttp or BoringSSL's.
Usage: profile_layers.py REPORT.txt [CREDITS] [CPU_SECONDS]"""
import re
import subprocess
import sys

# The first module named in a demangled Swift symbol (generic arguments removed) decides.
MODULES = [
    ("Baohao HTTP layer, payments, app", r"^(BaohaoHTTP|BaohaoApp|BaohaoPayments|BaohaoMessaging|BaohaoSecurity|baohao)\."),
    ("Baohao storage (batches, rows, SQL text)", r"^BaohaoStorage\."),
    ("Baohao domain", r"^BaohaoDomain\."),
    ("SQLKit / SQLiteKit / SQLiteNIO", r"^(SQLKit|SQLiteKit|SQLiteNIO)\."),
    ("PostgresNIO / PostgresKit", r"^(PostgresNIO|PostgresKit)\."),
    ("HTTP server (Hummingbird, NIO)", r"^(Hummingbird\w*|NIO\w*|_NIO\w*|HTTPTypes|Tracing|Instrumentation|ServiceContextModule)\."),
    ("JSON and other Foundation", r"^(Foundation\w*|FoundationEssentials)\."),
    ("crypto (HMAC, SHA-256)", r"^(Crypto|_CryptoExtras)\."),
    ("logging, metrics", r"^(Logging|CoreMetrics|Metrics|Prometheus)\."),
    ("Swift standard library (collections, strings)", r"^Swift\."),
]


def strip_generics(name):
    previous = None
    while previous != name:
        previous, name = name, re.sub(r"<[^<>]*>", "", name)
    return name


def swift_layer(demangled):
    text = strip_generics(demangled)
    for prefix in ("generic specialization  of ", "merged ", "outlined copy of ", "outlined destroy of ",
                   "outlined init with take of ", "outlined retain of ", "outlined release of ",
                   "partial apply forwarder for ", "reabstraction thunk helper from ", "specialized "):
        text = text.replace(prefix, "")
    best = None
    for name, pattern in MODULES:
        for m in re.finditer(pattern.replace("^", r"(?:^|[\s(])"), text):
            if best is None or m.start() < best[0]:
                best = (m.start(), name)
            break
    return best[1] if best else "Swift (other)"


def layer(dso, raw, demangled):
    if dso.startswith("[kernel"):
        return "kernel (syscalls, network, files, scheduling)"
    if "libswiftCore" in dso or "libswift_Concurrency" in dso or "libdispatch" in dso:
        return "Swift runtime (retain/release, metadata, tasks)"
    if "libFoundation" in dso or "libicu" in dso:
        return "JSON and other Foundation"
    if dso.startswith("libc") or dso.startswith("ld-linux") or dso == "[vdso]":
        return "malloc/free" if re.search(r"malloc|free|_int_|tcache", raw) else "libc (memcpy, locks)"
    if raw.startswith("$s"):
        return swift_layer(demangled)
    if raw.startswith(("__swift", "swift_", "_swift")):
        return "Swift runtime (retain/release, metadata, tasks)"
    if "CCryptoBoringSSL" in raw:
        return "crypto (HMAC, SHA-256)"
    if raw.startswith("c_nio"):
        return "HTTP server (Hummingbird, NIO)"
    if dso == "baohao":
        return "SQLite engine (C)"
    return "other"


rows = []
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"\s*([0-9.]+)%\s+(\S+)\s+\[[.k]\]\s+(\S+)", line)
    if m:
        rows.append((float(m.group(1)), m.group(2), m.group(3)))
swift = sorted({raw for _, _, raw in rows if raw.startswith("$s")})
demangled = dict(zip(swift, subprocess.run(["swift", "demangle"], input="\n".join(swift), capture_output=True, text=True)
                     .stdout.splitlines())) if swift else {}
total = sum(r[0] for r in rows)
shares = {}
for share, dso, raw in rows:
    name = layer(dso, raw, demangled.get(raw, raw))
    shares[name] = shares.get(name, 0.0) + share
credits = float(sys.argv[2]) if len(sys.argv) > 2 else 0
cpu = float(sys.argv[3]) if len(sys.argv) > 3 else 0
per = cpu * 1e6 / credits if credits else 0
print("| layer | share of Baohao's samples | µs per credit |")
print("|---|---|---|")
for name, share in sorted(shares.items(), key=lambda kv: -kv[1]):
    if share / total < 0.001:
        continue
    us = f"{per * share / total:.0f}" if per else "-"
    print(f"| {name} | {share / total * 100:.1f} % | {us} |")
if per:
    print(f"| **all** | 100 % | **{per:.0f}** |")
