#!/usr/bin/env python3
"""Prints the benchmark table (markdown) from bench/run's results.tsv."""
import platform
import subprocess
import os
import sys
from datetime import datetime, timezone

res, dur, start_sq, start_pg, peak_sq, peak_pg, verify_sq, verify_pg = sys.argv[1:9]
rows = [line.rstrip("\n").split("\t") for line in open(res) if line.strip()]


def tps(v):
    try:
        return float(v)
    except ValueError:
        return None


cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
print(f"# Baohao benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
print()
print(f"Machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, {platform.system()} {platform.release()}. "
      f"Command: `bash bench/run` (DUR={dur}s per case). Durability on: SQLite WAL synchronous=FULL, PostgreSQL fsync=on, synchronous_commit=on.")
print()
print("| database | clients | side | TPS | p50 | p99 | disk probe (8 kB O_DSYNC writes/s) | ratio B/A | CPU µs per credit (Baohao's process + database); bytes written per credit (SQLite: by the process; PostgreSQL: WAL) | note |")
print("|---|---|---|---|---|---|---|---|---|---|")
def ms(v):
    """A latency as wrk or bench/run prints it (850.00us, 3.21ms, 1.02s) in milliseconds."""
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if v.endswith(unit):
            try:
                return float(v[: -len(unit)]) * scale
            except ValueError:
                return None
    return None


anchor = {}
anchor_p99 = {}
for row in rows:
    db, clients, side, t, p50, p99, disk, note = row[:8]
    cpu = row[8] if len(row) > 8 else ""
    ratio = ""
    if side.startswith("A"):
        anchor[(db, clients)] = tps(t)
        anchor_p99[(db, clients)] = ms(p99)
    elif "half load" in clients and anchor_p99.get((db, clients)) and ms(p99):
        ratio = f"p99 {ms(p99) / anchor_p99[(db, clients)]:.2f}×"
    elif (db, clients) in anchor and anchor[(db, clients)] and tps(t):
        ratio = f"{tps(t) / anchor[(db, clients)]:.2f}×"
    print(f"| {db} | {clients} | {side} | {t} | {p50} | {p99} | {disk} | {ratio} | {cpu} | {note} |")
print()
lines = os.environ.get("LINES", "1000000")
lines = "1M" if lines == "1000000" else f"{int(lines):,}"
print(f"Start-up to ready ({lines} lines): SQLite {start_sq} ms, PostgreSQL {start_pg} ms. "
      f"Server peak RSS (VmHWM) after the runs: SQLite {int(peak_sq) // 1024} MiB, PostgreSQL {int(peak_pg) // 1024} MiB.")
print(f"After the runs, `baohao verify`: SQLite: {verify_sq} PostgreSQL: {verify_pg}")
