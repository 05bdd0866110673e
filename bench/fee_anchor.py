#!/usr/bin/env python3
"""The anchor for a monthly fee run: the same ledger and line writes Baohao's runner makes for one
month's fee, done directly on the database by four set-based statements in one durable
transaction (no policy evaluation, no stage events, no reminders). Run it on a copy of the
seeded database; prints `seconds=<s> fees=<n>`.

  fee_anchor.py sqlite PATH AT_MS PERIOD NEXT_FEE_DAY
  fee_anchor.py postgres URL AT_MS PERIOD NEXT_FEE_DAY"""
import subprocess
import sys
import time


def statements(at, period, next_day):
    due = f"review_at <= {at} AND policy_code IS NOT NULL"
    return [
        f"""INSERT INTO ledger_transfers (id, kind, order_id, created_at)
            SELECT 'fee:' || id || ':{period}', 'monthly_fee', NULL, {at} FROM lines WHERE {due}""",
        f"""INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
            SELECT 'fee:' || id || ':{period}', 0, 'line:' || id, -500, 'CNY', {at} FROM lines WHERE {due}""",
        f"""INSERT INTO ledger_postings (transfer_id, seq, account, amount, currency, created_at)
            SELECT 'fee:' || id || ':{period}', 1, 'revenue:service', 500, 'CNY', {at} FROM lines WHERE {due}""",
        f"""UPDATE lines SET balance = balance - 500, next_charge_at = {next_day}, review_at = {at} + 86400000,
              updated_at = {at} WHERE {due}""",
    ]


def sqlite(path, at, period, next_day):
    import sqlite3
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    fees = db.execute(f"SELECT COUNT(*) FROM lines WHERE review_at <= {at} AND policy_code IS NOT NULL").fetchone()[0]
    started = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    for sql in statements(at, period, next_day):
        db.execute(sql)
    db.execute("COMMIT")
    return time.monotonic() - started, fees


def postgres(url, at, period, next_day):
    count = subprocess.run(["psql", url, "-tAc", f"SELECT COUNT(*) FROM lines WHERE review_at <= {at} AND policy_code IS NOT NULL"],
                           capture_output=True, text=True, check=True)
    sql = ";\n".join(["SET synchronous_commit = on", "BEGIN"] + statements(at, period, next_day) + ["COMMIT"]) + ";\n"
    started = time.monotonic()
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q"], input=sql, text=True, check=True)
    return time.monotonic() - started, int(count.stdout.strip())


if __name__ == "__main__":
    kind, target, at, period, next_day = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    seconds, fees = (sqlite if kind == "sqlite" else postgres)(target, at, period, next_day)
    print(f"seconds={seconds:.2f} fees={fees}")
